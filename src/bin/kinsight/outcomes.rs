//! `kinsight outcomes --data DIR --out DIR [--by COL,...]`: the outcome tables only.

use clap::Args;
use kinsight::pipeline;

use super::dataset::Dataset;
use super::{finish, job, Common, OutcomeSettings, Output};

#[derive(Args, Debug)]
pub struct OutcomesArgs {
    #[command(flatten)]
    pub dataset: Dataset,
    #[command(flatten)]
    pub settings: OutcomeSettings,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &OutcomesArgs) -> i32 {
    let data = match a.dataset.resolve(None, a.common.quiet) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut j = job(data, &a.output);
    a.settings.apply(&mut j);
    finish(&a.common, |step| pipeline::outcomes_only(&j, step))
}
