//! The cost-of-care section: the cost-of-care chart, the policy reading of the
//! placements avoided (how much care cost they save per unit of programme cost, how it
//! is counted, and why a country has no figure), and the tables of cost per country
//! and of placements avoided.
//!
//! Public reference costs of care are published figures and stay visible for a
//! suppressed country; the programme and placement figures of that country do not.

use crate::charts::labels::{money, per_unit, years};

use super::super::folder::RunFolder;
use super::super::html::{note, num, para, table, Cell};
use super::super::rows::CostRow;
use super::super::select::{cost_horizon, unvalued_by_reason};
use super::cells::{count, withheld, withheld_row};
use super::{chart, section_start, Rendered};

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
    for (reason, countries) in unvalued_by_reason(&shown) {
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

fn cost_table(out: &mut String, c: &str, prices: &str, rows: &[CostRow]) {
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
}

fn avoided_table(out: &mut String, c: &str, prices: &str, within: &str, rows: &[CostRow]) {
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            withheld_row(
                r.country.clone(),
                r.suppressed,
                [
                    count(r.children_programme),
                    r.placements_avoided.map(|v| format!("{v:.1}")),
                    r.cost_per_placement.map(|v| money(c, v)),
                    r.public_cost_avoided.map(|v| money(c, v)),
                    r.public_cost_avoided_per_family.map(|v| money(c, v)),
                    r.cost_avoided_per_cost.map(|v| format!("{v:.2}")),
                ],
            )
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

/// Writes the cost-of-care section.
pub fn write(out: &mut String, run: &RunFolder, rendered: &Rendered) {
    let c = &run.summary.currency;
    let prices = format!("{c}, {} prices", run.summary.price_year);
    section_start(out, "cost-of-care");
    let horizon = run.cost_of_care.as_deref().map_or(5.0, cost_horizon);
    let within = years(horizon);
    chart(out, rendered, "cost_of_care", &format!("Left: programme cost per family-year against the public cost of a child-year in residential and in foster care. Right: programme cost per family against the public cost of the placements avoided within {within} of exit."));
    if let Some(rows) = &run.cost_of_care {
        avoided_lead(out, run, rows, &within);
        cost_table(out, c, &prices, rows);
        if rows.iter().any(|r| r.horizon_years.is_some()) {
            avoided_table(out, c, &prices, &within, rows);
        }
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{cost_row, run};

    fn html(run: &RunFolder, rendered: &Rendered) -> String {
        let mut out = String::new();
        write(&mut out, run, rendered);
        out
    }

    #[test]
    fn a_missing_table_leaves_the_chart_note_only() {
        let mut rendered = Rendered::new();
        rendered.insert("cost_of_care", Err("tables/cost_of_care is missing".into()));
        assert_eq!(
            html(&run(), &rendered),
            "<section id=\"cost-of-care\">\n<h2>Cost of family support and of the care it avoids</h2>\n<p class=\"note\" role=\"note\"><strong>Not shown:</strong> chart cost_of_care: tables/cost_of_care is missing.</p>\n</section>\n"
        );
    }

    #[test]
    fn countries_are_read_and_a_suppressed_one_keeps_only_public_costs() {
        let mut r = run();
        let mut low = cost_row("AL");
        low.cost_avoided_per_cost = Some(0.8);
        let mut hidden = cost_row("BG");
        hidden.families = Some(4321);
        hidden.suppressed = true;
        let mut unvalued = cost_row("MD");
        unvalued.cost_avoided_per_cost = None;
        unvalued.public_cost_avoided = None;
        unvalued.avoided_note = "no comparison arm".into();
        r.cost_of_care = Some(vec![low, cost_row("XK"), hidden, unvalued]);
        let out = html(&r, &Rendered::new());
        assert!(out.contains("are worth EUR 0.80 (AL) to EUR 1.50 (XK) per EUR 1 the programme cost in that country: in 1 of the 2 countries with a figure"));
        assert!(out.contains("<strong>Not shown:</strong> the public cost of the placements avoided in MD: no comparison arm.</p>"));
        assert!(out.contains("<strong>Not shown:</strong> the programme and placement figures of BG (fewer than 10 programme families"));
        assert!(out.contains("<th scope=\"row\">BG</th><td class=\"blank\">suppressed</td><td class=\"blank\">suppressed</td><td class=\"blank\">suppressed</td><td class=\"num\">EUR 30,000</td><td class=\"num\">EUR 12,000</td><td class=\"blank\">suppressed</td>"));
        assert!(!out.contains("4,321"));
        assert!(out.contains("<caption>Placements avoided within 5 years of exit and their public cost (EUR, 2024 prices)</caption>"));
        assert!(out.contains("<th scope=\"col\">Per EUR 1 of programme cost</th>"));
        assert!(out.contains("<th scope=\"row\">XK</th><td class=\"num\">150</td><td class=\"num\">4.5</td><td class=\"num\">EUR 60,000</td><td class=\"num\">EUR 270,000</td><td class=\"num\">EUR 4,500</td><td class=\"num\">1.50</td>"));
    }
}
