//! Bad documents: each is recorded in the errors file with its id and
//! reason, every good one is still written, and the exit code is 2.

mod common;

use std::fs;
use std::io::Write;

use common::{jsonl, runner, scratch, stdout};

const PIPELINE: &str = r#"
[pipeline]
batch_size = 2

[reader]
kind = "text"
path = "in"

[[extractor]]
kind = "dateline"

[[exporter]]
kind = "jsonl"
path = "out/run.jsonl"
text = false
"#;

#[test]
fn a_corrupt_input_set_loses_no_good_document() {
    let folder = scratch("corrupt");
    let input = folder.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a_good.txt"), "LONDON (Reuters) - Markets rose on Monday.\n").unwrap();
    fs::write(input.join("b_empty.txt"), "").unwrap();
    fs::write(input.join("c_latin1.txt"), b"PARIS (AFP) - It cost \xa315.8m.\n").unwrap();
    fs::write(input.join("d_binary.bin"), b"\x7fELF\x02\x01\x01\x00\x00\x00binary").unwrap();
    // 50 MB on one line, no newline anywhere.
    let mut big = fs::File::create(input.join("e_big.txt")).unwrap();
    let chunk = "word, 1.5 U.S. Zürich ".repeat(1000);
    let mut written = 0;
    while written < 50_000_000 {
        big.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    drop(big);
    std::os::unix::fs::symlink(folder.join("gone.txt"), input.join("f_missing.txt")).unwrap();
    fs::write(input.join("g_good.txt"), "TRIPOLI, July 7 (Xinhua) -- Talks went on.\n").unwrap();
    fs::write(folder.join("p.toml"), PIPELINE).unwrap();

    let output = runner(&folder, &["run", "p.toml", "--threads", "2"]);
    assert_eq!(output.status.code(), Some(2), "{}", common::stderr(&output));

    let documents = jsonl(&folder.join("out/run.jsonl"));
    let ids: Vec<&str> =
        documents.iter().map(|document| document["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a_good", "c_latin1", "e_big", "g_good"]);
    assert_eq!(documents[0]["annotations"][0]["label"], "DATELINE");
    assert_eq!(documents[3]["annotations"][0]["value"]["date"], "XXXX-07-07");

    let errors = fs::read_to_string(folder.join("out/run.errors.jsonl")).unwrap();
    let source = |name: &str| {
        input.join(name).display().to_string().replace(&format!("{}/", folder.display()), "")
    };
    let expected: Vec<serde_json::Value> = [
        ("b_empty", "b_empty.txt", "empty document", "error"),
        ("c_latin1", "c_latin1.txt", "invalid UTF-8: 1 byte decoded as Windows-1252 (first at byte 22)", "warning"),
        ("d_binary", "d_binary.bin", "binary content: NUL byte at offset 7", "error"),
        ("f_missing", "f_missing.txt", "cannot read file: No such file or directory (os error 2)", "error"),
    ]
    .iter()
    .map(|(id, file, error, severity)| {
        serde_json::json!({"id": id, "source": source(file), "stage": "reader", "error": error, "severity": severity})
    })
    .collect();
    assert_eq!(jsonl(&folder.join("out/run.errors.jsonl")), expected);
    assert_eq!(errors.lines().count(), 4);

    let summary = stdout(&output);
    assert!(
        summary.contains("documents    read 7, written 4, failed 3, warnings 1\n"),
        "{summary}"
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn latin1_is_decoded_as_windows_1252() {
    let folder = scratch("latin1");
    fs::create_dir_all(folder.join("in")).unwrap();
    fs::write(folder.join("in/a.txt"), b"It cost \xa315.8m \x80 and \x93quoted\x94.").unwrap();
    fs::write(folder.join("p.toml"), PIPELINE.replace("text = false", "")).unwrap();
    let output = runner(&folder, &["p.toml"]);
    assert_eq!(output.status.code(), Some(0));
    let documents = jsonl(&folder.join("out/run.jsonl"));
    assert_eq!(documents[0]["text"], "It cost £15.8m € and \u{201c}quoted\u{201d}.");
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_malformed_jsonl_line_fails_alone() {
    let folder = scratch("jsonl");
    fs::write(
        folder.join("in.jsonl"),
        concat!(
            "{\"id\": \"one\", \"text\": \"LONDON (Reuters) - Up.\", \"date\": \"2017-12-10\", \"section\": \"markets\"}\n",
            "{\"id\": \"two\", \"text\": \n",
            "\n",
            "[1, 2]\n",
            "{\"id\": \"four\", \"body\": \"no text field\"}\n",
            "{\"id\": \"five\", \"text\": \"BEIJING, Jan. 3 (Xinhua) -- Snow.\", \"date\": \"2018-01-05\"}\n",
        ),
    )
    .unwrap();
    fs::write(
        folder.join("p.toml"),
        "[reader]\nkind = \"jsonl\"\npath = \"in.jsonl\"\n\n[[extractor]]\nkind = \"dateline\"\n\n\
         [[exporter]]\nkind = \"jsonl\"\npath = \"out.jsonl\"\ntext = false\n",
    )
    .unwrap();
    let output = runner(&folder, &["p.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let documents = jsonl(&folder.join("out.jsonl"));
    assert_eq!(documents.len(), 2);
    assert_eq!(documents[0]["id"], "one");
    assert_eq!(documents[0]["date"], "2017-12-10");
    assert_eq!(documents[0]["metadata"], serde_json::json!({"section": "markets"}));
    assert_eq!(documents[1]["id"], "five");
    assert_eq!(documents[1]["annotations"][0]["value"]["date"], "2018-01-03");
    let errors = jsonl(&folder.join("out.errors.jsonl"));
    let reasons: Vec<(&str, &str)> = errors
        .iter()
        .map(|error| (error["id"].as_str().unwrap(), error["error"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("in:2", "invalid JSON: EOF while parsing a value at column 22"),
            ("in:4", "line is an array, not a JSON object"),
            ("four", "missing field `text`"),
        ]
    );
    assert_eq!(errors[0]["source"], "in.jsonl:2");
    fs::remove_dir_all(folder).unwrap();
}
