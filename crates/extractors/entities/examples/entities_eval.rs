//! Scores the `entities` extractor on its development corpus:
//!
//! ```sh
//! cargo run --release -p entities --example entities_eval -- [--corpus heldout] [--check] [--verbose]
//! ```
//!
//! Reads `eval/corpus.jsonl` (original wire-style paragraphs written for
//! this purpose, with gold chains, roles and places), runs each text
//! through the `news` tokenizer, `dateline`, `ner` and `entities`, and
//! prints three accuracies:
//!
//! * **chains**: a gold chain (a canonical name and the forms it is written
//!   in) is right when every form is found as an annotation, all of them
//!   carry the same `attrs.entity`, that entity's canonical name is the
//!   gold one, and no form of another gold chain is in the entity;
//! * **roles**: a gold role is right when a ROLE annotation has exactly its
//!   value (person, title, and country and organisation when, and only
//!   when, the gold has them); the precision over distinct ROLE values is
//!   printed too;
//! * **places**: a gold place (a form and its GeoNames id, or none) is
//!   right when every LOC annotation of that form has that
//!   `attrs.geonameid` (or none), and there is at least one.
//!
//! `--corpus heldout` reads `eval/heldout.jsonl` instead: paragraphs
//! written after the rules were frozen, never used to change them. With
//! `--check`, exits with status 1 when a figure is below its floor in
//! `eval/reached.toml`. With `--verbose`, prints every miss.

use std::collections::BTreeSet;
use std::path::Path;

