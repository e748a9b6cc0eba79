//! The content of `report.html`, section by section.
//!
//! Every number is formatted from the structures the folder holds (summary.json and
//! the tables as read by [`super::rows`]), with the same wording helpers the charts use
//! (`charts::labels`), so the page, the charts and the files agree. Key figures carry
//! stable `id`s (`fig-ratio`, `fig-range-low`, ...) so readers and tests can find them.

use std::collections::BTreeMap;

use crate::charts::labels::{money, per_unit, percent1, probability, thousands, years};

use super::folder::RunFolder;
use super::html::{esc, figure, note, num, para, table, Cell, STYLE, SUPPRESSED};
use super::rows::CostRow;
use super::select::{
    self, best_share, log_rank_p, overall_rows, survival_groups, survival_level, use_npv, ALL,
};
use super::wording::{self, domain, outcome_label, param_value};

/// The rendered SVG of each chart drawn, or the note saying why it was not.
pub type Rendered = BTreeMap<&'static str, Result<String, String>>;

/// Sections in page order: anchor and heading.
const SECTIONS: [(&str, &str); 11] = [
    ("headline", "Headline"),
    ("outcomes", "Key outcomes"),
    ("staying-together", "Staying together"),
    ("income", "Income"),
    ("sroi", "Social return by outcome and stakeholder"),
    ("sensitivity", "Sensitivity"),
    (
        "cost-of-care",
        "Cost of family support and of the care it avoids",
    ),
    ("method", "Method and assumptions"),
    ("quality", "Data quality"),
    ("manifest", "Manifest"),
    ("notes", "What is not shown"),
];

fn pct_ci(lo: Option<f64>, hi: Option<f64>) -> Option<String> {
    Some(format!("{:.1}–{:.1} %", lo? * 100.0, hi? * 100.0))
}

fn count(v: Option<f64>) -> Option<String> {
    v.map(thousands)
}

fn signed(v: f64, decimals: usize) -> String {
    let s = format!("{v:+.decimals$}");
    s.replace('-', "−")
}

/// A money amount with a sign for changes: `+EUR 1,200`, `−EUR 300`.
fn money_change(currency: &str, v: f64) -> String {
    let m = money(currency, v.abs());
    if v < 0.0 {
        format!("−{m}")
    } else {
        format!("+{m}")
    }
}

fn chart(out: &mut String, rendered: &Rendered, name: &'static str, caption: &str) {
    match rendered.get(name) {
        Some(Ok(svg)) => figure(out, name, svg, caption),
        Some(Err(why)) => note(out, &format!("chart {name}: {why}.")),
        None => {}
    }
}

fn section_start(out: &mut String, id: &str) {
    let title = SECTIONS
        .iter()
        .find(|(a, _)| *a == id)
        .map_or(id, |(_, t)| t);
    out.push_str(&format!("<section id=\"{id}\">\n<h2>{}</h2>\n", esc(title)));
}

fn key_figure(out: &mut String, id: &str, value: &str, label: &str) {
    out.push_str(&format!(
        "<li><span class=\"value\" id=\"{id}\">{}</span><span class=\"label\">{}</span></li>\n",
        esc(value),
        esc(label)
    ));
}

fn headline(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    let s = &run.summary;
    let mc = &s.monte_carlo;
    let c = &s.currency;
    section_start(out, "headline");
    out.push_str("<div class=\"headline\">\n<p class=\"lead\">");
    if use_npv(run) {
        out.push_str(&format!(
            "Social value minus cost (net present value): <span id=\"fig-npv-lead\">{}</span>; 95 % range <span id=\"fig-range-low\">{}</span> to <span id=\"fig-range-high\">{}</span>; probability that the value exceeds the cost: <span id=\"fig-prob\">{}</span>.",
            esc(&money(c, s.npv)),
            esc(&money(c, mc.npv_p2_5)),
            esc(&money(c, mc.npv_p97_5)),
            esc(&probability(select::prob_npv_positive(run))),
        ));
    } else {
        out.push_str(&format!(
            "For every {c} 1 invested, <span id=\"fig-ratio\">{}</span> of social value; 95 % range <span id=\"fig-range-low\">{}</span>–<span id=\"fig-range-high\">{}</span>; probability above 1: <span id=\"fig-prob\">{}</span>.",
            esc(&per_unit(c, s.ratio)),
            esc(&per_unit(c, mc.ratio_p2_5)),
            esc(&format!("{:.2}", mc.ratio_p97_5)),
            esc(&probability(mc.prob_ratio_gt_1)),
            c = esc(c),
        ));
    }
    out.push_str("</p>\n");
    para(out, &wording::outcome_sentence(run));
    out.push_str("</div>\n<ul class=\"figures\">\n");
    key_figure(
        out,
        "fig-inputs",
        &money(c, s.inputs),
        "Inputs (programme cost)",
    );
    key_figure(
        out,
        "fig-pv",
        &money(c, s.pv_total),
        "Present value of outcomes",
    );
    key_figure(out, "fig-npv", &money(c, s.npv), "Net present value");
    if !use_npv(run) {
        key_figure(
            out,
            "fig-ratio-plain",
            &format!("{:.2} : 1", s.ratio),
            "SROI ratio",
        );
    }
    if let Some(m) = s.payback_months {
        key_figure(
            out,
            "fig-payback",
            &format!("{m:.0} months"),
            "Payback period",
        );
    }
    out.push_str("</ul>\n");
    para(
        out,
        &format!(
            "Amounts are real, in {c} at {} prices. The range is the 2.5th to 97.5th percentile of {} Monte Carlo draws (seed {}).",
            s.price_year,
            thousands(mc.draws as f64),
            mc.seed
        ),
    );
    chart(
        out,
        rendered,
        "headline",
        "Fundraiser card: the ratio with its range and the chance it exceeds 1.",
    );
    out.push_str("</section>\n");
}

