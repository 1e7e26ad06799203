//! The `patterns` extractor: entity lists and token rules written in the
//! pipeline file, without a crate of Rust (the job of spaCy's
//! EntityRuler, CoreNLP's TokensRegex and GATE's JAPE).
//!
//! ```toml
//! [[extractor]]
//! kind = "patterns"
//! label = "SANCTIONED"
//! terms_file = "lists/sanctions.tsv"    # id<TAB>term<TAB>…: the id goes to attrs.id
//! case_sensitive = false
//!
//! [[extractor]]
//! kind = "patterns"
//! label = "COMPANY"
//! terms = ["Acme Corp.", "Globex"]
//! patterns = ['[is_title]+ [text=/Inc\.?|Corp\.?|Ltd\.?/]', '{PER} [lower="said"]']
//! ```
//!
//! Each entry annotates what it finds with its one `label`. `docs/extractors/patterns.md`
//! gives the whole language and the measured speed.
//!
//! # Design
//!
//! **Tokens, not characters.** Terms and patterns both match whole tokens
//! of the `news` tokenizer (`document.tokens`), within one sentence. A term
//! is split into tokens by the same tokenizer at start-up, so `Libya's`
//! in a list matches `Libya's` in the text however it is split, `Acme`
//! never matches inside `Acmeville`, and `Acme Corp.` matches across a line
//! break. That is why this crate depends on `tokenizer`; a document that
//! reaches the extractor without tokens is tokenized with its defaults.
//!
//! **One automaton for all terms.** The terms of an entry are compiled once,
//! in `build`, into one Aho-Corasick automaton over a token-delimited
//! string (`terms.rs`), so the time to scan a document does not grow with
//! the number of terms: the benchmark runs 100 and 100,000 terms at nearly
//! the same speed. Matches are leftmost-longest.
//!
//! **A Thompson program for patterns.** A pattern string is parsed into a
//! small instruction list and run Pike-VM style over the tokens
//! (`pattern.rs`): no backtracking, so no pattern can take exponential
//! time, and a match is at most [`MAX_MATCH_TOKENS`] tokens long. Regexes
//! (`regex-lite`, small and quick to build) test single tokens and must
//! match the whole token.
//!
//! **Errors at build time, with their place.** A bad pattern is refused
//! when the pipeline is built (`runner validate`), with the pattern's index,
//! the character offset within it, and the problem: ``key `patterns`:
//! patterns[2] at 14: unclosed `[` ``. A terms file names its line.
//!
//! **One answer per place.** All matches of an entry (terms first, then each
//! pattern in order) are sorted by start, longer first, then by that
//! order, and kept greedily when they overlap no kept match: the output
//! does not depend on hash order or thread count.
//!
//! What it does not do: match across sentences, mark a part of a match
//! (the whole match is the annotation), or refer to annotations whose
//! span does not start and end on token boundaries.

mod pattern;
mod terms;

use document::{
    Annotation, BuildContext, Component, ComponentOptions, Document, Extractor, OptionDoc,
    OptionsError, Sentence, Span, Token, TokenKind, Value,
};
use serde::Deserialize;

pub use pattern::{
    Flag, Key, LabelIndex, MAX_MATCH_TOKENS, MAX_REPEAT, PatternError, Program, Scratch, TokenView,
    compile, flags_of, is_label, shape,
};
pub use terms::{Term, TermMatch, TermMatcher, parse_terms, read_terms_file};

/// The options of a `[[extractor]] kind = "patterns"` entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternsOptions {
    pub label: String,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub terms_file: Option<String>,
    #[serde(default = "default_case_sensitive")]
    pub case_sensitive: bool,
    #[serde(default)]
    pub patterns: Vec<String>,
}

fn default_case_sensitive() -> bool {
    true
}

