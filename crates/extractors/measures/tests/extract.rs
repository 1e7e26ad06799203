//! The measures extractor through its public API, as the pipeline uses
//! it: the seed articles with exact byte spans and values, every written
//! form, the options, and a fuzz test.

use document::{Component, Document, Extractor, Registry, Span, Value, json};
use measures::{MeasuresExtractor, MeasuresOptions};

#[derive(Debug, PartialEq)]
struct Found {
    label: String,
    span: Span,
    text: String,
    value: Value,
    attrs: Value,
}

fn run(extractor: &MeasuresExtractor, text: &str) -> Vec<Found> {
    let mut document = Document::new("test", text);
    extractor.extract(&mut document).unwrap();
    document
        .annotations
        .iter()
        .map(|a| Found {
            label: a.label.clone(),
            span: a.span,
            text: document.slice(a.span).to_string(),
            value: a.value.clone().unwrap_or(Value::Null),
            attrs: a.attrs.clone().map(Value::Object).unwrap_or(Value::Null),
        })
        .collect()
}

fn extract(text: &str) -> Vec<Found> {
    run(&MeasuresExtractor::default(), text)
}

/// `(label, text, value)` of every annotation, for the form tests.
fn brief(text: &str) -> Vec<(String, String, Value)> {
    extract(text).into_iter().map(|f| (f.label, f.text, f.value)).collect()
}

fn money(text: &str, amount: &str, currency: &str) -> (String, String, Value) {
    ("MONEY".into(), text.into(), json!({"amount": amount, "currency": currency}))
}

fn quantity(text: &str, amount: &str, unit: Option<&str>) -> (String, String, Value) {
    ("QUANTITY".into(), text.into(), json!({"amount": amount, "unit": unit}))
}

fn percent(text: &str, amount: &str) -> (String, String, Value) {
    ("PERCENT".into(), text.into(), json!({"amount": amount}))
}

#[test]
fn seed_with_a_conversion_a_count_and_a_floor_price() {
    let text = include_str!("../../../../seeds/000_168fd1ce8330dd5c.txt");
    let found = extract(text);
    assert_eq!(
        found,
        [
            Found {
                label: "MONEY".into(),
                span: Span::new(235, 251),
                text: "35 million euros".into(),
                value: json!({"amount": "35000000", "currency": "EUR"}),
                attrs: Value::Null,
            },
            Found {
                label: "MONEY".into(),
                span: Span::new(253, 279),
                text: "41.18 million U.S. dollars".into(),
                value: json!({"amount": "41180000", "currency": "USD"}),
                attrs: json!({"equivalent_of": 0}),
            },
            Found {
                label: "QUANTITY".into(),
                span: Span::new(1058, 1071),
                text: "around 80,000".into(),
                value: json!({"amount": "80000", "unit": null}),
                attrs: json!({"approx": true, "mod": "APPROX"}),
            },
            Found {
                label: "MONEY".into(),
                span: Span::new(1999, 2023),
                text: "as little as 400 dollars".into(),
                value: json!({"amount": "400", "currency": "USD"}),
                attrs: json!({"approx": true, "mod": "EQUAL_OR_MORE"}),
            },
        ]
    );
}

#[test]
fn seed_with_a_distance() {
    let text = include_str!("../../../../seeds/004_19210f1ef9f6238c.txt");
    let found = extract(text);
    assert_eq!(
        found,
        [Found {
            label: "QUANTITY".into(),
            span: Span::new(807, 818),
            text: "some 500 km".into(),
            value: json!({"amount": "500", "unit": "km"}),
            attrs: json!({"approx": true, "mod": "APPROX"}),
        }]
    );
}

#[test]
fn conversions_point_at_the_annotation_they_convert() {
    // The index is the position in `Document::annotations`, so an
    // annotation added before by another extractor shifts it.
    let mut document = Document::new("d", "It paid £10m ($12.6m) and €5 (or $5.60).");
    document.annotate(document::Annotation::new("LOC", Span::new(0, 2))).unwrap();
    MeasuresExtractor::default().extract(&mut document).unwrap();
    let links: Vec<Option<&Value>> =
        document.annotations.iter().map(|a| a.attr("equivalent_of")).collect();
    assert_eq!(links, [None, None, Some(&json!(1)), None, Some(&json!(3))]);
    // The same currency twice is not a conversion.
    let found = extract("It costs $5 ($4 for members).");
    assert_eq!(found[1].attrs, Value::Null);
}

