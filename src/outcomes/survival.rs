//! `survival_curve`, `survival_years` and `survival_tests` from the merged event tables.
//!
//! Kaplan-Meier with Greenwood log(-log) intervals per group and level (family, child);
//! S(t) at whole years uses `round(k x 365.25)` days. Curve rows with fewer than
//! `min_cell` at risk are not published (they form the tail of the curve); a year whose
//! number at risk is too small is marked suppressed, with secondary suppression of the
//! numbers at risk within each breakdown. Every group is reported per arm. The log-rank
//! test compares the arms: over the whole cohort (`by` = `arm`) and, per breakdown,
//! stratified by its groups; the family-level test is the primary one, the child-level
//! test (siblings are not independent) is descriptive.

use std::collections::BTreeMap;

use crate::dates::add_years;
use crate::stats::{
    percentile_interval, stratified_log_rank, survival_from_slots, EventTable, Interval,
    KaplanMeier, PoissonBootstrap,
};

use super::disclosure::withhold_small_rows;
use super::groups::{column_of, group_order};
use super::partial::{
    cell, cell_arm, cell_group, OutcomePartial, SurvivalUnit, AGED_18_AT_EXIT, CENSORED_AT_18,
    FAMILY_LEVEL, N_ARMS,
};
use super::record::{arm_label, YEARS};
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
    // (group, arm, level, table), in output order.
    let mut sorted: Vec<(String, u8, u8, &EventTable)> = p
        .survival
        .iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(&(c, l), t)| (p.groups.get(cell_group(c)).to_string(), cell_arm(c), l, t))
        .collect();
    sorted.sort_by_key(|a| (group_order(&a.0, by), a.1, a.2));

    let mut curve = Vec::new();
    let mut years: Vec<SurvivalYearRow> = Vec::new();
    for (group, arm, level, table) in &sorted {
        let Ok(km) = KaplanMeier::new(table) else {
            continue;
        };
        let lvl = level_label(*level).to_string();
        let arm = arm_label(*arm).to_string();
        for s in km.steps().iter().filter(|s| s.at_risk >= min) {
            curve.push(SurvivalCurveRow {
                group: group.clone(),
                arm: arm.clone(),
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
                arm: arm.clone(),
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
    // Child-level intervals: children of one family are not independent, so the years'
    // intervals come from the family-clustered bootstrap instead of Greenwood's formula.
    let boot = child_intervals(p);
    for r in years.iter_mut().filter(|r| r.level == "child") {
        if let Some(i) = boot.get(&(r.group.clone(), r.arm.clone(), r.year)) {
            r.ci_low = Some(i.low);
            r.ci_high = Some(i.high);
        }
    }
    let years = withhold_small_rows(years, min, |r| {
        (
            (r.arm.clone(), r.level.clone(), r.year),
            r.at_risk.unwrap_or(0),
        )
    });

    // Log-rank tests of the arms per level: over the whole cohort (`by` = `arm`), and per
    // breakdown stratified by its groups. The family-level test is the primary one; the
    // child-level test treats siblings as independent and is descriptive only.
    let arms: Vec<u8> = {
        let mut a: Vec<u8> = sorted.iter().map(|s| s.1).collect();
        a.sort_unstable();
        a.dedup();
        a
    };
    let empty = EventTable::new();
    // (breakdown rank, column, level) -> group -> per-arm tables.
    let mut strata: BTreeMap<(usize, String, u8), BTreeMap<String, Vec<&EventTable>>> =
        BTreeMap::new();
    for (group, arm, level, table) in &sorted {
        let col = column_of(group).unwrap_or("arm");
        if col == "arm" && group != "all" {
            // The `arm` breakdown holds one arm per group: the test of the whole cohort.
            continue;
        }
        let rank = group_order(group, by).0;
        let slot = arms.iter().position(|a| a == arm).expect("arm listed");
        strata
            .entry((rank, col.to_string(), *level))
            .or_default()
            .entry(group.clone())
            .or_insert_with(|| vec![&empty; arms.len()])[slot] = table;
    }
    let mut tests = Vec::new();
    if arms.len() >= 2 {
        for ((_, col, level), groups) in strata {
            let groups: Vec<Vec<&EventTable>> = groups.into_values().collect();
            match stratified_log_rank(&groups) {
                Ok(t) => tests.push(SurvivalTestRow {
                    by: col,
                    level: level_label(level).to_string(),
                    role: if level == FAMILY_LEVEL {
                        "primary"
                    } else {
                        "descriptive"
                    }
                    .to_string(),
                    chi_square: t.chi_square,
                    df: t.df as u64,
                    p_value: t.p_value,
                }),
                Err(e) => notes.push(format!(
                    "log-rank test of the arms by {col} ({} level) not computed: {e}",
                    level_label(level)
                )),
            }
        }
    }
    // Children censored at 18 (method.md section 3.2; counts in during_programme).
    let aged: Vec<String> = (0..N_ARMS as u8)
        .filter_map(|a| {
            let get = |m| p.during.get(&(cell(0, a), m)).map_or(0, |v| v[0]);
            let (adult, censored) = (get(AGED_18_AT_EXIT), get(CENSORED_AT_18));
            (adult + censored > 0).then(|| {
                format!(
                    "{} arm: {adult} children 18 or older at exit (not at risk), {censored} censored at their 18th birthday",
                    arm_label(a)
                )
            })
        })
        .collect();
    if !aged.is_empty() {
        notes.push(format!(
            "child-level survival counts children only while under 18: {}",
            aged.join("; ")
        ));
    }
    (curve, years, tests)
}

/// Percentile intervals of child-level survival at years 1..5 per (group, arm, year) from
/// the Poisson bootstrap over families (`bootstrap_reps` replicates, seeded): a family's
/// children are drawn together, so the interval accounts for siblings sharing their
/// family's fate. Each family's multiplicity comes from its id hash and a replicate's
/// sums are integer counts per day, so the result depends neither on how the state was
/// split nor on the number of threads. The curve's pointwise band stays Greenwood's
/// (descriptive); the yearly intervals are the ones reported.
fn child_intervals(p: &OutcomePartial) -> BTreeMap<(String, String, u32), Interval> {
    let s = &p.settings;
    let mut out = BTreeMap::new();
    if s.bootstrap_reps < 2 {
        return out;
    }
    let horizons: Vec<i32> = (1..=YEARS as u32)
        .map(|k| add_years(0, f64::from(k)))
        .collect();
    let last = *horizons.last().expect("five years");
    let mut cells: BTreeMap<u32, Vec<&SurvivalUnit>> = BTreeMap::new();
    for u in &p.survival_units {
        for &c in &u.cells {
            cells.entry(c).or_default().push(u);
        }
    }
    let boot = PoissonBootstrap::new(s.seed);
    for (c, mut units) in cells {
        units.sort_by_key(|u| u.key);
        let mut days: Vec<i32> = units
            .iter()
            .flat_map(|u| u.children.iter().map(|t| t.0))
            .filter(|&d| d <= last)
            .collect();
        days.sort_unstable();
        days.dedup();
        // Per family: its children's (slot, event); slot days.len() is "beyond year 5".
        let slots: Vec<(u64, Vec<(usize, bool)>)> = units
            .iter()
            .map(|u| {
                let kids = u
                    .children
                    .iter()
                    .map(|&(d, e)| (days.partition_point(|&x| x < d), e))
                    .collect();
                (u.key, kids)
            })
            .collect();
        let n_slots = days.len() + 1;
        let reps = boot.accumulate(
            s.bootstrap_reps,
            &slots,
            |u| u.0,
            || vec![[0u32; 2]; n_slots],
            |acc, u, count| {
                for &(slot, event) in &u.1 {
                    acc[slot][usize::from(!event)] += count;
                }
            },
        );
        let group = p.groups.get(cell_group(c)).to_string();
        let arm = arm_label(cell_arm(c)).to_string();
        for (k, &h) in horizons.iter().enumerate() {
            let values: Vec<f64> = reps
                .iter()
                .filter_map(|acc| survival_from_slots(acc, &days, h))
                .collect();
            if values.len() >= 2 {
                if let Ok(i) = percentile_interval(&values, 0.95) {
                    out.insert((group.clone(), arm.clone(), k as u32 + 1), i);
                }
            }
        }
    }
    out
}
