//! The `runner` command line, and nothing else: it parses arguments, sets
//! up logging, and hands over to the `pipeline` crate. It is the only
//! place in the workspace that prints, and the only place that decides exit
//! codes:
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | every document was processed and written |
//! | 1 | a configuration or I/O error; nothing was processed, or the run could not finish |
//! | 2 | the run completed, but some documents failed (see the errors file) |
//! | 3 | the run was aborted (`on_error = "abort"` or `max_errors`); no output was written |
//!
//! The code lives in a library so that the end-to-end tests in `tests/`
//! can build the very same program as a binary of their own.

mod bench;
mod cli;
mod report;
mod shards;
mod tools;

pub use cli::main;
