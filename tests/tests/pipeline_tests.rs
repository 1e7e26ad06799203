//! `runner test` and the tests run by `runner validate`: `[[test]]` tables
//! inside a pipeline file.

mod common;

use std::fs;

use common::{root, runner, scratch, stderr, stdout};

/// A pipeline whose reader input does not exist: `runner test` does not
/// need it.
const PIPELINE: &str = r#"
[reader]
kind = "text"
path = "no/such/folder"

[[extractor]]
kind = "measures"

[[extractor]]
kind = "temporal"

[[exporter]]
kind = "csv"
path = "out/facts.csv"

[[test]]
name = "money"
text = "They gave 35 million euros (41.18 million U.S. dollars) on Saturday."
date = "2017-12-10"
expect = [
    { label = "MONEY", text = "35 million euros", value = { amount = "35000000", currency = "EUR" } },
    { label = "DATE", text = "Saturday", value = "2017-12-09" },
]
reject = [{ label = "QUANTITY", text = "35 million euros" }]
"#;

const FAILING: &str = r#"
[[test]]
name = "wrong week"
text = "The vote is next week, not today."
date = "2017-12-10"
expect = [{ label = "DATE", text = "next week", value = "2017-W51" }]
reject = [{ label = "DATE", text = "today" }]
"#;

#[test]
fn a_passing_pipeline_exits_0_without_reader_or_exporters() {
    let folder = scratch("tests-pass");
    fs::write(folder.join("p.toml"), PIPELINE).unwrap();
    let output = runner(&folder, &["test", "p.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "PASS money\np.toml: 1 test, 1 passed, 0 failed\n");
    assert!(!folder.join("out").exists(), "runner test wrote an output");
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_failing_test_shows_a_diff_and_exits_1() {
    let folder = scratch("tests-fail");
    fs::write(folder.join("p.toml"), format!("{PIPELINE}{FAILING}")).unwrap();
    let output = runner(&folder, &["test", "p.toml"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        concat!(
            "PASS money\n",
            "FAIL wrong week (p.toml:26)\n",
            "  - missing DATE \"next week\" = \"2017-W51\"\n",
            "  + unexpected DATE \"today\"\n",
            "    produced DATE \"next week\" = \"2017-W50\"\n",
            "    produced DATE \"today\" = \"2017-12-10\"\n",
            "p.toml: 2 tests, 1 passed, 1 failed\n",
        )
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn validate_runs_the_tests_too() {
    let folder = scratch("tests-validate");
    fs::create_dir_all(folder.join("no/such/folder")).unwrap();
    fs::write(folder.join("p.toml"), format!("{PIPELINE}{FAILING}")).unwrap();
    let output = runner(&folder, &["validate", "p.toml"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("p.toml: valid: reader text, tokenizer news, extractors [measures, temporal], exporters [csv]\nPASS money\nFAIL wrong week (p.toml:26)\n"), "{text}");
    assert!(text.ends_with("p.toml: 2 tests, 1 passed, 1 failed\n"), "{text}");
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_bad_test_table_is_a_configuration_error() {
    let folder = scratch("tests-bad");
    let source = PIPELINE.replace("reject = [", "rejects = [");
    fs::write(folder.join("p.toml"), source).unwrap();
    let output = runner(&folder, &["test", "p.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "p.toml:24: test[1] (name = \"money\"): unknown key `rejects`; did you mean `reject`?\n1 error in the pipeline file\n"
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn every_shipped_pipeline_passes_its_tests() {
    let pipelines = fs::read_dir(root().join("pipelines")).unwrap();
    let mut names: Vec<String> = pipelines
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        let path = format!("pipelines/{name}");
        let output = runner(&root(), &["test", &path]);
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(0), "{path}:\n{text}{}", stderr(&output));
        assert!(text.contains(" failed\n") && text.ends_with(" 0 failed\n"), "{path}: {text}");
        assert!(!text.contains("no [[test]] tables"), "{path} has no tests");
    }
}
