//! Published tables as typed rows: one struct per table, written and read through serde.
//!
//! A row type is a struct of plain fields; its fields are the table's columns, in order.
//! The column types come from the field TYPES (serde gives no type for a `None`), traced
//! once by deserializing the struct from a tracer that answers every field with a dummy
//! value and notes what the field asked for:
//!
//! | field type                              | column                       |
//! | --------------------------------------- | ---------------------------- |
//! | `String`                                | `Utf8`, never null ([`Column::Text`]) |
//! | `Option<String>`, or `String` with `#[serde(default)]` | `Utf8`, nullable ([`Column::OptText`]) |
//! | any integer, optional or not            | `Int64`, nullable ([`Column::Int`]) |
//! | `f64`, `Option<f64>`                    | `Float64`, nullable ([`Column::Float`]) |
//! | `bool`                                  | `Boolean`, never null ([`Column::Bool`]) |
//!
//! A field is nullable when the struct can be built without it (an `Option`, or a
//! `#[serde(default)]` field, which is then usually `skip_serializing_if` its empty
//! value). Writing turns the rows into a [`Table`], so the CSV and Parquet bytes are those
//! of [`Table::to_csv`] and [`Table::to_parquet`]; a non-finite float is written as null.
//! Reading ([`read_rows`]) takes either file back to the rows, looking columns up by name
//! (order and extra columns do not matter); a null reads as `None` (or the field's
//! default), and as NaN in a plain `f64`.
//!
//! (The file runs past 700 lines because its tests, a quarter of it, sit beside the code;
//! the tracer, the deserializer and the writer are one contract and change together.)

use std::fs::File;
use std::path::Path;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, Float64Type, Int64Type};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde::de::value::{Error as DeError, MapDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::Serialize;
use serde_json::Value;

use super::csv::parse_csv;
use super::{Column, OutputError, Table};

/// A row type of a published table: its file stem is `TABLE` (`<TABLE>.csv`,
/// `<TABLE>.parquet`). The names live with the writer (the pipeline), so the stages that
/// compute the rows need not import this layer.
pub trait Published: Serialize + DeserializeOwned {
    const TABLE: &'static str;
}

/// What a column holds (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Text,
    /// A whole number; the bounds are those of the field's Rust type.
    Int {
        min: i128,
        max: i128,
    },
    Float,
    Bool,
}

/// One column of a row type.
#[derive(Debug, Clone, PartialEq)]
struct Field {
    name: &'static str,
    kind: Kind,
    /// The row can be built without it: a null is written and read as "absent".
    nullable: bool,
}

impl Field {
    fn data_type(&self) -> (DataType, bool) {
        match self.kind {
            Kind::Text => (DataType::Utf8, self.nullable),
            Kind::Int { .. } => (DataType::Int64, true),
            Kind::Float => (DataType::Float64, true),
            Kind::Bool => (DataType::Boolean, false),
        }
    }
}

/// The columns of row type `R`, in field order.
fn fields<R: DeserializeOwned>() -> Result<Vec<Field>, String> {
    let what = std::any::type_name::<R>();
    let mut trace = Trace::default();
    R::deserialize(TraceRow(&mut trace)).map_err(|e| format!("{what} is not a table row: {e}"))?;
    let mut fields = trace.fields;
    for (i, f) in fields.iter_mut().enumerate() {
        let mut without = Trace {
            omit: Some(i),
            ..Trace::default()
        };
        f.nullable = R::deserialize(TraceRow(&mut without)).is_ok();
        if f.nullable && f.kind == Kind::Bool {
            return Err(format!(
                "{what}.{}: an optional flag has no column type (flags are never null)",
                f.name
            ));
        }
    }
    Ok(fields)
}

