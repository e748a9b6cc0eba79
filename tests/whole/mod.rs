//! The whole pipeline on a small dataset built from arbitrary bytes (issue 22, item 5).
//!
//! Shared by the fuzz target `fuzz/fuzz_targets/whole_pipeline.rs` (through `#[path]`)
//! and the property test `tests/pipeline_properties.rs`, so both run the same body. The
//! bytes choose a dataset that validation accepts, with values anywhere it allows and
//! the extremes on purpose: amounts from 0 to 1e308 (the plausibility bound sets the
//! largest aside), rates and indices from 1e-300 to 1e300, 1 to 12 families in one or two
//! countries and either or both arms, zero-length episodes, exits and follow-ups on the
//! cut-off, an early cut-off (no follow-up due), no income, no care events. Then
//! `kinsight outcomes` and `kinsight sroi` (a few draws) run on it.
//!
//! The run must end in one of two ways: it completes, and every number written is finite
//! (tables hold NaN only as an empty cell); or it stops with an error that is a reason
//! (invalid data, a data key the dataset cannot measure, no cohort). A panic, a
//! non-finite number in any output, or an error refusing one is a failure: it panics
//! here, with the dataset left in place for a regression test.
//!
//! Only `kinsight`, `arrow`, `parquet` and `std` are used (the fuzz crate's dependencies).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow::datatypes::{Field, Schema};
use parquet::arrow::ArrowWriter;

use kinsight::pipeline::{self, Job};

