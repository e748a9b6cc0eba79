//! The impact map's rows: one [`Outcome`] per stakeholder gain, checked together.
//!
//! Outcome ids become column names, so they must be unique and plain. Omitted shares
//! (deadweight, displacement, attribution, drop-off) default to 0 with a recorded source;
//! an effect measured in the data is already net of what would have happened anyway, so
//! a deadweight on it is flagged as double counting.

use std::collections::BTreeSet;

use super::parameter::parse_param;
use super::raw::RawOutcome;
use super::{Base, Evidence, Field, Param, ParamId};
use crate::sroi::data::{is_net_effect, series_stem, TIMED_KEYS};

/// Source recorded for an omitted deadweight, displacement, attribution or drop-off.
pub const NOT_GIVEN: &str = "not given in the model file: default 0";

/// Source recorded for the omitted deadweight of a data-derived effect.
pub const NET_OF_COUNTERFACTUAL: &str =
    "data-derived effect, already net of the counterfactual (docs/method.md section 4)";

/// Where an outcome's yearly flows come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flows {
    /// `I_t = I x (1 - do)^(t-1)` for t = 1..D (the Social Value UK default).
    #[default]
    Model,
    /// `flows = "data"`: year t takes the yearly value of the outcome's timed data key
    /// (`<stem>_yt`, see `sroi::data::TIMED_KEYS`); the years are those the data carry.
    Data,
}

/// Source recorded for the duration of an outcome with `flows = "data"`.
pub const YEARS_FROM_DATA: &str = "flows = \"data\": the years the data's yearly series covers";

/// One row of the impact map.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Unique id (letters, digits, `_`), used in column names.
    pub id: String,
    /// Who gains (e.g. `state`, `families`, `children`, `community`).
    pub stakeholder: String,
    /// What is counted, in words.
    pub indicator: String,
    /// Q: how many (people, families, placements) experience the outcome.
    pub quantity: Param,
    /// P: financial proxy per unit per year (reporting currency, price year).
    pub proxy: Param,
    /// D: years the outcome lasts (whole years, 1..=200, no distribution).
    pub duration: Param,
    /// Share that would have happened anyway.
    pub deadweight: Param,
    /// Share that displaces value elsewhere.
    pub displacement: Param,
    /// Share due to other people or organisations.
    pub attribution: Param,
    /// Yearly decline of the outcome from year 2.
    pub dropoff: Param,
    /// Where the yearly flows come from.
    pub flows: Flows,
}

impl Outcome {
    /// With `flows = "data"`, the data key whose yearly series times the flows (the
    /// quantity's if it is timed, else the proxy's).
    pub fn timed_key(&self) -> Option<&str> {
        if self.flows != Flows::Data {
            return None;
        }
        [&self.quantity, &self.proxy]
            .into_iter()
            .filter_map(|p| p.data_key())
            .find(|k| TIMED_KEYS.contains(k))
    }

    /// The parameter for `field`.
    pub fn param(&self, field: Field) -> &Param {
        match field {
            Field::Quantity => &self.quantity,
            Field::Proxy => &self.proxy,
            Field::Duration => &self.duration,
            Field::Deadweight => &self.deadweight,
            Field::Displacement => &self.displacement,
            Field::Attribution => &self.attribution,
            Field::Dropoff => &self.dropoff,
        }
    }
}

/// The parameter named `outcome_id.field`, if there is one.
pub(super) fn find_param(outcomes: &[Outcome], name: &str) -> Option<ParamId> {
    let (id, field) = name.rsplit_once('.')?;
    let field = Field::from_name(field)?;
    let outcome = outcomes.iter().position(|o| o.id == id)?;
    Some(ParamId { outcome, field })
}

