//! Input of the reintegration chart: per arm, the share of the children in care at intake
//! who returned home, and the child-level share still home 1-5 years after the return
//! (`tables/reintegration`, group `all`), starting from 100 % on the day of the return.

use crate::charts::{Arm, HomePoint, HomeSeries, ReintegrationChart};
use crate::outcomes::ReintegrationRow;

use super::super::folder::RunFolder;
use super::super::select::{arm_key, ALL};
use super::{dataset_source, View};

/// The row of `measure` (and `year`) of the whole cohort of `arm`, child level.
pub(in crate::report) fn pick<'a>(
    rows: &'a [ReintegrationRow],
    arm: &str,
    measure: &str,
    year: Option<u32>,
) -> Option<&'a ReintegrationRow> {
    rows.iter().find(|r| {
        r.group == ALL
            && r.arm == arm
            && r.measure == measure
            && r.level == "child"
            && r.year == year
    })
}

pub(super) fn reintegration(run: &RunFolder) -> View<ReintegrationChart> {
    let Some(rows) = &run.reintegration else {
        return Err("tables/reintegration is missing".into());
    };
    let mut series = Vec::new();
    for arm in [Arm::Programme, Arm::Comparison] {
        let key = arm_key(arm);
        let Some(back) = pick(rows, key, "returned_home", None) else {
            continue;
        };
        let mut points = Vec::new();
        for year in 1..=5u32 {
            if let Some(r) = pick(rows, key, "still_home", Some(year)) {
                points.push(HomePoint {
                    year,
                    share: r.estimate,
                    low: r.ci_low,
                    high: r.ci_high,
                    suppressed: r.suppressed,
                });
            }
        }
        if points.is_empty() {
            continue;
        }
        points.insert(
            0,
            HomePoint {
                year: 0,
                share: Some(1.0),
                low: None,
                high: None,
                suppressed: false,
            },
        );
        series.push(HomeSeries {
            arm,
            returned: back.estimate.filter(|_| !back.suppressed),
            points,
        });
    }
    if series.is_empty() {
        return Err("no child of the cohort returned home from alternative care".into());
    }
    Ok(ReintegrationChart {
        title: None,
        subtitle: Some(
            "Children in alternative care when their family was referred: the share who returned home during the programme, and of those, the share not placed again (Kaplan-Meier, child level).".into(),
        ),
        source: dataset_source(run),
        min_cell: run.min_cell,
        series,
    })
}
