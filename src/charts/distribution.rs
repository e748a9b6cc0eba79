//! The Monte Carlo distribution chart: a histogram of the SROI ratio over all joint
//! draws of the uncertain parameters (or of the NPV when the ratio is unstable), with
//! the 95 % range marked and the probability of breaking even stated.
//!
//! When a draw's inputs can be near zero or negative the ratio is meaningless
//! (docs/method.md section 5), so the caller chooses [`DistributionMetric::Npv`] and the same
//! chart shows NPV with break-even at 0. The 95 % range and the probability are passed
//! in from the SROI summary (so the chart quotes exactly what the report does);
//! [`SroiDistributionChart::from_draws`] computes them when no summary exists.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{break_even, dashed, HouseStyle, GUIDE};
use super::error::finite;
use super::frame::{
    anchored, draw_message, size, LegendItem, Page, Scale, SourceLine, Subtitle, Swatch,
};
use super::geometry::{bin_width, histogram, nice_ceiling, quantile_sorted};
use super::labels::{money, money_tick, probability_statement, thousands, tick};
use super::palette::{INK, PROGRAMME, SKY_BLUE, VERMILLION};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "sroi_distribution";

/// Bins inside the 95 % range.
const INSIDE: RGBColor = PROGRAMME;
/// Bins in the tails.
const OUTSIDE: RGBColor = SKY_BLUE;

/// Which quantity the draws hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistributionMetric {
    /// SROI ratio (total PV / inputs); break-even at 1.
    Ratio,
    /// Net present value (total PV - inputs); break-even at 0.
    Npv,
}

impl DistributionMetric {
    /// The break-even value.
    pub fn break_even(self) -> f64 {
        match self {
            DistributionMetric::Ratio => 1.0,
            DistributionMetric::Npv => 0.0,
        }
    }
}

/// Input of [`draw_sroi_distribution`].
#[derive(Debug, Clone, PartialEq)]
pub struct SroiDistributionChart {
    /// Title; `None` gives "Uncertainty in the SROI ratio" (or "... net present value").
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Reporting currency.
    pub currency: String,
    /// Price year of the amounts.
    pub price_year: i32,
    /// Ratio or NPV.
    pub metric: DistributionMetric,
    /// One value per Monte Carlo draw.
    pub draws: Vec<f64>,
    /// 2.5th percentile of the draws.
    pub p2_5: f64,
    /// 97.5th percentile of the draws.
    pub p97_5: f64,
    /// P(ratio > 1), or P(NPV > 0), as a fraction.
    pub prob_break_even: f64,
    /// The deterministic (base-case) value, if to be marked.
    pub base: Option<f64>,
}

impl SroiDistributionChart {
    /// Builds the chart input from raw draws, computing the 2.5th and 97.5th percentiles
    /// (linear interpolation, R type 7) and the share of draws above break-even.
    /// Non-finite draws are dropped.
    pub fn from_draws(
        metric: DistributionMetric,
        draws: Vec<f64>,
        source: SourceLine,
        currency: impl Into<String>,
        price_year: i32,
    ) -> Self {
        let mut sorted: Vec<f64> = draws.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let q = |p| quantile_sorted(&sorted, p).unwrap_or(f64::NAN);
        let above = sorted.iter().filter(|&&v| v > metric.break_even()).count();
        let prob = if sorted.is_empty() {
            0.0
        } else {
            above as f64 / sorted.len() as f64
        };
        SroiDistributionChart {
            title: None,
            subtitle: None,
            source,
            currency: currency.into(),
            price_year,
            metric,
            p2_5: q(0.025),
            p97_5: q(0.975),
            prob_break_even: prob,
            base: None,
            draws: sorted,
        }
    }

    fn check(&self) -> Result<(), ChartError> {
        if self.draws.is_empty() {
            return Ok(());
        }
        finite(CHART, || "p2_5".into(), self.p2_5)?;
        finite(CHART, || "p97_5".into(), self.p97_5)?;
        let p = finite(CHART, || "prob_break_even".into(), self.prob_break_even)?;
        if !(0.0..=1.0).contains(&p) {
            return Err(ChartError::InvalidInput {
                chart: CHART,
                problem: format!("prob_break_even is {p}; give a probability between 0 and 1"),
            });
        }
        if self.p2_5 > self.p97_5 {
            return Err(ChartError::InvalidInput {
                chart: CHART,
                problem: format!(
                    "p2_5 ({}) is above p97_5 ({}); swap them",
                    self.p2_5, self.p97_5
                ),
            });
        }
        if let Some(b) = self.base {
            finite(CHART, || "base".into(), b)?;
        }
        Ok(())
    }

