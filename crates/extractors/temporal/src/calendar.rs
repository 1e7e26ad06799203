//! Calendar arithmetic that TIMEX3 values need beyond [`Date`]: ISO weeks,
//! month and quarter steps, and the holidays that move.

use document::{Date, Weekday};

/// The ISO 8601 week-numbering year and week of `date`.
pub fn iso_week(date: Date) -> (i32, u32) {
    // The week belongs to the year that holds its Thursday.
    let thursday = date.add_days(3 - i64::from(date.weekday().index())).unwrap_or(date);
    let first = Date::new(thursday.year(), 1, 1).map_or(0, Date::to_days);
    let ordinal = thursday.to_days() - first;
    (thursday.year(), (ordinal / 7 + 1) as u32)
}

/// `YYYY-Www` of the week holding `date`.
pub fn week_value(date: Date) -> String {
    let (year, week) = iso_week(date);
    format!("{year:04}-W{week:02}")
}

/// The month `steps` months from `year`-`month` (1–12).
pub fn add_months(year: i32, month: u8, steps: i64) -> (i32, u8) {
    let index = i64::from(year) * 12 + i64::from(month) - 1 + steps;
    (index.div_euclid(12) as i32, (index.rem_euclid(12) + 1) as u8)
}

pub fn quarter_of(month: u8) -> u8 {
    (month.saturating_sub(1)) / 3 + 1
}

/// The `n`-th (1-based) `weekday` of `year`-`month`; `n = 0` is the last.
pub fn nth_weekday(year: i32, month: u8, weekday: Weekday, n: u8) -> Option<Date> {
    if n == 0 {
        let last = Date::new(year, month, Date::days_in_month(year, month))?;
        let back = (i64::from(last.weekday().index()) - i64::from(weekday.index())).rem_euclid(7);
        return last.add_days(-back);
    }
    let first = Date::new(year, month, 1)?;
    let ahead = (i64::from(weekday.index()) - i64::from(first.weekday().index())).rem_euclid(7);
    let date = first.add_days(ahead + 7 * (i64::from(n) - 1))?;
    (date.month() == month).then_some(date)
}

/// Easter Sunday of `year` (the anonymous Gregorian computus).
pub fn easter(year: i32) -> Option<Date> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn iso_weeks() {
        assert_eq!(week_value(date("2017-12-10")), "2017-W49");
        assert_eq!(week_value(date("2017-12-11")), "2017-W50");
        assert_eq!(week_value(date("2021-01-03")), "2020-W53");
        assert_eq!(week_value(date("2018-12-31")), "2019-W01");
    }

    #[test]
    fn months_quarters_and_holidays() {
        assert_eq!(add_months(2017, 1, -1), (2016, 12));
        assert_eq!(add_months(2017, 12, 1), (2018, 1));
        assert_eq!(quarter_of(12), 4);
        assert_eq!(nth_weekday(2017, 11, Weekday::Thursday, 4), Some(date("2017-11-23")));
        assert_eq!(nth_weekday(2017, 5, Weekday::Monday, 0), Some(date("2017-05-29")));
        assert_eq!(easter(2018), Some(date("2018-04-01")));
        assert_eq!(easter(2019), Some(date("2019-04-21")));
    }
}
