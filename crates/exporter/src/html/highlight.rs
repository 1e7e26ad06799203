//! The article text with its annotations as nested `<mark>` elements.
//!
//! Annotations may nest (a `LOC` inside a `QUOTE`, a `DATE` inside a
//! `DATELINE`) and may cross (one ends inside another), while HTML
//! elements must nest properly. The text is cut at every annotation
//! boundary and walked once, with a stack of open elements: at each
//! boundary the elements that end there are closed, and any element still
//! open above one of them is closed and reopened right after, so a crossing
//! annotation becomes two adjacent pieces with the same colour. Elements
//! that start at one boundary open outermost first (the longer span
//! first), so a nested span sits inside its container.
//!
//! The label tag after an annotation (`LOC`) is drawn by CSS from an empty
//! element at its last piece, so the document's text in the DOM is exactly
//! the article. Stacks deeper than [`MAX_DEPTH`] drop the innermost
//! annotations from the text (they stay in the tables): that keeps the
//! work linear even for a pathological document with thousands of nested
//! spans.

use std::collections::BTreeMap;

use document::{Annotation, Span};

use super::markup::{describe, push_escaped};

/// The deepest nesting drawn in the text.
pub const MAX_DEPTH: usize = 6;

/// One element to draw: an annotation, or the document's header line.
struct Item {
    span: Span,
    /// Index into the annotations, or `None` for the header.
    annotation: Option<usize>,
}

