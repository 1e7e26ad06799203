//! Finding quotes and their attributions: the cue, the speaker mention, the
//! kind. Speakers are resolved to names afterwards (`speakers.rs`).

use std::ops::Range;

use document::Span;

use crate::cues::{
    ADDRESSEE, BETWEEN_SUBJECT_AND_VERB, BOUNDARY, DETERMINERS, DOCUMENT_NOUNS, INVERTED,
    LEADING_CONNECTIVES, NOT_CLAUSE_START, NOT_INVERTED_SUBJECT, NOUN_OR_VERB, PHRASE_CUES,
    PRONOUNS, STANCE, TIME_WORDS, VENUE_NOUNS, ZERO_THAT, contains,
};
use crate::marks::{self, Quotation};
use crate::text::{EntityKind, Text};

/// The three kinds of quote of the output contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Quoted words that make a whole utterance: `"We need more
    /// cooperation," Serraj said`.
    Direct,
    /// Quoted words inside a sentence of the reporter's: `praised the "very
    /// productive" talks`.
    Partial,
    /// Reported speech without quotation marks: `Minniti said that …`.
    Indirect,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Partial => "partial",
            Kind::Indirect => "indirect",
        }
    }
}

/// A phrase of the text that names a speaker: a name, a pronoun, or a
/// description (`the media office of the prime minister`).
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub tokens: Range<usize>,
    /// The `PER` or `ORG` entity the mention is, when it is one.
    pub entity: Option<usize>,
}

/// A quote before its speaker is resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub span: Span,
    pub parts: Vec<Span>,
    pub nested: Vec<Span>,
    pub kind: Kind,
    /// The tokens of the cue (`said`, `according to`, `published a report`).
    pub cue: Option<Range<usize>>,
    pub speaker: Option<Mention>,
}

/// A document that speaks for someone: `a statement by X`, `X said in a
/// statement`, `X issued a statement`; `the statement said` later means X.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub position: usize,
    pub issuer: Mention,
}

#[derive(Debug, Default)]
pub struct Findings {
    pub quotes: Vec<Found>,
    pub sources: Vec<Source>,
}

/// Finds every quote of the document's body.
pub fn find(view: &Text) -> Findings {
    let mut findings = Findings::default();
    let quotations = merge_split(view, marks::pair(view));
    let count = view.len();
    let mut in_quote = vec![false; count];
    for (quotation, _) in &quotations {
        for slot in in_quote.get_mut(quotation.open..=quotation.close).unwrap_or_default() {
            *slot = true;
        }
    }
    let mut used = vec![false; count];
    // The last direct quote with a speaker: a quote standing alone after
    // it, in its paragraph or the next, is the same speaker's.
    let mut last_direct: Option<(Mention, Option<Range<usize>>, u32)> = None;
    for (quotation, middle) in quotations {
        let paragraph = view.paragraph.get(quotation.open).copied().unwrap_or(0);
        let after = match middle {
            Some(start) => attribution_after(view, start, true),
            None => attribution_after_close(view, quotation.close),
        };
        let before = attribution_before(view, quotation.open);
        let starts = starts_clause(view, quotation.open);
        let ends = ends_clause(view, quotation.close);
        let introduced = before.as_ref().is_some_and(|found| found.introduces);
        // `- Bolton boss Sam Allardyce "I am bitterly disappointed …"`: a
        // paragraph that opens with a name and then the quote.
        let heading = match (&after, &before) {
            (None, None) => name_heading(view, quotation.open),
            _ => None,
        };
        let split = quotation.parts.len() > 1;
        let right_after_cue = before
            .as_ref()
            .is_some_and(|found| found.introduces && found.cue.end == quotation.open);
        let kind =
            if split || right_after_cue || heading.is_some() || (ends && (starts || introduced)) {
                Kind::Direct
            } else {
                Kind::Partial
            };
        let (cue, speaker) = match (&after, &before) {
            (Some(found), _) if found.speaker.is_some() || before.is_none() => {
                mark(&mut used, &found.region);
                (Some(found.cue.clone()), found.speaker.clone())
            }
            (_, Some(found)) => {
                if kind == Kind::Direct {
                    mark(&mut used, &found.region);
                }
                (Some(found.cue.clone()), found.speaker.clone())
            }
            _ => (None, heading),
        };
        let (cue, speaker) = match (kind, speaker) {
            (_, Some(speaker)) => (cue, Some(speaker)),
            (Kind::Direct, None)
                if cue.is_none() && starts && !attributed_slot(view, quotation.close) =>
            {
                match &last_direct {
                    Some((mention, cue, at)) if paragraph <= at + 1 => {
                        (cue.clone(), Some(mention.clone()))
                    }
                    _ => (None, None),
                }
            }
            (_, None) => (cue, None),
        };
        let span = quotation.span();
        let words = span.slice(view.text).split_whitespace().count();
        if kind == Kind::Partial && words < 2 && speaker.is_none() {
            // A scare-quoted word with nobody saying it is not a quote.
            continue;
        }
        // A run of quotes continues the last speaker's, whether the last
        // quote was direct or partial (`X described it as "…"` then a quote
        // alone).
        if kind == Kind::Direct || speaker.is_some() {
            last_direct = speaker.clone().map(|mention| (mention, cue.clone(), paragraph));
        }
        findings.quotes.push(Found {
            span,
            parts: quotation.parts,
            nested: quotation.nested,
            kind,
            cue,
            speaker,
        });
    }
    reported_speech(view, &in_quote, &used, &mut findings);
    findings.quotes.sort_by_key(|found| (found.span.start, std::cmp::Reverse(found.span.end)));
    findings.sources.sort_by_key(|source| source.position);
    findings
}

