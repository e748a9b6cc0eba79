//! The result tables as the report uses them: one typed row per table row.
//!
//! Column names are those of interface.md (and of the extra tables the outcomes stage
//! writes). Disclosure control is enforced here, once, for everything downstream: a
//! row marked `suppressed` (or, for tables without that column, resting on fewer than
//! `min_cell` families) has every number blanked, so no chart or paragraph can print a
//! value that was not meant to be published.

use super::table::Table;
use super::ReportError;

/// Reads the columns of one table by name.
struct Cols<'a> {
    t: &'a Table,
}

impl<'a> Cols<'a> {
    fn text(&self, c: &str) -> Result<Vec<String>, ReportError> {
        Ok(self
            .t
            .texts(c)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect())
    }
    fn num(&self, c: &str) -> Result<Vec<Option<f64>>, ReportError> {
        self.t.numbers(c)
    }
    /// An optional numeric column: all `None` when absent.
    fn num_opt(&self, c: &str) -> Result<Vec<Option<f64>>, ReportError> {
        if self.t.has(c) {
            self.t.numbers(c)
        } else {
            Ok(vec![None; self.t.len()])
        }
    }
    /// A whole number that identifies a row (year, day); required.
    fn int(&self, c: &str) -> Result<Vec<i64>, ReportError> {
        self.t
            .numbers(c)?
            .into_iter()
            .enumerate()
            .map(|(row, v)| {
                v.map(|v| v.round() as i64)
                    .ok_or_else(|| ReportError::Column {
                        path: self.t.path.clone(),
                        column: c.to_string(),
                        problem: format!("row {}: empty, but every row needs a value", row + 1),
                    })
            })
            .collect()
    }
    fn suppressed(&self) -> Result<Vec<bool>, ReportError> {
        self.t.suppressed()
    }
}

/// Blanks `v` when the row is suppressed.
fn shown(v: Option<f64>, suppressed: bool) -> Option<f64> {
    if suppressed {
        None
    } else {
        v
    }
}

/// The arm of each row: the `arm` column, `programme` for tables without one.
fn arms(t: &Table) -> Result<Vec<String>, ReportError> {
    if t.has("arm") {
        Cols { t }.text("arm")
    } else {
        Ok(vec!["programme".to_string(); t.len()])
    }
}

/// The outcome tables report every group per arm; the report shows the programme arm
/// where it shows `all` and compares the arms as the groups `arm=programme` and
/// `arm=comparison`. So: programme rows are kept as they are; a comparison row of `all`
/// becomes the group `arm=comparison` (other comparison rows are not shown, except
/// those of an `arm` breakdown); with `both`, programme rows of `all` are also given as
/// `arm=programme` (unless the table has that group already).
fn by_arm<R: Clone>(
    rows: Vec<R>,
    arms: &[String],
    group: impl Fn(&mut R) -> &mut String,
    both: bool,
) -> Vec<R> {
    let mut rows = rows;
    let has_programme_group = rows.iter_mut().any(|r| group(r) == "arm=programme");
    let mut out = Vec::with_capacity(rows.len());
    for (mut r, arm) in rows.into_iter().zip(arms) {
        let g = group(&mut r).clone();
        if arm == "programme" {
            if both && g == "all" && !has_programme_group {
                let mut copy = r.clone();
                *group(&mut copy) = "arm=programme".to_string();
                out.push(r);
                out.push(copy);
            } else {
                out.push(r);
            }
        } else if g == "all" {
            *group(&mut r) = format!("arm={arm}");
            out.push(r);
        } else if g.starts_with("arm=") {
            out.push(r);
        }
    }
    out
}

/// One row of `tables/followup_domains`.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowupRow {
    pub group: String,
    pub domain: String,
    pub year: i64,
    pub due: Option<f64>,
    pub observed: Option<f64>,
    pub response_rate: Option<f64>,
    pub doing_well: Option<f64>,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub share_weighted: Option<f64>,
    pub ci_low_weighted: Option<f64>,
    pub ci_high_weighted: Option<f64>,
    pub suppressed: bool,
}

