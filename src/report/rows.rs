//! The result tables as the report uses them: the engine's own row structs, read back
//! with [`crate::output::read_rows`], plus three small views where the report computes
//! something the table does not hold.
//!
//! Disclosure control is enforced here, once, for everything downstream: a row marked
//! `suppressed` (or, for tables without that column, resting on fewer than `min_cell`
//! families) has every number blanked, by the outcome stage's own definition of what a
//! suppressed row withholds ([`Withhold`]), so no chart or paragraph can print a value
//! that was not meant to be published.
//!
//! | table | row | what the report adds |
//! |---|---|---|
//! | `followup_domains`, `survival_years`, `score_levels`, `income_trajectory`, `during_programme`, `reintegration` | the engine row | blanked when suppressed |
//! | `survival_tests` | [`SurvivalTestRow`] | nothing (a NaN statistic is "not tested") |
//! | `income_effect` | [`IncomeEffectRow`] | also suppressed when an arm's n is in (0, `min_cell`) |
//! | `survival_curve` | [`CurveRow`] | suppressed when at risk < `min_cell` (the table has no `suppressed` column); events and censored dropped |
//! | `score_change` | [`ChangeRow`] | improved / same / worse as shares of n |
//! | `cost_of_care` | [`CostRow`] | public reference costs shown even for a suppressed country |
//! | `balance` | [`BalanceRow`] | every figure blanked when suppressed |
//! | `propensity_overlap` | [`OverlapRow`] | also suppressed when a bin holds 1 to `min_cell - 1` families |
//! | `adjusted_estimates` | [`AdjustedEstimateRow`] | nothing (arm-level estimates; the E-values of `sensitivity` come from summary.json) |
//!
//! The outcome tables report every group per arm (`arm` column). The report shows the
//! programme arm where it shows `all`, and compares the arms as the groups
//! `arm=programme` and `arm=comparison`: [`by_arm`] maps the one to the other.

use std::path::Path;

use serde::de::DeserializeOwned;

pub use crate::adjust::balance::{BalanceRow, OverlapRow};
pub use crate::costs::CostOfCareRow;
pub use crate::outcomes::{
    DuringProgrammeRow, FollowupRow, IncomeEffectRow, IncomeTrajectoryRow, ReintegrationRow,
    ScoreChangeRow, ScoreLevelRow, SurvivalCurveRow, SurvivalTestRow, SurvivalYearRow, Withhold,
};
use crate::output::{read_rows, Published};
pub use crate::quantities::AdjustedEstimateRow;

use super::ReportError;

/// Where table `R` is stored under `dir`, preferring Parquet (exact types) to CSV.
pub fn locate<R: Published>(dir: &Path) -> Option<std::path::PathBuf> {
    ["parquet", "csv"]
        .iter()
        .map(|ext| dir.join(format!("{}.{ext}", R::TABLE)))
        .find(|p| p.is_file())
}

/// Reads the rows of the table at `path`.
///
/// # Errors
/// [`ReportError::Table`] naming the file (and column and row) when it cannot be read.
pub fn read<R: DeserializeOwned>(path: &Path) -> Result<Vec<R>, ReportError> {
    Ok(read_rows(path)?)
}

/// Blanks every row for which `hide` holds (the outcome stage's [`Withhold`]).
pub fn withheld<R: Withhold>(mut rows: Vec<R>, hide: impl Fn(&R) -> bool) -> Vec<R> {
    for r in &mut rows {
        if hide(r) {
            r.withhold();
        }
    }
    rows
}

/// Follow-up, survival-year, score-level, income-trajectory and during-programme rows:
/// blanked when marked suppressed. (Due and observed counts of a follow-up row describe
/// follow-up effort, not outcomes, but could still reveal a suppressed cell: blanked
/// too.)
macro_rules! marked {
    ($($ty:ty),*) => {$(
        impl Checked for $ty {
            fn checked(rows: Vec<Self>, _min_cell: u32) -> Vec<Self> {
                withheld(rows, |r| r.suppressed)
            }
        }
    )*};
}

/// A table row as the report may show it: disclosure control applied.
pub trait Checked: Sized {
    /// The rows with every number a reader must not see blanked.
    fn checked(rows: Vec<Self>, min_cell: u32) -> Vec<Self>;
}

marked!(
    FollowupRow,
    SurvivalYearRow,
    ScoreLevelRow,
    IncomeTrajectoryRow,
    DuringProgrammeRow,
    ReintegrationRow
);

impl Checked for SurvivalTestRow {
    fn checked(rows: Vec<Self>, _min_cell: u32) -> Vec<Self> {
        rows
    }
}

