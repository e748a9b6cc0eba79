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
//!
//! Replicates resample cohort families within arm ([`Resampler::stratified`], seeded,
//! identical on any thread count) and recompute every quantity as a counts-weighted
//! statistic of the same per-family units: nothing is copied per replicate. The IPW
//! weights are those of the full data (the response model is not refitted per replicate).
//! Each replicate also carries `inputs`: programme-level costs plus the services of
//! programme families, those of cohort families weighted by their multiplicity.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::costs;
use crate::dates::{add_years, Day, DAYS_PER_YEAR};
use crate::ingest::Dataset;
use crate::sroi::data::{cost_per_placement, CareMix, DataValues, INPUTS_KEY};
use crate::stats::{KaplanMeier, Resampler, UnitTimes};

use super::error::OutcomeError;
use super::followup::{key, year_weights};
use super::groups::breakdowns;
use super::options::OutcomeOptions;
use super::partial::{partial_in, Pattern};
use super::record::{is_programme, Context, FamilyRecord, FollowUp, YEARS};

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
    programme: bool,
    children: u32,
    /// IPW weight (or 1) when observed in year k, and whether doing well overall.
    years: [Option<(f64, bool)>; YEARS],
    /// Income deltas at years 1..5 (NaN when missing).
    deltas: [f64; YEARS],
    /// Services cost of the family (programme arm), real.
    services: f64,
}

