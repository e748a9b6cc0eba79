//! A point estimate with its 95 % interval, as the charts of estimates over time draw it:
//! which estimates may be drawn at all, the translucent band across consecutive
//! intervals, the mark for a lone interval, and the line with dots through the points.
//!
//! One helper so that the rules readers rely on hold in every chart alike: a suppressed
//! cell is never drawn (nor its interval), a line breaks where an estimate is missing
//! instead of bridging the gap, and an interval always looks the same.

use plotters::prelude::*;

use super::axes::{dashed, Dashes, Plot};
use super::frame::{Scale, BAND_ALPHA};
use super::geometry::split_runs;
use super::ChartError;

/// `value` if it may be drawn: `None` when the cell is suppressed (rests on too few
/// families), whatever value it holds.
pub(crate) fn published(value: Option<f64>, suppressed: bool) -> Option<f64> {
    if suppressed {
        None
    } else {
        value
    }
}

/// One estimate at position `x` on the horizontal axis, as it may be drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Estimate {
    /// Position on the horizontal axis.
    pub x: f64,
    /// The estimate; `None` when missing or suppressed.
    pub value: Option<f64>,
    /// `(low, high)` of the 95 % interval when the estimate is shown and both ends are
    /// known.
    pub interval: Option<(f64, f64)>,
}

impl Estimate {
    /// An estimate from a table cell: nothing of a suppressed cell is kept.
    pub fn new(
        x: f64,
        value: Option<f64>,
        low: Option<f64>,
        high: Option<f64>,
        suppressed: bool,
    ) -> Self {
        let value = published(value, suppressed);
        let interval = match (value, low, high) {
            (Some(_), Some(l), Some(h)) => Some((l, h)),
            _ => None,
        };
        Estimate { x, value, interval }
    }
}

/// How the interval of a lone estimate (no shown neighbour to span a band to) is marked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LoneInterval {
    /// A box in the band's colour reaching `half_width` axis units either side.
    Box {
        /// Half the box width, in units of the horizontal axis.
        half_width: f64,
    },
    /// A half-opaque vertical whisker, 3 design px wide.
    Whisker,
}

/// The outline of the band around a run of `(x, low, high)`: along the lows, then back
/// along the highs.
pub(crate) fn band_outline(run: &[(f64, f64, f64)]) -> Vec<(f64, f64)> {
    let mut outline: Vec<(f64, f64)> = run.iter().map(|&(x, l, _)| (x, l)).collect();
    outline.extend(run.iter().rev().map(|&(x, _, h)| (x, h)));
    outline
}

/// Draws the intervals of `estimates` (in x order) in `colour`: a translucent band across
/// each run of consecutive intervals, `lone` for a run of one.
///
/// # Errors
/// [`ChartError::Drawing`] when the backend fails.
pub(crate) fn draw_intervals<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    estimates: &[Estimate],
    colour: RGBColor,
    lone: LoneInterval,
    s: Scale,
) -> Result<(), ChartError> {
    let intervals = estimates
        .iter()
        .map(|e| e.interval.map(|(l, h)| (e.x, l, h)));
    for run in split_runs(intervals) {
        if run.len() > 1 {
            chart.draw_series(std::iter::once(Polygon::new(
                band_outline(&run),
                colour.mix(BAND_ALPHA).filled(),
            )))?;
            continue;
        }
        let (x, l, h) = run[0];
        match lone {
            LoneInterval::Box { half_width } => {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - half_width, l), (x + half_width, h)],
                    colour.mix(BAND_ALPHA).filled(),
                )))?;
            }
            LoneInterval::Whisker => {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, l), (x, h)],
                    colour.mix(0.5).stroke_width(s.ipx(3.0) as u32),
                )))?;
            }
        }
    }
    Ok(())
}

/// The line joining the estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Line {
    /// Solid, of the given width (design px).
    Solid(f64),
    /// Dashed, of the given width (design px) and dash pattern.
    Dashed(f64, Dashes),
}

/// How the estimates themselves are drawn: dots of `radius` design px joined by `line`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Trace {
    /// Colour of line and dots.
    pub colour: RGBColor,
    /// The joining line.
    pub line: Line,
    /// Dot radius (design px).
    pub radius: f64,
}

