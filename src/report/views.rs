//! From the result tables to the charts' inputs: which rows each chart shows.
//!
//! The chart layer knows nothing about tables; this module picks the rows (group `all`,
//! or `arm=programme` / `arm=comparison` for comparisons by arm), maps them onto the
//! charts' view models and decides, when an optional table is missing or nothing is
//! publishable, that a chart is skipped and why. The same choices (which follow-up year,
//! which level) are reused by the page so that text and charts quote the same cells.

use std::collections::BTreeMap;

use crate::charts::labels::{domain_label, humanise, percent, years};
use crate::charts::{
    AcceptabilityChart, AcceptabilityPoint, Arm, AtRisk, CostOfCareChart, CountryCosts,
    DistributionMetric, DomainScores, FollowupChart, FollowupSeries, HeadlineChart, IncomeChart,
    IncomeMeasure, IncomePoint, IncomeSeries, ScoreChangeChart, ScoreValue, SharePoint, SourceLine,
    SroiDistributionChart, SroiWaterfallChart, Stage, SurvivalArm, SurvivalChart, SurvivalLevel,
    SurvivalStep, TornadoBar, TornadoChart, WaterfallOutcome,
};

use super::folder::RunFolder;
use super::rows::{CostRow, CurveRow, FollowupRow};

/// The group holding the whole cohort.
pub const ALL: &str = "all";

/// A chart input, or why the chart is not drawn.
pub type View<C> = Result<C, String>;

/// Every chart's input.
pub struct Views {
    pub followup: View<FollowupChart>,
    pub survival: View<SurvivalChart>,
    pub score_change: View<ScoreChangeChart>,
    pub income: View<IncomeChart>,
    pub waterfall: View<SroiWaterfallChart>,
    pub tornado: View<TornadoChart>,
    pub distribution: View<SroiDistributionChart>,
    pub acceptability: View<AcceptabilityChart>,
    pub cost_of_care: View<CostOfCareChart>,
    pub headline: View<HeadlineChart>,
    /// Notes about charts drawn differently than usual (e.g. a fallback source).
    pub notes: Vec<String>,
}

/// Number of families in the dataset (kept rows of the families table).
pub fn dataset_families(run: &RunFolder) -> u64 {
    run.manifest
        .tables
        .get("families")
        .map(|t| t.kept)
        .or_else(|| run.quality.tables.get("families").map(|t| t.rows_kept))
        .unwrap_or(0)
}

fn source(run: &RunFolder, families: u64) -> SourceLine {
    SourceLine {
        dataset: run.manifest.dataset.clone(),
        families,
        version: run.manifest.engine_version.clone(),
    }
}

/// The shown share of a follow-up row: weighted when available, else unweighted.
pub fn best_share(r: &FollowupRow) -> Option<(f64, Option<f64>, Option<f64>, bool)> {
    match r.share_weighted {
        Some(s) => Some((s, r.ci_low_weighted, r.ci_high_weighted, true)),
        None => r.share.map(|s| (s, r.ci_low, r.ci_high, false)),
    }
}

/// Overall follow-up rows of the whole cohort, by year.
pub fn overall_rows(run: &RunFolder) -> Vec<&FollowupRow> {
    let mut rows: Vec<&FollowupRow> = run
        .followup
        .iter()
        .filter(|r| r.group == ALL && r.domain == "overall")
        .collect();
    rows.sort_by_key(|r| r.year);
    rows
}

/// The follow-up year the fundraiser sentence quotes: year 2 if shown, else the latest
/// year with a shown overall share.
pub fn quoted_year(run: &RunFolder) -> Option<&FollowupRow> {
    let rows = overall_rows(run);
    rows.iter()
        .find(|r| r.year == 2 && best_share(r).is_some())
        .or_else(|| rows.iter().rev().find(|r| best_share(r).is_some()))
        .copied()
}

