//! `runner bench PIPELINE`: throughput, start-up, per-stage shares and peak
//! memory of a pipeline, for each thread count (docs/performance.md).
//!
//! Each thread count runs in a child process (this same program with the
//! hidden `--child` flag), because a process's peak RSS (`VmHWM`) cannot be
//! reset: every row's peak is its own run's. A child
//!
//! 1. rewrites the pipeline file with [`pipeline::bench::bench_source`]
//!    (`--input` replaces the reader's path; every output goes to a scratch
//!    folder that is removed afterwards, never over the user's outputs);
//! 2. builds it, timed: the start-up (every model and gazetteer loaded);
//! 3. reads the input once, untimed, to count documents, bytes of text and
//!    words ([`pipeline::bench::count_words`]), which also warms the page
//!    cache so that every row reads from memory;
//! 4. replays the input `--repeat` times, instruments every stage with a
//!    [`pipeline::stage_clock::StageClock`] (unless `--no-clock`), runs it
//!    with the thread count, and prints one JSON line for the parent.
//!
//! Words are whitespace-separated words of the documents' text, the same
//! definition as `wc -w` and `scripts/bench-spacy.sh`, so that every row of
//! the comparison shares one denominator.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use lexopt::prelude::*;
use pipeline::stage_clock::{StageClock, StageTime};
use serde_json::{Value, json};

pub const USAGE: &str = "\
Usage: runner bench PIPELINE [--threads 1,2] [--repeat K] [--input PATH] [--json]
                             [--scratch DIR] [--no-clock]

Runs PIPELINE once per thread count, each in a child process, outputs into a
scratch folder (removed afterwards), and prints wall time, words/s, MB/s,
documents/s, start-up time, peak RSS and the share of time in each stage.

  --threads LIST   thread counts, comma-separated (default: 1 and every core)
  --repeat K       read the input K times over in one run (memory must stay flat)
  --input PATH     read PATH instead of the reader's `path`
  --json           one JSON object instead of the tables
  --scratch DIR    where the scratch folder goes (default: the system's temp folder)
  --no-clock       run without the stage clock (measures its cost; no shares)
";

#[derive(Debug, PartialEq, Eq)]
struct Arguments {
    pipeline: PathBuf,
    threads: Vec<usize>,
    repeat: usize,
    input: Option<PathBuf>,
    json: bool,
    scratch: Option<PathBuf>,
    clock: bool,
    child: bool,
}

fn parse(args: Vec<OsString>) -> Result<Arguments, lexopt::Error> {
    let mut parser = lexopt::Parser::from_args(args);
    let mut pipeline = None;
    let mut threads = None;
    let mut repeat = 1;
    let mut input = None;
    let mut json = false;
    let mut scratch = None;
    let mut clock = true;
    let mut child = false;
    while let Some(argument) = parser.next()? {
        match argument {
            Long("threads") => {
                let list: String = parser.value()?.string()?;
                let parsed: Result<Vec<usize>, _> =
                    list.split(',').map(|part| part.trim().parse::<usize>()).collect();
                let parsed = parsed.map_err(|_| {
                    format!("--threads takes thread counts separated by commas, not \"{list}\"")
                })?;
                if parsed.iter().any(|&n| n == 0 || n > pipeline::config::MAX_THREADS) {
                    return Err(format!(
                        "--threads: each count must be between 1 and {}",
                        pipeline::config::MAX_THREADS
                    )
                    .into());
                }
                threads = Some(parsed);
            }
            Long("repeat") => {
                repeat = parser.value()?.parse()?;
                if repeat == 0 {
                    return Err("--repeat must be at least 1".into());
                }
            }
            Long("input") => input = Some(PathBuf::from(parser.value()?)),
            Long("json") => json = true,
            Long("scratch") => scratch = Some(PathBuf::from(parser.value()?)),
            Long("no-clock") => clock = false,
            Long("child") => child = true,
            Value(value) if pipeline.is_none() => pipeline = Some(PathBuf::from(value)),
            _ => return Err(argument.unexpected()),
        }
    }
    let pipeline = pipeline.ok_or("runner bench needs a pipeline file")?;
    let threads = threads.unwrap_or_else(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        if cores > 1 { vec![1, cores] } else { vec![1] }
    });
    Ok(Arguments { pipeline, threads, repeat, input, json, scratch, clock, child })
}

