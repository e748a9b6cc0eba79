//! Degenerate designs end in a result or a reason (issue 22, item 3).
//!
//! One table of cases, each a small dataset built in code by [`Spec`] and run end to end
//! (`kinsight run`: outcomes, SROI with a few draws, charts, report). Each case asserts
//! its exact outcome: the run completes (with what the tables mark where a figure cannot
//! be computed), or it stops with the exact message, which for the SROI names the
//! missing data key, why it is missing (with counts) and the model setting that would
//! supply it.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow::datatypes::{Field, Schema};
use parquet::arrow::ArrowWriter;

use kinsight::pipeline::{self, Job};

/// A dataset design.
#[derive(Clone)]
struct Spec {
    programme: usize,
    comparison: usize,
    countries: &'static [&'static str],
    /// Days from the first exit to the cut-off.
    cutoff_after_exit: i32,
    income: bool,
    care_events: bool,
    /// Service and programme-cost amounts (0: zero costs).
    cost: f64,
    /// Currency of every cost (a rate for 2019 is given only when `rate_2019`).
    currency: &'static str,
    rate_2019: bool,
    /// Every family moves abroad this many days after exit (censored).
    moved_abroad_after: Option<i32>,
    /// `[study.baseline_placement_rate]` in the model.
    baseline: bool,
}

impl Spec {
    fn base() -> Self {
        Spec {
            programme: 12,
            comparison: 12,
            countries: &["AL", "AM"],
            cutoff_after_exit: 6 * 365,
            income: true,
            care_events: true,
            cost: 500.0,
            currency: "EUR",
            rate_2019: true,
            moved_abroad_after: None,
            baseline: false,
        }
    }
}

fn day(t: &str) -> i32 {
    kinsight::dates::parse(t).unwrap()
}

