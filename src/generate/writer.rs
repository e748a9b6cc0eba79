//! Streaming Parquet output, one table at a time, in parts.
//!
//! A [`TableWriter`] receives record batches in chunk order and writes them into
//! `<table>/part-00000.parquet`, rolling over to the next part after `rows_per_file`
//! rows; the Parquet writer flushes a row group every `row_group_size` rows, so memory
//! stays bounded whatever the dataset size. A table that fits in one part is renamed to
//! `<table>.parquet` when it is finished. Compression is zstd; the writer settings are
//! fixed, so the same batches always give byte-identical files.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::batch::arrow_schema;
use super::GenerateError;
use crate::schema::Table;

/// Writer properties of every generated file.
pub fn properties(row_group_size: usize) -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(row_group_size.max(1)))
        .set_max_row_group_bytes(None)
        .set_created_by(format!("kinsight {} generate", env!("CARGO_PKG_VERSION")))
        .build()
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> GenerateError + '_ {
    move |source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes one table as parts under `<dir>/<table>/`, then tidies a single part up.
pub struct TableWriter {
    table: &'static Table,
    dir: PathBuf,
    schema: SchemaRef,
    row_group_size: usize,
    rows_per_file: u64,
    current: Option<(PathBuf, ArrowWriter<BufWriter<File>>)>,
    rows_in_part: u64,
    rows: u64,
    parts: Vec<PathBuf>,
}

impl TableWriter {
    /// A writer for `table` inside the dataset folder `dir`.
    pub fn new(
        table: &'static Table,
        dir: &Path,
        row_group_size: usize,
        rows_per_file: u64,
    ) -> Self {
        TableWriter {
            table,
            dir: dir.to_path_buf(),
            schema: arrow_schema(table),
            row_group_size,
            rows_per_file: rows_per_file.max(1),
            current: None,
            rows_in_part: 0,
            rows: 0,
            parts: Vec::new(),
        }
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    fn open_part(&mut self) -> Result<(), GenerateError> {
        let folder = self.dir.join(self.table.name);
        fs::create_dir_all(&folder).map_err(io(&folder))?;
        let path = folder.join(format!("part-{:05}.parquet", self.parts.len()));
        let file = File::create(&path).map_err(io(&path))?;
        let writer = ArrowWriter::try_new(
            BufWriter::new(file),
            self.schema.clone(),
            Some(properties(self.row_group_size)),
        )
        .map_err(|source| GenerateError::Parquet {
            path: path.clone(),
            source,
        })?;
        self.parts.push(path.clone());
        self.current = Some((path, writer));
        self.rows_in_part = 0;
        Ok(())
    }

    fn close_part(&mut self) -> Result<(), GenerateError> {
        if let Some((path, writer)) = self.current.take() {
            writer
                .close()
                .map_err(|source| GenerateError::Parquet { path, source })?;
        }
        Ok(())
    }

    /// Append a batch, rolling over to a new part file when the current one is full.
    ///
    /// # Errors
    /// [`GenerateError::Io`] or [`GenerateError::Parquet`] when a file cannot be created
    /// or written.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), GenerateError> {
        let mut offset = 0usize;
        while offset < batch.num_rows() {
            if self.current.is_none() {
                self.open_part()?;
            }
            let room = (self.rows_per_file - self.rows_in_part) as usize;
            let take = room.min(batch.num_rows() - offset);
            let piece = batch.slice(offset, take);
            if let Some((path, writer)) = self.current.as_mut() {
                writer
                    .write(&piece)
                    .map_err(|source| GenerateError::Parquet {
                        path: path.clone(),
                        source,
                    })?;
            }
            offset += take;
            self.rows_in_part += take as u64;
            self.rows += take as u64;
            if self.rows_in_part >= self.rows_per_file {
                self.close_part()?;
            }
        }
        Ok(())
    }

    /// Close the last part; a table written as one part becomes `<table>.parquet`, an
    /// empty table an empty `<table>.parquet` with the full schema.
    ///
    /// # Errors
    /// [`GenerateError::Io`] or [`GenerateError::Parquet`] on a failed close or rename.
    pub fn finish(mut self) -> Result<Vec<PathBuf>, GenerateError> {
        if self.parts.is_empty() {
            self.open_part()?;
        }
        self.close_part()?;
        if self.parts.len() == 1 {
            let single = self.dir.join(format!("{}.parquet", self.table.name));
            fs::rename(&self.parts[0], &single).map_err(io(&single))?;
            let folder = self.dir.join(self.table.name);
            fs::remove_dir(&folder).map_err(io(&folder))?;
            return Ok(vec![single]);
        }
        Ok(self.parts)
    }
}

/// Write a small table in one go as `<dir>/<table>.parquet`.
///
/// # Errors
/// As [`TableWriter::write`] and [`TableWriter::finish`].
pub fn write_single(
    table: &'static Table,
    dir: &Path,
    batch: &RecordBatch,
    row_group_size: usize,
) -> Result<PathBuf, GenerateError> {
    let mut w = TableWriter::new(table, dir, row_group_size, u64::MAX);
    w.write(batch)?;
    let mut files = w.finish()?;
    Ok(files.remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;
    use arrow::array::{ArrayRef, Float64Array, Int32Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use std::sync::Arc;

    fn rates(n: usize) -> RecordBatch {
        let cols: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values((0..n).map(|_| "EUR"))),
            Arc::new(Int32Array::from_iter_values((0..n).map(|i| i as i32))),
            Arc::new(Float64Array::from_iter_values((0..n).map(|i| i as f64))),
        ];
        RecordBatch::try_new(arrow_schema(&schema::EXCHANGE_RATES), cols).unwrap()
    }

    fn rows_in(path: &Path) -> (usize, usize) {
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
        let groups = reader.metadata().num_row_groups();
        let rows = reader.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
        (rows, groups)
    }

    #[test]
    fn parts_roll_over_and_a_single_part_is_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = TableWriter::new(&schema::EXCHANGE_RATES, dir.path(), 4, 10);
        w.write(&rates(7)).unwrap();
        w.write(&rates(8)).unwrap();
        assert_eq!(w.rows(), 15);
        let files = w.finish().unwrap();
        assert_eq!(files.len(), 2);
        assert!(files[1].ends_with("exchange_rates/part-00001.parquet"));
        // 10 rows in row groups of 4: 4 + 4 + 2; then 5 rows: 4 + 1.
        assert_eq!(rows_in(&files[0]), (10, 3));
        assert_eq!(rows_in(&files[1]), (5, 2));

        let one = write_single(
            &schema::PRICE_INDEX,
            dir.path(),
            &RecordBatch::new_empty(arrow_schema(&schema::PRICE_INDEX)),
            4,
        )
        .unwrap();
        assert!(one.ends_with("price_index.parquet"));
        assert_eq!(rows_in(&one), (0, 0));
        assert!(!dir.path().join("price_index").exists());
    }
}
