//! The data-derived quantities of the SROI model (`sroi::data::DATA_KEYS`), with
//! bootstrap replicates.
//!
//! | key | how it is measured here |
//! |---|---|
//! | `families_programme` | programme-arm families with an exit (the cohort) |
//! | `children_programme` | their children with a usable care history |
//! | `children_at_risk_programme` | of those, the children living in the family at exit (not in care): the children a placement after exit can happen to |
//! | `avoided_placements` | `children_at_risk_programme x (F_c(H) - F_p(H))`, child-level Kaplan-Meier per arm at the horizon `H` (`round(H x 365.25)` days); with a comparison arm. Without one, `F_c(H)` is the model's `[study.baseline_placement_rate]` at year `H` (the last year given when `H` is beyond it), weighted by the programme's children at risk by risk level ([`baseline_incidence`]); the yearly series below then are not measured |
//! | `avoided_placements_start_yk` | `children_at_risk_programme x (D(k) - D(k-1))`, `D(t) = F_c(t) - F_p(t)`, k = 1..ceil(H) (the last boundary at H): placements avoided that would have begun in year k |
//! | `avoided_placements_yt` | [`stays::timed_placements`]: the year-k placements, begun mid-year, spread over the years of their expected stay (stay survival to the cap); sums to `avoided_placements` |
//! | `placement_stay_years` | Kaplan-Meier restricted mean length of the post-exit stays of cohort children (both arms), to [`STAY_CAP_YEARS`]; open stays censored at the cut-off |
//! | `cost_per_placement` | `placement_stay_years x` cost per child-year of those stays (their observed costed time, each part at the `care_costs` of the country, care type and calendar year of care, to the cap) |
//! | `income_effect_annual` | the mean, over follow-up years 1..5 in which both arms have at least `min_cell` families with a delta, of that year's difference in differences, each arm's deltas weighted for income non-response as `income_effect`'s `effect_weighted` (one year's effect is noisy; the mean keeps every year with enough data). Without a comparison arm, the programme's mean change (the model applies deadweight) |
//! | `income_effect_yk` | that year's difference in differences, for each such year k (the timed flows of `flows = "data"`) |
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
//!
//! (The file runs past 700 lines: one pass builds every data key from the same per-family
//! units and counts-weighted sums, which the replicate loop shares, so the units, the
//! sums and the keys change together; a fifth of it is the tests beside the code. Its
//! next split: the units and sums into `cohort.rs`, the tests into `tests.rs`.)

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::adjust::design::{self, CohortFamily};
use crate::adjust::propensity;
use crate::costs::stays::{self, cap_days, km_steps, post_exit_stays, survival_integral};
use crate::costs::{self};
use crate::dates::{add_years, Day};
use crate::ingest::Dataset;
use crate::outcomes::followup::{fit_weights, key, year_weights};
use crate::outcomes::groups::breakdowns;
use crate::outcomes::partial::{family_key, partial_in, Pattern};
use crate::outcomes::record::{is_programme, Context, FamilyRecord, FollowUp, YEARS};
use crate::outcomes::reintegration;
use crate::outcomes::{OutcomeError, OutcomeOptions};
use crate::schema::RISK_LEVELS;
use crate::settings::{AdjustMethod, Adjustment};
use crate::sroi::data::{DataValues, INPUTS_KEY, STAY_CAP_YEARS};
use crate::stats::{
    at_risk_from_slots, survival_from_slots, survival_from_weighted_slots, PoissonBootstrap,
};
use adjusted::{AdjCohort, AdjSums};

mod adjusted;
mod adjusted_tables;
mod by_country;

pub use adjusted_tables::{AdjustedEstimateRow, AdjustedTables};
pub use by_country::avoided_by_country;

/// Children kept out of care by the horizon: `N_at_risk_programme x (F_c(H) - F_p(H))`,
/// with `F` the cumulative placement incidence (1 - Kaplan-Meier survival) of the
/// comparison arm and the programme, and `N` the programme's children at risk after exit
/// (living in the family at exit).
pub fn avoided_placements(children_programme: f64, f_comparison: f64, f_programme: f64) -> f64 {
    children_programme * (f_comparison - f_programme)
}

/// Cumulative placement incidence at `horizon` years without a comparison arm: the
/// model's rates by risk level (`rates[level][k]` for year `k + 1`; a horizon beyond the
/// last year given takes the last), weighted by the programme's children at each risk
/// level (`children_by_risk`, in [`RISK_LEVELS`] order). `None` without children.
///
/// # Errors
/// The first risk level with children but no rates, and how many children it has.
pub fn baseline_incidence(
    rates: &BTreeMap<String, Vec<f64>>,
    children_by_risk: &[f64; 4],
    horizon: u32,
) -> Result<Option<f64>, (&'static str, f64)> {
    let mut total = 0.0;
    let mut weighted = 0.0;
    for (level, &n) in RISK_LEVELS.iter().zip(children_by_risk) {
        if n <= 0.0 {
            continue;
        }
        let r = rates.get(*level).ok_or((*level, n))?;
        let k = (horizon.max(1) as usize).min(r.len()) - 1;
        let Some(rate) = r.get(k) else {
            return Err((*level, n));
        };
        total += n;
        weighted += n * rate;
    }
    Ok((total > 0.0).then(|| weighted / total))
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
    /// Each key that could not be measured, with why (with the counts) and what in the
    /// model file or dataset would supply it: the detail of the SROI's missing-data
    /// error when the model references it.
    pub missing: BTreeMap<String, String>,
    /// The other comparison, for the report's side-by-side ratio: the unadjusted values
    /// when `base` is adjusted, the `dr` values when it is not.
    pub alternative: Option<Alternative>,
    /// The adjusted estimates and their diagnostics, when the adjustment was computed.
    pub adjusted: Option<AdjustedTables>,
}

/// A second set of data values (see [`DataQuantities::alternative`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// `none`, `ipw` or `dr`: how its comparison arm was treated.
    pub method: AdjustMethod,
    pub base: DataValues,
    pub replicates: Vec<DataValues>,
}

/// Which comparison the data values use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unadjusted,
    Adjusted { dr: bool },
}

