//! Partitions computed apart: `kinsight partial` stores one partition's outcome state
//! in a file, `kinsight merge` reads such files, checks that they belong together,
//! merges them and writes the tables `kinsight outcomes` writes for the whole.
//!
//! This is how a caseload too large for one machine (or one that is kept per country)
//! runs on whatever runs processes: a shell loop, a batch scheduler, Spark tasks. The
//! state merges exactly ([`OutcomePartial::merge`]), so the tables equal those of one
//! pass; what a worker cannot see is checked at the merge: the partitions must have
//! been computed with the same kinsight version and options from datasets with the
//! same cut-off, currency and price year, and must not share families.
//!
//! File format (version [`FORMAT_VERSION`]): one JSON object, fields in this order:
//! `format` (always [`FORMAT`]), `format_version`, `kinsight_version`, `manifest` (the
//! partition's manifest: dataset, cut-off, currency, price year, row counts, input
//! files with their hashes) and `state` (the serialised [`OutcomePartial`], see
//! `outcomes/wire.rs`). Floats are written so that they read back bit for bit.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::outcomes::{self, OutcomePartial};
use crate::output::{self, Manifest, OutputError};
use crate::settings::OutcomeSettings;

use super::{
    headline_lines, outcome_options, read_model, resolve_settings, usable, validate,
    write_outcome_tables, Done, Error, Formats, Job,
};

/// The `format` field of a partial state file.
pub const FORMAT: &str = "kinsight-outcome-partial";
/// The version of the file layout; a reader accepts only its own.
pub const FORMAT_VERSION: u32 = 2;

/// What can go wrong with partial state files, naming the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum PartitionError {
    /// The file cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a complete partial state (truncated, damaged or another file).
    #[error("{}: not a complete kinsight partial state file ({detail}); it may be truncated or damaged: write it again with `kinsight partial`", path.display())]
    Corrupt { path: PathBuf, detail: String },
    /// The file was written in another layout version.
    #[error("{}: partial state format version {found} (written by kinsight {written_by}), but this kinsight ({}) reads version {FORMAT_VERSION}: compute the partition again with this version's `kinsight partial`", path.display(), env!("CARGO_PKG_VERSION"))]
    Version {
        path: PathBuf,
        found: u32,
        written_by: String,
    },
    /// Two files were computed with different options (exit 2: a usage error).
    #[error("{} and {} cannot be merged: {what} is {this} in the first and {other} in the second; compute every partition with the same options (--by, --min-cell, --seed, --bootstrap-reps or --model)", first.display(), path.display())]
    Settings {
        first: PathBuf,
        path: PathBuf,
        what: &'static str,
        this: String,
        other: String,
    },
    /// Two files come from datasets or engines that do not belong together.
    #[error("{} and {} cannot be merged: {what} is {this} in the first and {other} in the second; {fix}", first.display(), path.display())]
    Mismatch {
        first: PathBuf,
        path: PathBuf,
        what: &'static str,
        this: String,
        other: String,
        fix: &'static str,
    },
    /// The same families are in two partitions.
    #[error("{} and {} share {count} families (the same family id in both; found among families with income data): every family must be in exactly one partition, with all its rows", first.display(), path.display())]
    SharedFamilies {
        first: PathBuf,
        path: PathBuf,
        count: u64,
    },
}

impl PartitionError {
    /// Whether the fault is the caller's options (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, PartitionError::Settings { .. })
    }

    /// Whether the fault lies in the files given (exit code 1) rather than I/O (3).
    pub fn is_invalid_input(&self) -> bool {
        !matches!(self, PartitionError::Read { .. })
    }
}

/// The leading fields, read first so that another version is reported as such rather
/// than as whatever part of its state no longer parses.
#[derive(Deserialize)]
struct Header {
    format: String,
    format_version: u32,
    #[serde(default)]
    kinsight_version: String,
}

