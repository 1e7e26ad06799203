//! Per-stage timing for `runner bench`: how long each stage of a run
//! spends on the documents, by stage name.
//!
//! [`StageClock::instrument`] wraps every component of a built
//! [`Pipeline`] (the reader's stream, the tokenizer, each extractor, each
//! exporter) in a timing shell that forwards every call unchanged and adds
//! the time the call took to that stage's counter. Nothing in the executor
//! changes, so a pipeline that is not instrumented pays nothing at all, and
//! an instrumented one calls exactly the same components in the same order:
//! its output is byte for byte the same (a test checks it). Timing is
//! reported, never used to interpret text.
//!
//! A counter adds the monotonic time spent inside the stage's calls on the
//! thread that made them (the reader thread for the reader, the workers for
//! the tokenizer and extractors, the writer thread for exporters, plus the
//! workers for an exporter's [`Encoder`]), with two
//! clock reads and two relaxed atomic additions per call: about 50 ns per
//! document and stage. On a machine shared with other work, time inside a
//! call includes time the thread spent waiting for a core, so the figures
//! are shares of where the run went, not exact CPU times.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use document::{
    Document, DocumentStream, Encoder, Exporter, Extractor, Failure, FileCheckpoint, Reader,
    Tokenizer,
};

use crate::config::Pipeline;

/// Which stage a time belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageName {
    /// `reader`, `tokenizer`, `extractor` or `exporter`.
    pub stage: &'static str,
    /// The component's name in the pipeline file (its kind unless `name` is given).
    pub name: String,
    pub kind: &'static str,
}

impl StageName {
    /// `extractor:dateline`, or `extractor:careful (fragile)` when the name
    /// is not the kind.
    pub fn label(&self) -> String {
        if self.name == self.kind {
            format!("{}:{}", self.stage, self.name)
        } else {
            format!("{}:{} ({})", self.stage, self.name, self.kind)
        }
    }
}

/// The time one stage took over a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageTime {
    pub stage: StageName,
    /// Nanoseconds spent inside the stage's calls, summed over threads.
    pub nanos: u64,
    /// Calls timed (for the reader: items asked of its stream, plus `open`;
    /// for an exporter: the writer thread's calls, not its encoder's).
    pub calls: u64,
}

#[derive(Default)]
struct Slot {
    nanos: AtomicU64,
    calls: AtomicU64,
}

/// One stage's counter, shared by its timing shell and the clock.
#[derive(Clone, Default)]
struct Counter(Arc<Slot>);

impl Counter {
    fn time<R>(&self, call: impl FnOnce() -> R) -> R {
        let result = self.time_uncounted(call);
        self.0.calls.fetch_add(1, Ordering::Relaxed);
        result
    }

    /// Adds the time of `call` but not a call: for work done on a stage's
    /// behalf elsewhere (an exporter's encoding on the workers).
    fn time_uncounted<R>(&self, call: impl FnOnce() -> R) -> R {
        let started = Instant::now();
        let result = call();
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0.nanos.fetch_add(nanos, Ordering::Relaxed);
        result
    }
}

/// The counters of an instrumented pipeline, in pipeline order: reader,
/// tokenizer, extractors, exporters.
pub struct StageClock {
    stages: Vec<(StageName, Counter)>,
}

impl StageClock {
    /// Wraps every component of `pipeline` in a timing shell and returns
    /// the clock that reads their counters.
    pub fn instrument(pipeline: &mut Pipeline) -> StageClock {
        let mut stages = Vec::new();
        let mut counter = |stage: &'static str, name: &str, kind: &'static str| {
            let counter = Counter::default();
            stages.push((StageName { stage, name: name.to_string(), kind }, counter.clone()));
            counter
        };
        let reader = &mut pipeline.reader;
        let clock = counter("reader", &reader.name, reader.kind);
        wrap(&mut reader.component, Box::new(Detached), |inner| {
            Box::new(TimedReader { inner, counter: clock })
        });
        let tokenizer = &mut pipeline.tokenizer;
        let clock = counter("tokenizer", &tokenizer.name, tokenizer.kind);
        wrap(&mut tokenizer.component, Box::new(Detached), |inner| {
            Box::new(TimedTokenizer { inner, counter: clock })
        });
        for extractor in &mut pipeline.extractors {
            let clock = counter("extractor", &extractor.name, extractor.kind);
            wrap(&mut extractor.component, Box::new(Detached), |inner| {
                Box::new(TimedExtractor { inner, counter: clock })
            });
        }
        for exporter in &mut pipeline.exporters {
            let clock = counter("exporter", &exporter.name, exporter.kind);
            wrap(&mut exporter.component, Box::new(Detached), |inner| {
                Box::new(TimedExporter { inner, counter: clock })
            });
        }
        StageClock { stages }
    }

