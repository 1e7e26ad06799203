//! Entity-level scoring of CoNLL files, as conlleval computes it.
//!
//! An entity counts as correct only when the gold and the predicted chunk
//! start on the same token, end on the same token and have the same type.
//! Chunk boundaries follow conlleval's `startOfChunk`/`endOfChunk` rules,
//! which read IOB1 (`I-` everywhere, `B-` only between two adjacent
//! entities of one type) and IOB2 (`B-` on every first token) alike, and
//! also BIOES. Blank and `-DOCSTART-` lines are boundaries.

use std::collections::BTreeMap;

/// Counts for one entity type (or all of them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Entities in the gold column.
    pub gold: usize,
    /// Entities in the prediction column.
    pub predicted: usize,
    /// Predicted entities that match a gold one exactly.
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (precision, recall) = (self.precision(), self.recall());
        if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        }
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// The result of scoring a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Score {
    pub tokens: usize,
    /// Tokens whose predicted tag equals the gold tag.
    pub correct_tags: usize,
    pub overall: Counts,
    pub by_type: BTreeMap<String, Counts>,
}

impl Score {
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct_tags, self.tokens)
    }

    /// The report in conlleval's layout.
    pub fn report(&self) -> String {
        let mut text = format!(
            "processed {} tokens with {} phrases; found: {} phrases; correct: {}.\n",
            self.tokens, self.overall.gold, self.overall.predicted, self.overall.correct
        );
        let line = |name: &str, counts: &Counts| {
            format!(
                "{name:>17}: precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}  {}\n",
                100.0 * counts.precision(),
                100.0 * counts.recall(),
                100.0 * counts.f1(),
                counts.predicted
            )
        };
        text.push_str(&format!(
            "accuracy: {:6.2}%; precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}\n",
            100.0 * self.accuracy(),
            100.0 * self.overall.precision(),
            100.0 * self.overall.recall(),
            100.0 * self.overall.f1()
        ));
        for (name, counts) in &self.by_type {
            text.push_str(&line(name, counts));
        }
        text
    }
}

/// `B-PER` → (`B`, `PER`); `O` → (`O`, ``); a bare type is read as `I-`.
fn split_tag(tag: &str) -> (&str, &str) {
    match tag.split_once('-') {
        Some((prefix, kind)) => (prefix, kind),
        None if tag == "O" || tag.is_empty() => ("O", ""),
        None => ("I", tag),
    }
}

fn end_of_chunk(previous: (&str, &str), current: (&str, &str)) -> bool {
    let ((prev_tag, prev_type), (tag, kind)) = (previous, current);
    matches!(
        (prev_tag, tag),
        ("B", "B") | ("B", "O") | ("I", "B") | ("I", "O") | ("E", _) | ("S", _)
    ) || (prev_tag != "O" && prev_tag != "." && prev_type != kind)
}

fn start_of_chunk(previous: (&str, &str), current: (&str, &str)) -> bool {
    let ((prev_tag, prev_type), (tag, kind)) = (previous, current);
    if tag == "O" || tag == "." {
        return false;
    }
    matches!(
        (prev_tag, tag),
        ("B", "B") | ("I", "B") | ("O", "B") | ("O", "I") | ("E", _) | ("S", _) | (_, "S")
    ) || matches!((prev_tag, tag), ("O", "E"))
        || prev_type != kind
}

/// Accumulates a score one token at a time.
#[derive(Debug, Default)]
pub struct Scorer {
    score: Score,
    previous_gold: (String, String),
    previous_predicted: (String, String),
    in_correct: bool,
}

impl Scorer {
    pub fn new() -> Self {
        Scorer {
            previous_gold: ("O".into(), String::new()),
            previous_predicted: ("O".into(), String::new()),
            ..Scorer::default()
        }
    }

    /// A sentence or document boundary.
    pub fn boundary(&mut self) {
        self.step("O", "O");
    }

    /// One token with its gold and predicted tags.
    pub fn token(&mut self, gold: &str, predicted: &str) {
        self.score.tokens += 1;
        if gold == predicted {
            self.score.correct_tags += 1;
        }
        self.step(gold, predicted);
    }

    fn step(&mut self, gold: &str, predicted: &str) {
        let gold = split_tag(gold);
        let predicted = split_tag(predicted);
        let (last_gold, last_predicted) =
            (self.previous_gold.clone(), self.previous_predicted.clone());
        let previous_gold = (last_gold.0.as_str(), last_gold.1.as_str());
        let previous_predicted = (last_predicted.0.as_str(), last_predicted.1.as_str());
        let gold_ends = end_of_chunk(previous_gold, gold);
        let predicted_ends = end_of_chunk(previous_predicted, predicted);
        if self.in_correct {
            if gold_ends && predicted_ends && previous_gold.1 == previous_predicted.1 {
                self.in_correct = false;
                let kind = previous_gold.1.to_string();
                self.count(&kind, |counts| counts.correct += 1);
            } else if gold_ends != predicted_ends || gold.1 != predicted.1 {
                self.in_correct = false;
            }
        }
        let gold_starts = start_of_chunk(previous_gold, gold);
        let predicted_starts = start_of_chunk(previous_predicted, predicted);
        if gold_starts && predicted_starts && gold.1 == predicted.1 {
            self.in_correct = true;
        }
        if gold_starts {
            self.count(gold.1, |counts| counts.gold += 1);
        }
        if predicted_starts {
            self.count(predicted.1, |counts| counts.predicted += 1);
        }
        self.previous_gold = (gold.0.to_string(), gold.1.to_string());
        self.previous_predicted = (predicted.0.to_string(), predicted.1.to_string());
    }