fn followup(run: &RunFolder) -> View<FollowupChart> {
    let rows: Vec<&FollowupRow> = run.followup.iter().filter(|r| r.group == ALL).collect();
    if rows.is_empty() {
        return Err("tables/followup_domains has no rows for all families".into());
    }
    let mut domains: Vec<&str> = Vec::new();
    for r in &rows {
        if !domains.contains(&r.domain.as_str()) {
            domains.push(&r.domain);
        }
    }
    let mut series = Vec::new();
    for d in domains {
        let mut mine: Vec<&&FollowupRow> = rows.iter().filter(|r| r.domain == d).collect();
        mine.sort_by_key(|r| r.year);
        for weighted in [true, false] {
            let points: Vec<SharePoint> = mine
                .iter()
                .filter(|r| (1..=5).contains(&r.year))
                .map(|r| {
                    let (share, low, high) = if weighted {
                        (r.share_weighted, r.ci_low_weighted, r.ci_high_weighted)
                    } else {
                        (r.share, r.ci_low, r.ci_high)
                    };
                    SharePoint {
                        year: r.year as u32,
                        share,
                        low,
                        high,
                        suppressed: r.suppressed,
                    }
                })
                .collect();
            if weighted && points.iter().all(|p| p.share.is_none()) {
                continue;
            }
            series.push(FollowupSeries {
                domain: d.to_string(),
                weighted,
                points,
            });
        }
    }
    let due = rows
        .iter()
        .filter(|r| r.domain == "overall")
        .filter_map(|r| r.due)
        .fold(0.0f64, f64::max);
    let families = if due > 0.0 {
        due as u64
    } else {
        dataset_families(run)
    };
    Ok(FollowupChart {
        title: None,
        subtitle: Some("Programme families due for follow-up; 95 % intervals.".into()),
        source: source(run, families),
        min_cell: run.min_cell,
        series,
    })
}

/// The curve and at-risk counts of one group and level.
fn survival_arm(run: &RunFolder, group: &str, level: &str, arm: Arm) -> Option<SurvivalArm> {
    let rows: Vec<&CurveRow> = run
        .curve
        .iter()
        .filter(|r| r.group == group && r.level == level)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    let mut last = 1.0;
    for r in &rows {
        match (r.suppressed, r.survival) {
            (false, Some(s)) => {
                steps.push(SurvivalStep::at_day(r.day, s, r.ci_low, r.ci_high, false));
                last = s;
            }
            _ => {
                // The curve stops here; the value is never drawn.
                steps.push(SurvivalStep::at_day(r.day, last, None, None, true));
                break;
            }
        }
    }
    let mut at_risk = vec![AtRisk {
        year: 0,
        count: rows[0].at_risk.map(|n| n as u64),
        suppressed: rows[0].suppressed,
    }];
    for y in 1..=5 {
        let row = run
            .survival_years
            .iter()
            .find(|r| r.group == group && r.level == level && r.year == y);
        at_risk.push(AtRisk {
            year: y as u32,
            count: row.and_then(|r| r.at_risk).map(|n| n as u64),
            suppressed: row.is_some_and(|r| r.suppressed),
        });
    }
    Some(SurvivalArm {
        arm,
        steps,
        at_risk,
    })
}

/// The survival level the report shows: child level when the tables have it.
pub fn survival_level(run: &RunFolder) -> &'static str {
    if run.curve.iter().any(|r| r.level == "child") {
        "child"
    } else {
        "family"
    }
}

/// The groups compared in the survival section: the arms when present, else `all`.
pub fn survival_groups(run: &RunFolder) -> Vec<(String, Arm)> {
    let mut groups: Vec<(String, Arm)> = [Arm::Programme, Arm::Comparison]
        .into_iter()
        .map(|a| (format!("arm={}", arm_key(a)), a))
        .filter(|(g, _)| run.curve.iter().any(|r| &r.group == g))
        .collect();
    if groups.is_empty() {
        groups.push((ALL.to_string(), Arm::Programme));
    }
    groups
}

/// `programme` or `comparison`.
pub fn arm_key(arm: Arm) -> &'static str {
    match arm {
        Arm::Programme => "programme",
        Arm::Comparison => "comparison",
    }
}

