//! The `ner` extractor: people, organisations, places and other names
//! (`PER`, `ORG`, `LOC`, `MISC`) found by a trained sequence tagger.
//!
//! # The model
//!
//! A sequence tagger over IOB2 tags, decoded exactly (Viterbi, first-order
//! transitions, `I-X` only after `B-X` or `I-X`) and trained as a
//! structured averaged perceptron (Collins 2002), with the feature set that
//! Ratinov and Roth (2009) found to matter on news: the word, its
//! lower-cased form and its shape in a ±2 window, prefixes and suffixes,
//! the position in the sentence, the previous tag (alone, × word, × shape),
//! gazetteer membership, and what the rest of the document says about the
//! word's capitalisation (a word written in lower case elsewhere is
//! probably not a name; a headline in capitals is read through the casing
//! the word has in the body). Exact decoding gained 2.4 points of F1 on
//! `eng.testa` over the greedy left-to-right decoder it replaced; the
//! decoder takes about a fifth of the stage's time. `docs/ner.md` argues
//! the choices and gives the figures.
//!
//! # Two passes and the document
//!
//! A name is usually written the same way, and meant the same way, all
//! through a story, while its first mention may be in a headline in
//! capitals or at the start of a sentence. So the decoder remembers, per
//! capitalised word, the types it has already given it in the document
//! (Ratinov and Roth's "extended prediction history"), and tags each
//! document twice: the second pass also sees the types the first pass gave
//! the word *anywhere* in the document. What does not depend on the
//! decisions (each token's static scores and its scores after each
//! previous tag) is computed once and shared by the passes; each pass adds
//! only the history features. The buffers of a document (features, scores)
//! are kept per thread and reused by the next document, and so are the
//! summed rows of each word's own features (those that depend on the word
//! alone: a third of a token's; `features::WordScores`), so that a word
//! met again costs one lookup instead of a dozen rows all over the table.
//!
//! # What the training data adds
//!
//! Besides the weights, the model carries lists of the training data's
//! entity strings and entity words by type, as hashes. While training,
//! each document sees only the lists built from the other half of the
//! documents, as an unseen document would.
//!
//! # Hashed features
//!
//! Features are never strings: [`features`] hashes every word, form and
//! shape once and mixes the hashes with a template number; the top bits of
//! a feature's hash pick a row of a fixed table of weights ([`model`]). No
//! vocabulary is stored, so the model holds no training text, its size is
//! fixed by the number of rows whatever the corpus, and a lookup is one
//! memory access. Collisions add noise to a few weights, which the
//! perceptron learns around.
//!
//! # Data
//!
//! The model (`model/ner.model.gz`, trained by `runner train ner`) and the
//! gazetteers (`data/*.txt`, built by `scripts/build-gazetteers.py`) are
//! embedded in the binary, so the extractor needs no path; the option
//! `model` loads another model file instead.

pub mod conll;
pub mod features;
pub mod gazetteer;
pub mod model;
pub mod score;
pub mod tagger;
pub mod train;

use std::sync::{Arc, OnceLock};

use anyhow::Context;
use document::{
    Annotation, BuildContext, Component, ComponentOptions, Document, Extractor, OptionDoc,
    OptionsError, Span,
};
use serde::Deserialize;

pub use model::Model;
pub use tagger::{Entity, Tagger};

/// The committed model, embedded by `build.rs` (empty when there is none).
const EMBEDDED_MODEL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ner.model.gz"));

/// The embedded tagger, loaded once per process and shared by every
/// instance.
pub fn embedded_tagger() -> anyhow::Result<Arc<Tagger>> {
    static TAGGER: OnceLock<Result<Arc<Tagger>, String>> = OnceLock::new();
    TAGGER
        .get_or_init(|| {
            if EMBEDDED_MODEL.is_empty() {
                return Err("this build has no embedded model (model/ner.model.gz)".into());
            }
            let model = Model::from_bytes(EMBEDDED_MODEL).map_err(|error| format!("{error:#}"))?;
            Ok(Arc::new(Tagger::new(model, gazetteer::Gazetteer::embedded())))
        })
        .clone()
        .map_err(anyhow::Error::msg)
}

