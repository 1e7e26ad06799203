mod common;

use common::*;
use document::{Date, Span, Value, json};

const GOOD: &str = concat!(
    r#"{"id": "x1", "text": "Libya's capital Tripoli.", "date": "2017-12-10", "lang": "en"}"#,
    "\n",
    "\n",
    "   \r\n",
    r#"{"id": 42, "text": "A numbered line.", "date": "2018-07-07T09:30:00Z", "tags": ["a", "b"]}"#,
    "\r\n",
    r#"{"text": "No id here.", "date": null}"#,
    "\n",
    r#"{"id": "x4", "text": " date 2017-12-10 Source: Xinhua|Editor: Jiaxin\nBody.", "editor": "Mine"}"#,
);

#[test]
fn reads_documents_with_fields_and_metadata() {
    let scratch = Scratch::new("jsonl-good");
    let path = scratch.write("news/day.jsonl", GOOD);
    let reader = build_ok("jsonl", &scratch.context(), json!({"path": "news/day.jsonl"}));
    let items = read_all(&*reader);
    assert_eq!(summary(&items), ["x1", "42", "day:5", "x4"]);
    let source = source_of(&path);

    let first = document(&items[0]);
    assert_eq!(first.text, "Libya's capital Tripoli.");
    assert_eq!(first.source, format!("{source}:1"));
    assert_eq!(first.date, Some(Date::new(2017, 12, 10).unwrap()));
    assert_eq!(Value::Object(first.metadata.clone()), json!({"lang": "en"}));
    assert_eq!(first.header, None);
    assert!(first.warnings.is_empty());

    // A date-time gives the date and stays in the metadata for its time.
    let second = document(&items[1]);
    assert_eq!(second.source, format!("{source}:4"));
    assert_eq!(second.date, Some(Date::new(2018, 7, 7).unwrap()));
    assert_eq!(
        Value::Object(second.metadata.clone()),
        json!({"date": "2018-07-07T09:30:00Z", "tags": ["a", "b"]})
    );

    let third = document(&items[2]);
    assert_eq!(third.source, format!("{source}:5"));
    assert_eq!(third.date, None);
    assert_eq!(Value::Object(third.metadata.clone()), json!({"date": null}));

    // A Xinhua header in the text: fields from the JSON win.
    let fourth = document(&items[3]);
    assert_eq!(fourth.source, format!("{source}:6"));
    assert_eq!(fourth.header, Some(Span::new(0, 47)));
    assert_eq!(fourth.date, Some(Date::new(2017, 12, 10).unwrap()));
    assert_eq!(
        Value::Object(fourth.metadata.clone()),
        json!({"editor": "Mine", "agency": "Xinhua"})
    );
}

#[test]
fn custom_fields_and_a_default_date() {
    let scratch = Scratch::new("jsonl-fields");
    scratch.write(
        "a.ndjson",
        "{\"doc\": \"d1\", \"body\": \"Text.\", \"when\": \"2019-01-02\"}\n{\"doc\": \"d2\", \"body\": \"More.\"}\n",
    );
    let options = json!({
        "path": ".",
        "id_field": "doc",
        "text_field": "body",
        "date_field": "when",
        "date": "2000-01-01",
    });
    let reader = build_ok("jsonl", &scratch.context(), options);
    let items = read_all(&*reader);
    assert_eq!(summary(&items), ["d1", "d2"]);
    assert_eq!(document(&items[0]).date, Some(Date::new(2019, 1, 2).unwrap()));
    assert!(document(&items[0]).metadata.is_empty());
    assert_eq!(document(&items[1]).date, Some(Date::new(2000, 1, 1).unwrap()));
}

#[test]
fn malformed_lines_are_failures_and_the_run_goes_on() {
    let scratch = Scratch::new("jsonl-bad");
    let lines = [
        r#"{"id": "ok1", "text": "Fine."}"#,
        r#"{"id": "broken", "text": }"#,
        r#"["an", "array"]"#,
        r#"{"id": "no-text"}"#,
        r#"{"id": "bad-text", "text": 7}"#,
        r#"{"id": "", "text": "Empty id."}"#,
        r#"{"id": true, "text": "Boolean id."}"#,
        r#"{"id": "ok1", "text": "Same id again."}"#,
        r#"{"id": "empty", "text": ""}"#,
        r#"{"id": "blank", "text": " \n "}"#,
        r#"{"id": "bad-date", "text": "Dated.", "date": "12/10/2017"}"#,
        r#"{"id": "num-date", "text": "Dated.", "date": 20171210}"#,
        r#"{"id": "long", "text": "This line is far longer than the limit allows."}"#,
        r#"{"id": "ok2", "text": "Also fine."}"#,
        // Regression: the id of a line that failed is free for a later one.
        r#"{"id": "no-text", "text": "Now with text."}"#,
    ];
    let path = scratch.write("bad.jsonl", lines.join("\n"));
    let options = json!({"path": "bad.jsonl", "max_document_bytes": 70});
    let reader = build_ok("jsonl", &scratch.context(), options);
    let items = read_all(&*reader);
    let duplicate = format!("ok1: duplicate id `ok1`: already used by {}:1", source_of(&path));
    assert_eq!(
        summary(&items),
        [
            "ok1",
            "bad:2: invalid JSON: expected value at column 26",
            "bad:3: line is an array, not a JSON object",
            "no-text: missing field `text`",
            "bad-text: field `text` is a number, not a string",
            "bad:6: field `id` is an empty string",
            "bad:7: field `id` is a boolean, not a string or a number",
            duplicate.as_str(),
            "empty: empty document",
            "blank: whitespace-only document",
            "bad-date",
            "num-date",
            "bad:13: line is 72 bytes, above max_document_bytes = 70",
            "ok2",
            "no-text",
        ]
    );
    let broken = failure(&items[1]);
    assert_eq!(broken.source, format!("{}:2", source_of(&path)));
    assert_eq!(broken.stage, "reader");
    assert_eq!(failure(&items[3]).source, format!("{}:4", source_of(&path)));
    assert_eq!(
        document(&items[10]).warnings,
        ["cannot read field `date`: `12/10/2017` is not a date of the form YYYY-MM-DD"]
    );
    assert_eq!(document(&items[10]).date, None);
    assert_eq!(Value::Object(document(&items[10]).metadata.clone()), json!({"date": "12/10/2017"}));
    assert_eq!(document(&items[11]).warnings, ["cannot read field `date`: a number is not a date"]);
}

