//! The errors file that the `jsonl` and `csv` exporters write beside their
//! output: one JSON line per failed document or warning.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use document::{BuildContext, Failure, FileCheckpoint, OptionsError};
use serde::Serialize;

use crate::{AtomicFile, PreparedFile};

/// `out/news.jsonl` → `out/news.errors.jsonl`.
fn errors_path_beside(path: &Path) -> PathBuf {
    let stem = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{stem}.errors.jsonl"))
}

#[derive(Serialize)]
struct FailureRecord<'a> {
    id: &'a str,
    source: &'a str,
    stage: &'a str,
    error: &'a str,
    severity: &'a str,
}

/// The errors file of one exporter, created on first use like its output.
pub(crate) struct ErrorsFile {
    path: PathBuf,
    file: Option<AtomicFile>,
}

impl ErrorsFile {
    /// From the `errors_path` option (else beside `output`, the exporter's
    /// resolved `path` as given, before a sharded run names it as a part),
    /// checked so that it can neither overwrite the output nor be a folder.
    /// In a sharded run both are parts: `out/news.part-00003-of-00016.jsonl`
    /// and `out/news.errors.part-00003-of-00016.jsonl`.
    pub fn from_option(
        given: Option<&str>,
        output: &Path,
        context: &BuildContext,
    ) -> anyhow::Result<ErrorsFile> {
        let path = context.part(match given {
            Some(given) => context.resolve(given),
            None => errors_path_beside(output),
        });
        let output = context.part(output);
        if path == output {
            return Err(OptionsError::invalid("errors_path", "must differ from `path`").into());
        }
        if path.is_dir() {
            return Err(OptionsError::invalid(
                "errors_path",
                format!("{} is a folder; give a file name", path.display()),
            )
            .into());
        }
        Ok(ErrorsFile { path, file: None })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn record(&mut self, failure: &Failure) -> anyhow::Result<()> {
        let mut line = serde_json::to_vec(&FailureRecord {
            id: &failure.id,
            source: &failure.source,
            stage: &failure.stage,
            error: &failure.error,
            severity: failure.severity.as_str(),
        })?;
        line.push(b'\n');
        let path = &self.path;
        let file = match &mut self.file {
            Some(file) => file,
            empty => empty.insert(AtomicFile::create(path)?),
        };
        file.write_all(&line).with_context(|| format!("cannot write {}", path.display()))
    }

    /// A commit point of the errors file (created empty if need be).
    pub fn checkpoint(&mut self) -> anyhow::Result<FileCheckpoint> {
        let path = &self.path;
        let file = match &mut self.file {
            Some(file) => file,
            empty => empty.insert(AtomicFile::create(path)?),
        };
        Ok(FileCheckpoint { target: path.clone(), length: file.checkpoint()? })
    }

    /// Continues the errors file of an interrupted run.
    pub fn resume(&mut self, files: &[FileCheckpoint]) -> anyhow::Result<()> {
        self.file =
            Some(AtomicFile::reopen(&self.path, checkpointed_length(files, 1, &self.path)?)?);
        Ok(())
    }

    /// Flushed and synced, ready to be renamed into place with the output.
    /// A run without failures still gets its (empty) file, which says "no
    /// failures" rather than leaving an older run's file in place.
    pub fn prepare(self) -> anyhow::Result<PreparedFile> {
        match self.file {
            Some(file) => file.prepare(),
            None => AtomicFile::create(&self.path)?.prepare(),
        }
    }
}

/// Prepares the output and its errors file, then commits both: both are on
/// disk before either is renamed.
pub(crate) fn commit_with_errors(
    output: AtomicFile,
    errors: ErrorsFile,
) -> anyhow::Result<Vec<PathBuf>> {
    let prepared = [output.prepare()?, errors.prepare()?];
    prepared.into_iter().map(PreparedFile::commit).collect()
}

/// A commit point of an output and its errors file.
pub(crate) fn checkpoint_with_errors(
    output: &mut AtomicFile,
    errors: &mut ErrorsFile,
) -> anyhow::Result<Vec<FileCheckpoint>> {
    let output =
        FileCheckpoint { target: output.target().to_path_buf(), length: output.checkpoint()? };
    Ok(vec![output, errors.checkpoint()?])
}

/// The length a commit point recorded for `path`, the `index`th file of
/// its exporter. Matched by position, with the file name as a check: the
/// folder may be spelt differently when the pipeline is run from elsewhere.
pub(crate) fn checkpointed_length(
    files: &[FileCheckpoint],
    index: usize,
    path: &Path,
) -> anyhow::Result<u64> {
    match files.get(index) {
        Some(file) if file.target.file_name() == path.file_name() => Ok(file.length),
        _ => anyhow::bail!("the commit point does not mention {}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_path_sits_beside_the_output() {
        assert_eq!(
            errors_path_beside(Path::new("out/default.jsonl")),
            PathBuf::from("out/default.errors.jsonl")
        );
        assert_eq!(errors_path_beside(Path::new("run")), PathBuf::from("run.errors.jsonl"));
    }

    #[test]
    fn the_errors_path_may_not_be_the_output_or_a_folder() {
        let context = BuildContext::new(std::env::temp_dir(), "x");
        let output = std::env::temp_dir().join("out.jsonl");
        let same = ErrorsFile::from_option(Some("out.jsonl"), &output, &context).err().unwrap();
        assert_eq!(same.to_string(), "key `errors_path`: must differ from `path`");
        assert!(ErrorsFile::from_option(Some("."), &output, &context).is_err());
    }
}
