//! `[[test]]` tables: their validation (exact messages and lines) and
//! running them.

mod support;

use std::path::Path;

use document::json;
use pipeline::{Expectation, TestOutcome};

fn errors(source: &str) -> Vec<String> {
    match pipeline::load_str(source, Path::new("p.toml"), &support::registry()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

const HEAD: &str = r#"[reader]
kind = "memory"
count = 1

[[extractor]]
kind = "fragile"

[[exporter]]
kind = "collect"
"#;

fn expectation(label: &str, text: &str, value: Option<document::Value>) -> Expectation {
    Expectation { label: label.into(), text: text.into(), value }
}

#[test]
fn tests_are_parsed_with_their_dates_and_values() {
    let source = format!(
        "{HEAD}{}",
        r#"
[[test]]
name = "place"
text = "Talks in Zürich."
date = 2017-12-10
expect = [{ label = "LOC", text = "Zürich" }]
reject = [{ label = "LOC", text = "Talks", value = { a = 1, b = ["x"] } }]
"#
    );
    let pipeline = pipeline::load_str(&source, Path::new("p.toml"), &support::registry()).unwrap();
    let test = &pipeline.tests[0];
    assert_eq!(test.name, "place");
    assert_eq!(test.line, 11);
    assert_eq!(test.date.map(|date| date.to_string()).as_deref(), Some("2017-12-10"));
    assert_eq!(test.expect, [expectation("LOC", "Zürich", None)]);
    assert_eq!(test.reject, [expectation("LOC", "Talks", Some(json!({"a": 1, "b": ["x"]})))]);
}

#[test]
fn every_problem_in_a_test_is_named_with_its_line() {
    let source = format!(
        "{HEAD}{}",
        r#"
[[test]]
name = "first"
txt = "Zürich."
date = "2017-13-01"
expect = [{ lable = "LOC", text = "Zürich" }]

[[test]]
name = "first"
text = "Zürich."
expect = "LOC"

[[test]]
text = ""
reject = [{ label = "LOC" }]

[[test]]
name = "no checks"
text = "Zürich."
colour = "red"
"#
    );
    assert_eq!(
        errors(&source),
        [
            "p.toml:11: test[1] (name = \"first\"): missing key `text`",
            "p.toml:13: test[1] (name = \"first\"): unknown key `txt`; did you mean `text`?",
            "p.toml:14: test[1] (name = \"first\"): key `date`: `2017-13-01` is not a date of the form YYYY-MM-DD",
            "p.toml:15: test[1] (name = \"first\"): expect[1]: unknown key `lable`; did you mean `label`?",
            "p.toml:18: test[2] (name = \"first\"): has the same name as test[1]; give each test its own",
            "p.toml:20: test[2] (name = \"first\"): key `expect` must be a list of tables, e.g. [{ label = \"DATE\", text = \"Monday\" }]",
            "p.toml:22: test[3]: missing key `name`",
            "p.toml:23: test[3]: key `text` must be a non-empty string",
            "p.toml:24: test[3]: reject[1]: missing `text`",
            "p.toml:26: test[4] (name = \"no checks\"): a test needs `expect` or `reject`: the annotations that must (or must not) be produced",
            "p.toml:29: test[4] (name = \"no checks\"): unknown key `colour`; a test has name, text, date, expect and reject",
        ]
    );
}

#[test]
fn test_must_be_an_array_of_tables() {
    let source = format!("{HEAD}\n[test]\nname = \"x\"\n");
    assert_eq!(errors(&source), ["p.toml:11: `test` must be an array of tables: write [[test]]"]);
    let source = format!("{HEAD}\n[[tests]]\nname = \"x\"\n");
    assert_eq!(errors(&source), ["p.toml:11: unknown table `tests`; did you mean `test`?"]);
}

#[test]
fn running_reports_missing_unexpected_and_what_was_produced() {
    let source = format!(
        "{HEAD}{}",
        r#"
[[test]]
name = "passes"
text = "Talks in Zürich."
expect = [{ label = "LOC", text = "Zürich" }]
reject = [{ label = "LOC", text = "Talks" }]

[[test]]
name = "fails"
text = "Talks in Zürich."
expect = [{ label = "LOC", text = "Zurich" }, { label = "PER", text = "Talks" }]
reject = [{ label = "LOC", text = "Zürich" }]

[[test]]
name = "breaks"
text = "PANIC 4"
expect = [{ label = "LOC", text = "Zürich" }]
"#
    );
    let pipeline = pipeline::load_str(&source, Path::new("p.toml"), &support::registry()).unwrap();
    let outcomes = pipeline.run_tests();
    assert_eq!(
        outcomes,
        [
            TestOutcome {
                name: "passes".into(),
                line: 11,
                missing: vec![],
                unexpected: vec![],
                produced: vec![],
                error: None,
            },
            TestOutcome {
                name: "fails".into(),
                line: 17,
                missing: vec![
                    expectation("LOC", "Zurich", None),
                    expectation("PER", "Talks", None)
                ],
                unexpected: vec![expectation("LOC", "Zürich", None)],
                produced: vec![expectation("LOC", "Zürich", None)],
                error: None,
            },
            TestOutcome {
                name: "breaks".into(),
                line: 23,
                missing: vec![],
                unexpected: vec![],
                produced: vec![],
                error: Some("failed in extractor:fragile: cannot handle breaks".into()),
            },
        ]
    );
    assert_eq!(outcomes.iter().map(TestOutcome::passed).collect::<Vec<_>>(), [true, false, false]);
}

#[test]
fn tests_load_without_the_reader_and_exporters() {
    let source = r#"
[reader]
kind = "text"
path = "nowhere/at/all"

[[extractor]]
kind = "fragile"

[[test]]
name = "place"
text = "Zürich."
expect = [{ label = "LOC", text = "Zürich" }]
"#;
    let registry = support::registry();
    let full = pipeline::load_str(source, Path::new("p.toml"), &registry);
    assert!(full.is_err());
    let pipeline = pipeline::load_tests_str(source, Path::new("p.toml"), &registry).unwrap();
    assert_eq!(pipeline.tests.len(), 1);
    assert!(pipeline.run_tests()[0].passed());
    // Extractors and tests are still checked.
    let broken = source.replace("kind = \"fragile\"", "kind = \"fragil\"");
    let errors = pipeline::load_tests_str(&broken, Path::new("p.toml"), &registry)
        .err()
        .map(|errors| errors.to_string());
    // (The list of known kinds after it grows with the workspace.)
    let expected = "p.toml:7: extractor[1] (kind = \"fragil\"): unknown extractor kind \"fragil\"; did you mean \"fragile\"?";
    assert!(errors.as_deref().is_some_and(|errors| errors.starts_with(expected)), "{errors:?}");
}
