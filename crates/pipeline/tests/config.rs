//! Validation of pipeline files: every error, with line, component, key
//! and suggestion.

mod support;

use std::path::Path;

fn errors(source: &str) -> Vec<String> {
    match pipeline::load_str(source, Path::new("p.toml"), &support::registry()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

const GOOD: &str = r#"
[reader]
kind = "memory"
count = 3

[[extractor]]
kind = "fragile"

[[exporter]]
kind = "collect"
"#;

#[test]
fn a_good_file_loads_with_defaults() {
    let pipeline = pipeline::load_str(GOOD, Path::new("dir/p.toml"), &support::registry()).unwrap();
    assert_eq!(pipeline.name, "p");
    assert_eq!(pipeline.settings.batch_size, 256);
    assert_eq!(pipeline.settings.threads, 0);
    assert_eq!(pipeline.settings.max_errors, 1000);
    assert_eq!(pipeline.tokenizer.kind, "news");
    assert_eq!(pipeline.extractors[0].name, "fragile");
}

#[test]
fn syntax_errors_name_the_line() {
    assert_eq!(
        errors("[reader]\nkind = \"memory\"\ncount = \n"),
        ["p.toml:3: invalid TOML: string values must be quoted, expected literal string"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let source = r#"
[pipeline]
threds = 2
batch_size = "big"

[reader]
kind = "memory"
cont = 3

[[extractor]]
kind = "fragil"

[[extractor]]
name = "x"

[[exporter]]
kind = "collect"
path = "out.jsonl"
"#;
    // Every registered extractor kind, built-in ones included, in order.
    let known: Vec<&str> =
        support::registry().kinds(document::Stage::Extractor).iter().map(|kind| kind.0).collect();
    let known = known.join(", ");
    assert!(
        known.starts_with("dateline, ") && known.ends_with(", fragile, sloppy, stuck"),
        "{known}"
    );
    assert_eq!(
        errors(source),
        [
            "p.toml:3: [pipeline]: unknown key `threds`; did you mean `threads`?".to_string(),
            "p.toml:4: [pipeline]: key `batch_size`: invalid type: string \"big\", expected usize"
                .into(),
            "p.toml:8: reader (kind = \"memory\"): unknown key `cont`; did you mean `count`?"
                .into(),
            format!(
                "p.toml:11: extractor[1] (kind = \"fragil\"): unknown extractor kind \"fragil\"; did you mean \"fragile\"? (known: {known})"
            ),
            format!("p.toml:13: extractor[2]: missing key `kind`; known extractor kinds: {known}"),
            "p.toml:18: exporter[1] (kind = \"collect\"): unknown key `path`".into(),
        ]
    );
}

#[test]
fn wrong_types_name_the_key() {
    let source = GOOD.replace("count = 3", "count = \"three\"");
    assert_eq!(
        errors(&source),
        [
            "p.toml:4: reader (kind = \"memory\"): key `count`: invalid type: string \"three\", expected usize"
        ]
    );
    let source = format!("[pipeline]\non_error = \"ignore\"\n{GOOD}");
    assert_eq!(
        errors(&source),
        [
            "p.toml:2: [pipeline]: key `on_error`: unknown variant `ignore`, expected `skip` or `abort`"
        ]
    );
    let source = format!("[pipeline]\nbatch_size = 0\n{GOOD}");
    assert_eq!(
        errors(&source),
        ["p.toml:2: [pipeline]: key `batch_size`: must be between 1 and 1000000"]
    );
}

#[test]
fn table_shapes_and_unknown_tables() {
    let source = GOOD.replace("[[extractor]]", "[extractor]");
    assert_eq!(
        errors(&source),
        ["p.toml:6: `extractor` must be an array of tables: write [[extractor]]"]
    );
    let source = format!("{GOOD}\n[exporters]\nkind = \"x\"\n");
    assert_eq!(errors(&source), ["p.toml:12: unknown table `exporters`; did you mean `exporter`?"]);
}

#[test]
fn missing_reader_and_exporter() {
    assert_eq!(
        errors("[[extractor]]\nkind = \"fragile\"\n"),
        [
            "p.toml: missing [reader] table: say what to read, e.g. kind = \"text\", path = \"../seeds\"",
            "p.toml: no [[exporter]] table: nothing would be written; add e.g. kind = \"jsonl\", path = \"out.jsonl\"",
        ]
    );
}

#[test]
fn duplicate_names_are_refused() {
    let source = GOOD.replace(
        "[[extractor]]\nkind = \"fragile\"",
        "[[extractor]]\nkind = \"fragile\"\n\n[[extractor]]\nkind = \"sloppy\"\nname = \"fragile\"",
    );
    assert_eq!(
        errors(&source),
        [
            "p.toml:9: extractor[2] (kind = \"sloppy\"): has the same name \"fragile\" as extractor[1]; give one a different `name`"
        ]
    );
}

#[test]
fn a_missing_input_is_found_before_any_document_is_read() {
    let source =
        GOOD.replace("kind = \"memory\"\ncount = 3", "kind = \"text\"\npath = \"no/such/folder\"");
    let found = errors(&source);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("p.toml:4: reader (kind = \"text\"): key `path`: "),
        "{}",
        found[0]
    );
}

#[test]
fn an_unreadable_file_is_one_error() {
    let errors =
        pipeline::load(Path::new("/no/such/pipeline.toml"), &support::registry()).err().unwrap();
    assert_eq!(
        errors.to_string(),
        "/no/such/pipeline.toml: cannot read the pipeline file: No such file or directory (os error 2)"
    );
}

#[test]
fn limits_and_misplaced_settings() {
    let source = format!("[pipeline]\nthreads = 5000\nbatch_size = 10000000000\n{GOOD}");
    assert_eq!(
        errors(&source),
        [
            "p.toml:2: [pipeline]: key `threads`: must be between 0 and 1024",
            "p.toml:3: [pipeline]: key `batch_size`: must be between 1 and 1000000",
        ]
    );
    let source = format!("threads = 2\n{GOOD}");
    assert_eq!(
        errors(&source),
        ["p.toml:1: key `threads` belongs in the [pipeline] table: write it under [pipeline]"]
    );
}

#[test]
fn two_exporters_may_not_write_one_file() {
    let source = GOOD.replace(
        "[[exporter]]\nkind = \"collect\"",
        "[[exporter]]\nkind = \"jsonl\"\npath = \"out/a.jsonl\"\n\n\
         [[exporter]]\nkind = \"jsonl\"\nname = \"second\"\npath = \"elsewhere.jsonl\"\n\
         errors_path = \"out/a.jsonl\"",
    );
    assert_eq!(
        errors(&source),
        [
            "p.toml:13: exporter[2] (kind = \"jsonl\"): writes out/a.jsonl, which exporter[1] writes too; give each its own path"
        ]
    );
}