/// docs/outputs.md gives `income_effect` no disclosure rule of its own beyond `suppressed`;
/// a row is also treated as suppressed when either arm's n is below `min_cell` (an
/// effect resting on too few families is never printed).
impl Checked for IncomeEffectRow {
    fn checked(rows: Vec<Self>, min_cell: u32) -> Vec<Self> {
        let few = |n: Option<u64>| n.is_some_and(|n| n > 0 && n < u64::from(min_cell));
        withheld(rows, |r| {
            r.suppressed || few(r.n_programme) || few(r.n_comparison)
        })
    }
}

/// A suppressed covariate level (a level held by too few families of an arm) shows no
/// mean and no standardised difference: either would reveal the small group's share.
impl Checked for BalanceRow {
    fn checked(rows: Vec<Self>, _min_cell: u32) -> Vec<Self> {
        rows.into_iter()
            .map(|r| {
                if !r.suppressed {
                    return r;
                }
                BalanceRow {
                    mean_programme: None,
                    mean_comparison: None,
                    mean_programme_weighted: None,
                    mean_comparison_weighted: None,
                    smd_before: None,
                    smd_after: None,
                    variance_ratio_before: None,
                    variance_ratio_after: None,
                    ..r
                }
            })
            .collect()
    }
}

/// A propensity bin is withheld when marked, or (defensively, should the table be
/// written with another threshold) when it holds 1 to `min_cell - 1` families.
impl Checked for OverlapRow {
    fn checked(rows: Vec<Self>, min_cell: u32) -> Vec<Self> {
        rows.into_iter()
            .map(|r| {
                let few = r.families.is_some_and(|n| n > 0 && n < u64::from(min_cell));
                if r.suppressed || few {
                    OverlapRow {
                        families: None,
                        share: None,
                        suppressed: true,
                        ..r
                    }
                } else {
                    r
                }
            })
            .collect()
    }
}

/// Arm-level estimates over the whole cohort (survival, shares, avoided placements)
/// and their E-values: nothing rests on a small cell.
macro_rules! whole_arm {
    ($($ty:ty),*) => {$(
        impl Checked for $ty {
            fn checked(rows: Vec<Self>, _min_cell: u32) -> Vec<Self> {
                rows
            }
        }
    )*};
}

whole_arm!(AdjustedEstimateRow);

/// A row of an outcome table reported per arm.
pub trait PerArm {
    /// `programme` or `comparison`; empty in a run before the `arm` column, whose tables
    /// held the programme arm only.
    fn arm(&self) -> &str;
    fn group_mut(&mut self) -> &mut String;
}

macro_rules! per_arm {
    ($($ty:ty),*) => {$(
        impl PerArm for $ty {
            fn arm(&self) -> &str {
                &self.arm
            }
            fn group_mut(&mut self) -> &mut String {
                &mut self.group
            }
        }
    )*};
}

per_arm!(
    FollowupRow,
    SurvivalYearRow,
    ScoreLevelRow,
    DuringProgrammeRow,
    CurveRow,
    ChangeRow
);

/// The rows as the report reads them: programme rows as they are; the comparison arm's
/// `all` row as the group `arm=comparison` (unless the table has that group already);
/// other comparison rows only when they belong to an `arm=` group. With `both`, the
/// programme arm's `all` rows are also given as `arm=programme` (unless the table has
/// that group), so a chart comparing the arms finds both.
pub fn by_arm<R: PerArm + Clone>(rows: Vec<R>, both: bool) -> Vec<R> {
    let mut rows = rows;
    let has = |rows: &mut [R], g: &str| rows.iter_mut().any(|r| r.group_mut() == g);
    let has_programme = has(&mut rows, "arm=programme");
    let has_comparison = has(&mut rows, "arm=comparison");
    let mut out = Vec::with_capacity(rows.len());
    for mut r in rows {
        let programme = matches!(r.arm(), "" | "programme");
        let all = r.group_mut() == "all";
        if programme {
            if both && all && !has_programme {
                let mut copy = r.clone();
                *copy.group_mut() = "arm=programme".to_string();
                out.push(r);
                out.push(copy);
            } else {
                out.push(r);
            }
        } else if all {
            if !has_comparison {
                *r.group_mut() = format!("arm={}", r.arm());
                out.push(r);
            }
        } else if r.group_mut().starts_with("arm=") {
            out.push(r);
        }
    }
    out
}

/// The log-rank p-value of a test row, `None` when it could not be computed (NaN).
pub fn p_value(t: &SurvivalTestRow) -> Option<f64> {
    Some(t.p_value).filter(|p| p.is_finite())
}

