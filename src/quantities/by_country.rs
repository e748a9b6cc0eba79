//! Placements avoided and their public cost, by country (the policy brief's second
//! half).
//!
//! The SROI model's `state` outcome values the placements avoided for the whole dataset
//! ([`super::sroi_quantities`], keys `avoided_placements` x `cost_per_placement`). A
//! ministry asks the same question of its own country, so this module measures the same
//! two quantities per country, with the same rules and the same pure functions
//! (docs/method.md section 4):
//!
//! - the cohort, the children and their survival times come from the outcome stage's
//!   family records (children with a usable care history; those at risk after exit with
//!   their child-level time to placement);
//! - `F_arm(H) = 1 - S_arm(H)`, child-level Kaplan-Meier of each arm at the horizon `H`
//!   (`add_years(0, H)` days, as the pooled figure);
//! - placements avoided `= N_at_risk_programme x (F_c(H) - F_p(H))`, N the programme's
//!   children living in the family at exit ([`super::avoided_placements`]);
//! - each valued at the cost of a post-exit stay of the country's cohort children (both
//!   arms): Kaplan-Meier restricted mean stay to the cap x their cost per child-year at
//!   the care types, country and years of care ([`crate::costs::stays`]).
//!
//! The value is the **gross** public cost: no attribution, displacement or discounting
//! (the SROI model applies those to the pooled figure). Country figures do not add up to
//! the pooled one: each country has its own counterfactual curve and care mix.

use std::collections::BTreeMap;

use crate::costs::stays::{post_exit_stays, restricted_mean_years, Stay};
use crate::costs::CountryAvoided;
use crate::dates::{add_years, Day};
use crate::ingest::Dataset;
use crate::outcomes::record::{is_programme, Context};
use crate::outcomes::OutcomeOptions;
use crate::stats::{EventTable, KaplanMeier};

use super::avoided_placements;
use crate::sroi::data::STAY_CAP_YEARS;

