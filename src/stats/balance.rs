//! Covariate balance of a weighted two-group comparison.
//!
//! Before comparing outcomes between programme families and a weighted comparison group,
//! the weights have to be shown to balance the covariates. The usual diagnostics (Austin &
//! Stuart 2015, "Moving towards best practice when using inverse probability of treatment
//! weighting (IPTW) using the propensity score to estimate causal treatment effects in
//! observational studies", Stat Med 34:3661-3679) are, per covariate:
//!
//! - the standardised mean difference ([`smd`]): the difference of the weighted means over
//!   a pooled standard deviation taken from the *unweighted* groups, so that the figures
//!   before and after weighting share one denominator and a change in the SMD is a change
//!   in the means alone (weighting cannot "improve" balance by inflating the spread);
//! - the variance ratio ([`variance_ratio`]) of the weighted variances, since equal means
//!   can hide unequal spreads;
//! - the Kish effective sample size ([`super::kish_effective_n`]) of each group's weights, which
//!   shows how much precision the weighting costs.
//!
//! The weighted variance is the one R's cobalt (`col.w.v`, version 5.0.0) and WeightIt
//! report: for a continuous covariate the unbiased estimator for *reliability* weights,
//! `sum w (x - m)^2 / (V1 - V2 / V1)` with `V1 = sum w` and `V2 = sum w^2`. Balancing weights
//! say how much each family counts, not how many identical families a row stands for, so the
//! frequency-weight correction `V1 - 1` would be wrong (and would change with the scale of
//! the weights); the reliability correction is scale-free and reduces to the ordinary
//! `n - 1` sample variance when all weights are equal. For a binary covariate cobalt uses
//! `p (1 - p)` without correction ([`binary_variance`]), as do Austin & Stuart.
//!
//! Functions on raw data check it and return errors; functions on summary numbers return
//! `None` where the statistic is undefined (never NaN or infinity).

use super::StatsError;

/// Weighted mean and variance of one covariate in one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedMoments {
    /// Summed weight.
    pub sum_w: f64,
    /// Weighted mean `sum w x / sum w`.
    pub mean: f64,
    /// Reliability-weights unbiased variance; `None` with fewer than two positive weights.
    pub variance: Option<f64>,
    /// Kish effective sample size of the weights.
    pub effective_n: f64,
}

/// Checks the weights (finite, non-negative) and returns them divided by their maximum, so
/// that squares and sums cannot overflow; all statistics here are invariant to that scale.
/// `None` if no weight is positive.
fn scaled_weights(weights: &[f64]) -> Result<Option<Vec<f64>>, StatsError> {
    let mut max = 0.0_f64;
    for (index, &w) in weights.iter().enumerate() {
        if !w.is_finite() || w < 0.0 {
            return Err(StatsError::InvalidValue {
                what: "weights",
                index,
                value: w,
                expected: "finite and non-negative",
            });
        }
        max = max.max(w);
    }
    Ok((max > 0.0).then(|| weights.iter().map(|w| w / max).collect()))
}

/// Weighted mean, reliability-weights variance and effective size of `x` with weights `w`.
/// `Ok(None)` when no weight is positive (there is nothing to average).
///
/// The variance denominator `V1 - V2 / V1 = 2 sum_{i<j} w_i w_j / V1` is summed in that
/// second form, all terms non-negative, so it does not cancel to a spurious tiny or negative
/// number when one weight dominates.
///
/// # Errors
/// [`StatsError::LengthMismatch`] if the lengths differ; [`StatsError::InvalidValue`] for a
/// negative or non-finite weight or a non-finite `x`.
pub fn weighted_mean_var(x: &[f64], w: &[f64]) -> Result<Option<WeightedMoments>, StatsError> {
    if x.len() != w.len() {
        return Err(StatsError::LengthMismatch {
            what: "weights",
            expected: x.len(),
            found: w.len(),
        });
    }
    if let Some((index, &value)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(StatsError::InvalidValue {
            what: "x",
            index,
            value,
            expected: "finite",
        });
    }
    let sum_w: f64 = w.iter().sum();
    let Some(w) = scaled_weights(w)? else {
        return Ok(None);
    };
    let (mut v1, mut v2, mut pairs, mut wx) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    for (&wi, &xi) in w.iter().zip(x) {
        pairs += wi * v1; // w_i times the weights before it
        v1 += wi;
        v2 += wi * wi;
        wx += wi * xi;
    }
    let mean = wx / v1;
    let ss: f64 = w
        .iter()
        .zip(x)
        .map(|(wi, xi)| wi * (xi - mean).powi(2))
        .sum();
    let denominator = 2.0 * pairs / v1;
    let variance = Some(ss / denominator).filter(|v| denominator > 0.0 && v.is_finite());
    Ok(mean.is_finite().then_some(WeightedMoments {
        sum_w,
        mean,
        variance,
        effective_n: v1 * v1 / v2,
    }))
}

