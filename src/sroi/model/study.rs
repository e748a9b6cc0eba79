//! The `[study]` settings: discounting, horizon, draws, disclosure threshold, currency.
//!
//! Every setting has the method's default and an allowed range; an out-of-range value is
//! reported with its key (`study.min_cell`) and what to use instead, together with every
//! other problem of the file. The two-way grid names parameters, so the study is checked
//! after the outcomes.

use std::collections::BTreeMap;

use super::outcome::find_param;
use super::raw::{RawAdjustment, RawStudy};
use super::{Field, Outcome, ParamId, MAX_DURATION};
use crate::settings::{AdjustMethod, Adjustment, Settings, Weighting};
use crate::sroi::discount::{Discounting, Schedule};

pub use crate::settings::MIN_CELL_FLOOR;

/// Checked study settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    pub discounting: Discounting,
    /// Discount inputs by year from the first cost year.
    pub discount_inputs: bool,
    /// Horizon H (years after exit) for data-derived effects such as avoided placements.
    pub horizon_years: u32,
    pub seed: u64,
    pub draws: usize,
    pub bootstrap_reps: usize,
    pub min_cell: u32,
    /// Score from which a domain counts as doing well (docs/method.md section 2).
    pub well_threshold: u8,
    /// Domains a family must do well in, and have assessed, to do well overall.
    pub overall_min_domains: usize,
    pub reporting_currency: String,
    pub price_year: i32,
    /// Two parameters for the two-way grid.
    pub two_way: Option<(ParamId, ParamId)>,
    /// Cumulative placement incidence without the programme, by risk level, for years
    /// 1..n (used when there is no comparison arm).
    pub baseline_placement_rate: BTreeMap<String, Vec<f64>>,
    /// `[study.adjustment]`: propensity adjustment of the comparison arm.
    pub adjustment: Adjustment,
}

impl Study {
    /// The settings the other stages share, as this model file gives them (its defaults
    /// are those of [`Settings::default`]).
    pub fn settings(&self) -> Settings {
        Settings {
            min_cell: self.min_cell,
            seed: self.seed,
            bootstrap_reps: self.bootstrap_reps,
            draws: self.draws,
            well_threshold: self.well_threshold,
            overall_min_domains: self.overall_min_domains,
            horizon_years: self.horizon_years,
            adjustment: self.adjustment.clone(),
        }
    }
}

/// Check `[study.adjustment]`; problems are appended, the default returned in their place.
fn check_adjustment(raw: Option<&RawAdjustment>, problems: &mut Vec<String>) -> Adjustment {
    let mut a = Adjustment::default();
    let Some(raw) = raw else {
        return a;
    };
    match raw.method.as_deref() {
        Some("off") => a.method = AdjustMethod::Off,
        None | Some("none") => {}
        Some("ipw") => a.method = AdjustMethod::Ipw,
        Some("dr") => a.method = AdjustMethod::Dr,
        Some(other) => problems.push(format!(
            "study.adjustment.method = \"{other}\" is unknown; use \"off\" (no propensity model), \"none\" (compare the arms as they are, adjusted estimates beside), \"ipw\" (weight the comparison arm to the programme's covariates) or \"dr\" (ipw, and the doubly robust income effect)"
        )),
    }
    match raw.weights.as_deref() {
        None | Some("att") => {}
        Some("overlap") => a.weights = Weighting::Overlap,
        Some(other) => problems.push(format!(
            "study.adjustment.weights = \"{other}\" is unknown; use \"att\" (effect on the programme's families) or \"overlap\" (effect where the arms overlap)"
        )),
    }
    if let Some(c) = &raw.covariates {
        if c.is_empty() {
            problems.push("study.adjustment.covariates is empty; name at least one covariate, or remove the key for the default intake covariates".to_string());
        }
        let mut seen = std::collections::BTreeSet::new();
        for name in c {
            if !seen.insert(name.as_str()) {
                problems.push(format!("study.adjustment.covariates names {name:?} twice"));
            }
        }
        a.covariates = Some(c.clone());
    }
    if let Some(t) = &raw.trim {
        match t.as_slice() {
            [lo, hi] if *lo >= 0.0 && lo < hi && *hi <= 1.0 => a.trim = Some((*lo, *hi)),
            _ => problems.push(format!(
                "study.adjustment.trim = {t:?} is not a range of propensities; use two numbers 0 <= lo < hi <= 1, e.g. [0.05, 0.95], or remove the key for no trimming"
            )),
        }
    }
    a
}

/// An integer setting: its value or `default`, with a problem when outside `lo..=hi`
/// (then clamped, so the rest of the file is still checked).
fn int_in(
    problems: &mut Vec<String>,
    key: &str,
    v: Option<i64>,
    default: i64,
    lo: i64,
    hi: i64,
    hint: &str,
) -> i64 {
    let v = v.unwrap_or(default);
    if v < lo || v > hi {
        problems.push(format!(
            "{key} = {v} is out of range: use an integer from {lo} to {hi}{hint}"
        ));
    }
    v.clamp(lo, hi)
}

