//! Weighted Kaplan-Meier and the weighted log-rank test.
//!
//! A comparison group reweighted to resemble the programme families (inverse probability of
//! treatment weights, entropy balancing) is summarised by a weighted survival curve: every
//! family counts with its weight in the numbers at risk and the events. At each distinct day
//! with summed event weight `d_w` among summed weight at risk `n_w` (time >= day), survival
//! is multiplied by `1 - d_w / n_w`. At tied days events precede censorings, as in
//! [`super::survival`] (R `survfit(weights = )`, lifelines `KaplanMeierFitter(weights=)`).
//! With all weights 1 this is exactly the unweighted Kaplan-Meier estimate, and with integer
//! weights it equals the estimate on the rows replicated that many times.
//!
//! No variance or interval is provided on purpose: Greenwood's formula with weighted counts
//! treats the weights as known frequencies, which estimated propensity weights are not, and
//! it understates the uncertainty. Kinsight takes the interval of a weighted curve from its
//! family-level bootstrap, re-estimating the weights in every replicate (Austin 2016,
//! "Variance estimation when using inverse probability of treatment weighting (IPTW) with
//! survival analysis", Stat Med 35:5642-5655).
//!
//! The Kish effective number at risk, `(sum w)^2 / sum w^2` over the families still at risk,
//! says how much information is left in the tail of a weighted curve: a few heavy weights can
//! hold a large weighted number at risk while carrying the information of a handful of
//! families.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::linalg::Cholesky;
use super::StatsError;

/// One step of a weighted Kaplan-Meier curve: a distinct day with an event or a censoring
/// of positive weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedKmStep {
    /// The day (days since day 0).
    pub day: i32,
    /// Summed weight at risk just before this day (time >= day).
    pub at_risk: f64,
    /// Kish effective number at risk, `(sum w)^2 / sum w^2` over the units at risk.
    pub effective_at_risk: f64,
    /// Summed weight of the events on this day.
    pub events: f64,
    /// Summed weight of the censorings on this day.
    pub censored: f64,
    /// Survival just after this day.
    pub survival: f64,
}

/// A weighted Kaplan-Meier curve (point estimates only; see the module documentation for
/// why there is no interval).
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedKm {
    n: usize,
    total_weight: f64,
    steps: Vec<WeightedKmStep>,
}

/// Per-day weighted sums: events, censorings, and the squares of all weights on the day.
#[derive(Debug, Clone, Copy, Default)]
struct DaySums {
    events: f64,
    censored: f64,
    squares: f64,
}

/// Checks every weight and returns the units with positive weight, sorted by day. Units of
/// weight 0 take no part in any estimate, so they are dropped rather than creating steps.
fn checked_sorted(units: &[(i32, bool, f64)]) -> Result<Vec<(i32, bool, f64)>, StatsError> {
    for (index, &(_, _, w)) in units.iter().enumerate() {
        if !w.is_finite() || w < 0.0 {
            return Err(StatsError::InvalidValue {
                what: "weights",
                index,
                value: w,
                expected: "finite and non-negative",
            });
        }
    }
    let mut kept: Vec<(i32, bool, f64)> = units.iter().copied().filter(|u| u.2 > 0.0).collect();
    kept.sort_by_key(|u| u.0);
    Ok(kept)
}

/// The per-day sums of sorted units, in day order. The squares are of the weights divided
/// by `max` (the largest weight), so that they cannot overflow.
fn day_sums(sorted: &[(i32, bool, f64)], max: f64) -> Vec<(i32, DaySums)> {
    let mut days: Vec<(i32, DaySums)> = Vec::new();
    for &(day, event, w) in sorted {
        if days.last().is_none_or(|(d, _)| *d != day) {
            days.push((day, DaySums::default()));
        }
        if let Some((_, s)) = days.last_mut() {
            if event {
                s.events += w;
            } else {
                s.censored += w;
            }
            s.squares += (w / max) * (w / max);
        }
    }
    days
}

