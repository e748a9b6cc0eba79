//! The headline card for fundraisers: one striking, defensible figure — "For every EUR 1
//! invested, EUR 6.20 of social value" — with its 95 % range, the chance that the return
//! exceeds the investment, one sentence of outcomes and the source.
//!
//! The range and the probability are on the card itself, not in a footnote, so the
//! figure cannot be quoted without its uncertainty. A small range bar shows where the
//! estimate and its range sit relative to break-even (1 : 1).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::error::finite;
use super::frame::{
    anchored, blank_page, draw_lines, draw_source, fit_lines, shrink_to_fit, SourceLine,
};
use super::geometry::{nice_ceiling, nice_step};
use super::labels::{per_unit, probability, tick};
use super::palette::{GRID, INK, MUTED, PROGRAMME, SKY_BLUE, VERMILLION};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "headline";

/// Input of [`draw_headline`].
#[derive(Debug, Clone, PartialEq)]
pub struct HeadlineChart {
    /// Optional programme name and period shown above the figure.
    pub programme: Option<String>,
    /// Reporting currency.
    pub currency: String,
    /// The SROI ratio (value per unit invested).
    pub ratio: f64,
    /// 2.5th percentile of the ratio (Monte Carlo).
    pub low: f64,
    /// 97.5th percentile of the ratio.
    pub high: f64,
    /// P(ratio > 1), a fraction.
    pub prob_above_one: f64,
    /// One sentence of outcomes, e.g. "8 in 10 families were still doing well two years later."
    pub outcomes: String,
    /// Source line.
    pub source: SourceLine,
}

impl HeadlineChart {
    fn check(&self) -> Result<(), ChartError> {
        finite(CHART, || "ratio".into(), self.ratio)?;
        finite(CHART, || "low".into(), self.low)?;
        finite(CHART, || "high".into(), self.high)?;
        let p = finite(CHART, || "prob_above_one".into(), self.prob_above_one)?;
        if self.low > self.high {
            return Err(ChartError::InvalidInput {
                chart: CHART,
                problem: format!(
                    "low ({}) is above high ({}); give the 2.5th then the 97.5th percentile",
                    self.low, self.high
                ),
            });
        }
        if !(0.0..=1.0).contains(&p) {
            return Err(ChartError::InvalidInput {
                chart: CHART,
                problem: format!("prob_above_one is {p}; give a fraction between 0 and 1"),
            });
        }
        Ok(())
    }
}

impl Chart for HeadlineChart {
    fn title(&self) -> String {
        format!(
            "For every {cur} 1 invested, {} of social value",
            per_unit(&self.currency, self.ratio),
            cur = self.currency
        )
    }

    fn size(&self) -> (u32, u32) {
        (1600, 900)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_headline(root, self)
    }
}

