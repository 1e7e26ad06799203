//! The `timeml` exporter: one TimeML file per document, `<dir>/<id>.tml`,
//! with the document's `DATE`, `TIME`, `DURATION` and `SET` annotations as
//! inline TIMEX3 tags.
//!
//! The output is what TimeML tools and `runner eval timex` read: the
//! `DOCID`, the `DCT` (the reader's original DCT value when it kept one,
//! else the document date), and `<TEXT>` holding the document text,
//! XML-escaped, with `<TIMEX3 tid="t1" type="DATE" value="2013-03-22">`
//! around each expression (and `mod` when the annotation has one). Files
//! are written into a hidden folder inside `dir` and moved into `dir` only
//! when the run finishes, so a killed or failed run adds no file that
//! looks like part of a complete output. Two ids that map to one file name
//! (`a/b`, `a_b`) get `a_b.tml` and `a_b-2.tml`, never one overwriting
//! the other.
//! The XML itself is the `timeml` crate's, shared with the reader and the
//! scorer.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use document::{
    BuildContext, Component, ComponentOptions, Document, Exporter, OptionDoc, OptionsError,
};
use serde::Deserialize;

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

pub struct TimemlExporter {
    dir: PathBuf,
    staging: Option<PathBuf>,
    /// File names used so far, so that no document overwrites another.
    names: HashSet<String>,
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
        // A sharded run writes its own folder, `out/tml.part-00003-of-00016`.
        let dir = context.part(context.resolve(&options.dir));
        if dir.is_file() {
            return Err(OptionsError::invalid(
                "dir",
                format!("{} is a file; give a folder", dir.display()),
            )
            .into());
        }
        Ok(TimemlExporter { dir, staging: None, names: HashSet::new() })
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

impl TimemlExporter {
    fn staging(&mut self) -> anyhow::Result<PathBuf> {
        if let Some(staging) = &self.staging {
            return Ok(staging.clone());
        }
        let staging = self.dir.join(format!(".dateline-timeml-{}.tmp", std::process::id()));
        fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        self.staging = Some(staging.clone());
        Ok(staging)
    }

    /// `id.tml`, or `id-2.tml`, `id-3.tml`, … when the name is taken.
    fn unique_name(&mut self, id: &str) -> String {
        let name = file_name(id);
        let mut candidate = name.clone();
        let mut counter = 1;
        while !self.names.insert(candidate.clone()) {
            counter += 1;
            candidate = format!("{}-{counter}.tml", name.trim_end_matches(".tml"));
        }
        if counter > 1 {
            tracing::warn!(id, file = %candidate, "another document already wrote {name}");
        }
        candidate
    }
}

impl Exporter for TimemlExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let staging = self.staging()?;
        let path = staging.join(self.unique_name(&document.id));
        fs::write(&path, timeml_text(document))
            .with_context(|| format!("cannot write {}", path.display()))
    }

    fn outputs(&self) -> Vec<PathBuf> {
        vec![self.dir.clone()]
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        // One line in the summary, not one per file.
        let Some(staging) = self.staging.take() else { return Ok(Vec::new()) };
        let mut names: Vec<&String> = self.names.iter().collect();
        names.sort();
        for name in names {
            let (from, to) = (staging.join(name), self.dir.join(name));
            fs::rename(&from, &to)
                .with_context(|| format!("cannot move {} to {}", from.display(), to.display()))?;
        }
        remove_staging(&staging);
        Ok(vec![self.dir.clone()])
    }
}

impl Drop for TimemlExporter {
    fn drop(&mut self) {
        // Not finished: the run failed, and its files go with it.
        if let Some(staging) = self.staging.take() {
            remove_staging(&staging);
        }
    }
}

fn remove_staging(staging: &Path) {
    if let Err(error) = fs::remove_dir_all(staging) {
        tracing::warn!("cannot remove {}: {error}", staging.display());
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
        assert!(!dir.join("out/a.tml").exists(), "nothing in place before the run finishes");
        exporter.write(&Document::new("a/b", "y")).unwrap();
        exporter.write(&Document::new("a_b", "z")).unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(written, [dir.join("out")]);
        let content = std::fs::read_to_string(dir.join("out/a.tml")).unwrap();
        assert!(content.contains("<TEXT>x</TEXT>"));
        // Two ids with one file name: neither overwrites the other.
        let read = |name: &str| std::fs::read_to_string(dir.join("out").join(name)).unwrap();
        assert!(read("a_b.tml").contains("<TEXT>y</TEXT>"));
        assert!(read("a_b-2.tml").contains("<TEXT>z</TEXT>"));
        let mut names: Vec<String> = std::fs::read_dir(dir.join("out"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.tml", "a_b-2.tml", "a_b.tml"], "no staging folder left");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_run_that_does_not_finish_adds_no_file() {
        let dir = std::env::temp_dir().join(format!("timeml-unfinished-{}", std::process::id()));
        let context = BuildContext::new(&dir, "timeml");
        let options = TimemlOptions { dir: "out".into() };
        let mut exporter = Box::new(TimemlExporter::build(options, &context).unwrap());
        exporter.write(&Document::new("a", "x")).unwrap();
        drop(exporter);
        assert_eq!(std::fs::read_dir(dir.join("out")).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
