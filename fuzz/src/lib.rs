//! What every fuzz target checks: not just "no panic" but the invariants
//! the output contract promises. Components are built once, through the
//! same registry the runner uses, with their default options.

use std::sync::{Mutex, OnceLock};

use document::{BuildContext, Date, Document, Extractor, Map, Reader, Tokenizer, Value};

fn registry() -> &'static document::Registry {
    static REGISTRY: OnceLock<document::Registry> = OnceLock::new();
    REGISTRY.get_or_init(pipeline::builtin_registry)
}

fn context() -> BuildContext {
    BuildContext::new(std::env::temp_dir(), "fuzz")
}

fn tokenizer() -> &'static dyn Tokenizer {
    static TOKENIZER: OnceLock<Box<dyn Tokenizer>> = OnceLock::new();
    TOKENIZER
        .get_or_init(|| {
            let kind = registry().tokenizer("news").expect("the news tokenizer is registered");
            kind.build(Map::new(), &context()).unwrap_or_else(|errors| panic!("{errors:?}"))
        })
        .as_ref()
}

/// The extractor `kind`, built on first use and kept: only the kinds a
/// target runs are built (loading every model and gazetteer under the
/// sanitizer would take longer than libFuzzer's per-input timeout).
fn extractor(kind: &str) -> &'static dyn Extractor {
    static BUILT: Mutex<Vec<(String, &'static dyn Extractor)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, extractor)) = built.iter().find(|(name, _)| name == kind) {
        return *extractor;
    }
    let Some(registered) = registry().extractor(kind) else { panic!("no extractor `{kind}`") };
    let extractor: Box<dyn Extractor> = registered
        .build(options_for(kind), &context())
        .unwrap_or_else(|errors| panic!("cannot build `{kind}`: {errors:?}"));
    let extractor: &'static dyn Extractor = Box::leak(extractor);
    built.push((kind.to_string(), extractor));
    extractor
}

/// Options for kinds that cannot be built without any: `patterns` with
/// terms and a pattern of each element type.
fn options_for(kind: &str) -> Map<String, Value> {
    let options = match kind {
        "patterns" => serde_json::json!({
            "label": "WATCH",
            "terms": ["Acme", "United Nations", "Serraj", "35 million"],
            "patterns": [
                "{PER} [lower=/said|told|added/]",
                "[is_title]+ [text=/Inc\\.?|Corp\\.?|Ltd/]?",
                "[is_digit] ([lower=\"million\"]|[lower=\"billion\"])? [shape=/x+/]{1,3}"
            ]
        }),
        _ => serde_json::json!({}),
    };
    options.as_object().cloned().unwrap_or_default()
}

/// Extractors that must run before `kind`, as in a pipeline.
fn prerequisites(kind: &str) -> &'static [&'static str] {
    match kind {
        "dateline" => &[],
        "entities" => &["dateline", "ner"],
        "quotes" => &["dateline", "ner", "entities"],
        "patterns" => &["dateline", "ner"],
        _ => &["dateline"],
    }
}

/// The first four bytes choose the document date (or none); the rest,
/// decoded lossily, is the text.
fn document_from(data: &[u8]) -> Document {
    let (head, rest) = data.split_at(data.len().min(4));
    let mut document = Document::new("fuzz", String::from_utf8_lossy(rest).into_owned());
    if let [flags, year, month, day] = *head {
        if flags & 1 == 1 {
            let year = 1900 + i32::from(year) + i32::from(flags >> 1) * 10;
            document.date = Date::new(year, 1 + month % 12, 1 + day % 31);
        }
    }
    document
}

fn check_tokens(document: &Document) {
    let text = &document.text;
    let mut previous_end = 0;
    for token in &document.tokens {
        token.span.check(text).unwrap_or_else(|error| panic!("token {token:?}: {error}"));
        assert!(token.span.start < token.span.end, "empty token {token:?}");
        assert!(token.span.start >= previous_end, "tokens overlap or go back at {token:?}");
        previous_end = token.span.end;
    }
    let mut previous_tokens_end = 0;
    for sentence in &document.sentences {
        sentence.span.check(text).unwrap_or_else(|error| panic!("sentence {sentence:?}: {error}"));
        assert!(sentence.tokens.start <= sentence.tokens.end, "{sentence:?}");
        assert!(sentence.tokens.end <= document.tokens.len(), "{sentence:?}");
        assert!(sentence.tokens.start >= previous_tokens_end, "sentences overlap: {sentence:?}");
        previous_tokens_end = sentence.tokens.end;
        for token in &document.tokens[sentence.tokens.clone()] {
            assert!(
                sentence.span.start <= token.span.start && token.span.end <= sentence.span.end,
                "{token:?} outside {sentence:?}"
            );
        }
    }
}

