//! The `parquet` exporter: documents and annotations as two Parquet files,
//! for pandas, Polars, DuckDB, Spark and anything else that reads Arrow.
//!
//! # Two flat files, not one nested file
//!
//! `path = "out/run.parquet"` writes `out/run.documents.parquet` (one row a
//! document) and `out/run.annotations.parquet` (one row an annotation, with
//! its `doc_id`), plus `out/run.errors.parquet` (one row a failed document
//! or warning). One file with an `annotations: list<struct<…>>` column was
//! the alternative; two flat tables won because
//!
//! * every reader loads a flat table directly (`pd.read_parquet`,
//!   `pl.scan_parquet`, `SELECT … FROM 'x.parquet'`), while a nested column
//!   has to be exploded or unnested first, and pandas turns it into Python
//!   objects, which is slow and loses the column types;
//! * the annotation table is what most queries read (labels, amounts,
//!   dates): without the document text beside it, it is small and scans
//!   fast; a join on `doc_id = id` brings the text back when needed;
//! * flat columns need no repetition levels, so the writer stays a few
//!   lines per column on parquet's low-level column writer.
//!
//! Failures go to a third table rather than to the JSONL errors file of
//! `jsonl` and `csv`: `out/run.jsonl` and `out/run.parquet` in one pipeline
//! would otherwise both claim `out/run.errors.jsonl`, and the failures load
//! with the same reader as the rest (the `sqlite` exporter has an `errors`
//! table for the same reason).
//!
//! # No arrow crates
//!
//! The file is written with parquet's column writer
//! ([`SerializedFileWriter`] and a schema in Parquet's message syntax)
//! rather than through `arrow-array` record batches: the `arrow` feature
//! would add seven `arrow-*` crates to every cold build for nothing the
//! exporter needs. The Parquet logical types written map one to one onto
//! Arrow types (`STRING` → `string`, `DATE` → `date32[day]`, `INT64` →
//! `int64`, `DOUBLE` → `double`), which is how pyarrow, DuckDB and Polars
//! read them; `docs/output.md` lists the schema as they see it. The file
//! therefore carries no `ARROW:schema` metadata: readers derive the Arrow
//! schema from the Parquet one, and get the same answer.
//!
//! # Compression and memory
//!
//! Pages are zstd-compressed (level 1 by default, option `zstd_level`:
//! on the BBC corpus it halved the exporter's compression time against
//! level 3 for files a few per cent larger; the `zstd` crate, which builds the
//! reference C library with the C compiler: parquet has no pure-Rust zstd
//! encoder). Rows are buffered column by column and written out as a row
//! group every `row_group_rows` rows (default 65,536), or earlier when the
//! buffered document texts pass 64 MiB, so memory stays bounded whatever
//! the corpus size: at most one row group of each file is in memory.
//!
//! # Why its own crate
//!
//! `parquet` (without `arrow`) and the C zstd library it compresses with
//! cost 94 CPU-seconds of a cold release build on their own (`cargo build
//! --release -p parquet` in an empty target folder: 86 s user + 8 s sys, of
//! which the zstd C build is about 58 s). In a crate of its own, registered
//! by `pipeline`, only what links the whole pipeline waits for it: `cargo
//! test -p exporter` and the extractors' tests do not, and cargo compiles
//! it in parallel with the other exporters. Enabling `arrow` would add the
//! `arrow-*` crates on top for nothing this exporter needs.
//!
//! # Atomic
//!
//! The three files are written under hidden temporary names
//! ([`AtomicFile`]) and renamed into place only when the run finishes: all
//! three are flushed and synced before the first rename. A failed or killed
//! run leaves the previous files as they were.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use document::{
    BuildContext, Component, ComponentOptions, Document, Exporter, Failure, OptionDoc,
    OptionsError, Registry,
};
use exporter::{AtomicFile, CharOffsets, PreparedFile, TypedFields};
use parquet::basic::{Compression, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::{WriterProperties, WriterPropertiesPtr};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use serde::Deserialize;

/// Registers the `parquet` exporter kind.
pub fn register(registry: &mut Registry) {
    registry.add_exporter::<ParquetExporter>();
}

/// Rows per row group unless `row_group_rows` says otherwise.
pub const DEFAULT_ROW_GROUP_ROWS: usize = 65_536;

/// Buffered document text that closes a row group early, whatever the row
/// count: long articles must not make a row group of 65,536 documents.
const ROW_GROUP_TEXT_BYTES: usize = 64 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParquetOptions {
    path: String,
    #[serde(default = "yes")]
    text: bool,
    #[serde(default = "yes")]
    metadata: bool,
    #[serde(default = "default_row_group_rows")]
    row_group_rows: usize,
    #[serde(default = "default_zstd_level")]
    zstd_level: i32,
}

fn yes() -> bool {
    true
}

fn default_row_group_rows() -> usize {
    DEFAULT_ROW_GROUP_ROWS
}

/// zstd level unless `zstd_level` says otherwise: level 1 writes files a
/// few per cent larger than level 3 at about half the compression time,
/// and the exporter runs on the pipeline's one writer thread.
pub const DEFAULT_ZSTD_LEVEL: i32 = 1;

fn default_zstd_level() -> i32 {
    DEFAULT_ZSTD_LEVEL
}

impl ComponentOptions for ParquetOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "path",
            ty: "path",
            default: None,
            doc: "output name: `out/run.parquet` writes out/run.documents.parquet, out/run.annotations.parquet and out/run.errors.parquet; relative to the pipeline file's folder",
        },
        OptionDoc {
            name: "text",
            ty: "boolean",
            default: Some("true"),
            doc: "include each document's full text in the documents file (annotation texts are always included)",
        },
        OptionDoc {
            name: "metadata",
            ty: "boolean",
            default: Some("true"),
            doc: "include the reader's metadata object, as JSON text",
        },
        OptionDoc {
            name: "row_group_rows",
            ty: "integer",
            default: Some("65536"),
            doc: "rows buffered before a row group is written (also closed early at 64 MiB of document text): bounds memory",
        },
        OptionDoc {
            name: "zstd_level",
            ty: "integer",
            default: Some("1"),
            doc: "zstd compression level, 1 (fastest) to 22 (smallest files)",
        },
    ];
}

