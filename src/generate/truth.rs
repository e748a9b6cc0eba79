//! The true programme effects of a generated dataset, written as `truth.json`.
//!
//! The generator knows both potential paths of every programme family: its income with
//! the programme and without it ([`IncomePath::without_programme`]), and each child's
//! placement hazard with the programme and without it (the comparison arm's hazard for
//! the same risk level and intake well-being). Averaging the difference over the programme
//! families gives the effect on the treated (ATT) that kinsight's estimates target, so an
//! estimator (unadjusted, or adjusted for confounded arms) can be checked against it.
//!
//! Everything here is an expectation computed in closed form from the family's draws, not
//! a second random draw: the truth adds no noise of its own and takes nothing from the
//! random streams, so writing it leaves the data unchanged. Sums are kept per chunk and
//! added in chunk order, so the file is the same on any number of threads.
//!
//! Populations and units follow the engine (docs/method.md sections 3-4):
//! - income: programme-arm families with an exit on or before the cut-off (the cohort);
//!   year k is the k-th anniversary of exit, `exit + round(k x 365.25)` days; amounts are
//!   annual (monthly x 12) real EUR at `PRICE_YEAR` prices, the engine's reporting currency
//!   and price year for generated data;
//! - placements: the children of those families living in the family at exit (not in care
//!   on the exit date) and under 18 on it; the incidence of a first placement after exit
//!   by `round(k x 365.25)` days, for the hazard process without censoring (no 18th
//!   birthday, no cut-off): `1 - mean exp(-cumulative hazard)`, the cumulative incidence a
//!   Kaplan-Meier estimate targets when censoring is independent of the hazard.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::calibration as cal;
use super::care;
use super::family::WINDOW_HALF_WIDTH;
use super::income::IncomePath;
use super::options::Plan;
use super::GenerateError;
use crate::dates::{self, add_years, Day};

/// Follow-up years 1..=5.
pub const YEARS: usize = 5;
/// File name inside the dataset folder.
pub const FILE: &str = "truth.json";

/// Per-chunk sums behind `truth.json`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TruthSums {
    /// Families simulated, and those in the programme arm.
    pub families: u64,
    pub programme_families: u64,
    /// Programme families with an exit on or before the cut-off.
    pub programme_exits: u64,
    /// Sum over them of the annual real income gain at anniversary k.
    pub income_gain: [f64; YEARS],
    /// Of them, those whose year-k window (anniversary + 182 days) ended by the cut-off,
    /// and the sum of their gains.
    pub due: [u64; YEARS],
    pub income_gain_due: [f64; YEARS],
    /// Their children at risk after exit.
    pub children_at_risk: u64,
    /// Sums over those children of the incidence by year k with and without the programme.
    pub incidence_treated: [f64; YEARS],
    pub incidence_untreated: [f64; YEARS],
}

/// Days from exit to the k-th anniversary, k = 1..=5 (the engine's `add_years`).
fn anniversary_days() -> [Day; YEARS] {
    std::array::from_fn(|k| add_years(0, (k + 1) as f64))
}

impl TruthSums {
    /// Count a family (either arm).
    pub fn add_family(&mut self, programme_arm: bool) {
        self.families += 1;
        self.programme_families += u64::from(programme_arm);
    }

    /// A programme family with an exit on `exit` (episode from `intake` to `end`): its
    /// income gain at each anniversary of exit.
    pub fn add_income(&mut self, path: &IncomePath, intake: Day, end: Day, exit: Day, cutoff: Day) {
        self.programme_exits += 1;
        let without = path.without_programme();
        for (k, days) in anniversary_days().into_iter().enumerate() {
            let day = exit + days;
            let gain =
                12.0 * (path.expected(day, intake, end) - without.expected(day, intake, end));
            self.income_gain[k] += gain;
            if day + WINDOW_HALF_WIDTH <= cutoff {
                self.due[k] += 1;
                self.income_gain_due[k] += gain;
            }
        }
    }

