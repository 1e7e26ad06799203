//! Titles and affiliations of people: `Italian Minister of Interior Marco
//! Minniti`, `Libya's UN-backed Prime Minister Fayez Serraj`, `Gen.
//! Khalifa Haftar`, and the appositions `Fayez Serraj, the prime minister,`
//! and `the Libyan prime minister, Fayez Serraj,`.
//!
//! Everything here works on the document's tokens and a few lookups: the
//! title words of `data/titles.tsv`, the nationality words and country
//! names of the gazetteer, and the spans of the ORG and LOC mentions.

use document::{Span, Token, TokenKind};

use crate::gazetteer::{Gazetteer, Nationality};

/// What the text around a role's words is, as the role parser needs it.
pub trait Context {
    /// The organisation canonical name of an ORG mention covering `span`.
    fn organisation(&self, span: Span) -> Option<String>;
    /// The country of a LOC mention covering `span` (an alias, a country
    /// name or a resolved place).
    fn country(&self, span: Span) -> Option<String>;
    /// Whether a PER, ORG or LOC mention covers `span`.
    fn known(&self, span: Span) -> bool;
}

/// One title found next to a person's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// From the first word of the construction to the end of the name (or
    /// of the title, for an apposition after the name).
    pub span: Span,
    pub title: String,
    pub country: Option<String>,
    pub organization: Option<String>,
    /// The span of the title words themselves (tokens that are not names).
    pub title_span: Span,
}

/// The tokens of a document, with the text they slice.
pub struct Tokens<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
}

impl<'a> Tokens<'a> {
    fn word(&self, i: usize) -> &'a str {
        self.tokens.get(i).map_or("", |token| token.span.slice(self.text))
    }

    fn is_word(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|token| token.kind == TokenKind::Word)
    }

    fn span(&self, i: usize) -> Span {
        self.tokens.get(i).map_or(Span::new(0, 0), |token| token.span)
    }

    /// The index of the first token starting at or after `offset`.
    pub fn at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|token| token.span.start < offset)
    }

    /// The index one past the last token ending at or before `offset`.
    pub fn until(&self, offset: usize) -> usize {
        self.tokens.partition_point(|token| token.span.end <= offset)
    }

    /// Whether nothing but white space separates two tokens.
    fn adjacent(&self, left: usize, right: usize) -> bool {
        let (a, b) = (self.span(left), self.span(right));
        a.end <= b.start && self.text.get(a.end..b.start).is_some_and(|gap| gap.trim().is_empty())
    }
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Lower-case words that may stand between a nationality or possessive and
/// a title (`Libya's UN-backed Prime Minister`, `the former president`).
const ADJECTIVES: &[&str] = &[
    "former",
    "then",
    "new",
    "late",
    "outgoing",
    "incoming",
    "embattled",
    "veteran",
    "longtime",
    "long-time",
    "newly",
    "elected",
    "appointed",
    "current",
    "ousted",
    "deposed",
    "exiled",
    "self-proclaimed",
    "powerful",
    "top",
    "influential",
    "powerful",
    "controversial",
];

const DETERMINERS: &[&str] = &["the", "a", "an", "his", "her", "its", "their"];

pub struct Parser<'a, C: Context> {
    pub tokens: Tokens<'a>,
    pub gazetteer: &'a Gazetteer,
    pub context: &'a C,
}

impl<'a, C: Context> Parser<'a, C> {
    fn title_word(&self, i: usize) -> Option<(bool, bool, &'a str)> {
        if !self.is_wordlike(i) {
            return None;
        }
        let word = self.tokens.word(i);
        let (kind, normal) = self.gazetteer.title_word(word)?;
        if kind.honorific {
            return None;
        }
        // Honorifics (`Mr.`) are stripped from names but are no titles;
        // heads and modifiers count in any case (`prime minister`).
        Some((kind.head, kind.modifier, normal))
    }

    fn is_wordlike(&self, i: usize) -> bool {
        self.tokens.is_word(i)
    }

