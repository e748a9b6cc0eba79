//! Kaplan-Meier survival with Greenwood variance and log(-log) intervals.
//!
//! "Staying together" (docs/method.md section 3) is the share of families still without a
//! placement into alternative care t days after exit. Follow-up ends at different times
//! (data cut-off, moving abroad), so the share is a Kaplan-Meier estimate: at each day with
//! `d` events among `n` at risk, survival is multiplied by `1 - d/n`. At tied days events
//! precede censorings (a unit censored on the day of an event was at risk for it).
//!
//! The variance is Greenwood's, `V = sum d / (n (n - d))` (the variance of `log S`), and
//! the 95 % interval is computed on the log(-log S) scale, `S^exp(+-z sqrt(V) / log S)`, as
//! R `survfit(conf.type = "log-log")` does: it stays inside [0, 1] and behaves well in the
//! tails, where small programmes spend much of their follow-up.
//!
//! Edge cases (defined here, not left to floating point): before the first event S = 1 and
//! the interval is [1, 1]; when everyone at risk has the event (`n = d`) S = 0 and the
//! interval is [0, 0] from then on; the standard error is reported as 0 in both cases.
//!
//! The estimate is built from an [`EventTable`] in O(distinct days), so it costs the same for
//! a thousand or a million families.

use super::{EventTable, Interval, StatsError, Z_95};

/// One step of the Kaplan-Meier curve: a distinct day with an event or a censoring.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmStep {
    /// The day (days since day 0).
    pub day: i32,
    /// Units at risk just before this day (time >= day).
    pub at_risk: u64,
    /// Events on this day.
    pub events: u64,
    /// Censorings on this day.
    pub censored: u64,
    /// Survival just after this day.
    pub survival: f64,
    /// Greenwood standard error of `survival`, `S sqrt(V)`.
    pub std_err: f64,
    /// Lower bound of the log(-log) interval.
    pub ci_low: f64,
    /// Upper bound of the log(-log) interval.
    pub ci_high: f64,
}

/// Survival, interval and number at risk at an arbitrary day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmPoint {
    /// Survival at the day (right-continuous: events on the day count).
    pub survival: f64,
    /// Greenwood standard error.
    pub std_err: f64,
    /// The log(-log) interval.
    pub interval: Interval,
    /// Units at risk just before the day (time >= day).
    pub at_risk: u64,
}

/// A Kaplan-Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    n: u64,
    z: f64,
    steps: Vec<KmStep>,
}

impl KaplanMeier {
    /// The curve of `table` with 95 % intervals.
    ///
    /// # Errors
    /// [`StatsError::Empty`] if the table holds no units.
    pub fn new(table: &EventTable) -> Result<Self, StatsError> {
        Self::with_z(table, Z_95)
    }

    /// The curve of `table` with intervals for normal quantile `z`.
    ///
    /// # Errors
    /// [`StatsError::Empty`] if the table holds no units; [`StatsError::InvalidParameter`]
    /// if `z` is not finite and positive.
    pub fn with_z(table: &EventTable, z: f64) -> Result<Self, StatsError> {
        if !(z.is_finite() && z > 0.0) {
            return Err(StatsError::InvalidParameter {
                name: "z",
                value: z,
                expected: "finite and positive (1.959964 for 95 %)",
            });
        }
        if table.is_empty() {
            return Err(StatsError::Empty {
                what: "event table",
            });
        }
        let mut steps = Vec::with_capacity(table.distinct_days());
        let mut at_risk = table.n();
        let mut survival = 1.0_f64;
        let mut greenwood = 0.0_f64;
        for (day, c) in table.iter() {
            let d = c.events;
            if d > 0 && survival > 0.0 {
                if d >= at_risk {
                    survival = 0.0;
                } else {
                    let (n, d) = (at_risk as f64, d as f64);
                    survival *= (n - d) / n;
                    greenwood += d / (n * (n - d));
                }
            }
            let (std_err, interval) = band(survival, greenwood, z);
            steps.push(KmStep {
                day,
                at_risk,
                events: c.events,
                censored: c.censored,
                survival,
                std_err,
                ci_low: interval.low,
                ci_high: interval.high,
            });
            at_risk -= c.events + c.censored;
        }
        Ok(Self {
            n: table.n(),
            z,
            steps,
        })
    }

