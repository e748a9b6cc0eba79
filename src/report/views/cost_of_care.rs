//! Input of the cost-of-care chart: per country, what family support costs against
//! the public cost of a child-year in care and of the placements avoided.
//!
//! Suppressed countries are left out and counted in the subtitle; countries without a
//! care-avoided bar are named there with the reason `tables/cost_of_care` gives.

use crate::charts::labels::years;
use crate::charts::{CostOfCareChart, CountryCosts};

use super::super::folder::RunFolder;
use super::super::rows::CostRow;
use super::super::select::{cost_horizon, unvalued_by_reason};
use super::{counted_source, View};

pub(super) fn cost_of_care(run: &RunFolder) -> View<CostOfCareChart> {
    let Some(rows) = &run.cost_of_care else {
        return Err("tables/cost_of_care is missing".into());
    };
    if rows.is_empty() {
        return Err("tables/cost_of_care has no rows".into());
    }
    let families = rows.iter().filter_map(|r| r.families).sum::<u64>() as f64;
    let suppressed = rows.iter().filter(|r| r.suppressed).count();
    let shown: Vec<&CostRow> = rows.iter().filter(|r| !r.suppressed).collect();
    if shown.is_empty() {
        return Err(format!(
            "every country of tables/cost_of_care is suppressed (fewer than {} families or children)",
            run.min_cell
        ));
    }
    let horizon = cost_horizon(rows);
    let mut notes = Vec::new();
    if suppressed > 0 {
        notes.push(format!(
            "Not shown: {suppressed} {} with fewer than {} programme families or children in an arm.",
            if suppressed == 1 { "country" } else { "countries" },
            run.min_cell
        ));
    }
    let has_avoided = shown
        .iter()
        .any(|r| r.public_cost_avoided_per_family.is_some());
    if has_avoided {
        notes.push(format!(
            "Care avoided: placements avoided within {} of exit (comparison minus programme arm) x the public cost of a placement, before attribution.",
            years(horizon)
        ));
        // Countries without the bar (it is blank exactly when the total is), by reason.
        for (note, countries) in unvalued_by_reason(&shown) {
            notes.push(format!(
                "No care-avoided bar for {}: {note}.",
                countries.join(", ")
            ));
        }
    }
    Ok(CostOfCareChart {
        title: None,
        subtitle: (!notes.is_empty()).then(|| notes.join(" ")),
        source: counted_source(run, families),
        currency: run.summary.currency.clone(),
        price_year: run.summary.price_year,
        horizon_years: horizon,
        countries: shown
            .iter()
            .map(|r| CountryCosts {
                country: r.country.clone(),
                programme_per_family_year: r.cost_per_family_year,
                residential_per_child_year: r.residential_per_child_year,
                foster_per_child_year: r.foster_per_child_year,
                programme_per_family: r.cost_per_family,
                avoided_per_family: r.public_cost_avoided_per_family,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{cost_row, run};

    #[test]
    fn suppressed_countries_are_left_out_and_counted() {
        let mut r = run();
        assert_eq!(
            cost_of_care(&r).unwrap_err(),
            "tables/cost_of_care is missing"
        );
        let mut hidden = cost_row("BG");
        hidden.suppressed = true;
        r.cost_of_care = Some(vec![hidden.clone()]);
        assert!(cost_of_care(&r).unwrap_err().starts_with("every country"));
        let mut unvalued = cost_row("MD");
        unvalued.public_cost_avoided = None;
        unvalued.avoided_note = "no comparison arm".into();
        r.cost_of_care = Some(vec![cost_row("AL"), hidden, unvalued]);
        let chart = cost_of_care(&r).unwrap();
        let names: Vec<&str> = chart.countries.iter().map(|c| c.country.as_str()).collect();
        assert_eq!(names, ["AL", "MD"]);
        let subtitle = chart.subtitle.unwrap();
        assert!(subtitle.starts_with("Not shown: 1 country with fewer than 10"));
        assert!(subtitle.contains("within 5 years of exit"));
        assert!(subtitle.ends_with("No care-avoided bar for MD: no comparison arm."));
        assert_eq!(chart.source.families, 180);
    }
}
