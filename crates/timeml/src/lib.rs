//! TimeML in and out, and the TempEval-3 TIMEX3 scorer.
//!
//! TimeML is the XML of the TimeBank and TempEval corpora: a document
//! whose `<TEXT>` carries inline `<TIMEX3 type="DATE" value="…">` tags (and
//! `EVENT`, `SIGNAL`, … which Dateline ignores), with the document
//! creation time in `<DCT>`. Three parts of Dateline speak it: the
//! `timeml` reader (a corpus in), the `timeml` exporter (annotations out,
//! so that other TimeML tools can read them) and `runner eval timex` (the
//! scorer). They share this crate so that all three read and write the
//! same dialect: the text is the content of `<TEXT>` with every tag
//! removed and the five XML entities and numeric references unescaped, and
//! a TIMEX3's extent is the stretch of that text its tags enclose.
//!
//! The parser is a small hand-written scanner rather than an XML library:
//! the corpora are flat, tags never nest inside TIMEX3, and a tolerant
//! scanner reads the slightly broken files real corpora contain (a stray
//! `&` is kept as text, an unclosed tag ends the text) without failing.
//! It never panics and is linear in the file size.
//!
//! Offsets are byte offsets into the extracted text, like every offset
//! inside Dateline.

pub mod score;

use std::fmt::Write as _;

/// One TIMEX3 element of a TimeML text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timex {
    /// Byte offsets of the extent in [`TimemlDocument::text`].
    pub start: usize,
    pub end: usize,
    pub tid: String,
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    pub kind: String,
    pub value: String,
    pub modifier: Option<String>,
}

/// What Dateline reads from a TimeML file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimemlDocument {
    /// The `<DOCID>`, when the file has one.
    pub docid: Option<String>,
    /// The `value` of the TIMEX3 inside `<DCT>`.
    pub dct: Option<String>,
    /// The content of `<TEXT>`, tags removed and entities unescaped.
    pub text: String,
    /// The TIMEX3 elements of the text, in order.
    pub timexes: Vec<Timex>,
}

/// The document id of a TimeML file name: `.TE3input` then `.tml` removed
/// (`AP_20130322.tml.TE3input` → `AP_20130322`).
pub fn file_id(name: &str) -> &str {
    let name = name.strip_suffix(".TE3input").unwrap_or(name);
    name.strip_suffix(".tml").unwrap_or(name)
}

/// The inner text of the first `<name>…</name>` element of `xml`.
fn element<'x>(xml: &'x str, name: &str) -> Option<&'x str> {
    let open = format!("<{name}");
    let mut from = 0;
    loop {
        let start = from + xml.get(from..)?.find(&open)?;
        let after_name = start + open.len();
        let next = xml.get(after_name..)?.chars().next()?;
        if next == '>' || next.is_whitespace() {
            let content_start = after_name + xml.get(after_name..)?.find('>')? + 1;
            let close = format!("</{name}>");
            let content_end = content_start + xml.get(content_start..)?.find(&close)?;
            return xml.get(content_start..content_end);
        }
        from = after_name;
    }
}

/// The value of attribute `name` in the inside of a start tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(position) = rest.find(name) {
        let before_ok = rest[..position].chars().next_back().is_none_or(char::is_whitespace);
        let after = rest[position + name.len()..].trim_start();
        if before_ok && let Some(after_equals) = after.strip_prefix('=') {
            let after_equals = after_equals.trim_start();
            let quote = after_equals.chars().next()?;
            if quote == '"' || quote == '\'' {
                let value = &after_equals[1..];
                let end = value.find(quote)?;
                return Some(unescape(&value[..end]));
            }
        }
        rest = &rest[position + name.len()..];
    }
    None
}

