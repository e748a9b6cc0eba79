//! The propensity model's design: the named baseline covariates of each cohort family as
//! numbers.
//!
//! Numbers are used as given, booleans as 0/1, categories as one-hot columns with the
//! first level as the reference (closed vocabularies in the contract's order, others in
//! sorted order). A missing value is not a reason to drop a family from the adjusted
//! comparison (intake income is missing for every family without an income row): a
//! missing category or boolean is a level of its own, and a missing number is set to the
//! mean of the observed values with an indicator column beside it (the missing-indicator
//! method, which balances who is missing as well as the observed values; Rosenbaum & Rubin
//! 1984). The balance table reads the same columns, before the reference level is
//! dropped, so every level is checked.

use std::collections::BTreeSet;

use super::AdjustError;
use crate::ingest::{Dataset, ExtraValues};
use crate::schema;

/// What the design needs of a cohort family that the dataset does not hold directly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CohortFamily {
    /// Row of the family in `ds.families`.
    pub family: usize,
    pub programme: bool,
    /// Mean intake assessment score, if assessed at intake.
    pub intake_score: Option<f64>,
    /// Annual real income at intake, if observed.
    pub intake_income: Option<f64>,
}

/// One covariate's values over the cohort, before encoding.
enum Values {
    Number(Vec<Option<f64>>),
    Flag(Vec<Option<bool>>),
    /// Level names in reference-first order, and each family's level.
    Category(Vec<String>, Vec<Option<usize>>),
}

/// One column of the encoded design.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignColumn {
    /// The covariate it encodes (as named in the model).
    pub covariate: String,
    /// `None` for a number or a boolean; the level for a category's indicator
    /// (`"(missing)"` for the missing level), or `"(missing)"` for a number's missing
    /// indicator.
    pub level: Option<String>,
    /// 0/1 column (shares, whose variance is `p (1 - p)`).
    pub binary: bool,
    /// In the model (false for a category's reference level, kept for balance only).
    pub in_model: bool,
}

impl DesignColumn {
    /// `risk_level=high`, `intake_income`, `intake_income=(missing)`.
    pub fn label(&self) -> String {
        match &self.level {
            Some(l) => format!("{}={l}", self.covariate),
            None => self.covariate.clone(),
        }
    }
}

/// The encoded covariates of the cohort: one row per family, every column (model columns
/// and the reference levels).
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub columns: Vec<DesignColumn>,
    /// Row-major values, `rows x columns.len()`.
    pub values: Vec<f64>,
    pub programme: Vec<bool>,
    /// Covariates of the defaults left out, and why.
    pub dropped: Vec<String>,
}

impl Design {
    pub fn rows(&self) -> usize {
        self.programme.len()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        let p = self.columns.len();
        &self.values[i * p..(i + 1) * p]
    }

    /// The model's columns of row `i` (reference levels left out), appended to `out`.
    pub fn model_row(&self, i: usize, out: &mut Vec<f64>) {
        out.extend(
            self.row(i)
                .iter()
                .zip(&self.columns)
                .filter(|(_, c)| c.in_model)
                .map(|(v, _)| *v),
        );
    }

    /// Names of the model's columns.
    pub fn model_columns(&self) -> Vec<&DesignColumn> {
        self.columns.iter().filter(|c| c.in_model).collect()
    }
}

/// The covariates that can be named: the built-in intake covariates and every extra
/// baseline column of `families`.
pub fn available(ds: &Dataset) -> Vec<String> {
    let mut v: Vec<String> = crate::settings::DEFAULT_COVARIATES
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(ds.families.extra.names().into_iter().map(str::to_string));
    v
}

