use std::fs;

use document::{Annotation, Date, Span, Value, json};
use parquet::file::reader::{FileReader, SerializedFileReader};

use super::*;

fn registry() -> Registry {
    let mut registry = Registry::new();
    register(&mut registry);
    registry
}

fn build(folder: &Path, options: Value) -> Result<Box<dyn Exporter>, String> {
    let options = options.as_object().cloned().unwrap_or_default();
    registry()
        .exporter("parquet")
        .ok_or("no parquet kind")?
        .build(options, &BuildContext::new(folder, "parquet"))
        .map_err(|errors| errors[0].to_string())
}

fn scratch(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("dateline-parquet-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&folder);
    folder
}

/// Every row of a file, each cell rendered as `name=Field` (Debug).
fn rows(path: &Path) -> Vec<Vec<String>> {
    let reader = SerializedFileReader::new(fs::File::open(path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(name, field)| format!("{name}={field:?}"))
                .collect()
        })
        .collect()
}

fn schema(path: &Path) -> String {
    let reader = SerializedFileReader::new(fs::File::open(path).unwrap()).unwrap();
    let mut printed = Vec::new();
    parquet::schema::printer::print_schema(
        &mut printed,
        reader.metadata().file_metadata().schema(),
    );
    String::from_utf8(printed).unwrap()
}

fn row_groups(path: &Path) -> Vec<i64> {
    let reader = SerializedFileReader::new(fs::File::open(path).unwrap()).unwrap();
    reader.metadata().row_groups().iter().map(|group| group.num_rows()).collect()
}

/// A document with non-ASCII text before its annotations, a header, a
/// date and metadata.
fn zurich() -> Document {
    let text = "date 2017-12-10 Source: Xinhua| Zürich, Dec. 9 — São Paulo paid 41.18 million U.S. dollars.";
    let mut document = Document::new("z/1", text);
    document.source = "seeds/z.txt".into();
    document.date = Date::new(2017, 12, 10);
    document.header = Some(Span::new(0, text.find('|').unwrap() + 1));
    document.metadata.insert("agency".into(), json!("Xinhua"));
    let at = |needle: &str| {
        let start = text.find(needle).unwrap();
        Span::new(start, start + needle.len())
    };
    let mut place = Annotation::new("LOC", at("São Paulo")).with_attr("lat", -23.55);
    place.set_attr("lon", -46.63);
    place.extractor = "ner".into();
    document.annotate(place).unwrap();
    let mut money = Annotation::new("MONEY", at("41.18 million U.S. dollars"))
        .with_value(json!({"amount": "41180000", "currency": "USD"}));
    money.extractor = "measures".into();
    document.annotate(money).unwrap();
    let mut date = Annotation::new("DATE", at("Dec. 9")).with_value("2017-12-09");
    date.extractor = "temporal".into();
    document.annotate(date).unwrap();
    document
}

