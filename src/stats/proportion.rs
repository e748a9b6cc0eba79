//! Shares with a Wilson score interval, plain or weighted.
//!
//! The Wilson interval (Wilson 1927) is docs/method.md's interval for every share: unlike the
//! Wald interval it stays inside [0, 1] and keeps close to nominal coverage for small groups
//! and shares near 0 or 1, which is exactly where follow-up data of small programmes lives.
//! Counts are `f64` so the same formula serves an inverse-probability-weighted share, whose
//! "sample size" is the Kish effective size `(sum w)^2 / sum w^2`.

use super::{Interval, StatsError};

/// Wilson score interval (no continuity correction) for `successes` out of `n` trials.
///
/// `z` is the normal quantile (use [`super::Z_95`] for 95 %). Counts may be fractional (a
/// weighted count, or `share * n_eff`). At 0 successes the lower bound is exactly 0, at `n`
/// successes the upper bound is exactly 1. With `n == 0` there is no interval: `Ok(None)`.
///
/// # Errors
/// [`StatsError::InvalidParameter`] if `z` is not finite and positive or `n` is negative or
/// not finite; [`StatsError::CountExceedsTotal`] if `successes` is negative, not finite or
/// larger than `n`.
pub fn wilson(successes: f64, n: f64, z: f64) -> Result<Option<Interval>, StatsError> {
    check_z(z)?;
    if !n.is_finite() || n < 0.0 {
        return Err(StatsError::InvalidParameter {
            name: "n",
            value: n,
            expected: "finite and non-negative",
        });
    }
    if !successes.is_finite() || successes < 0.0 || successes > n {
        return Err(StatsError::CountExceedsTotal { successes, n });
    }
    if n == 0.0 {
        return Ok(None);
    }
    Ok(Some(wilson_unchecked(
        successes / n,
        n,
        z,
        successes == 0.0,
        successes == n,
    )))
}

/// Wilson interval for a share `p` observed on an (effective) sample of size `n`.
///
/// This is [`wilson`] with `successes = p * n`; it is the form used for a weighted share
/// with the Kish effective size from [`kish_effective_n`]. `p == 0` and `p == 1` give the
/// exact bounds 0 and 1. With `n == 0` there is no interval: `Ok(None)`.
///
/// # Errors
/// [`StatsError::InvalidParameter`] if `p` is outside [0, 1], `n` negative or not finite, or
/// `z` not finite and positive.
pub fn wilson_share(p: f64, n: f64, z: f64) -> Result<Option<Interval>, StatsError> {
    check_z(z)?;
    if !(0.0..=1.0).contains(&p) {
        return Err(StatsError::InvalidParameter {
            name: "p",
            value: p,
            expected: "a share between 0 and 1",
        });
    }
    if !n.is_finite() || n < 0.0 {
        return Err(StatsError::InvalidParameter {
            name: "n",
            value: n,
            expected: "finite and non-negative",
        });
    }
    if n == 0.0 {
        return Ok(None);
    }
    Ok(Some(wilson_unchecked(p, n, z, p == 0.0, p == 1.0)))
}

/// The formula itself, for validated inputs with `n > 0`:
/// centre `(p + z^2/2n) / (1 + z^2/n)`, half-width
/// `z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2)`.
fn wilson_unchecked(p: f64, n: f64, z: f64, none: bool, all: bool) -> Interval {
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let low = if none { 0.0 } else { (centre - half).max(0.0) };
    let high = if all { 1.0 } else { (centre + half).min(1.0) };
    Interval { low, high }
}

fn check_z(z: f64) -> Result<(), StatsError> {
    if z.is_finite() && z > 0.0 {
        Ok(())
    } else {
        Err(StatsError::InvalidParameter {
            name: "z",
            value: z,
            expected: "finite and positive (1.959964 for 95 %)",
        })
    }
}

/// Kish effective sample size `(sum w)^2 / sum w^2` of a set of weights.
///
/// Equals the number of weights when they are all equal, and shrinks as they become more
/// unequal. All-zero (or no) weights give 0.
///
/// # Errors
/// [`StatsError::InvalidValue`] if a weight is negative or not finite.
pub fn kish_effective_n(weights: &[f64]) -> Result<f64, StatsError> {
    let (sum, sum_sq) = weight_sums(weights)?;
    Ok(if sum_sq > 0.0 {
        sum * sum / sum_sq
    } else {
        0.0
    })
}

