//! What one placement into alternative care costs: every placement spell of the cohort's
//! children, costed at its country's care cost, and the mean over a care-type mix.
//!
//! The SROI model's `cost_per_placement` and the policy brief's cost of the placements
//! avoided by country both value a placement the same way (docs/method.md section 4):
//! per (country, care type of the placement) the number of placements, their mean length
//! in years (to the next `return_home`, or the cut-off for open ones) and the real
//! `care_costs` of that country (latest year).

use std::collections::{BTreeMap, HashMap};

use crate::dates::DAYS_PER_YEAR;
use crate::ingest::Dataset;
use crate::schema;

const PLACEMENT: u8 = 0;
const RETURN: u8 = 1;

/// One care type's part in the cost of a placement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CareMix {
    /// Weight: placements (or children) of this care type.
    pub weight: f64,
    /// Mean placement length in years.
    pub mean_years: f64,
    /// Cost per child-year (real, reporting currency).
    pub cost_per_child_year: f64,
}

/// Cost of one placement at the observed care-type mix:
/// `sum_k w_k x years_k x cost_k / sum_k w_k`.
///
/// `None` when the mix has no placement (the cost of a placement is then undefined), or
/// a figure is negative or not finite (validated data never gives one).
pub fn cost_per_placement(mix: &[CareMix]) -> Option<f64> {
    let valid = mix.iter().all(|m| {
        [m.weight, m.mean_years, m.cost_per_child_year]
            .iter()
            .all(|x| x.is_finite() && *x >= 0.0)
    });
    let total: f64 = mix.iter().map(|m| m.weight).sum();
    (valid && total > 0.0).then(|| {
        mix.iter()
            .map(|m| m.weight * m.mean_years * m.cost_per_child_year)
            .sum::<f64>()
            / total
    })
}

/// Placements of cohort children, by (country, care type) cell with its real cost.
pub struct Placements {
    /// Real cost per child-year of each cell.
    pub cells: Vec<f64>,
    /// Per family: (cell, placement length in years).
    by_family: HashMap<usize, Vec<(usize, f64)>>,
    pub notes: Vec<String>,
}

impl Placements {
    pub fn of_family(&self, f: usize) -> Vec<(usize, f64)> {
        self.by_family.get(&f).cloned().unwrap_or_default()
    }
}

/// Every placement spell in `care_events` (placement to the next `return_home`, or the
/// cut-off), typed by the placement's care type, costed at its country's care cost.
pub fn placement_cells(ds: &Dataset) -> Placements {
    let ev = &ds.care_events;
    let cutoff = ds.meta.data_cutoff;
    let mut cell_of: BTreeMap<(u32, u8), Option<usize>> = BTreeMap::new();
    let mut cells = Vec::new();
    let mut by_family: HashMap<usize, Vec<(usize, f64)>> = HashMap::new();
    let mut missing: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut i = 0;
    while i < ev.len() {
        let child = ev.child[i] as usize;
        if ev.event[i] != PLACEMENT || !ds.children.care_history_valid[child] {
            i += 1;
            continue;
        }
        let start = ev.date[i];
        let care = ev.care_type[i].unwrap_or(0);
        let end = (i + 1..ev.len())
            .take_while(|&j| ev.child[j] as usize == child)
            .find(|&j| ev.event[j] == RETURN)
            .map_or(cutoff, |j| ev.date[j]);
        let f = ds.children.family[child] as usize;
        let country = ds.families.country[f];
        let cell = *cell_of.entry((country, care)).or_insert_with(|| {
            let name = &ds.families.countries[country as usize];
            super::care_cost(ds, name, care).map(|c| {
                cells.push(c);
                cells.len() - 1
            })
        });
        match cell {
            Some(c) => by_family
                .entry(f)
                .or_default()
                .push((c, f64::from((end - start).max(0)) / DAYS_PER_YEAR)),
            None => {
                let name = ds.families.countries[country as usize].clone();
                let ct = schema::CARE_TYPES
                    .get(care as usize)
                    .copied()
                    .unwrap_or("other")
                    .to_string();
                *missing.entry((name, ct)).or_default() += 1;
            }
        }
        i += 1;
    }
    let notes = missing
        .into_iter()
        .map(|((country, ct), n)| {
            format!("cost_per_placement: {n} {ct} placements in {country} left out: no care_costs entry for {country} {ct}")
        })
        .collect();
    Placements {
        cells,
        by_family,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_of_a_placement_at_a_care_mix() {
        // 3 residential placements of 2 years at 4000 and 1 foster of 1 year at 3000:
        // (3 x 2 x 4000 + 1 x 1 x 3000) / 4 = 27000 / 4 = 6750.
        let mix = [
            CareMix {
                weight: 3.0,
                mean_years: 2.0,
                cost_per_child_year: 4000.0,
            },
            CareMix {
                weight: 1.0,
                mean_years: 1.0,
                cost_per_child_year: 3000.0,
            },
        ];
        assert!((cost_per_placement(&mix).unwrap() - 6750.0).abs() < 1e-9);
        assert_eq!(cost_per_placement(&[]), None);
        let bad = CareMix {
            weight: 1.0,
            mean_years: f64::NAN,
            cost_per_child_year: 1.0,
        };
        assert_eq!(cost_per_placement(&[bad]), None);
    }
}
