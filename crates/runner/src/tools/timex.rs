//! `runner eval timex GOLD_DIR SYSTEM_DIR [--json]`: TempEval-3 TIMEX3
//! scores of a folder of system TimeML files against a gold folder.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use document::{Value, json};
use lexopt::prelude::*;
use timeml::score::{Prf, Report, score_dirs};

pub const EVAL_USAGE: &str = "GOLD_DIR SYSTEM_DIR [--json]   TempEval-3 TIMEX3 scores: strict \
                              and relaxed span P/R/F1, type and value accuracy, value F1";

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
    while let Some(arg) = parser.next()? {
        match arg {
            Long("json") => as_json = true,
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
    Ok(ExitCode::SUCCESS)
}
