//! The worker pool: documents processed in parallel, two batches in flight,
//! with a watchdog for documents that never finish.
//!
//! A panic is caught where it happens ([`crate::executor::process`]), but a
//! stage that loops, or crawls through a pathological input, cannot be
//! stopped from outside: Rust has no way to kill a thread. So with
//! `max_document_ms` set, each document records when it started and which
//! stage it is in; the dispatching thread waits for results with a timeout
//! and, when a document has run too long, records it as failed (naming the
//! stage), abandons the thread it runs on, and moves the rest of the work
//! to a fresh rayon pool. The abandoned thread goes on until its document
//! ends or the process exits; its result, if it ever comes, is ignored.
//! After [`MAX_ABANDONED`] such documents the run stops, since a stage
//! that hangs that often would otherwise pile up threads.
//!
//! A batch is queued in the pool whole ([`Workers::submit`]), one task per
//! document, and the dispatcher queues the next batch before it waits for
//! the previous one ([`Workers::finish_oldest`]): the workers go on with
//! the next batch while the last documents of one finish, instead of
//! waiting at the end of every batch. A task stores its outcome in its
//! batch's place for it, and only the task that completes a batch wakes
//! the dispatcher: one wake-up per batch, not one per document (the
//! watchdog's tick aside). A document's task first *claims* it: when a pool
//! is replaced, documents queued there but not yet claimed are queued again
//! in the new pool, so none waits behind a stuck thread. Outcomes are kept
//! by their place in the batch, which keeps the output in input order
//! whatever the thread count.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::Context;
use document::{Document, Extractor, Failure, Tokenizer};

use crate::config::Named;
use crate::executor::{Encoding, Failed, Outcome, prepare, process};

/// Documents abandoned after `max_document_ms` before the run stops.
pub const MAX_ABANDONED: usize = 64;

/// The stages every document goes through, shared by every task.
pub(crate) struct Stages {
    pub tokenizer: Named<dyn Tokenizer>,
    pub extractors: Vec<Named<dyn Extractor>>,
    /// The exporters' encoders, run after the extractors.
    pub encodings: Vec<Encoding>,
}

/// Where a document stands, written by the worker and read by the watchdog.
#[derive(Default)]
pub(crate) struct Watch {
    /// Milliseconds since the run started, plus one, when the document was
    /// claimed by a worker; 0 while it waits.
    started: AtomicU64,
    /// 0 = tokenizer, n = the n-th extractor (from 1), then the exporters'
    /// encoders.
    stage: AtomicUsize,
    /// Set once the document has its outcome (or was abandoned).
    done: AtomicBool,
}

impl Watch {
    pub fn enter_stage(&self, stage: usize) {
        self.stage.store(stage, Ordering::Relaxed);
    }
}

/// A batch in the pool: the outcomes by place in the batch, filled by the
/// tasks (and by the watchdog for an abandoned document), and how many are
/// still missing.
struct Batch {
    state: Mutex<BatchState>,
}

struct BatchState {
    outcomes: Vec<Option<Outcome>>,
    missing: usize,
}

impl Batch {
    /// Stores the outcome of the document at `index` unless it has one
    /// already (an abandoned document's late result is dropped): `None`
    /// then, else whether that completed the batch.
    fn store(&self, index: usize, outcome: Outcome) -> Option<bool> {
        // Held only here and around code that does not panic, so the lock
        // is never poisoned.
        let mut state = self.state.lock().ok()?;
        let state = &mut *state;
        let slot = state.outcomes.get_mut(index)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(outcome);
        state.missing -= 1;
        Some(state.missing == 0)
    }

    fn complete(&self) -> bool {
        self.state.lock().is_ok_and(|state| state.missing == 0)
    }
}

/// One document handed to the pool, until its batch is complete.
struct Task {
    batch: Arc<Batch>,
    /// Its place in the batch.
    index: usize,
    id: String,
    source: String,
    warnings: Vec<String>,
    /// The document until a worker claims it.
    document: Arc<Mutex<Option<Document>>>,
    watch: Arc<Watch>,
}

