//! Input of the staying-together chart: the Kaplan-Meier curve of each arm (or of all
//! families when the tables hold no arms) with the numbers at risk under the axis.
//!
//! A curve stops at its first withheld point: the value there is never drawn, only the
//! mark that the curve goes on below the disclosure threshold.

use crate::charts::{Arm, AtRisk, SurvivalArm, SurvivalChart, SurvivalLevel, SurvivalStep};

use super::super::folder::RunFolder;
use super::super::rows::CurveRow;
use super::super::select::{log_rank_p, survival_groups, survival_level, ALL};
use super::{counted_source, View};

/// The curve and at-risk counts of one group and level.
fn survival_arm(run: &RunFolder, group: &str, level: &str, arm: Arm) -> Option<SurvivalArm> {
    let rows: Vec<&CurveRow> = run
        .curve
        .iter()
        .filter(|r| r.group == group && r.level == level)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    let mut last = 1.0;
    for r in &rows {
        match (r.suppressed, r.survival) {
            (false, Some(s)) => {
                steps.push(SurvivalStep::at_day(r.day, s, r.ci_low, r.ci_high, false));
                last = s;
            }
            _ => {
                // The curve stops here; the value is never drawn.
                steps.push(SurvivalStep::at_day(r.day, last, None, None, true));
                break;
            }
        }
    }
    let mut at_risk = vec![AtRisk {
        year: 0,
        count: rows[0].at_risk.map(|n| n as u64),
        suppressed: rows[0].suppressed,
    }];
    for y in 1..=5 {
        let row = run
            .survival_years
            .iter()
            .find(|r| r.group == group && r.level == level && r.year == y);
        at_risk.push(AtRisk {
            year: y,
            count: row.and_then(|r| r.at_risk),
            suppressed: row.is_some_and(|r| r.suppressed),
        });
    }
    Some(SurvivalArm {
        arm,
        steps,
        at_risk,
    })
}

pub(super) fn survival(run: &RunFolder) -> View<SurvivalChart> {
    let level = survival_level(run);
    let groups = survival_groups(run);
    let arms: Vec<SurvivalArm> = groups
        .iter()
        .filter_map(|(g, a)| survival_arm(run, g, level, *a))
        .collect();
    if arms.is_empty() {
        return Err("tables/survival_curve has no publishable rows".into());
    }
    let families: u64 = groups
        .iter()
        .filter_map(|(g, _)| {
            run.curve
                .iter()
                .find(|r| &r.group == g && r.level == "family")
                .and_then(|r| r.at_risk)
        })
        .map(|n| n as u64)
        .sum();
    let subtitle = (groups.len() == 1 && groups[0].0 == ALL)
        .then(|| "All families (the tables hold no comparison by arm).".to_string());
    Ok(SurvivalChart {
        title: None,
        subtitle,
        level: if level == "child" {
            SurvivalLevel::Child
        } else {
            SurvivalLevel::Family
        },
        source: counted_source(run, families as f64),
        min_cell: run.min_cell,
        log_rank_p: log_rank_p(run),
        arms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{curve_row, run, survival_year_row};

    #[test]
    fn a_curve_stops_at_its_first_withheld_point() {
        let mut r = run();
        assert!(survival(&r).is_err());
        let mut hidden = curve_row(ALL, "family", 400, Some(0.4321));
        hidden.suppressed = true;
        r.curve = vec![
            curve_row(ALL, "family", 0, Some(1.0)),
            curve_row(ALL, "family", 200, Some(0.9)),
            hidden,
            curve_row(ALL, "family", 600, Some(0.8)),
        ];
        r.survival_years = vec![survival_year_row(ALL, "family", 1, Some(0.9), true)];
        let chart = survival(&r).unwrap();
        let arm = &chart.arms[0];
        assert_eq!(arm.steps.len(), 3);
        assert_eq!(arm.at_risk[0].count, Some(100));
        assert!(arm.at_risk[1].suppressed);
        assert!(chart.subtitle.unwrap().starts_with("All families"));
        assert_eq!(chart.source.families, 100);
    }
}
