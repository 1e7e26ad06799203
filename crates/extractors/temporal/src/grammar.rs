//! The grammar of English time expressions, over the scanner's tokens.
//!
//! At each token the grammar tries every form that can start there, keeps
//! the longest, and continues after it. Every form looks ahead a bounded
//! number of tokens, and the tense search looks at most a dozen tokens
//! around, so a document costs a bounded amount of work per token.

use dateline::month_from_name;
use document::{Date, Span, Weekday};

use crate::calendar::{add_months, easter, nth_weekday, quarter_of, week_value};
use crate::scan::{Lowered, Token, scan};

/// The TIMEX3 `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    /// The label of the annotation, which is also the TIMEX3 `type`.
    pub fn label(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// One time expression found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timex {
    /// Byte span in the whole text.
    pub span: Span,
    pub kind: TimexType,
    /// The TIMEX3 value (`2017-12-09`, `P3Y`, `PRESENT_REF`, …).
    pub value: String,
    /// The TIMEX3 `mod` (`START`, `MID`, `END`, `APPROX`, …).
    pub modifier: Option<&'static str>,
    /// The value was computed from the document creation time.
    pub relative: bool,
}

/// The tense of the clause around an expression, as far as the words show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
    Unknown,
}

/// Every time expression of `text[body]`, in order and without overlaps,
/// resolved against the document creation time `dct` when there is one.
pub fn find_timexes(text: &str, body: Span, dct: Option<Date>) -> Vec<Timex> {
    let lowered = Lowered::new(text, body.start, body.end);
    let tokens = scan(text, &lowered, body.start, body.end);
    let grammar = Grammar { text, tokens: &tokens, dct };
    let mut found = Vec::new();
    let mut index = 0;
    // Earnings reports compare a quarter with the one a year before:
    // `a year earlier` then means that quarter.
    let mut last_quarter: Option<(i32, u8)> = None;
    // Or a stretch of months (`the first nine months`): `the year-earlier
    // period` is then as long.
    let mut last_months: Option<&'static str> = None;
    // `that year`, `the following year` refer to the last year named.
    let mut last_year: Option<i32> = None;
    // `the following month`: the month after the last one named.
    let mut last_month: Option<(i32, u8)> = None;
    // `until then`: the last day named.
    let mut last_day: Option<String> = None;
    while index < tokens.len() {
        match grammar.longest_at(index) {
            // `ABC's "This Week"`, `CBS's "60 Minutes"`, `VOA Today`: a
            // capitalised time word inside a sentence names a programme
            // or a title, not a time.
            Some(hit) if hit.end > index && grammar.is_title(index, hit.end) => index = hit.end,
            Some(mut hit) if hit.end > index => {
                if let (Some(offset), Some(year)) = (hit.after_last_year, last_year) {
                    hit.value = format!("{:04}", year + offset);
                }
                if hit.last_day {
                    // `until then` with no day named before says nothing.
                    let Some(day) = &last_day else {
                        index = hit.end;
                        continue;
                    };
                    hit.value = day.clone();
                }
                if hit.kind == TimexType::Date
                    && hit.value.len() == 10
                    && hit.value.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                {
                    last_day = Some(hit.value.clone());
                }
                if let (true, Some((year, month))) = (hit.after_last_month, last_month) {
                    let (year, month) = add_months(year, month, 1);
                    hit.value = format!("{year:04}-{month:02}");
                }
                if hit.kind == TimexType::Date {
                    let digits =
                        hit.value.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
                    if let Some(year) = digits.and_then(|year| year.parse().ok()) {
                        last_year = Some(year);
                        let month = hit.value.get(4..7).and_then(|month| month.strip_prefix('-'));
                        last_month = month
                            .filter(|month| month.bytes().all(|b| b.is_ascii_digit()))
                            .and_then(|month| month.parse().ok())
                            .map(|month| (year, month));
                    }
                }
                // `the quarter` is the one the report named, when that one
                // has ended (`the latest quarter` is never the current one).
                if let (true, Some((year, quarter))) = (hit.the_quarter, last_quarter)
                    && dct.is_none_or(|dct| (year, quarter) < (dct.year(), quarter_of(dct.month())))
                {
                    hit.value = format!("{year:04}-Q{quarter}");
                }
                if let (true, Some((_, quarter))) = (hit.quarter_of_year, last_quarter) {
                    hit.value = format!("{}-Q{quarter}", hit.value);
                }
                let months = match hit.value.as_str() {
                    "P6M" => Some("P6M"),
                    "P9M" => Some("P9M"),
                    _ => None,
                };
                if let (TimexType::Duration, Some(months)) = (hit.kind, months) {
                    // `the first nine months`: the period compared now is
                    // no longer a quarter, and `a year earlier` is the year.
                    last_quarter = None;
                    last_months = Some(months);
                } else if let (true, Some(months), None) = (
                    hit.year_before_quarter && grammar.is(hit.end - 1, "period"),
                    last_months,
                    last_quarter,
                ) {
                    // `the year-earlier period` after `the first nine months`
                    hit.kind = TimexType::Duration;
                    hit.value = months.to_string();
                    hit.relative = false;
                } else if let Some(quarter) = quarter_in(&hit.value) {
                    // The period a report compares is one of the four
                    // quarters up to the DCT's; a forecast (`the third
                    // quarter of 1990`) or history (`the 1988 period`) is
                    // not what `a year earlier` counts from.
                    let ahead = grammar.tense(index, hit.end) == Tense::Future;
                    if reported_quarter(quarter, dct, ahead) {
                        last_quarter = Some(quarter);
                        last_months = None;
                    }
                } else if let (true, Some((year, quarter))) =
                    (hit.year_before_quarter, last_quarter)
                {
                    hit.value = format!("{:04}-Q{quarter}", year - 1);
                }
                let (Some(first), Some(last)) = (tokens.get(index), tokens.get(hit.end - 1)) else {
                    break;
                };
                found.push(Timex {
                    span: Span::new(first.start, last.end),
                    kind: hit.kind,
                    value: hit.value,
                    modifier: hit.modifier,
                    relative: hit.relative,
                });
                index = hit.end;
            }
            _ => index += 1,
        }
    }
    found
}

/// A match: the token index after it, and what it means.
#[derive(Clone, Debug)]
struct Hit {
    end: usize,
    kind: TimexType,
    value: String,
    modifier: Option<&'static str>,
    relative: bool,
    /// A year before the period in context (`a year earlier`): a year
    /// before the last quarter mentioned, if any.
    year_before_quarter: bool,
    /// The value is a year, and the text names a quarter of it without
    /// saying which (`the 1988 quarter`): the quarter last mentioned.
    quarter_of_year: bool,
    /// `that year` (0), `the following year` (1): the year of the last
    /// date mentioned, moved by this many years.
    after_last_year: Option<i32>,
    /// `the following month`: the month after that of the last date
    /// mentioned.
    after_last_month: bool,
    /// `the quarter`, `the latest period`: the quarter last mentioned, if
    /// any, else the last one to have ended.
    the_quarter: bool,
    /// `until then`: the last day mentioned.
    last_day: bool,
}

impl Hit {
    fn new(end: usize, kind: TimexType, value: impl Into<String>) -> Hit {
        Hit {
            end,
            kind,
            value: value.into(),
            modifier: None,
            relative: false,
            year_before_quarter: false,
            quarter_of_year: false,
            after_last_year: None,
            after_last_month: false,
            the_quarter: false,
            last_day: false,
        }
    }

    fn date(end: usize, value: impl Into<String>) -> Hit {
        Hit::new(end, TimexType::Date, value)
    }

    fn relative(mut self) -> Hit {
        self.relative = true;
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

/// A counted amount: a number, or a vague one (`a few`, `several`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Amount {
    Exactly(u32),
    Some,
}

fn unit_of(word: &str) -> Option<(Unit, bool)> {
    Some(match word {
        "second" | "sec" => (Unit::Second, false),
        "seconds" | "secs" => (Unit::Second, true),
        "minute" | "min" => (Unit::Minute, false),
        "minutes" | "mins" => (Unit::Minute, true),
        "hour" | "hr" => (Unit::Hour, false),
        "hours" | "hrs" => (Unit::Hour, true),
        "day" => (Unit::Day, false),
        "days" => (Unit::Day, true),
        "week" => (Unit::Week, false),
        "weeks" => (Unit::Week, true),
        "weekend" => (Unit::Weekend, false),
        "weekends" => (Unit::Weekend, true),
        "month" => (Unit::Month, false),
        "months" => (Unit::Month, true),
        "quarter" => (Unit::Quarter, false),
        "quarters" => (Unit::Quarter, true),
        "year" | "yr" => (Unit::Year, false),
        "years" | "yrs" => (Unit::Year, true),
        "decade" => (Unit::Decade, false),
        "decades" => (Unit::Decade, true),
        "century" => (Unit::Century, false),
        "centuries" => (Unit::Century, true),
        _ => return None,
    })
}

fn small_number(word: &str) -> Option<u32> {
    Some(match word {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "dozen" => 12,
        _ => return None,
    })
}

fn ordinal(word: &str) -> Option<u8> {
    Some(match word {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        _ => return None,
    })
}

fn weekday_of(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "mon" => Weekday::Monday,
        "tuesday" | "tues" | "tue" => Weekday::Tuesday,
        "wednesday" | "wed" => Weekday::Wednesday,
        "thursday" | "thurs" | "thu" => Weekday::Thursday,
        "friday" | "fri" => Weekday::Friday,
        "saturday" | "sat" => Weekday::Saturday,
        "sunday" | "sun" => Weekday::Sunday,
        _ => return None,
    })
}

fn part_of_day(word: &str) -> Option<&'static str> {
    Some(match word {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        "night" | "overnight" => "NI",
        _ => return None,
    })
}

fn season_of(word: &str) -> Option<&'static str> {
    Some(match word {
        "spring" => "SP",
        "summer" => "SU",
        "autumn" | "fall" => "FA",
        "winter" => "WI",
        _ => return None,
    })
}

/// Words after a number that make it a count rather than a year
/// (`2000 people`).
fn is_count_noun(word: &str) -> bool {
    matches!(
        word,
        "people"
            | "percent"
            | "troops"
            | "soldiers"
            | "members"
            | "workers"
            | "employees"
            | "jobs"
            | "miles"
            | "km"
            | "kilometers"
            | "kilometres"
            | "meters"
            | "metres"
            | "feet"
            | "tons"
            | "tonnes"
            | "dollars"
            | "euros"
            | "yuan"
            | "yen"
            | "pounds"
            | "shares"
            | "points"
            | "votes"
            | "cases"
            | "units"
            | "barrels"
            | "students"
            | "children"
            | "police"
            | "deaths"
            | "families"
            | "homes"
            | "houses"
            | "cars"
            | "acres"
            | "hectares"
            | "refugees"
            | "migrants"
            | "of"
    )
}

fn past_marker(word: &str) -> bool {
    if matches!(
        word,
        "said"
            | "was"
            | "were"
            | "had"
            | "did"
            | "told"
            | "met"
            | "took"
            | "left"
            | "made"
            | "came"
            | "went"
            | "gave"
            | "held"
            | "won"
            | "lost"
            | "began"
            | "fell"
            | "rose"
            | "sold"
            | "saw"
            | "found"
            | "got"
            | "hit"
            | "led"
            | "paid"
            | "sent"
            | "spent"
            | "brought"
            | "bought"
            | "knew"
            | "ran"
            | "kept"
            | "broke"
            | "became"
            | "spoke"
            | "wrote"
            | "struck"
            | "shot"
            | "fled"
            | "fought"
            | "caught"
            | "felt"
            | "stood"
            | "ago"
            | "yesterday"
            | "last"
            | "earlier"
    ) {
        return true;
    }
    word.len() >= 5
        && word.ends_with("ed")
        && !matches!(
            word,
            "scheduled"
                | "expected"
                | "planned"
                | "proposed"
                | "hundred"
                | "indeed"
                | "succeed"
                | "proceed"
                | "exceed"
                | "need"
                | "speed"
                | "feed"
        )
}

fn future_marker(word: &str) -> bool {
    matches!(
        word,
        "will"
            | "shall"
            | "ll"
            | "wo"
            | "going"
            | "scheduled"
            | "expected"
            | "planned"
            | "plans"
            | "effective"
            | "due"
            | "upcoming"
            | "tomorrow"
            | "next"
            | "coming"
            | "expects"
            | "expect"
            | "anticipate"
            | "anticipates"
            | "predict"
            | "predicts"
            | "soon"
            | "would"
            | "planning"
            | "intends"
            | "likely"
            | "supposed"
    )
}

/// Prepositions and determiners after which a bare month or year is a date.
fn is_date_preposition(word: &str) -> bool {
    matches!(
        word,
        "in" | "since"
            | "until"
            | "till"
            | "by"
            | "from"
            | "through"
            | "to"
            | "before"
            | "after"
            | "during"
            | "of"
            | "last"
            | "next"
            | "this"
            | "early"
            | "late"
            | "mid"
            | "between"
            | "and"
            | "or"
    )
}

fn two_digits(number: u32) -> String {
    format!("{number:02}")
}

fn date_value(date: Date) -> String {
    date.to_string()
}

struct Grammar<'t> {
    text: &'t str,
    tokens: &'t [Token<'t>],
    dct: Option<Date>,
}

