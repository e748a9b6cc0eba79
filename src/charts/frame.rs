//! What every chart shares around its plot: white page, title, subtitle, a legend strip
//! above the plot, the source line at the bottom, and the "too few families" message.
//!
//! Putting the legend in its own strip (not inside the plot) guarantees it never covers
//! data; measuring text with the embedded font before placing it keeps long titles from
//! being clipped. Font sizes are given for a 1600 px wide page and scaled with the page,
//! so a chart reads the same at print size whatever resolution it is rendered at.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::palette::{INK, MUTED};
use super::ChartError;

/// Text sizes (px at 1600 px page width) used across charts.
pub(crate) mod size {
    /// Chart title.
    pub const TITLE: f64 = 40.0;
    /// Subtitle under the title.
    pub const SUBTITLE: f64 = 26.0;
    /// Axis descriptions ("Years since exit").
    pub const AXIS: f64 = 27.0;
    /// Tick labels and category labels.
    pub const TICK: f64 = 24.0;
    /// Legend entries.
    pub const LEGEND: f64 = 24.0;
    /// Values written on the plot (bar values, annotations).
    pub const VALUE: f64 = 22.0;
    /// Source line.
    pub const SOURCE: f64 = 20.0;
}

/// Converts sizes designed for a 1600 px page to the actual page width.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale(f64);

impl Scale {
    /// The scale of a page (drawing area) of the given pixel width.
    pub fn of_width(width: u32) -> Self {
        Scale((f64::from(width) / 1600.0).max(0.25))
    }

    /// The scale of `area`'s page.
    pub fn of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Self {
        Self::of_width(area.dim_in_pixel().0)
    }

    /// `v` page pixels at 1600 px width, scaled.
    pub fn px(self, v: f64) -> f64 {
        v * self.0
    }

    /// `v` scaled and rounded to whole pixels (at least 1).
    pub fn ipx(self, v: f64) -> i32 {
        (v * self.0).round().max(1.0) as i32
    }

    /// A text style of the embedded font at design size `v`.
    pub fn text(self, v: f64, colour: RGBColor) -> TextStyle<'static> {
        TextStyle {
            color: colour.to_backend_color(),
            ..TextStyle::from((FAMILY, self.px(v)).into_font())
        }
    }

    /// A bold text style at design size `v`.
    pub fn bold(self, v: f64, colour: RGBColor) -> TextStyle<'static> {
        TextStyle {
            color: colour.to_backend_color(),
            ..TextStyle::from((FAMILY, self.px(v), FontStyle::Bold).into_font())
        }
    }
}

/// Anchors a text style.
pub(crate) fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// The line under each chart: `Source: <dataset>, n = <families> families; kinsight <version>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// Dataset name (from `dataset.toml`).
    pub dataset: String,
    /// Number of families the chart rests on.
    pub families: u64,
    /// Engine version.
    pub version: String,
}

impl SourceLine {
    /// A source line stamped with this build's kinsight version.
    pub fn new(dataset: impl Into<String>, families: u64) -> Self {
        SourceLine {
            dataset: dataset.into(),
            families,
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

impl std::fmt::Display for SourceLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Source: {}, n = {} families; kinsight {}",
            self.dataset,
            super::labels::thousands(self.families as f64),
            self.version
        )
    }
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    /// A solid line of the given stroke width (design px).
    Line(RGBColor, f64),
    /// A dashed line.
    Dashed(RGBColor),
    /// A translucent band (interval).
    Band(RGBColor),
    /// A filled box (bars).
    Bar(RGBColor),
    /// A filled dot (points).
    Dot(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendItem {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        LegendItem {
            label: label.into(),
            swatch,
        }
    }
}

/// The subtitle line: the caller's subtitle followed by the notes a chart adds about
/// what it shows (gaps from suppression, where the axis starts, what was left out).
///
/// Kept as one helper so every chart words and joins its notes the same way.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Subtitle(Vec<String>);

impl Subtitle {
    /// Starts with the caller's subtitle, if any.
    pub fn new(given: Option<&str>) -> Self {
        Subtitle(given.iter().map(|g| g.to_string()).collect())
    }

