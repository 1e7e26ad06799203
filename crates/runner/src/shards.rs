//! Sharded runs on the command line (docs/cluster.md): `runner run
//! PIPELINE --shard I/N` (or `auto/N`), and `runner shards missing|merge
//! OUT --of N`. The work is in `pipeline::shard`; this module parses,
//! prints and picks exit codes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lexopt::prelude::*;
use pipeline::shard::{self, ShardArgument, ShardOutcome};

use crate::report;

pub const USAGE: &str = "\
Usage:
  runner shards missing OUT --of N   the shards of N without a completion marker in OUT/_done,
                                     in Slurm array syntax (3,7,12-15); nothing if all are done
  runner shards merge OUT --of N     check every marker and merge the parts into the final
                                     outputs, then write OUT/_SUCCESS

OUT is the folder of the pipeline's first output, where `runner run --shard` keeps
its markers (docs/cluster.md); a pipeline file (*.toml) names its OUT.
";

/// `--shard`, `--shard-offset` and `--force` of `runner run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardOptions {
    pub argument: ShardArgument,
    pub offset: u64,
    /// Run again over a marker that does not match.
    pub force: bool,
}

/// `runner run PIPELINE --shard …`.
pub fn run(
    path: &Path,
    options: &pipeline::RunOptions,
    show_progress: bool,
    shard: ShardOptions,
) -> ExitCode {
    let (shard_of, source) =
        match shard::resolve(shard.argument, shard.offset, |name| std::env::var(name).ok()) {
            Ok(resolved) => resolved,
            Err(error) => {
                eprintln!("runner: {error}");
                return ExitCode::from(1);
            }
        };
    if let Some(source) = source {
        tracing::info!("shard {shard_of} (index from {source})");
    }
    // The test hook: fail before anything is built or written.
    if let Some(message) =
        shard::injected_failure(shard_of, std::env::var(shard::FAIL_VARIABLE).ok().as_deref())
    {
        eprintln!("runner: {message}");
        return ExitCode::from(1);
    }
    let registry = pipeline::builtin_registry();
    let pipeline = match pipeline::load_sharded(path, &registry, Some(shard_of)) {
        Ok(pipeline) => pipeline,
        Err(errors) => {
            eprintln!("{}", report::config_errors(&errors));
            return ExitCode::from(1);
        }
    };
    tracing::info!(pipeline = %pipeline.name, file = %path.display(), shard = %shard_of, "running");
    let mut display = report::ProgressDisplay::new(show_progress);
    let outcome = shard::run(pipeline, shard_of, shard.force, options, &mut |progress| {
        display.update(progress)
    });
    display.finish();
    match outcome {
        Ok(ShardOutcome::Done { marker }) => {
            println!(
                "shard {shard_of}: already done ({} matches); nothing to do",
                marker.display()
            );
            ExitCode::SUCCESS
        }
        Ok(ShardOutcome::Ran { summary, marker }) => {
            print!("{}", report::summary(&summary));
            if let Some(reason) = &summary.aborted {
                eprintln!("runner: run aborted: {reason}; no output was written");
                return ExitCode::from(3);
            }
            if let Some(marker) = marker {
                println!("shard {shard_of}: done, marker {}", marker.display());
            }
            // A shard that wrote its parts and its marker is done, failed
            // documents or not: to a scheduler a non-zero exit means "retry",
            // and a retry would only find the marker. The failures are in the
            // errors part, and `runner shards merge` exits 2 for them.
            if summary.failed > 0 {
                tracing::warn!(
                    "{} documents failed in shard {shard_of}; they are in its errors part",
                    summary.failed
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("runner: shard {shard_of}: {error:#}");
            ExitCode::from(1)
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Action {
    Missing,
    Merge,
}

#[derive(Debug, PartialEq, Eq)]
struct Arguments {
    action: Action,
    out: PathBuf,
    count: u64,
}

fn parse(args: Vec<OsString>) -> Result<Option<Arguments>, lexopt::Error> {
    let mut parser = lexopt::Parser::from_args(args);
    let mut action = None;
    let mut out = None;
    let mut count = None;
    while let Some(argument) = parser.next()? {
        match argument {
            Short('h') | Long("help") => return Ok(None),
            Long("of") => count = Some(parser.value()?.parse::<u64>()?),
            Value(value) if action.is_none() => {
                action = Some(match value.to_str() {
                    Some("missing") => Action::Missing,
                    Some("merge") => Action::Merge,
                    _ => {
                        return Err(format!(
                            "unknown `runner shards` command {}: missing or merge",
                            value.to_string_lossy()
                        )
                        .into());
                    }
                });
            }
            Value(value) if out.is_none() => out = Some(PathBuf::from(value)),
            _ => return Err(argument.unexpected()),
        }
    }
    let action = action.ok_or("`runner shards` needs a command: missing or merge")?;
    let out = out.ok_or("`runner shards` needs the output folder OUT")?;
    let count = count.ok_or("`runner shards` needs --of N, the number of shards")?;
    Ok(Some(Arguments { action, out, count }))
}

/// `runner shards …`.
pub fn main(args: Vec<OsString>) -> ExitCode {
    let arguments = match parse(args) {
        Ok(Some(arguments)) => arguments,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("runner shards: {error}\n\n{USAGE}");
            return ExitCode::from(1);
        }
    };
    let mut arguments = arguments;
    if arguments.out.extension().is_some_and(|extension| extension == "toml")
        && arguments.out.is_file()
    {
        let registry = pipeline::builtin_registry();
        let out = match pipeline::load(&arguments.out, &registry) {
            Ok(loaded) => shard::out_folder(&loaded),
            Err(errors) => {
                eprintln!("{}", report::config_errors(&errors));
                return ExitCode::from(1);
            }
        };
        match out {
            Ok(out) => arguments.out = out,
            Err(error) => {
                eprintln!("runner shards: {error:#}");
                return ExitCode::from(1);
            }
        }
    }
    match arguments.action {
        Action::Missing => match shard::missing(&arguments.out, arguments.count) {
            Ok(missing) => {
                if !missing.is_empty() {
                    println!("{}", shard::array_syntax(&missing));
                }
                tracing::info!(
                    "{} of {} shards unfinished in {}",
                    missing.len(),
                    arguments.count,
                    arguments.out.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("runner shards missing: {error:#}");
                ExitCode::from(1)
            }
        },
        Action::Merge => match shard::merge(&arguments.out, arguments.count) {
            Ok(merged) => {
                for output in &merged.outputs {
                    println!("merged {}", output.display());
                }
                for kept in &merged.kept {
                    println!("kept   {kept}");
                }
                let counts = &merged.documents;
                println!(
                    "{} shards: {} read, {} written, {} failed, {} warnings; {} written",
                    arguments.count,
                    counts.read,
                    counts.written,
                    counts.failed,
                    counts.warnings,
                    arguments.out.join("_SUCCESS").display()
                );
                // As `runner run`: 2 when some documents failed.
                if counts.failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS }
            }
            Err(error) => {
                eprintln!("runner shards merge: {error:#}");
                ExitCode::from(1)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Option<Arguments>, String> {
        parse(args.iter().map(Into::into).collect()).map_err(|error| error.to_string())
    }

    #[test]
    fn missing_and_merge_take_a_folder_and_a_count() {
        assert_eq!(
            parsed(&["missing", "out", "--of", "16"]),
            Ok(Some(Arguments { action: Action::Missing, out: "out".into(), count: 16 }))
        );
        assert_eq!(
            parsed(&["merge", "--of", "4", "out/x"]),
            Ok(Some(Arguments { action: Action::Merge, out: "out/x".into(), count: 4 }))
        );
        assert_eq!(parsed(&["--help"]), Ok(None));
        assert_eq!(
            parsed(&["missing", "out"]),
            Err("`runner shards` needs --of N, the number of shards".into())
        );
        assert_eq!(
            parsed(&["list", "out"]),
            Err("unknown `runner shards` command list: missing or merge".into())
        );
    }
}
