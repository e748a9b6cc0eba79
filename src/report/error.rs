//! The one error type of the report stage, and the exit code each variant maps to.
//!
//! The report is rendered from files another run wrote, so almost every failure is about
//! a file: which one, and what the user should do (usually run `kinsight run` first).
//! Missing or unreadable files and failed writes are I/O faults (exit 3); files that
//! exist but hold something unexpected, and charts that cannot be drawn from them, are
//! invalid input (exit 1), as docs/outputs.md defines the codes.

use std::path::PathBuf;

use thiserror::Error;

use crate::charts::ChartError;
use crate::output::OutputError;

/// Everything that can go wrong while rendering `report.html` and the charts.
#[derive(Debug, Error)]
pub enum ReportError {
    /// A file the report needs is not in the output folder.
    #[error("{} is missing: {what}; run `kinsight run --out {}` first to compute it", path.display(), out.display())]
    Missing {
        /// The file expected.
        path: PathBuf,
        /// The output folder being rendered.
        out: PathBuf,
        /// What the file holds, for the reader.
        what: &'static str,
    },
    /// Reading a file failed (permissions, disk).
    #[error("could not read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// Writing a report file failed.
    #[error("could not write {}: {message}; check that the folder is writable and the disk not full", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A file exists but cannot be parsed (corrupt Parquet, bad JSON, malformed CSV).
    #[error("{}: {message}; re-run `kinsight run` to rewrite it", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A result table cannot be read as the rows the engine writes (a damaged file, a
    /// missing column, a value of the wrong kind), or reading it failed.
    #[error("{0}; re-run `kinsight run` with this kinsight version to rewrite it")]
    Table(#[from] OutputError),
    /// A chart could not be drawn from the tables.
    #[error("chart {chart}: {source}")]
    Chart {
        /// The chart's file stem.
        chart: &'static str,
        /// The chart layer's error.
        #[source]
        source: ChartError,
    },
}

impl ReportError {
    /// The process exit code for this error: 3 for I/O (missing, unreadable or
    /// unwritable files), 1 for invalid content (parse, column, chart).
    pub fn exit_code(&self) -> i32 {
        match self {
            ReportError::Missing { .. } | ReportError::Read { .. } | ReportError::Write { .. } => 3,
            ReportError::Chart {
                source: ChartError::Io { .. },
                ..
            } => 3,
            ReportError::Table(OutputError::Io { .. }) => 3,
            ReportError::Parse { .. } | ReportError::Chart { .. } | ReportError::Table(_) => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_interface() {
        let missing = ReportError::Missing {
            path: PathBuf::from("out/sroi/summary.json"),
            out: PathBuf::from("out"),
            what: "the SROI results",
        };
        assert_eq!(missing.exit_code(), 3);
        assert_eq!(
            missing.to_string(),
            "out/sroi/summary.json is missing: the SROI results; run `kinsight run --out out` first to compute it"
        );
        let column = ReportError::from(OutputError::Read {
            path: PathBuf::from("t.csv"),
            column: Some("share".into()),
            row: Some(3),
            problem: "\"abc\" is not a number".into(),
        });
        assert_eq!(column.exit_code(), 1);
        assert!(column
            .to_string()
            .starts_with("t.csv: column `share`: row 3"));
        let io = ReportError::from(OutputError::io(
            std::path::Path::new("t.parquet"),
            std::io::Error::other("disk"),
        ));
        assert_eq!(io.exit_code(), 3);
        let chart = ReportError::Chart {
            chart: "tornado",
            source: ChartError::InvalidInput {
                chart: "tornado",
                problem: "x".into(),
            },
        };
        assert_eq!(chart.exit_code(), 1);
        let chart_io = ReportError::Chart {
            chart: "tornado",
            source: ChartError::Io {
                path: PathBuf::from("out/charts"),
                source: std::io::Error::other("disk full"),
            },
        };
        assert_eq!(chart_io.exit_code(), 3);
    }
}
