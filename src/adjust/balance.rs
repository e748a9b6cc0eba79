//! Covariate balance and overlap: the diagnostics a reviewer reads before any adjusted
//! estimate (docs/method.md section 4.5.5).
//!
//! For every design column (each level of a category, the reference level included):
//! the programme mean, the comparison mean before and after weighting, the standardised
//! mean difference before and after, and for numbers the variance ratio. The SMD's
//! denominator is the unweighted arms' pooled SD, `sqrt((s_p^2 + s_c^2) / 2)`, the same
//! before and after weighting, so a change in the SMD is a change in the means (Austin &
//! Stuart 2015); `|SMD| < 0.1` is the usual threshold of adequate balance. A level held
//! by fewer than `min_cell` families of an arm (and more than none) is suppressed: its
//! share would reveal a small group.

use serde::{Deserialize, Serialize};

use super::design::Design;
use crate::stats::{kish_effective_n, smd, smd_binary, variance_ratio, weighted_mean_var};

/// `tables/balance`: one row per covariate column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceRow {
    pub covariate: String,
    /// The category level (`(missing)` for a missing value or a number's missing
    /// indicator); null for a number or a boolean.
    pub level: Option<String>,
    /// `number` or `share` (a 0/1 column: means are shares).
    pub kind: String,
    pub mean_programme: Option<f64>,
    pub mean_comparison: Option<f64>,
    /// With the propensity weights (the programme's equals `mean_programme` under ATT
    /// weights without trimming).
    pub mean_programme_weighted: Option<f64>,
    pub mean_comparison_weighted: Option<f64>,
    pub smd_before: Option<f64>,
    pub smd_after: Option<f64>,
    /// Programme over comparison variance (numbers only).
    pub variance_ratio_before: Option<f64>,
    pub variance_ratio_after: Option<f64>,
    pub suppressed: bool,
}

/// The balance table of `design` with per-family `weights` (in design row order).
pub fn balance(design: &Design, weights: &[f64], min_cell: u64) -> Vec<BalanceRow> {
    let n = design.rows();
    let arm_rows = |programme: bool| -> Vec<usize> {
        (0..n)
            .filter(|&i| design.programme[i] == programme)
            .collect()
    };
    let (prog, comp) = (arm_rows(true), arm_rows(false));
    let ones = |rows: &[usize]| vec![1.0; rows.len()];
    let w_of = |rows: &[usize]| rows.iter().map(|&i| weights[i]).collect::<Vec<f64>>();
    let (wp, wc) = (w_of(&prog), w_of(&comp));
    design
        .columns
        .iter()
        .enumerate()
        .map(|(j, col)| {
            let x = |rows: &[usize]| rows.iter().map(|&i| design.row(i)[j]).collect::<Vec<f64>>();
            let (xp, xc) = (x(&prog), x(&comp));
            let m = |x: &[f64], w: &[f64]| weighted_mean_var(x, w).ok().flatten();
            let (p0, c0, p1, c1) = (
                m(&xp, &ones(&prog)),
                m(&xc, &ones(&comp)),
                m(&xp, &wp),
                m(&xc, &wc),
            );
            let mean = |v: &Option<crate::stats::WeightedMoments>| v.as_ref().map(|v| v.mean);
            let small = |x: &[f64]| {
                let k = x.iter().filter(|v| **v > 0.5).count() as u64;
                k > 0 && k < min_cell
            };
            let suppressed = col.binary && (small(&xp) || small(&xc));
            let (smd_before, smd_after, vr_before, vr_after) = match (&p0, &c0) {
                (Some(p0), Some(c0)) if !suppressed => {
                    if col.binary {
                        let after = match (&p1, &c1) {
                            (Some(p1), Some(c1)) => smd_binary(p1.mean, c1.mean, p0.mean, c0.mean),
                            _ => None,
                        };
                        (
                            smd_binary(p0.mean, c0.mean, p0.mean, c0.mean),
                            after,
                            None,
                            None,
                        )
                    } else {
                        let (vp, vc) = (p0.variance.unwrap_or(0.0), c0.variance.unwrap_or(0.0));
                        let after = match (&p1, &c1) {
                            (Some(p1), Some(c1)) => smd(p1.mean, c1.mean, vp, vc),
                            _ => None,
                        };
                        let vr_after = match (&p1, &c1) {
                            (Some(p1), Some(c1)) => match (p1.variance, c1.variance) {
                                (Some(a), Some(b)) => variance_ratio(a, b),
                                _ => None,
                            },
                            _ => None,
                        };
                        (
                            smd(p0.mean, c0.mean, vp, vc),
                            after,
                            variance_ratio(vp, vc),
                            vr_after,
                        )
                    }
                }
                _ => (None, None, None, None),
            };
            let keep = |v: Option<f64>| if suppressed { None } else { v };
            BalanceRow {
                covariate: col.covariate.clone(),
                level: col.level.clone(),
                kind: if col.binary { "share" } else { "number" }.to_string(),
                mean_programme: keep(mean(&p0)),
                mean_comparison: keep(mean(&c0)),
                mean_programme_weighted: keep(mean(&p1)),
                mean_comparison_weighted: keep(mean(&c1)),
                smd_before,
                smd_after,
                variance_ratio_before: vr_before,
                variance_ratio_after: vr_after,
                suppressed,
            }
        })
        .collect()
}

