//! pipelines/quotes.toml end to end: every quote of the seeds with its
//! speaker, and code-point offsets in the value on non-ASCII text.

mod common;

use std::fs;
use std::path::Path;

use common::{jsonl, root, runner, scratch, slice_chars};
use serde_json::Value;

/// Runs pipelines/quotes.toml over `input` into `folder`/out.jsonl.
fn run(folder: &Path, input: &Path) -> Vec<Value> {
    let pipeline = fs::read_to_string(root().join("pipelines/quotes.toml"))
        .unwrap()
        .replace("path = \"../seeds\"", &format!("path = \"{}\"", input.display()))
        .replace("path = \"../out/quotes.jsonl\"", "path = \"out.jsonl\"");
    fs::write(folder.join("p.toml"), pipeline).unwrap();
    let output = runner(folder, &["run", "p.toml", "--threads", "1", "--no-progress"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    jsonl(&folder.join("out.jsonl"))
}

/// `(kind, quote text, speaker, speaker mention)` of every QUOTE, checking
/// that both the span and the speaker offsets slice the text by code points.
fn quotes(document: &Value) -> Vec<(String, String, Value, Option<String>)> {
    let text = document["text"].as_str().unwrap();
    let mut found = Vec::new();
    for annotation in document["annotations"].as_array().unwrap() {
        if annotation["label"] != "QUOTE" {
            continue;
        }
        let (start, end) =
            (annotation["start"].as_u64().unwrap(), annotation["end"].as_u64().unwrap());
        assert_eq!(
            slice_chars(text, start as usize, end as usize),
            annotation["text"].as_str().unwrap()
        );
        assert_eq!(annotation["extractor"], "quotes");
        let value = &annotation["value"];
        let mention = match (value["speaker_start"].as_u64(), value["speaker_end"].as_u64()) {
            (Some(start), Some(end)) => Some(slice_chars(text, start as usize, end as usize)),
            _ => {
                assert_eq!(value["speaker"], Value::Null);
                None
            }
        };
        found.push((
            value["kind"].as_str().unwrap().to_string(),
            annotation["text"].as_str().unwrap().to_string(),
            value["speaker"].clone(),
            mention,
        ));
    }
    found
}

fn summary(found: &[(String, String, Value, Option<String>)]) -> Vec<(String, String, String)> {
    found
        .iter()
        .map(|(kind, text, speaker, mention)| {
            let head = text.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
            (
                format!("{kind} {head}"),
                speaker.as_str().unwrap_or("null").to_string(),
                mention.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn row(quote: &str, speaker: &str, mention: &str) -> (String, String, String) {
    (quote.to_string(), speaker.to_string(), mention.to_string())
}

#[test]
fn every_quote_of_the_seeds_with_its_speaker() {
    let folder = scratch("quotes-seeds");
    let documents = run(&folder, &root().join("seeds"));
    assert_eq!(documents.len(), 2);
    let office = "the media office of the prime minister";
    assert_eq!(
        summary(&quotes(&documents[0])),
        [
            row("indirect European countries will", "Marco Minniti", "Marco Minniti"),
            row("direct despite successes achieved", "Fayez Serraj", "Fayez Serraj"),
            row("indirect Minniti praised efforts", office, office),
            row("indirect The number of", office, "the statement"),
            row("direct It was agreed", office, "the statement"),
            row("indirect both the United", "Fayez Serraj", "Serraj"),
            row("indirect his recent talks", "Fayez Serraj", "Serraj"),
            row("partial very productive and", "Fayez Serraj", "Serraj"),
            row("indirect auctions in different", "CNN", "CNN"),
            row("direct Prime Minister Serraj", office, "the media office"),
            row("direct Prime minister asked", office, "it"),
        ]
    );
    let office = "the Prime Minister's information office";
    assert_eq!(
        summary(&quotes(&documents[1])),
        [
            row("indirect the meeting discussed", office, office),
            row("direct The Italian minister", office, "the statement"),
            row("direct The two sides", office, "the statement"),
            row("partial so that the", "Enzo Moavero Milanesi", "Milanesi"),
        ]
    );
    // The value of the split-free direct quote of the first seed, whole.
    let serraj = documents[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|annotation| annotation["label"] == "QUOTE" && annotation["value"]["cue"] == "told")
        .unwrap();
    assert_eq!(
        serraj["value"],
        serde_json::json!({"speaker": "Fayez Serraj", "speaker_start": 545, "speaker_end": 557, "cue": "told", "kind": "direct"})
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn offsets_in_the_value_are_code_points_on_non_ascii_text() {
    let folder = scratch("quotes-unicode");
    let input = folder.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(
        input.join("zurich.txt"),
        "ZÜRICH, März 3 — René Dupré, der Bürgermeister, arrived on Monday.\n\n\
         “We will rebuild the bridge,” Dupré said, “and we’ll do it before winter.”\n\n\
         “It is not enough,” he added. The city’s «experts» disagree.\n",
    )
    .unwrap();
    let documents = run(&folder, &input);
    let found = quotes(&documents[0]);
    assert_eq!(
        summary(&found),
        [
            row("direct We will rebuild", "René Dupré", "Dupré"),
            row("direct It is not", "René Dupré", "he"),
        ]
    );
    let annotation = documents[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|annotation| annotation["label"] == "QUOTE")
        .unwrap();
    let text = documents[0]["text"].as_str().unwrap();
    let parts: Vec<String> = annotation["attrs"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|part| {
            slice_chars(
                text,
                part[0].as_u64().unwrap() as usize,
                part[1].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(parts, ["We will rebuild the bridge", "and we’ll do it before winter"]);
    fs::remove_dir_all(folder).unwrap();
}
