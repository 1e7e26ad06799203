//! The executor: fault isolation, ordering and determinism.

mod support;

use std::path::Path;

use pipeline::config::load_str;

fn try_run(source: &str, threads: usize) -> (anyhow::Result<pipeline::Summary>, Vec<String>) {
    let registry = support::registry();
    let pipeline = load_str(source, Path::new("test.toml"), &registry).unwrap();
    // The collect exporter appends to one shared list when it finishes;
    // tests here run one pipeline at a time through this lock.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    support::collected().lock().unwrap().clear();
    let options = pipeline::RunOptions { threads: Some(threads), ..Default::default() };
    let summary = pipeline.run(&options, &mut |_| {});
    let lines = std::mem::take(&mut *support::collected().lock().unwrap());
    (summary, lines)
}

fn run(source: &str, threads: usize) -> (pipeline::Summary, Vec<String>) {
    let (summary, lines) = try_run(source, threads);
    (summary.unwrap(), lines)
}

/// The lines of documents, without the warnings.
fn documents(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|line| !line.starts_with("warn:")).collect()
}

const FRAGILE: &str = r#"
[pipeline]
batch_size = 4

[reader]
kind = "memory"
count = 30

[[extractor]]
kind = "fragile"
name = "careful"

[[exporter]]
kind = "collect"
"#;

#[test]
fn a_panic_or_an_error_fails_one_document_and_the_run_goes_on() {
    let (summary, lines) = run(FRAGILE, 2);
    assert_eq!(summary.read, 30);
    // Reader failures: 6, 13, 20, 27. Panics: index % 5 == 3. Errors: % 5 == 4.
    let failed_by_reader = [6, 13, 20, 27];
    let panics: Vec<usize> =
        (0..30).filter(|i| i % 5 == 3 && !failed_by_reader.contains(i)).collect();
    let errors: Vec<usize> =
        (0..30).filter(|i| i % 5 == 4 && !failed_by_reader.contains(i)).collect();
    assert_eq!(summary.failed as usize, failed_by_reader.len() + panics.len() + errors.len());
    assert_eq!(summary.written + summary.failed, 30);
    let documents = documents(&lines);
    assert_eq!(documents.len(), 30, "one line per input, in input order");
    assert_eq!(
        documents[3],
        "fail:doc-0003:extractor:careful:panicked: fragile extractor met doc-0003"
    );
    assert_eq!(documents[4], "fail:doc-0004:extractor:careful:cannot handle doc-0004");
    assert_eq!(documents[6], "fail:doc-0006:reader:unreadable on purpose");
    assert_eq!(documents[0], "write:doc-0000:LOC/careful");
    // The warning of a document that failed later is kept, just before it.
    assert_eq!(lines[3], "warn:doc-0003:reader:odd bytes");
    assert_eq!(
        lines[4],
        "fail:doc-0003:extractor:careful:panicked: fragile extractor met doc-0003"
    );
    assert_eq!(summary.warnings, 5, "indices 3, 8, 18, 23, 28 (13 failed in the reader)");
    assert_eq!(summary.annotations.get("LOC").copied(), Some(summary.written));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let (one, lines_one) = run(FRAGILE, 1);
    let (eight, lines_eight) = run(FRAGILE, 8);
    assert_eq!(lines_one, lines_eight);
    assert_eq!((one.written, one.failed), (eight.written, eight.failed));
    assert_eq!(eight.threads, 8);
}

/// An exporter with an encoder has its documents encoded on the workers;
/// what it records is the same as when it writes them itself.
#[test]
fn encoding_on_the_workers_changes_nothing_written() {
    let (reference, lines) = run(FRAGILE, 1);
    let encoded = FRAGILE.replace("kind = \"collect\"", "kind = \"collect\"\nencode = true");
    for threads in [1, 2, 4] {
        let (summary, encoded_lines) = run(&encoded, threads);
        assert_eq!(encoded_lines, lines, "{threads} threads");
        assert_eq!(
            (summary.written, summary.failed, summary.warnings, &summary.annotations),
            (reference.written, reference.failed, reference.warnings, &reference.annotations)
        );
    }
}

#[test]
fn a_panicking_encoder_fails_that_document_only() {
    let source = FRAGILE.replace(
        "kind = \"collect\"",
        "kind = \"collect\"\nencode = true\npanic_on = \"doc-0005\"",
    );
    let (summary, lines) = run(&source, 2);
    let documents = documents(&lines);
    assert_eq!(
        documents[5],
        "fail:doc-0005:exporter:collect:panicked: collect cannot write doc-0005"
    );
    assert_eq!(documents.len(), 30);
    assert_eq!(summary.failed, 16, "the 15 of the other tests, and doc-0005");
}

#[test]
fn an_encoder_error_stops_the_run_like_a_write_error() {
    let source = FRAGILE
        .replace("kind = \"collect\"", "kind = \"collect\"\nencode = true\nfail_on = \"doc-0005\"");
    let (summary, lines) = try_run(&source, 2);
    let error = summary.err().map(|error| format!("{error:#}"));
    assert_eq!(error.as_deref(), Some("exporter \"collect\" failed: disk full at doc-0005"));
    assert!(lines.is_empty(), "no exporter was finished");
}

