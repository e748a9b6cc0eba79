//! The SROI model file (TOML): study settings and the impact map, checked once.
//!
//! A model file is where a practitioner's judgement enters the analysis, so every number
//! in it carries a `source` and an `evidence` grade and every mistake is reported with
//! the file, the key path (e.g. `outcome[2].attribution.sd`) and the allowed range, all
//! problems at once. Following linfa's `check() -> Valid...` pattern, [`ModelFile::check`]
//! turns the parsed file into a [`ValidModel`] that the computation trusts without
//! re-validating.
//!
//! A parameter is written as
//! - a plain number: `attribution = 0.3` (evidence `assumed`, no source);
//! - a table with a value: `proxy = { value = 3800, source = "UNICEF 2010", evidence = "published" }`;
//! - a distribution: `attribution = { dist = "beta_mean_sd", mean = 0.3, sd = 0.1, ... }`
//!   (base value = `value` if given, else the distribution's mean), optionally with
//!   explicit `low` / `high` for the one-way analysis;
//! - a data reference: `quantity = { data = "avoided_placements" }` (see
//!   [`super::data::DATA_KEYS`]; evidence defaults to `data`).
//!
//! Distribution parameters: `fixed` (value), `uniform` (min, max), `normal` (mean, sd),
//! `lognormal` (mu, sigma of the logarithm), `beta` (alpha, beta), `beta_mean_sd` (mean,
//! sd), `gamma` (shape, scale), `gamma_mean_sd` (mean, sd), `triangular` and `pert`
//! (min, mode, max).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::data::{DataValues, DATA_KEYS, NET_EFFECT_KEYS};
use super::discount::{Discounting, Schedule};
use super::distribution::{Dist, DistError, DistSpec};
use super::SroiError;

/// Longest outcome duration accepted, in years.
pub const MAX_DURATION: u32 = 200;

/// The smallest `min_cell` disclosure threshold allowed (method.md section 6).
pub const MIN_CELL_FLOOR: u32 = 5;

/// How a parameter's value is known (method.md section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Measured in this dataset.
    Data,
    /// Taken from a cited study.
    Published,
    /// Expert judgement.
    Expert,
    /// Assumed without evidence.
    Assumed,
}

impl Evidence {
    /// Allowed spellings in a model file.
    pub const NAMES: [&'static str; 4] = ["data", "published", "expert", "assumed"];

    fn parse(s: &str) -> Option<Evidence> {
        match s {
            "data" => Some(Evidence::Data),
            "published" => Some(Evidence::Published),
            "expert" => Some(Evidence::Expert),
            "assumed" => Some(Evidence::Assumed),
            _ => None,
        }
    }

    /// The model-file spelling.
    pub fn as_str(&self) -> &'static str {
        Evidence::NAMES[*self as usize]
    }
}

/// One of the seven parameters of an impact-map outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Quantity,
    Proxy,
    Duration,
    Deadweight,
    Displacement,
    Attribution,
    Dropoff,
}

impl Field {
    /// All fields in impact-map order.
    pub const ALL: [Field; 7] = [
        Field::Quantity,
        Field::Proxy,
        Field::Duration,
        Field::Deadweight,
        Field::Displacement,
        Field::Attribution,
        Field::Dropoff,
    ];