/// Weighted mean of `x`; `Ok(None)` when no weight is positive.
///
/// # Errors
/// As [`weighted_mean_var`].
pub fn weighted_mean(x: &[f64], w: &[f64]) -> Result<Option<f64>, StatsError> {
    Ok(weighted_mean_var(x, w)?.map(|m| m.mean))
}

/// Variance `p (1 - p)` of a binary covariate with (weighted) proportion `p`, as cobalt and
/// Austin & Stuart (2015) use for its SMD; `None` unless `0 <= p <= 1`.
pub fn binary_variance(p: f64) -> Option<f64> {
    (0.0..=1.0).contains(&p).then_some(p * (1.0 - p))
}

/// Standardised mean difference `(mean_t - mean_c) / sqrt((var_t + var_c) / 2)`.
///
/// Pass the (weighted or unweighted) group means and the *unweighted* group variances, so
/// that before and after weighting share the denominator (Austin & Stuart 2015, section
/// 4.1; cobalt's default pooled `s.d.denom`). For a binary covariate the variances are
/// [`binary_variance`] of the unweighted proportions (see [`smd_binary`]).
///
/// `None` when an input is not finite or a variance is negative, and when both variances
/// are 0 but the means differ (a covariate constant within each group but different between
/// them: the SMD is unbounded, report the raw difference instead). Both variances 0 and
/// equal means give 0.
pub fn smd(mean_t: f64, mean_c: f64, var_t: f64, var_c: f64) -> Option<f64> {
    let finite = [mean_t, mean_c, var_t, var_c].iter().all(|v| v.is_finite());
    if !finite || var_t < 0.0 || var_c < 0.0 {
        return None;
    }
    let sd = ((var_t + var_c) / 2.0).sqrt();
    let diff = mean_t - mean_c;
    if sd > 0.0 {
        Some(diff / sd).filter(|d| d.is_finite())
    } else {
        (diff == 0.0).then_some(0.0)
    }
}

/// Standardised difference of a binary covariate: the difference of the (weighted)
/// proportions `p_t`, `p_c` over the pooled `p (1 - p)` standard deviation of the
/// *unweighted* proportions `p_t_raw`, `p_c_raw`. `None` if a proportion is outside [0, 1],
/// or as [`smd`].
pub fn smd_binary(p_t: f64, p_c: f64, p_t_raw: f64, p_c_raw: f64) -> Option<f64> {
    binary_variance(p_t)?;
    binary_variance(p_c)?;
    smd(
        p_t,
        p_c,
        binary_variance(p_t_raw)?,
        binary_variance(p_c_raw)?,
    )
}

