//! The reintegration chart: children returned home from care, and still home k years
//! later.
//!
//! One line per arm over the years since the return home, from 100 % on the day of the
//! return down to the Kaplan-Meier share not placed again, with 95 % bands. The share of
//! the children in care at intake who returned home at all is the arm's key figure and
//! legend entry, so the two halves of a reintegration (coming home, staying home) are
//! read together. The y axis starts at a round value below the lowest interval shown
//! (the subtitle says so when it is not 0): staying home is usually close to 100 %.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::HouseStyle;
use super::end_labels::{draw_end_labels, EndLabel};
use super::error::fraction;
use super::frame::{draw_too_few, LegendItem, Page, Scale, SourceLine, Subtitle, Swatch};
use super::interval::{draw_intervals, draw_trace, Estimate, Line, LoneInterval, Trace};
use super::labels::percent;
use super::palette::{Arm, NEUTRAL};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "reintegration";

/// The share still home a number of years after the return (fractions 0..1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HomePoint {
    /// Years since the return home, 0..5 (0: the day of the return, 100 %).
    pub year: u32,
    /// Share still home; `None` when not estimable.
    pub share: Option<f64>,
    /// Lower end of the 95 % interval.
    pub low: Option<f64>,
    /// Upper end of the 95 % interval.
    pub high: Option<f64>,
    /// True when the cell rests on too few children: never drawn.
    pub suppressed: bool,
}

impl HomePoint {
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

/// One arm: how many came home, and how many of them stayed.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeSeries {
    /// Which arm (fixes colour and label).
    pub arm: Arm,
    /// Share of the children in care at intake who returned home during the programme
    /// (`None` when withheld).
    pub returned: Option<f64>,
    /// Points in any order (drawn in year order).
    pub points: Vec<HomePoint>,
}

/// Input of [`draw_reintegration`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReintegrationChart {
    /// Title; `None` gives "Children returned home, and still home k years later".
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Disclosure threshold.
    pub min_cell: u32,
    /// One series per arm.
    pub series: Vec<HomeSeries>,
}

