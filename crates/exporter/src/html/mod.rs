//! The `html` exporter: a report to look at rather than read, in the
//! spirit of spaCy's displaCy but for every kind of fact and for the
//! corpus as a whole.
//!
//! `<dir>/index.html` gives the corpus figures (documents, words,
//! annotations per label, failures), bar charts of the most frequent
//! people, organisations and places, a histogram of the dates mentioned by
//! month, the largest amounts of money and a table of the documents;
//! `<dir>/docs/<n>-<id>.html` shows one article with each annotation
//! highlighted in its label's colour, its normalised value in a tooltip,
//! and tables of its facts.
//!
//! **Self-contained and safe.** Pages are written by hand, without a
//! template engine: one style sheet inlined in each page, charts as inline
//! SVG, no script, no font and no URL to fetch. Every piece of input data
//! (text, ids, values, error messages) passes through one escaping helper,
//! so an article containing `<script>` shows it as text.
//!
//! **Streaming, in bounded memory.** The exporter sees one document at a
//! time: it writes the document's page at once and keeps only what
//! `index.html` needs ([`index::Corpus`]), whose size does not grow with
//! the corpus beyond one table row per rendered page. Pages are written
//! for at most `limit` documents (1000 by default), or for those listed in
//! `ids`; the index says how many were left out and how to choose others.
//! Every document counts in the figures.
//!
//! **Atomic as a folder.** Everything is written into a hidden sibling
//! folder (`.<dir>.<pid>-<n>.tmp`); when the run finishes, the previous
//! report is moved aside, the new one renamed into place and the old one
//! removed. A run that fails or is killed leaves the previous report
//! whole (and at worst a hidden temporary folder). Because a report
//! replaces its folder, the exporter refuses a `dir` that holds anything
//! other than an earlier report (recognised by its `.dateline-report`
//! marker file): `dir = ".."` cannot delete a checkout.

mod highlight;
mod index;
mod markup;
mod page;

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use document::{
    BuildContext, Component, ComponentOptions, Document, Exporter, Failure, OptionDoc, OptionsError,
};
use serde::Deserialize;

pub use highlight::highlight;
pub use markup::escaped;
pub use page::document_page;

use crate::AtomicFile;
use index::{Corpus, Row};

/// The file that marks a folder as a report this exporter may replace.
pub const MARKER: &str = ".dateline-report";

static NEXT_FOLDER: AtomicU64 = AtomicU64::new(0);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HtmlOptions {
    dir: String,
    #[serde(default = "default_limit")]
    limit: usize,
    #[serde(default)]
    ids: Vec<String>,
}

fn default_limit() -> usize {
    1000
}

impl ComponentOptions for HtmlOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "dir",
            ty: "path",
            default: None,
            doc: "folder that receives index.html and docs/<n>-<id>.html, replaced as a whole \
                  when the run finishes; it must be absent, empty or an earlier report; relative \
                  to the pipeline file's folder",
        },
        OptionDoc {
            name: "limit",
            ty: "integer",
            default: Some("1000"),
            doc: "at most this many document pages (in input order); every document still \
                  counts in index.html, which says how many were left out",
        },
        OptionDoc {
            name: "ids",
            ty: "array of strings",
            default: Some("[]"),
            doc: "render pages only for these document ids (empty: every document, up to `limit`)",
        },
    ];
}

/// Writes an HTML report: an overview page and one page per document.
pub struct HtmlExporter {
    dir: PathBuf,
    limit: usize,
    ids: HashSet<String>,
    seen_ids: HashSet<String>,
    /// The folder being written, created with the first document.
    staging: Option<PathBuf>,
    corpus: Corpus,
}

impl Component for HtmlExporter {
    const KIND: &'static str = "html";
    const DESCRIPTION: &'static str = "a self-contained HTML report: index.html with corpus charts, a highlighted page per document";
    type Options = HtmlOptions;

    fn build(options: HtmlOptions, context: &BuildContext) -> anyhow::Result<Self> {
        if options.dir.trim().is_empty() {
            return Err(OptionsError::invalid("dir", "must not be empty").into());
        }
        // A sharded run writes its own report, `out/report.part-00003-of-00016`.
        let dir = context.part(context.resolve(&options.dir));
        if dir.file_name().is_none() {
            return Err(OptionsError::invalid(
                "dir",
                format!("{} names no folder of its own; give a report folder", dir.display()),
            )
            .into());
        }
        if let Some(problem) = replace_problem(&dir) {
            return Err(OptionsError::invalid("dir", problem).into());
        }
        Ok(HtmlExporter {
            dir,
            limit: options.limit,
            ids: options.ids.into_iter().collect(),
            seen_ids: HashSet::new(),
            staging: None,
            corpus: Corpus::default(),
        })
    }
}

