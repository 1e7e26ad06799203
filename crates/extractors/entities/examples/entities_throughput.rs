//! The cost of the `entities` stage next to the `ner` stage it follows:
//! `cargo run --release -p entities --example entities_throughput [FOLDER]`
//! (default `../shared/data/bench/bbc` beside the checkout). Reads and
//! tokenizes every `.txt` file, runs `dateline` and `ner` once (untimed
//! first, to get their annotations), then times, on one core, `ner` alone
//! and `entities` alone over all documents (best of three rounds each,
//! every round on a fresh copy of the `ner` output), and the loading of the
//! gazetteers. A benchmark, not a test: it skips when the folder is absent.

use std::path::{Path, PathBuf};
use std::time::Instant;

use document::{BuildContext, Component, Document, Extractor};

fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "txt") {
            files.push(path);
        }
    }
}

fn main() -> anyhow::Result<()> {
    let folder = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/bench/bbc")
    });
    let mut files = Vec::new();
    collect(&folder, &mut files);
    if files.is_empty() {
        println!("entities throughput: skipped, no .txt files under {}", folder.display());
        return Ok(());
    }
    let loading = Instant::now();
    let gazetteer = entities::Gazetteer::parse_embedded()?;
    let load = loading.elapsed().as_secs_f64();
    println!("gazetteers parsed in {load:.3} s ({} places)", gazetteer.places.len());

    let context = BuildContext::new(".", "bench");
    let dateline = dateline::DatelineExtractor::build(Default::default(), &context)?;
    let ner = ner::NerExtractor::build(Default::default(), &context)?;
    let entities = entities::EntitiesExtractor::build(Default::default(), &context)?;
    let mut documents: Vec<Document> = files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .enumerate()
        .map(|(index, bytes)| {
            let mut document = Document::new(index.to_string(), String::from_utf8_lossy(&bytes));
            let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
            document.tokens = tokens;
            document.sentences = sentences;
            document
        })
        .collect();
    for document in &mut documents {
        dateline.extract(document)?;
    }
    let before_ner: Vec<Vec<document::Annotation>> =
        documents.iter().map(|d| d.annotations.clone()).collect();
    let rounds = 3;
    let mut ner_best = f64::MAX;
    for _ in 0..rounds {
        for (document, annotations) in documents.iter_mut().zip(&before_ner) {
            document.annotations.clone_from(annotations);
        }
        let start = Instant::now();
        for document in &mut documents {
            ner.extract(document)?;
        }
        ner_best = ner_best.min(start.elapsed().as_secs_f64());
    }
    let after_ner: Vec<Vec<document::Annotation>> =
        documents.iter().map(|d| d.annotations.clone()).collect();
    let mut entities_best = f64::MAX;
    let (mut found, mut roles) = (0, 0);
    for _ in 0..rounds {
        for (document, annotations) in documents.iter_mut().zip(&after_ner) {
            document.annotations.clone_from(annotations);
            document.entities.clear();
        }
        let start = Instant::now();
        for document in &mut documents {
            entities.extract(document)?;
        }
        entities_best = entities_best.min(start.elapsed().as_secs_f64());
        found = documents.iter().map(|d| d.entities.len()).sum();
        roles = documents.iter().flat_map(|d| &d.annotations).filter(|a| a.label == "ROLE").count();
    }
    let tokens: usize = documents.iter().map(|d| d.tokens.len()).sum();
    println!(
        "{} documents, {tokens} tokens; {found} entities, {roles} roles; best of {rounds} on one core:",
        documents.len()
    );
    println!("  ner       {ner_best:.3} s ({:.0} tokens/s)", tokens as f64 / ner_best);
    println!("  entities  {entities_best:.3} s ({:.0} tokens/s)", tokens as f64 / entities_best);
    println!("  entities / ner = {:.1} %", 100.0 * entities_best / ner_best);
    Ok(())
}