fn write(path: &Path, cols: Vec<(&str, ArrayRef)>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let schema = Arc::new(Schema::new(
        cols.iter()
            .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
            .collect::<Vec<_>>(),
    ));
    let batch =
        RecordBatch::try_new(schema.clone(), cols.into_iter().map(|c| c.1).collect()).unwrap();
    let mut w = ArrowWriter::try_new(fs::File::create(path).unwrap(), schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

fn s(v: Vec<String>) -> ArrayRef {
    Arc::new(StringArray::from(v))
}
fn so(v: Vec<Option<String>>) -> ArrayRef {
    Arc::new(StringArray::from(v))
}
fn d(v: Vec<i32>) -> ArrayRef {
    Arc::new(Date32Array::from(v))
}
fn f(v: Vec<f64>) -> ArrayRef {
    Arc::new(Float64Array::from(v))
}
fn i(v: Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(v))
}
fn b(v: Vec<bool>) -> ArrayRef {
    Arc::new(BooleanArray::from(v))
}
fn rep(v: &str, n: usize) -> ArrayRef {
    s(vec![v.to_string(); n])
}

const DOMAINS: [&str; 8] = [
    "care",
    "food_security",
    "shelter",
    "physical_health",
    "education_skills",
    "livelihood",
    "protection_social_inclusion",
    "social_emotional",
];

/// Write the dataset of `spec` and its model into `dir`.
fn build(spec: &Spec, dir: &Path) {
    let first_exit = day("2019-03-01");
    let cutoff = first_exit + spec.cutoff_after_exit;
    let n = spec.programme + spec.comparison;
    let arm = |k: usize| {
        if k < spec.programme {
            "programme"
        } else {
            "comparison"
        }
    };
    let country = |k: usize| spec.countries[k % spec.countries.len()];
    let ids = |p: &str| (0..n).map(|k| format!("{p}{k}")).collect::<Vec<_>>();
    let intake = |k: usize| first_exit - 200 + (k as i32 % 5);
    let exit = |k: usize| first_exit + (k as i32 % 5);
    write(
        &dir.join("families.parquet"),
        vec![
            ("family_id", s(ids("F"))),
            (
                "programme_id",
                s((0..n).map(|k| format!("{}-P", country(k))).collect()),
            ),
            ("country", s((0..n).map(|k| country(k).into()).collect())),
            ("arm", s((0..n).map(|k| arm(k).into()).collect())),
            ("household_type", rep("two_parent", n)),
            ("children_count", i(vec![1; n])),
            (
                "risk_level",
                s((0..n)
                    .map(|k| ["low", "medium", "high"][k % 3].into())
                    .collect()),
            ),
            ("referral_source", rep("school", n)),
        ],
    );
    write(
        &dir.join("children.parquet"),
        vec![
            ("child_id", s(ids("C"))),
            ("family_id", s(ids("F"))),
            ("birth_date", d(vec![day("2012-05-01"); n])),
            ("sex", rep("female", n)),
            ("in_care_at_intake", b(vec![false; n])),
        ],
    );
    write(
        &dir.join("episodes.parquet"),
        vec![
            ("episode_id", s(ids("E"))),
            ("family_id", s(ids("F"))),
            ("service_model", rep("holistic", n)),
            ("prevention_level", rep("secondary", n)),
            ("intake_date", d((0..n).map(intake).collect())),
            ("exit_date", d((0..n).map(exit).collect())),
        ],
    );
    // Sittings: intake, then each anniversary of exit up to the cut-off.
    let mut a = (vec![], vec![], vec![], vec![], vec![]);
    let mut inc = (vec![], vec![], vec![], vec![]);
    for k in 0..n {
        let mut sittings = vec![(intake(k), "intake", 0)];
        sittings.extend(
            (1..=5)
                .map(|y| (exit(k) + y * 365, "follow_up", y))
                .filter(|(t, _, _)| *t <= cutoff),
        );
        for (t, phase, y) in sittings {
            let better = i64::from(arm(k) == "programme" && y > 0);
            for (j, dom) in DOMAINS.iter().enumerate() {
                a.0.push(format!("F{k}"));
                a.1.push(t);
                a.2.push(phase.to_string());
                a.3.push(dom.to_string());
                a.4.push((2 + better + ((k + j) % 2) as i64).min(4));
            }
            inc.0.push(format!("F{k}"));
            inc.1.push(t);
            inc.2.push(phase.to_string());
            let gain = if arm(k) == "programme" { 40.0 } else { 10.0 };
            inc.3.push(300.0 + 10.0 * k as f64 + gain * f64::from(y));
        }
    }
    let rows = a.0.len();
    write(
        &dir.join("assessments.parquet"),
        vec![
            (
                "assessment_id",
                s((0..rows).map(|r| format!("A{r}")).collect()),
            ),
            ("family_id", s(a.0)),
            ("assessment_date", d(a.1)),
            ("phase", s(a.2)),
            ("domain", s(a.3)),
            ("score", i(a.4)),
        ],
    );
    if spec.income {
        let rows = inc.0.len();
        write(
            &dir.join("income.parquet"),
            vec![
                ("family_id", s(inc.0)),
                ("observed_date", d(inc.1)),
                ("phase", s(inc.2)),
                ("monthly_income", f(inc.3)),
                ("currency", rep("EUR", rows)),
            ],
        );
    }
    if let Some(after) = spec.moved_abroad_after {
        write(
            &dir.join("followup_contacts.parquet"),
            vec![
                ("family_id", s(ids("F"))),
                ("contact_date", d((0..n).map(|k| exit(k) + after).collect())),
                ("result", rep("moved_abroad", n)),
            ],
        );
    }
    if spec.care_events {
        // Every third programme child and every second comparison child is placed in
        // the second year after exit (before the cut-off), half of them return home.
        let mut c = (vec![], vec![], vec![], vec![]);
        for k in 0..n {
            let placed = if arm(k) == "programme" {
                k % 3 == 0
            } else {
                k % 2 == 0
            };
            let t = exit(k) + 400;
            if placed && t <= cutoff {
                c.0.push(format!("C{k}"));
                c.1.push(t);
                c.2.push("placement".to_string());
                c.3.push(Some(["residential", "foster"][k % 2].to_string()));
                if k % 4 == 0 && t + 200 <= cutoff {
                    c.0.push(format!("C{k}"));
                    c.1.push(t + 200);
                    c.2.push("return_home".to_string());
                    c.3.push(None);
                }
            }
        }
        write(
            &dir.join("care_events.parquet"),
            vec![
                ("child_id", s(c.0)),
                ("event_date", d(c.1)),
                ("event", s(c.2)),
                ("care_type", so(c.3)),
            ],
        );
    }
    // Services of programme families (dated at intake, 2018 and 2019), programme costs
    // per country in 2019.
    let prog: Vec<usize> = (0..spec.programme).collect();
    write(
        &dir.join("services.parquet"),
        vec![
            (
                "service_id",
                s(prog.iter().map(|k| format!("S{k}")).collect()),
            ),
            (
                "episode_id",
                s(prog.iter().map(|k| format!("E{k}")).collect()),
            ),
            ("service_type", rep("home_visit", prog.len())),
            ("start_date", d(prog.iter().map(|&k| intake(k)).collect())),
            ("units", f(vec![1.0; prog.len()])),
            ("cost", f(vec![spec.cost; prog.len()])),
            ("currency", rep(spec.currency, prog.len())),
        ],
    );
    let cs: Vec<&str> = spec.countries.to_vec();
    write(
        &dir.join("programme_costs.parquet"),
        vec![
            (
                "programme_id",
                s(cs.iter().map(|c| format!("{c}-P")).collect()),
            ),
            ("period_start", d(vec![day("2019-01-01"); cs.len()])),
            ("period_end", d(vec![day("2019-12-31"); cs.len()])),
            ("category", rep("staff", cs.len())),
            ("amount", f(vec![spec.cost * 10.0; cs.len()])),
            ("currency", rep(spec.currency, cs.len())),
            ("in_kind", b(vec![false; cs.len()])),
        ],
    );
    let cc: Vec<(&str, &str, f64)> = cs
        .iter()
        .flat_map(|c| [(*c, "residential", 6000.0), (*c, "foster", 1500.0)])
        .collect();
    write(
        &dir.join("reference/care_costs.parquet"),
        vec![
            ("country", s(cc.iter().map(|x| x.0.into()).collect())),
            ("care_type", s(cc.iter().map(|x| x.1.into()).collect())),
            ("year", i(vec![2024; cc.len()])),
            ("cost_per_child_year", f(cc.iter().map(|x| x.2).collect())),
            ("currency", rep("EUR", cc.len())),
        ],
    );
    let years: Vec<i64> = (2015..=2026)
        .filter(|y| spec.rate_2019 || *y != 2019)
        .collect();
    write(
        &dir.join("reference/exchange_rates.parquet"),
        vec![
            ("currency", rep("ALL", years.len())),
            ("year", i(years.clone())),
            ("per_reporting_unit", f(vec![120.0; years.len()])),
        ],
    );
    let pi: Vec<(&str, i64)> = cs
        .iter()
        .flat_map(|c| (2015..=2026).map(move |y| (*c, y)))
        .collect();
    write(
        &dir.join("reference/price_index.parquet"),
        vec![
            ("country", s(pi.iter().map(|x| x.0.into()).collect())),
            ("year", i(pi.iter().map(|x| x.1).collect())),
            (
                "index",
                f(pi.iter()
                    .map(|x| 100.0 + 2.0 * (x.1 - 2015) as f64)
                    .collect()),
            ),
        ],
    );
    fs::write(
        dir.join("dataset.toml"),
        format!(
            "name = \"degenerate\"\ndata_cutoff = {}\nreporting_currency = \"EUR\"\nprice_year = 2024\n",
            kinsight::dates::format(cutoff)
        ),
    )
    .unwrap();
    let mut model =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/model.toml"))
            .unwrap()
            .replace("draws = 10000", "draws = 200")
            .replace("bootstrap_reps = 2000", "bootstrap_reps = 40")
            .replace("min_cell = 10 ", "min_cell = 5 ")
            // These designs test the unadjusted path; the propensity adjustment of a dozen
            // families (which usually separates) has its own tests.
            .replace("method = \"dr\"", "method = \"none\"");
    if spec.comparison == 0 {
        // Without a comparison arm the measured deadweight has no data: the user gives it.
        model = model.replace("data = \"comparison_doing_well_y1\"", "value = 0.5");
    }
    if spec.baseline {
        model = model.replacen(
            "[study]\n",
            "[study]\nbaseline_placement_rate = { low = [0.02, 0.04, 0.06, 0.08, 0.1], medium = [0.05, 0.1, 0.15, 0.2, 0.25], high = [0.1, 0.2, 0.3, 0.4, 0.5] }\n",
            1,
        );
    }
    fs::write(dir.join("model.toml"), model).unwrap();
}

/// How a run ended: `Ok(lines printed)` or `Err(message)`.
fn run(spec: &Spec) -> (tempfile::TempDir, Result<Vec<String>, String>) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    build(spec, &data);
    let job = Job::new(&data, tmp.path().join("out"));
    let r = pipeline::run(&job, &|_| {})
        .map(|d| d.lines)
        .map_err(|e| e.to_string());
    (tmp, r)
}

