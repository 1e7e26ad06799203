//! The word scanner: the body cut into words and single punctuation marks.
//!
//! The grammar works on these tokens rather than on the pipeline's
//! tokenizer output so that the extractor (and its tests) need nothing but
//! the text, and so that the pieces it cares about (`10`, `:`, `30`;
//! `mid`, `-`, `1990s`) come apart the same way whatever tokenizer ran.

/// The longest word whose lower-case form is kept for matching; longer
/// words match nothing, which no time word needs.
const KEY_LEN: usize = 14;

#[derive(Clone, Copy, Debug)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    /// The lower-case ASCII form of a word (at most `KEY_LEN` bytes), or of
    /// a punctuation mark; empty for longer or non-ASCII words. A slice of
    /// the lower-cased body ([`Lowered`]), so that reading it is free: the
    /// grammar reads keys about a million times per megabyte of text.
    key: &'a str,
    /// No white space between the previous token and this one.
    pub glued: bool,
    pub is_word: bool,
    /// The word starts with a capital letter.
    pub capital: bool,
}

impl<'a> Token<'a> {
    pub fn key(&self) -> &'a str {
        self.key
    }

    pub fn is_digits(&self) -> bool {
        !self.key.is_empty() && self.key.bytes().all(|byte| byte.is_ascii_digit())
    }

    pub fn digits(&self) -> usize {
        if self.is_digits() { self.key.len() } else { 0 }
    }

    /// The number a token of digits writes, when it has at most 9 digits.
    pub fn number(&self) -> Option<u32> {
        let digits = self.digits();
        if digits == 0 || digits > 9 {
            return None;
        }
        self.key().parse().ok()
    }

    /// Sentence-ending punctuation, where the search for a tense stops.
    pub fn ends_clause(&self) -> bool {
        !self.is_word && matches!(self.key(), "." | "!" | "?" | ";" | "\"")
    }
}

/// `text[start..end]` with its ASCII letters lower-cased (the same length
/// and the same character boundaries): the keys of the tokens are slices
/// of it.
pub struct Lowered {
    body: String,
}

impl Lowered {
    /// The lower-cased `text[start..end]`; empty when the range is not
    /// one of `text`.
    pub fn new(text: &str, start: usize, end: usize) -> Lowered {
        Lowered { body: text.get(start..end).map(str::to_ascii_lowercase).unwrap_or_default() }
    }
}

/// Cuts `text[start..end]` into tokens with absolute byte offsets: runs of
/// letters and digits are words, every other non-space character is a
/// token of its own. `lowered` is `Lowered::new(text, start, end)`.
pub fn scan<'a>(text: &str, lowered: &'a Lowered, start: usize, end: usize) -> Vec<Token<'a>> {
    let Some(body) = text.get(start..end) else {
        return Vec::new();
    };
    if lowered.body.len() != body.len() {
        return Vec::new();
    }
    let lowered = lowered.body.as_str();
    // About five bytes a token in news, never under four in the BBC
    // corpus: room for a quarter of the bytes saves growing and copying.
    let mut tokens = Vec::with_capacity(body.len() / 4 + 16);
    let mut word_start: Option<usize> = None;
    let mut glued_word = false;
    let mut after_space = true;
    for (offset, character) in body.char_indices().chain([(body.len(), ' ')]) {
        if character.is_alphanumeric() {
            if word_start.is_none() {
                word_start = Some(offset);
                glued_word = !after_space;
            }
            after_space = false;
            continue;
        }
        if let Some(begin) = word_start.take() {
            tokens.push(make_token(body, lowered, begin, offset, start, glued_word, true));
        }
        if character.is_whitespace() {
            after_space = true;
        } else {
            let next = offset + character.len_utf8();
            tokens.push(make_token(body, lowered, offset, next, start, !after_space, false));
            after_space = false;
        }
    }
    tokens
}

fn make_token<'a>(
    body: &str,
    lowered: &'a str,
    begin: usize,
    end: usize,
    base: usize,
    glued: bool,
    is_word: bool,
) -> Token<'a> {
    let bytes = body.as_bytes().get(begin..end).unwrap_or(&[]);
    let key = if bytes.len() <= KEY_LEN && bytes.is_ascii() {
        lowered.get(begin..end).unwrap_or("")
    } else {
        ""
    };
    let capital = bytes.first().is_some_and(u8::is_ascii_uppercase);
    Token { start: base + begin, end: base + end, key, glued, is_word, capital }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_words_and_marks() {
        let text = "xx Dec. 9, 10:30 a.m. mid-1990s Zürich";
        let lowered = Lowered::new(text, 3, text.len());
        let tokens = scan(text, &lowered, 3, text.len());
        let keys: Vec<&str> = tokens.iter().map(|t| t.key()).collect();
        assert_eq!(
            keys,
            ["dec", ".", "9", ",", "10", ":", "30", "a", ".", "m", ".", "mid", "-", "1990s", ""]
        );
        assert_eq!((tokens[0].start, tokens[0].end), (3, 6));
        assert!(tokens[1].glued && !tokens[2].glued && tokens[0].capital);
        assert_eq!(tokens[14].end, text.len());
        assert_eq!(tokens[4].number(), Some(10));
    }

    #[test]
    fn survives_odd_input() {
        let scanned = |text: &str, start: usize, end: usize| {
            scan(text, &Lowered::new(text, start, end), start, end).len()
        };
        assert_eq!(scanned("", 0, 0), 0);
        assert_eq!(scanned("é", 0, 1), 0);
        assert_eq!(scanned("  ", 0, 2), 0);
        // A lowered text of another range gives no tokens rather than
        // wrong keys.
        assert!(scan("ab cd", &Lowered::new("ab cd", 0, 2), 0, 5).is_empty());
    }
}
