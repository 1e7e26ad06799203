//! The stage clock: every stage named and timed, and output byte for byte
//! the same with the clock on or off.

use std::fs;
use std::path::{Path, PathBuf};

use pipeline::stage_clock::StageClock;

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds")
}

fn scratch(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("dateline-clock-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&folder);
    fs::create_dir_all(&folder).unwrap();
    folder
}

fn source(out: &Path) -> String {
    format!(
        "[pipeline]\nbatch_size = 1\n\n[reader]\nkind = \"text\"\npath = \"{}\"\n\n\
         [[extractor]]\nkind = \"dateline\"\n\n[[extractor]]\nkind = \"measures\"\nname = \"money\"\n\n\
         [[extractor]]\nkind = \"temporal\"\n\n\
         [[exporter]]\nkind = \"jsonl\"\npath = \"{}\"\ntokens = true\n\n\
         [[exporter]]\nkind = \"csv\"\npath = \"{}\"\nerrors_path = \"{}\"\n",
        seeds().display(),
        out.join("out.jsonl").display(),
        out.join("out.csv").display(),
        out.join("csv-errors.jsonl").display(),
    )
}

/// Runs the pipeline into `out`, with the clock or without, its input
/// repeated `times`; returns the clock's report.
fn run(out: &Path, clock: bool, times: usize, threads: usize) -> Option<StageClock> {
    let registry = pipeline::builtin_registry();
    let mut built = pipeline::load_str(&source(out), Path::new("p.toml"), &registry).unwrap();
    pipeline::bench::repeat(&mut built, times);
    let clock = clock.then(|| StageClock::instrument(&mut built));
    let options = pipeline::RunOptions { threads: Some(threads), ..Default::default() };
    let summary = built.run(&options, &mut |_| {}).unwrap();
    assert_eq!(summary.written, 2 * times as u64);
    assert_eq!(summary.failed, 0);
    clock
}

fn files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(out)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (entry.file_name().to_string_lossy().into_owned(), fs::read(entry.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn output_is_byte_identical_with_the_clock_on_or_off() {
    for (times, threads) in [(1, 1), (3, 2)] {
        let off = scratch(&format!("off-{times}"));
        let on = scratch(&format!("on-{times}"));
        assert!(run(&off, false, times, threads).is_none());
        assert!(run(&on, true, times, threads).is_some());
        let (off_files, on_files) = (files(&off), files(&on));
        let names: Vec<&str> = off_files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["csv-errors.jsonl", "out.csv", "out.errors.jsonl", "out.jsonl"]);
        assert_eq!(off_files, on_files, "repeat {times}, {threads} threads");
        let jsonl = String::from_utf8(off_files[3].1.clone()).unwrap();
        assert_eq!(jsonl.lines().count(), 2 * times);
        if times == 3 {
            // Later passes carry their number after the id.
            assert!(jsonl.lines().nth(2).unwrap().contains("~2\""), "{jsonl}");
            assert!(jsonl.lines().nth(5).unwrap().contains("~3\""), "{jsonl}");
        }
        let _ = fs::remove_dir_all(&off);
        let _ = fs::remove_dir_all(&on);
    }
}

#[test]
fn every_stage_is_named_and_timed() {
    let out = scratch("named");
    let clock = run(&out, true, 2, 2).unwrap();
    let times = clock.times();
    let labels: Vec<String> = times.iter().map(|time| time.stage.label()).collect();
    assert_eq!(
        labels,
        [
            "reader:text",
            "tokenizer:news",
            "extractor:dateline",
            "extractor:money (measures)",
            "extractor:temporal",
            "exporter:jsonl",
            "exporter:csv"
        ]
    );
    let calls: Vec<u64> = times.iter().map(|time| time.calls).collect();
    // Reader: open + 4 documents + the end of the stream. Tokenizer and
    // extractors: once per document. Exporters: 4 writes, then finish.
    assert_eq!(calls, [6, 4, 4, 4, 4, 5, 5]);
    for time in &times {
        assert!(time.nanos > 0, "{time:?}");
    }
    let _ = fs::remove_dir_all(&out);
}

/// The clock's reader wrapper answers every question the executor and the
/// sharding ask of a reader as the wrapped reader does.
#[test]
fn the_timed_reader_forwards_every_question() {
    let out = scratch("forward");
    let registry = pipeline::builtin_registry();
    let mut built = pipeline::load_str(&source(&out), Path::new("p.toml"), &registry).unwrap();
    let questions = |reader: &dyn document::Reader| {
        (reader.shardable(), reader.fingerprint(), reader.total_bytes())
    };
    let before = questions(&*built.reader.component);
    assert!(before.0, "the text reader can be sharded");
    let _clock = StageClock::instrument(&mut built);
    assert_eq!(questions(&*built.reader.component), before);
    fs::remove_dir_all(out).unwrap();
}