fn mark(used: &mut [bool], range: &Range<usize>) {
    for slot in used.get_mut(range.clone()).unwrap_or_default() {
        *slot = true;
    }
}

/// Joins a quote split by its attribution (`"We need more cooperation,"
/// Serraj said, "particularly on the borders."`) into one quotation of two
/// parts; the second of each pair is the token where the attribution
/// between the parts starts.
fn merge_split(view: &Text, quotations: Vec<Quotation>) -> Vec<(Quotation, Option<usize>)> {
    let mut merged: Vec<(Quotation, Option<usize>)> = Vec::with_capacity(quotations.len());
    for quotation in quotations {
        if let Some((previous, middle)) = merged.last_mut()
            && middle.is_none()
            && is_split(view, previous, &quotation)
        {
            *middle = Some(previous.close + 1);
            previous.parts.extend(quotation.parts);
            previous.nested.extend(quotation.nested);
            previous.close = quotation.close;
            continue;
        }
        merged.push((quotation, None));
    }
    merged
}

fn is_split(view: &Text, first: &Quotation, second: &Quotation) -> bool {
    if !view.same_paragraph(first.close, second.open) || second.open <= first.close + 1 {
        return false;
    }
    let between = first.close + 1..second.open;
    if between.len() > 16 || view.word(second.open - 1) != "," {
        return false;
    }
    let comma_first = view.word(first.close.wrapping_sub(1)) == ","
        || view.word(first.close + 1) == ","
        || first.span().slice(view.text).ends_with(',');
    let raw_comma = view
        .text
        .get(view.span(first.open).end..view.span(first.close).start)
        .is_some_and(|inner| inner.trim_end().ends_with(','));
    if !(comma_first || raw_comma) {
        return false;
    }
    let clean = between.clone().all(|index| !view.is_punct(index) || view.word(index) == ",");
    clean && between.clone().any(|index| cue_at(view, index).is_some())
}

/// An attribution found next to a quote.
struct Attribution {
    cue: Range<usize>,
    speaker: Option<Mention>,
    /// The tokens it covers, so that reported speech does not read them again.
    region: Range<usize>,
    /// Before the quote: whether it introduces it (`said:`, `said,`,
    /// `said that`, `says` just before the mark).
    introduces: bool,
}

/// The attribution right after a closing mark: `"…," Serraj said`, `"…,"
/// said the statement`, `"…?" he asked.`
fn attribution_after_close(view: &Text, close: usize) -> Option<Attribution> {
    let mut start = close + 1;
    if start >= view.len() || !view.same_paragraph(close, start) {
        return None;
    }
    let inner_end = view.word(close.wrapping_sub(1));
    let raw_comma =
        view.text.get(..view.span(close).start).is_some_and(|head| head.trim_end().ends_with(','));
    let mut comma =
        raw_comma || matches!(inner_end, "," | "?" | "!" | "--" | "\u{2014}" | "\u{2013}");
    if view.word(start) == "," {
        comma = true;
        start += 1;
    }
    if comma { attribution_after(view, start, true) } else { attribution_after(view, start, false) }
}

/// The attribution in the tokens from `start`: a cue among the first few
/// tokens with its subject before it or after it.
fn attribution_after(view: &Text, start: usize, comma: bool) -> Option<Attribution> {
    let mut end = start;
    while end < view.len()
        && end - start < 16
        && view.same_paragraph(start, end)
        && (!view.is_punct(end) || view.word(end) == ",")
    {
        end += 1;
    }
    let stopped = end >= view.len()
        || !view.same_paragraph(start, end)
        || matches!(view.word(end), "." | "!" | "?");
    if !(comma || (end - start <= 6 && stopped)) {
        return None;
    }
    let cue = (start..end.min(start + 9)).find_map(|index| cue_at(view, index))?;
    let speaker = speaker_of(view, &cue, start, end, start);
    Some(Attribution { region: start..end, cue, speaker, introduces: false })
}

