//! Placements of children into alternative care, and their returns home.
//!
//! Each child is a small state machine: at home it waits for a placement under a
//! piecewise-constant hazard (one rate while the family is in the programme, another
//! after exit; the comparison arm has its own, higher rate throughout); in care it stays
//! for a log-normal time that depends on the care type, sometimes changing care type on
//! the way, and then returns home or stays. Reintegration cases start in care before
//! intake and mostly return home during the programme. The machine emits events in date
//! order and never two placements without a return or change between, which is the
//! ordering rule of the `care_events` table.

use rand::Rng;

use super::calibration as cal;
use super::draw;
use super::rows::code;
use crate::dates::{Day, DAYS_PER_YEAR};

/// One care event of a child: (date, event code, care type code).
pub type Event = (Day, u8, Option<u8>);

/// What the care simulation needs to know about a child and its family.
#[derive(Debug, Clone, Copy)]
pub struct ChildCare {
    pub birth: Day,
    pub in_care_at_intake: bool,
    pub intake: Day,
    /// End of the episode (may lie after the cutoff).
    pub end: Day,
    /// Placement hazards per child-year during and after the episode.
    pub hazard_during: f64,
    pub hazard_after: f64,
    /// Chance that a child in care at intake returns home during the episode.
    pub reintegration_success: f64,
    /// Last day events are recorded (the data cutoff).
    pub cutoff: Day,
}

/// Placement hazards (per child-year) during and after the episode for a family.
pub fn hazards(programme_arm: bool, risk: u8, intake_level: f64) -> (f64, f64) {
    let mult = cal::HAZARD_RISK[risk as usize]
        * (-cal::HAZARD_THETA * (intake_level - cal::THETA_REF)).exp();
    if programme_arm {
        (
            cal::HAZARD_PROGRAMME_DURING * mult,
            cal::HAZARD_PROGRAMME_AFTER * mult,
        )
    } else {
        (cal::HAZARD_COMPARISON * mult, cal::HAZARD_COMPARISON * mult)
    }
}

/// Day of the next placement from `from` under rate `during` before `end` and `after`
/// from then on (inverse of the cumulative hazard at one exponential draw).
pub fn next_placement(from: Day, end: Day, during: f64, after: f64, e: f64) -> f64 {
    let from = from as f64;
    let end = end as f64;
    if from < end {
        let before = during * (end - from) / DAYS_PER_YEAR;
        if e < before {
            return from + e / during * DAYS_PER_YEAR;
        }
        if after <= 0.0 {
            return f64::INFINITY;
        }
        return end + (e - before) / after * DAYS_PER_YEAR;
    }
    if after <= 0.0 {
        return f64::INFINITY;
    }
    from + e / after * DAYS_PER_YEAR
}

/// Placement hazard accumulated (rate x child-years) between the continuous days `from`
/// and `to` under rate `during` before `end` and `after` from then on: the chance of no
/// placement in between is `exp(-cumulative_hazard)`, the law [`next_placement`] draws from.
pub fn cumulative_hazard(from: f64, to: f64, end: Day, during: f64, after: f64) -> f64 {
    let end = end as f64;
    let before = (to.min(end) - from).max(0.0);
    let later = (to - from.max(end)).max(0.0);
    (during * before + after * later) / DAYS_PER_YEAR
}

/// Whether a child with these events (date order) is in alternative care on `day`: its
/// last event on or before that day is a placement or a change of care, as the engine
/// reads the care history at exit (a placement on the day itself counts).
pub fn in_care_on(events: &[Event], day: Day) -> bool {
    events
        .iter()
        .rfind(|(d, _, _)| *d <= day)
        .is_some_and(|(_, event, _)| *event != code::EVENT_RETURN_HOME)
}

fn stay_days<R: Rng + ?Sized>(rng: &mut R, care_type: u8) -> Day {
    let median = cal::STAY_MEDIAN_YEARS[care_type as usize];
    let years = median * draw::normal(rng, 0.0, cal::STAY_SIGMA).exp();
    ((years * DAYS_PER_YEAR).round() as Day).max(14)
}

fn other_type<R: Rng + ?Sized>(rng: &mut R, current: u8) -> u8 {
    let mut w = cal::CARE_TYPE_WEIGHTS;
    w[current as usize] = 0.0;
    draw::categorical(rng, &w) as u8
}

