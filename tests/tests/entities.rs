//! The `entities` extractor end to end: the seeds through dateline, ner
//! and entities (pipelines/entities.toml's extractors), checked for the
//! places, roles and canonical names of issue 6.

mod common;

use std::fs;

use common::{jsonl, root, runner, scratch};
use serde_json::{Value, json};

/// Runs the seeds through dateline, ner and entities; returns the JSONL
/// documents and the scratch folder.
fn run(name: &str) -> (Vec<Value>, std::path::PathBuf) {
    let folder = scratch(name);
    let pipeline = format!(
        r#"
[pipeline]
threads = 2
[reader]
kind = "text"
path = "{}"
[tokenizer]
kind = "news"
[[extractor]]
kind = "dateline"
[[extractor]]
kind = "ner"
[[extractor]]
kind = "entities"
[[exporter]]
kind = "jsonl"
path = "out/entities.jsonl"
[[exporter]]
kind = "geojson"
path = "out/entities.geojson"
"#,
        root().join("seeds").display()
    );
    fs::write(folder.join("entities.toml"), pipeline).unwrap();
    let output = runner(&folder, &["run", "entities.toml", "--no-progress"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    (jsonl(&folder.join("out/entities.jsonl")), folder)
}

/// The annotations of `document` with this label and text.
fn annotations<'a>(document: &'a Value, label: &str, text: &str) -> Vec<&'a Value> {
    document["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["label"] == label && a["text"] == text)
        .collect()
}

fn entity<'a>(document: &'a Value, id: &Value) -> &'a Value {
    document["entities"].as_array().unwrap().iter().find(|e| &e["id"] == id).unwrap()
}