impl Grammar<'_> {
    fn token(&self, index: usize) -> Option<&Token<'_>> {
        self.tokens.get(index)
    }

    fn key(&self, index: usize) -> &str {
        self.tokens.get(index).map_or("", Token::key)
    }

    fn is(&self, index: usize, word: &str) -> bool {
        self.key(index) == word
    }

    /// The key `back` tokens before `index`, or `""` before the first.
    fn key_back(&self, index: usize, back: usize) -> &str {
        index.checked_sub(back).map_or("", |position| self.key(position))
    }

    /// The token at `index` is glued to the one before it (`10:30`).
    fn glued(&self, index: usize) -> bool {
        self.token(index).is_some_and(|token| token.glued)
    }

    /// `index` is just after an abbreviation (`Dec`, `Sept`, `a.m`): the
    /// index after its glued `.`, if it has one. After a full word the dot
    /// ends the sentence and stays outside (`on Friday.`).
    fn after_dot(&self, index: usize) -> usize {
        let abbreviated = index
            .checked_sub(1)
            .map(|word| self.key(word))
            .is_some_and(|word| word.len() <= 4 && !matches!(word, "may" | "june" | "july"));
        if abbreviated && self.is(index, ".") && self.glued(index) { index + 1 } else { index }
    }

    fn longest_at(&self, index: usize) -> Option<Hit> {
        let token = self.token(index)?;
        // Most tokens start nothing; one match on the key says so before
        // seven forms are tried.
        if !may_start(token) {
            return None;
        }
        let candidates = [
            self.modified(index),
            self.explicit_date(index),
            self.relative_date(index),
            self.duration(index),
            self.set(index),
            self.clock(index),
            self.reference(index),
        ];
        let mut hit = candidates.into_iter().flatten().max_by_key(|hit| hit.end)?;
        // `a year or so`, `the next two years or so`: TimeML keeps `or so`
        // inside the extent and marks the value approximate.
        if self.is(hit.end, "or")
            && self.is(hit.end + 1, "so")
            && matches!(hit.kind, TimexType::Date | TimexType::Duration)
        {
            hit.end += 2;
            hit.modifier = hit.modifier.or(Some("APPROX"));
        }
        Some(hit)
    }

    /// A word of `start..end` that is a time word (a unit, `today`,
    /// `noon`, a season) written with a capital inside a sentence, as
    /// names and titles are (`This Week`, `60 Minutes`, `High Noon`,
    /// `Spring of Life`); a capital at the start of a sentence, after a
    /// quote opening one, or in an all-capitals word says nothing.
    fn is_title(&self, start: usize, end: usize) -> bool {
        (start..end).any(|position| {
            let Some(token) = self.token(position) else { return false };
            let key = token.key();
            // `Day` is left out: `Thanksgiving Day`, `Election Day`.
            let time_word = unit_of(key).is_some_and(|_| key != "day")
                || season_of(key).is_some()
                || matches!(key, "today" | "tonight" | "noon" | "midnight" | "midday");
            if !time_word || !token.capital {
                return false;
            }
            // `NEXT WEEK` in a headline in capitals
            let word = self.text.get(token.start..token.end).unwrap_or("");
            if word.len() > 1 && !word.bytes().any(|byte| byte.is_ascii_lowercase()) {
                return false;
            }
            self.before_quotes(position).is_some_and(|token| token.is_word || token.key() == ",")
        })
    }

    /// The token before `index`, passing over quotes and brackets that
    /// open what follows: what a capital at `index` is read against.
    fn before_quotes(&self, index: usize) -> Option<&Token<'_>> {
        (0..index)
            .rev()
            .filter_map(|at| self.token(at))
            .find(|token| !matches!(token.key(), "\"" | "'" | "`" | "("))
    }

    // ---- tense ----------------------------------------------------------

    /// The tense of the clause around `index`, from the nearest marker
    /// before it (up to 12 words), else after it (up to 8 words), within
    /// the sentence.
    fn tense(&self, start: usize, end: usize) -> Tense {
        self.tense_within(start, end, 12, 8)
    }

    /// The tense from the nearest marker at most `back` words before and
    /// then at most `ahead` words after the expression, within the clause.
    fn tense_within(&self, start: usize, end: usize, back: usize, ahead: usize) -> Tense {
        // `since March` has begun, whatever the verb.
        if self.key_back(start, 1) == "since" {
            return Tense::Past;
        }
        let classify = |position: usize, token: &Token| {
            let word = token.key();
            let at = |back: usize| self.key_back(position, back);
            if future_marker(word) {
                // `had been due to expire Friday`, `had planned to`: a
                // plan seen from the past, its time gone by.
                let perfect = at(1) == "had" || at(1) == "been" && at(2) == "had";
                Some(if perfect { Tense::Past } else { Tense::Future })
            } else if word == "to" && matches!(at(1), "is" | "are" | "set") {
                // `is to resume trading Tuesday`, `set to resume Monday`.
                Some(Tense::Future)
            } else if matches!(word, "was" | "were") && future_marker(self.key(position + 1)) {
                // `were planning to drive … on Monday`, read from before.
                Some(Tense::Future)
            } else if past_marker(word) {
                // `will be held`, `to be repatriated`: a participle after
                // `be` is a passive, not a past tense.
                let before = self.key_back(position, 1);
                let passive = matches!(before, "be" | "being" | "been");
                // `a still unspecified date`, `the proposed merger`: a
                // participle after a determiner is an adjective.
                let adjective = word.ends_with("ed")
                    && matches!(
                        before,
                        "a" | "an" | "the" | "still" | "its" | "their" | "his" | "her" | "our"
                    );
                (!passive && !adjective).then_some(Tense::Past)
            } else {
                None
            }
        };
        // Windows count words; punctuation is passed over, and a dot
        // ends the clause unless it closes an abbreviation (`a.m.`, `Dec.`).
        let ends_clause = |position: usize, token: &Token| {
            if !token.ends_clause() {
                return false;
            }
            let before = self.key_back(position, 1);
            !(token.key() == "." && (before.len() <= 2 || month_from_name(before).is_some()))
        };
        let mut words = 0;
        let mut position = start;
        while words < back && position > 0 {
            position -= 1;
            let Some(token) = self.token(position) else { break };
            if ends_clause(position, token) {
                break;
            }
            if !token.is_word {
                continue;
            }
            words += 1;
            if let Some(tense) = classify(position, token) {
                return tense;
            }
        }
        let mut words = 0;
        let mut position = end;
        while words < ahead {
            let Some(token) = self.token(position) else { break };
            if ends_clause(position, token) {
                break;
            }
            position += 1;
            if !token.is_word {
                continue;
            }
            words += 1;
            if let Some(tense) = classify(position - 1, token) {
                return tense;
            }
        }
        Tense::Unknown
    }

    // ---- numbers --------------------------------------------------------

    /// A counted amount at `index`: digits, a number in words (`twenty-five`),
    /// `a`/`an` (one), or a vague one (`a few`, `several`); and the index
    /// after it.
    fn amount(&self, index: usize) -> Option<(Amount, usize)> {
        let token = self.token(index)?;
        let word = token.key();
        if let Some(number) = token.number() {
            if token.digits() > 4 || self.is(index + 1, ",") && self.token(index + 2)?.is_digits() {
                return None;
            }
            // `1.5 years` is beyond the grammar; do not read it as `5 years`.
            if self.is(index + 1, ".") && self.token(index + 2).is_some_and(Token::is_digits) {
                return None;
            }
            return Some((Amount::Exactly(number), index + 1));
        }
        if let Some(tens) = small_number(word) {
            // twenty-five, twenty five
            let next = if self.is(index + 1, "-") { index + 2 } else { index + 1 };
            if (20..100).contains(&tens)
                && tens % 10 == 0
                && let Some(units) = small_number(self.key(next)).filter(|units| *units < 10)
            {
                return Some((Amount::Exactly(tens + units), next + 1));
            }
            if self.is(index + 1, "hundred") || self.is(index + 1, "thousand") {
                let factor = if self.is(index + 1, "hundred") { 100 } else { 1000 };
                return Some((Amount::Exactly(tens * factor), index + 2));
            }
            return Some((Amount::Exactly(tens), index + 1));
        }
        match word {
            "a" | "an" => {
                if self.is(index + 1, "couple") {
                    // `a couple of years`: TimeBank counts two.
                    let after = index + 2;
                    let after = if self.is(after, "of") { after + 1 } else { after };
                    Some((Amount::Exactly(2), after))
                } else if self.is(index + 1, "few") {
                    let after = index + 2;
                    let after = if self.is(after, "of") { after + 1 } else { after };
                    Some((Amount::Some, after))
                } else {
                    Some((Amount::Exactly(1), index + 1))
                }
            }
            "several" | "few" | "many" | "some" => Some((Amount::Some, index + 1)),
            // `the next couple of years`
            "couple" if self.is(index + 1, "of") => Some((Amount::Exactly(2), index + 2)),
            _ => None,
        }
    }

    // ---- modifiers --------------------------------------------------------

    /// `early 2008`, `late last year`, `mid-1990s`, `the end of March`,
    /// `earlier this month`: a modifier, then a date.
    fn modified(&self, index: usize) -> Option<Hit> {
        // `the early 1980s`, `the late summer`: the article comes along.
        if self.is(index, "the") && matches!(self.key(index + 1), "early" | "late" | "mid") {
            return self.modified(index + 1);
        }
        // `sometime next year`, `right now`
        if matches!(self.key(index), "sometime" | "right") {
            let inner = self.relative_date(index + 1).or_else(|| self.reference(index + 1))?;
            return (inner.kind == TimexType::Date).then_some(inner);
        }
        let (modifier, next) = match self.key(index) {
            "early" => (Some("START"), index + 1),
            "late" => (Some("END"), index + 1),
            "mid" => (Some("MID"), index + 1),
            "earlier" => (Some("START"), index + 1),
            // `later this year`, `Later yesterday`: the end of that time.
            "later" => (Some("END"), index + 1),
            "the" if self.is(index + 2, "of") => {
                let modifier = match self.key(index + 1) {
                    "end" => "END",
                    "beginning" | "start" => "START",
                    "middle" => "MID",
                    _ => return None,
                };
                (Some(modifier), index + 3)
            }
            _ => return None,
        };
        let hyphen = self.is(next, "-");
        let next = if hyphen { next + 1 } else { next };
        // `mid-afternoon`, `early morning yesterday`: a part of the DCT's
        // day, or of the day named after it (`late-night`, `early-morning`
        // qualify a noun instead).
        let after_the = self.key_back(index, 1) == "the";
        if !after_the
            && (self.is(index, "mid") || (!hyphen && self.is(index, "early")))
            && let Some(part) = part_of_day(self.key(next))
        {
            let (shift, end) = match self.key(next + 1) {
                "yesterday" => (-1, next + 2),
                "today" => (0, next + 2),
                "tomorrow" => (1, next + 2),
                _ => (0, next + 1),
            };
            let day = self
                .dct
                .and_then(|dct| dct.add_days(shift))
                .map_or_else(|| "XXXX-XX-XX".into(), date_value);
            let mut hit =
                self.relative_hit(Hit::new(end, TimexType::Time, format!("{day}T{part}")));
            hit.modifier = modifier;
            return Some(hit);
        }
        let mut inner = self.explicit_date(next).or_else(|| self.relative_date(next))?;
        let earlier = matches!(self.key(index), "earlier" | "later");
        // `later this afternoon` is a part of a day, a time.
        let part_of_a_day = earlier && inner.kind == TimexType::Time && self.is(next, "this");
        if inner.kind != TimexType::Date && !part_of_a_day {
            return None;
        }
        let day_named =
            matches!(self.key(next), "this" | "today" | "tonight" | "that" | "yesterday");
        if earlier && !day_named {
            return None;
        }
        inner.modifier = modifier.or(inner.modifier);
        Some(inner)
    }

    // ---- explicit dates ---------------------------------------------------

    fn explicit_date(&self, index: usize) -> Option<Hit> {
        let token = self.token(index)?;
        let word = token.key();
        if token.is_digits() {
            return self
                .numeric_date(index)
                .or_else(|| self.day_month(index))
                .or_else(|| self.second_day(index));
        }
        if let Some(hit) = self.century(index) {
            return Some(hit);
        }
        if word == "the" {
            if let Some(hit) = self.century(index + 1).or_else(|| self.spelled_decade(index + 1)) {
                return Some(hit);
            }
            // `the summer`, `the winter of 1994`: the article comes along.
            if season_of(self.key(index + 1)).is_some() {
                return self.season(index + 1, 0, index);
            }
            if self.is(index + 1, "year")
                && let Some((year, end)) = self.spoken_year(index + 2)
            {
                return Some(Hit::date(end, format!("{year:04}")));
            }
            if let Some(year) = self.year_number(index + 1)
                && let Some(hit) = self.period_of_year(index + 2, year)
            {
                return Some(hit);
            }
            return self
                .decade(index)
                .or_else(|| self.quarter(index))
                .or_else(|| self.day_month(index + 1).filter(|_| self.token(index + 1).is_some()));
        }
        if word == "fiscal" {
            return self.fiscal_year(index);
        }
        if let Some((year, end)) = self.spoken_year(index) {
            // `two thousand` alone is a number more often than a year.
            let before = self.key_back(index, 1);
            if !self.is(index, "two") || matches!(before, "year" | "in" | "since" | "of") {
                return Some(Hit::date(end, format!("{year:04}")));
            }
        }
        if let Some(hit) = self.holiday(index) {
            return Some(hit);
        }
        if ordinal(word).is_some() {
            return self.quarter(index);
        }
        if season_of(word).is_some() {
            return self.season(index, 0, index);
        }
        if let Some(weekday) = weekday_of(word) {
            return self.weekday(index, weekday);
        }
        if let Some(month) = self.month_at(index) {
            return self.month_led(index, month);
        }
        if word.len() == 5 && word.ends_with('s') && word[..4].bytes().all(|b| b.is_ascii_digit()) {
            return self.decade(index);
        }
        if let Some(day) = ordinal_day(word) {
            let _ = day;
            return self.day_month(index);
        }
        None
    }

    /// A month name at `index` that can be a month here: capitalised, and
    /// `May` and `March` (a verb, a walk) only after a date preposition or
    /// before a day or year.
    fn month_at(&self, index: usize) -> Option<u8> {
        let token = self.token(index)?;
        if !token.capital {
            return None;
        }
        let month = month_from_name(token.key())?;
        let word = token.key();
        let abbreviation = word.len() <= 4 && !matches!(word, "may" | "june" | "july");
        if abbreviation && !self.is(index + 1, ".") && word != "sept" {
            // `Dec` without its dot is rare in news and often a name.
            if !self.token(index + 1).is_some_and(|next| next.is_digits()) {
                return None;
            }
        }
        if matches!(word, "may" | "march") {
            let before = self.key_back(index, 1);
            let next = self.after_dot(index + 1);
            let followed_by_number = self.token(next).is_some_and(Token::is_digits);
            // `the March accession`: after an article and before a noun
            // (a lower-case word other than a preposition) the month is
            // an adjective; `the March on Washington` stays a name.
            let before_noun = before == "the"
                && self.token(index + 1).is_some_and(|token| {
                    token.is_word
                        && !token.capital
                        && !is_date_preposition(token.key())
                        && !matches!(
                            token.key(),
                            "on" | "at" | "for" | "with" | "against" | "across" | "into"
                        )
                });
            if !followed_by_number && !is_date_preposition(before) && !before_noun {
                return None;
            }
        }
        Some(month)
    }

    /// `Dec. 9`, `December 9, 2017`, `July 2018`, `July`.
    fn month_led(&self, index: usize, month: u8) -> Option<Hit> {
        let next = self.after_dot(index + 1);
        if let Some((day, after_day)) = self.day_number(next)
            && dateline::is_valid_month_day(month, day)
        {
            let mut after = after_day;
            let comma = if self.is(after, ",") { after + 1 } else { after };
            if let Some(year) = self.year_number(comma) {
                after = comma + 1;
                let value = Date::new(year, month, day).map_or_else(
                    || format!("{year:04}-{}-{}", two_digits(month.into()), two_digits(day.into())),
                    date_value,
                );
                return Some(Hit::date(after, value));
            }
            return Some(self.month_day_without_year(index, after, month, day));
        }
        let comma = if self.is(next, ",") || self.is(next, "of") { next + 1 } else { next };
        if let Some(year) = self.year_number(comma) {
            return Some(Hit::date(comma + 1, format!("{year:04}-{:02}", month)));
        }
        if let Some((year, end)) = self.spoken_year(comma) {
            return Some(Hit::date(end, format!("{year:04}-{:02}", month)));
        }
        Some(self.month_without_year(index, next, month))
    }

    /// `9 December 2017`, `the 9th of December`.
    fn day_month(&self, index: usize) -> Option<Hit> {
        let (day, next) = self.day_number(index)?;
        let next = if self.is(next, "of") { next + 1 } else { next };
        let month = self.month_at(next)?;
        if !dateline::is_valid_month_day(month, day) {
            return None;
        }
        let after = self.after_dot(next + 1);
        let comma = if self.is(after, ",") { after + 1 } else { after };
        if let Some(year) = self.year_number(comma) {
            let value = Date::new(year, month, day).map(date_value)?;
            return Some(Hit::date(comma + 1, value));
        }
        Some(self.month_day_without_year(index, after, month, day))
    }

    /// A day of the month (`9`, `9th`) at `index`, and the index after it.
    fn day_number(&self, index: usize) -> Option<(u8, usize)> {
        let token = self.token(index)?;
        let day = if token.is_digits() && token.digits() <= 2 {
            u8::try_from(token.number()?).ok()?
        } else {
            ordinal_day(token.key())?
        };
        // `9:30` is a time, `9/10` a fraction; `Oct. 26:` is a date.
        if matches!(self.key(index + 1), ":" | "/")
            && self.glued(index + 1)
            && self.glued(index + 2)
            && self.token(index + 2).is_some_and(Token::is_digits)
        {
            return None;
        }
        ((1..=31).contains(&day)).then_some((day, index + 1))
    }

    /// A four-digit year at `index` (1000–2099).
    /// A year said in words, as broadcast transcripts write them:
    /// `nineteen ninety-six`, `two thousand`, `two thousand and one`; and
    /// the index after it.
    fn spoken_year(&self, index: usize) -> Option<(i32, usize)> {
        match self.key(index) {
            "nineteen" | "eighteen" => {
                let century = if self.is(index, "nineteen") { 1900 } else { 1800 };
                let (Amount::Exactly(rest), end) = self.amount(index + 1)? else {
                    return None;
                };
                let plain_word = self.token(index + 1).is_some_and(|token| !token.is_digits());
                ((10..100).contains(&rest) && plain_word).then_some((century + rest as i32, end))
            }
            "two" if self.is(index + 1, "thousand") => {
                let mut end = index + 2;
                let mut year = 2000;
                let next = if self.is(end, "and") { end + 1 } else { end };
                if let Some((Amount::Exactly(rest), after)) = self.amount(next)
                    && rest < 100
                    && self.token(next).is_some_and(|token| !token.is_digits())
                {
                    year += rest as i32;
                    end = after;
                }
                Some((year, end))
            }
            _ => None,
        }
    }

    fn year_number(&self, index: usize) -> Option<i32> {
        let token = self.token(index)?;
        if token.digits() != 4 {
            return None;
        }
        let year = i32::try_from(token.number()?).ok()?;
        (1000..=2099).contains(&year).then_some(year)
    }

    /// The `25` of `April 24 and 25`: a second day of the month just
    /// named, its year found as the first one's.
    fn second_day(&self, index: usize) -> Option<Hit> {
        let (day, end) = self.day_number(index)?;
        let first = index.checked_sub(2)?;
        if !matches!(self.key(index + 1), "" | "." | "," | ";" | ")")
            || !matches!(self.key(index - 1), "and" | "or")
            || self.day_number(first).is_none()
            || !self.token(first).is_some_and(Token::is_digits)
        {
            return None;
        }
        let month = self.month_at(first.checked_sub(1)?)?;
        let (year_after, end) =
            if self.is(end, ",") { (self.year_number(end + 1), end + 2) } else { (None, end) };
        match year_after {
            Some(year) => {
                let date = Date::new(year, month, day)?;
                Some(Hit::date(end, date_value(date)))
            }
            None => Some(self.month_day_without_year(first - 1, index + 1, month, day)),
        }
    }

    fn month_day_without_year(&self, start: usize, end: usize, month: u8, day: u8) -> Hit {
        let Some(dct) = self.dct else {
            return Hit::date(end, format!("XXXX-{month:02}-{day:02}"));
        };
        let tense = self.tense(start, end);
        let year = year_for(dct, month, day, tense);
        match Date::new(year, month, day) {
            Some(date) => Hit::date(end, date_value(date)).relative(),
            None => Hit::date(end, format!("XXXX-{month:02}-{day:02}")),
        }
    }

    fn month_without_year(&self, start: usize, end: usize, month: u8) -> Hit {
        let Some(dct) = self.dct else {
            return Hit::date(end, format!("XXXX-{month:02}"));
        };
        // `in December` means the closest December: read in April it is
        // the last one, in October the next. Measured on TimeBank, this
        // beats reading the tense; the tense only breaks ties.
        let tense = self.tense(start, end);
        let here = i64::from(dct.year()) * 12 + i64::from(dct.month());
        let distance = |year: i32| i64::from(year) * 12 + i64::from(month) - here;
        let years = [dct.year() - 1, dct.year(), dct.year() + 1];
        let by_tense = match tense {
            Tense::Past => years.into_iter().rev().find(|&year| distance(year) <= 1),
            Tense::Future => years.into_iter().find(|&year| distance(year) >= 0),
            Tense::Unknown => None,
        };
        let year = by_tense.unwrap_or_else(|| {
            years
                .into_iter()
                .min_by_key(|&year| {
                    let distance = i64::from(year) * 12 + i64::from(month) - here;
                    let tie = match tense {
                        Tense::Future => -i64::from(year),
                        _ => i64::from(year),
                    };
                    (distance.abs(), tie)
                })
                .unwrap_or(dct.year())
        });
        // `July last year`, `March next year`
        let (year, end) = match (self.key(end), self.key(end + 1)) {
            ("last", "year") => (dct.year() - 1, end + 2),
            ("next", "year") => (dct.year() + 1, end + 2),
            ("this", "year") => (dct.year(), end + 2),
            _ => (year, end),
        };
        Hit::date(end, format!("{year:04}-{month:02}")).relative()
    }

    /// `2017-12-10`, `12/10/2017`, `2008`, `1990s`, `2011 uprising`.
    fn numeric_date(&self, index: usize) -> Option<Hit> {
        let token = self.token(index)?;
        let glued_run = |from: usize, marks: &str| {
            self.is(from, marks)
                && self.glued(from)
                && self.glued(from + 1)
                && self.is(from + 2, marks)
                && self.glued(from + 2)
                && self.glued(from + 3)
        };
        // ISO 2017-12-10 (and 2017/12/10).
        if token.digits() == 4 && (glued_run(index + 1, "-") || glued_run(index + 1, "/")) {
            let year = i32::try_from(token.number()?).ok()?;
            let month = u8::try_from(self.token(index + 2)?.number()?).ok()?;
            let day = u8::try_from(self.token(index + 4)?.number()?).ok()?;
            let date = Date::new(year, month, day)?;
            let end = index + 5;
            return Some(self.with_clock(end, date_value(date)));
        }
        // 12/10/2017: month first as American copy writes it, unless the
        // first number cannot be a month.
        if token.digits() <= 2 && glued_run(index + 1, "/") {
            let first = u8::try_from(token.number()?).ok()?;
            let second = u8::try_from(self.token(index + 2)?.number()?).ok()?;
            let year_token = self.token(index + 4)?;
            let year = match year_token.digits() {
                4 => i32::try_from(year_token.number()?).ok()?,
                2 => {
                    let short = i32::try_from(year_token.number()?).ok()?;
                    if short >= 50 { 1900 + short } else { 2000 + short }
                }
                _ => return None,
            };
            let (month, day) = if first > 12 { (second, first) } else { (first, second) };
            let date = Date::new(year, month, day)?;
            return Some(self.with_clock(index + 5, date_value(date)));
        }
        // A year: 1990s, 1990's, 2008.
        if token.digits() != 4 {
            return None;
        }
        if self.is(index + 1, "'") && self.is(index + 2, "s") && self.glued(index + 1) {
            return self.decade(index);
        }
        let year = self.year_number(index)?;
        let previous = self.key_back(index, 1);
        if matches!(previous, "$" | "#" | "no" | "number" | "route" | "flight" | "nos") {
            return None;
        }
        let next = self.key(index + 1);
        let digit_after = self.token(index + 2).is_some_and(Token::is_digits);
        if matches!(next, "%" | "." | ":" | ",") && self.glued(index + 1) && digit_after {
            // `2008.5`, `2008:30`, `2,008,000` are numbers; `in 2008.` a year.
            return None;
        }
        if next == "%" {
            return None;
        }
        if is_count_noun(next) && !(next == "of" && is_date_preposition(previous)) {
            return None;
        }
        Some(Hit::date(index + 1, format!("{year:04}")))
    }

    /// A clock time right after a numeric date (`1999-01-22 13:06:18`).
    fn with_clock(&self, end: usize, date: String) -> Hit {
        if let Some((time, after)) = self.clock_value(end) {
            return Hit::new(after, TimexType::Time, format!("{date}T{time}"));
        }
        Hit::date(end, date)
    }

    /// `the 1990s`, `1990s`, `the 1980's`: the decade, written as its first
    /// three digits.
    fn decade(&self, index: usize) -> Option<Hit> {
        let start = if self.is(index, "the") { index + 1 } else { index };
        let token = self.token(start)?;
        let word = token.key();
        // `the '80s`: the decade of the 1900s.
        if word == "'"
            && let Some(next) = self.token(start + 1).filter(|next| next.glued)
            && let [tens @ b'1'..=b'9', b'0', b's'] = next.key().as_bytes()
        {
            return Some(Hit::date(start + 2, format!("19{}", char::from(*tens))));
        }
        let (digits, end) = if word.len() == 5 && word.ends_with('s') {
            (&word[..4], start + 1)
        } else if token.digits() == 4 && self.is(start + 1, "'") && self.is(start + 2, "s") {
            (word, start + 3)
        } else {
            return None;
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !digits.ends_with('0') {
            return None;
        }
        let year: i32 = digits.parse().ok()?;
        if !(1000..=2090).contains(&year) {
            return None;
        }
        Some(Hit::date(end, digits[..3].to_string()))
    }

    /// `20th century`, `the 11th century`: `19`, `10`.
    fn century(&self, index: usize) -> Option<Hit> {
        let word = self.key(index);
        if !word.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let number = ordinal_day(word).filter(|number| *number <= 21)?;
        let end = if self.is(index + 1, "century") {
            index + 2
        } else if self.is(index + 1, "-") && self.is(index + 2, "century") {
            index + 3
        } else {
            return None;
        };
        Some(Hit::date(end, format!("{:02}", number - 1)))
    }

    /// `the nineties`, `the eighties`: the decade of the 1900s it names.
    fn spelled_decade(&self, index: usize) -> Option<Hit> {
        let digit = match self.key(index) {
            "twenties" => 2,
            "thirties" => 3,
            "forties" => 4,
            "fifties" => 5,
            "sixties" => 6,
            "seventies" => 7,
            "eighties" => 8,
            "nineties" => 9,
            _ => return None,
        };
        Some(Hit::date(index + 1, format!("19{digit}")))
    }

    /// `fiscal 2019`, `fiscal year 2019`, `fiscal 1999`.
    fn fiscal_year(&self, index: usize) -> Option<Hit> {
        let next = if self.is(index + 1, "year") { index + 2 } else { index + 1 };
        let year = self.year_number(next)?;
        // TimeBank writes the year itself; the fiscal calendar is the
        // company's and not known here.
        Some(Hit::date(next + 1, format!("{year:04}")))
    }

    /// `the first quarter of 2019`, `the third quarter`, `third-quarter`,
    /// `the first half`.
    fn quarter(&self, index: usize) -> Option<Hit> {
        let mut position = index;
        if self.is(position, "the") {
            position += 1;
        }
        if self.is(position, "fiscal") {
            position += 1;
        }
        // `the last half of 1989`, `the last quarter of 1990`: the last of
        // a named year (without a year, `the last quarter` is the one
        // before the DCT's, read by `determined`).
        let last = self.is(position, "last");
        let number = if last { 0 } else { ordinal(self.key(position))? };
        position += 1;
        if self.is(position, "-") {
            if self.is(index, "the") {
                // `the third-quarter loss`: the adjective alone is the date.
                return None;
            }
            position += 1;
        }
        if self.is(position, "fiscal") {
            position += 1;
        }
        let (letter, count) = match self.key(position) {
            "quarter" => ("Q", 4),
            "half" => ("H", 2),
            _ => return None,
        };
        let number = if last { count } else { number };
        if number > count {
            return None;
        }
        position += 1;
        let of =
            if self.is(position, "of") || self.is(position, ",") { position + 1 } else { position };
        // `the last half of the '80s`: the end of the decade.
        if last
            && letter == "H"
            && let Some(mut decade) = self.decade(of)
        {
            decade.modifier = Some("END");
            return Some(decade);
        }
        if last && self.year_number(of).is_none() {
            return None;
        }
        if let Some(year) = self.year_number(of) {
            return Some(Hit::date(of + 1, format!("{year:04}-{letter}{number}")));
        }
        let fiscal = self.is(of, "fiscal") && self.year_number(of + 1).is_some();
        if fiscal {
            let year = self.year_number(of + 1)?;
            return Some(Hit::date(of + 2, format!("{year:04}-{letter}{number}")));
        }
        let Some(dct) = self.dct else {
            return Some(Hit::date(position, format!("XXXX-{letter}{number}")));
        };
        let current = if letter == "Q" { quarter_of(dct.month()) } else { dct.month().div_ceil(6) };
        let mut year = dct.year();
        if number > current && self.tense(index, position) != Tense::Future {
            year -= 1;
        }
        Some(Hit::date(position, format!("{year:04}-{letter}{number}")).relative())
    }

    /// `summer`, `last summer`, `the summer of 2018`, `spring 2019`; `fall`
    /// only after a determiner or before a year.
    fn season(&self, index: usize, shift: i32, start: usize) -> Option<Hit> {
        let code = season_of(self.key(index))?;
        let mut end = index + 1;
        let of = if self.is(end, "of") || self.is(end, ",") { end + 1 } else { end };
        if let Some(year) = self.year_number(of) {
            return Some(Hit::date(of + 1, format!("{year:04}-{code}")));
        }
        if let Some((year, after)) = self.spoken_year(of).filter(|_| of > end) {
            // `the winter of nineteen ninety-four`
            return Some(Hit::date(after, format!("{year:04}-{code}")));
        }
        let before = self.key_back(start, 1);
        let determined = start < index || matches!(before, "the" | "this" | "in" | "last" | "next");
        if self.is(index, "fall") && !determined {
            return None;
        }
        if self.is(index, "spring") && self.is(end, "-") {
            return None;
        }
        let Some(dct) = self.dct else {
            if shift != 0 {
                return None;
            }
            return Some(Hit::date(end, format!("XXXX-{code}")));
        };
        let (start_month, end_month) = match code {
            "SP" => (3, 5),
            "SU" => (6, 8),
            "FA" => (9, 11),
            _ => (12, 2),
        };
        let mut year = dct.year();
        if shift < 0 && !(end_month < dct.month() && code != "WI") {
            year -= 1;
        } else if shift > 0 && start_month <= dct.month() {
            year += 1;
        }
        end = end.max(index + 1);
        Some(Hit::date(end, format!("{year:04}-{code}")).relative())
    }

    /// `Saturday`, `Saturday night`, `Saturday, Dec. 9`.
    fn weekday(&self, index: usize, weekday: Weekday) -> Option<Hit> {
        let token = self.token(index)?;
        if !token.capital {
            return None;
        }
        let next = self.after_dot(index + 1);
        if token.key().len() <= 4 && next == index + 1 {
            // Abbreviations need their dot: `Sat` and `Wed` are words too.
            return None;
        }
        let comma = if self.is(next, ",") { next + 1 } else { next };
        if let Some(month) = self.month_at(comma)
            && let Some(hit) = self.month_led(comma, month)
        {
            return Some(hit);
        }
        // `Tuesday nights`, `on Monday and Tuesday nights`: every such
        // night, a set.
        let plural_part = |at: usize| {
            let key = self.key(at);
            key.strip_suffix('s').and_then(part_of_day)
        };
        if let Some(part) = plural_part(next) {
            let value = format!("XXXX-WXX-{}T{part}", weekday.index() + 1);
            return Some(Hit::new(next + 1, TimexType::Set, value));
        }
        if self.is(next, "and")
            && let Some(other) = self.token(next + 1).filter(|token| token.capital)
            && weekday_of(other.key()).is_some()
            && let Some(part) = plural_part(next + 2)
        {
            let value = format!("XXXX-WXX-{}T{part}", weekday.index() + 1);
            return Some(Hit::new(next, TimexType::Set, value));
        }
        let date = self.weekday_date(index, next, weekday, 0);
        // `Friday night`: the corpus writes the night of a named weekday
        // as that day (10 times, against 5 `TNI` and 3 `TEV`), while its
        // mornings and evenings keep their part of the day.
        if self.is(next, "night")
            && let Some(date) = date
        {
            return Some(Hit::date(next + 1, date_value(date)).relative());
        }
        if let Some(part) = part_of_day(self.key(next)) {
            let value = date.map_or_else(
                || format!("XXXX-WXX-{}T{part}", weekday.index() + 1),
                |date| format!("{}T{part}", date_value(date)),
            );
            let hit = Hit::new(next + 1, TimexType::Time, value);
            return Some(if self.dct.is_some() { hit.relative() } else { hit });
        }
        Some(match date {
            Some(date) => Hit::date(next, date_value(date)).relative(),
            None => Hit::date(next, format!("XXXX-WXX-{}", weekday.index() + 1)),
        })
    }

    /// The date a weekday names: `direction` -1 for `last`, +1 for `next`,
    /// 2 for `this`, 0 for a bare weekday (read from the tense).
    fn weekday_date(
        &self,
        start: usize,
        end: usize,
        weekday: Weekday,
        direction: i8,
    ) -> Option<Date> {
        let dct = self.dct?;
        let today = i64::from(dct.weekday().index());
        let target = i64::from(weekday.index());
        let back = (today - target).rem_euclid(7);
        let ahead = (target - today).rem_euclid(7);
        let offset = match direction {
            -1 => -(if back == 0 { 7 } else { back }),
            // `the previous Friday`: the one before the Friday a report
            // is about, the most recent one.
            -2 => -back - 7,
            1 => {
                if ahead == 0 {
                    7
                } else {
                    ahead
                }
            }
            2 => target - today,
            // `until Tuesday`, `as soon as Monday`, `as early as
            // Tuesday`: a deadline or a date to come.
            _ if self.deadline_before(start) => {
                if ahead == 0 {
                    7
                } else {
                    ahead
                }
            }
            // A weekday's clause is short: a marker further away belongs
            // to another verb more often than not.
            _ => match self.tense_within(start, end, 5, 3) {
                Tense::Future => {
                    if ahead == 0 {
                        7
                    } else {
                        ahead
                    }
                }
                _ => -back,
            },
        };
        dct.add_days(offset)
    }

    /// `until`, `till`, `as soon as`, `as early as` just before `start`
    /// (an `on` between them passed over): the expression is a time to come.
    fn deadline_before(&self, start: usize) -> bool {
        let mut position = start;
        if position > 0 && self.is(position - 1, "on") {
            position -= 1;
        }
        let at = |back: usize| self.key_back(position, back);
        // `not until Tuesday`, `up until Thursday` and a sentence that
        // opens with `Until Thursday,` look back on the time instead.
        let until = matches!(at(1), "until" | "till")
            && !matches!(at(2), "not" | "up")
            && position
                .checked_sub(1)
                .and_then(|index| self.token(index))
                .is_some_and(|token| !token.capital);
        until || (at(1) == "as" && matches!(at(2), "soon" | "early") && at(3) == "as")
    }

    /// Christmas, New Year's Day, Thanksgiving, …, with an optional year.
    fn holiday(&self, index: usize) -> Option<Hit> {
        let token = self.token(index)?;
        if !token.capital {
            return None;
        }
        let day_word = |at: usize| if self.is(at, "day") { at + 1 } else { at };
        let possessive = |at: usize| {
            if self.is(at, "'") && self.is(at + 1, "s") { at + 2 } else { at }
        };
        let (rule, end): (Holiday, usize) = match token.key() {
            "christmas" => {
                if self.is(index + 1, "eve") {
                    (Holiday::Fixed(12, 24), index + 2)
                } else {
                    (Holiday::Fixed(12, 25), day_word(index + 1))
                }
            }
            "new" if self.is(index + 1, "year") => {
                let after = possessive(index + 2);
                if self.is(after, "eve") {
                    (Holiday::Fixed(12, 31), after + 1)
                } else if self.is(after, "day") {
                    (Holiday::Fixed(1, 1), after + 1)
                } else {
                    return None;
                }
            }
            "halloween" => (Holiday::Fixed(10, 31), index + 1),
            "valentine" if self.is(possessive(index + 1), "day") => {
                (Holiday::Fixed(2, 14), possessive(index + 1) + 1)
            }
            "independence" if self.is(index + 1, "day") => (Holiday::Fixed(7, 4), index + 2),
            "thanksgiving" => (Holiday::Nth(11, Weekday::Thursday, 4), day_word(index + 1)),
            // The Tuesday after the first Monday of November (the U.S.).
            "election" if self.is(index + 1, "day") && self.token(index + 1)?.capital => {
                (Holiday::Election, index + 2)
            }
            "labor" if self.is(index + 1, "day") => {
                (Holiday::Nth(9, Weekday::Monday, 1), index + 2)
            }
            "memorial" if self.is(index + 1, "day") => {
                (Holiday::Nth(5, Weekday::Monday, 0), index + 2)
            }
            "easter" => {
                let end = if self.is(index + 1, "sunday") { index + 2 } else { index + 1 };
                (Holiday::Easter, end)
            }
            _ => return None,
        };
        let comma = if self.is(end, ",") { end + 1 } else { end };
        let (year, end, relative) = match self.year_number(comma) {
            Some(year) => (Some(year), comma + 1, false),
            None => match (self.dct, rule) {
                (Some(dct), Holiday::Fixed(month, day)) => {
                    (Some(year_for(dct, month, day, self.tense(index, end))), end, true)
                }
                // A moving holiday picks its year by a day near it.
                (Some(dct), Holiday::Nth(..) | Holiday::Election) => {
                    let month = if let Holiday::Nth(month, ..) = rule { month } else { 11 };
                    (Some(year_for(dct, month, 20, self.tense(index, end))), end, true)
                }
                (Some(dct), Holiday::Easter) => {
                    (Some(year_for(dct, 4, 5, self.tense(index, end))), end, true)
                }
                (None, _) => (None, end, false),
            },
        };
        let date = year.and_then(|year| match rule {
            Holiday::Fixed(month, day) => Date::new(year, month, day),
            Holiday::Nth(month, weekday, n) => nth_weekday(year, month, weekday, n),
            Holiday::Easter => easter(year),
            Holiday::Election => {
                let monday = nth_weekday(year, 11, Weekday::Monday, 1)?;
                monday.add_days(1)
            }
        });
        // `Easter week`, `Christmas week`: the week that holds the day.
        if self.is(end, "week")
            && !matches!(self.key(end + 1), "-" | "'")
            && let Some(date) = date
        {
            let hit = Hit::date(end + 1, week_value(date));
            return Some(if relative { hit.relative() } else { hit });
        }
        let value = match (date, rule) {
            (Some(date), _) => date_value(date),
            (None, Holiday::Fixed(month, day)) => format!("XXXX-{month:02}-{day:02}"),
            (None, _) => "XXXX-XX-XX".to_string(),
        };
        let hit = Hit::date(end, value);
        Some(if relative { hit.relative() } else { hit })
    }

    // ---- relative dates ---------------------------------------------------

    fn relative_date(&self, index: usize) -> Option<Hit> {
        let token = self.token(index)?;
        let word = token.key();
        match word {
            "today" if self.present_age(index) => None,
            "today" => {
                let value = self.dct.map_or_else(|| "XXXX-XX-XX".into(), date_value);
                Some(self.relative_hit(Hit::date(index + 1, value)))
            }
            "tomorrow" if self.generic_tomorrow(index) => None,
            "yesterday" | "tomorrow" => {
                let shift = if word == "yesterday" { -1 } else { 1 };
                self.day_with_part(index + 1, shift)
            }
            "tonight" => {
                let day = self.dct.map_or_else(|| "XXXX-XX-XX".into(), date_value);
                Some(self.relative_hit(Hit::new(index + 1, TimexType::Time, format!("{day}TNI"))))
            }
            "this" | "last" | "next" | "past" | "coming" | "current" | "latest" | "recent"
            | "previous" => self.determined(index, index),
            "the" => self.period_a_year_before(index).or_else(|| self.after_the(index)),
            "year" => self.year_ago(index, index).or_else(|| self.year_end(index)),
            // `the day before yesterday`, `the day after last Tuesday's
            // hearing`: the day next to a named day (the article stays
            // outside, as TimeBank annotates it).
            "day" if matches!(self.key(index + 1), "before" | "after") => {
                let shift = if self.is(index + 1, "before") { -1 } else { 1 };
                let day = self
                    .explicit_date(index + 2)
                    .or_else(|| self.relative_date(index + 2))
                    .filter(|day| day.kind == TimexType::Date)?;
                let date = day.value.parse::<Date>().ok()?.add_days(shift)?;
                let mut hit = Hit::date(day.end, date_value(date));
                hit.relative = day.relative;
                Some(hit)
            }
            "that" => {
                // `that year`, `that same year`
                let year = if self.is(index + 1, "same") { index + 2 } else { index + 1 };
                if !self.is(year, "year") || matches!(self.key(year + 1), "'" | "-") {
                    return None;
                }
                let mut hit = Hit::date(year + 1, "XXXX");
                hit.after_last_year = Some(0);
                Some(hit)
            }
            _ => None,
        }
    }

    /// `the past year`, `the weekend`, `the full year`, `the quarter`, …:
    /// the relative dates that begin with `the` at `index`.
    fn after_the(&self, index: usize) -> Option<Hit> {
        match self.key(index + 1) {
            "past" | "last" | "next" | "coming" | "latest" | "current" | "previous"
            | "preceding" | "recent" => self.determined(index + 1, index),
            "weekend" => {
                // The weekend just past in a report, the coming one in
                // an announcement: the week of that Saturday.
                let saturday = self.weekday_date(index, index + 2, Weekday::Saturday, 0);
                let week = saturday.map_or_else(|| "XXXX-WXX".into(), week_value);
                Some(self.relative_hit(Hit::date(index + 2, format!("{week}-WE"))))
            }
            "year" if self.is(index + 2, "-") => self.year_ago(index + 1, index),
            // `the comparable year-ago quarter`
            "comparable" | "corresponding" | "same"
                if self.is(index + 2, "year") && self.is(index + 3, "-") =>
            {
                self.year_ago(index + 2, index)
            }
            "year" if !self.is(index + 2, "'") => self.the_year(index + 1),
            // `the full year`, `the fiscal year`, `the full fiscal year`
            "following" if self.is(index + 2, "year") && !self.is(index + 3, "'") => {
                let mut hit = Hit::date(index + 3, "XXXX");
                hit.after_last_year = Some(1);
                Some(hit)
            }
            "following" if self.is(index + 2, "month") && !self.is(index + 3, "'") => {
                let mut hit = Hit::date(index + 3, "XXXX-XX");
                hit.after_last_month = true;
                Some(hit)
            }
            "full" | "fiscal" => {
                let mut year = index + 2;
                if self.is(index + 1, "full") && self.is(year, "fiscal") {
                    year += 1;
                }
                if !self.is(year, "year") || self.is(year + 1, "'") || self.is(year + 1, "-") {
                    return None;
                }
                self.the_year(year)
            }
            "month" | "week" | "quarter" => {
                // `the week of March 6`: the week holding that day.
                if self.is(index + 1, "week")
                    && self.is(index + 2, "of")
                    && let Some(day) = self.explicit_date(index + 3)
                    && let Ok(date) = day.value.parse::<Date>()
                {
                    return Some(Hit { value: week_value(date), ..day });
                }
                let (unit, _) = unit_of(self.key(index + 1))?;
                // `the week's most active session` is the week;
                // `the month-long strike` qualifies a noun.
                let possessive = self.is(index + 2, "'") && self.is(index + 3, "s");
                if self.is(index + 2, "-") || self.is(index + 2, "'") && !possessive {
                    return None;
                }
                let value = self.shift(unit, 0)?;
                let mut hit = Hit::date(index + 2, value);
                if unit == Unit::Quarter {
                    hit.value = self.last_quarter();
                    hit.the_quarter = true;
                }
                Some(self.relative_hit(hit))
            }
            _ => None,
        }
    }

    /// `the quarter a year ago`, `the corresponding period last year`,
    /// `the same quarter a year earlier`: one expression, the period
    /// compared a year before, which `find_timexes` turns into the quarter
    /// a year before the last one mentioned.
    fn period_a_year_before(&self, the: usize) -> Option<Hit> {
        let mut period = the + 1;
        if matches!(self.key(period), "same" | "corresponding" | "comparable") {
            period += 1;
        }
        if !matches!(self.key(period), "quarter" | "period") {
            return None;
        }
        let after = period + 1;
        let after = if self.is(after, "of") { after + 1 } else { after };
        let end = if self.is(after, "last") && self.is(after + 1, "year") {
            after + 2
        } else if self.is(after, "a")
            && self.is(after + 1, "year")
            && matches!(self.key(after + 2), "ago" | "earlier")
        {
            after + 3
        } else {
            return None;
        };
        if matches!(self.key(end), "'" | "-") {
            return None;
        }
        let mut hit = self.relative_hit(Hit::date(end, self.shift(Unit::Year, -1)?));
        hit.year_before_quarter = true;
        Some(hit)
    }

    /// `the year` whose `year` is at `year`: the twelve months of a report
    /// before `ended Sept. 30` (`for the year ended …`), the DCT's year
    /// otherwise (`a high for the year`, `the end of the year`).
    fn the_year(&self, year: usize) -> Option<Hit> {
        let length = matches!(
            self.key(year + 1),
            "ended"
                | "ending"
                | "ends"
                | "to"
                | "through"
                | "before"
                | "after"
                | "earlier"
                | "later"
                | "ago"
                | "since"
                | "that"
                | "when"
        ) || self.token(year + 1).is_some_and(Token::is_digits);
        if length {
            return Some(Hit::new(year + 1, TimexType::Duration, "P1Y"));
        }
        let value = self.shift(Unit::Year, 0)?;
        Some(self.relative_hit(Hit::date(year + 1, value)))
    }

    /// `by year-end`, `since year end`, `by year's end`: the end of the
    /// DCT's year, after a preposition (`year-end bonuses` is a noun's
    /// modifier).
    fn year_end(&self, year: usize) -> Option<Hit> {
        let before = self.key_back(year, 1);
        if !matches!(
            before,
            "by" | "since" | "at" | "before" | "until" | "till" | "after" | "through"
        ) {
            return None;
        }
        let end = if self.is(year + 1, "-") && self.is(year + 2, "end") {
            year + 3
        } else if self.is(year + 1, "end") {
            year + 2
        } else if self.is(year + 1, "'") && self.is(year + 2, "s") && self.is(year + 3, "end") {
            year + 4
        } else {
            return None;
        };
        let mut hit = self.relative_hit(Hit::date(end, self.shift(Unit::Year, 0)?));
        hit.modifier = Some("END");
        Some(hit)
    }

    /// `year-earlier`, `the year-ago quarter`, `the year-earlier nine
    /// months`: the same period a year before, which `find_timexes` turns
    /// into the quarter a year before the last one mentioned.
    fn year_ago(&self, year: usize, start: usize) -> Option<Hit> {
        if !(self.is(year + 1, "-") && matches!(self.key(year + 2), "earlier" | "ago")) {
            return None;
        }
        let mut end = year + 3;
        if start < year {
            // After `the`, the period named is part of the expression.
            if ordinal(self.key(end)).is_some() && self.is(end + 1, "quarter") {
                end += 1;
            }
            if matches!(self.key(end), "quarter" | "period") {
                end += 1;
            } else if let Some((amount, after)) = self.amount(end)
                && let Some((unit, _)) = unit_of(self.key(after))
            {
                // `the year-earlier nine months`: a length, as TimeBank
                // annotates `the first nine months`.
                return Some(Hit::new(
                    after + 1,
                    TimexType::Duration,
                    duration_value(amount, unit),
                ));
            }
            if end == year + 3 {
                // `the year-ago` alone: TimeBank leaves the article out.
                return None;
            }
        }
        let value = self.shift(Unit::Year, -1)?;
        let mut hit = self.relative_hit(Hit::date(end, value));
        hit.year_before_quarter = true;
        Some(hit)
    }

    /// `third quarter`, `first-half`, `quarter`, `period` at `index`, of
    /// `year`: `1988-Q3`, or the year with the quarter in context.
    fn period_of_year(&self, index: usize, year: i32) -> Option<Hit> {
        let mut position = index;
        let number = ordinal(self.key(position));
        if number.is_some() {
            position += 1;
            if self.is(position, "-") {
                position += 1;
            }
        }
        let (letter, count) = match self.key(position) {
            "quarter" => ("Q", 4),
            "half" if number.is_some() => ("H", 2),
            "period" if number.is_none() => ("Q", 4),
            _ => return None,
        };
        match number {
            Some(number) if number <= count => {
                Some(Hit::date(position + 1, format!("{year:04}-{letter}{number}")))
            }
            Some(_) => None,
            None => {
                let mut hit = Hit::date(position + 1, format!("{year:04}"));
                hit.quarter_of_year = true;
                Some(hit)
            }
        }
    }

    /// The most recent quarter to have ended, what `the quarter` means in
    /// an earnings report.
    fn last_quarter(&self) -> String {
        match self.dct {
            Some(dct) => {
                let (year, month) = add_months(dct.year(), dct.month(), -3);
                format!("{year:04}-Q{}", quarter_of(month))
            }
            None => "XXXX-QX".into(),
        }
    }

    fn relative_hit(&self, hit: Hit) -> Hit {
        if self.dct.is_some() { hit.relative() } else { hit }
    }

    /// `yesterday`, `yesterday morning`, `tomorrow night`.
    fn day_with_part(&self, next: usize, shift: i64) -> Option<Hit> {
        let day = self
            .dct
            .and_then(|dct| dct.add_days(shift))
            .map_or_else(|| "XXXX-XX-XX".into(), date_value);
        if let Some(part) = part_of_day(self.key(next)) {
            return Some(self.relative_hit(Hit::new(
                next + 1,
                TimexType::Time,
                format!("{day}T{part}"),
            )));
        }
        Some(self.relative_hit(Hit::date(next, day)))
    }

    /// `last week`, `this year`, `next Friday`, `this morning`, `last
    /// night`, `the past six months`, `last summer`; `word` is the index of
    /// `last`/`this`/…, `start` that of the expression (`the`).
    fn determined(&self, word: usize, start: usize) -> Option<Hit> {
        let with_the = start < word;
        let determiner = self.key(word);
        let next = word + 1;
        // `the current fiscal year`, `the latest fiscal year`
        if self.is(next, "fiscal") && self.is(next + 1, "year") && !self.is(next + 2, "'") {
            let shift = match determiner {
                "last" | "past" | "previous" | "latest" => -1,
                "next" | "coming" => 1,
                "this" | "current" => 0,
                _ => return None,
            };
            let value = self.shift(Unit::Year, shift)?;
            return Some(self.relative_hit(Hit::date(next + 2, value)));
        }
        // `this past week`
        if determiner == "this" && matches!(self.key(next), "past" | "coming") {
            return self.determined(next, start);
        }
        let shift: i64 = match determiner {
            "last" | "past" | "previous" | "preceding" | "latest" | "recent" => -1,
            "next" | "coming" => 1,
            _ => 0,
        };
        // A counted span: the past six months, the next few years.
        if let Some((amount, after)) = self.amount(next)
            && !matches!(self.key(next), "a" | "an")
        {
            let (unit, _) = unit_of(self.key(after))?;
            let value = duration_value(amount, unit);
            return Some(Hit::new(after + 1, TimexType::Duration, value));
        }
        if determiner == "recent" {
            let (_, plural) = unit_of(self.key(next))?;
            if !plural {
                return None;
            }
            // `recent years` is a time in the past, not a length: TimeML
            // gives it PAST_REF. The shorter units are annotated as the
            // unspecified stretch up to now: `recent months` is `PXM`.
            let (unit, _) = unit_of(self.key(next))?;
            if matches!(unit, Unit::Month | Unit::Week | Unit::Day) {
                return Some(Hit::new(
                    next + 1,
                    TimexType::Duration,
                    duration_value(Amount::Some, unit),
                ));
            }
            return Some(Hit::new(next + 1, TimexType::Date, "PAST_REF"));
        }
        let key = self.key(next);
        if determiner == "last" && key == "night" {
            return self.day_with_part(next, -1).map(|mut hit| {
                hit.end = next + 1;
                hit
            });
        }
        if determiner == "this"
            && let Some(part) = part_of_day(key)
        {
            let day = self.dct.map_or_else(|| "XXXX-XX-XX".into(), date_value);
            let hit = Hit::new(next + 1, TimexType::Time, format!("{day}T{part}"));
            return Some(self.relative_hit(hit));
        }
        if self.token(next).is_some_and(|token| token.capital)
            && let Some(holiday) = self.holiday(next)
        {
            return Some(holiday);
        }
        if let Some(weekday) = weekday_of(key) {
            let direction = match shift {
                -1 if with_the && matches!(determiner, "previous" | "preceding") => -2,
                -1 => -1,
                1 => 1,
                _ => 2,
            };
            let end = self.after_dot(next + 1);
            let hit = match self.weekday_date(start, end, weekday, direction) {
                Some(date) => Hit::date(end, date_value(date)).relative(),
                None => Hit::date(end, format!("XXXX-WXX-{}", weekday.index() + 1)),
            };
            return Some(hit);
        }
        if season_of(key).is_some() {
            return self.season(next, shift as i32, start);
        }
        let capital = self.token(next).is_some_and(|token| token.capital);
        if let Some(month) =
            month_from_name(key).filter(|_| capital && (key.len() > 3 || key == "may"))
        {
            let end = next + 1;
            let Some(dct) = self.dct else {
                return Some(Hit::date(end, format!("XXXX-{month:02}")));
            };
            let mut year = dct.year();
            // `last February` read in March: the month just ended is
            // `last month`, so the named one is a year before.
            if shift < 0 && month + 1 >= dct.month() {
                year -= 1;
            } else if shift > 0 && month <= dct.month() {
                year += 1;
            }
            return Some(Hit::date(end, format!("{year:04}-{month:02}")).relative());
        }
        if key == "year" && self.is(next + 1, "'") && self.is(next + 2, "s") {
            // `this year's third quarter`, `last year's quarter`
            if let Some(Ok(year)) = self.shift(Unit::Year, shift).map(|year| year.parse::<i32>())
                && let Some(mut hit) = self.period_of_year(next + 3, year)
            {
                hit.relative = self.dct.is_some();
                return Some(hit);
            }
        }
        if determiner == "latest" && key == "period" {
            // An earnings report's latest period is its last quarter.
            let mut hit = Hit::date(next + 1, self.last_quarter());
            hit.the_quarter = true;
            return Some(self.relative_hit(hit));
        }
        let (unit, plural) = unit_of(key)?;
        if plural {
            // `coming months` without an article is a time ahead;
            // `the coming weeks`, `the past years` an unspecified stretch.
            if !with_the && matches!(determiner, "coming" | "past") {
                let value = if determiner == "coming" { "FUTURE_REF" } else { "PAST_REF" };
                return Some(Hit::new(next + 1, TimexType::Date, value));
            }
            if matches!(determiner, "past" | "coming" | "next" | "last" | "recent") {
                return Some(Hit::new(
                    next + 1,
                    TimexType::Duration,
                    duration_value(Amount::Some, unit),
                ));
            }
            return None;
        }
        if matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) {
            return None;
        }
        // `the past day`, `the past decade` are the stretch to now; `the
        // past year`, like `last year`, the calendar year before this one
        // (TimeBank annotates it so: a date, not a length), `the next year`
        // the one after it, and so for weeks, months and quarters.
        if with_the
            && matches!(unit, Unit::Day | Unit::Decade | Unit::Century)
            && matches!(determiner, "past" | "last" | "next" | "coming")
        {
            return Some(Hit::new(
                next + 1,
                TimexType::Duration,
                duration_value(Amount::Exactly(1), unit),
            ));
        }
        if determiner == "latest" || (with_the && matches!(determiner, "previous" | "preceding")) {
            if unit == Unit::Quarter {
                let mut hit = Hit::date(next + 1, self.last_quarter());
                hit.the_quarter = true;
                return Some(self.relative_hit(hit));
            }
            return None;
        }
        if determiner == "current"
            && !matches!(unit, Unit::Quarter | Unit::Year | Unit::Month | Unit::Week)
        {
            return None;
        }
        // `this century`: TimeBank and AQUAINT write the hundred years up
        // to now (`P100Y`, 2 of 2), not the century's digits; typed a date,
        // as there.
        if determiner == "this" && unit == Unit::Century {
            return Some(Hit::date(next + 1, duration_value(Amount::Exactly(1), unit)));
        }
        let value = if unit == Unit::Weekend {
            let days = 7 * shift;
            match self.dct.and_then(|dct| dct.add_days(days)) {
                Some(date) => format!("{}-WE", week_value(date)),
                None => "XXXX-WXX-WE".into(),
            }
        } else {
            self.shift(unit, shift)?
        };
        let hit = Hit::date(next + 1, value);
        Some(self.relative_hit(hit))
    }

    /// The value of the `unit` holding the DCT moved by `steps` units:
    /// `2017-W50`, `2017-11`, `2016`, … or its underspecified form.
    fn shift(&self, unit: Unit, steps: i64) -> Option<String> {
        let Some(dct) = self.dct else {
            return Some(
                match unit {
                    Unit::Day => "XXXX-XX-XX",
                    Unit::Week | Unit::Weekend => "XXXX-WXX",
                    Unit::Month => "XXXX-XX",
                    Unit::Quarter => "XXXX-QX",
                    Unit::Year => "XXXX",
                    Unit::Decade => "XXX",
                    Unit::Century => "XX",
                    _ => return None,
                }
                .to_string(),
            );
        };
        Some(match unit {
            Unit::Day => date_value(dct.add_days(steps)?),
            Unit::Week | Unit::Weekend => week_value(dct.add_days(steps.checked_mul(7)?)?),
            Unit::Month => {
                let (year, month) = add_months(dct.year(), dct.month(), steps);
                format!("{year:04}-{month:02}")
            }
            Unit::Quarter => {
                let (year, month) = add_months(dct.year(), dct.month(), steps.checked_mul(3)?);
                format!("{year:04}-Q{}", quarter_of(month))
            }
            Unit::Year => format!("{:04}", i64::from(dct.year()) + steps),
            Unit::Decade => format!("{:03}", (i64::from(dct.year()) + steps * 10).div_euclid(10)),
            Unit::Century => {
                format!("{:02}", (i64::from(dct.year()) + steps * 100).div_euclid(100))
            }
            _ => return None,
        })
    }

    // ---- durations ----------------------------------------------------------

    /// `three years`, `a few years`, `10-day`, `two days ago` (a date),
    /// `nearly two years`, `the nine months`.
    fn duration(&self, index: usize) -> Option<Hit> {
        let (modifier, start) = match self.key(index) {
            "about" | "around" | "approximately" | "roughly" | "some" => {
                (Some("APPROX"), index + 1)
            }
            "nearly" | "almost" => (Some("LESS_THAN"), index + 1),
            "more" | "less" if self.is(index + 1, "than") => {
                (Some(if self.is(index, "more") { "MORE_THAN" } else { "LESS_THAN" }), index + 2)
            }
            "over" => (Some("MORE_THAN"), index + 1),
            "at" if self.is(index + 1, "least") => (Some("EQUAL_OR_MORE"), index + 2),
            "the" => (None, index + 1),
            _ => (None, index),
        };
        let with_the = self.is(index, "the");
        let (amount, mut next) = if self.is(start, "first") && with_the {
            // `the first nine months`
            self.amount(start + 1)?
        } else {
            self.amount(start)?
        };
        if with_the && matches!(amount, Amount::Some) {
            return None;
        }
        // `5 1/2 hours`, `two and a half years`
        let mut half = false;
        if matches!(amount, Amount::Exactly(_)) {
            if self.is(next, "1") && self.is(next + 1, "/") && self.is(next + 2, "2") {
                half = self.glued(next + 1) && self.glued(next + 2);
            } else if self.is(next, "and") && self.is(next + 1, "a") && self.is(next + 2, "half") {
                half = true;
            }
            if half {
                next += 3;
            }
        }
        // `two to three weeks`, `12 to 18 months`: a range of lengths is at
        // least its lower bound (`P2W`, `EQUAL_OR_MORE`), as the corpus
        // writes `two to three weeks`; the higher bound is no more right.
        let mut range = false;
        if let Amount::Exactly(low) = amount
            && !half
            && self.is(next, "to")
            && let Some((Amount::Exactly(high), after)) = self.amount(next + 1)
            && high > low
            && unit_of(self.key(after)).is_some_and(|(_, plural)| plural)
        {
            next = after;
            range = true;
        }
        // `two more weeks`, `an additional year`
        if matches!(self.key(next), "more" | "additional" | "further" | "extra")
            && unit_of(self.key(next + 1)).is_some()
        {
            next += 1;
        }
        // `Eight trading days`, `five business days`: days counted on the
        // calendar of a market or an office, still days.
        if matches!(self.key(next), "trading" | "business")
            && unit_of(self.key(next + 1)).is_some_and(|(unit, _)| unit == Unit::Day)
        {
            next += 1;
        }
        let mut adjective = false;
        if self.is(next, "-") && self.glued(next) {
            next += 1;
            adjective = true;
        }
        let (unit, plural) = unit_of(self.key(next))?;
        // `a five year low`, `a three hour meeting`: a singular unit after
        // a number, before a noun, is the adjective without its hyphen.
        if let Amount::Exactly(number) = amount {
            let noun_after = self.token(next + 1).is_some_and(|token| {
                token.is_word
                    && !token.capital
                    && !matches!(token.key(), "ago" | "earlier" | "later")
            });
            if !plural
                && number > 1
                && noun_after
                && self.token(start).is_some_and(|t| !t.is_digits())
            {
                adjective = true;
            }
        }
        // `a year`, `an hour`: singular only with `a`/`one`; plural needs
        // a number other than one.
        if let Amount::Exactly(number) = amount {
            if !adjective && !range && plural == (number == 1) && !self.is(start, "one") {
                return None;
            }
            if number == 0 {
                return None;
            }
        }
        if adjective && (plural || with_the) {
            // `the two-week trip`: the article belongs to the noun.
            return None;
        }
        let mut end = next + 1;
        // `a second betrayal`, `A second group`: the ordinal, not a time.
        if unit == Unit::Second
            && matches!(self.key(index), "a" | "an")
            && self.token(end).is_some_and(|token| {
                token.is_word
                    && !matches!(
                        token.key(),
                        "ago"
                            | "later"
                            | "earlier"
                            | "before"
                            | "after"
                            | "or"
                            | "and"
                            | "of"
                            | "in"
                            | "to"
                            | "for"
                            | "longer"
                            | "apart"
                            | "left"
                    )
            })
        {
            return None;
        }
        // `a minute and a half`
        if !half
            && !plural
            && self.is(end, "and")
            && self.is(end + 1, "a")
            && self.is(end + 2, "half")
        {
            half = true;
            end += 3;
        }
        // `five-year-old`, `10 years old`: ages are not times.
        if matches!(self.key(end), "old" | "-") || self.is(end + 1, "old") {
            return None;
        }
        // `more than a quarter of the market`: a fraction, not a time.
        if unit == Unit::Quarter
            && matches!(self.key(start), "a" | "an" | "three")
            && self.is(end, "of")
            && matches!(
                self.key(end + 1),
                "the" | "its" | "their" | "all" | "his" | "her" | "our" | "this" | "that" | "these"
            )
        {
            return None;
        }
        // `a week or so ago`: approximately that long ago.
        if !adjective
            && !half
            && self.is(end, "or")
            && self.is(end + 1, "so")
            && matches!(self.key(end + 2), "ago" | "earlier" | "later")
        {
            return self.counted_shift(index, end + 2, amount, unit, modifier.or(Some("APPROX")));
        }
        if matches!(self.key(index), "a" | "an") && !self.is(end, "ago") {
            // `a year` after `once`/`twice`/`per` is a frequency.
            let before = self.key_back(index, 1);
            if matches!(before, "once" | "twice" | "times" | "per") || before == "$" {
                return None;
            }
            // `$2 million a year`, `358,000 a month`, `four flights a
            // week`: an amount per period, a rate rather than a time.
            let shifted =
                matches!(self.key(end), "earlier" | "later" | "before" | "after" | "from");
            if !shifted && index > 0 && self.rate_amount_before(index) {
                return None;
            }
        }
        // `24 hours a day`, `seven days a week`: a rate, the idiom for
        // "all the time", not a length.
        if matches!(self.key(end), "a" | "per")
            && unit_of(self.key(end + 1)).is_some_and(|(_, plural)| !plural)
        {
            return None;
        }
        match self.key(end) {
            "ago" | "earlier" | "before" | "later" | "after" | "from" if !adjective && !half => {
                return self.counted_shift(index, end, amount, unit, modifier);
            }
            _ => {}
        }
        let value = match amount {
            Amount::Exactly(number) if half => half_duration_value(number, unit),
            _ => duration_value(amount, unit),
        };
        let mut hit = Hit::new(end, TimexType::Duration, value);
        hit.modifier = if range { modifier.or(Some("EQUAL_OR_MORE")) } else { modifier };
        if half {
            return Some(hit);
        }
        // `in three weeks` in a future clause is a date three weeks on.
        let before = self.key_back(index, 1);
        if before == "in"
            && !adjective
            && modifier.is_none()
            && self.tense(index, end) == Tense::Future
            && let Amount::Exactly(number) = amount
            && let Some(value) = self.dct.and_then(|_| self.shift(unit, i64::from(number)))
        {
            return Some(Hit::date(end, value).relative());
        }
        Some(hit)
    }

    /// The words before `index` (the `a` of `a year`) end an amount: a
    /// number (`358,000`, `$1.76`), a scale word (`$2 million`), or a
    /// counted plural (`four flights`, `700 seats`).
    fn rate_amount_before(&self, index: usize) -> bool {
        let amount = |at: usize| {
            self.token(at).is_some_and(Token::is_digits)
                || matches!(
                    self.key(at),
                    "million" | "billion" | "trillion" | "thousand" | "hundred"
                )
        };
        let Some(previous) = index.checked_sub(1) else { return false };
        if amount(previous) {
            return true;
        }
        let plural = self.key(previous);
        plural.len() > 3
            && plural.ends_with('s')
            && !plural.ends_with("ss")
            && previous
                .checked_sub(1)
                .is_some_and(|at| amount(at) || small_number(self.key(at)).is_some())
    }

    /// `two days ago`, `a year earlier`, `three years later`.
    fn counted_shift(
        &self,
        start: usize,
        end: usize,
        amount: Amount,
        unit: Unit,
        modifier: Option<&'static str>,
    ) -> Option<Hit> {
        let word = self.key(end);
        if word == "from" && !self.is(end + 1, "now") {
            return None;
        }
        let back = matches!(word, "ago" | "earlier" | "before");
        let span_end = if word == "from" { end + 2 } else { end + 1 };
        if matches!(word, "before" | "after") {
            // `two days before the vote`: relative to an event, not the DCT.
            return Some(Hit::new(end, TimexType::Duration, duration_value(amount, unit)));
        }
        let Amount::Exactly(number) = amount else {
            if matches!(word, "later" | "earlier") {
                // `a few days later`: the length, as for a counted one.
                return Some(Hit::new(end, TimexType::Duration, duration_value(amount, unit)));
            }
            let value = if back { "PAST_REF" } else { "FUTURE_REF" };
            return Some(Hit::date(span_end, value));
        };
        let steps = if back { -i64::from(number) } else { i64::from(number) };
        if matches!(word, "later" | "earlier") && unit != Unit::Year {
            return Some(Hit::new(end, TimexType::Duration, duration_value(amount, unit)));
        }
        let value = match self.shift(unit, steps) {
            Some(value) => value,
            None => return Some(Hit::new(end, TimexType::Duration, duration_value(amount, unit))),
        };
        let _ = start;
        let mut hit = self.relative_hit(Hit::date(span_end, value));
        hit.modifier = modifier;
        hit.year_before_quarter = unit == Unit::Year && steps == -1;
        Some(hit)
    }

    // ---- sets ---------------------------------------------------------------

    fn set(&self, index: usize) -> Option<Hit> {
        let word = self.key(index);
        let single = |value: &str| Some(Hit::new(index + 1, TimexType::Set, value));
        // `average daily volume`, `rise 8.5% annually`, `10,000 units
        // annually`: a rate, not a recurring time.
        let before = self.key_back(index, 1);
        if matches!(word, "daily" | "annually" | "yearly" | "monthly" | "weekly" | "hourly")
            && (matches!(before, "average" | "%" | "percent" | "units") || is_count_noun(before))
        {
            return None;
        }
        match word {
            "daily" => single("P1D"),
            "nightly" => single("P1D"),
            "weekly" => single("P1W"),
            "monthly" => single("P1M"),
            "annually" | "yearly" => single("P1Y"),
            "hourly" => single("PT1H"),
            "every" | "each" | "per" => {
                let mut next = index + 1;
                if self.is(next, "other") {
                    next += 1;
                }
                if let Some(weekday) = weekday_of(self.key(next)) {
                    let value = format!("XXXX-WXX-{}", weekday.index() + 1);
                    return Some(Hit::new(next + 1, TimexType::Set, value));
                }
                if let Some(part) = part_of_day(self.key(next)) {
                    return Some(Hit::new(next + 1, TimexType::Set, format!("XXXX-XX-XXT{part}")));
                }
                // `each July`: that month of every year.
                if let Some(month) = self.month_at(next).filter(|_| word != "per") {
                    return Some(Hit::new(next + 1, TimexType::Set, format!("XXXX-{month:02}")));
                }
                let (amount, after) = match self.amount(next) {
                    Some((amount, after)) if !matches!(self.key(next), "a" | "an") => {
                        (amount, after)
                    }
                    _ => (Amount::Exactly(1), next),
                };
                let (unit, _) = unit_of(self.key(after))?;
                if word == "per" && after != next {
                    return None;
                }
                // `15 million instructions per second`: a rate.
                if word == "per" && self.rate_amount_before(index) {
                    return None;
                }
                let amount = if self.is(index + 1, "other") { Amount::Exactly(2) } else { amount };
                Some(Hit::new(after + 1, TimexType::Set, duration_value(amount, unit)))
            }
            _ => None,
        }
    }

    // ---- clock times ----------------------------------------------------------

    /// `10:30 a.m.`, `05:57:50`, `3 p.m. local time`, `noon`.
    fn clock(&self, index: usize) -> Option<Hit> {
        // `high noon` is the idiom for a moment of decision.
        if self.is(index, "noon") && self.key_back(index, 1) == "high" {
            return None;
        }
        let (time, end) = if matches!(self.key(index), "noon" | "midday" | "midnight") {
            let time = if self.is(index, "midnight") { "24:00" } else { "12:00" };
            (time.to_string(), index + 1)
        } else {
            self.clock_value(index)?
        };
        // `noon Thursday`, `9 a.m. Tuesday`: the day comes along, its
        // tense read from where the time starts.
        let weekday = weekday_of(self.key(end))
            .filter(|_| self.token(end).is_some_and(|token| token.capital))
            .and_then(|weekday| self.weekday_date(index, end + 1, weekday, 0))
            .map(|date| Hit::date(end + 1, date_value(date)));
        let day = weekday
            .or_else(|| self.explicit_date(end))
            .or_else(|| self.relative_date(end))
            // `5 p.m. EST, Nov. 6`
            .or_else(|| self.is(end, ",").then(|| self.explicit_date(end + 1)).flatten())
            .filter(|day| day.kind == TimexType::Date && day.value.len() == 10);
        let (end, day) = match day {
            Some(day) => (day.end, day.value),
            None => {
                // `10:35 a.m. (0735 GMT) Friday`: the day after a short
                // parenthesis dates the time, which keeps its extent.
                let close = || (end + 2..end + 6).find(|&at| self.is(at, ")"));
                let later = (if self.is(end, "(") { close() } else { None })
                    .and_then(|close| {
                        let weekday = weekday_of(self.key(close + 1))?;
                        self.token(close + 1).filter(|token| token.capital)?;
                        self.weekday_date(index, close + 2, weekday, 0)
                    })
                    .map(date_value);
                (
                    end,
                    later.unwrap_or_else(|| {
                        self.dct.map_or_else(|| "XXXX-XX-XX".into(), date_value)
                    }),
                )
            }
        };
        let hit = Hit::new(end, TimexType::Time, format!("{day}T{time}"));
        Some(self.relative_hit(hit))
    }

    /// The `HH:MM[:SS]` of a clock time at `index`, and the index after it
    /// (its `a.m.` and time zone included).
    fn clock_value(&self, index: usize) -> Option<(String, usize)> {
        let hour_token = self.token(index)?;
        if !hour_token.is_digits() || hour_token.digits() > 2 {
            return None;
        }
        let mut hour = hour_token.number()?;
        let mut end = index + 1;
        let mut minute = None;
        let mut second = None;
        if self.is(end, ":") && self.glued(end) && self.glued(end + 1) {
            let minutes = self.token(end + 1)?;
            if minutes.digits() != 2 {
                return None;
            }
            minute = Some(minutes.number()?);
            end += 2;
            if self.is(end, ":") && self.glued(end) && self.glued(end + 1) {
                let seconds = self.token(end + 1)?;
                if seconds.digits() == 2 {
                    second = Some(seconds.number()?);
                    end += 2;
                }
            }
        }
        let (meridiem, after) = self.meridiem(end);
        if minute.is_none() && meridiem.is_none() {
            return None;
        }
        match meridiem {
            Some(pm) => {
                if !(1..=12).contains(&hour) {
                    return None;
                }
                if pm && hour != 12 {
                    hour += 12;
                } else if !pm && hour == 12 {
                    hour = 0;
                }
            }
            None if hour > 24 => return None,
            None => {}
        }
        if minute.is_some_and(|minute| minute > 59) || second.is_some_and(|second| second > 59) {
            return None;
        }
        end = after;
        end = self.time_zone(end);
        let mut time = format!("{hour:02}:{:02}", minute.unwrap_or(0));
        if let Some(second) = second {
            time.push_str(&format!(":{second:02}"));
        }
        Some((time, end))
    }

    /// `a.m.`, `p.m.`, `am`, `pm` at `index`: whether it is p.m., and the
    /// index after it.
    fn meridiem(&self, index: usize) -> (Option<bool>, usize) {
        match self.key(index) {
            "am" | "pm" => (Some(self.is(index, "pm")), index + 1),
            "a" | "p" if self.is(index + 1, ".") && self.is(index + 2, "m") => {
                let end = self.after_dot(index + 3);
                (Some(self.is(index, "p")), end)
            }
            _ => (None, index),
        }
    }

    fn time_zone(&self, index: usize) -> usize {
        match self.key(index) {
            "local" if self.is(index + 1, "time") => index + 2,
            "est" | "edt" | "cst" | "cdt" | "mst" | "mdt" | "pst" | "pdt" | "gmt" | "utc"
            | "et" | "bst" | "cet" => index + 1,
            _ => index,
        }
    }

    // ---- references ---------------------------------------------------------

    /// `now`, `currently`, `recently`, `the future`, `the past`.
    /// `is` or `'s` (`It's`) just before `index`.
    fn present_copula_before(&self, index: usize) -> bool {
        let at = |back: usize| self.key_back(index, back);
        at(1) == "is" || at(1) == "s" && at(2) == "'"
    }

    /// `today's world`, `today's youth`: the present age rather than the
    /// day of writing, an idiom TimeBank leaves out (3 of 3), where
    /// `today's editions` or `today's vote` is the day.
    fn present_age(&self, index: usize) -> bool {
        self.is(index + 1, "'")
            && self.is(index + 2, "s")
            && matches!(
                self.key(index + 3),
                "world" | "youth" | "society" | "generation" | "generations" | "young" | "kids"
            )
    }

    /// `recently` at `index`: `PAST_REF`, with `More recently` as one
    /// expression (the degree inside, as TimeBank writes it), except in
    /// `most recently last October`, where the date after it names the
    /// time and the adverb only ranks it. `degree`: `more`/`most` before it.
    fn recently(&self, index: usize, degree: bool) -> Option<Hit> {
        if degree && self.longest_at(index + 1).is_some() {
            return None;
        }
        Some(Hit::date(index + 1, "PAST_REF"))
    }

    /// `the people of tomorrow`: a noun's coming generation, a generic
    /// future as `today's world` is a generic present, not the next day.
    /// `index` is a `tomorrow` (the caller matched it).
    fn generic_tomorrow(&self, index: usize) -> bool {
        let at = |back: usize| self.key_back(index, back);
        at(1) == "of" && at(3) == "the" && self.token(index + 1).is_none_or(|token| !token.is_word)
    }

    /// `soon` at `index` as a time of its own (`may soon seek`, `will
    /// begin soon`: `FUTURE_REF`), unless it is part of a connective that
    /// names no time but ties one event to another (`as soon as`, `how
    /// soon`, `soon after the attack`, `soon afterwards`), or sits next
    /// to a past verb (`was soon released`, `soon became a flood`: the
    /// future of a past event, which TimeBank leaves out). Only the words
    /// next to it count: the wider tense search would also take `told` in
    /// `prosecutors have told him that they may soon seek` for the past.
    fn soon(&self, index: usize) -> Option<Hit> {
        let before = self.key_back(index, 1);
        if matches!(before, "as" | "how" | "so" | "too" | "was" | "were" | "had")
            || matches!(
                self.key(index + 1),
                "as" | "after" | "afterward" | "afterwards" | "thereafter" | "enough"
            )
            || past_marker(self.key(index + 1))
        {
            return None;
        }
        Some(Hit::date(index + 1, "FUTURE_REF"))
    }

    /// `Now,` opening a sentence and set off by a comma (`Now, he says,
    /// "it looks like …"`, `Now, following asset sales, …`): the discourse
    /// marker that turns to the next point, not the time of writing, and
    /// never annotated in TimeBank (0 of 3), while a sentence-initial
    /// `Now` without the comma (`Now officials are investigating`) is the
    /// present and mostly annotated.
    fn discourse_now(&self, index: usize) -> bool {
        if !self.is(index + 1, ",") || !self.token(index).is_some_and(|token| token.capital) {
            return false;
        }
        self.before_quotes(index).is_none_or(|token| matches!(token.key(), "." | "?" | "!" | ":"))
    }

    fn reference(&self, index: usize) -> Option<Hit> {
        let word = self.key(index);
        let single = |value: &str| Some(Hit::date(index + 1, value));
        // `a day-long meeting`, `a decades-long battle`: a length before
        // a noun.
        if let Some((unit, plural)) = unit_of(word)
            && unit != Unit::Weekend
            && self.is(index + 1, "-")
            && self.glued(index + 1)
            && self.is(index + 2, "long")
            && self.glued(index + 2)
        {
            let amount = if plural { Amount::Some } else { Amount::Exactly(1) };
            return Some(Hit::new(index + 3, TimexType::Duration, duration_value(amount, unit)));
        }
        if let Some((unit, true)) = unit_of(word) {
            // `for years`, `within weeks`: a stretch of unknown length.
            let before = self.key_back(index, 1);
            // `for the first time in years`
            let in_time = before == "in" && index >= 2 && self.is(index - 2, "time");
            if (in_time || matches!(before, "for" | "within")) && !matches!(unit, Unit::Weekend) {
                let value = duration_value(Amount::Some, unit);
                return Some(Hit::new(index + 1, TimexType::Duration, value));
            }
            return None;
        }
        match word {
            // `will one day be`, `hope he one day follows`: some time to come.
            "one"
                if self.is(index + 1, "day")
                    && matches!(
                        self.key_back(index, 1),
                        "will"
                            | "would"
                            | "could"
                            | "may"
                            | "might"
                            | "can"
                            | "shall"
                            | "he"
                            | "she"
                            | "they"
                            | "we"
                            | "i"
                            | "you"
                    )
                    && self
                        .token(index + 2)
                        .is_some_and(|token| token.is_word && !token.capital) =>
            {
                Some(Hit::date(index + 2, "FUTURE_REF"))
            }
            // `until then` after `will terminate on Nov. 30`: that day.
            "then" if matches!(self.key_back(index, 1), "until" | "till") => {
                let mut hit = Hit::date(index + 1, "XXXX-XX-XX");
                hit.last_day = true;
                Some(hit)
            }
            // `the then current price`: the present of a past time.
            "then" if self.is(index + 1, "current") => Some(Hit::date(index + 2, "PAST_REF")),
            "now" | "currently" | "presently" | "nowadays" | "current" => {
                if word == "current" && unit_of(self.key(index + 1)).is_some() {
                    return None;
                }
                if word == "now" && self.is(index + 1, "-") {
                    return None;
                }
                if word == "now" && self.discourse_now(index) {
                    return None;
                }
                single("PRESENT_REF")
            }
            "recently" | "lately" => {
                self.recently(index, matches!(self.key_back(index, 1), "more" | "most"))
            }
            "more" | "most" if matches!(self.key(index + 1), "recently" | "lately") => {
                self.recently(index + 1, true)
            }
            "soon" => self.soon(index),
            "these" if self.is(index + 1, "days") => Some(Hit::date(index + 2, "PRESENT_REF")),
            // `at this moment`, `at this crucial moment`: the present.
            "this" if self.is(index + 1, "moment") => Some(Hit::date(index + 2, "PRESENT_REF")),
            "this"
                if self.is(index + 2, "moment")
                    && self
                        .token(index + 1)
                        .is_some_and(|token| token.is_word && !token.capital) =>
            {
                Some(Hit::date(index + 3, "PRESENT_REF"))
            }
            // `for a while`: a stretch of unknown length and unit.
            "a" if self.is(index + 1, "while") && self.key_back(index, 1) == "for" => {
                Some(Hit::new(index + 2, TimexType::Duration, "PXX"))
            }
            // `at a later date`, `a future date`
            "a" if matches!(self.key(index + 1), "later" | "future")
                && self.is(index + 2, "date") =>
            {
                Some(Hit::date(index + 3, "FUTURE_REF"))
            }
            "the" => match self.key(index + 1) {
                // `the future of our peoples` is what becomes of them, a
                // noun with its object rather than a time.
                "future" if !self.is(index + 2, "of") => Some(Hit::date(index + 2, "FUTURE_REF")),
                // `the weeks ahead`, as `the coming weeks`: a stretch of
                // unknown length.
                next if self.is(index + 2, "ahead")
                    && unit_of(next)
                        .is_some_and(|(unit, plural)| plural && unit != Unit::Weekend) =>
                {
                    let (unit, _) = unit_of(next)?;
                    Some(Hit::new(
                        index + 3,
                        TimexType::Duration,
                        duration_value(Amount::Some, unit),
                    ))
                }
                // `for the foreseeable future` is the idiom for "as far as
                // anyone can tell", and TimeBank leaves it out.
                "near" | "distant" if self.is(index + 2, "future") => {
                    Some(Hit::date(index + 3, "FUTURE_REF"))
                }
                "past" => {
                    // `in the past that …`; `the past six months` (a
                    // duration) and `the past year` (the year before) are
                    // read by `determined`.
                    let next = self.key(index + 2);
                    let counted = self.amount(index + 2).is_some() || unit_of(next).is_some();
                    (!counted && next != "-").then(|| Hit::date(index + 2, "PAST_REF"))
                }
                // `over the years`, `in the years that followed`: a
                // stretch of unknown length (`in the weeks before the
                // shooting` is anchored to an event and left alone).
                next if unit_of(next)
                    .is_some_and(|(unit, plural)| plural && unit != Unit::Weekend)
                    && (self.key_back(index, 1) == "over"
                        || self.is(index + 2, "that") && self.is(index + 3, "followed")) =>
                {
                    let (unit, _) = unit_of(next)?;
                    Some(Hit::new(
                        index + 2,
                        TimexType::Duration,
                        duration_value(Amount::Some, unit),
                    ))
                }
                // `today is the eighth day of Desert Shield`, `It's the
                // second day of an offensive`: the day of writing.
                _ if (ordinal(self.key(index + 1)).is_some()
                    || ordinal_day(self.key(index + 1)).is_some()
                    || matches!(
                        self.key(index + 1),
                        "fifth" | "sixth" | "seventh" | "eighth" | "ninth" | "tenth"
                    ))
                    && self.is(index + 2, "day")
                    && self.is(index + 3, "of")
                    && self.present_copula_before(index) =>
                {
                    let value = self.dct.map_or_else(|| "XXXX-XX-XX".into(), date_value);
                    Some(self.relative_hit(Hit::date(index + 3, value)))
                }
                // `the first hours of the ground war`, `the early years`:
                // an unknown number of them.
                "first" | "early"
                    if unit_of(self.key(index + 2))
                        .is_some_and(|(unit, plural)| plural && unit != Unit::Weekend) =>
                {
                    let (unit, _) = unit_of(self.key(index + 2))?;
                    Some(Hit::new(
                        index + 3,
                        TimexType::Duration,
                        duration_value(Amount::Some, unit),
                    ))
                }
                "near" | "short" if self.is(index + 2, "term") => {
                    Some(Hit::date(index + 3, "FUTURE_REF"))
                }
                "present" => Some(Hit::date(index + 2, "PRESENT_REF")),
                _ => None,
            },
            "future" if index > 0 && matches!(self.key(index - 1), "in" | "near") => {
                // `in future quarters`: the unit comes along.
                let plural_unit = unit_of(self.key(index + 1)).is_some_and(|(_, plural)| plural);
                let end = if plural_unit { index + 2 } else { index + 1 };
                Some(Hit::date(end, "FUTURE_REF"))
            }
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Holiday {
    Fixed(u8, u8),
    /// The n-th weekday of a month; 0 is the last.
    Nth(u8, Weekday, u8),
    Easter,
    /// U.S. Election Day.
    Election,
}

/// Whether any form can begin at `token`: every first word of every form
/// is listed in [`starts_form`] or is a number, a month, a weekday, a
/// season or a unit.
fn may_start(token: &Token) -> bool {
    let key = token.key();
    if key.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    // Three quarters of the words pass the table and are answered in a
    // few instructions; the string matches of `starts_form` cost about a
    // hundred a word.
    token.is_word && has_first_word_shape(key) && starts_form(token)
}

/// Every word that can begin a form, as the lists of [`starts_form`],
/// [`small_number`], [`ordinal`], [`season_of`], [`unit_of`],
/// [`weekday_of`] and `month_from_name` spell it (letters only; forms
/// that begin with a digit are let through before the table is asked).
/// A test reads every word literal of this file and checks that none that
/// `starts_form` accepts is missing here.
#[rustfmt::skip]
const FIRST_WORDS: &[&str] = &[
    // starts_form
    "the", "a", "an", "early", "late", "mid", "earlier", "later", "fiscal", "today",
    "yesterday", "tomorrow", "tonight", "this", "last", "next", "past", "coming", "current",
    "latest", "recent", "previous", "now", "then", "currently", "presently", "nowadays",
    "recently", "lately", "future", "every", "each", "per", "daily", "nightly", "weekly",
    "monthly", "annually", "yearly", "hourly", "noon", "midday", "midnight", "about", "around",
    "approximately", "roughly", "some", "nearly", "almost", "more", "less", "over", "at",
    "several", "few", "many", "christmas", "new", "halloween", "valentine", "independence",
    "thanksgiving", "labor", "memorial", "election", "easter", "sometime", "right", "these",
    "that",
    // timex-spans
    "soon", "most",
    // small_number
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "dozen",
    // ordinal
    "first", "second", "third", "fourth",
    // season_of
    "spring", "summer", "autumn", "fall", "winter",
    // unit_of
    "sec", "seconds", "secs", "minute", "min", "minutes", "mins", "hour", "hr", "hours", "hrs",
    "day", "days", "week", "weeks", "weekend", "weekends", "month", "months", "quarter",
    "quarters", "year", "yr", "years", "yrs", "decade", "decades", "century", "centuries",
    // weekday_of
    "monday", "mon", "tuesday", "tues", "tue", "wednesday", "wed", "thursday", "thurs", "thu",
    "friday", "fri", "saturday", "sat", "sunday", "sun",
    // month_from_name
    "january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun",
    "july", "jul", "august", "aug", "september", "sep", "sept", "october", "oct", "november",
    "nov", "december", "dec",
];

/// The shapes of [`FIRST_WORDS`]: bit `n` of entry `26 * first + last`
/// (letters counted from `a`) is set when a word of `n` letters begins
/// and ends with those letters. Built at compile time; a word with a byte
/// other than a lower-case letter, or longer than a key can be, fails the
/// build.
static FIRST_WORD_SHAPES: [u16; 26 * 26] = first_word_shapes(FIRST_WORDS);

const fn first_word_shapes(words: &[&str]) -> [u16; 26 * 26] {
    let mut shapes = [0u16; 26 * 26];
    let mut index = 0;
    while index < words.len() {
        let bytes = words[index].as_bytes();
        assert!(!bytes.is_empty() && bytes.len() < 16, "a first word has 1 to 15 letters");
        let mut at = 0;
        while at < bytes.len() {
            assert!(bytes[at].is_ascii_lowercase(), "a first word is lower-case letters");
            at += 1;
        }
        let first = (bytes[0] - b'a') as usize;
        let last = (bytes[bytes.len() - 1] - b'a') as usize;
        shapes[first * 26 + last] |= 1 << bytes.len();
        index += 1;
    }
    shapes
}

/// Whether some word of [`FIRST_WORDS`] has the first letter, the last
/// letter and the length of `key`: false for most words of a text
/// (`to`, `of`, `and`, `said`), which no form can start with.
fn has_first_word_shape(key: &str) -> bool {
    let bytes = key.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return false };
    let (first, last) = (first.wrapping_sub(b'a'), last.wrapping_sub(b'a'));
    if first >= 26 || last >= 26 || bytes.len() >= 16 {
        return false;
    }
    FIRST_WORD_SHAPES[usize::from(first) * 26 + usize::from(last)] & (1 << bytes.len()) != 0
}

/// Whether any form can begin at the word `token` whose key begins with a
/// letter: the exact test behind the table of [`may_start`].
fn starts_form(token: &Token) -> bool {
    let key = token.key();
    if key.is_empty() {
        return false;
    }
    matches!(
        key,
        "the"
            | "a"
            | "an"
            | "early"
            | "late"
            | "mid"
            | "earlier"
            | "later"
            | "fiscal"
            | "today"
            | "yesterday"
            | "tomorrow"
            | "tonight"
            | "this"
            | "last"
            | "next"
            | "past"
            | "coming"
            | "current"
            | "latest"
            | "recent"
            | "previous"
            | "now"
            | "then"
            | "currently"
            | "presently"
            | "nowadays"
            | "recently"
            | "lately"
            | "soon"
            | "most"
            | "future"
            | "every"
            | "each"
            | "per"
            | "daily"
            | "nightly"
            | "weekly"
            | "monthly"
            | "annually"
            | "yearly"
            | "hourly"
            | "noon"
            | "midday"
            | "midnight"
            | "about"
            | "around"
            | "approximately"
            | "roughly"
            | "some"
            | "nearly"
            | "almost"
            | "more"
            | "less"
            | "over"
            | "at"
            | "several"
            | "few"
            | "many"
            | "christmas"
            | "new"
            | "halloween"
            | "valentine"
            | "independence"
            | "thanksgiving"
            | "labor"
            | "memorial"
            | "election"
            | "easter"
            | "sometime"
            | "right"
            | "these"
            | "that"
    ) || small_number(key).is_some()
        || ordinal(key).is_some()
        || season_of(key).is_some()
        || unit_of(key).is_some()
        || (token.capital && (weekday_of(key).is_some() || month_from_name(key).is_some()))
}

/// `quarter` is one a report can compare with a year before: one of the
/// four before the DCT's, or the DCT's own (a fiscal quarter that has
/// just ended) unless the clause looks `ahead` (all of them when there is
/// no DCT).
fn reported_quarter((year, quarter): (i32, u8), dct: Option<Date>, ahead: bool) -> bool {
    let Some(dct) = dct else { return true };
    let index = |year: i32, quarter: u8| i64::from(year) * 4 + i64::from(quarter);
    let back = index(dct.year(), quarter_of(dct.month())) - index(year, quarter);
    (1..5).contains(&back) || back == 0 && !ahead
}

/// The year and quarter of a `YYYY-Qn` value.
fn quarter_in(value: &str) -> Option<(i32, u8)> {
    let (year, quarter) = value.split_once("-Q")?;
    if year.len() != 4 || quarter.len() != 1 {
        return None;
    }
    Some((year.parse().ok()?, quarter.parse().ok()?))
}

/// `9th`, `1st`, `22nd` as a day of the month.
fn ordinal_day(word: &str) -> Option<u8> {
    let digits = word.strip_suffix("st").or_else(|| word.strip_suffix("nd"));
    let digits = digits.or_else(|| word.strip_suffix("rd")).or_else(|| word.strip_suffix("th"))?;
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|day| (1..=31).contains(day))
}

