//! Small hand-made inputs for the report's unit tests: a run folder with a plausible
//! summary and manifest but no table rows, and one-line constructors for table rows.
//!
//! Each test adds only the rows it is about, so what a section prints can be checked
//! against a handful of known numbers. The summary and manifest are read from JSON the
//! way `report::render` reads them from summary.json and manifest.json.

use crate::adjust::sensitivity::EValueRow;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;

use crate::ingest::Quality;

use super::folder::RunFolder;
use super::rows::{
    AdjustedEstimateRow, BalanceRow, ChangeRow, Checked, CostRow, CurveRow, FollowupRow,
    IncomeEffectRow, OverlapRow, ScoreLevelRow, SurvivalYearRow,
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
        balance: None,
        overlap: None,
        adjusted_estimates: None,
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

/// [`run`] with a comparison arm left unadjusted in the headline (method `none`) and
/// the doubly robust ratio beside it: ratio 2.5 (1.5 to 3.5) as it is, 1.8 (1.1 to 2.6)
/// adjusted, 0.7 with every measured effect explained away, so the tipping share is
/// (2.5 - 1) / (2.5 - 0.7) = 5/6. Balance fails after weighting (risk level high, SMD
/// 0.12), with one warning; 3 programme families outside the comparison's range.
/// Tables: four balance rows (one withheld), 20 overlap bins per arm (100 programme
/// families in bins 10-19; 85 comparison families, 10 in each of bins 0-7 and 5 in the
/// withheld bin 8), adjusted estimates and two E-values.
pub fn adjusted_run() -> RunFolder {
    use crate::sroi::summary::{AdjustmentSummary, EValueSummary};
    let mut r = run();
    let placement = EValueRow {
        estimand: "placement_risk_ratio".into(),
        estimate: 0.5,
        ci_low: 0.3,
        ci_high: 0.8,
        risk_ratio: 0.5,
        rr_low: 0.3,
        rr_high: 0.8,
        // 1/0.5 = 2: 2 + sqrt(2 x 1) = 3.414; 1/0.8 = 1.25: 1.25 + sqrt(1.25 x 0.25) = 1.809.
        e_value: 3.414,
        e_value_ci: 1.809,
    };
    let income = EValueRow {
        estimand: "income_effect_annual".into(),
        estimate: 1200.0,
        ci_low: -100.0,
        ci_high: 2500.0,
        risk_ratio: 1.3,
        rr_low: 0.95,
        rr_high: 1.7,
        e_value: 1.92,
        e_value_ci: 1.0,
    };
    let summary_of = |e: &EValueRow| EValueSummary {
        estimand: e.estimand.clone(),
        estimate: e.estimate,
        ci_low: e.ci_low,
        ci_high: e.ci_high,
        risk_ratio: e.risk_ratio,
        e_value: e.e_value,
        e_value_ci: e.e_value_ci,
    };
    r.summary.adjustment = Some(AdjustmentSummary {
        method: "none".into(),
        ratio_unadjusted: 2.5,
        ratio_unadjusted_p2_5: 1.5,
        ratio_unadjusted_p97_5: 3.5,
        adjusted_method: "dr".into(),
        ratio_adjusted: 1.8,
        ratio_adjusted_p2_5: 1.1,
        ratio_adjusted_p97_5: 2.6,
        ratio_without_data_effects: 0.7,
        tipping_share: Some(5.0 / 6.0),
        weights: "att".into(),
        trim: None,
        covariates: vec![
            "country".into(),
            "risk_level".into(),
            "intake_income".into(),
        ],
        dropped: vec!["disability: one value in the comparison arm".into()],
        ess_comparison_before: 85.0,
        ess_comparison_after: 46.4,
        max_abs_smd_before: Some(0.44),
        max_abs_smd_after: Some(0.12),
        programme_outside_comparison_range: 3,
        e_values: vec![summary_of(&placement), summary_of(&income)],
        warnings: vec!["covariate balance is not achieved: after weighting the largest standardised mean difference is 0.12 (above 0.1)".into()],
    });
    let balance =
        |covariate: &str, level: &str, kind: &str, means: [f64; 3], smd: [f64; 2]| BalanceRow {
            covariate: covariate.into(),
            level: (!level.is_empty()).then(|| level.to_string()),
            kind: kind.into(),
            mean_programme: Some(means[0]),
            mean_comparison: Some(means[1]),
            mean_programme_weighted: Some(means[0]),
            mean_comparison_weighted: Some(means[2]),
            smd_before: Some(smd[0]),
            smd_after: Some(smd[1]),
            variance_ratio_before: None,
            variance_ratio_after: None,
            suppressed: false,
        };
    let mut withheld = balance("minority", "", "share", [0.04, 0.03, 0.035], [0.05, 0.02]);
    withheld.suppressed = true;
    r.balance = Some(BalanceRow::checked(
        vec![
            balance("country", "AL", "share", [0.5, 0.3, 0.48], [0.41, 0.04]),
            balance(
                "risk_level",
                "high",
                "share",
                [0.4, 0.2, 0.35],
                [0.44, 0.12],
            ),
            balance(
                "intake_income",
                "",
                "number",
                [3200.0, 4100.0, 3300.0],
                [-0.35, -0.05],
            ),
            withheld,
        ],
        10,
    ));
    let mut bins = Vec::new();
    for k in 0..20u32 {
        let (low, high) = (f64::from(k) / 20.0, f64::from(k + 1) / 20.0);
        let p = if k >= 10 { 10 } else { 0 };
        bins.push(OverlapRow {
            arm: "programme".into(),
            bin_low: low,
            bin_high: high,
            families: Some(p),
            share: Some(p as f64 / 100.0),
            suppressed: false,
        });
        let c = if k < 8 { 10 } else { 0 };
        bins.push(OverlapRow {
            arm: "comparison".into(),
            bin_low: low,
            bin_high: high,
            families: if k == 8 { None } else { Some(c) },
            share: if k == 8 { None } else { Some(c as f64 / 85.0) },
            suppressed: k == 8,
        });
    }
    r.overlap = Some(bins);
    let est = |estimand: &str, arm: &str, year: f64, method: &str, v: f64| AdjustedEstimateRow {
        estimand: estimand.into(),
        arm: arm.into(),
        year,
        method: method.into(),
        estimate: Some(v),
        ci_low: Some(v - 0.05),
        ci_high: Some(v + 0.05),
    };
    r.adjusted_estimates = Some(vec![
        est("avoided_placements", "contrast", 5.0, "unadjusted", 12.34),
        est("avoided_placements", "contrast", 5.0, "att", 8.0),
        est("survival", "comparison", 1.0, "unadjusted", 0.9),
        est("survival", "comparison", 1.0, "att", 0.8),
        est("placement_incidence", "programme", 5.0, "unadjusted", 0.1),
        est("placement_incidence", "comparison", 5.0, "unadjusted", 0.2),
        est("placement_incidence", "comparison", 5.0, "att", 0.25),
    ]);
    r
}
