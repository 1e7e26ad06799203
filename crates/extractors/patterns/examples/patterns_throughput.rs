//! Single-thread throughput of the `patterns` extractor, with 100 and with
//! 100,000 terms, and with token patterns.
//!
//! ```text
//! cargo run --release -p patterns --example patterns_throughput -- [DIR] [PASSES] [ONLY]
//! ```
//!
//! Reads every file under `DIR` (default: `shared/data/bench/bbc` beside the
//! workspace; without it, prints a message and exits 0), decodes it
//! lossily and tokenizes it once with the `news` tokenizer. Then, for each
//! configuration, builds the extractor (the build's CPU time is printed:
//! it is the start-up cost) and runs it over every document `PASSES` times
//! (default 5) on one thread, printing MB/s (10^6 bytes of text) and the
//! matches per pass. Tokenizing is outside the timed loop: the pipeline
//! tokenizes once for every extractor.
//!
//! The terms are a few dozen real names (companies, organisations,
//! countries, people of the corpus's time) and synthetic names made by a
//! fixed pseudo-random generator, so every run uses the same lists.
//! `ONLY` runs the configurations whose name starts with it (`3 token`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use document::{BuildContext, Component, Document, Extractor, Tokenizer};
use patterns::{PatternsExtractor, PatternsOptions};

const REAL: &[&str] = &[
    "BBC",
    "Microsoft",
    "Apple",
    "Google",
    "Sony",
    "Nintendo",
    "Yahoo",
    "Vodafone",
    "British Airways",
    "Deutsche Bank",
    "General Motors",
    "Ford",
    "Toyota",
    "Yukos",
    "Gazprom",
    "WorldCom",
    "Enron",
    "Labour",
    "Conservatives",
    "Liberal Democrats",
    "European Union",
    "EU",
    "United Nations",
    "UN",
    "World Bank",
    "IMF",
    "Bank of England",
    "Federal Reserve",
    "Tony Blair",
    "Gordon Brown",
    "Michael Howard",
    "Charles Kennedy",
    "George W Bush",
    "Chelsea",
    "Arsenal",
    "Manchester United",
    "Liverpool",
    "England",
    "Wales",
    "Scotland",
    "Ireland",
    "France",
    "Germany",
    "China",
    "Japan",
    "India",
    "United States",
    "US",
    "Iraq",
    "Russia",
    "London",
    "New York",
    "Oscar",
    "Grammy",
];

/// Deterministic made-up names: one to three title-case words of two to
/// four syllables.
fn synthetic(count: usize) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ka", "ro", "vel", "tan", "mi", "zor", "el", "qua", "dri", "po", "nex", "lu", "sha", "ber",
        "tis", "gon", "ar", "phy", "ix", "um", "cor", "den", "sol", "vay",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    (0..count)
        .map(|_| {
            let words = 1 + next(3);
            let mut name = String::new();
            for w in 0..words {
                if w > 0 {
                    name.push(' ');
                }
                let mut word = String::new();
                for _ in 0..2 + next(3) {
                    word.push_str(SYLLABLES[next(SYLLABLES.len())]);
                }
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    name.extend(first.to_uppercase());
                    name.push_str(chars.as_str());
                }
            }
            name
        })
        .collect()
}

fn terms(count: usize) -> Vec<String> {
    let mut terms: Vec<String> = REAL.iter().map(|t| t.to_string()).collect();
    terms.extend(synthetic(count.saturating_sub(terms.len())));
    terms
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "txt") {
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
        None => 5,
    };
    let only = args.next().unwrap_or_default();
    if !dir.exists() {
        println!(
            "skipped: {} is absent (../shared is only on CI and developer machines)",
            dir.display()
        );
        return Ok(());
    }
    let mut paths = Vec::new();
    collect(&dir, &mut paths).map_err(|error| format!("{}: {error}", dir.display()))?;
    paths.sort();
    let tokenizer = tokenizer::NewsTokenizer::default();
    let mut documents = Vec::with_capacity(paths.len());
    for path in &paths {
        let text = String::from_utf8_lossy(&std::fs::read(path)?).into_owned();
        let mut document = Document::new(path.display().to_string(), text);
        tokenizer.tokenize(&mut document)?;
        documents.push(document);
    }
    let bytes: usize = documents.iter().map(|d| d.text.len()).sum();
    let tokens: usize = documents.iter().map(|d| d.tokens.len()).sum();
    println!(
        "{} files, {:.2} MB, {tokens} tokens, {passes} passes per configuration, one thread",
        documents.len(),
        bytes as f64 / 1e6
    );

    let options = |terms: Vec<String>, case_sensitive: bool, patterns: Vec<&str>| PatternsOptions {
        label: "X".into(),
        terms,
        terms_file: None,
        case_sensitive,
        patterns: patterns.into_iter().map(String::from).collect(),
    };
    let company = r"[is_title]+ [text=/Inc\.?|Corp\.?|Ltd\.?|plc|Group/]";
    let party = r#"[lower="the"]? [is_title]+ [lower=/party|union|association|council/]"#;
    let share =
        r#"[kind="number"] ([lower="percent"] | [text="%"] | [lower="per"] [lower="cent"])"#;
    let configurations = [
        ("100 terms", options(terms(100), true, vec![])),
        ("100,000 terms", options(terms(100_000), true, vec![])),
        ("100,000 terms, case_sensitive = false", options(terms(100_000), false, vec![])),
        ("3 token patterns", options(vec![], true, vec![company, party, share])),
        (
            "100,000 terms + 3 token patterns",
            options(terms(100_000), true, vec![company, party, share]),
        ),
    ];
    let context = BuildContext::new(".", "bench");
    for (name, options) in configurations {
        if !name.starts_with(only.as_str()) {
            continue;
        }
        let build_cpu_started = thread_cpu_seconds();
        let extractor = PatternsExtractor::build(options, &context)?;
        let build_cpu =
            thread_cpu_seconds().zip(build_cpu_started).map_or(0.0, |(end, start)| end - start);
        // One untimed pass warms caches and counts the matches.
        let mut matches = 0;
        for document in &mut documents {
            document.annotations.clear();
            extractor.extract(document)?;
            matches += document.annotations.len();
        }
        let cpu_started = thread_cpu_seconds();
        let started = Instant::now();
        for _ in 0..passes {
            for document in documents.iter_mut() {
                document.annotations.clear();
                extractor.extract(black_box(document))?;
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        let cpu = thread_cpu_seconds().zip(cpu_started).map(|(end, start)| end - start);
        let total = (bytes * passes) as f64 / 1e6;
        let cpu_rate =
            cpu.map_or(String::new(), |cpu| format!(", {:.1} MB/s of CPU time", total / cpu));
        println!(
            "{name:<40} built in {build_cpu:>6.3} s of CPU; {:>7.1} MB/s wall{cpu_rate}; {matches} matches",
            total / seconds
        );
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
