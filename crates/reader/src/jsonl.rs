//! The `jsonl` reader: JSON Lines files, one document per line.

use std::collections::HashMap;
use std::io::{self, BufRead, Read};

use anyhow::anyhow;
use document::{
    BuildContext, Component, ComponentOptions, Date, Document, DocumentStream, Failure, OptionDoc,
    OptionsError, Reader, Value,
};
use serde::Deserialize;

use crate::decode::{Compression, Input, decode};
use crate::listing::{self, Entry, Filter, Paths};
use crate::text::check_max_document_bytes;
use crate::{STAGE, default_max_document_bytes, finish_document, nothing_to_read, yes};

/// Extensions picked from directories.
const JSONL_EXTENSIONS: [&str; 2] = ["jsonl", "ndjson"];

/// Options of the `jsonl` reader.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonlOptions {
    /// Files, directories or glob patterns.
    pub path: Paths,
    #[serde(default = "default_id_field")]
    pub id_field: String,
    #[serde(default = "default_text_field")]
    pub text_field: String,
    #[serde(default = "default_date_field")]
    pub date_field: String,
    #[serde(default = "default_max_document_bytes")]
    pub max_document_bytes: u64,
    /// The date of documents that give none.
    #[serde(default)]
    pub date: Option<Date>,
    /// Whether to recognise a Xinhua header line at the start of the text.
    #[serde(default = "yes")]
    pub header: bool,
}

fn default_id_field() -> String {
    "id".into()
}

fn default_text_field() -> String {
    "text".into()
}

fn default_date_field() -> String {
    "date".into()
}

impl ComponentOptions for JsonlOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "path",
            ty: "path or array of paths",
            default: None,
            doc: "A file, a directory (read recursively for *.jsonl and *.ndjson, also .gz/.zst; \
                  hidden files and folders are skipped) or a glob pattern, or an array of them; \
                  relative paths resolve against the pipeline file's folder.",
        },
        OptionDoc {
            name: "id_field",
            ty: "string",
            default: Some("\"id\""),
            doc: "The field holding the document id (a string or an integer); a line without \
                  it gets the id `<file id>:<line number>`.",
        },
        OptionDoc {
            name: "text_field",
            ty: "string",
            default: Some("\"text\""),
            doc: "The field holding the text; a line without a string there is a failure.",
        },
        OptionDoc {
            name: "date_field",
            ty: "string",
            default: Some("\"date\""),
            doc: "The field holding the document date, YYYY-MM-DD (a date-time whose date part \
                  is ISO is accepted); an unreadable date is a warning, not a failure.",
        },
        OptionDoc {
            name: "max_document_bytes",
            ty: "integer",
            default: Some("104857600"),
            doc: "A longer line is recorded as a failure without being held in memory.",
        },
        OptionDoc {
            name: "date",
            ty: "string (YYYY-MM-DD)",
            default: Some("none"),
            doc: "The document date of lines that give none, in the date field or a header.",
        },
        OptionDoc {
            name: "header",
            ty: "boolean",
            default: Some("true"),
            doc: "Recognise a Xinhua header line at the start of the text (see the text reader).",
        },
    ];
}

/// Reads each line of JSON Lines files as one document.
#[derive(Debug)]
pub struct JsonlReader {
    inputs: listing::Inputs,
    id_field: String,
    text_field: String,
    date_field: String,
    max_document_bytes: u64,
    date: Option<Date>,
    header: bool,
    shard: Option<document::Shard>,
}

impl Component for JsonlReader {
    const KIND: &'static str = "jsonl";
    const DESCRIPTION: &'static str =
        "JSON Lines files (.gz/.zst too), one document per line, from files, directories or globs";
    type Options = JsonlOptions;

    fn build(options: JsonlOptions, context: &BuildContext) -> anyhow::Result<Self> {
        for (key, value) in [
            ("id_field", &options.id_field),
            ("text_field", &options.text_field),
            ("date_field", &options.date_field),
        ] {
            if value.is_empty() {
                return Err(OptionsError::invalid(key, "must not be empty").into());
            }
        }
        for (key, value) in [("id_field", &options.id_field), ("date_field", &options.date_field)] {
            if *value == options.text_field {
                let message = format!("`{value}` is already the text field");
                return Err(OptionsError::invalid(key, message).into());
            }
        }
        if options.id_field == options.date_field {
            let message = format!("`{}` is already the id field", options.date_field);
            return Err(OptionsError::invalid("date_field", message).into());
        }
        let max_document_bytes = check_max_document_bytes(options.max_document_bytes)?;
        let sources = listing::check(&options.path, context)?;
        let filter = Filter {
            extensions: Some(JSONL_EXTENSIONS.map(String::from).to_vec()),
            filter_glob_matches: false,
        };
        Ok(JsonlReader {
            inputs: listing::Inputs::new(sources, filter),
            id_field: options.id_field,
            text_field: options.text_field,
            date_field: options.date_field,
            max_document_bytes,
            date: options.date,
            header: options.header,
            shard: context.shard,
        })
    }
}