/// One step of `tables/survival_curve` as the chart draws it (rows below the disclosure
/// threshold are not in the table at all).
#[derive(Debug, Clone, PartialEq)]
pub struct CurveRow {
    pub group: String,
    pub arm: String,
    pub level: String,
    pub day: i64,
    pub at_risk: Option<f64>,
    pub survival: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// At risk below `min_cell` (defensive: the table should not hold such rows).
    pub suppressed: bool,
}

/// The curve from `tables/survival_curve`: a step with fewer than `min_cell` at risk is
/// marked suppressed and blanked (the table has no `suppressed` column).
pub fn curve(rows: Vec<SurvivalCurveRow>, min_cell: u32) -> Vec<CurveRow> {
    let finite = |v: f64| Some(v).filter(|v| v.is_finite());
    rows.into_iter()
        .map(|r| {
            let s = r.at_risk < u64::from(min_cell);
            let shown = |v: Option<f64>| if s { None } else { v };
            CurveRow {
                group: r.group,
                arm: r.arm,
                level: r.level,
                day: i64::from(r.day),
                at_risk: shown(Some(r.at_risk as f64)),
                survival: shown(finite(r.survival)),
                ci_low: shown(finite(r.ci_low)),
                ci_high: shown(finite(r.ci_high)),
                suppressed: s,
            }
        })
        .collect()
}

/// One row of `tables/score_change` with improved / same / worse as shares of `n`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub group: String,
    pub arm: String,
    pub domain: String,
    pub year: u32,
    pub n: Option<u64>,
    pub mean_change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Share improved.
    pub improved: Option<f64>,
    pub same: Option<f64>,
    pub worse: Option<f64>,
    pub suppressed: bool,
}

/// The score changes, blanked when suppressed; counts of improved / same / worse (three
/// values summing to more than 1.5) become shares of `n`.
pub fn change(rows: Vec<ScoreChangeRow>) -> Vec<ChangeRow> {
    withheld(rows, |r| r.suppressed)
        .into_iter()
        .map(|r| {
            let v = |x: Option<u64>| x.map(|x| x as f64);
            let (imp, same, worse) = (v(r.improved), v(r.same), v(r.worse));
            let sum = imp.unwrap_or(0.0) + same.unwrap_or(0.0) + worse.unwrap_or(0.0);
            let as_share = |x: Option<f64>| match r.n {
                Some(n) if sum > 1.5 && n > 0 => x.map(|x| x / n as f64),
                _ if sum > 1.5 => None,
                _ => x,
            };
            ChangeRow {
                improved: as_share(imp),
                same: as_share(same),
                worse: as_share(worse),
                group: r.group,
                arm: r.arm,
                domain: r.domain,
                year: r.year,
                n: r.n,
                mean_change: r.mean_change,
                ci_low: r.ci_low,
                ci_high: r.ci_high,
                suppressed: r.suppressed,
            }
        })
        .collect()
}

/// One row of `tables/cost_of_care` as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CostRow {
    pub country: String,
    pub families: Option<u64>,
    pub cost_per_family_year: Option<f64>,
    pub cost_per_child_year: Option<f64>,
    pub cost_per_family: Option<f64>,
    /// Public reference costs: published figures, shown even for a suppressed country.
    pub residential_per_child_year: Option<f64>,
    pub foster_per_child_year: Option<f64>,
    pub residential_to_support: Option<f64>,
    pub suppressed: bool,
    /// Horizon of the avoided placements, years after exit (absent in older runs).
    pub horizon_years: Option<f64>,
    pub children_programme: Option<u64>,
    pub placements_avoided: Option<f64>,
    pub cost_per_placement: Option<f64>,
    /// Gross public cost of the placements avoided by the horizon.
    pub public_cost_avoided: Option<f64>,
    pub public_cost_avoided_per_family: Option<f64>,
    /// Public cost avoided per unit of programme cost.
    pub cost_avoided_per_cost: Option<f64>,
    /// Why the avoided cells are blank in a row that is not suppressed.
    pub avoided_note: String,
}