/// Reads `tables/followup_domains`.
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn followup(t: &Table) -> Result<Vec<FollowupRow>, ReportError> {
    let c = Cols { t };
    let (group, domain, year, s) = (
        c.text("group")?,
        c.text("domain")?,
        c.int("year")?,
        c.suppressed()?,
    );
    let n = [
        "due",
        "observed",
        "response_rate",
        "doing_well",
        "share",
        "ci_low",
        "ci_high",
        "share_weighted",
        "ci_low_weighted",
        "ci_high_weighted",
    ]
    .map(|name| c.num(name));
    let [due, observed, rr, dw, share, lo, hi, sw, lw, hw] = n;
    let (due, observed, rr, dw, share, lo, hi, sw, lw, hw) =
        (due?, observed?, rr?, dw?, share?, lo?, hi?, sw?, lw?, hw?);
    let rows: Vec<_> = (0..t.len())
        .map(|i| FollowupRow {
            group: group[i].clone(),
            domain: domain[i].clone(),
            year: year[i],
            // Due and observed counts describe follow-up effort, not families' outcomes,
            // but a suppressed cell's counts could still reveal it: blanked too.
            due: shown(due[i], s[i]),
            observed: shown(observed[i], s[i]),
            response_rate: shown(rr[i], s[i]),
            doing_well: shown(dw[i], s[i]),
            share: shown(share[i], s[i]),
            ci_low: shown(lo[i], s[i]),
            ci_high: shown(hi[i], s[i]),
            share_weighted: shown(sw[i], s[i]),
            ci_low_weighted: shown(lw[i], s[i]),
            ci_high_weighted: shown(hw[i], s[i]),
            suppressed: s[i],
        })
        .collect();
    Ok(by_arm(rows, &arms(t)?, |r| &mut r.group, false))
}

/// One row of `tables/survival_curve` (rows below the disclosure threshold are not in
/// the table at all).
#[derive(Debug, Clone, PartialEq)]
pub struct CurveRow {
    pub group: String,
    pub level: String,
    pub day: i64,
    pub at_risk: Option<f64>,
    pub survival: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// At risk below `min_cell` (defensive: the table should not hold such rows).
    pub suppressed: bool,
}

/// Reads `tables/survival_curve`; a row with fewer than `min_cell` at risk is marked
/// suppressed and blanked even if the table did not mark it.
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn survival_curve(t: &Table, min_cell: u32) -> Result<Vec<CurveRow>, ReportError> {
    let c = Cols { t };
    let (group, level, day) = (c.text("group")?, c.text("level")?, c.int("day")?);
    let (at_risk, surv, lo, hi) = (
        c.num("at_risk")?,
        c.num("survival")?,
        c.num("ci_low")?,
        c.num("ci_high")?,
    );
    let marked = c.suppressed()?;
    let rows: Vec<_> = (0..t.len())
        .map(|i| {
            let s = marked[i] || at_risk[i].is_some_and(|n| n < f64::from(min_cell));
            CurveRow {
                group: group[i].clone(),
                level: level[i].clone(),
                day: day[i],
                at_risk: shown(at_risk[i], s),
                survival: shown(surv[i], s),
                ci_low: shown(lo[i], s),
                ci_high: shown(hi[i], s),
                suppressed: s,
            }
        })
        .collect();
    Ok(by_arm(rows, &arms(t)?, |r| &mut r.group, t.has("arm")))
}

/// One row of `tables/survival_years`.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalYearRow {
    pub group: String,
    pub level: String,
    pub year: i64,
    pub survival: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub at_risk: Option<f64>,
    pub suppressed: bool,
}

/// Reads `tables/survival_years`.
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn survival_years(t: &Table) -> Result<Vec<SurvivalYearRow>, ReportError> {
    let c = Cols { t };
    let (group, level, year, s) = (
        c.text("group")?,
        c.text("level")?,
        c.int("year")?,
        c.suppressed()?,
    );
    let (surv, lo, hi, at_risk) = (
        c.num("survival")?,
        c.num("ci_low")?,
        c.num("ci_high")?,
        c.num("at_risk")?,
    );
    let rows: Vec<_> = (0..t.len())
        .map(|i| SurvivalYearRow {
            group: group[i].clone(),
            level: level[i].clone(),
            year: year[i],
            survival: shown(surv[i], s[i]),
            ci_low: shown(lo[i], s[i]),
            ci_high: shown(hi[i], s[i]),
            at_risk: shown(at_risk[i], s[i]),
            suppressed: s[i],
        })
        .collect();
    Ok(by_arm(rows, &arms(t)?, |r| &mut r.group, t.has("arm")))
}

/// One row of `tables/survival_tests`.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalTestRow {
    pub by: String,
    pub level: String,
    pub chi_square: Option<f64>,
    pub df: Option<f64>,
    pub p_value: Option<f64>,
}

