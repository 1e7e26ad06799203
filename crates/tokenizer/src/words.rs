//! Words: whitespace-separated chunks, cut into atoms, joined by news rules.
//!
//! A chunk is a maximal run of non-whitespace characters. It is cut into
//! atoms — runs of letters and digits, and single punctuation or symbol
//! characters — by a byte scanner when the chunk is pure ASCII and by
//! UAX #29 otherwise. The news rules then join atoms into tokens. Because
//! both paths produce the same atoms for the same ASCII text, the rules are
//! written once and a word tokenizes the same whether or not a curly quote
//! happens to stand next to it.

use document::{Token, TokenKind};
use unicode_segmentation::UnicodeSegmentation;

use crate::tables;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
    /// A letter without case (CJK, Arabic) or a leading combining mark.
    Uncased,
    Digit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Letters and digits with no punctuation inside.
    Alnum { first: Case, letters: bool, digits: bool },
    /// One ASCII punctuation or symbol character; `’` also counts as `'`,
    /// since news copy uses it as the apostrophe.
    Ascii(u8),
    /// Non-ASCII punctuation.
    Punct,
    /// Anything else: emoji, currency signs, stray combining marks.
    Symbol,
}

#[derive(Clone, Copy, Debug)]
struct Atom {
    start: usize,
    end: usize,
    kind: Kind,
}

impl Atom {
    fn is_alnum(self) -> bool {
        matches!(self.kind, Kind::Alnum { .. })
    }

    fn is(self, byte: u8) -> bool {
        self.kind == Kind::Ascii(byte)
    }

    fn digits_only(self) -> bool {
        matches!(self.kind, Kind::Alnum { letters: false, digits: true, .. })
    }

    fn letters_only(self) -> bool {
        matches!(self.kind, Kind::Alnum { letters: true, digits: false, .. })
    }

    fn digit_first(self) -> bool {
        matches!(self.kind, Kind::Alnum { first: Case::Digit, .. })
    }

    fn letter_first(self) -> bool {
        matches!(self.kind, Kind::Alnum { first, .. } if first != Case::Digit)
    }

    fn upper_first(self) -> bool {
        matches!(self.kind, Kind::Alnum { first: Case::Upper, .. })
    }
}

/// Byte classes for the ASCII scanner, as bit flags so that the inner loop
/// over a run of letters and digits is one table load and one test a byte.
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const SPACE: u8 = 4;
const NON_ASCII: u8 = 8;
const ALNUM: u8 = LETTER | DIGIT;

const CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = if b >= 0x80 {
            NON_ASCII
        } else if b.is_ascii_alphabetic() {
            LETTER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if is_ascii_space(b) {
            SPACE
        } else {
            0
        };
        byte += 1;
    }
    table
};

