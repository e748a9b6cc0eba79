//! The published tables as files: the outcome stage's rows and the cost of care, with
//! the column names of docs/outputs.md.
//!
//! Each row struct is its table: the generic writer ([`crate::output::write_rows`]) makes
//! its fields the columns, in order, and the CSV and Parquet files come from the same
//! [`crate::output::Table`], so the two formats cannot disagree. Missing numbers are
//! empty CSV fields and Parquet nulls. The stages compute rows; naming and writing them
//! is the pipeline's, so no stage depends on the output layer. The report reads the same
//! structs back with [`crate::output::read_rows`], finding each file by
//! [`Published::TABLE`].

use std::path::Path;

use crate::adjust::balance::{BalanceRow, OverlapRow};
use crate::adjust::sensitivity::EValueRow;
use crate::costs::CostOfCareRow;
use crate::outcomes::*;
use crate::output::{write_rows, OutputError, Published};
use crate::quantities::{AdjustedEstimateRow, AdjustedTables};

/// Each published row type and the file stem of its table.
macro_rules! published {
    ($($ty:ty => $table:literal),* $(,)?) => {$(
        impl Published for $ty {
            const TABLE: &'static str = $table;
        }
    )*};
}

published! {
    FollowupRow => "followup_domains",
    ScoreChangeRow => "score_change",
    ScoreLevelRow => "score_levels",
    SurvivalCurveRow => "survival_curve",
    SurvivalYearRow => "survival_years",
    SurvivalTestRow => "survival_tests",
    IncomeEffectRow => "income_effect",
    IncomeTrajectoryRow => "income_trajectory",
    DuringProgrammeRow => "during_programme",
    ReintegrationRow => "reintegration",
    CostOfCareRow => "cost_of_care",
    BalanceRow => "balance",
    OverlapRow => "propensity_overlap",
    AdjustedEstimateRow => "adjusted_estimates",
    EValueRow => "sensitivity",
}

/// Write the adjustment's tables and `adjustment.json` (its settings, diagnostics and
/// warnings); returns the file names written, relative to `dir`.
///
/// # Errors
/// [`OutputError`] naming the file that cannot be written.
pub fn write_adjusted_tables(
    adj: &AdjustedTables,
    dir: &Path,
    csv: bool,
    parquet: bool,
) -> Result<Vec<String>, OutputError> {
    check_rows(&dir.join(BalanceRow::TABLE), &adj.balance)?;
    check_rows(&dir.join(AdjustedEstimateRow::TABLE), &adj.estimates)?;
    check_rows(&dir.join(EValueRow::TABLE), &adj.evalues)?;
    let mut written = [
        write(&adj.balance, dir, csv, parquet)?,
        write(&adj.overlap, dir, csv, parquet)?,
        write(&adj.estimates, dir, csv, parquet)?,
        write(&adj.evalues, dir, csv, parquet)?,
    ]
    .concat();
    let summary = AdjustmentFile {
        method: adj.method.name(),
        weights: adj.weights.name(),
        trim: adj.trim.map(|(a, b)| [a, b]),
        covariates: &adj.covariates,
        dropped: &adj.dropped,
        diagnostics: &adj.diagnostics,
        log_rank_weighted_chi_square: adj.log_rank_weighted.map(|t| t.0),
        log_rank_weighted_p: adj.log_rank_weighted.map(|t| t.1),
        warnings: &adj.warnings,
    };
    crate::output::write_json(&dir.join("adjustment.json"), &summary)?;
    written.push("adjustment.json".to_string());
    Ok(written)
}

/// `tables/adjustment.json`.
#[derive(serde::Serialize)]
struct AdjustmentFile<'a> {
    /// Which estimates feed the SROI: `none`, `ipw` or `dr`.
    method: &'static str,
    weights: &'static str,
    trim: Option<[f64; 2]>,
    covariates: &'a [String],
    dropped: &'a [String],
    diagnostics: &'a crate::adjust::balance::Diagnostics,
    log_rank_weighted_chi_square: Option<f64>,
    log_rank_weighted_p: Option<f64>,
    warnings: &'a [String],
}

