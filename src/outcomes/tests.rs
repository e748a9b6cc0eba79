//! Module tests on hand-made datasets with known answers (a test file: one hand-built
//! case per rule of docs/method.md sections 1-4, hence its length).

use super::test_data::Builder;
use super::*;
use crate::dates::from_ymd;
use crate::stats::Z_95;

const INTAKE: u8 = 0;
const FOLLOW_UP: u8 = 3;

fn day(y: i32, m: u32, d: u32) -> i32 {
    from_ymd(y, m, d).unwrap()
}

fn opts() -> OutcomeOptions {
    OutcomeOptions::new().with_bootstrap_reps(200).with_seed(7)
}

fn settings() -> OutcomeSettings {
    opts().check().unwrap()
}

// Exit on day E. Year 1's anniversary is E + 365 (window E + 183 .. E + 547), year 2's
// E + 731. Year 1 has follow-up sittings 100 days either side of the anniversary and one
// at the window's edge: the earlier of the two closest counts. An intake-phase sitting on
// the anniversary itself never counts. Year 2's only sitting lies one day outside its
// window: missing; it falls on the first day of year 3's window (E + 914 .. E + 1278),
// where it counts. Year 5 (window end E + 2008) is not due at cut-off E + 2007.
#[test]
fn window_and_closest_sitting() {
    let e = day(2018, 3, 1);
    let mut b = Builder::new(e + 2007);
    let f = b.family(0, 0, 0, e - 300, Some(e));
    b.sitting(f, e + 365 - 182, FOLLOW_UP, &[1; 8]);
    b.sitting(f, e + 365 - 100, FOLLOW_UP, &[3; 8]);
    b.sitting(f, e + 365 + 100, FOLLOW_UP, &[4; 8]);
    b.sitting(f, e + 365, INTAKE, &[2; 8]);
    b.sitting(f, e + 731 + 183, FOLLOW_UP, &[4; 8]);
    b.sitting(f, e + 1461, 1, &[2; 8]); // a review sitting counts as follow-up too
    let ds = b.build();
    let s = settings();
    let cx = record::Context::new(&ds, &s, groups::breakdowns(&[], &ds));
    let r = cx.record(0).unwrap();
    let threes: Vec<(u32, u8)> = (0..8).map(|d| (d, 3)).collect();
    assert_eq!(r.followup[0], record::FollowUp::Observed(threes));
    assert_eq!(r.followup[1], record::FollowUp::Missing);
    let fours: Vec<(u32, u8)> = (0..8).map(|d| (d, 4)).collect();
    assert_eq!(r.followup[2], record::FollowUp::Observed(fours));
    assert!(matches!(r.followup[3], record::FollowUp::Observed(_)));
    assert_eq!(r.followup[4], record::FollowUp::NotDue);
    // The intake sitting is the intake-phase sitting closest to the intake date, wherever
    // it lies.
    let twos: Vec<(u32, u8)> = (0..8).map(|d| (d, 2)).collect();
    assert_eq!(r.intake_scores, twos);
}

// The index episode is the first with an exit: a later episode (re-entry) and an open
// one do not move day 0.
#[test]
fn index_episode_is_the_first_exit() {
    let mut b = Builder::new(day(2025, 12, 31));
    let f = b.family(0, 0, 0, day(2019, 1, 1), None);
    b.episode(f, day(2020, 1, 1), Some(day(2020, 6, 1)), 3);
    b.episode(f, day(2021, 1, 1), Some(day(2021, 6, 1)), 4);
    let ds = b.build();
    let s = settings();
    let cx = record::Context::new(&ds, &s, Vec::new());
    assert_eq!(cx.index_episode(0), Some(1));
}

#[test]
fn overall_doing_well_needs_six_domains_well_and_assessed() {
    let s = settings();
    let sc = |v: &[u8]| -> record::Scores {
        v.iter().enumerate().map(|(d, &x)| (d as u32, x)).collect()
    };
    assert!(record::FamilyRecord::overall_well(&sc(&[3; 8]), &s));
    assert!(record::FamilyRecord::overall_well(
        &sc(&[3, 4, 3, 3, 4, 3, 1, 2]),
        &s
    ));
    assert!(!record::FamilyRecord::overall_well(
        &sc(&[3, 4, 3, 3, 4, 2, 1, 2]),
        &s
    ));
    // Only five domains assessed, all very well: not enough to judge.
    assert!(!record::FamilyRecord::overall_well(&sc(&[4; 5]), &s));
    assert!(record::FamilyRecord::overall_well(&sc(&[4; 6]), &s));
    let strict = opts().with_well_threshold(4).check().unwrap();
    assert!(!record::FamilyRecord::overall_well(&sc(&[3; 8]), &strict));
}