/// `"35000000"`, `"-0.5"`, `"1.25"`: an exact decimal number.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|byte| byte.is_ascii_digit())
        && fraction.bytes().all(|byte| byte.is_ascii_digit())
}

fn all(text: &str, accept: impl Fn(u8) -> bool) -> bool {
    !text.is_empty() && text.bytes().all(accept)
}

fn digits_or_x(text: &str) -> bool {
    all(text, |byte| byte.is_ascii_digit() || byte == b'X')
}

/// A TIMEX3 `value` (TimeML 1.2.1): a reference, a duration, or a date or
/// time with optional unspecified (`X`) parts.
pub fn is_timex_value(value: &str) -> bool {
    if matches!(value, "PRESENT_REF" | "PAST_REF" | "FUTURE_REF") {
        return true;
    }
    if let Some(rest) = value.strip_prefix('P') {
        return is_duration(rest);
    }
    if let Some(time) = value.strip_prefix('T') {
        return is_time_of_day(time);
    }
    let (date, time) = value.split_once('T').unwrap_or((value, ""));
    is_date(date) && (value.len() == date.len() || is_time_of_day(time))
}

fn is_duration(rest: &str) -> bool {
    let (date_part, time_part) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let units_ok = |part: &str, units: &[&str]| -> bool {
        let mut remaining = part;
        while !remaining.is_empty() {
            let number_len = remaining
                .bytes()
                .take_while(|byte| byte.is_ascii_digit() || *byte == b'X' || *byte == b'.')
                .count();
            if number_len == 0 {
                return false;
            }
            remaining = &remaining[number_len..];
            match units.iter().find(|unit| remaining.starts_with(**unit)) {
                Some(unit) => remaining = &remaining[unit.len()..],
                None => return false,
            }
        }
        true
    };
    (!date_part.is_empty() || time_part.is_some())
        && units_ok(date_part, &["DE", "CE", "ML", "Y", "Q", "M", "W", "D", "L", "C", "E"])
        && time_part.is_none_or(|time| !time.is_empty() && units_ok(time, &["H", "M", "S"]))
}

fn is_time_of_day(time: &str) -> bool {
    if matches!(time, "MO" | "MI" | "AF" | "EV" | "NI" | "DT") {
        return true;
    }
    let parts: Vec<&str> = time.split(':').collect();
    !parts.is_empty()
        && parts.len() <= 3
        && parts.iter().all(|part| {
            let whole = part.split('.').next().unwrap_or(part);
            whole.len() == 2 && digits_or_x(whole)
        })
}

fn is_date(date: &str) -> bool {
    let mut parts = date.split('-');
    let year = parts.next().unwrap_or("");
    // Years, decades (`199`), centuries (`19`), with X for unknown digits.
    if !(2..=4).contains(&year.len()) || !digits_or_x(year) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        [] => true,
        [second] => {
            (second.len() == 2 && digits_or_x(second))
                || matches!(*second, "SP" | "SU" | "FA" | "WI" | "H1" | "H2" | "HX")
                || second.strip_prefix('Q').is_some_and(|quarter| {
                    quarter.len() == 1 && all(quarter, |byte| b"1234X".contains(&byte))
                })
                || second.strip_prefix('W').is_some_and(|week| week.len() == 2 && digits_or_x(week))
        }
        [second, third] => {
            if let Some(week) = second.strip_prefix('W') {
                week.len() == 2
                    && digits_or_x(week)
                    && (*third == "WE"
                        || (third.len() == 1 && all(third, |byte| b"1234567X".contains(&byte))))
            } else {
                second.len() == 2 && digits_or_x(second) && third.len() == 2 && digits_or_x(third)
            }
        }
        _ => false,
    }
}