    /// A programme child at risk after `exit`: with the programme its hazard is
    /// `during` until `care_end` (the episode end its placements were simulated with,
    /// later than the exit when a sibling's placement closed the episode early) and
    /// `after` from then on; without it, the constant `untreated` rate.
    ///
    /// A placement drawn at continuous time `t` is dated `floor(t)` and one dated on the
    /// exit day counts as during the programme, so a child at risk has no placement before
    /// `exit + 1` and one dated within `d` days after exit falls before `exit + d + 1`:
    /// the incidence by day `d` is `1 - exp(-H(exit + 1, exit + d + 1))`.
    pub fn add_child(&mut self, exit: Day, care_end: Day, during: f64, after: f64, untreated: f64) {
        self.children_at_risk += 1;
        let start = (exit + 1) as f64;
        for (k, days) in anniversary_days().into_iter().enumerate() {
            let to = start + days as f64;
            let treated = care::cumulative_hazard(start, to, care_end, during, after);
            let without = care::cumulative_hazard(start, to, care_end, untreated, untreated);
            self.incidence_treated[k] += 1.0 - (-treated).exp();
            self.incidence_untreated[k] += 1.0 - (-without).exp();
        }
    }

    /// Add another chunk's sums (called in chunk order).
    pub fn merge(&mut self, other: &TruthSums) {
        self.families += other.families;
        self.programme_families += other.programme_families;
        self.programme_exits += other.programme_exits;
        self.children_at_risk += other.children_at_risk;
        for k in 0..YEARS {
            self.income_gain[k] += other.income_gain[k];
            self.due[k] += other.due[k];
            self.income_gain_due[k] += other.income_gain_due[k];
            self.incidence_treated[k] += other.incidence_treated[k];
            self.incidence_untreated[k] += other.incidence_untreated[k];
        }
    }
}

/// One follow-up year's value (`null` when no family or child contributes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearValue {
    pub year: u32,
    pub value: Option<f64>,
}

/// One follow-up year's value over the families due that year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearDueValue {
    pub year: u32,
    pub families: u64,
    pub value: Option<f64>,
}

/// The contents of `truth.json` (documented field by field in data/README.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truth {
    pub generator: String,
    pub seed: u64,
    pub families: u64,
    pub comparison: &'static str,
    pub data_cutoff: String,
    pub reporting_currency: &'static str,
    pub price_year: i32,
    pub programme_families: u64,
    pub programme_families_with_exit: u64,
    pub programme_children_at_risk: u64,
    pub income_effect_att: Vec<YearValue>,
    pub income_effect_att_due: Vec<YearDueValue>,
    pub placement_incidence_programme_treated: Vec<YearValue>,
    pub placement_incidence_programme_untreated: Vec<YearValue>,
}

impl Truth {
    /// The means of a run's sums.
    pub fn new(plan: &Plan, s: &TruthSums) -> Truth {
        let mean = |sum: f64, n: u64| (n > 0).then(|| sum / n as f64);
        let years = |f: &dyn Fn(usize) -> Option<f64>| {
            (0..YEARS)
                .map(|k| YearValue {
                    year: (k + 1) as u32,
                    value: f(k),
                })
                .collect()
        };
        Truth {
            generator: format!("kinsight generate {}", env!("CARGO_PKG_VERSION")),
            seed: plan.seed,
            families: plan.families,
            comparison: plan.comparison.label(),
            data_cutoff: dates::format(plan.data_cutoff),
            reporting_currency: "EUR",
            price_year: cal::PRICE_YEAR,
            programme_families: s.programme_families,
            programme_families_with_exit: s.programme_exits,
            programme_children_at_risk: s.children_at_risk,
            income_effect_att: years(&|k| mean(s.income_gain[k], s.programme_exits)),
            income_effect_att_due: (0..YEARS)
                .map(|k| YearDueValue {
                    year: (k + 1) as u32,
                    families: s.due[k],
                    value: mean(s.income_gain_due[k], s.due[k]),
                })
                .collect(),
            placement_incidence_programme_treated: years(&|k| {
                mean(s.incidence_treated[k], s.children_at_risk)
            }),
            placement_incidence_programme_untreated: years(&|k| {
                mean(s.incidence_untreated[k], s.children_at_risk)
            }),
        }
    }

