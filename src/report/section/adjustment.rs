//! The "Comparing like with like" section: how the comparison arm was adjusted for the
//! ways its families differed from the programme's at intake, and how far to trust it.
//!
//! Shown when summary.json holds `adjustment` (a run with a comparison arm). In reading
//! order: what was done, in plain words; the social return with the comparison arm as
//! it is and adjusted; the warnings and the diagnostics (balance, effective size,
//! overlap); the balance table (`tables/balance`) and the overlap chart; the adjusted
//! estimates beside the unadjusted ones (`tables/adjusted_estimates`); and how strong a
//! confounder nobody measured would have to be to explain the effects away (E-values,
//! `tables/sensitivity`, and the SROI's tipping point). A table missing from the folder
//! leaves a note in its place.

use crate::adjust::balance::{ESS_WARN, OUTSIDE_WARN, SMD_WARN};
use crate::charts::labels::{humanise, money, per_unit, percent, percent1, thousands};
use crate::sroi::summary::{AdjustmentSummary, EValueSummary};

use super::super::folder::RunFolder;
use super::super::html::{esc, note, para, table, Cell, SUPPRESSED};
use super::super::rows::{AdjustedEstimateRow, BalanceRow};
use super::cells::{money_change, signed};
use super::{chart, section_start, Rendered};

/// Whether the page has this section (and the contents an entry for it).
pub fn shown(run: &RunFolder) -> bool {
    run.summary.adjustment.is_some()
}

/// How the SROI treats the comparison arm, `method` of `[study.adjustment]`.
pub fn method_words(method: &str) -> &'static str {
    match method {
        "none" => "as it is (no adjustment)",
        "ipw" => "propensity-weighted",
        "dr" => "doubly robust",
        _ => "adjusted",
    }
}

/// A method of `tables/adjusted_estimates`: `unadjusted`, `att`, `overlap`, with
/// `_trimmed` when trimmed.
fn weights_words(method: &str) -> String {
    let (base, trimmed) = match method.strip_suffix("_trimmed") {
        Some(b) => (b, true),
        None => (method, false),
    };
    let words = match base {
        "unadjusted" => "as it is",
        "att" => "ATT weights",
        "overlap" => "overlap weights",
        other => other,
    };
    if trimmed {
        format!("{words}, trimmed")
    } else {
        words.to_string()
    }
}

/// A covariate name as a reader knows it.
fn covariate_label(name: &str) -> String {
    match name {
        "intake_score" => "Mean assessment score at intake".into(),
        "intake_income" => "Annual income at intake".into(),
        "children_count" => "Children in the family".into(),
        other => humanise(other),
    }
}

