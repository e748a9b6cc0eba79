//! `sroi/summary.json` and the one entry point that produces it, [`run_sroi`].
//!
//! Users load summary.json in Python, R and Excel, so its field names are those of
//! docs/outputs.md exactly; everything beyond them (stakeholder totals, acceptability curve,
//! EVPI, two-way grid, warnings, every parameter's source and evidence, and the share of
//! value resting on assumptions) is added, never renamed. `run_sroi` runs the whole
//! stage: deterministic evaluation, one-way, thresholds, the optional two-way grid and
//! the Monte Carlo analysis, so the CLI and the report call one function.

use serde::{Deserialize, Serialize};

use super::data::DataValues;
use super::discount::Schedule;
use super::impact::{evaluate, pv_total, resolve, Evaluation, Inputs, ResolvedParams};
use super::model::{Evidence, Field, ParamId, ValidModel};
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
    /// Base duration in years (whole; with `flows = "data"` the years of the data).
    pub duration: u32,
    /// `"data"` when the yearly flows come from the data's yearly series, else
    /// `"model"` (`I1 x (1 - dropoff)^(t-1)`).
    #[serde(default = "flows_model")]
    pub flows: String,
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

fn flows_model() -> String {
    "model".to_string()
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

/// How much of the value rests on `assumed` evidence (docs/method.md section 5: "the report
/// lists every figure resting on `assumed` and how much of the total PV depends on it").
///
/// **The PV that depends on an assumed parameter** is how much the total PV would change
/// if that parameter were set to its *neutral* value, the value at which it has no
/// effect: 0 for a quantity or proxy (the outcome's whole PV goes), 0 for deadweight,
/// displacement, attribution and drop-off (nothing is taken away), 1 year for a duration
/// (the year the quantity measures). `|PV(base) - PV(neutral)|`, capped at the outcome's
/// own PV (a large assumed attribution cannot make more than the whole outcome rest on
/// it). An assumed 0 therefore carries no PV: it takes nothing away, and whether it
/// should is a question for the sensitivity analysis, not for this measure.
///
/// Why not the one-way swing: the usual form of an assumed figure is a plain number,
/// which has no range and would count for nothing; and why not the old measure (the PV
/// of every outcome with any assumed parameter): an assumed displacement of 0 on a
/// measured outcome made the whole outcome "rest on an assumption", so the sample read
/// 100 %.
///
/// **The total** adds, within an outcome, what each of its assumed parameters moves and
/// caps the sum at the outcome's PV (overlapping assumptions never count an outcome more
/// than once), then adds the outcomes (PV is a sum over outcomes). Setting an outcome's
/// assumptions to neutral all at once was rejected: assumptions that pull in opposite
/// directions (an assumed attribution lowers PV, an assumed duration raises it) would
/// offset and hide each other. `core_*` is the part that rests on an assumption
/// outright: the PV of outcomes whose quantity or proxy is assumed; `largest` names the
/// single assumption with the most PV depending on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssumedShare {
    /// PV depending on assumed parameters (see the type's documentation).
    pub pv: f64,
    /// That PV as a share of total PV (`null` when total PV is 0).
    #[serde(deserialize_with = "f64_or_nan")]
    pub share_of_pv: f64,
    /// The outcomes with at least one `assumed` parameter.
    pub outcomes: Vec<String>,
    /// Every `assumed` parameter.
    pub parameters: Vec<String>,
    /// How `pv` is measured, in words.
    #[serde(default)]
    pub definition: String,
    /// Each assumed parameter with the PV that depends on it.
    #[serde(default)]
    pub by_parameter: Vec<AssumedParameter>,
    /// The assumed parameter with the most PV depending on it (`null` when none carries
    /// any).
    #[serde(default)]
    pub largest: Option<String>,
    /// PV of the outcomes whose quantity or proxy is assumed.
    #[serde(default)]
    pub core_pv: f64,
    /// That PV as a share of total PV.
    #[serde(default, deserialize_with = "f64_or_nan")]
    pub core_share_of_pv: f64,
    /// The outcomes whose quantity or proxy is assumed.
    #[serde(default)]
    pub core_outcomes: Vec<String>,
    /// The earlier, coarser measure: PV of every outcome with at least one assumed
    /// parameter (`outcomes`), kept for comparison.
    #[serde(default)]
    pub outcomes_pv: f64,
    /// That PV as a share of total PV.
    #[serde(default, deserialize_with = "f64_or_nan")]
    pub outcomes_share_of_pv: f64,
}

