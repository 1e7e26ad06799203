//! The temporal extractor as a pipeline sees it: through the public API,
//! on whole documents, with exact spans and values.

use dateline::DatelineExtractor;
use document::{BuildContext, Component, Document, Extractor, Registry, Span, json};
use temporal::{TemporalExtractor, TemporalOptions};

/// `(label, start, end, text, value)` of every temporal annotation.
type Found = (String, usize, usize, String, String);

fn run(document: &mut Document) -> Vec<Found> {
    TemporalExtractor::default().extract(document).unwrap();
    document
        .annotations
        .iter()
        .filter(|annotation| ["DATE", "TIME", "DURATION", "SET"].contains(&&*annotation.label))
        .map(|annotation| {
            let span = annotation.span;
            let value = annotation.value.as_ref().and_then(|v| v.as_str()).unwrap_or("");
            let text = document.text[span.start..span.end].to_string();
            (annotation.label.clone(), span.start, span.end, text, value.to_string())
        })
        .collect()
}

/// A document of `text` written on `dct`.
fn dated(text: &str, dct: Option<&str>) -> Document {
    let mut document = Document::new("test", text);
    document.date = dct.map(|dct| dct.parse().unwrap());
    document
}

/// `(text, label, value)` of every expression of `text` written on `dct`.
fn values(text: &str, dct: Option<&str>) -> Vec<(String, String, String)> {
    let found = run(&mut dated(text, dct));
    found.into_iter().map(|(label, _, _, text, value)| (text, label, value)).collect()
}

fn expect(text: &str, dct: Option<&str>, expected: &[(&str, &str, &str)]) {
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(text, label, value)| (text.to_string(), label.to_string(), value.to_string()))
        .collect();
    assert_eq!(values(text, dct), expected, "in {text:?}");
}

fn found(label: &str, start: usize, end: usize, text: &str, value: &str) -> Found {
    (label.into(), start, end, text.into(), value.into())
}

#[test]
fn first_seed_resolves_against_the_document_date() {
    let text = include_str!("../../../../seeds/000_168fd1ce8330dd5c.txt");
    let mut document = Document::new("000", text);
    document.header = Some(Span::new(0, 68));
    document.date = Some("2017-12-10".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DATE", 98, 104, "Dec. 9", "2017-12-09"),
            found("DATE", 168, 176, "Saturday", "2017-12-09"),
            found("DATE", 206, 215, "next week", "2017-W50"),
            found("DATE", 468, 476, "Saturday", "2017-12-09"),
            found("DATE", 1045, 1054, "this year", "2017"),
            found("DATE", 1469, 1475, "Friday", "2017-12-08"),
            found("DATE", 1768, 1776, "Saturday", "2017-12-09"),
            found("DATE", 1893, 1901, "recently", "PAST_REF"),
        ]
    );
    let saturday = &document.annotations[1];
    assert_eq!(saturday.attr("anchor"), Some(&json!("2017-12-10")));
    assert_eq!(document.annotations[7].attr("anchor"), None);
}

#[test]
fn second_seed_without_a_date_stays_underspecified() {
    let text = include_str!("../../../../seeds/004_19210f1ef9f6238c.txt");
    let mut document = Document::new("004", text);
    DatelineExtractor::default().extract(&mut document).unwrap();
    assert_eq!(
        run(&mut document),
        [
            found("DATE", 9, 15, "July 7", "XXXX-07-07"),
            found("DATE", 77, 85, "Saturday", "XXXX-WXX-6"),
            found("DATE", 740, 748, "recently", "PAST_REF"),
            found("DATE", 1251, 1266, "a few years ago", "PAST_REF"),
            found("DATE", 1808, 1812, "2011", "2011"),
            found("DATE", 1977, 1981, "2008", "2008"),
        ]
    );
}

#[test]
fn the_dateline_date_is_the_creation_time_when_the_document_has_none() {
    let mut document =
        Document::new("d", "TRIPOLI, Dec. 9, 2017 (Xinhua) -- Minniti said on Saturday that …");
    DatelineExtractor::default().extract(&mut document).unwrap();
    let annotations = run(&mut document);
    assert_eq!(annotations[1], found("DATE", 50, 58, "Saturday", "2017-12-09"));
    // Off, the date of the dateline is not used.
    let options = TemporalOptions { dateline_dct: false };
    let extractor = TemporalExtractor::build(options, &BuildContext::new(".", "t")).unwrap();
    let mut document = Document::new("d", "TRIPOLI, Dec. 9, 2017 (Xinhua) -- said on Saturday.");
    DatelineExtractor::default().extract(&mut document).unwrap();
    extractor.extract(&mut document).unwrap();
    let saturday = document.annotations.iter().find(|a| a.label == "DATE" && a.span.start > 30);
    assert_eq!(saturday.and_then(|a| a.value.clone()), Some(json!("XXXX-WXX-6")));
}

#[test]
fn explicit_dates() {
    let dct = Some("2017-12-10");
    expect(
        "On Dec. 9, on December 9, 2017, on 9 December 2017, on the 9th of December.",
        dct,
        &[
            ("Dec. 9", "DATE", "2017-12-09"),
            ("December 9, 2017", "DATE", "2017-12-09"),
            ("9 December 2017", "DATE", "2017-12-09"),
            ("the 9th of December", "DATE", "2017-12-09"),
        ],
    );
    // ISO order is unambiguous; slashes are month first, as American copy
    // writes them, unless the first number cannot be a month.
    expect(
        "Filed 2017-12-10, signed 12/10/2017 and 25/12/2017, printed 1/2/98.",
        dct,
        &[
            ("2017-12-10", "DATE", "2017-12-10"),
            ("12/10/2017", "DATE", "2017-12-10"),
            ("25/12/2017", "DATE", "2017-12-25"),
            ("1/2/98", "DATE", "1998-01-02"),
        ],
    );
    expect(
        "In July 2018, in 2008, in the 1990s, since the mid-1990s, after the 2011 uprising.",
        dct,
        &[
            ("July 2018", "DATE", "2018-07"),
            ("2008", "DATE", "2008"),
            ("the 1990s", "DATE", "199"),
            ("the mid-1990s", "DATE", "199"),
            ("2011", "DATE", "2011"),
        ],
    );
    expect(
        "Results for the first quarter of 2019, the third quarter and fiscal 2019.",
        dct,
        &[
            ("the first quarter of 2019", "DATE", "2019-Q1"),
            ("the third quarter", "DATE", "2017-Q3"),
            ("fiscal 2019", "DATE", "2019"),
        ],
    );
}

