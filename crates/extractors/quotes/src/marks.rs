//! Quotation marks: which can open and which can close, and how they pair
//! into quotations (one part, or one part per paragraph).

use document::{Span, TokenKind};

use crate::text::Text;

/// Double marks (`"`, `“ ”`, `« »`, `„`) or single ones (`'`, `‘ ’`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Double,
    Single,
}

/// A quotation: the text between a pair of marks, or, for a quote running
/// over several paragraphs, between the opening mark of each paragraph and
/// the end of that paragraph, up to the one closing mark of the last.
#[derive(Clone, Debug, PartialEq)]
pub struct Quotation {
    /// The quoted text of each part, without the marks, the surrounding
    /// spaces and a trailing comma or period (the sentence's punctuation
    /// that American style puts inside the marks).
    pub parts: Vec<Span>,
    /// The token of the first opening mark and of the last closing mark.
    pub open: usize,
    pub close: usize,
    pub family: Family,
    /// Quotations inside this one (single marks inside double ones).
    pub nested: Vec<Span>,
}

impl Quotation {
    pub fn span(&self) -> Span {
        match (self.parts.first(), self.parts.last()) {
            (Some(first), Some(last)) => Span::new(first.start, last.end),
            _ => Span::default(),
        }
    }
}

const OPENING_CONTEXT: &str = "([{-\u{2013}\u{2014}/\u{201c}\u{2018}\"'\u{ab}\u{201e}";
const CLOSING_CONTEXT: &str = ".,;:!?)]}\u{2026}-\u{2013}\u{2014}\u{201d}\u{2019}\"'\u{bb}";

