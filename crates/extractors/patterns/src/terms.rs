//! Term lists: reading them, and finding them in a document's tokens with
//! one Aho-Corasick automaton.
//!
//! A term and the text are both seen as a sequence of tokens (the `news`
//! tokenizer's), each written as ` token ` (a space on each side), put end
//! to end, with a word's final period as a unit of its own: `Acme Corp.`
//! is ` Acme  Corp  . `. Tokens never hold whitespace, so a match in that
//! string always starts and ends on token boundaries (or before a word's
//! final period): `Acme` cannot match inside `Acmeville`, `Acme Corp.`
//! matches across a line break or two spaces, and both `acme corp.` (which
//! the tokenizer splits as `corp` `.`) and `Acme Corp` (before the period
//! of `Corp.`) are found. Sentences are separated by a `\n`, which no
//! term holds, so no term matches across a sentence boundary. When the
//! list is not case-sensitive, both sides are lower-cased (Unicode, per
//! character); the curly apostrophe `’` is read as `'` on both sides
//! always.

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use document::{Map, Sentence, Span, Token, Value};

/// One term as listed, with the attributes its annotations carry
/// (`id` and the other columns of a TSV file).
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub text: String,
    pub attrs: Option<Map<String, Value>>,
    /// Where it was listed, for error messages: `terms[3]`, `lists/x.tsv:12`.
    pub origin: String,
}

/// Reads a terms file: one term a line, or, when the first line holds a
/// tab, a TSV file whose first line names the columns (`term` required,
/// `id` and any other column become attributes). Blank lines and lines
/// starting with `#` are skipped.
pub fn read_terms_file(path: &Path) -> Result<Vec<Term>, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|error| format!("{name}: {error}"))?;
    parse_terms(&text, &name.to_string())
}

/// [`read_terms_file`] on text; `name` names the file in messages.
pub fn parse_terms(text: &str, name: &str) -> Result<Vec<Term>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'));
    let mut terms = Vec::new();
    let Some((first_number, first)) = lines.next() else {
        return Err(format!("{name}: no terms in the file"));
    };
    if !first.contains('\t') {
        for (number, line) in std::iter::once((first_number, first)).chain(lines) {
            if line.contains('\t') {
                return Err(format!(
                    "{name}:{number}: a tab in a file of one term a line (a TSV file names its columns on its first line)"
                ));
            }
            terms.push(Term {
                text: line.trim().to_string(),
                attrs: None,
                origin: format!("{name}:{number}"),
            });
        }
        return Ok(terms);
    }
    let columns: Vec<&str> = first.split('\t').map(str::trim).collect();
    for (i, column) in columns.iter().enumerate() {
        if column.is_empty() {
            return Err(format!("{name}:{first_number}: column {} has no name", i + 1));
        }
        if columns[..i].contains(column) {
            return Err(format!("{name}:{first_number}: column `{column}` is named twice"));
        }
    }
    let Some(term_column) = columns.iter().position(|column| *column == "term") else {
        return Err(format!(
            "{name}:{first_number}: no `term` column (the first line names the columns: {})",
            columns.join(", ")
        ));
    };
    for (number, line) in lines {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells.len() != columns.len() {
            return Err(format!(
                "{name}:{number}: {} columns, the first line names {}",
                cells.len(),
                columns.len()
            ));
        }
        let mut attrs = Map::new();
        for (column, cell) in columns.iter().zip(&cells) {
            if *column != "term" && !cell.is_empty() {
                attrs.insert((*column).to_string(), Value::from(*cell));
            }
        }
        terms.push(Term {
            text: cells[term_column].to_string(),
            attrs: (!attrs.is_empty()).then_some(attrs),
            origin: format!("{name}:{number}"),
        });
    }
    if terms.is_empty() {
        return Err(format!("{name}: no terms in the file"));
    }
    Ok(terms)
}

/// A match of a term: the byte span in the text and the term's index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermMatch {
    pub span: Span,
    pub term: usize,
}

/// Every term of one extractor entry, compiled once.
pub struct TermMatcher {
    automaton: AhoCorasick,
    /// The terms, in the automaton's pattern order.
    terms: Vec<Term>,
    case_sensitive: bool,
}

/// One unit of the haystack: a token, or a part of one (a word and its
/// final period are two units), with where it is in the haystack and in
/// the text.
struct Unit {
    key_start: usize,
    key_end: usize,
    span: Span,
}

