//! The extractor over the whole BBC benchmark corpus in `../shared` (the
//! licensed data beside the workspace): nothing fails, every span slices
//! its text, every amount is a decimal string. Skips when the corpus is
//! absent.

use std::path::{Path, PathBuf};

use document::{Document, Extractor, Value};
use measures::MeasuresExtractor;

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "txt") {
            files.push(path);
        }
    }
}

#[test]
fn the_bbc_corpus_gives_well_formed_measures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/bench/bbc");
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return;
    }
    let mut files = Vec::new();
    collect(&dir, &mut files);
    let extractor = MeasuresExtractor::default();
    let mut found = 0;
    for path in &files {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let mut document = Document::new("bbc", text.as_str());
        extractor.extract(&mut document).unwrap();
        for annotation in &document.annotations {
            assert!(text.get(annotation.span.start..annotation.span.end).is_some());
            let value = annotation.value.as_ref().unwrap();
            let amount = value["amount"].as_str().unwrap();
            assert!(amount.bytes().all(|b| b.is_ascii_digit() || b == b'.'), "{amount}");
            if let Some(Value::Number(index)) = annotation.attr("equivalent_of") {
                let index = index.as_u64().unwrap() as usize;
                assert_eq!(document.annotations[index].label, "MONEY");
            }
        }
        found += document.annotations.len();
    }
    assert!(files.len() > 2000, "{} files", files.len());
    // About three measures per story; far fewer would mean a broken lexer.
    assert!(found > 5000, "{found} measures");
}