pub(crate) struct Workers {
    threads: usize,
    pool: rayon::ThreadPool,
    generation: u64,
    stages: Arc<Stages>,
    limit: Option<Duration>,
    started: Instant,
    /// A task that completes a batch says so here, waking the dispatcher.
    sender: mpsc::Sender<()>,
    receiver: mpsc::Receiver<()>,
    /// The batches in the pool, oldest first, with the keys of their tasks.
    in_flight: std::collections::VecDeque<(Arc<Batch>, std::ops::Range<u64>)>,
    /// Every task whose batch is in the pool, by key (keys rise with input
    /// order).
    running: BTreeMap<u64, Task>,
    next_task: u64,
    abandoned: usize,
}

fn build_pool(threads: usize, generation: u64) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(move |index| format!("dateline-worker-{generation}.{index}"))
        .build()
        .context("cannot start the worker threads")
}

impl Workers {
    pub fn new(threads: usize, stages: Stages, max_document_ms: u64) -> anyhow::Result<Workers> {
        let (sender, receiver) = mpsc::channel();
        Ok(Workers {
            threads,
            pool: build_pool(threads, 0)?,
            generation: 0,
            stages: Arc::new(stages),
            limit: (max_document_ms > 0).then(|| Duration::from_millis(max_document_ms)),
            started: Instant::now(),
            sender,
            receiver,
            in_flight: std::collections::VecDeque::new(),
            running: BTreeMap::new(),
            next_task: 0,
            abandoned: 0,
        })
    }

    /// Batches queued and not yet returned by [`Workers::finish_oldest`].
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Queues every document of a batch in the pool; the reader's failures
    /// are its outcomes at once.
    pub fn submit(&mut self, batch: Vec<Result<Document, Failure>>) {
        let outcomes: Vec<Option<Outcome>> = batch.iter().map(|_| None).collect();
        let shared =
            Arc::new(Batch { state: Mutex::new(BatchState { missing: outcomes.len(), outcomes }) });
        let first = self.next_task;
        for (index, item) in batch.into_iter().enumerate() {
            match item {
                Ok(document) => {
                    let task = Task {
                        batch: Arc::clone(&shared),
                        index,
                        id: document.id.clone(),
                        source: document.source.clone(),
                        warnings: document.warnings.clone(),
                        document: Arc::new(Mutex::new(Some(document))),
                        watch: Arc::new(Watch::default()),
                    };
                    self.spawn(&task);
                    self.running.insert(self.next_task, task);
                    self.next_task += 1;
                }
                Err(failure) => {
                    let failed = Outcome::Failed(Failed { failure, warnings: Vec::new() });
                    let _ = shared.store(index, failed);
                }
            }
        }
        self.in_flight.push_back((shared, first..self.next_task));
    }

    /// Waits for the oldest batch in the pool and returns its outcomes in
    /// input order (`None` when no batch is in flight). An error means the
    /// run must stop (too many abandoned documents).
    pub fn finish_oldest(&mut self) -> anyhow::Result<Option<Vec<Outcome>>> {
        let Some((batch, keys)) = self.in_flight.front().cloned() else { return Ok(None) };
        while !batch.complete() {
            match self.limit {
                None => {
                    let _ = self.receiver.recv();
                }
                Some(limit) => {
                    if self.receiver.recv_timeout((limit / 4).min(TICK)).is_err() {
                        self.watch(limit)?;
                    }
                }
            }
        }
        self.in_flight.pop_front();
        let tail = self.running.split_off(&keys.end);
        self.running = tail;
        let outcomes = match batch.state.lock() {
            Ok(mut state) => std::mem::take(&mut state.outcomes),
            Err(_) => anyhow::bail!("a batch's outcomes were lost (a bug)"),
        };
        Ok(Some(outcomes.into_iter().flatten().collect()))
    }

