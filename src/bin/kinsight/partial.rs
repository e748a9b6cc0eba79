//! `kinsight partial --data DIR --out FILE`: one partition's outcome state, for
//! `kinsight merge`.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline::{self, Job};

use super::dataset::Dataset;
use super::{finish, Common, OutcomeSettings};

#[derive(Args, Debug)]
pub struct PartialArgs {
    /// Dataset folder of one partition (e.g. one country's families with all their rows).
    #[command(flatten)]
    pub dataset: Dataset,
    /// File to write the partial state to (JSON, read by `kinsight merge`).
    #[arg(long)]
    pub out: PathBuf,
    /// Break the outcome tables down by these families/episodes columns, as for
    /// `kinsight outcomes`; every partition must use the same.
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
    #[command(flatten)]
    pub settings: OutcomeSettings,
    /// Overwrite --out even if it is not a kinsight partial state file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &PartialArgs) -> i32 {
    let data = match a.dataset.resolve(None, a.common.quiet) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut j = Job::new(data, a.out.clone());
    j.by = a.by.clone();
    j.force = a.force;
    a.settings.apply(&mut j);
    finish(&a.common, |step| pipeline::partial_only(&j, step))
}
