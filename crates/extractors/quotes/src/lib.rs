//! The `quotes` extractor: who said what, in news copy.
//!
//! Every quote becomes a `QUOTE` annotation whose span is the quoted text
//! without its marks (or, for reported speech, the reported clause), with
//! the value
//!
//! ```json
//! {"speaker": "Fayez Serraj", "speaker_start": 731, "speaker_end": 737,
//!  "cue": "said", "kind": "direct"}
//! ```
//!
//! `speaker` is the name of who said it, resolved through the document
//! (`Serraj` → `Fayez Serraj`, `he` → the last person, `it` and `the
//! statement` → the last organisation or the issuer of the statement), and
//! `speaker_start`/`speaker_end` locate the mention next to the quote that
//! stands for it (`Serraj`, `he`, `the statement`) in the same unit as the
//! annotation offsets of the output: Unicode code points. `null` in all
//! three when nobody can be found: a missing speaker is said, never
//! guessed. `attrs.parts` lists the parts of a quote split by its
//! attribution or running over several paragraphs, and `attrs.nested` the
//! quotations inside it, both as `[start, end]` code points.
//! `docs/quotes.md` is the user's page.
//!
//! # Design
//!
//! The extractor reads the tokens and sentences of the `news` tokenizer and
//! the `PER`/`ORG` names an earlier `ner` stage found (their
//! `attrs.canonical` too, when an `entities` stage set it), in four steps,
//! each a plain function over a [`text::Text`] view of the document:
//!
//! 1. **Marks** ([`marks`]): each quotation mark is classified by what is
//!    around it (a straight `"` after a space opens, before one closes; an
//!    apostrophe in `Libya's` or `'90s` is no mark at all), and marks pair
//!    within a paragraph, doubles with doubles, singles with singles, a
//!    single pair inside a double one being nested in it. A double quote
//!    left open at a paragraph's end continues if the next paragraph opens
//!    with a mark, the convention for a quote over several paragraphs.
//! 2. **Attribution** ([`find`]): a quote split by its attribution
//!    (`"…," Serraj said, "…"`) is joined into one; then the attribution is
//!    looked for after the quote (`"…," Serraj said`, `"…," said the
//!    statement`, `"…," it added`) and before it (`Serraj told Minniti
//!    that "…"`, `He added: "…"`). The cue is a verb of saying (or
//!    `according to`), never after a determiner (`the reports`); the
//!    speaker is the subject before it, with an apposition between commas
//!    (`the prime minister, Fayez Serraj, told`), or the phrase after it.
//!    A quote that stands alone after a quote of someone's, in the same or
//!    the next paragraph, is that person's: the news convention for a run
//!    of quotes.
//! 3. **Kind**: direct when the quote is a whole utterance (it opens a
//!    sentence or follows `said:`/`said,`/`that`, and ends where the
//!    clause does), partial when it sits inside the reporter's sentence.
//!    A one-word partial quote with nobody saying it (scare quotes) is
//!    dropped. Reported speech without marks is found sentence by
//!    sentence: `X said (on Saturday) that CLAUSE`, `X said CLAUSE`,
//!    `CLAUSE, the statement said`, `According to X, CLAUSE`, `X published
//!    a report of …`.
//! 4. **Speakers** ([`speakers`]): a name becomes the fullest name of the
//!    document containing it; `he`/`she` the last person who spoke or was
//!    the first named in a sentence; `it` the last organisation, office or
//!    statement issuer; `the statement` the issuer of the last statement
//!    (`a statement by X`, `X said in a statement`); a description the
//!    fullest description starting with it (`the media office` → `the media
//!    office of the prime minister`).
//!
//! Everything is rules over tokens: no model, no dependency, each token
//! looked at a bounded number of times, so the cost is linear. Reported
//! speech is tried at every word outside a quotation, so one lookup in the
//! union of the words it can start at ([`cues::reporting`]: the verbs of
//! saying, the document nouns, `published`, `according`, …) turns every
//! other word away before any rule runs.
//!
//! # Offsets in the value
//!
//! Annotation spans are byte offsets inside the process and the exporters
//! convert them to code points. A value is written as it is, by every
//! exporter, so the offsets in it are converted here, in one pass over the
//! document ([`CharOffsets`]), so that Python's
//! `text[speaker_start:speaker_end]` is the mention in JSONL and CSV alike.

pub mod cues;
pub mod find;
pub mod marks;
pub mod speakers;
pub mod text;

