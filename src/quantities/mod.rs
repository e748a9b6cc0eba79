//! The data-derived quantities of the SROI model (`sroi::data::DATA_KEYS`), with
//! bootstrap replicates.
//!
//! | key | how it is measured here |
//! |---|---|
//! | `families_programme` | programme-arm families with an exit (the cohort) |
//! | `children_programme` | their children with a usable care history |
//! | `avoided_placements` | `children_programme x (F_c(H) - F_p(H))`, child-level Kaplan-Meier per arm at the horizon `H` (`round(H x 365.25)` days); only with a comparison arm |
//! | `cost_per_placement` | [`cost_per_placement`] over the placements in `care_events` of cohort children: per (country, care type of the placement) the number of placements, their mean length in years (to the next `return_home`, or the cut-off for open ones, which shortens them) and the real `care_costs` of that country (latest year) |
//! | `income_effect_annual` | the mean, over follow-up years 1..5 in which both arms have at least `min_cell` families with a delta, of that year's difference in differences (one year's effect is noisy; the mean keeps every year with enough data). Without a comparison arm, the programme's mean change (the model applies deadweight) |
//! | `families_doing_well_yk` | `families_programme x` the share doing well overall in year k, IPW-weighted when the non-response model was fitted (the number of the cohort's families estimated to do well, not only those seen) |
//! | `reintegrations_sustained` | programme-arm children in care at intake who returned home during the programme, `x` the child-level Kaplan-Meier share still home (no new placement) at the horizon after their return (`reintegration` table, docs/method.md section 3.6) |
//! | `comparison_doing_well_yk` | the comparison arm's share doing well overall in year k, IPW-weighted by the comparison arm's own non-response model when it was fitted: a measured deadweight for the well-being outcome |
//!
//! Replicates resample cohort families ([`PoissonBootstrap`]: a Poisson(1) multiplicity per
//! family from its id hash, seeded, identical on any thread count or partitioning) and
//! recompute every quantity from counts-weighted sums of the same per-family units, all
//! replicates in batched passes: nothing is copied per replicate. The number of families
//! served is fixed by design, so a replicate keeps `families_programme` and scales its
//! per-family sums (children, services) to it. The IPW weights are those of the full data
//! (the response model is not refitted per replicate). Each replicate also carries
//! `inputs`: programme-level costs plus the cohort's services at the replicate's mean per
//! family. A replicate that cannot measure every key the data measures (an arm or a year
//! with no family drawn, possible only in tiny cohorts) is left out and counted in the notes.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::costs::placements::{cost_per_placement, placement_cells, CareMix};
use crate::costs::{self};
use crate::dates::{add_years, Day};
use crate::ingest::Dataset;
use crate::outcomes::followup::{key, year_weights};
use crate::outcomes::groups::breakdowns;
use crate::outcomes::partial::{family_key, partial_in, Pattern};
use crate::outcomes::record::{is_programme, Context, FamilyRecord, FollowUp, YEARS};
use crate::outcomes::reintegration;
use crate::outcomes::{OutcomeError, OutcomeOptions};
use crate::sroi::data::{DataValues, INPUTS_KEY};
use crate::stats::{at_risk_from_slots, survival_from_slots, PoissonBootstrap};

mod by_country;

pub use by_country::avoided_by_country;

/// Children kept out of care by the horizon: `N_children_programme x (F_c(H) - F_p(H))`,
/// with `F` the cumulative placement incidence (1 - Kaplan-Meier survival) of the
/// comparison arm and the programme.
pub fn avoided_placements(children_programme: f64, f_comparison: f64, f_programme: f64) -> f64 {
    children_programme * (f_comparison - f_programme)
}

/// Data-derived quantities and their bootstrap replicates.
#[derive(Debug, Clone, PartialEq)]
pub struct DataQuantities {
    /// Point estimates.
    pub base: DataValues,
    /// One set per bootstrap replicate (same keys, plus `inputs`).
    pub replicates: Vec<DataValues>,
    /// What could not be measured and why.
    pub notes: Vec<String>,
}

