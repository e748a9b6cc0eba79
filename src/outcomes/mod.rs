//! Outcomes: what happened to families 1-5 years after they left the programme.
//!
//! Implements docs/method.md sections 1-4 and 6 on the typed [`Dataset`] and produces the
//! tables of docs/outputs.md (`followup_domains`, `score_change`, `survival_curve`,
//! `survival_years`, `survival_tests`, `income_effect`) and three more for the report
//! (`score_levels`, `income_trajectory`, `during_programme`) and `reintegration`. The SROI model's
//! data-derived quantities are measured one level up, in `crate::quantities`, from the
//! same family records ([`record`]).
//!
//! The computation is one parallel pass over families ([`record`]: each family's rows
//! reduced to a record), folded into a mergeable [`OutcomePartial`] of counts, integer
//! sums, event tables, IPW pattern counts and per-family income units ([`partial`]
//! module docs say what merges how), and finished into [`Outcomes`]. [`compute`] is
//! `partial` over all families then `finish`; callers that split the families (by range,
//! by country, across machines) call [`partial()`] per part, [`OutcomePartial::merge`] the
//! parts and `finish` once, with the same result. The state serialises with serde (the `wire`
//! module says how, exactly), so parts computed by separate processes travel as files:
//! `kinsight partial` and `kinsight merge` (the pipeline's `partition` module). Writing
//! the tables is the pipeline's: this stage computes rows and writes nothing.
//!
//! Groups: every table has a `group` column, `all` or `COL=value`. Each `--by` column is
//! a separate breakdown of the cohort, not a cross product. Every table but the income
//! effect reports each group per arm (an `arm` column), and `all` is the whole cohort of
//! that arm (follow-up figures of an arm without any follow-up assessment are left out);
//! the income effect compares the arms within each group, and the survival tests compare
//! the arms, stratified by the groups of a breakdown.

mod change;
mod disclosure;
mod error;
pub(crate) mod followup;
pub(crate) mod groups;
mod income;
mod index;
mod options;
pub(crate) mod partial;
pub(crate) mod record;
pub(crate) mod reintegration;
mod rows;
mod survival;
mod wire;

#[cfg(test)]
pub(crate) mod test_data;
#[cfg(test)]
mod tests;

pub use crate::settings::OutcomeSettings;
pub use disclosure::Withhold;
pub use error::OutcomeError;
pub use options::{OutcomeOptions, BY_COLUMNS};
pub use partial::{partial, OutcomePartial};
pub use rows::*;

use crate::ingest::Dataset;
use crate::schema;

/// The outcome tables of a dataset.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outcomes {
    pub followup_domains: Vec<FollowupRow>,
    pub score_change: Vec<ScoreChangeRow>,
    pub score_levels: Vec<ScoreLevelRow>,
    pub survival_curve: Vec<SurvivalCurveRow>,
    pub survival_years: Vec<SurvivalYearRow>,
    pub survival_tests: Vec<SurvivalTestRow>,
    pub income_effect: Vec<IncomeEffectRow>,
    pub income_trajectory: Vec<IncomeTrajectoryRow>,
    pub during_programme: Vec<DuringProgrammeRow>,
    pub reintegration: Vec<ReintegrationRow>,
    pub headline: Headline,
    /// What could not be estimated and why, and the caveats of this run.
    pub notes: Vec<String>,
}

/// Compute every outcome table of `ds`.
///
/// # Errors
/// The option errors of [`OutcomeOptions::check`]; [`OutcomeError::NoCohort`] when no
/// family has an exit.
pub fn compute(ds: &Dataset, opts: &OutcomeOptions) -> Result<Outcomes, OutcomeError> {
    let mut p = partial(ds, opts, 0..ds.families.len())?;
    p.note_missing_tables(ds);
    p.finish()
}

impl OutcomePartial {
    /// Record the caveats that follow from tables absent in `ds` (notes of the run).
    pub fn note_missing_tables(&mut self, ds: &Dataset) {
        let mut add = |t: &str, why: &str| {
            if !ds.has(t) && !self.notes.iter().any(|n| n.starts_with(t)) {
                self.notes.push(format!("{t} table absent: {why}"));
            }
        };
        add(
            "children",
            "no survival or placement figures (they are counted per child)",
        );
        add(
            "care_events",
            "no placements are known, so every child counts as staying in family care",
        );
        add(
            "followup_contacts",
            "survival is censored at data_cutoff only (moves abroad and deaths unknown)",
        );
        add("income", "no income effect");
    }