impl TermMatcher {
    /// Compiles the terms; the first of two terms written alike (after
    /// tokenizing and, when not case-sensitive, lower-casing) wins.
    pub fn new(terms: Vec<Term>, case_sensitive: bool) -> Result<Self, String> {
        let mut keys: Vec<String> = Vec::with_capacity(terms.len());
        let mut kept: Vec<Term> = Vec::with_capacity(terms.len());
        let mut seen: HashMap<String, ()> = HashMap::with_capacity(terms.len());
        for term in terms {
            let tokens = tokenizer::tokens(&term.text, Span::new(0, term.text.len()));
            if tokens.is_empty() {
                return Err(format!("{}: empty term", term.origin));
            }
            let mut key = String::with_capacity(term.text.len() + 2 * tokens.len());
            for token in &tokens {
                for part in units(&term.text, token.span) {
                    push_unit(&mut key, part.slice(&term.text), case_sensitive);
                }
            }
            if seen.insert(key.clone(), ()).is_none() {
                keys.push(key);
                kept.push(term);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .map_err(|error| format!("cannot compile the terms: {error}"))?;
        Ok(TermMatcher { automaton, terms: kept, case_sensitive })
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn term(&self, index: usize) -> Option<&Term> {
        self.terms.get(index)
    }

    /// The leftmost-longest matches in `tokens`, which are spans into
    /// `text`, within each of `sentences` (all the tokens as one sentence
    /// when there are none).
    pub fn find(&self, text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<TermMatch> {
        let mut haystack = String::with_capacity(text.len() + 2 * tokens.len());
        let mut parts: Vec<Unit> = Vec::with_capacity(tokens.len() + tokens.len() / 8);
        let whole = [Sentence { span: Span::default(), tokens: 0..tokens.len() }];
        let sentences = if sentences.is_empty() { &whole[..] } else { sentences };
        let mut next = 0;
        for sentence in sentences {
            let range = sentence.tokens.start.max(next)..sentence.tokens.end.min(tokens.len());
            for token in tokens.get(range.clone()).unwrap_or(&[]) {
                for span in units(text, token.span) {
                    let key_start = haystack.len();
                    push_unit(&mut haystack, span.slice(text), self.case_sensitive);
                    parts.push(Unit { key_start, key_end: haystack.len(), span });
                }
            }
            next = next.max(range.end);
            haystack.push('\n');
        }
        let mut found = Vec::new();
        for hit in self.automaton.find_iter(&haystack) {
            // Every key starts with a unit's leading space and ends with a
            // trailing space, so both searches find exact positions.
            let first = parts.partition_point(|part| part.key_start < hit.start());
            let last = parts.partition_point(|part| part.key_end < hit.end());
            let (Some(first), Some(last)) = (parts.get(first), parts.get(last)) else {
                continue;
            };
            if first.key_start == hit.start() && last.key_end == hit.end() {
                let span = Span::new(first.span.start, last.span.end);
                found.push(TermMatch { span, term: hit.pattern().as_usize() });
            }
        }
        found
    }
}

/// The units of a token: a word that ends in a period after a letter or
/// digit (`Corp.`, `U.S.`) is two, the word and the period, so that `Acme
/// Corp.` is found whether the tokenizer kept the period (`Corp.`) or not
/// (`corp` `.`), and `Acme Corp` is found in `Acme Corp.`.
fn units(text: &str, span: Span) -> impl Iterator<Item = Span> {
    let word = span.slice(text);
    let split = word.len() > 1
        && word.ends_with('.')
        && word[..word.len() - 1].chars().next_back().is_some_and(char::is_alphanumeric);
    if split {
        let period = span.end - 1;
        [Some(Span::new(span.start, period)), Some(Span::new(period, span.end))]
            .into_iter()
            .flatten()
    } else {
        [Some(span), None].into_iter().flatten()
    }
}

/// Appends ` unit ` to `out`, lower-cased when not `case_sensitive`, with
/// `’` read as `'`.
fn push_unit(out: &mut String, unit: &str, case_sensitive: bool) {
    out.push(' ');
    if unit.is_ascii() {
        if case_sensitive {
            out.push_str(unit);
        } else {
            out.extend(unit.bytes().map(|byte| char::from(byte.to_ascii_lowercase())));
        }
    } else {
        for c in unit.chars() {
            let c = if c == '’' { '\'' } else { c };
            if case_sensitive {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
    out.push(' ');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_term_a_line() {
        let terms = parse_terms("# companies\nAcme Corp.\n\n  Globex  \r\n", "x.txt").unwrap();
        let texts: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Acme Corp.", "Globex"]);
        assert_eq!(terms[1].origin, "x.txt:4");
        assert_eq!(terms[0].attrs, None);
    }

    #[test]
    fn tsv_with_ids_and_other_columns() {
        let text = "id\tterm\tcountry\nQ1\tAcme Corp.\tUS\nQ2\tGlobex\t\n";
        let terms = parse_terms(text, "x.tsv").unwrap();
        assert_eq!(terms[0].text, "Acme Corp.");
        let attrs = serde_json::to_string(&terms[0].attrs).unwrap();
        assert_eq!(attrs, r#"{"country":"US","id":"Q1"}"#);
        let attrs = serde_json::to_string(&terms[1].attrs).unwrap();
        assert_eq!(attrs, r#"{"id":"Q2"}"#);
    }

    #[test]
    fn file_errors_name_the_line() {
        let cases = [
            ("", "x.tsv: no terms in the file"),
            ("# only a comment\n", "x.tsv: no terms in the file"),
            (
                "id\tname\nQ1\tAcme\n",
                "x.tsv:1: no `term` column (the first line names the columns: id, name)",
            ),
            ("id\tterm\nQ1\tAcme\tUS\n", "x.tsv:2: 3 columns, the first line names 2"),
            ("id\tterm\tid\n", "x.tsv:1: column `id` is named twice"),
            ("id\tterm\n", "x.tsv: no terms in the file"),
            (
                "Acme\nGlobex\tG\n",
                "x.tsv:2: a tab in a file of one term a line (a TSV file names its columns on its first line)",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_terms(text, "x.tsv").err().as_deref(), Some(expected), "{text:?}");
        }
    }
}
