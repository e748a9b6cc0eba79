//! The outcome tables as [`crate::output::Table`]s, with the column names of
//! `interface.md`.
//!
//! Each row type lists its columns once ([`OutcomeTable`]); the shared table writer turns
//! them into CSV and Parquet, so the two formats cannot disagree. Missing numbers are
//! empty CSV fields and Parquet nulls.

use crate::output::{Column, Table};

use super::rows::*;

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
}
