use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// A file written under a temporary name and renamed into place on
/// [`AtomicFile::commit`]. Dropped without a commit, it removes its
/// temporary file, so a failed run leaves the old output untouched.
///
/// The temporary name is fixed (`out/.news.jsonl.partial` for
/// `out/news.jsonl`) and the file is locked while it is written, so that a
/// second run writing the same output stops with a clear error instead of
/// interleaving with the first, and so that a run killed before it could
/// clean up can be found and continued by `runner run --resume`
/// ([`AtomicFile::reopen`]).
pub struct AtomicFile {
    target: PathBuf,
    temporary: PathBuf,
    writer: Option<BufWriter<File>>,
    /// Bytes written so far, the length of the file once flushed.
    length: u64,
}

/// `out/news.jsonl` → `out/.news.jsonl.partial`: hidden, and never taken
/// for a finished output.
pub fn temporary_path(target: &Path) -> anyhow::Result<PathBuf> {
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .with_context(|| format!("output path {} has no file name", target.display()))?;
    Ok(folder.join(format!(".{}.partial", file_name.to_string_lossy())))
}

impl AtomicFile {
    /// Creates (or empties) the temporary file beside `target`, creating
    /// missing parent folders, so that the final rename never crosses file
    /// systems.
    pub fn create(target: &Path) -> anyhow::Result<AtomicFile> {
        let temporary = temporary_path(target)?;
        if let Some(folder) = temporary.parent() {
            fs::create_dir_all(folder)
                .with_context(|| format!("cannot create output folder {}", folder.display()))?;
        }
        let file = open_locked(target, &temporary, true)?;
        file.set_len(0).with_context(|| format!("cannot empty {}", temporary.display()))?;
        Ok(AtomicFile::new(target, temporary, file, 0))
    }

    /// Opens the temporary file an interrupted run left behind, cut back to
    /// `length` bytes (its last commit point), to go on writing after them.
    pub fn reopen(target: &Path, length: u64) -> anyhow::Result<AtomicFile> {
        let temporary = temporary_path(target)?;
        let mut file = open_locked(target, &temporary, false)?;
        let found =
            file.metadata().with_context(|| format!("cannot read {}", temporary.display()))?.len();
        if found < length {
            anyhow::bail!(
                "{} holds {found} bytes, fewer than the {length} its last commit point recorded",
                temporary.display()
            );
        }
        file.set_len(length).with_context(|| format!("cannot cut {}", temporary.display()))?;
        file.seek(SeekFrom::Start(length))
            .with_context(|| format!("cannot seek in {}", temporary.display()))?;
        Ok(AtomicFile::new(target, temporary, file, length))
    }

    fn new(target: &Path, temporary: PathBuf, file: File, length: u64) -> AtomicFile {
        AtomicFile {
            target: target.to_path_buf(),
            temporary,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
            length,
        }
    }

    /// A commit point: flushes and syncs what was written so far, keeping
    /// the temporary name, and returns the durable length.
    pub fn checkpoint(&mut self) -> anyhow::Result<u64> {
        let writer = self.writer.as_mut().context("output file was already closed")?;
        writer.flush().with_context(|| format!("cannot write {}", self.temporary.display()))?;
        writer
            .get_ref()
            .sync_data()
            .with_context(|| format!("cannot sync {}", self.temporary.display()))?;
        Ok(self.length)
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

/// Opens `temporary` for writing and takes its lock; `create` makes it if
/// it is missing. The lock lives as long as the file handle.
fn open_locked(target: &Path, temporary: &Path, create: bool) -> anyhow::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create(create)
        .truncate(false)
        .open(temporary)
        .with_context(|| format!("cannot open {}", temporary.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another run is writing {} (its temporary file {} is locked)",
            target.display(),
            temporary.display()
        ),
        Err(fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("cannot lock {}", temporary.display()))
        }
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
            Some(writer) => {
                let written = writer.write(buffer)?;
                self.length += written as u64;
                Ok(written)
            }
            None => Err(io::Error::other("output file was already closed")),
        }
    }

    fn write_all(&mut self, buffer: &[u8]) -> io::Result<()> {
        match &mut self.writer {
            Some(writer) => {
                writer.write_all(buffer)?;
                self.length += buffer.len() as u64;
                Ok(())
            }
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
    fn a_second_writer_of_one_target_is_refused() {
        let folder = scratch("twins");
        let target = folder.join("a.jsonl");
        let first = AtomicFile::create(&target).unwrap();
        let error = AtomicFile::create(&target).err().unwrap();
        assert_eq!(
            error.to_string(),
            format!(
                "another run is writing {} (its temporary file {} is locked)",
                target.display(),
                folder.join(".a.jsonl.partial").display()
            )
        );
        drop(first);
        assert!(AtomicFile::create(&target).is_ok(), "the lock goes with the file");
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn reopen_continues_after_the_last_checkpoint() {
        let folder = scratch("reopen");
        let target = folder.join("out.jsonl");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"one\n").unwrap();
        assert_eq!(file.checkpoint().unwrap(), 4);
        file.write_all(b"two, never committed").unwrap();
        file.flush().unwrap();
        // A killed run: the temporary file stays (dropping removes it, so
        // put it back), and nothing is at the target.
        let left_behind = fs::read(&file.temporary).unwrap();
        let temporary = file.temporary.clone();
        drop(file);
        fs::write(&temporary, left_behind).unwrap();
        assert!(!target.exists());
        let mut file = AtomicFile::reopen(&target, 4).unwrap();
        file.write_all(b"two\n").unwrap();
        file.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "one\ntwo\n");
        let error = AtomicFile::reopen(&target, 4).err().unwrap();
        assert!(format!("{error:#}").starts_with("cannot open "), "{error:#}");
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
