//! Output tables written as CSV and Parquet with the same columns.
//!
//! Researchers load `tables/*.parquet` in Python or R and open `tables/*.csv` in Excel,
//! so both files of a table must agree column for column. A [`Table`] is built column by
//! column from typed vectors; a suppressed or unavailable number is `None`, which is an
//! empty CSV field and a Parquet null (never a made-up 0 or NaN).

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::write_atomic;
use super::OutputError;

/// One typed column.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Text(Vec<String>),
    /// Text that may be absent: null in Parquet, an empty cell in CSV (a note that only
    /// some rows carry; an empty string would read back differently from the two files).
    OptText(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<bool>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::OptText(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Float(v) => v.len(),
            Column::Bool(v) => v.len(),
        }
    }

    fn data_type(&self) -> DataType {
        match self {
            Column::Text(_) | Column::OptText(_) => DataType::Utf8,
            Column::Int(_) => DataType::Int64,
            Column::Float(_) => DataType::Float64,
            Column::Bool(_) => DataType::Boolean,
        }
    }

    fn nullable(&self) -> bool {
        matches!(self, Column::OptText(_) | Column::Int(_) | Column::Float(_))
    }

    fn to_arrow(&self) -> ArrayRef {
        match self {
            Column::Text(v) => Arc::new(StringArray::from_iter_values(v)),
            Column::OptText(v) => Arc::new(StringArray::from(v.clone())),
            Column::Int(v) => Arc::new(Int64Array::from(v.clone())),
            Column::Float(v) => Arc::new(Float64Array::from(
                v.iter()
                    .map(|x| x.filter(|f| f.is_finite()))
                    .collect::<Vec<_>>(),
            )),
            Column::Bool(v) => Arc::new(BooleanArray::from(v.clone())),
        }
    }

    fn csv_field(&self, row: usize) -> String {
        match self {
            Column::Text(v) => csv_text(&v[row]),
            Column::OptText(v) => v[row].as_deref().map(csv_text).unwrap_or_default(),
            Column::Int(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            // Shortest text that reads back to the same f64: no rounding in the CSV.
            Column::Float(v) => v[row]
                .filter(|f| f.is_finite())
                .map(|x| format!("{x:?}"))
                .unwrap_or_default(),
            Column::Bool(v) => v[row].to_string(),
        }
    }
}

fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A named table of equal-length columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    name: String,
    columns: Vec<(String, Column)>,
}

impl Table {
    /// An empty table that will be written as `<name>.csv` / `<name>.parquet`.
    pub fn new(name: &str) -> Self {
        Table {
            name: name.into(),
            columns: Vec::new(),
        }
    }

    /// Add a column (builder style).
    pub fn with(mut self, name: &str, column: Column) -> Self {
        self.columns.push((name.into(), column));
        self
    }

    /// Add a text column.
    pub fn text<S: Into<String>>(self, name: &str, v: impl IntoIterator<Item = S>) -> Self {
        self.with(name, Column::Text(v.into_iter().map(Into::into).collect()))
    }

    /// Add a text column with absent values (`None` = null).
    pub fn opt_text(self, name: &str, v: impl IntoIterator<Item = Option<String>>) -> Self {
        self.with(name, Column::OptText(v.into_iter().collect()))
    }

    /// Add an integer column (`None` = null).
    pub fn int(self, name: &str, v: impl IntoIterator<Item = Option<i64>>) -> Self {
        self.with(name, Column::Int(v.into_iter().collect()))
    }

    /// Add a float column (`None` or non-finite = null).
    pub fn float(self, name: &str, v: impl IntoIterator<Item = Option<f64>>) -> Self {
        self.with(name, Column::Float(v.into_iter().collect()))
    }

    /// Add a boolean column.
    pub fn boolean(self, name: &str, v: impl IntoIterator<Item = bool>) -> Self {
        self.with(name, Column::Bool(v.into_iter().collect()))
    }

