//! `income_effect` and `income_trajectory` (docs/method.md sections 1 and 4).
//!
//! Per family and year, `delta = income(year k or exit) - income(intake)`, annual, real,
//! reporting currency. With a comparison arm the effect is the difference in differences
//! `mean delta(programme) - mean delta(comparison)` (method `did`); without one it is the
//! programme's mean change (method `programme_only`: the model's deadweight is applied in
//! the SROI stage). Its interval is a family-level Poisson bootstrap (percentile method,
//! `bootstrap_reps` replicates, seeded; [`PoissonBootstrap`]) over the families with any
//! income observation: each family's multiplicity comes from its id hash and the sums run
//! in id-hash order, so the interval is the same on any thread count and for any partition
//! of the families. The `arm` breakdown is not used for the effect (it
//! is the comparison itself); the trajectory carries the arm as a column.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::stats::{percentile_interval, Moments, PoissonBootstrap};

use super::disclosure::withhold_small_rows;
use super::followup::{fit_weights, key, PatternKey};
use super::groups::group_order;
use super::partial::{IncomeUnit, OutcomePartial};
use super::record::{arm_label, is_programme, YEARS};
use super::rows::{IncomeEffectRow, IncomeTrajectoryRow};

/// Stages with a delta: exit and years 1..5 (positions 1.. of the income array).
const STAGES: usize = YEARS + 1;

/// Every family's income deltas, flattened once for the sums and their replicates: per
/// family `(key, start, end)` into `cells`, which holds `(cell, delta, weight)` with cell =
/// (group slot, stage, arm 0 = programme / 1 = other) and the delta's non-response weight.
struct Contributions {
    families: Vec<(u64, usize, usize)>,
    cells: Vec<(usize, f64, f64)>,
    n_cells: usize,
}

/// Per cell: sum of deltas and count, then the same weighted.
type Acc = [f64; 4];

impl Contributions {
    fn new(
        units: &[&IncomeUnit],
        slot: &[usize],
        n_groups: usize,
        weight: &dyn Fn(&IncomeUnit, usize) -> f64,
    ) -> Self {
        let mut families = Vec::with_capacity(units.len());
        let mut cells = Vec::new();
        for u in units {
            if u.income[0].is_nan() {
                continue;
            }
            let start = cells.len();
            let a = usize::from(!is_programme(u.arm));
            for j in 0..STAGES {
                let v = u.income[j + 1];
                if v.is_nan() {
                    continue;
                }
                let d = v - u.income[0];
                let w = if j == 0 { 1.0 } else { weight(u, j - 1) };
                for &g in &u.groups {
                    cells.push(((slot[g as usize] * STAGES + j) * 2 + a, d, w));
                }
            }
            if cells.len() > start {
                families.push((u.key, start, cells.len()));
            }
        }
        Self {
            families,
            cells,
            n_cells: n_groups * STAGES * 2,
        }
    }

    /// Add family `f` counted `c` times to the per-cell weighted sum and count.
    fn add(&self, acc: &mut [Acc], f: &(u64, usize, usize), c: f64) {
        for &(cell, d, w) in &self.cells[f.1..f.2] {
            acc[cell][0] += c * d;
            acc[cell][1] += c;
            acc[cell][2] += c * w * d;
            acc[cell][3] += c * w;
        }
    }

    /// Sums and counts per cell over the data.
    fn sums(&self) -> Vec<Acc> {
        let mut acc = vec![[0.0; 4]; self.n_cells];
        for f in &self.families {
            self.add(&mut acc, f, 1.0);
        }
        acc
    }

    /// The same sums in each bootstrap replicate.
    fn replicate_sums(&self, reps: usize, seed: u64) -> Vec<Vec<Acc>> {
        PoissonBootstrap::new(seed).accumulate(
            reps,
            &self.families,
            |f| f.0,
            || vec![[0.0; 4]; self.n_cells],
            |acc, f, c| self.add(acc, f, f64::from(c)),
        )
    }
}

/// The effect in group slot `g` at stage `j`, unweighted (`w` = 0) or weighted (`w` = 2).
fn effect(acc: &[Acc], g: usize, j: usize, comparison: bool, w: usize) -> f64 {
    let p = acc[(g * STAGES + j) * 2];
    let c = acc[(g * STAGES + j) * 2 + 1];
    if p[w + 1] == 0.0 {
        return f64::NAN;
    }
    if !comparison {
        return p[w] / p[w + 1];
    }
    if c[w + 1] == 0.0 {
        return f64::NAN;
    }
    p[w] / p[w + 1] - c[w] / c[w + 1]
}

