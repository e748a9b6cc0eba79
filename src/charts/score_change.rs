//! The score-change chart: mean well-being score by domain at intake, at exit and at
//! follow-up, as a dot plot (one row per domain, scores 1-4 on the x axis).
//!
//! A dot plot rather than grouped bars: scores are on a 1-4 scale with no meaningful
//! zero, so bar lengths would mislead, and three dots on a line show both the level and
//! the direction of change at a glance. The "doing well" threshold (3) is marked, and
//! the change from intake to follow-up is written at the right of each row: the mean
//! paired change of the families assessed at both (the `score_change` table's figure),
//! not the difference of the two dots, which are means over everyone assessed at each
//! point (fewer families remain at a later follow-up, and not at random).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{dashed, HouseStyle, REFERENCE};
use super::error::finite;
use super::frame::{
    anchored, draw_too_few, size, LegendItem, Page, Scale, SourceLine, Subtitle, Swatch,
};
use super::interval::published;
use super::labels::domain_label;
use super::palette::{INK, MUTED, NEUTRAL, PROGRAMME, SKY_BLUE};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "score_change";

/// Colour of the intake, exit and follow-up dots.
const INTAKE: RGBColor = NEUTRAL;
const EXIT: RGBColor = SKY_BLUE;
const FOLLOWUP: RGBColor = PROGRAMME;

/// A mean score (1 = not doing well .. 4 = doing very well) or a suppressed cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreValue {
    /// Mean score; `None` when not estimable.
    pub mean: Option<f64>,
    /// True when the cell rests on too few families: never drawn.
    pub suppressed: bool,
}

impl ScoreValue {
    /// A published mean.
    pub fn shown(mean: f64) -> Self {
        ScoreValue {
            mean: Some(mean),
            suppressed: false,
        }
    }

    fn visible(&self) -> Option<f64> {
        published(self.mean, self.suppressed)
    }
}

/// One domain's mean scores at the three moments.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainScores {
    /// Domain code (`care`, `food_security`, ...).
    pub domain: String,
    /// Mean score at intake.
    pub intake: ScoreValue,
    /// Mean score at exit.
    pub exit: ScoreValue,
    /// Mean score at the follow-up shown.
    pub followup: ScoreValue,
    /// Mean paired change from intake to the follow-up shown, of the families assessed
    /// at both (`score_change`): the figure written at the right of the row.
    pub change: ScoreValue,
}

/// Input of [`draw_score_change`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreChangeChart {
    /// Title; `None` gives "Mean well-being score by domain: intake, exit and follow-up".
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Disclosure threshold.
    pub min_cell: u32,
    /// Legend wording of the follow-up dots, e.g. "Follow-up (year 2)".
    pub followup_label: String,
    /// One row per domain, top to bottom.
    pub domains: Vec<DomainScores>,
}

