//! `runner eval ner FILE [--json]` and `runner train ner --train … --dev … --out …`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use lexopt::prelude::*;
use ner::score::{Counts, Score, score_conll};
use ner::train::{TrainOptions, train};

pub const EVAL_USAGE: &str = "FILE [--json]   entity-level P/R/F1 of a CoNLL file \
                              (gold = second-to-last column, prediction = last)";
pub const TRAIN_USAGE: &str = "--train FILE --dev FILE --out MODEL [--epochs N] [--seed N] \
                               [--bits N]   train the NER tagger";

fn counts_json(counts: &Counts) -> String {
    format!(
        "{{\"gold\":{},\"predicted\":{},\"correct\":{},\"precision\":{:.4},\"recall\":{:.4},\"f1\":{:.4}}}",
        counts.gold,
        counts.predicted,
        counts.correct,
        counts.precision(),
        counts.recall(),
        counts.f1()
    )
}

fn score_json(score: &Score) -> String {
    let types: Vec<String> = score
        .by_type
        .iter()
        .map(|(name, counts)| format!("\"{name}\":{}", counts_json(counts)))
        .collect();
    format!(
        "{{\"tokens\":{},\"accuracy\":{:.4},\"overall\":{},\"types\":{{{}}}}}",
        score.tokens,
        score.accuracy(),
        counts_json(&score.overall),
        types.join(",")
    )
}

pub fn eval(args: Vec<OsString>) -> anyhow::Result<ExitCode> {
    let mut parser = lexopt::Parser::from_args(args);
    let (mut file, mut json) = (None::<PathBuf>, false);
    while let Some(arg) = parser.next()? {
        match arg {
            Long("json") => json = true,
            Value(value) if file.is_none() => file = Some(value.into()),
            other => return Err(other.unexpected().into()),
        }
    }
    let Some(file) = file else { bail!("usage: runner eval ner {EVAL_USAGE}") };
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let score = score_conll(&String::from_utf8_lossy(&bytes)).map_err(anyhow::Error::msg)?;
    if json {
        println!("{}", score_json(&score));
    } else {
        print!("{}", score.report());
    }
    Ok(ExitCode::SUCCESS)
}

fn read_corpus(path: &PathBuf) -> anyhow::Result<Vec<ner::conll::LabelledDocument>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(ner::conll::parse_corpus(&String::from_utf8_lossy(&bytes)))
}

pub fn train_ner(args: Vec<OsString>) -> anyhow::Result<ExitCode> {
    let mut parser = lexopt::Parser::from_args(args);
    let (mut train_path, mut dev_path, mut out) = (None::<PathBuf>, None::<PathBuf>, None);
    let mut options = TrainOptions::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("train") => train_path = Some(parser.value()?.into()),
            Long("dev") => dev_path = Some(parser.value()?.into()),
            Long("out") => out = Some(PathBuf::from(parser.value()?)),
            Long("epochs") => options.epochs = parser.value()?.parse()?,
            Long("seed") => options.seed = parser.value()?.parse()?,
            Long("bits") => options.bits = parser.value()?.parse()?,
            other => return Err(other.unexpected().into()),
        }
    }
    let (Some(train_path), Some(dev_path), Some(out)) = (train_path, dev_path, out) else {
        bail!("usage: runner train ner {TRAIN_USAGE}");
    };
    if !(12..=26).contains(&options.bits) {
        bail!("--bits must lie between 12 and 26");
    }
    let train_set = read_corpus(&train_path)?;
    let dev_set = read_corpus(&dev_path)?;
    println!(
        "training on {} documents, dev {} documents; {} epochs, seed {}, 2^{} rows",
        train_set.len(),
        dev_set.len(),
        options.epochs,
        options.seed,
        options.bits
    );
    let model = train(&train_set, &dev_set, &options, |report| {
        println!(
            "epoch {:>2}: {} mistakes (both passes) over {} tokens; dev P {:.4} R {:.4} F1 {:.4}",
            report.epoch,
            report.mistakes,
            report.tokens,
            report.dev.overall.precision(),
            report.dev.overall.recall(),
            report.dev.overall.f1()
        );
    });
    let bytes = model.to_bytes()?;
    std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!("wrote {} ({} bytes), the best epoch's model", out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}
