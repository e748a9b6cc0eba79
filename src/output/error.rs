//! Errors of the output layer: each names the path it concerns.

use std::path::{Path, PathBuf};

/// What can go wrong while writing results.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Creating, writing, flushing or renaming a file or folder failed (disk full, no
    /// permission, a read-only mount). Fix the cause or choose another `--out`.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Encoding a table or document failed (Arrow, Parquet or JSON); the message says
    /// which column or value.
    #[error("writing {}: {message}", path.display())]
    Encode { path: PathBuf, message: String },
    /// A table file does not hold the rows asked for: it is not CSV or Parquet, a column
    /// is missing, or a value is not of the column's type. `row` counts data rows from 1,
    /// as a spreadsheet shows them under the header.
    #[error("{}: {}{problem}", path.display(), place(column.as_deref(), *row))]
    Read {
        path: PathBuf,
        column: Option<String>,
        row: Option<usize>,
        problem: String,
    },
    /// The output folder holds something that is not a previous kinsight run, so it is
    /// not overwritten. Choose another `--out`, or pass `--force` to write into it.
    #[error("refusing to write into {}: {why}; choose another --out or pass --force", path.display())]
    NotOurs { path: PathBuf, why: String },
    /// `--out` names an existing file: the output is a folder of files, so choose a
    /// folder (`--force` does not help: a file is never replaced by a folder).
    #[error("{} is a file, not a folder; --out names the folder the results are written to, so choose another --out", path.display())]
    NotAFolder { path: PathBuf },
}

/// `column `c`: row r: ` (either part only when known).
fn place(column: Option<&str>, row: Option<usize>) -> String {
    let column = column
        .map(|c| format!("column `{c}`: "))
        .unwrap_or_default();
    let row = row.map(|r| format!("row {r}: ")).unwrap_or_default();
    column + &row
}

impl OutputError {
    /// An I/O error at `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        OutputError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// An encoding error of the file at `path`.
    pub fn encode(path: &Path, message: impl std::fmt::Display) -> Self {
        OutputError::Encode {
            path: path.to_path_buf(),
            message: message.to_string(),
        }
    }
}
