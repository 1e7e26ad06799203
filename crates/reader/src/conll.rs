//! The `conll` reader: CoNLL-2003 column files, one document per
//! `-DOCSTART-` block.
//!
//! The first column of each non-blank line is a token; the other columns
//! (part of speech, chunk, gold tag; or only the tag in two-column files)
//! are kept verbatim. A blank line ends a sentence, a `-DOCSTART-` line
//! starts a new document. The text of a document is its tokens joined by
//! single spaces and its sentences joined by newlines, and the reader
//! supplies the tokens and sentences itself, so that the tokenizer keeps the
//! corpus's own segmentation (evaluating against CoNLL only makes sense
//! token by token).
//!
//! The raw lines of each document, `-DOCSTART-` and blank lines included,
//! travel in the metadata key [`CONLL_LINES`], so that the `conll` exporter
//! can write every input line back with its original columns and one more
//! for the prediction, which is what conlleval reads.

use std::path::PathBuf;

use document::{
    BuildContext, Component, ComponentOptions, Document, DocumentStream, Failure, OptionDoc,
    OptionsError, Reader, Sentence, Span, Token, TokenKind, Value,
};
use serde::Deserialize;

use crate::DEFAULT_MAX_DOCUMENT_BYTES;
use crate::decode::{decode_owned, read_document};

/// The metadata key that holds a document's original lines, each ended by `\n`.
pub const CONLL_LINES: &str = "conll_lines";

/// Options of the `conll` reader.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConllOptions {
    /// One CoNLL file (.gz/.zst too).
    pub path: String,
}

impl ComponentOptions for ConllOptions {
    const OPTIONS: &'static [OptionDoc] = &[OptionDoc {
        name: "path",
        ty: "path",
        default: None,
        doc: "A CoNLL-2003 file (token first, tag last; 4 or 2 columns; .gz/.zst too); \
              relative to the pipeline file's folder.",
    }];
}

/// Reads a CoNLL-2003 file as documents with their own tokens and sentences.
#[derive(Debug)]
pub struct ConllReader {
    path: PathBuf,
}

impl Component for ConllReader {
    const KIND: &'static str = "conll";
    const DESCRIPTION: &'static str =
        "CoNLL-2003 column files: one document per -DOCSTART-, tokens and sentences supplied";
    type Options = ConllOptions;

    fn build(options: ConllOptions, context: &BuildContext) -> anyhow::Result<Self> {
        if options.path.trim().is_empty() {
            return Err(OptionsError::invalid("path", "must not be empty").into());
        }
        let path = context.resolve(&options.path);
        if !path.is_file() {
            let message = format!("{} is not a file", path.display());
            return Err(OptionsError::invalid("path", message).into());
        }
        Ok(ConllReader { path })
    }
}

impl Reader for ConllReader {
    fn open(&self) -> anyhow::Result<DocumentStream<'_>> {
        let bytes = read_document(&self.path, DEFAULT_MAX_DOCUMENT_BYTES * 10)
            .map_err(|reason| anyhow::anyhow!("{}: {reason}", self.path.display()))?;
        let text = decode_owned(bytes).text;
        let name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "conll".into());
        let source = self.path.display().to_string();
        let documents = split_documents(&text)
            .into_iter()
            .enumerate()
            .map(move |(index, lines)| {
                let id = format!("{name}:{}", index + 1);
                let mut document = parse_document(&id, lines);
                document.source = source.clone();
                Ok::<Document, Failure>(document)
            })
            .collect::<Vec<_>>();
        Ok(Box::new(documents.into_iter()))
    }

    fn total_bytes(&self) -> Option<u64> {
        std::fs::metadata(&self.path).ok().map(|metadata| metadata.len())
    }

    fn fingerprint(&self) -> Option<u64> {
        let metadata = std::fs::metadata(&self.path).ok()?;
        let mut hasher = document::StableHasher::new();
        let modified = crate::listing::modified_nanos(&metadata);
        crate::listing::hash_file(&mut hasher, &self.path, metadata.len(), modified);
        Some(hasher.finish())
    }
}

fn is_docstart(line: &str) -> bool {
    line.trim_start().starts_with("-DOCSTART-")
}