/// The physical and logical type of one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `BYTE_ARRAY (STRING)`: Arrow `string`.
    Text,
    /// `INT32 (DATE)`: Arrow `date32[day]`, days since 1970-01-01.
    Date,
    /// `INT64`: Arrow `int64`.
    Int,
    /// `DOUBLE`: Arrow `double`.
    Float,
}

/// One column of a table: its name, type and whether it may be null.
struct ColumnSpec {
    name: &'static str,
    kind: Kind,
    required: bool,
    /// Dictionary encoding pays for repeated values (labels, ids of the
    /// annotations of one document) and only costs for unique ones (texts).
    dictionary: bool,
}

const fn column(name: &'static str, kind: Kind, required: bool, dictionary: bool) -> ColumnSpec {
    ColumnSpec { name, kind, required, dictionary }
}

/// The documents file, in column order (see `docs/output.md`).
const DOCUMENT_COLUMNS: &[ColumnSpec] = &[
    column("id", Kind::Text, true, false),
    column("source", Kind::Text, true, false),
    column("date", Kind::Date, false, true),
    column("text", Kind::Text, false, false),
    column("header_start", Kind::Int, false, true),
    column("header_end", Kind::Int, false, true),
    column("metadata", Kind::Text, false, false),
];

/// The annotations file, in column order (see `docs/output.md`).
const ANNOTATION_COLUMNS: &[ColumnSpec] = &[
    column("doc_id", Kind::Text, true, true),
    column("label", Kind::Text, true, true),
    column("start", Kind::Int, true, false),
    column("end", Kind::Int, true, false),
    column("text", Kind::Text, true, true),
    column("extractor", Kind::Text, true, true),
    column("value", Kind::Text, false, true),
    column("attrs", Kind::Text, false, true),
    column("amount", Kind::Text, false, true),
    column("currency", Kind::Text, false, true),
    column("unit", Kind::Text, false, true),
    column("timex", Kind::Text, false, true),
    column("speaker", Kind::Text, false, true),
    column("lat", Kind::Float, false, true),
    column("lon", Kind::Float, false, true),
];

