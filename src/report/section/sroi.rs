//! The SROI section: the value of each outcome against the inputs (the waterfall
//! chart), the impact map with every outcome's quantity, proxy and discounts, what each
//! outcome's indicator counts, the value by stakeholder, and the totals in one sentence.

use crate::charts::labels::{humanise, money, percent1};

use super::super::folder::RunFolder;
use super::super::html::{esc, num, para, table, Cell};
use super::super::wording::{outcome_label, param_value};
use super::{chart, section_start, Rendered};

/// Writes the SROI section.
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
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
                Cell::Text(humanise(&o.stakeholder)),
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
                Cell::Text(humanise(&t.stakeholder)),
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

#[cfg(test)]
mod tests {
    use super::super::without_charts;
    use super::*;
    use crate::report::fixture::run;
    use crate::sroi::summary::{OutcomeSummary, StakeholderTotal};

    #[test]
    fn the_impact_map_shows_each_outcome_and_the_totals() {
        let mut r = run();
        r.summary.outcomes = vec![OutcomeSummary {
            id: "avoided_care".into(),
            stakeholder: "state".into(),
            quantity: 15.435,
            proxy: 10854.2,
            duration: 5,
            flows: "model".into(),
            deadweight: 0.2,
            displacement: 0.0,
            attribution: 0.25,
            dropoff: 0.1,
            impact_year1: 100_503.0,
            pv: 2000.0,
            indicator: "Children <not> placed".into(),
            impacts: vec![],
        }];
        r.summary.by_stakeholder = vec![StakeholderTotal {
            stakeholder: "state".into(),
            pv: 2000.0,
            share: f64::NAN,
        }];
        let out = without_charts(write, &r);
        assert!(out.contains("<caption>Impact map: value by outcome (EUR, 2024 prices)</caption>"));
        assert!(out.contains("<th scope=\"row\">Avoided care</th><td>State</td><td class=\"num\">EUR 2,000</td><td class=\"num\">80.0 %</td><td class=\"num\">15.44</td><td class=\"num\">EUR 10,854</td><td class=\"num\">5</td><td class=\"num\">20.0 %</td>"));
        assert!(out.contains("<dt>Avoided care</dt><dd>Children &lt;not&gt; placed</dd>"));
        assert!(out.contains("<th scope=\"row\">State</th><td class=\"num\">EUR 2,000</td><td class=\"blank\">–</td>"));
        assert!(out.contains("<th scope=\"row\">Total</th><td class=\"num\">EUR 2,500</td><td class=\"num\">100.0 %</td>"));
        assert!(out.contains("<p>Inputs EUR 1,000; total present value EUR 2,500; net present value EUR 1,500; SROI ratio 2.50 : 1; net ratio 1.50.</p>"));
    }

    #[test]
    fn a_zero_total_has_no_shares() {
        let mut r = run();
        r.summary.pv_total = 0.0;
        assert!(without_charts(write, &r).contains(
            "<th scope=\"row\">Total</th><td class=\"num\">EUR 0</td><td class=\"blank\">–</td>"
        ));
    }
}
