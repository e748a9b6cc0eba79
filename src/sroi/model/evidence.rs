//! How a parameter's value is known: the evidence grade every figure of a model carries.
//!
//! The grade travels with the number into the report and the workbook, so a reader sees
//! which figures rest on the dataset, a cited study, a panel or an assumption
//! (docs/method.md section 5).

use serde::Deserialize;

/// How a parameter's value is known (docs/method.md section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Measured in this dataset.
    Data,
    /// Taken from a cited study.
    Published,
    /// Expert judgement.
    Expert,
    /// Assumed without evidence.
    Assumed,
}

impl Evidence {
    /// Allowed spellings in a model file.
    pub const NAMES: [&'static str; 4] = ["data", "published", "expert", "assumed"];

    pub(super) fn parse(s: &str) -> Option<Evidence> {
        match s {
            "data" => Some(Evidence::Data),
            "published" => Some(Evidence::Published),
            "expert" => Some(Evidence::Expert),
            "assumed" => Some(Evidence::Assumed),
            _ => None,
        }
    }

    /// The model-file spelling.
    pub fn as_str(&self) -> &'static str {
        Evidence::NAMES[*self as usize]
    }
}
