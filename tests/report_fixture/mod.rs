//! A complete fake output folder for the report tests: what `kinsight run` writes, built
//! by hand (tables) and by the library where it exists (the SROI stage).
//!
//! Some suppressed cells carry *sentinel* numbers that a correct table would leave
//! empty (`SENTINELS`); the report must blank them anyway, so the tests can check that
//! none of them reaches a page or a chart.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;

use kinsight::ingest::{ProblemCount, Quality, TableQuality};
use kinsight::output::{Manifest, TableRows};
use kinsight::sroi::data::DataValues;
use kinsight::sroi::impact::Inputs;
use kinsight::sroi::model::load_model;
use kinsight::sroi::summary::run_sroi;

/// Texts that would only appear if a suppressed cell's number were printed.
pub const SENTINELS: [&str; 6] = ["4,321", "43.2", "55.6", "98,765", "0.4321", "98765"];

/// One column of a hand-made table.
pub enum Col {
    Text(Vec<String>),
    Int(Vec<i64>),
    /// Whole numbers with gaps (a count the engine declares as an integer column).
    OptInt(Vec<Option<i64>>),
    Num(Vec<Option<f64>>),
    Flag(Vec<bool>),
}

pub struct TableSpec {
    pub name: &'static str,
    pub columns: Vec<(&'static str, Col)>,
}

fn texts(v: &[&str]) -> Col {
    Col::Text(v.iter().map(|s| s.to_string()).collect())
}

/// Table format of the fake run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Parquet,
    Csv,
}

