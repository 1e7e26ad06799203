//! Single-thread throughput of the temporal extractor alone.
//!
//! ```text
//! cargo run --release -p temporal --example temporal_throughput -- [DIR] [PASSES] [DCT]
//! ```
//!
//! Reads every file under `DIR` (default: `shared/data/bench/bbc` beside the
//! workspace), decodes it lossily, then finds the time expressions of every
//! file `PASSES` times (default 10) against the creation time `DCT`
//! (default 2005-06-01, within the corpus' years) and prints MB/s (10^6
//! bytes) and expressions per second. Reading and decoding are outside the
//! timed loop; no tokenizer runs, since the extractor scans on its own.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use document::{Date, Span};

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
    let dct: Date = args.next().as_deref().unwrap_or("2005-06-01").parse()?;

    let mut paths = Vec::new();
    collect(&dir, &mut paths).map_err(|error| format!("{}: {error}", dir.display()))?;
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .map(|path| std::fs::read(path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
        .collect::<Result<_, _>>()?;
    let bytes: usize = texts.iter().map(String::len).sum();

    // One untimed pass warms caches and counts.
    let found: usize = texts
        .iter()
        .map(|text| temporal::find_timexes(text, Span::new(0, text.len()), Some(dct)).len())
        .sum();

    let started = Instant::now();
    for _ in 0..passes {
        for text in &texts {
            black_box(temporal::find_timexes(black_box(text), Span::new(0, text.len()), Some(dct)));
        }
    }
    let seconds = started.elapsed().as_secs_f64();

    println!(
        "{} files, {:.2} MB, {found} expressions, {passes} passes in {seconds:.2} s",
        texts.len(),
        bytes as f64 / 1e6,
    );
    println!(
        "{:.1} MB/s, {:.0} expressions/s (temporal extractor alone, one thread)",
        (bytes * passes) as f64 / seconds / 1e6,
        (found * passes) as f64 / seconds
    );
    Ok(())
}
