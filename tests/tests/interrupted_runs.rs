//! Killed runs, resumed runs, and outputs that cannot be written: a run
//! either commits complete outputs or leaves the previous ones untouched,
//! and `--resume` continues a killed run to exactly the output of an
//! uninterrupted one.

mod common;

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{runner, scratch, stderr};

/// A deterministic pseudo-random sequence (xorshift64*), so that the
/// "random" kill points are the same on every run of the test.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

const MONTHS: [&str; 6] = ["January", "March", "May", "July", "September", "November"];

/// `count` small news-like articles (and one binary file, which fails and
/// goes to the errors file), written into `folder/corpus`.
fn corpus(folder: &Path, count: usize) -> PathBuf {
    let corpus = folder.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let mut random = Random(0x5eed);
    for index in 0..count {
        let mut text = format!("Article {index}\n\n");
        for sentence in 0..(3 + random.below(12)) {
            let day = 1 + random.below(28);
            let month = MONTHS[random.below(6) as usize];
            let amount = random.below(900) + 10;
            text.push_str(&format!(
                "On {month} {day}, 2017, officials said {amount} million euros, or {} percent, \
                 would be spent within {} weeks (item {sentence}).\n",
                random.below(90),
                random.below(9) + 1
            ));
        }
        fs::write(corpus.join(format!("{index:04}.txt")), text).unwrap();
    }
    fs::write(corpus.join("0100b.txt"), b"\x00\x01\x02binary\x00\xff\xfe").unwrap();
    corpus
}

fn pipeline(folder: &Path, corpus: &Path) -> PathBuf {
    let path = folder.join("pipeline.toml");
    let text = format!(
        r#"[pipeline]
threads = 2
batch_size = 4
checkpoint_every = 1

[reader]
kind = "text"
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
path = "out/news.csv"
errors_path = "out/news.csv-errors.jsonl"
"#,
        corpus.display()
    );
    fs::write(&path, text).unwrap();
    path
}

/// Every output file's bytes, in a fixed order.
fn outputs(folder: &Path) -> Vec<Vec<u8>> {
    let out = folder.join("out");
    ["news.jsonl", "news.errors.jsonl", "news.csv", "news.csv-errors.jsonl"]
        .iter()
        .map(|name| fs::read(out.join(name)).unwrap_or_default())
        .collect()
}

