//! No number that is not a number: every output is checked for NaN and infinity before
//! it is written.
//!
//! JSON has no NaN or infinity (`serde_json` writes them as `null`, which reads back as a
//! missing value), and a NaN in a table or a chart is a figure that silently means
//! nothing. [`check`] walks any [`serde::Serialize`] value and returns the first field
//! holding a non-finite number, named by its path (`monte_carlo.npv_mean`,
//! `outcomes[2].pv`, `rows[14].share`), so a writer can refuse it with an error that says
//! which figure and why, instead of writing `null` or `NaN`.

use std::fmt;

use serde::ser::{self, Serialize};

/// A non-finite number found in an output, with the path of its field.
#[derive(Debug, Clone, PartialEq)]
pub struct NonFinite {
    /// Path of the field: keys joined by `.`, sequence positions as `[i]`.
    pub field: String,
    /// The value (NaN, +inf or -inf).
    pub value: f64,
}

impl NonFinite {
    /// What the value is, in words.
    pub fn what(&self) -> &'static str {
        if self.value.is_nan() {
            "NaN (not a number)"
        } else if self.value > 0.0 {
            "+infinity"
        } else {
            "-infinity"
        }
    }
}

impl fmt::Display for NonFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = if self.field.is_empty() {
            "(the value itself)"
        } else {
            &self.field
        };
        write!(
            f,
            "field `{field}` is {}: a figure overflowed or was computed from no data",
            self.what()
        )
    }
}

/// The first non-finite number in `value`, if any.
///
/// # Errors
/// [`NonFinite`] naming the field.
pub fn check<T: Serialize + ?Sized>(value: &T) -> Result<(), NonFinite> {
    check_allowing(value, &[])
}

/// As [`check`], but a NaN is let through in the fields of `undefined`: those an output
/// documents as `null` when the figure is undefined (a share of a total of 0, the ratio's
/// quantiles when no draw has one). Patterns are field paths with `[]` for any position,
/// e.g. `by_stakeholder[].share`; `*` lets a NaN through anywhere (tables, where a null
/// cell is an undefined figure). An infinity is refused everywhere.
///
/// # Errors
/// [`NonFinite`] naming the field.
pub fn check_allowing<T: Serialize + ?Sized>(
    value: &T,
    undefined: &[&str],
) -> Result<(), NonFinite> {
    let mut w = Walker {
        path: Vec::new(),
        undefined,
    };
    match value.serialize(&mut w) {
        Ok(()) => Ok(()),
        Err(Stop::Found(n)) => Err(n),
        // A value that cannot be serialised at all is the writer's own error to report.
        Err(Stop::Other(_)) => Ok(()),
    }
}

/// Whether every number in `values` is finite; the first that is not, with its position
/// under `field`.
///
/// # Errors
/// [`NonFinite`] naming `field[i]`.
pub fn check_column(field: &str, values: &[f64]) -> Result<(), NonFinite> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(NonFinite {
            field: format!("{field}[{i}]"),
            value: values[i],
        }),
    }
}

#[derive(Debug)]
enum Stop {
    Found(NonFinite),
    Other(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Found(n) => n.fmt(f),
            Stop::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop::Other(msg.to_string())
    }
}

enum Seg {
    Key(String),
    Index(usize),
}

struct Walker<'u> {
    path: Vec<Seg>,
    undefined: &'u [&'u str],
}

impl Walker<'_> {
    /// The current path with every position as `[]`.
    fn pattern(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Seg::Index(_) => s.push_str("[]"),
            }
        }
        s
    }

    fn path(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    fn float(&mut self, v: f64) -> Result<(), Stop> {
        let undefined = v.is_nan()
            && (self.undefined.contains(&"*") || self.undefined.contains(&self.pattern().as_str()));
        if v.is_finite() || undefined {
            Ok(())
        } else {
            Err(Stop::Found(NonFinite {
                field: self.path(),
                value: v,
            }))
        }
    }

    fn at<T: Serialize + ?Sized>(&mut self, seg: Seg, value: &T) -> Result<(), Stop> {
        self.path.push(seg);
        let r = value.serialize(&mut *self);
        self.path.pop();
        r
    }
}

/// Sequences and maps: counts positions; a map's key is remembered as text.
struct Compound<'a, 'u> {
    w: &'a mut Walker<'u>,
    index: usize,
    key: Option<String>,
}

