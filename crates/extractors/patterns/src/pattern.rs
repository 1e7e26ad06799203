//! The token-pattern language: parsing a pattern string into a small
//! program, and running that program over the tokens of a sentence.
//!
//! ```text
//! pattern     = sequence ( "|" sequence )*
//! sequence    = element+
//! element     = atom quantifier?
//! atom        = "[" tests? "]"          one token ([] is any token)
//!             | "{" LABEL "}"           the tokens of an annotation labelled LABEL
//!             | "(" pattern ")"         a group
//! tests       = test ( "&" test )*
//! test        = "!"? ( flag | key "=" value )
//! key         = text | lower | shape | kind
//! value       = '"' string '"' | "/" regex "/"
//! flag        = is_upper | is_lower | is_title | is_digit | is_alpha | is_punct
//! quantifier  = "?" | "*" | "+" | "{" n "}" | "{" m "," n "}" | "{" m ",}"
//! ```
//!
//! Whitespace between parts is ignored. A pattern compiles into a Thompson
//! program (`Token`, `Label`, `Split`, `Jmp`, `Match`) that is run with one
//! state set per token position, Pike-VM style: no backtracking, so the cost
//! of one attempt is bounded by the program's size times the tokens it
//! spans, and a match spans at most [`MAX_MATCH_TOKENS`] tokens.

use std::fmt;

use document::{TokenKind, suggest};
use regex_lite::Regex;

/// The most tokens one pattern match can span, so that `[]*` over a
/// 50 MB line without a full stop stays linear.
pub const MAX_MATCH_TOKENS: usize = 64;

/// The largest memo of test results, in bytes (one a test and token).
pub const MAX_MEMO: usize = 1 << 24;

/// The largest count of a `{m,n}` repetition.
pub const MAX_REPEAT: u32 = 32;

/// A problem in a pattern string, at a character offset (from 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub position: usize,
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.position, self.message)
    }
}

/// A property of a token that a test looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Text,
    Lower,
    Shape,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    IsUpper,
    IsLower,
    IsTitle,
    IsDigit,
    IsAlpha,
    IsPunct,
}

const KEYS: [&str; 4] = ["text", "lower", "shape", "kind"];
const FLAGS: [&str; 6] = ["is_upper", "is_lower", "is_title", "is_digit", "is_alpha", "is_punct"];
const KINDS: [&str; 4] = ["word", "number", "punct", "symbol"];

/// One condition on a token.
#[derive(Clone, Debug)]
pub enum Condition {
    Equals(Key, String),
    Matches(Key, Regex),
    Kind(TokenKind),
    Flag(Flag),
}

/// All conditions of one `[...]`, each possibly negated.
#[derive(Clone, Debug, Default)]
pub struct TokenTest {
    pub conditions: Vec<(bool, Condition)>,
}

/// What the matcher can read about a token.
pub trait TokenView {
    fn text(&self, index: usize) -> &str;
    fn lower(&self, index: usize) -> &str;
    fn shape(&self, index: usize) -> &str;
    fn kind(&self, index: usize) -> TokenKind;
    /// The token's [`flags_of`].
    fn flags(&self, index: usize) -> u8;
}

impl TokenTest {
    pub fn matches(&self, view: &impl TokenView, index: usize) -> bool {
        self.conditions.iter().all(|(negated, condition)| {
            let value = match condition {
                Condition::Equals(key, wanted) => read(view, *key, index) == wanted,
                Condition::Matches(key, regex) => regex.is_match(read(view, *key, index)),
                Condition::Kind(kind) => view.kind(index) == *kind,
                Condition::Flag(flag) => flag.holds(view, index),
            };
            value != *negated
        })
    }
}

fn read(view: &impl TokenView, key: Key, index: usize) -> &str {
    match key {
        Key::Text => view.text(index),
        Key::Lower => view.lower(index),
        Key::Shape => view.shape(index),
    }
}

impl Flag {
    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    fn holds(self, view: &impl TokenView, index: usize) -> bool {
        view.flags(index) & self.bit() != 0
    }
}

