//! The grammar of measures over the lexer's tokens.
//!
//! An expression is, in order: an optional modifier (`around`, `as little
//! as`), an optional range opener (`between`, `from`), an amount with an
//! optional currency prefix (`$`, `US$`, `€`, `Rs`, `USD`), an optional
//! second amount (`-`, `to`, `and`), and a tail that decides what the
//! expression is: a currency name or code (MONEY), `%` or `percent`
//! (PERCENT), a unit or a counted noun (QUANTITY). An expression with a
//! modifier and no tail is a bare QUANTITY (`around 80,000`) when the
//! number cannot be a year, a time or an age. Nothing else is annotated:
//! a number alone is never a measure, which is what keeps years, dates,
//! scores and phone numbers out.
//!
//! Every rule looks at a bounded number of tokens from its start, and the
//! scan resumes after a match, so the whole document costs one pass.

use std::collections::BTreeSet;

use iso_currency::Currency;

use crate::decimal::Decimal;
use crate::lex::{Kind, Token, lex};
use crate::lexicon::{
    CurrencyRef, Shapes, cardinal_word, change_word, counted_noun, country_hints, currency_head,
    dollar_prefix, fraction_unit, has_shape, head_needs_support, iso_code, modifier, multiplier,
    parse_numeral, qualified_currency, rate_noun, same_head, symbol_currency, temporal_word, unit,
    word_prefix_currency, word_shapes,
};

/// What a measure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasureKind {
    Money,
    Quantity,
    Percent,
}

impl MeasureKind {
    pub fn label(self) -> &'static str {
        match self {
            MeasureKind::Money => "MONEY",
            MeasureKind::Quantity => "QUANTITY",
            MeasureKind::Percent => "PERCENT",
        }
    }
}

/// One measure found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    pub kind: MeasureKind,
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
    /// The amount; the lower bound of a range.
    pub amount: Decimal,
    /// `(min, max)` of `between 3 and 5 million dollars`, `$3m-$5m`.
    pub range: Option<(Decimal, Decimal)>,
    /// The ISO 4217 code of money; `None` when the text names no country
    /// for an ambiguous head (`dinars`).
    pub currency: Option<&'static str>,
    /// The unit of a quantity (`km`, `troops`), `None` for a bare count;
    /// `pp` for percentage points.
    pub unit: Option<String>,
    /// The `mod` of a modifier (`APPROX`, `EQUAL_OR_MORE`, …).
    pub modifier: Option<&'static str>,
    /// The rate: `barrel` in `$5 a barrel`, `each` in `400 dollars each`.
    pub per: Option<String>,
    /// The index, in the returned list, of the amount this one converts:
    /// `41.18 million U.S. dollars` in `35 million euros (41.18 million
    /// U.S. dollars)` points at the euros.
    pub equivalent_of: Option<usize>,
}

/// Every measure in `text[start..end]`, in text order, with offsets into
/// `text`.
pub fn find_measures(text: &str, start: usize, end: usize) -> Vec<Measure> {
    let tokens = lex(text, start, end);
    let parser = Parser { text, tokens: &tokens };
    let mut found: Vec<(Measure, CurrencyRef)> = Vec::new();
    // The last money expression: its index, the token after it, and its
    // currency.
    let mut last_money: Option<(usize, usize, CurrencyRef)> = None;
    let mut index = 0;
    while index < tokens.len() {
        let Some((mut measure, currency, next)) = parser.parse_at(index) else {
            index += 1;
            continue;
        };
        if measure.kind == MeasureKind::Money {
            if let Some((previous, after, previous_currency)) = last_money {
                // A conversion changes the currency; `50 cents or 20
                // cents` is a choice, not a conversion.
                if parser.is_conversion_gap(after, index)
                    && !same_currency(previous_currency, currency)
                {
                    measure.equivalent_of = Some(previous);
                }
            }
            last_money = Some((found.len(), next, currency));
        }
        found.push((measure, currency));
        // `next > index` always: a match consumes at least its amount.
        index = next.max(index + 1);
    }
    let bare_dollar = parser.bare_dollar_currency();
    // Only a document with a head but no country pays for the hints.
    let headless = |(measure, currency): &(Measure, CurrencyRef)| {
        measure.kind == MeasureKind::Money && matches!(currency, CurrencyRef::Unknown(_))
    };
    let hinted = if found.iter().any(headless) { parser.country_currencies() } else { Vec::new() };
    found
        .into_iter()
        .map(|(mut measure, currency)| {
            if measure.kind == MeasureKind::Money {
                measure.currency = match currency {
                    CurrencyRef::Code(code) => Some(code),
                    CurrencyRef::BareDollar => Some(bare_dollar),
                    CurrencyRef::Unknown(head) => {
                        let mut codes = hinted
                            .iter()
                            .filter(|(named, _)| same_head(head, named))
                            .map(|(_, code)| *code);
                        let first = codes.next();
                        // Only a single candidate decides; two countries
                        // with dinars leave the currency unknown.
                        if codes.all(|code| Some(code) == first) { first } else { None }
                    }
                };
            }
            measure
        })
        .collect()
}