/// One cohort family, reduced to what the quantities need.
struct Unit {
    /// Hash of the family id: its bootstrap multiplicities.
    key: u64,
    /// 0 programme, 1 comparison.
    arm: usize,
    /// 1 for a programme family, else 0; its children with a usable care history (0 in
    /// the comparison arm, which the programme totals do not count).
    programme: f64,
    children: f64,
    /// Per year k: IPW weight (or 1) when observed (else 0), and the same when doing well
    /// overall (else 0). Zeros rather than options keep the replicate loop branch-free.
    observed: [f64; YEARS],
    well: [f64; YEARS],
    /// Per year: income delta (0 when missing) and 1 when there is one (else 0).
    deltas: [f64; YEARS],
    has_delta: [f64; YEARS],
    /// Services cost of the family (programme arm), real.
    services: f64,
    /// Its children up to the horizon in [`Cohort::kids`], and how many are followed past
    /// it (they only count as at risk: one addition instead of one per child, which on a
    /// shared slot would be a chain of dependent stores).
    kids: (usize, usize),
    beyond: u32,
    spells: (usize, usize),
    /// Programme arm: its children returned home during the programme, their times home
    /// up to the horizon in [`Cohort::homes`], and how many are followed past it.
    returned: f64,
    homes: (usize, usize),
    homes_beyond: u32,
}