/// Ten copies of: a child placed 100 days after exit, one whose family moved abroad on
/// day 200, one placed on day 300, one never placed (censored at the cut-off, day 1000),
/// and a child placed during the programme and never returned (not at risk).
fn km_dataset() -> Dataset {
    let e = day(2020, 1, 1);
    let mut b = Builder::new(e + 1000);
    for _ in 0..10 {
        for kind in 0..5 {
            let f = b.family(0, 0, 0, e - 365, Some(e));
            let c = b.child(f, false);
            match kind {
                0 => b.event(c, e + 100, 0),
                1 => b.contact(f, e + 200, 3),
                2 => b.event(c, e + 300, 0),
                3 => {}
                _ => b.event(c, e - 30, 0),
            }
        }
    }
    b.build()
}

// Kaplan-Meier by hand: day 100, 40 at risk, 10 events: S = 0.75; day 200, 10 censored;
// day 300, 20 at risk, 10 events: S = 0.375; Greenwood V = 10/(40 x 30) + 10/(20 x 10)
// = 0.0583333. At one year (day 365) 10 remain at risk.
#[test]
fn kaplan_meier_matches_hand_values() {
    let o = compute(&km_dataset(), &opts()).unwrap();
    let curve: Vec<_> = o
        .survival_curve
        .iter()
        .filter(|r| r.group == "all" && r.level == "child")
        .map(|r| (r.day, r.at_risk, r.events, r.censored))
        .collect();
    assert_eq!(
        curve,
        vec![
            (100, 40, 10, 0),
            (200, 30, 0, 10),
            (300, 20, 10, 0),
            (1000, 10, 0, 10)
        ]
    );
    let y1 = o
        .survival_years
        .iter()
        .find(|r| r.group == "all" && r.arm == "programme" && r.level == "family" && r.year == 1)
        .unwrap();
    assert!((y1.survival.unwrap() - 0.375).abs() < 1e-12);
    assert_eq!(y1.at_risk, Some(10));
    let v: f64 = 10.0 / 1200.0 + 10.0 / 200.0;
    let s: f64 = 0.375;
    let a = Z_95 * v.sqrt() / s.ln();
    assert!((y1.ci_low.unwrap() - s.powf(a.exp().max((-a).exp()))).abs() < 1e-9);
    assert!((y1.ci_high.unwrap() - s.powf(a.exp().min((-a).exp()))).abs() < 1e-9);
    // Year 3 (day 1096) is beyond everyone's follow-up: nobody at risk, suppressed.
    let y3 = o
        .survival_years
        .iter()
        .find(|r| r.group == "all" && r.level == "child" && r.year == 3)
        .unwrap();
    assert!(y3.suppressed && y3.survival.is_none());
    // The ten children in care at exit are placements during the programme.
    let during = o
        .during_programme
        .iter()
        .find(|r| r.group == "all" && r.measure == "children_placed_during")
        .unwrap();
    assert_eq!((during.numerator, during.denominator), (Some(10), Some(50)));
    assert_eq!(o.headline.families_programme, 50);
}