    /// Adds a note after what is there.
    pub fn note(&mut self, note: impl Into<String>) {
        self.0.push(note.into());
    }

    /// The line to draw: subtitle and notes joined by spaces; `None` when there is nothing
    /// to say.
    pub fn text(&self) -> Option<String> {
        let text = self.0.join(" ");
        (!text.is_empty()).then_some(text)
    }
}

/// Everything around the plot: title, subtitle, key figures, legend and source line.
pub(crate) struct Page<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    /// Key figures in bold under the subtitle (e.g. "95 % range 4.1 – 8.3").
    key: Option<&'a str>,
    legend: &'a [LegendItem],
    source: &'a SourceLine,
}

impl<'a> Page<'a> {
    /// A page with a title and a source line, and no subtitle, key figures or legend.
    pub fn new(title: &'a str, source: &'a SourceLine) -> Self {
        Page {
            title,
            subtitle: None,
            key: None,
            legend: &[],
            source,
        }
    }

    /// Sets the line under the title.
    pub fn subtitle(self, subtitle: Option<&'a str>) -> Self {
        Page { subtitle, ..self }
    }

    /// Sets the key figures written in bold under the subtitle.
    pub fn key(self, key: Option<&'a str>) -> Self {
        Page { key, ..self }
    }

    /// Sets the legend entries.
    pub fn legend(self, legend: &'a [LegendItem]) -> Self {
        Page { legend, ..self }
    }
}

/// Opacity of interval bands.
pub(crate) const BAND_ALPHA: f64 = 0.18;

/// Splits `text` into lines that fit `max_width` pixels in `style`.
pub(crate) fn fit_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    max_width: u32,
) -> Result<Vec<String>, ChartError> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        let (w, _) = area.estimate_text_size(&candidate, style)?;
        if w > max_width && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// `style`, made smaller if needed so that `text` fits on one line of `max_width` px.
pub(crate) fn shrink_to_fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: TextStyle<'static>,
    max_width: i32,
) -> Result<TextStyle<'static>, ChartError> {
    let (w, _) = area.estimate_text_size(text, &style)?;
    if w as i32 <= max_width || w == 0 {
        return Ok(style);
    }
    let size = style.font.get_size() * f64::from(max_width.max(1)) / f64::from(w);
    Ok(TextStyle {
        font: style.font.resize(size),
        ..style
    })
}

/// Draws lines of text top-down from `(x, y)` and returns the y below the last line.
pub(crate) fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
    (x, y): (i32, i32),
    style: &TextStyle<'static>,
    line_height: i32,
) -> Result<i32, ChartError> {
    let style = anchored(style.clone(), HPos::Left, VPos::Top);
    let mut y = y;
    for line in lines {
        area.draw(&Text::new(line.clone(), (x, y), style.clone()))?;
        y += line_height;
    }
    Ok(y)
}

/// Draws one legend swatch in a `w` x `h` box at `(x, y)` (top-left).
pub(crate) fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    (x, y): (i32, i32),
    (w, h): (i32, i32),
    s: Scale,
) -> Result<(), ChartError> {
    let mid = y + h / 2;
    match swatch {
        Swatch::Line(c, width) => {
            area.draw(&PathElement::new(
                vec![(x, mid), (x + w, mid)],
                c.stroke_width(s.ipx(width) as u32),
            ))?;
        }
        Swatch::Dashed(c) => {
            let dash = (w / 5).max(2);
            let mut x0 = x;
            while x0 < x + w {
                let x1 = (x0 + dash).min(x + w);
                area.draw(&PathElement::new(
                    vec![(x0, mid), (x1, mid)],
                    c.stroke_width(s.ipx(3.0) as u32),
                ))?;
                x0 += 2 * dash;
            }
        }
        Swatch::Band(c) => {
            area.draw(&Rectangle::new(
                [(x, y), (x + w, y + h)],
                c.mix(BAND_ALPHA).filled(),
            ))?;
        }
        Swatch::Bar(c) => {
            area.draw(&Rectangle::new(
                [(x + w / 4, y), (x + w - w / 4, y + h)],
                c.filled(),
            ))?;
        }
        Swatch::Dot(c) => {
            area.draw(&Circle::new((x + w / 2, mid), h / 3, c.filled()))?;
        }
    }
    Ok(())
}

