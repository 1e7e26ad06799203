//! The measures extractor: money, quantities and percentages, with exact,
//! normalised values.
//!
//! ```text
//! Libya will receive 35 million euros (41.18 million U.S. dollars) …
//!                    └── MONEY 35000000 EUR ┘ └─ MONEY 41180000 USD, equivalent_of the euros
//! … sold as slaves for as little as 400 dollars.   MONEY 400 USD, mod EQUAL_OR_MORE
//! … this year is around 80,000.                    QUANTITY 80000, approx
//! ```
//!
//! Each expression becomes one annotation: `MONEY` with the value
//! `{"amount": "35000000", "currency": "EUR"}`, `QUANTITY` with
//! `{"amount": "500", "unit": "km"}`, `PERCENT` with `{"amount": "5"}`
//! (and `"unit": "pp"` for percentage points). Attributes carry what is
//! not the amount: `approx` and `mod` for a modifier, `range` for
//! `between 3 and 5 million dollars`, `per` for `$5 a barrel`, and
//! `equivalent_of` for a conversion in brackets. `docs/measures.md` lists
//! every form.
//!
//! # Design
//!
//! **Exact arithmetic.** Amounts are [`Decimal`]s, an integer mantissa
//! times a power of ten, never floats: `41.18 million` is exactly
//! `41180000`, and `half a million pounds` is `5 × 10^-1 × 10^6`. Every
//! operation is checked, so an absurd numeral is dropped, not wrapped.
//!
//! **A lexer of its own, not the tokenizer's tokens.** The grammar turns on
//! how a numeral is written (`80,000` against `1,5`), on adjacency (`$5m`
//! is five million dollars, `5 m` five metres; `3.2-percent` is one
//! expression, `2 - 1` none) and on initialisms (`U.S. dollars`). The
//! `news` tokenizer answers some of these (it keeps `80,000` whole) but not
//! all (it keeps no record of spaces), and its rules may change for the
//! sake of other extractors. A twenty-line byte lexer over the body answers
//! all of them, runs in one pass at several hundred MB/s, and lets the
//! extractor run in a pipeline without a tokenizer. The cost is a second
//! lexing pass when the tokenizer is present, which the throughput figure
//! in `docs/measures.md` includes.
//!
//! **A hand-written grammar, not regular expressions.** An expression is a
//! short, fixed sequence (modifier, range opener, currency prefix, amount,
//! second amount, tail, rate); each part looks at a bounded number of
//! tokens, and the scan resumes after a match, so a document costs one
//! pass. See `grammar.rs`.
//!
//! **Precision first.** A number alone is never a measure: it needs a
//! currency, a unit, a counted noun, a percent sign, or (for a bare count
//! like `around 80,000`) a modifier and a shape that cannot be a year, a
//! time or an age. So years, dates, times, scores (`2-1`), phone numbers,
//! ordinals and ages (`42-year-old`) are left alone; a corpus of such
//! sentences in `tests/` checks that nothing is found in them.
//!
//! **Currencies from ISO 4217.** The names and codes come from the
//! `iso_currency` crate (default features off: it then depends only on
//! `iso_country`, and generates its table at build time), so `Libyan
//! dinars` is LYD and `Swiss francs` CHF without a hand-written table. The
//! English forms the ISO names lack (`U.S. dollars`, `pounds sterling`,
//! the prefixes `HK$`, `A$`) are written in `lexicon.rs`. A bare `$` or
//! `dollars` is USD unless the document names exactly one other dollar
//! (`Australian dollars`, `A$`) and never the US dollar; that is decided
//! once per document, after the scan. In the same way a head written
//! without its country (`100 billion shillings`) takes the currency of the
//! one country the document names that has such a currency (`Kenya` →
//! KES, from the table's `used_by`), and stays `null` when there are none
//! or several.
//!
//! **Conversions.** A money expression right after another, in brackets
//! or after `, or`, converts it: its `equivalent_of` attribute is the index
//! of the first one in `Document::annotations`, the position the exporter
//! writes it at.
//!
//! **Speed.** Nearly every token opens nothing, so the scan asks a cheap
//! question of each before any grammar runs: a word's first letter, last
//! letter and length against a table built at compile time from the
//! openers, then one integer lookup. The word tables behind an amount
//! (modifiers, units, counted nouns) have a quick test of first letter and
//! length in front of their scans, and currency words are lower-cased on
//! the stack. Each quick test is checked against the plain scan it guards.
//!
//! What it does not do: fractions (`3 1/2`), negative amounts, amounts
//! spelled entirely in words beyond the hundreds (`two thousand three
//! hundred`), and counted nouns more than one word after the number.

mod decimal;
mod grammar;
mod lex;
mod lexicon;

