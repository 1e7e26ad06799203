//! The `entities` extractor through its public API, on documents whose
//! PER/ORG/LOC/MISC annotations are given by hand (as `ner` would give
//! them), so that each rule is checked on its own, whatever the model.

use document::{Annotation, Document, Extractor, Span, Value, json};
use entities::{EntitiesExtractor, EntitiesOptions};

/// A tokenized document with the given annotations, each `(label, text,
/// occurrence)`: the n-th occurrence of `text`.
fn document(text: &str, annotations: &[(&str, &str, usize)]) -> Document {
    let mut document = Document::new("d", text);
    let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
    document.tokens = tokens;
    document.sentences = sentences;
    for &(label, written, occurrence) in annotations {
        let start = text.match_indices(written).nth(occurrence).map(|(at, _)| at).unwrap();
        document.annotate(Annotation::new(label, Span::new(start, start + written.len()))).unwrap();
    }
    document
}

fn run(document: &mut Document) {
    EntitiesExtractor::new(EntitiesOptions::default()).unwrap().extract(document).unwrap();
}

fn attr<'a>(document: &'a Document, text: &str, occurrence: usize, key: &str) -> Option<&'a Value> {
    document
        .annotations
        .iter()
        .filter(|a| a.label != "ROLE" && document.slice(a.span) == text)
        .nth(occurrence)
        .and_then(|a| a.attr(key))
}

fn roles(document: &Document) -> Vec<(String, Value)> {
    document
        .annotations
        .iter()
        .filter(|a| a.label == "ROLE")
        .map(|a| (document.slice(a.span).to_string(), a.value.clone().unwrap_or(Value::Null)))
        .collect()
}

#[test]
fn an_acronym_in_brackets_and_by_its_initials() {
    let text = "The World Health Organization (WHO) said on Monday that WHO teams had reached \
                Aden. The Food and Agriculture Organization said FAO staff would follow.";
    let mut doc = document(
        text,
        &[
            ("ORG", "The World Health Organization", 0),
            ("ORG", "WHO", 0),
            ("ORG", "WHO", 1),
            ("LOC", "Aden", 0),
            ("ORG", "Food and Agriculture Organization", 0),
            ("ORG", "FAO", 0),
        ],
    );
    run(&mut doc);
    let who = attr(&doc, "The World Health Organization", 0, "entity").cloned();
    assert_eq!(who, Some(json!("E1")));
    assert_eq!(attr(&doc, "WHO", 0, "entity"), who.as_ref());
    assert_eq!(attr(&doc, "WHO", 1, "entity"), who.as_ref());
    assert_eq!(attr(&doc, "WHO", 1, "canonical"), Some(&json!("World Health Organization")));
    assert_eq!(
        attr(&doc, "FAO", 0, "canonical"),
        Some(&json!("Food and Agriculture Organization"))
    );
    let ids: Vec<(&str, &str, usize)> =
        doc.entities.iter().map(|e| (e.id.as_str(), e.canonical.as_str(), e.mentions)).collect();
    assert_eq!(
        ids,
        [
            ("E1", "World Health Organization", 3),
            ("E2", "Aden", 1),
            ("E3", "Food and Agriculture Organization", 2)
        ]
    );
}

#[test]
fn country_aliases_are_one_place() {
    let text = "The United States and the U.S. Congress: America, said US officials, not Britain or the UK.";
    let mut doc = document(
        text,
        &[
            ("LOC", "United States", 0),
            ("LOC", "U.S.", 0),
            ("LOC", "America", 0),
            ("LOC", "US", 0),
            ("LOC", "Britain", 0),
            ("LOC", "UK", 0),
        ],
    );
    run(&mut doc);
    for (text, occurrence) in [("U.S.", 0), ("America", 0), ("US", 0)] {
        assert_eq!(attr(&doc, text, occurrence, "entity"), Some(&json!("E1")), "{text}");
        assert_eq!(attr(&doc, text, occurrence, "geonameid"), Some(&json!(6252001)), "{text}");
    }
    assert_eq!(attr(&doc, "UK", 0, "entity"), Some(&json!("E2")));
    assert_eq!(attr(&doc, "UK", 0, "canonical"), Some(&json!("United Kingdom")));
    assert_eq!(doc.entities.len(), 2);
}

