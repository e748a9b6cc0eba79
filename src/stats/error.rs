//! The one error type of the statistical kernels.
//!
//! Every variant says what was wrong with the input and, where it helps, what to do about
//! it, so that the outcomes and SROI stages can pass the message on to a person unchanged.

use thiserror::Error;

/// What can go wrong in a statistical kernel.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StatsError {
    /// A tuning parameter (z value, confidence level, probability, tolerance) is out of range.
    #[error("parameter `{name}` is {value}, but it must be {expected}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },

    /// One element of an input slice is not allowed (NaN, infinite, negative weight).
    #[error("{what}[{index}] is {value}, but it must be {expected}; remove or fix that value")]
    InvalidValue {
        /// Which input (e.g. `weights`, `values`, `x`).
        what: &'static str,
        /// Position of the offending element (row for a matrix).
        index: usize,
        /// The offending value.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },

    /// A count of successes is larger than the number of trials.
    #[error("{successes} successes out of {n} trials: successes must be between 0 and n")]
    CountExceedsTotal {
        /// Successes given.
        successes: f64,
        /// Trials given.
        n: f64,
    },

    /// An estimator was given no data at all.
    #[error("{what} is empty: at least one value is needed")]
    Empty {
        /// Which input.
        what: &'static str,
    },

    /// Two inputs that must have the same length do not.
    #[error("{what} has {found} elements but {expected} were expected")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Length required (e.g. the number of rows of the design matrix).
        expected: usize,
        /// Length found.
        found: usize,
    },

    /// Logistic regression: one outcome class is too rare for a stable fit.
    #[error(
        "only {count} observations (by weight) have outcome {class}, fewer than the minimum of \
         {minimum}; the model cannot be fitted reliably, report unweighted figures instead"
    )]
    TooFewInClass {
        /// The rare class (`true` = outcome 1).
        class: bool,
        /// Weighted count of that class.
        count: f64,
        /// The configured minimum.
        minimum: f64,
    },

    /// Logistic regression: the covariates separate the outcome (perfectly or
    /// quasi-completely), so the maximum-likelihood estimate does not exist.
    #[error(
        "the covariates separate the outcome: {extreme} observations have fitted probability \
         numerically 0 or 1 after {iterations} iterations; drop or merge the covariate \
         categories that contain only one outcome"
    )]
    Separation {
        /// Number of observations with fitted probability within the tolerance of 0 or 1.
        extreme: usize,
        /// Iterations run before giving up.
        iterations: usize,
    },

    /// A matrix that must be positive definite is (numerically) singular, which for a design
    /// matrix means the column is a linear combination of earlier columns.
    #[error(
        "column {column} is (numerically) a linear combination of the earlier columns, so the \
         matrix is singular; drop that column or a redundant category dummy"
    )]
    Singular {
        /// Zero-based column at which the factorisation broke down.
        column: usize,
    },

    /// Log-rank test: fewer than two groups were ever at risk at an event time, so there is
    /// nothing to compare.
    #[error(
        "the log-rank test needs at least two groups at risk at some event time, but only \
         {informative} of {groups} groups are"
    )]
    LogRankUndefined {
        /// Groups with a positive expected number of events.
        informative: usize,
        /// Groups given.
        groups: usize,
    },

    /// Log-rank test: the variance matrix of the observed-minus-expected events is singular,
    /// e.g. because at every event time everyone at risk had the event.
    #[error(
        "the log-rank variance matrix is singular (no variation in who had the event at the \
         event times), so the groups cannot be compared"
    )]
    LogRankDegenerate,
}
