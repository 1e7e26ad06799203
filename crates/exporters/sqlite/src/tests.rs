use std::fs;

use document::{Annotation, Date, Span, Value, json};

use super::*;

fn build_in(folder: &Path, options: Value, pipeline: &str) -> Result<Box<dyn Exporter>, String> {
    let mut registry = Registry::new();
    register(&mut registry);
    let options = options.as_object().cloned().unwrap_or_default();
    registry
        .exporter("sqlite")
        .ok_or("no sqlite kind")?
        .build(options, &BuildContext::new(folder, "sqlite").with_pipeline(pipeline))
        .map_err(|errors| errors[0].to_string())
}

fn build(folder: &Path, options: Value) -> Box<dyn Exporter> {
    build_in(folder, options, "news").unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("dateline-sqlite-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&folder);
    fs::create_dir_all(&folder).unwrap();
    folder
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The rows of a query, each rendered as `a|b|…` (NULL as `∅`).
fn query(path: &Path, sql: &str) -> Vec<String> {
    let connection = Connection::open(path).unwrap();
    let mut statement = connection.prepare(sql).unwrap();
    let columns = statement.column_count();
    statement
        .query_map([], |row| {
            let cells: Vec<String> = (0..columns)
                .map(|index| match row.get_ref(index).unwrap() {
                    rusqlite::types::ValueRef::Null => "∅".to_string(),
                    rusqlite::types::ValueRef::Integer(number) => number.to_string(),
                    rusqlite::types::ValueRef::Real(number) => number.to_string(),
                    rusqlite::types::ValueRef::Text(text) => {
                        String::from_utf8_lossy(text).into_owned()
                    }
                    rusqlite::types::ValueRef::Blob(_) => "<blob>".to_string(),
                })
                .collect();
            Ok(cells.join("|"))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

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

fn plain(id: &str, text: &str) -> Document {
    let mut document = Document::new(id, text);
    document.annotate(Annotation::new("LOC", Span::new(0, text.find(' ').unwrap_or(0)))).unwrap();
    document
}

#[test]
fn writes_rows_with_code_point_offsets_typed_columns_and_full_text_search() {
    let folder = scratch("rows");
    let mut exporter = build(&folder, json!({"path": "out/news.sqlite"}));
    exporter.write(&zurich()).unwrap();
    exporter.write(&plain("p", "Paris in spring.")).unwrap();
    exporter
        .record_failure(&Failure::error("bad", "seeds/bad.txt", "reader", "empty document"))
        .unwrap();
    let path = folder.join("out/news.sqlite");
    assert_eq!(exporter.finish().unwrap(), std::slice::from_ref(&path));
    assert_eq!(names(&folder.join("out")), ["news.sqlite"], "no journal or temporary file");

    assert_eq!(
        query(&path, "SELECT run_id, name, state, documents, annotations, failures FROM runs"),
        ["1|news|complete|2|4|1"]
    );
    assert_eq!(
        query(&path, "SELECT id, source, date, header_start, header_end, metadata FROM documents"),
        ["z/1|seeds/z.txt|2017-12-10|0|31|{\"agency\":\"Xinhua\"}", "p||∅|∅|∅|∅"]
    );
    assert_eq!(
        query(
            &path,
            "SELECT doc_id, label, start, \"end\", text, extractor, value, attrs, amount, currency, \
             timex, lat, lon FROM annotations WHERE doc_id = 'z/1' ORDER BY start"
        ),
        [
            "z/1|DATE|40|46|Dec. 9|temporal|\"2017-12-09\"|∅|∅|∅|2017-12-09|∅|∅",
            "z/1|LOC|49|58|São Paulo|ner|∅|{\"lat\":-23.55,\"lon\":-46.63}|∅|∅|∅|-23.55|-46.63",
            "z/1|MONEY|64|90|41.18 million U.S. dollars|measures|{\"amount\":\"41180000\",\"currency\":\"USD\"}|∅|41180000|USD|∅|∅|∅",
        ]
    );
    // SQLite's substr counts code points, like the offsets.
    assert_eq!(
        query(
            &path,
            "SELECT substr(d.text, a.start + 1, a.\"end\" - a.start) = a.text FROM annotations a \
             JOIN documents d ON d.id = a.doc_id AND d.run_id = a.run_id"
        ),
        ["1", "1", "1", "1"]
    );
    assert_eq!(
        query(
            &path,
            "SELECT d.id FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid \
             WHERE documents_fts MATCH 'dollars'"
        ),
        ["z/1"]
    );
    assert_eq!(
        query(&path, "SELECT run_id, id, source, stage, error, severity FROM errors"),
        ["1|bad|seeds/bad.txt|reader|empty document|error"]
    );
    assert_eq!(
        query(
            &path,
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'annotations' ORDER BY name"
        ),
        ["annotations_doc_id", "annotations_label"]
    );
    let plan = query(&path, "EXPLAIN QUERY PLAN SELECT * FROM annotations WHERE label = 'MONEY'");
    assert!(plan.iter().any(|row| row.contains("USING INDEX annotations_label")), "{plan:?}");
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_new_database_appears_only_when_the_run_finishes() {
    let folder = scratch("fresh");
    let mut exporter = build(&folder, json!({"path": "news.sqlite", "batch": 1}));
    exporter.write(&plain("a", "Rome today.")).unwrap();
    exporter.write(&plain("b", "Oslo today.")).unwrap();
    assert!(!folder.join("news.sqlite").exists());
    assert!(
        names(&folder).iter().all(|name| name.starts_with(".news.sqlite.")),
        "{:?}",
        names(&folder)
    );
    exporter.finish().unwrap();
    assert_eq!(names(&folder), ["news.sqlite"]);

    // A failed first run into a new path leaves nothing at all.
    let mut failed = build(&folder, json!({"path": "other.sqlite", "batch": 1}));
    failed.write(&plain("a", "Rome today.")).unwrap();
    drop(failed);
    assert_eq!(names(&folder), ["news.sqlite"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn re_running_replaces_the_runs_rows_and_keeps_other_runs() {
    let folder = scratch("rerun");
    let path = folder.join("news.sqlite");
    for texts in [["Rome one.", "Oslo two."], ["Rome three.", "Lima four."]] {
        let mut exporter = build(&folder, json!({"path": "news.sqlite", "batch": 1}));
        for (index, text) in texts.iter().enumerate() {
            exporter.write(&plain(&format!("d{index}"), text)).unwrap();
        }
        exporter.finish().unwrap();
    }
    // Another pipeline's run into the same database.
    let mut other = build_in(&folder, json!({"path": "news.sqlite"}), "bbc").unwrap();
    other.write(&plain("x", "Kyiv five.")).unwrap();
    other.finish().unwrap();

    assert_eq!(
        query(&path, "SELECT run_id, name, state, documents FROM runs ORDER BY run_id"),
        ["2|news|complete|2", "3|bbc|complete|1"]
    );
    assert_eq!(
        query(&path, "SELECT run_id, id, text FROM documents ORDER BY rowid"),
        ["2|d0|Rome three.", "2|d1|Lima four.", "3|x|Kyiv five."]
    );
    assert_eq!(
        query(&path, "SELECT run_id, doc_id, text FROM annotations ORDER BY run_id, doc_id"),
        ["2|d0|Rome", "2|d1|Lima", "3|x|Kyiv"]
    );
    // The full-text index followed the deletes.
    assert_eq!(
        query(&path, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'oslo'"),
        ["0"]
    );
    assert_eq!(
        query(&path, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'lima'"),
        ["1"]
    );
    // An explicit run name replaces only its own rows.
    let named =
        build_in(&folder, json!({"path": "news.sqlite", "run": "bbc"}), "anything").unwrap();
    named.finish().unwrap();
    assert_eq!(
        query(&path, "SELECT name, documents FROM runs ORDER BY run_id"),
        ["news|2", "bbc|0"]
    );
    assert_eq!(query(&path, "SELECT count(*) FROM documents"), ["2"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_failed_or_killed_run_leaves_the_earlier_rows_intact() {
    let folder = scratch("failed");
    let path = folder.join("news.sqlite");
    let mut first = build(&folder, json!({"path": "news.sqlite"}));
    first.write(&plain("a", "Rome one.")).unwrap();
    first.finish().unwrap();

    // A run that fails: committed batches, then dropped without finish.
    let mut failed = build(&folder, json!({"path": "news.sqlite", "batch": 1}));
    failed.write(&plain("b", "Oslo two.")).unwrap();
    failed.write(&plain("c", "Lima three.")).unwrap();
    assert_eq!(
        query(&path, "SELECT name, state FROM runs ORDER BY run_id"),
        ["news|complete", "news|writing"],
        "batches are committed while the run goes on"
    );
    drop(failed);
    assert_eq!(query(&path, "SELECT name, state FROM runs"), ["news|complete"]);
    assert_eq!(query(&path, "SELECT id FROM documents"), ["a"]);

    // A run that is killed: its Drop never runs, its rows stay behind in
    // state `writing` and the complete run is untouched...
    let mut killed = build(&folder, json!({"path": "news.sqlite", "batch": 1}));
    killed.write(&plain("k", "Kyiv four.")).unwrap();
    std::mem::forget(killed);
    assert_eq!(
        query(
            &path,
            "SELECT id FROM documents WHERE run_id IN (SELECT run_id FROM runs WHERE state = 'complete')"
        ),
        ["a"]
    );
    // ...until the next run of that name sweeps them on opening.
    let mut next = build(&folder, json!({"path": "news.sqlite"}));
    next.write(&plain("n", "Nuuk five.")).unwrap();
    // `k` is gone; `n` waits in an open transaction (batch of 500).
    assert_eq!(query(&path, "SELECT id FROM documents ORDER BY rowid"), ["a"]);
    assert_eq!(
        query(&path, "SELECT name, state FROM runs ORDER BY run_id"),
        ["news|complete", "news|writing"]
    );
    next.finish().unwrap();
    assert_eq!(query(&path, "SELECT id FROM documents"), ["n"]);
    assert_eq!(query(&path, "SELECT count(*) FROM runs"), ["1"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn options_are_checked_and_a_foreign_database_is_refused() {
    let folder = scratch("options");
    assert_eq!(
        build_in(&folder, json!({"path": "x.sqlite", "batch": 0}), "news").err().unwrap(),
        "key `batch`: must be at least 1"
    );
    assert_eq!(
        build_in(&folder, json!({"path": "x.sqlite", "run": " "}), "news").err().unwrap(),
        "key `run`: must not be empty"
    );
    assert_eq!(
        build_in(&folder, json!({"path": "."}), "news").err().unwrap().split(';').nth(1),
        Some(" give a file name such as out.sqlite")
    );
    let built = build(&folder, json!({"path": "x.sqlite"}));
    assert_eq!(built.outputs(), [folder.join("x.sqlite")]);
    drop(built);
    assert!(names(&folder).is_empty(), "building creates no file");

    let foreign = folder.join("foreign.sqlite");
    Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE notes (body TEXT)").unwrap();
    let mut exporter = build(&folder, json!({"path": "foreign.sqlite"}));
    let error = exporter.write(&plain("a", "Rome one.")).unwrap_err();
    assert_eq!(
        format!("{error:#}"),
        format!(
            "cannot open the database {0}: {0} is not a database written by the sqlite exporter (user_version 0, expected 1); give another path",
            foreign.display()
        )
    );
    assert_eq!(query(&foreign, "SELECT name FROM sqlite_schema"), ["notes"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn the_run_name_defaults_to_the_pipeline_stem_else_the_instance_name() {
    let folder = scratch("names");
    let exporter = build_in(&folder, json!({"path": "a.sqlite"}), "").unwrap();
    exporter.finish().unwrap();
    assert_eq!(query(&folder.join("a.sqlite"), "SELECT name FROM runs"), ["sqlite"]);
    fs::remove_dir_all(folder).unwrap();
}

/// The full-text index is filled once per batch: every document is in it
/// exactly once whatever the batch size, also in a database made before,
/// whose insert trigger would have indexed each row a second time.
#[test]
fn every_batch_is_indexed_once() {
    let folder = scratch("fts-batches");
    let path = folder.join("news.sqlite");
    let texts: Vec<String> =
        (0..7).map(|index| format!("Report number{index} from Geneva.")).collect();
    for batch in [1, 3, 500] {
        let _ = fs::remove_file(&path);
        let mut exporter = build(&folder, json!({"path": "news.sqlite", "batch": batch}));
        for (index, text) in texts.iter().enumerate() {
            exporter.write(&plain(&format!("d{index}"), text)).unwrap();
        }
        exporter.finish().unwrap();
        assert_eq!(
            query(&path, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'geneva'"),
            ["7"],
            "batch {batch}"
        );
        assert_eq!(
            query(
                &path,
                "SELECT d.id FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid \
                 WHERE documents_fts MATCH 'number5'"
            ),
            ["d5"],
            "batch {batch}"
        );
        assert_eq!(
            query(
                &path,
                "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1) RETURNING 'ok'"
            ),
            ["ok"],
            "batch {batch}: the index matches its content table (a mismatch is an error)"
        );
    }
    // A database from before, with its insert trigger: dropped on open.
    let connection = Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN \
             INSERT INTO documents_fts(rowid, text) VALUES (new.rowid, new.text); END;",
        )
        .unwrap();
    drop(connection);
    let mut exporter = build(&folder, json!({"path": "news.sqlite", "batch": 2}));
    for (index, text) in texts.iter().enumerate() {
        exporter.write(&plain(&format!("d{index}"), text)).unwrap();
    }
    exporter.finish().unwrap();
    assert_eq!(
        query(&path, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'geneva'"),
        ["7"]
    );
    assert_eq!(
        query(&path, "SELECT count(*) FROM sqlite_schema WHERE name = 'documents_fts_insert'"),
        ["0"]
    );
    fs::remove_dir_all(folder).unwrap();
}
