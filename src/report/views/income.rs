//! Input of the income chart: mean household income of each arm at intake, exit and
//! each follow-up year (`tables/income_trajectory`), or, when that optional table is
//! missing, the change since intake from `tables/income_effect` with a note saying so.

use crate::charts::{Arm, IncomeChart, IncomeMeasure, IncomePoint, IncomeSeries, Stage};

use super::super::folder::RunFolder;
use super::super::select::{arm_key, ALL};
use super::{counted_source, View};

fn stage_of(year: i32) -> Option<Stage> {
    match year {
        -1 => Some(Stage::Intake),
        0 => Some(Stage::Exit),
        1..=5 => Some(Stage::Year(year as u32)),
        _ => None,
    }
}

/// A chart of `series` measured as `measure`, whose table counts `families`.
fn chart(
    run: &RunFolder,
    measure: IncomeMeasure,
    families: f64,
    series: Vec<IncomeSeries>,
) -> IncomeChart {
    IncomeChart {
        title: None,
        measure,
        subtitle: None,
        source: counted_source(run, families),
        min_cell: run.min_cell,
        currency: run.summary.currency.clone(),
        price_year: run.summary.price_year,
        series,
    }
}

pub(super) fn income(run: &RunFolder, notes: &mut Vec<String>) -> View<IncomeChart> {
    if let Some(rows) = &run.income_trajectory {
        let mut series: Vec<IncomeSeries> = Vec::new();
        for arm in [Arm::Programme, Arm::Comparison] {
            let key = arm_key(arm);
            // Rows of the whole cohort split by arm; `arm=<key>` groups when that is how
            // the table is broken down.
            let pick = |group_ok: &dyn Fn(&str) -> bool| -> Vec<IncomePoint> {
                rows.iter()
                    .filter(|r| r.arm == key && group_ok(&r.group))
                    .filter_map(|r| {
                        stage_of(r.year).map(|stage| IncomePoint {
                            stage,
                            mean: r.mean_income,
                            low: r.ci_low,
                            high: r.ci_high,
                            suppressed: r.suppressed,
                        })
                    })
                    .collect()
            };
            let mut points = pick(&|g| g == ALL);
            if points.is_empty() {
                points = pick(&|g| g == format!("arm={key}"));
            }
            if !points.is_empty() {
                series.push(IncomeSeries { arm, points });
            }
        }
        let n: f64 = rows
            .iter()
            .filter(|r| r.year == -1 && (r.group == ALL || r.group.starts_with("arm=")))
            .filter_map(|r| r.n)
            .sum::<u64>() as f64;
        return Ok(chart(run, IncomeMeasure::Level, n, series));
    }
    // The unadjusted effect only: the propensity-weighted rows (`ipw_did`, `dr_did`)
    // are shown in the income table and the adjustment section, not drawn.
    let rows: Vec<_> = run
        .income_effect
        .iter()
        .filter(|r| r.group == ALL && matches!(r.method.as_str(), "did" | "programme_only"))
        .collect();
    if rows.is_empty() {
        return Err("tables/income_trajectory is missing and tables/income_effect has no rows for all families".into());
    }
    notes.push("tables/income_trajectory is missing: the income chart shows the change since intake (tables/income_effect) instead of income levels.".into());
    let series_of = |arm: Arm| -> IncomeSeries {
        let mut points = vec![IncomePoint {
            stage: Stage::Intake,
            mean: Some(0.0),
            low: None,
            high: None,
            suppressed: false,
        }];
        points.extend(rows.iter().filter_map(|r| {
            let mean = match arm {
                Arm::Programme => r.mean_delta_programme,
                Arm::Comparison => r.mean_delta_comparison,
            };
            stage_of(r.year as i32).map(|stage| IncomePoint {
                stage,
                mean,
                low: None,
                high: None,
                suppressed: r.suppressed,
            })
        }));
        IncomeSeries { arm, points }
    };
    let mut series = vec![series_of(Arm::Programme)];
    if rows.iter().any(|r| r.mean_delta_comparison.is_some()) {
        series.push(series_of(Arm::Comparison));
    }
    let n = rows
        .iter()
        .filter_map(|r| Some(r.n_programme? + r.n_comparison.unwrap_or(0)))
        .max()
        .unwrap_or(0) as f64;
    Ok(chart(run, IncomeMeasure::ChangeSinceIntake, n, series))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{income_effect_row, run};
    use crate::report::rows::IncomeTrajectoryRow;

    #[test]
    fn levels_come_from_the_trajectory_by_arm() {
        let mut r = run();
        let row = |arm: &str, year: i32| IncomeTrajectoryRow {
            group: ALL.into(),
            arm: arm.into(),
            year,
            n: Some(30),
            mean_income: Some(5000.0),
            ci_low: None,
            ci_high: None,
            suppressed: false,
        };
        r.income_trajectory = Some(vec![row("programme", -1), row("programme", 0)]);
        let mut notes = Vec::new();
        let chart = income(&r, &mut notes).unwrap();
        assert!(notes.is_empty());
        assert_eq!(chart.measure, IncomeMeasure::Level);
        assert_eq!(chart.series.len(), 1);
        assert_eq!(chart.series[0].points.len(), 2);
        assert_eq!(chart.source.families, 30);
    }

    #[test]
    fn without_the_trajectory_the_change_is_drawn_with_a_note() {
        let mut r = run();
        let mut notes = Vec::new();
        assert!(income(&r, &mut notes).is_err());
        r.income_effect = vec![income_effect_row(1)];
        let chart = income(&r, &mut notes).unwrap();
        assert_eq!(chart.measure, IncomeMeasure::ChangeSinceIntake);
        assert_eq!(chart.series.len(), 2);
        assert_eq!(chart.series[1].points[1].mean, Some(-300.0));
        assert_eq!(chart.source.families, 200);
        assert_eq!(notes.len(), 1);
        // Adjusted rows of the same year are not drawn.
        let mut adjusted = income_effect_row(1);
        adjusted.method = "ipw_did".into();
        adjusted.mean_delta_comparison = Some(-9999.0);
        r.income_effect.push(adjusted);
        let chart = income(&r, &mut notes).unwrap();
        assert_eq!(chart.series[1].points.len(), 2);
        assert_eq!(chart.series[1].points[1].mean, Some(-300.0));
    }
}