/// Every flag of a token, as bits (`1 << Flag as u8`), in one pass over
/// its characters.
///
/// * `is_upper` / `is_lower`: it has a letter, and every letter is upper
///   (lower) case (`NATO`, `U.S.`; `said`).
/// * `is_title`: the first character is an upper-case letter, another
///   letter follows, and every later letter is lower case (`Acme`,
///   `Ki-moon`; not `NATO`, `McDonald`, `A`).
/// * `is_digit`: only ASCII digits (`2017`; not `80,000`).
/// * `is_alpha`: only letters (`Zürich`; not `O'Brien`).
/// * `is_punct`: the tokenizer's kind is punctuation.
pub fn flags_of(text: &str, kind: TokenKind) -> u8 {
    if text.is_ascii() {
        return ascii_flags(text.as_bytes(), kind);
    }
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return 0 };
    let mut letters = usize::from(first.is_alphabetic());
    let mut non_upper = first.is_alphabetic() && !first.is_uppercase();
    let mut non_lower = first.is_alphabetic() && !first.is_lowercase();
    let mut later_letters = false;
    let mut later_non_lower = false;
    let mut all_alpha = first.is_alphabetic();
    let mut all_digits = first.is_ascii_digit();
    for c in chars {
        if c.is_alphabetic() {
            letters += 1;
            later_letters = true;
            if !c.is_uppercase() {
                non_upper = true;
            }
            if !c.is_lowercase() {
                non_lower = true;
                later_non_lower = true;
            }
        } else {
            all_alpha = false;
        }
        all_digits &= c.is_ascii_digit();
    }
    let mut bits = 0;
    let mut set = |flag: Flag, on: bool| {
        if on {
            bits |= flag.bit();
        }
    };
    set(Flag::IsUpper, letters > 0 && !non_upper);
    set(Flag::IsLower, letters > 0 && !non_lower);
    set(Flag::IsTitle, first.is_uppercase() && later_letters && !later_non_lower);
    set(Flag::IsDigit, all_digits);
    set(Flag::IsAlpha, all_alpha);
    set(Flag::IsPunct, kind == TokenKind::Punct);
    bits
}

/// [`flags_of`] for ASCII text, byte by byte: nearly every token of
/// English news.
fn ascii_flags(bytes: &[u8], kind: TokenKind) -> u8 {
    let Some((&first, rest)) = bytes.split_first() else { return 0 };
    let upper = bytes.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower = bytes.iter().filter(|b| b.is_ascii_lowercase()).count();
    let letters = upper + lower;
    let later_upper = rest.iter().any(u8::is_ascii_uppercase);
    let later_letters = rest.iter().any(u8::is_ascii_alphabetic);
    let mut bits = 0;
    let mut set = |flag: Flag, on: bool| {
        if on {
            bits |= flag.bit();
        }
    };
    set(Flag::IsUpper, letters > 0 && lower == 0);
    set(Flag::IsLower, letters > 0 && upper == 0);
    set(Flag::IsTitle, first.is_ascii_uppercase() && later_letters && !later_upper);
    set(Flag::IsDigit, bytes.iter().all(u8::is_ascii_digit));
    set(Flag::IsAlpha, letters == bytes.len());
    set(Flag::IsPunct, kind == TokenKind::Punct);
    bits
}

/// The shape of a token: capitals become `X`, other letters `x`, digits
/// `d`, anything else stays, and a run of one shape character is cut after
/// four (`Acme` → `Xxxx`, `Microsoft` → `Xxxxx`, `2017` → `dddd`, `U.S.`
/// → `X.X.`), as spaCy writes it.
pub fn shape(text: &str, out: &mut String) {
    let mut last = None;
    let mut run = 0;
    for c in text.chars() {
        let mapped = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if Some(mapped) == last {
            run += 1;
        } else {
            last = Some(mapped);
            run = 1;
        }
        if run <= 4 {
            out.push(mapped);
        }
    }
}

/// One instruction of a compiled pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inst {
    /// Consume one token that passes `tests[i]`.
    Token(usize),
    /// Consume the tokens of an annotation with `labels[i]`.
    Label(usize),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Program {
    pub insts: Vec<Inst>,
    pub tests: Vec<TokenTest>,
    /// The labels referenced with `{LABEL}`.
    pub labels: Vec<String>,
    /// The tests a match can start with, and whether it can start with a
    /// label reference: a cheap look at the first token before running
    /// the program.
    first_tests: Vec<usize>,
    first_labels: Vec<usize>,
}

impl Program {
    /// Whether any test reads `key`, so that a document computes the lower
    /// case forms or shapes of its tokens only when some pattern needs them.
    pub fn reads(&self, key: Key) -> bool {
        self.tests.iter().flat_map(|test| &test.conditions).any(|(_, condition)| match condition {
            Condition::Equals(k, _) | Condition::Matches(k, _) => *k == key,
            _ => false,
        })
    }
}

#[derive(Clone, Debug)]
enum Ast {
    Token(usize),
    Label(usize),
    Seq(Vec<Ast>),
    Alt(Vec<Ast>),
    Repeat { node: Box<Ast>, min: u32, max: Option<u32> },
}

