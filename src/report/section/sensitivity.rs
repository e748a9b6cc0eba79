//! The sensitivity section: the Monte Carlo results in words (the NPV when the ratio is
//! unstable), the value of perfect information, the distribution, acceptability and
//! tornado charts, and the one-way, threshold and two-way tables.
//!
//! A ratio that is not finite (inputs near zero in a draw) is printed as a dash.

use crate::charts::labels::{money, thousands};

use super::super::folder::RunFolder;
use super::super::html::{num, para, table, Cell};
use super::super::select::use_npv;
use super::super::wording::param_value;
use super::{chart, section_start, Rendered};

/// A ratio to two decimals, or a dash when it is not finite.
fn ratio_cell(r: f64) -> Cell {
    num(r.is_finite().then(|| format!("{r:.2}")))
}

fn monte_carlo_text(out: &mut String, run: &RunFolder) {
    let s = &run.summary;
    let mc = &s.monte_carlo;
    let c = &s.currency;
    if use_npv(run) {
        para(out, &format!(
            "In {} joint draws of every uncertain parameter, the net present value has median {} and 95 % range {} to {}. The ratio is not summarised because inputs can be near zero or negative in some draws ({} draws with an undefined ratio).",
            thousands(mc.draws as f64), money(c, mc.npv_p50), money(c, mc.npv_p2_5), money(c, mc.npv_p97_5), mc.ratio_undefined_draws
        ));
    } else {
        para(out, &format!(
            "In {} joint draws of every uncertain parameter (seed {}), the ratio has mean {:.2}, median {:.2} and 95 % range {:.2} to {:.2}; the probability that it exceeds 1 is {}. The net present value ranges from {} to {}.",
            thousands(mc.draws as f64), mc.seed, mc.ratio_mean, mc.ratio_p50, mc.ratio_p2_5, mc.ratio_p97_5, crate::sroi::monte_carlo::share_of_draws(mc.prob_ratio_gt_1, mc.draws), money(c, mc.npv_p2_5), money(c, mc.npv_p97_5)
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
}

fn one_way_table(out: &mut String, run: &RunFolder) {
    let rows: Vec<Vec<Cell>> = run
        .summary
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
                ratio_cell(o.ratio_low),
                ratio_cell(o.ratio_high),
                ratio_cell(o.swing),
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
}

/// The value at which the ratio falls to 1, in words when it lies outside what the
/// parameter can be: below zero (the ratio stays above 1 even at zero) or, for a rate,
/// above 100 % (the ratio stays above 1 even at 100 %). A bare "-1,234" would read as a
/// figure to compare with the base value.
fn threshold_cell(parameter: &str, v: f64) -> Cell {
    let rate = matches!(
        parameter.rsplit('.').next(),
        Some("deadweight" | "displacement" | "attribution" | "dropoff")
    );
    if !v.is_finite() {
        num(None)
    } else if v < 0.0 {
        Cell::Text(format!(
            "{} (below zero: the ratio stays above 1 even if this were zero)",
            param_value(parameter, v)
        ))
    } else if rate && v > 1.0 {
        Cell::Text(format!(
            "{} (above 100 %: the ratio stays above 1 even at 100 %)",
            param_value(parameter, v)
        ))
    } else {
        Cell::Num(param_value(parameter, v))
    }
}

fn thresholds_table(out: &mut String, run: &RunFolder) {
    let rows: Vec<Vec<Cell>> = run
        .summary
        .thresholds
        .iter()
        .map(|t| {
            vec![
                Cell::Text(t.parameter.clone()),
                Cell::Num(param_value(&t.parameter, t.base)),
                threshold_cell(&t.parameter, t.value_at_ratio_1),
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
}

fn two_way_table(out: &mut String, run: &RunFolder) {
    let Some(tw) = &run.summary.two_way else {
        return;
    };
    let mut header = vec![format!("{} \\ {}", tw.y, tw.x)];
    header.extend(tw.x_values.iter().map(|x| param_value(&tw.x, *x)));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<Cell>> = tw
        .y_values
        .iter()
        .zip(&tw.ratio)
        .map(|(y, row)| {
            let mut cells = vec![Cell::Text(param_value(&tw.y, *y))];
            cells.extend(row.iter().map(|r| ratio_cell(*r)));
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

/// Writes the sensitivity section.
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    section_start(out, "sensitivity");
    monte_carlo_text(out, run);
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
    one_way_table(out, run);
    thresholds_table(out, run);
    two_way_table(out, run);
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::without_charts;
    use super::*;
    use crate::report::fixture::run;
    use crate::sroi::sensitivity::{OneWay, Threshold, TwoWay};

    #[test]
    fn the_draws_are_summarised_in_words() {
        let mut r = run();
        let out = without_charts(write, &r);
        assert!(out.contains("<p>In 1,000 joint draws of every uncertain parameter (seed 42), the ratio has mean 2.40, median 2.40 and 95 % range 1.50 to 3.50; the probability that it exceeds 1 is 97 %. The net present value ranges from EUR 500 to EUR 2,500.</p>"));
        assert!(out.contains("<p>No parameter reaches a ratio of 1 within its range.</p>"));
        assert!(!out.contains("bootstrap replicates"));
        r.summary.monte_carlo.ratio_unstable = true;
        r.summary.monte_carlo.replicates = 2000;
        r.summary.monte_carlo.data_keys_fixed = vec!["care.quantity".into()];
        let out = without_charts(write, &r);
        assert!(out.contains(
            "the net present value has median EUR 1,400 and 95 % range EUR 500 to EUR 2,500."
        ));
        assert!(out.contains("one of 2,000 bootstrap replicates"));
        assert!(out.contains("(no bootstrap replicate): care.quantity.</p>"));
    }

    #[test]
    fn tables_format_parameters_and_blank_undefined_ratios() {
        let mut r = run();
        r.summary.one_way = vec![OneWay {
            parameter: "care.attribution".into(),
            label: "Attribution, care".into(),
            base: 0.25,
            low: 0.1,
            high: 0.4,
            ratio_low: 3.0,
            ratio_high: f64::INFINITY,
            swing: f64::NAN,
        }];
        r.summary.thresholds = vec![Threshold {
            parameter: "care.proxy".into(),
            value_at_ratio_1: 445.774,
            base: 10854.2,
            method: "closed_form".into(),
        }];
        r.summary.two_way = Some(TwoWay {
            x: "care.deadweight".into(),
            y: "care.quantity".into(),
            x_values: vec![0.1, 0.2],
            y_values: vec![15.435],
            ratio: vec![vec![2.0, f64::NAN]],
        });
        let out = without_charts(write, &r);
        assert!(out.contains("<th scope=\"row\">Attribution, care</th><td class=\"num\">25.0 %</td><td class=\"num\">10.0 % to 40.0 %</td><td class=\"num\">3.00</td><td class=\"blank\">–</td><td class=\"blank\">–</td>"));
        assert!(out.contains("<th scope=\"row\">care.proxy</th><td class=\"num\">10,854</td><td class=\"num\">446</td>"));
        assert!(
            matches!(threshold_cell("care.quantity", -12.5), Cell::Text(s) if s == "-12.5 (below zero: the ratio stays above 1 even if this were zero)")
        );
        assert!(
            matches!(threshold_cell("care.deadweight", 1.25), Cell::Text(s) if s == "125.0 % (above 100 %: the ratio stays above 1 even at 100 %)")
        );
        assert!(matches!(threshold_cell("care.proxy", 1.25), Cell::Num(s) if s == "1.25"));
        assert!(matches!(
            threshold_cell("care.proxy", f64::NAN),
            Cell::Blank(_)
        ));
        assert!(out.contains(
            "<th scope=\"col\">care.quantity \\ care.deadweight</th><th scope=\"col\">10.0 %</th>"
        ));
        assert!(out.contains(
            "<th scope=\"row\">15.44</th><td class=\"num\">2.00</td><td class=\"blank\">–</td>"
        ));
    }
}
