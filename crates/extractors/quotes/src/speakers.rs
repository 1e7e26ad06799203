//! Speaker resolution: from the mention next to a quote (`Serraj`, `he`,
//! `it`, `the statement`, `the media office`) to the name of who said it.

use document::Span;

use crate::cues::{DOCUMENT_NOUNS, PERSON_NOUNS, contains};
use crate::find::{Findings, Mention};
use crate::text::{EntityKind, Text};

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
    name: String,
    class: Class,
}

/// Resolves the speaker of every quote of `findings`, in order.
pub fn resolve(view: &Text, findings: &Findings) -> Vec<Option<Speaker>> {
    let persons = person_names(view);
    let mut known: Vec<Known> = subjects(view, &persons);
    // Every description used as a speaker or issuer, for `the media office`
    // → `the media office of the prime minister`.
    let mut phrases: Vec<String> = Vec::new();
    for mention in findings
        .quotes
        .iter()
        .filter_map(|found| found.speaker.as_ref())
        .chain(findings.sources.iter().map(|source| &source.issuer))
    {
        if mention.entity.is_none() && mention.tokens.len() > 1 {
            phrases.push(phrase_text(view, mention));
        }
    }
    let mut sources: Vec<(usize, String)> = Vec::new();
    for source in &findings.sources {
        if let Some((name, _)) = name_of(view, &source.issuer, &persons, &phrases, &known, &sources)
        {
            sources.push((source.position, name.clone()));
            known.push(Known { position: source.position, name, class: Class::Thing });
        }
    }
    let mut resolved = Vec::with_capacity(findings.quotes.len());
    for found in &findings.quotes {
        let speaker = found.speaker.as_ref().and_then(|mention| {
            let (name, class) = name_of(view, mention, &persons, &phrases, &known, &sources)?;
            let position = mention.tokens.start;
            known.push(Known { position, name: name.clone(), class });
            Some(Speaker { name, mention: view.range_span(&mention.tokens) })
        });
        resolved.push(speaker);
    }
    resolved
}

