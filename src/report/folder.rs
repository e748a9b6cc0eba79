//! Everything the report reads, loaded from one output folder and nothing else.
//!
//! `kinsight report --out DIR` must re-render without recomputing, so the report rests
//! only on files a run wrote: `manifest.json`, `quality.json`, `sroi/summary.json`,
//! `sroi/draws.parquet` and the tables under `tables/`. Required files missing is an
//! error that says to run `kinsight run`; optional tables missing become notes the report
//! shows where the chart or section would have been.

use std::path::{Path, PathBuf};

use super::rows::{self, *};
use super::table::{locate, Table};
use super::ReportError;
use crate::ingest::Quality;
use crate::output::Manifest;
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
    pub score_change: Vec<ScoreChangeRow>,
    pub income_effect: Vec<IncomeEffectRow>,
    pub score_levels: Option<Vec<ScoreLevelRow>>,
    pub income_trajectory: Option<Vec<IncomeLevelRow>>,
    pub during: Option<Vec<DuringRow>>,
    pub cost_of_care: Option<Vec<CostRow>>,
    /// `tables/reintegration`, suppressed rows blanked.
    pub reintegration: Option<Vec<crate::outcomes::ReintegrationRow>>,
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
    serde_json::from_str(&text).map_err(|e| ReportError::Parse {
        path,
        message: format!("not the JSON kinsight writes ({e})"),
    })
}

fn required_table(out: &Path, name: &str, what: &'static str) -> Result<Table, ReportError> {
    let dir = out.join("tables");
    match locate(&dir, name) {
        Some(p) => Table::read(&p),
        None => Err(missing(out, dir.join(format!("{name}.parquet")), what)),
    }
}

fn optional_table(out: &Path, name: &str) -> Result<Option<Table>, ReportError> {
    locate(&out.join("tables"), name)
        .map(|p| Table::read(&p))
        .transpose()
}

/// The optional `tables/reintegration` (Parquet preferred), read as the engine wrote it,
/// every row marked suppressed blanked (the outcome stage's [`Withhold`]).
fn reintegration_rows(
    out: &Path,
) -> Result<Option<Vec<crate::outcomes::ReintegrationRow>>, ReportError> {
    use crate::outcomes::Withhold;
    let Some(path) = locate(&out.join("tables"), "reintegration") else {
        return Ok(None);
    };
    let mut rows: Vec<crate::outcomes::ReintegrationRow> =
        crate::output::read_rows(&path).map_err(|e| ReportError::Parse {
            path: path.clone(),
            message: e.to_string(),
        })?;
    for r in rows.iter_mut().filter(|r| r.suppressed) {
        r.withhold();
    }
    Ok(Some(rows))
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

fn read_draws(path: &Path) -> Result<DrawValues, ReportError> {
    let t = Table::read(path)?;
    let col = |name: &str| -> Result<Vec<f64>, ReportError> {
        Ok(t.numbers(name)?
            .into_iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect())
    };
    Ok(DrawValues {
        ratio: col("ratio")?,
        npv: col("npv")?,
    })
}

impl RunFolder {
    /// Loads everything under `out`.
    ///
    /// # Errors
    /// [`ReportError::Missing`] for a missing required file (manifest.json, quality.json,
    /// sroi/summary.json, the six interface tables); [`ReportError::Read`],
    /// [`ReportError::Parse`] or [`ReportError::Column`] for files that cannot be read.
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
        let followup = rows::followup(&required_table(
            out,
            "followup_domains",
            "the follow-up table",
        )?)?;
        let curve = rows::survival_curve(
            &required_table(out, "survival_curve", "the Kaplan-Meier curves")?,
            min_cell,
        )?;
        let survival_years = rows::survival_years(&required_table(
            out,
            "survival_years",
            "survival at 1-5 years",
        )?)?;
        let survival_tests = rows::survival_tests(&required_table(
            out,
            "survival_tests",
            "the log-rank tests",
        )?)?;
        let score_change = rows::score_change(&required_table(
            out,
            "score_change",
            "the score-change table",
        )?)?;
        let income_effect = rows::income_effect(
            &required_table(out, "income_effect", "the income-effect table")?,
            min_cell,
        )?;
        let mut optional = |name: &str| -> Result<Option<Table>, ReportError> {
            let t = optional_table(out, name)?;
            if t.is_none() {
                missing_notes.push(format!("tables/{name}"));
            }
            Ok(t)
        };
        let score_levels = optional("score_levels")?
            .map(|t| rows::score_levels(&t))
            .transpose()?;
        let income_trajectory = optional("income_trajectory")?
            .map(|t| rows::income_trajectory(&t))
            .transpose()?;
        let during = optional("during_programme")?
            .map(|t| rows::during_programme(&t))
            .transpose()?;
        let cost_of_care = optional("cost_of_care")?
            .map(|t| rows::cost_of_care(&t))
            .transpose()?;
        let reintegration = reintegration_rows(out)?;
        if reintegration.is_none() {
            missing_notes.push("tables/reintegration".into());
        }
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
                .contains("manifest.json: not the JSON kinsight writes"),
            "{e}"
        );
    }
}
