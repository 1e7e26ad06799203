//! The parallel executor: batches in, documents out, in order.

use std::any::Any;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::sync::mpsc;

use anyhow::Context;
use document::{Document, DocumentStream, Encoder, Exporter, Extractor, Failure, Tokenizer};

use crate::config::{Named, OnError, Pipeline, Settings};
use crate::journal::{self, Counts, Journal, JournalGuard};
use crate::workers::{Stages, Watch, Workers};

/// How a run treats what an interrupted run with the same outputs left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Resume {
    /// Start from the beginning (what an interrupted run wrote is discarded).
    #[default]
    Never,
    /// Continue from the last commit point (`--resume`); refuse if the
    /// pipeline file or the input changed.
    Continue,
    /// Continue if possible, else start over (`--resume --force`).
    ContinueOrRestart,
}

/// How to run a pipeline.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Worker threads; overrides the file's `threads` (0 = every core).
    pub threads: Option<usize>,
    pub resume: Resume,
}

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
    /// Reader items skipped because an interrupted run had written them,
    /// and the words and bytes among them (counted in `words` and `bytes`
    /// but not in this run's throughput).
    pub resumed_after: u64,
    pub resumed_words: u64,
    pub resumed_bytes: u64,
    /// The first failures, for the CLI to show.
    pub first_failures: Vec<Failure>,
}

