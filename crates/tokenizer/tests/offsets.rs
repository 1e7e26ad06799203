//! Offset properties on thousands of random strings: whatever the input,
//! tokens and sentences are exact, ordered slices that lose nothing.

use document::{Document, Sentence, Span, Token, Tokenizer as _};
use tokenizer::{NewsOptions, NewsTokenizer, ParagraphBreaks};

/// SplitMix64: tiny, deterministic, good enough to drive a fuzz loop.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn byte_of(&mut self, bytes: &[u8]) -> char {
        char::from(bytes[self.below(bytes.len())])
    }

    fn char_in(&mut self, low: u32, high: u32) -> char {
        let code = low + (self.next() % u64::from(high - low + 1)) as u32;
        char::from_u32(code).unwrap_or('\u{FFFD}')
    }
}

const FRAGMENTS: &[&str] = &[
    "U.S.",
    "Dec.",
    "Mr.",
    "No.",
    "No. 5",
    "n't",
    "'s",
    "’s",
    "don't",
    "http://",
    "www.",
    "1.5bn",
    "$5m",
    "80,000",
    "41.18",
    "2017-12-10",
    "05:57:50",
    "...",
    "--",
    "?!",
    "e.g.",
    "J.",
    "AT&T",
    "UN-backed",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "—",
    "–",
    "(",
    ")",
    ".\"",
    "...\"",
    "\r\n",
    "\n\n",
    "。",
    "！",
    "؟",
    "O'Brien",
    "1990s",
    "21st",
    "a.m.",
    "Inc.",
    "-",
    "_",
    "&",
    ",",
    ".",
    ":",
];

fn random_char(rng: &mut Rng) -> char {
    match rng.below(20) {
        0..=5 => rng.byte_of(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        6 | 7 => rng.byte_of(b"0123456789"),
        8 | 9 => rng.byte_of(b".,;:'\"!?-()[]$%&/_@#*+=<>|~`\\{}^"),
        10 | 11 => rng.byte_of(b"    \n\n\t\r\x0B\x0C"),
        12 => rng.char_in(0x300, 0x36F),     // combining marks
        13 => rng.char_in(0x1F300, 0x1FAFF), // emoji
        14 => ['\u{200D}', '\u{FE0F}', '\u{1F3FB}', '\u{1F1FA}', '\u{1F1F8}', '\u{20E3}']
            [rng.below(6)],
        15 => ['é', 'ü', 'ß', 'Ж', 'ç', 'ã', 'İ', 'ǅ', 'ﬁ', 'Σ'][rng.below(10)],
        16 => rng.char_in(0x4E00, 0x4FFF), // Han
        17 => rng.char_in(0x0600, 0x06FF), // Arabic, incl. its digits and marks
        18 => [
            '\u{A0}', '\u{85}', '\u{2028}', '\u{2029}', '\u{3000}', '\u{200B}', '\u{FEFF}',
            '\u{AD}', '\u{2060}', '\u{0}', '\u{7F}', '½', '²', '٫', '\u{FF0E}', '\u{FF10}',
        ][rng.below(16)],
        _ => loop {
            // Anything at all, surrogates excepted.
            if let Some(c) = char::from_u32(rng.below(0x11_0000) as u32) {
                break c;
            }
        },
    }
}

fn random_text(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..rng.below(40) {
        if rng.below(4) == 0 {
            text.push_str(rng.pick(FRAGMENTS));
        } else {
            for _ in 0..=rng.below(6) {
                text.push(random_char(rng));
            }
        }
    }
    text
}

/// The text for a failure message, cut short: some inputs are 10,000 chars.
fn show(text: &str) -> String {
    let head: String = text.chars().take(120).collect();
    if head.len() < text.len() { format!("{head:?}…") } else { format!("{head:?}") }
}

fn non_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start < span.end, "{what} {span} is empty in {}", show(text));
    assert!(span.check(text).is_ok(), "{what} {span} does not slice {text:?}");
}

/// Every property of tokens and sentences over `text[start..end]`.
fn check(text: &str, start: usize, end: usize, tokens: &[Token], sentences: &[Sentence]) {
    let mut previous_end = start;
    let mut covered = String::new();
    for token in tokens {
        check_span(text, token.span, "token");
        assert!(
            token.span.start >= previous_end,
            "token {} overlaps in {}",
            show(text),
            token.span
        );
        assert!(token.span.end <= end, "token {} leaves the range in {}", token.span, show(text));
        let word = token.span.slice(text);
        assert!(
            !word.chars().any(char::is_whitespace),
            "token {word:?} holds whitespace in {}",
            show(text)
        );
        covered.push_str(word);
        previous_end = token.span.end;
    }
    assert_eq!(covered, non_whitespace(&text[start..end]), "text lost in {}", show(text));

    // Sentences partition the tokens, in order, and span exactly them.
    let mut next_token = 0;
    let mut previous_end = 0;
    for sentence in sentences {
        check_span(text, sentence.span, "sentence");
        assert_eq!(sentence.tokens.start, next_token, "sentences skip tokens in {}", show(text));
        assert!(sentence.tokens.end > sentence.tokens.start, "empty sentence in {}", show(text));
        let first = tokens[sentence.tokens.start];
        let last = tokens[sentence.tokens.end - 1];
        assert_eq!(sentence.span, Span::new(first.span.start, last.span.end));
        assert!(sentence.span.start >= previous_end);
        assert!(!sentence.span.slice(text).trim().is_empty());
        previous_end = sentence.span.end;
        next_token = sentence.tokens.end;
    }
    assert_eq!(next_token, tokens.len(), "sentences miss tokens in {}", show(text));
}