/// One cohort family, reduced to what the quantities need.
struct Unit {
    /// Position in the cohort (the propensity model's row).
    index: usize,
    /// Hash of the family id: its bootstrap multiplicities.
    key: u64,
    /// 0 programme, 1 comparison.
    arm: usize,
    /// 1 for a programme family, else 0; its children with a usable care history (0 in
    /// the comparison arm, which the programme totals do not count).
    programme: f64,
    children: f64,
    /// Of which at risk after exit (living in the family at exit); 0 in the comparison arm.
    at_risk: f64,
    /// Risk level of the family (index into [`RISK_LEVELS`]).
    risk: usize,
    /// Per year k: IPW weight (or 1) when observed (else 0), and the same when doing well
    /// overall (else 0). Zeros rather than options keep the replicate loop branch-free.
    observed: [f64; YEARS],
    well: [f64; YEARS],
    /// Per year: income delta (0 when missing), 1 when there is one (else 0), and its
    /// income non-response weight (0 when missing).
    deltas: [f64; YEARS],
    has_delta: [f64; YEARS],
    delta_weight: [f64; YEARS],
    /// Services cost of the family (programme arm), real.
    services: f64,
    /// Its children up to the horizon in [`Cohort::kids`], and how many are followed past
    /// it (they only count as at risk: one addition instead of one per child, which on a
    /// shared slot would be a chain of dependent stores).
    kids: (usize, usize),
    beyond: u32,
    /// Its post-exit stays in [`Cohort::stays`] (either arm), and their costed cost and years.
    stays: (usize, usize),
    stay_cost: f64,
    stay_years: f64,
    /// Programme arm: its children returned home during the programme, their times home
    /// up to the horizon in [`Cohort::homes`], and how many are followed past it.
    returned: f64,
    homes: (usize, usize),
    homes_beyond: u32,
    /// Row in `families`, mean intake score and annual real intake income (NaN when
    /// missing): the propensity model's covariates beyond the families table.
    family: usize,
    intake_score: f64,
    intake_income: f64,
    /// Change in income between the earliest and latest income before intake (0 when
    /// there are fewer than two), and 1 when there is one (else 0): the pre-trend check.
    pre_delta: f64,
    has_pre: f64,
    /// Income change from intake to exit (0 when missing), and 1 when there is one.
    exit_delta: f64,
    has_exit_delta: f64,
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
    sroi_quantities_with(ds, opts, horizon_years, None, None)
}

