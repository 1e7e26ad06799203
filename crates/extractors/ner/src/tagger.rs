//! The tagger: a model and the gazetteers, applied to a document's
//! sentences.

use crate::features::{
    DocumentContext, FeatureScratch, PredictionHistory, SentenceFeatures, WordScores,
    sentence_features_split,
};
use crate::gazetteer::Gazetteer;
use std::cell::RefCell;

use crate::model::{Model, START, TAGS, TransitionScores, allowed, record, viterbi_cached};

pub struct Tagger {
    model: Model,
    gazetteer: Gazetteer,
    temperature: f32,
}

/// What [`Tagger::each_tagged`] calls for each sentence: its index, and
/// each token's tag and probability.
type EachSentence<'a> = dyn FnMut(usize, &[(usize, f32)]) + 'a;

/// Buffers reused from document to document, one set per thread: a
/// document's features and scores come to a few hundred kB (360 bytes of
/// transition scores a token), which would otherwise be allocated, grown
/// and freed for every document.
#[derive(Default)]
struct Scratch {
    features: Vec<SentenceFeatures>,
    feature_scratch: FeatureScratch,
    static_scores: Vec<[f32; TAGS.len()]>,
    transitions: Vec<TransitionScores>,
    /// Where each sentence's tokens start in `static_scores` and
    /// `transitions`, and their end.
    starts: Vec<usize>,
    back: Vec<[u8; TAGS.len()]>,
    tags: Vec<usize>,
    scores: Vec<[f32; TAGS.len()]>,
    /// A sentence's tags and their probabilities.
    tagged: Vec<(usize, f32)>,
    /// The words' own features' scores, kept from document to document
    /// (not dropped with the other buffers after a long document).
    words: WordScores,
}

/// A document of more tokens than this does not leave its buffers behind
/// (a window of [`WINDOW_TOKENS`](crate::WINDOW_TOKENS) would hold on to
/// about 15 MB per thread).
const KEPT_TOKENS: usize = 8192;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Divides the scores before the softmax that gives `attrs.score`. A
/// perceptron's scores are margins, not log-probabilities, and far too
/// sharp as they are (every entity would score 1.0); this value minimised
/// the token-level log loss of the committed model on eng.testa
/// (`examples/calibrate.rs`; re-run it after training a new model).
pub const TEMPERATURE: f32 = 32.0;

/// A found entity: a token range of one sentence, its type and a confidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub sentence: usize,
    pub tokens: std::ops::Range<usize>,
    pub label: &'static str,
    pub score: f32,
}

impl Tagger {
    /// A tagger with `gazetteer` plus the training data's phrases that the
    /// model carries.
    pub fn new(model: Model, mut gazetteer: Gazetteer) -> Self {
        gazetteer.reserve(model.phrases().len());
        for &(hash, mask) in model.phrases() {
            gazetteer.add_hash(hash, u16::from(mask) << crate::gazetteer::LISTS.len());
        }
        Tagger { model, gazetteer, temperature: TEMPERATURE }
    }

    /// The tag (an index into [`TAGS`]) of every token of every sentence,
    /// with the tag's probability under a softmax of the token's scores.
    pub fn tag(&self, sentences: &[Vec<&str>]) -> Vec<Vec<(usize, f32)>> {
        let mut tagged = Vec::with_capacity(sentences.len());
        self.each_tagged(sentences, &mut |_, tags| tagged.push(tags.to_vec()));
        tagged
    }

    /// [`Tagger::tag`], sentence by sentence: `each` gets the sentence's
    /// index and its tags, in a buffer reused for the next sentence.
    fn each_tagged(&self, sentences: &[Vec<&str>], each: &mut EachSentence<'_>) {
        let done = SCRATCH.try_with(|cell| {
            let Ok(mut scratch) = cell.try_borrow_mut() else { return false };
            self.tag_with(sentences, &mut scratch, each);
            if sentences.iter().map(Vec::len).sum::<usize>() > KEPT_TOKENS {
                let words = std::mem::take(&mut scratch.words);
                *scratch = Scratch { words, ..Scratch::default() };
            }
            true
        });
        if done != Ok(true) {
            self.tag_with(sentences, &mut Scratch::default(), each);
        }
    }

