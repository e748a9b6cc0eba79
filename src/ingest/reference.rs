//! Reference tables: public care costs, exchange rates and price indices.
//!
//! They are small, keyed by country or currency and year, and feed the conversion of
//! every amount to real terms ([`super::money`]); a rate or index must be positive.

use super::parse::Chunk;
use super::problem::Rule;
use super::rows::{self, set_aside, Reject, Rejects};
use super::scan::Batch;
use super::tables::CareCost;
use crate::schema;

fn year_of(v: Option<i64>) -> Result<i32, Reject> {
    let y = v.ok_or_else(|| rows::null("year"))?;
    if !(1900..=2200).contains(&y) {
        return Err(Reject {
            rule: Rule::ImplausibleDate,
            column: "year",
            message: format!("year {y} is outside 1900..2200"),
            fix: "give the calendar year",
        });
    }
    Ok(y as i32)
}

fn positive(v: Option<f64>, column: &'static str) -> Result<f64, Reject> {
    let v = rows::need_amount(v, column)?;
    if v == 0.0 {
        return Err(Reject {
            rule: Rule::NegativeOrNonFinite,
            column,
            message: "is zero; a rate or index must be positive".into(),
            fix: "give the positive value",
        });
    }
    let (lo, hi) = super::plausible::RATE_RANGE;
    if !(lo..=hi).contains(&v) {
        return Err(Reject {
            rule: Rule::ImplausibleAmount,
            column,
            message: format!("{v:e} is outside the plausible range {lo:e}..{hi:e} of a rate or index; converting with it could overflow"),
            fix: "check the value and its unit (a rate is units of the currency per one reporting unit)",
        });
    }
    Ok(v)
}

pub fn care_costs(b: &Batch) -> Chunk<Vec<CareCost>> {
    let n = b.len();
    let country = rows::strings(b, "country");
    let ct_s = rows::strings(b, "care_type");
    let ct = ct_s.enum_codes(schema::CARE_TYPES, n);
    let year = rows::ints(b, "year");
    let cost = rows::floats(b, "cost_per_child_year");
    let cur = rows::strings(b, "currency");
    let mut out = Vec::new();
    let mut rej = Rejects::default();
    for i in 0..n {
        let row = (|| -> Result<CareCost, Reject> {
            Ok(CareCost {
                country: rows::need_code(&country, i, "country", 2, "ISO 3166-1 alpha-2 country")?
                    .to_string(),
                care_type: rows::need_enum(ct[i], "care_type", schema::CARE_TYPES, &ct_s, i)?,
                year: year_of(year[i])?,
                cost_per_child_year: rows::need_amount(cost[i], "cost_per_child_year")?,
                currency: rows::need_code(&cur, i, "currency", 3, "ISO 4217 currency")?.to_string(),
                cost_real: f64::NAN,
            })
        })();
        match row {
            Ok(r) => out.push(r),
            Err(r) => set_aside(&mut rej, "care_costs", b, i, None, r),
        }
    }
    Chunk {
        rows: out,
        vocab: Vec::new(),
        rejects: rej,
    }
}

/// Exchange rates: units of a currency per reporting unit, by (currency, year).
pub fn exchange_rates(b: &Batch) -> Chunk<Vec<((String, i32), f64)>> {
    keyed_values(
        b,
        "exchange_rates",
        ("currency", 3, "ISO 4217 currency"),
        "per_reporting_unit",
    )
}

/// Consumer price indices by (country, year).
pub fn price_index(b: &Batch) -> Chunk<Vec<((String, i32), f64)>> {
    keyed_values(
        b,
        "price_index",
        ("country", 2, "ISO 3166-1 alpha-2 country"),
        "index",
    )
}

/// Rows of a positive `value` keyed by a code column (name, length, what it holds) and
/// `year`: the shape of both money reference tables.
fn keyed_values(
    b: &Batch,
    table: &str,
    (key, len, what): (&'static str, usize, &'static str),
    value: &'static str,
) -> Chunk<Vec<((String, i32), f64)>> {
    let codes = rows::strings(b, key);
    let year = rows::ints(b, "year");
    let values = rows::floats(b, value);
    let mut out = Vec::new();
    let mut rej = Rejects::default();
    for i in 0..b.len() {
        let row = (|| -> Result<((String, i32), f64), Reject> {
            let c = rows::need_code(&codes, i, key, len, what)?;
            Ok((
                (c.to_string(), year_of(year[i])?),
                positive(values[i], value)?,
            ))
        })();
        match row {
            Ok(r) => out.push(r),
            Err(r) => set_aside(&mut rej, table, b, i, None, r),
        }
    }
    Chunk {
        rows: out,
        vocab: Vec::new(),
        rejects: rej,
    }
}
