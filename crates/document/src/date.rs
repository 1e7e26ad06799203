use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date in the proleptic Gregorian calendar.
///
/// Dateline interprets text against the document's own date, never the
/// wall clock, so this small type is all the calendar the model needs:
/// validation, ISO 8601 text, day arithmetic and weekdays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> u8 {
        self as u8
    }

    pub fn from_index(index: u8) -> Option<Weekday> {
        use Weekday::*;
        [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]
            .get(usize::from(index))
            .copied()
    }
}

pub(crate) fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl Date {
    /// The date, or `None` when it does not exist (`2017-02-29`).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > Date::days_in_month(year, month) {
            return None;
        }
        if !(-9999..=9999).contains(&year) {
            return None;
        }
        Some(Date { year, month, day })
    }

    pub fn days_in_month(year: i32, month: u8) -> u8 {
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if is_leap_year(year) => 29,
            2 => 28,
            _ => 0,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), after Howard Hinnant's
    /// `days_from_civil`.
    pub fn to_days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The inverse of [`Date::to_days`]; `None` outside years ±9999.
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }

    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days(self.to_days().checked_add(days)?)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3).
        let index = (self.to_days() + 3).rem_euclid(7);
        Weekday::from_index(index as u8).unwrap_or(Weekday::Monday)
    }
}

/// Why a string is not an ISO date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateParseError(String);

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a date of the form YYYY-MM-DD", self.0)
    }
}

impl std::error::Error for DateParseError {}

impl FromStr for Date {
    type Err = DateParseError;

    /// Parses `YYYY-MM-DD`; a trailing time (`2017-12-10T05:57:50`, or a
    /// space then a time) is accepted and ignored, since document dates in
    /// the wild often carry one.
    fn from_str(text: &str) -> Result<Date, DateParseError> {
        let error = || DateParseError(text.to_string());
        let trimmed = text.trim();
        let date_part = trimmed.split(['T', ' ']).next().unwrap_or("");
        let bytes = date_part.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(error());
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, DateParseError> {
            let part = &date_part[range];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().map_err(|_| error())
            } else {
                Err(error())
            }
        };
        let year = number(0..4)?;
        let month = number(5..7)?;
        let day = number(8..10)?;
        Date::new(year as i32, month as u8, day as u8).ok_or_else(error)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_dates() {
        let date: Date = "2017-12-10".parse().unwrap();
        assert_eq!((date.year(), date.month(), date.day()), (2017, 12, 10));
        assert_eq!(date.to_string(), "2017-12-10");
        assert_eq!("2017-12-10T05:57:50".parse::<Date>(), Ok(date));
        assert_eq!("2017-12-10 05:57:50".parse::<Date>(), Ok(date));
        assert_eq!("2016-02-29".parse::<Date>().unwrap().day(), 29);
    }

    #[test]
    fn rejects_impossible_dates_with_a_message() {
        for bad in
            ["2017-02-29", "2017-13-01", "2017-1-01", "20171210", "", "abcd-ef-gh", "+017-01-01"]
        {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(
            "2017-02-29".parse::<Date>().unwrap_err().to_string(),
            "`2017-02-29` is not a date of the form YYYY-MM-DD"
        );
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let epoch = Date::new(1970, 1, 1).unwrap();
        assert_eq!(epoch.to_days(), 0);
        let date = Date::new(2017, 12, 10).unwrap();
        assert_eq!(date.add_days(-1), Date::new(2017, 12, 9));
        assert_eq!(date.add_days(22), Date::new(2018, 1, 1));
        assert_eq!(Date::new(2000, 3, 1).unwrap().add_days(-1), Date::new(2000, 2, 29));
        for days in (-800_000..800_000).step_by(997) {
            let date = Date::from_days(days).unwrap();
            assert_eq!(date.to_days(), days);
        }
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(Date::new(2017, 12, 10).unwrap().weekday(), Weekday::Sunday);
        assert_eq!(Date::new(2017, 12, 9).unwrap().weekday(), Weekday::Saturday);
        assert_eq!(Date::new(1970, 1, 1).unwrap().weekday(), Weekday::Thursday);
        assert_eq!(Date::new(1900, 1, 1).unwrap().weekday(), Weekday::Monday);
    }
}
