//! The dateline extractor: where and when a wire story was filed, and by
//! whom.
//!
//! A news agency opens its stories with a *dateline*:
//!
//! ```text
//! TRIPOLI, Dec. 9 (Xinhua) -- Italian Minister of Interior Marco Minniti said on Saturday …
//! ```
//!
//! It is the most reliable fact in the article. The place is where the
//! reporter was, and the date, not the publication date, is the day that
//! `on Saturday` counts from: a story filed on Dec. 9 may be published on
//! Dec. 10. This crate annotates the opening as `DATELINE`, with the value
//!
//! ```json
//! {"place": "TRIPOLI", "region": null, "date": "2017-12-09", "agency": "Xinhua"}
//! ```
//!
//! (every key always present, `null` when absent), and the place and the
//! region (`Kenya` in `NAIROBI, Kenya (AP) —`) each as `LOC`.
//! `docs/extractors/dateline.md` lists the forms it reads.
//!
//! # The worked example
//!
//! This is the first extractor crate, and the one to copy: it has the
//! shape every extractor crate has, and nothing more
//! (`docs/writing-an-extractor.md` walks through it):
//!
//! * an options struct, [`DatelineOptions`], that rejects unknown keys and
//!   documents every key in [`ComponentOptions::OPTIONS`], so that
//!   `runner list` and the "did you mean" messages know them;
//! * a [`Component`] impl that names the kind (`dateline`) and checks the
//!   options once, at build time, not on the first document;
//! * an [`Extractor`] impl that only reads the document and adds
//!   annotations through [`Document::annotate`];
//! * the real work in plain, pure functions ([`parse_dateline`],
//!   [`resolve_month_day`]) that tests call without building a document.
//!
//! # Design
//!
//! The parser is written by hand (`parse.rs`) rather than with regular
//! expressions. The grammar is small, a hand-written parser costs no
//! dependency and no compile time, and it makes the guarantees easy to
//! check: it never panics, every part has a length limit, it only ever
//! looks at the first few paragraph starts, so a document costs at most one
//! pass over those paragraphs, and every offset it produces comes from a
//! cursor that moves by whole `char`s.
//!
//! Precision comes before recall. A dateline can only open one of the
//! first `max_paragraphs` paragraphs of the body (the text after the
//! machine header, see [`Document::body`]), and an all-caps word alone
//! never makes one: see [`parse_dateline`] for what must come with it.
//!
//! Dates are resolved against [`Document::date`], never the wall clock, so
//! that the same input always gives the same output. Without a document
//! date the year stays unknown (`XXXX-07-07`) rather than guessed.
//!
//! # Why the calendar helpers are public and live here
//!
//! [`month_from_name`] and [`resolve_month_day`] will be wanted by any
//! later extractor that reads dates in prose. They cannot move to the
//! `extractor` crate, although it looks like the natural home: `extractor`
//! depends on every extractor crate in order to register it, so an
//! extractor crate depending on `extractor` would be a cycle. When a second
//! extractor needs them, they move into a small crate that both depend on
//! (or into `document`); until then they are public here.

mod calendar;
mod parse;

use document::{
    Annotation, BuildContext, Component, ComponentOptions, Document, Extractor, OptionDoc,
    OptionsError, Span, json,
};
use serde::Deserialize;

pub use calendar::{MONTHS, is_valid_month_day, month_from_name, resolve_month_day};
pub use parse::{MonthDay, ParsedDateline, parse_dateline};

/// The label of the annotation covering the whole dateline.
pub const DATELINE: &str = "DATELINE";
/// The label of the place and the region, the output contract's label for
/// locations.
pub const LOC: &str = "LOC";

/// The options of a `[[extractor]] kind = "dateline"` entry.
///
/// Missing keys take their defaults (`#[serde(default)]` uses the
/// [`Default`] impl, the one place the defaults are written in code), and
/// an unknown key is an error rather than silently ignored.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatelineOptions {
    /// How many paragraphs at the start of the body may hold the dateline.
    pub max_paragraphs: usize,
    /// Whether to annotate the place and region as `LOC` too.
    pub emit_places: bool,
}

impl Default for DatelineOptions {
    fn default() -> Self {
        DatelineOptions { max_paragraphs: 3, emit_places: true }
    }
}

