//! Training: the averaged perceptron over the static features of every
//! training sentence, computed once and kept in memory.
//!
//! Each epoch visits the documents in an order shuffled by a seeded
//! generator (so a run is reproducible), decodes each sentence exactly
//! (Viterbi) with the current weights, and where the predicted sequence
//! differs from the gold one adds the gold path's features (each token's
//! features with its gold tag and the gold previous tag) to the weights and
//! subtracts the predicted path's: the structured perceptron. The history
//! features use the *predicted* tags of the earlier sentences, as at run
//! time.
//! Averaging uses the usual trick of a second accumulator of
//! `step × update`, so that the average costs nothing per step; after each
//! epoch the averaged weights are quantised into a [`Model`] and scored on
//! the development set, and the best epoch's model is kept.

use crate::conll::LabelledDocument;
use crate::features::{
    DocumentContext, PredictionHistory, SentenceFeatures, history_features, sentence_features,
    transition_features,
};
use crate::gazetteer::{Gazetteer, LISTS, TRAINED_LISTS, phrase_hash};
use crate::model::{
    Model, START, TAGS, Weights, record, row_at, static_scores, tag_index, viterbi,
};
use crate::score::{Score, Scorer};
use crate::tagger::Tagger;

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
    /// log2 of the number of rows of the weight table.
    pub bits: u32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 14, seed: 1, bits: 20 }
    }
}

/// One epoch's result, for the progress report.
#[derive(Clone, Debug)]
pub struct EpochReport {
    pub epoch: usize,
    /// Wrong tags over both passes of every document.
    pub mistakes: usize,
    /// Training tokens (counted once, not per pass).
    pub tokens: usize,
    pub dev: Score,
}

struct TrainingWeights {
    bits: u32,
    weights: Vec<f32>,
    // Sum over updates of (step × change), for averaging.
    stamped: Vec<f64>,
}

impl Weights for TrainingWeights {
    #[inline]
    fn add_row_at(&self, feature: u64, offset: usize, scores: &mut [f32; TAGS.len()]) {
        let start = row_at(feature, offset, self.bits) * TAGS.len();
        if let Some(row) = self.weights.get(start..start + TAGS.len()) {
            for (score, weight) in scores.iter_mut().zip(row) {
                *score += weight;
            }
        }
    }
}

impl TrainingWeights {
    fn update(&mut self, feature: u64, tag: usize, change: f32, step: f64) {
        self.update_at(feature, 0, tag, change, step);
    }

    fn update_at(&mut self, feature: u64, offset: usize, tag: usize, change: f32, step: f64) {
        let index = row_at(feature, offset, self.bits) * TAGS.len() + tag;
        if let (Some(weight), Some(stamped)) =
            (self.weights.get_mut(index), self.stamped.get_mut(index))
        {
            *weight += change;
            *stamped += step * f64::from(change);
        }
    }

    fn averaged(&self, step: f64) -> Vec<f32> {
        self.weights
            .iter()
            .zip(&self.stamped)
            .map(|(weight, stamped)| (f64::from(*weight) - stamped / step) as f32)
            .collect()
    }
}

/// A small seeded generator (xorshift64*), enough for shuffling.
struct Shuffler(u64);

impl Shuffler {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            let other = (self.next() % (index as u64 + 1)) as usize;
            items.swap(index, other);
        }
    }
}

/// Number of folds for the training data's own gazetteer.
const FOLDS: usize = 2;

/// The gold entities of `documents` as (phrase hash, type mask) pairs, the
/// type bit an index into [`TRAINED_LISTS`].
pub fn entity_phrases<'d>(documents: impl Iterator<Item = &'d LabelledDocument>) -> Vec<(u64, u8)> {
    let mut phrases = std::collections::HashMap::<u64, u8>::new();
    for sentence in documents.flatten() {
        let mut start = None;
        for index in 0..=sentence.tags.len() {
            let tag = sentence.tags.get(index).map_or("O", String::as_str);
            if let Some((begin, kind)) = start {
                if tag.strip_prefix("I-") == Some(kind) {
                    continue;
                }
                let words: Vec<&str> =
                    sentence.words[begin..index].iter().map(String::as_str).collect();
                let bit = TRAINED_LISTS.iter().position(|list| *list == kind);
                if let (Some(hash), Some(bit)) = (phrase_hash(&words), bit) {
                    *phrases.entry(hash).or_default() |= 1 << bit;
                }
                if let Some(bit) = bit {
                    for word in &words {
                        if let Some(hash) = phrase_hash(&[word]) {
                            *phrases.entry(hash).or_default() |= 1 << (bit + 4);
                        }
                    }
                }
                start = None;
            }
            if let Some(kind) = tag.strip_prefix("B-") {
                start = Some((index, kind));
            }
        }
    }
    phrases.into_iter().collect()
}

