use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use document::{
    BuildContext, Component, ComponentOptions, Date, Document, Encoder, Exporter, Failure,
    FileCheckpoint, Map, OptionDoc, Span, Value,
};
use serde::{Deserialize, Serialize};

use crate::errors_file::{
    ErrorsFile, checkpoint_with_errors, checkpointed_length, commit_with_errors,
};
use crate::{AtomicFile, CharOffsets};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonlOptions {
    path: String,
    #[serde(default = "yes")]
    text: bool,
    #[serde(default = "yes")]
    metadata: bool,
    #[serde(default)]
    tokens: bool,
    #[serde(default)]
    errors_path: Option<String>,
}

fn yes() -> bool {
    true
}

impl ComponentOptions for JsonlOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "path",
            ty: "path",
            default: None,
            doc: "output file, one JSON document a line; relative to the pipeline file's folder",
        },
        OptionDoc {
            name: "text",
            ty: "boolean",
            default: Some("true"),
            doc: "include each document's full text (annotation texts are always included)",
        },
        OptionDoc {
            name: "metadata",
            ty: "boolean",
            default: Some("true"),
            doc: "include the reader's metadata object (agency, editor, extra JSONL fields)",
        },
        OptionDoc {
            name: "tokens",
            ty: "boolean",
            default: Some("false"),
            doc: "include `tokens` and `sentences` as [[start, end], …] lists (for inspecting tokenization)",
        },
        OptionDoc {
            name: "errors_path",
            ty: "path",
            default: Some("\"<path stem>.errors.jsonl\""),
            doc: "where failed documents and warnings are recorded",
        },
    ];
}

/// Writes the JSONL output contract (`docs/output.md`) and, beside it, the
/// errors file.
///
/// The lines are made by a [`JsonlEncoder`], which the pipeline runs on its
/// worker threads; the exporter itself only appends them in input order.
pub struct JsonlExporter {
    path: PathBuf,
    errors: ErrorsFile,
    encoder: Arc<JsonlEncoder>,
    output: Option<AtomicFile>,
    line: Vec<u8>,
}

/// Turns a document into its JSONL line (with the newline), on any thread.
struct JsonlEncoder {
    include_text: bool,
    include_metadata: bool,
    include_tokens: bool,
}

impl Component for JsonlExporter {
    const KIND: &'static str = "jsonl";
    const DESCRIPTION: &'static str =
        "one JSON object a line with code-point offsets, plus an errors file";
    type Options = JsonlOptions;

    fn build(options: JsonlOptions, context: &BuildContext) -> anyhow::Result<Self> {
        let path = crate::output_file(&options.path, context, Some("out.jsonl"))?;
        let errors = ErrorsFile::from_option(
            options.errors_path.as_deref(),
            &context.resolve(&options.path),
            context,
        )?;
        Ok(JsonlExporter {
            path,
            errors,
            encoder: Arc::new(JsonlEncoder {
                include_text: options.text,
                include_metadata: options.metadata,
                include_tokens: options.tokens,
            }),
            output: None,
            line: Vec::with_capacity(1 << 16),
        })
    }
}

#[derive(Serialize)]
struct DocumentRecord<'a> {
    id: &'a str,
    source: &'a str,
    date: Option<&'a Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    header: Option<SpanRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Map<String, Value>>,
    annotations: Vec<AnnotationRecord<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    entities: Vec<EntityRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<Vec<[usize; 2]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentences: Option<Vec<[usize; 2]>>,
}

#[derive(Serialize)]
struct SpanRecord {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct AnnotationRecord<'a> {
    label: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    extractor: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attrs: Option<&'a Map<String, Value>>,
}

#[derive(Serialize)]
struct EntityRecord<'a> {
    id: &'a str,
    label: &'a str,
    canonical: &'a str,
    mentions: usize,
    attrs: &'a Map<String, Value>,
}

fn open<'f>(file: &'f mut Option<AtomicFile>, path: &Path) -> anyhow::Result<&'f mut AtomicFile> {
    if file.is_none() {
        *file = Some(AtomicFile::create(path)?);
    }
    file.as_mut().context("output file could not be opened")
}