    /// The key in a model file and in column names (`outcome_id.<name>`).
    pub fn name(&self) -> &'static str {
        match self {
            Field::Quantity => "quantity",
            Field::Proxy => "proxy",
            Field::Duration => "duration",
            Field::Deadweight => "deadweight",
            Field::Displacement => "displacement",
            Field::Attribution => "attribution",
            Field::Dropoff => "dropoff",
        }
    }

    /// The field as readers see it (charts, report).
    pub fn label(&self) -> &'static str {
        match self {
            Field::Quantity => "Quantity",
            Field::Proxy => "Financial proxy",
            Field::Duration => "Duration",
            Field::Deadweight => "Deadweight",
            Field::Displacement => "Displacement",
            Field::Attribution => "Attribution",
            Field::Dropoff => "Drop-off",
        }
    }

    fn from_name(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == s)
    }

    /// The share-type fields whose impact is linear in `(1 - x)`.
    pub fn is_reduction(&self) -> bool {
        matches!(
            self,
            Field::Deadweight | Field::Displacement | Field::Attribution
        )
    }

    /// The feasible range of the field's value.
    pub fn range(&self) -> (f64, f64) {
        match self {
            Field::Quantity => (0.0, f64::INFINITY),
            Field::Proxy => (f64::NEG_INFINITY, f64::INFINITY),
            Field::Duration => (1.0, MAX_DURATION as f64),
            Field::Deadweight | Field::Displacement | Field::Attribution | Field::Dropoff => {
                (0.0, 1.0)
            }
        }
    }
}

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

/// Identifies one parameter of the model: outcome index and field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamId {
    pub outcome: usize,
    pub field: Field,
}

/// Checked study settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    pub discounting: Discounting,
    /// Discount inputs by year from the first cost year.
    pub discount_inputs: bool,
    /// Horizon H (years after exit) for data-derived effects such as avoided placements.
    pub horizon_years: u32,
    pub seed: u64,
    pub draws: usize,
    pub bootstrap_reps: usize,
    pub min_cell: u32,
    /// Score from which a domain counts as doing well (method.md section 2).
    pub well_threshold: u8,
    /// Domains a family must do well in, and have assessed, to do well overall.
    pub overall_min_domains: usize,
    pub reporting_currency: String,
    pub price_year: i32,
    /// Two parameters for the two-way grid.
    pub two_way: Option<(ParamId, ParamId)>,
    /// Cumulative placement incidence without the programme, by risk level, for years
    /// 1..n (used when there is no comparison arm).
    pub baseline_placement_rate: BTreeMap<String, Vec<f64>>,
}

/// A model that passed every check; the computation trusts it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidModel {
    /// The file it was read from (or a label).
    pub path: String,
    /// The file's text as read (for the run manifest).
    pub text: String,
    pub study: Study,
    pub outcomes: Vec<Outcome>,
    /// Non-fatal concerns, e.g. double counting of deadweight on a data-derived effect.
    pub warnings: Vec<String>,
}

/// What the run manifest records about the model (method.md section 7).
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct ModelManifest {
    /// The file read.
    pub path: String,
    /// SHA-256 of the file's text, lower-case hex.
    pub sha256: String,
    /// The file's text as read.
    pub text: String,
    pub seed: u64,
    pub draws: usize,
    pub bootstrap_reps: usize,
    pub min_cell: u32,
    pub outcomes: Vec<String>,
    pub warnings: Vec<String>,
}

impl ValidModel {
    /// The model's entry in the run manifest.
    pub fn manifest(&self) -> ModelManifest {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(self.text.as_bytes());
        ModelManifest {
            path: self.path.clone(),
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
            text: self.text.clone(),
            seed: self.study.seed,
            draws: self.study.draws,
            bootstrap_reps: self.study.bootstrap_reps,
            min_cell: self.study.min_cell,
            outcomes: self.outcomes.iter().map(|o| o.id.clone()).collect(),
            warnings: self.warnings.clone(),
        }
    }

    /// Every parameter in impact-map order with its column name `outcome_id.field`.
    pub fn parameters(&self) -> Vec<(ParamId, String, &Param)> {
        let mut out = Vec::with_capacity(self.outcomes.len() * Field::ALL.len());
        for (i, o) in self.outcomes.iter().enumerate() {
            for field in Field::ALL {
                out.push((
                    ParamId { outcome: i, field },
                    self.param_name(ParamId { outcome: i, field }),
                    o.param(field),
                ));
            }
        }
        out
    }

    /// The parameter with this id.
    pub fn param(&self, id: ParamId) -> &Param {
        self.outcomes[id.outcome].param(id.field)
    }

