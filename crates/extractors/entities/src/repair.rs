//! Small repairs of the `ner` model's habits, made before the mentions
//! are read. Each changes the label (and, for the first, the span) of an
//! annotation of `ner`; none adds or removes one.
//!
//! 1. A title and a name tagged together as ORG or MISC (`U.S. Trade
//!    Representative Ellen Park`, `Transport Hisham Fawzi` after `Minister
//!    of`) become a PER over the name: the title words are left to the
//!    role parser.
//! 2. A country's name or alias tagged ORG or MISC (`America would lift
//!    its duties`) becomes LOC.
//! 3. A one-word PER or ORG that is a city in the gazetteer and follows a
//!    locative preposition or is coordinated with a place (`between Cairo
//!    and Alexandria`, `from Bangor and Augusta`) becomes LOC, unless it
//!    is the surname of a person named in full.
//! 4. A one-word LOC that is the surname of a person named in full
//!    (`Jorge Salinas … Salinas said`) and follows no locative preposition
//!    becomes PER.

use std::collections::HashSet;

use document::{Document, Span};

use crate::gazetteer::with_lower;
use crate::gazetteer::{Feature, Gazetteer, Nationality};
use crate::mentions::words_of;

const LOCATIVE: &[&str] = &[
    "in", "at", "from", "to", "near", "into", "outside", "inside", "across", "toward", "towards",
    "via", "between", "around", "of", "through",
];

/// Words that make a name an organisation's.
const DESIGNATORS: &[&str] = &[
    "ministry",
    "department",
    "agency",
    "service",
    "services",
    "authority",
    "corporation",
    "company",
    "bank",
    "council",
    "committee",
    "party",
    "union",
    "association",
    "organization",
    "organisation",
    "fund",
    "office",
    "commission",
    "court",
    "army",
    "forces",
    "force",
    "police",
    "group",
    "university",
    "institute",
    "guard",
    "board",
    "bureau",
    "administration",
    "inc",
    "corp",
    "ltd",
    "times",
    "news",
    "post",
    "house",
    "senate",
    "assembly",
    "parliament",
];

fn words(text: &str, span: Span) -> Vec<Span> {
    words_of(span.slice(text))
        .into_iter()
        .map(|(begin, word)| Span::new(span.start + begin, span.start + begin + word.len()))
        .collect()
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The word before `offset` (as written), skipping white space; compared
/// lower-cased ([`with_lower`]).
fn previous_word(text: &str, offset: usize) -> &str {
    let before = text.get(..offset).unwrap_or_default().trim_end();
    let start = before.rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
    before.get(start..).unwrap_or_default()
}

pub fn repair(document: &mut Document, gazetteer: &Gazetteer) {
    // The text is read while the annotations change: two fields, borrowed
    // apart.
    let text = document.text.as_str();
    // 1. Title + name inside an ORG or MISC.
    for annotation in &mut document.annotations {
        if !matches!(annotation.label.as_str(), "ORG" | "MISC") {
            continue;
        }
        let parts = words(text, annotation.span);
        let mut prefix = 0;
        let mut head = false;
        while prefix < parts.len() {
            let word = parts[prefix].slice(text);
            let title = gazetteer.title_word(word);
            let nation = matches!(gazetteer.nation(word), Some(Nationality::Country(_)));
            match title {
                Some((kind, _)) if kind.head || kind.modifier => head |= kind.head,
                _ if nation || word == "of" => {}
                _ => break,
            }
            prefix += 1;
        }
        let rest = &parts[prefix..];
        let continues_title =
            with_lower(previous_word(text, annotation.span.start), |word| word == "of");
        let name_like = (2..=3).contains(&rest.len())
            && rest.iter().all(|w| {
                let word = w.slice(text);
                capitalised(word)
                    && gazetteer.title_word(word).is_none()
                    && !with_lower(word, |word| DESIGNATORS.contains(&word.trim_end_matches('.')))
            });
        if prefix > 0
            && (head || continues_title)
            && name_like
            && let (Some(first), Some(last)) = (rest.first(), rest.last())
        {
            annotation.span = Span::new(first.start, last.end);
            annotation.label = "PER".into();
        }
    }
    // 2. Countries tagged ORG or MISC.
    for annotation in &mut document.annotations {
        if matches!(annotation.label.as_str(), "ORG" | "MISC")
            && matches!(
                gazetteer.nation(annotation.span.slice(text)),
                Some(Nationality::Country(_))
            )
            && gazetteer.demonym(annotation.span.slice(text)).is_none()
        {
            annotation.label = "LOC".into();
        }
    }
    // Surnames of people named in full.
    let surnames: HashSet<String> = document
        .annotations
        .iter()
        .filter(|a| a.label == "PER")
        .filter_map(|a| {
            let parts = words(text, a.span);
            (parts.len() >= 2).then(|| parts.last().map(|w| w.slice(text).to_lowercase())).flatten()
        })
        .collect();
    let is_place = |name: &str| {
        gazetteer.candidates(name).iter().any(|c| {
            !c.alternate
                && gazetteer.place(c.place).is_some_and(|p| {
                    matches!(p.feature, Feature::City | Feature::Capital | Feature::Region)
                })
        })
    };
    let loc_ends: HashSet<usize> =
        document.annotations.iter().filter(|a| a.label == "LOC").map(|a| a.span.end).collect();
    for annotation in &mut document.annotations {
        let written = annotation.span.slice(text);
        if written.split_whitespace().count() != 1 {
            continue;
        }
        let (locative, coordinating) =
            with_lower(previous_word(text, annotation.span.start), |p| {
                (LOCATIVE.contains(&p), matches!(p, "and" | "or"))
            });
        let surname = with_lower(written, |word| surnames.contains(word));
        match annotation.label.as_str() {
            // 3. Places tagged PER or ORG.
            "PER" | "ORG" if !surname && is_place(written) => {
                let coordinated = coordinating
                    && text.get(..annotation.span.start).is_some_and(|before| {
                        let before = before.trim_end();
                        let before =
                            before.strip_suffix("and").or_else(|| before.strip_suffix("or"));
                        before.is_some_and(|b| loc_ends.contains(&b.trim_end().len()))
                    });
                if locative || coordinated {
                    annotation.label = "LOC".into();
                }
            }
            // 4. Surnames tagged LOC.
            "LOC" if surname && !locative => annotation.label = "PER".into(),
            _ => {}
        }
    }
}
