//! `score_change`, `score_levels` and `during_programme`: counts and integer sums turned
//! into means and shares.
//!
//! A change is follow-up (or exit) score minus intake score of the same family and
//! domain; its mean has a Student-t interval computed from the exact integer sums
//! (`var = (sum x^2 - (sum x)^2 / n) / (n - 1)`), so the result does not depend on how
//! families were partitioned.

use crate::stats::{t_quantile, wilson, Z_95};

use super::disclosure::withhold_small;
use super::groups::{arm_order, domain_order, group_order};
use super::partial::{
    cell_arm, cell_group, OutcomePartial, Sums, AGED_18_AT_EXIT, CENSORED_AT_18, PLACED_DURING,
    SELF_RELIANT,
};
use super::record::arm_label;
use super::rows::{DuringProgrammeRow, ScoreChangeRow, ScoreLevelRow};

/// Mean and 95 % t interval of exact sums (`None` interval for n < 2).
pub fn mean_t(s: &Sums) -> Option<(f64, Option<(f64, f64)>)> {
    if s.n == 0 {
        return None;
    }
    let n = s.n as f64;
    let mean = s.sum as f64 / n;
    if s.n < 2 {
        return Some((mean, None));
    }
    let ss = s.sum_sq as f64 - (s.sum as f64) * (s.sum as f64) / n;
    let se = (ss.max(0.0) / (n - 1.0) / n).sqrt();
    let t = t_quantile(0.975, n - 1.0).ok()?;
    Some((mean, Some((mean - t * se, mean + t * se))))
}

fn domain_label(p: &OutcomePartial, d: u32) -> String {
    p.domains.get(d).to_string()
}

/// Stage label of a score level stage code.
fn stage_label(stage: u8) -> String {
    match stage {
        0 => "intake".into(),
        1 => "exit".into(),
        s => format!("year_{}", s - 1),
    }
}

/// The rows of `score_change`.
pub fn change_rows(p: &OutcomePartial) -> Vec<ScoreChangeRow> {
    let by = &p.settings.by;
    let mut out: Vec<(ScoreChangeRow, u64)> = p
        .change
        .iter()
        .map(|(&(g, d, y), s)| {
            let m = mean_t(s);
            (
                ScoreChangeRow {
                    group: p.groups.get(cell_group(g)).to_string(),
                    arm: arm_label(cell_arm(g)).to_string(),
                    domain: domain_label(p, d),
                    year: u32::from(y),
                    n: Some(s.n),
                    mean_change: m.map(|m| m.0),
                    ci_low: m.and_then(|m| m.1).map(|i| i.0),
                    ci_high: m.and_then(|m| m.1).map(|i| i.1),
                    improved: Some(s.up),
                    same: Some(s.same),
                    worse: Some(s.down),
                    suppressed: false,
                },
                s.n,
            )
        })
        .collect();
    out.sort_by(|a, b| {
        (
            group_order(&a.0.group, by),
            arm_order(&a.0.arm),
            domain_order(&a.0.domain),
            a.0.year,
        )
            .cmp(&(
                group_order(&b.0.group, by),
                arm_order(&b.0.arm),
                domain_order(&b.0.domain),
                b.0.year,
            ))
    });
    withhold_small(out, p.settings.min_cell, |r, n| {
        ((r.arm.clone(), r.domain.clone(), r.year), *n)
    })
}

/// The rows of `score_levels`.
pub fn level_rows(p: &OutcomePartial) -> Vec<ScoreLevelRow> {
    let by = &p.settings.by;
    let mut out: Vec<(ScoreLevelRow, u8)> = p
        .levels
        .iter()
        .map(|(&(g, d, stage), s)| {
            (
                ScoreLevelRow {
                    group: p.groups.get(cell_group(g)).to_string(),
                    arm: arm_label(cell_arm(g)).to_string(),
                    domain: domain_label(p, d),
                    stage: stage_label(stage),
                    n: Some(s.n),
                    mean_score: (s.n > 0).then(|| s.sum as f64 / s.n as f64),
                    suppressed: false,
                },
                stage,
            )
        })
        .collect();
    out.sort_by(|a, b| {
        (
            group_order(&a.0.group, by),
            arm_order(&a.0.arm),
            domain_order(&a.0.domain),
            a.1,
        )
            .cmp(&(
                group_order(&b.0.group, by),
                arm_order(&b.0.arm),
                domain_order(&b.0.domain),
                b.1,
            ))
    });
    withhold_small(out, p.settings.min_cell, |r, stage| {
        ((r.arm.clone(), r.domain.clone(), *stage), r.n.unwrap_or(0))
    })
}

/// The rows of `during_programme`.
pub fn during_rows(p: &OutcomePartial) -> Vec<DuringProgrammeRow> {
    let by = &p.settings.by;
    let mut out: Vec<(DuringProgrammeRow, u8)> = p
        .during
        .iter()
        .filter(|(_, v)| v[1] > 0)
        .map(|(&(g, m), &[num, den])| {
            let ci = wilson(num as f64, den as f64, Z_95).ok().flatten();
            (
                DuringProgrammeRow {
                    group: p.groups.get(cell_group(g)).to_string(),
                    arm: arm_label(cell_arm(g)).to_string(),
                    measure: match m {
                        PLACED_DURING => "children_placed_during",
                        SELF_RELIANT => "self_reliant_at_exit",
                        AGED_18_AT_EXIT => "children_18_at_exit",
                        CENSORED_AT_18 => "children_censored_at_18",
                        _ => "other",
                    }
                    .to_string(),
                    numerator: Some(num),
                    denominator: Some(den),
                    share: Some(num as f64 / den as f64),
                    ci_low: ci.map(|i| i.low),
                    ci_high: ci.map(|i| i.high),
                    suppressed: false,
                },
                m,
            )
        })
        .collect();
    out.sort_by_key(|a| (group_order(&a.0.group, by), arm_order(&a.0.arm), a.1));
    withhold_small(out, p.settings.min_cell, |r, m| {
        ((r.arm.clone(), *m), r.denominator.unwrap_or(0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Changes -1, 0, 0, 1, 2: mean 0.4, sum x^2 = 6, ss = 6 - 4/5 = 5.2, var = 1.3,
    // se = sqrt(1.3 / 5) = 0.5099020, t(0.975, 4) = 2.7764451 -> 0.4 +- 1.4157.
    #[test]
    fn t_interval_from_integer_sums() {
        let mut s = Sums::default();
        for x in [-1, 0, 0, 1, 2] {
            s.n += 1;
            s.sum += x;
            s.sum_sq += x * x;
        }
        let (m, ci) = mean_t(&s).unwrap();
        assert!((m - 0.4).abs() < 1e-15);
        let (lo, hi) = ci.unwrap();
        assert!((lo - (0.4 - 1.415_715)).abs() < 1e-5, "{lo}");
        assert!((hi - (0.4 + 1.415_715)).abs() < 1e-5, "{hi}");
        assert_eq!(mean_t(&Sums::default()), None);
    }
}
