//! Who is reached at follow-up: the non-response model.
//!
//! The chance of being assessed in follow-up year k is logistic in the intake covariates
//! the engine weights on (country, risk level, household type, service model, mean
//! intake score) with an intercept that falls with k. Because those covariates also
//! predict how well a family does, the unweighted share doing well is biased upward, and
//! inverse-probability weighting on the same covariates removes the bias. These draws
//! come from their own random stream (`Stream::GenerateResponse`), so switching
//! non-response off (`full_response`) leaves every family and score unchanged.

use super::calibration as cal;
use super::draw;

/// The covariates of the response model.
#[derive(Debug, Clone, Copy)]
pub struct Covariates {
    /// Index into `country::COUNTRIES`.
    pub country: usize,
    pub risk: u8,
    pub household: u8,
    pub model: u8,
    /// Mean of the intake sitting's domain scores.
    pub mean_intake_score: f64,
}

/// Probability of being assessed in follow-up year `year` (1..=5).
pub fn probability(year: usize, x: &Covariates) -> f64 {
    let k = year.clamp(1, 5) - 1;
    draw::logistic(
        cal::RESPONSE_YEAR[k]
            + cal::RESPONSE_RISK[x.risk as usize]
            + cal::RESPONSE_HOUSEHOLD[x.household as usize]
            + cal::RESPONSE_MODEL[x.model as usize]
            + cal::RESPONSE_COUNTRY[x.country]
            + cal::RESPONSE_INTAKE_SCORE * (x.mean_intake_score - 2.5),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probability_is_the_logistic_of_the_linear_predictor() {
        // Albania (+0.1), high risk (-0.6), single parent (-0.5), shelter (-0.4), mean
        // intake 2.0 (0.9 x -0.5 = -0.45), year 2 (1.5): eta = -0.35, p = 0.41338.
        let x = Covariates {
            country: 0,
            risk: 2,
            household: 1,
            model: 4,
            mean_intake_score: 2.0,
        };
        assert!((probability(2, &x) - 1.0 / (1.0 + 0.35f64.exp())).abs() < 1e-12);
        // Reference family, year 1: logistic(1.9 + 0.2 + 0.1) with two-parent +0.2, AL +0.1.
        let r = Covariates {
            country: 0,
            risk: 1,
            household: 0,
            model: 7,
            mean_intake_score: 2.5,
        };
        assert!((probability(1, &r) - draw::logistic(2.2)).abs() < 1e-12);
        assert!(probability(5, &r) < probability(1, &r));
    }
}
