//! The `sqlite` exporter: one SQLite database with `documents`,
//! `annotations` and `errors` tables, indexes on `annotations(label)` and
//! `annotations(doc_id)`, and an FTS5 full-text index over the document
//! texts, for `sqlite3`, Datasette, DuckDB's `sqlite` extension and any
//! language's SQLite binding.
//!
//! # Runs: what "re-running replaces that run's rows" means
//!
//! A database can hold the output of several pipelines. Each run has a
//! *name*, the `run` option, by default the pipeline file's stem (`bbc` for
//! `pipelines/bbc.toml`); every row carries the `run_id` of the run that
//! wrote it, and the `runs` table says which name each `run_id` has and
//! whether it finished (`state` = `writing` or `complete`).
//!
//! A run
//!
//! 1. opens the database (creating it, see below), and in one transaction
//!    deletes the rows of any run of the same name left in state `writing`
//!    (a run that was killed) and inserts its own `runs` row, state
//!    `writing`, with a fresh `run_id`;
//! 2. inserts its rows in one transaction per `batch` documents (default
//!    500), so the journal and memory stay small whatever the corpus size;
//! 3. at the end, in one transaction, deletes every row of the earlier runs
//!    of that name and marks itself `complete`.
//!
//! So re-running never duplicates rows, a run that fails or is killed
//! leaves the previous complete run of that name in place (a failed run
//! deletes its own rows as it stops; a killed one's are swept by the next
//! run of that name), and other names' runs are never touched. Readers who
//! may look while a run is writing filter on
//! `run_id IN (SELECT run_id FROM runs WHERE state = 'complete')`.
//!
//! The alternative, copying the database to a temporary file, writing
//! there and renaming it over the original, gives readers the same
//! guarantee without the filter, but costs a copy of the whole database on
//! every run and loses a concurrent run of another pipeline into the same
//! file (the last rename wins); SQLite's own transactions already give the
//! atomicity, so the exporter uses them. A database that does not exist
//! yet is the exception: it is created under a hidden temporary name and
//! renamed into place when the run finishes, like every other output, so
//! a half-written new database never appears under the final name.
//!
//! # Failures
//!
//! Failed documents and warnings go to the `errors` table of the same run
//! (same columns as the JSONL errors file), not to a file beside the
//! database: one file holds the whole run.
//!
//! # Why its own crate
//!
//! `rusqlite` with the `bundled` feature compiles SQLite's amalgamation
//! (about 9 MB of C) with the C compiler: 80 CPU-seconds of a cold release
//! build (`cargo build --release -p rusqlite` in an empty target folder:
//! 76 s user + 4 s sys), nearly all of it in one `cc` process that nothing
//! else can share. In a crate of its own, registered by `pipeline`, only the
//! crates that link the whole pipeline wait for it; `cargo test -p
//! exporter` and the extractors' tests do not.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use document::{
    BuildContext, Component, ComponentOptions, Document, Exporter, Failure, OptionDoc,
    OptionsError, Registry,
};
use exporter::{CharOffsets, TypedFields};
use rusqlite::{Connection, ToSql, params};
use serde::Deserialize;

/// Registers the `sqlite` exporter kind.
pub fn register(registry: &mut Registry) {
    registry.add_exporter::<SqliteExporter>();
}

/// Documents a transaction unless `batch` says otherwise.
pub const DEFAULT_BATCH: usize = 500;

/// `PRAGMA user_version` of a database this exporter created; a database
/// with tables and another version is refused rather than altered.
pub const SCHEMA_VERSION: i64 = 1;

/// The schema, created when absent (`docs/output.md` documents it).
pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS runs (
    run_id      INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('writing', 'complete')),
    documents   INTEGER NOT NULL DEFAULT 0,
    annotations INTEGER NOT NULL DEFAULT 0,
    failures    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_name ON runs(name);