use document::{BuildContext, Component, Document, Extractor, Value};
use serde_json::json;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|arg| arg == "--check");
    let verbose = args.iter().any(|arg| arg == "--verbose");
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let name = args
        .iter()
        .position(|arg| arg == "--corpus")
        .and_then(|at| args.get(at + 1))
        .map_or("corpus", String::as_str);
    let corpus_name = name.to_string();
    let corpus = std::fs::read_to_string(folder.join(format!("{name}.jsonl")))?;

    let context = BuildContext::new(".", "eval");
    let dateline = dateline::DatelineExtractor::build(Default::default(), &context)?;
    let ner = ner::NerExtractor::build(Default::default(), &context)?;
    let entities = entities::EntitiesExtractor::build(Default::default(), &context)?;

    let (mut chains, mut chains_right) = (0, 0);
    let (mut roles, mut roles_right, mut roles_found, mut roles_found_right) = (0, 0, 0, 0);
    let (mut places, mut places_right, mut ambiguous, mut ambiguous_right) = (0, 0, 0, 0);
    for line in corpus.lines().filter(|line| !line.trim().is_empty()) {
        let gold: Value = serde_json::from_str(line)?;
        let id = gold["id"].as_str().unwrap_or_default();
        let mut document = Document::new(id, gold["text"].as_str().unwrap_or_default());
        document.date = gold["date"].as_str().and_then(|date| date.parse().ok());
        let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
        document.tokens = tokens;
        document.sentences = sentences;
        dateline.extract(&mut document)?;
        ner.extract(&mut document)?;
        entities.extract(&mut document)?;

        let text_of = |annotation: &document::Annotation| document.slice(annotation.span);
        let entity_of = |annotation: &document::Annotation| {
            annotation.attr("entity").and_then(Value::as_str).map(str::to_string)
        };
        // Chains.
        let gold_chains = gold["chains"].as_array().cloned().unwrap_or_default();
        let forms_of = |chain: &Value| -> Vec<String> {
            chain["forms"]
                .as_array()
                .map(|forms| forms.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        let matches_form = |annotation: &document::Annotation, form: &str| {
            let written = text_of(annotation);
            written == form
                || written.strip_prefix("The ").or_else(|| written.strip_prefix("the "))
                    == Some(form)
                || (annotation.label == "PER"
                    && written.ends_with(form)
                    && written[..written.len() - form.len()].ends_with(' '))
        };
        for (c, chain) in gold_chains.iter().enumerate() {
            chains += 1;
            let forms = forms_of(chain);
            let mut ids = BTreeSet::new();
            let mut missing = Vec::new();
            for form in &forms {
                let found: Vec<_> = document
                    .annotations
                    .iter()
                    .filter(|a| a.label != "ROLE" && a.label != "DATELINE")
                    .filter(|a| matches_form(a, form))
                    .collect();
                if found.is_empty() || found.iter().any(|a| entity_of(a).is_none()) {
                    missing.push(form.clone());
                }
                ids.extend(found.iter().filter_map(|a| entity_of(a)));
            }
            let canonical = ids.iter().next().and_then(|id| {
                document.entities.iter().find(|e| &e.id == id).map(|e| e.canonical.clone())
            });
            let others: Vec<String> = gold_chains
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != c)
                .flat_map(|(_, other)| forms_of(other))
                .collect();
            let intruders: Vec<String> = document
                .annotations
                .iter()
                .filter(|a| entity_of(a).is_some_and(|id| ids.contains(&id)))
                .filter(|a| {
                    others.iter().any(|form| text_of(a) == form)
                        && !forms.iter().any(|f| text_of(a) == f)
                })
                .map(|a| text_of(a).to_string())
                .collect();
            let right = missing.is_empty()
                && ids.len() == 1
                && canonical.as_deref() == chain["canonical"].as_str()
                && intruders.is_empty();
            if right {
                chains_right += 1;
            } else if verbose {
                println!(
                    "chain  {id}: {} — missing {missing:?}, entities {ids:?}, canonical {canonical:?}, intruders {intruders:?}",
                    chain["canonical"]
                );
            }
        }
        // Roles.
        let found: BTreeSet<String> = document
            .annotations
            .iter()
            .filter(|a| a.label == "ROLE")
            .filter_map(|a| a.value.as_ref().map(|v| v.to_string()))
            .collect();
        let gold_roles: BTreeSet<String> = gold["roles"]
            .as_array()
            .map(|roles| roles.iter().map(|role| role.to_string()).collect())
            .unwrap_or_default();
        roles += gold_roles.len();
        roles_found += found.len();
        for role in &gold_roles {
            if found.contains(role) {
                roles_right += 1;
            } else if verbose {
                println!("role   {id}: missing {role}; found {found:?}");
            }
        }
        for role in &found {
            if gold_roles.contains(role) {
                roles_found_right += 1;
            } else if verbose {
                println!("role   {id}: spurious {role}");
            }
        }
        // Places.
        for place in gold["places"].as_array().cloned().unwrap_or_default() {
            places += 1;
            let is_ambiguous = place["ambiguous"] == json!(true);
            ambiguous += usize::from(is_ambiguous);
            let form = place["text"].as_str().unwrap_or_default();
            let found: Vec<Value> = document
                .annotations
                .iter()
                .filter(|a| a.label == "LOC" && text_of(a) == form)
                .map(|a| a.attr("geonameid").cloned().unwrap_or(Value::Null))
                .collect();
            let right = !found.is_empty() && found.iter().all(|g| g == &place["geonameid"]);
            if right {
                places_right += 1;
                ambiguous_right += usize::from(is_ambiguous);
            } else if verbose {
                println!("place  {id}: {form} gold {} found {found:?}", place["geonameid"]);
            }
        }
    }

    let ratio =
        |right: usize, total: usize| if total == 0 { 0.0 } else { right as f64 / total as f64 };
    let figures = [
        ("chains", ratio(chains_right, chains)),
        ("roles", ratio(roles_right, roles)),
        ("places", ratio(places_right, places)),
    ];
    println!("chains  {:.4}  ({chains_right} of {chains} gold chains)", figures[0].1);
    println!(
        "roles   {:.4}  ({roles_right} of {roles} gold roles; precision {:.4}, {roles_found_right} of {roles_found} found)",
        figures[1].1,
        ratio(roles_found_right, roles_found)
    );
    println!(
        "places  {:.4}  ({places_right} of {places} gold places; ambiguous {ambiguous_right} of {ambiguous})",
        figures[2].1
    );
    if check {
        let floors = std::fs::read_to_string(folder.join("reached.toml"))?;
        let mut failed = false;
        for (name, value) in figures {
            // Keys are `chains` for the development corpus, `heldout.chains`
            // for another.
            let key = if corpus_name == "corpus" {
                name.to_string()
            } else {
                format!("{corpus_name}.{name}")
            };
            let floor = floors
                .lines()
                .filter_map(|line| line.split_once('='))
                .find(|(k, _)| k.trim() == key)
                .and_then(|(_, value)| value.trim().parse::<f64>().ok())
                .ok_or_else(|| anyhow::anyhow!("eval/reached.toml has no `{key}`"))?;
            if value + 1e-9 < floor {
                println!("FAIL {name} {value:.4} is below the floor {floor:.4}");
                failed = true;
            }
        }
        if failed {
            std::process::exit(1);
        }
        println!("all figures at or above eval/reached.toml");
    }
    Ok(())
}
