//! `tables/cost_of_care`: by country, what supporting a family costs against what
//! alternative care costs, and the public cost of the placements the programme avoided.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dates::DAYS_PER_YEAR;
use crate::ingest::Dataset;
use crate::schema;

use super::{care_cost, CountryAvoided, Inputs, PROGRAMME_ARM};

/// One row of `tables/cost_of_care`: the fields are its columns, in order (written and
/// read through serde).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostOfCareRow {
    pub country: String,
    /// Programme-arm families (blank when suppressed).
    pub families: Option<u64>,
    pub family_years: Option<f64>,
    pub programme_cost: Option<f64>,
    pub cost_per_family_year: Option<f64>,
    #[serde(default)]
    pub cost_per_family: Option<f64>,
    pub residential_per_child_year: Option<f64>,
    pub foster_per_child_year: Option<f64>,
    /// Residential child-year / family-support family-year.
    #[serde(default)]
    pub residential_to_support: Option<f64>,
    pub currency: String,
    pub price_year: i32,
    pub suppressed: bool,
    /// Horizon H of the avoided placements, years after exit (the model's
    /// `study.horizon_years`, else [`DEFAULT_HORIZON_YEARS`]).
    /// NaN when read from a run that predates the column.
    #[serde(default = "no_horizon")]
    pub horizon_years: f64,
    /// Children of the programme's cohort families (with an exit) with a usable care
    /// history: `N_children_programme`.
    #[serde(default)]
    pub children_programme: Option<u64>,
    /// `N_children_programme x (F_c(H) - F_p(H))`, child-level Kaplan-Meier of each arm
    /// in this country (docs/method.md section 4); blank without a comparison arm.
    #[serde(default)]
    pub placements_avoided: Option<f64>,
    /// Public cost of one placement: mean placement years x cost per child-year at the
    /// care-type mix of this country's cohort children (`care_events`, `care_costs`).
    #[serde(default)]
    pub cost_per_placement: Option<f64>,
    /// `placements_avoided x cost_per_placement`: gross, before attribution and
    /// discounting (the SROI model applies those to the pooled figure).
    #[serde(default)]
    pub public_cost_avoided: Option<f64>,
    /// `public_cost_avoided` per programme family: the denominator of `cost_per_family`,
    /// so that the two compare directly (`public_cost_avoided_per_family /
    /// cost_per_family = cost_avoided_per_cost`). Families still in the programme count,
    /// as their costs do, though only the cohort's children are followed.
    #[serde(default)]
    pub public_cost_avoided_per_family: Option<f64>,
    /// `public_cost_avoided / programme_cost`: public cost avoided per unit of programme
    /// cost in the country (the pooled SROI counts value the same way: the cohort's
    /// value against every cost of the programme arm).
    #[serde(default)]
    pub cost_avoided_per_cost: Option<f64>,
    /// Why the avoided-placement cells are blank when the country is not suppressed
    /// (e.g. no comparison arm); empty otherwise (an empty cell: a null in Parquet).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub avoided_note: String,
}

/// The horizon of a `cost_of_care` table written before the column existed: unknown.
fn no_horizon() -> f64 {
    f64::NAN
}

