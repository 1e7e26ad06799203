//! Everything the CLI shows a person.

use std::fmt::Write as _;
use std::io::Write as _;

use document::{Registry, Stage};
use std::path::Path;

use pipeline::{ConfigErrors, Pipeline, Progress, Summary, TestOutcome};

/// `runner list`: every kind, its description, and its options.
pub fn list(registry: &Registry) -> String {
    let mut out = String::new();
    for stage in Stage::ALL {
        let _ = writeln!(out, "{}s", stage.as_str());
        for (kind, description, options) in registry.kinds(stage) {
            let _ = writeln!(out, "  {kind:<12} {description}");
            for option in options {
                let default = option
                    .default
                    .map_or("required".to_string(), |value| format!("default {value}"));
                let _ = writeln!(
                    out,
                    "      {} ({}, {}): {}",
                    option.name, option.ty, default, option.doc
                );
            }
        }
        out.push('\n');
    }
    out
}

pub fn valid(pipeline: &Pipeline) -> String {
    let extractors: Vec<&str> =
        pipeline.extractors.iter().map(|named| named.name.as_str()).collect();
    let exporters: Vec<&str> = pipeline.exporters.iter().map(|named| named.name.as_str()).collect();
    format!(
        "{}: valid: reader {}, tokenizer {}, extractors [{}], exporters [{}]",
        pipeline.file.display(),
        pipeline.reader.kind,
        pipeline.tokenizer.kind,
        extractors.join(", "),
        exporters.join(", ")
    )
}

/// `runner test` (and the end of `runner validate`): a line per test, a
/// diff under each failure, and a count.
///
/// ```text
/// PASS money in euros
/// FAIL next week (pipelines/default.toml:60)
///   - missing DATE "next week" = "2017-W51"
///   + unexpected MONEY "5 dollars"
///     produced DATE "next week" = "2017-W50"
///     produced no MONEY
/// pipelines/default.toml: 2 tests, 1 passed, 1 failed
/// ```
pub fn tests(file: &Path, outcomes: &[TestOutcome]) -> String {
    let mut out = String::new();
    if outcomes.is_empty() {
        let _ = writeln!(out, "{}: no [[test]] tables", file.display());
        return out;
    }
    for outcome in outcomes {
        if outcome.passed() {
            let _ = writeln!(out, "PASS {}", outcome.name);
            continue;
        }
        let _ = writeln!(out, "FAIL {} ({}:{})", outcome.name, file.display(), outcome.line);
        if let Some(error) = &outcome.error {
            let _ = writeln!(out, "  error: {error}");
        }
        for missing in &outcome.missing {
            let _ = writeln!(out, "  - missing {missing}");
        }
        for unexpected in &outcome.unexpected {
            let _ = writeln!(out, "  + unexpected {unexpected}");
        }
        let mut labels: Vec<&str> = Vec::new();
        for expectation in outcome.missing.iter().chain(&outcome.unexpected) {
            if !labels.contains(&expectation.label.as_str()) {
                labels.push(&expectation.label);
            }
        }
        for label in labels {
            let produced: Vec<_> =
                outcome.produced.iter().filter(|produced| produced.label == label).collect();
            if produced.is_empty() {
                let _ = writeln!(out, "    produced no {label}");
            }
            for annotation in produced {
                let _ = writeln!(out, "    produced {annotation}");
            }
        }
    }
    let passed = outcomes.iter().filter(|outcome| outcome.passed()).count();
    let count = outcomes.len();
    let _ = writeln!(
        out,
        "{}: {count} test{}, {passed} passed, {} failed",
        file.display(),
        if count == 1 { "" } else { "s" },
        count - passed
    );
    out
}

pub fn config_errors(errors: &ConfigErrors) -> String {
    let count = errors.0.len();
    format!("{errors}\n{count} error{} in the pipeline file", if count == 1 { "" } else { "s" })
}

/// Thousands separators, for figures a person reads.
fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn megabytes(bytes: u64) -> String {
    if bytes < 100_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.2} MB", bytes as f64 / 1e6)
    }
}

pub fn summary(summary: &Summary) -> String {
    let mut out = String::new();
    let plural = if summary.threads == 1 { "" } else { "s" };
    let _ = writeln!(
        out,
        "pipeline     {} ({} worker thread{plural})",
        summary.pipeline, summary.threads
    );
    let _ = writeln!(
        out,
        "documents    read {}, written {}, failed {}, warnings {}",
        grouped(summary.read),
        grouped(summary.written),
        grouped(summary.failed),
        grouped(summary.warnings)
    );
    if summary.resumed_after > 0 {
        let _ = writeln!(
            out,
            "resumed      after {} inputs written by an interrupted run",
            grouped(summary.resumed_after)
        );
    }
    let _ = writeln!(
        out,
        "words        {} ({} of text)",
        grouped(summary.words),
        megabytes(summary.bytes)
    );
    let labels: Vec<String> = summary
        .annotations
        .iter()
        .map(|(label, count)| format!("{label} {}", grouped(*count)))
        .collect();
    let _ = writeln!(
        out,
        "annotations  {}",
        if labels.is_empty() { "none".to_string() } else { labels.join(", ") }
    );
    let _ = writeln!(
        out,
        "time         {:.3} s, {} words/s, {:.1} MB/s",
        summary.elapsed.as_secs_f64(),
        grouped(summary.words_per_second() as u64),
        summary.megabytes_per_second()
    );
    if let Some(megabytes) = peak_rss_mib() {
        let _ = writeln!(out, "memory       peak RSS {megabytes} MiB");
    }
    for (index, path) in summary.outputs.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}{}",
            if index == 0 { "outputs      " } else { "             " },
            path.display()
        );
    }
    for failure in &summary.first_failures {
        let _ = writeln!(out, "failed       {} [{}]: {}", failure.id, failure.stage, failure.error);
    }
    if summary.failed > summary.first_failures.len() as u64 {
        let _ = writeln!(
            out,
            "             … and {} more in the errors file",
            grouped(summary.failed - summary.first_failures.len() as u64)
        );
    }
    out
}