    /// Parses a title from token `start`, forwards: modifiers and heads,
    /// ending in a head, then `of`/`for` + capitalised words. Returns the
    /// end (exclusive) of the title words, the end of the `of` phrase, and
    /// the `of` phrase's first token when there is one.
    fn title_forward(&self, start: usize, limit: usize) -> Option<(usize, usize, Option<usize>)> {
        let mut i = start;
        let mut last_head = None;
        while i < limit {
            if i > start && !self.tokens.adjacent(i - 1, i) {
                break;
            }
            match self.title_word(i) {
                Some((head, modifier, _)) if head || modifier => {
                    if head {
                        last_head = Some(i);
                    }
                    i += 1;
                }
                _ => break,
            }
        }
        let head = last_head?;
        let end = head + 1;
        // `of Interior`, `of Foreign Affairs`, `for the Libyan National Army`.
        let of = self.tokens.word(end).to_lowercase();
        if (of == "of" || of == "for") && end + 1 < limit {
            let mut j = end + 1;
            if DETERMINERS.contains(&self.tokens.word(j).to_lowercase().as_str()) {
                j += 1;
            }
            let object = j;
            while j < limit {
                let word = self.tokens.word(j);
                let joiner = matches!(word.to_lowercase().as_str(), "and" | "&" | "of")
                    && j + 1 < limit
                    && capitalised(self.tokens.word(j + 1));
                if (self.is_wordlike(j) && capitalised(word)) || (joiner && j > object) {
                    j += 1;
                } else {
                    break;
                }
            }
            if j > object {
                return Some((end, j, Some(object)));
            }
        }
        Some((end, end, None))
    }

    /// The normalised title of tokens `start..end`.
    fn normalise(&self, start: usize, end: usize) -> String {
        let mut words = Vec::new();
        for i in start..end {
            let word = self.tokens.word(i);
            let normal = match self.gazetteer.title_word(word) {
                Some((_, normal)) if normal.contains('.') || !normal.eq_ignore_ascii_case(word) => {
                    normal.to_string()
                }
                _ => capitalise(word),
            };
            words.push(normal);
        }
        words.join(" ")
    }

    /// The country or organisation named just before token `start` (the
    /// start of a title): a nationality word, a possessive, an ORG or a
    /// country, across a few adjectives. Returns them with the first token
    /// they cover.
    fn before(&self, start: usize, floor: usize) -> (Option<String>, Option<String>, usize) {
        let mut i = start;
        let mut first = start;
        let mut steps = 0;
        while i > floor && steps < 4 {
            i -= 1;
            steps += 1;
            let word = self.tokens.word(i);
            let lower = word.to_lowercase();
            if !self.tokens.adjacent(i, i + 1) && i + 1 < self.tokens.tokens.len() {
                break;
            }
            if let Some(nationality) = self.gazetteer.demonym(word) {
                return match nationality {
                    Nationality::Country(code) => (Some(code.clone()), None, i),
                    Nationality::Region(_) => (None, None, first),
                };
            }
            // `Libya's`, `the WHO's`: the possessive may be its own token.
            let (stem_token, possessive) = if lower == "'s" || lower == "\u{2019}s" {
                (i.checked_sub(1), true)
            } else if lower.ends_with("'s") || lower.ends_with("\u{2019}s") {
                (Some(i), true)
            } else {
                (Some(i), false)
            };
            if let Some(stem) = stem_token {
                let span = self.tokens.span(stem);
                let span = if possessive && stem == i {
                    Span::new(
                        span.start,
                        span.end.saturating_sub(if lower.ends_with("'s") { 2 } else { 4 }),
                    )
                } else {
                    span
                };
                if let Some(country) = self.context.country(span) {
                    return (Some(country), None, stem);
                }
                if let Some(organisation) = self.context.organisation(span) {
                    return (None, Some(organisation), stem);
                }
                if !self.context.known(span)
                    && let Some(Nationality::Country(code)) =
                        self.gazetteer.nation(span.slice(self.tokens.text))
                {
                    return (Some(code), None, stem);
                }
            }
            let adjective = ADJECTIVES.contains(&lower.as_str())
                || (word.contains('-')
                    && word.rsplit('-').next().is_some_and(|last| !capitalised(last)));
            if adjective {
                first = i;
                continue;
            }
            break;
        }
        (None, None, first)
    }