#[test]
fn earnings_periods() {
    // A year-ago period means the quarter last named, a year back.
    expect(
        "Net rose in the third quarter from a year earlier; the year-ago quarter and \
         this year's second quarter; in the 1988 period.",
        Some("1989-10-25"),
        &[
            ("the third quarter", "DATE", "1989-Q3"),
            ("a year earlier", "DATE", "1988-Q3"),
            ("the year-ago quarter", "DATE", "1988-Q3"),
            ("this year's second quarter", "DATE", "1989-Q2"),
            ("the 1988 period", "DATE", "1988-Q2"),
        ],
    );
    expect("A year earlier it fell.", Some("1989-10-25"), &[("A year earlier", "DATE", "1988")]);
}

#[test]
fn attached_words() {
    let dct = Some("2017-12-10");
    expect("It closed at noon Thursday.", dct, &[("noon Thursday", "TIME", "2017-12-07T12:00")]);
    expect(
        "Sometime next year, right now, last Thanksgiving, for years.",
        dct,
        &[
            ("Sometime next year", "DATE", "2018"),
            ("right now", "DATE", "PRESENT_REF"),
            ("last Thanksgiving", "DATE", "2017-11-23"),
            ("years", "DURATION", "PXY"),
        ],
    );
}

#[test]
fn transcript_forms() {
    expect(
        "In January nineteen ninety-seven, the year two thousand, a five year low, a three hour \
         meeting, two thousand people.",
        Some("1998-02-27"),
        &[
            ("January nineteen ninety-seven", "DATE", "1997-01"),
            ("the year two thousand", "DATE", "2000"),
            ("five year", "DURATION", "P5Y"),
            ("three hour", "DURATION", "PT3H"),
        ],
    );
}

#[test]
fn modifiers_go_to_attrs() {
    let mut document = Document::new("d", "Prices rose in early 2008 and late last year.");
    document.date = "2017-12-10".parse().ok();
    TemporalExtractor::default().extract(&mut document).unwrap();
    let found: Vec<(&str, Option<&str>)> = document
        .annotations
        .iter()
        .map(|a| (document.slice(a.span), a.attr("mod").and_then(|m| m.as_str())))
        .collect();
    assert_eq!(found, [("early 2008", Some("START")), ("late last year", Some("END"))]);
}

#[test]
fn years_that_are_counts_are_not_dates() {
    expect("About 2000 people and 1999 troops came; 2,008 units; $2008.", None, &[]);
    expect("The 2008.5 figure", None, &[]);
    expect("He left in 2008.", None, &[("2008", "DATE", "2008")]);
}

#[test]
fn weekdays_follow_the_tense() {
    // 2017-12-10 is a Sunday.
    let dct = Some("2017-12-10");
    expect("He said on Saturday that …", dct, &[("Saturday", "DATE", "2017-12-09")]);
    expect("They will meet on Saturday.", dct, &[("Saturday", "DATE", "2017-12-16")]);
    expect("It was calm on Sunday.", dct, &[("Sunday", "DATE", "2017-12-10")]);
    expect(
        "Last Friday, next Friday and this Friday; Saturday night.",
        dct,
        &[
            ("Last Friday", "DATE", "2017-12-08"),
            ("next Friday", "DATE", "2017-12-15"),
            ("this Friday", "DATE", "2017-12-08"),
            // The corpus's convention for a weekday's night (round
            // timex-values): the day itself.
            ("Saturday night", "DATE", "2017-12-09"),
        ],
    );
    expect("It happened on Saturday.", None, &[("Saturday", "DATE", "XXXX-WXX-6")]);
}

#[test]
fn relative_dates() {
    let dct = Some("2017-12-10");
    expect(
        "Yesterday, today, tonight, tomorrow morning, last night.",
        dct,
        &[
            ("Yesterday", "DATE", "2017-12-09"),
            ("today", "DATE", "2017-12-10"),
            ("tonight", "TIME", "2017-12-10TNI"),
            ("tomorrow morning", "TIME", "2017-12-11TMO"),
            ("last night", "TIME", "2017-12-09TNI"),
        ],
    );
    expect(
        "Last week, next week, this year, last month, earlier this month, next year.",
        dct,
        &[
            ("Last week", "DATE", "2017-W48"),
            ("next week", "DATE", "2017-W50"),
            ("this year", "DATE", "2017"),
            ("last month", "DATE", "2017-11"),
            ("earlier this month", "DATE", "2017-12"),
            ("next year", "DATE", "2018"),
        ],
    );
    expect(
        "He left two days ago and will return in three weeks; a year ago it fell.",
        dct,
        &[
            ("two days ago", "DATE", "2017-12-08"),
            ("three weeks", "DATE", "2017-W52"),
            ("a year ago", "DATE", "2016"),
        ],
    );
    expect(
        "Now currently, recently, in the future, in the near term, these days, in the past that.",
        dct,
        &[
            ("Now", "DATE", "PRESENT_REF"),
            ("currently", "DATE", "PRESENT_REF"),
            ("recently", "DATE", "PAST_REF"),
            ("the future", "DATE", "FUTURE_REF"),
            ("the near term", "DATE", "FUTURE_REF"),
            ("these days", "DATE", "PRESENT_REF"),
            ("the past", "DATE", "PAST_REF"),
        ],
    );
    expect(
        "In the summer, last summer, at Christmas, on Thanksgiving.",
        dct,
        &[
            ("the summer", "DATE", "2017-SU"),
            ("last summer", "DATE", "2017-SU"),
            ("Christmas", "DATE", "2017-12-25"),
            ("Thanksgiving", "DATE", "2017-11-23"),
        ],
    );
}

#[test]
fn year_less_dates_step_back_in_past_reports() {
    // A past-tense report of `Dec. 28` written on Jan. 3 means last year.
    expect("Talks ended on Dec. 28.", Some("2018-01-03"), &[("Dec. 28", "DATE", "2017-12-28")]);
    expect("Talks will start on Jan. 8.", Some("2017-12-20"), &[("Jan. 8", "DATE", "2018-01-08")]);
    expect("It was signed on July 7.", Some("2017-12-10"), &[("July 7", "DATE", "2017-07-07")]);
    expect("It was signed on July 7.", None, &[("July 7", "DATE", "XXXX-07-07")]);
}