macro_rules! ok {
    ($($name:ident($t:ty)),*) => {
        $(fn $name(self, _v: $t) -> Result<(), Stop> { Ok(()) })*
    };
}

impl<'a, 'u> ser::Serializer for &'a mut Walker<'u> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Compound<'a, 'u>;
    type SerializeTuple = Compound<'a, 'u>;
    type SerializeTupleStruct = Compound<'a, 'u>;
    type SerializeTupleVariant = Compound<'a, 'u>;
    type SerializeMap = Compound<'a, 'u>;
    type SerializeStruct = Compound<'a, 'u>;
    type SerializeStructVariant = Compound<'a, 'u>;

    ok!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8])
    );

    fn serialize_f32(self, v: f32) -> Result<(), Stop> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Stop> {
        self.float(v)
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.at(Seg::Key(variant.to_string()), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, 'u>, Stop> {
        Ok(Compound {
            w: self,
            index: 0,
            key: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'u>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, 'u>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'u>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, 'u>, Stop> {
        self.serialize_seq(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a, 'u>, Stop> {
        self.serialize_seq(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'u>, Stop> {
        self.serialize_seq(None)
    }
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let i = self.index;
        self.index += 1;
        self.w.at(Seg::Index(i), value)
    }
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Stop> {
        self.w.at(Seg::Key(key.to_string()), value)
    }
}

/// A map key as text (numbers and strings; anything else is `?`).
fn key_text<T: Serialize + ?Sized>(key: &T) -> String {
    serde_json::to_value(key)
        .ok()
        .map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
        .unwrap_or_else(|| "?".into())
}

macro_rules! seq_impl {
    ($($tr:ident :: $m:ident),*) => {
        $(impl ser::$tr for Compound<'_, '_> {
            type Ok = ();
            type Error = Stop;
            fn $m<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
                self.element(value)
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        })*
    };
}
seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.key = Some(key_text(key));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let key = self.key.take().unwrap_or_else(|| "?".into());
        self.field(&key, value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

macro_rules! struct_impl {
    ($($tr:ident),*) => {
        $(impl ser::$tr for Compound<'_, '_> {
            type Ok = ();
            type Error = Stop;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Stop> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        })*
    };
}
struct_impl!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Mc {
        npv_mean: f64,
        evpi: Option<f64>,
    }

    #[derive(serde::Serialize)]
    struct Summary {
        ratio: f64,
        monte_carlo: Mc,
        outcomes: Vec<(String, f64)>,
        by: BTreeMap<String, f32>,
    }

    fn summary() -> Summary {
        Summary {
            ratio: 3.7,
            monte_carlo: Mc {
                npv_mean: 1.0,
                evpi: None,
            },
            outcomes: vec![("a".into(), 1.0), ("b".into(), 2.0)],
            by: BTreeMap::from([("x".to_string(), 1.0)]),
        }
    }

    #[test]
    fn finite_values_pass_and_the_first_non_finite_is_named_by_its_path() {
        assert_eq!(check(&summary()), Ok(()));
        let mut s = summary();
        s.monte_carlo.evpi = Some(f64::NAN);
        let e = check(&s).unwrap_err();
        assert_eq!(e.field, "monte_carlo.evpi");
        assert_eq!(
            e.to_string(),
            "field `monte_carlo.evpi` is NaN (not a number): a figure overflowed or was computed from no data"
        );
        let mut s = summary();
        s.outcomes[1].1 = f64::INFINITY;
        assert_eq!(check(&s).unwrap_err().field, "outcomes[1][1]");
        let mut s = summary();
        s.by.insert("y".into(), f32::NEG_INFINITY);
        let e = check(&s).unwrap_err();
        assert_eq!((e.field.as_str(), e.what()), ("by.y", "-infinity"));
        assert_eq!(check(&f64::NAN).unwrap_err().field, "");
        // A documented undefined figure may be NaN (written as null), never infinite.
        let mut s = summary();
        s.outcomes[0].1 = f64::NAN;
        assert_eq!(check_allowing(&s, &["outcomes[][]"]), Ok(()));
        s.outcomes[0].1 = f64::INFINITY;
        assert!(check_allowing(&s, &["outcomes[][]"]).is_err());
        assert_eq!(
            check_column("npv", &[1.0, f64::NAN]).unwrap_err().field,
            "npv[1]"
        );
    }
}