/// A weighted share with its Kish effective size and Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedShare {
    /// `sum(w * success) / sum(w)`.
    pub share: f64,
    /// Sum of the weights.
    pub weight_sum: f64,
    /// Kish effective sample size `(sum w)^2 / sum w^2`.
    pub n_eff: f64,
    /// Wilson interval on `n_eff`.
    pub interval: Interval,
}

/// The weighted share of `successes` with a Wilson interval on the Kish effective size
/// (docs/method.md section 2, attrition correction). `Ok(None)` when the weights sum to 0.
///
/// # Errors
/// [`StatsError::LengthMismatch`] if the slices differ in length; [`StatsError::InvalidValue`]
/// if a weight is negative or not finite; [`StatsError::InvalidParameter`] for a bad `z`.
pub fn weighted_share(
    weights: &[f64],
    successes: &[bool],
    z: f64,
) -> Result<Option<WeightedShare>, StatsError> {
    if weights.len() != successes.len() {
        return Err(StatsError::LengthMismatch {
            what: "successes",
            expected: weights.len(),
            found: successes.len(),
        });
    }
    check_z(z)?;
    let (sum, sum_sq) = weight_sums(weights)?;
    if sum == 0.0 {
        return Ok(None);
    }
    let hits: f64 = weights
        .iter()
        .zip(successes)
        .filter(|(_, &s)| s)
        .map(|(w, _)| w)
        .sum();
    let share = (hits / sum).clamp(0.0, 1.0);
    let n_eff = sum * sum / sum_sq;
    let none = hits == 0.0;
    let all = successes.iter().zip(weights).all(|(&s, &w)| s || w == 0.0);
    Ok(Some(WeightedShare {
        share,
        weight_sum: sum,
        n_eff,
        interval: wilson_unchecked(share, n_eff, z, none, all),
    }))
}