use document::{
    Annotation, BuildContext, CharOffsets, Component, ComponentOptions, Document, Extractor,
    OptionDoc, Span, Value, json,
};
use serde::Deserialize;

pub use find::{Found, Kind};

/// The label of every quote.
pub const QUOTE: &str = "QUOTE";

/// The options of a `[[extractor]] kind = "quotes"` entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuotesOptions {
    /// Whether reported speech (`kind = "indirect"`) is annotated.
    pub indirect: bool,
    /// Whether partial quotes (`kind = "partial"`) are annotated.
    pub partial: bool,
}

impl Default for QuotesOptions {
    fn default() -> Self {
        QuotesOptions { indirect: true, partial: true }
    }
}

impl ComponentOptions for QuotesOptions {
    // A test checks that these defaults agree with the `Default` impl.
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "indirect",
            ty: "boolean",
            default: Some("true"),
            doc: "Annotate reported speech (`Minniti said that …`) as kind `indirect`.",
        },
        OptionDoc {
            name: "partial",
            ty: "boolean",
            default: Some("true"),
            doc: "Annotate quoted words inside a sentence (`the \"very productive\" talks`) as kind `partial`.",
        },
    ];
}

#[derive(Clone, Debug, Default)]
pub struct QuotesExtractor {
    options: QuotesOptions,
}

impl QuotesExtractor {
    pub fn new(options: QuotesOptions) -> Self {
        QuotesExtractor { options }
    }
}

impl Component for QuotesExtractor {
    const KIND: &'static str = "quotes";
    const DESCRIPTION: &'static str = "Quotes (direct, split, multi-paragraph, partial, reported) as QUOTE, with the speaker resolved; after ner";
    type Options = QuotesOptions;

    fn build(options: QuotesOptions, _context: &BuildContext) -> anyhow::Result<Self> {
        Ok(QuotesExtractor { options })
    }
}

impl Extractor for QuotesExtractor {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        if document.tokens.is_empty() {
            return Ok(());
        }
        let annotations = {
            let view = text::Text::new(document);
            let findings = find::find(&view);
            let speakers = speakers::resolve(&view, &findings);
            let wanted: Vec<(&Found, &Option<speakers::Speaker>)> = findings
                .quotes
                .iter()
                .zip(&speakers)
                .filter(|(found, _)| match found.kind {
                    Kind::Direct => true,
                    Kind::Partial => self.options.partial,
                    Kind::Indirect => self.options.indirect,
                })
                .collect();
            let offsets = CharOffsets::new(
                view.text,
                wanted.iter().flat_map(|(found, speaker)| {
                    let mention = speaker.as_ref().map(|speaker| speaker.mention);
                    found
                        .parts
                        .iter()
                        .chain(found.nested.iter())
                        .chain(mention.iter())
                        .flat_map(|span| [span.start, span.end])
                        .collect::<Vec<_>>()
                }),
            );
            wanted
                .into_iter()
                .map(|(found, speaker)| annotation(&view, &offsets, found, speaker.as_ref()))
                .collect::<Vec<_>>()
        };
        document.annotations.reserve(annotations.len());
        for annotation in annotations {
            document.annotate(annotation)?;
        }
        Ok(())
    }
}

/// The `QUOTE` annotation of a quote and its speaker.
fn annotation(
    view: &text::Text,
    offsets: &CharOffsets,
    found: &Found,
    speaker: Option<&speakers::Speaker>,
) -> Annotation {
    let cue = found.cue.as_ref().map(|cue| view.range_span(cue).slice(view.text).to_string());
    let value = json!({
        "speaker": speaker.map(|speaker| speaker.name.clone()),
        "speaker_start": speaker.map(|speaker| offsets.get(speaker.mention.start)),
        "speaker_end": speaker.map(|speaker| offsets.get(speaker.mention.end)),
        "cue": cue,
        "kind": found.kind.as_str(),
    });
    let spans = |spans: &[Span]| -> Value {
        spans.iter().map(|span| json!([offsets.get(span.start), offsets.get(span.end)])).collect()
    };
    let mut annotation = Annotation::new(QUOTE, found.span).with_value(value);
    if found.parts.len() > 1 {
        annotation.set_attr("parts", spans(&found.parts));
    }
    if !found.nested.is_empty() {
        annotation.set_attr("nested", spans(&found.nested));
    }
    annotation
}
