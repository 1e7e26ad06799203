//! Mentions (the PER, ORG and LOC annotations of earlier extractors, with
//! the name cleaned of titles and possessives) and their clustering into
//! document-level entities: the name coreference.

use document::{Annotation, Span};

use crate::gazetteer::{FxHashMap, Gazetteer, Nationality};

/// The entity types that take part in coreference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    Per,
    Org,
    Loc,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Per => "PER",
            Label::Org => "ORG",
            Label::Loc => "LOC",
        }
    }
}

/// One distinct span named by one or more annotations.
#[derive(Clone, Debug)]
pub struct Mention {
    /// Indexes into `Document::annotations` (a dateline place and the
    /// `ner` LOC over it are one mention).
    pub annotations: Vec<usize>,
    pub label: Label,
    /// The annotation's span.
    pub span: Span,
    /// The name inside it: without a leading title (`Prime Minister`),
    /// honorific (`Mr.`), article (`the`) or a trailing possessive (`'s`).
    pub name: Span,
    /// The name as written, whitespace collapsed.
    pub text: String,
    /// Comparison keys of the name's words: lower case, no dots, no
    /// Arabic article (`al-Serraj` → `serraj`).
    pub words: Vec<String>,
    /// For an acronym (`WHO`, `U.N.`): its letters, upper case.
    pub acronym: Option<String>,
    /// What the name says about a country (`U.S.`, `Britain`, `Libya`).
    pub nation: Option<Nationality>,
}

const STOPWORDS: &[&str] = &["of", "the", "and", "for", "on", "in", "&", "de", "du", "des", "la"];

/// The comparison key of one word.
pub fn word_key(word: &str) -> String {
    let mut key = crate::gazetteer::key(word);
    key.retain(|c| c != '.');
    for article in ["al-", "el-", "ad-", "as-", "ash-", "ar-", "an-"] {
        if key.len() > article.len() + 2 && key.starts_with(article) {
            key.drain(..article.len());
            break;
        }
    }
    key
}

/// The words of `text` with their byte offsets, split at white space.
pub(crate) fn words_of(text: &str) -> Vec<(usize, &str)> {
    if text.is_ascii() {
        return ascii_words_of(text);
    }
    words_of_any(text)
}

/// [`words_of`] character by character, for any text.
fn words_of_any(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (offset, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(offset),
            (true, Some(begin)) => {
                if let Some(word) = text.get(begin..offset) {
                    words.push((begin, word));
                }
                start = None;
            }
            _ => {}
        }
    }
    words
}