/// Appends the HTML of `text` with `annotations` highlighted. `classes`
/// gives each label its CSS class number (`k<n>`); annotations whose span
/// does not fit the text, or is empty, are not drawn. `header`, when
/// given, is drawn greyed as a `<span class="header">`.
pub fn highlight(
    out: &mut String,
    text: &str,
    annotations: &[Annotation],
    header: Option<Span>,
    classes: &BTreeMap<String, usize>,
) {
    let mut items: Vec<Item> = Vec::with_capacity(annotations.len() + 1);
    if let Some(header) = header.filter(|span| span.check(text).is_ok() && !span.is_empty()) {
        items.push(Item { span: header, annotation: None });
    }
    for (index, annotation) in annotations.iter().enumerate() {
        if annotation.span.check(text).is_ok() && !annotation.span.is_empty() {
            items.push(Item { span: annotation.span, annotation: Some(index) });
        }
    }
    // Outer before inner at one start; the input order breaks ties, so the
    // output is the same on every run.
    let mut by_start: Vec<usize> = (0..items.len()).collect();
    by_start.sort_by_key(|&item| {
        (items[item].span.start, std::cmp::Reverse(items[item].span.end), item)
    });
    let mut by_end: Vec<usize> = (0..items.len()).collect();
    by_end.sort_by_key(|&item| (items[item].span.end, item));
    let mut boundaries: Vec<usize> =
        items.iter().flat_map(|item| [item.span.start, item.span.end]).collect();
    boundaries.sort_unstable();
    boundaries.dedup();

    let mut opened = vec![false; items.len()];
    let mut closing = vec![false; items.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut reopen: Vec<usize> = Vec::new();
    let (mut next_start, mut next_end, mut cursor) = (0, 0, 0);
    for boundary in boundaries {
        push_escaped(out, text.get(cursor..boundary).unwrap_or_default());
        cursor = boundary;

        // Close what ends here, and reopen what was open above it.
        let mut any_closing = false;
        while let Some(&item) = by_end.get(next_end) {
            if items[item].span.end != boundary {
                break;
            }
            next_end += 1;
            if opened[item] {
                closing[item] = true;
                any_closing = true;
            }
        }
        if any_closing {
            let depth = stack.iter().position(|&item| closing[item]).unwrap_or(stack.len());
            reopen.clear();
            while stack.len() > depth {
                let Some(item) = stack.pop() else { break };
                if closing[item] {
                    close(out, &items[item], annotations, true);
                    closing[item] = false;
                    opened[item] = false;
                } else {
                    close(out, &items[item], annotations, false);
                    reopen.push(item);
                }
            }
            for &item in reopen.iter().rev() {
                open(out, &items[item], annotations, classes, false);
                stack.push(item);
            }
        }

        // Open what starts here, outermost first.
        while let Some(&item) = by_start.get(next_start) {
            if items[item].span.start != boundary {
                break;
            }
            next_start += 1;
            if stack.len() < MAX_DEPTH {
                open(out, &items[item], annotations, classes, true);
                opened[item] = true;
                stack.push(item);
            }
        }
    }
    push_escaped(out, text.get(cursor..).unwrap_or_default());
    // Every span ends inside the text, so the stack is empty here; close
    // anything left all the same, so that the page stays well formed.
    while let Some(item) = stack.pop() {
        close(out, &items[item], annotations, true);
    }
}

fn open(
    out: &mut String,
    item: &Item,
    annotations: &[Annotation],
    classes: &BTreeMap<String, usize>,
    first_piece: bool,
) {
    let Some(annotation) = item.annotation.and_then(|index| annotations.get(index)) else {
        out.push_str("<span class=\"header\">");
        return;
    };
    let class = classes.get(&annotation.label).copied().unwrap_or(0);
    out.push_str(&format!("<mark class=\"k{class}\""));
    if first_piece && let Some(index) = item.annotation {
        out.push_str(&format!(" id=\"a{index}\""));
    }
    out.push_str(" data-label=\"");
    push_escaped(out, &annotation.label);
    out.push_str("\" title=\"");
    push_escaped(out, &annotation.label);
    let description = describe(annotation);
    if !description.is_empty() {
        out.push_str(": ");
        push_escaped(out, &description);
    }
    out.push_str("\">");
}

fn close(out: &mut String, item: &Item, annotations: &[Annotation], last_piece: bool) {
    let Some(annotation) = item.annotation.and_then(|index| annotations.get(index)) else {
        out.push_str("</span>");
        return;
    };
    if last_piece {
        out.push_str("<i class=\"lb\" data-label=\"");
        push_escaped(out, &annotation.label);
        out.push_str("\"></i>");
    }
    out.push_str("</mark>");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The highlighted text with the tooltips and ids left out, marks
    /// written as `[LABEL …]`, for readable expectations.
    fn render(text: &str, annotations: &[Annotation], header: Option<Span>) -> String {
        let mut classes = BTreeMap::new();
        for annotation in annotations {
            let next = classes.len();
            classes.entry(annotation.label.clone()).or_insert(next);
        }
        let mut out = String::new();
        highlight(&mut out, text, annotations, header, &classes);
        simplify(&out)
    }

    fn simplify(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(position) = rest.find('<') {
            out.push_str(&rest[..position]);
            let end = rest[position..].find('>').unwrap() + position;
            let tag = &rest[position..=end];
            if tag.starts_with("<mark") {
                let label = tag.split("data-label=\"").nth(1).unwrap().split('"').next().unwrap();
                out.push_str(&format!("[{label} "));
            } else if tag == "</mark>" {
                out.push(']');
            } else if tag.starts_with("<span class=\"header\"") {
                out.push('{');
            } else if tag == "</span>" {
                out.push('}');
            } else if tag.starts_with("<i class=\"lb\"") || tag == "</i>" {
                if tag != "</i>" {
                    out.push('·');
                }
            } else {
                panic!("unexpected tag {tag}");
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    fn annotation(label: &str, start: usize, end: usize) -> Annotation {
        Annotation::new(label, Span::new(start, end))
    }

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(
            render("a <script>alert(1)</script> & b", &[], None),
            "a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b"
        );
    }

    #[test]
    fn nested_spans_nest() {
        // "said "Tripoli is calm"": a LOC inside a QUOTE.
        let text = "He said \"Tripoli is calm\".";
        let annotations = [annotation("LOC", 9, 16), annotation("QUOTE", 8, 25)];
        assert_eq!(
            render(text, &annotations, None),
            "He said [QUOTE &quot;[LOC Tripoli·] is calm&quot;·]."
        );
    }

    #[test]
    fn equal_spans_nest_in_input_order() {
        let annotations = [annotation("LOC", 0, 7), annotation("GPE", 0, 7)];
        assert_eq!(render("TRIPOLI, Dec. 9", &annotations, None), "[LOC [GPE TRIPOLI·]·], Dec. 9");
    }

    #[test]
    fn crossing_spans_are_split_and_reopened() {
        // "New York Times": LOC "New York" and ORG "York Times" cross.
        let annotations = [annotation("LOC", 0, 8), annotation("ORG", 4, 14)];
        assert_eq!(
            render("New York Times", &annotations, None),
            "[LOC New [ORG York]·][ORG  Times·]"
        );
    }

    #[test]
    fn a_span_closing_below_others_reopens_them_in_order() {
        // B crosses A, and C, inside B, crosses A too.
        let annotations = [annotation("A", 0, 4), annotation("B", 1, 6), annotation("C", 2, 5)];
        assert_eq!(render("abcdefg", &annotations, None), "[A a[B b[C cd]]·][B [C e·]f·]g");
    }

    #[test]
    fn adjacent_spans_and_the_header() {
        let text = "HEAD\nRome Paris";
        let annotations = [annotation("LOC", 5, 9), annotation("LOC", 10, 15)];
        assert_eq!(
            render(text, &annotations, Some(Span::new(0, 5))),
            "{HEAD\n}[LOC Rome·] [LOC Paris·]"
        );
    }

    #[test]
    fn non_ascii_offsets_are_bytes_on_char_boundaries() {
        // "Zürich" is 7 bytes, "São Paulo" 10; the emoji is 4.
        let text = "Zürich 🙂 São Paulo, 35 €";
        let zurich = annotation("LOC", 0, 7);
        let emoji = annotation("MISC", 8, 12);
        let sao_paulo = annotation("LOC", 13, 23);
        let euro = annotation("MONEY", 25, 31);
        assert_eq!(&text[25..31], "35 €");
        assert_eq!(
            render(text, &[zurich, emoji, sao_paulo, euro], None),
            "[LOC Zürich·] [MISC 🙂·] [LOC São Paulo·], [MONEY 35 €·]"
        );
    }

    #[test]
    fn spans_that_do_not_fit_are_left_out() {
        let text = "Zürich";
        let inside_a_char = annotation("LOC", 0, 2);
        let past_the_end = annotation("LOC", 0, 99);
        let reversed = annotation("LOC", 5, 1);
        let empty = annotation("LOC", 3, 3);
        let good = annotation("LOC", 0, 7);
        assert_eq!(
            render(text, &[inside_a_char, past_the_end, reversed, empty, good], None),
            "[LOC Zürich·]"
        );
    }

    #[test]
    fn deep_nesting_is_capped() {
        let text = "abcdefghijklmnopqrst";
        let annotations: Vec<Annotation> =
            (0..9).map(|depth| annotation(&format!("L{depth}"), depth, 20 - depth)).collect();
        assert_eq!(
            render(text, &annotations, None),
            "[L0 a[L1 b[L2 c[L3 d[L4 e[L5 fghijklmno·]p·]q·]r·]s·]t·]"
        );
    }

    #[test]
    fn tooltips_carry_the_value_and_first_pieces_an_anchor() {
        let annotations = [Annotation::new("MONEY", Span::new(0, 3))
            .with_value(serde_json::json!({"amount": "35000000", "currency": "EUR"}))];
        let classes = BTreeMap::from([("MONEY".to_string(), 3)]);
        let mut out = String::new();
        highlight(&mut out, "€35m", &annotations, None, &classes);
        assert_eq!(
            out,
            "<mark class=\"k3\" id=\"a0\" data-label=\"MONEY\" title=\"MONEY: 35,000,000 EUR\">€<i class=\"lb\" data-label=\"MONEY\"></i></mark>35m"
        );
    }
}
