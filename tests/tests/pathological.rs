//! Pathological inputs through every registered extractor: each is either
//! processed or recorded as failed with a reason, the run finishes, the
//! other documents are written, and every annotation slices its text.
//!
//! The extractors come from `runner list`, so an extractor added later is
//! covered without touching this file (unless it needs options; see
//! [`options_for`]). Time is bounded by `max_document_ms` (a document that
//! runs past it fails the test below) and memory is checked against the
//! peak RSS that the runner reports.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use common::{jsonl, runner, scratch, stderr, stdout};

/// Extractor kinds from `runner list`, dependencies first.
fn extractor_kinds(folder: &Path) -> Vec<String> {
    let listing = stdout(&runner(folder, &["list"]));
    let section = listing.split("\nextractors\n").nth(1).unwrap_or_default();
    let section = section.split("\n\n").next().unwrap_or_default();
    let mut kinds: Vec<String> = section
        .lines()
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect();
    // Later extractors read the annotations of earlier ones.
    let order = ["dateline", "ner", "measures", "temporal", "entities", "quotes", "patterns"];
    kinds.sort_by_key(|kind| order.iter().position(|known| known == kind).unwrap_or(order.len()));
    assert!(kinds.len() >= 4, "cannot read the extractors from `runner list`:\n{listing}");
    kinds
}

/// Options an extractor kind cannot run without. A new kind with required
/// options makes the pipeline invalid, and this test says so.
fn options_for(kind: &str) -> &'static str {
    match kind {
        "patterns" => {
            "label = \"WATCH\"\nterms = [\"Acme\", \"United Nations\"]\n\
             patterns = [\"[is_title]+ [lower=\\\"said\\\"]\"]\n"
        }
        _ => "",
    }
}

fn pipeline(folder: &Path, kinds: &[String]) {
    let mut text = String::from(
        "[pipeline]\nthreads = 2\nbatch_size = 2\nmax_document_ms = 600000\n\n\
         [reader]\nkind = \"text\"\npath = \"inputs\"\nmax_document_bytes = 16777216\n\n",
    );
    for kind in kinds {
        let _ = write!(text, "[[extractor]]\nkind = \"{kind}\"\n{}\n", options_for(kind));
    }
    text.push_str("[[exporter]]\nkind = \"jsonl\"\npath = \"out/out.jsonl\"\n");
    fs::write(folder.join("pipeline.toml"), text).unwrap();
}

/// 10 MB of news-like prose without a line break.
fn long_line() -> String {
    let sentence = "On May 1, 2017, Mr. Smith of Acme Corp. said \"we paid 35 million euros (5%) \
                    for 2,000 tonnes\" in Tripoli last week; ";
    sentence.repeat(10_000_000 / sentence.len() + 1)
}

/// Every Unicode scalar value but NUL (which marks a binary file), so every
/// general category, in lines of 64.
fn every_character() -> String {
    let mut text = String::new();
    for (index, character) in (1..=0x10FFFF_u32).filter_map(char::from_u32).enumerate() {
        text.push(character);
        if index % 64 == 63 {
            text.push('\n');
        }
    }
    text
}

fn inputs(folder: &Path) {
    let inputs = folder.join("inputs");
    fs::create_dir_all(&inputs).unwrap();
    let write = |name: &str, text: &str| fs::write(inputs.join(name), text).unwrap();
    write(
        "00-ordinary.txt",
        "TRIPOLI, Dec. 9 (Xinhua) -- Libya said on Saturday it got 35 million euros.\n",
    );
    write("01-long-line.txt", &long_line());
    write("02-one-word.txt", &"a".repeat(10_000_000));
    write("03-quotes.txt", &"\"".repeat(100_000));
    write("04-mixed-quotes.txt", &"'\u{201c}\u{201d}\u{2018}\u{2019}\"«»".repeat(20_000));
    write("05-brackets.txt", &format!("{}x{}", "([{<".repeat(50_000), ">}])".repeat(50_000)));
    write("06-every-character.txt", &every_character());
    write(
        "07-right-to-left.txt",
        &"\u{202e}قال الرئيس يوم السبت إن 35 مليون يورو \u{202c} \u{05e9}\u{05dc}\u{05d5}\u{05dd} \
          2017-12-09 \u{200f}Tripoli\u{200e}.\n"
            .repeat(2_000),
    );
    write("08-digits.txt", &"9".repeat(1_000_000));
    write("09-dots-and-spaces.txt", &". ".repeat(500_000));
    write("10-combining.txt", &format!("e{}", "\u{0301}".repeat(200_000)));
    write("11-newlines.txt", &"\n".repeat(1_000_000));
    fs::write(inputs.join("12-nul-bytes.txt"), b"Tripoli said\x00\x00\x00 on Saturday\x00")
        .unwrap();
    fs::write(inputs.join("13-empty.txt"), b"").unwrap();
    fs::write(inputs.join("14-invalid-utf8.txt"), b"Libya \xff\xfe\xfd said \xc3\x28 on May 1")
        .unwrap();
    // A sparse 1 GB file: no disk used, and the reader must not read it.
    let sparse = fs::File::create(inputs.join("15-sparse-1gb.txt")).unwrap();
    sparse.set_len(1 << 30).unwrap();
    write("16-ordinary.txt", "Minniti said on Saturday that talks will go on next week.\n");
}

