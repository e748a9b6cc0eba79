//! Deterministic SROI arithmetic: impact by year, present value, ratio (docs/method.md section 5).
//!
//! Everything here is a pure function of resolved numbers, so that sensitivity analysis
//! and every Monte Carlo draw run exactly the same arithmetic as the headline figure:
//! `I1 = Q x P x (1-dw)(1-ds)(1-at)`, `It = I1 (1-do)^(t-1)` for t = 1..D,
//! `PV = sum_t It x factor(t)`, `ratio = PV / inputs`, `NPV = PV - inputs`,
//! `net ratio = NPV / inputs`, `payback months = inputs / (sum I1 / 12)`.

use serde::{Deserialize, Serialize};

use super::data::DataValues;
use super::discount::Discounting;
use super::model::{Field, ParamId, ValidModel};
use super::SroiError;

/// The numbers of one outcome for one evaluation (base case, one-way case or draw).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutcomeValues {
    pub quantity: f64,
    pub proxy: f64,
    /// Whole years, >= 1.
    pub duration: u32,
    pub deadweight: f64,
    pub displacement: f64,
    pub attribution: f64,
    pub dropoff: f64,
}

impl OutcomeValues {
    /// The value of one field (duration as a number).
    pub fn get(&self, field: Field) -> f64 {
        match field {
            Field::Quantity => self.quantity,
            Field::Proxy => self.proxy,
            Field::Duration => self.duration as f64,
            Field::Deadweight => self.deadweight,
            Field::Displacement => self.displacement,
            Field::Attribution => self.attribution,
            Field::Dropoff => self.dropoff,
        }
    }

    /// Set one field (a duration is rounded to whole years, at least 1).
    pub fn set(&mut self, field: Field, v: f64) {
        match field {
            Field::Quantity => self.quantity = v,
            Field::Proxy => self.proxy = v,
            Field::Duration => self.duration = v.round().max(1.0) as u32,
            Field::Deadweight => self.deadweight = v,
            Field::Displacement => self.displacement = v,
            Field::Attribution => self.attribution = v,
            Field::Dropoff => self.dropoff = v,
        }
    }

    /// Year-1 impact `Q x P x (1-dw)(1-ds)(1-at)`.
    pub fn impact_year1(&self) -> f64 {
        self.quantity
            * self.proxy
            * (1.0 - self.deadweight)
            * (1.0 - self.displacement)
            * (1.0 - self.attribution)
    }

    /// Impacts of years 1..=duration with drop-off from year 2.
    pub fn impacts(&self) -> Vec<f64> {
        let i1 = self.impact_year1();
        let keep = 1.0 - self.dropoff;
        let mut acc = i1;
        (0..self.duration)
            .map(|t| {
                if t > 0 {
                    acc *= keep;
                }
                acc
            })
            .collect()
    }
}

/// Every outcome's numbers: the parameter vector of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedParams {
    /// In impact-map order.
    pub outcomes: Vec<OutcomeValues>,
}

impl ResolvedParams {
    /// One parameter's value.
    pub fn get(&self, id: ParamId) -> f64 {
        self.outcomes[id.outcome].get(id.field)
    }

    /// Set one parameter.
    pub fn set(&mut self, id: ParamId, v: f64) {
        self.outcomes[id.outcome].set(id.field, v)
    }

    /// A copy with one parameter changed.
    pub fn with(&self, id: ParamId, v: f64) -> ResolvedParams {
        let mut p = self.clone();
        p.set(id, v);
        p
    }
}

/// The base values of every parameter, data references looked up in `data`.
///
/// # Errors
/// [`SroiError::MissingData`] naming a referenced key that `data` lacks (or that is
/// not finite).
pub fn resolve(model: &ValidModel, data: &DataValues) -> Result<ResolvedParams, SroiError> {
    let outcomes = model
        .outcomes
        .iter()
        .map(|o| {
            Ok(OutcomeValues {
                quantity: o.quantity.base_value(data)?,
                proxy: o.proxy.base_value(data)?,
                duration: o.duration.base_value(data)?.round().max(1.0) as u32,
                deadweight: o.deadweight.base_value(data)?,
                displacement: o.displacement.base_value(data)?,
                attribution: o.attribution.base_value(data)?,
                dropoff: o.dropoff.base_value(data)?,
            })
        })
        .collect::<Result<Vec<_>, SroiError>>()?;
    Ok(ResolvedParams { outcomes })
}

/// The programme's inputs (costs) by calendar year, real terms, reporting currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    by_year: Vec<(i32, f64)>,
}

impl Inputs {
    /// One undated total.
    pub fn total(amount: f64) -> Inputs {
        Inputs {
            by_year: vec![(0, amount)],
        }
    }

