//! The analysis settings the stages share, with their one set of defaults.
//!
//! `min_cell`, the seed, the bootstrap replicates, the doing-well thresholds and the
//! horizon are read by the outcome, cost, SROI and report stages and set by the command
//! line and the model file. Each used to carry its own copy of the defaults, and the
//! copies drifted apart (a seed of 0 in the library, 1 everywhere else). Here they are
//! defined once ([`Settings::default`]) and resolved once, in the pipeline, as uv
//! resolves its settings: a value given on the command line wins over the model file's
//! `[study]`, which wins over the default ([`Overrides::over`]). The resolved value is
//! passed down; no stage falls back on a default of its own.
//!
//! [`OutcomeSettings`] is the checked form the outcome computation trusts, and what
//! `manifest.json` and a partial state record.

use serde::{Deserialize, Serialize};

/// No published figure may rest on fewer families than this, whatever the settings say
/// (docs/method.md section 6).
pub const MIN_CELL_FLOOR: u32 = 5;

/// The settings of an analysis, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Smallest group published (docs/method.md section 6).
    pub min_cell: u32,
    /// Seed of the bootstrap and the Monte Carlo draws.
    pub seed: u64,
    /// Family-level bootstrap replicates (income interval, SROI data quantities).
    pub bootstrap_reps: usize,
    /// Joint Monte Carlo draws of the SROI model.
    pub draws: usize,
    /// Score (1-4) from which a domain counts as doing well.
    pub well_threshold: u8,
    /// Domains a family must do well in, of those assessed at a sitting, to do well
    /// overall.
    pub overall_min_domains: usize,
    /// Horizon H of the avoided placements, in years after exit.
    pub horizon_years: u32,
}

impl Default for Settings {
    /// The method's defaults (docs/method.md): `min_cell` 10, seed 1, 2,000 bootstrap
    /// replicates, 10,000 draws, doing well at a score of 3 in 6 domains, a horizon of 5
    /// years.
    fn default() -> Self {
        Settings {
            min_cell: 10,
            seed: 1,
            bootstrap_reps: 2000,
            draws: 10_000,
            well_threshold: 3,
            overall_min_domains: 6,
            horizon_years: 5,
        }
    }
}

/// The settings one layer gives (the command line's flags); `None` where it is silent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub min_cell: Option<u32>,
    pub seed: Option<u64>,
    pub bootstrap_reps: Option<usize>,
    pub well_threshold: Option<u8>,
    pub overall_min_domains: Option<usize>,
}

impl Overrides {
    /// `base` (the model file's settings, or the defaults) with every value this layer
    /// gives put in its place.
    pub fn over(&self, base: &Settings) -> Settings {
        Settings {
            min_cell: self.min_cell.unwrap_or(base.min_cell),
            seed: self.seed.unwrap_or(base.seed),
            bootstrap_reps: self.bootstrap_reps.unwrap_or(base.bootstrap_reps),
            draws: base.draws,
            well_threshold: self.well_threshold.unwrap_or(base.well_threshold),
            overall_min_domains: self.overall_min_domains.unwrap_or(base.overall_min_domains),
            horizon_years: base.horizon_years,
        }
    }

    /// Whether this layer gives any value.
    pub fn is_empty(&self) -> bool {
        *self == Overrides::default()
    }
}

/// Checked outcome settings: what the outcome computation uses, and what a stored
/// partial state and `manifest.json` record (so that only states computed alike are
/// merged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeSettings {
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
    fn a_flag_wins_over_the_file_which_wins_over_the_default() {
        let file = Settings {
            min_cell: 20,
            seed: 7,
            ..Settings::default()
        };
        let flags = Overrides {
            seed: Some(9),
            ..Overrides::default()
        };
        let s = flags.over(&file);
        assert_eq!((s.min_cell, s.seed, s.bootstrap_reps), (20, 9, 2000));
        assert_eq!(
            Overrides::default().over(&Settings::default()),
            Settings::default()
        );
        assert!(Overrides::default().is_empty() && !flags.is_empty());
    }
}
