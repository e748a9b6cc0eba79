//! Synthetic family-strengthening datasets that follow the input contract.
//!
//! `kinsight generate` needs data that make the analyses meaningful without being
//! trivially perfect: programmes that help most families but not all, gains that fade,
//! placements that are rare in the programme and commoner without it, follow-up
//! non-response that depends on who the family is (so unweighted shares are biased and
//! weighting helps), incomes and costs in six currencies. The model and its calibration
//! to published figures live in [`calibration`]; `data/README.md` documents both. The
//! arms are formed at random or, on request, by need ([`selection`]), and every run
//! writes the true programme effects it built in ([`truth`]) beside the data.
//!
//! How a run works: families are simulated in fixed chunks of
//! [`options::CHUNK_FAMILIES`], each from its own pair of random streams (latent
//! outcomes and response decisions apart), a window of chunks at a time in parallel with
//! rayon; the chunks' rows become Arrow batches, which are streamed in chunk order into
//! one Parquet writer per table. Output is therefore byte-identical for a seed on any
//! number of threads, and memory is bounded by the window, not the dataset.
//!
//! ```no_run
//! use kinsight::generate::{generate, GenerateOptions};
//! let summary = generate(&GenerateOptions::new(3000, 42, "out/synthetic").with_countries(&["AL", "RO"]))?;
//! println!("{} assessment rows", summary.rows("assessments").unwrap_or(0));
//! # Ok::<(), kinsight::generate::GenerateError>(())
//! ```

pub mod batch;
pub mod calibration;
pub mod care;
pub mod chunk;
pub mod country;
pub mod draw;
mod error;
pub mod family;
pub mod income;
pub mod options;
pub mod programme_costs;
pub mod reference;
pub mod response;
pub mod rows;
pub mod selection;
pub mod services;
pub mod truth;
pub mod wellbeing;
pub mod writer;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use error::GenerateError;
pub use options::{Comparison, GenerateOptions, Plan};

use crate::dates::{self, Day};
use crate::schema;
use batch::{IdBase, CASE_TABLES};
use writer::TableWriter;

/// Chunks simulated and converted together before they are written: bounds memory at
/// about `WINDOW_CHUNKS x CHUNK_FAMILIES` families whatever the dataset size.
pub const WINDOW_CHUNKS: u64 = 32;

/// Rows and files written for one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSummary {
    pub name: &'static str,
    pub rows: u64,
    pub files: Vec<PathBuf>,
}

/// What a run wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateSummary {
    /// The dataset folder.
    pub out: PathBuf,
    pub families: u64,
    pub seed: u64,
    pub data_cutoff: Day,
    pub full_response: bool,
    pub comparison: Comparison,
    /// Every table, case tables first, then `programme_costs` and the reference tables.
    pub tables: Vec<TableSummary>,
    /// The true effects file (`truth.json`).
    pub truth: PathBuf,
}

impl GenerateSummary {
    /// Rows written to `table`, if it was written.
    pub fn rows(&self, table: &str) -> Option<u64> {
        self.tables.iter().find(|t| t.name == table).map(|t| t.rows)
    }
}

/// Write a synthetic dataset as `opts` describes.
///
/// # Errors
/// [`GenerateError::InvalidOption`] / [`GenerateError::UnknownCountry`] for bad options,
/// [`GenerateError::OutputExists`] when the folder already holds a dataset file, and
/// [`GenerateError::Io`] / [`GenerateError::Parquet`] when writing fails.
pub fn generate(opts: &GenerateOptions) -> Result<GenerateSummary, GenerateError> {
    generate_with_progress(opts, |_, _| {})
}

