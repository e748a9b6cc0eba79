//! The survival chart: Kaplan-Meier curves of children (or families) staying in family
//! care after the programme, by arm, with step-shaped 95 % bands and a number-at-risk
//! table under the x axis.
//!
//! A Kaplan-Meier estimate is constant between events, so curve and band are drawn as
//! steps, never as slopes. Where the number at risk falls below the disclosure threshold
//! the curve stops (the estimate rests on too few families to publish), and a suppressed
//! at-risk count is written as "<N". Survival of family care is usually high (published
//! losses are around 1 %), so the y axis starts near the lowest value shown, and the
//! subtitle says so whenever it does not start at zero.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::HouseStyle;
use super::end_labels::{draw_end_labels, EndLabel};
use super::error::{finite, fraction};
use super::frame::{
    anchored, draw_too_few, size, LegendItem, Page, Scale, SourceLine, Subtitle, Swatch, BAND_ALPHA,
};
use super::geometry::step_path;
use super::labels::{percent, thousands};
use super::palette::{Arm, INK, MUTED, NEUTRAL};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "survival";

/// Years shown on the x axis.
const HORIZON: f64 = 5.0;

/// One row of a Kaplan-Meier curve (one distinct event or censoring time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalStep {
    /// Time since exit in years (`day / 365.25`).
    pub years: f64,
    /// S(t) just after this time, 0..1.
    pub survival: f64,
    /// Lower end of the 95 % interval.
    pub low: Option<f64>,
    /// Upper end of the 95 % interval.
    pub high: Option<f64>,
    /// True when the number at risk is below the disclosure threshold.
    pub suppressed: bool,
}

impl SurvivalStep {
    /// A step at `day` days after exit (as in `tables/survival_curve`), converted to years
    /// with the method's 365.25-day year.
    pub fn at_day(
        day: i64,
        survival: f64,
        low: Option<f64>,
        high: Option<f64>,
        suppressed: bool,
    ) -> Self {
        SurvivalStep {
            years: day as f64 / crate::dates::DAYS_PER_YEAR,
            survival,
            low,
            high,
            suppressed,
        }
    }
}

/// Number at risk at a whole year, for the table under the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtRisk {
    /// Year since exit, 0..5.
    pub year: u32,
    /// Number at risk; `None` when unknown.
    pub count: Option<u64>,
    /// True when the count must not be published (shown as "<N").
    pub suppressed: bool,
}

/// One arm's curve.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalArm {
    /// Which arm (fixes colour and label).
    pub arm: Arm,
    /// Curve rows in time order (S = 1 at time 0 is implied).
    pub steps: Vec<SurvivalStep>,
    /// Numbers at risk at years 0..5.
    pub at_risk: Vec<AtRisk>,
}

/// Whose survival the chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurvivalLevel {
    /// Each child (event: that child placed in alternative care).
    Child,
    /// Each family (event: any of its children placed).
    Family,
}

/// Input of [`draw_survival`].
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalChart {
    /// Title; `None` gives "Children staying in family care after the programme" (child
    /// level) or "Families staying together after the programme" (family level).
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Child or family level (sets the y axis label).
    pub level: SurvivalLevel,
    /// Source line.
    pub source: SourceLine,
    /// Disclosure threshold (suppressed counts are shown as "<min_cell").
    pub min_cell: u32,
    /// p-value of the family-level (primary) log-rank test of the arms, if tested.
    pub log_rank_p: Option<f64>,
    /// One entry per arm.
    pub arms: Vec<SurvivalArm>,
}

/// The part of an arm's curve that may be drawn: knots `(t, S, low, high)` and end time.
struct Visible {
    knots: Vec<(f64, f64, f64, f64)>,
    end: f64,
}

fn visible(arm: &SurvivalArm) -> Visible {
    let mut knots = vec![(0.0, 1.0, 1.0, 1.0)];
    let mut end = 0.0;
    for step in &arm.steps {
        if step.years > HORIZON {
            end = HORIZON;
            break;
        }
        if step.suppressed {
            // Stop at the last publishable time: even the time of the next step would
            // date an event among too few children.
            break;
        }
        let low = step.low.unwrap_or(step.survival);
        let high = step.high.unwrap_or(step.survival);
        if step.years <= 0.0 {
            knots[0] = (0.0, step.survival, low, high);
        } else {
            knots.push((step.years, step.survival, low, high));
        }
        end = step.years;
    }
    Visible { knots, end }
}