const fn is_ascii_space(byte: u8) -> bool {
    // Exactly the ASCII characters `char::is_whitespace` accepts; note that
    // `u8::is_ascii_whitespace` leaves out vertical tab.
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

/// The character at a byte offset that is known to be a char boundary.
fn char_at(text: &str, pos: usize) -> (char, usize) {
    match text.get(pos..).and_then(|rest| rest.chars().next()) {
        Some(c) => (c, c.len_utf8()),
        // Unreachable while offsets stay on boundaries; a replacement keeps
        // the scan moving rather than panicking.
        None => ('\u{FFFD}', 1),
    }
}

fn push(out: &mut Vec<Token>, start: usize, end: usize, kind: TokenKind) {
    if start < end {
        out.push(Token { span: document::Span::new(start, end), kind });
    }
}

/// Appends the tokens of `text[start..end]` to `out`. Both offsets must be
/// char boundaries.
pub(crate) fn tokenize(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    // The bytes up to `end` only, so that the scan's one bounds check is
    // also the check against `end`.
    let bytes = &text.as_bytes()[..end.min(text.len())];
    let end = bytes.len();
    let mut atoms = Vec::with_capacity(16);
    let mut pos = start;
    while pos < end {
        let class = CLASS[usize::from(bytes[pos])];
        if class == SPACE {
            pos += 1;
            continue;
        }
        if class == NON_ASCII {
            let (c, len) = char_at(text, pos);
            if c.is_whitespace() {
                pos += len;
                continue;
            }
        }
        // A chunk: atoms are cut while its end is being found, so ASCII
        // text is read once. At the first non-ASCII character the chunk is
        // handed to UAX #29 instead, which rereads only this chunk.
        let chunk_start = pos;
        atoms.clear();
        let mut unicode = false;
        while pos < end {
            let byte = bytes[pos];
            let class = CLASS[usize::from(byte)];
            if class & ALNUM != 0 {
                let first = if class == DIGIT {
                    Case::Digit
                } else if byte.is_ascii_uppercase() {
                    Case::Upper
                } else {
                    Case::Lower
                };
                let atom_start = pos;
                let mut seen = 0;
                while let Some(&next) = bytes.get(pos) {
                    let class = CLASS[usize::from(next)];
                    if class & ALNUM == 0 {
                        break;
                    }
                    seen |= class;
                    pos += 1;
                }
                let (letters, digits) = (seen & LETTER != 0, seen & DIGIT != 0);
                atoms.push(Atom {
                    start: atom_start,
                    end: pos,
                    kind: Kind::Alnum { first, letters, digits },
                });
            } else if class == SPACE {
                break;
            } else if class == NON_ASCII {
                unicode = true;
                break;
            } else {
                atoms.push(Atom { start: pos, end: pos + 1, kind: Kind::Ascii(byte) });
                pos += 1;
            }
        }
        if unicode {
            while pos < end {
                let byte = bytes[pos];
                if byte < 0x80 {
                    if is_ascii_space(byte) {
                        break;
                    }
                    pos += 1;
                } else {
                    let (c, len) = char_at(text, pos);
                    if c.is_whitespace() {
                        break;
                    }
                    pos += len;
                }
            }
            atoms.clear();
            unicode_atoms(text, chunk_start, pos.min(end), &mut atoms);
        }
        Chunk { text, atoms: &atoms, limit: end }.emit(out);
    }
}

fn unicode_atoms(text: &str, start: usize, end: usize, atoms: &mut Vec<Atom>) {
    let Some(chunk) = text.get(start..end) else {
        return;
    };
    for (offset, segment) in chunk.split_word_bound_indices() {
        let segment_start = start + offset;
        if segment.chars().any(char::is_alphanumeric) {
            word_segment_atoms(segment, segment_start, atoms);
        } else {
            atoms.push(other_atom(segment, segment_start));
        }
    }
}

/// UAX #29 keeps `U.S`, `80,000`, `Libya’s` and `snake_case` whole; the
/// news rules want to decide about those inner marks themselves, exactly as
/// on the ASCII path, so the segment is cut again at each of them.
fn word_segment_atoms(segment: &str, segment_start: usize, atoms: &mut Vec<Atom>) {
    let mut piece_start = 0;
    let mut first = Case::Uncased;
    let (mut letters, mut digits) = (false, false);
    let flush = |atoms: &mut Vec<Atom>, from: usize, to: usize, kind: Kind| {
        if from < to {
            atoms.push(Atom { start: segment_start + from, end: segment_start + to, kind });
        }
    };
    for (offset, c) in segment.char_indices() {
        let mark = if c.is_ascii() && !c.is_ascii_alphanumeric() {
            Some(Kind::Ascii(c as u8))
        } else if c == '\u{2019}' {
            Some(Kind::Ascii(b'\''))
        } else if c == '\u{2018}' {
            Some(Kind::Punct)
        } else {
            None
        };
        match mark {
            Some(kind) => {
                flush(atoms, piece_start, offset, piece_kind(first, letters, digits));
                flush(atoms, offset, offset + c.len_utf8(), kind);
                piece_start = offset + c.len_utf8();
                (letters, digits) = (false, false);
            }
            None => {
                if offset == piece_start {
                    first = if c.is_numeric() {
                        Case::Digit
                    } else if c.is_uppercase() {
                        Case::Upper
                    } else if c.is_lowercase() {
                        Case::Lower
                    } else {
                        Case::Uncased
                    };
                }
                letters |= c.is_alphabetic();
                digits |= c.is_numeric();
            }
        }
    }
    flush(atoms, piece_start, segment.len(), piece_kind(first, letters, digits));
}

fn piece_kind(first: Case, letters: bool, digits: bool) -> Kind {
    if letters || digits { Kind::Alnum { first, letters, digits } } else { Kind::Symbol }
}

fn other_atom(segment: &str, start: usize) -> Atom {
    let mut chars = segment.chars();
    let kind = match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii() => Kind::Ascii(c as u8),
        (Some('\u{2019}'), None) => Kind::Ascii(b'\''),
        (Some(c), _) if c.is_ascii() => {
            // An ASCII mark carrying a combining character: not the plain
            // mark any more, so it joins nothing.
            if tables::ascii_kind(c as u8) == TokenKind::Punct { Kind::Punct } else { Kind::Symbol }
        }
        (Some(c), _) if tables::is_punctuation(c) => Kind::Punct,
        _ => Kind::Symbol,
    };
    Atom { start, end: start + segment.len(), kind }
}