impl ComponentOptions for PatternsOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "label",
            ty: "string",
            default: None,
            doc: "The label of every annotation of this entry, upper case (`COMPANY`, `SANCTIONED`).",
        },
        OptionDoc {
            name: "terms",
            ty: "array of strings",
            default: Some("[]"),
            doc: "Phrases to find, matched token by token (`Acme Corp.`).",
        },
        OptionDoc {
            name: "terms_file",
            ty: "path",
            default: Some("none"),
            doc: "A file of terms: one a line, or TSV whose first line names the columns \
                  (`term`, and `id` and any other column as attributes); relative to the pipeline file.",
        },
        OptionDoc {
            name: "case_sensitive",
            ty: "boolean",
            default: Some("true"),
            doc: "Whether terms must match the text's case; `false` lower-cases both sides.",
        },
        OptionDoc {
            name: "patterns",
            ty: "array of strings",
            default: Some("[]"),
            doc: "Token patterns (`[is_title]+ [text=/Inc\\.?/]`, `{PER} [lower=\"said\"]`); \
                  docs/extractors/patterns.md.",
        },
    ];
}

/// Finds the terms and patterns of one entry; see the crate documentation.
pub struct PatternsExtractor {
    label: String,
    terms: Option<TermMatcher>,
    patterns: Vec<Program>,
    /// Every label referenced by some pattern, and for each pattern the
    /// index of each of its labels in this list.
    labels: Vec<String>,
    label_maps: Vec<Vec<usize>>,
    needs_lower: bool,
    needs_shape: bool,
}

