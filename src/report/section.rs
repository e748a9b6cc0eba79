//! The sections of `report.html`, one file each, and what they share: the list of
//! sections (anchor and heading, in page order), the section heading and a chart
//! embedded with its caption or the note saying why it is not drawn.
//!
//! Every number is formatted from the structures the folder holds (summary.json and
//! the tables as read by [`super::rows`]), with the same wording helpers the charts use
//! (`charts::labels`, [`super::wording`]), so the page, the charts and the files agree.
//! Key figures carry stable `id`s (`fig-ratio`, `fig-range-low`, ...) so readers and
//! tests can find them. Each section writes `<section id=...>` to `</section>`;
//! [`super::page`] puts them in order.

pub mod adjustment;
mod by_group;
mod cells;
pub mod cost_of_care;
pub mod headline;
pub mod income;
pub mod manifest;
pub mod method;
pub mod notes;
pub mod outcomes;
pub mod quality;
pub mod reintegration;
pub mod sensitivity;
pub mod sroi;
pub mod staying_together;
pub mod whatif;

use std::collections::BTreeMap;

use super::html::{esc, figure, note};

/// The rendered SVG of each chart drawn, or the note saying why it was not.
pub type Rendered = BTreeMap<&'static str, Result<String, String>>;

/// Sections in page order: anchor and heading.
pub const SECTIONS: [(&str, &str); 14] = [
    ("headline", "Headline"),
    ("outcomes", "Key outcomes"),
    ("staying-together", "Staying together"),
    ("reintegration", "Returning home from care"),
    ("income", "Income"),
    ("adjustment", "Comparing like with like"),
    ("sroi", "Social return by outcome and stakeholder"),
    ("sensitivity", "Sensitivity"),
    ("what-if", "What if? Change the assumptions"),
    (
        "cost-of-care",
        "Cost of family support and of the care it avoids",
    ),
    ("method", "Method and assumptions"),
    ("quality", "Data quality"),
    ("manifest", "Manifest"),
    ("notes", "What is not shown"),
];

/// Opens section `id` with its heading from [`SECTIONS`].
fn section_start(out: &mut String, id: &str) {
    let title = SECTIONS
        .iter()
        .find(|(a, _)| *a == id)
        .map_or(id, |(_, t)| t);
    out.push_str(&format!("<section id=\"{id}\">\n<h2>{}</h2>\n", esc(title)));
}

/// Chart `name` as a figure with `caption`, the note saying why it was not drawn, or
/// nothing when it was not rendered at all.
fn chart(out: &mut String, rendered: &Rendered, name: &'static str, caption: &str) {
    match rendered.get(name) {
        Some(Ok(svg)) => figure(out, name, svg, caption),
        Some(Err(why)) => note(out, &format!("chart {name}: {why}.")),
        None => {}
    }
}

/// What a section's `write` gives for `run` when no chart was rendered (unit tests).
#[cfg(test)]
fn without_charts(
    write: fn(&mut String, &super::folder::RunFolder, &Rendered),
    run: &super::folder::RunFolder,
) -> String {
    let mut out = String::new();
    write(&mut out, run, &Rendered::new());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_opens_with_its_heading() {
        let mut out = String::new();
        section_start(&mut out, "cost-of-care");
        assert_eq!(
            out,
            "<section id=\"cost-of-care\">\n<h2>Cost of family support and of the care it avoids</h2>\n"
        );
    }

    #[test]
    fn a_chart_is_a_figure_a_note_or_nothing() {
        let mut rendered = Rendered::new();
        rendered.insert("income", Ok("<svg><title>T</title></svg>".into()));
        rendered.insert("tornado", Err("no parameter".into()));
        let mut out = String::new();
        chart(&mut out, &rendered, "income", "Income & more.");
        assert!(out.starts_with("<figure id=\"chart-income\">"));
        assert!(out.contains("<figcaption>Income &amp; more."));
        let mut out = String::new();
        chart(&mut out, &rendered, "tornado", "Caption");
        assert!(out.contains("<strong>Not shown:</strong> chart tornado: no parameter.</p>"));
        let mut out = String::new();
        chart(&mut out, &rendered, "survival", "Caption");
        assert!(out.is_empty());
    }
}