impl Ast {
    /// Whether the node can match no token at all.
    fn nullable(&self) -> bool {
        match self {
            Ast::Token(_) | Ast::Label(_) => false,
            Ast::Seq(items) => items.iter().all(Ast::nullable),
            Ast::Alt(items) => items.iter().any(Ast::nullable),
            Ast::Repeat { node, min, .. } => *min == 0 || node.nullable(),
        }
    }
}

/// Parses and compiles one pattern string.
pub fn compile(pattern: &str) -> Result<Program, PatternError> {
    let mut parser =
        Parser { chars: pattern.chars().collect(), at: 0, tests: Vec::new(), labels: Vec::new() };
    parser.skip_space();
    if parser.at == parser.chars.len() {
        return Err(PatternError { position: 0, message: "empty pattern".into() });
    }
    let ast = parser.alternation()?;
    parser.skip_space();
    if let Some(c) = parser.peek() {
        let message = match c {
            ')' => "unmatched `)`".to_string(),
            _ => format!("unexpected `{c}`"),
        };
        return Err(parser.error_here(message));
    }
    if ast.nullable() {
        return Err(PatternError {
            position: 0,
            message: "the pattern can match no token at all (every element is optional)".into(),
        });
    }
    let mut insts = Vec::new();
    emit(&ast, &mut insts);
    insts.push(Inst::Match);
    let (first_tests, first_labels) = firsts(&insts);
    Ok(Program { insts, tests: parser.tests, labels: parser.labels, first_tests, first_labels })
}

/// The tests and the label references that can come first, following
/// jumps and splits from the first instruction.
fn firsts(insts: &[Inst]) -> (Vec<usize>, Vec<usize>) {
    let mut seen = vec![false; insts.len()];
    let mut stack = vec![0];
    let mut tests = Vec::new();
    let mut labels = Vec::new();
    while let Some(pc) = stack.pop() {
        match (insts.get(pc), seen.get_mut(pc)) {
            (Some(inst), Some(seen)) if !*seen => {
                *seen = true;
                match inst {
                    Inst::Jmp(to) => stack.push(*to),
                    Inst::Split(a, b) => stack.extend([*a, *b]),
                    Inst::Token(test) => tests.push(*test),
                    Inst::Label(label) => labels.push(*label),
                    Inst::Match => {}
                }
            }
            _ => {}
        }
    }
    tests.sort_unstable();
    tests.dedup();
    labels.sort_unstable();
    labels.dedup();
    (tests, labels)
}

