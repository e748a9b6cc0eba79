//! The income chart: mean real annual household income by arm at intake, at exit and in
//! follow-up years 1-5, with 95 % intervals.
//!
//! Amounts are in the reporting currency at one price year (the axis label says which),
//! so the lines show real change, not inflation. The y axis starts at zero: income levels
//! are ratio-scale and a truncated axis would exaggerate the gap between the arms.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::HouseStyle;
use super::end_labels::{draw_end_labels, EndLabel};
use super::error::finite;
use super::frame::{draw_too_few, LegendItem, Page, Scale, SourceLine, Subtitle, Swatch};
use super::geometry::nice_ceiling;
use super::interval::{draw_intervals, draw_trace, Estimate, Line, LoneInterval, Trace};
use super::labels::{money, money_tick};
use super::palette::{Arm, INK, NEUTRAL};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "income";

/// When an income was observed, relative to the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// At intake.
    Intake,
    /// At exit.
    Exit,
    /// Follow-up year 1..5 after exit.
    Year(u32),
}

impl Stage {
    /// Position on the x axis: intake 0, exit 1, year k at 1 + k.
    fn x(self) -> f64 {
        match self {
            Stage::Intake => 0.0,
            Stage::Exit => 1.0,
            Stage::Year(k) => 1.0 + f64::from(k),
        }
    }

    fn label(x: f64) -> String {
        let k = x.round();
        if (x - k).abs() > 1e-9 || !(0.0..=6.0).contains(&k) {
            return String::new();
        }
        match k as u32 {
            0 => "Intake".into(),
            1 => "Exit".into(),
            k => format!("Year {}", k - 1),
        }
    }
}

/// Mean income at one stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncomePoint {
    /// When.
    pub stage: Stage,
    /// Mean annual household income (real, reporting currency); `None` when not estimable.
    pub mean: Option<f64>,
    /// Lower end of the 95 % interval.
    pub low: Option<f64>,
    /// Upper end of the 95 % interval.
    pub high: Option<f64>,
    /// True when the cell rests on too few families: never drawn.
    pub suppressed: bool,
}

impl IncomePoint {
    /// The mean and its interval as they may be drawn, at the stage's position.
    fn estimate(&self) -> Estimate {
        Estimate::new(
            self.stage.x(),
            self.mean,
            self.low,
            self.high,
            self.suppressed,
        )
    }
}

/// One arm's trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeSeries {
    /// Which arm (fixes colour and label).
    pub arm: Arm,
    /// Points in any order (drawn in stage order).
    pub points: Vec<IncomePoint>,
}

/// What the amounts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncomeMeasure {
    /// Mean annual household income.
    Level,
    /// Mean change in annual household income since intake (`mean_delta_*` of
    /// `tables/income_effect`; the intake point, if given, is 0).
    ChangeSinceIntake,
}

/// Input of [`draw_income`].
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeChart {
    /// Title; `None` gives "Household income before, during and after the programme"
    /// (levels) or "Change in household income since intake" (changes).
    pub title: Option<String>,
    /// Levels or changes since intake.
    pub measure: IncomeMeasure,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Disclosure threshold.
    pub min_cell: u32,
    /// Reporting currency (ISO 4217), e.g. "EUR".
    pub currency: String,
    /// Price year of the real amounts, e.g. 2024.
    pub price_year: i32,
    /// One series per arm.
    pub series: Vec<IncomeSeries>,
}

