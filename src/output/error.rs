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
    /// The output folder holds something that is not a previous kinsight run, so it is
    /// not overwritten. Choose another `--out`, or pass `--force` to write into it.
    #[error("refusing to write into {}: {why}; choose another --out or pass --force", path.display())]
    NotOurs { path: PathBuf, why: String },
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