/// The errors file: the fields of the JSONL errors file (`docs/output.md`).
const ERROR_COLUMNS: &[ColumnSpec] = &[
    column("id", Kind::Text, true, false),
    column("source", Kind::Text, true, false),
    column("stage", Kind::Text, true, true),
    column("error", Kind::Text, true, false),
    column("severity", Kind::Text, true, true),
];

/// The Parquet message type of a table, e.g.
/// `message annotation { required binary doc_id (STRING); … }`.
fn message_type(name: &str, columns: &[ColumnSpec]) -> String {
    let mut message = format!("message {name} {{\n");
    for column in columns {
        let repetition = if column.required { "required" } else { "optional" };
        let ty = match column.kind {
            Kind::Text => "binary",
            Kind::Date => "int32",
            Kind::Int => "int64",
            Kind::Float => "double",
        };
        let logical = match column.kind {
            Kind::Text => " (STRING)",
            Kind::Date => " (DATE)",
            Kind::Int | Kind::Float => "",
        };
        message.push_str(&format!("  {repetition} {ty} {}{logical};\n", column.name));
    }
    message.push('}');
    message
}

/// One cell of a row, as handed to [`Table::push`].
enum Cell<'a> {
    Text(Option<&'a str>),
    OwnedText(Option<String>),
    Date(Option<i32>),
    Int(Option<i64>),
    Float(Option<f64>),
}

/// The buffered values of one column; `levels` are the definition levels
/// (1 present, 0 null) of an optional column, empty for a required one.
enum Buffer {
    Text(Vec<ByteArray>, Vec<i16>),
    Int32(Vec<i32>, Vec<i16>),
    Int64(Vec<i64>, Vec<i16>),
    Double(Vec<f64>, Vec<i16>),
}

fn push_value<T>(values: &mut Vec<T>, levels: &mut Vec<i16>, required: bool, value: Option<T>) {
    if !required {
        levels.push(i16::from(value.is_some()));
    }
    values.extend(value);
}

/// One output file: its writer (opened on first use) and the row group
/// being buffered.
struct Table {
    name: &'static str,
    path: PathBuf,
    columns: &'static [ColumnSpec],
    properties: WriterPropertiesPtr,
    writer: Option<SerializedFileWriter<AtomicFile>>,
    buffers: Vec<Buffer>,
    rows: usize,
    text_bytes: usize,
    row_group_rows: usize,
    written_rows: u64,
}

