//! The dateline extractor as a pipeline sees it: through the public API,
//! on whole documents, with exact spans and values.

use dateline::{DatelineExtractor, DatelineOptions};
use document::{BuildContext, Component, Document, Extractor, Registry, Span, Value, json};

/// One annotation as `(label, start, end, text under the span, value)`.
type Found = (String, usize, usize, String, Option<Value>);

fn extractor(options: DatelineOptions) -> DatelineExtractor {
    DatelineExtractor::build(options, &BuildContext::new(".", "dateline")).unwrap()
}

fn run(extractor: &DatelineExtractor, document: &mut Document) -> Vec<Found> {
    extractor.extract(document).unwrap();
    document
        .annotations
        .iter()
        .map(|annotation| {
            assert_eq!(annotation.extractor, "", "the pipeline, not the extractor, names itself");
            let span = annotation.span;
            let text = document.text[span.start..span.end].to_string();
            (annotation.label.clone(), span.start, span.end, text, annotation.value.clone())
        })
        .collect()
}

/// The annotations of a one-paragraph document with an optional date.
fn extract(text: &str, date: Option<&str>) -> Vec<Found> {
    let mut document = Document::new("test", text);
    document.date = date.map(|date| date.parse().unwrap());
    run(&DatelineExtractor::default(), &mut document)
}

/// The value of the DATELINE annotation, if there is one.
fn value(text: &str, date: Option<&str>) -> Option<Value> {
    extract(text, date).into_iter().find(|found| found.0 == "DATELINE").and_then(|found| found.4)
}

fn found(label: &str, start: usize, end: usize, text: &str, value: Option<Value>) -> Found {
    (label.to_string(), start, end, text.to_string(), value)
}

#[test]
fn seed_with_a_header_and_a_video_line() {
    let text = include_str!("../../../../seeds/000_168fd1ce8330dd5c.txt");
    let mut document = Document::new("000", text);
    // The reader marks the `date … Source: Xinhua|…` line as the header.
    let header_end = text.find('\n').unwrap() + 1;
    document.header = Some(Span::new(0, header_end));
    document.date = Some("2017-12-10".parse().unwrap());
    assert_eq!(header_end, 68);
    assert_eq!(
        run(&DatelineExtractor::default(), &mut document),
        [
            found(
                "DATELINE",
                89,
                116,
                "TRIPOLI, Dec. 9 (Xinhua) --",
                Some(json!({
                    "place": "TRIPOLI", "region": null, "date": "2017-12-09", "agency": "Xinhua"
                })),
            ),
            found("LOC", 89, 96, "TRIPOLI", None),
        ]
    );
}

#[test]
fn seed_without_a_date_keeps_the_year_unknown() {
    let text = include_str!("../../../../seeds/004_19210f1ef9f6238c.txt");
    assert_eq!(
        extract(text, None),
        [
            found(
                "DATELINE",
                0,
                27,
                "TRIPOLI, July 7 (Xinhua) --",
                Some(json!({
                    "place": "TRIPOLI", "region": null, "date": "XXXX-07-07", "agency": "Xinhua"
                })),
            ),
            found("LOC", 0, 7, "TRIPOLI", None),
        ]
    );
}