/// The Arrow schema of the table of row type `R` (what [`write_rows`] writes).
///
/// # Errors
/// [`OutputError::Encode`] when `R` is not a struct of plain fields.
pub fn row_schema<R: DeserializeOwned>() -> Result<arrow::datatypes::Schema, OutputError> {
    let fields = fields::<R>().map_err(|m| OutputError::encode(Path::new("row type"), m))?;
    Ok(arrow::datatypes::Schema::new(
        fields
            .iter()
            .map(|f| {
                let (t, nullable) = f.data_type();
                arrow::datatypes::Field::new(f.name, t, nullable)
            })
            .collect::<Vec<_>>(),
    ))
}

/// `rows` as the table `name`: one column per field of `R`, in field order.
///
/// # Errors
/// [`OutputError::Encode`] when `R` is not a struct of plain fields, or a row serializes
/// a value that does not fit its column.
pub fn rows_to_table<R: Serialize + DeserializeOwned>(
    name: &str,
    rows: &[R],
) -> Result<Table, OutputError> {
    let fail = |m: String| OutputError::encode(Path::new(name), m);
    let fields = fields::<R>().map_err(fail)?;
    let values = rows
        .iter()
        .enumerate()
        .map(|(i, r)| match serde_json::to_value(r) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(fail(format!("row {}: not a struct", i + 1))),
            Err(e) => Err(fail(format!("row {}: {e}", i + 1))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut table = Table::new(name);
    for f in &fields {
        // A skipped field (`skip_serializing_if`), a `None` and a non-finite float
        // (serde_json has no NaN) are all null.
        let cells = |expected: &str, get: &dyn Fn(&Value) -> Option<Value>| {
            values
                .iter()
                .enumerate()
                .map(|(i, m)| match m.get(f.name).unwrap_or(&Value::Null) {
                    Value::Null => Ok(Value::Null),
                    v => get(v).ok_or_else(|| {
                        fail(format!(
                            "row {}: column {}: {v} is not {expected}",
                            i + 1,
                            f.name
                        ))
                    }),
                })
                .collect::<Result<Vec<Value>, _>>()
        };
        let never_null = |v: Vec<Value>| match v.iter().position(Value::is_null) {
            Some(i) => Err(fail(format!(
                "row {}: column {} is never empty",
                i + 1,
                f.name
            ))),
            None => Ok(v),
        };
        let column = match f.kind {
            Kind::Text => {
                let v = cells("text", &|v| v.is_string().then(|| v.clone()))?;
                let text = |v: Value| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                };
                if f.nullable {
                    Column::OptText(v.into_iter().map(text).collect())
                } else {
                    Column::Text(never_null(v)?.into_iter().filter_map(text).collect())
                }
            }
            // Beyond i64 (no count is): the largest Int64.
            Kind::Int { .. } => Column::Int(
                cells("a whole number", &|v| {
                    (v.is_i64() || v.is_u64()).then(|| v.clone())
                })?
                .iter()
                .map(|v| (!v.is_null()).then(|| v.as_i64().unwrap_or(i64::MAX)))
                .collect(),
            ),
            Kind::Float => Column::Float(
                cells("a number", &|v| v.is_number().then(|| v.clone()))?
                    .iter()
                    .map(Value::as_f64)
                    .collect(),
            ),
            Kind::Bool => Column::Bool(
                never_null(cells("true or false", &|v| {
                    v.is_boolean().then(|| v.clone())
                })?)?
                .iter()
                .filter_map(Value::as_bool)
                .collect(),
            ),
        };
        table = table.with(f.name, column);
    }
    Ok(table)
}

/// Write `rows` as `<dir>/<name>.csv` and/or `<dir>/<name>.parquet` (see
/// [`rows_to_table`], [`Table::write`]); returns the file names written.
///
/// # Errors
/// [`OutputError::Encode`] or [`OutputError::Io`] naming the file.
pub fn write_rows<R: Serialize + DeserializeOwned>(
    name: &str,
    rows: &[R],
    dir: &Path,
    csv: bool,
    parquet: bool,
) -> Result<Vec<String>, OutputError> {
    rows_to_table(name, rows)?.write(dir, csv, parquet)
}

/// One value read from a table file.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// Read the rows of a table written by [`write_rows`]: Parquet when `path` ends in
/// `.parquet`, CSV otherwise. Columns are found by name; extra columns are ignored.
///
/// # Errors
/// [`OutputError::Io`] when the file cannot be read; [`OutputError::Read`] naming the
/// file (and the column and row where they apply) when it is not a table, a column is
/// missing, or a value is not of the column's type or is empty where every row needs
/// one.
pub fn read_rows<R: DeserializeOwned>(path: &Path) -> Result<Vec<R>, OutputError> {
    let err = |column, row, problem| read_error(path, column, row, problem);
    let fields = fields::<R>().map_err(|m| err(None, None, m))?;
    let columns = if path.extension().is_some_and(|e| e == "parquet") {
        parquet_cells(path, &fields)?
    } else {
        csv_cells(path, &fields)?
    };
    let rows = columns.first().map_or(0, Vec::len);
    (0..rows)
        .map(|r| {
            let mut entries = Vec::with_capacity(fields.len());
            for (f, column) in fields.iter().zip(&columns) {
                match (&column[r], f.kind) {
                    // Absent: the field's `None` or default.
                    (Cell::Null, _) if f.nullable => {}
                    // A plain f64 was written as null because it was not finite.
                    (Cell::Null, Kind::Float) => entries.push((f.name, Cell::Float(f64::NAN))),
                    (Cell::Null, _) => {
                        return Err(err(
                            Some(f.name),
                            Some(r + 1),
                            "empty, but every row needs a value".into(),
                        ))
                    }
                    (cell, _) => entries.push((f.name, cell.clone())),
                }
            }
            R::deserialize(MapDeserializer::<_, DeError>::new(entries.into_iter()))
                .map_err(|e| err(None, Some(r + 1), e.to_string()))
        })
        .collect()
}

/// [`OutputError::Read`] of the file at `path`.
fn read_error(
    path: &Path,
    column: Option<&str>,
    row: Option<usize>,
    problem: String,
) -> OutputError {
    OutputError::Read {
        path: path.to_path_buf(),
        column: column.map(String::from),
        row,
        problem,
    }
}

/// A header position for every field; `None` for a nullable field whose column is
/// absent (a table of an older version, before the column existed: every row reads the
/// field's `None` or default).
fn positions(
    names: &[String],
    fields: &[Field],
    path: &Path,
) -> Result<Vec<Option<usize>>, OutputError> {
    let err = |column, row, problem| read_error(path, column, row, problem);
    fields
        .iter()
        .map(|f| match names.iter().position(|n| n == f.name) {
            Some(c) => Ok(Some(c)),
            None if f.nullable => Ok(None),
            None => Err(err(
                Some(f.name),
                None,
                format!("not in the table (columns: {})", names.join(", ")),
            )),
        })
        .collect()
}

/// The cells of every field, column by column, from a CSV file.
fn csv_cells(path: &Path, fields: &[Field]) -> Result<Vec<Vec<Cell>>, OutputError> {
    let err = |column, row, problem| read_error(path, column, row, problem);
    let text = std::fs::read_to_string(path).map_err(|e| OutputError::io(path, e))?;
    let (names, records) = parse_csv(&text).map_err(|m| err(None, None, m))?;
    let at = positions(&names, fields, path)?;
    fields
        .iter()
        .zip(at)
        .map(|(f, c)| {
            let Some(c) = c else {
                return Ok(vec![Cell::Null; records.len()]);
            };
            records
                .iter()
                .enumerate()
                .map(|(r, record)| {
                    let s = record.get(c).map_or("", String::as_str);
                    let bad =
                        |what: &str| err(Some(f.name), Some(r + 1), format!("{s:?} is not {what}"));
                    Ok(match f.kind {
                        Kind::Text if s.is_empty() && f.nullable => Cell::Null,
                        Kind::Text => Cell::Text(s.to_string()),
                        _ if s.is_empty() => Cell::Null,
                        Kind::Int { min, max } => {
                            let v: i64 = s.parse().map_err(|_| bad("a whole number"))?;
                            if !(min..=max).contains(&i128::from(v)) {
                                return Err(bad(&format!("a whole number from {min} to {max}")));
                            }
                            Cell::Int(v)
                        }
                        Kind::Float => Cell::Float(s.parse().map_err(|_| bad("a number"))?),
                        Kind::Bool => Cell::Bool(s.parse().map_err(|_| bad("true or false"))?),
                    })
                })
                .collect()
        })
        .collect()
}

/// The cells of every field, column by column, from a Parquet file. Any integer type
/// reads as a whole number, any integer or float type as a number.
fn parquet_cells(path: &Path, fields: &[Field]) -> Result<Vec<Vec<Cell>>, OutputError> {
    let err = |column, row, problem| read_error(path, column, row, problem);
    let file = File::open(path).map_err(|e| OutputError::io(path, e))?;
    let unreadable = |e: parquet::errors::ParquetError| {
        err(None, None, format!("not a readable Parquet file ({e})"))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(unreadable)?;
    let schema = builder.schema().clone();
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let at = positions(&names, fields, path)?;
    for (f, c) in fields.iter().zip(&at) {
        let Some(c) = *c else { continue };
        let t = schema.field(c).data_type();
        let fits = match f.kind {
            Kind::Text => matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View),
            Kind::Int { .. } => t.is_integer(),
            Kind::Float => t.is_integer() || t.is_floating(),
            Kind::Bool => t == &DataType::Boolean,
        };
        if !fits {
            let want = match f.kind {
                Kind::Text => "text",
                Kind::Int { .. } => "whole numbers",
                Kind::Float => "numbers",
                Kind::Bool => "true/false",
            };
            return Err(err(
                Some(f.name),
                None,
                format!("holds {t}, expected {want}"),
            ));
        }
    }
    let mut columns = vec![Vec::new(); fields.len()];
    let mut offset = 0;
    for batch in builder.build().map_err(unreadable)? {
        let batch =
            batch.map_err(|e| err(None, None, format!("cannot decode a row group ({e})")))?;
        for ((f, c), cells) in fields.iter().zip(&at).zip(&mut columns) {
            match *c {
                Some(c) => cells.extend(array_cells(batch.column(c), f, offset, path)?),
                None => cells.extend(std::iter::repeat_n(Cell::Null, batch.num_rows())),
            }
        }
        offset += batch.num_rows();
    }
    Ok(columns)
}

/// The cells of one Arrow array (rows `offset + 1 ..` of the file) as field `f` reads them.
fn array_cells(
    array: &ArrayRef,
    f: &Field,
    offset: usize,
    path: &Path,
) -> Result<Vec<Cell>, OutputError> {
    let err = |column, row, problem| read_error(path, column, row, problem);
    let cast = |to: &DataType| {
        arrow::compute::cast(array, to)
            .map_err(|e| err(Some(f.name), None, format!("cannot be read as {to} ({e})")))
    };
    let cells: Vec<Cell> = match f.kind {
        Kind::Text => {
            let a = cast(&DataType::Utf8)?;
            let a = a.as_string::<i32>();
            (0..a.len())
                .map(|i| match a.is_valid(i) {
                    true => Cell::Text(a.value(i).to_string()),
                    false => Cell::Null,
                })
                .collect()
        }
        Kind::Int { min, max } => {
            let a = cast(&DataType::Int64)?;
            let a = a.as_primitive::<Int64Type>();
            (0..a.len())
                .map(|i| {
                    if array.is_valid(i) && !a.is_valid(i) {
                        return Err(err(
                            Some(f.name),
                            Some(offset + i + 1),
                            "beyond the largest Int64".into(),
                        ));
                    }
                    if a.is_null(i) {
                        return Ok(Cell::Null);
                    }
                    let v = a.value(i);
                    if !(min..=max).contains(&i128::from(v)) {
                        return Err(err(
                            Some(f.name),
                            Some(offset + i + 1),
                            format!("{v} is not a whole number from {min} to {max}"),
                        ));
                    }
                    Ok(Cell::Int(v))
                })
                .collect::<Result<_, _>>()?
        }
        Kind::Float => {
            let a = cast(&DataType::Float64)?;
            let a = a.as_primitive::<Float64Type>();
            (0..a.len())
                .map(|i| match a.is_valid(i) {
                    true => Cell::Float(a.value(i)),
                    false => Cell::Null,
                })
                .collect()
        }
        Kind::Bool => {
            let a = array.as_boolean();
            (0..a.len())
                .map(|i| match a.is_valid(i) {
                    true => Cell::Bool(a.value(i)),
                    false => Cell::Null,
                })
                .collect()
        }
    };
    Ok(cells)
}

impl<'de> IntoDeserializer<'de, DeError> for Cell {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// A cell hands its value to the field asking for it (serde converts between integer
/// types, checking the range).
impl<'de> de::Deserializer<'de> for Cell {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            Cell::Null => visitor.visit_none(),
            Cell::Text(s) => visitor.visit_string(s),
            Cell::Int(v) => visitor.visit_i64(v),
            Cell::Float(v) => visitor.visit_f64(v),
            Cell::Bool(v) => visitor.visit_bool(v),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            Cell::Null => visitor.visit_none(),
            cell => visitor.visit_some(cell),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// What the tracer learnt: the fields in order; with `omit`, it leaves that field out
/// (to learn whether the row can be built without it).
#[derive(Default)]
struct Trace {
    omit: Option<usize>,
    fields: Vec<Field>,
}

/// Deserializes a row type from dummy values, noting each field's name and kind.
struct TraceRow<'a>(&'a mut Trace);

impl<'de> de::Deserializer<'de> for TraceRow<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(de::Error::custom(
            "a table row must be a struct of named fields",
        ))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_map(TraceFields {
            trace: self.0,
            names,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

struct TraceFields<'a> {
    trace: &'a mut Trace,
    names: &'static [&'static str],
    next: usize,
}

impl<'de> de::MapAccess<'de> for TraceFields<'_> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if self.trace.omit == Some(self.next) {
            self.next += 1;
        }
        let Some(&name) = self.names.get(self.next) else {
            return Ok(None);
        };
        let key: StrDeserializer<DeError> = name.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DeError> {
        let name = self.names[self.next];
        self.next += 1;
        let mut kind = None;
        let value = seed.deserialize(TraceValue(&mut kind))?;
        let kind =
            kind.ok_or_else(|| de::Error::custom(format!("field {name} has no column type")))?;
        if self.trace.omit.is_none() {
            self.trace.fields.push(Field {
                name,
                kind,
                nullable: false,
            });
        }
        Ok(value)
    }
}