// Programme families: intake 100 a month, exit 140 or 160 (annual change 480 or 720,
// mean 600); comparison: exit 115 or 125 (180 or 300, mean 240). Effect 360.
#[test]
fn income_difference_in_differences() {
    let e = day(2021, 6, 1);
    let mut b = Builder::new(day(2025, 12, 31));
    for i in 0..20 {
        for arm in 0..2u8 {
            let f = b.family(arm, 0, 0, e - 200, Some(e));
            b.income(f, e - 190, INTAKE, 100.0);
            let exit = match (arm, i % 2) {
                (0, 0) => 140.0,
                (0, _) => 160.0,
                (_, 0) => 115.0,
                _ => 125.0,
            };
            b.income(f, e + 10, 2, exit);
            // Outside the 90 days around exit: not an exit income.
            b.income(f, e + 120, 1, 1000.0);
        }
    }
    let o = compute(&b.build(), &opts()).unwrap();
    let row = o
        .income_effect
        .iter()
        .find(|r| r.group == "all" && r.year == 0)
        .unwrap();
    assert_eq!((row.n_programme, row.n_comparison), (Some(20), Some(20)));
    assert!((row.mean_delta_programme.unwrap() - 600.0).abs() < 1e-9);
    assert!((row.mean_delta_comparison.unwrap() - 240.0).abs() < 1e-9);
    assert!((row.effect.unwrap() - 360.0).abs() < 1e-9);
    assert_eq!(row.method, "did");
    // Bootstrap: deltas vary by 120 (programme) and 60 (comparison) around their means,
    // so the effect's standard error is sqrt(120^2/20 + 60^2/20) = 30 and a 95 % interval
    // is about 2 x 1.96 x 30 = 118 wide (with 20 families a side, the bootstrap's own
    // noise allows 90-150).
    let (lo, hi) = (row.ci_low.unwrap(), row.ci_high.unwrap());
    assert!(lo < 360.0 && 360.0 < hi, "{lo} {hi}");
    assert!((90.0..150.0).contains(&(hi - lo)), "{lo} {hi}");
    let traj = o
        .income_trajectory
        .iter()
        .find(|r| r.group == "all" && r.arm == "programme" && r.year == -1)
        .unwrap();
    assert_eq!(traj.mean_income, Some(1200.0));
    assert_eq!(o.headline.income_effect, Some(360.0));
}

// A `pre_intake` income is never an intake, exit or follow-up income, even dated on the
// intake date, at exit or on an anniversary: the nearest other income counts, or none.
#[test]
fn pre_intake_incomes_are_left_out_of_the_income_points() {
    const PRE_INTAKE: u8 = 4;
    let e = day(2020, 6, 1);
    let mut b = Builder::new(day(2025, 12, 31));
    let f = b.family(0, 0, 0, e - 400, Some(e));
    b.income(f, e - 400 - 365, PRE_INTAKE, 50.0);
    b.income(f, e - 400, PRE_INTAKE, 60.0);
    b.income(f, e - 340, INTAKE, 100.0);
    b.income(f, e, PRE_INTAKE, 999.0);
    b.income(f, e + 30, 2, 140.0);
    b.income(f, e + 365, PRE_INTAKE, 999.0);
    let ds = b.build();
    let s = settings();
    let cx = record::Context::new(&ds, &s, groups::breakdowns(&[], &ds));
    let r = cx.record(0).unwrap();
    assert_eq!(r.income[0], 1200.0);
    assert_eq!(r.income[1], 1680.0);
    assert!(r.income[2].is_nan());
}

/// `n` programme families in `country` followed up in year 1, the first `well` doing well.
fn followed(b: &mut Builder, country: u32, n: usize, well: usize, observed: usize) {
    let e = day(2019, 1, 1);
    for i in 0..n {
        let f = b.family(0, country, 0, e - 200, Some(e));
        b.sitting(f, e - 200, INTAKE, &[2; 8]);
        if i < observed {
            let score = if i < well { 3 } else { 1 };
            b.sitting(f, e + 365, FOLLOW_UP, &[score; 8]);
        }
    }
}

// 40 families in AL (all seen) and 4 in AM. AM's cell is too small; AL's is suppressed
// too, because otherwise AM = all - AL. The total stays published.
#[test]
fn secondary_suppression_blocks_recovery_by_subtraction() {
    let mut b = Builder::new(day(2025, 12, 31));
    followed(&mut b, 0, 40, 30, 40);
    followed(&mut b, 1, 4, 1, 4);
    let o = compute(&b.build(), &opts().with_by(vec!["country".into()])).unwrap();
    let get = |g: &str| {
        o.followup_domains
            .iter()
            .find(|r| r.group == g && r.domain == "overall" && r.year == 1)
            .unwrap()
    };
    let (all, al, am) = (get("all"), get("country=AL"), get("country=AM"));
    assert_eq!((all.observed, all.doing_well), (Some(44), Some(31)));
    assert!(am.suppressed && al.suppressed);
    assert_eq!((al.observed, al.doing_well, al.share), (None, None, None));
    assert_eq!((am.observed, am.doing_well, am.share), (None, None, None));
    // Nothing published in this breakdown can be subtracted from the total.
    let shown: u64 = o
        .followup_domains
        .iter()
        .filter(|r| r.group.starts_with("country=") && r.domain == "overall" && r.year == 1)
        .filter_map(|r| r.observed)
        .sum();
    assert_eq!(shown, 0);
}

