//! The pipeline's error: one variant per stage, each wrapping that stage's own error.
//!
//! Only the pipeline and the binary know this type. Every lower layer returns its own
//! error (`ingest` its problem list, `outcomes::OutcomeError`, `sroi::SroiError`,
//! `output::OutputError`, `report::ReportError`, …), so no stage imports another through
//! its error type. The binary maps variants to exit codes: 1 invalid data or model,
//! 2 a usage error, 3 I/O.

use std::path::{Path, PathBuf};

use crate::generate::GenerateError;
use crate::ingest::{Problems, Severity};
use crate::outcomes::OutcomeError;
use crate::output::OutputError;
use crate::report::ReportError;
use crate::sroi::SroiError;

use super::PartitionError;

/// Errors of a kinsight command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading the dataset folder failed (it does not exist, or cannot be listed or
    /// read). Check the path given as the dataset.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The dataset has fatal problems; each is listed with file, column, row and what to
    /// fix.
    #[error("the dataset cannot be analysed: {} problem(s) must be fixed first", count_fatal(.0))]
    InvalidDataset(Problems),
    /// The model file does not fit the dataset (currency or price year); the message
    /// names the key and the dataset's value.
    #[error("{0}")]
    InvalidModel(String),
    /// An analysis needs a table or column the dataset lacks; the message says which.
    #[error("{0}")]
    NeedsData(String),
    /// Writing an output file or preparing the output folder failed.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The SROI stage failed: the model file, or its data keys.
    #[error(transparent)]
    Sroi(#[from] SroiError),
    /// The outcome stage was given an option it cannot use (`--by` column, `min_cell`),
    /// or the dataset has no cohort to analyse.
    #[error(transparent)]
    Outcomes(#[from] OutcomeError),
    /// A partial state file for `kinsight merge` is unreadable, of another format
    /// version, or does not belong with the others. Boxed: its variants carry two paths
    /// and would otherwise double the size of every `Result` of the pipeline.
    #[error(transparent)]
    Partition(Box<PartitionError>),
    /// Rendering the charts or `report.html` failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// `kinsight report` over a folder whose last run did not finish: its files are
    /// from before that run, or incomplete. The message names the stage and the error.
    #[error("the last `kinsight {}` into {} did not finish: it stopped while {}{}; fix that and run `kinsight {}` again before rendering the report", failed.command, out.display(), failed.stage, failed.error.as_deref().map(|e| format!(": {e}")).unwrap_or_else(|| " (it was interrupted)".into()), failed.command)]
    FailedRun {
        out: PathBuf,
        failed: Box<super::failed::Failed>,
    },
    /// `kinsight run` could not render the report from the files it had just written:
    /// a fault of kinsight (the message says which file), not of the data; re-running
    /// would not help.
    #[error("drawing the report from the files this run has just written failed: {0}. This is a fault in kinsight, not in your data (re-running will not help): please report it; the tables and sroi/ files are written")]
    ReportOfThisRun(String),
    /// Writing a synthetic dataset failed.
    #[error(transparent)]
    Generate(#[from] GenerateError),
}

fn count_fatal(p: &Problems) -> u64 {
    p.counts()
        .filter(|(_, _, s, _)| *s == Severity::Fatal)
        .map(|(_, _, _, n)| n)
        .sum()
}

impl From<PartitionError> for Error {
    fn from(e: PartitionError) -> Self {
        Error::Partition(Box::new(e))
    }
}

impl Error {
    /// An I/O error at `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether the fault lies in the user's data or model (exit code 1) rather than I/O (3).
    pub fn is_invalid_input(&self) -> bool {
        match self {
            Error::InvalidDataset(_) | Error::NeedsData(_) | Error::InvalidModel(_) => true,
            Error::Sroi(e) => e.is_invalid_input(),
            Error::Outcomes(_) => true,
            Error::Partition(e) => e.is_invalid_input(),
            Error::Report(e) => e.exit_code() == 1,
            Error::FailedRun { failed, .. } => failed.error.is_some(),
            Error::Io { .. }
            | Error::Output(_)
            | Error::Generate(_)
            | Error::ReportOfThisRun(_) => false,
        }
    }

    /// Whether the user asked for something the command cannot do (exit code 2): an
    /// unknown `--by` column, a `min_cell` below 5, partial states computed with
    /// different options, or generator options out of range.
    pub fn is_usage(&self) -> bool {
        match self {
            Error::Outcomes(e) => e.is_usage(),
            Error::Partition(e) => e.is_usage(),
            Error::Generate(e) => e.is_usage(),
            _ => false,
        }
    }
}