/// [`sroi_quantities`], with the model's `[study.baseline_placement_rate]` (cumulative
/// rates by risk level for years 1, 2, ...) standing in for the comparison arm's
/// placement incidence when the dataset has none, and with the propensity adjustment of
/// the comparison arm (`adjustment`; `None` skips it): its tables in
/// [`DataQuantities::adjusted`], and, when its method is not `none`, the adjusted
/// estimates in the comparison-arm keys.
///
/// # Errors
/// As [`sroi_quantities`]; [`OutcomeError::Adjustment`] when the method is not `none`
/// and the propensity model cannot be fitted.
pub fn sroi_quantities_with(
    ds: &Dataset,
    opts: &OutcomeOptions,
    horizon_years: f64,
    baseline: Option<&BTreeMap<String, Vec<f64>>>,
    adjustment: Option<&Adjustment>,
) -> Result<DataQuantities, OutcomeError> {
    let baseline = baseline.filter(|b| !b.is_empty());
    let adjustment = adjustment.filter(|a| a.method != AdjustMethod::Off);
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
    // Income non-response weights per year, as in income_effect's weighted columns (each
    // arm its own model of "income observed, given due with an intake income").
    let mut income_weights: Vec<HashMap<Pattern, f64>> = vec![HashMap::new(); YEARS];
    for arm in 0..2u8 {
        for y in 0..YEARS as u8 {
            match fit_weights(&state.income_fit, &state, arm, y) {
                Ok(Some(w)) => income_weights[y as usize].extend(
                    state
                        .income_fit
                        .keys()
                        .filter(|(year, pat)| *year == y && pat.arm == arm)
                        .filter_map(|(_, pat)| w.get(&key(&state, pat)).map(|&v| (*pat, v))),
                ),
                Ok(None) => {}
                Err(why) => notes.push(format!(
                    "income_effect_y{}: the {} arm's income deltas are unweighted (income non-response model not fitted: {why})",
                    y + 1,
                    if arm == 0 { "programme" } else { "comparison" }
                )),
            }
        }
    }
    let weight_of = |weights: &[HashMap<Pattern, f64>], r: &FamilyRecord, y: usize| -> f64 {
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
    type Extracted = (usize, Unit, Vec<(i32, bool)>, Option<Day>, Vec<(i32, bool)>);
    let mut per_family: Vec<Extracted> = (0..ds.families.len())
        .into_par_iter()
        .filter_map(|f| {
            let r = cx.record(f)?;
            let programme = is_programme(r.arm);
            let years: [Option<(f64, bool)>; YEARS] =
                std::array::from_fn(|k| match &r.followup[k] {
                    FollowUp::Observed(sc) => Some((
                        weight_of(&weights, &r, k),
                        FamilyRecord::overall_well(sc, &settings),
                    )),
                    _ => None,
                });
            let deltas: [f64; YEARS] = std::array::from_fn(|k| r.income[k + 2] - r.income[0]);
            let (score_sum, score_n) = r.intake_sum();
            let exit_delta = Some(r.income[1] - r.income[0]).filter(|d| !d.is_nan());
            let unit = Unit {
                index: 0,
                family: f,
                intake_score: if score_n > 0 {
                    f64::from(score_sum) / f64::from(score_n)
                } else {
                    f64::NAN
                },
                intake_income: r.income[0],
                pre_delta: 0.0,
                has_pre: 0.0,
                exit_delta: exit_delta.unwrap_or(0.0),
                has_exit_delta: if exit_delta.is_some() { 1.0 } else { 0.0 },
                key: family_key(&ds.families.ids[f]),
                arm: usize::from(!programme),
                programme: if programme { 1.0 } else { 0.0 },
                children: if programme {
                    f64::from(r.children_valid)
                } else {
                    0.0
                },
                at_risk: if programme {
                    r.children_times.len() as f64
                } else {
                    0.0
                },
                risk: usize::from(ds.families.risk_level[f]).min(3),
                observed: years.map(|y| y.map_or(0.0, |(w, _)| w)),
                well: years.map(|y| y.map_or(0.0, |(w, ok)| if ok { w } else { 0.0 })),
                deltas: deltas.map(|d| if d.is_nan() { 0.0 } else { d }),
                has_delta: deltas.map(|d| if d.is_nan() { 0.0 } else { 1.0 }),
                delta_weight: std::array::from_fn(|k| {
                    if deltas[k].is_nan() {
                        0.0
                    } else {
                        weight_of(&income_weights, &r, k)
                    }
                }),
                services: if programme { services[f] } else { 0.0 },
                kids: (0, 0),
                beyond: 0,
                stays: (0, 0),
                stay_cost: 0.0,
                stay_years: 0.0,
                returned: 0.0,
                homes: (0, 0),
                homes_beyond: 0,
            };
            let pre = cx.pre_intake_change(f, ds.episodes.intake[r.episode as usize]);
            let mut unit = unit;
            if pre.is_finite() {
                unit.pre_delta = pre;
                unit.has_pre = 1.0;
            }
            let home = if programme {
                reintegration::family(&cx, &r).home
            } else {
                Vec::new()
            };
            Some((
                f,
                unit,
                r.children_times,
                ds.episodes.exit[r.episode as usize],
                home,
            ))
        })
        .collect();
    if per_family.is_empty() {
        return Err(OutcomeError::NoCohort);
    }
    // Units in the order of their families' keys (then ids), not of the files: every
    // floating-point sum below, and the propensity fit, then add in the same order
    // however the input rows are ordered, so the figures are byte-identical.
    per_family
        .sort_by(|a, b| (a.1.key, &ds.families.ids[a.0]).cmp(&(b.1.key, &ds.families.ids[b.0])));
    let mut days: [Vec<i32>; 2] = [Vec::new(), Vec::new()];
    let mut home_days: Vec<i32> = Vec::new();
    for (_, u, times, _, home) in &per_family {
        days[u.arm].extend(times.iter().map(|t| t.0).filter(|&d| d <= horizon_day));
        home_days.extend(home.iter().map(|t| t.0).filter(|&d| d <= horizon_day));
    }
    for d in days.iter_mut().chain(std::iter::once(&mut home_days)) {
        d.sort_unstable();
        d.dedup();
    }
    // Post-exit stays of the cohort's children (both arms), capped, in family order.
    let mut exit_of: Vec<Option<Day>> = vec![None; ds.families.len()];
    for (f, _, _, exit, _) in &per_family {
        exit_of[*f] = *exit;
    }
    let stays_found = post_exit_stays(ds, &exit_of, STAY_CAP_YEARS);
    let mut stay_days: Vec<i32> = stays_found.stays.iter().map(|s| s.days).collect();
    stay_days.sort_unstable();
    stay_days.dedup();
    let mut stays_of: HashMap<usize, Vec<&stays::Stay>> = HashMap::new();
    for st in &stays_found.stays {
        stays_of.entry(st.family).or_default().push(st);
    }
    let mut data = Cohort {
        units: Vec::with_capacity(per_family.len()),
        kids: Vec::new(),
        stays: Vec::new(),
        homes: Vec::new(),
        slots: [days[0].len() + 1, days[1].len() + 1],
        stay_slots: stay_days.len(),
        home_slots: home_days.len() + 1,
        adj: None,
    };
    for (f, mut u, times, _, home) in per_family {
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
        let start = data.stays.len();
        if let Some(list) = stays_of.get(&f) {
            for st in list {
                let slot = stay_days.partition_point(|&d| d < st.days) as u32;
                data.stays.push((slot, st.ended));
                u.stay_cost += st.cost;
                u.stay_years += st.years;
            }
        }
        u.stays = (start, data.stays.len());
        let start = data.homes.len();
        data.homes.extend(
            home.iter()
                .filter(|&&(d, _)| d <= horizon_day)
                .map(|&(d, event)| (home_days.partition_point(|&x| x < d) as u32, event)),
        );
        u.homes = (start, data.homes.len());
        u.homes_beyond = (home.len() - (u.homes.1 - start)) as u32;
        u.returned = home.len() as f64;
        u.index = data.units.len();
        data.units.push(u);
    }
    let has_comparison = data.units.iter().any(|u| u.arm == 1);
    // The propensity adjustment of the comparison arm (docs/method.md section 4.5).
    let method = adjustment.map_or(AdjustMethod::None, |a| a.method);
    let has_both_arms = has_comparison && data.units.iter().any(|u| u.arm == 0);
    let mut fitted_design = None;
    if let Some(adj) = adjustment {
        match fit_adjustment(ds, &data, adj, &settings, has_comparison) {
            Ok((d, a)) => {
                data.adj = Some(a);
                fitted_design = Some(d);
            }
            // Both arms present and the model cannot be fitted: the estimates the model
            // asks for do not exist. With one arm there is nothing to adjust.
            Err(why) if method != AdjustMethod::None && has_both_arms => {
                return Err(OutcomeError::Adjustment {
                    method: method.name(),
                    why,
                });
            }
            Err(why) => notes.push(format!("propensity adjustment not computed: {why}")),
        }
    }
    let mode = match (method, &data.adj) {
        (AdjustMethod::None, _) | (_, None) => Mode::Unadjusted,
        (m, Some(_)) => Mode::Adjusted {
            dr: m == AdjustMethod::Dr,
        },
    };
    let base_acc = data.sums();
    let mut missing = BTreeMap::new();
    let families = |arm: usize| data.units.iter().filter(|u| u.arm == arm).count();
    let (n_prog, n_comp) = (families(0), families(1));

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
        let counts: Vec<String> = (0..YEARS)
            .map(|k| {
                let n = |arm: usize| base_acc.income[k][arm][1];
                if has_comparison {
                    format!("year {}: {} and {}", k + 1, n(0), n(1))
                } else {
                    format!("year {}: {}", k + 1, n(0))
                }
            })
            .collect();
        let arms = if has_comparison {
            "programme and comparison families"
        } else {
            "programme families"
        };
        missing.insert(
            "income_effect_annual".to_string(),
            format!(
                "it cannot be measured: no follow-up year has at least min_cell = {} families with income at intake and in that year in each arm ({arms} with both: {}); add income rows{}, or give the parameter a value instead of data = \"income_effect_annual\"",
                settings.min_cell,
                counts.join(", "),
                if settings.min_cell > u64::from(crate::settings::MIN_CELL_FLOOR) {
                    format!(", lower [study] min_cell (at least {})", crate::settings::MIN_CELL_FLOOR)
                } else {
                    String::new()
                }
            ),
        );
    } else if !has_comparison {
        notes.push("income_effect_annual is the programme's mean change (no comparison arm): apply deadweight in the model".into());
    }
    let horizon_whole = horizon_years.round().max(1.0) as u32;
    let programme_children: f64 = base_acc.children;
    if !has_comparison {
        match baseline.map(|b| baseline_incidence(b, &base_acc.children_by_risk, horizon_whole)) {
            None => {
                notes.push("avoided_placements not measured: no comparison arm gives the counterfactual placement rate".into());
                missing.insert(
                    "avoided_placements".to_string(),
                    format!(
                        "it cannot be measured: the dataset has no comparison arm (0 comparison and {n_prog} programme families with an exit), so nothing gives the placement rate without the programme; add [study.baseline_placement_rate] to the model file (cumulative placement rates by risk level low, medium, high, acute for years 1..{horizon_whole}), or add comparison families"
                    ),
                );
            }
            Some(Err((level, n))) => {
                notes.push(format!("avoided_placements not measured: {n} programme children have risk level {level} but [study.baseline_placement_rate] has no rates for it"));
                missing.insert(
                    "avoided_placements".to_string(),
                    format!(
                        "it cannot be measured: there is no comparison arm and [study.baseline_placement_rate] has no rates for risk level `{level}`, which {n} of the {programme_children} programme children have; add `{level} = [...]` (cumulative rates for years 1..{horizon_whole})"
                    ),
                );
            }
            Some(Ok(None)) => {
                missing.insert(
                    "avoided_placements".to_string(),
                    format!("it cannot be measured: no programme child has a usable care history ({n_prog} programme families with an exit, 0 children); add the children table and their care_events"),
                );
            }
            Some(Ok(Some(_))) => notes.push(format!(
                "avoided_placements: no comparison arm; the counterfactual placement rate is the model's [study.baseline_placement_rate] at year {horizon_whole}, weighted by the programme children's risk levels"
            )),
        }
    } else if at_risk_from_slots(&base_acc.km[1], &days[1], horizon_day) < settings.min_cell {
        notes.push(format!(
            "avoided_placements: fewer than {} comparison children are followed to the horizon ({horizon_years} years); F_c(H) is carried from the last observed time",
            settings.min_cell
        ));
    }
    if base_acc.stay_years <= 0.0 {
        notes.push("cost_per_placement not measured: no placement after exit in care_events has a care_costs entry for its country and care type".into());
        missing.insert(
            "cost_per_placement".to_string(),
            format!(
                "it cannot be measured: no placement of a cohort child after exit in care_events has a reference/care_costs entry for its country and care type ({} placements after exit, {} with a cost entry; care_events {}, reference/care_costs {}); add the care_events of placements and reference/care_costs rows for each country and care type, or give the parameter a value",
                stays_found.stays.len(),
                stays_found.stays.iter().filter(|s| s.years > 0.0).count(),
                if ds.has("care_events") { "present" } else { "absent" },
                if ds.has("care_costs") { "present" } else { "absent" },
            ),
        );
    }
    notes.extend(stays_found.notes.iter().cloned());
    let cap = f64::from(cap_days(STAY_CAP_YEARS));
    // Year boundaries of the avoided placements' start years: 1, 2, .., the last at H.
    let boundaries: Vec<Day> = (1..=horizon_years.ceil() as usize)
        .map(|k| add_years(0, (k as f64).min(horizon_years)))
        .collect();

    let base_services = base_acc.services;
    let fixed_inputs = costs::inputs(ds).total - base_services;
    let n_base = base_acc.n_prog;

    // The quantities of one set of sums. Replicates keep the number of families served
    // (fixed by design) and scale their per-family sums to it: with Poisson multiplicities
    // the replicate's arm size varies, and the ratios are what the resampling measures.
    let values = |acc: &Sums, replicate: bool, mode: Mode| -> DataValues {
        let mut v = DataValues::new();
        let adj = match mode {
            Mode::Adjusted { .. } => acc.adj.as_ref(),
            Mode::Unadjusted => None,
        };
        // Survival of an arm at a day: Kaplan-Meier, weighted when adjusted.
        let surv = |arm: usize, day: Day| match adj {
            Some(a) => survival_from_weighted_slots(&a.km[arm], &days[arm], day),
            None => survival_from_slots(&acc.km[arm], &days[arm], day),
        };
        let per_family = |x: f64| {
            if replicate {
                n_base * x / acc.n_prog
            } else {
                x
            }
        };
        let children = per_family(acc.children);
        let at_risk = per_family(acc.at_risk);
        v.insert("families_programme", n_base);
        v.insert("children_programme", children);
        v.insert("children_at_risk_programme", at_risk);
        // Post-exit stays: the restricted mean and the cost per child-year.
        let steps = km_steps(&acc.stay_km, &stay_days);
        let stay_mean = (acc.stay_years > 0.0)
            .then(|| survival_integral(&steps, 0.0, cap, cap) / crate::dates::DAYS_PER_YEAR);
        if let Some(mean) = stay_mean {
            v.insert("placement_stay_years", mean);
            v.insert("cost_per_placement", mean * acc.stay_cost / acc.stay_years);
        }
        for (k, [[w, well], [wc, wellc]]) in acc.doing.iter().enumerate() {
            if *w > 0.0 {
                v.insert(
                    &format!("families_doing_well_y{}", k + 1),
                    n_base * well / w,
                );
            }
            let share = match adj {
                Some(a) => a.comparison_share(k),
                None => (*wc > 0.0).then(|| wellc / wc),
            };
            if let Some(share) = share {
                v.insert(&format!("comparison_doing_well_y{}", k + 1), share);
            }
        }
        let f = |arm: usize| surv(arm, horizon_day).map(|s| 1.0 - s);
        // The counterfactual incidence F_c at a day (the k-th year boundary): the
        // comparison arm's Kaplan-Meier, or without one the model's baseline rate of
        // year k weighted by the programme children's risk levels.
        let counterfactual = |k: usize, b: Day| -> Option<f64> {
            if has_comparison {
                surv(1, b).map(|s| 1.0 - s)
            } else {
                let years = u32::try_from(k + 1).unwrap_or(u32::MAX);
                baseline
                    .and_then(|r| baseline_incidence(r, &acc.children_by_risk, years).ok())
                    .flatten()
            }
        };
        let horizon_k = boundaries.len().saturating_sub(1);
        if let (Some(fp), Some(fc)) = (f(0), counterfactual(horizon_k, horizon_day)) {
            v.insert("avoided_placements", avoided_placements(at_risk, fc, fp));
            // By start year: the yearly differences of the two incidence curves.
            let diff = |k: usize, b: Day| -> Option<f64> {
                let fp = surv(0, b).map(|s| 1.0 - s)?;
                Some(counterfactual(k, b)? - fp)
            };
            let mut before = 0.0;
            let mut starts = Vec::with_capacity(boundaries.len());
            for (k, &b) in boundaries.iter().enumerate() {
                let d = diff(k, b).unwrap_or(before);
                starts.push(at_risk * (d - before));
                before = d;
            }
            for (k, a) in starts.iter().enumerate() {
                v.insert(&format!("avoided_placements_start_y{}", k + 1), *a);
            }
            let timed = if stay_mean.is_some() {
                stays::timed_placements(&starts, &steps, STAY_CAP_YEARS)
            } else {
                starts.clone()
            };
            // Every set of values carries the same years (a replicate's stays may end
            // sooner): the start years, the cap, and one more for mid-year starts.
            let years = (starts.len() + STAY_CAP_YEARS.ceil() as usize + 1)
                .min(crate::sroi::data::MAX_FLOW_YEARS);
            for t in 0..years {
                let a = timed.get(t).copied().unwrap_or(0.0);
                v.insert(&format!("avoided_placements_y{}", t + 1), a);
            }
        }
        if !income_years.is_empty() {
            // Weighted for income non-response (Hajek: weighted sum over summed weights).
            let mean = |k: usize, arm: usize| acc.income[k][arm][0] / acc.income[k][arm][2];
            let effects: Vec<f64> = income_years
                .iter()
                .map(|&k| match (adj, mode) {
                    (Some(a), Mode::Adjusted { dr }) => {
                        // Income stage k + 1 is follow-up year k + 1 (stage 0: exit).
                        let fitted = data.adj.as_ref().is_some_and(|c| c.gamma[k + 1].is_some());
                        a.dr(k + 1, dr && fitted)
                            .or_else(|| a.ipw(k + 1))
                            .unwrap_or(f64::NAN)
                    }
                    _ if has_comparison => mean(k, 0) - mean(k, 1),
                    _ => mean(k, 0),
                })
                .collect();
            v.insert(
                "income_effect_annual",
                effects.iter().sum::<f64>() / effects.len() as f64,
            );
            for (&k, e) in income_years.iter().zip(&effects) {
                v.insert(&format!("income_effect_y{}", k + 1), *e);
            }
        }
        if let Some(s) = survival_from_slots(&acc.home_km, &home_days, horizon_day) {
            v.insert("reintegrations_sustained", per_family(acc.returned) * s);
        }
        if replicate {
            v.insert(INPUTS_KEY, fixed_inputs + per_family(acc.services));
        }
        v
    };
    let base = values(&base_acc, false, mode);
    for k in 0..YEARS {
        let key = format!("families_doing_well_y{}", k + 1);
        if base.get_opt(&key).is_none() {
            missing.insert(
                key,
                format!(
                    "it cannot be measured: no programme family was assessed in follow-up year {} ({n_prog} programme families with an exit; a year counts once its window has closed before data_cutoff); give the parameter a value, or use an earlier year",
                    k + 1
                ),
            );
        }
    }
    for k in 0..YEARS {
        let key = format!("comparison_doing_well_y{}", k + 1);
        if base.get_opt(&key).is_none() {
            let why = if has_comparison {
                format!(
                    "no comparison family was assessed in follow-up year {} ({n_comp} comparison families with an exit)",
                    k + 1
                )
            } else {
                format!("the dataset has no comparison arm (0 comparison and {n_prog} programme families with an exit)")
            };
            missing.insert(
                key.clone(),
                format!(
                    "it cannot be measured: {why}; give the parameter a value (e.g. a published share for similar families) instead of data = \"{key}\""
                ),
            );
        }
    }
    if n_prog == 0 {
        // Nothing of the programme can be measured: say so for every key, once.
        for key in crate::sroi::data::DATA_KEYS {
            if base.get_opt(key).is_none() {
                missing.insert(
                    key.to_string(),
                    format!(
                        "it cannot be measured: the dataset has no programme family with an exit (0 programme and {n_comp} comparison families), and the SROI values the programme's outcomes; add the programme arm's families and their episodes with exit_date"
                    ),
                );
            }
        }
    } else if has_comparison && base.get_opt("avoided_placements").is_none() {
        let kids = |arm: usize| {
            base_acc.km[arm]
                .iter()
                .map(|c| u64::from(c[0]) + u64::from(c[1]))
                .sum::<u64>()
        };
        missing.insert(
            "avoided_placements".to_string(),
            format!(
                "it cannot be measured: Kaplan-Meier needs children with a care history in both arms ({} programme and {} comparison children, {n_prog} and {n_comp} families); add the children table and their care_events",
                kids(0),
                kids(1)
            ),
        );
    }
    // A replicate is usable when it measures every key the data measures, with finite
    // values (it is not when, in a small cohort, an arm or a year drew no family).
    let usable = |r: &DataValues| {
        base.iter()
            .all(|(k, _)| r.get_opt(k).is_some_and(f64::is_finite))
    };
    let sums = data.replicate_sums(settings.bootstrap_reps, settings.seed);
    let all: Vec<DataValues> = sums.iter().map(|acc| values(acc, true, mode)).collect();
    let drawn = all.len();
    let replicates: Vec<DataValues> = all.into_iter().filter(usable).collect();
    if replicates.len() < drawn {
        notes.push(format!(
            "{} of {drawn} bootstrap replicates left out: an arm or a follow-up year drew no family in them",
            drawn - replicates.len()
        ));
    }
    // The other comparison, for the side-by-side ratio.
    let alternative = data.adj.as_ref().map(|_| {
        let (alt_mode, alt_method) = match mode {
            Mode::Unadjusted => (Mode::Adjusted { dr: true }, AdjustMethod::Dr),
            Mode::Adjusted { .. } => (Mode::Unadjusted, AdjustMethod::None),
        };
        let alt_base = values(&base_acc, false, alt_mode);
        let alt_usable = |r: &DataValues| {
            alt_base
                .iter()
                .all(|(k, _)| r.get_opt(k).is_some_and(f64::is_finite))
        };
        let alt_replicates = sums
            .iter()
            .map(|acc| values(acc, true, alt_mode))
            .filter(alt_usable)
            .collect();
        Alternative {
            method: alt_method,
            base: alt_base,
            replicates: alt_replicates,
        }
    });
    let adjusted = match (adjustment, &fitted_design) {
        (Some(adjustment), Some(design)) => adjusted_tables::build(&adjusted_tables::Inputs {
            cohort: &data,
            design,
            base: &base_acc,
            replicates: &sums,
            days: &days,
            horizon_day,
            horizon_years,
            adjustment,
            method: match mode {
                Mode::Unadjusted => AdjustMethod::None,
                Mode::Adjusted { .. } => method,
            },
            min_cell: settings.min_cell,
            income_years: &income_years,
        }),
        _ => None,
    };
    Ok(DataQuantities {
        base,
        replicates,
        notes,
        missing,
        alternative,
        adjusted,
    })
}