// Known truth: in AL 90 % respond and 90 % of respondents do well; in AM 30 % respond and
// 50 % do well. True share 0.7; the respondents' share is (810 + 150) / 1200 = 0.8. The
// response model (country dummy; the constant intake score is dropped as collinear)
// gives weights 0.6/0.9 and 0.6/0.3: weighted share (540 + 300) / (600 + 600) = 0.7.
#[test]
fn ipw_recovers_the_true_share() {
    let mut b = Builder::new(day(2025, 12, 31));
    followed(&mut b, 0, 1000, 810, 900);
    followed(&mut b, 1, 1000, 150, 300);
    let o = compute(&b.build(), &opts()).unwrap();
    let r = o
        .followup_domains
        .iter()
        .find(|r| r.group == "all" && r.domain == "overall" && r.year == 1)
        .unwrap();
    assert_eq!((r.due, r.observed), (Some(2000), Some(1200)));
    assert!((r.share.unwrap() - 0.8).abs() < 1e-12);
    let w = r.share_weighted.unwrap();
    assert!((w - 0.7).abs() < 1e-6, "weighted share {w}");
    // Kish n_eff = 1200^2 / (900 (2/3)^2 + 300 x 2^2) = 1440000 / 1600 = 900.
    let ci = crate::stats::wilson_share(w, 900.0, Z_95).unwrap().unwrap();
    assert!((r.ci_low_weighted.unwrap() - ci.low).abs() < 1e-6);
    assert!(
        o.notes.iter().all(|n| !n.contains("year 1")),
        "{:?}",
        o.notes
    );
}

// Everyone responds: the model cannot be fitted and the note says why.
#[test]
fn ipw_falls_back_with_a_note() {
    let mut b = Builder::new(day(2025, 12, 31));
    followed(&mut b, 0, 30, 20, 30);
    followed(&mut b, 1, 30, 20, 27);
    let o = compute(&b.build(), &opts()).unwrap();
    let r = o
        .followup_domains
        .iter()
        .find(|r| r.group == "all" && r.domain == "overall" && r.year == 1)
        .unwrap();
    assert_eq!(r.share_weighted, None);
    assert!(r.share.is_some());
    assert!(
        o.notes.iter().any(|n| n.starts_with(
            "IPW not fitted for year 1 (programme arm): too few non-respondents (n=3)"
        )),
        "{:?}",
        o.notes
    );
}

#[test]
fn no_exit_is_no_cohort() {
    let mut b = Builder::new(day(2025, 12, 31));
    b.family(0, 0, 0, day(2024, 1, 1), None);
    assert_eq!(compute(&b.build(), &opts()), Err(OutcomeError::NoCohort));
}

#[test]
fn merged_ranges_equal_one_pass() {
    let mut b = Builder::new(day(2025, 12, 31));
    followed(&mut b, 0, 60, 40, 50);
    followed(&mut b, 1, 50, 20, 30);
    let ds = b.build();
    let o = opts().with_by(vec!["country".into()]);
    let whole = compute(&ds, &o).unwrap();
    let mut a = partial(&ds, &o, 70..110).unwrap();
    a.merge(partial(&ds, &o, 0..70).unwrap()).unwrap();
    a.note_missing_tables(&ds);
    assert_eq!(a.finish().unwrap(), whole);
    let other = partial(&ds, &opts(), 0..10).unwrap();
    assert!(partial(&ds, &o, 0..10).unwrap().merge(other).is_err());
}