/// The log-rank p-value between arms at `level`, if tested.
pub fn log_rank_p(run: &RunFolder, level: &str) -> Option<f64> {
    run.survival_tests
        .iter()
        .find(|t| t.by == "arm" && t.level == level)
        .and_then(|t| t.p_value)
}

fn survival(run: &RunFolder) -> View<SurvivalChart> {
    let level = survival_level(run);
    let groups = survival_groups(run);
    let arms: Vec<SurvivalArm> = groups
        .iter()
        .filter_map(|(g, a)| survival_arm(run, g, level, *a))
        .collect();
    if arms.is_empty() {
        return Err("tables/survival_curve has no publishable rows".into());
    }
    let families: u64 = groups
        .iter()
        .filter_map(|(g, _)| {
            run.curve
                .iter()
                .find(|r| &r.group == g && r.level == "family")
                .and_then(|r| r.at_risk)
        })
        .map(|n| n as u64)
        .sum();
    let subtitle = (groups.len() == 1 && groups[0].0 == ALL)
        .then(|| "All families (the tables hold no comparison by arm).".to_string());
    Ok(SurvivalChart {
        title: None,
        subtitle,
        level: if level == "child" {
            SurvivalLevel::Child
        } else {
            SurvivalLevel::Family
        },
        source: source(
            run,
            if families > 0 {
                families
            } else {
                dataset_families(run)
            },
        ),
        min_cell: run.min_cell,
        log_rank_p: log_rank_p(run, level),
        arms,
    })
}

/// The follow-up year the score chart shows: the year with the most shown means (the
/// later one on a tie).
pub fn score_year(levels: &[super::rows::ScoreLevelRow]) -> Option<u32> {
    (1..=5u32)
        .map(|y| {
            let stage = format!("year_{y}");
            let n = levels
                .iter()
                .filter(|r| r.group == ALL && r.stage == stage && r.mean_score.is_some())
                .count();
            (n, y)
        })
        .filter(|(n, _)| *n > 0)
        .max()
        .map(|(_, y)| y)
}

fn score_change(run: &RunFolder) -> View<ScoreChangeChart> {
    let Some(levels) = &run.score_levels else {
        return Err(
            "tables/score_levels is missing, so mean scores at intake, exit and follow-up cannot be drawn; the change from intake is in the table below"
                .into(),
        );
    };
    let year = score_year(levels).ok_or_else(|| {
        format!(
            "no follow-up mean score rests on at least {} families",
            run.min_cell
        )
    })?;
    let mut domains: Vec<&str> = Vec::new();
    for r in levels
        .iter()
        .filter(|r| r.group == ALL && r.domain != "overall")
    {
        if !domains.contains(&r.domain.as_str()) {
            domains.push(&r.domain);
        }
    }
    let value = |d: &str, stage: &str| {
        levels
            .iter()
            .find(|r| r.group == ALL && r.domain == d && r.stage == stage)
            .map_or(
                ScoreValue {
                    mean: None,
                    suppressed: false,
                },
                |r| ScoreValue {
                    mean: r.mean_score,
                    suppressed: r.suppressed,
                },
            )
    };
    let follow = format!("year_{year}");
    let n = levels
        .iter()
        .filter(|r| r.group == ALL && r.stage == follow)
        .filter_map(|r| r.n)
        .fold(0.0f64, f64::max) as u64;
    Ok(ScoreChangeChart {
        title: None,
        subtitle: None,
        source: source(run, if n > 0 { n } else { dataset_families(run) }),
        min_cell: run.min_cell,
        followup_label: format!("Follow-up (year {year})"),
        domains: domains
            .into_iter()
            .map(|d| DomainScores {
                domain: d.to_string(),
                intake: value(d, "intake"),
                exit: value(d, "exit"),
                followup: value(d, &follow),
            })
            .collect(),
    })
}

fn stage_of(year: i64) -> Option<Stage> {
    match year {
        -1 => Some(Stage::Intake),
        0 => Some(Stage::Exit),
        1..=5 => Some(Stage::Year(year as u32)),
        _ => None,
    }
}

