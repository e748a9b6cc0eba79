//! `failed.json`: the mark of a run that did not finish.
//!
//! A run writes `failed.json` into its output folder as soon as the folder is prepared,
//! rewrites it at every stage (so a run killed part-way names the stage it was in),
//! records the error when a stage fails, and removes it when the run completes. The
//! file marks the folder as kinsight's (`"engine": "kinsight"`), so the corrected re-run
//! into the same `--out` is accepted although no `manifest.json` was written yet; and
//! `kinsight report` over such a folder says which stage failed and why, instead of
//! complaining about the files the failed run left behind.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::output::{self, Manifest};

/// The file's name in the output folder (the output layer's marker of an unfinished run).
pub const FAILED_FILE: &str = output::UNFINISHED;

/// What `failed.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failed {
    /// Always `"kinsight"`: marks the folder as a kinsight output.
    pub engine: String,
    pub engine_version: String,
    /// The command (`run`, `outcomes`, `sroi`).
    pub command: String,
    /// The stage the run was in when it stopped.
    pub stage: String,
    /// The error, or `null` when the run was stopped from outside (killed, power cut).
    pub error: Option<String>,
    /// UTC time of the last update.
    pub updated_at: String,
    /// The files of the run before this one, which the run removes when it finishes if
    /// it does not write them again (noted by `output::prepare_out_dir`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_outputs: Vec<String>,
}

/// Read `failed.json` of `out`, if there is one of kinsight's.
pub fn read(out: &Path) -> Option<Failed> {
    let text = std::fs::read_to_string(out.join(FAILED_FILE)).ok()?;
    serde_json::from_str::<Failed>(&text)
        .ok()
        .filter(|f| f.engine == "kinsight")
}

/// Keeps `failed.json` up to date while a command runs.
pub(super) struct Tracker<'a> {
    out: PathBuf,
    command: &'static str,
    stage: RefCell<String>,
    previous: Vec<String>,
    step: &'a dyn Fn(&str),
}

impl<'a> Tracker<'a> {
    /// Start tracking a run of `command` into `out` (already prepared).
    pub fn start(out: &Path, command: &'static str, step: &'a dyn Fn(&str)) -> Self {
        let t = Tracker {
            out: out.to_path_buf(),
            command,
            stage: RefCell::new("preparing the output folder".into()),
            previous: output::previous_outputs(out),
            step,
        };
        t.write(None);
        t
    }

    /// Enter a stage: tell the progress callback and record it.
    pub fn step(&self, stage: &str) {
        (self.step)(stage);
        *self.stage.borrow_mut() = stage.to_string();
        self.write(None);
    }

    fn write(&self, error: Option<String>) {
        let f = Failed {
            engine: "kinsight".into(),
            engine_version: env!("CARGO_PKG_VERSION").into(),
            command: self.command.into(),
            stage: self.stage.borrow().clone(),
            error,
            updated_at: Manifest::now(),
            previous_outputs: self.previous.clone(),
        };
        // Best effort: a folder that cannot take this file will fail the run anyway,
        // with the error of the file the run could not write.
        let _ = output::write_json(&self.out.join(FAILED_FILE), &f);
    }

    /// The run's outcome: on failure `failed.json` records the stage and the error; on
    /// success it is removed.
    pub fn finish<T, E: std::fmt::Display>(&self, result: Result<T, E>) -> Result<T, E> {
        match &result {
            Ok(_) => {
                let _ = std::fs::remove_file(self.out.join(FAILED_FILE));
            }
            Err(e) => self.write(Some(e.to_string())),
        }
        result
    }
}