    fn value_text(&self, v: f64) -> String {
        match self.metric {
            DistributionMetric::Ratio => format!("{v:.1}"),
            DistributionMetric::Npv => money(&self.currency, v),
        }
    }

    /// "P(ratio > 1) = 97 %" or "P(NPV > 0) = 97 %".
    pub fn probability_text(&self) -> String {
        match self.metric {
            DistributionMetric::Ratio => probability_statement("ratio > 1", self.prob_break_even),
            DistributionMetric::Npv => probability_statement("NPV > 0", self.prob_break_even),
        }
    }
}

impl Chart for SroiDistributionChart {
    fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| match self.metric {
            DistributionMetric::Ratio => "Uncertainty in the SROI ratio".to_string(),
            DistributionMetric::Npv => "Uncertainty in the net present value".to_string(),
        })
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_sroi_distribution(root, self)
    }
}

/// Histogram range: the central 99 % of the draws, widened to hold the 95 % range, the
/// base value and the break-even line when it lies within 30 % of the span; snapped to
/// a bin width giving 20-60 bins. Returns (low, high, bin width).
fn axis_range(sorted: &[f64], data: &SroiDistributionChart) -> (f64, f64, f64) {
    let mut lo = quantile_sorted(sorted, 0.005).unwrap_or(0.0).min(data.p2_5);
    let mut hi = quantile_sorted(sorted, 0.995)
        .unwrap_or(1.0)
        .max(data.p97_5);
    if let Some(b) = data.base {
        lo = lo.min(b);
        hi = hi.max(b);
    }
    let be = data.metric.break_even();
    let span = (hi - lo).max(f64::EPSILON);
    let mut pad = (false, false);
    if be <= lo && lo - be < 0.3 * span {
        lo = be;
        pad.0 = true;
    }
    if be >= hi && be - hi < 0.3 * span {
        hi = be;
        pad.1 = true;
    }
    let width = bin_width((hi - lo).max(1e-9), 40);
    // Keep a break-even line off the axis frame by one bin.
    let lo = (lo / width).floor() * width - if pad.0 { width } else { 0.0 };
    let hi = ((hi / width).ceil() * width + if pad.1 { width } else { 0.0 }).max(lo + width);
    (lo, hi, width)
}

