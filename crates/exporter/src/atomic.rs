use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

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
        let temporary =
            folder.join(format!(".{}.{}.tmp", file_name.to_string_lossy(), std::process::id()));
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
    pub fn commit(mut self) -> anyhow::Result<PathBuf> {
        let writer = self.writer.take().context("output file was already closed")?;
        let file = writer
            .into_inner()
            .map_err(|error| error.into_error())
            .with_context(|| format!("cannot write {}", self.temporary.display()))?;
        file.sync_all().with_context(|| format!("cannot sync {}", self.temporary.display()))?;
        drop(file);
        fs::rename(&self.temporary, &self.target).with_context(|| {
            format!("cannot move {} to {}", self.temporary.display(), self.target.display())
        })?;
        Ok(self.target.clone())
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
        if self.writer.take().is_some() {
            // Not committed: the run failed, so its partial output goes.
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
