//! `kinsight report --out DIR`: re-render the charts and `report.html` from the tables
//! and `sroi/` files of an earlier run, without recomputing anything.

use std::path::PathBuf;

use clap::Args;
use kinsight::pipeline;

use super::{finish, Common};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Output folder of an earlier `kinsight run`.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &ReportArgs) -> i32 {
    finish(&a.common, |_| pipeline::report_only(&a.out))
}
