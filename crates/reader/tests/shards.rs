//! Sharded reading (`runner run --shard I/N`, docs/cluster.md): every
//! shard reads a contiguous part of the input, and the shards' items in
//! index order are exactly the items of an unsharded read, whatever N.

mod common;

use common::*;
use document::{Document, Failure, Shard};
use serde_json::json;

/// `id source` for a document, `id source: error` for a failure.
fn items(reader: &dyn document::Reader) -> Vec<String> {
    let items: Vec<Result<Document, Failure>> = read_all(reader);
    items
        .iter()
        .map(|item| match item {
            Ok(document) => format!("{} {}", document.id, short(&document.source)),
            Err(failure) => format!("{} {}: {}", failure.id, short(&failure.source), failure.error),
        })
        .collect()
}

/// The source without the scratch folder: `a.jsonl:3`.
fn short(source: &str) -> String {
    source.rsplit('/').next().unwrap_or(source).to_string()
}

fn sharded(
    scratch: &Scratch,
    kind: &str,
    options: serde_json::Value,
    count: u64,
) -> Vec<Vec<String>> {
    (0..count)
        .map(|index| {
            let context = scratch.context().with_shard(Some(Shard::new(index, count).unwrap()));
            let reader = build_ok(kind, &context, options.clone());
            assert!(reader.shardable());
            items(&*reader)
        })
        .collect()
}

fn check_concatenation(scratch: &Scratch, kind: &str, options: serde_json::Value, max: u64) {
    let whole = items(&*build_ok(kind, &scratch.context(), options.clone()));
    assert!(!whole.is_empty());
    for count in 1..=max {
        let parts = sharded(scratch, kind, options.clone(), count);
        assert_eq!(parts.concat(), whole, "{count} shards");
    }
}

#[test]
fn text_files_are_cut_by_count() {
    let scratch = Scratch::new("shard-text");
    for name in ["a", "b", "c", "d", "e"] {
        scratch.write(&format!("in/{name}.txt"), format!("Article {name}."));
    }
    let options = json!({"path": "in"});
    let parts = sharded(&scratch, "text", options.clone(), 2);
    let ids: Vec<Vec<&str>> = parts
        .iter()
        .map(|part| part.iter().map(|item| item.split(' ').next().unwrap_or("")).collect())
        .collect();
    assert_eq!(ids, [vec!["a", "b"], vec!["c", "d", "e"]]);
    // More shards than files: the extra shards read nothing, without error.
    let parts = sharded(&scratch, "text", options.clone(), 7);
    let sizes: Vec<usize> = parts.iter().map(Vec::len).collect();
    assert_eq!(sizes, [0, 1, 1, 0, 1, 1, 1]);
    check_concatenation(&scratch, "text", options, 8);
}

#[test]
fn jsonl_lines_are_cut_by_byte_ranges_at_line_starts() {
    let scratch = Scratch::new("shard-jsonl");
    let mut lines = String::new();
    for n in 0..9 {
        lines.push_str(&format!(
            "{{\"text\": \"Line number {n} of the file, padded {}.\"}}\n",
            "x".repeat(n * 7)
        ));
        if n == 4 {
            lines.push_str("\n   \n"); // blank lines count in line numbers
        }
    }
    scratch.write("in/a.jsonl", &lines);
    // Ids from the line numbers: a shard that starts mid-file must count
    // the lines before it.
    let options = json!({"path": "in"});
    let whole = items(&*build_ok("jsonl", &scratch.context(), options.clone()));
    assert_eq!(whole[0], "a:1 a.jsonl:1");
    assert_eq!(whole[5], "a:8 a.jsonl:8");
    assert_eq!(whole.len(), 9);
    check_concatenation(&scratch, "jsonl", options, 12);
}

#[test]
fn jsonl_edge_cases_no_trailing_newline_crlf_compressed_and_empty_files() {
    let scratch = Scratch::new("shard-jsonl-edges");
    scratch
        .write("in/1.jsonl", "{\"text\": \"one\"}\r\n{\"text\": \"two\"}\r\n{\"text\": \"three\"}");
    scratch.write("in/2.jsonl", "");
    scratch.write("in/3.jsonl.gz", gzip(b"{\"text\": \"gz one\"}\n{\"text\": \"gz two\"}\n"));
    scratch.write("in/4.jsonl", "not json\n{\"text\": \"four\"}\n\n");
    scratch.write("in/5.jsonl", "{\"id\": \"x\", \"text\": \"last, no newline\"}");
    check_concatenation(&scratch, "jsonl", json!({"path": "in"}), 40);
    // A single file, a single line: one shard has it, the rest are empty.
    let single = Scratch::new("shard-jsonl-single");
    single.write("one.jsonl", "{\"text\": \"alone\"}");
    let parts = sharded(&single, "jsonl", json!({"path": "one.jsonl"}), 4);
    assert_eq!(parts, [vec!["one:1 one.jsonl:1".to_string()], vec![], vec![], vec![]]);
}