impl IncomeChart {
    fn check(&self) -> Result<(), ChartError> {
        for (i, series) in self.series.iter().enumerate() {
            for (j, p) in series.points.iter().enumerate() {
                for (name, v) in [("mean", p.mean), ("low", p.low), ("high", p.high)] {
                    if let Some(v) = v {
                        finite(CHART, || format!("series[{i}].points[{j}].{name}"), v)?;
                    }
                }
                if let Stage::Year(k) = p.stage {
                    if !(1..=5).contains(&k) {
                        return Err(ChartError::InvalidInput {
                            chart: CHART,
                            problem: format!("series[{i}].points[{j}] is follow-up year {k}; the chart shows years 1 to 5"),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

impl Chart for IncomeChart {
    fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| match self.measure {
            IncomeMeasure::Level => {
                "Household income before, during and after the programme".to_string()
            }
            IncomeMeasure::ChangeSinceIntake => {
                "Change in household income since intake".to_string()
            }
        })
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_income(root, self)
    }
}

/// Draws the income chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] for a non-finite amount, [`ChartError::InvalidInput`]
/// for a follow-up year outside 1..5; [`ChartError::Drawing`] when the backend fails.
pub fn draw_income<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &IncomeChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let mut legend: Vec<LegendItem> = data
        .series
        .iter()
        .map(|x| LegendItem::new(x.arm.label(), Swatch::Line(x.arm.colour(), 4.0)))
        .collect();
    legend.push(LegendItem::new("95 % interval", Swatch::Band(NEUTRAL)));
    let mut notes = Subtitle::new(data.subtitle.as_deref());
    if data
        .series
        .iter()
        .any(|x| x.points.iter().any(|p| p.suppressed))
    {
        notes.note(format!("Gaps: fewer than {} families.", data.min_cell));
    }
    let body = Page::new(&data.title(), &data.source)
        .subtitle(notes.text().as_deref())
        .legend(&legend)
        .draw(root)?;
    // (lowest, highest) extent of each drawable point, interval included.
    let visible: Vec<(f64, f64)> = data
        .series
        .iter()
        .flat_map(|x| {
            x.points.iter().filter_map(|p| {
                p.estimate()
                    .value
                    .map(|m| (p.low.unwrap_or(m).min(m), p.high.unwrap_or(m).max(m)))
            })
        })
        .collect();
    if visible.is_empty() {
        return draw_too_few(&body, data.min_cell, s);
    }
    let top = nice_ceiling(visible.iter().map(|v| v.1).fold(0.0, f64::max) * 1.05);
    let lowest = visible.iter().map(|v| v.0).fold(0.0, f64::min);
    let bottom = if lowest < 0.0 {
        -nice_ceiling(-lowest * 1.05)
    } else {
        0.0
    };

    let y_desc = match data.measure {
        IncomeMeasure::Level => format!(
            "Annual household income ({}, {} prices)",
            data.currency, data.price_year
        ),
        IncomeMeasure::ChangeSinceIntake => format!(
            "Change in annual income since intake ({}, {} prices)",
            data.currency, data.price_year
        ),
    };
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(10.0))
        .margin_right(s.ipx(200.0))
        .x_label_area_size(s.ipx(70.0))
        .y_label_area_size(s.ipx(130.0))
        .build_cartesian_2d(-0.3f64..6.3f64, bottom..top)?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(7)
        .y_labels(6)
        .disable_x_mesh()
        .x_label_formatter(&|v| Stage::label(*v))
        .y_label_formatter(&|v| money_tick(*v, top))
        .y_desc(y_desc)
        .draw()?;
    if bottom < 0.0 {
        // Zero line: above it incomes rose, below it they fell.
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(-0.3, 0.0), (6.3, 0.0)],
            INK.stroke_width(s.ipx(2.0) as u32),
        )))?;
    }

    let mut ends: Vec<EndLabel> = Vec::new();
    for series in &data.series {
        let colour = series.arm.colour();
        let mut pts: Vec<&IncomePoint> = series.points.iter().collect();
        pts.sort_by_key(|p| p.stage);
        let pts: Vec<Estimate> = pts.iter().map(|p| p.estimate()).collect();
        draw_intervals(&mut chart, &pts, colour, LoneInterval::Whisker, s)?;
        let trace = Trace {
            colour,
            line: Line::Solid(4.0),
            radius: 7.0,
        };
        draw_trace(&mut chart, &pts, trace, s)?;
        if let Some((x, m)) = pts.iter().rev().find_map(|p| p.value.map(|m| (p.x, m))) {
            let text = match data.measure {
                IncomeMeasure::Level => money(&data.currency, m),
                IncomeMeasure::ChangeSinceIntake if m >= 0.0 => {
                    format!("+{}", money(&data.currency, m))
                }
                IncomeMeasure::ChangeSinceIntake => format!("−{}", money(&data.currency, -m)),
            };
            ends.push(EndLabel {
                at: (x, m),
                colour,
                text,
            });
        }
    }
    // Latest value at the end of each line, nudged apart.
    draw_end_labels(root, &chart, ends, 16.0, s)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette::{COMPARISON, PROGRAMME};
    use crate::charts::test_support::{
        count_tag_attr, has_text, hex, preview, render_and_check, texts,
    };

