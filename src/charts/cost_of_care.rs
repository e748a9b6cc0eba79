//! The cost-of-care chart: per country, what the programme costs per family-year against
//! what the state pays for a child-year in residential care and in foster care.
//!
//! This is the comparison ministries ask for first (published: institutional care costs
//! 3-5 times foster care and about 8 times family support, Lumos; UNICEF Armenia 2010:
//! US$3,800 institution vs US$2,800 foster per child-year). Bars are horizontal so that
//! country names stay readable, and each residential bar states its multiple of the
//! programme cost. Amounts are real, in one currency and price year (in the axis label).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::error::finite;
use super::frame::{
    anchored, draw_message, draw_page, size, LegendItem, Page, Scale, SourceLine, Swatch,
};
use super::geometry::nice_ceiling;
use super::labels::{money, money_tick};
use super::palette::{GRID, INK, MUTED, ORANGE, PROGRAMME, REDDISH_PURPLE};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "cost_of_care";

/// Residential-care bars.
pub const RESIDENTIAL: RGBColor = ORANGE;
/// Foster-care bars.
pub const FOSTER: RGBColor = REDDISH_PURPLE;

/// One country's annual costs (real, reporting currency); `None` when unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryCosts {
    /// Country name or code as readers should see it.
    pub country: String,
    /// Programme cost per family-year.
    pub programme_per_family_year: Option<f64>,
    /// Public cost of a child-year in residential care.
    pub residential_per_child_year: Option<f64>,
    /// Public cost of a child-year in foster care.
    pub foster_per_child_year: Option<f64>,
}

impl CountryCosts {
    fn values(&self) -> [(Option<f64>, RGBColor); 3] {
        [
            (self.programme_per_family_year, PROGRAMME),
            (self.residential_per_child_year, RESIDENTIAL),
            (self.foster_per_child_year, FOSTER),
        ]
    }
}

/// Input of [`draw_cost_of_care`].
#[derive(Debug, Clone, PartialEq)]
pub struct CostOfCareChart {
    /// Title; `None` gives "What family support costs, against a year in alternative care".
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Reporting currency.
    pub currency: String,
    /// Price year of the amounts.
    pub price_year: i32,
    /// One group of bars per country, top to bottom.
    pub countries: Vec<CountryCosts>,
}

