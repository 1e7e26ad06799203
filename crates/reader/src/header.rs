//! The machine-written header line of Xinhua articles.
//!
//! Articles scraped from Xinhua start with a line such as
//!
//! ```text
//!  date 2017-12-10 Source: Xinhua| 2017-12-10 05:57:50|Editor: Jiaxin
//! ```
//!
//! (note the leading space). It is not prose, but it carries the document
//! date. [`parse_xinhua_header`] recognises it, tolerating the variants
//! seen in the wild (no editor, no time, extra spaces, `\r\n`, leading
//! blank lines), and is strict enough never to take prose for a header:
//! the line must start with `date` and an ISO date, every `|`-separated
//! field after that must be a `Label: value` pair or a date-time, and one
//! of the labels must be `Source` or `Editor`.

use document::Date;

/// Longest line considered; real headers are well under 100 bytes.
const MAX_HEADER_LINE: usize = 400;

/// Longest field value, and most words in one: values are names.
const MAX_VALUE_LEN: usize = 60;
const MAX_VALUE_WORDS: usize = 4;

/// How many blank lines may precede the header.
const MAX_LEADING_BLANK_LINES: usize = 3;

/// A recognised header line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XinhuaHeader {
    /// The date after `date`.
    pub date: Date,
    /// Bytes from the start of the text to the end of the header line,
    /// its line break included: the header span is `0..len`.
    pub len: usize,
    /// The fields, in order, as metadata: `agency` (from `Source`),
    /// `published` (the date-time, as `YYYY-MM-DDTHH:MM[:SS]`), `editor`,
    /// and any other label lower-cased with `_` for spaces.
    pub fields: Vec<(String, String)>,
}

/// The header at the start of `text`, if there is one.
pub fn parse_xinhua_header(text: &str) -> Option<XinhuaHeader> {
    let mut start = 0;
    for _ in 0..=MAX_LEADING_BLANK_LINES {
        let rest = text.get(start..)?;
        let (line, len) = match rest.find('\n') {
            Some(newline) => (&rest[..newline], newline + 1),
            None => (rest, rest.len()),
        };
        if line.trim().is_empty() {
            if len == 0 {
                return None;
            }
            start += len;
            continue;
        }
        let (date, fields) = parse_line(line)?;
        return Some(XinhuaHeader { date, len: start + len, fields });
    }
    None
}

fn parse_line(line: &str) -> Option<(Date, Vec<(String, String)>)> {
    if line.len() > MAX_HEADER_LINE {
        return None;
    }
    let line = line.trim();
    let keyword = line.get(..4)?;
    if !keyword.eq_ignore_ascii_case("date") {
        return None;
    }
    let after_keyword = &line[4..];
    let rest = after_keyword.trim_start();
    if rest.len() == after_keyword.len() {
        return None; // `dated`, `date:` …
    }
    let date = parse_date(rest.get(..10)?)?;
    let rest = &rest[10..];
    if !(rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '|')) {
        return None;
    }
    let mut fields = Vec::new();
    let mut labelled = false;
    for field in rest.split('|').map(str::trim).filter(|field| !field.is_empty()) {
        if let Some(published) = parse_date_time(field) {
            if !fields.iter().any(|(key, _)| key == "published") {
                fields.push(("published".to_owned(), published));
            }
            continue;
        }
        let (label, value) = field.split_once(':')?;
        let label = label.trim();
        let is_label = (1..=30).contains(&label.len())
            && label.starts_with(|c: char| c.is_ascii_alphabetic())
            && label.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
        if !is_label {
            return None;
        }
        let label = label.to_ascii_lowercase();
        labelled |= label == "source" || label == "editor";
        let key = match label.as_str() {
            "source" => "agency".to_owned(),
            other => other.split_whitespace().collect::<Vec<_>>().join("_"),
        };
        let value = value.trim();
        // A name, not a sentence.
        if value.len() > MAX_VALUE_LEN || value.split_whitespace().count() > MAX_VALUE_WORDS {
            return None;
        }
        if !value.is_empty() && !fields.iter().any(|(existing, _)| *existing == key) {
            fields.push((key, value.to_owned()));
        }
    }
    labelled.then_some((date, fields))
}

