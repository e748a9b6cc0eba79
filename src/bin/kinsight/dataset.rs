//! The dataset argument, one convention for every command: `--data DIR`.
//!
//! Earlier versions took the dataset of `validate`, `outcomes`, `sroi` and `partial` as a
//! bare folder (`kinsight validate DIR`) but that of `run` as `--data DIR`. Both forms
//! still work, so scripts keep running, but a bare folder prints a hint to use `--data`.

use std::path::{Path, PathBuf};

use clap::Args;

use super::exit;

/// Where the dataset is.
#[derive(Args, Debug, Clone)]
pub struct Dataset {
    /// Dataset folder: dataset.toml plus one Parquet file (or folder of files) per table.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The dataset folder without `--data` (accepted, with a hint; prefer `--data DIR`).
    #[arg(value_name = "DIR", hide = true)]
    folder: Option<PathBuf>,
}

/// The bundled sample dataset, relative to the working directory (the repository root).
pub const SAMPLE: &str = "data/sample";

impl Dataset {
    /// The dataset folder, or `default` when none is given (`run` falls back on the
    /// bundled sample); prints why and returns the exit code when there is none, or it
    /// does not exist. `quiet` silences the hint about a bare folder.
    pub fn resolve(&self, default: Option<&str>, quiet: bool) -> Result<PathBuf, i32> {
        let dir = match (&self.data, &self.folder) {
            (Some(_), Some(f)) => {
                eprintln!(
                    "kinsight: error: the dataset is given twice (--data and {}); give it once, as --data DIR",
                    f.display()
                );
                return Err(exit::USAGE);
            }
            (Some(d), None) => d.clone(),
            (None, Some(f)) => {
                if !quiet {
                    eprintln!(
                    "kinsight: hint: pass the dataset as `--data {}` (a bare folder is accepted for now)",
                    f.display()
                );
                }
                f.clone()
            }
            (None, None) => match default {
                Some(d) if Path::new(d).is_dir() => PathBuf::from(d),
                Some(d) => {
                    eprintln!(
                        "kinsight: error: no dataset given, and the bundled sample ({d}) is not in this folder; pass --data DIR (the sample lives in data/sample of the kinsight repository)"
                    );
                    return Err(exit::USAGE);
                }
                None => {
                    eprintln!("kinsight: error: no dataset given; pass --data DIR");
                    return Err(exit::USAGE);
                }
            },
        };
        if !dir.is_dir() {
            let what = if dir.exists() {
                "is not a folder"
            } else {
                "does not exist"
            };
            eprintln!(
                "kinsight: error: the dataset folder {} {what}; pass --data DIR with a folder holding dataset.toml",
                dir.display()
            );
            return Err(exit::USAGE);
        }
        Ok(dir)
    }
}
