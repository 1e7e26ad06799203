//! The corpus overview, `index.html`, gathered one document at a time.
//!
//! The exporter streams, so [`Corpus`] keeps only what the page shows,
//! in memory bounded whatever the corpus size: counts per label, the most
//! frequent names (an approximate count once there are more than
//! [`MAX_DISTINCT_NAMES`] distinct names of a label: the rarest are
//! dropped, which cannot change a top list of names seen thousands of
//! times), dates mentioned by month, the largest amounts per currency, and a
//! row per rendered document (at most `limit`).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use document::{Document, Failure, Severity};

use super::markup::{css_color, group_digits, label_rank, push_escaped, shorten};
use super::page::{MAX_CELL_CHARS, class_rules, head, tail};

/// Distinct names counted per label before the rarest are dropped.
pub const MAX_DISTINCT_NAMES: usize = 50_000;
/// Entries in each bar chart of names.
const TOP_NAMES: usize = 12;
/// The largest amounts listed for each currency.
const TOP_AMOUNTS: usize = 3;
/// Currencies listed, the most frequent first.
const TOP_CURRENCIES: usize = 8;
/// Currencies tracked; amounts in further currencies are only counted.
const MAX_CURRENCIES: usize = 500;
/// Failures listed (all are counted).
const MAX_FAILURES_LISTED: usize = 100;
/// Bars in the timeline; a wider range of months is drawn by year, and a
/// wider range of years loses its sparsest ends.
const MAX_BARS: usize = 240;
/// The labels whose names are charted.
const CHARTED: [(&str, &str); 3] = [("PER", "People"), ("ORG", "Organisations"), ("LOC", "Places")];

/// One document's line in the table of documents.
pub struct Row {
    pub id: String,
    pub href: String,
    pub date: Option<String>,
    pub dateline: Option<String>,
    pub words: usize,
    pub annotations: usize,
}

struct Amount {
    /// For ordering only; the exact amount is `amount`.
    magnitude: f64,
    amount: String,
    text: String,
    document: String,
    href: Option<String>,
}

/// The amounts of money in one currency: how many, and the largest.
#[derive(Default)]
struct Currency {
    count: u64,
    largest: Vec<Amount>,
}

impl Currency {
    fn keep_largest(&mut self) {
        // Stable: of equal amounts, the first seen stays.
        self.largest.sort_by(|a, b| b.magnitude.total_cmp(&a.magnitude));
        self.largest.truncate(TOP_AMOUNTS);
    }
}

/// Counts of names, forgetting the rarest when there are too many.
#[derive(Default)]
struct NameCounts {
    counts: HashMap<String, u64>,
    /// Names seen this often or less were dropped at least once.
    floor: u64,
}

impl NameCounts {
    fn add(&mut self, name: String) {
        *self.counts.entry(name).or_default() += 1;
        if self.counts.len() > MAX_DISTINCT_NAMES {
            // Each round removes names that cannot be in the top list;
            // amortised over the insertions that filled the map.
            while self.counts.len() > MAX_DISTINCT_NAMES * 3 / 4 {
                self.floor += 1;
                let floor = self.floor;
                self.counts.retain(|_, count| *count > floor);
            }
        }
    }

    fn top(&self, how_many: usize) -> Vec<(&str, u64)> {
        let mut names: Vec<(&str, u64)> =
            self.counts.iter().map(|(name, count)| (name.as_str(), *count)).collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        names.truncate(how_many);
        names
    }
}

/// What `index.html` shows, gathered document by document.
#[derive(Default)]
pub struct Corpus {
    pub documents: u64,
    words: u64,
    labels: BTreeMap<String, u64>,
    errors: u64,
    warnings: u64,
    failures: Vec<Failure>,
    names: BTreeMap<&'static str, NameCounts>,
    /// (year, month) → dates mentioned in that month.
    months: BTreeMap<(u32, u32), u64>,
    /// Currency code → its amounts. Amounts are compared within a
    /// currency only: 1,546 trillion rials are not the largest sum.
    currencies: BTreeMap<String, Currency>,
    /// Amounts in currencies past [`MAX_CURRENCIES`].
    untracked_amounts: u64,
    pub rows: Vec<Row>,
    /// Documents counted but given no page: past `limit`, or not in `ids`.
    pub past_limit: u64,
    pub not_selected: u64,
}

