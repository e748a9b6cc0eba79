//! The staying-together section: the survival chart, a table per level (children still
//! in family care, families with no child placed) by year after exit and arm, the same
//! by breakdown group, and the log-rank tests with the one between the arms in words.

use crate::charts::labels::percent1;
use crate::charts::Arm;

use super::super::folder::RunFolder;
use super::super::html::{num, para, table, Cell};
use super::super::rows;
use super::super::select::{log_rank_p, survival_groups, survival_level, ALL};
use super::by_group::{breakdown_groups, group_year_table};
use super::cells::{count, p_statement, p_value, pct_ci, withheld};
use super::{chart, section_start, Rendered};

/// The table of one level (`child` or `family`) by year and compared group, if the
/// tables hold any of its years.
fn level_table(out: &mut String, run: &RunFolder, groups: &[(String, Arm)], lvl: &str) {
    let cell = |group: &str, year: u32| -> Vec<Cell> {
        match run
            .survival_years
            .iter()
            .find(|r| r.group == group && r.level == lvl && r.year == year)
        {
            Some(r) => [
                r.survival.map(percent1),
                pct_ci(r.ci_low, r.ci_high),
                count(r.at_risk),
            ]
            .into_iter()
            .map(|v| withheld(r.suppressed, v))
            .collect(),
            None => vec![Cell::Blank("–"); 3],
        }
    };
    let years: Vec<u32> = (1..=5)
        .filter(|y| {
            run.survival_years.iter().any(|r| {
                r.level == lvl && r.year == *y && groups.iter().any(|(g, _)| &r.group == g)
            })
        })
        .collect();
    if years.is_empty() {
        return;
    }
    let rows: Vec<Vec<Cell>> = years
        .iter()
        .map(|y| {
            let mut row = vec![Cell::Text(format!("Year {y}"))];
            for (g, _) in groups {
                row.extend(cell(g, *y));
            }
            row
        })
        .collect();
    let mut header: Vec<String> = vec!["After exit".into()];
    for (g, arm) in groups {
        let who = if g == ALL {
            "All families"
        } else {
            arm.label()
        };
        header.push(format!("{who}: still in family care"));
        header.push("95 % interval".into());
        header.push("At risk".into());
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let caption = if lvl == "child" {
        "Children still in family care, by years after exit"
    } else {
        "Families with no child placed, by years after exit"
    };
    table(out, caption, &header, &rows);
}

fn tests_table(out: &mut String, run: &RunFolder) {
    let tests: Vec<Vec<Cell>> = run
        .survival_tests
        .iter()
        .map(|t| {
            vec![
                Cell::Text(if t.by == "arm" {
                    format!("arms ({} level)", t.level)
                } else {
                    format!("arms, stratified by {} ({} level)", t.by, t.level)
                }),
                Cell::Text(t.role.clone()),
                num(Some(t.chi_square)
                    .filter(|v| v.is_finite())
                    .map(|v| format!("{v:.2}"))),
                num(Some(format!("{}", t.df))),
                num(rows::p_value(t).map(p_value)),
            ]
        })
        .collect();
    if !tests.is_empty() {
        table(
            out,
            "Log-rank tests",
            &["Compared", "Role", "Chi-square", "df", "p-value"],
            &tests,
        );
    }
}

/// Writes the staying-together section.
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    section_start(out, "staying-together");
    let level = survival_level(run);
    let groups = survival_groups(run);
    chart(
        out,
        rendered,
        "survival",
        "Kaplan-Meier estimate with 95 % log(-log) intervals; numbers at risk under the axis.",
    );
    for lvl in ["child", "family"] {
        level_table(out, run, &groups, lvl);
    }
    let by = breakdown_groups(run.survival_years.iter().map(|r| r.group.as_str()));
    if !by.is_empty() {
        group_year_table(
            out,
            &format!(
                "{} still in family care, by group (programme arm)",
                if level == "child" {
                    "Children"
                } else {
                    "Families"
                }
            ),
            &by,
            |g, y| {
                run.survival_years
                    .iter()
                    .find(|r| r.group == g && r.level == level && r.year == y)
                    .map_or((false, None), |r| (r.suppressed, r.survival))
            },
        );
    }
    tests_table(out, run);
    if let Some(p) = log_rank_p(run) {
        para(
            out,
            &format!(
                "Between the arms, the family-level log-rank test gives p {}. It is the primary test: children of one family are not independent, so the child-level test is descriptive.",
                p_statement(p)
            ),
        );
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::without_charts;
    use super::*;
    use crate::report::fixture::{curve_row, run, survival_year_row};
    use crate::report::rows::SurvivalTestRow;

    #[test]
    fn arms_are_compared_by_year_and_a_suppressed_year_is_blank() {
        let mut r = run();
        r.curve = vec![
            curve_row("arm=programme", "child", 0, Some(1.0)),
            curve_row("arm=comparison", "child", 0, Some(1.0)),
        ];
        r.survival_years = vec![
            survival_year_row("arm=programme", "child", 1, Some(0.95), false),
            survival_year_row("arm=comparison", "child", 1, Some(0.4321), true),
            survival_year_row("country=AL", "child", 2, Some(0.9), false),
        ];
        r.survival_tests = vec![SurvivalTestRow {
            by: "arm".into(),
            level: "family".into(),
            role: "primary".into(),
            chi_square: 4.5,
            df: 1,
            p_value: 0.0339,
        }];
        let out = without_charts(write, &r);
        assert!(
            out.contains("<caption>Children still in family care, by years after exit</caption>")
        );
        assert!(out.contains("<th scope=\"col\">Programme families: still in family care</th>"));
        assert!(out.contains("<th scope=\"row\">Year 1</th><td class=\"num\">95.0 %</td><td class=\"num\">93.0–97.0 %</td><td class=\"num\">80</td><td class=\"blank\">suppressed</td><td class=\"blank\">suppressed</td><td class=\"blank\">suppressed</td></tr>"));
        assert!(!out.contains("43.2"));
        assert!(out.contains(
            "<caption>Children still in family care, by group (programme arm)</caption>"
        ));
        assert!(out.contains("<th scope=\"row\">arms (family level)</th><td>primary</td><td class=\"num\">4.50</td><td class=\"num\">1</td><td class=\"num\">0.034</td>"));
        assert!(out.contains(
            "<p>Between the arms, the family-level log-rank test gives p = 0.034. It is the primary test"
        ));
    }

    #[test]
    fn without_rows_only_the_heading_is_written() {
        assert_eq!(
            without_charts(write, &run()),
            "<section id=\"staying-together\">\n<h2>Staying together</h2>\n</section>\n"
        );
    }
}