/// The cost-of-care rows: a suppressed country keeps only its public reference costs.
pub fn cost(rows: Vec<CostOfCareRow>) -> Vec<CostRow> {
    rows.into_iter()
        .map(|r| {
            let s = r.suppressed;
            let shown = |v: Option<f64>| if s { None } else { v };
            CostRow {
                families: if s { None } else { r.families },
                cost_per_family_year: shown(r.cost_per_family_year),
                cost_per_child_year: shown(r.cost_per_child_year),
                cost_per_family: shown(r.cost_per_family),
                residential_per_child_year: r.residential_per_child_year,
                foster_per_child_year: r.foster_per_child_year,
                residential_to_support: shown(r.residential_to_support),
                suppressed: s,
                horizon_years: Some(r.horizon_years).filter(|h| h.is_finite()),
                children_programme: if s { None } else { r.children_programme },
                placements_avoided: shown(r.placements_avoided),
                cost_per_placement: shown(r.cost_per_placement),
                public_cost_avoided: shown(r.public_cost_avoided),
                public_cost_avoided_per_family: shown(r.public_cost_avoided_per_family),
                cost_avoided_per_cost: shown(r.cost_avoided_per_cost),
                avoided_note: if s { String::new() } else { r.avoided_note },
                country: r.country,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table<R: DeserializeOwned>(text: &str) -> Vec<R> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, text).unwrap();
        read(&p).unwrap()
    }

    #[test]
    fn suppressed_rows_are_blanked() {
        let rows: Vec<ScoreLevelRow> = table(
            "group,domain,n,mean_score,stage,suppressed\nall,care,8,3.1,intake,true\nall,care,40,2.5,exit,false\n",
        );
        let rows = ScoreLevelRow::checked(rows, 10);
        assert_eq!(rows[0].mean_score, None);
        assert_eq!(rows[0].n, None);
        assert_eq!(rows[1].mean_score, Some(2.5));
    }

    #[test]
    fn curve_rows_below_min_cell_are_suppressed() {
        let rows = table("group,level,day,at_risk,events,censored,survival,ci_low,ci_high\nall,child,10,50,1,0,0.98,0.9,0.99\nall,child,20,9,1,0,0.87,0.5,0.97\n");
        let rows = curve(rows, 10);
        assert!(!rows[0].suppressed);
        assert!(rows[1].suppressed);
        assert_eq!(rows[1].survival, None);
    }

    #[test]
    fn income_effect_on_too_few_families_is_not_shown() {
        let rows: Vec<IncomeEffectRow> = table("group,year,n_programme,n_comparison,mean_delta_programme,mean_delta_comparison,effect,ci_low,ci_high,method,suppressed\nall,1,120,7,500,100,400,100,700,did,false\nall,2,120,80,600,150,450,200,700,did,false\n");
        let rows = IncomeEffectRow::checked(rows, 10);
        assert!(rows[0].suppressed && rows[0].effect.is_none());
        assert_eq!(rows[1].effect, Some(450.0));
    }

    #[test]
    fn withheld_balance_levels_and_overlap_bins_show_nothing() {
        let rows: Vec<BalanceRow> = table("covariate,level,kind,mean_programme,mean_comparison,mean_programme_weighted,mean_comparison_weighted,smd_before,smd_after,variance_ratio_before,variance_ratio_after,suppressed\nminority,,share,0.04,0.03,0.04,0.035,0.05,0.02,,,true\nrisk_level,high,share,0.4,0.2,0.4,0.38,0.44,0.04,,,false\n");
        let rows = BalanceRow::checked(rows, 10);
        assert_eq!((rows[0].mean_programme, rows[0].smd_after), (None, None));
        assert_eq!(rows[1].smd_before, Some(0.44));
        let rows: Vec<OverlapRow> = table("arm,bin_low,bin_high,families,share,suppressed\nprogramme,0.5,0.55,7,0.01,false\nprogramme,0.55,0.6,,,true\nprogramme,0.6,0.65,40,0.06,false\n");
        let rows = OverlapRow::checked(rows, 10);
        assert!(rows[0].suppressed && rows[0].share.is_none() && rows[0].families.is_none());
        assert!(rows[1].suppressed);
        assert_eq!((rows[2].families, rows[2].suppressed), (Some(40), false));
    }

    #[test]
    fn improved_counts_become_shares() {
        let rows = table("group,domain,year,n,mean_change,ci_low,ci_high,improved,same,worse,suppressed\nall,care,1,40,0.5,0.3,0.7,20,10,10,false\nall,food_security,1,4,0.5,0.3,0.7,,,,true\n");
        let rows = change(rows);
        assert_eq!(rows[0].improved, Some(0.5));
        assert_eq!(rows[0].worse, Some(0.25));
        assert_eq!(rows[1].improved, None);
        assert_eq!(rows[1].n, None);
    }

    #[test]
    fn suppressed_country_keeps_only_reference_costs() {
        let rows = table("country,families,family_years,programme_cost,cost_per_family_year,residential_per_child_year,foster_per_child_year,currency,price_year,suppressed\nAL,4,6,12000,2000,30000,12000,EUR,2024,true\n");
        let rows = cost(rows);
        assert_eq!(rows[0].families, None);
        assert_eq!(rows[0].cost_per_family_year, None);
        assert_eq!(rows[0].residential_per_child_year, Some(30000.0));
        // A run before the avoided-placement columns existed still reads.
        assert_eq!(rows[0].horizon_years, None);
        assert_eq!(rows[0].placements_avoided, None);
    }
}