/// One assumed parameter and the PV that depends on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssumedParameter {
    /// `outcome_id.field`.
    pub parameter: String,
    pub outcome: String,
    pub base: f64,
    /// The value at which it has no effect.
    pub neutral: f64,
    /// `min(|PV_total(base) - PV_total(neutral)|, |PV of its outcome|)`.
    pub pv: f64,
    /// That PV as a share of total PV (`null` when total PV is 0).
    #[serde(deserialize_with = "f64_or_nan")]
    pub share_of_pv: f64,
}

/// What [`AssumedShare::definition`] says.
pub const ASSUMED_DEFINITION: &str = "the change in total PV if an assumed parameter were set to its neutral value (0 for a quantity, proxy, deadweight, displacement, attribution or drop-off; 1 year for a duration), added over an outcome's assumed parameters, capped at the outcome's PV, summed over outcomes";

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
    /// Every data-derived quantity measured in the dataset (base values, by key), e.g.
    /// `placement_stay_years`, `avoided_placements_start_y1`, `income_effect_y3`.
    #[serde(default)]
    pub data: std::collections::BTreeMap<String, f64>,
    /// The propensity adjustment of the comparison arm and what it does to the ratio
    /// (`null` without a comparison arm or when it was not computed).
    #[serde(default)]
    pub adjustment: Option<AdjustmentSummary>,
}

/// What the propensity adjustment does to the ratio (docs/method.md section 4.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdjustmentSummary {
    /// How `ratio` treats the comparison arm: `none`, `ipw` or `dr`.
    pub method: String,
    /// The ratio with the comparison arm as it is, with its Monte Carlo 95 % interval.
    pub ratio_unadjusted: f64,
    pub ratio_unadjusted_p2_5: f64,
    pub ratio_unadjusted_p97_5: f64,
    /// The ratio with the adjusted comparison (`adjusted_method`), with its interval.
    pub adjusted_method: String,
    pub ratio_adjusted: f64,
    pub ratio_adjusted_p2_5: f64,
    pub ratio_adjusted_p97_5: f64,
    /// The ratio with every data-derived effect explained away (avoided placements and
    /// the income effect 0, the comparison arm doing as well as the programme's
    /// deadweight allows none of the value): what assumed outcomes alone give.
    pub ratio_without_data_effects: f64,
    /// The share of the data-derived effects that hidden bias would have to explain for
    /// the ratio to fall to 1 (`null` when the ratio is not above 1 or stays above 1
    /// without them).
    pub tipping_share: Option<f64>,
    pub weights: String,
    pub trim: Option<[f64; 2]>,
    /// The propensity model's covariate columns, and default covariates left out.
    pub covariates: Vec<String>,
    pub dropped: Vec<String>,
    pub ess_comparison_before: f64,
    pub ess_comparison_after: f64,
    pub max_abs_smd_before: Option<f64>,
    pub max_abs_smd_after: Option<f64>,
    pub programme_outside_comparison_range: u64,
    pub e_values: Vec<EValueSummary>,
    /// Balance, effective size and overlap warnings.
    pub warnings: Vec<String>,
}

/// An E-value of an estimate that feeds the ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EValueSummary {
    pub estimand: String,
    pub estimate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub risk_ratio: f64,
    pub e_value: f64,
    pub e_value_ci: f64,
}

