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
#[derive(Debug, Clone, PartialEq)]
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
    /// Propensity adjustment of the comparison arm (docs/method.md section 4.5).
    pub adjustment: Adjustment,
}

/// Which estimates feed the SROI model's comparison-arm quantities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustMethod {
    /// No propensity model at all: neither adjusted estimates nor diagnostics (a
    /// randomised comparison, and the fastest run).
    Off,
    /// The arms compared as they are in the SROI (exchangeable arms: a randomised
    /// comparison), with the adjusted estimates reported beside.
    None,
    /// ATT-weighted comparison arm (inverse probability weighting).
    Ipw,
    /// As `ipw`, with the doubly robust difference in differences for the income effect.
    Dr,
}

impl AdjustMethod {
    /// The name used in the model file and the outputs.
    pub fn name(self) -> &'static str {
        match self {
            AdjustMethod::Off => "off",
            AdjustMethod::None => "none",
            AdjustMethod::Ipw => "ipw",
            AdjustMethod::Dr => "dr",
        }
    }
}

/// The weights that make the comparison arm stand for the programme's families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// Average effect on the treated: comparison families weighted by `p / (1 - p)`.
    Att,
    /// Overlap weights (Li, Morgan & Zaslavsky 2018): programme families `1 - p`,
    /// comparison families `p`; the estimand is the effect in the overlap population.
    Overlap,
}

impl Weighting {
    /// The name used in the model file and the outputs.
    pub fn name(self) -> &'static str {
        match self {
            Weighting::Att => "att",
            Weighting::Overlap => "overlap",
        }
    }
}

/// `[study.adjustment]`: how the comparison arm is adjusted for baseline differences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    pub method: AdjustMethod,
    /// Covariates of the propensity model; `None` for the default intake covariates
    /// ([`DEFAULT_COVARIATES`]).
    pub covariates: Option<Vec<String>>,
    pub weights: Weighting,
    /// Families with a propensity outside `[lo, hi]` are left out (changes the estimand).
    pub trim: Option<(f64, f64)>,
}

/// The intake covariates kinsight knows, adjusted for unless the model names others.
/// `intake_score` is the mean intake assessment score, `intake_income` the annual real
/// income at intake.
pub const DEFAULT_COVARIATES: &[&str] = &[
    "country",
    "risk_level",
    "household_type",
    "minority",
    "disability",
    "children_count",
    "intake_score",
    "intake_income",
];

impl Default for Adjustment {
    /// No adjustment of the SROI's quantities (the adjusted estimates are still reported
    /// beside the unadjusted ones), default covariates, ATT weights, no trimming.
    fn default() -> Self {
        Adjustment {
            method: AdjustMethod::None,
            covariates: None,
            weights: Weighting::Att,
            trim: None,
        }
    }
}

impl Adjustment {
    /// The covariates adjusted for, and whether they are the defaults.
    pub fn covariate_names(&self) -> (Vec<String>, bool) {
        match &self.covariates {
            Some(c) => (c.clone(), false),
            None => (
                DEFAULT_COVARIATES.iter().map(|s| s.to_string()).collect(),
                true,
            ),
        }
    }
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
            adjustment: Adjustment::default(),
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
            adjustment: base.adjustment.clone(),
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
