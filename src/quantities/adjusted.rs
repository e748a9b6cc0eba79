//! The adjusted comparison: the comparison arm weighted by the propensity model, measured
//! on the same per-family units and bootstrap replicates as the unadjusted quantities
//! (docs/method.md section 4.5).
//!
//! Per unit and replicate, the weight comes from the replicate's one-step refit of the
//! propensity model ([`crate::adjust::propensity`]); the doubly robust income effect's
//! outcome regressions (one per follow-up year, the income change on the covariates in
//! the comparison arm, weighted for income non-response) are refitted the same way. The
//! sums kept are those of the estimators:
//!
//! - `ipw_did` (year k): `sum_p w nr d / sum_p w nr - sum_c w nr d / sum_c w nr`, `d` the
//!   income change, `nr` the income non-response weight, `w` the propensity weight (1 for
//!   programme families under ATT weights);
//! - `dr_did` (Sant'Anna & Zhao 2020, panel data): the same with `d - m_k(X)` in place
//!   of `d`, `m_k` the comparison arm's regression of the change on the covariates;
//! - the weighted Kaplan-Meier curves of placement (both arms' weights, so that trimming
//!   and overlap weights apply to the programme as well);
//! - the comparison arm's weighted doing-well shares (weight x follow-up non-response
//!   weight).

use super::{Cohort, Unit};
use crate::adjust::propensity::{self, Propensity};
use crate::outcomes::record::YEARS;

/// The income stages of the adjusted effect: 0 = exit, 1..=5 = follow-up years.
pub(super) const STAGES: usize = YEARS + 1;

impl Unit {
    /// The income change at `stage` (0 = exit), 1 when there is one (else 0), and its
    /// income non-response weight (1 at exit: nobody is due at exit).
    fn stage(&self, stage: usize) -> (f64, f64, f64) {
        if stage == 0 {
            (self.exit_delta, self.has_exit_delta, self.has_exit_delta)
        } else {
            let k = stage - 1;
            (self.deltas[k], self.has_delta[k], self.delta_weight[k])
        }
    }
}
use crate::settings::{Adjustment, Weighting};
use crate::stats::linalg::Cholesky;
use crate::stats::PoissonBootstrap;

/// The fitted adjustment of a cohort: propensity model, outcome regressions and each
/// replicate's refit.
pub(super) struct AdjCohort {
    pub ps: Propensity,
    pub weighting: Weighting,
    pub trim: Option<(f64, f64)>,
    /// Per income stage: the outcome regression's coefficients (on the propensity
    /// model's standardised rows), when it could be fitted.
    pub gamma: [Option<Vec<f64>>; STAGES],
    /// Inverse Gram matrices of the outcome regressions.
    gram_inverse: [Option<ndarray::Array2<f64>>; STAGES],
    /// Per replicate: the propensity coefficients' step and the regressions' steps.
    steps: Vec<Vec<f64>>,
    gamma_steps: Vec<[Vec<f64>; STAGES]>,
    /// Per unit and income stage: the residual `d - x'gamma` of the full-data
    /// regression (0 where there is no change or no regression), computed once: each
    /// replicate then only subtracts `x'(its step)`.
    residual: Vec<[f64; STAGES]>,
}

/// The weighted sums of one replicate (or of the data).
#[derive(Debug, Clone)]
pub(super) struct AdjSums {
    /// Per year and arm: weighted families observed (x non-response weight), doing well.
    pub doing: [[[f64; 2]; 2]; YEARS],
    /// Per income stage and arm: `sum w nr d`, `sum w nr`, `sum w nr (d - m(X))`, and
    /// the families with a change (multiplicities, unweighted).
    pub income: [[[f64; 4]; 2]; STAGES],
    /// Per arm and survival slot: weighted (events, censored).
    pub km: [Vec<[f64; 2]>; 2],
    /// Per arm: weighted sum of the pre-intake income changes, and of the weights.
    pub pre: [[f64; 2]; 2],
}