impl Table {
    fn new(
        name: &'static str,
        path: PathBuf,
        columns: &'static [ColumnSpec],
        row_group_rows: usize,
        zstd_level: ZstdLevel,
    ) -> anyhow::Result<Table> {
        let mut properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(zstd_level))
            .set_max_row_group_row_count(Some(row_group_rows))
            .set_created_by(format!("dateline parquet exporter {}", env!("CARGO_PKG_VERSION")));
        for column in columns {
            properties = properties
                .set_column_dictionary_enabled(ColumnPath::from(column.name), column.dictionary);
        }
        let buffers = columns
            .iter()
            .map(|column| match column.kind {
                Kind::Text => Buffer::Text(Vec::new(), Vec::new()),
                Kind::Date => Buffer::Int32(Vec::new(), Vec::new()),
                Kind::Int => Buffer::Int64(Vec::new(), Vec::new()),
                Kind::Float => Buffer::Double(Vec::new(), Vec::new()),
            })
            .collect();
        Ok(Table {
            name,
            path,
            columns,
            properties: Arc::new(properties.build()),
            writer: None,
            buffers,
            rows: 0,
            text_bytes: 0,
            row_group_rows,
            written_rows: 0,
        })
    }

    /// Buffers one row (cells in column order); writes a row group when the
    /// buffer is full.
    fn push(&mut self, cells: Vec<Cell<'_>>) -> anyhow::Result<()> {
        anyhow::ensure!(
            cells.len() == self.columns.len(),
            "{} row has {} cells for {} columns",
            self.name,
            cells.len(),
            self.columns.len()
        );
        // Checked whole before anything is buffered, so that a refused row
        // never leaves the columns with different lengths.
        for (cell, spec) in cells.iter().zip(self.columns) {
            let fits = matches!(
                (cell, spec.kind),
                (Cell::Text(_) | Cell::OwnedText(_), Kind::Text)
                    | (Cell::Date(_), Kind::Date)
                    | (Cell::Int(_), Kind::Int)
                    | (Cell::Float(_), Kind::Float)
            );
            anyhow::ensure!(fits, "{} column `{}`: wrong cell type", self.name, spec.name);
            let null = matches!(
                cell,
                Cell::Text(None)
                    | Cell::OwnedText(None)
                    | Cell::Date(None)
                    | Cell::Int(None)
                    | Cell::Float(None)
            );
            anyhow::ensure!(
                !(null && spec.required),
                "{} column `{}` may not be null",
                self.name,
                spec.name
            );
        }
        for ((cell, buffer), spec) in cells.into_iter().zip(&mut self.buffers).zip(self.columns) {
            let required = spec.required;
            match (cell, buffer) {
                (Cell::Text(text), Buffer::Text(values, levels)) => {
                    self.text_bytes += text.map_or(0, str::len);
                    push_value(values, levels, required, text.map(ByteArray::from));
                }
                (Cell::OwnedText(text), Buffer::Text(values, levels)) => {
                    self.text_bytes += text.as_ref().map_or(0, String::len);
                    push_value(values, levels, required, text.map(|text| text.into_bytes().into()));
                }
                (Cell::Date(days), Buffer::Int32(values, levels)) => {
                    push_value(values, levels, required, days);
                }
                (Cell::Int(number), Buffer::Int64(values, levels)) => {
                    push_value(values, levels, required, number);
                }
                (Cell::Float(number), Buffer::Double(values, levels)) => {
                    push_value(values, levels, required, number);
                }
                _ => anyhow::bail!("{} column `{}`: wrong cell type", self.name, spec.name),
            }
        }
        self.rows += 1;
        if self.rows >= self.row_group_rows || self.text_bytes >= ROW_GROUP_TEXT_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn writer(&mut self) -> anyhow::Result<&mut SerializedFileWriter<AtomicFile>> {
        if self.writer.is_none() {
            let schema = Arc::new(parse_message_type(&message_type(self.name, self.columns))?);
            let file = AtomicFile::create(&self.path)?;
            let writer = SerializedFileWriter::new(file, schema, self.properties.clone())
                .with_context(|| format!("cannot start {}", self.path.display()))?;
            self.writer = Some(writer);
        }
        self.writer.as_mut().context("parquet writer could not be opened")
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> anyhow::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let path = self.path.clone();
        let mut buffers = std::mem::take(&mut self.buffers);
        let written = write_row_group(self.writer()?, &mut buffers);
        self.buffers = buffers;
        written.with_context(|| format!("cannot write {}", path.display()))?;
        tracing::debug!(file = %path.display(), rows = self.rows, "parquet row group written");
        self.written_rows += self.rows as u64;
        self.rows = 0;
        self.text_bytes = 0;
        Ok(())
    }

    /// Writes what is buffered and the footer; the file is ready to rename.
    fn prepare(mut self) -> anyhow::Result<PreparedFile> {
        self.flush()?;
        let path = self.path.clone();
        // A run without rows still gets a valid file (schema, no row group).
        self.writer()?;
        let writer = self.writer.take().context("parquet writer could not be opened")?;
        let file =
            writer.into_inner().with_context(|| format!("cannot finish {}", path.display()))?;
        file.prepare()
    }
}