    /// Amounts by calendar year (needed when `discount_inputs = true`).
    pub fn by_year(by_year: Vec<(i32, f64)>) -> Inputs {
        Inputs { by_year }
    }

    /// The amounts by year.
    pub fn years(&self) -> &[(i32, f64)] {
        &self.by_year
    }

    /// The total as the model counts it (discounted from the first cost year when the
    /// study says `discount_inputs = true`).
    ///
    /// # Errors
    /// [`SroiError::Inputs`] when an amount is not finite or the total is not positive
    /// (the ratio would be undefined).
    pub fn value(&self, model: &ValidModel) -> Result<f64, SroiError> {
        if let Some((y, a)) = self.by_year.iter().find(|(_, a)| !a.is_finite()) {
            return Err(SroiError::Inputs(format!(
                "the input amount of year {y} is {a}, not a finite number"
            )));
        }
        let total = model
            .study
            .discounting
            .inputs_total(&self.by_year, model.study.discount_inputs);
        if total > 0.0 {
            Ok(total)
        } else {
            Err(SroiError::Inputs(format!(
                "total inputs are {total}: the SROI ratio needs positive programme costs (check services.cost and programme_costs)"
            )))
        }
    }
}

/// One outcome's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeResult {
    /// Year-1 impact.
    pub impact_year1: f64,
    /// Impact in years 1..=D (undiscounted).
    pub impacts: Vec<f64>,
    /// Present value.
    pub pv: f64,
}

/// A full deterministic evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Per outcome, in impact-map order.
    pub outcomes: Vec<OutcomeResult>,
    pub pv_total: f64,
    pub inputs: f64,
    pub npv: f64,
    pub ratio: f64,
    pub net_ratio: f64,
    /// `None` when the year-1 impacts sum to zero or less (never paid back).
    pub payback_months: Option<f64>,
    /// Present value by stakeholder, in order of first appearance.
    pub by_stakeholder: Vec<(String, f64)>,
}

/// Present value of each outcome.
pub fn outcome_results(discounting: &Discounting, params: &ResolvedParams) -> Vec<OutcomeResult> {
    let max_d = params
        .outcomes
        .iter()
        .map(|o| o.duration)
        .max()
        .unwrap_or(0);
    let factors = discounting.factors(max_d);
    params
        .outcomes
        .iter()
        .map(|o| {
            let impacts = o.impacts();
            let pv = impacts.iter().zip(&factors).map(|(i, f)| i * f).sum();
            OutcomeResult {
                impact_year1: o.impact_year1(),
                impacts,
                pv,
            }
        })
        .collect()
}

/// Total present value only (the quick path for sensitivity and Monte Carlo).
pub fn pv_total(discounting: &Discounting, params: &ResolvedParams) -> f64 {
    outcome_results(discounting, params)
        .iter()
        .map(|o| o.pv)
        .sum()
}

