//! Everything the report reads, loaded from one output folder and nothing else.
//!
//! `kinsight report --out DIR` must re-render without recomputing, so the report rests
//! only on files a run wrote: `manifest.json`, `quality.json`, `sroi/summary.json`,
//! `sroi/draws.parquet` and the tables under `tables/`. Required files missing is an
//! error that says to run `kinsight run`; optional tables missing become notes the report
//! shows where the chart or section would have been.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::rows::{self, *};
use super::ReportError;
use crate::ingest::Quality;
use crate::output::Manifest;
use crate::output::Published;
use crate::settings::{Settings, MIN_CELL_FLOOR};
use crate::sroi::summary::Summary;

/// The Monte Carlo draws of the ratio and NPV (from `sroi/draws.parquet`).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawValues {
    pub ratio: Vec<f64>,
    pub npv: Vec<f64>,
}

/// The contents of an output folder.
#[derive(Debug, Clone)]
pub struct RunFolder {
    /// The output folder.
    pub out: PathBuf,
    pub manifest: Manifest,
    pub quality: Quality,
    pub summary: Summary,
    /// `None` when `sroi/draws.parquet` is missing (a note says so).
    pub draws: Option<DrawValues>,
    /// Disclosure threshold from the model text in the manifest, or 10.
    pub min_cell: u32,
    pub followup: Vec<FollowupRow>,
    pub curve: Vec<CurveRow>,
    pub survival_years: Vec<SurvivalYearRow>,
    pub survival_tests: Vec<SurvivalTestRow>,
    pub score_change: Vec<ChangeRow>,
    pub income_effect: Vec<IncomeEffectRow>,
    pub score_levels: Option<Vec<ScoreLevelRow>>,
    pub income_trajectory: Option<Vec<IncomeTrajectoryRow>>,
    pub during: Option<Vec<DuringProgrammeRow>>,
    pub cost_of_care: Option<Vec<CostRow>>,
    /// `tables/reintegration`, suppressed rows blanked.
    pub reintegration: Option<Vec<ReintegrationRow>>,
    /// The propensity adjustment's tables (`tables/balance`, `propensity_overlap`,
    /// `adjusted_estimates`; the E-values of `sensitivity` are read from summary.json,
    /// which carries the same rows): `None` in a run without a comparison arm or from
    /// before the adjustment; noted as missing only when summary.json says the run
    /// adjusted.
    pub balance: Option<Vec<BalanceRow>>,
    pub overlap: Option<Vec<OverlapRow>>,
    pub adjusted_estimates: Option<Vec<AdjustedEstimateRow>>,
    /// Optional inputs that were missing, in reading order.
    pub missing: Vec<String>,
}

fn missing(out: &Path, path: PathBuf, what: &'static str) -> ReportError {
    ReportError::Missing {
        path,
        out: out.to_path_buf(),
        what,
    }
}

fn read_json<T: serde::de::DeserializeOwned>(
    out: &Path,
    rel: &str,
    what: &'static str,
) -> Result<T, ReportError> {
    let path = out.join(rel);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing(out, path, what)),
        Err(source) => return Err(ReportError::Read { path, source }),
    };
    // A damaged file (cut short, edited into invalid JSON) and a file of another format
    // (an older kinsight, a hand edit that changed a field) are told apart.
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| ReportError::Parse {
        path: path.clone(),
        message: format!("damaged: not valid JSON ({e}); the file was cut short or edited"),
    })?;
    let version = value
        .get("engine_version")
        .and_then(|v| v.as_str())
        .map(|v| format!(", it says engine_version {v}"))
        .unwrap_or_default();
    serde_json::from_value(value).map_err(|e| ReportError::Parse {
        path,
        message: format!(
            "valid JSON but not in the form kinsight {} writes ({e}{version}): written by another kinsight version or edited",
            env!("CARGO_PKG_VERSION")
        ),
    })
}

