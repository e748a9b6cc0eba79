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
use crate::sroi::data::NET_EFFECT_KEYS;

/// Source recorded for an omitted deadweight, displacement, attribution or drop-off.
pub const NOT_GIVEN: &str = "not given in the model file: default 0";

/// Source recorded for the omitted deadweight of a data-derived effect.
pub const NET_OF_COUNTERFACTUAL: &str =
    "data-derived effect, already net of the counterfactual (docs/method.md section 4)";

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
}

impl Outcome {
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
            duration: p(Field::Duration, Some(&o.duration)),
            deadweight: p(Field::Deadweight, o.deadweight.as_ref()),
            displacement: p(Field::Displacement, o.displacement.as_ref()),
            attribution: p(Field::Attribution, o.attribution.as_ref()),
            dropoff: p(Field::Dropoff, o.dropoff.as_ref()),
        };
        let data_derived = [&outcome.quantity, &outcome.proxy]
            .iter()
            .any(|p| p.data_key().is_some_and(|k| NET_EFFECT_KEYS.contains(&k)));
        let mut outcome = outcome;
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
}
