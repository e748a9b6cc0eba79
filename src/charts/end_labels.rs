//! End labels: the last value of each line written just right of where the line ends,
//! in the line's colour, moved apart when two lines end close together.
//!
//! Readers look for "where did it end up" at the right of a line chart; writing the value
//! there saves a trip to the axis. Lines of different arms often end within a few pixels
//! of each other, so labels are placed top to bottom in the order of their values and each
//! is pushed down just far enough to clear the one above: they never overlap and never
//! swap order, so the upper label always belongs to the higher line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::Plot;
use super::frame::{anchored, size, Scale};
use super::ChartError;

/// Least distance between the centres of two end labels (design px).
const GAP: f64 = 30.0;

/// The value written at the end of one line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EndLabel {
    /// Where the line ends, in data coordinates.
    pub at: (f64, f64),
    /// The line's colour.
    pub colour: RGBColor,
    /// What to write.
    pub text: String,
}

/// Positions (pixel rows, in top-to-bottom order) moved down just enough that each is
/// at least `gap` below the one before it; a position is never moved up.
pub(crate) fn nudge_apart(positions: &[i32], gap: i32) -> Vec<i32> {
    let mut placed: Vec<i32> = Vec::with_capacity(positions.len());
    for &y in positions {
        let y = match placed.last() {
            Some(&prev) => y.max(prev + gap),
            None => y,
        };
        placed.push(y);
    }
    placed
}

/// Writes `labels` onto `root`, each `dx` design px right of its line's end, vertically
/// centred there and nudged apart (highest value on top).
///
/// # Errors
/// [`ChartError::Drawing`] when the backend fails.
pub(crate) fn draw_end_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Plot<'_, DB>,
    mut labels: Vec<EndLabel>,
    dx: f64,
    s: Scale,
) -> Result<(), ChartError> {
    labels.sort_by(|a, b| b.at.1.total_cmp(&a.at.1));
    let ends: Vec<(i32, i32)> = labels.iter().map(|l| chart.backend_coord(&l.at)).collect();
    let rows: Vec<i32> = ends.iter().map(|&(_, y)| y).collect();
    let rows = nudge_apart(&rows, s.ipx(GAP));
    for ((label, (px, _)), py) in labels.into_iter().zip(ends).zip(rows) {
        root.draw(&Text::new(
            label.text,
            (px + s.ipx(dx), py),
            anchored(s.bold(size::VALUE, label.colour), HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette::{BLUE, VERMILLION};
    use crate::charts::test_support::{text_attr, texts};

    #[test]
    fn nudged_labels_never_overlap_and_keep_their_order() {
        let cases: [&[i32]; 5] = [
            &[],
            &[100],
            &[100, 105, 106, 300],
            &[50, 50, 50, 50],
            &[10, 200, 201, 230, 231, 500],
        ];
        for positions in cases {
            let placed = nudge_apart(positions, 30);
            assert_eq!(placed.len(), positions.len());
            for (p, q) in placed.iter().zip(positions.iter()) {
                assert!(p >= q, "moved up: {positions:?} -> {placed:?}");
            }
            for w in placed.windows(2) {
                assert!(w[1] - w[0] >= 30, "overlap: {positions:?} -> {placed:?}");
            }
        }
        // Far-apart labels stay where they are; close ones move just enough.
        assert_eq!(nudge_apart(&[100, 200], 30), vec![100, 200]);
        assert_eq!(nudge_apart(&[100, 105, 106], 30), vec![100, 130, 160]);
    }

    #[test]
    fn labels_of_lines_ending_together_are_drawn_apart_in_value_order() {
        crate::charts::font::ensure_fonts().unwrap();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (1600, 1000)).into_drawing_area();
            let s = Scale::of(&root);
            let chart = ChartBuilder::on(&root)
                .build_cartesian_2d(0f64..10f64, 0f64..100f64)
                .unwrap();
            let label = |y: f64, colour, text: &str| EndLabel {
                at: (9.0, y),
                colour,
                text: text.into(),
            };
            let labels = vec![label(50.0, VERMILLION, "lower"), label(50.5, BLUE, "upper")];
            draw_end_labels(&root, &chart, labels, 12.0, s).unwrap();
            root.present().unwrap();
        }
        assert_eq!(texts(&svg), vec!["upper", "lower"]);
        let (upper, lower) = (text_attr(&svg, "upper", "y"), text_attr(&svg, "lower", "y"));
        assert!(lower - upper >= 30, "{upper} {lower}");
    }
}
