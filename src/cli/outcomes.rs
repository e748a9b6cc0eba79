//! `kinsight outcomes DIR --out DIR [--by COL,...]`: the outcome tables only.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline;

use super::{finish, job, Common, OutcomeSettings, Output};

#[derive(Args, Debug)]
pub struct OutcomesArgs {
    /// Dataset folder.
    pub dir: PathBuf,
    #[command(flatten)]
    pub settings: OutcomeSettings,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &OutcomesArgs) -> i32 {
    let mut j = job(a.dir.clone(), &a.output);
    a.settings.apply(&mut j);
    finish(&a.common, |step| pipeline::outcomes_only(&j, step))
}
