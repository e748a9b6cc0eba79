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
//! | `children_at_risk_programme` | of those, children living in the family at exit (at risk of placement after exit) |
//! | `avoided_placements` | children kept out of care by horizon H: `N_at_risk_programme x (F_c(H) - F_p(H))` |
//! | `avoided_placements_y1` .. | the same placements, counted in year t after exit by the part of their expected stay that falls in year t (sums to `avoided_placements`; the timed flows of `flows = "data"`) |
//! | `avoided_placements_start_y1` .. `_y<H>` | placements avoided that would have started in year k: `N x ((F_c(k) - F_p(k)) - (F_c(k-1) - F_p(k-1)))` |
//! | `cost_per_placement` | expected cost of one post-exit placement: Kaplan-Meier restricted mean stay by care type x care cost of the country and year of care |
//! | `placement_stay_years` | expected stay of a post-exit placement (Kaplan-Meier restricted mean, capped at [`STAY_CAP_YEARS`]) |
//! | `income_effect_annual` | income effect per family per year (difference in differences, real, reporting currency): the mean of the yearly effects |
//! | `income_effect_y1` .. `_y5` | the income effect in follow-up year k (the timed flows of `flows = "data"`) |
//! | `families_doing_well_y1` .. `families_doing_well_y5` | families doing well overall in follow-up year k |
//! | `comparison_doing_well_y1` .. `comparison_doing_well_y5` | share of comparison-arm families doing well overall in follow-up year k (weighted for non-response): a measured deadweight |
//! | `reintegrations_sustained` | programme children returned home from care during the programme and still home (no new placement) at the horizon after their return |
//! | `inputs` | (replicates only) a bootstrap replicate of total inputs, replacing the base inputs in that draw |

use std::collections::BTreeMap;

use super::SroiError;

/// Every key a model file may reference with `data = "<key>"`, apart from the yearly
/// series of the [`TIMED_KEYS`] (`<stem>_y1` .., see [`is_data_key`]).
pub const DATA_KEYS: &[&str] = &[
    "families_programme",
    "children_programme",
    "children_at_risk_programme",
    "avoided_placements",
    "cost_per_placement",
    "placement_stay_years",
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
/// difference in differences): an outcome built on them (or on their yearly series)
/// needs no deadweight, and a non-zero deadweight is reported as double counting.
pub const NET_EFFECT_KEYS: &[&str] = &["avoided_placements", "income_effect_annual"];

/// Keys with a yearly series `<stem>_y1`, `<stem>_y2`, .. (the stem is the key without
/// `_annual`): the timed flows an outcome with `flows = "data"` takes.
pub const TIMED_KEYS: &[&str] = &["avoided_placements", "income_effect_annual"];

/// Other yearly series a model may reference year by year (`<stem>_y1` ..).
const OTHER_SERIES: &[&str] = &["avoided_placements_start"];

/// The longest yearly series of a timed key (years after exit).
pub const MAX_FLOW_YEARS: usize = 40;

/// Cap of the restricted mean length of a placement, in years (docs/method.md section 8).
pub const STAY_CAP_YEARS: f64 = 10.0;

/// The stem of a key's yearly series: the key without a trailing `_annual`.
pub fn series_stem(key: &str) -> &str {
    key.strip_suffix("_annual").unwrap_or(key)
}

/// Whether `key` is one a model file may reference: one of [`DATA_KEYS`] or year t
/// (1..=[`MAX_FLOW_YEARS`]) of a yearly series.
pub fn is_data_key(key: &str) -> bool {
    DATA_KEYS.contains(&key) || timed_year(key).is_some()
}

/// `(stem, t)` when `key` is `<stem>_y<t>` of a yearly series.
pub fn timed_year(key: &str) -> Option<(&str, usize)> {
    let (stem, digits) = key.rsplit_once("_y")?;
    if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t: usize = digits.parse().ok()?;
    let known = TIMED_KEYS.iter().any(|k| series_stem(k) == stem) || OTHER_SERIES.contains(&stem);
    (known && (1..=MAX_FLOW_YEARS).contains(&t)).then_some((stem, t))
}

/// Whether `key` is a net effect or a year of one (see [`NET_EFFECT_KEYS`]).
pub fn is_net_effect(key: &str) -> bool {
    NET_EFFECT_KEYS.contains(&key)
        || timed_year(key).is_some_and(|(stem, _)| {
            NET_EFFECT_KEYS.iter().any(|k| series_stem(k) == stem)
                || stem == "avoided_placements_start"
        })
}

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
        assert!(is_data_key("income_effect_y3") && is_data_key("avoided_placements_y12"));
        assert!(is_data_key("avoided_placements_start_y2"));
        assert!(!is_data_key("income_effect_y0") && !is_data_key("income_effect_y07"));
        assert!(!is_data_key("cost_per_placement_y1") && !is_data_key("income_effect_annual_y1"));
        assert_eq!(series_stem("income_effect_annual"), "income_effect");
        assert!(is_net_effect("income_effect_y2") && !is_net_effect("families_doing_well_y2"));
        let nan = DataValues::new().with("inputs", f64::NAN);
        assert!(nan.get("inputs").is_err());
        assert_eq!(nan.get_opt("inputs").map(f64::is_nan), Some(true));
    }
}
