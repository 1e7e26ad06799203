//! The TempEval-3 TIMEX3 scorer.
//!
//! The definitions are those of TempEval-3 (UzZaman et al., 2013), over
//! the TIMEX3 elements of each document's `<TEXT>` (the DCT is given, not
//! found, so it is not scored):
//!
//! * **strict** span: a system TIMEX3 matches a gold one with the identical
//!   extent; **relaxed**: one whose extent overlaps it.
//! * precision = system TIMEX3 that match some gold one / system TIMEX3;
//!   recall = gold TIMEX3 matched by some system one / gold TIMEX3; F1 their
//!   harmonic mean.
//! * each gold TIMEX3 is paired with the first system TIMEX3 that overlaps
//!   it (one to one); **type** and **value accuracy** are the shares of those
//!   pairs whose `type` / `value` agree;
//! * **value F1**: precision = pairs with an identical value / system
//!   TIMEX3, recall = the same / gold TIMEX3 (a relaxed match with the right
//!   value, TempEval-3's attribute F1).
//!
//! Documents pair by id ([`crate::file_id`] of the file name): a gold file
//! without a system file counts all its TIMEX3 as missed, and is reported.
//! The extents are compared as offsets into each file's own extracted
//! text; the two texts are checked to be equal, and a document whose texts
//! differ is reported and scored on offsets anyway.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::{TimemlDocument, Timex, file_id, parse};

/// Counts from which every figure follows; they add up over documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub gold: usize,
    pub system: usize,
    pub strict_system_matched: usize,
    pub strict_gold_matched: usize,
    pub relaxed_system_matched: usize,
    pub relaxed_gold_matched: usize,
    /// One-to-one relaxed pairs.
    pub pairs: usize,
    pub type_correct: usize,
    pub value_correct: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.gold += other.gold;
        self.system += other.system;
        self.strict_system_matched += other.strict_system_matched;
        self.strict_gold_matched += other.strict_gold_matched;
        self.relaxed_system_matched += other.relaxed_system_matched;
        self.relaxed_gold_matched += other.relaxed_gold_matched;
        self.pairs += other.pairs;
        self.type_correct += other.type_correct;
        self.value_correct += other.value_correct;
    }
}

/// Precision, recall and F1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

impl Prf {
    fn new(system_part: usize, system: usize, gold_part: usize, gold: usize) -> Prf {
        let precision = ratio(system_part, system);
        let recall = ratio(gold_part, gold);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf { precision, recall, f1 }
    }
}

/// The figures of a scoring run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    pub documents: usize,
    pub counts: Counts,
    pub strict: Prf,
    pub relaxed: Prf,
    pub type_accuracy: f64,
    pub value_accuracy: f64,
    pub value: Prf,
    /// Gold documents with no system file.
    pub missing: Vec<String>,
    /// Documents whose gold and system texts differ.
    pub text_mismatch: Vec<String>,
}

impl Report {
    fn from_counts(documents: usize, counts: Counts) -> Report {
        Report {
            documents,
            counts,
            strict: Prf::new(
                counts.strict_system_matched,
                counts.system,
                counts.strict_gold_matched,
                counts.gold,
            ),
            relaxed: Prf::new(
                counts.relaxed_system_matched,
                counts.system,
                counts.relaxed_gold_matched,
                counts.gold,
            ),
            type_accuracy: ratio(counts.type_correct, counts.pairs),
            value_accuracy: ratio(counts.value_correct, counts.pairs),
            value: Prf::new(counts.value_correct, counts.system, counts.value_correct, counts.gold),
            missing: Vec::new(),
            text_mismatch: Vec::new(),
        }
    }

    /// The report as aligned text, TempEval-3 style.
    pub fn to_text(&self) -> String {
        let row = |name: &str, prf: &Prf| {
            format!(
                "{name:<14} P {:>6.2}  R {:>6.2}  F1 {:>6.2}\n",
                prf.precision * 100.0,
                prf.recall * 100.0,
                prf.f1 * 100.0
            )
        };
        let mut text = format!(
            "documents {}  gold TIMEX3 {}  system TIMEX3 {}\n",
            self.documents, self.counts.gold, self.counts.system
        );
        text.push_str(&row("strict span", &self.strict));
        text.push_str(&row("relaxed span", &self.relaxed));
        text.push_str(&format!(
            "{:<14} type accuracy {:.2}  value accuracy {:.2} (over {} relaxed pairs)\n",
            "attributes",
            self.type_accuracy * 100.0,
            self.value_accuracy * 100.0,
            self.counts.pairs
        ));
        text.push_str(&row("value", &self.value));
        if !self.missing.is_empty() {
            text.push_str(&format!(
                "{} gold documents have no system file: {}\n",
                self.missing.len(),
                self.missing.join(", ")
            ));
        }
        if !self.text_mismatch.is_empty() {
            text.push_str(&format!(
                "{} documents have a system text that differs from the gold text: {}\n",
                self.text_mismatch.len(),
                self.text_mismatch.join(", ")
            ));
        }
        text
    }
}

