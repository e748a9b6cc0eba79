//! The `kinsight` command: parse arguments, call the library's pipeline, print, set the
//! exit code.
//!
//! A thin binary over the library (ripgrep's shape): one file per command beside this
//! one, each a short `run(args) -> exit code`. Only this layer prints or chooses exit
//! codes: 0 success, 1 invalid data or model, 2 usage error (clap), 3 I/O error.

mod dataset;
mod generate;
mod merge;
mod outcomes;
mod partial;
mod progress;
mod report;
mod run;
mod sroi;
mod validate;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kinsight::pipeline::{Done, Error, Formats, Job, Overrides};

use progress::Progress;

/// Outcomes and social return of family-strengthening programmes, from Parquet case histories.
#[derive(Parser, Debug)]
#[command(
    name = "kinsight",
    version,
    about,
    long_about = None,
    after_help = "Example (the bundled synthetic sample, from the source folder):\n  kinsight run --data data/sample --out out    # then open out/report.html"
)]
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

impl Format {
    fn formats(self) -> Formats {
        Formats {
            csv: self != Format::Parquet,
            parquet: self != Format::Csv,
        }
    }
}

/// Where and how the computing commands write.
#[derive(Args, Debug, Clone)]
pub struct Output {
    /// Output folder.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Table formats.
    #[arg(long, value_enum, default_value = "both")]
    format: Format,
    /// Break the outcome tables down by these families/episodes columns (each column a
    /// separate breakdown), e.g. `--by country,risk_level`.
    #[arg(long, value_delimiter = ',')]
    by: Vec<String>,
    /// Write into --out even if it is not a previous kinsight output.
    #[arg(long)]
    force: bool,
}

/// The outcome settings of `outcomes` and `partial`: one definition, so the two commands
/// cannot drift apart in their defaults (a partition's state merges only with states of
/// the same settings, and merged tables must equal `kinsight outcomes`).
#[derive(Args, Debug, Clone)]
pub struct OutcomeSettings {
    /// Take min_cell, seed, bootstrap_reps, well_threshold and overall_min_domains from
    /// this model file's [study]; a flag below wins over the file.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Smallest group published (docs/method.md section 6; never below 5) [default: 10]
    #[arg(long)]
    min_cell: Option<u32>,
    /// Seed of the bootstrap intervals [default: 1]
    #[arg(long)]
    seed: Option<u64>,
    /// Bootstrap replicates for the income-effect interval [default: 2000]
    #[arg(long)]
    bootstrap_reps: Option<usize>,
    /// Score (1-4) from which a domain counts as doing well [default: 3]
    #[arg(long)]
    well_threshold: Option<u8>,
    /// Domains a family must do well in, of those assessed at the sitting, to do well
    /// overall [default: 6]
    #[arg(long)]
    overall_min_domains: Option<usize>,
}

impl OutcomeSettings {
    /// Set these settings on a job.
    fn apply(&self, j: &mut Job) {
        j.model = self.model.clone();
        j.settings = Overrides {
            min_cell: self.min_cell,
            seed: self.seed,
            bootstrap_reps: self.bootstrap_reps,
            well_threshold: self.well_threshold,
            overall_min_domains: self.overall_min_domains,
        };
    }
}

/// A library job from the common output flags.
fn job(data: PathBuf, o: &Output) -> Job {
    let mut j = Job::new(data, o.out.clone());
    j.formats = o.format.formats();
    j.by = o.by.clone();
    j.force = o.force;
    j
}

/// Run a library job under a spinner, print what it did, and return the exit code.
fn finish(common: &Common, work: impl FnOnce(&dyn Fn(&str)) -> Result<Done, Error>) -> i32 {
    let progress = Progress::new(common.quiet);
    let result = work(&|s: &str| progress.step(s));
    progress.finish();
    match result {
        Ok(done) => {
            if !common.quiet {
                for l in done.lines {
                    println!("{l}");
                }
            }
            exit::OK
        }
        Err(e) => fail(&e),
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The main job: validate, outcomes, SROI, charts, report.
    #[command(
        after_help = "Example:\n  kinsight run --data data/sample --out out    # writes out/report.html"
    )]
    Run(run::RunArgs),
    /// Check a dataset; exit 0 when usable, 1 when not, listing every problem.
    #[command(after_help = "Example:\n  kinsight validate --data data/sample")]
    Validate(validate::ValidateArgs),
    /// Write a synthetic dataset that follows the input contract.
    #[command(
        after_help = "Example:\n  kinsight generate --families 5000 --seed 20240601 --out data/mine"
    )]
    Generate(generate::GenerateArgs),
    /// Follow-up, survival, change and income tables only.
    #[command(
        after_help = "Example:\n  kinsight outcomes --data data/sample --out out --by country,arm"
    )]
    Outcomes(outcomes::OutcomesArgs),
    /// The outcome state of one partition of a caseload, as a file for `merge`.
    #[command(
        after_help = "Example:\n  kinsight partial --data data/AL --by country,arm --out states/AL.json"
    )]
    Partial(partial::PartialArgs),
    /// Merge partial state files into the outcome tables of the whole caseload.
    #[command(after_help = "Example:\n  kinsight merge states/*.json --out out")]
    Merge(merge::MergeArgs),
    /// The SROI model only.
    #[command(
        after_help = "Example:\n  kinsight sroi --data data/sample --model data/sample/model.toml --out out"
    )]
    Sroi(sroi::SroiArgs),
    /// Re-render charts and report.html from an earlier run's output folder.
    #[command(after_help = "Example:\n  kinsight report --out out")]
    Report(report::ReportArgs),
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
pub fn fail(e: &Error) -> i32 {
    eprintln!("kinsight: error: {e}");
    if let Error::InvalidDataset(p) = e {
        validate::print_problems(p, true);
    }
    if e.is_usage() {
        exit::USAGE
    } else if e.is_invalid_input() {
        exit::INVALID
    } else {
        exit::IO
    }
}

fn main() {
    // Before any thread starts.
    kinsight::pipeline::tune_allocator();
    std::process::exit(dispatch());
}

fn dispatch() -> i32 {
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
        Command::Outcomes(a) => a.common.clone(),
        Command::Partial(a) => a.common.clone(),
        Command::Merge(a) => a.common.clone(),
        Command::Sroi(a) => a.common.clone(),
        Command::Report(a) => a.common.clone(),
    };
    if let Err(e) = set_threads(common.threads) {
        eprintln!("kinsight: error: {e}");
        return exit::USAGE;
    }
    match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Generate(a) => generate::run(&a),
        Command::Outcomes(a) => outcomes::run(&a),
        Command::Partial(a) => partial::run(&a),
        Command::Merge(a) => merge::run(&a),
        Command::Sroi(a) => sroi::run(&a),
        Command::Report(a) => report::run(&a),
    }
}