impl ReintegrationChart {
    fn check(&self) -> Result<(), ChartError> {
        let rule = "shares must be fractions between 0 and 1";
        for (i, s) in self.series.iter().enumerate() {
            if let Some(v) = s.returned {
                fraction(CHART, || format!("series[{i}].returned"), v, rule)?;
            }
            for (j, p) in s.points.iter().enumerate() {
                if p.year > 5 {
                    return Err(ChartError::InvalidInput {
                        chart: CHART,
                        problem: format!(
                            "series[{i}].points[{j}] is year {}; the chart shows years 0 to 5",
                            p.year
                        ),
                    });
                }
                for (name, v) in [("share", p.share), ("low", p.low), ("high", p.high)] {
                    if let Some(v) = v {
                        fraction(CHART, || format!("series[{i}].points[{j}].{name}"), v, rule)?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Chart for ReintegrationChart {
    fn title(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| "Children returned home, and still home k years later".to_string())
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_reintegration(root, self)
    }
}

/// The lowest round tenth at or below `low` (so the bands fit), 0 at the least.
fn axis_floor(low: f64) -> f64 {
    ((low - 0.02) * 10.0).floor().max(0.0) / 10.0
}

/// Draws the reintegration chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for a share that is not a
/// fraction or a year outside 0..5; [`ChartError::Drawing`] when the backend fails.
pub fn draw_reintegration<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReintegrationChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let mut legend: Vec<LegendItem> = data
        .series
        .iter()
        .map(|x| {
            let label = match x.returned {
                Some(r) => format!("{}: {} returned home", x.arm.label(), percent(r)),
                None => x.arm.label().to_string(),
            };
            LegendItem::new(label, Swatch::Line(x.arm.colour(), 4.0))
        })
        .collect();
    legend.push(LegendItem::new("95 % interval", Swatch::Band(NEUTRAL)));
    let visible: Vec<(f64, f64)> = data
        .series
        .iter()
        .flat_map(|x| {
            x.points.iter().filter(|p| p.year > 0).filter_map(|p| {
                p.estimate()
                    .value
                    .map(|v| (p.low.unwrap_or(v).min(v), p.high.unwrap_or(v).max(v)))
            })
        })
        .collect();
    let bottom = axis_floor(visible.iter().map(|v| v.0).fold(1.0, f64::min));
    let mut notes = Subtitle::new(data.subtitle.as_deref());
    if bottom > 0.0 {
        notes.note(format!("The axis starts at {}.", percent(bottom)));
    }
    if data
        .series
        .iter()
        .any(|x| x.points.iter().any(|p| p.suppressed))
    {
        notes.note(format!(
            "Gaps: fewer than {} children still followed.",
            data.min_cell
        ));
    }
    let body = Page::new(&data.title(), &data.source)
        .subtitle(notes.text().as_deref())
        .legend(&legend)
        .draw(root)?;
    if visible.is_empty() {
        return draw_too_few(&body, data.min_cell, s);
    }
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(10.0))
        .margin_right(s.ipx(120.0))
        .x_label_area_size(s.ipx(70.0))
        .y_label_area_size(s.ipx(110.0))
        .build_cartesian_2d(-0.2f64..5.3f64, bottom..1.02f64)?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(6)
        .y_labels(6)
        .disable_x_mesh()
        .x_label_formatter(&|v| {
            let k = v.round();
            if (v - k).abs() > 1e-9 {
                String::new()
            } else if k == 0.0 {
                "Return".to_string()
            } else {
                format!("{k:.0}")
            }
        })
        .y_label_formatter(&|v| format!("{:.0}", v * 100.0))
        .x_desc("Years since the return home")
        .y_desc("Children still home, not placed again (%)")
        .draw()?;
    let mut ends: Vec<EndLabel> = Vec::new();
    for series in &data.series {
        let colour = series.arm.colour();
        let mut pts: Vec<&HomePoint> = series.points.iter().collect();
        pts.sort_by_key(|p| p.year);
        let pts: Vec<Estimate> = pts.iter().map(|p| p.estimate()).collect();
        draw_intervals(&mut chart, &pts, colour, LoneInterval::Whisker, s)?;
        let trace = Trace {
            colour,
            line: Line::Solid(4.0),
            radius: 7.0,
        };
        draw_trace(&mut chart, &pts, trace, s)?;
        if let Some((x, v)) = pts
            .iter()
            .rev()
            .find_map(|p| p.value.filter(|_| p.x > 0.0).map(|v| (p.x, v)))
        {
            ends.push(EndLabel {
                at: (x, v),
                colour,
                text: percent(v),
            });
        }
    }
    draw_end_labels(root, &chart, ends, 16.0, s)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette::{COMPARISON, PROGRAMME};
    use crate::charts::test_support::{count_tag_attr, has_text, hex, preview, render_and_check};

    fn series(arm: Arm, returned: f64, shares: [f64; 5]) -> HomeSeries {
        let mut points = vec![HomePoint {
            year: 0,
            share: Some(1.0),
            low: None,
            high: None,
            suppressed: false,
        }];
        points.extend(shares.iter().enumerate().map(|(k, &v)| HomePoint {
            year: k as u32 + 1,
            share: Some(v),
            low: Some(v - 0.03),
            high: Some((v + 0.02).min(1.0)),
            suppressed: false,
        }));
        HomeSeries {
            arm,
            returned: Some(returned),
            points,
        }
    }

    fn example() -> ReintegrationChart {
        let mut comparison = series(Arm::Comparison, 0.5, [0.9, 0.84, 0.8, 0.77, 0.4242]);
        comparison.points[5].suppressed = true;
        ReintegrationChart {
            title: None,
            subtitle: None,
            source: SourceLine::new("SOS CEE sample", 1240),
            min_cell: 10,
            series: vec![
                series(Arm::Programme, 0.92, [0.99, 0.97, 0.96, 0.95, 0.94]),
                comparison,
            ],
        }
    }

    #[test]
    fn draws_both_arms_with_the_return_share_in_the_legend() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("reintegration", &chart);
        assert!(has_text(
            &svg,
            "Children returned home, and still home k years later"
        ));
        assert!(has_text(&svg, "Programme families: 92 % returned home"));
        assert!(has_text(&svg, "Comparison families: 50 % returned home"));
        assert!(has_text(&svg, "Years since the return home"));
        assert!(has_text(&svg, "The axis starts at 70 %."));
        // Six dots for the programme (return and years 1-5), five for the comparison arm
        // (year 5 withheld), and its value nowhere.
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(PROGRAMME)), 6);
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(COMPARISON)), 5);
        assert!(!svg.contains("42 %") && !svg.contains("42.4"));
        assert!(has_text(&svg, "94 %") && has_text(&svg, "77 %"));
    }

    #[test]
    fn nothing_publishable_shows_the_message() {
        let mut chart = example();
        for s in &mut chart.series {
            for p in s.points.iter_mut().filter(|p| p.year > 0) {
                p.suppressed = true;
            }
        }
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "Too few families to show (fewer than 10)"));
    }

    #[test]
    fn rejects_shares_outside_0_1_and_year_6() {
        let mut chart = example();
        chart.series[0].returned = Some(1.5);
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("series[0].returned"), "{err}");
        let mut chart = example();
        chart.series[0].points[1].year = 6;
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("years 0 to 5"), "{err}");
    }

    #[test]
    fn axis_floor_is_a_round_tenth_below() {
        assert_eq!(axis_floor(0.74), 0.7);
        assert_eq!(axis_floor(0.71), 0.6);
        assert_eq!(axis_floor(0.05), 0.0);
        assert_eq!(axis_floor(1.0), 0.9);
    }
}