/// A partial state file.
#[derive(Serialize, Deserialize)]
pub struct PartialFile {
    format: String,
    format_version: u32,
    /// The kinsight that computed the state: partitions merge only within one version.
    pub kinsight_version: String,
    /// The partition's manifest (dataset, cut-off, currency, rows, input files).
    pub manifest: Manifest,
    /// The outcome state of the partition's families.
    pub state: OutcomePartial,
}

impl PartialFile {
    /// A file of this kinsight's version.
    pub fn new(manifest: Manifest, state: OutcomePartial) -> Self {
        Self {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            kinsight_version: env!("CARGO_PKG_VERSION").into(),
            manifest,
            state,
        }
    }

    /// Write the file atomically (compact JSON).
    ///
    /// # Errors
    /// [`OutputError`] naming the path.
    pub fn write(&self, path: &Path) -> Result<(), OutputError> {
        let bytes = serde_json::to_vec(self).map_err(|e| OutputError::encode(path, e))?;
        output::write_atomic(path, &bytes)
    }

    /// Read a file written by [`PartialFile::write`].
    ///
    /// # Errors
    /// [`Error::Partition`] with [`PartitionError::Read`], [`PartitionError::Corrupt`] or
    /// [`PartitionError::Version`].
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = fs::read(path).map_err(|source| PartitionError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let corrupt = |detail: String| PartitionError::Corrupt {
            path: path.to_path_buf(),
            detail,
        };
        let header: Header = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if header.format != FORMAT {
            return Err(corrupt(format!("its format is \"{}\"", header.format)).into());
        }
        if header.format_version != FORMAT_VERSION {
            return Err(PartitionError::Version {
                path: path.to_path_buf(),
                found: header.format_version,
                written_by: header.kinsight_version,
            }
            .into());
        }
        Ok(serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?)
    }
}

/// Whether `path` may be (over)written with a partial state: it does not exist or is one.
fn may_write(path: &Path) -> bool {
    let prefix = format!("{{\"format\":\"{FORMAT}\"");
    match fs::read(path) {
        Ok(bytes) => bytes.starts_with(prefix.as_bytes()),
        Err(_) => !path.exists(),
    }
}

/// `kinsight partial`: the outcome state of one partition (a dataset folder), written to
/// `job.out` as a file for [`merge`].
///
/// # Errors
/// Invalid dataset, an outcome option out of range, or a write failure.
pub fn partial_only(job: &Job, step: &dyn Fn(&str)) -> Result<Done, Error> {
    if !job.force && !may_write(&job.out) {
        return Err(OutputError::NotOurs {
            path: job.out.clone(),
            why: "it exists and is not a kinsight partial state file".into(),
        }
        .into());
    }
    let model = match &job.model {
        Some(_) => Some(read_model(job)?),
        None => None,
    };
    step("reading and validating the dataset");
    let loaded = validate(&job.data)?;
    let (ds, mut manifest) = usable(&loaded, "partial")?;
    let opts = outcome_options(job, &resolve_settings(job, model.as_ref()));
    step("computing the partial outcome state");
    let mut state = outcomes::partial(ds, &opts, 0..ds.families.len())?;
    state.note_missing_tables(ds);
    manifest.seed = Some(state.settings().seed);
    manifest.outcome_settings = Some(state.settings().clone());
    if let Some(m) = &model {
        manifest.model = Some(m.text.clone());
        manifest.model_path = Some(m.path.clone());
    }
    // Input paths as the merge will list them: under this partition's folder.
    for i in &mut manifest.inputs {
        i.path = job.data.join(&i.path).display().to_string();
    }
    let cohort = state.cohort_families();
    PartialFile::new(manifest, state).write(&job.out)?;
    Ok(Done {
        lines: vec![
            format!(
                "{}: {} families, {cohort} with an exit (the cohort)",
                ds.meta.name,
                ds.families.len()
            ),
            format!("wrote {}", job.out.display()),
        ],
        outputs: vec![job.out.display().to_string()],
    })
}

