//! A small lexer of its own: words, numerals and single symbols, with
//! byte offsets and whether a space came before.
//!
//! The grammar cares about adjacency (`$5m` is money, `5 m` is a length;
//! `3.2-percent` is one expression, `2 - 1` is not) and about exactly how a
//! numeral is written (`80,000`, `1.234,5`), which is why it lexes the text
//! itself rather than reading the tokenizer's tokens: see the crate essay.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Letters, with the dots of an initialism (`U.S.`, `a.m.`).
    Word,
    /// ASCII digits with the `,` and `.` that sit between digits.
    Number,
    /// Any other single character that is not a space.
    Symbol,
}

/// One token: a byte range of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Whether white space (or the start of the text) separates this token
    /// from the one before.
    pub spaced: bool,
    /// Whether a line break separates this token from the one before; an
    /// expression never runs across one.
    pub line_break: bool,
}

/// The tokens of `text[start..end]`, with offsets into `text`. One pass,
/// each character looked at a bounded number of times.
pub fn lex(text: &str, start: usize, end: usize) -> Vec<Token> {
    let Some(slice) = text.get(start..end) else {
        return Vec::new();
    };
    let bytes = slice.as_bytes();
    // About five bytes a token in news, never under four in the BBC
    // corpus: room for a quarter of the bytes saves growing and copying.
    let mut tokens = Vec::with_capacity(slice.len() / 4 + 16);
    let mut position = 0;
    let mut spaced = true;
    let mut line_break = false;
    while position < bytes.len() {
        let byte = bytes[position];
        if byte.is_ascii_whitespace() {
            spaced = true;
            line_break |= byte == b'\n';
            position += 1;
            continue;
        }
        let begin = position;
        let kind = if byte.is_ascii_digit() {
            position = number_end(bytes, position);
            Kind::Number
        } else if byte.is_ascii_alphabetic() {
            position = word_end(slice, position);
            Kind::Word
        } else if byte < 0x80 {
            position += 1;
            Kind::Symbol
        } else {
            // A non-ASCII character: letters join words, spaces separate,
            // anything else (`€`, `£`, `—`) is a symbol of its own.
            let Some(character) = slice[position..].chars().next() else {
                break;
            };
            if character.is_whitespace() {
                spaced = true;
                position += character.len_utf8();
                continue;
            }
            if character.is_alphabetic() {
                position = word_end(slice, position);
                Kind::Word
            } else {
                position += character.len_utf8();
                Kind::Symbol
            }
        };
        tokens.push(Token {
            start: start + begin,
            end: start + position,
            kind,
            spaced,
            line_break,
        });
        spaced = false;
        line_break = false;
    }
    tokens
}

/// The end of the numeral starting at `position`: digits, and any `,` or
/// `.` with a digit on both sides.
fn number_end(bytes: &[u8], mut position: usize) -> usize {
    while position < bytes.len() {
        let byte = bytes[position];
        if byte.is_ascii_digit() {
            position += 1;
        } else if (byte == b',' || byte == b'.')
            && bytes.get(position + 1).is_some_and(u8::is_ascii_digit)
        {
            position += 2;
        } else {
            break;
        }
    }
    position
}

/// The end of the word starting at `position`: letters, and the dots of an
/// initialism, where every piece is one letter (`U.S.`, `a.m.`), so that
/// `Rs.` and sentence-final `dollars.` keep their dot out.
fn word_end(text: &str, position: usize) -> usize {
    let bytes = text.as_bytes();
    let letters_end = |from: usize| {
        // ASCII letters byte by byte; characters are decoded only from the
        // first non-ASCII byte on (an ASCII byte that is no letter ends the
        // word either way).
        let mut at = from;
        while bytes.get(at).is_some_and(u8::is_ascii_alphabetic) {
            at += 1;
        }
        if bytes.get(at).is_none_or(u8::is_ascii) {
            return at;
        }
        text.get(at..).map_or(at, |rest| {
            rest.char_indices()
                .find(|&(_, c)| !c.is_alphabetic())
                .map_or(text.len(), |(offset, _)| at + offset)
        })
    };
    let mut end = letters_end(position);
    let mut piece_start = position;
    // Bounded: each round consumes at least two bytes.
    while end - piece_start == 1 && bytes.get(end) == Some(&b'.') {
        let next = end + 1;
        if bytes.get(next).is_some_and(u8::is_ascii_alphabetic) {
            piece_start = next;
            end = letters_end(next);
        } else {
            // The closing dot of an initialism: only after a dotted piece.
            if piece_start != position {
                end = next;
            }
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(&str, Kind, bool)> {
        lex(text, 0, text.len()).iter().map(|t| (&text[t.start..t.end], t.kind, t.spaced)).collect()
    }

    #[test]
    fn words_numbers_and_symbols() {
        use Kind::*;
        assert_eq!(
            texts("US$5m, 41.18 million U.S. dollars (80,000) 3.2-percent €5 Rs. 2-1 a.m."),
            [
                ("US", Word, true),
                ("$", Symbol, false),
                ("5", Number, false),
                ("m", Word, false),
                (",", Symbol, false),
                ("41.18", Number, true),
                ("million", Word, true),
                ("U.S.", Word, true),
                ("dollars", Word, true),
                ("(", Symbol, true),
                ("80,000", Number, false),
                (")", Symbol, false),
                ("3.2", Number, true),
                ("-", Symbol, false),
                ("percent", Word, false),
                ("€", Symbol, true),
                ("5", Number, false),
                ("Rs", Word, true),
                (".", Symbol, false),
                ("2", Number, true),
                ("-", Symbol, false),
                ("1", Number, false),
                ("a.m.", Word, true),
            ]
        );
    }

    #[test]
    fn trailing_separators_are_not_part_of_numbers() {
        assert_eq!(texts("5,")[0].0, "5");
        assert_eq!(texts("5.")[0].0, "5");
        assert_eq!(texts("1.234,5")[0].0, "1.234,5");
        assert_eq!(texts("dollars.")[0].0, "dollars");
        assert_eq!(texts("A.")[0].0, "A");
    }

    #[test]
    fn words_mix_ascii_and_other_letters() {
        use Kind::*;
        assert_eq!(
            texts("Zürich5 Ångström. naïve-ish São\u{a0}Paulo"),
            [
                ("Zürich", Word, true),
                ("5", Number, false),
                ("Ångström", Word, true),
                (".", Symbol, false),
                ("naïve", Word, true),
                ("-", Symbol, false),
                ("ish", Word, false),
                ("São", Word, true),
                ("Paulo", Word, true),
            ]
        );
    }

    #[test]
    fn line_breaks_are_marked() {
        let tokens = lex("5\n dollars", 0, 10);
        assert!(tokens[1].line_break);
        assert!(!tokens[0].line_break);
    }

    #[test]
    fn offsets_are_relative_to_the_whole_text() {
        let text = "xx £5 Zürich";
        let tokens = lex(text, 3, text.len());
        let pieces: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(pieces, ["£", "5", "Zürich"]);
        assert!(lex(text, 4, text.len()).is_empty());
    }
}