/// The atoms of one chunk, and the rules that turn them into tokens.
struct Chunk<'t, 'a> {
    text: &'t str,
    atoms: &'a [Atom],
    /// End of the range being tokenized, for looking past the chunk.
    limit: usize,
}

/// What a word has looked like so far, while its parts are being joined.
struct WordState {
    /// Every part is a run of digits joined by number separators.
    numeric: bool,
    /// Every part but the last is; decides whether a unit can split off.
    prefix_numeric: bool,
    /// Every part is one letter and the joiners are all dots (`U.S`, `e.g`).
    letters_dots: bool,
    /// One part, no joiner.
    simple: bool,
}

impl Chunk<'_, '_> {
    fn emit(&self, out: &mut Vec<Token>) {
        let mut i = 0;
        while let Some(atom) = self.atoms.get(i) {
            // Every branch consumes at least one atom, so the loop ends.
            i = match atom.kind {
                Kind::Alnum { .. } => self.word(i, out),
                Kind::Ascii(byte) => self.ascii(i, byte, out),
                Kind::Punct => {
                    push(out, atom.start, atom.end, TokenKind::Punct);
                    i + 1
                }
                Kind::Symbol => {
                    push(out, atom.start, atom.end, TokenKind::Symbol);
                    i + 1
                }
            };
        }
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or("")
    }

    fn ascii(&self, i: usize, byte: u8, out: &mut Vec<Token>) -> usize {
        let Some(atom) = self.atoms.get(i) else {
            return i + 1;
        };
        let same = |a: &Atom| match byte {
            b'-' | b'.' => a.is(byte),
            b'!' | b'?' => a.is(b'!') || a.is(b'?'),
            _ => false,
        };
        let mut j = i + 1;
        let mut end = atom.end;
        // `--`, `...` and `?!` are one token each: one dash, one ellipsis,
        // one sentence end.
        while let Some(next) = self.atoms.get(j).filter(|a| same(a)) {
            end = next.end;
            j += 1;
        }
        push(out, atom.start, end, tables::ascii_kind(byte));
        j
    }

    fn single_letter(&self, atom: Atom) -> bool {
        if !atom.letters_only() {
            return false;
        }
        if atom.end - atom.start == 1 {
            return true;
        }
        let mut chars = self.slice(atom.start, atom.end).chars();
        chars.next().is_some() && chars.next().is_none()
    }

    fn is_i(&self, atom: Atom) -> bool {
        self.slice(atom.start, atom.end) == "I"
    }

    /// Offset where the leading digits of an atom end.
    fn digit_prefix_end(&self, atom: Atom) -> usize {
        let text = self.slice(atom.start, atom.end);
        atom.start
            + text.char_indices().find(|(_, c)| !c.is_numeric()).map_or(text.len(), |(at, _)| at)
    }

