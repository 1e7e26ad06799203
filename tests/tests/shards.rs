//! Sharded runs without a scheduler (docs/cluster.md): every shard of a
//! pipeline as a process of its own, `runner shards missing` and `merge`,
//! and the merged outputs compared byte for byte with one unsharded run.
//! `scripts/slurm-test.sh` runs the same contract under a real Slurm.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{runner, scratch, stderr, stdout};

/// `count` news-like articles as JSON Lines over two plain files (so that
/// shards cut inside them), with a malformed line, a blank line and no line
/// break at the very end.
fn corpus(folder: &Path, count: usize) -> PathBuf {
    let corpus = folder.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let months = ["January", "March", "May", "July", "September", "November"];
    let mut files = [String::new(), String::new()];
    for index in 0..count {
        let month = months[index % months.len()];
        let text = format!(
            "BEIJING, {month} {}, 2017 -- Officials said {} million euros, or {} percent, would \
             be spent within {} weeks on project {index}.",
            1 + index % 28,
            10 + index * 7,
            index % 90,
            1 + index % 9
        );
        let line =
            serde_json::json!({"id": format!("a{index:03}"), "date": "2017-12-10", "text": text});
        let file = &mut files[usize::from(index >= count / 2)];
        file.push_str(&line.to_string());
        file.push('\n');
        if index == 5 {
            file.push_str("{\"id\": \"broken\", \"text\": \n\n");
        }
    }
    files[1].pop(); // no line break after the last line
    fs::write(corpus.join("a.jsonl"), &files[0]).unwrap();
    fs::write(corpus.join("b.jsonl"), &files[1]).unwrap();
    corpus
}

fn pipeline(folder: &Path, corpus: &Path, comment: &str) -> PathBuf {
    let path = folder.join("pipeline.toml");
    let text = format!(
        r#"# {comment}
[pipeline]
threads = 2
batch_size = 3

[reader]
kind = "jsonl"
path = "{}"

[[extractor]]
kind = "dateline"
[[extractor]]
kind = "measures"
[[extractor]]
kind = "temporal"

[[exporter]]
kind = "jsonl"
path = "out/news.jsonl"
[[exporter]]
kind = "csv"
path = "out/table.csv"
[[exporter]]
kind = "parquet"
path = "out/news.parquet"
"#,
        corpus.display()
    );
    fs::write(&path, text).unwrap();
    path
}

const OUTPUTS: [&str; 7] = [
    "news.jsonl",
    "news.errors.jsonl",
    "table.csv",
    "table.errors.jsonl",
    "news.documents.parquet",
    "news.annotations.parquet",
    "news.errors.parquet",
];

fn run_shard(folder: &Path, shard: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", "pipeline.toml", "--no-progress", "-q", "--shard", shard];
    args.extend_from_slice(extra);
    runner(folder, &args)
}