impl AdjCohort {
    /// Fit the outcome regressions and each replicate's refit over the cohort's units
    /// (in the propensity model's row order).
    pub fn new(
        ps: Propensity,
        adjustment: &Adjustment,
        units: &[Unit],
        reps: usize,
        seed: u64,
    ) -> Self {
        let mut gamma: [Option<Vec<f64>>; STAGES] = Default::default();
        let mut gram_inverse: [Option<ndarray::Array2<f64>>; STAGES] = Default::default();
        for k in 0..STAGES {
            let rows: Vec<usize> = (0..units.len())
                .filter(|&i| units[i].arm == 1 && units[i].stage(k).1 > 0.0)
                .collect();
            if let Some((g, inv)) = outcome_regression(&ps, units, &rows, k) {
                gamma[k] = Some(g);
                gram_inverse[k] = Some(inv);
            }
        }
        let residual = units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                std::array::from_fn(|k| match &gamma[k] {
                    Some(g) if u.stage(k).1 > 0.0 => u.stage(k).0 - dot(ps.row(i), g),
                    _ => 0.0,
                })
            })
            .collect();
        let mut cohort = AdjCohort {
            ps,
            weighting: adjustment.weights,
            trim: adjustment.trim,
            gamma,
            gram_inverse,
            steps: Vec::new(),
            gamma_steps: Vec::new(),
            residual,
        };
        cohort.refit(units, reps, seed);
        cohort
    }

    /// Each replicate's one-step refit: the score sums `sum (m_i - 1) s_i` of the
    /// propensity model and of the outcome regressions, in one pass, times the inverse
    /// information.
    fn refit(&mut self, units: &[Unit], reps: usize, seed: u64) {
        let dim = self.ps.dim();
        let indexed: Vec<(usize, &Unit)> = units.iter().enumerate().collect();
        let scores = PoissonBootstrap::new(seed).accumulate(
            reps,
            &indexed,
            |(_, u)| u.key,
            || vec![0.0; dim * (1 + STAGES)],
            |acc, (i, u), c| {
                let times = f64::from(c) - 1.0;
                self.ps.add_score(*i, u.arm == 0, times, &mut acc[..dim]);
                if u.arm != 1 {
                    return;
                }
                let x = self.ps.row(*i);
                for k in 0..STAGES {
                    if self.gamma[k].is_some() {
                        let (_, has, nr) = u.stage(k);
                        if has > 0.0 {
                            let f = times * nr * self.residual[*i][k];
                            let part = &mut acc[dim * (1 + k)..dim * (2 + k)];
                            for (a, xa) in part.iter_mut().zip(x) {
                                *a += f * xa;
                            }
                        }
                    }
                }
            },
        );
        self.steps = scores.iter().map(|s| self.ps.step(&s[..dim])).collect();
        self.gamma_steps = scores
            .iter()
            .map(|s| {
                std::array::from_fn(|k| match &self.gram_inverse[k] {
                    Some(inv) => {
                        let g = &s[dim * (1 + k)..dim * (2 + k)];
                        (0..dim)
                            .map(|a| (0..dim).map(|b| inv[[a, b]] * g[b]).sum())
                            .collect()
                    }
                    None => Vec::new(),
                })
            })
            .collect();
    }

    /// The weight of unit `i` in replicate `b` (`None`: the data).
    pub fn weight(&self, i: usize, programme: bool, b: Option<usize>) -> f64 {
        if programme && self.weighting == Weighting::Att && self.trim.is_none() {
            return 1.0;
        }
        let eta = match b {
            Some(b) => self.ps.linear_after(i, &self.steps[b]),
            None => self.ps.linear[i],
        };
        propensity::weight(eta, programme, self.weighting, self.trim)
    }

    pub fn empty(&self, cohort: &Cohort) -> AdjSums {
        AdjSums {
            doing: [[[0.0; 2]; 2]; YEARS],
            income: [[[0.0; 4]; 2]; STAGES],
            km: [
                vec![[0.0; 2]; cohort.slots[0]],
                vec![[0.0; 2]; cohort.slots[1]],
            ],
            pre: [[0.0; 2]; 2],
        }
    }

    /// Add unit `i` counted `c` times in replicate `b` (`None`: the data).
    pub fn add(
        &self,
        cohort: &Cohort,
        acc: &mut AdjSums,
        u: &Unit,
        i: usize,
        c: u32,
        b: Option<usize>,
    ) {
        if c == 0 {
            return;
        }
        let w = self.weight(i, u.arm == 0, b) * f64::from(c);
        if w == 0.0 {
            return;
        }
        let x = self.ps.row(i);
        for k in 0..YEARS {
            let doing = &mut acc.doing[k][u.arm];
            doing[0] += w * u.observed[k];
            doing[1] += w * u.well[k];
        }
        for k in 0..STAGES {
            let (delta, has, nr) = u.stage(k);
            if has > 0.0 {
                let wn = w * nr;
                let inc = &mut acc.income[k][u.arm];
                inc[0] += wn * delta;
                inc[1] += wn;
                inc[3] += f64::from(c);
                if self.gamma[k].is_some() {
                    let mut r = self.residual[i][k];
                    if let Some(b) = b {
                        r -= dot(x, &self.gamma_steps[b][k]);
                    }
                    inc[2] += wn * r;
                }
            }
        }
        acc.pre[u.arm][0] += w * u.pre_delta;
        acc.pre[u.arm][1] += w * u.has_pre;
        let km = &mut acc.km[u.arm];
        for &(slot, event) in &cohort.kids[u.kids.0..u.kids.1] {
            km[slot as usize][usize::from(!event)] += w;
        }
        if let Some(last) = km.last_mut() {
            last[1] += w * f64::from(u.beyond);
        }
    }
}

