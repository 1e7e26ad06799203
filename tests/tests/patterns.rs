//! The `patterns` extractor through the runner: a terms file resolved
//! against the pipeline file, attributes and code-point offsets in the
//! JSONL output, and pattern errors at `validate` with file and line.

mod common;

use std::fs;

use common::{jsonl, runner, scratch, slice_chars, stderr, stdout};

const PIPELINE: &str = r#"[reader]
kind = "text"
path = "in"

[[extractor]]
kind = "patterns"
name = "companies"
label = "COMPANY"
terms_file = "lists/companies.tsv"
case_sensitive = false

[[extractor]]
kind = "patterns"
name = "quotes"
label = "QUOTE"
patterns = ['{COMPANY} [lower=/said|says/]']

[[exporter]]
kind = "jsonl"
path = "out.jsonl"
"#;

#[test]
fn terms_file_ids_and_label_references_reach_the_output() {
    let folder = scratch("patterns-run");
    fs::create_dir_all(folder.join("in")).unwrap();
    fs::create_dir_all(folder.join("conf/lists")).unwrap();
    // Before the names, multi-byte characters: offsets are code points.
    let text = "Zürich — Société Générale said on Monday; acme corp. says nothing, Acmeville too.";
    fs::write(folder.join("in/a.txt"), text).unwrap();
    fs::write(
        folder.join("conf/lists/companies.tsv"),
        "id\tterm\nGLE\tSociété Générale\nACME\tAcme Corp.\n",
    )
    .unwrap();
    fs::write(folder.join("conf/p.toml"), PIPELINE.replace("\"in\"", "\"../in\"")).unwrap();

    let output = runner(&folder, &["run", "conf/p.toml", "--no-progress"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let records = jsonl(&folder.join("conf/out.jsonl"));
    assert_eq!(records.len(), 1);
    let found: Vec<(String, u64, u64, String, String, String)> = records[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let (start, end) = (a["start"].as_u64().unwrap(), a["end"].as_u64().unwrap());
            assert_eq!(
                slice_chars(text, start as usize, end as usize),
                a["text"].as_str().unwrap()
            );
            (
                a["label"].as_str().unwrap().to_string(),
                start,
                end,
                a["text"].as_str().unwrap().to_string(),
                a["extractor"].as_str().unwrap().to_string(),
                a["attrs"].to_string(),
            )
        })
        .collect();
    let expected = [
        ("COMPANY", 9, 25, "Société Générale", "companies", r#"{"id":"GLE"}"#),
        ("COMPANY", 42, 52, "acme corp.", "companies", r#"{"id":"ACME"}"#),
        ("QUOTE", 9, 30, "Société Générale said", "quotes", r#"{"pattern":0}"#),
        ("QUOTE", 42, 57, "acme corp. says", "quotes", r#"{"pattern":0}"#),
    ];
    let expected: Vec<(String, u64, u64, String, String, String)> = expected
        .iter()
        .map(|(label, start, end, text, extractor, attrs)| {
            (
                label.to_string(),
                *start,
                *end,
                text.to_string(),
                extractor.to_string(),
                attrs.to_string(),
            )
        })
        .collect();
    assert_eq!(found, expected);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn pattern_and_terms_file_errors_stop_validate_with_their_place() {
    let folder = scratch("patterns-bad");
    fs::create_dir_all(folder.join("in")).unwrap();
    fs::write(folder.join("in/a.txt"), "Hello.").unwrap();
    fs::write(folder.join("bad.tsv"), "id\tterm\nQ1\n").unwrap();
    let pipeline = r#"[reader]
kind = "text"
path = "in"

[[extractor]]
kind = "patterns"
label = "COMPANY"
patterns = [
    '[is_title]+ [text=/Inc\.?/]',
    '[lower="acme"] [is_title',
    '{PER} [lowr="said"]',
]

[[extractor]]
kind = "patterns"
label = "LISTED"
terms_file = "bad.tsv"

[[exporter]]
kind = "jsonl"
path = "out.jsonl"
"#;
    fs::write(folder.join("p.toml"), pipeline).unwrap();
    for command in ["validate", "run"] {
        let output = runner(&folder, &[command, "p.toml"]);
        assert_eq!(output.status.code(), Some(1), "{command}");
        assert_eq!(
            stderr(&output),
            concat!(
                "p.toml:8: extractor[1] (kind = \"patterns\"): key `patterns`: patterns[1] at 15: unclosed `[`; ",
                "patterns[2] at 7: unknown key `lowr`; did you mean `lower`?\n",
                "p.toml:17: extractor[2] (kind = \"patterns\"): key `terms_file`: bad.tsv:2: 1 columns, the first line names 2\n",
                "2 errors in the pipeline file\n",
            ),
            "{command}"
        );
        assert_eq!(stdout(&output), "", "{command}");
    }
    assert!(!folder.join("out.jsonl").exists());
    fs::remove_dir_all(folder).unwrap();
}
