//! The mergeable state of an outcome analysis.
//!
//! Families are reduced to an [`OutcomePartial`] holding only counts and sums per
//! published cell; partials of disjoint sets of families [`merge`](OutcomePartial::merge)
//! exactly, and [`finish`](OutcomePartial::finish) turns the merged state into the tables.
//! This lets partitions of a dataset (by country, by family range, on different machines)
//! be computed separately and combined with the same result as one pass:
//!
//! - follow-up, score change, score levels and the during-programme shares are integer
//!   counts and integer sums (scores and changes are whole numbers, so their sums and sums
//!   of squares are exact): merging adds them;
//! - survival is an [`EventTable`] per group and level (events and censorings per day):
//!   merging adds them, and Kaplan-Meier and log-rank are computed from the merged tables;
//! - the IPW model for non-response needs all families at once, but its covariates are
//!   categorical (country, risk level, household type, service model) plus the mean intake
//!   score, which is a ratio of two small integers (score sum, domains assessed). The state
//!   therefore keeps, per follow-up year and exact covariate pattern, the numbers due and
//!   observed (the grouped binomial data the logistic fit needs, no binning), and per
//!   published cell and pattern the numbers observed and doing well (from which the
//!   weighted shares follow once the weights of each pattern are known);
//! - the income effect's bootstrap interval resamples families, so the state keeps one
//!   small unit per family with income data (its incomes at intake, exit and years 1-5,
//!   arm and groups), keyed by a hash of the family id: units are ordered by that key
//!   before any sum or resample, so the result does not depend on the split;
//! - child-level survival intervals come from the same family bootstrap (siblings share
//!   their family's fate), so the state keeps one unit per family with children at risk
//!   after exit: its key, its cells and its children's times. A replicate's sums are
//!   integer counts, so they do not depend on the order or split either.
//!
//! Group, domain and country labels are interned per state and remapped on merge, so
//! states built from different files of the same study merge as well as states built
//! from one [`Dataset`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use rayon::prelude::*;

use crate::ingest::Dataset;
use crate::stats::EventTable;

use super::error::OutcomeError;
use super::groups::{breakdowns, Breakdown};
use super::options::OutcomeOptions;
use super::record::{is_programme, Context, FamilyRecord, FollowUp, YEARS};
use super::reintegration::ReintegrationState;
use crate::settings::OutcomeSettings;

/// Domain code of the "doing well overall" pseudo-domain.
pub(crate) const OVERALL: u32 = u32::MAX;
/// Level codes of survival tables.
pub(crate) const FAMILY_LEVEL: u8 = 0;
pub(crate) const CHILD_LEVEL: u8 = 1;
/// Measures of the during-programme table.
pub(crate) const PLACED_DURING: u8 = 0;
pub(crate) const SELF_RELIANT: u8 = 1;
/// Children not in care at exit who were 18 or older on the exit date (never at risk).
pub(crate) const AGED_18_AT_EXIT: u8 = 2;
/// Children at risk after exit censored at their 18th birthday.
pub(crate) const CENSORED_AT_18: u8 = 3;

/// The multiplicative hash of rustc (FxHash): the state's keys are a few small integers,
/// hashed hundreds of millions of times on a large dataset, where SipHash's
/// flood resistance buys nothing.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, x: u8) {
        self.add(u64::from(x));
    }
    fn write_u32(&mut self, x: u32) {
        self.add(u64::from(x));
    }
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Hash map of the state's cells.
pub(crate) type Map<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Labels interned to small codes.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Vocab {
    pub items: Vec<String>,
    map: HashMap<String, u32>,
}

impl Vocab {
    pub(crate) fn from_items(items: Vec<String>) -> Self {
        let mut v = Vocab::default();
        for s in items {
            v.intern(&s);
        }
        v
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.items.len() as u32;
        self.items.push(s.to_string());
        self.map.insert(s.to_string(), i);
        i
    }

    pub fn get(&self, i: u32) -> &str {
        &self.items[i as usize]
    }

    /// Codes of `other`'s items in this vocabulary (interning new ones); `None` when the
    /// two are identical and no remapping is needed.
    fn absorb(&mut self, other: &Vocab) -> Option<Vec<u32>> {
        if self.items == other.items {
            return None;
        }
        Some(other.items.iter().map(|s| self.intern(s)).collect())
    }
}

/// Arm codes a cell can carry (`schema::ARMS`).
pub(crate) const N_ARMS: u32 = 2;