impl CostOfCareChart {
    fn check(&self) -> Result<(), ChartError> {
        for (i, c) in self.countries.iter().enumerate() {
            for (name, v) in [
                ("programme_per_family_year", c.programme_per_family_year),
                ("residential_per_child_year", c.residential_per_child_year),
                ("foster_per_child_year", c.foster_per_child_year),
            ] {
                if let Some(v) = v {
                    let v = finite(
                        CHART,
                        || format!("countries[{i}] ({}).{name}", c.country),
                        v,
                    )?;
                    if v < 0.0 {
                        return Err(ChartError::InvalidInput {
                            chart: CHART,
                            problem: format!(
                                "countries[{i}] ({}).{name} is {v}; a cost cannot be negative",
                                c.country
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

impl Chart for CostOfCareChart {
    fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| {
            "What family support costs, against a year in alternative care".to_string()
        })
    }

    /// 1600 px wide; taller than the default when there are more than five countries, so
    /// bars and their labels keep their size.
    fn size(&self) -> (u32, u32) {
        (1600, (330 + 130 * self.countries.len() as u32).max(1000))
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_cost_of_care(root, self)
    }
}

/// "7.4x the programme" when both costs are known and the programme cost is positive.
fn multiple(residential: Option<f64>, programme: Option<f64>) -> Option<String> {
    match (residential, programme) {
        (Some(r), Some(p)) if p > 0.0 => Some(format!("{:.1}× the programme", r / p)),
        _ => None,
    }
}

/// Draws the cost-of-care chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for a non-finite or
/// negative cost; [`ChartError::Drawing`] when the backend fails.
pub fn draw_cost_of_care<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &CostOfCareChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let legend = [
        LegendItem::new("Programme, per family-year", Swatch::Bar(PROGRAMME)),
        LegendItem::new("Residential care, per child-year", Swatch::Bar(RESIDENTIAL)),
        LegendItem::new("Foster care, per child-year", Swatch::Bar(FOSTER)),
    ];
    let title = data.title();
    let body = draw_page(
        root,
        &Page {
            title: &title,
            subtitle: data.subtitle.as_deref(),
            key: None,
            legend: &legend,
            source: &data.source,
        },
    )?;
    let max = data
        .countries
        .iter()
        .flat_map(|c| c.values().into_iter().filter_map(|v| v.0))
        .fold(0.0, f64::max);
    if max <= 0.0 {
        return draw_message(&body, "No costs to show", s);
    }
    // Room on the right for the value labels.
    let right = nice_ceiling(max * 1.35);
    let g = data.countries.len();
    let x_desc = format!(
        "Annual cost ({}, {} prices)",
        data.currency, data.price_year
    );
    let mut chart = ChartBuilder::on(&body)
        .margin_top(s.ipx(10.0))
        .margin_right(s.ipx(30.0))
        .x_label_area_size(s.ipx(80.0))
        .y_label_area_size(s.ipx(240.0))
        .build_cartesian_2d(0f64..right, -0.5f64..(g as f64 - 0.5))?;
    chart
        .configure_mesh()
        .y_labels(0)
        .disable_y_mesh()
        .x_labels(8)
        .x_label_formatter(&|v| money_tick(*v, right))
        .label_style(s.text(size::TICK, MUTED))
        .axis_desc_style(s.text(size::AXIS, INK))
        .x_desc(x_desc)
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(s.ipx(1.0) as u32))
        .axis_style(MUTED.stroke_width(s.ipx(1.5) as u32))
        .draw()?;

    let (plot_left, _) = chart.backend_coord(&(0.0, 0.0));
    let slot = 0.28;
    let half = 0.12;
    let value_style = anchored(s.text(size::VALUE, INK), HPos::Left, VPos::Center);
    for (i, c) in data.countries.iter().enumerate() {
        let centre = (g - 1 - i) as f64;
        let (_, py) = chart.backend_coord(&(0.0, centre));
        root.draw(&Text::new(
            c.country.clone(),
            (plot_left - s.ipx(16.0), py),
            anchored(s.bold(size::TICK, INK), HPos::Right, VPos::Center),
        ))?;
        for (k, (value, colour)) in c.values().into_iter().enumerate() {
            let Some(v) = value else { continue };
            let y = centre + slot - slot * k as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - half), (v, y + half)],
                colour.filled(),
            )))?;
            let mut text = money(&data.currency, v);
            if k == 1 {
                if let Some(m) = multiple(c.residential_per_child_year, c.programme_per_family_year)
                {
                    text = format!("{text}  ({m})");
                }
            }
            // Outside the bar's end, or inside it in white when it would run off the plot.
            let (end_px, _) = chart.backend_coord(&(v, y));
            let (plot_right, _) = chart.backend_coord(&(right, y));
            let (tw, _) = root.estimate_text_size(&text, &value_style)?;
            if end_px + s.ipx(8.0) + tw as i32 > plot_right
                && end_px - plot_left > tw as i32 + s.ipx(16.0)
            {
                let inside = anchored(s.text(size::VALUE, WHITE), HPos::Right, VPos::Center);
                chart.draw_series(std::iter::once(
                    EmptyElement::at((v, y)) + Text::new(text, (-s.ipx(8.0), 0), inside),
                ))?;
            } else {
                chart.draw_series(std::iter::once(
                    EmptyElement::at((v, y))
                        + Text::new(text, (s.ipx(8.0), 0), value_style.clone()),
                ))?;
            }
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

    fn example() -> CostOfCareChart {
        let c = |country: &str, p: Option<f64>, r: Option<f64>, f: Option<f64>| CountryCosts {
            country: country.into(),
            programme_per_family_year: p,
            residential_per_child_year: r,
            foster_per_child_year: f,
        };
        CostOfCareChart {
            title: None,
            subtitle: Some(
                "Programme cost from services and overheads; care costs from public sources."
                    .into(),
            ),
            source: SourceLine::new("SOS CEE sample", 1240),
            currency: "EUR".into(),
            price_year: 2024,
            countries: vec![
                // Romania HG 978/2015: placement centre 28,847 lei ~ EUR 6,200 per child-year.
                c("Romania", Some(820.0), Some(6_200.0), Some(2_400.0)),
                // UNICEF 2010 Armenia: US$3,800 institution vs US$2,800 foster.
                c("Armenia", Some(600.0), Some(3_500.0), Some(2_600.0)),
                // SOS Latvia: ~EUR 500 per family-year.
                c("Latvia", Some(500.0), Some(14_000.0), None),
            ],
        }
    }

    #[test]
    fn grouped_bars_with_multiples() {
        let chart = example();
        let svg = render_and_check(&chart);
        preview("cost_of_care", &chart);
        assert!(has_text(
            &svg,
            "What family support costs, against a year in alternative care"
        ));
        assert!(has_text(&svg, "Annual cost (EUR, 2024 prices)"));
        assert!(has_text(&svg, "Romania") && has_text(&svg, "Latvia"));
        // 3 programme, 3 residential, 2 foster bars (+1 legend swatch each).
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(PROGRAMME)), 4);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(RESIDENTIAL)), 4);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(FOSTER)), 3);
        let t = texts(&svg);
        // 6,200 / 820 = 7.56 -> 7.6x; 14,000 / 500 = 28.0x.
        assert!(
            t.iter().any(|x| x == "EUR 6,200  (7.6× the programme)"),
            "{t:?}"
        );
        assert!(t.iter().any(|x| x == "EUR 14,000  (28.0× the programme)"));
    }

    #[test]
    fn sixteen_countries_get_a_taller_page() {
        let mut chart = example();
        assert_eq!(chart.size(), (1600, 1000));
        let names = [
            "AL", "AM", "AZ", "BA", "BG", "BY", "EE", "GE", "HR", "KG", "KZ", "LT", "LV", "ME",
            "MK", "RO",
        ];
        chart.countries = names
            .iter()
            .enumerate()
            .map(|(i, c)| CountryCosts {
                country: c.to_string(),
                programme_per_family_year: Some(500.0 + 20.0 * i as f64),
                residential_per_child_year: Some(4_000.0 + 300.0 * i as f64),
                foster_per_child_year: Some(2_000.0 + 100.0 * i as f64),
            })
            .collect();
        assert_eq!(chart.size(), (1600, 330 + 130 * 16));
        let svg = render_and_check(&chart);
        preview("cost_of_care_16", &chart);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(PROGRAMME)), 17);
    }

    #[test]
    fn multiple_needs_both_costs() {
        assert_eq!(
            multiple(Some(3_800.0), Some(500.0)).as_deref(),
            Some("7.6× the programme")
        );
        assert_eq!(multiple(Some(3_800.0), None), None);
        assert_eq!(multiple(Some(3_800.0), Some(0.0)), None);
    }

    #[test]
    fn rejects_negative_cost() {
        let mut chart = example();
        chart.countries[0].foster_per_child_year = Some(-1.0);
        let err = crate::charts::render_svg(&chart).unwrap_err().to_string();
        assert!(err.contains("cannot be negative"), "{err}");
    }

    #[test]
    fn no_costs_says_so() {
        let mut chart = example();
        for c in &mut chart.countries {
            c.programme_per_family_year = None;
            c.residential_per_child_year = None;
            c.foster_per_child_year = None;
        }
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "No costs to show"));
    }
}