/// What a shard reads of one listed file (docs/cluster.md): the listing is
/// seen as one run of bytes, cut into `count` contiguous ranges
/// ([`Shard::range`](document::Shard::range)); a line belongs to the shard
/// in which its first byte lies, and a file that cannot be cut (a
/// compressed one, an empty one, one that could not be listed) to the shard
/// in which it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Every line of the file.
    Whole,
    /// The lines that start at a byte offset in `start..end` of the file.
    Lines { start: u64, end: u64 },
}

/// The files of `entries` that a shard reads, and which part of each.
fn shard_parts(entries: &[Entry], shard: Option<document::Shard>) -> Vec<(&Entry, Part)> {
    let Some(shard) = shard else {
        return entries.iter().map(|entry| (entry, Part::Whole)).collect();
    };
    let total = entries.iter().map(|entry| entry.size).fold(0u64, u64::saturating_add);
    let range = shard.range(total);
    let end = if shard.index + 1 == shard.count { u64::MAX } else { range.end };
    let mut parts = Vec::new();
    let mut base = 0u64;
    for entry in entries {
        let cuttable = entry.problem.is_none()
            && entry.size > 0
            && Compression::of(&entry.relative) == Compression::None;
        if !cuttable {
            if shard.owns(base, total) {
                parts.push((entry, Part::Whole));
            }
        } else {
            let start = range.start.saturating_sub(base);
            let stop = end.saturating_sub(base).min(entry.size);
            if start < stop {
                parts.push((entry, Part::Lines { start, end: stop }));
            }
        }
        base = base.saturating_add(entry.size);
    }
    parts
}

/// Moves `input` to the first line that starts at or after byte `start`,
/// and says where that is and how many lines come before it.
fn skip_to_line(input: &mut dyn BufRead, start: u64) -> io::Result<(u64, u64)> {
    let mut position = 0u64;
    let mut lines = 0u64;
    let mut last = None;
    while position < start {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok((position, lines));
        }
        let take = usize::try_from(start - position).unwrap_or(usize::MAX).min(available.len());
        let chunk = &available[..take];
        lines += memchr::memchr_iter(b'\n', chunk).count() as u64;
        last = chunk.last().copied();
        input.consume(take);
        position += take as u64;
    }
    if position > 0 && last != Some(b'\n') {
        // Inside a line, which belongs to the shard it started in: skip its rest.
        let mut rest = Vec::new();
        let read = input.read_until(b'\n', &mut rest)? as u64;
        position += read;
        if rest.last() == Some(&b'\n') {
            lines += 1;
        }
    }
    Ok((position, lines))
}

impl Reader for JsonlReader {
    fn open(&self) -> anyhow::Result<DocumentStream<'_>> {
        let listing = self.inputs.listing().map_err(|error| anyhow!("{error}"))?;
        if listing.entries.is_empty() {
            let what = "*.jsonl, *.jsonl.gz, *.jsonl.zst, *.ndjson files";
            return Err(nothing_to_read(&self.inputs.sources, what));
        }
        tracing::debug!(
            files = listing.entries.len(),
            bytes = listing.total_bytes,
            "jsonl input listed"
        );
        Ok(Box::new(JsonlStream {
            reader: self,
            entries: shard_parts(&listing.entries, self.shard).into_iter(),
            current: None,
            seen: HashMap::new(),
            line: Vec::new(),
        }))
    }

    fn total_bytes(&self) -> Option<u64> {
        let listing = self.inputs.listing().ok()?;
        match self.shard {
            None => Some(listing.total_bytes),
            Some(shard) => {
                let total =
                    listing.entries.iter().map(|entry| entry.size).fold(0, u64::saturating_add);
                let range = shard.range(total);
                Some(range.end - range.start)
            }
        }
    }

    fn shardable(&self) -> bool {
        true
    }

    fn fingerprint(&self) -> Option<u64> {
        self.inputs.fingerprint()
    }
}

/// The file being read.
struct OpenFile<'a> {
    entry: &'a Entry,
    /// The path as text, for `source`.
    path: String,
    input: Input,
    /// Number of the last line read, from 1.
    line_number: u64,
    /// Byte offset of the next line in the file, and where this shard's
    /// part of it ends (no line starting there or later is read).
    position: u64,
    end: u64,
}

impl OpenFile<'_> {
    /// A failure of the current line, when its id is unknown.
    fn failure(&self, error: String) -> Failure {
        Failure::error(
            format!("{}:{}", self.entry.id, self.line_number),
            format!("{}:{}", self.path, self.line_number),
            STAGE,
            error,
        )
    }
}

