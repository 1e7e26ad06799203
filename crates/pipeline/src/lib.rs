//! The pipeline: from a TOML file to documents written out.
//!
//! Three steps, each in its own module:
//!
//! 1. [`config`] reads the pipeline file and checks it *as a whole* before
//!    any document is read, the way Vector validates its configuration:
//!    every problem is collected (not just the first) and each names the
//!    file, the line, the component (`extractor[2] (kind = "dateline")`)
//!    and the key, with a "did you mean" for misspelt keys and kinds.
//! 2. The same pass builds every component through the
//!    [`Registry`](document::Registry) ([`builtin_registry`] knows every
//!    kind this workspace ships), so a component that rejects its options
//!    (a missing input path, say) is reported alongside syntax errors.
//! 3. [`executor`] streams the reader in batches of `batch_size` on a
//!    thread of its own; each batch is processed on a rayon pool and handed
//!    to a writer thread that writes in input order. Channels of one batch
//!    bound memory to a few batches whatever the corpus size, and the output
//!    is the same byte for byte whatever the thread count. Each document runs
//!    behind `catch_unwind`: an error or a panic in any stage fails that
//!    document alone, which is recorded with its stage in the errors file.
//!
//! 4. [`tests`] runs the `[[test]]` tables of a pipeline file through its
//!    tokenizer and extractors ([`Pipeline::run_tests`]).
//!
//! The crate never prints: progress goes to a callback and the run's
//! figures come back as a [`Summary`]; the CLI decides what to show.

pub mod bench;
pub mod config;
pub mod executor;
mod journal;
pub mod shard;
pub mod stage_clock;
pub mod tests;
mod workers;

pub use config::{
    ConfigError, ConfigErrors, OnError, Pipeline, Settings, TestPipeline, load, load_sharded,
    load_str, load_tests, load_tests_str,
};
pub use executor::{Progress, Resume, RunOptions, Summary};
pub use tests::{Expectation, PipelineTest, TestOutcome};

/// A registry with every component kind shipped in this workspace.
pub fn builtin_registry() -> document::Registry {
    let mut registry = document::Registry::new();
    reader::register(&mut registry);
    tokenizer::register(&mut registry);
    extractor::register(&mut registry);
    exporter::register(&mut registry);
    parquet_exporter::register(&mut registry);
    sqlite_exporter::register(&mut registry);
    registry
}