/// Names in `out/` that are not hidden: what a user would take for output.
fn visible_outputs(folder: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(folder.join("out")) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn spawn(folder: &Path, pipeline: &Path, resume: bool) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dateline-runner"));
    command.arg("run").arg(pipeline).args(["--no-progress", "-q"]);
    if resume {
        command.arg("--resume");
    }
    command
        .current_dir(folder)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The items the journal of a running pipeline has committed, if any.
fn committed_items(folder: &Path) -> Option<u64> {
    let text = fs::read_to_string(folder.join("out/.news.jsonl.resume.json")).ok()?;
    let journal: serde_json::Value = serde_json::from_str(&text).ok()?;
    journal["items"].as_u64()
}

/// Lets `child` run until its journal has committed at least `items` inputs,
/// then for `extra` more, then kills it with SIGKILL. Returns `true` if the
/// run finished by itself first.
fn kill_after(child: &mut Child, folder: &Path, items: u64, extra: Duration) -> bool {
    loop {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        if committed_items(folder).is_some_and(|committed| committed >= items) {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(extra);
    if child.try_wait().unwrap().is_some() {
        return true;
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    // It may have finished just before the signal (a regression: the test
    // then took a complete run for a killed one).
    status.signal() != Some(9)
}

struct Setup {
    folder: PathBuf,
    pipeline: PathBuf,
    corpus: PathBuf,
    expected: Vec<Vec<u8>>,
}

/// A corpus, its pipeline, and the outputs of one uninterrupted run.
fn setup(name: &str) -> Setup {
    let folder = scratch(name);
    let corpus = corpus(&folder, 240);
    let pipeline = pipeline(&folder, &corpus);
    let output = runner(&folder, &["run", pipeline.to_str().unwrap(), "--no-progress", "-q"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output)); // the binary file fails
    let expected = outputs(&folder);
    assert!(expected[0].len() > 100_000 && !expected[1].is_empty() && !expected[2].is_empty());
    assert_eq!(expected[1], expected[3], "both exporters record the binary file");
    assert_eq!(
        visible_outputs(&folder),
        ["news.csv", "news.csv-errors.jsonl", "news.errors.jsonl", "news.jsonl"]
    );
    fs::remove_dir_all(folder.join("out")).unwrap();
    Setup { folder, pipeline, corpus, expected }
}

#[test]
fn a_killed_run_leaves_no_output_and_a_new_run_writes_it_whole() {
    let setup = setup("killed");
    for items in [0, 20, 120, 200] {
        let mut child = spawn(&setup.folder, &setup.pipeline, false);
        let finished = kill_after(&mut child, &setup.folder, items, Duration::ZERO);
        assert!(!finished, "the run ended before {items} inputs were committed");
        assert_eq!(visible_outputs(&setup.folder), Vec::<String>::new(), "killed at {items}");
    }
    let output = runner(&setup.folder, &["run", "pipeline.toml", "--no-progress", "-q"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(outputs(&setup.folder) == setup.expected, "a fresh run after kills differs");
    let leftovers: Vec<_> = fs::read_dir(setup.folder.join("out"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new(), "temporary files and the journal are gone");
    let _ = fs::remove_dir_all(&setup.folder);
}

#[test]
fn twenty_kill_and_resume_loops_give_the_uninterrupted_output() {
    let setup = setup("resume-loops");
    let mut random = Random(20_261_122);
    let mut kills = 0;
    for trial in 0..20 {
        let _ = fs::remove_dir_all(setup.folder.join("out"));
        let mut attempts = 0;
        loop {
            attempts += 1;
            assert!(attempts < 100, "trial {trial} never finished");
            let mut child = spawn(&setup.folder, &setup.pipeline, true);
            // Kill at a random commit point, plus up to 30 ms into the
            // batches after it, so kills land mid-batch and mid-write too.
            let items = committed_items(&setup.folder).unwrap_or(0) + random.below(120);
            let extra = Duration::from_millis(random.below(30));
            if kill_after(&mut child, &setup.folder, items, extra) {
                break;
            }
            kills += 1;
            // Killed after its outputs were renamed into place (while
            // printing its summary, say): they are complete. Killed between
            // two renames, some are there and complete; the journal is gone,
            // so the next run writes them all again.
            let visible = visible_outputs(&setup.folder);
            let written = outputs(&setup.folder);
            for (index, name) in
                ["news.jsonl", "news.errors.jsonl", "news.csv", "news.csv-errors.jsonl"]
                    .iter()
                    .enumerate()
            {
                if visible.iter().any(|seen| seen == name) {
                    assert!(written[index] == setup.expected[index], "trial {trial}: {name}");
                }
            }
            if visible.len() == 4 {
                break;
            }
        }
        assert!(outputs(&setup.folder) == setup.expected, "trial {trial}: resumed output differs");
    }
    assert!(kills >= 20, "only {kills} kills landed before the runs finished");
    let _ = fs::remove_dir_all(&setup.folder);
}

/// Kills a run once it has committed something, leaving a journal.
fn interrupt(setup: &Setup) {
    let _ = fs::remove_dir_all(setup.folder.join("out"));
    let mut child = spawn(&setup.folder, &setup.pipeline, false);
    assert!(!kill_after(&mut child, &setup.folder, 40, Duration::ZERO));
}

#[test]
fn a_changed_pipeline_or_input_refuses_to_resume_unless_forced() {
    let setup = setup("resume-changed");
    interrupt(&setup);
    let original = fs::read_to_string(&setup.pipeline).unwrap();
    fs::write(&setup.pipeline, format!("{original}# edited\n")).unwrap();
    let output = runner(&setup.folder, &["pipeline.toml", "--resume", "--no-progress", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "runner: cannot resume: the pipeline file changed since the interrupted run; `--force` \
         starts from the beginning instead\n"
    );
    assert!(committed_items(&setup.folder).is_some(), "a refused resume keeps the journal");

    fs::write(&setup.pipeline, &original).unwrap();
    fs::write(setup.corpus.join("9999.txt"), "A new article on May 1, 2017.\n").unwrap();
    let output = runner(&setup.folder, &["pipeline.toml", "--resume", "--no-progress", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "runner: cannot resume: the input changed since the interrupted run (a file was added, \
         removed or modified); `--force` starts from the beginning instead\n"
    );
    fs::remove_file(setup.corpus.join("9999.txt")).unwrap();

    // Same pipeline and input again: the resume goes through, although the
    // killed run named the pipeline by its absolute path and this one by a
    // relative one (a regression: outputs were matched by path).
    let output = runner(&setup.folder, &["pipeline.toml", "--resume", "--no-progress"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(common::stdout(&output).contains("\nresumed      after "));
    assert!(outputs(&setup.folder) == setup.expected);

    // --force starts over when the pipeline changed.
    interrupt(&setup);
    fs::write(&setup.pipeline, format!("{original}# edited\n")).unwrap();
    let args = ["pipeline.toml", "--resume", "--force", "--no-progress", "-q"];
    let output = runner(&setup.folder, &args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(outputs(&setup.folder) == setup.expected);
    let _ = fs::remove_dir_all(&setup.folder);
}

#[test]
fn resume_is_refused_for_exporters_that_cannot_make_commit_points() {
    let folder = scratch("resume-html");
    fs::write(folder.join("a.txt"), "On May 1, 2017, it rained.\n").unwrap();
    fs::write(
        folder.join("pipeline.toml"),
        "[reader]\nkind = \"text\"\npath = \"a.txt\"\n[[exporter]]\nkind = \"html\"\ndir = \"report\"\n",
    )
    .unwrap();
    let output = runner(&folder, &["pipeline.toml", "--resume", "--no-progress", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "runner: cannot resume: exporter \"html\" (kind html) cannot make commit points\n"
    );
    let _ = fs::remove_dir_all(&folder);
}

/// A small tmpfs mounted at `folder` (read-only if asked), unmounted on
/// drop; `None` with a message where this machine does not allow mounts.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(folder: &Path, options: &str) -> Option<Mount> {
        fs::create_dir_all(folder).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(folder)
            .stderr(Stdio::null())
            .status();
        if status.is_ok_and(|status| status.success()) {
            Some(Mount(folder.to_path_buf()))
        } else {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            None
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn write_pipeline_into(folder: &Path, out: &Path) {
    let corpus = corpus(folder, 60);
    let text = format!(
        "[reader]\nkind = \"text\"\npath = \"{}\"\n[[extractor]]\nkind = \"temporal\"\n\
         [[exporter]]\nkind = \"jsonl\"\npath = \"{}\"\n",
        corpus.display(),
        out.join("news.jsonl").display()
    );
    fs::write(folder.join("pipeline.toml"), text).unwrap();
}

#[test]
fn a_full_disk_stops_the_run_and_keeps_the_previous_output() {
    let folder = scratch("disk-full");
    let out = folder.join("out");
    let Some(_mount) = Mount::tmpfs(&out, "size=64k") else { return };
    fs::write(out.join("news.jsonl"), "previous output\n").unwrap();
    write_pipeline_into(&folder, &out);
    let output = runner(&folder, &["pipeline.toml", "--no-progress", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    // Where the error strikes depends on buffering: a write or the final
    // flush; either way it names the exporter, the file and the cause.
    let temporary = out.join(".news.jsonl.partial");
    assert!(
        message.starts_with("runner: exporter \"jsonl\" ")
            && message.ends_with(&format!(
                "cannot write {}: No space left on device (os error 28)\n",
                temporary.display()
            )),
        "{message}"
    );
    assert_eq!(fs::read_to_string(out.join("news.jsonl")).unwrap(), "previous output\n");
    let names: Vec<_> =
        fs::read_dir(&out).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert_eq!(names, ["news.jsonl"], "no temporary file is left on the full disk");
}

#[test]
fn a_read_only_output_folder_is_a_clear_error() {
    let folder = scratch("read-only");
    let out = folder.join("out");
    let Some(_mount) = Mount::tmpfs(&out, "size=1m") else { return };
    fs::write(out.join("news.jsonl"), "previous output\n").unwrap();
    let remounted = Command::new("mount").args(["-o", "remount,ro"]).arg(&out).status();
    assert!(remounted.is_ok_and(|status| status.success()));
    write_pipeline_into(&folder, &out);
    let output = runner(&folder, &["pipeline.toml", "--no-progress", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "runner: exporter \"jsonl\" failed: cannot open {}: Read-only file system (os error 30)\n",
            out.join(".news.jsonl.partial").display()
        )
    );
    assert_eq!(fs::read_to_string(out.join("news.jsonl")).unwrap(), "previous output\n");
}