/// The speaker of a cue: its subject before it, or after it (`said
/// Serraj`), or the phrase after `according to`.
fn speaker_of(
    view: &Text,
    cue: &Range<usize>,
    floor: usize,
    limit: usize,
    earliest: usize,
) -> Option<Mention> {
    if view.is(cue.start, "according") {
        return source_mention(view, cue.end..phrase_end(view, cue.end, limit));
    }
    if let Some(subject) = subject_before(view, cue.start, floor.max(earliest))
        && let Some(mention) = subject_mention(view, &subject)
    {
        return Some(mention);
    }
    if let Some(mention) = shared_subject(view, cue.start) {
        return Some(mention);
    }
    if contains(ADDRESSEE, view.word(cue.start)) {
        return None;
    }
    speaker_after(view, cue.end, limit)
}

/// The attribution before an opening mark, in its sentence: `Serraj said:
/// "…"`, `told Minniti that "…"`, `says 'more cooperation needed'`.
fn attribution_before(view: &Text, open: usize) -> Option<Attribution> {
    if open == 0 {
        return None;
    }
    let previous = open - 1;
    // `Sarah Mbeki said:` may close the paragraph before the quote.
    if view.word(previous) != ":" && !view.same_paragraph(previous, open) {
        return None;
    }
    // The window: back to the start of the clause, at most 40 tokens.
    let mut floor = open;
    while floor > 0
        && open - floor < 40
        && view.same_paragraph(floor - 1, previous)
        && !matches!(view.word(floor - 1), "." | "!" | "?" | ";")
        && marks::classify(view.text, view.span(floor - 1)).is_none()
    {
        floor -= 1;
    }
    let mut cue = None;
    let mut index = previous + 1;
    while index > floor {
        index -= 1;
        if let Some(found) = cue_at(view, index) {
            cue = Some(found);
            break;
        }
    }
    let stance = cue.is_none();
    let cue = match cue {
        Some(cue) => cue,
        None => {
            let mut index = previous + 1;
            let mut found = None;
            while index > floor {
                index -= 1;
                if contains(STANCE, view.word(index)) && !preceded_by_determiner(view, index) {
                    found = Some(index..index + 1);
                    break;
                }
            }
            found?
        }
    };
    let introducer = matches!(view.word(previous), ":" | ",")
        || view.is_any(previous, &["that", "saying", "as"])
        || cue.end == open;
    let introduces = !stance && introducer && open - cue.end <= 12;
    let speaker = speaker_of(view, &cue, floor, open, floor);
    Some(Attribution { region: floor..open, cue, speaker, introduces })
}

/// Whether a quote is followed by an attribution we cannot read (`"…,"
/// read placards`): its comma asks for one, so the quote does not stand
/// alone and is nobody's we know.
fn attributed_slot(view: &Text, close: usize) -> bool {
    let inside =
        view.text.get(..view.span(close).start).is_some_and(|head| head.trim_end().ends_with(','));
    let next = close + 1;
    inside || (next < view.len() && view.same_paragraph(close, next) && view.word(next) == ",")
}

/// The name that heads a paragraph right before its quote, after an
/// optional dash and a few words of description (`- Bolton boss Sam
/// Allardyce "…"`).
fn name_heading(view: &Text, open: usize) -> Option<Mention> {
    let entity_index = view.entity_at(open.checked_sub(1)?)?;
    let entity = view.entities.get(entity_index)?;
    if entity.kind != EntityKind::Person || entity.tokens.end != open {
        return None;
    }
    let mut start = entity.tokens.start;
    while start > 0 && view.same_paragraph(start - 1, open) && entity.tokens.start - start < 8 {
        start -= 1;
    }
    if !view.paragraph_start(start) {
        return None;
    }
    if matches!(view.word(start), "-" | "--" | "\u{2013}" | "\u{2014}" | "*") {
        start += 1;
    }
    let described = (start..entity.tokens.start)
        .all(|index| !view.is_punct(index) && cue_at(view, index).is_none());
    described.then(|| Mention { tokens: entity.tokens.clone(), entity: Some(entity_index) })
}

/// Whether a quote opens a sentence (or a paragraph, or follows one that
/// ended: `… he said. "Next`).
fn starts_clause(view: &Text, open: usize) -> bool {
    if view.paragraph_start(open) || view.sentence_start(open) == open {
        return true;
    }
    matches!(view.word(open - 1), "." | "!" | "?" | "--" | "\u{2014}" | "(" | ":")
}

