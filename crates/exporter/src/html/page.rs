//! One document's page: date and dateline at the top, a colour legend, the
//! highlighted text, and a table of the facts of each kind.

use std::collections::BTreeMap;
use std::fmt::Write;

use document::{Annotation, Document, Value};

use super::highlight::highlight;
use super::markup::{STYLE, css_color, describe, label_rank, push_escaped, shorten};
use crate::CharOffsets;

/// Rows in one table of a page; a longer table ends with a note (the text
/// above still shows every annotation).
const MAX_TABLE_ROWS: usize = 5000;

/// Characters of an annotation's text shown in a table cell.
pub const MAX_CELL_CHARS: usize = 200;

/// The tables of a page, by label; labels of no group go to "Other".
const GROUPS: [(&str, &[&str]); 4] = [
    ("Entities", &["PER", "ORG", "LOC", "MISC"]),
    ("Times", &["DATE", "TIME", "DURATION", "SET"]),
    ("Money and measures", &["MONEY", "QUANTITY", "PERCENT"]),
    ("Quotes", &["QUOTE"]),
];

/// The labels of some annotations in legend order, numbered for CSS
/// classes (`k0`, `k1`, …), with their counts.
pub fn label_classes(annotations: &[Annotation]) -> (BTreeMap<String, usize>, Vec<(String, u64)>) {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for annotation in annotations {
        *counts.entry(annotation.label.as_str()).or_default() += 1;
    }
    let mut labels: Vec<(&str, u64)> = counts.into_iter().collect();
    labels.sort_by_key(|(label, _)| label_rank(label));
    let classes =
        labels.iter().enumerate().map(|(index, (label, _))| (label.to_string(), index)).collect();
    let counts = labels.into_iter().map(|(label, count)| (label.to_string(), count)).collect();
    (classes, counts)
}

/// CSS rules giving each class its label's colour.
pub fn class_rules(classes: &BTreeMap<String, usize>) -> String {
    let mut rules = String::new();
    for (label, class) in classes {
        let _ = writeln!(
            rules,
            ".k{class}{{--c:{};--b:{}}}",
            css_color(label, 100),
            css_color(label, 22)
        );
    }
    rules
}

