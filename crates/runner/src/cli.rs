use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lexopt::prelude::*;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

use crate::report;

const USAGE: &str = "\
Dateline: structured facts from news articles.

Usage:
  runner [run] [PIPELINE] [--threads N] [--resume [--force]]
                                          run a pipeline (default: pipelines/default.toml)
  runner run PIPELINE --shard I/N|auto/N [--shard-offset K] [--force]
                                          run shard I of N (docs/cluster.md)
  runner shards missing|merge OUT --of N  unfinished shards (Slurm array syntax); merge the parts
  runner validate [PIPELINE]              check a pipeline file without reading any document, and run its tests
  runner test [PIPELINE]                  run the [[test]] tables of a pipeline file (no reader, no exporters)
  runner list                             every component kind, with its options
  runner eval WHAT ARGS...                scorers (runner eval --help lists them)
  runner train WHAT ARGS...               model training (runner train --help lists them)
  runner bench PIPELINE [--threads 1,2]   throughput, start-up, stage shares, peak RSS (runner bench --help)

Options:
  --threads N      worker threads (0 = every core); overrides [pipeline] threads
  --resume         continue a killed run from its last commit point
  --force          with --resume: start from the beginning if the pipeline
                   file or the input changed since the killed run; with
                   --shard: run the shard again over a marker that does not match
  --shard I/N      process shard I of N (0-based); auto/N takes I from
                   SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX
  --shard-offset K added to the shard index (Slurm's array size cap)
  --no-progress    no progress display on stderr
  -v, --verbose    more log output (-vv for trace)
  -q, --quiet      only errors in the log
  -h, --help       this help
  -V, --version    the version

Logging goes to stderr; RUST_LOG (e.g. RUST_LOG=pipeline=debug) overrides -v/-q.
Exit codes: 0 all good; 1 configuration or I/O error; 2 run completed but some
documents failed; 3 run aborted (on_error = \"abort\" or max_errors), nothing written.
";

const DEFAULT_PIPELINE: &str = "pipelines/default.toml";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Run {
        pipeline: Option<PathBuf>,
        threads: Option<usize>,
        progress: bool,
        resume: pipeline::Resume,
        /// `--shard` (docs/cluster.md); `None` runs the whole input.
        shard: Option<crate::shards::ShardOptions>,
    },
    Validate {
        pipeline: Option<PathBuf>,
    },
    Test {
        pipeline: Option<PathBuf>,
    },
    List,
    /// `runner shards …`: handed to [`crate::shards`].
    Shards {
        args: Vec<std::ffi::OsString>,
    },
    /// `runner bench …`: handed to [`crate::bench`].
    Bench {
        args: Vec<std::ffi::OsString>,
    },
    /// `runner eval …` and `runner train …`: handed to [`crate::tools`].
    Tool {
        group: String,
        args: Vec<std::ffi::OsString>,
    },
    Help,
    Version,
}

#[derive(Debug, PartialEq, Eq)]
struct Arguments {
    command: Command,
    verbosity: i8,
}

fn parse(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Arguments, lexopt::Error> {
    let mut parser = lexopt::Parser::from_args(args);
    let mut subcommand: Option<String> = None;
    let mut pipeline: Option<PathBuf> = None;
    let mut threads = None;
    let mut progress = true;
    let mut resume = false;
    let mut force = false;
    let mut shard: Option<pipeline::shard::ShardArgument> = None;
    let mut shard_offset: Option<u64> = None;
    let mut verbosity = 0i8;
    while let Some(argument) = parser.next()? {
        match argument {
            Short('h') | Long("help") => {
                return Ok(Arguments { command: Command::Help, verbosity });
            }
            Short('V') | Long("version") => {
                return Ok(Arguments { command: Command::Version, verbosity });
            }
            Short('v') | Long("verbose") => verbosity = verbosity.saturating_add(1),
            Short('q') | Long("quiet") => verbosity = -1,
            Long("threads") => threads = Some(parser.value()?.parse()?),
            Long("no-progress") => progress = false,
            Long("resume") => resume = true,
            Long("force") => force = true,
            Long("shard") => {
                let value = parser.value()?;
                let text = value.to_string_lossy();
                shard = Some(text.parse().map_err(lexopt::Error::from)?);
            }
            Long("shard-offset") => shard_offset = Some(parser.value()?.parse()?),
            Value(value) if subcommand.is_none() && pipeline.is_none() => {
                let text = match value.into_string() {
                    Ok(text) => text,
                    Err(path) => {
                        // Not UTF-8, so not a command: a pipeline path.
                        subcommand = Some("run".into());
                        pipeline = Some(PathBuf::from(path));
                        continue;
                    }
                };
                if text == "shards" && subcommand.is_none() {
                    let args = parser.raw_args()?.collect();
                    return Ok(Arguments { command: Command::Shards { args }, verbosity });
                }
                if text == "bench" && subcommand.is_none() {
                    let args = parser.raw_args()?.collect();
                    return Ok(Arguments { command: Command::Bench { args }, verbosity });
                }
                if crate::tools::GROUPS.contains(&text.as_str()) {
                    let args = parser.raw_args()?.collect();
                    return Ok(Arguments {
                        command: Command::Tool { group: text, args },
                        verbosity,
                    });
                }
                if matches!(text.as_str(), "run" | "validate" | "test" | "list") {
                    subcommand = Some(text);
                } else {
                    subcommand = Some("run".into());
                    pipeline = Some(PathBuf::from(text));
                }
            }
            Value(value) if pipeline.is_none() => pipeline = Some(PathBuf::from(value)),
            _ => return Err(argument.unexpected()),
        }
    }
    let command = match subcommand.as_deref() {
        None | Some("run") => {
            let resume = match (resume, force) {
                (false, false) => pipeline::Resume::Never,
                (true, false) => pipeline::Resume::Continue,
                (true, true) => pipeline::Resume::ContinueOrRestart,
                (false, true) if shard.is_some() => pipeline::Resume::Never,
                (false, true) => {
                    return Err("--force only applies with --resume or --shard".into());
                }
            };
            if shard_offset.is_some() && shard.is_none() {
                return Err("--shard-offset only applies with --shard".into());
            }
            let shard = shard.map(|argument| crate::shards::ShardOptions {
                argument,
                offset: shard_offset.unwrap_or(0),
                force,
            });
            Command::Run { pipeline, threads, progress, resume, shard }
        }
        Some("validate") => Command::Validate { pipeline },
        Some("test") => Command::Test { pipeline },
        Some("list") if pipeline.is_none() => Command::List,
        Some(other) => return Err(lexopt::Error::from(format!("`{other}` takes no pipeline"))),
    };
    if threads.is_some() && !matches!(command, Command::Run { .. }) {
        return Err("--threads only applies to `runner run`".into());
    }
    if (resume || force) && !matches!(command, Command::Run { .. }) {
        return Err("--resume and --force only apply to `runner run`".into());
    }
    if (shard.is_some() || shard_offset.is_some()) && !matches!(command, Command::Run { .. }) {
        return Err("--shard and --shard-offset only apply to `runner run`".into());
    }
    if threads.is_some_and(|threads| threads > pipeline::config::MAX_THREADS) {
        return Err(format!("--threads must be at most {}", pipeline::config::MAX_THREADS).into());
    }
    Ok(Arguments { command, verbosity })
}

/// The program: parse, set up logging, dispatch, and map the outcome to an
/// exit code.
pub fn main() -> ExitCode {
    let arguments = match parse(std::env::args_os().skip(1)) {
        Ok(arguments) => arguments,
        Err(error) => {
            eprintln!("runner: {error}\n\n{USAGE}");
            return ExitCode::from(1);
        }
    };
    init_logging(arguments.verbosity);
    // A panic is a bug even when the executor contains it to one document:
    // it is logged as an error (the errors file has it too).
    std::panic::set_hook(Box::new(|info| tracing::error!("{info}")));
    match arguments.command {
        Command::Help => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("runner {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::List => {
            print!("{}", report::list(&pipeline::builtin_registry()));
            ExitCode::SUCCESS
        }
        Command::Validate { pipeline } => validate(&pipeline_path(pipeline)),
        Command::Test { pipeline } => test(&pipeline_path(pipeline)),
        Command::Tool { group, args } => crate::tools::run(&group, args),
        Command::Bench { args } => crate::bench::main(args),
        Command::Shards { args } => crate::shards::main(args),
        Command::Run { pipeline, threads, progress, resume, shard: Some(shard) } => {
            let options = pipeline::RunOptions { threads, resume };
            crate::shards::run(&pipeline_path(pipeline), &options, progress, shard)
        }
        Command::Run { pipeline, threads, progress, resume, shard: None } => {
            run(&pipeline_path(pipeline), &pipeline::RunOptions { threads, resume }, progress)
        }
    }
}

fn init_logging(verbosity: i8) {
    let level = match verbosity {
        i8::MIN..=-1 => LevelFilter::ERROR,
        0 => LevelFilter::INFO,
        1 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    };
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(level));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false);
    let _ = tracing_subscriber::registry().with(layer.with_filter(filter)).try_init();
}

