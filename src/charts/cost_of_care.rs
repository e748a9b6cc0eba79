//! The cost-of-care chart: per country, what the programme costs against what the state
//! pays for care, in two panels sharing the country rows.
//!
//! Left, **a year**: the programme's cost per child-year of support (a family-year of
//! support counts once for each child of the family) against the public cost of a
//! child-year in residential care and in foster care: like for like, per child-year. This is the comparison ministries
//! ask for first (published: institutional care costs 3-5 times foster care and about 8
//! times family support, Lumos; UNICEF Armenia 2010: US$3,800 institution vs US$2,800
//! foster per child-year). Right, **per family**: the programme's cost per family against
//! the public cost of the placements it avoided within the horizon (placements avoided x
//! cost of a placement, `tables/cost_of_care`), the policy brief's question of whether
//! support pays for itself in care costs alone. The right panel is left out when no
//! country has those figures (a run before they existed).
//!
//! Bars are horizontal so that country names stay readable; the residential and the
//! avoided-cost bars state their multiple of the programme cost. Amounts are real, in one
//! currency and price year (in both axis labels). Suppressed countries are not passed in.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::HouseStyle;
use super::error::finite;
use super::frame::{
    anchored, draw_message, shrink_to_fit, size, LegendItem, Page, Scale, SourceLine, Swatch,
};
use super::geometry::nice_ceiling;
use super::labels::{money, money_tick, years};
use super::palette::{BLUISH_GREEN, INK, ORANGE, PROGRAMME, REDDISH_PURPLE};
use super::render::Chart;
use super::ChartError;

const CHART: &str = "cost_of_care";

/// Residential-care bars.
pub const RESIDENTIAL: RGBColor = ORANGE;
/// Foster-care bars.
pub const FOSTER: RGBColor = REDDISH_PURPLE;
/// Bars of the public cost of the placements avoided.
pub const AVOIDED: RGBColor = BLUISH_GREEN;

/// One country's costs (real, reporting currency); `None` when unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryCosts {
    /// Country name or code as readers should see it.
    pub country: String,
    /// Programme cost per child-year of support (a family-year counts once per child):
    /// the like-for-like comparator of a child-year of care.
    pub programme_per_child_year: Option<f64>,
    /// Public cost of a child-year in residential care.
    pub residential_per_child_year: Option<f64>,
    /// Public cost of a child-year in foster care.
    pub foster_per_child_year: Option<f64>,
    /// Programme cost per family (whole support).
    pub programme_per_family: Option<f64>,
    /// Public cost of the placements avoided within the horizon, per programme family
    /// (may be negative when the programme arm was placed more often).
    pub avoided_per_family: Option<f64>,
}

impl CountryCosts {
    fn annual(&self) -> Vec<Bar> {
        vec![
            Bar::new(self.programme_per_child_year, PROGRAMME, None),
            Bar::new(
                self.residential_per_child_year,
                RESIDENTIAL,
                multiple(
                    self.residential_per_child_year,
                    self.programme_per_child_year,
                ),
            ),
            Bar::new(self.foster_per_child_year, FOSTER, None),
        ]
    }

    fn per_family(&self) -> Vec<Bar> {
        vec![
            Bar::new(self.programme_per_family, PROGRAMME, None),
            Bar::new(
                self.avoided_per_family,
                AVOIDED,
                multiple(self.avoided_per_family, self.programme_per_family),
            ),
        ]
    }
}

/// One bar: its value, colour and what follows the value in its label.
struct Bar {
    value: Option<f64>,
    colour: RGBColor,
    note: Option<String>,
}

impl Bar {
    fn new(value: Option<f64>, colour: RGBColor, note: Option<String>) -> Self {
        Bar {
            value,
            colour,
            note,
        }
    }
}

/// Input of [`draw_cost_of_care`].
#[derive(Debug, Clone, PartialEq)]
pub struct CostOfCareChart {
    /// Title; `None` gives "What family support costs, against the cost of care".
    pub title: Option<String>,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Source line.
    pub source: SourceLine,
    /// Reporting currency.
    pub currency: String,
    /// Price year of the amounts.
    pub price_year: i32,
    /// Horizon of the avoided placements, years after exit.
    pub horizon_years: f64,
    /// One group of bars per country, top to bottom.
    pub countries: Vec<CountryCosts>,
}

