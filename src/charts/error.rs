//! The one error type of the chart layer.
//!
//! Drawing errors from plotters are generic over the backend's own error type; they are
//! turned into text here so that callers see a single, backend-independent
//! [`ChartError`] whether they rendered SVG into memory or PNG to a file.

use std::path::PathBuf;

use plotters::drawing::DrawingAreaErrorKind;
use thiserror::Error;

/// Everything that can go wrong while drawing or writing a chart.
#[derive(Debug, Error)]
pub enum ChartError {
    /// The embedded DejaVu font could not be parsed or registered with plotters.
    #[error("could not load the embedded font {font}: the font file in src/charts/fonts is damaged; reinstall kinsight")]
    Font {
        /// File name of the embedded font.
        font: &'static str,
    },
    /// A value in the chart's input is not a finite number (NaN or infinite).
    #[error("{chart} chart: {field} is {value}, expected a finite number; mark the cell as suppressed or leave it empty instead")]
    InvalidValue {
        /// Which chart was being drawn.
        chart: &'static str,
        /// Which field of the input (with series/point) holds the value.
        field: String,
        /// The offending value.
        value: f64,
    },
    /// The chart's input is inconsistent (e.g. a lower bound above the upper bound).
    #[error("{chart} chart: {problem}")]
    InvalidInput {
        /// Which chart was being drawn.
        chart: &'static str,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// The drawing backend failed (SVG or bitmap).
    #[error("could not draw the chart: {message}")]
    Drawing {
        /// The backend's own description of the failure.
        message: String,
    },
    /// Writing, renaming or creating a chart file failed.
    #[error("could not write chart file {path}: {source}")]
    Io {
        /// The file or directory that could not be written.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(err: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Drawing {
            message: err.to_string(),
        }
    }
}

/// Checks that `value` is finite, naming the chart and field when it is not.
pub(crate) fn finite(
    chart: &'static str,
    field: impl FnOnce() -> String,
    value: f64,
) -> Result<f64, ChartError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ChartError::InvalidValue {
            chart,
            field: field(),
            value,
        })
    }
}

/// Checks that `value` is finite and a fraction from 0 to 1 (give or take 1e-9 of
/// rounding); otherwise names the field and ends the message with `rule` ("shares must be
/// fractions between 0 and 1").
pub(crate) fn fraction(
    chart: &'static str,
    field: impl Fn() -> String,
    value: f64,
    rule: &str,
) -> Result<f64, ChartError> {
    let v = finite(chart, &field, value)?;
    if (-1e-9..=1.0 + 1e-9).contains(&v) {
        Ok(v)
    } else {
        Err(ChartError::InvalidInput {
            chart,
            problem: format!("{} is {v}; {rule}", field()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_passes_numbers_and_names_bad_ones() {
        assert_eq!(finite("tornado", || "x".into(), 2.5).ok(), Some(2.5));
        let err = finite("tornado", || "bars[3].ratio_low".into(), f64::NAN).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("tornado chart"), "{text}");
        assert!(text.contains("bars[3].ratio_low is NaN"), "{text}");
    }

    #[test]
    fn fraction_allows_rounding_and_names_the_rule() {
        assert_eq!(
            fraction("c", || "p".into(), 1.0 + 1e-10, "r").ok(),
            Some(1.0 + 1e-10)
        );
        assert_eq!(fraction("c", || "p".into(), 0.0, "r").ok(), Some(0.0));
        let err = fraction(
            "survival",
            || "arms[0].steps[1].low".into(),
            97.0,
            "give a fraction",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "survival chart: arms[0].steps[1].low is 97; give a fraction"
        );
        assert!(matches!(
            fraction("c", || "p".into(), f64::NAN, "r"),
            Err(ChartError::InvalidValue { .. })
        ));
    }
}
