//! `kinsight partial DIR --out FILE`: one partition's outcome state, for `kinsight merge`.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline::{self, Job};

use super::{finish, Common};

#[derive(Args, Debug)]
pub struct PartialArgs {
    /// Dataset folder of one partition (e.g. one country's families with all their rows).
    pub dir: PathBuf,
    /// File to write the partial state to (JSON, read by `kinsight merge`).
    #[arg(long)]
    pub out: PathBuf,
    /// Break the outcome tables down by these families/episodes columns, as for
    /// `kinsight outcomes`; every partition must use the same.
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
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
    /// Overwrite --out even if it is not a kinsight partial state file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &PartialArgs) -> i32 {
    let mut j = Job::new(a.dir.clone(), a.out.clone());
    j.by = a.by.clone();
    j.force = a.force;
    j.model = a.model.clone();
    j.min_cell = a.min_cell;
    j.seed = a.seed;
    j.bootstrap_reps = a.bootstrap_reps;
    finish(&a.common, |step| pipeline::partial_only(&j, step))
}
