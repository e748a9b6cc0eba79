//! Command-line glue: one file per command, each a short `run(args) -> Result<ExitCode>`.
//!
//! Only this layer prints or chooses exit codes: 0 success, 1 invalid data or model,
//! 2 usage error (clap), 3 I/O error.

mod generate;
mod progress;
mod run;
mod validate;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Outcomes and social return of family-strengthening programmes, from Parquet case histories.
#[derive(Parser, Debug)]
#[command(name = "kinsight", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Flags every command takes.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Worker threads (default: all cores).
    #[arg(long, global = true)]
    threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, global = true)]
    quiet: bool,
}

/// Table formats to write.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Parquet,
    Both,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The main job: validate, outcomes, SROI, charts, report.
    Run(run::RunArgs),
    /// Check a dataset; exit 0 when usable, 1 when not, listing every problem.
    Validate(validate::ValidateArgs),
    /// Write a synthetic dataset that follows the input contract.
    Generate(generate::GenerateArgs),
}

/// Exit codes of the command.
pub mod exit {
    pub const OK: i32 = 0;
    pub const INVALID: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const IO: i32 = 3;
}

fn set_threads(threads: Option<usize>) -> Result<(), String> {
    if let Some(n) = threads {
        if n == 0 {
            return Err("--threads must be at least 1".into());
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Report a library error and return its exit code.
pub fn fail(e: &kinsight::Error) -> i32 {
    eprintln!("kinsight: error: {e}");
    if let kinsight::Error::InvalidDataset(p) = e {
        validate::print_problems(p, true);
    }
    if e.is_invalid_input() {
        exit::INVALID
    } else {
        exit::IO
    }
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let common = match &cli.command {
        Command::Run(a) => a.common.clone(),
        Command::Validate(a) => a.common.clone(),
        Command::Generate(a) => a.common.clone(),
    };
    if let Err(e) = set_threads(common.threads) {
        eprintln!("kinsight: error: {e}");
        return exit::USAGE;
    }
    match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Generate(a) => generate::run(&a),
    }
}

/// The bundled sample dataset, relative to the working directory.
pub fn default_data() -> PathBuf {
    PathBuf::from("data/sample")
}