/// Simulate one child's care events up to the cutoff (and the child's 18th birthday).
pub fn simulate<R: Rng + ?Sized>(rng: &mut R, c: &ChildCare) -> Vec<Event> {
    let mut events = Vec::new();
    let adult = c.birth + (18.0 * DAYS_PER_YEAR).round() as Day;
    let horizon = c.cutoff.min(adult);
    let mut home_from = c.intake;
    if c.in_care_at_intake {
        let back = (draw::uniform(rng, 0.3, 3.0) * DAYS_PER_YEAR).round() as Day;
        let placed = (c.intake - back).max(c.birth + 14).min(c.intake - 1);
        let care_type = draw::categorical(rng, &cal::REINTEGRATION_CARE_WEIGHTS) as u8;
        events.push((placed, code::EVENT_PLACEMENT, Some(care_type)));
        let returns = draw::chance(rng, c.reintegration_success);
        let span = (c.end - c.intake).max(30) as f64;
        let back_home = c.intake + (draw::uniform(rng, 0.05, 0.6) * span).round() as Day;
        if !returns || back_home > horizon {
            return events;
        }
        events.push((back_home, code::EVENT_RETURN_HOME, None));
        home_from = back_home;
    }
    loop {
        let e = draw::exponential(rng, 1.0);
        let at = next_placement(home_from, c.end, c.hazard_during, c.hazard_after, e);
        if !at.is_finite() || at >= horizon as f64 {
            return events;
        }
        let placed = (at.floor() as Day).max(home_from + 1);
        if placed > horizon {
            return events;
        }
        let age = (placed - c.birth) as f64 / DAYS_PER_YEAR;
        let mut care_type = draw::categorical(rng, &cal::CARE_TYPE_WEIGHTS) as u8;
        if care_type == code::CARE_SUPPORTED_LIVING && age < 15.0 {
            care_type = code::CARE_RESIDENTIAL;
        }
        events.push((placed, code::EVENT_PLACEMENT, Some(care_type)));
        let stay = stay_days(rng, care_type);
        let changes = draw::chance(rng, cal::CARE_CHANGE_SHARE);
        let change_at = placed
            + ((stay as f64) * draw::uniform(rng, 0.2, 0.8))
                .round()
                .max(1.0) as Day;
        let new_type = other_type(rng, care_type);
        let returns = draw::chance(rng, cal::RETURN_HOME_SHARE);
        if changes {
            if change_at > horizon {
                return events;
            }
            events.push((change_at, code::EVENT_CARE_CHANGE, Some(new_type)));
        }
        let back_home = placed + stay;
        if !returns || back_home > horizon {
            return events;
        }
        events.push((back_home, code::EVENT_RETURN_HOME, None));
        home_from = back_home;
    }
}

