//! The `timeml` exporter: one TimeML file per document, `<dir>/<id>.tml`,
//! with the document's `DATE`, `TIME`, `DURATION` and `SET` annotations as
//! inline TIMEX3 tags.
//!
//! The output is what TimeML tools and `runner eval timex` read: the
//! `DOCID`, the `DCT` (the reader's original DCT value when it kept one,
//! else the document date), and `<TEXT>` holding the document text,
//! XML-escaped, with `<TIMEX3 tid="t1" type="DATE" value="2013-03-22">`
//! around each expression (and `mod` when the annotation has one). Every
//! file is written through [`AtomicFile`], so a reader never sees half a
//! file; files of documents written before a run aborts stay.
//! The XML itself is the `timeml` crate's, shared with the reader and the
//! scorer.

use std::io::Write;
use std::path::PathBuf;

use document::{
    BuildContext, Component, ComponentOptions, Document, Exporter, OptionDoc, OptionsError,
};
use serde::Deserialize;

use crate::AtomicFile;

/// The labels written as TIMEX3, which are also their `type`.
const TIMEX_LABELS: [&str; 4] = ["DATE", "TIME", "DURATION", "SET"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimemlOptions {
    dir: String,
}

impl ComponentOptions for TimemlOptions {
    const OPTIONS: &'static [OptionDoc] = &[OptionDoc {
        name: "dir",
        ty: "path",
        default: None,
        doc: "folder that receives one <id>.tml file per document (created if missing); \
              relative to the pipeline file's folder",
    }];
}

/// Writes each document as a TimeML file.
pub struct TimemlExporter {
    dir: PathBuf,
    written: Vec<PathBuf>,
}

impl Component for TimemlExporter {
    const KIND: &'static str = "timeml";
    const DESCRIPTION: &'static str =
        "one TimeML file per document (<dir>/<id>.tml) with inline TIMEX3 tags";
    type Options = TimemlOptions;

    fn build(options: TimemlOptions, context: &BuildContext) -> anyhow::Result<Self> {
        if options.dir.trim().is_empty() {
            return Err(OptionsError::invalid("dir", "must not be empty").into());
        }
        let dir = context.resolve(&options.dir);
        if dir.is_file() {
            return Err(OptionsError::invalid(
                "dir",
                format!("{} is a file; give a folder", dir.display()),
            )
            .into());
        }
        Ok(TimemlExporter { dir, written: Vec::new() })
    }
}

/// A file name for a document id: path separators and other characters
/// that no file system takes become `_`.
fn file_name(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '\0') || c.is_control() { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() { "document.tml".into() } else { format!("{cleaned}.tml") }
}

/// The TimeML text of a document.
pub fn timeml_text(document: &Document) -> String {
    let dct = document
        .metadata
        .get("dct")
        .and_then(|value| value.as_str().map(str::to_string))
        .or_else(|| document.date.map(|date| date.to_string()));
    let timexes: Vec<timeml::TimexOut<'_>> = document
        .annotations
        .iter()
        .filter(|annotation| TIMEX_LABELS.contains(&annotation.label.as_str()))
        .map(|annotation| timeml::TimexOut {
            start: annotation.span.start,
            end: annotation.span.end,
            kind: &annotation.label,
            value: annotation.value.as_ref().and_then(|value| value.as_str()).unwrap_or(""),
            modifier: annotation.attr("mod").and_then(|value| value.as_str()),
        })
        .collect();
    timeml::write(&document.id, dct.as_deref(), &document.text, &timexes)
}

impl Exporter for TimemlExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let path = self.dir.join(file_name(&document.id));
        let mut file = AtomicFile::create(&path)?;
        file.write_all(timeml_text(document).as_bytes())?;
        self.written.push(file.commit()?);
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        // One line in the summary, not one per file.
        Ok(if self.written.is_empty() { Vec::new() } else { vec![self.dir] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{Annotation, Span, Value};

    #[test]
    fn writes_timex_tags_and_dct() {
        let mut document = Document::new("AP/1", "Rain & wind hit yesterday.");
        document.date = "2013-03-22".parse().ok();
        document
            .annotate(Annotation::new("DATE", Span::new(16, 25)).with_value("2013-03-21"))
            .unwrap();
        document.annotate(Annotation::new("LOC", Span::new(0, 4))).unwrap();
        let text = timeml_text(&document);
        assert!(text.contains("<DOCID>AP/1</DOCID>"));
        assert!(text.contains("value=\"2013-03-22\""));
        assert!(text.contains(
            "<TEXT>Rain &amp; wind hit <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2013-03-21\">yesterday</TIMEX3>.</TEXT>"
        ));
        document.metadata.insert("dct".into(), Value::from("2013-03-22T10:00"));
        assert!(timeml_text(&document).contains("value=\"2013-03-22T10:00\""));
        assert_eq!(file_name("AP/1"), "AP_1.tml");
        assert_eq!(file_name(".."), "document.tml");
    }

    #[test]
    fn writes_one_file_per_document() {
        let dir = std::env::temp_dir().join(format!("timeml-exporter-{}", std::process::id()));
        let context = BuildContext::new(&dir, "timeml");
        let options = TimemlOptions { dir: "out".into() };
        let mut exporter = Box::new(TimemlExporter::build(options, &context).unwrap());
        exporter.write(&Document::new("a", "x")).unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(written, [dir.join("out")]);
        let content = std::fs::read_to_string(dir.join("out/a.tml")).unwrap();
        assert!(content.contains("<TEXT>x</TEXT>"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