fn income(run: &RunFolder, notes: &mut Vec<String>) -> View<IncomeChart> {
    let currency = run.summary.currency.clone();
    let price_year = run.summary.price_year;
    if let Some(rows) = &run.income_trajectory {
        let mut series: Vec<IncomeSeries> = Vec::new();
        for arm in [Arm::Programme, Arm::Comparison] {
            let key = arm_key(arm);
            // Rows of the whole cohort split by arm; `arm=<key>` groups when that is how
            // the table is broken down.
            let pick = |group_ok: &dyn Fn(&str) -> bool| -> Vec<IncomePoint> {
                rows.iter()
                    .filter(|r| r.arm == key && group_ok(&r.group))
                    .filter_map(|r| {
                        stage_of(r.year).map(|stage| IncomePoint {
                            stage,
                            mean: r.mean_income,
                            low: r.ci_low,
                            high: r.ci_high,
                            suppressed: r.suppressed,
                        })
                    })
                    .collect()
            };
            let mut points = pick(&|g| g == ALL);
            if points.is_empty() {
                points = pick(&|g| g == format!("arm={key}"));
            }
            if !points.is_empty() {
                series.push(IncomeSeries { arm, points });
            }
        }
        let n: f64 = rows
            .iter()
            .filter(|r| r.year == -1 && (r.group == ALL || r.group.starts_with("arm=")))
            .filter_map(|r| r.n)
            .sum();
        return Ok(IncomeChart {
            title: None,
            measure: IncomeMeasure::Level,
            subtitle: None,
            source: source(
                run,
                if n > 0.0 {
                    n as u64
                } else {
                    dataset_families(run)
                },
            ),
            min_cell: run.min_cell,
            currency,
            price_year,
            series,
        });
    }
    let rows: Vec<_> = run
        .income_effect
        .iter()
        .filter(|r| r.group == ALL)
        .collect();
    if rows.is_empty() {
        return Err("tables/income_trajectory is missing and tables/income_effect has no rows for all families".into());
    }
    notes.push("tables/income_trajectory is missing: the income chart shows the change since intake (tables/income_effect) instead of income levels.".into());
    let series_of = |arm: Arm| -> IncomeSeries {
        let mut points = vec![IncomePoint {
            stage: Stage::Intake,
            mean: Some(0.0),
            low: None,
            high: None,
            suppressed: false,
        }];
        points.extend(rows.iter().filter_map(|r| {
            let mean = match arm {
                Arm::Programme => r.mean_delta_programme,
                Arm::Comparison => r.mean_delta_comparison,
            };
            stage_of(r.year).map(|stage| IncomePoint {
                stage,
                mean,
                low: None,
                high: None,
                suppressed: r.suppressed,
            })
        }));
        IncomeSeries { arm, points }
    };
    let mut series = vec![series_of(Arm::Programme)];
    if rows.iter().any(|r| r.mean_delta_comparison.is_some()) {
        series.push(series_of(Arm::Comparison));
    }
    let n = rows
        .iter()
        .filter_map(|r| Some(r.n_programme? + r.n_comparison.unwrap_or(0.0)))
        .fold(0.0f64, f64::max);
    Ok(IncomeChart {
        title: None,
        measure: IncomeMeasure::ChangeSinceIntake,
        subtitle: None,
        source: source(
            run,
            if n > 0.0 {
                n as u64
            } else {
                dataset_families(run)
            },
        ),
        min_cell: run.min_cell,
        currency,
        price_year,
        series,
    })
}

/// The reader-facing name of an outcome id: `avoided_care` -> `Avoided care`.
pub fn outcome_label(id: &str) -> String {
    humanise(id)
}

fn waterfall(run: &RunFolder) -> View<SroiWaterfallChart> {
    let s = &run.summary;
    if s.inputs.is_nan() || s.inputs <= 0.0 {
        return Err(format!(
            "inputs are {}; a value-against-inputs chart needs positive inputs",
            s.inputs
        ));
    }
    Ok(SroiWaterfallChart {
        title: None,
        subtitle: None,
        source: source(run, dataset_families(run)),
        currency: s.currency.clone(),
        price_year: s.price_year,
        inputs: s.inputs,
        outcomes: s
            .outcomes
            .iter()
            .map(|o| WaterfallOutcome {
                label: outcome_label(&o.id),
                stakeholder: o.stakeholder.clone(),
                value: o.pv,
            })
            .collect(),
    })
}