// Two partitions read from different files (their own country vocabularies, in another
// order) merge into the outcomes of the whole: labels are remapped, not trusted by code.
#[test]
fn partitions_with_their_own_vocabularies_merge_exactly() {
    let mut whole = Builder::new(day(2025, 12, 31));
    followed(&mut whole, 0, 60, 40, 50);
    followed(&mut whole, 1, 50, 20, 30);
    let whole = whole.build();
    let mut a = Builder::new(day(2025, 12, 31));
    followed(&mut a, 0, 60, 40, 50);
    let a = a.build();
    let mut b = Builder::new(day(2025, 12, 31));
    followed(&mut b, 1, 50, 20, 30);
    let mut b = b.build();
    b.families.countries = vec!["AM".into(), "AL".into()];
    b.families.country.iter_mut().for_each(|c| *c = 1 - *c);
    b.families.ids = (0..50).map(|i| format!("F{}", i + 60)).collect();
    let o = opts().with_by(vec!["country".into()]);
    let mut merged = partial(&b, &o, 0..50).unwrap();
    merged.merge(partial(&a, &o, 0..60).unwrap()).unwrap();
    merged.note_missing_tables(&whole);
    assert_eq!(merged.finish().unwrap(), compute(&whole, &o).unwrap());
}

// Issue 17, item 1: `all` is the whole cohort of each arm, never the arms pooled.
// Ten programme families with one child each, none placed: S(1) = 1. Ten comparison
// families, five children placed on day 100: S(1) = 1 - 5/10 = 0.5. Pooled, `all` would
// have read 1 - 5/20 = 0.75. Year-1 follow-up: six comparison families doing well of ten
// seen (all seen: the model cannot be fitted, the share is unweighted): 0.6 in the
// comparison arm's own `all` row.
#[test]
fn all_is_the_cohort_of_each_arm() {
    let e = day(2020, 1, 1);
    let mut b = Builder::new(day(2025, 12, 31));
    for arm in 0..2u8 {
        for i in 0..10 {
            let f = b.family(arm, 0, 0, e - 200, Some(e));
            b.sitting(f, e - 200, INTAKE, &[2; 8]);
            let well = if arm == 0 { i < 8 } else { i < 6 };
            b.sitting(f, e + 365, FOLLOW_UP, &[if well { 3 } else { 1 }; 8]);
            let c = b.child(f, false);
            if arm == 1 && i < 5 {
                b.event(c, e + 100, 0);
            }
        }
    }
    let o = compute(&b.build(), &opts().with_min_cell(5)).unwrap();
    let s1 = |arm: &str| {
        o.survival_years
            .iter()
            .find(|r| r.group == "all" && r.arm == arm && r.level == "child" && r.year == 1)
            .and_then(|r| r.survival)
            .unwrap()
    };
    assert_eq!(s1("programme"), 1.0);
    assert!((s1("comparison") - 0.5).abs() < 1e-12);
    assert!(o.survival_years.iter().all(|r| r.group == "all"));
    let share = |arm: &str| {
        let r = o
            .followup_domains
            .iter()
            .find(|r| r.group == "all" && r.arm == arm && r.domain == "overall" && r.year == 1)
            .unwrap();
        (r.due, r.observed, r.share)
    };
    assert_eq!(share("programme"), (Some(10), Some(10), Some(0.8)));
    assert_eq!(share("comparison"), (Some(10), Some(10), Some(0.6)));
    let comparison: Vec<f64> = o
        .headline
        .doing_well_overall_comparison
        .iter()
        .map(|s| s.share)
        .collect();
    assert_eq!(comparison, vec![0.6]);
    // The arms are tested over the whole cohort, the family level as the primary test.
    let t = o
        .survival_tests
        .iter()
        .find(|t| t.by == "arm" && t.level == "family")
        .unwrap();
    assert_eq!(t.role, "primary");
    let t = o
        .survival_tests
        .iter()
        .find(|t| t.by == "arm" && t.level == "child")
        .unwrap();
    assert_eq!(t.role, "descriptive");
}

