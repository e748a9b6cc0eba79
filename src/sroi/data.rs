//! Data-derived quantities: the numbers the outcome stages hand to the SROI model.
//!
//! The SROI engine never reads case data. Outcome analysis measures a few quantities in
//! the dataset (method.md section 4) and passes them here by name; a model file refers to
//! them with `data = "<key>"`. The vocabulary is fixed ([`DATA_KEYS`]) so that a typo in a
//! model file is caught when the model is checked, not when a number silently goes
//! missing. Bootstrap replicates of the same keys carry their sampling uncertainty into
//! the Monte Carlo analysis (a key that no replicate carries is held at its base value
//! and listed in the summary as `data_keys_fixed`).
//!
//! | key | meaning |
//! |---|---|
//! | `families_programme` | families in the programme arm with an exit (the analysed cohort) |
//! | `children_programme` | children of those families |
//! | `avoided_placements` | children kept out of care by horizon H: `N_children_programme x (F_c(H) - F_p(H))` |
//! | `cost_per_placement` | mean placement years x cost per child-year (care-type and country mix, real, reporting currency) |
//! | `income_effect_annual` | income effect per family per year (difference in differences, real, reporting currency) |
//! | `families_doing_well_y1` .. `families_doing_well_y5` | families doing well overall in follow-up year k |
//! | `inputs` | (replicates only) a bootstrap replicate of total inputs, replacing the base inputs in that draw |

use std::collections::BTreeMap;

use super::model::Study;
use super::SroiError;

/// Every key a model file may reference with `data = "<key>"`.
pub const DATA_KEYS: &[&str] = &[
    "families_programme",
    "children_programme",
    "avoided_placements",
    "cost_per_placement",
    "income_effect_annual",
    "families_doing_well_y1",
    "families_doing_well_y2",
    "families_doing_well_y3",
    "families_doing_well_y4",
    "families_doing_well_y5",
];

/// Keys that are effects already net of the counterfactual (comparison-arm survival,
/// difference in differences): an outcome built on them needs no deadweight, and a
/// non-zero deadweight is reported as double counting.
pub const NET_EFFECT_KEYS: &[&str] = &["avoided_placements", "income_effect_annual"];

/// The key under which a bootstrap replicate may carry its own total inputs.
pub const INPUTS_KEY: &str = "inputs";

/// Named quantities measured in the dataset (one set for the point estimate, one per
/// bootstrap replicate).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataValues(BTreeMap<String, f64>);

impl DataValues {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set one quantity (builder style).
    pub fn with(mut self, key: &str, value: f64) -> Self {
        self.0.insert(key.to_string(), value);
        self
    }

    /// Set one quantity.
    pub fn insert(&mut self, key: &str, value: f64) {
        self.0.insert(key.to_string(), value);
    }

    /// The value of `key`, if supplied.
    pub fn get_opt(&self, key: &str) -> Option<f64> {
        self.0.get(key).copied()
    }