#[test]
fn durations_and_sets() {
    let dct = Some("2017-12-10");
    expect(
        "For the past six months, three years, a few years, twenty-five years and a 10-day trip.",
        dct,
        &[
            ("the past six months", "DURATION", "P6M"),
            ("three years", "DURATION", "P3Y"),
            ("a few years", "DURATION", "PXY"),
            ("twenty-five years", "DURATION", "P25Y"),
            ("10-day", "DURATION", "P10D"),
        ],
    );
    expect("A five-year-old boy, 10 years old.", dct, &[]);
    expect(
        "It runs every year, weekly, daily and every Sunday.",
        dct,
        &[
            ("every year", "SET", "P1Y"),
            ("weekly", "SET", "P1W"),
            ("daily", "SET", "P1D"),
            ("every Sunday", "SET", "XXXX-WXX-7"),
        ],
    );
}

#[test]
fn clock_times() {
    expect(
        "At 10:30 a.m. local time, at 05:57:50 and at 3 p.m. EST, at noon.",
        Some("2017-12-10"),
        &[
            ("10:30 a.m. local time", "TIME", "2017-12-10T10:30"),
            ("05:57:50", "TIME", "2017-12-10T05:57:50"),
            ("3 p.m. EST", "TIME", "2017-12-10T15:00"),
            ("noon", "TIME", "2017-12-10T12:00"),
        ],
    );
    expect("The score was 10:30 in the end", None, &[("10:30", "TIME", "XXXX-XX-XXT10:30")]);
    // A day right after the time is part of it.
    expect(
        "Talks will resume at 9 a.m. Tuesday.",
        Some("2000-04-03"),
        &[("9 a.m. Tuesday", "TIME", "2000-04-04T09:00")],
    );
}

#[test]
fn words_that_are_not_times() {
    expect("She may march in the spring-loaded fall; March Hare laughed.", None, &[]);
    expect("The Sun and Wed go; Sat down.", None, &[]);
}

#[test]
fn builds_through_the_registry() {
    let mut registry = Registry::new();
    registry.add_extractor::<TemporalExtractor>();
    let kind = registry.extractor("temporal").unwrap();
    let context = BuildContext::new(".", "temporal");
    let options = json!({"dateline_dct": false}).as_object().cloned().unwrap_or_default();
    assert!(kind.build(options, &context).is_ok());
    let options = json!({"dateline_dc": true}).as_object().cloned().unwrap_or_default();
    let errors = kind.build(options, &context).err().unwrap();
    let error = format!("{errors:?}");
    assert!(error.contains("dateline_dct"), "{error}");
}

/// Random glue of time words, digits, punctuation and multi-byte
/// characters: nothing may panic, and every span must slice the text.
#[test]
fn never_panics_on_odd_input() {
    let pieces = [
        "Dec.",
        " ",
        "9",
        ",",
        "2017",
        "-",
        "/",
        ":",
        "a.m.",
        "p",
        ".",
        "m",
        "the",
        "past",
        "last",
        "next",
        "week",
        "Saturday",
        "night",
        "é",
        "日本",
        "\n",
        "ago",
        "two",
        "twenty",
        "-five",
        "years",
        "every",
        "early",
        "mid",
        "'",
        "s",
        "1990s",
        "quarter",
        "first",
        "of",
        "fiscal",
        "Christmas",
        "New",
        "Year",
        "Day",
        "12",
        "31",
        "99",
        "0",
        "00:",
        "in",
        "will",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..(state % 12) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        for dct in [None, Some("2017-12-10"), Some("0001-01-01"), Some("9999-12-31")] {
            let mut document = Document::new("f", text.clone());
            document.date = dct.map(|dct| dct.parse().unwrap());
            TemporalExtractor::default().extract(&mut document).unwrap();
            for annotation in &document.annotations {
                assert!(document.text.get(annotation.span.start..annotation.span.end).is_some());
            }
        }
    }
}

/// `until Tuesday`, `as early as Tuesday`: a deadline or a date to come;
/// `up until`, `not until` and a sentence opening with `Until` look back.
#[test]
fn until_and_as_soon_as_point_to_a_coming_weekday() {
    let text = "The relatives have until 9 a.m. Tuesday to sign. He could come as early as Tuesday. Up until Thursday, they had said nothing. It was not until Friday that he spoke.";
    let mut document = Document::new("t", text);
    document.date = Some("2000-04-03".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("TIME", 25, 39, "9 a.m. Tuesday", "2000-04-04T09:00"),
            found("DATE", 75, 82, "Tuesday", "2000-04-04"),
            found("DATE", 93, 101, "Thursday", "2000-03-30"),
            found("DATE", 143, 149, "Friday", "2000-03-31"),
        ]
    );
}

/// `recent months` is the unspecified stretch up to now; `recent years`
/// stays the past in general.
#[test]
fn recent_months_weeks_and_days_are_unspecified_stretches() {
    let text = "In recent months lenders left. In recent weeks sources said so. Prices rose in recent days. Growth soared in recent years.";
    let mut document = Document::new("t", text);
    document.date = Some("1989-10-30".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DURATION", 3, 16, "recent months", "PXM"),
            found("DURATION", 34, 46, "recent weeks", "PXW"),
            found("DURATION", 79, 90, "recent days", "PXD"),
            found("DATE", 109, 121, "recent years", "PAST_REF"),
        ]
    );
}

/// `a high for the year` is the DCT's year; `the year ended Sept. 30` the
/// twelve months of a report.
#[test]
fn the_year_is_the_current_year_unless_a_report_period() {
    let text = "Shares hit a high for the year in June. Net rose for the year ended Sept. 30. It aims to cut costs by the end of the year.";
    let mut document = Document::new("t", text);
    document.date = Some("1989-10-30".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DATE", 22, 30, "the year", "1989"),
            found("DATE", 34, 38, "June", "1989-06"),
            found("DURATION", 53, 61, "the year", "P1Y"),
            found("DATE", 68, 76, "Sept. 30", "1989-09-30"),
            found("DATE", 102, 121, "the end of the year", "1989"),
        ]
    );
}

/// Halves: `2 1/2 years`, `a minute and a half`, `two and a half years`.
#[test]
fn half_units_in_durations() {
    let text = "They lived in camps for 2 1/2 years. She spent about 5 1/2 hours there. But a minute and a half later, a pilot called. It took two and a half years.";
    let mut document = Document::new("t", text);
    document.date = Some("1998-01-14".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DURATION", 24, 35, "2 1/2 years", "P2Y6M"),
            found("DURATION", 47, 64, "about 5 1/2 hours", "PT5H30M"),
            found("DURATION", 76, 95, "a minute and a half", "PT1M30S"),
            found("DURATION", 127, 147, "two and a half years", "P2Y6M"),
        ]
    );
}