/// Measure the SROI model's data keys for a horizon of `horizon_years` years.
///
/// # Errors
/// The option errors of [`OutcomeOptions::check`], [`OutcomeError::InvalidOption`] for a
/// horizon that is not positive, [`OutcomeError::NoCohort`] without an exit.
pub fn sroi_quantities(
    ds: &Dataset,
    opts: &OutcomeOptions,
    horizon_years: f64,
) -> Result<DataQuantities, OutcomeError> {
    let settings = opts.clone().with_by(Vec::new()).check()?;
    if !(horizon_years.is_finite() && horizon_years > 0.0) {
        return Err(OutcomeError::InvalidOption {
            name: "horizon_years",
            value: horizon_years.to_string(),
            expected: "a positive number of years (the model's study.horizon_years)",
        });
    }
    let cx = Context::new(ds, &settings, breakdowns(&[], ds));
    let mut notes = Vec::new();

    // IPW weights per year, as in followup_domains.
    let state = partial_in(&cx, 0..ds.families.len());
    // Per year, the weight of each covariate pattern (each arm its own model), keyed by
    // the pattern's codes (the fit keys patterns by country name, which would cost a
    // string per family and year). A pattern without a weight (its arm's model was not
    // fitted) counts unweighted.
    let mut weights: Vec<HashMap<Pattern, f64>> = vec![HashMap::new(); YEARS];
    for arm in 0..2u8 {
        let name = if arm == 0 {
            "families_doing_well"
        } else {
            "comparison_doing_well"
        };
        for y in 0..YEARS as u8 {
            match year_weights(&state, arm, y) {
                Ok(w) => {
                    if let Some(w) = w {
                        weights[y as usize].extend(
                            state
                                .ipw_fit
                                .keys()
                                .filter(|(year, pat)| *year == y && pat.arm == arm)
                                .filter_map(|(_, pat)| {
                                    w.get(&key(&state, pat)).map(|&v| (*pat, v))
                                }),
                        );
                    }
                }
                Err(why) => notes.push(format!(
                    "{name}_y{}: unweighted share (IPW not fitted: {why})",
                    y + 1
                )),
            }
        }
    }
    let weight_of = |r: &FamilyRecord, y: usize| -> f64 {
        let w = &weights[y];
        let f = r.family as usize;
        let (score_sum, score_n) = r.intake_sum();
        let pat = Pattern {
            arm: r.arm,
            country: ds.families.country[f],
            risk: ds.families.risk_level[f],
            household: ds.families.household_type[f],
            service_model: ds.episodes.service_model[r.episode as usize],
            score_sum,
            score_n,
        };
        w.get(&pat).copied().unwrap_or(1.0)
    };

    // Services cost per family (programme arm).
    let mut services = vec![0.0; ds.families.len()];
    for i in 0..ds.services.len() {
        services[ds.episodes.family[ds.services.episode[i] as usize] as usize] +=
            ds.services.cost_real[i];
    }

    // Per-family units, in family order, with their children's survival slots and their
    // placement spells flattened beside them.
    let horizon_day: Day = add_years(0, horizon_years);
    let placements = placement_cells(ds);
    type Extracted = (Unit, Vec<(i32, bool)>, Vec<(usize, f64)>, Vec<(i32, bool)>);
    let per_family: Vec<Extracted> = (0..ds.families.len())
        .into_par_iter()
        .filter_map(|f| {
            let r = cx.record(f)?;
            let programme = is_programme(r.arm);
            let years: [Option<(f64, bool)>; YEARS] =
                std::array::from_fn(|k| match &r.followup[k] {
                    FollowUp::Observed(sc) => {
                        Some((weight_of(&r, k), FamilyRecord::overall_well(sc, &settings)))
                    }
                    _ => None,
                });
            let deltas: [f64; YEARS] = std::array::from_fn(|k| r.income[k + 2] - r.income[0]);
            let unit = Unit {
                key: family_key(&ds.families.ids[f]),
                arm: usize::from(!programme),
                programme: if programme { 1.0 } else { 0.0 },
                children: if programme {
                    f64::from(r.children_valid)
                } else {
                    0.0
                },
                observed: years.map(|y| y.map_or(0.0, |(w, _)| w)),
                well: years.map(|y| y.map_or(0.0, |(w, ok)| if ok { w } else { 0.0 })),
                deltas: deltas.map(|d| if d.is_nan() { 0.0 } else { d }),
                has_delta: deltas.map(|d| if d.is_nan() { 0.0 } else { 1.0 }),
                services: if programme { services[f] } else { 0.0 },
                kids: (0, 0),
                beyond: 0,
                spells: (0, 0),
                returned: 0.0,
                homes: (0, 0),
                homes_beyond: 0,
            };
            let home = if programme {
                reintegration::family(&cx, &r).home
            } else {
                Vec::new()
            };
            Some((unit, r.children_times, placements.of_family(f), home))
        })
        .collect();
    if per_family.is_empty() {
        return Err(OutcomeError::NoCohort);
    }
    let mut days: [Vec<i32>; 2] = [Vec::new(), Vec::new()];
    let mut home_days: Vec<i32> = Vec::new();
    for (u, times, _, home) in &per_family {
        days[u.arm].extend(times.iter().map(|t| t.0).filter(|&d| d <= horizon_day));
        home_days.extend(home.iter().map(|t| t.0).filter(|&d| d <= horizon_day));
    }
    for d in days.iter_mut().chain(std::iter::once(&mut home_days)) {
        d.sort_unstable();
        d.dedup();
    }
    let mut data = Cohort {
        units: Vec::with_capacity(per_family.len()),
        kids: Vec::new(),
        spells: Vec::new(),
        homes: Vec::new(),
        slots: [days[0].len() + 1, days[1].len() + 1],
        home_slots: home_days.len() + 1,
        cells: placements.cells.len(),
    };
    for (mut u, times, spells, home) in per_family {
        let arm_days = &days[u.arm];
        let start = data.kids.len();
        data.kids.extend(
            times
                .iter()
                .filter(|&&(d, _)| d <= horizon_day)
                .map(|&(d, event)| (arm_days.partition_point(|&x| x < d) as u32, event)),
        );
        u.kids = (start, data.kids.len());
        u.beyond = (times.len() - (u.kids.1 - start)) as u32;
        let start = data.spells.len();
        data.spells.extend(spells);
        u.spells = (start, data.spells.len());
        let start = data.homes.len();
        data.homes.extend(
            home.iter()
                .filter(|&&(d, _)| d <= horizon_day)
                .map(|&(d, event)| (home_days.partition_point(|&x| x < d) as u32, event)),
        );
        u.homes = (start, data.homes.len());
        u.homes_beyond = (home.len() - (u.homes.1 - start)) as u32;
        u.returned = home.len() as f64;
        data.units.push(u);
    }
    let has_comparison = data.units.iter().any(|u| u.arm == 1);
    let base_acc = data.sums();

    // Income years with enough data in both arms (fixed for the replicates).
    let min = settings.min_cell as f64;
    let income_years: Vec<usize> = (0..YEARS)
        .filter(|&k| {
            let n = |arm: usize| base_acc.income[k][arm][1];
            n(0) >= min && (!has_comparison || n(1) >= min)
        })
        .collect();
    if income_years.is_empty() {
        notes.push(format!(
            "income_effect_annual not measured: no follow-up year has {} families with an income change in each arm",
            settings.min_cell
        ));
    } else if !has_comparison {
        notes.push("income_effect_annual is the programme's mean change (no comparison arm): apply deadweight in the model".into());
    }
    if !has_comparison {
        notes.push("avoided_placements not measured: no comparison arm gives the counterfactual placement rate".into());
    } else if at_risk_from_slots(&base_acc.km[1], &days[1], horizon_day) < settings.min_cell {
        notes.push(format!(
            "avoided_placements: fewer than {} comparison children are followed to the horizon ({horizon_years} years); F_c(H) is carried from the last observed time",
            settings.min_cell
        ));
    }
    if placements.cells.is_empty() {
        notes.push("cost_per_placement not measured: no placement in care_events has a care_costs entry for its country and care type".into());
    }
    notes.extend(placements.notes.iter().cloned());

    let base_services = base_acc.services;
    let fixed_inputs = costs::inputs(ds).total - base_services;
    let n_base = base_acc.n_prog;

    // The quantities of one set of sums. Replicates keep the number of families served
    // (fixed by design) and scale their per-family sums to it: with Poisson multiplicities
    // the replicate's arm size varies, and the ratios are what the resampling measures.
    let values = |acc: &Sums, replicate: bool| -> DataValues {
        let mut v = DataValues::new();
        let per_family = |x: f64| {
            if replicate {
                n_base * x / acc.n_prog
            } else {
                x
            }
        };
        let children = per_family(acc.children);
        v.insert("families_programme", n_base);
        v.insert("children_programme", children);
        for (k, [[w, well], [wc, wellc]]) in acc.doing.iter().enumerate() {
            if *w > 0.0 {
                v.insert(
                    &format!("families_doing_well_y{}", k + 1),
                    n_base * well / w,
                );
            }
            if *wc > 0.0 {
                v.insert(&format!("comparison_doing_well_y{}", k + 1), wellc / wc);
            }
        }
        if has_comparison {
            let f = |arm: usize| {
                survival_from_slots(&acc.km[arm], &days[arm], horizon_day).map(|s| 1.0 - s)
            };
            if let (Some(fp), Some(fc)) = (f(0), f(1)) {
                v.insert("avoided_placements", avoided_placements(children, fc, fp));
            }
        }
        if !income_years.is_empty() {
            let mean = |k: usize, arm: usize| acc.income[k][arm][0] / acc.income[k][arm][1];
            let effects: Vec<f64> = income_years
                .iter()
                .map(|&k| {
                    if has_comparison {
                        mean(k, 0) - mean(k, 1)
                    } else {
                        mean(k, 0)
                    }
                })
                .collect();
            v.insert(
                "income_effect_annual",
                effects.iter().sum::<f64>() / effects.len() as f64,
            );
        }
        if let Some(s) = survival_from_slots(&acc.home_km, &home_days, horizon_day) {
            v.insert("reintegrations_sustained", per_family(acc.returned) * s);
        }
        if !placements.cells.is_empty() {
            let mix: Vec<CareMix> = acc
                .placements
                .iter()
                .zip(&placements.cells)
                .filter(|(a, _)| a[0] > 0.0)
                .map(|(a, &cost)| CareMix {
                    weight: a[0],
                    mean_years: a[1] / a[0],
                    cost_per_child_year: cost,
                })
                .collect();
            if let Some(c) = cost_per_placement(&mix) {
                v.insert("cost_per_placement", c);
            }
        }
        if replicate {
            v.insert(INPUTS_KEY, fixed_inputs + per_family(acc.services));
        }
        v
    };
    let base = values(&base_acc, false);
    // A replicate is usable when it measures every key the data measures, with finite
    // values (it is not when, in a small cohort, an arm or a year drew no family).
    let usable = |r: &DataValues| {
        base.iter()
            .all(|(k, _)| r.get_opt(k).is_some_and(f64::is_finite))
    };
    let all: Vec<DataValues> = data
        .replicate_sums(settings.bootstrap_reps, settings.seed)
        .iter()
        .map(|acc| values(acc, true))
        .collect();
    let drawn = all.len();
    let replicates: Vec<DataValues> = all.into_iter().filter(usable).collect();
    if replicates.len() < drawn {
        notes.push(format!(
            "{} of {drawn} bootstrap replicates left out: an arm or a follow-up year drew no family in them",
            drawn - replicates.len()
        ));
    }
    Ok(DataQuantities {
        base,
        replicates,
        notes,
    })
}