/// The counts of one document.
pub fn score_document(gold: &[Timex], system: &[Timex]) -> Counts {
    let overlaps = |a: &Timex, b: &Timex| a.start < b.end && b.start < a.end;
    let same = |a: &Timex, b: &Timex| a.start == b.start && a.end == b.end;
    let mut counts = Counts { gold: gold.len(), system: system.len(), ..Counts::default() };
    // Both lists are in text order and short, so the pairing walks a
    // window of the system list per gold TIMEX3.
    let mut used = vec![false; system.len()];
    for g in gold {
        if system.iter().any(|s| same(g, s)) {
            counts.strict_gold_matched += 1;
        }
        if system.iter().any(|s| overlaps(g, s)) {
            counts.relaxed_gold_matched += 1;
        }
        let partner = system.iter().enumerate().find(|(i, s)| !used[*i] && overlaps(g, s));
        if let Some((i, s)) = partner {
            used[i] = true;
            counts.pairs += 1;
            counts.type_correct += usize::from(g.kind.eq_ignore_ascii_case(&s.kind));
            counts.value_correct += usize::from(g.value == s.value);
        }
    }
    for s in system {
        if gold.iter().any(|g| same(g, s)) {
            counts.strict_system_matched += 1;
        }
        if gold.iter().any(|g| overlaps(g, s)) {
            counts.relaxed_system_matched += 1;
        }
    }
    counts
}

/// Scores parsed documents: `(id, gold, system)`, system `None` when absent.
pub fn score(documents: &[(String, TimemlDocument, Option<TimemlDocument>)]) -> Report {
    let mut total = Counts::default();
    let mut missing = Vec::new();
    let mut text_mismatch = Vec::new();
    for (id, gold, system) in documents {
        match system {
            Some(system) => {
                if system.text != gold.text {
                    text_mismatch.push(id.clone());
                }
                total.add(&score_document(&gold.timexes, &system.timexes));
            }
            None => {
                missing.push(id.clone());
                total.add(&score_document(&gold.timexes, &[]));
            }
        }
    }
    let mut report = Report::from_counts(documents.len(), total);
    report.missing = missing;
    report.text_mismatch = text_mismatch;
    report
}

/// Every `.tml` and `.TE3input` file under `dir`, by document id.
pub fn list_timeml(dir: &Path) -> io::Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or("");
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if name.ends_with(".tml") || name.ends_with(".TE3input") {
                files.insert(file_id(name).to_string(), path);
            }
        }
    }
    Ok(files)
}

/// Scores the TimeML files of `system_dir` against those of `gold_dir`.
pub fn score_dirs(gold_dir: &Path, system_dir: &Path) -> io::Result<Report> {
    let gold_files = list_timeml(gold_dir)?;
    let system_files = list_timeml(system_dir)?;
    if gold_files.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no .tml or .TE3input file under {}", gold_dir.display()),
        ));
    }
    let read = |path: &Path| -> io::Result<TimemlDocument> {
        let bytes = fs::read(path)?;
        Ok(parse(&String::from_utf8_lossy(&bytes)))
    };
    let mut documents = Vec::with_capacity(gold_files.len());
    for (id, gold_path) in &gold_files {
        let gold = read(gold_path)?;
        let system = match system_files.get(id) {
            Some(path) => Some(read(path)?),
            None => None,
        };
        documents.push((id.clone(), gold, system));
    }
    Ok(score(&documents))
}

/// A figure of a [`Report`] by the name a floors file uses, as a fraction.
pub fn figure(report: &Report, name: &str) -> Option<f64> {
    Some(match name {
        "strict_f1" => report.strict.f1,
        "relaxed_f1" => report.relaxed.f1,
        "value_f1" => report.value.f1,
        "type_accuracy" => report.type_accuracy,
        "value_accuracy" => report.value_accuracy,
        "strict_precision" => report.strict.precision,
        "strict_recall" => report.strict.recall,
        "relaxed_precision" => report.relaxed.precision,
        "relaxed_recall" => report.relaxed.recall,
        _ => return None,
    })
}

/// One figure checked against its floor.
#[derive(Clone, Debug, PartialEq)]
pub struct FloorCheck {
    pub name: String,
    pub reached: f64,
    pub measured: f64,
    /// `measured >= reached - tolerance`.
    pub passed: bool,
}

/// Checks `report` against a floors file: `name = fraction` lines (`#`
/// starts a comment), each figure failing when it is more than
/// `tolerance` below the fraction recorded. An unknown name or a line that
/// is not `name = number` is an error, so that a typo cannot disable a
/// check.
pub fn check_floors(
    report: &Report,
    floors: &str,
    tolerance: f64,
) -> Result<Vec<FloorCheck>, String> {
    let mut checks = Vec::new();
    for (number, line) in floors.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('[') {
            continue;
        }
        let (name, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected `name = fraction`", number + 1))?;
        let name = name.trim();
        let reached: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("line {}: `{}` is not a number", number + 1, value.trim()))?;
        let measured = figure(report, name)
            .ok_or_else(|| format!("line {}: unknown figure `{name}`", number + 1))?;
        let passed = measured + 1e-9 >= reached - tolerance;
        checks.push(FloorCheck { name: name.to_string(), reached, measured, passed });
    }
    if checks.is_empty() {
        return Err("the floors file names no figure".into());
    }
    Ok(checks)
}
