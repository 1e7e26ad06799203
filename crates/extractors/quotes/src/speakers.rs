//! Speaker resolution: from the mention next to a quote (`Serraj`, `he`,
//! `it`, `the statement`, `the media office`, `the bank`) to the name of
//! who said it.

use document::Span;

use crate::cues::{DOCUMENT_NOUNS, ORGANISATION_NOUNS, PERSON_NOUNS, TITLES, contains};
use crate::find::{Findings, Mention};
use crate::text::{EntityKind, Text};

/// How far, in tokens, a name is looked for around a quote's speaker.
const REACH: usize = 20_000;

/// What a speaker is, for pronouns: `he`/`she` want a person, `it` an
/// organisation or document, `they` a plural.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Person,
    Thing,
    Plural,
}

/// A speaker resolved: the name, and the mention in the text that stands
/// for it next to the quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker {
    pub name: String,
    pub mention: Span,
}

/// Someone who could be meant later, at a token position.
#[derive(Clone, Debug)]
struct Known {
    position: usize,
    name: KnownName,
    class: Class,
}

/// A name, or the entity whose name it is, worked out only when a pronoun
/// picks it.
#[derive(Clone, Debug)]
enum KnownName {
    Name(String),
    Entity(usize),
}

/// A name or description of the document that a shorter one may stand
/// for: `PER`/`ORG` entities, speakers and statement issuers. Words are
/// kept as hashes of their lower-case form, so that building one costs a
/// single allocation whatever the document.
#[derive(Clone, Debug)]
struct Candidate {
    position: usize,
    /// The entity, whose name is made only when it is chosen; or the text.
    entity: Option<usize>,
    text: String,
    /// Its words without a leading determiner.
    words: Words,
    /// The word just before it (`airline` in `German airline Lufthavn`),
    /// for descriptions of organisations.
    descriptor: u64,
    /// The two words just before a person's name (`finance minister` in
    /// `Finance Minister Joseph Mwangi`).
    titles: [u64; 2],
    kind: Option<EntityKind>,
}

/// A word without a possessive `'s` (a `&str` pattern would build a
/// searcher on every call).
fn without_possessive(word: &str) -> &str {
    word.strip_suffix("'s").or_else(|| word.strip_suffix("\u{2019}s")).unwrap_or(word)
}

