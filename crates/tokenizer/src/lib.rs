//! The `news` tokenizer: words and sentences of English news, with exact
//! byte offsets.
//!
//! # Why UAX #29 plus news rules
//!
//! Unicode's word boundaries (UAX #29, via `unicode-segmentation`) are the
//! right base for arbitrary text: they know that `Zürich` with a combining
//! accent is one word, that every Han ideograph stands alone, that an emoji
//! ZWJ sequence or a flag is one symbol, and they never cut inside a
//! character. But they were designed for cursor movement and search, not for
//! extraction from news. They keep `Libya's` whole and split `05:57:50`,
//! `2017-12-10` and `UN-backed`; they split `U.S.` into `U.S` and `.` and
//! give `Dec.` no period at all. Extractors downstream want the opposite on
//! each count, so this crate uses UAX #29 only to cut text into *atoms* —
//! runs of letters and digits, and single punctuation or symbol characters —
//! and then joins atoms into tokens by a small set of news rules.
//!
//! # The ASCII fast path
//!
//! The text is first cut at whitespace into chunks. A chunk that is pure
//! ASCII (well over 99% of English news) is cut into atoms by a byte scanner:
//! for ASCII, UAX #29 boundaries between letters and digits are trivial, so
//! the scanner produces exactly the atoms UAX #29 would, without its general
//! state machine. Only a chunk holding a non-ASCII character goes through
//! UAX #29, whose segments are then cut again at the ASCII marks it keeps
//! inside words (`.`, `,`, `'`, `:`, `_`) and at `’`. Both paths therefore
//! hand the rules the same atoms, so a word tokenizes the same whether or
//! not a curly quote stands next to it. Every step moves forward through
//! the text once; nothing is ever rescanned, so the cost is linear.
//!
//! # Token conventions
//!
//! Whitespace is never part of a token; every other character is in exactly
//! one token, so no text is lost.
//!
//! * **Words** ([`TokenKind::Word`]): letters and digits, joined across a
//!   single hyphen (`UN-backed`, `eastern-based`, `10-year-old`), an
//!   underscore, `&` between capitals (`AT&T`, `S&P`), an apostrophe inside a
//!   name (`O'Brien`, `d'Ivoire`) and a dot between letters (`bbc.co.uk`).
//!   URLs starting `http://`, `https://` or `www.` are one word.
//! * **Abbreviations** keep their period: listed ones (`Mr.`, `Gen.`, `Dec.`,
//!   `Sept.`, `Inc.`, `Co.`, `vs.`, `etc.`, …), single capital initials (`F.`
//!   in `John F. Kennedy`; not `I`, which is far more often the pronoun
//!   ending a sentence) and dotted acronyms (`U.S.`, `U.N.`, `U.S.A.`,
//!   `e.g.`, `a.m.`). `No.`, `Fig.`, `Vol.` are abbreviations only before a
//!   number. `U.S.-led` is one word.
//! * **Clitics** are split off as the Penn Treebank does: `Libya's` →
//!   `Libya` `'s`, `they're` → `they` `'re`, `don't` → `do` `n't`, `can't` →
//!   `ca` `n't`; with `’` too. A trailing apostrophe (`countries'`) is punctuation.
//! * **Numbers** ([`TokenKind::Number`]): digits with inner separators are
//!   one token — decimals `41.18`, thousands `80,000` (groups of exactly three),
//!   dates `2017-12-10` and `10/12/2017`, times `05:57:50`. Ordinals and
//!   decades stay whole (`21st`, `1990s`). A unit or multiplier suffix is split
//!   off as a word so that the number is always bare: `1.5bn` → `1.5` `bn`,
//!   `$5m` → `$` `5` `m`, `500km`, `5pm`; other letter suffixes make one word
//!   (`5G`, `3D`). Signs are separate (`-5` → `-` `5`).
//! * **Punctuation** ([`TokenKind::Punct`]): each quote, straight or curly,
//!   is its own token; `--`, `...` and `?!` are one token each; em and en
//!   dashes are tokens of their own (so `1990–2000` is three tokens).
//! * **Symbols** ([`TokenKind::Symbol`]): `$ % # & @ + = < > ^ | ~`, currency
//!   signs, emoji (a ZWJ sequence or a flag is one token), control characters.
//!
//! # Sentences
//!
//! One forward pass over the tokens decides after each token whether a
//! sentence ends there:
//!
//! * After `.`, `!`, `?` (and any closing quotes or brackets glued to them,
//!   which stay in the sentence: `positive."`), a sentence ends unless the
//!   next token plainly continues it: a lower-case word, a comma, a closing
//!   bracket.
//! * Abbreviations never end a sentence mid-paragraph if they are titles
//!   (`Mr.`, `Gen.`, `Dr.`, `vs.`); others (`U.S.`, `Inc.`, `Dec.`,
//!   initials) and ellipses end one only before a typical sentence opener
//!   (`The`, `He`, `In`, `However`, …). So `U.S. dollars` and `U.S.
//!   President` stay together while `the U.S. The` splits; the price is that
//!   `the U.S. Officials said` stays one sentence.
//! * `。`, `！`, `？` and other marks of scripts without case always end one.
//! * A blank line always ends a sentence, after an abbreviation too. In the
//!   default `paragraph_breaks = "line"` mode a single line break does as
//!   well (many news files hold one paragraph per line), unless the next
//!   line plainly continues: it starts lower case or with a comma, or the
//!   line ends with a comma, a dash, a title or a word such as `the` or `of`.
//!   `paragraph_breaks = "blank"` is for hard-wrapped text.
//!
//! A sentence span runs from its first token's start to its last token's
//! end; [`Sentence::tokens`] is the index range of its tokens.
//!
//! # Example
//!
//! ```
//! use document::Span;
//!
//! let text = "Libya's UN-backed PM got $5m (41.18 million U.S. dollars). It helps.";
//! let (tokens, sentences) = tokenizer::tokenize(text, Span::new(0, text.len()));
//! let words: Vec<&str> = tokens.iter().map(|token| token.span.slice(text)).collect();
//! assert_eq!(
//!     words,
//!     [
//!         "Libya", "'s", "UN-backed", "PM", "got", "$", "5", "m", "(", "41.18", "million",
//!         "U.S.", "dollars", ")", ".", "It", "helps", "."
//!     ]
//! );
//! let first = sentences[0].span.slice(text);
//! assert_eq!(first, "Libya's UN-backed PM got $5m (41.18 million U.S. dollars).");
//! assert_eq!(sentences[1].tokens, 15..18);
//! ```
//!
//! # Robustness
//!
//! Any `&str` is valid input: the tokenizer never panics, every span lies on
//! char boundaries, tokens are in order and do not overlap, and the
//! non-whitespace characters of the tokens, concatenated, are exactly those
//! of the text (a property test checks this on random Unicode).

