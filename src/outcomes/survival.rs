//! `survival_curve`, `survival_years` and `survival_tests` from the merged event tables.
//!
//! Kaplan-Meier with Greenwood log(-log) intervals per group and level (family, child);
//! S(t) at whole years uses `round(k x 365.25)` days. Curve rows with fewer than
//! `min_cell` at risk are not published (they form the tail of the curve); a year whose
//! number at risk is too small is marked suppressed, with secondary suppression of the
//! numbers at risk within each breakdown. The log-rank test compares the groups of each
//! breakdown (always `arm`).

use std::collections::BTreeMap;

use crate::dates::add_years;
use crate::stats::{log_rank, EventTable, KaplanMeier};

use super::disclosure::withhold_small_rows;
use super::groups::{column_of, group_order};
use super::partial::{OutcomePartial, FAMILY_LEVEL};
use super::record::YEARS;
use super::rows::{SurvivalCurveRow, SurvivalTestRow, SurvivalYearRow};

fn level_label(level: u8) -> &'static str {
    if level == FAMILY_LEVEL {
        "family"
    } else {
        "child"
    }
}

/// Survival tables: curve, years, tests.
pub fn tables(
    p: &OutcomePartial,
    notes: &mut Vec<String>,
) -> (
    Vec<SurvivalCurveRow>,
    Vec<SurvivalYearRow>,
    Vec<SurvivalTestRow>,
) {
    let by = &p.settings.by;
    let min = p.settings.min_cell;
    let mut sorted: Vec<(String, u8, &EventTable)> = p
        .survival
        .iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(&(g, l), t)| (p.groups.get(g).to_string(), l, t))
        .collect();
    sorted.sort_by_key(|a| (group_order(&a.0, by), a.1));

    let mut curve = Vec::new();
    let mut years: Vec<SurvivalYearRow> = Vec::new();
    for (group, level, table) in &sorted {
        let Ok(km) = KaplanMeier::new(table) else {
            continue;
        };
        let lvl = level_label(*level).to_string();
        for s in km.steps().iter().filter(|s| s.at_risk >= min) {
            curve.push(SurvivalCurveRow {
                group: group.clone(),
                level: lvl.clone(),
                day: s.day,
                at_risk: s.at_risk,
                events: s.events,
                censored: s.censored,
                survival: s.survival,
                ci_low: s.ci_low,
                ci_high: s.ci_high,
            });
        }
        for k in 1..=YEARS as u32 {
            let pt = km.at(add_years(0, f64::from(k)));
            years.push(SurvivalYearRow {
                group: group.clone(),
                level: lvl.clone(),
                year: k,
                survival: Some(pt.survival),
                ci_low: Some(pt.interval.low),
                ci_high: Some(pt.interval.high),
                at_risk: Some(pt.at_risk),
                suppressed: false,
            });
        }
    }
    let years = withhold_small_rows(years, min, |r| {
        ((r.level.clone(), r.year), r.at_risk.unwrap_or(0))
    });

    // Log-rank per breakdown and level.
    let mut by_column: BTreeMap<(usize, String, u8), Vec<&EventTable>> = BTreeMap::new();
    for (group, level, table) in &sorted {
        if let Some(col) = column_of(group) {
            let rank = group_order(group, by).0;
            by_column
                .entry((rank, col.to_string(), *level))
                .or_default()
                .push(table);
        }
    }
    let mut tests = Vec::new();
    for ((_, col, level), tables) in by_column {
        if tables.len() < 2 {
            continue;
        }
        match log_rank(tables.iter().copied()) {
            Ok(t) => tests.push(SurvivalTestRow {
                by: col,
                level: level_label(level).to_string(),
                chi_square: t.chi_square,
                df: t.df as u64,
                p_value: t.p_value,
            }),
            Err(e) => notes.push(format!(
                "log-rank test by {col} ({} level) not computed: {e}",
                level_label(level)
            )),
        }
    }
    (curve, years, tests)
}