/// Draws the shown estimates (in x order) as dots joined by a line that breaks where an
/// estimate is missing; a lone estimate is a dot alone.
///
/// # Errors
/// [`ChartError::Drawing`] when the backend fails.
pub(crate) fn draw_trace<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    estimates: &[Estimate],
    trace: Trace,
    s: Scale,
) -> Result<(), ChartError> {
    let colour = trace.colour;
    for run in split_runs(estimates.iter().map(|e| e.value.map(|v| (e.x, v)))) {
        if run.len() > 1 {
            match trace.line {
                Line::Solid(width) => {
                    chart.draw_series(LineSeries::new(
                        run.clone(),
                        colour.stroke_width(s.ipx(width) as u32),
                    ))?;
                }
                Line::Dashed(width, dashes) => {
                    chart.draw_series(dashed(run.clone(), colour, width, dashes, s))?;
                }
            }
        }
        chart.draw_series(
            run.iter()
                .map(|&p| Circle::new(p, s.ipx(trace.radius), colour.filled())),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette::{BLUE, NEUTRAL};
    use crate::charts::test_support::{count_tag_attr, hex};

    const SOLID: Trace = Trace {
        colour: BLUE,
        line: Line::Solid(4.0),
        radius: 6.0,
    };

    /// Years 1-5 with intervals; year 3 suppressed (its value must vanish).
    fn estimates() -> Vec<Estimate> {
        (1..=5)
            .map(|year| {
                let v = 0.5 + 0.05 * f64::from(year);
                Estimate::new(
                    f64::from(year),
                    Some(v),
                    Some(v - 0.1),
                    Some(v + 0.1),
                    year == 3,
                )
            })
            .collect()
    }

    /// Draws with `f` on a 1600 x 1000 plot over 0..6 x 0..1 and returns the SVG.
    fn svg_of(f: impl FnOnce(&mut Plot<'_, SVGBackend<'_>>, Scale)) -> String {
        crate::charts::font::ensure_fonts().unwrap();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (1600, 1000)).into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .build_cartesian_2d(0f64..6f64, 0f64..1f64)
                .unwrap();
            f(&mut chart, Scale::of_width(1600));
            root.present().unwrap();
        }
        svg
    }

    #[test]
    fn suppressed_estimates_keep_nothing() {
        let e = Estimate::new(2.0, Some(0.4242), Some(0.3), Some(0.5), true);
        assert_eq!((e.value, e.interval), (None, None));
        assert_eq!(published(Some(1.0), false), Some(1.0));
        assert_eq!(published(Some(1.0), true), None);
        // An interval needs the value and both ends.
        assert_eq!(
            Estimate::new(1.0, None, Some(0.1), Some(0.2), false).interval,
            None
        );
        assert_eq!(
            Estimate::new(1.0, Some(0.2), None, Some(0.3), false).interval,
            None
        );
        let e = Estimate::new(1.0, Some(0.2), Some(0.1), Some(0.3), false);
        assert_eq!((e.value, e.interval), (Some(0.2), Some((0.1, 0.3))));
    }

    #[test]
    fn band_outline_runs_along_lows_and_back_along_highs() {
        let run = [(1.0, 0.1, 0.3), (2.0, 0.2, 0.4), (3.0, 0.25, 0.5)];
        assert_eq!(
            band_outline(&run),
            vec![
                (1.0, 0.1),
                (2.0, 0.2),
                (3.0, 0.25),
                (3.0, 0.5),
                (2.0, 0.4),
                (1.0, 0.3)
            ]
        );
    }

    #[test]
    fn band_across_runs_and_box_for_a_lone_interval() {
        // Years 1-2 form a band; years 4-5 another; no interval for suppressed year 3.
        let svg = svg_of(|chart, s| {
            draw_intervals(
                chart,
                &estimates(),
                BLUE,
                LoneInterval::Box { half_width: 0.08 },
                s,
            )
            .unwrap();
        });
        assert_eq!(count_tag_attr(&svg, "polygon", "fill", &hex(BLUE)), 2);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(BLUE)), 0);
        // Only year 5 shown: a lone box.
        let mut lone = estimates();
        lone.truncate(4);
        lone.push(Estimate::new(5.0, Some(0.7), Some(0.6), Some(0.8), false));
        lone[3] = Estimate::new(4.0, None, None, None, false);
        let svg = svg_of(|chart, s| {
            draw_intervals(
                chart,
                &lone,
                BLUE,
                LoneInterval::Box { half_width: 0.08 },
                s,
            )
            .unwrap();
        });
        assert_eq!(count_tag_attr(&svg, "polygon", "fill", &hex(BLUE)), 1);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(BLUE)), 1);
        assert!(svg.contains(&format!("opacity=\"{BAND_ALPHA}\"")), "{svg}");
    }

    #[test]
    fn whisker_for_a_lone_interval() {
        let one = [Estimate::new(2.0, Some(0.5), Some(0.4), Some(0.6), false)];
        let svg = svg_of(|chart, s| {
            draw_intervals(chart, &one, BLUE, LoneInterval::Whisker, s).unwrap();
        });
        assert_eq!(count_tag_attr(&svg, "polyline", "stroke", &hex(BLUE)), 1);
        assert_eq!(count_tag_attr(&svg, "polygon", "fill", &hex(BLUE)), 0);
        assert!(svg.contains("stroke-width=\"3\"") && svg.contains("opacity=\"0.5\""));
    }

    #[test]
    fn trace_breaks_at_suppressed_points() {
        let svg = svg_of(|chart, s| draw_trace(chart, &estimates(), SOLID, s).unwrap());
        // Two runs (years 1-2 and 4-5): two lines, four dots.
        assert_eq!(count_tag_attr(&svg, "polyline", "stroke", &hex(BLUE)), 2);
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(BLUE)), 4);
        assert!(svg.contains("r=\"6\""));
    }

    #[test]
    fn dashed_trace_draws_dashes() {
        let faint = Trace {
            colour: NEUTRAL,
            line: Line::Dashed(2.0, crate::charts::axes::GUIDE),
            radius: 4.0,
        };
        let svg = svg_of(|chart, s| draw_trace(chart, &estimates(), faint, s).unwrap());
        assert!(count_tag_attr(&svg, "polyline", "stroke", &hex(NEUTRAL)) > 2);
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(NEUTRAL)), 4);
    }
}
