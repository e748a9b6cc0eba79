//! The propensity overlap chart: how the estimated propensity to be in the programme is
//! distributed in each arm, so a reader sees whether the comparison arm holds families
//! like the programme's at all.
//!
//! Mirrored histograms over the same 20 bins from 0 to 1: the programme's families above
//! the axis, the comparison's below, each bar the share of its arm's families. Where the
//! programme's bars stand over an empty stretch below, no comparison family resembles
//! those programme families and weighting cannot make up for it (docs/method.md
//! section 7.4). A bin holding too few families of an arm to publish is drawn as a grey
//! outline of a fixed small height, never at its share, and the subtitle says so.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::HouseStyle;
use super::error::{finite, fraction};
use super::frame::{
    anchored, draw_too_few, size, LegendItem, Page, Scale, SourceLine, Subtitle, Swatch,
};
use super::geometry::nice_ceiling;
use super::labels::{thousands, tick};
use super::palette::{Arm, INK, NEUTRAL};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "propensity_overlap";

/// Height of a withheld bin's outline, as a share of each half of the axis: visible, and
/// too low to be read as a value.
const WITHHELD_HEIGHT: f64 = 0.06;

/// One bin of one arm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverlapBin {
    /// Which arm (fixes colour and the side of the axis).
    pub arm: Arm,
    /// Lower and upper edge of the bin, propensities in 0..1.
    pub low: f64,
    pub high: f64,
    /// Share of the arm's families in the bin (0..1); `None` when withheld.
    pub share: Option<f64>,
    /// True when the bin holds too few families of the arm to publish: never drawn at
    /// its share.
    pub suppressed: bool,
}

/// Input of [`draw_propensity_overlap`].
#[derive(Debug, Clone, PartialEq)]
pub struct OverlapChart {
    /// Title; `None` gives "How alike are the arms? Propensity to be in the programme".
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Disclosure threshold (for the note on withheld bins).
    pub min_cell: u32,
    /// Programme families whose propensity lies outside the comparison arm's range
    /// (the key figure), when known.
    pub programme_outside: Option<u64>,
    /// The bins of both arms, in any order.
    pub bins: Vec<OverlapBin>,
}

impl OverlapChart {
    fn check(&self) -> Result<(), ChartError> {
        for (i, b) in self.bins.iter().enumerate() {
            let low = finite(CHART, || format!("bins[{i}].low"), b.low)?;
            let high = finite(CHART, || format!("bins[{i}].high"), b.high)?;
            if !(0.0..=1.0).contains(&low) || !(0.0..=1.0).contains(&high) || low >= high {
                return Err(ChartError::InvalidInput {
                    chart: CHART,
                    problem: format!(
                        "bins[{i}] runs from {low} to {high}; give a bin within 0 to 1 with low below high"
                    ),
                });
            }
            if let Some(v) = b.share {
                fraction(
                    CHART,
                    || format!("bins[{i}].share"),
                    v,
                    "shares must be fractions between 0 and 1",
                )?;
            }
        }
        Ok(())
    }

    /// The share drawn for a bin: none when withheld.
    fn shown(b: &OverlapBin) -> Option<f64> {
        b.share.filter(|_| !b.suppressed)
    }
}

impl Chart for OverlapChart {
    fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| {
            "How alike are the arms? Propensity to be in the programme".to_string()
        })
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_propensity_overlap(root, self)
    }
}

/// The key figure: how many programme families no comparison family resembles.
fn outside_text(n: u64) -> String {
    match n {
        0 => "Every programme family lies within the comparison arm's propensity range".into(),
        1 => "1 programme family lies outside the comparison arm's propensity range".into(),
        n => format!(
            "{} programme families lie outside the comparison arm's propensity range",
            thousands(n as f64)
        ),
    }
}