    /// Its name, `outcome_id.field`.
    pub fn param_name(&self, id: ParamId) -> String {
        format!("{}.{}", self.outcomes[id.outcome].id, id.field.name())
    }

    /// Its label for readers, e.g. `Attribution, avoided care`.
    pub fn param_label(&self, id: ParamId) -> String {
        format!(
            "{}, {}",
            id.field.label(),
            self.outcomes[id.outcome].id.replace('_', " ")
        )
    }

    /// Look a parameter up by `outcome_id.field`.
    pub fn find_param(&self, name: &str) -> Option<ParamId> {
        find_param(&self.outcomes, name)
    }
}

fn find_param(outcomes: &[Outcome], name: &str) -> Option<ParamId> {
    let (id, field) = name.rsplit_once('.')?;
    let field = Field::from_name(field)?;
    let outcome = outcomes.iter().position(|o| o.id == id)?;
    Some(ParamId { outcome, field })
}

// ---------------------------------------------------------------- raw file

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStudy {
    discount_rate: Option<f64>,
    discount_schedule: Option<String>,
    discount_year1: Option<bool>,
    discount_inputs: Option<bool>,
    horizon_years: Option<i64>,
    seed: Option<i64>,
    draws: Option<i64>,
    bootstrap_reps: Option<i64>,
    min_cell: Option<i64>,
    well_threshold: Option<i64>,
    overall_min_domains: Option<i64>,
    reporting_currency: Option<String>,
    price_year: Option<i64>,
    two_way: Option<Vec<String>>,
    baseline_placement_rate: Option<BTreeMap<String, Vec<f64>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    id: String,
    stakeholder: String,
    #[serde(default)]
    indicator: String,
    quantity: toml::Value,
    proxy: toml::Value,
    duration: toml::Value,
    deadweight: Option<toml::Value>,
    displacement: Option<toml::Value>,
    attribution: Option<toml::Value>,
    dropoff: Option<toml::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    study: RawStudy,
    #[serde(default)]
    outcome: Vec<RawOutcome>,
}

/// A model file parsed for structure (known keys, right types) but not yet checked.
#[derive(Debug, Clone)]
pub struct ModelFile {
    path: String,
    text: String,
    raw: RawModel,
}

/// Read, parse and check a model file in one step.
///
/// # Errors
/// [`SroiError::Io`] if the file cannot be read, [`SroiError::ModelSyntax`] for TOML
/// syntax errors, unknown keys or wrong types, [`SroiError::InvalidModel`] listing every
/// value out of range.
pub fn load_model(path: &Path) -> Result<ValidModel, SroiError> {
    ModelFile::read(path)?.check()
}

impl ModelFile {
    /// Read and parse a model file.
    ///
    /// # Errors
    /// [`SroiError::Io`] or [`SroiError::ModelSyntax`] (names the file, line and key).
    pub fn read(path: &Path) -> Result<ModelFile, SroiError> {
        let text = std::fs::read_to_string(path).map_err(|source| SroiError::Io {
            path: path.display().to_string(),
            source,
        })?;
        ModelFile::parse(&text, &path.display().to_string())
    }

    /// Parse model text; `path` labels error messages.
    ///
    /// # Errors
    /// [`SroiError::ModelSyntax`] for TOML syntax errors, unknown keys (named) or wrong
    /// value types.
    pub fn parse(text: &str, path: &str) -> Result<ModelFile, SroiError> {
        let raw: RawModel = toml::from_str(text).map_err(|e| SroiError::ModelSyntax {
            path: path.to_string(),
            message: e.to_string(),
        })?;
        Ok(ModelFile {
            path: path.to_string(),
            text: text.to_string(),
            raw,
        })
    }

