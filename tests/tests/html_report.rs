//! The `html` exporter end to end: a pipeline over the seed articles and
//! one hostile article, written into a scratch folder.

mod common;

use std::fs;
use std::path::Path;

use common::{root, runner, scratch, stderr};

/// The seeds plus an article whose text holds a script tag, in `folder/in`.
fn input(folder: &Path) {
    let input = folder.join("in");
    fs::create_dir_all(&input).unwrap();
    for entry in fs::read_dir(root().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, input.join(path.file_name().unwrap())).unwrap();
    }
    fs::write(
        input.join("zz_script.txt"),
        "A test page.\n\nIts text holds <script>alert(1)</script> & \"quotes\", shown as text.\n",
    )
    .unwrap();
}

fn pipeline(folder: &Path, limit: usize) {
    let text = format!(
        "[reader]\nkind = \"text\"\npath = \"in\"\n\n[tokenizer]\nkind = \"news\"\n\n\
         [[extractor]]\nkind = \"dateline\"\n\n[[extractor]]\nkind = \"measures\"\n\n\
         [[exporter]]\nkind = \"html\"\ndir = \"report\"\nlimit = {limit}\n"
    );
    fs::write(folder.join("report.toml"), text).unwrap();
}

fn files(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every `href`, `src` and CSS `url(` target of a page.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for opener in ["href=\"", "src=\"", "url("] {
        for piece in html.split(opener).skip(1) {
            found.push(piece.split(['"', ')']).next().unwrap().to_string());
        }
    }
    found
}

#[test]
fn the_report_of_the_seeds() {
    let folder = scratch("html-report");
    input(&folder);
    pipeline(&folder, 1000);
    let output = runner(&folder, &["run", "report.toml", "--no-progress"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let report = folder.join("report");
    assert_eq!(files(&report), [".dateline-report", "docs", "index.html"]);
    assert_eq!(
        files(&report.join("docs")),
        [
            "000001-000_168fd1ce8330dd5c.html",
            "000002-004_19210f1ef9f6238c.html",
            "000003-zz_script.html"
        ]
    );
    assert_eq!(files(&folder), ["in", "report", "report.toml"], "no temporary folder left");

    let index = fs::read_to_string(report.join("index.html")).unwrap();
    for (label, count) in [("LOC", 2), ("MONEY", 3), ("QUANTITY", 2), ("DATELINE", 2)] {
        let row = format!(
            "data-label=\"{label}\"><td><span class=\"swatch sw\"></span>{label}</td><td class=\"n\">{count}</td>"
        );
        assert!(index.contains(&row), "no row {row} in index.html");
    }
    assert!(index.contains("<div class=\"figure\"><b>3</b><span>documents</span></div>"));
    assert!(
        index
            .contains("<a href=\"docs/000001-000_168fd1ce8330dd5c.html\">000_168fd1ce8330dd5c</a>")
    );
    assert!(
        index.contains("<tr><td>EUR <span class=\"meta\">(1 in all)</span></td><td class=\"n\">35,000,000</td><td>35 million euros</td>")
    );
    assert!(index.contains("<svg class=\"bars\" data-label=\"LOC\""));
    assert!(!index.contains("id=\"truncated\""));

    let first = fs::read_to_string(report.join("docs/000001-000_168fd1ce8330dd5c.html")).unwrap();
    assert!(first.contains(
        "<b>Date</b> 2017-12-10 · <b>Dateline</b> TRIPOLI, Dec. 9 (Xinhua) -- → TRIPOLI, 2017-12-09, Xinhua"
    ));
    // The dateline with its place nested inside.
    assert!(first.contains("data-label=\"DATELINE\" title=\"DATELINE: agency: Xinhua · date: 2017-12-09 · place: TRIPOLI\"><mark class=\"k0\" id=\"a1\" data-label=\"LOC\" title=\"LOC\">TRIPOLI<i class=\"lb\" data-label=\"LOC\"></i></mark>, Dec. 9 (Xinhua) --<i class=\"lb\" data-label=\"DATELINE\"></i></mark>"));
    assert!(first.contains("title=\"MONEY: 35,000,000 EUR\">35 million euros<i"));

    let hostile = fs::read_to_string(report.join("docs/000003-zz_script.html")).unwrap();
    assert!(hostile.contains(
        "Its text holds &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;, shown as text."
    ));
    for page in fs::read_dir(report.join("docs")).unwrap().map(|entry| entry.unwrap().path()) {
        let html = fs::read_to_string(&page).unwrap();
        assert!(!html.to_lowercase().contains("<script"), "{} has a script", page.display());
        for reference in references(&html) {
            assert!(
                reference == "../index.html" || reference.starts_with("#a"),
                "{} refers to {reference}",
                page.display()
            );
        }
    }
    assert!(!index.to_lowercase().contains("<script"));
    for reference in references(&index) {
        assert!(reference.starts_with("docs/"), "index.html refers to {reference}");
    }
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_limit_leaves_pages_out_and_says_so() {
    let folder = scratch("html-limit");
    input(&folder);
    pipeline(&folder, 2);
    let output = runner(&folder, &["run", "report.toml", "--no-progress"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = folder.join("report");
    assert_eq!(files(&report.join("docs")).len(), 2);
    let index = fs::read_to_string(report.join("index.html")).unwrap();
    assert!(index.contains(
        "<p class=\"note\" id=\"truncated\">1 document was left out: pages are written for at most <code>limit = 2</code> documents."
    ));
    assert!(index.contains("<div class=\"figure\"><b>3</b><span>documents</span></div>"));
    assert!(index.contains("<div class=\"figure\"><b>2</b><span>pages</span></div>"));
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_folder_that_is_not_a_report_is_refused() {
    let folder = scratch("html-refuse");
    input(&folder);
    pipeline(&folder, 10);
    fs::create_dir_all(folder.join("report")).unwrap();
    fs::write(folder.join("report/notes.txt"), "mine").unwrap();
    let output = runner(&folder, &["validate", "report.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not a Dateline report"), "{}", stderr(&output));
    assert_eq!(fs::read_to_string(folder.join("report/notes.txt")).unwrap(), "mine");
    fs::remove_dir_all(folder).unwrap();
}