/// Check the `[study]` settings (after the outcomes, which `two_way` names); every
/// problem is appended and a placeholder study returned so the file is checked whole.
pub(super) fn check_study(
    raw: &RawStudy,
    outcomes: &[Outcome],
    problems: &mut Vec<String>,
) -> Study {
    let schedule = match raw.discount_schedule.as_deref() {
        None | Some("constant") => {
            let r = raw.discount_rate.unwrap_or(0.035);
            if !r.is_finite() || r <= -1.0 {
                problems.push(format!(
                    "study.discount_rate = {r:?} makes every present value infinite or undefined; use a value above -1, e.g. 0.035"
                ));
            } else if r >= 1.0 {
                problems.push(format!(
                    "study.discount_rate = {r} is a rate of {:.0} % a year; give it as a fraction below 1, e.g. 0.035 for 3.5 %",
                    r * 100.0
                ));
            }
            Schedule::Constant(r)
        }
        Some("green_book") => {
            if raw.discount_rate.is_some() {
                problems.push(
                    "study.discount_rate cannot be combined with discount_schedule = \"green_book\" (which sets the rates); remove one".to_string(),
                );
            }
            Schedule::GreenBook
        }
        Some(other) => {
            problems.push(format!(
                "study.discount_schedule = \"{other}\" is unknown; use \"constant\" (with discount_rate) or \"green_book\""
            ));
            Schedule::Constant(0.035)
        }
    };
    // The defaults of every setting the other stages share, defined once.
    let d = Settings::default();
    let horizon = int_in(
        problems,
        "study.horizon_years",
        raw.horizon_years,
        i64::from(d.horizon_years),
        1,
        MAX_DURATION as i64,
        "",
    );
    let draws = int_in(
        problems,
        "study.draws",
        raw.draws,
        d.draws as i64,
        1,
        10_000_000,
        "",
    );
    let reps = int_in(
        problems,
        "study.bootstrap_reps",
        raw.bootstrap_reps,
        d.bootstrap_reps as i64,
        0,
        1_000_000,
        "",
    );
    let min_cell = raw.min_cell.unwrap_or(i64::from(d.min_cell));
    if min_cell < i64::from(MIN_CELL_FLOOR) {
        problems.push(format!(
            "study.min_cell = {min_cell} is below {MIN_CELL_FLOOR}: published figures may never rest on fewer than {MIN_CELL_FLOOR} families (default {})",
            d.min_cell
        ));
    }
    let well_threshold = int_in(
        problems,
        "study.well_threshold",
        raw.well_threshold,
        i64::from(d.well_threshold),
        1,
        4,
        &format!(" (scores run from 1 to 4; default {})", d.well_threshold),
    );
    let overall_min_domains = int_in(
        problems,
        "study.overall_min_domains",
        raw.overall_min_domains,
        d.overall_min_domains as i64,
        1,
        64,
        &format!(
            " (domains assessed at a sitting; default {} of the eight)",
            d.overall_min_domains
        ),
    );
    let seed = raw.seed.unwrap_or(d.seed as i64);
    if seed < 0 {
        problems.push(format!(
            "study.seed = {seed} must be a non-negative integer"
        ));
    }
    let currency = match &raw.reporting_currency {
        Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) => c.clone(),
        Some(c) => {
            problems.push(format!(
                "study.reporting_currency = \"{c}\" is not an ISO 4217 code; use three capital letters, e.g. \"EUR\""
            ));
            c.clone()
        }
        None => {
            problems.push("study.reporting_currency is missing; give the ISO 4217 code of the reporting currency, e.g. \"EUR\"".to_string());
            String::new()
        }
    };
    let price_year = match raw.price_year {
        Some(y) if (1900..=2200).contains(&y) => y as i32,
        Some(y) => {
            problems.push(format!(
                "study.price_year = {y} is out of range; use a calendar year from 1900 to 2200"
            ));
            2000
        }
        None => {
            problems.push("study.price_year is missing; give the year whose prices all amounts are expressed in, e.g. 2023".to_string());
            2000
        }
    };
    let two_way = match &raw.two_way {
        None => None,
        Some(names) if names.len() != 2 => {
            problems.push(format!(
                "study.two_way lists {} parameters; give exactly two, e.g. [\"avoided_care.attribution\", \"avoided_care.dropoff\"]",
                names.len()
            ));
            None
        }
        Some(names) => {
            let ids: Vec<Option<ParamId>> = names
                .iter()
                .enumerate()
                .map(|(k, n)| match find_param(outcomes, n) {
                    Some(id) if id.field == Field::Duration => {
                        problems.push(format!("study.two_way[{k}] = \"{n}\": durations are whole years and cannot be gridded; choose another parameter"));
                        None
                    }
                    Some(id) => {
                        let p = outcomes[id.outcome].param(id.field);
                        let certain = p.dist.is_none()
                            && p.data_key().is_none()
                            && (p.low.is_none() || p.high.is_none());
                        if certain {
                            problems.push(format!(
                                "study.two_way[{k}] = \"{n}\" is certain (no distribution, no low/high): give it a distribution or low and high to grid over"
                            ));
                        }
                        Some(id)
                    }
                    None => {
                        problems.push(format!(
                            "study.two_way[{k}] = \"{n}\" names no parameter; use \"<outcome id>.<{}>\"",
                            Field::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join("|")
                        ));
                        None
                    }
                })
                .collect();
            match (ids[0], ids[1]) {
                (Some(a), Some(b)) if a == b => {
                    problems.push(
                        "study.two_way names the same parameter twice; give two different ones"
                            .to_string(),
                    );
                    None
                }
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            }
        }
    };
    let mut baseline = BTreeMap::new();
    if let Some(table) = &raw.baseline_placement_rate {
        for (level, rates) in table {
            let key = format!("study.baseline_placement_rate.{level}");
            if !crate::schema::RISK_LEVELS.contains(&level.as_str()) {
                problems.push(format!(
                    "{key}: unknown risk level; use one of {}",
                    crate::schema::RISK_LEVELS.join(", ")
                ));
            }
            if rates.is_empty() {
                problems.push(format!(
                    "{key} is empty; give cumulative placement rates for years 1, 2, ..."
                ));
            }
            for (k, r) in rates.iter().enumerate() {
                if !(0.0..=1.0).contains(r) {
                    problems.push(format!(
                        "{key}[{k}] = {r} is out of range: a cumulative rate lies in [0, 1]"
                    ));
                }
            }
            if rates.windows(2).any(|w| w[1] < w[0]) {
                problems.push(format!(
                    "{key} decreases; cumulative placement rates by year never fall"
                ));
            }
            baseline.insert(level.clone(), rates.clone());
        }
    }
    Study {
        discounting: Discounting {
            schedule,
            discount_year1: raw.discount_year1.unwrap_or(true),
        },
        discount_inputs: raw.discount_inputs.unwrap_or(false),
        horizon_years: horizon as u32,
        seed: seed.max(0) as u64,
        draws: draws as usize,
        bootstrap_reps: reps as usize,
        min_cell: min_cell.max(0) as u32,
        well_threshold: well_threshold as u8,
        overall_min_domains: overall_min_domains as usize,
        reporting_currency: currency,
        price_year,
        two_way,
        baseline_placement_rate: baseline,
        adjustment: check_adjustment(raw.adjustment.as_ref(), problems),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check, problems, OK_OUTCOME};
    use super::super::ModelFile;

    #[test]
    fn study_settings_are_checked() {
        let p = problems(&format!("discount_rate = -1.0\nmin_cell = 3\ntwo_way = [\"care.nope\", \"care.dropoff\"]\n{OK_OUTCOME}"));
        let all = p.join("\n");
        assert!(
            all.contains("discount_rate = -1.0 makes every present value infinite"),
            "{all}"
        );
        assert!(all.contains("use a value above -1, e.g. 0.035"));
        assert!(all.contains("study.min_cell = 3 is below 5"));
        assert!(all.contains("study.two_way[0] = \"care.nope\" names no parameter"));
        let p = problems(&format!(
            "two_way = [\"care.proxy\", \"care.dropoff\"]\n{OK_OUTCOME}"
        ));
        assert!(p[0].contains("\"care.proxy\" is certain"), "{p:?}");
        let e = ModelFile::parse("[study]\nbogus = 1\n", "m.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bogus") && e.contains("m.toml"), "{e}");
        let e = problems(
            "discount_schedule = \"green_book\"\ndiscount_rate = 0.03\n"
                .to_string()
                .as_str(),
        );
        assert!(e.join("\n").contains("cannot be combined"));
    }

    #[test]
    fn outcome_thresholds_default_to_the_method_and_are_range_checked() {
        let m = check(OK_OUTCOME).unwrap();
        assert_eq!(
            (m.study.well_threshold, m.study.overall_min_domains),
            (3, 6)
        );
        let m = check(&format!(
            "well_threshold = 4\noverall_min_domains = 8\n{OK_OUTCOME}"
        ))
        .unwrap();
        assert_eq!(
            (m.study.well_threshold, m.study.overall_min_domains),
            (4, 8)
        );
        let p = problems(&format!(
            "well_threshold = 5\noverall_min_domains = 0\n{OK_OUTCOME}"
        ));
        let all = p.join("\n");
        assert!(
            all.contains("study.well_threshold = 5 is out of range: use an integer from 1 to 4"),
            "{all}"
        );
        assert!(
            all.contains("study.overall_min_domains = 0 is out of range"),
            "{all}"
        );
        assert_eq!(p.len(), 2, "{all}");
    }
}