/// The year and month of a TIMEX3 date value (`2017-12-09`, `2017-12`,
/// `2017-12-09T10:00`), if it names one.
fn year_month(value: &str) -> Option<(u32, u32)> {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = value.get(range)?;
        if part.bytes().all(|byte| byte.is_ascii_digit()) { part.parse().ok() } else { None }
    };
    let year = digits(0..4)?;
    if bytes.get(4) != Some(&b'-') || bytes.get(7).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let month = digits(5..7)?;
    (1..=12).contains(&month).then_some((year, month))
}

/// Longest name kept for the bar charts.
const MAX_NAME_CHARS: usize = 80;

impl Corpus {
    /// Counts a document; `href` is its page, if it has one.
    pub fn add(&mut self, document: &Document, href: Option<&str>) {
        self.documents += 1;
        self.words += document.word_count() as u64;
        for annotation in &document.annotations {
            *self.labels.entry(annotation.label.clone()).or_default() += 1;
            let text = annotation.span.slice(&document.text);
            if let Some((label, _)) = CHARTED.iter().find(|(label, _)| *label == annotation.label) {
                let name = annotation
                    .attr("canonical")
                    .and_then(|value| value.as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| text.split_whitespace().collect::<Vec<_>>().join(" "));
                if !name.is_empty() {
                    // Bounded, so that a long span cannot make memory grow
                    // with the length of the text.
                    let name = shorten(&name, MAX_NAME_CHARS).into_owned();
                    self.names.entry(label).or_default().add(name);
                }
            }
            match annotation.label.as_str() {
                "DATE" | "TIME" => {
                    let value = annotation.value.as_ref().and_then(|value| value.as_str());
                    if let Some(month) = value.and_then(year_month) {
                        *self.months.entry(month).or_default() += 1;
                    }
                }
                "MONEY" => self.add_amount(document, annotation, text, href),
                _ => {}
            }
        }
    }

    fn add_amount(
        &mut self,
        document: &Document,
        annotation: &document::Annotation,
        text: &str,
        href: Option<&str>,
    ) {
        let value = annotation.value.as_ref();
        let field = |key: &str| value.and_then(|value| value.get(key)).and_then(|v| v.as_str());
        let (Some(amount), currency) = (field("amount"), field("currency")) else { return };
        let Ok(magnitude) = amount.parse::<f64>() else { return };
        if !magnitude.is_finite() {
            return;
        }
        let currency = currency.unwrap_or("?");
        if !self.currencies.contains_key(currency) && self.currencies.len() >= MAX_CURRENCIES {
            self.untracked_amounts += 1;
            return;
        }
        let entry = self.currencies.entry(currency.to_string()).or_default();
        entry.count += 1;
        entry.largest.push(Amount {
            magnitude,
            amount: amount.to_string(),
            text: shorten(text, MAX_CELL_CHARS).into_owned(),
            document: document.id.clone(),
            href: href.map(str::to_string),
        });
        if entry.largest.len() >= TOP_AMOUNTS * 8 {
            entry.keep_largest();
        }
    }

    pub fn add_failure(&mut self, failure: &Failure) {
        match failure.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
        if self.failures.len() < MAX_FAILURES_LISTED {
            self.failures.push(failure.clone());
        }
    }