// Issue 17, item 1: a breakdown's test compares the arms within its groups. AL: the
// arms identical (each 1 of 5 children placed on day 100); AM: the comparison arm's
// 5 children all placed on day 200, the programme's none. Stratified by country, only AM
// carries a difference: day 200 in AM has 10 at risk, 5 events, all in the comparison
// arm: O - E (programme) = 0 - 5 x 5/10 = -2.5, V = 5 x 5 x 5 x 5 / (100 x 9) = 0.69444;
// AL's day 100: O - E = 1 - 2 x 5/10 = 0, V = 5 x 5 x 2 x 8 / (100 x 9) = 0.44444.
// chi-square = 2.5^2 / (0.69444 + 0.44444) = 6.25 / 1.13889 = 5.48780.
#[test]
fn breakdown_tests_compare_arms_within_groups() {
    let e = day(2020, 1, 1);
    let mut b = Builder::new(day(2025, 12, 31));
    for country in 0..2u32 {
        for arm in 0..2u8 {
            for i in 0..5 {
                let f = b.family(arm, country, 0, e - 200, Some(e));
                let c = b.child(f, false);
                match (country, arm) {
                    (0, _) if i == 0 => b.event(c, e + 100, 0),
                    (1, 1) => b.event(c, e + 200, 0),
                    _ => {}
                }
            }
        }
    }
    let o = compute(
        &b.build(),
        &opts().with_min_cell(5).with_by(vec!["country".into()]),
    )
    .unwrap();
    let t = o
        .survival_tests
        .iter()
        .find(|t| t.by == "country" && t.level == "child")
        .unwrap();
    assert_eq!(t.df, 1);
    assert!(
        (t.chi_square - 6.25 / (6.25 / 9.0 + 4.0 / 9.0)).abs() < 1e-9,
        "{t:?}"
    );
    assert!((t.chi_square - 5.487_804_878).abs() < 1e-6);
}

// Issue 17, item 2. Exit E, cut-off E + 2007: windows of years 1-4 have ended (year 4's
// ends on E + 1643), year 5's (E + 2008) has not. Five families are found deceased on
// E + 500: inside year 1's window (E + 183 .. E + 547), so year 1 is due (and missing);
// year 2's window opens on E + 549, after the death: not due, and neither are years 3
// and 4. Five families are seen every year. Year 1: due 10, seen 5; years 2-4: due 5,
// seen 5, deceased_or_abroad 5. The non-response fit of year 2 sees only the 5 due.
#[test]
fn death_censors_the_follow_up_years_after_it() {
    let e = day(2018, 3, 1);
    let mut b = Builder::new(e + 2007);
    for i in 0..10 {
        let f = b.family(0, 0, 0, e - 300, Some(e));
        b.sitting(f, e - 300, INTAKE, &[2; 8]);
        if i < 5 {
            b.contact(f, e + 500, 4);
        } else {
            for k in 1..=4 {
                b.sitting(
                    f,
                    crate::dates::add_years(e, f64::from(k)),
                    FOLLOW_UP,
                    &[3; 8],
                );
            }
        }
    }
    let ds = b.build();
    let o = compute(&ds, &opts().with_min_cell(5)).unwrap();
    let row = |y: u32| {
        let r = o
            .followup_domains
            .iter()
            .find(|r| r.group == "all" && r.domain == "overall" && r.year == y)
            .unwrap();
        (r.due, r.deceased_or_abroad, r.observed)
    };
    assert_eq!(row(1), (Some(10), Some(0), Some(5)));
    for y in 2..=4 {
        assert_eq!(row(y), (Some(5), Some(5), Some(5)), "year {y}");
    }
    assert!(o.followup_domains.iter().all(|r| r.year <= 4));
    let p = partial(&ds, &opts(), 0..ds.families.len()).unwrap();
    let fit = |y: u8| -> [u64; 2] {
        p.ipw_fit
            .iter()
            .filter(|((yy, _), _)| *yy == y)
            .fold([0, 0], |a, (_, v)| [a[0] + v[0], a[1] + v[1]])
    };
    assert_eq!(fit(0), [10, 5]);
    assert_eq!(fit(1), [5, 5]);
}