fn values_of(ds: &Dataset, cohort: &[CohortFamily], name: &str) -> Option<Values> {
    let f = &ds.families;
    let closed = |codes: &dyn Fn(usize) -> u8, levels: &[&str]| {
        Values::Category(
            levels.iter().map(|s| s.to_string()).collect(),
            cohort
                .iter()
                .map(|c| Some(usize::from(codes(c.family))))
                .collect(),
        )
    };
    Some(match name {
        "country" => {
            let used: BTreeSet<u32> = cohort.iter().map(|c| f.country[c.family]).collect();
            let levels: Vec<u32> = used.into_iter().collect();
            let mut names: Vec<(String, u32)> = levels
                .iter()
                .map(|&code| (f.countries[code as usize].clone(), code))
                .collect();
            names.sort();
            let index = |code: u32| names.iter().position(|(_, c)| *c == code);
            Values::Category(
                names.iter().map(|(n, _)| n.clone()).collect(),
                cohort.iter().map(|c| index(f.country[c.family])).collect(),
            )
        }
        "risk_level" => closed(&|i| f.risk_level[i], schema::RISK_LEVELS),
        "household_type" => closed(&|i| f.household_type[i], schema::HOUSEHOLD_TYPES),
        "minority" => Values::Flag(cohort.iter().map(|c| f.minority[c.family]).collect()),
        "disability" => Values::Flag(cohort.iter().map(|c| f.disability[c.family]).collect()),
        "children_count" => Values::Number(
            cohort
                .iter()
                .map(|c| Some(f64::from(f.children_count[c.family])))
                .collect(),
        ),
        "intake_score" => Values::Number(cohort.iter().map(|c| c.intake_score).collect()),
        "intake_income" => Values::Number(cohort.iter().map(|c| c.intake_income).collect()),
        other => {
            let col = f.extra.get(other)?;
            match &col.values {
                ExtraValues::Number(v) => {
                    Values::Number(cohort.iter().map(|c| v[c.family]).collect())
                }
                ExtraValues::Flag(v) => Values::Flag(cohort.iter().map(|c| v[c.family]).collect()),
                ExtraValues::Category(v) => {
                    let levels: BTreeSet<&str> = cohort
                        .iter()
                        .filter_map(|c| v[c.family].as_deref())
                        .collect();
                    let levels: Vec<String> = levels.into_iter().map(str::to_string).collect();
                    let of = cohort
                        .iter()
                        .map(|c| {
                            v[c.family]
                                .as_deref()
                                .and_then(|s| levels.iter().position(|l| l == s))
                        })
                        .collect();
                    Values::Category(levels, of)
                }
            }
        }
    })
}

/// Why a covariate cannot separate the arms' families in a usable way: it takes one value
/// in an arm (then any other value identifies the other arm, and the model cannot be
/// fitted, or the arms do not overlap on it).
fn constant_in_arm(v: &Values, cohort: &[CohortFamily]) -> Option<String> {
    let key = |i: usize| -> String {
        match v {
            Values::Number(x) => x[i].map_or("missing".into(), |x| x.to_string()),
            Values::Flag(x) => x[i].map_or("missing".into(), |x| x.to_string()),
            Values::Category(levels, x) => x[i].map_or("missing".into(), |l| levels[l].clone()),
        }
    };
    let mut all = BTreeSet::new();
    for i in 0..cohort.len() {
        all.insert(key(i));
    }
    if all.len() < 2 {
        return Some(format!(
            "it takes one value ({}) in the whole cohort",
            all.into_iter().next().unwrap_or_default()
        ));
    }
    for (programme, arm) in [(true, "programme"), (false, "comparison")] {
        let seen: BTreeSet<String> = (0..cohort.len())
            .filter(|&i| cohort[i].programme == programme)
            .map(key)
            .collect();
        if seen.len() == 1 {
            return Some(format!(
                "it takes one value ({}) in the {arm} arm but varies in the other, so the arms do not overlap on it",
                seen.into_iter().next().unwrap_or_default()
            ));
        }
    }
    None
}

