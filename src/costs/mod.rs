//! What the programme cost, and what alternative care costs, in real terms.
//!
//! Two consumers: the SROI stage needs the **inputs** (every cost of the programme arm:
//! services plus programme-level costs, in-kind included, docs/method.md section 5), total and
//! by calendar year for optional discounting; the policy brief needs, **by country**, the
//! cost of supporting a family for a year against the public cost of a child-year in
//! residential and in foster care, and the cost of supporting a family against the public
//! cost of the placements it avoided (`tables/cost_of_care`).
//!
//! - [`inputs`]: the programme's costs, total, by year and by country;
//! - [`care_cost`] and [`placements`]: what a child-year and a placement of care cost;
//! - [`CountryAvoided`]: what a country's avoided placements rest on, and whether they
//!   may be published;
//! - [`cost_of_care`]: the policy brief's table.
//!
//! The avoided placements themselves need the outcome stage's survival estimates, so
//! they are measured one level up, in `quantities`, and handed to [`cost_of_care`].

mod avoided;
mod cost_of_care;
pub mod placements;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dates;
use crate::ingest::Dataset;

pub use avoided::CountryAvoided;
pub use cost_of_care::{cost_of_care, CostOfCareRow};

/// Programme-arm inputs in the reporting currency at price-year prices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inputs {
    pub total: f64,
    pub services: f64,
    pub programme_costs: f64,
    /// Of which contributed in kind (volunteer time, donated space).
    pub in_kind: f64,
    /// Calendar year -> amount (service start year, cost period start year).
    pub by_year: BTreeMap<i32, f64>,
    /// Country -> amount.
    pub by_country: BTreeMap<String, f64>,
}

pub(crate) const PROGRAMME_ARM: u8 = 0;

/// Sum the programme arm's costs. Services of comparison-arm families are not inputs
/// (that arm is assessed, not served); every `programme_costs` row is.
pub fn inputs(ds: &Dataset) -> Inputs {
    let fam = &ds.families;
    let country = |f: usize| fam.countries[fam.country[f] as usize].clone();
    let mut out = Inputs {
        total: 0.0,
        services: 0.0,
        programme_costs: 0.0,
        in_kind: 0.0,
        by_year: BTreeMap::new(),
        by_country: BTreeMap::new(),
    };
    let sv = &ds.services;
    for i in 0..sv.len() {
        let f = ds.episodes.family[sv.episode[i] as usize] as usize;
        if fam.arm[f] != PROGRAMME_ARM {
            continue;
        }
        let v = sv.cost_real[i];
        out.services += v;
        *out.by_year
            .entry(dates::year_of(sv.start[i]))
            .or_insert(0.0) += v;
        *out.by_country.entry(country(f)).or_insert(0.0) += v;
    }
    // A programme runs in one country: that of its first family.
    let mut prog_country: Vec<Option<usize>> = vec![None; fam.programmes.len()];
    for f in 0..fam.len() {
        prog_country[fam.programme[f] as usize].get_or_insert(f);
    }
    let pc = &ds.programme_costs;
    for i in 0..pc.len() {
        let v = pc.amount_real[i];
        out.programme_costs += v;
        if pc.in_kind[i] {
            out.in_kind += v;
        }
        *out.by_year
            .entry(dates::year_of(pc.period_start[i]))
            .or_insert(0.0) += v;
        if let Some(f) = prog_country[pc.programme[i] as usize] {
            *out.by_country.entry(country(f)).or_insert(0.0) += v;
        }
    }
    out.total = out.services + out.programme_costs;
    out
}

/// Latest real cost per child-year of `care_type` in `country`, if the reference table has one.
pub fn care_cost(ds: &Dataset, country: &str, care_type: u8) -> Option<f64> {
    ds.care_costs
        .iter()
        .filter(|c| c.country == country && c.care_type == care_type && c.cost_real.is_finite())
        .max_by_key(|c| c.year)
        .map(|c| c.cost_real)
}