/// Fit the propensity model of the cohort's arms and each replicate's refit.
///
/// # Errors
/// Why the adjustment cannot be made, in the user's terms.
fn fit_adjustment(
    ds: &Dataset,
    data: &Cohort,
    adjustment: &Adjustment,
    settings: &crate::settings::OutcomeSettings,
    has_comparison: bool,
) -> Result<(design::Design, AdjCohort), String> {
    if !has_comparison {
        return Err("the dataset has no comparison arm to adjust".into());
    }
    let count = |arm: usize| data.units.iter().filter(|u| u.arm == arm).count() as u64;
    if count(0) < settings.min_cell || count(1) < settings.min_cell {
        return Err(format!(
            "each arm needs at least min_cell = {} families with an exit ({} programme, {} comparison)",
            settings.min_cell,
            count(0),
            count(1)
        ));
    }
    let finite = |v: f64| v.is_finite().then_some(v);
    let cohort: Vec<CohortFamily> = data
        .units
        .iter()
        .map(|u| CohortFamily {
            family: u.family,
            programme: u.arm == 0,
            intake_score: finite(u.intake_score),
            intake_income: finite(u.intake_income),
        })
        .collect();
    let (names, defaults) = adjustment.covariate_names();
    let d = design::design(ds, &cohort, &names, defaults).map_err(|e| e.to_string())?;
    let ps = propensity::fit(&d).map_err(|e| e.to_string())?;
    let a = AdjCohort::new(
        ps,
        adjustment,
        &data.units,
        settings.bootstrap_reps,
        settings.seed,
    );
    Ok((d, a))
}