/// Evaluate the impact map with these parameter values and total inputs.
///
/// # Errors
/// [`SroiError::Inputs`] when `inputs` is not a positive finite number.
pub fn evaluate(
    model: &ValidModel,
    params: &ResolvedParams,
    inputs: f64,
) -> Result<Evaluation, SroiError> {
    if !(inputs.is_finite() && inputs > 0.0) {
        return Err(SroiError::Inputs(format!(
            "total inputs are {inputs}: the SROI ratio needs positive programme costs"
        )));
    }
    let outcomes = outcome_results(&model.study.discounting, params);
    let pv_total: f64 = outcomes.iter().map(|o| o.pv).sum();
    let i1: f64 = outcomes.iter().map(|o| o.impact_year1).sum();
    let mut by_stakeholder: Vec<(String, f64)> = Vec::new();
    for (o, r) in model.outcomes.iter().zip(&outcomes) {
        match by_stakeholder.iter_mut().find(|(s, _)| *s == o.stakeholder) {
            Some((_, v)) => *v += r.pv,
            None => by_stakeholder.push((o.stakeholder.clone(), r.pv)),
        }
    }
    let npv = pv_total - inputs;
    Ok(Evaluation {
        outcomes,
        pv_total,
        inputs,
        npv,
        ratio: pv_total / inputs,
        net_ratio: npv / inputs,
        payback_months: (i1 > 0.0).then(|| inputs / (i1 / 12.0)),
        by_stakeholder,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::sroi::model::ModelFile;

    /// Two outcomes, hand-checkable:
    /// - `care` (state): Q = 10 placements, P = 5000, D = 3, dw 0, ds 0, at 0.2, do 0.1.
    /// - `income` (families): Q = 100 families, P = 400, D = 2, dw 0.25, ds 0.1, at 0.5, do 0.5.
    pub(crate) const TWO_OUTCOMES: &str = r#"
[study]
reporting_currency = "EUR"
price_year = 2023
discount_rate = 0.035
seed = 7
draws = 2000
[[outcome]]
id = "care"
stakeholder = "state"
quantity = 10
proxy = 5000
duration = 3
attribution = { value = 0.2, low = 0.1, high = 0.4, source = "panel", evidence = "expert" }
dropoff = 0.1
[[outcome]]
id = "income"
stakeholder = "families"
quantity = 100
proxy = { dist = "normal", mean = 400, sd = 50, source = "survey", evidence = "published" }
duration = 2
deadweight = 0.25
displacement = 0.1
attribution = 0.5
dropoff = 0.5
"#;

    pub(crate) fn two_outcomes() -> ValidModel {
        ModelFile::parse(TWO_OUTCOMES, "two.toml")
            .unwrap()
            .check()
            .unwrap()
    }

    #[test]
    fn hand_worked_example() {
        let m = two_outcomes();
        let p = resolve(&m, &DataValues::new()).unwrap();
        let e = evaluate(&m, &p, 50_000.0).unwrap();
        // care: I1 = 10 x 5000 x 0.8 = 40000; I2 = 36000; I3 = 32400 (drop-off 10 %:
        // 100 -> 90 -> 81). PV = 40000/1.035 + 36000/1.035^2 + 32400/1.035^3
        //    = 38647.3430 + 33606.3852 + 29222.9437 = 101476.6719
        let care_pv = 40000.0 / 1.035 + 36000.0 / 1.035f64.powi(2) + 32400.0 / 1.035f64.powi(3);
        assert!((care_pv - 101476.6719).abs() < 1e-3);
        assert_eq!(e.outcomes[0].impacts, vec![40000.0, 36000.0, 32400.0]);
        assert!((e.outcomes[0].pv - care_pv).abs() < 1e-9);
        // income: I1 = 100 x 400 x 0.75 x 0.9 x 0.5 = 13500; I2 = 6750.
        // PV = 13500/1.035 + 6750/1.035^2 = 13043.4783 + 6301.1972 = 19344.6755
        assert!((e.outcomes[1].impact_year1 - 13500.0).abs() < 1e-9);
        let inc_pv = 13500.0 / 1.035 + 6750.0 / 1.035f64.powi(2);
        assert!((e.outcomes[1].pv - inc_pv).abs() < 1e-9);
        assert!((inc_pv - 19344.6755).abs() < 1e-3);
        // Totals: PV = 120821.3474; ratio = 2.416427; NPV = 70821.3474; net = 1.416427;
        // payback = 50000 / (53500/12) = 11.214953 months.
        assert!((e.pv_total - 120821.3474).abs() < 1e-3);
        assert!((e.ratio - 120821.3474 / 50_000.0).abs() < 1e-7);
        assert!((e.npv - 70821.3474).abs() < 1e-3);
        assert!((e.net_ratio - e.ratio + 1.0).abs() < 1e-12);
        assert!((e.payback_months.unwrap() - 11.214_953_271).abs() < 1e-6);
        assert_eq!(e.by_stakeholder[0].0, "state");
        assert!((e.by_stakeholder[1].1 - inc_pv).abs() < 1e-9);
    }

    #[test]
    fn data_references_resolve_or_name_the_missing_key() {
        let m = ModelFile::parse(
            r#"
[study]
reporting_currency = "EUR"
price_year = 2023
[[outcome]]
id = "care"
stakeholder = "state"
quantity = { data = "avoided_placements" }
proxy = { data = "cost_per_placement" }
duration = 1
"#,
            "m.toml",
        )
        .unwrap()
        .check()
        .unwrap();
        let d = DataValues::new().with("avoided_placements", 4.0);
        let e = resolve(&m, &d).unwrap_err().to_string();
        assert!(e.contains("cost_per_placement"), "{e}");
        let p = resolve(&m, &d.with("cost_per_placement", 7000.0)).unwrap();
        assert_eq!((p.outcomes[0].quantity, p.outcomes[0].proxy), (4.0, 7000.0));
    }

    #[test]
    fn inputs_must_be_positive() {
        let m = two_outcomes();
        let p = resolve(&m, &DataValues::new()).unwrap();
        assert!(matches!(evaluate(&m, &p, 0.0), Err(SroiError::Inputs(_))));
        assert!(Inputs::total(-5.0).value(&m).is_err());
        assert_eq!(
            Inputs::by_year(vec![(2021, 10.0), (2022, 5.0)])
                .value(&m)
                .unwrap(),
            15.0
        );
    }
}