/// Draws the overlap chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for a bin outside 0..1 or
/// a share that is not a fraction; [`ChartError::Drawing`] when the backend fails.
pub fn draw_propensity_overlap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &OverlapChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let legend = [
        LegendItem::new(
            format!("{} (above the line)", Arm::Programme.label()),
            Swatch::Bar(Arm::Programme.colour()),
        ),
        LegendItem::new(
            format!("{} (below the line)", Arm::Comparison.label()),
            Swatch::Bar(Arm::Comparison.colour()),
        ),
    ];
    let mut notes = Subtitle::new(data.subtitle.as_deref());
    notes.note("Each bar is the share of its arm's families in a band of 0.05.");
    if data.bins.iter().any(|b| b.suppressed) {
        notes.note(format!(
            "Grey outlines: fewer than {} families of the arm in the band, share withheld.",
            data.min_cell
        ));
    }
    let key = data.programme_outside.map(outside_text);
    let body = Page::new(&data.title(), &data.source)
        .subtitle(notes.text().as_deref())
        .key(key.as_deref())
        .legend(&legend)
        .draw(root)?;
    let top_share = data
        .bins
        .iter()
        .filter_map(OverlapChart::shown)
        .fold(0.0, f64::max);
    if data.bins.iter().all(|b| OverlapChart::shown(b).is_none()) {
        return draw_too_few(&body, data.min_cell, s);
    }
    let top = nice_ceiling(top_share * 100.0 * 1.08);
    let y_fmt = move |v: &f64| {
        let a = v.abs();
        if top < 5.0 {
            format!("{a:.1}")
        } else {
            format!("{a:.0}")
        }
    };
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(20.0))
        .margin_right(s.ipx(40.0))
        .x_label_area_size(s.ipx(80.0))
        .y_label_area_size(s.ipx(110.0))
        .build_cartesian_2d(0f64..1f64, -top..top)?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(11)
        .y_labels(9)
        .disable_x_mesh()
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&y_fmt)
        .x_desc("Propensity to be in the programme (estimated from intake covariates)")
        .y_desc("Share of the arm's families (%)")
        .draw()?;
    for b in &data.bins {
        let sign = match b.arm {
            Arm::Programme => 1.0,
            Arm::Comparison => -1.0,
        };
        if b.suppressed {
            let mut r = Rectangle::new(
                [(b.low, 0.0), (b.high, sign * top * WITHHELD_HEIGHT)],
                NEUTRAL.stroke_width(s.ipx(2.0) as u32),
            );
            r.set_margin(0, 0, 2, 2);
            chart.draw_series(std::iter::once(r))?;
        } else if let Some(v) = b.share.filter(|v| *v > 0.0) {
            let mut r = Rectangle::new(
                [(b.low, 0.0), (b.high, sign * v * 100.0)],
                b.arm.colour().filled(),
            );
            r.set_margin(0, 0, 1, 1);
            chart.draw_series(std::iter::once(r))?;
        }
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.0), (1.0, 0.0)],
        INK.stroke_width(s.ipx(2.0) as u32),
    )))?;
    // The arms named at the plot's left edge, so the halves read without the legend.
    for (arm, y, v, dy) in [
        (Arm::Programme, top, VPos::Top, 8.0),
        (Arm::Comparison, -top, VPos::Bottom, -8.0),
    ] {
        let (px, py) = chart.backend_coord(&(0.0, y));
        root.draw(&Text::new(
            arm.label(),
            (px + s.ipx(12.0), py + s.ipx(dy)),
            anchored(s.bold(size::VALUE, arm.colour()), HPos::Left, v),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette::{COMPARISON, PROGRAMME};
    use crate::charts::test_support::{count_tag_attr, has_text, hex, preview, render_and_check};

    /// 20 bins per arm: the programme's mass high, the comparison's low, with the
    /// comparison's two top bins withheld.
    fn example() -> OverlapChart {
        let mut bins = Vec::new();
        for k in 0..20 {
            let (low, high) = (k as f64 / 20.0, (k + 1) as f64 / 20.0);
            let p = if k >= 8 { 1.0 / 12.0 } else { 0.0 };
            let c = if k < 10 { 0.09 } else { 0.0 };
            bins.push(OverlapBin {
                arm: Arm::Programme,
                low,
                high,
                share: Some(p),
                suppressed: false,
            });
            let withheld = k == 10 || k == 11;
            bins.push(OverlapBin {
                arm: Arm::Comparison,
                low,
                high,
                share: if withheld { None } else { Some(c) },
                suppressed: withheld,
            });
        }
        OverlapChart {
            title: None,
            subtitle: None,
            source: SourceLine::new("SOS CEE sample", 1240),
            min_cell: 10,
            programme_outside: Some(340),
            bins,
        }
    }

    #[test]
    fn mirrored_bars_with_withheld_bins_outlined() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("propensity_overlap", &chart);
        assert!(svg
            .contains("<title>How alike are the arms? Propensity to be in the programme</title>"));
        assert!(has_text(
            &svg,
            "Propensity to be in the programme (estimated from intake covariates)"
        ));
        assert!(has_text(&svg, "Share of the arm's families (%)"));
        assert!(has_text(
            &svg,
            "340 programme families lie outside the comparison arm's propensity range"
        ));
        assert!(has_text(
            &svg,
            "Grey outlines: fewer than 10 families of the arm in the band, share withheld."
        ));
        // 12 programme bars, 10 comparison bars (plus one legend swatch each); the two
        // withheld bins are outlines, not bars.
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(PROGRAMME)), 13);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(COMPARISON)), 11);
        assert_eq!(count_tag_attr(&svg, "rect", "stroke", &hex(NEUTRAL)), 2);
    }

    #[test]
    fn nothing_publishable_shows_the_message() {
        let mut chart = example();
        for b in &mut chart.bins {
            b.share = None;
            b.suppressed = true;
        }
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "Too few families to show (fewer than 10)"));
    }

    #[test]
    fn key_figure_wording() {
        assert_eq!(
            outside_text(0),
            "Every programme family lies within the comparison arm's propensity range"
        );
        assert_eq!(
            outside_text(1),
            "1 programme family lies outside the comparison arm's propensity range"
        );
        assert_eq!(
            outside_text(1234),
            "1,234 programme families lie outside the comparison arm's propensity range"
        );
    }

    #[test]
    fn rejects_bins_outside_0_1_and_bad_shares() {
        let mut chart = example();
        chart.bins[3].high = 1.2;
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("bins[3] runs from"), "{err}");
        let mut chart = example();
        chart.bins[0].share = Some(4.0);
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("bins[0].share"), "{err}");
    }
}