/// The first setting in which `a` and `b` differ, with both values.
fn settings_diff(
    a: &OutcomeSettings,
    b: &OutcomeSettings,
) -> Option<(&'static str, String, String)> {
    let pair = |what, x: String, y: String| (x != y).then_some((what, x, y));
    let by = |s: &OutcomeSettings| match s.by.join(",") {
        b if b.is_empty() => "not given".to_string(),
        b => b,
    };
    pair("--by", by(a), by(b))
        .or_else(|| pair("min_cell", a.min_cell.to_string(), b.min_cell.to_string()))
        .or_else(|| pair("seed", a.seed.to_string(), b.seed.to_string()))
        .or_else(|| {
            pair(
                "bootstrap_reps",
                a.bootstrap_reps.to_string(),
                b.bootstrap_reps.to_string(),
            )
        })
        .or_else(|| {
            pair(
                "well_threshold",
                a.well_threshold.to_string(),
                b.well_threshold.to_string(),
            )
        })
        .or_else(|| {
            pair(
                "overall_min_domains",
                a.overall_min_domains.to_string(),
                b.overall_min_domains.to_string(),
            )
        })
}

/// Check that `f` (read from `path`) may be merged with `first` (read from `first_path`).
fn check_compatible(
    first: &PartialFile,
    first_path: &Path,
    f: &PartialFile,
    path: &Path,
) -> Result<(), Error> {
    if let Some((what, this, other)) = settings_diff(first.state.settings(), f.state.settings()) {
        return Err(PartitionError::Settings {
            first: first_path.to_path_buf(),
            path: path.to_path_buf(),
            what,
            this,
            other,
        }
        .into());
    }
    let (a, b) = (&first.manifest, &f.manifest);
    let show = |v: Option<String>| v.unwrap_or_else(|| "not set".into());
    let checks: [(&'static str, String, String, &'static str); 5] = [
        (
            "the kinsight version",
            first.kinsight_version.clone(),
            f.kinsight_version.clone(),
            "compute every partition with the same kinsight version",
        ),
        (
            "data_cutoff",
            show(a.data_cutoff.clone()),
            show(b.data_cutoff.clone()),
            "follow-up is measured to the cut-off: give every partition's dataset.toml the same data_cutoff",
        ),
        (
            "reporting_currency",
            show(a.reporting_currency.clone()),
            show(b.reporting_currency.clone()),
            "incomes are converted at ingest: give every partition's dataset.toml the same reporting_currency",
        ),
        (
            "price_year",
            show(a.price_year.map(|y| y.to_string())),
            show(b.price_year.map(|y| y.to_string())),
            "incomes are deflated at ingest: give every partition's dataset.toml the same price_year",
        ),
        (
            "the reference tables exchange_rates and price_index (by content hash)",
            conversion_tables(a),
            conversion_tables(b),
            "incomes are converted with them at ingest: give every partition the same reference/ folder",
        ),
    ];
    for (what, this, other, fix) in checks {
        if this != other {
            return Err(PartitionError::Mismatch {
                first: first_path.to_path_buf(),
                path: path.to_path_buf(),
                what,
                this,
                other,
                fix,
            }
            .into());
        }
    }
    Ok(())
}

/// The content hashes of the reference tables incomes are converted with, abbreviated.
fn conversion_tables(m: &Manifest) -> String {
    let mut v: Vec<String> = m
        .inputs
        .iter()
        .filter(|i| i.table == "exchange_rates" || i.table == "price_index")
        .map(|i| format!("{} {}", i.table, &i.sha256[..i.sha256.len().min(12)]))
        .collect();
    v.sort_unstable();
    if v.is_empty() {
        "absent".into()
    } else {
        v.join(", ")
    }
}

/// Families found in two files: the pair of files with the most shared keys, if any.
/// `keys` holds (family key, file index).
fn shared_families(mut keys: Vec<(u64, usize)>) -> Option<(usize, usize, u64)> {
    keys.sort_unstable();
    let mut pairs: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for w in keys.windows(2) {
        if w[0].0 == w[1].0 && w[0].1 != w[1].1 {
            *pairs.entry((w[0].1, w[1].1)).or_default() += 1;
        }
    }
    pairs
        .into_iter()
        .max_by_key(|&(pair, n)| (n, std::cmp::Reverse(pair)))
        .map(|((a, b), n)| (a, b, n))
}

