//! The `ner` extractor through its public API, with the embedded model.

use document::{BuildContext, Component, Document, Extractor, Sentence, Span, Token, TokenKind};
use ner::{NerExtractor, NerOptions};

fn tokenized(text: &str) -> Document {
    let mut document = Document::new("d", text);
    let mut tokens = Vec::new();
    let mut start = None;
    for (offset, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_whitespace() || c == '.' || c == ',', start) {
            (false, None) => start = Some(offset),
            (true, Some(begin)) => {
                tokens.push(Token { span: Span::new(begin, offset), kind: TokenKind::Word });
                start = None;
            }
            _ => {}
        }
        if c == '.' || c == ',' {
            tokens.push(Token { span: Span::new(offset, offset + 1), kind: TokenKind::Punct });
        }
    }
    document.sentences = vec![Sentence { span: Span::new(0, text.len()), tokens: 0..tokens.len() }];
    document.tokens = tokens;
    document
}

fn extractor() -> NerExtractor {
    NerExtractor::build(NerOptions::default(), &BuildContext::new(".", "ner")).unwrap()
}

fn found(document: &Document) -> Vec<(&str, &str)> {
    document
        .annotations
        .iter()
        .map(|annotation| (annotation.label.as_str(), document.slice(annotation.span)))
        .collect()
}

#[test]
fn finds_people_places_and_organisations() {
    let mut document = tokenized(
        "Libyan Prime Minister Fayez Serraj met Italian officials in Tripoli on Saturday , \
         the National Oil Corporation said .",
    );
    extractor().extract(&mut document).unwrap();
    assert_eq!(
        found(&document),
        [
            ("MISC", "Libyan"),
            ("PER", "Fayez Serraj"),
            ("MISC", "Italian"),
            ("LOC", "Tripoli"),
            ("ORG", "National Oil Corporation"),
        ]
    );
    let person = &document.annotations[1];
    assert_eq!(person.span, Span::new(22, 34));
    let score = person.attr("score").and_then(|score| score.as_f64()).unwrap();
    assert!(score > 0.5 && score <= 1.0, "{score}");
}

#[test]
fn nothing_to_find_in_empty_or_odd_documents() {
    for text in ["", "   ", "\u{0}\u{feff}", "1 2 3 ...", "é"] {
        let mut document = tokenized(text);
        extractor().extract(&mut document).unwrap();
        assert!(document.annotations.is_empty(), "{text:?}");
    }
    // Tokens but no sentences: the tokens are read as one sentence.
    let mut document = tokenized("Angela Merkel visited Paris");
    document.sentences.clear();
    extractor().extract(&mut document).unwrap();
    assert_eq!(found(&document), [("PER", "Angela Merkel"), ("LOC", "Paris")]);
}

#[test]
fn min_score_drops_unsure_entities() {
    let text = "Libyan Prime Minister Fayez Serraj met Italian officials in Tripoli on Saturday , \
                the National Oil Corporation said .";
    let mut document = tokenized(text);
    extractor().extract(&mut document).unwrap();
    let score = |annotation: &document::Annotation| {
        annotation.attr("score").and_then(|score| score.as_f64()).unwrap()
    };
    let lowest = document.annotations.iter().map(score).fold(f64::MAX, f64::min);
    assert!(lowest < 1.0, "{lowest}");
    let context = BuildContext::new(".", "ner");
    let options = NerOptions { min_score: lowest + 0.0005, ..NerOptions::default() };
    let strict = NerExtractor::build(options, &context).unwrap();
    let mut filtered = tokenized(text);
    strict.extract(&mut filtered).unwrap();
    assert_eq!(filtered.annotations.len(), document.annotations.len() - 1);
    assert!(filtered.annotations.iter().all(|annotation| score(annotation) > lowest));
    let options = NerOptions { min_score: 1.5, ..NerOptions::default() };
    assert!(NerExtractor::build(options, &context).is_err());
}