/// Whether a quote ends where a clause does.
fn ends_clause(view: &Text, close: usize) -> bool {
    let inner = view.word(close.wrapping_sub(1));
    if matches!(inner, "," | "." | "?" | "!" | "..." | "\u{2026}") {
        return true;
    }
    let next = close + 1;
    next >= view.len()
        || !view.same_paragraph(close, next)
        || matches!(view.word(next), "." | "," | "?" | "!" | ";" | ":" | "--" | "\u{2014}" | ")")
}

/// The cue starting at a token: a verb of saying (not after a determiner,
/// where it is a noun: `the reports`), `according to`, `pointed out`.
pub fn cue_at(view: &Text, index: usize) -> Option<Range<usize>> {
    let word = view.word(index);
    let first = word.as_bytes().first().copied()?;
    if word.len() < 3 || !first.is_ascii_alphabetic() {
        return None;
    }
    if let Some((_, second)) = PHRASE_CUES.iter().find(|(cue, _)| word.eq_ignore_ascii_case(cue)) {
        return view.is(index + 1, second).then_some(index..index + 2);
    }
    if !is_speech(word) || preceded_by_determiner(view, index) {
        return None;
    }
    // `reports`, `claims`, `notes` after a lower-case noun are nouns (`the
    // inspection reports had been ignored`); after a name or a pronoun,
    // verbs.
    if contains(NOUN_OR_VERB, word)
        && index > 0
        && !view.capitalised(index - 1)
        && !view.is_any(index - 1, &["he", "she", "it", "they", "also", "who", "which", "that"])
        && view.entity_at(index - 1).is_none()
    {
        return None;
    }
    Some(index..index + 1)
}

/// Whether a word is a verb of saying ([`crate::cues::speech`]: nearly
/// every word fails on its length and first letter, without allocating).
fn is_speech(word: &str) -> bool {
    crate::cues::speech().has(word)
}

fn preceded_by_determiner(view: &Text, index: usize) -> bool {
    index > 0 && contains(DETERMINERS, view.word(index - 1))
}

/// The subject of a verb: the phrase before it, possibly with an
/// apposition between commas (`Fayez Serraj, the prime minister, said`;
/// `the prime minister, Fayez Serraj, told`).
struct Subject {
    head: Range<usize>,
    apposition: Option<Range<usize>>,
    start: usize,
}

fn subject_before(view: &Text, verb: usize, floor: usize) -> Option<Subject> {
    let mut end = verb;
    while end > floor && contains(BETWEEN_SUBJECT_AND_VERB, view.word(end - 1)) {
        end -= 1;
    }
    // `The British Chambers of Commerce (BCC) said`: past the bracket.
    if end > floor + 2 && view.word(end - 1) == ")" {
        let open =
            (end.saturating_sub(6).max(floor)..end - 1).rev().find(|at| view.word(*at) == "(");
        if let Some(open) = open {
            let subject_end = open;
            let start = scan_back(view, subject_end, floor);
            if start < subject_end {
                return Some(Subject { head: start..subject_end, apposition: None, start });
            }
        }
    }
    if end > floor && view.word(end - 1) == "," {
        let apposition_end = end - 1;
        let mut apposition_start = apposition_end;
        while apposition_start > floor
            && apposition_end - apposition_start < 14
            && !view.is_punct(apposition_start - 1)
        {
            apposition_start -= 1;
        }
        if apposition_start > floor
            && apposition_start < apposition_end
            && view.word(apposition_start - 1) == ","
        {
            let head_end = apposition_start - 1;
            let head_start = scan_back(view, head_end, floor);
            if head_start < head_end {
                return Some(Subject {
                    head: head_start..head_end,
                    apposition: Some(apposition_start..apposition_end),
                    start: head_start,
                });
            }
        }
        return None;
    }
    let start = scan_back(view, end, floor);
    (start < end).then_some(Subject { head: start..end, apposition: None, start })
}

fn scan_back(view: &Text, end: usize, floor: usize) -> usize {
    let mut start = end;
    while start > floor && end - start < 14 {
        let index = start - 1;
        if view.is_punct(index) || contains(BOUNDARY, view.word(index)) {
            break;
        }
        start -= 1;
    }
    start
}

