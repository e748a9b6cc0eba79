//! Inputs of the outcome charts: the share doing well by domain and year
//! (`followup_domains`) and the mean score at intake, exit and follow-up
//! (`score_change`).
//!
//! Both show the whole cohort (group `all`); a share or mean that disclosure control
//! withheld is passed on as suppressed so the chart marks the gap instead of drawing it.

use crate::charts::{
    DomainScores, FollowupChart, FollowupSeries, ScoreChangeChart, ScoreValue, SharePoint,
};

use super::super::folder::RunFolder;
use super::super::rows::FollowupRow;
use super::super::select::{score_year, ALL};
use super::{counted_source, View};

/// Domains in first-seen order.
fn domains_in_order<'a>(domains: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for d in domains {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

pub(super) fn followup(run: &RunFolder) -> View<FollowupChart> {
    let rows: Vec<&FollowupRow> = run.followup.iter().filter(|r| r.group == ALL).collect();
    if rows.is_empty() {
        return Err("tables/followup_domains has no rows for all families".into());
    }
    let mut series = Vec::new();
    for d in domains_in_order(rows.iter().map(|r| r.domain.as_str())) {
        let mut mine: Vec<&&FollowupRow> = rows.iter().filter(|r| r.domain == d).collect();
        mine.sort_by_key(|r| r.year);
        for weighted in [true, false] {
            let points: Vec<SharePoint> = mine
                .iter()
                .filter(|r| (1..=5).contains(&r.year))
                .map(|r| {
                    let (share, low, high) = if weighted {
                        (r.share_weighted, r.ci_low_weighted, r.ci_high_weighted)
                    } else {
                        (r.share, r.ci_low, r.ci_high)
                    };
                    SharePoint {
                        year: r.year,
                        share,
                        low,
                        high,
                        suppressed: r.suppressed,
                    }
                })
                .collect();
            if weighted && points.iter().all(|p| p.share.is_none()) {
                continue;
            }
            series.push(FollowupSeries {
                domain: d.to_string(),
                weighted,
                points,
            });
        }
    }
    let due = rows
        .iter()
        .filter(|r| r.domain == "overall")
        .filter_map(|r| r.due)
        .max()
        .unwrap_or(0) as f64;
    Ok(FollowupChart {
        title: None,
        subtitle: Some("Programme families due for follow-up; 95 % intervals.".into()),
        source: counted_source(run, due),
        min_cell: run.min_cell,
        series,
    })
}

pub(super) fn score_change(run: &RunFolder) -> View<ScoreChangeChart> {
    let Some(levels) = &run.score_levels else {
        return Err(
            "tables/score_levels is missing, so mean scores at intake, exit and follow-up cannot be drawn; the change from intake is in the table below"
                .into(),
        );
    };
    let year = score_year(levels).ok_or_else(|| {
        format!(
            "no follow-up mean score rests on at least {} families",
            run.min_cell
        )
    })?;
    let domains = domains_in_order(
        levels
            .iter()
            .filter(|r| r.group == ALL && r.domain != "overall")
            .map(|r| r.domain.as_str()),
    );
    let value = |d: &str, stage: &str| {
        levels
            .iter()
            .find(|r| r.group == ALL && r.domain == d && r.stage == stage)
            .map_or(
                ScoreValue {
                    mean: None,
                    suppressed: false,
                },
                |r| ScoreValue {
                    mean: r.mean_score,
                    suppressed: r.suppressed,
                },
            )
    };
    let follow = format!("year_{year}");
    // The change written beside each row: the paired change of the same families, as in
    // the score_change table (not the difference of the two means).
    let paired = |d: &str| {
        run.score_change
            .iter()
            .find(|r| r.group == ALL && r.domain == d && r.year == year)
            .map_or(
                ScoreValue {
                    mean: None,
                    suppressed: false,
                },
                |r| ScoreValue {
                    mean: r.mean_change,
                    suppressed: r.suppressed,
                },
            )
    };
    let n = levels
        .iter()
        .filter(|r| r.group == ALL && r.stage == follow)
        .filter_map(|r| r.n)
        .max()
        .unwrap_or(0);
    Ok(ScoreChangeChart {
        title: None,
        subtitle: None,
        source: counted_source(run, n as f64),
        min_cell: run.min_cell,
        followup_label: format!("Follow-up (year {year})"),
        domains: domains
            .into_iter()
            .map(|d| DomainScores {
                domain: d.to_string(),
                intake: value(d, "intake"),
                exit: value(d, "exit"),
                followup: value(d, &follow),
                change: paired(d),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{followup_row, run, score_change_row, score_level_row};

    #[test]
    fn followup_draws_weighted_and_unweighted_series_per_domain() {
        let mut r = run();
        assert!(followup(&r).is_err());
        let mut unweighted = followup_row(ALL, "care", 1, None);
        unweighted.share = Some(0.5);
        r.followup = vec![followup_row(ALL, "overall", 1, Some(0.6)), unweighted];
        let chart = followup(&r).unwrap();
        let series: Vec<(&str, bool)> = chart
            .series
            .iter()
            .map(|s| (s.domain.as_str(), s.weighted))
            .collect();
        assert_eq!(
            series,
            [("overall", true), ("overall", false), ("care", false)]
        );
        assert_eq!(chart.source.families, 200);
    }

    #[test]
    fn score_change_needs_the_levels_table_and_a_shown_year() {
        let mut r = run();
        assert!(score_change(&r)
            .unwrap_err()
            .contains("score_levels is missing"));
        r.score_levels = Some(vec![score_level_row("care", "year_2", None)]);
        assert!(score_change(&r)
            .unwrap_err()
            .contains("at least 10 families"));
        r.score_levels = Some(vec![
            score_level_row("care", "intake", Some(2.0)),
            score_level_row("care", "year_2", Some(3.0)),
        ]);
        let chart = score_change(&r).unwrap();
        assert_eq!(chart.followup_label, "Follow-up (year 2)");
        assert_eq!(chart.domains[0].intake.mean, Some(2.0));
        assert_eq!(chart.domains[0].exit.mean, None);
        // Without the table's paired change no change is written.
        assert_eq!(chart.domains[0].change.mean, None);
        // The change written is the table's paired change of year 2 (0.5), not the
        // difference of the means drawn (3.0 - 2.0 = 1.0).
        r.score_change = vec![score_change_row("care", 1), score_change_row("care", 2)];
        r.score_change[0].mean_change = Some(0.9);
        let chart = score_change(&r).unwrap();
        assert_eq!(chart.domains[0].change.mean, Some(0.5));
    }
}
