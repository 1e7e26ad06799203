use std::ops::Range;

use serde_json::{Map, Value};

use crate::{Annotation, Date, Span, SpanError};

/// What a token is, as far as the tokenizer can tell without a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters, possibly with inner hyphens, apostrophes or dots (`UN-backed`, `U.S.`).
    Word,
    /// Digits, possibly with separators (`80,000`, `41.18`, `2017-12-10`, `05:57:50`).
    Number,
    /// Punctuation: `.`, `,`, `"`, `--`, `—`, brackets.
    Punct,
    /// Anything else: currency signs, emoji, maths.
    Symbol,
}

impl TokenKind {
    /// Whether the token counts as a word in throughput figures and summaries.
    pub fn is_word(self) -> bool {
        matches!(self, TokenKind::Word | TokenKind::Number)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// A sentence: its span in the text and the range of its tokens in
/// [`Document::tokens`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
}

/// One article as it moves through a pipeline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// Unique within a run: a path relative to the input root, a JSONL id, …
    pub id: String,
    /// Where the document came from (a file path, `file:line` for JSONL).
    pub source: String,
    pub text: String,
    /// The document creation date, against which relative expressions resolve.
    pub date: Option<Date>,
    /// A machine-written header at the start of `text` (a Xinhua
    /// `date … Source: …` line) that is not prose. It stays in `text`, so
    /// offsets are exact; tokenizers and extractors skip it.
    pub header: Option<Span>,
    pub metadata: Map<String, Value>,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub annotations: Vec<Annotation>,
    /// Document-level entities (`E1`, `E2`, …) that annotations point to
    /// through `attrs.entity`: one record per person, organisation or
    /// place, with its canonical name and mention count. Filled by the
    /// `entities` extractor; empty otherwise (and then not written).
    pub entities: Vec<Entity>,
    /// Problems that did not stop the document (lossy decoding, …); the
    /// pipeline reports each in the errors file with severity `warning`.
    pub warnings: Vec<String>,
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document { id: id.into(), text: text.into(), ..Document::default() }
    }

    /// The part of the text that is prose: everything after the header.
    pub fn body(&self) -> Span {
        let start = self.header.map_or(0, |header| header.end);
        Span::new(start.min(self.text.len()), self.text.len())
    }

    pub fn slice(&self, span: Span) -> &str {
        span.slice(&self.text)
    }

    /// Adds an annotation after checking its span against the text, so that
    /// no exporter can ever be handed an offset that does not slice.
    pub fn annotate(&mut self, annotation: Annotation) -> Result<(), SpanError> {
        annotation.span.check(&self.text)?;
        self.annotations.push(annotation);
        Ok(())
    }

    /// Number of word and number tokens.
    pub fn word_count(&self) -> usize {
        self.tokens.iter().filter(|token| token.kind.is_word()).count()
    }

    /// The tokens of one sentence.
    pub fn sentence_tokens(&self, sentence: &Sentence) -> &[Token] {
        self.tokens.get(sentence.tokens.clone()).unwrap_or(&[])
    }
}

/// One entity of a document: the mentions that name the same person,
/// organisation or place, summarised.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entity {
    /// Unique within the document: `E1`, `E2`, … in order of first mention.
    pub id: String,
    /// `PER`, `ORG` or `LOC`.
    pub label: String,
    /// The fullest name (`Fayez Serraj` for `Serraj`), or the gazetteer's
    /// name of a resolved place.
    pub canonical: String,
    /// How many annotations (distinct spans) point to this entity.
    pub mentions: usize,
    /// Free-form attributes: roles, coordinates, …
    pub attrs: Map<String, Value>,
}

/// How serious a recorded problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The document was processed and written, but something was off.
    Warning,
    /// The document was not written.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A document, or an input that should have become one, that a stage
/// could not handle, as recorded in the errors file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub id: String,
    pub source: String,
    /// `reader`, `tokenizer:<name>`, `extractor:<name>`, `exporter:<name>`.
    pub stage: String,
    pub error: String,
    pub severity: Severity,
}

impl Failure {
    pub fn error(
        id: impl Into<String>,
        source: impl Into<String>,
        stage: impl Into<String>,
        error: impl Into<String>,
    ) -> Self {
        Failure {
            id: id.into(),
            source: source.into(),
            stage: stage.into(),
            error: error.into(),
            severity: Severity::Error,
        }
    }

    pub fn warning(
        id: impl Into<String>,
        source: impl Into<String>,
        stage: impl Into<String>,
        error: impl Into<String>,
    ) -> Self {
        Failure { severity: Severity::Warning, ..Failure::error(id, source, stage, error) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotate_rejects_spans_that_do_not_slice() {
        let mut document = Document::new("d", "Zürich");
        assert_eq!(
            document.annotate(Annotation::new("LOC", Span::new(0, 2))),
            Err(SpanError::NotCharBoundary { offset: 2 })
        );
        assert!(document.annotations.is_empty());
        document.annotate(Annotation::new("LOC", Span::new(0, 7))).unwrap();
        assert_eq!(document.slice(document.annotations[0].span), "Zürich");
    }

    #[test]
    fn body_starts_after_the_header() {
        let mut document = Document::new("d", "HEADER\nbody");
        assert_eq!(document.body(), Span::new(0, 11));
        document.header = Some(Span::new(0, 7));
        assert_eq!(document.slice(document.body()), "body");
    }
}