    /// Write `truth.json` into the dataset folder `out`.
    ///
    /// # Errors
    /// [`GenerateError::Io`] when the file cannot be written.
    pub fn write(&self, out: &Path) -> Result<PathBuf, GenerateError> {
        let path = out.join(FILE);
        serde_json::to_string_pretty(self)
            .map_err(std::io::Error::from)
            .and_then(|text| fs::write(&path, text + "\n"))
            .map_err(|source| GenerateError::Io {
                path: path.clone(),
                source,
            })?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::DAYS_PER_YEAR;

    #[test]
    fn anniversaries_are_the_engines() {
        assert_eq!(anniversary_days(), [365, 731, 1096, 1461, 1826]);
    }

    #[test]
    fn income_gain_is_the_gain_path_times_twelve() {
        // EUR 400 a month, 20 % gain by exit two years after intake, 30 % of it fading
        // with a 1.5-year time constant, 1.5 % growth a year.
        let path = IncomePath {
            intake_eur: 400.0,
            gain: 0.2,
            growth: 0.015,
        };
        let mut s = TruthSums::default();
        s.add_income(&path, 0, 730, 730, 730 + 1096 + 182);
        assert_eq!(s.programme_exits, 1);
        for (k, days) in [365.0, 731.0, 1096.0, 1461.0, 1826.0]
            .into_iter()
            .enumerate()
        {
            let trend = 1.015f64.powf((730.0 + days) / DAYS_PER_YEAR);
            let kept = 1.0 - 0.3 * (1.0 - (-days / DAYS_PER_YEAR / 1.5).exp());
            let hand = 12.0 * 400.0 * trend * 0.2 * kept;
            assert!((s.income_gain[k] - hand).abs() < 1e-9, "year {}", k + 1);
        }
        // Years 1-3 are due by the cut-off (the third window ends on it), 4-5 not.
        assert_eq!(s.due, [1, 1, 1, 0, 0]);
        assert_eq!(s.income_gain_due[2], s.income_gain[2]);
        assert_eq!(s.income_gain_due[3], 0.0);
    }

    #[test]
    fn incidence_is_one_minus_the_survival_of_the_hazard() {
        let mut s = TruthSums::default();
        // Exit on day 1000 and hazards switching there: the treated rate 0.01 and the
        // untreated 0.04 per child-year, constant after exit.
        s.add_child(1000, 1000, 0.5, 0.01, 0.04);
        assert_eq!(s.children_at_risk, 1);
        // Year 2 = 731 days: 1 - exp(-0.01 x 731 / 365.25) = 0.019817...
        let hand = |rate: f64, days: f64| 1.0 - (-rate * days / DAYS_PER_YEAR).exp();
        assert!((s.incidence_treated[1] - hand(0.01, 731.0)).abs() < 1e-12);
        assert!((s.incidence_untreated[4] - hand(0.04, 1826.0)).abs() < 1e-12);
        // An episode closed early by a sibling's placement: the in-programme rate runs on
        // for the 100 days to the planned end (day 1100), then the after-exit rate.
        let mut t = TruthSums::default();
        t.add_child(1000, 1100, 0.5, 0.01, 0.04);
        // Days 1001..1366: 99 days at 0.5 then 266 at 0.01.
        let h = (99.0 * 0.5 + 266.0 * 0.01) / DAYS_PER_YEAR;
        assert!((t.incidence_treated[0] - (1.0 - (-h).exp())).abs() < 1e-12);
        // Without the programme the rate is the same constant either way.
        assert_eq!(t.incidence_untreated, s.incidence_untreated);
    }

    #[test]
    fn merged_sums_give_means_and_null_without_families() {
        let plan = crate::generate::GenerateOptions::new(10, 3, "unused")
            .check()
            .unwrap();
        let mut a = TruthSums::default();
        a.add_family(true);
        a.add_child(0, 0, 0.0, 0.1, 0.2);
        let mut b = TruthSums::default();
        b.add_family(false);
        b.add_child(0, 0, 0.0, 0.3, 0.2);
        a.merge(&b);
        assert_eq!((a.families, a.programme_families), (2, 1));
        let truth = Truth::new(&plan, &a);
        let y1 = |rate: f64| 1.0 - (-rate * 365.0 / DAYS_PER_YEAR).exp();
        let mean = (y1(0.1) + y1(0.3)) / 2.0;
        let got = truth.placement_incidence_programme_treated[0]
            .value
            .unwrap();
        assert!((got - mean).abs() < 1e-12);
        assert_eq!(truth.income_effect_att[0].value, None);
        assert_eq!(truth.income_effect_att_due[0].families, 0);
        assert_eq!(truth.comparison, "random");
        let json = serde_json::to_value(&truth).unwrap();
        assert_eq!(
            json["income_effect_att"][0]["value"],
            serde_json::Value::Null
        );
        assert_eq!(
            json["placement_incidence_programme_untreated"][4]["year"],
            5
        );
    }
}
