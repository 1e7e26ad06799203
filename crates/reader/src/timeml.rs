//! The `timeml` reader: TimeML (`.tml`) and TempEval (`.TE3input`) files,
//! one document each.
//!
//! The text is the content of `<TEXT>` with every tag removed and the
//! entities unescaped, the document date the value of the TIMEX3 in
//! `<DCT>`, and the id the file name without `.TE3input` and then `.tml`
//! (`AP_20130322.tml.TE3input` → `AP_20130322`). The gold TIMEX3 of a
//! `.tml` file are not turned into annotations: the reader feeds the
//! extractors, and `runner eval timex` compares their output with the gold
//! files themselves. Parsing is the `timeml` crate's, shared with the
//! exporter and the scorer so that all three agree on the text.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use anyhow::anyhow;
use document::{
    BuildContext, Component, ComponentOptions, Date, Document, DocumentStream, Failure, OptionDoc,
    Reader, Value,
};
use serde::Deserialize;

use crate::decode::{check_bytes, decode_owned, read_document};
use crate::listing::{self, Filter, Paths};
use crate::text::check_max_document_bytes;
use crate::{STAGE, default_max_document_bytes, nothing_to_read};

/// Options of the `timeml` reader.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimemlOptions {
    /// Files, directories or glob patterns.
    pub path: Paths,
    #[serde(default = "default_max_document_bytes")]
    pub max_document_bytes: u64,
}

impl ComponentOptions for TimemlOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "path",
            ty: "path or array of paths",
            default: None,
            doc: "A .tml or .TE3input file, a directory (read recursively for those two \
                  extensions) or a glob pattern, or an array of them; relative paths resolve \
                  against the pipeline file's folder.",
        },
        OptionDoc {
            name: "max_document_bytes",
            ty: "integer",
            default: Some("104857600"),
            doc: "Larger files are recorded as failures without being read.",
        },
    ];
}

/// Reads each TimeML file as one document.
#[derive(Debug)]
pub struct TimemlReader {
    inputs: listing::Inputs,
    max_document_bytes: u64,
}

impl Component for TimemlReader {
    const KIND: &'static str = "timeml";
    const DESCRIPTION: &'static str =
        "TimeML (.tml) and TempEval (.TE3input) files: the <TEXT> without tags, the <DCT> date";
    type Options = TimemlOptions;

    fn build(options: TimemlOptions, context: &BuildContext) -> anyhow::Result<Self> {
        let max_document_bytes = check_max_document_bytes(options.max_document_bytes)?;
        let sources = listing::check(&options.path, context)?;
        let filter = Filter {
            extensions: Some(vec!["tml".into(), "te3input".into()]),
            filter_glob_matches: true,
        };
        Ok(TimemlReader { inputs: listing::Inputs::new(sources, filter), max_document_bytes })
    }
}

/// The document of one TimeML file's content.
pub fn timeml_document(id: &str, content: &str) -> Document {
    let parsed = timeml::parse(content);
    let mut document = Document::new(id, parsed.text);
    document.date = parsed.dct.as_deref().and_then(|dct| dct.parse::<Date>().ok());
    if let Some(dct) = parsed.dct {
        // The full value (`1998-11-20T19:30`) goes back out in the exporter.
        document.metadata.insert("dct".into(), Value::String(dct));
    }
    if let Some(docid) = parsed.docid {
        document.metadata.insert("docid".into(), Value::String(docid));
    }
    document
}

impl TimemlReader {
    fn read(
        &self,
        entry: &listing::Entry,
        seen: &mut HashMap<String, std::path::PathBuf>,
    ) -> Result<Document, Failure> {
        let source = entry.path.to_string_lossy().into_owned();
        let name = entry.path.file_name().map(|name| name.to_string_lossy().into_owned());
        let id = timeml::file_id(name.as_deref().unwrap_or(&entry.id)).to_string();
        let fail = |error: String| Failure::error(&id, &source, STAGE, error);
        if let Some(problem) = &entry.problem {
            return Err(fail(problem.clone()));
        }
        match seen.entry(id.clone()) {
            Entry::Occupied(previous) => {
                let previous = previous.get().to_string_lossy().into_owned();
                return Err(fail(format!("duplicate id `{id}`: already used by {previous}")));
            }
            Entry::Vacant(slot) => {
                slot.insert(entry.path.clone());
            }
        }
        let bytes = read_document(&entry.path, self.max_document_bytes).map_err(fail)?;
        check_bytes(&bytes).map_err(fail)?;
        let decoded = decode_owned(bytes);
        let mut document = timeml_document(&id, &decoded.text);
        document.warnings.extend(decoded.warning(""));
        document.source = source;
        Ok(document)
    }
}

impl Reader for TimemlReader {
    fn open(&self) -> anyhow::Result<DocumentStream<'_>> {
        let listing = self.inputs.listing().map_err(|error| anyhow!("{error}"))?;
        if listing.entries.is_empty() {
            return Err(nothing_to_read(&self.inputs.sources, ".tml or .TE3input files"));
        }
        let mut seen = HashMap::new();
        Ok(Box::new(listing.entries.iter().map(move |entry| self.read(entry, &mut seen))))
    }

    fn total_bytes(&self) -> Option<u64> {
        self.inputs.listing().ok().map(|listing| listing.total_bytes)
    }

    fn fingerprint(&self) -> Option<u64> {
        self.inputs.fingerprint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_date_and_id() {
        let content = "<TimeML><DOCID>X</DOCID><DCT><TIMEX3 tid=\"t0\" type=\"TIME\" \
                       value=\"1998-11-20T19:30\">x</TIMEX3></DCT><TEXT>\nA <EVENT>b</EVENT> \
                       &amp; <TIMEX3 tid=\"t1\">Friday</TIMEX3>.\n</TEXT></TimeML>";
        let document = timeml_document("NYT1", content);
        assert_eq!(document.text, "\nA b & Friday.\n");
        assert_eq!(document.date, "1998-11-20".parse().ok());
        assert_eq!(document.metadata.get("dct"), Some(&Value::from("1998-11-20T19:30")));
        assert!(document.annotations.is_empty());
    }
}
