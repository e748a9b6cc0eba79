//! The tornado chart: one-way sensitivity of the SROI ratio, one bar per parameter from
//! the ratio at its low value to the ratio at its high value, largest swing on top.
//!
//! Readers look for two things: which assumptions move the result most (the top bars)
//! and whether any plausible value pushes the ratio below 1 (a bar crossing the
//! break-even line). Both reference lines are drawn and labelled: the base ratio and the
//! ratio of 1.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{break_even, HouseStyle};
use super::error::finite;
use super::frame::{
    anchored, draw_message, fit_lines, size, LegendItem, Page, Scale, SourceLine, Subtitle, Swatch,
};
use super::geometry::nice_ceiling;
use super::labels::{ratio_value, tick};
use super::palette::{INK, MUTED, ORANGE, SKY_BLUE, VERMILLION};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "tornado";

/// Bars for a parameter at its low value.
pub const LOW_COLOUR: RGBColor = SKY_BLUE;
/// Bars for a parameter at its high value.
pub const HIGH_COLOUR: RGBColor = ORANGE;

/// Most bars shown; smaller swings are summarised in a note.
const MAX_BARS: usize = 15;

/// One parameter's one-way result.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// Parameter name as readers should see it ("Deadweight, income").
    pub parameter: String,
    /// Optional range tested, shown under the name ("10 % to 40 %").
    pub range: Option<String>,
    /// Ratio with the parameter at its low value, the others at base.
    pub ratio_low: f64,
    /// Ratio with the parameter at its high value.
    pub ratio_high: f64,
}

impl TornadoBar {
    /// Width of the bar: |ratio_high - ratio_low|.
    pub fn swing(&self) -> f64 {
        (self.ratio_high - self.ratio_low).abs()
    }
}

/// Input of [`draw_tornado`].
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoChart {
    /// Title; `None` gives "Which assumptions move the ratio most".
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Reporting currency (the x axis reads `value per <currency> 1 invested`).
    pub currency: String,
    /// The ratio with every parameter at its base value.
    pub base_ratio: f64,
    /// Parameters, any order (sorted by swing when drawn).
    pub bars: Vec<TornadoBar>,
}

impl TornadoChart {
    fn check(&self) -> Result<(), ChartError> {
        finite(CHART, || "base_ratio".into(), self.base_ratio)?;
        for (i, b) in self.bars.iter().enumerate() {
            for (name, v) in [("ratio_low", b.ratio_low), ("ratio_high", b.ratio_high)] {
                finite(CHART, || format!("bars[{i}] ({}).{name}", b.parameter), v)?;
            }
        }
        Ok(())
    }

    /// Bars sorted by swing, largest first (ties keep input order).
    pub fn sorted(&self) -> Vec<&TornadoBar> {
        let mut bars: Vec<&TornadoBar> = self.bars.iter().collect();
        bars.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
        bars
    }
}

impl Chart for TornadoChart {
    fn title(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| "Which assumptions move the ratio most".to_string())
    }

    /// 1600 px wide; taller than the default when more than eight bars are shown.
    fn size(&self) -> (u32, u32) {
        let n = self.bars.len().min(MAX_BARS) as u32;
        (1600, (360 + 80 * n).max(1000))
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_tornado(root, self)
    }
}