#[test]
fn titles_before_names_and_in_appositions() {
    let text = "U.S. President Ann Cole met Sen. Bob Ray. Tom Field, a spokesman for the \
                Red Cross, said Cole and Ray agreed. The German finance minister, Eva Lang, \
                also came. Officials told the minister, Lang said nothing.";
    let mut doc = document(
        text,
        &[
            ("LOC", "U.S.", 0),
            ("PER", "Ann Cole", 0),
            ("PER", "Bob Ray", 0),
            ("PER", "Tom Field", 0),
            ("ORG", "Red Cross", 0),
            ("PER", "Cole", 1),
            ("PER", "Ray", 1),
            ("MISC", "German", 0),
            ("PER", "Eva Lang", 0),
            ("PER", "Lang", 1),
        ],
    );
    run(&mut doc);
    assert_eq!(
        roles(&doc),
        [
            (
                "U.S. President Ann Cole".to_string(),
                json!({"person": "Ann Cole", "title": "President", "country": "US"})
            ),
            ("Sen. Bob Ray".to_string(), json!({"person": "Bob Ray", "title": "Senator"})),
            (
                "Tom Field, a spokesman for the Red Cross".to_string(),
                json!({"person": "Tom Field", "title": "Spokesman", "organization": "Red Cross"})
            ),
            (
                "German finance minister, Eva Lang".to_string(),
                json!({"person": "Eva Lang", "title": "Finance Minister", "country": "DE"})
            ),
        ]
    );
    assert_eq!(attr(&doc, "Cole", 0, "canonical"), Some(&json!("Ann Cole")));
    assert_eq!(attr(&doc, "Lang", 0, "canonical"), Some(&json!("Eva Lang")));
    assert_eq!(attr(&doc, "German", 0, "country"), Some(&json!("DE")));
    let cole = doc.entities.iter().find(|e| e.canonical == "Ann Cole").unwrap();
    assert_eq!(cole.attrs["roles"], json!([{"title": "President", "country": "US"}]));
}

#[test]
fn homonyms_follow_qualifiers_and_context() {
    let text = "Storms hit Paris, Texas, and Springfield. Illinois officials said Springfield \
                was spared. In Tripoli, Lebanese troops deployed.";
    let mut doc = document(
        text,
        &[
            ("LOC", "Paris", 0),
            ("LOC", "Texas", 0),
            ("LOC", "Springfield", 0),
            ("LOC", "Illinois", 0),
            ("LOC", "Springfield", 1),
            ("LOC", "Tripoli", 0),
            ("MISC", "Lebanese", 0),
        ],
    );
    run(&mut doc);
    assert_eq!(attr(&doc, "Paris", 0, "geonameid"), Some(&json!(4717560)));
    assert_eq!(attr(&doc, "Texas", 0, "feature"), Some(&json!("region")));
    assert_eq!(attr(&doc, "Springfield", 0, "geonameid"), Some(&json!(4250542)));
    assert_eq!(attr(&doc, "Springfield", 1, "geonameid"), Some(&json!(4250542)));
    assert_eq!(attr(&doc, "Tripoli", 0, "geonameid"), Some(&json!(266826)));
    assert_eq!(attr(&doc, "Tripoli", 0, "country"), Some(&json!("LB")));
}

#[test]
fn unknown_places_keep_their_annotation_without_coordinates() {
    let mut doc = document("Fighting spread to Xanadu Flats.", &[("LOC", "Xanadu Flats", 0)]);
    run(&mut doc);
    assert_eq!(attr(&doc, "Xanadu Flats", 0, "entity"), Some(&json!("E1")));
    assert_eq!(attr(&doc, "Xanadu Flats", 0, "geonameid"), None);
    assert!(doc.entities[0].attrs.is_empty());
}

#[test]
fn options_turn_parts_off() {
    let text = "Italian Prime Minister Ada Neri visited Tripoli.";
    let annotations = [("MISC", "Italian", 0), ("PER", "Ada Neri", 0), ("LOC", "Tripoli", 0)];
    let mut doc = document(text, &annotations);
    let options = EntitiesOptions { roles: false, geoparse: false, nationalities: false };
    EntitiesExtractor::new(options).unwrap().extract(&mut doc).unwrap();
    assert!(roles(&doc).is_empty());
    assert_eq!(attr(&doc, "Tripoli", 0, "geonameid"), None);
    assert_eq!(attr(&doc, "Tripoli", 0, "entity"), Some(&json!("E2")));
    assert_eq!(attr(&doc, "Italian", 0, "country"), None);
}