/// The speaker a subject names: a person's name at the end of its head or
/// of its apposition, else the head as a pronoun or a description.
fn subject_mention(view: &Text, subject: &Subject) -> Option<Mention> {
    let head = strip_connectives(view, subject.head.clone());
    if let Some(person) = person_in(view, &head) {
        return Some(person);
    }
    if let Some(apposition) = &subject.apposition {
        if let Some(person) = person_in(view, apposition) {
            return Some(person);
        }
        // `The operator, Fjordline, said`: the name in the apposition
        // rather than the description before it.
        if let Some(entity_index) = view.entity_at(apposition.start) {
            let entity = view.entities.get(entity_index)?;
            let head_named = (head.start..head.end).any(|index| view.entity_at(index).is_some());
            if entity.kind == EntityKind::Organisation
                && entity.tokens == *apposition
                && !head_named
            {
                return Some(Mention { tokens: entity.tokens.clone(), entity: Some(entity_index) });
            }
        }
    }
    if head.len() == 1 && view.is_any(head.start, &["and", "but", "or", "then"]) {
        return None;
    }
    phrase_mention(view, head)
}

fn strip_connectives(view: &Text, mut range: Range<usize>) -> Range<usize> {
    while range.start < range.end
        && (contains(LEADING_CONNECTIVES, view.word(range.start)) || view.word(range.start) == ",")
        && range.len() > 1
    {
        range.start += 1;
    }
    range
}

/// The subject a verb shares with an earlier one (`X welcomed the fine
/// but said …`, `X welcomed it, calling it "…"`): the name that opens the
/// sentence.
fn shared_subject(view: &Text, verb: usize) -> Option<Mention> {
    let mut before = verb;
    while before > 0 && contains(BETWEEN_SUBJECT_AND_VERB, view.word(before - 1)) {
        before -= 1;
    }
    let joined = before > 0
        && (view.is_any(before - 1, &["and", "but"])
            || (view.word(before - 1) == "," && view.word(verb).ends_with("ing")));
    if !joined {
        return None;
    }
    let mut start = view.sentence_start(verb);
    if let Some(dash) = (start..verb.min(start + 16))
        .find(|at| matches!(view.word(*at), "--" | "\u{2014}" | "\u{2013}"))
    {
        start = dash + 1;
    }
    let mut index = start;
    while index < verb && index < start + 8 {
        if let Some(entity_index) = view.entity_at(index) {
            let entity = view.entities.get(entity_index)?;
            if entity.kind != EntityKind::Place {
                return Some(Mention { tokens: entity.tokens.clone(), entity: Some(entity_index) });
            }
            index = entity.tokens.end.max(index + 1);
            continue;
        }
        if view.is_punct(index) && view.word(index) != "'s" {
            return None;
        }
        index += 1;
    }
    None
}

/// The first `PER` entity of a phrase that does not hang on a preposition
/// (`Lead author Dr. Kenji Watanabe of Caltech`, not `a spokesman for
/// Smith`).
fn person_in(view: &Text, range: &Range<usize>) -> Option<Mention> {
    let mut index = range.start;
    while index < range.end {
        let Some(entity_index) = view.entity_at(index) else {
            index += 1;
            continue;
        };
        let entity = view.entities.get(entity_index)?;
        let hangs = entity.tokens.start > range.start
            && view.is_any(
                entity.tokens.start - 1,
                &["for", "of", "to", "with", "by", "from", "about", "and", "than"],
            );
        if entity.kind == EntityKind::Person
            && entity.tokens.start >= range.start
            && entity.tokens.end <= range.end
            && !hangs
        {
            return Some(Mention { tokens: entity.tokens.clone(), entity: Some(entity_index) });
        }
        index = entity.tokens.end.max(index + 1);
    }
    None
}

/// The `PER` entity that ends a phrase (`Italian Minister of Interior Marco
/// Minniti`), unless it hangs on a preposition (`a spokesman for Smith`).
fn person_at_end(view: &Text, range: &Range<usize>) -> Option<Mention> {
    if range.is_empty() {
        return None;
    }
    let entity_index = view.entity_at(range.end - 1)?;
    let entity = view.entities.get(entity_index)?;
    if entity.kind != EntityKind::Person
        || entity.tokens.start < range.start
        || entity.tokens.end != range.end
    {
        return None;
    }
    if entity.tokens.start > range.start
        && view.is_any(
            entity.tokens.start - 1,
            &["for", "of", "to", "with", "by", "from", "about", "and"],
        )
    {
        return None;
    }
    Some(Mention { tokens: entity.tokens.clone(), entity: Some(entity_index) })
}

