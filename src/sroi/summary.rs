//! `sroi/summary.json` and the one entry point that produces it, [`run_sroi`].
//!
//! Users load summary.json in Python, R and Excel, so its field names are those of
//! interface.md exactly; everything beyond them (stakeholder totals, acceptability curve,
//! EVPI, two-way grid, warnings, every parameter's source and evidence, and the share of
//! value resting on assumptions) is added, never renamed. `run_sroi` runs the whole
//! stage: deterministic evaluation, one-way, thresholds, the optional two-way grid and
//! the Monte Carlo analysis, so the CLI and the report call one function.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::data::DataValues;
use super::discount::Schedule;
use super::impact::{evaluate, resolve, Evaluation, Inputs, ResolvedParams};
use super::model::{Evidence, ValidModel};
use super::monte_carlo::{simulate, Draws, McSummary};
use super::sensitivity::{one_way, thresholds, two_way, OneWay, Threshold, TwoWay};
use super::SroiError;

/// Points per side of the two-way grid.
pub const TWO_WAY_POINTS: usize = 11;

/// One outcome of the impact map with its base values and results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeSummary {
    pub id: String,
    pub stakeholder: String,
    pub quantity: f64,
    pub proxy: f64,
    pub duration: u32,
    pub deadweight: f64,
    pub displacement: f64,
    pub attribution: f64,
    pub dropoff: f64,
    pub impact_year1: f64,
    pub pv: f64,
    /// What is counted.
    pub indicator: String,
    /// Undiscounted impact in years 1..=duration.
    pub impacts: Vec<f64>,
}

/// Present value gained by one stakeholder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StakeholderTotal {
    pub stakeholder: String,
    pub pv: f64,
    /// Share of total PV (`null` when total PV is 0).
    #[serde(deserialize_with = "f64_or_nan")]
    pub share: f64,
}

/// One model parameter as used, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterSummary {
    /// `outcome_id.field`.
    pub parameter: String,
    pub base: f64,
    /// Distribution name, if uncertain.
    pub dist: Option<String>,
    /// Data key, if measured in the dataset.
    pub data: Option<String>,
    pub source: String,
    pub evidence: Evidence,
}

/// How much of the value rests on `assumed` evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssumedShare {
    /// PV of outcomes with at least one `assumed` parameter.
    pub pv: f64,
    /// That PV as a share of total PV (`null` when total PV is 0).
    #[serde(deserialize_with = "f64_or_nan")]
    pub share_of_pv: f64,
    /// The outcomes concerned.
    pub outcomes: Vec<String>,
    /// Every `assumed` parameter.
    pub parameters: Vec<String>,
}

/// The content of `sroi/summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub currency: String,
    pub price_year: i32,
    /// The constant rate, or the Green Book's first-period 3.5 %.
    pub discount_rate: f64,
    pub inputs: f64,
    pub pv_total: f64,
    pub npv: f64,
    pub ratio: f64,
    pub net_ratio: f64,
    /// `null` when year-1 impacts sum to zero or less.
    pub payback_months: Option<f64>,
    pub outcomes: Vec<OutcomeSummary>,
    pub monte_carlo: McSummary,
    /// Sorted by swing, largest first.
    pub one_way: Vec<OneWay>,
    pub thresholds: Vec<Threshold>,
    /// `constant` or `green_book`.
    pub discount_schedule: String,
    pub discount_year1: bool,
    pub discount_inputs: bool,
    pub by_stakeholder: Vec<StakeholderTotal>,
    pub two_way: Option<TwoWay>,
    pub parameters: Vec<ParameterSummary>,
    pub assumed: AssumedShare,
    pub warnings: Vec<String>,
    /// The model file read.
    pub model_file: String,
}

/// Everything the SROI stage computed.
#[derive(Debug, Clone)]
pub struct SroiResult {
    pub summary: Summary,
    /// Base parameter values.
    pub params: ResolvedParams,
    pub evaluation: Evaluation,
    pub draws: Draws,
}