/// Cost of family support per family-year vs the public cost of care, and the public
/// cost of the placements avoided by `horizon_years` after exit (`avoided`, measured by
/// `quantities::avoided_by_country`),
/// by country.
///
/// Disclosure control (docs/method.md section 6): a country is suppressed when it has fewer
/// than `min_cell` programme families, or fewer than `min_cell` children at risk after
/// exit in either arm (the Kaplan-Meier estimates behind its avoided placements); when
/// exactly one country is suppressed, so is the next smallest (by programme families):
/// the totals (inputs, families and children in the programme) are published elsewhere,
/// so a lone suppressed country could be recovered by subtraction. The avoided-placement
/// cells alone are left blank, with the reason in `avoided_note`, when fewer than
/// `min_cell` children of an arm are followed to the horizon or the cost per placement
/// rests on fewer than `min_cell` families ([`CountryAvoided::withheld`]).
pub fn cost_of_care(
    ds: &Dataset,
    inputs: &Inputs,
    avoided: &BTreeMap<String, CountryAvoided>,
    min_cell: u64,
    horizon_years: f64,
) -> Vec<CostOfCareRow> {
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
    let primary: Vec<&str> = families
        .iter()
        .filter(|(c, &n)| {
            n < min_cell
                || avoided
                    .get(c.as_str())
                    .is_some_and(|a| a.too_small(min_cell))
        })
        .map(|(c, _)| c.as_str())
        .collect();
    let suppress = with_secondary(&families, primary);
    families
        .iter()
        .map(|(country, &n)| {
            let suppressed = suppress.contains(&country.as_str());
            let cost = inputs.by_country.get(country).copied().unwrap_or(0.0);
            let fy = years.get(country).copied().unwrap_or(0.0);
            let per_year = (fy > 0.0).then(|| cost / fy);
            let res = care_cost(ds, country, residential);
            let shown = |v: Option<f64>| if suppressed { None } else { v };
            let a = avoided.get(country);
            // Rows are suppressed as a whole; the avoided cells alone are withheld when
            // too few children are followed to the horizon or too few families' placements
            // are costed.
            let short = a.and_then(|a| a.withheld(min_cell, horizon_years));
            let a_shown = a.filter(|_| short.is_none());
            let public = a_shown.and_then(CountryAvoided::public_cost_avoided);
            let avoided_note = match (a, short) {
                _ if suppressed => String::new(),
                (_, Some(why)) => why,
                (Some(a), None) => a.note.clone(),
                (None, None) => "no programme family with an exit in this country".to_string(),
            };
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
                horizon_years,
                children_programme: a.filter(|_| !suppressed).map(|a| a.children_programme),
                placements_avoided: shown(a_shown.and_then(|a| a.placements_avoided)),
                cost_per_placement: shown(a_shown.and_then(|a| a.cost_per_placement)),
                public_cost_avoided: shown(public),
                public_cost_avoided_per_family: shown(public.map(|p| p / n as f64)),
                cost_avoided_per_cost: shown(public.filter(|_| cost > 0.0).map(|p| p / cost)),
                avoided_note,
                currency: ds.meta.reporting_currency.clone(),
                price_year: ds.meta.price_year,
                suppressed,
            }
        })
        .collect()
}

/// Countries whose cost figures are not published: primary (under `min_cell` families)
/// and secondary (the next smallest, when only one is suppressed and others are shown).
#[cfg(test)]
fn suppressed_countries(families: &BTreeMap<String, u64>, min_cell: u64) -> Vec<&str> {
    let primary = families
        .iter()
        .filter(|(_, &n)| n < min_cell)
        .map(|(c, _)| c.as_str())
        .collect();
    with_secondary(families, primary)
}

/// `primary` plus, when it holds exactly one of several countries, the next smallest
/// country by programme families (ties by name): a lone suppressed cell could otherwise
/// be recovered from the published total.
fn with_secondary<'a>(families: &'a BTreeMap<String, u64>, primary: Vec<&'a str>) -> Vec<&'a str> {
    let mut out = primary;
    if out.len() == 1 && families.len() > 1 {
        let next = families
            .iter()
            .filter(|(c, _)| c.as_str() != out[0])
            .min_by_key(|(c, &n)| (n, c.as_str()))
            .map(|(c, _)| c.as_str());
        out.extend(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(v: &[(&str, u64)]) -> BTreeMap<String, u64> {
        v.iter().map(|(c, n)| (c.to_string(), *n)).collect()
    }

    #[test]
    fn a_lone_small_country_takes_the_next_smallest_with_it() {
        let f = counts(&[("AL", 40), ("AM", 3), ("KG", 12), ("RO", 25)]);
        assert_eq!(suppressed_countries(&f, 10), vec!["AM", "KG"]);
    }

    #[test]
    fn two_small_countries_protect_each_other() {
        let f = counts(&[("AL", 40), ("AM", 3), ("KG", 7)]);
        assert_eq!(suppressed_countries(&f, 10), vec!["AM", "KG"]);
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let f = counts(&[("AL", 40), ("AM", 10)]);
        assert!(suppressed_countries(&f, 10).is_empty());
        // A single country: its figures are the totals, suppressed only if small.
        assert_eq!(suppressed_countries(&counts(&[("AL", 4)]), 10), vec!["AL"]);
    }
}
