//! Reintegration on generated data: the measured returns home and staying home are close
//! to what the generator was set to produce (data/README.md).
//!
//! The generator returns `REINTEGRATION_SUCCESS` = 92 % of the programme arm's children in
//! care at intake home during the programme (50 % in the comparison arm), unless they
//! turn 18 first; after the return they face the arm's placement hazard. With full
//! response (no deaths or moves abroad) the truth of "still home k years after the
//! return" is the complete-case share over the children followed k full years (to the
//! cut-off and under 18), which the Kaplan-Meier estimate over all returned children
//! must match.

use std::sync::OnceLock;

use kinsight::dates::{add_years, Day};
use kinsight::generate::{generate, GenerateOptions};
use kinsight::ingest::{self, Dataset};
use kinsight::outcomes::{compute, OutcomeOptions, Outcomes, ReintegrationRow};

const PLACEMENT: u8 = 0;
const RETURN: u8 = 1;

fn data() -> &'static (Dataset, Outcomes) {
    static D: OnceLock<(Dataset, Outcomes)> = OnceLock::new();
    D.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("data");
        let opts = GenerateOptions::new(4000, 2024, &out).with_full_response(true);
        generate(&opts).unwrap();
        let ds = ingest::load(&out).unwrap().dataset.unwrap();
        let o = compute(&ds, &OutcomeOptions::new().with_bootstrap_reps(20)).unwrap();
        (ds, o)
    })
}

fn row<'a>(o: &'a Outcomes, arm: &str, measure: &str, year: Option<u32>) -> &'a ReintegrationRow {
    o.reintegration
        .iter()
        .find(|r| {
            r.group == "all"
                && r.arm == arm
                && r.measure == measure
                && r.level == "child"
                && r.year == year
        })
        .unwrap()
}

/// Per arm: children in care at intake of families with an exit, how many turned 18
/// before the exit, how many returned home by the exit (before 18); and per year k = 1, 2
/// the returned children followed k full years, of whom placed again within k years.
struct Truth {
    in_care: [u64; 2],
    adult_by_exit: [u64; 2],
    returned: [u64; 2],
    followed: [[u64; 2]; 2],
    placed: [[u64; 2]; 2],
}

fn birthday18(birth: Day) -> Day {
    use chrono::Datelike;
    let d = kinsight::dates::to_date(birth).unwrap();
    kinsight::dates::from_ymd(d.year() + 18, d.month(), d.day())
        .or_else(|| kinsight::dates::from_ymd(d.year() + 18, 3, 1))
        .unwrap()
}

fn truth(ds: &Dataset) -> Truth {
    let mut t = Truth {
        in_care: [0; 2],
        adult_by_exit: [0; 2],
        returned: [0; 2],
        followed: [[0; 2]; 2],
        placed: [[0; 2]; 2],
    };
    let cutoff = ds.meta.data_cutoff;
    let ch = &ds.children;
    let ev = &ds.care_events;
    for c in 0..ch.len() {
        let f = ch.family[c] as usize;
        // One episode per generated family, numbered as the family.
        let (intake, Some(exit)) = (ds.episodes.intake[f], ds.episodes.exit[f]) else {
            continue;
        };
        assert_eq!(ds.episodes.family[f] as usize, f);
        if !ch.in_care_at_intake[c] || !ch.care_history_valid[c] {
            continue;
        }
        let adult = birthday18(ch.birth_date[c]);
        if adult <= intake {
            continue;
        }
        let arm = ds.families.arm[f] as usize;
        t.in_care[arm] += 1;
        let events: Vec<(Day, u8)> = (0..ev.len())
            .filter(|&i| ev.child[i] as usize == c)
            .map(|i| (ev.date[i], ev.event[i]))
            .collect();
        let back = events
            .iter()
            .position(|e| e.1 == RETURN && e.0 >= intake && e.0 <= exit && e.0 < adult);
        let Some(i) = back else {
            if adult <= exit {
                t.adult_by_exit[arm] += 1;
            }
            continue;
        };
        t.returned[arm] += 1;
        let r = events[i].0;
        let again = events[i + 1..]
            .iter()
            .find(|e| e.1 == PLACEMENT)
            .map(|e| e.0);
        for k in 0..2 {
            let end = add_years(r, (k + 1) as f64);
            if end <= cutoff && end < adult {
                t.followed[arm][k] += 1;
                t.placed[arm][k] += u64::from(again.is_some_and(|d| d <= end));
            }
        }
    }
    t
}

#[test]
fn returns_home_follow_the_generator_settings() {
    let (ds, o) = data();
    let t = truth(ds);
    for (a, arm, setting) in [(0, "programme", 0.92), (1, "comparison", 0.5)] {
        let r = row(o, arm, "returned_home", None);
        eprintln!(
            "{arm}: {r:?}\ntruth: in care {}, 18 before exit {}, returned {}",
            t.in_care[a], t.adult_by_exit[a], t.returned[a]
        );
        assert_eq!((r.n, r.events), (Some(t.in_care[a]), Some(t.returned[a])));
        // Children who could not turn 18 in care return home at the generator's rate,
        // within three binomial standard errors (seed 2024: 92.1 % and 59.8 %).
        let could = (t.in_care[a] - t.adult_by_exit[a]) as f64;
        let share = t.returned[a] as f64 / could;
        let se = (setting * (1.0 - setting) / could).sqrt();
        assert!(
            (share - setting).abs() < 3.0 * se,
            "{arm}: {share} vs {setting}"
        );
        let (lo, hi) = (r.ci_low.unwrap(), r.ci_high.unwrap());
        assert!(lo < r.estimate.unwrap() && r.estimate.unwrap() < hi);
    }
}

#[test]
fn staying_home_matches_the_complete_case_truth() {
    let (ds, o) = data();
    let t = truth(ds);
    for k in 0..2usize {
        let r = row(o, "programme", "still_home", Some(k as u32 + 1));
        let truth = 1.0 - t.placed[0][k] as f64 / t.followed[0][k] as f64;
        eprintln!(
            "year {}: KM {:?} ({:?}-{:?}), complete-case truth {truth:.4} ({} followed)",
            k + 1,
            r.estimate,
            r.ci_low,
            r.ci_high,
            t.followed[0][k]
        );
        assert!(!r.suppressed);
        assert!((r.estimate.unwrap() - truth).abs() < 0.02);
        assert!(r.ci_low.unwrap() <= truth + 0.01 && truth - 0.01 <= r.ci_high.unwrap());
    }
}
