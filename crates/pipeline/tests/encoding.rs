//! Exporters with an encoder (`jsonl`) have their documents encoded on the
//! worker threads: the output is byte for byte what the exporter writes
//! itself on the writer thread, whatever the thread count.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use document::{Document, Encoder, Exporter, Failure, FileCheckpoint};

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds")
}

fn scratch(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("dateline-encoding-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&folder);
    fs::create_dir_all(&folder).unwrap();
    folder
}

/// Hides its exporter's encoder, so that the pipeline calls `write`.
struct WriteOnly(Box<dyn Exporter>);

impl Exporter for WriteOnly {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        self.0.write(document)
    }
    fn record_failure(&mut self, failure: &Failure) -> anyhow::Result<()> {
        self.0.record_failure(failure)
    }
    fn outputs(&self) -> Vec<PathBuf> {
        self.0.outputs()
    }
    fn finish(self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        self.0.finish()
    }
    fn resumable(&self) -> bool {
        self.0.resumable()
    }
    fn checkpoint(&mut self) -> anyhow::Result<Vec<FileCheckpoint>> {
        self.0.checkpoint()
    }
    fn resume(&mut self, files: &[FileCheckpoint]) -> anyhow::Result<()> {
        self.0.resume(files)
    }
}

/// The seeds 25 times over (ids `…~2` and on), into `out/out.jsonl`, with
/// the exporter's encoder or without; returns the output and errors file.
fn run(out: &Path, encode: bool, threads: usize) -> (Vec<u8>, Vec<u8>) {
    let source = format!(
        "[pipeline]\nbatch_size = 3\n\n[reader]\nkind = \"text\"\npath = \"{}\"\n\n\
         [[extractor]]\nkind = \"dateline\"\n\n[[extractor]]\nkind = \"measures\"\n\n\
         [[extractor]]\nkind = \"temporal\"\n\n\
         [[exporter]]\nkind = \"jsonl\"\npath = \"{}\"\ntokens = true\n",
        seeds().display(),
        out.join("out.jsonl").display(),
    );
    let registry = pipeline::builtin_registry();
    let mut built = pipeline::load_str(&source, Path::new("p.toml"), &registry).unwrap();
    pipeline::bench::repeat(&mut built, 25);
    let jsonl = &mut built.exporters[0].component;
    assert!(jsonl.encoder().is_some(), "the jsonl exporter has an encoder");
    if !encode {
        let placeholder: Box<dyn Exporter> = Box::new(WriteOnly(Box::new(Nothing)));
        let inner = std::mem::replace(jsonl, placeholder);
        *jsonl = Box::new(WriteOnly(inner));
        assert!(jsonl.encoder().is_none());
    }
    let options = pipeline::RunOptions { threads: Some(threads), ..Default::default() };
    let summary = built.run(&options, &mut |_| {}).unwrap();
    assert_eq!((summary.written, summary.failed), (50, 0));
    (fs::read(out.join("out.jsonl")).unwrap(), fs::read(out.join("out.errors.jsonl")).unwrap())
}

/// Stands in for a moment while the exporter is wrapped; never called.
struct Nothing;

impl Exporter for Nothing {
    fn write(&mut self, _: &Document) -> anyhow::Result<()> {
        anyhow::bail!("nothing")
    }
    fn finish(self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        anyhow::bail!("nothing")
    }
}

#[test]
fn encoded_on_the_workers_or_written_on_the_writer_the_bytes_are_the_same() {
    let out = scratch("reference");
    let (reference, reference_errors) = run(&out, false, 1);
    assert_eq!(reference.iter().filter(|byte| **byte == b'\n').count(), 50);
    assert!(String::from_utf8_lossy(&reference).contains(r#""label":"DATELINE""#));
    for (encode, threads) in [(true, 1), (true, 2), (true, 4), (false, 4)] {
        let (output, errors) = run(&out, encode, threads);
        assert!(output == reference, "encode {encode}, {threads} threads: the output differs");
        assert_eq!(errors, reference_errors);
    }
    fs::remove_dir_all(out).unwrap();
}

/// An encoder used outside any pipeline: what it makes is exactly the line
/// the exporter's own `write` writes.
#[test]
fn the_jsonl_encoder_makes_the_line_write_writes() {
    let out = scratch("direct");
    let registry = pipeline::builtin_registry();
    let context = document::BuildContext::new(&out, "jsonl");
    let options = serde_json::json!({"path": "a.jsonl", "tokens": true});
    let build = || {
        registry
            .exporter("jsonl")
            .unwrap()
            .build(options.as_object().cloned().unwrap(), &context)
            .map_err(|errors| errors[0].to_string())
            .unwrap()
    };
    let mut document = Document::new("z", "In Zürich, on \"Monday\"\n\tSerraj said.");
    document.tokens.push(document::Token {
        span: document::Span::new(3, 10),
        kind: document::TokenKind::Word,
    });
    let mut writer = build();
    writer.write(&document).unwrap();
    let written = writer.finish().unwrap();
    let line = fs::read(&written[0]).unwrap();
    let encoder: Arc<dyn Encoder> = build().encoder().unwrap();
    let mut encoded = Vec::new();
    encoder.encode(&document, &mut encoded).unwrap();
    assert_eq!(String::from_utf8(encoded).unwrap(), String::from_utf8(line).unwrap());
    fs::remove_dir_all(out).unwrap();
}