    /// Check every value and build the trusted model.
    ///
    /// # Errors
    /// [`SroiError::InvalidModel`] listing every problem with its key path and allowed
    /// range.
    pub fn check(self) -> Result<ValidModel, SroiError> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let outcomes = check_outcomes(&self.raw.outcome, &mut problems, &mut warnings);
        let study = check_study(&self.raw.study, &outcomes, &mut problems);
        match study {
            Some(study) if problems.is_empty() => Ok(ValidModel {
                path: self.path,
                text: self.text,
                study,
                outcomes,
                warnings,
            }),
            _ => Err(SroiError::InvalidModel {
                path: self.path,
                problems,
            }),
        }
    }
}

fn int_in(
    problems: &mut Vec<String>,
    key: &str,
    v: Option<i64>,
    default: i64,
    lo: i64,
    hi: i64,
    hint: &str,
) -> i64 {
    let v = v.unwrap_or(default);
    if v < lo || v > hi {
        problems.push(format!(
            "{key} = {v} is out of range: use an integer from {lo} to {hi}{hint}"
        ));
    }
    v.clamp(lo, hi)
}

fn check_study(raw: &RawStudy, outcomes: &[Outcome], problems: &mut Vec<String>) -> Option<Study> {
    let schedule = match raw.discount_schedule.as_deref() {
        None | Some("constant") => {
            let r = raw.discount_rate.unwrap_or(0.035);
            if !r.is_finite() || r <= -1.0 {
                problems.push(format!(
                    "study.discount_rate = {r:?} makes every present value infinite or undefined; use a value above -1, e.g. 0.035"
                ));
            } else if r >= 1.0 {
                problems.push(format!(
                    "study.discount_rate = {r} is a rate of {:.0} % a year; give it as a fraction below 1, e.g. 0.035 for 3.5 %",
                    r * 100.0
                ));
            }
            Schedule::Constant(r)
        }
        Some("green_book") => {
            if raw.discount_rate.is_some() {
                problems.push(
                    "study.discount_rate cannot be combined with discount_schedule = \"green_book\" (which sets the rates); remove one".to_string(),
                );
            }
            Schedule::GreenBook
        }
        Some(other) => {
            problems.push(format!(
                "study.discount_schedule = \"{other}\" is unknown; use \"constant\" (with discount_rate) or \"green_book\""
            ));
            Schedule::Constant(0.035)
        }
    };
    let horizon = int_in(
        problems,
        "study.horizon_years",
        raw.horizon_years,
        5,
        1,
        MAX_DURATION as i64,
        "",
    );
    let draws = int_in(
        problems,
        "study.draws",
        raw.draws,
        10_000,
        1,
        10_000_000,
        "",
    );
    let reps = int_in(
        problems,
        "study.bootstrap_reps",
        raw.bootstrap_reps,
        2000,
        0,
        1_000_000,
        "",
    );
    let min_cell = raw.min_cell.unwrap_or(10);
    if min_cell < MIN_CELL_FLOOR as i64 {
        problems.push(format!(
            "study.min_cell = {min_cell} is below {MIN_CELL_FLOOR}: published figures may never rest on fewer than {MIN_CELL_FLOOR} families (default 10)"
        ));
    }
    let well_threshold = int_in(
        problems,
        "study.well_threshold",
        raw.well_threshold,
        3,
        1,
        4,
        " (scores run from 1 to 4; default 3)",
    );
    let overall_min_domains = int_in(
        problems,
        "study.overall_min_domains",
        raw.overall_min_domains,
        6,
        1,
        64,
        " (domains assessed at a sitting; default 6 of the eight)",
    );
    let seed = raw.seed.unwrap_or(1);
    if seed < 0 {
        problems.push(format!(
            "study.seed = {seed} must be a non-negative integer"
        ));
    }
    let currency = match &raw.reporting_currency {
        Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) => c.clone(),
        Some(c) => {
            problems.push(format!(
                "study.reporting_currency = \"{c}\" is not an ISO 4217 code; use three capital letters, e.g. \"EUR\""
            ));
            c.clone()
        }
        None => {
            problems.push("study.reporting_currency is missing; give the ISO 4217 code of the reporting currency, e.g. \"EUR\"".to_string());
            String::new()
        }
    };
    let price_year = match raw.price_year {
        Some(y) if (1900..=2200).contains(&y) => y as i32,
        Some(y) => {
            problems.push(format!(
                "study.price_year = {y} is out of range; use a calendar year from 1900 to 2200"
            ));
            2000
        }
        None => {
            problems.push("study.price_year is missing; give the year whose prices all amounts are expressed in, e.g. 2023".to_string());
            2000
        }
    };
    let two_way = match &raw.two_way {
        None => None,
        Some(names) if names.len() != 2 => {
            problems.push(format!(
                "study.two_way lists {} parameters; give exactly two, e.g. [\"avoided_care.attribution\", \"avoided_care.dropoff\"]",
                names.len()
            ));
            None
        }
        Some(names) => {
            let ids: Vec<Option<ParamId>> = names
                .iter()
                .enumerate()
                .map(|(k, n)| match find_param(outcomes, n) {
                    Some(id) if id.field == Field::Duration => {
                        problems.push(format!("study.two_way[{k}] = \"{n}\": durations are whole years and cannot be gridded; choose another parameter"));
                        None
                    }
                    Some(id) => {
                        let p = outcomes[id.outcome].param(id.field);
                        let certain = p.dist.is_none()
                            && p.data_key().is_none()
                            && (p.low.is_none() || p.high.is_none());
                        if certain {
                            problems.push(format!(
                                "study.two_way[{k}] = \"{n}\" is certain (no distribution, no low/high): give it a distribution or low and high to grid over"
                            ));
                        }
                        Some(id)
                    }
                    None => {
                        problems.push(format!(
                            "study.two_way[{k}] = \"{n}\" names no parameter; use \"<outcome id>.<{}>\"",
                            Field::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join("|")
                        ));
                        None
                    }
                })
                .collect();
            match (ids[0], ids[1]) {
                (Some(a), Some(b)) if a == b => {
                    problems.push(
                        "study.two_way names the same parameter twice; give two different ones"
                            .to_string(),
                    );
                    None
                }
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            }
        }
    };
    let mut baseline = BTreeMap::new();
    if let Some(table) = &raw.baseline_placement_rate {
        for (level, rates) in table {
            let key = format!("study.baseline_placement_rate.{level}");
            if !crate::schema::RISK_LEVELS.contains(&level.as_str()) {
                problems.push(format!(
                    "{key}: unknown risk level; use one of {}",
                    crate::schema::RISK_LEVELS.join(", ")
                ));
            }
            if rates.is_empty() {
                problems.push(format!(
                    "{key} is empty; give cumulative placement rates for years 1, 2, ..."
                ));
            }
            for (k, r) in rates.iter().enumerate() {
                if !(0.0..=1.0).contains(r) {
                    problems.push(format!(
                        "{key}[{k}] = {r} is out of range: a cumulative rate lies in [0, 1]"
                    ));
                }
            }
            if rates.windows(2).any(|w| w[1] < w[0]) {
                problems.push(format!(
                    "{key} decreases; cumulative placement rates by year never fall"
                ));
            }
            baseline.insert(level.clone(), rates.clone());
        }
    }
    Some(Study {
        discounting: Discounting {
            schedule,
            discount_year1: raw.discount_year1.unwrap_or(true),
        },
        discount_inputs: raw.discount_inputs.unwrap_or(false),
        horizon_years: horizon as u32,
        seed: seed.max(0) as u64,
        draws: draws as usize,
        bootstrap_reps: reps as usize,
        min_cell: min_cell.max(0) as u32,
        well_threshold: well_threshold as u8,
        overall_min_domains: overall_min_domains as usize,
        reporting_currency: currency,
        price_year,
        two_way,
        baseline_placement_rate: baseline,
    })
}

