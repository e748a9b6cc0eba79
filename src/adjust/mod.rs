//! Propensity adjustment of a non-randomised comparison arm (docs/method.md section 4.5).
//!
//! Almost no family-strengthening evaluation has a randomised comparison arm: comparison
//! families are a waiting list, a neighbouring district or eligible families who declined,
//! and they differ from the programme's families in risk, needs and income. This module
//! holds what the adjustment needs beyond the outcome and quantity passes that use it:
//! the covariates as numbers ([`design`]), the propensity model and its weights
//! ([`propensity`]), covariate balance and overlap ([`balance`]), and the sensitivity of a
//! conclusion to a confounder that was not measured ([`sensitivity`]). The adjusted
//! estimates themselves are computed in `crate::quantities`, from the same per-family
//! units and bootstrap replicates as the unadjusted ones, so both are reported side by
//! side.

pub mod balance;
pub mod design;
pub mod propensity;
pub mod sensitivity;

mod error;

pub use error::AdjustError;
