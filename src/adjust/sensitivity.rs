//! How strong a confounder that was not measured would have to be to explain an effect
//! away (docs/method.md section 4.5.6).
//!
//! Propensity adjustment removes the bias of the covariates it sees, never that of the
//! ones it does not. The E-value (VanderWeele & Ding 2017) is the minimum strength of
//! association, on the risk-ratio scale, that an unmeasured confounder would need with
//! both the arm and the outcome to explain the estimate away (and, for the interval, to
//! move its limit nearest the null to 1). For the placement risk ratio at the horizon it
//! applies directly; for the income effect through the standardised difference `d =
//! effect / SD`, with `RR ~ exp(0.91 d)` and the interval `exp(0.91 d +- 1.78 se)` (the
//! paper's approximation for continuous outcomes). The SROI's tipping point is in
//! [`tipping_share`].

use serde::{Deserialize, Serialize};

use crate::stats::{
    e_value_ci, e_value_rr, e_values_smd, percentile_interval, rr_from_smd, rr_interval_from_smd,
};

/// `tables/sensitivity`: an estimate, its risk ratio and E-values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EValueRow {
    /// `placement_risk_ratio` (programme over comparison cumulative placement incidence
    /// at the horizon) or `income_effect_annual` (as a standardised difference).
    pub estimand: String,
    /// The estimate on its own scale and its 95 % interval (bootstrap percentile).
    pub estimate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The risk ratio the E-value is computed from, and its interval.
    pub risk_ratio: f64,
    pub rr_low: f64,
    pub rr_high: f64,
    pub e_value: f64,
    /// E-value of the interval's limit nearest 1 (1 when the interval includes 1).
    pub e_value_ci: f64,
}

/// E-values of the placement risk ratio `F_p(H) / F_c(H)`, with the replicates' pairs
/// `(F_p, F_c)` giving its interval. `None` when a ratio is not defined (no placement).
pub fn placement(f: (f64, f64), replicates: &[(f64, f64)]) -> Option<EValueRow> {
    let (fp, fc) = f;
    if !(fp > 0.0 && fc > 0.0) {
        return None;
    }
    let rr = fp / fc;
    let reps: Vec<f64> = replicates
        .iter()
        .filter(|(p, c)| *p > 0.0 && *c > 0.0)
        .map(|(p, c)| p / c)
        .collect();
    let ci = percentile_interval(&reps, 0.95).ok()?;
    let (lo, hi) = (ci.low.min(rr), ci.high.max(rr));
    Some(EValueRow {
        estimand: "placement_risk_ratio".into(),
        estimate: rr,
        ci_low: ci.low,
        ci_high: ci.high,
        risk_ratio: rr,
        rr_low: ci.low,
        rr_high: ci.high,
        e_value: e_value_rr(rr).ok()?,
        e_value_ci: e_value_ci(rr, lo, hi).ok()?,
    })
}

/// E-values of an income effect with bootstrap replicates, as a standardised difference
/// over `sd`, the SD of the outcome (the families' income changes).
pub fn income(effect: f64, replicates: &[f64], sd: f64) -> Option<EValueRow> {
    if !(sd > 0.0 && effect.is_finite()) {
        return None;
    }
    let reps: Vec<f64> = replicates
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if reps.len() < 2 {
        return None;
    }
    let mean = reps.iter().sum::<f64>() / reps.len() as f64;
    let se = (reps.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (reps.len() - 1) as f64)
        .sqrt();
    let ci = percentile_interval(&reps, 0.95).ok()?;
    let (d, se_d) = (effect / sd, se / sd);
    let e = e_values_smd(d, se_d).ok()?;
    let rri = rr_interval_from_smd(d, se_d).ok()?;
    Some(EValueRow {
        estimand: "income_effect_annual".into(),
        estimate: effect,
        ci_low: ci.low,
        ci_high: ci.high,
        risk_ratio: rr_from_smd(d).ok()?,
        rr_low: rri.low,
        rr_high: rri.high,
        e_value: e.point,
        e_value_ci: e.ci,
    })
}

/// The share of the data-derived effects that hidden bias would have to explain for the
/// SROI ratio to fall to 1: the ratio is linear in the effects (avoided placements, the
/// income effect, the doing-well shares above the comparison arm's), so with `ratio` as
/// estimated and `ratio_without` the ratio with every one of them explained away, the
/// ratio at share `s` is `ratio - s (ratio - ratio_without)`. `None` when the ratio is
/// not above 1, or when it stays at or above 1 even without the data-derived effects
/// (no share of bias in them brings it to 1).
pub fn tipping_share(ratio: f64, ratio_without: f64) -> Option<f64> {
    (ratio > 1.0 && ratio_without < 1.0).then(|| (ratio - 1.0) / (ratio - ratio_without))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_e_value_of_a_protective_ratio() {
        // F_p = 0.05, F_c = 0.10: RR = 0.5, E-value of 1/RR = 2: 2 + sqrt(2) = 3.414.
        let reps: Vec<(f64, f64)> = (0..101)
            .map(|i| (0.04 + 0.0002 * f64::from(i), 0.1))
            .collect();
        let r = placement((0.05, 0.10), &reps).unwrap();
        assert!((r.risk_ratio - 0.5).abs() < 1e-12);
        assert!((r.e_value - (2.0 + 2f64.sqrt())).abs() < 1e-12);
        // Replicate ratios spread evenly over 0.4..0.6: the 2.5 % and 97.5 % points are
        // 0.405 and 0.595; the limit nearest 1 is 0.595, E-value of 1/0.595.
        assert!((r.rr_low - 0.405).abs() < 1e-9, "{r:?}");
        assert!((r.rr_high - 0.595).abs() < 1e-9, "{r:?}");
        let x: f64 = 1.0 / 0.595;
        assert!((r.e_value_ci - (x + (x * (x - 1.0)).sqrt())).abs() < 1e-9);
        assert!(placement((0.0, 0.1), &reps).is_none());
    }

    #[test]
    fn income_e_value_through_the_standardised_difference() {
        // Effect 500 with SD 1000: d = 0.5; replicates with SD 250: se = 0.25. The
        // EValue package's evalues.MD(0.5, 0.25): RR 1.5761734, E-values 2.5291420 and
        // 1.1108032.
        let reps: Vec<f64> = [-1.0, 1.0]
            .iter()
            .map(|s| 500.0 + s * 250.0 / 2f64.sqrt())
            .collect();
        let r = income(500.0, &reps, 1000.0).unwrap();
        assert!((r.risk_ratio - 1.576_173_4).abs() < 1e-6);
        assert!((r.e_value - 2.529_142_0).abs() < 1e-6, "{r:?}");
        assert!((r.e_value_ci - 1.110_803_2).abs() < 1e-6, "{r:?}");
    }

    #[test]
    fn tipping_share_is_where_the_ratio_reaches_one() {
        // 5.5 with the effects, 0.5 without: 4.5 / 5 = 0.9 of them must be bias.
        assert!((tipping_share(5.5, 0.5).unwrap() - 0.9).abs() < 1e-12);
        assert_eq!(tipping_share(5.5, 1.2), None);
        assert_eq!(tipping_share(0.8, 0.5), None);
    }
}