/// Write `rows` as `dir/<R::TABLE>.csv` and/or `.parquet`; returns the file names.
fn write<R: Published>(
    rows: &[R],
    dir: &Path,
    csv: bool,
    parquet: bool,
) -> Result<Vec<String>, OutputError> {
    write_rows(R::TABLE, rows, dir, csv, parquet)
}

/// Write every table as `dir/<table>.csv` and/or `dir/<table>.parquet`; returns the
/// file names written, relative to `dir`.
///
/// # Errors
/// [`OutputError`] naming the file that cannot be written.
pub fn write_outcome_tables(
    outcomes: &Outcomes,
    dir: &Path,
    csv: bool,
    parquet: bool,
) -> Result<Vec<String>, OutputError> {
    let o = outcomes;
    let written = [
        write(&o.followup_domains, dir, csv, parquet)?,
        write(&o.score_change, dir, csv, parquet)?,
        write(&o.score_levels, dir, csv, parquet)?,
        write(&o.survival_curve, dir, csv, parquet)?,
        write(&o.survival_years, dir, csv, parquet)?,
        write(&o.survival_tests, dir, csv, parquet)?,
        write(&o.income_effect, dir, csv, parquet)?,
        write(&o.income_trajectory, dir, csv, parquet)?,
        write(&o.during_programme, dir, csv, parquet)?,
        write(&o.reintegration, dir, csv, parquet)?,
    ];
    Ok(written.concat())
}

/// Refuse a table whose rows hold an infinity: the writers turn any non-finite number
/// into a null cell, which is right for an undefined figure (NaN) but would hide an
/// overflow. `path` names the table (without extension) in the error.
///
/// # Errors
/// [`OutputError::Encode`] naming the row and field.
pub fn check_rows<R: serde::Serialize>(path: &Path, rows: &[R]) -> Result<(), OutputError> {
    crate::finite::check_allowing(rows, &["*"]).map_err(|e| {
        let (row, field) = e
            .field
            .strip_prefix('[')
            .and_then(|f| f.split_once("]."))
            .and_then(|(r, f)| Some((r.parse::<usize>().ok()? + 1, f)))
            .unwrap_or((0, e.field.as_str()));
        OutputError::encode(
            path,
            format!(
                "row {row}, column `{field}` is {}: a figure overflowed; it is not written as an empty cell",
                e.what()
            ),
        )
    })
}

/// [`check_rows`] for every outcome table.
///
/// # Errors
/// [`OutputError::Encode`] naming the table, row and field.
pub fn check_finite(outcomes: &Outcomes) -> Result<(), OutputError> {
    let dir = Path::new("tables");
    check_rows(&dir.join("followup_domains"), &outcomes.followup_domains)?;
    check_rows(&dir.join("score_change"), &outcomes.score_change)?;
    check_rows(&dir.join("score_levels"), &outcomes.score_levels)?;
    check_rows(&dir.join("survival_curve"), &outcomes.survival_curve)?;
    check_rows(&dir.join("survival_years"), &outcomes.survival_years)?;
    check_rows(&dir.join("survival_tests"), &outcomes.survival_tests)?;
    check_rows(&dir.join("income_effect"), &outcomes.income_effect)?;
    check_rows(&dir.join("income_trajectory"), &outcomes.income_trajectory)?;
    check_rows(&dir.join("during_programme"), &outcomes.during_programme)
}