/// Check every `[[outcome]]`; problems and warnings are appended in impact-map order.
pub(super) fn check_outcomes(
    raw: &[RawOutcome],
    problems: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Vec<Outcome> {
    if raw.is_empty() {
        problems.push("the impact map is empty: add at least one [[outcome]] table".to_string());
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, o) in raw.iter().enumerate() {
        let at = format!("outcome[{i}]");
        if o.id.is_empty() || !o.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            problems.push(format!(
                "{at}.id = \"{}\": use letters, digits and '_' only (it becomes a column name)",
                o.id
            ));
        }
        if !seen.insert(o.id.clone()) {
            problems.push(format!(
                "{at}.id = \"{}\" is a duplicate; every outcome id must be unique",
                o.id
            ));
        }
        if o.stakeholder.trim().is_empty() {
            problems.push(format!(
                "{at}.stakeholder is empty; name who gains, e.g. \"state\" or \"families\""
            ));
        }
        let mut p = |field: Field, v: Option<&toml::Value>| match v {
            Some(v) => parse_param(&format!("{at}.{}", field.name()), field, v, problems),
            None => Param::fixed(0.0, NOT_GIVEN, Evidence::Assumed),
        };
        let outcome = Outcome {
            id: o.id.clone(),
            stakeholder: o.stakeholder.clone(),
            indicator: o.indicator.clone(),
            quantity: p(Field::Quantity, Some(&o.quantity)),
            proxy: p(Field::Proxy, Some(&o.proxy)),
            duration: match (&o.flows, &o.duration) {
                (Some(_), None) => Param::fixed(1.0, YEARS_FROM_DATA, Evidence::Data),
                (_, d) => p(Field::Duration, d.as_ref()),
            },
            deadweight: p(Field::Deadweight, o.deadweight.as_ref()),
            displacement: p(Field::Displacement, o.displacement.as_ref()),
            attribution: p(Field::Attribution, o.attribution.as_ref()),
            dropoff: p(Field::Dropoff, o.dropoff.as_ref()),
            flows: Flows::Model,
        };
        let mut outcome = outcome;
        match o.flows.as_deref() {
            None => {
                if o.duration.is_none() {
                    problems.push(format!(
                        "{at}.duration is missing: give the years the outcome lasts, or `flows = \"data\"` to take the years from the data"
                    ));
                }
            }
            Some("data") => {
                outcome.flows = Flows::Data;
                if o.duration.is_some() {
                    problems.push(format!(
                        "{at}.duration: with flows = \"data\" the years come from the data's yearly series; remove `duration`"
                    ));
                }
                if outcome.timed_key().is_none() {
                    problems.push(format!(
                        "{at}.flows = \"data\" needs quantity or proxy = {{ data = \"<key>\" }} with a key that has yearly values: {}",
                        TIMED_KEYS
                            .iter()
                            .map(|k| format!("{k} ({}_y1 ..)", series_stem(k)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
            Some(other) => problems.push(format!(
                "{at}.flows = \"{other}\" is unknown; use \"data\" (yearly flows from the data) or leave it out (I1 x (1 - dropoff)^(t-1))"
            )),
        }
        let data_derived = [&outcome.quantity, &outcome.proxy]
            .iter()
            .any(|p| p.data_key().is_some_and(is_net_effect));
        if data_derived && o.deadweight.is_none() {
            outcome.deadweight = Param::fixed(0.0, NET_OF_COUNTERFACTUAL, Evidence::Data);
        }
        let dw = &outcome.deadweight;
        if data_derived && (dw.base != Base::Value(0.0) || dw.dist.is_some()) {
            warnings.push(format!(
                "{at} (\"{}\"): its effect is measured in the data (already net of what would have happened anyway) but deadweight is not 0: this double counts deadweight",
                o.id
            ));
        }
        let dr = &outcome.dropoff;
        if outcome.flows == Flows::Data && (dr.base != Base::Value(0.0) || dr.dist.is_some()) {
            warnings.push(format!(
                "{at} (\"{}\"): its yearly flows come from the data (flows = \"data\"), which already shows how the effect fades, but drop-off is not 0: this double counts fade",
                o.id
            ));
        }
        out.push(outcome);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;

    #[test]
    fn deadweight_on_data_effect_warns() {
        let m = check(
            r#"
[[outcome]]
id = "income"
stakeholder = "families"
quantity = { data = "families_programme" }
proxy = { data = "income_effect_annual" }
duration = 2
deadweight = 0.2
"#,
        )
        .unwrap();
        assert_eq!(m.warnings.len(), 1);
        assert!(m.warnings[0].contains("double counts deadweight"));
    }

    #[test]
    fn data_flows_warn_on_dropoff_and_deadweight_and_need_a_timed_key() {
        let m = check(
            r#"
[[outcome]]
id = "income"
stakeholder = "families"
quantity = { data = "families_programme" }
proxy = { data = "income_effect_annual" }
flows = "data"
deadweight = 0.1
dropoff = { dist = "uniform", min = 0.0, max = 0.2 }
"#,
        )
        .unwrap();
        assert_eq!(m.outcomes[0].flows, super::Flows::Data);
        assert_eq!(m.outcomes[0].timed_key(), Some("income_effect_annual"));
        assert_eq!(m.warnings.len(), 2, "{:?}", m.warnings);
        assert!(m.warnings[0].contains("double counts deadweight"));
        assert!(m.warnings[1].contains("double counts fade"));
        let p = super::super::tests::problems(
            r#"
[[outcome]]
id = "wb"
stakeholder = "children"
quantity = { data = "families_doing_well_y1" }
proxy = 100
flows = "data"
duration = 3
[[outcome]]
id = "x"
stakeholder = "children"
quantity = 1
proxy = 100
flows = "model"
"#,
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p[0].contains("outcome[0].duration: with flows = \"data\""),
            "{p:?}"
        );
        assert!(
            p[1].contains("outcome[0].flows = \"data\" needs quantity or proxy"),
            "{p:?}"
        );
        assert!(
            p[2].contains("outcome[1].flows = \"model\" is unknown"),
            "{p:?}"
        );
    }
}
