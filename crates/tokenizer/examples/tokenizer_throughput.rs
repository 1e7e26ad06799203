//! Single-thread throughput of the `news` tokenizer.
//!
//! ```text
//! cargo run --release -p tokenizer --example tokenizer_throughput -- [DIR] [PASSES]
//! ```
//!
//! Reads every file under `DIR` (default: `shared/data/bench/bbc` beside the
//! workspace), decodes it lossily, then tokenizes every file `PASSES` times
//! (default 10) and prints MB/s (10^6 bytes) and tokens/s. Reading and
//! decoding are outside the timed loop.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use document::Span;

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
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/bench/bbc")
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

    // One untimed pass warms caches and counts.
    let (mut tokens, mut sentences) = (0, 0);
    for text in &texts {
        let (t, s) = tokenizer::tokenize(text, Span::new(0, text.len()));
        tokens += t.len();
        sentences += s.len();
    }

    let started = Instant::now();
    for _ in 0..passes {
        for text in &texts {
            black_box(tokenizer::tokenize(black_box(text), Span::new(0, text.len())));
        }
    }
    let seconds = started.elapsed().as_secs_f64();

    let total_bytes = (bytes * passes) as f64;
    let total_tokens = (tokens * passes) as f64;
    println!(
        "{} files, {:.2} MB, {tokens} tokens, {sentences} sentences, {passes} passes in {seconds:.2} s",
        texts.len(),
        bytes as f64 / 1e6,
    );
    println!(
        "{:.1} MB/s, {:.2} M tokens/s (tokens and sentences, one thread)",
        total_bytes / seconds / 1e6,
        total_tokens / seconds / 1e6
    );
    Ok(())
}