    fn three_digit_group(&self, atom: Atom) -> bool {
        atom.digit_first()
            && self
                .slice(atom.start, atom.end)
                .chars()
                .take_while(|c| c.is_numeric())
                .take(4)
                .count()
                == 3
    }

    /// A word or number starting at atom `i`; returns the next atom index.
    fn word(&self, i: usize, out: &mut Vec<Token>) -> usize {
        let atoms = self.atoms;
        let Some(&first) = atoms.get(i) else {
            return i + 1;
        };
        if let Some(next) = self.url(i, out) {
            return next;
        }
        let start = first.start;
        let mut j = i;
        let mut state = WordState {
            numeric: first.digits_only(),
            prefix_numeric: true,
            letters_dots: self.single_letter(first),
            simple: true,
        };
        loop {
            while let (Some(&cur), Some(&sep), Some(&next)) =
                (atoms.get(j), atoms.get(j + 1), atoms.get(j + 2))
            {
                let Kind::Ascii(joiner) = sep.kind else {
                    break;
                };
                if !next.is_alnum() {
                    break;
                }
                let join = match joiner {
                    b'-' | b'_' => true,
                    // 41.18 and U.S, but not 2017.The or Dec.9.
                    b'.' => {
                        (cur.digits_only() && next.digit_first())
                            || (cur.letter_first() && next.letter_first())
                    }
                    b',' => state.numeric && self.three_digit_group(next),
                    b':' | b'/' => cur.digits_only() && next.digit_first(),
                    // AT&T, S&P, R&D.
                    b'&' => cur.upper_first() && next.upper_first(),
                    b'\'' => {
                        if let Some(after) = self.clitic(start, j, state.numeric, out) {
                            return after;
                        }
                        true
                    }
                    _ => false,
                };
                if !join {
                    break;
                }
                state.prefix_numeric = state.numeric;
                state.numeric = state.numeric
                    && next.digits_only()
                    && matches!(joiner, b'-' | b'.' | b',' | b':' | b'/');
                state.letters_dots =
                    state.letters_dots && joiner == b'.' && self.single_letter(next);
                state.simple = false;
                j += 2;
            }
            if !self.absorbs_dot(start, j, &state) {
                break;
            }
            // The dot at j + 1 belongs to the word. `U.S.-led` goes on.
            if atoms.get(j + 2).is_some_and(|a| a.is(b'-'))
                && atoms.get(j + 3).is_some_and(|a| a.is_alnum())
            {
                j += 3;
                state = WordState {
                    numeric: false,
                    prefix_numeric: false,
                    letters_dots: false,
                    simple: false,
                };
                continue;
            }
            let end = atoms.get(j + 1).map_or(start, |dot| dot.end);
            push(out, start, end, TokenKind::Word);
            return j + 2;
        }
        let Some(&last) = atoms.get(j) else {
            return j + 1;
        };
        if state.numeric {
            push(out, start, last.end, TokenKind::Number);
            return j + 1;
        }
        if state.prefix_numeric && last.digit_first() {
            let split = self.digit_prefix_end(last);
            if last.start < split && split < last.end {
                let suffix = self.slice(split, last.end);
                if tables::is_unit(suffix) {
                    push(out, start, split, TokenKind::Number);
                    push(out, split, last.end, TokenKind::Word);
                    return j + 1;
                }
                if tables::is_ordinal(suffix) {
                    push(out, start, last.end, TokenKind::Number);
                    return j + 1;
                }
            }
        }
        push(out, start, last.end, TokenKind::Word);
        j + 1
    }

