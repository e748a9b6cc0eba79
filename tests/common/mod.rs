//! A tiny valid dataset built in code, to be broken one rule at a time by the tests.
#![allow(dead_code)]

pub mod cli;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use parquet::arrow::ArrowWriter;

pub fn s(v: &[&str]) -> ArrayRef {
    Arc::new(StringArray::from(v.to_vec()))
}
pub fn so(v: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(v.to_vec()))
}
pub fn d(v: &[&str]) -> ArrayRef {
    Arc::new(Date32Array::from(
        v.iter()
            .map(|t| kinsight::dates::parse(t).unwrap())
            .collect::<Vec<_>>(),
    ))
}
pub fn dopt(v: &[Option<&str>]) -> ArrayRef {
    Arc::new(Date32Array::from(
        v.iter()
            .map(|t| t.map(|t| kinsight::dates::parse(t).unwrap()))
            .collect::<Vec<_>>(),
    ))
}
pub fn dd(v: &[i32]) -> ArrayRef {
    Arc::new(Date32Array::from(v.to_vec()))
}
pub fn f(v: &[f64]) -> ArrayRef {
    Arc::new(Float64Array::from(v.to_vec()))
}
pub fn i(v: &[i64]) -> ArrayRef {
    Arc::new(Int64Array::from(v.to_vec()))
}
pub fn b(v: &[bool]) -> ArrayRef {
    Arc::new(BooleanArray::from(v.to_vec()))
}
pub fn bo(v: &[Option<bool>]) -> ArrayRef {
    Arc::new(BooleanArray::from(v.to_vec()))
}

/// Tables as ordered column lists, mutable before writing.
#[derive(Clone)]
pub struct Fixture {
    pub tables: BTreeMap<String, Vec<(String, ArrayRef)>>,
    pub toml: String,
}

fn cols(v: Vec<(&str, ArrayRef)>) -> Vec<(String, ArrayRef)> {
    v.into_iter().map(|(n, a)| (n.to_string(), a)).collect()
}