impl JsonlEncoder {
    fn record<'a>(&self, document: &'a Document) -> DocumentRecord<'a> {
        let offsets = CharOffsets::new(
            &document.text,
            document
                .annotations
                .iter()
                .flat_map(|annotation| [annotation.span.start, annotation.span.end])
                .chain(document.header.iter().flat_map(|header| [header.start, header.end]))
                .chain(self.token_spans(document).flat_map(|span| [span.start, span.end])),
        );
        let spans = |spans: &mut dyn Iterator<Item = Span>| -> Vec<[usize; 2]> {
            spans.map(|span| [offsets.get(span.start), offsets.get(span.end)]).collect()
        };
        DocumentRecord {
            id: &document.id,
            source: &document.source,
            date: document.date.as_ref(),
            text: self.include_text.then_some(document.text.as_str()),
            header: document.header.map(|header| SpanRecord {
                start: offsets.get(header.start),
                end: offsets.get(header.end),
            }),
            metadata: (self.include_metadata && !document.metadata.is_empty())
                .then_some(&document.metadata),
            annotations: document
                .annotations
                .iter()
                .map(|annotation| AnnotationRecord {
                    label: &annotation.label,
                    start: offsets.get(annotation.span.start),
                    end: offsets.get(annotation.span.end),
                    text: document.slice(annotation.span),
                    extractor: &annotation.extractor,
                    value: annotation.value.as_ref(),
                    attrs: annotation.attrs.as_ref(),
                })
                .collect(),
            entities: document
                .entities
                .iter()
                .map(|entity| EntityRecord {
                    id: &entity.id,
                    label: &entity.label,
                    canonical: &entity.canonical,
                    mentions: entity.mentions,
                    attrs: &entity.attrs,
                })
                .collect(),
            tokens: self
                .include_tokens
                .then(|| spans(&mut document.tokens.iter().map(|token| token.span))),
            sentences: self
                .include_tokens
                .then(|| spans(&mut document.sentences.iter().map(|sentence| sentence.span))),
        }
    }

    /// Token and sentence spans, when they are to be written.
    fn token_spans<'a>(&self, document: &'a Document) -> impl Iterator<Item = Span> + 'a {
        let (tokens, sentences): (&[_], &[_]) =
            if self.include_tokens { (&document.tokens, &document.sentences) } else { (&[], &[]) };
        let tokens = tokens.iter().map(|token| token.span);
        tokens.chain(sentences.iter().map(|sentence| sentence.span))
    }
}

impl Encoder for JsonlEncoder {
    fn encode(&self, document: &Document, out: &mut Vec<u8>) -> anyhow::Result<()> {
        // A line is about five times the text (annotations with their
        // texts and values): one allocation for most documents.
        out.reserve(5 * document.text.len() + 256);
        serde_json::to_writer(&mut *out, &self.record(document))?;
        out.push(b'\n');
        Ok(())
    }
}

impl JsonlExporter {
    fn append(&mut self, line: &[u8]) -> anyhow::Result<()> {
        let output = open(&mut self.output, &self.path)?;
        output.write_all(line).with_context(|| format!("cannot write {}", self.path.display()))
    }
}

