use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use document::{
    BuildContext, Component, ComponentOptions, Document, Encoder, Exporter, Failure,
    FileCheckpoint, OptionDoc, Span,
};
use serde::Deserialize;

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

fn open<'f>(file: &'f mut Option<AtomicFile>, path: &Path) -> anyhow::Result<&'f mut AtomicFile> {
    if file.is_none() {
        *file = Some(AtomicFile::create(path)?);
    }
    file.as_mut().context("output file could not be opened")
}

impl JsonlEncoder {
    /// Writes the line of `document`, field by field, as `serde_json`
    /// would serialise the record of `docs/output.md` (the keys in this
    /// order, no spaces, the same string escapes): the field names are
    /// written as they are, not serialised one by one, and strings go
    /// through [`write_str`]; values, attributes, metadata and the date go
    /// through `serde_json`.
    fn write_line(&self, document: &Document, out: &mut Vec<u8>) -> anyhow::Result<()> {
        let offsets = CharOffsets::new(
            &document.text,
            document
                .annotations
                .iter()
                .flat_map(|annotation| [annotation.span.start, annotation.span.end])
                .chain(document.header.iter().flat_map(|header| [header.start, header.end]))
                .chain(self.token_spans(document).flat_map(|span| [span.start, span.end])),
        );
        let span = |out: &mut Vec<u8>, span: Span| {
            write_number(out, offsets.get(span.start));
            out.push(b',');
            write_number(out, offsets.get(span.end));
        };
        out.extend_from_slice(b"{\"id\":");
        write_str(out, &document.id);
        out.extend_from_slice(b",\"source\":");
        write_str(out, &document.source);
        out.extend_from_slice(b",\"date\":");
        match &document.date {
            Some(date) => serde_json::to_writer(&mut *out, date)?,
            None => out.extend_from_slice(b"null"),
        }
        if self.include_text {
            out.extend_from_slice(b",\"text\":");
            write_str(out, &document.text);
        }
        if let Some(header) = document.header {
            out.extend_from_slice(b",\"header\":{\"start\":");
            write_number(out, offsets.get(header.start));
            out.extend_from_slice(b",\"end\":");
            write_number(out, offsets.get(header.end));
            out.push(b'}');
        }
        if self.include_metadata && !document.metadata.is_empty() {
            out.extend_from_slice(b",\"metadata\":");
            serde_json::to_writer(&mut *out, &document.metadata)?;
        }
        out.extend_from_slice(b",\"annotations\":[");
        for (index, annotation) in document.annotations.iter().enumerate() {
            out.extend_from_slice(if index == 0 { b"{\"label\":" } else { b",{\"label\":" });
            write_str(out, &annotation.label);
            out.extend_from_slice(b",\"start\":");
            write_number(out, offsets.get(annotation.span.start));
            out.extend_from_slice(b",\"end\":");
            write_number(out, offsets.get(annotation.span.end));
            out.extend_from_slice(b",\"text\":");
            write_str(out, document.slice(annotation.span));
            out.extend_from_slice(b",\"extractor\":");
            write_str(out, &annotation.extractor);
            if let Some(value) = &annotation.value {
                out.extend_from_slice(b",\"value\":");
                serde_json::to_writer(&mut *out, value)?;
            }
            if let Some(attrs) = &annotation.attrs {
                out.extend_from_slice(b",\"attrs\":");
                serde_json::to_writer(&mut *out, attrs)?;
            }
            out.push(b'}');
        }
        out.push(b']');
        for (index, entity) in document.entities.iter().enumerate() {
            out.extend_from_slice(if index == 0 { b",\"entities\":[" } else { b"," });
            out.extend_from_slice(b"{\"id\":");
            write_str(out, &entity.id);
            out.extend_from_slice(b",\"label\":");
            write_str(out, &entity.label);
            out.extend_from_slice(b",\"canonical\":");
            write_str(out, &entity.canonical);
            out.extend_from_slice(b",\"mentions\":");
            write_number(out, entity.mentions);
            out.extend_from_slice(b",\"attrs\":");
            serde_json::to_writer(&mut *out, &entity.attrs)?;
            out.push(b'}');
        }
        if !document.entities.is_empty() {
            out.push(b']');
        }
        if self.include_tokens {
            out.extend_from_slice(b",\"tokens\":[");
            for (index, token) in document.tokens.iter().enumerate() {
                out.extend_from_slice(if index == 0 { b"[" } else { b",[" });
                span(out, token.span);
                out.push(b']');
            }
            out.extend_from_slice(b"],\"sentences\":[");
            for (index, sentence) in document.sentences.iter().enumerate() {
                out.extend_from_slice(if index == 0 { b"[" } else { b",[" });
                span(out, sentence.span);
                out.push(b']');
            }
            out.push(b']');
        }
        out.extend_from_slice(b"}\n");
        Ok(())
    }

    /// Token and sentence spans, when they are to be written.
    fn token_spans<'a>(&self, document: &'a Document) -> impl Iterator<Item = Span> + 'a {
        let (tokens, sentences): (&[_], &[_]) =
            if self.include_tokens { (&document.tokens, &document.sentences) } else { (&[], &[]) };
        let tokens = tokens.iter().map(|token| token.span);
        tokens.chain(sentences.iter().map(|sentence| sentence.span))
    }
}

