//! The published side of the adjustment: the adjusted estimates beside the unadjusted
//! ones, with bootstrap intervals, the balance and overlap diagnostics, and the E-values
//! (docs/outputs.md: `adjusted_estimates`, `balance`, `propensity_overlap`,
//! `sensitivity`, and the `ipw_did` / `dr_did` rows of `income_effect`).

use serde::{Deserialize, Serialize};

use super::adjusted::STAGES;
use super::{Cohort, Sums};
use crate::adjust::balance::{self, BalanceRow, Diagnostics, OverlapRow};
use crate::adjust::design::Design;
use crate::adjust::sensitivity::{self, EValueRow};
use crate::dates::{add_years, Day};
use crate::outcomes::record::YEARS;
use crate::outcomes::IncomeEffectRow;
use crate::settings::{AdjustMethod, Adjustment, Weighting};
use crate::stats::{
    percentile_interval, survival_from_slots, survival_from_weighted_slots, weighted_log_rank,
};

/// `tables/adjusted_estimates`: each comparison-arm estimate unadjusted and adjusted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdjustedEstimateRow {
    /// `survival` (child level: share not placed since exit), `doing_well` (overall),
    /// `placement_incidence` (1 - survival at the horizon), `avoided_placements` (at the
    /// horizon, programme children at risk x (F_c - F_p)), `pre_trend_did` (the placebo
    /// difference in differences of the income change before intake, year 0).
    pub estimand: String,
    /// `programme`, `comparison`, or `contrast` (avoided placements).
    pub arm: String,
    /// Years after exit (the horizon for `placement_incidence` and `avoided_placements`).
    pub year: f64,
    /// `unadjusted`, or the weights: `att` or `overlap` (with `_trimmed` when trimmed).
    pub method: String,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// The adjustment's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustedTables {
    /// Which estimates feed the SROI model.
    pub method: AdjustMethod,
    pub weights: Weighting,
    pub trim: Option<(f64, f64)>,
    /// The propensity model's columns, and the default covariates left out (with why).
    pub covariates: Vec<String>,
    pub dropped: Vec<String>,
    pub balance: Vec<BalanceRow>,
    pub overlap: Vec<OverlapRow>,
    pub diagnostics: Diagnostics,
    pub warnings: Vec<String>,
    pub estimates: Vec<AdjustedEstimateRow>,
    /// `ipw_did` and `dr_did` rows for `income_effect` (group `all`).
    pub income_effect: Vec<IncomeEffectRow>,
    pub evalues: Vec<EValueRow>,
    /// Log-rank test between the arms with the propensity weights (placement after exit,
    /// child level, to the horizon), chi-square and p-value; it treats the weights as
    /// known.
    pub log_rank_weighted: Option<(f64, f64)>,
}

/// What the tables are built from.
pub(super) struct Inputs<'a> {
    pub cohort: &'a Cohort,
    pub design: &'a Design,
    pub base: &'a Sums,
    pub replicates: &'a [Sums],
    pub days: &'a [Vec<i32>; 2],
    pub horizon_day: Day,
    pub horizon_years: f64,
    pub adjustment: &'a Adjustment,
    pub method: AdjustMethod,
    pub min_cell: u64,
    /// Follow-up years (0-based) whose income effect is measured.
    pub income_years: &'a [usize],
}

fn interval(values: Vec<f64>) -> (Option<f64>, Option<f64>) {
    match percentile_interval(&values, 0.95) {
        Ok(i) => (Some(i.low), Some(i.high)),
        Err(_) => (None, None),
    }
}