/// The text of a mention, with its spaces normalised.
fn phrase_text(view: &Text, mention: &Mention) -> String {
    let span = view.range_span(&mention.tokens);
    span.slice(view.text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name and class of a mention, or `None` when it cannot be known.
fn name_of(
    view: &Text,
    mention: &Mention,
    persons: &[(Vec<String>, String)],
    phrases: &[String],
    known: &[Known],
    sources: &[(usize, String)],
) -> Option<(String, Class)> {
    let position = mention.tokens.start;
    if let Some(entity) = mention.entity.and_then(|index| view.entities.get(index)) {
        let text = phrase_text(view, mention);
        if let Some(canonical) = &entity.canonical {
            let class =
                if entity.kind == EntityKind::Person { Class::Person } else { Class::Thing };
            return Some((canonical.clone(), class));
        }
        if entity.kind == EntityKind::Person {
            return Some((full_name(&text, persons), Class::Person));
        }
        return Some((longest_phrase(&text, phrases), Class::Thing));
    }
    if mention.tokens.len() == 1 {
        let word = view.word(position).to_ascii_lowercase();
        let latest = |wanted: Class| {
            known
                .iter()
                .filter(|entry| entry.position < position && entry.class == wanted)
                .max_by_key(|entry| entry.position)
                .map(|entry| (entry.name.clone(), wanted))
        };
        match word.as_str() {
            "he" | "she" => return latest(Class::Person),
            "it" => return latest(Class::Thing),
            "they" => return latest(Class::Plural),
            "i" | "we" | "you" => return None,
            _ => {}
        }
    }
    let text = phrase_text(view, mention);
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|word| !word.is_empty())
        .collect();
    let content: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .skip_while(|word| matches!(*word, "the" | "a" | "an"))
        .collect();
    // `the statement`, `a joint statement`: its issuer, when known.
    if content.len() <= 3 && content.last().is_some_and(|noun| contains(DOCUMENT_NOUNS, noun)) {
        let issuer = sources
            .iter()
            .filter(|(at, _)| *at < position)
            .max_by_key(|(at, _)| *at)
            .map(|(_, name)| name.clone());
        return Some((issuer.unwrap_or(text), Class::Thing));
    }
    let head = content
        .iter()
        .take_while(|word| !matches!(**word, "for" | "of" | "at" | "with" | "from" | "in"))
        .last()
        .copied()
        .unwrap_or("");
    let class = if contains(PERSON_NOUNS, head) {
        Class::Person
    } else if head.len() > 3 && head.ends_with('s') && !head.ends_with("ss")
        || matches!(head, "police" | "people")
    {
        Class::Plural
    } else {
        Class::Thing
    };
    Some((longest_phrase(&text, phrases), class))
}

/// The longest recorded description that starts with `text` (without its
/// determiner): `the media office` → `the media office of the prime
/// minister`.
fn longest_phrase(text: &str, phrases: &[String]) -> String {
    let key = strip_determiner(text).to_lowercase();
    let mut best = text.to_string();
    for phrase in phrases {
        let candidate = strip_determiner(phrase).to_lowercase();
        if candidate.len() > strip_determiner(&best).len()
            && candidate.starts_with(&key)
            && candidate[key.len()..].starts_with(' ')
        {
            best = phrase.clone();
        }
    }
    best
}

fn strip_determiner(text: &str) -> &str {
    for determiner in ["the ", "The ", "a ", "A ", "an ", "An "] {
        if let Some(rest) = text.strip_prefix(determiner) {
            return rest;
        }
    }
    text
}

/// Every `PER` name of the document: its words and its text, or its
/// `attrs.canonical`.
fn person_names(view: &Text) -> Vec<(Vec<String>, String)> {
    let mut names = Vec::new();
    for entity in &view.entities {
        if entity.kind != EntityKind::Person {
            continue;
        }
        let text = entity.span.slice(view.text).split_whitespace().collect::<Vec<_>>().join(" ");
        let name = entity.canonical.clone().unwrap_or(text);
        let words = name_words(&name);
        if !words.is_empty() {
            names.push((words, name));
        }
    }
    names
}

fn name_words(name: &str) -> Vec<String> {
    name.split_whitespace()
        .map(|word| word.trim_end_matches("'s").trim_end_matches("\u{2019}s").to_lowercase())
        .collect()
}

/// The fullest name of the document that contains every word of `text`,
/// in order (`Serraj` → `Fayez Serraj`); the earliest among equals.
fn full_name(text: &str, persons: &[(Vec<String>, String)]) -> String {
    let words = name_words(text);
    let mut best: Option<&(Vec<String>, String)> = None;
    for candidate in persons {
        if candidate.0.len() > words.len()
            && candidate.0.windows(words.len()).any(|window| window == words.as_slice())
            && best.is_none_or(|found| candidate.0.len() > found.0.len())
        {
            best = Some(candidate);
        }
    }
    best.map_or_else(|| text.trim_end_matches("'s").to_string(), |found| found.1.clone())
}

/// The first person named in each sentence, usually its subject: who `he`
/// or `she` may mean when nobody has spoken yet (`Smith arrived on Monday.
/// "We are ready," he said.`).
fn subjects(view: &Text, persons: &[(Vec<String>, String)]) -> Vec<Known> {
    let mut known = Vec::new();
    let mut last_sentence = u32::MAX;
    for entity in &view.entities {
        if entity.kind != EntityKind::Person {
            continue;
        }
        let sentence = view.sentence.get(entity.tokens.start).copied().unwrap_or(0);
        if sentence == last_sentence {
            continue;
        }
        last_sentence = sentence;
        let text = entity.span.slice(view.text).split_whitespace().collect::<Vec<_>>().join(" ");
        let name = entity.canonical.clone().unwrap_or_else(|| full_name(&text, persons));
        known.push(Known { position: entity.tokens.start, name, class: Class::Person });
    }
    known
}
