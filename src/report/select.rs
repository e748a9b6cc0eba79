//! Shared selectors: which rows and values of the tables the page and the charts quote.
//!
//! A figure that appears in more than one place (the follow-up year of the fundraiser
//! sentence, the survival level and groups, whether summaries quote the NPV or the
//! ratio) is chosen here once, so the text of the page and the charts always quote the
//! same cells. Nothing here formats or draws.

use std::collections::BTreeMap;

use crate::charts::Arm;

use super::folder::RunFolder;
use super::rows::{self, CostRow, FollowupRow, ScoreLevelRow};

/// The group holding the whole cohort.
pub const ALL: &str = "all";

/// Number of families in the dataset (kept rows of the families table).
pub fn dataset_families(run: &RunFolder) -> u64 {
    run.manifest
        .tables
        .get("families")
        .map(|t| t.kept)
        .or_else(|| run.quality.tables.get("families").map(|t| t.rows_kept))
        .unwrap_or(0)
}

/// The shown share of a follow-up row: weighted when available, else unweighted.
pub fn best_share(r: &FollowupRow) -> Option<(f64, Option<f64>, Option<f64>, bool)> {
    match r.share_weighted {
        Some(s) => Some((s, r.ci_low_weighted, r.ci_high_weighted, true)),
        None => r.share.map(|s| (s, r.ci_low, r.ci_high, false)),
    }
}

/// Overall follow-up rows of the whole cohort, by year.
pub fn overall_rows(run: &RunFolder) -> Vec<&FollowupRow> {
    let mut rows: Vec<&FollowupRow> = run
        .followup
        .iter()
        .filter(|r| r.group == ALL && r.domain == "overall")
        .collect();
    rows.sort_by_key(|r| r.year);
    rows
}

/// The follow-up year the fundraiser sentence quotes: year 2 if shown, else the latest
/// year with a shown overall share.
pub fn quoted_year(run: &RunFolder) -> Option<&FollowupRow> {
    let rows = overall_rows(run);
    rows.iter()
        .find(|r| r.year == 2 && best_share(r).is_some())
        .or_else(|| rows.iter().rev().find(|r| best_share(r).is_some()))
        .copied()
}

/// The follow-up year the score chart shows: the year with the most shown means (the
/// later one on a tie).
pub fn score_year(levels: &[ScoreLevelRow]) -> Option<u32> {
    (1..=5u32)
        .map(|y| {
            let stage = format!("year_{y}");
            let n = levels
                .iter()
                .filter(|r| r.group == ALL && r.stage == stage && r.mean_score.is_some())
                .count();
            (n, y)
        })
        .filter(|(n, _)| *n > 0)
        .max()
        .map(|(_, y)| y)
}

/// The survival level the report shows: child level when the tables have it.
pub fn survival_level(run: &RunFolder) -> &'static str {
    if run.curve.iter().any(|r| r.level == "child") {
        "child"
    } else {
        "family"
    }
}

/// The groups compared in the survival section: the arms when present, else `all`.
pub fn survival_groups(run: &RunFolder) -> Vec<(String, Arm)> {
    let mut groups: Vec<(String, Arm)> = [Arm::Programme, Arm::Comparison]
        .into_iter()
        .map(|a| (format!("arm={}", arm_key(a)), a))
        .filter(|(g, _)| run.curve.iter().any(|r| &r.group == g))
        .collect();
    if groups.is_empty() {
        groups.push((ALL.to_string(), Arm::Programme));
    }
    groups
}

/// `programme` or `comparison`.
pub fn arm_key(arm: Arm) -> &'static str {
    match arm {
        Arm::Programme => "programme",
        Arm::Comparison => "comparison",
    }
}

/// The p-value of the primary log-rank test between the arms, if tested: the family
/// level, whatever level is drawn (children of one family are not independent, so the
/// child-level test is descriptive; docs/method.md section 3.4).
pub fn log_rank_p(run: &RunFolder) -> Option<f64> {
    run.survival_tests
        .iter()
        .find(|t| t.by == "arm" && t.level == "family")
        .and_then(rows::p_value)
}

/// Whether summaries use NPV instead of the ratio (docs/method.md section 5).
pub fn use_npv(run: &RunFolder) -> bool {
    let mc = &run.summary.monte_carlo;
    mc.ratio_unstable
        || !run.summary.ratio.is_finite()
        || run.summary.inputs.is_nan()
        || run.summary.inputs <= 0.0
}

/// The finite Monte Carlo NPVs, when the draws are available.
pub fn finite_npv_draws(run: &RunFolder) -> Option<Vec<f64>> {
    run.draws
        .as_ref()
        .map(|d| d.npv.iter().copied().filter(|v| v.is_finite()).collect())
}

/// P(NPV > 0): the share of finite Monte Carlo NPVs above zero when the draws are
/// available, else the summary's P(ratio > 1) (the same event whenever inputs are
/// positive).
pub fn prob_npv_positive(run: &RunFolder) -> f64 {
    match finite_npv_draws(run) {
        Some(finite) if !finite.is_empty() => {
            finite.iter().filter(|v| **v > 0.0).count() as f64 / finite.len() as f64
        }
        _ => run.summary.monte_carlo.prob_ratio_gt_1,
    }
}

