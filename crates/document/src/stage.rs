//! The four stage traits. Each takes `&self` where it processes documents,
//! because one instance serves every worker thread at once; state that a
//! stage builds once (a model, a gazetteer) is shared read-only.

use std::sync::Arc;

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

    /// A digest of what the input is now (for files: each one's name, size
    /// and modification time), so that `runner run --resume` can refuse to
    /// continue over an input that changed. `None`: this reader cannot tell,
    /// and its runs cannot be resumed.
    fn fingerprint(&self) -> Option<u64> {
        None
    }

    /// Whether this reader honours [`BuildContext::shard`](crate::BuildContext::shard),
    /// reading only its shard's part of the input. A sharded run refuses a
    /// reader that does not (every shard would read everything).
    fn shardable(&self) -> bool {
        false
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
///
/// An exporter whose per-document work is mostly turning the document into
/// bytes (JSON, CSV rows) can hand that work to the worker threads by
/// returning an [`Encoder`] from [`Exporter::encoder`]; the one writing
/// thread then only appends the bytes, in input order
/// ([`Exporter::write_encoded`]). Exporters that do not keep `write`.
pub trait Exporter: Send {
    fn write(&mut self, document: &Document) -> anyhow::Result<()>;

    /// A shareable encoder doing what [`Exporter::write`] does to a document
    /// short of writing it. When there is one, the pipeline encodes each
    /// processed document on the worker that processed it and calls
    /// [`Exporter::write_encoded`] with the bytes instead of `write`, so both
    /// paths must write the same bytes. `None` (the default): `write` only.
    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        None
    }

    /// Writes what this exporter's [`Encoder`] made of one document. Called
    /// from one thread, in input order, like `write`; only called when
    /// [`Exporter::encoder`] gave an encoder.
    fn write_encoded(&mut self, _encoded: &[u8]) -> anyhow::Result<()> {
        anyhow::bail!("this exporter has no encoder")
    }

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

    /// Whether this exporter implements [`Exporter::checkpoint`] and
    /// [`Exporter::resume`], which `runner run --resume` needs.
    fn resumable(&self) -> bool {
        false
    }

    /// A commit point: makes everything written so far durable (flushed and
    /// synced, still under its temporary name) and says how long each
    /// temporary file is, so that an interrupted run can later be continued
    /// from here. Called between documents, only if [`Exporter::resumable`].
    fn checkpoint(&mut self) -> anyhow::Result<Vec<FileCheckpoint>> {
        anyhow::bail!("this exporter cannot make commit points")
    }

    /// Continues the temporary files of an interrupted run, cut back to the
    /// lengths of its last commit point, before any document is written.
    fn resume(&mut self, _files: &[FileCheckpoint]) -> anyhow::Result<()> {
        anyhow::bail!("this exporter cannot resume an interrupted run")
    }
}

/// The per-document part of an exporter that can run on any thread: turns
/// a processed document into the bytes [`Exporter::write_encoded`] writes.
/// Called on every worker thread at once, so it takes `&self`; it must be
/// deterministic (the bytes may depend on the document only).
pub trait Encoder: Send + Sync {
    /// Appends the encoding of `document` to `out` (empty when called). An
    /// error is treated like an error of [`Exporter::write`]: it stops the run.
    fn encode(&self, document: &Document, out: &mut Vec<u8>) -> anyhow::Result<()>;
}

/// One output file at a commit point: where it will go, and how many bytes
/// of its temporary file are durable.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileCheckpoint {
    pub target: std::path::PathBuf,
    pub length: u64,
}

/// FNV-1a, 64 bits: a hash that stays the same across Rust releases and
/// machines (unlike `std`'s `DefaultHasher`), for the fingerprints a
/// resumable run compares. Not for security.
#[derive(Clone, Copy, Debug)]
pub struct StableHasher(u64);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl StableHasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Writes `bytes` with its length first, so that `("ab", "c")` and
    /// `("a", "bc")` hash differently.
    pub fn write_field(&mut self, bytes: &[u8]) {
        self.write(&(bytes.len() as u64).to_le_bytes());
        self.write(bytes);
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}
