//! The four stage traits. Each takes `&self` where it processes documents,
//! because one instance serves every worker thread at once; state that a
//! stage builds once (a model, a gazetteer) is shared read-only.

use crate::{Document, Failure};

/// The documents a reader yields, in a deterministic order. An input that
/// cannot become a document (unreadable, binary, malformed) is a
/// [`Failure`] item, and the stream goes on after it.
pub type DocumentStream<'a> = Box<dyn Iterator<Item = Result<Document, Failure>> + Send + 'a>;

pub trait Reader: Send + Sync {
    /// Lists the input and starts reading it. An error here means there is
    /// nothing to read at all and stops the run before it begins.
    fn open(&self) -> anyhow::Result<DocumentStream<'_>>;

    /// Total size of the input in bytes, when known, for progress and ETA.
    fn total_bytes(&self) -> Option<u64> {
        None
    }
}

/// Splits a document into [`Token`](crate::Token)s and
/// [`Sentence`](crate::Sentence)s. A tokenizer keeps tokens a reader
/// already supplied.
pub trait Tokenizer: Send + Sync {
    fn tokenize(&self, document: &mut Document) -> anyhow::Result<()>;
}

/// Finds facts and adds them with [`Document::annotate`]. It may read the
/// annotations of the extractors before it in the pipeline.
pub trait Extractor: Send + Sync {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()>;
}

/// Writes documents somewhere. Called from one thread, in input order.
///
/// Exporters must write atomically: nothing may appear at the final path
/// until [`Exporter::finish`] succeeds, so a killed or failed run never
/// leaves a file that looks complete. Building an exporter must not create
/// files (`runner validate` builds every component).
pub trait Exporter: Send {
    fn write(&mut self, document: &Document) -> anyhow::Result<()>;

    /// A document that failed in some stage, or a warning about one.
    fn record_failure(&mut self, _failure: &Failure) -> anyhow::Result<()> {
        Ok(())
    }

    /// The files this exporter will write, known when it is built, so that
    /// validation can refuse two exporters that would write the same file.
    fn outputs(&self) -> Vec<std::path::PathBuf> {
        Vec::new()
    }

    /// Flushes and moves the output into place; returns the paths written.
    fn finish(self: Box<Self>) -> anyhow::Result<Vec<std::path::PathBuf>>;
}