mod sentences;
mod tables;
mod words;

#[cfg(doc)]
use document::TokenKind;
use document::{
    BuildContext, Component, ComponentOptions, Document, OptionDoc, Registry, Sentence, Span, Token,
};
use serde::Deserialize;

/// When a single line break ends a paragraph (and so a sentence).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphBreaks {
    /// Every line break, unless the next line plainly continues the
    /// sentence: for files with one paragraph per line.
    #[default]
    Line,
    /// Only blank lines: for hard-wrapped text.
    Blank,
}

/// Options of the `news` tokenizer.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsOptions {
    #[serde(default)]
    pub paragraph_breaks: ParagraphBreaks,
}

impl ComponentOptions for NewsOptions {
    const OPTIONS: &'static [OptionDoc] = &[OptionDoc {
        name: "paragraph_breaks",
        ty: "string",
        default: Some("\"line\""),
        doc: "`line`: a single line break ends a paragraph unless the next line plainly \
              continues the sentence; `blank`: only blank lines do (hard-wrapped text)",
    }];
}

/// The `news` tokenizer component; see the crate documentation for its
/// conventions.
#[derive(Clone, Debug, Default)]
pub struct NewsTokenizer {
    paragraph_breaks: ParagraphBreaks,
}

impl NewsTokenizer {
    pub fn new(options: NewsOptions) -> Self {
        NewsTokenizer { paragraph_breaks: options.paragraph_breaks }
    }

    /// Tokens and sentences of `text[range]`, with offsets into `text`. A
    /// range that does not fit the text is clamped to it and narrowed to
    /// char boundaries.
    pub fn tokenize_text(&self, text: &str, range: Span) -> (Vec<Token>, Vec<Sentence>) {
        let tokens = tokens(text, range);
        let sentences = sentences::split(text, &tokens, self.paragraph_breaks);
        (tokens, sentences)
    }

    /// Sentences over tokens made elsewhere (spans into `text`, in order).
    pub fn sentences(&self, text: &str, tokens: &[Token]) -> Vec<Sentence> {
        sentences::split(text, tokens, self.paragraph_breaks)
    }
}

impl Component for NewsTokenizer {
    const KIND: &'static str = "news";
    const DESCRIPTION: &'static str =
        "Words and sentences of English news: UAX #29 plus abbreviation, number and clitic rules";
    type Options = NewsOptions;

    fn build(options: NewsOptions, _context: &BuildContext) -> anyhow::Result<Self> {
        Ok(NewsTokenizer::new(options))
    }
}

impl document::Tokenizer for NewsTokenizer {
    /// Tokenizes the body (the text after [`Document::header`]). Tokens a
    /// reader supplied are kept; sentences are computed for them if missing.
    fn tokenize(&self, document: &mut Document) -> anyhow::Result<()> {
        if document.tokens.is_empty() {
            let (tokens, sentences) = self.tokenize_text(&document.text, document.body());
            document.tokens = tokens;
            document.sentences = sentences;
        } else if document.sentences.is_empty() {
            document.sentences = self.sentences(&document.text, &document.tokens);
        }
        Ok(())
    }
}

/// Registers the `news` tokenizer.
pub fn register(registry: &mut Registry) {
    registry.add_tokenizer::<NewsTokenizer>();
}

/// Tokens and sentences of `text[range]` with the default options.
pub fn tokenize(text: &str, range: Span) -> (Vec<Token>, Vec<Sentence>) {
    NewsTokenizer::default().tokenize_text(text, range)
}

/// Tokens of `text[range]` only, without sentences.
pub fn tokens(text: &str, range: Span) -> Vec<Token> {
    let (start, end) = clamp(text, range);
    // News averages about five bytes per token, whitespace included, and
    // no BBC article has fewer than four: with room for a quarter of the
    // bytes the vector is never grown (and copied) on the way.
    let mut tokens = Vec::with_capacity((end - start) / 4 + 16);
    words::tokenize(text, start, end, &mut tokens);
    tokens
}

/// Sentences over `tokens` (spans into `text`, in order).
pub fn sentences(text: &str, tokens: &[Token], paragraph_breaks: ParagraphBreaks) -> Vec<Sentence> {
    sentences::split(text, tokens, paragraph_breaks)
}

/// The part of `range` that lies in `text`, on char boundaries.
fn clamp(text: &str, range: Span) -> (usize, usize) {
    let mut end = range.end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = range.start.min(end);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    (start, end)
}
