//! Options of the outcome analysis: a builder for callers, checked once into
//! [`OutcomeSettings`] that the computation trusts. Defaults come from
//! [`crate::settings::Settings`], the one place they are defined.

use super::error::OutcomeError;
use crate::settings::OutcomeSettings;

/// Columns of `families` and of the index episode that outcomes can be broken down by.
pub const BY_COLUMNS: &[&str] = &[
    "country",
    "programme_id",
    "arm",
    "household_type",
    "risk_level",
    "referral_source",
    "minority",
    "disability",
    "service_model",
    "prevention_level",
    "exit_reason",
];

/// Options of [`super::compute`]; build with [`OutcomeOptions::new`] and the `with_*`
/// methods. Checked when used.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeOptions {
    by: Vec<String>,
    min_cell: u32,
    bootstrap_reps: usize,
    seed: u64,
    well_threshold: u8,
    overall_min_domains: usize,
}

impl Default for OutcomeOptions {
    /// The shared defaults of [`crate::settings::Settings`], with no breakdown.
    fn default() -> Self {
        Self::from_settings(&crate::settings::Settings::default())
    }
}

impl OutcomeOptions {
    /// The shared defaults ([`crate::settings::Settings::default`]), no breakdown.
    pub fn new() -> Self {
        Self::default()
    }

    /// The outcome options of resolved settings, with no breakdown.
    pub fn from_settings(s: &crate::settings::Settings) -> Self {
        Self {
            by: Vec::new(),
            min_cell: s.min_cell,
            bootstrap_reps: s.bootstrap_reps,
            seed: s.seed,
            well_threshold: s.well_threshold,
            overall_min_domains: s.overall_min_domains,
        }
    }

    /// Break every table down by these columns, each separately (not crossed): one set of
    /// `COL=value` groups per column besides `all`. Allowed: [`BY_COLUMNS`].
    pub fn with_by(mut self, by: Vec<String>) -> Self {
        self.by = by;
        self
    }

    /// Disclosure threshold (docs/method.md section 6); below 5 is an error.
    pub fn with_min_cell(mut self, min_cell: u32) -> Self {
        self.min_cell = min_cell;
        self
    }

    /// Family-level bootstrap replicates for income intervals and SROI quantities.
    pub fn with_bootstrap_reps(mut self, reps: usize) -> Self {
        self.bootstrap_reps = reps;
        self
    }

    /// Seed of the bootstrap.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Score from which a domain counts as doing well (1..=4, default 3).
    pub fn with_well_threshold(mut self, threshold: u8) -> Self {
        self.well_threshold = threshold;
        self
    }

    /// Domains a family must do well in (and have assessed) to do well overall (default 6).
    pub fn with_overall_min_domains(mut self, n: usize) -> Self {
        self.overall_min_domains = n;
        self
    }

    /// Check every option once.
    ///
    /// # Errors
    /// [`OutcomeError::UnknownColumn`], [`OutcomeError::MinCellTooLow`] or
    /// [`OutcomeError::InvalidOption`] naming the option and its allowed range.
    pub fn check(&self) -> Result<OutcomeSettings, OutcomeError> {
        let mut by: Vec<String> = Vec::new();
        for c in &self.by {
            let c = c.trim();
            if !BY_COLUMNS.contains(&c) {
                return Err(OutcomeError::UnknownColumn {
                    column: c.to_string(),
                    allowed: BY_COLUMNS.to_vec(),
                });
            }
            if !by.iter().any(|b| b == c) {
                by.push(c.to_string());
            }
        }
        if self.min_cell < crate::settings::MIN_CELL_FLOOR {
            return Err(OutcomeError::MinCellTooLow {
                value: self.min_cell,
            });
        }
        if self.bootstrap_reps < 2 {
            return Err(OutcomeError::InvalidOption {
                name: "bootstrap_reps",
                value: self.bootstrap_reps.to_string(),
                expected: "at least 2 replicates (default 2000) for a percentile interval",
            });
        }
        if !(1..=4).contains(&self.well_threshold) {
            return Err(OutcomeError::InvalidOption {
                name: "well_threshold",
                value: self.well_threshold.to_string(),
                expected: "a score between 1 and 4 (default 3)",
            });
        }
        if self.overall_min_domains == 0 {
            return Err(OutcomeError::InvalidOption {
                name: "overall_min_domains",
                value: "0".into(),
                expected: "at least 1 domain (default 6)",
            });
        }
        Ok(OutcomeSettings {
            by,
            min_cell: u64::from(self.min_cell),
            bootstrap_reps: self.bootstrap_reps,
            seed: self.seed,
            well_threshold: self.well_threshold,
            overall_min_domains: self.overall_min_domains,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bad_values() {
        let s = OutcomeOptions::new().check().unwrap();
        assert_eq!(
            (s.min_cell, s.bootstrap_reps, s.well_threshold),
            (10, 2000, 3)
        );
        assert_eq!(s.overall_min_domains, 6);
        let e = OutcomeOptions::new()
            .with_by(vec!["county".into()])
            .check()
            .unwrap_err();
        assert!(e.is_usage());
        assert!(e.to_string().contains("--by county") && e.to_string().contains("country"));
        let e = OutcomeOptions::new().with_min_cell(4).check().unwrap_err();
        assert_eq!(e, OutcomeError::MinCellTooLow { value: 4 });
        assert!(OutcomeOptions::new()
            .with_well_threshold(5)
            .check()
            .is_err());
        assert!(OutcomeOptions::new()
            .with_bootstrap_reps(1)
            .check()
            .is_err());
        assert!(!OutcomeError::NoCohort.is_usage());
        let s = OutcomeOptions::new()
            .with_by(vec!["arm".into(), " country".into(), "arm".into()])
            .check()
            .unwrap();
        assert_eq!(s.by, vec!["arm".to_string(), "country".to_string()]);
    }
}
