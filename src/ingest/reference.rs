//! Reference tables (care costs, exchange rates, price indices) and money in real terms.
//!
//! Every amount is converted to the reporting currency at the exchange rate of its year
//! and brought to `price_year` with its country's price index (method.md section 1):
//! `real = amount / rate(currency, year) * index(country, price_year) / index(country, year)`.
//! A missing rate or index is an error naming the currency or country and year; it is
//! never silently taken as 1. Amounts already in the reporting currency need no rate.

use std::collections::{BTreeMap, HashMap};

use super::parse::Chunk;
use super::problem::Rule;
use super::rows::{self, set_aside, Reject, Rejects};
use super::scan::Batch;
use super::tables::CareCost;
use crate::schema;

/// Exchange rates and price indices, keyed for lookup.
#[derive(Debug, Clone, Default)]
pub struct Money {
    pub reporting_currency: String,
    pub price_year: i32,
    /// (currency, year) -> units of currency per one reporting unit.
    pub rates: HashMap<(String, i32), f64>,
    /// (country, year) -> consumer price index.
    pub index: HashMap<(String, i32), f64>,
}

/// What is missing to convert an amount.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Missing {
    Rate { currency: String, year: i32 },
    Index { country: String, year: i32 },
}

/// The rate and the two price indices that bring one (currency, year, country) to real
/// terms; a dataset has a few dozen of these for millions of amounts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Terms {
    pub rate: f64,
    pub index_now: f64,
    pub index_then: f64,
}

impl Terms {
    /// `amount` in the reporting currency at `price_year` prices.
    pub fn real(&self, amount: f64) -> f64 {
        amount / self.rate * self.index_now / self.index_then
    }
}

/// Real-terms conversion of one table's amounts: the rate and indices are looked up once
/// per (currency code, country code, year) of the table, not once per row, and every
/// amount that cannot be converted is counted by what is missing.
pub(crate) struct Converter<'a> {
    money: &'a Money,
    terms: HashMap<(u32, u32, i32), Result<Terms, Missing>>,
    /// Amounts that could not be converted, by what is missing.
    pub missing: BTreeMap<Missing, u64>,
}

impl<'a> Converter<'a> {
    pub fn new(money: &'a Money) -> Self {
        Converter {
            money,
            terms: HashMap::new(),
            missing: BTreeMap::new(),
        }
    }

    /// `amount` in real terms (NaN, counted, when a rate or index is missing). The codes
    /// identify `currency` and `country` within the table.
    pub fn real(
        &mut self,
        amount: f64,
        (currency, currency_code): (&str, u32),
        year: i32,
        (country, country_code): (&str, u32),
    ) -> f64 {
        let t = self
            .terms
            .entry((currency_code, country_code, year))
            .or_insert_with(|| self.money.terms(currency, year, country));
        match t {
            Ok(t) => t.real(amount),
            Err(m) => {
                *self.missing.entry(m.clone()).or_insert(0) += 1;
                f64::NAN
            }
        }
    }
}

impl Money {
    /// `amount` of `currency`, dated in `year`, spent or earned in `country`, in the reporting
    /// currency at `price_year` prices.
    ///
    /// # Errors
    /// The rate or index that is missing.
    pub fn real(
        &self,
        amount: f64,
        currency: &str,
        year: i32,
        country: &str,
    ) -> Result<f64, Missing> {
        Ok(self.terms(currency, year, country)?.real(amount))
    }

    /// The conversion terms of amounts of `currency` dated in `year` in `country`.
    ///
    /// # Errors
    /// The rate or index that is missing.
    pub(crate) fn terms(&self, currency: &str, year: i32, country: &str) -> Result<Terms, Missing> {
        let rate = if currency == self.reporting_currency {
            self.rates
                .get(&(currency.to_string(), year))
                .copied()
                .unwrap_or(1.0)
        } else {
            *self
                .rates
                .get(&(currency.to_string(), year))
                .ok_or_else(|| Missing::Rate {
                    currency: currency.to_string(),
                    year,
                })?
        };
        let index = |year: i32| {
            self.index
                .get(&(country.to_string(), year))
                .copied()
                .ok_or_else(|| Missing::Index {
                    country: country.to_string(),
                    year,
                })
        };
        Ok(Terms {
            rate,
            index_now: index(self.price_year)?,
            index_then: index(year)?,
        })
    }
}

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

