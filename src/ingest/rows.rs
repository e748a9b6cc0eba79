//! Per-row checks shared by the table parsers.
//!
//! A parser decodes a batch's columns once, then walks the rows; the first rule a row
//! breaks sets it aside (one reason per row keeps read = kept + set aside exact), and
//! the problem is recorded with file, row, column and id.

use std::collections::BTreeMap;

use arrow::array::ArrayRef;

use super::column::{self, EnumCode, Strings};
use super::problem::{Problem, Problems, Rule, Severity};
use super::scan::Batch;
use crate::dates::{self, Day};

/// Earliest plausible date in case data; anything before is a data-entry error
/// (such as year 1 from an empty date field).
pub const EARLIEST_DAY: Day = -25_567; // 1900-01-01

/// Longest text value accepted (ids, codes, enum values, domain names). Pseudonymous ids
/// are short; a longer value is a pasted note or a broken export, and would bloat every
/// message and lookup it passes through.
pub const MAX_VALUE_BYTES: usize = 256;

/// Characters of an id shown in a problem.
const ID_SHOWN: usize = 60;

/// Rows set aside by one chunk.
#[derive(Debug, Default)]
pub struct Rejects {
    pub problems: Problems,
    pub by_rule: BTreeMap<Rule, u64>,
    /// Ids of the rows set aside (where the row had one), so that rows referring to them
    /// are set aside as `parent_set_aside` rather than as dangling.
    pub ids: Vec<String>,
}

impl Rejects {
    pub fn merge(&mut self, other: Rejects) {
        self.problems.extend(other.problems);
        self.ids.extend(other.ids);
        for (r, n) in other.by_rule {
            *self.by_rule.entry(r).or_insert(0) += n;
        }
    }
}

/// Why a row is set aside.
pub struct Reject {
    pub rule: Rule,
    pub column: &'static str,
    pub message: String,
    pub fix: &'static str,
}

/// Record one set-aside row.
pub fn set_aside(rej: &mut Rejects, table: &str, b: &Batch, i: usize, id: Option<&str>, r: Reject) {
    *rej.by_rule.entry(r.rule).or_insert(0) += 1;
    let mut p = Problem::new(Severity::SetAside, r.rule, table, r.message, r.fix)
        .file(b.file.display.clone())
        .row(b.row_no(i))
        .column(r.column);
    if let Some(id) = id {
        p = p.id(shorten(id));
        rej.ids.push(id.to_string());
    }
    rej.problems.push(p);
}

/// An id as shown in messages: at most [`ID_SHOWN`] characters.
pub fn shorten(id: &str) -> String {
    match id.char_indices().nth(ID_SHOWN) {
        Some((cut, _)) => format!("{}... ({} bytes)", &id[..cut], id.len()),
        None => id.to_string(),
    }
}

pub fn null(column: &'static str) -> Reject {
    Reject {
        rule: Rule::NullRequired,
        column,
        message: "is empty (null) but required".into(),
        fix: "fill it in or remove the row",
    }
}

/// Decoded string column (the schema check guarantees the type).
pub fn strings<'a>(b: &'a Batch, name: &str) -> Strings<'a> {
    b.col(name)
        .and_then(Strings::new)
        .unwrap_or_else(|| panic!("column {name} passed the schema check"))
}

fn get<'a>(b: &'a Batch, name: &str) -> &'a ArrayRef {
    b.col(name)
        .unwrap_or_else(|| panic!("column {name} passed the schema check"))
}

pub fn ints(b: &Batch, name: &str) -> Vec<Option<i64>> {
    column::ints(get(b, name)).unwrap_or_else(|| vec![None; b.len()])
}
pub fn floats(b: &Batch, name: &str) -> Vec<Option<f64>> {
    column::floats(get(b, name)).unwrap_or_else(|| vec![None; b.len()])
}
pub fn days(b: &Batch, name: &str) -> Vec<Option<Day>> {
    column::days(get(b, name)).unwrap_or_else(|| vec![None; b.len()])
}
/// Booleans; an optional column absent from a file arrives as an all-null string column.
pub fn bools(b: &Batch, name: &str) -> Vec<Option<bool>> {
    column::bools(get(b, name)).unwrap_or_else(|| vec![None; b.len()])
}