/// A description or pronoun as a speaker: at most 12 tokens, opening with
/// a determiner, a capital, a digit or a pronoun (or a short lower-case
/// plural: `police`, `officials`).
fn phrase_mention(view: &Text, range: Range<usize>) -> Option<Mention> {
    if range.is_empty() || range.len() > 12 {
        return None;
    }
    let first = view.word(range.start);
    if range.len() == 1 && contains(PRONOUNS, first) {
        return Some(Mention { tokens: range, entity: None });
    }
    if contains(PRONOUNS, first) || contains(&["there", "this", "that", "these", "those"], first) {
        return None;
    }
    let opens = contains(&["the", "a", "an", "his", "her", "its", "their"], first)
        || view.capitalised(range.start)
        || first.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || range.len() <= 3;
    if !opens {
        return None;
    }
    let entity = (range.start..range.end).find_map(|index| {
        let entity = view.entity_at(index)?;
        let found = view.entities.get(entity)?;
        (found.kind != EntityKind::Person && found.tokens.end == range.end).then_some(entity)
    });
    // `Environmental group Blue Strait`, `the ministry's own Foo`: the name
    // is the organisation, after its lower-case description.
    if let Some(found) = entity.and_then(|index| view.entities.get(index)) {
        let described = (range.start..found.tokens.start).all(|index| {
            let place = view.entity_at(index).and_then(|at| view.entities.get(at));
            !view.is_any(index, &["of", "from", "for", "at", "with", "in", "by"])
                && ((index == range.start && view.sentence_start(index) == index)
                    || !view.capitalised(index)
                    || view.is_any(index, &["The", "A", "An"])
                    || place.is_some_and(|place| place.kind == EntityKind::Place))
        });
        if described {
            return Some(Mention { tokens: found.tokens.clone(), entity });
        }
    }
    Some(Mention { tokens: range, entity })
}

/// The phrase after a verb as its subject (`said Serraj`, `said the
/// statement`), up to a comma or a preposition.
fn speaker_after(view: &Text, start: usize, limit: usize) -> Option<Mention> {
    if start >= limit || start >= view.len() {
        return None;
    }
    let first = view.word(start);
    if contains(NOT_INVERTED_SUBJECT, first) || view.is_punct(start) {
        return None;
    }
    let end = phrase_end(view, start, limit);
    let range = start..end;
    // `said chief executive Thierry Breton`: a name, whatever opens it.
    if let Some(person) = person_in(view, &range) {
        return Some(person);
    }
    if !(view.capitalised(start) || view.is_any(start, &["the", "a", "an", "he", "she", "they"])) {
        return None;
    }
    phrase_mention(view, range)
}

/// Where a phrase after a verb ends: at punctuation, a clause word or a
/// time phrase, after at most 12 tokens.
fn phrase_end(view: &Text, start: usize, limit: usize) -> usize {
    let mut end = start;
    while end < limit
        && end < view.len()
        && end - start < 12
        && view.same_paragraph(start, end)
        && !view.is_punct(end)
        && (end == start
            || !view.is_any(
                end,
                &[
                    "in",
                    "on",
                    "at",
                    "during",
                    "after",
                    "before",
                    "when",
                    "while",
                    "who",
                    "which",
                    "that",
                    "as",
                    "adding",
                    "saying",
                    "last",
                    "yesterday",
                    "today",
                    "earlier",
                    "late",
                    "this",
                    "told",
                    "said",
                    "says",
                ],
            ))
    {
        end += 1;
    }
    end
}

/// The speaker in a source phrase: `a statement by the media office of the
/// prime minister` is the office's; `police` is police.
fn source_mention(view: &Text, range: Range<usize>) -> Option<Mention> {
    if let Some(issuer) = issuer_in(view, &range) {
        return Some(issuer);
    }
    let head = range.clone();
    if let Some(person) = person_at_end(view, &head) {
        return Some(person);
    }
    phrase_mention(view, head)
}

/// `statement by X`, `statement issued by X`, `statement from X` inside a
/// range: the mention of X.
fn issuer_in(view: &Text, range: &Range<usize>) -> Option<Mention> {
    let noun =
        (range.start..range.end).find(|index| contains(DOCUMENT_NOUNS, view.word(*index)))?;
    let mut by = noun + 1;
    if view.is_any(by, &["issued", "released", "published", "made", "signed", "posted", "sent"]) {
        by += 1;
    }
    if !view.is_any(by, &["by", "from"]) {
        return None;
    }
    let start = by + 1;
    let end = phrase_end(view, start, range.end.max(start));
    let issuer = start..end;
    person_at_end(view, &issuer).or_else(|| phrase_mention(view, issuer))
}

/// Reported speech, one per sentence at most, outside quotation marks and
/// outside the attributions of quotes: `Minniti said on Saturday that
/// CLAUSE`, `CLAUSE, the statement said`, `According to X, CLAUSE`,
/// `CLAUSE, according to X`, `CNN published a report of CLAUSE`.
fn reported_speech(view: &Text, in_quote: &[bool], used: &[bool], findings: &mut Findings) {
    for sentence in &view.sentences {
        let (first, end) = (sentence.start, sentence.end);
        let mut index = first;
        while index < end {
            let skip = in_quote.get(index).copied().unwrap_or(true)
                || used.get(index).copied().unwrap_or(true);
            if !skip && let Some(found) = reported_at(view, index, first, end, in_quote, findings) {
                findings.quotes.push(found);
                break;
            }
            index += 1;
        }
    }
}