/// Draws the tornado chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] for a non-finite ratio; [`ChartError::Drawing`] when the
/// backend fails.
pub fn draw_tornado<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &TornadoChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let sorted = data.sorted();
    let shown: Vec<&TornadoBar> = sorted.iter().take(MAX_BARS).copied().collect();
    let legend = [
        LegendItem::new("Parameter at its low value", Swatch::Bar(LOW_COLOUR)),
        LegendItem::new("Parameter at its high value", Swatch::Bar(HIGH_COLOUR)),
    ];
    let mut notes = Subtitle::new(data.subtitle.as_deref());
    if sorted.len() > MAX_BARS {
        notes.note(format!(
            "{} parameters with smaller effects are not shown.",
            sorted.len() - MAX_BARS
        ));
    }
    let body = Page::new(&data.title(), &data.source)
        .subtitle(notes.text().as_deref())
        .legend(&legend)
        .draw(root)?;
    if shown.is_empty() {
        return draw_message(&body, "No sensitivity results to show", s);
    }

    let max = shown
        .iter()
        .map(|b| b.ratio_low.max(b.ratio_high))
        .fold(data.base_ratio.max(1.0), f64::max);
    let min = shown
        .iter()
        .map(|b| b.ratio_low.min(b.ratio_high))
        .fold(0.0, f64::min);
    let right = nice_ceiling(max * 1.08);
    let left = if min < 0.0 {
        -nice_ceiling(-min * 1.08)
    } else {
        0.0
    };
    let n = shown.len();
    let x_desc = format!("SROI ratio (value per {} 1 invested)", data.currency);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(44.0))
        .margin_right(s.ipx(30.0))
        .x_label_area_size(s.ipx(80.0))
        .y_label_area_size(s.ipx(400.0))
        .build_cartesian_2d(left..right, -0.5f64..(n as f64 - 0.5))?;
    chart
        .configure_mesh()
        .house_style(s)
        .y_labels(0)
        .disable_y_mesh()
        .x_labels(10)
        .x_label_formatter(&|v| tick(*v))
        .x_desc(x_desc)
        .draw()?;

    let half = 0.36;
    let value_style = s.text(size::VALUE, INK);
    let name_style = s.text(size::TICK, INK);
    let range_style = s.text(size::TICK - 5.0, MUTED);
    let (plot_left, _) = chart.backend_coord(&(left, 0.0));
    let label_width = (s.px(400.0) - s.px(24.0)).max(1.0) as u32;
    for (i, bar) in shown.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        for (value, colour) in [(bar.ratio_low, LOW_COLOUR), (bar.ratio_high, HIGH_COLOUR)] {
            let (a, b) = (data.base_ratio.min(value), data.base_ratio.max(value));
            if b > a {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(a, y - half), (b, y + half)],
                    colour.filled(),
                )))?;
            }
            let (h, dx) = if value < data.base_ratio {
                (HPos::Right, -s.ipx(8.0))
            } else {
                (HPos::Left, s.ipx(8.0))
            };
            chart.draw_series(std::iter::once(
                EmptyElement::at((value, y))
                    + Text::new(
                        ratio_value(value),
                        (dx, 0),
                        anchored(value_style.clone(), h, VPos::Center),
                    ),
            ))?;
        }
        // Parameter name (wrapped, at most two lines) and its range, as many lines as the
        // row has room for; a cut name ends in an ellipsis.
        let line_h = s.ipx(27.0);
        let (_, py) = chart.backend_coord(&(left, y));
        let (_, py_next) = chart.backend_coord(&(left, y - 1.0));
        let room = ((py_next - py).abs() / line_h).max(1) as usize;
        let range_lines = usize::from(bar.range.is_some() && room >= 2);
        let name_room = (room - range_lines).min(2);
        let mut lines = fit_lines(root, &bar.parameter, &name_style, label_width)?;
        if lines.len() > name_room {
            lines.truncate(name_room);
            if let Some(last) = lines.last_mut() {
                last.push('…');
            }
        }
        let mut styled: Vec<(String, TextStyle<'static>)> =
            lines.into_iter().map(|l| (l, name_style.clone())).collect();
        if let (Some(range), 1) = (&bar.range, range_lines) {
            styled.push((range.clone(), range_style.clone()));
        }
        let top = py - line_h * styled.len() as i32 / 2;
        for (k, (text, style)) in styled.into_iter().enumerate() {
            root.draw(&Text::new(
                text,
                (
                    plot_left - s.ipx(16.0),
                    top + k as i32 * line_h + line_h / 2,
                ),
                anchored(style, HPos::Right, VPos::Center),
            ))?;
        }
    }

    // Reference lines: base ratio (solid) and break-even (dashed), labelled above the plot.
    let (y_top, y_bottom) = (n as f64 - 0.5, -0.5);
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(data.base_ratio, y_bottom), (data.base_ratio, y_top)],
        INK.stroke_width(s.ipx(2.5) as u32),
    )))?;
    if left <= 1.0 {
        chart.draw_series(break_even((1.0, y_bottom), (1.0, y_top), s))?;
    }
    // Labels above the plot: centred on their lines, kept on the page and apart.
    let (bx, by) = chart.backend_coord(&(data.base_ratio, y_top));
    let (ex, _) = chart.backend_coord(&(1.0, y_top));
    let page_w = root.dim_in_pixel().0 as i32;
    let edge = s.ipx(20.0);
    let base_label = format!("Base ratio {}", ratio_value(data.base_ratio));
    let label_style = s.bold(size::VALUE, INK);
    let (bw, _) = root.estimate_text_size(&base_label, &label_style)?;
    let bw = bw as i32;
    let base_left = (bx - bw / 2).clamp(edge, page_w - edge - bw);
    root.draw(&Text::new(
        base_label,
        (base_left, by - s.ipx(8.0)),
        anchored(label_style, HPos::Left, VPos::Bottom),
    ))?;
    if left <= 1.0 {
        let even_text = "Break-even (1)";
        let even_style = s.bold(size::VALUE, VERMILLION);
        let (ew, _) = root.estimate_text_size(even_text, &even_style)?;
        let ew = ew as i32;
        let gap = s.ipx(12.0);
        let mut even_left = ex - ew / 2;
        let overlaps = even_left < base_left + bw + gap && even_left + ew + gap > base_left;
        if overlaps {
            even_left = if ex <= bx {
                base_left - gap - ew
            } else {
                base_left + bw + gap
            };
        }
        let even_left = even_left.clamp(edge, page_w - edge - ew);
        root.draw(&Text::new(
            even_text,
            (even_left, by - s.ipx(8.0)),
            anchored(even_style, HPos::Left, VPos::Bottom),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{
        count_tag_attr, has_text, hex, preview, render_and_check, text_attr, texts,
    };

    pub(crate) fn example() -> TornadoChart {
        let b = |p: &str, r: &str, lo: f64, hi: f64| TornadoBar {
            parameter: p.into(),
            range: Some(r.into()),
            ratio_low: lo,
            ratio_high: hi,
        };
        TornadoChart {
            title: None,
            subtitle: Some(
                "Each parameter set to its low and high value, the others at base.".into(),
            ),
            source: SourceLine::new("SOS CEE sample", 1240),
            currency: "EUR".into(),
            base_ratio: 6.2,
            bars: vec![
                b("Discount rate", "1.5 % to 6 %", 6.6, 5.8),
                b(
                    "Cost of a child-year in residential care",
                    "EUR 9,000 to 18,000",
                    4.3,
                    8.1,
                ),
                b("Drop-off of income gains", "10 % to 40 %", 6.9, 5.3),
                b("Attribution to the programme", "10 % to 50 %", 7.0, 4.0),
                b(
                    "Mean length of an avoided placement",
                    "1 to 4 years",
                    3.4,
                    8.9,
                ),
                b("Deadweight, school attendance", "0 % to 30 %", 6.3, 6.0),
            ],
        }
    }

    #[test]
    fn sorted_by_swing_largest_first() {
        let chart = example();
        let order: Vec<&str> = chart
            .sorted()
            .iter()
            .map(|b| b.parameter.as_str())
            .collect();
        // swings: 0.8, 3.8, 1.6, 3.0, 5.5, 0.3
        assert_eq!(
            order,
            [
                "Mean length of an avoided placement",
                "Cost of a child-year in residential care",
                "Attribution to the programme",
                "Drop-off of income gains",
                "Discount rate",
                "Deadweight, school attendance"
            ]
        );
    }

    #[test]
    fn draws_bars_reference_lines_and_labels() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("tornado", &chart);
        assert!(has_text(&svg, "Which assumptions move the ratio most"));
        assert!(has_text(&svg, "SROI ratio (value per EUR 1 invested)"));
        assert!(has_text(&svg, "Base ratio 6.20") && has_text(&svg, "Break-even (1)"));
        assert!(has_text(&svg, "EUR 9,000 to 18,000"));
        // 6 low + 6 high bars, + 1 legend swatch each.
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(LOW_COLOUR)), 7);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(HIGH_COLOUR)), 7);
        let t = texts(&svg);
        assert!(
            t.iter().any(|x| x == "3.40") && t.iter().any(|x| x == "8.90"),
            "{t:?}"
        );
    }

    #[test]
    fn rows_are_drawn_top_down_in_swing_order() {
        let chart = example();
        let svg = crate::charts::render_svg(&chart).unwrap();
        let t = texts(&svg);
        let pos = |name: &str| t.iter().position(|x| x == name).unwrap_or(usize::MAX);
        let names = [
            "Attribution to the programme",
            "Drop-off of income gains",
            "Discount rate",
            "Deadweight, school attendance",
        ];
        let positions: Vec<usize> = names.iter().map(|n| pos(n)).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        // Their y coordinates increase (top to bottom) in the same order.
        let y_of = |name: &str| text_attr(&svg, name, "y");
        assert!(y_of(names[0]) < y_of(names[1]) && y_of(names[1]) < y_of(names[2]));
    }

    #[test]
    fn reference_labels_stay_apart_when_base_is_near_one() {
        let mut chart = example();
        chart.base_ratio = 1.2;
        for b in &mut chart.bars {
            b.ratio_low = 0.8;
            b.ratio_high = 1.6;
        }
        let svg = render_and_check(&chart);
        let x_of = |needle: &str| text_attr(&svg, needle, "x");
        let (base, even) = (x_of("Base ratio 1.20"), x_of("Break-even (1)"));
        // Break-even sits left of the base label, both on the page.
        assert!(even < base && even >= 20, "{even} {base}");
    }

    #[test]
    fn page_grows_with_bars_and_caps_at_fifteen() {
        let mut chart = example();
        assert_eq!(chart.size(), (1600, 1000));
        chart.bars = (0..20)
            .map(|i| TornadoBar {
                parameter: format!("Parameter {i}"),
                range: None,
                ratio_low: 6.2 - 0.1 * f64::from(i),
                ratio_high: 6.2 + 0.1 * f64::from(i),
            })
            .collect();
        assert_eq!(chart.size(), (1600, 360 + 80 * 15));
        let svg = render_and_check(&chart);
        assert!(has_text(
            &svg,
            "5 parameters with smaller effects are not shown."
        ));
        // Largest swings (19..5) shown, 0..4 not.
        assert!(has_text(&svg, "Parameter 19") && has_text(&svg, "Parameter 5"));
        assert!(!texts(&svg).iter().any(|t| t == "Parameter 4"));
    }

    #[test]
    fn no_parameters_says_so() {
        let mut chart = example();
        chart.bars.clear();
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "No sensitivity results to show"));
    }
}