    /// The table's file stem.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of rows (0 for a table without columns).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    fn check(&self) -> Result<(), OutputError> {
        let n = self.rows();
        if let Some((name, c)) = self.columns.iter().find(|(_, c)| c.len() != n) {
            return Err(OutputError::Encode {
                path: self.name.clone().into(),
                message: format!(
                    "column {name} has {} rows, the table {n} (a bug in kinsight)",
                    c.len()
                ),
            });
        }
        Ok(())
    }

    /// The table as CSV text (header line, then one line per row, `\n` line ends).
    pub fn to_csv(&self) -> String {
        let mut s = String::new();
        let header: Vec<String> = self.columns.iter().map(|(n, _)| csv_text(n)).collect();
        s.push_str(&header.join(","));
        s.push('\n');
        for r in 0..self.rows() {
            let fields: Vec<String> = self.columns.iter().map(|(_, c)| c.csv_field(r)).collect();
            s.push_str(&fields.join(","));
            s.push('\n');
        }
        s
    }

    /// The table as one Arrow record batch.
    ///
    /// # Errors
    /// [`OutputError::Encode`] when the columns have different lengths.
    pub fn to_record_batch(&self) -> Result<RecordBatch, OutputError> {
        self.check()?;
        let schema = Schema::new(
            self.columns
                .iter()
                .map(|(n, c)| Field::new(n, c.data_type(), c.nullable()))
                .collect::<Vec<_>>(),
        );
        let arrays: Vec<ArrayRef> = self.columns.iter().map(|(_, c)| c.to_arrow()).collect();
        RecordBatch::try_new(Arc::new(schema), arrays).map_err(|e| OutputError::Encode {
            path: self.name.clone().into(),
            message: e.to_string(),
        })
    }

    /// The table as Parquet bytes (zstd, one row group).
    ///
    /// # Errors
    /// [`OutputError::Encode`] when the table cannot be encoded.
    pub fn to_parquet(&self) -> Result<Vec<u8>, OutputError> {
        let batch = self.to_record_batch()?;
        let err = |e: parquet::errors::ParquetError| OutputError::Encode {
            path: format!("{}.parquet", self.name).into(),
            message: e.to_string(),
        };
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_created_by(format!("kinsight {}", env!("CARGO_PKG_VERSION")))
            .build();
        let mut buf = Vec::new();
        let mut w = ArrowWriter::try_new(&mut buf, batch.schema(), Some(props)).map_err(err)?;
        w.write(&batch).map_err(err)?;
        w.close().map_err(err)?;
        Ok(buf)
    }

    /// Write `<dir>/<name>.csv` and/or `<dir>/<name>.parquet` atomically; returns the
    /// file names written.
    ///
    /// # Errors
    /// [`OutputError::Encode`] or [`OutputError::Io`] naming the file.
    pub fn write(&self, dir: &Path, csv: bool, parquet: bool) -> Result<Vec<String>, OutputError> {
        self.check()?;
        let mut written = Vec::new();
        if csv {
            let f = format!("{}.csv", self.name);
            write_atomic(&dir.join(&f), self.to_csv().as_bytes())?;
            written.push(f);
        }
        if parquet {
            let f = format!("{}.parquet", self.name);
            write_atomic(&dir.join(&f), &self.to_parquet()?)?;
            written.push(f);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn sample() -> Table {
        Table::new("t")
            .text("group", ["all", "country=A,B"])
            .int("n", [Some(12), None])
            .float("share", [Some(0.1), None])
            .boolean("suppressed", [false, true])
            .opt_text("note", [None, Some("few, see below".to_string())])
    }

    #[test]
    fn csv_quotes_commas_and_leaves_nulls_empty() {
        assert_eq!(
            sample().to_csv(),
            "group,n,share,suppressed,note\nall,12,0.1,false,\n\"country=A,B\",,,true,\"few, see below\"\n"
        );
    }

    #[test]
    fn parquet_round_trips_values_and_nulls() {
        let d = tempfile::tempdir().unwrap();
        sample().write(d.path(), false, true).unwrap();
        let file = std::fs::File::open(d.path().join("t.parquet")).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let batch = reader.map(Result::unwrap).next().unwrap();
        assert_eq!(batch.num_rows(), 2);
        let share = batch
            .column(2)
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        assert_eq!(share.value(0), 0.1);
        assert!(share.is_null(1));
        assert_eq!(batch.schema().field(0).name(), "group");
        // An absent note is null, as the CSV's empty cell reads back (not "").
        let note = batch
            .column(4)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        assert!(note.is_null(0));
        assert_eq!(note.value(1), "few, see below");
    }

    #[test]
    fn ragged_columns_are_refused() {
        let t = Table::new("bad")
            .text("a", ["x"])
            .int("b", [Some(1), Some(2)]);
        assert!(t.to_parquet().is_err());
    }

    #[test]
    fn writes_both_files() {
        let d = tempfile::tempdir().unwrap();
        let files = sample().write(d.path(), true, true).unwrap();
        assert_eq!(files, vec!["t.csv", "t.parquet"]);
        assert!(d.path().join("t.parquet").exists());
    }
}