    /// The watchdog: fails every document past `limit` and moves the rest
    /// of the work to a fresh pool.
    fn watch(&mut self, limit: Duration) -> anyhow::Result<()> {
        let now = self.elapsed_ms();
        let expired: Vec<u64> = self
            .running
            .iter()
            .filter(|(_, task)| {
                let started = task.watch.started.load(Ordering::Acquire);
                started > 0
                    && !task.watch.done.load(Ordering::Acquire)
                    && now.saturating_sub(started - 1) > limit.as_millis() as u64
            })
            .map(|(key, _)| *key)
            .collect();
        if expired.is_empty() {
            return Ok(());
        }
        let mut abandoned = 0;
        for key in expired {
            let Some(task) = self.running.get(&key) else { continue };
            // The document may have finished since: then its outcome stays.
            match task.batch.store(task.index, self.timed_out(task, limit)) {
                None => continue,
                Some(completed) => {
                    if completed {
                        let _ = self.sender.send(());
                    }
                }
            }
            task.watch.done.store(true, Ordering::Release);
            abandoned += 1;
        }
        if abandoned == 0 {
            return Ok(());
        }
        self.abandoned += abandoned;
        if self.abandoned > MAX_ABANDONED {
            anyhow::bail!(
                "stopped: more than {MAX_ABANDONED} documents ran past max_document_ms = {} \
                 and were abandoned",
                limit.as_millis()
            );
        }
        // The stuck threads are lost: go on in a new pool, and queue there
        // again every document nobody has claimed yet.
        self.generation += 1;
        self.pool = build_pool(self.threads, self.generation)?;
        for task in self.running.values() {
            if task.watch.started.load(Ordering::Acquire) == 0 {
                self.spawn(task);
            }
        }
        Ok(())
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn spawn(&self, task: &Task) {
        let batch = Arc::clone(&task.batch);
        let index = task.index;
        let document = Arc::clone(&task.document);
        let watch = Arc::clone(&task.watch);
        let stages = Arc::clone(&self.stages);
        let sender = self.sender.clone();
        let started = self.started;
        self.pool.spawn(move || {
            // Claim the document; a second task queued for it finds it gone.
            let claimed = document.lock().ok().and_then(|mut slot| slot.take());
            let Some(document) = claimed else { return };
            let now = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
            watch.started.store(now + 1, Ordering::Release);
            let first_exporter = stages.extractors.len() + 1;
            let outcome = match process(document, &stages.tokenizer, &stages.extractors, &watch) {
                Ok(document) => {
                    Outcome::Processed(prepare(document, &stages.encodings, &watch, first_exporter))
                }
                Err(failed) => Outcome::Failed(*failed),
            };
            if batch.store(index, outcome) == Some(true) {
                let _ = sender.send(());
            }
            watch.done.store(true, Ordering::Release);
        });
    }

    fn timed_out(&self, task: &Task, limit: Duration) -> Outcome {
        let stage = match task.watch.stage.load(Ordering::Relaxed) {
            0 => format!("tokenizer:{}", self.stages.tokenizer.name),
            n => match self.stages.extractors.get(n - 1) {
                Some(extractor) => format!("extractor:{}", extractor.name),
                None => match self.stages.encodings.get(n - 1 - self.stages.extractors.len()) {
                    Some(encoding) => format!("exporter:{}", encoding.name),
                    None => "pipeline".to_string(),
                },
            },
        };
        let failure = Failure::error(
            &task.id,
            &task.source,
            stage,
            format!("still running after max_document_ms = {} ms; abandoned", limit.as_millis()),
        );
        let warnings = task
            .warnings
            .iter()
            .map(|warning| Failure::warning(&task.id, &task.source, "reader", warning))
            .collect();
        Outcome::Failed(Failed { failure, warnings })
    }
}

/// The longest the watchdog sleeps between checks.
const TICK: Duration = Duration::from_millis(50);
