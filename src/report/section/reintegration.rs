//! The reintegration section: children in alternative care at intake, how many came
//! home during the programme, and how many of them were still home, not referred back
//! into care, one and two years after the return (the headline figures), then the chart,
//! the table by arm and the log-rank test against the comparison arm.

use crate::charts::labels::{percent1, thousands};
use crate::charts::Arm;
use crate::outcomes::ReintegrationRow;

use super::super::folder::RunFolder;
use super::super::html::{note, para, table, Cell};
use super::super::select::arm_key;
use super::super::views::reintegration::pick;
use super::cells::{p_statement, pct_ci, withheld};
use super::{chart, section_start, Rendered};

/// A published share with its interval: `92.0 % (95 % interval 88.1–94.7 %)`.
fn share(r: &ReintegrationRow) -> Option<String> {
    let v = r.estimate.filter(|_| !r.suppressed)?;
    Some(match pct_ci(r.ci_low, r.ci_high) {
        Some(ci) => format!("{} (95 % interval {ci})", percent1(v)),
        None => percent1(v),
    })
}

/// The sentences of one arm, if it had children in care at intake.
fn arm_sentences(rows: &[ReintegrationRow], arm: Arm) -> Option<String> {
    let key = arm_key(arm);
    let back = pick(rows, key, "returned_home", None)?;
    // A comparison family is not served: its "programme" runs from referral to the start
    // of its follow-up.
    let (who, when) = match arm {
        Arm::Programme => ("programme families", "during the programme"),
        Arm::Comparison => (
            "comparison families",
            "between referral and the start of follow-up",
        ),
    };
    let shown = back.estimate.filter(|_| !back.suppressed);
    let mut text = match (back.n, back.events, shown) {
        (Some(n), Some(k), Some(v)) => format!(
            "Of {} children of {who} in alternative care at intake, {} ({}{}) returned home {when}",
            thousands(n as f64),
            thousands(k as f64),
            percent1(v),
            pct_ci(back.ci_low, back.ci_high)
                .map(|ci| format!(", 95 % interval {ci}"))
                .unwrap_or_default()
        ),
        _ => format!(
            "Fewer than the disclosure threshold of children of {who} were in alternative care at intake, so their returns home are not shown"
        ),
    };
    if let Some(d) = pick(rows, key, "days_to_return_median", None)
        .filter(|r| !r.suppressed)
        .and_then(|r| r.estimate)
    {
        text.push_str(&format!(", half of them within {d:.0} days of intake"));
    }
    text.push('.');
    let stayed: Vec<(u32, String)> = [1u32, 2]
        .into_iter()
        .filter_map(|y| {
            pick(rows, key, "still_home", Some(y))
                .and_then(share)
                .map(|s| (y, s))
        })
        .collect();
    match stayed.as_slice() {
        [] => {}
        [(y, s)] => text.push_str(&format!(
            " Of those who returned, {s} were still home, not referred back into care, {y} year{} after their return.",
            if *y == 1 { "" } else { "s" }
        )),
        [(_, s1), (_, s2), ..] => text.push_str(&format!(
            " Of those who returned, {s1} were still home, not referred back into care, one year after their return, and {s2} two years after."
        )),
    }
    Some(text)
}