fn weight_sums(weights: &[f64]) -> Result<(f64, f64), StatsError> {
    let mut sum = 0.0;
    let mut sum_sq = 0.0;
    for (index, &w) in weights.iter().enumerate() {
        if !w.is_finite() || w < 0.0 {
            return Err(StatsError::InvalidValue {
                what: "weights",
                index,
                value: w,
                expected: "finite and non-negative",
            });
        }
        sum += w;
        sum_sq += w * w;
    }
    Ok((sum, sum_sq))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Z_95;

    const TOL: f64 = 5e-6;

    fn ci(x: f64, n: f64) -> Interval {
        wilson(x, n, Z_95).unwrap().unwrap()
    }

    fn close(i: Interval, low: f64, high: f64, tol: f64) {
        assert!((i.low - low).abs() < tol, "low {} vs {}", i.low, low);
        assert!((i.high - high).abs() < tol, "high {} vs {}", i.high, high);
    }

    // Reference values: statsmodels `proportion_confint(x, n, method="wilson")`, checked by
    // hand with z = 1.959964, z^2 = 3.841459:
    // 0/10: denom = 1.3841459, centre = 0.1920729/1.3841459 = 0.1387664,
    //       half = 1.959964/1.3841459 * sqrt(0 + 3.841459/400) = 1.416008 * 0.0979982
    //       = 0.1387664 -> (0, 0.2775328).
    // 5/10: centre = (0.5 + 0.1920729)/1.3841459 = 0.5, half = 1.416008 *
    //       sqrt(0.025 + 0.00960365) = 1.416008 * 0.1860206 = 0.2634066 -> (0.23659, 0.76341).
    // 81/263: p = 0.3079848, z^2/n = 0.01460631, denom = 1.01460631,
    //       centre = (0.3079848 + 0.00730316)/1.01460631 = 0.3107492,
    //       half = 1.931744 * sqrt(0.000810453 + 0.0000138848) = 1.931744 * 0.0287113
    //       = 0.0554629 -> (0.25529, 0.36621).
    #[test]
    fn matches_statsmodels_wilson() {
        close(ci(0.0, 10.0), 0.0, 0.277_533, TOL);
        close(ci(10.0, 10.0), 0.722_467, 1.0, TOL);
        close(ci(5.0, 10.0), 0.236_593, 0.763_407, TOL);
        close(ci(81.0, 263.0), 0.255_29, 0.366_21, 2e-5);
    }

    #[test]
    fn extremes_are_exact_and_empty_has_no_interval() {
        let zero = ci(0.0, 7.0);
        assert_eq!(zero.low, 0.0);
        let all = ci(7.0, 7.0);
        assert_eq!(all.high, 1.0);
        assert_eq!(wilson(0.0, 0.0, Z_95).unwrap(), None);
        assert_eq!(wilson_share(0.3, 0.0, Z_95).unwrap(), None);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(matches!(
            wilson(11.0, 10.0, Z_95),
            Err(StatsError::CountExceedsTotal { .. })
        ));
        assert!(matches!(
            wilson(-1.0, 10.0, Z_95),
            Err(StatsError::CountExceedsTotal { .. })
        ));
        assert!(matches!(
            wilson(1.0, 10.0, 0.0),
            Err(StatsError::InvalidParameter { name: "z", .. })
        ));
        assert!(matches!(
            wilson(1.0, f64::NAN, Z_95),
            Err(StatsError::InvalidParameter { name: "n", .. })
        ));
        assert!(matches!(
            wilson_share(1.2, 10.0, Z_95),
            Err(StatsError::InvalidParameter { name: "p", .. })
        ));
    }

    #[test]
    fn share_form_equals_count_form() {
        let a = ci(81.0, 263.0);
        let b = wilson_share(81.0 / 263.0, 263.0, Z_95).unwrap().unwrap();
        close(a, b.low, b.high, 1e-14);
    }

    // Equal weights: n_eff = n. Weights (1, 2, 3): (6)^2 / 14 = 2.5714286.
    #[test]
    fn kish_effective_size() {
        assert!((kish_effective_n(&[2.0; 8]).unwrap() - 8.0).abs() < 1e-12);
        assert!((kish_effective_n(&[1.0, 2.0, 3.0]).unwrap() - 36.0 / 14.0).abs() < 1e-12);
        assert_eq!(kish_effective_n(&[]).unwrap(), 0.0);
        assert!(matches!(
            kish_effective_n(&[1.0, -0.5]),
            Err(StatsError::InvalidValue { index: 1, .. })
        ));
    }

    #[test]
    fn weighted_share_with_equal_weights_is_plain_wilson() {
        let succ: Vec<bool> = (0..263).map(|i| i < 81).collect();
        let w = vec![1.7; 263];
        let s = weighted_share(&w, &succ, Z_95).unwrap().unwrap();
        assert!((s.share - 81.0 / 263.0).abs() < 1e-12);
        assert!((s.n_eff - 263.0).abs() < 1e-9);
        let plain = ci(81.0, 263.0);
        close(s.interval, plain.low, plain.high, 1e-9);
    }

    // Weights (1, 1, 2, 4), successes at the last two: share = 6/8 = 0.75,
    // n_eff = 64 / 22 = 2.909091; the interval is Wilson(0.75, 2.909091).
    #[test]
    fn weighted_share_hand_example() {
        let s = weighted_share(&[1.0, 1.0, 2.0, 4.0], &[false, false, true, true], Z_95)
            .unwrap()
            .unwrap();
        assert!((s.share - 0.75).abs() < 1e-15);
        assert!((s.n_eff - 64.0 / 22.0).abs() < 1e-12);
        let direct = wilson_share(0.75, 64.0 / 22.0, Z_95).unwrap().unwrap();
        close(s.interval, direct.low, direct.high, 1e-15);
        // Zero-weight failures do not prevent the exact upper bound.
        let all = weighted_share(&[0.0, 3.0], &[false, true], Z_95)
            .unwrap()
            .unwrap();
        assert_eq!(all.interval.high, 1.0);
        assert_eq!(weighted_share(&[0.0], &[true], Z_95).unwrap(), None);
    }

    proptest::proptest! {
        // The interval lies in [0, 1], contains the observed share, and narrows as the
        // sample grows at the same share.
        #[test]
        fn interval_contains_share_and_narrows(x in 0u32..500, extra in 0u32..500) {
            let n = f64::from(x + extra).max(1.0);
            let x = f64::from(x).min(n);
            let i = ci(x, n);
            proptest::prop_assert!(0.0 <= i.low && i.high <= 1.0);
            proptest::prop_assert!(i.contains(x / n));
            let bigger = ci(4.0 * x, 4.0 * n);
            proptest::prop_assert!(bigger.width() <= i.width() + 1e-12);
        }
    }
}
