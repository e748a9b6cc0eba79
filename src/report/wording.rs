//! Shared wording: how outcomes, domains and parameter values read, and the one
//! sentence of outcomes.
//!
//! The page and the charts name the same things; the wording lives here once so that
//! an outcome or a parameter value is spelled the same in a table, a chart label and
//! the fundraiser card.

use crate::charts::labels::{domain_label, humanise, percent, percent1, thousands};

use super::folder::RunFolder;
use super::select::{best_share, quoted_year, survival_groups, survival_level};

/// The reader-facing name of an outcome id: `avoided_care` -> `Avoided care`.
pub fn outcome_label(id: &str) -> String {
    humanise(id)
}

/// The domain label used in tables (shared with the charts).
pub fn domain(code: &str) -> String {
    domain_label(code)
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
        percent1(v)
    } else if v.abs() >= 100.0 {
        thousands(v)
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

/// `1` -> `one year`, `3` -> `3 years`.
fn years_after(y: u32) -> String {
    if y == 1 {
        "one year".to_string()
    } else {
        format!("{y} years")
    }
}

/// The one sentence of outcomes on the fundraiser card and under the headline.
pub fn outcome_sentence(run: &RunFolder) -> String {
    let mut parts = Vec::new();
    if let Some(r) = quoted_year(run) {
        if let Some((share, ..)) = best_share(r) {
            parts.push(format!(
                "{} of families were doing well {} after the programme",
                percent(share),
                years_after(r.year)
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
        parts.push(format!("{} {who} {} later", percent(s), years_after(y)));
    }
    match parts.len() {
        0 => "Outcomes are in the tables of this report.".to_string(),
        1 => format!("{}.", parts[0]),
        _ => format!("{}, and {}.", parts[0], parts[1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{curve_row, followup_row, run, survival_year_row};
    use crate::report::select::ALL;

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

    #[test]
    fn outcome_sentence_joins_what_is_shown() {
        let mut r = run();
        assert_eq!(
            outcome_sentence(&r),
            "Outcomes are in the tables of this report."
        );
        r.followup = vec![followup_row(ALL, "overall", 2, Some(0.61))];
        assert_eq!(
            outcome_sentence(&r),
            "61 % of families were doing well 2 years after the programme."
        );
        r.curve = vec![curve_row(ALL, "child", 0, Some(1.0))];
        r.survival_years = vec![
            survival_year_row(ALL, "child", 1, Some(0.95), false),
            survival_year_row(ALL, "family", 3, Some(0.5), false),
        ];
        assert_eq!(
            outcome_sentence(&r),
            "61 % of families were doing well 2 years after the programme, and 95 % of children were still living in family care one year later."
        );
    }
}