CREATE TABLE IF NOT EXISTS documents (
    rowid        INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL,
    id           TEXT NOT NULL,
    source       TEXT NOT NULL,
    date         TEXT,
    text         TEXT NOT NULL,
    header_start INTEGER,
    header_end   INTEGER,
    metadata     TEXT
);
CREATE INDEX IF NOT EXISTS documents_id ON documents(id);
CREATE TABLE IF NOT EXISTS annotations (
    run_id    INTEGER NOT NULL,
    doc_id    TEXT NOT NULL,
    label     TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL,
    extractor TEXT NOT NULL,
    value     TEXT,
    attrs     TEXT,
    amount    TEXT,
    currency  TEXT,
    unit      TEXT,
    timex     TEXT,
    speaker   TEXT,
    lat       REAL,
    lon       REAL
);
CREATE INDEX IF NOT EXISTS annotations_label ON annotations(label);
CREATE INDEX IF NOT EXISTS annotations_doc_id ON annotations(doc_id);
CREATE TABLE IF NOT EXISTS errors (
    run_id   INTEGER NOT NULL,
    id       TEXT NOT NULL,
    source   TEXT NOT NULL,
    stage    TEXT NOT NULL,
    error    TEXT NOT NULL,
    severity TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    text, content = 'documents', content_rowid = 'rowid'
);
CREATE TRIGGER IF NOT EXISTS documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
"#;

const INSERT_DOCUMENT: &str = "INSERT INTO documents \
    (run_id, id, source, date, text, header_start, header_end, metadata) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

const INDEX_BATCH: &str = "INSERT INTO documents_fts(rowid, text) \
    SELECT rowid, text FROM documents WHERE rowid >= ?1 AND run_id = ?2";

const INSERT_ANNOTATION: &str = "INSERT INTO annotations \
    (run_id, doc_id, label, start, \"end\", text, extractor, value, attrs, \
     amount, currency, unit, timex, speaker, lat, lon) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqliteOptions {
    path: String,
    #[serde(default)]
    run: Option<String>,
    #[serde(default = "default_batch")]
    batch: usize,
}

fn default_batch() -> usize {
    DEFAULT_BATCH
}

impl ComponentOptions for SqliteOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "path",
            ty: "path",
            default: None,
            doc: "the database file, created when absent; relative to the pipeline file's folder",
        },
        OptionDoc {
            name: "run",
            ty: "string",
            default: Some("the pipeline file's stem"),
            doc: "the run's name: a new run replaces the rows of the earlier runs of that name, and only those",
        },
        OptionDoc {
            name: "batch",
            ty: "integer",
            default: Some("500"),
            doc: "documents inserted per transaction",
        },
    ];
}

/// Makes temporary names unique within the process.
static NEXT_TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// The open database of a run.
struct Open {
    connection: Connection,
    run_id: i64,
    /// A new database being written under this temporary name, renamed to
    /// the final path on finish; `None` when writing into an existing one.
    temporary: Option<PathBuf>,
    /// Documents inserted in the open transaction (`None`: none open).
    in_batch: Option<usize>,
    /// The `rowid` of the open transaction's first document: the batch's
    /// texts go into the full-text index in one statement at its commit.
    batch_first_rowid: Option<i64>,
}

/// Writes documents, annotations and failures into a SQLite database, one
/// named run at a time.
pub struct SqliteExporter {
    path: PathBuf,
    run: String,
    batch: usize,
    open: Option<Open>,
    documents: u64,
    annotations: u64,
    failures: u64,
    finished: bool,
}

impl Component for SqliteExporter {
    const KIND: &'static str = "sqlite";
    const DESCRIPTION: &'static str = "a SQLite database: documents, annotations (code-point offsets, typed value columns), errors, an FTS5 index; re-runs replace their own rows";
    type Options = SqliteOptions;

    fn build(options: SqliteOptions, context: &BuildContext) -> anyhow::Result<Self> {
        // In a sharded run, its own database: `out/run.part-00003-of-00016.sqlite`.
        let path = exporter::output_file(&options.path, context, Some("out.sqlite"))?;
        if options.batch == 0 {
            return Err(OptionsError::invalid("batch", "must be at least 1").into());
        }
        let run = match options.run {
            Some(run) if run.trim().is_empty() => {
                return Err(OptionsError::invalid("run", "must not be empty").into());
            }
            Some(run) => run,
            None if !context.pipeline.is_empty() => context.pipeline.clone(),
            None => context.name.clone(),
        };
        Ok(SqliteExporter {
            path,
            run,
            batch: options.batch,
            open: None,
            documents: 0,
            annotations: 0,
            failures: 0,
            finished: false,
        })
    }
}