/// The pipeline to use: the one named, or `pipelines/default.toml` in the
/// current folder, or else, when run from inside the checkout it was built
/// in, that checkout's own (so `cargo run -p runner` works from any of its
/// folders, and an installed binary never reaches back into a checkout).
fn pipeline_path(given: Option<PathBuf>) -> PathBuf {
    if let Some(path) = given {
        return path;
    }
    let local = PathBuf::from(DEFAULT_PIPELINE);
    if local.exists() {
        return local;
    }
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize();
    let inside = |checkout: &Path| {
        std::env::current_dir()
            .and_then(|folder| folder.canonicalize())
            .is_ok_and(|folder| folder.starts_with(checkout))
    };
    match checkout {
        Ok(checkout) if inside(&checkout) && checkout.join(DEFAULT_PIPELINE).exists() => {
            checkout.join(DEFAULT_PIPELINE)
        }
        _ => local,
    }
}

fn validate(path: &Path) -> ExitCode {
    let registry = pipeline::builtin_registry();
    match pipeline::load(path, &registry) {
        Ok(pipeline) => {
            println!("{}", report::valid(&pipeline));
            let outcomes = pipeline.run_tests();
            if outcomes.is_empty() {
                return ExitCode::SUCCESS;
            }
            print!("{}", report::tests(path, &outcomes));
            if outcomes.iter().all(pipeline::TestOutcome::passed) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(errors) => {
            eprintln!("{}", report::config_errors(&errors));
            ExitCode::from(1)
        }
    }
}

/// `runner test`: the pipeline's `[[test]]` tables, without building its
/// reader or exporters; exit 1 on any failure.
fn test(path: &Path) -> ExitCode {
    let registry = pipeline::builtin_registry();
    match pipeline::load_tests(path, &registry) {
        Ok(pipeline) => {
            let outcomes = pipeline.run_tests();
            print!("{}", report::tests(path, &outcomes));
            if outcomes.iter().all(pipeline::TestOutcome::passed) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(errors) => {
            eprintln!("{}", report::config_errors(&errors));
            ExitCode::from(1)
        }
    }
}

fn run(path: &Path, options: &pipeline::RunOptions, show_progress: bool) -> ExitCode {
    let registry = pipeline::builtin_registry();
    let pipeline = match pipeline::load(path, &registry) {
        Ok(pipeline) => pipeline,
        Err(errors) => {
            eprintln!("{}", report::config_errors(&errors));
            return ExitCode::from(1);
        }
    };
    tracing::info!(pipeline = %pipeline.name, file = %path.display(), "running");
    let mut display = report::ProgressDisplay::new(show_progress);
    let outcome = pipeline.run(options, &mut |progress| display.update(progress));
    display.finish();
    match outcome {
        Ok(summary) => {
            print!("{}", report::summary(&summary));
            if let Some(reason) = &summary.aborted {
                eprintln!("runner: run aborted: {reason}; no output was written");
                ExitCode::from(3)
            } else if summary.failed > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("runner: {error:#}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Arguments, String> {
        parse(args.iter().map(Into::into)).map_err(|error| error.to_string())
    }

    #[test]
    fn no_arguments_runs_the_default_pipeline() {
        assert_eq!(
            parsed(&[]).unwrap().command,
            Command::Run {
                pipeline: None,
                threads: None,
                progress: true,
                resume: pipeline::Resume::Never,
                shard: None
            }
        );
    }

    #[test]
    fn run_is_optional() {
        let expected = Command::Run {
            pipeline: Some("p.toml".into()),
            threads: Some(8),
            progress: true,
            resume: pipeline::Resume::Never,
            shard: None,
        };
        assert_eq!(parsed(&["run", "p.toml", "--threads", "8"]).unwrap().command, expected);
        assert_eq!(parsed(&["p.toml", "--threads", "8"]).unwrap().command, expected);
    }

    #[test]
    fn resume_and_force() {
        let resume = |args: &[&str]| match parsed(args).map(|arguments| arguments.command) {
            Ok(Command::Run { resume, .. }) => Ok(resume),
            Ok(other) => Err(format!("{other:?}")),
            Err(error) => Err(error),
        };
        assert_eq!(resume(&["p.toml", "--resume"]), Ok(pipeline::Resume::Continue));
        assert_eq!(
            resume(&["run", "--resume", "--force", "p.toml"]),
            Ok(pipeline::Resume::ContinueOrRestart)
        );
        assert_eq!(
            resume(&["p.toml", "--force"]),
            Err("--force only applies with --resume or --shard".into())
        );
        assert_eq!(
            resume(&["validate", "p.toml", "--resume"]),
            Err("--resume and --force only apply to `runner run`".into())
        );
    }

    #[test]
    fn shard_options() {
        let shard = |args: &[&str]| match parsed(args).map(|arguments| arguments.command) {
            Ok(Command::Run { shard, resume, .. }) => Ok((shard, resume)),
            Ok(other) => Err(format!("{other:?}")),
            Err(error) => Err(error),
        };
        let options = |index, count, offset, force| crate::shards::ShardOptions {
            argument: pipeline::shard::ShardArgument { index, count },
            offset,
            force,
        };
        assert_eq!(
            shard(&["run", "p.toml", "--shard", "3/16"]),
            Ok((Some(options(Some(3), 16, 0, false)), pipeline::Resume::Never))
        );
        assert_eq!(
            shard(&["p.toml", "--shard", "auto/2000", "--shard-offset", "1000", "--force"]),
            Ok((Some(options(None, 2000, 1000, true)), pipeline::Resume::Never))
        );
        assert_eq!(
            shard(&["p.toml", "--shard", "1/4", "--resume"]),
            Ok((Some(options(Some(1), 4, 0, false)), pipeline::Resume::Continue))
        );
        assert_eq!(
            shard(&["p.toml", "--shard", "4/4"]),
            Err("shard index 4 is out of range: shards of 4 are numbered 0 to 3".into())
        );
        assert_eq!(
            shard(&["p.toml", "--shard-offset", "2"]),
            Err("--shard-offset only applies with --shard".into())
        );
        assert_eq!(
            shard(&["validate", "p.toml", "--shard", "1/2"]),
            Err("--shard and --shard-offset only apply to `runner run`".into())
        );
        assert_eq!(
            parsed(&["-q", "shards", "missing", "out", "--of", "4"]).unwrap().command,
            Command::Shards {
                args: ["missing", "out", "--of", "4"].iter().map(Into::into).collect()
            }
        );
    }

    #[test]
    fn other_commands() {
        assert_eq!(
            parsed(&["validate", "p.toml"]).unwrap().command,
            Command::Validate { pipeline: Some("p.toml".into()) }
        );
        assert_eq!(
            parsed(&["test", "p.toml"]).unwrap().command,
            Command::Test { pipeline: Some("p.toml".into()) }
        );
        assert_eq!(parsed(&["test"]).unwrap().command, Command::Test { pipeline: None });
        assert_eq!(parsed(&["list"]).unwrap().command, Command::List);
        assert_eq!(parsed(&["-vv", "list"]).unwrap().verbosity, 2);
        assert_eq!(parsed(&["-q", "list"]).unwrap().verbosity, -1);
    }

    #[test]
    fn eval_and_train_take_their_arguments_raw() {
        assert_eq!(
            parsed(&["-q", "eval", "timex", "gold", "--json"]).unwrap(),
            Arguments {
                command: Command::Tool {
                    group: "eval".into(),
                    args: ["timex", "gold", "--json"].iter().map(Into::into).collect()
                },
                verbosity: -1
            }
        );
    }

    #[test]
    fn bad_arguments_are_named() {
        assert_eq!(
            parsed(&["--threads", "many"]).unwrap_err(),
            "cannot parse argument \"many\": invalid digit found in string"
        );
        assert_eq!(
            parsed(&["run", "a.toml", "b.toml"]).unwrap_err(),
            "unexpected argument \"b.toml\""
        );
        assert_eq!(parsed(&["--colour"]).unwrap_err(), "invalid option '--colour'");
        assert_eq!(
            parsed(&["validate", "--threads", "2"]).unwrap_err(),
            "--threads only applies to `runner run`"
        );
        assert_eq!(
            parsed(&["test", "--threads", "2"]).unwrap_err(),
            "--threads only applies to `runner run`"
        );
        assert_eq!(
            parsed(&["test", "a.toml", "b.toml"]).unwrap_err(),
            "unexpected argument \"b.toml\""
        );
        assert_eq!(parsed(&["--threads", "30000"]).unwrap_err(), "--threads must be at most 1024");
    }
}
