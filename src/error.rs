//! The library's one error type.
//!
//! Every variant names what the user can act on: the file, the key or the problem list.
//! The binary maps variants to exit codes (1 invalid data or model, 3 I/O).

use std::path::{Path, PathBuf};

use crate::ingest::Problems;

/// Errors of the kinsight library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The dataset has fatal problems; each is listed.
    #[error("the dataset cannot be analysed: {} problem(s) must be fixed first", count_fatal(.0))]
    InvalidDataset(Problems),
    /// The output folder holds something that is not a previous kinsight run.
    #[error("refusing to write into {}: {why}; choose another --out or pass --force", path.display())]
    OutputNotOurs { path: PathBuf, why: String },
    /// An analysis needs a table or column the dataset lacks.
    #[error("{0}")]
    NeedsData(String),
    /// A problem in the model file, naming file, key and allowed range.
    #[error("{0}")]
    InvalidModel(String),
    /// Writing a Parquet or Arrow output failed.
    #[error("writing {path}: {message}")]
    Write { path: PathBuf, message: String },
    /// The SROI stage failed: the model file, its data keys, or writing `sroi/`.
    #[error(transparent)]
    Sroi(#[from] crate::sroi::SroiError),
    /// The outcome stage was given an option it cannot use (`--by` column, `min_cell`),
    /// or the dataset has no cohort to analyse.
    #[error(transparent)]
    Outcomes(#[from] crate::outcomes::OutcomeError),
    /// A partial state file for `kinsight merge` is unreadable, of another format
    /// version, or does not belong with the others. Boxed: its variants carry two paths
    /// and would otherwise double the size of every `Result` of the library.
    #[error(transparent)]
    Partition(Box<crate::pipeline::PartitionError>),
    /// Rendering the charts or `report.html` failed.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
}

fn count_fatal(p: &Problems) -> u64 {
    p.counts()
        .filter(|(_, _, s, _)| *s == crate::ingest::Severity::Fatal)
        .map(|(_, _, _, n)| n)
        .sum()
}

impl From<crate::pipeline::PartitionError> for Error {
    fn from(e: crate::pipeline::PartitionError) -> Self {
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
        use crate::sroi::SroiError as S;
        match self {
            Error::InvalidDataset(_) | Error::NeedsData(_) | Error::InvalidModel(_) => true,
            Error::Sroi(e) => !matches!(
                e,
                S::Io { .. } | S::Parquet { .. } | S::Xlsx { .. } | S::Json { .. }
            ),
            Error::Outcomes(_) => true,
            Error::Partition(e) => e.is_invalid_input(),
            Error::Report(e) => e.exit_code() == 1,
            Error::Io { .. } | Error::OutputNotOurs { .. } | Error::Write { .. } => false,
        }
    }

    /// Whether the user asked for something the command cannot do (exit code 2): an
    /// unknown `--by` column, a `min_cell` below 5, or partial states computed with
    /// different options.
    pub fn is_usage(&self) -> bool {
        match self {
            Error::Outcomes(e) => e.is_usage(),
            Error::Partition(e) => e.is_usage(),
            _ => false,
        }
    }
}