/// The cohort, flattened for the sums and their replicates.
struct Cohort {
    units: Vec<Unit>,
    /// Per child up to the horizon, in unit order: (survival slot in its arm, placed?).
    kids: Vec<(u32, bool)>,
    /// Per placement spell, in unit order: (cost cell, length in years).
    spells: Vec<(usize, f64)>,
    /// Per programme child returned home, up to the horizon, in unit order: (slot of its
    /// time home, placed again?).
    homes: Vec<(u32, bool)>,
    /// Slots of the times home: the distinct days up to the horizon, and one beyond.
    home_slots: usize,
    /// Survival slots per arm: the distinct days up to the horizon, and one beyond.
    slots: [usize; 2],
    /// Placement cost cells.
    cells: usize,
}

/// Counts-weighted sums over the cohort: everything the quantities are ratios of.
#[derive(Debug, Clone)]
struct Sums {
    n_prog: f64,
    children: f64,
    services: f64,
    /// Per year and arm: weighted families observed, of which doing well.
    doing: [[[f64; 2]; 2]; YEARS],
    /// Per year and arm: sum of income deltas and families with one.
    income: [[[f64; 2]; 2]; YEARS],
    /// Per cost cell: placements and placement-years.
    placements: Vec<[f64; 2]>,
    /// Per arm and survival slot: (events, censored) children. `u32` keeps a replicate's
    /// tables small enough for a batch of replicates to stay in L2 (the hot spot).
    km: [Vec<[u32; 2]>; 2],
    /// Programme children returned home, and per slot (placed again, censored).
    returned: f64,
    home_km: Vec<[u32; 2]>,
}