/// Parses a TimeML file. Never fails: a file without `<TEXT>` is read as
/// if its whole content were the text.
pub fn parse(xml: &str) -> TimemlDocument {
    let docid = element(xml, "DOCID").map(|id| unescape(id.trim()));
    let dct = element(xml, "DCT").and_then(|dct| {
        let start = dct.find("<TIMEX3")?;
        let end = start + dct[start..].find('>')?;
        attribute(&dct[start + 7..end], "value")
    });
    let body = element(xml, "TEXT").unwrap_or(xml);
    let (text, timexes) = strip_tags(body);
    TimemlDocument { docid, dct, text, timexes }
}

/// Removes every tag from `body`, unescapes entities, and records the
/// extents of the TIMEX3 elements.
fn strip_tags(body: &str) -> (String, Vec<Timex>) {
    let mut text = String::with_capacity(body.len());
    let mut timexes = Vec::new();
    let mut open: Option<Timex> = None;
    let mut rest = body;
    while let Some(position) = rest.find(['<', '&']) {
        text.push_str(&rest[..position]);
        rest = &rest[position..];
        if rest.starts_with('&') {
            let entity_end = rest.find(';').filter(|end| *end <= 10);
            match entity_end.and_then(|end| decode_entity(&rest[1..end]).map(|c| (c, end))) {
                Some((character, end)) => {
                    text.push(character);
                    rest = &rest[end + 1..];
                }
                None => {
                    text.push('&');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        let Some(tag_end) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..tag_end];
        rest = &rest[tag_end + 1..];
        if let Some(inside) = tag.strip_prefix("TIMEX3") {
            if inside.is_empty() || inside.starts_with(char::is_whitespace) {
                let self_closing = inside.trim_end().ends_with('/');
                let timex = Timex {
                    start: text.len(),
                    end: text.len(),
                    tid: attribute(inside, "tid").unwrap_or_default(),
                    kind: attribute(inside, "type").unwrap_or_default(),
                    value: attribute(inside, "value").unwrap_or_default(),
                    modifier: attribute(inside, "mod"),
                };
                if !self_closing {
                    open = Some(timex);
                }
            }
        } else if tag.trim_end() == "/TIMEX3"
            && let Some(mut timex) = open.take()
        {
            timex.end = text.len();
            timexes.push(timex);
        }
    }
    text.push_str(rest);
    (text, timexes)
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Unescapes the entities of an attribute value or short text.
pub fn unescape(text: &str) -> String {
    strip_tags(text).0
}

/// Escapes `&`, `<` and `>` (and `"` when `attribute`) for XML.
pub fn escape(text: &str, attribute: bool, out: &mut String) {
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            _ => out.push(character),
        }
    }
}

/// A TIMEX3 to write: a byte span of the text and its attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimexOut<'a> {
    pub start: usize,
    pub end: usize,
    pub kind: &'a str,
    pub value: &'a str,
    pub modifier: Option<&'a str>,
}

