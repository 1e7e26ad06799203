//! Month names and year-less dates.
//!
//! A dateline writes `Dec. 9` and leaves the year to the reader, who knows
//! when the story was filed. These helpers do the same against the document
//! date. They are public because every extractor that reads dates in prose
//! (`on Dec. 9`, `last March 3`) needs exactly them; see the crate essay
//! for why they live here rather than in the `extractor` crate.

use document::Date;

/// Full English month names; the first three letters are the abbreviation.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month (1–12) that `word` names, ignoring ASCII case and one trailing
/// dot: a full name (`December`), a three-letter abbreviation (`Dec.`,
/// `Dec`) or AP's `Sept.`.
///
/// Being lenient about the dot costs nothing in precision (`June.` still
/// means June) and saves a table of which month takes which form.
pub fn month_from_name(word: &str) -> Option<u8> {
    let name = word.strip_suffix('.').unwrap_or(word);
    // The temporal grammar asks this of most capitalised words: the first
    // three letters, distinct for every month, find the only month the
    // name can be before the whole name is compared.
    let bytes = name.as_bytes();
    let &[a, b, c, ..] = bytes else { return None };
    let index = match &[a, b, c].map(|byte| byte.to_ascii_lowercase()) {
        b"jan" => 0,
        b"feb" => 1,
        b"mar" => 2,
        b"apr" => 3,
        b"may" => 4,
        b"jun" => 5,
        b"jul" => 6,
        b"aug" => 7,
        b"sep" => 8,
        b"oct" => 9,
        b"nov" => 10,
        b"dec" => 11,
        _ => return None,
    };
    let known = bytes.len() == 3
        || MONTHS.get(index).is_some_and(|full| full.eq_ignore_ascii_case(name))
        || (index == 8 && name.eq_ignore_ascii_case("sept"));
    known.then(|| u8::try_from(index + 1).ok()).flatten()
}

/// Whether `day` exists in `month` in at least one year, so that `Feb. 29`
/// passes when the year is unknown and `Feb. 31` never does.
pub fn is_valid_month_day(month: u8, day: u8) -> bool {
    // 2000 is a leap year: its calendar holds every month-day there is.
    (1..=12).contains(&month) && (1..=Date::days_in_month(2000, month)).contains(&day)
}