impl Cohort {
    fn empty(&self) -> Sums {
        Sums {
            n_prog: 0.0,
            children: 0.0,
            services: 0.0,
            doing: [[[0.0; 2]; 2]; YEARS],
            income: [[[0.0; 2]; 2]; YEARS],
            placements: vec![[0.0; 2]; self.cells],
            km: [vec![[0; 2]; self.slots[0]], vec![[0; 2]; self.slots[1]]],
            returned: 0.0,
            home_km: vec![[0; 2]; self.home_slots],
        }
    }

    /// Add unit `u` counted `c` times.
    fn add(&self, acc: &mut Sums, u: &Unit, c: u32) {
        let w = f64::from(c);
        acc.n_prog += w * u.programme;
        acc.children += w * u.children;
        acc.services += w * u.services;
        for (k, (doing, income)) in acc.doing.iter_mut().zip(&mut acc.income).enumerate() {
            doing[u.arm][0] += w * u.observed[k];
            doing[u.arm][1] += w * u.well[k];
            income[u.arm][0] += w * u.deltas[k];
            income[u.arm][1] += w * u.has_delta[k];
        }
        let km = &mut acc.km[u.arm];
        for &(slot, event) in &self.kids[u.kids.0..u.kids.1] {
            km[slot as usize][usize::from(!event)] += c;
        }
        // The last slot: followed past the horizon (counted as censored there).
        if let Some(last) = km.last_mut() {
            last[1] += c * u.beyond;
        }
        acc.returned += w * u.returned;
        for &(slot, event) in &self.homes[u.homes.0..u.homes.1] {
            acc.home_km[slot as usize][usize::from(!event)] += c;
        }
        if let Some(last) = acc.home_km.last_mut() {
            last[1] += c * u.homes_beyond;
        }
        for &(cell, years) in &self.spells[u.spells.0..u.spells.1] {
            acc.placements[cell][0] += w;
            acc.placements[cell][1] += w * years;
        }
    }

