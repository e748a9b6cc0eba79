//! E-values: how strong unmeasured confounding would have to be to explain an effect away.
//!
//! A weighted comparison group only balances the covariates that were measured. The E-value
//! (VanderWeele & Ding 2017, "Sensitivity analysis in observational research: introducing
//! the E-value", Ann Intern Med 167:268-274) is the minimum strength of association, on the
//! risk ratio scale, that an unmeasured confounder would need with both the programme and the
//! outcome, conditional on the measured covariates, to move the observed risk ratio to 1. For
//! `RR >= 1` it is `RR + sqrt(RR (RR - 1))`; a protective `RR < 1` is inverted first. The
//! E-value of the confidence interval is that of the limit nearest 1, and 1 when the interval
//! already contains 1 (no confounding is needed to reach a null that is not excluded).
//!
//! Continuous outcomes reported as a standardised mean difference `d` are converted to an
//! approximate risk ratio `exp(0.91 d)`, with interval `exp(0.91 d +- 1.78 se)` (VanderWeele
//! 2017, "On a square-root transformation of the odds ratio for a common outcome",
//! Epidemiology 28:e58, building on Chinn 2000). These are exactly the conversions of the R
//! package EValue 4.1.3 (Mathur, Smith, Ding & VanderWeele), `evalues.MD` and `toRR.MD`, whose
//! null-hypothesis conventions (`true = 1` / `true = 0`) this module follows; the package's
//! non-null E-values (shifting to a `true` other than the null) are not provided.
//!
//! Every function checks its input and returns an error rather than a NaN or infinity.

use super::{Interval, StatsError};

/// E-values of a point estimate and of its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EValues {
    /// E-value of the point estimate ([`e_value_rr`]).
    pub point: f64,
    /// E-value of the confidence limit nearest 1 ([`e_value_ci`]).
    pub ci: f64,
}

/// Checks that a risk ratio (or a limit) is finite and positive.
fn check_ratio(name: &'static str, value: f64) -> Result<f64, StatsError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(StatsError::InvalidParameter {
            name,
            value,
            expected: "a finite, positive risk ratio",
        })
    }
}

/// `x + sqrt(x (x - 1))` for a checked ratio, after inverting a ratio below 1.
fn threshold(rr: f64) -> f64 {
    let x = if rr < 1.0 { 1.0 / rr } else { rr };
    // `x >= 1`, so `x (x - 1) >= 0` and the result is at least 1; `max` guards a 1/rr
    // that rounds just below 1.
    x + (x * (x - 1.0)).max(0.0).sqrt()
}

/// E-value of a risk ratio: `RR + sqrt(RR (RR - 1))` for `RR >= 1`, of `1 / RR` for
/// `RR < 1` (VanderWeele & Ding 2017, eq. 1; EValue `threshold`). The E-value of 1 is 1.
///
/// # Errors
/// [`StatsError::InvalidParameter`] unless `rr` is finite and positive.
pub fn e_value_rr(rr: f64) -> Result<f64, StatsError> {
    Ok(threshold(check_ratio("rr", rr)?))
}

/// E-value of the confidence interval `[lo, hi]` of the risk ratio `rr`: 1 if the interval
/// contains 1 (or `rr` is 1), otherwise the E-value of the limit nearest 1 (`lo` when
/// `rr > 1`, `hi` when `rr < 1`), as EValue `evalues.RR` reports it.
///
/// # Errors
/// [`StatsError::InvalidParameter`] unless all three are finite and positive and
/// `lo <= rr <= hi` (EValue stops with "Point estimate should be inside confidence
/// interval").
pub fn e_value_ci(rr: f64, lo: f64, hi: f64) -> Result<f64, StatsError> {
    let rr = check_ratio("rr", rr)?;
    let lo = check_ratio("lo", lo)?;
    let hi = check_ratio("hi", hi)?;
    if !(lo <= rr && rr <= hi) {
        return Err(StatsError::InvalidParameter {
            name: "rr",
            value: rr,
            expected: "inside its confidence interval, lo <= rr <= hi",
        });
    }
    Ok(if rr > 1.0 && lo > 1.0 {
        threshold(lo)
    } else if rr < 1.0 && hi < 1.0 {
        threshold(hi)
    } else {
        1.0
    })
}

