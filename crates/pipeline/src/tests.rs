//! Tests written inside a pipeline file: `[[test]]` tables.
//!
//! A test names a text (and optionally its document date), the
//! annotations the pipeline must produce on it (`expect`) and those it must
//! not (`reject`). [`Pipeline::run_tests`] runs the configured tokenizer and
//! extractors on each text, without the reader or the exporters, and
//! returns what matched and what did not; it never prints.

use std::fmt;

use document::{Date, Document, Extractor, Tokenizer, Value};

use crate::config::{Named, Pipeline, TestPipeline};
use crate::executor::{Failed, process};

/// One `[[test]]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineTest {
    pub name: String,
    /// 1-based line of the table in the pipeline file.
    pub line: usize,
    pub text: String,
    pub date: Option<Date>,
    pub expect: Vec<Expectation>,
    pub reject: Vec<Expectation>,
}

/// An annotation described in a test: `{label, text, value?}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub label: String,
    pub text: String,
    /// When given, the annotation's value must equal it (as JSON).
    pub value: Option<Value>,
}

impl Expectation {
    /// Whether `annotation` on `document` is the one described.
    pub fn matches(&self, label: &str, text: &str, value: Option<&Value>) -> bool {
        label == self.label
            && text == self.text
            && match &self.value {
                None => true,
                Some(expected) => json_equal(expected, value.unwrap_or(&Value::Null)),
            }
    }
}

/// `DATE "next week" = "2017-W50"`; the value in compact JSON.
impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.label, quoted(&self.text))?;
        if let Some(value) = &self.value {
            write!(f, " = {value}")?;
        }
        Ok(())
    }
}

/// The text as a JSON string, so that quotes and line breaks stay visible.
fn quoted(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

/// JSON equality where numbers compare by value (`1` equals `1.0`, as TOML
/// integers and floats may stand for either).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || matches!((x.as_f64(), y.as_f64()), (Some(x), Some(y)) if x == y)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(key, x)| y.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

/// What one test found.
#[derive(Clone, Debug, PartialEq)]
pub struct TestOutcome {
    pub name: String,
    pub line: usize,
    /// `expect` entries that nothing produced matched.
    pub missing: Vec<Expectation>,
    /// `reject` entries that a produced annotation matched.
    pub unexpected: Vec<Expectation>,
    /// Every annotation produced with a label of a missing or unexpected
    /// entry, in document order, to show what came out instead.
    pub produced: Vec<Expectation>,
    /// The tokenizer or an extractor failed on the text.
    pub error: Option<String>,
}

impl TestOutcome {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.missing.is_empty() && self.unexpected.is_empty()
    }
}

impl Pipeline {
    /// Runs every `[[test]]` of the file through the tokenizer and the
    /// extractors, in file order.
    pub fn run_tests(&self) -> Vec<TestOutcome> {
        run_all(&self.tests, &self.tokenizer, &self.extractors)
    }
}

impl TestPipeline {
    /// Like [`Pipeline::run_tests`], for a pipeline loaded without its
    /// reader and exporters.
    pub fn run_tests(&self) -> Vec<TestOutcome> {
        run_all(&self.tests, &self.tokenizer, &self.extractors)
    }
}

fn run_all(
    tests: &[PipelineTest],
    tokenizer: &Named<dyn Tokenizer>,
    extractors: &[Named<dyn Extractor>],
) -> Vec<TestOutcome> {
    tests.iter().map(|test| run_one(test, tokenizer, extractors)).collect()
}

fn run_one(
    test: &PipelineTest,
    tokenizer: &Named<dyn Tokenizer>,
    extractors: &[Named<dyn Extractor>],
) -> TestOutcome {
    let mut outcome = TestOutcome {
        name: test.name.clone(),
        line: test.line,
        missing: Vec::new(),
        unexpected: Vec::new(),
        produced: Vec::new(),
        error: None,
    };
    let mut document = Document::new(test.name.clone(), test.text.clone());
    document.source = format!("test \"{}\"", test.name);
    document.date = test.date;
    let watch = crate::workers::Watch::default();
    let document = match process(document, tokenizer, extractors, &watch) {
        Ok(document) => document,
        Err(failed) => {
            let Failed { failure, .. } = *failed;
            outcome.error = Some(format!("failed in {}: {}", failure.stage, failure.error));
            return outcome;
        }
    };
    let found = |expectation: &Expectation| {
        document.annotations.iter().any(|annotation| {
            expectation.matches(
                &annotation.label,
                document.slice(annotation.span),
                annotation.value.as_ref(),
            )
        })
    };
    outcome.missing = test.expect.iter().filter(|wanted| !found(wanted)).cloned().collect();
    outcome.unexpected = test.reject.iter().filter(|unwanted| found(unwanted)).cloned().collect();
    let labels: Vec<&str> = outcome
        .missing
        .iter()
        .chain(&outcome.unexpected)
        .map(|expectation| expectation.label.as_str())
        .collect();
    outcome.produced = document
        .annotations
        .iter()
        .filter(|annotation| labels.contains(&annotation.label.as_str()))
        .map(|annotation| Expectation {
            label: annotation.label.clone(),
            text: document.slice(annotation.span).to_string(),
            value: annotation.value.clone(),
        })
        .collect();
    outcome
}

#[cfg(test)]
mod unit {
    use super::*;
    use document::json;

    fn expectation(label: &str, text: &str, value: Option<Value>) -> Expectation {
        Expectation { label: label.into(), text: text.into(), value }
    }

    #[test]
    fn label_text_and_value_must_all_agree() {
        let money = json!({"amount": "35000000", "currency": "EUR"});
        let wanted = expectation("MONEY", "35 million euros", Some(money.clone()));
        assert!(wanted.matches("MONEY", "35 million euros", Some(&money)));
        assert!(!wanted.matches("MONEY", "35 million euro", Some(&money)));
        assert!(!wanted.matches("QUANTITY", "35 million euros", Some(&money)));
        let other = json!({"amount": "35000000", "currency": "USD"});
        assert!(!wanted.matches("MONEY", "35 million euros", Some(&other)));
        assert!(!wanted.matches("MONEY", "35 million euros", None));
        let any_value = expectation("MONEY", "35 million euros", None);
        assert!(any_value.matches("MONEY", "35 million euros", Some(&other)));
        assert!(any_value.matches("MONEY", "35 million euros", None));
    }

    #[test]
    fn strings_compare_with_strings_and_numbers_by_value() {
        assert!(json_equal(&json!("2017-W50"), &json!("2017-W50")));
        assert!(!json_equal(&json!("2017"), &json!(2017)));
        assert!(json_equal(&json!({"n": 1, "x": [2.0]}), &json!({"x": [2], "n": 1.0})));
        assert!(!json_equal(&json!({"n": 1}), &json!({"n": 1, "extra": null})));
        assert!(!json_equal(&json!([1, 2]), &json!([2, 1])));
    }

    #[test]
    fn expectations_print_as_diff_lines() {
        assert_eq!(
            expectation("DATE", "next week", Some(json!("2017-W50"))).to_string(),
            "DATE \"next week\" = \"2017-W50\""
        );
        assert_eq!(
            expectation("MONEY", "say \"x\"", Some(json!({"currency": "EUR", "amount": "5"})))
                .to_string(),
            "MONEY \"say \\\"x\\\"\" = {\"amount\":\"5\",\"currency\":\"EUR\"}"
        );
        assert_eq!(expectation("PER", "Serraj", None).to_string(), "PER \"Serraj\"");
    }
}
