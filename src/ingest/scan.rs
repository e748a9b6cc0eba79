//! Reading one table's files row group by row group, in parallel.
//!
//! Each (file, row group) pair is a unit of work for rayon: it opens the file with the
//! footer already parsed, decodes only the columns the engine needs, and hands each
//! record batch to a table-specific parser that returns a typed chunk. Chunks come back
//! in file and row-group order, so the result does not depend on the thread count.
//! Schema problems (missing column, wrong type, unreadable file) are found from the
//! footers before any data is decoded.

use std::fs::File;
use std::sync::Arc;

use arrow::array::{ArrayRef, DictionaryArray, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Int32Type, Schema};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use rayon::prelude::*;

use super::column;
use super::files::TableFile;
use super::problem::{Problem, Problems, Rule, Severity};
use crate::schema::Table;

/// One row group's parsed chunks and row count, or the (boxed: it is large) problem
/// that stopped it.
type RowGroupResult<T> = Result<(Vec<T>, u64), Box<Problem>>;

/// Rows decoded per batch: large enough to amortise per-batch work, small enough to keep
/// memory per thread modest.
const BATCH_ROWS: usize = 65_536;

/// A decoded batch with its place in the file.
pub struct Batch<'a> {
    pub file: &'a TableFile,
    /// 0-based index within the file of the batch's first row.
    pub first_row: u64,
    pub batch: RecordBatch,
}

impl Batch<'_> {
    /// The column of this name (contract columns are guaranteed present after the schema check).
    pub fn col(&self, name: &str) -> Option<&ArrayRef> {
        self.batch.column_by_name(name)
    }
    pub fn len(&self) -> usize {
        self.batch.num_rows()
    }
    /// 1-based row number within the file of batch row `i`, for messages.
    pub fn row_no(&self, i: usize) -> u64 {
        self.first_row + i as u64 + 1
    }
}

struct OpenFile<'a> {
    file: &'a TableFile,
    meta: ArrowReaderMetadata,
    /// Root column indices to decode.
    roots: Vec<usize>,
    /// Contract columns supplied by `key=value` folders instead of the file.
    from_partitions: Vec<(String, String)>,
}

fn problem(
    sev: Severity,
    rule: Rule,
    table: &Table,
    file: &TableFile,
    msg: String,
    fix: &str,
) -> Problem {
    Problem::new(sev, rule, table.name, msg, fix).file(file.display.clone())
}

/// Check every file's footer against the contract. Returns the files that can be read, or
/// `None` when a fatal problem was found.
fn open_all<'a>(
    table: &Table,
    files: &'a [TableFile],
    wanted: &[&str],
    problems: &mut Problems,
) -> Option<Vec<OpenFile<'a>>> {
    let mut out = Vec::new();
    let mut ok = true;
    for f in files {
        let meta = File::open(&f.path)
            .map_err(|e| e.to_string())
            .and_then(|h| {
                ArrowReaderMetadata::load(&h, ArrowReaderOptions::new()).map_err(|e| e.to_string())
            });
        let meta = match meta {
            Ok(m) => m,
            Err(e) => {
                problems.push(problem(
                    Severity::Fatal,
                    Rule::UnreadableFile,
                    table,
                    f,
                    format!("not a readable Parquet file ({e})"),
                    "re-export the table as Parquet; an empty, truncated or renamed CSV file cannot be read",
                ));
                ok = false;
                continue;
            }
        };
        let schema = meta.schema().clone();
        let mut roots = Vec::new();
        let mut from_partitions = Vec::new();
        for name in wanted {
            let spec = table.column(name);
            match schema.index_of(name) {
                Ok(idx) => {
                    let dt = schema.field(idx).data_type();
                    if let Some(spec) = spec {
                        if !column::type_ok(spec.kind, dt) {
                            problems.push(
                                problem(
                                    Severity::Fatal,
                                    Rule::WrongType,
                                    table,
                                    f,
                                    format!(
                                        "has type {dt}, expected {}",
                                        column::accepted_types(spec.kind)
                                    ),
                                    "write the column with the type given in schema.md",
                                )
                                .column(*name),
                            );
                            ok = false;
                            continue;
                        }
                    }
                    roots.push(idx);
                }
                Err(_) => {
                    if let Some((_, v)) = f.partitions.iter().find(|(k, _)| k == name) {
                        from_partitions.push((name.to_string(), v.clone()));
                    } else if spec.is_some_and(|c| c.required)
                        || spec.is_some_and(|c| c.name.ends_with("_id"))
                    {
                        problems.push(
                            problem(
                                Severity::Fatal,
                                Rule::MissingColumn,
                                table,
                                f,
                                format!("required column {name} is missing"),
                                "add the column (see schema.md); names are lower snake case",
                            )
                            .column(*name),
                        );
                        ok = false;
                    } else {
                        // An optional column absent from this file: read as all null.
                        from_partitions.push((name.to_string(), String::new()));
                    }
                }
            }
        }
        let unknown: Vec<String> = schema
            .fields()
            .iter()
            .map(|fl| fl.name().clone())
            .filter(|n| table.column(n).is_none())
            .collect();
        if !unknown.is_empty() {
            problems.push(problem(
                Severity::Warning,
                Rule::UnknownColumn,
                table,
                f,
                format!(
                    "columns not in the contract are ignored: {}",
                    unknown.join(", ")
                ),
                "",
            ));
        }
        roots.sort_unstable();
        out.push(OpenFile {
            file: f,
            meta,
            roots,
            from_partitions,
        });
    }
    ok.then_some(out)
}