fn trim_clause(view: &Text, start: usize, mut end: usize) -> Option<Range<usize>> {
    while end > start && matches!(view.word(end - 1), "." | "," | ";" | ":" | "!" | "?" | "--") {
        end -= 1;
    }
    (end > start + 2).then_some(start..end)
}

fn clause_found(
    view: &Text,
    in_quote: &[bool],
    clause: Option<Range<usize>>,
    cue: Range<usize>,
    speaker: Option<Mention>,
) -> Option<Found> {
    let mut clause = clause?;
    // A clause that opens a story starts after its dateline (`LIMA, Jan.
    // 17 (Wire) -- `).
    if view.paragraph_start(clause.start) {
        let dash = (clause.start..clause.end.min(clause.start + 16))
            .find(|at| matches!(view.word(*at), "--" | "\u{2014}" | "\u{2013}"));
        if let Some(dash) = dash
            && dash + 3 < clause.end
        {
            clause.start = dash + 1;
        }
    }
    // A clause that is a quotation is a direct quote, found already.
    if in_quote.get(clause.start).copied().unwrap_or(true)
        && marks::classify(view.text, view.span(clause.start)).is_some()
    {
        return None;
    }
    let span = view.range_span(&clause);
    Some(Found {
        span,
        parts: vec![span],
        nested: Vec::new(),
        kind: Kind::Indirect,
        cue: Some(cue),
        speaker,
    })
}

fn reported_at(
    view: &Text,
    index: usize,
    first: usize,
    end: usize,
    in_quote: &[bool],
    findings: &mut Findings,
) -> Option<Found> {
    let word = view.word(index);
    // Every cue and document noun is a lower-case word here, but for a
    // sentence that opens with `According to`: capitals, digits and
    // punctuation are turned away before any lookup.
    if word.len() < 3 || !(word.as_bytes()[0].is_ascii_lowercase() || word == "According") {
        return None;
    }
    // Everything below starts from a document noun, one of four verbs of
    // publishing, or a cue (a verb of saying, `according`, `pointed`): one
    // lookup in their union turns away every other word.
    if !crate::cues::reporting().has(word) {
        return None;
    }
    // Documents: `a statement by X` names a source; `X published a report
    // of …` is reported speech.
    if crate::cues::document_nouns().has(word) {
        if let Some(issuer) = issuer_in(view, &(index..end)) {
            findings.sources.push(Source { position: index, issuer });
        }
        return None;
    }
    if view.is_any(index, crate::cues::PUBLISHING) {
        let noun = (index + 1..(index + 4).min(end))
            .find(|at| contains(DOCUMENT_NOUNS, view.word(*at)))?;
        let subject = subject_before(view, index, first)?;
        let speaker = subject_mention(view, &subject)?;
        findings.sources.push(Source { position: index, issuer: speaker.clone() });
        let opener = (noun + 1..(noun + 5).min(end))
            .find(|at| view.is_any(*at, &["of", "on", "that", "saying", "about"]))?;
        return clause_found(
            view,
            in_quote,
            trim_clause(view, opener + 1, end),
            index..noun + 1,
            Some(speaker),
        );
    }
    let cue = cue_at(view, index)?;
    if view.is(index, "according") {
        if let Some(issuer) = issuer_in(view, &(cue.end..end.min(cue.end + 20))) {
            findings.sources.push(Source { position: index, issuer });
        }
        let at_start = strip_connectives(view, first..index).is_empty() || index == first;
        if at_start || index == first {
            let comma = (cue.end..end.min(cue.end + 20)).find(|at| view.word(*at) == ",")?;
            let speaker = source_mention(view, cue.end..comma);
            return clause_found(view, in_quote, trim_clause(view, comma + 1, end), cue, speaker);
        }
        if index > first && view.word(index - 1) == "," {
            let stop = trim_clause(view, cue.end, end).map_or(end, |range| range.end);
            let speaker = source_mention(view, cue.end..stop);
            return clause_found(view, in_quote, trim_clause(view, first, index - 1), cue, speaker);
        }
        return None;
    }
    // `CLAUSE, said the ministry.`
    if index > first && view.word(index - 1) == "," && contains(INVERTED, word) {
        let tail = trim_clause(view, cue.end, end).map_or(cue.end, |range| range.end);
        let speaker = if tail - cue.end <= 8 { speaker_after(view, cue.end, tail) } else { None };
        if let Some(speaker) = speaker {
            return clause_found(
                view,
                in_quote,
                trim_clause(view, first, index - 1),
                cue,
                Some(speaker),
            );
        }
    }
    // The subject, or the one shared with an earlier verb (`X welcomed the
    // fine but said …`).
    let subject = subject_before(view, index, first);
    let named = subject.as_ref().and_then(|subject| subject_mention(view, subject));
    let (subject_start, speaker) = match named {
        Some(speaker) => (subject.as_ref().map_or(index, |subject| subject.start), speaker),
        None => (index, shared_subject(view, index)?),
    };
    // `X said in a statement`: a statement of X's.
    if (cue.end..(cue.end + 4).min(end)).any(|at| view.is(at, "statement")) {
        findings.sources.push(Source { position: index, issuer: speaker.clone() });
    }
    // `CLAUSE, the statement said (on Sunday).`
    if subject_start > first + 2 && view.word(subject_start - 1) == "," {
        let tail = trim_clause(view, cue.end, end).map_or(cue.end, |range| range.end);
        let adverbial = tail == cue.end
            || (tail - cue.end <= 6 && contains(NOT_INVERTED_SUBJECT, view.word(cue.end)));
        if adverbial && !contains(ADDRESSEE, word)
            || (contains(ADDRESSEE, word) && tail - cue.end <= 2)
        {
            return clause_found(
                view,
                in_quote,
                trim_clause(view, first, subject_start - 1),
                cue,
                Some(speaker),
            );
        }
    }
    // `X said (on Saturday) that CLAUSE`, `X told Minniti that CLAUSE`,
    // `X was quoted as saying that CLAUSE`.
    let mut at = cue.end;
    if contains(ADDRESSEE, word) {
        at = skip_object(view, at, end);
    }
    at = skip_adverbials(view, at, end);
    if view.is_any(at, &["as"]) && view.is(at + 1, "saying") {
        at += 2;
    }
    if view.is(at, "that") {
        return clause_found(view, in_quote, trim_clause(view, at + 1, end), cue, Some(speaker));
    }
    // `X said CLAUSE`, `X told reporters CLAUSE`, past a time or a venue
    // (`said on Tuesday`, `told a news conference`, `said in a statement`).
    if contains(ZERO_THAT, word) {
        let mut start = cue.end;
        if contains(ADDRESSEE, word) {
            start = skip_object(view, start, end);
        }
        start = skip_adverbials(view, start, end);
        let opens = start < end
            && !view.is_punct(start)
            && (!contains(NOT_CLAUSE_START, view.word(start))
                || (view.is(start, "at") && view.is_any(start + 1, &["least", "most"])));
        if opens {
            return clause_found(view, in_quote, trim_clause(view, start, end), cue, Some(speaker));
        }
    }
    None
}

