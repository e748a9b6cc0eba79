//! Tests of the reintegration estimator: single care histories, and hand-built cohorts
//! whose every published figure is computed by hand.

use super::*;

const NEVER: Day = Day::MAX;

// In care at intake (day 100) with the placement recorded before it; returns on day
// 160; placed again on day 500: to return 60 days, home 340 days, then placed.
#[test]
fn return_and_new_placement() {
    let ev = [
        (10, EVENT_PLACEMENT),
        (160, EVENT_RETURN),
        (500, EVENT_PLACEMENT),
    ];
    let x = child_return(true, &ev, 9000, 100, 400, |_| 2000).unwrap();
    assert_eq!(x.to_return, (60, true));
    assert_eq!(x.home, Some((160, 340, true)));
}

#[test]
fn who_counts_as_in_care_at_intake() {
    // Flag set, no events: in care, never returned: censored at exit.
    let x = child_return(true, &[], 9000, 100, 400, |_| NEVER).unwrap();
    assert_eq!(
        x,
        ChildReturn {
            to_return: (300, false),
            home: None
        }
    );
    // Placed before intake without the flag: in care.
    assert!(child_return(false, &[(50, EVENT_PLACEMENT)], 9000, 100, 400, |_| NEVER).is_some());
    // Returned before intake: at home.
    let ev = [(50, EVENT_PLACEMENT), (90, EVENT_RETURN)];
    assert_eq!(child_return(true, &ev, 9000, 100, 400, |_| NEVER), None);
    // Flag set but the first event is a placement after intake: home at intake.
    assert_eq!(
        child_return(true, &[(150, EVENT_PLACEMENT)], 9000, 100, 400, |_| NEVER),
        None
    );
    // 18 at intake: not counted.
    assert_eq!(child_return(true, &[], 100, 100, 400, |_| NEVER), None);
}

#[test]
fn censoring_at_exit_at_18_and_at_the_cutoff() {
    // Return after exit: not during the programme.
    let ev = [(10, EVENT_PLACEMENT), (450, EVENT_RETURN)];
    let x = child_return(true, &ev, 9000, 100, 400, |_| 2000).unwrap();
    assert_eq!(
        x,
        ChildReturn {
            to_return: (300, false),
            home: None
        }
    );
    // 18th birthday (day 300) before exit and before the return: censored at 18.
    let x = child_return(true, &ev, 300, 100, 400, |_| 2000).unwrap();
    assert_eq!(x.to_return, (200, false));
    // Returned, then the cut-off (or death, emigration) at day 700.
    let ev = [
        (10, EVENT_PLACEMENT),
        (200, EVENT_RETURN),
        (900, EVENT_PLACEMENT),
    ];
    let x = child_return(true, &ev, 9000, 100, 400, |_| 700).unwrap();
    assert_eq!(x.home, Some((200, 500, false)));
    // Returned, then 18 on day 600 before the cut-off.
    let x = child_return(true, &ev, 600, 100, 400, |_| 2000).unwrap();
    assert_eq!(x.home, Some((200, 400, false)));
}