/// Hands every column's buffer to the row group writer, in schema order,
/// and empties the buffers (keeping their capacity).
fn write_row_group(
    writer: &mut SerializedFileWriter<AtomicFile>,
    buffers: &mut [Buffer],
) -> anyhow::Result<()> {
    fn levels(levels: &[i16]) -> Option<&[i16]> {
        (!levels.is_empty()).then_some(levels)
    }
    let mut group = writer.next_row_group()?;
    for buffer in buffers.iter_mut() {
        let mut column = group.next_column()?.context("the schema has fewer columns")?;
        match buffer {
            Buffer::Text(values, definition) => {
                column.typed::<ByteArrayType>().write_batch(values, levels(definition), None)?;
                values.clear();
                definition.clear();
            }
            Buffer::Int32(values, definition) => {
                column.typed::<Int32Type>().write_batch(values, levels(definition), None)?;
                values.clear();
                definition.clear();
            }
            Buffer::Int64(values, definition) => {
                column.typed::<Int64Type>().write_batch(values, levels(definition), None)?;
                values.clear();
                definition.clear();
            }
            Buffer::Double(values, definition) => {
                column.typed::<DoubleType>().write_batch(values, levels(definition), None)?;
                values.clear();
                definition.clear();
            }
        }
        column.close()?;
    }
    group.close()?;
    Ok(())
}

/// `out/run.parquet` → `out/run.<table>.parquet`; a path without the
/// `.parquet` extension keeps its whole name (`out/run` →
/// `out/run.<table>.parquet`).
fn table_path(path: &Path, table: &str) -> PathBuf {
    let name = match path.extension() {
        Some(extension) if extension == "parquet" => path.file_stem(),
        _ => path.file_name(),
    };
    let name = name.map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{name}.{table}.parquet"))
}

/// Writes documents, annotations and failures as three Parquet files,
/// renamed into place when the run finishes.
pub struct ParquetExporter {
    documents: Table,
    annotations: Table,
    errors: Table,
    include_text: bool,
    include_metadata: bool,
}

impl Component for ParquetExporter {
    const KIND: &'static str = "parquet";
    const DESCRIPTION: &'static str = "documents and annotations as two zstd Parquet files (code-point offsets, typed value columns), plus an errors file";
    type Options = ParquetOptions;

    fn build(options: ParquetOptions, context: &BuildContext) -> anyhow::Result<Self> {
        if options.path.trim().is_empty() {
            return Err(OptionsError::invalid("path", "must not be empty").into());
        }
        if options.row_group_rows == 0 {
            return Err(OptionsError::invalid("row_group_rows", "must be at least 1").into());
        }
        let zstd_level = ZstdLevel::try_new(options.zstd_level).map_err(|_| {
            OptionsError::invalid(
                "zstd_level",
                format!("{} is not a zstd level; give 1 to 22", options.zstd_level),
            )
        })?;
        let path = context.resolve(&options.path);
        // In a sharded run, each table's part: `out/run.documents.part-00003-of-00016.parquet`.
        let documents_path = context.part(table_path(&path, "documents"));
        let annotations_path = context.part(table_path(&path, "annotations"));
        let errors_path = context.part(table_path(&path, "errors"));
        for table in [&documents_path, &annotations_path, &errors_path] {
            if table.is_dir() {
                return Err(OptionsError::invalid(
                    "path",
                    format!(
                        "{} is a folder; give a file name such as out.parquet",
                        table.display()
                    ),
                )
                .into());
            }
        }
        Ok(ParquetExporter {
            documents: Table::new(
                "document",
                documents_path,
                DOCUMENT_COLUMNS,
                options.row_group_rows,
                zstd_level,
            )?,
            annotations: Table::new(
                "annotation",
                annotations_path,
                ANNOTATION_COLUMNS,
                options.row_group_rows,
                zstd_level,
            )?,
            errors: Table::new(
                "error",
                errors_path,
                ERROR_COLUMNS,
                options.row_group_rows,
                zstd_level,
            )?,
            include_text: options.text,
            include_metadata: options.metadata,
        })
    }
}

