//! Writing the outcome tables as CSV and Parquet with the column names of `interface.md`.
//!
//! Each row type lists its columns once ([`Table`]); both formats are built from that
//! list, so they cannot disagree. Missing numbers are empty CSV fields and Parquet nulls;
//! floats are written in Rust's shortest round-trip form.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray, UInt64Array};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::error::Error;
use crate::output::write_atomic;

use super::rows::*;

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Col {
    Text(Vec<String>),
    UInt(Vec<Option<u64>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<bool>),
}

/// A Rust field type that maps to one column type.
pub trait ColumnOf: Sized {
    fn column(values: Vec<Self>) -> Col;
}

impl ColumnOf for String {
    fn column(v: Vec<Self>) -> Col {
        Col::Text(v)
    }
}
impl ColumnOf for u64 {
    fn column(v: Vec<Self>) -> Col {
        Col::UInt(v.into_iter().map(Some).collect())
    }
}
impl ColumnOf for Option<u64> {
    fn column(v: Vec<Self>) -> Col {
        Col::UInt(v)
    }
}
impl ColumnOf for u32 {
    fn column(v: Vec<Self>) -> Col {
        Col::UInt(v.into_iter().map(|x| Some(u64::from(x))).collect())
    }
}
impl ColumnOf for i32 {
    fn column(v: Vec<Self>) -> Col {
        Col::Int(v.into_iter().map(|x| Some(i64::from(x))).collect())
    }
}
impl ColumnOf for f64 {
    fn column(v: Vec<Self>) -> Col {
        Col::Float(v.into_iter().map(|x| x.is_finite().then_some(x)).collect())
    }
}
impl ColumnOf for Option<f64> {
    fn column(v: Vec<Self>) -> Col {
        Col::Float(v.into_iter().map(|x| x.filter(|x| x.is_finite())).collect())
    }
}
impl ColumnOf for bool {
    fn column(v: Vec<Self>) -> Col {
        Col::Bool(v)
    }
}