#[test]
fn amounts_with_separators_multipliers_and_words() {
    assert_eq!(
        brief("$80,000, $41.18, €1.234,5, 41.18 million euros, 1.5bn euros, $5m, $7 mn, 3k euros"),
        [
            money("$80,000", "80000", "USD"),
            money("$41.18", "41.18", "USD"),
            money("€1.234,5", "1234.5", "EUR"),
            money("41.18 million euros", "41180000", "EUR"),
            money("1.5bn euros", "1500000000", "EUR"),
            money("$5m", "5000000", "USD"),
            money("$7 mn", "7000000", "USD"),
            money("3k euros", "3000", "EUR"),
        ]
    );
    assert_eq!(
        brief("Rs 2 lakh and Rs. 3 crore; $1.2 trillion; a $5-million deal"),
        [
            money("Rs 2 lakh", "200000", "INR"),
            money("Rs. 3 crore", "30000000", "INR"),
            money("$1.2 trillion", "1200000000000", "USD"),
            money("$5-million", "5000000", "USD"),
        ]
    );
    assert_eq!(
        brief("three million dollars, a billion euros, half a million pounds, twenty-five dollars"),
        [
            money("three million dollars", "3000000", "USD"),
            money("a billion euros", "1000000000", "EUR"),
            money("half a million pounds", "500000", "GBP"),
            money("twenty-five dollars", "25", "USD"),
        ]
    );
    assert_eq!(
        brief("two hundred and fifty dollars, a quarter of a million euros"),
        [
            money("two hundred and fifty dollars", "250", "USD"),
            money("a quarter of a million euros", "250000", "EUR"),
        ]
    );
    // An ambiguous `1,5` is not read.
    assert_eq!(brief("1,5 euros"), []);
}

#[test]
fn currency_symbols_prefixes_and_codes() {
    assert_eq!(
        brief(
            "US$1, HK$2, A$3, C$4, NZ$5, S$6, R$7, £8, €9, ¥10, ₹11, Rs 12, USD 13, 14 EUR, 15m GBP"
        ),
        [
            money("US$1", "1", "USD"),
            money("HK$2", "2", "HKD"),
            money("A$3", "3", "AUD"),
            money("C$4", "4", "CAD"),
            money("NZ$5", "5", "NZD"),
            money("S$6", "6", "SGD"),
            money("R$7", "7", "BRL"),
            money("£8", "8", "GBP"),
            money("€9", "9", "EUR"),
            money("¥10", "10", "JPY"),
            money("₹11", "11", "INR"),
            money("Rs 12", "12", "INR"),
            money("USD 13", "13", "USD"),
            money("14 EUR", "14", "EUR"),
            money("15m GBP", "15000000", "GBP"),
        ]
    );
}

#[test]
fn currency_names_and_plurals() {
    assert_eq!(
        brief(
            "5 dollars, 6 U.S. dollars, 7 euros, 8 pounds sterling, 9 yuan, 10 renminbi, 11 RMB, \
             12 yen, 13 rupees, 14 rubles, 15 roubles, 16 Libyan dinars, 17 Swiss francs"
        ),
        [
            money("5 dollars", "5", "USD"),
            money("6 U.S. dollars", "6", "USD"),
            money("7 euros", "7", "EUR"),
            money("8 pounds sterling", "8", "GBP"),
            money("9 yuan", "9", "CNY"),
            money("10 renminbi", "10", "CNY"),
            money("11 RMB", "11", "CNY"),
            money("12 yen", "12", "JPY"),
            money("13 rupees", "13", "INR"),
            money("14 rubles", "14", "RUB"),
            money("15 roubles", "15", "RUB"),
            money("16 Libyan dinars", "16", "LYD"),
            money("17 Swiss francs", "17", "CHF"),
        ]
    );
    // Cents and pence are fractions of the main unit.
    assert_eq!(
        brief("50 cents, 20 pence, 5p"),
        [
            money("50 cents", "0.5", "USD"),
            money("20 pence", "0.2", "GBP"),
            money("5p", "0.05", "GBP")
        ]
    );
    // A head with no country has no currency, unless the document names
    // exactly one country (or currency adjective) with such a currency.
    let found = extract("They paid 30 dinars.");
    assert_eq!(found[0].value, json!({"amount": "30", "currency": null}));
    let kenya = brief("Kenya will borrow 100 billion shillings from local banks.");
    assert_eq!(kenya, [money("100 billion shillings", "100000000000", "KES")]);
    let swedish = brief("The Swedish group made 19bn kronor.");
    assert_eq!(swedish, [money("19bn kronor", "19000000000", "SEK")]);
    let two = extract("Jordan and Iraq paid 30 dinars.");
    assert_eq!(two[0].value, json!({"amount": "30", "currency": null}));
}