/// Why `dir` may not be replaced by a report, if it may not.
fn replace_problem(dir: &Path) -> Option<String> {
    if dir.is_file() {
        return Some(format!("{} is a file; give a folder", dir.display()));
    }
    let mut entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        // A folder that cannot be read cannot be shown to be a report, so
        // it is never replaced.
        Err(error) => {
            return Some(format!(
                "{} cannot be read ({error}); give another folder",
                dir.display()
            ));
        }
    };
    let is_empty = entries.next().is_none();
    if is_empty || dir.join(MARKER).is_file() {
        None
    } else {
        Some(format!(
            "{} holds files that are not a Dateline report; the report replaces its whole \
             folder, so give a new or empty folder",
            dir.display()
        ))
    }
}

/// A file name for the `sequence`-th page: the number keeps names unique
/// whatever the ids, the id (cleaned to characters safe in any file system
/// and URL) keeps them readable.
fn page_name(sequence: usize, id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .take(60)
        .collect();
    format!("{sequence:06}-{}.html", cleaned.trim_start_matches('.'))
}

impl HtmlExporter {
    fn staging(&mut self) -> anyhow::Result<PathBuf> {
        if let Some(staging) = &self.staging {
            return Ok(staging.clone());
        }
        let (parent, name) = split(&self.dir)?;
        let staging = parent.join(format!(
            ".{name}.{}-{}.tmp",
            std::process::id(),
            NEXT_FOLDER.fetch_add(1, Ordering::Relaxed)
        ));
        if staging.exists() {
            fs::remove_dir_all(&staging)
                .with_context(|| format!("cannot clear {}", staging.display()))?;
        }
        fs::create_dir_all(staging.join("docs"))
            .with_context(|| format!("cannot create {}", staging.display()))?;
        self.staging = Some(staging.clone());
        Ok(staging)
    }

    fn should_render(&mut self, document: &Document) -> bool {
        if !self.ids.is_empty() {
            if !self.ids.contains(&document.id) {
                self.corpus.not_selected += 1;
                return false;
            }
            self.seen_ids.insert(document.id.clone());
        }
        if self.corpus.rows.len() >= self.limit {
            self.corpus.past_limit += 1;
            return false;
        }
        true
    }
}

/// The parent folder and the name of a report folder.
fn split(dir: &Path) -> anyhow::Result<(PathBuf, String)> {
    let name = dir
        .file_name()
        .with_context(|| format!("{} names no folder", dir.display()))?
        .to_string_lossy()
        .into_owned();
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

impl Exporter for HtmlExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let staging = self.staging()?;
        let href = if self.should_render(document) {
            let name = page_name(self.corpus.rows.len() + 1, &document.id);
            let path = staging.join("docs").join(&name);
            fs::write(&path, document_page(document))
                .with_context(|| format!("cannot write {}", path.display()))?;
            let dateline =
                document.annotations.iter().find(|annotation| annotation.label == "DATELINE").map(
                    |annotation| {
                        markup::shorten(annotation.span.slice(&document.text), page::MAX_CELL_CHARS)
                            .into_owned()
                    },
                );
            self.corpus.rows.push(Row {
                id: document.id.clone(),
                href: format!("docs/{name}"),
                date: document.date.map(|date| date.to_string()),
                dateline,
                words: document.word_count(),
                annotations: document.annotations.len(),
            });
            Some(format!("docs/{name}"))
        } else {
            None
        };
        self.corpus.add(document, href.as_deref());
        Ok(())
    }

    fn record_failure(&mut self, failure: &Failure) -> anyhow::Result<()> {
        self.corpus.add_failure(failure);
        Ok(())
    }

    fn outputs(&self) -> Vec<PathBuf> {
        vec![self.dir.clone()]
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        let staging = self.staging()?;
        let mut missing: Vec<String> = self.ids.difference(&self.seen_ids).cloned().collect();
        missing.sort();
        let page = self.corpus.index_page(self.limit, &missing);
        let mut index = AtomicFile::create(&staging.join("index.html"))?;
        index.write_all(page.as_bytes())?;
        index.commit()?;
        fs::write(
            staging.join(MARKER),
            "Written by Dateline's html exporter, which replaces this whole folder on each run.\n",
        )
        .with_context(|| format!("cannot write the marker in {}", staging.display()))?;

        // Checked again: the folder may have changed since the exporter was built.
        if let Some(problem) = replace_problem(&self.dir) {
            anyhow::bail!("cannot replace the report: {problem}");
        }
        let (parent, name) = split(&self.dir)?;
        let old = parent.join(format!(
            ".{name}.{}-{}.old",
            std::process::id(),
            NEXT_FOLDER.fetch_add(1, Ordering::Relaxed)
        ));
        let had_old = self.dir.exists();
        if had_old {
            fs::rename(&self.dir, &old).with_context(|| {
                format!("cannot move the previous report {} aside", self.dir.display())
            })?;
        }
        if let Err(error) = fs::rename(&staging, &self.dir) {
            if had_old {
                let _ = fs::rename(&old, &self.dir);
            }
            return Err(error).with_context(|| {
                format!("cannot move {} to {}", staging.display(), self.dir.display())
            });
        }
        self.staging = None;
        if had_old && let Err(error) = fs::remove_dir_all(&old) {
            tracing::warn!(folder = %old.display(), %error, "cannot remove the previous report");
        }
        Ok(vec![self.dir.clone()])
    }
}