/// `supposed to`, `planning`, `likely`, `intends` look ahead like `will`.
#[test]
fn supposed_and_planning_mark_a_time_to_come() {
    let text = "The talks are supposed to conclude by May, officials said. They can take part in planning for the summit in April, he said.";
    let mut document = Document::new("t", text);
    document.date = Some("1998-12-05".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [found("DATE", 38, 41, "May", "1999-05"), found("DATE", 108, 113, "April", "1999-04"),]
    );
}

/// `the past year` is the calendar year before the DCT, like `last year`;
/// `the past decade` and `the past day` stay lengths.
#[test]
fn the_past_year_is_the_year_before() {
    let text = "Hate groups grew over the past year. The plant will close over the next year. Wages fell in the past decade. Sales rose in the past day.";
    let mut document = Document::new("t", text);
    document.date = Some("1998-03-03".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DATE", 22, 35, "the past year", "1997"),
            found("DATE", 63, 76, "the next year", "1999"),
            found("DURATION", 92, 107, "the past decade", "P10Y"),
            found("DURATION", 123, 135, "the past day", "P1D"),
        ]
    );
}

/// `the full year`, `the current fiscal year`: the DCT's year; `the latest
/// fiscal year` the one before; `by year-end` the DCT's year (mod END),
/// `year-end bonuses` nothing.
#[test]
fn full_and_fiscal_years_and_year_end() {
    let text = "Sales for the full year rose. It expects sales in the current fiscal year to grow. Provigo sold less in the latest fiscal year. In the fiscal year ended Jan. 31, it lost money. It will close the deal by year-end. Cuts come by year's end. Staff got year-end bonuses.";
    let mut document = Document::new("t", text);
    document.date = Some("1989-11-02".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DATE", 10, 23, "the full year", "1989"),
            found("DATE", 50, 73, "the current fiscal year", "1989"),
            found("DATE", 104, 126, "the latest fiscal year", "1988"),
            found("DURATION", 131, 146, "the fiscal year", "P1Y"),
            found("DATE", 153, 160, "Jan. 31", "1989-01-31"),
            found("DATE", 203, 211, "year-end", "1989"),
            found("DATE", 226, 236, "year's end", "1989"),
        ]
    );
}

/// `a couple of years` is two; `two more weeks`, `an additional year` are
/// lengths; ordinal centuries and spelled decades are dates.
#[test]
fn couples_additional_units_centuries_and_spelled_decades() {
    let text = "It will not change for a couple of years. Over the next couple of years sales grow. He stays for two more weeks and an additional year. Angkor Wat is an 11th century temple. She is a 20th century democrat. Groups fell through the nineties.";
    let mut document = Document::new("t", text);
    document.date = Some("1998-02-19".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DURATION", 23, 40, "a couple of years", "P2Y"),
            found("DURATION", 47, 71, "the next couple of years", "P2Y"),
            found("DURATION", 97, 111, "two more weeks", "P2W"),
            found("DURATION", 116, 134, "an additional year", "P1Y"),
            found("DATE", 153, 165, "11th century", "10"),
            found("DATE", 183, 195, "20th century", "19"),
            found("DATE", 226, 238, "the nineties", "199"),
        ]
    );
}

/// `a second betrayal` is the ordinal; `for a second and` a length.
#[test]
fn a_second_before_a_noun_is_an_ordinal() {
    let text =
        "It will be a second betrayal. A second group sold. He paused for a second and left.";
    let mut document = Document::new("t", text);
    document.date = Some("1998-02-19".parse().unwrap());
    assert_eq!(run(&mut document), [found("DURATION", 65, 73, "a second", "PT1S"),]);
}

/// `mid-afternoon yesterday`, `early morning yesterday`: parts of a day;
/// `the early morning` and `late-night` before a noun are left alone.
#[test]
fn mid_afternoon_and_early_morning_are_parts_of_a_day() {
    let text = "In London at mid-afternoon yesterday, shares rose. By mid afternoon, sources said so. He left early morning yesterday, in the early morning mist. They watched late-night television.";
    let mut document = Document::new("t", text);
    document.date = Some("1989-11-02".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("TIME", 13, 36, "mid-afternoon yesterday", "1989-11-01TAF"),
            found("TIME", 54, 67, "mid afternoon", "1989-11-02TAF"),
            found("TIME", 94, 117, "early morning yesterday", "1989-11-01TMO"),
        ]
    );
}

/// `that year`, `the following year`: the last year named (and the next);
/// `That year's` is left alone.
#[test]
fn that_year_and_the_following_year_follow_the_last_year_named() {
    let text = "He fled in June 1998 and returned later that year. In 1995 he was promoted, and the following year he left. That year's crop failed.";
    let mut document = Document::new("t", text);
    document.date = Some("2000-01-28".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DATE", 11, 20, "June 1998", "1998-06"),
            found("DATE", 34, 49, "later that year", "1998"),
            found("DATE", 54, 58, "1995", "1995"),
            found("DATE", 80, 98, "the following year", "1996"),
        ]
    );
}

#[test]
fn plans_seen_from_the_past_and_infinitive_futures() {
    // 1989-10-30 is a Monday, 1989-10-27 a Friday.
    expect(
        "The offer had been due to expire Friday evening.",
        Some("1989-10-30"),
        &[("Friday evening", "TIME", "1989-10-27TEV")],
    );
    expect(
        "It previously had been scheduled to expire Friday.",
        Some("1989-10-30"),
        &[("Friday", "DATE", "1989-10-27")],
    );
    expect(
        "The stock is to resume trading in Paris Tuesday.",
        Some("1989-10-27"),
        &[("Tuesday", "DATE", "1989-10-31")],
    );
    expect(
        "The talks, set to resume Monday in Belfast.",
        Some("1998-03-22"),
        &[("Monday", "DATE", "1998-03-23")],
    );
}

#[test]
fn a_bare_month_in_a_future_clause_is_the_next_one() {
    // In March the closest December is the last one; `will` says the next.
    expect(
        "She will command a mission in December.",
        Some("1998-03-04"),
        &[("December", "DATE", "1998-12")],
    );
    expect(
        "She flew a mission in December.",
        Some("1998-03-04"),
        &[("December", "DATE", "1997-12")],
    );
    expect(
        "Analysts expect the trend to continue into January.",
        Some("1989-10-26"),
        &[("January", "DATE", "1990-01")],
    );
}