/// Draws the headline card (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for non-finite figures, a
/// range with low above high or a probability outside 0..1; [`ChartError::Drawing`] when
/// the backend fails.
pub fn draw_headline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &HeadlineChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = blank_page(root)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    // Accent stripe in the programme colour.
    root.draw(&Rectangle::new(
        [(0, 0), (s.ipx(18.0), h)],
        PROGRAMME.filled(),
    ))?;

    let left = s.ipx(80.0);
    let col = s.ipx(1020.0);
    let right_edge = w - s.ipx(70.0);
    // Every text is drawn top-left anchored and shrunk if it would overrun its column.
    let put = |text: String, (x, y): (i32, i32), style: TextStyle<'static>, max_w: i32| {
        let style = shrink_to_fit(root, &text, style, max_w)?;
        root.draw(&Text::new(
            text,
            (x, y),
            anchored(style, HPos::Left, VPos::Top),
        ))?;
        Ok::<(), ChartError>(())
    };
    if let Some(p) = &data.programme {
        put(
            p.clone(),
            (left, s.ipx(56.0)),
            s.bold(30.0, MUTED),
            right_edge - left,
        )?;
    }
    let cur = &data.currency;
    let left_w = col - left - s.ipx(50.0);
    put(
        format!("For every {cur} 1 invested"),
        (left, s.ipx(130.0)),
        s.bold(52.0, INK),
        left_w,
    )?;
    put(
        per_unit(cur, data.ratio),
        (left, s.ipx(215.0)),
        s.bold(190.0, PROGRAMME),
        left_w,
    )?;
    put(
        "of social value".into(),
        (left, s.ipx(395.0)),
        s.bold(52.0, INK),
        left_w,
    )?;

    // Right column: range and probability.
    let col_w = right_edge - col;
    put(
        "95 % range".into(),
        (col, s.ipx(130.0)),
        s.text(28.0, MUTED),
        col_w,
    )?;
    put(
        format!("{} – {:.2}", per_unit(cur, data.low), data.high),
        (col, s.ipx(170.0)),
        s.bold(48.0, INK),
        col_w,
    )?;
    put(
        "Chance the return exceeds the investment".into(),
        (col, s.ipx(365.0)),
        s.text(26.0, MUTED),
        col_w,
    )?;
    put(
        probability(data.prob_above_one),
        (col, s.ipx(405.0)),
        s.bold(48.0, INK),
        col_w,
    )?;

    // Range bar: axis 0..max, band low..high, dot at the ratio, break-even tick at 1.
    let axis_max = nice_ceiling(data.high.max(data.ratio).max(1.0) * 1.1);
    let (gx0, gx1, gy) = (col, w - s.ipx(70.0), s.ipx(285.0));
    let to_x =
        |v: f64| gx0 + ((v.clamp(0.0, axis_max) / axis_max) * f64::from(gx1 - gx0)).round() as i32;
    root.draw(&PathElement::new(
        vec![(gx0, gy), (gx1, gy)],
        MUTED.stroke_width(s.ipx(2.0) as u32),
    ))?;
    let step = nice_step(axis_max, 5);
    let tick_style = anchored(s.text(20.0, MUTED), HPos::Center, VPos::Top);
    for k in 0..=(axis_max / step).round() as i64 {
        let t = k as f64 * step;
        let x = to_x(t);
        root.draw(&PathElement::new(
            vec![(x, gy), (x, gy + s.ipx(8.0))],
            MUTED.stroke_width(s.ipx(2.0) as u32),
        ))?;
        root.draw(&Text::new(
            tick(t),
            (x, gy + s.ipx(14.0)),
            tick_style.clone(),
        ))?;
    }
    let band = s.ipx(16.0);
    root.draw(&Rectangle::new(
        [
            (to_x(data.low), gy - band - s.ipx(6.0)),
            (to_x(data.high), gy - s.ipx(6.0)),
        ],
        SKY_BLUE.filled(),
    ))?;
    let (ex, rx) = (to_x(1.0), to_x(data.ratio));
    root.draw(&PathElement::new(
        vec![(ex, gy - s.ipx(40.0)), (ex, gy)],
        VERMILLION.stroke_width(s.ipx(3.0) as u32),
    ))?;
    root.draw(&Text::new(
        "1 : 1",
        (ex, gy - s.ipx(44.0)),
        anchored(s.bold(20.0, VERMILLION), HPos::Center, VPos::Bottom),
    ))?;
    root.draw(&Circle::new(
        (rx, gy - band / 2 - s.ipx(6.0)),
        s.ipx(12.0),
        PROGRAMME.filled(),
    ))?;

    // Divider and the outcome sentence.
    let rule_y = s.ipx(560.0);
    root.draw(&PathElement::new(
        vec![(left, rule_y), (w - s.ipx(70.0), rule_y)],
        GRID.stroke_width(s.ipx(2.0) as u32),
    ))?;
    let sentence_style = s.text(38.0, INK);
    let mut lines = fit_lines(
        root,
        &data.outcomes,
        &sentence_style,
        (w - left - s.ipx(70.0)).max(1) as u32,
    )?;
    lines.truncate(4);
    draw_lines(
        root,
        &lines,
        (left, rule_y + s.ipx(40.0)),
        &sentence_style,
        s.ipx(54.0),
    )?;

    draw_source(
        root,
        &data.source,
        (left, h - s.ipx(30.0)),
        w - left - s.ipx(70.0),
        s,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{count_tag_attr, has_text, hex, preview, render_and_check};

    fn example() -> HeadlineChart {
        HeadlineChart {
            programme: Some("Family strengthening in Central and Eastern Europe, 2019-2024".into()),
            currency: "EUR".into(),
            ratio: 6.2,
            low: 4.1,
            high: 8.3,
            prob_above_one: 0.97,
            outcomes: "Eight in ten families were still doing well in at least six of eight areas of life two years after support ended, and 99 % of children stayed in family care.".into(),
            source: SourceLine::new("SOS CEE sample", 1240),
        }
    }

    #[test]
    fn card_states_figure_range_and_probability() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("headline", &chart);
        assert_eq!(chart.size(), (1600, 900));
        for needle in [
            "For every EUR 1 invested",
            "EUR 6.20",
            "of social value",
            "95 % range",
            "EUR 4.10 – 8.30",
            "Chance the return exceeds the investment",
            "97 %",
            "Eight in ten families",
            "Source: SOS CEE sample, n = 1,240 families",
        ] {
            assert!(has_text(&svg, needle), "missing {needle}");
        }
        // Stripe + the ratio dot in the programme colour; one range band.
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(PROGRAMME)), 1);
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(PROGRAMME)), 1);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(SKY_BLUE)), 1);
    }

    #[test]
    fn long_figures_are_shrunk_to_fit() {
        let mut chart = example();
        chart.ratio = 123.45;
        chart.high = 150.0;
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "EUR 123.45"));
        let sizes: Vec<f64> = svg
            .split("<text")
            .filter(|t| t.contains("EUR 123.45"))
            .filter_map(|t| {
                t.split("font-size=\"")
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse()
                    .ok()
            })
            .collect();
        // 190 px design size would be 153 in SVG units (size / 1.24); it must be smaller.
        assert!(sizes.len() == 1 && sizes[0] < 150.0, "{sizes:?}");
    }

    #[test]
    fn rejects_inverted_range() {
        let mut chart = example();
        chart.low = 9.0;
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("2.5th then the 97.5th"), "{err}");
    }
}