    fn tag_with(
        &self,
        sentences: &[Vec<&str>],
        scratch: &mut Scratch,
        each: &mut EachSentence<'_>,
    ) {
        let Scratch {
            features,
            feature_scratch,
            static_scores,
            transitions,
            starts,
            back,
            tags,
            scores,
            tagged,
            words: cache,
        } = scratch;
        let context = DocumentContext::new(sentences);
        if features.len() < sentences.len() {
            features.resize_with(sentences.len(), SentenceFeatures::default);
        }
        let features = &mut features[..sentences.len()];
        // Each word's own features are scored once (see `WordScores`);
        // sentence by sentence, so a word's second mention is cached.
        cache.for_model(self.model.id());
        for (index, (words, out)) in sentences.iter().zip(features.iter_mut()).enumerate() {
            sentence_features_split(
                words,
                index,
                &self.gazetteer,
                &context,
                feature_scratch,
                cache,
                out,
            );
            self.model.own_scores(words, out, cache);
        }
        // The parts of every token's scores that do not depend on the
        // decisions (static and transition), computed once for both passes.
        let by_previous = self.model.by_previous();
        static_scores.clear();
        transitions.clear();
        starts.clear();
        for sentence in features.iter() {
            starts.push(static_scores.len());
            self.model.split_static_scores_into(sentence, static_scores);
            self.model.transition_scores_into(&by_previous, &sentence.keys, transitions);
        }
        starts.push(static_scores.len());
        let mut decode = |index: usize,
                          history: &PredictionHistory,
                          tags: &mut Vec<usize>,
                          scores: &mut Vec<[f32; TAGS.len()]>| {
            let range = starts[index]..starts[index + 1];
            viterbi_cached(
                &self.model,
                &features[index].keys,
                &static_scores[range.clone()],
                &transitions[range],
                history,
                back,
                tags,
                scores,
            );
        };
        let mut history = PredictionHistory::default();
        for (index, sentence) in features.iter().enumerate() {
            decode(index, &history, tags, scores);
            record(&mut history, sentence, tags);
        }
        let mut history = history.second_pass();
        let scale = self.model.scale() / self.temperature;
        for (index, sentence) in features.iter().enumerate() {
            decode(index, &history, tags, scores);
            record(&mut history, sentence, tags);
            // A softmax over the tags the decoder could choose: the
            // others are never trained down, so their scores mean nothing.
            let previous = std::iter::once(START).chain(tags.iter().copied());
            tagged.clear();
            tagged.extend(tags.iter().zip(scores.iter()).zip(previous).map(
                |((&tag, row), previous)| {
                    let choices = || {
                        row.iter()
                            .enumerate()
                            .filter(move |(other, _)| allowed(previous, *other))
                            .map(|(_, score)| *score)
                    };
                    let top = choices().fold(f32::MIN, f32::max);
                    let total: f32 = choices().map(|score| ((score - top) * scale).exp()).sum();
                    let chosen = ((row[tag] - top) * scale).exp();
                    (tag, if total > 0.0 { chosen / total } else { 0.0 })
                },
            ));
            each(index, tagged);
        }
    }

    /// The same tagger with another softmax temperature (see [`TEMPERATURE`]).
    pub fn with_temperature(mut self, temperature: f32) -> Self {
        self.temperature = if temperature > 0.0 { temperature } else { TEMPERATURE };
        self
    }

    /// The entities of a document's sentences.
    pub fn entities(&self, sentences: &[Vec<&str>]) -> Vec<Entity> {
        let mut entities = Vec::new();
        self.each_tagged(sentences, &mut |sentence, tags| {
            let mut open: Option<(usize, usize, f32)> = None;
            for (index, &(tag, probability)) in tags.iter().chain([(0, 1.0)].iter()).enumerate() {
                let kind = tag.div_ceil(2);
                let continues = tag != 0 && tag % 2 == 0;
                if let Some((start, open_kind, total)) = open {
                    if continues && open_kind == kind {
                        open = Some((start, open_kind, total + probability));
                        continue;
                    }
                    let length = index - start;
                    entities.push(Entity {
                        sentence,
                        tokens: start..index,
                        label: label_of(open_kind),
                        score: total / length as f32,
                    });
                    open = None;
                }
                if tag != 0 {
                    open = Some((index, kind, probability));
                }
            }
        });
        entities
    }
}

fn label_of(kind: usize) -> &'static str {
    TAGS.get(kind * 2).and_then(|tag| tag.strip_prefix("I-")).unwrap_or("MISC")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed model on real text, AVX2 loops (where the processor
    /// has them) against the portable ones: every tag and probability
    /// the same, bit for bit, over CoNLL-2003 eng.testa (216 documents,
    /// 51,000 tokens). Skips without `../shared`.
    #[test]
    fn dispatched_and_portable_loops_tag_conll_alike() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../../shared/data/conll2003/eng.testa");
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("skipped: {} is absent", path.display());
            return;
        };
        let Ok(model) = Model::from_bytes(crate::EMBEDDED_MODEL) else {
            println!("skipped: this build has no embedded model");
            return;
        };
        let gazetteer = Gazetteer::embedded();
        let dispatched = Tagger::new(model.clone(), gazetteer.clone());
        let portable = Tagger::new(model.portable(), gazetteer);
        let documents = crate::conll::parse_corpus(&text);
        assert!(documents.len() > 200);
        let mut tokens = 0;
        for document in &documents {
            let sentences: Vec<Vec<&str>> = document
                .iter()
                .map(|sentence| sentence.words.iter().map(String::as_str).collect())
                .collect();
            let bits = |tagger: &Tagger| -> Vec<Vec<(usize, u32)>> {
                tagger
                    .tag(&sentences)
                    .into_iter()
                    .map(|tags| tags.into_iter().map(|(tag, p)| (tag, p.to_bits())).collect())
                    .collect()
            };
            assert_eq!(bits(&dispatched), bits(&portable), "{:?}", sentences.first());
            tokens += sentences.iter().map(Vec::len).sum::<usize>();
        }
        assert!(tokens > 50_000, "{tokens}");
    }
}
