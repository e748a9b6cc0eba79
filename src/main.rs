//! The `kinsight` command: parse arguments, call the library, print, set the exit code.

fn main() {
    // Before any thread starts.
    kinsight::ingest::tune_allocator();
    std::process::exit(kinsight_cli::main());
}

#[path = "cli/mod.rs"]
mod kinsight_cli;
