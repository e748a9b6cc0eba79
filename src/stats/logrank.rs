//! The log-rank test comparing survival across k >= 2 groups.
//!
//! docs/method.md section 3 compares groups (e.g. programme and comparison `arm`) with the
//! log-rank test. At each distinct event day the events are shared out among the groups in
//! proportion to their numbers at risk (the expected counts `E_j = n_j D / N`), with the
//! hypergeometric variance, which handles tied events in the standard way (Mantel 1966;
//! R `survdiff` with `rho = 0`):
//!
//! `V_jj = n_j (N - n_j) D (N - D) / (N^2 (N - 1))`, `V_jl = -n_j n_l D (N - D) / (N^2 (N - 1))`.
//!
//! The statistic is `U' V^-1 U` with `U = O - E` over all groups but one (the full
//! `(k-1) x (k-1)` covariance, not a sum of per-group terms), chi-square with `k - 1`
//! degrees of freedom. As in R, groups that are never at risk at an event time (expected
//! count 0) carry no information and are left out, reducing the degrees of freedom.
//!
//! Input is one [`EventTable`] per group, so the test is computed from the same merged
//! summaries as the Kaplan-Meier curves, in O(distinct days x groups).

use ndarray::{Array1, Array2};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::{linalg::Cholesky, EventTable, StatsError};

/// Result of a log-rank test.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRank {
    /// The chi-square statistic.
    pub chi_square: f64,
    /// Degrees of freedom: informative groups - 1.
    pub df: usize,
    /// Upper-tail chi-square probability of the statistic.
    pub p_value: f64,
    /// Observed events per group, in input order.
    pub observed: Vec<u64>,
    /// Expected events per group under equal hazards, in input order.
    pub expected: Vec<f64>,
    /// Full k x k variance-covariance matrix of `O - E`, in input order.
    pub variance: Array2<f64>,
}

/// Log-rank test of equal survival across the groups' event tables.
///
/// # Errors
/// [`StatsError::InvalidParameter`] with fewer than 2 groups;
/// [`StatsError::LogRankUndefined`] when fewer than 2 groups are at risk at any event time
/// (including when there are no events at all); [`StatsError::LogRankDegenerate`] when the
/// variance matrix is singular.
pub fn log_rank<'a, I>(groups: I) -> Result<LogRank, StatsError>
where
    I: IntoIterator<Item = &'a EventTable>,
{
    let groups: Vec<&EventTable> = groups.into_iter().collect();
    stratified_log_rank(&[groups])
}

/// Stratified log-rank test: the same k groups compared within each stratum (e.g. the arms
/// within each country), `O - E` and its variance summed over the strata before the
/// quadratic form (R `survdiff(... + strata(s))`). Every stratum lists the k groups in the
/// same order; a group absent from a stratum is an empty table. One stratum is the plain
/// test ([`log_rank`]).
///
/// # Errors
/// As [`log_rank`].
pub fn stratified_log_rank(strata: &[Vec<&EventTable>]) -> Result<LogRank, StatsError> {
    let k = strata.first().map_or(0, Vec::len);
    if k < 2 || strata.iter().any(|s| s.len() != k) {
        return Err(StatsError::InvalidParameter {
            name: "groups",
            value: k as f64,
            expected: "at least 2 groups to compare, the same in every stratum",
        });
    }
    let mut observed = vec![0u64; k];
    let mut expected = vec![0.0_f64; k];
    let mut variance = Array2::<f64>::zeros((k, k));
    for groups in strata {
        let (o, e, v) = accumulate(groups);
        for j in 0..k {
            observed[j] += o[j];
            expected[j] += e[j];
        }
        variance += &v;
    }
    finish(observed, expected, variance)
}