/// The lower-case words that can open an expression, sorted (the lookup
/// itself uses [`OPENER_KEYS`]).
const OPENERS: &[&str] = &[
    "a",
    "about",
    "above",
    "almost",
    "an",
    "approximately",
    "around",
    "as",
    "at",
    "between",
    "close",
    "eight",
    "eighteen",
    "eighty",
    "eleven",
    "fewer",
    "fifteen",
    "fifty",
    "five",
    "forty",
    "four",
    "fourteen",
    "from",
    "half",
    "just",
    "less",
    "more",
    "nearly",
    "nine",
    "nineteen",
    "ninety",
    "one",
    "over",
    "roughly",
    "rp",
    "rs",
    "seven",
    "seventeen",
    "seventy",
    "six",
    "sixteen",
    "sixty",
    "some",
    "ten",
    "thirteen",
    "thirty",
    "three",
    "twelve",
    "twenty",
    "two",
    "under",
    "up",
    "upwards",
    "zero",
];

/// Whether a word can open an expression: a modifier, a range opener, a
/// number word, or a currency written before the amount. Decided without
/// allocating: a table of first letter, last letter and length turns away
/// nearly every word, and the rest are looked up as one integer each.
#[cfg(test)]
fn may_open_expression(word: &str) -> bool {
    may_open_bytes(word.as_bytes())
}

/// An opener's bytes as one integer: the bytes in the low fifteen bytes,
/// the length in the top one (so that no two words of up to fifteen bytes
/// share a key).
const fn opener_key(bytes: &[u8]) -> u128 {
    let mut key = (bytes.len() as u128) << 120;
    let mut index = 0;
    while index < bytes.len() && index < 15 {
        key |= (bytes[index].to_ascii_lowercase() as u128) << (8 * index);
        index += 1;
    }
    key
}

/// [`OPENERS`] as sorted keys: a lookup is a binary search over integers.
const OPENER_KEYS: [u128; OPENERS.len()] = {
    let mut keys = [0u128; OPENERS.len()];
    let mut index = 0;
    while index < OPENERS.len() {
        assert!(OPENERS[index].len() < 16);
        keys[index] = opener_key(OPENERS[index].as_bytes());
        // Insertion sort, at compile time.
        let mut at = index;
        while at > 0 && keys[at - 1] > keys[at] {
            let swap = keys[at - 1];
            keys[at - 1] = keys[at];
            keys[at] = swap;
            at -= 1;
        }
        index += 1;
    }
    keys
};

/// [`may_open_expression`] on the word's bytes.
fn may_open_bytes(bytes: &[u8]) -> bool {
    // One lookup of the first letter, the last letter and the length turns
    // away nearly every word (`the`, `and`, `for` included, which share a
    // first letter and a length with an opener) before any comparison of
    // strings.
    static SHAPES: Shapes = word_shapes(OPENERS);
    if bytes.len() == 3 && bytes.iter().all(u8::is_ascii_uppercase) {
        // A possible ISO code (`USD 5m`).
        return true;
    }
    if !has_shape(&SHAPES, bytes) {
        return false;
    }
    bytes.len() < 16 && OPENER_KEYS.binary_search(&opener_key(bytes)).is_ok()
}

/// Whether a capitalised word names a month, in full or abbreviated, as
/// the `dateline` calendar reads it (`Sept.` comes without its dot from the
/// lexer, so a word with a dot is not one).
fn is_month(word: &str) -> bool {
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    capitalised && !word.ends_with('.') && dateline::month_from_name(word).is_some()
}

/// Whether two currencies, before per-document resolution, are surely the
/// same; a bare dollar and USD count as the same, being so nearly always.
fn same_currency(left: CurrencyRef, right: CurrencyRef) -> bool {
    let dollar = |c: CurrencyRef| {
        if c == CurrencyRef::BareDollar { CurrencyRef::Code("USD") } else { c }
    };
    dollar(left) == dollar(right) && !matches!(left, CurrencyRef::Unknown(_))
}

/// An amount as written: its value, its token range, and whether a
/// multiplier was part of it.
#[derive(Clone, Copy, Debug)]
struct Amount {
    value: Decimal,
    /// The power of ten of its multiplier, if it had one.
    power: Option<i32>,
    first: usize,
    /// The token after the amount.
    next: usize,
    /// Written in digits (`80,000`) rather than words (`three`).
    numeric: bool,
    /// Its multiplier is a glued abbreviation (`5m`, `2bn`), which says
    /// money or a unit is meant, never a bare count.
    abbreviated: bool,
}

