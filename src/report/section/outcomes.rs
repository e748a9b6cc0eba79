//! The key-outcomes section: families doing well overall by year after exit (with the
//! fundraiser sentence's year and interval), the same by breakdown group, the change in
//! mean score from intake, and placements and self-reliance during the programme.
//!
//! A withheld row prints the suppression mark in every figure; the optional
//! `tables/during_programme` leaves a note when it is missing.

use crate::charts::labels::{humanise, percent1};

use super::super::folder::RunFolder;
use super::super::html::{note, para, table, Cell};
use super::super::select::{best_share, overall_rows, quoted_year, score_year, ALL};
use super::super::wording::domain;
use super::by_group::{breakdown_groups, group_year_table};
use super::cells::{count, pct_ci, signed, withheld_row};
use super::{chart, section_start, Rendered};

/// The sentence of the share doing well overall in the quoted follow-up year.
fn doing_well_sentence(out: &mut String, run: &RunFolder) {
    let Some(r) = quoted_year(run) else { return };
    let Some((share, lo, hi, weighted)) = best_share(r) else {
        return;
    };
    let ci = pct_ci(lo, hi)
        .map(|c| format!(" (95 % interval {c})"))
        .unwrap_or_default();
    para(
        out,
        &format!(
            "{} of programme families were doing well overall in follow-up year {}{ci}{}.",
            percent1(share),
            r.year,
            if weighted {
                ", weighted for non-response"
            } else {
                ""
            }
        ),
    );
}

fn overall_table(out: &mut String, run: &RunFolder) {
    let rows: Vec<Vec<Cell>> = overall_rows(run)
        .iter()
        .map(|r| {
            withheld_row(
                format!("Year {}", r.year),
                r.suppressed,
                [
                    count(r.due),
                    count(r.observed),
                    r.response_rate.map(percent1),
                    r.share_weighted.map(percent1),
                    pct_ci(r.ci_low_weighted, r.ci_high_weighted),
                    r.share.map(percent1),
                    pct_ci(r.ci_low, r.ci_high),
                ],
            )
        })
        .collect();
    if rows.is_empty() {
        note(
            out,
            "tables/followup_domains has no overall rows for all families.",
        );
        return;
    }
    table(
        out,
        "Families doing well overall, by year after exit",
        &[
            "Follow-up",
            "Due",
            "Observed",
            "Response rate",
            "Doing well (weighted)",
            "95 % interval",
            "Doing well (unweighted)",
            "95 % interval",
        ],
        &rows,
    );
}

fn by_group_table(out: &mut String, run: &RunFolder) {
    let groups = breakdown_groups(run.followup.iter().map(|r| r.group.as_str()));
    if groups.is_empty() {
        return;
    }
    group_year_table(
        out,
        "Families doing well overall, by group and year after exit (weighted where estimable)",
        &groups,
        |g, y| {
            run.followup
                .iter()
                .find(|r| r.group == g && r.domain == "overall" && r.year == y)
                .map_or((false, None), |r| {
                    (r.suppressed, best_share(r).map(|b| b.0))
                })
        },
    );
}

/// Change from intake: the year of the score chart, else the latest year with rows.
fn score_change_table(out: &mut String, run: &RunFolder) {
    let year = run
        .score_levels
        .as_deref()
        .and_then(score_year)
        .or_else(|| {
            run.score_change
                .iter()
                .filter(|r| r.group == ALL && r.mean_change.is_some())
                .map(|r| r.year)
                .max()
        });
    let Some(year) = year else { return };
    let rows: Vec<Vec<Cell>> = run
        .score_change
        .iter()
        .filter(|r| r.group == ALL && r.year == year)
        .map(|r| {
            withheld_row(
                domain(&r.domain),
                r.suppressed,
                [
                    count(r.n),
                    r.mean_change.map(|v| signed(v, 2)),
                    r.ci_low
                        .zip(r.ci_high)
                        .map(|(l, h)| format!("{} to {}", signed(l, 2), signed(h, 2))),
                    r.improved.map(percent1),
                    r.same.map(percent1),
                    r.worse.map(percent1),
                ],
            )
        })
        .collect();
    table(
        out,
        &format!("Change in mean score from intake to follow-up year {year} (scores 1-4)"),
        &[
            "Domain",
            "Families",
            "Mean change",
            "95 % interval",
            "Improved",
            "Same",
            "Worse",
        ],
        &rows,
    );
}

