//! The dateline grammar, as a hand-written recursive-descent parser.
//!
//! ```text
//! dateline := place [", " region] [", " month " " day [", " year]] [" (" agency ")"] [" " dash]
//! ```
//!
//! Every part but a run of spaces has a length limit, so an attempt costs
//! little whatever the input, and the parser never crosses a line break.
//! A part that fails to parse leaves the cursor where it was (see
//! [`attempt`]), which is all the backtracking the grammar needs.

use document::{Date, Span};

use crate::calendar;

/// The longest place, in characters: `SANTA CRUZ DE LA SIERRA` is 23, and
/// past 40 an all-caps run is a shouted headline, not a city.
const MAX_PLACE_CHARS: usize = 40;
/// The longest region, in characters, and in words (`United Arab Emirates`
/// is three).
const MAX_REGION_CHARS: usize = 40;
const MAX_REGION_WORDS: usize = 4;
/// The longest agency, in characters and words (`Kyodo`, `Prensa Latina`).
const MAX_AGENCY_CHARS: usize = 40;
const MAX_AGENCY_WORDS: usize = 5;

/// A dateline found in a text. Every span is a byte range of the text that
/// was parsed, on `char` boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedDateline {
    /// The whole opening, up to and including the dash, but not the space
    /// after it; when there is no dash, up to the date or the agency.
    pub span: Span,
    /// `TRIPOLI`, `ST. LOUIS`, `SÃO PAULO`.
    pub place: Span,
    /// `Kenya` in `NAIROBI, Kenya (AP) —`.
    pub region: Option<Span>,
    pub date: Option<MonthDay>,
    /// The text inside the parentheses: `Xinhua`, `AP`.
    pub agency: Option<Span>,
}

/// The date of a dateline, as written: the year is usually absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthDay {
    /// `Dec. 9`, or `Dec. 9, 2017` when the year is written.
    pub span: Span,
    pub month: u8,
    /// As written, so possibly not a day of the month (`Feb. 31`):
    /// [`MonthDay::resolve`] is where that is judged.
    pub day: u8,
    pub year: Option<i32>,
}

impl MonthDay {
    /// The date as a TIMEX3-style value: `2017-12-09`, or `XXXX-12-09` when
    /// neither the dateline nor the document tells the year. `None` when the
    /// day does not exist (`Feb. 31`, or `Feb. 29` of a common year).
    pub fn resolve(&self, document_date: Option<Date>) -> Option<String> {
        let date = match (self.year, document_date) {
            (Some(year), _) => Date::new(year, self.month, self.day),
            (None, Some(anchor)) => calendar::resolve_month_day(self.month, self.day, anchor),
            (None, None) => {
                return calendar::is_valid_month_day(self.month, self.day)
                    .then(|| format!("XXXX-{:02}-{:02}", self.month, self.day));
            }
        };
        date.map(|date| date.to_string())
    }
}

/// Parses a dateline starting exactly at byte `start` of `text`.
///
/// `None` when there is none there, including when `start` is not a `char`
/// boundary of `text`. Pure and cheap: call it at every paragraph start.
///
/// The place alone is never enough, since a paragraph may well open with
/// an all-caps word (`NATO said …`). One of these must come with it:
///
/// * a date (`TRIPOLI, Dec. 9 …`), the strongest sign, which needs nothing
///   more;
/// * an agency and a dash (`LONDON (Reuters) -`); the agency alone is not
///   enough, because an acronym and its expansion look the same
///   (`WHO (World Health Organization) said`);
/// * a long dash (`--`, `–`, `—`) after a space (`WASHINGTON —`); a lone
///   hyphen is not enough there, because of `US - China talks`.
pub fn parse_dateline(text: &str, start: usize) -> Option<ParsedDateline> {
    // The one check on `start`; from here on the cursor keeps to boundaries.
    text.get(start..)?;
    let mut cursor = Cursor { text, pos: start };
    let place = place(&mut cursor)?;

    let mut region = None;
    let mut date = None;
    if attempt(&mut cursor, comma).is_some() {
        date = attempt(&mut cursor, month_day);
        if date.is_none() {
            // After `PLACE, ` there must be a date or a region: a comma
            // followed by anything else is prose (`PARIS, the capital …`).
            region = Some(attempt(&mut cursor, region_name)?);
            if attempt(&mut cursor, comma).is_some() {
                date = Some(attempt(&mut cursor, month_day)?);
            }
        }
    }
    let agency = attempt(&mut cursor, |cursor| {
        cursor.spaces().then_some(())?;
        cursor.eat('(').then_some(())?;
        agency_name(cursor)
    });
    let parts_end = cursor.pos;

    let dash = attempt(&mut cursor, |cursor| {
        // A dash touching a word is a hyphen (`WASHINGTON-based`); one
        // touching the agency's parenthesis is common (`(Xinhua)--`).
        let spaced = cursor.spaces();
        let long = dash(cursor)?;
        (spaced || agency.is_some()).then_some(long)
    });
    let end = match dash {
        Some(long) if long || date.is_some() || agency.is_some() => cursor.pos,
        None if date.is_some() => parts_end,
        _ => return None,
    };
    Some(ParsedDateline { span: Span::new(start, end), place, region, date, agency })
}