impl ScoreChangeChart {
    fn check(&self) -> Result<(), ChartError> {
        for (i, d) in self.domains.iter().enumerate() {
            if let Some(m) = d.change.mean {
                let m = finite(
                    CHART,
                    || format!("domains[{i}] ({}).change.mean", d.domain),
                    m,
                )?;
                if m.abs() > 3.0 + 1e-9 {
                    return Err(ChartError::InvalidInput {
                        chart: CHART,
                        problem: format!(
                            "domains[{i}] ({}).change.mean is {m}; a change of 1-4 scores lies within -3..3",
                            d.domain
                        ),
                    });
                }
            }
            for (name, v) in [
                ("intake", d.intake),
                ("exit", d.exit),
                ("followup", d.followup),
            ] {
                if let Some(m) = v.mean {
                    let m = finite(
                        CHART,
                        || format!("domains[{i}] ({}).{name}.mean", d.domain),
                        m,
                    )?;
                    if !(1.0 - 1e-9..=4.0 + 1e-9).contains(&m) {
                        return Err(ChartError::InvalidInput {
                            chart: CHART,
                            problem: format!(
                                "domains[{i}] ({}).{name}.mean is {m}; scores run from 1 to 4",
                                d.domain
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

impl Chart for ScoreChangeChart {
    fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| {
            "Mean well-being score by domain: intake, exit and follow-up".to_string()
        })
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_score_change(root, self)
    }
}

fn score_name(v: f64) -> String {
    match v.round() as i32 {
        1 => "1 Not doing well".into(),
        2 => "2 Struggling".into(),
        3 => "3 Doing well".into(),
        4 => "4 Very well".into(),
        _ => String::new(),
    }
}

/// Draws the score-change dot plot (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for a non-finite mean or
/// one outside 1..4; [`ChartError::Drawing`] when the backend fails.
pub fn draw_score_change<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ScoreChangeChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let legend = [
        LegendItem::new("Intake", Swatch::Dot(INTAKE)),
        LegendItem::new("Exit", Swatch::Dot(EXIT)),
        LegendItem::new(data.followup_label.clone(), Swatch::Dot(FOLLOWUP)),
    ];
    let mut notes = Subtitle::new(data.subtitle.as_deref());
    notes.note(
        "Change: mean change of the same families from intake to follow-up (dots: everyone assessed at each point)."
            .to_string(),
    );
    if data
        .domains
        .iter()
        .any(|d| d.intake.suppressed || d.exit.suppressed || d.followup.suppressed)
    {
        notes.note(format!(
            "Missing dots: fewer than {} families.",
            data.min_cell
        ));
    }
    let body = Page::new(&data.title(), &data.source)
        .subtitle(notes.text().as_deref())
        .legend(&legend)
        .draw(root)?;
    let any = data.domains.iter().any(|d| {
        d.intake
            .visible()
            .or(d.exit.visible())
            .or(d.followup.visible())
            .is_some()
    });
    if !any {
        return draw_too_few(&body, data.min_cell, s);
    }

    let n = data.domains.len();
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(10.0))
        .margin_right(s.ipx(150.0))
        .x_label_area_size(s.ipx(90.0))
        .y_label_area_size(s.ipx(340.0))
        .build_cartesian_2d(0.85f64..4.15f64, -0.6f64..(n as f64 - 0.4))?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(4)
        .y_labels(0)
        .disable_y_mesh()
        .x_label_formatter(&|v| {
            if (v - v.round()).abs() < 1e-9 {
                score_name(*v)
            } else {
                String::new()
            }
        })
        .x_desc("Mean score (1 = not doing well, 4 = doing very well)")
        .draw()?;
    // Threshold of "doing well".
    chart.draw_series(dashed(
        vec![(3.0, -0.6), (3.0, n as f64 - 0.4)],
        MUTED,
        2.0,
        REFERENCE,
        s,
    ))?;

    let label_style = anchored(s.text(size::TICK, INK), HPos::Right, VPos::Center);
    let change_style = anchored(s.bold(size::VALUE, INK), HPos::Left, VPos::Center);
    let (right_px, _) = chart.backend_coord(&(4.15, 0.0));
    let (left_px, _) = chart.backend_coord(&(0.85, 0.0));
    let (_, head_py) = chart.backend_coord(&(4.15, n as f64 - 0.4));
    root.draw(&Text::new(
        "Change",
        (right_px + s.ipx(20.0), head_py - s.ipx(4.0)),
        anchored(s.bold(size::TICK - 2.0, MUTED), HPos::Left, VPos::Bottom),
    ))?;
    for (i, d) in data.domains.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let (_, py) = chart.backend_coord(&(1.0, y));
        root.draw(&Text::new(
            domain_label(&d.domain),
            (left_px - s.ipx(14.0), py),
            label_style.clone(),
        ))?;
        let dots: Vec<(f64, RGBColor)> =
            [(d.intake, INTAKE), (d.exit, EXIT), (d.followup, FOLLOWUP)]
                .iter()
                .filter_map(|(v, c)| v.visible().map(|m| (m, *c)))
                .collect();
        if dots.len() > 1 {
            let lo = dots.iter().map(|d| d.0).fold(f64::INFINITY, f64::min);
            let hi = dots.iter().map(|d| d.0).fold(f64::NEG_INFINITY, f64::max);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(lo, y), (hi, y)],
                NEUTRAL.mix(0.6).stroke_width(s.ipx(3.0) as u32),
            )))?;
        }
        chart.draw_series(
            dots.iter()
                .map(|&(m, c)| Circle::new((m, y), s.ipx(11.0), c.filled())),
        )?;
        if let Some(change) = d.change.visible() {
            let text = format!(
                "{}{:.1}",
                if change >= 0.0 { "+" } else { "−" },
                change.abs()
            );
            root.draw(&Text::new(
                text,
                (right_px + s.ipx(20.0), py),
                change_style.clone(),
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{
        count_tag_attr, has_text, hex, preview, render_and_check, texts,
    };

    fn example() -> ScoreChangeChart {
        let rows = [
            // Paired changes (last column) differ from the difference of the dots: the
            // chart writes the paired one.
            ("care", 2.1, 3.2, 3.1, 0.8),
            ("food_security", 2.0, 2.9, 2.8, 0.7),
            ("shelter", 2.3, 2.8, 2.9, 0.6),
            ("physical_health", 2.6, 3.1, 3.0, 0.3),
            ("education_skills", 2.4, 3.3, 3.2, 0.7),
            ("livelihood", 1.8, 2.6, 2.7, 0.6),
            ("protection_social_inclusion", 2.2, 3.0, 3.1, 0.8),
            ("social_emotional", 2.0, 3.0, 2.9, 0.9),
        ];
        let domains = rows
            .iter()
            .map(|&(d, a, b, c, ch)| DomainScores {
                domain: d.into(),
                change: if d == "shelter" {
                    ScoreValue {
                        mean: Some(1.1),
                        suppressed: true,
                    }
                } else {
                    ScoreValue::shown(ch)
                },
                intake: ScoreValue::shown(a),
                exit: ScoreValue::shown(b),
                followup: if d == "shelter" {
                    ScoreValue {
                        mean: Some(3.4242),
                        suppressed: true,
                    }
                } else {
                    ScoreValue::shown(c)
                },
            })
            .collect();
        ScoreChangeChart {
            title: None,
            subtitle: Some("Programme families, follow-up year 2.".into()),
            source: SourceLine::new("SOS CEE sample", 1240),
            min_cell: 10,
            followup_label: "Follow-up (year 2)".into(),
            domains,
        }
    }

    #[test]
    fn draws_three_dots_per_domain_except_suppressed() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("score_change", &chart);
        assert!(has_text(
            &svg,
            "Mean well-being score by domain: intake, exit and follow-up"
        ));
        assert!(has_text(
            &svg,
            "Mean score (1 = not doing well, 4 = doing very well)"
        ));
        assert!(has_text(&svg, "Protection and inclusion") && has_text(&svg, "Follow-up (year 2)"));
        // 8 intake + 8 exit dots, 7 follow-up dots (shelter suppressed); each colour +1 legend.
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(INTAKE)), 9);
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(EXIT)), 9);
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(FOLLOWUP)), 8);
        let t = texts(&svg);
        // The paired changes, not the differences of the dots (care 3.1 - 2.1 = +1.0 is
        // not written; its paired change +0.8 is); no change shown for shelter.
        assert!(t.iter().any(|x| x == "+0.8") && t.iter().any(|x| x == "+0.6"));
        assert!(!t.iter().any(|x| x == "+1.0"));
        assert_eq!(
            t.iter()
                .filter(|x| x.starts_with('+') || x.starts_with('−'))
                .count(),
            7
        );
        assert!(
            !svg.contains("3.42") && !svg.contains("+1.1"),
            "suppressed value leaked"
        );
    }

    #[test]
    fn rejects_scores_off_the_scale() {
        let mut chart = example();
        chart.domains[0].exit = ScoreValue::shown(5.0);
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("scores run from 1 to 4"), "{err}");
    }

    #[test]
    fn all_suppressed_shows_message() {
        let mut chart = example();
        for d in &mut chart.domains {
            d.intake.suppressed = true;
            d.exit.suppressed = true;
            d.followup.suppressed = true;
        }
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "Too few families to show (fewer than 10)"));
    }
}