#[test]
fn a_bare_dollar_is_usd_unless_the_text_names_another_dollar() {
    assert_eq!(brief("It cost $5.")[0], money("$5", "5", "USD"));
    let australian = brief("The Australian dollar rose. The firm paid $300 million.");
    assert_eq!(australian, [money("$300 million", "300000000", "AUD")]);
    // Two other dollars, or the US dollar named too: USD.
    let mixed = brief("Canadian dollars and Australian dollars; it paid $3.");
    assert_eq!(mixed, [money("$3", "3", "USD")]);
    let named_us = brief("A$5 is worth 3 U.S. dollars; it paid $3.");
    assert_eq!(named_us[2], money("$3", "3", "USD"));
}

#[test]
fn modifiers_ranges_and_rates() {
    let found = extract("as little as 400 dollars, more than $5m, nearly 20 percent, about 3 km");
    let attrs: Vec<&Value> = found.iter().map(|f| &f.attrs).collect();
    assert_eq!(
        attrs,
        [
            &json!({"approx": true, "mod": "EQUAL_OR_MORE"}),
            &json!({"approx": true, "mod": "MORE_THAN"}),
            &json!({"approx": true, "mod": "LESS_THAN"}),
            &json!({"approx": true, "mod": "APPROX"}),
        ]
    );
    let found = extract("between 3 and 5 million dollars, $3m-$5m, 3-4 percent, 10 to 12 km");
    let ranges: Vec<(&str, &Value, &Value)> =
        found.iter().map(|f| (f.text.as_str(), &f.value["amount"], &f.attrs["range"])).collect();
    assert_eq!(
        ranges,
        [
            (
                "between 3 and 5 million dollars",
                &json!("3000000"),
                &json!({"min": "3000000", "max": "5000000"})
            ),
            ("$3m-$5m", &json!("3000000"), &json!({"min": "3000000", "max": "5000000"})),
            ("3-4 percent", &json!("3"), &json!({"min": "3", "max": "4"})),
            ("10 to 12 km", &json!("10"), &json!({"min": "10", "max": "12"})),
        ]
    );
    let found = extract("$50-100,000, 5-10,000 people, 500-1,000 tonnes");
    let ranges: Vec<&Value> = found.iter().map(|f| &f.attrs["range"]).collect();
    assert_eq!(
        ranges,
        [
            &json!({"min": "50000", "max": "100000"}),
            &json!({"min": "5000", "max": "10000"}),
            &json!({"min": "500", "max": "1000"}),
        ]
    );
    let found = extract("$5 a barrel, 400 dollars each, $2 per share, $90/tonne");
    let rates: Vec<(&str, &Value)> =
        found.iter().map(|f| (f.text.as_str(), &f.attrs["per"])).collect();
    assert_eq!(
        rates,
        [
            ("$5", &json!("barrel")),
            ("400 dollars", &json!("each")),
            ("$2", &json!("share")),
            ("$90", &json!("tonne")),
        ]
    );
    // A movement between two full prices is two amounts, not a range.
    assert_eq!(
        brief("Oil fell $2.10 to $78.45."),
        [money("$2.10", "2.1", "USD"), money("$78.45", "78.45", "USD")]
    );
    // Regression: `a year ago` places an amount in time; it is no rate.
    let found = extract("Profit was $5m, up from $4m a year ago and $3m a year earlier.");
    assert!(found.iter().all(|f| f.attrs.get("per").is_none()), "{found:?}");
    assert_eq!(found.len(), 3);
}

#[test]
fn quantities() {
    assert_eq!(
        brief(
            "3,000 troops, 500 km, 1.2 million barrels per day, 600 megawatts, 45 degrees Celsius"
        ),
        [
            quantity("3,000 troops", "3000", Some("troops")),
            quantity("500 km", "500", Some("km")),
            quantity("1.2 million barrels per day", "1200000", Some("bbl/d")),
            quantity("600 megawatts", "600", Some("MW")),
            quantity("45 degrees Celsius", "45", Some("°C")),
        ]
    );
    assert_eq!(
        brief("200 square kilometres, 40,000 tonnes, 3,000 U.S. troops, some 100,000 marched"),
        [
            quantity("200 square kilometres", "200", Some("km2")),
            quantity("40,000 tonnes", "40000", Some("t")),
            quantity("3,000 U.S. troops", "3000", Some("troops")),
            quantity("some 100,000", "100000", None),
        ]
    );
}

#[test]
fn percentages() {
    assert_eq!(
        brief("5 percent, 5%, five per cent, a 3.2-percent rise, 8 pct"),
        [
            percent("5 percent", "5"),
            percent("5%", "5"),
            percent("five per cent", "5"),
            percent("3.2-percent", "3.2"),
            percent("8 pct", "8"),
        ]
    );
    let points = brief("up 5 percentage points, half a percentage point");
    assert_eq!(
        points,
        [
            ("PERCENT".into(), "5 percentage points".into(), json!({"amount": "5", "unit": "pp"})),
            (
                "PERCENT".into(),
                "half a percentage point".into(),
                json!({"amount": "0.5", "unit": "pp"})
            ),
        ]
    );
}

