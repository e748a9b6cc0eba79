//! Helpers the chart tests share: counting SVG elements by colour, checking that a
//! rendered bitmap has real content, and writing previews for people to look at.

use plotters::style::RGBColor;

use super::render::{render_rgb, render_svg, Chart};

/// `#RRGGBB` as plotters writes it into SVG.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Number of `<tag ...>` elements whose attribute `attr` is `value` (e.g. polylines with
/// `stroke="#0072B2"`).
pub fn count_tag_attr(svg: &str, tag: &str, attr: &str, value: &str) -> usize {
    let needle = format!("{attr}=\"{value}\"");
    svg.split('<')
        .filter(|el| {
            el.starts_with(&format!("{tag} "))
                && el
                    .split('>')
                    .next()
                    .is_some_and(|head| head.contains(&needle))
        })
        .count()
}

/// All `<text>` contents of an SVG (unescaped for the common entities).
pub fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|chunk| {
            let body = chunk.split_once('>')?.1;
            let text = body.split("</text>").next()?;
            Some(
                text.trim()
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'"),
            )
        })
        .collect()
}

/// True when some `<text>` element contains `needle`, or the texts joined with spaces
/// do (so a sentence wrapped over several lines is still found).
pub fn has_text(svg: &str, needle: &str) -> bool {
    let all = texts(svg);
    all.iter().any(|t| t.contains(needle)) || all.join(" ").contains(needle)
}

/// The whole-pixel attribute `attr` (`"x"`, `"y"`) of the `<text>` element whose content
/// is exactly `content`.
pub fn text_attr(svg: &str, content: &str, attr: &str) -> i32 {
    let idx = svg
        .find(&format!(">\n{content}\n<"))
        .unwrap_or_else(|| panic!("no text {content:?}"));
    let tag = &svg[svg[..idx].rfind("<text").expect("a <text> element")..idx];
    tag.split(&format!(" {attr}=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no whole-number {attr} on text {content:?}"))
}

/// Renders the chart every way and checks the basics every chart must meet: the SVG has
/// the page size; the PNG file is at least 1600 px wide; the bitmap has > 1 % non-white
/// pixels and more than 3 distinct colours. Returns the SVG for chart-specific checks.
pub fn render_and_check<C: Chart>(chart: &C) -> String {
    let svg = render_svg(chart).expect("svg renders");
    let (w, h) = chart.size();
    assert!(
        svg.contains(&format!("width=\"{w}\"")) && svg.contains(&format!("height=\"{h}\"")),
        "svg size"
    );
    let img = render_rgb(chart).expect("bitmap renders");
    assert!(img.width >= 1600, "png width {}", img.width);
    assert_eq!(img.pixels.len(), (img.width * img.height * 3) as usize);
    let mut non_white = 0usize;
    let mut colours = std::collections::HashSet::new();
    for px in img.pixels.chunks_exact(3) {
        if px != [255, 255, 255] {
            non_white += 1;
        }
        if colours.len() < 64 {
            colours.insert((px[0], px[1], px[2]));
        }
    }
    // The PNG file itself: written to a temporary folder, width and height read back from
    // its IHDR chunk (PNG spec 11.2.2: bytes 16..24, big-endian).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chart.png");
    super::render::render_png(chart, &path).expect("png written");
    let bytes = std::fs::read(&path).expect("png read");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    assert_eq!((be(&bytes[16..20]), be(&bytes[20..24])), (w, h), "png size");
    assert!(w >= 1600, "png width {w}");
    let share = non_white as f64 / f64::from(img.width * img.height);
    assert!(share > 0.01, "only {:.3} % of pixels drawn", share * 100.0);
    assert!(colours.len() > 3, "only {} colours", colours.len());
    svg
}

/// Number of bitmap pixels of exactly colour `c` when `chart` is rendered.
pub fn pixels_of<C: Chart>(chart: &C, c: RGBColor) -> usize {
    let img = render_rgb(chart).expect("bitmap renders");
    img.pixels
        .chunks_exact(3)
        .filter(|px| px == &[c.0, c.1, c.2])
        .count()
}

/// Writes `<name>.png` and `<name>.svg` into `$KINSIGHT_CHART_PREVIEW` when that variable
/// is set (for looking at the charts by eye); does nothing otherwise.
pub fn preview<C: Chart>(name: &str, chart: &C) {
    if let Some(dir) = std::env::var_os("KINSIGHT_CHART_PREVIEW") {
        super::render::write_chart_files(std::path::Path::new(&dir), name, chart)
            .expect("preview written");
    }
}