impl Fixture {
    /// Two families in Albania (one per arm), a child each, one follow-up.
    pub fn valid() -> Self {
        let mut t = BTreeMap::new();
        t.insert(
            "families".into(),
            cols(vec![
                ("family_id", s(&["F1", "F2"])),
                ("programme_id", s(&["AL-TIR-FSP", "AL-TIR-FSP"])),
                ("country", s(&["AL", "AL"])),
                ("arm", s(&["programme", "comparison"])),
                ("household_type", s(&["single_parent", "two_parent"])),
                ("children_count", i(&[1, 1])),
                ("risk_level", s(&["high", "medium"])),
                ("referral_source", s(&["school", "authority"])),
                ("minority", bo(&[Some(true), None])),
                ("disability", bo(&[Some(false), Some(false)])),
            ]),
        );
        t.insert(
            "children".into(),
            cols(vec![
                ("child_id", s(&["C1", "C2"])),
                ("family_id", s(&["F1", "F2"])),
                ("birth_date", d(&["2012-04-01", "2015-09-30"])),
                ("sex", s(&["female", "male"])),
                ("disability", bo(&[None, Some(false)])),
                ("in_care_at_intake", b(&[false, false])),
            ]),
        );
        t.insert(
            "episodes".into(),
            cols(vec![
                ("episode_id", s(&["E1", "E2"])),
                ("family_id", s(&["F1", "F2"])),
                ("service_model", s(&["holistic", "holistic"])),
                ("prevention_level", s(&["secondary", "secondary"])),
                ("intake_date", d(&["2019-01-10", "2019-02-01"])),
                ("exit_date", dopt(&[Some("2020-06-30"), Some("2020-07-01")])),
                ("exit_reason", so(&[Some("goals_achieved"), None])),
                ("self_reliant_at_exit", bo(&[Some(true), None])),
            ]),
        );
        t.insert(
            "services".into(),
            cols(vec![
                ("service_id", s(&["S1", "S2"])),
                ("episode_id", s(&["E1", "E1"])),
                ("service_type", s(&["case_management", "home_visit"])),
                ("start_date", d(&["2019-01-10", "2019-03-01"])),
                ("end_date", dopt(&[Some("2020-06-30"), None])),
                ("units", f(&[20.0, 1.0])),
                ("cost", f(&[25_000.0, 1_250.0])),
                ("currency", s(&["ALL", "ALL"])),
            ]),
        );
        t.insert(
            "programme_costs".into(),
            cols(vec![
                ("programme_id", s(&["AL-TIR-FSP", "AL-TIR-FSP"])),
                ("period_start", d(&["2019-01-01", "2019-01-01"])),
                ("period_end", d(&["2019-12-31", "2019-12-31"])),
                ("category", s(&["staff", "volunteer_time"])),
                ("amount", f(&[12_500.0, 2_500.0])),
                ("currency", s(&["ALL", "ALL"])),
                ("in_kind", b(&[false, true])),
            ]),
        );
        t.insert(
            "assessments".into(),
            cols(vec![
                ("assessment_id", s(&["A1", "A2", "A3", "A4"])),
                ("family_id", s(&["F1", "F1", "F1", "F2"])),
                (
                    "assessment_date",
                    d(&["2019-01-10", "2020-06-30", "2021-07-01", "2019-02-01"]),
                ),
                ("phase", s(&["intake", "exit", "follow_up", "intake"])),
                ("domain", s(&["care", "care", "care", "care"])),
                ("score", i(&[2, 3, 3, 2])),
            ]),
        );
        t.insert(
            "followup_contacts".into(),
            cols(vec![
                ("family_id", s(&["F1", "F2"])),
                ("contact_date", d(&["2021-07-01", "2021-07-01"])),
                ("result", s(&["assessed", "not_reached"])),
            ]),
        );
        t.insert(
            "care_events".into(),
            cols(vec![
                ("child_id", s(&["C2", "C2"])),
                ("event_date", d(&["2021-03-01", "2022-03-01"])),
                ("event", s(&["placement", "return_home"])),
                ("care_type", so(&[Some("residential"), None])),
            ]),
        );
        t.insert(
            "income".into(),
            cols(vec![
                ("family_id", s(&["F1", "F1"])),
                ("observed_date", d(&["2019-01-10", "2020-06-30"])),
                ("phase", s(&["intake", "exit"])),
                ("monthly_income", f(&[25_000.0, 37_500.0])),
                ("currency", s(&["ALL", "ALL"])),
            ]),
        );
        t.insert(
            "reference/care_costs".into(),
            cols(vec![
                ("country", s(&["AL", "AL"])),
                ("care_type", s(&["residential", "foster"])),
                ("year", i(&[2024, 2024])),
                ("cost_per_child_year", f(&[6000.0, 1500.0])),
                ("currency", s(&["EUR", "EUR"])),
            ]),
        );
        t.insert(
            "reference/exchange_rates".into(),
            cols(vec![
                ("currency", s(&["ALL", "ALL", "ALL"])),
                ("year", i(&[2019, 2020, 2024])),
                ("per_reporting_unit", f(&[125.0, 125.0, 100.0])),
            ]),
        );
        t.insert(
            "reference/price_index".into(),
            cols(vec![
                ("country", s(&["AL", "AL", "AL", "AL", "AL", "AL"])),
                ("year", i(&[2019, 2020, 2021, 2022, 2023, 2024])),
                ("index", f(&[100.0, 101.0, 103.0, 110.0, 115.0, 120.0])),
            ]),
        );
        Fixture {
            tables: t,
            toml: "name = \"Fixture\"\ndata_cutoff = 2025-12-31\nreporting_currency = \"EUR\"\nprice_year = 2024\n".into(),
        }
    }

    /// Replace (or add) a column.
    pub fn set(mut self, table: &str, column: &str, a: ArrayRef) -> Self {
        let t = self
            .tables
            .get_mut(table)
            .unwrap_or_else(|| panic!("no table {table}"));
        match t.iter_mut().find(|(n, _)| n == column) {
            Some(c) => c.1 = a,
            None => t.push((column.to_string(), a)),
        }
        self
    }

    pub fn drop_column(mut self, table: &str, column: &str) -> Self {
        self.tables
            .get_mut(table)
            .unwrap()
            .retain(|(n, _)| n != column);
        self
    }

    pub fn drop_table(mut self, table: &str) -> Self {
        self.tables.remove(table);
        self
    }

    /// Write every table as `<name>.parquet` and `dataset.toml`.
    pub fn write(&self, dir: &Path) {
        fs::create_dir_all(dir.join("reference")).unwrap();
        fs::write(dir.join("dataset.toml"), &self.toml).unwrap();
        for (name, columns) in &self.tables {
            write_parquet(&dir.join(format!("{name}.parquet")), columns);
        }
    }
}

pub fn write_parquet(path: &Path, columns: &[(String, ArrayRef)]) {
    let batch =
        RecordBatch::try_from_iter(columns.iter().map(|(n, a)| (n.as_str(), a.clone()))).unwrap();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}