struct JsonlStream<'a> {
    reader: &'a JsonlReader,
    entries: std::vec::IntoIter<(&'a Entry, Part)>,
    current: Option<OpenFile<'a>>,
    /// Ids given so far, with the file and line that gave each.
    seen: HashMap<String, (&'a Entry, u64)>,
    /// The line buffer, reused.
    line: Vec<u8>,
}

impl Iterator for JsonlStream<'_> {
    type Item = Result<Document, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(file) = &mut self.current {
                if file.position >= file.end {
                    self.current = None;
                    continue;
                }
                let max = self.reader.max_document_bytes;
                let mut consumed = 0;
                let read =
                    read_line_counted(file.input.reader(), &mut self.line, max, &mut consumed);
                file.position = file.position.saturating_add(consumed);
                match read {
                    Ok(LineRead::Eof) => self.current = None,
                    Ok(LineRead::TooLong(length)) => {
                        file.line_number += 1;
                        let error =
                            format!("line is {length} bytes, above max_document_bytes = {max}");
                        return Some(Err(file.failure(error)));
                    }
                    Ok(LineRead::Line) => {
                        file.line_number += 1;
                        if self.line.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        return Some(parse_line(self.reader, file, &self.line, &mut self.seen));
                    }
                    Err(error) => {
                        // The rest of the file cannot be trusted; go to the next one.
                        file.line_number += 1;
                        let failure = file.failure(file.input.describe(&error));
                        self.current = None;
                        return Some(Err(failure));
                    }
                }
                continue;
            }
            let (entry, part) = self.entries.next()?;
            let path = entry.path.to_string_lossy().into_owned();
            if let Some(problem) = &entry.problem {
                return Some(Err(Failure::error(&entry.id, path, STAGE, problem.clone())));
            }
            match Input::open(&entry.path, Compression::of(&entry.relative)) {
                Ok((mut input, _)) => {
                    let (position, line_number, end) = match part {
                        Part::Whole => (0, 0, u64::MAX),
                        Part::Lines { start, end } => match skip_to_line(input.reader(), start) {
                            Ok((position, lines)) => (position, lines, end),
                            Err(error) => {
                                let error = input.describe(&error);
                                return Some(Err(Failure::error(&entry.id, path, STAGE, error)));
                            }
                        },
                    };
                    self.current =
                        Some(OpenFile { entry, path, input, line_number, position, end });
                }
                Err(error) => return Some(Err(Failure::error(&entry.id, path, STAGE, error))),
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum LineRead {
    Eof,
    /// The line is in the buffer, without its `\n` or `\r\n`.
    Line,
    /// The line, of this many bytes, was longer than allowed and skipped.
    TooLong(u64),
}

/// Reads one line into `buffer`, never holding more than `max` bytes of
/// it (plus the line break): a longer line is skipped and measured.
#[cfg(test)]
fn read_line(input: &mut dyn BufRead, buffer: &mut Vec<u8>, max: u64) -> io::Result<LineRead> {
    read_line_counted(input, buffer, max, &mut 0)
}

/// [`read_line`], adding the bytes it consumed (line break included) to
/// `consumed`, so that the stream knows where the next line starts.
fn read_line_counted(
    input: &mut dyn BufRead,
    buffer: &mut Vec<u8>,
    max: u64,
    consumed: &mut u64,
) -> io::Result<LineRead> {
    buffer.clear();
    let limit = max.saturating_add(1);
    let read = (&mut *input).take(limit).read_until(b'\n', buffer)? as u64;
    *consumed += read;
    if read == 0 {
        return Ok(LineRead::Eof);
    }
    if buffer.last() == Some(&b'\n') {
        buffer.pop();
        if buffer.last() == Some(&b'\r') {
            buffer.pop();
        }
        return Ok(LineRead::Line);
    }
    if read < limit {
        return Ok(LineRead::Line); // the last line, without a line break
    }
    if buffer.last() == Some(&b'\r') && input.fill_buf()?.first() == Some(&b'\n') {
        input.consume(1);
        *consumed += 1;
        buffer.pop();
        return Ok(LineRead::Line); // exactly `max` bytes, then `\r\n`
    }
    let mut last = buffer.last().copied();
    buffer.clear();
    let mut length = read;
    let mut ended = false;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            break;
        }
        match available.iter().position(|&byte| byte == b'\n') {
            Some(newline) => {
                if newline > 0 {
                    last = Some(available[newline - 1]);
                }
                length += newline as u64;
                input.consume(newline + 1);
                *consumed += newline as u64 + 1;
                ended = true;
                break;
            }
            None => {
                let all = available.len();
                last = available.last().copied();
                length += all as u64;
                input.consume(all);
                *consumed += all as u64;
            }
        }
    }
    if ended && last == Some(b'\r') {
        length -= 1;
    }
    Ok(LineRead::TooLong(length))
}