    /// Number of units at the start.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The normal quantile used for the intervals.
    pub fn z(&self) -> f64 {
        self.z
    }

    /// The steps, one per distinct day with an event or censoring, in day order.
    pub fn steps(&self) -> &[KmStep] {
        &self.steps
    }

    /// The last step on or before `day`, if any.
    fn step_at(&self, day: i32) -> Option<&KmStep> {
        let after = self.steps.partition_point(|s| s.day <= day);
        after.checked_sub(1).map(|i| &self.steps[i])
    }

    /// Survival at `day` (1 before the first event; right-continuous).
    pub fn survival_at(&self, day: i32) -> f64 {
        self.step_at(day).map_or(1.0, |s| s.survival)
    }

    /// Units at risk just before `day`, i.e. with time >= `day`.
    pub fn at_risk_at(&self, day: i32) -> u64 {
        let first = self.steps.partition_point(|s| s.day < day);
        self.steps.get(first).map_or(0, |s| s.at_risk)
    }

    /// The log(-log) interval of survival at `day`.
    pub fn interval_at(&self, day: i32) -> Interval {
        self.step_at(day).map_or(
            Interval {
                low: 1.0,
                high: 1.0,
            },
            |s| Interval {
                low: s.ci_low,
                high: s.ci_high,
            },
        )
    }

    /// The first day on which survival is at or below `level` (the time by which a share
    /// `1 - level` has had the event: `level` 0.5 gives the median), or `None` when the
    /// curve stays above it. A level within 1e-12 of a step counts as reached, so
    /// `S = 0.5` exactly after an even split gives that day as the median. Quantiles of
    /// the Kaplan-Meier curve (Kaplan & Meier 1958; R `quantile.survfit` without its
    /// midpoint rule for a curve that is flat exactly at the level).
    pub fn time_to(&self, level: f64) -> Option<i32> {
        self.steps
            .iter()
            .find(|s| s.events > 0 && s.survival <= level + 1e-12)
            .map(|s| s.day)
    }

    /// Survival, standard error, interval and number at risk at `day`.
    pub fn at(&self, day: i32) -> KmPoint {
        KmPoint {
            survival: self.survival_at(day),
            std_err: self.step_at(day).map_or(0.0, |s| s.std_err),
            interval: self.interval_at(day),
            at_risk: self.at_risk_at(day),
        }
    }
}

/// Greenwood standard error and log(-log) interval for survival `s` with `V = greenwood`.
fn band(s: f64, greenwood: f64, z: f64) -> (f64, Interval) {
    if s <= 0.0 {
        return (
            0.0,
            Interval {
                low: 0.0,
                high: 0.0,
            },
        );
    }
    if s >= 1.0 || greenwood == 0.0 {
        return (
            0.0,
            Interval {
                low: 1.0,
                high: 1.0,
            },
        );
    }
    let sd = greenwood.sqrt();
    let log_s = s.ln();
    // log_s < 0, so exp(z sd / log_s) < 1 and s^that > s: the upper bound.
    let shift = z * sd / log_s;
    let high = (shift.exp() * log_s).exp();
    let low = ((-shift).exp() * log_s).exp();
    (s * sd, Interval { low, high })
}

/// Kaplan-Meier survival at `horizon` from per-slot (events, censored) counts, where the
/// slots are `days` (ascending, all at or before the horizon) and a last one for later
/// times. The same product, in the same order, as [`KaplanMeier`], without building an
/// [`EventTable`]: bootstrap replicates of survival at one horizon keep only these dense
/// `u32` counts, small enough for a batch of replicates to stay in cache. `None` without
/// any unit.
pub fn survival_from_slots(km: &[[u32; 2]], days: &[i32], horizon: i32) -> Option<f64> {
    let mut at_risk: u64 = km.iter().map(|c| u64::from(c[0]) + u64::from(c[1])).sum();
    if at_risk == 0 {
        return None;
    }
    let mut survival = 1.0_f64;
    for (&day, c) in days.iter().zip(km) {
        if day > horizon {
            break;
        }
        let d = u64::from(c[0]);
        if d > 0 && survival > 0.0 {
            if d >= at_risk {
                survival = 0.0;
            } else {
                let (n, d) = (at_risk as f64, d as f64);
                survival *= (n - d) / n;
            }
        }
        at_risk -= u64::from(c[0]) + u64::from(c[1]);
    }
    Some(survival)
}