/// The deterministic ratio of the model on `data` (no Monte Carlo, no sensitivity).
///
/// # Errors
/// As [`run_sroi`]'s evaluation.
pub fn point_ratio(
    model: &ValidModel,
    data: &DataValues,
    inputs: &Inputs,
) -> Result<f64, SroiError> {
    let params = resolve(model, data)?;
    let total_inputs = inputs.value(model)?;
    Ok(evaluate(model, &params, total_inputs)?.ratio)
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
    let mut summary = build_summary(
        model,
        &params,
        &evaluation,
        mc,
        one_way_rows,
        threshold_rows,
        grid,
    );
    summary.data = data
        .iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(k, v)| (k.to_string(), v))
        .collect();
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
            duration: v.duration.round() as u32,
            flows: match o.flows {
                super::model::Flows::Data => "data",
                super::model::Flows::Model => "model",
            }
            .to_string(),
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
    let assumed = assumed_share(model, params, e);
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
        data: std::collections::BTreeMap::new(),
        adjustment: None,
    }
}

/// The value at which a parameter has no effect on its outcome (see [`AssumedShare`]).
fn neutral(field: Field) -> f64 {
    match field {
        Field::Duration => 1.0,
        Field::Quantity
        | Field::Proxy
        | Field::Deadweight
        | Field::Displacement
        | Field::Attribution
        | Field::Dropoff => 0.0,
    }
}

/// The PV resting on `assumed` parameters (see [`AssumedShare`]).
fn assumed_share(model: &ValidModel, params: &ResolvedParams, e: &Evaluation) -> AssumedShare {
    let discounting = &model.study.discounting;
    let base_total = pv_total(discounting, params);
    let share = |pv: f64| {
        if e.pv_total != 0.0 {
            pv / e.pv_total
        } else {
            f64::NAN
        }
    };
    let mut out = AssumedShare {
        pv: 0.0,
        share_of_pv: f64::NAN,
        outcomes: Vec::new(),
        parameters: Vec::new(),
        definition: ASSUMED_DEFINITION.to_string(),
        by_parameter: Vec::new(),
        largest: None,
        core_pv: 0.0,
        core_share_of_pv: f64::NAN,
        core_outcomes: Vec::new(),
        outcomes_pv: 0.0,
        outcomes_share_of_pv: f64::NAN,
    };
    for (i, (o, r)) in model.outcomes.iter().zip(&e.outcomes).enumerate() {
        let ids: Vec<(ParamId, String)> = model
            .parameters()
            .into_iter()
            .filter(|(id, _, p)| id.outcome == i && p.evidence == Evidence::Assumed)
            .map(|(id, n, _)| (id, n))
            .collect();
        if ids.is_empty() {
            continue;
        }
        let cap = r.pv.abs();
        let mut sum = 0.0;
        for (id, name) in &ids {
            let moved = base_total - pv_total(discounting, &params.with(*id, neutral(id.field)));
            let pv = moved.abs().min(cap);
            sum += pv;
            out.by_parameter.push(AssumedParameter {
                parameter: name.clone(),
                outcome: o.id.clone(),
                base: params.get(*id),
                neutral: neutral(id.field),
                pv,
                share_of_pv: share(pv),
            });
            out.parameters.push(name.clone());
        }
        out.pv += sum.min(cap);
        out.outcomes.push(o.id.clone());
        out.outcomes_pv += r.pv;
        if ids
            .iter()
            .any(|(id, _)| matches!(id.field, Field::Quantity | Field::Proxy))
        {
            out.core_pv += r.pv;
            out.core_outcomes.push(o.id.clone());
        }
    }
    out.largest = out
        .by_parameter
        .iter()
        .filter(|p| p.pv > 0.0)
        .max_by(|a, b| a.pv.total_cmp(&b.pv))
        .map(|p| p.parameter.clone());
    out.share_of_pv = share(out.pv);
    out.core_share_of_pv = share(out.core_pv);
    out.outcomes_share_of_pv = share(out.outcomes_pv);
    out
}