/// The CSV table `name` of a run as rows of fields (no quoted commas in these tables).
fn table(out: &Path, name: &str) -> Vec<Vec<String>> {
    fs::read_to_string(out.join(format!("tables/{name}.csv")))
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

/// The index of column `name` in a table's header row.
fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]))
}

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(out.join("sroi/summary.json")).unwrap()).unwrap()
}

enum Expect {
    /// The run completes; the closure checks its outputs.
    Completes(fn(&Path, &[String])),
    /// The outcome tables are written, then the SROI stops with exactly this message
    /// (and `failed.json` names the SROI stage).
    SroiFails(&'static str),
    /// As `SroiFails`, and the closure checks the outcome tables written before the stop.
    SroiFailsAfter(&'static str, fn(&Path)),
    /// The dataset is unusable; its first problem reads exactly so.
    Invalid(&'static str),
}

fn cases() -> Vec<(&'static str, Spec, Expect)> {
    use Expect::*;
    vec![
        (
            "no comparison arm, no baseline rate",
            Spec {
                comparison: 0,
                ..Spec::base()
            },
            SroiFails("the model references data key `avoided_placements` but it cannot be measured: the dataset has no comparison arm (0 comparison and 12 programme families with an exit), so nothing gives the placement rate without the programme; add [study.baseline_placement_rate] to the model file (cumulative placement rates by risk level low, medium, high, acute for years 1..5), or add comparison families"),
        ),
        (
            "no comparison arm, with a baseline rate",
            Spec {
                comparison: 0,
                baseline: true,
                ..Spec::base()
            },
            Completes(|out, lines| {
                let s = summary(out);
                let q = s["outcomes"][0]["quantity"].as_f64().unwrap();
                // 12 children, 4 per risk level: F_b(5) = (0.1 + 0.25 + 0.5) / 3; the
                // programme placed 4 of 12 (one returned home, still counted as placed).
                let expected = 12.0 * ((0.1 + 0.25 + 0.5) / 3.0 - 4.0 / 12.0);
                assert!((q - expected).abs() < 1e-9, "{q} vs {expected}");
                assert!(
                    lines.iter().any(|l| l.contains("the counterfactual placement rate is the model's [study.baseline_placement_rate] at year 5")),
                    "{lines:?}"
                );
            }),
        ),
        (
            "no programme arm",
            Spec {
                programme: 0,
                ..Spec::base()
            },
            SroiFails("the model references data key `avoided_placements` but it cannot be measured: the dataset has no programme family with an exit (0 programme and 12 comparison families), and the SROI values the programme's outcomes; add the programme arm's families and their episodes with exit_date"),
        ),
        (
            "one family (with a baseline rate)",
            Spec {
                programme: 1,
                comparison: 0,
                baseline: true,
                ..Spec::base()
            },
            SroiFails("the model references data key `income_effect_annual` but it cannot be measured: no follow-up year has at least min_cell = 5 families with income at intake and in that year in each arm (programme families with both: year 1: 1, year 2: 1, year 3: 1, year 4: 1, year 5: 1); add income rows, or give the parameter a value instead of data = \"income_effect_annual\""),
        ),
        (
            "one country",
            Spec {
                countries: &["AL"],
                ..Spec::base()
            },
            Completes(|out, _| {
                let rows = table(out, "cost_of_care");
                assert_eq!(rows.len(), 2, "{rows:?}");
                assert_eq!(rows[1][0], "AL");
                assert!(summary(out)["ratio"].as_f64().unwrap() > 0.0);
            }),
        ),
        (
            "every family censored before year 1",
            Spec {
                moved_abroad_after: Some(100),
                ..Spec::base()
            },
            // Emigration censors every analysis (no follow-up year is due after it), so
            // no income change is observed and the SROI stops on its income key.
            SroiFailsAfter("the model references data key `income_effect_annual` but it cannot be measured: no follow-up year has at least min_cell = 5 families with income at intake and in that year in each arm (programme and comparison families with both: year 1: 0 and 0, year 2: 0 and 0, year 3: 0 and 0, year 4: 0 and 0, year 5: 0 and 0); add income rows, or give the parameter a value instead of data = \"income_effect_annual\"", |out| {
                // Survival cannot be published past day 100: every year is withheld.
                let rows = table(out, "survival_years");
                assert!(rows.len() > 1);
                let (est, sup) = (col(&rows, "survival"), col(&rows, "suppressed"));
                assert!(rows[1..].iter().all(|r| r[est].is_empty() && r[sup] == "true"), "{rows:?}");
            }),
        ),
        (
            "no follow-up due yet",
            Spec {
                cutoff_after_exit: 100,
                ..Spec::base()
            },
            SroiFails("the model references data key `cost_per_placement` but it cannot be measured: no placement of a cohort child after exit in care_events has a reference/care_costs entry for its country and care type (0 placements after exit, 0 with a cost entry; care_events present, reference/care_costs present); add the care_events of placements and reference/care_costs rows for each country and care type, or give the parameter a value"),
        ),
        (
            "no income rows",
            Spec {
                income: false,
                ..Spec::base()
            },
            SroiFails("the model references data key `income_effect_annual` but it cannot be measured: no follow-up year has at least min_cell = 5 families with income at intake and in that year in each arm (programme and comparison families with both: year 1: 0 and 0, year 2: 0 and 0, year 3: 0 and 0, year 4: 0 and 0, year 5: 0 and 0); add income rows, or give the parameter a value instead of data = \"income_effect_annual\""),
        ),
        (
            "no care events at all",
            Spec {
                care_events: false,
                ..Spec::base()
            },
            SroiFails("the model references data key `cost_per_placement` but it cannot be measured: no placement of a cohort child after exit in care_events has a reference/care_costs entry for its country and care type (0 placements after exit, 0 with a cost entry; care_events absent, reference/care_costs present); add the care_events of placements and reference/care_costs rows for each country and care type, or give the parameter a value"),
        ),
        (
            "zero programme costs",
            Spec {
                cost: 0.0,
                ..Spec::base()
            },
            SroiFails("total inputs are 0: the SROI ratio needs positive programme costs (check services.cost and programme_costs)"),
        ),
        (
            "all costs in one currency without a rate for one year",
            Spec {
                currency: "ALL",
                rate_2019: false,
                ..Spec::base()
            },
            Invalid("error [no_exchange_rate] programme_costs column currency: 2 amounts in ALL dated 2019 have no exchange rate Fix: add ALL 2019 (units per EUR) to reference/exchange_rates"),
        ),
        (
            "every group below min_cell",
            Spec {
                programme: 4,
                comparison: 4,
                ..Spec::base()
            },
            SroiFails("the model references data key `income_effect_annual` but it cannot be measured: no follow-up year has at least min_cell = 5 families with income at intake and in that year in each arm (programme and comparison families with both: year 1: 4 and 4, year 2: 4 and 4, year 3: 4 and 4, year 4: 4 and 4, year 5: 4 and 4); add income rows, or give the parameter a value instead of data = \"income_effect_annual\""),
        ),
    ]
}

#[test]
fn degenerate_designs_end_in_a_result_or_a_reason() {
    let mut failures = Vec::new();
    for (name, spec, expect) in cases() {
        let (tmp, result) = run(&spec);
        let out = tmp.path().join("out");
        match (expect, result) {
            (Expect::Completes(check), Ok(lines)) => check(&out, &lines),
            (Expect::SroiFails(msg), Err(e)) if e == msg => {
                let f = pipeline::failed::read(&out).expect("failed.json");
                assert_eq!(f.stage, "running the SROI model", "{name}");
                for t in [
                    "followup_domains",
                    "survival_years",
                    "income_effect",
                    "cost_of_care",
                ] {
                    assert!(out.join(format!("tables/{t}.csv")).is_file(), "{name}: {t}");
                }
            }
            (Expect::SroiFailsAfter(msg, check), Err(e)) if e == msg => {
                let f = pipeline::failed::read(&out).expect("failed.json");
                assert_eq!(f.stage, "running the SROI model", "{name}");
                check(&out);
            }
            (Expect::Invalid(msg), Err(e)) if e.starts_with("the dataset cannot be analysed") => {
                let l = pipeline::validate(&tmp.path().join("data")).unwrap();
                let first = l.problems.detailed()[0].to_string();
                if first != msg {
                    failures.push(format!("{name}:\n  got:      {first}\n  expected: {msg}"));
                }
            }
            (Expect::Completes(_), Err(e)) => failures.push(format!("{name}: failed: {e}")),
            (_, Ok(_)) => failures.push(format!("{name}: completed, expected a failure")),
            (_, Err(e)) => failures.push(format!("{name}:\n  got:      {e}")),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