impl WeightedKm {
    /// The weighted curve of `(day, event, weight)` units; `event = false` is a censoring.
    ///
    /// # Errors
    /// [`StatsError::InvalidValue`] if a weight is negative, NaN or infinite;
    /// [`StatsError::Empty`] if no unit has a positive weight.
    pub fn new(units: &[(i32, bool, f64)]) -> Result<Self, StatsError> {
        let sorted = checked_sorted(units)?;
        if sorted.is_empty() {
            return Err(StatsError::Empty {
                what: "units with positive weight",
            });
        }
        let max = sorted.iter().fold(0.0_f64, |m, u| m.max(u.2));
        let days = day_sums(&sorted, max);
        // Numbers at risk as suffix sums from the last day backwards, not as a running
        // subtraction from the total: no cancellation drift, and when everyone left at risk
        // has the event, `n_w` equals `d_w` exactly and survival drops to exactly 0.
        let mut at_risk = vec![(0.0_f64, 0.0_f64); days.len()];
        let mut later = (0.0_f64, 0.0_f64);
        for (slot, (_, s)) in at_risk.iter_mut().zip(&days).rev() {
            later = (s.events + s.censored + later.0, s.squares + later.1);
            *slot = later;
        }
        let mut survival = 1.0_f64;
        let mut steps = Vec::with_capacity(days.len());
        for (&(day, s), &(n, sq)) in days.iter().zip(&at_risk) {
            if s.events > 0.0 && survival > 0.0 {
                survival = if s.events >= n {
                    0.0
                } else {
                    survival * ((n - s.events) / n)
                };
            }
            steps.push(WeightedKmStep {
                day,
                at_risk: n,
                effective_at_risk: (n / max) * (n / max) / sq,
                events: s.events,
                censored: s.censored,
                survival,
            });
        }
        Ok(Self {
            n: sorted.len(),
            total_weight: at_risk.first().map_or(0.0, |a| a.0),
            steps,
        })
    }

    /// Number of units with positive weight.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Summed weight of all units.
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    /// The steps, one per distinct day with an event or censoring, in day order.
    pub fn steps(&self) -> &[WeightedKmStep] {
        &self.steps
    }

    /// Survival at `day` (1 before the first event; right-continuous: events on `day`
    /// count).
    pub fn survival_at(&self, day: i32) -> f64 {
        let after = self.steps.partition_point(|s| s.day <= day);
        after
            .checked_sub(1)
            .and_then(|i| self.steps.get(i))
            .map_or(1.0, |s| s.survival)
    }

    /// The first step on or after `day`: its at-risk figures are those just before `day`.
    fn step_from(&self, day: i32) -> Option<&WeightedKmStep> {
        self.steps.get(self.steps.partition_point(|s| s.day < day))
    }

    /// Summed weight at risk just before `day` (time >= `day`); 0 after the last unit.
    pub fn at_risk_weight_at(&self, day: i32) -> f64 {
        self.step_from(day).map_or(0.0, |s| s.at_risk)
    }

    /// Kish effective number at risk just before `day`; 0 after the last unit.
    pub fn effective_at_risk_at(&self, day: i32) -> f64 {
        self.step_from(day).map_or(0.0, |s| s.effective_at_risk)
    }
}

/// Result of a weighted log-rank test.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedLogRank {
    /// The chi-square statistic.
    pub chi_square: f64,
    /// Degrees of freedom: informative groups - 1.
    pub df: usize,
    /// Upper-tail chi-square probability, treating the weights as fixed (approximate).
    pub p_value: f64,
    /// Summed event weight per group, in input order.
    pub observed: Vec<f64>,
    /// Expected event weight per group under equal hazards, in input order.
    pub expected: Vec<f64>,
    /// Full k x k variance-covariance matrix of `O - E`, row-major, in input order.
    pub variance: Vec<Vec<f64>>,
}