/// The table: per arm, the share returned, the median days to return and the share still
/// home at each year after the return (child level).
fn arm_table(out: &mut String, rows: &[ReintegrationRow]) {
    let arms: Vec<Arm> = [Arm::Programme, Arm::Comparison]
        .into_iter()
        .filter(|a| pick(rows, arm_key(*a), "returned_home", None).is_some())
        .collect();
    let cells = |r: Option<&ReintegrationRow>, days: bool| -> Vec<Cell> {
        match r {
            Some(r) => {
                let v = if days {
                    r.estimate.map(|d| format!("{d:.0} days"))
                } else {
                    r.estimate.map(percent1)
                };
                vec![
                    withheld(r.suppressed, v),
                    withheld(r.suppressed, pct_ci(r.ci_low, r.ci_high)),
                ]
            }
            None => vec![Cell::Blank("–"); 2],
        }
    };
    let mut lines: Vec<(String, &str, Option<u32>, bool)> = vec![
        (
            "Returned home during the programme".into(),
            "returned_home",
            None,
            false,
        ),
        (
            "Median time from intake to the return".into(),
            "days_to_return_median",
            None,
            true,
        ),
    ];
    for y in 1..=5u32 {
        lines.push((
            format!(
                "Still home {y} year{} after the return",
                if y == 1 { "" } else { "s" }
            ),
            "still_home",
            Some(y),
            false,
        ));
    }
    let body: Vec<Vec<Cell>> = lines
        .iter()
        .filter(|(_, m, y, _)| {
            arms.iter()
                .any(|a| pick(rows, arm_key(*a), m, *y).is_some())
        })
        .map(|(label, m, y, days)| {
            let mut row = vec![Cell::Text(label.clone())];
            for a in &arms {
                row.extend(cells(pick(rows, arm_key(*a), m, *y), *days));
            }
            row
        })
        .collect();
    let mut header: Vec<String> = vec!["Children in care at intake".into()];
    for a in &arms {
        header.push(a.label().to_string());
        header.push("95 % interval".into());
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    table(
        out,
        "Returns home and staying home, by arm (children)",
        &header,
        &body,
    );
}

/// Writes the reintegration section.
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    section_start(out, "reintegration");
    let Some(rows) = &run.reintegration else {
        note(
            out,
            "tables/reintegration is missing: returns home from alternative care are not reported.",
        );
        out.push_str("</section>\n");
        return;
    };
    if !rows.iter().any(|r| r.measure == "returned_home") {
        para(
            out,
            "No child of the cohort's families was in alternative care at intake, so there is no return home to report.",
        );
        out.push_str("</section>\n");
        return;
    }
    for arm in [Arm::Programme, Arm::Comparison] {
        if let Some(text) = arm_sentences(rows, arm) {
            para(out, &text);
        }
    }
    chart(
        out,
        rendered,
        "reintegration",
        "Share of the returned children not placed again, by years since the return home (Kaplan-Meier, 95 % log(-log) intervals); the legend gives the share of the children in care at intake who returned home.",
    );
    arm_table(out, rows);
    for level in ["family", "child"] {
        if let Some(p) = rows
            .iter()
            .find(|r| r.measure == "log_rank_vs_comparison" && r.level == level)
            .and_then(|r| r.p_value)
        {
            para(
                out,
                &format!(
                    "Staying home after the return, programme against comparison arm ({level} level): log-rank p {}.",
                    p_statement(p)
                ),
            );
            break;
        }
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::without_charts;
    use super::*;
    use crate::report::fixture::run;

    fn row(arm: &str, measure: &str, year: Option<u32>, estimate: f64) -> ReintegrationRow {
        ReintegrationRow {
            group: "all".into(),
            arm: arm.into(),
            measure: measure.into(),
            level: "child".into(),
            year,
            n: Some(40),
            events: Some(36),
            at_risk: Some(30),
            estimate: Some(estimate),
            ci_low: Some(estimate - 0.05),
            ci_high: Some(estimate + 0.02),
            chi_square: None,
            p_value: None,
            suppressed: false,
        }
    }

    #[test]
    fn headline_sentence_table_and_test() {
        let mut r = run();
        let mut withheld_row = row("comparison", "still_home", Some(1), 0.4242);
        withheld_row.suppressed = true;
        withheld_row.estimate = None;
        let mut test = row("programme", "log_rank_vs_comparison", None, 0.0);
        test.level = "family".into();
        test.estimate = None;
        test.p_value = Some(0.0123);
        r.reintegration = Some(vec![
            row("programme", "returned_home", None, 0.9),
            row("programme", "days_to_return_median", None, 250.0),
            row("programme", "still_home", Some(1), 0.97),
            row("programme", "still_home", Some(2), 0.95),
            row("comparison", "returned_home", None, 0.5),
            withheld_row,
            test,
        ]);
        let out = without_charts(write, &r);
        assert!(out.contains("<section id=\"reintegration\">"), "{out}");
        assert!(out.contains("Of 40 children of programme families in alternative care at intake, 36 (90.0 %, 95 % interval 85.0–92.0 %) returned home during the programme, half of them within 250 days of intake. Of those who returned, 97.0 % (95 % interval 92.0–99.0 %) were still home, not referred back into care, one year after their return, and 95.0 % (95 % interval 90.0–97.0 %) two years after."), "{out}");
        assert!(out.contains("<th scope=\"row\">Still home 1 year after the return</th><td class=\"num\">97.0 %</td><td class=\"num\">92.0–99.0 %</td><td class=\"blank\">suppressed</td><td class=\"blank\">suppressed</td></tr>"), "{out}");
        assert!(!out.contains("42.4"));
        assert!(out.contains("(family level): log-rank p = 0.012."));
    }

    #[test]
    fn missing_or_empty_table_says_so() {
        let mut r = run();
        assert!(without_charts(write, &r).contains("tables/reintegration is missing"));
        r.reintegration = Some(Vec::new());
        assert!(without_charts(write, &r).contains("no return home to report"));
    }
}