/// The date of a year-less `month`/`day`, taking the year (one before, the
/// same as, or one after `anchor`'s) that puts it closest to `anchor`; on a
/// tie, the earlier one, since news reports the past more than the future.
/// `None` when the day does not exist in that year (`Feb. 29` of 2017).
///
/// This is what makes a `Dec. 30` dateline on a story dated 2018-01-02 mean
/// 2017-12-30, and a `Jan. 2` dateline on one dated 2017-12-30 mean
/// 2018-01-02.
pub fn resolve_month_day(month: u8, day: u8, anchor: Date) -> Option<Date> {
    if !is_valid_month_day(month, day) {
        return None;
    }
    // The year is chosen with the day clamped to the month's length, so
    // that `Feb. 29` picks its year as `Feb. 28` would and is then rejected
    // if that year has no such day. Choosing among the years where it
    // exists instead would send it up to three years away from the anchor.
    let (year, _) = [-1, 0, 1]
        .into_iter()
        .filter_map(|offset| {
            let year = anchor.year() + offset;
            let candidate = Date::new(year, month, day.min(Date::days_in_month(year, month)))?;
            Some((year, (candidate.to_days() - anchor.to_days()).abs()))
        })
        .min_by_key(|&(year, distance)| (distance, year))?;
    Date::new(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn month_names_in_every_written_form() {
        for (word, month) in [
            ("January", 1),
            ("Jan.", 1),
            ("Jan", 1),
            ("Feb.", 2),
            ("March", 3),
            ("May", 5),
            ("June", 6),
            ("July", 7),
            ("Aug.", 8),
            ("Sept.", 9),
            ("Sept", 9),
            ("Sep.", 9),
            ("Sep", 9),
            ("september", 9),
            ("OCT.", 10),
            ("Nov.", 11),
            ("Dec.", 12),
            ("DECEMBER", 12),
        ] {
            assert_eq!(month_from_name(word), Some(month), "{word}");
        }
        for word in ["", ".", "De", "Dece", "Septem", "Sept..", "Mayday", "Kenya", "Déc."] {
            assert_eq!(month_from_name(word), None, "{word}");
        }
    }

    #[test]
    fn month_names_match_the_plain_search() {
        // The search this function replaced: every month, full or three
        // letters, then `sept`.
        fn plain(word: &str) -> Option<u8> {
            let name = word.strip_suffix('.').unwrap_or(word);
            let index = MONTHS
                .iter()
                .position(|full| {
                    full.eq_ignore_ascii_case(name) || full[..3].eq_ignore_ascii_case(name)
                })
                .or_else(|| name.eq_ignore_ascii_case("sept").then_some(8))?;
            u8::try_from(index + 1).ok()
        }
        let mut words = vec!["Sept".to_string(), "SEPT.".into(), "sepT".into(), "Mär".into()];
        for full in MONTHS {
            for end in 0..=full.len() + 1 {
                let part = full.get(..end).unwrap_or(full);
                for word in
                    [part.to_string(), part.to_uppercase(), format!("{part}."), format!("{part}x")]
                {
                    words.push(word);
                }
            }
        }
        words.extend(
            ["Kenya", "Mayday", "Décembre", "Ja\u{e9}", "J\u{e9}n", "Se", "octopus"]
                .map(String::from),
        );
        for word in &words {
            assert_eq!(month_from_name(word), plain(word), "{word}");
        }
    }

    #[test]
    fn month_days_exist_in_some_year() {
        assert!(is_valid_month_day(2, 29));
        assert!(is_valid_month_day(12, 31));
        assert!(!is_valid_month_day(2, 30));
        assert!(!is_valid_month_day(4, 31));
        assert!(!is_valid_month_day(1, 0));
        assert!(!is_valid_month_day(13, 1));
        assert!(!is_valid_month_day(0, 1));
    }

    #[test]
    fn the_year_is_the_one_closest_to_the_anchor() {
        let anchor = date("2017-12-10");
        assert_eq!(resolve_month_day(12, 9, anchor), Some(date("2017-12-09")));
        assert_eq!(resolve_month_day(12, 30, date("2018-01-02")), Some(date("2017-12-30")));
        assert_eq!(resolve_month_day(1, 2, date("2017-12-30")), Some(date("2018-01-02")));
        assert_eq!(resolve_month_day(7, 7, anchor), Some(date("2017-07-07")));
        assert_eq!(resolve_month_day(6, 1, anchor), Some(date("2018-06-01")));
    }

    #[test]
    fn ties_go_to_the_past() {
        // 2016 is a leap year: 2016-07-02 lies 183 days after 2016-01-01
        // and 183 days before 2017-01-01.
        assert_eq!(resolve_month_day(1, 1, date("2016-07-02")), Some(date("2016-01-01")));
        assert_eq!(resolve_month_day(1, 1, date("2016-07-03")), Some(date("2017-01-01")));
    }

    #[test]
    fn february_29_needs_a_leap_year() {
        assert_eq!(resolve_month_day(2, 29, date("2016-03-01")), Some(date("2016-02-29")));
        // The closest February is 2017's, which has no 29th; 2016's is not
        // taken instead.
        assert_eq!(resolve_month_day(2, 29, date("2017-03-01")), None);
        assert_eq!(resolve_month_day(2, 29, date("2015-12-31")), Some(date("2016-02-29")));
        assert_eq!(resolve_month_day(2, 30, date("2016-03-01")), None);
    }

    #[test]
    fn no_panic_at_the_ends_of_the_calendar() {
        assert_eq!(resolve_month_day(1, 1, date("9999-12-31")), Some(date("9999-01-01")));
        assert_eq!(
            resolve_month_day(12, 31, Date::new(-9999, 1, 1).unwrap()),
            Date::new(-9999, 12, 31)
        );
    }
}