/// Encode the named covariates of the cohort.
///
/// A covariate of the defaults that the dataset cannot support (no intake income in any
/// family, one value in an arm) is left out with a note in [`Design::dropped`]; a
/// covariate the model names explicitly is an error instead.
///
/// # Errors
/// [`AdjustError::UnknownCovariate`] for a name that is neither built in nor an extra
/// column of `families`; [`AdjustError::ConstantCovariate`] as above.
pub fn design(
    ds: &Dataset,
    cohort: &[CohortFamily],
    names: &[String],
    defaults: bool,
) -> Result<Design, AdjustError> {
    let mut columns: Vec<DesignColumn> = Vec::new();
    let mut cols: Vec<Vec<f64>> = Vec::new();
    let mut dropped = Vec::new();
    for name in names {
        let Some(v) = values_of(ds, cohort, name) else {
            return Err(AdjustError::UnknownCovariate {
                name: name.clone(),
                available: available(ds),
            });
        };
        if let Some(why) = constant_in_arm(&v, cohort) {
            if defaults {
                dropped.push(format!("{name}: {why}"));
                continue;
            }
            return Err(AdjustError::ConstantCovariate {
                name: name.clone(),
                why,
            });
        }
        let before = (columns.len(), cols.len());
        let col = |level: Option<String>, binary: bool, in_model: bool| DesignColumn {
            covariate: name.clone(),
            level,
            binary,
            in_model,
        };
        match v {
            Values::Number(x) => {
                let seen: Vec<f64> = x.iter().flatten().copied().collect();
                let mean = seen.iter().sum::<f64>() / seen.len().max(1) as f64;
                columns.push(col(None, false, true));
                cols.push(x.iter().map(|v| v.unwrap_or(mean)).collect());
                if seen.len() < x.len() {
                    columns.push(col(Some("(missing)".into()), true, true));
                    cols.push(x.iter().map(|v| f64::from(u8::from(v.is_none()))).collect());
                }
            }
            Values::Flag(x) => {
                columns.push(col(None, true, true));
                cols.push(
                    x.iter()
                        .map(|v| f64::from(u8::from(*v == Some(true))))
                        .collect(),
                );
                if x.iter().any(Option::is_none) {
                    columns.push(col(Some("(missing)".into()), true, true));
                    cols.push(x.iter().map(|v| f64::from(u8::from(v.is_none()))).collect());
                }
            }
            Values::Category(levels, x) => {
                let mut present: Vec<usize> = x.iter().flatten().copied().collect();
                present.sort_unstable();
                present.dedup();
                let mut first = true;
                for l in present {
                    columns.push(col(Some(levels[l].clone()), true, !first));
                    cols.push(
                        x.iter()
                            .map(|v| f64::from(u8::from(*v == Some(l))))
                            .collect(),
                    );
                    first = false;
                }
                if x.iter().any(Option::is_none) {
                    columns.push(col(Some("(missing)".into()), true, !first));
                    cols.push(x.iter().map(|v| f64::from(u8::from(v.is_none()))).collect());
                }
            }
        }
        // A default covariate with a level (or a missing value) found in one arm only
        // would separate the arms: leave it out, saying why. Named explicitly, it is
        // kept and the fit reports the separation.
        if defaults {
            let lonely = (before.0..columns.len()).find_map(|j| {
                let arms = |p: bool| {
                    cols[j]
                        .iter()
                        .zip(cohort)
                        .filter(|(v, c)| **v > 0.5 && c.programme == p)
                        .count()
                };
                let (np, nc) = (arms(true), arms(false));
                (columns[j].binary && columns[j].in_model && (np == 0) != (nc == 0)).then(|| {
                    format!(
                        "{name}: {} only in the {} arm ({} families), which would separate the arms",
                        match columns[j].level.as_deref() {
                            Some("(missing)") => "missing".to_string(),
                            Some(l) => format!("level {l}"),
                            None => "true".to_string(),
                        },
                        if np > 0 { "programme" } else { "comparison" },
                        np + nc
                    )
                })
            });
            if let Some(why) = lonely {
                columns.truncate(before.0);
                cols.truncate(before.1);
                dropped.push(why);
            }
        }
    }
    let n = cohort.len();
    let p = columns.len();
    let mut values = vec![0.0; n * p];
    for (j, c) in cols.iter().enumerate() {
        for (i, v) in c.iter().enumerate() {
            values[i * p + j] = *v;
        }
    }
    Ok(Design {
        columns,
        values,
        programme: cohort.iter().map(|c| c.programme).collect(),
        dropped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcomes::test_data::Builder;

    fn cohort(ds: &Dataset, scores: &[Option<f64>]) -> Vec<CohortFamily> {
        (0..ds.families.len())
            .map(|f| CohortFamily {
                family: f,
                programme: ds.families.arm[f] == 0,
                intake_score: scores[f],
                intake_income: None,
            })
            .collect()
    }

    #[test]
    fn categories_are_one_hot_with_the_first_level_as_reference_and_numbers_get_a_missing_indicator(
    ) {
        let mut b = Builder::new(5000);
        // family(arm, country, risk, household, exit)
        b.family(0, 0, 0, 0, Some(100));
        b.family(0, 0, 2, 0, Some(100));
        b.family(1, 0, 0, 0, Some(100));
        b.family(1, 0, 2, 0, Some(100));
        let ds = b.build();
        let c = cohort(&ds, &[Some(2.0), None, Some(3.0), Some(4.0)]);
        let d = design(
            &ds,
            &c,
            &["risk_level".to_string(), "intake_score".to_string()],
            false,
        )
        .unwrap();
        let labels: Vec<String> = d.columns.iter().map(DesignColumn::label).collect();
        assert_eq!(
            labels,
            [
                "risk_level=low",
                "risk_level=high",
                "intake_score",
                "intake_score=(missing)"
            ]
        );
        assert_eq!(
            d.columns.iter().map(|c| c.in_model).collect::<Vec<_>>(),
            [false, true, true, true]
        );
        // The missing score is the mean of the observed ones, (2 + 3 + 4) / 3 = 3.
        assert_eq!(d.row(1), &[0.0, 1.0, 3.0, 1.0]);
        let mut m = Vec::new();
        d.model_row(2, &mut m);
        assert_eq!(m, [0.0, 3.0, 0.0]);
    }

    #[test]
    fn extra_columns_are_covariates_in_sorted_level_order() {
        use crate::ingest::{ExtraColumn, ExtraColumns};
        let mut b = Builder::new(5000);
        for arm in [0, 0, 1, 1] {
            b.family(arm, 0, 0, 0, Some(100));
        }
        let mut ds = b.build();
        ds.families.extra = ExtraColumns(vec![
            ExtraColumn {
                name: "caste".into(),
                values: ExtraValues::Category(vec![
                    Some("b".into()),
                    Some("a".into()),
                    None,
                    Some("b".into()),
                ]),
            },
            ExtraColumn {
                name: "deprivation".into(),
                values: ExtraValues::Number(vec![Some(1.0), Some(2.0), Some(4.0), Some(3.0)]),
            },
        ]);
        let c = cohort(&ds, &[None; 4]);
        let d = design(&ds, &c, &["caste".into(), "deprivation".into()], false).unwrap();
        let labels: Vec<String> = d.columns.iter().map(DesignColumn::label).collect();
        assert_eq!(
            labels,
            ["caste=a", "caste=b", "caste=(missing)", "deprivation"]
        );
        assert_eq!(d.row(2), &[0.0, 0.0, 1.0, 4.0]);
        assert!(!d.columns[0].in_model && d.columns[1].in_model);
    }

    #[test]
    fn a_default_missing_in_one_arm_only_is_left_out_and_named() {
        let mut b = Builder::new(5000);
        for arm in [0, 0, 1, 1] {
            b.family(arm, 0, 0, 0, Some(100));
        }
        let ds = b.build();
        // The second programme family has no intake score; every comparison family has.
        let c = cohort(&ds, &[Some(2.0), None, Some(3.0), Some(2.5)]);
        let d = design(&ds, &c, &["intake_score".into()], true).unwrap();
        assert!(d.columns.is_empty());
        assert_eq!(
            d.dropped,
            ["intake_score: missing only in the programme arm (1 families), which would separate the arms"]
        );
        // Named explicitly it stays (and the fit names the separation).
        let d = design(&ds, &c, &["intake_score".into()], false).unwrap();
        assert_eq!(d.columns.len(), 2);
    }

    #[test]
    fn unknown_and_constant_covariates_are_named() {
        let mut b = Builder::new(5000);
        b.family(0, 0, 0, 0, Some(100));
        b.family(0, 0, 2, 0, Some(100));
        b.family(1, 0, 0, 0, Some(100));
        b.family(1, 0, 0, 0, Some(100));
        let ds = b.build();
        let c = cohort(&ds, &[None; 4]);
        let e = design(&ds, &c, &["caste".to_string()], false).unwrap_err();
        assert!(e.to_string().contains("caste"), "{e}");
        assert!(e.to_string().contains("risk_level"), "{e}");
        let e = design(&ds, &c, &["risk_level".to_string()], false).unwrap_err();
        assert!(
            e.to_string()
                .contains("one value (low) in the comparison arm"),
            "{e}"
        );
        // As a default it is dropped with the reason.
        let d = design(&ds, &c, &["risk_level".to_string()], true).unwrap();
        assert!(d.columns.is_empty() && d.dropped[0].starts_with("risk_level"));
    }
}
