//! The reference tables of a generated dataset: care costs, exchange rates, prices.
//!
//! They come from the same country profiles the case data were priced with, and cover
//! every currency / country and year the case data use (from `country::FIRST_YEAR`, or
//! the year of the earliest pre-intake income when there are such, to the later of the
//! cutoff year and the price year), so the engine never meets a missing rate. Care costs start from published figures (UNICEF 2010 for Armenia, HG 978/2015
//! for Romania, Lumos ratios between care types) and follow each country's prices.

use std::sync::Arc;

use arrow::array::{ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow::datatypes::Int32Type;

use super::batch::arrow_schema;
use super::calibration::{PRE_INTAKE_SPREAD_DAYS, PRE_INTAKE_YEARS, PRICE_YEAR};
use super::country::{CountryProfile, FIRST_YEAR};
use super::options::Plan;
use super::GenerateError;
use crate::dates;
use crate::schema::{self, Table};

/// Cost of each care type (in `schema::CARE_TYPES` order) as a share of residential care.
/// Foster care follows the country profile (Lumos 3-5x, or UNICEF's Armenian figures);
/// formal kinship care 0.6x and guardianship 0.5x foster care (assumed: allowances, no
/// carer fee); supported living 0.5x residential (Lumos: residential ~2x community
/// residential care); other care as foster care.
pub fn care_type_shares(country: &CountryProfile) -> [f64; 6] {
    let foster = country.foster_share_of_residential;
    [1.0, foster, 0.6 * foster, 0.5 * foster, 0.5, foster]
}

/// Cost of a child-year in each care type in `year`, nominal local currency.
pub fn care_costs_in(country: &CountryProfile, year: i32) -> [f64; 6] {
    let residential = country.residential_2015_local * country.cpi_in(year) / country.cpi_in(2015);
    care_type_shares(country).map(|s| (residential * s).round())
}

/// Years covered by the reference tables of a plan. Pre-intake incomes of the first
/// intakes (2015) reach back before `FIRST_YEAR`; those years get the first year's rate
/// and index (`per_eur_in` and `cpi_in` hold them), which the incomes were priced with.
pub fn years(plan: &Plan) -> std::ops::RangeInclusive<i32> {
    let first = if plan.pre_intake_incomes() {
        let back = PRE_INTAKE_YEARS.iter().copied().fold(0.0, f64::max) * dates::DAYS_PER_YEAR
            + PRE_INTAKE_SPREAD_DAYS;
        dates::year_of(plan.intake_first - back.ceil() as dates::Day).min(FIRST_YEAR)
    } else {
        FIRST_YEAR
    };
    first..=dates::year_of(plan.data_cutoff).max(PRICE_YEAR)
}

fn make(table: &Table, columns: Vec<ArrayRef>) -> Result<RecordBatch, GenerateError> {
    RecordBatch::try_new(arrow_schema(table), columns).map_err(|source| GenerateError::Arrow {
        table: table.name,
        source,
    })
}

/// `reference/care_costs`: country x care type x year.
///
/// # Errors
/// [`GenerateError::Arrow`] only on an internal inconsistency.
pub fn care_costs(plan: &Plan) -> Result<RecordBatch, GenerateError> {
    let (mut country, mut care_type, mut year, mut cost, mut currency) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (_, c) in &plan.countries {
        for y in years(plan) {
            for (t, value) in care_costs_in(c, y).into_iter().enumerate() {
                country.push(c.code);
                care_type.push(t as i32);
                year.push(y);
                cost.push(value);
                currency.push(c.currency);
            }
        }
    }
    let types = DictionaryArray::<Int32Type>::try_new(
        Int32Array::from(care_type),
        Arc::new(StringArray::from(schema::CARE_TYPES.to_vec())),
    )
    .map_err(|source| GenerateError::Arrow {
        table: "care_costs",
        source,
    })?;
    make(
        &schema::CARE_COSTS,
        vec![
            Arc::new(StringArray::from(country)),
            Arc::new(types),
            Arc::new(Int32Array::from(year)),
            Arc::new(Float64Array::from(cost)),
            Arc::new(StringArray::from(currency)),
        ],
    )
}

/// `reference/exchange_rates`: local units per EUR, currency x year.
///
/// # Errors
/// [`GenerateError::Arrow`] only on an internal inconsistency.
pub fn exchange_rates(plan: &Plan) -> Result<RecordBatch, GenerateError> {
    let (mut currency, mut year, mut rate) = (vec![], vec![], vec![]);
    for (_, c) in &plan.countries {
        for y in years(plan) {
            currency.push(c.currency);
            year.push(y);
            rate.push(c.per_eur_in(y));
        }
    }
    make(
        &schema::EXCHANGE_RATES,
        vec![
            Arc::new(StringArray::from(currency)),
            Arc::new(Int32Array::from(year)),
            Arc::new(Float64Array::from(rate)),
        ],
    )
}

/// `reference/price_index`: CPI (2015 = 100), country x year.
///
/// # Errors
/// [`GenerateError::Arrow`] only on an internal inconsistency.
pub fn price_index(plan: &Plan) -> Result<RecordBatch, GenerateError> {
    let (mut country, mut year, mut index) = (vec![], vec![], vec![]);
    for (_, c) in &plan.countries {
        for y in years(plan) {
            country.push(c.code);
            year.push(y);
            index.push((c.cpi_in(y) * 1000.0).round() / 1000.0);
        }
    }
    make(
        &schema::PRICE_INDEX,
        vec![
            Arc::new(StringArray::from(country)),
            Arc::new(Int32Array::from(year)),
            Arc::new(Float64Array::from(index)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::country::profile;
    use crate::generate::options::{Comparison, GenerateOptions};

    #[test]
    fn published_care_costs_are_kept() {
        let ro = profile("RO").unwrap();
        let c = care_costs_in(ro, 2015);
        // HG 978/2015: placement centre 28,847 lei per child-year; foster a quarter.
        assert_eq!(c[0], 28_847.0);
        assert_eq!(c[1], (28_847.0f64 * 0.25).round());
        // Residential 3-5x foster (Lumos) everywhere but Armenia.
        for code in ["AL", "BA", "KG", "MK", "RO"] {
            let c = care_costs_in(profile(code).unwrap(), 2020);
            assert!((3.0..=5.0).contains(&(c[0] / c[1])), "{code}");
        }
        // Armenia: US$3,800 vs US$2,800 (UNICEF 2010).
        let am = care_costs_in(profile("AM").unwrap(), 2015);
        assert!((am[1] / am[0] - 2800.0 / 3800.0).abs() < 1e-5);
        // Follows prices: Romania 2016 at 98.4 % of 2015.
        assert!((care_costs_in(ro, 2016)[0] - (28_847.0f64 * 0.984).round()).abs() < 1e-9);
    }

    #[test]
    fn tables_cover_every_currency_and_year() {
        let plan = GenerateOptions::new(10, 1, "x")
            .with_countries(&["AM", "RO"])
            .check()
            .unwrap();
        let n_years = (2025 - 2014 + 1) as usize;
        assert_eq!(exchange_rates(&plan).unwrap().num_rows(), 2 * n_years);
        assert_eq!(price_index(&plan).unwrap().num_rows(), 2 * n_years);
        assert_eq!(care_costs(&plan).unwrap().num_rows(), 2 * n_years * 6);
        let later = GenerateOptions::new(10, 1, "x")
            .with_countries(&["MK"])
            .with_data_cutoff(dates::from_ymd(2030, 6, 30).unwrap())
            .check()
            .unwrap();
        assert_eq!(years(&later), 2014..=2030);
        // Pre-intake incomes of 2015 intakes go back to late 2012 (2 years and up to 45
        // days), which the tables then cover at 2014's rate and index.
        let confounded = GenerateOptions::new(10, 1, "x")
            .with_countries(&["RO"])
            .with_comparison(Comparison::Confounded)
            .check()
            .unwrap();
        assert_eq!(years(&confounded), 2012..=2025);
        let rates = exchange_rates(&confounded).unwrap();
        let rate = rates
            .column(2)
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        assert_eq!(rate.value(0), rate.value(2));
    }
}