/// Write `tables/cost_of_care.{csv,parquet}`; returns the file names written.
///
/// # Errors
/// [`OutputError`] naming the file that cannot be written.
pub fn write_cost_of_care(
    rows: &[CostOfCareRow],
    dir: &Path,
    csv: bool,
    parquet: bool,
) -> Result<Vec<String>, OutputError> {
    write(rows, dir, csv, parquet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::read_rows;

    fn row(group: &str, share: Option<f64>) -> DuringProgrammeRow {
        DuringProgrammeRow {
            group: group.into(),
            arm: "programme".into(),
            measure: "self_reliant_at_exit".into(),
            numerator: share.map(|_| 3),
            denominator: share.map(|_| 12),
            share,
            ci_low: None,
            ci_high: None,
            suppressed: share.is_none(),
        }
    }

    #[test]
    fn non_finite_shares_are_written_as_nulls_and_read_back_as_none() {
        let d = tempfile::tempdir().unwrap();
        let written = [row("all", Some(f64::INFINITY)), row("x=y", Some(f64::NAN))];
        write(&written, d.path(), true, true).unwrap();
        for f in ["during_programme.csv", "during_programme.parquet"] {
            let back: Vec<DuringProgrammeRow> = read_rows(&d.path().join(f)).unwrap();
            assert_eq!(back.len(), 2);
            assert!(
                back.iter()
                    .all(|r| r.share.is_none() && r.numerator == Some(3)),
                "{f}"
            );
        }
    }

    #[test]
    fn columns_follow_the_row_fields_and_nulls_stay_empty() {
        let t = crate::output::rows_to_table(
            DuringProgrammeRow::TABLE,
            &[row("all", Some(0.25)), row("x=y", None)],
        )
        .unwrap();
        assert_eq!(t.name(), "during_programme");
        assert_eq!(
            t.to_csv(),
            "group,arm,measure,numerator,denominator,share,ci_low,ci_high,suppressed\n\
             all,programme,self_reliant_at_exit,3,12,0.25,,,false\n\
             x=y,programme,self_reliant_at_exit,,,,,,true\n"
        );
    }

    #[test]
    fn an_infinite_figure_is_refused_and_a_nan_is_an_empty_cell() {
        let rows = [row("all", Some(0.5)), row("x", Some(f64::NAN))];
        assert!(check_rows(Path::new("tables/during_programme"), &rows).is_ok());
        let rows = [row("all", Some(0.5)), row("x", Some(f64::INFINITY))];
        let e = check_rows(Path::new("tables/during_programme"), &rows).unwrap_err();
        assert_eq!(
            e.to_string(),
            "writing tables/during_programme: row 2, column `share` is +infinity: a figure overflowed; it is not written as an empty cell"
        );
    }

    #[test]
    fn cost_of_care_table_writes_nulls_for_suppressed_rows() {
        let row = |c: &str, n: Option<u64>| CostOfCareRow {
            country: c.into(),
            families: n,
            family_years: n.map(|n| n as f64),
            programme_cost: n.map(|n| n as f64 * 100.0),
            cost_per_family_year: n.map(|_| 100.0),
            cost_per_child_year: n.map(|_| 40.0),
            cost_per_family: n.map(|_| 100.0),
            residential_per_child_year: Some(6000.0),
            foster_per_child_year: None,
            residential_to_support: n.map(|_| 60.0),
            horizon_years: 5.0,
            children_programme: n.map(|n| 2 * n),
            placements_avoided: n.map(|_| 1.5),
            cost_per_placement: n.map(|_| 8000.0),
            public_cost_avoided: n.map(|_| 12000.0),
            public_cost_avoided_per_family: n.map(|_| 1000.0),
            cost_avoided_per_cost: n.map(|_| 10.0),
            avoided_note: String::new(),
            currency: "EUR".into(),
            price_year: 2024,
            suppressed: n.is_none(),
        };
        let d = tempfile::tempdir().unwrap();
        let rows = [row("AL", Some(12)), row("AM", None)];
        write_cost_of_care(&rows, d.path(), true, true).unwrap();
        for f in ["cost_of_care.csv", "cost_of_care.parquet"] {
            let back: Vec<CostOfCareRow> = read_rows(&d.path().join(f)).unwrap();
            assert_eq!(back, rows, "{f}");
        }
        let csv = std::fs::read_to_string(d.path().join("cost_of_care.csv")).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "country,families,family_years,programme_cost,cost_per_family_year,cost_per_child_year,cost_per_family,residential_per_child_year,foster_per_child_year,residential_to_support,currency,price_year,suppressed,horizon_years,children_programme,placements_avoided,cost_per_placement,public_cost_avoided,public_cost_avoided_per_family,cost_avoided_per_cost,avoided_note");
        assert_eq!(
            lines[1],
            "AL,12,12.0,1200.0,100.0,40.0,100.0,6000.0,,60.0,EUR,2024,false,5.0,24,1.5,8000.0,12000.0,1000.0,10.0,"
        );
        assert_eq!(lines[2], "AM,,,,,,,6000.0,,,EUR,2024,true,5.0,,,,,,,");
    }
}