#[test]
fn invalid_utf8_in_a_line_falls_back_to_windows_1252() {
    let scratch = Scratch::new("jsonl-encoding");
    let mut bytes = b"\xEF\xBB\xBF{\"id\": \"p\", \"text\": \"Fined \xA3500\"}\n".to_vec();
    bytes.extend(b"{\"id\": \"q\", \"text\": \"Z\xC3\xBCrich\"}\n");
    scratch.write("enc.jsonl", bytes);
    let reader = build_ok("jsonl", &scratch.context(), json!({"path": "enc.jsonl"}));
    let items = read_all(&*reader);
    let pound = document(&items[0]);
    assert_eq!(pound.text, "Fined £500");
    assert_eq!(
        pound.warnings,
        ["invalid UTF-8: 1 byte decoded as Windows-1252 (first at byte 30 of the line)"]
    );
    assert_eq!(document(&items[1]).text, "Zürich");
    assert!(document(&items[1]).warnings.is_empty());
}

#[test]
fn directories_pick_json_lines_files_compressed_or_not() {
    let scratch = Scratch::new("jsonl-dir");
    scratch.write("data/a.jsonl", "{\"id\": \"a\", \"text\": \"plain\"}\n");
    scratch.write("data/b.jsonl.gz", gzip(b"{\"id\": \"b\", \"text\": \"gzip\"}\n"));
    scratch.write(
        "data/c/d.jsonl.zst",
        zstd(b"{\"id\": \"d\", \"text\": \"zstd\"}\n{\"text\": \"no id\"}"),
    );
    scratch.write("data/e.ndjson", "{\"id\": \"e\", \"text\": \"ndjson\"}\n");
    scratch.write("data/notes.txt", "not json");
    scratch.write("data/f.json", "{\"id\": \"f\", \"text\": \"json\"}");
    let reader = build_ok("jsonl", &scratch.context(), json!({"path": "data"}));
    let items = read_all(&*reader);
    assert_eq!(summary(&items), ["a", "b", "d", "c/d:2", "e"]);
    assert_eq!(document(&items[1]).text, "gzip");
    assert_eq!(document(&items[2]).text, "zstd");
    assert_eq!(document(&items[3]).source, format!("{}:2", scratch.path("data/c/d.jsonl.zst")));

    // A glob chooses its own files.
    let reader = build_ok("jsonl", &scratch.context(), json!({"path": "data/*.json"}));
    assert_eq!(summary(&read_all(&*reader)), ["f"]);
}

#[test]
fn an_unreadable_file_or_corrupt_archive_is_one_failure() {
    let scratch = Scratch::new("jsonl-corrupt");
    let mut good =
        gzip(b"{\"id\": \"g1\", \"text\": \"one\"}\n{\"id\": \"g2\", \"text\": \"two\"}\n");
    good.truncate(good.len() - 6);
    scratch.write("a.jsonl.gz", good);
    scratch.write("b.jsonl.zst", "not zstd");
    scratch.write("c.jsonl", "{\"id\": \"c\", \"text\": \"fine\"}");
    let reader = build_ok("jsonl", &scratch.context(), json!({"path": "."}));
    let items = read_all(&*reader);
    assert_eq!(
        summary(&items),
        [
            "g1",
            "g2",
            "a:3: corrupt gzip data: the data ends too early",
            "b:1: corrupt zstd data: not zstd data (no zstd magic number)",
            "c",
        ]
    );
    assert_eq!(failure(&items[2]).source, format!("{}:3", scratch.path("a.jsonl.gz")));
    assert_eq!(failure(&items[3]).source, format!("{}:1", scratch.path("b.jsonl.zst")));
}

#[test]
fn build_errors_name_the_key() {
    let scratch = Scratch::new("jsonl-build");
    scratch.write("a.jsonl", "{}");
    let context = scratch.context();
    assert_eq!(
        build_error("jsonl", &context, json!({"path": "a.jsonl", "text_feild": "body"})),
        ["unknown key `text_feild`; did you mean `text_field`?"]
    );
    assert_eq!(
        build_error("jsonl", &context, json!({"path": "a.jsonl", "id_field": "text"})),
        ["key `id_field`: `text` is already the text field"]
    );
    assert_eq!(
        build_error("jsonl", &context, json!({"path": "a.jsonl", "date_field": ""})),
        ["key `date_field`: must not be empty"]
    );
}