/// The cohort, flattened for the sums and their replicates.
struct Cohort {
    units: Vec<Unit>,
    /// Per child up to the horizon, in unit order: (survival slot in its arm, placed?).
    kids: Vec<(u32, bool)>,
    /// Per post-exit stay, in unit order: (slot of its length, ended?).
    stays: Vec<(u32, bool)>,
    /// Survival slots per arm: the distinct days up to the horizon, and one beyond.
    slots: [usize; 2],
    /// Distinct stay lengths.
    stay_slots: usize,
    /// Per programme child returned home, up to the horizon, in unit order: (slot of its
    /// time home, placed again?).
    homes: Vec<(u32, bool)>,
    /// Slots of the times home: the distinct days up to the horizon, and one beyond.
    home_slots: usize,
    /// The propensity adjustment, when computed.
    adj: Option<AdjCohort>,
}

/// Counts-weighted sums over the cohort: everything the quantities are ratios of.
#[derive(Debug, Clone)]
struct Sums {
    n_prog: f64,
    children: f64,
    /// Programme children at risk after exit by risk level (for the baseline placement
    /// rate).
    children_by_risk: [f64; 4],
    services: f64,
    /// Per year and arm: weighted families observed, of which doing well.
    doing: [[[f64; 2]; 2]; YEARS],
    /// Per year and arm: weighted sum of income deltas, families with one, and the sum
    /// of their weights.
    income: [[[f64; 3]; 2]; YEARS],
    /// Programme children at risk after exit.
    at_risk: f64,
    /// Per stay-length slot: (ended, censored) stays.
    stay_km: Vec<[u32; 2]>,
    /// Costed cost and years of the stays.
    stay_cost: f64,
    stay_years: f64,
    /// Per arm and survival slot: (events, censored) children. `u32` keeps a replicate's
    /// tables small enough for a batch of replicates to stay in L2 (the hot spot).
    km: [Vec<[u32; 2]>; 2],
    /// Programme children returned home, and per slot (placed again, censored).
    returned: f64,
    home_km: Vec<[u32; 2]>,
    /// Per arm: sum of the pre-intake income changes and families with one.
    pre: [[f64; 2]; 2],
    /// The same sums with the propensity weights, when the adjustment was computed.
    adj: Option<AdjSums>,
}