#[test]
fn year_ago_periods_count_from_the_reported_quarter() {
    // A forecast quarter (`the fourth quarter`, `the third quarter of
    // 1990`) or a past one (`the 1988 period`) is not the period compared.
    expect(
        "Net fell in the third quarter. Analysts expect the trend to continue into the fourth \
         quarter and the third quarter of 1990. In the year-ago period, it earned $1. In the 1988 \
         period, it lost money; the year-ago results included a charge.",
        Some("1989-10-26"),
        &[
            ("the third quarter", "DATE", "1989-Q3"),
            ("the fourth quarter", "DATE", "1989-Q4"),
            ("the third quarter of 1990", "DATE", "1990-Q3"),
            ("the year-ago period", "DATE", "1988-Q3"),
            ("the 1988 period", "DATE", "1988-Q3"),
            ("year-ago", "DATE", "1988-Q3"),
        ],
    );
    // A fiscal quarter that ended in the DCT's quarter is compared too.
    expect(
        "Earnings for the fourth quarter ended Sept. 30 fell from a year earlier.",
        Some("1989-11-02"),
        &[
            ("the fourth quarter", "DATE", "1989-Q4"),
            ("Sept. 30", "DATE", "1989-09-30"),
            ("a year earlier", "DATE", "1988-Q4"),
        ],
    );
}

#[test]
fn rates_are_not_sets() {
    let dct = Some("1989-10-30");
    expect("The average daily volume rose; sales rise 8.5% annually.", dct, &[]);
    expect("It makes 10,000 units annually.", dct, &[]);
    expect(
        "Dividends of $17.9 million annually; rallies held daily.",
        dct,
        &[("annually", "SET", "P1Y"), ("daily", "SET", "P1D")],
    );
}

#[test]
fn then_current_since_and_plans_read_after_the_day() {
    let dct = Some("2000-01-07"); // a Friday
    expect(
        "Holders may buy shares at half the then current market price.",
        dct,
        &[("then current", "DATE", "PAST_REF")],
    );
    // `since` has begun: the last March, though a future marker follows.
    expect(
        "The carrier has been on patrol since March and was scheduled to return.",
        Some("1990-08-13"),
        &[("March", "DATE", "1990-03")],
    );
    expect(
        "Protesters marched on Saturday and were planning to drive around on Monday.",
        dct,
        &[("Saturday", "DATE", "2000-01-01"), ("Monday", "DATE", "2000-01-10")],
    );
}

#[test]
fn a_weekday_after_a_parenthesis_dates_the_clock_time() {
    expect(
        "The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building.",
        Some("1998-08-08"),
        &[("10:35 a.m.", "TIME", "1998-08-07T10:35"), ("Friday", "DATE", "1998-08-07")],
    );
}

#[test]
fn capitalised_time_words_inside_a_sentence_are_titles() {
    let dct = Some("1991-02-25");
    expect(
        "Baker said on ABC-TV's \"This Week With David Brinkley\" that the talks failed.",
        dct,
        &[],
    );
    expect("He said on CBS's ''60 Minutes'' that it was wrong.", dct, &[]);
    expect("It was the film ``High Noon.'' This is VOA Today.", dct, &[]);
    expect("They held ``Spring of Life'' rallies.", dct, &[]);
    // At the start of a sentence, after a quote, and in holidays the
    // capital says nothing.
    expect(
        "Today the talks ended. \"This week we vote,\" he said on Thanksgiving Day.",
        dct,
        &[
            ("Today", "DATE", "1991-02-25"),
            ("This week", "DATE", "1991-W09"),
            ("Thanksgiving Day", "DATE", "1990-11-22"),
        ],
    );
}

#[test]
fn amounts_per_period_are_rates() {
    let dct = Some("1989-10-27");
    expect("It saves $2 million a year, adds 700 seats a week and 358,000 jobs a month.", dct, &[]);
    // A shift after an amount stays a date; a plain length stays.
    expect(
        "Net was $3 million a year earlier. It lasted a year.",
        dct,
        &[("a year earlier", "DATE", "1988"), ("a year", "DURATION", "P1Y")],
    );
}

#[test]
fn or_so_and_vague_shifts() {
    let dct = Some("1991-02-25");
    let mut document =
        Document::new("t", "Then, a week or so ago, he picked a plan for the next year or so.");
    document.date = Some("1991-02-25".parse().unwrap());
    assert_eq!(
        run(&mut document),
        [
            found("DATE", 6, 22, "a week or so ago", "1991-W08"),
            found("DATE", 45, 64, "the next year or so", "1992"),
        ]
    );
    assert_eq!(document.annotations[0].attr("mod"), Some(&json!("APPROX")));
    assert_eq!(document.annotations[1].attr("mod"), Some(&json!("APPROX")));
    // `a few days later`: the length, `later` outside, as for `two days later`.
    expect(
        "A few days later, the firm announced losses.",
        dct,
        &[("A few days", "DURATION", "PXD")],
    );
}

#[test]
fn named_periods_of_a_year_and_weeks_of_a_day() {
    let dct = Some("1989-10-26");
    expect(
        "Earnings for the last half of 1989 fell; the year-earlier nine months rose.",
        dct,
        &[
            ("the last half of 1989", "DATE", "1989-H2"),
            ("the year-earlier nine months", "DURATION", "P9M"),
        ],
    );
    expect(
        "He met them in the week of March 6 and in the winter of nineteen ninety-four.",
        Some("2000-02-24"),
        &[
            ("the week of March 6", "DATE", "2000-W10"),
            ("the winter of nineteen ninety-four", "DATE", "1994-WI"),
        ],
    );
    expect("It rose in the summer.", dct, &[("the summer", "DATE", "1989-SU")]);
    // A lower-case month name after `this` is a noun (`this march`).
    expect("He joined this march in Washington.", dct, &[]);
    expect(
        "The debate came before Election Day.",
        Some("1998-10-26"),
        &[("Election Day", "DATE", "1998-11-03")],
    );
}

#[test]
fn a_participle_after_a_determiner_is_not_a_past_tense() {
    // `unspecified` is an adjective: `would` gives the tense.
    expect(
        "It would be paid on a still unspecified date in January to holders.",
        Some("1989-10-26"),
        &[("January", "DATE", "1990-01")],
    );
}

#[test]
fn earlier_and_later_stay_inside_with_their_modifier() {
    let mut document = Document::new(
        "t",
        "Earlier yesterday prices fell. Later yesterday they rose. He returned later that year.",
    );
    document.date = Some("1989-10-27".parse().unwrap());
    let found = run(&mut document);
    assert_eq!(
        found,
        [
            ("DATE".into(), 0, 17, "Earlier yesterday".into(), "1989-10-26".into()),
            ("DATE".into(), 31, 46, "Later yesterday".into(), "1989-10-26".into()),
            ("DATE".into(), 70, 85, "later that year".into(), "1989".into()),
        ]
    );
    assert_eq!(document.annotations[0].attr("mod"), Some(&json!("START")));
    assert_eq!(document.annotations[1].attr("mod"), Some(&json!("END")));
}

