//! The readers of Dateline: where documents come from.
//!
//! Three kinds are registered by [`register`]:
//!
//! * `text` ([`TextReader`]): every file is one document, its id the path
//!   relative to the input root without the extension (`sport/199.txt` →
//!   `sport/199`);
//! * `jsonl` ([`JsonlReader`]): every line of a JSON Lines file is one
//!   document, with its id, text and date taken from configurable fields;
//! * `conll` ([`ConllReader`]): a CoNLL-2003 column file, one document per
//!   `-DOCSTART-`, with the corpus's own tokens and sentences (see
//!   `docs/ner.md`).
//!
//! `text` and `jsonl` take the same `path` option (a file, a directory read recursively,
//! a glob pattern, or an array of those) and read `.gz` and `.zst` files
//! transparently. `docs/readers.md` is the user's reference; this essay is
//! about why the code is shaped as it is.
//!
//! # Lazy listing, lazy reading
//!
//! Building a reader (which `runner validate` does for every pipeline) only
//! checks that each path names something: a file or directory that exists,
//! or a glob that matches at least once. It walks nothing. The walk happens
//! once, on the first [`Reader::open`](document::Reader::open) or [`Reader::total_bytes`](document::Reader::total_bytes), and is
//! kept, so that the total the progress bar divides by and the files the
//! stream reads are the same list. The listing holds paths and sizes only
//! (about a hundred bytes a file); file contents are read inside the
//! iterator, one file at a time, when the pipeline asks for the next
//! document, so memory does not grow with the corpus and the first document
//! is processed while the rest are still on disk. A JSON Lines file is
//! likewise read line by line through a bounded buffer.
//!
//! # Determinism
//!
//! A run must give the same output, in the same order, on every machine
//! and every time. Directory order is whatever the file system returns, so
//! each path's files are sorted by their relative path as bytes (not by
//! locale, not by modification time); several paths keep the order in
//! which they were given. Ids use `/` whatever the platform. Hidden files
//! and folders (a name starting with `.`) are skipped, so editor swap files
//! and `.git` never become documents. Symbolic links are followed, each
//! directory at most once, so a link cycle cannot loop.
//!
//! # Failures are items, not errors
//!
//! [`Reader::open`](document::Reader::open) fails only when there is nothing to read at all. A
//! single input that cannot become a document (an unreadable file, an
//! empty or binary one, a corrupt archive, an oversized file, a malformed
//! JSON line) is a [`Failure`](document::Failure) item in the stream, with
//! stage `reader`, the id the document would have had, and a reason a
//! person can act on. The stream then goes on: one bad file in a hundred
//! thousand must not cost the other 99,999, and the errors file lists every
//! input that was not processed, so nothing disappears silently. Limits are
//! enforced before memory is spent: a file's size is checked from its
//! metadata before it is opened for reading, decompressed data and JSON
//! lines are read through a limit, so a sparse terabyte file or a zip bomb
//! costs nothing.
//!
//! # Encoding fallback
//!
//! News text in the wild is mostly UTF-8 with the odd byte from a legacy
//! encoding: the BBC corpus writes `£` as the single Latin-1 byte `0xA3`.
//! Refusing such a document would lose a whole article over one character;
//! replacing the byte with U+FFFD would lose the currency of a money
//! amount. So decoding never fails: valid UTF-8 is taken as it is, and each
//! byte that is not part of a valid sequence is read as Windows-1252 (a
//! superset of Latin-1's printable range, which also maps the curly quotes
//! and dashes that Word produces in 0x80–0x9F). The document carries a
//! warning saying how many bytes were decoded so and where the first one
//! was, and the pipeline records it in the errors file with severity
//! `warning`. A UTF-8 byte order mark is dropped. Binary content (a NUL
//! byte, or more than 10% control characters in the first 8 KiB) is a
//! failure rather than a mojibake document.
//!
//! # Headers
//!
//! Xinhua articles start with a machine-written line such as
//! ` date 2017-12-10 Source: Xinhua| 2017-12-10 05:57:50|Editor: Jiaxin`.
//! The [`header`] module recognises it; the reader sets the document date
//! and metadata from it and marks it as [`Document::header`](document::Document::header), leaving the
//! text untouched so that every offset stays an offset into the file.

pub mod conll;
mod decode;
pub mod header;
mod jsonl;
mod listing;
mod text;
pub mod timeml;

use document::{Date, Document, Registry, Span, Value};

pub use conll::{ConllOptions, ConllReader};
pub use jsonl::{JsonlOptions, JsonlReader};
pub use listing::Paths;
pub use text::{TextOptions, TextReader};
pub use timeml::{TimemlOptions, TimemlReader};

/// The stage name on every failure a reader records.
pub const STAGE: &str = "reader";

/// The default `max_document_bytes`: 100 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 100 * 1024 * 1024;

/// Adds the `text`, `jsonl` and `conll` readers.
pub fn register(registry: &mut Registry) {
    registry.add_reader::<TextReader>().add_reader::<JsonlReader>().add_reader::<ConllReader>();
    registry.add_reader::<TimemlReader>();
}

fn default_max_document_bytes() -> u64 {
    DEFAULT_MAX_DOCUMENT_BYTES
}

fn yes() -> bool {
    true
}

/// Header detection and the default date, common to both readers. Fields
/// the document already has (a JSON date or metadata) win over the header.
fn finish_document(document: &mut Document, detect_header: bool, default_date: Option<Date>) {
    let header = if detect_header { header::parse_xinhua_header(&document.text) } else { None };
    if let Some(header) = header {
        document.header = Span::checked(&document.text, 0, header.len).ok();
        document.date = document.date.or(Some(header.date));
        for (key, value) in header.fields {
            document.metadata.entry(key).or_insert(Value::String(value));
        }
    }
    document.date = document.date.or(default_date);
}

/// The error of [`Reader::open`](document::Reader::open)(document::Reader::open) when the listing is empty.
fn nothing_to_read(sources: &[listing::Source], what: &str) -> anyhow::Error {
    let paths: Vec<String> = sources.iter().map(|source| format!("`{}`", source.given)).collect();
    let verb = if paths.len() == 1 { "holds" } else { "hold" };
    anyhow::anyhow!(
        "nothing to read: {} {verb} no {what} (hidden files and folders are skipped)",
        paths.join(", ")
    )
}