/// A required closed-enum value, or why the row is set aside.
pub fn need_enum(
    code: EnumCode,
    column: &'static str,
    allowed: &[&str],
    s: &Strings,
    i: usize,
) -> Result<u8, Reject> {
    match code {
        EnumCode::Value(c) => Ok(c),
        EnumCode::Null => Err(null(column)),
        EnumCode::Unknown => Err(unknown(column, allowed, s.get(i).unwrap_or(""))),
    }
}

/// An optional closed-enum value.
pub fn opt_enum(
    code: EnumCode,
    column: &'static str,
    allowed: &[&str],
    s: &Strings,
    i: usize,
) -> Result<Option<u8>, Reject> {
    match code {
        EnumCode::Value(c) => Ok(Some(c)),
        EnumCode::Null => Ok(None),
        EnumCode::Unknown => Err(unknown(column, allowed, s.get(i).unwrap_or(""))),
    }
}

pub fn unknown(column: &'static str, allowed: &[&str], value: &str) -> Reject {
    let shown: String = value.chars().take(40).collect();
    Reject {
        rule: Rule::UnknownEnum,
        column,
        message: format!("value {shown:?} is not one of: {}", allowed.join(", ")),
        fix: "use one of the values listed in docs/data.md (lower snake case)",
    }
}

/// A required date within [1900-01-01, data_cutoff].
pub fn need_date(d: Option<Day>, column: &'static str, cutoff: Day) -> Result<Day, Reject> {
    let d = d.ok_or_else(|| null(column))?;
    check_date(d, column, cutoff)
}

/// An optional date within [1900-01-01, data_cutoff].
pub fn opt_date(d: Option<Day>, column: &'static str, cutoff: Day) -> Result<Option<Day>, Reject> {
    d.map(|d| check_date(d, column, cutoff)).transpose()
}

fn check_date(d: Day, column: &'static str, cutoff: Day) -> Result<Day, Reject> {
    if d < EARLIEST_DAY {
        return Err(Reject {
            rule: Rule::ImplausibleDate,
            column,
            message: format!("date {} is before 1900", dates::format(d)),
            fix: "correct the date; an empty date must be null, not year 1",
        });
    }
    if d > cutoff {
        return Err(Reject {
            rule: Rule::DateAfterCutoff,
            column,
            message: format!("date {} is after data_cutoff {}", dates::format(d), dates::format(cutoff)),
            fix: "correct the date, or move data_cutoff in dataset.toml to the last day outcomes were observed",
        });
    }
    Ok(d)
}

/// A required amount that must be finite and not negative.
pub fn need_amount(v: Option<f64>, column: &'static str) -> Result<f64, Reject> {
    let v = v.ok_or_else(|| null(column))?;
    if !v.is_finite() || v < 0.0 {
        return Err(Reject {
            rule: Rule::NegativeOrNonFinite,
            column,
            message: format!("amount {v} is negative or not a finite number"),
            fix:
                "give the amount as a non-negative number; refunds belong in a separate adjustment",
        });
    }
    Ok(v)
}

/// A required string value.
pub fn need_str<'a>(s: &'a Strings, i: usize, column: &'static str) -> Result<&'a str, Reject> {
    match s.get(i) {
        Some(v) if v.len() > MAX_VALUE_BYTES => Err(Reject {
            rule: Rule::ValueTooLong,
            column,
            message: format!(
                "value of {} bytes is longer than the {MAX_VALUE_BYTES} allowed",
                v.len()
            ),
            fix: "ids and codes are short pseudonymous strings; check the export for a shifted or pasted column",
        }),
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(null(column)),
    }
}

/// An ISO code of `len` upper-case letters (country: 2, currency: 3).
pub fn need_code<'a>(
    s: &'a Strings,
    i: usize,
    column: &'static str,
    len: usize,
    what: &'static str,
) -> Result<&'a str, Reject> {
    let v = need_str(s, i, column)?;
    if v.len() != len || !v.bytes().all(|c| c.is_ascii_uppercase()) {
        let shown: String = v.chars().take(40).collect();
        return Err(Reject {
            rule: Rule::UnknownEnum,
            column,
            message: format!("{shown:?} is not an {what} code"),
            fix: if len == 2 {
                "use the ISO 3166-1 alpha-2 code, e.g. AL"
            } else {
                "use the ISO 4217 code, e.g. EUR"
            },
        });
    }
    Ok(v)
}