    /// Country and organisation named by an `of`/`for` phrase.
    fn object(&self, object: usize, end: usize) -> (Option<String>, Option<String>) {
        // `of Interior`, `of Foreign Affairs`: a portfolio, part of the
        // title, whatever `ner` made of it.
        let portfolio = (object..end).all(|i| {
            self.gazetteer.title_word(self.tokens.word(i)).is_some()
                || matches!(self.tokens.word(i), "and" | "&" | "of")
        });
        if portfolio {
            return (None, None);
        }
        let span =
            Span::new(self.tokens.span(object).start, self.tokens.span(end.saturating_sub(1)).end);
        if let Some(organisation) = self.context.organisation(span) {
            return (None, Some(organisation));
        }
        if let Some(country) = self.context.country(span) {
            return (Some(country), None);
        }
        (None, None)
    }

    /// A title written before the name that starts at token `name`
    /// (`Prime Minister Fayez Serraj`); `floor` is the first token of the
    /// sentence.
    pub fn before_name(&self, name: usize, floor: usize, name_end: usize) -> Option<Role> {
        // The longest title ending right before the name.
        let mut start = name;
        while start > floor && name - start < 10 {
            let i = start - 1;
            let word = self.tokens.word(i);
            let ok = self.is_wordlike(i)
                && self.tokens.adjacent(i, i + 1)
                && (capitalised(word)
                    || self.title_word(i).is_some()
                    || matches!(word, "of" | "for" | "and"));
            if !ok || self.gazetteer.demonym(word).is_some() || word.ends_with("'s") {
                break;
            }
            start = i;
        }
        // `army commander Gen. Elias Kanaan`: a title in capitals right
        // before the name wins over lower-case words before it.
        let last_lower = (start..name).rev().find(|&i| {
            !capitalised(self.tokens.word(i))
                && !matches!(self.tokens.word(i), "of" | "for" | "and")
        });
        if let Some(lower) = last_lower
            && lower + 1 < name
            && self.title_forward(lower + 1, name).is_some_and(|(_, end, _)| end == name)
        {
            start = lower + 1;
        }
        (start..name).find_map(|s| {
            let (title_end, end, object) = self.title_forward(s, name)?;
            if end != name {
                return None;
            }
            let (mut country, mut organization) = match object {
                Some(object) => {
                    let (country, organization) = self.object(object, end);
                    (country, organization)
                }
                None => (None, None),
            };
            let title_end =
                if country.is_some() || organization.is_some() { title_end } else { end };
            let (before_country, before_organization, first) = self.before(s, floor);
            country = country.or(before_country);
            organization = organization.or(before_organization);
            Some(Role {
                span: Span::new(self.tokens.span(first).start, name_end),
                title: self.normalise(s, title_end),
                country,
                organization,
                title_span: Span::new(
                    self.tokens.span(s).start,
                    self.tokens.span(title_end - 1).end,
                ),
            })
        })
    }