    fn series(arm: Arm, values: [f64; 7]) -> IncomeSeries {
        let stages = [
            Stage::Intake,
            Stage::Exit,
            Stage::Year(1),
            Stage::Year(2),
            Stage::Year(3),
            Stage::Year(4),
            Stage::Year(5),
        ];
        IncomeSeries {
            arm,
            points: stages
                .iter()
                .zip(values)
                .map(|(&stage, v)| IncomePoint {
                    stage,
                    mean: Some(v),
                    low: Some(v * 0.9),
                    high: Some(v * 1.1),
                    suppressed: false,
                })
                .collect(),
        }
    }

    fn example() -> IncomeChart {
        let mut comparison = series(
            Arm::Comparison,
            [
                4_200.0, 4_400.0, 4_500.0, 4_650.0, 4_700.0, 4_800.0, 42_424.0,
            ],
        );
        comparison.points[6].suppressed = true;
        IncomeChart {
            title: None,
            measure: IncomeMeasure::Level,
            subtitle: None,
            source: SourceLine::new("SOS CEE sample", 1240),
            min_cell: 10,
            currency: "EUR".into(),
            price_year: 2024,
            series: vec![
                series(
                    Arm::Programme,
                    [
                        4_100.0, 5_300.0, 5_900.0, 6_200.0, 6_400.0, 6_500.0, 6_600.0,
                    ],
                ),
                comparison,
            ],
        }
    }

    #[test]
    fn draws_two_trajectories_with_currency_and_price_year() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("income", &chart);
        assert!(has_text(
            &svg,
            "Household income before, during and after the programme"
        ));
        assert!(has_text(&svg, "Annual household income (EUR, 2024 prices)"));
        assert!(has_text(&svg, "Intake") && has_text(&svg, "Exit") && has_text(&svg, "Year 5"));
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(PROGRAMME)), 7);
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(COMPARISON)), 6);
        // One line per arm + one legend swatch each.
        assert_eq!(
            count_tag_attr(&svg, "polyline", "stroke", &hex(PROGRAMME)),
            2
        );
        assert_eq!(
            count_tag_attr(&svg, "polyline", "stroke", &hex(COMPARISON)),
            2
        );
        let t = texts(&svg);
        assert!(t.iter().any(|x| x == "EUR 6,600") && t.iter().any(|x| x == "EUR 4,800"));
        assert!(!svg.contains("42,424") && !svg.contains("42.4") && !svg.contains("42 k"));
    }

    #[test]
    fn change_since_intake_shows_signed_changes_and_zero_line() {
        let mut chart = example();
        chart.measure = IncomeMeasure::ChangeSinceIntake;
        // Deltas as in tables/income_effect: programme rises, comparison falls a little.
        chart.series[0] = series(
            Arm::Programme,
            [0.0, 1_200.0, 1_800.0, 2_100.0, 2_300.0, 2_400.0, 2_500.0],
        );
        chart.series[1] = series(
            Arm::Comparison,
            [0.0, -300.0, -200.0, -100.0, 0.0, 50.0, -150.0],
        );
        let svg = render_and_check(&chart);
        preview("income_change", &chart);
        assert!(has_text(&svg, "Change in household income since intake"));
        assert!(has_text(
            &svg,
            "Change in annual income since intake (EUR, 2024 prices)"
        ));
        let t = texts(&svg);
        assert!(
            t.iter().any(|x| x == "+EUR 2,500") && t.iter().any(|x| x == "−EUR 150"),
            "{t:?}"
        );
        // The zero line is drawn in ink across the plot.
        assert!(count_tag_attr(&svg, "polyline", "stroke", &hex(INK)) >= 1);
    }

    #[test]
    fn stage_positions_and_labels() {
        assert_eq!(Stage::Intake.x(), 0.0);
        assert_eq!(Stage::Year(3).x(), 4.0);
        assert_eq!(Stage::label(4.0), "Year 3");
        assert_eq!(Stage::label(0.5), "");
    }

    #[test]
    fn rejects_year_six() {
        let mut chart = example();
        chart.series[0].points[6].stage = Stage::Year(6);
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("years 1 to 5"), "{err}");
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
        assert!(!svg.contains("6,600"));
    }
}