// Issue 17, item 3. Exit 2020-01-01, cut-off E + 1000. Child a, born 2003-06-01, turns 18
// on 2021-06-01 = E + 366 + 151 = E + 517: censored there (aged out during follow-up).
// Child b, born 2001-01-01, was 18 before exit: not at risk. Child c, born 2003-06-01 and
// placed on E + 600, after turning 18: not an event, censored on E + 517. Child d, born
// 2015, placed on E + 300: an event.
#[test]
fn children_are_at_risk_only_under_18() {
    let e = day(2020, 1, 1);
    let mut b = Builder::new(e + 1000);
    let f = b.family(0, 0, 0, e - 300, Some(e));
    b.child_born(f, false, day(2003, 6, 1));
    b.child_born(f, false, day(2001, 1, 1));
    let c = b.child_born(f, false, day(2003, 6, 1));
    b.event(c, e + 600, 0);
    let d = b.child(f, false);
    b.event(d, e + 300, 0);
    let ds = b.build();
    let s = settings();
    let cx = record::Context::new(&ds, &s, Vec::new());
    let r = cx.record(0).unwrap();
    assert_eq!(
        r.children_times,
        vec![(517, false), (517, false), (300, true)]
    );
    assert_eq!(r.children_aged_out, [1, 2]);
    assert_eq!(r.family_time, Some((300, true)));
    let o = compute(&ds, &opts()).unwrap();
    assert!(
        o.notes.iter().any(|n| n.contains(
            "programme arm: 1 children 18 or older at exit (not at risk), 2 censored at their 18th birthday"
        )),
        "{:?}",
        o.notes
    );
    // Counted per group and arm for during_programme (these cells are too small to be
    // published): 1 of the 4 children not in care at exit was 18, 2 of the 3 at risk
    // were censored at 18.
    let p = partial(&ds, &opts(), 0..1).unwrap();
    let all = partial::cell(0, 0);
    assert_eq!(p.during[&(all, partial::AGED_18_AT_EXIT)], [1, 4]);
    assert_eq!(p.during[&(all, partial::CENSORED_AT_18)], [2, 3]);
}

// Issue 17, item 5. Programme arm, year 1: 20 low-risk families of which 16 report an
// income (delta (110 - 100) x 12 = 120 a year), 20 high-risk of which 8 report (delta
// (150 - 100) x 12 = 600). The income response model (risk dummy) fits p = 0.8 and 0.4,
// marginal 24/40 = 0.6: weights 0.75 and 1.5. Unweighted mean (16 x 120 + 8 x 600) / 24
// = 280; weighted (16 x 0.75 x 120 + 8 x 1.5 x 600) / (12 + 12) = 8640 / 24 = 360.
// Comparison: ten low-risk families, 8 report, delta 0 (too few to fit: unweighted, with
// a note). Effect 280, weighted 360.
#[test]
fn income_deltas_are_weighted_for_non_response() {
    let e = day(2020, 1, 1);
    let mut b = Builder::new(day(2025, 12, 31));
    let add = |b: &mut Builder, arm: u8, risk: u8, n: usize, reporting: usize, monthly: f64| {
        for i in 0..n {
            let f = b.family(arm, 0, risk, e - 200, Some(e));
            b.income(f, e - 190, INTAKE, 100.0);
            if i < reporting {
                b.income(f, e + 365, FOLLOW_UP, monthly);
            }
        }
    };
    add(&mut b, 0, 0, 20, 16, 110.0);
    add(&mut b, 0, 1, 20, 8, 150.0);
    add(&mut b, 1, 0, 10, 8, 100.0);
    let o = compute(&b.build(), &opts().with_min_cell(5)).unwrap();
    let r = o
        .income_effect
        .iter()
        .find(|r| r.group == "all" && r.year == 1)
        .unwrap();
    assert_eq!((r.n_programme, r.n_comparison), (Some(24), Some(8)));
    assert!((r.mean_delta_programme.unwrap() - 280.0).abs() < 1e-9);
    assert!(
        (r.mean_delta_programme_weighted.unwrap() - 360.0).abs() < 1e-6,
        "{r:?} {:?}",
        o.notes
    );
    assert!(r.mean_delta_comparison_weighted.unwrap().abs() < 1e-9);
    assert!((r.effect.unwrap() - 280.0).abs() < 1e-9);
    assert!((r.effect_weighted.unwrap() - 360.0).abs() < 1e-6);
    assert!(r.ci_low_weighted.is_some() && r.ci_high_weighted.is_some());
    assert_eq!(o.headline.income_effect_year, Some(1));
    assert!(o.headline.income_effect_weighted);
    assert!((o.headline.income_effect.unwrap() - 360.0).abs() < 1e-6);
}

