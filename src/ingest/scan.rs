//! Reading one table's files row group by row group, in parallel.
//!
//! Each (file, row group) pair is a unit of work for rayon: it opens the file with the
//! footer already parsed, decodes only the columns the engine needs, and hands each
//! record batch to a table-specific parser that returns a typed chunk. Chunks come back
//! in file and row-group order, so the result does not depend on the thread count.
//! Schema problems (missing column, wrong type, unreadable file) are found from the
//! footers before any data is decoded.
//!
//! A hostile or damaged file must cost a problem, never the run: each row group's page
//! headers are checked against the limits of `guard` before decoding (and the batch size
//! chosen to keep memory bounded), strings are decoded as views into the pages, and a
//! panic inside the parquet crate is caught here and reported against the file.

use std::collections::HashMap;
use std::fs::File;
use std::sync::Arc;

use arrow::array::{ArrayRef, DictionaryArray, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Int32Type, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use rayon::prelude::*;

use super::column;
use super::files::TableFile;
use super::guard;
use super::problem::{Problem, Problems, Rule, Severity};
use crate::schema::Table;

/// One row group's parsed chunks and row count, or the (boxed: it is large) problem
/// that stopped it.
type RowGroupResult<T> = Result<(Vec<T>, u64), Box<Problem>>;

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
    /// File size in bytes.
    len: u64,
    /// Root column indices to decode.
    roots: Vec<usize>,
    /// Leaf columns under those roots (index, dotted path), whose pages are checked.
    leaves: Vec<(usize, String)>,
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

/// Run `f`, turning a panic inside the parquet crate into an error message: a damaged file
/// must become a problem naming the file, not abort the run.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        format!("the Parquet reader failed: {what}")
    })
}

/// Read and check a file's footer: readable, row counts plausible for its size, string
/// columns decoded as views (so dictionary values are shared, not copied per row).
/// Returns the reader metadata, the file size and the schema as written (for messages).
fn open_footer(f: &TableFile) -> Result<(ArrowReaderMetadata, u64, SchemaRef), (Rule, String)> {
    let unreadable = |e: String| (Rule::UnreadableFile, e);
    let handle = File::open(&f.path).map_err(|e| unreadable(e.to_string()))?;
    let len = handle
        .metadata()
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    let meta = guarded(|| ArrowReaderMetadata::load(&handle, ArrowReaderOptions::new()))
        .map_err(unreadable)?
        .map_err(|e| unreadable(e.to_string()))?;
    guard::check_row_counts(meta.metadata(), len).map_err(|e| (Rule::TooLarge, e))?;
    let schema = Arc::clone(meta.schema());
    if !schema
        .fields()
        .iter()
        .any(|fl| matches!(fl.data_type(), DataType::Utf8 | DataType::LargeUtf8))
    {
        return Ok((meta, len, schema));
    }
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|fl| match fl.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 => {
                fl.as_ref().clone().with_data_type(DataType::Utf8View)
            }
            _ => fl.as_ref().clone(),
        })
        .collect();
    let hinted = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    let parquet = Arc::clone(meta.metadata());
    let meta = guarded(|| {
        ArrowReaderMetadata::try_new(parquet, ArrowReaderOptions::new().with_schema(hinted))
    })
    .map_err(unreadable)?
    .map_err(|e| unreadable(e.to_string()))?;
    Ok((meta, len, schema))
}

