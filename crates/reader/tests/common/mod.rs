//! Fixtures shared by the reader tests: a scratch folder made at run time,
//! compressors, and building readers through the registry.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use document::{BuildContext, Document, Failure, Reader, Registry, Value};

/// A folder under the system temp dir, removed when dropped.
pub struct Scratch {
    pub root: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let unique = format!(
            "dateline-reader-{name}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&root).unwrap();
        Scratch { root }
    }

    /// Writes `bytes` at `relative`, creating folders.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn path(&self, relative: &str) -> String {
        self.root.join(relative).to_string_lossy().into_owned()
    }

    pub fn context(&self) -> BuildContext {
        BuildContext::new(&self.root, "reader")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

pub fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

pub fn registry() -> Registry {
    let mut registry = Registry::new();
    reader::register(&mut registry);
    registry
}

/// Builds a reader of `kind` through the registry, as a pipeline does.
pub fn build(
    kind: &str,
    context: &BuildContext,
    options: Value,
) -> Result<Box<dyn Reader>, Vec<String>> {
    let options = options.as_object().cloned().unwrap_or_default();
    registry()
        .reader(kind)
        .unwrap()
        .build(options, context)
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

pub fn build_ok(kind: &str, context: &BuildContext, options: Value) -> Box<dyn Reader> {
    match build(kind, context, options) {
        Ok(reader) => reader,
        Err(errors) => panic!("{errors:?}"),
    }
}

pub fn build_error(kind: &str, context: &BuildContext, options: Value) -> Vec<String> {
    match build(kind, context, options) {
        Ok(_) => panic!("the reader was built"),
        Err(errors) => errors,
    }
}

pub fn read_all(reader: &dyn Reader) -> Vec<Result<Document, Failure>> {
    reader.open().unwrap().collect()
}

/// `id` for a document, `id: error` for a failure.
pub fn summary(items: &[Result<Document, Failure>]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Ok(document) => document.id.clone(),
            Err(failure) => format!("{}: {}", failure.id, failure.error),
        })
        .collect()
}

pub fn document(item: &Result<Document, Failure>) -> &Document {
    match item {
        Ok(document) => document,
        Err(failure) => panic!("expected a document, got {failure:?}"),
    }
}

pub fn failure(item: &Result<Document, Failure>) -> &Failure {
    match item {
        Ok(document) => panic!("expected a failure, got document {}", document.id),
        Err(failure) => failure,
    }
}

pub fn source_of(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