    fn count(&mut self, kind: &str, update: impl Fn(&mut Counts)) {
        update(&mut self.score.overall);
        update(self.score.by_type.entry(kind.to_string()).or_default());
    }

    pub fn finish(mut self) -> Score {
        if self.in_correct {
            let kind = self.previous_gold.1.clone();
            self.count(&kind, |counts| counts.correct += 1);
        }
        self.score
    }
}

/// Scores CoNLL text: gold tag = second-to-last column, prediction = last.
/// A token line with fewer than two columns after the token is an error,
/// reported with its line number.
pub fn score_conll(text: &str) -> Result<Score, String> {
    let mut scorer = Scorer::new();
    for (number, line) in text.lines().enumerate() {
        let columns: Vec<&str> = line.split_whitespace().collect();
        if columns.is_empty() || columns[0] == "-DOCSTART-" {
            scorer.boundary();
            continue;
        }
        match columns.as_slice() {
            [_, .., gold, predicted] if columns.len() >= 3 => scorer.token(gold, predicted),
            _ => {
                return Err(format!(
                    "line {}: expected a token, a gold tag and a predicted tag, found `{line}`",
                    number + 1
                ));
            }
        }
    }
    Ok(scorer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(gold: usize, predicted: usize, correct: usize) -> Counts {
        Counts { gold, predicted, correct }
    }

    #[test]
    fn perfect_iob1_against_iob2() {
        // Gold in IOB1, prediction in IOB2: the same entities.
        let text = "EU I-ORG B-ORG\nrejects O O\nGerman I-MISC B-MISC\ncall O O\n\n\
                    Peter I-PER B-PER\nBlackburn I-PER I-PER\n";
        let score = score_conll(text).unwrap();
        assert_eq!(score.overall, counts(3, 3, 3));
        assert_eq!(score.by_type["PER"], counts(1, 1, 1));
        assert_eq!(score.tokens, 6);
        assert_eq!(score.correct_tags, 3);
        assert!((score.overall.f1() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn iob1_b_splits_adjacent_entities() {
        // Two adjacent LOCs in IOB1; the prediction merges them into one.
        let text = "Bonn I-LOC B-LOC\nBerlin B-LOC I-LOC\n";
        let score = score_conll(text).unwrap();
        assert_eq!(score.overall, counts(2, 1, 0));
    }

    #[test]
    fn boundaries_types_and_partial_matches() {
        let text = "-DOCSTART- -X- O O O\n\n\
                    New NNP I-LOC B-LOC\nYork NNP I-LOC O\nis VBZ O O\n\
                    in IN O O\nUN NNP I-ORG B-LOC\n.  . O O\n\n\
                    Kohl NNP I-PER B-PER\n\nMerkel NNP I-PER B-PER\n";
        let score = score_conll(text).unwrap();
        // Gold: New York (LOC), UN (ORG), Kohl, Merkel. Predicted: New (LOC),
        // UN (LOC), Kohl, Merkel. Correct: Kohl and Merkel.
        assert_eq!(score.overall, counts(4, 4, 2));
        assert_eq!(score.by_type["LOC"], counts(1, 2, 0));
        assert_eq!(score.by_type["ORG"], counts(1, 0, 0));
        assert_eq!(score.by_type["PER"], counts(2, 2, 2));
        assert!((score.overall.precision() - 0.5).abs() < 1e-12);
        assert!((score.overall.f1() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn an_entity_at_the_end_of_the_file_counts() {
        let score = score_conll("Paris B-LOC B-LOC").unwrap();
        assert_eq!(score.overall, counts(1, 1, 1));
    }

    #[test]
    fn a_longer_prediction_is_wrong() {
        let score =
            score_conll("Bank I-ORG I-ORG\nof I-ORG I-ORG\nItaly I-ORG I-ORG\nsaid O I-ORG")
                .unwrap();
        assert_eq!(score.overall, counts(1, 1, 0));
    }

    #[test]
    fn reports_malformed_lines() {
        assert_eq!(
            score_conll("a O O\nb O").unwrap_err(),
            "line 2: expected a token, a gold tag and a predicted tag, found `b O`"
        );
    }

    #[test]
    fn report_is_conlleval_like() {
        let score = score_conll("Paris B-LOC B-LOC\nis O O").unwrap();
        assert!(score.report().starts_with(
            "processed 2 tokens with 1 phrases; found: 1 phrases; correct: 1.\n\
             accuracy: 100.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00\n"
        ));
    }
}