/// The options of a `[[extractor]] kind = "ner"` entry.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NerOptions {
    pub model: Option<String>,
    pub min_score: f64,
}

impl ComponentOptions for NerOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "model",
            ty: "path",
            default: Some("the embedded model"),
            doc: "A model file written by `runner train ner`, instead of the embedded one.",
        },
        OptionDoc {
            name: "min_score",
            ty: "float",
            default: Some("0.0"),
            doc: "Drop entities whose confidence (`attrs.score`, 0 to 1) is lower.",
        },
    ];
}

pub struct NerExtractor {
    tagger: Arc<Tagger>,
    min_score: f64,
}

impl Component for NerExtractor {
    const KIND: &'static str = "ner";
    const DESCRIPTION: &'static str =
        "Named entities (PER, ORG, LOC, MISC) from a trained averaged-perceptron tagger";
    type Options = NerOptions;

    fn build(options: NerOptions, context: &BuildContext) -> anyhow::Result<Self> {
        if !(0.0..=1.0).contains(&options.min_score) {
            return Err(OptionsError::invalid("min_score", "must lie between 0 and 1").into());
        }
        let tagger = match &options.model {
            Some(path) => {
                let path = context.resolve(path);
                let bytes = std::fs::read(&path).map_err(|error| {
                    OptionsError::invalid("model", format!("{}: {error}", path.display()))
                })?;
                let model = Model::from_bytes(&bytes)
                    .with_context(|| format!("cannot load {}", path.display()))?;
                Arc::new(Tagger::new(model, gazetteer::Gazetteer::embedded()))
            }
            None => embedded_tagger()?,
        };
        Ok(NerExtractor { tagger, min_score: options.min_score })
    }
}

impl NerExtractor {
    pub fn new(tagger: Arc<Tagger>) -> Self {
        NerExtractor { tagger, min_score: 0.0 }
    }
}

/// Tokens tagged together at most. The tagger keeps every sentence's
/// features for its document-wide second pass, so memory grows with the
/// document; news articles hold a few thousand tokens, far below this, and
/// a pathological document (10 MB on one line) is tagged window by window
/// of whole sentences instead, with the same memory as a long article.
pub const WINDOW_TOKENS: usize = 20_000;

/// [`Tagger::entities`] over windows of at most [`WINDOW_TOKENS`] tokens,
/// with sentence and token indices into the whole of `sentences`. A longer
/// sentence (text without sentence ends) is cut into pieces of that size.
fn tag_in_windows(tagger: &Tagger, sentences: &[Vec<&str>]) -> Vec<tagger::Entity> {
    let total: usize = sentences.iter().map(Vec::len).sum();
    if total <= WINDOW_TOKENS {
        return tagger.entities(sentences);
    }
    // (sentence, first token) of each piece, and the pieces themselves.
    let mut origins = Vec::new();
    let mut pieces: Vec<Vec<&str>> = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        for (number, piece) in sentence.chunks(WINDOW_TOKENS).enumerate() {
            origins.push((index, number * WINDOW_TOKENS));
            pieces.push(piece.to_vec());
        }
    }
    let mut found = Vec::new();
    let mut start = 0;
    while start < pieces.len() {
        let mut end = start + 1;
        let mut tokens = pieces[start].len();
        while end < pieces.len() && tokens + pieces[end].len() <= WINDOW_TOKENS {
            tokens += pieces[end].len();
            end += 1;
        }
        for mut entity in tagger.entities(&pieces[start..end]) {
            let (sentence, offset) = origins[start + entity.sentence];
            entity.sentence = sentence;
            entity.tokens = entity.tokens.start + offset..entity.tokens.end + offset;
            found.push(entity);
        }
        start = end;
    }
    found
}

