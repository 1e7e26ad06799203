//! The temporal extractor: every time expression of an English news
//! article, labelled `DATE`, `TIME`, `DURATION` or `SET` and normalised to
//! a TIMEX3 value against the document creation time (DCT).
//!
//! ```text
//! Minniti said on Saturday that European countries will next week provide …
//!                 ^^^^^^^^ DATE 2017-12-09      ^^^^^^^^^ DATE 2017-W50
//! ```
//!
//! # What the values mean
//!
//! Values are TimeML's TIMEX3 values: `2017-12-09`, `2017-W50`, `2017-12`,
//! `2017-Q1`, `2017-SU`, `199` (the 1990s), `FY2019`, `2017-12-09T10:30`,
//! `2017-12-09TNI` (Saturday night), `P3Y`, `PXY` (a few years), `PT2H`,
//! the references `PRESENT_REF`, `PAST_REF` and `FUTURE_REF`, and, for
//! sets, the period (`P1Y` for `every year`) or the repeated date
//! (`XXXX-WXX-6`, every Saturday). `attrs` carries `mod` (`START` for
//! `early 2008`, `END`, `MID`, `APPROX`, `LESS_THAN`, `MORE_THAN`, …) and
//! `anchor`, the DCT a relative value was computed from.
//!
//! # The document creation time
//!
//! A relative expression means nothing without the day it was written:
//! the DCT is [`Document::date`], else the date of the `DATELINE`
//! annotation (the `dateline` extractor runs first in a pipeline), else
//! there is none and the values stay underspecified (`XXXX-07-07`,
//! `XXXX-WXX-6`). The wall clock is never read: the same document always
//! gets the same values.
//!
//! Weekdays and year-less dates also need the *direction*: "said on
//! Saturday" in a Sunday article is the day before, "will meet on
//! Saturday" the coming one. The grammar reads the tense from the nearest
//! marker in the clause (`said`, `was`, a verb in `-ed`; `will`,
//! `expected`, `next`), and without one takes the past, which is what news
//! mostly reports.
//!
//! # Design
//!
//! Like `dateline`, the grammar is written by hand over a small scanner of
//! its own (`scan.rs`): words and single punctuation marks with byte
//! offsets and a lower-case key. At every token it tries each form that can
//! begin there (explicit dates, relative dates, durations, sets, clock
//! times, references, each optionally modified), keeps the longest, and
//! goes on after it. Each form looks a bounded number of tokens ahead, so
//! the cost is linear in the text, and nothing allocates per token beyond
//! the token array. Spans follow TimeML: `on` and `in` stay outside,
//! `last`, `next`, `this`, `early`, `earlier`, `later`, `or so` and the
//! article of `the 1990s` inside.
//!
//! Some words look like times and are not: amounts per period (`$2
//! million a year` is a rate), fractions (`a quarter of the market`), and
//! names, which the grammar recognises by a time word capitalised inside
//! a sentence (`ABC's "This Week"`, `"60 Minutes"`, `High Noon`).
//!
//! Reading and writing TimeML and scoring against it live in the small
//! `timeml` crate, which the reader, the exporter and `runner eval timex`
//! share; this crate only finds and normalises.

mod calendar;
mod grammar;
mod scan;

use document::{
    Annotation, BuildContext, Component, ComponentOptions, Date, Document, Extractor, OptionDoc,
};
use serde::Deserialize;

pub use calendar::{easter, iso_week, week_value};
pub use grammar::{Tense, Timex, TimexType, find_timexes, year_for};

/// The options of a `[[extractor]] kind = "temporal"` entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TemporalOptions {
    /// Use the date of a `DATELINE` annotation when the document has none.
    pub dateline_dct: bool,
}

impl Default for TemporalOptions {
    fn default() -> Self {
        TemporalOptions { dateline_dct: true }
    }
}

impl ComponentOptions for TemporalOptions {
    // A test checks that these defaults agree with the `Default` impl.
    const OPTIONS: &'static [OptionDoc] = &[OptionDoc {
        name: "dateline_dct",
        ty: "boolean",
        default: Some("true"),
        doc: "When the document has no date, resolve against the date of its DATELINE \
              annotation (run the dateline extractor first).",
    }];
}

/// Finds and normalises time expressions; see the crate documentation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemporalExtractor {
    options: TemporalOptions,
}

impl Component for TemporalExtractor {
    const KIND: &'static str = "temporal";
    const DESCRIPTION: &'static str =
        "Dates, times, durations and sets (TIMEX3), normalised against the document date";
    type Options = TemporalOptions;

    fn build(options: TemporalOptions, _context: &BuildContext) -> anyhow::Result<Self> {
        Ok(TemporalExtractor { options })
    }
}

/// The document creation time: the document's date, else (when allowed)
/// the fully resolved date of its `DATELINE` annotation.
pub fn creation_time(document: &Document, use_dateline: bool) -> Option<Date> {
    if document.date.is_some() || !use_dateline {
        return document.date;
    }
    document.annotations.iter().filter(|annotation| annotation.label == "DATELINE").find_map(
        |annotation| {
            let date = annotation.value.as_ref()?.get("date")?.as_str()?;
            date.parse::<Date>().ok()
        },
    )
}

impl Extractor for TemporalExtractor {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        let dct = creation_time(document, self.options.dateline_dct);
        let found = find_timexes(&document.text, document.body(), dct);
        for timex in found {
            let mut annotation =
                Annotation::new(timex.kind.label(), timex.span).with_value(timex.value);
            if let Some(modifier) = timex.modifier {
                annotation.set_attr("mod", modifier);
            }
            if let (true, Some(dct)) = (timex.relative, dct) {
                annotation.set_attr("anchor", dct.to_string());
            }
            document.annotate(annotation)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_defaults_match() {
        let documented: TemporalOptions =
            serde_json::from_value(serde_json::json!({"dateline_dct": true})).unwrap();
        assert_eq!(documented, TemporalOptions::default());
        assert_eq!(TemporalOptions::OPTIONS.len(), 1);
    }
}