    /// The value of `key`.
    ///
    /// # Errors
    /// [`SroiError::MissingData`] naming the key and the keys that were supplied.
    pub fn get(&self, key: &str) -> Result<f64, SroiError> {
        match self.0.get(key) {
            Some(v) if v.is_finite() => Ok(*v),
            Some(v) => Err(SroiError::MissingData {
                key: key.to_string(),
                detail: format!("its value {v} is not a finite number"),
            }),
            None => Err(SroiError::MissingData {
                key: key.to_string(),
                detail: format!(
                    "it was not supplied (supplied: {})",
                    self.0.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            }),
        }
    }

    /// All supplied keys and values in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

impl FromIterator<(String, f64)> for DataValues {
    fn from_iter<T: IntoIterator<Item = (String, f64)>>(iter: T) -> Self {
        DataValues(iter.into_iter().collect())
    }
}

/// Children kept out of care by the horizon: `N_children_programme x (F_c(H) - F_p(H))`,
/// with `F` the cumulative placement incidence (1 - Kaplan-Meier survival) of the
/// comparison arm (or the model's baseline, [`baseline_incidence`]) and the programme.
pub fn avoided_placements(children_programme: f64, f_comparison: f64, f_programme: f64) -> f64 {
    children_programme * (f_comparison - f_programme)
}

/// One care type's part in the cost of a placement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CareMix {
    /// Weight: placements (or children) of this care type.
    pub weight: f64,
    /// Mean placement length in years.
    pub mean_years: f64,
    /// Cost per child-year (real, reporting currency).
    pub cost_per_child_year: f64,
}

/// Cost of one placement at the observed care-type mix:
/// `sum_k w_k x years_k x cost_k / sum_k w_k`.
///
/// # Errors
/// [`SroiError::Inputs`] when the weights do not sum to a positive number or a figure
/// is negative or not finite.
pub fn cost_per_placement(mix: &[CareMix]) -> Result<f64, SroiError> {
    if let Some(m) = mix.iter().find(|m| {
        ![m.weight, m.mean_years, m.cost_per_child_year]
            .iter()
            .all(|x| x.is_finite() && *x >= 0.0)
    }) {
        return Err(SroiError::Inputs(format!(
            "care mix entry {m:?}: weights, placement years and costs must be finite and >= 0"
        )));
    }
    let total: f64 = mix.iter().map(|m| m.weight).sum();
    if total <= 0.0 {
        return Err(SroiError::Inputs(
            "care mix has no placements: the cost per placement is undefined".to_string(),
        ));
    }
    Ok(mix
        .iter()
        .map(|m| m.weight * m.mean_years * m.cost_per_child_year)
        .sum::<f64>()
        / total)
}

/// Counterfactual cumulative placement incidence at `horizon` years without a comparison
/// arm: the model's `baseline_placement_rate` by risk level, weighted by the programme's
/// children at each risk level.
///
/// # Errors
/// [`SroiError::Inputs`] naming the risk level when the model gives no rate for it, or
/// fewer than `horizon` years, or when there are no children.
pub fn baseline_incidence(
    study: &Study,
    children_by_risk: &BTreeMap<String, f64>,
    horizon: u32,
) -> Result<f64, SroiError> {
    let mut total = 0.0;
    let mut weighted = 0.0;
    for (level, n) in children_by_risk.iter().filter(|(_, n)| **n > 0.0) {
        let rates = study.baseline_placement_rate.get(level).ok_or_else(|| {
            SroiError::Inputs(format!(
                "{n} programme children have risk level `{level}` but the model file has no study.baseline_placement_rate.{level}; add it (cumulative rates for years 1..{horizon})"
            ))
        })?;
        let rate = horizon
            .checked_sub(1)
            .and_then(|k| rates.get(k as usize))
            .ok_or_else(|| {
                SroiError::Inputs(format!(
                    "study.baseline_placement_rate.{level} gives {} years but the horizon is {horizon}; give a rate for every year up to {horizon}",
                    rates.len()
                ))
            })?;
        total += n;
        weighted += n * rate;
    }
    if total > 0.0 {
        Ok(weighted / total)
    } else {
        Err(SroiError::Inputs(
            "no programme children: the baseline placement incidence is undefined".to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::model::ModelFile;

    #[test]
    fn avoided_placements_and_their_cost() {
        // 200 children, comparison 12 % placed by year 5, programme 2 %: 200 x 0.10 = 20.
        assert!((avoided_placements(200.0, 0.12, 0.02) - 20.0).abs() < 1e-12);
        // 3 residential placements of 2 years at 4000 and 1 foster of 1 year at 3000:
        // (3 x 2 x 4000 + 1 x 1 x 3000) / 4 = 27000 / 4 = 6750.
        let mix = [
            CareMix {
                weight: 3.0,
                mean_years: 2.0,
                cost_per_child_year: 4000.0,
            },
            CareMix {
                weight: 1.0,
                mean_years: 1.0,
                cost_per_child_year: 3000.0,
            },
        ];
        assert!((cost_per_placement(&mix).unwrap() - 6750.0).abs() < 1e-9);
        assert!(cost_per_placement(&[]).is_err());
    }

    #[test]
    fn baseline_incidence_weights_risk_levels() {
        let m = ModelFile::parse(
            r#"
[study]
reporting_currency = "EUR"
price_year = 2023
[study.baseline_placement_rate]
low = [0.01, 0.02, 0.03]
high = [0.05, 0.09, 0.12]
[[outcome]]
id = "a"
stakeholder = "state"
quantity = 1
proxy = 1
duration = 1
"#,
            "m.toml",
        )
        .unwrap()
        .check()
        .unwrap();
        let kids: BTreeMap<String, f64> =
            [("low".to_string(), 30.0), ("high".to_string(), 10.0)].into();
        // (30 x 0.03 + 10 x 0.12) / 40 = 2.1 / 40 = 0.0525.
        assert!((baseline_incidence(&m.study, &kids, 3).unwrap() - 0.0525).abs() < 1e-12);
        let e = baseline_incidence(&m.study, &kids, 4)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("baseline_placement_rate.high gives 3 years"),
            "{e}"
        );
        let acute: BTreeMap<String, f64> = [("acute".to_string(), 2.0)].into();
        assert!(baseline_incidence(&m.study, &acute, 1)
            .unwrap_err()
            .to_string()
            .contains("acute"));
    }

    #[test]
    fn get_names_missing_key() {
        let d = DataValues::new().with("avoided_placements", 12.5);
        assert_eq!(d.get("avoided_placements").unwrap(), 12.5);
        let e = d.get("cost_per_placement").unwrap_err().to_string();
        assert!(
            e.contains("cost_per_placement") && e.contains("avoided_placements"),
            "{e}"
        );
        let nan = DataValues::new().with("inputs", f64::NAN);
        assert!(nan.get("inputs").is_err());
        assert_eq!(nan.get_opt("inputs").map(f64::is_nan), Some(true));
    }
}