/// True when a child's events obey the `care_events` rule: date order, and no two
/// placements without a return home or care change between them; a return home or care
/// change only while in care.
pub fn well_ordered(events: &[Event]) -> bool {
    let mut in_care = false;
    let mut last = Day::MIN;
    for (date, event, care_type) in events {
        if *date < last {
            return false;
        }
        last = *date;
        match *event {
            code::EVENT_PLACEMENT if in_care || care_type.is_none() => return false,
            code::EVENT_PLACEMENT => in_care = true,
            code::EVENT_CARE_CHANGE if !in_care || care_type.is_none() => return false,
            code::EVENT_RETURN_HOME if !in_care => return false,
            code::EVENT_RETURN_HOME => in_care = false,
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::{rng_for, Stream};

    #[test]
    fn next_placement_inverts_the_piecewise_cumulative_hazard() {
        // Rate 1/yr before day 365.25 (cumulative 1.0 there), 2/yr after.
        assert!((next_placement(0, 365, 1.0, 2.0, 0.5) - 182.625).abs() < 1e-9);
        // e = 2.0: 1.0 used by day 365 (rate 1 x 365/365.25 = 0.99932), rest at rate 2.
        let before = 365.0 / DAYS_PER_YEAR;
        let expect = 365.0 + (2.0 - before) / 2.0 * DAYS_PER_YEAR;
        assert!((next_placement(0, 365, 1.0, 2.0, 2.0) - expect).abs() < 1e-9);
        // Starting after the end uses the after-rate only.
        assert!(
            (next_placement(400, 365, 1.0, 2.0, 1.0) - (400.0 + DAYS_PER_YEAR / 2.0)).abs() < 1e-9
        );
        assert_eq!(next_placement(0, 10, 0.0, 0.0, 1.0), f64::INFINITY);
    }

    #[test]
    fn cumulative_hazard_is_what_next_placement_inverts() {
        // Rate 1/yr to day 365, 2/yr after: from day 100 to 500,
        // (265 x 1 + 135 x 2) / 365.25 = 535 / 365.25.
        assert!(
            (cumulative_hazard(100.0, 500.0, 365, 1.0, 2.0) - 535.0 / DAYS_PER_YEAR).abs() < 1e-12
        );
        // Wholly after or before the switch.
        assert!((cumulative_hazard(400.0, 765.25, 365, 1.0, 2.0) - 2.0).abs() < 1e-12);
        assert!((cumulative_hazard(0.0, 182.625, 365, 1.0, 2.0) - 0.5).abs() < 1e-12);
        assert_eq!(cumulative_hazard(10.0, 5.0, 365, 1.0, 2.0), 0.0);
        for e in [0.3, 1.0, 2.5] {
            let at = next_placement(50, 365, 1.0, 2.0, e);
            assert!((cumulative_hazard(50.0, at, 365, 1.0, 2.0) - e).abs() < 1e-9);
        }
    }

    #[test]
    fn in_care_follows_the_last_event_up_to_the_day() {
        let p = Some(0);
        let events = [(10, 0, p), (20, 2, Some(1)), (30, 1, None)];
        assert!(!in_care_on(&events, 9));
        assert!(in_care_on(&events, 10));
        assert!(in_care_on(&events, 29));
        assert!(!in_care_on(&events, 30));
        assert!(!in_care_on(&[], 30));
    }

    #[test]
    fn cumulative_placement_matches_the_hazard() {
        // Constant hazard 0.1 per year over 5 years: 1 - e^-0.5 = 0.3935 placed (first
        // placements only; children are young enough not to age out).
        let mut rng = rng_for(9, Stream::Generate, 0);
        let n = 40_000;
        let c = ChildCare {
            birth: -2000,
            in_care_at_intake: false,
            intake: 0,
            end: 365,
            hazard_during: 0.1,
            hazard_after: 0.1,
            reintegration_success: cal::REINTEGRATION_SUCCESS,
            cutoff: (5.0 * DAYS_PER_YEAR) as Day,
        };
        let mut placed = 0;
        for _ in 0..n {
            let ev = simulate(&mut rng, &c);
            assert!(well_ordered(&ev), "{ev:?}");
            if !ev.is_empty() {
                placed += 1;
            }
        }
        let share = placed as f64 / n as f64;
        assert!((share - (1.0 - (-0.5f64).exp())).abs() < 0.01, "{share}");
    }

    #[test]
    fn reintegration_starts_in_care_before_intake() {
        let mut rng = rng_for(3, Stream::Generate, 1);
        let c = ChildCare {
            birth: -3000,
            in_care_at_intake: true,
            intake: 0,
            end: 800,
            hazard_during: 0.01,
            hazard_after: 0.01,
            reintegration_success: cal::REINTEGRATION_SUCCESS,
            cutoff: 5000,
        };
        let mut returned = 0;
        for _ in 0..5000 {
            let ev = simulate(&mut rng, &c);
            assert!(well_ordered(&ev));
            assert_eq!(ev[0].1, code::EVENT_PLACEMENT);
            assert!(ev[0].0 < 0);
            if ev.len() > 1 && ev[1].1 == code::EVENT_RETURN_HOME && ev[1].0 < 800 {
                returned += 1;
            }
        }
        assert!((returned as f64 / 5000.0 - cal::REINTEGRATION_SUCCESS).abs() < 0.015);
    }

    #[test]
    fn ordering_rule_rejects_double_placements() {
        let p = Some(0);
        assert!(well_ordered(&[
            (1, 0, p),
            (5, 2, Some(1)),
            (9, 1, None),
            (12, 0, p)
        ]));
        assert!(!well_ordered(&[(1, 0, p), (5, 0, p)]));
        assert!(!well_ordered(&[(5, 0, p), (1, 1, None)]));
        assert!(!well_ordered(&[(1, 1, None)]));
        assert!(!well_ordered(&[(1, 0, None)]));
    }
}