/// A parameter value for readers: rates (deadweight, displacement, attribution,
/// drop-off) as percentages; amounts of 100 or more as whole numbers with separators;
/// smaller values with up to two decimals (three below 1).
pub fn param_value(parameter: &str, v: f64) -> String {
    let field = parameter.rsplit('.').next().unwrap_or("");
    if matches!(
        field,
        "deadweight" | "displacement" | "attribution" | "dropoff"
    ) {
        crate::charts::labels::percent1(v)
    } else if v.abs() >= 100.0 {
        crate::charts::labels::thousands(v)
    } else {
        let decimals = if v.abs() >= 1.0 { 2 } else { 3 };
        let s = format!("{v:.decimals$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.')
        } else {
            &s
        };
        if s == "-0" {
            "0".to_string()
        } else {
            s.to_string()
        }
    }
}

fn tornado(run: &RunFolder) -> View<TornadoChart> {
    let s = &run.summary;
    let bars: Vec<TornadoBar> = s
        .one_way
        .iter()
        .filter(|o| o.ratio_low.is_finite() && o.ratio_high.is_finite())
        .map(|o| TornadoBar {
            parameter: if o.label.is_empty() {
                o.parameter.clone()
            } else {
                o.label.clone()
            },
            range: Some(format!(
                "{} to {}",
                param_value(&o.parameter, o.low),
                param_value(&o.parameter, o.high)
            )),
            ratio_low: o.ratio_low,
            ratio_high: o.ratio_high,
        })
        .collect();
    if bars.is_empty() || !s.ratio.is_finite() {
        return Err("the model has no uncertain parameter to vary one at a time".into());
    }
    Ok(TornadoChart {
        title: None,
        subtitle: None,
        source: source(run, dataset_families(run)),
        currency: s.currency.clone(),
        base_ratio: s.ratio,
        bars,
    })
}

/// Whether summaries use NPV instead of the ratio (method.md section 5).
pub fn use_npv(run: &RunFolder) -> bool {
    let mc = &run.summary.monte_carlo;
    mc.ratio_unstable
        || !run.summary.ratio.is_finite()
        || run.summary.inputs.is_nan()
        || run.summary.inputs <= 0.0
}

/// P(NPV > 0): the share of finite Monte Carlo NPVs above zero when the draws are
/// available, else the summary's P(ratio > 1) (the same event whenever inputs are
/// positive).
pub fn prob_npv_positive(run: &RunFolder) -> f64 {
    match &run.draws {
        Some(d) => {
            let finite: Vec<f64> = d.npv.iter().copied().filter(|v| v.is_finite()).collect();
            if finite.is_empty() {
                return run.summary.monte_carlo.prob_ratio_gt_1;
            }
            finite.iter().filter(|v| **v > 0.0).count() as f64 / finite.len() as f64
        }
        None => run.summary.monte_carlo.prob_ratio_gt_1,
    }
}

fn distribution(run: &RunFolder) -> View<SroiDistributionChart> {
    let Some(draws) = &run.draws else {
        return Err(
            "sroi/draws.parquet is missing, so the Monte Carlo draws cannot be drawn".into(),
        );
    };
    let s = &run.summary;
    let mc = &s.monte_carlo;
    let npv = use_npv(run);
    let (metric, values, p2_5, p97_5, prob, base) = if npv {
        let finite: Vec<f64> = draws
            .npv
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let above = finite.iter().filter(|v| **v > 0.0).count();
        let prob = if finite.is_empty() {
            0.0
        } else {
            above as f64 / finite.len() as f64
        };
        (
            DistributionMetric::Npv,
            finite,
            mc.npv_p2_5,
            mc.npv_p97_5,
            prob,
            s.npv,
        )
    } else {
        let finite: Vec<f64> = draws
            .ratio
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        (
            DistributionMetric::Ratio,
            finite,
            mc.ratio_p2_5,
            mc.ratio_p97_5,
            mc.prob_ratio_gt_1,
            s.ratio,
        )
    };
    if values.is_empty() || !p2_5.is_finite() || !p97_5.is_finite() {
        return Err("the Monte Carlo analysis has no finite draws".into());
    }
    Ok(SroiDistributionChart {
        title: None,
        subtitle: Some(format!("Monte Carlo seed {}.", mc.seed)),
        source: source(run, dataset_families(run)),
        currency: s.currency.clone(),
        price_year: s.price_year,
        metric,
        draws: values,
        p2_5,
        p97_5,
        prob_break_even: prob,
        base: base.is_finite().then_some(base),
    })
}