pub fn exchange_rates(b: &Batch) -> Chunk<Vec<((String, i32), f64)>> {
    let cur = rows::strings(b, "currency");
    let year = rows::ints(b, "year");
    let rate = rows::floats(b, "per_reporting_unit");
    let mut out = Vec::new();
    let mut rej = Rejects::default();
    for i in 0..b.len() {
        let row = (|| -> Result<((String, i32), f64), Reject> {
            let c = rows::need_code(&cur, i, "currency", 3, "ISO 4217 currency")?;
            Ok((
                (c.to_string(), year_of(year[i])?),
                positive(rate[i], "per_reporting_unit")?,
            ))
        })();
        match row {
            Ok(r) => out.push(r),
            Err(r) => set_aside(&mut rej, "exchange_rates", b, i, None, r),
        }
    }
    Chunk {
        rows: out,
        vocab: Vec::new(),
        rejects: rej,
    }
}

pub fn price_index(b: &Batch) -> Chunk<Vec<((String, i32), f64)>> {
    let country = rows::strings(b, "country");
    let year = rows::ints(b, "year");
    let index = rows::floats(b, "index");
    let mut out = Vec::new();
    let mut rej = Rejects::default();
    for i in 0..b.len() {
        let row = (|| -> Result<((String, i32), f64), Reject> {
            let c = rows::need_code(&country, i, "country", 2, "ISO 3166-1 alpha-2 country")?;
            Ok((
                (c.to_string(), year_of(year[i])?),
                positive(index[i], "index")?,
            ))
        })();
        match row {
            Ok(r) => out.push(r),
            Err(r) => set_aside(&mut rej, "price_index", b, i, None, r),
        }
    }
    Chunk {
        rows: out,
        vocab: Vec::new(),
        rejects: rej,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money() -> Money {
        let mut m = Money {
            reporting_currency: "EUR".into(),
            price_year: 2024,
            ..Default::default()
        };
        m.rates.insert(("ALL".into(), 2020), 125.0);
        m.index.insert(("AL".into(), 2020), 100.0);
        m.index.insert(("AL".into(), 2024), 120.0);
        m
    }

    #[test]
    fn converts_at_the_year_rate_then_reflates() {
        // 12,500 lek in 2020 = EUR 100 at 125 lek/EUR; prices rose 20 % to 2024: EUR 120.
        let v = money().real(12_500.0, "ALL", 2020, "AL").unwrap();
        assert!((v - 120.0).abs() < 1e-9);
        // Reporting currency needs no rate but still needs the index.
        assert!((money().real(100.0, "EUR", 2020, "AL").unwrap() - 120.0).abs() < 1e-9);
    }

    #[test]
    fn missing_rate_or_index_is_named() {
        assert_eq!(
            money().real(1.0, "ALL", 2019, "AL"),
            Err(Missing::Rate {
                currency: "ALL".into(),
                year: 2019
            })
        );
        assert_eq!(
            money().real(1.0, "ALL", 2020, "AM"),
            Err(Missing::Index {
                country: "AM".into(),
                year: 2024
            })
        );
    }

    #[test]
    fn converter_matches_money_real_and_counts_each_missing_row() {
        let m = money();
        let mut conv = Converter::new(&m);
        for amount in [12_500.0, 1.0, 3_333.3] {
            let got = conv.real(amount, ("ALL", 0), 2020, ("AL", 0));
            assert_eq!(got, m.real(amount, "ALL", 2020, "AL").unwrap());
        }
        // The memo is per (currency, country, year): another year is its own entry.
        assert!(conv.real(5.0, ("ALL", 0), 2019, ("AL", 0)).is_nan());
        assert!(conv.real(6.0, ("ALL", 0), 2019, ("AL", 0)).is_nan());
        assert!(conv.real(7.0, ("EUR", 1), 2020, ("AM", 1)).is_nan());
        let missing: Vec<_> = conv.missing.into_iter().collect();
        assert_eq!(
            missing,
            vec![
                (
                    Missing::Rate {
                        currency: "ALL".into(),
                        year: 2019
                    },
                    2
                ),
                (
                    Missing::Index {
                        country: "AM".into(),
                        year: 2024
                    },
                    1
                ),
            ]
        );
    }
}