#[test]
fn every_month_is_a_set() {
    expect(
        "Orangemen march each July through the town.",
        Some("1998-03-22"),
        &[("each July", "SET", "XXXX-07")],
    );
}

#[test]
fn idioms_of_unknown_length_and_fractions() {
    let dct = Some("1989-10-26");
    expect(
        "Sales grew for the first time in years and will fall in the weeks ahead.",
        dct,
        &[("years", "DURATION", "PXY"), ("the weeks ahead", "DURATION", "PXW")],
    );
    expect("It will sell bonds at a later date.", dct, &[("a later date", "DATE", "FUTURE_REF")]);
    // `a quarter of the market` is a share; `a quarter` alone a length.
    expect("Funds hold more than a quarter of the market.", dct, &[]);
    expect(
        "Funds held it for more than a quarter.",
        dct,
        &[("more than a quarter", "DURATION", "P1Q")],
    );
}

#[test]
fn one_day_to_come_and_the_weeks_possessive() {
    let dct = Some("1989-10-30");
    expect(
        "Islam will one day be the second religion. He had been in the job one day.",
        dct,
        &[("one day", "DATE", "FUTURE_REF"), ("one day", "DURATION", "P1D")],
    );
    expect("It was the week's most active session.", dct, &[("the week", "DATE", "1989-W44")]);
}

#[test]
fn a_headline_in_capitals_is_not_a_title() {
    expect(
        "Talks to RESUME NEXT WEEK in Geneva.",
        Some("1991-02-25"),
        &[("NEXT WEEK", "DATE", "1991-W10")],
    );
}

#[test]
fn an_unknown_number_of_decades_or_centuries() {
    let dct = Some("1998-02-27");
    expect(
        "Ukraine was ruled from Moscow for centuries. For decades, the two were apart.",
        dct,
        &[("centuries", "DURATION", "PXC"), ("decades", "DURATION", "PXY")],
    );
    // A counted one is still counted in years.
    expect("It took two decades.", dct, &[("two decades", "DURATION", "P20Y")]);
}

#[test]
fn a_year_earlier_after_nine_months_is_the_year() {
    let text = "Net rose in the third quarter from a year earlier. \
                For the first nine months, net rose 5% from a year earlier. \
                In the quarter, sales rose from a year ago.";
    expect(
        text,
        Some("1989-10-26"),
        &[
            ("the third quarter", "DATE", "1989-Q3"),
            ("a year earlier", "DATE", "1988-Q3"),
            ("the first nine months", "DURATION", "P9M"),
            ("a year earlier", "DATE", "1988"),
            ("the quarter", "DATE", "1989-Q3"),
            ("a year ago", "DATE", "1988-Q3"),
        ],
    );
}

#[test]
fn the_period_a_year_before_is_one_expression() {
    let text = "Columbia lost $226 million in the third quarter. For the quarter a year ago, \
                it earned $16 million. It lost $1.8 million for the corresponding period last \
                year and $2 million in the same quarter a year earlier.";
    let mut document = Document::new("test", text);
    document.date = Some("1989-10-26".parse().unwrap());
    let start = |needle: &str| text.find(needle).unwrap();
    assert_eq!(
        run(&mut document),
        [
            found("DATE", 30, 47, "the third quarter", "1989-Q3"),
            found("DATE", 53, 75, "the quarter a year ago", "1988-Q3"),
            {
                let at = start("the corresponding");
                found("DATE", at, at + 34, "the corresponding period last year", "1988-Q3")
            },
            {
                let at = start("the same quarter");
                found("DATE", at, at + 31, "the same quarter a year earlier", "1988-Q3")
            },
        ]
    );
}

#[test]
fn decades_written_with_an_apostrophe() {
    let found = temporal::find_timexes(
        "the trend of the last half of the '80s and of the '70s",
        Span::new(0, 54),
        Some("1989-10-26".parse().unwrap()),
    );
    let found: Vec<(&str, &str, Option<&str>)> = found
        .iter()
        .map(|timex| {
            let text = &"the trend of the last half of the '80s and of the '70s"
                [timex.span.start..timex.span.end];
            (text, timex.value.as_str(), timex.modifier)
        })
        .collect();
    assert_eq!(
        found,
        [("the last half of the '80s", "198", Some("END")), ("the '70s", "197", None)]
    );
}

#[test]
fn the_previous_weekday_is_the_one_before_the_last() {
    // 1989-10-30 is a Monday: last Friday is Oct. 27, the previous one Oct. 20.
    expect(
        "Shares closed at 2082.1 last Friday, down 4.5% from the previous Friday.",
        Some("1989-10-30"),
        &[("last Friday", "DATE", "1989-10-27"), ("the previous Friday", "DATE", "1989-10-20")],
    );
}

#[test]
fn the_future_of_something_and_the_foreseeable_future_are_not_times() {
    let dct = Some("1998-02-27");
    expect(
        "Ukraine would remain neutral for the foreseeable future. It is important to the \
         future of our peoples.",
        dct,
        &[],
    );
    expect(
        "It may change in the future and in the near future.",
        dct,
        &[("the future", "DATE", "FUTURE_REF"), ("the near future", "DATE", "FUTURE_REF")],
    );
}

#[test]
fn the_year_earlier_period_after_nine_months_is_as_long() {
    expect(
        "For the first nine months, net was $77 million. In the year-earlier period, the \
         company had net of $70 million.",
        Some("1989-10-27"),
        &[
            ("the first nine months", "DURATION", "P9M"),
            ("the year-earlier period", "DURATION", "P9M"),
        ],
    );
}

#[test]
fn the_following_month_is_after_the_month_last_named() {
    expect(
        "In March, holders urged a sale. The following month, the company put itself up for sale.",
        Some("1989-10-27"),
        &[("March", "DATE", "1989-03"), ("The following month", "DATE", "1989-04")],
    );
}

