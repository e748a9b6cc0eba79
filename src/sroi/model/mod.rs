//! The SROI model file (TOML): study settings and the impact map, checked once.
//!
//! A model file is where a practitioner's judgement enters the analysis, so every number
//! in it carries a `source` and an `evidence` grade and every mistake is reported with
//! the file, the key path (e.g. `outcome[2].attribution.sd`) and the allowed range, all
//! problems at once. Following linfa's `check() -> Valid...` pattern, [`ModelFile::check`]
//! turns the parsed file into a [`ValidModel`] that the computation trusts without
//! re-validating.
//!
//! One file per concept: [`raw`] is the file as serde reads it, [`study`] the `[study]`
//! settings, [`outcome`] the impact map's rows, [`parameter`] one parameter (number,
//! table, distribution or data reference), [`field`] and [`evidence`] the names and
//! grades they use. This module holds the checked model and the entry points.

mod evidence;
mod field;
mod outcome;
mod parameter;
mod raw;
mod study;

use std::path::Path;

use serde::Deserialize;

pub use evidence::Evidence;
pub use field::{Field, MAX_DURATION};
pub use outcome::{Outcome, NET_OF_COUNTERFACTUAL, NOT_GIVEN};
pub use parameter::{Base, Param, ParamId};
pub use study::{Study, MIN_CELL_FLOOR};

use super::SroiError;
use raw::RawModel;

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

/// What the run manifest records about the model (docs/method.md section 7).
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
        outcome::find_param(&self.outcomes, name)
    }
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
        let outcomes = outcome::check_outcomes(&self.raw.outcome, &mut problems, &mut warnings);
        let study = study::check_study(&self.raw.study, &outcomes, &mut problems);
        if problems.is_empty() {
            Ok(ValidModel {
                path: self.path,
                text: self.text,
                study,
                outcomes,
                warnings,
            })
        } else {
            Err(SroiError::InvalidModel {
                path: self.path,
                problems,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::discount::Schedule;

    const HEAD: &str = "[study]\nreporting_currency = \"EUR\"\nprice_year = 2023\n";

    pub(super) fn check(body: &str) -> Result<ValidModel, SroiError> {
        ModelFile::parse(&format!("{HEAD}{body}"), "m.toml")?.check()
    }

    pub(super) fn problems(body: &str) -> Vec<String> {
        match check(body) {
            Err(SroiError::InvalidModel { problems, .. }) => problems,
            other => panic!("expected invalid model, got {other:?}"),
        }
    }

    pub(super) const OK_OUTCOME: &str = r#"
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
}
