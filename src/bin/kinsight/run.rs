//! `kinsight run`: the main job over a dataset, writing everything under `--out`.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline;

use super::dataset::{Dataset, SAMPLE};
use super::{finish, job, Common, Output};

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Dataset folder (default: the bundled sample, data/sample).
    #[command(flatten)]
    pub dataset: Dataset,
    /// SROI model file (default: model.toml in the dataset folder).
    #[arg(long)]
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &RunArgs) -> i32 {
    let data = match a.dataset.resolve(Some(SAMPLE), a.common.quiet) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut j = job(data, &a.output);
    j.model = a.model.clone();
    finish(&a.common, |step| pipeline::run(&j, step))
}
