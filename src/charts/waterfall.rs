//! The SROI waterfall: present value of each outcome, coloured by who gains
//! (stakeholder), stacking up from zero to the total, next to the inputs bar, and ending
//! at the ratio.
//!
//! The picture answers the two questions a funder asks of a ratio: what it is made of,
//! and how far the value clears the money put in (the dashed line at the level of the
//! inputs). The ratio is computed here as total PV / inputs (docs/method.md section 5) from the
//! same numbers the bars show, so chart and annotation cannot disagree.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{dashed, HouseStyle, REFERENCE};
use super::error::finite;
use super::frame::{anchored, fit_lines, size, LegendItem, Page, Scale, SourceLine, Swatch};
use super::geometry::nice_ceiling;
use super::labels::{money, money_tick, ratio};
use super::palette::{stakeholder_colours, INK, MUTED, NEUTRAL};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "sroi_waterfall";

/// Colour of the total bar.
const TOTAL: RGBColor = RGBColor(60, 60, 60);

/// One outcome's present value.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallOutcome {
    /// Outcome name as readers should see it ("Avoided residential care").
    pub label: String,
    /// Who gains (`state`, `families`, `children`, `community`, ...).
    pub stakeholder: String,
    /// Present value in the reporting currency (negative for a disbenefit).
    pub value: f64,
}

/// Input of [`draw_sroi_waterfall`].
#[derive(Debug, Clone, PartialEq)]
pub struct SroiWaterfallChart {
    /// Title; `None` gives "Where the social value comes from".
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Reporting currency (ISO 4217).
    pub currency: String,
    /// Price year of the amounts.
    pub price_year: i32,
    /// Total inputs (programme cost), > 0.
    pub inputs: f64,
    /// Outcomes in the order to stack them.
    pub outcomes: Vec<WaterfallOutcome>,
}

impl SroiWaterfallChart {
    fn check(&self) -> Result<(), ChartError> {
        let inputs = finite(CHART, || "inputs".into(), self.inputs)?;
        if inputs <= 0.0 {
            return Err(ChartError::InvalidInput {
                chart: CHART,
                problem: format!(
                    "inputs are {inputs}; a ratio needs positive inputs (show NPV instead)"
                ),
            });
        }
        for (i, o) in self.outcomes.iter().enumerate() {
            finite(
                CHART,
                || format!("outcomes[{i}] ({}).value", o.label),
                o.value,
            )?;
        }
        Ok(())
    }

    /// Total present value of all outcomes.
    pub fn total(&self) -> f64 {
        self.outcomes.iter().map(|o| o.value).sum()
    }

    /// SROI ratio: total present value / inputs.
    pub fn ratio(&self) -> f64 {
        self.total() / self.inputs
    }
}

impl Chart for SroiWaterfallChart {
    fn title(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| "Where the social value comes from".to_string())
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_sroi_waterfall(root, self)
    }
}