/// [`words_of`] for ASCII text (nearly every name), byte by byte: the
/// ASCII white space of `char::is_whitespace` includes the vertical tab
/// that `u8::is_ascii_whitespace` leaves out.
fn ascii_words_of(text: &str) -> Vec<(usize, &str)> {
    let space = |byte: &u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    let bytes = text.as_bytes();
    let mut words = Vec::with_capacity(4);
    let mut at = 0;
    while at < bytes.len() {
        if space(&bytes[at]) {
            at += 1;
            continue;
        }
        let begin = at;
        while at < bytes.len() && !space(&bytes[at]) {
            at += 1;
        }
        if let Some(word) = text.get(begin..at) {
            words.push((begin, word));
        }
    }
    words
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The letters of an acronym (`WHO`, `U.N.`, `NATO`), if `word` is one.
pub fn acronym(word: &str) -> Option<String> {
    // Checked before the letters are collected: most words are no acronym.
    let letters = || word.chars().filter(|c| *c != '.');
    let count = letters().count();
    ((2..=8).contains(&count) && letters().all(|c| c.is_uppercase() || c == '&'))
        .then(|| letters().collect())
}

/// The initials of a name's words, without and with the stop words.
fn initials(words: &[String]) -> [String; 2] {
    let first = |word: &String| word.chars().next().map(|c| c.to_uppercase().to_string());
    let without: String =
        words.iter().filter(|w| !STOPWORDS.contains(&w.as_str())).filter_map(first).collect();
    let with: String = words.iter().filter_map(first).collect();
    [without, with]
}

/// Whether `word` lower-cased is `lower`, without building the lower-case
/// string for an ASCII word.
fn lower_is(word: &str, lower: &str) -> bool {
    if word.is_ascii() { word.eq_ignore_ascii_case(lower) } else { word.to_lowercase() == lower }
}

/// Builds the mention of one annotation, or `None` when nothing of a name
/// is left.
pub fn mention(
    text: &str,
    index: usize,
    annotation: &Annotation,
    label: Label,
    gazetteer: &Gazetteer,
) -> Option<Mention> {
    let written = annotation.span.slice(text);
    let words = words_of(written);
    let mut first = 0;
    // Leading articles, honorifics and (for people) title words.
    while first + 1 < words.len() {
        let word = words[first].1;
        let strip = lower_is(word, "the")
            || match gazetteer.title_word(word) {
                Some((kind, _)) => {
                    kind.honorific || (label == Label::Per && (kind.head || kind.modifier))
                }
                None => false,
            };
        if !strip || !is_capitalised(words[first + 1].1) {
            break;
        }
        first += 1;
    }
    let (start, _) = *words.get(first)?;
    let (last_start, mut last) = *words.last()?;
    for suffix in ["'s", "\u{2019}s", "'", "\u{2019}"] {
        if last.len() > suffix.len() + 1 && last.ends_with(suffix) {
            last = &last[..last.len() - suffix.len()];
            break;
        }
    }
    let end = last_start + last.len();
    // Only title words (`Attorneys General`, `Interior`): no name.
    let title_only = words.iter().all(|(_, word)| {
        let singular = word.strip_suffix('s').unwrap_or(word);
        // Without an `s`, the second lookup would be the first again.
        gazetteer.title_word(word).is_some()
            || (singular.len() < word.len() && gazetteer.title_word(singular).is_some())
    });
    if title_only {
        return None;
    }
    let name = Span::new(annotation.span.start + start, annotation.span.start + end);
    let name_text = name.slice(text);
    // The words of the name: those of the mention from `first` on, the
    // last without its possessive (at least two bytes of it are left, so
    // it stays a word). This is `words_of(name_text)` without splitting
    // the text again.
    let mut kept: Vec<&str> = words.get(first..).unwrap_or_default().iter().map(|w| w.1).collect();
    if let Some(final_word) = kept.last_mut() {
        *final_word = last;
    }
    debug_assert_eq!(
        kept,
        words_of(name_text).into_iter().map(|(_, word)| word).collect::<Vec<_>>()
    );
    let keys: Vec<String> = kept.iter().map(|word| word_key(word)).collect();
    if keys.iter().all(String::is_empty) {
        return None;
    }
    let acronym = match kept.as_slice() {
        [word] => acronym(word),
        _ => None,
    };
    let nation = if label == Label::Per { None } else { gazetteer.nation(name_text) };
    Some(Mention {
        annotations: vec![index],
        label,
        span: annotation.span,
        name,
        text: kept.join(" "),
        words: keys,
        acronym,
        nation,
    })
}

/// A cluster of mentions: one entity.
#[derive(Clone, Debug)]
pub struct Cluster {
    /// Indexes into the mention list, in text order.
    pub members: Vec<usize>,
}

/// `short` names the same person as `long`: the same last word, and every
/// other word of `short` is, in order, a word or an initial of `long`.
fn person_compatible(short: &[String], long: &[String]) -> bool {
    let (Some(last_short), Some(last_long)) = (short.last(), long.last()) else { return false };
    if short.len() > long.len() {
        return false;
    }
    if last_short != last_long {
        // A one-word mention may be any word but the first of a longer
        // name (`Moavero` of `Enzo Moavero Milanesi`), or its first name.
        return short.len() == 1 && long.contains(last_short);
    }
    let mut position = 0;
    for word in &short[..short.len() - 1] {
        let found = long[position..long.len() - 1].iter().position(|other| {
            other == word || (word.chars().count() == 1 && other.starts_with(word.as_str()))
        });
        match found {
            Some(offset) => position += offset + 1,
            None => return false,
        }
    }
    true
}

/// `short` is a shortened form of the organisation `long`: its acronym,
/// or a trailing part of two words or more (`Coast Guard` of `Libyan
/// Coast Guard`).
fn organisation_compatible(short: &Mention, long: &Mention) -> bool {
    if let Some(acronym) = &short.acronym
        && long.words.len() >= 2
        && initials(&long.words).contains(acronym)
    {
        return true;
    }
    // `Kestrel` of `Kestrel Resources`: the first word of a longer name.
    let first_word = short.words.len() == 1
        && long.words.len() >= 2
        && short.acronym.is_none()
        && long.words.first() == short.words.first()
        && !STOPWORDS.contains(&short.words[0].as_str());
    first_word
        || (short.words.len() >= 2
            && short.words.len() < long.words.len()
            && long.words.ends_with(&short.words))
}

/// Clusters the mentions (in text order) into entities. `linked` holds
/// pairs of mentions known to be the same (an expansion and its acronym
/// in brackets). Returns the clusters in order of first mention.
pub fn cluster(
    mentions: &[Mention],
    linked: &[(usize, usize)],
    gazetteer: &Gazetteer,
) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut of_mention: Vec<Option<usize>> = vec![None; mentions.len()];
    // Keyed by the mentions' own words, borrowed; none of these maps is
    // iterated, so their hasher reaches no output.
    let mut exact: FxHashMap<(bool, &[String]), usize> = FxHashMap::default();
    let mut nations: FxHashMap<&Nationality, usize> = FxHashMap::default();
    let join = |clusters: &mut Vec<Cluster>, of: &mut Vec<Option<usize>>, m: usize, c: usize| {
        clusters[c].members.push(m);
        of[m] = Some(c);
    };
    // Pass 1: full names, exact keys, aliases of countries.
    let mut deferred = Vec::new();
    let mut by_word: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut by_initials: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (m, mention) in mentions.iter().enumerate() {
        let family = mention.label == Label::Per;
        let short_person = mention.words.len() == 1 && !mention_is_place(mention, gazetteer);
        if let Some(&c) = exact.get(&(family, mention.words.as_slice())) {
            join(&mut clusters, &mut of_mention, m, c);
            continue;
        }
        if let Some(nation) = &mention.nation
            && let Some(&c) = nations.get(nation)
        {
            join(&mut clusters, &mut of_mention, m, c);
            exact.insert((family, mention.words.as_slice()), c);
            continue;
        }
        if (mention.label == Label::Per && mention.words.len() == 1)
            || (mention.label != Label::Per && (mention.acronym.is_some() || short_person))
        {
            deferred.push(m);
            continue;
        }
        // Only mentions sharing the last word can match (the same surname;
        // an organisation's trailing part), so the index keeps this linear
        // in the mentions rather than quadratic.
        let last = mention.words.last().map(String::as_str).unwrap_or_default();
        let found = by_word
            .get(last)
            .into_iter()
            .flatten()
            .filter(|&&other| {
                let other = &mentions[other];
                match (mention.label, other.label) {
                    (Label::Per, Label::Per) => {
                        person_compatible(&mention.words, &other.words)
                            || person_compatible(&other.words, &mention.words)
                    }
                    (Label::Org, Label::Org) => {
                        organisation_compatible(mention, other)
                            || organisation_compatible(other, mention)
                    }
                    _ => false,
                }
            })
            .filter_map(|&other| of_mention[other])
            .max();
        let c = found.unwrap_or_else(|| {
            clusters.push(Cluster { members: Vec::new() });
            clusters.len() - 1
        });
        join(&mut clusters, &mut of_mention, m, c);
        exact.entry((family, mention.words.as_slice())).or_insert(c);
        if let Some(nation) = &mention.nation {
            nations.entry(nation).or_insert(c);
        }
        if mention.words.len() >= 2 {
            let mut words: Vec<&str> = mention.words.iter().map(String::as_str).collect();
            words.sort_unstable();
            words.dedup();
            for word in words {
                by_word.entry(word).or_default().push(m);
            }
            if mention.label == Label::Org {
                let [without, with] = initials(&mention.words);
                by_initials.entry(without.clone()).or_default().push(m);
                if with != without {
                    by_initials.entry(with).or_default().push(m);
                }
            }
        }
    }
    // Pass 2: one-word names and acronyms, against every cluster: the
    // nearest one mentioned before, else the first one mentioned after.
    for m in deferred {
        let mention = &mentions[m];
        let family = mention.label == Label::Per;
        if let Some(&c) = exact.get(&(family, mention.words.as_slice())) {
            join(&mut clusters, &mut of_mention, m, c);
            continue;
        }
        let linked_to = linked.iter().find_map(|&(a, b)| {
            if a == m {
                of_mention[b]
            } else if b == m {
                of_mention[a]
            } else {
                None
            }
        });
        let matches = |other: &Mention| -> bool {
            match (mention.label, other.label) {
                (_, Label::Per) if other.words.len() >= 2 => {
                    // Another type for a surname (`Serraj` tagged ORG) only
                    // when it names no place.
                    (mention.label == Label::Per || !mention_is_place(mention, gazetteer))
                        && person_compatible(&mention.words, &other.words)
                }
                (Label::Org | Label::Loc, Label::Org) => organisation_compatible(mention, other),
                _ => false,
            }
        };
        let mut before: Option<(usize, usize)> = None;
        let mut after: Option<(usize, usize)> = None;
        // Every possible match has two words or more and was placed in
        // pass 1: it holds this word, or has this acronym as initials.
        let word = mention.words.first().map(String::as_str).unwrap_or_default();
        let by_acronym =
            mention.acronym.as_ref().and_then(|acronym| by_initials.get(acronym.as_str()));
        let candidates =
            by_word.get(word).into_iter().flatten().chain(by_acronym.into_iter().flatten());
        for &other in candidates {
            let Some(c) = of_mention[other] else { continue };
            if other == m || !matches(&mentions[other]) {
                continue;
            }
            if other < m {
                if before.is_none_or(|(best, _)| other > best) {
                    before = Some((other, c));
                }
            } else if after.is_none_or(|(best, _)| other < best) {
                after = Some((other, c));
            }
        }
        let found = linked_to.or(before.map(|(_, c)| c)).or(after.map(|(_, c)| c));
        let c = found.unwrap_or_else(|| {
            clusters.push(Cluster { members: Vec::new() });
            clusters.len() - 1
        });
        join(&mut clusters, &mut of_mention, m, c);
        exact.entry((family, mention.words.as_slice())).or_insert(c);
    }
    for cluster in &mut clusters {
        cluster.members.sort_unstable();
    }
    clusters.retain(|cluster| !cluster.members.is_empty());
    clusters.sort_by_key(|cluster| cluster.members[0]);
    clusters
}

