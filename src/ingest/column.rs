//! Typed access to Arrow columns, whatever their physical encoding.
//!
//! The contract lets producers write ids as `utf8`, `large_utf8`, `utf8_view` or
//! dictionaries of those; integers of any width; `float32`, `float64` or decimals for
//! money; `date32`, `date64` or timestamps for dates. This module checks a column's type
//! once per batch against what the contract allows and then hands out values without
//! per-row allocation: strings as `&str` borrowed from the batch, dictionary columns
//! decoded once per dictionary value rather than once per row.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, StringArray};
use arrow::compute::kernels::cast;
use arrow::datatypes::{DataType, Date32Type, Float64Type, Int64Type};

use crate::dates::Day;
use crate::schema::Kind;

/// Human description of the Arrow types accepted for a contract kind, for error messages.
pub fn accepted_types(kind: Kind) -> &'static str {
    match kind {
        Kind::Id | Kind::Text | Kind::Enum(_) | Kind::OpenEnum(_) => {
            "a string (utf8, large_utf8, utf8_view or a dictionary of those)"
        }
        Kind::Bool => "boolean",
        Kind::Int => "an integer (int8..int64, uint8..uint32)",
        Kind::Float => "a number (float32, float64, integer or decimal)",
        Kind::Money => "a number (float64, float32, decimal or integer)",
        Kind::Date => "a date (date32, date64 or timestamp)",
    }
}

fn is_string(dt: &DataType) -> bool {
    match dt {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => matches!(
            v.as_ref(),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        ),
        _ => false,
    }
}

fn is_int(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
    )
}

/// Whether an Arrow type is acceptable for a contract kind.
pub fn type_ok(kind: Kind, dt: &DataType) -> bool {
    match kind {
        Kind::Id | Kind::Text | Kind::Enum(_) | Kind::OpenEnum(_) => is_string(dt),
        Kind::Bool => matches!(dt, DataType::Boolean),
        Kind::Int => is_int(dt),
        Kind::Float | Kind::Money => {
            is_int(dt)
                || matches!(
                    dt,
                    DataType::Float16
                        | DataType::Float32
                        | DataType::Float64
                        | DataType::Decimal32(_, _)
                        | DataType::Decimal64(_, _)
                        | DataType::Decimal128(_, _)
                        | DataType::Decimal256(_, _)
                )
        }
        Kind::Date => matches!(
            dt,
            DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _)
        ),
    }
}

/// A string column, borrowed from a batch.
pub enum Strings<'a> {
    Plain(StrArr<'a>),
    /// Dictionary: per-row key into `values` (`None` = null).
    Dict {
        keys: Vec<Option<u32>>,
        values: StringArray,
    },
}