impl Component for PatternsExtractor {
    const KIND: &'static str = "patterns";
    const DESCRIPTION: &'static str = "Term lists and token patterns from the pipeline file \
        (`terms`, `terms_file`, `patterns = ['[is_title]+ [lower=\"inc.\"]']`), under one label";
    type Options = PatternsOptions;

    fn build(options: PatternsOptions, context: &BuildContext) -> anyhow::Result<Self> {
        if !is_label(&options.label) {
            return Err(OptionsError::invalid(
                "label",
                format!(
                    "`{}` is not a label: upper case letters, digits and `_`, starting with a letter",
                    options.label
                ),
            )
            .into());
        }
        let mut terms: Vec<Term> = options
            .terms
            .iter()
            .enumerate()
            .map(|(index, text)| Term {
                text: text.clone(),
                attrs: None,
                origin: format!("terms[{index}]"),
            })
            .collect();
        if let Some(file) = &options.terms_file {
            let path = context.resolve(file);
            terms.extend(
                read_terms_file(&path)
                    .map_err(|message| OptionsError::invalid("terms_file", message))?,
            );
        }
        let mut errors = Vec::new();
        let mut patterns = Vec::new();
        for (index, source) in options.patterns.iter().enumerate() {
            match compile(source) {
                Ok(program) => patterns.push(program),
                Err(error) => errors.push(format!("patterns[{index}] {error}")),
            }
        }
        if !errors.is_empty() {
            return Err(OptionsError::invalid("patterns", errors.join("; ")).into());
        }
        if terms.is_empty() && patterns.is_empty() {
            return Err(OptionsError::Invalid {
                key: None,
                message: "nothing to find: give `terms`, `terms_file` or `patterns`".into(),
            }
            .into());
        }
        let matcher = if terms.is_empty() {
            None
        } else {
            Some(TermMatcher::new(terms, options.case_sensitive).map_err(|message| {
                // An inline term's origin is `terms[i]`, a file's `path:line`.
                let key = if message.starts_with("terms[") { "terms" } else { "terms_file" };
                OptionsError::invalid(key, message)
            })?)
        };
        let mut labels: Vec<String> = Vec::new();
        let label_maps = patterns
            .iter()
            .map(|program| {
                program
                    .labels
                    .iter()
                    .map(|label| match labels.iter().position(|known| known == label) {
                        Some(index) => index,
                        None => {
                            labels.push(label.clone());
                            labels.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(PatternsExtractor {
            label: options.label,
            terms: matcher,
            needs_lower: patterns.iter().any(|program| program.reads(Key::Lower)),
            needs_shape: patterns.iter().any(|program| program.reads(Key::Shape)),
            patterns,
            labels,
            label_maps,
        })
    }
}

impl PatternsExtractor {
    /// The number of distinct terms compiled.
    pub fn term_count(&self) -> usize {
        self.terms.as_ref().map_or(0, TermMatcher::len)
    }
}

/// A candidate match before overlaps are resolved.
struct Found {
    span: Span,
    /// 0 for terms, 1 + the pattern's index for patterns.
    source: usize,
    term: Option<usize>,
}

impl Extractor for PatternsExtractor {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        let own;
        let (tokens, sentences): (&[Token], &[Sentence]) = if document.tokens.is_empty() {
            own = tokenizer::tokenize(&document.text, document.body());
            (&own.0, &own.1)
        } else {
            (&document.tokens, &document.sentences)
        };
        let mut found: Vec<Found> = Vec::new();
        if let Some(terms) = &self.terms {
            for hit in terms.find(&document.text, tokens, sentences) {
                found.push(Found { span: hit.span, source: 0, term: Some(hit.term) });
            }
        }
        if !self.patterns.is_empty() {
            let view = View::new(&document.text, tokens, self.needs_lower, self.needs_shape);
            let index = Labels::new(&document.annotations, tokens, &self.labels);
            let mut scratch = Scratch::default();
            let whole = [Sentence { span: Span::default(), tokens: 0..tokens.len() }];
            let sentences = if sentences.is_empty() { &whole[..] } else { sentences };
            for (number, program) in self.patterns.iter().enumerate() {
                let labels = Mapped { index: &index, map: &self.label_maps[number] };
                scratch.reset(program, tokens.len());
                for sentence in sentences {
                    let end = sentence.tokens.end.min(tokens.len());
                    let mut start = sentence.tokens.start;
                    while start < end {
                        match program.longest_at(&view, &labels, start, end, &mut scratch) {
                            Some(stop) => {
                                found.push(Found {
                                    span: token_span(tokens, start, stop),
                                    source: number + 1,
                                    term: None,
                                });
                                start = stop;
                            }
                            None => start += 1,
                        }
                    }
                }
            }
        }
        found.sort_by_key(|hit| (hit.span.start, std::cmp::Reverse(hit.span.end), hit.source));
        let mut kept_end = 0;
        let mut annotations = Vec::new();
        for hit in found {
            if hit.span.start < kept_end || hit.span.is_empty() {
                continue;
            }
            kept_end = hit.span.end;
            let mut annotation = Annotation::new(&self.label, hit.span);
            match hit.term.and_then(|term| self.terms.as_ref()?.term(term)) {
                Some(term) => annotation.attrs = term.attrs.clone(),
                None if hit.source > 0 => {
                    annotation.set_attr("pattern", Value::from(hit.source - 1))
                }
                None => {}
            }
            annotations.push(annotation);
        }
        for annotation in annotations {
            document.annotate(annotation)?;
        }
        Ok(())
    }
}

/// The span from the start of token `start` to the end of token `stop - 1`.
fn token_span(tokens: &[Token], start: usize, stop: usize) -> Span {
    match (tokens.get(start), stop.checked_sub(1).and_then(|last| tokens.get(last))) {
        (Some(first), Some(last)) => Span::new(first.span.start, last.span.end),
        _ => Span::default(),
    }
}

/// The tokens of a document as patterns read them, with lower-case forms
/// and shapes computed once per document when some pattern reads them.
struct View<'a> {
    text: &'a str,
    tokens: &'a [Token],
    lower: String,
    lower_ends: Vec<usize>,
    shapes: String,
    shape_ends: Vec<usize>,
    flags: Vec<u8>,
}

impl<'a> View<'a> {
    fn new(text: &'a str, tokens: &'a [Token], lower: bool, shapes: bool) -> Self {
        let mut view = View {
            text,
            tokens,
            lower: String::new(),
            lower_ends: Vec::new(),
            shapes: String::new(),
            shape_ends: Vec::new(),
            flags: tokens
                .iter()
                .map(|token| flags_of(token.span.slice(text), token.kind))
                .collect(),
        };
        if lower {
            view.lower_ends.reserve(tokens.len());
            for token in tokens {
                let word = token.span.slice(text);
                if word.is_ascii() {
                    view.lower.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                } else {
                    view.lower.extend(word.chars().flat_map(char::to_lowercase));
                }
                view.lower_ends.push(view.lower.len());
            }
        }
        if shapes {
            view.shape_ends.reserve(tokens.len());
            for token in tokens {
                shape(token.span.slice(text), &mut view.shapes);
                view.shape_ends.push(view.shapes.len());
            }
        }
        view
    }
}

fn nth<'s>(buffer: &'s str, ends: &[usize], index: usize) -> &'s str {
    let start = if index == 0 { 0 } else { ends.get(index - 1).copied().unwrap_or(0) };
    let end = ends.get(index).copied().unwrap_or(start);
    buffer.get(start..end).unwrap_or("")
}

impl TokenView for View<'_> {
    fn text(&self, index: usize) -> &str {
        self.tokens.get(index).map_or("", |token| token.span.slice(self.text))
    }

    fn lower(&self, index: usize) -> &str {
        nth(&self.lower, &self.lower_ends, index)
    }

    fn shape(&self, index: usize) -> &str {
        nth(&self.shapes, &self.shape_ends, index)
    }

    fn kind(&self, index: usize) -> TokenKind {
        self.tokens.get(index).map_or(TokenKind::Symbol, |token| token.kind)
    }

    fn flags(&self, index: usize) -> u8 {
        self.flags.get(index).copied().unwrap_or(0)
    }
}

/// The annotations a pattern can refer to, as token ranges: sorted
/// `(start token, label, end token)`.
struct Labels {
    entries: Vec<(usize, usize, usize)>,
}

impl Labels {
    fn new(annotations: &[Annotation], tokens: &[Token], labels: &[String]) -> Self {
        let mut entries = Vec::new();
        if labels.is_empty() {
            return Labels { entries };
        }
        for annotation in annotations {
            let Some(label) = labels.iter().position(|label| *label == annotation.label) else {
                continue;
            };
            let span = annotation.span;
            let first = tokens.partition_point(|token| token.span.start < span.start);
            let last = tokens.partition_point(|token| token.span.end < span.end);
            let aligned = tokens.get(first).is_some_and(|token| token.span.start == span.start)
                && tokens.get(last).is_some_and(|token| token.span.end == span.end)
                && first <= last;
            if aligned {
                entries.push((first, label, last + 1));
            }
        }
        entries.sort_unstable();
        entries.dedup();
        Labels { entries }
    }
}

/// [`Labels`] seen through one pattern's own label numbers.
struct Mapped<'a> {
    index: &'a Labels,
    map: &'a [usize],
}

impl LabelIndex for Mapped<'_> {
    fn ends(&self, label: usize, start: usize, each: &mut dyn FnMut(usize)) {
        let Some(&label) = self.map.get(label) else { return };
        let entries = &self.index.entries;
        let from = entries.partition_point(|&(s, l, _)| (s, l) < (start, label));
        for &(s, l, end) in &entries[from..] {
            if (s, l) != (start, label) {
                break;
            }
            each(end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_defaults_agree_with_serde() {
        let options: PatternsOptions = serde_json::from_str(
            r#"{"label": "X", "terms": [], "case_sensitive": true, "patterns": []}"#,
        )
        .unwrap();
        let defaults: PatternsOptions = serde_json::from_str(r#"{"label": "X"}"#).unwrap();
        assert_eq!(options, defaults);
        let documented: Vec<_> =
            PatternsOptions::OPTIONS.iter().map(|option| (option.name, option.default)).collect();
        assert_eq!(
            documented,
            [
                ("label", None),
                ("terms", Some("[]")),
                ("terms_file", Some("none")),
                ("case_sensitive", Some("true")),
                ("patterns", Some("[]")),
            ]
        );
    }
}