    /// The page. `limit` and `missing_ids` (ids asked for but never seen)
    /// explain the documents without a page.
    pub fn index_page(&mut self, limit: usize, missing_ids: &[String]) -> String {
        for currency in self.currencies.values_mut() {
            currency.keep_largest();
        }
        let mut labels: Vec<(&str, u64)> =
            self.labels.iter().map(|(label, count)| (label.as_str(), *count)).collect();
        labels.sort_by_key(|(label, _)| label_rank(label));
        let classes: BTreeMap<String, usize> = labels
            .iter()
            .enumerate()
            .map(|(index, (label, _))| (label.to_string(), index))
            .collect();
        let mut out = String::with_capacity(64 * 1024 + self.rows.len() * 256);
        head(&mut out, "Dateline report", &class_rules(&classes));
        out.push_str("<h1>Dateline report</h1>\n<div class=\"figures\">\n");
        let total: u64 = labels.iter().map(|(_, count)| count).sum();
        for (figure, name) in [
            (self.documents, "documents"),
            (self.words, "words"),
            (total, "annotations"),
            (self.errors, "failed documents"),
            (self.warnings, "warnings"),
            (self.rows.len() as u64, "pages"),
        ] {
            let _ = writeln!(
                out,
                "<div class=\"figure\"><b>{}</b><span>{name}</span></div>",
                group_digits(&figure.to_string())
            );
        }
        out.push_str("</div>\n");
        self.truncation_note(&mut out, limit, missing_ids);

        out.push_str("<h2>Annotations per label</h2>\n<table id=\"labels\">\n");
        out.push_str(
            "<tr><th>label</th><th class=\"n\">count</th><th style=\"width:60%\"></th></tr>\n",
        );
        let most = labels.iter().map(|(_, count)| *count).max().unwrap_or(1).max(1);
        for (label, count) in &labels {
            let class = classes.get(*label).copied().unwrap_or(0);
            let _ = write!(out, "<tr class=\"k{class}\" data-label=\"");
            push_escaped(&mut out, label);
            out.push_str("\"><td><span class=\"swatch sw\"></span>");
            push_escaped(&mut out, label);
            let width = (*count as f64 / most as f64 * 100.0).max(0.5);
            let _ = writeln!(
                out,
                "</td><td class=\"n\">{}</td><td><div class=\"sw\" style=\"height:10px;width:{width:.1}%\"></div></td></tr>",
                group_digits(&count.to_string())
            );
        }
        out.push_str("</table>\n");

        out.push_str("<h2>Most frequent names</h2>\n<div class=\"charts\">\n");
        for (label, title) in CHARTED {
            let top = self.names.get(label).map(|names| names.top(TOP_NAMES)).unwrap_or_default();
            out.push_str("<div class=\"chart\"><h3>");
            out.push_str(title);
            let _ = writeln!(out, " ({label})</h3>");
            bar_chart(&mut out, label, &top);
            out.push_str("</div>\n");
        }
        out.push_str("</div>\n");

        out.push_str("<h2>Dates mentioned</h2>\n");
        self.timeline(&mut out);

        out.push_str("<h2>Largest amounts of money</h2>\n");
        self.amounts(&mut out);

        out.push_str("<h2>Documents</h2>\n<table id=\"documents\">\n<tr><th>document</th><th>date</th><th>dateline</th><th class=\"n\">words</th><th class=\"n\">annotations</th></tr>\n");
        for row in &self.rows {
            out.push_str("<tr><td>");
            link(&mut out, Some(&row.href), &row.id);
            out.push_str("</td><td>");
            push_escaped(&mut out, row.date.as_deref().unwrap_or(""));
            out.push_str("</td><td>");
            push_escaped(&mut out, row.dateline.as_deref().unwrap_or(""));
            let _ = writeln!(
                out,
                "</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                row.words, row.annotations
            );
        }
        out.push_str("</table>\n");

        if !self.failures.is_empty() {
            out.push_str("<h2>Failures and warnings</h2>\n<table id=\"failures\">\n<tr><th>document</th><th>stage</th><th>severity</th><th>error</th></tr>\n");
            for failure in &self.failures {
                for (index, cell) in [
                    failure.id.as_str(),
                    failure.stage.as_str(),
                    failure.severity.as_str(),
                    failure.error.as_str(),
                ]
                .iter()
                .enumerate()
                {
                    out.push_str(if index == 0 { "<tr><td>" } else { "</td><td>" });
                    push_escaped(&mut out, cell);
                }
                out.push_str("</td></tr>\n");
            }
            out.push_str("</table>\n");
            let listed = self.failures.len() as u64;
            if self.errors + self.warnings > listed {
                let _ = writeln!(
                    out,
                    "<p class=\"meta\">The first {listed} are listed; the errors file has them all.</p>"
                );
            }
        }
        tail(&mut out);
        out
    }

    /// The largest amounts in each of the most frequent currencies.
    fn amounts(&self, out: &mut String) {
        if self.currencies.is_empty() {
            out.push_str("<p class=\"meta\">No amounts of money were found.</p>\n");
            return;
        }
        let mut currencies: Vec<(&String, &Currency)> = self.currencies.iter().collect();
        currencies.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        let _ = writeln!(
            out,
            "<p class=\"meta\">The {TOP_AMOUNTS} largest in each of the {} most frequent \
             currencies (amounts are never converted between currencies).</p>",
            currencies.len().min(TOP_CURRENCIES)
        );
        out.push_str("<table id=\"amounts\">\n<tr><th>currency</th><th class=\"n\">amount</th><th>text</th><th>document</th></tr>\n");
        for (code, currency) in currencies.iter().take(TOP_CURRENCIES) {
            for (index, amount) in currency.largest.iter().enumerate() {
                out.push_str("<tr><td>");
                if index == 0 {
                    push_escaped(out, code);
                    let _ = write!(
                        out,
                        " <span class=\"meta\">({} in all)</span>",
                        group_digits(&currency.count.to_string())
                    );
                }
                out.push_str("</td><td class=\"n\">");
                push_escaped(out, &group_digits(&amount.amount));
                out.push_str("</td><td>");
                push_escaped(out, &amount.text);
                out.push_str("</td><td>");
                link(out, amount.href.as_deref(), &amount.document);
                out.push_str("</td></tr>\n");
            }
        }
        out.push_str("</table>\n");
        let others: u64 = currencies.iter().skip(TOP_CURRENCIES).map(|(_, c)| c.count).sum::<u64>()
            + self.untracked_amounts;
        if others > 0 {
            let _ = writeln!(
                out,
                "<p class=\"meta\">{} more amounts in other currencies.</p>",
                group_digits(&others.to_string())
            );
        }
    }