    /// Turn the merged state into the tables.
    ///
    /// # Errors
    /// [`OutcomeError::NoCohort`] when the state holds no family with an exit.
    pub fn finish(self) -> Result<Outcomes, OutcomeError> {
        if self.families.values().sum::<u64>() == 0 {
            return Err(OutcomeError::NoCohort);
        }
        let mut notes = self.notes.clone();
        let followup_domains = followup::rows(&self, &mut notes);
        let score_change = change::change_rows(&self);
        let score_levels = change::level_rows(&self);
        let during_programme = change::during_rows(&self);
        let (survival_curve, survival_years, survival_tests) = survival::tables(&self, &mut notes);
        let (income_effect, income_trajectory) = income::tables(&self, &mut notes);
        let reintegration = reintegration::rows(&self, &mut notes);
        let mut out = Outcomes {
            followup_domains,
            score_change,
            score_levels,
            survival_curve,
            survival_years,
            survival_tests,
            income_effect,
            income_trajectory,
            during_programme,
            reintegration,
            headline: Headline::default(),
            notes,
        };
        out.headline = headline(&self, &out);
        Ok(out)
    }
}

fn headline(p: &OutcomePartial, o: &Outcomes) -> Headline {
    let arm = |a: usize| p.families.get(&(a as u8)).copied().unwrap_or(0);
    let doing_well = |arm: &str| {
        o.followup_domains
            .iter()
            .filter(|r| r.group == "all" && r.arm == arm && r.domain == "overall")
            .filter(|r| !r.suppressed)
            .filter_map(|r| match (r.share_weighted, r.share) {
                (Some(s), _) => Some(HeadlineShare {
                    year: r.year,
                    share: s,
                    weighted: true,
                }),
                (None, Some(s)) => Some(HeadlineShare {
                    year: r.year,
                    share: s,
                    weighted: false,
                }),
                _ => None,
            })
            .collect()
    };
    let (programme, comparison) = (schema::ARMS[0], schema::ARMS[1]);
    let surv = |arm: &str, year: u32| {
        o.survival_years
            .iter()
            .find(|r| r.group == "all" && r.arm == arm && r.level == "child" && r.year == year)
            .and_then(|r| r.survival)
            .map(|survival| HeadlineSurvival { year, survival })
    };
    let last_year = (1..=5u32)
        .rev()
        .find(|&y| surv(programme, y).is_some() && (arm(1) == 0 || surv(comparison, y).is_some()))
        .or_else(|| (1..=5u32).rev().find(|&y| surv(programme, y).is_some()));
    let income = o
        .income_effect
        .iter()
        .filter(|r| r.group == "all" && r.effect.is_some())
        .max_by_key(|r| r.year);
    Headline {
        families_programme: arm(0),
        families_comparison: arm(1),
        children_programme: p.children_programme,
        doing_well_overall: doing_well(programme),
        doing_well_overall_comparison: doing_well(comparison),
        children_in_family_care_programme: last_year.and_then(|y| surv(programme, y)),
        children_in_family_care_comparison: last_year.and_then(|y| surv(comparison, y)),
        log_rank_p_arms: o
            .survival_tests
            .iter()
            .find(|t| t.by == "arm" && t.level == "family")
            .map(|t| t.p_value),
        income_effect: income.and_then(|r| r.effect_weighted.or(r.effect)),
        income_effect_weighted: income.is_some_and(|r| r.effect_weighted.is_some()),
        income_effect_year: income.map(|r| r.year),
        returned_home_programme: reintegration_row(o, reintegration::RETURNED_HOME, None)
            .and_then(|r| r.estimate),
        still_home_programme: [1, 2]
            .into_iter()
            .filter_map(|year| {
                reintegration_row(o, reintegration::STILL_HOME, Some(year))
                    .and_then(|r| r.estimate)
                    .map(|survival| HeadlineSurvival { year, survival })
            })
            .collect(),
    }
}

/// The programme arm's published child-level reintegration row of `measure` and `year`.
fn reintegration_row<'a>(
    o: &'a Outcomes,
    measure: &str,
    year: Option<u32>,
) -> Option<&'a ReintegrationRow> {
    o.reintegration.iter().find(|r| {
        r.group == "all"
            && r.arm == schema::ARMS[0]
            && r.level == "child"
            && r.measure == measure
            && r.year == year
            && !r.suppressed
    })
}