/// Draws the distribution chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for non-finite or
/// inconsistent summary figures; [`ChartError::Drawing`] when the backend fails.
pub fn draw_sroi_distribution<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &SroiDistributionChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let mut sorted: Vec<f64> = data
        .draws
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    sorted.sort_by(f64::total_cmp);
    let (lo, hi, width) = axis_range(&sorted, data);
    let bins = histogram(
        &sorted,
        lo,
        hi,
        ((hi - lo) / width).round().max(1.0) as usize,
    );
    let counted: usize = bins.iter().map(|b| b.count).sum();
    let outside = sorted.len() - counted;

    let what = match data.metric {
        DistributionMetric::Ratio => "ratio",
        DistributionMetric::Npv => "NPV",
    };
    let be = data.metric.break_even();
    let be_shown = be >= lo && be <= hi;
    let mut legend = vec![
        LegendItem::new(
            format!("Draws inside the 95 % range of the {what}"),
            Swatch::Bar(INSIDE),
        ),
        LegendItem::new("Draws in the tails", Swatch::Bar(OUTSIDE)),
    ];
    // A legend entry for a line that is not drawn would send the reader looking for it.
    if be_shown {
        legend.push(LegendItem::new("Break-even", Swatch::Dashed(VERMILLION)));
    }
    let mut notes = Subtitle::new(data.subtitle.as_deref());
    if !be_shown {
        notes.note(format!(
            "The break-even point ({}) lies {} the axis.",
            data.value_text(be),
            if be < lo { "left of" } else { "right of" }
        ));
    }
    notes.note(format!(
        "{} joint draws of every uncertain parameter.",
        thousands(sorted.len() as f64)
    ));
    if outside > 0 {
        notes.note(format!(
            "{} draws ({:.1} %) beyond the axis are not shown.",
            thousands(outside as f64),
            100.0 * outside as f64 / sorted.len() as f64
        ));
    }
    let key = format!(
        "95 % range {} – {};  {}",
        data.value_text(data.p2_5),
        data.value_text(data.p97_5),
        data.probability_text()
    );
    let body = Page::new(&data.title(), &data.source)
        .subtitle(notes.text().as_deref())
        .key((!sorted.is_empty()).then_some(key.as_str()))
        .legend(&legend)
        .draw(root)?;
    if sorted.is_empty() {
        return draw_message(&body, "No Monte Carlo draws to show", s);
    }

    let n = sorted.len() as f64;
    let top_share = bins
        .iter()
        .map(|b| b.count as f64 / n * 100.0)
        .fold(0.0, f64::max);
    let top = nice_ceiling(top_share * 1.1);
    let x_desc = match data.metric {
        DistributionMetric::Ratio => format!("SROI ratio (value per {} 1 invested)", data.currency),
        DistributionMetric::Npv => format!(
            "Net present value ({}, {} prices)",
            data.currency, data.price_year
        ),
    };
    let metric = data.metric;
    let x_fmt = move |v: &f64| match metric {
        DistributionMetric::Ratio => tick(*v),
        DistributionMetric::Npv => money_tick(*v, hi.abs().max(lo.abs())),
    };
    let y_fmt = move |v: &f64| {
        if top < 5.0 {
            format!("{v:.1}")
        } else {
            format!("{v:.0}")
        }
    };
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(64.0))
        .margin_right(s.ipx(40.0))
        .x_label_area_size(s.ipx(80.0))
        .y_label_area_size(s.ipx(110.0))
        .build_cartesian_2d(lo..hi, 0f64..top)?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(10)
        .y_labels(6)
        .disable_x_mesh()
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(x_desc)
        .y_desc("Share of draws (%)")
        .draw()?;
    chart.draw_series(bins.iter().filter(|b| b.count > 0).map(|b| {
        let mid = (b.start + b.end) / 2.0;
        let colour = if mid >= data.p2_5 && mid <= data.p97_5 {
            INSIDE
        } else {
            OUTSIDE
        };
        let mut r = Rectangle::new(
            [(b.start, 0.0), (b.end, b.count as f64 / n * 100.0)],
            colour.filled(),
        );
        r.set_margin(0, 0, 1, 1);
        r
    }))?;

    // Range, base and break-even lines, labelled just above the plot.
    let label = anchored(s.text(size::VALUE - 2.0, INK), HPos::Center, VPos::Bottom);
    for (v, text) in [(data.p2_5, "2.5 %"), (data.p97_5, "97.5 %")] {
        chart.draw_series(dashed(vec![(v, 0.0), (v, top)], INK, 2.0, GUIDE, s))?;
        let (px, py) = chart.backend_coord(&(v, top));
        root.draw(&Text::new(
            format!("{text}: {}", data.value_text(v)),
            (px, py - s.ipx(6.0)),
            label.clone(),
        ))?;
    }
    if let Some(b) = data.base {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(b, 0.0), (b, top)],
            INK.stroke_width(s.ipx(3.0) as u32),
        )))?;
        let (px, py) = chart.backend_coord(&(b, top));
        root.draw(&Text::new(
            format!("Base case: {}", data.value_text(b)),
            (px, py - s.ipx(34.0)),
            anchored(s.bold(size::VALUE - 2.0, INK), HPos::Center, VPos::Bottom),
        ))?;
    }
    if be_shown {
        chart.draw_series(break_even((be, 0.0), (be, top), s))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{count_tag_attr, has_text, hex, preview, render_and_check};
    use rand::SeedableRng;
    use rand_distr::{Distribution, LogNormal};

    /// 10,000 log-normal ratios, median 6.2 and sigma 0.3 (seeded): the 95 % range of a
    /// log-normal is median x exp(+-1.96 sigma) = 3.44 .. 11.18.
    fn draws() -> Vec<f64> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let d = LogNormal::new(6.2f64.ln(), 0.3).unwrap();
        (0..10_000).map(|_| d.sample(&mut rng)).collect()
    }

    fn example() -> SroiDistributionChart {
        let mut c = SroiDistributionChart::from_draws(
            DistributionMetric::Ratio,
            draws(),
            SourceLine::new("SOS CEE sample", 1240),
            "EUR",
            2024,
        );
        c.base = Some(6.2);
        c
    }

    #[test]
    fn from_draws_matches_lognormal_quantiles() {
        let c = example();
        // exp(ln 6.2 -+ 1.96 * 0.3): 3.443 and 11.165; sampling error ~1-2 %.
        assert!((c.p2_5 - 3.443).abs() < 0.12, "{}", c.p2_5);
        assert!((c.p97_5 - 11.165).abs() < 0.35, "{}", c.p97_5);
        // P(ratio > 1) = P(Z > -ln 6.2 / 0.3) = P(Z > -6.08) ~ 1.
        assert!(c.prob_break_even > 0.9999);
        let tiny = SroiDistributionChart::from_draws(
            DistributionMetric::Npv,
            vec![-1.0, 1.0, 2.0, 3.0],
            SourceLine::new("x", 4),
            "EUR",
            2024,
        );
        assert!((tiny.prob_break_even - 0.75).abs() < 1e-12);
    }

    // Draws between about 2.5 and 5.5 (the sample's spread): 1 is far left of the axis, so
    // the chart draws no break-even line, names none in the legend, and says where it is.
    #[test]
    fn break_even_off_the_axis_is_said_not_drawn() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let d = LogNormal::new(3.7f64.ln(), 0.12).unwrap();
        let chart = SroiDistributionChart::from_draws(
            DistributionMetric::Ratio,
            (0..10_000).map(|_| d.sample(&mut rng)).collect(),
            SourceLine::new("narrow", 500),
            "EUR",
            2024,
        );
        let svg = render_and_check(&chart);
        assert!(!has_text(&svg, "Break-even"));
        assert!(has_text(
            &svg,
            "The break-even point (1.0) lies left of the axis."
        ));
        let wide = render_and_check(&example());
        assert!(has_text(&wide, "Break-even"));
        assert!(!wide.contains("of the axis."));
    }

    #[test]
    fn histogram_marks_range_and_probability() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("sroi_distribution", &chart);
        assert!(has_text(&svg, "Uncertainty in the SROI ratio"));
        assert!(has_text(&svg, "SROI ratio (value per EUR 1 invested)"));
        assert!(has_text(&svg, "Share of draws (%)"));
        // Every one of the 10,000 draws is above 1 (P(below) ~ 6e-10): exactly 100 %.
        assert!(has_text(&svg, "P(ratio > 1) = 100 %"));
        assert!(has_text(
            &svg,
            &format!("95 % range {:.1} – {:.1}", chart.p2_5, chart.p97_5)
        ));
        assert!(has_text(&svg, "10,000 joint draws"));
        // 20-60 bins: most inside the range, some in the tails.
        let inside = count_tag_attr(&svg, "rect", "fill", &hex(INSIDE)) - 1;
        let tails = count_tag_attr(&svg, "rect", "fill", &hex(OUTSIDE)) - 1;
        assert!(
            inside >= 20 && tails >= 4 && inside + tails <= 60,
            "{inside} {tails}"
        );
    }

    #[test]
    fn npv_mode_uses_money_and_zero_break_even() {
        let npv: Vec<f64> = draws().iter().map(|r| (r - 1.3) * 1_000_000.0).collect();
        let mut chart = SroiDistributionChart::from_draws(
            DistributionMetric::Npv,
            npv,
            SourceLine::new("SOS CEE sample", 1240),
            "EUR",
            2024,
        );
        chart.title = None;
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "Uncertainty in the net present value"));
        assert!(has_text(&svg, "Net present value (EUR, 2024 prices)"));
        // NPV = (ratio - 1.3) x 1 m: P(NPV <= 0) = P(Z < ln(1.3/6.2)/0.3 = -5.2) ~ 1e-7.
        assert!(has_text(&svg, "P(NPV > 0) = 100 %"));
        let mut almost = chart.clone();
        almost.prob_break_even = 0.9993;
        assert!(has_text(
            &crate::charts::render_svg(&almost).unwrap(),
            "P(NPV > 0) > 99 %"
        ));
        assert!(has_text(&svg, " m"));
    }

    #[test]
    fn axis_range_is_snapped_to_bins() {
        let c = example();
        let (lo, hi, w) = axis_range(&c.draws, &c);
        assert!(lo <= c.p2_5 && hi >= c.p97_5);
        let nbins = (hi - lo) / w;
        assert!(
            (nbins - nbins.round()).abs() < 1e-6 && (20.0..=60.0).contains(&nbins),
            "{nbins}"
        );
    }

    #[test]
    fn rejects_bad_probability() {
        let mut c = example();
        c.prob_break_even = 97.0;
        let err = crate::charts::render_svg(&c).unwrap_err().to_string();
        assert!(err.contains("between 0 and 1"), "{err}");
    }

    #[test]
    fn no_draws_says_so() {
        let chart = SroiDistributionChart::from_draws(
            DistributionMetric::Ratio,
            vec![f64::NAN],
            SourceLine::new("x", 1),
            "EUR",
            2024,
        );
        assert!(chart.draws.is_empty());
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "No Monte Carlo draws to show"));
    }
}
