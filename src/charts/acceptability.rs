//! The acceptability curve: the probability that the SROI ratio exceeds x, for x from 0
//! to 10 — the chance that each unit invested returns at least x.
//!
//! Funders read two points off it, and both are marked: the probability of breaking
//! even (x = 1) and the return that half of the simulated outcomes reach (where the
//! curve crosses 50 %, the median ratio).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{break_even, dashed, HouseStyle, GUIDE};
use super::error::finite;
use super::frame::{
    draw_boxed_label, draw_message, size, LegendItem, Page, Scale, SourceLine, Swatch,
};
use super::labels::{per_unit, probability_statement, tick};
use super::palette::{INK, MUTED, PROGRAMME, VERMILLION};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "acceptability";

/// P(ratio > threshold).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AcceptabilityPoint {
    /// The return x per unit invested.
    pub threshold: f64,
    /// P(ratio > x), a fraction.
    pub probability: f64,
}

/// The acceptability curve of Monte Carlo ratios: P(ratio > x) at x = 0, step, 2 step,
/// ... up to `max` (inclusive). Non-finite draws are ignored; no draws, a step that is
/// not positive and finite, or a negative or infinite `max` give an empty curve.
pub fn acceptability_curve(ratios: &[f64], max: f64, step: f64) -> Vec<AcceptabilityPoint> {
    let mut sorted: Vec<f64> = ratios.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() || !step.is_finite() || step <= 0.0 || !max.is_finite() || max < 0.0 {
        return Vec::new();
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let steps = (max / step).round() as usize;
    (0..=steps)
        .map(|i| {
            let x = i as f64 * step;
            // Number of draws <= x, by binary search; the rest exceed x.
            let at_or_below = sorted.partition_point(|&v| v <= x);
            AcceptabilityPoint {
                threshold: x,
                probability: (sorted.len() - at_or_below) as f64 / n,
            }
        })
        .collect()
}

/// Linear interpolation of the curve at `x`.
fn probability_at(points: &[AcceptabilityPoint], x: f64) -> Option<f64> {
    points
        .windows(2)
        .find(|w| w[0].threshold <= x && x <= w[1].threshold)
        .map(|w| {
            let span = w[1].threshold - w[0].threshold;
            let t = if span > 0.0 {
                (x - w[0].threshold) / span
            } else {
                0.0
            };
            w[0].probability + t * (w[1].probability - w[0].probability)
        })
}

/// First x where the (falling) curve reaches `level`, by linear interpolation.
fn crossing(points: &[AcceptabilityPoint], level: f64) -> Option<f64> {
    points
        .windows(2)
        .find(|w| {
            w[0].probability >= level
                && w[1].probability <= level
                && w[0].probability != w[1].probability
        })
        .map(|w| {
            let t = (w[0].probability - level) / (w[0].probability - w[1].probability);
            w[0].threshold + t * (w[1].threshold - w[0].threshold)
        })
}

/// Input of [`draw_acceptability`].
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptabilityChart {
    /// Title; `None` gives "How likely is each level of return?".
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Reporting currency.
    pub currency: String,
    /// The curve, thresholds ascending (e.g. from [`acceptability_curve`]).
    pub points: Vec<AcceptabilityPoint>,
}

impl AcceptabilityChart {
    fn check(&self) -> Result<(), ChartError> {
        let mut last = f64::NEG_INFINITY;
        for (i, p) in self.points.iter().enumerate() {
            let x = finite(CHART, || format!("points[{i}].threshold"), p.threshold)?;
            let pr = finite(CHART, || format!("points[{i}].probability"), p.probability)?;
            if !(0.0..=1.0).contains(&pr) {
                return Err(ChartError::InvalidInput {
                    chart: CHART,
                    problem: format!(
                        "points[{i}].probability is {pr}; give a fraction between 0 and 1"
                    ),
                });
            }
            if x <= last {
                return Err(ChartError::InvalidInput {
                    chart: CHART,
                    problem: format!(
                        "points[{i}].threshold {x} does not increase; sort the curve by threshold"
                    ),
                });
            }
            last = x;
        }
        Ok(())
    }
}

impl Chart for AcceptabilityChart {
    fn title(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| "How likely is each level of return?".to_string())
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_acceptability(root, self)
    }
}

