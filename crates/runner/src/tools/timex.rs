//! `runner eval timex GOLD_DIR SYSTEM_DIR [--json]`: TempEval-3 TIMEX3
//! scores of a folder of system TimeML files against a gold folder.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use document::{Value, json};
use lexopt::prelude::*;
use timeml::score::{Prf, Report, check_floors, score_dirs};

pub const EVAL_USAGE: &str = "GOLD_DIR SYSTEM_DIR [--json] [--floors FILE [--tolerance 0.01]]   \
                              TempEval-3 TIMEX3 scores: strict and relaxed span P/R/F1, type and \
                              value accuracy, value F1; with --floors, exit 2 when a figure is \
                              more than the tolerance below the value the file records";

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
    let mut floors: Option<PathBuf> = None;
    let mut tolerance = 0.01;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("json") => as_json = true,
            Long("floors") => floors = Some(parser.value()?.into()),
            Long("tolerance") => tolerance = parser.value()?.parse()?,
            Value(value) if folders.len() < 2 => folders.push(value.into()),
            other => return Err(other.unexpected().into()),
        }
    }
    let [gold, system] = folders.as_slice() else { bail!("usage: runner eval timex {EVAL_USAGE}") };
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
