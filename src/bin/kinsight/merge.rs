//! `kinsight merge FILE... --out DIR`: the outcome tables of the union of partitions.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline;

use super::{finish, Common, Format};

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Partial state files written by `kinsight partial`, one per partition.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Table formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Format,
    /// Write into --out even if it is not a previous kinsight output.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &MergeArgs) -> i32 {
    finish(&a.common, |step| {
        pipeline::merge(&a.files, &a.out, a.format.formats(), a.force, step)
    })
}