/// Writes `text` as a JSON string with `serde_json`'s escapes: `\"`, `\\`,
/// `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00xx`
/// (lower-case hex), everything else (`/`, DEL, non-ASCII) as it is.
fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean = 0;
    while let Some(index) = next_escaped(bytes, clean) {
        out.extend_from_slice(&bytes[clean..index]);
        clean = index + 1;
        let byte = bytes[index];
        let escape = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let high = HEX[usize::from(byte >> 4)];
                let low = HEX[usize::from(byte & 0xf)];
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
                continue;
            }
        };
        out.extend_from_slice(&[b'\\', escape]);
    }
    out.extend_from_slice(&bytes[clean..]);
    out.push(b'"');
}

/// The first byte from `from` on that a JSON string must escape. Texts are
/// long runs without one, so eight bytes are checked at a time: the
/// classic "has a byte below n" and "has a zero byte" word tests, which
/// are exact about whether some byte of the word matches (they may only
/// misplace which one, so the word is then searched byte by byte).
fn next_escaped(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGH != 0;
    let mut index = from;
    while let Some(chunk) = bytes.get(index..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_ne_bytes(*chunk);
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH != 0;
        if control || has_zero(word ^ (ONES * 0x22)) || has_zero(word ^ (ONES * 0x5c)) {
            break;
        }
        index += 8;
    }
    let rest = bytes.get(index..)?;
    let escaped = |byte: &u8| *byte < 0x20 || *byte == b'"' || *byte == b'\\';
    rest.iter().position(escaped).map(|position| index + position)
}

/// Writes a number in decimal, as `serde_json` does.
fn write_number(out: &mut Vec<u8>, number: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = number;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

impl Encoder for JsonlEncoder {
    fn encode(&self, document: &Document, out: &mut Vec<u8>) -> anyhow::Result<()> {
        // A line is about five times the text (annotations with their
        // texts and values): one allocation for most documents.
        out.reserve(5 * document.text.len() + 256);
        self.write_line(document, out)
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
    use document::{Annotation, Map, Sentence, Token, TokenKind, Value, json};
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
    fn strings_and_numbers_are_written_as_serde_json_writes_them() {
        let mut every_ascii: String = (0u8..0x80).map(char::from).collect();
        every_ascii.push_str("Zürich \u{2028} 🙂 \\\"/");
        let long = "A quoted \"word\" in a longer line\\ of text,\nthen a\u{1f} and ünïcode€ 🙂.";
        let mut texts = vec![every_ascii.as_str(), "", "plain", "\"", "a\nb\tc\u{1}", long];
        // Every escape at every place within and across eight-byte words.
        let shifted: Vec<String> =
            (0..17).filter_map(|cut| long.get(..long.len() - cut).map(str::to_string)).collect();
        let prefixed: Vec<String> =
            (0..17).map(|pad| format!("{}{long}", "x".repeat(pad))).collect();
        texts.extend(shifted.iter().chain(&prefixed).map(String::as_str));
        for text in texts {
            let mut out = Vec::new();
            write_str(&mut out, text);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(text).unwrap());
        }
        for number in [0, 7, 10, 99, 100, 65_535, usize::MAX] {
            let mut out = Vec::new();
            write_number(&mut out, number);
            assert_eq!(String::from_utf8(out).unwrap(), number.to_string());
        }
    }

    #[test]
    fn every_field_at_once() {
        let folder = scratch("every-field");
        let mut exporter = exporter(&folder, json!({"path": "run.jsonl", "tokens": true}));
        let mut document = Document::new("a\"1", "HEADER\nZürich:\t\"Ja\".");
        document.source = "in/a.txt".into();
        document.header = Some(Span::new(0, 7));
        document.metadata.insert("agency".into(), json!("Xinhua"));
        document.tokens = vec![Token { span: Span::new(7, 14), kind: TokenKind::Word }];
        document.sentences = vec![Sentence { span: Span::new(7, 21), tokens: 0..1 }];
        let place = Annotation::new("LOC", Span::new(7, 14)).with_attr("entity", "E1");
        document.annotate(place).unwrap();
        let quote = Annotation::new("QUOTE", Span::new(16, 20)).with_value(json!(["Ja", 1.5]));
        document.annotate(quote).unwrap();
        document.entities.push(document::Entity {
            id: "E1".into(),
            label: "LOC".into(),
            canonical: "Zürich".into(),
            mentions: 1,
            attrs: Map::new(),
        });
        exporter.write(&document).unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            concat!(
                r#"{"id":"a\"1","source":"in/a.txt","date":null,"text":"HEADER\nZürich:\t\"Ja\".","#,
                r#""header":{"start":0,"end":7},"metadata":{"agency":"Xinhua"},"annotations":["#,
                r#"{"label":"LOC","start":7,"end":13,"text":"Zürich","extractor":"","attrs":{"entity":"E1"}},"#,
                r#"{"label":"QUOTE","start":15,"end":19,"text":"\"Ja\"","extractor":"","value":["Ja",1.5]}],"#,
                r#""entities":[{"id":"E1","label":"LOC","canonical":"Zürich","mentions":1,"attrs":{}}],"#,
                r#""tokens":[[7,13]],"sentences":[[7,20]]}"#,
                "\n"
            )
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
