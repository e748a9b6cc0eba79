//! Means with a Student-t interval, from mergeable running moments.
//!
//! Score changes (docs/method.md section 2, "Change") are reported as a mean with a 95 % t
//! interval. The engine summarises each partition of families into [`Moments`] and merges
//! them, so the moments use Welford's update and Chan et al.'s pairwise merge: both are
//! numerically stable, and merging partitions gives the same result as one pass (up to
//! rounding) whatever the split.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::{Interval, StatsError};

/// Count, mean and sum of squared deviations of a sample, updatable and mergeable.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// No observations yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one observation (Welford's update).
    ///
    /// # Errors
    /// [`StatsError::InvalidValue`] if `x` is NaN or infinite (reported with index = the
    /// number of observations already added).
    pub fn push(&mut self, x: f64) -> Result<(), StatsError> {
        if !x.is_finite() {
            return Err(StatsError::InvalidValue {
                what: "values",
                index: self.n as usize,
                value: x,
                expected: "finite",
            });
        }
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
        Ok(())
    }

    /// Moments of a slice.
    ///
    /// # Errors
    /// [`StatsError::InvalidValue`] naming the first value that is NaN or infinite.
    pub fn from_slice(values: &[f64]) -> Result<Self, StatsError> {
        let mut m = Self::new();
        for &x in values {
            m.push(x)?;
        }
        Ok(m)
    }

    /// Combine with the moments of another, disjoint sample (Chan, Golub & LeVeque 1979).
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        let (na, nb, nf) = (self.n as f64, other.n as f64, n as f64);
        self.mean += delta * nb / nf;
        self.m2 += other.m2 + delta * delta * na * nb / nf;
        self.n = n;
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The sample mean, or `None` without observations.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// The sample variance with divisor `n - 1`, or `None` with fewer than 2 observations.
    pub fn variance(&self) -> Option<f64> {
        (self.n > 1).then(|| self.m2 / (self.n - 1) as f64)
    }

    /// The mean with its Student-t interval at `confidence` (e.g. 0.95).
    ///
    /// `None` without observations; with one observation the estimate has no interval.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] unless `0 < confidence < 1`.
    pub fn estimate(&self, confidence: f64) -> Result<Option<MeanEstimate>, StatsError> {
        check_confidence(confidence)?;
        let Some(mean) = self.mean() else {
            return Ok(None);
        };
        let (std_dev, std_err, interval) = match self.variance() {
            Some(var) => {
                let sd = var.sqrt();
                let se = sd / (self.n as f64).sqrt();
                let t = t_quantile(0.5 + confidence / 2.0, (self.n - 1) as f64)?;
                let interval = Interval {
                    low: mean - t * se,
                    high: mean + t * se,
                };
                (Some(sd), Some(se), Some(interval))
            }
            None => (None, None, None),
        };
        Ok(Some(MeanEstimate {
            n: self.n,
            mean,
            std_dev,
            std_err,
            interval,
        }))
    }
}

/// A sample mean with its spread and t interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanEstimate {
    /// Number of observations.
    pub n: u64,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (divisor `n - 1`); `None` when `n < 2`.
    pub std_dev: Option<f64>,
    /// Standard error `sd / sqrt(n)`; `None` when `n < 2`.
    pub std_err: Option<f64>,
    /// `mean +- t_{(1+c)/2, n-1} * se`; `None` when `n < 2`.
    pub interval: Option<Interval>,
}

/// Mean of `values` with a Student-t interval at `confidence`; `Ok(None)` for no values.
///
/// # Errors
/// [`StatsError::InvalidValue`] for a NaN or infinite value; [`StatsError::InvalidParameter`]
/// unless `0 < confidence < 1`.
pub fn mean_interval(values: &[f64], confidence: f64) -> Result<Option<MeanEstimate>, StatsError> {
    Moments::from_slice(values)?.estimate(confidence)
}

