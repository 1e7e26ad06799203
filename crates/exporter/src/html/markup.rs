//! The small pieces every page is made of: escaping, label colours, the
//! readable form of an annotation's value, and the shared style sheet.

use document::{Annotation, Value};

/// Appends `text` with the five characters that mean something in HTML
/// (in text or in a quoted attribute) replaced by entities. Every piece of
/// input data goes through here, so an article holding `<script>` shows
/// it as text.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(position) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..position]);
        out.push_str(match rest.as_bytes()[position] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[position + 1..];
    }
    out.push_str(rest);
}

pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// `text` cut to at most `max_chars` characters, with an ellipsis when
/// cut: tables show annotation texts, and a long span repeated in every row
/// that nests inside it would make a page grow with the square of its size.
pub fn shorten(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// The colour of a label: a fixed palette for the labels of the output
/// contract, and for any other label a hue drawn from a hash of its name,
/// so that a new extractor's label gets the same colour on every page and
/// in every run.
pub fn label_color(label: &str) -> (u8, u8, u8) {
    match label {
        "PER" => (0xe0, 0x6c, 0x4f),
        "ORG" => (0x3d, 0x85, 0xc6),
        "LOC" => (0x3a, 0x9a, 0x4a),
        "MISC" => (0x8e, 0x7c, 0xc3),
        "DATE" => (0xe0, 0xb0, 0x20),
        "TIME" => (0xe6, 0x91, 0x38),
        "DURATION" => (0xc2, 0x7b, 0xa0),
        "SET" => (0xa6, 0x4d, 0x79),
        "MONEY" => (0x1f, 0x9e, 0x89),
        "QUANTITY" => (0x6f, 0xa0, 0xb0),
        "PERCENT" => (0xb4, 0x5f, 0x06),
        "QUOTE" => (0x88, 0x88, 0x88),
        "DATELINE" => (0x67, 0x4e, 0xa7),
        other => hue_to_rgb(fnv1a(other) % 360),
    }
}

/// `rgb(r,g,b)` at the given opacity (0 to 100), for CSS.
pub fn css_color(label: &str, opacity_percent: u8) -> String {
    let (red, green, blue) = label_color(label);
    if opacity_percent >= 100 {
        format!("rgb({red},{green},{blue})")
    } else {
        format!("rgba({red},{green},{blue},0.{opacity_percent:02})")
    }
}

fn fnv1a(text: &str) -> u32 {
    text.bytes()
        .fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

/// A mid-dark, fairly saturated colour of the given hue (HSL 55 %, 45 %).
fn hue_to_rgb(hue: u32) -> (u8, u8, u8) {
    let (saturation, lightness) = (0.55_f64, 0.45_f64);
    let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let sector = f64::from(hue) / 60.0;
    let second = chroma * (1.0 - (sector % 2.0 - 1.0).abs());
    let (red, green, blue) = match hue / 60 {
        0 => (chroma, second, 0.0),
        1 => (second, chroma, 0.0),
        2 => (0.0, chroma, second),
        3 => (0.0, second, chroma),
        4 => (second, 0.0, chroma),
        _ => (chroma, 0.0, second),
    };
    let base = lightness - chroma / 2.0;
    let channel = |value: f64| ((value + base) * 255.0).round().clamp(0.0, 255.0) as u8;
    (channel(red), channel(green), channel(blue))
}

/// `35000000` → `35,000,000`; `41180000.5` → `41,180,000.5`. Only groups
/// the digits of an exact decimal string, so the value shown is the value
/// stored.
pub fn group_digits(amount: &str) -> String {
    let (sign, unsigned) = match amount.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", amount),
    };
    let (whole, fraction) = match unsigned.find('.') {
        Some(dot) => (&unsigned[..dot], &unsigned[dot..]),
        None => (unsigned, ""),
    };
    if whole.is_empty() || !whole.bytes().all(|byte| byte.is_ascii_digit()) {
        return amount.to_string();
    }
    let mut grouped = String::with_capacity(amount.len() + whole.len() / 3);
    grouped.push_str(sign);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped.push_str(fraction);
    grouped
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// The normalised value of an annotation in words, for tooltips and
/// tables: the TIMEX3 value of a time, amount and currency of money, the
/// speaker of a quote, the parts of a dateline, a canonical name and
/// coordinates. Empty when there is nothing beyond the text.
pub fn describe(annotation: &Annotation) -> String {
    let mut parts: Vec<String> = Vec::new();
    match &annotation.value {
        Some(Value::Object(fields)) => {
            let amount = fields.get("amount").and_then(scalar);
            let currency = fields.get("currency").and_then(scalar);
            let unit = fields.get("unit").and_then(scalar);
            match (amount, currency, unit) {
                (Some(amount), Some(currency), _) => {
                    parts.push(format!("{} {currency}", group_digits(&amount)));
                }
                (Some(amount), None, Some(unit)) => {
                    parts.push(format!("{} {unit}", group_digits(&amount)));
                }
                (Some(amount), None, None) if annotation.label == "PERCENT" => {
                    parts.push(format!("{amount} %"));
                }
                _ => {
                    for (key, value) in fields {
                        if matches!(key.as_str(), "amount" | "currency" | "unit") && value.is_null()
                        {
                            continue;
                        }
                        match scalar(value) {
                            Some(text) => parts.push(format!("{key}: {text}")),
                            None if value.is_null() => {}
                            None => parts.push(format!("{key}: {value}")),
                        }
                    }
                }
            }
        }
        Some(Value::Null) | None => {}
        Some(other) => parts.push(scalar(other).unwrap_or_else(|| other.to_string())),
    }
    if let Some(attrs) = &annotation.attrs {
        if let Some(Value::Object(range)) = attrs.get("range")
            && let (Some(low), Some(high)) =
                (range.get("min").and_then(scalar), range.get("max").and_then(scalar))
        {
            parts.push(format!("range: {} to {}", group_digits(&low), group_digits(&high)));
        }
        for key in ["mod", "per", "canonical", "speaker"] {
            if let Some(text) = attrs.get(key).and_then(scalar) {
                parts.push(format!("{key}: {text}"));
            }
        }
        let coordinate = |key: &str| attrs.get(key).and_then(scalar);
        if let (Some(latitude), Some(longitude)) = (
            coordinate("lat").or_else(|| coordinate("latitude")),
            coordinate("lon").or_else(|| coordinate("longitude")),
        ) {
            parts.push(format!("{latitude}, {longitude}"));
        }
    }
    parts.join(" · ")
}

/// Where the order of labels in legends and tables comes from: the
/// contract's labels in a reading order, then any other label by name.
pub fn label_rank(label: &str) -> (usize, &str) {
    const ORDER: [&str; 13] = [
        "PER", "ORG", "LOC", "MISC", "DATE", "TIME", "DURATION", "SET", "MONEY", "QUANTITY",
        "PERCENT", "QUOTE", "DATELINE",
    ];
    (ORDER.iter().position(|known| *known == label).unwrap_or(ORDER.len()), label)
}

/// The `<style>` of every page: no fonts to fetch, no external sheet.
pub const STYLE: &str = "\
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
main{max-width:1060px;margin:0 auto;padding:18px 24px 48px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:3px}
a{color:#1a5fb4}nav{font-size:13px;margin-bottom:6px}
.meta{color:#555;font-size:13px}.meta b{color:#1d1d1f}
.figures{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.figure{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:8px 14px;min-width:110px}
.figure b{display:block;font-size:21px}.figure span{color:#666;font-size:12px}
.note{background:#fff6d6;border:1px solid #e8d48b;border-radius:6px;padding:8px 12px;font-size:13px}
table{border-collapse:collapse;font-size:13px;width:100%;background:#fff}
th,td{border-bottom:1px solid #eee;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:12px;margin:10px 0}
.text{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:14px 18px;white-space:pre-wrap;overflow-wrap:anywhere;line-height:2}
.text .header{color:#999}
mark{color:inherit;background:var(--b);border-bottom:2px solid var(--c);padding:2px 0;border-radius:2px}
mark mark{padding:0;border-bottom-style:dotted}
.lb::after{content:attr(data-label);font:normal 700 9px/1 system-ui,sans-serif;color:var(--c);vertical-align:super;margin-left:2px;filter:brightness(.8)}
mark:hover{outline:1px solid var(--c)}
mark:target{outline:2px solid var(--c);outline-offset:1px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
.chart{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:8px 10px}
.chart h3{font-size:14px;margin:0 0 6px}
svg text{font:11px system-ui,sans-serif;fill:#333}
";

#[cfg(test)]
mod tests {
    use super::*;
    use document::Span;
    use serde_json::json;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escaped("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(escaped("Zürich"), "Zürich");
    }

    #[test]
    fn shortens_long_texts_on_character_boundaries() {
        assert_eq!(shorten("Zürich", 6), "Zürich");
        assert_eq!(shorten("Zürich", 2), "Zü…");
        assert_eq!(shorten("", 0), "");
    }

    #[test]
    fn groups_digits_of_exact_amounts() {
        assert_eq!(group_digits("35000000"), "35,000,000");
        assert_eq!(group_digits("41180000.25"), "41,180,000.25");
        assert_eq!(group_digits("-1200"), "-1,200");
        assert_eq!(group_digits("400"), "400");
        assert_eq!(group_digits("n/a"), "n/a");
    }

    #[test]
    fn describes_values() {
        let money = Annotation::new("MONEY", Span::new(0, 1))
            .with_value(json!({"amount": "35000000", "currency": "EUR"}));
        assert_eq!(describe(&money), "35,000,000 EUR");
        let date = Annotation::new("DATE", Span::new(0, 1)).with_value("2017-W50");
        assert_eq!(describe(&date), "2017-W50");
        let place = Annotation::new("LOC", Span::new(0, 1))
            .with_attr("canonical", "Tripoli")
            .with_attr("lat", 32.89)
            .with_attr("lon", 13.18);
        assert_eq!(describe(&place), "canonical: Tripoli · 32.89, 13.18");
        let dateline = Annotation::new("DATELINE", Span::new(0, 1)).with_value(
            json!({"agency": "Xinhua", "date": "2017-12-09", "place": "TRIPOLI", "region": null}),
        );
        assert_eq!(describe(&dateline), "agency: Xinhua · date: 2017-12-09 · place: TRIPOLI");
        let quote =
            Annotation::new("QUOTE", Span::new(0, 1)).with_value(json!({"speaker": "Serraj"}));
        assert_eq!(describe(&quote), "speaker: Serraj");
        assert_eq!(describe(&Annotation::new("PER", Span::new(0, 1))), "");
        // Regression: a range and a rate are shown, not just the low end.
        let range = Annotation::new("MONEY", Span::new(0, 1))
            .with_value(json!({"amount": "3000000", "currency": "USD"}))
            .with_attr("range", json!({"min": "3000000", "max": "5000000"}))
            .with_attr("per", "year");
        assert_eq!(describe(&range), "3,000,000 USD · range: 3,000,000 to 5,000,000 · per: year");
    }

    #[test]
    fn unknown_labels_get_a_stable_colour() {
        assert_eq!(label_color("EVENT"), label_color("EVENT"));
        assert_ne!(label_color("EVENT"), label_color("WEAPON"));
        assert_eq!(css_color("LOC", 100), "rgb(58,154,74)");
        assert_eq!(css_color("LOC", 25), "rgba(58,154,74,0.25)");
    }
}
