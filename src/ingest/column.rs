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
use arrow::datatypes::{DataType, Date32Type, Date64Type, Float64Type, Int64Type, TimeUnit};

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
        Kind::Date => {
            "a date (date32, date64, or a timestamp without a time zone, in UTC or at a fixed offset such as +01:00; named zones such as Europe/Tirane are not supported: convert to UTC or write date32)"
        }
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
        Kind::Date => match dt {
            DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, None) => true,
            DataType::Timestamp(_, Some(tz)) => zone_offset(tz).is_some(),
            _ => false,
        },
    }
}

/// The kind of an extra baseline column of this type, `None` for a type that cannot be
/// a covariate (dates, lists, binary).
pub fn extra_kind(dt: &DataType) -> Option<crate::ingest::ExtraKind> {
    use crate::ingest::ExtraKind;
    if type_ok(Kind::Bool, dt) {
        Some(ExtraKind::Flag)
    } else if type_ok(Kind::Float, dt) {
        Some(ExtraKind::Number)
    } else if type_ok(Kind::Text, dt) {
        Some(ExtraKind::Category)
    } else {
        None
    }
}

/// Seconds east of UTC of a timestamp column's time zone: UTC under its usual names or a
/// fixed offset (`+05:00`, `-0330`, `+01`). Named zones need a time-zone database the
/// engine does not carry, so they are refused rather than read as UTC, which would move
/// every midnight-local date one day back.
pub fn zone_offset(tz: &str) -> Option<i64> {
    let tz = tz.trim();
    if [
        "UTC", "Z", "GMT", "Etc/UTC", "Etc/GMT", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu",
    ]
    .iter()
    .any(|u| u.eq_ignore_ascii_case(tz))
    {
        return Some(0);
    }
    let sign = match tz.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = tz[1..].chars().filter(|c| *c != ':').collect();
    let colon_ok = match tz.len() {
        6 => tz.as_bytes()[3] == b':',
        5 | 3 => !tz.contains(':'),
        _ => false,
    };
    if !colon_ok || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i64 = digits.get(0..2)?.parse().ok()?;
    let m: i64 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
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

    /// The dictionary key of row `i`, for a dictionary column with a value there.
    pub fn dict_key(&self, i: usize) -> Option<u32> {
        match self {
            Strings::Plain(_) => None,
            Strings::Dict { keys, .. } => keys[i],
        }
    }

    /// Number of dictionary values (0 for a plain column).
    pub fn dict_len(&self) -> usize {
        match self {
            Strings::Plain(_) => 0,
            Strings::Dict { values, .. } => values.len(),
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

/// A day number from a count of seconds (or milliseconds, ...) since 1970, saturating at
/// the ends of the `Day` range so that absurd values fail the date checks instead of
/// wrapping to plausible ones.
fn day_of(value: i64, per_day: i64) -> Day {
    let d = value.div_euclid(per_day);
    Day::try_from(d).unwrap_or(if d < 0 { Day::MIN } else { Day::MAX })
}

/// Dates as day numbers; for timestamps the date part in the timestamp's own zone (UTC or
/// a fixed offset; a naive timestamp is taken as local time). `None` for a type or zone
/// that [`type_ok`] refuses.
pub fn days(array: &ArrayRef) -> Option<Vec<Option<Day>>> {
    match array.data_type() {
        DataType::Date32 => Some(array.as_primitive::<Date32Type>().iter().collect()),
        DataType::Date64 => Some(
            array
                .as_primitive::<Date64Type>()
                .iter()
                .map(|v| v.map(|ms| day_of(ms, 86_400_000)))
                .collect(),
        ),
        DataType::Timestamp(unit, tz) => {
            let offset = match tz {
                None => 0,
                Some(tz) => zone_offset(tz)?,
            };
            let per_second: i64 = match unit {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            };
            let raw = cast_to(array, &DataType::Int64)?;
            let raw = raw.as_primitive::<Int64Type>();
            Some(
                raw.iter()
                    .map(|v| {
                        v.map(|v| day_of(v.div_euclid(per_second).saturating_add(offset), 86_400))
                    })
                    .collect(),
            )
        }
        _ => None,
    }
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

    #[test]
    fn zoned_timestamps_take_the_local_date() {
        assert_eq!(zone_offset("UTC"), Some(0));
        assert_eq!(zone_offset("+05:00"), Some(18_000));
        assert_eq!(zone_offset("-0330"), Some(-12_600));
        assert_eq!(zone_offset("+01"), Some(3_600));
        assert_eq!(zone_offset("Europe/Tirane"), None);
        assert_eq!(zone_offset("+25:00"), None);
        assert_eq!(zone_offset("+5:000"), None);
        // 2021-03-01T22:00:00Z is already 2 March at +05:00, still 1 March in UTC.
        let t = 18_687 * 86_400 + 22 * 3_600;
        let at = |tz: &str| -> ArrayRef {
            Arc::new(TimestampSecondArray::from(vec![t]).with_timezone(tz))
        };
        assert_eq!(days(&at("+05:00")).unwrap(), vec![Some(18_688)]);
        assert_eq!(days(&at("UTC")).unwrap(), vec![Some(18_687)]);
        let named = at("Europe/Tirane");
        assert!(!type_ok(Kind::Date, named.data_type()));
        assert!(days(&named).is_none());
    }

    #[test]
    fn absurd_dates_saturate_instead_of_wrapping() {
        let d64: ArrayRef = Arc::new(Date64Array::from(vec![i64::MAX, i64::MIN, -1]));
        assert_eq!(
            days(&d64).unwrap(),
            vec![Some(Day::MAX), Some(Day::MIN), Some(-1)]
        );
        let ns: ArrayRef = Arc::new(arrow::array::TimestampNanosecondArray::from(vec![-1]));
        assert_eq!(days(&ns).unwrap(), vec![Some(-1)]);
    }
}