// Issue 17, item 4. Ten families of four children each: in five all four children are
// placed on day 100, in five none is. Child-level S(1) = 20/40 = 0.5, and Greenwood's
// variance treats the 40 children as independent: S^2 x 20 / (40 x 20) = 0.00625 (se
// 0.079). The information is that of 10 families: S^2 x 5 / (10 x 5) = 0.025 (se 0.158),
// twice as wide. The family-clustered bootstrap draws each family's four children
// together, so every replicate's child-level S is its weighted share of unplaced
// families: exactly the interval of the same ten families with one child each.
#[test]
fn child_survival_intervals_resample_families() {
    let e = day(2020, 1, 1);
    let o = opts().with_min_cell(5).with_bootstrap_reps(1000);
    let build = |families: usize, kids: usize, placed: usize| {
        let mut b = Builder::new(day(2025, 12, 31));
        for i in 0..families {
            let f = b.family(0, 0, 0, e - 200, Some(e));
            for _ in 0..kids {
                let c = b.child(f, false);
                if i < placed {
                    b.event(c, e + 100, 0);
                }
            }
        }
        b.build()
    };
    let year1 = |ds: &crate::ingest::Dataset| {
        let r = compute(ds, &o)
            .unwrap()
            .survival_years
            .into_iter()
            .find(|r| r.group == "all" && r.level == "child" && r.year == 1)
            .unwrap();
        (r.survival.unwrap(), r.ci_low.unwrap(), r.ci_high.unwrap())
    };
    let siblings = build(10, 4, 5);
    let (s, lo, hi) = year1(&siblings);
    assert_eq!(s, 0.5);
    assert!(lo < 0.5 && 0.5 < hi);
    // Identical siblings add no information: the interval of ten single children.
    assert_eq!((s, lo, hi), year1(&build(10, 1, 5)));
    // Forty independent children (one per family): the unclustered bootstrap, close to
    // Greenwood's 0.5 +- 1.96 x 0.079 and about half the clustered width.
    let (s40, lo40, hi40) = year1(&build(40, 1, 20));
    assert_eq!(s40, 0.5);
    let table: crate::stats::EventTable = (0..40).map(|i| (100, i < 20)).collect();
    let greenwood = crate::stats::KaplanMeier::new(&table)
        .unwrap()
        .interval_at(100);
    let gw = greenwood.high - greenwood.low;
    assert!(
        ((hi40 - lo40) - gw).abs() < 0.15 * gw,
        "unclustered {lo40}..{hi40}, Greenwood {greenwood:?}"
    );
    assert!(
        hi - lo > 1.5 * (hi40 - lo40),
        "clustered {lo}..{hi}, unclustered {lo40}..{hi40}"
    );
    // The same interval however the families are split.
    let mut p = partial(&siblings, &o, 0..4).unwrap();
    p.merge(partial(&siblings, &o, 4..10).unwrap()).unwrap();
    assert_eq!(
        p.finish().unwrap().survival_years,
        compute(&siblings, &o).unwrap().survival_years
    );
}

// With one child per family the clustered bootstrap is the ordinary bootstrap of
// children: its interval equals the percentile interval of S = (n - d) / n computed
// directly over the families' Poisson multiplicities (same seed, same keys).
#[test]
fn one_child_per_family_is_the_plain_bootstrap() {
    let e = day(2020, 1, 1);
    let o = opts()
        .with_min_cell(5)
        .with_bootstrap_reps(400)
        .with_seed(11);
    let mut b = Builder::new(day(2025, 12, 31));
    for i in 0..30 {
        let f = b.family(0, 0, 0, e - 200, Some(e));
        let c = b.child(f, false);
        if i % 3 == 0 {
            b.event(c, e + 100, 0);
        }
    }
    let ds = b.build();
    let r = compute(&ds, &o)
        .unwrap()
        .survival_years
        .into_iter()
        .find(|r| r.group == "all" && r.level == "child" && r.year == 1)
        .unwrap();
    let keys: Vec<u64> = (0..30)
        .map(|f| partial::family_key(&ds.families.ids[f]))
        .collect();
    let reps = crate::stats::bootstrap(&keys, 400, 11, |counts| {
        let (mut n, mut d) = (0u64, 0u64);
        for (i, &c) in counts.iter().enumerate() {
            n += u64::from(c);
            if i % 3 == 0 {
                d += u64::from(c);
            }
        }
        if d >= n {
            0.0
        } else {
            (n as f64 - d as f64) / n as f64
        }
    });
    let i = crate::stats::percentile_interval(&reps, 0.95).unwrap();
    assert!((r.ci_low.unwrap() - i.low).abs() < 1e-12, "{r:?} {i:?}");
    assert!((r.ci_high.unwrap() - i.high).abs() < 1e-12, "{r:?} {i:?}");
}
