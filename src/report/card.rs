//! `card.html`: the one-page fundraiser card. The headline figure (the ratio, or the net
//! present value when the ratio is unstable) with its 95 % range and the chance it
//! exceeds break-even, the share resting on assumed figures, the two key outcome figures
//! with the comparison arm's beside them, and the source line.
//!
//! It is written for paper first: text (no chart, so nothing shrinks to 5 px on a
//! phone), sized in millimetres and points to fit one page of either A4 or US Letter
//! (the narrower width of A4 and the shorter height of Letter), and self-contained like
//! the report (inline style, no script, nothing loaded). Figures are the report's, with
//! the same selectors ([`super::select`]) and the same rounding ([`crate::charts::labels`]),
//! so the card and the page never disagree; each carries a stable id (`card-ratio`,
//! `card-range-low`, ...).

use crate::charts::labels::{money, percent, ratio_value, thousands};

use super::folder::RunFolder;
use super::html::esc;
use super::section::headline::assumed_sentence;
use super::select::{dataset_families, key_followup, key_survival, prob_npv_positive, use_npv};
use super::wording::{comparison_words, followup_words, survival_words};

/// The card's style sheet: one page of A4 or Letter (content at most 182 mm wide and
/// about 170 mm high inside 14 mm margins), readable on a phone.
const STYLE: &str = r#"
@page { margin: 14mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: #212121; background: #fff; font: 13pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 182mm; margin: 0 auto; padding: 6mm 4mm; border-left: 3mm solid #0072B2; padding-left: 8mm; }
.kicker { color: #5f5f5f; font-size: 10pt; font-weight: 600; margin: 0 0 4mm; }
h1 { font-size: 24pt; margin: 0; }
.big { font-size: 72pt; line-height: 1.05; font-weight: 700; color: #0072B2; margin: 1mm 0; font-variant-numeric: tabular-nums; }
.of { font-size: 16pt; font-weight: 600; margin: 0 0 4mm; }
.range { font-size: 15pt; margin: 0 0 2mm; }
.assumed { color: #5f5f5f; font-size: 10.5pt; margin: 0 0 6mm; }
ul { list-style: none; padding: 0; margin: 0 0 6mm; display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
li { border: 1px solid #d9d9d9; border-radius: 2mm; padding: 3mm 4mm; break-inside: avoid; }
li .value { display: block; font-size: 34pt; font-weight: 700; font-variant-numeric: tabular-nums; }
li .what { display: block; }
li .comparison { display: block; color: #D55E00; font-weight: 600; margin-top: 1mm; }
.source { color: #5f5f5f; font-size: 9pt; border-top: 1px solid #d9d9d9; padding-top: 2mm; margin: 0; }
@media (max-width: 480px) {
  main { padding-left: 4mm; }
  .big { font-size: 44pt; }
  h1 { font-size: 18pt; }
  ul { grid-template-columns: 1fr; }
}
"#;

/// One key outcome figure as a list item.
fn key_item(out: &mut String, id: &str, share: f64, what: &str, comparison: Option<String>) {
    out.push_str(&format!(
        "<li><span class=\"value\" id=\"{id}\">{}</span><span class=\"what\">{}</span>",
        esc(&percent(share)),
        esc(what)
    ));
    if let Some(c) = comparison {
        out.push_str(&format!(
            "<span class=\"comparison\" id=\"{id}-comparison\">{}</span>",
            esc(&c)
        ));
    }
    out.push_str("</li>\n");
}

/// The whole card.
pub fn card(run: &RunFolder) -> String {
    let s = &run.summary;
    let mc = &s.monte_carlo;
    let m = &run.manifest;
    let c = &s.currency;
    let mut out = String::with_capacity(8 << 10);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"kinsight {}\">\n<title>Social return: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&m.engine_version),
        esc(&m.dataset)
    ));
    out.push_str(&format!("<p class=\"kicker\">{}</p>\n", esc(&m.dataset)));
    if use_npv(run) {
        out.push_str("<h1>Social value minus cost</h1>\n");
        out.push_str(&format!(
            "<p class=\"big\" id=\"card-npv\">{}</p>\n<p class=\"of\">net present value</p>\n",
            esc(&money(c, s.npv))
        ));
        out.push_str(&format!(
            "<p class=\"range\">95 % range <span id=\"card-range-low\">{}</span> to <span id=\"card-range-high\">{}</span>; probability that the value exceeds the cost: <span id=\"card-prob\">{}</span></p>\n",
            esc(&money(c, mc.npv_p2_5)),
            esc(&money(c, mc.npv_p97_5)),
            esc(&crate::sroi::monte_carlo::share_of_draws(prob_npv_positive(run), mc.draws))
        ));
    } else {
        out.push_str(&format!("<h1>For every {} 1 invested</h1>\n", esc(c)));
        out.push_str(&format!(
            "<p class=\"big\" id=\"card-ratio\">{} {}</p>\n<p class=\"of\">of social value</p>\n",
            esc(c),
            esc(&ratio_value(s.ratio))
        ));
        out.push_str(&format!(
            "<p class=\"range\">95 % range {c} <span id=\"card-range-low\">{}</span>–<span id=\"card-range-high\">{}</span>; probability above {c} 1: <span id=\"card-prob\">{}</span></p>\n",
            esc(&ratio_value(mc.ratio_p2_5)),
            esc(&ratio_value(mc.ratio_p97_5)),
            esc(&crate::sroi::monte_carlo::share_of_draws(mc.prob_ratio_gt_1, mc.draws)),
            c = esc(c)
        ));
    }
    if let Some(text) = assumed_sentence(run) {
        // The card stands alone: the link to the method section is the report's.
        let text = text
            .replace(" (<a href=\"#method\">how this is counted</a>)", "")
            .replace("fig-assumed-lead", "card-assumed");
        out.push_str(&format!("<p class=\"assumed\">{text}</p>\n"));
    }
    let followup = key_followup(run);
    let survival = key_survival(run);
    if followup.is_some() || survival.is_some() {
        out.push_str("<ul>\n");
        if let Some(f) = &survival {
            key_item(
                &mut out,
                "card-survival",
                f.share,
                &survival_words(run, f),
                comparison_words(f),
            );
        }
        if let Some(f) = &followup {
            key_item(
                &mut out,
                "card-followup",
                f.share,
                &followup_words(f),
                comparison_words(f),
            );
        }
        out.push_str("</ul>\n");
    }
    let mut source = vec![format!(
        "Source: {}, {} families",
        m.dataset,
        thousands(dataset_families(run) as f64)
    )];
    if let Some(cut) = &m.data_cutoff {
        source.push(format!("data to {cut}"));
    }
    source.push(format!(
        "amounts real, {c} at {} prices; range from {} Monte Carlo draws (seed {})",
        s.price_year,
        thousands(mc.draws as f64),
        mc.seed
    ));
    source.push(format!(
        "kinsight {}; method, assumptions and data quality in report.html",
        m.engine_version
    ));
    out.push_str(&format!(
        "<p class=\"source\" id=\"card-source\">{}.</p>\n</main>\n</body>\n</html>\n",
        esc(&source.join("; "))
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{curve_row, followup_row, run, survival_year_row};
    use crate::report::select::ALL;

    #[test]
    fn the_card_quotes_the_report_s_figures() {
        let mut r = run();
        r.followup = vec![followup_row(ALL, "overall", 2, Some(0.61))];
        r.curve = vec![
            curve_row("arm=programme", "child", 0, Some(1.0)),
            curve_row("arm=comparison", "child", 0, Some(1.0)),
        ];
        r.survival_years = vec![
            survival_year_row("arm=programme", "child", 3, Some(0.968), false),
            survival_year_row("arm=comparison", "child", 3, Some(0.891), false),
        ];
        r.summary.assumed.share_of_pv = 0.243;
        r.summary.assumed.parameters = vec!["care.proxy".into()];
        let html = card(&r);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<h1>For every EUR 1 invested</h1>"));
        assert!(html.contains("<p class=\"big\" id=\"card-ratio\">EUR 2.50</p>"));
        assert!(html.contains("95 % range EUR <span id=\"card-range-low\">1.50</span>–<span id=\"card-range-high\">3.50</span>; probability above EUR 1: <span id=\"card-prob\">97 %</span>"));
        assert!(html.contains("<span id=\"card-assumed\">24 %</span> of this value rests on figures graded <em>assumed</em>.</p>"));
        assert!(html.contains("<span class=\"value\" id=\"card-survival\">97 %</span><span class=\"what\">of children were still living in family care 3 years later</span><span class=\"comparison\" id=\"card-survival-comparison\">89 % in comparison families</span>"));
        assert!(html.contains("<span class=\"value\" id=\"card-followup\">61 %</span><span class=\"what\">of families were doing well 2 years after the programme</span></li>"));
        assert!(html.contains("Source: Test dataset, 0 families; amounts real, EUR at 2024 prices; range from 1,000 Monte Carlo draws (seed 42); kinsight 9.9.9; method, assumptions and data quality in report.html."));
        assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"));
    }

    #[test]
    fn an_unstable_ratio_leads_with_the_npv() {
        let mut r = run();
        r.summary.monte_carlo.ratio_unstable = true;
        let html = card(&r);
        assert!(html.contains("<p class=\"big\" id=\"card-npv\">EUR 1,500</p>"));
        assert!(html.contains("<span id=\"card-range-low\">EUR 500</span> to <span id=\"card-range-high\">EUR 2,500</span>"));
        assert!(!html.contains("card-ratio"));
        assert!(!html.contains("<ul>"), "no outcome figures in the tables");
    }
}
