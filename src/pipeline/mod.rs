//! The commands' jobs as library calls: read -> outcomes, costs, SROI -> charts and
//! report.
//!
//! The one layer that knows every stage. Each stage is one function over the output of
//! the one before, so `kinsight run`, `kinsight outcomes` and `kinsight sroi` share the
//! same code and write the same files (docs/outputs.md). The settings are resolved here,
//! once ([`resolve_settings`]: flags, then the model file, then the defaults), and passed
//! down; the stages compute, and this layer writes what they computed through
//! [`crate::output`]. Nothing here prints: progress goes through a callback the binary
//! turns into a spinner, and the result says what was written. The binary calls nothing
//! but this module, which is why it re-exports what the commands hand over (generator
//! options, the problem list of `validate`).
//!
//! Order of writing in a run: `quality.json` first (even an unusable dataset gets its
//! row accounting), then tables, `sroi/`, `manifest.json`, and last the charts and
//! `report.html`, which are rendered from the files already written (so `kinsight
//! report` can re-render them without recomputing).
//!
//! `kinsight partial` and `kinsight merge` split the outcome stage across processes:
//! see [`partition`].

mod error;
pub mod failed;
pub mod partition;
mod tables;

pub use error::Error;
pub use partition::{merge, partial_only, PartitionError};
pub use tables::{write_cost_of_care, write_outcome_tables};

// What the binary's commands hand over or print, so the binary imports this module only.
pub use crate::generate::{Comparison, GenerateOptions, GenerateSummary};
pub use crate::ingest::{tune_allocator, Loaded, Problems, DETAIL_LIMIT};
pub use crate::settings::Overrides;

use std::path::{Path, PathBuf};

use failed::Tracker;

use crate::costs;
use crate::ingest::{self, Dataset};
use crate::outcomes::{self, Headline, OutcomeOptions, Outcomes};
use crate::output::{self, Manifest};
use crate::quantities::{self, AdjustedTables, DataQuantities};
use crate::report;
use crate::settings::Settings;
use crate::sroi::impact::Inputs as SroiInputs;
use crate::sroi::model::{load_model, ValidModel};
use crate::sroi::summary::{point_ratio, run_sroi, AdjustmentSummary, EValueSummary, SroiResult};

/// Which table formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub csv: bool,
    pub parquet: bool,
}

impl Formats {
    /// CSV and Parquet (the default).
    pub const BOTH: Formats = Formats {
        csv: true,
        parquet: true,
    };
}

/// What a command was asked to do.
#[derive(Debug, Clone)]
pub struct Job {
    /// Dataset folder.
    pub data: PathBuf,
    /// Model file; `None` means `<data>/model.toml` (for the commands that need one).
    pub model: Option<PathBuf>,
    /// Output folder.
    pub out: PathBuf,
    /// Write into a folder that is not a previous kinsight output.
    pub force: bool,
    pub formats: Formats,
    /// `--by` breakdown columns.
    pub by: Vec<String>,
    /// Settings given on the command line; they win over the model file's `[study]`
    /// ([`resolve_settings`]).
    pub settings: Overrides,
}

impl Job {
    /// A job over `data` writing to `out`, with no settings of its own (the model file's
    /// or the defaults apply).
    pub fn new(data: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Job {
            data: data.into(),
            model: None,
            out: out.into(),
            force: false,
            formats: Formats::BOTH,
            by: Vec::new(),
            settings: Overrides::default(),
        }
    }

    fn model_path(&self) -> PathBuf {
        self.model
            .clone()
            .unwrap_or_else(|| self.data.join("model.toml"))
    }
}

/// What a command did, for the binary to print.
#[derive(Debug, Clone, Default)]
pub struct Done {
    /// Short lines for the terminal: the headline figures and where files went.
    pub lines: Vec<String>,
    /// Files written, relative to the output folder.
    pub outputs: Vec<String>,
}

/// `kinsight run`: every stage, ending with the charts and `report.html`.
///
/// # Errors
/// Invalid dataset or model, an outcome option out of range, or a write failure.
pub fn run(job: &Job, step: &dyn Fn(&str)) -> Result<Done, Error> {
    tracked(job, "run", step, run_in)
}