    fn truncation_note(&self, out: &mut String, limit: usize, missing_ids: &[String]) {
        if self.past_limit == 0 && self.not_selected == 0 && missing_ids.is_empty() {
            return;
        }
        out.push_str("<p class=\"note\" id=\"truncated\">");
        if self.past_limit > 0 {
            let _ = write!(
                out,
                "{} left out: pages are written for at most <code>limit = {limit}</code> documents. ",
                documents(self.past_limit, "was", "were")
            );
        }
        if self.not_selected > 0 {
            let _ = write!(
                out,
                "{} not listed in <code>ids</code> {} no page. ",
                documents(self.not_selected, "", ""),
                if self.not_selected == 1 { "has" } else { "have" }
            );
        }
        if !missing_ids.is_empty() {
            out.push_str("Not found: ");
            for (index, id) in missing_ids.iter().take(20).enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                push_escaped(out, id);
            }
            if missing_ids.len() > 20 {
                let _ = write!(out, " and {} more", missing_ids.len() - 20);
            }
            out.push_str(". ");
        }
        out.push_str(
            "Every document is counted in the figures and charts. To render others, set \
             <code>limit</code> or list them with <code>ids = [\"…\"]</code> in the \
             exporter's entry of the pipeline file.</p>\n",
        );
    }

    fn timeline(&self, out: &mut String) {
        if self.months.is_empty() {
            out.push_str("<p class=\"meta\">No dates with a month were found.</p>\n");
            return;
        }
        let index = |(year, month): (u32, u32)| year as usize * 12 + month as usize - 1;
        let mut counts: BTreeMap<usize, u64> =
            self.months.iter().map(|(month, count)| (index(*month), *count)).collect();
        let mut by_year = false;
        let span =
            |counts: &BTreeMap<usize, u64>| match (counts.keys().next(), counts.keys().next_back())
            {
                (Some(first), Some(last)) => last - first + 1,
                _ => 0,
            };
        if span(&counts) > MAX_BARS {
            by_year = true;
            let mut years: BTreeMap<usize, u64> = BTreeMap::new();
            for (month, count) in counts {
                *years.entry(month / 12).or_default() += count;
            }
            counts = years;
        }
        let mut outside = 0;
        while span(&counts) > MAX_BARS {
            // Drop the sparser end: a stray year 1066 or 2099 should not
            // flatten the decades where the dates are.
            let (Some((&first, &low)), Some((&last, &high))) =
                (counts.iter().next(), counts.iter().next_back())
            else {
                break;
            };
            let (key, count) = if low <= high { (first, low) } else { (last, high) };
            counts.remove(&key);
            outside += count;
        }
        let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
            return;
        };
        let bars = last - first + 1;
        let most = counts.values().copied().max().unwrap_or(1).max(1);
        let (width, height, bottom) = (960.0_f64, 150.0_f64, 22.0_f64);
        let step = width / bars as f64;
        // A few months should not become slabs across the page.
        let bar_width = (step * 0.8).clamp(0.5, 36.0);
        let _ = writeln!(
            out,
            "<div class=\"chart\"><svg id=\"timeline\" viewBox=\"0 0 {width} {}\" width=\"100%\" role=\"img\" aria-label=\"dates mentioned by {}\">",
            height + bottom,
            if by_year { "year" } else { "month" }
        );
        let _ = writeln!(
            out,
            "<line x1=\"0\" y1=\"{height}\" x2=\"{width}\" y2=\"{height}\" stroke=\"#bbb\"/>"
        );
        let mut last_label_x = f64::NEG_INFINITY;
        for slot in 0..bars {
            let key = first + slot;
            let name = if by_year {
                format!("{key}")
            } else {
                format!("{}-{:02}", key / 12, key % 12 + 1)
            };
            let x = slot as f64 * step;
            if let Some(count) = counts.get(&key) {
                let bar = (*count as f64 / most as f64 * (height - 14.0)).max(1.0);
                let _ = writeln!(
                    out,
                    "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar:.1}\" fill=\"{}\"><title>{name}: {count}</title></rect>",
                    x + (step - bar_width) / 2.0,
                    height - bar,
                    bar_width,
                    css_color("DATE", 100)
                );
            }
            // Label years (or January, or the first bar) with room to spare.
            let labelled = by_year || key % 12 == 0 || slot == 0;
            if labelled && x - last_label_x >= 44.0 {
                let text = if by_year || slot != 0 && key % 12 == 0 {
                    format!("{}", if by_year { key } else { key / 12 })
                } else {
                    name.clone()
                };
                let _ = writeln!(
                    out,
                    "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{text}</text>",
                    (x + step / 2.0).max(22.0),
                    height + 15.0
                );
                last_label_x = x;
            }
        }
        out.push_str("</svg>");
        let total: u64 = self.months.values().sum();
        let _ = writeln!(
            out,
            "<p class=\"meta\">{total} dates with a month (DATE and TIME values); most in one {}: {most}.{}</p></div>",
            if by_year { "year" } else { "month" },
            if outside > 0 {
                format!(" {outside} dates far outside the range shown are not drawn.")
            } else {
                String::new()
            }
        );
    }
}