/// The `p` quantile of Student's t distribution with `df` degrees of freedom.
///
/// # Errors
/// [`StatsError::InvalidParameter`] unless `0 < p < 1` and `df > 0`.
pub fn t_quantile(p: f64, df: f64) -> Result<f64, StatsError> {
    if !(p > 0.0 && p < 1.0) {
        return Err(StatsError::InvalidParameter {
            name: "p",
            value: p,
            expected: "strictly between 0 and 1",
        });
    }
    let dist = StudentsT::new(0.0, 1.0, df).map_err(|_| StatsError::InvalidParameter {
        name: "df",
        value: df,
        expected: "positive",
    })?;
    Ok(dist.inverse_cdf(p))
}

fn check_confidence(confidence: f64) -> Result<(), StatsError> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(StatsError::InvalidParameter {
            name: "confidence",
            value: confidence,
            expected: "strictly between 0 and 1 (e.g. 0.95)",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Published t table (e.g. R `qt(0.975, 9)` = 2.262157, `qt(0.975, 1)` = 12.706205,
    // `qt(0.95, 30)` = 1.697261).
    #[test]
    fn t_quantiles_match_tables() {
        assert!((t_quantile(0.975, 9.0).unwrap() - 2.262_157).abs() < 1e-6);
        assert!((t_quantile(0.975, 1.0).unwrap() - 12.706_205).abs() < 1e-5);
        assert!((t_quantile(0.95, 30.0).unwrap() - 1.697_261).abs() < 1e-6);
        assert!((t_quantile(0.025, 9.0).unwrap() + 2.262_157).abs() < 1e-6);
        assert!(t_quantile(1.0, 9.0).is_err());
        assert!(t_quantile(0.5, 0.0).is_err());
    }

    // Hand example: values 1..=10. mean = 5.5, sum of squared deviations = 82.5,
    // var = 82.5/9 = 9.1666667, sd = 3.0276504, se = 0.9574271,
    // t_{0.975,9} = 2.2621572 -> half-width 2.1658506, interval (3.3341494, 7.6658506)
    // (R: t.test(1:10)$conf.int = 3.334149 7.665851).
    #[test]
    fn hand_example_one_to_ten() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let e = mean_interval(&v, 0.95).unwrap().unwrap();
        assert_eq!(e.n, 10);
        assert!((e.mean - 5.5).abs() < 1e-12);
        assert!((e.std_dev.unwrap() - 3.027_650_4).abs() < 1e-7);
        assert!((e.std_err.unwrap() - 0.957_427_1).abs() < 1e-7);
        let i = e.interval.unwrap();
        assert!((i.low - 3.334_149).abs() < 1e-6);
        assert!((i.high - 7.665_851).abs() < 1e-6);
    }

    #[test]
    fn small_samples_have_no_interval() {
        assert_eq!(mean_interval(&[], 0.95).unwrap(), None);
        let one = mean_interval(&[4.0], 0.95).unwrap().unwrap();
        assert_eq!(one.mean, 4.0);
        assert_eq!(one.interval, None);
        assert_eq!(one.std_dev, None);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(matches!(
            mean_interval(&[1.0, f64::NAN], 0.95),
            Err(StatsError::InvalidValue { index: 1, .. })
        ));
        assert!(matches!(
            mean_interval(&[1.0, 2.0], 1.0),
            Err(StatsError::InvalidParameter {
                name: "confidence",
                ..
            })
        ));
    }

    #[test]
    fn merge_equals_one_pass() {
        // Offset by 1e6 to exercise the stable update: variance of the data is still 9.1666.
        let v: Vec<f64> = (1..=10).map(|i| 1e6 + f64::from(i)).collect();
        let whole = Moments::from_slice(&v).unwrap();
        for split in 0..=v.len() {
            let mut a = Moments::from_slice(&v[..split]).unwrap();
            let b = Moments::from_slice(&v[split..]).unwrap();
            a.merge(&b);
            assert_eq!(a.count(), 10);
            assert!((a.mean().unwrap() - whole.mean().unwrap()).abs() < 1e-9);
            assert!((a.variance().unwrap() - 82.5 / 9.0).abs() < 1e-8);
        }
    }
}
