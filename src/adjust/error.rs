//! What can stop the propensity adjustment.

use thiserror::Error;

/// Why the comparison arm could not be adjusted; the unadjusted estimates stand, and the
/// message says what to change.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AdjustError {
    /// The model names a covariate the dataset does not have.
    #[error("study.adjustment.covariates names {name:?}, which is neither a built-in intake covariate nor a column of families; available: {}", available.join(", "))]
    UnknownCovariate {
        name: String,
        available: Vec<String>,
    },
    /// A covariate the model names cannot be adjusted for.
    #[error("covariate {name} cannot be adjusted for: {why}; leave it out of study.adjustment.covariates")]
    ConstantCovariate { name: String, why: String },
    /// Every covariate was left out.
    #[error("no covariate is left to adjust for ({})", if dropped.is_empty() { "none named".to_string() } else { dropped.join("; ") })]
    NoCovariates { dropped: Vec<String> },
    /// The propensity model could not be fitted.
    #[error("{0}")]
    Propensity(String),
    /// Adjustment needs both arms.
    #[error("there is no comparison arm to adjust")]
    NoComparison,
}