/// Reads `tables/survival_tests`.
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn survival_tests(t: &Table) -> Result<Vec<SurvivalTestRow>, ReportError> {
    let c = Cols { t };
    let (by, level) = (c.text("by")?, c.text("level")?);
    let (chi, df, p) = (c.num("chi_square")?, c.num("df")?, c.num("p_value")?);
    Ok((0..t.len())
        .map(|i| SurvivalTestRow {
            by: by[i].clone(),
            level: level[i].clone(),
            chi_square: chi[i],
            df: df[i],
            p_value: p[i],
        })
        .collect())
}

/// One row of `tables/score_change`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreChangeRow {
    pub group: String,
    pub domain: String,
    pub year: i64,
    pub n: Option<f64>,
    pub mean_change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Share improved (counts in the table are turned into shares of `n`).
    pub improved: Option<f64>,
    pub same: Option<f64>,
    pub worse: Option<f64>,
    pub suppressed: bool,
}

/// Reads `tables/score_change`. `improved` / `same` / `worse` may be shares or counts;
/// a row whose three values sum to more than 1.5 holds counts and is divided by `n`.
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn score_change(t: &Table) -> Result<Vec<ScoreChangeRow>, ReportError> {
    let c = Cols { t };
    let (group, domain, year, s) = (
        c.text("group")?,
        c.text("domain")?,
        c.int("year")?,
        c.suppressed()?,
    );
    let (n, mean, lo, hi) = (
        c.num("n")?,
        c.num("mean_change")?,
        c.num("ci_low")?,
        c.num("ci_high")?,
    );
    let (imp, same, worse) = (c.num("improved")?, c.num("same")?, c.num("worse")?);
    let rows: Vec<_> = (0..t.len())
        .map(|i| {
            let sum = imp[i].unwrap_or(0.0) + same[i].unwrap_or(0.0) + worse[i].unwrap_or(0.0);
            let as_share = |v: Option<f64>| match n[i] {
                Some(n) if sum > 1.5 && n > 0.0 => v.map(|v| v / n),
                _ if sum > 1.5 => None,
                _ => v,
            };
            ScoreChangeRow {
                group: group[i].clone(),
                domain: domain[i].clone(),
                year: year[i],
                n: shown(n[i], s[i]),
                mean_change: shown(mean[i], s[i]),
                ci_low: shown(lo[i], s[i]),
                ci_high: shown(hi[i], s[i]),
                improved: shown(as_share(imp[i]), s[i]),
                same: shown(as_share(same[i]), s[i]),
                worse: shown(as_share(worse[i]), s[i]),
                suppressed: s[i],
            }
        })
        .collect();
    Ok(by_arm(rows, &arms(t)?, |r| &mut r.group, false))
}

/// One row of `tables/income_effect`.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeEffectRow {
    pub group: String,
    pub year: i64,
    pub n_programme: Option<f64>,
    pub n_comparison: Option<f64>,
    pub mean_delta_programme: Option<f64>,
    pub mean_delta_comparison: Option<f64>,
    pub effect: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub method: String,
    pub suppressed: bool,
}

/// Reads `tables/income_effect`. interface.md gives it no `suppressed` column; a row is
/// treated as suppressed when it has one set, or when either arm's n is below
/// `min_cell` (an effect resting on too few families is never printed).
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn income_effect(t: &Table, min_cell: u32) -> Result<Vec<IncomeEffectRow>, ReportError> {
    let c = Cols { t };
    let (group, year, method, marked) = (
        c.text("group")?,
        c.int("year")?,
        c.text("method")?,
        c.suppressed()?,
    );
    let (np, nc) = (c.num("n_programme")?, c.num("n_comparison")?);
    let (dp, dc) = (
        c.num("mean_delta_programme")?,
        c.num("mean_delta_comparison")?,
    );
    let (eff, lo, hi) = (c.num("effect")?, c.num("ci_low")?, c.num("ci_high")?);
    let few = |n: Option<f64>| n.is_some_and(|n| n > 0.0 && n < f64::from(min_cell));
    Ok((0..t.len())
        .map(|i| {
            let s = marked[i] || few(np[i]) || few(nc[i]);
            IncomeEffectRow {
                group: group[i].clone(),
                year: year[i],
                n_programme: shown(np[i], s),
                n_comparison: shown(nc[i], s),
                mean_delta_programme: shown(dp[i], s),
                mean_delta_comparison: shown(dc[i], s),
                effect: shown(eff[i], s),
                ci_low: shown(lo[i], s),
                ci_high: shown(hi[i], s),
                method: method[i].clone(),
                suppressed: s,
            }
        })
        .collect())
}

