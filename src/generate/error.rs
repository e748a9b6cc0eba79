//! Why generating a dataset can fail, in terms a user can act on.

use std::path::PathBuf;

/// Errors of [`crate::generate::generate`].
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// An option is outside its allowed range.
    #[error("invalid generate option `{option}` = {value}: {expected}")]
    InvalidOption {
        option: &'static str,
        value: String,
        expected: String,
    },
    /// A country code has no built-in profile.
    #[error("unknown country `{code}`: the generator knows {known}; pick from those")]
    UnknownCountry { code: String, known: String },
    /// The output folder already holds a dataset file that would be overwritten.
    #[error("output path {path} already exists; choose an empty folder or remove it first")]
    OutputExists { path: PathBuf },
    /// Creating, writing or renaming a file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The Parquet writer refused the data.
    #[error("cannot write Parquet file {path}: {source}")]
    Parquet {
        path: PathBuf,
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// Arrow refused to assemble a record batch (a bug in the generator: please report).
    #[error("cannot build the `{table}` record batch: {source}")]
    Arrow {
        table: &'static str,
        #[source]
        source: arrow::error::ArrowError,
    },
}

impl GenerateError {
    /// Whether the fault lies in what the user asked for (a bad option or country: a
    /// usage error, exit code 2) rather than in the file system (exit code 3). An output folder that already
    /// holds a dataset counts as a file-system problem, like the engine's own output check.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            GenerateError::InvalidOption { .. } | GenerateError::UnknownCountry { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_invalid_input_and_files_are_not() {
        let bad = GenerateError::UnknownCountry {
            code: "ZZ".into(),
            known: "AL".into(),
        };
        assert!(bad.is_usage());
        let exists = GenerateError::OutputExists {
            path: PathBuf::from("x/dataset.toml"),
        };
        assert!(!exists.is_usage());
        assert_eq!(
            exists.to_string(),
            "output path x/dataset.toml already exists; choose an empty folder or remove it first"
        );
    }
}
