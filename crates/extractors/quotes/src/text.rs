//! The view of a document the quote finder works on: its tokens with
//! paragraph and sentence numbers, and the names an earlier extractor found.

use std::ops::Range;

use document::{Document, Span, Token, TokenKind};

/// What kind of name an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    Person,
    Organisation,
    Place,
}

/// A `PER`, `ORG` or `LOC` annotation, as a range of tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub kind: EntityKind,
    pub tokens: Range<usize>,
    pub span: Span,
    /// `attrs.canonical` when an `entities` stage set it.
    pub canonical: Option<String>,
}

/// No entity at a token.
const NONE: u32 = u32::MAX;

pub struct Text<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// The paragraph of every token: a line break between two tokens starts
    /// a new one.
    pub paragraph: Vec<u32>,
    /// The sentence of every token, and the token range of every sentence.
    pub sentence: Vec<u32>,
    pub sentences: Vec<Range<usize>>,
    pub entities: Vec<Entity>,
    entity_at: Vec<u32>,
}

impl<'a> Text<'a> {
    pub fn new(document: &'a Document) -> Text<'a> {
        let text = document.text.as_str();
        let tokens = document.tokens.as_slice();
        let mut paragraph = Vec::with_capacity(tokens.len());
        let mut current = 0u32;
        let mut previous_end = None;
        for token in tokens {
            if let Some(end) = previous_end {
                // Bytes, not a `str`: a line feed is the byte 0x0A in
                // UTF-8. The gap is nearly always empty or one space, which
                // are answered before any search.
                let gap = text.as_bytes().get(end..token.span.start).unwrap_or_default();
                if !gap.is_empty() && gap != b" " && gap.contains(&b'\n') {
                    current += 1;
                }
            }
            paragraph.push(current);
            previous_end = Some(token.span.end);
        }
        let mut sentences: Vec<Range<usize>> = document
            .sentences
            .iter()
            .map(|sentence| {
                sentence.tokens.start.min(tokens.len())..sentence.tokens.end.min(tokens.len())
            })
            .filter(|range| !range.is_empty())
            .collect();
        if sentences.is_empty() && !tokens.is_empty() {
            sentences.push(0..tokens.len());
        }
        let mut sentence = vec![0u32; tokens.len()];
        for (index, range) in sentences.iter().enumerate() {
            for slot in sentence.get_mut(range.clone()).unwrap_or_default() {
                *slot = index as u32;
            }
        }
        let mut view = Text {
            text,
            tokens,
            paragraph,
            sentence,
            sentences,
            entities: Vec::new(),
            entity_at: vec![NONE; tokens.len()],
        };
        view.read_entities(document);
        view
    }

    fn read_entities(&mut self, document: &Document) {
        let mut entities = Vec::with_capacity(document.annotations.len());
        for annotation in &document.annotations {
            let kind = match annotation.label.as_str() {
                "PER" => EntityKind::Person,
                "ORG" => EntityKind::Organisation,
                "LOC" => EntityKind::Place,
                _ => continue,
            };
            let first =
                self.tokens.partition_point(|token| token.span.start < annotation.span.start);
            let last = self.tokens.partition_point(|token| token.span.end <= annotation.span.end);
            if first >= last {
                continue;
            }
            let canonical = annotation
                .attr("canonical")
                .and_then(|value| value.as_str())
                .filter(|name| !name.is_empty())
                .map(str::to_string);
            entities.push(Entity { kind, tokens: first..last, span: annotation.span, canonical });
        }
        entities.sort_by_key(|entity| (entity.tokens.start, entity.kind == EntityKind::Place));
        for (index, entity) in entities.iter().enumerate() {
            for slot in self.entity_at.get_mut(entity.tokens.clone()).unwrap_or_default() {
                if *slot == NONE {
                    *slot = index as u32;
                }
            }
        }
        self.entities = entities;
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    pub fn word(&self, index: usize) -> &'a str {
        self.tokens.get(index).map_or("", |token| token.span.slice(self.text))
    }

    pub fn span(&self, index: usize) -> Span {
        self.tokens.get(index).map_or(Span::default(), |token| token.span)
    }

    /// The byte span from the start of token `range.start` to the end of
    /// token `range.end - 1`.
    pub fn range_span(&self, range: &Range<usize>) -> Span {
        Span::new(self.span(range.start).start, self.span(range.end.saturating_sub(1)).end)
    }

    pub fn is(&self, index: usize, word: &str) -> bool {
        self.word(index).eq_ignore_ascii_case(word)
    }

    pub fn is_any(&self, index: usize, words: &[&str]) -> bool {
        let token = self.word(index);
        words.iter().any(|word| token.eq_ignore_ascii_case(word))
    }

    pub fn is_punct(&self, index: usize) -> bool {
        self.tokens.get(index).is_some_and(|token| token.kind == TokenKind::Punct)
    }

    /// Whether the token starts with a capital letter.
    pub fn capitalised(&self, index: usize) -> bool {
        self.word(index).chars().next().is_some_and(char::is_uppercase)
    }

    pub fn same_paragraph(&self, a: usize, b: usize) -> bool {
        self.paragraph.get(a).is_some() && self.paragraph.get(a) == self.paragraph.get(b)
    }

    /// The entity covering a token.
    pub fn entity_at(&self, index: usize) -> Option<usize> {
        self.entity_at.get(index).copied().filter(|slot| *slot != NONE).map(|slot| slot as usize)
    }

    /// The first token of the sentence holding `index`.
    pub fn sentence_start(&self, index: usize) -> usize {
        self.sentence
            .get(index)
            .and_then(|sentence| self.sentences.get(*sentence as usize))
            .map_or(0, |range| range.start)
    }

    /// Whether `index` opens its paragraph.
    pub fn paragraph_start(&self, index: usize) -> bool {
        index == 0 || !self.same_paragraph(index - 1, index)
    }
}
