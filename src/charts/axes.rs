//! The plot inside every chart's page: its coordinate type, the house style of ticks,
//! grid and axis lines, and the dashed lines drawn across it (break-even, thresholds,
//! levels of reference, guides to a marked value).
//!
//! One definition so that every chart shows the same muted ticks, one light grid and the
//! same dash patterns, and a reader who has learned that a dashed vermillion line means
//! "break-even" in one chart can rely on it in the next.

use plotters::chart::MeshStyle;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::frame::{size, Scale};
use super::palette::{GRID, INK, MUTED, VERMILLION};

/// A chart's plot: both axes continuous (`f64`).
pub(crate) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The house style of a mesh: muted tick labels, axis descriptions in ink, one light grid
/// (no minor lines) and muted axis lines. Set first; a chart may override any of it.
pub(crate) trait HouseStyle {
    /// Applies the house style.
    fn house_style(&mut self, s: Scale) -> &mut Self;
}

impl<X: Ranged, Y: Ranged, DB: DrawingBackend> HouseStyle for MeshStyle<'_, '_, X, Y, DB> {
    fn house_style(&mut self, s: Scale) -> &mut Self {
        self.label_style(s.text(size::TICK, MUTED))
            .axis_desc_style(s.text(size::AXIS, INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID.stroke_width(s.ipx(1.0) as u32))
            .axis_style(MUTED.stroke_width(s.ipx(1.5) as u32))
    }
}

/// A dash pattern: dash and gap lengths in design px (at 1600 px page width).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Dashes {
    /// Length of a dash.
    pub dash: f64,
    /// Length of the gap between dashes.
    pub gap: f64,
}

/// Reference lines across the plot: break-even, the "doing well" threshold, the level of
/// the inputs.
pub(crate) const REFERENCE: Dashes = Dashes {
    dash: 10.0,
    gap: 8.0,
};

/// Finer guides to a marked value (percentile lines, the median's guide lines).
pub(crate) const GUIDE: Dashes = Dashes {
    dash: 8.0,
    gap: 6.0,
};

/// A dashed line through `points` in `colour`, `width` design px wide.
pub(crate) fn dashed(
    points: Vec<(f64, f64)>,
    colour: RGBColor,
    width: f64,
    dashes: Dashes,
    s: Scale,
) -> DashedLineSeries<std::vec::IntoIter<(f64, f64)>, i32> {
    DashedLineSeries::new(
        points,
        s.ipx(dashes.dash),
        s.ipx(dashes.gap),
        colour.stroke_width(s.ipx(width) as u32),
    )
}

/// The break-even line: dashed vermillion from `from` to `to` (the legend's
/// `Swatch::Dashed(VERMILLION)`).
pub(crate) fn break_even(
    from: (f64, f64),
    to: (f64, f64),
    s: Scale,
) -> DashedLineSeries<std::vec::IntoIter<(f64, f64)>, i32> {
    dashed(vec![from, to], VERMILLION, 2.5, REFERENCE, s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{count_tag_attr, hex};

    /// Draws `f` on an empty 1600 x 1000 plot over 0..10 x 0..10 and returns the SVG.
    fn svg_of(f: impl FnOnce(&mut Plot<'_, SVGBackend<'_>>, Scale)) -> String {
        crate::charts::font::ensure_fonts().unwrap();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (1600, 1000)).into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .x_label_area_size(40)
                .y_label_area_size(40)
                .build_cartesian_2d(0f64..10f64, 0f64..10f64)
                .unwrap();
            f(&mut chart, Scale::of_width(1600));
            root.present().unwrap();
        }
        svg
    }

    #[test]
    fn house_style_draws_grid_and_axes_in_house_colours() {
        let svg = svg_of(|chart, s| {
            chart
                .configure_mesh()
                .house_style(s)
                .x_labels(3)
                .y_labels(3)
                .draw()
                .unwrap();
        });
        assert!(
            count_tag_attr(&svg, "line", "stroke", &hex(GRID)) >= 4,
            "{svg}"
        );
        // Axis lines and tick marks: muted, 1.5 px rounded to 2.
        assert!(count_tag_attr(&svg, "polyline", "stroke", &hex(MUTED)) >= 2);
        assert!(svg.contains("stroke=\"#606060\" stroke-width=\"2\""));
        assert!(
            svg.contains(&format!("fill=\"{}\"", hex(MUTED))),
            "tick labels"
        );
    }

    #[test]
    fn break_even_is_dashed_vermillion() {
        let svg = svg_of(|chart, s| {
            chart
                .draw_series(break_even((1.0, 0.0), (1.0, 10.0), s))
                .unwrap();
        });
        // A 10 px dash every 18 px along a line of about 1000 px: many short segments.
        let dashes = count_tag_attr(&svg, "polyline", "stroke", &hex(VERMILLION));
        assert!(dashes > 20, "{dashes}");
        assert!(svg.contains("stroke-width=\"3\""), "2.5 px rounds to 3");
    }

    #[test]
    fn dash_patterns_scale_with_the_page() {
        let half = Scale::of_width(800);
        let series = dashed(vec![(0.0, 0.0), (1.0, 1.0)], INK, 2.0, GUIDE, half);
        assert_eq!(series.into_iter().count(), 1);
        assert_eq!((half.ipx(GUIDE.dash), half.ipx(GUIDE.gap)), (4, 3));
        assert_eq!(
            (REFERENCE.dash, REFERENCE.gap, GUIDE.dash, GUIDE.gap),
            (10.0, 8.0, 8.0, 6.0)
        );
    }
}