/// A position in a text that only ever moves forward by whole `char`s, so
/// every offset it hands out is a `char` boundary.
#[derive(Clone, Copy)]
struct Cursor<'t> {
    text: &'t str,
    pos: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let next = self.peek()?;
        self.pos += next.len_utf8();
        Some(next)
    }

    fn eat(&mut self, expected: char) -> bool {
        self.eat_if(|next| next == expected)
    }

    fn eat_if(&mut self, predicate: impl Fn(char) -> bool) -> bool {
        match self.peek() {
            Some(next) if predicate(next) => {
                self.pos += next.len_utf8();
                true
            }
            _ => false,
        }
    }

    /// Eats up to `max` chars matching `predicate`; returns how many.
    fn eat_while(&mut self, max: usize, predicate: impl Fn(char) -> bool) -> usize {
        let mut count = 0;
        while count < max && self.eat_if(&predicate) {
            count += 1;
        }
        count
    }

    /// Eats spaces (not line breaks: a dateline is on one line); returns
    /// whether there were any. Converted text often has no-break spaces.
    fn spaces(&mut self) -> bool {
        self.eat_while(usize::MAX, |next| next == ' ' || next == '\u{a0}') > 0
    }

    fn since(&self, start: usize) -> &str {
        self.text.get(start..self.pos).unwrap_or("")
    }
}

/// Runs `part` on a copy of the cursor and moves the cursor only if it
/// succeeds, so that a failed part consumes nothing.
fn attempt<'t, T>(
    cursor: &mut Cursor<'t>,
    part: impl FnOnce(&mut Cursor<'t>) -> Option<T>,
) -> Option<T> {
    let mut trial = *cursor;
    let result = part(&mut trial)?;
    *cursor = trial;
    Some(result)
}

/// A run of capitals, with dots after a letter (`ST. LOUIS`, `D.C.`),
/// hyphens and apostrophes between letters (`N'DJAMENA`), and single
/// spaces between words; 2 to 40 characters.
fn place(cursor: &mut Cursor) -> Option<Span> {
    let start = cursor.pos;
    let mut previous: Option<char> = None;
    let mut count = 0;
    while let Some(next) = cursor.peek() {
        let after_letter = previous.is_some_and(char::is_uppercase);
        let before_letter = cursor.peek_second().is_some_and(char::is_uppercase);
        let fits = match next {
            _ if next.is_uppercase() => true,
            '.' => after_letter,
            '-' | '\'' | '’' => after_letter && before_letter,
            ' ' => (after_letter || previous == Some('.')) && before_letter,
            _ => false,
        };
        if !fits {
            break;
        }
        count += 1;
        if count > MAX_PLACE_CHARS {
            return None;
        }
        previous = cursor.bump();
    }
    (count >= 2).then(|| Span::new(start, cursor.pos))
}

/// `,` and at least one space.
fn comma(cursor: &mut Cursor) -> Option<()> {
    (cursor.eat(',') && cursor.spaces()).then_some(())
}