fn emit(ast: &Ast, insts: &mut Vec<Inst>) {
    match ast {
        Ast::Token(test) => insts.push(Inst::Token(*test)),
        Ast::Label(label) => insts.push(Inst::Label(*label)),
        Ast::Seq(items) => items.iter().for_each(|item| emit(item, insts)),
        Ast::Alt(items) => {
            // split L1, next; L1: a; jmp end; next: split L2, … ; last: z; end:
            let mut jumps = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if i + 1 < items.len() {
                    let split = insts.len();
                    insts.push(Inst::Split(split + 1, 0));
                    emit(item, insts);
                    jumps.push(insts.len());
                    insts.push(Inst::Jmp(0));
                    let next = insts.len();
                    insts[split] = Inst::Split(split + 1, next);
                } else {
                    emit(item, insts);
                }
            }
            let end = insts.len();
            for jump in jumps {
                insts[jump] = Inst::Jmp(end);
            }
        }
        Ast::Repeat { node, min, max } => {
            for _ in 0..*min {
                emit(node, insts);
            }
            match max {
                None => {
                    let split = insts.len();
                    insts.push(Inst::Split(split + 1, 0));
                    emit(node, insts);
                    insts.push(Inst::Jmp(split));
                    let end = insts.len();
                    insts[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(insts.len());
                        insts.push(Inst::Split(0, 0));
                        emit(node, insts);
                    }
                    let end = insts.len();
                    for split in splits {
                        insts[split] = Inst::Split(split + 1, end);
                    }
                }
            }
        }
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    tests: Vec<TokenTest>,
    labels: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn error_at(&self, position: usize, message: impl Into<String>) -> PatternError {
        PatternError { position, message: message.into() }
    }

    fn error_here(&self, message: impl Into<String>) -> PatternError {
        self.error_at(self.at, message)
    }

    fn alternation(&mut self) -> Result<Ast, PatternError> {
        let mut items = vec![self.sequence()?];
        loop {
            self.skip_space();
            if self.peek() != Some('|') {
                break;
            }
            self.at += 1;
            items.push(self.sequence()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Ast::Alt(items) })
    }

    fn sequence(&mut self) -> Result<Ast, PatternError> {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None | Some('|') | Some(')') => break,
                Some(_) => {
                    let atom = self.atom()?;
                    items.push(self.quantified(atom)?);
                }
            }
        }
        if items.is_empty() {
            // The start of the pattern and `()` are checked before, so an
            // empty sequence is next to a `|`.
            let message = match self.peek() {
                Some('|') => "nothing before `|`",
                _ => "nothing after `|`",
            };
            return Err(self.error_here(message));
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Ast::Seq(items) })
    }

    fn atom(&mut self) -> Result<Ast, PatternError> {
        let start = self.at;
        match self.peek() {
            Some('[') => {
                self.at += 1;
                let test = self.tests(start)?;
                self.tests.push(test);
                Ok(Ast::Token(self.tests.len() - 1))
            }
            Some('{') => {
                self.at += 1;
                let label_start = self.at;
                while self.peek().is_some_and(|c| c != '}' && !c.is_whitespace()) {
                    self.at += 1;
                }
                let label: String = self.chars[label_start..self.at].iter().collect();
                self.skip_space();
                if self.peek() != Some('}') {
                    return Err(self.error_at(start, "unclosed `{`"));
                }
                self.at += 1;
                if !is_label(&label) {
                    return Err(self.error_at(
                        label_start,
                        format!(
                            "`{{{label}}}` is not a label reference: a label is upper case \
                             (A-Z, 0-9, _), like `{{PER}}`"
                        ),
                    ));
                }
                let index = match self.labels.iter().position(|known| *known == label) {
                    Some(index) => index,
                    None => {
                        self.labels.push(label);
                        self.labels.len() - 1
                    }
                };
                Ok(Ast::Label(index))
            }
            Some('(') => {
                self.at += 1;
                self.skip_space();
                if self.peek() == Some(')') {
                    return Err(self.error_at(start, "empty group `()`"));
                }
                let inner = self.alternation()?;
                self.skip_space();
                if self.peek() != Some(')') {
                    return Err(self.error_at(start, "unclosed `(`"));
                }
                self.at += 1;
                Ok(inner)
            }
            Some(c @ ('?' | '*' | '+')) => {
                Err(self.error_here(format!("`{c}` with nothing to repeat")))
            }
            Some(']') => Err(self.error_here("unmatched `]`")),
            Some('}') => Err(self.error_here("unmatched `}`")),
            Some(c) => Err(self.error_here(format!(
                "unexpected `{c}`: an element is a token `[...]`, a label `{{LABEL}}` or a group `(...)`"
            ))),
            None => Err(self.error_here("unexpected end of the pattern")),
        }
    }

    fn quantified(&mut self, atom: Ast) -> Result<Ast, PatternError> {
        // No whitespace between an element and its quantifier is needed,
        // but it is allowed.
        let save = self.at;
        self.skip_space();
        let start = self.at;
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') if self.chars.get(self.at + 1).is_some_and(char::is_ascii_digit) => {
                return self.counted(atom, start);
            }
            _ => {
                self.at = save;
                return Ok(atom);
            }
        };
        self.at += 1;
        self.no_second_quantifier()?;
        Ok(Ast::Repeat { node: Box::new(atom), min, max })
    }

    fn no_second_quantifier(&mut self) -> Result<(), PatternError> {
        let save = self.at;
        self.skip_space();
        match self.peek() {
            Some(c @ ('?' | '*' | '+')) => {
                Err(self.error_here(format!("`{c}` cannot follow another quantifier")))
            }
            _ => {
                self.at = save;
                Ok(())
            }
        }
    }

    /// `{n}`, `{m,n}` or `{m,}`, the `{` at `start`.
    fn counted(&mut self, atom: Ast, start: usize) -> Result<Ast, PatternError> {
        self.at += 1;
        let min = self.number()?;
        let max = if self.peek() == Some(',') {
            self.at += 1;
            if self.peek() == Some('}') { None } else { Some(self.number()?) }
        } else {
            Some(min)
        };
        if self.peek() != Some('}') {
            return Err(self.error_at(start, "unclosed repetition `{`: write {n}, {m,n} or {m,}"));
        }
        self.at += 1;
        if let Some(max) = max {
            if max < min {
                return Err(self.error_at(
                    start,
                    format!("repetition {{{min},{max}}}: the minimum is above the maximum"),
                ));
            }
            if max == 0 {
                return Err(self.error_at(start, "repetition {0}: the element would never match"));
            }
        }
        if min.max(max.unwrap_or(0)) > MAX_REPEAT {
            return Err(self.error_at(start, format!("repetition above {MAX_REPEAT}")));
        }
        self.no_second_quantifier()?;
        Ok(Ast::Repeat { node: Box::new(atom), min, max })
    }

    fn number(&mut self) -> Result<u32, PatternError> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let digits: String = self.chars[start..self.at].iter().collect();
        if digits.is_empty() {
            return Err(self.error_here("expected a number"));
        }
        // A number too large for u32 is above MAX_REPEAT anyway.
        Ok(digits.parse().unwrap_or(u32::MAX))
    }

    /// The tests of `[...]`, after the `[` at `open`.
    fn tests(&mut self, open: usize) -> Result<TokenTest, PatternError> {
        let mut test = TokenTest::default();
        self.skip_space();
        if self.peek() == Some(']') {
            self.at += 1;
            return Ok(test);
        }
        loop {
            self.skip_space();
            let negated = self.peek() == Some('!');
            if negated {
                self.at += 1;
                self.skip_space();
            }
            let name_start = self.at;
            while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                self.at += 1;
            }
            let name: String = self.chars[name_start..self.at].iter().collect();
            if name.is_empty() {
                return match self.peek() {
                    None => Err(self.error_at(open, "unclosed `[`")),
                    Some(c) => Err(self.error_here(format!(
                        "expected a test (`text=`, `lower=`, `shape=`, `kind=` or a flag such as `is_title`), found `{c}`"
                    ))),
                };
            }
            self.skip_space();
            let condition = if self.peek() == Some('=') {
                self.at += 1;
                self.skip_space();
                self.keyed(&name, name_start)?
            } else if let Some(flag) = flag(&name) {
                Condition::Flag(flag)
            } else if KEYS.contains(&name.as_str()) {
                return Err(self.error_here(format!("expected `=` after `{name}`")));
            } else {
                let mut known: Vec<&str> = KEYS.to_vec();
                known.extend(FLAGS);
                return Err(self.error_at(name_start, unknown("test", &name, &known)));
            };
            test.conditions.push((negated, condition));
            self.skip_space();
            match self.peek() {
                Some('&') => self.at += 1,
                Some(']') => {
                    self.at += 1;
                    return Ok(test);
                }
                None => return Err(self.error_at(open, "unclosed `[`")),
                Some(c) => {
                    return Err(
                        self.error_here(format!("expected `&` or `]` after a test, found `{c}`"))
                    );
                }
            }
        }
    }

    /// The value of `name=`, the cursor on it.
    fn keyed(&mut self, name: &str, name_start: usize) -> Result<Condition, PatternError> {
        let key = match name {
            "text" => Key::Text,
            "lower" => Key::Lower,
            "shape" => Key::Shape,
            "kind" => {
                let at = self.at;
                let value = self.string()?;
                return match value.as_str() {
                    "word" => Ok(Condition::Kind(TokenKind::Word)),
                    "number" => Ok(Condition::Kind(TokenKind::Number)),
                    "punct" => Ok(Condition::Kind(TokenKind::Punct)),
                    "symbol" => Ok(Condition::Kind(TokenKind::Symbol)),
                    other => Err(self.error_at(at, unknown("token kind", other, &KINDS))),
                };
            }
            other if flag(other).is_some() => {
                return Err(self.error_at(
                    name_start,
                    format!("`{other}` is a flag and takes no value: write `[{other}]`"),
                ));
            }
            other => return Err(self.error_at(name_start, unknown("key", other, &KEYS))),
        };
        match self.peek() {
            Some('"') => Ok(Condition::Equals(key, self.string()?)),
            Some('/') => {
                let at = self.at;
                let source = self.regex()?;
                // A regex must match the whole token: `Inc\.?` is not
                // found inside `Incorporated`.
                match Regex::new(&format!("^(?:{source})$")) {
                    Ok(regex) => Ok(Condition::Matches(key, regex)),
                    Err(error) => {
                        let first = error.to_string();
                        let reason = first.lines().last().unwrap_or("").trim().to_string();
                        Err(self.error_at(at, format!("invalid regex /{source}/: {reason}")))
                    }
                }
            }
            _ => Err(self
                .error_here(format!("expected a string \"...\" or a regex /.../ after `{name}=`"))),
        }
    }

    /// A `"..."` string with `\"` and `\\` escapes; the cursor on the quote.
    fn string(&mut self) -> Result<String, PatternError> {
        let open = self.at;
        if self.peek() != Some('"') {
            return Err(self.error_here("expected a string \"...\""));
        }
        self.at += 1;
        let mut value = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error_at(open, "unclosed string `\"`")),
                Some('"') => {
                    self.at += 1;
                    return Ok(value);
                }
                Some('\\') => {
                    match self.chars.get(self.at + 1) {
                        Some(c @ ('"' | '\\')) => value.push(*c),
                        _ => {
                            return Err(self.error_here(
                                "unknown escape: only \\\" and \\\\ are escapes in a string",
                            ));
                        }
                    }
                    self.at += 2;
                }
                Some(c) => {
                    value.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// A `/.../` regex; `\/` is a slash, every other escape is the regex's.
    fn regex(&mut self) -> Result<String, PatternError> {
        let open = self.at;
        self.at += 1;
        let mut source = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error_at(open, "unclosed regex `/`")),
                Some('/') => {
                    self.at += 1;
                    if source.is_empty() {
                        return Err(self.error_at(open, "empty regex `//`"));
                    }
                    return Ok(source);
                }
                Some('\\') if self.chars.get(self.at + 1) == Some(&'/') => {
                    source.push('/');
                    self.at += 2;
                }
                Some('\\') => {
                    source.push('\\');
                    if let Some(c) = self.chars.get(self.at + 1) {
                        source.push(*c);
                    }
                    self.at += 2;
                }
                Some(c) => {
                    source.push(c);
                    self.at += 1;
                }
            }
        }
    }
}

