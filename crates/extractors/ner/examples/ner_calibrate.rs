//! Picks the softmax temperature of `attrs.score`: the token-level log
//! loss of the gold IOB2 tag on a CoNLL file for a range of temperatures.
//! `cargo run --release -p ner --example ner_calibrate -- ../shared/data/conll2003/eng.testa`

use ner::model::{Model, TAGS};
use ner::tagger::Tagger;

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_default();
    let corpus = ner::conll::parse_corpus(&String::from_utf8_lossy(&std::fs::read(&path)?));
    let model_bytes =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("model/ner.model.gz"))?;
    for temperature in [1.0f32, 8.0, 16.0, 24.0, 32.0, 40.0, 48.0, 64.0, 128.0] {
        let tagger =
            Tagger::new(Model::from_bytes(&model_bytes)?, ner::gazetteer::Gazetteer::embedded())
                .with_temperature(temperature);
        let (mut loss, mut count) = (0f64, 0usize);
        for document in &corpus {
            let sentences: Vec<Vec<&str>> =
                document.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
            for (sentence, tagged) in document.iter().zip(tagger.tag(&sentences)) {
                for (gold, (tag, probability)) in sentence.tags.iter().zip(tagged) {
                    // The probability of the chosen tag when right, its
                    // complement when wrong: a binary log loss on the choice.
                    let p = f64::from(probability).clamp(1e-6, 1.0 - 1e-6);
                    loss -= if TAGS[tag] == gold { p.ln() } else { (1.0 - p).ln() };
                    count += 1;
                }
            }
        }
        println!("temperature {temperature:>5}: log loss {:.4}", loss / count.max(1) as f64);
    }
    Ok(())
}