/// `out/news.sqlite` → `out/.news.sqlite.<pid>-<n>.tmp`.
fn temporary_beside(path: &Path) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .with_context(|| format!("output path {} has no file name", path.display()))?;
    Ok(path.with_file_name(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed)
    )))
}

/// Removes a database file and the journal SQLite may have left beside it.
fn remove_database(path: &Path) {
    let _ = std::fs::remove_file(path);
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let _ = std::fs::remove_file(PathBuf::from(journal));
}

/// Creates the schema, or checks that an existing database has it.
fn prepare_schema(connection: &Connection, path: &Path) -> anyhow::Result<()> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let tables: i64 =
        connection.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
    if tables > 0 && version != SCHEMA_VERSION {
        anyhow::bail!(
            "{} is not a database written by the sqlite exporter (user_version {version}, expected {SCHEMA_VERSION}); give another path",
            path.display()
        );
    }
    connection.execute_batch(SCHEMA)?;
    // Databases written before the index was filled per batch carry an
    // insert trigger; with it every row would be indexed twice.
    connection.execute_batch("DROP TRIGGER IF EXISTS documents_fts_insert")?;
    connection.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

impl SqliteExporter {
    fn open(&mut self) -> anyhow::Result<&mut Open> {
        if self.open.is_none() {
            self.open = Some(self.start()?);
        }
        self.open.as_mut().context("database could not be opened")
    }

    /// Opens (or creates) the database, sweeps killed runs of this name
    /// and registers this run.
    fn start(&self) -> anyhow::Result<Open> {
        let fresh = !self.path.exists();
        let temporary = if fresh {
            if let Some(folder) = self.path.parent().filter(|folder| !folder.as_os_str().is_empty())
            {
                std::fs::create_dir_all(folder)
                    .with_context(|| format!("cannot create output folder {}", folder.display()))?;
            }
            Some(temporary_beside(&self.path)?)
        } else {
            None
        };
        let file = temporary.as_deref().unwrap_or(&self.path);
        let opened = (|| -> anyhow::Result<(Connection, i64)> {
            let mut connection = Connection::open(file)?;
            connection.busy_timeout(std::time::Duration::from_secs(30))?;
            let transaction = connection.transaction()?;
            prepare_schema(&transaction, &self.path)?;
            // Rows of a run of this name that never finished (killed).
            let swept = delete_runs(
                &transaction,
                "SELECT run_id FROM runs WHERE name = ?1 AND state = 'writing'",
                &self.run,
            )?;
            if swept > 0 {
                tracing::info!(run = %self.run, swept, "removed the rows of an unfinished run");
            }
            transaction.execute(
                "INSERT INTO runs (name, state) VALUES (?1, 'writing')",
                params![self.run],
            )?;
            let run_id = transaction.last_insert_rowid();
            transaction.commit()?;
            Ok((connection, run_id))
        })();
        match opened {
            Ok((connection, run_id)) => {
                Ok(Open { connection, run_id, temporary, in_batch: None, batch_first_rowid: None })
            }
            Err(error) => {
                if let Some(temporary) = &temporary {
                    remove_database(temporary);
                }
                Err(error.context(format!("cannot open the database {}", self.path.display())))
            }
        }
    }
}