/// [`survival_from_slots`] with weighted (events, censored) sums per slot: the weighted
/// Kaplan-Meier product `prod (1 - d_w / n_w)` (weights from a propensity model, say).
/// `None` without any weight at risk.
pub fn survival_from_weighted_slots(km: &[[f64; 2]], days: &[i32], horizon: i32) -> Option<f64> {
    let mut at_risk: f64 = km.iter().map(|c| c[0] + c[1]).sum();
    if at_risk <= 0.0 {
        return None;
    }
    let mut survival = 1.0_f64;
    for (&day, c) in days.iter().zip(km) {
        if day > horizon {
            break;
        }
        if c[0] > 0.0 && survival > 0.0 {
            if c[0] >= at_risk * (1.0 - 1e-12) {
                survival = 0.0;
            } else {
                survival *= (at_risk - c[0]) / at_risk;
            }
        }
        at_risk -= c[0] + c[1];
    }
    Some(survival)
}

/// Units still at risk at `horizon` (time >= horizon), from the same slots as
/// [`survival_from_slots`].
pub fn at_risk_from_slots(km: &[[u32; 2]], days: &[i32], horizon: i32) -> u64 {
    let removed = |c: &[u32; 2]| u64::from(c[0]) + u64::from(c[1]);
    let total: u64 = km.iter().map(removed).sum();
    let before: u64 = days
        .iter()
        .zip(km)
        .take_while(|(&d, _)| d < horizon)
        .map(|(_, c)| removed(c))
        .sum();
    total - before
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weighted_slots_give_the_weighted_product() {
        // Slots at days 10, 20 and beyond: weights (events, censored) (1, 0.5), (2, 0),
        // (0, 1.5). At risk 5: S(10) = 1 - 1/5 = 0.8; at 20, 3.5 at risk, 2 events:
        // S(20) = 0.8 x 1.5/3.5.
        let km = [[1.0, 0.5], [2.0, 0.0], [0.0, 1.5]];
        let s = |h| survival_from_weighted_slots(&km, &[10, 20], h).unwrap();
        assert!((s(15) - 0.8).abs() < 1e-15);
        assert!((s(20) - 0.8 * 1.5 / 3.5).abs() < 1e-15);
        assert_eq!(survival_from_weighted_slots(&[[0.0, 0.0]], &[], 5), None);
        // Integer weights agree with the counts.
        let counts = [[1u32, 1], [2, 0], [0, 3]];
        let w: Vec<[f64; 2]> = counts
            .iter()
            .map(|c| [f64::from(c[0]), f64::from(c[1])])
            .collect();
        assert_eq!(
            survival_from_slots(&counts, &[10, 20], 30),
            survival_from_weighted_slots(&w, &[10, 20], 30)
        );
    }

    // Events at days 10 (of 4 at risk: S = 0.75), 20 (of 3, after a censoring at 15 there
    // are 2 at risk: S = 0.375). Levels 0.75 -> day 10, 0.5 -> day 20, 0.25 -> never.
    #[test]
    fn time_to_a_level_is_the_first_step_at_or_below_it() {
        let t: EventTable = [(10, true), (15, false), (20, true), (30, false)]
            .into_iter()
            .collect();
        let km = KaplanMeier::new(&t).unwrap();
        assert_eq!(km.time_to(0.75), Some(10));
        assert_eq!(km.time_to(0.5), Some(20));
        assert_eq!(km.time_to(0.25), None);
        assert_eq!(km.time_to(1.0), Some(10));
    }

    /// Freireich et al. (1963) 6-MP arm, remission times in weeks; `false` = censored.
    pub(crate) fn six_mp() -> EventTable {
        let ev = [6, 6, 6, 7, 10, 13, 16, 22, 23];
        let cens = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
        ev.iter()
            .map(|&d| (d, true))
            .chain(cens.iter().map(|&d| (d, false)))
            .collect()
    }

    // Published KM for the 6-MP arm (Kleinbaum & Klein, Survival Analysis; R survfit):
    // S(6) = 18/21 = 0.857, S(7) = 0.857 * 16/17 = 0.807, S(10) = 0.807 * 14/15
    // = 0.753, S(13) = 0.753 * 11/12 = 0.690, S(16) = 0.690 * 10/11 = 0.627, S(22) = 0.627 *
    // 6/7 = 0.538, S(23) = 0.538 * 5/6 = 0.448.
    #[test]
    fn freireich_six_mp_survival() {
        let km = KaplanMeier::new(&six_mp()).unwrap();
        let want = [
            (6, 0.857),
            (7, 0.807),
            (10, 0.753),
            (13, 0.690),
            (16, 0.627),
            (22, 0.538),
            (23, 0.448),
        ];
        for (day, s) in want {
            assert!((km.survival_at(day) - s).abs() < 5e-4, "S({day})");
        }
        // Exact products.
        assert!((km.survival_at(6) - 18.0 / 21.0).abs() < 1e-15);
        let s23 = 18.0 / 21.0 * 16.0 / 17.0 * 14.0 / 15.0 * 11.0 / 12.0 * 10.0 / 11.0 * 6.0 / 7.0
            * 5.0
            / 6.0;
        assert!((km.survival_at(35) - s23).abs() < 1e-14);
        // Step function: flat between event days, 1 before the first.
        assert_eq!(km.survival_at(5), 1.0);
        assert_eq!(km.survival_at(8), km.survival_at(7));
        assert_eq!(km.steps().len(), 16);
        assert_eq!(km.n(), 21);
    }

    // Greenwood at t = 6: V = 3 / (21 * 18) = 0.0079365, SE = 0.857143 * sqrt(V) = 0.0764.
    // log(-log) 95 % interval: log S = -0.1541507, shift = 1.959964 * 0.0890871 / -0.1541507
    // = -1.1327236; high = S^exp(-1.1327236) = S^0.3221 = 0.9516, low = S^exp(1.1327236)
    // = S^3.1042 = 0.6197 (R survfit(conf.type = "log-log"): 0.620, 0.952).
    #[test]
    fn freireich_greenwood_and_log_log_interval() {
        let km = KaplanMeier::new(&six_mp()).unwrap();
        let p = km.at(6);
        assert!((p.std_err - 0.0764).abs() < 5e-5);
        assert!((p.std_err - 18.0 / 21.0 * (3.0_f64 / 378.0).sqrt()).abs() < 1e-15);
        assert!((p.interval.low - 0.6197).abs() < 1e-4, "{}", p.interval.low);
        assert!(
            (p.interval.high - 0.9516).abs() < 1e-4,
            "{}",
            p.interval.high
        );
        // t = 23 (last event): V = 3/378 + 1/272 + 1/210 + 1/132 + 1/110 + 1/42 + 1/30.
        let v: f64 = 3.0 / 378.0
            + 1.0 / (17.0 * 16.0)
            + 1.0 / (15.0 * 14.0)
            + 1.0 / (12.0 * 11.0)
            + 1.0 / (11.0 * 10.0)
            + 1.0 / (7.0 * 6.0)
            + 1.0 / (6.0 * 5.0);
        let s = km.survival_at(23);
        let step = km.steps().iter().find(|s| s.day == 23).unwrap();
        assert!((step.std_err - s * v.sqrt()).abs() < 1e-14);
        let shift = Z_95 * v.sqrt() / s.ln();
        assert!((step.ci_high - s.powf(shift.exp())).abs() < 1e-12);
        assert!((step.ci_low - s.powf((-shift).exp())).abs() < 1e-12);
    }

    // R: summary(survfit(Surv(time, status) ~ 1, data = six_mp, conf.type = "log-log"))
    // (the gehan/6-MP example printed in the survival package documentation and in
    // Kleinbaum & Klein): time, n.risk, n.event, survival, std.err, lower, upper.
    #[test]
    fn freireich_matches_r_survfit_log_log_table() {
        let r = [
            (6, 21, 3, 0.857, 0.0764, 0.620, 0.952),
            (7, 17, 1, 0.807, 0.0869, 0.563, 0.923),
            (10, 15, 1, 0.753, 0.0963, 0.503, 0.889),
            (13, 12, 1, 0.690, 0.1068, 0.432, 0.849),
            (16, 11, 1, 0.627, 0.1141, 0.368, 0.805),
            (22, 7, 1, 0.538, 0.1282, 0.268, 0.747),
            (23, 6, 1, 0.448, 0.1346, 0.188, 0.680),
        ];
        let km = KaplanMeier::new(&six_mp()).unwrap();
        for (day, n, d, s, se, lo, hi) in r {
            let step = km.steps().iter().find(|st| st.day == day).unwrap();
            assert_eq!((step.at_risk, step.events), (n, d), "day {day}");
            assert!((step.survival - s).abs() < 5e-4, "S({day})");
            assert!((step.std_err - se).abs() < 5e-5, "se({day})");
            assert!(
                (step.ci_low - lo).abs() < 5e-4,
                "low({day}) {}",
                step.ci_low
            );
            assert!(
                (step.ci_high - hi).abs() < 5e-4,
                "high({day}) {}",
                step.ci_high
            );
        }
    }

    #[test]
    fn at_risk_counts_units_with_time_at_least_day() {
        let km = KaplanMeier::new(&six_mp()).unwrap();
        assert_eq!(km.at_risk_at(0), 21);
        assert_eq!(km.at_risk_at(6), 21);
        assert_eq!(km.at_risk_at(7), 17);
        assert_eq!(km.at_risk_at(8), 16);
        assert_eq!(km.at_risk_at(10), 15);
        assert_eq!(km.at_risk_at(35), 1);
        assert_eq!(km.at_risk_at(36), 0);
        let step7 = km.steps().iter().find(|s| s.day == 7).unwrap();
        assert_eq!((step7.at_risk, step7.events, step7.censored), (17, 1, 0));
    }

    // At a tied day, events precede censorings: 3 units, day 5 has one event and one
    // censoring, day 8 one event. S(5) = 2/3 (both still at risk for the event), then the
    // censored unit leaves, and at day 8 the last unit fails: S = 0, interval [0, 0].
    #[test]
    fn ties_and_everyone_failing() {
        let t: EventTable = [(5, true), (5, false), (8, true)].into_iter().collect();
        let km = KaplanMeier::new(&t).unwrap();
        assert!((km.survival_at(5) - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(km.at_risk_at(8), 1);
        let p = km.at(8);
        assert_eq!(p.survival, 0.0);
        assert_eq!(
            p.interval,
            Interval {
                low: 0.0,
                high: 0.0
            }
        );
        assert_eq!(p.std_err, 0.0);
        // A single unit failing at once (V is not updated when n = d).
        let km = KaplanMeier::new(&[(0, true)].into_iter().collect()).unwrap();
        assert_eq!(
            km.at(0).interval,
            Interval {
                low: 0.0,
                high: 0.0
            }
        );
        // No events at all: S = 1 with interval [1, 1].
        let c: EventTable = [(3, false), (4, false)].into_iter().collect();
        let km = KaplanMeier::new(&c).unwrap();
        assert_eq!(
            km.at(10).interval,
            Interval {
                low: 1.0,
                high: 1.0
            }
        );
        assert_eq!(km.at(10).survival, 1.0);
    }

    #[test]
    fn empty_table_and_bad_z_are_errors() {
        assert!(matches!(
            KaplanMeier::new(&EventTable::new()),
            Err(StatsError::Empty { .. })
        ));
        assert!(matches!(
            KaplanMeier::with_z(&six_mp(), -1.0),
            Err(StatsError::InvalidParameter { name: "z", .. })
        ));
    }

    /// Exponential event times with rate `rate` per day and uniform censoring on
    /// [0, `horizon`), both floored to whole days. A unit fails on day `t` when its event
    /// time lies in [t, t + 1), so the true `P(day > t)` is `exp(-rate (t + 1))`.
    pub(crate) fn simulated(n: usize, rate: f64, horizon: f64, seed: u64) -> Vec<(i32, bool)> {
        use rand::RngExt;
        let mut rng = crate::stats::rng::rng_for(seed, crate::stats::rng::Stream::Generate, 0);
        (0..n)
            .map(|_| {
                let t = -(1.0 - rng.random::<f64>()).ln() / rate;
                let c = rng.random::<f64>() * horizon;
                if t <= c {
                    (t.floor() as i32, true)
                } else {
                    (c.floor() as i32, false)
                }
            })
            .collect()
    }

    // An estimator on data whose true answer is known: S(t) = exp(-rate (t + 1)) at
    // t = 182, 365, 730 with rate 1/1000 per day, within 4 Greenwood standard errors, and
    // the 95 % interval covering the truth.
    #[test]
    fn recovers_known_exponential_survival() {
        let rate = 1e-3;
        let units = simulated(20_000, rate, 3_000.0, 5);
        let km = KaplanMeier::new(&units.into_iter().collect()).unwrap();
        for t in [182, 365, 730] {
            let truth = (-rate * f64::from(t + 1)).exp();
            let p = km.at(t);
            assert!(p.std_err > 0.0 && p.std_err < 0.01);
            assert!(
                (p.survival - truth).abs() < 4.0 * p.std_err,
                "S({t}) = {}",
                p.survival
            );
            assert!(p.interval.contains(truth));
        }
    }

    fn units() -> impl Strategy<Value = Vec<(i32, bool)>> {
        prop::collection::vec((0i32..60, any::<bool>()), 1..120)
    }

    proptest! {
        #[test]
        fn survival_never_rises_and_stays_in_unit_interval(u in units()) {
            let km = KaplanMeier::new(&u.iter().copied().collect()).unwrap();
            let mut prev = 1.0;
            for s in km.steps() {
                prop_assert!(s.survival <= prev);
                prop_assert!((0.0..=1.0).contains(&s.survival));
                prop_assert!(s.ci_low <= s.survival && s.survival <= s.ci_high);
                prop_assert!(0.0 <= s.ci_low && s.ci_high <= 1.0);
                prev = s.survival;
            }
        }

        #[test]
        fn merged_split_tables_give_the_unsplit_curve(u in units(), cut in 0usize..120) {
            let cut = cut.min(u.len());
            let whole: EventTable = u.iter().copied().collect();
            let mut a: EventTable = u[..cut].iter().copied().collect();
            let b: EventTable = u[cut..].iter().copied().collect();
            a.merge(&b);
            prop_assert_eq!(&a, &whole);
            prop_assert_eq!(KaplanMeier::new(&a).unwrap(), KaplanMeier::new(&whole).unwrap());
        }
    }

    /// Slots as `quantities::sroi_quantities` builds them: the distinct days up to the horizon, and
    /// one for every later time.
    fn slotted(units: &[(i32, bool)], horizon: i32) -> (Vec<i32>, Vec<[u32; 2]>) {
        let mut days: Vec<i32> = units
            .iter()
            .map(|u| u.0)
            .filter(|&d| d <= horizon)
            .collect();
        days.sort_unstable();
        days.dedup();
        let mut km = vec![[0u32; 2]; days.len() + 1];
        for &(d, event) in units {
            km[days.partition_point(|&x| x < d)][usize::from(!event)] += 1;
        }
        (days, km)
    }

    // Against the Kaplan-Meier estimator on the same units: ties of events and censorings,
    // times after the horizon, a horizon between event days, and a curve that reaches 0.
    #[test]
    fn survival_from_slots_is_kaplan_meier() {
        let units: Vec<(i32, bool)> = (0..500)
            .map(|i: i32| ((i * 37) % 2_400, (i * 7) % 5 < 2))
            .collect();
        let km = KaplanMeier::new(&units.iter().copied().collect::<EventTable>()).unwrap();
        for horizon in [0, 1, 365, 1_000, 1_826, 5_000] {
            let (days, counts) = slotted(&units, horizon);
            let s = survival_from_slots(&counts, &days, horizon).unwrap();
            assert_eq!(
                s.to_bits(),
                km.survival_at(horizon).to_bits(),
                "H = {horizon}"
            );
            assert_eq!(
                at_risk_from_slots(&counts, &days, horizon),
                km.at_risk_at(horizon)
            );
        }
        let all_placed = [(10, true), (10, true), (20, true)];
        let (days, counts) = slotted(&all_placed, 30);
        assert_eq!(survival_from_slots(&counts, &days, 30), Some(0.0));
        assert_eq!(survival_from_slots(&[[0, 0]], &[], 30), None);
    }
}
