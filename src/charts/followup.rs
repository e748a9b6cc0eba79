//! The follow-up chart: share of families doing well in each well-being domain, 1-5
//! years after they left the programme, one small panel per domain.
//!
//! Small multiples (not nine lines in one plot) because the eight domains plus `overall`
//! overlap heavily and each needs its interval band. The attrition-corrected (weighted)
//! estimate is the strong line with its 95 % band; the unweighted estimate is a faint
//! dashed line for comparison. When a domain has no weighted estimate (the non-response
//! model could not be fitted) its unweighted estimate becomes the strong line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{Dashes, HouseStyle};
use super::error::fraction;
use super::frame::{
    anchored, draw_too_few, size, LegendItem, Page, Scale, SourceLine, Subtitle, Swatch,
};
use super::interval::{draw_intervals, draw_trace, Estimate, Line, LoneInterval, Trace};
use super::labels::{domain_label, percent};
use super::palette::{INK, MUTED, NEUTRAL, PROGRAMME};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "followup_domains";

/// One year's share of families doing well (shares are fractions 0..1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SharePoint {
    /// Follow-up year, 1..5.
    pub year: u32,
    /// Share doing well; `None` when not estimable.
    pub share: Option<f64>,
    /// Lower end of the 95 % interval.
    pub low: Option<f64>,
    /// Upper end of the 95 % interval.
    pub high: Option<f64>,
    /// True when the cell rests on too few families: it is never drawn.
    pub suppressed: bool,
}

impl SharePoint {
    /// The share and its interval as they may be drawn, at the year.
    fn estimate(&self) -> Estimate {
        Estimate::new(
            f64::from(self.year),
            self.share,
            self.low,
            self.high,
            self.suppressed,
        )
    }
}

/// One domain's estimates over the follow-up years, weighted or unweighted.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowupSeries {
    /// Domain code as in the tables (`care`, `food_security`, ..., `overall`).
    pub domain: String,
    /// True for the attrition-corrected (inverse-probability-weighted) estimate.
    pub weighted: bool,
    /// One point per follow-up year.
    pub points: Vec<SharePoint>,
}

impl FollowupSeries {
    fn has_visible(&self) -> bool {
        self.points.iter().any(|p| p.estimate().value.is_some())
    }
}

/// Input of [`draw_followup_domains`].
#[derive(Debug, Clone, PartialEq)]
pub struct FollowupChart {
    /// Title; `None` gives "Share of families doing well, 1-5 years after the programme".
    pub title: Option<String>,
    /// Optional line under the title (group shown, weighting notes).
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Disclosure threshold, quoted when cells are suppressed.
    pub min_cell: u32,
    /// Up to two series per domain (weighted and unweighted), any order.
    pub series: Vec<FollowupSeries>,
}

/// The series shown in one panel.
struct Panel<'a> {
    domain: &'a str,
    main: Option<&'a FollowupSeries>,
    faint: Option<&'a FollowupSeries>,
}