/// The body of a command: the job, its prepared output folder, the progress callback.
type Stage = fn(&Job, PathBuf, &dyn Fn(&str)) -> Result<Done, Error>;

/// Prepares `--out`, keeps `failed.json` up to date while `body` runs `command`, and
/// records how it ended: the one wrapper of `run`, `outcomes` and `sroi`.
fn tracked(
    job: &Job,
    command: &'static str,
    step: &dyn Fn(&str),
    body: Stage,
) -> Result<Done, Error> {
    let out = output::prepare_out_dir(&job.out, job.force)?;
    let t = Tracker::start(&out, command, step);
    let result = body(job, out.clone(), &|s| t.step(s));
    t.finish(result)
}

fn run_in(job: &Job, out: PathBuf, step: &dyn Fn(&str)) -> Result<Done, Error> {
    step("checking the model file");
    let model = read_model(job)?;
    step("reading and validating the dataset");
    let loaded = read_dataset(&job.data, &out)?;
    let (ds, mut manifest) = usable(&loaded, "run")?;
    check_model_matches(&model, ds)?;
    let settings = resolve_settings(job, Some(&model));
    let opts = outcome_options(job, &settings);
    manifest.outcome_settings = opts.check().ok();
    let mut done = Done::default();

    step("computing outcomes");
    let mut outcomes = outcomes::compute(ds, &opts)?;
    done.lines
        .extend(outcomes.notes.iter().map(|n| format!("note: {n}")));
    step("measuring the SROI's data quantities and the adjusted comparison");
    let quantities = measure(ds, Some(&model), &opts, &settings)?;
    write_adjusted(&mut outcomes, &quantities, job.formats, &out, &mut done)?;
    write_outcomes(&outcomes, ds, &settings, job.formats, &out, &mut done)?;

    step("running the SROI model");
    let sroi = sroi_stage(ds, &model, &quantities, &out, &mut done)?;

    finish_manifest(&mut manifest, Some(&model), &settings, &mut done);
    output::write_json(&out.join("manifest.json"), &manifest)?;

    step("drawing charts and the report");
    // The files were written by this run: a report error here is kinsight's fault, and
    // the advice to re-run (meant for an older folder) would send the user in a circle.
    let rendered = report::render(&out).map_err(|e| {
        let msg = e.to_string();
        let msg = msg
            .split("; re-run `kinsight run`")
            .next()
            .unwrap_or(&msg)
            .to_string();
        Error::ReportOfThisRun(msg)
    })?;
    done.outputs.extend(rendered.files.iter().cloned());
    manifest.outputs = done.outputs.clone();
    output::write_json(&out.join("manifest.json"), &manifest)?;
    output::finish_out_dir(&out, &done.outputs)?;

    let notes = std::mem::take(&mut done.lines);
    done.lines = summary_lines(ds, &loaded, Some(&outcomes), Some(&sroi), &out);
    done.lines.extend(notes);
    done.lines
        .extend(rendered.notes.iter().map(|n| format!("note: {n}")));
    Ok(done)
}

/// `kinsight outcomes`: the follow-up, survival, change and income tables only.
///
/// # Errors
/// Invalid dataset, an outcome option out of range, or a write failure.
pub fn outcomes_only(job: &Job, step: &dyn Fn(&str)) -> Result<Done, Error> {
    tracked(job, "outcomes", step, outcomes_in)
}

