//! The embedded typeface (DejaVu Sans, regular and bold) and its one-time registration.
//!
//! Charts must look the same on every machine and never depend on fonts installed on
//! the host (plotters' `ttf` feature would need fontconfig), so the font files are
//! compiled into the binary and handed to plotters' `ab_glyph` rasteriser once per
//! process. Licence: `src/charts/fonts/LICENSE` (Bitstream Vera / DejaVu, permissive).

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use super::ChartError;

/// Family name the font is registered under; SVG output names it too, so browsers
/// fall back to their own sans-serif face.
pub const FAMILY: &str = "sans-serif";

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

static REGISTERED: OnceLock<Result<(), &'static str>> = OnceLock::new();

/// Registers the embedded fonts with plotters, once per process; later calls are free.
///
/// # Errors
/// [`ChartError::Font`] when an embedded font file cannot be parsed.
pub fn ensure_fonts() -> Result<(), ChartError> {
    let outcome = REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, REGULAR).map_err(|_| "DejaVuSans.ttf")?;
        register_font(FAMILY, FontStyle::Bold, BOLD).map_err(|_| "DejaVuSans-Bold.ttf")?;
        Ok(())
    });
    outcome.map_err(|font| ChartError::Font { font })
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::{FontDesc, FontFamily};

    #[test]
    fn registered_font_measures_text() {
        ensure_fonts().unwrap();
        ensure_fonts().unwrap();
        let font = FontDesc::new(FontFamily::Name(FAMILY), 40.0, FontStyle::Normal);
        let (w, h) = font.box_size("Years since exit").unwrap();
        // 16 glyphs of DejaVu Sans at 40 px average ~0.55 em: 250..450 px wide.
        assert!(w > 250 && w < 450, "width {w}");
        assert!(h > 20 && h < 50, "height {h}");
        let bold = FontDesc::new(FontFamily::Name(FAMILY), 40.0, FontStyle::Bold);
        assert!(
            bold.box_size("Years since exit").unwrap().0 > w,
            "bold is wider"
        );
    }

    #[test]
    fn bitmap_text_is_rasterised_with_the_embedded_font() {
        use plotters::prelude::*;
        ensure_fonts().unwrap();
        let (w, h) = (400u32, 80u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            root.fill(&WHITE).unwrap();
            let style = (FAMILY, 40.0).into_font().color(&BLACK);
            root.draw(&Text::new("Kinsight 97 %", (10, 20), style))
                .unwrap();
            root.present().unwrap();
        }
        let dark = buf.chunks_exact(3).filter(|p| p[0] < 128).count();
        // Glyph coverage of 13 characters at 40 px: a few thousand dark pixels.
        assert!(dark > 800 && dark < 8000, "{dark} dark pixels");
    }
}