/// The placements avoided and their public cost, per country of the family, at a horizon
/// of `horizon_years` after exit. Countries without a cohort family are absent.
pub fn avoided_by_country(ds: &Dataset, horizon_years: f64) -> BTreeMap<String, CountryAvoided> {
    // The defaults are valid; only the record rules matter here (no breakdown, no
    // disclosure control: that is applied to the table by the caller).
    let Ok(settings) = OutcomeOptions::new().check() else {
        return BTreeMap::new();
    };
    let cx = Context::new(ds, &settings, Vec::new());
    let fam = &ds.families;
    let records: Vec<_> = (0..fam.len()).filter_map(|f| cx.record(f)).collect();
    let mut exit_of = vec![None; fam.len()];
    for r in &records {
        exit_of[r.family as usize] = ds.episodes.exit[r.episode as usize];
    }
    let stays = post_exit_stays(ds, &exit_of, STAY_CAP_YEARS);
    let mut stays_of: BTreeMap<usize, Vec<&Stay>> = BTreeMap::new();
    for st in &stays.stays {
        stays_of.entry(st.family).or_default().push(st);
    }
    let horizon: Day = add_years(0, horizon_years);

    struct Acc {
        families: u64,
        children: u64,
        tables: [EventTable; 2],
        /// Post-exit stays (length, ended), their costed cost and years.
        stays: Vec<(i32, bool)>,
        cost: f64,
        years: f64,
        placement_families: u64,
    }
    let mut by: BTreeMap<String, Acc> = BTreeMap::new();
    for r in &records {
        let f = r.family as usize;
        let country = fam.countries[fam.country[f] as usize].clone();
        let acc = by.entry(country).or_insert_with(|| Acc {
            families: 0,
            children: 0,
            tables: [EventTable::new(), EventTable::new()],
            stays: Vec::new(),
            cost: 0.0,
            years: 0.0,
            placement_families: 0,
        });
        let programme = is_programme(r.arm);
        if programme {
            acc.families += 1;
            acc.children += u64::from(r.children_valid);
        }
        let arm = usize::from(!programme);
        for &(day, event) in &r.children_times {
            acc.tables[arm].add(day, event);
        }
        let own = stays_of.get(&f).map(Vec::as_slice).unwrap_or_default();
        acc.placement_families += u64::from(!own.is_empty());
        for st in own {
            acc.stays.push((st.days, st.ended));
            acc.cost += st.cost;
            acc.years += st.years;
        }
    }

    by.into_iter()
        .filter(|(_, a)| a.families > 0)
        .map(|(country, a)| {
            let km: Vec<Option<KaplanMeier>> =
                a.tables.iter().map(|t| KaplanMeier::new(t).ok()).collect();
            let incidence = |arm: usize| km[arm].as_ref().map(|k| 1.0 - k.survival_at(horizon));
            let at = |arm: usize| km[arm].as_ref().map_or(0, |k| k.at_risk_at(horizon));
            let mut notes = Vec::new();
            let placements_avoided = match (incidence(0), incidence(1)) {
                // Only children living in the family at exit can be placed after it.
                (Some(fp), Some(fc)) => Some(avoided_placements(a.tables[0].n() as f64, fc, fp)),
                (_, None) => {
                    notes.push(
                        "no comparison arm in this country: no counterfactual placement rate",
                    );
                    None
                }
                (None, Some(_)) => {
                    notes.push("no programme child at risk after exit");
                    None
                }
            };
            let cost = (a.years > 0.0)
                .then(|| restricted_mean_years(&a.stays, STAY_CAP_YEARS))
                .flatten()
                .map(|mean| mean * a.cost / a.years);
            if cost.is_none() {
                notes.push("no placement after exit with a care_costs entry for this country");
            }
            let out = CountryAvoided {
                families_programme: a.families,
                children_programme: a.children,
                at_risk: [a.tables[0].n(), a.tables[1].n()],
                at_risk_at_horizon: [at(0), at(1)],
                placements_avoided,
                cost_per_placement: cost,
                placement_families: a.placement_families,
                note: notes.join("; "),
            };
            (country, out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::{cost_of_care, Inputs};
    use crate::ingest::CareCost;
    use crate::outcomes::test_data::Builder;

    const PLACEMENT: u8 = 0;
    const RETURN: u8 = 1;

    /// AL: two programme families (2 + 2 children, one placed 200 days after exit for
    /// 1461 days = 4 years) and one comparison family (2 children, one placed 100 days
    /// after exit for 2922 days = 8 years); residential care costs 1,000 a child-year.
    /// AM: two programme families, no comparison arm.
    fn tiny() -> crate::ingest::Dataset {
        let mut b = Builder::new(5000);
        let p1 = b.family(0, 0, 0, 0, Some(100));
        let p2 = b.family(0, 0, 0, 0, Some(100));
        let c1 = b.family(1, 0, 0, 0, Some(100));
        let am = b.family(0, 1, 0, 0, Some(100));
        let am2 = b.family(0, 1, 0, 0, Some(100));
        for f in [p1, p2, c1, am, am2] {
            b.child(f, false);
            b.child(f, false);
        }
        // Children 2 (of p2) and 4 (of c1) are placed, residential (care type 0).
        b.event(2, 300, PLACEMENT);
        b.event(2, 300 + 1461, RETURN);
        b.event(4, 200, PLACEMENT);
        b.event(4, 200 + 2922, RETURN);
        let mut ds = b.build();
        ds.care_costs.push(CareCost {
            country: "AL".into(),
            care_type: 0,
            year: 2024,
            cost_per_child_year: 1000.0,
            currency: "EUR".into(),
            cost_real: 1000.0,
        });
        ds
    }

    #[test]
    fn avoided_placements_and_their_cost_by_country() {
        let by = avoided_by_country(&tiny(), 1.0);
        let al = &by["AL"];
        // Programme: 4 children at risk, 1 placed on day 200: F_p(1 year) = 1/4.
        // Comparison: 2 children, 1 placed on day 100: F_c(1 year) = 1/2.
        // Avoided = 4 x (0.5 - 0.25) = 1 placement.
        assert_eq!((al.families_programme, al.children_programme), (2, 4));
        assert_eq!(al.at_risk, [4, 2]);
        assert_eq!(al.at_risk_at_horizon, [3, 1]);
        assert_eq!(al.placement_families, 2);
        assert!((al.placements_avoided.unwrap() - 1.0).abs() < 1e-12);
        // Two residential placements of 4 and 8 years at 1,000: mean 6 years = 6,000.
        assert!((al.cost_per_placement.unwrap() - 6000.0).abs() < 1e-9);
        assert!((al.public_cost_avoided().unwrap() - 6000.0).abs() < 1e-9);
        assert!(al.note.is_empty());
        // AM has no comparison arm (and no placement to cost).
        let am = &by["AM"];
        assert_eq!(am.placements_avoided, None);
        assert_eq!(am.public_cost_avoided(), None);
        assert!(am.note.contains("no comparison arm"), "{}", am.note);
        // Small arms: judged on both arms where there is a comparison arm.
        assert!(!al.too_small(2) && al.too_small(3));
        assert!(!am.too_small(4) && am.too_small(5));
        assert_eq!(al.withheld(1, 1.0), None);
        assert_eq!(
            al.withheld(2, 1.0).as_deref(),
            Some("fewer than 2 children of the comparison arm are followed 1 years after exit")
        );
        let mut long = al.clone();
        long.at_risk_at_horizon = [3, 3];
        assert_eq!(
            long.withheld(3, 1.0).as_deref(),
            Some("the placements to cost come from fewer than 3 families")
        );
    }

    #[test]
    fn cost_of_care_rows_carry_the_avoided_cost() {
        let ds = tiny();
        let inputs = Inputs {
            total: 4000.0,
            services: 4000.0,
            programme_costs: 0.0,
            in_kind: 0.0,
            by_year: BTreeMap::new(),
            by_country: [("AL".to_string(), 3000.0), ("AM".to_string(), 1000.0)].into(),
        };
        let rows = cost_of_care(&ds, &inputs, &avoided_by_country(&ds, 1.0), 1, 1.0);
        let al = &rows[0];
        assert_eq!(al.country, "AL");
        assert_eq!(al.horizon_years, 1.0);
        assert_eq!(al.children_programme, Some(4));
        // 6,000 avoided over 2 programme families = 3,000 each; 6,000 / 3,000 of cost = 2.
        assert!((al.public_cost_avoided.unwrap() - 6000.0).abs() < 1e-9);
        assert!((al.public_cost_avoided_per_family.unwrap() - 3000.0).abs() < 1e-9);
        assert!((al.cost_avoided_per_cost.unwrap() - 2.0).abs() < 1e-12);
        let am = &rows[1];
        assert!(!am.suppressed);
        assert_eq!(
            (am.placements_avoided, am.public_cost_avoided),
            (None, None)
        );
        assert!(am.avoided_note.contains("no comparison arm"));
        // min_cell 2: AL's comparison arm has 1 child left at the horizon: its avoided
        // cells are blank with the reason, its cost figures shown.
        let rows = cost_of_care(&ds, &inputs, &avoided_by_country(&ds, 1.0), 2, 1.0);
        let al = &rows[0];
        assert!(!al.suppressed);
        assert_eq!(
            (al.placements_avoided, al.public_cost_avoided),
            (None, None)
        );
        assert_eq!(al.children_programme, Some(4));
        assert!(al.avoided_note.contains("comparison arm are followed"));
        assert_eq!(al.families, Some(2));
        // min_cell 3: AL's comparison arm has 2 children and AM 2 programme families:
        // both suppressed, every case figure blank.
        let rows = cost_of_care(&ds, &inputs, &avoided_by_country(&ds, 1.0), 3, 1.0);
        assert!(rows.iter().all(|r| r.suppressed));
        assert!(rows
            .iter()
            .all(|r| r.public_cost_avoided.is_none() && r.children_programme.is_none()));
    }
}