impl ComponentOptions for DatelineOptions {
    // A test checks that these defaults agree with the `Default` impl.
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "max_paragraphs",
            ty: "integer",
            default: Some("3"),
            doc: "How many paragraphs (non-blank lines) at the start of the body may open with \
                  the dateline; at least 1.",
        },
        OptionDoc {
            name: "emit_places",
            ty: "boolean",
            default: Some("true"),
            doc: "Also annotate the place and the region of the dateline as `LOC`.",
        },
    ];
}

/// Finds the dateline of a document; see the crate documentation.
///
/// Build it from options with [`Component::build`], or take the defaults
/// with [`DatelineExtractor::default`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DatelineExtractor {
    options: DatelineOptions,
}

impl Component for DatelineExtractor {
    const KIND: &'static str = "dateline";
    const DESCRIPTION: &'static str =
        "Wire-story datelines (`TRIPOLI, Dec. 9 (Xinhua) --`): place, region, date, agency";
    type Options = DatelineOptions;

    fn build(options: DatelineOptions, _context: &BuildContext) -> anyhow::Result<Self> {
        // Rejected here, by key, because 0 would silently turn the
        // extractor off; leaving it out of the pipeline is the way to do that.
        if options.max_paragraphs == 0 {
            return Err(OptionsError::invalid("max_paragraphs", "must be at least 1").into());
        }
        Ok(DatelineExtractor { options })
    }
}

impl Extractor for DatelineExtractor {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        let Some(found) =
            find_dateline(&document.text, document.body(), self.options.max_paragraphs)
        else {
            return Ok(());
        };
        let text = |span: Span| document.slice(span).to_string();
        let value = json!({
            "place": text(found.place),
            "region": found.region.map(text),
            "date": found.date.and_then(|date| date.resolve(document.date)),
            "agency": found.agency.map(text),
        });
        // `annotate` checks every span against the text. The parser only
        // makes valid ones, so an error here is a bug, and `?` turns it into
        // a failure of this one document rather than a panic.
        document.annotate(Annotation::new(DATELINE, found.span).with_value(value))?;
        if self.options.emit_places {
            for span in [Some(found.place), found.region].into_iter().flatten() {
                document.annotate(Annotation::new(LOC, span))?;
            }
        }
        Ok(())
    }
}

/// The dateline opening one of the first `max_paragraphs` paragraphs of
/// `body` (a span of `text`), if any; the first one found wins.
///
/// A paragraph is a non-blank line, leading spaces aside: wire copy
/// separates paragraphs with blank lines or with single line breaks, and
/// counting lines serves both. (In hard-wrapped text that makes
/// `max_paragraphs` count lines, which is still what "near the top" means.)
pub fn find_dateline(text: &str, body: Span, max_paragraphs: usize) -> Option<ParsedDateline> {
    paragraph_starts(text, body).take(max_paragraphs).find_map(|start| parse_dateline(text, start))
}

/// The offsets of the first non-space character of each non-blank line of
/// `body`. Lazy, so only the paragraphs looked at are scanned.
fn paragraph_starts(text: &str, body: Span) -> impl Iterator<Item = usize> + '_ {
    let mut line_start = body.start;
    body.slice(text).split_inclusive('\n').filter_map(move |line| {
        let start = line_start;
        line_start += line.len();
        let content = line.trim_start();
        (!content.trim_end().is_empty()).then(|| start + line.len() - content.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::Value;

    #[test]
    fn documented_defaults_are_the_real_defaults() {
        let documented: serde_json::Map<String, Value> = DatelineOptions::OPTIONS
            .iter()
            .map(|option| {
                let default = option.default.expect("every dateline option has a default");
                (option.name.to_string(), serde_json::from_str(default).unwrap())
            })
            .collect();
        let options: DatelineOptions = serde_json::from_value(Value::Object(documented)).unwrap();
        assert_eq!(options, DatelineOptions::default());
        let empty: DatelineOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, DatelineOptions::default());
    }

    #[test]
    fn paragraphs_are_non_blank_lines() {
        let text = "HEADER\n\n  first\r\n\n \t \nsecond\nthird";
        let body = Span::new(7, text.len());
        let starts: Vec<&str> =
            paragraph_starts(text, body).map(|start| &text[start..start + 1]).collect();
        assert_eq!(starts, ["f", "s", "t"]);
        assert_eq!(paragraph_starts(text, Span::new(99, 100)).count(), 0);
        assert_eq!(paragraph_starts("", Span::new(0, 0)).count(), 0);
    }
}