/// Log-rank test of equal survival across k >= 2 groups of `(day, event, weight)` units,
/// with weighted counts.
///
/// As lifelines 0.30 `logrank_test(..., weights_A=, weights_B=)` and
/// `multivariate_logrank_test(..., weights=)` compute it: at each distinct event day, with
/// weighted numbers at risk `n_j` (total `N`) and weighted events `D`, `E_j += n_j D / N`
/// and the hypergeometric variance with the weighted counts in place of the integers,
/// `V_jj += n_j (N - n_j) D (N - D) / (N^2 (N - 1))`, `V_jl -= n_j n_l D (N - D) /
/// (N^2 (N - 1))`. The statistic is `U' V^-1 U` over all informative groups but one,
/// chi-square with `k - 1` degrees of freedom. With integer weights this is the ordinary
/// test on replicated rows (R `survdiff` on the expanded data). The `N - 1` makes the
/// statistic depend on the scale of the weights: normalise them (e.g. to sum to the group
/// sizes) before testing.
///
/// The p-value treats the weights as fixed frequencies and ignores that they were
/// estimated, so it is only approximate; kinsight's bootstrap gives the honest uncertainty.
///
/// Differences from lifelines, which only matter in degenerate cases: event days with
/// `N <= 1` add no variance (lifelines sets an undefined `(N - D)/(N - 1)` to 1 and lets it
/// turn negative for `N < 1`); groups never at risk at an event day are dropped from the
/// degrees of freedom as in [`super::logrank`] and R (lifelines keeps `k - 1` and uses a
/// pseudo-inverse); a singular variance is an error rather than a pseudo-inverse.
///
/// # Errors
/// [`StatsError::InvalidParameter`] with fewer than 2 groups; [`StatsError::InvalidValue`]
/// for a negative or non-finite weight; [`StatsError::LogRankUndefined`] when fewer than 2
/// groups are at risk at any event day; [`StatsError::LogRankDegenerate`] when the variance
/// matrix is singular.
pub fn weighted_log_rank(groups: &[&[(i32, bool, f64)]]) -> Result<WeightedLogRank, StatsError> {
    let k = groups.len();
    if k < 2 {
        return Err(StatsError::InvalidParameter {
            name: "groups",
            value: k as f64,
            expected: "at least 2 groups to compare",
        });
    }
    let mut all: Vec<(i32, usize, bool, f64)> = Vec::new();
    for (j, g) in groups.iter().enumerate() {
        all.extend(checked_sorted(g)?.into_iter().map(|(d, e, w)| (d, j, e, w)));
    }
    all.sort_by_key(|u| u.0);
    // Per distinct day: events and removals (events + censorings) per group.
    let mut days: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    let mut last_day = None;
    for &(day, j, event, w) in &all {
        if last_day != Some(day) {
            days.push((vec![0.0; k], vec![0.0; k]));
            last_day = Some(day);
        }
        if let Some((ev, rem)) = days.last_mut() {
            if event {
                ev[j] += w;
            }
            rem[j] += w;
        }
    }
    let mut at_risk = vec![0.0_f64; k];
    let mut observed = vec![0.0_f64; k];
    let mut expected = vec![0.0_f64; k];
    let mut variance = vec![vec![0.0_f64; k]; k];
    // Backwards, so that the numbers at risk are exact suffix sums.
    for (ev, rem) in days.iter().rev() {
        for j in 0..k {
            at_risk[j] += rem[j];
            observed[j] += ev[j];
        }
        let d: f64 = ev.iter().sum();
        if d <= 0.0 {
            continue;
        }
        let n: f64 = at_risk.iter().sum();
        for j in 0..k {
            expected[j] += at_risk[j] / n * d;
        }
        if n > 1.0 {
            // `n_j (N - n_j) D (N - D) / (N^2 (N - 1))` in shares of N, so that large
            // weights cannot overflow the products.
            let g = d * ((n - d) / (n - 1.0));
            for j in 0..k {
                let share = at_risk[j] / n;
                variance[j][j] += share * ((n - at_risk[j]) / n) * g;
                for l in (j + 1)..k {
                    let v = share * (at_risk[l] / n) * g;
                    variance[j][l] -= v;
                    variance[l][j] -= v;
                }
            }
        }
    }
    let informative: Vec<usize> = (0..k).filter(|&j| expected[j] > 0.0).collect();
    if informative.len() < 2 {
        return Err(StatsError::LogRankUndefined {
            informative: informative.len(),
            groups: k,
        });
    }
    // Drop the last informative group: its U is minus the sum of the others.
    let kept = &informative[..informative.len() - 1];
    let u: Vec<f64> = kept.iter().map(|&j| observed[j] - expected[j]).collect();
    let v: Vec<Vec<f64>> = kept
        .iter()
        .map(|&a| kept.iter().map(|&b| variance[a][b]).collect())
        .collect();
    let m = kept.len();
    let a = ndarray::Array2::from_shape_fn((m, m), |(i, j)| v[i][j]);
    let x = Cholesky::factor(&a)
        .and_then(|c| c.solve(&ndarray::Array1::from(u.clone())))
        .map_err(|_| StatsError::LogRankDegenerate)?;
    let chi_square = u.iter().zip(&x).map(|(a, b)| a * b).sum::<f64>().max(0.0);
    let p_value = ChiSquared::new(kept.len() as f64)
        .map_err(|_| StatsError::LogRankDegenerate)?
        .sf(chi_square);
    Ok(WeightedLogRank {
        chi_square,
        df: kept.len(),
        p_value,
        observed,
        expected,
        variance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    // Day 2: n = 6.5, d = 1: S = 5.5/6.5 = 11/13. Day 3: the censoring (2.0) on the day of
    // the event is still at risk, n = 5.5, d = 0.5: S = 11/13 * 5/5.5 = 10/13. Day 5:
    // n = 5.5 - 2.5 = 3, d = 1.5: S = 10/13 * 1/2 = 5/13; Kish at risk = 3^2 / (1.5^2 +
    // 0.5^2 + 1^2) = 9/3.5 = 18/7. Day 7: censoring only, S stays 5/13.
    #[test]
    fn hand_example() {
        let units = [
            (5, true, 1.5),
            (2, true, 1.0),
            (3, false, 2.0),
            (3, true, 0.5),
            (7, false, 1.0),
            (5, false, 0.5),
        ];
        let km = WeightedKm::new(&units).unwrap();
        assert_eq!(km.n(), 6);
        assert!(close(km.total_weight(), 6.5, 1e-15));
        assert_eq!(km.survival_at(1), 1.0);
        assert!(close(km.survival_at(2), 11.0 / 13.0, 1e-15));
        assert!(close(km.survival_at(3), 10.0 / 13.0, 1e-15));
        assert!(close(km.survival_at(4), 10.0 / 13.0, 1e-15));
        assert!(close(km.survival_at(5), 5.0 / 13.0, 1e-15));
        assert!(close(km.survival_at(100), 5.0 / 13.0, 1e-15));
        assert_eq!(km.steps().len(), 4);
        assert!(close(km.at_risk_weight_at(0), 6.5, 1e-15));
        assert!(close(km.at_risk_weight_at(4), 3.0, 1e-15));
        assert!(close(km.at_risk_weight_at(7), 1.0, 1e-15));
        assert_eq!(km.at_risk_weight_at(8), 0.0);
        assert!(close(km.effective_at_risk_at(5), 18.0 / 7.0, 1e-14));
        assert!(close(km.effective_at_risk_at(7), 1.0, 1e-15));
        let step = km.steps()[1];
        assert_eq!(step.day, 3);
        assert!(close(step.events, 0.5, 0.0) && close(step.censored, 2.0, 0.0));
    }

    /// Freireich et al. (1963) 6-MP arm (as in `survival.rs`), with weight `w` per row.
    fn six_mp(w: f64) -> Vec<(i32, bool, f64)> {
        let ev = [6, 6, 6, 7, 10, 13, 16, 22, 23];
        let cens = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
        ev.iter()
            .map(|&d| (d, true, w))
            .chain(cens.iter().map(|&d| (d, false, w)))
            .collect()
    }

    // Unit weights give kinsight's unweighted curve (survival.rs `freireich_six_mp_survival`),
    // and any common weight gives the same curve.
    #[test]
    fn unit_weights_are_the_unweighted_curve() {
        let s23 = 18.0 / 21.0 * 16.0 / 17.0 * 14.0 / 15.0 * 11.0 / 12.0 * 10.0 / 11.0 * 6.0 / 7.0
            * 5.0
            / 6.0;
        for w in [1.0, 0.37, 12.5] {
            let km = WeightedKm::new(&six_mp(w)).unwrap();
            assert!(close(km.survival_at(6), 18.0 / 21.0, 1e-15));
            assert!(close(km.survival_at(35), s23, 1e-14), "w = {w}");
            assert_eq!(km.steps().len(), 16);
            assert!(close(km.effective_at_risk_at(6), 21.0, 1e-12));
        }
    }

    #[test]
    fn integer_weights_equal_replicated_rows() {
        let weighted = [
            (3, true, 2.0),
            (4, false, 3.0),
            (6, true, 1.0),
            (6, false, 2.0),
        ];
        let replicated: Vec<(i32, bool, f64)> = weighted
            .iter()
            .flat_map(|&(d, e, w)| std::iter::repeat_n((d, e, 1.0), w as usize))
            .collect();
        let a = WeightedKm::new(&weighted).unwrap();
        let b = WeightedKm::new(&replicated).unwrap();
        for day in 0..8 {
            assert_eq!(a.survival_at(day), b.survival_at(day));
            assert_eq!(a.at_risk_weight_at(day), b.at_risk_weight_at(day));
        }
        let other = [(2, true, 1.0), (5, true, 2.0), (7, false, 1.0)];
        let rep_other = [
            (2, true, 1.0),
            (5, true, 1.0),
            (5, true, 1.0),
            (7, false, 1.0),
        ];
        let x = weighted_log_rank(&[&weighted, &other]).unwrap();
        let y = weighted_log_rank(&[&replicated, &rep_other]).unwrap();
        assert!(close(x.chi_square, y.chi_square, 1e-12));
        assert_eq!(x.observed, y.observed);
    }

    // lifelines 0.30.3 (Python 3.11), with rows as in `lifelines_a` / `lifelines_b`:
    //   from lifelines import KaplanMeierFitter
    //   from lifelines.statistics import logrank_test, multivariate_logrank_test
    //   kmf = KaplanMeierFitter().fit(T_a, E_a, weights=W_a); kmf.survival_function_
    //   logrank_test(T_a, T_b, E_a, E_b, weights_A=W_a, weights_B=W_b)
    //   multivariate_logrank_test(T, G, E, weights=np.array(W))  # groups a, b, c
    #[rustfmt::skip]
    fn lifelines_a() -> Vec<(i32, bool, f64)> {
        vec![
            (3, true, 1.2), (5, false, 0.8), (5, true, 2.5), (8, true, 0.5),
            (8, false, 1.0), (12, true, 1.7), (15, false, 0.9), (20, true, 1.1),
            (20, true, 0.6), (30, false, 2.0),
        ]
    }

    #[rustfmt::skip]
    fn lifelines_b() -> Vec<(i32, bool, f64)> {
        vec![
            (2, true, 0.7), (4, true, 1.3), (5, true, 1.9), (5, false, 0.4),
            (6, false, 1.5), (8, true, 0.6), (8, true, 2.2), (10, false, 0.3),
            (14, true, 1.0), (25, false, 1.4),
        ]
    }

    #[rustfmt::skip]
    fn lifelines_c() -> Vec<(i32, bool, f64)> {
        vec![
            (1, false, 0.5), (4, true, 1.6), (8, true, 0.9), (9, false, 1.1),
            (16, true, 0.8), (21, true, 1.2),
        ]
    }

    #[test]
    fn matches_lifelines_kaplan_meier() {
        let a = WeightedKm::new(&lifelines_a()).unwrap();
        let want_a = [
            (3, 0.902_439_024_390_243_7),
            (5, 0.699_186_991_869_918_7),
            (8, 0.654_367_312_903_898_2),
            (12, 0.477_792_006_247_290_73),
            (15, 0.477_792_006_247_290_73),
            (20, 0.258_265_949_322_859_9),
            (30, 0.258_265_949_322_859_9),
        ];
        for (day, s) in want_a {
            assert!(close(a.survival_at(day), s, 1e-13), "A S({day})");
        }
        let b = WeightedKm::new(&lifelines_b()).unwrap();
        let want_b = [
            (2, 0.938_053_097_345_132_8),
            (4, 0.823_008_849_557_522_2),
            (5, 0.654_867_256_637_168_3),
            (6, 0.654_867_256_637_168_3),
            (8, 0.321_480_289_621_882_63),
            (10, 0.321_480_289_621_882_63),
            (14, 0.187_530_168_946_098_2),
            (25, 0.187_530_168_946_098_2),
        ];
        for (day, s) in want_b {
            assert!(close(b.survival_at(day), s, 1e-13), "B S({day})");
        }
    }

    // lifelines 0.30.3: logrank_test statistic 0.73664394480768103, p 0.39073806771975528;
    // multivariate_logrank_test (a, b, c) statistic 0.71903734048560253,
    // p 0.69801221927887536, 2 df.
    #[test]
    fn matches_lifelines_log_rank() {
        let (a, b, c) = (lifelines_a(), lifelines_b(), lifelines_c());
        let r = weighted_log_rank(&[&a, &b]).unwrap();
        assert_eq!(r.df, 1);
        assert!(close(r.chi_square, 0.736_643_944_807_681, 1e-12));
        assert!(close(r.p_value, 0.390_738_067_719_755_3, 1e-10));
        let total: f64 = r.observed.iter().sum();
        assert!(close(r.expected.iter().sum::<f64>(), total, 1e-12));
        let s = weighted_log_rank(&[&b, &a]).unwrap();
        assert!(close(s.chi_square, r.chi_square, 1e-12));
        let r3 = weighted_log_rank(&[&a, &b, &c]).unwrap();
        assert_eq!(r3.df, 2);
        assert!(close(r3.chi_square, 0.719_037_340_485_602_5, 1e-12));
        assert!(close(r3.p_value, 0.698_012_219_278_875_4, 1e-10));
    }

    // Unit weights give kinsight's unweighted test (logrank.rs `freireich_log_rank`):
    // chi-square 16.79, 6-MP O = 9, E = 19.25.
    #[test]
    fn unit_weights_are_the_unweighted_log_rank() {
        let placebo: Vec<(i32, bool, f64)> = [
            1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23,
        ]
        .iter()
        .map(|&d| (d, true, 1.0))
        .collect();
        let r = weighted_log_rank(&[&six_mp(1.0), &placebo]).unwrap();
        assert_eq!(r.observed, vec![9.0, 21.0]);
        assert!(close(r.expected[0], 19.25, 5e-3));
        assert!(close(r.chi_square, 16.79, 5e-3), "{}", r.chi_square);
        assert!(close(r.p_value, 4.17e-5, 5e-7));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let units = [(1, true, 1.0), (2, false, bad)];
            assert!(matches!(
                WeightedKm::new(&units),
                Err(StatsError::InvalidValue { index: 1, .. })
            ));
            assert!(weighted_log_rank(&[&units, &units]).is_err());
        }
        assert!(matches!(
            WeightedKm::new(&[]),
            Err(StatsError::Empty { .. })
        ));
        assert!(matches!(
            WeightedKm::new(&[(1, true, 0.0)]),
            Err(StatsError::Empty { .. })
        ));
        let a = lifelines_a();
        assert!(matches!(
            weighted_log_rank(&[&a]),
            Err(StatsError::InvalidParameter { .. })
        ));
        let censored: [(i32, bool, f64); 2] = [(1, false, 1.0), (2, false, 2.0)];
        assert!(matches!(
            weighted_log_rank(&[&censored, &censored]),
            Err(StatsError::LogRankUndefined { informative: 0, .. })
        ));
        let empty: [(i32, bool, f64); 0] = [];
        assert!(matches!(
            weighted_log_rank(&[&a, &empty]),
            Err(StatsError::LogRankUndefined { informative: 1, .. })
        ));
        // Everyone fails on the same day: no variation, singular variance.
        let one = [(5, true, 1.5)];
        assert_eq!(
            weighted_log_rank(&[&one, &one]),
            Err(StatsError::LogRankDegenerate)
        );
    }

    fn units() -> impl proptest::strategy::Strategy<Value = Vec<(i32, bool, f64)>> {
        let unit = (0i32..30, proptest::bool::ANY, 0u8..4).prop_map(|(d, e, w)| (d, e, w.into()));
        proptest::collection::vec(unit, 1..25)
    }

    fn replicate(units: &[(i32, bool, f64)]) -> Vec<(i32, bool, f64)> {
        let copies = |w: f64| std::iter::repeat_n((), w as usize);
        units
            .iter()
            .flat_map(|&(d, e, w)| copies(w).map(move |()| (d, e, 1.0)))
            .collect()
    }

    use proptest::prelude::*;
    proptest! {
        // Integer weights are frequency weights: the curve and the test equal those of the
        // replicated rows (weight 0 drops a row).
        #[test]
        fn integer_weights_are_replication(a in units(), b in units()) {
            let (ra, rb) = (replicate(&a), replicate(&b));
            if let (Ok(x), Ok(y)) = (WeightedKm::new(&a), WeightedKm::new(&ra)) {
                for day in -1..32 {
                    prop_assert!(close(x.survival_at(day), y.survival_at(day), 1e-12));
                    prop_assert_eq!(x.at_risk_weight_at(day), y.at_risk_weight_at(day));
                }
            } else {
                prop_assert!(WeightedKm::new(&a).is_err() && WeightedKm::new(&ra).is_err());
            }
            match (weighted_log_rank(&[&a, &b]), weighted_log_rank(&[&ra, &rb])) {
                (Ok(x), Ok(y)) => {
                    prop_assert!(close(x.chi_square, y.chi_square, 1e-9 * (1.0 + y.chi_square)));
                    prop_assert!((0.0..=1.0).contains(&x.p_value));
                }
                (x, y) => prop_assert_eq!(x.is_err(), y.is_err()),
            }
        }
    }

    #[test]
    fn huge_and_tiny_weights_stay_finite() {
        for w in [1e200, 1e-200] {
            let km = WeightedKm::new(&six_mp(w)).unwrap();
            assert!(close(km.effective_at_risk_at(6), 21.0, 1e-12), "w = {w}");
            assert!(close(km.survival_at(6), 18.0 / 21.0, 1e-15));
        }
    }

    #[test]
    fn everyone_at_risk_failing_gives_zero() {
        let km = WeightedKm::new(&[(1, false, 0.3), (4, true, 0.7), (4, true, 0.1)]).unwrap();
        assert_eq!(km.survival_at(4), 0.0);
        assert_eq!(km.survival_at(3), 1.0);
    }
}