    /// An apposition after a name that ends before token `after`: `,
    /// the prime minister,` / `, Italy's interior minister,` / `, a
    /// spokesman for the LNA.` `ceiling` is the end of the sentence.
    pub fn after_name(&self, after: usize, ceiling: usize, name_start: usize) -> Option<Role> {
        if self.tokens.word(after) != "," {
            return None;
        }
        let mut i = after + 1;
        let mut country = None;
        let mut organization = None;
        // Determiners, possessives, nationality words and adjectives.
        let mut steps = 0;
        while i < ceiling && steps < 5 {
            steps += 1;
            let word = self.tokens.word(i);
            let lower = word.to_lowercase();
            if DETERMINERS.contains(&lower.as_str()) || ADJECTIVES.contains(&lower.as_str()) {
                i += 1;
                continue;
            }
            if self.title_word(i).is_some() {
                break;
            }
            if let Some(Nationality::Country(code)) = self.gazetteer.demonym(word) {
                country = Some(code.clone());
                i += 1;
                continue;
            }
            let stem = if lower.ends_with("'s") {
                Span::new(self.tokens.span(i).start, self.tokens.span(i).end - 2)
            } else {
                self.tokens.span(i)
            };
            let next_is_possessive = matches!(self.tokens.word(i + 1), "'s" | "\u{2019}s");
            if lower.ends_with("'s") || next_is_possessive {
                if let Some(code) = self.context.country(stem) {
                    country = Some(code);
                } else if let Some(organisation) = self.context.organisation(stem) {
                    organization = Some(organisation);
                } else if let Some(Nationality::Country(code)) =
                    self.gazetteer.nation(stem.slice(self.tokens.text))
                {
                    country = Some(code);
                }
                i += if next_is_possessive { 2 } else { 1 };
                continue;
            }
            if word.contains('-')
                || (capitalised(word) && self.context.organisation(self.tokens.span(i)).is_some())
            {
                if let Some(organisation) = self.context.organisation(self.tokens.span(i)) {
                    organization = Some(organisation);
                }
                i += 1;
                continue;
            }
            break;
        }
        let start = i;
        let (title_end, mut end, object) = self.title_forward(start, ceiling)?;
        let mut title_end_used = end;
        if let Some(object) = object {
            let (c, o) = self.object(object, end);
            if c.is_some() || o.is_some() {
                title_end_used = title_end;
                country = c.or(country);
                organization = o.or(organization);
            }
        } else {
            // `spokesman for the investigating committee`: an object in
            // lower case is read over, not kept.
            let of = self.tokens.word(end).to_lowercase();
            if of == "of" || of == "for" || of == "at" {
                let mut j = end + 1;
                while j < ceiling && j < end + 8 && self.tokens.is_word(j) {
                    if let Some(o) = self.context.organisation(self.tokens.span(j)) {
                        organization = organization.or(Some(o));
                    }
                    j += 1;
                }
                end = j;
            }
        }
        // The apposition must close here, after an acronym in brackets.
        if self.tokens.word(end) == "(" && self.tokens.word(end + 2) == ")" {
            end += 3;
        }
        let closing = self.tokens.word(end);
        let closes = end >= ceiling
            || matches!(
                closing,
                "," | "." | ";" | ":" | ")" | "--" | "\u{2014}" | "\"" | "\u{201d}"
            );
        if !closes {
            return None;
        }
        Some(Role {
            span: Span::new(self.tokens.span(name_start).start, self.tokens.span(end - 1).end),
            title: self.normalise(start, title_end_used),
            country,
            organization,
            title_span: Span::new(
                self.tokens.span(start).start,
                self.tokens.span(title_end_used - 1).end,
            ),
        })
    }

    /// A title as an apposition before a name that starts at token `name`:
    /// `the Libyan UN-backed prime minister, Fayez Serraj,`.
    pub fn apposition_before(&self, name: usize, floor: usize, name_end: usize) -> Option<Role> {
        let comma = name.checked_sub(1)?;
        if comma <= floor || self.tokens.word(comma) != "," {
            return None;
        }
        let mut role = self.before_name(comma, floor, name_end)?;
        // Only after a determiner, a possessive or a nationality word, so
        // that a list (`the minister, Serraj and Haftar`) is not read.
        let first = self.tokens.at(role.span.start);
        let previous = first.checked_sub(1).map(|i| self.tokens.word(i).to_lowercase());
        let anchored = role.country.is_some()
            || role.organization.is_some()
            || previous.is_some_and(|word| DETERMINERS.contains(&word.as_str()));
        if !anchored {
            return None;
        }
        // The apposition closes after the name (`, Fayez Serraj, told`),
        // which a subject (`the minister, Minniti praised`) does not.
        let after = self.tokens.until(name_end);
        let closes = after >= self.tokens.tokens.len()
            || matches!(self.tokens.word(after), "," | "." | ";" | ":" | ")" | "--" | "\u{2014}");
        if !closes {
            return None;
        }
        role.span = Span::new(role.span.start, name_end);
        Some(role)
    }
}

/// `prime` → `Prime`, `director-general` → `Director-General`; `of`,
/// `and`, `for`, `the` stay in lower case.
pub fn capitalise(word: &str) -> String {
    if matches!(word, "of" | "and" | "for" | "the" | "&") {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut upper = true;
    for c in word.chars() {
        if upper {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        upper = c == '-';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalises_titles() {
        assert_eq!(capitalise("prime"), "Prime");
        assert_eq!(capitalise("director-general"), "Director-General");
        assert_eq!(capitalise("of"), "of");
    }
}