    /// The sums over the data (every unit once).
    fn sums(&self) -> Sums {
        let mut acc = self.empty();
        for u in &self.units {
            self.add(&mut acc, u, 1);
        }
        acc
    }

    /// The sums of each bootstrap replicate.
    fn replicate_sums(&self, reps: usize, seed: u64) -> Vec<Sums> {
        PoissonBootstrap::new(seed).accumulate(
            reps,
            &self.units,
            |u| u.key,
            || self.empty(),
            |acc, u, c| self.add(acc, u, c),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::from_ymd;
    use crate::outcomes::test_data::Builder;

    // Issue 17, item 6. Year 1: ten programme families seen, 8 doing well (all eight
    // domains at 3); ten comparison families seen, 6 doing well. Everyone responds, so
    // neither arm's model can be fitted: unweighted shares, with a note each.
    // families_doing_well_y1 = 10 x 8/10 = 8; comparison_doing_well_y1 = 6/10 = 0.6.
    #[test]
    fn comparison_doing_well_is_the_comparison_arms_share() {
        let e = from_ymd(2020, 1, 1).unwrap();
        let mut b = Builder::new(from_ymd(2025, 12, 31).unwrap());
        for arm in 0..2u8 {
            for i in 0..10 {
                let f = b.family(arm, 0, 0, e - 200, Some(e));
                b.sitting(f, e - 200, 0, &[2; 8]);
                let well = i < if arm == 0 { 8 } else { 6 };
                b.sitting(f, e + 365, 3, &[if well { 3 } else { 1 }; 8]);
            }
        }
        let q = sroi_quantities(&b.build(), &OutcomeOptions::new().with_min_cell(5), 5.0).unwrap();
        assert!((q.base.get_opt("families_doing_well_y1").unwrap() - 8.0).abs() < 1e-12);
        assert!((q.base.get_opt("comparison_doing_well_y1").unwrap() - 0.6).abs() < 1e-12);
        assert!(q
            .notes
            .iter()
            .any(|n| n.starts_with("comparison_doing_well_y1: unweighted share")));
        assert!(q.base.get_opt("comparison_doing_well_y2").is_none());
    }

    // Four programme children in care at intake return home on day 100 after intake; one
    // is placed again 200 days after its return, one is followed only 100 days (to the
    // cut-off). Staying home: a censoring at day 100 (4 -> 3 at risk), then 1 event of 3
    // at day 200, so S(1 year) = 2/3 and reintegrations_sustained = 4 x 2/3.
    #[test]
    fn reintegrations_sustained_is_returns_times_staying_home() {
        let i = from_ymd(2020, 1, 1).unwrap();
        let cutoff = from_ymd(2025, 12, 31).unwrap();
        let mut b = Builder::new(cutoff);
        for k in 0..4 {
            let intake = if k == 3 { cutoff - 200 } else { i };
            let f = b.family(0, 0, 0, intake, Some(intake + 150));
            b.sitting(f, intake, 0, &[2; 8]);
            let c = b.child(f, true);
            b.event(c, intake + 100, 1);
            if k == 0 {
                b.event(c, intake + 300, 0);
            }
        }
        let q = sroi_quantities(&b.build(), &OutcomeOptions::new().with_min_cell(5), 1.0).unwrap();
        let v = q.base.get_opt("reintegrations_sustained").unwrap();
        assert!((v - 4.0 * 2.0 / 3.0).abs() < 1e-12, "{v}");
    }
}