/// Draws the SROI waterfall (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidInput`] when inputs are not positive, [`ChartError::InvalidValue`]
/// for a non-finite value; [`ChartError::Drawing`] when the backend fails.
pub fn draw_sroi_waterfall<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &SroiWaterfallChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let names: Vec<&str> = data
        .outcomes
        .iter()
        .map(|o| o.stakeholder.as_str())
        .collect();
    let colours = stakeholder_colours(&names);
    let mut legend: Vec<LegendItem> = vec![LegendItem::new("Inputs", Swatch::Bar(NEUTRAL))];
    let mut seen: Vec<String> = Vec::new();
    for (o, c) in data.outcomes.iter().zip(&colours) {
        let key = o.stakeholder.to_ascii_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            legend.push(LegendItem::new(
                format!("Value to {}", o.stakeholder),
                Swatch::Bar(*c),
            ));
        }
    }
    legend.push(LegendItem::new("Total value", Swatch::Bar(TOTAL)));
    legend.push(LegendItem::new("Level of inputs", Swatch::Dashed(NEUTRAL)));
    let body = Page::new(&data.title(), &data.source)
        .subtitle(data.subtitle.as_deref())
        .legend(&legend)
        .draw(root)?;

    let total = data.total();
    let mut cum = 0.0f64;
    let mut lo = 0.0f64;
    let mut hi = data.inputs.max(total);
    for o in &data.outcomes {
        cum += o.value;
        lo = lo.min(cum);
        hi = hi.max(cum);
    }
    let top = nice_ceiling(hi * 1.12);
    let bottom = if lo < 0.0 {
        -nice_ceiling(-lo * 1.1)
    } else {
        0.0
    };
    let n = data.outcomes.len() + 2;
    let y_desc = format!(
        "Present value ({}, {} prices)",
        data.currency, data.price_year
    );
    let label_area = s.ipx(120.0);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(10.0))
        .margin_right(s.ipx(20.0))
        .x_label_area_size(label_area)
        .y_label_area_size(s.ipx(130.0))
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), bottom..top)?;
    chart
        .configure_mesh()
        .house_style(s)
        .x_labels(0)
        .disable_x_mesh()
        .y_labels(6)
        .y_label_formatter(&|v| money_tick(*v, top))
        .y_desc(y_desc)
        .draw()?;

    // Dashed reference at the level of the inputs.
    chart.draw_series(dashed(
        vec![(-0.5, data.inputs), (n as f64 - 0.5, data.inputs)],
        NEUTRAL,
        2.0,
        REFERENCE,
        s,
    ))?;

    let half = 0.34;
    let mut bars: Vec<(String, f64, f64, RGBColor, String)> = Vec::new();
    bars.push((
        "Inputs".into(),
        0.0,
        data.inputs,
        NEUTRAL,
        money(&data.currency, data.inputs),
    ));
    let mut cum = 0.0;
    for (o, c) in data.outcomes.iter().zip(&colours) {
        bars.push((
            o.label.clone(),
            cum,
            cum + o.value,
            *c,
            money(&data.currency, o.value),
        ));
        cum += o.value;
    }
    bars.push((
        "Total value".into(),
        0.0,
        total,
        TOTAL,
        money(&data.currency, total),
    ));

    let value_style = anchored(s.text(size::VALUE, INK), HPos::Center, VPos::Bottom);
    // With many bars, full amounts would overlap: switch every label to the axis's
    // compact unit ("0.35 m"); the currency is in the axis title.
    let (slot0, _) = chart.backend_coord(&(0.0, 0.0));
    let (slot1, _) = chart.backend_coord(&(1.0, 0.0));
    let slot_px = f64::from(slot1 - slot0) * 0.95;
    let mut widest = 0u32;
    for bar in &bars {
        widest = widest.max(root.estimate_text_size(&bar.4, &value_style)?.0);
    }
    if f64::from(widest) > slot_px {
        for bar in &mut bars {
            bar.4 = money_tick(bar.2 - bar.1, top);
        }
    }
    for (i, (_, from, to, colour, value)) in bars.iter().enumerate() {
        let x = i as f64;
        let (y0, y1) = (from.min(*to), from.max(*to));
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - half, y0), (x + half, y1)],
            colour.filled(),
        )))?;
        chart.draw_series(std::iter::once(
            EmptyElement::at((x, y1))
                + Text::new(value.clone(), (0, -s.ipx(6.0)), value_style.clone()),
        ))?;
        // Connector to the next bar's start.
        if i > 0 && i + 1 < bars.len() {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x + half, *to), (x + 1.0 - half, *to)],
                MUTED.stroke_width(s.ipx(1.5) as u32),
            )))?;
        }
    }
    // Ratio over the total bar, kept inside the page.
    let ratio_text = format!("Ratio {}", ratio(data.ratio()));
    let ratio_style = s.bold(size::TITLE - 6.0, INK);
    let (tw, _) = root.estimate_text_size(&ratio_text, &ratio_style)?;
    let (tx, ty) = chart.backend_coord(&((n - 1) as f64, total.max(0.0)));
    let right_limit = root.dim_in_pixel().0 as i32 - s.ipx(20.0);
    let tx = tx.min(right_limit - tw as i32 / 2);
    root.draw(&Text::new(
        ratio_text,
        (tx, ty - s.ipx(40.0)),
        anchored(ratio_style, HPos::Center, VPos::Bottom),
    ))?;

    // Category labels, wrapped to the bar slot in at most three lines, in the largest
    // size (22 down to 14 px) at which every label fits; a label that still does not fit
    // is cut with an ellipsis.
    let (x0, _) = chart.backend_coord(&(0.0, bottom));
    let (x1, base) = chart.backend_coord(&(1.0, bottom));
    let slot = ((x1 - x0) as f64 * 0.95).max(1.0) as u32;
    let mut chosen: Option<(TextStyle<'static>, Vec<Vec<String>>)> = None;
    for design in [22.0, 20.0, 18.0, 16.0, 14.0] {
        let style = s.text(design, INK);
        let mut all = Vec::with_capacity(bars.len());
        let mut fits = true;
        for (label, ..) in &bars {
            let lines = fit_lines(root, label, &style, slot)?;
            for line in &lines {
                fits &= root.estimate_text_size(line, &style)?.0 <= slot;
            }
            fits &= lines.len() <= 3;
            all.push(lines);
        }
        let last = design <= 14.0;
        if fits || last {
            chosen = Some((style, all));
            break;
        }
    }
    if let Some((style, all)) = chosen {
        let line_h = (style.font.get_size() * 1.2).round() as i32;
        let centred = anchored(style, HPos::Center, VPos::Top);
        for (i, mut lines) in all.into_iter().enumerate() {
            if lines.len() > 3 {
                lines.truncate(3);
                lines[2].push('…');
            }
            let (cx, _) = chart.backend_coord(&(i as f64, bottom));
            for (k, line) in lines.into_iter().enumerate() {
                root.draw(&Text::new(
                    line,
                    (cx, base + s.ipx(12.0) + k as i32 * line_h),
                    centred.clone(),
                ))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::charts::palette::{BLUISH_GREEN, ORANGE, REDDISH_PURPLE};
    use crate::charts::test_support::{
        count_tag_attr, has_text, hex, preview, render_and_check, texts,
    };

    /// Inputs EUR 1.0 m; outcomes adding to EUR 6.2 m: ratio 6.2 (the order of the
    /// published 6-9 EUR per EUR for Bosnia & Herzegovina and Kyrgyzstan).
    pub(crate) fn example() -> SroiWaterfallChart {
        let o = |label: &str, who: &str, value: f64| WaterfallOutcome {
            label: label.into(),
            stakeholder: who.into(),
            value,
        };
        SroiWaterfallChart {
            title: None,
            subtitle: Some("Present value over 5 years, discounted at 3.5 %.".into()),
            source: SourceLine::new("SOS CEE sample", 1240),
            currency: "EUR".into(),
            price_year: 2024,
            inputs: 1_000_000.0,
            outcomes: vec![
                o("Avoided residential care", "state", 2_900_000.0),
                o("Avoided foster care", "state", 700_000.0),
                o("Higher household income", "families", 1_600_000.0),
                o("Children back in school", "children", 650_000.0),
                o("Better parent-child relationships", "children", 350_000.0),
            ],
        }
    }

    #[test]
    fn stacks_outcomes_against_inputs_and_states_ratio() {
        let chart = example();
        assert!((chart.ratio() - 6.2).abs() < 1e-9);
        let svg = render_and_check(&chart);
        preview("sroi_waterfall", &chart);
        assert!(has_text(&svg, "Where the social value comes from"));
        assert!(has_text(&svg, "Present value (EUR, 2024 prices)"));
        assert!(has_text(&svg, "Ratio 6.2 : 1"));
        assert!(has_text(&svg, "Value to state") && has_text(&svg, "Value to families"));
        // Bars per stakeholder colour (+1 legend swatch each).
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(ORANGE)), 3);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(BLUISH_GREEN)), 2);
        assert_eq!(
            count_tag_attr(&svg, "rect", "fill", &hex(REDDISH_PURPLE)),
            3
        );
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(TOTAL)), 2);
        let t = texts(&svg);
        assert!(t.iter().any(|x| x == "EUR 6.20 m") && t.iter().any(|x| x == "EUR 1.00 m"));
        assert!(t.iter().any(|x| x == "EUR 650,000"));
    }

    #[test]
    fn many_outcomes_use_compact_labels() {
        let mut chart = example();
        for k in 0..8 {
            chart.outcomes.push(WaterfallOutcome {
                label: format!("Outcome number {k}"),
                stakeholder: "community".into(),
                value: 130_000.0,
            });
        }
        let svg = render_and_check(&chart);
        preview("sroi_waterfall_many", &chart);
        let t = texts(&svg);
        assert!(t.iter().any(|x| x == "0.13 m"), "{t:?}");
        assert!(!t.iter().any(|x| x == "EUR 130,000"));
        assert!(has_text(&svg, "Ratio 7.2 : 1"));
        // Labels shrink below the 22 px design size (17.7 in SVG units) to fit the slots.
        let label_sizes: Vec<f64> = svg
            .split("<text")
            .filter(|t| t.contains(">\nOutcome"))
            .filter_map(|t| {
                t.split("font-size=\"")
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse()
                    .ok()
            })
            .collect();
        assert!(
            !label_sizes.is_empty() && label_sizes.iter().all(|&f| f < 17.0),
            "{label_sizes:?}"
        );
    }

    #[test]
    fn rejects_zero_inputs() {
        let mut chart = example();
        chart.inputs = 0.0;
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("positive inputs"), "{err}");
    }

    #[test]
    fn handles_a_disbenefit() {
        let mut chart = example();
        chart.outcomes.push(WaterfallOutcome {
            label: "Stigma".into(),
            stakeholder: "community".into(),
            value: -200_000.0,
        });
        assert!((chart.ratio() - 6.0).abs() < 1e-9);
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "Ratio 6.0 : 1"));
        assert!(has_text(&svg, "EUR -200,000"));
    }
}