#[test]
fn shards_merge_to_exactly_the_output_of_one_run() {
    let folder = scratch("shards-merge");
    let corpus = corpus(&folder, 41);
    pipeline(&folder, &corpus, "sharded");
    // One run over everything, kept aside.
    let single = runner(&folder, &["run", "pipeline.toml", "--no-progress", "-q"]);
    assert_eq!(single.status.code(), Some(2), "{}", stderr(&single)); // the broken line
    fs::rename(folder.join("out"), folder.join("single")).unwrap();

    // Shards 0, 1 and 3 of 4; shard 2 fails on purpose first.
    for index in [0, 1, 3] {
        let output = run_shard(&folder, &format!("{index}/4"), &[]);
        let code = output.status.code();
        // Exit 0 even for the shard with the broken line: it is done.
        assert_eq!(code, Some(0), "shard {index}: {}", stderr(&output));
        assert!(stdout(&output).contains(&format!("shard {index}/4: done, marker")));
    }
    let failed = common::runner_with_env(
        &folder,
        &["run", "pipeline.toml", "--no-progress", "-q", "--shard", "2/4"],
        &[("DATELINE_FAIL_SHARD", "2")],
    );
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        stderr(&failed).trim(),
        "runner: DATELINE_FAIL_SHARD=2: shard 2/4 fails on purpose (a test hook, \
         docs/cluster.md); nothing was written"
    );
    assert!(!folder.join("out/news.part-00002-of-00004.jsonl").exists());
    assert!(folder.join("out/news.part-00003-of-00004.jsonl").exists());
    assert!(folder.join("out/news.errors.part-00000-of-00004.jsonl").exists());
    assert!(folder.join("out/news.documents.part-00001-of-00004.parquet").exists());
    assert!(folder.join("out/_done/00003-of-00004.json").exists());

    let missing = runner(&folder, &["-q", "shards", "missing", "out", "--of", "4"]);
    assert_eq!(stdout(&missing), "2\n", "{}", stderr(&missing));
    // The pipeline file names the same folder.
    let missing = runner(&folder, &["-q", "shards", "missing", "pipeline.toml", "--of", "4"]);
    assert_eq!(stdout(&missing), "2\n", "{}", stderr(&missing));
    let early = runner(&folder, &["-q", "shards", "merge", "out", "--of", "4"]);
    assert_eq!(early.status.code(), Some(1));
    assert!(stderr(&early).contains("1 of 4 shards have no marker"), "{}", stderr(&early));
    assert!(!folder.join("out/news.jsonl").exists());

    // The hook names other shards: shard 2 runs.
    let retried = common::runner_with_env(
        &folder,
        &["run", "pipeline.toml", "--no-progress", "-q", "--shard", "auto/4"],
        &[("DATELINE_FAIL_SHARD", "0,1"), ("JOB_COMPLETION_INDEX", "2")],
    );
    assert_eq!(retried.status.code(), Some(0), "{}", stderr(&retried));
    let missing = runner(&folder, &["-q", "shards", "missing", "out", "--of", "4"]);
    assert_eq!(stdout(&missing), "");

    let merged = runner(&folder, &["-q", "shards", "merge", "out", "--of", "4"]);
    // Exit 2, as `runner run`: one document failed.
    assert_eq!(merged.status.code(), Some(2), "{}", stderr(&merged));
    assert!(
        stdout(&merged).ends_with(
            "4 shards: 42 read, 41 written, 1 failed, 0 warnings; out/_SUCCESS written\n"
        ),
        "{}",
        stdout(&merged)
    );
    for name in OUTPUTS {
        let (one, parts) = (folder.join("single").join(name), folder.join("out").join(name));
        assert!(
            fs::read(&one).unwrap() == fs::read(&parts).unwrap(),
            "{name} differs from the single run's"
        );
    }
    let success: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(folder.join("out/_SUCCESS")).unwrap()).unwrap();
    assert_eq!(success["documents"]["written"], 41);
    assert_eq!(success["documents"]["failed"], 1);

    // Every shard again: each is done already and exits 0 at once.
    for index in 0..4 {
        let again = run_shard(&folder, &format!("{index}/4"), &[]);
        assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
        assert_eq!(
            stdout(&again),
            format!(
                "shard {index}/4: already done (out/_done/{index:05}-of-00004.json matches); nothing to do\n"
            )
        );
    }

    // A changed pipeline file: the old marker does not match.
    pipeline(&folder, &corpus, "changed");
    let refused = run_shard(&folder, "1/4", &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains(
            "its marker out/_done/00001-of-00004.json does not match this run: the pipeline file changed"
        ),
        "{}",
        stderr(&refused)
    );
    let forced = run_shard(&folder, "1/4", &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(stdout(&forced).contains("shard 1/4: done"));
    // The merge it belonged to is stale now.
    assert!(!folder.join("out/_SUCCESS").exists());
    let _ = fs::remove_dir_all(folder);
}