/// Run the SROI model: deterministic evaluation, one-way analysis, thresholds, the
/// two-way grid (if the study names one) and Monte Carlo.
///
/// `data` holds the data-derived quantities (see [`super::data`]), `replicates` their
/// bootstrap replicates (may be empty), `inputs` the programme's costs.
///
/// # Errors
/// [`SroiError::MissingData`] if a referenced data key is missing (in `data` or a
/// replicate); [`SroiError::Inputs`] if total inputs are not positive;
/// [`SroiError::Sensitivity`] if the two-way grid names a certain parameter.
pub fn run_sroi(
    model: &ValidModel,
    data: &DataValues,
    replicates: &[DataValues],
    inputs: &Inputs,
) -> Result<SroiResult, SroiError> {
    let params = resolve(model, data)?;
    let total_inputs = inputs.value(model)?;
    let evaluation = evaluate(model, &params, total_inputs)?;
    let one_way_rows = one_way(model, &params, total_inputs, replicates);
    let threshold_rows = thresholds(model, &params, total_inputs);
    let grid = match model.study.two_way {
        Some(pair) => Some(two_way(
            model,
            &params,
            total_inputs,
            pair,
            replicates,
            TWO_WAY_POINTS,
        )?),
        None => None,
    };
    let draws = simulate(model, &params, replicates, total_inputs)?;
    let mc = draws.summary(model.study.seed, replicates.len());
    let summary = build_summary(
        model,
        &params,
        &evaluation,
        mc,
        one_way_rows,
        threshold_rows,
        grid,
    );
    Ok(SroiResult {
        summary,
        params,
        evaluation,
        draws,
    })
}

fn build_summary(
    model: &ValidModel,
    params: &ResolvedParams,
    e: &Evaluation,
    monte_carlo: McSummary,
    one_way: Vec<OneWay>,
    thresholds: Vec<Threshold>,
    two_way: Option<TwoWay>,
) -> Summary {
    let outcomes = model
        .outcomes
        .iter()
        .zip(&params.outcomes)
        .zip(&e.outcomes)
        .map(|((o, v), r)| OutcomeSummary {
            id: o.id.clone(),
            stakeholder: o.stakeholder.clone(),
            quantity: v.quantity,
            proxy: v.proxy,
            duration: v.duration,
            deadweight: v.deadweight,
            displacement: v.displacement,
            attribution: v.attribution,
            dropoff: v.dropoff,
            impact_year1: r.impact_year1,
            pv: r.pv,
            indicator: o.indicator.clone(),
            impacts: r.impacts.clone(),
        })
        .collect();
    let share = |pv: f64| {
        if e.pv_total != 0.0 {
            pv / e.pv_total
        } else {
            f64::NAN
        }
    };
    let by_stakeholder = e
        .by_stakeholder
        .iter()
        .map(|(s, pv)| StakeholderTotal {
            stakeholder: s.clone(),
            pv: *pv,
            share: share(*pv),
        })
        .collect();
    let parameters: Vec<ParameterSummary> = model
        .parameters()
        .into_iter()
        .map(|(id, name, p)| ParameterSummary {
            parameter: name,
            base: params.get(id),
            dist: p.dist.as_ref().map(|d| d.name().to_string()),
            data: p.data_key().map(str::to_string),
            source: p.source.clone(),
            evidence: p.evidence,
        })
        .collect();
    let assumed = assumed_share(model, e);
    let study = &model.study;
    Summary {
        currency: study.reporting_currency.clone(),
        price_year: study.price_year,
        discount_rate: study.discounting.schedule.headline_rate(),
        inputs: e.inputs,
        pv_total: e.pv_total,
        npv: e.npv,
        ratio: e.ratio,
        net_ratio: e.net_ratio,
        payback_months: e.payback_months,
        outcomes,
        monte_carlo,
        one_way,
        thresholds,
        discount_schedule: match study.discounting.schedule {
            Schedule::Constant(_) => "constant".to_string(),
            Schedule::GreenBook => "green_book".to_string(),
        },
        discount_year1: study.discounting.discount_year1,
        discount_inputs: study.discount_inputs,
        by_stakeholder,
        two_way,
        parameters,
        assumed,
        warnings: model.warnings.clone(),
        model_file: model.path.clone(),
    }
}

/// An outcome's PV rests on an assumption when any of its parameters is `assumed`.
fn assumed_share(model: &ValidModel, e: &Evaluation) -> AssumedShare {
    let mut pv = 0.0;
    let mut outcomes = Vec::new();
    let mut parameters = Vec::new();
    for (i, (o, r)) in model.outcomes.iter().zip(&e.outcomes).enumerate() {
        let names: Vec<String> = model
            .parameters()
            .into_iter()
            .filter(|(id, _, p)| id.outcome == i && p.evidence == Evidence::Assumed)
            .map(|(_, n, _)| n)
            .collect();
        if !names.is_empty() {
            pv += r.pv;
            outcomes.push(o.id.clone());
            parameters.extend(names);
        }
    }
    AssumedShare {
        pv,
        share_of_pv: if e.pv_total != 0.0 {
            pv / e.pv_total
        } else {
            f64::NAN
        },
        outcomes,
        parameters,
    }
}

