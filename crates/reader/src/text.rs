//! The `text` reader: one plain-text file, one document.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use anyhow::anyhow;
use document::{
    BuildContext, Component, ComponentOptions, Date, Document, DocumentStream, Failure, OptionDoc,
    OptionsError, Reader,
};
use serde::Deserialize;

use crate::decode::{check_bytes, decode_owned, read_document};
use crate::listing::{self, Filter, Paths};
use crate::{STAGE, default_max_document_bytes, finish_document, nothing_to_read, yes};

/// Options of the `text` reader.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextOptions {
    /// Files, directories or glob patterns.
    pub path: Paths,
    /// Extensions read from directories and glob matches; empty: all.
    #[serde(default)]
    pub extensions: Vec<String>,
    #[serde(default = "default_max_document_bytes")]
    pub max_document_bytes: u64,
    /// The date of documents whose header gives none.
    #[serde(default)]
    pub date: Option<Date>,
    /// Whether to recognise a Xinhua header line.
    #[serde(default = "yes")]
    pub header: bool,
}

impl ComponentOptions for TextOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "path",
            ty: "path or array of paths",
            default: None,
            doc: "A file, a directory (read recursively; hidden files and folders are skipped) \
                  or a glob pattern such as \"data/*/*.txt\", or an array of them; relative \
                  paths resolve against the pipeline file's folder.",
        },
        OptionDoc {
            name: "extensions",
            ty: "array of strings",
            default: Some("[]"),
            doc: "Read only files with these extensions (\"txt\", compared without case, after \
                  .gz/.zst) from directories and glob matches; empty reads every file. A file \
                  named in `path` is always read.",
        },
        OptionDoc {
            name: "max_document_bytes",
            ty: "integer",
            default: Some("104857600"),
            doc: "Larger files (decompressed size for .gz/.zst) are recorded as failures \
                  without being read.",
        },
        OptionDoc {
            name: "date",
            ty: "string (YYYY-MM-DD)",
            default: Some("none"),
            doc: "The document date of files whose header gives none (say, a corpus from one \
                  day); without it such documents have no date.",
        },
        OptionDoc {
            name: "header",
            ty: "boolean",
            default: Some("true"),
            doc: "Recognise a Xinhua header line (` date 2017-12-10 Source: Xinhua| …`): it sets \
                  the document date and metadata and is marked as the header, not cut.",
        },
    ];
}

/// Reads each file as one document.
#[derive(Debug)]
pub struct TextReader {
    inputs: listing::Inputs,
    max_document_bytes: u64,
    date: Option<Date>,
    header: bool,
    shard: Option<document::Shard>,
}

/// Checks `extensions` and returns them lower-case, without a leading dot.
fn check_extensions(extensions: &[String]) -> Result<Vec<String>, OptionsError> {
    extensions
        .iter()
        .map(|extension| {
            let bare = extension.strip_prefix('.').unwrap_or(extension);
            let usable = !bare.is_empty() && !bare.contains(['.', '/', '\\', '*', '?', '[']);
            if usable {
                Ok(bare.to_ascii_lowercase())
            } else {
                Err(OptionsError::invalid(
                    "extensions",
                    format!(
                        "`{extension}` is not a file extension: write \"txt\", not \"*.txt\" or \
                         \"txt.gz\" (.gz and .zst files are read whatever the filter)"
                    ),
                ))
            }
        })
        .collect()
}

pub(crate) fn check_max_document_bytes(max: u64) -> Result<u64, OptionsError> {
    if max == 0 {
        Err(OptionsError::invalid("max_document_bytes", "must be at least 1"))
    } else {
        Ok(max)
    }
}

impl Component for TextReader {
    const KIND: &'static str = "text";
    const DESCRIPTION: &'static str =
        "plain-text files (.gz/.zst too), one document each, from files, directories or globs";
    type Options = TextOptions;

    fn build(options: TextOptions, context: &BuildContext) -> anyhow::Result<Self> {
        let extensions = check_extensions(&options.extensions)?;
        let max_document_bytes = check_max_document_bytes(options.max_document_bytes)?;
        let sources = listing::check(&options.path, context)?;
        let filter = Filter {
            extensions: (!extensions.is_empty()).then_some(extensions),
            filter_glob_matches: true,
        };
        Ok(TextReader {
            inputs: listing::Inputs::new(sources, filter),
            max_document_bytes,
            date: options.date,
            header: options.header,
            shard: context.shard,
        })
    }
}

impl TextReader {
    fn read<'a>(
        &self,
        entry: &'a listing::Entry,
        seen: &mut HashMap<&'a str, &'a listing::Entry>,
    ) -> Result<Document, Failure> {
        let source = entry.path.to_string_lossy().into_owned();
        let fail = |error: String| Failure::error(&entry.id, &source, STAGE, error);
        if let Some(problem) = &entry.problem {
            return Err(fail(problem.clone()));
        }
        match seen.entry(&entry.id) {
            Entry::Occupied(previous) => {
                let previous = previous.get().path.to_string_lossy();
                return Err(fail(format!(
                    "duplicate id `{}`: already used by {previous}",
                    entry.id
                )));
            }
            Entry::Vacant(slot) => {
                slot.insert(entry);
            }
        }
        let bytes = read_document(&entry.path, self.max_document_bytes).map_err(fail)?;
        check_bytes(&bytes).map_err(fail)?;
        let decoded = decode_owned(bytes);
        if decoded.text.trim().is_empty() {
            return Err(fail("whitespace-only document".into()));
        }
        let mut document = Document::new(entry.id.clone(), String::new());
        document.warnings.extend(decoded.warning(""));
        document.text = decoded.text;
        document.source = source;
        finish_document(&mut document, self.header, self.date);
        Ok(document)
    }
}

impl Reader for TextReader {
    fn open(&self) -> anyhow::Result<DocumentStream<'_>> {
        let listing = self.inputs.listing().map_err(|error| anyhow!("{error}"))?;
        if listing.entries.is_empty() {
            let filter = match &self.inputs.filter.extensions {
                Some(extensions) => format!("files with extension {}", extensions.join(", ")),
                None => "files".to_owned(),
            };
            return Err(nothing_to_read(&self.inputs.sources, &filter));
        }
        tracing::debug!(
            files = listing.entries.len(),
            bytes = listing.total_bytes,
            "text input listed"
        );
        let entries = listing::shard_of_files(&listing.entries, self.shard);
        let mut seen = HashMap::new();
        Ok(Box::new(entries.iter().map(move |entry| self.read(entry, &mut seen))))
    }

    fn total_bytes(&self) -> Option<u64> {
        let listing = self.inputs.listing().ok()?;
        Some(listing::readable_bytes(listing::shard_of_files(&listing.entries, self.shard)))
    }

    fn shardable(&self) -> bool {
        true
    }

    fn fingerprint(&self) -> Option<u64> {
        self.inputs.fingerprint()
    }
}