/// A row type written as a table.
pub trait Table: Sized {
    /// The columns of `rows`, in output order.
    fn columns(rows: &[Self]) -> Vec<(&'static str, Col)>;
}

macro_rules! table {
    ($ty:ty { $($name:ident),* $(,)? }) => {
        impl Table for $ty {
            fn columns(rows: &[Self]) -> Vec<(&'static str, Col)> {
                vec![$((
                    stringify!($name),
                    ColumnOf::column(rows.iter().map(|r| r.$name.clone()).collect::<Vec<_>>()),
                )),*]
            }
        }
    };
}

table!(FollowupRow {
    group,
    domain,
    year,
    due,
    observed,
    response_rate,
    doing_well,
    share,
    ci_low,
    ci_high,
    share_weighted,
    ci_low_weighted,
    ci_high_weighted,
    suppressed
});
table!(ScoreChangeRow {
    group,
    domain,
    year,
    n,
    mean_change,
    ci_low,
    ci_high,
    improved,
    same,
    worse,
    suppressed
});
table!(ScoreLevelRow {
    group,
    domain,
    stage,
    n,
    mean_score,
    suppressed
});
table!(SurvivalCurveRow {
    group,
    level,
    day,
    at_risk,
    events,
    censored,
    survival,
    ci_low,
    ci_high
});
table!(SurvivalYearRow {
    group,
    level,
    year,
    survival,
    ci_low,
    ci_high,
    at_risk,
    suppressed
});
table!(SurvivalTestRow {
    by,
    level,
    chi_square,
    df,
    p_value
});
table!(IncomeEffectRow {
    group,
    year,
    n_programme,
    n_comparison,
    mean_delta_programme,
    mean_delta_comparison,
    effect,
    ci_low,
    ci_high,
    method,
    suppressed
});
table!(IncomeTrajectoryRow {
    group,
    arm,
    year,
    n,
    mean_income,
    ci_low,
    ci_high,
    suppressed
});
table!(DuringProgrammeRow {
    group,
    measure,
    numerator,
    denominator,
    share,
    ci_low,
    ci_high,
    suppressed
});

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The table as CSV text (header line, then one line per row).
pub fn to_csv<T: Table>(rows: &[T]) -> String {
    let cols = T::columns(rows);
    let mut out = cols.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(",");
    out.push('\n');
    for i in 0..rows.len() {
        let line: Vec<String> = cols
            .iter()
            .map(|(_, c)| match c {
                Col::Text(v) => csv_field(&v[i]),
                Col::UInt(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
                Col::Int(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
                Col::Float(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
                Col::Bool(v) => v[i].to_string(),
            })
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The table as an Arrow record batch.
///
/// # Errors
/// Arrow's message if the columns are inconsistent (they are built together, so they are
/// not).
pub fn to_record_batch<T: Table>(rows: &[T]) -> Result<RecordBatch, String> {
    let cols: Vec<(&str, ArrayRef)> = T::columns(rows)
        .into_iter()
        .map(|(n, c)| {
            let a: ArrayRef = match c {
                Col::Text(v) => Arc::new(StringArray::from(v)),
                Col::UInt(v) => Arc::new(UInt64Array::from(v)),
                Col::Int(v) => Arc::new(Int64Array::from(v)),
                Col::Float(v) => Arc::new(Float64Array::from(v)),
                Col::Bool(v) => Arc::new(BooleanArray::from(v)),
            };
            (n, a)
        })
        .collect();
    RecordBatch::try_from_iter(cols).map_err(|e| e.to_string())
}

fn parquet_bytes<T: Table>(rows: &[T]) -> Result<Vec<u8>, String> {
    let batch = to_record_batch(rows)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .build();
    let mut buf = Vec::new();
    let mut w =
        ArrowWriter::try_new(&mut buf, batch.schema(), Some(props)).map_err(|e| e.to_string())?;
    w.write(&batch).map_err(|e| e.to_string())?;
    w.close().map_err(|e| e.to_string())?;
    Ok(buf)
}

/// Write `dir/<name>.csv` and/or `dir/<name>.parquet`; returns the file names written.
///
/// # Errors
/// [`Error::Io`] or [`Error::Write`] naming the file.
pub fn write_table<T: Table>(
    dir: &Path,
    name: &str,
    rows: &[T],
    csv: bool,
    parquet: bool,
) -> Result<Vec<String>, Error> {
    let mut written = Vec::new();
    if csv {
        let file = format!("{name}.csv");
        write_atomic(&dir.join(&file), to_csv(rows).as_bytes())?;
        written.push(file);
    }
    if parquet {
        let file = format!("{name}.parquet");
        let path = dir.join(&file);
        let bytes = parquet_bytes(rows).map_err(|message| Error::Write {
            path: path.clone(),
            message,
        })?;
        write_atomic(&path, &bytes)?;
        written.push(file);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(group: &str, share: Option<f64>) -> DuringProgrammeRow {
        DuringProgrammeRow {
            group: group.into(),
            measure: "self_reliant_at_exit".into(),
            numerator: share.map(|_| 3),
            denominator: share.map(|_| 12),
            share,
            ci_low: None,
            ci_high: None,
            suppressed: share.is_none(),
        }
    }

    #[test]
    fn csv_has_interface_columns_and_blank_nulls() {
        let text = to_csv(&[row("all", Some(0.25)), row("country=\"X\",Y", None)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "group,measure,numerator,denominator,share,ci_low,ci_high,suppressed"
        );
        assert_eq!(lines[1], "all,self_reliant_at_exit,3,12,0.25,,,false");
        assert_eq!(
            lines[2],
            "\"country=\"\"X\"\",Y\",self_reliant_at_exit,,,,,,true"
        );
    }

    #[test]
    fn parquet_round_trip_keeps_nulls() {
        use arrow::array::Array;
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let d = tempfile::tempdir().unwrap();
        let files = write_table(
            d.path(),
            "t",
            &[row("all", Some(0.25)), row("x=y", None)],
            true,
            true,
        )
        .unwrap();
        assert_eq!(files, vec!["t.csv".to_string(), "t.parquet".to_string()]);
        let f = std::fs::File::open(d.path().join("t.parquet")).unwrap();
        let batch = ParquetRecordBatchReaderBuilder::try_new(f)
            .unwrap()
            .build()
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        let share = batch
            .column_by_name("share")
            .unwrap()
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        assert_eq!(share.value(0), 0.25);
        assert!(share.is_null(1));
    }
}
