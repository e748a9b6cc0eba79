//! Sample quantiles by linear interpolation between order statistics.
//!
//! Percentile bootstrap intervals and the Monte Carlo summaries (2.5th, 50th, 97.5th
//! percentiles) all use one definition, so figures match what a reader gets from numpy's
//! default `percentile` or R's `quantile(type = 7)`: with `h = (n - 1) p`, the value is
//! `x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])` on the sorted sample.
//!
//! NaN has no place in an order, so the sorting helpers reject it with an error naming the
//! position; infinities sort to the ends and are allowed.

use super::StatsError;

/// Copy `values`, check that none is NaN and sort ascending.
///
/// # Errors
/// [`StatsError::InvalidValue`] naming the first NaN.
pub fn sorted_finite(values: &[f64]) -> Result<Vec<f64>, StatsError> {
    if let Some(index) = values.iter().position(|v| v.is_nan()) {
        return Err(StatsError::InvalidValue {
            what: "values",
            index,
            value: f64::NAN,
            expected: "a number (not NaN)",
        });
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    Ok(sorted)
}

/// The `p` quantile (`0 <= p <= 1`) of an ascending, NaN-free slice (R type 7).
///
/// The slice must already be sorted (e.g. by [`sorted_finite`]); this is not re-checked, so
/// that many quantiles of one large sample cost one sort.
///
/// # Errors
/// [`StatsError::Empty`] for an empty slice; [`StatsError::InvalidParameter`] unless
/// `0 <= p <= 1`.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Result<f64, StatsError> {
    if !(0.0..=1.0).contains(&p) {
        return Err(StatsError::InvalidParameter {
            name: "p",
            value: p,
            expected: "a probability between 0 and 1 (e.g. 0.975 for the 97.5th percentile)",
        });
    }
    if sorted.is_empty() {
        return Err(StatsError::Empty { what: "sample" });
    }
    debug_assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "slice not sorted");
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let (a, frac) = (sorted[lo], h - lo as f64);
    if frac == 0.0 {
        return Ok(a);
    }
    let b = sorted[lo + 1];
    // Equal neighbours (including two equal infinities) need no interpolation.
    Ok(if a == b { a } else { a + frac * (b - a) })
}

/// The `p` quantile of an unsorted sample (sorts a copy).
///
/// # Errors
/// As [`sorted_finite`] and [`quantile_sorted`].
pub fn quantile(values: &[f64], p: f64) -> Result<f64, StatsError> {
    quantile_sorted(&sorted_finite(values)?, p)
}

/// Several quantiles of one unsorted sample, sorting once; results in the order of `ps`.
///
/// # Errors
/// As [`sorted_finite`] and [`quantile_sorted`].
pub fn quantiles(values: &[f64], ps: &[f64]) -> Result<Vec<f64>, StatsError> {
    let sorted = sorted_finite(values)?;
    ps.iter().map(|&p| quantile_sorted(&sorted, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // numpy.percentile([1, 2, 3, 4], 25) = 1.75: h = 3 * 0.25 = 0.75 -> 1 + 0.75 * 1.
    // numpy.percentile(range(1, 101), 97.5) = 97.525: h = 99 * 0.975 = 96.525 -> x[96] = 97,
    // 97 + 0.525 * 1 = 97.525. numpy.percentile(range(1, 101), 2.5) = 3.475:
    // h = 2.475 -> 3 + 0.475.
    #[test]
    fn matches_numpy_default() {
        assert!((quantile(&[4.0, 1.0, 3.0, 2.0], 0.25).unwrap() - 1.75).abs() < 1e-12);
        let v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        let q = quantiles(&v, &[0.025, 0.5, 0.975, 0.0, 1.0]).unwrap();
        let want = [3.475, 50.5, 97.525, 1.0, 100.0];
        for (got, want) in q.iter().zip(want) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
    }

    #[test]
    fn single_value_and_infinities() {
        assert_eq!(quantile(&[7.0], 0.3).unwrap(), 7.0);
        let v = [f64::NEG_INFINITY, 1.0, f64::INFINITY, f64::INFINITY];
        assert_eq!(quantile(&v, 0.9).unwrap(), f64::INFINITY);
        assert_eq!(quantile(&v, 0.0).unwrap(), f64::NEG_INFINITY);
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(matches!(
            quantile(&[1.0, f64::NAN], 0.5),
            Err(StatsError::InvalidValue { index: 1, .. })
        ));
        assert!(matches!(quantile(&[], 0.5), Err(StatsError::Empty { .. })));
        assert!(matches!(
            quantile(&[1.0], 1.5),
            Err(StatsError::InvalidParameter { name: "p", .. })
        ));
    }

    proptest::proptest! {
        // Quantiles rise with p and stay between the sample's minimum and maximum.
        #[test]
        fn monotone_and_bounded(
            v in proptest::collection::vec(-1e6f64..1e6, 1..60),
            p in 0.0f64..=1.0,
            q in 0.0f64..=1.0,
        ) {
            let (lo, hi) = (p.min(q), p.max(q));
            let s = sorted_finite(&v).unwrap();
            let (a, b) = (quantile_sorted(&s, lo).unwrap(), quantile_sorted(&s, hi).unwrap());
            proptest::prop_assert!(a <= b);
            proptest::prop_assert!(s[0] <= a && b <= s[s.len() - 1]);
        }
    }
}