/// Draws the acceptability curve (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for non-finite values,
/// probabilities outside 0..1 or unsorted thresholds; [`ChartError::Drawing`] when the
/// backend fails.
pub fn draw_acceptability<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &AcceptabilityChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let legend = [
        LegendItem::new(
            "Probability the ratio exceeds x",
            Swatch::Line(PROGRAMME, 4.0),
        ),
        LegendItem::new("Break-even (x = 1)", Swatch::Dashed(VERMILLION)),
    ];
    let at_one = probability_at(&data.points, 1.0);
    let median = crossing(&data.points, 0.5);
    let mut key_parts: Vec<String> = Vec::new();
    if let Some(p) = at_one {
        key_parts.push(probability_statement("ratio > 1", p));
    }
    if let Some(m) = median {
        key_parts.push(format!(
            "half of the simulations return at least {} per {} 1",
            per_unit(&data.currency, m),
            data.currency
        ));
    }
    let key = key_parts.join(";  ");
    let body = Page::new(&data.title(), &data.source)
        .subtitle(data.subtitle.as_deref())
        .key((!key.is_empty()).then_some(key.as_str()))
        .legend(&legend)
        .draw(root)?;
    if data.points.len() < 2 {
        return draw_message(&body, "No acceptability curve to show", s);
    }
    let x_max = data.points.last().map_or(10.0, |p| p.threshold).max(1.0);
    let x_min = data.points.first().map_or(0.0, |p| p.threshold).min(0.0);
    let x_desc = format!("Return per {} 1 invested (x)", data.currency);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(16.0))
        .margin_right(s.ipx(40.0))
        .x_label_area_size(s.ipx(80.0))
        .y_label_area_size(s.ipx(110.0))
        .build_cartesian_2d(x_min..x_max, 0f64..1.02f64)?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(11)
        .y_labels(6)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| format!("{:.0}", v * 100.0))
        .x_desc(x_desc)
        .y_desc("Probability the ratio exceeds x (%)")
        .draw()?;
    chart.draw_series(break_even((1.0, 0.0), (1.0, 1.02), s))?;
    chart.draw_series(LineSeries::new(
        data.points.iter().map(|p| (p.threshold, p.probability)),
        PROGRAMME.stroke_width(s.ipx(4.0) as u32),
    ))?;

    // The median's guide lines first, so that both labels sit on top of them.
    if let Some(m) = median {
        chart.draw_series(dashed(
            vec![(x_min, 0.5), (m, 0.5), (m, 0.0)],
            MUTED,
            2.0,
            GUIDE,
            s,
        ))?;
        chart.draw_series(std::iter::once(Circle::new(
            (m, 0.5),
            s.ipx(8.0),
            PROGRAMME.filled(),
        )))?;
    }
    let note = s.bold(size::VALUE, INK);
    if let Some(p) = at_one {
        chart.draw_series(std::iter::once(Circle::new(
            (1.0, p),
            s.ipx(8.0),
            PROGRAMME.filled(),
        )))?;
        let (px, py) = chart.backend_coord(&(1.0, p));
        // Below the curve over the label's whole width (the curve falls to the right).
        let text = probability_statement("ratio > 1", p);
        let (w, h) = root.estimate_text_size(&text, &note)?;
        let x0 = px + s.ipx(18.0);
        let (left_px, _) = chart.backend_coord(&(x_min, 0.0));
        let (right_px, _) = chart.backend_coord(&(x_max, 0.0));
        let to_x = |pxl: i32| {
            x_min
                + f64::from(pxl - left_px) / f64::from((right_px - left_px).max(1))
                    * (x_max - x_min)
        };
        let lowest_curve = (0..=8)
            .filter_map(|k| {
                let xp = x0 + (w as i32 + s.ipx(12.0)) * k / 8;
                probability_at(&data.points, to_x(xp))
                    .map(|pr| chart.backend_coord(&(to_x(xp), pr)).1)
            })
            .fold(py, i32::max);
        draw_boxed_label(
            root,
            &text,
            (x0, lowest_curve + h as i32 / 2 + s.ipx(18.0)),
            &note,
            s,
        )?;
    }
    if let Some(m) = median {
        let (px, py) = chart.backend_coord(&(m, 0.5));
        let text = format!(
            "Median: {} per {} 1",
            per_unit(&data.currency, m),
            data.currency
        );
        draw_boxed_label(root, &text, (px + s.ipx(18.0), py - s.ipx(30.0)), &note, s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{count_tag_attr, has_text, hex, preview, render_and_check};
    use rand::SeedableRng;
    use rand_distr::{Distribution, LogNormal};

    #[test]
    fn curve_counts_draws_strictly_above() {
        // Draws 0.5, 1, 2, 3: P(>0)=1, P(>1)=0.5 (1 itself is not above), P(>2)=0.25, P(>3)=0.
        let c = acceptability_curve(&[2.0, 0.5, 3.0, 1.0, f64::NAN], 3.0, 1.0);
        let p: Vec<f64> = c.iter().map(|p| p.probability).collect();
        assert_eq!(p, vec![1.0, 0.5, 0.25, 0.0]);
        assert!(acceptability_curve(&[], 10.0, 0.1).is_empty());
        assert_eq!(acceptability_curve(&[1.0], 10.0, 0.1).len(), 101);
        assert!(acceptability_curve(&[1.0], f64::INFINITY, 0.1).is_empty());
        assert!(acceptability_curve(&[1.0], 10.0, 0.0).is_empty());
    }

    #[test]
    fn interpolated_points() {
        let c = acceptability_curve(&[2.0, 0.5, 3.0, 1.0], 3.0, 1.0);
        assert!((probability_at(&c, 1.5).unwrap() - 0.375).abs() < 1e-12);
        // 0.5 is reached exactly at x = 1.
        assert!((crossing(&c, 0.5).unwrap() - 1.0).abs() < 1e-12);
        assert!((crossing(&c, 0.75).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(crossing(&c, 1.5), None);
    }

    fn example() -> AcceptabilityChart {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        // Median 5.13 (WSIPP intensive family preservation ratio), wide uncertainty.
        let d = LogNormal::new(5.13f64.ln(), 0.8).unwrap();
        let draws: Vec<f64> = (0..10_000).map(|_| d.sample(&mut rng)).collect();
        AcceptabilityChart {
            title: None,
            subtitle: Some("10,000 Monte Carlo draws.".into()),
            source: SourceLine::new("SOS CEE sample", 1240),
            currency: "EUR".into(),
            points: acceptability_curve(&draws, 10.0, 0.05),
        }
    }

    #[test]
    fn marks_break_even_and_median() {
        let chart = example();
        // Log-normal: P(ratio > 1) = Phi(ln 5.13 / 0.8) = Phi(2.044) = 0.980; median 5.13.
        let p1 = probability_at(&chart.points, 1.0).unwrap();
        assert!((p1 - 0.980).abs() < 0.006, "{p1}");
        let m = crossing(&chart.points, 0.5).unwrap();
        assert!((m - 5.13).abs() < 0.15, "{m}");
        let svg = render_and_check(&chart);
        preview("acceptability", &chart);
        assert!(has_text(&svg, "How likely is each level of return?"));
        assert!(has_text(&svg, "Probability the ratio exceeds x (%)"));
        assert!(has_text(&svg, "Return per EUR 1 invested (x)"));
        assert!(has_text(&svg, "P(ratio > 1) = 98 %"));
        assert!(has_text(&svg, &format!("Median: EUR {m:.2} per EUR 1")));
        // Curve + legend swatch; two marker dots.
        assert_eq!(
            count_tag_attr(&svg, "polyline", "stroke", &hex(PROGRAMME)),
            2
        );
        assert_eq!(count_tag_attr(&svg, "circle", "fill", &hex(PROGRAMME)), 2);
    }

    #[test]
    fn rejects_unsorted_curve() {
        let mut chart = example();
        chart.points.swap(3, 4);
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("sort the curve"), "{err}");
    }

    #[test]
    fn empty_curve_says_so() {
        let mut chart = example();
        chart.points.clear();
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "No acceptability curve to show"));
    }
}