/// Overlap and weighting diagnostics of an adjustment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub families_programme: u64,
    pub families_comparison: u64,
    /// Kish effective size of the comparison arm before (its size) and after weighting.
    pub ess_comparison_before: f64,
    pub ess_comparison_after: f64,
    /// Programme families whose propensity lies outside the comparison arm's range (no
    /// comparison family is like them).
    pub programme_outside_comparison_range: u64,
    /// Families given weight 0 by trimming, programme and comparison.
    pub trimmed_programme: u64,
    pub trimmed_comparison: u64,
    /// Largest |SMD| after weighting over the rows not suppressed.
    pub max_abs_smd_after: Option<f64>,
    pub max_abs_smd_before: Option<f64>,
}

/// The thresholds of the warnings (docs/method.md section 4.5.5).
pub const SMD_WARN: f64 = 0.1;
pub const ESS_WARN: f64 = 50.0;
/// Share of programme families outside the comparison arm's propensity range above
/// which overlap counts as poor.
pub const OUTSIDE_WARN: f64 = 0.05;

/// Diagnostics of weights `weights` for propensities `score` (design row order).
pub fn diagnostics(
    programme: &[bool],
    score: &[f64],
    weights: &[f64],
    rows: &[BalanceRow],
) -> Diagnostics {
    let comp: Vec<usize> = (0..programme.len()).filter(|&i| !programme[i]).collect();
    let prog: Vec<usize> = (0..programme.len()).filter(|&i| programme[i]).collect();
    let (lo, hi) = comp
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| {
            (lo.min(score[i]), hi.max(score[i]))
        });
    let wc: Vec<f64> = comp.iter().map(|&i| weights[i]).collect();
    let max_abs = |f: fn(&BalanceRow) -> Option<f64>| {
        rows.iter()
            .filter_map(f)
            .map(f64::abs)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
    };
    Diagnostics {
        families_programme: prog.len() as u64,
        families_comparison: comp.len() as u64,
        ess_comparison_before: comp.len() as f64,
        ess_comparison_after: kish_effective_n(&wc).unwrap_or(0.0),
        programme_outside_comparison_range: prog
            .iter()
            .filter(|&&i| score[i] < lo || score[i] > hi)
            .count() as u64,
        trimmed_programme: prog.iter().filter(|&&i| weights[i] == 0.0).count() as u64,
        trimmed_comparison: comp.iter().filter(|&&i| weights[i] == 0.0).count() as u64,
        max_abs_smd_after: max_abs(|r| r.smd_after),
        max_abs_smd_before: max_abs(|r| r.smd_before),
    }
}

impl Diagnostics {
    /// The warnings a reader must see beside the adjusted estimates.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some(m) = self.max_abs_smd_after {
            if m > SMD_WARN {
                w.push(format!(
                    "covariate balance is not achieved: after weighting the largest standardised mean difference is {m:.2} (above {SMD_WARN}); see tables/balance, and add the unbalanced covariate's interactions or a richer model"
                ));
            }
        }
        if self.ess_comparison_after < ESS_WARN {
            w.push(format!(
                "after weighting the comparison arm counts as {:.0} families (effective sample size, below {ESS_WARN:.0}): a few comparison families carry the adjusted estimates",
                self.ess_comparison_after
            ));
        }
        let outside = self.programme_outside_comparison_range as f64
            / (self.families_programme.max(1)) as f64;
        if outside > OUTSIDE_WARN {
            w.push(format!(
                "poor overlap: {} programme families ({:.0} %) have a propensity outside the comparison arm's range, so no comparison family resembles them; consider trim = [0.05, 0.95] (which changes the estimand)",
                self.programme_outside_comparison_range,
                outside * 100.0
            ));
        }
        w
    }
}

/// `tables/propensity_overlap`: the propensity distribution of each arm in 20 bins of
/// width 0.05 (the overlap chart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverlapRow {
    pub arm: String,
    pub bin_low: f64,
    pub bin_high: f64,
    /// Families in the bin; `None` when 1 to `min_cell - 1` (suppressed).
    pub families: Option<u64>,
    /// Share of the arm's families in the bin (`None` when suppressed).
    pub share: Option<f64>,
    pub suppressed: bool,
}

