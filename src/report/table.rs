//! Reading one result table back from the output folder, whichever format the run wrote.
//!
//! `kinsight run --format csv|parquet|both` decides what is on disk, so a table is read
//! from `<name>.parquet` when present (exact types) and otherwise from `<name>.csv`. Both
//! become the same [`Table`]: named columns of text, numbers or flags, looked up by name
//! so column order never matters. Empty CSV fields, Parquet nulls and NaN all read as
//! "no value", which is how suppressed cells are stored.

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Float64Type};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::csv::parse_csv;
use super::ReportError;

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    Text(Vec<Option<String>>),
    Number(Vec<Option<f64>>),
    Flag(Vec<Option<bool>>),
}

/// A table read from Parquet or CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file it was read from (for error messages).
    pub path: PathBuf,
    names: Vec<String>,
    columns: Vec<Values>,
    rows: usize,
}

/// Where `<dir>/<name>` is stored, preferring Parquet.
pub fn locate(dir: &Path, name: &str) -> Option<PathBuf> {
    ["parquet", "csv"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

impl Table {
    /// Reads `path` as Parquet (extension `.parquet`) or CSV (anything else).
    ///
    /// # Errors
    /// [`ReportError::Read`] when the file cannot be opened, [`ReportError::Parse`] when
    /// its content is not a valid table.
    pub fn read(path: &Path) -> Result<Table, ReportError> {
        if path.extension().is_some_and(|e| e == "parquet") {
            read_parquet(path)
        } else {
            let text = std::fs::read_to_string(path).map_err(|source| ReportError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let (names, records) = parse_csv(&text).map_err(|message| ReportError::Parse {
                path: path.to_path_buf(),
                message,
            })?;
            let rows = records.len();
            let columns = (0..names.len())
                .map(|c| {
                    Values::Text(
                        records
                            .iter()
                            .map(|r| r.get(c).filter(|v| !v.is_empty()).cloned())
                            .collect(),
                    )
                })
                .collect();
            Ok(Table {
                path: path.to_path_buf(),
                names,
                columns,
                rows,
            })
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Whether the table has column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    fn column(&self, name: &str) -> Result<&Values, ReportError> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
            .ok_or_else(|| ReportError::Column {
                path: self.path.clone(),
                column: name.to_string(),
                problem: format!("not in the table (columns: {})", self.names.join(", ")),
            })
    }

    fn bad(&self, column: &str, row: usize, problem: String) -> ReportError {
        ReportError::Column {
            path: self.path.clone(),
            column: column.to_string(),
            // Data rows are numbered from 1, as a spreadsheet shows them under the header.
            problem: format!("row {}: {problem}", row + 1),
        }
    }

    /// Text of `column` in every row (`None` where empty).
    ///
    /// # Errors
    /// [`ReportError::Column`] when the column is missing or not text.
    pub fn texts(&self, column: &str) -> Result<Vec<Option<String>>, ReportError> {
        match self.column(column)? {
            Values::Text(v) => Ok(v.clone()),
            Values::Number(v) => Ok(v.iter().map(|x| x.map(|x| x.to_string())).collect()),
            Values::Flag(_) => Err(self.bad(column, 0, "holds true/false, expected text".into())),
        }
    }

    /// Numbers of `column` in every row (`None` where empty, null or NaN).
    ///
    /// # Errors
    /// [`ReportError::Column`] when the column is missing or a value is not a number.
    pub fn numbers(&self, column: &str) -> Result<Vec<Option<f64>>, ReportError> {
        match self.column(column)? {
            Values::Number(v) => Ok(v.clone()),
            Values::Text(v) => v
                .iter()
                .enumerate()
                .map(|(row, x)| match x.as_deref().map(str::trim) {
                    None | Some("") | Some("NaN") | Some("nan") | Some("null") => Ok(None),
                    Some(s) => s
                        .parse::<f64>()
                        .map(|n| n.is_finite().then_some(n))
                        .map_err(|_| self.bad(column, row, format!("{s:?} is not a number"))),
                })
                .collect(),
            Values::Flag(_) => {
                Err(self.bad(column, 0, "holds true/false, expected numbers".into()))
            }
        }
    }

    /// Flags of `column` in every row (`None` where empty). Text `true`/`false` (any
    /// case) and `1`/`0` are accepted.
    ///
    /// # Errors
    /// [`ReportError::Column`] when the column is missing or a value is not a flag.
    pub fn flags(&self, column: &str) -> Result<Vec<Option<bool>>, ReportError> {
        match self.column(column)? {
            Values::Flag(v) => Ok(v.clone()),
            Values::Number(v) => Ok(v.iter().map(|x| x.map(|x| x != 0.0)).collect()),
            Values::Text(v) => v
                .iter()
                .enumerate()
                .map(|(row, x)| match x.as_deref().map(str::trim) {
                    None | Some("") => Ok(None),
                    Some(s) if s.eq_ignore_ascii_case("true") || s == "1" => Ok(Some(true)),
                    Some(s) if s.eq_ignore_ascii_case("false") || s == "0" => Ok(Some(false)),
                    Some(s) => Err(self.bad(column, row, format!("{s:?} is not true or false"))),
                })
                .collect(),
        }
    }

    /// The `suppressed` column if the table has one (missing values read as false);
    /// otherwise every row is publishable.
    ///
    /// # Errors
    /// [`ReportError::Column`] when a value is not a flag.
    pub fn suppressed(&self) -> Result<Vec<bool>, ReportError> {
        if !self.has("suppressed") {
            return Ok(vec![false; self.rows]);
        }
        Ok(self
            .flags("suppressed")?
            .into_iter()
            .map(|f| f.unwrap_or(false))
            .collect())
    }
}

fn read_parquet(path: &Path) -> Result<Table, ReportError> {
    let parse = |message: String| ReportError::Parse {
        path: path.to_path_buf(),
        message,
    };
    let file = File::open(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| parse(format!("not a readable Parquet file ({e})")))?;
    let schema = builder.schema().clone();
    let reader = builder
        .build()
        .map_err(|e| parse(format!("not a readable Parquet file ({e})")))?;
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut columns: Vec<Values> = schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Boolean => Values::Flag(Vec::new()),
            t if t.is_numeric() => Values::Number(Vec::new()),
            _ => Values::Text(Vec::new()),
        })
        .collect();
    let mut rows = 0;
    for batch in reader {
        let batch = batch.map_err(|e| parse(format!("cannot decode a row group ({e})")))?;
        rows += batch.num_rows();
        for (c, values) in columns.iter_mut().enumerate() {
            let array = batch.column(c);
            let cast = |to: &DataType| {
                arrow::compute::cast(array, to).map_err(|e| {
                    parse(format!(
                        "column `{}` cannot be read as {to} ({e})",
                        names[c]
                    ))
                })
            };
            match values {
                Values::Flag(v) => {
                    let a = array.as_boolean();
                    v.extend((0..a.len()).map(|i| a.is_valid(i).then(|| a.value(i))));
                }
                Values::Number(v) => {
                    let a = cast(&DataType::Float64)?;
                    let a = a.as_primitive::<Float64Type>();
                    v.extend(
                        (0..a.len())
                            .map(|i| Some(a.value(i)).filter(|x| a.is_valid(i) && x.is_finite())),
                    );
                }
                Values::Text(v) => {
                    let a = cast(&DataType::Utf8)?;
                    let a = a.as_string::<i32>();
                    v.extend((0..a.len()).map(|i| a.is_valid(i).then(|| a.value(i).to_string())));
                }
            }
        }
    }
    Ok(Table {
        path: path.to_path_buf(),
        names,
        columns,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int32Array, StringArray};
    use arrow::datatypes::{Field, Schema};
    use arrow::record_batch::RecordBatch;
    use parquet::arrow::ArrowWriter;

    fn write_parquet(path: &Path) {
        let schema = Schema::new(vec![
            Field::new("group", DataType::Utf8, false),
            Field::new("year", DataType::Int32, false),
            Field::new("share", DataType::Float64, true),
            Field::new("suppressed", DataType::Boolean, false),
        ]);
        let cols: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec!["all", "all"])),
            Arc::new(Int32Array::from(vec![1, 2])),
            Arc::new(Float64Array::from(vec![Some(0.25), None])),
            Arc::new(BooleanArray::from(vec![false, true])),
        ];
        let batch = RecordBatch::try_new(Arc::new(schema), cols).unwrap();
        let mut w =
            ArrowWriter::try_new(File::create(path).unwrap(), batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    #[test]
    fn parquet_and_csv_read_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let pq = dir.path().join("t.parquet");
        write_parquet(&pq);
        let csv = dir.path().join("u.csv");
        std::fs::write(
            &csv,
            "year,share,group,suppressed\n1,0.25,all,false\n2,,all,true\n",
        )
        .unwrap();
        for path in [pq, csv] {
            let t = Table::read(&path).unwrap();
            assert_eq!(t.len(), 2);
            assert_eq!(t.numbers("year").unwrap(), vec![Some(1.0), Some(2.0)]);
            assert_eq!(t.numbers("share").unwrap(), vec![Some(0.25), None]);
            assert_eq!(
                t.texts("group").unwrap(),
                vec![Some("all".into()), Some("all".into())]
            );
            assert_eq!(t.suppressed().unwrap(), vec![false, true]);
        }
    }

    #[test]
    fn prefers_parquet() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(locate(dir.path(), "t"), None);
        std::fs::write(dir.path().join("t.csv"), "a\n1\n").unwrap();
        assert_eq!(locate(dir.path(), "t"), Some(dir.path().join("t.csv")));
        write_parquet(&dir.path().join("t.parquet"));
        assert_eq!(locate(dir.path(), "t"), Some(dir.path().join("t.parquet")));
    }

    #[test]
    fn errors_name_file_column_and_row() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("t.csv");
        std::fs::write(&csv, "share,suppressed\n0.5,false\nabc,maybe\n").unwrap();
        let t = Table::read(&csv).unwrap();
        let e = t.numbers("share").unwrap_err().to_string();
        assert!(
            e.contains("t.csv: column `share`: row 2: \"abc\" is not a number"),
            "{e}"
        );
        let e = t.suppressed().unwrap_err().to_string();
        assert!(
            e.contains("column `suppressed`: row 2: \"maybe\" is not true or false"),
            "{e}"
        );
        let e = t.numbers("ci_low").unwrap_err().to_string();
        assert!(
            e.contains("column `ci_low`: not in the table (columns: share, suppressed)"),
            "{e}"
        );
        let bad = dir.path().join("bad.parquet");
        std::fs::write(&bad, "not parquet").unwrap();
        let e = Table::read(&bad).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(
            e.to_string()
                .contains("bad.parquet: not a readable Parquet file"),
            "{e}"
        );
    }
}