pub fn head(out: &mut String, title: &str, extra_style: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>");
    push_escaped(out, title);
    out.push_str("</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str(extra_style);
    out.push_str(".sw{background:var(--c)}\n</style>\n</head>\n<body>\n<main>\n");
}

pub fn tail(out: &mut String) {
    out.push_str("</main>\n</body>\n</html>\n");
}

fn value_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The page of one document.
pub fn document_page(document: &Document) -> String {
    let mut out = String::with_capacity(document.text.len() * 3 + 4096);
    let (classes, counts) = label_classes(&document.annotations);
    head(&mut out, &format!("{} — Dateline", document.id), &class_rules(&classes));
    out.push_str("<nav><a href=\"../index.html\">← all documents</a></nav>\n<h1>");
    push_escaped(&mut out, &document.id);
    out.push_str("</h1>\n<p class=\"meta\"><b>Date</b> ");
    match document.date {
        Some(date) => push_escaped(&mut out, &date.to_string()),
        None => out.push_str("unknown"),
    }
    for dateline in document.annotations.iter().filter(|annotation| annotation.label == "DATELINE")
    {
        out.push_str(" · <b>Dateline</b> ");
        push_escaped(&mut out, &shorten(dateline.span.slice(&document.text), MAX_CELL_CHARS));
        let value = dateline.value.as_ref();
        let field = |key: &str| value_text(value.and_then(|value| value.get(key)));
        let parts: Vec<String> =
            ["place", "region", "date", "agency"].iter().filter_map(|key| field(key)).collect();
        if !parts.is_empty() {
            out.push_str(" → ");
            push_escaped(&mut out, &parts.join(", "));
        }
    }
    out.push_str(" · <b>Words</b> ");
    let _ = write!(out, "{}", document.word_count());
    out.push_str(" · <b>Source</b> ");
    push_escaped(&mut out, &document.source);
    out.push_str("</p>\n");

    out.push_str("<div class=\"legend\">");
    for (label, count) in &counts {
        let class = classes.get(label).copied().unwrap_or(0);
        let _ = write!(out, "<span><span class=\"swatch sw k{class}\"></span>");
        push_escaped(&mut out, label);
        let _ = write!(out, " {count}</span>");
    }
    if counts.is_empty() {
        out.push_str("<span>no annotations</span>");
    }
    out.push_str("</div>\n<div class=\"text\" id=\"text\">");
    highlight(&mut out, &document.text, &document.annotations, document.header, &classes);
    out.push_str("</div>\n");

    let offsets = CharOffsets::new(
        &document.text,
        document
            .annotations
            .iter()
            .flat_map(|annotation| [annotation.span.start, annotation.span.end]),
    );
    let grouped: Vec<&str> = GROUPS.iter().flat_map(|(_, labels)| labels.iter().copied()).collect();
    let tables = GROUPS
        .iter()
        .map(|(title, labels)| {
            (
                *title,
                Box::new(move |label: &str| labels.contains(&label)) as Box<dyn Fn(&str) -> bool>,
            )
        })
        .chain(std::iter::once((
            "Other",
            Box::new(|label: &str| !grouped.contains(&label)) as Box<dyn Fn(&str) -> bool>,
        )));
    for (title, belongs) in tables {
        let rows: Vec<(usize, &Annotation)> = document
            .annotations
            .iter()
            .enumerate()
            .filter(|(_, annotation)| belongs(&annotation.label))
            .collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str("<h2>");
        out.push_str(title);
        let _ = write!(
            out,
            " ({})</h2>\n<table>\n<tr><th>label</th><th>text</th><th>value</th>",
            rows.len()
        );
        out.push_str("<th class=\"n\">start</th><th class=\"n\">end</th><th>extractor</th></tr>\n");
        for (index, annotation) in rows.iter().take(MAX_TABLE_ROWS) {
            let class = classes.get(&annotation.label).copied().unwrap_or(0);
            let _ = write!(out, "<tr><td><span class=\"swatch sw k{class}\"></span>");
            push_escaped(&mut out, &annotation.label);
            let _ = write!(out, "</td><td><a href=\"#a{index}\">");
            push_escaped(&mut out, &shorten(annotation.span.slice(&document.text), MAX_CELL_CHARS));
            out.push_str("</a></td><td>");
            push_escaped(&mut out, &describe(annotation));
            let _ = write!(
                out,
                "</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>",
                offsets.get(annotation.span.start),
                offsets.get(annotation.span.end)
            );
            push_escaped(&mut out, &annotation.extractor);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</table>\n");
        if rows.len() > MAX_TABLE_ROWS {
            let _ = writeln!(
                out,
                "<p class=\"note\">{} more rows are not listed; the text above shows them all.</p>",
                rows.len() - MAX_TABLE_ROWS
            );
        }
    }
    if !document.warnings.is_empty() {
        out.push_str("<h2>Warnings</h2>\n<ul>\n");
        for warning in &document.warnings {
            out.push_str("<li>");
            push_escaped(&mut out, warning);
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    tail(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::Span;
    use serde_json::json;

    #[test]
    fn page_shows_dateline_legend_text_and_tables() {
        let text = "ROME, Jan. 2 (Xinhua) -- Zoë paid 35 million euros <script>x</script>";
        let mut document = Document::new("it/1", text);
        document.date = "2018-01-03".parse().ok();
        let dateline = Annotation::new("DATELINE", Span::new(0, 24)).with_value(
            json!({"place": "ROME", "region": null, "date": "2018-01-02", "agency": "Xinhua"}),
        );
        document.annotate(dateline).unwrap();
        document.annotate(Annotation::new("LOC", Span::new(0, 4))).unwrap();
        document.annotate(Annotation::new("PER", Span::new(25, 29))).unwrap();
        let money = Annotation::new("MONEY", Span::new(35, 51))
            .with_value(json!({"amount": "35000000", "currency": "EUR"}));
        document.annotate(money).unwrap();
        let page = document_page(&document);
        assert!(page.contains("<h1>it/1</h1>"));
        assert!(page.contains("<b>Date</b> 2018-01-03 · <b>Dateline</b> ROME, Jan. 2 (Xinhua) -- → ROME, 2018-01-02, Xinhua"));
        assert!(page.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!page.contains("<script"));
        // Legend order: PER, LOC, MONEY, DATELINE.
        assert!(page.contains(".k0{--c:rgb(224,108,79);--b:rgba(224,108,79,0.22)}"));
        assert!(page.contains("<span><span class=\"swatch sw k2\"></span>MONEY 1</span>"));
        assert!(page.contains("<h2>Entities (2)</h2>"));
        // Zoë is one code point shorter in bytes: 25..29 bytes is 25..28 code points.
        assert!(page.contains(
            "<a href=\"#a2\">Zoë</a></td><td></td><td class=\"n\">25</td><td class=\"n\">28</td>"
        ));
        assert!(page.contains("<td>35,000,000 EUR</td>"));
        assert!(page.contains("<h2>Other (1)</h2>"));
    }
}