#[test]
fn pathological_inputs_are_processed_or_recorded_and_the_run_goes_on() {
    let folder = scratch("pathological");
    let kinds = extractor_kinds(&folder);
    pipeline(&folder, &kinds);
    inputs(&folder);
    let output = runner(&folder, &["run", "pipeline.toml", "--no-progress", "-q"]);
    let summary = stdout(&output);
    assert_eq!(output.status.code(), Some(2), "{summary}{}", stderr(&output));

    let errors = jsonl(&folder.join("out/out.errors.jsonl"));
    let failed: Vec<(String, String)> = errors
        .iter()
        .filter(|record| record["severity"] == "error")
        .map(|record| {
            let id = record["id"].as_str().unwrap_or_default().to_string();
            (id, record["error"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    // Exactly the inputs that hold no text fail, each with its reason.
    assert_eq!(
        failed,
        [
            ("11-newlines".to_string(), "whitespace-only document".to_string()),
            ("12-nul-bytes".to_string(), "binary content: NUL byte at offset 12".to_string()),
            ("13-empty".to_string(), "empty document".to_string()),
            (
                "15-sparse-1gb".to_string(),
                "document is 1073741824 bytes, above max_document_bytes = 16777216".to_string()
            ),
        ]
    );

    let documents = jsonl(&folder.join("out/out.jsonl"));
    let ids: Vec<&str> =
        documents.iter().map(|document| document["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "00-ordinary",
            "01-long-line",
            "02-one-word",
            "03-quotes",
            "04-mixed-quotes",
            "05-brackets",
            "06-every-character",
            "07-right-to-left",
            "08-digits",
            "09-dots-and-spaces",
            "10-combining",
            "14-invalid-utf8",
            "16-ordinary",
        ]
    );
    for document in &documents {
        // Code points once per document: slicing a 10 MB text afresh for
        // each of its annotations would make this check quadratic.
        let text: Vec<char> = document["text"].as_str().unwrap().chars().collect();
        for annotation in document["annotations"].as_array().unwrap() {
            let start = annotation["start"].as_u64().unwrap() as usize;
            let end = annotation["end"].as_u64().unwrap() as usize;
            assert!(start < end && end <= text.len(), "{annotation}");
            let sliced: String = text[start..end].iter().collect();
            assert_eq!(sliced, annotation["text"].as_str().unwrap());
        }
    }
    // The long line is real text: its facts are found all along it.
    let long = &documents[1]["annotations"];
    let labels = |label: &str| {
        long.as_array().unwrap().iter().filter(|annotation| annotation["label"] == label).count()
    };
    assert!(labels("MONEY") > 50_000 && labels("DATE") > 50_000, "{summary}");

    let peak = summary
        .lines()
        .find_map(|line| line.strip_prefix("memory       peak RSS "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|megabytes| megabytes.parse::<u64>().ok());
    // Two 10 MB documents in flight with some 700,000 annotations (about
    // 1 KB each, docs/reliability.md) and their JSON: about 900 MiB here.
    // Reading the 1 GB file, or anything quadratic in memory, would not fit.
    assert!(peak.is_some_and(|megabytes| megabytes < 1536), "peak RSS {peak:?} MiB\n{summary}");
    let _ = fs::remove_dir_all(&folder);
}
