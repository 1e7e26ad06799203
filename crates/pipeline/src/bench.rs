//! What `runner bench` needs besides the [`stage_clock`](crate::stage_clock):
//! a pipeline file redirected to another input and to a scratch folder
//! ([`bench_source`]), the input replayed K times ([`repeat`]), and the one
//! definition of a word that every row of the comparison shares
//! ([`count_words`]).

use crate::stage_clock::Detached;
use std::path::Path;

use document::{Document, DocumentStream, Failure, Reader, StableHasher};

use crate::config::Pipeline;

/// Whitespace-separated words: maximal runs of characters that are not
/// Unicode `White_Space`, which is what `wc -w` counts on ASCII and UTF-8
/// text and what Python's `len(text.split())` counts (Python also splits at
/// the control characters U+001C to U+001F, which news text does not
/// hold). The same count serves Dateline, spaCy and `wc -w` rows alike,
/// whatever each tool calls a token.
pub fn count_words(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

/// The keys of an exporter table that name a file or folder it writes.
const OUTPUT_KEYS: [&str; 3] = ["path", "dir", "errors_path"];

/// The pipeline file `source` rewritten for a benchmark: the reader reads
/// `input` when given (an absolute path is best: relative paths resolve
/// against the pipeline file's folder), every output of every exporter
/// (`path`, `dir`, `errors_path`) goes into `scratch` as `N-NAME` (N the
/// exporter's place), and the `[[test]]` tables are left out. Everything
/// else (settings, components, options) is unchanged.
pub fn bench_source(source: &str, input: Option<&Path>, scratch: &Path) -> Result<String, String> {
    let mut table: toml::Table =
        source.parse().map_err(|error| format!("invalid TOML: {error}"))?;
    table.remove("test");
    if let Some(input) = input {
        let reader = table
            .get_mut("reader")
            .and_then(toml::Value::as_table_mut)
            .ok_or("the pipeline has no [reader] table")?;
        let input = input.to_str().ok_or("the input path is not UTF-8")?;
        reader.insert("path".into(), toml::Value::String(input.to_string()));
    }
    if let Some(exporters) = table.get_mut("exporter").and_then(toml::Value::as_array_mut) {
        for (index, exporter) in exporters.iter_mut().enumerate() {
            let Some(exporter) = exporter.as_table_mut() else { continue };
            for key in OUTPUT_KEYS {
                let Some(toml::Value::String(path)) = exporter.get(key) else { continue };
                let name = Path::new(path)
                    .file_name()
                    .map_or_else(|| key.to_string(), |name| name.to_string_lossy().into_owned());
                let moved = scratch.join(format!("{index}-{name}"));
                let moved = moved.to_str().ok_or("the scratch folder's path is not UTF-8")?;
                exporter.insert(key.into(), toml::Value::String(moved.to_string()));
            }
        }
    }
    toml::to_string(&table).map_err(|error| format!("cannot write the pipeline back: {error}"))
}

/// Makes the pipeline's reader yield its input `times` times over, one pass
/// after the other, without keeping anything from one pass to the next
/// (`runner bench --repeat K`: memory must stay flat). Documents of pass
/// two and later get `~2`, `~3`… after their id, so that exporters that
/// key on ids see distinct documents.
pub fn repeat(pipeline: &mut Pipeline, times: usize) {
    if times <= 1 {
        return;
    }
    crate::stage_clock::wrap(&mut pipeline.reader.component, Box::new(Detached), |inner| {
        Box::new(Repeat { inner, times })
    });
}

struct Repeat {
    inner: Box<dyn Reader>,
    times: usize,
}

impl Reader for Repeat {
    fn open(&self) -> anyhow::Result<DocumentStream<'_>> {
        let first = self.inner.open()?;
        Ok(Box::new(Replay {
            reader: &*self.inner,
            current: Some(first),
            pass: 1,
            times: self.times,
        }))
    }

    fn total_bytes(&self) -> Option<u64> {
        self.inner.total_bytes()?.checked_mul(self.times as u64)
    }

    fn fingerprint(&self) -> Option<u64> {
        let mut hasher = StableHasher::new();
        hasher.write(&self.inner.fingerprint()?.to_le_bytes());
        hasher.write(&(self.times as u64).to_le_bytes());
        Some(hasher.finish())
    }
}