fn roles(document: &Value) -> Vec<Value> {
    document["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["label"] == "ROLE")
        .map(|a| json!({"text": a["text"], "value": a["value"]}))
        .collect()
}

#[test]
fn places_resolve_to_geonames_records_in_context() {
    let (documents, folder) = run("entities-places");
    let first = &documents[0];
    for (text, geonameid, country, feature) in [
        ("TRIPOLI", 2210247, "LY", "city"),
        ("Tripoli", 2210247, "LY", "city"),
        ("Berlin", 2950159, "DE", "city"),
        ("Washington", 4140963, "US", "city"),
        ("Libya", 2215636, "LY", "country"),
        ("United States", 6252001, "US", "country"),
        ("U.S.", 6252001, "US", "country"),
        ("Germany", 2921044, "DE", "country"),
    ] {
        let found = annotations(first, "LOC", text);
        assert!(!found.is_empty(), "no LOC {text}");
        for annotation in found {
            let attrs = &annotation["attrs"];
            assert_eq!(attrs["geonameid"], geonameid, "{text}");
            assert_eq!(attrs["country"], country, "{text}");
            assert_eq!(attrs["feature"], feature, "{text}");
        }
    }
    let africa = &annotations(first, "LOC", "Africa")[0]["attrs"];
    assert_eq!((&africa["geonameid"], &africa["feature"]), (&json!(6255146), &json!("continent")));
    // The dateline itself carries its place's record; both seeds open in
    // the Libyan capital.
    for document in &documents {
        let dateline = &document["annotations"][0];
        assert_eq!(dateline["label"], "DATELINE");
        assert_eq!(dateline["attrs"]["geonameid"], 2210247);
        assert_eq!(dateline["attrs"]["lat"], 32.88743);
    }
    // `U.S.` and `United States` are one entity, named as GeoNames names it.
    let us = &annotations(first, "LOC", "U.S.")[0]["attrs"]["entity"];
    assert_eq!(&annotations(first, "LOC", "United States")[0]["attrs"]["entity"], us);
    assert_eq!(entity(first, us)["canonical"], "United States");
    assert_eq!(entity(first, us)["mentions"], 2);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn roles_of_the_seed_articles() {
    let (documents, folder) = run("entities-roles");
    assert_eq!(
        roles(&documents[0]),
        [
            json!({"text": "Italian Minister of Interior Marco Minniti",
                   "value": {"person": "Marco Minniti", "title": "Minister of Interior", "country": "IT"}}),
            json!({"text": "Libyan UN-backed prime minister, Fayez Serraj",
                   "value": {"person": "Fayez Serraj", "title": "Prime Minister", "country": "LY"}}),
            json!({"text": "Prime Minister Serraj",
                   "value": {"person": "Fayez Serraj", "title": "Prime Minister"}}),
            json!({"text": "Prime Minister Serraj",
                   "value": {"person": "Fayez Serraj", "title": "Prime Minister"}}),
        ]
    );
    let second = roles(&documents[1]);
    for expected in [
        json!({"text": "Libya's UN-backed Prime Minister Fayez Serraj",
               "value": {"person": "Fayez Serraj", "title": "Prime Minister", "country": "LY"}}),
        json!({"text": "Italian Foreign Minister Enzo Moavero Milanesi",
               "value": {"person": "Enzo Moavero Milanesi", "title": "Foreign Minister", "country": "IT"}}),
        json!({"text": "Gen. Khalifa Haftar",
               "value": {"person": "Khalifa Haftar", "title": "General"}}),
    ] {
        assert!(second.contains(&expected), "missing {expected} in {second:#?}");
    }
    // The person's entity lists the roles.
    let serraj = &annotations(&documents[1], "PER", "Fayez Serraj")[0]["attrs"]["entity"];
    assert_eq!(
        entity(&documents[1], serraj)["attrs"]["roles"],
        json!([{"title": "Prime Minister", "country": "LY"}])
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn short_names_take_the_fullest_name_and_one_entity() {
    let (documents, folder) = run("entities-canonical");
    for (document, short, full) in [
        (&documents[0], "Serraj", "Fayez Serraj"),
        (&documents[0], "Minniti", "Marco Minniti"),
        (&documents[1], "Serraj", "Fayez Serraj"),
        (&documents[1], "Milanesi", "Enzo Moavero Milanesi"),
    ] {
        let long = &annotations(document, "PER", full)[0]["attrs"];
        assert_eq!(long["canonical"], full);
        let shorts = annotations(document, "PER", short);
        assert!(!shorts.is_empty(), "no PER {short}");
        for annotation in shorts {
            assert_eq!(annotation["attrs"]["canonical"], full, "{short}");
            assert_eq!(annotation["attrs"]["entity"], long["entity"], "{short}");
        }
    }
    // `Prime Minister Serraj` (twice) and every `Serraj` count as mentions
    // of one person: 1 full name and 5 short ones in the first seed.
    let serraj = &annotations(&documents[0], "PER", "Fayez Serraj")[0]["attrs"]["entity"];
    assert_eq!(entity(&documents[0], serraj)["mentions"], 6);
    assert_eq!(entity(&documents[0], serraj)["label"], "PER");
    // Entity ids follow the order of first mention: the dateline place first.
    let ids: Vec<&str> = documents[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[..3], ["E1", "E2", "E3"]);
    assert_eq!(documents[0]["entities"][0]["canonical"], "Tripoli");
    // Nationality words.
    let italian = &annotations(&documents[0], "MISC", "Italian")[0]["attrs"];
    assert_eq!(italian["country"], "IT");
    let african = &annotations(&documents[0], "MISC", "African")[0]["attrs"];
    assert_eq!(african["region"], "Africa");
    // `Attorneys General` (a PER of the model) is no entity.
    for annotation in annotations(&documents[0], "PER", "Attorneys General") {
        assert!(annotation["attrs"].get("entity").is_none());
    }
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn the_geojson_output_maps_each_resolved_place_of_each_document() {
    let (documents, folder) = run("entities-geojson");
    let text = fs::read_to_string(folder.join("out/entities.geojson")).unwrap();
    let collection: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().unwrap();
    // As many Features as resolved LOC entities, document by document.
    let resolved: usize = documents
        .iter()
        .map(|d| {
            d["entities"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["label"] == "LOC" && e["attrs"]["lat"].is_f64())
                .count()
        })
        .sum();
    assert_eq!(features.len(), resolved);
    let tripoli = &features[0];
    assert_eq!(tripoli["geometry"], json!({"type": "Point", "coordinates": [13.18733, 32.88743]}));
    assert_eq!(
        tripoli["properties"],
        json!({"doc_id": "000_168fd1ce8330dd5c", "name": "TRIPOLI", "canonical": "Tripoli", "mentions": 2,
               "geonameid": 2210247, "country": "LY", "feature": "city"})
    );
    let names: Vec<&str> = features
        .iter()
        .filter(|f| f["properties"]["doc_id"] == "000_168fd1ce8330dd5c")
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["TRIPOLI", "Libya", "U.S.", "Europe", "Africa", "Germany", "Washington", "Berlin"]
    );
    fs::remove_dir_all(folder).unwrap();
}