/// The columns of `table`'s files beyond the contract that can be read as baseline
/// covariates (numbers, booleans, strings), in the first file's order. A column of
/// another type, or one that is not in every file with the same kind, is not read; a
/// warning says why (the propensity model then reports it as unknown if the model names
/// it). Unreadable footers are left to [`scan`], which reports them.
pub fn extra_columns(
    table: &Table,
    files: &[TableFile],
    problems: &mut Problems,
) -> Vec<(String, crate::ingest::ExtraKind)> {
    let mut found: Vec<(String, Option<crate::ingest::ExtraKind>, usize)> = Vec::new();
    let mut readable = 0;
    for f in files {
        let Ok((_, _, schema)) = open_footer(f) else {
            continue;
        };
        readable += 1;
        for fl in schema.fields() {
            if table.column(fl.name()).is_some() {
                continue;
            }
            let kind = column::extra_kind(fl.data_type());
            match found.iter_mut().find(|(n, _, _)| n == fl.name()) {
                Some(entry) => {
                    if entry.1 != kind {
                        entry.1 = None;
                    }
                    entry.2 += 1;
                }
                None => found.push((fl.name().clone(), kind, 1)),
            }
            if kind.is_none() {
                problems.push(problem(
                    Severity::Warning,
                    Rule::UnknownColumn,
                    table,
                    f,
                    format!(
                        "column {} has type {} and cannot be a baseline covariate; it is ignored",
                        fl.name(),
                        fl.data_type()
                    ),
                    "write covariates as numbers, booleans or strings",
                ));
            }
        }
    }
    let read: Vec<(String, crate::ingest::ExtraKind)> = found
        .into_iter()
        .filter_map(|(name, kind, n)| {
            if n < readable {
                problems.push(Problem::new(
                    Severity::Warning,
                    Rule::UnknownColumn,
                    table.name,
                    format!("column {name} is in {n} of the table's {readable} files; it is not read as a baseline covariate"),
                    "write the column in every file of the table, or in none",
                ).column(name.clone()));
                return None;
            }
            kind.map(|k| (name, k))
        })
        .collect();
    if !read.is_empty() {
        let names: Vec<&str> = read.iter().map(|(n, _)| n.as_str()).collect();
        problems.push(Problem::new(
            Severity::Warning,
            Rule::UnknownColumn,
            table.name,
            format!(
                "columns not in the contract are read as candidate baseline covariates, used only if [study.adjustment] covariates names them: {}",
                names.join(", ")
            ),
            "",
        ));
    }
    read
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
    // Columns of a wrong type, and the first file where each column's type was right:
    // a folder whose files disagree is reported as such, naming a file that is right.
    let mut wrong: Vec<(&TableFile, &str, DataType, crate::schema::Kind)> = Vec::new();
    let mut good: HashMap<&str, (&TableFile, DataType)> = HashMap::new();
    for f in files {
        let meta = open_footer(f);
        let meta = match meta {
            Ok(m) => m,
            Err((rule, e)) => {
                let fix = if rule == Rule::TooLarge {
                    "the file is damaged or was crafted: re-export the table"
                } else {
                    "re-export the table as Parquet; an empty, truncated or renamed CSV file cannot be read"
                };
                let msg = if rule == Rule::TooLarge {
                    e
                } else {
                    format!("not a readable Parquet file ({e})")
                };
                problems.push(problem(Severity::Fatal, rule, table, f, msg, fix));
                ok = false;
                continue;
            }
        };
        let (meta, len, schema) = meta;
        let mut roots = Vec::new();
        let mut from_partitions = Vec::new();
        for name in wanted {
            let spec = table.column(name);
            match schema.index_of(name) {
                Ok(idx) => {
                    let dt = schema.field(idx).data_type();
                    if let Some(spec) = spec {
                        if !column::type_ok(spec.kind, dt) {
                            wrong.push((f, *name, dt.clone(), spec.kind));
                            ok = false;
                            continue;
                        }
                        good.entry(*name).or_insert((f, dt.clone()));
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
                                "add the column (see docs/data.md); names are lower snake case",
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
        // `families`' extra columns are reported by [`extra_columns`] (read as
        // covariates, or ignored with their type).
        if !unknown.is_empty() && table.name != crate::schema::FAMILIES.name {
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
        let sd = meta.parquet_schema();
        let leaves = (0..sd.num_columns())
            .filter(|&l| roots.contains(&sd.get_column_root_idx(l)))
            .map(|l| (l, sd.column(l).path().string()))
            .collect();
        out.push(OpenFile {
            file: f,
            meta,
            len,
            roots,
            leaves,
            from_partitions,
        });
    }
    for (f, name, dt, kind) in wrong {
        let expected = column::accepted_types(kind);
        let p = match good.get(name) {
            Some((other, odt)) => problem(
                Severity::Fatal,
                Rule::MixedSchemas,
                table,
                f,
                format!(
                    "has type {dt} but {odt} in {}; expected {expected}",
                    other.display
                ),
                "write every file of the table with the same column types (those of docs/data.md)",
            ),
            None => problem(
                Severity::Fatal,
                Rule::WrongType,
                table,
                f,
                format!("has type {dt}, expected {expected}"),
                "write the column with the type given in docs/data.md",
            ),
        };
        problems.push(p.column(name));
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
            let group = of.meta.metadata().row_group(rg);
            let chunks: Vec<(String, u64, u64)> = of
                .leaves
                .iter()
                .map(|(leaf, name)| {
                    let (start, len) = guard::chunk_range(group.column(*leaf))
                        .map_err(|m| fail(format!("column {name}: {m}")))?;
                    Ok((name.clone(), start, len))
                })
                .collect::<Result<_, Box<Problem>>>()?;
            let batch_rows = guard::plan_row_group(&handle, of.len, &chunks).map_err(|r| match r {
                guard::Refusal::Damaged(m) => fail(m),
                guard::Refusal::TooLarge(m) => Box::new(problem(
                    Severity::Fatal,
                    Rule::TooLarge,
                    table,
                    of.file,
                    format!("row group {rg}: {m}"),
                    "the file claims more than can be read safely: it is damaged or crafted; re-export it (ordinary writers keep pages near 1 MB)",
                )),
            })?;
            let mask = ProjectionMask::roots(of.meta.parquet_schema(), of.roots.iter().copied());
            let mut reader = guarded(|| {
                ParquetRecordBatchReaderBuilder::new_with_metadata(handle, of.meta.clone())
                    .with_row_groups(vec![rg])
                    .with_projection(mask)
                    .with_batch_size(batch_rows)
                    .build()
            })
            .map_err(&fail)?
            .map_err(|e| fail(e.to_string()))?;
            let mut out = Vec::new();
            let mut row = first;
            while let Some(batch) = guarded(|| reader.next()).map_err(&fail)? {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_its_cause() {
        assert_eq!(guarded(|| 7), Ok(7));
        assert_eq!(
            guarded(|| -> u8 { panic!("index out of bounds") }),
            Err("the Parquet reader failed: index out of bounds".to_string())
        );
        let n = 3;
        assert_eq!(
            guarded(|| -> u8 { panic!("bad page {n}") }),
            Err("the Parquet reader failed: bad page 3".to_string())
        );
    }
}
