//! The `patterns` extractor through its public API, as a pipeline uses it:
//! built from JSON options through a `Registry`, run on tokenized
//! documents, with exact spans, labels and attributes.

use document::{
    Annotation, BuildContext, Document, Extractor, Registry, Span, Tokenizer, Value, json,
};
use patterns::PatternsExtractor;

fn registry() -> Registry {
    let mut registry = Registry::new();
    registry.add_extractor::<PatternsExtractor>();
    registry
}

fn build_in(folder: &str, options: Value) -> Result<Box<dyn Extractor>, Vec<String>> {
    let options = options.as_object().cloned().unwrap_or_default();
    let context = BuildContext::new(folder, "patterns");
    registry()
        .extractor("patterns")
        .unwrap()
        .build(options, &context)
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

fn build(options: Value) -> Box<dyn Extractor> {
    match build_in(".", options) {
        Ok(extractor) => extractor,
        Err(errors) => panic!("{errors:?}"),
    }
}

fn build_error(options: Value) -> Vec<String> {
    build_in(".", options).err().expect("the options are refused")
}

fn document(text: &str) -> Document {
    let mut document = Document::new("d", text);
    tokenizer::NewsTokenizer::default().tokenize(&mut document).unwrap();
    document
}

/// `(label, text, attrs as JSON)` of every annotation.
fn run(extractor: &dyn Extractor, document: &mut Document) -> Vec<(String, String, String)> {
    extractor.extract(document).unwrap();
    document
        .annotations
        .iter()
        .map(|a: &Annotation| {
            let attrs = a
                .attrs
                .as_ref()
                .map_or("-".to_string(), |attrs| serde_json::to_string(attrs).unwrap_or_default());
            (a.label.clone(), document.slice(a.span).to_string(), attrs)
        })
        .collect()
}

fn found(extractor: &dyn Extractor, text: &str) -> Vec<String> {
    let mut document = document(text);
    run(extractor, &mut document).into_iter().map(|(_, text, _)| text).collect()
}

fn spans(extractor: &dyn Extractor, text: &str) -> Vec<Span> {
    let mut document = document(text);
    extractor.extract(&mut document).unwrap();
    document.annotations.iter().map(|a| a.span).collect()
}

// ---- terms ------------------------------------------------------------

#[test]
fn terms_match_whole_tokens_with_exact_spans() {
    let extractor = build(json!({"label": "COMPANY", "terms": ["Acme", "Acme Corp."]}));
    let text = "Acmeville sued Acme Corp. and Acme's unit; ACME denied.";
    assert_eq!(spans(&*extractor, text), [Span::new(15, 25), Span::new(30, 34)]);
    let mut document = document(text);
    let annotations = run(&*extractor, &mut document);
    assert_eq!(
        annotations,
        [
            ("COMPANY".to_string(), "Acme Corp.".to_string(), "-".to_string()),
            ("COMPANY".to_string(), "Acme".to_string(), "-".to_string()),
        ]
    );
}

#[test]
fn terms_are_case_sensitive_unless_told_otherwise() {
    let text = "ACME and acme and Acme.";
    let sensitive = build(json!({"label": "COMPANY", "terms": ["Acme"]}));
    assert_eq!(found(&*sensitive, text), ["Acme"]);
    let insensitive =
        build(json!({"label": "COMPANY", "terms": ["Acme"], "case_sensitive": false}));
    assert_eq!(found(&*insensitive, text), ["ACME", "acme", "Acme"]);
    assert_eq!(spans(&*insensitive, text), [Span::new(0, 4), Span::new(9, 13), Span::new(18, 22)]);
}

#[test]
fn longest_leftmost_and_no_overlaps() {
    let extractor = build(json!({
        "label": "ORG",
        "terms": ["New York", "New York Times", "Times Square", "York"],
    }));
    // `New York Times` wins over `New York`; `Times Square` overlaps it and
    // is dropped; the second `York` stands alone.
    assert_eq!(
        found(&*extractor, "The New York Times Square office; York."),
        ["New York Times", "York"]
    );
}

#[test]
fn a_longer_term_that_ends_inside_a_token_leaves_the_shorter_one() {
    let extractor = build(json!({"label": "ORG", "terms": ["Acme", "Acme Corp"]}));
    // `Acme Corp` would end inside `Corporation`: only `Acme` matches.
    assert_eq!(found(&*extractor, "Acme Corporation said."), ["Acme"]);
}

#[test]
fn terms_match_across_line_breaks_and_spaces_but_not_sentences() {
    let extractor = build(json!({"label": "ORG", "terms": ["Acme Corp", "the group", "Inc. The"]}));
    // A line break inside a sentence (the next line goes on in lower case).
    assert_eq!(
        spans(&*extractor, "Shares of Acme  Corp and the\ngroup fell."),
        [Span::new(10, 20), Span::new(25, 34)]
    );
    // `Inc.` ends a sentence before `The`.
    assert_eq!(found(&*extractor, "He joined Foo Inc. The firm grew."), Vec::<String>::new());
}

#[test]
fn a_final_period_is_found_however_the_word_was_split() {
    // The tokenizer keeps `Corp.` whole but splits `corp` `.`.
    let with_period =
        build(json!({"label": "ORG", "terms": ["Acme Corp."], "case_sensitive": false}));
    assert_eq!(
        spans(&*with_period, "Acme Corp. rose; acme corp. fell."),
        [Span::new(0, 10), Span::new(17, 27)]
    );
    // A term without the period is found before the period of `Corp.`.
    let without = build(json!({"label": "ORG", "terms": ["Acme Corp"]}));
    assert_eq!(spans(&*without, "Shares of Acme Corp. rose."), [Span::new(10, 19)]);
    // Both listed: the longer wins.
    let both = build(json!({"label": "ORG", "terms": ["Acme Corp", "Acme Corp."]}));
    assert_eq!(found(&*both, "Shares of Acme Corp. rose."), ["Acme Corp."]);
}

#[test]
fn terms_are_split_like_the_text() {
    let extractor = build(json!({
        "label": "LOC",
        "terms": ["Libya's", "Côte d'Ivoire"],
        "case_sensitive": false,
    }));
    // The curly apostrophe reads as a straight one.
    assert_eq!(
        found(&*extractor, "In LIBYA'S south and in Côte d’Ivoire."),
        ["LIBYA'S", "Côte d’Ivoire"]
    );
}

#[test]
fn unicode_text_gives_byte_spans_on_char_boundaries() {
    let extractor =
        build(json!({"label": "LOC", "terms": ["Zürich", "São Paulo"], "case_sensitive": false}));
    let text = "Von ZÜRICH nach São Paulo — 東京 ✓.";
    assert_eq!(spans(&*extractor, text), [Span::new(4, 11), Span::new(17, 27)]);
    assert_eq!(found(&*extractor, text), ["ZÜRICH", "São Paulo"]);
}

#[test]
fn tsv_ids_and_columns_go_to_attrs() {
    let folder = std::env::temp_dir().join(format!("patterns-tsv-{}", std::process::id()));
    std::fs::create_dir_all(folder.join("lists")).unwrap();
    std::fs::write(
        folder.join("lists/companies.tsv"),
        "# a test list\nid\tterm\tcountry\nQ1\tAcme Corp.\tUS\nQ1\tAcme\tUS\nQ2\tGlobex\t\n",
    )
    .unwrap();
    let extractor = build_in(
        folder.to_str().unwrap(),
        json!({"label": "COMPANY", "terms_file": "lists/companies.tsv", "terms": ["Initech"]}),
    )
    .unwrap();
    let mut document = document("Acme Corp. bought Globex from Initech and Acme.");
    let annotations = run(&*extractor, &mut document);
    let expected = [
        ("Acme Corp.", r#"{"country":"US","id":"Q1"}"#),
        ("Globex", r#"{"id":"Q2"}"#),
        ("Initech", "-"),
        ("Acme", r#"{"country":"US","id":"Q1"}"#),
    ];
    let got: Vec<(&str, &str)> =
        annotations.iter().map(|(_, text, attrs)| (text.as_str(), attrs.as_str())).collect();
    assert_eq!(got, expected);
    std::fs::remove_dir_all(folder).unwrap();
}

#[test]
fn the_first_of_two_identical_terms_wins() {
    let folder = std::env::temp_dir().join(format!("patterns-dup-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("l.tsv"), "id\tterm\nA\tacme\nB\tACME\n").unwrap();
    let extractor = build_in(
        folder.to_str().unwrap(),
        json!({"label": "ORG", "terms_file": "l.tsv", "case_sensitive": false}),
    )
    .unwrap();
    let mut document = document("Acme.");
    assert_eq!(run(&*extractor, &mut document)[0].2, r#"{"id":"A"}"#);
    std::fs::remove_dir_all(folder).unwrap();
}

#[test]
fn terms_file_errors_name_the_file_and_line() {
    let folder = std::env::temp_dir().join(format!("patterns-bad-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("bad.tsv"), "id\tterm\nQ1\tAcme\nQ2\n").unwrap();
    let path = folder.join("bad.tsv");
    let errors =
        build_in(folder.to_str().unwrap(), json!({"label": "ORG", "terms_file": "bad.tsv"}))
            .err()
            .unwrap();
    assert_eq!(
        errors,
        [format!("key `terms_file`: {}:3: 1 columns, the first line names 2", path.display())]
    );
    let errors =
        build_in(folder.to_str().unwrap(), json!({"label": "ORG", "terms_file": "none.tsv"}))
            .err()
            .unwrap();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .starts_with(&format!("key `terms_file`: {}: ", folder.join("none.tsv").display())),
        "{errors:?}"
    );
    std::fs::remove_dir_all(folder).unwrap();
}

#[test]
fn an_empty_term_in_a_file_names_its_line() {
    let folder = std::env::temp_dir().join(format!("patterns-empty-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("l.tsv"), "id\tterm\nQ1\tAcme\nQ2\t\n").unwrap();
    let errors = build_in(
        folder.to_str().unwrap(),
        json!({"label": "ORG", "terms": ["Globex"], "terms_file": "l.tsv"}),
    )
    .err()
    .unwrap();
    assert_eq!(
        errors,
        [format!("key `terms_file`: {}:3: empty term", folder.join("l.tsv").display())]
    );
    std::fs::remove_dir_all(folder).unwrap();
}

#[test]
fn an_empty_term_is_refused_with_its_index() {
    assert_eq!(
        build_error(json!({"label": "ORG", "terms": ["Acme", "  "]})),
        ["key `terms`: terms[1]: empty term"]
    );
}

// ---- patterns -----------------------------------------------------------

fn pattern(source: &str) -> Box<dyn Extractor> {
    build(json!({"label": "X", "patterns": [source]}))
}

#[test]
fn text_lower_and_regex_tests() {
    let text = "Acme Inc. and acme Inc. and ACME Incorporated.";
    assert_eq!(found(&*pattern(r#"[text="Acme"] [text="Inc."]"#), text), ["Acme Inc."]);
    assert_eq!(
        found(&*pattern(r#"[lower="acme"] [lower="inc."]"#), text),
        ["Acme Inc.", "acme Inc."]
    );
    // A regex must match the whole token: `Inc\.?` not inside `Incorporated`.
    assert_eq!(
        found(&*pattern(r"[lower=/acme/] [text=/Inc\.?/]"), text),
        ["Acme Inc.", "acme Inc."]
    );
    assert_eq!(found(&*pattern(r"[text=/AC.*/] [text=/Inc.*/]"), text), ["ACME Incorporated"]);
}

#[test]
fn flags_shape_and_kind() {
    let text = "NATO met Acme in 2017 at 5pm, said O'Brien.";
    assert_eq!(found(&*pattern("[is_upper]"), text), ["NATO"]);
    assert_eq!(found(&*pattern("[is_title]"), text), ["Acme"]);
    assert_eq!(found(&*pattern("[is_digit]"), text), ["2017", "5"]);
    assert_eq!(found(&*pattern("[is_lower & is_alpha]"), text), ["met", "in", "at", "pm", "said"]);
    assert_eq!(found(&*pattern("[is_punct]"), text), [",", "."]);
    assert_eq!(found(&*pattern(r#"[shape="dddd"]"#), text), ["2017"]);
    assert_eq!(found(&*pattern(r#"[shape=/X'Xx+/]"#), text), ["O'Brien"]);
    assert_eq!(found(&*pattern(r#"[kind="number"] [lower="pm"]"#), text), ["5pm"]);
    assert_eq!(found(&*pattern(r#"[!is_alpha & !is_punct]"#), text), ["2017", "5", "O'Brien"]);
}

#[test]
fn optional_and_repeated_elements() {
    let suffix = r"[is_title]+ [text=/Inc\.?|Corp\.?|Ltd\.?/]";
    let text = "Shares of Acme Widget Corp. and Globex Ltd rose; Initech fell.";
    assert_eq!(found(&*pattern(suffix), text), ["Acme Widget Corp.", "Globex Ltd"]);
    let optional = r#"[lower="the"]? [is_title] [lower="group"]"#;
    assert_eq!(
        found(&*pattern(optional), "the Acme group and Globex group"),
        ["the Acme group", "Globex group"]
    );
    assert_eq!(found(&*pattern("[is_digit]{2,3}"), "1 2 3 4 5 and 6 7"), ["1 2 3", "4 5", "6 7"]);
    assert_eq!(found(&*pattern("[is_digit]{2}"), "1 2 3"), ["1 2"]);
    assert_eq!(
        found(&*pattern(r#"[is_title] [lower="and"]* [is_title]"#), "Tom Jerry; Tom and and Jerry"),
        ["Tom Jerry", "Tom and and Jerry"]
    );
}

#[test]
fn groups_alternation_and_any_token() {
    let extractor =
        pattern(r#"([lower="chief"] | [lower="deputy"] [lower="chief"]) [] [is_title]"#);
    assert_eq!(
        found(&*extractor, "The deputy chief executive Smith and chief of Jones."),
        ["deputy chief executive Smith", "chief of Jones"]
    );
}

#[test]
fn a_group_of_alternatives_after_a_number() {
    let extractor = pattern(
        r#"[kind="number"] ([lower="percent"] | [text="%"] | [lower="per"] [lower="cent"])"#,
    );
    assert_eq!(
        found(&*extractor, "Up 5 percent, then 76%, then 3 per cent, not 4 per year."),
        ["5 percent", "76%", "3 per cent"]
    );
}

#[test]
fn label_references_consume_the_annotation() {
    let extractor = pattern(r#"{PER} [lower=/said|says/]"#);
    let mut document = document("Fayez Serraj said on Monday that Serraj says nothing.");
    document.annotate(Annotation::new("PER", Span::new(0, 12))).unwrap();
    document.annotate(Annotation::new("PER", Span::new(33, 39))).unwrap();
    document.annotate(Annotation::new("LOC", Span::new(21, 27))).unwrap();
    let annotations = run(&*extractor, &mut document);
    let got: Vec<(&str, &str, &str)> = annotations
        .iter()
        .map(|(label, text, attrs)| (label.as_str(), text.as_str(), attrs.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("PER", "Fayez Serraj", "-"),
            ("PER", "Serraj", "-"),
            ("LOC", "Monday", "-"),
            ("X", "Fayez Serraj said", r#"{"pattern":0}"#),
            ("X", "Serraj says", r#"{"pattern":0}"#),
        ]
    );
}

#[test]
fn a_label_or_a_token_first() {
    let extractor = pattern(r#"({PER} | [lower="he"] | [lower="she"]) [lower="said"]"#);
    let mut document = document("Serraj said so, and he said more; Minniti agreed.");
    document.annotate(Annotation::new("PER", Span::new(0, 6))).unwrap();
    document.annotate(Annotation::new("PER", Span::new(34, 41))).unwrap();
    extractor.extract(&mut document).unwrap();
    let found: Vec<&str> =
        document.annotations[2..].iter().map(|a| document.slice(a.span)).collect();
    assert_eq!(found, ["Serraj said", "he said"]);
}

#[test]
fn a_label_reference_needs_token_boundaries() {
    let extractor = pattern(r#"{PER} [lower="said"]"#);
    let mut document = document("Serrajian said so.");
    // Not on a token end: cannot be referred to.
    document.annotate(Annotation::new("PER", Span::new(0, 6))).unwrap();
    assert_eq!(run(&*extractor, &mut document).len(), 1);
}

#[test]
fn patterns_stay_inside_a_sentence() {
    let extractor = pattern("[is_title]+");
    assert_eq!(
        found(&*extractor, "He met Ban Ki-moon. The Talks ended."),
        ["He", "Ban Ki-moon", "The Talks"]
    );
}

#[test]
fn matches_are_capped_in_length() {
    let text = vec!["x"; 100].join(" ");
    let extractor = pattern("[]+");
    let lengths: Vec<usize> = spans(&*extractor, &text).iter().map(|span| span.len()).collect();
    assert_eq!(lengths, [127, 71]);
}

#[test]
fn terms_and_patterns_of_one_entry_do_not_overlap() {
    let extractor = build(json!({
        "label": "COMPANY",
        "terms": ["Acme"],
        "patterns": [r"[is_title]+ [text=/Corp\.?/]", "[is_title] [is_title]"],
    }));
    let mut document = document("Acme Widget Corp. and Acme. Big Globex.");
    let annotations = run(&*extractor, &mut document);
    let got: Vec<(&str, &str)> =
        annotations.iter().map(|(_, text, attrs)| (text.as_str(), attrs.as_str())).collect();
    assert_eq!(
        got,
        [
            ("Acme Widget Corp.", r#"{"pattern":0}"#),
            ("Acme", "-"),
            ("Big Globex", r#"{"pattern":1}"#)
        ]
    );
}

#[test]
fn the_header_is_skipped_and_untokenized_documents_are_tokenized() {
    let extractor = build(json!({"label": "ORG", "terms": ["Xinhua"]}));
    let mut document = Document::new("d", "Source: Xinhua\nXinhua reported.");
    document.header = Some(Span::new(0, 15));
    extractor.extract(&mut document).unwrap();
    let spans: Vec<Span> = document.annotations.iter().map(|a| a.span).collect();
    assert_eq!(spans, [Span::new(15, 21)]);
}

// ---- options and their errors ---------------------------------------------

#[test]
fn pattern_errors_name_the_pattern_position_and_problem() {
    let errors = build_error(json!({
        "label": "COMPANY",
        "patterns": ["[is_title]+", r#"[lower="acme"] [is_title"#, "[is_title]", "[lowr=\"x\"]"],
    }));
    assert_eq!(
        errors,
        [
            "key `patterns`: patterns[1] at 15: unclosed `[`; patterns[3] at 1: unknown key `lowr`; did you mean `lower`?"
        ]
    );
}

#[test]
fn option_errors() {
    assert_eq!(
        build_error(json!({"label": "Company", "terms": ["x"]})),
        [
            "key `label`: `Company` is not a label: upper case letters, digits and `_`, starting with a letter"
        ]
    );
    assert_eq!(
        build_error(json!({"label": "ORG"})),
        ["nothing to find: give `terms`, `terms_file` or `patterns`"]
    );
    assert_eq!(build_error(json!({"terms": ["x"]})), ["missing field `label`"]);
    assert_eq!(
        build_error(json!({"label": "ORG", "term": ["x"], "pattern": []})),
        [
            "unknown key `pattern`; did you mean `patterns`?",
            "unknown key `term`; did you mean `terms`?",
        ]
    );
}

// ---- robustness -------------------------------------------------------------

#[test]
fn random_text_never_panics_and_every_span_slices() {
    let extractor = build(json!({
        "label": "X",
        "terms": ["Acme", "Acme Corp.", "Zürich", "東京", "don't"],
        "case_sensitive": false,
        "patterns": [
            r"[is_title]+ [text=/Corp\.?/]?",
            r#"{X} [lower="said"]"#,
            "([] | [is_digit]{1,3})+ [is_punct]",
            r#"[shape=/X+/]* [!is_alpha]"#,
        ],
    }));
    let pieces = [
        "Acme",
        " ",
        "Corp.",
        "ZÜRICH",
        "東京",
        "\n",
        "\n\n",
        "said",
        ".",
        "don’t",
        "5",
        "👨‍👩‍👧",
        "é",
        "\u{301}",
        "\t",
        "--",
        "U.S.",
        "'",
        "Inc.",
        "\u{a0}",
        "x",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(seed % 40) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
        }
        let mut document = document(&text);
        if let Some(token) = document.tokens.first() {
            let span = token.span;
            document.annotate(Annotation::new("X", span)).unwrap();
        }
        extractor.extract(&mut document).unwrap();
        for annotation in &document.annotations {
            annotation.span.check(&document.text).unwrap();
            assert!(!annotation.span.is_empty(), "{text:?}");
        }
    }
}