/// Merges the databases the shards of a sharded run wrote (`runner shards
/// merge`, docs/cluster.md) into `target` as one run: the complete run of
/// each part, in part order, copied with `ATTACH` and `INSERT … SELECT` in
/// one transaction (the FTS5 index fills through its trigger), under the
/// parts' run name, replacing the earlier runs of that name in `target` as
/// a run of the exporter does. A new `target` is written under a temporary
/// name and renamed into place.
pub fn merge_parts(parts: &[PathBuf], target: &Path) -> anyhow::Result<PathBuf> {
    let first = parts.first().context("no parts to merge")?;
    let run: String =
        Connection::open_with_flags(first, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|part| {
                part.query_row("SELECT name FROM runs WHERE state = 'complete'", [], |row| {
                    row.get(0)
                })
            })
            .with_context(|| {
                format!("{} holds no complete run of the sqlite exporter", first.display())
            })?;
    let fresh = !target.exists();
    let temporary = if fresh { Some(temporary_beside(target)?) } else { None };
    let file = temporary.as_deref().unwrap_or(target);
    let merged = (|| -> anyhow::Result<()> {
        let mut connection = Connection::open(file)?;
        connection.busy_timeout(std::time::Duration::from_secs(30))?;
        let transaction = connection.transaction()?;
        prepare_schema(&transaction, target)?;
        transaction
            .execute("INSERT INTO runs (name, state) VALUES (?1, 'writing')", params![run])?;
        let run_id = transaction.last_insert_rowid();
        transaction.commit()?;
        // One transaction per part (SQLite attaches outside transactions);
        // the run stays `writing`, invisible to readers who filter on
        // `complete`, until the last one.
        let copied = (|| -> anyhow::Result<()> {
            for part in parts {
                copy_part(&connection, part, run_id)
                    .with_context(|| format!("cannot copy the rows of {}", part.display()))?;
            }
            let transaction = connection.transaction()?;
            delete_runs(
                &transaction,
                &format!("SELECT run_id FROM runs WHERE name = ?1 AND run_id <> {run_id}"),
                &run,
            )?;
            transaction.execute(
                "UPDATE runs SET state = 'complete', \
                 documents = (SELECT count(*) FROM documents WHERE run_id = ?1), \
                 annotations = (SELECT count(*) FROM annotations WHERE run_id = ?1), \
                 failures = (SELECT count(*) FROM errors WHERE run_id = ?1) WHERE run_id = ?1",
                params![run_id],
            )?;
            transaction.commit()?;
            Ok(())
        })();
        if copied.is_err() {
            // Best effort, as a failed run of the exporter: this run's rows go.
            let _ = delete_runs(&connection, "SELECT ?1", &run_id);
        }
        copied?;
        connection.close().map_err(|(_, error)| error)?;
        Ok(())
    })();
    if let Err(error) = merged {
        if let Some(temporary) = &temporary {
            remove_database(temporary);
        }
        return Err(error.context(format!("cannot merge into {}", target.display())));
    }
    if let Some(temporary) = temporary
        && let Err(error) = std::fs::rename(&temporary, target)
    {
        remove_database(&temporary);
        return Err(error).with_context(|| {
            format!("cannot move {} to {}", temporary.display(), target.display())
        });
    }
    Ok(target.to_path_buf())
}

/// Copies the complete run of the database `part` into run `run_id`.
fn copy_part(connection: &Connection, part: &Path, run_id: i64) -> anyhow::Result<()> {
    let name = part.to_str().with_context(|| format!("{} is not UTF-8", part.display()))?;
    connection.execute("ATTACH DATABASE ?1 AS part", params![name])?;
    let complete = "(SELECT run_id FROM part.runs WHERE state = 'complete')";
    let copied = (|| -> rusqlite::Result<()> {
        connection.execute_batch("BEGIN")?;
        let first: i64 = connection.query_row(
            "SELECT coalesce(max(rowid), 0) + 1 FROM main.documents",
            [],
            |row| row.get(0),
        )?;
        connection.execute(
            &format!(
                "INSERT INTO documents (run_id, id, source, date, text, header_start, header_end, metadata) \
                 SELECT ?1, id, source, date, text, header_start, header_end, metadata \
                 FROM part.documents WHERE run_id IN {complete} ORDER BY rowid"
            ),
            params![run_id],
        )?;
        // The full-text index is filled per batch, not by trigger.
        connection.execute(INDEX_BATCH, params![first, run_id])?;
        connection.execute(
            &format!(
                "INSERT INTO annotations (run_id, doc_id, label, start, \"end\", text, extractor, \
                 value, attrs, amount, currency, unit, timex, speaker, lat, lon) \
                 SELECT ?1, doc_id, label, start, \"end\", text, extractor, value, attrs, amount, \
                 currency, unit, timex, speaker, lat, lon \
                 FROM part.annotations WHERE run_id IN {complete} ORDER BY rowid"
            ),
            params![run_id],
        )?;
        connection.execute(
            &format!(
                "INSERT INTO errors (run_id, id, source, stage, error, severity) \
                 SELECT ?1, id, source, stage, error, severity \
                 FROM part.errors WHERE run_id IN {complete} ORDER BY rowid"
            ),
            params![run_id],
        )?;
        connection.execute_batch("COMMIT")
    })();
    if copied.is_err() {
        let _ = connection.execute_batch("ROLLBACK");
    }
    let detached = connection.execute_batch("DETACH DATABASE part");
    copied?;
    detached?;
    Ok(())
}

