//! `followup_domains`: who was due, who was seen, and the share doing well, with the
//! non-response correction of docs/method.md section 2.
//!
//! The inverse-probability weights come from a logistic regression of "observed, given
//! due" per follow-up year on the intake covariates (country, risk level, household type,
//! service model dummies, the mean intake score and an indicator for a missing intake
//! assessment), fitted per arm (each arm its own model, so the comparison arm's shares are
//! weighted as the programme arm's are) on its exact covariate patterns as grouped
//! binomial data: the same maximum-likelihood fit as one row per family. Families that
//! died or moved abroad before a year's window opened are not due, so no respondent
//! stands in for them. Dummies of categories that
//! do not occur are not formed; a column the fit reports as collinear is dropped and the
//! model refitted. Weights are stabilised, `w = P(observed) / p(pattern)`, and a weighted
//! share's Wilson interval uses the Kish effective size. When the model cannot be fitted
//! (too few non-respondents, separation, no convergence) the year is reported unweighted
//! and a note says why.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ndarray::Array2;

use crate::stats::{wilson, wilson_share, LogisticParams, StatsError, Z_95};

use super::disclosure::withhold_small;
use super::groups::{arm_order, domain_order, group_order};
use super::partial::{cell_arm, cell_group, OutcomePartial, Pattern, OVERALL};
use super::record::{arm_label, YEARS};
use super::rows::FollowupRow;

/// Covariate pattern with its labels resolved, so its order does not depend on how
/// partial states were interned.
pub(crate) type PatternKey = (String, u8, u8, u8, u32, u32);

pub(crate) fn key(p: &OutcomePartial, pat: &Pattern) -> PatternKey {
    (
        p.countries.get(pat.country).to_string(),
        pat.risk,
        pat.household,
        pat.service_model,
        pat.score_sum,
        pat.score_n,
    )
}

/// Stabilised weight per pattern of arm `arm` for one year, or why there is none.
pub(crate) fn year_weights(
    p: &OutcomePartial,
    arm: u8,
    year: u8,
) -> Result<Option<HashMap<PatternKey, f64>>, String> {
    fit_weights(&p.ipw_fit, p, arm, year)
}

/// Stabilised weight per pattern of arm `arm` for one year, from the numbers due and
/// observed per (year, pattern) in `fit`, or why there is none.
pub(crate) fn fit_weights(
    fit: &super::partial::Map<(u8, Pattern), [u64; 2]>,
    p: &OutcomePartial,
    arm: u8,
    year: u8,
) -> Result<Option<HashMap<PatternKey, f64>>, String> {
    let mut rows: BTreeMap<PatternKey, [u64; 2]> = BTreeMap::new();
    for ((y, pat), v) in fit {
        if *y == year && pat.arm == arm {
            let e = rows.entry(key(p, pat)).or_default();
            e[0] += v[0];
            e[1] += v[1];
        }
    }
    let due: u64 = rows.values().map(|v| v[0]).sum();
    let observed: u64 = rows.values().map(|v| v[1]).sum();
    if due == 0 || observed == 0 {
        return Ok(None);
    }
    // Design columns: dummies of each categorical (first level present is the reference),
    // mean intake score, missing-intake indicator.
    let keys: Vec<&PatternKey> = rows.keys().collect();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    let countries: BTreeSet<&str> = keys.iter().map(|k| k.0.as_str()).collect();
    for c in countries.iter().skip(1) {
        columns.push(
            keys.iter()
                .map(|k| f64::from(u8::from(k.0 == *c)))
                .collect(),
        );
    }
    for field in 0..3 {
        let get = |k: &PatternKey| [k.1, k.2, k.3][field];
        let levels: BTreeSet<u8> = keys.iter().map(|k| get(k)).collect();
        for l in levels.iter().skip(1) {
            columns.push(
                keys.iter()
                    .map(|k| f64::from(u8::from(get(k) == *l)))
                    .collect(),
            );
        }
    }
    let any_missing = keys.iter().any(|k| k.5 == 0);
    let any_present = keys.iter().any(|k| k.5 > 0);
    if any_present {
        columns.push(
            keys.iter()
                .map(|k| {
                    if k.5 > 0 {
                        f64::from(k.4) / f64::from(k.5)
                    } else {
                        0.0
                    }
                })
                .collect(),
        );
        if any_missing {
            columns.push(keys.iter().map(|k| f64::from(u8::from(k.5 == 0))).collect());
        }
    }
    // Two weighted rows per pattern: the observed and the missing.
    let counts: Vec<[u64; 2]> = rows.values().copied().collect();
    let mut y = Vec::with_capacity(2 * keys.len());
    let mut w = Vec::with_capacity(2 * keys.len());
    for c in &counts {
        y.extend([true, false]);
        w.extend([c[1] as f64, (c[0] - c[1]) as f64]);
    }
    let mut keep: Vec<usize> = (0..columns.len()).collect();
    let fit = loop {
        let mut x = Array2::<f64>::zeros((2 * keys.len(), keep.len()));
        for (j, &c) in keep.iter().enumerate() {
            for (i, v) in columns[c].iter().enumerate() {
                x[[2 * i, j]] = *v;
                x[[2 * i + 1, j]] = *v;
            }
        }
        match LogisticParams::new().fit(x.view(), &y, Some(&w)) {
            Ok(f) => break f,
            Err(StatsError::Singular { column }) if column >= 1 && column <= keep.len() => {
                keep.remove(column - 1);
            }
            Err(StatsError::TooFewInClass { class, count, .. }) => {
                let who = if class {
                    "respondents"
                } else {
                    "non-respondents"
                };
                return Err(format!("too few {who} (n={count})"));
            }
            Err(StatsError::Separation { .. }) => {
                return Err(
                    "the intake covariates separate respondents from non-respondents".into(),
                )
            }
            Err(e) => return Err(e.to_string()),
        }
    };
    if !fit.converged {
        return Err(format!(
            "the model did not converge in {} iterations",
            fit.iterations
        ));
    }
    let marginal = observed as f64 / due as f64;
    let mut out = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let row: Vec<f64> = keep.iter().map(|&c| columns[c][i]).collect();
        let prob = fit.predict(&row).map_err(|e| e.to_string())?;
        out.insert((*k).clone(), marginal / prob);
    }
    Ok(Some(out))
}

