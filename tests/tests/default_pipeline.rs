//! `cargo run -p runner` with no arguments: pipelines/default.toml over
//! seeds/, checked against a golden file read line by line.

mod common;

use std::fs;

use common::{jsonl, root, runner, scratch, slice_chars, stdout};

#[test]
fn the_default_pipeline_writes_the_golden_output() {
    let output = runner(&root(), &["--no-progress"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let written = fs::read_to_string(root().join("out/default.jsonl")).unwrap();
    let golden = fs::read_to_string(root().join("tests/golden/default.jsonl")).unwrap();
    assert!(written == golden, "out/default.jsonl differs from tests/golden/default.jsonl");
    assert_eq!(fs::read_to_string(root().join("out/default.errors.jsonl")).unwrap(), "");

    let summary = stdout(&output);
    for line in [
        "pipeline     default (",
        "documents    read 2, written 2, failed 0, warnings 0\n",
        "words        683 (4.6 kB of text)\n",
        "annotations  DATE 14, DATELINE 2, LOC 2, MONEY 3, QUANTITY 2\n",
        "outputs      out/default.jsonl\n             out/default.errors.jsonl\n",
    ] {
        assert!(summary.contains(line), "missing {line:?} in\n{summary}");
    }
}

#[test]
fn the_two_datelines_resolve_against_their_document_dates() {
    let folder = scratch("datelines");
    let documents = run_with_tokens(&folder);
    let first = &documents[0];
    assert_eq!(first["id"], "000_168fd1ce8330dd5c");
    assert_eq!(first["date"], "2017-12-10");
    assert_eq!(first["header"], serde_json::json!({"start": 0, "end": 68}));
    assert_eq!(
        first["metadata"],
        serde_json::json!({"agency": "Xinhua", "editor": "Jiaxin", "published": "2017-12-10T05:57:50"})
    );
    let dateline = &first["annotations"][0];
    assert_eq!(dateline["label"], "DATELINE");
    assert_eq!((dateline["start"].as_u64(), dateline["end"].as_u64()), (Some(89), Some(116)));
    assert_eq!(dateline["text"], "TRIPOLI, Dec. 9 (Xinhua) --");
    assert_eq!(
        dateline["value"],
        serde_json::json!({"place": "TRIPOLI", "region": null, "date": "2017-12-09", "agency": "Xinhua"})
    );
    assert_eq!(first["annotations"][1]["label"], "LOC");
    assert_eq!(first["annotations"][1]["text"], "TRIPOLI");

    let second = &documents[1];
    assert_eq!(second["date"], serde_json::Value::Null);
    assert_eq!(second["annotations"][0]["text"], "TRIPOLI, July 7 (Xinhua) --");
    assert_eq!(second["annotations"][0]["value"]["date"], "XXXX-07-07");

    for document in &documents {
        let text = document["text"].as_str().unwrap();
        for annotation in document["annotations"].as_array().unwrap() {
            let (start, end) =
                (annotation["start"].as_u64().unwrap(), annotation["end"].as_u64().unwrap());
            assert_eq!(
                slice_chars(text, start as usize, end as usize),
                annotation["text"].as_str().unwrap()
            );
        }
    }
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn tokens_and_sentences_of_the_seeds() {
    let folder = scratch("tokens");
    let documents = run_with_tokens(&folder);
    let spans = |document: &serde_json::Value, key: &str| -> Vec<String> {
        let text = document["text"].as_str().unwrap();
        document[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|span| {
                slice_chars(
                    text,
                    span[0].as_u64().unwrap() as usize,
                    span[1].as_u64().unwrap() as usize,
                )
            })
            .collect()
    };
    let (tokens, sentences) = (spans(&documents[0], "tokens"), spans(&documents[0], "sentences"));
    assert_eq!((tokens.len(), sentences.len()), (411, 14));
    assert_eq!(
        tokens[..12],
        [
            "Video", "Player", "Close", "TRIPOLI", ",", "Dec.", "9", "(", "Xinhua", ")", "--",
            "Italian"
        ]
    );
    assert!(tokens.iter().all(|token| !token.contains("2017")), "the header is not tokenized");
    assert_eq!(sentences[0], "Video Player Close");
    // No split after `Dec.` or `U.S.`.
    assert_eq!(
        sentences[1],
        "TRIPOLI, Dec. 9 (Xinhua) -- Italian Minister of Interior Marco Minniti said on Saturday that \
         European countries will next week provide Libya with 35 million euros (41.18 million U.S. \
         dollars) to support southern security."
    );
    assert_eq!(
        sentences[9],
        "Serraj also confirmed that his recent talks with Washington and Berlin were \"very productive and positive.\""
    );

    let (tokens, sentences) = (spans(&documents[1], "tokens"), spans(&documents[1], "sentences"));
    assert_eq!((tokens.len(), sentences.len()), (360, 11));
    assert_eq!(tokens[8..12], ["Libya", "'s", "UN-backed", "Prime"]);
    // A quote of two sentences splits inside the quote; `Gen.` does not split.
    assert_eq!(
        sentences[2],
        "\"The Italian minister announced his country's rejection of handing over oil ports to \
         unrecognized parallel entities and this should be rectified."
    );
    assert!(
        sentences[4]
            .starts_with("The Libyan eastern-based army, led by Gen. Khalifa Haftar, recently")
    );
    fs::remove_dir_all(folder).unwrap();
}

fn run_with_tokens(folder: &std::path::Path) -> Vec<serde_json::Value> {
    let pipeline = fs::read_to_string(root().join("pipelines/default.toml"))
        .unwrap()
        .replace("path = \"../seeds\"", &format!("path = \"{}\"", root().join("seeds").display()))
        .replace("path = \"../out/default.jsonl\"", "path = \"out.jsonl\"\ntokens = true");
    fs::write(folder.join("p.toml"), pipeline).unwrap();
    let output = runner(folder, &["p.toml", "--threads", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    jsonl(&folder.join("out.jsonl"))
}