fn outcomes_in(job: &Job, out: PathBuf, step: &dyn Fn(&str)) -> Result<Done, Error> {
    let model = match &job.model {
        Some(_) => {
            step("checking the model file");
            Some(read_model(job)?)
        }
        None => None,
    };
    step("reading and validating the dataset");
    let loaded = read_dataset(&job.data, &out)?;
    let (ds, mut manifest) = usable(&loaded, "outcomes")?;
    let settings = resolve_settings(job, model.as_ref());
    let opts = outcome_options(job, &settings);
    manifest.outcome_settings = opts.check().ok();
    let mut done = Done::default();
    step("computing outcomes");
    let mut outcomes = outcomes::compute(ds, &opts)?;
    done.lines
        .extend(outcomes.notes.iter().map(|n| format!("note: {n}")));
    let adjusting = settings.adjustment.method != crate::settings::AdjustMethod::Off;
    if adjusting && ds.families.arm.contains(&1) {
        step("adjusting the comparison arm");
        let quantities = measure(ds, model.as_ref(), &opts, &settings)?;
        write_adjusted(&mut outcomes, &quantities, job.formats, &out, &mut done)?;
    }
    write_outcomes(&outcomes, ds, &settings, job.formats, &out, &mut done)?;
    finish_manifest(&mut manifest, model.as_ref(), &settings, &mut done);
    output::write_json(&out.join("manifest.json"), &manifest)?;
    output::finish_out_dir(&out, &done.outputs)?;
    let notes = std::mem::take(&mut done.lines);
    done.lines = summary_lines(ds, &loaded, Some(&outcomes), None, &out);
    done.lines.extend(notes);
    Ok(done)
}

/// `kinsight sroi`: the SROI model only (its data-derived quantities are measured, not
/// written as tables).
///
/// # Errors
/// Invalid dataset or model, or a write failure.
pub fn sroi_only(job: &Job, step: &dyn Fn(&str)) -> Result<Done, Error> {
    tracked(job, "sroi", step, sroi_in)
}

fn sroi_in(job: &Job, out: PathBuf, step: &dyn Fn(&str)) -> Result<Done, Error> {
    step("checking the model file");
    let model = read_model(job)?;
    step("reading and validating the dataset");
    let loaded = read_dataset(&job.data, &out)?;
    let (ds, mut manifest) = usable(&loaded, "sroi")?;
    check_model_matches(&model, ds)?;
    let settings = resolve_settings(job, Some(&model));
    let opts = outcome_options(job, &settings);
    manifest.outcome_settings = opts.check().ok();
    let mut done = Done::default();
    step("running the SROI model");
    let quantities = measure(ds, Some(&model), &opts, &settings)?;
    let sroi = sroi_stage(ds, &model, &quantities, &out, &mut done)?;
    finish_manifest(&mut manifest, Some(&model), &settings, &mut done);
    output::write_json(&out.join("manifest.json"), &manifest)?;
    output::finish_out_dir(&out, &done.outputs)?;
    let notes = std::mem::take(&mut done.lines);
    done.lines = summary_lines(ds, &loaded, None, Some(&sroi), &out);
    done.lines.extend(notes);
    Ok(done)
}

/// `kinsight report`: re-render charts and `report.html` from an existing output folder.
///
/// # Errors
/// The last run into the folder did not finish ([`Error::FailedRun`]), the folder lacks
/// a file the report needs, or a file cannot be read or written.
pub fn report_only(out: &Path) -> Result<Done, Error> {
    if let Some(f) = failed::read(out) {
        return Err(Error::FailedRun {
            out: out.to_path_buf(),
            failed: Box::new(f),
        });
    }
    let rendered = report::render(out)?;
    let mut lines = vec![format!("wrote {}", out.join("report.html").display())];
    lines.extend(rendered.notes.iter().map(|n| format!("note: {n}")));
    Ok(Done {
        lines,
        outputs: rendered.files,
    })
}

/// `kinsight validate`: read and check a dataset; whether it is usable is
/// `loaded.dataset.is_some()`, and `loaded.problems` lists every problem.
///
/// # Errors
/// [`Error::Io`] when the folder cannot be read.
pub fn validate(data: &Path) -> Result<Loaded, Error> {
    ingest::load(data).map_err(|e| Error::io(data, e))
}

/// `kinsight generate`: write a synthetic dataset; `progress` is told the families
/// written so far and the total.
///
/// # Errors
/// [`Error::Generate`]: options out of range (a usage error) or a write failure.
pub fn generate(
    opts: &GenerateOptions,
    progress: impl Fn(u64, u64) + Sync,
) -> Result<GenerateSummary, Error> {
    Ok(crate::generate::generate_with_progress(opts, progress)?)
}

