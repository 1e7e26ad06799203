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
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// The lower-case ASCII form of a word (`key_len` bytes), or of a
    /// punctuation mark; empty for longer or non-ASCII words.
    key: [u8; KEY_LEN],
    key_len: u8,
    /// No white space between the previous token and this one.
    pub glued: bool,
    pub is_word: bool,
    /// The word starts with a capital letter.
    pub capital: bool,
}

impl Token {
    pub fn key(&self) -> &str {
        std::str::from_utf8(&self.key[..usize::from(self.key_len)]).unwrap_or("")
    }

    pub fn is_digits(&self) -> bool {
        self.key_len > 0 && self.key[..usize::from(self.key_len)].iter().all(u8::is_ascii_digit)
    }

    pub fn digits(&self) -> usize {
        if self.is_digits() { usize::from(self.key_len) } else { 0 }
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

/// Cuts `text[start..end]` into tokens with absolute byte offsets: runs of
/// letters and digits are words, every other non-space character is a
/// token of its own.
pub fn scan(text: &str, start: usize, end: usize) -> Vec<Token> {
    let Some(body) = text.get(start..end) else {
        return Vec::new();
    };
    let mut tokens = Vec::with_capacity(body.len() / 5);
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
            tokens.push(make_token(body, begin, offset, start, glued_word, true));
        }
        if character.is_whitespace() {
            after_space = true;
        } else {
            let next = offset + character.len_utf8();
            tokens.push(make_token(body, offset, next, start, !after_space, false));
            after_space = false;
        }
    }
    tokens
}

fn make_token(
    body: &str,
    begin: usize,
    end: usize,
    base: usize,
    glued: bool,
    is_word: bool,
) -> Token {
    let bytes = body.as_bytes().get(begin..end).unwrap_or(&[]);
    let mut key = [0u8; KEY_LEN];
    let mut key_len = 0u8;
    if bytes.len() <= KEY_LEN && bytes.is_ascii() {
        for (slot, byte) in key.iter_mut().zip(bytes) {
            *slot = byte.to_ascii_lowercase();
        }
        key_len = bytes.len() as u8;
    }
    let capital = bytes.first().is_some_and(u8::is_ascii_uppercase);
    Token { start: base + begin, end: base + end, key, key_len, glued, is_word, capital }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_words_and_marks() {
        let text = "xx Dec. 9, 10:30 a.m. mid-1990s Zürich";
        let tokens = scan(text, 3, text.len());
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
        assert!(scan("", 0, 0).is_empty());
        assert!(scan("é", 0, 1).is_empty());
        assert_eq!(scan("  ", 0, 2).len(), 0);
    }
}
