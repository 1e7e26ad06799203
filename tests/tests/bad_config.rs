//! Broken pipeline files: exit 1, nothing read, every problem named with
//! file, line, component and key.

mod common;

use common::{runner, scratch, stderr, stdout};

fn check(name: &str, pipeline: &str, expected_stderr: &str) {
    let folder = scratch(name);
    std::fs::create_dir_all(folder.join("in")).unwrap();
    std::fs::write(folder.join("in/a.txt"), "LONDON (Reuters) - Hello.").unwrap();
    std::fs::write(folder.join("bad.toml"), pipeline).unwrap();
    for command in [&["run", "bad.toml"][..], &["validate", "bad.toml"]] {
        let output = runner(&folder, command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        assert_eq!(stderr(&output), expected_stderr, "{command:?}");
        assert_eq!(stdout(&output), "", "{command:?}");
    }
    assert!(!folder.join("out.jsonl").exists(), "nothing is written");
    std::fs::remove_dir_all(folder).unwrap();
}

#[test]
fn syntax_error() {
    check(
        "syntax",
        "[reader\nkind = \"text\"\npath = \"in\"\n",
        "bad.toml:1: invalid TOML: unclosed table, expected `]`\n1 error in the pipeline file\n",
    );
}

#[test]
fn unknown_key_and_unknown_kind_together() {
    check(
        "unknown",
        r#"[reader]
kind = "text"
path = "in"

[[extractor]]
kind = "dateline"
max_paragraph = 2

[[exporter]]
kind = "jsnl"
path = "out.jsonl"
"#,
        concat!(
            "bad.toml:7: extractor[1] (kind = \"dateline\"): unknown key `max_paragraph`; did you mean `max_paragraphs`?\n",
            "bad.toml:10: exporter[1] (kind = \"jsnl\"): unknown exporter kind \"jsnl\"; did you mean \"jsonl\"? (known: jsonl, conll, timeml, html, csv, geojson, parquet, sqlite)\n",
            "2 errors in the pipeline file\n"
        ),
    );
}

#[test]
fn wrong_type() {
    check(
        "type",
        r#"[pipeline]
threads = "four"

[reader]
kind = "text"
path = "in"

[[extractor]]
kind = "dateline"
emit_places = "yes"

[[exporter]]
kind = "jsonl"
path = "out.jsonl"
"#,
        concat!(
            "bad.toml:2: [pipeline]: key `threads`: invalid type: string \"four\", expected usize\n",
            "bad.toml:10: extractor[1] (kind = \"dateline\"): key `emit_places`: invalid type: string \"yes\", expected a boolean\n",
            "2 errors in the pipeline file\n"
        ),
    );
}

#[test]
fn missing_input_path() {
    let folder = scratch("missing-input");
    std::fs::write(
        folder.join("p.toml"),
        "[reader]\nkind = \"text\"\npath = \"nowhere\"\n\n[[exporter]]\nkind = \"jsonl\"\npath = \"out.jsonl\"\n",
    )
    .unwrap();
    let output = runner(&folder, &["validate", "p.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "p.toml:3: reader (kind = \"text\"): key `path`: `nowhere` does not exist (resolved to `nowhere`: \
         relative paths resolve against the pipeline file's folder, `.`)\n1 error in the pipeline file\n"
    );
    std::fs::remove_dir_all(folder).unwrap();
}

#[test]
fn missing_pipeline_file() {
    let folder = scratch("missing-file");
    let output = runner(&folder, &["run", "nope.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "nope.toml: cannot read the pipeline file: No such file or directory (os error 2)\n1 error in the pipeline file\n"
    );
    std::fs::remove_dir_all(folder).unwrap();
}