/// Read a number that JSON holds as `null` (serde_json's spelling of NaN, used for
/// undefined statistics) back as NaN, so summary.json round-trips.
///
/// # Errors
/// The deserializer's error when the value is neither a number nor `null`.
pub fn f64_or_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// Fields of `summary.json` that are `null` by design when undefined (a share of a total
/// PV of 0; the ratio's statistics when no draw has a ratio). Any other NaN, and any
/// infinity, is an overflow or a figure computed from nothing, and is refused.
pub const UNDEFINED_AS_NULL: &[&str] = &[
    "by_stakeholder[].share",
    "assumed.share_of_pv",
    "assumed.core_share_of_pv",
    "assumed.outcomes_share_of_pv",
    "assumed.by_parameter[].share_of_pv",
    "monte_carlo.ratio_mean",
    "monte_carlo.ratio_p2_5",
    "monte_carlo.ratio_p50",
    "monte_carlo.ratio_p97_5",
];

/// `summary` as the bytes of `summary.json` (pretty JSON).
///
/// # Errors
/// [`SroiError::Json`] when the summary cannot be serialised.
pub fn to_json(summary: &Summary) -> Result<Vec<u8>, SroiError> {
    // JSON writes NaN and infinity as `null`: refuse them, naming the field, except the
    // figures docs/outputs.md documents as null when undefined.
    crate::finite::check_allowing(summary, UNDEFINED_AS_NULL).map_err(|e| SroiError::Json {
        path: "summary.json".to_string(),
        message: e.to_string(),
    })?;
    serde_json::to_vec_pretty(summary).map_err(|e| SroiError::Json {
        path: "summary.json".to_string(),
        message: e.to_string(),
    })
}

impl SroiResult {
    /// The stage's files, named as they are written under `sroi/`: `summary.json`,
    /// `draws.parquet` and `impact_map.xlsx`. The stage computes them; the pipeline writes
    /// them (atomically, with the other outputs).
    ///
    /// # Errors
    /// [`SroiError::Json`], [`SroiError::Parquet`] or [`SroiError::Xlsx`] naming the file.
    pub fn files(&self, model: &ValidModel) -> Result<Vec<(&'static str, Vec<u8>)>, SroiError> {
        Ok(vec![
            ("summary.json", to_json(&self.summary)?),
            ("draws.parquet", super::draws::to_parquet(&self.draws)?),
            ("impact_map.xlsx", super::xlsx::impact_map(model, self)?),
        ])
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
        // Both quantities are plain numbers: all of the value rests on assumptions.
        assert!((a.share_of_pv - 1.0).abs() < 1e-12);
        assert_eq!(a.core_outcomes, vec!["care", "income"]);
        assert!((a.outcomes_share_of_pv - 1.0).abs() < 1e-12);
        assert!(a.parameters.contains(&"care.quantity".to_string()));
        assert!(!a.parameters.contains(&"care.attribution".to_string()));
        // By stakeholder: state 101476.6719 of 120821.3474 = 0.839891.
        let s = &r.summary.by_stakeholder[0];
        assert_eq!(s.stakeholder, "state");
        assert!((s.share - 101476.6719 / 120821.3474).abs() < 1e-8);
    }

