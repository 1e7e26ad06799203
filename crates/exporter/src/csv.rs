//! The `csv` exporter: one row per annotation, for spreadsheets, pandas,
//! DuckDB and SQL `COPY`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use document::{
    BuildContext, Component, ComponentOptions, Document, Exporter, Failure, FileCheckpoint,
    OptionDoc,
};
use serde::Deserialize;

use crate::errors_file::{
    ErrorsFile, checkpoint_with_errors, checkpointed_length, commit_with_errors,
};
use crate::{AtomicFile, CharOffsets};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvOptions {
    path: String,
    #[serde(default)]
    errors_path: Option<String>,
}

impl ComponentOptions for CsvOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "path",
            ty: "path",
            default: None,
            doc: "output file, one annotation a row after a header; relative to the pipeline file's folder",
        },
        OptionDoc {
            name: "errors_path",
            ty: "path",
            default: Some("\"<path stem>.errors.jsonl\""),
            doc: "where failed documents and warnings are recorded (JSONL, as for `jsonl`)",
        },
    ];
}

/// The header row; each annotation row has these columns in this order.
pub const CSV_HEADER: [&str; 8] =
    ["doc_id", "label", "start", "end", "text", "extractor", "value", "attrs"];

/// Writes one CSV row per annotation (RFC 4180: comma-separated, CRLF line
/// ends, fields quoted when they hold a comma, a quote, CR or LF, quotes
/// doubled), and beside it the same JSONL errors file as `jsonl`.
pub struct CsvExporter {
    path: PathBuf,
    errors: ErrorsFile,
    output: Option<AtomicFile>,
    rows: Vec<u8>,
}

impl Component for CsvExporter {
    const KIND: &'static str = "csv";
    const DESCRIPTION: &'static str =
        "one CSV row per annotation (code-point offsets, value as JSON), plus an errors file";
    type Options = CsvOptions;

    fn build(options: CsvOptions, context: &BuildContext) -> anyhow::Result<Self> {
        let path = crate::output_file(&options.path, context, Some("out.csv"))?;
        let errors = ErrorsFile::from_option(
            options.errors_path.as_deref(),
            &context.resolve(&options.path),
            context,
        )?;
        Ok(CsvExporter { path, errors, output: None, rows: Vec::new() })
    }
}

/// Appends one field, quoted when RFC 4180 requires it.
fn push_field(row: &mut Vec<u8>, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        row.push(b'"');
        for byte in field.bytes() {
            if byte == b'"' {
                row.push(b'"');
            }
            row.push(byte);
        }
        row.push(b'"');
    } else {
        row.extend_from_slice(field.as_bytes());
    }
}

fn push_row<'f>(row: &mut Vec<u8>, fields: impl IntoIterator<Item = &'f str>) {
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            row.push(b',');
        }
        push_field(row, field);
    }
    row.extend_from_slice(b"\r\n");
}

/// Opens the output, writing the header first.
fn open_output<'f>(
    file: &'f mut Option<AtomicFile>,
    path: &Path,
) -> anyhow::Result<&'f mut AtomicFile> {
    if file.is_none() {
        let mut created = AtomicFile::create(path)?;
        let mut header = Vec::new();
        push_row(&mut header, CSV_HEADER);
        created.write_all(&header).with_context(|| format!("cannot write {}", path.display()))?;
        *file = Some(created);
    }
    file.as_mut().context("output file could not be opened")
}

