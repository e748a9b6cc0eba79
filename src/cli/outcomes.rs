//! `kinsight outcomes DIR --out DIR [--by COL,...]`: the outcome tables only.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline;

use super::{finish, job, Common, Output};

#[derive(Args, Debug)]
pub struct OutcomesArgs {
    /// Dataset folder.
    pub dir: PathBuf,
    /// Take min_cell, seed and bootstrap_reps from this model file's [study] instead of
    /// the flags below.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Smallest group published (method.md section 6; never below 5).
    #[arg(long, default_value_t = 10)]
    pub min_cell: u32,
    /// Seed of the bootstrap intervals.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Bootstrap replicates for the income-effect interval.
    #[arg(long, default_value_t = 2000)]
    pub bootstrap_reps: usize,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &OutcomesArgs) -> i32 {
    let mut j = job(a.dir.clone(), &a.output);
    j.model = a.model.clone();
    j.min_cell = a.min_cell;
    j.seed = a.seed;
    j.bootstrap_reps = a.bootstrap_reps;
    finish(&a.common, |step| pipeline::outcomes_only(&j, step))
}