/// Exactly `YYYY-MM-DD`, a real date.
fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes
            .iter()
            .enumerate()
            .all(|(i, &b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if shape { text.parse().ok() } else { None }
}

/// `YYYY-MM-DD HH:MM[:SS]` (or with `T`), as ISO 8601 with a `T`.
fn parse_date_time(text: &str) -> Option<String> {
    let date = parse_date(text.get(..10)?)?;
    let rest = &text[10..];
    let time = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?.trim_start();
    let parts: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let limits = [23, 59, 60];
    for (part, limit) in parts.iter().zip(limits) {
        let valid = part.len() == 2
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u8>().is_ok_and(|value| value <= limit);
        if !valid {
            return None;
        }
    }
    Some(format!("{date}T{}", parts.join(":")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn parses_the_seed_header() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../seeds/000_168fd1ce8330dd5c.txt"
        ))
        .unwrap();
        let header = parse_xinhua_header(&text).unwrap();
        assert_eq!(header.date, date("2017-12-10"));
        assert_eq!(
            &text[..header.len],
            " date 2017-12-10 Source: Xinhua| 2017-12-10 05:57:50|Editor: Jiaxin\n"
        );
        assert_eq!(header.len, 68);
        assert_eq!(
            header.fields,
            fields(&[
                ("agency", "Xinhua"),
                ("published", "2017-12-10T05:57:50"),
                ("editor", "Jiaxin")
            ])
        );
    }

    #[test]
    fn tolerates_variants() {
        let header =
            parse_xinhua_header("date 2018-07-08 Source: Xinhua| 2018-07-08 03:31:15\nBody")
                .unwrap();
        assert_eq!(header.len, 52);
        assert_eq!(
            header.fields,
            fields(&[("agency", "Xinhua"), ("published", "2018-07-08T03:31:15")])
        );

        let header = parse_xinhua_header(
            "  Date  2018-07-08   Source:Xinhua |Editor:  Li Xia  \r\n\r\nBody",
        )
        .unwrap();
        assert_eq!(header.date, date("2018-07-08"));
        assert_eq!(header.len, 55);
        assert_eq!(header.fields, fields(&[("agency", "Xinhua"), ("editor", "Li Xia")]));

        let header = parse_xinhua_header(
            " date 2017-12-10 Source: Xinhua|2017-12-10T05:57|Editor: |Reporter: Wang Bo",
        )
        .unwrap();
        assert_eq!(header.len, 75);
        assert_eq!(
            header.fields,
            fields(&[
                ("agency", "Xinhua"),
                ("published", "2017-12-10T05:57"),
                ("reporter", "Wang Bo")
            ])
        );

        let header = parse_xinhua_header("\n\n date 2017-12-10 Editor: Jiaxin\nBody").unwrap();
        assert_eq!(header.len, 34);
        assert_eq!(header.fields, fields(&[("editor", "Jiaxin")]));
    }

    #[test]
    fn never_takes_prose_for_a_header() {
        for text in [
            "TRIPOLI, July 7 (Xinhua) -- Libya's UN-backed Prime Minister met ...",
            "date 2017-12-10 was a Sunday.",
            "date 2017-12-10 Source: Xinhua said that the talks had failed, officials said.",
            "The date 2017-12-10 Source: Xinhua| 2017-12-10 05:57:50|Editor: Jiaxin",
            "dated 2017-12-10 Source: Xinhua",
            "date: 2017-12-10 Source: Xinhua",
            "date 2017-02-30 Source: Xinhua",
            "date 2017-12-10Source: Xinhua",
            "date 2017-12-10 Source: Xinhua| 2017-12-10 25:57:50",
            "date 2017-12-10",
            "date 2017-12-10 | 2017-12-10 05:57:50",
            "date 2017-12-10 Agency: Xinhua",
            "",
            "\n\n\n\n\n date 2017-12-10 Source: Xinhua",
            "date 2017-12-1é Source: Xinhua",
            "dat",
        ] {
            assert_eq!(parse_xinhua_header(text), None, "{text:?}");
        }
        let long = format!("date 2017-12-10 Source: Xinhua|Editor: {}", "x".repeat(400));
        assert_eq!(parse_xinhua_header(&long), None);
    }
}