const PLACEMENT: u8 = 0;
const RETURN: u8 = 1;

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
    let mut weights: Vec<Option<HashMap<_, f64>>> = Vec::new();
    for y in 0..YEARS as u8 {
        match year_weights(&state, y) {
            Ok(w) => weights.push(w),
            Err(why) => {
                notes.push(format!(
                    "families_doing_well_y{}: unweighted share (IPW not fitted: {why})",
                    y + 1
                ));
                weights.push(None);
            }
        }
    }
    let weight_of = |r: &FamilyRecord, y: usize| -> f64 {
        let Some(w) = &weights[y] else { return 1.0 };
        let f = r.family as usize;
        let (score_sum, score_n) = r.intake_sum();
        let pat = Pattern {
            country: ds.families.country[f],
            risk: ds.families.risk_level[f],
            household: ds.families.household_type[f],
            service_model: ds.episodes.service_model[r.episode as usize],
            score_sum,
            score_n,
        };
        w.get(&key(&state, &pat)).copied().unwrap_or(1.0)
    };

    // Services cost per family (programme arm).
    let mut services = vec![0.0; ds.families.len()];
    for i in 0..ds.services.len() {
        services[ds.episodes.family[ds.services.episode[i] as usize] as usize] +=
            ds.services.cost_real[i];
    }

    // Per-family units, child times and placements, in family order.
    type Extracted = (Unit, Vec<(i32, bool)>, Vec<(usize, f64)>);
    let horizon_day: Day = add_years(0, horizon_years);
    let placements = placement_cells(ds);
    let per_family: Vec<Extracted> = (0..ds.families.len())
        .into_par_iter()
        .filter_map(|f| {
            let r = cx.record(f)?;
            let programme = is_programme(r.arm);
            let years = std::array::from_fn(|k| match &r.followup[k] {
                FollowUp::Observed(sc) if programme => {
                    Some((weight_of(&r, k), FamilyRecord::overall_well(sc, &settings)))
                }
                _ => None,
            });
            let deltas = std::array::from_fn(|k| r.income[k + 2] - r.income[0]);
            let unit = Unit {
                programme,
                children: r.children_valid,
                years,
                deltas,
                services: if programme { services[f] } else { 0.0 },
            };
            Some((unit, r.children_times.clone(), placements.of_family(f)))
        })
        .collect();
    if per_family.is_empty() {
        return Err(OutcomeError::NoCohort);
    }
    let units: Vec<&Unit> = per_family.iter().map(|e| &e.0).collect();
    let arms: Vec<usize> = units.iter().map(|u| usize::from(!u.programme)).collect();
    let has_comparison = arms.contains(&1);

    // Children of each arm with their family's unit index.
    let mut child_unit: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    let mut child_times: [Vec<(i32, bool)>; 2] = [Vec::new(), Vec::new()];
    for (i, e) in per_family.iter().enumerate() {
        child_unit[arms[i]].extend(std::iter::repeat_n(i, e.1.len()));
        child_times[arms[i]].extend(e.1.iter().copied());
    }
    let times = [
        UnitTimes::new(&child_times[0]),
        UnitTimes::new(&child_times[1]),
    ];
    let spells: Vec<(usize, usize, f64)> = per_family
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.2.iter().map(move |&(cell, years)| (i, cell, years)))
        .collect();

    // Income years with enough data in both arms (fixed for the replicates).
    let min = settings.min_cell as f64;
    let ones = vec![1u32; units.len()];
    let income_years: Vec<usize> = (0..YEARS)
        .filter(|&k| {
            let n = |prog: bool| {
                units
                    .iter()
                    .filter(|u| u.programme == prog && !u.deltas[k].is_nan())
                    .count() as f64
            };
            n(true) >= min && (!has_comparison || n(false) >= min)
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
        notes.push("avoided_placements not measured: no comparison arm; use the model's baseline_placement_rate (sroi::data::baseline_incidence)".into());
    } else if let Ok(km) = times[1]
        .table(&vec![1; child_unit[1].len()])
        .and_then(|t| KaplanMeier::new(&t))
    {
        if km.at_risk_at(horizon_day) < settings.min_cell {
            notes.push(format!(
                "avoided_placements: fewer than {} comparison children are followed to the horizon ({horizon_years} years); F_c(H) is carried from the last observed time",
                settings.min_cell
            ));
        }
    }
    if placements.cells.is_empty() {
        notes.push("cost_per_placement not measured: no placement in care_events has a care_costs entry for its country and care type".into());
    }
    notes.extend(placements.notes.iter().cloned());

    let fixed_inputs = costs::inputs(ds).total - units.iter().map(|u| u.services).sum::<f64>();

    let stat = |counts: &[u32], with_inputs: bool| -> DataValues {
        // One pass over the families for every counts-weighted sum.
        let (mut n_prog, mut children, mut services) = (0.0, 0.0, 0.0);
        let mut doing = [[0.0f64; 2]; YEARS];
        let mut income = [[[0.0f64; 2]; 2]; YEARS];
        for (u, &c) in units.iter().zip(counts) {
            if c == 0 {
                continue;
            }
            let c = f64::from(c);
            let arm = usize::from(!u.programme);
            if u.programme {
                n_prog += c;
                children += c * f64::from(u.children);
                services += c * u.services;
            }
            for k in 0..YEARS {
                if let Some((wt, ok)) = u.years[k] {
                    doing[k][0] += c * wt;
                    if ok {
                        doing[k][1] += c * wt;
                    }
                }
                if !u.deltas[k].is_nan() {
                    income[k][arm][0] += c * u.deltas[k];
                    income[k][arm][1] += c;
                }
            }
        }
        let mut v = DataValues::new();
        v.insert("families_programme", n_prog);
        v.insert("children_programme", children);
        for (k, [w, well]) in doing.iter().enumerate() {
            if *w > 0.0 {
                v.insert(
                    &format!("families_doing_well_y{}", k + 1),
                    n_prog * well / w,
                );
            }
        }
        if has_comparison {
            let f = |arm: usize| {
                let c: Vec<u32> = child_unit[arm].iter().map(|&i| counts[i]).collect();
                times[arm]
                    .table(&c)
                    .ok()
                    .and_then(|t| KaplanMeier::new(&t).ok())
                    .map(|km| 1.0 - km.survival_at(horizon_day))
            };
            if let (Some(fp), Some(fc)) = (f(0), f(1)) {
                v.insert("avoided_placements", children * (fc - fp));
            }
        }
        if !income_years.is_empty() {
            let mean = |k: usize, arm: usize| income[k][arm][0] / income[k][arm][1];
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
        if !placements.cells.is_empty() {
            let mut acc = vec![[0.0f64; 2]; placements.cells.len()];
            for &(i, cell, years) in &spells {
                let c = f64::from(counts[i]);
                acc[cell][0] += c;
                acc[cell][1] += c * years;
            }
            let mix: Vec<CareMix> = acc
                .iter()
                .zip(&placements.cells)
                .filter(|(a, _)| a[0] > 0.0)
                .map(|(a, &cost)| CareMix {
                    weight: a[0],
                    mean_years: a[1] / a[0],
                    cost_per_child_year: cost,
                })
                .collect();
            if let Ok(c) = cost_per_placement(&mix) {
                v.insert("cost_per_placement", c);
            }
        }
        if with_inputs {
            v.insert(INPUTS_KEY, fixed_inputs + services);
        }
        v
    };
    let base = stat(&ones, false);
    let replicates = Resampler::stratified(&arms)
        .map(|r| r.run(settings.bootstrap_reps, settings.seed, |c| stat(c, true)))
        .unwrap_or_default();
    Ok(DataQuantities {
        base,
        replicates,
        notes,
    })
}

/// Placements of cohort children, by (country, care type) cell with its real cost.
pub(crate) struct Placements {
    /// Real cost per child-year of each cell.
    pub(crate) cells: Vec<f64>,
    /// Per family: (cell, placement length in years).
    by_family: HashMap<usize, Vec<(usize, f64)>>,
    pub(crate) notes: Vec<String>,
}

impl Placements {
    pub(crate) fn of_family(&self, f: usize) -> Vec<(usize, f64)> {
        self.by_family.get(&f).cloned().unwrap_or_default()
    }
}

/// Every placement spell in `care_events` (placement to the next `return_home`, or the
/// cut-off), typed by the placement's care type, costed at its country's care cost.
pub(crate) fn placement_cells(ds: &Dataset) -> Placements {
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
            costs::care_cost(ds, name, care).map(|c| {
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
                let ct = crate::schema::CARE_TYPES
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