impl Extractor for NerExtractor {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        let body = document.body();
        let mut sentence_tokens: Vec<&[document::Token]> =
            document.sentences.iter().map(|sentence| document.sentence_tokens(sentence)).collect();
        if sentence_tokens.is_empty() && !document.tokens.is_empty() {
            sentence_tokens.push(&document.tokens);
        }
        let sentences: Vec<Vec<&str>> = sentence_tokens
            .iter()
            .map(|tokens| tokens.iter().map(|token| document.slice(token.span)).collect())
            .collect();
        let found = tag_in_windows(&self.tagger, &sentences);
        let mut annotations = Vec::with_capacity(found.len());
        for entity in found {
            if f64::from(entity.score) < self.min_score {
                continue;
            }
            let tokens = sentence_tokens.get(entity.sentence).copied().unwrap_or(&[]);
            let (Some(first), Some(last)) =
                (tokens.get(entity.tokens.start), tokens.get(entity.tokens.end.wrapping_sub(1)))
            else {
                continue;
            };
            let span = Span::new(first.span.start, last.span.end);
            if span.start < body.start {
                continue;
            }
            let score = (f64::from(entity.score) * 1000.0).round() / 1000.0;
            annotations.push(Annotation::new(entity.label, span).with_attr("score", score));
        }
        for annotation in annotations {
            document.annotate(annotation)?;
        }
        Ok(())
    }
}

/// The tests' small deterministic generator (xorshift64): advances
/// `state` and returns it.
#[cfg(test)]
pub(crate) fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        text.split(' ').collect()
    }

    #[test]
    fn documents_tagged_one_after_another_are_tagged_as_alone() {
        // The tagger reuses its buffers from document to document (and
        // drops them after a long one): nothing may carry over.
        let tagger = embedded_tagger().unwrap();
        let first = vec![
            words("LEICESTERSHIRE BEAT SURREY"),
            words("Leicestershire won by six wickets at Grace Road ."),
        ];
        let second = vec![words("Angela Merkel met Emmanuel Macron in Paris on Tuesday .")];
        let long = vec![words("Paris and Berlin ."); 3_000];
        let alone = tagger.tag(&first);
        let other = tagger.tag(&second);
        assert_ne!(alone, other);
        for document in [&second, &long, &first, &second, &first] {
            let tagged = tagger.tag(document);
            if document == &first {
                assert_eq!(tagged, alone);
            } else if document == &second {
                assert_eq!(tagged, other);
            }
        }
    }

    #[test]
    fn long_documents_are_tagged_in_windows_with_whole_document_indices() {
        let tagger = embedded_tagger().unwrap();
        let sentence = words("Angela Merkel met Emmanuel Macron in Paris on Tuesday .");
        let short = tagger.entities(std::slice::from_ref(&sentence));
        assert!(short.len() >= 3, "the model finds the names: {short:?}");
        // 3,000 sentences (33,000 tokens): two windows, same entities in each.
        let sentences = vec![sentence.clone(); 3_000];
        let found = tag_in_windows(&tagger, &sentences);
        assert_eq!(found.len(), short.len() * 3_000);
        let last = &found[found.len() - 1];
        assert_eq!(last.sentence, 2_999);
        assert_eq!(last.tokens, short[short.len() - 1].tokens);
        // One sentence of 40,040 tokens, no sentence end: cut into pieces,
        // offsets still count from the start of that sentence.
        let endless: Vec<&str> = sentence[..10].iter().copied().cycle().take(40_040).collect();
        let found = tag_in_windows(&tagger, std::slice::from_ref(&endless));
        assert!(found.iter().all(|entity| entity.sentence == 0));
        let beyond: Vec<_> = found.iter().filter(|entity| entity.tokens.start >= 20_000).collect();
        assert!(!beyond.is_empty());
        for entity in found {
            let text = endless[entity.tokens.clone()].join(" ");
            assert!(
                ["Angela Merkel", "Emmanuel Macron", "Paris", "Merkel", "Macron", "Angela"]
                    .contains(&text.as_str()),
                "{text:?} at {:?}",
                entity.tokens
            );
        }
    }
}