/// Draws a legend as rows of entries starting at `(x, y)` within `max_width`; returns the
/// y below the legend.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    (x, y): (i32, i32),
    max_width: i32,
    s: Scale,
) -> Result<i32, ChartError> {
    if items.is_empty() {
        return Ok(y);
    }
    let style = anchored(s.text(size::LEGEND, INK), HPos::Left, VPos::Center);
    let (sw, sh) = (s.ipx(48.0), s.ipx(22.0));
    let row_h = s.ipx(38.0);
    let gap = s.ipx(36.0);
    let (mut cx, mut cy) = (x, y);
    for item in items {
        let (tw, _) = area.estimate_text_size(&item.label, &style)?;
        let width = sw + s.ipx(10.0) + tw as i32;
        if cx > x && cx + width > x + max_width {
            cx = x;
            cy += row_h;
        }
        draw_swatch(area, item.swatch, (cx, cy + (row_h - sh) / 2), (sw, sh), s)?;
        area.draw(&Text::new(
            item.label.clone(),
            (cx + sw + s.ipx(10.0), cy + row_h / 2),
            style.clone(),
        ))?;
        cx += width + gap;
    }
    Ok(cy + row_h)
}

/// Makes sure the embedded font is registered, fills `root` white and returns its scale:
/// the first step of drawing any page.
///
/// # Errors
/// [`ChartError::Font`] when the font cannot be loaded; [`ChartError::Drawing`] when the
/// backend fails.
pub(crate) fn blank_page<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
) -> Result<Scale, ChartError> {
    super::font::ensure_fonts()?;
    let s = Scale::of(root);
    root.fill(&WHITE)?;
    Ok(s)
}

/// Writes the source line with its bottom-left corner at `(x, bottom)`, shrunk if needed
/// to fit `max_width` px.
///
/// # Errors
/// [`ChartError::Drawing`] when the backend fails.
pub(crate) fn draw_source<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    source: &SourceLine,
    (x, bottom): (i32, i32),
    max_width: i32,
    s: Scale,
) -> Result<(), ChartError> {
    let text = source.to_string();
    let style = shrink_to_fit(root, &text, s.text(size::SOURCE, MUTED), max_width)?;
    root.draw(&Text::new(
        text,
        (x, bottom),
        anchored(style, HPos::Left, VPos::Bottom),
    ))?;
    Ok(())
}

impl Page<'_> {
    /// Fills the page, draws title, subtitle, legend and source line, and returns the area
    /// left for the plot (with room for axis labels left to the chart builder).
    ///
    /// # Errors
    /// [`ChartError::Drawing`] when the backend fails.
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<DrawingArea<DB, Shift>, ChartError> {
        let s = blank_page(root)?;
        let (w, h) = root.dim_in_pixel();
        let margin = s.ipx(40.0);
        let inner = w as i32 - 2 * margin;

        let wrapped = |text: &str, y: i32, style: TextStyle<'static>, line_height: f64| {
            let lines = fit_lines(root, text, &style, inner as u32)?;
            draw_lines(root, &lines, (margin, y), &style, s.ipx(line_height))
        };
        let mut y = wrapped(self.title, margin, s.bold(size::TITLE, INK), 50.0)?;
        if let Some(sub) = self.subtitle {
            y = wrapped(sub, y + s.ipx(4.0), s.text(size::SUBTITLE, MUTED), 34.0)?;
        }
        if let Some(key) = self.key {
            y = wrapped(key, y + s.ipx(10.0), s.bold(size::AXIS + 1.0, INK), 38.0)?;
        }
        y = draw_legend(root, self.legend, (margin, y + s.ipx(10.0)), inner, s)?;

        let source_y = h as i32 - s.ipx(24.0);
        draw_source(root, self.source, (margin, source_y), inner, s)?;

        let top = y + s.ipx(14.0);
        let bottom = h as i32 - source_y + s.ipx(44.0);
        Ok(root.margin(top, bottom, margin, margin))
    }
}

