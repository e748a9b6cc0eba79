//! Data-derived quantities: the numbers the outcome stages hand to the SROI model.
//!
//! The SROI engine never reads case data. Outcome analysis measures a few quantities in
//! the dataset (docs/method.md section 4) and passes them here by name; a model file refers to
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
//! | `comparison_doing_well_y1` .. `comparison_doing_well_y5` | share of comparison-arm families doing well overall in follow-up year k (weighted for non-response): a measured deadweight |
//! | `reintegrations_sustained` | programme children returned home from care during the programme and still home (no new placement) at the horizon after their return |
//! | `inputs` | (replicates only) a bootstrap replicate of total inputs, replacing the base inputs in that draw |

use std::collections::BTreeMap;

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
    "comparison_doing_well_y1",
    "comparison_doing_well_y2",
    "comparison_doing_well_y3",
    "comparison_doing_well_y4",
    "comparison_doing_well_y5",
    "reintegrations_sustained",
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

#[cfg(test)]
mod tests {
    use super::*;

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