/// Checks a standardised mean difference.
fn check_smd(d: f64) -> Result<f64, StatsError> {
    if d.is_finite() {
        Ok(d)
    } else {
        Err(StatsError::InvalidParameter {
            name: "d",
            value: d,
            expected: "a finite standardised mean difference",
        })
    }
}

/// Approximate risk ratio `exp(0.91 d)` of a standardised mean difference `d` (Cohen's d),
/// the risk ratio of dichotomising a normally distributed outcome (VanderWeele 2017; EValue
/// `toRR.MD`). Only an approximation: report the E-value, not this ratio, as a result.
///
/// # Errors
/// [`StatsError::InvalidParameter`] if `d` is not finite.
pub fn rr_from_smd(d: f64) -> Result<f64, StatsError> {
    let rr = (0.91 * check_smd(d)?).exp();
    check_ratio("exp(0.91 d)", rr)
}

/// Approximate risk-ratio interval `[exp(0.91 d - 1.78 se), exp(0.91 d + 1.78 se)]` of a
/// standardised mean difference `d` with standard error `se` (EValue `evalues.MD`: the 1.78
/// is 1.96 x 0.91 = 1.7836, rounded as in the package: the 95 % normal quantile carried
/// through the same conversion).
///
/// # Errors
/// [`StatsError::InvalidParameter`] if `d` is not finite, `se` is not finite and
/// non-negative, or the limits overflow.
pub fn rr_interval_from_smd(d: f64, se: f64) -> Result<Interval, StatsError> {
    let d = check_smd(d)?;
    if !(se.is_finite() && se >= 0.0) {
        return Err(StatsError::InvalidParameter {
            name: "se",
            value: se,
            expected: "a finite, non-negative standard error",
        });
    }
    let low = check_ratio("exp(0.91 d - 1.78 se)", (0.91 * d - 1.78 * se).exp())?;
    let high = check_ratio("exp(0.91 d + 1.78 se)", (0.91 * d + 1.78 * se).exp())?;
    Ok(Interval { low, high })
}