/// A TimeML file with `id` as its `DOCID`, `dct` (a TIMEX3 value) as its
/// `DCT`, and `text` with `timexes` as inline TIMEX3 tags numbered `t1`,
/// `t2`, … in order. Timexes that overlap an earlier one, or whose offsets
/// do not slice the text, are left out: XML cannot hold them.
pub fn write(id: &str, dct: Option<&str>, text: &str, timexes: &[TimexOut<'_>]) -> String {
    let mut out = String::with_capacity(text.len() + 200 + timexes.len() * 80);
    out.push_str("<?xml version=\"1.0\" ?>\n<TimeML>\n<DOCID>");
    escape(id, false, &mut out);
    out.push_str("</DOCID>\n");
    if let Some(dct) = dct {
        out.push_str("<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"");
        escape(dct, true, &mut out);
        out.push_str("\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">");
        escape(dct, false, &mut out);
        out.push_str("</TIMEX3></DCT>\n");
    }
    out.push_str("<TEXT>");
    let mut sorted: Vec<&TimexOut<'_>> = timexes.iter().collect();
    sorted.sort_by_key(|timex| (timex.start, std::cmp::Reverse(timex.end)));
    let mut written = 0;
    let mut number = 0;
    for timex in sorted {
        if timex.start < written || timex.end <= timex.start {
            continue;
        }
        let (Some(before), Some(inside)) =
            (text.get(written..timex.start), text.get(timex.start..timex.end))
        else {
            continue;
        };
        number += 1;
        escape(before, false, &mut out);
        let _ = write!(out, "<TIMEX3 tid=\"t{number}\" type=\"");
        escape(timex.kind, true, &mut out);
        out.push_str("\" value=\"");
        escape(timex.value, true, &mut out);
        out.push('"');
        if let Some(modifier) = timex.modifier {
            out.push_str(" mod=\"");
            escape(modifier, true, &mut out);
            out.push('"');
        }
        out.push('>');
        escape(inside, false, &mut out);
        out.push_str("</TIMEX3>");
        written = timex.end;
    }
    escape(text.get(written..).unwrap_or(""), false, &mut out);
    out.push_str("</TEXT>\n</TimeML>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>AP_1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" functionInDocument="CREATION_TIME">March 22, 2013</TIMEX3></DCT>
<TEXT>Rain &amp; wind <EVENT eid="e1">hit</EVENT> <TIMEX3 tid="t1" type="DATE" value="2013-03-21">yesterday</TIMEX3> &lt;AP&gt; &#233;t&#xE9;.</TEXT>
</TimeML>"#;

    #[test]
    fn parses_text_dct_and_timexes() {
        let document = parse(SAMPLE);
        assert_eq!(document.docid.as_deref(), Some("AP_1"));
        assert_eq!(document.dct.as_deref(), Some("2013-03-22"));
        assert_eq!(document.text, "Rain & wind hit yesterday <AP> été.");
        let timex = &document.timexes[0];
        assert_eq!(&document.text[timex.start..timex.end], "yesterday");
        assert_eq!((timex.tid.as_str(), timex.kind.as_str()), ("t1", "DATE"));
        assert_eq!(timex.value, "2013-03-21");
    }

    #[test]
    fn writes_what_it_reads() {
        let text = "Rain & wind hit yesterday <AP>.";
        let timexes =
            [TimexOut { start: 16, end: 25, kind: "DATE", value: "2013-03-21", modifier: None }];
        let xml = write("AP_1", Some("2013-03-22"), text, &timexes);
        assert!(xml.contains(
            "<TEXT>Rain &amp; wind hit <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2013-03-21\">yesterday</TIMEX3> &lt;AP&gt;.</TEXT>"
        ));
        let back = parse(&xml);
        assert_eq!(back.text, text);
        assert_eq!(back.dct.as_deref(), Some("2013-03-22"));
        assert_eq!((back.timexes[0].start, back.timexes[0].end), (16, 25));
    }

    #[test]
    fn overlapping_or_bad_spans_are_left_out() {
        let timexes = [
            TimexOut { start: 0, end: 4, kind: "DATE", value: "a", modifier: Some("START") },
            TimexOut { start: 2, end: 6, kind: "DATE", value: "b", modifier: None },
            TimexOut { start: 5, end: 99, kind: "DATE", value: "c", modifier: None },
        ];
        let xml = write("x", None, "abcdefg", &timexes);
        assert!(xml.contains("<TEXT><TIMEX3 tid=\"t1\" type=\"DATE\" value=\"a\" mod=\"START\">abcd</TIMEX3>efg</TEXT>"));
        assert!(!xml.contains("<DCT>"));
    }

    #[test]
    fn tolerates_broken_files() {
        for broken in [
            "",
            "<TEXT>",
            "<TEXT>a & b</TEXT>",
            "<TEXT><TIMEX3 value=\"x\">a",
            "&#xFFFFFFFF;",
            "<",
            "<TEXT>é<</TEXT>",
        ] {
            let _ = parse(broken);
        }
        assert_eq!(parse("<TEXT>a & b &bogus; c</TEXT>").text, "a & b &bogus; c");
        assert_eq!(file_id("AP_20130322.tml.TE3input"), "AP_20130322");
        assert_eq!(file_id("wsj_0001.tml"), "wsj_0001");
    }
}