#[test]
fn writes_documents_and_annotations_with_code_point_offsets() {
    let folder = scratch("rows");
    let mut exporter = build(&folder, json!({"path": "out/run.parquet"})).unwrap();
    exporter.write(&zurich()).unwrap();
    exporter.write(&Document::new("empty", "Nothing here.")).unwrap();
    exporter
        .record_failure(&Failure::error("bad", "seeds/bad.txt", "reader", "empty document"))
        .unwrap();
    let written = exporter.finish().unwrap();
    let documents = folder.join("out/run.documents.parquet");
    let annotations = folder.join("out/run.annotations.parquet");
    let errors = folder.join("out/run.errors.parquet");
    assert_eq!(written, [documents.clone(), annotations.clone(), errors.clone()]);

    let text = zurich().text;
    let document_rows = rows(&documents);
    assert_eq!(
        document_rows,
        [
            vec![
                "id=Str(\"z/1\")".to_string(),
                "source=Str(\"seeds/z.txt\")".into(),
                // 2017-12-10 is day 17510 after 1970-01-01.
                "date=Date(17510)".into(),
                format!("text=Str({text:?})"),
                "header_start=Long(0)".into(),
                "header_end=Long(31)".into(),
                "metadata=Str(\"{\\\"agency\\\":\\\"Xinhua\\\"}\")".into(),
            ],
            vec![
                "id=Str(\"empty\")".to_string(),
                "source=Str(\"\")".into(),
                "date=Null".into(),
                "text=Str(\"Nothing here.\")".into(),
                "header_start=Null".into(),
                "header_end=Null".into(),
                "metadata=Null".into(),
            ],
        ]
    );

    let annotation_rows = rows(&annotations);
    assert_eq!(annotation_rows.len(), 3);
    // Code points: "ü" and "—" are one each, so São Paulo starts at 49,
    // not at its byte offset 53.
    let chars: Vec<char> = text.chars().collect();
    let slice = |start: usize, end: usize| chars[start..end].iter().collect::<String>();
    assert_eq!(slice(49, 58), "São Paulo");
    assert_eq!(
        annotation_rows[0],
        [
            "doc_id=Str(\"z/1\")",
            "label=Str(\"LOC\")",
            "start=Long(49)",
            "end=Long(58)",
            "text=Str(\"São Paulo\")",
            "extractor=Str(\"ner\")",
            "value=Null",
            "attrs=Str(\"{\\\"lat\\\":-23.55,\\\"lon\\\":-46.63}\")",
            "amount=Null",
            "currency=Null",
            "unit=Null",
            "timex=Null",
            "speaker=Null",
            "lat=Double(-23.55)",
            "lon=Double(-46.63)",
        ]
    );
    assert_eq!(
        annotation_rows[1][..12],
        [
            "doc_id=Str(\"z/1\")",
            "label=Str(\"MONEY\")",
            "start=Long(64)",
            "end=Long(90)",
            "text=Str(\"41.18 million U.S. dollars\")",
            "extractor=Str(\"measures\")",
            "value=Str(\"{\\\"amount\\\":\\\"41180000\\\",\\\"currency\\\":\\\"USD\\\"}\")",
            "attrs=Null",
            "amount=Str(\"41180000\")",
            "currency=Str(\"USD\")",
            "unit=Null",
            "timex=Null",
        ]
    );
    assert_eq!(slice(64, 90), "41.18 million U.S. dollars");
    assert_eq!(annotation_rows[2][2..4], ["start=Long(40)", "end=Long(46)"]);
    assert_eq!(slice(40, 46), "Dec. 9");
    assert_eq!(annotation_rows[2][6], "value=Str(\"\\\"2017-12-09\\\"\")");
    assert_eq!(annotation_rows[2][11], "timex=Str(\"2017-12-09\")");

    assert_eq!(
        rows(&errors),
        [[
            "id=Str(\"bad\")",
            "source=Str(\"seeds/bad.txt\")",
            "stage=Str(\"reader\")",
            "error=Str(\"empty document\")",
            "severity=Str(\"error\")",
        ]]
    );
    // Nothing but the three files: no temporary file is left behind.
    assert_eq!(fs::read_dir(folder.join("out")).unwrap().count(), 3);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn the_schema_has_the_documented_types_and_zstd_pages() {
    let folder = scratch("schema");
    let mut exporter = build(&folder, json!({"path": "run.parquet"})).unwrap();
    exporter.write(&zurich()).unwrap();
    exporter.finish().unwrap();
    let annotations = folder.join("run.annotations.parquet");
    assert_eq!(
        schema(&annotations),
        "message annotation {\n  REQUIRED BYTE_ARRAY doc_id (STRING);\n  REQUIRED BYTE_ARRAY label (STRING);\n  REQUIRED INT64 start;\n  REQUIRED INT64 end;\n  REQUIRED BYTE_ARRAY text (STRING);\n  REQUIRED BYTE_ARRAY extractor (STRING);\n  OPTIONAL BYTE_ARRAY value (STRING);\n  OPTIONAL BYTE_ARRAY attrs (STRING);\n  OPTIONAL BYTE_ARRAY amount (STRING);\n  OPTIONAL BYTE_ARRAY currency (STRING);\n  OPTIONAL BYTE_ARRAY unit (STRING);\n  OPTIONAL BYTE_ARRAY timex (STRING);\n  OPTIONAL BYTE_ARRAY speaker (STRING);\n  OPTIONAL DOUBLE lat;\n  OPTIONAL DOUBLE lon;\n}\n"
    );
    assert_eq!(
        schema(&folder.join("run.documents.parquet")),
        "message document {\n  REQUIRED BYTE_ARRAY id (STRING);\n  REQUIRED BYTE_ARRAY source (STRING);\n  OPTIONAL INT32 date (DATE);\n  OPTIONAL BYTE_ARRAY text (STRING);\n  OPTIONAL INT64 header_start;\n  OPTIONAL INT64 header_end;\n  OPTIONAL BYTE_ARRAY metadata (STRING);\n}\n"
    );
    assert_eq!(
        schema(&folder.join("run.errors.parquet")),
        "message error {\n  REQUIRED BYTE_ARRAY id (STRING);\n  REQUIRED BYTE_ARRAY source (STRING);\n  REQUIRED BYTE_ARRAY stage (STRING);\n  REQUIRED BYTE_ARRAY error (STRING);\n  REQUIRED BYTE_ARRAY severity (STRING);\n}\n"
    );
    let reader = SerializedFileReader::new(fs::File::open(&annotations).unwrap()).unwrap();
    for column in reader.metadata().row_group(0).columns() {
        assert!(
            matches!(column.compression(), Compression::ZSTD(_)),
            "{:?}: {:?}",
            column.column_path(),
            column.compression()
        );
    }
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn row_groups_are_flushed_every_n_rows() {
    let folder = scratch("groups");
    let mut exporter =
        build(&folder, json!({"path": "run.parquet", "row_group_rows": 2, "text": false})).unwrap();
    for index in 0..5 {
        let mut document = Document::new(format!("d{index}"), "Paris and Rome.");
        document.annotate(Annotation::new("LOC", Span::new(0, 5))).unwrap();
        document.annotate(Annotation::new("LOC", Span::new(10, 14))).unwrap();
        exporter.write(&document).unwrap();
    }
    exporter.finish().unwrap();
    assert_eq!(row_groups(&folder.join("run.documents.parquet")), [2, 2, 1]);
    assert_eq!(row_groups(&folder.join("run.annotations.parquet")), [2, 2, 2, 2, 2]);
    let documents = rows(&folder.join("run.documents.parquet"));
    assert_eq!(documents.len(), 5);
    assert_eq!(documents[4][0], "id=Str(\"d4\")");
    assert_eq!(documents[4][3], "text=Null", "text = false leaves the text out");
    let annotations = rows(&folder.join("run.annotations.parquet"));
    assert_eq!(
        annotations[9][..5],
        [
            "doc_id=Str(\"d4\")",
            "label=Str(\"LOC\")",
            "start=Long(10)",
            "end=Long(14)",
            "text=Str(\"Rome\")"
        ]
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn nothing_appears_until_finish_and_a_failed_run_keeps_the_old_files() {
    let folder = scratch("atomic");
    let mut first = build(&folder, json!({"path": "run.parquet", "row_group_rows": 1})).unwrap();
    first.write(&zurich()).unwrap();
    // A row group has been written to the temporary file, but no final
    // file exists yet.
    let names = || {
        let mut names: Vec<String> = fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert!(
        names().iter().all(|name| name.starts_with('.') && name.ends_with(".partial")),
        "{:?}",
        names()
    );
    first.finish().unwrap();
    assert_eq!(names(), ["run.annotations.parquet", "run.documents.parquet", "run.errors.parquet"]);
    let before = fs::read(folder.join("run.documents.parquet")).unwrap();

    // A second run that is dropped without finishing (a failed run).
    let mut second = build(&folder, json!({"path": "run.parquet", "row_group_rows": 1})).unwrap();
    second.write(&Document::new("other", "Other text.")).unwrap();
    drop(second);
    assert_eq!(fs::read(folder.join("run.documents.parquet")).unwrap(), before);
    assert_eq!(names(), ["run.annotations.parquet", "run.documents.parquet", "run.errors.parquet"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn an_empty_run_writes_valid_empty_files() {
    let folder = scratch("empty");
    let exporter = build(&folder, json!({"path": "run"})).unwrap();
    let written = exporter.finish().unwrap();
    assert_eq!(written[0], folder.join("run.documents.parquet"));
    assert!(rows(&written[0]).is_empty());
    assert!(rows(&written[1]).is_empty());
    assert_eq!(row_groups(&written[1]), Vec::<i64>::new());
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn options_are_checked_and_building_creates_no_file() {
    let folder = scratch("options");
    let built = build(&folder, json!({"path": "run.parquet"})).unwrap();
    assert_eq!(
        built.outputs(),
        [
            folder.join("run.documents.parquet"),
            folder.join("run.annotations.parquet"),
            folder.join("run.errors.parquet")
        ]
    );
    drop(built);
    assert!(!folder.exists());
    assert_eq!(
        build(&folder, json!({"path": "run.parquet", "row_group_rows": 0})).err().unwrap(),
        "key `row_group_rows`: must be at least 1"
    );
    assert_eq!(
        build(&folder, json!({"path": " "})).err().unwrap(),
        "key `path`: must not be empty"
    );
    assert!(build(&folder, json!({"path": "run.parquet", "compression": "snappy"})).is_err());
    assert_eq!(
        build(&folder, json!({"path": "run.parquet", "zstd_level": 23})).err().unwrap(),
        "key `zstd_level`: 23 is not a zstd level; give 1 to 22"
    );
    assert!(build(&folder, json!({"path": "run.parquet", "zstd_level": 19})).is_ok());
    assert!(!folder.exists());
}

#[test]
fn table_paths_sit_beside_the_given_path() {
    assert_eq!(
        table_path(Path::new("out/run.parquet"), "documents"),
        PathBuf::from("out/run.documents.parquet")
    );
    assert_eq!(
        table_path(Path::new("out/run"), "annotations"),
        PathBuf::from("out/run.annotations.parquet")
    );
    assert_eq!(
        table_path(Path::new("out/v1.2"), "documents"),
        PathBuf::from("out/v1.2.documents.parquet")
    );
}

#[test]
fn a_refused_row_buffers_nothing() {
    let mut table = Table::new(
        "annotation",
        PathBuf::from("unused.parquet"),
        ANNOTATION_COLUMNS,
        10,
        ZstdLevel::default(),
    )
    .unwrap();
    let row = |label: Option<&'static str>| {
        let mut cells = vec![
            Cell::Text(Some("d")),
            Cell::Text(label),
            Cell::Int(Some(0)),
            Cell::Int(Some(1)),
            Cell::Text(Some("x")),
            Cell::Text(Some("e")),
        ];
        cells.extend((0..7).map(|_| Cell::Text(None)));
        cells.extend([Cell::Float(None), Cell::Float(None)]);
        cells
    };
    let error = table.push(row(None)).unwrap_err();
    assert_eq!(error.to_string(), "annotation column `label` may not be null");
    assert_eq!(table.rows, 0);
    assert!(table.buffers.iter().all(|buffer| match buffer {
        Buffer::Text(values, levels) => values.is_empty() && levels.is_empty(),
        Buffer::Int32(values, levels) => values.is_empty() && levels.is_empty(),
        Buffer::Int64(values, levels) => values.is_empty() && levels.is_empty(),
        Buffer::Double(values, levels) => values.is_empty() && levels.is_empty(),
    }));
    let mut short = row(Some("LOC"));
    short.pop();
    assert_eq!(
        table.push(short).unwrap_err().to_string(),
        "annotation row has 14 cells for 15 columns"
    );
    table.push(row(Some("LOC"))).unwrap();
    assert_eq!(table.rows, 1);
}