fn check_outcomes(
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

/// Source recorded for an omitted deadweight, displacement, attribution or drop-off.
pub const NOT_GIVEN: &str = "not given in the model file: default 0";

/// Source recorded for the omitted deadweight of a data-derived effect.
pub const NET_OF_COUNTERFACTUAL: &str =
    "data-derived effect, already net of the counterfactual (method.md section 4)";

const DIST_NAMES: [&str; 10] = [
    "fixed",
    "uniform",
    "normal",
    "lognormal",
    "beta",
    "beta_mean_sd",
    "gamma",
    "gamma_mean_sd",
    "triangular",
    "pert",
];

fn dist_keys(dist: &str) -> &'static [&'static str] {
    match dist {
        "fixed" => &["value"],
        "uniform" => &["min", "max"],
        "normal" | "beta_mean_sd" | "gamma_mean_sd" => &["mean", "sd"],
        "lognormal" => &["mu", "sigma"],
        "beta" => &["alpha", "beta"],
        "gamma" => &["shape", "scale"],
        "triangular" | "pert" => &["min", "mode", "max"],
        _ => &[],
    }
}

fn as_number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Parse and check one parameter; problems are appended, a placeholder returned.
fn parse_param(at: &str, field: Field, v: &toml::Value, problems: &mut Vec<String>) -> Param {
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
        let dist_name = match t.get("dist") {
            None => None,
            Some(toml::Value::String(s)) if DIST_NAMES.contains(&s.as_str()) => Some(s.as_str()),
            Some(other) => {
                problems.push(format!(
                    "{at}.dist = {other} is unknown; use one of {}",
                    DIST_NAMES.join(", ")
                ));
                None
            }
        };
        let mut allowed: Vec<&str> =
            vec!["value", "dist", "data", "low", "high", "source", "evidence"];
        if let Some(d) = dist_name {
            allowed.extend(dist_keys(d));
        }
        for key in t.keys() {
            if !allowed.contains(&key.as_str()) {
                let why = match dist_name {
                    Some(d) => format!("dist = \"{d}\" takes {}", dist_keys(d).join(", ")),
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
            Some(toml::Value::String(k)) if DATA_KEYS.contains(&k.as_str()) => Some(k.clone()),
            Some(other) => {
                problems.push(format!(
                    "{at}.data = {other} is not a known data key; use one of {}",
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
        } else if dist_name == Some("fixed") {
            match value {
                Some(x) => param.base = Base::Value(x),
                None if !t.contains_key("value") => problems.push(format!(
                    "{at}.value is missing (dist = \"fixed\" needs value)"
                )),
                None => {}
            }
        } else if let Some(d) = dist_name {
            let mut get = |k: &str| -> f64 {
                match num(k, problems) {
                    Some(x) => x,
                    None => {
                        if !t.contains_key(k) {
                            problems.push(format!(
                                "{at}.{k} is missing (dist = \"{d}\" needs {})",
                                dist_keys(d).join(", ")
                            ));
                        }
                        f64::NAN
                    }
                }
            };
            let spec = match d {
                "uniform" => DistSpec::Uniform {
                    min: get("min"),
                    max: get("max"),
                },
                "normal" => DistSpec::Normal {
                    mean: get("mean"),
                    sd: get("sd"),
                },
                "lognormal" => DistSpec::LogNormal {
                    mu: get("mu"),
                    sigma: get("sigma"),
                },
                "beta" => DistSpec::Beta {
                    alpha: get("alpha"),
                    beta: get("beta"),
                },
                "beta_mean_sd" => DistSpec::BetaMeanSd {
                    mean: get("mean"),
                    sd: get("sd"),
                },
                "gamma" => DistSpec::Gamma {
                    shape: get("shape"),
                    scale: get("scale"),
                },
                "gamma_mean_sd" => DistSpec::GammaMeanSd {
                    mean: get("mean"),
                    sd: get("sd"),
                },
                "triangular" => DistSpec::Triangular {
                    min: get("min"),
                    mode: get("mode"),
                    max: get("max"),
                },
                _ => DistSpec::Pert {
                    min: get("min"),
                    mode: get("mode"),
                    max: get("max"),
                },
            };
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
                        other => format!("{at} (dist = \"{d}\") {other}"),
                    }),
                }
            }
            if field == Field::Duration {
                problems.push(format!(
                    "{at}: a duration is a whole number of years and cannot have a distribution; vary it with low/high instead"
                ));
            }
        } else if let Some(x) = value {
            param.base = Base::Value(x);
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
        Field::Duration => "a duration is a whole number of years from 1 to 200",
        Field::Deadweight | Field::Displacement | Field::Attribution => {
            "it is a share in [0, 1): 1 would leave no impact at all"
        }
        Field::Dropoff => "it is a share in [0, 1]",
    };
    let ok = |x: f64| -> bool {
        match field {
            Field::Quantity => x >= 0.0,
            Field::Proxy => x.is_finite(),
            Field::Duration => x.fract() == 0.0 && (1.0..=MAX_DURATION as f64).contains(&x),
            Field::Deadweight | Field::Displacement | Field::Attribution => (0.0..1.0).contains(&x),
            Field::Dropoff => (0.0..=1.0).contains(&x),
        }
    };
    if let Base::Value(x) = p.base {
        if !ok(x) {
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
    use super::*;

    const HEAD: &str = "[study]\nreporting_currency = \"EUR\"\nprice_year = 2023\n";

    fn check(body: &str) -> Result<ValidModel, SroiError> {
        ModelFile::parse(&format!("{HEAD}{body}"), "m.toml")?.check()
    }

    fn problems(body: &str) -> Vec<String> {
        match check(body) {
            Err(SroiError::InvalidModel { problems, .. }) => problems,
            other => panic!("expected invalid model, got {other:?}"),
        }
    }

    const OK_OUTCOME: &str = r#"
[[outcome]]
id = "care"
stakeholder = "state"
quantity = { data = "avoided_placements" }
proxy = { value = 3800, source = "UNICEF 2010", evidence = "published" }
duration = 3
attribution = { dist = "beta_mean_sd", mean = 0.3, sd = 0.1, source = "panel", evidence = "expert" }
dropoff = { dist = "pert", min = 0.05, mode = 0.1, max = 0.3 }
"#;

    #[test]
    fn valid_model_parses_with_defaults() {
        let m = check(OK_OUTCOME).unwrap();
        assert_eq!(m.study.discounting.schedule, Schedule::Constant(0.035));
        assert!(m.study.discounting.discount_year1);
        assert_eq!(
            (m.study.draws, m.study.bootstrap_reps, m.study.min_cell),
            (10_000, 2000, 10)
        );
        let o = &m.outcomes[0];
        assert_eq!(o.quantity.base, Base::Data("avoided_placements".into()));
        assert_eq!(o.quantity.evidence, Evidence::Data);
        assert_eq!(o.deadweight.base, Base::Value(0.0));
        // Omitted deadweight of a data-derived effect is 0 by method, not an assumption.
        assert_eq!(
            (o.deadweight.evidence, o.deadweight.source.as_str()),
            (Evidence::Data, NET_OF_COUNTERFACTUAL)
        );
        assert_eq!(
            (o.displacement.evidence, o.displacement.source.as_str()),
            (Evidence::Assumed, NOT_GIVEN)
        );
        // Base of a distribution without `value` is its mean: PERT (0.05+0.4+0.3)/6 = 0.125.
        assert_eq!(o.dropoff.base, Base::Value(0.125));
        assert_eq!(o.attribution.evidence, Evidence::Expert);
        assert!(m.warnings.is_empty());
        assert_eq!(
            m.find_param("care.dropoff"),
            Some(ParamId {
                outcome: 0,
                field: Field::Dropoff
            })
        );
        assert_eq!(m.parameters().len(), 7);
        assert_eq!(
            m.param_label(ParamId {
                outcome: 0,
                field: Field::Dropoff
            }),
            "Drop-off, care"
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_key_path() {
        let p = problems(
            r#"
[[outcome]]
id = "a"
stakeholder = "state"
quantity = -1
proxy = { value = 10, evidence = "hearsay" }
duration = 2.5
deadweight = 1.0
attribution = { dist = "normal", mean = 0.3, sd = -0.1 }
dropoff = { dist = "triangular", min = 0.3, mode = 0.2, max = 0.5 }

[[outcome]]
id = "a"
stakeholder = "x"
quantity = { data = "avoided_placementz" }
proxy = { dist = "beta_mean_sd", mean = 0.5, sd = 0.6 }
duration = 1
displacement = { dist = "uniform", min = 0.1, max = 0.2, mode = 0.15 }
"#,
        );
        let all = p.join("\n");
        for needle in [
            "outcome[0].quantity = -1",
            "outcome[0].proxy.evidence = \"hearsay\"",
            "outcome[0].duration = 2.5",
            "outcome[0].deadweight = 1 is out of range",
            "outcome[0].attribution.sd = -0.1",
            "outcome[0].dropoff (dist = \"triangular\") needs min < mode < max",
            "outcome[1].id = \"a\" is a duplicate",
            "outcome[1].quantity.data",
            "outcome[1].proxy (dist = \"beta_mean_sd\")",
            "outcome[1].displacement.mode is an unknown key",
        ] {
            assert!(all.contains(needle), "missing {needle:?} in\n{all}");
        }
        assert_eq!(p.len(), 10, "{all}");
    }

    #[test]
    fn study_settings_are_checked() {
        let p = problems(&format!("discount_rate = -1.0\nmin_cell = 3\ntwo_way = [\"care.nope\", \"care.dropoff\"]\n{OK_OUTCOME}"));
        let all = p.join("\n");
        assert!(
            all.contains("discount_rate = -1.0 makes every present value infinite"),
            "{all}"
        );
        assert!(all.contains("use a value above -1, e.g. 0.035"));
        assert!(all.contains("study.min_cell = 3 is below 5"));
        assert!(all.contains("study.two_way[0] = \"care.nope\" names no parameter"));
        let p = problems(&format!(
            "two_way = [\"care.proxy\", \"care.dropoff\"]\n{OK_OUTCOME}"
        ));
        assert!(p[0].contains("\"care.proxy\" is certain"), "{p:?}");
        let e = ModelFile::parse("[study]\nbogus = 1\n", "m.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bogus") && e.contains("m.toml"), "{e}");
        let e = problems(
            "discount_schedule = \"green_book\"\ndiscount_rate = 0.03\n"
                .to_string()
                .as_str(),
        );
        assert!(e.join("\n").contains("cannot be combined"));
    }

    #[test]
    fn outcome_thresholds_default_to_the_method_and_are_range_checked() {
        let m = check(OK_OUTCOME).unwrap();
        assert_eq!(
            (m.study.well_threshold, m.study.overall_min_domains),
            (3, 6)
        );
        let m = check(&format!(
            "well_threshold = 4\noverall_min_domains = 8\n{OK_OUTCOME}"
        ))
        .unwrap();
        assert_eq!(
            (m.study.well_threshold, m.study.overall_min_domains),
            (4, 8)
        );
        let p = problems(&format!(
            "well_threshold = 5\noverall_min_domains = 0\n{OK_OUTCOME}"
        ));
        let all = p.join("\n");
        assert!(
            all.contains("study.well_threshold = 5 is out of range: use an integer from 1 to 4"),
            "{all}"
        );
        assert!(
            all.contains("study.overall_min_domains = 0 is out of range"),
            "{all}"
        );
        assert_eq!(p.len(), 2, "{all}");
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
    fn manifest_hashes_the_text() {
        let m = ModelFile::parse("abc", "x").map(|_| ()).unwrap_err();
        assert!(m.to_string().contains("model file x"));
        let mut v = check(OK_OUTCOME).unwrap();
        v.text = "abc".to_string();
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            v.manifest().sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(v.manifest().outcomes, vec!["care"]);
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