/// Number of bins of the overlap table.
pub const OVERLAP_BINS: usize = 20;

/// The overlap table of propensities `score` by arm.
pub fn overlap(programme: &[bool], score: &[f64], min_cell: u64) -> Vec<OverlapRow> {
    let mut rows = Vec::new();
    for (flag, arm) in [(true, "programme"), (false, "comparison")] {
        let mut counts = [0u64; OVERLAP_BINS];
        let mut total = 0u64;
        for (i, &p) in score.iter().enumerate() {
            if programme[i] == flag {
                let b = ((p * OVERLAP_BINS as f64) as usize).min(OVERLAP_BINS - 1);
                counts[b] += 1;
                total += 1;
            }
        }
        for (b, &k) in counts.iter().enumerate() {
            let suppressed = k > 0 && k < min_cell;
            rows.push(OverlapRow {
                arm: arm.to_string(),
                bin_low: b as f64 / OVERLAP_BINS as f64,
                bin_high: (b + 1) as f64 / OVERLAP_BINS as f64,
                families: (!suppressed).then_some(k),
                share: (!suppressed && total > 0).then(|| k as f64 / total as f64),
                suppressed,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adjust::design::DesignColumn;

    fn col(name: &str, binary: bool) -> DesignColumn {
        DesignColumn {
            covariate: name.into(),
            level: None,
            binary,
            in_model: true,
        }
    }

    #[test]
    fn smd_before_and_after_weighting_by_hand() {
        // One number x and one share s. Programme: x = 1, 3 (mean 2, var 2); s = 1, 1.
        // Comparison: x = 0, 0, 2 (mean 2/3, var 4/3); s = 0, 1, 0.
        let design = Design {
            columns: vec![col("x", false), col("s", true)],
            values: vec![1., 1., 3., 1., 0., 0., 0., 1., 2., 0.],
            programme: vec![true, true, false, false, false],
            dropped: Vec::new(),
        };
        // Weights 1 for the programme, 1, 1, 4 for the comparison: weighted x mean =
        // (0 + 0 + 8) / 6 = 4/3, share s = 1/6.
        let w = [1., 1., 1., 1., 4.];
        let rows = balance(&design, &w, 1);
        let x = &rows[0];
        assert_eq!(x.mean_programme, Some(2.0));
        assert!((x.mean_comparison.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((x.mean_comparison_weighted.unwrap() - 4.0 / 3.0).abs() < 1e-12);
        // Pooled SD sqrt((2 + 4/3) / 2) = sqrt(5/3).
        let sd = (5.0f64 / 3.0).sqrt();
        assert!((x.smd_before.unwrap() - (2.0 - 2.0 / 3.0) / sd).abs() < 1e-12);
        assert!((x.smd_after.unwrap() - (2.0 - 4.0 / 3.0) / sd).abs() < 1e-12);
        assert!((x.variance_ratio_before.unwrap() - 2.0 / (4.0 / 3.0)).abs() < 1e-12);
        let s = &rows[1];
        // Shares 1 and 1/3: pooled variance (0 + 2/9) / 2 = 1/9, SD 1/3.
        assert!((s.smd_before.unwrap() - (1.0 - 1.0 / 3.0) * 3.0).abs() < 1e-12);
        assert!((s.smd_after.unwrap() - (1.0 - 1.0 / 6.0) * 3.0).abs() < 1e-12);
        // min_cell 2: the comparison arm has one family with s = 1, suppressed.
        let rows = balance(&design, &w, 2);
        assert!(rows[1].suppressed && rows[1].mean_comparison.is_none());
        let d = diagnostics(&design.programme, &[0.6, 0.9, 0.2, 0.3, 0.7], &w, &rows);
        // ESS of the comparison weights 1, 1, 4: 36 / 18 = 2.
        assert!((d.ess_comparison_after - 2.0).abs() < 1e-12);
        assert_eq!(d.programme_outside_comparison_range, 1);
        assert_eq!(d.warnings().len(), 3, "{:?}", d.warnings());
    }

    #[test]
    fn overlap_bins_suppress_small_counts() {
        let rows = overlap(&[true, true, false], &[0.51, 0.52, 0.01], 2);
        let prog: Vec<&OverlapRow> = rows.iter().filter(|r| r.arm == "programme").collect();
        assert_eq!(prog[10].families, Some(2));
        assert_eq!(prog[10].share, Some(1.0));
        let comp: Vec<&OverlapRow> = rows.iter().filter(|r| r.arm == "comparison").collect();
        assert!(comp[0].suppressed && comp[0].families.is_none());
    }
}
