//! The order of rows in the input files does not change any result.
//!
//! The read stage takes fast paths when files come the way exports usually do (parent
//! ids strictly ascending, child rows grouped by parent: a sorted index and a guess of
//! the next parent before any lookup) and falls back to a hash index otherwise. This
//! test shuffles every case table of a generated dataset and writes it in many small
//! row groups, so every fallback runs, and requires the same outcome tables, byte for
//! byte, and the same row accounting as on the files as generated.

use std::fs;
use std::path::Path;

use arrow::array::{Array, AsArray, RecordBatch, RecordBatchReader, UInt32Array};
use arrow::compute::{concat_batches, take_record_batch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;

mod common;
use common::cli::{ok, p};

const TABLES: [&str; 9] = [
    "families",
    "children",
    "episodes",
    "services",
    "assessments",
    "followup_contacts",
    "care_events",
    "income",
    "programme_costs",
];

/// Outcome tables compared byte for byte (`cost_of_care` sums money in row order, so it
/// is compared to a relative 1e-9 below).
const OUTCOME_TABLES: [&str; 10] = [
    "followup_domains",
    "score_change",
    "score_levels",
    "survival_curve",
    "survival_years",
    "survival_tests",
    "income_effect",
    "income_trajectory",
    "during_programme",
    "reintegration",
];

fn read_all(path: &Path) -> RecordBatch {
    let f = fs::File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(f)
        .unwrap()
        .build()
        .unwrap();
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
    concat_batches(&schema, &batches).unwrap()
}

/// A fixed permutation of `0..n` that keeps no run of neighbours together.
fn permutation(n: usize) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..n as u32).collect();
    idx.sort_by_key(|&i| (u64::from(i) ^ 0x5bd1_e995).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    idx
}

/// Copy `data` to `out` with every case table's rows shuffled, in row groups of 97 rows.
fn shuffled_copy(data: &Path, out: &Path) {
    fs::create_dir_all(out.join("reference")).unwrap();
    fs::copy(data.join("dataset.toml"), out.join("dataset.toml")).unwrap();
    for e in fs::read_dir(data.join("reference")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), out.join("reference").join(e.file_name())).unwrap();
    }
    for table in TABLES {
        let name = format!("{table}.parquet");
        let batch = read_all(&data.join(&name));
        let order = UInt32Array::from(permutation(batch.num_rows()));
        let shuffled = take_record_batch(&batch, &order).unwrap();
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(97))
            .build();
        let file = fs::File::create(out.join(&name)).unwrap();
        let mut w = ArrowWriter::try_new(file, shuffled.schema(), Some(props)).unwrap();
        w.write(&shuffled).unwrap();
        w.close().unwrap();
    }
}

#[test]
fn shuffled_rows_in_small_row_groups_give_the_same_results() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let data = t.join("data");
    ok(&[
        "generate",
        "--families",
        "400",
        "--seed",
        "11",
        "--out",
        p(&data),
        "--quiet",
    ]);
    let shuffled = t.join("shuffled");
    shuffled_copy(&data, &shuffled);
    // The copy really is out of order.
    let ids = |dir: &Path| {
        let b = read_all(&dir.join("families.parquet"));
        let c = b.column_by_name("family_id").unwrap().clone();
        let c = arrow::compute::cast(&c, &arrow::datatypes::DataType::Utf8).unwrap();
        let c = c.as_string::<i32>();
        (0..c.len())
            .map(|i| c.value(i).to_string())
            .collect::<Vec<_>>()
    };
    assert_ne!(ids(&data), ids(&shuffled));

    let run = |dir: &Path, out: &Path| {
        ok(&[
            "outcomes",
            "--data",
            p(dir),
            "--out",
            p(out),
            "--by",
            "country,arm",
            "--bootstrap-reps",
            "200",
            "--format",
            "csv",
            "--quiet",
        ]);
    };
    let (a, b) = (t.join("a"), t.join("b"));
    run(&data, &a);
    run(&shuffled, &b);
    for table in OUTCOME_TABLES {
        let name = format!("tables/{table}.csv");
        let (x, y) = (
            fs::read(a.join(&name)).unwrap(),
            fs::read(b.join(&name)).unwrap(),
        );
        assert!(x.len() > 100, "{name} is all but empty");
        assert!(x == y, "{name} differs when the input rows are shuffled");
    }
    let (x, y) = (
        fs::read_to_string(a.join("tables/cost_of_care.csv")).unwrap(),
        fs::read_to_string(b.join("tables/cost_of_care.csv")).unwrap(),
    );
    assert_eq!(x.lines().count(), y.lines().count());
    for (lx, ly) in x.lines().zip(y.lines()) {
        for (cx, cy) in lx.split(',').zip(ly.split(',')) {
            match (cx.parse::<f64>(), cy.parse::<f64>()) {
                (Ok(u), Ok(v)) => assert!(
                    (u - v).abs() <= 1e-9 * u.abs().max(1.0),
                    "cost_of_care: {u} vs {v}"
                ),
                _ => assert_eq!(cx, cy),
            }
        }
    }
    // The same rows read, kept and set aside per table.
    let quality = |dir: &Path| {
        let q = fs::read_to_string(dir.join("quality.json")).unwrap();
        q.replace(p(&data), "DATA").replace(p(&shuffled), "DATA")
    };
    assert_eq!(quality(&a), quality(&b));
}
