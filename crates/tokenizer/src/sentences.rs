//! Sentences: one forward pass over the tokens, deciding at each token
//! whether a sentence ends after it (and the closing quotes that follow).

use document::{Sentence, Span, Token, TokenKind};

use crate::ParagraphBreaks;
use crate::tables;

/// How a token may end a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Terminator {
    /// `.`, `!`, `?`, `?!`: ends the sentence unless the next token plainly
    /// continues it (lower case, a comma).
    Period,
    /// `。`, `！`, `؟`: ends the sentence, whatever follows.
    Strong,
    /// `...`, `…`, and abbreviations that may end a sentence (`U.S.`,
    /// `Inc.`, `Dec.`, `J.`): ends it only before a typical sentence opener.
    Weak,
}

fn terminator(text: &str, token: &Token) -> Option<Terminator> {
    let word = token.span.slice(text);
    let bytes = word.as_bytes();
    // Most tokens end in an ASCII letter, digit or comma: settle those first.
    if bytes.last().is_some_and(|&b| b < 0x80 && !matches!(b, b'.' | b'!' | b'?')) {
        return None;
    }
    match bytes {
        [] => None,
        [b'.'] => Some(Terminator::Period),
        _ if bytes.iter().all(|b| matches!(b, b'!' | b'?')) => Some(Terminator::Period),
        _ if bytes.iter().all(|&b| b == b'.') || word == "…" || word == "‥" => {
            Some(Terminator::Weak)
        }
        _ if tables::is_strong_terminator(word) => Some(Terminator::Strong),
        [.., b'.'] if token.kind == TokenKind::Word => {
            let abbreviation = word.strip_suffix('.').unwrap_or(word);
            if tables::never_ends_sentence(abbreviation) { None } else { Some(Terminator::Weak) }
        }
        _ => None,
    }
}

fn ends_before(text: &str, terminator: Terminator, next: &Token) -> bool {
    let word = next.span.slice(text);
    match terminator {
        Terminator::Strong => true,
        Terminator::Weak => tables::is_sentence_starter(word),
        Terminator::Period => {
            let Some(first) = word.chars().next() else {
                return false;
            };
            let continues = first.is_lowercase()
                || matches!(first, ',' | ';' | ':' | ')' | ']' | '}' | '%')
                || word.bytes().all(|b| matches!(b, b'.' | b'!' | b'?'));
            !continues
        }
    }
}

/// Line breaks in the whitespace between two tokens; a blank line counts
/// as two, whatever spaces it holds.
fn line_breaks(gap: &str) -> usize {
    let bytes = gap.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while let Some(rest) = bytes.get(i..).filter(|rest| !rest.is_empty()) {
        match *rest {
            [b'\r', b'\n', ..] => {
                count += 1;
                i += 2;
                continue;
            }
            [b'\n' | b'\r' | b'\x0B' | b'\x0C', ..] => count += 1,
            // NEL and LINE SEPARATOR end a line; PARAGRAPH SEPARATOR ends a
            // paragraph by definition.
            [0xC2, 0x85, ..] | [0xE2, 0x80, 0xA8, ..] => count += 1,
            [0xE2, 0x80, 0xA9, ..] => count += 2,
            _ => {}
        }
        i += 1;
    }
    count
}

/// Whether a single line break between `prev` and `next` is a paragraph
/// break in `line` mode: it is not when the next line plainly continues the
/// sentence.
fn line_continues(text: &str, prev: &Token, next: &Token) -> bool {
    let next_word = next.span.slice(text);
    let first = next_word.chars().next().unwrap_or(' ');
    if first.is_lowercase() || matches!(first, ',' | ';' | ':' | ')' | ']' | '}' | '%') {
        return true;
    }
    let prev_word = prev.span.slice(text);
    if matches!(prev_word, "," | ";" | "(" | "[" | "-" | "--" | "–" | "—" | "&" | "/") {
        return true;
    }
    let title = prev_word.strip_suffix('.').filter(|_| prev.kind == TokenKind::Word);
    if title.is_some_and(tables::never_ends_sentence) {
        return true;
    }
    tables::is_dangling_word(prev_word)
}

fn paragraph_break(text: &str, prev: &Token, next: &Token, mode: ParagraphBreaks) -> bool {
    // Most gaps are one space or nothing.
    let gap_len = next.span.start.saturating_sub(prev.span.end);
    if gap_len == 0 || (gap_len == 1 && text.as_bytes().get(prev.span.end) == Some(&b' ')) {
        return false;
    }
    let Some(gap) = text.get(prev.span.end..next.span.start) else {
        return false;
    };
    match line_breaks(gap) {
        0 => false,
        1 => mode == ParagraphBreaks::Line && !line_continues(text, prev, next),
        _ => true,
    }
}

fn attached(prev: &Token, next: &Token) -> bool {
    prev.span.end == next.span.start
}

/// Splits `tokens` (spans into `text`, in order) into sentences.
pub(crate) fn split(text: &str, tokens: &[Token], mode: ParagraphBreaks) -> Vec<Sentence> {
    let mut sentences = Vec::with_capacity(tokens.len() / 20 + 1);
    let mut first = 0;
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        let mut last = i;
        let mut ends = false;
        if let Some(kind) = terminator(text, token) {
            // Closing quotes and brackets glued to the terminator belong to
            // the sentence it ends: `positive."`, `(see below.)`.
            while let (Some(prev), Some(next)) = (tokens.get(last), tokens.get(last + 1)) {
                if !(attached(prev, next) && tables::is_closer(next.span.slice(text))) {
                    break;
                }
                last += 1;
            }
            ends = tokens.get(last + 1).is_none_or(|next| ends_before(text, kind, next));
        }
        let ends = ends
            || match (tokens.get(last), tokens.get(last + 1)) {
                (Some(prev), Some(next)) => paragraph_break(text, prev, next, mode),
                _ => true,
            };
        if ends {
            push_sentence(&mut sentences, tokens, first, last);
            first = last + 1;
        }
        i = last + 1;
    }
    sentences
}

fn push_sentence(sentences: &mut Vec<Sentence>, tokens: &[Token], first: usize, last: usize) {
    if let (Some(head), Some(tail)) = (tokens.get(first), tokens.get(last)) {
        let start = head.span.start;
        // Reader-supplied tokens may be out of order; never build a
        // reversed span from them.
        let end = tail.span.end.max(start);
        sentences.push(Sentence { span: Span::new(start, end), tokens: first..last + 1 });
    }
}