/// One row of the optional `tables/score_levels`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreLevelRow {
    pub group: String,
    pub domain: String,
    /// `intake`, `exit` or `year_1` .. `year_5`.
    pub stage: String,
    pub n: Option<f64>,
    pub mean_score: Option<f64>,
    pub suppressed: bool,
}

/// Reads the optional `tables/score_levels`.
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn score_levels(t: &Table) -> Result<Vec<ScoreLevelRow>, ReportError> {
    let c = Cols { t };
    let (group, domain, stage, s) = (
        c.text("group")?,
        c.text("domain")?,
        c.text("stage")?,
        c.suppressed()?,
    );
    let (n, mean) = (c.num("n")?, c.num("mean_score")?);
    let rows: Vec<_> = (0..t.len())
        .map(|i| ScoreLevelRow {
            group: group[i].clone(),
            domain: domain[i].clone(),
            stage: stage[i].clone(),
            n: shown(n[i], s[i]),
            mean_score: shown(mean[i], s[i]),
            suppressed: s[i],
        })
        .collect();
    Ok(by_arm(rows, &arms(t)?, |r| &mut r.group, false))
}

/// One row of the optional `tables/income_trajectory`.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeLevelRow {
    pub group: String,
    /// `programme` or `comparison`.
    pub arm: String,
    /// -1 intake, 0 exit, 1..5 follow-up years.
    pub year: i64,
    pub n: Option<f64>,
    pub mean_income: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub suppressed: bool,
}

/// Reads the optional `tables/income_trajectory`.
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn income_trajectory(t: &Table) -> Result<Vec<IncomeLevelRow>, ReportError> {
    let c = Cols { t };
    let (group, arm, year, s) = (
        c.text("group")?,
        c.text("arm")?,
        c.int("year")?,
        c.suppressed()?,
    );
    let (n, mean, lo, hi) = (
        c.num("n")?,
        c.num("mean_income")?,
        c.num("ci_low")?,
        c.num("ci_high")?,
    );
    Ok((0..t.len())
        .map(|i| IncomeLevelRow {
            group: group[i].clone(),
            arm: arm[i].clone(),
            year: year[i],
            n: shown(n[i], s[i]),
            mean_income: shown(mean[i], s[i]),
            ci_low: shown(lo[i], s[i]),
            ci_high: shown(hi[i], s[i]),
            suppressed: s[i],
        })
        .collect())
}

/// One row of the optional `tables/during_programme`.
#[derive(Debug, Clone, PartialEq)]
pub struct DuringRow {
    pub group: String,
    /// `children_placed_during` or `self_reliant_at_exit`.
    pub measure: String,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub suppressed: bool,
}

/// Reads the optional `tables/during_programme`.
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn during_programme(t: &Table) -> Result<Vec<DuringRow>, ReportError> {
    let c = Cols { t };
    let (group, measure, s) = (c.text("group")?, c.text("measure")?, c.suppressed()?);
    let (num, den, share) = (c.num("numerator")?, c.num("denominator")?, c.num("share")?);
    let (lo, hi) = (c.num("ci_low")?, c.num("ci_high")?);
    let rows: Vec<_> = (0..t.len())
        .map(|i| DuringRow {
            group: group[i].clone(),
            measure: measure[i].clone(),
            numerator: shown(num[i], s[i]),
            denominator: shown(den[i], s[i]),
            share: shown(share[i], s[i]),
            ci_low: shown(lo[i], s[i]),
            ci_high: shown(hi[i], s[i]),
            suppressed: s[i],
        })
        .collect();
    Ok(by_arm(rows, &arms(t)?, |r| &mut r.group, false))
}

/// One row of the optional `tables/cost_of_care` (see `costs::CostOfCareRow`).
#[derive(Debug, Clone, PartialEq)]
pub struct CostRow {
    pub country: String,
    pub families: Option<f64>,
    pub cost_per_family_year: Option<f64>,
    pub cost_per_family: Option<f64>,
    /// Public reference costs: published figures, shown even for a suppressed country.
    pub residential_per_child_year: Option<f64>,
    pub foster_per_child_year: Option<f64>,
    pub residential_to_support: Option<f64>,
    pub suppressed: bool,
    /// Horizon of the avoided placements, years after exit (absent in older runs).
    pub horizon_years: Option<f64>,
    pub children_programme: Option<f64>,
    pub placements_avoided: Option<f64>,
    pub cost_per_placement: Option<f64>,
    /// Gross public cost of the placements avoided by the horizon.
    pub public_cost_avoided: Option<f64>,
    pub public_cost_avoided_per_family: Option<f64>,
    /// Public cost avoided per unit of programme cost.
    pub cost_avoided_per_cost: Option<f64>,
    /// Why the avoided cells are blank in a row that is not suppressed.
    pub avoided_note: String,
}

