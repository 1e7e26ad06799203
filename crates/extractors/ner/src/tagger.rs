//! The tagger: a model and the gazetteers, applied to a document's
//! sentences.

use crate::features::{DocumentContext, PredictionHistory, SentenceFeatures, sentence_features};
use crate::gazetteer::Gazetteer;
use crate::model::{Model, TAGS, decode};

pub struct Tagger {
    model: Model,
    gazetteer: Gazetteer,
}

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
        for &(hash, mask) in model.phrases() {
            gazetteer.add_hash(hash, mask << crate::gazetteer::LISTS.len());
        }
        Tagger { model, gazetteer }
    }

    /// The tag (an index into [`TAGS`]) of every token of every sentence,
    /// with the tag's probability under a softmax of the token's scores.
    pub fn tag(&self, sentences: &[Vec<&str>]) -> Vec<Vec<(usize, f32)>> {
        let context = DocumentContext::new(sentences);
        let mut features = SentenceFeatures::default();
        let mut history = PredictionHistory::default();
        let mut tags = Vec::new();
        let mut scores = Vec::new();
        let scale = self.model.scale();
        sentences
            .iter()
            .enumerate()
            .map(|(index, words)| {
                sentence_features(words, index, &self.gazetteer, &context, &mut features);
                decode(&self.model, &features, &mut history, &mut tags, &mut scores);
                tags.iter()
                    .zip(&scores)
                    .map(|(&tag, row)| {
                        let top = row.iter().fold(f32::MIN, |top, score| top.max(*score));
                        let total: f32 =
                            row.iter().map(|score| ((score - top) * scale).exp()).sum();
                        let chosen = ((row[tag] - top) * scale).exp();
                        (tag, if total > 0.0 { chosen / total } else { 0.0 })
                    })
                    .collect()
            })
            .collect()
    }

    /// The entities of a document's sentences.
    pub fn entities(&self, sentences: &[Vec<&str>]) -> Vec<Entity> {
        let mut entities = Vec::new();
        for (sentence, tags) in self.tag(sentences).iter().enumerate() {
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
        }
        entities
    }
}

fn label_of(kind: usize) -> &'static str {
    TAGS.get(kind * 2).and_then(|tag| tag.strip_prefix("I-")).unwrap_or("MISC")
}