/// The year of a year-less `month`/`day` written on `dct`: the DCT's year,
/// stepping back a year when the date would lie more than two months after
/// the DCT in a past-tense or tenseless report (news reports the past more
/// than it announces the future); in a future-tense one, the earliest such
/// day no more than a month before the DCT.
pub fn year_for(dct: Date, month: u8, day: u8, tense: Tense) -> i32 {
    let distance = |year: i32| {
        let clamped = day.min(Date::days_in_month(year, month));
        Date::new(year, month, clamped).map(|date| date.to_days() - dct.to_days())
    };
    let years = [dct.year() - 1, dct.year(), dct.year() + 1];
    let chosen = match tense {
        Tense::Future => years.into_iter().find(|&year| distance(year).is_some_and(|d| d >= -31)),
        // Reports name coming dates in past-tense clauses (`said the
        // dividend is payable Dec. 15`), so a past tense alone does not
        // send a date back a year unless it would be two months ahead.
        Tense::Past | Tense::Unknown => {
            years.into_iter().rev().find(|&year| distance(year).is_some_and(|d| d <= 61))
        }
    };
    chosen.unwrap_or(dct.year())
}

/// `number` and a half `unit`s: `P2Y6M`, `PT5H30M`, `PT1M30S`; a decimal
/// fraction of the unit where no smaller one divides it (`P2.5W`).
fn half_duration_value(number: u32, unit: Unit) -> String {
    match unit {
        Unit::Second => format!("PT{number}.5S"),
        Unit::Minute => format!("PT{number}M30S"),
        Unit::Hour => format!("PT{number}H30M"),
        Unit::Day => format!("P{number}DT12H"),
        Unit::Month => format!("P{number}M15D"),
        Unit::Year => format!("P{number}Y6M"),
        Unit::Decade => format!("P{}Y", u64::from(number) * 10 + 5),
        Unit::Century => format!("P{}Y", u64::from(number) * 100 + 50),
        Unit::Week => format!("P{number}.5W"),
        Unit::Weekend => format!("P{number}.5WE"),
        Unit::Quarter => format!("P{number}.5Q"),
    }
}

