//! Programme-level costs: what running each programme cost beyond direct services.
//!
//! Staff, premises, transport, training, overhead and in-kind volunteer time are booked
//! per programme and calendar year, in proportion to the family-years the programme
//! served that year, at `PROGRAMME_COST_PER_FAMILY_YEAR_EUR` (split by
//! `PROGRAMME_COST_SHARES`) with a small year-to-year spread. With direct services this
//! makes the ~EUR 500 per family-year of SOS Latvia's programme.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{
    BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray,
};
use arrow::datatypes::Int32Type;

use super::batch::arrow_schema;
use super::calibration as cal;
use super::draw;
use super::options::Plan;
use super::GenerateError;
use crate::dates::{self, DAYS_PER_YEAR};
use crate::schema;
use crate::stats::rng::{rng_for, Stream};

/// Stream index of programme `p`'s cost draws: far above any chunk index, so the two uses
/// of the `Generate` stream never overlap.
pub const COST_STREAM_BASE: u64 = 1 << 40;
/// Position of `volunteer_time` in `schema::COST_CATEGORIES` (checked in a test).
pub const VOLUNTEER_TIME: usize = 5;

/// One programme-cost row before conversion to Arrow.
#[derive(Debug, Clone, PartialEq)]
pub struct CostRow {
    pub programme: &'static str,
    pub year: i32,
    pub category: usize,
    pub amount: f64,
    pub currency: &'static str,
}

/// Cost rows from enrolment days per (programme index, year).
pub fn rows(plan: &Plan, enrolment: &BTreeMap<(usize, i32), u64>) -> Vec<CostRow> {
    let mut out = Vec::new();
    let mut rng = None;
    let mut current = usize::MAX;
    for (&(p, year), &days) in enrolment {
        if p != current {
            rng = Some(rng_for(
                plan.seed,
                Stream::Generate,
                COST_STREAM_BASE + p as u64,
            ));
            current = p;
        }
        let Some(rng) = rng.as_mut() else { continue };
        let programme = plan.programmes[p];
        let Some((_, country)) = plan
            .countries
            .iter()
            .find(|(_, c)| c.programmes.contains(&programme))
        else {
            continue;
        };
        let family_years = days as f64 / DAYS_PER_YEAR;
        for (category, share) in cal::PROGRAMME_COST_SHARES.iter().enumerate() {
            let spread = draw::lognormal_mean_one(rng, cal::PROGRAMME_COST_SIGMA);
            if *share <= 0.0 {
                continue;
            }
            let eur = cal::PROGRAMME_COST_PER_FAMILY_YEAR_EUR * share * family_years * spread;
            let amount =
                (country.local_nominal(eur, year, cal::PRICE_YEAR) * 100.0).round() / 100.0;
            out.push(CostRow {
                programme,
                year,
                category,
                amount,
                currency: country.currency,
            });
        }
    }
    out
}

/// The `programme_costs` batch.
///
/// # Errors
/// [`GenerateError::Arrow`] only on an internal inconsistency.
pub fn batch(plan: &Plan, rows: &[CostRow]) -> Result<RecordBatch, GenerateError> {
    let start = |y: i32| dates::from_ymd(y, 1, 1).unwrap_or(0);
    let end = |y: i32| {
        dates::from_ymd(y, 12, 31)
            .unwrap_or(0)
            .min(plan.data_cutoff)
    };
    let categories = DictionaryArray::<Int32Type>::try_new(
        rows.iter()
            .map(|r| r.category as i32)
            .collect::<Int32Array>(),
        Arc::new(StringArray::from(schema::COST_CATEGORIES.to_vec())),
    )
    .map_err(|source| GenerateError::Arrow {
        table: "programme_costs",
        source,
    })?;
    RecordBatch::try_new(
        arrow_schema(&schema::PROGRAMME_COSTS),
        vec![
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.programme),
            )),
            Arc::new(Date32Array::from_iter_values(
                rows.iter().map(|r| start(r.year)),
            )),
            Arc::new(Date32Array::from_iter_values(
                rows.iter().map(|r| end(r.year)),
            )),
            Arc::new(categories),
            Arc::new(Float64Array::from_iter_values(
                rows.iter().map(|r| r.amount),
            )),
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.currency),
            )),
            Arc::new(
                rows.iter()
                    .map(|r| Some(r.category == VOLUNTEER_TIME))
                    .collect::<BooleanArray>(),
            ),
        ],
    )
    .map_err(|source| GenerateError::Arrow {
        table: "programme_costs",
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::options::GenerateOptions;

    #[test]
    fn costs_scale_with_family_years_and_volunteer_time_is_in_kind() {
        assert_eq!(
            schema::code_of(schema::COST_CATEGORIES, "volunteer_time"),
            Some(VOLUNTEER_TIME as u8)
        );
        let plan = GenerateOptions::new(10, 3, "x")
            .with_countries(&["BA"])
            .check()
            .unwrap();
        let mut e = BTreeMap::new();
        // 100 family-years of BA-SAR-FSP in 2024 (price year, BAM 1.95583 per EUR).
        e.insert((0usize, 2024), (100.0 * DAYS_PER_YEAR) as u64);
        let rows = rows(&plan, &e);
        assert_eq!(rows.len(), 6);
        let total_eur: f64 = rows.iter().map(|r| r.amount / 1.95583).sum();
        // EUR 165 x 100 family-years, within the 5 % spread.
        assert!((total_eur / 16_500.0 - 1.0).abs() < 0.06, "{total_eur}");
        let b = batch(&plan, &rows).unwrap();
        assert_eq!(b.num_rows(), 6);
        let in_kind = b.column(6).as_any().downcast_ref::<BooleanArray>().unwrap();
        assert_eq!((0..6).filter(|i| in_kind.value(*i)).count(), 1);
    }
}