/// An amount with the currency written before it, if any.
#[derive(Clone, Copy, Debug)]
struct Priced {
    currency: Option<CurrencyRef>,
    amount: Amount,
}

/// Up to four words in a row (see [`Parser::words`]).
struct Words<'a> {
    list: [&'a str; 4],
    len: usize,
}

impl<'a> std::ops::Deref for Words<'a> {
    type Target = [&'a str];

    fn deref(&self) -> &[&'a str] {
        self.list.get(..self.len).unwrap_or_default()
    }
}

struct Parser<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

impl<'a> Parser<'a> {
    fn token(&self, index: usize) -> Option<&Token> {
        self.tokens.get(index)
    }

    fn slice(&self, index: usize) -> &'a str {
        self.tokens.get(index).and_then(|t| self.text.get(t.start..t.end)).unwrap_or_default()
    }

    fn word(&self, index: usize) -> Option<&'a str> {
        let token = self.token(index)?;
        (token.kind == Kind::Word).then(|| self.slice(index))
    }

    fn symbol(&self, index: usize) -> Option<&'a str> {
        let token = self.token(index)?;
        (token.kind == Kind::Symbol).then(|| self.slice(index))
    }

    /// Whether the token at `index` follows the one before it with no
    /// space.
    fn glued(&self, index: usize) -> bool {
        self.token(index).is_some_and(|t| !t.spaced)
    }

    /// Whether token `index` continues the same line as the one before.
    fn same_line(&self, index: usize) -> bool {
        self.token(index).is_some_and(|t| !t.line_break)
    }

    fn word_is(&self, index: usize, expected: &str) -> bool {
        self.same_line(index) && self.word(index).is_some_and(|w| w.eq_ignore_ascii_case(expected))
    }

    /// Up to `limit` (at most four) consecutive words from `index` on the
    /// same line, on the stack: every opener asks for them.
    fn words(&self, index: usize, limit: usize) -> Words<'a> {
        let mut words = Words { list: [""; 4], len: 0 };
        for offset in 0..limit.min(words.list.len()) {
            let at = index + offset;
            if !self.same_line(at) && offset > 0 {
                break;
            }
            match self.word(at) {
                Some(word) => {
                    words.list[offset] = word;
                    words.len = offset + 1;
                }
                None => break,
            }
        }
        words
    }

    /// The measure starting at token `index`, its currency before
    /// per-document resolution, and the token after it.
    fn parse_at(&self, index: usize) -> Option<(Measure, CurrencyRef, usize)> {
        let first = self.token(index)?;
        // Nearly every token opens nothing: a cheap test first, so that
        // the full grammar runs only where an expression can start.
        let may_open = match first.kind {
            // A number glued to a word (`A320`, `MH17`, `COVID-19`, `H1N1`)
            // is part of a name or a code, not an amount.
            Kind::Number => !self.part_of_code(index),
            Kind::Symbol => symbol_currency(self.slice(index)).is_some(),
            Kind::Word => {
                may_open_bytes(self.slice(index).as_bytes()) || self.symbol(index + 1) == Some("$")
            }
        };
        if !may_open {
            return None;
        }
        let mut cursor = index;
        let mut modifier_kind = None;
        if first.kind == Kind::Word
            && let Some((kind, length)) = modifier(&self.words(index, 3))
        {
            modifier_kind = Some(kind);
            cursor += length;
        }
        let opener = match self.word(cursor) {
            Some(word) if word.eq_ignore_ascii_case("between") => Some("and"),
            Some(word) if word.eq_ignore_ascii_case("from") => Some("to"),
            _ => None,
        };
        if opener.is_some() {
            cursor += 1;
        }
        if cursor != index && !self.same_line(cursor) {
            return None;
        }
        let low = self.priced(cursor)?;
        let mut after = low.amount.next;
        // A second amount makes a range: `3-5`, `3 to 5`, `between 3 and 5`.
        let mut high = None;
        let joiner = match opener {
            Some(word) => self.word_is(after, word).then_some(after + 1),
            None if self.symbol(after).is_some_and(|s| s == "-" || s == "–") => Some(after + 1),
            None if self.word_is(after, "to") => Some(after + 1),
            None => None,
        };
        if let Some(second) = joiner {
            if self.same_line(second) {
                high = self.priced(second);
            }
            // `fell $2.10 to $78.45` is a movement from one price to
            // another, each written in full, not a range; `shrank 3 to 4
            // percent` shares its tail and is one.
            let after_change =
                index.checked_sub(1).and_then(|i| self.word(i)).is_some_and(change_word);
            // Two full prices an order of magnitude apart are a change and
            // the level it reached, whatever the verb.
            let far_apart = high.is_some_and(|h| {
                low.amount.value.scale(1).is_some_and(|tenfold| tenfold < h.amount.value)
            });
            let both_priced = low.currency.is_some() && high.is_some_and(|h| h.currency.is_some());
            if opener.is_none() && both_priced && (after_change || far_apart) {
                high = None;
            }
        }
        if opener.is_some() && high.is_none() {
            return None;
        }
        let (mut low_value, mut high_value) = (low.amount.value, None);
        if let Some(high) = high {
            // `$50-100,000`: the thousands of the second amount apply to a
            // first written as the second's leading group would be.
            let hyphen = opener.is_none() && self.symbol(low.amount.next).is_some();
            if hyphen && low.amount.power.is_none() && high.amount.power.is_none() {
                low_value = self.shared_thousands(&low.amount, &high.amount).unwrap_or(low_value);
            }
            // `between 3 and 5 million`: the multiplier of the second
            // amount applies to a first that has none.
            if let (None, Some(power)) = (low.amount.power, high.amount.power) {
                low_value = low_value.scale(power)?;
            }
            high_value = Some(high.amount.value);
            after = high.amount.next;
        }
        let prefix = low.currency.or(high.and_then(|h| h.currency));
        let has_power =
            low.amount.power.is_some() || high.is_some_and(|h| h.amount.power.is_some());

        let tail = match prefix {
            Some(currency) => Some(Tail::Money(currency, after)),
            None => {
                // `the 2001 attacks`, `the September 11 attacks`: a year
                // or a day of the month is never a count.
                let after_month = index
                    .checked_sub(1)
                    .and_then(|i| self.word(i))
                    .is_some_and(|word| is_month(word) && self.same_line(index));
                let date_like = high.is_none() && (self.is_year_like(&low.amount) || after_month);
                self.tail(after, has_power, date_like)
            }
        };
        let tail = match tail {
            Some(tail) => tail,
            None => {
                // A bare count needs a modifier and a number that cannot
                // be anything else.
                if modifier_kind.is_none() || high.is_some() || opener.is_some() {
                    return None;
                }
                if !self.is_bare_count(&low.amount) {
                    return None;
                }
                // `people over 60`, `children under 12`: a small number
                // after `over`/`under` is as often an age as a count.
                let age_like = matches!(
                    self.word(index).map(str::to_ascii_lowercase).as_deref(),
                    Some("over" | "under" | "above")
                ) && low.amount.value < Decimal::from_integer(130);
                if age_like {
                    return None;
                }
                Tail::Quantity(None, after)
            }
        };
        if let Some(high_value) = high_value {
            // `2-1` and `555-0134` are not ranges.
            if high_value <= low_value {
                return None;
            }
        }
        let (kind, currency, unit_text, end_index) = match tail {
            Tail::Money(currency, end) => (MeasureKind::Money, currency, None, end),
            Tail::Percent(unit, end) => {
                (MeasureKind::Percent, CurrencyRef::Unknown(""), unit.map(str::to_string), end)
            }
            Tail::Quantity(unit, end) => {
                (MeasureKind::Quantity, CurrencyRef::Unknown(""), unit, end)
            }
            Tail::Fraction(power, currency, end) => {
                low_value = low_value.scale(power)?;
                if let Some(high) = high_value.as_mut() {
                    *high = high.scale(power)?;
                }
                (MeasureKind::Money, currency, None, end)
            }
        };
        let per = if kind == MeasureKind::Percent { None } else { self.rate(end_index) };
        let start = self.token(index)?.start;
        let end = self.token(end_index.checked_sub(1)?)?.end;
        let measure = Measure {
            kind,
            start,
            end,
            amount: low_value,
            range: high_value.map(|high| (low_value, high)),
            currency: None,
            unit: unit_text,
            modifier: modifier_kind,
            per,
            equivalent_of: None,
        };
        Some((measure, currency, end_index))
    }

    /// An amount at `index`, with a currency prefix if one is written.
    fn priced(&self, index: usize) -> Option<Priced> {
        let (currency, amount_index) = match self.prefix(index) {
            Some((currency, next)) => (Some(currency), next),
            None => (None, index),
        };
        if amount_index != index && !self.same_line(amount_index) {
            return None;
        }
        let amount = self.amount(amount_index)?;
        Some(Priced { currency, amount: Amount { first: index, ..amount } })
    }

    /// A currency written before the amount, and the token after it.
    fn prefix(&self, index: usize) -> Option<(CurrencyRef, usize)> {
        let token = self.token(index)?;
        match token.kind {
            Kind::Symbol => {
                let currency = symbol_currency(self.slice(index))?;
                Some((currency, index + 1))
            }
            Kind::Word => {
                let word = self.slice(index);
                let dollar_next = self.symbol(index + 1) == Some("$");
                if dollar_next && self.glued(index + 1) {
                    let code = dollar_prefix(word)?;
                    return Some((CurrencyRef::Code(code), index + 2));
                }
                if dollar_next && (word == "US" || word == "U.S.") {
                    return Some((CurrencyRef::Code("USD"), index + 2));
                }
                let next_is_number = self.token(index + 1).is_some_and(|t| t.kind == Kind::Number);
                if let Some(code) = word_prefix_currency(word) {
                    let after_dot = if self.symbol(index + 1) == Some(".") && self.glued(index + 1)
                    {
                        index + 2
                    } else {
                        index + 1
                    };
                    let number = self.token(after_dot).is_some_and(|t| t.kind == Kind::Number);
                    return number.then_some((CurrencyRef::Code(code), after_dot));
                }
                if next_is_number {
                    return iso_code(word).map(|code| (CurrencyRef::Code(code), index + 1));
                }
                None
            }
            Kind::Number => None,
        }
    }

    /// A number in digits or words, with its multiplier.
    fn amount(&self, index: usize) -> Option<Amount> {
        let token = self.token(index)?;
        let (base, mut next, numeric, needs_power) = match token.kind {
            Kind::Number => {
                let value = parse_numeral(self.slice(index))?;
                // `3rd`, `10th`, `4x4`, `COVID19`-style glued letters make
                // an ordinal or a code, unless they are a multiplier or a
                // unit read below.
                (value, index + 1, true, false)
            }
            Kind::Word => {
                let (value, next, needs_power) = self.number_words(index)?;
                (value, next, false, needs_power)
            }
            Kind::Symbol => return None,
        };
        let mut power = None;
        let mut abbreviated = false;
        if self.same_line(next) {
            if let Some(word) = self.word(next) {
                let glued = self.glued(next);
                if let Some(p) = multiplier(word, glued && numeric) {
                    power = Some(p);
                    abbreviated = glued;
                    next += 1;
                }
            } else if self.symbol(next) == Some("-")
                && self.glued(next)
                && self.glued(next + 1)
                && numeric
            {
                // `a $5-million contract`: only spelled multipliers.
                if let Some(p) = self.word(next + 1).and_then(|w| multiplier(w, false)) {
                    power = Some(p);
                    next += 2;
                }
            }
        }
        // `a` and `half a` need a multiplier, except before `percentage
        // point` (`half a percentage point`).
        if needs_power && power.is_none() && !self.word_is(next, "percentage") {
            return None;
        }
        let value = match power {
            Some(p) => base.scale(p)?,
            None => base,
        };
        Some(Amount { value, power, first: index, next, numeric, abbreviated })
    }

    /// A number written in words: `three`, `twenty-five`, `two hundred`,
    /// `a` or `half a` before a multiplier. The flag says a multiplier
    /// must follow (`a`, `half a`).
    fn number_words(&self, index: usize) -> Option<(Decimal, usize, bool)> {
        let word = self.word(index)?;
        if word.eq_ignore_ascii_case("half") {
            let article = self.word(index + 1)?;
            if article.eq_ignore_ascii_case("a") || article.eq_ignore_ascii_case("an") {
                return Some((Decimal::new(5, -1)?, index + 2, true));
            }
            return None;
        }
        // `a quarter of a million`.
        if (word.eq_ignore_ascii_case("a") || word.eq_ignore_ascii_case("one"))
            && self.word_is(index + 1, "quarter")
            && self.word_is(index + 2, "of")
            && self.word_is(index + 3, "a")
        {
            return Some((Decimal::new(25, -2)?, index + 4, true));
        }
        if word.eq_ignore_ascii_case("a") || word.eq_ignore_ascii_case("an") {
            return Some((Decimal::from_integer(1), index + 1, true));
        }
        let mut value = cardinal_word(word)?;
        let mut next = index + 1;
        // `twenty-five`, `twenty five`.
        if value >= 20 {
            let unit_index =
                if self.symbol(next) == Some("-") && self.glued(next) { next + 1 } else { next };
            if let Some(unit) = self.word(unit_index).and_then(cardinal_word)
                && (1..10).contains(&unit)
                && self.same_line(unit_index)
            {
                value += unit;
                next = unit_index + 1;
            }
        }
        if value < 10 && value > 0 && self.word_is(next, "hundred") {
            value *= 100;
            next += 1;
            let rest_index = if self.word_is(next, "and") { next + 1 } else { next };
            if let Some(rest) = self.word(rest_index).and_then(cardinal_word)
                && rest > 0
                && self.same_line(rest_index)
            {
                value += rest;
                next = rest_index + 1;
            }
        }
        Some((Decimal::from_integer(u128::from(value)), next, false))
    }

    /// What follows an amount with no currency prefix.
    fn tail(&self, index: usize, has_power: bool, year_like: bool) -> Option<Tail> {
        if !self.same_line(index) {
            return None;
        }
        // `3.2-percent`, `500-km`: a glued hyphen before the tail word.
        let (index, hyphenated) = if self.symbol(index) == Some("-")
            && self.glued(index)
            && self.glued(index + 1)
            && self.word(index + 1).is_some()
        {
            (index + 1, true)
        } else {
            (index, false)
        };
        if self.symbol(index) == Some("%") && !hyphenated {
            return Some(Tail::Percent(None, index + 1));
        }
        let words = self.words(index, 4);
        let first = *words.first()?;
        let lower_first = first.to_ascii_lowercase();
        match lower_first.as_str() {
            "percent" | "pct" => return Some(Tail::Percent(None, index + 1)),
            "per" if words.get(1).is_some_and(|w| w.eq_ignore_ascii_case("cent")) => {
                return Some(Tail::Percent(None, index + 2));
            }
            "percentage" => {
                let point = words.get(1).map(|w| w.to_ascii_lowercase());
                if matches!(point.as_deref(), Some("point" | "points")) {
                    return Some(Tail::Percent(Some("pp"), index + 2));
                }
                return None;
            }
            _ => {}
        }
        if let Some(code) = iso_code(first) {
            return Some(Tail::Money(CurrencyRef::Code(code), index + 1));
        }
        // `50p`: pence glued to the number.
        if first == "p" && self.glued(index) && !hyphenated {
            return Some(Tail::Fraction(-2, CurrencyRef::Code("GBP"), index + 1));
        }
        // Lower case only: `50 Cent` is a rapper.
        let lower_case = first.bytes().all(|b| b.is_ascii_lowercase());
        if let Some((power, currency)) = fraction_unit(first).filter(|_| lower_case) {
            return Some(Tail::Fraction(power, currency, index + 1));
        }
        if let Some(tail) = self.currency_name(&words, index, has_power) {
            return Some(tail);
        }
        if let Some((symbol, length)) = unit(&words) {
            return Some(Tail::Quantity(Some(symbol.to_string()), index + length));
        }
        // A count of things is never a year: `the 2001 attacks`, `the 2012
        // Games`.
        if year_like {
            return None;
        }
        if counted_noun(first) {
            return Some(Tail::Quantity(Some(lower_first), index + 1));
        }
        // `seven-seat vehicles`: a hyphen makes the number part of a
        // compound adjective, not a count.
        if hyphenated {
            return None;
        }
        // One describing word before the noun: `3,000 U.S. troops`,
        // `500 new jobs`; never a function word or a number.
        if let Some(second) = words.get(1) {
            // Spaced from the number: `777-200LR planes` is a model.
            let describing = !self.glued(index)
                && first.len() > 1
                && !matches!(
                    lower_first.as_str(),
                    "of" | "the"
                        | "to"
                        | "in"
                        | "and"
                        | "or"
                        | "for"
                        | "on"
                        | "at"
                        | "by"
                        | "per"
                        | "a"
                        | "an"
                        | "from"
                        | "with"
                        | "than"
                        | "as"
                        | "were"
                        | "are"
                        | "was"
                        | "more"
                        | "other"
                )
                && cardinal_word(first).is_none();
            if describing && counted_noun(second) {
                return Some(Tail::Quantity(Some(second.to_ascii_lowercase()), index + 2));
            }
        }
        None
    }

    /// A currency name after an amount: a bare head (`dollars`) or a head
    /// qualified by up to three words (`Hong Kong dollars`, `U.S.
    /// dollars`, `Libyan dinars`).
    fn currency_name(&self, words: &[&str], index: usize, has_power: bool) -> Option<Tail> {
        for (position, word) in words.iter().enumerate() {
            let Some((head, default)) = currency_head(word) else {
                continue;
            };
            let currency = if position == 0 {
                if head_needs_support(head) && !has_power {
                    return None;
                }
                default
            } else {
                let qualifier = words[..position].join(" ").to_ascii_lowercase();
                CurrencyRef::Code(qualified_currency(&qualifier, head)?)
            };
            let mut end = index + position + 1;
            // `pounds sterling`.
            if head == "pound" && self.word_is(end, "sterling") {
                end += 1;
            }
            return Some(Tail::Money(currency, end));
        }
        None
    }

    /// `50` scaled to `50000` when the second amount is written
    /// `100,000`: a plain first numeral below the second's leading group,
    /// and a second that ends in `,000`.
    fn shared_thousands(&self, low: &Amount, high: &Amount) -> Option<Decimal> {
        let (low_text, high_text) = (self.slice(low.next - 1), self.slice(high.next - 1));
        let plain = low_text.bytes().all(|b| b.is_ascii_digit()) && low_text.len() <= 3;
        let (leading, rest) = high_text.split_once(',')?;
        if !plain || rest != "000" || parse_numeral(low_text)? >= parse_numeral(leading)? {
            return None;
        }
        low.value.scale(3)
    }

    /// Whether an amount is written like a year: four plain digits from
    /// 1000 to 2099, with no multiplier.
    fn is_year_like(&self, amount: &Amount) -> bool {
        let text = self.slice(amount.first);
        amount.numeric
            && amount.power.is_none()
            && text.len() == 4
            && text.bytes().all(|b| b.is_ascii_digit())
            && (text.starts_with('1') || text.starts_with("20"))
    }

    /// Whether an amount with a modifier and nothing after it is a count
    /// (`around 80,000`) rather than a year, a time or an age.
    fn is_bare_count(&self, amount: &Amount) -> bool {
        if !amount.numeric || amount.abbreviated {
            return false;
        }
        let text = self.slice(amount.first);
        // Only plain numerals: `about 1.5` is too vague to be a count.
        if text.contains('.') && amount.power.is_none() {
            return false;
        }
        if amount.power.is_none() {
            let looks_like_year = text.len() == 4 && !text.contains(',');
            if looks_like_year || amount.value < Decimal::from_integer(10) {
                return false;
            }
        }
        let next = amount.next;
        if !self.same_line(next) {
            return true;
        }
        match self.token(next).map(|t| t.kind) {
            Some(Kind::Word) => {
                let word = self.slice(next);
                // `over 20 or 30 years`: the count's noun is past the
                // second number, and may be a time.
                let alternative = matches!(word, "or" | "and" | "to")
                    && self.token(next + 1).is_some_and(|t| t.kind == Kind::Number);
                !self.glued(next) && !temporal_word(word) && !alternative
            }
            Some(Kind::Symbol) => {
                let symbol = self.slice(next);
                let attached = matches!(symbol, ":" | "/" | "-" | "–" | "%" | "°" | "+" | "x");
                !attached
            }
            Some(Kind::Number) => false,
            None => true,
        }
    }

    /// Whether the number at `index` is glued to a word before it, directly
    /// (`A320`) or through a hyphen or slash (`COVID-19`, `F-35`).
    fn part_of_code(&self, index: usize) -> bool {
        let Some(token) = self.token(index) else { return false };
        if token.spaced || index == 0 {
            return false;
        }
        let before = self.text.get(..token.start).unwrap_or_default();
        let mut chars = before.chars().rev();
        match chars.next() {
            Some(letter) if letter.is_alphabetic() => true,
            Some('-' | '/') => chars.next().is_some_and(char::is_alphabetic),
            _ => false,
        }
    }

    /// A rate after money or a quantity: `a barrel`, `per share`, `each`,
    /// `/tonne`.
    fn rate(&self, index: usize) -> Option<String> {
        if !self.same_line(index) {
            return None;
        }
        let word = self.word(index);
        match word.map(str::to_ascii_lowercase).as_deref() {
            Some("each" | "apiece") => Some("each".to_string()),
            Some("a" | "an") => {
                let noun = self.word(index + 1)?.to_ascii_lowercase();
                // `$4m a year ago` and `a year earlier` place the amount in
                // time; they are not rates.
                let placed_in_time = self.word(index + 2).is_some_and(|next| {
                    matches!(
                        next.to_ascii_lowercase().as_str(),
                        "ago" | "earlier" | "before" | "later" | "after" | "previously"
                    )
                });
                (rate_noun(&noun) && self.same_line(index + 1) && !placed_in_time).then_some(noun)
            }
            Some("per") => {
                let noun = self.word(index + 1)?;
                self.same_line(index + 1).then(|| noun.to_ascii_lowercase())
            }
            _ if self.symbol(index) == Some("/") && self.glued(index) && self.glued(index + 1) => {
                self.word(index + 1).map(str::to_ascii_lowercase)
            }
            _ => None,
        }
    }

    /// Whether the tokens from `after` (the end of one money expression)
    /// to `start` (the start of the next) say the second converts the
    /// first: `(`, `(or`, `, or`.
    fn is_conversion_gap(&self, after: usize, start: usize) -> bool {
        // Bounded: the gap is at most two tokens.
        if start < after || start - after > 2 {
            return false;
        }
        let gap: Vec<&str> = (after..start).map(|index| self.slice(index)).collect();
        matches!(
            gap.as_slice(),
            ["("] | ["(", "or"] | [",", "or"] | ["(", "about"] | ["(", "approximately"]
        ) && (after..=start).all(|index| self.same_line(index))
    }

    /// The currency of a bare `$` or `dollars` in this document: the one
    /// non-US dollar the text names, when it names exactly one and never
    /// names the US dollar; USD otherwise.
    fn bare_dollar_currency(&self) -> &'static str {
        let mut named = BTreeSet::new();
        for (index, token) in self.tokens.iter().enumerate() {
            // `$` is one byte, `USD`, `dollar` and `dollars` three, six
            // and seven: the length turns away nearly every token first.
            let length = token.end.saturating_sub(token.start);
            let code = match token.kind {
                Kind::Symbol
                    if length == 1 && self.slice(index) == "$" && !token.spaced && index > 0 =>
                {
                    self.word(index - 1).and_then(dollar_prefix)
                }
                Kind::Word if matches!(length, 3 | 6 | 7) => {
                    let word = self.slice(index);
                    if word.eq_ignore_ascii_case("dollar") || word.eq_ignore_ascii_case("dollars") {
                        self.qualified_dollar(index)
                    } else if word == "USD" {
                        Some("USD")
                    } else {
                        None
                    }
                }
                _ => None,
            };
            if let Some(code) = code {
                named.insert(code);
            }
        }
        let mut others = named
            .iter()
            .filter(|code| **code != "USD")
            .filter(|code| Currency::from_code(code).is_some_and(|c| c.name().ends_with("dollar")));
        match (named.contains("USD"), others.next(), others.next()) {
            (false, Some(only), None) => only,
            _ => "USD",
        }
    }

    /// The `(head, code)` pairs of the countries and currency adjectives
    /// the document names (`Kenya`, `Swedish`), from its capitalised words.
    fn country_currencies(&self) -> Vec<(&'static str, &'static str)> {
        let mut pairs = Vec::new();
        for (index, token) in self.tokens.iter().enumerate() {
            let word = self.slice(index);
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            if token.kind != Kind::Word || !capitalised {
                continue;
            }
            for pair in country_hints(word) {
                if !pairs.contains(pair) {
                    pairs.push(*pair);
                }
            }
        }
        pairs
    }

    /// The currency of the dollar word at `index` from the one or two
    /// words before it (`Hong Kong dollar`, `Australian dollars`).
    fn qualified_dollar(&self, index: usize) -> Option<&'static str> {
        for length in 1..=3 {
            let first = index.checked_sub(length)?;
            let words: Option<Vec<&str>> = (first..index).map(|i| self.word(i)).collect();
            let words = words?;
            let qualifier = words.join(" ").to_ascii_lowercase();
            if let Some(code) = qualified_currency(&qualifier, "dollar") {
                return Some(code);
            }
        }
        None
    }
}

