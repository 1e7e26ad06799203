//! The worker pool: documents of a batch processed in parallel, with a
//! watchdog for documents that never finish.
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
//! Dispatch keeps at most two documents per thread queued in the pool, and
//! a document's task first *claims* it: when a pool is replaced, documents
//! queued there but not yet claimed are queued again in the new pool, so
//! none waits behind a stuck thread. Results come back tagged with their
//! place in the batch, which keeps the output in input order whatever the
//! thread count.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
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
}

impl Watch {
    pub fn enter_stage(&self, stage: usize) {
        self.stage.store(stage, Ordering::Relaxed);
    }
}

/// One document handed to the pool and not yet back.
struct Task {
    /// Its place in the batch.
    index: usize,
    id: String,
    source: String,
    warnings: Vec<String>,
    /// The document until a worker claims it.
    document: Arc<Mutex<Option<Document>>>,
    watch: Arc<Watch>,
    /// Which pool it was queued in.
    generation: u64,
}

pub(crate) struct Workers {
    threads: usize,
    pool: rayon::ThreadPool,
    generation: u64,
    stages: Arc<Stages>,
    limit: Option<Duration>,
    started: Instant,
    sender: mpsc::Sender<(u64, Outcome)>,
    receiver: mpsc::Receiver<(u64, Outcome)>,
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
            next_task: 0,
            abandoned: 0,
        })
    }

    /// Processes one batch; the outcomes come back in input order. An error
    /// means the run must stop (too many abandoned documents).
    pub fn process(
        &mut self,
        batch: Vec<Result<Document, Failure>>,
    ) -> anyhow::Result<Vec<Outcome>> {
        let mut outcomes: Vec<Option<Outcome>> = batch.iter().map(|_| None).collect();
        let mut remaining = outcomes.len();
        let mut waiting = batch.into_iter().enumerate();
        let mut running: BTreeMap<u64, Task> = BTreeMap::new();
        let mut queued_in_pool = 0usize;
        loop {
            while queued_in_pool < 2 * self.threads {
                let Some((index, item)) = waiting.next() else { break };
                match item {
                    Ok(document) => {
                        let task = self.task(index, document);
                        self.spawn(self.next_task, &task);
                        running.insert(self.next_task, task);
                        self.next_task += 1;
                        queued_in_pool += 1;
                    }
                    Err(failure) => {
                        outcomes[index] =
                            Some(Outcome::Failed(Failed { failure, warnings: Vec::new() }));
                        remaining -= 1;
                    }
                }
            }
            if remaining == 0 {
                break;
            }
            let received = match self.limit {
                None => self.receiver.recv().ok(),
                Some(limit) => self.receiver.recv_timeout((limit / 4).min(TICK)).ok(),
            };
            if let Some((key, outcome)) = received {
                // A late result of an abandoned document is not in `running`.
                if let Some(task) = running.remove(&key) {
                    if task.generation == self.generation {
                        queued_in_pool -= 1;
                    }
                    outcomes[task.index] = Some(outcome);
                    remaining -= 1;
                }
                continue;
            }
            let Some(limit) = self.limit else { continue };
            let now = self.elapsed_ms();
            let expired: Vec<u64> = running
                .iter()
                .filter(|(_, task)| {
                    let started = task.watch.started.load(Ordering::Acquire);
                    started > 0 && now.saturating_sub(started - 1) > limit.as_millis() as u64
                })
                .map(|(key, _)| *key)
                .collect();
            if expired.is_empty() {
                continue;
            }
            for key in expired {
                let Some(task) = running.remove(&key) else { continue };
                outcomes[task.index] = Some(self.timed_out(&task, limit));
                remaining -= 1;
                self.abandoned += 1;
            }
            if self.abandoned > MAX_ABANDONED {
                anyhow::bail!(
                    "stopped: more than {MAX_ABANDONED} documents ran past max_document_ms = {} \
                     and were abandoned",
                    limit.as_millis()
                );
            }
            // The stuck threads are lost: go on in a new pool, and queue
            // there again every document nobody has claimed yet.
            self.generation += 1;
            self.pool = build_pool(self.threads, self.generation)?;
            queued_in_pool = 0;
            let unclaimed = running
                .iter_mut()
                .filter(|(_, task)| task.watch.started.load(Ordering::Acquire) == 0);
            for (key, task) in unclaimed {
                task.generation = self.generation;
                self.spawn(*key, task);
                queued_in_pool += 1;
            }
        }
        Ok(outcomes.into_iter().flatten().collect())
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn task(&self, index: usize, document: Document) -> Task {
        Task {
            index,
            id: document.id.clone(),
            source: document.source.clone(),
            warnings: document.warnings.clone(),
            document: Arc::new(Mutex::new(Some(document))),
            watch: Arc::new(Watch::default()),
            generation: self.generation,
        }
    }

    fn spawn(&self, key: u64, task: &Task) {
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
            let _ = sender.send((key, outcome));
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
