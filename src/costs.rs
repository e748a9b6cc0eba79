//! What the programme cost, and what alternative care costs, in real terms.
//!
//! Two consumers: the SROI stage needs the **inputs** (every cost of the programme arm:
//! services plus programme-level costs, in-kind included, method.md section 5), total and
//! by calendar year for optional discounting; the policy brief needs, **by country**, the
//! cost of supporting a family for a year against the public cost of a child-year in
//! residential and in foster care (`tables/cost_of_care`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dates::{self, DAYS_PER_YEAR};
use crate::ingest::Dataset;
use crate::schema;

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

const PROGRAMME_ARM: u8 = 0;

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

/// One row of `tables/cost_of_care`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostOfCareRow {
    pub country: String,
    /// Programme-arm families (blank when suppressed).
    pub families: Option<u64>,
    pub family_years: Option<f64>,
    pub programme_cost: Option<f64>,
    pub cost_per_family_year: Option<f64>,
    pub cost_per_family: Option<f64>,
    pub residential_per_child_year: Option<f64>,
    pub foster_per_child_year: Option<f64>,
    /// Residential child-year / family-support family-year.
    pub residential_to_support: Option<f64>,
    pub currency: String,
    pub price_year: i32,
    pub suppressed: bool,
}

/// Latest real cost per child-year of `care_type` in `country`, if the reference table has one.
pub fn care_cost(ds: &Dataset, country: &str, care_type: u8) -> Option<f64> {
    ds.care_costs
        .iter()
        .filter(|c| c.country == country && c.care_type == care_type && c.cost_real.is_finite())
        .max_by_key(|c| c.year)
        .map(|c| c.cost_real)
}

/// Cost of family support per family-year vs the public cost of care, by country.
/// A country with fewer than `min_cell` programme families is suppressed (method.md section 6).
pub fn cost_of_care(ds: &Dataset, inputs: &Inputs, min_cell: u64) -> Vec<CostOfCareRow> {
    let fam = &ds.families;
    let cutoff = ds.meta.data_cutoff;
    let mut families: BTreeMap<String, u64> = BTreeMap::new();
    let mut years: BTreeMap<String, f64> = BTreeMap::new();
    let mut seen = vec![false; fam.len()];
    for e in 0..ds.episodes.len() {
        let f = ds.episodes.family[e] as usize;
        if fam.arm[f] != PROGRAMME_ARM {
            continue;
        }
        let c = fam.countries[fam.country[f] as usize].clone();
        if !std::mem::replace(&mut seen[f], true) {
            *families.entry(c.clone()).or_insert(0) += 1;
        }
        let end = ds.episodes.exit[e].unwrap_or(cutoff);
        *years.entry(c).or_insert(0.0) +=
            f64::from(end - ds.episodes.intake[e]).max(0.0) / DAYS_PER_YEAR;
    }
    let residential = schema::code_of(schema::CARE_TYPES, "residential").unwrap_or(0);
    let foster = schema::code_of(schema::CARE_TYPES, "foster").unwrap_or(1);
    families
        .iter()
        .map(|(country, &n)| {
            let suppressed = n < min_cell;
            let cost = inputs.by_country.get(country).copied().unwrap_or(0.0);
            let fy = years.get(country).copied().unwrap_or(0.0);
            let per_year = (fy > 0.0).then(|| cost / fy);
            let res = care_cost(ds, country, residential);
            let shown = |v: Option<f64>| if suppressed { None } else { v };
            CostOfCareRow {
                country: country.clone(),
                families: (!suppressed).then_some(n),
                family_years: shown(Some(fy)),
                programme_cost: shown(Some(cost)),
                cost_per_family_year: shown(per_year),
                cost_per_family: shown(Some(cost / n as f64)),
                // Reference costs are public figures, not case data: shown even when the
                // country's programme figures are suppressed.
                residential_per_child_year: res,
                foster_per_child_year: care_cost(ds, country, foster),
                residential_to_support: shown(res.zip(per_year).map(|(r, p)| r / p)),
                currency: ds.meta.reporting_currency.clone(),
                price_year: ds.meta.price_year,
                suppressed,
            }
        })
        .collect()
}