#[test]
fn every_wire_form() {
    let cases = [
        // (paragraph, dateline, (place, region, date, agency))
        (
            "BEIJING, Jan. 3 (Xinhua) -- China",
            "BEIJING, Jan. 3 (Xinhua) --",
            ("BEIJING", None, Some("2018-01-03"), Some("Xinhua")),
        ),
        (
            "NAIROBI, Kenya (AP) — Police",
            "NAIROBI, Kenya (AP) —",
            ("NAIROBI", Some("Kenya"), None, Some("AP")),
        ),
        (
            "LONDON (Reuters) - Britain",
            "LONDON (Reuters) -",
            ("LONDON", None, None, Some("Reuters")),
        ),
        (
            "WASHINGTON, Sept. 12 (Reuters) - The",
            "WASHINGTON, Sept. 12 (Reuters) -",
            ("WASHINGTON", None, Some("2017-09-12"), Some("Reuters")),
        ),
        ("NEW YORK (AP) — A", "NEW YORK (AP) —", ("NEW YORK", None, None, Some("AP"))),
        (
            "SAN JUAN, Puerto Rico, March 3 (AP) -- A",
            "SAN JUAN, Puerto Rico, March 3 (AP) --",
            ("SAN JUAN", Some("Puerto Rico"), Some("2018-03-03"), Some("AP")),
        ),
        ("ST. LOUIS (AP) -- A", "ST. LOUIS (AP) --", ("ST. LOUIS", None, None, Some("AP"))),
        ("WASHINGTON — The", "WASHINGTON —", ("WASHINGTON", None, None, None)),
        (
            "TOKYO, Nov. 30 (Kyodo) -- A",
            "TOKYO, Nov. 30 (Kyodo) --",
            ("TOKYO", None, Some("2017-11-30"), Some("Kyodo")),
        ),
        (
            "DAMASCUS, Oct. 1 (SANA) - A",
            "DAMASCUS, Oct. 1 (SANA) -",
            ("DAMASCUS", None, Some("2017-10-01"), Some("SANA")),
        ),
        (
            "NEW DELHI, Dec 31 (IANS) A",
            "NEW DELHI, Dec 31 (IANS)",
            ("NEW DELHI", None, Some("2017-12-31"), Some("IANS")),
        ),
        (
            "BERLIN, August 8 (dpa) - A",
            "BERLIN, August 8 (dpa) -",
            ("BERLIN", None, Some("2017-08-08"), Some("dpa")),
        ),
        (
            "PARIS, May 5, 2016 (AFP) - A",
            "PARIS, May 5, 2016 (AFP) -",
            ("PARIS", None, Some("2016-05-05"), Some("AFP")),
        ),
    ];
    for (text, opening, (place, region, date, agency)) in cases {
        let expected = json!({"place": place, "region": region, "date": date, "agency": agency});
        let annotations = extract(text, Some("2017-12-10"));
        assert_eq!(annotations[0], found("DATELINE", 0, opening.len(), opening, Some(expected)));
    }
}

#[test]
fn place_and_region_are_locations() {
    assert_eq!(
        extract("SAN JUAN, Puerto Rico, March 3 (AP) -- A", None),
        [
            found(
                "DATELINE",
                0,
                38,
                "SAN JUAN, Puerto Rico, March 3 (AP) --",
                Some(json!({
                    "place": "SAN JUAN", "region": "Puerto Rico", "date": "XXXX-03-03",
                    "agency": "AP"
                })),
            ),
            found("LOC", 0, 8, "SAN JUAN", None),
            found("LOC", 10, 21, "Puerto Rico", None),
        ]
    );
}

#[test]
fn the_year_rolls_over_to_the_closest_one() {
    let date = |text, dct| value(text, Some(dct)).unwrap()["date"].clone();
    assert_eq!(date("TRIPOLI, Dec. 30 (Xinhua) --", "2018-01-02"), "2017-12-30");
    assert_eq!(date("TRIPOLI, Jan. 2 (Xinhua) --", "2017-12-30"), "2018-01-02");
    assert_eq!(date("TRIPOLI, Dec. 9 (Xinhua) --", "2017-12-10"), "2017-12-09");
    assert_eq!(date("TRIPOLI, July 7 (Xinhua) --", "2018-07-08"), "2018-07-07");
}

#[test]
fn a_place_beyond_ascii() {
    let text = "SÃO PAULO, Brazil (Reuters) - A";
    assert_eq!(
        extract(text, None),
        [
            found(
                "DATELINE",
                0,
                30,
                "SÃO PAULO, Brazil (Reuters) -",
                Some(json!({
                    "place": "SÃO PAULO", "region": "Brazil", "date": null, "agency": "Reuters"
                })),
            ),
            found("LOC", 0, 10, "SÃO PAULO", None),
            found("LOC", 12, 18, "Brazil", None),
        ]
    );
}

#[test]
fn prose_is_not_a_dateline() {
    for text in [
        "NATO said on Monday that it would",
        "THE END",
        "US (AP) officials said",
        "WHO (World Health Organization) said on Monday",
        "UN-backed forces took the town",
        "PARIS, the capital of France, is",
        "US - China trade talks resumed",
        "I — the narrator — was there",
        "BREAKING: a storm",
        "Tripoli, Dec. 9 (Xinhua) -- lower case",
        "TRIPOLI,",
        "TRIPOLI, ",
        "(",
        "",
        "\n\n\n",
    ] {
        assert_eq!(extract(text, Some("2017-12-10")), [], "{text}");
    }
}

