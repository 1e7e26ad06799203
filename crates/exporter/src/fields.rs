//! The typed columns that the tabular exporters (`parquet`, `sqlite`) pull
//! out of an annotation's `value` and `attrs`, so that a query can filter
//! on a currency or a TIMEX3 value without parsing JSON.

use document::{Annotation, Map, Value};

/// The well-known fields of one annotation, where it has them. Every field
/// is also in the `value`/`attrs` JSON text beside it; these columns are a
/// convenience, never the only copy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TypedFields<'a> {
    /// `value.amount` of `MONEY`, `QUANTITY` and `PERCENT`: an exact decimal
    /// string (`"41180000"`), never a float, so no digit is lost.
    pub amount: Option<String>,
    /// `value.currency`: an ISO 4217 code (`"USD"`).
    pub currency: Option<&'a str>,
    /// `value.unit` of a `QUANTITY` (`"km"`) or `"pp"` for percentage points.
    pub unit: Option<&'a str>,
    /// The TIMEX3 value of a time (`"2017-12-09"`, `"P3D"`): the `value`
    /// itself when it is a JSON string.
    pub timex: Option<&'a str>,
    /// `value.speaker` (or `attrs.speaker`) of a `QUOTE`.
    pub speaker: Option<&'a str>,
    /// `lat`/`lon` (or `latitude`/`longitude`) of a place, from `value` or
    /// `attrs`, as numbers or numeric strings.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl<'a> TypedFields<'a> {
    pub fn of(annotation: &'a Annotation) -> TypedFields<'a> {
        let mut fields = TypedFields::default();
        let object = match &annotation.value {
            Some(Value::String(timex)) => {
                fields.timex = Some(timex.as_str());
                None
            }
            Some(Value::Object(object)) => Some(object),
            _ => None,
        };
        let attrs = annotation.attrs.as_ref();
        if let Some(object) = object {
            fields.amount = object.get("amount").and_then(decimal);
            fields.currency = object.get("currency").and_then(Value::as_str);
            fields.unit = object.get("unit").and_then(Value::as_str);
        }
        fields.speaker = lookup(object, attrs, &["speaker"]).and_then(Value::as_str);
        fields.lat = lookup(object, attrs, &["lat", "latitude"]).and_then(number);
        fields.lon = lookup(object, attrs, &["lon", "longitude"]).and_then(number);
        fields
    }
}

/// The first of `keys` present in `value`, else in `attrs`.
fn lookup<'a>(
    value: Option<&'a Map<String, Value>>,
    attrs: Option<&'a Map<String, Value>>,
    keys: &[&str],
) -> Option<&'a Value> {
    [value, attrs]
        .into_iter()
        .flatten()
        .flat_map(|map| keys.iter().filter_map(|key| map.get(*key)))
        .find(|found| !found.is_null())
}

/// A decimal string as given, or a JSON number's shortest text.
fn decimal(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok().filter(|float: &f64| float.is_finite()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{Span, json};

    #[test]
    fn money_time_quote_and_place() {
        let money = Annotation::new("MONEY", Span::new(0, 1))
            .with_value(json!({"amount": "41180000", "currency": "USD"}));
        let fields = TypedFields::of(&money);
        assert_eq!(fields.amount.as_deref(), Some("41180000"));
        assert_eq!(fields.currency, Some("USD"));
        assert_eq!(fields.timex, None);

        let time = Annotation::new("DATE", Span::new(0, 1)).with_value("2017-12-09");
        assert_eq!(TypedFields::of(&time).timex, Some("2017-12-09"));

        let quote = Annotation::new("QUOTE", Span::new(0, 1))
            .with_value(json!({"speaker": "Serraj"}))
            .with_attr("speaker", "ignored: value first");
        assert_eq!(TypedFields::of(&quote).speaker, Some("Serraj"));

        let place = Annotation::new("LOC", Span::new(0, 1))
            .with_attr("lat", 32.89)
            .with_attr("longitude", "13.18");
        let fields = TypedFields::of(&place);
        assert_eq!((fields.lat, fields.lon), (Some(32.89), Some(13.18)));

        let quantity = Annotation::new("QUANTITY", Span::new(0, 1))
            .with_value(json!({"amount": 500, "unit": "km", "currency": null}));
        let fields = TypedFields::of(&quantity);
        assert_eq!(fields.amount.as_deref(), Some("500"));
        assert_eq!((fields.unit, fields.currency), (Some("km"), None));
    }
}
