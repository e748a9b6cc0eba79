//! The income section: the income chart and the change in household income since
//! intake by arm, with the programme's effect (difference in differences) and its
//! interval, for the whole cohort; where the comparison arm was adjusted, the
//! propensity-weighted and doubly robust effects of each year follow its difference in
//! differences.

use super::super::folder::RunFolder;
use super::super::html::{note, para, table, Cell};
use super::super::rows::IncomeEffectRow;
use super::super::select::ALL;
use super::cells::{count, money_change, withheld_row};
use super::{chart, section_start, Rendered};

/// Where a method's rows come in a year: the unadjusted effect first.
fn method_order(method: &str) -> u8 {
    match method {
        "did" | "programme_only" => 0,
        "ipw_did" => 1,
        "dr_did" => 2,
        _ => 3,
    }
}

/// A method of `tables/income_effect` in words; `weights` is the adjustment's
/// (`att` or `overlap`), when known.
pub fn method_label(method: &str, weights: Option<&str>) -> String {
    match method {
        "did" => "difference in differences".into(),
        "programme_only" => "programme only (no comparison arm)".into(),
        "ipw_did" => match weights {
            Some("overlap") => "propensity-weighted (overlap weights)".into(),
            _ => "propensity-weighted (ATT)".into(),
        },
        "dr_did" => "doubly robust".into(),
        other => other.to_string(),
    }
}

/// Writes the income section.
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    let c = &run.summary.currency;
    section_start(out, "income");
    chart(
        out,
        rendered,
        "income",
        &format!(
            "Real annual household income, {c} at {} prices, with 95 % intervals.",
            run.summary.price_year
        ),
    );
    let mut rows: Vec<&IncomeEffectRow> = run
        .income_effect
        .iter()
        .filter(|r| r.group == ALL)
        .collect();
    rows.sort_by_key(|r| (r.year, method_order(&r.method)));
    let weights = run.summary.adjustment.as_ref().map(|a| a.weights.as_str());
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            // A doubly robust row's arm means are of the residuals of the outcome
            // regression, not changes in income: only its effect is shown.
            let residuals = r.method == "dr_did";
            let mut row = withheld_row(
                if r.year == 0 {
                    "Exit".to_string()
                } else {
                    format!("Year {}", r.year)
                },
                r.suppressed,
                [
                    count(r.n_programme),
                    count(r.n_comparison),
                    r.mean_delta_programme
                        .filter(|_| !residuals)
                        .map(|v| money_change(c, v)),
                    r.mean_delta_comparison
                        .filter(|_| !residuals)
                        .map(|v| money_change(c, v)),
                    r.effect.map(|v| money_change(c, v)),
                    r.ci_low
                        .zip(r.ci_high)
                        .map(|(l, h)| format!("{} to {}", money_change(c, l), money_change(c, h))),
                    r.effect_weighted.map(|v| money_change(c, v)),
                    r.ci_low_weighted
                        .zip(r.ci_high_weighted)
                        .map(|(l, h)| format!("{} to {}", money_change(c, l), money_change(c, h))),
                ],
            );
            row.push(Cell::Text(method_label(&r.method, weights)));
            row
        })
        .collect();
    if cells.is_empty() {
        note(out, "tables/income_effect has no rows for all families.");
    } else {
        table(
            out,
            &format!("Change in annual household income since intake and the effect of the programme ({c}, {} prices)", run.summary.price_year),
            &[
                "When",
                "Programme families",
                "Comparison families",
                "Change, programme",
                "Change, comparison",
                "Effect",
                "95 % interval",
                "Effect, weighted for non-response",
                "95 % interval",
                "Method",
            ],
            &cells,
        );
        para(out, "The effect is the difference in differences (programme change minus comparison change) where a comparison arm exists; the method column says how each row was estimated. The weighted effect weights each arm's follow-up changes for income non-response (families not reached), as the follow-up shares are weighted; at exit it equals the unweighted one.");
        if rows.iter().any(|r| method_order(&r.method) > 0) {
            para(out, "Propensity-weighted rows weight the comparison families to resemble the programme's at intake (see Comparing like with like) and both arms for income non-response, so their comparison change is the weighted one; doubly robust rows also take out what a regression of the comparison arm's income change on the intake covariates predicts, and stay unbiased if either the propensity model or that regression is right (their arm columns are left blank: they hold residuals, not changes in income).");
        }
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::without_charts;
    use super::*;
    use crate::report::fixture::{income_effect_row, run};

    #[test]
    fn without_rows_the_section_gives_its_note() {
        assert!(without_charts(write, &run()).contains(
            "<strong>Not shown:</strong> tables/income_effect has no rows for all families.</p>"
        ));
    }

    #[test]
    fn changes_carry_signs_and_a_suppressed_row_only_its_method() {
        let mut r = run();
        let mut hidden = income_effect_row(2);
        hidden.n_programme = Some(98765);
        hidden.suppressed = true;
        r.income_effect = vec![hidden, income_effect_row(0)];
        let out = without_charts(write, &r);
        assert!(out.contains("<caption>Change in annual household income since intake and the effect of the programme (EUR, 2024 prices)</caption>"));
        assert!(out.contains("<th scope=\"row\">Exit</th><td class=\"num\">120</td><td class=\"num\">80</td><td class=\"num\">+EUR 1,200</td><td class=\"num\">−EUR 300</td><td class=\"num\">+EUR 1,500</td><td class=\"num\">−EUR 100 to +EUR 3,100</td><td class=\"blank\">–</td><td class=\"blank\">–</td><td>difference in differences</td>"));
        assert!(out.contains("<th scope=\"row\">Year 2</th><td class=\"blank\">suppressed</td>"));
        assert!(!out.contains("98,765"));
        assert!(out.find("Exit").unwrap() < out.find("Year 2").unwrap());
        assert!(!out.contains("Propensity-weighted rows"));
    }

    #[test]
    fn adjusted_rows_follow_the_unadjusted_one_of_their_year() {
        let mut r = run();
        let with = |year: u32, method: &str, effect: f64| {
            let mut row = income_effect_row(year);
            row.method = method.into();
            row.effect = Some(effect);
            row
        };
        r.income_effect = vec![
            with(2, "did", 1000.0),
            with(1, "dr_did", 810.0),
            with(1, "ipw_did", 820.0),
            with(1, "did", 900.0),
        ];
        let out = without_charts(write, &r);
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s}"));
        assert!(at("+EUR 900") < at("+EUR 820"));
        assert!(at("+EUR 820") < at("+EUR 810"));
        assert!(at("+EUR 810") < at("+EUR 1,000"));
        assert!(out.contains("<td>propensity-weighted (ATT)</td>"));
        // The doubly robust row's arm means are residuals: blank, its effect shown.
        assert!(out.contains("<th scope=\"row\">Year 1</th><td class=\"num\">120</td><td class=\"num\">80</td><td class=\"blank\">–</td><td class=\"blank\">–</td><td class=\"num\">+EUR 810</td>"));
        assert!(out.contains("<td>doubly robust</td>"));
        assert!(out.contains("Propensity-weighted rows weight the comparison families"));
        assert_eq!(
            method_label("ipw_did", Some("overlap")),
            "propensity-weighted (overlap weights)"
        );
    }
}
