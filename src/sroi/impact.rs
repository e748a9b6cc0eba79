//! Deterministic SROI arithmetic: impact by year, present value, ratio (docs/method.md section 5).
//!
//! Everything here is a pure function of resolved numbers, so that sensitivity analysis
//! and every Monte Carlo draw run exactly the same arithmetic as the headline figure:
//! `I = Q x P x (1-dw)(1-ds)(1-at)`, `It = I x g_t x (1-do)^(t-1) x w_t` for
//! t = 1..ceil(D), where `g_t = 1` (or the outcome's yearly profile from data when it
//! says `flows = "data"`) and `w_t = min(1, D - (t-1))` counts a fractional last year;
//! `PV = sum_t It x factor(t)`, `ratio = PV / inputs`, `NPV = PV - inputs`,
//! `net ratio = NPV / inputs`; payback is the month in which the undiscounted impacts,
//! summed over outcomes year by year, reach the inputs (linear within a year).

use serde::{Deserialize, Serialize};

use super::data::DataValues;
use super::discount::Discounting;
use super::model::{Field, ParamId, ValidModel};
use super::SroiError;

/// The numbers of one outcome for one evaluation (base case, one-way case or draw).
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeValues {
    pub quantity: f64,
    pub proxy: f64,
    /// Years, >= 1; a fractional last year counts its fraction (a drawn duration).
    pub duration: f64,
    pub deadweight: f64,
    pub displacement: f64,
    pub attribution: f64,
    pub dropoff: f64,
    /// `flows = "data"`: the yearly profile `g_t` (year t's value of the timed data key
    /// over its base value), which replaces the constant 1 in every year.
    pub flows: Option<Vec<f64>>,
}

impl OutcomeValues {
    /// The value of one field (duration as a number).
    pub fn get(&self, field: Field) -> f64 {
        match field {
            Field::Quantity => self.quantity,
            Field::Proxy => self.proxy,
            Field::Duration => self.duration,
            Field::Deadweight => self.deadweight,
            Field::Displacement => self.displacement,
            Field::Attribution => self.attribution,
            Field::Dropoff => self.dropoff,
        }
    }

    /// Set one field (a duration is at least 1 year; its fraction counts).
    pub fn set(&mut self, field: Field, v: f64) {
        match field {
            Field::Quantity => self.quantity = v,
            Field::Proxy => self.proxy = v,
            Field::Duration => self.duration = v.max(1.0),
            Field::Deadweight => self.deadweight = v,
            Field::Displacement => self.displacement = v,
            Field::Attribution => self.attribution = v,
            Field::Dropoff => self.dropoff = v,
        }
    }

    /// Impact before timing: `Q x P x (1-dw)(1-ds)(1-at)` (the year-1 impact of an
    /// outcome without `flows = "data"`).
    pub fn impact_base(&self) -> f64 {
        self.quantity
            * self.proxy
            * (1.0 - self.deadweight)
            * (1.0 - self.displacement)
            * (1.0 - self.attribution)
    }

    /// Year-1 impact (after its yearly profile, if any).
    pub fn impact_year1(&self) -> f64 {
        self.impacts().first().copied().unwrap_or(0.0)
    }

    /// Years with an impact: `ceil(duration)` (a duration is at least 1).
    pub fn years(&self) -> usize {
        let d = if self.duration.is_finite() {
            self.duration
                .clamp(1.0, f64::from(super::model::MAX_DURATION))
        } else {
            1.0
        };
        d.ceil() as usize
    }