/// As [`generate`], calling `progress(families_done, families_total)` after each window
/// of chunks (for a progress bar; the library itself never prints).
///
/// # Errors
/// As [`generate`].
pub fn generate_with_progress<F: Fn(u64, u64) + Sync>(
    opts: &GenerateOptions,
    progress: F,
) -> Result<GenerateSummary, GenerateError> {
    let plan = opts.check()?;
    prepare_output(&plan.out)?;
    let mut writers: Vec<TableWriter> = CASE_TABLES
        .iter()
        .map(|t| TableWriter::new(t, &plan.out, plan.row_group_size, plan.rows_per_file))
        .collect();
    let mut base = IdBase::default();
    let mut enrolment: BTreeMap<(usize, i32), u64> = BTreeMap::new();
    let mut truth_sums = truth::TruthSums::default();
    let chunks = plan.chunks();
    let mut next = 0;
    while next < chunks {
        let upto = (next + WINDOW_CHUNKS).min(chunks);
        let simulated: Vec<rows::Chunk> = (next..upto)
            .into_par_iter()
            .map(|c| chunk::simulate(&plan, c))
            .collect();
        let mut bases = Vec::with_capacity(simulated.len());
        for c in &simulated {
            bases.push(base);
            base = base.after(c);
            truth_sums.merge(&c.truth);
            for e in &c.enrolment {
                *enrolment.entry((e.programme, e.year)).or_default() += e.days;
            }
        }
        let batches = simulated
            .par_iter()
            .zip(bases.par_iter())
            .map(|(c, b)| batch::chunk_batches(c, *b))
            .collect::<Result<Vec<_>, _>>()?;
        drop(simulated);
        writers
            .par_iter_mut()
            .enumerate()
            .try_for_each(|(t, w)| batches.iter().try_for_each(|b| w.write(&b[t])))?;
        progress(
            (upto * options::CHUNK_FAMILIES).min(plan.families),
            plan.families,
        );
        next = upto;
    }

    let mut tables = Vec::new();
    for w in writers {
        let rows = w.rows();
        let name = CASE_TABLES[tables.len()].name;
        tables.push(TableSummary {
            name,
            rows,
            files: w.finish()?,
        });
    }
    let cost_rows = programme_costs::rows(&plan, &enrolment);
    let costs = programme_costs::batch(&plan, &cost_rows)?;
    let file = writer::write_single(
        &schema::PROGRAMME_COSTS,
        &plan.out,
        &costs,
        plan.row_group_size,
    )?;
    tables.push(TableSummary {
        name: schema::PROGRAMME_COSTS.name,
        rows: costs.num_rows() as u64,
        files: vec![file],
    });

    let reference_dir = plan.out.join("reference");
    fs::create_dir_all(&reference_dir).map_err(|source| GenerateError::Io {
        path: reference_dir.clone(),
        source,
    })?;
    for (table, batch) in [
        (&schema::CARE_COSTS, reference::care_costs(&plan)?),
        (&schema::EXCHANGE_RATES, reference::exchange_rates(&plan)?),
        (&schema::PRICE_INDEX, reference::price_index(&plan)?),
    ] {
        let file = writer::write_single(table, &reference_dir, &batch, plan.row_group_size)?;
        tables.push(TableSummary {
            name: table.name,
            rows: batch.num_rows() as u64,
            files: vec![file],
        });
    }

    let truth = truth::Truth::new(&plan, &truth_sums).write(&plan.out)?;

    let toml_path = plan.out.join("dataset.toml");
    fs::write(&toml_path, dataset_toml(&plan)).map_err(|source| GenerateError::Io {
        path: toml_path.clone(),
        source,
    })?;

    Ok(GenerateSummary {
        out: plan.out.clone(),
        families: plan.families,
        seed: plan.seed,
        data_cutoff: plan.data_cutoff,
        full_response: plan.full_response,
        comparison: plan.comparison,
        tables,
        truth,
    })
}

/// Paths a run writes inside the dataset folder.
fn owned_paths(out: &Path) -> Vec<PathBuf> {
    let mut paths = vec![
        out.join("dataset.toml"),
        out.join(truth::FILE),
        out.join("reference"),
    ];
    for t in schema::TABLES.iter().filter(|t| !t.reference) {
        paths.push(out.join(format!("{}.parquet", t.name)));
        paths.push(out.join(t.name));
    }
    paths
}

/// Create the dataset folder, refusing to overwrite an earlier dataset in it (other
/// files, such as a README, are left alone).
fn prepare_output(out: &Path) -> Result<(), GenerateError> {
    if let Some(path) = owned_paths(out).into_iter().find(|p| p.exists()) {
        return Err(GenerateError::OutputExists { path });
    }
    fs::create_dir_all(out).map_err(|source| GenerateError::Io {
        path: out.to_path_buf(),
        source,
    })
}

/// The `dataset.toml` of a plan (docs/data.md: name, data_cutoff, reporting_currency,
/// price_year); how it was made is noted in comments so readers need no extra keys. A
/// confounded run says so in one more comment line (a random run's file is unchanged).
pub fn dataset_toml(plan: &Plan) -> String {
    let name = toml::Value::String(plan.name.clone()).to_string();
    let comparison = match plan.comparison {
        Comparison::Random => "",
        Comparison::Confounded => {
            "# comparison = confounded: programme membership depends on intake covariates; true effects in truth.json\n"
        }
    };
    format!(
        "# Synthetic data written by `kinsight generate` (version {version}).\n\
         # families = {families}, seed = {seed}, countries = {countries}, full_response = {full}\n\
         {comparison}\
         # Calibration and sources: data/README.md in the kinsight repository.\n\
         name = {name}\n\
         data_cutoff = {cutoff}\n\
         reporting_currency = \"EUR\"\n\
         price_year = {price_year}\n",
        version = env!("CARGO_PKG_VERSION"),
        families = plan.families,
        seed = plan.seed,
        countries = plan
            .countries
            .iter()
            .map(|(_, c)| c.code)
            .collect::<Vec<_>>()
            .join(","),
        full = plan.full_response,
        cutoff = dates::format(plan.data_cutoff),
        price_year = calibration::PRICE_YEAR,
    )
}
