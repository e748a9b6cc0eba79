//! Turning a chart's data into files: SVG in memory, PNG on disk, an RGB buffer, and
//! `write_chart_files`, which writes both formats atomically.
//!
//! Every chart implements [`Chart`] (its page size and a drawing function generic over
//! the plotters backend), so the same code produces the SVG that tests inspect and the
//! PNG people print. Files are first written under a temporary name in the target folder
//! and then renamed, so an interrupted run never leaves a half-written chart behind.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::ensure_fonts;
use super::ChartError;

/// Default page size of a chart: 1600 x 1000 px.
pub const DEFAULT_SIZE: (u32, u32) = (1600, 1000);

/// A chart: data plus the knowledge of how to draw it on any plotters backend.
pub trait Chart {
    /// Page size in pixels (width, height); at least 1600 px wide for print.
    fn size(&self) -> (u32, u32) {
        DEFAULT_SIZE
    }

    /// The chart's title as drawn (given, or composed from the data); also written as the
    /// SVG's `<title>`, its accessible name in a web page.
    fn title(&self) -> String;

    /// Draws the chart onto `root`, which should be the chart's whole page.
    ///
    /// # Errors
    /// [`ChartError`] when the input holds a non-finite value or the backend fails.
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// An 8-bit RGB image rendered in memory (row-major, 3 bytes per pixel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 3` bytes.
    pub pixels: Vec<u8>,
}

/// Renders `chart` to an SVG document held in a string.
///
/// # Errors
/// [`ChartError`] when the input holds a non-finite value or drawing fails.
pub fn render_svg<C: Chart>(chart: &C) -> Result<String, ChartError> {
    ensure_fonts()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
        chart.draw_on(&root)?;
        root.present()?;
    }
    Ok(with_title(svg, &chart.title()))
}

/// Inserts `<title>` as the first child of the `<svg>` element (SVG 1.1, 5.4), escaped.
fn with_title(mut svg: String, title: &str) -> String {
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    if let Some(open) = svg.find("<svg") {
        if let Some(end) = svg[open..].find('>') {
            svg.insert_str(open + end + 1, &format!("\n<title>{escaped}</title>"));
        }
    }
    svg
}

/// Renders `chart` into an RGB pixel buffer.
///
/// # Errors
/// [`ChartError`] when the input holds a non-finite value or drawing fails.
pub fn render_rgb<C: Chart>(chart: &C) -> Result<RgbImage, ChartError> {
    ensure_fonts()?;
    let (width, height) = chart.size();
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        chart.draw_on(&root)?;
        root.present()?;
    }
    Ok(RgbImage {
        width,
        height,
        pixels,
    })
}

/// Renders `chart` as a PNG file at `path` (the name must end in `.png`).
///
/// # Errors
/// [`ChartError::Drawing`] when drawing or encoding fails (including an unwritable path).
pub fn render_png<C: Chart>(chart: &C, path: &Path) -> Result<(), ChartError> {
    ensure_fonts()?;
    let root = BitMapBackend::new(path, chart.size()).into_drawing_area();
    chart.draw_on(&root)?;
    root.present()?;
    Ok(())
}

/// The two files written for one chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFiles {
    /// `<dir>/<name>.svg`.
    pub svg: PathBuf,
    /// `<dir>/<name>.png`.
    pub png: PathBuf,
}

/// Writes `<dir>/<name>.svg` and `<dir>/<name>.png`, each via a temporary file in `dir`
/// renamed into place when complete. Creates `dir` if needed.
///
/// # Errors
/// [`ChartError::InvalidInput`] when `name` is empty or contains a path separator;
/// [`ChartError::Io`] when the folder or a file cannot be written;
/// [`ChartError::Drawing`] when rendering fails.
pub fn write_chart_files<C: Chart>(
    dir: &Path,
    name: &str,
    chart: &C,
) -> Result<ChartFiles, ChartError> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(ChartError::InvalidInput {
            chart: "write_chart_files",
            problem: format!("chart file name {name:?} must be a plain, non-empty file stem such as \"survival\""),
        });
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ChartError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;

    let svg_path = dir.join(format!("{name}.svg"));
    let svg_tmp = dir.join(format!(".{name}.partial.svg"));
    let svg = render_svg(chart)?;
    std::fs::write(&svg_tmp, svg).map_err(io(&svg_tmp))?;
    std::fs::rename(&svg_tmp, &svg_path).map_err(io(&svg_path))?;

    let png_path = dir.join(format!("{name}.png"));
    let png_tmp = dir.join(format!(".{name}.partial.png"));
    if let Err(err) = render_png(chart, &png_tmp) {
        // Best effort: do not leave a partial file behind; the drawing error is what matters.
        let _ = std::fs::remove_file(&png_tmp);
        return Err(err);
    }
    std::fs::rename(&png_tmp, &png_path).map_err(io(&png_path))?;
    Ok(ChartFiles {
        svg: svg_path,
        png: png_path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::followup::tests::example;

    /// Width and height from a PNG's IHDR chunk (bytes 16..24, big-endian), PNG spec 11.2.2.
    fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&bytes[16..20]), be(&bytes[20..24]))
    }

    #[test]
    fn writes_both_files_and_no_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("charts");
        let files = write_chart_files(&out, "followup_domains", &example()).unwrap();
        assert_eq!(files.svg, out.join("followup_domains.svg"));
        assert_eq!(files.png, out.join("followup_domains.png"));
        let svg = std::fs::read_to_string(&files.svg).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        let png = std::fs::read(&files.png).unwrap();
        assert_eq!(png_size(&png), (1600, 1200));
        let names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "temporary files left behind: {names:?}");
        // Overwriting in place works.
        write_chart_files(&out, "followup_domains", &example()).unwrap();
    }

    #[test]
    fn svg_carries_an_accessible_title() {
        let svg = render_svg(&example()).unwrap();
        let head = svg.split("<rect").next().unwrap();
        assert!(
            head.contains(
                "<title>Share of families doing well, 1-5 years after the programme</title>"
            ),
            "{head}"
        );
        assert_eq!(
            with_title("<svg a=\"1\">\n</svg>".into(), "A & <B>"),
            "<svg a=\"1\">\n<title>A &amp; &lt;B&gt;</title>\n</svg>"
        );
    }

    #[test]
    fn rejects_path_like_names() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["", "../x", "a/b", ".hidden"] {
            let err = write_chart_files(dir.path(), bad, &example()).unwrap_err();
            assert!(
                matches!(err, ChartError::InvalidInput { .. }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn failed_render_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut chart = example();
        chart.series[0].points[0].share = Some(f64::INFINITY);
        assert!(write_chart_files(dir.path(), "bad", &chart).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn unwritable_folder_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not_a_dir");
        std::fs::write(&file, "x").unwrap();
        let err = write_chart_files(&file, "c", &example()).unwrap_err();
        assert!(matches!(err, ChartError::Io { .. }), "{err}");
        assert!(err.to_string().contains("not_a_dir"));
    }
}
