//! What can go wrong when computing outcomes, split by who must act.
//!
//! Bad options (an unknown `--by` column, a disclosure threshold below 5) are usage errors
//! the caller fixes on the command line (CLI exit 2); a dataset without a single exit is a
//! data problem (exit 1). Each message says what to change.

use thiserror::Error;

/// Errors of [`super::compute`], [`super::partial`] and `quantities::sroi_quantities`.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OutcomeError {
    /// A `--by` column that outcomes cannot break down by.
    #[error("--by {column}: not a column outcomes can be broken down by; use one of {}", allowed.join(", "))]
    UnknownColumn {
        /// The column asked for.
        column: String,
        /// The columns that are allowed.
        allowed: Vec<&'static str>,
    },
    /// `min_cell` below the floor of docs/method.md section 6.
    #[error("--min-cell {value}: disclosure control never publishes cells of fewer than 5 families; use 5 or more (default 10)")]
    MinCellTooLow {
        /// The value given.
        value: u32,
    },
    /// Any other option out of range.
    #[error("{name} = {value}: {expected}")]
    InvalidOption {
        /// The option.
        name: &'static str,
        /// The value given, as text.
        value: String,
        /// What is allowed.
        expected: &'static str,
    },
    /// No family has an episode with an exit date, so there is nothing to follow up.
    #[error("no family has an episode with an exit_date (episodes table): outcomes are measured from exit, so at least one exit is needed")]
    NoCohort,
    /// Two partial states computed with different options cannot be merged.
    #[error("cannot merge outcome partial states computed with different options ({what} differs); compute every partition with the same options")]
    IncompatiblePartials {
        /// Which setting differs.
        what: &'static str,
    },
    /// The model asks for a propensity adjustment that cannot be made.
    #[error("[study.adjustment] method = \"{method}\" cannot be applied: {why}; fix this, or set method = \"none\" to compare the arms as they are")]
    Adjustment {
        /// The method asked for.
        method: &'static str,
        /// Why not (the propensity model's error).
        why: String,
    },
}

impl OutcomeError {
    /// True when the caller's options are at fault (CLI exit code 2) rather than the data.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            OutcomeError::UnknownColumn { .. }
                | OutcomeError::MinCellTooLow { .. }
                | OutcomeError::InvalidOption { .. }
                | OutcomeError::IncompatiblePartials { .. }
        )
    }
}