/// Deletes every row of the runs that `select` (given `parameter` as `?1`)
/// returns, the `runs` rows included; returns how many runs went.
fn delete_runs(
    connection: &Connection,
    select: &str,
    parameter: &dyn ToSql,
) -> rusqlite::Result<usize> {
    let mut deleted = 0;
    for table in ["annotations", "documents", "errors", "runs"] {
        let statement = format!("DELETE FROM {table} WHERE run_id IN ({select})");
        let count = connection.execute(&statement, [parameter])?;
        if table == "runs" {
            deleted = count;
        }
    }
    Ok(deleted)
}

impl Open {
    /// Opens a transaction if none is.
    fn begin(&mut self) -> rusqlite::Result<()> {
        if self.in_batch.is_none() {
            self.connection.execute_batch("BEGIN")?;
            self.in_batch = Some(0);
        }
        Ok(())
    }

    /// Counts a document; commits when the batch is full.
    fn end_document(&mut self, batch: usize) -> rusqlite::Result<()> {
        let count = self.in_batch.map_or(1, |count| count + 1);
        self.in_batch = Some(count);
        if count >= batch {
            self.commit()?;
        }
        Ok(())
    }

    /// Indexes the batch's texts and commits it.
    ///
    /// The index is filled here rather than by a trigger per row: FTS5
    /// flushes its pending terms at every statement's savepoint, so a
    /// trigger wrote one index segment per document and spent most of the
    /// exporter's time merging them; one `INSERT … SELECT` per batch writes
    /// one segment.
    fn commit(&mut self) -> rusqlite::Result<()> {
        if self.in_batch.take().is_some() {
            if let Some(first) = self.batch_first_rowid.take() {
                self.connection.prepare(INDEX_BATCH)?.execute(params![first, self.run_id])?;
            }
            self.connection.execute_batch("COMMIT")?;
        }
        Ok(())
    }
}

fn to_i64(offset: usize) -> anyhow::Result<i64> {
    i64::try_from(offset).context("offset beyond 2^63")
}

fn insert_document(open: &mut Open, document: &Document) -> anyhow::Result<usize> {
    let offsets = CharOffsets::new(
        &document.text,
        document
            .annotations
            .iter()
            .flat_map(|annotation| [annotation.span.start, annotation.span.end])
            .chain(document.header.iter().flat_map(|header| [header.start, header.end])),
    );
    let metadata = if document.metadata.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&document.metadata)?)
    };
    let (header_start, header_end) = match document.header {
        Some(header) => {
            (Some(to_i64(offsets.get(header.start))?), Some(to_i64(offsets.get(header.end))?))
        }
        None => (None, None),
    };
    let connection = &open.connection;
    connection.prepare(INSERT_DOCUMENT)?.execute(params![
        open.run_id,
        document.id,
        document.source,
        document.date.map(|date| date.to_string()),
        document.text,
        header_start,
        header_end,
        metadata,
    ])?;
    if open.batch_first_rowid.is_none() {
        open.batch_first_rowid = Some(connection.last_insert_rowid());
    }
    let mut insert = connection.prepare(INSERT_ANNOTATION)?;
    for annotation in &document.annotations {
        let fields = TypedFields::of(annotation);
        let value = match &annotation.value {
            None | Some(document::Value::Null) => None,
            Some(value) => Some(serde_json::to_string(value)?),
        };
        let attrs = match &annotation.attrs {
            Some(attrs) if !attrs.is_empty() => Some(serde_json::to_string(attrs)?),
            _ => None,
        };
        insert.execute(params![
            open.run_id,
            document.id,
            annotation.label,
            to_i64(offsets.get(annotation.span.start))?,
            to_i64(offsets.get(annotation.span.end))?,
            document.slice(annotation.span),
            annotation.extractor,
            value,
            attrs,
            fields.amount,
            fields.currency,
            fields.unit,
            fields.timex,
            fields.speaker,
            fields.lat,
            fields.lon,
        ])?;
    }
    Ok(document.annotations.len())
}