/// Draws `text` with its left edge at `x`, vertically centred on `y`, on a white box so it
/// stays legible where it crosses a line or grid.
pub(crate) fn draw_boxed_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    (x, y): (i32, i32),
    style: &TextStyle<'static>,
    s: Scale,
) -> Result<(), ChartError> {
    let (w, h) = root.estimate_text_size(text, style)?;
    let pad = s.ipx(6.0);
    root.draw(&Rectangle::new(
        [
            (x - pad, y - h as i32 / 2 - pad),
            (x + w as i32 + pad, y + h as i32 / 2 + pad),
        ],
        WHITE.mix(0.9).filled(),
    ))?;
    root.draw(&Text::new(
        text.to_string(),
        (x, y),
        anchored(style.clone(), HPos::Left, VPos::Center),
    ))?;
    Ok(())
}

/// Writes "Too few families to show (fewer than N)" in the middle of `area`: used when
/// every value a chart would draw is suppressed or missing.
///
/// # Errors
/// [`ChartError::Drawing`] when the backend fails.
pub(crate) fn draw_too_few<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    min_cell: u32,
    s: Scale,
) -> Result<(), ChartError> {
    draw_message(area, &too_few_message(min_cell), s)
}

/// Writes `message` in the middle of a framed, empty plot area: used when a chart has
/// nothing to draw.
///
/// # Errors
/// [`ChartError::Drawing`] when the backend fails.
pub(crate) fn draw_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    message: &str,
    s: Scale,
) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let style = anchored(
        s.text(size::SUBTITLE + 6.0, MUTED),
        HPos::Center,
        VPos::Center,
    );
    area.draw(&Rectangle::new(
        [(0, 0), (w as i32 - 1, h as i32 - 1)],
        super::palette::GRID.stroke_width(s.ipx(2.0) as u32),
    ))?;
    area.draw(&Text::new(
        message.to_string(),
        (w as i32 / 2, h as i32 / 2),
        style,
    ))?;
    Ok(())
}

/// The message shown instead of a chart whose cells are all suppressed.
pub fn too_few_message(min_cell: u32) -> String {
    format!("Too few families to show (fewer than {min_cell})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_line_wording() {
        let s = SourceLine {
            dataset: "SOS CEE sample".into(),
            families: 1240,
            version: "0.1.0".into(),
        };
        assert_eq!(
            s.to_string(),
            "Source: SOS CEE sample, n = 1,240 families; kinsight 0.1.0"
        );
        assert_eq!(SourceLine::new("x", 3).version, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn scale_follows_width() {
        assert!((Scale::of_width(1600).px(40.0) - 40.0).abs() < 1e-12);
        assert!((Scale::of_width(800).px(40.0) - 20.0).abs() < 1e-12);
        assert_eq!(Scale::of_width(3200).ipx(24.0), 48);
    }

    #[test]
    fn long_text_shrinks_to_fit() {
        crate::charts::font::ensure_fonts().unwrap();
        let mut buf = String::new();
        let root = SVGBackend::with_string(&mut buf, (1600, 1000)).into_drawing_area();
        let s = Scale::of_width(1600);
        let long = "Source: ".to_string() + &"a very long dataset name ".repeat(12);
        let style = shrink_to_fit(&root, &long, s.text(size::SOURCE, MUTED), 1520).unwrap();
        let (w, _) = root.estimate_text_size(&long, &style).unwrap();
        assert!(w <= 1530 && style.font.get_size() < size::SOURCE, "{w}");
        let short = shrink_to_fit(&root, "Source: x", s.text(size::SOURCE, MUTED), 1520).unwrap();
        assert_eq!(short.font.get_size(), size::SOURCE);
    }

    #[test]
    fn too_few_wording() {
        assert_eq!(
            too_few_message(10),
            "Too few families to show (fewer than 10)"
        );
    }
}