/// Variance ratio `var_t / var_c` of the (weighted) group variances; values near 1 (Austin
/// & Stuart 2015 suggest between 0.5 and 2) indicate balanced spread. `None` when an input
/// is not finite or negative, or `var_c` is 0.
pub fn variance_ratio(var_t: f64, var_c: f64) -> Option<f64> {
    let valid = |v: f64| v.is_finite() && v >= 0.0;
    if !valid(var_t) || !valid(var_c) || var_c == 0.0 {
        return None;
    }
    Some(var_t / var_c).filter(|r| r.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    // x = (1, 2, 4), w = (1, 2, 1): V1 = 4, V2 = 6, mean = 9/4; sum w (x - m)^2 =
    // 1.25^2 + 2 x 0.25^2 + 1.75^2 = 4.75; denominator 4 - 6/4 = 2.5; variance 1.9.
    // Kish n = 16 / 6 = 8/3.
    #[test]
    fn weighted_moments_by_hand() {
        let m = weighted_mean_var(&[1.0, 2.0, 4.0], &[1.0, 2.0, 1.0])
            .unwrap()
            .unwrap();
        assert!(close(m.mean, 2.25, 1e-15));
        assert!(close(m.variance.unwrap(), 1.9, 1e-14));
        assert!(close(m.effective_n, 8.0 / 3.0, 1e-14));
        assert!(close(m.sum_w, 4.0, 0.0));
        // Scale-free: the same with weights x 10 (or x 1e-300).
        for s in [10.0, 1e-300, 1e300] {
            let w = [s, 2.0 * s, s];
            let n = weighted_mean_var(&[1.0, 2.0, 4.0], &w).unwrap().unwrap();
            assert!(close(n.mean, 2.25, 1e-14) && close(n.variance.unwrap(), 1.9, 1e-13));
        }
        // Equal weights: the ordinary sample variance, mean 7/3, variance (16 + 1 + 25) / 9 / 2.
        let e = weighted_mean_var(&[1.0, 2.0, 4.0], &[0.5; 3])
            .unwrap()
            .unwrap();
        assert!(close(e.variance.unwrap(), 7.0 / 3.0, 1e-14));
        assert!(close(
            weighted_mean(&[1.0, 2.0, 4.0], &[0.5; 3]).unwrap().unwrap(),
            7.0 / 3.0,
            1e-15
        ));
    }

    #[test]
    fn degenerate_weights() {
        // One positive weight: a mean but no variance; zero weights are ignored.
        let m = weighted_mean_var(&[3.0, 5.0], &[0.0, 0.1])
            .unwrap()
            .unwrap();
        assert_eq!(m.mean, 5.0);
        assert_eq!(m.variance, None);
        assert!(close(m.effective_n, 1.0, 1e-15));
        assert_eq!(weighted_mean_var(&[3.0], &[0.0]).unwrap(), None);
        assert_eq!(weighted_mean_var(&[], &[]).unwrap(), None);
        // A dominating weight leaves a tiny but positive denominator: 2 x 1e-20 / (1 + 1e-20).
        let d = weighted_mean_var(&[0.0, 1.0], &[1.0, 1e-20])
            .unwrap()
            .unwrap();
        assert!(d.variance.is_some_and(|v| v > 0.0 && v.is_finite()));
        assert!(close(d.variance.unwrap(), 0.5, 1e-12));
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            weighted_mean_var(&[1.0, 2.0], &[1.0]),
            Err(StatsError::LengthMismatch { .. })
        ));
        assert!(matches!(
            weighted_mean_var(&[1.0, f64::NAN], &[1.0, 1.0]),
            Err(StatsError::InvalidValue {
                what: "x",
                index: 1,
                ..
            })
        ));
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                weighted_mean_var(&[1.0, 2.0], &[1.0, bad]),
                Err(StatsError::InvalidValue {
                    what: "weights",
                    ..
                })
            ));
        }
    }

    #[test]
    fn smd_by_hand() {
        let want = 0.2 / 0.23_f64.sqrt();
        assert!(close(smd(0.6, 0.4, 0.25, 0.21).unwrap(), want, 1e-15));
        assert!(close(smd_binary(0.6, 0.4, 0.5, 0.3).unwrap(), want, 1e-15));
        assert!(close(want, 0.417_028_8, 1e-7));
        assert!(close(smd(0.4, 0.6, 0.25, 0.21).unwrap(), -want, 1e-15));
        // Continuous: means 10 and 12, variances 4 and 12: sd sqrt(8), SMD -2 / sqrt(8).
        assert!(close(
            smd(10.0, 12.0, 4.0, 12.0).unwrap(),
            -0.5_f64.sqrt(),
            1e-15
        ));
        // Zero denominator.
        assert_eq!(smd(1.0, 1.0, 0.0, 0.0), Some(0.0));
        assert_eq!(smd(1.0, 0.0, 0.0, 0.0), None);
        assert_eq!(smd_binary(1.0, 0.0, 1.0, 0.0), None);
        // Invalid input.
        assert_eq!(smd(f64::NAN, 0.0, 1.0, 1.0), None);
        assert_eq!(smd(0.0, 0.0, -1.0, 1.0), None);
        assert_eq!(smd(1e308, -1e308, 1e-300, 1e-300), None);
        assert_eq!(smd_binary(1.2, 0.4, 0.5, 0.3), None);
        assert_eq!(binary_variance(0.5), Some(0.25));
        assert_eq!(binary_variance(f64::NAN), None);
    }

    #[test]
    fn variance_ratio_cases() {
        assert_eq!(variance_ratio(2.0, 4.0), Some(0.5));
        assert_eq!(variance_ratio(0.0, 4.0), Some(0.0));
        assert_eq!(variance_ratio(2.0, 0.0), None);
        assert_eq!(variance_ratio(f64::NAN, 1.0), None);
        assert_eq!(variance_ratio(-1.0, 1.0), None);
        assert_eq!(variance_ratio(1e308, 1e-308), None);
    }
}
