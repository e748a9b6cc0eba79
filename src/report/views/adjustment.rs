//! Input of the propensity overlap chart: the bins of `tables/propensity_overlap` by
//! arm, withheld bins kept (drawn as outlines), and the count of programme families
//! outside the comparison arm's range from summary.json.

use crate::charts::{Arm, OverlapBin, OverlapChart};

use super::super::folder::RunFolder;
use super::{counted_source, View};

fn arm_of(name: &str) -> Option<Arm> {
    match name {
        "programme" => Some(Arm::Programme),
        "comparison" => Some(Arm::Comparison),
        _ => None,
    }
}

pub(super) fn overlap(run: &RunFolder) -> View<OverlapChart> {
    let Some(rows) = &run.overlap else {
        return Err(if run.summary.adjustment.is_some() {
            "tables/propensity_overlap is missing".into()
        } else {
            "the run has no propensity adjustment (no comparison arm, or a run from before it)"
                .into()
        });
    };
    let bins: Vec<OverlapBin> = rows
        .iter()
        .filter_map(|r| {
            Some(OverlapBin {
                arm: arm_of(&r.arm)?,
                low: r.bin_low,
                high: r.bin_high,
                share: r.share,
                suppressed: r.suppressed,
            })
        })
        .collect();
    if bins.is_empty() {
        return Err("tables/propensity_overlap has no rows for either arm".into());
    }
    let adj = run.summary.adjustment.as_ref();
    // Each arm's size from any published bin (share = families / arm size), so the
    // source line counts the families of withheld bins too.
    let families: f64 = ["programme", "comparison"]
        .iter()
        .filter_map(|arm| {
            rows.iter()
                .filter(|r| r.arm == *arm)
                .find_map(|r| match (r.families, r.share) {
                    (Some(n), Some(s)) if s > 0.0 => Some((n as f64 / s).round()),
                    _ => None,
                })
        })
        .sum();
    Ok(OverlapChart {
        title: None,
        subtitle: None,
        source: counted_source(run, families),
        min_cell: run.min_cell,
        programme_outside: adj.map(|a| a.programme_outside_comparison_range),
        bins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{adjusted_run, run};

    #[test]
    fn bins_by_arm_with_the_withheld_ones_kept() {
        let r = adjusted_run();
        let chart = overlap(&r).unwrap();
        assert_eq!(chart.bins.len(), 40);
        assert_eq!(chart.programme_outside, Some(3));
        let withheld: Vec<&OverlapBin> = chart.bins.iter().filter(|b| b.suppressed).collect();
        assert_eq!(withheld.len(), 1);
        assert_eq!(withheld[0].arm, Arm::Comparison);
        assert_eq!(withheld[0].share, None);
        // 100 programme and 85 comparison families, 5 of them in the withheld bin.
        assert_eq!(chart.source.families, 185);
    }

    #[test]
    fn without_the_table_the_chart_says_why() {
        assert!(overlap(&run())
            .unwrap_err()
            .contains("no propensity adjustment"));
        let mut r = adjusted_run();
        r.overlap = None;
        assert_eq!(
            overlap(&r).unwrap_err(),
            "tables/propensity_overlap is missing"
        );
    }
}