/// The cell code of group `g` in arm `arm`: every outcome table is kept, and reported,
/// per arm (docs/method.md section 1), so the state's maps are keyed by group and arm together.
pub(crate) fn cell(g: u32, arm: u8) -> u32 {
    g * N_ARMS + u32::from(arm)
}

/// The group code of a cell code.
pub(crate) fn cell_group(c: u32) -> u32 {
    c / N_ARMS
}

/// The arm code of a cell code.
pub(crate) fn cell_arm(c: u32) -> u8 {
    (c % N_ARMS) as u8
}

fn remap(map: &Option<Vec<u32>>, code: u32) -> u32 {
    match map {
        Some(m) if code != OVERALL => m[code as usize],
        _ => code,
    }
}

/// An intake covariate pattern of the non-response model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Pattern {
    /// Arm code: each arm has its own non-response model.
    pub arm: u8,
    /// Code in the state's country vocabulary.
    pub country: u32,
    pub risk: u8,
    pub household: u8,
    pub service_model: u8,
    /// Sum and number of the intake domain scores (0, 0 without an intake sitting).
    pub score_sum: u32,
    pub score_n: u32,
}

/// Integer sums of a score or score change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sums {
    pub n: u64,
    pub sum: i64,
    pub sum_sq: i64,
    /// Changes only: improved, same, worse.
    pub up: u64,
    pub same: u64,
    pub down: u64,
}

impl Sums {
    fn push(&mut self, x: i64) {
        self.n += 1;
        self.sum += x;
        self.sum_sq += x * x;
        match x.cmp(&0) {
            std::cmp::Ordering::Greater => self.up += 1,
            std::cmp::Ordering::Equal => self.same += 1,
            std::cmp::Ordering::Less => self.down += 1,
        }
    }

    fn add(&mut self, o: &Sums) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
        self.up += o.up;
        self.same += o.same;
        self.down += o.down;
    }
}

/// One family's incomes, for the income tables and their bootstrap.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IncomeUnit {
    /// FNV-1a hash of the family id: the order of units in every sum and resample.
    pub key: u64,
    pub arm: u8,
    /// Groups (state codes) the family belongs to for income: `all` and the `--by`
    /// groups except `arm`.
    pub groups: Vec<u32>,
    /// Its covariate pattern (with its arm): the non-response weight of its deltas.
    pub pattern: Pattern,
    /// Annual real income at intake, exit and years 1..5 (NaN when missing).
    pub income: [f64; YEARS + 2],
}

/// One family's children at risk after exit, for the family-clustered bootstrap of
/// child-level survival.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SurvivalUnit {
    /// FNV-1a hash of the family id: its bootstrap multiplicity and its order.
    pub key: u64,
    /// The cells (group x arm) the family belongs to.
    pub cells: Vec<u32>,
    /// Its children's `(day, is_event)`.
    pub children: Vec<(i32, bool)>,
}

/// Mergeable state of the outcome analysis of a set of families. See the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomePartial {
    pub(crate) settings: OutcomeSettings,
    pub(crate) groups: Vocab,
    pub(crate) domains: Vocab,
    pub(crate) countries: Vocab,
    /// Cohort families per arm code.
    pub(crate) families: Map<u8, u64>,
    /// Children of programme cohort families with a usable care history.
    pub(crate) children_programme: u64,
    /// Families due per (cell, year index 0..5). Cells are group and arm ([`cell`]).
    pub(crate) due: Map<(u32, u8), u64>,
    /// Families not due because they died or moved abroad before the window opened, per
    /// (cell, year index).
    pub(crate) gone: Map<(u32, u8), u64>,
    /// Observed and doing well per (cell, domain, year index).
    pub(crate) followup: Map<(u32, u32, u8), [u64; 2]>,
    /// Due and observed per (year index, pattern); the pattern carries the arm.
    pub(crate) ipw_fit: Map<(u8, Pattern), [u64; 2]>,
    /// Observed and doing well per (cell, domain, year index, pattern).
    pub(crate) ipw_cells: Map<(u32, u32, u8, Pattern), [u64; 2]>,
    /// Families due with an income at intake, and those with an income in the year's
    /// window, per (year index, pattern): the income non-response model's data.
    pub(crate) income_fit: Map<(u8, Pattern), [u64; 2]>,
    /// Score change per (cell, domain, year 0..=5; 0 = exit).
    pub(crate) change: Map<(u32, u32, u8), Sums>,
    /// Score levels per (cell, domain, stage 0 = intake, 1 = exit, 2.. = year 1..).
    pub(crate) levels: Map<(u32, u32, u8), Sums>,
    /// Event tables per (cell, level).
    pub(crate) survival: Map<(u32, u8), EventTable>,
    /// Numerator and denominator per (cell, measure).
    pub(crate) during: Map<(u32, u8), [u64; 2]>,
    pub(crate) income: Vec<IncomeUnit>,
    /// Children in care at intake: returns home and staying home (`reintegration`).
    pub(crate) reintegration: ReintegrationState,
    /// Families with children at risk (child-level survival's bootstrap).
    pub(crate) survival_units: Vec<SurvivalUnit>,
    /// Caveats of the run (missing tables), kept once each.
    pub(crate) notes: Vec<String>,
}

