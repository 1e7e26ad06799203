//! `runner bench`: the table and the JSON, end to end on the seeds, and
//! the user's outputs left alone.

mod common;

use std::fs;

use common::{root, runner, scratch, stdout};

/// A pipeline over the seeds whose output, if the benchmark ever wrote it,
/// would land in the test's folder.
fn pipeline(folder: &std::path::Path) -> std::path::PathBuf {
    let file = folder.join("p.toml");
    let source = format!(
        "[pipeline]\nbatch_size = 1\n\n[reader]\nkind = \"text\"\npath = \"{}\"\n\n\
         [[extractor]]\nkind = \"dateline\"\n\n[[extractor]]\nkind = \"measures\"\n\n\
         [[exporter]]\nkind = \"jsonl\"\npath = \"out.jsonl\"\n",
        root().join("seeds").display()
    );
    fs::write(&file, source).unwrap();
    file
}

#[test]
fn the_json_report_has_every_figure_for_every_thread_count() {
    let folder = scratch("bench-json");
    pipeline(&folder);
    let output =
        runner(&folder, &["bench", "p.toml", "--threads", "1,2", "--repeat", "3", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    // The benchmark writes into a scratch folder, never over the pipeline's outputs.
    assert!(!folder.join("out.jsonl").exists());
    assert!(!folder.join("out.errors.jsonl").exists());
    let report: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(report["pipeline"], "p.toml");
    assert_eq!(report["repeat"], 3);
    assert_eq!(report["stage_clock"], true);
    assert!(report["machine"]["cores"].as_u64().is_some_and(|cores| cores >= 1));
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.iter().map(|run| run["threads"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2]);
    for run in runs {
        // The two seeds, three times: 368 + 318 words each time (`wc -w seeds/*`).
        assert_eq!(run["documents"], 6);
        assert_eq!(run["words"], 3 * 686);
        assert_eq!(run["failed"], 0);
        assert_eq!(run["reader_failures"], 0);
        for key in ["wall_s", "startup_s", "words_per_s", "mb_per_s", "documents_per_s"] {
            assert!(run[key].as_f64().is_some_and(|value| value > 0.0), "{key}: {}", run[key]);
        }
        let wall = run["wall_s"].as_f64().unwrap();
        let words_per_s = run["words_per_s"].as_f64().unwrap();
        assert!((words_per_s * wall - 3.0 * 686.0).abs() < 1.0);
        if cfg!(target_os = "linux") {
            assert!(run["peak_rss_mib"].as_f64().is_some_and(|mib| mib > 1.0));
            assert!(run["cpu_s"].as_f64().is_some_and(|cpu| cpu >= 0.0));
        }
        let stages = run["stages"].as_array().unwrap();
        let names: Vec<&str> =
            stages.iter().map(|stage| stage["stage"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "reader:text",
                "tokenizer:news",
                "extractor:dateline",
                "extractor:measures",
                "exporter:jsonl",
                "other"
            ]
        );
        // Every document went through the tokenizer and each extractor once.
        for stage in &stages[1..4] {
            assert_eq!(stage["calls"], 6, "{stage}");
        }
        let total: f64 = stages.iter().map(|stage| stage["share"].as_f64().unwrap()).sum();
        assert!(total <= 1.0 + 1e-9 && total > 0.0, "shares add up to {total}");
        for stage in stages {
            let share = stage["share"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&share), "{stage}");
        }
    }
}

#[test]
fn the_table_names_every_column_and_stage() {
    let folder = scratch("bench-table");
    pipeline(&folder);
    let output = runner(
        &folder,
        &[
            "bench",
            "p.toml",
            "--threads",
            "2",
            "--input",
            &root().join("seeds").display().to_string(),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    assert!(!folder.join("out.jsonl").exists());
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("runner bench p.toml on "), "{text}");
    assert_eq!(
        lines[1],
        "corpus: 2 documents (0 unreadable), 686 words (whitespace-separated, as wc -w), 0.00 MB of text"
    );
    assert!(lines[2].starts_with("machine: "), "{text}");
    let header = "| threads | wall s | words/s | MB/s | documents/s | start-up s | peak RSS MiB | CPU s | failed |";
    let at = lines.iter().position(|line| *line == header).unwrap();
    let row: Vec<&str> = lines[at + 2].split('|').map(str::trim).collect();
    assert_eq!(row[1], "2");
    for cell in &row[2..7] {
        assert!(cell.parse::<f64>().is_ok_and(|value| value >= 0.0), "{cell} in {text}");
    }
    assert_eq!(row[9], "0");
    for stage in [
        "| reader:text |",
        "| tokenizer:news |",
        "| extractor:dateline |",
        "| extractor:measures |",
        "| exporter:jsonl |",
        "| other |",
    ] {
        assert!(lines.iter().any(|line| line.starts_with(stage)), "{stage} missing from\n{text}");
    }
    assert!(text.contains("| stage | 2 thread(s) |"), "{text}");
}

#[test]
fn bench_errors_are_named() {
    let folder = scratch("bench-errors");
    pipeline(&folder);
    let output = runner(&folder, &["bench", "missing.toml", "--threads", "1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(common::stderr(&output).contains("runner bench: the run with 1 thread(s) failed"));
    assert!(common::stderr(&output).contains("cannot read missing.toml"));
    let output = runner(&folder, &["bench", "p.toml", "--repeat", "0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(common::stderr(&output).starts_with("runner bench: --repeat must be at least 1"));
}
