//! `runner eval …` and `runner train …`: tools that are not pipelines.
//!
//! Each tool is one entry in [`TOOLS`]: its group, its name, a line of
//! usage, and a function that takes the arguments after the name and
//! returns an exit code. The tool's work lives in a library crate; the
//! function here only parses arguments and prints. Adding a tool is one
//! module under `tools/` and one line in [`TOOLS`].

mod ner;
mod timex;

use std::ffi::OsString;
use std::process::ExitCode;

/// The first words that select a tool group.
pub const GROUPS: [&str; 2] = ["eval", "train"];

pub struct Tool {
    pub group: &'static str,
    pub name: &'static str,
    /// The arguments after `runner GROUP NAME`, and what the tool does.
    pub usage: &'static str,
    pub run: fn(Vec<OsString>) -> anyhow::Result<ExitCode>,
}

/// Every tool, one line each.
pub const TOOLS: &[Tool] = &[
    Tool { group: "eval", name: "ner", usage: ner::EVAL_USAGE, run: ner::eval },
    Tool { group: "train", name: "ner", usage: ner::TRAIN_USAGE, run: ner::train_ner },
    Tool { group: "eval", name: "timex", usage: timex::EVAL_USAGE, run: timex::eval },
];

fn usage(group: &str) -> String {
    let mut text = format!("Usage: runner {group} WHAT ARGS...\n\n");
    let tools: Vec<&Tool> = TOOLS.iter().filter(|tool| tool.group == group).collect();
    if tools.is_empty() {
        text.push_str("No tool in this group yet.\n");
    }
    for tool in tools {
        text.push_str(&format!("  runner {group} {} {}\n", tool.name, tool.usage));
    }
    text
}

/// Runs `runner GROUP NAME ARGS...`.
pub fn run(group: &str, mut args: Vec<OsString>) -> ExitCode {
    let name = if args.is_empty() { None } else { Some(args.remove(0)) };
    let name = name.as_ref().and_then(|name| name.to_str());
    match name {
        None | Some("-h" | "--help" | "help") => {
            print!("{}", usage(group));
            if name.is_none() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Some(name) => match TOOLS.iter().find(|tool| tool.group == group && tool.name == name) {
            Some(tool) => match (tool.run)(args) {
                Ok(code) => code,
                Err(error) => {
                    eprintln!("runner {group} {name}: {error:#}");
                    ExitCode::from(1)
                }
            },
            None => {
                eprintln!("runner {group}: unknown tool `{name}`\n\n{}", usage(group));
                ExitCode::from(1)
            }
        },
    }
}