/// `runner bench ARGS...`.
pub fn main(args: Vec<OsString>) -> ExitCode {
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let arguments = match parse(args) {
        Ok(arguments) => arguments,
        Err(error) => {
            eprintln!("runner bench: {error}\n\n{USAGE}");
            return ExitCode::from(1);
        }
    };
    let outcome = if arguments.child { child(&arguments) } else { parent(&arguments) };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("runner bench: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// Runs one child per thread count and prints what they measured.
fn parent(arguments: &Arguments) -> anyhow::Result<()> {
    let program = std::env::current_exe().context("cannot find this program to run it again")?;
    let load_before = load_average();
    let mut runs = Vec::new();
    for &threads in &arguments.threads {
        let mut command = Command::new(&program);
        command.arg("-q").arg("bench").arg(&arguments.pipeline).arg("--child");
        command.arg("--threads").arg(threads.to_string());
        command.arg("--repeat").arg(arguments.repeat.to_string());
        if let Some(input) = &arguments.input {
            command.arg("--input").arg(input);
        }
        if let Some(scratch) = &arguments.scratch {
            command.arg("--scratch").arg(scratch);
        }
        if !arguments.clock {
            command.arg("--no-clock");
        }
        let output = command
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .context("cannot start the benchmark's child process")?;
        if !output.status.success() {
            bail!("the run with {threads} thread(s) failed ({})", output.status);
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout.lines().last().unwrap_or_default();
        let run: Value = serde_json::from_str(line)
            .with_context(|| format!("the run with {threads} thread(s) printed no result"))?;
        runs.push(run);
    }
    let report = json!({
        "pipeline": arguments.pipeline.display().to_string(),
        "input": arguments.input.as_ref().map(|input| input.display().to_string()),
        "repeat": arguments.repeat,
        "stage_clock": arguments.clock,
        "machine": {
            "cores": std::thread::available_parallelism().map_or(1, usize::from),
            "cpu": cpu_model(),
            "load_average": load_before,
        },
        "runs": runs,
    });
    if arguments.json {
        println!("{report}");
    } else {
        print!("{}", table(&report));
    }
    Ok(())
}

/// What the counting pass found in one pass over the input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Corpus {
    documents: u64,
    failures: u64,
    bytes: u64,
    words: u64,
}

/// One run, in its own process: prints one JSON line.
fn child(arguments: &Arguments) -> anyhow::Result<()> {
    let threads = arguments.threads.first().copied().unwrap_or(1);
    let source = std::fs::read_to_string(&arguments.pipeline)
        .with_context(|| format!("cannot read {}", arguments.pipeline.display()))?;
    let scratch = Scratch::new(arguments.scratch.as_deref(), threads)?;
    let input = match &arguments.input {
        Some(input) => Some(std::path::absolute(input).context("cannot resolve --input")?),
        None => None,
    };
    let rewritten = pipeline::bench::bench_source(&source, input.as_deref(), &scratch.0)
        .map_err(|error| anyhow::anyhow!("{}: {error}", arguments.pipeline.display()))?;

    let started = Instant::now();
    let registry = pipeline::builtin_registry();
    let mut built = pipeline::load_str(&rewritten, &arguments.pipeline, &registry)
        .map_err(|errors| anyhow::anyhow!("{errors}"))?;
    let startup = started.elapsed();

    let once = count(&*built.reader.component)?;
    let repeat = arguments.repeat as u64;
    let corpus = Corpus {
        documents: once.documents * repeat,
        failures: once.failures * repeat,
        bytes: once.bytes * repeat,
        words: once.words * repeat,
    };
    pipeline::bench::repeat(&mut built, arguments.repeat);
    let clock = arguments.clock.then(|| StageClock::instrument(&mut built));

    let cpu_before = process_cpu();
    let started = Instant::now();
    let options = pipeline::RunOptions { threads: Some(threads), ..Default::default() };
    let summary = built.run(&options, &mut |_| {})?;
    let wall = started.elapsed();
    let cpu = process_cpu().zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
    if let Some(reason) = &summary.aborted {
        bail!("the run was aborted: {reason}");
    }
    let stages = clock.map(|clock| shares(&clock.times(), cpu)).unwrap_or_default();
    let seconds = wall.as_secs_f64().max(1e-9);
    let result = json!({
        "threads": threads,
        "startup_s": startup.as_secs_f64(),
        "wall_s": wall.as_secs_f64(),
        "cpu_s": cpu.map(|cpu| cpu.as_secs_f64()),
        "documents": corpus.documents,
        "reader_failures": corpus.failures,
        "failed": summary.failed,
        "words": corpus.words,
        "bytes": corpus.bytes,
        "words_per_s": corpus.words as f64 / seconds,
        "mb_per_s": corpus.bytes as f64 / 1e6 / seconds,
        "documents_per_s": corpus.documents as f64 / seconds,
        "peak_rss_mib": crate::report::peak_rss_kib().map(|kib| kib as f64 / 1024.0),
        "stages": stages,
    });
    println!("{result}");
    Ok(())
}

/// A scratch folder for one run's outputs, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(parent: Option<&Path>, threads: usize) -> anyhow::Result<Scratch> {
        let parent = parent.map_or_else(std::env::temp_dir, Path::to_path_buf);
        let folder = parent.join(format!("dateline-bench-{}-{threads}t", std::process::id()));
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create the scratch folder {}", folder.display()))?;
        Ok(Scratch(folder))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One untimed pass over the input.
fn count(reader: &dyn document::Reader) -> anyhow::Result<Corpus> {
    let mut corpus = Corpus::default();
    for item in reader.open().context("the reader cannot open its input")? {
        match item {
            Ok(document) => {
                corpus.documents += 1;
                corpus.bytes += document.text.len() as u64;
                corpus.words += pipeline::bench::count_words(&document.text);
            }
            Err(_) => corpus.failures += 1,
        }
    }
    Ok(corpus)
}

/// Each stage's share of the run: time inside its calls over the run's CPU
/// time, and `other` for the rest (the executor, channels, dropping
/// documents). When the stages add up to more than the CPU time (threads
/// waiting for a core while inside a call, on a busy machine), shares are of
/// their sum and `other` is 0. Shares add up to 1.
fn shares(times: &[StageTime], cpu: Option<Duration>) -> Vec<Value> {
    let inside: u64 = times.iter().map(|time| time.nanos).sum();
    let cpu = cpu.map_or(0, |cpu| u64::try_from(cpu.as_nanos()).unwrap_or(u64::MAX));
    let total = inside.max(cpu).max(1) as f64;
    let mut rows: Vec<Value> = times
        .iter()
        .map(|time| {
            json!({
                "stage": time.stage.label(),
                "seconds": time.nanos as f64 / 1e9,
                "share": time.nanos as f64 / total,
                "calls": time.calls,
            })
        })
        .collect();
    let other = cpu.saturating_sub(inside);
    rows.push(json!({
        "stage": "other",
        "seconds": other as f64 / 1e9,
        "share": other as f64 / total,
        "calls": 0,
    }));
    rows
}

/// The process's user + system CPU time so far, from `/proc/self/stat`
/// (Linux; clock ticks of 10 ms).
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line; 12 and 13 here
    // (field 3, the state, is index 0).
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux target the project builds for.
    Some(Duration::from_millis(ticks * 10))
}

fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn cpu_model() -> Option<String> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = text.lines().find(|line| line.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_string())
}