/// The rows of table `R`, read from `tables/` (Parquet preferred) as they were written.
fn required_table<R: Published>(out: &Path, what: &'static str) -> Result<Vec<R>, ReportError> {
    let dir = out.join("tables");
    match rows::locate::<R>(&dir) {
        Some(p) => rows::read(&p),
        None => Err(missing(
            out,
            dir.join(format!("{}.parquet", R::TABLE)),
            what,
        )),
    }
}

fn optional_table<R: Published>(out: &Path) -> Result<Option<Vec<R>>, ReportError> {
    rows::locate::<R>(&out.join("tables"))
        .map(|p| rows::read(&p))
        .transpose()
}

/// `min_cell` of the `[study]` section of the model text, if set.
///
/// # Errors
/// [`ReportError::Parse`] naming `manifest.json` when the text is not TOML or the value
/// is not a whole number of at least 5.
pub fn min_cell_of(model: Option<&str>, manifest: &Path) -> Result<u32, ReportError> {
    let Some(text) = model else {
        return Ok(Settings::default().min_cell);
    };
    let bad = |message: String| ReportError::Parse {
        path: manifest.to_path_buf(),
        message,
    };
    let value: toml::Table = toml::from_str(text)
        .map_err(|e| bad(format!("the model text in `model` is not valid TOML ({e})")))?;
    match value.get("study").and_then(|s| s.get("min_cell")) {
        None => Ok(Settings::default().min_cell),
        Some(v) => match v.as_integer() {
            Some(n) if (i64::from(MIN_CELL_FLOOR)..=i64::from(u32::MAX)).contains(&n) => {
                Ok(n as u32)
            }
            _ => Err(bad(format!(
                "study.min_cell = {v} in the model text; it must be a whole number of at least {MIN_CELL_FLOOR}"
            ))),
        },
    }
}

/// One row of `sroi/draws.parquet`, as far as the report uses it (a null reads as NaN).
#[derive(Deserialize)]
struct Draw {
    ratio: f64,
    npv: f64,
}

fn read_draws(path: &Path) -> Result<DrawValues, ReportError> {
    let rows: Vec<Draw> = rows::read(path)?;
    Ok(DrawValues {
        ratio: rows.iter().map(|d| d.ratio).collect(),
        npv: rows.iter().map(|d| d.npv).collect(),
    })
}

/// An optional table's checked rows; its name is noted in `missing` when absent.
fn optional_rows<R: Published + Checked>(
    out: &Path,
    min_cell: u32,
    missing: &mut Vec<String>,
) -> Result<Option<Vec<R>>, ReportError> {
    let rows = optional_table::<R>(out)?;
    if rows.is_none() {
        missing.push(format!("tables/{}", R::TABLE));
    }
    Ok(rows.map(|r| R::checked(r, min_cell)))
}

/// A table of the propensity adjustment: read and checked when present; noted in
/// `missing` when absent only if the run adjusted (`adjusted`), since a run without a
/// comparison arm has none to miss.
fn adjustment_rows<R: Published + Checked>(
    out: &Path,
    min_cell: u32,
    adjusted: bool,
    missing: &mut Vec<String>,
) -> Result<Option<Vec<R>>, ReportError> {
    let rows = optional_table::<R>(out)?;
    if rows.is_none() && adjusted {
        missing.push(format!("tables/{}", R::TABLE));
    }
    Ok(rows.map(|r| R::checked(r, min_cell)))
}

