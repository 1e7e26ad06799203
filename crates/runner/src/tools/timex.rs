//! `runner eval timex GOLD_DIR SYSTEM_DIR [--json] [--errors]`: TempEval-3
//! TIMEX3 scores of a folder of system TimeML files against a gold folder.
//!
//! `--errors` prints every disagreement, one tab-separated line each, so
//! that the errors can be read (and counted, `cut -f1 | sort | uniq -c`) by
//! category: `VALUE` (a relaxed pair with another value), `TYPE`, `EXTENT`
//! (a relaxed pair with another extent), `MISSED` (a gold TIMEX3 nothing
//! overlaps) and `EXTRA` (a system TIMEX3 that overlaps no gold one). The
//! columns: category, document id, DCT, gold text, gold type and value,
//! system text, system type and value, and the sentence around it with the
//! expression in `[…]`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use document::{Value, json};
use lexopt::prelude::*;
use timeml::score::{Prf, Report, check_floors, list_timeml, score_dirs};
use timeml::{TimemlDocument, Timex};

pub const EVAL_USAGE: &str = "GOLD_DIR SYSTEM_DIR [--json] [--errors] [--floors FILE [--tolerance \
                              0.01]]   TempEval-3 TIMEX3 scores: strict and relaxed span P/R/F1, \
                              type and value accuracy, value F1; with --errors, every \
                              disagreement as a tab-separated line (category, document, DCT, \
                              gold, system, context) before the figures; with --floors, exit 2 \
                              when a figure is more than the tolerance below the value the file \
                              records";