impl Drop for HtmlExporter {
    fn drop(&mut self) {
        // Not finished: the run failed, and the previous report stays.
        if let Some(staging) = self.staging.take() {
            let _ = fs::remove_dir_all(staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{Annotation, Span};

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("dateline-html-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        fs::create_dir_all(&folder).unwrap();
        folder
    }

    fn exporter(folder: &Path, limit: usize, ids: &[&str]) -> anyhow::Result<Box<HtmlExporter>> {
        let context = BuildContext::new(folder, "html");
        let options = HtmlOptions {
            dir: "report".into(),
            limit,
            ids: ids.iter().map(|id| id.to_string()).collect(),
        };
        HtmlExporter::build(options, &context).map(Box::new)
    }

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_the_report_and_replaces_the_previous_one_on_finish() {
        let folder = scratch("replace");
        let mut first = exporter(&folder, 1000, &[]).unwrap();
        let mut document = Document::new("a/1", "Rome <b>");
        document.annotate(Annotation::new("LOC", Span::new(0, 4))).unwrap();
        first.write(&document).unwrap();
        assert!(!folder.join("report").exists(), "nothing in place before finish");
        assert_eq!(first.finish().unwrap(), [folder.join("report")]);
        assert_eq!(names(&folder.join("report")), [MARKER, "docs", "index.html"]);
        assert_eq!(names(&folder.join("report/docs")), ["000001-a_1.html"]);
        let page = fs::read_to_string(folder.join("report/docs/000001-a_1.html")).unwrap();
        assert!(page.contains("\">Rome<i class=\"lb\" data-label=\"LOC\"></i></mark> &lt;b&gt;"));
        assert!(page.contains("&lt;b&gt;"));

        // A second run that fails keeps the first report; one that
        // finishes replaces it, and leaves no hidden folder behind.
        let mut failed = exporter(&folder, 1000, &[]).unwrap();
        failed.write(&Document::new("b", "other")).unwrap();
        drop(failed);
        assert_eq!(names(&folder), ["report"]);
        assert_eq!(names(&folder.join("report/docs")), ["000001-a_1.html"]);
        let mut second = exporter(&folder, 1000, &[]).unwrap();
        second.write(&Document::new("b", "other")).unwrap();
        second.finish().unwrap();
        assert_eq!(names(&folder), ["report"]);
        assert_eq!(names(&folder.join("report/docs")), ["000001-b.html"]);
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_report() {
        let folder = scratch("refuse");
        fs::create_dir_all(folder.join("report")).unwrap();
        fs::write(folder.join("report/thesis.tex"), "precious").unwrap();
        let error = exporter(&folder, 1000, &[]).err().unwrap();
        assert!(format!("{error:#}").contains("not a Dateline report"), "{error:#}");
        let context = BuildContext::new(&folder, "html");
        let options = HtmlOptions { dir: "..".into(), limit: 1, ids: Vec::new() };
        assert!(HtmlExporter::build(options, &context).is_err());
        // Regression: a folder that cannot be read is never replaced (here
        // the path runs through a file; a folder without read permission
        // fails the same way for a user other than root).
        fs::write(folder.join("file"), "").unwrap();
        let problem = replace_problem(&folder.join("file/report")).unwrap_or_default();
        assert!(problem.contains("cannot be read"), "{problem}");
        assert_eq!(replace_problem(&folder.join("absent")), None);
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn limit_and_ids_choose_the_pages() {
        let folder = scratch("limit");
        let mut limited = exporter(&folder, 1, &[]).unwrap();
        for id in ["a", "b", "c"] {
            limited.write(&Document::new(id, "text")).unwrap();
        }
        limited.finish().unwrap();
        assert_eq!(names(&folder.join("report/docs")), ["000001-a.html"]);
        let index = fs::read_to_string(folder.join("report/index.html")).unwrap();
        assert!(index.contains("2 documents were left out: pages are written for at most <code>limit = 1</code> documents."));

        let mut chosen = exporter(&folder, 1000, &["c", "zz"]).unwrap();
        for id in ["a", "b", "c"] {
            chosen.write(&Document::new(id, "text")).unwrap();
        }
        chosen.finish().unwrap();
        assert_eq!(names(&folder.join("report/docs")), ["000001-c.html"]);
        let index = fs::read_to_string(folder.join("report/index.html")).unwrap();
        assert!(
            index.contains(
                "2 documents not listed in <code>ids</code> have no page. Not found: zz."
            )
        );
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn page_names_are_unique_and_safe() {
        assert_eq!(page_name(1, "sport/199"), "000001-sport_199.html");
        assert_eq!(page_name(2, "../etc/passwd"), "000002-_etc_passwd.html");
        assert_eq!(page_name(3, "Zürich <1>"), "000003-Z_rich__1_.html");
    }
}