impl RunFolder {
    /// Loads everything under `out`.
    ///
    /// # Errors
    /// [`ReportError::Missing`] for a missing required file (manifest.json, quality.json,
    /// sroi/summary.json, the six interface tables); [`ReportError::Read`],
    /// [`ReportError::Parse`] or [`ReportError::Table`] for files that cannot be read.
    pub fn load(out: &Path) -> Result<RunFolder, ReportError> {
        if !out.is_dir() {
            return Err(missing(out, out.to_path_buf(), "the output folder"));
        }
        let manifest: Manifest = read_json(out, "manifest.json", "the run's manifest")?;
        let quality: Quality = read_json(out, "quality.json", "the data-quality accounting")?;
        let summary: Summary = read_json(out, "sroi/summary.json", "the SROI results")?;
        let min_cell = min_cell_of(manifest.model.as_deref(), &out.join("manifest.json"))?;
        let mut missing_notes = Vec::new();
        let draws_path = out.join("sroi/draws.parquet");
        let draws = if draws_path.is_file() {
            Some(read_draws(&draws_path)?)
        } else {
            missing_notes.push("sroi/draws.parquet".to_string());
            None
        };
        // Per-arm tables as the report reads them (`rows::by_arm`): the programme arm as
        // `all`, the arms compared as the groups `arm=programme` and `arm=comparison`.
        let followup = rows::by_arm(
            FollowupRow::checked(required_table(out, "the follow-up table")?, min_cell),
            false,
        );
        let curve = rows::by_arm(
            rows::curve(
                required_table::<SurvivalCurveRow>(out, "the Kaplan-Meier curves")?,
                min_cell,
            ),
            true,
        );
        let survival_years = rows::by_arm(
            SurvivalYearRow::checked(required_table(out, "survival at 1-5 years")?, min_cell),
            true,
        );
        let survival_tests =
            SurvivalTestRow::checked(required_table(out, "the log-rank tests")?, min_cell);
        let score_change = rows::by_arm(
            rows::change(required_table(out, "the score-change table")?),
            false,
        );
        let income_effect =
            IncomeEffectRow::checked(required_table(out, "the income-effect table")?, min_cell);
        let mut optional_names = Vec::new();
        let score_levels = optional_rows::<ScoreLevelRow>(out, min_cell, &mut optional_names)?
            .map(|r| rows::by_arm(r, false));
        let income_trajectory =
            optional_rows::<IncomeTrajectoryRow>(out, min_cell, &mut optional_names)?;
        let during = optional_rows::<DuringProgrammeRow>(out, min_cell, &mut optional_names)?
            .map(|r| rows::by_arm(r, false));
        let reintegration = optional_rows::<ReintegrationRow>(out, min_cell, &mut optional_names)?;
        let cost_of_care = optional_table::<CostOfCareRow>(out)?.map(rows::cost);
        if cost_of_care.is_none() {
            optional_names.push(format!("tables/{}", CostOfCareRow::TABLE));
        }
        let adjusted = summary.adjustment.is_some();
        let names = &mut optional_names;
        let balance = adjustment_rows::<BalanceRow>(out, min_cell, adjusted, names)?;
        let overlap = adjustment_rows::<OverlapRow>(out, min_cell, adjusted, names)?;
        let adjusted_estimates =
            adjustment_rows::<AdjustedEstimateRow>(out, min_cell, adjusted, names)?;
        missing_notes.extend(optional_names);
        Ok(RunFolder {
            out: out.to_path_buf(),
            manifest,
            quality,
            summary,
            draws,
            min_cell,
            followup,
            curve,
            survival_years,
            survival_tests,
            score_change,
            income_effect,
            score_levels,
            income_trajectory,
            during,
            cost_of_care,
            reintegration,
            balance,
            overlap,
            adjusted_estimates,
            missing: missing_notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_cell_from_model_text() {
        let m = Path::new("out/manifest.json");
        assert_eq!(min_cell_of(None, m).unwrap(), 10);
        assert_eq!(min_cell_of(Some("[study]\nseed = 1\n"), m).unwrap(), 10);
        assert_eq!(
            min_cell_of(Some("[study]\nmin_cell = 25 # strict\n"), m).unwrap(),
            25
        );
        let e = min_cell_of(Some("[study]\nmin_cell = 3\n"), m).unwrap_err();
        assert!(e.to_string().contains("study.min_cell = 3"), "{e}");
        assert_eq!(e.exit_code(), 1);
        assert!(min_cell_of(Some("[study"), m).is_err());
    }

    #[test]
    fn missing_folder_and_summary_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = RunFolder::load(&dir.path().join("nope")).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        std::fs::write(dir.path().join("manifest.json"), "{").unwrap();
        let e = RunFolder::load(dir.path()).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(
            e.to_string()
                .contains("manifest.json: damaged: not valid JSON"),
            "{e}"
        );
    }
}