/// `country=AL` -> `Country: AL`.
fn group_label(group: &str) -> String {
    match group.split_once('=') {
        Some((col, value)) => format!("{}: {value}", crate::charts::labels::humanise(col)),
        None => group.to_string(),
    }
}

/// Breakdown groups (`COL=value`, not `all` and not the arms) in first-seen order.
fn breakdown_groups<'a>(groups: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for g in groups {
        if g != ALL && !g.starts_with("arm=") && !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// A group x year table of shares: `value(group, year)` gives the share, `None` when
/// not available, or `Err(())` when suppressed.
fn group_year_table(
    out: &mut String,
    caption: &str,
    groups: &[&str],
    value: impl Fn(&str, i64) -> Result<Option<f64>, ()>,
) {
    let rows: Vec<Vec<Cell>> = groups
        .iter()
        .map(|g| {
            let mut row = vec![Cell::Text(group_label(g))];
            row.extend((1..=5).map(|y| match value(g, y) {
                Ok(v) => num(v.map(percent1)),
                Err(()) => Cell::Blank(SUPPRESSED),
            }));
            row
        })
        .collect();
    table(
        out,
        caption,
        &["Group", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5"],
        &rows,
    );
}

fn outcomes(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    section_start(out, "outcomes");
    let overall = overall_rows(run);
    if let Some(r) = select::quoted_year(run) {
        if let Some((share, lo, hi, weighted)) = best_share(r) {
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
    }
    let rows: Vec<Vec<Cell>> = overall
        .iter()
        .map(|r| {
            let withheld = |v| withheld(r.suppressed, v);
            vec![
                Cell::Text(format!("Year {}", r.year)),
                withheld(count(r.due)),
                withheld(count(r.observed)),
                withheld(r.response_rate.map(percent1)),
                withheld(r.share_weighted.map(percent1)),
                withheld(pct_ci(r.ci_low_weighted, r.ci_high_weighted)),
                withheld(r.share.map(percent1)),
                withheld(pct_ci(r.ci_low, r.ci_high)),
            ]
        })
        .collect();
    if rows.is_empty() {
        note(
            out,
            "tables/followup_domains has no overall rows for all families.",
        );
    } else {
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
    chart(
        out,
        rendered,
        "followup_domains",
        "Share doing well by domain and year; strong line weighted for non-response, faint dashed line unweighted.",
    );
    let groups = breakdown_groups(run.followup.iter().map(|r| r.group.as_str()));
    if !groups.is_empty() {
        group_year_table(
            out,
            "Families doing well overall, by group and year after exit (weighted where estimable)",
            &groups,
            |g, y| match run
                .followup
                .iter()
                .find(|r| r.group == g && r.domain == "overall" && r.year == y)
            {
                Some(r) if r.suppressed => Err(()),
                Some(r) => Ok(best_share(r).map(|b| b.0)),
                None => Ok(None),
            },
        );
    }
    // Change from intake: the year of the score chart, else the latest year with rows.
    let year = run
        .score_levels
        .as_deref()
        .and_then(select::score_year)
        .map(i64::from)
        .or_else(|| {
            run.score_change
                .iter()
                .filter(|r| r.group == ALL && r.mean_change.is_some())
                .map(|r| r.year)
                .max()
        });
    if let Some(year) = year {
        let rows: Vec<Vec<Cell>> = run
            .score_change
            .iter()
            .filter(|r| r.group == ALL && r.year == year)
            .map(|r| {
                let withheld = |v| withheld(r.suppressed, v);
                vec![
                    Cell::Text(domain(&r.domain)),
                    withheld(count(r.n)),
                    withheld(r.mean_change.map(|v| signed(v, 2))),
                    withheld(
                        r.ci_low
                            .zip(r.ci_high)
                            .map(|(l, h)| format!("{} to {}", signed(l, 2), signed(h, 2))),
                    ),
                    withheld(r.improved.map(percent1)),
                    withheld(r.same.map(percent1)),
                    withheld(r.worse.map(percent1)),
                ]
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
    chart(
        out,
        rendered,
        "score_change",
        "Mean score per domain at intake, at exit and at follow-up.",
    );
    match &run.during {
        Some(rows) => {
            let label = |m: &str| match m {
                "children_placed_during" => "Children placed in alternative care during the programme".to_string(),
                "self_reliant_at_exit" => "Families self-reliant at exit".to_string(),
                other => crate::charts::labels::humanise(other),
            };
            let rows: Vec<Vec<Cell>> = rows
                .iter()
                .filter(|r| r.group == ALL)
                .map(|r| {
                    let withheld = |v| withheld(r.suppressed, v);
                    vec![
                        Cell::Text(label(&r.measure)),
                        withheld(count(r.numerator)),
                        withheld(count(r.denominator)),
                        withheld(r.share.map(percent1)),
                        withheld(pct_ci(r.ci_low, r.ci_high)),
                    ]
                })
                .collect();
            table(
                out,
                "During the programme",
                &["Measure", "Number", "Out of", "Share", "95 % interval"],
                &rows,
            );
        }
        None => note(out, "tables/during_programme is missing: placements during the programme and self-reliance at exit are not reported."),
    }
    out.push_str("</section>\n");
}

fn staying_together(out: &mut String, run: &RunFolder, rendered: &Rendered) {
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
        let cell = |group: &str, year: i64| -> [Cell; 3] {
            match run
                .survival_years
                .iter()
                .find(|r| r.group == group && r.level == lvl && r.year == year)
            {
                Some(r) if r.suppressed => [
                    Cell::Blank(SUPPRESSED),
                    Cell::Blank(SUPPRESSED),
                    Cell::Blank(SUPPRESSED),
                ],
                Some(r) => [
                    num(r.survival.map(percent1)),
                    num(pct_ci(r.ci_low, r.ci_high)),
                    num(count(r.at_risk)),
                ],
                None => [Cell::Blank("–"), Cell::Blank("–"), Cell::Blank("–")],
            }
        };
        let years: Vec<i64> = (1..=5)
            .filter(|y| {
                run.survival_years.iter().any(|r| {
                    r.level == lvl && r.year == *y && groups.iter().any(|(g, _)| &r.group == g)
                })
            })
            .collect();
        if years.is_empty() {
            continue;
        }
        let rows: Vec<Vec<Cell>> = years
            .iter()
            .map(|y| {
                let mut row = vec![Cell::Text(format!("Year {y}"))];
                for (g, _) in &groups {
                    row.extend(cell(g, *y));
                }
                row
            })
            .collect();
        let mut header: Vec<String> = vec!["After exit".into()];
        for (g, arm) in &groups {
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
    let by = breakdown_groups(run.survival_years.iter().map(|r| r.group.as_str()));
    if !by.is_empty() {
        group_year_table(
            out,
            &format!(
                "{} still in family care, by group (programme and comparison families together)",
                if level == "child" {
                    "Children"
                } else {
                    "Families"
                }
            ),
            &by,
            |g, y| match run
                .survival_years
                .iter()
                .find(|r| r.group == g && r.level == level && r.year == y)
            {
                Some(r) if r.suppressed => Err(()),
                Some(r) => Ok(r.survival),
                None => Ok(None),
            },
        );
    }
    let tests: Vec<Vec<Cell>> = run
        .survival_tests
        .iter()
        .map(|t| {
            vec![
                Cell::Text(format!("{} ({} level)", t.by, t.level)),
                num(t.chi_square.map(|v| format!("{v:.2}"))),
                num(t.df.map(|v| format!("{v:.0}"))),
                num(t.p_value.map(p_value)),
            ]
        })
        .collect();
    if !tests.is_empty() {
        table(
            out,
            "Log-rank tests",
            &["Compared by", "Chi-square", "df", "p-value"],
            &tests,
        );
    }
    if let Some(p) = log_rank_p(run, level) {
        para(
            out,
            &format!(
                "Between the arms ({level} level), the log-rank test gives p {}.",
                p_statement(p)
            ),
        );
    }
    out.push_str("</section>\n");
}

/// `p = 0.034` or `p < 0.001` without the `p`: `= 0.034`, `< 0.001`.
fn p_statement(p: f64) -> String {
    let v = p_value(p);
    if v.starts_with('<') {
        v
    } else {
        format!("= {v}")
    }
}

fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

fn income(out: &mut String, run: &RunFolder, rendered: &Rendered) {
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
    let mut rows: Vec<&super::rows::IncomeEffectRow> = run
        .income_effect
        .iter()
        .filter(|r| r.group == ALL)
        .collect();
    rows.sort_by_key(|r| r.year);
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let withheld = |v| withheld(r.suppressed, v);
            vec![
                Cell::Text(if r.year == 0 {
                    "Exit".to_string()
                } else {
                    format!("Year {}", r.year)
                }),
                withheld(count(r.n_programme)),
                withheld(count(r.n_comparison)),
                withheld(r.mean_delta_programme.map(|v| money_change(c, v))),
                withheld(r.mean_delta_comparison.map(|v| money_change(c, v))),
                withheld(r.effect.map(|v| money_change(c, v))),
                withheld(
                    r.ci_low
                        .zip(r.ci_high)
                        .map(|(l, h)| format!("{} to {}", money_change(c, l), money_change(c, h))),
                ),
                Cell::Text(r.method.clone()),
            ]
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
                "Method",
            ],
            &cells,
        );
        para(out, "The effect is the difference in differences (programme change minus comparison change) where a comparison arm exists; the method column says how each row was estimated.");
    }
    out.push_str("</section>\n");
}

fn sroi(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    let s = &run.summary;
    let c = &s.currency;
    section_start(out, "sroi");
    chart(
        out,
        rendered,
        "sroi_waterfall",
        "Present value of each outcome, coloured by stakeholder, against the inputs.",
    );
    let share = |pv: f64| {
        if s.pv_total != 0.0 {
            Some(percent1(pv / s.pv_total))
        } else {
            None
        }
    };
    let rows: Vec<Vec<Cell>> = s
        .outcomes
        .iter()
        .map(|o| {
            vec![
                Cell::Text(outcome_label(&o.id)),
                Cell::Text(crate::charts::labels::humanise(&o.stakeholder)),
                Cell::Num(money(c, o.pv)),
                num(share(o.pv)),
                Cell::Num(param_value("quantity", o.quantity)),
                Cell::Num(money(c, o.proxy)),
                Cell::Num(format!("{}", o.duration)),
                Cell::Num(percent1(o.deadweight)),
                Cell::Num(percent1(o.displacement)),
                Cell::Num(percent1(o.attribution)),
                Cell::Num(percent1(o.dropoff)),
                Cell::Num(money(c, o.impact_year1)),
            ]
        })
        .collect();
    table(
        out,
        &format!(
            "Impact map: value by outcome ({c}, {} prices)",
            s.price_year
        ),
        &[
            "Outcome",
            "Stakeholder",
            "Present value",
            "Share of value",
            "Quantity",
            "Proxy per unit",
            "Years",
            "Deadweight",
            "Displacement",
            "Attribution",
            "Drop-off",
            "Impact, year 1",
        ],
        &rows,
    );
    out.push_str("<dl class=\"indicators\">\n");
    for o in &s.outcomes {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            esc(&outcome_label(&o.id)),
            esc(&o.indicator)
        ));
    }
    out.push_str("</dl>\n");
    let mut rows: Vec<Vec<Cell>> = s
        .by_stakeholder
        .iter()
        .map(|t| {
            vec![
                Cell::Text(crate::charts::labels::humanise(&t.stakeholder)),
                Cell::Num(money(c, t.pv)),
                num(t.share.is_finite().then(|| percent1(t.share))),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text("Total".into()),
        Cell::Num(money(c, s.pv_total)),
        num(share(s.pv_total)),
    ]);
    table(
        out,
        "Present value by stakeholder",
        &["Stakeholder", "Present value", "Share"],
        &rows,
    );
    para(
        out,
        &format!(
            "Inputs {}; total present value {}; net present value {}; SROI ratio {:.2} : 1; net ratio {:.2}.",
            money(c, s.inputs),
            money(c, s.pv_total),
            money(c, s.npv),
            s.ratio,
            s.net_ratio
        ),
    );
    out.push_str("</section>\n");
}

fn sensitivity(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    let s = &run.summary;
    let mc = &s.monte_carlo;
    let c = &s.currency;
    section_start(out, "sensitivity");
    if use_npv(run) {
        para(out, &format!(
            "In {} joint draws of every uncertain parameter, the net present value has median {} and 95 % range {} to {}. The ratio is not summarised because inputs can be near zero or negative in some draws ({} draws with an undefined ratio).",
            thousands(mc.draws as f64), money(c, mc.npv_p50), money(c, mc.npv_p2_5), money(c, mc.npv_p97_5), mc.ratio_undefined_draws
        ));
    } else {
        para(out, &format!(
            "In {} joint draws of every uncertain parameter (seed {}), the ratio has mean {:.2}, median {:.2} and 95 % range {:.2} to {:.2}; the probability that it exceeds 1 is {}. The net present value ranges from {} to {}.",
            thousands(mc.draws as f64), mc.seed, mc.ratio_mean, mc.ratio_p50, mc.ratio_p2_5, mc.ratio_p97_5, probability(mc.prob_ratio_gt_1), money(c, mc.npv_p2_5), money(c, mc.npv_p97_5)
        ));
    }
    para(
        out,
        &format!(
            "Expected value of perfect information for the fund / don't-fund decision: {}.",
            money(c, mc.evpi)
        ),
    );
    if mc.replicates > 0 {
        para(out, &format!("Each draw is paired with one of {} bootstrap replicates of the data-derived quantities, so their sampling uncertainty is included.", thousands(mc.replicates as f64)));
    }
    if !mc.data_keys_fixed.is_empty() {
        para(
            out,
            &format!(
                "Held at their measured value in every draw (no bootstrap replicate): {}.",
                mc.data_keys_fixed.join(", ")
            ),
        );
    }
    chart(
        out,
        rendered,
        "sroi_distribution",
        "Histogram of the Monte Carlo draws with the 95 % range and break-even marked.",
    );
    chart(
        out,
        rendered,
        "acceptability",
        "Probability that each unit invested returns more than x.",
    );
    chart(
        out,
        rendered,
        "tornado",
        "One-way sensitivity: each parameter at its low and high value, the others at base.",
    );
    let rows: Vec<Vec<Cell>> = s
        .one_way
        .iter()
        .map(|o| {
            vec![
                Cell::Text(if o.label.is_empty() {
                    o.parameter.clone()
                } else {
                    o.label.clone()
                }),
                Cell::Num(param_value(&o.parameter, o.base)),
                Cell::Num(format!(
                    "{} to {}",
                    param_value(&o.parameter, o.low),
                    param_value(&o.parameter, o.high)
                )),
                num(o
                    .ratio_low
                    .is_finite()
                    .then(|| format!("{:.2}", o.ratio_low))),
                num(o
                    .ratio_high
                    .is_finite()
                    .then(|| format!("{:.2}", o.ratio_high))),
                num(o.swing.is_finite().then(|| format!("{:.2}", o.swing))),
            ]
        })
        .collect();
    if !rows.is_empty() {
        table(
            out,
            "One-way sensitivity of the ratio (largest swing first)",
            &[
                "Parameter",
                "Base",
                "Range tested",
                "Ratio at low",
                "Ratio at high",
                "Swing",
            ],
            &rows,
        );
    }
    let rows: Vec<Vec<Cell>> = s
        .thresholds
        .iter()
        .map(|t| {
            vec![
                Cell::Text(t.parameter.clone()),
                Cell::Num(param_value(&t.parameter, t.base)),
                num(t
                    .value_at_ratio_1
                    .is_finite()
                    .then(|| param_value(&t.parameter, t.value_at_ratio_1))),
            ]
        })
        .collect();
    if rows.is_empty() {
        para(out, "No parameter reaches a ratio of 1 within its range.");
    } else {
        table(
            out,
            "Thresholds: the value at which the ratio falls to 1",
            &["Parameter", "Base value", "Value at ratio 1"],
            &rows,
        );
    }
    if let Some(tw) = &s.two_way {
        let mut header = vec![format!("{} \\ {}", tw.y, tw.x)];
        header.extend(tw.x_values.iter().map(|x| param_value(&tw.x, *x)));
        let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<Cell>> = tw
            .y_values
            .iter()
            .zip(&tw.ratio)
            .map(|(y, row)| {
                let mut cells = vec![Cell::Text(param_value(&tw.y, *y))];
                cells.extend(
                    row.iter()
                        .map(|r| num(r.is_finite().then(|| format!("{r:.2}")))),
                );
                cells
            })
            .collect();
        table(
            out,
            &format!("Two-way sensitivity: the ratio over {} and {}", tw.x, tw.y),
            &header_refs,
            &rows,
        );
    }
    out.push_str("</section>\n");
}

fn cost_of_care(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    let c = &run.summary.currency;
    let prices = format!("{c}, {} prices", run.summary.price_year);
    section_start(out, "cost-of-care");
    let horizon = run
        .cost_of_care
        .as_deref()
        .map_or(5.0, select::cost_horizon);
    let within = years(horizon);
    chart(out, rendered, "cost_of_care", &format!("Left: programme cost per family-year against the public cost of a child-year in residential and in foster care. Right: programme cost per family against the public cost of the placements avoided within {within} of exit."));
    let Some(rows) = &run.cost_of_care else {
        out.push_str("</section>\n");
        return;
    };
    avoided_lead(out, run, rows, &within);
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let withheld = |v| withheld(r.suppressed, v);
            vec![
                Cell::Text(r.country.clone()),
                withheld(count(r.families)),
                withheld(r.cost_per_family_year.map(|v| money(c, v))),
                withheld(r.cost_per_family.map(|v| money(c, v))),
                num(r.residential_per_child_year.map(|v| money(c, v))),
                num(r.foster_per_child_year.map(|v| money(c, v))),
                withheld(r.residential_to_support.map(|v| format!("{v:.1} ×"))),
            ]
        })
        .collect();
    table(
        out,
        &format!("Cost per country ({prices})"),
        &[
            "Country",
            "Programme families",
            "Per family-year",
            "Per family",
            "Residential care per child-year",
            "Foster care per child-year",
            "Residential / support",
        ],
        &cells,
    );
    if rows.iter().any(|r| r.horizon_years.is_some()) {
        let cells: Vec<Vec<Cell>> = rows
            .iter()
            .map(|r| {
                let withheld = |v| withheld(r.suppressed, v);
                vec![
                    Cell::Text(r.country.clone()),
                    withheld(count(r.children_programme)),
                    withheld(r.placements_avoided.map(|v| format!("{v:.1}"))),
                    withheld(r.cost_per_placement.map(|v| money(c, v))),
                    withheld(r.public_cost_avoided.map(|v| money(c, v))),
                    withheld(r.public_cost_avoided_per_family.map(|v| money(c, v))),
                    withheld(r.cost_avoided_per_cost.map(|v| format!("{v:.2}"))),
                ]
            })
            .collect();
        table(
            out,
            &format!("Placements avoided within {within} of exit and their public cost ({prices})"),
            &[
                "Country",
                "Programme children",
                "Placements avoided",
                "Public cost of a placement",
                "Public cost avoided",
                "Per programme family",
                &format!("Per {c} 1 of programme cost"),
            ],
            &cells,
        );
    }
    out.push_str("</section>\n");
}

/// A row's figure, or the suppression mark when disclosure control withheld the row.
fn withheld(suppressed: bool, v: Option<String>) -> Cell {
    if suppressed {
        Cell::Blank(SUPPRESSED)
    } else {
        num(v)
    }
}

/// The policy brief's reading of the avoided-placement columns: what they say, how they
/// are counted, and why a country has none.
fn avoided_lead(out: &mut String, run: &RunFolder, rows: &[CostRow], within: &str) {
    let c = &run.summary.currency;
    let shown: Vec<&CostRow> = rows.iter().filter(|r| !r.suppressed).collect();
    let valued: Vec<(&str, f64)> = shown
        .iter()
        .filter_map(|r| r.cost_avoided_per_cost.map(|v| (r.country.as_str(), v)))
        .collect();
    if let (Some(lo), Some(hi)) = (
        valued.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
        valued.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
    ) {
        let paid = valued.iter().filter(|(_, v)| *v >= 1.0).count();
        para(out, &format!(
            "Placements into alternative care avoided within {within} of exit (children of programme families placed less often than children of comparison families), valued at what the state pays for a placement, are worth {} ({}) to {} ({}) per {c} 1 the programme cost in that country: in {paid} of the {} countries with a figure, the care costs avoided alone repay the cost of support.",
            per_unit(c, lo.1),
            lo.0,
            per_unit(c, hi.1),
            hi.0,
            valued.len(),
        ));
        para(out, &format!(
            "How it is counted: placements avoided = programme children × (share of comparison children placed within {within} − share of programme children placed), both Kaplan-Meier estimates for the country; each valued at the mean length of the country's observed placements × the public cost of a child-year in that type of care. These are gross public costs, before attribution to other services and without discounting; the SROI model counts the pooled figure net of both in its state outcome, so the country figures do not add up to it."
        ));
    }
    for (reason, countries) in select::unvalued_by_reason(&shown) {
        note(
            out,
            &format!(
                "the public cost of the placements avoided in {}: {reason}.",
                countries.join(", ")
            ),
        );
    }
    let suppressed: Vec<&str> = rows
        .iter()
        .filter(|r| r.suppressed)
        .map(|r| r.country.as_str())
        .collect();
    if !suppressed.is_empty() {
        note(
            out,
            &format!(
                "the programme and placement figures of {} (fewer than {} programme families or children in an arm, or withheld so that a small country cannot be recovered from the totals).",
                suppressed.join(", "),
                run.min_cell
            ),
        );
    }
}

fn method(out: &mut String, run: &RunFolder) {
    let s = &run.summary;
    let c = &s.currency;
    section_start(out, "method");
    let schedule = if s.discount_schedule == "green_book" {
        "the declining HM Treasury Green Book schedule (3.5 % for years 1-30)".to_string()
    } else {
        format!("a constant {}", percent1(s.discount_rate))
    };
    para(out, &format!(
        "Present values are discounted at {schedule}; year 1 is {}discounted; inputs are {}discounted. Impact in year 1 is quantity × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution), falling by the drop-off each later year. Follow-up shares carry 95 % Wilson intervals and are weighted for non-response by inverse probability weights; survival is Kaplan-Meier with Greenwood log(-log) intervals and log-rank tests; the income effect is a difference in differences with bootstrap intervals. No figure rests on fewer than {} families (disclosure control).",
        if s.discount_year1 { "" } else { "not " },
        if s.discount_inputs { "" } else { "not " },
        run.min_cell
    ));
    if let Some(o) = &run.manifest.outcome_settings {
        para(out, &format!(
            "A well-being domain counts as doing well at a score of at least {} (scores run from 1 to 4); a family does well overall when it does well in at least {} of the domains assessed at that sitting, and at least that many were assessed.",
            o.well_threshold, o.overall_min_domains
        ));
    }
    let a = &s.assumed;
    if a.parameters.is_empty() {
        para(out, "No parameter rests on an assumption alone.");
    } else {
        let share = |v: f64| {
            if v.is_finite() {
                percent1(v)
            } else {
                "an undefined share".into()
            }
        };
        let mut text = format!(
            "<strong>Assumed figures:</strong> <span id=\"fig-assumed-share\">{}</span> of the total present value ({}) depends on figures graded <code>assumed</code>: for each one, the change in present value if it were set to its neutral value (0 for a quantity, proxy, deadweight, displacement, attribution or drop-off; 1 year for a duration), added within an outcome up to that outcome's whole value.",
            esc(&share(a.share_of_pv)),
            esc(&money(c, a.pv)),
        );
        if let Some(p) = a
            .largest
            .as_ref()
            .and_then(|l| a.by_parameter.iter().find(|p| &p.parameter == l))
        {
            text.push_str(&format!(
                " The most: <code>{}</code>, {} ({}).",
                esc(&p.parameter),
                esc(&money(c, p.pv)),
                esc(&share(p.share_of_pv)),
            ));
        }
        if !a.core_outcomes.is_empty() {
            text.push_str(&format!(
                " Resting on an assumption outright (an assumed quantity or proxy): {}, {} ({}).",
                esc(&a
                    .core_outcomes
                    .iter()
                    .map(|o| outcome_label(o))
                    .collect::<Vec<_>>()
                    .join(", ")),
                esc(&money(c, a.core_pv)),
                esc(&share(a.core_share_of_pv)),
            ));
        }
        let zeros: Vec<&str> = a
            .by_parameter
            .iter()
            .filter(|p| p.pv == 0.0)
            .map(|p| p.parameter.as_str())
            .collect();
        if !zeros.is_empty() {
            text.push_str(&format!(
                " Assumed figures at their neutral value move nothing and carry no value ({}); whether they should be larger is a question for the sensitivity analysis.",
                esc(&zeros.join(", "))
            ));
        }
        out.push_str(&format!("<p class=\"note\" role=\"note\">{text}</p>\n"));
    }
    let rows: Vec<Vec<Cell>> = s
        .parameters
        .iter()
        .map(|p| {
            let assumed = p.evidence == crate::sroi::model::Evidence::Assumed;
            let evidence = if assumed {
                // The share of total PV that depends on this assumption (summary.json
                // `assumed.by_parameter`).
                let pv_share = s
                    .assumed
                    .by_parameter
                    .iter()
                    .find(|b| b.parameter == p.parameter)
                    .filter(|b| b.share_of_pv.is_finite())
                    .map(|b| format!(" <small>({} of PV)</small>", esc(&percent1(b.share_of_pv))))
                    .unwrap_or_default();
                Cell::Html(format!(
                    "<span class=\"flag\">⚠ {}</span>{pv_share}",
                    esc(p.evidence.as_str())
                ))
            } else {
                Cell::Text(p.evidence.as_str().to_string())
            };
            vec![
                Cell::Text(p.parameter.clone()),
                Cell::Num(param_value(&p.parameter, p.base)),
                Cell::Text(match (&p.dist, &p.data) {
                    (_, Some(key)) => format!("data: {key}"),
                    (Some(d), None) => d.clone(),
                    (None, None) => "fixed".into(),
                }),
                Cell::Text(p.source.clone()),
                evidence,
            ]
        })
        .collect();
    // Mark assumed rows for the eye (and for print): rewrite the row tag.
    let mut tbl = String::new();
    table(
        &mut tbl,
        "Every parameter with its source and evidence grade",
        &[
            "Parameter",
            "Base value",
            "Distribution / data",
            "Source",
            "Evidence",
        ],
        &rows,
    );
    let tbl = tbl
        .lines()
        .map(|l| {
            if l.starts_with("<tr>") && l.contains("class=\"flag\"") {
                l.replacen("<tr>", "<tr class=\"assumed\">", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    out.push_str(&tbl);
    out.push('\n');
    if !s.warnings.is_empty() {
        out.push_str("<h3>Warnings from the model check</h3>\n<ul class=\"warnings\">\n");
        for w in &s.warnings {
            out.push_str(&format!("<li>{}</li>\n", esc(w)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn quality(out: &mut String, run: &RunFolder) {
    section_start(out, "quality");
    let q = &run.quality;
    para(out, &format!(
        "Dataset {}: {}. Every row read is either kept or set aside under a named rule; counts only, no identifiers.",
        q.dataset,
        if q.usable { "usable" } else { "not usable" }
    ));
    let rows: Vec<Vec<Cell>> = q
        .tables
        .iter()
        .filter(|(_, t)| t.present)
        .map(|(name, t)| {
            let reasons = t
                .set_aside_by_reason
                .iter()
                .map(|(r, n)| format!("{r}: {}", thousands(*n as f64)))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                Cell::Text(name.clone()),
                Cell::Num(thousands(t.rows_read as f64)),
                Cell::Num(thousands(t.rows_kept as f64)),
                Cell::Num(thousands(t.rows_set_aside as f64)),
                Cell::Text(if reasons.is_empty() {
                    "–".into()
                } else {
                    reasons
                }),
            ]
        })
        .collect();
    table(
        out,
        "Rows read, kept and set aside per table",
        &["Table", "Read", "Kept", "Set aside", "Reasons"],
        &rows,
    );
    let absent: Vec<&str> = q
        .tables
        .iter()
        .filter(|(_, t)| !t.present)
        .map(|(n, _)| n.as_str())
        .collect();
    if !absent.is_empty() {
        para(
            out,
            &format!("Optional tables not in the dataset: {}.", absent.join(", ")),
        );
    }
    if !q.problems.is_empty() {
        let rows: Vec<Vec<Cell>> = q
            .problems
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(p.table.clone()),
                    Cell::Text(p.rule.clone()),
                    Cell::Text(p.severity.clone()),
                    Cell::Num(thousands(p.count as f64)),
                ]
            })
            .collect();
        table(
            out,
            "Problems found by validation",
            &["Table", "Rule", "Severity", "Rows"],
            &rows,
        );
    }
    out.push_str("</section>\n");
}

fn manifest(out: &mut String, run: &RunFolder) {
    section_start(out, "manifest");
    let m = &run.manifest;
    let mut rows = vec![
        vec![
            Cell::Text("Engine".into()),
            Cell::Text(format!("{} {}", m.engine, m.engine_version)),
        ],
        vec![Cell::Text("Command".into()), Cell::Text(m.command.clone())],
        vec![
            Cell::Text("Run finished (UTC)".into()),
            Cell::Text(m.generated_at.clone()),
        ],
        vec![Cell::Text("Dataset".into()), Cell::Text(m.dataset.clone())],
    ];
    let opt =
        |label: &str, v: Option<String>| v.map(|v| vec![Cell::Text(label.into()), Cell::Text(v)]);
    rows.extend(
        [
            opt("Data cutoff", m.data_cutoff.clone()),
            opt("Reporting currency", m.reporting_currency.clone()),
            opt("Price year", m.price_year.map(|y| y.to_string())),
            opt("Model file", m.model_path.clone()),
            opt("Seed", m.seed.map(|s| s.to_string())),
        ]
        .into_iter()
        .flatten(),
    );
    rows.push(vec![
        Cell::Text("Monte Carlo seed".into()),
        Cell::Text(run.summary.monte_carlo.seed.to_string()),
    ]);
    table(out, "Run", &["Item", "Value"], &rows);
    if !m.tables.is_empty() {
        para(
            out,
            "Rows read, kept and set aside per table are in the data-quality section above (the same counts as the manifest's).",
        );
    }
    let inputs: Vec<Vec<Cell>> = m
        .inputs
        .iter()
        .map(|i| {
            vec![
                Cell::Text(i.table.clone()),
                Cell::Text(i.path.clone()),
                Cell::Html(format!("<span class=\"hash\">{}</span>", esc(&i.sha256))),
            ]
        })
        .collect();
    if !inputs.is_empty() {
        let mut t = String::new();
        table(
            &mut t,
            "Input files and their SHA-256 content hashes",
            &["Table", "File", "SHA-256"],
            &inputs,
        );
        out.push_str(&t.replace("<td><span class=\"hash\">", "<td class=\"hash\"><span>"));
    }
    if let Some(model) = &m.model {
        out.push_str("<details>\n<summary>The model file as read</summary>\n<pre>");
        out.push_str(&esc(model));
        out.push_str("</pre>\n</details>\n");
    }
    out.push_str("</section>\n");
}

fn notes(out: &mut String, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    section_start(out, "notes");
    out.push_str("<ul>\n");
    for n in notes {
        out.push_str(&format!("<li>{}</li>\n", esc(n)));
    }
    out.push_str("</ul>\n</section>\n");
}

/// The whole page.
pub fn page(run: &RunFolder, rendered: &Rendered, all_notes: &[String]) -> String {
    let m = &run.manifest;
    let title = format!("Outcomes and social return: {}", m.dataset);
    let mut out = String::with_capacity(1 << 20);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"kinsight {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&m.engine_version),
        esc(&title)
    ));
    out.push_str("<header class=\"top\">\n");
    out.push_str(&format!("<h1>{}</h1>\n", esc(&title)));
    let mut meta = vec![format!(
        "Amounts in {} at {} prices",
        run.summary.currency, run.summary.price_year
    )];
    if let Some(cut) = &m.data_cutoff {
        meta.push(format!("data to {cut}"));
    }
    meta.push(format!(
        "{} families",
        thousands(select::dataset_families(run) as f64)
    ));
    meta.push(format!("kinsight {}", m.engine_version));
    out.push_str(&format!(
        "<p class=\"meta\">{}</p>\n",
        esc(&meta.join(" · "))
    ));
    out.push_str("<nav aria-label=\"Contents\"><ol>\n");
    for (id, heading) in SECTIONS {
        if id == "notes" && all_notes.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "<li><a href=\"#{id}\">{}</a></li>\n",
            esc(heading)
        ));
    }
    out.push_str("</ol></nav>\n</header>\n");
    headline(&mut out, run, rendered);
    outcomes(&mut out, run, rendered);
    staying_together(&mut out, run, rendered);
    income(&mut out, run, rendered);
    sroi(&mut out, run, rendered);
    sensitivity(&mut out, run, rendered);
    cost_of_care(&mut out, run, rendered);
    method(&mut out, run);
    quality(&mut out, run);
    manifest(&mut out, run);
    notes(&mut out, all_notes);
    out.push_str(&format!(
        "<footer>Rendered by kinsight {} from the files in this output folder (manifest.json, quality.json, sroi/, tables/). Figures resting on fewer than {} families are withheld.</footer>\n",
        esc(env!("CARGO_PKG_VERSION")),
        run.min_cell
    ));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