impl SurvivalChart {
    fn check(&self) -> Result<(), ChartError> {
        for (i, arm) in self.arms.iter().enumerate() {
            let mut last = f64::NEG_INFINITY;
            for (j, st) in arm.steps.iter().enumerate() {
                let field = |name: &str| format!("arms[{i}].steps[{j}].{name}");
                finite(CHART, || field("years"), st.years)?;
                for (name, v) in [
                    ("survival", Some(st.survival)),
                    ("low", st.low),
                    ("high", st.high),
                ] {
                    if let Some(v) = v {
                        fraction(
                            CHART,
                            || field(name),
                            v,
                            "survival is a fraction between 0 and 1",
                        )?;
                    }
                }
                if st.years < last {
                    return Err(ChartError::InvalidInput {
                        chart: CHART,
                        problem: format!(
                            "arms[{i}].steps are not in time order at row {j}; sort them by time"
                        ),
                    });
                }
                last = st.years;
            }
        }
        Ok(())
    }
}

/// Lowest y axis value: a multiple of 5 % at least 2 points below the lowest value shown.
fn y_floor(lowest: f64) -> f64 {
    let f = ((lowest - 0.02) * 20.0).floor() / 20.0;
    f.clamp(0.0, 0.9)
}

impl Chart for SurvivalChart {
    fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| match self.level {
            SurvivalLevel::Child => {
                "Children staying in family care after the programme".to_string()
            }
            SurvivalLevel::Family => "Families staying together after the programme".to_string(),
        })
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_survival(root, self)
    }
}

fn short_label(arm: Arm) -> &'static str {
    match arm {
        Arm::Programme => "Programme",
        Arm::Comparison => "Comparison",
    }
}

fn p_value_text(p: f64) -> String {
    if p < 0.001 {
        "Log-rank test of the arms (families): p < 0.001".to_string()
    } else {
        format!("Log-rank test of the arms (families): p = {p:.3}")
    }
}