impl Exporter for JsonlExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        let written = self.encoder.encode(document, &mut line).and_then(|()| self.append(&line));
        self.line = line;
        written
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(self.encoder.clone())
    }

    fn write_encoded(&mut self, encoded: &[u8]) -> anyhow::Result<()> {
        self.append(encoded)
    }

    fn record_failure(&mut self, failure: &Failure) -> anyhow::Result<()> {
        self.errors.record(failure)
    }

    fn outputs(&self) -> Vec<PathBuf> {
        vec![self.path.clone(), self.errors.path().to_path_buf()]
    }

    fn resumable(&self) -> bool {
        true
    }

    fn checkpoint(&mut self) -> anyhow::Result<Vec<FileCheckpoint>> {
        let output = open(&mut self.output, &self.path)?;
        checkpoint_with_errors(output, &mut self.errors)
    }

    fn resume(&mut self, files: &[FileCheckpoint]) -> anyhow::Result<()> {
        let length = checkpointed_length(files, 0, &self.path)?;
        self.output = Some(AtomicFile::reopen(&self.path, length)?);
        self.errors.resume(files)
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        // Written even when empty, so that an older run's file never stays.
        open(&mut self.output, &self.path)?;
        let output = self.output.take().context("output file could not be opened")?;
        commit_with_errors(output, self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{Annotation, Sentence, Token, TokenKind, json};
    use std::fs;

    fn exporter(folder: &Path, options: Value) -> Box<dyn Exporter> {
        let mut registry = document::Registry::new();
        crate::register(&mut registry);
        let options = options.as_object().cloned().unwrap_or_default();
        registry
            .exporter("jsonl")
            .unwrap()
            .build(options, &BuildContext::new(folder, "jsonl"))
            .map_err(|errors| errors[0].to_string())
            .unwrap()
    }

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("dateline-jsonl-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        folder
    }

    #[test]
    fn writes_code_point_offsets_and_the_errors_file() {
        let folder = scratch("offsets");
        let mut exporter = exporter(&folder, json!({"path": "out/run.jsonl"}));
        let mut document = Document::new("z", "In Zürich, Serraj said.");
        document.source = "seeds/z.txt".into();
        document.date = Some("2017-12-10".parse().unwrap());
        let start = document.text.find("Serraj").unwrap();
        let mut annotation = Annotation::new("PER", Span::new(start, start + 6))
            .with_value(json!({"canonical": "Fayez Serraj"}));
        annotation.extractor = "ner".into();
        document.annotate(annotation).unwrap();
        exporter.write(&document).unwrap();
        exporter
            .record_failure(&Failure::error("bad", "seeds/bad.txt", "reader", "empty document"))
            .unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(written, [folder.join("out/run.jsonl"), folder.join("out/run.errors.jsonl")]);
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            concat!(
                r#"{"id":"z","source":"seeds/z.txt","date":"2017-12-10","text":"In Zürich, Serraj said.","#,
                r#""annotations":[{"label":"PER","start":11,"end":17,"text":"Serraj","extractor":"ner","#,
                r#""value":{"canonical":"Fayez Serraj"}}]}"#,
                "\n"
            )
        );
        assert_eq!(
            fs::read_to_string(&written[1]).unwrap(),
            "{\"id\":\"bad\",\"source\":\"seeds/bad.txt\",\"stage\":\"reader\",\"error\":\"empty document\",\"severity\":\"error\"}\n"
        );
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn entities_are_written_only_when_there_are_some() {
        let folder = scratch("entities");
        let mut exporter = exporter(&folder, json!({"path": "run.jsonl", "text": false}));
        let mut document = Document::new("a", "Serraj.");
        let mut attrs = Map::new();
        attrs.insert("roles".into(), json!([{"title": "Prime Minister"}]));
        document.entities.push(document::Entity {
            id: "E1".into(),
            label: "PER".into(),
            canonical: "Fayez Serraj".into(),
            mentions: 1,
            attrs,
        });
        exporter.write(&document).unwrap();
        exporter.write(&Document::new("b", "None.")).unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            concat!(
                r#"{"id":"a","source":"","date":null,"annotations":[],"entities":[{"id":"E1","#,
                r#""label":"PER","canonical":"Fayez Serraj","mentions":1,"attrs":{"roles":[{"title":"Prime Minister"}]}}]}"#,
                "\n",
                r#"{"id":"b","source":"","date":null,"annotations":[]}"#,
                "\n"
            )
        );
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn text_can_be_left_out() {
        let folder = scratch("no-text");
        let mut exporter = exporter(&folder, json!({"path": "run.jsonl", "text": false}));
        exporter.write(&Document::new("a", "Hello.")).unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            "{\"id\":\"a\",\"source\":\"\",\"date\":null,\"annotations\":[]}\n"
        );
        assert_eq!(fs::read_to_string(&written[1]).unwrap(), "");
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn tokens_and_sentences_on_request_in_code_points() {
        let folder = scratch("tokens");
        let mut exporter =
            exporter(&folder, json!({"path": "run.jsonl", "text": false, "tokens": true}));
        let mut document = Document::new("a", "Zürich. Ja");
        let token = |start, end, kind| Token { span: Span::new(start, end), kind };
        document.tokens = vec![
            token(0, 7, TokenKind::Word),
            token(7, 8, TokenKind::Punct),
            token(9, 11, TokenKind::Word),
        ];
        document.sentences = vec![
            Sentence { span: Span::new(0, 8), tokens: 0..2 },
            Sentence { span: Span::new(9, 11), tokens: 2..3 },
        ];
        exporter.write(&document).unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            "{\"id\":\"a\",\"source\":\"\",\"date\":null,\"annotations\":[],\"tokens\":[[0,6],[6,7],[8,10]],\"sentences\":[[0,7],[8,10]]}\n"
        );
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn building_creates_no_file() {
        let folder = scratch("lazy");
        let exporter = exporter(&folder, json!({"path": "run.jsonl"}));
        drop(exporter);
        assert!(!folder.exists());
    }
}
