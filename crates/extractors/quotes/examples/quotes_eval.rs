//! Evaluates the quotes extractor on its development corpus.
//!
//! ```text
//! cargo run --release -p quotes --example quotes_eval -- [--corpus FILE]... [--verbose]
//!     [--floors FILE [--tolerance 0.01]]
//! ```
//!
//! The corpus (default: `eval/corpus.txt`, `eval/heldout.txt` and
//! `eval/heldout2.txt` of this crate, scored together) holds original
//! wire-style articles with the gold quotes marked inline as
//! `{{K:SPEAKER|text}}` (K = d, p or i: direct, partial, indirect; an empty
//! SPEAKER is a null speaker). Each article goes through the `news`
//! tokenizer, the embedded `ner` model and the quotes extractor, as in
//! `pipelines/quotes.toml`, and the `QUOTE` annotations are scored:
//!
//! * span precision, recall and F1, exact (same start and end) and
//!   relaxed (overlapping, one to one);
//! * kind accuracy and speaker accuracy over the quotes matched (relaxed),
//!   and speaker accuracy over every gold quote (a missed quote counts as
//!   a wrong speaker). Speakers compare case-insensitively, without a
//!   leading `the`/`a`/`an` or a possessive `'s`; null equals null.
//!
//! `--verbose` lists every miss. With `--floors`, exits 1 when a figure
//! falls more than `--tolerance` below its floor in the file (`key =
//! value` lines, as in `eval/reached.toml`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use document::{Document, Extractor, Span};

/// A gold quote: its span in the clean text, kind and speaker.
#[derive(Clone, Debug)]
struct Gold {
    span: Span,
    kind: String,
    speaker: Option<String>,
}

/// A predicted quote, with the text of its speaker mention.
#[derive(Clone, Debug)]
struct Predicted {
    span: Span,
    kind: String,
    speaker: Option<String>,
    mention: Option<String>,
}

struct Article {
    id: String,
    text: String,
    gold: Vec<Gold>,
}

/// Reads the corpus: `### id` lines start articles; `{{K:SPEAKER|` opens a
/// gold quote and `}}` closes the innermost one.
fn parse(corpus: &str) -> Result<Vec<Article>, String> {
    let mut articles = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in corpus.lines() {
        if let Some(id) = line.strip_prefix("### ") {
            if let Some((id, raw)) = current.take() {
                articles.push(article(id, &raw)?);
            }
            current = Some((id.trim().to_string(), String::new()));
        } else if let Some((_, raw)) = current.as_mut() {
            raw.push_str(line);
            raw.push('\n');
        }
    }
    if let Some((id, raw)) = current {
        articles.push(article(id, &raw)?);
    }
    Ok(articles)
}

fn article(id: String, raw: &str) -> Result<Article, String> {
    let mut text = String::with_capacity(raw.len());
    let mut open: Vec<(usize, String, Option<String>)> = Vec::new();
    let mut gold = Vec::new();
    let mut rest = raw;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("{{") {
            let bar = after.find('|').ok_or_else(|| format!("{id}: `{{{{` without `|`"))?;
            let header = &after[..bar];
            let (kind, speaker) = header
                .split_once(':')
                .ok_or_else(|| format!("{id}: `{header}` is not K:SPEAKER"))?;
            let kind = match kind {
                "d" => "direct",
                "p" => "partial",
                "i" => "indirect",
                other => return Err(format!("{id}: unknown kind `{other}`")),
            };
            let speaker = (!speaker.trim().is_empty()).then(|| speaker.trim().to_string());
            open.push((text.len(), kind.to_string(), speaker));
            rest = &after[bar + 1..];
        } else if let Some(after) = rest.strip_prefix("}}") {
            let (start, kind, speaker) =
                open.pop().ok_or_else(|| format!("{id}: `}}}}` without `{{{{`"))?;
            gold.push(Gold { span: Span::new(start, text.len()), kind, speaker });
            rest = after;
        } else {
            let next = rest.chars().next().unwrap_or(' ');
            text.push(next);
            rest = &rest[next.len_utf8()..];
        }
    }
    if !open.is_empty() {
        return Err(format!("{id}: a quote is never closed"));
    }
    gold.sort_by_key(|quote| (quote.span.start, std::cmp::Reverse(quote.span.end)));
    Ok(Article { id, text, gold })
}

fn normalise(speaker: &Option<String>) -> Option<String> {
    speaker.as_ref().map(|name| {
        let lower = name.to_lowercase();
        let mut words: Vec<&str> = lower.split_whitespace().collect();
        if words.first().is_some_and(|word| matches!(*word, "the" | "a" | "an")) {
            words.remove(0);
        }
        words.join(" ").replace("'s", "").replace('\u{2019}', "'")
    })
}