impl Cohort {
    fn empty(&self) -> Sums {
        Sums {
            n_prog: 0.0,
            children: 0.0,
            children_by_risk: [0.0; 4],
            services: 0.0,
            doing: [[[0.0; 2]; 2]; YEARS],
            income: [[[0.0; 3]; 2]; YEARS],
            at_risk: 0.0,
            stay_km: vec![[0; 2]; self.stay_slots],
            stay_cost: 0.0,
            stay_years: 0.0,
            km: [vec![[0; 2]; self.slots[0]], vec![[0; 2]; self.slots[1]]],
            returned: 0.0,
            home_km: vec![[0; 2]; self.home_slots],
            pre: [[0.0; 2]; 2],
            adj: self.adj.as_ref().map(|a| a.empty(self)),
        }
    }

    /// Add unit `u` counted `c` times, in replicate `b` (`None`: the data).
    fn add(&self, acc: &mut Sums, u: &Unit, c: u32, b: Option<usize>) {
        if let (Some(a), Some(sums)) = (&self.adj, &mut acc.adj) {
            a.add(self, sums, u, u.index, c, b);
        }
        let w = f64::from(c);
        acc.n_prog += w * u.programme;
        acc.children += w * u.children;
        acc.children_by_risk[u.risk] += w * u.at_risk;
        acc.services += w * u.services;
        for (k, (doing, income)) in acc.doing.iter_mut().zip(&mut acc.income).enumerate() {
            doing[u.arm][0] += w * u.observed[k];
            doing[u.arm][1] += w * u.well[k];
            income[u.arm][0] += w * u.delta_weight[k] * u.deltas[k];
            income[u.arm][1] += w * u.has_delta[k];
            income[u.arm][2] += w * u.delta_weight[k];
        }
        let km = &mut acc.km[u.arm];
        for &(slot, event) in &self.kids[u.kids.0..u.kids.1] {
            km[slot as usize][usize::from(!event)] += c;
        }
        // The last slot: followed past the horizon (counted as censored there).
        if let Some(last) = km.last_mut() {
            last[1] += c * u.beyond;
        }
        acc.pre[u.arm][0] += w * u.pre_delta;
        acc.pre[u.arm][1] += w * u.has_pre;
        acc.returned += w * u.returned;
        for &(slot, event) in &self.homes[u.homes.0..u.homes.1] {
            acc.home_km[slot as usize][usize::from(!event)] += c;
        }
        if let Some(last) = acc.home_km.last_mut() {
            last[1] += c * u.homes_beyond;
        }
        acc.at_risk += w * u.at_risk;
        acc.stay_cost += w * u.stay_cost;
        acc.stay_years += w * u.stay_years;
        for &(slot, ended) in &self.stays[u.stays.0..u.stays.1] {
            acc.stay_km[slot as usize][usize::from(!ended)] += c;
        }
    }

