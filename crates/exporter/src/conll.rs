//! The `conll` exporter: the input CoNLL lines with one more column, the
//! predicted IOB2 tag, which is what conlleval and `runner eval ner` read.
//!
//! The `conll` reader keeps each document's original lines in the metadata
//! key `conll_lines`; every token line is written back unchanged with the
//! tag of its token appended, blank and `-DOCSTART-` lines as they were.
//! A document from another reader has no such lines and is written as one
//! token a line (`token TAG`), sentences separated by blank lines.

use std::io::Write;
use std::path::PathBuf;

use document::{
    BuildContext, Component, ComponentOptions, Document, Exporter, FileCheckpoint, OptionDoc, Value,
};
use serde::Deserialize;

use crate::AtomicFile;

/// The metadata key the `conll` reader fills (`reader::conll::CONLL_LINES`).
const CONLL_LINES: &str = "conll_lines";

/// The entity labels written as tags; other annotations are ignored.
pub const ENTITY_LABELS: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConllOptions {
    path: String,
}

impl ComponentOptions for ConllOptions {
    const OPTIONS: &'static [OptionDoc] = &[OptionDoc {
        name: "path",
        ty: "path",
        default: None,
        doc: "output file: every input line plus a predicted IOB2 tag column (PER ORG LOC MISC)",
    }];
}

pub struct ConllExporter {
    path: PathBuf,
    output: Option<AtomicFile>,
    buffer: String,
}

impl Component for ConllExporter {
    const KIND: &'static str = "conll";
    const DESCRIPTION: &'static str =
        "CoNLL columns plus the predicted IOB2 entity tag (conlleval's input)";
    type Options = ConllOptions;

    fn build(options: ConllOptions, context: &BuildContext) -> anyhow::Result<Self> {
        let path = crate::output_file(&options.path, context, None)?;
        Ok(ConllExporter { path, output: None, buffer: String::new() })
    }
}

/// The IOB2 tag of every token of `document`, from its entity annotations.
/// The first annotation over a token wins; a token only partly covered is
/// not tagged.
pub fn token_tags(document: &Document) -> Vec<String> {
    let mut tags = vec![String::from("O"); document.tokens.len()];
    let mut entities: Vec<_> = document
        .annotations
        .iter()
        .filter(|annotation| ENTITY_LABELS.contains(&annotation.label.as_str()))
        .collect();
    entities.sort_by_key(|annotation| annotation.span.start);
    for entity in entities {
        let first = document.tokens.partition_point(|token| token.span.start < entity.span.start);
        let inside = document.tokens[first..]
            .iter()
            .take_while(|token| token.span.end <= entity.span.end)
            .count();
        let range = first..first + inside;
        if inside == 0 || tags[range.clone()].iter().any(|tag| tag != "O") {
            continue;
        }
        for (position, tag) in tags[range].iter_mut().enumerate() {
            let prefix = if position == 0 { "B" } else { "I" };
            *tag = format!("{prefix}-{}", entity.label);
        }
    }
    tags
}

/// The output lines of one document, appended to `out`.
pub fn write_document(document: &Document, out: &mut String) {
    let tags = token_tags(document);
    let mut tags = tags.iter();
    match document.metadata.get(CONLL_LINES) {
        Some(Value::String(lines)) => {
            for line in lines.lines() {
                out.push_str(line);
                let is_token =
                    !line.trim().is_empty() && !line.trim_start().starts_with("-DOCSTART-");
                if is_token {
                    out.push(' ');
                    out.push_str(tags.next().map_or("O", String::as_str));
                }
                out.push('\n');
            }
        }
        _ => {
            for sentence in &document.sentences {
                for token in document.sentence_tokens(sentence) {
                    out.push_str(document.slice(token.span));
                    out.push(' ');
                    out.push_str(tags.next().map_or("O", String::as_str));
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
}

impl Exporter for ConllExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        if self.output.is_none() {
            self.output = Some(AtomicFile::create(&self.path)?);
        }
        self.buffer.clear();
        write_document(document, &mut self.buffer);
        if let Some(output) = self.output.as_mut() {
            output.write_all(self.buffer.as_bytes())?;
        }
        Ok(())
    }

    fn outputs(&self) -> Vec<PathBuf> {
        vec![self.path.clone()]
    }

    fn resumable(&self) -> bool {
        true
    }

    fn checkpoint(&mut self) -> anyhow::Result<Vec<FileCheckpoint>> {
        let output = match &mut self.output {
            Some(output) => output,
            empty => empty.insert(AtomicFile::create(&self.path)?),
        };
        Ok(vec![FileCheckpoint { target: self.path.clone(), length: output.checkpoint()? }])
    }

    fn resume(&mut self, files: &[FileCheckpoint]) -> anyhow::Result<()> {
        let length = crate::errors_file::checkpointed_length(files, 0, &self.path)?;
        self.output = Some(AtomicFile::reopen(&self.path, length)?);
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        let output = match self.output {
            Some(output) => output,
            None => AtomicFile::create(&self.path)?,
        };
        Ok(vec![output.commit()?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{Annotation, Sentence, Span, Token, TokenKind};

    fn document() -> Document {
        let mut document = Document::new("d", "EU rejects German call\nPeter Blackburn");
        let spans = [(0, 2), (3, 10), (11, 17), (18, 22), (23, 28), (29, 38)];
        document.tokens = spans
            .iter()
            .map(|&(start, end)| Token { span: Span::new(start, end), kind: TokenKind::Word })
            .collect();
        document.sentences = vec![
            Sentence { span: Span::new(0, 22), tokens: 0..4 },
            Sentence { span: Span::new(23, 38), tokens: 4..6 },
        ];
        for (label, start, end) in
            [("ORG", 0, 2), ("MISC", 11, 17), ("PER", 23, 38), ("DATE", 3, 10)]
        {
            document.annotate(Annotation::new(label, Span::new(start, end))).unwrap();
        }
        document
    }

    #[test]
    fn tags_tokens_in_iob2() {
        assert_eq!(token_tags(&document()), ["B-ORG", "O", "B-MISC", "O", "B-PER", "I-PER"]);
    }

    #[test]
    fn appends_the_tag_to_the_original_lines() {
        let mut document = document();
        let lines = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\
                     German JJ I-NP I-MISC\ncall NN I-NP O\n\nPeter NNP I-NP I-PER\n\
                     Blackburn NNP I-NP I-PER";
        document.metadata.insert(CONLL_LINES.into(), Value::String(lines.into()));
        let mut out = String::new();
        write_document(&document, &mut out);
        assert_eq!(
            out,
            "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG B-ORG\nrejects VBZ I-VP O O\n\
             German JJ I-NP I-MISC B-MISC\ncall NN I-NP O O\n\nPeter NNP I-NP I-PER B-PER\n\
             Blackburn NNP I-NP I-PER I-PER\n"
        );
    }

    #[test]
    fn without_lines_writes_one_token_a_line() {
        let mut out = String::new();
        write_document(&document(), &mut out);
        assert_eq!(
            out,
            "EU B-ORG\nrejects O\nGerman B-MISC\ncall O\n\nPeter B-PER\nBlackburn I-PER\n\n"
        );
    }
}
