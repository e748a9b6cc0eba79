//! The method section: discounting and the impact formula, the statistical methods,
//! the doing-well definition the run used, how much of the value rests on figures
//! graded `assumed`, every parameter with its source and evidence grade (assumed rows
//! flagged for the eye and for print), and the model check's warnings.

use crate::charts::labels::{money, percent1};
use crate::sroi::model::Evidence;
use crate::sroi::summary::Summary;

use super::super::folder::RunFolder;
use super::super::html::{esc, para, table, Cell};
use super::super::wording::{outcome_label, param_value};
use super::section_start;

fn method_text(out: &mut String, run: &RunFolder) {
    let s = &run.summary;
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
}

/// How much of the value rests on assumed figures (summary.json `assumed`).
fn assumed_note(out: &mut String, s: &Summary) {
    let c = &s.currency;
    let a = &s.assumed;
    if a.parameters.is_empty() {
        para(out, "No parameter rests on an assumption alone.");
        return;
    }
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

fn parameter_table(out: &mut String, s: &Summary) {
    let rows: Vec<Vec<Cell>> = s
        .parameters
        .iter()
        .map(|p| {
            let evidence = if p.evidence == Evidence::Assumed {
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
}

/// Writes the method section.
pub fn write(out: &mut String, run: &RunFolder) {
    let s = &run.summary;
    section_start(out, "method");
    method_text(out, run);
    assumed_note(out, s);
    parameter_table(out, s);
    if !s.warnings.is_empty() {
        out.push_str("<h3>Warnings from the model check</h3>\n<ul class=\"warnings\">\n");
        for w in &s.warnings {
            out.push_str(&format!("<li>{}</li>\n", esc(w)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::run;
    use crate::sroi::summary::{AssumedParameter, ParameterSummary};

    fn html(run: &RunFolder) -> String {
        let mut out = String::new();
        write(&mut out, run);
        out
    }

    fn parameter(name: &str, evidence: Evidence) -> ParameterSummary {
        ParameterSummary {
            parameter: name.into(),
            base: 0.25,
            dist: None,
            data: None,
            source: "Smith <2020>".into(),
            evidence,
        }
    }

    #[test]
    fn the_method_states_discounting_and_disclosure() {
        let mut r = run();
        r.summary.warnings = vec!["quantity & proxy".into()];
        let out = html(&r);
        assert!(out.contains("<p>Present values are discounted at a constant 3.5 %; year 1 is not discounted; inputs are not discounted."));
        assert!(out.contains("No figure rests on fewer than 10 families (disclosure control).</p>"));
        assert!(out.contains("<p>No parameter rests on an assumption alone.</p>"));
        assert!(!out.contains("A well-being domain"));
        assert!(out.contains(
            "<ul class=\"warnings\">\n<li>quantity &amp; proxy</li>\n</ul>\n</section>\n"
        ));
    }

    #[test]
    fn the_doing_well_definition_is_the_one_the_run_used() {
        let mut r = run();
        r.manifest.outcome_settings = Some(
            serde_json::from_value(serde_json::json!({
                "by": [], "min_cell": 10, "bootstrap_reps": 0, "seed": 1,
                "well_threshold": 4, "overall_min_domains": 5
            }))
            .expect("outcome settings"),
        );
        assert!(html(&r).contains("<p>A well-being domain counts as doing well at a score of at least 4 (scores run from 1 to 4); a family does well overall when it does well in at least 5 of the domains assessed"));
    }

    #[test]
    fn assumed_figures_are_measured_and_flagged() {
        let mut r = run();
        r.summary.discount_schedule = "green_book".into();
        r.summary.parameters = vec![
            parameter("care.attribution", Evidence::Assumed),
            parameter("care.deadweight", Evidence::Published),
        ];
        let a = &mut r.summary.assumed;
        a.parameters = vec!["care.attribution".into()];
        a.pv = 625.0;
        a.share_of_pv = 0.25;
        a.largest = Some("care.attribution".into());
        a.by_parameter = vec![AssumedParameter {
            parameter: "care.attribution".into(),
            outcome: "care".into(),
            base: 0.25,
            neutral: 0.0,
            pv: 625.0,
            share_of_pv: 0.25,
        }];
        let out = html(&r);
        assert!(out.contains("the declining HM Treasury Green Book schedule"));
        assert!(out.contains("<strong>Assumed figures:</strong> <span id=\"fig-assumed-share\">25.0 %</span> of the total present value (EUR 625)"));
        assert!(out.contains(" The most: <code>care.attribution</code>, EUR 625 (25.0 %).</p>"));
        assert!(out.contains("<tr class=\"assumed\"><th scope=\"row\">care.attribution</th><td class=\"num\">25.0 %</td><td>fixed</td><td>Smith &lt;2020&gt;</td><td><span class=\"flag\">⚠ assumed</span> <small>(25.0 % of PV)</small></td></tr>"));
        assert!(out.contains("<tr><th scope=\"row\">care.deadweight</th>"));
    }
}