fn flag(name: &str) -> Option<Flag> {
    Some(match name {
        "is_upper" => Flag::IsUpper,
        "is_lower" => Flag::IsLower,
        "is_title" => Flag::IsTitle,
        "is_digit" => Flag::IsDigit,
        "is_alpha" => Flag::IsAlpha,
        "is_punct" => Flag::IsPunct,
        _ => return None,
    })
}

fn unknown(what: &str, name: &str, known: &[&str]) -> String {
    match suggest(name, known) {
        Some(near) => format!("unknown {what} `{name}`; did you mean `{near}`?"),
        None => format!("unknown {what} `{name}` (known: {})", known.join(", ")),
    }
}

/// Whether `label` is an output label: upper case letters, digits and `_`,
/// starting with a letter.
pub fn is_label(label: &str) -> bool {
    let mut chars = label.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Where `{LABEL}` references can go: for each token, the end tokens
/// (exclusive) of the annotations of each referenced label starting there.
pub trait LabelIndex {
    /// Calls `each(end)` for every annotation with `label` (an index into
    /// the program's labels) that starts at token `start`.
    fn ends(&self, label: usize, start: usize, each: &mut dyn FnMut(usize));
}

/// Scratch space for [`Program::longest_at`], reused across calls.
#[derive(Default)]
pub struct Scratch {
    pending: Vec<Vec<usize>>,
    stamp: Vec<u64>,
    generation: u64,
    stack: Vec<usize>,
    /// The result of each test on each token, once computed: 0 unknown,
    /// 1 false, 2 true; `width` tokens a test. A pattern like
    /// `[is_title]+ [text=/Inc\.?/]` tries the same tokens from several
    /// starts, and a regex costs far more than a look-up.
    memo: Vec<u8>,
    width: usize,
}

impl Scratch {
    /// Forgets the test results: call it before running a program over
    /// the `tokens` tokens of a document.
    /// A document so large that the memo would pass [`MAX_MEMO`] bytes
    /// runs without it.
    pub fn reset(&mut self, program: &Program, tokens: usize) {
        let size = program.tests.len().saturating_mul(tokens);
        self.memo.clear();
        if size <= MAX_MEMO {
            self.memo.resize(size, 0);
            self.width = tokens;
        } else {
            self.width = 0;
        }
    }
}

impl Program {
    /// Whether test `test` holds at token `index`, through the memo.
    fn test(
        &self,
        test: usize,
        view: &impl TokenView,
        index: usize,
        scratch: &mut Scratch,
    ) -> bool {
        let slot = if index < scratch.width {
            scratch.memo.get_mut(test * scratch.width + index)
        } else {
            None
        };
        match slot {
            Some(1) => false,
            Some(2) => true,
            Some(slot) => {
                let holds = self.tests.get(test).is_some_and(|t| t.matches(view, index));
                *slot = 1 + u8::from(holds);
                holds
            }
            None => self.tests.get(test).is_some_and(|t| t.matches(view, index)),
        }
    }
}

impl Program {
    /// The end (exclusive) of the longest match starting at token `start`
    /// and ending at or before `limit`, if any.
    pub fn longest_at(
        &self,
        view: &impl TokenView,
        labels: &impl LabelIndex,
        start: usize,
        limit: usize,
        scratch: &mut Scratch,
    ) -> Option<usize> {
        let limit = limit.min(start + MAX_MATCH_TOKENS);
        if start >= limit {
            return None;
        }
        let may_start =
            self.first_labels.iter().any(|&label| {
                let mut any = false;
                labels.ends(label, start, &mut |_| any = true);
                any
            }) || self.first_tests.iter().any(|&test| self.test(test, view, start, scratch));
        if !may_start {
            return None;
        }
        let span = limit - start;
        if scratch.pending.len() < span + 1 {
            scratch.pending.resize_with(span + 1, Vec::new);
        }
        if scratch.stamp.len() < self.insts.len() {
            scratch.stamp.resize(self.insts.len(), 0);
        }
        scratch.pending[0].push(0);
        let mut furthest = 0;
        let mut best = None;
        let mut k = 0;
        while k <= furthest {
            scratch.generation += 1;
            let generation = scratch.generation;
            let mut stack = std::mem::take(&mut scratch.stack);
            stack.append(&mut scratch.pending[k]);
            while let Some(pc) = stack.pop() {
                let Some(stamp) = scratch.stamp.get_mut(pc) else { continue };
                if *stamp == generation {
                    continue;
                }
                *stamp = generation;
                match self.insts.get(pc) {
                    Some(Inst::Jmp(to)) => stack.push(*to),
                    Some(Inst::Split(a, b)) => {
                        stack.push(*b);
                        stack.push(*a);
                    }
                    Some(Inst::Match) => best = Some(start + k),
                    Some(Inst::Token(test))
                        if k < span && self.test(*test, view, start + k, scratch) =>
                    {
                        scratch.pending[k + 1].push(pc + 1);
                        furthest = furthest.max(k + 1);
                    }
                    Some(Inst::Label(label)) => {
                        let pending = &mut scratch.pending;
                        labels.ends(*label, start + k, &mut |end| {
                            if end > start + k && end <= limit {
                                pending[end - start].push(pc + 1);
                                furthest = furthest.max(end - start);
                            }
                        });
                    }
                    Some(Inst::Token(_)) | None => {}
                }
            }
            scratch.stack = stack;
            k += 1;
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(pattern: &str) -> String {
        compile(pattern).err().map(|e| e.to_string()).unwrap_or_else(|| "compiled".into())
    }

    #[test]
    fn error_messages_name_the_position_and_the_problem() {
        let cases = [
            ("", "at 0: empty pattern"),
            ("[lower=\"acme\"] [is_title", "at 15: unclosed `[`"),
            ("[lower=\"acme]", "at 7: unclosed string `\"`"),
            ("[text=/Inc]", "at 6: unclosed regex `/`"),
            ("[text=/(Inc/]", "at 6: invalid regex /(Inc/: found open group without closing ')'"),
            ("[lowr=\"x\"]", "at 1: unknown key `lowr`; did you mean `lower`?"),
            ("[is_titel]", "at 1: unknown test `is_titel`; did you mean `is_title`?"),
            ("[text]", "at 5: expected `=` after `text`"),
            ("[text=acme]", "at 6: expected a string \"...\" or a regex /.../ after `text=`"),
            (
                "[is_title=\"x\"]",
                "at 1: `is_title` is a flag and takes no value: write `[is_title]`",
            ),
            (
                "[kind=\"verb\"]",
                "at 6: unknown token kind `verb` (known: word, number, punct, symbol)",
            ),
            ("[is_title is_upper]", "at 10: expected `&` or `]` after a test, found `i`"),
            ("{PER", "at 0: unclosed `{`"),
            (
                "{per}",
                "at 1: `{per}` is not a label reference: a label is upper case (A-Z, 0-9, _), like `{PER}`",
            ),
            ("([a=\"x\"]", "at 2: unknown key `a` (known: text, lower, shape, kind)"),
            ("([is_title]", "at 0: unclosed `(`"),
            ("[is_title])", "at 10: unmatched `)`"),
            ("[is_title]]", "at 10: unmatched `]`"),
            ("+[is_title]", "at 0: `+` with nothing to repeat"),
            ("[is_title]+*", "at 11: `*` cannot follow another quantifier"),
            ("[is_title]{3,1}", "at 10: repetition {3,1}: the minimum is above the maximum"),
            ("[is_title]{40}", "at 10: repetition above 32"),
            ("[is_title]{2", "at 10: unclosed repetition `{`: write {n}, {m,n} or {m,}"),
            ("[is_title] | ", "at 13: nothing after `|`"),
            ("| [is_title]", "at 0: nothing before `|`"),
            ("()", "at 0: empty group `()`"),
            (
                "[is_title]? [is_digit]*",
                "at 0: the pattern can match no token at all (every element is optional)",
            ),
            ("[text=\"a\\n\"]", "at 8: unknown escape: only \\\" and \\\\ are escapes in a string"),
            (
                "acme",
                "at 0: unexpected `a`: an element is a token `[...]`, a label `{LABEL}` or a group `(...)`",
            ),
            ("[text=//]", "at 6: empty regex `//`"),
        ];
        for (pattern, expected) in cases {
            assert_eq!(error(pattern), expected, "{pattern}");
        }
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        assert_eq!(
            error("[lower=\"zürich\"] [is_titl]"),
            "at 18: unknown test `is_titl`; did you mean `is_title`?"
        );
    }

    #[test]
    fn flags_agree_on_ascii_and_unicode_paths() {
        let names = ["is_upper", "is_lower", "is_title", "is_digit", "is_alpha", "is_punct"];
        let flags = |text: &str| -> Vec<&str> {
            let bits = flags_of(text, TokenKind::Word);
            names
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, n)| *n)
                .collect()
        };
        assert_eq!(flags("NATO"), ["is_upper", "is_alpha"]);
        assert_eq!(flags("U.S."), ["is_upper"]);
        assert_eq!(flags("said"), ["is_lower", "is_alpha"]);
        assert_eq!(flags("Acme"), ["is_title", "is_alpha"]);
        assert_eq!(flags("Ki-moon"), ["is_title"]);
        assert_eq!(flags("McDonald"), ["is_alpha"]);
        assert_eq!(flags("A"), ["is_upper", "is_alpha"]);
        assert_eq!(flags("2017"), ["is_digit"]);
        assert_eq!(flags("80,000"), Vec::<&str>::new());
        assert_eq!(flags(""), Vec::<&str>::new());
        // The same words through the Unicode path.
        assert_eq!(flags("NATÖ"), ["is_upper", "is_alpha"]);
        assert_eq!(flags("Zürich"), ["is_title", "is_alpha"]);
        assert_eq!(flags("zürich"), ["is_lower", "is_alpha"]);
        assert_eq!(flags("McDönald"), ["is_alpha"]);
        assert_eq!(flags("Ü"), ["is_upper", "is_alpha"]);
        assert_eq!(flags("Ō'Brien"), Vec::<&str>::new());
        assert_eq!(flags_of(",", TokenKind::Punct), 1 << 5);
    }

    #[test]
    fn shapes() {
        let shape_of = |text: &str| {
            let mut out = String::new();
            shape(text, &mut out);
            out
        };
        assert_eq!(shape_of("Acme"), "Xxxx");
        assert_eq!(shape_of("Microsoft"), "Xxxxx");
        assert_eq!(shape_of("2017"), "dddd");
        assert_eq!(shape_of("U.S."), "X.X.");
        assert_eq!(shape_of("Zürich"), "Xxxxx");
        assert_eq!(shape_of("5G"), "dX");
    }

    struct Words(Vec<&'static str>);

    impl TokenView for Words {
        fn text(&self, index: usize) -> &str {
            self.0.get(index).copied().unwrap_or("")
        }
        fn lower(&self, index: usize) -> &str {
            self.text(index)
        }
        fn shape(&self, _index: usize) -> &str {
            ""
        }
        fn kind(&self, _index: usize) -> TokenKind {
            TokenKind::Word
        }
        fn flags(&self, index: usize) -> u8 {
            flags_of(self.text(index), TokenKind::Word)
        }
    }

    struct NoLabels;

    impl LabelIndex for NoLabels {
        fn ends(&self, _label: usize, _start: usize, _each: &mut dyn FnMut(usize)) {}
    }

    #[test]
    fn the_same_matches_with_and_without_the_memo() {
        let program = compile(r#"[is_title]+ [text=/Inc\.?/]"#).unwrap();
        let words = Words(vec!["Big", "Acme", "Inc.", "rose", "Globex", "Inc"]);
        let mut scratch = Scratch::default();
        let run = |scratch: &mut Scratch| -> Vec<Option<usize>> {
            (0..words.0.len())
                .map(|start| program.longest_at(&words, &NoLabels, start, words.0.len(), scratch))
                .collect()
        };
        scratch.reset(&program, words.0.len());
        let with_memo = run(&mut scratch);
        assert_eq!(with_memo, [Some(3), Some(3), None, None, Some(6), None]);
        // Too large a document for the memo: it is switched off.
        scratch.reset(&program, MAX_MEMO);
        assert_eq!(scratch.width, 0);
        assert_eq!(run(&mut scratch), with_memo);
    }

    #[test]
    fn compiles_groups_alternation_and_counts() {
        let program = compile("([lower=\"a\"] | {PER}){1,2} [is_digit]").unwrap();
        assert_eq!(program.labels, ["PER"]);
        assert_eq!(program.tests.len(), 2);
        assert_eq!(program.insts.last(), Some(&Inst::Match));
        assert!(!program.reads(Key::Shape));
        assert!(program.reads(Key::Lower));
    }
}