pub(super) fn build(x: &Inputs<'_>) -> Option<AdjustedTables> {
    let adj = x.cohort.adj.as_ref()?;
    let base_adj = x.base.adj.as_ref()?;
    let units = &x.cohort.units;
    let weights: Vec<f64> = units
        .iter()
        .map(|u| adj.weight(u.index, u.arm == 0, None))
        .collect();
    let balance = balance::balance(x.design, &weights, x.min_cell);
    let diagnostics = balance::diagnostics(&x.design.programme, &adj.ps.score, &weights, &balance);
    let mut warnings = diagnostics.warnings();
    if x.adjustment.trim.is_some() {
        warnings.push(format!(
            "trimming leaves out {} programme and {} comparison families with a propensity outside the range: the estimates are for the families kept, not all the programme's",
            diagnostics.trimmed_programme, diagnostics.trimmed_comparison
        ));
    }
    let overlap = balance::overlap(&x.design.programme, &adj.ps.score, x.min_cell);
    let method_label = format!(
        "{}{}",
        x.adjustment.weights.name(),
        if x.adjustment.trim.is_some() {
            "_trimmed"
        } else {
            ""
        }
    );

    // Unadjusted and adjusted survival of an arm at a day.
    let s_un = |s: &Sums, arm: usize, d: Day| survival_from_slots(&s.km[arm], &x.days[arm], d);
    let s_adj = |s: &Sums, arm: usize, d: Day| {
        s.adj
            .as_ref()
            .and_then(|a| survival_from_weighted_slots(&a.km[arm], &x.days[arm], d))
    };
    let mut estimates = Vec::new();
    let mut row =
        |estimand: &str, arm: &str, year: f64, adjusted: bool, f: &dyn Fn(&Sums) -> Option<f64>| {
            let est = f(x.base);
            let (lo, hi) = interval(x.replicates.iter().filter_map(f).collect());
            estimates.push(AdjustedEstimateRow {
                estimand: estimand.into(),
                arm: arm.into(),
                year,
                method: if adjusted {
                    method_label.clone()
                } else {
                    "unadjusted".into()
                },
                estimate: est,
                ci_low: est.and(lo),
                ci_high: est.and(hi),
            });
        };
    for (arm, name) in [(0usize, "programme"), (1, "comparison")] {
        for k in 1..=YEARS {
            let d = add_years(0, k as f64);
            row("survival", name, k as f64, false, &|s| s_un(s, arm, d));
            row("survival", name, k as f64, true, &|s| s_adj(s, arm, d));
        }
        let h = x.horizon_day;
        row("placement_incidence", name, x.horizon_years, false, &|s| {
            s_un(s, arm, h).map(|v| 1.0 - v)
        });
        row("placement_incidence", name, x.horizon_years, true, &|s| {
            s_adj(s, arm, h).map(|v| 1.0 - v)
        });
    }
    for k in 0..YEARS {
        let share_un = |s: &Sums| {
            let c = &s.doing[k][1];
            (c[0] > 0.0).then(|| c[1] / c[0])
        };
        let share_adj = |s: &Sums| s.adj.as_ref().and_then(|a| a.comparison_share(k));
        row("doing_well", "comparison", (k + 1) as f64, false, &share_un);
        row("doing_well", "comparison", (k + 1) as f64, true, &share_adj);
    }
    let h = x.horizon_day;
    let avoided = |adjusted: bool| {
        move |s: &Sums| {
            let f = |arm| {
                if adjusted {
                    s_adj(s, arm, h)
                } else {
                    s_un(s, arm, h)
                }
                .map(|v| 1.0 - v)
            };
            // The programme's children at risk of the data (fixed by design).
            Some(x.base.at_risk * (f(1)? - f(0)?))
        }
    };
    row(
        "avoided_placements",
        "contrast",
        x.horizon_years,
        false,
        &avoided(false),
    );
    row(
        "avoided_placements",
        "contrast",
        x.horizon_years,
        true,
        &avoided(true),
    );
    // The pre-trend check: both arms' income change between their earliest and latest
    // incomes before intake, when enough families of each arm have one.
    let pre_n = |arm: usize| x.base.pre[arm][1];
    if pre_n(0) >= x.min_cell as f64 && pre_n(1) >= x.min_cell as f64 {
        row("pre_trend_did", "contrast", 0.0, false, &|s| {
            super::adjusted::pre_trend(&s.pre)
        });
        row("pre_trend_did", "contrast", 0.0, true, &|s| {
            s.adj.as_ref().and_then(|a| a.pre_trend())
        });
    }

    // Income: ipw_did and dr_did at exit (stage 0) and by year.
    let mut income_effect = Vec::new();
    for k in 0..STAGES {
        let n = |arm: usize| base_adj.income[k][arm][3];
        let (np, nc) = (n(0), n(1));
        let small = np < x.min_cell as f64 || nc < x.min_cell as f64;
        if np == 0.0 || nc == 0.0 {
            continue;
        }
        for (name, dr) in [("ipw_did", false), ("dr_did", true)] {
            let fitted = adj.gamma[k].is_some();
            if dr && !fitted {
                continue;
            }
            let est = |s: &Sums| {
                let a = s.adj.as_ref()?;
                if dr {
                    a.dr(k, true)
                } else {
                    a.ipw(k)
                }
            };
            let mean = |arm: usize| {
                let s = &base_adj.income[k][arm];
                (s[1] > 0.0).then(|| if dr { s[2] / s[1] } else { s[0] / s[1] })
            };
            let (lo, hi) = interval(x.replicates.iter().filter_map(est).collect());
            let keep = |v: Option<f64>| if small { None } else { v };
            income_effect.push(IncomeEffectRow {
                group: "all".into(),
                year: k as u32,
                n_programme: (!small).then_some(np as u64),
                n_comparison: (!small).then_some(nc as u64),
                mean_delta_programme: keep(mean(0)),
                mean_delta_comparison: keep(mean(1)),
                effect: keep(est(x.base)),
                ci_low: keep(lo),
                ci_high: keep(hi),
                mean_delta_programme_weighted: None,
                mean_delta_comparison_weighted: None,
                effect_weighted: None,
                ci_low_weighted: None,
                ci_high_weighted: None,
                method: name.into(),
                suppressed: small,
            });
        }
    }

    // E-values of the estimates that feed the SROI.
    let adjusted = x.method != AdjustMethod::None;
    let fp_fc = |s: &Sums| -> Option<(f64, f64)> {
        let f = |arm| {
            if adjusted {
                s_adj(s, arm, h)
            } else {
                s_un(s, arm, h)
            }
            .map(|v| 1.0 - v)
        };
        Some((f(0)?, f(1)?))
    };
    let mut evalues = Vec::new();
    if let Some(f) = fp_fc(x.base) {
        let reps: Vec<(f64, f64)> = x.replicates.iter().filter_map(fp_fc).collect();
        evalues.extend(sensitivity::placement(f, &reps));
    }
    let dr = x.method == AdjustMethod::Dr;
    let annual = |s: &Sums| -> Option<f64> {
        if x.income_years.is_empty() {
            return None;
        }
        let mut total = 0.0;
        for &k in x.income_years {
            total += if adjusted {
                let a = s.adj.as_ref()?;
                a.dr(k + 1, dr && adj.gamma[k + 1].is_some())
                    .or_else(|| a.ipw(k + 1))?
            } else {
                let m = |arm: usize| s.income[k][arm][0] / s.income[k][arm][2];
                m(0) - m(1)
            };
        }
        Some(total / x.income_years.len() as f64)
    };
    if let Some(effect) = annual(x.base) {
        // The SD of the outcome: the comparison arm's income changes in those years.
        let deltas: Vec<f64> = units
            .iter()
            .filter(|u| u.arm == 1)
            .flat_map(|u| {
                x.income_years
                    .iter()
                    .filter(|&&k| u.has_delta[k] > 0.0)
                    .map(|&k| u.deltas[k])
            })
            .collect();
        if deltas.len() > 1 {
            let m = deltas.iter().sum::<f64>() / deltas.len() as f64;
            let sd = (deltas.iter().map(|d| (d - m) * (d - m)).sum::<f64>()
                / (deltas.len() - 1) as f64)
                .sqrt();
            let reps: Vec<f64> = x.replicates.iter().filter_map(annual).collect();
            evalues.extend(sensitivity::income(effect, &reps, sd));
        }
    }

    // Weighted log-rank between the arms to the horizon, each arm's weights scaled to
    // mean 1 (the statistic depends on their scale).
    let mut lists: [Vec<(i32, bool, f64)>; 2] = [Vec::new(), Vec::new()];
    for (u, w) in units.iter().zip(&weights) {
        for &(slot, event) in &x.cohort.kids[u.kids.0..u.kids.1] {
            if let Some(&day) = x.days[u.arm].get(slot as usize) {
                lists[u.arm].push((day, event, *w));
            }
        }
        for _ in 0..u.beyond {
            lists[u.arm].push((x.horizon_day + 1, false, *w));
        }
    }
    for l in &mut lists {
        let mean = l.iter().map(|t| t.2).sum::<f64>() / l.len().max(1) as f64;
        if mean > 0.0 {
            l.iter_mut().for_each(|t| t.2 /= mean);
        }
    }
    let log_rank_weighted = weighted_log_rank(&[&lists[0], &lists[1]])
        .ok()
        .map(|t| (t.chi_square, t.p_value));

    Some(AdjustedTables {
        method: x.method,
        weights: x.adjustment.weights,
        trim: x.adjustment.trim,
        covariates: adj.ps.columns.clone(),
        dropped: x.design.dropped.clone(),
        balance,
        overlap,
        diagnostics,
        warnings,
        estimates,
        income_effect,
        evalues,
        log_rank_weighted,
    })
}