impl Exporter for SqliteExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let batch = self.batch;
        let path = self.path.clone();
        let open = self.open()?;
        open.begin()?;
        let annotations = insert_document(open, document)
            .with_context(|| format!("cannot write {} into {}", document.id, path.display()))?;
        open.end_document(batch)?;
        self.documents += 1;
        self.annotations += annotations as u64;
        Ok(())
    }

    fn record_failure(&mut self, failure: &Failure) -> anyhow::Result<()> {
        let open = self.open()?;
        open.begin()?;
        open.connection
            .prepare(
                "INSERT INTO errors (run_id, id, source, stage, error, severity) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                open.run_id,
                failure.id,
                failure.source,
                failure.stage,
                failure.error,
                failure.severity.as_str(),
            ])?;
        self.failures += 1;
        Ok(())
    }

    fn outputs(&self) -> Vec<PathBuf> {
        vec![self.path.clone()]
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        let counts = [self.documents, self.annotations, self.failures];
        let run = self.run.clone();
        let open = self.open()?;
        open.commit()?;
        let run_id = open.run_id;
        // The replacement: earlier runs of this name go, this one becomes
        // complete, in one transaction.
        let transaction = open.connection.transaction()?;
        let replaced = delete_runs(
            &transaction,
            &format!("SELECT run_id FROM runs WHERE name = ?1 AND run_id <> {run_id}"),
            &run,
        )?;
        transaction.execute(
            "UPDATE runs SET state = 'complete', documents = ?1, annotations = ?2, failures = ?3 \
             WHERE run_id = ?4",
            params![
                i64::try_from(counts[0])?,
                i64::try_from(counts[1])?,
                i64::try_from(counts[2])?,
                run_id
            ],
        )?;
        transaction.commit()?;
        tracing::debug!(run = %run, run_id, replaced, "sqlite run complete");
        self.finished = true;
        let open = self.open.take().context("database could not be opened")?;
        let Open { connection, temporary, .. } = open;
        connection.close().map_err(|(_, error)| error)?;
        if let Some(temporary) = temporary
            && let Err(error) = std::fs::rename(&temporary, &self.path)
        {
            remove_database(&temporary);
            return Err(error).with_context(|| {
                format!("cannot move {} to {}", temporary.display(), self.path.display())
            });
        }
        Ok(vec![self.path.clone()])
    }
}

impl Drop for SqliteExporter {
    /// A run that stops without finishing: a new database goes; in an
    /// existing one this run's rows are deleted (best effort: a killed
    /// process cannot, and the next run of its name sweeps them).
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let Some(open) = self.open.take() else { return };
        let Open { connection, temporary, in_batch, run_id, .. } = open;
        match temporary {
            Some(temporary) => {
                drop(connection);
                remove_database(&temporary);
            }
            None => {
                if in_batch.is_some() {
                    let _ = connection.execute_batch("ROLLBACK");
                }
                let cleaned = connection.execute_batch("BEGIN").and_then(|()| {
                    delete_runs(&connection, "SELECT ?1", &run_id)?;
                    connection.execute_batch("COMMIT")
                });
                if let Err(error) = cleaned {
                    tracing::warn!(run_id, %error, "cannot remove the rows of an unfinished run");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