/// The text of `text[start..end]` with `[…]` around `[mark_start, mark_end)`,
/// widened to about 80 bytes each side, on one line.
fn context(text: &str, mark_start: usize, mark_end: usize) -> String {
    let floor = |mut i: usize| {
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(mark_start.saturating_sub(80));
    let end = floor((mark_end + 80).min(text.len()));
    let (Some(before), Some(inside), Some(after)) =
        (text.get(start..mark_start), text.get(mark_start..mark_end), text.get(mark_end..end))
    else {
        return String::new();
    };
    let line = format!("{before}[{inside}]{after}");
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn describe(text: &str, timex: Option<&Timex>) -> String {
    match timex {
        Some(t) => format!(
            "{}\t{} {}{}",
            text.get(t.start..t.end).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" "),
            t.kind,
            t.value,
            t.modifier.as_deref().map(|m| format!(" mod={m}")).unwrap_or_default()
        ),
        None => "\t".to_string(),
    }
}

/// The error lines of one document, paired the way the scorer pairs.
fn error_lines(id: &str, gold: &TimemlDocument, system: &TimemlDocument, out: &mut String) {
    let overlaps = |a: &Timex, b: &Timex| a.start < b.end && b.start < a.end;
    let dct = gold.dct.as_deref().unwrap_or("");
    let text = &gold.text;
    let mut line = |category: &str, g: Option<&Timex>, s: Option<&Timex>| {
        let (start, end) = match (g, s) {
            (Some(g), Some(s)) => (g.start.min(s.start), g.end.max(s.end)),
            (Some(t), None) | (None, Some(t)) => (t.start, t.end),
            (None, None) => (0, 0),
        };
        let system_text = if s.is_some() { &system.text } else { text };
        out.push_str(&format!(
            "{category}\t{id}\t{dct}\t{}\t{}\t{}\n",
            describe(text, g),
            describe(system_text, s),
            context(text, start, end)
        ));
    };
    let mut used = vec![false; system.timexes.len()];
    for g in &gold.timexes {
        let partner = system.timexes.iter().enumerate().find(|(i, s)| !used[*i] && overlaps(g, s));
        match partner {
            Some((i, s)) => {
                used[i] = true;
                if g.value != s.value {
                    line("VALUE", Some(g), Some(s));
                } else if !g.kind.eq_ignore_ascii_case(&s.kind) {
                    line("TYPE", Some(g), Some(s));
                } else if g.start != s.start || g.end != s.end {
                    line("EXTENT", Some(g), Some(s));
                }
            }
            None if system.timexes.iter().any(|s| overlaps(g, s)) => line("EXTENT", Some(g), None),
            None => line("MISSED", Some(g), None),
        }
    }
    for s in &system.timexes {
        if !gold.timexes.iter().any(|g| overlaps(g, s)) {
            line("EXTRA", None, Some(s));
        }
    }
}

/// Every error line of the documents the two folders share, by id.
fn errors(gold: &std::path::Path, system: &std::path::Path) -> anyhow::Result<String> {
    let read = |path: &std::path::Path| -> anyhow::Result<TimemlDocument> {
        let xml = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok(timeml::parse(&xml))
    };
    let system_files = list_timeml(system)?;
    let mut out = String::new();
    for (id, gold_path) in list_timeml(gold)? {
        let Some(system_path) = system_files.get(&id) else { continue };
        error_lines(&id, &read(&gold_path)?, &read(system_path)?, &mut out);
    }
    Ok(out)
}

fn prf_json(prf: &Prf) -> Value {
    json!({"precision": prf.precision, "recall": prf.recall, "f1": prf.f1})
}

fn report_json(report: &Report) -> Value {
    let counts = &report.counts;
    json!({
        "documents": report.documents,
        "gold": counts.gold,
        "system": counts.system,
        "strict": prf_json(&report.strict),
        "relaxed": prf_json(&report.relaxed),
        "type_accuracy": report.type_accuracy,
        "value_accuracy": report.value_accuracy,
        "value": prf_json(&report.value),
        "pairs": counts.pairs,
        "missing": report.missing,
        "text_mismatch": report.text_mismatch,
    })
}

pub fn eval(args: Vec<OsString>) -> anyhow::Result<ExitCode> {
    let mut parser = lexopt::Parser::from_args(args);
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut as_json = false;
    let mut with_errors = false;
    let mut floors: Option<PathBuf> = None;
    let mut tolerance = 0.01;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("json") => as_json = true,
            Long("errors") => with_errors = true,
            Long("floors") => floors = Some(parser.value()?.into()),
            Long("tolerance") => tolerance = parser.value()?.parse()?,
            Value(value) if folders.len() < 2 => folders.push(value.into()),
            other => return Err(other.unexpected().into()),
        }
    }
    let [gold, system] = folders.as_slice() else { bail!("usage: runner eval timex {EVAL_USAGE}") };
    if with_errors {
        print!("{}", errors(gold, system)?);
    }
    let report = score_dirs(gold, system)
        .with_context(|| format!("cannot score {} against {}", system.display(), gold.display()))?;
    if as_json {
        println!("{:#}", report_json(&report));
    } else {
        print!("{}", report.to_text());
    }
    let Some(floors) = floors else { return Ok(ExitCode::SUCCESS) };
    let text = std::fs::read_to_string(&floors)
        .with_context(|| format!("cannot read {}", floors.display()))?;
    let checks = check_floors(&report, &text, tolerance)
        .map_err(|error| anyhow::anyhow!("{}: {error}", floors.display()))?;
    let mut passed = true;
    for check in &checks {
        let verdict = if check.passed { "ok" } else { "BELOW FLOOR" };
        eprintln!(
            "{:<16} {:.4}  reached {:.4}  floor {:.4}  {verdict}",
            check.name,
            check.measured,
            check.reached,
            check.reached - tolerance
        );
        passed &= check.passed;
    }
    Ok(if passed { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(text: &str) -> TimemlDocument {
        timeml::parse(&format!(
            "<TimeML><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"2017-12-10\">x</TIMEX3></DCT>\
             <TEXT>{text}</TEXT></TimeML>"
        ))
    }

    #[test]
    fn error_lines_name_each_category() {
        let gold = document(
            "He left <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2017-12-08\">Friday</TIMEX3> \
             for <TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"P3D\">three days</TIMEX3> \
             and <TIMEX3 tid=\"t3\" type=\"DATE\" value=\"PRESENT_REF\">now</TIMEX3> rests.",
        );
        let system = document(
            "He left <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2017-12-15\">Friday</TIMEX3> \
             for <TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"P3D\">three</TIMEX3> days \
             and now <TIMEX3 tid=\"t3\" type=\"SET\" value=\"P1D\">rests</TIMEX3>.",
        );
        let mut out = String::new();
        error_lines("doc", &gold, &system, &mut out);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "VALUE\tdoc\t2017-12-10\tFriday\tDATE 2017-12-08\tFriday\tDATE 2017-12-15\t\
                 He left [Friday] for three days and now rests.",
                "EXTENT\tdoc\t2017-12-10\tthree days\tDURATION P3D\tthree\tDURATION P3D\t\
                 He left Friday for [three days] and now rests.",
                "MISSED\tdoc\t2017-12-10\tnow\tDATE PRESENT_REF\t\t\t\
                 He left Friday for three days and [now] rests.",
                "EXTRA\tdoc\t2017-12-10\t\t\trests\tSET P1D\t\
                 He left Friday for three days and now [rests].",
            ]
        );
    }
}
