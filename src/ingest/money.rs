//! Money in real terms: every amount in the reporting currency at `price_year` prices.
//!
//! Every amount is converted to the reporting currency at the exchange rate of its year
//! and brought to `price_year` with its country's price index (docs/method.md section 1):
//! `real = amount / rate(currency, year) * index(country, price_year) / index(country, year)`.
//! A missing rate or index is an error naming the currency or country and year; it is
//! never silently taken as 1. Amounts already in the reporting currency need no rate.

use std::collections::{BTreeMap, HashMap};

use super::fatal;
use super::problem::{Problem, Problems, Rule};
use super::tables::{CareCost, Episodes, Families, Income, ProgrammeCosts, Services};
use crate::dates;

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

/// Exchange rates or price indices by (currency or country, year), one value a key: a
/// second, different value for a key is a fatal problem of `table`.
pub fn keyed(
    table: &str,
    rows: Vec<((String, i32), f64)>,
    problems: &mut Problems,
) -> HashMap<(String, i32), f64> {
    let mut map = HashMap::new();
    for (k, v) in rows {
        if map.insert(k.clone(), v).is_some_and(|old| old != v) {
            problems.push(fatal(
                Rule::DuplicateId,
                table,
                format!("{} {} has two different values", k.0, k.1),
                "keep one value per key and year",
            ));
        }
    }
    map
}

/// Amounts that could not be converted, by table and what is missing.
type MissingByTable = BTreeMap<(&'static str, Missing), u64>;

/// Convert `n` amounts of `table`, `real(conv, i)` converting row `i`; the amounts that
/// cannot be converted are counted in `missing`.
fn convert_column(
    table: &'static str,
    n: usize,
    money: &Money,
    missing: &mut MissingByTable,
    mut real: impl FnMut(&mut Converter, usize) -> f64,
) -> Vec<f64> {
    let mut conv = Converter::new(money);
    let out = (0..n).map(|i| real(&mut conv, i)).collect();
    missing.extend(conv.missing.into_iter().map(|(m, n)| ((table, m), n)));
    out
}

/// Convert every amount to real reporting-currency terms; a missing rate or index is a
/// fatal problem naming the currency or country and year, with the rows affected.
pub fn convert_money(
    families: &Families,
    episodes: &Episodes,
    services: &mut Services,
    costs: &mut ProgrammeCosts,
    income: &mut Income,
    care_costs: &mut [CareCost],
    money: &Money,
) -> Vec<Problem> {
    let mut missing = MissingByTable::new();
    let country_of_family =
        |f: u32| families.countries[families.country[f as usize] as usize].as_str();
    // Programme -> country: a programme runs in one country (its first family's).
    let mut prog_country: Vec<Option<&str>> = vec![None; families.programmes.len()];
    for f in 0..families.len() {
        let p = families.programme[f] as usize;
        if prog_country[p].is_none() {
            prog_country[p] = Some(country_of_family(f as u32));
        }
    }
    let country_of = |f: u32| (country_of_family(f), families.country[f as usize]);
    services.cost_real = convert_column(
        "services",
        services.len(),
        money,
        &mut missing,
        |conv, i| {
            let fam = episodes.family[services.episode[i] as usize];
            let c = services.currency[i];
            let year = dates::year_of(services.start[i]);
            let currency = (services.currencies[c as usize].as_str(), c);
            conv.real(services.cost[i], currency, year, country_of(fam))
        },
    );
    costs.amount_real = convert_column(
        "programme_costs",
        costs.len(),
        money,
        &mut missing,
        |conv, i| {
            let p = costs.programme[i];
            let country = (prog_country[p as usize].unwrap_or(""), p);
            let c = costs.currency[i];
            let year = dates::year_of(costs.period_start[i]);
            let currency = (costs.currencies[c as usize].as_str(), c);
            conv.real(costs.amount[i], currency, year, country)
        },
    );
    income.monthly_real = convert_column("income", income.len(), money, &mut missing, |conv, i| {
        let c = income.currency[i];
        let year = dates::year_of(income.date[i]);
        let currency = (income.currencies[c as usize].as_str(), c);
        conv.real(
            income.monthly[i],
            currency,
            year,
            country_of(income.family[i]),
        )
    });
    let care_real = convert_column(
        "care_costs",
        care_costs.len(),
        money,
        &mut missing,
        |conv, i| {
            // Each row is its own key: care costs are a few hundred rows.
            let c = &care_costs[i];
            let key = i as u32;
            conv.real(
                c.cost_per_child_year,
                (&c.currency, key),
                c.year,
                (&c.country, key),
            )
        },
    );
    for (c, real) in care_costs.iter_mut().zip(care_real) {
        c.cost_real = real;
    }
    missing
        .into_iter()
        .map(|((table, m), n)| match m {
            Missing::Rate { currency, year } => fatal(
                Rule::NoExchangeRate,
                table,
                format!("{n} amounts in {currency} dated {year} have no exchange rate"),
                format!(
                    "add {currency} {year} (units per {}) to reference/exchange_rates",
                    money.reporting_currency
                ),
            )
            .column("currency"),
            Missing::Index { country, year } => fatal(
                Rule::NoPriceIndex,
                table,
                format!("{n} amounts in {country} need a price index for {year}"),
                format!("add {country} {year} to reference/price_index"),
            ),
        })
        .collect()
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