/// Income tables: effect and trajectory; a note per arm and year whose non-response
/// model could not be fitted.
pub fn tables(
    p: &OutcomePartial,
    notes: &mut Vec<String>,
) -> (Vec<IncomeEffectRow>, Vec<IncomeTrajectoryRow>) {
    let s = &p.settings;
    // Sorted by key (the id hash) by reference: the units are the largest part of the
    // state (one per family with income data), so they are not copied.
    let mut units: Vec<&IncomeUnit> = p.income.iter().collect();
    units.sort_by_key(|u| u.key);
    if units.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // Dense group slots in output order.
    let mut groups: Vec<u32> = units
        .iter()
        .flat_map(|u| u.groups.iter().copied())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    groups.sort_by_key(|&g| group_order(p.groups.get(g), &s.by));
    let mut slot = vec![usize::MAX; p.groups.items.len()];
    for (i, &g) in groups.iter().enumerate() {
        slot[g as usize] = i;
    }
    let comparison = units.iter().any(|u| !is_programme(u.arm));
    // Non-response weights of the income deltas per arm and year: the model of
    // followup_domains fitted to "income observed, given due with an intake income".
    let mut weights: BTreeMap<(u8, usize), HashMap<PatternKey, f64>> = BTreeMap::new();
    let arms: BTreeSet<u8> = p.income_fit.keys().map(|(_, pat)| pat.arm).collect();
    for &arm in &arms {
        for y in 0..YEARS {
            match fit_weights(&p.income_fit, p, arm, y as u8) {
                Ok(Some(w)) => {
                    weights.insert((arm, y), w);
                }
                Ok(None) => {}
                Err(why) => notes.push(format!(
                    "income non-response model not fitted for year {} ({} arm): {why}; its deltas are unweighted",
                    y + 1,
                    arm_label(arm)
                )),
            }
        }
    }
    let weight = |u: &IncomeUnit, y: usize| {
        weights
            .get(&(u.arm, y))
            .and_then(|w| w.get(&key(p, &u.pattern)))
            .copied()
            .unwrap_or(1.0)
    };
    let contributions = Contributions::new(&units, &slot, groups.len(), &weight);
    let base = contributions.sums();
    // Per replicate: the unweighted then the weighted effect of every cell.
    let n = groups.len() * STAGES;
    let replicates: Vec<Vec<f64>> = contributions
        .replicate_sums(s.bootstrap_reps, s.seed)
        .iter()
        .map(|acc| {
            (0..2 * n)
                .map(|i| {
                    let c = i % n;
                    effect(acc, c / STAGES, c % STAGES, comparison, 2 * (i / n))
                })
                .collect()
        })
        .collect();
    let method = if comparison { "did" } else { "programme_only" };

    let mut effects: Vec<IncomeEffectRow> = Vec::new();
    for (gi, &g) in groups.iter().enumerate() {
        for j in 0..STAGES {
            let pr = base[(gi * STAGES + j) * 2];
            let co = base[(gi * STAGES + j) * 2 + 1];
            if pr[1] == 0.0 && co[1] == 0.0 {
                continue;
            }
            let interval = |e: f64, w: usize| {
                let reps: Vec<f64> = replicates
                    .iter()
                    .map(|r| r[w * n + gi * STAGES + j])
                    .filter(|v| v.is_finite())
                    .collect();
                (e.is_finite() && reps.len() >= 2)
                    .then(|| percentile_interval(&reps, 0.95).ok())
                    .flatten()
            };
            let e = effect(&base, gi, j, comparison, 0);
            let ci = interval(e, 0);
            let ew = effect(&base, gi, j, comparison, 2);
            let ciw = interval(ew, 1);
            let mean = |c: Acc| (c[1] > 0.0).then(|| c[0] / c[1]);
            let mean_w = |c: Acc| (c[3] > 0.0).then(|| c[2] / c[3]);
            effects.push(IncomeEffectRow {
                group: p.groups.get(g).to_string(),
                year: j as u32,
                n_programme: Some(pr[1] as u64),
                n_comparison: comparison.then_some(co[1] as u64),
                mean_delta_programme: mean(pr),
                mean_delta_comparison: if comparison { mean(co) } else { None },
                effect: e.is_finite().then_some(e),
                ci_low: ci.map(|i| i.low),
                ci_high: ci.map(|i| i.high),
                mean_delta_programme_weighted: mean_w(pr),
                mean_delta_comparison_weighted: if comparison { mean_w(co) } else { None },
                effect_weighted: ew.is_finite().then_some(ew),
                ci_low_weighted: ciw.map(|i| i.low),
                ci_high_weighted: ciw.map(|i| i.high),
                method: method.to_string(),
                suppressed: false,
            });
        }
    }
    let effects = withhold_small_rows(effects, s.min_cell, |r| {
        let size = if comparison {
            r.n_programme.unwrap_or(0).min(r.n_comparison.unwrap_or(0))
        } else {
            r.n_programme.unwrap_or(0)
        };
        (r.year, size)
    });

    // Trajectory: mean income per group, arm and stage (intake, exit, years), t interval.
    let mut moments: BTreeMap<(usize, u8, usize), Moments> = BTreeMap::new();
    for u in &units {
        for (j, &v) in u.income.iter().enumerate() {
            // Ingest sets aside non-finite amounts (plausibility bounds); skipping any that
            // got through keeps `push` infallible instead of trusting that upstream rule.
            if !v.is_finite() {
                continue;
            }
            for &g in &u.groups {
                let m = moments.entry((slot[g as usize], u.arm, j)).or_default();
                m.push(v).expect("a finite income is always accepted");
            }
        }
    }
    let traj: Vec<IncomeTrajectoryRow> = moments
        .iter()
        .map(|(&(gi, arm, j), m)| {
            let est = m.estimate(0.95).ok().flatten();
            IncomeTrajectoryRow {
                group: p.groups.get(groups[gi]).to_string(),
                arm: arm_label(arm).to_string(),
                year: j as i32 - 1,
                n: Some(m.count()),
                mean_income: est.map(|e| e.mean),
                ci_low: est.and_then(|e| e.interval).map(|i| i.low),
                ci_high: est.and_then(|e| e.interval).map(|i| i.high),
                suppressed: false,
            }
        })
        .collect();
    let traj = withhold_small_rows(traj, s.min_cell, |r| {
        ((r.arm.clone(), r.year), r.n.unwrap_or(0))
    });
    (effects, traj)
}