    /// The sums over the data (every unit once).
    fn sums(&self) -> Sums {
        let mut acc = self.empty();
        for u in &self.units {
            self.add(&mut acc, u, 1, None);
        }
        acc
    }

    /// The sums of each bootstrap replicate.
    fn replicate_sums(&self, reps: usize, seed: u64) -> Vec<Sums> {
        PoissonBootstrap::new(seed).accumulate_indexed(
            reps,
            &self.units,
            |u| u.key,
            || self.empty(),
            |acc, u, c, b| self.add(acc, u, c, Some(b)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::CareCost;
    use crate::outcomes::test_data::Builder;

    const PLACEMENT: u8 = 0;
    const RETURN: u8 = 1;

    /// Exit on day 100 for every family, cut-off day 5000.
    /// - Programme P1: child 0 at home, child 1 in care since before intake and still in
    ///   care at exit (not at risk); P2: children 2 and 7 at home. No placement after exit.
    /// - Comparison C1: child 4 placed 200 days after exit, home a year (365 days) later;
    ///   child 3 never placed. C2: child 6 placed 500 days after exit, still in care at
    ///   the cut-off (4400 days, over the 10-year cap); child 5 never placed.
    /// - Residential care costs 1000 a child-year (one year in the table: every year of
    ///   care is priced at it).
    fn tiny() -> Dataset {
        let mut b = Builder::new(5000);
        let p1 = b.family(0, 0, 0, 0, Some(100));
        let p2 = b.family(0, 0, 0, 0, Some(100));
        let c1 = b.family(1, 0, 0, 0, Some(100));
        let c2 = b.family(1, 0, 0, 0, Some(100));
        b.child(p1, false);
        b.child(p1, true);
        for f in [p2, c1, c1, c2, c2] {
            b.child(f, false);
        }
        b.child(p2, false);
        b.event(4, 300, PLACEMENT);
        b.event(4, 665, RETURN);
        b.event(6, 600, PLACEMENT);
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
    fn avoided_placements_by_year_and_the_cost_of_a_stay() {
        let q = sroi_quantities(
            &tiny(),
            &OutcomeOptions::new().with_bootstrap_reps(20).with_seed(5),
            2.0,
        )
        .unwrap();
        let v = |k: &str| q.base.get(k).unwrap();
        // Children with a history 4 (programme), at home at exit 3.
        assert_eq!(v("children_programme"), 4.0);
        assert_eq!(v("children_at_risk_programme"), 3.0);
        // Comparison KM (4 at risk): events at 200 and 500 days, two censored at 4900:
        // F_c(1 y) = 1/4, F_c(2 y) = 1 - 3/4 x 2/3 = 1/2; F_p = 0.
        // Avoided = 3 x 1/2 = 1.5 (not 4 x 1/2 = 2: the child in care cannot be placed).
        assert!((v("avoided_placements") - 1.5).abs() < 1e-12);
        assert!((v("avoided_placements_start_y1") - 0.75).abs() < 1e-12);
        assert!((v("avoided_placements_start_y2") - 0.75).abs() < 1e-12);
        // Stays after exit: 365 days (home), 3653 days (open, capped at round(10 x
        // 365.25)). KM: S = 1/2 from day 365; restricted mean = 365 + 1/2 x (3653 - 365)
        // = 2009 days; cost 1000 a child-year at every year.
        let mean = 2009.0 / 365.25;
        assert!((v("placement_stay_years") - mean).abs() < 1e-12);
        assert!((v("cost_per_placement") - 1000.0 * mean).abs() < 1e-6);
        // Timing: a year-1 placement begins at 0.5 years; year 1 holds its first
        // 182.625 days (S = 1 there): 0.75 x 182.625 / 2009.
        assert!((v("avoided_placements_y1") - 0.75 * 182.625 / 2009.0).abs() < 1e-12);
        // Year 2: year-1 starts from 182.625 to 365 at S = 1 and 365 to 547.875 at 1/2
        // (182.375 + 91.3125 = 273.6875 days), year-2 starts their first 182.625 days.
        let y2 = 0.75 * (182.375 + 0.5 * 182.875) / 2009.0 + 0.75 * 182.625 / 2009.0;
        assert!((v("avoided_placements_y2") - y2).abs() < 1e-12);
        // 2 start years + 10-year cap + 1: 13 years, which hold every avoided placement.
        let years: Vec<f64> = (1..=13)
            .map(|t| v(&format!("avoided_placements_y{t}")))
            .collect();
        assert!(q.base.get_opt("avoided_placements_y14").is_none());
        assert!((years.iter().sum::<f64>() - 1.5).abs() < 1e-9, "{years:?}");
        for r in &q.replicates {
            assert!(r.get_opt("avoided_placements_y13").is_some());
        }
    }

    /// `costs::stays` on a dataset built with the outcomes' test builder (which `costs`
    /// may not import).
    #[test]
    fn post_exit_stays_follow_care_changes_and_price_each_year() {
        // Exit on day 100 (1970-04-11). Child 0: placed on day 50 (before exit: not a
        // post-exit stay), back on day 80; placed again on 1970-07-01 (day 181) in
        // residential care, moved to foster care on 1971-01-01 (day 365), home on
        // 1971-07-01 (day 546). Child 1: placed on day 200 in foster care, open at the
        // cut-off (day 400).
        use crate::costs::stays::{post_exit_stays, Prices};
        let mut b = Builder::new(400);
        let f = b.family(0, 0, 0, 0, Some(100));
        let c0 = b.child(f, false);
        let c1 = b.child(f, false);
        b.event(c0, 50, PLACEMENT);
        b.event(c0, 80, RETURN);
        b.event(c0, 181, PLACEMENT);
        b.event(c0, 365, 2);
        b.event(c0, 546, RETURN);
        b.event(c1, 200, PLACEMENT);
        let mut ds = b.build();
        ds.care_events.care_type = vec![Some(0), None, Some(0), Some(1), None, Some(1)];
        for (ct, year, cost) in [(0, 1970, 3652.5), (1, 1970, 730.5), (1, 1971, 1461.0)] {
            ds.care_costs.push(CareCost {
                country: "AL".into(),
                care_type: ct,
                year,
                cost_per_child_year: cost,
                currency: "EUR".into(),
                cost_real: cost,
            });
        }
        let exit_of: Vec<Option<Day>> = (0..ds.families.len()).map(|_| Some(100)).collect();
        let s = post_exit_stays(&ds, &exit_of, 10.0);
        assert!(s.notes.is_empty(), "{:?}", s.notes);
        assert_eq!(s.stays.len(), 2);
        // Child 0: 365 days; 184 days residential in 1970 at 3652.5 (= 10 a day) = 1840,
        // 181 days foster in 1971 at 1461 (= 4 a day) = 724.
        let a = &s.stays[0];
        assert_eq!((a.days, a.ended), (365, true));
        assert!((a.cost - 2564.0).abs() < 1e-9, "{}", a.cost);
        assert!((a.years - 365.0 / 365.25).abs() < 1e-12);
        // Child 1: open, 200 days foster: 165 in 1970 at 730.5 (= 2 a day) = 330 and 35
        // in 1971 at 1461 (= 4 a day) = 140, 470 in all.
        let b = &s.stays[1];
        assert_eq!((b.days, b.ended), (200, false));
        assert!((b.cost - 470.0).abs() < 1e-9, "{}", b.cost);
        assert!((b.years - 200.0 / 365.25).abs() < 1e-12);
        // Price of a year the table lacks: the nearest year's.
        let p = Prices::new(&ds);
        assert_eq!(p.get("AL", 0, 1975), Some(3652.5));
        assert_eq!(p.get("AM", 0, 1970), None);
        // Capped at 100 days: child 0 is censored at 100 days, costed for 100 days.
        let s = post_exit_stays(&ds, &exit_of, 100.0 / 365.25);
        assert_eq!((s.stays[0].days, s.stays[0].ended), (100, false));
        assert!((s.stays[0].cost - 1000.0).abs() < 1e-9);
    }
}

#[cfg(test)]
mod baseline_tests {
    use super::*;

    #[test]
    fn baseline_incidence_weights_risk_levels_and_carries_the_last_year() {
        let rates: BTreeMap<String, Vec<f64>> = [
            ("low".to_string(), vec![0.01, 0.02, 0.03]),
            ("high".to_string(), vec![0.1, 0.2, 0.3]),
        ]
        .into();
        // 3 low-risk and 1 high-risk children at year 2: (3 x 0.02 + 0.2) / 4.
        let f = baseline_incidence(&rates, &[3.0, 0.0, 1.0, 0.0], 2).unwrap();
        assert!((f.unwrap() - 0.065).abs() < 1e-12);
        // Beyond the years given, the last year's rate.
        let f = baseline_incidence(&rates, &[0.0, 0.0, 2.0, 0.0], 5).unwrap();
        assert_eq!(f, Some(0.3));
        // A level with children but no rates is named, with its children.
        assert_eq!(
            baseline_incidence(&rates, &[1.0, 4.0, 0.0, 0.0], 2),
            Err(("medium", 4.0))
        );
        assert_eq!(baseline_incidence(&rates, &[0.0; 4], 2), Ok(None));
    }
}

#[cfg(test)]
mod comparison_share_tests {
    use super::*;
    use crate::dates::from_ymd;
    use crate::outcomes::test_data::Builder;

    // Issue 17, item 6. Year 1: ten programme families seen, 8 doing well (all eight
    // domains at 3); ten comparison families seen, 6 doing well. Everyone responds, so
    // neither arm's model can be fitted: unweighted shares, with a note each.
    // families_doing_well_y1 = 10 x 8/10 = 8; comparison_doing_well_y1 = 6/10 = 0.6.
    #[test]
    fn comparison_shares_without_a_comparison_arm_say_why() {
        let e = from_ymd(2020, 1, 1).unwrap();
        let mut b = Builder::new(from_ymd(2025, 12, 31).unwrap());
        for _ in 0..10 {
            let f = b.family(0, 0, 0, e - 200, Some(e));
            b.sitting(f, e - 200, 0, &[2; 8]);
            b.sitting(f, e + 365, 3, &[3; 8]);
        }
        let q = sroi_quantities(&b.build(), &OutcomeOptions::new().with_min_cell(5), 5.0).unwrap();
        assert!(q.base.get_opt("comparison_doing_well_y1").is_none());
        assert_eq!(
            q.missing["comparison_doing_well_y1"],
            "it cannot be measured: the dataset has no comparison arm (0 comparison and 10 programme families with an exit); give the parameter a value (e.g. a published share for similar families) instead of data = \"comparison_doing_well_y1\""
        );
    }

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