/// Observed and expected events and the variance of `O - E` of one stratum.
fn accumulate(groups: &[&EventTable]) -> (Vec<u64>, Vec<f64>, Array2<f64>) {
    let k = groups.len();
    let mut all = EventTable::new();
    for g in groups {
        all.merge(g);
    }
    let rows: Vec<Vec<(i32, u64, u64)>> = groups
        .iter()
        .map(|g| g.iter().map(|(d, c)| (d, c.events, c.censored)).collect())
        .collect();
    let mut next = vec![0usize; k];
    let mut at_risk: Vec<f64> = groups.iter().map(|g| g.n() as f64).collect();
    let mut events = vec![0.0_f64; k];
    let mut leaving = vec![0.0_f64; k];
    let mut expected = vec![0.0_f64; k];
    let mut variance = Array2::<f64>::zeros((k, k));

    for (day, total) in all.iter() {
        for j in 0..k {
            let (e, c) = match rows[j].get(next[j]) {
                Some(&(d, e, c)) if d == day => {
                    next[j] += 1;
                    (e, c)
                }
                _ => (0, 0),
            };
            events[j] = e as f64;
            leaving[j] = (e + c) as f64;
        }
        if total.events > 0 {
            let n_total: f64 = at_risk.iter().sum();
            let d_total = total.events as f64;
            for j in 0..k {
                expected[j] += at_risk[j] * d_total / n_total;
            }
            if n_total > 1.0 {
                let f = d_total * (n_total - d_total) / (n_total * n_total * (n_total - 1.0));
                for j in 0..k {
                    variance[[j, j]] += at_risk[j] * (n_total - at_risk[j]) * f;
                    for l in (j + 1)..k {
                        let v = at_risk[j] * at_risk[l] * f;
                        variance[[j, l]] -= v;
                        variance[[l, j]] -= v;
                    }
                }
            }
        }
        for j in 0..k {
            at_risk[j] -= leaving[j];
        }
    }

    let observed: Vec<u64> = groups.iter().map(|g| g.total_events()).collect();
    (observed, expected, variance)
}