fn check_value(label: &str, value: Option<&Value>, context: &str) {
    match label {
        "DATE" | "TIME" | "DURATION" | "SET" => {
            let value = value.and_then(Value::as_str);
            assert!(value.is_some_and(is_timex_value), "{label} value {value:?} in {context}");
        }
        "MONEY" => {
            let amount = value.and_then(|value| value["amount"].as_str());
            assert!(amount.is_some_and(is_decimal), "MONEY amount {amount:?} in {context}");
            // `null` where the name is ambiguous (`two shillings`, `30
            // dinars`; docs/measures.md), else an ISO 4217 code.
            let currency = value.map(|value| &value["currency"]);
            let valid = match currency {
                Some(Value::Null) => true,
                Some(Value::String(code)) => iso_currency::Currency::from_code(code).is_some(),
                _ => false,
            };
            assert!(valid, "MONEY currency {currency:?} in {context}");
        }
        "QUANTITY" | "PERCENT" => {
            let amount = value.and_then(|value| value["amount"].as_str());
            assert!(amount.is_some_and(is_decimal), "{label} amount {amount:?} in {context}");
        }
        _ => {}
    }
}

fn check_annotations(document: &Document) {
    for annotation in &document.annotations {
        annotation
            .span
            .check(&document.text)
            .unwrap_or_else(|error| panic!("{annotation:?}: {error}"));
        assert!(annotation.span.start < annotation.span.end, "empty annotation {annotation:?}");
        let label = annotation.label.as_str();
        assert!(
            !label.is_empty()
                && label.bytes().all(|byte| byte.is_ascii_uppercase() || byte == b'_'),
            "label {label:?}"
        );
        let context = format!("{:?}", document.slice(annotation.span));
        check_value(label, annotation.value.as_ref(), &context);
    }
}

pub fn check_tokenizer(data: &[u8]) {
    let mut document = document_from(data);
    if tokenizer().tokenize(&mut document).is_ok() {
        check_tokens(&document);
    }
}

pub fn check_extractor(kind: &str, data: &[u8]) {
    let mut document = document_from(data);
    if tokenizer().tokenize(&mut document).is_err() {
        return;
    }
    for before in prerequisites(kind) {
        let _ = extractor(before).extract(&mut document);
    }
    let before = document.annotations.len();
    if extractor(kind).extract(&mut document).is_ok() {
        check_annotations(&document);
        assert!(document.annotations.len() >= before, "{kind} removed annotations");
    }
}

/// Writes `data` to a file of the reader's extension and reads it back.
pub fn check_reader(kind: &str, data: &[u8]) {
    let extension = match kind {
        "timeml" => "tml",
        "conll" => "conll",
        "jsonl" => "jsonl",
        _ => "txt",
    };
    let folder = std::env::temp_dir().join(format!("dateline-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&folder);
    let path = folder.join(format!("input.{extension}"));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let mut options = Map::new();
    options.insert("path".into(), Value::String(path.display().to_string()));
    let Some(reader_kind) = registry().reader(kind) else { panic!("no reader `{kind}`") };
    let reader: Box<dyn Reader> = match reader_kind.build(options, &context()) {
        Ok(reader) => reader,
        Err(errors) => panic!("the {kind} reader refused its file: {errors:?}"),
    };
    let Ok(stream) = reader.open() else { return };
    for item in stream {
        let Ok(document) = item else { continue };
        // Whatever was read is a valid document: header and tokens inside it.
        if let Some(header) = document.header {
            header.check(&document.text).unwrap_or_else(|error| panic!("header: {error}"));
        }
        check_tokens(&document);
        check_annotations(&document);
    }
}

/// Arbitrary TOML through the loader: errors are fine, panics are not,
/// and every error names the file.
pub fn check_pipeline_toml(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let path = std::env::temp_dir().join("fuzz-pipeline.toml");
    let file = path.display().to_string();
    let check = |errors: &pipeline::ConfigErrors| {
        for error in &errors.0 {
            let shown = error.to_string();
            assert!(shown.starts_with(&file), "an error without its file: {shown}");
        }
    };
    if let Err(errors) = pipeline::load_tests_str(source, &path, registry()) {
        check(&errors);
    }
    // The full loader also builds readers and exporters (which create no
    // file when built).
    if let Err(errors) = pipeline::load_str(source, &path, registry()) {
        check(&errors);
    }
}
