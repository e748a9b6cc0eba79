//! Outcomes on the bundled sample (data/sample, 5000 synthetic families): plausible
//! values, interface columns, thread determinism and the SROI quantities.

use std::path::Path;
use std::sync::OnceLock;

use kinsight::ingest::{self, Dataset};
use kinsight::outcomes::{compute, OutcomeOptions, Outcomes};
use kinsight::output::{read_rows, Published};
use kinsight::pipeline::write_outcome_tables;
use kinsight::quantities::sroi_quantities;

fn sample() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
        ingest::load(&dir)
            .expect("sample readable")
            .dataset
            .expect("sample valid")
    })
}

fn opts() -> OutcomeOptions {
    OutcomeOptions::new()
        .with_bootstrap_reps(200)
        .with_seed(11)
        .with_by(vec!["country".into(), "risk_level".into()])
}

fn outcomes() -> &'static Outcomes {
    static O: OnceLock<Outcomes> = OnceLock::new();
    O.get_or_init(|| compute(sample(), &opts()).unwrap())
}

fn overall(year: u32) -> &'static kinsight::outcomes::FollowupRow {
    outcomes()
        .followup_domains
        .iter()
        .find(|r| r.group == "all" && r.domain == "overall" && r.year == year)
        .unwrap()
}

#[test]
fn shares_doing_well_are_plausible() {
    let (y1, y5) = (overall(1), overall(5));
    eprintln!("year 1: {y1:?}\nyear 5: {y5:?}");
    for r in [y1, y5] {
        assert!(!r.suppressed);
        let (share, lo, hi) = (r.share.unwrap(), r.ci_low.unwrap(), r.ci_high.unwrap());
        assert!((0.5..0.98).contains(&share), "share {share}");
        assert!(lo < share && share < hi);
        assert!(r.observed.unwrap() <= r.due.unwrap());
        let rr = r.response_rate.unwrap();
        assert!((0.2..=1.0).contains(&rr), "response rate {rr}");
    }
    assert!(
        y1.due.unwrap() > y5.due.unwrap(),
        "fewer families are due at year 5"
    );
    let w = y1.share_weighted.expect("IPW fitted for year 1");
    assert!((w - y1.share.unwrap()).abs() < 0.1);
    for d in kinsight::schema::DOMAINS {
        assert!(outcomes()
            .followup_domains
            .iter()
            .any(|r| r.group == "all" && r.domain == d && r.year == 1));
    }
}

#[test]
fn survival_by_arm_and_log_rank() {
    let o = outcomes();
    let s5 = |arm: &str, level: &str| {
        o.survival_years
            .iter()
            .find(|r| r.group == "all" && r.arm == arm && r.level == level && r.year == 5)
            .unwrap()
            .clone()
    };
    for level in ["family", "child"] {
        let (p, c) = (s5("programme", level), s5("comparison", level));
        eprintln!(
            "S(5y) {level}: programme {:?}, comparison {:?}",
            p.survival, c.survival
        );
        let (p, c) = (p.survival.unwrap(), c.survival.unwrap());
        assert!((0.5..=1.0).contains(&p) && (0.3..=1.0).contains(&c));
        assert!(p > c, "programme families stay together more often");
    }
    let test = o
        .survival_tests
        .iter()
        .find(|t| t.by == "arm" && t.level == "child")
        .unwrap();
    eprintln!("log-rank by arm (child): {test:?}");
    assert_eq!(test.df, 1);
    assert!(test.p_value < 0.05, "p = {}", test.p_value);
    assert!(o.survival_tests.iter().any(|t| t.by == "country"));
    // The curve never rises and never shows a row with fewer than 10 at risk.
    let mut last: Option<(&str, &str, f64)> = None;
    for r in &o.survival_curve {
        assert!(r.at_risk >= 10);
        if let Some((g, l, s)) = last {
            if g == r.group && l == r.level {
                assert!(r.survival <= s);
            }
        }
        last = Some((&r.group, &r.level, r.survival));
    }
}

#[test]
fn score_change_income_and_headline() {
    let o = outcomes();
    let care = o
        .score_change
        .iter()
        .find(|r| r.group == "all" && r.domain == "care" && r.year == 1)
        .unwrap();
    assert!(care.mean_change.unwrap() > 0.0, "{care:?}");
    assert_eq!(
        care.improved.unwrap() + care.same.unwrap() + care.worse.unwrap(),
        care.n.unwrap()
    );
    let inc = o
        .income_effect
        .iter()
        .find(|r| r.group == "all" && r.year == 1)
        .unwrap();
    eprintln!("income effect year 1: {inc:?}");
    assert_eq!(inc.method, "did");
    assert!(
        inc.ci_low.unwrap() <= inc.effect.unwrap() && inc.effect.unwrap() <= inc.ci_high.unwrap()
    );
    let h = &o.headline;
    eprintln!("headline: {h:?}\nnotes: {:?}", o.notes);
    assert!(h.families_programme > 1000 && h.families_comparison > 100);
    assert!(!h.doing_well_overall.is_empty());
    assert!(h.children_in_family_care_programme.is_some());
    // Levels exist for intake, exit and follow-up.
    for stage in ["intake", "exit", "year_1"] {
        assert!(o
            .score_levels
            .iter()
            .any(|r| r.group == "all" && r.stage == stage));
    }
}

