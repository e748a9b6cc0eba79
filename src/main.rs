//! The `kinsight` command: parse arguments, call the library, print, set the exit code.

fn main() {
    std::process::exit(kinsight_cli::main());
}

#[path = "cli/mod.rs"]
mod kinsight_cli;