    /// Impacts of years 1..=ceil(duration): the profile `g_t` (1 without data flows),
    /// drop-off from year 2, and the fraction of a fractional last year.
    pub fn impacts(&self) -> Vec<f64> {
        let base = self.impact_base();
        let keep = 1.0 - self.dropoff;
        let mut fade = 1.0;
        (0..self.years())
            .map(|t| {
                if t > 0 {
                    fade *= keep;
                }
                let g = match &self.flows {
                    Some(g) => g.get(t).copied().unwrap_or(0.0),
                    None => 1.0,
                };
                let part = (self.duration - t as f64).clamp(0.0, 1.0);
                base * g * fade * part
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
/// not finite), or the timed key of a `flows = "data"` outcome without yearly values.
pub fn resolve(model: &ValidModel, data: &DataValues) -> Result<ResolvedParams, SroiError> {
    let outcomes = model
        .outcomes
        .iter()
        .map(|o| {
            let mut v = OutcomeValues {
                quantity: o.quantity.base_value(data)?,
                proxy: o.proxy.base_value(data)?,
                duration: 1.0,
                deadweight: o.deadweight.base_value(data)?,
                displacement: o.displacement.base_value(data)?,
                attribution: o.attribution.base_value(data)?,
                dropoff: o.dropoff.base_value(data)?,
                flows: None,
            };
            match o.timed_key() {
                Some(key) => {
                    let g = yearly_profile(key, data)?;
                    v.duration = g.len() as f64;
                    v.flows = Some(g);
                }
                None => v.duration = o.duration.base_value(data)?.max(1.0),
            }
            Ok(v)
        })
        .collect::<Result<Vec<_>, SroiError>>()?;
    Ok(ResolvedParams { outcomes })
}

/// The yearly profile of a timed data key: `g_t = key_yt / key` for t = 1, 2, ... up to
/// the first year the data do not carry.
///
/// # Errors
/// [`SroiError::MissingData`] when `key` or `key_y1` is missing or not finite, or when
/// `key` is 0 but a yearly value is not (the profile is then undefined).
pub fn yearly_profile(key: &str, data: &DataValues) -> Result<Vec<f64>, SroiError> {
    let total = data.get(key)?;
    let stem = super::data::series_stem(key);
    data.get(&format!("{stem}_y1"))?;
    let years: Vec<f64> = (1..=super::data::MAX_FLOW_YEARS)
        .map_while(|t| data.get_opt(&format!("{stem}_y{t}")))
        .collect();
    if let Some(t) = years.iter().position(|x| !x.is_finite()) {
        return Err(SroiError::MissingData {
            key: format!("{stem}_y{}", t + 1),
            detail: "its value is not a finite number".to_string(),
        });
    }
    if total == 0.0 {
        if years.iter().all(|&x| x == 0.0) {
            return Ok(vec![0.0; years.len()]);
        }
        return Err(SroiError::MissingData {
            key: key.to_string(),
            detail: format!(
                "it is 0 while its yearly values `{stem}_y1`.. are not, so the outcome's flows (flows = \"data\") cannot be timed; check the data or drop `flows`"
            ),
        });
    }
    Ok(years.iter().map(|x| x / total).collect())
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
    /// Months until the undiscounted impacts, summed over outcomes year by year, reach
    /// the inputs (linear within a year); `None` when they never do.
    pub payback_months: Option<f64>,
    /// Present value by stakeholder, in order of first appearance.
    pub by_stakeholder: Vec<(String, f64)>,
}

/// Present value of each outcome.
pub fn outcome_results(discounting: &Discounting, params: &ResolvedParams) -> Vec<OutcomeResult> {
    let max_d = params
        .outcomes
        .iter()
        .map(OutcomeValues::years)
        .max()
        .unwrap_or(0);
    let factors = discounting.factors(max_d as u32);
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
    let years = outcomes.iter().map(|o| o.impacts.len()).max().unwrap_or(0);
    let by_year: Vec<f64> = (0..years)
        .map(|t| outcomes.iter().filter_map(|o| o.impacts.get(t)).sum())
        .collect();
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
        payback_months: payback_months(&by_year, inputs),
        by_stakeholder,
    })
}

/// Months until the cumulative yearly impacts reach `inputs`, linear within a year:
/// `12 (t-1) + 12 x (inputs - sum_{s<t} I_s) / I_t` for the first year t whose
/// cumulative impact reaches the inputs; `None` when no year does.
pub fn payback_months(by_year: &[f64], inputs: f64) -> Option<f64> {
    let mut before = 0.0;
    for (t, &i) in by_year.iter().enumerate() {
        if i > 0.0 && before + i >= inputs {
            return Some(12.0 * t as f64 + 12.0 * ((inputs - before) / i).max(0.0));
        }
        before += i;
    }
    None
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
        for (got, want) in e.outcomes[0]
            .impacts
            .iter()
            .zip([40000.0, 36000.0, 32400.0])
        {
            assert!((got - want).abs() < 1e-9, "{got} {want}");
        }
        assert_eq!(e.outcomes[0].impacts.len(), 3);
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
    fn a_fractional_duration_counts_its_last_year_in_part() {
        let m = two_outcomes();
        let mut p = resolve(&m, &DataValues::new()).unwrap();
        p.outcomes[0].set(Field::Duration, 2.5);
        // care: 40000, 36000, then half of 32400 = 16200 in year 3.
        let r = &outcome_results(&m.study.discounting, &p)[0];
        assert_eq!(r.impacts.len(), 3);
        assert!((r.impacts[2] - 16200.0).abs() < 1e-9);
        let want = 40000.0 / 1.035 + 36000.0 / 1.035f64.powi(2) + 16200.0 / 1.035f64.powi(3);
        // = 38647.3430 + 33606.3852 + 14611.4719 = 86865.2001
        assert!((want - 86865.2001).abs() < 1e-3);
        assert!((r.pv - want).abs() < 1e-9);
        // Below one year: one year counts whole (a duration is at least 1).
        p.outcomes[0].set(Field::Duration, 0.4);
        assert_eq!(p.outcomes[0].duration, 1.0);
    }

    const TIMED: &str = r#"
[study]
reporting_currency = "EUR"
price_year = 2023
[[outcome]]
id = "care"
stakeholder = "state"
quantity = { data = "avoided_placements" }
proxy = 1000
flows = "data"
attribution = 0.2
"#;

    #[test]
    fn data_flows_time_the_impact_and_the_payback() {
        let m = ModelFile::parse(TIMED, "t.toml").unwrap().check().unwrap();
        let d = DataValues::new()
            .with("avoided_placements", 10.0)
            .with("avoided_placements_y1", 2.0)
            .with("avoided_placements_y2", 5.0)
            .with("avoided_placements_y3", 3.0);
        let p = resolve(&m, &d).unwrap();
        // Profile 0.2, 0.5, 0.3 of I = 10 x 1000 x 0.8 = 8000: 1600, 4000, 2400.
        assert_eq!(p.outcomes[0].duration, 3.0);
        let e = evaluate(&m, &p, 3000.0).unwrap();
        let want = [1600.0, 4000.0, 2400.0];
        for (got, w) in e.outcomes[0].impacts.iter().zip(want) {
            assert!((got - w).abs() < 1e-9, "{got} {w}");
        }
        assert!((e.outcomes[0].impact_year1 - 1600.0).abs() < 1e-9);
        let pv = 1600.0 / 1.035 + 4000.0 / 1.035f64.powi(2) + 2400.0 / 1.035f64.powi(3);
        // = 1545.8937 + 3734.0428 + 2164.6625 = 7444.5990
        assert!((pv - 7444.5990).abs() < 1e-3);
        assert!((e.pv_total - pv).abs() < 1e-9);
        // Payback: 1600 in year 1, the remaining 1400 of 4000 in year 2:
        // 12 + 12 x 1400 / 4000 = 16.2 months.
        assert!((e.payback_months.unwrap() - 16.2).abs() < 1e-9);
        // Never paid back within the flows: no payback.
        assert_eq!(evaluate(&m, &p, 9000.0).unwrap().payback_months, None);
        // A zero total with non-zero years cannot be timed; a missing year 1 is named.
        let bad = d.clone().with("avoided_placements", 0.0);
        assert!(resolve(&m, &bad)
            .unwrap_err()
            .to_string()
            .contains("cannot be timed"));
        let e = resolve(&m, &DataValues::new().with("avoided_placements", 1.0))
            .unwrap_err()
            .to_string();
        assert!(e.contains("avoided_placements_y1"), "{e}");
    }

    #[test]
    fn payback_within_and_beyond_year_one() {
        // 12 x 500 / 1000 = 6 months; 12 + 12 x 200 / 400 = 18 months; never.
        assert_eq!(payback_months(&[1000.0, 400.0], 500.0), Some(6.0));
        assert_eq!(payback_months(&[1000.0, 400.0], 1200.0), Some(18.0));
        assert_eq!(payback_months(&[1000.0, 400.0], 1500.0), None);
        assert_eq!(payback_months(&[0.0, 0.0], 1.0), None);
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
