//! Household income: a level at intake and a path that the programme lifts.
//!
//! Income is drawn in EUR at `PRICE_YEAR` prices (so the programme effect is a real
//! effect) and written in the country's currency at the year's nominal value. The
//! programme arm gains `INCOME_GAIN_PROGRAMME` by exit (more with an income-generation
//! grant), part of which fades after exit; everyone shares a small real growth trend,
//! which is all the comparison arm gets. The difference is what a difference-in-
//! differences estimate should recover. In confounded mode the trend also depends on the
//! risk level ([`growth`]), the same in both arms: parallel trends then hold only given
//! the risk level. A path without its gain ([`IncomePath::without_programme`]) is the
//! family's income had it not been in the programme, which `truth.json` compares with.

use rand::Rng;

use super::calibration as cal;
use super::country::CountryProfile;
use super::draw;
use super::options::Comparison;
use crate::dates::{self, Day, DAYS_PER_YEAR};

/// A family's real income path (EUR per month at price-year prices).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncomePath {
    pub intake_eur: f64,
    /// Real gain reached by exit, as a fraction of intake income.
    pub gain: f64,
    /// Real growth per year of the income without the programme ([`growth`]).
    pub growth: f64,
}

/// Real income growth per year of a family at `risk`: `INCOME_REAL_GROWTH` for everyone,
/// plus `INCOME_GROWTH_RISK` in confounded mode.
pub fn growth(comparison: Comparison, risk: u8) -> f64 {
    match comparison {
        Comparison::Random => cal::INCOME_REAL_GROWTH,
        Comparison::Confounded => cal::INCOME_REAL_GROWTH + cal::INCOME_GROWTH_RISK[risk as usize],
    }
}

/// Draw a family's income path, with the common growth trend (confounded mode replaces
/// it with [`growth`]).
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
        growth: cal::INCOME_REAL_GROWTH,
    }
}

impl IncomePath {
    /// Expected real monthly income on `day` for an episode from `intake` to `end`
    /// (before intake: the trend alone, run backwards).
    pub fn expected(&self, day: Day, intake: Day, end: Day) -> f64 {
        let since_intake = (day - intake) as f64 / DAYS_PER_YEAR;
        let trend = (1.0 + self.growth).powf(since_intake);
        let kept = if day < end {
            (day - intake).max(0) as f64 / (end - intake).max(1) as f64
        } else {
            let after = (day - end) as f64 / DAYS_PER_YEAR;
            1.0 - cal::INCOME_FADE * (1.0 - (-after / cal::FADE_TAU_YEARS).exp())
        };
        self.intake_eur * trend * (1.0 + self.gain * kept)
    }

    /// The same family's path had it not been in the programme: no gain, the same
    /// level and trend.
    pub fn without_programme(&self) -> IncomePath {
        IncomePath { gain: 0.0, ..*self }
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
            growth: 0.015,
        };
        assert_eq!(p.expected(0, 0, 730), 400.0);
        // At exit after two years: 400 x 1.015^(730/365.25) x 1.2.
        let at_exit = 400.0 * 1.015f64.powf(730.0 / DAYS_PER_YEAR) * 1.2;
        assert!((p.expected(730, 0, 730) - at_exit).abs() < 1e-9);
        // Long after exit 30 % of the gain is gone: factor 1 + 0.2 x 0.7 = 1.14.
        let day = 730 + 20 * 365;
        let trend = 1.015f64.powf(day as f64 / DAYS_PER_YEAR);
        assert!((p.expected(day, 0, 730) / trend - 400.0 * 1.14).abs() < 1e-3);
        let c = p.without_programme();
        assert_eq!(c.gain, 0.0);
        assert!(
            (c.expected(730, 0, 730) - 400.0 * 1.015f64.powf(730.0 / DAYS_PER_YEAR)).abs() < 1e-9
        );
        // Before intake the trend runs backwards and there is no gain yet.
        assert!(
            (p.expected(-730, 0, 730) - 400.0 / 1.015f64.powf(730.0 / DAYS_PER_YEAR)).abs() < 1e-9
        );
    }

    #[test]
    fn growth_depends_on_risk_only_in_confounded_mode() {
        for risk in 0..4 {
            assert_eq!(growth(Comparison::Random, risk), 0.015);
        }
        assert_eq!(growth(Comparison::Confounded, 0), 0.015);
        // Acute: 0.015 + 0.055.
        assert!((growth(Comparison::Confounded, 3) - 0.07).abs() < 1e-12);
    }
}
