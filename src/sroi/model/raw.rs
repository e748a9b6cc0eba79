//! The model file as serde reads it: known keys and types, nothing checked yet.
//!
//! `deny_unknown_fields` makes a misspelt key a syntax error naming the key, so a typo
//! never silently falls back to a default. Parameters stay [`toml::Value`]s because a
//! parameter may be a number or a table of several shapes (see [`super::parameter`]),
//! which is checked with key paths rather than by serde.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[study]` as written: every setting optional, defaults applied when checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStudy {
    pub discount_rate: Option<f64>,
    pub discount_schedule: Option<String>,
    pub discount_year1: Option<bool>,
    pub discount_inputs: Option<bool>,
    pub horizon_years: Option<i64>,
    pub seed: Option<i64>,
    pub draws: Option<i64>,
    pub bootstrap_reps: Option<i64>,
    pub min_cell: Option<i64>,
    pub well_threshold: Option<i64>,
    pub overall_min_domains: Option<i64>,
    pub reporting_currency: Option<String>,
    pub price_year: Option<i64>,
    pub two_way: Option<Vec<String>>,
    pub baseline_placement_rate: Option<BTreeMap<String, Vec<f64>>>,
    pub adjustment: Option<RawAdjustment>,
}

/// `[study.adjustment]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAdjustment {
    pub method: Option<String>,
    pub covariates: Option<Vec<String>>,
    pub weights: Option<String>,
    pub trim: Option<Vec<f64>>,
}

/// One `[[outcome]]` table as written; parameters stay TOML values until checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutcome {
    pub id: String,
    pub stakeholder: String,
    #[serde(default)]
    pub indicator: String,
    pub quantity: toml::Value,
    pub proxy: toml::Value,
    pub duration: Option<toml::Value>,
    pub flows: Option<String>,
    pub deadweight: Option<toml::Value>,
    pub displacement: Option<toml::Value>,
    pub attribution: Option<toml::Value>,
    pub dropoff: Option<toml::Value>,
}

/// The whole file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawModel {
    pub study: RawStudy,
    #[serde(default)]
    pub outcome: Vec<RawOutcome>,
}