/// The covariates of the model's columns (`country=AM`, `minority=(missing)`, ...), in
/// words and in their order: "country, risk level and annual income at intake".
fn covariate_list(columns: &[String]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for c in columns {
        let name = c.split_once('=').map_or(c.as_str(), |(n, _)| n);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let words: Vec<String> = names
        .iter()
        .map(|n| covariate_label(n).to_lowercase())
        .collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The first letter of a warning in capitals (the engine writes them to follow
/// "warning: ").
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The plain-words paragraph: why, what was done, what feeds the headline.
fn intro(out: &mut String, a: &AdjustmentSummary) {
    let weights = match a.weights.as_str() {
        "overlap" => "with overlap weights, so the estimates are for the families the two arms have in common rather than for all the programme's",
        _ => "so that together they resemble the programme's families (weights for the effect on the programme's families, ATT)",
    };
    let feeds = match a.method.as_str() {
        "none" => "The headline and the social return use the comparison arm as it is; the adjusted figures are shown here beside them.".to_string(),
        m => format!(
            "The headline and the social return use the {} comparison arm{}; the outcome tables and charts elsewhere in this report show the comparison arm as it is.",
            method_words(m),
            if m == "dr" {
                " (propensity weights, and for the income effect a doubly robust difference in differences)"
            } else {
                ""
            }
        ),
    };
    let mut text = format!(
        "The comparison families were not chosen at random (a waiting list, a neighbouring district, families who declined), so they may differ from the programme's families at intake. kinsight estimated each family's propensity to be in the programme from its intake covariates (a logistic model) and weighted the comparison families {weights}. {feeds}"
    );
    if !a.covariates.is_empty() {
        let missing = if a.covariates.iter().any(|c| c.ends_with("=(missing)")) {
            " (a missing value counts as a value of its own, so who is missing is balanced too)"
        } else {
            ""
        };
        text.push_str(&format!(
            " Covariates balanced: {}{missing}.",
            covariate_list(&a.covariates)
        ));
    }
    if !a.dropped.is_empty() {
        let dropped: Vec<String> = a
            .dropped
            .iter()
            .map(|d| match d.split_once(": ") {
                Some((name, why)) => format!("{} ({why})", covariate_label(name).to_lowercase()),
                None => d.clone(),
            })
            .collect();
        text.push_str(&format!(
            " Left out of the default covariates: {}.",
            dropped.join("; ")
        ));
    }
    if let Some([lo, hi]) = a.trim {
        text.push_str(&format!(
            " Families with a propensity outside {lo} to {hi} were left out (trimming): the estimates are for the families kept."
        ));
    }
    para(out, &text);
}

/// A ratio and its range, or a blank when it was not computed.
fn ratio_cells(c: &str, ratio: f64, low: f64, high: f64) -> [Cell; 2] {
    let value = if ratio.is_finite() {
        Cell::Num(per_unit(c, ratio))
    } else {
        Cell::Blank("not computed")
    };
    let range = if low.is_finite() && high.is_finite() {
        Cell::Num(format!("{low:.2}–{high:.2}"))
    } else {
        Cell::Blank("–")
    };
    [value, range]
}

/// The social return with the comparison arm as it is, adjusted, and with every
/// measured effect explained away.
fn ratio_table(out: &mut String, c: &str, a: &AdjustmentSummary) {
    let headline_adjusted = a.method != "none";
    let mark = |yes: bool| {
        if yes {
            Cell::Html("<strong>✓ yes</strong>".into())
        } else {
            Cell::Blank("–")
        }
    };
    let mut rows = Vec::new();
    let mut row = vec![Cell::Text("As it is".into())];
    row.extend(ratio_cells(
        c,
        a.ratio_unadjusted,
        a.ratio_unadjusted_p2_5,
        a.ratio_unadjusted_p97_5,
    ));
    row.push(mark(!headline_adjusted));
    rows.push(row);
    let mut row = vec![Cell::Text(format!(
        "Adjusted ({})",
        method_words(&a.adjusted_method)
    ))];
    row.extend(ratio_cells(
        c,
        a.ratio_adjusted,
        a.ratio_adjusted_p2_5,
        a.ratio_adjusted_p97_5,
    ));
    row.push(mark(headline_adjusted));
    rows.push(row);
    let mut row = vec![Cell::Text("No measured effect at all".into())];
    row.extend(ratio_cells(
        c,
        a.ratio_without_data_effects,
        f64::NAN,
        f64::NAN,
    ));
    row.push(Cell::Blank("–"));
    rows.push(row);
    table(
        out,
        &format!("Social return, comparison arm as it is vs adjusted (value per {c} 1 invested)"),
        &["Comparison arm", "Social return", "95 % range", "Headline"],
        &rows,
    );
}

/// A figure flagged when it fails its rule of thumb.
fn flagged(text: String, bad: bool) -> Cell {
    if bad {
        Cell::Html(format!("<span class=\"flag\">⚠ {}</span>", esc(&text)))
    } else {
        Cell::Num(text)
    }
}

/// The warnings, prominently, or the sentence that there are none.
fn warnings(out: &mut String, a: &AdjustmentSummary) {
    if a.warnings.is_empty() {
        para(out, "No warning: after weighting the covariates are balanced, the comparison arm keeps enough families, and the arms overlap (the checks below).");
        return;
    }
    out.push_str("<div class=\"note\" role=\"note\"><p><strong>Read the adjusted figures with care:</strong></p>\n<ul class=\"warnings\">\n");
    for w in &a.warnings {
        out.push_str(&format!("<li>{}</li>\n", esc(&sentence(w))));
    }
    out.push_str("</ul></div>\n");
}

/// Largest |SMD|, the comparison arm's effective size and the programme families
/// outside its range, before and after weighting.
fn diagnostics(out: &mut String, a: &AdjustmentSummary) {
    let smd = |v: Option<f64>, after: bool| match v {
        Some(v) => flagged(format!("{v:.2}"), after && v > SMD_WARN),
        None => Cell::Blank("–"),
    };
    let rows = vec![
        vec![
            Cell::Text("Largest standardised mean difference (|SMD|)".into()),
            smd(a.max_abs_smd_before, false),
            smd(a.max_abs_smd_after, true),
            Cell::Text(format!("below {SMD_WARN:.2}")),
        ],
        vec![
            Cell::Text("Comparison families (effective number)".into()),
            Cell::Num(thousands(a.ess_comparison_before)),
            flagged(
                thousands(a.ess_comparison_after),
                a.ess_comparison_after < ESS_WARN,
            ),
            Cell::Text(format!("{ESS_WARN:.0} or more")),
        ],
        vec![
            Cell::Text("Programme families outside the comparison arm's propensity range".into()),
            Cell::Blank("–"),
            Cell::Num(thousands(a.programme_outside_comparison_range as f64)),
            Cell::Text(format!(
                "at most {} of the programme's",
                percent(OUTSIDE_WARN)
            )),
        ],
    ];
    table(
        out,
        "How well the weighting made the arms alike",
        &[
            "Check",
            "Before weighting",
            "After weighting",
            "Adequate when",
        ],
        &rows,
    );
}

/// A balance row's mean in its unit: shares as percentages, income as money, counts
/// and scores as numbers.
fn mean_text(c: &str, r: &BalanceRow, v: f64) -> String {
    if r.kind == "share" {
        percent1(v)
    } else if r.covariate == "intake_income" {
        money(c, v)
    } else if r.covariate == "children_count" {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn balance_table(out: &mut String, c: &str, rows: &[BalanceRow]) {
    if rows.is_empty() {
        note(out, "tables/balance has no rows.");
        return;
    }
    // Under ATT weights without trimming the programme's weighted means are its means:
    // a column of repeats is left out.
    let programme_reweighted = rows.iter().any(|r| {
        matches!((r.mean_programme, r.mean_programme_weighted), (Some(a), Some(b)) if (a - b).abs() > 1e-9)
    });
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::Text(covariate_label(&r.covariate)),
                Cell::Text(match r.level.as_deref() {
                    Some("(missing)") => "missing".into(),
                    Some(l) => l.replace('_', " "),
                    None => String::new(),
                }),
            ];
            let mut figures: Vec<Option<Cell>> = vec![
                r.mean_programme.map(|v| Cell::Num(mean_text(c, r, v))),
                r.mean_comparison.map(|v| Cell::Num(mean_text(c, r, v))),
            ];
            if programme_reweighted {
                figures.push(
                    r.mean_programme_weighted
                        .map(|v| Cell::Num(mean_text(c, r, v))),
                );
            }
            figures.push(
                r.mean_comparison_weighted
                    .map(|v| Cell::Num(mean_text(c, r, v))),
            );
            figures.push(r.smd_before.map(|v| Cell::Num(smd_text(v))));
            figures.push(
                r.smd_after
                    .map(|v| flagged(smd_text(v), v.abs() > SMD_WARN)),
            );
            row.extend(figures.into_iter().map(|f| {
                if r.suppressed {
                    Cell::Blank(SUPPRESSED)
                } else {
                    f.unwrap_or(Cell::Blank("–"))
                }
            }));
            row
        })
        .collect();
    let mut header = vec!["Covariate", "Level", "Programme", "Comparison"];
    if programme_reweighted {
        header.push("Programme, weighted");
    }
    header.extend(["Comparison, weighted", "SMD before", "SMD after"]);
    table(
        out,
        "Covariate balance at intake: means and shares by arm, before and after weighting",
        &header,
        &cells,
    );
    para(out, &format!("The standardised mean difference (SMD) is the difference between the arms in standard deviations of the covariate; within ±{SMD_WARN:.2} is the usual mark of adequate balance, and ⚠ marks a covariate still out of balance after weighting."));
}

/// An estimate of `tables/adjusted_estimates` in its unit: shares as percentages,
/// placements avoided as a count (one decimal below 100), the pre-trend check as a
/// signed amount of money a year.
fn estimate_text(estimand: &str, v: f64, currency: &str) -> String {
    if estimand == "pre_trend_did" {
        money_change(currency, v)
    } else if estimand == "avoided_placements" {
        if v.abs() >= 100.0 {
            thousands(v)
        } else {
            format!("{v:.1}")
        }
    } else {
        percent1(v)
    }
}

/// An interval of an estimate, compact as elsewhere in the report: `84.4–88.2 %`,
/// `568–863`.
fn interval_text(estimand: &str, low: f64, high: f64, currency: &str) -> String {
    if estimand == "pre_trend_did" {
        format!(
            "{} to {}",
            estimate_text(estimand, low, currency),
            estimate_text(estimand, high, currency)
        )
    } else if estimand == "avoided_placements" {
        format!(
            "{}–{}",
            estimate_text(estimand, low, currency),
            estimate_text(estimand, high, currency)
        )
    } else {
        format!("{:.1}–{:.1} %", low * 100.0, high * 100.0)
    }
}

/// A standardised mean difference with its sign, two decimals; one that rounds to
/// zero is written `0.00` (a sign on nothing would send the reader looking for it).
fn smd_text(v: f64) -> String {
    if v.abs() < 0.005 {
        "0.00".into()
    } else {
        signed(v, 2)
    }
}

fn estimate_label(r: &AdjustedEstimateRow) -> String {
    let year = if r.year.fract() == 0.0 {
        format!("{:.0}", r.year)
    } else {
        format!("{}", r.year)
    };
    let arm = r.arm.as_str();
    match r.estimand.as_str() {
        "survival" => format!("Children still in family care, year {year}: {arm}"),
        "doing_well" => format!("Families doing well, year {year}: {arm}"),
        "placement_incidence" => format!("Children placed by year {year}: {arm}"),
        "avoided_placements" => format!("Placements avoided by year {year}"),
        "pre_trend_did" => {
            "Income trend before intake, programme − comparison (≈ 0 if parallel)".to_string()
        }
        other => format!("{}, year {year}: {arm}", humanise(other)),
    }
}

fn estimates_table(out: &mut String, rows: &[AdjustedEstimateRow], currency: &str) {
    let adjusted_method = rows
        .iter()
        .map(|r| r.method.as_str())
        .find(|m| *m != "unadjusted");
    let order = |e: &str| match e {
        "survival" => 0,
        "doing_well" => 1,
        "placement_incidence" => 2,
        "avoided_placements" => 3,
        _ => 4,
    };
    // The programme's survival is shown only when the weights change it (overlap
    // weights, trimming): under ATT weights its rows repeat the unadjusted ones.
    let programme_changed = rows.iter().any(|r| {
        r.estimand == "survival"
            && r.arm == "programme"
            && r.method != "unadjusted"
            && !rows.iter().any(|u| {
                u.estimand == r.estimand
                    && u.arm == r.arm
                    && u.year == r.year
                    && u.method == "unadjusted"
                    && u.estimate == r.estimate
            })
    });
    let mut keys: Vec<(&str, &str, f64)> = Vec::new();
    for r in rows {
        if r.estimand == "survival" && r.arm == "programme" && !programme_changed {
            continue;
        }
        let k = (r.estimand.as_str(), r.arm.as_str(), r.year);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.sort_by(|a, b| {
        (order(a.0), a.2, a.1 != "programme")
            .partial_cmp(&(order(b.0), b.2, b.1 != "programme"))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let cell = |r: Option<&&AdjustedEstimateRow>| -> [Cell; 2] {
        match r {
            Some(r) => [
                r.estimate.map_or(Cell::Blank("–"), |v| {
                    Cell::Num(estimate_text(&r.estimand, v, currency))
                }),
                match (r.ci_low, r.ci_high) {
                    (Some(l), Some(h)) => Cell::Num(interval_text(&r.estimand, l, h, currency)),
                    _ => Cell::Blank("–"),
                },
            ],
            None => [Cell::Blank("–"), Cell::Blank("–")],
        }
    };
    let cells: Vec<Vec<Cell>> = keys
        .iter()
        .filter_map(|&(e, arm, year)| {
            let of = |adjusted: bool| -> Vec<&AdjustedEstimateRow> {
                rows.iter()
                    .filter(|r| r.estimand == e && r.arm == arm && r.year == year)
                    .filter(|r| (r.method != "unadjusted") == adjusted)
                    .collect()
            };
            let (un, adj) = (of(false), of(true));
            let first = un.first().or(adj.first())?;
            let mut row = vec![Cell::Text(estimate_label(first))];
            row.extend(cell(un.first()));
            row.extend(cell(adj.first()));
            Some(row)
        })
        .collect();
    if cells.is_empty() {
        note(out, "tables/adjusted_estimates has no rows.");
        return;
    }
    let adjusted_head = format!(
        "Adjusted ({})",
        adjusted_method.map_or("weighted".into(), weights_words)
    );
    table(
        out,
        "Estimates with the comparison arm as it is and adjusted",
        &[
            "Estimate",
            "As it is",
            "95 % interval",
            &adjusted_head,
            "95 % interval",
        ],
        &cells,
    );
}

/// "to move the interval to no difference, 1.81 times" or that it includes none.
fn interval_words(e: &EValueSummary) -> String {
    if e.e_value_ci <= 1.0 + 1e-9 {
        "the 95 % interval already includes no difference, so no hidden bias at all is needed to make it compatible with none".into()
    } else {
        format!(
            "to move the 95 % interval to include no difference, {:.2} times would do",
            e.e_value_ci
        )
    }
}

fn e_value_sentence(c: &str, e: &EValueSummary, horizon: Option<f64>) -> String {
    let by = horizon.map_or("by the horizon,".into(), |h| {
        format!("by year {},", crate::charts::labels::tick(h))
    });
    match e.estimand.as_str() {
        "placement_risk_ratio" => format!(
            "{} children of programme families were placed {:.2} times as often as those of comparison families (risk ratio; 95 % interval {:.2} to {:.2}). An unmeasured factor would have to make families both {:.2} times more likely to be in the programme and {:.2} times {} likely to have a child placed to explain the placement difference away; {}.",
            sentence(&by),
            e.estimate,
            e.ci_low,
            e.ci_high,
            e.e_value,
            e.e_value,
            if e.risk_ratio < 1.0 { "less" } else { "more" },
            interval_words(e)
        ),
        "income_effect_annual" => format!(
            "The effect on annual household income ({} a year; 95 % interval {} to {}) corresponds to a risk ratio of {:.2}. An unmeasured factor would have to make families both {:.2} times more likely to be in the programme and {:.2} times more likely to {} income to explain the effect away; {}.",
            money_change(c, e.estimate),
            money_change(c, e.ci_low),
            money_change(c, e.ci_high),
            e.risk_ratio,
            e.e_value,
            e.e_value,
            if e.estimate < 0.0 { "lose" } else { "gain" },
            interval_words(e)
        ),
        other => format!(
            "{}: an unmeasured factor would have to be associated {:.2} times with both being in the programme and the outcome to explain the estimate away (risk ratio {:.2}); {}.",
            humanise(other),
            e.e_value,
            e.risk_ratio,
            interval_words(e)
        ),
    }
}

/// The E-values in words and the SROI's tipping point.
fn hidden_bias(out: &mut String, run: &RunFolder, a: &AdjustmentSummary) {
    let c = &run.summary.currency;
    out.push_str("<h3>How strong would hidden bias have to be?</h3>\n");
    para(out, "Weighting removes the differences in the covariates above, never those in what was not measured (motivation, a relative's help). The E-value is how strongly such an unmeasured factor would have to be tied both to being in the programme and to the outcome, as a risk ratio, to explain an effect away: the larger, the more robust the effect; near 1, little would do.");
    // summary.json carries the E-values of tables/sensitivity (the same rows).
    let e_values = &a.e_values;
    let horizon = run.adjusted_estimates.as_ref().and_then(|rows| {
        rows.iter()
            .find(|r| r.estimand == "placement_incidence")
            .map(|r| r.year)
    });
    if e_values.is_empty() {
        note(
            out,
            "no E-value could be computed (no placement in an arm, and no income effect).",
        );
    }
    for e in e_values {
        if [e.estimate, e.ci_low, e.ci_high, e.e_value, e.e_value_ci]
            .iter()
            .all(|v| v.is_finite())
        {
            para(out, &e_value_sentence(c, e, horizon));
        }
    }
    let ratio = run.summary.ratio;
    let tipping = match a.tipping_share {
        Some(z) => format!(
            "Hidden bias would have to account for {} of the measured effects (avoided placements, the income effect and the comparison arm's shares doing well) for the social return to fall to {c} 1 per {c} 1 invested.",
            percent(z)
        ),
        None if ratio > 1.0 => format!(
            "Even with every measured effect explained away the social return would be {} per {c} 1 invested, still above 1: the outcomes the model assumes carry it on their own.",
            per_unit(c, a.ratio_without_data_effects)
        ),
        None => format!(
            "The social return ({} per {c} 1) is not above 1, so there is no tipping point: hidden bias could only lower it further or raise it.",
            per_unit(c, ratio)
        ),
    };
    out.push_str(&format!("<p id=\"fig-tipping\">{}</p>\n", esc(&tipping)));
}

/// Writes the section (nothing when the run has no adjustment).
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    let Some(a) = &run.summary.adjustment else {
        return;
    };
    let c = &run.summary.currency;
    section_start(out, "adjustment");
    intro(out, a);
    ratio_table(out, c, a);
    warnings(out, a);
    diagnostics(out, a);
    out.push_str("<h3>Covariate balance</h3>\n");
    match &run.balance {
        Some(rows) => balance_table(out, c, rows),
        None => note(out, "tables/balance is missing from the output folder."),
    }
    chart(
        out,
        rendered,
        "propensity_overlap",
        "Estimated propensity to be in the programme, by arm: the share of each arm's families in bands of 0.05. Where programme bars stand over no comparison bars, no comparison family resembles those programme families, and weighting cannot make up for it.",
    );
    out.push_str("<h3>Outcomes with the comparison arm as it is and adjusted</h3>\n");
    match &run.adjusted_estimates {
        Some(rows) => estimates_table(out, rows, &run.summary.currency),
        None => note(
            out,
            "tables/adjusted_estimates is missing from the output folder.",
        ),
    }
    hidden_bias(out, run, a);
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::without_charts;
    use super::*;

    #[test]
    fn the_pre_trend_check_is_money_not_a_share() {
        assert_eq!(estimate_text("pre_trend_did", 52.9, "EUR"), "+EUR 53");
        assert_eq!(
            interval_text("pre_trend_did", -27.1, 75.2, "EUR"),
            "−EUR 27 to +EUR 75"
        );
        assert_eq!(estimate_text("doing_well", 0.385, "EUR"), "38.5 %");
    }
    use crate::report::fixture::{adjusted_run, run};

    #[test]
    fn without_an_adjustment_there_is_no_section() {
        assert!(!shown(&run()));
        assert_eq!(without_charts(write, &run()), "");
        assert!(shown(&adjusted_run()));
    }

    #[test]
    fn says_what_was_done_and_which_ratio_feeds_the_headline() {
        let out = without_charts(write, &adjusted_run());
        assert!(out.starts_with(
            "<section id=\"adjustment\">\n<h2>Comparing like with like</h2>\n<p>The comparison families were not chosen at random"
        ));
        assert!(out.contains("The headline and the social return use the comparison arm as it is;"));
        assert!(
            out.contains("Covariates balanced: country, risk level and annual income at intake.")
        );
        assert!(out.contains(
            "Left out of the default covariates: disability (one value in the comparison arm)."
        ));
        assert!(out.contains("<th scope=\"row\">As it is</th><td class=\"num\">EUR 2.50</td><td class=\"num\">1.50–3.50</td><td><strong>✓ yes</strong></td>"));
        assert!(out.contains("<th scope=\"row\">Adjusted (doubly robust)</th><td class=\"num\">EUR 1.80</td><td class=\"num\">1.10–2.60</td><td class=\"blank\">–</td>"));
        assert!(out.contains(
            "<th scope=\"row\">No measured effect at all</th><td class=\"num\">EUR 0.70</td>"
        ));
        // Adjusted in the headline: the mark moves and the paragraph says so.
        let mut r = adjusted_run();
        r.summary.adjustment.as_mut().unwrap().method = "dr".into();
        let out = without_charts(write, &r);
        assert!(out.contains("use the doubly robust comparison arm (propensity weights, and for the income effect a doubly robust difference in differences)"));
        assert!(out.contains("2.60</td><td><strong>✓ yes</strong></td>"));
    }

    #[test]
    fn warnings_and_failed_checks_are_flagged() {
        let out = without_charts(write, &adjusted_run());
        assert!(out.contains("<div class=\"note\" role=\"note\"><p><strong>Read the adjusted figures with care:</strong></p>\n<ul class=\"warnings\">\n<li>Covariate balance is not achieved: after weighting"));
        assert!(out.contains("<th scope=\"row\">Largest standardised mean difference (|SMD|)</th><td class=\"num\">0.44</td><td><span class=\"flag\">⚠ 0.12</span></td><td>below 0.10</td>"));
        assert!(out.contains("<th scope=\"row\">Comparison families (effective number)</th><td class=\"num\">85</td><td><span class=\"flag\">⚠ 46</span></td><td>50 or more</td>"));
        assert!(out.contains("<td class=\"blank\">–</td><td class=\"num\">3</td><td>at most 5 % of the programme&#39;s</td>"));
        // Good balance: no warning box, the sentence instead, nothing flagged.
        let mut r = adjusted_run();
        let a = r.summary.adjustment.as_mut().unwrap();
        a.warnings.clear();
        a.max_abs_smd_after = Some(0.04);
        a.ess_comparison_after = 70.0;
        let out = without_charts(write, &r);
        assert!(out.contains("<p>No warning: after weighting the covariates are balanced"));
        assert!(!out.contains("Read the adjusted figures with care"));
        assert!(out.contains("<td class=\"num\">0.04</td><td>below 0.10</td>"));
    }

    #[test]
    fn balance_rows_in_their_units_with_the_withheld_one_blank() {
        let out = without_charts(write, &adjusted_run());
        assert!(out.contains("<th scope=\"row\">Country</th><td>AL</td><td class=\"num\">50.0 %</td><td class=\"num\">30.0 %</td><td class=\"num\">48.0 %</td><td class=\"num\">+0.41</td><td class=\"num\">+0.04</td>"));
        assert!(out.contains("<th scope=\"row\">Risk level</th><td>high</td><td class=\"num\">40.0 %</td><td class=\"num\">20.0 %</td><td class=\"num\">35.0 %</td><td class=\"num\">+0.44</td><td><span class=\"flag\">⚠ +0.12</span></td>"));
        assert!(out.contains("<th scope=\"row\">Annual income at intake</th><td></td><td class=\"num\">EUR 3,200</td><td class=\"num\">EUR 4,100</td><td class=\"num\">EUR 3,300</td><td class=\"num\">−0.35</td><td class=\"num\">−0.05</td>"));
        assert!(out.contains(
            "<th scope=\"row\">Minority</th><td></td><td class=\"blank\">suppressed</td>"
        ));
        assert!(!out.contains("3.5 %") && !out.contains("4.0 %"));
        // ATT weights leave the programme as it is: no column of repeats.
        assert!(!out.contains("Programme, weighted"));
        let mut r = adjusted_run();
        r.balance.as_mut().unwrap()[0].mean_programme_weighted = Some(0.45);
        assert!(without_charts(write, &r).contains("<th scope=\"col\">Programme, weighted</th>"));
    }

    #[test]
    fn estimates_side_by_side_in_reading_order() {
        let out = without_charts(write, &adjusted_run());
        assert!(out.contains("<th scope=\"col\">Adjusted (ATT weights)</th>"));
        assert!(out.contains("<th scope=\"row\">Children still in family care, year 1: comparison</th><td class=\"num\">90.0 %</td><td class=\"num\">85.0–95.0 %</td><td class=\"num\">80.0 %</td><td class=\"num\">75.0–85.0 %</td>"));
        assert!(out.contains("<th scope=\"row\">Children placed by year 5: programme</th><td class=\"num\">10.0 %</td><td class=\"num\">5.0–15.0 %</td><td class=\"blank\">–</td><td class=\"blank\">–</td>"));
        assert!(out.contains("<th scope=\"row\">Placements avoided by year 5</th><td class=\"num\">12.3</td><td class=\"num\">12.3–12.4</td><td class=\"num\">8.0</td>"));
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s}"));
        assert!(at("year 1: comparison") < at("by year 5: programme"));
        assert!(at("by year 5: programme") < at("by year 5: comparison"));
        assert!(at("by year 5: comparison") < at("Placements avoided"));
    }

    #[test]
    fn hidden_bias_in_plain_words_and_the_tipping_point() {
        let out = without_charts(write, &adjusted_run());
        assert!(out.contains("<h3>How strong would hidden bias have to be?</h3>"));
        assert!(out.contains("By year 5, children of programme families were placed 0.50 times as often as those of comparison families (risk ratio; 95 % interval 0.30 to 0.80). An unmeasured factor would have to make families both 3.41 times more likely to be in the programme and 3.41 times less likely to have a child placed to explain the placement difference away; to move the 95 % interval to include no difference, 1.81 times would do."));
        assert!(out.contains("The effect on annual household income (+EUR 1,200 a year; 95 % interval −EUR 100 to +EUR 2,500) corresponds to a risk ratio of 1.30. An unmeasured factor would have to make families both 1.92 times more likely to be in the programme and 1.92 times more likely to gain income to explain the effect away; the 95 % interval already includes no difference"));
        assert!(out.contains("<p id=\"fig-tipping\">Hidden bias would have to account for 83 % of the measured effects"));
        assert!(out.contains("for the social return to fall to EUR 1 per EUR 1 invested.</p>"));
        // No tipping point: still above 1 without the effects, or not above 1 at all.
        let mut r = adjusted_run();
        r.summary.adjustment.as_mut().unwrap().tipping_share = None;
        r.summary
            .adjustment
            .as_mut()
            .unwrap()
            .ratio_without_data_effects = 1.4;
        assert!(without_charts(write, &r).contains("Even with every measured effect explained away the social return would be EUR 1.40 per EUR 1 invested, still above 1"));
        r.summary.ratio = 0.9;
        assert!(without_charts(write, &r).contains(
            "The social return (EUR 0.90 per EUR 1) is not above 1, so there is no tipping point"
        ));
        // The E-values come from summary.json.
        let r = adjusted_run();
        assert!(without_charts(write, &r).contains("3.41 times less likely"));
    }

    #[test]
    fn missing_tables_leave_notes() {
        let mut r = adjusted_run();
        r.balance = None;
        r.adjusted_estimates = None;
        let out = without_charts(write, &r);
        assert!(out.contains(
            "<strong>Not shown:</strong> tables/balance is missing from the output folder.</p>"
        ));
        assert!(out.contains("<strong>Not shown:</strong> tables/adjusted_estimates is missing from the output folder.</p>"));
        assert!(out.contains("By the horizon, children of programme families were placed"));
    }
}