/// Reads the optional `tables/cost_of_care`; the avoided-placement columns are optional
/// (runs before they existed still render).
///
/// # Errors
/// [`ReportError::Column`] for a missing column or a value of the wrong kind.
pub fn cost_of_care(t: &Table) -> Result<Vec<CostRow>, ReportError> {
    let c = Cols { t };
    let (country, s) = (c.text("country")?, c.suppressed()?);
    let (fam, per_fy, per_f) = (
        c.num("families")?,
        c.num("cost_per_family_year")?,
        c.num_opt("cost_per_family")?,
    );
    let (res, fos, mult) = (
        c.num("residential_per_child_year")?,
        c.num("foster_per_child_year")?,
        c.num_opt("residential_to_support")?,
    );
    let horizon = c.num_opt("horizon_years")?;
    let (kids, avoided, per_placement) = (
        c.num_opt("children_programme")?,
        c.num_opt("placements_avoided")?,
        c.num_opt("cost_per_placement")?,
    );
    let (public, public_pf, per_cost) = (
        c.num_opt("public_cost_avoided")?,
        c.num_opt("public_cost_avoided_per_family")?,
        c.num_opt("cost_avoided_per_cost")?,
    );
    let note = if t.has("avoided_note") {
        c.text("avoided_note")?
    } else {
        vec![String::new(); t.len()]
    };
    Ok((0..t.len())
        .map(|i| CostRow {
            country: country[i].clone(),
            families: shown(fam[i], s[i]),
            cost_per_family_year: shown(per_fy[i], s[i]),
            cost_per_family: shown(per_f[i], s[i]),
            residential_per_child_year: res[i],
            foster_per_child_year: fos[i],
            residential_to_support: shown(mult[i], s[i]),
            suppressed: s[i],
            horizon_years: horizon[i],
            children_programme: shown(kids[i], s[i]),
            placements_avoided: shown(avoided[i], s[i]),
            cost_per_placement: shown(per_placement[i], s[i]),
            public_cost_avoided: shown(public[i], s[i]),
            public_cost_avoided_per_family: shown(public_pf[i], s[i]),
            cost_avoided_per_cost: shown(per_cost[i], s[i]),
            avoided_note: if s[i] { String::new() } else { note[i].clone() },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, text).unwrap();
        Table::read(&p).unwrap()
    }

    #[test]
    fn suppressed_rows_are_blanked() {
        let t = table(
            "group,domain,year,n,mean_score,stage,suppressed\nall,care,1,8,3.1,intake,true\nall,care,1,40,2.5,exit,false\n",
        );
        let rows = score_levels(&t).unwrap();
        assert_eq!(rows[0].mean_score, None);
        assert_eq!(rows[0].n, None);
        assert_eq!(rows[1].mean_score, Some(2.5));
    }

    #[test]
    fn curve_rows_below_min_cell_are_suppressed() {
        let t = table("group,level,day,at_risk,events,censored,survival,ci_low,ci_high\nall,child,10,50,1,0,0.98,0.9,0.99\nall,child,20,9,1,0,0.87,0.5,0.97\n");
        let rows = survival_curve(&t, 10).unwrap();
        assert!(!rows[0].suppressed);
        assert!(rows[1].suppressed);
        assert_eq!(rows[1].survival, None);
    }

    #[test]
    fn income_effect_on_too_few_families_is_not_shown() {
        let t = table("group,year,n_programme,n_comparison,mean_delta_programme,mean_delta_comparison,effect,ci_low,ci_high,method\nall,1,120,7,500,100,400,100,700,did\nall,2,120,80,600,150,450,200,700,did\n");
        let rows = income_effect(&t, 10).unwrap();
        assert!(rows[0].suppressed && rows[0].effect.is_none());
        assert_eq!(rows[1].effect, Some(450.0));
    }

    #[test]
    fn improved_counts_become_shares() {
        let t = table("group,domain,year,n,mean_change,ci_low,ci_high,improved,same,worse,suppressed\nall,care,1,40,0.5,0.3,0.7,20,10,10,false\nall,food_security,1,40,0.5,0.3,0.7,0.5,0.25,0.25,false\n");
        let rows = score_change(&t).unwrap();
        assert_eq!(rows[0].improved, Some(0.5));
        assert_eq!(rows[0].worse, Some(0.25));
        assert_eq!(rows[1].improved, Some(0.5));
    }
}