impl FollowupChart {
    fn check(&self) -> Result<(), ChartError> {
        for (i, series) in self.series.iter().enumerate() {
            for (j, p) in series.points.iter().enumerate() {
                let field =
                    |name: &str| format!("series[{i}] ({}) points[{j}].{name}", series.domain);
                for (name, value) in [("share", p.share), ("low", p.low), ("high", p.high)] {
                    if let Some(v) = value {
                        fraction(
                            CHART,
                            || field(name),
                            v,
                            "shares must be fractions between 0 and 1",
                        )?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Panels in display order: `overall` first, then domains as they first appear.
    fn panels(&self) -> Vec<Panel<'_>> {
        let mut domains: Vec<&str> = Vec::new();
        for s in &self.series {
            if !domains.contains(&s.domain.as_str()) {
                domains.push(&s.domain);
            }
        }
        domains.sort_by_key(|d| *d != "overall");
        domains
            .into_iter()
            .map(|domain| {
                let find = |weighted: bool| {
                    self.series
                        .iter()
                        .find(|s| s.domain == domain && s.weighted == weighted)
                };
                let (w, u) = (find(true), find(false));
                match w.filter(|w| w.has_visible()) {
                    Some(w) => Panel {
                        domain,
                        main: Some(w),
                        faint: u,
                    },
                    None => Panel {
                        domain,
                        main: u,
                        faint: None,
                    },
                }
            })
            .collect()
    }
}

impl Chart for FollowupChart {
    fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| {
            "Share of families doing well, 1-5 years after the programme".to_string()
        })
    }

    /// 1600 x 1200 for up to nine panels (three rows); 300 px more per extra row.
    fn size(&self) -> (u32, u32) {
        let (_, rows) = grid_shape(self.panels().len());
        (1600, 300 + 300 * rows.max(3) as u32)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_followup_domains(root, self)
    }
}

/// Draws the follow-up chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for a non-finite share or
/// one outside 0..1; [`ChartError::Drawing`] when the backend fails.
pub fn draw_followup_domains<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &FollowupChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let panels = data.panels();
    let any_weighted = panels.iter().any(|p| p.main.is_some_and(|m| m.weighted));
    let any_suppressed = data
        .series
        .iter()
        .any(|s| s.points.iter().any(|p| p.suppressed));

    let legend = if any_weighted {
        vec![
            LegendItem::new("Weighted for non-response", Swatch::Line(PROGRAMME, 4.0)),
            LegendItem::new("95 % interval", Swatch::Band(PROGRAMME)),
            LegendItem::new("Unweighted", Swatch::Dashed(NEUTRAL)),
        ]
    } else {
        vec![
            LegendItem::new("Share doing well", Swatch::Line(PROGRAMME, 4.0)),
            LegendItem::new("95 % interval", Swatch::Band(PROGRAMME)),
        ]
    };
    let mut notes = Subtitle::new(data.subtitle.as_deref());
    if any_suppressed {
        notes.note(format!(
            "Gaps: years with fewer than {} families are not shown.",
            data.min_cell
        ));
    }
    let body = Page::new(&data.title(), &data.source)
        .subtitle(notes.text().as_deref())
        .legend(&legend)
        .draw(root)?;
    if !panels
        .iter()
        .any(|p| p.main.is_some_and(FollowupSeries::has_visible))
    {
        return draw_too_few(&body, data.min_cell, s);
    }

    // Shared axis descriptions: y on the left (rotated), x under the grid.
    let (w, h) = body.dim_in_pixel();
    let strip = s.ipx(44.0);
    let (left, rest) = body.split_horizontally(strip);
    let (grid, bottom) = rest.split_vertically(h as i32 - strip);
    let axis = s.text(size::AXIS, INK);
    left.draw(&Text::new(
        "Share of families doing well (%)",
        (strip / 2, (h as i32 - strip) / 2),
        anchored(axis.clone(), HPos::Center, VPos::Center).transform(FontTransform::Rotate270),
    ))?;
    bottom.draw(&Text::new(
        "Years since exit",
        ((w as i32 - strip) / 2, strip / 2),
        anchored(axis, HPos::Center, VPos::Center),
    ))?;

    let (cols, rows) = grid_shape(panels.len());
    for (panel, cell) in panels.iter().zip(grid.split_evenly((rows, cols))) {
        draw_panel(&cell, panel, data.min_cell, s)?;
    }
    Ok(())
}

/// Columns and rows of the panel grid for `n` panels: up to 3 in a row, 2 x 2 for four,
/// 3 columns up to nine, then 4.
fn grid_shape(n: usize) -> (usize, usize) {
    let cols = match n {
        0..=3 => n.max(1),
        4 => 2,
        5..=9 => 3,
        _ => 4,
    };
    (cols, n.div_ceil(cols).max(1))
}

/// The series' estimates in year order.
fn estimates(series: &FollowupSeries) -> Vec<Estimate> {
    let mut pts: Vec<&SharePoint> = series.points.iter().collect();
    pts.sort_by_key(|p| p.year);
    pts.iter().map(|p| p.estimate()).collect()
}

/// The strong line: the weighted estimate (or the unweighted one when it is all there is).
const MAIN: Trace = Trace {
    colour: PROGRAMME,
    line: Line::Solid(4.0),
    radius: 6.0,
};

/// The faint dashed line of the unweighted estimate, for comparison.
const FAINT: Trace = Trace {
    colour: NEUTRAL,
    line: Line::Dashed(
        2.5,
        Dashes {
            dash: 10.0,
            gap: 7.0,
        },
    ),
    radius: 4.0,
};

fn draw_panel<DB: DrawingBackend>(
    cell: &DrawingArea<DB, Shift>,
    panel: &Panel<'_>,
    min_cell: u32,
    s: Scale,
) -> Result<(), ChartError> {
    let caption = domain_label(panel.domain);
    let mut chart = ChartBuilder::on(cell)
        .margin(s.ipx(8.0))
        .margin_right(s.ipx(24.0))
        .caption(caption, s.bold(size::LEGEND + 2.0, INK))
        .x_label_area_size(s.ipx(34.0))
        .y_label_area_size(s.ipx(52.0))
        .build_cartesian_2d(0.6f64..5.4f64, 0f64..1.1f64)?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(5)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{:.0}", v * 100.0))
        .label_style(s.text(size::TICK - 2.0, MUTED))
        .draw()?;

    let Some(main) = panel.main.filter(|m| m.has_visible()) else {
        chart.draw_series(std::iter::once(Text::new(
            format!("Fewer than {min_cell} families"),
            (3.0, 0.55),
            anchored(s.text(size::VALUE, MUTED), HPos::Center, VPos::Center),
        )))?;
        return Ok(());
    };

    if let Some(faint) = panel.faint {
        draw_trace(&mut chart, &estimates(faint), FAINT, s)?;
    }
    let pts = estimates(main);
    draw_intervals(
        &mut chart,
        &pts,
        PROGRAMME,
        LoneInterval::Box { half_width: 0.08 },
        s,
    )?;
    draw_trace(&mut chart, &pts, MAIN, s)?;
    // Values under the band, where no line runs, clear of the marker (its radius plus a
    // gap: at the marker's radius alone the label touched it where the band is narrow).
    let label_style = anchored(s.text(size::VALUE - 2.0, INK), HPos::Center, VPos::Top);
    let gap = s.ipx(MAIN.radius + 4.0);
    chart.draw_series(pts.iter().filter_map(|p| {
        let v = p.value?;
        let below = p.interval.map_or(v, |(l, _)| l.min(v));
        Some(EmptyElement::at((p.x, below)) + Text::new(percent(v), (0, gap), label_style.clone()))
    }))?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::charts::test_support::{
        count_tag_attr, has_text, hex, preview, render_and_check, texts,
    };

    fn point(year: u32, share: f64) -> SharePoint {
        SharePoint {
            year,
            share: Some(share),
            low: Some(share - 0.07),
            high: Some((share + 0.06).min(1.0)),
            suppressed: false,
        }
    }

    /// Eight domains plus overall, shares near the published ~80 % doing well (SOS impact
    /// studies); year 4 of `shelter` is suppressed with the tell-tale value 0.4242.
    pub(crate) fn example() -> FollowupChart {
        let domains = [
            "care",
            "food_security",
            "shelter",
            "physical_health",
            "education_skills",
            "livelihood",
            "protection_social_inclusion",
            "social_emotional",
            "overall",
        ];
        let mut series = Vec::new();
        for (d, domain) in domains.iter().enumerate() {
            for weighted in [true, false] {
                let shift = if weighted { 0.0 } else { 0.035 };
                let points = (1..=5)
                    .map(|year| {
                        let base = 0.86 - 0.02 * f64::from(year) - 0.015 * d as f64 + shift;
                        let mut p = point(year, base);
                        if *domain == "shelter" && year == 4 {
                            p.share = Some(0.4242);
                            p.suppressed = true;
                        }
                        p
                    })
                    .collect();
                series.push(FollowupSeries {
                    domain: domain.to_string(),
                    weighted,
                    points,
                });
            }
        }
        FollowupChart {
            title: None,
            subtitle: Some("All families who left the programme; weighted estimates corrected for non-response.".into()),
            source: SourceLine::new("SOS CEE sample", 1240),
            min_cell: 10,
            series,
        }
    }

    #[test]
    fn draws_nine_panels_with_bands_and_hides_suppressed() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("followup_domains", &chart);
        assert!(has_text(
            &svg,
            "Share of families doing well, 1-5 years after the programme"
        ));
        assert!(has_text(&svg, "Share of families doing well (%)"));
        assert!(has_text(&svg, "Years since exit"));
        assert!(
            has_text(&svg, "Overall")
                && has_text(&svg, "Food security")
                && has_text(&svg, "Social-emotional well-being")
        );
        assert!(has_text(
            &svg,
            "Gaps: years with fewer than 10 families are not shown."
        ));
        assert!(has_text(
            &svg,
            "Source: SOS CEE sample, n = 1,240 families; kinsight"
        ));
        // 9 domains x 5 years weighted points, minus the suppressed one.
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(PROGRAMME)), 44);
        // Lines: 8 unbroken domains + shelter's years 1-3 (year 5 stands alone: a dot, no
        // line) + 1 legend swatch.
        assert_eq!(
            count_tag_attr(&svg, "polyline", "stroke", &hex(PROGRAMME)),
            8 + 1 + 1
        );
        // Bands: one polygon per run (shelter: years 1-3 polygon, year 5 a small box).
        assert_eq!(count_tag_attr(&svg, "polygon", "fill", &hex(PROGRAMME)), 9);
        // The suppressed value never reaches the output.
        assert!(
            !svg.contains("42.4") && !svg.contains("42 %"),
            "suppressed value leaked"
        );
        // Overall year 1: 0.86 - 0.02 - 0.12 = 0.72 -> "72 %".
        assert!(texts(&svg).iter().any(|t| t == "72 %"));
    }

    #[test]
    fn unweighted_only_becomes_the_main_line() {
        let mut chart = example();
        chart.series.retain(|s| !s.weighted);
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "Share doing well"));
        assert!(!has_text(&svg, "Weighted for non-response"));
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(PROGRAMME)), 44);
    }

    #[test]
    fn grid_shapes() {
        assert_eq!(grid_shape(1), (1, 1));
        assert_eq!(grid_shape(4), (2, 2));
        assert_eq!(grid_shape(9), (3, 3));
        assert_eq!(grid_shape(10), (4, 3));
        assert_eq!(example().size(), (1600, 1200));
    }

    #[test]
    fn all_suppressed_shows_message() {
        let mut chart = example();
        for s in &mut chart.series {
            for p in &mut s.points {
                p.suppressed = true;
            }
        }
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "Too few families to show (fewer than 10)"));
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(PROGRAMME)), 0);
    }

    #[test]
    fn rejects_bad_shares() {
        let mut chart = example();
        chart.series[0].points[0].share = Some(f64::NAN);
        assert!(matches!(
            crate::charts::render_svg(&chart),
            Err(ChartError::InvalidValue { .. })
        ));
        let mut chart = example();
        chart.series[0].points[0].share = Some(78.0);
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("fractions between 0 and 1"), "{err}");
    }
}