fn acceptability(run: &RunFolder) -> View<AcceptabilityChart> {
    let points: Vec<AcceptabilityPoint> = run
        .summary
        .monte_carlo
        .acceptability
        .iter()
        .map(|p| AcceptabilityPoint {
            threshold: p.x,
            probability: p.p,
        })
        .collect();
    if points.len() < 2 {
        return Err("sroi/summary.json holds no acceptability curve".into());
    }
    if use_npv(run) {
        return Err("the ratio is unstable (inputs can be near zero or negative in some draws), so the acceptability of a ratio is not shown".into());
    }
    Ok(AcceptabilityChart {
        title: None,
        subtitle: None,
        source: source(run, dataset_families(run)),
        currency: run.summary.currency.clone(),
        points,
    })
}

fn cost_of_care(run: &RunFolder) -> View<CostOfCareChart> {
    let Some(rows) = &run.cost_of_care else {
        return Err("tables/cost_of_care is missing".into());
    };
    if rows.is_empty() {
        return Err("tables/cost_of_care has no rows".into());
    }
    let families: f64 = rows.iter().filter_map(|r| r.families).sum();
    let suppressed = rows.iter().filter(|r| r.suppressed).count();
    let shown: Vec<&CostRow> = rows.iter().filter(|r| !r.suppressed).collect();
    if shown.is_empty() {
        return Err(format!(
            "every country of tables/cost_of_care is suppressed (fewer than {} families or children)",
            run.min_cell
        ));
    }
    let horizon = cost_horizon(rows);
    let mut notes = Vec::new();
    if suppressed > 0 {
        notes.push(format!(
            "Not shown: {suppressed} {} with fewer than {} programme families or children in an arm.",
            if suppressed == 1 { "country" } else { "countries" },
            run.min_cell
        ));
    }
    let has_avoided = shown
        .iter()
        .any(|r| r.public_cost_avoided_per_family.is_some());
    if has_avoided {
        notes.push(format!(
            "Care avoided: placements avoided within {} of exit (comparison minus programme arm) x the public cost of a placement, before attribution.",
            years(horizon)
        ));
        // Countries without the bar (it is blank exactly when the total is), by reason.
        for (note, countries) in unvalued_by_reason(&shown) {
            notes.push(format!(
                "No care-avoided bar for {}: {note}.",
                countries.join(", ")
            ));
        }
    }
    Ok(CostOfCareChart {
        title: None,
        subtitle: (!notes.is_empty()).then(|| notes.join(" ")),
        source: source(
            run,
            if families > 0.0 {
                families as u64
            } else {
                dataset_families(run)
            },
        ),
        currency: run.summary.currency.clone(),
        price_year: run.summary.price_year,
        horizon_years: horizon,
        countries: shown
            .iter()
            .map(|r| CountryCosts {
                country: r.country.clone(),
                programme_per_family_year: r.cost_per_family_year,
                residential_per_child_year: r.residential_per_child_year,
                foster_per_child_year: r.foster_per_child_year,
                programme_per_family: r.cost_per_family,
                avoided_per_family: r.public_cost_avoided_per_family,
            })
            .collect(),
    })
}

/// The horizon of the avoided placements in `tables/cost_of_care` (5 years in a run
/// that predates the column).
pub fn cost_horizon(rows: &[CostRow]) -> f64 {
    rows.iter()
        .find_map(|r| r.horizon_years)
        .filter(|h| h.is_finite() && *h > 0.0)
        .unwrap_or(5.0)
}

