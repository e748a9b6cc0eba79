//! The published tables as files: the outcome stage's rows and the cost of care as
//! [`crate::output::Table`]s, with the column names of docs/outputs.md.
//!
//! Each row type lists its columns once ([`OutcomeTable`]); the shared table writer turns
//! them into CSV and Parquet, so the two formats cannot disagree. Missing numbers are
//! empty CSV fields and Parquet nulls. The stages compute rows; writing them is the
//! pipeline's, so no stage depends on the output layer.

use std::path::Path;

use crate::costs::CostOfCareRow;
use crate::outcomes::*;
use crate::output::{Column, OutputError, Table};

/// A Rust field type that maps to one output column type.
pub trait IntoColumn: Sized {
    fn column(values: Vec<Self>) -> Column;
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl IntoColumn for String {
    fn column(v: Vec<Self>) -> Column {
        Column::Text(v)
    }
}
impl IntoColumn for u64 {
    fn column(v: Vec<Self>) -> Column {
        Column::Int(v.into_iter().map(|x| Some(int(x))).collect())
    }
}
impl IntoColumn for Option<u64> {
    fn column(v: Vec<Self>) -> Column {
        Column::Int(v.into_iter().map(|x| x.map(int)).collect())
    }
}
impl IntoColumn for u32 {
    fn column(v: Vec<Self>) -> Column {
        Column::Int(v.into_iter().map(|x| Some(i64::from(x))).collect())
    }
}
impl IntoColumn for i32 {
    fn column(v: Vec<Self>) -> Column {
        Column::Int(v.into_iter().map(|x| Some(i64::from(x))).collect())
    }
}
impl IntoColumn for f64 {
    fn column(v: Vec<Self>) -> Column {
        Column::Float(v.into_iter().map(Some).collect())
    }
}
impl IntoColumn for Option<f64> {
    fn column(v: Vec<Self>) -> Column {
        Column::Float(v)
    }
}
impl IntoColumn for bool {
    fn column(v: Vec<Self>) -> Column {
        Column::Bool(v)
    }
}

/// A row type written as an output table.
pub trait OutcomeTable: Sized {
    /// The table `name` holding `rows`, columns in interface order.
    fn table(name: &str, rows: &[Self]) -> Table;
}

macro_rules! outcome_table {
    ($ty:ty { $($name:ident),* $(,)? }) => {
        impl OutcomeTable for $ty {
            fn table(name: &str, rows: &[Self]) -> Table {
                Table::new(name)
                    $(.with(
                        stringify!($name),
                        IntoColumn::column(rows.iter().map(|r| r.$name.clone()).collect()),
                    ))*
            }
        }
    };
}

outcome_table!(FollowupRow {
    group,
    domain,
    year,
    due,
    observed,
    response_rate,
    doing_well,
    share,
    ci_low,
    ci_high,
    share_weighted,
    ci_low_weighted,
    ci_high_weighted,
    suppressed
});
outcome_table!(ScoreChangeRow {
    group,
    domain,
    year,
    n,
    mean_change,
    ci_low,
    ci_high,
    improved,
    same,
    worse,
    suppressed
});
outcome_table!(ScoreLevelRow {
    group,
    domain,
    stage,
    n,
    mean_score,
    suppressed
});
outcome_table!(SurvivalCurveRow {
    group,
    level,
    day,
    at_risk,
    events,
    censored,
    survival,
    ci_low,
    ci_high
});
outcome_table!(SurvivalYearRow {
    group,
    level,
    year,
    survival,
    ci_low,
    ci_high,
    at_risk,
    suppressed
});
outcome_table!(SurvivalTestRow {
    by,
    level,
    chi_square,
    df,
    p_value
});
outcome_table!(IncomeEffectRow {
    group,
    year,
    n_programme,
    n_comparison,
    mean_delta_programme,
    mean_delta_comparison,
    effect,
    ci_low,
    ci_high,
    method,
    suppressed
});
outcome_table!(IncomeTrajectoryRow {
    group,
    arm,
    year,
    n,
    mean_income,
    ci_low,
    ci_high,
    suppressed
});
outcome_table!(DuringProgrammeRow {
    group,
    measure,
    numerator,
    denominator,
    share,
    ci_low,
    ci_high,
    suppressed
});

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
    let tables = [
        FollowupRow::table("followup_domains", &outcomes.followup_domains),
        ScoreChangeRow::table("score_change", &outcomes.score_change),
        ScoreLevelRow::table("score_levels", &outcomes.score_levels),
        SurvivalCurveRow::table("survival_curve", &outcomes.survival_curve),
        SurvivalYearRow::table("survival_years", &outcomes.survival_years),
        SurvivalTestRow::table("survival_tests", &outcomes.survival_tests),
        IncomeEffectRow::table("income_effect", &outcomes.income_effect),
        IncomeTrajectoryRow::table("income_trajectory", &outcomes.income_trajectory),
        DuringProgrammeRow::table("during_programme", &outcomes.during_programme),
    ];
    let mut files = Vec::new();
    for t in &tables {
        files.extend(t.write(dir, csv, parquet)?);
    }
    Ok(files)
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
    let int = |f: fn(&CostOfCareRow) -> Option<u64>| {
        rows.iter()
            .map(move |r| f(r).and_then(|v| i64::try_from(v).ok()))
    };
    let float = |f: fn(&CostOfCareRow) -> Option<f64>| rows.iter().map(f);
    Table::new("cost_of_care")
        .text("country", rows.iter().map(|r| r.country.clone()))
        .int("families", int(|r| r.families))
        .float("family_years", float(|r| r.family_years))
        .float("programme_cost", float(|r| r.programme_cost))
        .float("cost_per_family_year", float(|r| r.cost_per_family_year))
        .float("cost_per_family", float(|r| r.cost_per_family))
        .float(
            "residential_per_child_year",
            float(|r| r.residential_per_child_year),
        )
        .float("foster_per_child_year", float(|r| r.foster_per_child_year))
        .float(
            "residential_to_support",
            float(|r| r.residential_to_support),
        )
        .text("currency", rows.iter().map(|r| r.currency.clone()))
        .int(
            "price_year",
            rows.iter().map(|r| Some(i64::from(r.price_year))),
        )
        .boolean("suppressed", rows.iter().map(|r| r.suppressed))
        .float("horizon_years", float(|r| Some(r.horizon_years)))
        .int("children_programme", int(|r| r.children_programme))
        .float("placements_avoided", float(|r| r.placements_avoided))
        .float("cost_per_placement", float(|r| r.cost_per_placement))
        .float("public_cost_avoided", float(|r| r.public_cost_avoided))
        .float(
            "public_cost_avoided_per_family",
            float(|r| r.public_cost_avoided_per_family),
        )
        .float("cost_avoided_per_cost", float(|r| r.cost_avoided_per_cost))
        .opt_text(
            "avoided_note",
            rows.iter()
                .map(|r| Some(r.avoided_note.clone()).filter(|n| !n.is_empty())),
        )
        .write(dir, csv, parquet)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(group: &str, share: Option<f64>) -> DuringProgrammeRow {
        DuringProgrammeRow {
            group: group.into(),
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
    fn columns_follow_the_row_fields_and_nulls_stay_empty() {
        let t = DuringProgrammeRow::table(
            "during_programme",
            &[row("all", Some(0.25)), row("x=y", None)],
        );
        assert_eq!(t.name(), "during_programme");
        assert_eq!(
            t.to_csv(),
            "group,measure,numerator,denominator,share,ci_low,ci_high,suppressed\n\
             all,self_reliant_at_exit,3,12,0.25,,,false\n\
             x=y,self_reliant_at_exit,,,,,,true\n"
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
        write_cost_of_care(
            &[row("AL", Some(12)), row("AM", None)],
            d.path(),
            true,
            false,
        )
        .unwrap();
        let csv = std::fs::read_to_string(d.path().join("cost_of_care.csv")).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "country,families,family_years,programme_cost,cost_per_family_year,cost_per_family,residential_per_child_year,foster_per_child_year,residential_to_support,currency,price_year,suppressed,horizon_years,children_programme,placements_avoided,cost_per_placement,public_cost_avoided,public_cost_avoided_per_family,cost_avoided_per_cost,avoided_note");
        assert_eq!(
            lines[1],
            "AL,12,12.0,1200.0,100.0,100.0,6000.0,,60.0,EUR,2024,false,5.0,24,1.5,8000.0,12000.0,1000.0,10.0,"
        );
        assert_eq!(lines[2], "AM,,,,,,6000.0,,,EUR,2024,true,5.0,,,,,,,");
    }
}
