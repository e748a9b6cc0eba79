//! The rows of the outcome tables, with the column names of `docs/outputs.md`.
//!
//! Numbers that are suppressed (docs/method.md section 6) or not estimable are `None`: an
//! empty CSV field, a Parquet null. `group` is `all` or `COL=value`.
//!
//! Each struct IS its published table: its fields are the columns, in order, written and
//! read back through serde (`output::write_rows`, `output::read_rows`; the table names
//! are given where the pipeline writes them).

use serde::{Deserialize, Serialize};

/// `tables/followup_domains`: share of families doing well per domain and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowupRow {
    pub group: String,
    /// `programme` or `comparison`: every group is reported per arm, and `all` is the
    /// whole cohort of that arm. (Read as empty from a run before the column existed,
    /// which held the programme arm only.)
    #[serde(default)]
    pub arm: String,
    /// A domain name, or `overall`.
    pub domain: String,
    /// Follow-up year 1..5.
    pub year: u32,
    pub due: Option<u64>,
    /// Families whose window had ended by the cut-off but who had died or moved abroad
    /// before it opened: censored, not counted as due.
    pub deceased_or_abroad: Option<u64>,
    pub observed: Option<u64>,
    pub response_rate: Option<f64>,
    pub doing_well: Option<u64>,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub share_weighted: Option<f64>,
    pub ci_low_weighted: Option<f64>,
    pub ci_high_weighted: Option<f64>,
    pub suppressed: bool,
}

/// `tables/score_change`: mean paired change from intake (year 0 = at exit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreChangeRow {
    pub group: String,
    /// `programme` or `comparison`: every group is reported per arm, and `all` is the
    /// whole cohort of that arm. (Read as empty from a run before the column existed,
    /// which held the programme arm only.)
    #[serde(default)]
    pub arm: String,
    pub domain: String,
    pub year: u32,
    pub n: Option<u64>,
    pub mean_change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub improved: Option<u64>,
    pub same: Option<u64>,
    pub worse: Option<u64>,
    pub suppressed: bool,
}

/// `tables/score_levels`: mean score per domain at intake, exit and each follow-up year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreLevelRow {
    pub group: String,
    /// `programme` or `comparison`: every group is reported per arm, and `all` is the
    /// whole cohort of that arm. (Read as empty from a run before the column existed,
    /// which held the programme arm only.)
    #[serde(default)]
    pub arm: String,
    pub domain: String,
    /// `intake`, `exit` or `year_1` .. `year_5`.
    pub stage: String,
    pub n: Option<u64>,
    pub mean_score: Option<f64>,
    pub suppressed: bool,
}

/// `tables/survival_curve`: one Kaplan-Meier step (rows with too few at risk are dropped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalCurveRow {
    pub group: String,
    /// `programme` or `comparison`: every group is reported per arm, and `all` is the
    /// whole cohort of that arm. (Read as empty from a run before the column existed,
    /// which held the programme arm only.)
    #[serde(default)]
    pub arm: String,
    /// `family` or `child`.
    pub level: String,
    pub day: i32,
    pub at_risk: u64,
    pub events: u64,
    pub censored: u64,
    pub survival: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// `tables/survival_years`: survival at whole years 1..5.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalYearRow {
    pub group: String,
    /// `programme` or `comparison`: every group is reported per arm, and `all` is the
    /// whole cohort of that arm. (Read as empty from a run before the column existed,
    /// which held the programme arm only.)
    #[serde(default)]
    pub arm: String,
    pub level: String,
    pub year: u32,
    pub survival: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub at_risk: Option<u64>,
    pub suppressed: bool,
}

/// `tables/survival_tests`: log-rank test of the arms, over the whole cohort (`by` =
/// `arm`) or stratified by the groups of one breakdown (`by` = its column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalTestRow {
    /// `arm` for the test of the whole cohort, else the breakdown column the stratified
    /// test is stratified by, e.g. `country`.
    pub by: String,
    pub level: String,
    /// `primary` (family level: families are independent) or `descriptive` (child
    /// level: siblings are not, so its p-value is too small).
    pub role: String,
    pub chi_square: f64,
    pub df: u64,
    pub p_value: f64,
}

/// `tables/income_effect`: income change since intake, programme against comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomeEffectRow {
    pub group: String,
    /// 0 = at exit, 1..5 = follow-up years.
    pub year: u32,
    pub n_programme: Option<u64>,
    pub n_comparison: Option<u64>,
    pub mean_delta_programme: Option<f64>,
    pub mean_delta_comparison: Option<f64>,
    pub effect: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The same, each arm's deltas weighted for income non-response (its own model of
    /// "income observed, given due", as for assessments); exit deltas are unweighted.
    pub mean_delta_programme_weighted: Option<f64>,
    pub mean_delta_comparison_weighted: Option<f64>,
    pub effect_weighted: Option<f64>,
    pub ci_low_weighted: Option<f64>,
    pub ci_high_weighted: Option<f64>,
    /// `did` (difference in differences) or `programme_only` (no comparison arm: the
    /// effect is the programme's mean change, before the model's deadweight).
    pub method: String,
    pub suppressed: bool,
}