#[test]
fn times_with_their_day_and_idioms_of_time() {
    let dct = Some("1989-10-30");
    expect(
        "The offer runs until 5 p.m. EST, Nov. 6. Talks resume later this afternoon.",
        dct,
        &[
            ("5 p.m. EST, Nov. 6", "TIME", "1989-11-06T17:00"),
            ("later this afternoon", "TIME", "1989-10-30TAF"),
        ],
    );
    expect(
        "For the people of Poland, high noon comes today.",
        dct,
        &[("today", "DATE", "1989-10-30")],
    );
    expect(
        "Loss carry-forwards will cut tax payments in future quarters.",
        dct,
        &[("future quarters", "DATE", "FUTURE_REF")],
    );
}

#[test]
fn the_quarter_is_the_fiscal_quarter_the_report_named() {
    // A fiscal first quarter reported in October: `the quarter` and `the
    // 1988 period` are that quarter, not the calendar one just ended.
    expect(
        "Sun earned $5.2 million in the fiscal first quarter. Sun shipped 28,000 systems in \
         the quarter. In the 1988 period, the company earned $20.6 million.",
        Some("1989-10-26"),
        &[
            ("the fiscal first quarter", "DATE", "1989-Q1"),
            ("the quarter", "DATE", "1989-Q1"),
            ("the 1988 period", "DATE", "1988-Q1"),
        ],
    );
    // The current quarter has not ended: `the latest quarter` is still the
    // last one to have ended.
    expect(
        "There is no estimate of the impact on fourth-quarter results. In the latest quarter, \
         Aetna had a loss.",
        Some("1989-10-30"),
        &[("fourth-quarter", "DATE", "1989-Q4"), ("the latest quarter", "DATE", "1989-Q3")],
    );
}

#[test]
fn per_unit_after_a_count_and_round_the_clock_are_rates() {
    let dct = Some("1989-10-27");
    expect("The chip runs 15 million instructions per second.", dct, &[]);
    expect("Guards will stand outside every clinic, 24 hours a day.", dct, &[]);
    // Without the rate the length stays.
    expect("The vigil lasted 24 hours.", dct, &[("24 hours", "DURATION", "PT24H")]);
}

#[test]
fn the_comparable_year_ago_quarter_is_one_expression() {
    expect(
        "Net fell in the third quarter. In the comparable year-ago quarter, it lost $12 million.",
        Some("1989-10-27"),
        &[
            ("the third quarter", "DATE", "1989-Q3"),
            ("the comparable year-ago quarter", "DATE", "1988-Q3"),
        ],
    );
}

#[test]
fn the_day_before_a_named_day() {
    expect(
        "The day before last Tuesday's hearing, he went home. He left the day after tomorrow's \
         vote was set, the day after his death.",
        Some("2000-02-24"),
        &[
            ("day before last Tuesday", "DATE", "2000-02-21"),
            ("day after tomorrow", "DATE", "2000-02-26"),
        ],
    );
}

#[test]
fn weekdays_with_a_plural_part_of_the_day_are_sets() {
    expect(
        "Two new flights will leave Bombay on Monday and Tuesday nights from March 30.",
        Some("1998-02-13"),
        &[
            ("Monday", "SET", "XXXX-WXX-1TNI"),
            ("Tuesday nights", "SET", "XXXX-WXX-2TNI"),
            ("March 30", "DATE", "1998-03-30"),
        ],
    );
}

#[test]
fn for_a_while_is_a_stretch_of_unknown_length() {
    expect(
        "They will have to live without power for a while. It was a while ago.",
        Some("1998-01-11"),
        &[("a while", "DURATION", "PXX")],
    );
}

#[test]
fn a_holiday_week_is_the_week_of_the_holiday() {
    // Easter 2000 is Sunday, April 23: the last day of ISO week 16.
    expect(
        "Protesters prayed as Easter week began.",
        Some("2000-04-17"),
        &[("Easter week", "DATE", "2000-W16")],
    );
}

#[test]
fn this_moment_is_the_present() {
    expect(
        "The king would not travel at this crucial moment, nor at this moment.",
        Some("1990-08-15"),
        &[("this crucial moment", "DATE", "PRESENT_REF"), ("this moment", "DATE", "PRESENT_REF")],
    );
}

#[test]
fn the_first_hours_are_an_unknown_number_of_them() {
    expect(
        "Prisoners were taken in the first hours of the ground war, not in the early years.",
        Some("1991-02-25"),
        &[("the first hours", "DURATION", "PTXH"), ("the early years", "DURATION", "PXY")],
    );
}

#[test]
fn over_the_years_and_the_years_that_followed() {
    expect(
        "Over the years many waited. In the years that followed, they fought. He was seen in \
         the weeks before the shooting.",
        Some("2000-04-01"),
        &[("the years", "DURATION", "PXY"), ("the years", "DURATION", "PXY")],
    );
}

#[test]
fn a_second_day_of_the_month_just_named() {
    expect(
        "The summit will be held on April 24 and 25. Shares rose 24 and 25 points.",
        Some("1999-02-10"),
        &[("April 24", "DATE", "1999-04-24"), ("25", "DATE", "1999-04-25")],
    );
}

#[test]
fn lengths_before_a_noun_with_long() {
    expect(
        "They left their third day-long meeting and the decades-long battle went on.",
        Some("2000-04-03"),
        &[("day-long", "DURATION", "P1D"), ("decades-long", "DURATION", "PXY")],
    );
}

#[test]
fn the_nth_day_of_an_event_in_the_present_is_the_day_of_writing() {
    let dct = Some("1990-08-15");
    expect(
        "In Saudi Arabia, today is the eighth day of Desert Shield. It's the second day of \
         an offensive.",
        dct,
        &[
            ("today", "DATE", "1990-08-15"),
            ("the eighth day", "DATE", "1990-08-15"),
            ("the second day", "DATE", "1990-08-15"),
        ],
    );
    // In the past it is the event's day, which the text does not give.
    expect("It was the second day of the offensive.", dct, &[]);
}

#[test]
fn until_then_is_the_last_day_named() {
    let dct = Some("1989-10-30");
    expect(
        "Conversion rights will terminate on Nov. 30. Until then, the stock remains convertible.",
        dct,
        &[("Nov. 30", "DATE", "1989-11-30"), ("then", "DATE", "1989-11-30")],
    );
    // Without a day named before, `then` is left alone.
    expect("Until then, the stock remains convertible.", dct, &[]);
}

#[test]
fn march_before_a_noun_after_the_is_the_month() {
    let dct = Some("1999-02-10");
    expect("The March accession will let them sign.", dct, &[("March", "DATE", "1999-03")]);
    // A name and a verb stay what they are.
    expect("He joined the March on Washington. Troops march north.", dct, &[]);
}

// ---- timex-spans: span-level rules (missed and extra expressions) ----------