/// Countries shown without a public cost avoided, grouped by the reason `avoided_note`
/// gives (the chart's subtitle and the report's policy section say the same).
pub fn unvalued_by_reason<'a>(shown: &[&'a CostRow]) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut why: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in shown {
        if r.public_cost_avoided.is_none() && !r.avoided_note.is_empty() {
            why.entry(r.avoided_note.as_str())
                .or_default()
                .push(r.country.as_str());
        }
    }
    why
}

/// The one sentence of outcomes on the fundraiser card and under the headline.
pub fn outcome_sentence(run: &RunFolder) -> String {
    let mut parts = Vec::new();
    if let Some(r) = quoted_year(run) {
        if let Some((share, ..)) = best_share(r) {
            let years = if r.year == 1 {
                "one year".to_string()
            } else {
                format!("{} years", r.year)
            };
            parts.push(format!(
                "{} of families were doing well {years} after the programme",
                percent(share)
            ));
        }
    }
    let level = survival_level(run);
    let (group, _) = survival_groups(run).remove(0);
    if let Some((y, s)) = run
        .survival_years
        .iter()
        .filter(|r| r.group == group && r.level == level)
        .filter_map(|r| r.survival.map(|s| (r.year, s)))
        .max_by_key(|(y, _)| *y)
    {
        let who = if level == "child" {
            "of children were still living in family care"
        } else {
            "of families still had all their children at home"
        };
        let years = if y == 1 {
            "one year".to_string()
        } else {
            format!("{y} years")
        };
        parts.push(format!("{} {who} {years} later", percent(s)));
    }
    match parts.len() {
        0 => "Outcomes are in the tables of this report.".to_string(),
        1 => format!("{}.", parts[0]),
        _ => format!("{}, and {}.", parts[0], parts[1]),
    }
}

fn headline(run: &RunFolder) -> View<HeadlineChart> {
    let s = &run.summary;
    let mc = &s.monte_carlo;
    if use_npv(run) {
        return Err("the ratio is unstable (inputs can be near zero or negative in some draws), so no ratio card is drawn; the report quotes the net present value".into());
    }
    if !(mc.ratio_p2_5.is_finite() && mc.ratio_p97_5.is_finite()) {
        return Err("the Monte Carlo range of the ratio is not available".into());
    }
    Ok(HeadlineChart {
        programme: Some(run.manifest.dataset.clone()),
        currency: s.currency.clone(),
        ratio: s.ratio,
        low: mc.ratio_p2_5.min(mc.ratio_p97_5),
        high: mc.ratio_p97_5.max(mc.ratio_p2_5),
        prob_above_one: mc.prob_ratio_gt_1,
        outcomes: outcome_sentence(run),
        source: source(run, dataset_families(run)),
    })
}

/// Builds every chart's input from the folder's tables.
pub fn build(run: &RunFolder) -> Views {
    let mut notes = Vec::new();
    let income = income(run, &mut notes);
    Views {
        followup: followup(run),
        survival: survival(run),
        score_change: score_change(run),
        income,
        waterfall: waterfall(run),
        tornado: tornado(run),
        distribution: distribution(run),
        acceptability: acceptability(run),
        cost_of_care: cost_of_care(run),
        headline: headline(run),
        notes,
    }
}

/// The domain label used in tables (shared with the charts).
pub fn domain(code: &str) -> String {
    domain_label(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_values_read_naturally() {
        assert_eq!(param_value("care.attribution", 0.2), "20.0 %");
        assert_eq!(param_value("care.proxy", 445.774), "446");
        assert_eq!(param_value("care.proxy", 10_854.2), "10,854");
        assert_eq!(param_value("care.quantity", 15.435), "15.44");
        assert_eq!(param_value("care.duration", 5.0), "5");
        assert_eq!(param_value("care.quantity", 0.1234), "0.123");
        assert_eq!(param_value("care.quantity", -0.0001), "0");
    }
}