/// The outcome regression of income stage `k`: weighted least squares of the income change on
/// the propensity model's rows over the comparison families `rows` (weights: income
/// non-response). Columns without variation among them (a missing-income indicator,
/// say: a family with an income change has an intake income) and columns collinear with
/// earlier ones are left out (coefficient 0). Returns the coefficients and the inverse
/// Gram matrix (zero outside the columns kept); `None` with no more families than
/// columns.
fn outcome_regression(
    ps: &Propensity,
    units: &[Unit],
    rows: &[usize],
    k: usize,
) -> Option<(Vec<f64>, ndarray::Array2<f64>)> {
    let dim = ps.dim();
    let varies = |j: usize| {
        let first = rows.first().map(|&i| ps.row(i)[j]);
        rows.iter().any(|&i| Some(ps.row(i)[j]) != first)
    };
    // The intercept, then every column that varies.
    let mut active: Vec<usize> = std::iter::once(0)
        .chain((1..dim).filter(|&j| varies(j)))
        .collect();
    loop {
        let p = active.len();
        if rows.len() <= p {
            return None;
        }
        let mut g = ndarray::Array2::<f64>::zeros((p, p));
        let mut h = ndarray::Array1::<f64>::zeros(p);
        for &i in rows {
            let x = ps.row(i);
            let (delta, _, nr) = units[i].stage(k);
            for (a, &ja) in active.iter().enumerate() {
                h[a] += nr * x[ja] * delta;
                for (b, &jb) in active.iter().enumerate().take(a + 1) {
                    g[[a, b]] += nr * x[ja] * x[jb];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                g[[b, a]] = g[[a, b]];
            }
        }
        match Cholesky::factor(&g) {
            Ok(c) => {
                let sol = c.solve(&h).ok()?;
                let inv = c.inverse();
                let mut gamma = vec![0.0; dim];
                let mut full = ndarray::Array2::<f64>::zeros((dim, dim));
                for (a, &ja) in active.iter().enumerate() {
                    gamma[ja] = sol[a];
                    for (b, &jb) in active.iter().enumerate() {
                        full[[ja, jb]] = inv[[a, b]];
                    }
                }
                return Some((gamma, full));
            }
            // Drop the collinear column (never the intercept) and refit.
            Err(crate::stats::StatsError::Singular { column }) if column > 0 && column < p => {
                active.remove(column);
            }
            Err(_) => return None,
        }
    }
}

/// The programme's mean pre-intake income change minus the comparison arm's, from the
/// per-arm sums `[sum of changes, families]`.
pub(super) fn pre_trend(pre: &[[f64; 2]; 2]) -> Option<f64> {
    let m = |arm: usize| (pre[arm][1] > 0.0).then(|| pre[arm][0] / pre[arm][1]);
    Some(m(0)? - m(1)?)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl AdjSums {
    /// `ipw_did` of income stage `k` (0 = exit, 1..=5 = years).
    pub fn ipw(&self, k: usize) -> Option<f64> {
        let m = |arm: usize| {
            let s = &self.income[k][arm];
            (s[1] > 0.0).then(|| s[0] / s[1])
        };
        Some(m(0)? - m(1)?)
    }

    /// `dr_did` of income stage `k`, when its outcome regression was fitted.
    pub fn dr(&self, k: usize, fitted: bool) -> Option<f64> {
        if !fitted {
            return None;
        }
        let m = |arm: usize| {
            let s = &self.income[k][arm];
            (s[1] > 0.0).then(|| s[2] / s[1])
        };
        Some(m(0)? - m(1)?)
    }

    /// The weighted pre-trend (placebo) difference in differences.
    pub fn pre_trend(&self) -> Option<f64> {
        pre_trend(&self.pre)
    }

    /// The comparison arm's weighted doing-well share in year `k`.
    pub fn comparison_share(&self, k: usize) -> Option<f64> {
        let s = &self.doing[k][1];
        (s[0] > 0.0).then(|| s[1] / s[0])
    }
}

#[cfg(test)]
mod tests {
    use crate::dates::{from_ymd, Day};
    use crate::outcomes::test_data::Builder;
    use crate::outcomes::OutcomeOptions;
    use crate::quantities::sroi_quantities_with;
    use crate::settings::{AdjustMethod, Adjustment};

    const INTAKE: u8 = 0;
    const FOLLOW_UP: u8 = 3;
    const PRE_INTAKE: u8 = 4;

    fn day(y: i32, m: u32, d: u32) -> Day {
        from_ymd(y, m, d).unwrap_or_default()
    }

    /// Risk low: 5 programme families (income change 120 a year) and 10 comparison (5 at
    /// 0, 5 at 120); risk high: 10 programme (5 at 240, 5 at 360) and 5 comparison (240).
    /// The propensity model on risk alone is saturated: p = 1/3 (low), 2/3 (high), so a
    /// comparison family's ATT weight is its cell's odds, 0.5 or 2.
    /// - Unadjusted: 240 - (0 + 600 + 1200) / 15 = 240 - 120 = 120.
    /// - ipw_did: 240 - (0.5 x 600 + 2 x 1200) / (0.5 x 10 + 2 x 5) = 240 - 180 = 60.
    /// - dr_did: m(low) = 60, m(high) = 240 (comparison means); programme residuals
    ///   (5 x 60 + 5 x 0 + 5 x 120) / 15 = 60; comparison weighted residuals
    ///   (0.5 x (5 x -60 + 5 x 60) + 2 x 5 x 0) / 15 = 0; 60 - 0 = 60.
    fn confounded() -> crate::ingest::Dataset {
        let e = day(2020, 1, 1);
        let mut b = Builder::new(day(2025, 12, 31));
        let mut add = |arm: u8, risk: u8, n: usize, delta: f64| {
            for _ in 0..n {
                let f = b.family(arm, 0, risk, e - 200, Some(e));
                b.income(f, e - 190, INTAKE, 100.0);
                b.income(f, e + 365, FOLLOW_UP, 100.0 + delta / 12.0);
                // Two incomes before intake: a change of 60 a year in the programme,
                // 0 (low risk) and 120 (high risk) in the comparison arm.
                let pre = match (arm, risk) {
                    (0, _) => 60.0,
                    (_, 0) => 0.0,
                    _ => 120.0,
                };
                b.income(f, e - 930, PRE_INTAKE, 90.0);
                b.income(f, e - 565, PRE_INTAKE, 90.0 + pre / 12.0);
            }
        };
        add(0, 0, 5, 120.0);
        add(1, 0, 5, 0.0);
        add(1, 0, 5, 120.0);
        add(0, 2, 5, 240.0);
        add(0, 2, 5, 360.0);
        add(1, 2, 5, 240.0);
        b.build()
    }

    fn adjustment(method: AdjustMethod) -> Adjustment {
        Adjustment {
            method,
            covariates: Some(vec!["risk_level".to_string()]),
            ..Adjustment::default()
        }
    }

    #[test]
    fn ipw_and_dr_did_by_hand() {
        let opts = OutcomeOptions::new()
            .with_min_cell(5)
            .with_bootstrap_reps(50)
            .with_seed(3);
        let q = sroi_quantities_with(
            &confounded(),
            &opts,
            5.0,
            None,
            Some(&adjustment(AdjustMethod::Ipw)),
        )
        .unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
        assert!(
            close(q.base.get("income_effect_y1").unwrap(), 60.0),
            "{:?}",
            q.base
        );
        let alt = q.alternative.as_ref().unwrap();
        assert_eq!(alt.method, AdjustMethod::None);
        assert!(close(alt.base.get("income_effect_y1").unwrap(), 120.0));
        let a = q.adjusted.as_ref().unwrap();
        let row = |m: &str| {
            a.income_effect
                .iter()
                .find(|r| r.year == 1 && r.method == m)
                .unwrap()
        };
        assert!(close(row("ipw_did").effect.unwrap(), 60.0));
        assert!(close(row("dr_did").effect.unwrap(), 60.0));
        assert!(close(row("ipw_did").mean_delta_comparison.unwrap(), 180.0));
        assert!(close(row("dr_did").mean_delta_programme.unwrap(), 60.0));
        assert_eq!(row("ipw_did").n_comparison, Some(15));
        // Balance: high risk is 2/3 of the programme, 1/3 of the comparison arm before
        // weighting and 2/3 after.
        let high = a
            .balance
            .iter()
            .find(|r| r.level.as_deref() == Some("high"))
            .unwrap();
        assert!(close(high.mean_comparison.unwrap(), 1.0 / 3.0));
        assert!(close(high.mean_comparison_weighted.unwrap(), 2.0 / 3.0));
        assert!(high.smd_after.unwrap().abs() < 1e-6 && high.smd_before.unwrap() > 0.6);
        // ESS of weights 0.5 x 10 and 2 x 5: 15^2 / (10 x 0.25 + 5 x 4) = 10.
        assert!(close(a.diagnostics.ess_comparison_after, 10.0));
        // Pre-trend: 60 - (10 x 0 + 5 x 120) / 15 = 20 unadjusted; weighted
        // 60 - (0.5 x 10 x 0 + 2 x 5 x 120) / 15 = -20.
        let pre = |m: &str| {
            a.estimates
                .iter()
                .find(|r| r.estimand == "pre_trend_did" && r.method == m)
                .and_then(|r| r.estimate)
                .unwrap()
        };
        assert!(close(pre("unadjusted"), 20.0) && close(pre("att"), -20.0));
        // Under dr the same here (the outcome model is saturated).
        let q = sroi_quantities_with(
            &confounded(),
            &opts,
            5.0,
            None,
            Some(&adjustment(AdjustMethod::Dr)),
        )
        .unwrap();
        assert!(close(q.base.get("income_effect_y1").unwrap(), 60.0));
    }

    #[test]
    fn an_impossible_adjustment_is_an_error_only_when_it_feeds_the_sroi() {
        let opts = OutcomeOptions::new()
            .with_min_cell(5)
            .with_bootstrap_reps(10);
        let mut adj = adjustment(AdjustMethod::Ipw);
        adj.covariates = Some(vec!["caste".to_string()]);
        let e = sroi_quantities_with(&confounded(), &opts, 5.0, None, Some(&adj)).unwrap_err();
        assert!(e.to_string().contains("caste"), "{e}");
        adj.method = AdjustMethod::None;
        let q = sroi_quantities_with(&confounded(), &opts, 5.0, None, Some(&adj)).unwrap();
        assert!(q.adjusted.is_none());
        assert!(q.notes.iter().any(|n| n.contains("caste")), "{:?}", q.notes);
    }
}