// The hand-built cohort of docs/method.md section 3.6, five copies of each family so that
// no published cell falls under min_cell 5. Intake I = 2020-01-01, exit I + 730,
// cut-off 2025-12-31 = I + 2191.
//   A: a1 returns I+100, placed again I+300; a2 returns I+300, home to the cut-off.
//   B: b1 never returns (censored at exit, 730 days).
//   C: c1 returns I+50; the family moves abroad I+850 (home 800 days, censored).
//   D: d1 returns I+200; 18 on I+500 (home 300 days, censored).
//   E (comparison): e1 returns I+100, placed again I+200; e2 never returns.
// Programme: 25 children in care at intake, 20 returned: 0.8. Time to return: 5
// events each at 50 (of 25), 100 (of 20), 200 (of 15), 300 (of 10): S = 0.8, 0.6,
// 0.4, 0.2, so the quartiles are days 100, 200 and 300. Child level home: 5 events at
// 200 of 20 (S = 0.75, Greenwood V = 5 / (20 x 15) = 1/60), censorings at 300, 800,
// 1891: at risk 10 at years 1 and 2, 5 at years 3-5. Family level: A (200, event),
// C (800), D (300): S = 10/15 from day 200 (V = 5 / (15 x 10) = 1/30); at risk 5 at
// year 1 (C only), 0 at year 3.
#[test]
fn hand_built_cohort_is_pinned() {
    use crate::dates::from_ymd;
    use crate::outcomes::test_data::Builder;
    use crate::outcomes::{compute, OutcomeOptions};
    let i = from_ymd(2020, 1, 1).unwrap();
    let x = i + 730;
    let mut b = Builder::new(from_ymd(2025, 12, 31).unwrap());
    let born = from_ymd(2012, 1, 1).unwrap();
    for _ in 0..5 {
        let a = b.family(0, 0, 0, i, Some(x));
        for (back, again) in [(100, Some(300)), (300, None)] {
            let c = b.child_born(a, true, born);
            b.event(c, i - 100, EVENT_PLACEMENT);
            b.event(c, i + back, EVENT_RETURN);
            if let Some(d) = again {
                b.event(c, i + d, EVENT_PLACEMENT);
            }
        }
        let f = b.family(0, 0, 0, i, Some(x));
        b.child_born(f, true, born);
        let f = b.family(0, 0, 0, i, Some(x));
        let c = b.child_born(f, true, born);
        b.event(c, i + 50, EVENT_RETURN);
        b.contact(f, i + 850, 3);
        let f = b.family(0, 0, 0, i, Some(x));
        let c = b.child_born(f, true, from_ymd(2003, 5, 15).unwrap());
        b.event(c, i + 200, EVENT_RETURN);
        let f = b.family(1, 0, 0, i, Some(x));
        let c = b.child_born(f, true, born);
        b.event(c, i + 100, EVENT_RETURN);
        b.event(c, i + 200, EVENT_PLACEMENT);
        b.child_born(f, true, born);
    }
    assert_eq!(from_ymd(2021, 5, 15).unwrap() - i, 500);
    let o = compute(&b.build(), &OutcomeOptions::new().with_min_cell(5)).unwrap();
    let get = |arm: &str, measure: &str, level: &str, year: Option<u32>| {
        o.reintegration
            .iter()
            .find(|r| {
                r.group == "all"
                    && r.arm == arm
                    && r.measure == measure
                    && r.level == level
                    && r.year == year
            })
            .unwrap_or_else(|| panic!("{arm} {measure} {level} {year:?}"))
            .clone()
    };
    let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-12;

    let r = get("programme", RETURNED_HOME, "child", None);
    assert_eq!((r.n, r.events), (Some(25), Some(20)));
    let w = wilson(20.0, 25.0, Z_95).unwrap().unwrap();
    assert!(close(r.estimate, 0.8) && close(r.ci_low, w.low) && close(r.ci_high, w.high));
    let q: Vec<Option<f64>> = DAYS_TO_RETURN
        .iter()
        .map(|(m, _)| get("programme", m, "child", None).estimate)
        .collect();
    assert_eq!(q, vec![Some(100.0), Some(200.0), Some(300.0)]);
    let r = get("comparison", RETURNED_HOME, "child", None);
    assert_eq!((r.n, r.events), (Some(10), Some(5)));
    assert!(close(r.estimate, 0.5));
    // Comparison: 5 of 10 returned, all on day 100: the median is day 100, the third
    // quartile (S <= 0.25) is never reached.
    assert_eq!(
        get("comparison", "days_to_return_median", "child", None).estimate,
        Some(100.0)
    );
    assert_eq!(
        get("comparison", "days_to_return_q3", "child", None).estimate,
        None
    );

    // log(-log) interval of S with Greenwood V.
    let band = |s: f64, v: f64| {
        let shift = Z_95 * v.sqrt() / s.ln();
        (
            ((-shift).exp() * s.ln()).exp(),
            (shift.exp() * s.ln()).exp(),
        )
    };
    let (lo, hi) = band(0.75, 1.0 / 60.0);
    for (year, at_risk, events) in [(1, 10, 5), (2, 10, 5), (3, 5, 5), (5, 5, 5)] {
        let r = get("programme", STILL_HOME, "child", Some(year));
        assert!(!r.suppressed, "year {year}");
        assert_eq!(
            (r.n, r.at_risk, r.events),
            (Some(20), Some(at_risk), Some(events))
        );
        assert!(close(r.estimate, 0.75), "{r:?}");
        assert!(close(r.ci_low, lo) && close(r.ci_high, hi), "{r:?}");
    }
    let r = get("programme", STILL_HOME, "family", Some(1));
    assert_eq!((r.n, r.at_risk), (Some(15), Some(5)));
    let (lo, hi) = band(2.0 / 3.0, 1.0 / 30.0);
    assert!(close(r.estimate, 2.0 / 3.0) && close(r.ci_low, lo) && close(r.ci_high, hi));
    let r = get("programme", STILL_HOME, "family", Some(3));
    assert!(r.suppressed && r.estimate.is_none() && r.at_risk.is_none());
    // Comparison: 5 children home, all placed again on day 100: S(1 year) = 0, but
    // none left at risk, so the cell is withheld.
    assert!(get("comparison", STILL_HOME, "child", Some(1)).suppressed);

    // Log-rank against the comparison arm, from the same event tables.
    let mut prog: EventTable = [(200, true); 5].into_iter().collect();
    prog.extend([(300, false); 5]);
    prog.extend([(800, false); 5]);
    prog.extend([(1891, false); 5]);
    let comp: EventTable = [(100, true); 5].into_iter().collect();
    let t = log_rank([&prog, &comp]).unwrap();
    let r = get("programme", LOG_RANK, "child", None);
    assert!(close(r.chi_square, t.chi_square) && close(r.p_value, t.p_value));
    assert!(r.p_value.unwrap() < 0.001);
    assert!(o
        .reintegration
        .iter()
        .any(|r| r.measure == LOG_RANK && r.level == "family"));
}

