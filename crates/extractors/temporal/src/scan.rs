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
    let bytes = body.as_bytes();
    let mut after_space = true;
    let mut position = 0;
    while position < bytes.len() {
        // An ASCII byte is classified as its `char` would be, without
        // decoding; a word's letters are then run through in one loop.
        let byte = bytes[position];
        let (alphanumeric, whitespace, length) = match ASCII_CLASS[usize::from(byte)] {
            LETTER => (true, false, 1),
            SPACE => (false, true, 1),
            OTHER => (false, false, 1),
            _ => classify(body, position),
        };
        if alphanumeric {
            let (end, ascii) = word_end(body, position + length);
            tokens.push(Token {
                start: start + position,
                end: start + end,
                key: key_of(lowered, position, end, ascii && byte.is_ascii()),
                glued: !after_space,
                is_word: true,
                capital: byte.is_ascii_uppercase(),
            });
            position = end;
            after_space = false;
        } else if whitespace {
            position += length;
            after_space = true;
        } else {
            let next = position + length;
            tokens.push(Token {
                start: start + position,
                end: start + next,
                key: key_of(lowered, position, next, byte.is_ascii()),
                glued: !after_space,
                is_word: false,
                capital: byte.is_ascii_uppercase(),
            });
            position = next;
            after_space = false;
        }
    }
    tokens
}

/// `char::is_whitespace` of an ASCII byte; `u8::is_ascii_whitespace`
/// leaves out the vertical tab.
const fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

/// Whether the character at byte `position` of `body` (a char boundary,
/// inside it) is alphanumeric, whether it is white space (both as `char`
/// says), and its length in bytes. The scanner asks only for non-ASCII
/// characters, and classifies ASCII bytes itself.
fn classify(body: &str, position: usize) -> (bool, bool, usize) {
    match body.as_bytes().get(position) {
        Some(&byte) if byte.is_ascii() => (byte.is_ascii_alphanumeric(), is_ascii_space(byte), 1),
        _ => match body.get(position..).and_then(|rest| rest.chars().next()) {
            Some(character) => {
                (character.is_alphanumeric(), character.is_whitespace(), character.len_utf8())
            }
            // Past the end, or not a char boundary (unreachable while
            // positions advance by whole characters): one byte of nothing.
            None => (false, false, 1),
        },
    }
}

/// What an ASCII byte is to the scanner: a letter or digit, white space
/// (as `char::is_whitespace` says) or another mark; `NON_ASCII` sends a
/// byte to [`classify`]. One load a byte where the word loop spends most
/// of the scanner's time.
const LETTER: u8 = 0;
const SPACE: u8 = 1;
const OTHER: u8 = 2;
const NON_ASCII: u8 = 3;

static ASCII_CLASS: [u8; 256] = {
    let mut class = [NON_ASCII; 256];
    let mut byte = 0;
    while byte < 128 {
        let ascii = byte as u8;
        class[byte] = if ascii.is_ascii_alphanumeric() {
            LETTER
        } else if is_ascii_space(ascii) {
            SPACE
        } else {
            OTHER
        };
        byte += 1;
    }
    class
};

/// The end of the run of alphanumeric characters from `position`, and
/// whether the run is all ASCII.
#[inline]
fn word_end(body: &str, mut position: usize) -> (usize, bool) {
    let bytes = body.as_bytes();
    let mut ascii = true;
    while let Some(&byte) = bytes.get(position) {
        match ASCII_CLASS[usize::from(byte)] {
            LETTER => position += 1,
            NON_ASCII => match classify(body, position) {
                (true, _, length) => {
                    position += length;
                    ascii = false;
                }
                _ => break,
            },
            _ => break,
        }
    }
    (position, ascii)
}

/// The key of the token `begin..end` of the body (offsets within it):
/// `ascii` says that its bytes are all ASCII, which the scanner knows
/// without reading them again.
fn key_of(lowered: &str, begin: usize, end: usize, ascii: bool) -> &str {
    if end - begin <= KEY_LEN && ascii { lowered.get(begin..end).unwrap_or("") } else { "" }
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
    fn scans_as_the_character_loop_does() {
        // The loop this scanner replaced, over `char`s.
        fn plain(body: &str) -> Vec<(usize, usize, bool, bool)> {
            let mut out = Vec::new();
            let (mut word_start, mut glued_word, mut after_space) = (None, false, true);
            for (offset, c) in body.char_indices().chain([(body.len(), ' ')]) {
                if c.is_alphanumeric() {
                    if word_start.is_none() {
                        word_start = Some(offset);
                        glued_word = !after_space;
                    }
                    after_space = false;
                    continue;
                }
                if let Some(begin) = word_start.take() {
                    out.push((begin, offset, glued_word, true));
                }
                if c.is_whitespace() {
                    after_space = true;
                } else {
                    out.push((offset, offset + c.len_utf8(), !after_space, false));
                    after_space = false;
                }
            }
            out
        }
        for body in [
            "xx Dec. 9, 10:30 a.m. mid-1990s Zürich",
            "Ça va\u{a0}? 2019年3月 naïve—café\x0Bx\u{2009}y",
            "¿Qué? «Hola» 5€ ½ Ⅻ x²",
            "",
            " ",
            "end.",
            "Abcdefghijklmn Abcdefghijklmno Zürichsee naïve café5 ÉTÉ x\u{301}y 9½",
        ] {
            let lowered = Lowered::new(body, 0, body.len());
            let tokens = scan(body, &lowered, 0, body.len());
            let scanned: Vec<(usize, usize, bool, bool)> =
                tokens.iter().map(|t| (t.start, t.end, t.glued, t.is_word)).collect();
            assert_eq!(scanned, plain(body), "{body:?}");
            // The key is the lower-cased token when it is ASCII and short.
            for token in &tokens {
                let text = &body[token.start..token.end];
                let key = if text.is_ascii() && text.len() <= KEY_LEN {
                    text.to_ascii_lowercase()
                } else {
                    String::new()
                };
                assert_eq!(token.key(), key, "{text:?}");
                assert_eq!(token.capital, text.starts_with(|c: char| c.is_ascii_uppercase()));
            }
        }
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