/// Merges the parts of one table that the shards of a sharded run wrote
/// (`runner shards merge`, docs/cluster.md) into `target`: every row of
/// every part, in part order, written again through the exporter's own
/// table writer with the default `row_group_rows`, so that the merged file
/// is the file one unsharded run with that setting (and the default
/// `zstd_level`) writes, byte for byte.
pub fn merge_parts(parts: &[PathBuf], target: &Path) -> anyhow::Result<PathBuf> {
    merge_parts_with(parts, target, DEFAULT_ROW_GROUP_ROWS)
}

/// [`merge_parts`] with another `row_group_rows`.
pub fn merge_parts_with(
    parts: &[PathBuf],
    target: &Path,
    row_group_rows: usize,
) -> anyhow::Result<PathBuf> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let open = |part: &Path| -> anyhow::Result<SerializedFileReader<std::fs::File>> {
        let file =
            std::fs::File::open(part).with_context(|| format!("cannot read {}", part.display()))?;
        SerializedFileReader::new(file)
            .with_context(|| format!("{} is not a Parquet file", part.display()))
    };
    let first = parts.first().context("no parts to merge")?;
    let schema_name = open(first)?.metadata().file_metadata().schema().name().to_string();
    let (name, columns): (&'static str, &'static [ColumnSpec]) = match schema_name.as_str() {
        "document" => ("document", DOCUMENT_COLUMNS),
        "annotation" => ("annotation", ANNOTATION_COLUMNS),
        "error" => ("error", ERROR_COLUMNS),
        other => anyhow::bail!(
            "{} holds table `{other}`, not one the parquet exporter writes",
            first.display()
        ),
    };
    let zstd_level = ZstdLevel::try_new(DEFAULT_ZSTD_LEVEL)?;
    let mut table = Table::new(name, target.to_path_buf(), columns, row_group_rows, zstd_level)?;
    for part in parts {
        let reader = open(part)?;
        let found = reader.metadata().file_metadata().schema().name().to_string();
        anyhow::ensure!(
            found == schema_name,
            "{} holds table `{found}`, {} holds `{schema_name}`",
            part.display(),
            first.display()
        );
        let rows =
            reader.get_row_iter(None).with_context(|| format!("cannot read {}", part.display()))?;
        for row in rows {
            let row = row.with_context(|| format!("cannot read {}", part.display()))?;
            let mut cells = Vec::with_capacity(columns.len());
            for ((column, field), spec) in row.get_column_iter().zip(columns) {
                anyhow::ensure!(
                    column == spec.name,
                    "{}: column `{column}` where `{}` was expected",
                    part.display(),
                    spec.name
                );
                cells.push(cell_of(field, spec.kind).with_context(|| {
                    format!("{}: column `{column}` holds {field:?}", part.display())
                })?);
            }
            table.push(cells)?;
        }
    }
    table.prepare()?.commit()
}

/// A value read back from a part, as the cell that wrote it.
fn cell_of(field: &parquet::record::Field, kind: Kind) -> Option<Cell<'static>> {
    use parquet::record::Field;
    Some(match (field, kind) {
        (Field::Null, Kind::Text) => Cell::OwnedText(None),
        (Field::Null, Kind::Date) => Cell::Date(None),
        (Field::Null, Kind::Int) => Cell::Int(None),
        (Field::Null, Kind::Float) => Cell::Float(None),
        (Field::Str(text), Kind::Text) => Cell::OwnedText(Some(text.clone())),
        (Field::Date(days), Kind::Date) => Cell::Date(Some(*days)),
        (Field::Long(number), Kind::Int) => Cell::Int(Some(*number)),
        (Field::Double(number), Kind::Float) => Cell::Float(Some(*number)),
        _ => return None,
    })
}

