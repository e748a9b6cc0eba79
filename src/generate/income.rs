//! Household income: a level at intake and a path that the programme lifts.
//!
//! Income is drawn in EUR at `PRICE_YEAR` prices (so the programme effect is a real
//! effect) and written in the country's currency at the year's nominal value. The
//! programme arm gains `INCOME_GAIN_PROGRAMME` by exit (more with an income-generation
//! grant), part of which fades after exit; everyone shares a small real growth trend,
//! which is all the comparison arm gets. The difference is what a difference-in-
//! differences estimate should recover.

use rand::Rng;

use super::calibration as cal;
use super::country::CountryProfile;
use super::draw;
use crate::dates::{self, Day, DAYS_PER_YEAR};

/// A family's real income path (EUR per month at price-year prices).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncomePath {
    pub intake_eur: f64,
    /// Real gain reached by exit, as a fraction of intake income.
    pub gain: f64,
}

/// Draw a family's income path.
pub fn draw_path<R: Rng + ?Sized>(
    rng: &mut R,
    country: &CountryProfile,
    household: u8,
    risk: u8,
    intake_level: f64,
    programme_arm: bool,
    grant: bool,
) -> IncomePath {
    let level = country.income_eur_2024
        * cal::INCOME_HOUSEHOLD[household as usize]
        * cal::INCOME_RISK[risk as usize]
        * (cal::INCOME_THETA * (intake_level - cal::THETA_REF)).exp()
        * draw::lognormal_mean_one(rng, cal::INCOME_FAMILY_SIGMA);
    let gain = if programme_arm {
        cal::INCOME_GAIN_PROGRAMME + if grant { cal::INCOME_GAIN_GRANT } else { 0.0 }
    } else {
        0.0
    };
    IncomePath {
        intake_eur: level,
        gain,
    }
}

impl IncomePath {
    /// Expected real monthly income on `day` for an episode from `intake` to `end`.
    pub fn expected(&self, day: Day, intake: Day, end: Day) -> f64 {
        let since_intake = ((day - intake).max(0)) as f64 / DAYS_PER_YEAR;
        let trend = (1.0 + cal::INCOME_REAL_GROWTH).powf(since_intake);
        let kept = if day < end {
            (day - intake).max(0) as f64 / (end - intake).max(1) as f64
        } else {
            let after = (day - end) as f64 / DAYS_PER_YEAR;
            1.0 - cal::INCOME_FADE * (1.0 - (-after / cal::FADE_TAU_YEARS).exp())
        };
        self.intake_eur * trend * (1.0 + self.gain * kept)
    }

    /// One observation on `day`: the expected value with observation noise, in nominal
    /// local currency rounded to whole units.
    pub fn observe<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        country: &CountryProfile,
        day: Day,
        intake: Day,
        end: Day,
    ) -> f64 {
        let eur = self.expected(day, intake, end)
            * draw::lognormal_mean_one(rng, cal::INCOME_OBSERVATION_SIGMA);
        country
            .local_nominal(eur, dates::year_of(day), cal::PRICE_YEAR)
            .round()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_income_follows_gain_fade_and_trend() {
        let p = IncomePath {
            intake_eur: 400.0,
            gain: 0.2,
        };
        assert_eq!(p.expected(0, 0, 730), 400.0);
        // At exit after two years: 400 x 1.015^(730/365.25) x 1.2.
        let at_exit = 400.0 * 1.015f64.powf(730.0 / DAYS_PER_YEAR) * 1.2;
        assert!((p.expected(730, 0, 730) - at_exit).abs() < 1e-9);
        // Long after exit 30 % of the gain is gone: factor 1 + 0.2 x 0.7 = 1.14.
        let day = 730 + 20 * 365;
        let trend = 1.015f64.powf(day as f64 / DAYS_PER_YEAR);
        assert!((p.expected(day, 0, 730) / trend - 400.0 * 1.14).abs() < 1e-3);
        let c = IncomePath {
            intake_eur: 400.0,
            gain: 0.0,
        };
        assert!(
            (c.expected(730, 0, 730) - 400.0 * 1.015f64.powf(730.0 / DAYS_PER_YEAR)).abs() < 1e-9
        );
    }
}