/// FNV-1a, 64 bit: a stable, platform-independent key for ordering families.
pub(crate) fn family_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl OutcomePartial {
    fn empty(settings: &OutcomeSettings, ds: &Dataset, bds: &[Breakdown]) -> Self {
        let mut groups = vec!["all".to_string()];
        for b in bds {
            groups.extend((0..b.values.len() as u32).map(|c| b.label(c)));
        }
        Self {
            settings: settings.clone(),
            groups: Vocab::from_items(groups),
            domains: Vocab::from_items(ds.assessments.domains.clone()),
            countries: Vocab::from_items(ds.families.countries.clone()),
            families: Map::default(),
            children_programme: 0,
            due: Map::default(),
            gone: Map::default(),
            followup: Map::default(),
            ipw_fit: Map::default(),
            ipw_cells: Map::default(),
            income_fit: Map::default(),
            change: Map::default(),
            levels: Map::default(),
            survival: Map::default(),
            during: Map::default(),
            income: Vec::new(),
            reintegration: ReintegrationState::default(),
            survival_units: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The checked options the state was computed with; states merge only when these
    /// are equal.
    pub fn settings(&self) -> &OutcomeSettings {
        &self.settings
    }

    /// Families of the cohort (with an exit) in the state, both arms.
    pub fn cohort_families(&self) -> u64 {
        self.families.values().sum()
    }

    /// The hashed ids (64-bit FNV-1a) of the families with income data or children at
    /// risk, each once: all the state knows of which families it holds, so the one way to
    /// see that two states share a family (which would count it twice).
    pub fn family_keys(&self) -> Vec<u64> {
        let mut k: Vec<u64> = self
            .income
            .iter()
            .map(|u| u.key)
            .chain(self.survival_units.iter().map(|u| u.key))
            .collect();
        k.sort_unstable();
        k.dedup();
        k
    }

    /// Merge the state of a disjoint set of families into this one.
    ///
    /// # Errors
    /// [`OutcomeError::IncompatiblePartials`] when the two were computed with different
    /// options.
    pub fn merge(&mut self, other: OutcomePartial) -> Result<(), OutcomeError> {
        if self.settings != other.settings {
            return Err(OutcomeError::IncompatiblePartials { what: "options" });
        }
        let gm = self.groups.absorb(&other.groups);
        let dm = self.domains.absorb(&other.domains);
        let cm = self.countries.absorb(&other.countries);
        let g = |c| remap(&gm, c);
        let gc = |c| cell(remap(&gm, cell_group(c)), cell_arm(c));
        let d = |c| remap(&dm, c);
        let p = |pat: Pattern| Pattern {
            country: remap(&cm, pat.country),
            ..pat
        };
        for (k, v) in other.families {
            *self.families.entry(k).or_default() += v;
        }
        self.children_programme += other.children_programme;
        for ((gr, y), v) in other.due {
            *self.due.entry((gc(gr), y)).or_default() += v;
        }
        for ((gr, y), v) in other.gone {
            *self.gone.entry((gc(gr), y)).or_default() += v;
        }
        for ((gr, dm_, y), v) in other.followup {
            add2(self.followup.entry((gc(gr), d(dm_), y)).or_default(), v);
        }
        for ((y, pat), v) in other.ipw_fit {
            add2(self.ipw_fit.entry((y, p(pat))).or_default(), v);
        }
        for ((gr, dm_, y, pat), v) in other.ipw_cells {
            add2(
                self.ipw_cells
                    .entry((gc(gr), d(dm_), y, p(pat)))
                    .or_default(),
                v,
            );
        }
        for ((y, pat), v) in other.income_fit {
            add2(self.income_fit.entry((y, p(pat))).or_default(), v);
        }
        for ((gr, dm_, y), v) in other.change {
            self.change.entry((gc(gr), d(dm_), y)).or_default().add(&v);
        }
        for ((gr, dm_, y), v) in other.levels {
            self.levels.entry((gc(gr), d(dm_), y)).or_default().add(&v);
        }
        for ((gr, l), t) in other.survival {
            self.survival.entry((gc(gr), l)).or_default().merge(&t);
        }
        for ((gr, m), v) in other.during {
            add2(self.during.entry((gc(gr), m)).or_default(), v);
        }
        self.reintegration.merge(other.reintegration, gc);
        for n in other.notes {
            if !self.notes.contains(&n) {
                self.notes.push(n);
            }
        }
        self.survival_units
            .extend(other.survival_units.into_iter().map(|mut u| {
                u.cells.iter_mut().for_each(|x| *x = gc(*x));
                u
            }));
        self.income.extend(other.income.into_iter().map(|mut u| {
            u.groups.iter_mut().for_each(|x| *x = g(*x));
            u.pattern = p(u.pattern);
            u
        }));
        Ok(())
    }

    /// Add one family.
    fn add(&mut self, cx: &Context<'_>, bases: &[u32], r: &FamilyRecord) {
        let s = cx.settings;
        let ds = cx.ds;
        let f = r.family as usize;
        let programme = is_programme(r.arm);
        *self.families.entry(r.arm).or_default() += 1;
        if programme {
            self.children_programme += u64::from(r.children_valid);
        }
        // Groups: `all` and each breakdown's group, every one in the family's arm (cells);
        // income units carry the plain groups and their arm.
        let mut cells: Vec<u32> = Vec::with_capacity(bases.len() + 1);
        let mut income_groups: Vec<u32> = Vec::with_capacity(bases.len() + 1);
        cells.push(cell(0, r.arm));
        income_groups.push(0);
        for (b, bd) in cx.breakdowns.iter().enumerate() {
            let g = 1 + bases[b] + r.codes[b];
            cells.push(cell(g, r.arm));
            if bd.column != "arm" {
                income_groups.push(g);
            }
        }

        // Follow-up, change and levels.
        let pattern = {
            let (score_sum, score_n) = r.intake_sum();
            Pattern {
                arm: r.arm,
                country: ds.families.country[f],
                risk: ds.families.risk_level[f],
                household: ds.families.household_type[f],
                service_model: ds.episodes.service_model[r.episode as usize],
                score_sum,
                score_n,
            }
        };
        let intake: Map<u32, u8> = r.intake_scores.iter().copied().collect();
        for &g in &cells {
            for &(dm, v) in &r.intake_scores {
                self.levels
                    .entry((g, dm, 0))
                    .or_default()
                    .push(i64::from(v));
            }
            if let Some(sc) = &r.exit_scores {
                for &(dm, v) in sc {
                    self.levels
                        .entry((g, dm, 1))
                        .or_default()
                        .push(i64::from(v));
                    if let Some(&i) = intake.get(&dm) {
                        let ch = i64::from(v) - i64::from(i);
                        self.change.entry((g, dm, 0)).or_default().push(ch);
                    }
                }
            }
            for (k, fu) in r.followup.iter().enumerate() {
                let y = k as u8;
                match fu {
                    FollowUp::NotDue => continue,
                    FollowUp::Gone => {
                        *self.gone.entry((g, y)).or_default() += 1;
                        continue;
                    }
                    _ => {}
                }
                *self.due.entry((g, y)).or_default() += 1;
                let FollowUp::Observed(sc) = fu else { continue };
                let mut cells: Vec<(u32, bool)> = sc
                    .iter()
                    .map(|&(dm, v)| (dm, v >= s.well_threshold))
                    .collect();
                cells.push((OVERALL, FamilyRecord::overall_well(sc, s)));
                for &(dm, well) in &cells {
                    add2(
                        self.followup.entry((g, dm, y)).or_default(),
                        [1, u64::from(well)],
                    );
                    add2(
                        self.ipw_cells.entry((g, dm, y, pattern)).or_default(),
                        [1, u64::from(well)],
                    );
                }
                for &(dm, v) in sc {
                    self.levels
                        .entry((g, dm, 2 + y))
                        .or_default()
                        .push(i64::from(v));
                    if let Some(&i) = intake.get(&dm) {
                        let ch = i64::from(v) - i64::from(i);
                        self.change.entry((g, dm, 1 + y)).or_default().push(ch);
                    }
                }
            }
            add2(
                self.during.entry((g, PLACED_DURING)).or_default(),
                [
                    u64::from(r.children_placed_during),
                    u64::from(r.children_valid),
                ],
            );
            // Ageing out (docs/method.md section 3.2): of the children not in care at exit,
            // those 18 or older then; of those at risk, those censored at 18.
            let at_risk = r.children_times.len() as u64;
            let [adult, censored] = r.children_aged_out.map(u64::from);
            add2(
                self.during.entry((g, AGED_18_AT_EXIT)).or_default(),
                [adult, adult + at_risk],
            );
            add2(
                self.during.entry((g, CENSORED_AT_18)).or_default(),
                [censored, at_risk],
            );
            if let Some(sr) = ds.episodes.self_reliant[r.episode as usize] {
                add2(
                    self.during.entry((g, SELF_RELIANT)).or_default(),
                    [u64::from(sr), 1],
                );
            }
        }
        for (k, fu) in r.followup.iter().enumerate() {
            let observed = match fu {
                FollowUp::NotDue | FollowUp::Gone => continue,
                FollowUp::Missing => 0,
                FollowUp::Observed(_) => 1,
            };
            add2(
                self.ipw_fit.entry((k as u8, pattern)).or_default(),
                [1, observed],
            );
        }

        // Survival.
        for &g in &cells {
            if let Some((t, e)) = r.family_time {
                self.survival
                    .entry((g, FAMILY_LEVEL))
                    .or_default()
                    .add(t, e);
            }
            if !r.children_times.is_empty() {
                let table = self.survival.entry((g, CHILD_LEVEL)).or_default();
                for &(t, e) in &r.children_times {
                    table.add(t, e);
                }
            }
        }
        if !r.children_times.is_empty() {
            self.survival_units.push(SurvivalUnit {
                key: family_key(&ds.families.ids[f]),
                cells: cells.clone(),
                children: r.children_times.clone(),
            });
        }

        self.reintegration
            .add(&cells, &super::reintegration::family(cx, r));

        // Income: the non-response model's data (due years of families with an intake
        // income), and the family's unit.
        if !r.income[0].is_nan() {
            for (k, fu) in r.followup.iter().enumerate() {
                if matches!(fu, FollowUp::NotDue | FollowUp::Gone) {
                    continue;
                }
                let observed = u64::from(!r.income[k + 2].is_nan());
                add2(
                    self.income_fit.entry((k as u8, pattern)).or_default(),
                    [1, observed],
                );
            }
        }
        if r.income.iter().any(|v| !v.is_nan()) {
            self.income.push(IncomeUnit {
                key: family_key(&ds.families.ids[f]),
                arm: r.arm,
                groups: income_groups,
                pattern,
                income: r.income,
            });
        }
    }
}

fn add2(a: &mut [u64; 2], b: [u64; 2]) {
    a[0] += b[0];
    a[1] += b[1];
}

/// Families per parallel work item.
const CHUNK: usize = 2048;

/// The partial state of the families in `families` (positions in `ds.families`).
///
/// Partials of disjoint ranges merge ([`OutcomePartial::merge`]) into the state of their
/// union; `finish` on the merged state equals [`super::compute`] on the whole dataset.
///
/// # Errors
/// The option errors of [`OutcomeOptions::check`].
pub fn partial(
    ds: &Dataset,
    opts: &OutcomeOptions,
    families: Range<usize>,
) -> Result<OutcomePartial, OutcomeError> {
    let settings = opts.check()?;
    let cx = Context::new(ds, &settings, breakdowns(&settings.by, ds));
    Ok(partial_in(&cx, families))
}

/// [`partial`] with a prepared context.
pub(crate) fn partial_in(cx: &Context<'_>, families: Range<usize>) -> OutcomePartial {
    let mut bases = Vec::with_capacity(cx.breakdowns.len());
    let mut base = 0u32;
    for b in &cx.breakdowns {
        bases.push(base);
        base += b.values.len() as u32;
    }
    let end = families.end.min(cx.ds.families.len());
    let start = families.start.min(end);
    let empty = || OutcomePartial::empty(cx.settings, cx.ds, &cx.breakdowns);
    let chunks: Vec<Range<usize>> = (start..end)
        .step_by(CHUNK)
        .map(|a| a..(a + CHUNK).min(end))
        .collect();
    chunks
        .into_par_iter()
        .fold(empty, |mut p, range| {
            for f in range {
                if let Some(r) = cx.record(f) {
                    p.add(cx, &bases, &r);
                }
            }
            p
        })
        .reduce(empty, |mut a, b| {
            a.merge(b).expect("same options");
            a
        })
}