    /// The time of every stage so far, in pipeline order.
    pub fn times(&self) -> Vec<StageTime> {
        self.stages
            .iter()
            .map(|(stage, counter)| StageTime {
                stage: stage.clone(),
                nanos: counter.0.nanos.load(Ordering::Relaxed),
                calls: counter.0.calls.load(Ordering::Relaxed),
            })
            .collect()
    }
}

/// Replaces the component in `slot` by `shell(component)`.
pub(crate) fn wrap<T: ?Sized>(
    slot: &mut Box<T>,
    placeholder: Box<T>,
    shell: impl FnOnce(Box<T>) -> Box<T>,
) {
    let inner = std::mem::replace(slot, placeholder);
    *slot = shell(inner);
}

/// Stands in a slot for the instant between taking a component out and
/// putting its shell back; never called.
pub(crate) struct Detached;

impl Reader for Detached {
    fn open(&self) -> anyhow::Result<DocumentStream<'_>> {
        anyhow::bail!("a detached reader")
    }
}

impl Tokenizer for Detached {
    fn tokenize(&self, _: &mut Document) -> anyhow::Result<()> {
        anyhow::bail!("a detached tokenizer")
    }
}

impl Extractor for Detached {
    fn extract(&self, _: &mut Document) -> anyhow::Result<()> {
        anyhow::bail!("a detached extractor")
    }
}

impl Exporter for Detached {
    fn write(&mut self, _: &Document) -> anyhow::Result<()> {
        anyhow::bail!("a detached exporter")
    }
    fn finish(self: Box<Self>) -> anyhow::Result<Vec<std::path::PathBuf>> {
        anyhow::bail!("a detached exporter")
    }
}

struct TimedReader {
    inner: Box<dyn Reader>,
    counter: Counter,
}

impl Reader for TimedReader {
    fn open(&self) -> anyhow::Result<DocumentStream<'_>> {
        let stream = self.counter.time(|| self.inner.open())?;
        Ok(Box::new(TimedStream { inner: stream, counter: self.counter.clone() }))
    }

    fn total_bytes(&self) -> Option<u64> {
        self.inner.total_bytes()
    }

    fn fingerprint(&self) -> Option<u64> {
        self.inner.fingerprint()
    }

    fn shardable(&self) -> bool {
        self.inner.shardable()
    }
}

struct TimedStream<'a> {
    inner: DocumentStream<'a>,
    counter: Counter,
}

impl Iterator for TimedStream<'_> {
    type Item = Result<Document, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        self.counter.time(|| self.inner.next())
    }
}

struct TimedTokenizer {
    inner: Box<dyn Tokenizer>,
    counter: Counter,
}

impl Tokenizer for TimedTokenizer {
    fn tokenize(&self, document: &mut Document) -> anyhow::Result<()> {
        self.counter.time(|| self.inner.tokenize(document))
    }
}

struct TimedExtractor {
    inner: Box<dyn Extractor>,
    counter: Counter,
}

impl Extractor for TimedExtractor {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        self.counter.time(|| self.inner.extract(document))
    }
}

struct TimedExporter {
    inner: Box<dyn Exporter>,
    counter: Counter,
}

impl Exporter for TimedExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let counter = self.counter.clone();
        counter.time(|| self.inner.write(document))
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        let inner = self.inner.encoder()?;
        Some(Arc::new(TimedEncoder { inner, counter: self.counter.clone() }))
    }

    fn write_encoded(&mut self, encoded: &[u8]) -> anyhow::Result<()> {
        let counter = self.counter.clone();
        counter.time(|| self.inner.write_encoded(encoded))
    }

    fn record_failure(&mut self, failure: &Failure) -> anyhow::Result<()> {
        let counter = self.counter.clone();
        counter.time(|| self.inner.record_failure(failure))
    }

    fn outputs(&self) -> Vec<std::path::PathBuf> {
        self.inner.outputs()
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Vec<std::path::PathBuf>> {
        let TimedExporter { inner, counter } = *self;
        counter.time(|| inner.finish())
    }

    fn resumable(&self) -> bool {
        self.inner.resumable()
    }

    fn checkpoint(&mut self) -> anyhow::Result<Vec<FileCheckpoint>> {
        let counter = self.counter.clone();
        counter.time(|| self.inner.checkpoint())
    }

    fn resume(&mut self, files: &[FileCheckpoint]) -> anyhow::Result<()> {
        let counter = self.counter.clone();
        counter.time(|| self.inner.resume(files))
    }
}

/// An exporter's encoder, timed into the exporter's counter: the exporter's
/// time is its encoding on the workers plus its writing on the writer
/// thread; its calls stay those of the writer thread (one per document).
struct TimedEncoder {
    inner: Arc<dyn Encoder>,
    counter: Counter,
}

impl Encoder for TimedEncoder {
    fn encode(&self, document: &Document, out: &mut Vec<u8>) -> anyhow::Result<()> {
        self.counter.time_uncounted(|| self.inner.encode(document, out))
    }
}
