//! NER stage throughput on one core: `cargo run --release -p ner --example
//! ner_throughput [FOLDER]` (default `../shared/data/bench/bbc` beside the
//! checkout). Reads and tokenizes every `.txt` file first (not timed), then
//! times the `ner` extractor alone over all documents, several rounds, and
//! prints tokens per second. A benchmark, not a test. With `NER_DUMP=FILE`
//! it also writes every entity found (document, label, byte span, score)
//! to FILE, to compare the output of a speed change with `cmp`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use document::{Document, Extractor};

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
        println!("throughput: skipped, no .txt files under {}", folder.display());
        return Ok(());
    }
    let mut documents: Vec<Document> = files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .enumerate()
        .map(|(index, bytes)| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut document = Document::new(index.to_string(), text);
            let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
            document.tokens = tokens;
            document.sentences = sentences;
            document
        })
        .collect();
    let tokens: usize = documents.iter().map(|document| document.tokens.len()).sum();
    let loading = Instant::now();
    let extractor = ner::NerExtractor::new(ner::embedded_tagger()?);
    println!("model and gazetteers loaded in {:.3} s", loading.elapsed().as_secs_f64());
    let rounds = 3;
    let mut best = f64::MAX;
    let mut entities = 0;
    for _ in 0..rounds {
        for document in &mut documents {
            document.annotations.clear();
        }
        let start = Instant::now();
        for document in &mut documents {
            extractor.extract(document)?;
        }
        best = best.min(start.elapsed().as_secs_f64());
        entities = documents.iter().map(|document| document.annotations.len()).sum();
    }
    if let Some(path) = std::env::var_os("NER_DUMP") {
        // Every token's tag and probability (its bits: exact), sentence by
        // sentence, as the extractor's tagger gives them.
        let tagger = ner::embedded_tagger()?;
        let mut dump = String::new();
        for document in &documents {
            let sentences: Vec<Vec<&str>> = document
                .sentences
                .iter()
                .map(|sentence| {
                    let tokens = document.sentence_tokens(sentence);
                    tokens.iter().map(|token| document.slice(token.span)).collect()
                })
                .collect();
            for tags in tagger.tag(&sentences) {
                for (tag, probability) in tags {
                    dump.push_str(&format!("{tag} {:08x}\n", probability.to_bits()));
                }
                dump.push('\n');
            }
        }
        std::fs::write(path, dump)?;
    }
    println!(
        "{} documents, {tokens} tokens, {entities} entities; best of {rounds}: {best:.3} s, \
         {:.0} tokens/s on one core",
        documents.len(),
        tokens as f64 / best
    );
    Ok(())
}
