//! The parallel executor: batches in, documents out, in order.

use std::any::Any;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use std::sync::mpsc;

use anyhow::Context;
use document::{Document, DocumentStream, Exporter, Extractor, Failure, Tokenizer};
use rayon::prelude::*;

use crate::config::{Named, OnError, Pipeline, Settings};

/// Where a run stands, reported after every batch.
#[derive(Clone, Debug)]
pub struct Progress {
    pub documents: u64,
    pub bytes: u64,
    pub failed: u64,
    /// Size of the whole input, when the reader knows it.
    pub total_bytes: Option<u64>,
    pub elapsed: Duration,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub pipeline: String,
    pub threads: usize,
    /// Inputs handled: documents plus inputs the reader could not read.
    pub read: u64,
    pub written: u64,
    pub failed: u64,
    pub warnings: u64,
    pub words: u64,
    /// Bytes of document text processed.
    pub bytes: u64,
    pub annotations: BTreeMap<String, u64>,
    pub elapsed: Duration,
    pub outputs: Vec<PathBuf>,
    /// Why the run stopped early; outputs are not written then.
    pub aborted: Option<String>,
    /// The first failures, for the CLI to show.
    pub first_failures: Vec<Failure>,
}

impl Summary {
    pub fn words_per_second(&self) -> f64 {
        self.words as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn megabytes_per_second(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

const FAILURES_KEPT: usize = 10;

/// What travels between the stages: a batch, or the word that the input
/// ended normally. A channel that closes without `End` means something
/// upstream failed, and the writer then commits nothing.
enum Message<T> {
    Batch(Vec<T>),
    End,
}

/// A document after processing, with what must be recorded about it.
pub(crate) enum Outcome {
    Processed(Document),
    /// The document failed; `warnings` are those it had gathered before.
    Failed {
        failure: Failure,
        warnings: Vec<Failure>,
    },
}

impl Pipeline {
    /// Runs the pipeline. `threads` overrides the file's `threads` (0 = all
    /// cores). Errors are fatal problems (the input cannot be opened or
    /// read, an output cannot be written), after which no output is
    /// committed; a document that fails is counted in the summary instead.
    ///
    /// Three stages overlap: a reader thread fills the next batch while the
    /// worker pool processes the current one and a writer thread writes the
    /// previous one. Channels of one batch between them keep memory bounded
    /// (at most about five batches exist at once) and preserve input order.
    pub fn run(
        self,
        threads: Option<usize>,
        progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> anyhow::Result<Summary> {
        let started = Instant::now();
        let threads = match threads.unwrap_or(self.settings.threads) {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|index| format!("dateline-worker-{index}"))
            .build()
            .context("cannot start the worker threads")?;
        let Pipeline { name, settings, reader, tokenizer, extractors, exporters, .. } = self;
        let total_bytes = reader.component.total_bytes();
        let stream = reader
            .component
            .open()
            .with_context(|| format!("reader \"{}\" cannot open its input", reader.name))?;
        let batch_size = settings.batch_size;

        let (read_sender, read_receiver) = mpsc::sync_channel(1);
        let (done_sender, done_receiver) = mpsc::sync_channel(1);
        let writer = Writer {
            summary: Summary { pipeline: name, threads, ..Summary::default() },
            settings: &settings,
            exporters,
            total_bytes,
            started,
        };
        std::thread::scope(|scope| {
            let reading = std::thread::Builder::new()
                .name("dateline-reader".into())
                .spawn_scoped(scope, move || read_batches(stream, batch_size, &read_sender))
                .context("cannot start the reader thread")?;
            let writing = std::thread::Builder::new()
                .name("dateline-writer".into())
                .spawn_scoped(scope, move || writer.write_batches(&done_receiver, progress))
                .context("cannot start the writer thread")?;
            for message in read_receiver {
                let message = match message {
                    Message::Batch(batch) => Message::Batch(pool.install(|| {
                        batch
                            .into_par_iter()
                            .map(|item| match item {
                                Ok(document) => process(document, &tokenizer, &extractors),
                                Err(failure) => Outcome::Failed { failure, warnings: Vec::new() },
                            })
                            .collect()
                    })),
                    Message::End => Message::End,
                };
                if done_sender.send(message).is_err() {
                    break; // the writer stopped: an abort or a write error
                }
            }
            drop(done_sender);
            let written = writing.join().map_err(|payload| {
                anyhow::anyhow!("the writer panicked: {}", panic_message(&*payload))
            })?;
            let read = reading.join().map_err(|payload| {
                anyhow::anyhow!("the reader panicked: {}", panic_message(&*payload))
            })?;
            let mut summary = written?;
            // A reader error matters unless the run was stopped first; the
            // writer has committed nothing, since it never saw `End`.
            if summary.aborted.is_none() {
                read?;
            }
            summary.elapsed = started.elapsed();
            Ok(summary)
        })
    }
}

/// Fills batches from the reader and sends them on, then `End` once the
/// input is exhausted. An error or a panic in the reader stops the run: the
/// channel then closes without `End`.
fn read_batches(
    mut stream: DocumentStream<'_>,
    batch_size: usize,
    sender: &mpsc::SyncSender<Message<Result<Document, Failure>>>,
) -> anyhow::Result<()> {
    loop {
        let mut batch = Vec::with_capacity(batch_size.min(1024));
        let mut exhausted = false;
        while batch.len() < batch_size {
            let next = catch_unwind(AssertUnwindSafe(|| stream.next())).map_err(|payload| {
                anyhow::anyhow!("the reader panicked: {}", panic_message(&*payload))
            })?;
            match next {
                Some(item) => batch.push(item),
                None => {
                    exhausted = true;
                    break;
                }
            }
        }
        if !batch.is_empty() && sender.send(Message::Batch(batch)).is_err() {
            return Ok(()); // the run stopped downstream
        }
        if exhausted {
            let _ = sender.send(Message::End);
            return Ok(());
        }
    }
}

/// The writing end: exporters, counts and the abort rules.
struct Writer<'s> {
    summary: Summary,
    settings: &'s Settings,
    exporters: Vec<Named<dyn Exporter>>,
    total_bytes: Option<u64>,
    started: Instant,
}

impl Writer<'_> {
    /// Writes batches until `End`, then commits every exporter. Returning
    /// early (an abort, an error, a channel closed without `End`) drops the
    /// exporters, which removes their temporary files.
    fn write_batches(
        mut self,
        messages: &mpsc::Receiver<Message<Outcome>>,
        progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> anyhow::Result<Summary> {
        loop {
            let batch = match messages.recv() {
                Ok(Message::Batch(batch)) => batch,
                Ok(Message::End) => break,
                Err(_) => return Ok(self.summary), // upstream failed; it reports why
            };
            for outcome in batch {
                self.summary.read += 1;
                match outcome {
                    Outcome::Processed(document) => self.write(&document)?,
                    Outcome::Failed { failure, warnings } => {
                        for warning in &warnings {
                            self.warn(warning)?;
                        }
                        self.fail(failure)?;
                    }
                }
                if self.summary.aborted.is_some() {
                    return Ok(self.summary);
                }
            }
            progress(&Progress {
                documents: self.summary.read,
                bytes: self.summary.bytes,
                failed: self.summary.failed,
                total_bytes: self.total_bytes,
                elapsed: self.started.elapsed(),
            });
        }
        for exporter in self.exporters {
            let name = exporter.name;
            let written = exporter
                .component
                .finish()
                .with_context(|| format!("exporter \"{name}\" cannot finish"))?;
            self.summary.outputs.extend(written);
        }
        Ok(self.summary)
    }

    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        for warning in &document.warnings {
            self.warn(&Failure::warning(&document.id, &document.source, "reader", warning))?;
        }
        for exporter in &mut self.exporters {
            let name = &exporter.name;
            // A panic here is a bug in the exporter on this document: it
            // fails the document. An `Err` is an I/O error: it stops the run.
            match catch_unwind(AssertUnwindSafe(|| exporter.component.write(document))) {
                Ok(written) => written.with_context(|| format!("exporter \"{name}\" failed"))?,
                Err(payload) => {
                    let failure = Failure::error(
                        &document.id,
                        &document.source,
                        format!("exporter:{name}"),
                        format!("panicked: {}", panic_message(&*payload)),
                    );
                    return self.fail(failure);
                }
            }
        }
        let summary = &mut self.summary;
        summary.written += 1;
        summary.words += document.word_count() as u64;
        summary.bytes += document.text.len() as u64;
        for annotation in &document.annotations {
            match summary.annotations.get_mut(annotation.label.as_str()) {
                Some(count) => *count += 1,
                None => {
                    summary.annotations.insert(annotation.label.clone(), 1);
                }
            }
        }
        Ok(())
    }

    fn warn(&mut self, warning: &Failure) -> anyhow::Result<()> {
        for exporter in &mut self.exporters {
            record(exporter, warning)?;
        }
        self.summary.warnings += 1;
        Ok(())
    }

    fn fail(&mut self, failure: Failure) -> anyhow::Result<()> {
        tracing::debug!(id = %failure.id, stage = %failure.stage, "document failed: {}", failure.error);
        for exporter in &mut self.exporters {
            record(exporter, &failure)?;
        }
        let summary = &mut self.summary;
        summary.failed += 1;
        if self.settings.on_error == OnError::Abort {
            summary.aborted = Some(format!(
                "on_error = \"abort\": document \"{}\" failed in {}: {}",
                failure.id, failure.stage, failure.error
            ));
        } else if summary.failed > self.settings.max_errors as u64 {
            summary.aborted = Some(format!(
                "more than max_errors = {} documents failed",
                self.settings.max_errors
            ));
        }
        if summary.first_failures.len() < FAILURES_KEPT {
            summary.first_failures.push(failure);
        }
        Ok(())
    }
}

fn record(exporter: &mut Named<dyn Exporter>, failure: &Failure) -> anyhow::Result<()> {
    exporter
        .component
        .record_failure(failure)
        .with_context(|| format!("exporter \"{}\" cannot record a failure", exporter.name))
}

/// Tokenizes and runs every extractor on one document, isolating errors
/// and panics so that they fail this document only.
pub(crate) fn process(
    mut document: Document,
    tokenizer: &Named<dyn Tokenizer>,
    extractors: &[Named<dyn Extractor>],
) -> Outcome {
    let failed = |document: Document, stage: String, error: String| {
        let failure = Failure::error(&document.id, &document.source, stage, error);
        let warnings = document
            .warnings
            .iter()
            .map(|warning| Failure::warning(&document.id, &document.source, "reader", warning))
            .collect();
        Outcome::Failed { failure, warnings }
    };
    if let Err(error) = guarded(|| tokenizer.component.tokenize(&mut document)) {
        return failed(document, format!("tokenizer:{}", tokenizer.name), error);
    }
    for extractor in extractors {
        let first_new = document.annotations.len();
        let stage = || format!("extractor:{}", extractor.name);
        if let Err(error) = guarded(|| extractor.component.extract(&mut document)) {
            return failed(document, stage(), error);
        }
        // Extractors may push annotations directly; check them here so an
        // exporter is never handed an offset that does not slice the text.
        let new = document.annotations.get_mut(first_new..).unwrap_or_default();
        for annotation in new.iter_mut() {
            annotation.extractor.clone_from(&extractor.name);
        }
        let invalid = new.iter().find_map(|annotation| annotation.span.check(&document.text).err());
        if let Some(error) = invalid {
            return failed(document, stage(), format!("produced an invalid annotation: {error}"));
        }
    }
    Outcome::Processed(document)
}

fn guarded(stage: impl FnOnce() -> anyhow::Result<()>) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(stage)) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(format!("{error:#}")),
        Err(payload) => Err(format!("panicked: {}", panic_message(&*payload))),
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic without a message".to_string()
    }
}
