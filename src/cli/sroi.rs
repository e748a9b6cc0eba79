//! `kinsight sroi DIR --model FILE --out DIR`: the SROI model only.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline;

use super::{finish, job, Common, Output};

#[derive(Args, Debug)]
pub struct SroiArgs {
    /// Dataset folder.
    pub dir: PathBuf,
    /// SROI model file (default: model.toml in the dataset folder).
    #[arg(long)]
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &SroiArgs) -> i32 {
    let mut j = job(a.dir.clone(), &a.output);
    j.model = a.model.clone();
    finish(&a.common, |step| pipeline::sroi_only(&j, step))
}