/// The three non-dictionary string layouts.
pub enum StrArr<'a> {
    Utf8(&'a arrow::array::StringArray),
    Large(&'a arrow::array::LargeStringArray),
    View(&'a arrow::array::StringViewArray),
}

impl StrArr<'_> {
    fn get(&self, i: usize) -> Option<&str> {
        match self {
            StrArr::Utf8(a) => (!a.is_null(i)).then(|| a.value(i)),
            StrArr::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
            StrArr::View(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }
}

impl<'a> Strings<'a> {
    /// Wrap a column already checked with [`type_ok`].
    pub fn new(array: &'a ArrayRef) -> Option<Strings<'a>> {
        match array.data_type() {
            DataType::Utf8 => Some(Strings::Plain(StrArr::Utf8(array.as_string::<i32>()))),
            DataType::LargeUtf8 => Some(Strings::Plain(StrArr::Large(array.as_string::<i64>()))),
            DataType::Utf8View => Some(Strings::Plain(StrArr::View(array.as_string_view()))),
            DataType::Dictionary(_, _) => {
                let dict = array.as_any_dictionary_opt()?;
                let values = cast::cast(dict.values(), &DataType::Utf8).ok()?;
                let values = values.as_string::<i32>().clone();
                let normal = dict.normalized_keys();
                let keys = (0..array.len())
                    .map(|i| {
                        if array.is_null(i) || values.is_null(normal[i]) {
                            None
                        } else {
                            Some(normal[i] as u32)
                        }
                    })
                    .collect();
                Some(Strings::Dict { keys, values })
            }
            _ => None,
        }
    }

    /// The value of row `i`, `None` when null.
    pub fn get(&self, i: usize) -> Option<&str> {
        match self {
            Strings::Plain(a) => a.get(i),
            Strings::Dict { keys, values } => keys[i].map(|k| values.value(k as usize)),
        }
    }

    /// Codes of a closed enum per row: `Ok(Some(code))`, `Ok(None)` for null, `Err(())` for a
    /// value outside `allowed`. Dictionary columns are matched once per dictionary value.
    pub fn enum_codes(&self, allowed: &[&str], len: usize) -> Vec<EnumCode> {
        match self {
            Strings::Plain(a) => (0..len)
                .map(|i| match a.get(i) {
                    None => EnumCode::Null,
                    Some(s) => crate::schema::code_of(allowed, s)
                        .map_or(EnumCode::Unknown, EnumCode::Value),
                })
                .collect(),
            Strings::Dict { keys, values } => {
                let per_value: Vec<EnumCode> = (0..values.len())
                    .map(|k| {
                        crate::schema::code_of(allowed, values.value(k))
                            .map_or(EnumCode::Unknown, EnumCode::Value)
                    })
                    .collect();
                keys.iter()
                    .map(|k| k.map_or(EnumCode::Null, |k| per_value[k as usize]))
                    .collect()
            }
        }
    }
}

/// One row of a closed-enum column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumCode {
    Value(u8),
    Null,
    Unknown,
}

/// Cast a checked numeric/date column to a canonical primitive array.
fn cast_to(array: &ArrayRef, to: &DataType) -> Option<ArrayRef> {
    if array.data_type() == to {
        return Some(Arc::clone(array));
    }
    cast::cast(array, to).ok()
}

/// Integers widened to i64 (`None` = null).
pub fn ints(array: &ArrayRef) -> Option<Vec<Option<i64>>> {
    let a = cast_to(array, &DataType::Int64)?;
    let a = a.as_primitive::<Int64Type>();
    Some(a.iter().collect())
}

/// Numbers (floats, decimals, integers) as f64 (`None` = null).
pub fn floats(array: &ArrayRef) -> Option<Vec<Option<f64>>> {
    let a = cast_to(array, &DataType::Float64)?;
    let a = a.as_primitive::<Float64Type>();
    Some(a.iter().collect())
}

/// Dates as day numbers; for timestamps the date part (in the timestamp's own time zone
/// where it has one, as Arrow's cast kernel applies it).
pub fn days(array: &ArrayRef) -> Option<Vec<Option<Day>>> {
    let a = cast_to(array, &DataType::Date32)?;
    let a = a.as_primitive::<Date32Type>();
    Some(a.iter().collect())
}

/// Booleans (`None` = null).
pub fn bools(array: &ArrayRef) -> Option<Vec<Option<bool>>> {
    let a: &BooleanArray = array.as_boolean_opt()?;
    Some(a.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{
        Date64Array, Decimal128Array, DictionaryArray, Int8Array, TimestampSecondArray,
    };
    use arrow::datatypes::Int32Type;

    #[test]
    fn strings_plain_and_dictionary_agree() {
        let plain: ArrayRef = Arc::new(StringArray::from(vec![Some("high"), None, Some("bogus")]));
        let dict: ArrayRef = Arc::new(
            vec![Some("high"), None, Some("bogus")]
                .into_iter()
                .collect::<DictionaryArray<Int32Type>>(),
        );
        for a in [&plain, &dict] {
            let s = Strings::new(a).unwrap();
            assert_eq!(s.get(0), Some("high"));
            assert_eq!(s.get(1), None);
            let codes = s.enum_codes(crate::schema::RISK_LEVELS, 3);
            assert_eq!(
                codes,
                vec![EnumCode::Value(2), EnumCode::Null, EnumCode::Unknown]
            );
        }
    }

    #[test]
    fn numbers_widen() {
        let a: ArrayRef = Arc::new(Int8Array::from(vec![Some(3), None]));
        assert_eq!(ints(&a).unwrap(), vec![Some(3), None]);
        let d: ArrayRef = Arc::new(
            Decimal128Array::from(vec![Some(12345)])
                .with_precision_and_scale(10, 2)
                .unwrap(),
        );
        assert!(type_ok(Kind::Money, d.data_type()));
        assert_eq!(floats(&d).unwrap(), vec![Some(123.45)]);
    }

    #[test]
    fn dates_from_date64_and_timestamps() {
        let d64: ArrayRef = Arc::new(Date64Array::from(vec![86_400_000 * 3 + 5]));
        assert_eq!(days(&d64).unwrap(), vec![Some(3)]);
        let ts: ArrayRef = Arc::new(TimestampSecondArray::from(vec![86_400 * 10 + 3600]));
        assert_eq!(days(&ts).unwrap(), vec![Some(10)]);
        assert!(!type_ok(Kind::Date, &DataType::Utf8));
    }
}