impl Exporter for CsvExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let mut rows = std::mem::take(&mut self.rows);
        rows.clear();
        let offsets = CharOffsets::new(
            &document.text,
            document
                .annotations
                .iter()
                .flat_map(|annotation| [annotation.span.start, annotation.span.end]),
        );
        for annotation in &document.annotations {
            let start = offsets.get(annotation.span.start).to_string();
            let end = offsets.get(annotation.span.end).to_string();
            let value = match &annotation.value {
                Some(value) => serde_json::to_string(value)?,
                None => String::new(),
            };
            let attrs = match &annotation.attrs {
                Some(attrs) if !attrs.is_empty() => serde_json::to_string(attrs)?,
                _ => String::new(),
            };
            push_row(
                &mut rows,
                [
                    document.id.as_str(),
                    annotation.label.as_str(),
                    &start,
                    &end,
                    document.slice(annotation.span),
                    annotation.extractor.as_str(),
                    &value,
                    &attrs,
                ],
            );
        }
        let output = open_output(&mut self.output, &self.path)?;
        let written = output.write_all(&rows);
        self.rows = rows;
        written.with_context(|| format!("cannot write {}", self.path.display()))
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
        let output = open_output(&mut self.output, &self.path)?;
        checkpoint_with_errors(output, &mut self.errors)
    }

    fn resume(&mut self, files: &[FileCheckpoint]) -> anyhow::Result<()> {
        let length = checkpointed_length(files, 0, &self.path)?;
        self.output = Some(AtomicFile::reopen(&self.path, length)?);
        self.errors.resume(files)
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        // Written even when empty: a run without annotations still has its
        // header, and an empty errors file says "no failures".
        open_output(&mut self.output, &self.path)?;
        let output = self.output.take().context("output file could not be opened")?;
        commit_with_errors(output, self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{Annotation, Span, Value, json};
    use std::fs;

    fn exporter(folder: &Path, options: Value) -> Box<dyn Exporter> {
        let mut registry = document::Registry::new();
        crate::register(&mut registry);
        let options = options.as_object().cloned().unwrap_or_default();
        registry
            .exporter("csv")
            .unwrap()
            .build(options, &BuildContext::new(folder, "csv"))
            .map_err(|errors| errors[0].to_string())
            .unwrap()
    }

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("dateline-csv-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        folder
    }

    #[test]
    fn quotes_fields_and_writes_code_point_offsets() {
        let folder = scratch("rows");
        let mut exporter = exporter(&folder, json!({"path": "out/run.csv"}));
        let mut document = Document::new("z,1", "In Zürich, \"Serraj\" said:\nyes.");
        let start = document.text.find("\"Serraj\"").unwrap();
        let mut quote = Annotation::new("QUOTE", Span::new(start, start + 8))
            .with_value(json!({"speaker": "Fayez \"Al\" Serraj, PM\nLibya"}))
            .with_attr("score", 1);
        quote.extractor = "quotes".into();
        document.annotate(quote).unwrap();
        let start = document.text.find("Zürich").unwrap();
        let mut place = Annotation::new("LOC", Span::new(start, start + "Zürich".len()));
        place.extractor = "ner".into();
        document.annotate(place).unwrap();
        exporter.write(&document).unwrap();
        exporter.write(&Document::new("empty", "Nothing here.")).unwrap();
        exporter
            .record_failure(&Failure::error("bad", "seeds/bad.txt", "reader", "empty document"))
            .unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(written, [folder.join("out/run.csv"), folder.join("out/run.errors.jsonl")]);
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            concat!(
                "doc_id,label,start,end,text,extractor,value,attrs\r\n",
                "\"z,1\",QUOTE,11,19,\"\"\"Serraj\"\"\",quotes,",
                "\"{\"\"speaker\"\":\"\"Fayez \\\"\"Al\\\"\" Serraj, PM\\nLibya\"\"}\",",
                "\"{\"\"score\"\":1}\"\r\n",
                "\"z,1\",LOC,3,9,Zürich,ner,,\r\n",
            )
        );
        assert_eq!(
            fs::read_to_string(&written[1]).unwrap(),
            "{\"id\":\"bad\",\"source\":\"seeds/bad.txt\",\"stage\":\"reader\",\"error\":\"empty document\",\"severity\":\"error\"}\n"
        );
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn raw_newlines_and_carriage_returns_are_quoted() {
        let mut row = Vec::new();
        push_row(&mut row, ["a\nb", "c\rd", "plain", "", "x\"y"]);
        assert_eq!(row, b"\"a\nb\",\"c\rd\",plain,,\"x\"\"y\"\r\n");
    }

    #[test]
    fn an_empty_run_still_has_its_header() {
        let folder = scratch("empty");
        let exporter = exporter(&folder, json!({"path": "run.csv"}));
        let written = exporter.finish().unwrap();
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            "doc_id,label,start,end,text,extractor,value,attrs\r\n"
        );
        assert_eq!(fs::read_to_string(&written[1]).unwrap(), "");
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn building_creates_no_file_and_checks_paths() {
        let folder = scratch("lazy");
        drop(exporter(&folder, json!({"path": "run.csv"})));
        assert!(!folder.exists());
        let mut registry = document::Registry::new();
        crate::register(&mut registry);
        let options = json!({"path": "run.csv", "errors_path": "run.csv"});
        let errors = registry
            .exporter("csv")
            .unwrap()
            .build(
                options.as_object().cloned().unwrap_or_default(),
                &BuildContext::new(&folder, "csv"),
            )
            .err()
            .unwrap();
        assert_eq!(errors[0].to_string(), "key `errors_path`: must differ from `path`");
    }
}
