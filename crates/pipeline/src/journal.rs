//! Commit points, so that a killed run can be continued (`runner run
//! --resume`) instead of started again.
//!
//! Every `checkpoint_every` batches the writer asks each exporter to make
//! what it wrote so far durable under its temporary name
//! ([`Exporter::checkpoint`](document::Exporter::checkpoint)), then records
//! in a small journal file beside the first output how many reader items
//! were consumed, the running counts, and how long each temporary file was.
//! The order matters: data first, journal second, so a journal never
//! promises bytes that are not on disk. A kill between the two leaves the
//! previous journal, which promises less, and is just as good.
//!
//! Resuming cuts every temporary file back to its recorded length, skips
//! that many items of the reader's (deterministic) stream, and goes on; the
//! finished output is byte for byte the output of an uninterrupted run. The
//! journal also holds a hash of the pipeline file and of the input listing
//! (each file's path, size and modification time): if either changed, the
//! old output no longer matches what a new run would write, so resuming is
//! refused unless `--force` starts over.
//!
//! An orderly end (success, error or abort) removes the journal along with
//! the temporary files, so a journal exists exactly when a run was killed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use document::FileCheckpoint;
use serde::{Deserialize, Serialize};

use crate::executor::Summary;

const VERSION: u32 = 1;

/// What a run had durably written at its last commit point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Journal {
    pub version: u32,
    /// The pipeline file, for messages.
    pub pipeline: String,
    /// [`crate::Pipeline::fingerprint`], in hex.
    pub config: String,
    /// [`document::Reader::fingerprint`], in hex.
    pub input: String,
    /// Reader items (documents and unreadable inputs) consumed and written.
    pub items: u64,
    pub counts: Counts,
    /// Per exporter, in pipeline order: its files and their lengths.
    pub exporters: Vec<Vec<FileCheckpoint>>,
}

/// The summary figures that carry over into a resumed run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Counts {
    pub read: u64,
    pub written: u64,
    pub failed: u64,
    pub warnings: u64,
    pub words: u64,
    pub bytes: u64,
    pub annotations: BTreeMap<String, u64>,
}

impl Counts {
    pub fn of(summary: &Summary) -> Counts {
        Counts {
            read: summary.read,
            written: summary.written,
            failed: summary.failed,
            warnings: summary.warnings,
            words: summary.words,
            bytes: summary.bytes,
            annotations: summary.annotations.clone(),
        }
    }

    pub fn restore(self, summary: &mut Summary) {
        summary.read = self.read;
        summary.written = self.written;
        summary.failed = self.failed;
        summary.warnings = self.warnings;
        summary.words = self.words;
        summary.bytes = self.bytes;
        summary.annotations = self.annotations;
    }
}

/// `out/news.jsonl` → `out/.news.jsonl.resume.json`.
pub(crate) fn path_beside(output: &Path) -> Option<PathBuf> {
    let name = output.file_name()?.to_string_lossy();
    Some(output.with_file_name(format!(".{name}.resume.json")))
}

pub(crate) fn hex(fingerprint: u64) -> String {
    format!("{fingerprint:016x}")
}

impl Journal {
    /// Reads the journal at `path`; `Ok(None)` if there is none.
    pub fn read(path: &Path) -> anyhow::Result<Option<Journal>> {
        let Some(journal) = read_json::<Journal>(path, "a Dateline journal")? else {
            return Ok(None);
        };
        if journal.version != VERSION {
            anyhow::bail!(
                "{} was written by another version of Dateline (journal version {})",
                path.display(),
                journal.version
            );
        }
        Ok(Some(journal))
    }

    pub fn new(pipeline: &Path, config: u64, input: u64) -> Journal {
        Journal {
            version: VERSION,
            pipeline: pipeline.display().to_string(),
            config: hex(config),
            input: hex(input),
            items: 0,
            counts: Counts::default(),
            exporters: Vec::new(),
        }
    }