/// Scores a tagger on labelled documents.
pub fn evaluate(tagger: &Tagger, documents: &[LabelledDocument]) -> Score {
    let mut scorer = Scorer::new();
    for document in documents {
        let sentences: Vec<Vec<&str>> = document
            .iter()
            .map(|sentence| sentence.words.iter().map(String::as_str).collect())
            .collect();
        let predicted = tagger.tag(&sentences);
        for (sentence, tags) in document.iter().zip(&predicted) {
            for (gold, (tag, _)) in sentence.tags.iter().zip(tags) {
                scorer.token(gold, TAGS[*tag]);
            }
            scorer.boundary();
        }
    }
    scorer.finish()
}

/// Trains on `train`, scores every epoch on `dev`, calls `progress` after
/// each epoch and returns the model of the epoch with the best dev F1.
pub fn train(
    train: &[LabelledDocument],
    dev: &[LabelledDocument],
    options: &TrainOptions,
    mut progress: impl FnMut(&EpochReport),
) -> Model {
    // Each training document sees the entity phrases of the other folds
    // only, as a new document sees the phrases of the training data: were
    // its own entities in the list, the model would learn to trust the list
    // blindly.
    let embedded = Gazetteer::embedded();
    let fold_gazetteers: Vec<Gazetteer> = (0..FOLDS)
        .map(|fold| {
            let others = train.iter().enumerate().filter(|(index, _)| index % FOLDS != fold);
            let mut gazetteer = embedded.clone();
            for (hash, mask) in entity_phrases(others.map(|(_, document)| document)) {
                gazetteer.add_hash(hash, u16::from(mask) << LISTS.len());
            }
            gazetteer
        })
        .collect();
    let all_phrases = entity_phrases(train.iter());
    let mut examples: Vec<Vec<(SentenceFeatures, Vec<usize>)>> = Vec::with_capacity(train.len());
    for (index, document) in train.iter().enumerate() {
        let gazetteer = &fold_gazetteers[index % FOLDS];
        let sentences: Vec<Vec<&str>> = document
            .iter()
            .map(|sentence| sentence.words.iter().map(String::as_str).collect())
            .collect();
        let context = DocumentContext::new(&sentences);
        let mut prepared = Vec::with_capacity(sentences.len());
        for (index, (words, sentence)) in sentences.iter().zip(document).enumerate() {
            let mut features = SentenceFeatures::default();
            sentence_features(words, index, gazetteer, &context, &mut features);
            let gold = sentence.tags.iter().map(|tag| tag_index(tag)).collect();
            prepared.push((features, gold));
        }
        examples.push(prepared);
    }
    let size = (1usize << options.bits) * TAGS.len();
    let mut weights =
        TrainingWeights { bits: options.bits, weights: vec![0.0; size], stamped: vec![0.0; size] };
    let mut shuffler = Shuffler(options.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut step = 1f64;
    let mut best: Option<(f64, Model)> = None;
    let (mut tags, mut scores) = (Vec::new(), Vec::new());
    for epoch in 1..=options.epochs {
        shuffler.shuffle(&mut order);
        let (mut mistakes, mut tokens) = (0, 0);
        for &document in &order {
            // Both passes are trained: the first without the document's
            // counts, as it runs at tagging time, the second with them.
            let mut history = PredictionHistory::default();
            for pass in 0..2 {
                if pass == 1 {
                    history = std::mem::take(&mut history).second_pass();
                }
                for (features, gold) in &examples[document] {
                    // Structured perceptron: decode the whole sentence
                    // exactly, then move the weights from the predicted
                    // path's features to the gold path's.
                    let cached = static_scores(&weights, features);
                    viterbi(&weights, features, &cached, &history, &mut tags, &mut scores);
                    let (mut gold_previous, mut guess_previous) = (START, START);
                    for (index, (&gold_tag, &guess)) in gold.iter().zip(tags.iter()).enumerate() {
                        if gold_tag != guess || gold_previous != guess_previous {
                            mistakes += usize::from(gold_tag != guess);
                            let keys = features.keys[index];
                            let token = features.token(index);
                            for &feature in token.iter().chain(&history_features(keys, &history)) {
                                if gold_tag != guess {
                                    weights.update(feature, gold_tag, 1.0, step);
                                    weights.update(feature, guess, -1.0, step);
                                }
                            }
                            for feature in transition_features(keys) {
                                weights.update_at(feature, gold_previous, gold_tag, 1.0, step);
                                weights.update_at(feature, guess_previous, guess, -1.0, step);
                            }
                        }
                        tokens += usize::from(pass == 0);
                        step += 1.0;
                        gold_previous = gold_tag;
                        guess_previous = guess;
                    }
                    record(&mut history, features, &tags);
                }
            }
        }
        let model = Model::quantize(options.bits, &weights.averaged(step))
            .with_phrases(all_phrases.clone());
        let tagger = Tagger::new(model.clone(), embedded.clone());
        let dev_score = evaluate(&tagger, dev);
        let f1 = dev_score.overall.f1();
        progress(&EpochReport { epoch, mistakes, tokens, dev: dev_score });
        if best.as_ref().is_none_or(|(best_f1, _)| f1 > *best_f1) {
            best = Some((f1, model));
        }
    }
    match best {
        Some((_, model)) => model,
        None => Model::quantize(options.bits, &weights.averaged(step)).with_phrases(all_phrases),
    }
}