fn predict(
    text: &str,
    ner: &ner::NerExtractor,
    quotes: &quotes::QuotesExtractor,
) -> anyhow::Result<Vec<Predicted>> {
    let mut document = Document::new("eval", text);
    let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
    document.tokens = tokens;
    document.sentences = sentences;
    ner.extract(&mut document)?;
    quotes.extract(&mut document)?;
    Ok(document
        .annotations
        .iter()
        .filter(|annotation| annotation.label == quotes::QUOTE)
        .map(|annotation| {
            let value = annotation.value.clone().unwrap_or_default();
            let mention = match (value["speaker_start"].as_u64(), value["speaker_end"].as_u64()) {
                (Some(start), Some(end)) => {
                    Some(text.chars().skip(start as usize).take((end - start) as usize).collect())
                }
                _ => None,
            };
            Predicted {
                span: annotation.span,
                kind: value["kind"].as_str().unwrap_or("").to_string(),
                speaker: value["speaker"].as_str().map(str::to_string),
                mention,
            }
        })
        .collect())
}

#[derive(Default)]
struct Counts {
    gold: usize,
    predicted: usize,
    exact: usize,
    relaxed: usize,
    kind_right: usize,
    speaker_right: usize,
    gold_by_kind: BTreeMap<String, (usize, usize)>,
    speaker_kinds: BTreeMap<&'static str, (usize, usize)>,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

fn f1(correct: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let (p, r) = (ratio(correct, predicted), ratio(correct, gold));
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

/// What stands for the speaker next to a matched quote, for the breakdown:
/// a pronoun, a statement, a name or description; `null` gold speakers
/// apart.
fn speaker_class(gold: &Gold, predicted: Option<&Predicted>) -> &'static str {
    if gold.speaker.is_none() {
        return "gold null";
    }
    let mention = predicted.and_then(|quote| quote.mention.as_deref()).unwrap_or("").to_lowercase();
    if matches!(mention.as_str(), "he" | "she" | "it" | "they" | "we" | "i") {
        "pronoun"
    } else if ["statement", "report", "communique"].iter().any(|noun| mention.ends_with(noun)) {
        "statement"
    } else {
        "name or description"
    }
}

fn main() -> anyhow::Result<ExitCode> {
    let mut corpora: Vec<PathBuf> = Vec::new();
    let mut floors: Option<PathBuf> = None;
    let mut tolerance = 0.01;
    let mut verbose = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpora.extend(args.next().map(PathBuf::from)),
            "--floors" => floors = args.next().map(PathBuf::from),
            "--tolerance" => {
                let text = args.next().unwrap_or_default();
                tolerance = text
                    .parse()
                    .map_err(|_| anyhow::anyhow!("--tolerance {text}: not a number"))?;
            }
            "--verbose" => verbose = true,
            other => anyhow::bail!("unknown argument `{other}`"),
        }
    }
    if corpora.is_empty() {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("eval");
        corpora = vec![
            folder.join("corpus.txt"),
            folder.join("heldout.txt"),
            folder.join("heldout2.txt"),
        ];
    }
    let mut articles = Vec::new();
    let mut per_file = Vec::new();
    for corpus in &corpora {
        let raw = std::fs::read_to_string(corpus)
            .map_err(|error| anyhow::anyhow!("{}: {error}", corpus.display()))?;
        let parsed = parse(&raw).map_err(anyhow::Error::msg)?;
        per_file.push((corpus.display().to_string(), parsed.len()));
        articles.extend(parsed);
    }
    let ner = ner::NerExtractor::new(ner::embedded_tagger()?);
    let extractor = quotes::QuotesExtractor::default();
    let mut counts = Counts::default();
    for article in &articles {
        let predicted = predict(&article.text, &ner, &extractor)?;
        counts.gold += article.gold.len();
        counts.predicted += predicted.len();
        let mut taken = vec![false; predicted.len()];
        for gold in &article.gold {
            let entry = counts.gold_by_kind.entry(gold.kind.clone()).or_default();
            entry.0 += 1;
            // The exact match, else the predicted quote overlapping most.
            let exact = predicted
                .iter()
                .enumerate()
                .position(|(index, quote)| !taken[index] && quote.span == gold.span);
            let best = exact.or_else(|| {
                predicted
                    .iter()
                    .enumerate()
                    .filter(|(index, quote)| !taken[*index] && quote.span.overlaps(&gold.span))
                    .max_by_key(|(_, quote)| {
                        quote.span.end.min(gold.span.end) - quote.span.start.max(gold.span.start)
                    })
                    .map(|(index, _)| index)
            });
            let class = speaker_class(gold, best.map(|index| &predicted[index]));
            let class_entry = counts.speaker_kinds.entry(class).or_default();
            class_entry.0 += 1;
            let Some(index) = best else {
                if verbose {
                    println!(
                        "{}: MISSED {} {:?} ({:?})",
                        article.id,
                        gold.kind,
                        gold.span.slice(&article.text),
                        gold.speaker
                    );
                }
                continue;
            };
            taken[index] = true;
            let quote = &predicted[index];
            counts.relaxed += 1;
            if exact.is_some() {
                counts.exact += 1;
                entry.1 += 1;
            } else if verbose {
                println!(
                    "{}: SPAN {} gold {:?}\n      got {:?}",
                    article.id,
                    gold.kind,
                    gold.span.slice(&article.text),
                    quote.span.slice(&article.text)
                );
            }
            if quote.kind == gold.kind {
                counts.kind_right += 1;
            } else if verbose {
                println!(
                    "{}: KIND {:?} gold {} got {}",
                    article.id,
                    gold.span.slice(&article.text),
                    gold.kind,
                    quote.kind
                );
            }
            if normalise(&quote.speaker) == normalise(&gold.speaker) {
                counts.speaker_right += 1;
                class_entry.1 += 1;
            } else if verbose {
                println!(
                    "{}: SPEAKER {:?} gold {:?} got {:?}",
                    article.id,
                    gold.span.slice(&article.text),
                    gold.speaker,
                    quote.speaker
                );
            }
        }
        if verbose {
            for (index, quote) in predicted.iter().enumerate() {
                if !taken[index] {
                    println!(
                        "{}: SPURIOUS {} {:?} ({:?})",
                        article.id,
                        quote.kind,
                        quote.span.slice(&article.text),
                        quote.speaker
                    );
                }
            }
        }
    }

    let (exact_p, exact_r, exact_f) = f1(counts.exact, counts.predicted, counts.gold);
    let (relaxed_p, relaxed_r, relaxed_f) = f1(counts.relaxed, counts.predicted, counts.gold);
    let speaker = ratio(counts.speaker_right, counts.relaxed);
    let speaker_all = ratio(counts.speaker_right, counts.gold);
    println!(
        "{} articles, {} gold quotes, {} predicted",
        articles.len(),
        counts.gold,
        counts.predicted,
    );
    for (file, count) in &per_file {
        println!("  {count} articles from {file}");
    }
    println!("span exact    P {exact_p:.4}  R {exact_r:.4}  F1 {exact_f:.4}");
    println!("span relaxed  P {relaxed_p:.4}  R {relaxed_r:.4}  F1 {relaxed_f:.4}");
    println!(
        "kind accuracy {:.4} ({} of {} matched)",
        ratio(counts.kind_right, counts.relaxed),
        counts.kind_right,
        counts.relaxed
    );
    println!(
        "speaker accuracy {speaker:.4} ({} of {} matched)",
        counts.speaker_right, counts.relaxed
    );
    println!("speaker accuracy over every gold quote {speaker_all:.4}");
    for (kind, (total, found)) in &counts.gold_by_kind {
        println!("  {kind:<9} {total:>4} gold, exact recall {:.4}", ratio(*found, *total));
    }
    for (class, (total, right)) in &counts.speaker_kinds {
        println!("  speaker mention {class:<19} {total:>4} gold, {right} right");
    }

    let figures = [("span_f1", exact_f), ("relaxed_f1", relaxed_f), ("speaker_accuracy", speaker)];
    if let Some(path) = floors {
        let text = std::fs::read_to_string(&path)
            .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?;
        let mut failed = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once('=') else { continue };
            let (key, value) = (key.trim(), value.trim());
            let floor: f64 =
                value.parse().map_err(|_| anyhow::anyhow!("{}: `{line}`", path.display()))?;
            let Some((_, reached)) = figures.iter().find(|(name, _)| *name == key) else {
                anyhow::bail!("{}: unknown figure `{key}`", path.display());
            };
            if *reached + tolerance < floor {
                println!(
                    "FAIL {key} {reached:.4} is below the floor {floor:.4} (tolerance {tolerance})"
                );
                failed = true;
            } else {
                println!("ok   {key} {reached:.4} (floor {floor:.4})");
            }
        }
        if failed {
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
