//! Who is in the programme arm: at random, or by need.
//!
//! A real comparison arm (a waiting list, a neighbouring district, families who declined)
//! differs from the programme's families, so the generator can make one that does
//! ([`Comparison::Confounded`]). Membership then depends only on covariates written to
//! `families` (risk level, household type, minority and disability flags as recorded,
//! children count), never on a latent quantity: the data are confounded *on observables*,
//! so the unadjusted contrast is biased and a propensity model of those covariates can
//! remove the bias. Intake scores and intake income differ between the arms only through
//! these covariates.
//!
//! Both modes take one uniform draw at the place in the family's stream where the random
//! mode has always taken it, so a random-mode dataset is byte for byte what it was before
//! confounded mode existed. (The two modes' datasets share only each chunk's first family:
//! what follows the arm draws a different number of values in each arm.)

use super::calibration as cal;
use super::draw;
use super::options::Comparison;

/// The covariates membership may depend on, as written to `families`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Intake {
    pub risk: u8,
    pub household: u8,
    pub minority: Option<bool>,
    pub disability: Option<bool>,
    pub children_count: i32,
}

/// Probability that a family with these covariates is in the programme arm.
pub fn programme_probability(comparison: Comparison, x: &Intake) -> f64 {
    match comparison {
        Comparison::Random => cal::PROGRAMME_ARM_SHARE,
        Comparison::Confounded => draw::logistic(membership_logit(x)),
    }
}

/// Log-odds of membership in confounded mode (`SELECTION_*` in [`cal`]).
pub fn membership_logit(x: &Intake) -> f64 {
    let flag = |v: Option<bool>, shift: f64| if v == Some(true) { shift } else { 0.0 };
    cal::SELECTION_INTERCEPT
        + cal::SELECTION_RISK[x.risk as usize]
        + cal::SELECTION_HOUSEHOLD[x.household as usize]
        + flag(x.minority, cal::SELECTION_MINORITY)
        + flag(x.disability, cal::SELECTION_DISABILITY)
        + cal::SELECTION_PER_CHILD * f64::from(x.children_count - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intake(risk: u8, household: u8, flags: bool, children_count: i32) -> Intake {
        Intake {
            risk,
            household,
            minority: Some(flags),
            disability: Some(flags),
            children_count,
        }
    }

    #[test]
    fn random_mode_is_the_fixed_share() {
        let x = intake(3, 3, true, 5);
        assert_eq!(
            programme_probability(Comparison::Random, &x),
            cal::PROGRAMME_ARM_SHARE
        );
    }

    #[test]
    fn confounded_log_odds_add_the_covariate_shifts() {
        // Low risk, two-parent, no flags, one child: 1.15 - 1.3 = -0.15.
        let base = intake(0, 0, false, 1);
        assert!((membership_logit(&base) + 0.15).abs() < 1e-12);
        // Acute, child-headed, both flags, five children:
        // 1.15 + 0.7 + 0.3 + 0.2 + 0.2 + 0.4 = 2.95.
        let needy = intake(3, 3, true, 5);
        assert!((membership_logit(&needy) - 2.95).abs() < 1e-12);
        // A null flag counts as not set.
        let unknown = Intake {
            minority: None,
            disability: None,
            ..needy
        };
        assert!((membership_logit(&unknown) - 2.55).abs() < 1e-12);
        // Overlap at the extremes: 1 / (1 + e^0.15) = 0.4626 and 1 / (1 + e^-2.95) = 0.9503.
        let p = |x: &Intake| programme_probability(Comparison::Confounded, x);
        assert!((p(&base) - 0.462_570).abs() < 1e-5);
        assert!((p(&needy) - 0.950_263).abs() < 1e-5);
    }
}
