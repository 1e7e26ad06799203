//! The `runner` program, for the end-to-end tests in `tests/tests/`.
fn main() -> std::process::ExitCode {
    runner::main()
}
