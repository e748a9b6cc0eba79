//! One model parameter: its base value, uncertainty, one-way range, source and evidence.
//!
//! A parameter is written as
//! - a plain number: `attribution = 0.3` (evidence `assumed`, no source);
//! - a table with a value: `proxy = { value = 3800, source = "UNICEF 2010", evidence = "published" }`;
//! - a distribution: `attribution = { dist = "beta_mean_sd", mean = 0.3, sd = 0.1, ... }`
//!   (base value = `value` if given, else the distribution's mean), optionally with
//!   explicit `low` / `high` for the one-way analysis; the families and their parameters
//!   are those of [`DistKind`];
//! - a data reference: `quantity = { data = "avoided_placements" }` (see
//!   [`crate::sroi::data::DATA_KEYS`]; evidence defaults to `data`).
//!
//! Parsing never stops at the first mistake: every problem is appended with its key path
//! and the placeholder returned lets the rest of the file be checked.

use super::{Evidence, Field, SroiError, MAX_DURATION};
use crate::sroi::data::{is_data_key, DataValues, DATA_KEYS};
use crate::sroi::distribution::{Dist, DistError, DistKind};

/// Where a parameter's base value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Base {
    /// A number written in the model file.
    Value(f64),
    /// A quantity measured in the dataset, by key.
    Data(String),
}

/// One checked model parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The base (deterministic) value or data key.
    pub base: Base,
    /// Its distribution, if uncertain (never `Fixed`: a fixed value is certain).
    pub dist: Option<Dist>,
    /// Explicit one-way low value.
    pub low: Option<f64>,
    /// Explicit one-way high value.
    pub high: Option<f64>,
    /// Where the figure comes from.
    pub source: String,
    /// How it is known.
    pub evidence: Evidence,
}

impl Param {
    /// A certain value (for building models in code and tests).
    pub fn fixed(value: f64, source: &str, evidence: Evidence) -> Param {
        Param {
            base: Base::Value(value),
            dist: None,
            low: None,
            high: None,
            source: source.to_string(),
            evidence,
        }
    }

    /// The base value, looking data references up in `data`.
    ///
    /// # Errors
    /// [`SroiError::MissingData`] when a referenced key was not supplied.
    pub fn base_value(&self, data: &DataValues) -> Result<f64, SroiError> {
        match &self.base {
            Base::Value(v) => Ok(*v),
            Base::Data(key) => data.get(key),
        }
    }

    /// The data key, if this parameter is measured in the dataset.
    pub fn data_key(&self) -> Option<&str> {
        match &self.base {
            Base::Data(k) => Some(k),
            Base::Value(_) => None,
        }
    }
}

/// Identifies one parameter of the model: outcome index and field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamId {
    pub outcome: usize,
    pub field: Field,
}

