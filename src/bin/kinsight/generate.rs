//! `kinsight generate`: write a synthetic dataset that follows the input contract.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use kinsight::pipeline::{self, Comparison, GenerateOptions};

use super::progress::Progress;
use super::{exit, Common};

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Number of families (programme and comparison arms together).
    #[arg(long)]
    pub families: u64,
    /// Seed: the same seed gives byte-identical files on any thread count.
    #[arg(long, default_value_t = 20_240_601)]
    pub seed: u64,
    /// Output dataset folder (must not already hold a dataset).
    #[arg(long)]
    pub out: PathBuf,
    /// Countries, ISO 3166-1 alpha-2, comma separated.
    #[arg(long, value_delimiter = ',')]
    pub countries: Option<Vec<String>>,
    /// Every due follow-up observed: the same families with no attrition (known truth for
    /// testing attrition weighting).
    #[arg(long)]
    pub full_response: bool,
    /// How families come to be in the programme arm: `random` (a coin toss, as in a
    /// randomised study) or `confounded` (the needier families are enrolled, so the arms
    /// differ in their intake covariates; the true effects are in truth.json either way).
    #[arg(long, value_enum, default_value = "random")]
    pub comparison: ComparisonArg,
    #[command(flatten)]
    pub common: Common,
}

/// `--comparison` values.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparisonArg {
    Random,
    Confounded,
}

impl From<ComparisonArg> for Comparison {
    fn from(a: ComparisonArg) -> Self {
        match a {
            ComparisonArg::Random => Comparison::Random,
            ComparisonArg::Confounded => Comparison::Confounded,
        }
    }
}

pub fn run(a: &GenerateArgs) -> i32 {
    let mut opts = GenerateOptions::new(a.families, a.seed, &a.out)
        .with_full_response(a.full_response)
        .with_comparison(a.comparison.into());
    if let Some(c) = &a.countries {
        opts = opts.with_countries(c);
    }
    let progress = Progress::new(a.common.quiet);
    let result = pipeline::generate(&opts, |done, total| {
        progress.step(&format!("generating families {done}/{total}"))
    });
    progress.finish();
    match result {
        Ok(s) => {
            if !a.common.quiet {
                println!(
                    "wrote {} families (seed {}, {} comparison) to {}",
                    s.families,
                    s.seed,
                    s.comparison.label(),
                    s.out.display()
                );
                for t in &s.tables {
                    println!(
                        "{:>18}: {} rows in {} file(s)",
                        t.name,
                        t.rows,
                        t.files.len()
                    );
                }
                println!("true effects: {}", s.truth.display());
            }
            exit::OK
        }
        Err(e) => super::fail(&e),
    }
}