/// Draws the survival chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for non-finite or
/// out-of-range values or unsorted steps; [`ChartError::Drawing`] when the backend fails.
pub fn draw_survival<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &SurvivalChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let curves: Vec<(&SurvivalArm, Visible)> = data
        .arms
        .iter()
        .map(|a| (a, visible(a)))
        .filter(|(_, v)| v.knots.len() > 1)
        .collect();
    let lowest = curves
        .iter()
        .flat_map(|(_, v)| v.knots.iter().map(|k| k.2.min(k.1)))
        .fold(1.0f64, f64::min);
    let floor = y_floor(lowest);

    let mut legend: Vec<LegendItem> = data
        .arms
        .iter()
        .map(|a| LegendItem::new(a.arm.label(), Swatch::Line(a.arm.colour(), 4.0)))
        .collect();
    legend.push(LegendItem::new("95 % interval", Swatch::Band(NEUTRAL)));
    let mut notes = Subtitle::new(data.subtitle.as_deref());
    if floor > 0.0 && !curves.is_empty() {
        notes.note(format!(
            "The vertical axis starts at {:.0} %.",
            floor * 100.0
        ));
    }
    if data
        .arms
        .iter()
        .any(|a| a.steps.iter().any(|st| st.suppressed))
    {
        notes.note(format!(
            "Curves stop where fewer than {} remain at risk.",
            data.min_cell
        ));
    }
    let body = Page::new(&data.title(), &data.source)
        .subtitle(notes.text().as_deref())
        .legend(&legend)
        .draw(root)?;
    if curves.is_empty() {
        return draw_too_few(&body, data.min_cell, s);
    }

    let row_h = s.ipx(36.0);
    let table_h = row_h * (data.arms.len() as i32 + 1) + s.ipx(12.0);
    let (_, h) = body.dim_in_pixel();
    let (plot_area, table) = body.split_vertically(h as i32 - table_h);
    let y_label = match data.level {
        SurvivalLevel::Child => "Children still in family care (%)",
        SurvivalLevel::Family => "Families with all children at home (%)",
    };
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(s.ipx(10.0))
        .margin_right(s.ipx(110.0))
        .x_label_area_size(s.ipx(80.0))
        .y_label_area_size(s.ipx(210.0))
        .build_cartesian_2d(0f64..HORIZON, floor..1.005f64)?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(6)
        .y_labels(8)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{:.0}", v * 100.0))
        .x_desc("Years since exit")
        .y_desc(y_label)
        .draw()?;

    // Bands first, then lines on top.
    for (arm, vis) in &curves {
        let colour = arm.arm.colour();
        let upper = step_path(
            &vis.knots.iter().map(|k| (k.0, k.3)).collect::<Vec<_>>(),
            vis.end,
        );
        let lower = step_path(
            &vis.knots.iter().map(|k| (k.0, k.2)).collect::<Vec<_>>(),
            vis.end,
        );
        let mut poly = upper;
        poly.extend(lower.into_iter().rev());
        chart.draw_series(std::iter::once(Polygon::new(
            poly,
            colour.mix(BAND_ALPHA).filled(),
        )))?;
    }
    let mut end_labels: Vec<EndLabel> = Vec::new();
    for (arm, vis) in &curves {
        let colour = arm.arm.colour();
        let path = step_path(
            &vis.knots.iter().map(|k| (k.0, k.1)).collect::<Vec<_>>(),
            vis.end,
        );
        if let Some(&(x, y)) = path.last() {
            end_labels.push(EndLabel {
                at: (x, y),
                colour,
                text: percent(y),
            });
        }
        chart.draw_series(LineSeries::new(
            path,
            colour.stroke_width(s.ipx(4.0) as u32),
        ))?;
    }
    // End-of-curve values, nudged apart so they never overlap.
    draw_end_labels(root, &chart, end_labels, 12.0, s)?;
    if let Some(p) = data.log_rank_p {
        let p = finite(CHART, || "log_rank_p".into(), p)?;
        let (px, py) = chart.backend_coord(&(0.1, floor));
        root.draw(&Text::new(
            p_value_text(p),
            (px, py - s.ipx(14.0)),
            anchored(s.text(size::VALUE, MUTED), HPos::Left, VPos::Bottom),
        ))?;
    }

    // Number-at-risk table, columns aligned with the x ticks.
    let (_, base_y) = table.get_base_pixel();
    let (label_x, _) = chart.backend_coord(&(0.0, floor));
    let head = anchored(s.bold(size::TICK - 2.0, INK), HPos::Right, VPos::Center);
    let label_right = label_x - s.ipx(56.0);
    root.draw(&Text::new(
        "Number at risk",
        (label_right, base_y + row_h / 2),
        head,
    ))?;
    for (r, arm) in data.arms.iter().enumerate() {
        let y = base_y + row_h * (r as i32 + 1) + row_h / 2;
        let colour = arm.arm.colour();
        root.draw(&Text::new(
            short_label(arm.arm),
            (label_right, y),
            anchored(s.bold(size::TICK - 2.0, colour), HPos::Right, VPos::Center),
        ))?;
        for year in 0..=HORIZON as u32 {
            let cell = arm.at_risk.iter().find(|a| a.year == year);
            let text = match cell {
                Some(a) if a.suppressed => format!("<{}", data.min_cell),
                Some(AtRisk { count: Some(n), .. }) => thousands(*n as f64),
                _ => "–".to_string(),
            };
            let (x, _) = chart.backend_coord(&(f64::from(year), floor));
            root.draw(&Text::new(
                text,
                (x, y),
                anchored(s.text(size::TICK - 2.0, INK), HPos::Center, VPos::Center),
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette::{COMPARISON, PROGRAMME};
    use crate::charts::test_support::{
        count_tag_attr, has_text, hex, pixels_of, preview, render_and_check, texts,
    };

    /// A curve losing `drop` of survival at each of `times`, with a +-`ci` band.
    fn curve(times: &[f64], drop: f64, ci: f64) -> Vec<SurvivalStep> {
        let mut s = 1.0;
        times
            .iter()
            .map(|&t| {
                s -= drop;
                SurvivalStep {
                    years: t,
                    survival: s,
                    low: Some(s - ci),
                    high: Some((s + ci).min(1.0)),
                    suppressed: false,
                }
            })
            .collect()
    }

    fn at_risk(counts: &[u64], min_cell: u64) -> Vec<AtRisk> {
        counts
            .iter()
            .enumerate()
            .map(|(y, &n)| AtRisk {
                year: y as u32,
                count: Some(n),
                suppressed: n < min_cell,
            })
            .collect()
    }

    /// Programme children lose family care rarely (~1 %/year, PDB2: 1 %); comparison more.
    pub(crate) fn example() -> SurvivalChart {
        let mut comparison = curve(&[0.3, 0.8, 1.2, 1.9, 2.4, 3.1, 3.6, 4.2, 4.6], 0.02, 0.025);
        // The tail past 4.5 years rests on 7 children: suppressed, value 0.4242 must not show.
        comparison[8].survival = 0.4242;
        comparison[8].suppressed = true;
        SurvivalChart {
            title: None,
            subtitle: None,
            level: SurvivalLevel::Child,
            source: SourceLine::new("SOS CEE sample", 1240),
            min_cell: 10,
            log_rank_p: Some(0.0004),
            arms: vec![
                SurvivalArm {
                    arm: Arm::Programme,
                    steps: curve(&[0.5, 1.1, 1.7, 2.6, 3.3, 4.1, 4.9, 5.0], 0.008, 0.01),
                    at_risk: at_risk(&[1820, 1610, 1290, 950, 640, 310], 10),
                },
                SurvivalArm {
                    arm: Arm::Comparison,
                    steps: comparison,
                    at_risk: at_risk(&[310, 260, 190, 120, 60, 7], 10),
                },
            ],
        }
    }

    #[test]
    fn draws_two_step_curves_with_bands_and_table() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("survival", &chart);
        assert!(has_text(
            &svg,
            "Children staying in family care after the programme"
        ));
        assert!(has_text(&svg, "Children still in family care (%)"));
        assert!(has_text(&svg, "Years since exit"));
        assert!(has_text(&svg, "Number at risk"));
        assert!(has_text(
            &svg,
            "Log-rank test of the arms (families): p < 0.001"
        ));
        assert!(has_text(&svg, "The vertical axis starts at"));
        // Per arm: one curve polyline + one legend swatch; one band polygon.
        for colour in [PROGRAMME, COMPARISON] {
            assert_eq!(count_tag_attr(&svg, "polyline", "stroke", &hex(colour)), 2);
            assert_eq!(count_tag_attr(&svg, "polygon", "fill", &hex(colour)), 1);
        }
        let t = texts(&svg);
        assert!(t.iter().any(|x| x == "1,820") && t.iter().any(|x| x == "310"));
        // Suppressed at-risk count shown as "<10", never as its value.
        assert!(t.iter().any(|x| x == "<10"));
        assert!(!t.iter().any(|x| x == "7"));
        assert!(!svg.contains("42.4") && !svg.contains("42 %"));
        // Both arm colours reach the bitmap as solid curve pixels (4 px lines, > 1000 px).
        assert!(pixels_of(&chart, PROGRAMME) > 1000 && pixels_of(&chart, COMPARISON) > 1000);
        // Programme after 8 drops of 0.8 %: 93.6 % -> "94 %" at the end of the curve.
        assert!(t.iter().any(|x| x == "94 %"));
    }

    #[test]
    fn curve_is_step_shaped_and_stops_at_suppression() {
        let chart = example();
        let vis = visible(&chart.arms[1]);
        assert_eq!(vis.knots.len(), 9); // time 0 + 8 unsuppressed steps
                                        // Ends at the last published step (4.2 years), not at the suppressed one (4.6).
        assert!((vis.end - 4.2).abs() < 1e-12);
        let path = step_path(
            &vis.knots.iter().map(|k| (k.0, k.1)).collect::<Vec<_>>(),
            vis.end,
        );
        // Each drop is vertical: consecutive points share x or y.
        for w in path.windows(2) {
            assert!(w[0].0 == w[1].0 || w[0].1 == w[1].1, "{w:?}");
        }
    }

    #[test]
    fn days_become_years() {
        // 1461 days = 4 years of 365.25 days (docs/method.md section 1).
        let st = SurvivalStep::at_day(730, 0.97, Some(0.95), Some(0.98), false);
        assert!((st.years - 730.0 / 365.25).abs() < 1e-12);
        assert!((SurvivalStep::at_day(1461, 1.0, None, None, false).years - 4.0).abs() < 1e-12);
    }

    #[test]
    fn axis_floor() {
        // 0.936 - 0.02 = 0.916 -> 0.90; 0.91 - 0.02 = 0.89 -> 0.85.
        assert!((y_floor(0.936) - 0.9).abs() < 1e-12);
        assert!((y_floor(0.91) - 0.85).abs() < 1e-12);
        assert_eq!(y_floor(0.05), 0.0);
        assert!((y_floor(1.0) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn family_level_labels() {
        let mut chart = example();
        chart.level = SurvivalLevel::Family;
        let svg = render_and_check(&chart);
        assert!(has_text(
            &svg,
            "Families staying together after the programme"
        ));
        assert!(has_text(&svg, "Families with all children at home (%)"));
    }

    #[test]
    fn all_suppressed_shows_message() {
        let mut chart = example();
        for a in &mut chart.arms {
            for st in &mut a.steps {
                st.suppressed = true;
            }
        }
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "Too few families to show (fewer than 10)"));
    }

    #[test]
    fn rejects_unsorted_steps() {
        let mut chart = example();
        chart.arms[0].steps.swap(0, 1);
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("not in time order"), "{err}");
    }
}