/// The test from summed observed and expected events and variance.
fn finish(
    observed: Vec<u64>,
    expected: Vec<f64>,
    variance: Array2<f64>,
) -> Result<LogRank, StatsError> {
    let k = observed.len();
    let informative: Vec<usize> = (0..k).filter(|&j| expected[j] > 0.0).collect();
    if informative.len() < 2 {
        return Err(StatsError::LogRankUndefined {
            informative: informative.len(),
            groups: k,
        });
    }
    // Drop the last informative group: its U is minus the sum of the others.
    let kept = &informative[..informative.len() - 1];
    let m = kept.len();
    let u = Array1::from_iter(kept.iter().map(|&j| observed[j] as f64 - expected[j]));
    let v = Array2::from_shape_fn((m, m), |(a, b)| variance[[kept[a], kept[b]]]);
    let chol = Cholesky::factor(&v).map_err(|_| StatsError::LogRankDegenerate)?;
    let chi_square = u.dot(&chol.solve(&u)?).max(0.0);
    let p_value = ChiSquared::new(m as f64)
        .map_err(|_| StatsError::LogRankDegenerate)?
        .sf(chi_square);
    Ok(LogRank {
        chi_square,
        df: m,
        p_value,
        observed,
        expected,
        variance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(events: &[i32], censored: &[i32]) -> EventTable {
        events
            .iter()
            .map(|&d| (d, true))
            .chain(censored.iter().map(|&d| (d, false)))
            .collect()
    }

    fn six_mp() -> EventTable {
        table(
            &[6, 6, 6, 7, 10, 13, 16, 22, 23],
            &[6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35],
        )
    }

    fn placebo() -> EventTable {
        table(
            &[
                1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23,
            ],
            &[],
        )
    }

    // Freireich et al. (1963) remission data. Kleinbaum & Klein (Survival Analysis, ch. 2):
    // placebo O = 21, E = 10.75; 6-MP O = 9, E = 19.25; Var(O - E) = 6.2570;
    // chi-square = (21 - 10.75)^2 / 6.2570 = 16.79 on 1 df, p = 4.17e-5
    // (R survdiff: Chisq = 16.8 on 1 degrees of freedom, p = 4e-05).
    #[test]
    fn freireich_log_rank() {
        let (a, b) = (six_mp(), placebo());
        let r = log_rank([&a, &b]).unwrap();
        assert_eq!(r.observed, vec![9, 21]);
        assert!((r.expected[0] - 19.25).abs() < 5e-3, "{}", r.expected[0]);
        assert!((r.expected[1] - 10.75).abs() < 5e-3);
        assert!((r.variance[[1, 1]] - 6.2570).abs() < 5e-4);
        assert!((r.variance[[0, 1]] + r.variance[[1, 1]]).abs() < 1e-12);
        assert_eq!(r.df, 1);
        assert!((r.chi_square - 16.79).abs() < 5e-3, "{}", r.chi_square);
        assert!((r.p_value - 4.17e-5).abs() < 5e-7, "{}", r.p_value);
        // Group order does not matter.
        let s = log_rank([&b, &a]).unwrap();
        assert!((s.chi_square - r.chi_square).abs() < 1e-10);
    }

    #[test]
    fn identical_groups_give_zero() {
        let t = six_mp();
        let r = log_rank([&t, &t, &t]).unwrap();
        assert_eq!(r.df, 2);
        assert!(r.chi_square.abs() < 1e-12);
        assert!((r.p_value - 1.0).abs() < 1e-12);
    }

    // Three groups, hand computation. A: events at 1, 2; B: event at 2, censored 3;
    // C: censored at 1, event at 3.
    // Day 1: n = (2, 2, 2), N = 6, D = 1: E = (1/3, 1/3, 1/3);
    //   f = 1 * 5 / (36 * 5) = 1/36; V_jj += 2 * 4 / 36 = 8/36, V_jl -= 4/36.
    // Day 2: n = (1, 2, 1) (A lost its event, C its censoring), N = 4, D = 2:
    //   E += (0.5, 1, 0.5); f = 2 * 2 / (16 * 3) = 1/12;
    //   V_AA += 1 * 3 / 12, V_BB += 2 * 2 / 12, V_AB -= 2 / 12.
    // Day 3: n = (0, 1, 1), N = 2, D = 1: E += (0, 0.5, 0.5); f = 1 / (4 * 1) = 1/4;
    //   V_BB += 1 / 4.
    // O = (2, 1, 1), E = (5/6, 11/6, 4/3), U_AB = (7/6, -5/6).
    // V_AB block = [[8/36 + 3/12, -4/36 - 2/12], [-4/36 - 2/12, 8/36 + 4/12 + 1/4]]
    //            = [[17/36, -10/36], [-10/36, 29/36]]; det = (493 - 100) / 1296 = 393/1296.
    // chi = U' V^-1 U = (29/36 * 49/36 + 2 * 10/36 * (-35/36) + 17/36 * 25/36) / (393/1296)
    //     = (1421 - 700 + 425) / 393 = 1146 / 393 = 2.9160305.
    #[test]
    fn three_groups_hand_example() {
        let a = table(&[1, 2], &[]);
        let b = table(&[2], &[3]);
        let c = table(&[3], &[1]);
        let r = log_rank([&a, &b, &c]).unwrap();
        assert_eq!(r.df, 2);
        let e = [5.0 / 6.0, 11.0 / 6.0, 4.0 / 3.0];
        for (got, want) in r.expected.iter().zip(e) {
            assert!((got - want).abs() < 1e-12);
        }
        assert!(
            (r.chi_square - 1146.0 / 393.0).abs() < 1e-10,
            "{}",
            r.chi_square
        );
        // p for chi-square 2 df is exp(-x/2).
        assert!((r.p_value - (-1146.0_f64 / 393.0 / 2.0).exp()).abs() < 1e-10);
    }

    #[test]
    fn uninformative_groups_are_dropped_or_rejected() {
        let (a, b) = (six_mp(), placebo());
        // Censored before any event: never at risk at an event time.
        let early = table(&[], &[0, 0]);
        let r = log_rank([&a, &early, &b]).unwrap();
        assert_eq!(r.df, 1);
        assert!((r.chi_square - 16.79).abs() < 5e-3);
        assert!(matches!(
            log_rank([&a, &early]),
            Err(StatsError::LogRankUndefined {
                informative: 1,
                groups: 2
            })
        ));
        let none = table(&[], &[3, 4]);
        assert!(matches!(
            log_rank([&none, &none]),
            Err(StatsError::LogRankUndefined { informative: 0, .. })
        ));
        assert!(matches!(
            log_rank([&a]),
            Err(StatsError::InvalidParameter { name: "groups", .. })
        ));
        // Everyone fails on the same single day: no variation, singular variance.
        let one = table(&[5], &[]);
        assert_eq!(log_rank([&one, &one]), Err(StatsError::LogRankDegenerate));
    }

    fn units() -> impl proptest::strategy::Strategy<Value = Vec<(i32, bool)>> {
        proptest::collection::vec((0i32..40, proptest::bool::ANY), 1..60)
    }

    proptest::proptest! {
        // Expected events add up to the observed total, the statistic is a valid
        // chi-square, and splitting a group's table and merging it back changes nothing.
        #[test]
        fn expected_sum_and_merge_invariance(a in units(), b in units(), cut in 0usize..60) {
            let ta: EventTable = a.iter().copied().collect();
            let tb: EventTable = b.iter().copied().collect();
            let Ok(r) = log_rank([&ta, &tb]) else {
                return Ok(());
            };
            let total = (ta.total_events() + tb.total_events()) as f64;
            proptest::prop_assert!((r.expected.iter().sum::<f64>() - total).abs() < 1e-9);
            proptest::prop_assert!(r.chi_square >= 0.0);
            proptest::prop_assert!((0.0..=1.0).contains(&r.p_value));
            let cut = cut.min(a.len());
            let mut first: EventTable = a[..cut].iter().copied().collect();
            first.merge(&a[cut..].iter().copied().collect());
            let again = log_rank([&first, &tb]).unwrap();
            proptest::prop_assert_eq!(again, r);
        }
    }
}

#[cfg(test)]
mod stratified_tests {
    use super::*;

    fn table(events: &[i32], censored: &[i32]) -> EventTable {
        events
            .iter()
            .map(|&d| (d, true))
            .chain(censored.iter().map(|&d| (d, false)))
            .collect()
    }

    // Stratum 1: A = {event day 1, censored day 5}, B = {events days 2 and 3}.
    //   day 1: N 4, D 1, n_A 2: E_A = 0.5, V = 2 x 2 x 1 x 3 / (16 x 3) = 0.25
    //   day 2: N 3, D 1, n_A 1: E_A = 1/3, V = 1 x 2 x 1 x 2 / (9 x 2) = 2/9
    //   day 3: N 2, D 1, n_A 1: E_A = 0.5, V = 1 x 1 x 1 x 1 / (4 x 1) = 0.25
    //   O_A = 1, E_A = 4/3, V = 13/18.
    // Stratum 2: A = {event day 1}, B = {censored day 2}: E_A = 0.5, V = 0.25, O_A = 1.
    // Summed: O - E = -1/3 + 1/2 = 1/6, V = 13/18 + 1/4 = 35/36: chi-square
    // (1/36) / (35/36) = 1/35.
    #[test]
    fn stratified_sums_o_minus_e_and_variance_over_strata() {
        let (a1, b1) = (table(&[1], &[5]), table(&[2, 3], &[]));
        let (a2, b2) = (table(&[1], &[]), table(&[], &[2]));
        let t = stratified_log_rank(&[vec![&a1, &b1], vec![&a2, &b2]]).unwrap();
        assert_eq!(t.df, 1);
        assert!(
            (t.chi_square - 1.0 / 35.0).abs() < 1e-12,
            "{}",
            t.chi_square
        );
        assert!((t.expected[0] - (4.0 / 3.0 + 0.5)).abs() < 1e-12);
        // One stratum is the plain test.
        let plain = log_rank([&a1, &b1]).unwrap();
        let one = stratified_log_rank(&[vec![&a1, &b1]]).unwrap();
        assert_eq!(plain, one);
        assert!(stratified_log_rank(&[vec![&a1, &b1], vec![&a2]]).is_err());
    }
}