pub fn write_table(dir: &Path, t: &TableSpec, format: Format) {
    fs::create_dir_all(dir).unwrap();
    match format {
        Format::Parquet => {
            let mut fields = Vec::new();
            let mut arrays: Vec<ArrayRef> = Vec::new();
            for (name, col) in &t.columns {
                let (dt, a): (DataType, ArrayRef) = match col {
                    Col::Text(v) => (DataType::Utf8, Arc::new(StringArray::from(v.clone()))),
                    Col::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
                    Col::OptInt(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
                    Col::Num(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
                    Col::Flag(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v.clone()))),
                };
                fields.push(Field::new(*name, dt, true));
                arrays.push(a);
            }
            let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap();
            let f = File::create(dir.join(format!("{}.parquet", t.name))).unwrap();
            let mut w = ArrowWriter::try_new(f, batch.schema(), None).unwrap();
            w.write(&batch).unwrap();
            w.close().unwrap();
        }
        Format::Csv => {
            let rows = match &t.columns[0].1 {
                Col::Text(v) => v.len(),
                Col::Int(v) => v.len(),
                Col::OptInt(v) => v.len(),
                Col::Num(v) => v.len(),
                Col::Flag(v) => v.len(),
            };
            let mut text = t
                .columns
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(",");
            text.push('\n');
            for i in 0..rows {
                let cells: Vec<String> = t
                    .columns
                    .iter()
                    .map(|(_, c)| match c {
                        Col::Text(v) if v[i].contains(',') => format!("\"{}\"", v[i]),
                        Col::Text(v) => v[i].clone(),
                        Col::Int(v) => v[i].to_string(),
                        Col::OptInt(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
                        Col::Num(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
                        Col::Flag(v) => v[i].to_string(),
                    })
                    .collect();
                text.push_str(&cells.join(","));
                text.push('\n');
            }
            fs::write(dir.join(format!("{}.csv", t.name)), text).unwrap();
        }
    }
}

/// Row builder: pushes one value per named column.
#[derive(Default)]
struct Rows {
    cols: Vec<(&'static str, Col)>,
}

enum V {
    T(String),
    I(i64),
    N(Option<f64>),
    F(bool),
}

impl Rows {
    fn push(&mut self, values: Vec<(&'static str, V)>) {
        if self.cols.is_empty() {
            for (n, v) in &values {
                self.cols.push((
                    n,
                    match v {
                        V::T(_) => Col::Text(vec![]),
                        V::I(_) => Col::Int(vec![]),
                        V::N(_) => Col::Num(vec![]),
                        V::F(_) => Col::Flag(vec![]),
                    },
                ));
            }
        }
        for ((_, col), (_, v)) in self.cols.iter_mut().zip(values) {
            match (col, v) {
                (Col::Text(c), V::T(x)) => c.push(x),
                (Col::Int(c), V::I(x)) => c.push(x),
                (Col::Num(c), V::N(x)) => c.push(x),
                (Col::Flag(c), V::F(x)) => c.push(x),
                _ => panic!("column kinds differ between rows"),
            }
        }
    }
    /// The table, each count column in the type the engine's row declares (so the
    /// report reads it as the engine wrote it).
    fn spec(self, name: &'static str) -> TableSpec {
        let schema = engine_schema(name);
        let columns = self
            .cols
            .into_iter()
            .map(|(n, c)| {
                let whole = schema
                    .field_with_name(n)
                    .is_ok_and(|f| f.data_type() == &DataType::Int64);
                match c {
                    Col::Num(v) if whole => (
                        n,
                        Col::OptInt(v.iter().map(|x| x.map(|x| x.round() as i64)).collect()),
                    ),
                    c => (n, c),
                }
            })
            .collect();
        TableSpec { name, columns }
    }
}

/// The Arrow schema the engine writes table `name` with.
fn engine_schema(name: &str) -> Schema {
    use kinsight::costs::CostOfCareRow;
    use kinsight::outcomes::*;
    use kinsight::output::row_schema;
    match name {
        "followup_domains" => row_schema::<FollowupRow>(),
        "score_change" => row_schema::<ScoreChangeRow>(),
        "score_levels" => row_schema::<ScoreLevelRow>(),
        "survival_curve" => row_schema::<SurvivalCurveRow>(),
        "survival_years" => row_schema::<SurvivalYearRow>(),
        "survival_tests" => row_schema::<SurvivalTestRow>(),
        "income_effect" => row_schema::<IncomeEffectRow>(),
        "income_trajectory" => row_schema::<IncomeTrajectoryRow>(),
        "during_programme" => row_schema::<DuringProgrammeRow>(),
        "cost_of_care" => row_schema::<CostOfCareRow>(),
        "reintegration" => row_schema::<ReintegrationRow>(),
        "balance" => row_schema::<kinsight::adjust::balance::BalanceRow>(),
        "propensity_overlap" => row_schema::<kinsight::adjust::balance::OverlapRow>(),
        "adjusted_estimates" => row_schema::<kinsight::quantities::AdjustedEstimateRow>(),
        "sensitivity" => row_schema::<kinsight::adjust::sensitivity::EValueRow>(),
        _ => panic!("no engine table {name}"),
    }
    .unwrap()
}

fn t(s: &str) -> V {
    V::T(s.to_string())
}
fn n(x: f64) -> V {
    V::N(Some(x))
}
const NULL: V = V::N(None);

pub const DOMAINS: [&str; 3] = ["overall", "care", "food_security"];

/// Share doing well (weighted) of `domain` in `year`: a simple known pattern.
pub fn weighted_share(domain: usize, year: i64) -> f64 {
    0.62 + 0.05 * domain as f64 - 0.02 * year as f64
}

fn followup() -> TableSpec {
    let mut r = Rows::default();
    for group in ["all", "country=AL"] {
        for (d, domain) in DOMAINS.iter().enumerate() {
            for year in 1..=5i64 {
                let sentinel = group == "all" && *domain == "overall" && year == 5;
                let w = weighted_share(d, year);
                let u = w + 0.03;
                let due = 400.0 - 40.0 * year as f64;
                let obs = due * 0.8;
                if sentinel {
                    // Suppressed, but numbers left in the cells: the report must not print them.
                    r.push(vec![
                        ("group", t(group)),
                        ("domain", t(domain)),
                        ("year", V::I(year)),
                        ("due", n(4321.0)),
                        ("observed", n(4321.0)),
                        ("response_rate", n(0.4321)),
                        ("doing_well", n(4321.0)),
                        ("share", n(0.4321)),
                        ("ci_low", n(0.4321)),
                        ("ci_high", n(0.4321)),
                        ("share_weighted", n(0.4321)),
                        ("ci_low_weighted", n(0.4321)),
                        ("ci_high_weighted", n(0.4321)),
                        ("suppressed", V::F(true)),
                    ]);
                    continue;
                }
                r.push(vec![
                    ("group", t(group)),
                    ("domain", t(domain)),
                    ("year", V::I(year)),
                    ("due", n(due)),
                    ("observed", n(obs)),
                    ("response_rate", n(0.8)),
                    ("doing_well", n((obs * u).round())),
                    ("share", n(u)),
                    ("ci_low", n(u - 0.05)),
                    ("ci_high", n(u + 0.05)),
                    ("share_weighted", n(w)),
                    ("ci_low_weighted", n(w - 0.06)),
                    ("ci_high_weighted", n(w + 0.06)),
                    ("suppressed", V::F(false)),
                ]);
            }
        }
    }
    r.spec("followup_domains")
}

/// Survival of children in arm `arm` at `day`.
pub fn survival_at(arm: &str, k: usize) -> f64 {
    match arm {
        "arm=programme" => 1.0 - 0.01 * (k + 1) as f64,
        _ => 1.0 - 0.03 * (k + 1) as f64,
    }
}

fn survival_curve() -> TableSpec {
    let mut r = Rows::default();
    for group in ["all", "arm=programme", "arm=comparison"] {
        for level in ["child", "family"] {
            for (k, day) in [60i64, 300, 700, 1100, 1500, 1800].iter().enumerate() {
                let at_risk = if group == "arm=comparison" {
                    200.0 - 30.0 * k as f64
                } else {
                    600.0 - 60.0 * k as f64
                };
                // The comparison arm's last step rests on 8 children: the table should not
                // hold it, but if it does it must not be drawn (sentinel survival 0.5555).
                let (at_risk, s) = if group == "arm=comparison" && k == 5 {
                    (8.0, 0.5555)
                } else {
                    (at_risk, survival_at(group, k))
                };
                r.push(vec![
                    ("group", t(group)),
                    ("level", t(level)),
                    ("day", V::I(*day)),
                    ("at_risk", n(at_risk)),
                    ("events", n(2.0)),
                    ("censored", n(10.0)),
                    ("survival", n(s)),
                    ("ci_low", n(s - 0.02)),
                    ("ci_high", n((s + 0.01).min(1.0))),
                ]);
            }
        }
    }
    r.spec("survival_curve")
}

/// S(year) by arm in survival_years.
pub fn survival_year(group: &str, year: i64) -> f64 {
    match group {
        "arm=comparison" => 0.95 - 0.03 * year as f64,
        _ => 0.995 - 0.01 * year as f64,
    }
}

fn survival_years() -> TableSpec {
    let mut r = Rows::default();
    for group in ["all", "arm=programme", "arm=comparison"] {
        for level in ["child", "family"] {
            for year in 1..=5i64 {
                if group == "arm=comparison" && year == 5 {
                    r.push(vec![
                        ("group", t(group)),
                        ("level", t(level)),
                        ("year", V::I(year)),
                        ("survival", NULL),
                        ("ci_low", NULL),
                        ("ci_high", NULL),
                        ("at_risk", NULL),
                        ("suppressed", V::F(true)),
                    ]);
                    continue;
                }
                let s = survival_year(group, year);
                let at_risk = if group == "arm=comparison" {
                    200.0 - 30.0 * year as f64
                } else {
                    600.0 - 90.0 * year as f64
                };
                r.push(vec![
                    ("group", t(group)),
                    ("level", t(level)),
                    ("year", V::I(year)),
                    ("survival", n(s)),
                    ("ci_low", n(s - 0.02)),
                    ("ci_high", n(s + 0.004)),
                    ("at_risk", n(at_risk)),
                    ("suppressed", V::F(false)),
                ]);
            }
        }
    }
    r.spec("survival_years")
}

fn survival_tests() -> TableSpec {
    let mut r = Rows::default();
    for (level, chi, p) in [("child", 14.2, 0.000164), ("family", 9.8, 0.00174)] {
        r.push(vec![
            ("by", t("arm")),
            ("level", t(level)),
            (
                "role",
                t(if level == "family" {
                    "primary"
                } else {
                    "descriptive"
                }),
            ),
            ("chi_square", n(chi)),
            ("df", n(1.0)),
            ("p_value", n(p)),
        ]);
    }
    r.spec("survival_tests")
}

fn score_change() -> TableSpec {
    let mut r = Rows::default();
    for domain in DOMAINS {
        for year in 1..=5i64 {
            let fam = 300.0 - 40.0 * year as f64;
            r.push(vec![
                ("group", t("all")),
                ("domain", t(domain)),
                ("year", V::I(year)),
                ("n", n(fam)),
                ("mean_change", n(0.6 - 0.05 * year as f64)),
                ("ci_low", n(0.5 - 0.05 * year as f64)),
                ("ci_high", n(0.7 - 0.05 * year as f64)),
                // Counts, as the outcomes stage writes them: 55 %, 30 %, 15 % of n.
                ("improved", n(fam * 0.55)),
                ("same", n(fam * 0.3)),
                ("worse", n(fam * 0.15)),
                ("suppressed", V::F(false)),
            ]);
        }
    }
    r.spec("score_change")
}

/// Income effect in `year` (0 = exit).
pub fn income_effect_value(year: i64) -> f64 {
    300.0 + 50.0 * year as f64
}

fn income_effect() -> TableSpec {
    let mut r = Rows::default();
    for year in 0..=5i64 {
        let e = income_effect_value(year);
        r.push(vec![
            ("group", t("all")),
            ("year", V::I(year)),
            ("n_programme", n(300.0 - 30.0 * year as f64)),
            ("n_comparison", n(150.0 - 10.0 * year as f64)),
            ("mean_delta_programme", n(e + 200.0)),
            ("mean_delta_comparison", n(200.0)),
            ("effect", n(e)),
            ("ci_low", n(e - 150.0)),
            ("ci_high", n(e + 150.0)),
            ("method", t("did")),
            ("suppressed", V::F(false)),
        ]);
        // The propensity-weighted and doubly robust effects of years 1-5, lower.
        for (method, less) in [("ipw_did", 40.0), ("dr_did", 60.0)] {
            if year == 0 {
                continue;
            }
            r.push(vec![
                ("group", t("all")),
                ("year", V::I(year)),
                ("n_programme", n(300.0 - 30.0 * year as f64)),
                ("n_comparison", n(150.0 - 10.0 * year as f64)),
                ("mean_delta_programme", n(e + 200.0)),
                ("mean_delta_comparison", n(200.0 + less)),
                ("effect", n(e - less)),
                ("ci_low", n(e - less - 150.0)),
                ("ci_high", n(e - less + 150.0)),
                ("method", t(method)),
                ("suppressed", V::F(false)),
            ]);
        }
    }
    r.spec("income_effect")
}

fn score_levels() -> TableSpec {
    let mut r = Rows::default();
    for domain in ["care", "food_security", "shelter"] {
        for (k, stage) in [
            "intake", "exit", "year_1", "year_2", "year_3", "year_4", "year_5",
        ]
        .iter()
        .enumerate()
        {
            let suppressed = *stage == "year_5";
            let mean = 2.0 + 0.25 * (k.min(3)) as f64;
            r.push(vec![
                ("group", t("all")),
                ("domain", t(domain)),
                ("stage", t(stage)),
                ("n", if suppressed { NULL } else { n(300.0) }),
                ("mean_score", if suppressed { NULL } else { n(mean) }),
                ("suppressed", V::F(suppressed)),
            ]);
        }
    }
    r.spec("score_levels")
}

fn income_trajectory() -> TableSpec {
    let mut r = Rows::default();
    for arm in ["programme", "comparison"] {
        for year in -1..=5i64 {
            let base = if arm == "programme" { 2400.0 } else { 2500.0 };
            let slope = if arm == "programme" { 350.0 } else { 120.0 };
            let mean = base + slope * (year + 1) as f64;
            let sentinel = arm == "comparison" && year == 5;
            r.push(vec![
                ("group", t("all")),
                ("arm", t(arm)),
                ("year", V::I(year)),
                ("n", n(if sentinel { 98765.0 } else { 250.0 })),
                ("mean_income", n(if sentinel { 98765.0 } else { mean })),
                ("ci_low", n(mean - 200.0)),
                ("ci_high", n(mean + 200.0)),
                ("suppressed", V::F(sentinel)),
            ]);
        }
    }
    r.spec("income_trajectory")
}

fn during_programme() -> TableSpec {
    let mut r = Rows::default();
    r.push(vec![
        ("group", t("all")),
        ("measure", t("children_placed_during")),
        ("numerator", n(12.0)),
        ("denominator", n(1200.0)),
        ("share", n(0.01)),
        ("ci_low", n(0.0057)),
        ("ci_high", n(0.0174)),
        ("suppressed", V::F(false)),
    ]);
    r.push(vec![
        ("group", t("all")),
        ("measure", t("self_reliant_at_exit")),
        ("numerator", n(390.0)),
        ("denominator", n(600.0)),
        ("share", n(0.65)),
        ("ci_low", n(0.611)),
        ("ci_high", n(0.687)),
        ("suppressed", V::F(false)),
    ]);
    r.spec("during_programme")
}

/// Returns home and staying home: both arms; the comparison arm's year-5 cell is
/// suppressed but still carries a sentinel (0.4321).
fn reintegration() -> TableSpec {
    let mut r = Rows::default();
    let row = |arm: &str, measure: &str, level: &str, year: Option<u32>, figures: [f64; 6]| {
        let [size, events, at_risk, estimate, lo, hi] = figures;
        let suppressed = at_risk > 0.0 && at_risk < 10.0;
        vec![
            ("group", t("all")),
            ("arm", t(arm)),
            ("measure", t(measure)),
            ("level", t(level)),
            ("year", V::N(year.map(f64::from))),
            ("n", n(size)),
            ("events", n(events)),
            ("at_risk", if at_risk > 0.0 { n(at_risk) } else { NULL }),
            ("estimate", n(estimate)),
            ("ci_low", if lo > 0.0 { n(lo) } else { NULL }),
            ("ci_high", if hi > 0.0 { n(hi) } else { NULL }),
            ("chi_square", NULL),
            ("p_value", NULL),
            ("suppressed", V::F(suppressed)),
        ]
    };
    for (arm, size, back, share, stay) in [
        (
            "programme",
            120.0,
            108.0,
            0.9,
            [0.98, 0.96, 0.95, 0.94, 0.93],
        ),
        (
            "comparison",
            40.0,
            22.0,
            0.55,
            [0.88, 0.8, 0.75, 0.7, 0.4321],
        ),
    ] {
        r.push(row(
            arm,
            "returned_home",
            "child",
            None,
            [size, back, 0.0, share, share - 0.06, share + 0.05],
        ));
        r.push(row(
            arm,
            "days_to_return_median",
            "child",
            None,
            [size, back, 0.0, 300.0, 0.0, 0.0],
        ));
        for (k, s) in stay.iter().enumerate() {
            let at_risk = if k == 4 && arm == "comparison" {
                6.0
            } else {
                back - 10.0 * k as f64
            };
            r.push(row(
                arm,
                "still_home",
                "child",
                Some(k as u32 + 1),
                [back, 3.0, at_risk, *s, s - 0.05, (s + 0.02).min(1.0)],
            ));
        }
    }
    let mut test = row(
        "programme",
        "log_rank_vs_comparison",
        "family",
        None,
        [0.0; 6],
    );
    test[5].1 = NULL;
    test[6].1 = NULL;
    test[8].1 = NULL;
    test[11].1 = n(12.5);
    test[12].1 = n(0.0004);
    r.push(test);
    r.spec("reintegration")
}

fn cost_of_care() -> TableSpec {
    let mut r = Rows::default();
    // (country, families, cost per family-year, residential, foster, suppressed,
    // placements avoided, cost per placement; a blank avoided figure has a note).
    for (country, fam, per_fy, res, fos, supp, avoided, per_placement) in [
        (
            "AL",
            300.0,
            950.0,
            7200.0,
            2900.0,
            false,
            Some(24.0),
            Some(11_000.0),
        ),
        (
            "AM",
            250.0,
            1100.0,
            5400.0,
            3100.0,
            false,
            None,
            Some(9_000.0),
        ),
        (
            "MD",
            6.0,
            98765.0,
            6100.0,
            2500.0,
            true,
            Some(43.2),
            Some(98765.0),
        ),
    ] {
        let cost = fam * 1.5 * per_fy;
        let public = avoided.map(|a| a * per_placement.unwrap_or(0.0));
        let opt = |v: Option<f64>| V::N(v);
        r.push(vec![
            ("country", t(country)),
            ("families", n(fam)),
            ("family_years", n(fam * 1.5)),
            ("programme_cost", n(cost)),
            ("cost_per_family_year", n(per_fy)),
            ("cost_per_family", n(per_fy * 1.5)),
            ("residential_per_child_year", n(res)),
            ("foster_per_child_year", n(fos)),
            ("residential_to_support", n(res / per_fy)),
            ("currency", t("EUR")),
            ("price_year", V::I(2024)),
            ("suppressed", V::F(supp)),
            ("horizon_years", n(5.0)),
            ("children_programme", n(fam * 2.0)),
            ("placements_avoided", opt(avoided)),
            ("cost_per_placement", opt(per_placement)),
            ("public_cost_avoided", opt(public)),
            (
                "public_cost_avoided_per_family",
                opt(public.map(|p| p / fam)),
            ),
            ("cost_avoided_per_cost", opt(public.map(|p| p / cost))),
            (
                "avoided_note",
                t(if avoided.is_none() {
                    "no comparison arm in this country: no counterfactual placement rate"
                } else {
                    ""
                }),
            ),
        ]);
    }
    r.spec("cost_of_care")
}

/// Covariate balance: three levels and a number, the minority share withheld (its
/// sentinel must not be printed); risk level `high` still out of balance after weighting.
fn balance() -> TableSpec {
    let mut r = Rows::default();
    for (cov, level, kind, m, smd, suppressed) in [
        (
            "country",
            "AL",
            "share",
            [0.5, 0.3, 0.48],
            [0.41, 0.04],
            false,
        ),
        (
            "risk_level",
            "high",
            "share",
            [0.4, 0.2, 0.35],
            [0.44, 0.12],
            false,
        ),
        (
            "intake_income",
            "",
            "number",
            [3200.0, 4100.0, 3300.0],
            [-0.35, -0.05],
            false,
        ),
        (
            "minority",
            "",
            "share",
            [0.4321, 0.4321, 0.4321],
            [0.4321, 0.4321],
            true,
        ),
    ] {
        r.push(vec![
            ("covariate", t(cov)),
            // An empty text cell: this fixture writes no null strings (the engine
            // writes a null level, which the report reads alike).
            ("level", t(level)),
            ("kind", t(kind)),
            ("mean_programme", n(m[0])),
            ("mean_comparison", n(m[1])),
            ("mean_programme_weighted", n(m[0])),
            ("mean_comparison_weighted", n(m[2])),
            ("smd_before", n(smd[0])),
            ("smd_after", n(smd[1])),
            ("variance_ratio_before", NULL),
            ("variance_ratio_after", NULL),
            ("suppressed", V::F(suppressed)),
        ]);
    }
    r.spec("balance")
}

/// 20 bins per arm: 200 programme families in bins 8-19, 120 comparison families in
/// bins 0-11, the comparison's bin 11 withheld (with a sentinel share).
fn propensity_overlap() -> TableSpec {
    let mut r = Rows::default();
    for arm in ["programme", "comparison"] {
        for k in 0..20 {
            let (count, total) = match arm {
                "programme" if k >= 8 => (if k < 16 { 20.0 } else { 10.0 }, 200.0),
                "comparison" if k < 12 => (10.0, 120.0),
                _ => (0.0, 1.0),
            };
            let withheld = arm == "comparison" && k == 11;
            r.push(vec![
                ("arm", t(arm)),
                ("bin_low", n(k as f64 / 20.0)),
                ("bin_high", n((k + 1) as f64 / 20.0)),
                ("families", if withheld { NULL } else { n(count) }),
                ("share", n(if withheld { 0.4321 } else { count / total })),
                ("suppressed", V::F(withheld)),
            ]);
        }
    }
    r.spec("propensity_overlap")
}

fn adjusted_estimates() -> TableSpec {
    let mut r = Rows::default();
    let mut row = |estimand: &str, arm: &str, year: f64, method: &str, v: f64| {
        r.push(vec![
            ("estimand", t(estimand)),
            ("arm", t(arm)),
            ("year", n(year)),
            ("method", t(method)),
            ("estimate", n(v)),
            ("ci_low", n(v * 0.9)),
            ("ci_high", n(v * 1.1)),
        ]);
    };
    for y in 1..=5 {
        let s = survival_year("arm=comparison", y);
        row("survival", "comparison", y as f64, "unadjusted", s);
        row("survival", "comparison", y as f64, "att", s - 0.02);
    }
    row("doing_well", "comparison", 1.0, "unadjusted", 0.55);
    row("doing_well", "comparison", 1.0, "att", 0.5);
    row("placement_incidence", "programme", 5.0, "unadjusted", 0.05);
    row("placement_incidence", "programme", 5.0, "att", 0.05);
    row("placement_incidence", "comparison", 5.0, "unadjusted", 0.2);
    row("placement_incidence", "comparison", 5.0, "att", 0.22);
    row("avoided_placements", "contrast", 5.0, "unadjusted", 18.0);
    row("avoided_placements", "contrast", 5.0, "att", 20.0);
    r.spec("adjusted_estimates")
}

/// The E-values of [`e_values`].
fn sensitivity() -> TableSpec {
    let mut r = Rows::default();
    for e in e_values() {
        r.push(vec![
            ("estimand", t(&e.estimand)),
            ("estimate", n(e.estimate)),
            ("ci_low", n(e.ci_low)),
            ("ci_high", n(e.ci_high)),
            ("risk_ratio", n(e.risk_ratio)),
            ("rr_low", n(e.ci_low)),
            ("rr_high", n(e.ci_high)),
            ("e_value", n(e.e_value)),
            ("e_value_ci", n(e.e_value_ci)),
        ]);
    }
    r.spec("sensitivity")
}

/// Placement risk ratio 0.25 (0.15 to 0.4): E-value 4 + sqrt(4 x 3) = 7.46, of the
/// interval 2.5 + sqrt(2.5 x 1.5) = 4.44; the income effect +420 (E-value 1.5).
pub fn e_values() -> Vec<kinsight::sroi::summary::EValueSummary> {
    use kinsight::sroi::summary::EValueSummary;
    vec![
        EValueSummary {
            estimand: "placement_risk_ratio".into(),
            estimate: 0.25,
            ci_low: 0.15,
            ci_high: 0.4,
            risk_ratio: 0.25,
            e_value: 7.46,
            e_value_ci: 4.44,
        },
        EValueSummary {
            estimand: "income_effect_annual".into(),
            estimate: 420.0,
            ci_low: 120.0,
            ci_high: 720.0,
            risk_ratio: 1.2,
            e_value: 1.5,
            e_value_ci: 1.2,
        },
    ]
}

/// Every table of the fake run: the six of docs/outputs.md, the five optional ones and
/// the adjustment's four.
pub fn tables() -> Vec<TableSpec> {
    vec![
        followup(),
        survival_curve(),
        survival_years(),
        survival_tests(),
        score_change(),
        income_effect(),
        score_levels(),
        income_trajectory(),
        during_programme(),
        reintegration(),
        cost_of_care(),
        balance(),
        propensity_overlap(),
        adjusted_estimates(),
        sensitivity(),
    ]
}

fn model_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/model.toml")
}

/// Writes `out/sroi/*` with the library's SROI stage on the sample model (2000 draws).
fn write_sroi(out: &Path) {
    let mut m = load_model(&model_path()).unwrap();
    m.study.draws = 2000;
    let data = DataValues::new()
        .with("avoided_placements", 18.0)
        // The yearly series of the sample model's flows = "data" outcomes (sums and
        // means of the totals above).
        .with("avoided_placements_y1", 6.0)
        .with("avoided_placements_y2", 8.0)
        .with("avoided_placements_y3", 4.0)
        .with("income_effect_y1", 480.0)
        .with("income_effect_y2", 420.0)
        .with("income_effect_y3", 360.0)
        .with("cost_per_placement", 9_500.0)
        .with("families_programme", 240.0)
        .with("children_programme", 610.0)
        .with("income_effect_annual", 420.0)
        .with("families_doing_well_y1", 170.0)
        .with("families_doing_well_y2", 160.0)
        .with("families_doing_well_y3", 150.0)
        .with("families_doing_well_y4", 140.0)
        .with("families_doing_well_y5", 130.0)
        .with("comparison_doing_well_y1", 0.55);
    let reps: Vec<DataValues> = (0..40)
        .map(|k| {
            let f = 0.85 + 0.3 * k as f64 / 39.0;
            data.iter()
                .map(|(key, v)| (key.to_string(), v * f))
                .collect()
        })
        .collect();
    let mut r = run_sroi(&m, &data, &reps, &Inputs::total(200_000.0)).unwrap();
    // A comparison arm left as it is in the headline, with the doubly robust ratio
    // beside it and one warning.
    r.summary.adjustment = Some(kinsight::sroi::summary::AdjustmentSummary {
        method: "none".into(),
        ratio_unadjusted: r.summary.ratio,
        ratio_unadjusted_p2_5: r.summary.monte_carlo.ratio_p2_5,
        ratio_unadjusted_p97_5: r.summary.monte_carlo.ratio_p97_5,
        adjusted_method: "dr".into(),
        ratio_adjusted: r.summary.ratio * 0.9,
        ratio_adjusted_p2_5: r.summary.monte_carlo.ratio_p2_5 * 0.9,
        ratio_adjusted_p97_5: r.summary.monte_carlo.ratio_p97_5 * 0.9,
        ratio_without_data_effects: 0.6,
        tipping_share: Some((r.summary.ratio - 1.0) / (r.summary.ratio - 0.6)),
        weights: "att".into(),
        trim: None,
        covariates: vec!["country".into(), "risk_level".into(), "intake_income".into()],
        dropped: vec!["disability: one value in the comparison arm".into()],
        ess_comparison_before: 120.0,
        ess_comparison_after: 84.0,
        max_abs_smd_before: Some(0.44),
        max_abs_smd_after: Some(0.12),
        programme_outside_comparison_range: 20,
        e_values: e_values(),
        warnings: vec!["covariate balance is not achieved: after weighting the largest standardised mean difference is 0.12 (above 0.1); see tables/balance".into()],
    });
    let dir = out.join("sroi");
    fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in r.files(&m).unwrap() {
        fs::write(dir.join(name), bytes).unwrap();
    }
}

fn write_manifest_and_quality(out: &Path) {
    let mut tables = BTreeMap::new();
    let mut q = Quality {
        dataset: "Fixture <programme> & partners".into(),
        usable: true,
        ..Default::default()
    };
    for (name, read, kept) in [
        ("families", 1210u64, 1200u64),
        ("children", 3005, 3000),
        ("assessments", 9000, 8990),
    ] {
        let mut tq = TableQuality {
            present: true,
            files: 1,
            rows_read: read,
            rows_kept: kept,
            ..Default::default()
        };
        tq.set_aside("null_required", read - kept);
        q.tables.insert(name.to_string(), tq);
        tables.insert(
            name.to_string(),
            TableRows {
                read,
                kept,
                set_aside: read - kept,
            },
        );
    }
    q.tables.insert("income".into(), TableQuality::default());
    q.problems.push(ProblemCount {
        table: "families".into(),
        rule: "null_required".into(),
        severity: "row".into(),
        count: 10,
    });
    let manifest = Manifest {
        engine: "kinsight".into(),
        engine_version: "0.1.0".into(),
        generated_at: "2026-12-04T12:00:00Z".into(),
        command: "run".into(),
        dataset: q.dataset.clone(),
        data_cutoff: Some("2025-12-31".into()),
        reporting_currency: Some("EUR".into()),
        price_year: Some(2024),
        model: Some(fs::read_to_string(model_path()).unwrap()),
        model_path: Some("data/sample/model.toml".into()),
        seed: Some(20240501),
        // Not the defaults, so the report's method section shows what was used.
        outcome_settings: Some(
            kinsight::outcomes::OutcomeOptions::new()
                .with_well_threshold(4)
                .with_overall_min_domains(7)
                .check()
                .unwrap(),
        ),
        tables,
        inputs: vec![kinsight::output::InputFileEntry {
            table: "families".into(),
            path: "data/sample/families.parquet".into(),
            sha256: "ab".repeat(32),
        }],
        outputs: vec![],
    };
    fs::write(
        out.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    fs::write(
        out.join("quality.json"),
        serde_json::to_string_pretty(&q).unwrap(),
    )
    .unwrap();
}

/// Writes a complete fake output folder into `out`.
pub fn write_out(out: &Path, format: Format) {
    fs::create_dir_all(out).unwrap();
    write_manifest_and_quality(out);
    write_sroi(out);
    for t in tables() {
        write_table(&out.join("tables"), &t, format);
    }
}