/// FNV-1a over the lower-cased word without a possessive `'s` and the
/// punctuation around it.
fn hash_word(word: &str) -> u64 {
    let word = without_possessive(word);
    // Nearly every word begins and ends with an ASCII letter or digit, and
    // then there is nothing to trim.
    let bytes = word.as_bytes();
    let word = if bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        word
    } else {
        word.trim_matches(|c: char| !c.is_alphanumeric())
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in word.bytes() {
        hash ^= u64::from(byte.to_ascii_lowercase());
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Whether a word hash is that of `the`, `a`, `an` or a possessive
/// determiner, which never start a candidate's words.
fn is_determiner_hash(hash: u64) -> bool {
    static DETERMINERS: std::sync::OnceLock<[u64; 8]> = std::sync::OnceLock::new();
    DETERMINERS
        .get_or_init(|| ["the", "a", "an", "his", "her", "its", "their", "our"].map(hash_word))
        .contains(&hash)
}

/// Up to twelve word hashes, inline: a candidate costs no allocation.
#[derive(Clone, Debug)]
struct Words {
    len: usize,
    hashes: [u64; 12],
}

impl Words {
    fn new(hashes: impl IntoIterator<Item = u64>) -> Words {
        let mut words = Words { len: 0, hashes: [0; 12] };
        for (slot, hash) in words.hashes.iter_mut().zip(hashes) {
            *slot = hash;
            words.len += 1;
        }
        words
    }
}

impl std::ops::Deref for Words {
    type Target = [u64];

    fn deref(&self) -> &[u64] {
        self.hashes.get(..self.len).unwrap_or_default()
    }
}

fn hashes(words: &[String]) -> Vec<u64> {
    words.iter().map(|word| hash_word(word)).collect()
}

struct Resolver<'a> {
    view: &'a Text<'a>,
    candidates: Vec<Candidate>,
    known: Vec<Known>,
    /// Statement issuers by position.
    sources: Vec<(usize, String)>,
}

/// Resolves the speaker of every quote of `findings`, in order.
pub fn resolve(view: &Text, findings: &Findings) -> Vec<Option<Speaker>> {
    let mut resolver = Resolver::new(view, findings);
    for source in &findings.sources {
        if let Some((name, _)) = resolver.name_of(&source.issuer) {
            resolver.sources.push((source.position, name.clone()));
            resolver.known.push(Known {
                position: source.position,
                name: KnownName::Name(name),
                class: Class::Thing,
            });
        }
    }
    // One sort puts the issuers among the sentence subjects; speakers are
    // then added in place as they come.
    resolver.known.sort_by_key(|known| known.position);
    let mut resolved = Vec::with_capacity(findings.quotes.len());
    for found in &findings.quotes {
        let speaker = found.speaker.as_ref().and_then(|mention| {
            let (name, class) = resolver.name_of(mention)?;
            let position = mention.tokens.start;
            resolver.remember(Known { position, name: KnownName::Name(name.clone()), class });
            Some(Speaker { name, mention: view.range_span(&mention.tokens) })
        });
        resolved.push(speaker);
    }
    resolved
}

/// The text of a token range, with its spaces normalised.
fn tokens_text(view: &Text, tokens: &std::ops::Range<usize>) -> String {
    view.range_span(tokens).slice(view.text).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn content_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split_whitespace()
        .map(|word| {
            without_possessive(word).trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
        })
        .filter(|word| !word.is_empty())
        .collect();
    let determiner = ["the", "a", "an", "his", "her", "its", "their", "our"];
    if words.first().is_some_and(|word| determiner.contains(&word.as_str())) {
        words.remove(0);
    }
    words
}

/// A person's name without the titles before it (`Senator Katrin
/// Lompscher` → `Katrin Lompscher`), keeping at least two words.
fn strip_titles(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut start = 0;
    while words.len() - start > 2 && contains(TITLES, words[start]) {
        start += 1;
    }
    if words.len() - start == 2 && contains(TITLES, words[start]) {
        start += 1;
    }
    words[start..].join(" ")
}

/// An acronym's letters match the capitals of a longer name (`AU` →
/// `African Union`, `WHO` → `World Health Organization`).
fn expands(acronym: &str, name: &str) -> bool {
    let initials: String = name
        .split_whitespace()
        .filter(|word| word.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|word| word.chars().next())
        .collect();
    initials.len() >= 2 && initials == acronym
}

fn is_acronym(text: &str) -> bool {
    (2..=6).contains(&text.len()) && text.chars().all(|c| c.is_ascii_uppercase())
}

impl<'a> Resolver<'a> {
    fn new(view: &'a Text<'a>, findings: &Findings) -> Resolver<'a> {
        let mut candidates = Vec::with_capacity(view.entities.len());
        let hashed = |index: usize| hash_word(view.word(index));
        for (index, entity) in view.entities.iter().enumerate() {
            let start = entity.tokens.start;
            let mut words = match &entity.canonical {
                Some(canonical) => Words::new(canonical.split_whitespace().map(hash_word)),
                None => Words::new(entity.tokens.clone().map(hashed)),
            };
            if words.first().is_some_and(|first| is_determiner_hash(*first)) {
                words = Words::new(words.iter().skip(1).copied());
            }
            let before = |back: usize| if start >= back { hashed(start - back) } else { 0 };
            candidates.push(Candidate {
                position: start,
                entity: Some(index),
                text: String::new(),
                words,
                descriptor: before(1),
                titles: [before(2), before(1)],
                kind: Some(entity.kind),
            });
        }
        for mention in findings
            .quotes
            .iter()
            .filter_map(|found| found.speaker.as_ref())
            .chain(findings.sources.iter().map(|source| &source.issuer))
        {
            if mention.entity.is_none() && mention.tokens.len() > 1 {
                let text = tokens_text(view, &mention.tokens);
                candidates.push(Candidate {
                    position: mention.tokens.start,
                    entity: None,
                    words: Words::new(content_words(&text).iter().map(|word| hash_word(word))),
                    text,
                    descriptor: 0,
                    titles: [0, 0],
                    kind: None,
                });
            }
        }
        // Entities come in order, phrases after them: one stable sort, which
        // merges the two runs.
        candidates.sort_by_key(|candidate| candidate.position);

        let mut resolver = Resolver { view, candidates, known: Vec::new(), sources: Vec::new() };
        let quoted: Vec<Span> = findings
            .quotes
            .iter()
            .filter(|found| found.kind != crate::find::Kind::Indirect)
            .map(|found| found.span)
            .collect();
        resolver.known = resolver.subjects(&quoted);
        resolver
    }

    /// Adds someone known, keeping the list in order of position (each
    /// addition is near the end: speakers come in the order of the text).
    fn remember(&mut self, known: Known) {
        let at = self.known.partition_point(|entry| entry.position <= known.position);
        self.known.insert(at, known);
    }

    /// The candidates within [`REACH`] tokens of `position`: every search
    /// of a name stays inside it, so that a huge document costs a constant
    /// per quote, not a pass over the whole document.
    fn window(&self, position: usize) -> &[Candidate] {
        let start = self.candidates.partition_point(|c| c.position + REACH < position);
        let end = self.candidates.partition_point(|c| c.position <= position + REACH);
        self.candidates.get(start..end.max(start)).unwrap_or_default()
    }

    /// The latest candidate before `position` that `test` accepts, else the
    /// earliest after it.
    fn nearest(&self, position: usize, test: impl Fn(&Candidate) -> bool) -> Option<&Candidate> {
        let window = self.window(position);
        let before = window.iter().rfind(|c| c.position < position && test(c));
        before.or_else(|| window.iter().find(|c| c.position > position && test(c)))
    }

    /// The name and class of a mention, or `None` when it cannot be known.
    fn name_of(&self, mention: &Mention) -> Option<(String, Class)> {
        let view = self.view;
        let position = mention.tokens.start;
        let text = tokens_text(view, &mention.tokens);
        if let Some(entity) = mention.entity.and_then(|index| view.entities.get(index)) {
            if let Some(canonical) = &entity.canonical {
                let class =
                    if entity.kind == EntityKind::Person { Class::Person } else { Class::Thing };
                return Some((canonical.clone(), class));
            }
            if entity.kind == EntityKind::Person {
                return Some((self.full_name(&text, position), Class::Person));
            }
            return Some((self.organisation(&text, position), Class::Thing));
        }
        if mention.tokens.len() == 1 {
            let word = view.word(position).to_ascii_lowercase();
            // The known are kept in order of position; the search looks back
            // no further than the window.
            let latest = |wanted: Class| {
                let end = self.known.partition_point(|entry| entry.position < position);
                self.known[..end]
                    .iter()
                    .rev()
                    .take_while(|entry| entry.position + REACH >= position)
                    .find(|entry| entry.class == wanted)
                    .map(|entry| (self.known_name(entry), wanted))
            };
            match word.as_str() {
                "he" | "she" => return latest(Class::Person),
                "it" => return latest(Class::Thing),
                "they" => return latest(Class::Plural),
                "i" | "we" | "you" => return None,
                _ => {}
            }
        }
        let words = content_words(&text);
        let Some(head) = words
            .iter()
            .take_while(|word| {
                !matches!(word.as_str(), "for" | "of" | "at" | "with" | "from" | "in")
            })
            .last()
            .cloned()
        else {
            return Some((text, Class::Thing));
        };
        // `the statement`, `a joint statement`: its issuer, when known.
        if words.len() <= 3 && contains(DOCUMENT_NOUNS, &head) {
            // Issuers are in order of position: the last one before.
            let before = self.sources.partition_point(|(at, _)| *at < position);
            let issuer = before
                .checked_sub(1)
                .and_then(|last| self.sources.get(last))
                .map(|(_, name)| name.clone());
            return Some((issuer.unwrap_or(text), Class::Thing));
        }
        let short = words.len() <= 3;
        if contains(PERSON_NOUNS, &head) {
            // `the finance minister` → `Finance Minister Joseph Mwangi`.
            if short {
                let head_hash = hash_word(&head);
                let modifier = words.len().checked_sub(2).map(|at| hash_word(&words[at]));
                let role = self.nearest(position, |candidate| {
                    candidate.kind == Some(EntityKind::Person)
                        && candidate.titles[1] == head_hash
                        && modifier.is_none_or(|modifier| candidate.titles[0] == modifier)
                });
                if let Some(role) = role {
                    return Some((self.name(role), Class::Person));
                }
            }
            return Some((self.longest(&text, &words, position), Class::Person));
        }
        if short {
            // `the bank` → `the Bank of England`, `police` → `Belgian police`,
            // `the airline` → `German airline Lufthavn`.
            let head_hash = hash_word(&head);
            let word_hashes = hashes(&words);
            let fuller = self.nearest(position, |candidate| {
                candidate.kind != Some(EntityKind::Person)
                    && candidate.kind != Some(EntityKind::Place)
                    && (candidate.descriptor == head_hash
                        || (candidate.words.len() > words.len()
                            && word_hashes.iter().all(|word| candidate.words.contains(word))))
            });
            if let Some(fuller) = fuller {
                return Some((
                    self.organisation(&self.name(fuller), fuller.position),
                    Class::Thing,
                ));
            }
            // `the agency`, `the company`: the last organisation named.
            if words.len() == 1 && contains(ORGANISATION_NOUNS, &head) {
                let last = self
                    .window(position)
                    .iter()
                    .rfind(|c| c.position < position && c.kind == Some(EntityKind::Organisation));
                if let Some(last) = last {
                    return Some((
                        self.organisation(&self.name(last), last.position),
                        Class::Thing,
                    ));
                }
            }
        }
        let plural = head.len() > 3 && head.ends_with('s') && !head.ends_with("ss")
            || matches!(head.as_str(), "police" | "people");
        let class = if plural && !contains(ORGANISATION_NOUNS, &head) {
            Class::Plural
        } else {
            Class::Thing
        };
        Some((self.longest(&text, &words, position), class))
    }

    /// An organisation's name: an acronym spelt out when the document does
    /// (`AU` → `African Union`).
    fn organisation(&self, text: &str, position: usize) -> String {
        let bare = content_words(text);
        let acronym = text.split_whitespace().last().unwrap_or("");
        if bare.len() == 1 && is_acronym(acronym) {
            let long = self.nearest(position, |candidate| {
                candidate.kind == Some(EntityKind::Organisation)
                    && candidate.words.len() >= acronym.len()
                    && expands(acronym, &self.name(candidate))
            });
            if let Some(long) = long {
                return self.name(long);
            }
        }
        text.to_string()
    }

    /// The longest description of the document starting with this one (`the
    /// media office` → `the media office of the prime minister`).
    fn longest(&self, text: &str, words: &[String], position: usize) -> String {
        let words = hashes(words);
        let mut best: Option<&Candidate> = None;
        for candidate in self.window(position) {
            if candidate.kind.is_none()
                && candidate.words.len() > words.len()
                && candidate.words.starts_with(&words)
                && best.is_none_or(|found| candidate.words.len() > found.words.len())
            {
                best = Some(candidate);
            }
        }
        best.map_or_else(|| text.to_string(), |found| self.name(found))
    }

    /// The fullest name of the document that contains every word of
    /// `text`, in order (`Serraj` → `Fayez Serraj`): a person's name, else
    /// any name (the tagger may have taken it for a place), else the name
    /// as the text writes it before a capitalised first name.
    fn full_name(&self, text: &str, position: usize) -> String {
        let words = hashes(&content_words(text));
        let stripped = strip_titles(text);
        if words.is_empty() {
            return stripped;
        }
        for persons_only in [true, false] {
            let mut best: Option<&Candidate> = None;
            for candidate in self.window(position) {
                if (persons_only && candidate.kind != Some(EntityKind::Person))
                    || candidate.kind.is_none()
                {
                    continue;
                }
                if candidate.words.len() > words.len()
                    && candidate.words.windows(words.len()).any(|window| window == words.as_slice())
                    && best.is_none_or(|found| candidate.words.len() > found.words.len())
                {
                    best = Some(candidate);
                }
            }
            if let Some(best) = best {
                return strip_titles(&self.name(best));
            }
        }
        self.written_in_full(&stripped, position).unwrap_or(stripped)
    }

    /// `Ama Owusu` for `Owusu` when the text writes a capitalised word
    /// before the surname somewhere (and it is no title or sentence opener).
    fn written_in_full(&self, surname: &str, position: usize) -> Option<String> {
        if surname.contains(' ') || surname.len() < 3 {
            return None;
        }
        // Only the text around the mention, so that the search costs a
        // constant per quote whatever the document's size.
        let full = self.view.text;
        let middle = self.view.span(position).start;
        let mut low = middle.saturating_sub(20_000);
        while !full.is_char_boundary(low) {
            low -= 1;
        }
        let mut high = (middle + 20_000).min(full.len());
        while !full.is_char_boundary(high) {
            high += 1;
        }
        let text = full.get(low..high)?;
        for (at, _) in text.match_indices(surname) {
            let after = text.get(at + surname.len()..).and_then(|rest| rest.chars().next());
            if after.is_some_and(char::is_alphanumeric) {
                continue;
            }
            let head = text.get(..at)?;
            if !head.ends_with(' ') {
                continue;
            }
            let first = head.trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
            let capitalised = first.chars().next().is_some_and(char::is_uppercase)
                && first.chars().skip(1).all(char::is_lowercase)
                && first.chars().count() > 1;
            if capitalised
                && !contains(TITLES, first)
                && !contains(
                    &["The", "A", "An", "In", "On", "At", "But", "And", "Mr", "Ms", "Mrs"],
                    first,
                )
            {
                return Some(format!("{first} {surname}"));
            }
        }
        None
    }

    /// The name of a candidate: an entity's `attrs.canonical`, or its text
    /// (without titles for a person).
    fn name(&self, candidate: &Candidate) -> String {
        let Some(entity) = candidate.entity.and_then(|index| self.view.entities.get(index)) else {
            return candidate.text.clone();
        };
        if let Some(canonical) = &entity.canonical {
            return canonical.clone();
        }
        let text = tokens_text(self.view, &entity.tokens);
        if entity.kind == EntityKind::Person { strip_titles(&text) } else { text }
    }

    /// The name of someone known, worked out now for an entity.
    fn known_name(&self, known: &Known) -> String {
        match &known.name {
            KnownName::Name(name) => name.clone(),
            KnownName::Entity(index) => {
                let Some(entity) = self.view.entities.get(*index) else {
                    return String::new();
                };
                if let Some(canonical) = &entity.canonical {
                    return canonical.clone();
                }
                let text = tokens_text(self.view, &entity.tokens);
                match entity.kind {
                    EntityKind::Person => self.full_name(&text, entity.tokens.start),
                    _ => self.organisation(&text, entity.tokens.start),
                }
            }
        }
    }

    /// The first person and first organisation named in each sentence,
    /// usually its subject: who `he`, `she` or `it` may mean when nobody
    /// has spoken yet (`Smith arrived on Monday. "We are ready," he said.`).
    fn subjects(&self, quoted: &[Span]) -> Vec<Known> {
        let view = self.view;
        let mut known = Vec::new();
        let mut last = (u32::MAX, u32::MAX);
        // Quotes and entities are both in order: one walk over each.
        let mut next_quote = 0;
        for (index, entity) in view.entities.iter().enumerate() {
            // A name inside a quote is not the subject of the reporter's
            // sentence.
            let span = view.range_span(&entity.tokens);
            while quoted.get(next_quote).is_some_and(|quote| quote.end <= span.start) {
                next_quote += 1;
            }
            if quoted.get(next_quote).is_some_and(|quote| quote.contains(&span)) {
                continue;
            }
            let sentence = view.sentence.get(entity.tokens.start).copied().unwrap_or(0);
            let position = entity.tokens.start;
            let name = KnownName::Entity(index);
            match entity.kind {
                EntityKind::Person if last.0 != sentence => {
                    last.0 = sentence;
                    known.push(Known { position, name, class: Class::Person });
                }
                EntityKind::Organisation if last.1 != sentence => {
                    last.1 = sentence;
                    known.push(Known { position, name, class: Class::Thing });
                }
                _ => {}
            }
        }
        known
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_hashes_trim_what_the_plain_trim_does() {
        let plain = |word: &str| {
            let word = without_possessive(word).trim_matches(|c: char| !c.is_alphanumeric());
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in word.bytes() {
                hash ^= u64::from(byte.to_ascii_lowercase());
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            hash
        };
        for word in [
            "Serraj",
            "Serraj's",
            "\"Serraj,",
            "(UN)",
            "U.N.",
            "Zürich",
            "«Zürich»",
            "ça",
            "x",
            "",
            "...",
            "O'Neill",
            "1990s",
            "—said",
            "Müller’s",
        ] {
            assert_eq!(hash_word(word), plain(word), "{word}");
        }
        assert_eq!(hash_word("\"Serraj,"), hash_word("serraj"));
    }
}