/// Past the addressee of `told`: `reporters`, `Minniti`, `a news
/// conference`, `the BBC`.
fn skip_object(view: &Text, start: usize, end: usize) -> usize {
    if view.is_any(start, &["the", "a", "an"]) {
        // `told a news conference`, `told the BBC`: up to the noun.
        let mut next = start + 1;
        while next + 1 < end && next < start + 4 && !view.is_punct(next) {
            if contains(VENUE_NOUNS, view.word(next)) || view.capitalised(next) {
                break;
            }
            if view.is(next + 1, "that") {
                break;
            }
            next += 1;
        }
        return (next + 1).min(end);
    }
    if let Some(entity) = view.entity_at(start).and_then(|index| view.entities.get(index)) {
        return entity.tokens.end;
    }
    (start + 1).min(end)
}

/// Past time and venue phrases after a verb: `on Tuesday`, `late on
/// Monday`, `last week`, `in a statement`, `at a news conference`.
fn skip_adverbials(view: &Text, mut start: usize, end: usize) -> usize {
    for _ in 0..3 {
        let at = start;
        if view.is_any(at, &["yesterday", "today", "earlier", "later"]) {
            start = at + 1;
            continue;
        }
        if view.is_any(at, &["on", "late", "early", "last", "this"]) {
            let mut next = at + 1;
            while next < end
                && next < at + 4
                && (contains(TIME_WORDS, view.word(next))
                    || view.is_any(next, &["on", "the", "of"]))
            {
                next += 1;
            }
            if next > at + 1 {
                start = next;
                continue;
            }
        }
        if view.is_any(at, &["in", "at", "during", "via", "through", "to", "by", "over"]) {
            let mut next = at + 1;
            while next < end && next < at + 5 && !view.is_punct(next) {
                if contains(VENUE_NOUNS, view.word(next)) {
                    break;
                }
                next += 1;
            }
            if next < end && contains(VENUE_NOUNS, view.word(next)) {
                start = next + 1;
                continue;
            }
        }
        break;
    }
    start
}