fn during_table(out: &mut String, run: &RunFolder) {
    let Some(rows) = &run.during else {
        note(out, "tables/during_programme is missing: placements during the programme and self-reliance at exit are not reported.");
        return;
    };
    let label = |m: &str| match m {
        "children_placed_during" => {
            "Children placed in alternative care during the programme".to_string()
        }
        "self_reliant_at_exit" => "Families self-reliant at exit".to_string(),
        "children_18_at_exit" => {
            "Children 18 or older at exit (not at risk of placement after exit)".to_string()
        }
        "children_censored_at_18" => {
            "Children turning 18 during follow-up (followed until their 18th birthday)".to_string()
        }
        other => humanise(other),
    };
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .filter(|r| r.group == ALL)
        .map(|r| {
            withheld_row(
                label(&r.measure),
                r.suppressed,
                [
                    count(r.numerator),
                    count(r.denominator),
                    r.share.map(percent1),
                    pct_ci(r.ci_low, r.ci_high),
                ],
            )
        })
        .collect();
    table(
        out,
        "During the programme",
        &["Measure", "Number", "Out of", "Share", "95 % interval"],
        &rows,
    );
}

/// Writes the key-outcomes section.
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    section_start(out, "outcomes");
    doing_well_sentence(out, run);
    overall_table(out, run);
    chart(
        out,
        rendered,
        "followup_domains",
        "Share doing well by domain and year; strong line weighted for non-response, faint dashed line unweighted.",
    );
    by_group_table(out, run);
    score_change_table(out, run);
    chart(
        out,
        rendered,
        "score_change",
        "Mean score per domain at intake, at exit and at follow-up.",
    );
    during_table(out, run);
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::without_charts;
    use super::*;
    use crate::report::fixture::{followup_row, run, score_change_row};
    use crate::report::rows::DuringProgrammeRow;

    #[test]
    fn without_rows_the_section_gives_its_notes() {
        let out = without_charts(write, &run());
        assert!(out.contains("<strong>Not shown:</strong> tables/followup_domains has no overall rows for all families.</p>"));
        assert!(out.contains("<strong>Not shown:</strong> tables/during_programme is missing"));
        assert!(!out.contains("<table>"));
    }

    #[test]
    fn the_overall_share_is_quoted_and_a_suppressed_year_is_blank() {
        let mut r = run();
        let mut hidden = followup_row(ALL, "overall", 3, Some(0.4321));
        hidden.due = Some(4321);
        hidden.suppressed = true;
        r.followup = vec![
            followup_row(ALL, "overall", 2, Some(0.55)),
            hidden,
            followup_row("country=AL", "overall", 1, Some(0.7)),
        ];
        let out = without_charts(write, &r);
        assert!(out.contains("<p>55.0 % of programme families were doing well overall in follow-up year 2 (95 % interval 50.0–60.0 %), weighted for non-response.</p>"));
        assert!(out.contains("<th scope=\"row\">Year 2</th><td class=\"num\">200</td><td class=\"num\">150</td><td class=\"num\">75.0 %</td><td class=\"num\">55.0 %</td><td class=\"num\">50.0–60.0 %</td><td class=\"blank\">–</td>"));
        assert!(out.contains("<th scope=\"row\">Year 3</th><td class=\"blank\">suppressed</td>"));
        assert!(!out.contains("4,321") && !out.contains("43.2"));
        assert!(out.contains("<th scope=\"row\">Country: AL</th><td class=\"num\">70.0 %</td><td class=\"blank\">–</td>"));
    }

    #[test]
    fn score_changes_are_signed_and_during_rows_labelled() {
        let mut r = run();
        r.score_change = vec![score_change_row("care", 2)];
        r.during = Some(vec![DuringProgrammeRow {
            group: ALL.into(),
            arm: "programme".into(),
            measure: "self_reliant_at_exit".into(),
            numerator: Some(30),
            denominator: Some(40),
            share: Some(0.75),
            ci_low: None,
            ci_high: None,
            suppressed: false,
        }]);
        let out = without_charts(write, &r);
        assert!(out.contains(
            "<caption>Change in mean score from intake to follow-up year 2 (scores 1-4)</caption>"
        ));
        assert!(out.contains("<td class=\"num\">+0.50</td><td class=\"num\">+0.25 to +0.75</td><td class=\"num\">60.0 %</td>"));
        assert!(out.contains("<th scope=\"row\">Families self-reliant at exit</th><td class=\"num\">30</td><td class=\"num\">40</td><td class=\"num\">75.0 %</td><td class=\"blank\">–</td>"));
        assert!(!out.contains("during_programme is missing"));
    }
}
