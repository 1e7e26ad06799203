//! Single-thread throughput of the `quotes` extractor.
//!
//! ```text
//! cargo run --release -p quotes --example quotes_throughput -- [DIR] [PASSES]
//! ```
//!
//! Reads every `.txt` file under `DIR` (default: `shared/data/bench/bbc`
//! beside the workspace; skips with a message when it is absent), runs the
//! `news` tokenizer and the embedded `ner` model over each once, untimed
//! (the quotes extractor reads their tokens, sentences and names), then
//! times the quotes extractor alone over every document `PASSES` times
//! (default 5) on one thread and prints MB/s (10^6 bytes of text) of the
//! best pass, by the wall clock and by the thread's CPU time (on a shared
//! machine the wall clock also counts waiting for a core), and the quotes
//! per kind.

use std::collections::BTreeMap;
use std::hint::black_box;
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
    let mut args = std::env::args().skip(1);
    let folder = args.next().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/bench/bbc")
    });
    let passes: usize = match args.next() {
        Some(text) => {
            text.parse().map_err(|_| anyhow::anyhow!("PASSES must be a number, not `{text}`"))?
        }
        None => 5,
    };
    let mut files = Vec::new();
    collect(&folder, &mut files);
    if files.is_empty() {
        println!("quotes_throughput: skipped, no .txt files under {}", folder.display());
        return Ok(());
    }
    let ner = ner::NerExtractor::new(ner::embedded_tagger()?);
    let prepared: Vec<Document> = files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .map(|bytes| -> anyhow::Result<Document> {
            let mut document = Document::new("bench", String::from_utf8_lossy(&bytes).into_owned());
            let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
            document.tokens = tokens;
            document.sentences = sentences;
            ner.extract(&mut document)?;
            Ok(document)
        })
        .collect::<anyhow::Result<_>>()?;
    let bytes: usize = prepared.iter().map(|document| document.text.len()).sum();
    let extractor = quotes::QuotesExtractor::default();

    // One untimed pass counts the quotes.
    let mut kinds = BTreeMap::<String, usize>::new();
    let mut with_speaker = 0;
    for document in &prepared {
        let mut document = document.clone();
        let before = document.annotations.len();
        extractor.extract(&mut document)?;
        for annotation in &document.annotations[before..] {
            let value = annotation.value.clone().unwrap_or_default();
            *kinds.entry(value["kind"].as_str().unwrap_or("").to_string()).or_default() += 1;
            with_speaker += usize::from(!value["speaker"].is_null());
        }
    }

    // The copies are made before the clock starts, so the loop times the
    // extractor and the annotations it allocates, nothing else.
    let mut copies: Vec<Vec<Document>> = (0..passes).map(|_| prepared.clone()).collect();
    // Each pass is timed on its own and the best is kept: on a shared
    // machine the others are slowed by whoever else runs.
    let mut best_wall = f64::MAX;
    let mut best_cpu: Option<f64> = None;
    let mut seconds = 0.0;
    for pass in &mut copies {
        let cpu_started = thread_cpu_seconds();
        let started = Instant::now();
        for document in pass.iter_mut() {
            extractor.extract(black_box(document))?;
        }
        let wall = started.elapsed().as_secs_f64();
        seconds += wall;
        best_wall = best_wall.min(wall);
        if let Some(cpu) = thread_cpu_seconds().zip(cpu_started).map(|(end, start)| end - start) {
            best_cpu = Some(best_cpu.map_or(cpu, |best: f64| best.min(cpu)));
        }
    }
    black_box(&copies);

    let total: usize = kinds.values().sum();
    println!(
        "{} files, {:.2} MB, {passes} passes in {seconds:.2} s; per pass {total} quotes {kinds:?}, {with_speaker} with a speaker",
        prepared.len(),
        bytes as f64 / 1e6,
    );
    let megabytes = bytes as f64 / 1e6;
    println!(
        "{:.1} MB/s wall clock, best pass ({:.1} MB/s over all passes; quotes extractor, one thread)",
        megabytes / best_wall,
        megabytes * passes as f64 / seconds
    );
    if let Some(cpu) = best_cpu {
        println!("{:.1} MB/s of CPU time, best pass ({cpu:.3} s on the CPU)", megabytes / cpu);
    }
    Ok(())
}

/// The CPU time of this thread so far, from Linux's
/// `/proc/thread-self/schedstat` (nanoseconds on the CPU); `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}
