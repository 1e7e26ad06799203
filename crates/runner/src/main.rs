// The extractors allocate many small strings, vectors and maps per
// document; mimalloc serves them faster than glibc's allocator and keeps
// per-thread heaps, so two workers do not contend (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    runner::main()
}