    /// Four outcomes, no discounting, every figure `published` except those noted:
    /// - `a`: 10 x 1000 x (1 - 0.2) = 8000; displacement = 0 assumed (moves nothing);
    /// - `b`: 100 x 50 x (1 - 0.5) = 2500; proxy assumed (the whole 2500 rests on it);
    /// - `c`: 20 x 100 x (1 - 0.3) x 2 years = 2800; attribution 0.3 and duration 2
    ///   assumed: at 0 gives 4000 (moves 1200), 1 year gives 1400 (moves 1400);
    ///   1200 + 1400 = 2600, under the cap of 2800;
    /// - `d`: 10 x 100 x (1 - 0.6) = 400; attribution 0.6 assumed: at 0 gives 1000,
    ///   moves 600, capped at the outcome's 400.
    ///
    /// Omitted deadweight, displacement and drop-off are `assumed` zeros: listed, no PV.
    /// Total PV 13700; resting on assumptions 0 + 2500 + 2600 + 400 = 5500.
    const FOUR: &str = r#"
[study]
reporting_currency = "EUR"
price_year = 2024
discount_rate = 0.0
[[outcome]]
id = "a"
stakeholder = "state"
quantity = { value = 10, source = "s", evidence = "published" }
proxy = { value = 1000, source = "s", evidence = "published" }
duration = { value = 1, source = "s", evidence = "published" }
displacement = 0
attribution = { value = 0.2, source = "s", evidence = "published" }
[[outcome]]
id = "b"
stakeholder = "families"
quantity = { value = 100, source = "s", evidence = "published" }
proxy = { value = 50, source = "a guess", evidence = "assumed" }
duration = { value = 1, source = "s", evidence = "published" }
attribution = { value = 0.5, source = "s", evidence = "published" }
[[outcome]]
id = "c"
stakeholder = "children"
quantity = { value = 20, source = "s", evidence = "published" }
proxy = { value = 100, source = "s", evidence = "published" }
duration = 2
attribution = 0.3
[[outcome]]
id = "d"
stakeholder = "community"
quantity = { value = 10, source = "s", evidence = "published" }
proxy = { value = 100, source = "s", evidence = "published" }
duration = { value = 1, source = "s", evidence = "published" }
attribution = 0.6
"#;

    #[test]
    fn assumed_share_is_the_pv_each_assumption_moves() {
        let m = crate::sroi::model::ModelFile::parse(FOUR, "four.toml")
            .unwrap()
            .check()
            .unwrap();
        let r = run_sroi(&m, &DataValues::new(), &[], &Inputs::total(1000.0)).unwrap();
        let s = &r.summary;
        assert!((s.pv_total - 13_700.0).abs() < 1e-9);
        let a = &s.assumed;
        let pv = |name: &str| {
            a.by_parameter
                .iter()
                .find(|p| p.parameter == name)
                .unwrap_or_else(|| panic!("{name} not listed"))
                .pv
        };
        assert_eq!(pv("a.displacement"), 0.0);
        assert_eq!(pv("a.deadweight"), 0.0);
        assert!((pv("b.proxy") - 2500.0).abs() < 1e-9);
        assert!((pv("c.attribution") - 1200.0).abs() < 1e-9);
        assert!((pv("c.duration") - 1400.0).abs() < 1e-9);
        assert!((pv("d.attribution") - 400.0).abs() < 1e-9);
        let c_dur = a
            .by_parameter
            .iter()
            .find(|p| p.parameter == "c.duration")
            .unwrap();
        assert_eq!((c_dur.base, c_dur.neutral), (2.0, 1.0));
        assert!((c_dur.share_of_pv - 1400.0 / 13_700.0).abs() < 1e-12);
        assert!((a.pv - 5500.0).abs() < 1e-9);
        assert!((a.share_of_pv - 5500.0 / 13_700.0).abs() < 1e-12);
        assert_eq!(a.largest.as_deref(), Some("b.proxy"));
        assert_eq!(a.core_outcomes, vec!["b"]);
        assert!((a.core_pv - 2500.0).abs() < 1e-9);
        // Every outcome has an omitted (assumed) zero: the old measure said 100 %.
        assert_eq!(a.outcomes, vec!["a", "b", "c", "d"]);
        assert!((a.outcomes_share_of_pv - 1.0).abs() < 1e-12);
        assert_eq!(a.definition, ASSUMED_DEFINITION);
        // summary.json keeps the old keys and round-trips the new ones.
        let v = serde_json::to_value(s).unwrap();
        for k in [
            "pv",
            "share_of_pv",
            "outcomes",
            "parameters",
            "by_parameter",
            "largest",
        ] {
            assert!(v["assumed"].get(k).is_some(), "missing assumed.{k}");
        }
        let back: Summary = serde_json::from_value(v).unwrap();
        assert_eq!(&back.assumed, a);
    }
}
