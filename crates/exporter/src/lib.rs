//! Exporters: the last stage, which writes processed documents out.
//!
//! Every exporter here follows two rules.
//!
//! **Atomic outputs.** Nothing appears at a final path until the run has
//! finished writing it: output goes to a hidden temporary file in the same
//! folder ([`AtomicFile`]), which is flushed, synced and renamed over the
//! final path in [`Exporter::finish`](document::Exporter::finish). A run
//! that is killed, or that fails, leaves the previous output (or nothing)
//! in place, never a truncated file that looks complete; the temporary file
//! of a failed run is removed when the exporter is dropped.
//!
//! **Code-point offsets.** Inside the process spans are byte offsets; the
//! output contract speaks Unicode code points, so that Python's
//! `text[start:end]` gives the annotation's text. [`CharOffsets`] converts a
//! document's offsets in one pass over its text (and not at all for ASCII
//! text, where the two agree).
//!
//! Exporters are built before any document is read (`runner validate`
//! builds every component), so building one checks its options but creates
//! no file.

mod atomic;
pub mod conll;
pub mod csv;
mod errors_file;
mod fields;
pub mod geojson;
pub mod html;
mod jsonl;
pub mod timeml;

pub use atomic::{AtomicFile, PreparedFile, temporary_path};
pub use conll::ConllExporter;
pub use csv::CsvExporter;
pub use document::CharOffsets;
pub use fields::TypedFields;
pub use geojson::GeojsonExporter;
pub use html::HtmlExporter;
pub use jsonl::JsonlExporter;
pub use timeml::TimemlExporter;

/// The `path` option of a file exporter, resolved against the pipeline
/// file's folder (and named as a part in a sharded run,
/// [`document::BuildContext::part`]): not empty, and not a folder (`example` is the file name
/// the message suggests instead, if any).
pub fn output_file(
    given: &str,
    context: &document::BuildContext,
    example: Option<&str>,
) -> Result<std::path::PathBuf, document::OptionsError> {
    if given.trim().is_empty() {
        return Err(document::OptionsError::invalid("path", "must not be empty"));
    }
    // In a sharded run, this shard's part (`out/news.part-00003-of-00016.jsonl`).
    let path = context.part(context.resolve(given));
    if path.is_dir() {
        let suggestion = example.map(|name| format!(" such as {name}")).unwrap_or_default();
        let message = format!("{} is a folder; give a file name{suggestion}", path.display());
        return Err(document::OptionsError::invalid("path", message));
    }
    Ok(path)
}

/// Registers the exporter kinds of this crate.
pub fn register(registry: &mut document::Registry) {
    registry.add_exporter::<JsonlExporter>();
    registry.add_exporter::<ConllExporter>();
    registry.add_exporter::<TimemlExporter>();
    registry.add_exporter::<HtmlExporter>();
    registry.add_exporter::<CsvExporter>();
    registry.add_exporter::<GeojsonExporter>();
}
