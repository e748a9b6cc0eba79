//! Social return on investment: the impact map, its present value, and how sure we are.
//!
//! This stage receives numbers already measured by the outcome stages (avoided
//! placements, income effects, families doing well: [`data::DataValues`], plus bootstrap
//! replicates of them) and total programme inputs, and never reads case data itself. It
//! follows docs/method.md sections 4-5 (after the Social Value UK guide):
//!
//! - [`model`]: the TOML model file, checked once into a [`model::ValidModel`];
//! - [`distribution`]: the parameter distributions (sample, mean, quantiles);
//! - [`discount`]: present value under a constant rate or the Green Book schedule;
//! - [`impact`]: the deterministic arithmetic (impact, PV, ratio, NPV, payback);
//! - [`sensitivity`]: one-way (tornado), thresholds (ratio = 1) and a two-way grid;
//! - [`monte_carlo`]: seeded parallel joint draws, percentiles, acceptability, EVPI;
//! - [`summary`]: `sroi/summary.json` and [`summary::run_sroi`], the one entry point;
//! - [`draws`] and [`xlsx`]: the `draws.parquet` and `impact_map.xlsx` encoders.
//!
//! The stage reads its model file but writes nothing: [`summary::SroiResult::files`]
//! hands the pipeline the bytes of its three files.
//!
//! Typical use by the pipeline:
//! ```no_run
//! use kinsight::sroi::{data::DataValues, impact::Inputs, model::load_model, summary::run_sroi};
//! # fn main() -> Result<(), kinsight::sroi::SroiError> {
//! let model = load_model(std::path::Path::new("data/sample/model.toml"))?;
//! // Measured by the outcome stages (docs/method.md section 4); see `data` for the keys.
//! let data = DataValues::new()
//!     .with("avoided_placements", 18.0)
//!     .with("cost_per_placement", 9_500.0)
//!     .with("families_programme", 240.0)
//!     .with("income_effect_annual", 420.0)
//!     .with("families_doing_well_y1", 170.0);
//! // Bootstrap replicates of the same keys (may be empty).
//! let replicates: Vec<DataValues> = Vec::new();
//! let result = run_sroi(&model, &data, &replicates, &Inputs::total(200_000.0))?;
//! for (name, bytes) in result.files(&model)? {
//!     std::fs::write(std::path::Path::new("out/sroi").join(name), bytes).ok();
//! }
//! # Ok(()) }
//! ```

pub mod data;
pub mod discount;
pub mod distribution;
pub mod draws;
pub mod impact;
pub mod model;
pub mod monte_carlo;
pub mod sensitivity;
pub mod summary;
pub mod xlsx;

use thiserror::Error;

/// Everything that can go wrong in the SROI stage.
#[derive(Debug, Error)]
pub enum SroiError {
    /// The model file could not be read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The model file is not valid TOML or has unknown keys / wrong types.
    #[error("model file {path}: {message}")]
    ModelSyntax { path: String, message: String },
    /// The model file has values out of range (all of them are listed).
    #[error("model file {path} has {n} problem(s):\n  - {list}", n = problems.len(), list = problems.join("\n  - "))]
    InvalidModel { path: String, problems: Vec<String> },
    /// A data-derived quantity the model references was not supplied.
    #[error("the model references data key `{key}` but {detail}")]
    MissingData { key: String, detail: String },
    /// Inputs that make the ratio undefined.
    #[error("{0}")]
    Inputs(String),
    /// A sensitivity analysis asked for something the model cannot give.
    #[error("{0}")]
    Sensitivity(String),
    /// Encoding `draws.parquet` failed.
    #[error("writing {path}: {message}")]
    Parquet { path: String, message: String },
    /// Building `impact_map.xlsx` failed.
    #[error("writing {path}: {message}")]
    Xlsx { path: String, message: String },
    /// Encoding `summary.json` failed.
    #[error("writing {path}: {message}")]
    Json { path: String, message: String },
}

impl SroiError {
    /// Whether the fault lies in the model file or the data keys (the user can fix it),
    /// rather than in reading the model file or encoding an output.
    pub fn is_invalid_input(&self) -> bool {
        !matches!(
            self,
            SroiError::Io { .. }
                | SroiError::Parquet { .. }
                | SroiError::Xlsx { .. }
                | SroiError::Json { .. }
        )
    }
}