/// The rows of `followup_domains`, adding a note per year without weights.
pub fn rows(p: &OutcomePartial, notes: &mut Vec<String>) -> Vec<FollowupRow> {
    let by = &p.settings.by;
    let glabel = |g: u32| p.groups.get(g).to_string();
    let dlabel = |d: u32| {
        if d == OVERALL {
            "overall".to_string()
        } else {
            p.domains.get(d).to_string()
        }
    };
    // Weighted sums per (group, arm, domain, year) in a fixed order: each arm's shares
    // are weighted by its own non-response model.
    let mut weighted: BTreeMap<(String, u8, String, u8), [f64; 3]> = BTreeMap::new();
    let arms: BTreeSet<u8> = p.ipw_fit.keys().map(|(_, pat)| pat.arm).collect();
    for &arm in &arms {
        for year in 0..YEARS as u8 {
            let weights = match year_weights(p, arm, year) {
                Ok(Some(w)) => w,
                Ok(None) => continue,
                Err(why) => {
                    notes.push(format!(
                    "IPW not fitted for year {} ({} arm): {why}; that year of that arm is reported unweighted only",
                    year + 1,
                    arm_label(arm),
                ));
                    continue;
                }
            };
            let mut cells: Vec<((String, String, PatternKey), [u64; 2])> = p
                .ipw_cells
                .iter()
                .filter(|((_, _, y, pat), _)| *y == year && pat.arm == arm)
                .map(|((g, d, _, pat), v)| ((glabel(cell_group(*g)), dlabel(*d), key(p, pat)), *v))
                .collect();
            cells.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for ((g, d, k), v) in cells {
                let w = weights[&k];
                let e = weighted.entry((g, arm, d, year)).or_default();
                e[0] += v[0] as f64 * w;
                e[1] += v[1] as f64 * w;
                e[2] += v[0] as f64 * w * w;
            }
        }
    }

    // Domains reported per group: every domain observed in any year, and overall.
    let mut domains: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for &(g, d, _) in p.followup.keys() {
        domains.entry(g).or_default().insert(d);
    }
    // A cell is reported when the arm was followed up at all (some assessment in some
    // year); a comparison arm without follow-up assessments is not.
    let seen_arms: BTreeSet<u8> = p
        .followup
        .iter()
        .filter(|((_, d, _), v)| *d == OVERALL && v[0] > 0)
        .map(|((c, _, _), _)| cell_arm(*c))
        .collect();
    let mut cells: BTreeSet<(u32, u8)> = p.due.keys().copied().collect();
    cells.extend(p.gone.keys().copied());
    let mut out: Vec<(FollowupRow, u64)> = Vec::new();
    for (g, y) in cells {
        let due = p.due.get(&(g, y)).copied().unwrap_or(0);
        let gone = p.gone.get(&(g, y)).copied().unwrap_or(0);
        let arm = cell_arm(g);
        if !seen_arms.contains(&arm) {
            continue;
        }
        let group = glabel(cell_group(g));
        let mut ds: BTreeSet<u32> = domains.get(&g).cloned().unwrap_or_default();
        ds.insert(OVERALL);
        for d in ds {
            let [observed, well] = p.followup.get(&(g, d, y)).copied().unwrap_or_default();
            let domain = dlabel(d);
            let ci = wilson(well as f64, observed as f64, Z_95).ok().flatten();
            let ws = weighted
                .get(&(group.clone(), arm, domain.clone(), y))
                .and_then(|s| {
                    if s[0] <= 0.0 {
                        return None;
                    }
                    let share = (s[1] / s[0]).clamp(0.0, 1.0);
                    let n_eff = s[0] * s[0] / s[2];
                    let i = wilson_share(share, n_eff, Z_95).ok().flatten()?;
                    Some((share, i))
                });
            out.push((
                FollowupRow {
                    group: group.clone(),
                    arm: arm_label(arm).to_string(),
                    domain,
                    year: u32::from(y) + 1,
                    due: Some(due),
                    deceased_or_abroad: Some(gone),
                    observed: Some(observed),
                    response_rate: (due > 0).then(|| observed as f64 / due as f64),
                    doing_well: Some(well),
                    share: (observed > 0).then(|| well as f64 / observed as f64),
                    ci_low: ci.map(|i| i.low),
                    ci_high: ci.map(|i| i.high),
                    share_weighted: ws.map(|w| w.0),
                    ci_low_weighted: ws.map(|w| w.1.low),
                    ci_high_weighted: ws.map(|w| w.1.high),
                    suppressed: false,
                },
                observed,
            ));
        }
    }
    out.sort_by(|a, b| {
        let ka = (
            group_order(&a.0.group, by),
            arm_order(&a.0.arm),
            domain_order(&a.0.domain),
            a.0.year,
        );
        let kb = (
            group_order(&b.0.group, by),
            arm_order(&b.0.arm),
            domain_order(&b.0.domain),
            b.0.year,
        );
        ka.cmp(&kb)
    });
    withhold_small(out, p.settings.min_cell, |r, size| {
        ((r.arm.clone(), r.domain.clone(), r.year), *size)
    })
}