#[test]
fn not_measures() {
    for text in [
        "In 2015 the score was 2-1.",
        "at 10:30 a.m. on Dec. 9",
        "call 555-0134",
        "the 42-year-old",
        "his 3rd try",
        "about 10 a.m.",
        "some 30 years ago",
        "around 1990",
        "a million reasons",
        "The team won 3-1.",
        "",
        "$",
        "5",
        "between 5 and",
        "US$",
        "half a",
        "She ran over 10,000m in training.",
        "more than 2bn.",
    ] {
        assert_eq!(brief(text), [], "{text}");
    }
}

#[test]
fn the_header_is_not_read() {
    let mut document = Document::new("d", "Costs $5 header\nIt cost $7.");
    document.header = Some(Span::new(0, 16));
    MeasuresExtractor::default().extract(&mut document).unwrap();
    let spans: Vec<Span> = document.annotations.iter().map(|a| a.span).collect();
    assert_eq!(spans, [Span::new(24, 26)]);
}

#[test]
fn a_line_break_ends_an_expression() {
    assert_eq!(brief("It paid 5\ndollars."), []);
}

#[test]
fn options_switch_labels_off_and_are_checked() {
    let mut registry = Registry::new();
    registry.add_extractor::<MeasuresExtractor>();
    let kind = registry.extractor("measures").unwrap();
    let context = document::BuildContext::new(".", "measures");
    let options = json!({"money": false}).as_object().cloned().unwrap();
    let extractor = kind.build(options, &context).unwrap();
    let mut document = Document::new("d", "It paid $5 for 3 km, a 5% rise.");
    extractor.extract(&mut document).unwrap();
    let labels: Vec<&str> = document.annotations.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["QUANTITY", "PERCENT"]);

    let typo = json!({"mony": false}).as_object().cloned().unwrap();
    let errors = kind.build(typo, &context).err().unwrap();
    let error = format!("{errors:?}");
    assert!(error.contains("mony"), "{error}");

    let built = MeasuresExtractor::build(
        MeasuresOptions { money: true, quantities: false, percents: false },
        &context,
    )
    .unwrap();
    assert_eq!(run(&built, "5 km and 5%, $5").len(), 1);
}

/// Deterministic fuzz: random glue of the pieces the grammar cares about,
/// multi-byte characters and line breaks. Nothing may panic, and every
/// span must slice the text (`annotate` checks; an error would fail).
#[test]
fn fuzz_never_panics_and_spans_slice() {
    const PIECES: &[&str] = &[
        "$",
        "US",
        "HK",
        "£",
        "€",
        "¥",
        "₹",
        "Rs",
        ".",
        ",",
        "-",
        "–",
        "%",
        "(",
        ")",
        "/",
        " ",
        " ",
        "\n",
        "5",
        "41.18",
        "80,000",
        "1.234,5",
        "1,5",
        "0",
        "999999999999999999999999999999",
        "million",
        "m",
        "bn",
        "k",
        "lakh",
        "crore",
        "a",
        "half",
        "quarter",
        "of",
        "twenty",
        "five",
        "hundred",
        "and",
        "between",
        "from",
        "to",
        "around",
        "as",
        "little",
        "more",
        "than",
        "dollars",
        "U.S.",
        "euros",
        "pounds",
        "sterling",
        "Libyan",
        "dinars",
        "cents",
        "p",
        "percent",
        "per",
        "cent",
        "percentage",
        "points",
        "km",
        "square",
        "troops",
        "barrel",
        "each",
        "USD",
        "EUR",
        "é",
        "日本",
        "😀",
        "year",
        "-old",
    ];
    let mut state: u64 = 0x853c_49e6_748f_ea9b;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let extractor = MeasuresExtractor::default();
    for _ in 0..20_000 {
        let length = (next() % 14) as usize;
        let mut text = String::new();
        for _ in 0..length {
            text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            if next() % 3 == 0 {
                text.push(' ');
            }
        }
        let mut document = Document::new("fuzz", text.as_str());
        extractor.extract(&mut document).unwrap();
        for annotation in &document.annotations {
            assert!(text.get(annotation.span.start..annotation.span.end).is_some());
            let amount = annotation.value.as_ref().and_then(|v| v["amount"].as_str()).unwrap();
            assert!(!amount.is_empty() && amount.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
        }
    }
}
