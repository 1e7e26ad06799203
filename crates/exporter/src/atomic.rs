use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;

/// Makes temporary names unique within the process, so that two exporters
/// can never share one even if they were given the same target.
static NEXT_TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// A file written under a temporary name and renamed into place on
/// [`AtomicFile::commit`]. Dropped without a commit, it removes its
/// temporary file, so a failed run leaves the old output untouched.
pub struct AtomicFile {
    target: PathBuf,
    temporary: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates the temporary file beside `target` (creating missing parent
    /// folders), so that the final rename never crosses file systems.
    pub fn create(target: &Path) -> anyhow::Result<AtomicFile> {
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create output folder {}", folder.display()))?;
        let file_name = target
            .file_name()
            .with_context(|| format!("output path {} has no file name", target.display()))?;
        let temporary = folder.join(format!(
            ".{}.{}-{}.tmp",
            file_name.to_string_lossy(),
            std::process::id(),
            NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed)
        ));
        let file = File::create(&temporary)
            .with_context(|| format!("cannot create {}", temporary.display()))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temporary,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> anyhow::Result<PathBuf> {
        self.prepare()?.commit()
    }

    /// The first half of a commit: flushes and syncs the data, so that what
    /// is left (the rename) can hardly fail. An exporter with several files
    /// prepares them all before committing any.
    pub fn prepare(mut self) -> anyhow::Result<PreparedFile> {
        let writer = self.writer.take().context("output file was already closed")?;
        let prepared =
            PreparedFile { target: self.target.clone(), temporary: Some(self.temporary.clone()) };
        let file = writer
            .into_inner()
            .map_err(|error| error.into_error())
            .with_context(|| format!("cannot write {}", self.temporary.display()))?;
        file.sync_all().with_context(|| format!("cannot sync {}", self.temporary.display()))?;
        Ok(prepared)
    }
}

/// A temporary file whose data is on disk, waiting to be renamed into
/// place. Dropped without a commit, it removes the temporary file.
pub struct PreparedFile {
    target: PathBuf,
    temporary: Option<PathBuf>,
}

impl PreparedFile {
    pub fn commit(mut self) -> anyhow::Result<PathBuf> {
        let temporary = self.temporary.take().context("output file was already committed")?;
        if let Err(error) = fs::rename(&temporary, &self.target) {
            let _ = fs::remove_file(&temporary);
            return Err(error).with_context(|| {
                format!("cannot move {} to {}", temporary.display(), self.target.display())
            });
        }
        Ok(self.target.clone())
    }
}

impl Drop for PreparedFile {
    fn drop(&mut self) {
        if let Some(temporary) = self.temporary.take() {
            let _ = fs::remove_file(temporary);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        match &mut self.writer {
            Some(writer) => writer.write(buffer),
            None => Err(io::Error::other("output file was already closed")),
        }
    }

    fn write_all(&mut self, buffer: &[u8]) -> io::Result<()> {
        match &mut self.writer {
            Some(writer) => writer.write_all(buffer),
            None => Err(io::Error::other("output file was already closed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.writer {
            Some(writer) => writer.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Not committed (the run failed, or the commit did): the partial
        // output goes. After `prepare` the `PreparedFile` owns the file.
        if self.writer.take().is_some() {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("dateline-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        folder
    }

    #[test]
    fn nothing_at_the_target_until_commit() {
        let folder = scratch("commit");
        let target = folder.join("nested/out.jsonl");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"line\n").unwrap();
        assert!(!target.exists());
        assert_eq!(file.commit().unwrap(), target);
        assert_eq!(fs::read_to_string(&target).unwrap(), "line\n");
        assert_eq!(fs::read_dir(target.parent().unwrap()).unwrap().count(), 1);
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let folder = scratch("rename");
        // A folder where the file should go: the rename fails.
        fs::create_dir_all(folder.join("out.jsonl/inside")).unwrap();
        let mut file = AtomicFile::create(&folder.join("out.jsonl")).unwrap();
        file.write_all(b"data").unwrap();
        let error = file.commit().unwrap_err();
        assert!(format!("{error:#}").starts_with("cannot move "), "{error:#}");
        let names: Vec<_> =
            fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().file_name()).collect();
        assert_eq!(names, ["out.jsonl"]);
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn two_files_for_one_target_get_different_temporary_names() {
        let folder = scratch("twins");
        let first = AtomicFile::create(&folder.join("a.jsonl")).unwrap();
        let second = AtomicFile::create(&folder.join("a.jsonl")).unwrap();
        assert_ne!(first.temporary, second.temporary);
        drop((first, second));
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn dropping_without_commit_keeps_the_old_output() {
        let folder = scratch("drop");
        fs::create_dir_all(&folder).unwrap();
        let target = folder.join("out.jsonl");
        fs::write(&target, "old\n").unwrap();
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"new, partial").unwrap();
        drop(file);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old\n");
        assert_eq!(fs::read_dir(&folder).unwrap().count(), 1, "temporary file removed");
        fs::remove_dir_all(folder).unwrap();
    }
}
