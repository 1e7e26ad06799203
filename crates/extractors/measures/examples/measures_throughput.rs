//! Single-thread throughput of the `measures` extractor.
//!
//! ```text
//! cargo run --release -p measures --example measures_throughput -- [DIR] [PASSES]
//! ```
//!
//! Reads every file under `DIR` (default: `shared/data/bench/bbc` beside the
//! workspace), decodes it lossily, then runs the extractor over every file
//! `PASSES` times (default 10) on one thread and prints MB/s (10^6 bytes)
//! and the annotations per label. Reading, decoding and building the
//! documents are outside the timed loop; the extractor lexes the text
//! itself, so no tokenizer runs.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use document::{Document, Extractor};
use measures::MeasuresExtractor;

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/bench/bbc")
    });
    let passes: usize = match args.next() {
        Some(text) => text.parse().map_err(|_| format!("PASSES must be a number, not `{text}`"))?,
        None => 10,
    };

    let mut paths = Vec::new();
    collect(&dir, &mut paths).map_err(|error| format!("{}: {error}", dir.display()))?;
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .map(|path| std::fs::read(path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
        .collect::<Result<_, _>>()?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let extractor = MeasuresExtractor::default();

    // One untimed pass warms caches and counts.
    let mut labels = std::collections::BTreeMap::<String, usize>::new();
    for text in &texts {
        let mut document = Document::new("bench", text.as_str());
        extractor.extract(&mut document)?;
        for annotation in document.annotations {
            *labels.entry(annotation.label).or_default() += 1;
        }
    }

    // Documents are built before the clock starts, so the loop times the
    // extractor and the annotations it allocates, nothing else.
    let mut documents: Vec<Vec<Document>> = (0..passes)
        .map(|_| texts.iter().map(|text| Document::new("bench", text.as_str())).collect())
        .collect();
    let cpu_started = thread_cpu_seconds();
    let started = Instant::now();
    for pass in &mut documents {
        for document in pass.iter_mut() {
            extractor.extract(black_box(document))?;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = thread_cpu_seconds().zip(cpu_started).map(|(end, start)| end - start);
    black_box(&documents);

    println!(
        "{} files, {:.2} MB, {passes} passes in {seconds:.2} s; per pass: {labels:?}",
        texts.len(),
        bytes as f64 / 1e6,
    );
    let total = (bytes * passes) as f64 / 1e6;
    println!("{:.1} MB/s wall clock (measures extractor, one thread)", total / seconds);
    if let Some(cpu) = cpu_seconds {
        // On a shared machine the wall clock also counts time spent
        // waiting for a core; the thread's own CPU time does not.
        println!("{:.1} MB/s of CPU time ({cpu:.2} s on the CPU)", total / cpu);
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