/// What a one-character token can do as a quotation mark: its family,
/// whether it can open and whether it can close; `None` for anything else
/// (an apostrophe of elision such as `'90s`, a single mark inside a word).
pub fn classify(text: &str, span: Span) -> Option<(Family, bool, bool)> {
    let mark = span.slice(text);
    let mut chars = mark.chars();
    let first = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    // The characters around the mark, looked at only by the marks whose
    // reading depends on them (most punctuation is no quotation mark).
    let flanking = || {
        let before = text.get(..span.start).and_then(|head| head.chars().next_back());
        let after = text.get(span.end..).unwrap_or("");
        let next = after.chars().next();
        let space_before = before.is_none_or(|c| c.is_whitespace() || OPENING_CONTEXT.contains(c));
        let space_after = next.is_none_or(|c| c.is_whitespace() || CLOSING_CONTEXT.contains(c));
        let left_flanking = space_before && !next.is_none_or(char::is_whitespace);
        let right_flanking = !before.is_none_or(char::is_whitespace) && space_after;
        (left_flanking, right_flanking, after)
    };
    match first {
        '"' => {
            let (left_flanking, right_flanking, _) = flanking();
            if left_flanking == right_flanking {
                // Glued on both sides or spaced on both: either, by position.
                Some((Family::Double, true, true))
            } else {
                Some((Family::Double, left_flanking, right_flanking))
            }
        }
        '\u{201c}' | '\u{201e}' | '\u{ab}' => Some((Family::Double, true, false)),
        '\u{201d}' | '\u{bb}' => Some((Family::Double, false, true)),
        '\'' | '\u{2018}' | '\u{2019}' => {
            let (left_flanking, right_flanking, after) = flanking();
            let open = left_flanking && first != '\u{2019}' && !elision(after);
            let close = right_flanking && first != '\u{2018}';
            match (open, close) {
                (true, false) | (false, true) => Some((Family::Single, open, close)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether an apostrophe followed by `after` stands for left-out letters or
/// digits (`'90s`, `'08`, `'em`, `'til`) rather than opening a quote.
fn elision(after: &str) -> bool {
    let word: &str = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    if word.len() >= 2 && word.bytes().take(2).all(|byte| byte.is_ascii_digit()) {
        let rest = &word[2..];
        return rest.is_empty() || rest == "s";
    }
    ["em", "til", "cause", "n", "tis", "twas"].iter().any(|form| word.eq_ignore_ascii_case(form))
}

/// Trims the quoted text between two byte offsets: spaces at both ends,
/// then one trailing comma or period (not an ellipsis). `None` when
/// nothing is left.
pub fn trim_quoted(text: &str, start: usize, end: usize) -> Option<Span> {
    let inner = text.get(start..end)?;
    let lead = inner.len() - inner.trim_start().len();
    let mut body = inner.trim();
    if body.ends_with(',') || (body.ends_with('.') && !body.ends_with("..")) {
        body = body[..body.len() - 1].trim_end();
    }
    if body.is_empty() {
        return None;
    }
    Some(Span::new(start + lead, start + lead + body.len()))
}

/// Pairs the quotation marks of the text into quotations, in order.
///
/// Marks pair within a paragraph, doubles with doubles and singles with
/// singles; a single pair inside a double pair is a nested quotation of
/// it. A double quote left open at the end of a paragraph continues when
/// the next paragraph opens with a double mark (the convention for a quote
/// over several paragraphs); otherwise it is dropped, as is any mark that
/// finds no partner, so that a stray mark costs one quote, not the pairing
/// of the rest of the document.
pub fn pair(view: &Text) -> Vec<Quotation> {
    let text = view.text;
    let mut found = Vec::new();
    let mut double: Option<usize> = None;
    let mut first_open = 0;
    let mut parts: Vec<Span> = Vec::new();
    let mut nested: Vec<Span> = Vec::new();
    let mut single: Option<usize> = None;
    let mut paragraph = u32::MAX;
    for (index, token) in view.tokens.iter().enumerate() {
        if token.kind != TokenKind::Punct {
            continue;
        }
        let Some((family, can_open, can_close)) = classify(text, token.span) else {
            continue;
        };
        let here = view.paragraph.get(index).copied().unwrap_or(0);
        if here != paragraph {
            if let Some(open) = double.take() {
                let continues = family == Family::Double
                    && can_open
                    && view.paragraph_start(index)
                    && here == paragraph.wrapping_add(1);
                if continues {
                    let end = view.span(index.saturating_sub(1)).end;
                    if let Some(part) = trim_quoted(text, view.span(open).end, end) {
                        parts.push(part);
                    }
                    double = Some(index);
                    single = None;
                    paragraph = here;
                    continue;
                }
                parts.clear();
                nested.clear();
            }
            single = None;
            paragraph = here;
        }
        match family {
            Family::Double => {
                single = None;
                match double {
                    Some(open) if can_close => {
                        if let Some(part) = trim_quoted(text, view.span(open).end, token.span.start)
                        {
                            parts.push(part);
                        }
                        if !parts.is_empty() {
                            found.push(Quotation {
                                parts: std::mem::take(&mut parts),
                                open: first_open,
                                close: index,
                                family: Family::Double,
                                nested: std::mem::take(&mut nested),
                            });
                        }
                        parts.clear();
                        nested.clear();
                        double = None;
                    }
                    Some(open) if index > 0 && matches!(view.word(index - 1), "." | "?" | "!") => {
                        // An opening mark after a full stop while a quote is
                        // open: the paragraphs of a quote run together on one
                        // line (`… performance. "In the first half …`), each
                        // opening with a mark. A new part, as over paragraphs.
                        let end = view.span(index - 1).end;
                        if let Some(part) = trim_quoted(text, view.span(open).end, end) {
                            parts.push(part);
                        }
                        double = Some(index);
                    }
                    Some(_) => {
                        // An opening mark while a quote is open: the earlier
                        // one was never closed.
                        parts.clear();
                        nested.clear();
                        double = Some(index);
                        first_open = index;
                    }
                    None if can_open => {
                        double = Some(index);
                        first_open = index;
                    }
                    None => {}
                }
            }
            Family::Single => match single {
                Some(open) if can_close => {
                    if let Some(part) = trim_quoted(text, view.span(open).end, token.span.start) {
                        if double.is_some() {
                            nested.push(part);
                        } else {
                            found.push(Quotation {
                                parts: vec![part],
                                open,
                                close: index,
                                family: Family::Single,
                                nested: Vec::new(),
                            });
                        }
                    }
                    single = None;
                }
                _ if can_open => single = Some(index),
                _ => {}
            },
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str, nth: usize) -> Option<(Family, bool, bool)> {
        let start = text.match_indices(needle).nth(nth).map(|(start, _)| start).unwrap();
        classify(text, Span::new(start, start + needle.len()))
    }

    #[test]
    fn straight_marks_open_after_a_space_and_close_before_one() {
        let text = "He said \"we won,\" and left.";
        assert_eq!(at(text, "\"", 0), Some((Family::Double, true, false)));
        assert_eq!(at(text, "\"", 1), Some((Family::Double, false, true)));
        // Spaced on both sides: either, decided by position.
        assert_eq!(at("a \" b", "\"", 0), Some((Family::Double, true, true)));
    }

    #[test]
    fn curly_marks_have_one_direction() {
        let text = "“Yes,” he said. ‘No’";
        assert_eq!(at(text, "“", 0), Some((Family::Double, true, false)));
        assert_eq!(at(text, "”", 0), Some((Family::Double, false, true)));
        assert_eq!(at(text, "‘", 0), Some((Family::Single, true, false)));
        assert_eq!(at(text, "’", 0), Some((Family::Single, false, true)));
    }

    #[test]
    fn apostrophes_never_open() {
        assert_eq!(at("in the '90s boom", "'", 0), None);
        assert_eq!(at("in the ‘08 crash", "‘", 0), None);
        assert_eq!(at("rock 'n' roll", "'", 0), None);
        // A possessive after a plural can only close.
        assert_eq!(at("the countries' leaders", "'", 0), Some((Family::Single, false, true)));
        assert_eq!(at("a ’quote", "’", 0), None);
    }

    #[test]
    fn paragraphs_run_together_on_one_line_are_one_quote() {
        let text = "Smith: \"We lost. \"They were better. \"We go on.\" Then he left.";
        let (tokens, sentences) = tokenizer::tokenize(text, Span::new(0, text.len()));
        let mut document = document::Document::new("d", text);
        document.tokens = tokens;
        document.sentences = sentences;
        let view = Text::new(&document);
        let found = pair(&view);
        assert_eq!(found.len(), 1);
        let parts: Vec<&str> = found[0].parts.iter().map(|part| part.slice(text)).collect();
        assert_eq!(parts, ["We lost", "They were better", "We go on"]);
    }

    #[test]
    fn trimming_drops_spaces_and_the_sentence_comma_or_period() {
        let text = "\" We won, \"";
        assert_eq!(trim_quoted(text, 1, 10).map(|span| span.slice(text)), Some("We won"));
        let text = "\"Wait...\"";
        assert_eq!(trim_quoted(text, 1, 8).map(|span| span.slice(text)), Some("Wait..."));
        assert_eq!(trim_quoted("\" , \"", 1, 4), None);
        assert_eq!(trim_quoted("ab", 1, 9), None);
    }
}