/// Read a number that JSON holds as `null` (serde_json's spelling of NaN, used for
/// undefined statistics) back as NaN, so summary.json round-trips.
///
/// # Errors
/// The deserializer's error when the value is neither a number nor `null`.
pub fn f64_or_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// Write `summary` as pretty JSON to `path`.
///
/// # Errors
/// [`SroiError::Json`] or [`SroiError::Io`] naming the path.
pub fn write_json(summary: &Summary, path: &Path) -> Result<(), SroiError> {
    let text = serde_json::to_string_pretty(summary).map_err(|e| SroiError::Json {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    super::write_atomic(path, text.as_bytes())
}

impl SroiResult {
    /// Write `summary.json`, `draws.parquet` and `impact_map.xlsx` into `dir` (created
    /// if missing).
    ///
    /// # Errors
    /// [`SroiError::Io`], [`SroiError::Json`], [`SroiError::Parquet`] or
    /// [`SroiError::Xlsx`] naming the file.
    pub fn write_all(&self, model: &ValidModel, dir: &Path) -> Result<(), SroiError> {
        std::fs::create_dir_all(dir).map_err(|source| SroiError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        write_json(&self.summary, &dir.join("summary.json"))?;
        super::draws::write_parquet(&self.draws, &dir.join("draws.parquet"))?;
        super::xlsx::write_impact_map(model, self, &dir.join("impact_map.xlsx"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::impact::tests::two_outcomes;

    #[test]
    fn summary_json_has_interface_field_names() {
        let m = two_outcomes();
        let r = run_sroi(&m, &DataValues::new(), &[], &Inputs::total(50_000.0)).unwrap();
        let v = serde_json::to_value(&r.summary).unwrap();
        for k in [
            "currency",
            "price_year",
            "discount_rate",
            "inputs",
            "pv_total",
            "npv",
            "ratio",
            "net_ratio",
            "payback_months",
            "outcomes",
            "monte_carlo",
            "one_way",
            "thresholds",
        ] {
            assert!(v.get(k).is_some(), "missing {k}");
        }
        for k in [
            "id",
            "stakeholder",
            "quantity",
            "proxy",
            "duration",
            "deadweight",
            "displacement",
            "attribution",
            "dropoff",
            "impact_year1",
            "pv",
        ] {
            assert!(v["outcomes"][0].get(k).is_some(), "missing outcomes[].{k}");
        }
        for k in [
            "draws",
            "seed",
            "ratio_mean",
            "ratio_p2_5",
            "ratio_p50",
            "ratio_p97_5",
            "npv_p2_5",
            "npv_p97_5",
            "prob_ratio_gt_1",
        ] {
            assert!(v["monte_carlo"].get(k).is_some(), "missing monte_carlo.{k}");
        }
        for k in ["parameter", "low", "high", "ratio_low", "ratio_high"] {
            assert!(v["one_way"][0].get(k).is_some(), "missing one_way[].{k}");
        }
        for k in ["parameter", "value_at_ratio_1"] {
            assert!(
                v["thresholds"][0].get(k).is_some(),
                "missing thresholds[].{k}"
            );
        }
        // Values: the impact.rs hand-worked example.
        assert!((v["ratio"].as_f64().unwrap() - 120821.3474 / 50_000.0).abs() < 1e-7);
        assert_eq!(v["currency"], "EUR");
        assert_eq!(v["monte_carlo"]["draws"], 2000);
        assert_eq!(v["monte_carlo"]["seed"], 7);
        // Round trip.
        let back: Summary = serde_json::from_value(v).unwrap();
        assert_eq!(back.outcomes, r.summary.outcomes);
    }

    #[test]
    fn assumed_share_counts_outcomes_with_an_assumed_parameter() {
        let m = two_outcomes();
        let r = run_sroi(&m, &DataValues::new(), &[], &Inputs::total(50_000.0)).unwrap();
        // Both outcomes have plain-number (assumed) parameters, e.g. care.quantity = 10.
        let a = &r.summary.assumed;
        assert_eq!(a.outcomes, vec!["care", "income"]);
        assert!((a.share_of_pv - 1.0).abs() < 1e-12);
        assert!(a.parameters.contains(&"care.quantity".to_string()));
        assert!(!a.parameters.contains(&"care.attribution".to_string()));
        // By stakeholder: state 101476.6719 of 120821.3474 = 0.839891.
        let s = &r.summary.by_stakeholder[0];
        assert_eq!(s.stakeholder, "state");
        assert!((s.share - 101476.6719 / 120821.3474).abs() < 1e-8);
    }
}
