//! The two-sided interval every estimator in [`crate::stats`] reports.
//!
//! One small type rather than tuples, so that `low` and `high` can never be swapped by a
//! caller and output code can write the two columns by name.

/// The standard normal quantile for a two-sided 95 % interval, `Phi^-1(0.975)`.
///
/// Value from R `qnorm(0.975)` / scipy `norm.ppf(0.975)` to 16 significant digits.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// A closed interval `[low, high]` with `low <= high`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// The interval's width, `high - low`.
    pub fn width(&self) -> f64 {
        self.high - self.low
    }

    /// Whether `x` lies inside the closed interval.
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{ContinuousCDF, Normal};

    #[test]
    fn z_95_is_the_normal_quantile() {
        // statrs' erf is accurate to about 1e-12, hence the tolerance.
        let normal = Normal::standard();
        assert!((normal.cdf(Z_95) - 0.975).abs() < 1e-11);
        assert!((normal.inverse_cdf(0.975) - Z_95).abs() < 1e-10);
    }

    #[test]
    fn width_and_contains() {
        let i = Interval {
            low: 0.25,
            high: 0.75,
        };
        assert!((i.width() - 0.5).abs() < 1e-15);
        assert!(i.contains(0.25) && i.contains(0.75) && i.contains(0.5));
        assert!(!i.contains(0.8) && !i.contains(f64::NAN));
    }
}