/// `found(label, …)` for the `nth` (from 0) occurrence of `needle` in
/// `text`, its offsets taken by slicing.
fn found_in(text: &str, needle: &str, nth: usize, label: &str, value: &str) -> Found {
    let start = text.match_indices(needle).nth(nth).map(|(start, _)| start).unwrap();
    found(label, start, start + needle.len(), needle, value)
}

fn run_on(text: &str, dct: &str) -> Vec<Found> {
    run(&mut dated(text, Some(dct)))
}

#[test]
fn soon_is_the_future_unless_it_ties_two_events() {
    let text = "Prosecutors told him that they may soon seek an indictment. Kellogg soon will \
                begin selling boxes, and expects sales to soon grow.";
    assert_eq!(
        run_on(text, "1989-10-27"),
        [
            found_in(text, "soon", 0, "DATE", "FUTURE_REF"),
            found_in(text, "soon", 1, "DATE", "FUTURE_REF"),
            found_in(text, "soon", 2, "DATE", "FUTURE_REF"),
        ]
    );
    // Connectives and the future of a past event name no time.
    let text = "They will leave as soon as possible. He died soon after the attack. He was soon \
                released, and a trickle soon became a flood.";
    assert_eq!(run_on(text, "1989-10-27"), []);
}

#[test]
fn now_with_a_comma_opening_a_sentence_is_a_discourse_marker() {
    let text = "Iraq was ready to withdraw. \"Now, he says, it looks different.\" Now officials \
                are investigating. For now, the office is closed.";
    assert_eq!(
        run_on(text, "1991-02-25"),
        [
            found_in(text, "Now", 1, "DATE", "PRESENT_REF"),
            found_in(text, "now", 0, "DATE", "PRESENT_REF")
        ]
    );
    let text = "Now, following asset sales, Control Data is flush with cash.";
    assert_eq!(run_on(text, "1989-10-30"), []);
}

#[test]
fn trading_and_business_days_are_days() {
    let text = "Eight trading days after Oct. 12 the index had fallen. The offer runs for five \
                business days.";
    assert_eq!(
        run_on(text, "1989-10-30"),
        [
            found_in(text, "Eight trading days", 0, "DURATION", "P8D"),
            found_in(text, "Oct. 12", 0, "DATE", "1989-10-12"),
            found_in(text, "five business days", 0, "DURATION", "P5D"),
        ]
    );
}

#[test]
fn todays_world_is_the_present_age_not_the_day() {
    let text = "The case is for today's youth what the blockade was, in today's world. The \
                offer was advertised in today's editions.";
    assert_eq!(run_on(text, "1989-11-02"), [found_in(text, "today", 2, "DATE", "1989-11-02")]);
}

#[test]
fn more_recently_is_one_expression_and_most_recently_defers_to_its_date() {
    let text = "It has long monitored the Klan. More recently it has followed militias. Doctors \
                were killed, most recently last October.";
    assert_eq!(
        run_on(text, "1999-02-06"),
        [
            found_in(text, "More recently", 0, "DATE", "PAST_REF"),
            found_in(text, "last October", 0, "DATE", "1998-10"),
        ]
    );
}

#[test]
fn the_people_of_tomorrow_are_no_date() {
    let text = "\"If I were choosing the people of tomorrow, I would choose them,\" he said. The \
                vote is tomorrow.";
    assert_eq!(run_on(text, "1989-11-02"), [found_in(text, "tomorrow", 1, "DATE", "1989-11-03")]);
}

// ---- Round: timex-values ------------------------------------------------

#[test]
fn this_century_is_the_hundred_years_to_now() {
    let text =
        "It was the staging ground for the disasters of this century. The 20th century ended.";
    assert_eq!(
        run_on(text, "1999-03-12"),
        [
            found_in(text, "this century", 0, "DATE", "P100Y"),
            found_in(text, "The 20th century", 0, "DATE", "19"),
        ]
    );
}

#[test]
fn last_month_name_skips_the_month_just_ended() {
    // Read in March, `last February` is a year back (the February just
    // ended is `last month`); `last October` is the one before.
    let dct = Some("1998-03-01");
    expect(
        "The helicopters crashed last February. The treaty was signed last October.",
        dct,
        &[("last February", "DATE", "1997-02"), ("last October", "DATE", "1997-10")],
    );
    expect("He left last December.", Some("1999-01-20"), &[("last December", "DATE", "1998-12")]);
}

#[test]
fn a_weekday_night_is_the_day_its_other_parts_keep_their_part() {
    // 2000-01-07 is a Friday.
    let text = "Protesters marched on Friday night. Castro spoke Wednesday evening and left \
                Thursday morning. They meet on Tuesday nights.";
    assert_eq!(
        run_on(text, "2000-01-07"),
        [
            found_in(text, "Friday night", 0, "DATE", "2000-01-07"),
            found_in(text, "Wednesday evening", 0, "TIME", "2000-01-05TEV"),
            found_in(text, "Thursday morning", 0, "TIME", "2000-01-06TMO"),
            found_in(text, "Tuesday nights", 0, "SET", "XXXX-WXX-2TNI"),
        ]
    );
    // Without a DCT the night keeps its part of the day.
    expect("It rained on Friday night.", None, &[("Friday night", "TIME", "XXXX-WXX-5TNI")]);
}

// ---- Round: timex-tail --------------------------------------------------

#[test]
fn whole_thousands_of_years_are_millennia() {
    // TimeML's millennium unit for whole thousands of years (the corpus
    // writes `more than two thousand years` `P2L`); other counts stay years.
    let text =
        "Families kept their secrets for more than two thousand years, others for 300 years.";
    assert_eq!(
        run_on(text, "1998-01-21"),
        [
            found_in(text, "more than two thousand years", 0, "DURATION", "P2L"),
            found_in(text, "300 years", 0, "DURATION", "P300Y"),
        ]
    );
}

#[test]
fn a_range_of_lengths_is_at_least_its_lower_bound() {
    let text = "Shipments resume within two to three weeks. The plan runs one to two years.";
    let mut document = dated(text, Some("1989-10-30"));
    assert_eq!(
        run(&mut document),
        [
            found_in(text, "two to three weeks", 0, "DURATION", "P2W"),
            found_in(text, "one to two years", 0, "DURATION", "P1Y"),
        ]
    );
    assert_eq!(document.annotations[0].attr("mod"), Some(&json!("EQUAL_OR_MORE")));
    // A fall (`cut from five to three years`) is no range: the length named last.
    expect(
        "The term was cut from five to three years.",
        None,
        &[("three years", "DURATION", "P3Y")],
    );
}