use document::{
    Annotation, BuildContext, Component, ComponentOptions, Document, Extractor, Map, OptionDoc,
    Span, Value, json,
};
use serde::Deserialize;

pub use decimal::Decimal;
pub use grammar::{Measure, MeasureKind, find_measures};
pub use lexicon::parse_numeral;

/// The options of a `[[extractor]] kind = "measures"` entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeasuresOptions {
    pub money: bool,
    pub quantities: bool,
    pub percents: bool,
}

impl Default for MeasuresOptions {
    fn default() -> Self {
        MeasuresOptions { money: true, quantities: true, percents: true }
    }
}

impl ComponentOptions for MeasuresOptions {
    // A test checks that these defaults agree with the `Default` impl.
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "money",
            ty: "boolean",
            default: Some("true"),
            doc: "Annotate amounts of money as `MONEY`.",
        },
        OptionDoc {
            name: "quantities",
            ty: "boolean",
            default: Some("true"),
            doc: "Annotate quantities (`500 km`, `3,000 troops`, `around 80,000`) as `QUANTITY`.",
        },
        OptionDoc {
            name: "percents",
            ty: "boolean",
            default: Some("true"),
            doc: "Annotate percentages and percentage points as `PERCENT`.",
        },
    ];
}

/// Finds money, quantities and percentages; see the crate documentation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeasuresExtractor {
    options: MeasuresOptions,
}

impl Component for MeasuresExtractor {
    const KIND: &'static str = "measures";
    const DESCRIPTION: &'static str = "Money, quantities and percentages with exact values \
        (`35 million euros` → 35000000 EUR, `500 km`, `5 percent`)";
    type Options = MeasuresOptions;

    fn build(options: MeasuresOptions, _context: &BuildContext) -> anyhow::Result<Self> {
        Ok(MeasuresExtractor { options })
    }
}

impl MeasuresExtractor {
    fn wanted(&self, kind: MeasureKind) -> bool {
        match kind {
            MeasureKind::Money => self.options.money,
            MeasureKind::Quantity => self.options.quantities,
            MeasureKind::Percent => self.options.percents,
        }
    }
}

impl Extractor for MeasuresExtractor {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        let body = document.body();
        let measures = find_measures(&document.text, body.start, body.end);
        // Where each measure went in `document.annotations`, for
        // `equivalent_of`; `None` for a kind switched off.
        let mut positions: Vec<Option<usize>> = Vec::with_capacity(measures.len());
        for measure in &measures {
            if !self.wanted(measure.kind) {
                positions.push(None);
                continue;
            }
            let linked = measure.equivalent_of.and_then(|i| positions.get(i).copied().flatten());
            positions.push(Some(document.annotations.len()));
            document.annotate(annotation(measure, linked))?;
        }
        Ok(())
    }
}

/// The annotation of one measure; `equivalent_of` is the position of the
/// converted amount in the document's annotations.
pub fn annotation(measure: &Measure, equivalent_of: Option<usize>) -> Annotation {
    let amount = measure.amount.to_string();
    let value = match measure.kind {
        MeasureKind::Money => json!({"amount": amount, "currency": measure.currency}),
        MeasureKind::Quantity => json!({"amount": amount, "unit": measure.unit}),
        MeasureKind::Percent => match &measure.unit {
            Some(unit) => json!({"amount": amount, "unit": unit}),
            None => json!({"amount": amount}),
        },
    };
    let mut attrs = Map::new();
    if let Some(kind) = measure.modifier {
        attrs.insert("approx".into(), Value::Bool(true));
        attrs.insert("mod".into(), Value::from(kind));
    }
    if let Some((min, max)) = measure.range {
        attrs.insert("range".into(), json!({"min": min.to_string(), "max": max.to_string()}));
    }
    if let Some(per) = &measure.per {
        attrs.insert("per".into(), Value::from(per.as_str()));
    }
    if let Some(index) = equivalent_of {
        attrs.insert("equivalent_of".into(), Value::from(index));
    }
    let mut annotation =
        Annotation::new(measure.kind.label(), Span::new(measure.start, measure.end))
            .with_value(value);
    if !attrs.is_empty() {
        annotation.attrs = Some(attrs);
    }
    annotation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_defaults_are_the_real_defaults() {
        let documented: Map<String, Value> = MeasuresOptions::OPTIONS
            .iter()
            .map(|option| {
                let default = option.default.expect("every measures option has a default");
                (option.name.to_string(), serde_json::from_str(default).unwrap())
            })
            .collect();
        let options: MeasuresOptions = serde_json::from_value(Value::Object(documented)).unwrap();
        assert_eq!(options, MeasuresOptions::default());
    }
}