pub fn progress_text(progress: &Progress) -> String {
    let seconds = progress.elapsed.as_secs_f64().max(1e-9);
    let mut text = format!(
        "{} documents, {}, {} docs/s, {} failed",
        grouped(progress.documents),
        megabytes(progress.bytes),
        grouped((progress.documents as f64 / seconds) as u64),
        grouped(progress.failed)
    );
    if let Some(total) = progress.total_bytes.filter(|total| *total > 0 && progress.bytes > 0) {
        let remaining =
            total.saturating_sub(progress.bytes) as f64 * seconds / progress.bytes as f64;
        let _ = write!(text, ", ETA {}:{:02}", remaining as u64 / 60, remaining as u64 % 60);
    }
    text
}

fn progress_line(progress: &Progress) {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "\r\x1b[2K{}", progress_text(progress));
    let _ = stderr.flush();
}

fn clear_progress_line() {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "\r\x1b[2K");
    let _ = stderr.flush();
}

/// Shows a run's progress: a line redrawn at most ten times a second on a
/// terminal, otherwise a log line every five seconds; nothing when off.
pub struct ProgressDisplay {
    show: bool,
    terminal: bool,
    interval: std::time::Duration,
    last_shown: std::time::Instant,
}

impl ProgressDisplay {
    pub fn new(show: bool) -> ProgressDisplay {
        use std::io::IsTerminal;
        let terminal = show && std::io::stderr().is_terminal();
        let interval = if terminal {
            std::time::Duration::from_millis(100)
        } else {
            std::time::Duration::from_secs(5)
        };
        ProgressDisplay { show, terminal, interval, last_shown: std::time::Instant::now() }
    }

    /// The executor's progress callback.
    pub fn update(&mut self, progress: &Progress) {
        if !self.show || self.last_shown.elapsed() < self.interval {
            return;
        }
        self.last_shown = std::time::Instant::now();
        if self.terminal {
            progress_line(progress);
        } else {
            tracing::info!("{}", progress_text(progress));
        }
    }

    /// Clears the terminal line before the summary is printed.
    pub fn finish(&self) {
        if self.terminal {
            clear_progress_line();
        }
    }
}

/// The process's peak resident memory so far (Linux: `VmHWM` in
/// `/proc/self/status`), in MiB; `None` elsewhere.
pub fn peak_rss_mib() -> Option<u64> {
    Some(peak_rss_kib()?.div_ceil(1024))
}

/// [`peak_rss_mib`] in KiB, as the kernel counts it.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
    }

    #[test]
    fn progress_has_an_eta_when_the_size_is_known() {
        let progress = Progress {
            documents: 100,
            bytes: 1_000_000,
            failed: 1,
            total_bytes: Some(4_000_000),
            elapsed: Duration::from_secs(10),
        };
        assert_eq!(
            progress_text(&progress),
            "100 documents, 1.00 MB, 10 docs/s, 1 failed, ETA 0:30"
        );
    }

    fn outcome(name: &str) -> TestOutcome {
        TestOutcome {
            name: name.into(),
            line: 7,
            missing: Vec::new(),
            unexpected: Vec::new(),
            produced: Vec::new(),
            error: None,
        }
    }

    fn expectation(
        label: &str,
        text: &str,
        value: Option<document::Value>,
    ) -> pipeline::Expectation {
        pipeline::Expectation { label: label.into(), text: text.into(), value }
    }

    #[test]
    fn test_report_lists_failures_with_what_was_produced() {
        let mut failing = outcome("failing");
        failing.missing = vec![expectation("DATE", "next week", Some(document::json!("2017-W51")))];
        failing.unexpected = vec![expectation("PER", "Tripoli", None)];
        failing.produced =
            vec![expectation("DATE", "next week", Some(document::json!("2017-W50")))];
        let mut broken = outcome("broken");
        broken.line = 12;
        broken.error = Some("failed in extractor:ner: model missing".into());
        assert_eq!(
            tests(Path::new("p.toml"), &[outcome("fine"), failing, broken]),
            concat!(
                "PASS fine\n",
                "FAIL failing (p.toml:7)\n",
                "  - missing DATE \"next week\" = \"2017-W51\"\n",
                "  + unexpected PER \"Tripoli\"\n",
                "    produced DATE \"next week\" = \"2017-W50\"\n",
                "    produced no PER\n",
                "FAIL broken (p.toml:12)\n",
                "  error: failed in extractor:ner: model missing\n",
                "p.toml: 3 tests, 1 passed, 2 failed\n",
            )
        );
        assert_eq!(tests(Path::new("p.toml"), &[]), "p.toml: no [[test]] tables\n");
        assert_eq!(
            tests(Path::new("p.toml"), &[outcome("only")]),
            "PASS only\np.toml: 1 test, 1 passed, 0 failed\n"
        );
    }
}