// A family with a child whose care history was set aside is left out of the family
// level, not the child level; a country with 3 children in care at intake is
// withheld, and so is the next smallest country of the same slice (secondary
// suppression), while `all` stays published.
#[test]
fn set_aside_histories_and_small_groups() {
    use crate::dates::from_ymd;
    use crate::outcomes::test_data::Builder;
    use crate::outcomes::{compute, OutcomeOptions};
    let i = from_ymd(2020, 1, 1).unwrap();
    let mut b = Builder::new(from_ymd(2025, 12, 31).unwrap());
    let mut invalid = Vec::new();
    for k in 0..13u32 {
        // Countries: 10 families in AL (0), 3 in AM (1).
        let f = b.family(0, u32::from(k >= 10), 0, i, Some(i + 700));
        let c = b.child(f, true);
        b.event(c, i + 100, EVENT_RETURN);
        if k == 0 {
            invalid.push(b.child(f, false));
        }
    }
    let mut ds = b.build();
    for c in invalid {
        ds.children.care_history_valid[c as usize] = false;
    }
    let o = compute(
        &ds,
        &OutcomeOptions::new()
            .with_min_cell(5)
            .with_by(vec!["country".into()]),
    )
    .unwrap();
    let get = |group: &str, measure: &str, level: &str| {
        o.reintegration
            .iter()
            .find(|r| {
                r.group == group
                    && r.measure == measure
                    && r.level == level
                    && r.year.is_none_or(|y| y == 1)
            })
            .unwrap()
            .clone()
    };
    assert_eq!(get("all", STILL_HOME, "child").n, Some(13));
    assert_eq!(get("all", STILL_HOME, "family").n, Some(12));
    let all = get("all", RETURNED_HOME, "child");
    assert_eq!(
        (all.n, all.events, all.suppressed),
        (Some(13), Some(13), false)
    );
    let am = get("country=AM", RETURNED_HOME, "child");
    assert!(am.suppressed && am.n.is_none() && am.estimate.is_none());
    // Otherwise AL = all - AM would give AM away.
    assert!(get("country=AL", RETURNED_HOME, "child").suppressed);
}