fn duration_value(amount: Amount, unit: Unit) -> String {
    let count = match amount {
        Amount::Exactly(number) => number.to_string(),
        Amount::Some => "X".to_string(),
    };
    match unit {
        Unit::Second => format!("PT{count}S"),
        Unit::Minute => format!("PT{count}M"),
        Unit::Hour => format!("PT{count}H"),
        Unit::Day => format!("P{count}D"),
        Unit::Week => format!("P{count}W"),
        Unit::Weekend => format!("P{count}WE"),
        Unit::Month => format!("P{count}M"),
        Unit::Quarter => format!("P{count}Q"),
        // Whole thousands of years take TimeML's millennium unit, as the
        // corpus writes them (`more than two thousand years` `P2L`).
        Unit::Year => match amount {
            Amount::Exactly(number) if number >= 1000 && number % 1000 == 0 => {
                format!("P{}L", number / 1000)
            }
            _ => format!("P{count}Y"),
        },
        // TimeBank counts decades and centuries in years, and so an
        // unknown number of decades (`decades-long`, `for decades`) is
        // `PXY`; an unknown number of centuries (`for centuries`) takes
        // TimeML's century unit, `PXC`.
        Unit::Decade => match amount {
            Amount::Exactly(number) => format!("P{}Y", u64::from(number) * 10),
            Amount::Some => "PXY".to_string(),
        },
        Unit::Century => match amount {
            Amount::Exactly(number) => format!("P{}Y", u64::from(number) * 100),
            Amount::Some => "PXC".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `may_start`, or with `exact` `starts_form`, accepts `key`
    /// written in lower case or with a capital, as the scanner reads it.
    fn accepts(key: &str, capital: bool, exact: bool) -> bool {
        let mut text = key.to_owned();
        if capital && let Some(first) = text.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        let lowered = Lowered::new(&text, 0, text.len());
        let tokens = scan(&text, &lowered, 0, text.len());
        let [token] = tokens.as_slice() else { panic!("`{text}` is not one token") };
        assert_eq!((token.key(), token.capital), (key, capital && !key.is_empty()));
        if exact { token.is_word && starts_form(token) } else { may_start(token) }
    }

    /// Every lower-case word written as a string literal in this file
    /// (each word the grammar's lists can accept is one), every string of
    /// up to three letters, and the month names `month_from_name` knows.
    fn candidate_words() -> Vec<String> {
        let source = include_str!("grammar.rs");
        let mut words: Vec<String> = source
            .split('"')
            // Longer words have an empty key (`scan::KEY_LEN`).
            .filter(|piece| (1..=14).contains(&piece.len()))
            .filter(|piece| piece.bytes().all(|b| b.is_ascii_lowercase()))
            .map(str::to_owned)
            .collect();
        let letters = || (b'a'..=b'z').map(char::from);
        for a in letters() {
            words.push(a.to_string());
            for b in letters() {
                words.push(format!("{a}{b}"));
                for c in letters() {
                    words.push(format!("{a}{b}{c}"));
                }
            }
        }
        // `month_from_name` takes the full names, their first three
        // letters (covered above) and `sept`.
        words.extend(dateline::MONTHS.iter().map(|month| (*month).to_owned()));
        words.push("sept".to_owned());
        words
    }

    #[test]
    fn every_first_word_passes_the_shape_table() {
        let mut accepted = 0;
        for key in candidate_words() {
            for capital in [false, true] {
                if accepts(&key, capital, true) {
                    accepted += 1;
                    assert!(
                        has_first_word_shape(&key),
                        "`{key}` starts a form but fails the table"
                    );
                    assert!(accepts(&key, capital, false), "{key}");
                }
            }
        }
        // The lists above hold about 180 words; most are accepted with
        // and without a capital.
        assert!(accepted > 250, "{accepted}");
        for key in FIRST_WORDS {
            assert!(has_first_word_shape(key), "{key}");
        }
    }

    #[test]
    fn the_shape_table_stops_common_words() {
        for key in ["to", "of", "and", "in", "is", "for", "said", "it", "was", "with", "he"] {
            assert!(!has_first_word_shape(key), "{key}");
            assert!(!accepts(key, false, true), "{key}");
        }
        for key in ["", "x1", "1x", "-", "abcdefghijklmnop"] {
            assert!(!has_first_word_shape(key), "{key:?}");
        }
        assert!(has_first_word_shape("the") && has_first_word_shape("centuries"));
        // A digit key starts without the table; punctuation never does.
        assert!(accepts("1990s", false, false) && accepts("monday", true, false));
        assert!(!accepts("monday", false, false) && !accepts(".", false, false));
    }
}