/// JSON text of a value; `None` for a missing or null value.
fn json_text(value: Option<&document::Value>) -> anyhow::Result<Option<String>> {
    match value {
        None | Some(document::Value::Null) => Ok(None),
        Some(value) => Ok(Some(serde_json::to_string(value)?)),
    }
}

fn to_i64(offset: usize) -> anyhow::Result<i64> {
    i64::try_from(offset).context("offset beyond 2^63")
}

impl Exporter for ParquetExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let offsets = CharOffsets::new(
            &document.text,
            document
                .annotations
                .iter()
                .flat_map(|annotation| [annotation.span.start, annotation.span.end])
                .chain(document.header.iter().flat_map(|header| [header.start, header.end])),
        );
        let date = match document.date {
            Some(date) => Some(i32::try_from(date.to_days()).context("date out of range")?),
            None => None,
        };
        let metadata = if self.include_metadata && !document.metadata.is_empty() {
            Some(serde_json::to_string(&document.metadata)?)
        } else {
            None
        };
        let header = match document.header {
            Some(header) => {
                (Some(to_i64(offsets.get(header.start))?), Some(to_i64(offsets.get(header.end))?))
            }
            None => (None, None),
        };
        self.documents.push(vec![
            Cell::Text(Some(&document.id)),
            Cell::Text(Some(&document.source)),
            Cell::Date(date),
            Cell::Text(self.include_text.then_some(document.text.as_str())),
            Cell::Int(header.0),
            Cell::Int(header.1),
            Cell::OwnedText(metadata),
        ])?;
        for annotation in &document.annotations {
            let fields = TypedFields::of(annotation);
            let attrs = annotation.attrs.as_ref().filter(|attrs| !attrs.is_empty());
            let attrs = match attrs {
                Some(attrs) => Some(serde_json::to_string(attrs)?),
                None => None,
            };
            self.annotations.push(vec![
                Cell::Text(Some(&document.id)),
                Cell::Text(Some(&annotation.label)),
                Cell::Int(Some(to_i64(offsets.get(annotation.span.start))?)),
                Cell::Int(Some(to_i64(offsets.get(annotation.span.end))?)),
                Cell::Text(Some(document.slice(annotation.span))),
                Cell::Text(Some(&annotation.extractor)),
                Cell::OwnedText(json_text(annotation.value.as_ref())?),
                Cell::OwnedText(attrs),
                Cell::OwnedText(fields.amount),
                Cell::Text(fields.currency),
                Cell::Text(fields.unit),
                Cell::Text(fields.timex),
                Cell::Text(fields.speaker),
                Cell::Float(fields.lat),
                Cell::Float(fields.lon),
            ])?;
        }
        Ok(())
    }

    fn record_failure(&mut self, failure: &Failure) -> anyhow::Result<()> {
        self.errors.push(vec![
            Cell::Text(Some(&failure.id)),
            Cell::Text(Some(&failure.source)),
            Cell::Text(Some(&failure.stage)),
            Cell::Text(Some(&failure.error)),
            Cell::Text(Some(failure.severity.as_str())),
        ])
    }

    fn outputs(&self) -> Vec<PathBuf> {
        vec![self.documents.path.clone(), self.annotations.path.clone(), self.errors.path.clone()]
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        let this = *self;
        tracing::debug!(
            documents = this.documents.written_rows + this.documents.rows as u64,
            annotations = this.annotations.written_rows + this.annotations.rows as u64,
            "parquet exporter finishing"
        );
        // Every file is on disk before the first rename.
        let prepared =
            [this.documents.prepare()?, this.annotations.prepare()?, this.errors.prepare()?];
        prepared.into_iter().map(PreparedFile::commit).collect()
    }
}

#[cfg(test)]
mod tests;