#[test]
fn more_shards_than_files_write_valid_empty_parts() {
    let folder = scratch("shards-empty");
    let corpus = folder.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    for name in ["a", "b"] {
        fs::write(corpus.join(format!("{name}.txt")), format!("Article {name} of May 3, 2017."))
            .unwrap();
    }
    let text = format!(
        "[reader]\nkind = \"text\"\npath = \"{}\"\n[[extractor]]\nkind = \"temporal\"\n\
         [[exporter]]\nkind = \"jsonl\"\npath = \"out/t.jsonl\"\n[[exporter]]\nkind = \"csv\"\npath = \"out/c.csv\"\n\
         [[exporter]]\nkind = \"parquet\"\npath = \"out/t.parquet\"\n",
        corpus.display()
    );
    fs::write(folder.join("pipeline.toml"), text).unwrap();
    let single = runner(&folder, &["run", "pipeline.toml", "--no-progress", "-q"]);
    assert_eq!(single.status.code(), Some(0), "{}", stderr(&single));
    fs::rename(folder.join("out"), folder.join("single")).unwrap();
    for index in 0..5 {
        let output = run_shard(&folder, &format!("{index}/5"), &["--threads", "1"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    // Shard 0 read nothing: its parts are there, empty but valid.
    assert_eq!(fs::read(folder.join("out/t.part-00000-of-00005.jsonl")).unwrap(), b"");
    assert_eq!(
        fs::read_to_string(folder.join("out/c.part-00000-of-00005.csv")).unwrap(),
        "doc_id,label,start,end,text,extractor,value,attrs\r\n"
    );
    let marker: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(folder.join("out/_done/00000-of-00005.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(marker["documents"]["read"], 0);
    assert_eq!(marker["exporters"][0]["files"][0], "t.part-00000-of-00005.jsonl");
    let merged = runner(&folder, &["-q", "shards", "merge", "out", "--of", "5"]);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    for name in [
        "t.jsonl",
        "t.errors.jsonl",
        "c.csv",
        "c.errors.jsonl",
        "t.documents.parquet",
        "t.annotations.parquet",
    ] {
        assert!(
            fs::read(folder.join("single").join(name)).unwrap()
                == fs::read(folder.join("out").join(name)).unwrap(),
            "{name} differs"
        );
    }
    let _ = fs::remove_dir_all(folder);
}

#[test]
fn unshardable_readers_and_bad_shards_are_refused() {
    let folder = scratch("shards-refused");
    fs::write(folder.join("a.conll"), "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\n").unwrap();
    fs::write(
        folder.join("pipeline.toml"),
        "[reader]\nkind = \"conll\"\npath = \"a.conll\"\n[[exporter]]\nkind = \"jsonl\"\npath = \"out/x.jsonl\"\n",
    )
    .unwrap();
    let output = run_shard(&folder, "0/2", &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("reader kind \"conll\" cannot be sharded (--shard 0/2)"),
        "{}",
        stderr(&output)
    );
    let output = common::runner_with_env(
        &folder,
        &["run", "pipeline.toml", "--shard", "auto/2"],
        &[("SLURM_ARRAY_TASK_ID", "1"), ("AWS_BATCH_JOB_ARRAY_INDEX", "0")],
    );
    assert!(stderr(&output).contains("cannot be sharded (--shard 1/2)"), "{}", stderr(&output));
    let output = runner(&folder, &["run", "pipeline.toml", "--shard", "2/2"]);
    assert!(
        stderr(&output)
            .starts_with("runner: shard index 2 is out of range: shards of 2 are numbered 0 to 1"),
        "{}",
        stderr(&output)
    );
    let _ = fs::remove_dir_all(folder);
}

/// `--shard` with `--resume`: a shard killed mid-way continues its own part
/// (its journal sits beside its first part) to exactly the part an
/// uninterrupted shard writes, and only then gets its marker.
#[test]
fn a_killed_shard_resumes_its_own_part() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    use std::time::Duration;

    let folder = scratch("shards-resume");
    let corpus = corpus(&folder, 600);
    let text = fs::read_to_string(pipeline(&folder, &corpus, "resume"))
        .unwrap()
        .replace("threads = 2\nbatch_size = 3", "threads = 1\nbatch_size = 2\ncheckpoint_every = 1")
        // parquet cannot make commit points, so `--resume` would refuse it.
        .replace("[[exporter]]\nkind = \"parquet\"\npath = \"out/news.parquet\"\n", "");
    assert!(text.contains("checkpoint_every = 1") && !text.contains("parquet"), "{text}");
    fs::write(folder.join("pipeline.toml"), text).unwrap();
    let parts = ["news.part-00001-of-00002.jsonl", "table.part-00001-of-00002.csv"];
    let clean = run_shard(&folder, "1/2", &[]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    let expected: Vec<Vec<u8>> =
        parts.iter().map(|name| fs::read(folder.join("out").join(name)).unwrap()).collect();
    fs::remove_dir_all(folder.join("out")).unwrap();

    let journal = folder.join("out/.news.part-00001-of-00002.jsonl.resume.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dateline-runner"))
        .args(["run", "pipeline.toml", "--no-progress", "-q", "--shard", "1/2", "--resume"])
        .current_dir(&folder)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let committed = || -> Option<u64> {
        let journal: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&journal).ok()?).ok()?;
        journal["items"].as_u64()
    };
    while child.try_wait().unwrap().is_none() && committed().is_none_or(|items| items < 20) {
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "the shard finished before it could be killed");
    assert!(!folder.join("out/_done/00001-of-00002.json").exists());
    assert!(!folder.join("out").join(parts[0]).exists());

    let resumed = run_shard(&folder, "1/2", &["--resume"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert!(stdout(&resumed).contains("shard 1/2: done, marker"));
    for (name, expected) in parts.iter().zip(&expected) {
        assert!(fs::read(folder.join("out").join(name)).unwrap() == *expected, "{name} differs");
    }
    assert!(!journal.exists());
    // Done: `--resume` on a finished shard skips it like any re-run.
    let again = run_shard(&folder, "1/2", &["--resume"]);
    assert!(stdout(&again).contains("already done"), "{}", stdout(&again));
    let _ = fs::remove_dir_all(folder);
}

/// The exporters that are not plain files: TimeML folders are merged file
/// by file, CoNLL concatenated, SQLite databases copied into one run with
/// the rows of one unsharded run, HTML reports kept per shard (and said so).
#[test]
fn folders_and_databases_are_merged_and_reports_kept() {
    let folder = scratch("shards-folders");
    let corpus = folder.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    for index in 0..5 {
        fs::write(
            corpus.join(format!("{index}.txt")),
            format!("Officials met on May {}, 2017, and again three weeks later.", index + 1),
        )
        .unwrap();
    }
    let text = format!(
        "[reader]\nkind = \"text\"\npath = \"{}\"\ndate = \"2017-05-01\"\n\
         [[extractor]]\nkind = \"temporal\"\n\
         [[exporter]]\nkind = \"conll\"\npath = \"out/t.conll\"\n\
         [[exporter]]\nkind = \"timeml\"\ndir = \"out/tml\"\n\
         [[exporter]]\nkind = \"html\"\ndir = \"out/report\"\n\
         [[exporter]]\nkind = \"sqlite\"\npath = \"out/t.sqlite\"\n",
        corpus.display()
    );
    fs::write(folder.join("pipeline.toml"), text).unwrap();
    let single = runner(&folder, &["run", "pipeline.toml", "--no-progress", "-q"]);
    assert_eq!(single.status.code(), Some(0), "{}", stderr(&single));
    fs::rename(folder.join("out"), folder.join("single")).unwrap();
    for index in 0..3 {
        let output = run_shard(&folder, &format!("{index}/3"), &[]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    assert!(folder.join("out/tml.part-00001-of-00003").is_dir());
    assert!(folder.join("out/report.part-00002-of-00003/index.html").is_file());
    assert!(folder.join("out/t.part-00000-of-00003.sqlite").is_file());
    let merged = runner(&folder, &["-q", "shards", "merge", "out", "--of", "3"]);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let printed = stdout(&merged);
    assert!(printed.contains("merged out/t.conll\nmerged out/tml\n"), "{printed}");
    assert!(
        printed.contains(
            "kept   exporter \"html\" (kind html): one report per shard \
             (out/report.part-00000-of-00003 and the others); reports are not merged\n"
        ),
        "{printed}"
    );
    assert!(printed.contains("merged out/t.sqlite\n"), "{printed}");
    assert!(!folder.join("out/report").exists());
    // The same rows as one run, in the same order, under the same run name.
    let rows = |path: &Path| -> Vec<String> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut rows = Vec::new();
        for query in [
            "SELECT name || ' ' || state || ' ' || documents || ' ' || annotations || ' ' || failures FROM runs",
            "SELECT id || ' ' || source || ' ' || ifnull(date, '') || ' ' || text FROM documents ORDER BY rowid",
            "SELECT doc_id || ' ' || label || ' ' || start || ' ' || \"end\" || ' ' || text || ' ' || ifnull(value, '') FROM annotations ORDER BY rowid",
            "SELECT id FROM documents_fts WHERE documents_fts MATCH 'weeks' ORDER BY rowid",
        ] {
            let query = query.replace("SELECT id FROM documents_fts", "SELECT documents.id FROM documents_fts JOIN documents ON documents.rowid = documents_fts.rowid");
            let mut statement = connection.prepare(&query).unwrap();
            let found: Vec<String> =
                statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
            rows.push(format!("{query}: {}", found.len()));
            rows.extend(found);
        }
        rows
    };
    let expected = rows(&folder.join("single/t.sqlite"));
    assert!(expected.len() > 20, "{expected:?}");
    assert_eq!(rows(&folder.join("out/t.sqlite")), expected);
    assert!(
        fs::read(folder.join("single/t.conll")).unwrap()
            == fs::read(folder.join("out/t.conll")).unwrap()
    );
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                (entry.file_name().to_string_lossy().into_owned(), fs::read(entry.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let expected = files(&folder.join("single/tml"));
    assert_eq!(expected.len(), 5);
    assert!(files(&folder.join("out/tml")) == expected, "the merged TimeML folder differs");
    let _ = fs::remove_dir_all(folder);
}

/// GeoJSON parts are FeatureCollections: merge puts every part's features
/// in one collection, as one run writes it (the seeds through ner and
/// entities, whose places have coordinates).
#[test]
fn geojson_features_merge_byte_for_byte() {
    let folder = scratch("shards-geojson");
    let text = format!(
        "[reader]\nkind = \"text\"\npath = \"{}\"\n\
         [[extractor]]\nkind = \"dateline\"\n[[extractor]]\nkind = \"ner\"\n\
         [[extractor]]\nkind = \"entities\"\n\
         [[exporter]]\nkind = \"geojson\"\npath = \"out/places.geojson\"\n",
        common::root().join("seeds").display()
    );
    fs::write(folder.join("pipeline.toml"), text).unwrap();
    let single = runner(&folder, &["run", "pipeline.toml", "--no-progress", "-q"]);
    assert_eq!(single.status.code(), Some(0), "{}", stderr(&single));
    fs::rename(folder.join("out"), folder.join("single")).unwrap();
    for index in 0..3 {
        let output = run_shard(&folder, &format!("{index}/3"), &[]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    // Three shards of two files: one part has no feature at all.
    let empty = fs::read_to_string(folder.join("out/places.part-00000-of-00003.geojson")).unwrap();
    assert_eq!(empty, "{\"type\":\"FeatureCollection\",\"features\":[]}\n");
    let merged = runner(&folder, &["-q", "shards", "merge", "pipeline.toml", "--of", "3"]);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let expected = fs::read_to_string(folder.join("single/places.geojson")).unwrap();
    assert!(expected.matches("\"type\":\"Feature\"").count() > 5, "{expected}");
    assert_eq!(fs::read_to_string(folder.join("out/places.geojson")).unwrap(), expected);
    let _ = fs::remove_dir_all(folder);
}