struct Replay<'r> {
    reader: &'r dyn Reader,
    current: Option<DocumentStream<'r>>,
    /// The pass being read, from 1.
    pass: usize,
    times: usize,
}

impl Iterator for Replay<'_> {
    type Item = Result<Document, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(stream) = &mut self.current {
                match stream.next() {
                    Some(item) if self.pass == 1 => return Some(item),
                    Some(Ok(mut document)) => {
                        document.id = format!("{}~{}", document.id, self.pass);
                        return Some(Ok(document));
                    }
                    Some(Err(mut failure)) => {
                        failure.id = format!("{}~{}", failure.id, self.pass);
                        return Some(Err(failure));
                    }
                    None => self.current = None,
                }
            }
            if self.pass >= self.times {
                return None;
            }
            self.pass += 1;
            match self.reader.open() {
                Ok(stream) => self.current = Some(stream),
                Err(error) => {
                    self.pass = self.times;
                    let message = format!("cannot open the input again: {error:#}");
                    return Some(Err(Failure::error("repeat", "", "reader", message)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_non_whitespace() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("   \n\t "), 0);
        assert_eq!(count_words("one"), 1);
        assert_eq!(count_words("  one  two\n\nthree\t"), 3);
        // Punctuation stays inside its word, as with `wc -w`.
        assert_eq!(count_words("U.S. $1.13bn (76%) -- \"Yes,\" he said."), 7);
        // Unicode spaces separate words: no-break space, em space, line separator.
        assert_eq!(count_words("São\u{a0}Paulo\u{2003}Zürich\u{2028}北京"), 4);
        // Vertical tab and form feed are whitespace too.
        assert_eq!(count_words("a\u{b}b\u{c}c\rd"), 4);
    }

    #[test]
    fn bench_source_moves_the_input_and_every_output() {
        let source = r#"
[pipeline]
threads = 0

[reader]
kind = "text"
path = "../seeds"

[[extractor]]
kind = "dateline"

[[exporter]]
kind = "jsonl"
path = "../out/news.jsonl"
errors_path = "../out/errors.jsonl"

[[exporter]]
kind = "html"
dir = "../out/report"

[[test]]
name = "t"
text = "x"
expect = []
"#;
        let rewritten =
            bench_source(source, Some(Path::new("/data/bbc")), Path::new("/tmp/scratch")).unwrap();
        let table: toml::Table = rewritten.parse().unwrap();
        assert_eq!(table["reader"]["path"].as_str(), Some("/data/bbc"));
        assert_eq!(table["reader"]["kind"].as_str(), Some("text"));
        assert_eq!(table["exporter"][0]["path"].as_str(), Some("/tmp/scratch/0-news.jsonl"));
        assert_eq!(
            table["exporter"][0]["errors_path"].as_str(),
            Some("/tmp/scratch/0-errors.jsonl")
        );
        assert_eq!(table["exporter"][1]["dir"].as_str(), Some("/tmp/scratch/1-report"));
        assert_eq!(table["extractor"][0]["kind"].as_str(), Some("dateline"));
        assert!(!table.contains_key("test"));
        // Without --input the reader keeps its path.
        let kept = bench_source(source, None, Path::new("/s")).unwrap();
        let table: toml::Table = kept.parse().unwrap();
        assert_eq!(table["reader"]["path"].as_str(), Some("../seeds"));
        assert_eq!(
            bench_source("[reader", None, Path::new("/s")).unwrap_err().lines().next(),
            Some("invalid TOML: TOML parse error at line 1, column 8")
        );
    }
}