/// `kinsight merge`: merge partial state files and write the outcome tables of the whole
/// into `out/tables`, with a `manifest.json` listing every partition's inputs.
///
/// # Errors
/// A file that cannot be read or is not a partial state of this format version, files
/// that do not belong together (options, version, cut-off, currency, price year, shared
/// families), an empty cohort, or a write failure.
pub fn merge(
    files: &[PathBuf],
    out: &Path,
    formats: Formats,
    force: bool,
    step: &dyn Fn(&str),
) -> Result<Done, Error> {
    let out = output::prepare_out_dir(out, force)?;
    let mut merged: Option<(PartialFile, &Path)> = None;
    let mut keys: Vec<(u64, usize)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut tables: BTreeMap<String, output::TableRows> = BTreeMap::new();
    let mut inputs = Vec::new();
    for (i, path) in files.iter().enumerate() {
        step(&format!("reading {}", path.display()));
        let f = PartialFile::read(path)?;
        keys.extend(f.state.family_keys().into_iter().map(|k| (k, i)));
        if !names.contains(&f.manifest.dataset) {
            names.push(f.manifest.dataset.clone());
        }
        for (t, r) in &f.manifest.tables {
            let e = tables.entry(t.clone()).or_insert(output::TableRows {
                read: 0,
                kept: 0,
                set_aside: 0,
            });
            e.read += r.read;
            e.kept += r.kept;
            e.set_aside += r.set_aside;
        }
        inputs.extend(f.manifest.inputs.iter().cloned());
        match &mut merged {
            None => merged = Some((f, path)),
            Some((acc, first)) => {
                check_compatible(acc, first, &f, path)?;
                acc.state.merge(f.state)?;
            }
        }
    }
    if let Some((a, b, count)) = shared_families(keys) {
        return Err(PartitionError::SharedFamilies {
            first: files[a].clone(),
            path: files[b].clone(),
            count,
        }
        .into());
    }
    let Some((acc, _)) = merged else {
        return Err(Error::NeedsData(
            "kinsight merge needs at least one partial state file".into(),
        ));
    };
    step("computing the tables");
    let cohort = acc.state.cohort_families();
    let outcomes = acc.state.finish()?;
    let mut manifest = Manifest {
        command: "merge".into(),
        dataset: names.join(" + "),
        generated_at: Manifest::now(),
        engine_version: env!("CARGO_PKG_VERSION").into(),
        tables,
        inputs,
        ..acc.manifest
    };
    let written =
        write_outcome_tables(&outcomes, &out.join("tables"), formats.csv, formats.parquet)?;
    let mut outputs = vec!["manifest.json".to_string()];
    outputs.extend(written.into_iter().map(|f| format!("tables/{f}")));
    manifest.outputs = outputs.clone();
    output::write_json(&out.join("manifest.json"), &manifest)?;
    let currency = manifest.reporting_currency.clone().unwrap_or_default();
    let mut lines = vec![format!(
        "merged {} partial states: {cohort} families with an exit",
        files.len()
    )];
    lines.extend(headline_lines(&outcomes.headline, &currency));
    lines.push(format!("wrote {}", out.display()));
    Ok(Done { lines, outputs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_families_names_the_pair_sharing_most() {
        assert_eq!(shared_families(vec![(1, 0), (2, 1), (3, 2)]), None);
        let keys = vec![(5, 0), (5, 2), (7, 1), (7, 2), (9, 2), (9, 1), (4, 0)];
        assert_eq!(shared_families(keys), Some((1, 2, 2)));
    }

    #[test]
    fn settings_diff_names_the_first_difference() {
        let a = outcomes::OutcomeOptions::new().check().unwrap();
        let b = outcomes::OutcomeOptions::new()
            .with_seed(4)
            .with_min_cell(12)
            .check()
            .unwrap();
        assert_eq!(settings_diff(&a, &a), None);
        assert_eq!(
            settings_diff(&a, &b),
            Some(("min_cell", "10".to_string(), "12".to_string()))
        );
    }
}