/// `a string`, `an array`, … for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message with the column only: every line is line 1 to it.
fn describe_json_error(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&position) {
        Some(bare) => format!("{bare} at column {}", error.column()),
        None => message,
    }
}

fn parse_line<'a>(
    reader: &JsonlReader,
    file: &OpenFile<'a>,
    bytes: &[u8],
    seen: &mut HashMap<String, (&'a Entry, u64)>,
) -> Result<Document, Failure> {
    let decoded = decode(bytes);
    let value: Value = serde_json::from_str(&decoded.text)
        .map_err(|error| file.failure(format!("invalid JSON: {}", describe_json_error(&error))))?;
    let Value::Object(mut object) = value else {
        return Err(file.failure(format!("line is {}, not a JSON object", kind_of(&value))));
    };
    let id_field = &reader.id_field;
    let id = match object.remove(id_field) {
        None | Some(Value::Null) => format!("{}:{}", file.entry.id, file.line_number),
        Some(Value::String(id)) if !id.is_empty() => id,
        Some(Value::String(_)) => {
            return Err(file.failure(format!("field `{id_field}` is an empty string")));
        }
        Some(Value::Number(number)) => number.to_string(),
        Some(other) => {
            let error =
                format!("field `{id_field}` is {}, not a string or a number", kind_of(&other));
            return Err(file.failure(error));
        }
    };
    let source = format!("{}:{}", file.path, file.line_number);
    let fail = |error: String| Failure::error(&id, &source, STAGE, error);
    if let Some((entry, line)) = seen.get(&id) {
        let previous = entry.path.to_string_lossy();
        return Err(fail(format!("duplicate id `{id}`: already used by {previous}:{line}")));
    }
    let text_field = &reader.text_field;
    let text = match object.remove(text_field) {
        Some(Value::String(text)) => text,
        None => return Err(fail(format!("missing field `{text_field}`"))),
        Some(other) => {
            return Err(fail(format!("field `{text_field}` is {}, not a string", kind_of(&other))));
        }
    };
    if text.is_empty() {
        return Err(fail("empty document".into()));
    }
    if text.trim().is_empty() {
        return Err(fail("whitespace-only document".into()));
    }
    let mut document = Document::new(id.clone(), text);
    document.warnings.extend(decoded.warning(" of the line"));
    let date_field = &reader.date_field;
    match object.get(date_field) {
        None | Some(Value::Null) => {}
        Some(Value::String(raw)) => match raw.parse::<Date>() {
            Ok(date) => {
                document.date = Some(date);
                // A bare date is fully kept in `date`; a date-time keeps its time here.
                if *raw == date.to_string() {
                    object.remove(date_field);
                }
            }
            Err(error) => {
                document.warnings.push(format!("cannot read field `{date_field}`: {error}"))
            }
        },
        Some(other) => document
            .warnings
            .push(format!("cannot read field `{date_field}`: {} is not a date", kind_of(other))),
    }
    document.metadata = object;
    document.source = source;
    finish_document(&mut document, reader.header, reader.date);
    // Only a line that became a document claims its id: a broken line
    // must not make a later, valid one a "duplicate".
    seen.insert(id, (file.entry, file.line_number));
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: u64) -> Vec<(LineRead, String)> {
        let mut reader = input;
        let mut buffer = Vec::new();
        let mut out = Vec::new();
        loop {
            let read = read_line(&mut reader, &mut buffer, max).unwrap();
            if read == LineRead::Eof {
                return out;
            }
            out.push((read, String::from_utf8_lossy(&buffer).into_owned()));
        }
    }

    #[test]
    fn lines_are_bounded() {
        assert_eq!(
            lines(b"abc\r\n\n0123456789\r\nxy\n12345\nlast", 5),
            [
                (LineRead::Line, "abc".into()),
                (LineRead::Line, "".into()),
                (LineRead::TooLong(10), "".into()),
                (LineRead::Line, "xy".into()),
                (LineRead::Line, "12345".into()),
                (LineRead::Line, "last".into()),
            ]
        );
        assert_eq!(lines(b"123456", 5), [(LineRead::TooLong(6), "".into())]);
        assert_eq!(
            lines(b"12345\r\n123456\r\nz", 5),
            [
                (LineRead::Line, "12345".into()),
                (LineRead::TooLong(6), "".into()),
                (LineRead::Line, "z".into())
            ]
        );
        assert_eq!(lines(b"", 5), []);
    }

    #[test]
    fn json_errors_name_the_column() {
        let error = serde_json::from_str::<Value>("{\"id\": }").unwrap_err();
        assert_eq!(describe_json_error(&error), "expected value at column 8");
    }
}