/// Up to four capitalised words: `Kenya`, `Puerto Rico`, `Calif.`, `D.C.`.
fn region_name(cursor: &mut Cursor) -> Option<Span> {
    let start = cursor.pos;
    let mut words = 0;
    loop {
        if !cursor.eat_if(char::is_uppercase) {
            return None;
        }
        cursor.eat_while(MAX_REGION_CHARS, |next| {
            next.is_alphabetic() || matches!(next, '.' | '-' | '\'' | '’')
        });
        words += 1;
        // Go on only to another capitalised word: the space before `(` or
        // a dash belongs to what follows.
        let mut next = *cursor;
        let another = next.eat(' ') && next.peek().is_some_and(char::is_uppercase);
        if !another || words == MAX_REGION_WORDS {
            break;
        }
        *cursor = next;
    }
    (cursor.since(start).chars().count() <= MAX_REGION_CHARS).then(|| Span::new(start, cursor.pos))
}

/// `Dec. 9`, `December 9`, `Sept 12`, optionally followed by `, 2017`.
fn month_day(cursor: &mut Cursor) -> Option<MonthDay> {
    let start = cursor.pos;
    // `september.` is the longest month word the calendar accepts.
    cursor.eat_while(9, |next| next.is_ascii_alphabetic());
    cursor.eat('.');
    let month = calendar::month_from_name(cursor.since(start))?;
    cursor.spaces().then_some(())?;
    let day = u8::try_from(number(cursor, 2)?).ok()?;
    let year = attempt(cursor, |cursor| {
        comma(cursor)?;
        // Exactly four digits: `Jan. 3, 10 people` has no year.
        let year = number(cursor, 4)?;
        if year < 1000 {
            return None;
        }
        i32::try_from(year).ok()
    });
    Some(MonthDay { span: Span::new(start, cursor.pos), month, day, year })
}

/// One to `max_digits` ASCII digits that are not the start of a longer
/// number or word (`9th`, `123`).
fn number(cursor: &mut Cursor, max_digits: usize) -> Option<u32> {
    let start = cursor.pos;
    let digits = cursor.eat_while(max_digits, |next| next.is_ascii_digit());
    if digits == 0 || cursor.peek().is_some_and(char::is_alphanumeric) {
        return None;
    }
    cursor.since(start).parse().ok()
}

/// The inside of `(…)`, and the closing parenthesis: one to five words of
/// letters, digits and `.-&/'`, starting with a letter. Not necessarily a
/// capital: the German agency writes itself `dpa`.
fn agency_name(cursor: &mut Cursor) -> Option<Span> {
    let start = cursor.pos;
    if !cursor.peek().is_some_and(char::is_alphabetic) {
        return None;
    }
    cursor.eat_while(MAX_AGENCY_CHARS + 1, |next| {
        next.is_alphanumeric() || matches!(next, ' ' | '.' | '-' | '&' | '/' | '\'' | '’')
    });
    let name = cursor.since(start);
    let words = name.split(' ').count();
    let tidy = !name.ends_with(' ') && !name.contains("  ");
    let fits = name.chars().count() <= MAX_AGENCY_CHARS && words <= MAX_AGENCY_WORDS;
    let end = cursor.pos;
    (tidy && fits && cursor.eat(')')).then(|| Span::new(start, end))
}