/// Whether a one-word mention is a place name the gazetteer knows.
fn mention_is_place(mention: &Mention, gazetteer: &Gazetteer) -> bool {
    mention.nation.is_some() || !gazetteer.candidates(&mention.text).is_empty()
}

/// The fullest name of a cluster: the most words, then the first written;
/// an acronym only when there is nothing else.
pub fn fullest(mentions: &[Mention], cluster: &Cluster) -> usize {
    let mut best = cluster.members[0];
    let score = |m: &Mention| (m.acronym.is_none(), m.words.len(), m.text.len());
    for &m in &cluster.members {
        if score(&mentions[m]) > score(&mentions[best]) {
            best = m;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        text.split(' ').map(word_key).collect()
    }

    #[test]
    fn person_names_are_compatible_by_surname_and_initials() {
        assert!(person_compatible(&keys("Serraj"), &keys("Fayez Serraj")));
        assert!(person_compatible(&keys("Serraj"), &keys("Fayez al-Serraj")));
        assert!(person_compatible(&keys("Milanesi"), &keys("Enzo Moavero Milanesi")));
        assert!(person_compatible(&keys("Moavero Milanesi"), &keys("Enzo Moavero Milanesi")));
        assert!(person_compatible(&keys("J. Smith"), &keys("John Smith")));
        assert!(!person_compatible(&keys("Jane Smith"), &keys("John Smith")));
        assert!(!person_compatible(&keys("Fayez Serraj"), &keys("Serraj")));
    }

    #[test]
    fn ascii_words_split_as_characters_do() {
        for text in [
            "Prime Minister  Fayez al-Serraj's",
            " \t lead\x0Bvt\x0Cff\r\n",
            "",
            "   ",
            "x",
            "São Paulo\u{a0}FC",
        ] {
            assert_eq!(words_of(text), words_of_any(text), "{text:?}");
        }
        assert_eq!(words_of(" a\x0Bb "), [(1, "a"), (3, "b")]);
    }

    #[test]
    fn acronyms_and_initials() {
        assert_eq!(acronym("U.N."), Some("UN".into()));
        assert_eq!(acronym("WHO"), Some("WHO".into()));
        assert_eq!(acronym("Who"), None);
        assert_eq!(initials(&keys("World Health Organization")), ["WHO", "WHO"]);
        assert_eq!(initials(&keys("Food and Agriculture Organization")), ["FAO", "FAAO"]);
    }
}
