//! Test components: an in-memory reader, extractors that misbehave on
//! purpose, and an exporter that keeps what it is given.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use document::{
    Annotation, BuildContext, Component, ComponentOptions, Document, DocumentStream, Encoder,
    Exporter, Extractor, Failure, NoOptions, OptionDoc, Reader, Registry, Span,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryOptions {
    pub count: usize,
    #[serde(default)]
    pub panic_at: Option<usize>,
}

impl ComponentOptions for MemoryOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc { name: "count", ty: "integer", default: None, doc: "documents to make" },
        OptionDoc { name: "panic_at", ty: "integer", default: None, doc: "panic at this index" },
    ];
}

/// Yields `count` documents `doc-0000` …; every seventh is a reader
/// failure, and the document at `panic_at` makes the reader panic. The
/// documents that `Fragile` fails carry a reader warning.
pub struct MemoryReader {
    count: usize,
    panic_at: Option<usize>,
}

impl Component for MemoryReader {
    const KIND: &'static str = "memory";
    const DESCRIPTION: &'static str = "documents made in memory";
    type Options = MemoryOptions;
    fn build(options: MemoryOptions, _: &BuildContext) -> anyhow::Result<Self> {
        Ok(MemoryReader { count: options.count, panic_at: options.panic_at })
    }
}

impl Reader for MemoryReader {
    fn open(&self) -> anyhow::Result<DocumentStream<'_>> {
        Ok(Box::new((0..self.count).map(|index| {
            if Some(index) == self.panic_at {
                panic!("reader broke at {index}");
            }
            let id = format!("doc-{index:04}");
            if index % 7 == 6 {
                return Err(Failure::error(id, "memory", "reader", "unreadable on purpose"));
            }
            let mut document =
                Document::new(id, format!("Document {index} says PANIC {} and Zürich.", index % 5));
            document.source = "memory".into();
            if index % 5 == 3 {
                document.warnings.push("odd bytes".into());
            }
            Ok(document)
        })))
    }
}

/// Labels every "PANIC" and panics on documents whose text has "PANIC 3".
pub struct Fragile;

impl Component for Fragile {
    const KIND: &'static str = "fragile";
    const DESCRIPTION: &'static str = "panics on purpose";
    type Options = NoOptions;
    fn build(_: NoOptions, _: &BuildContext) -> anyhow::Result<Self> {
        Ok(Fragile)
    }
}

impl Extractor for Fragile {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        if document.text.contains("PANIC 3") {
            panic!("fragile extractor met {}", document.id);
        }
        if document.text.contains("PANIC 4") {
            anyhow::bail!("cannot handle {}", document.id);
        }
        if let Some(start) = document.text.find("Zürich") {
            document.annotate(Annotation::new("LOC", Span::new(start, start + "Zürich".len())))?;
        }
        Ok(())
    }
}

/// Never returns on documents whose id ends in 2 (doc-0002, doc-0012, …),
/// sleeping rather than spinning so that abandoned threads cost no CPU.
pub struct Stuck;

impl Component for Stuck {
    const KIND: &'static str = "stuck";
    const DESCRIPTION: &'static str = "hangs on purpose";
    type Options = NoOptions;
    fn build(_: NoOptions, _: &BuildContext) -> anyhow::Result<Self> {
        Ok(Stuck)
    }
}

impl Extractor for Stuck {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        if document.id.ends_with('2') {
            loop {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        Ok(())
    }
}

/// Pushes an annotation whose span cuts a character in two.
pub struct Sloppy;

impl Component for Sloppy {
    const KIND: &'static str = "sloppy";
    const DESCRIPTION: &'static str = "produces bad spans";
    type Options = NoOptions;
    fn build(_: NoOptions, _: &BuildContext) -> anyhow::Result<Self> {
        Ok(Sloppy)
    }
}

impl Extractor for Sloppy {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        if let Some(start) = document.text.find("Zürich") {
            document.annotations.push(Annotation::new("LOC", Span::new(start, start + 2)));
        }
        Ok(())
    }
}

pub type Written = Arc<Mutex<Vec<String>>>;