/// `tables/income_trajectory`: mean annual income per arm at intake, exit and years 1..5.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomeTrajectoryRow {
    pub group: String,
    pub arm: String,
    /// -1 = intake, 0 = exit, 1..5 = follow-up years.
    pub year: i32,
    pub n: Option<u64>,
    pub mean_income: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub suppressed: bool,
}

/// `tables/during_programme`: placements during the programme and self-reliance at exit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuringProgrammeRow {
    pub group: String,
    /// `programme` or `comparison`: every group is reported per arm, and `all` is the
    /// whole cohort of that arm. (Read as empty from a run before the column existed,
    /// which held the programme arm only.)
    #[serde(default)]
    pub arm: String,
    /// `children_placed_during` or `self_reliant_at_exit`.
    pub measure: String,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub suppressed: bool,
}

/// `tables/reintegration`: children in alternative care at intake, their return home
/// during the programme and whether they stay home (docs/method.md section 3.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReintegrationRow {
    pub group: String,
    /// `programme` or `comparison`: every group is reported per arm, and `all` is the
    /// whole cohort of that arm (a log-rank row compares the programme arm with the
    /// comparison arm and carries `programme`).
    pub arm: String,
    /// `returned_home` (share of the children in care at intake who returned home during
    /// the programme), `days_to_return_q1`, `days_to_return_median`, `days_to_return_q3`
    /// (Kaplan-Meier quartiles of the days from intake to the return), `still_home`
    /// (Kaplan-Meier share still home `year` years after the return, without a new
    /// placement) or `log_rank_vs_comparison`.
    pub measure: String,
    /// `child` or `family` (`still_home` and the log-rank test come at both levels).
    pub level: String,
    /// Years after the return home, 1..5 (`still_home` only).
    pub year: Option<u32>,
    /// Children in care at intake (`returned_home`, `days_to_return_*`), children or
    /// families returned home (`still_home`).
    pub n: Option<u64>,
    /// Children returned home (`returned_home`, `days_to_return_*`); new placements up to
    /// the year (`still_home`).
    pub events: Option<u64>,
    /// Children or families still followed at the year (`still_home`).
    pub at_risk: Option<u64>,
    /// The share, the number of days, or the Kaplan-Meier share still home; empty when a
    /// quartile is not reached.
    pub estimate: Option<f64>,
    /// 95 % interval: Wilson (`returned_home`), log(-log) Greenwood (`still_home`).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Log-rank statistic and p-value (`log_rank_vs_comparison`, 1 degree of freedom).
    pub chi_square: Option<f64>,
    pub p_value: Option<f64>,
    pub suppressed: bool,
}

/// A share at a follow-up year, for the headline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeadlineShare {
    pub year: u32,
    pub share: f64,
    /// True when attrition-corrected (IPW).
    pub weighted: bool,
}

/// Survival at a year, for the headline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeadlineSurvival {
    pub year: u32,
    pub survival: f64,
}

/// A few key numbers for the report and the fundraiser card (all published figures:
/// suppressed values are `None`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Headline {
    /// Cohort families (with an exit) per arm.
    pub families_programme: u64,
    pub families_comparison: u64,
    /// Children of programme cohort families (with a usable care history).
    pub children_programme: u64,
    /// Share doing well overall per follow-up year (weighted where the model was fitted),
    /// programme arm.
    pub doing_well_overall: Vec<HeadlineShare>,
    /// The same for the comparison arm (empty without comparison follow-ups).
    pub doing_well_overall_comparison: Vec<HeadlineShare>,
    /// Child-level survival in family care, programme arm, at the last published year.
    pub children_in_family_care_programme: Option<HeadlineSurvival>,
    /// The same for the comparison arm, at the same year.
    pub children_in_family_care_comparison: Option<HeadlineSurvival>,
    /// Log-rank p-value between arms, family level (the primary test: children of one
    /// family are not independent).
    pub log_rank_p_arms: Option<f64>,
    /// Income effect (annual, real) at the last published year, weighted for income
    /// non-response when the model was fitted.
    pub income_effect: Option<f64>,
    /// Whether `income_effect` is the weighted one.
    pub income_effect_weighted: bool,
    pub income_effect_year: Option<u32>,
    /// Programme arm: share of the children in alternative care at intake who returned
    /// home during the programme (`tables/reintegration`).
    pub returned_home_programme: Option<f64>,
    /// Programme arm: of those, the child-level share still home, not referred back into
    /// care, 1 and 2 years after the return (published years only).
    pub still_home_programme: Vec<HeadlineSurvival>,
}
