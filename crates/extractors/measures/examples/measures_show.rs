//! Prints the measures of each line of standard input, for trying forms
//! by hand: `echo 'about $5m' | cargo run -p measures --example measures_show`.

use document::{Document, Extractor};
use measures::MeasuresExtractor;

fn main() {
    let extractor = MeasuresExtractor::default();
    for line in std::io::stdin().lines().map_while(Result::ok) {
        let mut document = Document::new("line", line.as_str());
        if let Err(error) = extractor.extract(&mut document) {
            println!("error: {error}");
            continue;
        }
        println!("{line}");
        for annotation in &document.annotations {
            let value = annotation.value.as_ref().map(|v| v.to_string()).unwrap_or_default();
            let attrs = annotation
                .attrs
                .as_ref()
                .map(|a| document::Value::Object(a.clone()).to_string())
                .unwrap_or_default();
            println!(
                "  {} [{}] {value} {attrs}",
                annotation.label,
                document.slice(annotation.span)
            );
        }
    }
}
