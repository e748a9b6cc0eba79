//! Latent family well-being over time and the domain scores it produces.
//!
//! A family has one latent level on the 1..4 score scale: where it starts depends on its
//! risk level, household type, minority and disability; the programme lifts it by exit
//! (a small drift in the comparison arm) and part of that gain fades after exit, more for
//! high-risk and single-parent or child-headed households. Each domain score is the
//! latent level plus a domain offset, a stable family x domain effect and sitting noise,
//! cut at 1.5 / 2.5 / 3.5. Keeping the path a pure function of time means a sitting's
//! scores depend only on its date and the family's draws, not on which other sittings
//! happened, which is what makes `full_response` runs comparable.

use rand::Rng;

use super::calibration as cal;
use super::draw;
use crate::dates::{Day, DAYS_PER_YEAR};

/// The covariates that shape a family's well-being.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    pub risk: u8,
    pub household: u8,
    pub minority: bool,
    pub disability: bool,
    pub programme_arm: bool,
}

/// A family's latent well-being path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Latent level at intake.
    pub intake_level: f64,
    /// Gain reached at the end of the episode.
    pub gain: f64,
    /// Share of the gain lost in the long run after exit.
    pub fade: f64,
    /// Stable family x domain effects.
    pub domain_effect: [f64; 8],
}

/// Mean latent intake level for a profile (before the family random effect).
pub fn mean_intake_level(p: &Profile) -> f64 {
    cal::THETA_BASE
        + cal::THETA_RISK[p.risk as usize]
        + cal::THETA_HOUSEHOLD[p.household as usize]
        + if p.minority { cal::THETA_MINORITY } else { 0.0 }
        + if p.disability {
            cal::THETA_DISABILITY
        } else {
            0.0
        }
}

/// Draw a family's path.
pub fn draw_path<R: Rng + ?Sized>(rng: &mut R, p: &Profile) -> Path {
    let intake_level = draw::normal(rng, mean_intake_level(p), cal::THETA_FAMILY_SD);
    let (gain, fade) = if p.programme_arm {
        (
            draw::normal(rng, cal::GAIN_PROGRAMME[p.risk as usize], cal::GAIN_SD),
            cal::FADE_RISK[p.risk as usize] + cal::FADE_HOUSEHOLD[p.household as usize],
        )
    } else {
        (
            draw::normal(rng, cal::GAIN_COMPARISON.0, cal::GAIN_COMPARISON.1),
            0.0,
        )
    };
    let mut domain_effect = [0.0; 8];
    for e in &mut domain_effect {
        *e = draw::normal(rng, 0.0, cal::DOMAIN_FAMILY_SD);
    }
    Path {
        intake_level,
        gain,
        fade,
        domain_effect,
    }
}

impl Path {
    /// Latent level on `day` for an episode from `intake` to `end`: the gain grows
    /// linearly during the episode, then a share `fade` of it is lost with time constant
    /// `FADE_TAU_YEARS`.
    pub fn level(&self, day: Day, intake: Day, end: Day) -> f64 {
        if day <= intake {
            return self.intake_level;
        }
        if day < end {
            let frac = (day - intake) as f64 / (end - intake).max(1) as f64;
            return self.intake_level + self.gain * frac;
        }
        let years = (day - end) as f64 / DAYS_PER_YEAR;
        let kept = 1.0 - self.fade * (1.0 - (-years / cal::FADE_TAU_YEARS).exp());
        self.intake_level + self.gain * kept
    }

    /// Draw the eight domain scores of a sitting at latent `level`.
    pub fn scores<R: Rng + ?Sized>(&self, rng: &mut R, level: f64) -> [u8; 8] {
        let mut out = [0u8; 8];
        for (d, s) in out.iter_mut().enumerate() {
            let latent = level
                + cal::DOMAIN_OFFSET[d]
                + self.domain_effect[d]
                + draw::normal(rng, 0.0, cal::SITTING_SD);
            *s = score_of(latent);
        }
        out
    }
}

/// The 1..=4 score of a latent value: cuts at 1.5, 2.5 and 3.5.
pub fn score_of(latent: f64) -> u8 {
    if latent < 1.5 {
        1
    } else if latent < 2.5 {
        2
    } else if latent < 3.5 {
        3
    } else {
        4
    }
}

/// Doing well overall (docs/method.md section 2): score >= 3 in at least 6 of the 8 domains.
pub fn doing_well_overall(scores: &[u8; 8]) -> bool {
    scores.iter().filter(|s| **s >= 3).count() >= 6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> Path {
        Path {
            intake_level: 2.0,
            gain: 1.0,
            fade: 0.4,
            domain_effect: [0.0; 8],
        }
    }

    #[test]
    fn score_cuts() {
        assert_eq!(score_of(1.49), 1);
        assert_eq!(score_of(1.5), 2);
        assert_eq!(score_of(2.5), 3);
        assert_eq!(score_of(3.49), 3);
        assert_eq!(score_of(9.0), 4);
        assert!(doing_well_overall(&[3, 3, 3, 3, 3, 3, 1, 2]));
        assert!(!doing_well_overall(&[3, 3, 3, 3, 3, 2, 1, 2]));
    }

    #[test]
    fn level_rises_during_the_episode_and_fades_after() {
        let p = path();
        assert_eq!(p.level(0, 0, 730), 2.0);
        assert!((p.level(365, 0, 730) - 2.5).abs() < 1e-3);
        assert_eq!(p.level(730, 0, 730), 3.0);
        // After 1.5 years (one time constant) 0.4 x (1 - e^-1) = 0.25285 of the gain is lost.
        let day = 730 + (1.5 * DAYS_PER_YEAR) as Day;
        assert!((p.level(day, 0, 730) - (3.0 - 0.4 * (1.0 - (-1.0f64).exp()))).abs() < 1e-3);
        // In the long run the level tends to 2 + 0.6 = 2.6.
        assert!((p.level(730 + 40 * 365, 0, 730) - 2.6).abs() < 1e-6);
    }

    #[test]
    fn mean_intake_level_adds_the_covariate_shifts() {
        let p = Profile {
            risk: 3,
            household: 1,
            minority: true,
            disability: false,
            programme_arm: true,
        };
        // 2.59 - 0.55 - 0.15 - 0.15 = 1.74
        assert!((mean_intake_level(&p) - 1.74).abs() < 1e-12);
    }
}