/// Add the columns that come from folder names (or are absent optional columns) as
/// constant dictionary columns, so parsers see one uniform batch.
fn with_constants(
    batch: RecordBatch,
    constants: &[(String, String)],
) -> Result<RecordBatch, arrow::error::ArrowError> {
    if constants.is_empty() {
        return Ok(batch);
    }
    let n = batch.num_rows();
    let mut fields: Vec<Arc<Field>> = batch.schema().fields().iter().cloned().collect();
    let mut cols: Vec<ArrayRef> = batch.columns().to_vec();
    for (name, value) in constants {
        let keys = if value.is_empty() {
            arrow::array::Int32Array::new_null(n)
        } else {
            arrow::array::Int32Array::from(vec![0; n])
        };
        let values = StringArray::from(vec![value.as_str()]);
        let dict = DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values))?;
        fields.push(Arc::new(Field::new(
            name,
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            true,
        )));
        cols.push(Arc::new(dict));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)
}

/// Outcome of scanning one table.
pub struct Scanned<T> {
    /// Parsed chunks in file / row-group order.
    pub chunks: Vec<T>,
    pub rows_read: u64,
}

/// Read `wanted` columns of a table's files and parse each batch with `parse`.
///
/// Returns `None` when the table cannot be read at all (the reasons are in `problems`).
pub fn scan<T, F>(
    table: &Table,
    files: &[TableFile],
    wanted: &[&str],
    problems: &mut Problems,
    parse: F,
) -> Option<Scanned<T>>
where
    T: Send,
    F: Fn(&Batch) -> T + Sync,
{
    let opened = open_all(table, files, wanted, problems)?;
    let mut units = Vec::new();
    for (fi, of) in opened.iter().enumerate() {
        let mut first = 0u64;
        for (rg, meta) in of.meta.metadata().row_groups().iter().enumerate() {
            units.push((fi, rg, first));
            first += meta.num_rows().max(0) as u64;
        }
    }
    let results: Vec<RowGroupResult<T>> = units
        .par_iter()
        .map(|&(fi, rg, first)| {
            let of = &opened[fi];
            let fail = |e: String| {
                Box::new(problem(
                    Severity::Fatal,
                    Rule::UnreadableFile,
                    table,
                    of.file,
                    format!("row group {rg} cannot be decoded ({e})"),
                    "the file is damaged or truncated: re-export it",
                ))
            };
            let handle = File::open(&of.file.path).map_err(|e| fail(e.to_string()))?;
            let mask = ProjectionMask::roots(of.meta.parquet_schema(), of.roots.iter().copied());
            let reader =
                ParquetRecordBatchReaderBuilder::new_with_metadata(handle, of.meta.clone())
                    .with_row_groups(vec![rg])
                    .with_projection(mask)
                    .with_batch_size(BATCH_ROWS)
                    .build()
                    .map_err(|e| fail(e.to_string()))?;
            let mut out = Vec::new();
            let mut row = first;
            for batch in reader {
                let batch = batch.map_err(|e| fail(e.to_string()))?;
                let batch =
                    with_constants(batch, &of.from_partitions).map_err(|e| fail(e.to_string()))?;
                let n = batch.num_rows() as u64;
                out.push(parse(&Batch {
                    file: of.file,
                    first_row: row,
                    batch,
                }));
                row += n;
            }
            Ok((out, row - first))
        })
        .collect();
    let mut chunks = Vec::new();
    let mut rows_read = 0;
    let mut failed = false;
    for r in results {
        match r {
            Ok((c, n)) => {
                chunks.extend(c);
                rows_read += n;
            }
            Err(p) => {
                problems.push(*p);
                failed = true;
            }
        }
    }
    (!failed).then_some(Scanned { chunks, rows_read })
}