/// The lines of `text` cut into documents: each `-DOCSTART-` line starts
/// one; lines before the first belong to a document of their own.
pub fn split_documents(text: &str) -> Vec<Vec<&str>> {
    let mut documents: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if is_docstart(line) && !current.is_empty() {
            documents.push(std::mem::take(&mut current));
        }
        current.push(line);
    }
    if !current.is_empty() {
        documents.push(current);
    }
    documents
}

/// One document from its lines: text, tokens, sentences and the raw lines.
pub fn parse_document(id: &str, lines: Vec<&str>) -> Document {
    let mut text = String::new();
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    let mut sentence_start: Option<(usize, usize)> = None;
    let close = |text: &str,
                 tokens: &Vec<Token>,
                 start: Option<(usize, usize)>,
                 out: &mut Vec<Sentence>| {
        if let Some((byte, token)) = start {
            out.push(Sentence { span: Span::new(byte, text.len()), tokens: token..tokens.len() });
        }
    };
    for line in &lines {
        let word = line.split_whitespace().next();
        let word = match word {
            Some(word) if !is_docstart(line) => word,
            _ => {
                close(&text, &tokens, sentence_start.take(), &mut sentences);
                continue;
            }
        };
        match sentence_start {
            None => {
                if !text.is_empty() {
                    text.push('\n');
                }
                sentence_start = Some((text.len(), tokens.len()));
            }
            Some(_) => text.push(' '),
        }
        let start = text.len();
        text.push_str(word);
        tokens.push(Token { span: Span::new(start, text.len()), kind: token_kind(word) });
    }
    close(&text, &tokens, sentence_start.take(), &mut sentences);
    let mut document = Document::new(id, text);
    document.tokens = tokens;
    document.sentences = sentences;
    // Each line keeps its own newline, so a trailing blank line survives.
    let mut raw = String::with_capacity(lines.iter().map(|line| line.len() + 1).sum());
    for line in &lines {
        raw.push_str(line);
        raw.push('\n');
    }
    document.metadata.insert(CONLL_LINES.into(), Value::String(raw));
    document
}

fn token_kind(word: &str) -> TokenKind {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) if first.is_alphabetic() => TokenKind::Word,
        Some(first) if first.is_ascii_digit() => TokenKind::Number,
        Some(first) if first.is_ascii_punctuation() && !"$%&#@+<=>^|~".contains(first) => {
            TokenKind::Punct
        }
        _ => TokenKind::Symbol,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\
                          German JJ I-NP I-MISC\n. . O O\n\nPeter NNP I-NP I-PER\n\n\
                          -DOCSTART- -X- O O\n\n1996 CD I-NP O\n";

    #[test]
    fn splits_documents_and_keeps_every_line() {
        let documents = split_documents(SAMPLE);
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].len(), 9);
        assert_eq!(documents[1], ["-DOCSTART- -X- O O", "", "1996 CD I-NP O"]);
    }

    #[test]
    fn builds_text_tokens_and_sentences() {
        let documents = split_documents(SAMPLE);
        let document = parse_document("d:1", documents[0].clone());
        assert_eq!(document.text, "EU rejects German .\nPeter");
        let words: Vec<&str> = document.tokens.iter().map(|t| document.slice(t.span)).collect();
        assert_eq!(words, ["EU", "rejects", "German", ".", "Peter"]);
        assert_eq!(document.tokens[3].kind, TokenKind::Punct);
        assert_eq!(document.sentences.len(), 2);
        assert_eq!(document.sentences[0].span, Span::new(0, 19));
        assert_eq!(document.sentences[0].tokens, 0..4);
        assert_eq!(document.sentences[1].span, Span::new(20, 25));
        assert_eq!(document.sentences[1].tokens, 4..5);
        let lines = document.metadata[CONLL_LINES].as_str().unwrap();
        assert_eq!(lines.lines().count(), 9);
    }

    #[test]
    fn two_columns_and_no_docstart() {
        let documents = split_documents("Rome B-LOC\nis O\n\n\nok O");
        assert_eq!(documents.len(), 1);
        let document = parse_document("d", documents[0].clone());
        assert_eq!(document.text, "Rome is\nok");
        assert_eq!(document.sentences.len(), 2);
        let empty = parse_document("e", vec!["-DOCSTART- -X- O O", ""]);
        assert_eq!(empty.text, "");
        assert!(empty.tokens.is_empty() && empty.sentences.is_empty());
    }
}
