//! `kinsight validate --data DIR`: list every problem; exit 0 when the dataset is usable.

use clap::Args;
use kinsight::pipeline::{self, Problems, DETAIL_LIMIT};

use super::dataset::Dataset;
use super::{exit, Common};

#[derive(Args, Debug)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub dataset: Dataset,
    #[command(flatten)]
    pub common: Common,
}

/// Print problems (errors first), then the counts of those not shown in detail.
pub fn print_problems(p: &Problems, to_stderr: bool) {
    let out = |s: String| {
        if to_stderr {
            eprintln!("{s}")
        } else {
            println!("{s}")
        }
    };
    for problem in p.detailed() {
        out(format!("  {problem}"));
    }
    for (table, rule, more) in p.not_detailed() {
        out(format!(
            "  ... and {more} more {rule} in {table} (only the first {DETAIL_LIMIT} are listed)"
        ));
    }
}

pub fn run(a: &ValidateArgs) -> i32 {
    let dir = match a.dataset.resolve(None, a.common.quiet) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let loaded = match pipeline::validate(&dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("kinsight: error: {e}");
            return exit::IO;
        }
    };
    let usable = loaded.dataset.is_some();
    if !a.common.quiet || !usable {
        print_problems(&loaded.problems, false);
        for (t, q) in &loaded.quality.tables {
            if q.present {
                println!(
                    "{t:>18}: {} read, {} kept, {} set aside",
                    q.rows_read, q.rows_kept, q.rows_set_aside
                );
            }
        }
        println!(
            "{}: {}",
            dir.display(),
            if usable {
                "usable"
            } else {
                "NOT usable: fix the errors above"
            }
        );
    }
    if usable {
        exit::OK
    } else {
        exit::INVALID
    }
}