/// A run of one to three hyphens and en or em dashes; `Some(true)` when it
/// is a long one (`--`, `–`, `—`), as a place alone requires.
fn dash(cursor: &mut Cursor) -> Option<bool> {
    let start = cursor.pos;
    let count = cursor.eat_while(3, |next| matches!(next, '-' | '–' | '—'));
    (count > 0).then(|| cursor.since(start) != "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts under the place, region, date and agency, and under the
    /// whole dateline.
    type Parts<'t> = (&'t str, Option<&'t str>, Option<&'t str>, Option<&'t str>, &'t str);

    fn parts(text: &str) -> Option<Parts<'_>> {
        let found = parse_dateline(text, 0)?;
        let slice = |span: Span| span.slice(text);
        Some((
            slice(found.place),
            found.region.map(slice),
            found.date.map(|date| slice(date.span)),
            found.agency.map(slice),
            slice(found.span),
        ))
    }

    #[test]
    fn every_wire_form() {
        let cases = [
            (
                "TRIPOLI, Dec. 9 (Xinhua) -- Italian",
                ("TRIPOLI", None, Some("Dec. 9"), Some("Xinhua"), "TRIPOLI, Dec. 9 (Xinhua) --"),
            ),
            (
                "NAIROBI, Kenya (AP) — Police",
                ("NAIROBI", Some("Kenya"), None, Some("AP"), "NAIROBI, Kenya (AP) —"),
            ),
            (
                "LONDON (Reuters) - Britain",
                ("LONDON", None, None, Some("Reuters"), "LONDON (Reuters) -"),
            ),
            (
                "WASHINGTON, Sept. 12 (Reuters) - The",
                (
                    "WASHINGTON",
                    None,
                    Some("Sept. 12"),
                    Some("Reuters"),
                    "WASHINGTON, Sept. 12 (Reuters) -",
                ),
            ),
            (
                "SAN JUAN, Puerto Rico, March 3 (AP) -- A",
                (
                    "SAN JUAN",
                    Some("Puerto Rico"),
                    Some("March 3"),
                    Some("AP"),
                    "SAN JUAN, Puerto Rico, March 3 (AP) --",
                ),
            ),
            ("ST. LOUIS (AP) -- A", ("ST. LOUIS", None, None, Some("AP"), "ST. LOUIS (AP) --")),
            ("NEW YORK (AP) — A", ("NEW YORK", None, None, Some("AP"), "NEW YORK (AP) —")),
            ("WASHINGTON — The", ("WASHINGTON", None, None, None, "WASHINGTON —")),
            ("WASHINGTON -- The", ("WASHINGTON", None, None, None, "WASHINGTON --")),
            ("NAIROBI, Kenya — A", ("NAIROBI", Some("Kenya"), None, None, "NAIROBI, Kenya —")),
            ("BERLIN (dpa) - A", ("BERLIN", None, None, Some("dpa"), "BERLIN (dpa) -")),
            (
                "BEIJING, Jan. 3 (Xinhua)--China",
                ("BEIJING", None, Some("Jan. 3"), Some("Xinhua"), "BEIJING, Jan. 3 (Xinhua)--"),
            ),
            (
                "BEIJING, Jan. 3 (Xinhua) China",
                ("BEIJING", None, Some("Jan. 3"), Some("Xinhua"), "BEIJING, Jan. 3 (Xinhua)"),
            ),
            ("BEIJING, Jan. 3", ("BEIJING", None, Some("Jan. 3"), None, "BEIJING, Jan. 3")),
            (
                "PARIS, May 5, 2017 (AFP) - A",
                ("PARIS", None, Some("May 5, 2017"), Some("AFP"), "PARIS, May 5, 2017 (AFP) -"),
            ),
            (
                "WASHINGTON, D.C. (AP) — A",
                ("WASHINGTON", Some("D.C."), None, Some("AP"), "WASHINGTON, D.C. (AP) —"),
            ),
            (
                "SÃO PAULO, Brazil (Reuters) - A",
                (
                    "SÃO PAULO",
                    Some("Brazil"),
                    None,
                    Some("Reuters"),
                    "SÃO PAULO, Brazil (Reuters) -",
                ),
            ),
            (
                "N'DJAMENA (Prensa Latina) -- A",
                ("N'DJAMENA", None, None, Some("Prensa Latina"), "N'DJAMENA (Prensa Latina) --"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parts(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn month_forms() {
        for (text, month, day) in [
            ("XY, Dec. 9 --", 12, 9),
            ("XY, December 9 --", 12, 9),
            ("XY, Sept 12 --", 9, 12),
            ("XY, Sep. 12 --", 9, 12),
            ("XY, Sep 12 --", 9, 12),
            ("XY, Aug 31 --", 8, 31),
            ("XY, DEC. 1 --", 12, 1),
            ("XY, Feb. 31 --", 2, 31),
        ] {
            let date = parse_dateline(text, 0).and_then(|found| found.date);
            assert_eq!(date.map(|date| (date.month, date.day)), Some((month, day)), "{text}")
        }
    }

    #[test]
    fn prose_is_not_a_dateline() {
        for text in [
            "NATO said on Monday that",
            "THE END",
            "US (AP) officials said",
            "WHO (World Health Organization) said",
            "PARIS, the capital of France, is",
            "SAN JUAN, Puerto Rico, a territory",
            "WASHINGTON-based groups said",
            "WASHINGTON--the capital",
            "US - China talks",
            "US, China - talks",
            "BEIJING, Jan. 3rd (Xinhua) --",
            "BEIJING, Dec. 123 --",
            "LONDON, UK-based firms",
            "McALLEN, Texas (AP) --",
            "A -- single letter",
            "Tripoli, Dec. 9 (Xinhua) --",
            "TRIPOLI,",
            "TRIPOLI, ",
            "TRIPOLI (",
            "TRIPOLI (Xinhua",
            "TRIPOLI ()",
            "(",
            "",
            "  TRIPOLI, Dec. 9",
            "TRIPOLI,\nDec. 9 (Xinhua) --",
            "TRIPOLI\n--",
        ] {
            assert_eq!(parse_dateline(text, 0), None, "{text}");
        }
    }

    #[test]
    fn limits_keep_shouting_out() {
        let long_place = format!("{} --", "A".repeat(41));
        assert_eq!(parse_dateline(&long_place, 0), None);
        let just_fits = format!("{} --", "A".repeat(40));
        assert_eq!(parse_dateline(&just_fits, 0).map(|found| found.place.len()), Some(40));
        assert_eq!(parse_dateline("PARIS (One Two Three Four Five Six) --", 0), None);
        assert!(parse_dateline("PARIS (One Two Three Four Five) --", 0).is_some());
    }

    #[test]
    fn starts_anywhere_but_inside_a_char() {
        let text = "Ünder TRIPOLI, Dec. 9 (Xinhua) --";
        let start = text.find('T').unwrap();
        assert_eq!(
            parse_dateline(text, start).map(|found| found.place.slice(text)),
            Some("TRIPOLI")
        );
        assert_eq!(parse_dateline(text, 1), None);
        assert_eq!(parse_dateline(text, text.len()), None);
        assert_eq!(parse_dateline(text, text.len() + 1), None);
    }

    #[test]
    fn dates_resolve_or_stay_year_less() {
        let anchor = Some("2017-12-10".parse().unwrap());
        let date = |text: &str| parse_dateline(text, 0).and_then(|found| found.date).unwrap();
        assert_eq!(date("XY, Dec. 9 --").resolve(anchor).as_deref(), Some("2017-12-09"));
        assert_eq!(date("XY, July 7 --").resolve(None).as_deref(), Some("XXXX-07-07"));
        assert_eq!(date("XY, Feb. 29 --").resolve(None).as_deref(), Some("XXXX-02-29"));
        assert_eq!(date("XY, Feb. 29 --").resolve(anchor), None);
        assert_eq!(date("XY, Feb. 31 --").resolve(anchor), None);
        assert_eq!(date("XY, Feb. 31 --").resolve(None), None);
        assert_eq!(date("XY, Jan. 0 --").resolve(None), None);
        assert_eq!(date("XY, May 5, 2016 --").resolve(anchor).as_deref(), Some("2016-05-05"));
        assert_eq!(date("XY, Feb. 29, 2016 --").resolve(None).as_deref(), Some("2016-02-29"));
        assert_eq!(date("XY, Feb. 29, 2017 --").resolve(None), None);
    }

    #[test]
    fn a_comma_after_the_day_that_is_no_year_is_left_alone() {
        // The comma is not consumed, so the date alone ends the dateline.
        let found = parse_dateline("BEIJING, Jan. 3, the day", 0).unwrap();
        assert_eq!(found.span.slice("BEIJING, Jan. 3, the day"), "BEIJING, Jan. 3");
        assert_eq!(found.date.unwrap().year, None);
    }
}
