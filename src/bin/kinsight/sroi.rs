//! `kinsight sroi --data DIR --model FILE --out DIR`: the SROI model only.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline;

use super::dataset::Dataset;
use super::{finish, job, Common, Output};

#[derive(Args, Debug)]
pub struct SroiArgs {
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

pub fn run(a: &SroiArgs) -> i32 {
    let data = match a.dataset.resolve(None, a.common.quiet) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut j = job(data, &a.output);
    j.model = a.model.clone();
    finish(&a.common, |step| pipeline::sroi_only(&j, step))
}
