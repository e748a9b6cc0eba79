//! Settings of the outcome analysis: a builder for callers, checked once into
//! [`Settings`] that the computation trusts.

use super::error::OutcomeError;

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
    fn default() -> Self {
        Self {
            by: Vec::new(),
            min_cell: 10,
            bootstrap_reps: 2000,
            seed: 0,
            well_threshold: 3,
            overall_min_domains: 6,
        }
    }
}

impl OutcomeOptions {
    /// Defaults of method.md: no breakdown, `min_cell` 10, 2000 bootstrap replicates,
    /// seed 0, a domain is doing well at score 3, overall needs 6 domains.
    pub fn new() -> Self {
        Self::default()
    }

    /// Break every table down by these columns, each separately (not crossed): one set of
    /// `COL=value` groups per column besides `all`. Allowed: [`BY_COLUMNS`].
    pub fn with_by(mut self, by: Vec<String>) -> Self {
        self.by = by;
        self
    }

    /// Disclosure threshold (method.md section 6); below 5 is an error.
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
    pub fn check(&self) -> Result<Settings, OutcomeError> {
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
        if self.min_cell < 5 {
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
        Ok(Settings {
            by,
            min_cell: u64::from(self.min_cell),
            bootstrap_reps: self.bootstrap_reps,
            seed: self.seed,
            well_threshold: self.well_threshold,
            overall_min_domains: self.overall_min_domains,
        })
    }
}

/// Checked options: what the computation uses (and what a stored partial state records,
/// so that only states computed alike are merged).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// Breakdown columns, deduplicated, in the order given.
    pub by: Vec<String>,
    pub min_cell: u64,
    pub bootstrap_reps: usize,
    pub seed: u64,
    pub well_threshold: u8,
    pub overall_min_domains: usize,
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