#[test]
fn an_encoder_past_max_document_ms_is_named_in_the_failure() {
    let source = FRAGILE
        .replace("batch_size = 4", "batch_size = 4\nmax_document_ms = 300")
        .replace("kind = \"collect\"", "kind = \"collect\"\nencode = true\nhang_on = \"doc-0005\"");
    let (summary, lines) = run(&source, 2);
    let documents = documents(&lines);
    assert_eq!(
        documents[5],
        "fail:doc-0005:exporter:collect:still running after max_document_ms = 300 ms; abandoned"
    );
    assert_eq!(documents.len(), 30);
    assert_eq!(summary.failed, 16, "the 15 of the other tests, and doc-0005");
}

#[test]
fn abort_stops_at_the_first_failure() {
    let source = FRAGILE.replace("batch_size = 4", "batch_size = 4\non_error = \"abort\"");
    let (summary, lines) = run(&source, 2);
    assert_eq!(
        summary.aborted.as_deref(),
        Some(
            "on_error = \"abort\": document \"doc-0003\" failed in extractor:careful: panicked: fragile extractor met doc-0003"
        )
    );
    assert!(lines.is_empty(), "an aborted run finishes no exporter");
    assert_eq!(summary.outputs.len(), 0);
    assert_eq!(
        (summary.read, summary.written, summary.failed),
        (4, 3, 1),
        "counts stop at the abort"
    );
}

#[test]
fn max_errors_aborts_once_exceeded() {
    let source = FRAGILE.replace("batch_size = 4", "batch_size = 4\nmax_errors = 2");
    let (summary, _) = run(&source, 2);
    assert_eq!(summary.failed, 3);
    assert_eq!(summary.aborted.as_deref(), Some("more than max_errors = 2 documents failed"));
}

#[test]
fn an_invalid_span_fails_the_document_not_the_exporter() {
    let source = FRAGILE.replace("kind = \"fragile\"\nname = \"careful\"", "kind = \"sloppy\"");
    let (summary, lines) = run(&source, 2);
    assert_eq!(summary.written, 0);
    assert_eq!(
        lines[0],
        "fail:doc-0000:extractor:sloppy:produced an invalid annotation: span offset 30 is not on a character boundary"
    );
}

#[test]
fn a_reader_panic_fails_the_run_and_commits_nothing() {
    let source = FRAGILE.replace("count = 30", "count = 30\npanic_at = 9");
    let (summary, lines) = try_run(&source, 2);
    assert_eq!(
        summary.err().map(|error| error.to_string()).as_deref(),
        Some("the reader panicked: reader broke at 9")
    );
    assert!(lines.is_empty(), "no exporter was finished");
}

#[test]
fn a_panicking_exporter_fails_that_document_only() {
    let source =
        FRAGILE.replace("kind = \"collect\"", "kind = \"collect\"\npanic_on = \"doc-0005\"");
    let (summary, lines) = run(&source, 2);
    let documents = documents(&lines);
    assert_eq!(
        documents[5],
        "fail:doc-0005:exporter:collect:panicked: collect cannot write doc-0005"
    );
    assert_eq!(documents.len(), 30);
    assert_eq!(summary.failed, 16, "the 15 of the other tests, and doc-0005");
}

const STUCK: &str = r#"
[pipeline]
batch_size = 4
max_document_ms = 1000

[reader]
kind = "memory"
count = 30

[[extractor]]
kind = "fragile"
name = "careful"

[[extractor]]
kind = "stuck"

[[exporter]]
kind = "collect"
"#;

#[test]
fn a_document_past_max_document_ms_fails_and_the_run_goes_on() {
    let (one, lines_one) = run(STUCK, 1);
    let (two, lines_two) = run(STUCK, 2);
    assert_eq!((two.written, two.failed), (one.written, one.failed));
    assert_eq!(lines_one, lines_two, "the same output whatever the thread count");
    assert_eq!(one.read, 30);
    let documents = documents(&lines_one);
    assert_eq!(documents.len(), 30, "one line per input, in input order");
    // doc-0002, 12 and 22 hang in the second extractor (doc-0013's reader
    // failure and doc-0003's panic come first for the others ending in 2/3).
    for id in ["doc-0002", "doc-0012", "doc-0022"] {
        let expected = format!(
            "fail:{id}:extractor:stuck:still running after max_document_ms = 1000 ms; abandoned"
        );
        assert!(documents.contains(&&expected), "{expected} not in {documents:#?}");
    }
    assert_eq!(documents[1], "write:doc-0001:LOC/careful");
    assert_eq!(one.written + one.failed, 30);
}

#[test]
fn a_run_where_most_documents_hang_stops() {
    let source = STUCK
        .replace("count = 30", "count = 1000")
        .replace("max_document_ms = 1000", "max_document_ms = 10")
        .replace("[[extractor]]\nkind = \"fragile\"\nname = \"careful\"\n", "");
    let (summary, lines) = try_run(&source, 2);
    let error = summary.err().map(|error| format!("{error:#}"));
    assert_eq!(
        error.as_deref(),
        Some("stopped: more than 64 documents ran past max_document_ms = 10 and were abandoned")
    );
    assert!(lines.is_empty(), "nothing is committed");
}
