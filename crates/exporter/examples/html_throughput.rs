//! How fast the `html` exporter renders document pages, without the file
//! system: a synthetic article with dense, nested and crossing annotations,
//! rendered repeatedly, and one pathological document with thousands of
//! spans nested inside each other (which must stay linear).
//!
//! ```sh
//! cargo run --release -p exporter --example html_throughput
//! ```

use std::time::Instant;

use document::{Annotation, Document, Span};
use exporter::html::document_page;
use serde_json::json;

/// A news-like paragraph with one annotation about every three words.
fn article(paragraphs: usize) -> Document {
    let paragraph = "TRIPOLI, Dec. 9 (Xinhua) -- Italian minister Marco Minniti said on Saturday \
                     that European countries will provide Libya with 35 million euros (41.18 \
                     million U.S. dollars) to support southern security in Zürich & São Paulo.\n\n";
    let text = paragraph.repeat(paragraphs);
    let mut document = Document::new("synthetic", text);
    let spans: [(&str, &str); 9] = [
        ("DATELINE", "TRIPOLI, Dec. 9 (Xinhua) --"),
        ("LOC", "TRIPOLI"),
        ("DATE", "Dec. 9"),
        ("MISC", "Italian"),
        ("PER", "Marco Minniti"),
        ("DATE", "Saturday"),
        ("LOC", "Libya"),
        ("MONEY", "35 million euros"),
        ("LOC", "São Paulo"),
    ];
    for index in 0..paragraphs {
        let base = index * paragraph.len();
        for (label, needle) in spans {
            let Some(offset) = paragraph.find(needle) else { continue };
            let span = Span::new(base + offset, base + offset + needle.len());
            let annotation = match label {
                "MONEY" => Annotation::new(label, span)
                    .with_value(json!({"amount": "35000000", "currency": "EUR"})),
                "DATE" => Annotation::new(label, span).with_value("2017-12-09"),
                _ => Annotation::new(label, span),
            };
            let _ = document.annotate(annotation);
        }
        // A span crossing the money and the parenthesis.
        if let Some(offset) = paragraph.find("euros (41.18") {
            let _ = document.annotate(Annotation::new(
                "QUANTITY",
                Span::new(base + offset, base + offset + 12),
            ));
        }
    }
    document
}

fn main() {
    let document = article(500);
    let passes = 20;
    let started = Instant::now();
    let mut bytes = 0;
    for _ in 0..passes {
        bytes += document_page(&document).len();
    }
    let seconds = started.elapsed().as_secs_f64();
    let text_mb = (document.text.len() * passes) as f64 / 1e6;
    println!(
        "dense article: {} bytes of text, {} annotations, {passes} passes in {seconds:.3} s: \
         {:.1} MB/s of text, {:.0} annotations/s, {:.1} MB of HTML written",
        document.text.len(),
        document.annotations.len(),
        text_mb / seconds,
        (document.annotations.len() * passes) as f64 / seconds,
        bytes as f64 / 1e6
    );

    for depth in [1_000, 10_000] {
        let text = "x".repeat(depth * 2);
        let mut nested = Document::new("nested", text);
        for level in 0..depth {
            let _ = nested.annotate(Annotation::new("MISC", Span::new(level, depth * 2 - level)));
        }
        let started = Instant::now();
        let page = document_page(&nested);
        println!(
            "{depth} nested spans: {:.3} s, {:.1} MB of HTML",
            started.elapsed().as_secs_f64(),
            page.len() as f64 / 1e6
        );
    }
}