/// Records `write:<id>:<labels>` and `fail:<id>:<stage>:<error>` lines,
/// and panics when asked to write the document `panic_on`. With `encode`,
/// the `write:` lines are made by its encoder (on the workers), which also
/// returns an error for the document `fail_on` and never returns on
/// `hang_on` (sleeping, like `Stuck`).
pub struct Collect {
    pub lines: Written,
    encoder: Arc<CollectEncoder>,
    encode: bool,
}

struct CollectEncoder {
    panic_on: Option<String>,
    fail_on: Option<String>,
    hang_on: Option<String>,
}

impl Encoder for CollectEncoder {
    fn encode(&self, document: &Document, out: &mut Vec<u8>) -> anyhow::Result<()> {
        if self.panic_on.as_deref() == Some(document.id.as_str()) {
            panic!("collect cannot write {}", document.id);
        }
        if self.fail_on.as_deref() == Some(document.id.as_str()) {
            anyhow::bail!("disk full at {}", document.id);
        }
        if self.hang_on.as_deref() == Some(document.id.as_str()) {
            loop {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        let labels: Vec<String> = document
            .annotations
            .iter()
            .map(|annotation| format!("{}/{}", annotation.label, annotation.extractor))
            .collect();
        out.extend_from_slice(format!("write:{}:{}", document.id, labels.join(",")).as_bytes());
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectOptions {
    #[serde(default)]
    panic_on: Option<String>,
    #[serde(default)]
    fail_on: Option<String>,
    #[serde(default)]
    hang_on: Option<String>,
    #[serde(default)]
    encode: bool,
}

impl ComponentOptions for CollectOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc { name: "panic_on", ty: "string", default: None, doc: "document id" },
        OptionDoc { name: "fail_on", ty: "string", default: None, doc: "document id" },
        OptionDoc { name: "hang_on", ty: "string", default: None, doc: "document id" },
        OptionDoc { name: "encode", ty: "boolean", default: Some("false"), doc: "use an encoder" },
    ];
}

pub fn collected() -> Written {
    static LINES: std::sync::OnceLock<Written> = std::sync::OnceLock::new();
    LINES.get_or_init(Written::default).clone()
}

impl Component for Collect {
    const KIND: &'static str = "collect";
    const DESCRIPTION: &'static str = "keeps lines in memory";
    type Options = CollectOptions;
    fn build(options: CollectOptions, _: &BuildContext) -> anyhow::Result<Self> {
        let encoder = CollectEncoder {
            panic_on: options.panic_on,
            fail_on: options.fail_on,
            hang_on: options.hang_on,
        };
        Ok(Collect {
            lines: Written::default(),
            encoder: Arc::new(encoder),
            encode: options.encode,
        })
    }
}

impl Exporter for Collect {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let mut line = Vec::new();
        self.encoder.encode(document, &mut line)?;
        self.write_encoded(&line)
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        self.encode.then(|| self.encoder.clone() as Arc<dyn Encoder>)
    }

    fn write_encoded(&mut self, encoded: &[u8]) -> anyhow::Result<()> {
        self.lines.lock().unwrap().push(String::from_utf8(encoded.to_vec())?);
        Ok(())
    }

    fn record_failure(&mut self, failure: &Failure) -> anyhow::Result<()> {
        let line = format!(
            "{}:{}:{}:{}",
            if failure.severity == document::Severity::Warning { "warn" } else { "fail" },
            failure.id,
            failure.stage,
            failure.error
        );
        self.lines.lock().unwrap().push(line);
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Vec<std::path::PathBuf>> {
        let lines = std::mem::take(&mut *self.lines.lock().unwrap());
        collected().lock().unwrap().extend(lines);
        Ok(Vec::new())
    }
}

/// The built-in registry plus the test components.
pub fn registry() -> Registry {
    let mut registry = pipeline::builtin_registry();
    registry.add_reader::<MemoryReader>();
    registry.add_extractor::<Fragile>();
    registry.add_extractor::<Sloppy>();
    registry.add_extractor::<Stuck>();
    registry.add_exporter::<Collect>();
    registry
}