    /// Why this journal cannot be continued by a run with `current`'s
    /// fingerprints, if it cannot.
    pub fn mismatch(&self, current: &Journal) -> Option<String> {
        if self.config != current.config {
            Some("the pipeline file changed since the interrupted run".into())
        } else if self.input != current.input {
            Some("the input changed since the interrupted run (a file was added, removed or modified)".into())
        } else {
            None
        }
    }

    /// Writes the journal atomically (temporary file, sync, rename).
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        write_json(path, self)
    }
}

/// Reads the JSON record at `path`; `Ok(None)` if there is none. `what`
/// names the record in the error for a file that does not parse.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
) -> anyhow::Result<Option<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read {}", path.display()));
        }
    };
    let record =
        serde_json::from_str(&text).with_context(|| format!("{} is not {what}", path.display()))?;
    Ok(Some(record))
}

/// Writes `record` as indented JSON, atomically (temporary file, sync,
/// rename).
pub(crate) fn write_json(path: &Path, record: &impl Serialize) -> anyhow::Result<()> {
    let mut file = exporter::AtomicFile::create(path)?;
    let mut text = serde_json::to_vec_pretty(record)?;
    text.push(b'\n');
    file.write_all(&text).with_context(|| format!("cannot write {}", path.display()))?;
    file.commit()?;
    Ok(())
}

/// Removes `path`; a file that is not there is not an error.
pub(crate) fn remove_if_exists(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        removed => removed,
    }
}

/// Removes the journal when the run ends in an orderly way, whatever the
/// outcome: only a killed run leaves one behind.
pub(crate) struct JournalGuard(pub Option<PathBuf>);

impl Drop for JournalGuard {
    fn drop(&mut self) {
        self.remove();
    }
}

impl JournalGuard {
    /// Removes the journal (and a temporary one) now, once.
    pub fn remove(&mut self) {
        let Some(path) = self.0.take() else { return };
        // With the temporary file a kill during a journal write leaves.
        let temporary = exporter::temporary_path(&path).ok();
        for path in std::iter::once(path).chain(temporary) {
            if let Err(error) = remove_if_exists(&path) {
                tracing::warn!("cannot remove {}: {error}", path.display());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_hides_beside_the_first_output() {
        assert_eq!(
            path_beside(Path::new("out/news.jsonl")),
            Some(PathBuf::from("out/.news.jsonl.resume.json"))
        );
    }

    #[test]
    fn a_changed_config_or_input_is_named() {
        let then = Journal::new(Path::new("p.toml"), 1, 2);
        assert_eq!(then.mismatch(&Journal::new(Path::new("p.toml"), 1, 2)), None);
        let config = then.mismatch(&Journal::new(Path::new("p.toml"), 3, 2)).unwrap();
        assert!(config.starts_with("the pipeline file changed"), "{config}");
        let input = then.mismatch(&Journal::new(Path::new("p.toml"), 1, 3)).unwrap();
        assert!(input.starts_with("the input changed"), "{input}");
    }

    #[test]
    fn round_trips_and_refuses_other_versions() {
        let folder = std::env::temp_dir().join(format!("dateline-journal-{}", std::process::id()));
        let path = folder.join(".out.jsonl.resume.json");
        let mut journal = Journal::new(Path::new("p.toml"), 1, 2);
        journal.items = 7;
        journal.counts.annotations.insert("DATE".into(), 3);
        journal.exporters =
            vec![vec![FileCheckpoint { target: folder.join("out.jsonl"), length: 42 }]];
        journal.write(&path).unwrap();
        assert_eq!(Journal::read(&path).unwrap(), Some(journal.clone()));
        journal.version = 99;
        std::fs::write(&path, serde_json::to_vec(&journal).unwrap()).unwrap();
        let error = Journal::read(&path).unwrap_err().to_string();
        assert!(error.ends_with("(journal version 99)"), "{error}");
        assert_eq!(Journal::read(&folder.join("none")).unwrap(), None);
        std::fs::remove_dir_all(folder).unwrap();
    }
}