#[test]
fn same_outcomes_on_one_and_four_threads() {
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| compute(sample(), &opts()).unwrap())
    };
    assert_eq!(run(1), run(4));
}

#[test]
fn tables_are_written_with_interface_columns() {
    let d = tempfile::tempdir().unwrap();
    let files = write_outcome_tables(outcomes(), d.path(), true, true).unwrap();
    assert_eq!(files.len(), 20);
    let head = |f: &str| {
        std::fs::read_to_string(d.path().join(f))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(head("followup_domains.csv"), "group,arm,domain,year,due,deceased_or_abroad,observed,response_rate,doing_well,share,ci_low,ci_high,share_weighted,ci_low_weighted,ci_high_weighted,suppressed");
    assert_eq!(
        head("survival_curve.csv"),
        "group,arm,level,day,at_risk,events,censored,survival,ci_low,ci_high"
    );
    assert_eq!(
        head("survival_years.csv"),
        "group,arm,level,year,survival,ci_low,ci_high,at_risk,suppressed"
    );
    assert_eq!(
        head("reintegration.csv"),
        "group,arm,measure,level,year,n,events,at_risk,estimate,ci_low,ci_high,chi_square,p_value,suppressed"
    );
    assert_eq!(
        head("survival_tests.csv"),
        "by,level,role,chi_square,df,p_value"
    );
    assert_eq!(
        head("score_change.csv"),
        "group,arm,domain,year,n,mean_change,ci_low,ci_high,improved,same,worse,suppressed"
    );
    assert!(head("income_effect.csv").starts_with("group,year,n_programme,n_comparison,mean_delta_programme,mean_delta_comparison,effect,ci_low,ci_high,mean_delta_programme_weighted,mean_delta_comparison_weighted,effect_weighted,ci_low_weighted,ci_high_weighted,method"));
}

/// Every outcome table reads back, from CSV and from Parquet, as the rows written.
#[test]
fn tables_read_back_as_the_rows_written() {
    fn same<R: Published + PartialEq + std::fmt::Debug>(dir: &Path, rows: &[R]) {
        for ext in ["csv", "parquet"] {
            let back: Vec<R> = read_rows(&dir.join(format!("{}.{ext}", R::TABLE))).unwrap();
            assert_eq!(back, rows, "{}.{ext}", R::TABLE);
        }
    }
    // With a high disclosure threshold many cells are suppressed: the Nones come back too.
    let strict = compute(sample(), &opts().with_min_cell(400).with_bootstrap_reps(20)).unwrap();
    assert!(strict.followup_domains.iter().any(|r| r.share.is_none()));
    for o in [outcomes(), &strict] {
        let d = tempfile::tempdir().unwrap();
        write_outcome_tables(o, d.path(), true, true).unwrap();
        same(d.path(), &o.followup_domains);
        same(d.path(), &o.score_change);
        same(d.path(), &o.score_levels);
        same(d.path(), &o.survival_curve);
        same(d.path(), &o.survival_years);
        same(d.path(), &o.survival_tests);
        same(d.path(), &o.income_effect);
        same(d.path(), &o.income_trajectory);
        same(d.path(), &o.during_programme);
        same(d.path(), &o.reintegration);
    }
}

#[test]
fn sroi_quantities_fill_every_data_key() {
    let q = sroi_quantities(
        sample(),
        &OutcomeOptions::new().with_bootstrap_reps(50).with_seed(3),
        5.0,
    )
    .unwrap();
    eprintln!("base: {:?}\nnotes: {:?}", q.base, q.notes);
    for key in kinsight::sroi::data::DATA_KEYS {
        let v = q.base.get(key).unwrap_or_else(|e| panic!("{e}"));
        assert!(v.is_finite());
    }
    let o = outcomes();
    assert_eq!(
        q.base.get("families_programme").unwrap(),
        o.headline.families_programme as f64
    );
    assert!(q.base.get("avoided_placements").unwrap() > 0.0);
    assert!(q.base.get("cost_per_placement").unwrap() > 1000.0);
    assert_eq!(q.replicates.len(), 50);
    for r in &q.replicates {
        assert!(r.get("inputs").unwrap() > 0.0);
        assert_eq!(
            r.get("families_programme").unwrap(),
            o.headline.families_programme as f64
        );
    }
    let spread: Vec<f64> = q
        .replicates
        .iter()
        .map(|r| r.get("avoided_placements").unwrap())
        .collect();
    assert!(spread.iter().any(|&v| v != spread[0]));
    // Replicates are centred on the estimate: their mean lies within 3 standard errors
    // of the mean (sd / sqrt(50)) of the point value, for a count scaled to the families
    // served and for a difference in differences.
    for key in [
        "children_programme",
        "avoided_placements",
        "income_effect_annual",
    ] {
        let v: Vec<f64> = q.replicates.iter().map(|r| r.get(key).unwrap()).collect();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let base = q.base.get(key).unwrap();
        assert!(sd > 0.0, "{key}: no spread");
        assert!(
            (mean - base).abs() < 3.0 * sd / n.sqrt(),
            "{key}: replicate mean {mean} vs {base} (sd {sd})"
        );
    }
    // Same seed, same replicates.
    let again = sroi_quantities(
        sample(),
        &OutcomeOptions::new().with_bootstrap_reps(50).with_seed(3),
        5.0,
    )
    .unwrap();
    assert_eq!(again, q);
}

/// Issue 17, item 5: the SROI's yearly income effects are the weighted differences in
/// differences of `income_effect` (each arm weighted for income non-response), not the
/// unweighted ones printed beside them.
#[test]
fn sroi_income_effects_are_the_tables_weighted_effects() {
    let q = sroi_quantities(
        sample(),
        &OutcomeOptions::new().with_bootstrap_reps(2).with_seed(3),
        5.0,
    )
    .unwrap();
    let o = outcomes();
    let mut years = 0;
    for year in 1..=5u32 {
        let Some(got) = q.base.get_opt(&format!("income_effect_y{year}")) else {
            continue;
        };
        let row = o
            .income_effect
            .iter()
            .find(|r| r.group == "all" && r.year == year)
            .expect("an income_effect row for the year");
        let want = row.effect_weighted.expect("a weighted effect");
        assert!(
            (got - want).abs() < 1e-9 * want.abs(),
            "year {year}: {got} vs {want}"
        );
        assert!(
            (got - row.effect.unwrap()).abs() > 1e-6,
            "year {year}: the weights change the effect"
        );
        years += 1;
    }
    assert_eq!(years, 5);
}

#[test]
fn reintegration_on_the_sample() {
    let o = outcomes();
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
            .unwrap()
            .clone()
    };
    for arm in ["programme", "comparison"] {
        let back = get(arm, "returned_home", "child", None);
        eprintln!("{arm} returned home: {back:?}");
        for m in [
            "days_to_return_q1",
            "days_to_return_median",
            "days_to_return_q3",
        ] {
            eprintln!("{arm} {m}: {:?}", get(arm, m, "child", None).estimate);
        }
        for level in ["child", "family"] {
            for year in 1..=5 {
                let r = get(arm, "still_home", level, Some(year));
                eprintln!(
                    "{arm} still home {level} year {year}: {:?} ({:?}-{:?}), at risk {:?}",
                    r.estimate, r.ci_low, r.ci_high, r.at_risk
                );
            }
        }
    }
    for r in o
        .reintegration
        .iter()
        .filter(|r| r.measure == "log_rank_vs_comparison")
    {
        eprintln!(
            "log-rank {}: chi2 {:?}, p {:?}",
            r.level, r.chi_square, r.p_value
        );
    }
    // The generator returns 92 % of the programme's children in care at intake home (50 %
    // in the comparison arm), fewer when they turn 18 first; and they mostly stay home.
    let p = get("programme", "returned_home", "child", None);
    let c = get("comparison", "returned_home", "child", None);
    assert!((0.8..=0.95).contains(&p.estimate.unwrap()), "{p:?}");
    assert!((0.35..=0.6).contains(&c.estimate.unwrap()), "{c:?}");
    let y1 = get("programme", "still_home", "child", Some(1));
    assert!(y1.estimate.unwrap() > 0.95 && !y1.suppressed, "{y1:?}");
    let h = &o.headline;
    assert_eq!(h.returned_home_programme, p.estimate);
    assert_eq!(h.still_home_programme.len(), 2);
    assert_eq!(h.still_home_programme[0].survival, y1.estimate.unwrap());
    // Breakdowns: every country group of the programme arm has its share.
    assert!(o
        .reintegration
        .iter()
        .any(|r| r.group.starts_with("country=") && r.measure == "returned_home"));
}
