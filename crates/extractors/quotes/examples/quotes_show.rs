//! Shows the quotes of text files: `cargo run -p quotes --example
//! quotes_show -- FILE...` runs the news tokenizer, the embedded ner model
//! and the quotes extractor over each file and prints every `QUOTE` with
//! its value (and the `PER`/`ORG` names with `--names`).

use document::{Document, Extractor, Span};

fn main() -> anyhow::Result<()> {
    let mut names = false;
    let ner = ner::NerExtractor::new(ner::embedded_tagger()?);
    let quotes = quotes::QuotesExtractor::default();
    for argument in std::env::args().skip(1) {
        if argument == "--names" {
            names = true;
            continue;
        }
        let text = std::fs::read_to_string(&argument)?;
        let mut document = Document::new(argument.as_str(), text);
        let (tokens, sentences) =
            tokenizer::tokenize(&document.text, Span::new(0, document.text.len()));
        document.tokens = tokens;
        document.sentences = sentences;
        ner.extract(&mut document)?;
        quotes.extract(&mut document)?;
        println!("== {argument}");
        for annotation in &document.annotations {
            if annotation.label == "QUOTE" || names {
                let value = annotation.value.as_ref().map(ToString::to_string).unwrap_or_default();
                let attrs = annotation.attrs.as_ref().map(|a| format!("{a:?}")).unwrap_or_default();
                println!(
                    "{} [{}] {value} {attrs}",
                    annotation.label,
                    document.slice(annotation.span)
                );
            }
        }
    }
    Ok(())
}