/// `1 document was`, `2 documents were` (without a verb when both are empty).
fn documents(count: u64, singular_verb: &str, plural_verb: &str) -> String {
    let (noun, verb) =
        if count == 1 { ("document", singular_verb) } else { ("documents", plural_verb) };
    if verb.is_empty() { format!("{count} {noun}") } else { format!("{count} {noun} {verb}") }
}

fn link(out: &mut String, href: Option<&str>, text: &str) {
    match href {
        Some(href) => {
            out.push_str("<a href=\"");
            push_escaped(out, href);
            out.push_str("\">");
            push_escaped(out, text);
            out.push_str("</a>");
        }
        None => push_escaped(out, text),
    }
}

/// A horizontal bar chart of names and counts as inline SVG.
fn bar_chart(out: &mut String, label: &str, entries: &[(&str, u64)]) {
    if entries.is_empty() {
        out.push_str("<p class=\"meta\">none found</p>\n");
        return;
    }
    let (row, name_width, bar_width) = (20.0_f64, 150.0_f64, 180.0_f64);
    let most = entries.iter().map(|(_, count)| *count).max().unwrap_or(1).max(1);
    let _ = writeln!(
        out,
        "<svg class=\"bars\" data-label=\"{}\" viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\">",
        label,
        name_width + bar_width + 50.0,
        row * entries.len() as f64
    );
    for (index, (name, count)) in entries.iter().enumerate() {
        let y = index as f64 * row;
        let shown: String = if name.chars().count() > 24 {
            name.chars().take(23).chain(['…']).collect()
        } else {
            name.to_string()
        };
        out.push_str("<g><title>");
        push_escaped(out, name);
        let _ = write!(
            out,
            ": {count}</title><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">",
            name_width - 6.0,
            y + 14.0
        );
        push_escaped(out, &shown);
        let width = (*count as f64 / most as f64 * bar_width).max(1.0);
        let _ = writeln!(
            out,
            "</text><rect x=\"{name_width}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{count}</text></g>",
            y + 3.0,
            row - 6.0,
            css_color(label, 100),
            name_width + width + 4.0,
            y + 14.0
        );
    }
    out.push_str("</svg>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{Annotation, Span};
    use serde_json::json;

    #[test]
    fn year_month_of_timex_values() {
        assert_eq!(year_month("2017-12-09"), Some((2017, 12)));
        assert_eq!(year_month("2017-12"), Some((2017, 12)));
        assert_eq!(year_month("2017-12-09T10:00"), Some((2017, 12)));
        assert_eq!(year_month("2017-W50"), None);
        assert_eq!(year_month("2017"), None);
        assert_eq!(year_month("XXXX-07-07"), None);
        assert_eq!(year_month("2017-13"), None);
        assert_eq!(year_month("2017-123"), None);
        assert_eq!(year_month("PAST_REF"), None);
        assert_eq!(year_month("20é7-12"), None);
    }

    #[test]
    fn counts_names_months_and_amounts() {
        let mut document =
            Document::new("d", "Serraj met Serraj in Rome for $5 and €7 in May 2017.");
        for (label, start, end) in [("PER", 0, 6), ("PER", 11, 17), ("LOC", 21, 25)] {
            document.annotate(Annotation::new(label, Span::new(start, end))).unwrap();
        }
        let five = json!({"amount": "5", "currency": "USD"});
        let seven = json!({"amount": "7", "currency": "EUR"});
        document.annotate(Annotation::new("MONEY", Span::new(30, 32)).with_value(five)).unwrap();
        document.annotate(Annotation::new("MONEY", Span::new(37, 41)).with_value(seven)).unwrap();
        document
            .annotate(Annotation::new("DATE", Span::new(45, 53)).with_value("2017-05"))
            .unwrap();
        let mut corpus = Corpus::default();
        corpus.add(&document, Some("docs/000001-d.html"));
        corpus.add(&document, None);
        assert_eq!(corpus.names["PER"].top(5), [("Serraj", 4)]);
        assert_eq!(corpus.months, BTreeMap::from([((2017, 5), 2)]));
        let page = corpus.index_page(1000, &[]);
        assert!(page.contains("<tr class=\"k0\" data-label=\"PER\"><td><span class=\"swatch sw\"></span>PER</td><td class=\"n\">4</td>"));
        assert!(page.contains("<h2>Dates mentioned</h2>"));
        // Currencies by frequency (a tie: by code), each with its largest amounts.
        assert!(page.contains(
            "<tr><td>EUR <span class=\"meta\">(2 in all)</span></td><td class=\"n\">7</td><td>€7</td><td><a href=\"docs/000001-d.html\">d</a></td></tr>\n\
             <tr><td></td><td class=\"n\">7</td><td>€7</td><td>d</td></tr>\n\
             <tr><td>USD <span class=\"meta\">(2 in all)</span></td><td class=\"n\">5</td>"
        ));
        assert!(page.contains("<title>2017-05: 2</title>"));
        assert!(!page.contains("id=\"truncated\""));
    }

    #[test]
    fn rare_names_are_dropped_when_there_are_too_many() {
        let mut names = NameCounts::default();
        for _ in 0..3 {
            names.add("Tripoli".into());
        }
        for index in 0..MAX_DISTINCT_NAMES {
            names.add(format!("name {index}"));
        }
        assert!(names.counts.len() <= MAX_DISTINCT_NAMES);
        assert_eq!(names.top(1), [("Tripoli", 3)]);
    }

    #[test]
    fn a_wide_range_of_dates_is_drawn_by_year_without_stray_ends() {
        let mut corpus = Corpus::default();
        corpus.months.insert((1066, 10), 1);
        for year in 1990..2020 {
            corpus.months.insert((year, 6), 3);
        }
        let mut out = String::new();
        corpus.timeline(&mut out);
        assert!(out.contains("<title>1990: 3</title>"));
        assert!(!out.contains("<title>1066"));
        assert!(out.contains("1 dates far outside the range shown are not drawn."));
    }
}

#[cfg(test)]
mod amount_tests {
    use super::*;
    use document::{Annotation, Span};
    use serde_json::json;

    #[test]
    fn the_largest_amounts_are_kept_per_currency() {
        let mut corpus = Corpus::default();
        let mut document = Document::new("d", "x");
        for amount in 1..=100 {
            let value = json!({"amount": amount.to_string(), "currency": "USD"});
            document.annotate(Annotation::new("MONEY", Span::new(0, 1)).with_value(value)).unwrap();
        }
        let rials = json!({"amount": "1546000000000000", "currency": "IRR"});
        document.annotate(Annotation::new("MONEY", Span::new(0, 1)).with_value(rials)).unwrap();
        corpus.add(&document, None);
        let page = corpus.index_page(10, &[]);
        assert!(page.contains(
            "<tr><td>USD <span class=\"meta\">(100 in all)</span></td><td class=\"n\">100</td><td>x</td><td>d</td></tr>\n\
             <tr><td></td><td class=\"n\">99</td><td>x</td><td>d</td></tr>\n\
             <tr><td></td><td class=\"n\">98</td><td>x</td><td>d</td></tr>\n\
             <tr><td>IRR <span class=\"meta\">(1 in all)</span></td><td class=\"n\">1,546,000,000,000,000</td>"
        ));
        assert!(corpus.currencies["USD"].largest.len() <= TOP_AMOUNTS * 8);
    }
}
