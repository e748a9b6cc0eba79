//! The headline section: the lead sentence (the ratio with its range and the chance it
//! exceeds 1, or the net present value when the ratio is unstable), the one sentence of
//! outcomes, the key figures and the fundraiser card.
//!
//! Its figures carry the stable ids readers and tests look for (`fig-ratio`,
//! `fig-range-low`, `fig-range-high`, `fig-prob`, `fig-npv`, ...).

use crate::charts::labels::{money, per_unit, percent, thousands};

use super::super::folder::RunFolder;
use super::super::html::{esc, para};
use super::super::select::{prob_npv_positive, use_npv};
use super::super::wording::outcome_sentence;
use super::{chart, section_start, Rendered};

fn key_figure(out: &mut String, id: &str, value: &str, label: &str) {
    out.push_str(&format!(
        "<li><span class=\"value\" id=\"{id}\">{}</span><span class=\"label\">{}</span></li>\n",
        esc(value),
        esc(label)
    ));
}

/// How much of the value rests on assumed figures, beside the headline (the method
/// section explains how it is counted), as escaped HTML; `None` when the summary holds
/// no finite share.
pub fn assumed_sentence(run: &RunFolder) -> Option<String> {
    let a = &run.summary.assumed;
    if !a.share_of_pv.is_finite() {
        return None;
    }
    Some(if a.parameters.is_empty() {
        "None of this value rests on figures graded <em>assumed</em>.".to_string()
    } else {
        format!(
            "<span id=\"fig-assumed-lead\">{}</span> of this value rests on figures graded <em>assumed</em> (<a href=\"#method\">how this is counted</a>).",
            esc(&percent(a.share_of_pv))
        )
    })
}

/// Writes the headline section.
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
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
            esc(&crate::sroi::monte_carlo::share_of_draws(prob_npv_positive(run), mc.draws)),
        ));
    } else {
        out.push_str(&format!(
            "For every {c} 1 invested, <span id=\"fig-ratio\">{}</span> of social value; 95 % range <span id=\"fig-range-low\">{}</span>–<span id=\"fig-range-high\">{}</span>; probability above 1: <span id=\"fig-prob\">{}</span>.",
            esc(&per_unit(c, s.ratio)),
            esc(&per_unit(c, mc.ratio_p2_5)),
            esc(&format!("{:.2}", mc.ratio_p97_5)),
            esc(&crate::sroi::monte_carlo::share_of_draws(mc.prob_ratio_gt_1, mc.draws)),
            c = esc(c),
        ));
    }
    out.push_str("</p>\n");
    para(out, &outcome_sentence(run));
    if let Some(text) = assumed_sentence(run) {
        out.push_str(&format!("<p class=\"assumed-lead\">{text}</p>\n"));
    }
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
        "Fundraiser card: the ratio with its range and the chance it exceeds 1 (not drawn on narrow screens, where its text would be too small; the same figures are above, and card.html is the card to print).",
    );
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::without_charts;
    use super::*;
    use crate::report::fixture::run;

    #[test]
    fn the_lead_quotes_the_ratio_its_range_and_probability() {
        let mut r = run();
        r.summary.payback_months = Some(17.6);
        let out = without_charts(write, &r);
        assert!(out.starts_with("<section id=\"headline\">\n<h2>Headline</h2>\n"));
        assert!(out.contains("For every EUR 1 invested, <span id=\"fig-ratio\">EUR 2.50</span> of social value; 95 % range <span id=\"fig-range-low\">EUR 1.50</span>–<span id=\"fig-range-high\">3.50</span>; probability above 1: <span id=\"fig-prob\">97 %</span>."));
        assert!(out.contains("<span class=\"value\" id=\"fig-inputs\">EUR 1,000</span>"));
        assert!(out.contains("id=\"fig-ratio-plain\">2.50 : 1</span>"));
        assert!(out.contains("id=\"fig-payback\">18 months</span>"));
        assert!(out.contains("percentile of 1,000 Monte Carlo draws (seed 42)."));
        assert!(out.contains("<p>Outcomes are in the tables of this report.</p>\n<p class=\"assumed-lead\">None of this value rests on figures graded <em>assumed</em>.</p>"));
        r.summary.assumed.share_of_pv = 0.243;
        r.summary.assumed.parameters = vec!["care.proxy".into()];
        assert!(without_charts(write, &r).contains("<span id=\"fig-assumed-lead\">24 %</span> of this value rests on figures graded <em>assumed</em>"));
        assert!(out.ends_with("</ul>\n<p>Amounts are real, in EUR at 2024 prices. The range is the 2.5th to 97.5th percentile of 1,000 Monte Carlo draws (seed 42).</p>\n</section>\n"));
    }

    #[test]
    fn an_unstable_ratio_leads_with_the_npv() {
        let mut r = run();
        r.summary.monte_carlo.ratio_unstable = true;
        let out = without_charts(write, &r);
        assert!(out.contains("net present value): <span id=\"fig-npv-lead\">EUR 1,500</span>; 95 % range <span id=\"fig-range-low\">EUR 500</span> to <span id=\"fig-range-high\">EUR 2,500</span>"));
        assert!(!out.contains("fig-ratio"));
        assert!(!out.contains("fig-payback"));
    }
}