#[test]
fn offsets_hold_for_arbitrary_unicode() {
    let mut rng = Rng(0x5EED_DA7E_11AE);
    let blank = NewsTokenizer::new(NewsOptions { paragraph_breaks: ParagraphBreaks::Blank });
    for _ in 0..6000 {
        let text = random_text(&mut rng);
        let (tokens, sentences) = tokenizer::tokenize(&text, Span::new(0, text.len()));
        check(&text, 0, text.len(), &tokens, &sentences);
        let sentences = blank.sentences(&text, &tokens);
        check(&text, 0, text.len(), &tokens, &sentences);
    }
}

#[test]
fn offsets_hold_for_arbitrary_ranges() {
    let mut rng = Rng(42);
    for _ in 0..3000 {
        let text = random_text(&mut rng);
        // Raw offsets, possibly inside a character or past the end.
        let a = rng.below(text.len() + 3);
        let b = rng.below(text.len() + 3);
        let (tokens, sentences) = tokenizer::tokenize(&text, Span::new(a, b));
        let mut end = b.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut start = a.min(end);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        check(&text, start, end, &tokens, &sentences);
    }
}

#[test]
fn documents_with_random_headers_tokenize_only_the_body() {
    let mut rng = Rng(7);
    for _ in 0..2000 {
        let text = random_text(&mut rng);
        let mut document = Document::new("d", text.clone());
        let header_end = rng.below(text.len() + 1);
        let header_end = (header_end..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap();
        document.header = Some(Span::new(0, header_end));
        NewsTokenizer::default().tokenize(&mut document).unwrap();
        check(&text, header_end, text.len(), &document.tokens, &document.sentences);
    }
}

#[test]
fn long_inputs_without_whitespace_or_with_only_joiners() {
    // Shapes that would expose a rescan or a runaway join: one huge chunk.
    for text in [
        "a.".repeat(5000),
        "1,000".repeat(3000),
        "-".repeat(10_000),
        "x'".repeat(5000),
        "東".repeat(5000),
        "U.S.-".repeat(2000),
        "\u{301}".repeat(3000),
    ] {
        let (tokens, sentences) = tokenizer::tokenize(&text, Span::new(0, text.len()));
        check(&text, 0, text.len(), &tokens, &sentences);
    }
}

#[test]
fn ascii_and_unicode_paths_agree() {
    // A leading `“` sends a chunk down the UAX #29 path; `“` is a token of
    // its own there, so the rest must tokenize exactly as on the ASCII path.
    let mut rng = Rng(99);
    for _ in 0..5000 {
        let mut chunk = String::new();
        for _ in 0..=rng.below(8) {
            if rng.below(3) == 0 {
                chunk.push_str(rng.pick(FRAGMENTS));
            } else {
                for _ in 0..=rng.below(4) {
                    chunk.push(match rng.below(4) {
                        0 | 1 => {
                            rng.byte_of(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
                        }
                        2 => rng.byte_of(b"0123456789"),
                        _ => rng.byte_of(b".,;:'\"!?-()[]$%&/_@#*+=<>|~`\\{}^"),
                    });
                }
            }
        }
        chunk.retain(|c| c.is_ascii() && !c.is_whitespace());
        let ascii = tokenizer::tokens(&chunk, Span::new(0, chunk.len()));
        let quoted = format!("“{chunk}");
        let unicode = tokenizer::tokens(&quoted, Span::new(0, quoted.len()));
        let shifted: Vec<Token> = unicode
            .iter()
            .skip(1)
            .map(|t| Token { span: Span::new(t.span.start - 3, t.span.end - 3), kind: t.kind })
            .collect();
        assert_eq!(ascii, shifted, "paths differ on {chunk:?}");
    }
}

/// A range that ends inside the text is tokenized as if the text ended
/// there: no token runs past the range, and a range ending at a space gives
/// the tokens of the whole text up to it (the scan stops at the range's
/// end, not the text's).
#[test]
fn a_range_ending_early_is_a_text_ending_there() {
    let text = "He said: \"U.S. GDP rose 3.2% to $41.18bn in Q3\", Fayez Serraj's aide can't wait…";
    let whole = tokenizer::tokens(text, Span::new(0, text.len()));
    for (end, _) in text.char_indices().skip(1) {
        let part = tokenizer::tokens(text, Span::new(0, end));
        assert!(part.iter().all(|token| token.span.end <= end), "{end}");
        let prefix = tokenizer::tokens(&text[..end], Span::new(0, end));
        assert_eq!(part, prefix, "{end}");
        if text[end..].starts_with(' ') {
            let before: Vec<_> =
                whole.iter().copied().filter(|token| token.span.end <= end).collect();
            assert_eq!(part, before, "{end}");
        }
    }
}
