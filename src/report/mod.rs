//! The report: every chart as SVG and PNG, and one self-contained `report.html`.
//!
//! [`render`] reads only files under an existing output folder (the manifest, the
//! quality accounting, the SROI summary and draws, the result tables), so
//! `kinsight report --out DIR` re-renders without recomputing anything. The page inlines
//! each chart's SVG, its own style sheet and its one script (the what-if panel) and
//! loads nothing from elsewhere (no scripts, fonts or images), so it can be mailed,
//! opened offline, read on a phone and printed to PDF. Optional tables that are missing leave a visible note where their
//! chart or section would be, never an error; disclosure control is enforced when the
//! tables are read, so a suppressed cell can reach neither a chart nor the page.
//!
//! | file | content |
//! |---|---|
//! | `charts/<name>.svg`, `.png` | [`CHART_NAMES`], 1600 px wide and more |
//! | `report.html` | headline, outcomes, staying together, returning home from care, income, comparing like with like (when the comparison arm was adjusted), SROI, sensitivity, what if, cost of care, method and assumptions, data quality, manifest |
//! | `card.html` | the one-page fundraiser card (A4 or Letter): ratio, range, the two key outcome figures, source |

mod card;
mod error;
#[cfg(test)]
mod fixture;
mod folder;
mod html;
mod page;
mod rows;
mod section;
mod select;
mod views;
mod wording;

use std::path::Path;

pub use error::ReportError;
pub use folder::RunFolder;
pub use html::esc;

use crate::charts::{write_chart_files, Chart};
use crate::output::write_atomic;
use page::Rendered;

/// Every chart the report draws, by file stem.
pub const CHART_NAMES: [&str; 12] = [
    "headline",
    "followup_domains",
    "score_change",
    "survival",
    "reintegration",
    "income",
    "propensity_overlap",
    "sroi_waterfall",
    "sroi_distribution",
    "acceptability",
    "tornado",
    "cost_of_care",
];

/// What [`render`] wrote and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderSummary {
    /// Files written, relative to the output folder (`charts/survival.svg`, ...,
    /// `report.html`, `card.html` last).
    pub files: Vec<String>,
    /// Charts drawn, by file stem.
    pub charts: Vec<String>,
    /// Why a chart or section was left out or drawn from a fallback; each note is also
    /// shown in the report.
    pub notes: Vec<String>,
}

/// Draws one chart's files (or removes a stale pair when the chart is skipped) and keeps
/// its SVG for the page.
fn emit<C: Chart>(
    out: &Path,
    name: &'static str,
    view: Result<C, String>,
    rendered: &mut Rendered,
    summary: &mut RenderSummary,
) -> Result<(), ReportError> {
    let dir = out.join("charts");
    match view {
        Ok(chart) => {
            let files =
                write_chart_files(&dir, name, &chart).map_err(|source| ReportError::Chart {
                    chart: name,
                    source,
                })?;
            let svg = std::fs::read_to_string(&files.svg).map_err(|source| ReportError::Read {
                path: files.svg.clone(),
                source,
            })?;
            summary.files.push(format!("charts/{name}.svg"));
            summary.files.push(format!("charts/{name}.png"));
            summary.charts.push(name.to_string());
            rendered.insert(name, Ok(svg));
        }
        Err(why) => {
            remove_stale(out, name)?;
            summary
                .notes
                .push(format!("Chart {name} not drawn: {why}."));
            rendered.insert(name, Err(why));
        }
    }
    Ok(())
}

/// Removes the files of chart `name` left by an earlier render: they would no longer
/// match the tables.
fn remove_stale(out: &Path, name: &str) -> Result<(), ReportError> {
    for ext in ["svg", "png"] {
        let stale = out.join("charts").join(format!("{name}.{ext}"));
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ReportError::Write {
                    path: stale,
                    message: format!("cannot remove the out-of-date chart ({e})"),
                })
            }
        }
    }
    Ok(())
}

/// Renders every chart into `out/charts/` and writes `out/report.html`, reading only
/// files under `out` (see the module documentation for what is read).
///
/// Rendering twice from the same files gives byte-identical output.
///
/// # Errors
/// [`ReportError::Missing`] (exit code 3) naming a required file that is not there,
/// [`ReportError::Read`] / [`ReportError::Write`] (3) for I/O failures,
/// [`ReportError::Parse`] / [`ReportError::Table`] (1) for files with unexpected
/// content, [`ReportError::Chart`] (1) when a chart cannot be drawn from them.
pub fn render(out: &Path) -> Result<RenderSummary, ReportError> {
    let run = RunFolder::load(out)?;
    let v = views::build(&run);
    let mut summary = RenderSummary {
        files: Vec::new(),
        charts: Vec::new(),
        notes: Vec::new(),
    };
    let mut rendered = Rendered::new();
    emit(out, "headline", v.headline, &mut rendered, &mut summary)?;
    emit(
        out,
        "followup_domains",
        v.followup,
        &mut rendered,
        &mut summary,
    )?;
    emit(
        out,
        "score_change",
        v.score_change,
        &mut rendered,
        &mut summary,
    )?;
    emit(out, "survival", v.survival, &mut rendered, &mut summary)?;
    emit(
        out,
        "reintegration",
        v.reintegration,
        &mut rendered,
        &mut summary,
    )?;
    emit(out, "income", v.income, &mut rendered, &mut summary)?;
    // A run without a comparison arm has no propensity to draw: nothing to note.
    if run.summary.adjustment.is_some() || v.overlap.is_ok() {
        emit(
            out,
            "propensity_overlap",
            v.overlap,
            &mut rendered,
            &mut summary,
        )?;
    } else {
        remove_stale(out, "propensity_overlap")?;
    }
    emit(
        out,
        "sroi_waterfall",
        v.waterfall,
        &mut rendered,
        &mut summary,
    )?;
    emit(
        out,
        "sroi_distribution",
        v.distribution,
        &mut rendered,
        &mut summary,
    )?;
    emit(
        out,
        "acceptability",
        v.acceptability,
        &mut rendered,
        &mut summary,
    )?;
    emit(out, "tornado", v.tornado, &mut rendered, &mut summary)?;
    emit(
        out,
        "cost_of_care",
        v.cost_of_care,
        &mut rendered,
        &mut summary,
    )?;
    summary.notes.extend(v.notes);
    for m in &run.missing {
        if !summary.notes.iter().any(|n| n.contains(m.as_str())) {
            summary
                .notes
                .push(format!("{m} is missing from the output folder."));
        }
    }
    let html = page::page(&run, &rendered, &summary.notes);
    let path = out.join("report.html");
    write_atomic(&path, html.as_bytes()).map_err(|e| ReportError::Write {
        path: path.clone(),
        message: e.to_string(),
    })?;
    summary.files.push("report.html".to_string());
    let path = out.join("card.html");
    write_atomic(&path, card::card(&run).as_bytes()).map_err(|e| ReportError::Write {
        path: path.clone(),
        message: e.to_string(),
    })?;
    summary.files.push("card.html".to_string());
    Ok(summary)
}