/// Answers one field with a dummy value of the type it asks for.
struct TraceValue<'a>(&'a mut Option<Kind>);

macro_rules! trace_int {
    ($($method:ident: $ty:ty => $visit:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            *self.0 = Some(Kind::Int {
                min: i128::from(<$ty>::MIN),
                max: i128::from(<$ty>::MAX),
            });
            visitor.$visit(0)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for TraceValue<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(de::Error::custom(
            "a column must be text, a whole number, a number or a flag (or an Option of one)",
        ))
    }

    trace_int! {
        deserialize_i8: i8 => visit_i64,
        deserialize_i16: i16 => visit_i64,
        deserialize_i32: i32 => visit_i64,
        deserialize_i64: i64 => visit_i64,
        deserialize_u8: u8 => visit_u64,
        deserialize_u16: u16 => visit_u64,
        deserialize_u32: u32 => visit_u64,
        deserialize_u64: u64 => visit_u64,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        *self.0 = Some(Kind::Float);
        visitor.visit_f64(0.0)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        *self.0 = Some(Kind::Float);
        visitor.visit_f64(0.0)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        *self.0 = Some(Kind::Bool);
        visitor.visit_bool(false)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        *self.0 = Some(Kind::Text);
        visitor.visit_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Row {
        name: String,
        note: Option<String>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        tag: String,
        n: u64,
        small: Option<u32>,
        neg: i32,
        x: f64,
        y: Option<f64>,
        ok: bool,
    }

    fn row(name: &str, y: Option<f64>) -> Row {
        Row {
            name: name.into(),
            note: None,
            tag: String::new(),
            n: 7,
            small: None,
            neg: -3,
            x: 0.1,
            y,
            ok: false,
        }
    }

    fn rows() -> Vec<Row> {
        vec![
            Row {
                note: Some("few, \"see\"\nbelow".into()),
                tag: "t".into(),
                small: Some(u32::MAX),
                ok: true,
                ..row("country=A,B", Some(-2.5e-300))
            },
            row("", None),
            row("all", Some(f64::INFINITY)),
            Row {
                x: f64::NAN,
                ..row("nan", Some(f64::NAN))
            },
        ]
    }

    fn write_both(name: &str, rows: &[Row]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let files = write_rows(name, rows, d.path(), true, true).unwrap();
        assert_eq!(
            files,
            vec![format!("{name}.csv"), format!("{name}.parquet")]
        );
        d
    }

    #[test]
    fn csv_and_parquet_read_back_the_rows() {
        let d = write_both("t", &rows());
        // Non-finite floats are written as null: `None` in an Option, NaN in a plain f64.
        let mut expected = rows();
        expected[2].y = None;
        expected[3].y = None;
        for file in ["t.csv", "t.parquet"] {
            let mut back: Vec<Row> = read_rows(&d.path().join(file)).unwrap();
            assert!(back[3].x.is_nan(), "{file}");
            // NaN != NaN: compare the rest.
            back[3].x = 0.0;
            expected[3].x = 0.0;
            assert_eq!(back, expected, "{file}");
        }
        let csv = std::fs::read_to_string(d.path().join("t.csv")).unwrap();
        assert_eq!(
            csv.lines().take(3).collect::<Vec<_>>(),
            [
                "name,note,tag,n,small,neg,x,y,ok",
                "\"country=A,B\",\"few, \"\"see\"\"",
                "below\",t,7,4294967295,-3,0.1,-2.5e-300,true",
            ]
        );
        assert!(
            csv.ends_with("\n,,,7,,-3,0.1,,false\nall,,,7,,-3,0.1,,false\nnan,,,7,,-3,,,false\n")
        );
    }

    #[test]
    fn column_types_come_from_the_row_type_not_the_values() {
        let expected = [
            ("name", DataType::Utf8, false),
            ("note", DataType::Utf8, true),
            ("tag", DataType::Utf8, true),
            ("n", DataType::Int64, true),
            ("small", DataType::Int64, true),
            ("neg", DataType::Int64, true),
            ("x", DataType::Float64, true),
            ("y", DataType::Float64, true),
            ("ok", DataType::Boolean, false),
        ];
        let schema = row_schema::<Row>().unwrap();
        let got: Vec<_> = schema
            .fields()
            .iter()
            .map(|f| (f.name().as_str(), f.data_type().clone(), f.is_nullable()))
            .collect();
        assert_eq!(got, expected);
        // Every optional column all None (and no rows at all): the same Parquet types.
        for rows in [vec![row("a", None), row("b", None)], vec![]] {
            let d = write_both("none", &rows);
            let file = File::open(d.path().join("none.parquet")).unwrap();
            let written = ParquetRecordBatchReaderBuilder::try_new(file)
                .unwrap()
                .schema()
                .clone();
            assert_eq!(written.as_ref(), &schema);
            let back: Vec<Row> = read_rows(&d.path().join("none.parquet")).unwrap();
            assert_eq!(back, rows);
        }
    }

    #[test]
    fn errors_name_the_file_the_column_and_the_row() {
        let d = tempfile::tempdir().unwrap();
        let read = |name: &str, text: &str| {
            let p = d.path().join(name);
            std::fs::write(&p, text).unwrap();
            read_rows::<Row>(&p).unwrap_err().to_string()
        };
        let head = "name,note,tag,n,small,neg,x,y,ok\n";
        let e = read("missing.csv", "name,note,tag,small,neg,x,y,ok\n");
        assert!(
            e.ends_with("missing.csv: column `n`: not in the table (columns: name, note, tag, small, neg, x, y, ok)"),
            "{e}"
        );
        let e = read(
            "type.csv",
            &format!("{head}a,,,1,,0,0,,false\nb,,,1.5,,0,0,,false\n"),
        );
        assert!(
            e.ends_with("type.csv: column `n`: row 2: \"1.5\" is not a whole number"),
            "{e}"
        );
        let e = read("flag.csv", &format!("{head}a,,,1,,0,0,,maybe\n"));
        assert!(
            e.ends_with("flag.csv: column `ok`: row 1: \"maybe\" is not true or false"),
            "{e}"
        );
        let e = read("range.csv", &format!("{head}a,,,-1,,0,0,,false\n"));
        assert!(
            e.ends_with(
                "column `n`: row 1: \"-1\" is not a whole number from 0 to 18446744073709551615"
            ),
            "{e}"
        );
        let e = read(
            "empty.csv",
            &format!("{head}a,,,1,,0,0,,false\na,,,,,0,0,,false\n"),
        );
        assert!(
            e.ends_with("empty.csv: column `n`: row 2: empty, but every row needs a value"),
            "{e}"
        );
        let e = read("bad.parquet", "not parquet");
        assert!(
            e.contains("bad.parquet: not a readable Parquet file"),
            "{e}"
        );

        // Parquet: a column of the wrong type, and a value out of the field's range.
        let table = |n: Column, neg: Column| {
            Table::new("t")
                .text("name", ["a", "b"])
                .opt_text("note", [None, None])
                .opt_text("tag", [None, None])
                .with("n", n)
                .int("small", [None, None])
                .with("neg", neg)
                .float("x", [Some(0.0), Some(0.0)])
                .float("y", [None, None])
                .boolean("ok", [true, false])
        };
        let ints = |v: [i64; 2]| Column::Int(v.map(Some).to_vec());
        table(Column::Text(vec!["1".into(), "2".into()]), ints([0, 0]))
            .write(d.path(), false, true)
            .unwrap();
        let e = read_rows::<Row>(&d.path().join("t.parquet"))
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("t.parquet: column `n`: holds Utf8, expected whole numbers"),
            "{e}"
        );
        table(ints([1, 2]), ints([0, 1 << 40]))
            .write(d.path(), false, true)
            .unwrap();
        let e = read_rows::<Row>(&d.path().join("t.parquet"))
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("t.parquet: column `neg`: row 2: 1099511627776 is not a whole number from -2147483648 to 2147483647"),
            "{e}"
        );
    }

    #[test]
    fn a_row_type_must_be_a_struct_of_plain_fields() {
        #[derive(Serialize, Deserialize)]
        struct Nested {
            v: Vec<u32>,
        }
        let e = rows_to_table::<Nested>("n", &[]).unwrap_err().to_string();
        assert!(e.contains("is not a table row"), "{e}");
        #[derive(Serialize, Deserialize)]
        struct MaybeFlag {
            f: Option<bool>,
        }
        let e = rows_to_table::<MaybeFlag>("m", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("an optional flag has no column type"), "{e}");
    }
}