/// Reads choices from the bytes; past the end every choice is 0.
pub struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, at: 0 }
    }
    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    /// 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.byte() as usize % n
    }
    pub fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())]
    }
    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }
    /// An amount anywhere validation accepts: usually typical, sometimes 0, tiny, near
    /// the plausibility bound, beyond it, or the largest finite numbers.
    pub fn amount(&mut self) -> f64 {
        let b = self.byte();
        match b % 16 {
            0 => 0.0,
            1 => 1e-300,
            2 => 5e-324,
            3 => 9.9e11 / 12.0,
            4 => 1e12,
            5 => 1e15,
            6 => 1e308,
            7 => f64::MAX,
            _ => 10.0 + f64::from(b) * 37.0 + f64::from(self.byte()) * 11.0,
        }
    }
    /// A rate or index: usually typical, sometimes at or beyond the plausible range.
    pub fn rate(&mut self) -> f64 {
        // Rarely: one rate or index out of range makes its year's amounts unconvertible
        // (fatal), and the case would only test validation.
        match self.byte() % 64 {
            0 => 1e-300,
            1 => 1e300,
            2 => 1e-6,
            3 => 1e9,
            4 => f64::MIN_POSITIVE,
            _ => 50.0 + f64::from(self.byte()),
        }
    }
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
fn dopt(v: Vec<Option<i32>>) -> ArrayRef {
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

fn write(path: &Path, cols: Vec<(&str, ArrayRef)>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let schema = Arc::new(Schema::new(
        cols.iter()
            .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(schema.clone(), cols.into_iter().map(|c| c.1).collect())
        .expect("columns of equal length");
    let mut w = ArrowWriter::try_new(fs::File::create(path).unwrap(), schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

fn day(y: i32, m: u32, dd: u32) -> i32 {
    kinsight::dates::parse(&format!("{y:04}-{m:02}-{dd:02}")).unwrap()
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

/// Write a dataset chosen by `bytes` into `dir` (with a `model.toml`).
pub fn build(bytes: &[u8], dir: &Path) {
    let mut u = Bytes::new(bytes);
    let cutoff = match u.below(4) {
        0 => day(2019, 6, 30),
        _ => day(2025, 12, 31),
    };
    let countries: &[&str] = if u.flag() { &["AL", "AM"] } else { &["AL"] };
    let arms = match u.below(4) {
        0 => vec!["programme"],
        1 => vec!["comparison"],
        _ => vec!["programme", "comparison"],
    };
    let n = 1 + u.below(12);
    let foreign = u.flag();
    let currency = |c: &str| if foreign && c == "AL" { "ALL" } else { "EUR" };

    let mut fam = (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut ch = (vec![], vec![], vec![], vec![]);
    let mut ep = (vec![], vec![], vec![], vec![]);
    let mut asm = (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut inc = (vec![], vec![], vec![], vec![], vec![]);
    let mut srv = (vec![], vec![], vec![], vec![], vec![]);
    let mut care = (vec![], vec![], vec![], vec![]);
    let with_income = u.below(4) != 0;
    let with_care = u.below(4) != 0;
    for k in 0..n {
        let id = format!("F{k}");
        let country = countries[k % countries.len()];
        let arm = arms[k % arms.len()];
        fam.0.push(id.clone());
        fam.1.push(format!("{country}-P"));
        fam.2.push(country.to_string());
        fam.3.push(arm.to_string());
        fam.4
            .push(u.pick(&["low", "medium", "high", "acute"]).to_string());
        fam.5.push(u.below(3) as i64);
        // Intake between 2016 and the cut-off; exit 0..~4 years later, at most the cut-off.
        let intake = (day(2016, 1, 1) + u.below(256) as i32 * 14).min(cutoff);
        let exit = match u.below(8) {
            0 => None,
            1 => Some(intake),
            2 => Some(cutoff),
            _ => Some((intake + u.below(256) as i32 * 6).min(cutoff)),
        };
        ep.0.push(format!("E{k}"));
        ep.1.push(id.clone());
        ep.2.push(intake);
        ep.3.push(exit);
        // Intake sitting, then follow-up sittings around the anniversaries of exit.
        let mut sittings = vec![(intake, "intake")];
        if let Some(x) = exit {
            for y in 1..=5 {
                let t = x + y * 365 + u.below(60) as i32 - 30;
                if t <= cutoff && u.below(3) != 0 {
                    sittings.push((t.max(x), "follow_up"));
                }
            }
        }
        for (t, phase) in sittings {
            for dom in DOMAINS.iter().take(1 + u.below(8)) {
                asm.0.push(format!("A{k}-{t}"));
                asm.1.push(id.clone());
                asm.2.push(t);
                asm.3.push(phase.to_string());
                asm.4.push(dom.to_string());
                asm.5.push(1 + u.below(4) as i64);
            }
            if with_income && u.flag() {
                inc.0.push(id.clone());
                inc.1.push(t);
                inc.2.push(phase.to_string());
                inc.3.push(u.amount());
                inc.4.push(currency(country).to_string());
            }
        }
        if arm == "programme" {
            for s_no in 0..u.below(3) {
                srv.0.push(format!("S{k}-{s_no}"));
                srv.1.push(format!("E{k}"));
                srv.2.push(intake);
                srv.3.push(u.amount());
                srv.4.push(currency(country).to_string());
            }
        }
        for c in 0..u.below(3) {
            let cid = format!("C{k}-{c}");
            ch.0.push(cid.clone());
            ch.1.push(id.clone());
            ch.2.push(day(2012, 1, 1));
            ch.3.push(false);
            if let (true, Some(x), 0) = (with_care, exit, u.below(3)) {
                let placed = (x + u.below(256) as i32 * 5).min(cutoff);
                care.0.push(cid.clone());
                care.1.push(placed);
                care.2.push("placement".to_string());
                care.3
                    .push(Some(u.pick(&["residential", "foster"]).to_string()));
                let back = placed + u.below(256) as i32 * 3;
                if back <= cutoff && u.flag() {
                    care.0.push(cid);
                    care.1.push(back);
                    care.2.push("return_home".to_string());
                    care.3.push(None);
                }
            }
        }
    }
    let rows = fam.0.len();
    write(
        &dir.join("families.parquet"),
        vec![
            ("family_id", s(fam.0)),
            ("programme_id", s(fam.1)),
            ("country", s(fam.2)),
            ("arm", s(fam.3)),
            ("household_type", s(vec!["two_parent".into(); rows])),
            ("children_count", i(fam.5)),
            ("risk_level", s(fam.4)),
            ("referral_source", s(vec!["school".into(); rows])),
        ],
    );
    let kids = ch.0.len();
    write(
        &dir.join("children.parquet"),
        vec![
            ("child_id", s(ch.0)),
            ("family_id", s(ch.1)),
            ("birth_date", d(ch.2)),
            ("sex", s(vec!["female".into(); kids])),
            ("in_care_at_intake", b(ch.3)),
        ],
    );
    let eps = ep.0.len();
    write(
        &dir.join("episodes.parquet"),
        vec![
            ("episode_id", s(ep.0)),
            ("family_id", s(ep.1)),
            ("service_model", s(vec!["holistic".into(); eps])),
            ("prevention_level", s(vec!["secondary".into(); eps])),
            ("intake_date", d(ep.2)),
            ("exit_date", dopt(ep.3)),
        ],
    );
    write(
        &dir.join("assessments.parquet"),
        vec![
            ("assessment_id", s(asm.0)),
            ("family_id", s(asm.1)),
            ("assessment_date", d(asm.2)),
            ("phase", s(asm.3)),
            ("domain", s(asm.4)),
            ("score", i(asm.5)),
        ],
    );
    if with_income {
        write(
            &dir.join("income.parquet"),
            vec![
                ("family_id", s(inc.0)),
                ("observed_date", d(inc.1)),
                ("phase", s(inc.2)),
                ("monthly_income", f(inc.3)),
                ("currency", s(inc.4)),
            ],
        );
    }
    let services = srv.0.len();
    write(
        &dir.join("services.parquet"),
        vec![
            ("service_id", s(srv.0)),
            ("episode_id", s(srv.1)),
            ("service_type", s(vec!["home_visit".into(); services])),
            ("start_date", d(srv.2)),
            ("units", f(vec![1.0; services])),
            ("cost", f(srv.3)),
            ("currency", s(srv.4)),
        ],
    );
    let mut pc = (vec![], vec![], vec![], vec![]);
    for c in countries {
        for _ in 0..u.below(3) {
            pc.0.push(format!("{c}-P"));
            pc.1.push(day(2016 + u.below(3) as i32, 1, 1).min(cutoff));
            pc.2.push(u.amount());
            pc.3.push(currency(c).to_string());
        }
    }
    let costs = pc.0.len();
    write(
        &dir.join("programme_costs.parquet"),
        vec![
            ("programme_id", s(pc.0.clone())),
            ("period_start", d(pc.1.clone())),
            ("period_end", d(pc.1)),
            ("category", s(vec!["staff".into(); costs])),
            ("amount", f(pc.2)),
            ("currency", s(pc.3)),
            ("in_kind", b(vec![false; costs])),
        ],
    );
    if with_care {
        write(
            &dir.join("care_events.parquet"),
            vec![
                ("child_id", s(care.0)),
                ("event_date", d(care.1)),
                ("event", s(care.2)),
                ("care_type", so(care.3)),
            ],
        );
    }
    // Reference tables: every year an amount can be dated in, and the price year.
    let years: Vec<i64> = (2015..=2026).collect();
    let mut cc = (vec![], vec![], vec![]);
    for c in countries {
        for t in ["residential", "foster"] {
            cc.0.push(c.to_string());
            cc.1.push(t.to_string());
            cc.2.push(u.amount());
        }
    }
    let ccn = cc.0.len();
    write(
        &dir.join("reference/care_costs.parquet"),
        vec![
            ("country", s(cc.0)),
            ("care_type", s(cc.1)),
            ("year", i(vec![2024; ccn])),
            ("cost_per_child_year", f(cc.2)),
            ("currency", s(vec!["EUR".into(); ccn])),
        ],
    );
    let rates: Vec<f64> = years.iter().map(|_| u.rate()).collect();
    write(
        &dir.join("reference/exchange_rates.parquet"),
        vec![
            ("currency", s(vec!["ALL".into(); years.len()])),
            ("year", i(years.clone())),
            ("per_reporting_unit", f(rates)),
        ],
    );
    let mut pi = (vec![], vec![], vec![]);
    for c in countries {
        for y in &years {
            pi.0.push(c.to_string());
            pi.1.push(*y);
            pi.2.push(u.rate());
        }
    }
    write(
        &dir.join("reference/price_index.parquet"),
        vec![("country", s(pi.0)), ("year", i(pi.1)), ("index", f(pi.2))],
    );
    let cut = kinsight::dates::format(cutoff);
    fs::write(
        dir.join("dataset.toml"),
        format!("name = \"whole\"\ndata_cutoff = {cut}\nreporting_currency = \"EUR\"\nprice_year = 2024\n"),
    )
    .unwrap();
    fs::write(dir.join("model.toml"), model(u.flag())).unwrap();
}

/// The sample model with a few draws, `min_cell = 5`, and optionally a baseline
/// placement rate (for a dataset without a comparison arm).
pub fn model(baseline: bool) -> String {
    let text = include_str!("../../data/sample/model.toml")
        .replace("draws = 10000", "draws = 16")
        .replace("bootstrap_reps = 2000", "bootstrap_reps = 8")
        .replace("min_cell = 10 ", "min_cell = 5 ");
    if baseline {
        text.replacen(
            "[study]\n",
            "[study]\nbaseline_placement_rate = { low = [0.01, 0.02, 0.03, 0.04, 0.05], medium = [0.02, 0.04, 0.06, 0.08, 0.1], high = [0.05, 0.1, 0.15, 0.2, 0.25], acute = [0.1, 0.2, 0.3, 0.4, 0.5] }\n",
            1,
        )
    } else {
        text
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    /// Both commands completed with only finite numbers written.
    Completed,
    /// A command stopped with this reason (invalid data, a data key it cannot measure).
    Reason(String),
}

/// Whether `e` is a reason the user can act on, not a failure of kinsight.
fn is_reason(e: &kinsight::Error) -> bool {
    let msg = e.to_string();
    let non_finite = msg.contains("NaN (not a number)") || msg.contains("infinity:");
    !non_finite && (e.is_invalid_input() || e.is_usage())
}

/// Every number in the CSV tables and JSON files under `out` is finite.
fn assert_finite_outputs(out: &Path) {
    let mut files = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    for p in files {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "csv" {
            let text = fs::read_to_string(&p).unwrap();
            for (r, line) in text.lines().enumerate() {
                for cell in line.split(',') {
                    let c = cell.trim_matches('"').to_ascii_lowercase();
                    assert!(
                        !matches!(
                            c.as_str(),
                            "nan" | "inf" | "-inf" | "infinity" | "-infinity"
                        ),
                        "{}: line {} holds {cell}",
                        p.display(),
                        r + 1
                    );
                }
            }
        }
        // JSON files are checked by their writers (kinsight::finite), which refuse a
        // non-finite number with an error this body treats as a failure.
    }
}

/// Run `kinsight outcomes` and `kinsight sroi` on the dataset in `dir` (built by
/// [`build`]); panics on a failure (see the module documentation).
pub fn run(dir: &Path) -> Vec<Ended> {
    let mut ended = Vec::new();
    for command in ["outcomes", "sroi"] {
        let out: PathBuf = dir.join(format!("out-{command}"));
        let mut job = Job::new(dir.join("data"), &out);
        job.model = Some(dir.join("data/model.toml"));
        job.force = true;
        let result = match command {
            "outcomes" => pipeline::outcomes_only(&job, &|_| {}),
            _ => pipeline::sroi_only(&job, &|_| {}),
        };
        match result {
            Ok(_) => {
                assert_finite_outputs(&out);
                ended.push(Ended::Completed);
            }
            Err(e) if is_reason(&e) => ended.push(Ended::Reason(e.to_string())),
            Err(e) => panic!("kinsight {command} failed on {}: {e}", dir.display()),
        }
    }
    ended
}

/// Build the dataset of `bytes` under `dir/data` and run it.
pub fn case(bytes: &[u8], dir: &Path) -> Vec<Ended> {
    let _ = fs::remove_dir_all(dir);
    build(bytes, &dir.join("data"));
    run(dir)
}