fn as_number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Parse and check one parameter; problems are appended, a placeholder returned.
pub(super) fn parse_param(
    at: &str,
    field: Field,
    v: &toml::Value,
    problems: &mut Vec<String>,
) -> Param {
    let n0 = problems.len();
    let mut param = Param::fixed(0.0, "", Evidence::Assumed);
    if let Some(x) = as_number(v) {
        param.base = Base::Value(x);
    } else if let toml::Value::Table(t) = v {
        let num = |key: &str, problems: &mut Vec<String>| -> Option<f64> {
            let val = t.get(key)?;
            match as_number(val) {
                Some(x) if x.is_finite() => Some(x),
                _ => {
                    problems.push(format!("{at}.{key} = {val} is not a finite number"));
                    None
                }
            }
        };
        let kind = t.get("dist").and_then(|v| {
            let kind = v.as_str().and_then(DistKind::from_name);
            if kind.is_none() {
                problems.push(format!(
                    "{at}.dist = {v} is unknown; use one of {}",
                    DistKind::all()
                        .map(DistKind::name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            kind
        });
        let missing = |key: &str, kind: DistKind| {
            format!(
                "{at}.{key} is missing (dist = \"{}\" needs {})",
                kind.name(),
                kind.params().join(", ")
            )
        };
        let mut allowed: Vec<&str> =
            vec!["value", "dist", "data", "low", "high", "source", "evidence"];
        if let Some(k) = kind {
            allowed.extend(k.params());
        }
        for key in t.keys() {
            if !allowed.contains(&key.as_str()) {
                let why = match kind {
                    Some(k) => format!("dist = \"{}\" takes {}", k.name(), k.params().join(", ")),
                    None => {
                        "without `dist` only value, data, low, high, source, evidence are allowed"
                            .to_string()
                    }
                };
                problems.push(format!("{at}.{key} is an unknown key ({why})"));
            }
        }
        match t.get("source") {
            None => {}
            Some(toml::Value::String(s)) => param.source = s.clone(),
            Some(other) => problems.push(format!("{at}.source = {other} must be text")),
        }
        let data_key = match t.get("data") {
            None => None,
            Some(toml::Value::String(k)) if is_data_key(k) => Some(k.clone()),
            Some(other) => {
                problems.push(format!(
                    "{at}.data = {other} is not a known data key; use one of {}, or year t of a yearly series (income_effect_y1, avoided_placements_y1, avoided_placements_start_y1, ..)",
                    DATA_KEYS.join(", ")
                ));
                None
            }
        };
        param.evidence = if t.contains_key("data") {
            Evidence::Data
        } else {
            Evidence::Assumed
        };
        match t.get("evidence") {
            None => {}
            Some(toml::Value::String(s)) => match Evidence::parse(s) {
                Some(e) => param.evidence = e,
                None => problems.push(format!(
                    "{at}.evidence = \"{s}\" is unknown; use one of {}",
                    Evidence::NAMES.join(", ")
                )),
            },
            Some(other) => problems.push(format!(
                "{at}.evidence = {other} must be one of {}",
                Evidence::NAMES.join(", ")
            )),
        }
        let value = num("value", problems);
        param.low = num("low", problems);
        param.high = num("high", problems);
        if t.contains_key("data") {
            if t.contains_key("dist") || t.contains_key("value") {
                problems.push(format!(
                    "{at}: a data reference takes its value (and bootstrap uncertainty) from the dataset; remove `dist`/`value`"
                ));
            }
            if field == Field::Duration {
                problems.push(format!(
                    "{at}: a duration is a whole number of years, not a data reference"
                ));
            }
            if let Some(k) = data_key {
                param.base = Base::Data(k);
            }
        } else if kind == Some(DistKind::Fixed) {
            // `value` was read above: a fixed value is certain, the base and no more.
            match value {
                Some(x) => param.base = Base::Value(x),
                None if !t.contains_key("value") => {
                    problems.push(missing("value", DistKind::Fixed))
                }
                None => {}
            }
        } else if let Some(kind) = kind {
            let spec = kind.spec(|k| match num(k, problems) {
                Some(x) => x,
                None => {
                    if !t.contains_key(k) {
                        problems.push(missing(k, kind));
                    }
                    f64::NAN
                }
            });
            if problems.len() == n0 {
                match Dist::new(spec) {
                    Ok(Dist::Fixed(x)) => param.base = Base::Value(x),
                    Ok(dist) => {
                        let (lo, hi) = dist.support();
                        match value {
                            Some(x) if x < lo || x > hi => problems.push(format!(
                                "{at}.value = {x} lies outside the distribution's range [{lo}, {hi}]; give a base value the distribution can take"
                            )),
                            _ => {}
                        }
                        param.base = Base::Value(value.unwrap_or_else(|| dist.mean()));
                        param.dist = Some(dist);
                    }
                    Err(e) => problems.push(match e {
                        DistError::NotFinite { name, value } => {
                            format!("{at}.{name} = {value} is not a finite number")
                        }
                        DistError::NotPositive { name, value } => {
                            format!(
                                "{at}.{name} = {value} is out of range: it must be greater than 0"
                            )
                        }
                        other => format!("{at} (dist = \"{}\") {other}", kind.name()),
                    }),
                }
            }
        } else if let Some(x) = value {
            param.base = Base::Value(x);
            // A range without a distribution is uncertainty too: drawn from
            // triangular(low, value, high) (docs/method.md section 5.5).
            if let (Some(lo), Some(hi)) = (param.low, param.high) {
                // The mode may sit at either end (a one-sided range).
                if lo < hi && (lo..=hi).contains(&x) {
                    param.dist = Some(Dist::Triangular {
                        min: lo,
                        mode: x,
                        max: hi,
                    });
                } else if !(lo..=hi).contains(&x) {
                    problems.push(format!(
                        "{at}.value = {x} lies outside low = {lo} .. high = {hi}; the base value must lie in its range"
                    ));
                }
            }
        } else if !t.contains_key("value") {
            problems.push(format!("{at} needs `value`, `dist` or `data`"));
        }
    } else {
        problems.push(format!(
            "{at} = {v} must be a number or a table (value / dist / data)"
        ));
    }
    if problems.len() == n0 {
        check_range(at, field, &param, problems);
    }
    param
}

fn check_range(at: &str, field: Field, p: &Param, problems: &mut Vec<String>) {
    let rule = match field {
        Field::Quantity => "a quantity must be >= 0",
        Field::Proxy => "a proxy must be a finite amount",
        Field::Duration => "a duration is a number of years from 1 to 200 (its base value whole)",
        Field::Deadweight | Field::Displacement | Field::Attribution => {
            "it is a share in [0, 1): 1 would leave no impact at all"
        }
        Field::Dropoff => "it is a share in [0, 1]",
    };
    let ok = |x: f64| -> bool {
        match field {
            Field::Quantity => x >= 0.0,
            Field::Proxy => x.is_finite(),
            Field::Duration => (1.0..=MAX_DURATION as f64).contains(&x),
            Field::Deadweight | Field::Displacement | Field::Attribution => (0.0..1.0).contains(&x),
            Field::Dropoff => (0.0..=1.0).contains(&x),
        }
    };
    if let Base::Value(x) = p.base {
        if !ok(x) || (field == Field::Duration && x.fract() != 0.0) {
            problems.push(format!("{at} = {x} is out of range: {rule}"));
        }
    }
    for (key, v) in [("low", p.low), ("high", p.high)] {
        if let Some(x) = v {
            let allowed = ok(x) || (field.is_reduction() && x == 1.0);
            if !allowed {
                problems.push(format!("{at}.{key} = {x} is out of range: {rule}"));
            }
        }
    }
    if let (Some(lo), Some(hi)) = (p.low, p.high) {
        if lo > hi {
            problems.push(format!("{at}: low = {lo} is above high = {hi}; swap them"));
        }
    }
    if let Some(d) = &p.dist {
        let suggest = match field {
            Field::Quantity => "e.g. gamma_mean_sd, lognormal, triangular or pert",
            _ => "e.g. beta_mean_sd, uniform, triangular or pert",
        };
        let (lo, hi) = d.support();
        let (flo, fhi) = field.range();
        if lo < flo || hi > fhi {
            problems.push(format!(
                "{at}: dist = \"{}\" can draw values in [{lo}, {hi}] but {rule}; use a distribution within [{flo}, {fhi}] ({suggest})",
                d.name()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::problems;

    #[test]
    fn distribution_messages_name_the_families_and_their_keys() {
        let p = problems(
            r#"
[[outcome]]
id = "a"
stakeholder = "state"
quantity = 10
proxy = 100
duration = 2
attribution = { dist = "weibull" }
dropoff = { dist = "pert", min = 0.1, max = 0.3, shape = 2 }
deadweight = { dist = "fixed" }
"#,
        );
        assert_eq!(
            p,
            [
                "outcome[0].deadweight.value is missing (dist = \"fixed\" needs value)",
                "outcome[0].attribution.dist = \"weibull\" is unknown; use one of fixed, uniform, normal, lognormal, beta, beta_mean_sd, gamma, gamma_mean_sd, triangular, pert",
                "outcome[0].attribution needs `value`, `dist` or `data`",
                "outcome[0].dropoff.shape is an unknown key (dist = \"pert\" takes min, mode, max)",
                "outcome[0].dropoff.mode is missing (dist = \"pert\" needs min, mode, max)",
            ]
        );
    }

    #[test]
    fn fixed_and_base_value_checks() {
        let p = problems(
            r#"
[[outcome]]
id = "a"
stakeholder = "state"
quantity = { dist = "fixed", value = "ten" }
proxy = { dist = "triangular", min = 1, mode = 2, max = 3, value = 5 }
duration = { dist = "fixed" }
"#,
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].contains("outcome[0].quantity.value = \"ten\" is not a finite number"));
        assert!(p[1]
            .contains("outcome[0].proxy.value = 5 lies outside the distribution's range [1, 3]"));
        assert!(p[2].contains("outcome[0].duration.value is missing"));
    }

    #[test]
    fn a_range_without_a_distribution_is_drawn_from_a_triangular() {
        use crate::sroi::distribution::Dist;
        let m = super::super::tests::check(
            r#"
[[outcome]]
id = "a"
stakeholder = "state"
quantity = 10
proxy = 100
duration = { value = 3, low = 2, high = 5 }
attribution = { value = 0.2, low = 0.2, high = 0.4 }
dropoff = { dist = "uniform", min = 0.0, max = 0.2, low = 0.05, high = 0.1 }
"#,
        )
        .unwrap();
        let o = &m.outcomes[0];
        assert_eq!(
            o.duration.dist,
            Some(Dist::Triangular {
                min: 2.0,
                mode: 3.0,
                max: 5.0
            })
        );
        // Mean (2 + 3 + 5) / 3; the base stays the written value.
        assert!((o.duration.dist.as_ref().unwrap().mean() - 10.0 / 3.0).abs() < 1e-12);
        assert_eq!(o.duration.base, super::Base::Value(3.0));
        // The mode may sit at an end of the range.
        assert!(matches!(o.attribution.dist, Some(Dist::Triangular { mode, .. }) if mode == 0.2));
        // A given distribution is kept; low/high stay its one-way range.
        assert!(matches!(o.dropoff.dist, Some(Dist::Uniform { .. })));
        let p = super::super::tests::problems(
            r#"
[[outcome]]
id = "a"
stakeholder = "state"
quantity = 10
proxy = 100
duration = { value = 6, low = 2, high = 5 }
"#,
        );
        assert!(
            p[0].contains("outcome[0].duration.value = 6 lies outside low = 2 .. high = 5"),
            "{p:?}"
        );
    }

    #[test]
    fn unbounded_distribution_for_a_share_is_rejected() {
        let p = problems(
            r#"
[[outcome]]
id = "a"
stakeholder = "state"
quantity = 10
proxy = 100
duration = 2
attribution = { dist = "normal", mean = 0.3, sd = 0.1 }
"#,
        );
        assert!(
            p[0].contains("outcome[0].attribution: dist = \"normal\" can draw values"),
            "{p:?}"
        );
    }
}
