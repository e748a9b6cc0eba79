//! Small hand-made inputs for the report's unit tests: a run folder with a plausible
//! summary and manifest but no table rows, and one-line constructors for table rows.
//!
//! Each test adds only the rows it is about, so what a section prints can be checked
//! against a handful of known numbers. The summary and manifest are read from JSON the
//! way `report::render` reads them from summary.json and manifest.json.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;

use crate::ingest::Quality;

use super::folder::RunFolder;
use super::rows::{
    ChangeRow, CostRow, CurveRow, FollowupRow, IncomeEffectRow, ScoreLevelRow, SurvivalYearRow,
};

/// A run of "Test dataset": EUR at 2024 prices, inputs 1,000, PV 2,500, ratio 2.5, a
/// Monte Carlo range 1.5 to 3.5 over 1,000 draws (seed 42); no table rows, no draws.
pub fn run() -> RunFolder {
    let summary = json!({
        "currency": "EUR", "price_year": 2024, "discount_rate": 0.035,
        "inputs": 1000.0, "pv_total": 2500.0, "npv": 1500.0, "ratio": 2.5, "net_ratio": 1.5,
        "payback_months": null, "outcomes": [],
        "monte_carlo": {
            "draws": 1000, "seed": 42, "ratio_mean": 2.4, "ratio_p2_5": 1.5, "ratio_p50": 2.4,
            "ratio_p97_5": 3.5, "npv_mean": 1400.0, "npv_p2_5": 500.0, "npv_p50": 1400.0,
            "npv_p97_5": 2500.0, "prob_ratio_gt_1": 0.97, "evpi": 0.0, "ratio_unstable": false,
            "ratio_undefined_draws": 0, "replicates": 0, "data_keys_fixed": [],
            "acceptability": []
        },
        "one_way": [], "thresholds": [], "discount_schedule": "constant",
        "discount_year1": false, "discount_inputs": false, "by_stakeholder": [],
        "two_way": null, "parameters": [],
        "assumed": { "pv": 0.0, "share_of_pv": 0.0, "outcomes": [], "parameters": [] },
        "warnings": [], "model_file": "model.toml"
    });
    let manifest = json!({
        "engine": "kinsight", "engine_version": "9.9.9", "generated_at": "2025-01-31T12:00:00Z",
        "command": "kinsight run", "dataset": "Test dataset", "data_cutoff": null,
        "reporting_currency": null, "price_year": null, "model": null, "model_path": null,
        "seed": null, "tables": {}, "inputs": [], "outputs": []
    });
    RunFolder {
        out: PathBuf::from("out"),
        manifest: serde_json::from_value(manifest).expect("a manifest"),
        quality: Quality {
            dataset: "Test dataset".into(),
            usable: true,
            tables: BTreeMap::new(),
            problems: Vec::new(),
        },
        summary: serde_json::from_value(summary).expect("a summary"),
        draws: None,
        min_cell: 10,
        followup: Vec::new(),
        curve: Vec::new(),
        survival_years: Vec::new(),
        survival_tests: Vec::new(),
        score_change: Vec::new(),
        income_effect: Vec::new(),
        score_levels: None,
        income_trajectory: None,
        during: None,
        cost_of_care: None,
        reintegration: None,
        missing: Vec::new(),
    }
}

/// A follow-up row with a weighted share (interval ±0.05) and no unweighted one.
pub fn followup_row(group: &str, domain: &str, year: u32, share: Option<f64>) -> FollowupRow {
    FollowupRow {
        group: group.into(),
        arm: "programme".into(),
        domain: domain.into(),
        year,
        due: Some(200),
        deceased_or_abroad: Some(0),
        observed: Some(150),
        response_rate: Some(0.75),
        doing_well: share.map(|s| (s * 150.0).round() as u64),
        share: None,
        ci_low: None,
        ci_high: None,
        share_weighted: share,
        ci_low_weighted: share.map(|s| s - 0.05),
        ci_high_weighted: share.map(|s| s + 0.05),
        suppressed: false,
    }
}

/// A survival-curve point with 100 at risk and no interval.
pub fn curve_row(group: &str, level: &str, day: i64, survival: Option<f64>) -> CurveRow {
    CurveRow {
        group: group.into(),
        arm: "programme".into(),
        level: level.into(),
        day,
        at_risk: Some(100.0),
        survival,
        ci_low: None,
        ci_high: None,
        suppressed: false,
    }
}

/// Survival at a year after exit, interval ±0.02, 80 at risk.
pub fn survival_year_row(
    group: &str,
    level: &str,
    year: u32,
    survival: Option<f64>,
    suppressed: bool,
) -> SurvivalYearRow {
    SurvivalYearRow {
        group: group.into(),
        arm: "programme".into(),
        level: level.into(),
        year,
        survival,
        ci_low: survival.map(|s| s - 0.02),
        ci_high: survival.map(|s| s + 0.02),
        at_risk: Some(80),
        suppressed,
    }
}

/// A mean score of group `all` at a stage, from 50 families.
pub fn score_level_row(domain: &str, stage: &str, mean: Option<f64>) -> ScoreLevelRow {
    ScoreLevelRow {
        group: "all".into(),
        arm: "programme".into(),
        domain: domain.into(),
        stage: stage.into(),
        n: Some(50),
        mean_score: mean,
        suppressed: false,
    }
}

/// A change of score of group `all` from 40 families: +0.5 (0.25 to 0.75), 60 % improved,
/// 30 % the same, 10 % worse.
pub fn score_change_row(domain: &str, year: u32) -> ChangeRow {
    ChangeRow {
        group: "all".into(),
        arm: "programme".into(),
        domain: domain.into(),
        year,
        n: Some(40),
        mean_change: Some(0.5),
        ci_low: Some(0.25),
        ci_high: Some(0.75),
        improved: Some(0.6),
        same: Some(0.3),
        worse: Some(0.1),
        suppressed: false,
    }
}

/// An income effect of group `all`: programme +1,200 (120 families), comparison −300 (80).
pub fn income_effect_row(year: u32) -> IncomeEffectRow {
    IncomeEffectRow {
        group: "all".into(),
        year,
        n_programme: Some(120),
        n_comparison: Some(80),
        mean_delta_programme: Some(1200.0),
        mean_delta_comparison: Some(-300.0),
        effect: Some(1500.0),
        ci_low: Some(-100.0),
        ci_high: Some(3100.0),
        mean_delta_programme_weighted: None,
        mean_delta_comparison_weighted: None,
        effect_weighted: None,
        ci_low_weighted: None,
        ci_high_weighted: None,
        method: "did".into(),
        suppressed: false,
    }
}

/// A country with every cost figure and 1.5 units of care cost avoided per unit of cost.
pub fn cost_row(country: &str) -> CostRow {
    CostRow {
        country: country.into(),
        families: Some(60),
        cost_per_family_year: Some(2000.0),
        cost_per_child_year: Some(800.0),
        cost_per_family: Some(3000.0),
        residential_per_child_year: Some(30000.0),
        foster_per_child_year: Some(12000.0),
        residential_to_support: Some(15.0),
        suppressed: false,
        horizon_years: Some(5.0),
        children_programme: Some(150),
        placements_avoided: Some(4.5),
        cost_per_placement: Some(60000.0),
        public_cost_avoided: Some(270000.0),
        public_cost_avoided_per_family: Some(4500.0),
        cost_avoided_per_cost: Some(1.5),
        avoided_note: String::new(),
    }
}
