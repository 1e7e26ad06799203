use serde_json::{Map, Value};

use crate::Span;

/// One fact found in a document: a labelled span, with an optional
/// normalised value and free-form attributes.
///
/// `extractor` is filled in by the pipeline with the configured name of the
/// extractor that produced the annotation, so plug-ins never set it.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// Upper-case label from the output contract: `PER`, `DATE`, `MONEY`, …
    pub label: String,
    pub span: Span,
    pub extractor: String,
    /// The normalised value (a TIMEX3 string, `{"amount", "currency"}`, …).
    pub value: Option<Value>,
    pub attrs: Option<Map<String, Value>>,
}

impl Annotation {
    pub fn new(label: impl Into<String>, span: Span) -> Self {
        Annotation { label: label.into(), span, extractor: String::new(), value: None, attrs: None }
    }

    pub fn with_value(mut self, value: impl Into<Value>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Sets one attribute, creating the attribute map on first use.
    pub fn with_attr(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set_attr(key, value);
        self
    }

    pub fn set_attr(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.attrs.get_or_insert_with(Map::new).insert(key.into(), value.into());
    }

    pub fn attr(&self, key: &str) -> Option<&Value> {
        self.attrs.as_ref()?.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builder_sets_value_and_attrs() {
        let annotation = Annotation::new("MONEY", Span::new(3, 9))
            .with_value(json!({"amount": "400", "currency": "USD"}))
            .with_attr("mod", "LESS_THAN");
        assert_eq!(annotation.label, "MONEY");
        assert_eq!(annotation.attr("mod"), Some(&json!("LESS_THAN")));
        assert_eq!(annotation.attr("approx"), None);
        assert_eq!(annotation.value, Some(json!({"amount": "400", "currency": "USD"})));
    }
}