/// Random pieces of names, titles, punctuation and multi-byte text, with
/// random annotations over whole tokens: nothing panics, every span slices.
#[test]
fn fuzz_never_panics() {
    let pieces = [
        "Prime Minister ",
        "Gen. ",
        "Fayez ",
        "Serraj",
        ", ",
        "the ",
        "minister",
        "'s ",
        "(",
        "WHO",
        ")",
        "World Health Organization ",
        "Tripoli",
        "Zürich ",
        "—",
        "\n\n",
        "U.S.",
        " of ",
        "Libya",
        "Italian ",
        "said ",
        "Paris, Texas",
        " ",
        "é",
        "'",
        "-",
        "Springfield",
        "Director-General ",
    ];
    let labels = ["PER", "ORG", "LOC", "MISC"];
    let extractor = EntitiesExtractor::new(EntitiesOptions::default()).unwrap();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    for _ in 0..3_000 {
        let text: String = (0..next(24)).map(|_| pieces[next(pieces.len())]).collect();
        let mut doc = Document::new("f", text.as_str());
        let (tokens, sentences) = tokenizer::tokenize(&doc.text, doc.body());
        doc.tokens = tokens;
        doc.sentences = sentences;
        let count = doc.tokens.len();
        for _ in 0..next(6) {
            if count == 0 {
                break;
            }
            let first = next(count);
            let last = (first + next(3)).min(count - 1);
            let span = Span::new(doc.tokens[first].span.start, doc.tokens[last].span.end);
            doc.annotate(Annotation::new(labels[next(labels.len())], span)).unwrap();
        }
        extractor.extract(&mut doc).unwrap();
        for annotation in &doc.annotations {
            assert!(doc.text.get(annotation.span.start..annotation.span.end).is_some(), "{text:?}");
        }
    }
}

#[test]
fn a_list_of_countries_or_regions_is_no_qualifier() {
    let text = "Britain, France and Germany signed; so did Berlin, Germany. England, Scotland and Wales too.";
    let mut doc = document(
        text,
        &[
            ("LOC", "Britain", 0),
            ("LOC", "France", 0),
            ("LOC", "Germany", 0),
            ("LOC", "Berlin", 0),
            ("LOC", "Germany", 1),
            ("LOC", "England", 0),
            ("LOC", "Scotland", 0),
        ],
    );
    run(&mut doc);
    assert_eq!(attr(&doc, "Britain", 0, "geonameid"), Some(&json!(2635167)));
    assert_eq!(attr(&doc, "France", 0, "geonameid"), Some(&json!(3017382)));
    assert_eq!(attr(&doc, "Berlin", 0, "geonameid"), Some(&json!(2950159)));
    assert_eq!(attr(&doc, "England", 0, "geonameid"), Some(&json!(6269131)));
    assert_eq!(attr(&doc, "Scotland", 0, "feature"), Some(&json!("region")));
}

/// 4,000 people, each named in full and then by surname, and one city
/// named 4,000 times: 12,000 mentions, linked in about linear time (a
/// quadratic pass would compare tens of millions of pairs).
#[test]
fn a_long_document_links_every_mention() {
    let mut text = String::new();
    let mut spans = Vec::new();
    for i in 0..4_000 {
        let surname = format!("Surname{i}");
        let sentence_start = text.len();
        text.push_str(&format!("Minister Ann {surname} said {surname} flew to Paris. "));
        let full = sentence_start + "Minister ".len();
        spans.push(("PER", full, full + "Ann ".len() + surname.len()));
        let short = full + "Ann ".len() + surname.len() + " said ".len();
        spans.push(("PER", short, short + surname.len()));
        let paris = short + surname.len() + " flew to ".len();
        spans.push(("LOC", paris, paris + "Paris".len()));
    }
    let mut doc = Document::new("long", text.as_str());
    let (tokens, sentences) = tokenizer::tokenize(&doc.text, doc.body());
    doc.tokens = tokens;
    doc.sentences = sentences;
    for (label, start, end) in spans {
        doc.annotate(Annotation::new(label, Span::new(start, end))).unwrap();
    }
    let started = std::time::Instant::now();
    run(&mut doc);
    eprintln!("12,000 mentions linked in {:.2} s", started.elapsed().as_secs_f64());
    assert_eq!(doc.entities.len(), 4_001);
    assert_eq!(doc.entities[0].canonical, "Ann Surname0");
    assert_eq!(doc.entities[0].mentions, 2);
    let paris = doc.entities.iter().find(|e| e.canonical == "Paris").unwrap();
    assert_eq!(paris.mentions, 4_000);
    assert_eq!(doc.annotations.iter().filter(|a| a.label == "ROLE").count(), 4_000);
}