fn read_model(job: &Job) -> Result<ValidModel, Error> {
    let path = job.model_path();
    Ok(load_model(&path)?)
}

/// Read the dataset and write `quality.json` whether or not it is usable.
fn read_dataset(data: &Path, out: &Path) -> Result<Loaded, Error> {
    let loaded = validate(data)?;
    output::write_json(&out.join("quality.json"), &loaded.quality)?;
    Ok(loaded)
}

fn usable<'a>(loaded: &'a Loaded, command: &str) -> Result<(&'a Dataset, Manifest), Error> {
    let Some(ds) = loaded.dataset.as_ref() else {
        return Err(Error::InvalidDataset(loaded.problems.clone()));
    };
    let mut manifest = Manifest::new(command, &loaded.quality, &loaded.inputs);
    manifest.data_cutoff = Some(crate::dates::format(ds.meta.data_cutoff));
    manifest.reporting_currency = Some(ds.meta.reporting_currency.clone());
    manifest.price_year = Some(ds.meta.price_year);
    Ok((ds, manifest))
}

/// The model's money settings must be the dataset's: amounts are converted once, at
/// ingest, to the dataset's reporting currency and price year.
fn check_model_matches(model: &ValidModel, ds: &Dataset) -> Result<(), Error> {
    let s = &model.study;
    let mut problems = Vec::new();
    if s.reporting_currency != ds.meta.reporting_currency {
        problems.push(format!(
            "reporting_currency is {} but the dataset's dataset.toml says {}",
            s.reporting_currency, ds.meta.reporting_currency
        ));
    }
    if s.price_year != ds.meta.price_year {
        problems.push(format!(
            "price_year is {} but the dataset's dataset.toml says {}",
            s.price_year, ds.meta.price_year
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidModel(format!(
            "model file {}: {}; set [study] to the dataset's values",
            model.path,
            problems.join("; ")
        )))
    }
}

/// The settings of a job, resolved once: each value from the command line if given,
/// else from the model file's `[study]` (which holds the defaults for what it does not
/// set), else the defaults of [`Settings`].
pub fn resolve_settings(job: &Job, model: Option<&ValidModel>) -> Settings {
    let base = model.map_or_else(Settings::default, |m| m.study.settings());
    job.settings.over(&base)
}

/// The outcome stage's options: the resolved settings and the job's breakdowns.
fn outcome_options(job: &Job, settings: &Settings) -> OutcomeOptions {
    OutcomeOptions::from_settings(settings).with_by(job.by.clone())
}

/// The outcome tables plus the policy brief's cost-of-care table.
fn write_outcomes(
    outcomes: &Outcomes,
    ds: &Dataset,
    settings: &Settings,
    formats: Formats,
    out: &Path,
    done: &mut Done,
) -> Result<(), Error> {
    let tables = out.join("tables");
    tables::check_finite(outcomes)?;
    let written = write_outcome_tables(outcomes, &tables, formats.csv, formats.parquet)?;
    done.outputs
        .extend(written.into_iter().map(|f| format!("tables/{f}")));
    let horizon_years = f64::from(settings.horizon_years);
    let inputs = costs::inputs(ds);
    let avoided = quantities::avoided_by_country(ds, horizon_years);
    let rows = costs::cost_of_care(
        ds,
        &inputs,
        &avoided,
        u64::from(settings.min_cell),
        horizon_years,
    );
    tables::check_rows(&tables.join("cost_of_care"), &rows)?;
    let written = write_cost_of_care(&rows, &tables, formats.csv, formats.parquet)?;
    done.outputs
        .extend(written.into_iter().map(|f| format!("tables/{f}")));
    Ok(())
}

/// The SROI model's data quantities, with the adjusted comparison of the settings.
fn measure(
    ds: &Dataset,
    model: Option<&ValidModel>,
    opts: &OutcomeOptions,
    settings: &Settings,
) -> Result<DataQuantities, Error> {
    Ok(quantities::sroi_quantities_with(
        ds,
        opts,
        f64::from(settings.horizon_years),
        model.map(|m| &m.study.baseline_placement_rate),
        Some(&settings.adjustment),
    )?)
}

/// Add the adjusted income rows to `income_effect` and write the adjustment's tables
/// (`balance`, `propensity_overlap`, `adjusted_estimates`, `sensitivity`) and
/// `tables/adjustment.json`.
fn write_adjusted(
    outcomes: &mut Outcomes,
    quantities: &DataQuantities,
    formats: Formats,
    out: &Path,
    done: &mut Done,
) -> Result<(), Error> {
    let Some(adj) = &quantities.adjusted else {
        return Ok(());
    };
    outcomes
        .income_effect
        .extend(adj.income_effect.iter().cloned());
    let dir = out.join("tables");
    let written = tables::write_adjusted_tables(adj, &dir, formats.csv, formats.parquet)?;
    done.outputs
        .extend(written.into_iter().map(|f| format!("tables/{f}")));
    done.lines
        .extend(adj.warnings.iter().map(|w| format!("warning: {w}")));
    Ok(())
}

/// Run the SROI model on the measured quantities (and on the other comparison, for the
/// side-by-side ratio) and write `sroi/`.
fn sroi_stage(
    ds: &Dataset,
    model: &ValidModel,
    quantities: &DataQuantities,
    out: &Path,
    done: &mut Done,
) -> Result<SroiResult, Error> {
    let inputs = costs::inputs(ds);
    let by_year: Vec<(i32, f64)> = inputs.by_year.iter().map(|(y, a)| (*y, *a)).collect();
    let inputs = SroiInputs::by_year(by_year);
    let mut result = run_sroi(model, &quantities.base, &quantities.replicates, &inputs)
        .map_err(|e| explain_missing(e, &quantities.missing))?;
    if let Some(adj) = &quantities.adjusted {
        result.summary.adjustment = Some(adjustment_summary(
            model, quantities, adj, &result, &inputs,
        )?);
    }
    let dir = out.join("sroi");
    for (name, bytes) in result.files(model)? {
        output::write_atomic(&dir.join(name), &bytes)?;
        done.outputs.push(format!("sroi/{name}"));
    }
    done.lines
        .extend(quantities.notes.iter().map(|n| format!("note: {n}")));
    Ok(result)
}

/// The side-by-side ratio, the tipping point and the diagnostics of the adjustment for
/// `summary.json`.
fn adjustment_summary(
    model: &ValidModel,
    q: &DataQuantities,
    adj: &AdjustedTables,
    result: &SroiResult,
    inputs: &SroiInputs,
) -> Result<AdjustmentSummary, Error> {
    let main = &result.summary;
    let adjusted_now = adj.method != crate::settings::AdjustMethod::None;
    // The ratio of the other comparison (dr when this run is unadjusted).
    let other = match &q.alternative {
        Some(alt) => Some((
            alt.method,
            run_sroi(model, &alt.base, &alt.replicates, inputs)
                .map_err(|e| explain_missing(e, &q.missing))?
                .summary,
        )),
        None => None,
    };
    let this = (
        main.ratio,
        main.monte_carlo.ratio_p2_5,
        main.monte_carlo.ratio_p97_5,
    );
    let that = other
        .as_ref()
        .map_or((f64::NAN, f64::NAN, f64::NAN), |(_, s)| {
            (s.ratio, s.monte_carlo.ratio_p2_5, s.monte_carlo.ratio_p97_5)
        });
    let (unadjusted, adjusted, adjusted_method) = if adjusted_now {
        (that, this, adj.method)
    } else {
        (
            this,
            that,
            other
                .as_ref()
                .map_or(crate::settings::AdjustMethod::Dr, |(m, _)| *m),
        )
    };
    // Every data-derived effect explained away.
    let mut without = q.base.clone();
    let keys: Vec<String> = without.iter().map(|(k, _)| k.to_string()).collect();
    for k in keys {
        if k.starts_with("avoided_placements") || k.starts_with("income_effect") {
            without.insert(&k, 0.0);
        } else if k.starts_with("comparison_doing_well") {
            without.insert(&k, 1.0);
        }
    }
    let ratio_without =
        point_ratio(model, &without, inputs).map_err(|e| explain_missing(e, &q.missing))?;
    let d = &adj.diagnostics;
    Ok(AdjustmentSummary {
        method: adj.method.name().to_string(),
        ratio_unadjusted: unadjusted.0,
        ratio_unadjusted_p2_5: unadjusted.1,
        ratio_unadjusted_p97_5: unadjusted.2,
        adjusted_method: adjusted_method.name().to_string(),
        ratio_adjusted: adjusted.0,
        ratio_adjusted_p2_5: adjusted.1,
        ratio_adjusted_p97_5: adjusted.2,
        ratio_without_data_effects: ratio_without,
        tipping_share: crate::adjust::sensitivity::tipping_share(main.ratio, ratio_without),
        weights: adj.weights.name().to_string(),
        trim: adj.trim.map(|(a, b)| [a, b]),
        covariates: adj.covariates.clone(),
        dropped: adj.dropped.clone(),
        ess_comparison_before: d.ess_comparison_before,
        ess_comparison_after: d.ess_comparison_after,
        max_abs_smd_before: d.max_abs_smd_before,
        max_abs_smd_after: d.max_abs_smd_after,
        programme_outside_comparison_range: d.programme_outside_comparison_range,
        e_values: adj
            .evalues
            .iter()
            .map(|e| EValueSummary {
                estimand: e.estimand.clone(),
                estimate: e.estimate,
                ci_low: e.ci_low,
                ci_high: e.ci_high,
                risk_ratio: e.risk_ratio,
                e_value: e.e_value,
                e_value_ci: e.e_value_ci,
            })
            .collect(),
        warnings: adj.warnings.clone(),
    })
}

/// A missing data key's error with why the dataset could not measure it (with counts)
/// and what would supply it, in place of the list of keys that were supplied.
fn explain_missing(
    e: crate::sroi::SroiError,
    why: &std::collections::BTreeMap<String, String>,
) -> crate::sroi::SroiError {
    use crate::sroi::SroiError;
    match e {
        SroiError::MissingData { key, detail } => {
            let detail = why.get(&key).cloned().unwrap_or(detail);
            SroiError::MissingData { key, detail }
        }
        other => other,
    }
}

fn finish_manifest(
    manifest: &mut Manifest,
    model: Option<&ValidModel>,
    settings: &Settings,
    done: &mut Done,
) {
    manifest.seed = Some(settings.seed);
    if let Some(m) = model {
        manifest.model = Some(m.text.clone());
        manifest.model_path = Some(m.path.clone());
    }
    done.outputs
        .splice(0..0, ["quality.json", "manifest.json"].map(String::from));
    manifest.outputs = done.outputs.clone();
}

fn summary_lines(
    ds: &Dataset,
    loaded: &Loaded,
    outcomes: Option<&Outcomes>,
    sroi: Option<&SroiResult>,
    out: &Path,
) -> Vec<String> {
    let set_aside: u64 = loaded
        .quality
        .tables
        .values()
        .map(|q| q.rows_set_aside)
        .sum();
    let mut lines = vec![format!(
        "{}: {} families, {} children, {} episodes, {} assessment rows; {} rows set aside (reasons in quality.json)",
        ds.meta.name,
        ds.families.len(),
        ds.children.len(),
        ds.episodes.len(),
        ds.assessments.len(),
        set_aside
    )];
    if let Some(o) = outcomes {
        lines.extend(headline_lines(&o.headline, &ds.meta.reporting_currency));
        lines.extend(adjusted_income_line(o, &ds.meta.reporting_currency));
    }
    if let Some(s) = sroi {
        let sm = &s.summary;
        let mc = &sm.monte_carlo;
        let cur = &sm.currency;
        lines.push(format!(
            "SROI: {cur} {:.2} of social value per {cur} 1 invested (95 % range {:.2}-{:.2}; ratio > 1 in {})",
            sm.ratio,
            mc.ratio_p2_5,
            mc.ratio_p97_5,
            crate::sroi::monte_carlo::share_of_draws(mc.prob_ratio_gt_1, mc.draws)
        ));
        if let Some(a) = &sm.adjustment {
            let (label, r, lo, hi) = if a.method == "none" {
                (
                    format!("adjusted for intake differences ({})", a.adjusted_method),
                    a.ratio_adjusted,
                    a.ratio_adjusted_p2_5,
                    a.ratio_adjusted_p97_5,
                )
            } else {
                (
                    "comparison arm unadjusted".to_string(),
                    a.ratio_unadjusted,
                    a.ratio_unadjusted_p2_5,
                    a.ratio_unadjusted_p97_5,
                )
            };
            let used = if a.method == "none" {
                "comparison arm as it is".to_string()
            } else {
                format!("comparison arm adjusted, {}", a.method)
            };
            lines.push(format!(
                "  ({used}; {label}: {cur} {r:.2}, 95 % range {lo:.2}-{hi:.2})"
            ));
        }
    }
    lines.push(format!("wrote {}", out.display()));
    lines
}

/// The doubly robust income effect of the headline's year beside the unadjusted one
/// (the adjusted rows of `income_effect`, when the adjustment was computed).
fn adjusted_income_line(o: &Outcomes, currency: &str) -> Option<String> {
    let year = o.headline.income_effect_year?;
    let r = o
        .income_effect
        .iter()
        .find(|r| r.group == "all" && r.year == year && r.method == "dr_did" && !r.suppressed)?;
    let (e, lo, hi) = (r.effect?, r.ci_low?, r.ci_high?);
    Some(format!(
        "  adjusted for intake differences (doubly robust): {currency} {e:.0} (95 % {lo:.0} to {hi:.0})"
    ))
}

/// The outcome headline as terminal lines (published figures only).
fn headline_lines(h: &Headline, currency: &str) -> Vec<String> {
    let mut lines = vec![format!(
        "cohort: {} programme and {} comparison families with an exit",
        h.families_programme, h.families_comparison
    )];
    let shares: Vec<String> = h
        .doing_well_overall
        .iter()
        .map(|s| {
            let w = if s.weighted { "" } else { " (unweighted)" };
            format!("year {} {:.1} %{w}", s.year, 100.0 * s.share)
        })
        .collect();
    if !shares.is_empty() {
        lines.push(format!(
            "doing well overall after exit: {}",
            shares.join(", ")
        ));
    }
    if let (Some(p), Some(c)) = (
        h.children_in_family_care_programme,
        h.children_in_family_care_comparison,
    ) {
        let test = h
            .log_rank_p_arms
            .map(|p| {
                if p < 0.001 {
                    " (family-level log-rank p < 0.001)".to_string()
                } else {
                    format!(" (family-level log-rank p = {p:.3})")
                }
            })
            .unwrap_or_default();
        lines.push(format!(
            "children still in family care {} years after exit: programme {:.1} %, comparison {:.1} %{test}",
            p.year,
            100.0 * p.survival,
            100.0 * c.survival
        ));
    }
    if let Some(r) = h.returned_home_programme {
        let still: Vec<String> = h
            .still_home_programme
            .iter()
            .map(|s| {
                let years = if s.year == 1 { "year" } else { "years" };
                format!("{:.1} % {} {years} later", 100.0 * s.survival, s.year)
            })
            .collect();
        let still = if still.is_empty() {
            String::new()
        } else {
            format!(
                "; still home, not referred back into care: {}",
                still.join(", ")
            )
        };
        lines.push(format!(
            "children in care at intake who returned home during the programme: {:.1} %{still}",
            100.0 * r
        ));
    }
    if let (Some(e), Some(y)) = (h.income_effect, h.income_effect_year) {
        let weighted = if h.income_effect_weighted {
            ", weighted for income non-response"
        } else {
            ""
        };
        lines.push(format!(
            "income effect in year {y} after exit: {currency} {e:.0} per family per year (difference in differences{weighted})"
        ));
    }
    lines
}