    /// At an apostrophe after part `j`: emits the word and its clitic
    /// (`Libya` `'s`, `do` `n't`) and returns the next atom index, or
    /// `None` when the apostrophe is inside a name (`O'Brien`, `d'Ivoire`).
    fn clitic(&self, start: usize, j: usize, numeric: bool, out: &mut Vec<Token>) -> Option<usize> {
        let atoms = self.atoms;
        let (cur, apostrophe, next) = (*atoms.get(j)?, *atoms.get(j + 1)?, *atoms.get(j + 2)?);
        if !next.letters_only() {
            return None;
        }
        // `rock'n'roll`: a part that is joined on again is no clitic.
        let continues = atoms.get(j + 3).is_some_and(|a| a.is(b'-') || a.is(b'\'') || a.is(b'_'))
            && atoms.get(j + 4).is_some_and(|a| a.is_alnum());
        if continues {
            return None;
        }
        let clitic = self.slice(next.start, next.end);
        if clitic.eq_ignore_ascii_case("t") {
            // n't: the `n` moves to the clitic, as in the Penn Treebank
            // (`can't` → `ca` `n't`), so the verb and the negation are
            // separate tokens.
            let n_at = cur.end.checked_sub(1)?;
            let ends_in_n = matches!(self.text.as_bytes().get(n_at), Some(b'n' | b'N'));
            if cur.end - cur.start >= 2 && ends_in_n {
                push(out, start, n_at, TokenKind::Word);
                push(out, n_at, next.end, TokenKind::Word);
                return Some(j + 3);
            }
            return None;
        }
        if tables::is_clitic(clitic) {
            let kind = if numeric { TokenKind::Number } else { TokenKind::Word };
            push(out, start, cur.end, kind);
            push(out, apostrophe.start, next.end, TokenKind::Word);
            return Some(j + 3);
        }
        None
    }

    /// Whether the dot after part `j` is part of the word: an initial, a
    /// dotted acronym or a listed abbreviation.
    fn absorbs_dot(&self, start: usize, j: usize, state: &WordState) -> bool {
        let (Some(&cur), Some(&dot)) = (self.atoms.get(j), self.atoms.get(j + 1)) else {
            return false;
        };
        // `Dec...` is a word and an ellipsis.
        if !dot.is(b'.') || self.atoms.get(j + 2).is_some_and(|a| a.is(b'.')) {
            return false;
        }
        if state.letters_dots && !state.simple {
            return true;
        }
        // An initial, but not the pronoun: `than I.` ends sentences far more
        // often than `I. M. Pei` starts a name.
        if state.simple && cur.upper_first() && self.single_letter(cur) && !self.is_i(cur) {
            return true;
        }
        let word = self.slice(start, cur.end);
        if tables::is_abbreviation(word) {
            return true;
        }
        tables::takes_number(word) && self.digit_follows(dot.end)
    }

    /// Whether a digit follows `pos`, past spaces on the same line.
    fn digit_follows(&self, mut pos: usize) -> bool {
        let bytes = self.text.as_bytes();
        while pos < self.limit {
            match bytes.get(pos..) {
                Some([b' ' | b'\t', ..]) => pos += 1,
                Some([0xC2, 0xA0, ..]) => pos += 2,
                Some([byte, ..]) => return byte.is_ascii_digit(),
                _ => return false,
            }
        }
        false
    }

    /// A URL runs to the end of its chunk, less trailing punctuation.
    fn url(&self, i: usize, out: &mut Vec<Token>) -> Option<usize> {
        let first = self.atoms.get(i)?;
        if !matches!(self.text.as_bytes().get(first.start), Some(b'h' | b'H' | b'w' | b'W')) {
            return None;
        }
        let last = self.atoms.last()?;
        let rest = self.slice(first.start, last.end);
        let starts = |prefix: &str| {
            rest.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        };
        if !(starts("http://") || starts("https://") || (starts("www.") && rest.len() > 4)) {
            return None;
        }
        let mut k = self.atoms.len() - 1;
        while k > i && self.atoms.get(k).is_some_and(|a| trails_url(*a)) {
            k -= 1;
        }
        let end = self.atoms.get(k)?.end;
        push(out, first.start, end, TokenKind::Word);
        Some(k + 1)
    }
}

fn trails_url(atom: Atom) -> bool {
    match atom.kind {
        Kind::Ascii(byte) => b".,;:!?)]}'\"".contains(&byte),
        Kind::Punct => true,
        _ => false,
    }
}
