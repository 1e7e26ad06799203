//! The `parquet` and `sqlite` exporters through the runner: the same
//! counts as JSONL, the run named after the pipeline file, re-runs that
//! replace, and an aborted run that leaves the database as it was.

mod common;

use std::fs;
use std::path::Path;

use common::{jsonl, runner, scratch};
use parquet::file::reader::{FileReader, SerializedFileReader};

const PIPELINE: &str = r#"
[pipeline]
on_error = "skip"

[reader]
kind = "text"
path = "in"

[[extractor]]
kind = "measures"

[[extractor]]
kind = "temporal"

[[exporter]]
kind = "jsonl"
path = "out/facts.jsonl"

[[exporter]]
kind = "parquet"
path = "out/facts.parquet"

[[exporter]]
kind = "sqlite"
path = "out/facts.sqlite"
"#;

fn input(folder: &Path) {
    fs::create_dir_all(folder.join("in")).unwrap();
    fs::write(
        folder.join("in/a.txt"),
        "In Zürich on Monday, the fund paid 35 million euros (41.18 million U.S. dollars).",
    )
    .unwrap();
    fs::write(folder.join("in/b.txt"), "").unwrap();
    fs::write(folder.join("in/c.txt"), "São Paulo grew 5 percent in 2017.").unwrap();
}

fn parquet_rows(path: &Path) -> i64 {
    let reader = SerializedFileReader::new(fs::File::open(path).unwrap()).unwrap();
    reader.metadata().file_metadata().num_rows()
}

fn count(database: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(database).unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn parquet_and_sqlite_hold_what_jsonl_holds_and_re_runs_replace() {
    let folder = scratch("tables");
    input(&folder);
    fs::write(folder.join("facts.toml"), PIPELINE).unwrap();
    for _ in 0..2 {
        let output = runner(&folder, &["run", "facts.toml", "--no-progress", "-q"]);
        assert_eq!(output.status.code(), Some(2), "one failed document: exit 2");
    }
    let documents = jsonl(&folder.join("out/facts.jsonl"));
    let annotations: usize =
        documents.iter().map(|doc| doc["annotations"].as_array().unwrap().len()).sum();
    assert_eq!(documents.len(), 2);
    assert_eq!(annotations, 5, "Monday, two MONEY, 5 percent, 2017");

    assert_eq!(parquet_rows(&folder.join("out/facts.documents.parquet")), 2);
    assert_eq!(parquet_rows(&folder.join("out/facts.annotations.parquet")), annotations as i64);
    assert_eq!(
        fs::read_to_string(folder.join("out/facts.errors.jsonl")).unwrap().lines().count(),
        1
    );
    assert_eq!(parquet_rows(&folder.join("out/facts.errors.parquet")), 1);

    let database = folder.join("out/facts.sqlite");
    // Two runs, one set of rows: the run is named after the pipeline file.
    assert_eq!(
        count(&database, "SELECT count(*) FROM runs WHERE name = 'facts' AND state = 'complete'"),
        1
    );
    assert_eq!(count(&database, "SELECT count(*) FROM runs"), 1);
    assert_eq!(count(&database, "SELECT count(*) FROM documents"), 2);
    assert_eq!(count(&database, "SELECT count(*) FROM annotations"), annotations as i64);
    assert_eq!(
        count(&database, "SELECT count(*) FROM errors WHERE id = 'b' AND stage = 'reader'"),
        1
    );
    assert_eq!(
        count(
            &database,
            "SELECT count(*) FROM annotations WHERE label = 'MONEY' AND currency = 'EUR' AND amount = '35000000'"
        ),
        1
    );
    assert_eq!(
        count(&database, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'paulo'"),
        1
    );

    // An aborted run writes nothing: every output keeps the previous run.
    fs::write(folder.join("in/d.txt"), "Oslo, Tuesday.").unwrap();
    fs::write(folder.join("facts.toml"), PIPELINE.replace("skip", "abort")).unwrap();
    let before = fs::read(folder.join("out/facts.annotations.parquet")).unwrap();
    let output = runner(&folder, &["run", "facts.toml", "--no-progress", "-q"]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(fs::read(folder.join("out/facts.annotations.parquet")).unwrap(), before);
    assert_eq!(count(&database, "SELECT count(*) FROM runs"), 1);
    assert_eq!(count(&database, "SELECT count(*) FROM documents"), 2);
    assert_eq!(count(&database, "SELECT count(*) FROM annotations"), annotations as i64);
    let names: Vec<String> = fs::read_dir(folder.join("out"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|name| !name.ends_with(".tmp") && !name.ends_with(".partial")),
        "no temporary file left: {names:?}"
    );
    fs::remove_dir_all(folder).unwrap();
}