#[test]
fn only_the_first_paragraphs_are_looked_at() {
    let late = "One.\n\nTwo.\nThree.\n\nLONDON (Reuters) - Four.";
    assert_eq!(extract(late, None), []);
    let mut document = Document::new("late", late);
    let four = extractor(DatelineOptions { max_paragraphs: 4, ..DatelineOptions::default() });
    assert_eq!(run(&four, &mut document)[0].3, "LONDON (Reuters) -");

    // Only a paragraph's start counts, and the first dateline wins.
    assert_eq!(extract("Said in LONDON (Reuters) - today", None), []);
    let two = "  LONDON (Reuters) - One.\nPARIS (AFP) - Two.";
    let first = &extract(two, None)[0];
    assert_eq!((first.1, first.2, first.3.as_str()), (2, 20, "LONDON (Reuters) -"));
}

#[test]
fn the_header_is_not_the_body() {
    let mut document = Document::new("h", "WASHINGTON — header\nThe body.");
    document.header = Some(Span::new(0, 21));
    assert_eq!(run(&DatelineExtractor::default(), &mut document), []);
}

#[test]
fn an_invalid_date_is_null_not_a_failure() {
    for (text, dct) in [
        ("TRIPOLI, Feb. 31 (Xinhua) --", None),
        ("TRIPOLI, Feb. 31 (Xinhua) --", Some("2017-12-10")),
        ("TRIPOLI, Feb. 29 (Xinhua) --", Some("2017-12-10")),
        ("TRIPOLI, Sept. 0 (Xinhua) --", Some("2017-12-10")),
        ("TRIPOLI, Feb. 29, 2017 (Xinhua) --", None),
    ] {
        let value = value(text, dct).unwrap();
        assert_eq!(value["date"], Value::Null, "{text}");
        assert_eq!(value["place"], "TRIPOLI", "{text}");
    }
    assert_eq!(value("TRIPOLI, Feb. 29 (Xinhua) --", None).unwrap()["date"], "XXXX-02-29");
    assert_eq!(
        value("TRIPOLI, Feb. 29 (Xinhua) --", Some("2016-03-01")).unwrap()["date"],
        "2016-02-29"
    );
}

#[test]
fn places_can_be_left_out() {
    let options = DatelineOptions { emit_places: false, ..DatelineOptions::default() };
    let mut document = Document::new("d", "NAIROBI, Kenya (AP) — Police");
    let labels: Vec<String> =
        run(&extractor(options), &mut document).into_iter().map(|found| found.0).collect();
    assert_eq!(labels, ["DATELINE"]);
}

#[test]
fn options_are_checked_when_the_extractor_is_built() {
    let mut registry = Registry::new();
    registry.add_extractor::<DatelineExtractor>();
    let kind = registry.extractor("dateline").unwrap();
    let context = BuildContext::new(".", "dateline");
    let options = |value: Value| value.as_object().cloned().unwrap();
    assert!(kind.build(options(json!({})), &context).is_ok());
    assert!(
        kind.build(options(json!({"max_paragraphs": 5, "emit_places": false})), &context).is_ok()
    );
    let messages = |value| -> Vec<String> {
        let errors = kind.build(options(value), &context).err().unwrap();
        errors.iter().map(ToString::to_string).collect()
    };
    assert_eq!(
        messages(json!({"max_paragraph": 2})),
        ["unknown key `max_paragraph`; did you mean `max_paragraphs`?"]
    );
    assert_eq!(
        messages(json!({"max_paragraphs": 0})),
        ["key `max_paragraphs`: must be at least 1"]
    );
    assert_eq!(
        messages(json!({"emit_places": "yes"})),
        ["key `emit_places`: invalid type: string \"yes\", expected a boolean"]
    );
}

/// Every span of every annotation slices the text, on any input; a small
/// deterministic fuzz over the characters the grammar cares about.
#[test]
fn spans_always_slice_and_nothing_panics() {
    let pieces = [
        "TRIPOLI", "SÃO", " ", ",", ", ", "(", ")", "Xinhua", "Dec.", "9", "31", "--", "—", "-",
        "\n", "\r\n", "é", "ST.", "Kenya", "'", "’", "\u{a0}", "2017", "日本", "A", "",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut matched = 0;
    for _ in 0..20_000 {
        let length = next() % 12;
        let text: String =
            (0..length).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
        let mut document = Document::new("fuzz", text.clone());
        if next() % 2 == 0 {
            document.date = Some("2017-12-10".parse().unwrap());
        }
        for found in run(&DatelineExtractor::default(), &mut document) {
            assert!(text.get(found.1..found.2).is_some(), "{text:?}");
            assert!(!found.3.is_empty() && !found.3.ends_with(' '), "{text:?}");
            matched += 1;
        }
    }
    assert!(matched > 0, "the fuzz should hit some datelines");
}
