//! `manifest.json`: what a run read and how (docs/method.md section 7).
//!
//! Engine version, the model file as read, the seed, the dataset's name, row counts
//! read / kept / set aside per table and a content hash of each input file. The time
//! stamp is the only field that differs between two runs on the same inputs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ingest::{InputFile, Quality};

/// Row counts of one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRows {
    pub read: u64,
    pub kept: u64,
    pub set_aside: u64,
}

/// The manifest of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `"kinsight"`: marks a folder as a kinsight output.
    pub engine: String,
    pub engine_version: String,
    /// UTC time the run finished (RFC 3339).
    pub generated_at: String,
    pub command: String,
    pub dataset: String,
    pub data_cutoff: Option<String>,
    pub reporting_currency: Option<String>,
    pub price_year: Option<i32>,
    /// The model file's text exactly as read, if the run used one.
    pub model: Option<String>,
    pub model_path: Option<String>,
    pub seed: Option<u64>,
    /// The checked outcome settings the run used (breakdowns, `min_cell`, bootstrap
    /// replicates, seed, `well_threshold`, `overall_min_domains`), whether they came from
    /// the model file or from flags: without a model file they are recorded nowhere else.
    #[serde(default)]
    pub outcome_settings: Option<crate::settings::OutcomeSettings>,
    pub tables: BTreeMap<String, TableRows>,
    pub inputs: Vec<InputFileEntry>,
    /// Output files written, relative to the output folder.
    pub outputs: Vec<String>,
}

/// One input file with its content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFileEntry {
    pub table: String,
    pub path: String,
    pub sha256: String,
}

impl Manifest {
    /// The current UTC time as `generated_at` records it (RFC 3339, whole seconds).
    pub fn now() -> String {
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// A manifest for `command` over a loaded dataset.
    pub fn new(command: &str, quality: &Quality, inputs: &[InputFile]) -> Self {
        Manifest {
            engine: "kinsight".into(),
            engine_version: env!("CARGO_PKG_VERSION").into(),
            generated_at: Self::now(),
            command: command.into(),
            dataset: quality.dataset.clone(),
            data_cutoff: None,
            reporting_currency: None,
            price_year: None,
            model: None,
            model_path: None,
            seed: None,
            outcome_settings: None,
            tables: quality
                .tables
                .iter()
                .filter(|(_, q)| q.present)
                .map(|(t, q)| {
                    (
                        t.clone(),
                        TableRows {
                            read: q.rows_read,
                            kept: q.rows_kept,
                            set_aside: q.rows_set_aside,
                        },
                    )
                })
                .collect(),
            inputs: inputs
                .iter()
                .map(|i| InputFileEntry {
                    table: i.table.clone(),
                    path: i.path.clone(),
                    sha256: i.sha256.clone(),
                })
                .collect(),
            outputs: Vec::new(),
        }
    }
}
