//! The command line: list, validate, exit codes, atomic outputs.

mod common;

use std::fs;

use common::{root, runner, scratch, stderr, stdout};

#[test]
fn list_shows_every_kind_with_its_options() {
    let output = runner(&root(), &["list"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for expected in [
        "readers\n  text ",
        "\n  jsonl ",
        "tokenizers\n  news ",
        "extractors\n  dateline ",
        "exporters\n  jsonl ",
        "      path (path, required): ",
        "      max_paragraphs (integer, default 3): ",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn validate_accepts_the_default_pipeline_without_reading() {
    let output = runner(&root(), &["validate", "pipelines/default.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        concat!(
            "pipelines/default.toml: valid: reader text, tokenizer news, extractors [dateline, measures, temporal], exporters [jsonl]\n",
            "PASS Xinhua dateline with the year from the document date\n",
            "PASS money with its conversion\n",
            "PASS relative dates resolved against the document date\n",
            "pipelines/default.toml: 3 tests, 3 passed, 0 failed\n",
        )
    );
}

#[test]
fn help_and_bad_arguments() {
    let output = runner(&root(), &["--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).starts_with("Dateline: structured facts from news articles.\n\nUsage:\n")
    );
    let output = runner(&root(), &["--threads"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("runner: missing argument for option '--threads'\n"));
}

const ABORTING: &str = r#"
[pipeline]
on_error = "abort"

[reader]
kind = "text"
path = "in"

[[exporter]]
kind = "jsonl"
path = "out.jsonl"
"#;

#[test]
fn an_aborted_run_leaves_the_previous_output_alone() {
    let folder = scratch("abort");
    fs::create_dir_all(folder.join("in")).unwrap();
    fs::write(folder.join("in/a.txt"), "Fine.").unwrap();
    fs::write(folder.join("in/b.txt"), "").unwrap();
    fs::write(folder.join("in/c.txt"), "Fine too.").unwrap();
    fs::write(folder.join("p.toml"), ABORTING).unwrap();
    fs::write(folder.join("out.jsonl"), "previous run\n").unwrap();
    let output = runner(&folder, &["p.toml"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains(
        "runner: run aborted: on_error = \"abort\": document \"b\" failed in reader: empty document; no output was written\n"
    ));
    assert_eq!(fs::read_to_string(folder.join("out.jsonl")).unwrap(), "previous run\n");
    assert!(!folder.join("out.errors.jsonl").exists());
    let names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|name| !name.ends_with(".tmp")), "no temporary file left: {names:?}");

    // The same input with on_error = "skip" completes with exit 2.
    fs::write(folder.join("p.toml"), ABORTING.replace("abort", "skip")).unwrap();
    let output = runner(&folder, &["p.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(fs::read_to_string(folder.join("out.jsonl")).unwrap().lines().count(), 2);
    assert!(stdout(&output).contains("failed       b [reader]: empty document\n"));
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn an_unwritable_output_is_an_error_and_exit_1() {
    let folder = scratch("unwritable");
    fs::create_dir_all(folder.join("in")).unwrap();
    fs::write(folder.join("in/a.txt"), "Fine.").unwrap();
    // A file where the output folder should be.
    fs::write(folder.join("blocked"), "").unwrap();
    fs::write(folder.join("p.toml"), ABORTING.replace("out.jsonl", "blocked/out.jsonl")).unwrap();
    let output = runner(&folder, &["p.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .contains("runner: exporter \"jsonl\" failed: cannot create output folder blocked: "),
        "{}",
        stderr(&output)
    );
    fs::remove_dir_all(folder).unwrap();
}