impl Summary {
    /// Words processed by this run (not by the interrupted run it resumed)
    /// per second.
    pub fn words_per_second(&self) -> f64 {
        self.words.saturating_sub(self.resumed_words) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn megabytes_per_second(&self) -> f64 {
        self.bytes.saturating_sub(self.resumed_bytes) as f64
            / 1e6
            / self.elapsed.as_secs_f64().max(1e-9)
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
    Processed(Ready),
    Failed(Failed),
}

/// A document that failed; `warnings` are those it had gathered before.
pub(crate) struct Failed {
    pub failure: Failure,
    pub warnings: Vec<Failure>,
}

/// A processed document with the per-document work of the writer done on
/// the worker thread: each exporter's bytes when the exporter has an
/// [`Encoder`], and the counts for the summary. The writer thread is left
/// with the ordered appends, so that it does not cap how far the workers
/// scale.
pub(crate) struct Ready {
    /// The document, for the exporters that write it themselves. `None`
    /// when every exporter has encoded it: it was then dropped on the
    /// worker, whose allocator made most of it (freeing it on the writer
    /// thread was three quarters of what was left of that thread's work).
    document: Option<Box<Document>>,
    id: String,
    source: String,
    warnings: Vec<String>,
    /// One per exporter, in pipeline order.
    encoded: Vec<Encoded>,
    words: u64,
    bytes: u64,
    /// The number of annotations of each label, labels in order of first
    /// appearance.
    labels: Vec<(String, u64)>,
}

/// What a worker made of a processed document for one exporter.
pub(crate) enum Encoded {
    /// The exporter has no encoder: the writer calls [`Exporter::write`].
    Document,
    Bytes(Vec<u8>),
    /// The encoder failed: an error of the exporter, as from `write`.
    Error(anyhow::Error),
    /// The encoder panicked on this document: a bug that fails it.
    Panicked(String),
}

/// An exporter's encoder, shared by the workers.
pub(crate) struct Encoding {
    /// The exporter's name, for the stage of a document that times out.
    pub name: String,
    pub encoder: Option<Arc<dyn Encoder>>,
}

/// Encodes a processed document for every exporter that has an encoder
/// (`first_stage` numbers the exporters for the watchdog) and counts what
/// the summary counts, on the worker that processed it.
pub(crate) fn prepare(
    mut document: Document,
    encodings: &[Encoding],
    watch: &Watch,
    first_stage: usize,
) -> Ready {
    let encoded: Vec<Encoded> = encodings
        .iter()
        .enumerate()
        .map(|(index, encoding)| {
            let Some(encoder) = &encoding.encoder else { return Encoded::Document };
            watch.enter_stage(first_stage + index);
            let mut bytes = Vec::new();
            match catch_unwind(AssertUnwindSafe(|| encoder.encode(&document, &mut bytes))) {
                Ok(Ok(())) => Encoded::Bytes(bytes),
                Ok(Err(error)) => Encoded::Error(error),
                Err(payload) => Encoded::Panicked(panic_message(&*payload)),
            }
        })
        .collect();
    let keep = encoded.iter().any(|encoded| matches!(encoded, Encoded::Document));
    let mut labels: Vec<(String, u64)> = Vec::new();
    for annotation in &mut document.annotations {
        match labels.iter_mut().find(|(label, _)| *label == annotation.label) {
            Some((_, count)) => *count += 1,
            None if keep => labels.push((annotation.label.clone(), 1)),
            None => labels.push((std::mem::take(&mut annotation.label), 1)),
        }
    }
    let words = document.word_count() as u64;
    let bytes = document.text.len() as u64;
    if keep {
        Ready {
            id: document.id.clone(),
            source: document.source.clone(),
            warnings: document.warnings.clone(),
            document: Some(Box::new(document)),
            encoded,
            words,
            bytes,
            labels,
        }
    } else {
        Ready {
            id: std::mem::take(&mut document.id),
            source: std::mem::take(&mut document.source),
            warnings: std::mem::take(&mut document.warnings),
            document: None,
            encoded,
            words,
            bytes,
            labels,
        }
    }
}

impl Pipeline {
    /// Runs the pipeline. Errors are fatal problems (the input cannot be opened or
    /// read, an output cannot be written), after which no output is
    /// committed; a document that fails is counted in the summary instead.
    ///
    /// Three stages overlap: a reader thread fills the next batch while the
    /// worker pool processes the current one (and the one after it, queued
    /// so that the workers never wait at the end of a batch) and a writer
    /// thread writes the previous one. Channels of one batch between them
    /// keep memory bounded (at most about six batches exist at once) and
    /// preserve input order.
    /// Exporters with an [`Encoder`] have each document encoded on its
    /// worker ([`prepare`]), so the writer thread only appends bytes.
    pub fn run(
        self,
        options: &RunOptions,
        progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> anyhow::Result<Summary> {
        let started = Instant::now();
        let threads = match options.threads.unwrap_or(self.settings.threads) {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        };
        let Pipeline { file, fingerprint, name, settings, reader, tokenizer, extractors, .. } =
            self;
        let mut exporters = self.exporters;
        let total_bytes = reader.component.total_bytes();
        let mut summary = Summary { pipeline: name, threads, ..Summary::default() };
        let commit_points = plan_commit_points(
            &file,
            fingerprint,
            &settings,
            &reader,
            &mut exporters,
            options.resume,
            &mut summary,
        )?;
        let skip = summary.resumed_after;
        let encodings = exporters
            .iter()
            .map(|exporter| Encoding {
                name: exporter.name.clone(),
                encoder: exporter.component.encoder(),
            })
            .collect();
        let stages = Stages { tokenizer, extractors, encodings };
        let mut workers = Workers::new(threads, stages, settings.max_document_ms)?;
        let stream = reader
            .component
            .open()
            .with_context(|| format!("reader \"{}\" cannot open its input", reader.name))?;
        let batch_size = settings.batch_size;

        let (read_sender, read_receiver) = mpsc::sync_channel(1);
        let (done_sender, done_receiver) = mpsc::sync_channel(1);
        let writer =
            Writer { summary, settings: &settings, exporters, total_bytes, started, commit_points };
        std::thread::scope(|scope| {
            let reading = std::thread::Builder::new()
                .name("dateline-reader".into())
                .spawn_scoped(scope, move || read_batches(stream, skip, batch_size, &read_sender))
                .context("cannot start the reader thread")?;
            let writing = std::thread::Builder::new()
                .name("dateline-writer".into())
                .spawn_scoped(scope, move || writer.write_batches(&done_receiver, progress))
                .context("cannot start the writer thread")?;
            let stopped = dispatch(&mut workers, read_receiver, &done_sender).err();
            // Closing both channels stops the reader and, without `End`,
            // makes the writer commit nothing.
            drop(done_sender);
            let written = writing.join().map_err(|payload| {
                anyhow::anyhow!("the writer panicked: {}", panic_message(&*payload))
            })?;
            let read = reading.join().map_err(|payload| {
                anyhow::anyhow!("the reader panicked: {}", panic_message(&*payload))
            })?;
            if let Some(error) = stopped {
                return Err(error);
            }
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

/// Hands the reader's batches to the workers and their outcomes, in input
/// order, to the writer. The next batch is queued before the dispatcher
/// waits for the one before it, whenever the reader has it ready, so the
/// workers do not wait at the end of each batch. Returns when the input is
/// written, the reader failed (its channel closed without `End`), or the
/// writer stopped; an error stops the run.
fn dispatch(
    workers: &mut Workers,
    // Owned: dropping it when the dispatcher stops early unblocks the reader.
    batches: mpsc::Receiver<Message<Result<Document, Failure>>>,
    done: &mpsc::SyncSender<Message<Outcome>>,
) -> anyhow::Result<()> {
    let mut ended = false;
    loop {
        while !ended && workers.in_flight() < 2 {
            let message = if workers.in_flight() == 0 {
                batches.recv().ok()
            } else {
                match batches.try_recv() {
                    Ok(message) => Some(message),
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => None,
                }
            };
            match message {
                Some(Message::Batch(batch)) => workers.submit(batch),
                Some(Message::End) => ended = true,
                None => return Ok(()), // the reader failed; it reports why
            }
        }
        let Some(outcomes) = workers.finish_oldest()? else { break };
        if done.send(Message::Batch(outcomes)).is_err() {
            return Ok(()); // the writer stopped: an abort or a write error
        }
    }
    let _ = done.send(Message::End);
    Ok(())
}

/// Fills batches from the reader and sends them on, then `End` once the
/// input is exhausted. An error or a panic in the reader stops the run: the
/// channel then closes without `End`.
fn read_batches(
    mut stream: DocumentStream<'_>,
    skip: u64,
    batch_size: usize,
    sender: &mpsc::SyncSender<Message<Result<Document, Failure>>>,
) -> anyhow::Result<()> {
    // Items an interrupted run already wrote: read (the reader's state, such
    // as the ids it has seen, must be the same) but not processed again.
    for _ in 0..skip {
        let next = catch_unwind(AssertUnwindSafe(|| stream.next())).map_err(|payload| {
            anyhow::anyhow!("the reader panicked: {}", panic_message(&*payload))
        })?;
        if next.is_none() {
            break;
        }
    }
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
    commit_points: CommitPoints,
}

/// Where and how often the writer records commit points.
struct CommitPoints {
    /// `None` when the run cannot be resumed (see [`plan_commit_points`]).
    journal: Option<(PathBuf, Journal)>,
    every: usize,
    batches_since: usize,
    /// Removes the journal when the writer is done, whatever the outcome.
    journal_guard: JournalGuard,
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
                    Outcome::Processed(ready) => self.write(ready)?,
                    Outcome::Failed(Failed { failure, warnings }) => {
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
            self.commit_point()?;
        }
        // The input is all written: the journal goes before the outputs are
        // renamed into place, so a kill from here on never leaves a journal
        // pointing at temporary files that became outputs. (A kill during
        // the renames leaves complete files; the next run writes them anew.)
        self.commit_points.journal_guard.remove();
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

    /// After a batch: every `checkpoint_every` batches, exporters make their
    /// output durable, then the journal records how far that is.
    fn commit_point(&mut self) -> anyhow::Result<()> {
        let points = &mut self.commit_points;
        let Some((path, journal)) = &mut points.journal else { return Ok(()) };
        points.batches_since += 1;
        if points.batches_since < points.every {
            return Ok(());
        }
        points.batches_since = 0;
        let mut files = Vec::with_capacity(self.exporters.len());
        for exporter in &mut self.exporters {
            let checkpoint = exporter.component.checkpoint().with_context(|| {
                format!("exporter \"{}\" cannot make a commit point", exporter.name)
            })?;
            files.push(checkpoint);
        }
        journal.items = self.summary.read;
        journal.counts = Counts::of(&self.summary);
        journal.exporters = files;
        journal.write(path)
    }

    fn write(&mut self, ready: Ready) -> anyhow::Result<()> {
        let Ready { document, id, source, warnings, encoded, words, bytes, labels } = ready;
        for warning in &warnings {
            self.warn(&Failure::warning(&id, &source, "reader", warning))?;
        }
        let mut encoded = encoded.into_iter();
        for exporter in &mut self.exporters {
            let name = &exporter.name;
            let component = &mut exporter.component;
            // A panic here is a bug in the exporter on this document: it
            // fails the document. An `Err` is an I/O error: it stops the run.
            let written = match (encoded.next().unwrap_or(Encoded::Document), &document) {
                (Encoded::Document, Some(document)) => {
                    catch_unwind(AssertUnwindSafe(|| component.write(document)))
                        .map_err(|payload| panic_message(&*payload))
                }
                (Encoded::Document, None) => {
                    anyhow::bail!("exporter \"{name}\" has no document to write (a bug)")
                }
                (Encoded::Bytes(bytes), _) => {
                    catch_unwind(AssertUnwindSafe(|| component.write_encoded(&bytes)))
                        .map_err(|payload| panic_message(&*payload))
                }
                (Encoded::Error(error), _) => Ok(Err(error)),
                (Encoded::Panicked(message), _) => Err(message),
            };
            match written {
                Ok(written) => written.with_context(|| format!("exporter \"{name}\" failed"))?,
                Err(message) => {
                    let failure = Failure::error(
                        &id,
                        &source,
                        format!("exporter:{name}"),
                        format!("panicked: {message}"),
                    );
                    return self.fail(failure);
                }
            }
        }
        let summary = &mut self.summary;
        summary.written += 1;
        summary.words += words;
        summary.bytes += bytes;
        for (label, count) in labels {
            match summary.annotations.get_mut(label.as_str()) {
                Some(total) => *total += count,
                None => {
                    summary.annotations.insert(label, count);
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

/// Decides whether this run records commit points, and with `--resume`
/// continues an interrupted run: its exporters reopen their temporary files
/// at the last commit point, and `summary` takes over its counts (with
/// `resumed_after`, the reader items to skip).
fn plan_commit_points(
    file: &std::path::Path,
    fingerprint: u64,
    settings: &Settings,
    reader: &Named<dyn document::Reader>,
    exporters: &mut [Named<dyn Exporter>],
    resume: Resume,
    summary: &mut Summary,
) -> anyhow::Result<CommitPoints> {
    let first_output =
        exporters.first().and_then(|exporter| exporter.component.outputs().into_iter().next());
    let journal_path = first_output.as_deref().and_then(journal::path_beside);
    let input = reader.component.fingerprint();
    let blocker = if settings.checkpoint_every == 0 {
        Some("the pipeline sets checkpoint_every = 0".to_string())
    } else if let Some(exporter) = exporters.iter().find(|exporter| !exporter.component.resumable())
    {
        Some(format!(
            "exporter \"{}\" (kind {}) cannot make commit points",
            exporter.name, exporter.kind
        ))
    } else if input.is_none() {
        Some(format!(
            "reader \"{}\" (kind {}) cannot tell whether its input changed",
            reader.name, reader.kind
        ))
    } else if journal_path.is_none() {
        Some("no exporter names an output file to keep the journal beside".to_string())
    } else {
        None
    };
    // Made only once the run goes ahead: a refused resume keeps the journal.
    let guard = || JournalGuard(journal_path.clone());
    let (Some(path), Some(input), None) = (&journal_path, input, &blocker) else {
        if resume != Resume::Never {
            anyhow::bail!("cannot resume: {}", blocker.unwrap_or_default());
        }
        return Ok(CommitPoints {
            journal: None,
            every: 0,
            batches_since: 0,
            journal_guard: guard(),
        });
    };
    let path = path.clone();
    let current = Journal::new(file, fingerprint, input);
    let found = match Journal::read(&path) {
        Ok(found) => found,
        Err(error) if resume == Resume::Never => {
            tracing::warn!("{error:#}; starting from the beginning");
            None
        }
        Err(error) => return Err(error.context("cannot resume")),
    };
    match (found, resume) {
        (None, Resume::Never) => {}
        (None, _) => tracing::info!(
            "nothing to resume (no journal at {}); starting from the beginning",
            path.display()
        ),
        (Some(_), Resume::Never) => tracing::warn!(
            "starting from the beginning; the interrupted run recorded in {} is discarded \
             (`runner run --resume` continues it)",
            path.display()
        ),
        (Some(found), resume) => match found.mismatch(&current) {
            Some(why) if resume == Resume::ContinueOrRestart => {
                tracing::warn!("{why}; starting from the beginning (--force)");
            }
            Some(why) => {
                anyhow::bail!("cannot resume: {why}; `--force` starts from the beginning instead")
            }
            None if found.exporters.len() != exporters.len() => anyhow::bail!(
                "cannot resume: the journal {} lists {} exporters, the pipeline has {}",
                path.display(),
                found.exporters.len(),
                exporters.len()
            ),
            None => {
                for (exporter, files) in exporters.iter_mut().zip(&found.exporters) {
                    exporter.component.resume(files).with_context(|| {
                        format!(
                            "cannot resume exporter \"{}\" (`--force` starts from the beginning)",
                            exporter.name
                        )
                    })?;
                }
                tracing::info!(
                    "resuming after {} inputs written by an interrupted run",
                    found.items
                );
                summary.resumed_after = found.items;
                summary.resumed_words = found.counts.words;
                summary.resumed_bytes = found.counts.bytes;
                found.counts.restore(summary);
            }
        },
    }
    Ok(CommitPoints {
        journal: Some((path, current)),
        every: settings.checkpoint_every,
        batches_since: 0,
        journal_guard: guard(),
    })
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
    watch: &Watch,
) -> Result<Document, Box<Failed>> {
    let failed = |document: Document, stage: String, error: String| {
        let failure = Failure::error(&document.id, &document.source, stage, error);
        let warnings = document
            .warnings
            .iter()
            .map(|warning| Failure::warning(&document.id, &document.source, "reader", warning))
            .collect();
        Err(Box::new(Failed { failure, warnings }))
    };
    if let Err(error) = guarded(|| tokenizer.component.tokenize(&mut document)) {
        return failed(document, format!("tokenizer:{}", tokenizer.name), error);
    }
    for (index, extractor) in extractors.iter().enumerate() {
        watch.enter_stage(index + 1);
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
    Ok(document)
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
