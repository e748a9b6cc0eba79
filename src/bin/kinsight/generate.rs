//! `kinsight generate`: write a synthetic dataset that follows the input contract.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline::{self, GenerateOptions};

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
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &GenerateArgs) -> i32 {
    let mut opts =
        GenerateOptions::new(a.families, a.seed, &a.out).with_full_response(a.full_response);
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
                    "wrote {} families (seed {}) to {}",
                    s.families,
                    s.seed,
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
            }
            exit::OK
        }
        Err(e) => super::fail(&e),
    }
}
