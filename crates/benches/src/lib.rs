//! Fixtures for `cargo bench -p dateline-benches`: the criterion
//! micro-benchmarks of each stage (`benches/stages.rs`).
//!
//! The fixed input is the two seed articles in `seeds/` (committed with the
//! project); when `../shared/data/bench/bbc` is beside the checkout, the
//! first [`BBC_SAMPLE`] of its files (in path order) are a second input,
//! and the benchmarks that use it are skipped without it. Every component
//! is built from one pipeline file, [`NEWS`], as the runner builds it, so
//! that each stage is measured with the options it has in
//! `pipelines/news.toml`.

use std::path::{Path, PathBuf};

use document::Document;
use pipeline::Pipeline;

/// How many BBC files the optional second input takes.
pub const BBC_SAMPLE: usize = 200;

/// The stages of `pipelines/news.toml`, reading `{input}`, writing into `{out}`.
pub const NEWS: &str = r#"
[pipeline]
name = "bench"

[reader]
kind = "text"
path = "{input}"

[tokenizer]
kind = "news"

[[extractor]]
kind = "dateline"
[[extractor]]
kind = "temporal"
[[extractor]]
kind = "measures"
[[extractor]]
kind = "ner"
[[extractor]]
kind = "entities"
[[extractor]]
kind = "quotes"

[[exporter]]
kind = "jsonl"
path = "{out}/bench.jsonl"
"#;

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seed articles' folder.
pub fn seeds() -> PathBuf {
    root().join("seeds")
}

/// The BBC corpus beside the checkout, or `None` with a one-line message.
pub fn bbc() -> Option<PathBuf> {
    let path = root().join("../shared/data/bench/bbc");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent (the BBC benchmarks need ../shared)", path.display());
        None
    }
}

/// A scratch folder for exporter output, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("dateline-benches-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    if let Err(error) = std::fs::create_dir_all(&folder) {
        panic!("cannot create {}: {error}", folder.display());
    }
    folder
}

/// The news pipeline over `input`, writing into `out`.
pub fn news_pipeline(input: &Path, out: &Path) -> Pipeline {
    let source = NEWS
        .replace("{input}", &input.display().to_string())
        .replace("{out}", &out.display().to_string());
    let registry = pipeline::builtin_registry();
    match pipeline::load_str(&source, &root().join("pipelines/bench.toml"), &registry) {
        Ok(pipeline) => pipeline,
        Err(errors) => panic!("the benchmark pipeline does not build: {errors}"),
    }
}

/// Every document the pipeline's reader yields, at most `limit`.
pub fn documents(pipeline: &Pipeline, limit: usize) -> Vec<Document> {
    let stream = match pipeline.reader.component.open() {
        Ok(stream) => stream,
        Err(error) => panic!("the reader cannot open its input: {error:#}"),
    };
    stream.filter_map(Result::ok).take(limit).collect()
}

/// Whitespace-separated words of the documents (the harness's one definition).
pub fn words(documents: &[Document]) -> u64 {
    documents.iter().map(|document| pipeline::bench::count_words(&document.text)).sum()
}

/// The documents after the tokenizer and the first `extractors` extractors:
/// the input that the next extractor sees in a run.
pub fn staged(pipeline: &Pipeline, documents: &[Document], extractors: usize) -> Vec<Document> {
    let mut documents = documents.to_vec();
    for document in &mut documents {
        let run = pipeline.tokenizer.component.tokenize(document).and_then(|()| {
            pipeline.extractors[..extractors]
                .iter()
                .try_for_each(|extractor| extractor.component.extract(document))
        });
        if let Err(error) = run {
            panic!("document {} fails: {error:#}", document.id);
        }
    }
    documents
}