/// The horizon of the avoided placements in `tables/cost_of_care` (5 years in a run
/// that predates the column).
pub fn cost_horizon(rows: &[CostRow]) -> f64 {
    rows.iter()
        .find_map(|r| r.horizon_years)
        .filter(|h| h.is_finite() && *h > 0.0)
        .unwrap_or(5.0)
}

/// Countries shown without a public cost avoided, grouped by the reason `avoided_note`
/// gives (the chart's subtitle and the report's policy section say the same).
pub fn unvalued_by_reason<'a>(shown: &[&'a CostRow]) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut why: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in shown {
        if r.public_cost_avoided.is_none() && !r.avoided_note.is_empty() {
            why.entry(r.avoided_note.as_str())
                .or_default()
                .push(r.country.as_str());
        }
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{cost_row, curve_row, followup_row, run, score_level_row};
    use crate::report::folder::DrawValues;

    #[test]
    fn quoted_year_prefers_year_two_else_the_latest_shown() {
        let mut r = run();
        r.followup = vec![
            followup_row(ALL, "overall", 3, Some(0.5)),
            followup_row(ALL, "overall", 1, Some(0.6)),
            followup_row(ALL, "care", 2, Some(0.7)),
            followup_row("country=AL", "overall", 2, Some(0.8)),
        ];
        assert_eq!(
            overall_rows(&r).iter().map(|r| r.year).collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(quoted_year(&r).map(|r| r.year), Some(3));
        r.followup.push(followup_row(ALL, "overall", 2, Some(0.4)));
        assert_eq!(quoted_year(&r).map(|r| r.year), Some(2));
    }

    #[test]
    fn best_share_falls_back_to_unweighted() {
        let mut row = followup_row(ALL, "overall", 1, Some(0.5));
        assert_eq!(best_share(&row).map(|b| (b.0, b.3)), Some((0.5, true)));
        row.share_weighted = None;
        row.share = Some(0.4);
        assert_eq!(best_share(&row).map(|b| (b.0, b.3)), Some((0.4, false)));
        row.share = None;
        assert!(best_share(&row).is_none());
    }

    #[test]
    fn score_year_has_the_most_means_and_the_later_on_a_tie() {
        let levels = vec![
            score_level_row("care", "year_1", Some(3.0)),
            score_level_row("care", "year_3", Some(3.1)),
            score_level_row("food", "year_3", None),
        ];
        assert_eq!(score_year(&levels), Some(3));
        assert_eq!(score_year(&levels[2..]), None);
    }

    #[test]
    fn survival_prefers_child_level_and_the_arms() {
        let mut r = run();
        r.curve = vec![curve_row(ALL, "family", 0, Some(1.0))];
        assert_eq!(survival_level(&r), "family");
        assert_eq!(survival_groups(&r), vec![(ALL.to_string(), Arm::Programme)]);
        r.curve
            .push(curve_row("arm=comparison", "child", 0, Some(1.0)));
        assert_eq!(survival_level(&r), "child");
        assert_eq!(
            survival_groups(&r),
            vec![("arm=comparison".to_string(), Arm::Comparison)]
        );
    }

    #[test]
    fn npv_is_used_when_the_ratio_cannot_be() {
        let mut r = run();
        assert!(!use_npv(&r));
        r.summary.inputs = 0.0;
        assert!(use_npv(&r));
        r.summary.inputs = 10.0;
        r.summary.monte_carlo.ratio_unstable = true;
        assert!(use_npv(&r));
    }

    #[test]
    fn prob_npv_positive_counts_finite_draws_or_falls_back() {
        let mut r = run();
        r.summary.monte_carlo.prob_ratio_gt_1 = 0.9;
        assert_eq!(prob_npv_positive(&r), 0.9);
        r.draws = Some(DrawValues {
            ratio: vec![],
            npv: vec![1.0, -1.0, f64::NAN, 2.0, 3.0],
        });
        assert_eq!(prob_npv_positive(&r), 0.75);
        r.draws = Some(DrawValues {
            ratio: vec![],
            npv: vec![f64::NAN],
        });
        assert_eq!(prob_npv_positive(&r), 0.9);
    }

    #[test]
    fn cost_horizon_and_unvalued_countries() {
        let mut a = cost_row("AL");
        let mut b = cost_row("BG");
        assert_eq!(cost_horizon(&[a.clone()]), 5.0);
        a.horizon_years = Some(3.0);
        a.public_cost_avoided = None;
        a.avoided_note = "no placements observed".into();
        b.public_cost_avoided = None;
        b.avoided_note = "no placements observed".into();
        assert_eq!(cost_horizon(&[a.clone(), b.clone()]), 3.0);
        let why = unvalued_by_reason(&[&a, &b]);
        assert_eq!(why["no placements observed"], ["AL", "BG"]);
    }
}