/// E-values of a standardised mean difference `d` with standard error `se`: the point
/// E-value of `exp(0.91 d)` and the interval E-value of [`rr_interval_from_smd`], as EValue
/// `evalues.MD(est = d, se = se)` reports them.
///
/// # Errors
/// As [`rr_interval_from_smd`].
pub fn e_values_smd(d: f64, se: f64) -> Result<EValues, StatsError> {
    let rr = rr_from_smd(d)?;
    let ci = rr_interval_from_smd(d, se)?;
    Ok(EValues {
        point: e_value_rr(rr)?,
        ci: e_value_ci(rr, ci.low, ci.high)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    // VanderWeele & Ding (2017), breastfeeding and infant respiratory death (Victora et al.
    // 1987): RR 3.9 (95 % CI 1.8 to 8.7); E-value 3.9 + sqrt(3.9 x 2.9) = 7.26 ("7.2" in the
    // paper), and for the lower limit 1.8 + sqrt(1.8 x 0.8) = 3.0 (EValue tests, "Annals
    // case #1"). The preventive version 1/3.9 (1/8.7 to 1/1.8) has the same E-values.
    #[test]
    fn annals_breastfeeding_example() {
        let e = e_value_rr(3.9).unwrap();
        assert!(close(e, 3.9 + (3.9_f64 * 2.9).sqrt(), 1e-14));
        assert!(close(e, 7.263_034_344_160_047, 1e-12));
        assert!(close(e_value_ci(3.9, 1.8, 8.7).unwrap(), 3.0, 1e-14));
        let p = e_value_rr(1.0 / 3.9).unwrap();
        assert!(close(p, e, 1e-12));
        let c = e_value_ci(1.0 / 3.9, 1.0 / 8.7, 1.0 / 1.8).unwrap();
        assert!(close(c, 3.0, 1e-12));
    }

    // VanderWeele & Ding (2017), further examples: RR 0.80 (0.71 to 0.91) gives E-values
    // 1.81 and 1.43 (EValue tests, "Annals, Further Examples #1").
    #[test]
    fn annals_protective_example() {
        assert!(close(
            e_value_rr(0.8).unwrap(),
            1.809_016_994_374_947_5,
            1e-12
        ));
        let ci = e_value_ci(0.8, 0.71, 0.91).unwrap();
        let x: f64 = 1.0 / 0.91;
        assert!(close(ci, x + (x * (x - 1.0)).sqrt(), 1e-14));
        assert!(close(ci, 1.43, 5e-3));
    }

    // EValue README: evalues.RR(est = 10.73, lo = 8.02, hi = 14.36) gives 20.94777 and
    // 15.52336 (Hammond & Horn 1958, smoking and lung cancer).
    #[test]
    fn evalue_readme_smoking_example() {
        assert!(close(e_value_rr(10.73).unwrap(), 20.94777, 5e-6));
        assert!(close(
            e_value_ci(10.73, 8.02, 14.36).unwrap(),
            15.52336,
            5e-6
        ));
    }

    #[test]
    fn interval_containing_one_gives_one() {
        assert_eq!(e_value_ci(1.4, 0.9, 2.1).unwrap(), 1.0);
        assert_eq!(e_value_ci(0.7, 0.4, 1.2).unwrap(), 1.0);
        assert_eq!(e_value_ci(1.0, 1.0, 1.0).unwrap(), 1.0);
        assert_eq!(e_value_ci(1.3, 1.0, 1.5).unwrap(), 1.0);
        assert_eq!(e_value_rr(1.0).unwrap(), 1.0);
    }

    // EValue roxygen example evalues.MD(.5, .25): RR = exp(0.455) = 1.5761734, limits
    // exp(0.455 -+ 0.445) = 1.0100502 and 2.4596031; E-values (Python, same formulas)
    // 2.5291419818612693 and 1.1108031965303733. A negative d of -0.5 (se 0.2) mirrors it:
    // the upper limit exp(-0.455 + 0.356) = 0.9057427 is nearest 1, E-value 1.4430296.
    #[test]
    fn evalue_md_examples() {
        assert!(close(
            rr_from_smd(0.5).unwrap(),
            1.576_173_383_033_991_2,
            1e-14
        ));
        let ci = rr_interval_from_smd(0.5, 0.25).unwrap();
        assert!(close(ci.low, 1.010_050_167_084_168_2, 1e-14));
        assert!(close(ci.high, 2.459_603_111_156_95, 1e-13));
        let e = e_values_smd(0.5, 0.25).unwrap();
        assert!(close(e.point, 2.529_141_981_861_269_3, 1e-12));
        assert!(close(e.ci, 1.110_803_196_530_373_3, 1e-12));
        let n = e_values_smd(-0.5, 0.2).unwrap();
        assert!(close(n.point, 2.529_141_981_861_269, 1e-12));
        assert!(close(n.ci, 1.443_029_563_442_685, 1e-12));
        // Interval crossing the null (d = 0.2, se = 0.3): E-value 1.
        assert_eq!(e_values_smd(0.2, 0.3).unwrap().ci, 1.0);
        // se = 0: the interval is the point.
        let z = e_values_smd(0.5, 0.0).unwrap();
        assert!(close(z.ci, z.point, 1e-14));
    }

    #[test]
    fn bad_input_is_an_error() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(e_value_rr(bad).is_err(), "{bad}");
            assert!(e_value_ci(2.0, bad, 3.0).is_err());
            assert!(e_value_ci(2.0, 1.5, bad).is_err());
        }
        assert!(e_value_ci(2.0, 2.5, 3.0).is_err());
        assert!(e_value_ci(2.0, 3.0, 1.5).is_err());
        assert!(rr_from_smd(f64::NAN).is_err());
        assert!(rr_from_smd(1000.0).is_err()); // exp overflows
        assert!(rr_from_smd(-1000.0).is_err()); // exp underflows to 0
        assert!(rr_interval_from_smd(0.5, -0.1).is_err());
        assert!(rr_interval_from_smd(0.5, f64::NAN).is_err());
        assert!(e_values_smd(0.5, f64::INFINITY).is_err());
    }
}