/// The report as two Markdown tables.
fn table(report: &Value) -> String {
    let mut out = String::new();
    let runs = report["runs"].as_array().cloned().unwrap_or_default();
    let first = runs.first().cloned().unwrap_or(Value::Null);
    let text = |value: &Value| value.as_str().unwrap_or("unknown").to_string();
    out.push_str(&format!(
        "runner bench {}{} (repeat {})\n",
        text(&report["pipeline"]),
        report["input"].as_str().map(|input| format!(" on {input}")).unwrap_or_default(),
        report["repeat"],
    ));
    out.push_str(&format!(
        "corpus: {} documents ({} unreadable), {} words (whitespace-separated, as wc -w), {:.2} MB of text\n",
        first["documents"], first["reader_failures"], first["words"],
        first["bytes"].as_f64().unwrap_or(0.0) / 1e6,
    ));
    out.push_str(&format!(
        "machine: {} cores, {}; load average {}\n\n",
        report["machine"]["cores"],
        text(&report["machine"]["cpu"]),
        text(&report["machine"]["load_average"]),
    ));
    out.push_str(
        "| threads | wall s | words/s | MB/s | documents/s | start-up s | peak RSS MiB | CPU s | failed |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    let number = |value: &Value, decimals: usize| match value.as_f64() {
        Some(value) => format!("{value:.decimals$}"),
        None => "–".to_string(),
    };
    for run in &runs {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            run["threads"],
            number(&run["wall_s"], 3),
            number(&run["words_per_s"], 0),
            number(&run["mb_per_s"], 2),
            number(&run["documents_per_s"], 0),
            number(&run["startup_s"], 3),
            number(&run["peak_rss_mib"], 1),
            number(&run["cpu_s"], 2),
            run["failed"],
        ));
    }
    if runs.iter().all(|run| run["stages"].as_array().is_none_or(Vec::is_empty)) {
        return out;
    }
    out.push_str("\nshare of time by stage (time inside each stage's calls over the run's CPU time; seconds in brackets)\n\n| stage |");
    for run in &runs {
        out.push_str(&format!(" {} thread(s) |", run["threads"]));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(runs.len()));
    out.push('\n');
    let stages = first["stages"].as_array().cloned().unwrap_or_default();
    for (index, stage) in stages.iter().enumerate() {
        out.push_str(&format!("| {} |", text(&stage["stage"])));
        for run in &runs {
            let cell = &run["stages"][index];
            out.push_str(&format!(
                " {:.1} % ({:.3} s) |",
                cell["share"].as_f64().unwrap_or(0.0) * 100.0,
                cell["seconds"].as_f64().unwrap_or(0.0),
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipeline::stage_clock::StageName;

    fn parsed(args: &[&str]) -> Result<Arguments, String> {
        parse(args.iter().map(Into::into).collect()).map_err(|error| error.to_string())
    }

    #[test]
    fn arguments() {
        let arguments =
            parsed(&["p.toml", "--threads", "1,2", "--repeat", "10", "--json"]).unwrap();
        assert_eq!(arguments.pipeline, PathBuf::from("p.toml"));
        assert_eq!(arguments.threads, vec![1, 2]);
        assert_eq!(arguments.repeat, 10);
        assert!(arguments.json && arguments.clock && !arguments.child);
        assert_eq!(
            parsed(&["p.toml", "--threads", "1,x"]).unwrap_err(),
            "--threads takes thread counts separated by commas, not \"1,x\""
        );
        assert_eq!(
            parsed(&["p.toml", "--threads", "0"]).unwrap_err(),
            "--threads: each count must be between 1 and 1024"
        );
        assert_eq!(
            parsed(&["p.toml", "--repeat", "0"]).unwrap_err(),
            "--repeat must be at least 1"
        );
        assert_eq!(parsed(&[]).unwrap_err(), "runner bench needs a pipeline file");
        assert_eq!(parsed(&["a.toml", "b.toml"]).unwrap_err(), "unexpected argument \"b.toml\"");
    }

    fn time(stage: &'static str, nanos: u64) -> StageTime {
        StageTime { stage: StageName { stage, name: stage.into(), kind: "k" }, nanos, calls: 1 }
    }

    #[test]
    fn shares_add_up_to_one_with_other_last() {
        let times = [time("reader", 1_000_000), time("tokenizer", 3_000_000)];
        // 10 ms of CPU, 4 ms inside stages: 10 %, 30 %, other 60 %.
        let rows = shares(&times, Some(Duration::from_millis(10)));
        let share = |index: usize| rows[index]["share"].as_f64().unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["stage"], "reader:reader (k)");
        assert_eq!(rows[2]["stage"], "other");
        assert!((share(0) - 0.1).abs() < 1e-9 && (share(1) - 0.3).abs() < 1e-9);
        assert!((share(2) - 0.6).abs() < 1e-9);
        // More time inside stages than CPU time (a busy machine): shares of the sum.
        let rows = shares(&times, Some(Duration::from_millis(2)));
        assert!((rows[0]["share"].as_f64().unwrap() - 0.25).abs() < 1e-9);
        assert_eq!(rows[2]["share"].as_f64(), Some(0.0));
        let total: f64 = rows.iter().map(|row| row["share"].as_f64().unwrap()).sum();
        assert!(total <= 1.0 + 1e-9);
        // Nothing measured at all: no division by zero.
        let rows = shares(&[time("reader", 0)], None);
        assert_eq!(rows[0]["share"].as_f64(), Some(0.0));
    }

    #[test]
    fn proc_figures_parse_on_linux() {
        if !Path::new("/proc/self/stat").exists() {
            eprintln!("skipped: no /proc on this system");
            return;
        }
        assert!(crate::report::peak_rss_kib().is_some_and(|kib| kib > 0));
        let before = process_cpu().unwrap();
        let mut x = 0u64;
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(60) {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        assert!(x > 0);
        assert!(process_cpu().unwrap() > before);
    }
}