/// What an amount turned out to measure, and the token after the tail.
enum Tail {
    Money(CurrencyRef, usize),
    /// Cents and pence: a power of ten and the main currency.
    Fraction(i32, CurrencyRef, usize),
    Percent(Option<&'static str>, usize),
    Quantity(Option<String>, usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_opening_word_passes_the_quick_test() {
        for word in [
            "around",
            "About",
            "as",
            "more",
            "less",
            "fewer",
            "up",
            "at",
            "close",
            "an",
            "upwards",
            "just",
            "some",
            "roughly",
            "approximately",
            "nearly",
            "almost",
            "over",
            "under",
            "above",
            "between",
            "from",
            "half",
            "a",
            "one",
            "three",
            "Twenty",
            "ninety",
            "Rs",
            "USD",
            "EUR",
            "seventeen",
        ] {
            assert!(may_open_expression(word), "{word}");
        }
        for word in ["the", "The", "dollars", "said", "", "é", "Zürich", "x".repeat(40).as_str()]
        {
            assert!(!may_open_expression(word), "{word}");
        }
        assert!(OPENERS.windows(2).all(|pair| pair[0] < pair[1]), "OPENERS must be sorted");
    }

    /// The quick test is only a filter: on every opener in three cases,
    /// every opener with a letter changed, added or removed, and random
    /// words, it answers as the plain definition does.
    #[test]
    fn the_quick_test_answers_as_the_plain_definition() {
        let plain = |word: &str| {
            (word.len() == 3 && word.bytes().all(|b| b.is_ascii_uppercase()))
                || OPENERS.contains(&word.to_ascii_lowercase().as_str())
        };
        let mut words: Vec<String> = Vec::new();
        for opener in OPENERS {
            words.extend(crate::lexicon::word_variants(opener));
        }
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 9) as usize;
            let word: String = (0..length)
                .map(|i| {
                    let pick = (state >> (8 + 5 * i)) % 40;
                    match pick {
                        0..26 => (b'a' + pick as u8) as char,
                        26..34 => (b'A' + (pick - 26) as u8 * 3) as char,
                        34..37 => (b'0' + (pick - 34) as u8) as char,
                        _ => 'é',
                    }
                })
                .collect();
            words.push(word);
        }
        for word in &words {
            assert_eq!(may_open_expression(word), plain(word), "{word:?}");
        }
    }

    #[test]
    fn month_names() {
        for word in ["September", "Sept", "Sep", "Dec", "March", "MAY"] {
            assert!(is_month(word), "{word}");
        }
        for word in ["march", "Mar.", "Se", "Decimal", "Mayor", "Junk", ""] {
            assert!(!is_month(word), "{word}");
        }
    }
}