impl CostOfCareChart {
    fn check(&self) -> Result<(), ChartError> {
        for (i, c) in self.countries.iter().enumerate() {
            for (name, v, may_be_negative) in [
                (
                    "programme_per_child_year",
                    c.programme_per_child_year,
                    false,
                ),
                (
                    "residential_per_child_year",
                    c.residential_per_child_year,
                    false,
                ),
                ("foster_per_child_year", c.foster_per_child_year, false),
                ("programme_per_family", c.programme_per_family, false),
                ("avoided_per_family", c.avoided_per_family, true),
            ] {
                if let Some(v) = v {
                    let v = finite(
                        CHART,
                        || format!("countries[{i}] ({}).{name}", c.country),
                        v,
                    )?;
                    if v < 0.0 && !may_be_negative {
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
        if !(self.horizon_years.is_finite() && self.horizon_years > 0.0) {
            return Err(ChartError::InvalidInput {
                chart: CHART,
                problem: format!(
                    "horizon_years is {}; it must be a positive number of years",
                    self.horizon_years
                ),
            });
        }
        Ok(())
    }

    /// Whether the per-family panel has anything to show.
    fn has_per_family(&self) -> bool {
        self.countries
            .iter()
            .any(|c| c.avoided_per_family.is_some())
    }

    /// "5 years".
    fn horizon(&self) -> String {
        years(self.horizon_years)
    }
}

impl Chart for CostOfCareChart {
    fn title(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| "What family support costs, against the cost of care".to_string())
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

/// "7.4×" (times the programme cost, as the legend says) when both costs are known and
/// the programme cost is positive.
fn multiple(cost: Option<f64>, programme: Option<f64>) -> Option<String> {
    match (cost, programme) {
        (Some(r), Some(p)) if p > 0.0 && r >= 0.0 => Some(format!("{:.1}×", r / p)),
        _ => None,
    }
}

/// Draws the cost-of-care chart (see the module documentation).
///
/// # Errors
/// [`ChartError::InvalidValue`] / [`ChartError::InvalidInput`] for a non-finite or
/// negative cost or a horizon that is not positive; [`ChartError::Drawing`] when the
/// backend fails.
pub fn draw_cost_of_care<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &CostOfCareChart,
) -> Result<(), ChartError> {
    data.check()?;
    let s = Scale::of(root);
    let both = data.has_per_family();
    let mut legend = vec![
        LegendItem::new(
            if both {
                "Programme cost"
            } else {
                "Programme, per child-year of support"
            },
            Swatch::Bar(PROGRAMME),
        ),
        LegendItem::new(
            "Residential care, per child-year (× the programme)",
            Swatch::Bar(RESIDENTIAL),
        ),
        LegendItem::new("Foster care, per child-year", Swatch::Bar(FOSTER)),
    ];
    if both {
        legend.push(LegendItem::new(
            format!(
                "Public cost of the placements avoided within {} (× the programme)",
                data.horizon()
            ),
            Swatch::Bar(AVOIDED),
        ));
    }
    let body = Page::new(&data.title(), &data.source)
        .subtitle(data.subtitle.as_deref())
        .legend(&legend)
        .draw(root)?;
    let money_desc = |what: &str| format!("{what} ({}, {} prices)", data.currency, data.price_year);
    let annual = Panel {
        groups: data.countries.iter().map(CountryCosts::annual).collect(),
        x_desc: money_desc("Annual cost"),
        caption: None,
        names: true,
    };
    if !both {
        return draw_panel(root, &body, data, &annual, s);
    }
    let (w, _) = body.dim_in_pixel();
    let (left, right) = body.split_horizontally(w * 57 / 100);
    draw_panel(
        root,
        &left,
        data,
        &Panel {
            caption: Some("A child-year of support, a child-year in care".into()),
            ..annual
        },
        s,
    )?;
    let per_family = Panel {
        groups: data
            .countries
            .iter()
            .map(CountryCosts::per_family)
            .collect(),
        x_desc: money_desc("Cost per family"),
        caption: Some(format!(
            "Per family: support, and care avoided within {}",
            data.horizon()
        )),
        names: false,
    };
    draw_panel(root, &right, data, &per_family, s)
}

/// The value label of a bar: the amount, then its note in brackets ("none avoided" for
/// a negative amount).
fn label(bar: &Bar, currency: &str) -> Option<String> {
    let v = bar.value?;
    let mut text = money(currency, v);
    if v < 0.0 {
        text = format!("{text}  (none avoided)");
    }
    if let Some(note) = &bar.note {
        text = format!("{text}  ({note})");
    }
    Some(text)
}

/// One panel: a group of bars per country, an axis description, an optional caption,
/// and whether the country names go on its left.
struct Panel {
    groups: Vec<Vec<Bar>>,
    x_desc: String,
    caption: Option<String>,
    names: bool,
}

/// One panel of grouped horizontal bars, one group per country, rows aligned with the
/// other panel's (same margins, same caption size).
fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    data: &CostOfCareChart,
    panel: &Panel,
    s: Scale,
) -> Result<(), ChartError> {
    let (groups, names) = (&panel.groups, panel.names);
    if groups.iter().flatten().all(|b| b.value.is_none()) {
        return draw_message(area, "No costs to show", s);
    }
    let max = groups
        .iter()
        .flatten()
        .filter_map(|b| b.value)
        .fold(0.0, f64::max);
    let g = groups.len();
    // Room on the right for the value labels.
    let (area_w, _) = area.dim_in_pixel();
    let (label_area, margin_left) = if names {
        (s.ipx(240.0), 0)
    } else {
        (s.ipx(10.0), s.ipx(30.0))
    };
    let value_style = anchored(s.text(size::VALUE, INK), HPos::Left, VPos::Center);
    // Room on the right for the value labels: each label goes after its bar, or inside
    // it when the bar is long enough; the axis is stretched until every label fits one
    // way or the other (it only grows, so this settles in a few rounds).
    let plot_w = f64::from(area_w as i32 - label_area - margin_left - s.ipx(30.0));
    let gap = f64::from(s.ipx(12.0));
    let mut widths = Vec::new();
    for b in groups.iter().flatten() {
        if let (Some(v), Some(text)) = (b.value, label(b, &data.currency)) {
            let (tw, _) = root.estimate_text_size(&text, &value_style)?;
            widths.push((v.max(0.0), f64::from(tw)));
        }
    }
    let mut right = if max > 0.0 {
        nice_ceiling(max * 1.1)
    } else {
        1.0
    };
    for _ in 0..8 {
        let needed = widths
            .iter()
            .map(|&(v, tw)| {
                let bar = v / right * plot_w;
                let fits = bar + gap + tw <= plot_w || bar >= tw + gap;
                if fits || plot_w - gap - tw <= 0.0 {
                    right
                } else {
                    v * plot_w / (plot_w - gap - tw)
                }
            })
            .fold(right, f64::max);
        if needed <= right {
            break;
        }
        right = nice_ceiling(needed);
    }
    let mut builder = ChartBuilder::on(area);
    if let Some(c) = &panel.caption {
        let style = shrink_to_fit(
            area,
            c,
            s.bold(size::AXIS, INK),
            area_w as i32 - s.ipx(20.0),
        )?;
        builder.caption(c, style);
    }
    let mut chart = builder
        .margin_top(s.ipx(10.0))
        .margin_right(s.ipx(30.0))
        .margin_left(margin_left)
        .x_label_area_size(s.ipx(80.0))
        .y_label_area_size(label_area)
        .build_cartesian_2d(0f64..right, -0.5f64..(g as f64 - 0.5))?;
    chart
        .configure_mesh()
        .house_style(s)
        .y_labels(0)
        .disable_y_mesh()
        .x_labels(if names { 8 } else { 5 })
        .x_label_formatter(&|v| money_tick(*v, right))
        .x_desc(&panel.x_desc)
        .draw()?;

    let (plot_left, _) = chart.backend_coord(&(0.0, 0.0));
    let n = groups.iter().map(Vec::len).max().unwrap_or(1).max(1);
    // Bars of the same thickness in both panels, centred on the country's row.
    let slot = 0.28;
    let half = 0.12;
    for (i, (bars, c)) in groups.iter().zip(&data.countries).enumerate() {
        let centre = (g - 1 - i) as f64;
        if names {
            let (_, py) = chart.backend_coord(&(0.0, centre));
            root.draw(&Text::new(
                c.country.clone(),
                (plot_left - s.ipx(16.0), py),
                anchored(s.bold(size::TICK, INK), HPos::Right, VPos::Center),
            ))?;
        }
        for (k, bar) in bars.iter().enumerate() {
            let (Some(v), Some(text)) = (bar.value, label(bar, &data.currency)) else {
                continue;
            };
            let y = centre + slot * ((n - 1) as f64 / 2.0 - k as f64);
            // A negative value (the programme arm placed more often) has no bar.
            if v >= 0.0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - half), (v, y + half)],
                    bar.colour.filled(),
                )))?;
            }
            let v = v.max(0.0);
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
            programme_per_child_year: p,
            residential_per_child_year: r,
            foster_per_child_year: f,
            programme_per_family: None,
            avoided_per_family: None,
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
            horizon_years: 5.0,
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
            "What family support costs, against the cost of care"
        ));
        assert!(has_text(&svg, "Annual cost (EUR, 2024 prices)"));
        assert!(has_text(&svg, "Romania") && has_text(&svg, "Latvia"));
        // 3 programme, 3 residential, 2 foster bars (+1 legend swatch each).
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(PROGRAMME)), 4);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(RESIDENTIAL)), 4);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(FOSTER)), 3);
        let t = texts(&svg);
        // 6,200 / 820 = 7.56 -> 7.6x; 14,000 / 500 = 28.0x.
        assert!(t.iter().any(|x| x == "EUR 6,200  (7.6×)"), "{t:?}");
        assert!(t.iter().any(|x| x == "EUR 14,000  (28.0×)"));
        assert!(has_text(
            &svg,
            "Residential care, per child-year (× the programme)"
        ));
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
                programme_per_child_year: Some(500.0 + 20.0 * i as f64),
                residential_per_child_year: Some(4_000.0 + 300.0 * i as f64),
                foster_per_child_year: Some(2_000.0 + 100.0 * i as f64),
                programme_per_family: Some(800.0),
                avoided_per_family: Some(1_000.0 + 100.0 * i as f64),
            })
            .collect();
        assert_eq!(chart.size(), (1600, 330 + 130 * 16));
        let svg = render_and_check(&chart);
        preview("cost_of_care_16", &chart);
        // 16 per-family-year and 16 per-family bars, one legend swatch.
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(PROGRAMME)), 33);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(AVOIDED)), 17);
    }

    #[test]
    fn per_family_panel_sets_the_avoided_cost_against_the_programme() {
        let mut chart = example();
        // Romania: EUR 1,300 per family against EUR 3,250 of care avoided (2.5x);
        // Armenia: the programme arm was placed more often; Latvia: no comparison arm.
        chart.countries[0].programme_per_family = Some(1_300.0);
        chart.countries[0].avoided_per_family = Some(3_250.0);
        chart.countries[1].programme_per_family = Some(900.0);
        chart.countries[1].avoided_per_family = Some(-120.0);
        chart.countries[2].programme_per_family = Some(1_000.0);
        let svg = render_and_check(&chart);
        preview("cost_of_care_per_family", &chart);
        assert!(has_text(&svg, "Annual cost (EUR, 2024 prices)"));
        assert!(has_text(&svg, "Cost per family (EUR, 2024 prices)"));
        assert!(has_text(
            &svg,
            "Public cost of the placements avoided within 5 years (× the programme)"
        ));
        let t = texts(&svg);
        assert!(t.iter().any(|x| x == "EUR 3,250  (2.5×)"), "{t:?}");
        assert!(t.iter().any(|x| x == "EUR -120  (none avoided)"), "{t:?}");
        // Country names once, on the left panel.
        assert_eq!(t.iter().filter(|x| *x == "Romania").count(), 1);
        // 3 + 3 programme bars, 1 avoided bar (Armenia's is negative, Latvia has none),
        // plus a legend swatch each.
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(PROGRAMME)), 7);
        assert_eq!(count_tag_attr(&svg, "rect", "fill", &hex(AVOIDED)), 2);
    }

    #[test]
    fn multiple_needs_both_costs() {
        assert_eq!(
            multiple(Some(3_800.0), Some(500.0)).as_deref(),
            Some("7.6×")
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
            c.programme_per_child_year = None;
            c.residential_per_child_year = None;
            c.foster_per_child_year = None;
        }
        let svg = render_and_check(&chart);
        assert!(has_text(&svg, "No costs to show"));
    }
}
