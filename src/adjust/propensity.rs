//! The propensity model: the probability of being a programme family given the baseline
//! covariates, and the weights it gives.
//!
//! A logistic regression of programme membership on the design's model columns
//! (docs/method.md section 4.5.2), fitted at family level by the IRLS of
//! [`crate::stats::logistic`]. Numbers are standardised before the fit (mean 0, SD 1):
//! the fitted probabilities are the same and the normal equations stay well conditioned
//! when incomes in the thousands sit beside 0/1 indicators.
//!
//! **Weights.** ATT (the effect on the programme's families, the default): 1 for a
//! programme family and the odds `p / (1 - p)` for a comparison family, so that the
//! weighted comparison arm has the programme's covariate distribution. Overlap weights
//! (Li, Morgan & Zaslavsky 2018): `1 - p` and `p`; the estimand becomes the effect in the
//! population where the arms overlap. Weighted means are Hajek ratios (weighted sum over
//! summed weights), so the weights are normalised within arm. Trimming (`trim = [lo,
//! hi]`) gives weight 0 to families of either arm whose propensity is outside the range,
//! which also changes the estimand (Crump et al. 2009).
//!
//! **Refitting in the bootstrap.** A replicate's coefficients are the full-data fit plus
//! one Newton step on the replicate's log-likelihood, `b* = b + I^-1 sum_i (m_i - 1) x_i
//! (d_i - p_i)`, with `m_i` the family's Poisson multiplicity and `I` the information
//! matrix at the full-data fit (the score bootstrap's linearisation of refitting; Hu &
//! Kalbfleisch 2000, Kline & Santos 2012). The weights of every replicate are recomputed
//! from `b*`, so the intervals carry the uncertainty of estimating the propensity model.
//! A test checks the resulting standard errors against a bootstrap that refits the model
//! to convergence in every replicate.

use ndarray::{Array2, ArrayView2};

use super::design::Design;
use super::AdjustError;
use crate::settings::Weighting;
use crate::stats::linalg::Cholesky;
use crate::stats::{LogisticParams, StatsError};

/// The fitted propensity model over the cohort's families.
#[derive(Debug, Clone, PartialEq)]
pub struct Propensity {
    /// Labels of the model's columns (after the intercept).
    pub columns: Vec<String>,
    /// Coefficients on the standardised columns, intercept first.
    pub coefficients: Vec<f64>,
    /// Per family: linear predictor and probability of being a programme family.
    pub linear: Vec<f64>,
    pub score: Vec<f64>,
    /// Standardised model rows with the intercept, row-major (`families x dim`).
    rows: Vec<f64>,
    dim: usize,
    /// Inverse information matrix at the fit.
    inverse_information: Array2<f64>,
    pub iterations: usize,
}

impl Propensity {
    /// Number of coefficients (with the intercept).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Standardised model row of family `i`, intercept first.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.rows[i * self.dim..(i + 1) * self.dim]
    }

    /// Family `i`'s contribution to the score, `x_i (d_i - p_i)`, added to `acc` times
    /// `times`.
    pub fn add_score(&self, i: usize, programme: bool, times: f64, acc: &mut [f64]) {
        let r = f64::from(u8::from(programme)) - self.score[i];
        for (a, x) in acc.iter_mut().zip(self.row(i)) {
            *a += times * x * r;
        }
    }

    /// The one-step coefficient change of a replicate whose score sum is `g`:
    /// `I^-1 g`.
    pub fn step(&self, g: &[f64]) -> Vec<f64> {
        (0..self.dim)
            .map(|j| {
                (0..self.dim)
                    .map(|k| self.inverse_information[[j, k]] * g[k])
                    .sum()
            })
            .collect()
    }

    /// Family `i`'s linear predictor after a coefficient change `delta`.
    pub fn linear_after(&self, i: usize, delta: &[f64]) -> f64 {
        self.linear[i]
            + self
                .row(i)
                .iter()
                .zip(delta)
                .map(|(x, d)| x * d)
                .sum::<f64>()
    }
}

/// Probability of a linear predictor, without overflow.
pub fn probability(eta: f64) -> f64 {
    if eta >= 0.0 {
        1.0 / (1.0 + (-eta).exp())
    } else {
        let e = eta.exp();
        e / (1.0 + e)
    }
}

/// The weight of a family with linear predictor `eta` (see the module documentation);
/// 0 when trimmed.
pub fn weight(eta: f64, programme: bool, weighting: Weighting, trim: Option<(f64, f64)>) -> f64 {
    let p = probability(eta);
    if let Some((lo, hi)) = trim {
        if p < lo || p > hi {
            return 0.0;
        }
    }
    match (weighting, programme) {
        (Weighting::Att, true) => 1.0,
        // The odds p / (1 - p) = exp(eta), exact in the tails where 1 - p rounds.
        (Weighting::Att, false) => eta.min(700.0).exp(),
        (Weighting::Overlap, true) => 1.0 - p,
        (Weighting::Overlap, false) => p,
    }
}

/// Fit the propensity model to the design's families.
///
/// # Errors
/// [`AdjustError::NoCovariates`] without a model column; [`AdjustError::Propensity`]
/// naming the covariate that separates the arms, is collinear, or keeps the fit from
/// converging, or the arm that is too small.
pub fn fit(design: &Design) -> Result<Propensity, AdjustError> {
    let cols = design.model_columns();
    if cols.is_empty() {
        return Err(AdjustError::NoCovariates {
            dropped: design.dropped.clone(),
        });
    }
    let n = design.rows();
    let p = cols.len();
    let mut raw = Vec::with_capacity(n * p);
    for i in 0..n {
        design.model_row(i, &mut raw);
    }
    // Standardise each column (0/1 columns too: it does not change the fit).
    let mut x = Array2::<f64>::zeros((n, p));
    for j in 0..p {
        let col = || (0..n).map(|i| raw[i * p + j]);
        let mean = col().sum::<f64>() / n.max(1) as f64;
        let var = col().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n.max(1) as f64;
        let sd = if var > 0.0 { var.sqrt() } else { 1.0 };
        for i in 0..n {
            x[[i, j]] = (raw[i * p + j] - mean) / sd;
        }
    }
    let labels: Vec<String> = cols.iter().map(|c| c.label()).collect();
    let y = &design.programme;
    let fitted = LogisticParams::new()
        .with_min_per_class(1.0)
        .fit(x.view(), y, None)
        .map_err(|e| explain(e, x.view(), y, &labels))?;
    if !fitted.converged {
        let (j, _) = fitted
            .coefficients
            .iter()
            .enumerate()
            .skip(1)
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .unwrap_or((1, &0.0));
        return Err(AdjustError::Propensity(format!(
            "the propensity model did not converge in {} iterations; its largest coefficient is that of {} (check it for near-separation, or leave it out of study.adjustment.covariates)",
            fitted.iterations,
            labels.get(j.saturating_sub(1)).map_or("?", String::as_str)
        )));
    }
    let dim = p + 1;
    let mut rows = Vec::with_capacity(n * dim);
    for i in 0..n {
        rows.push(1.0);
        rows.extend(x.row(i).iter());
    }
    let b: Vec<f64> = fitted.coefficients.to_vec();
    let linear: Vec<f64> = (0..n)
        .map(|i| {
            rows[i * dim..(i + 1) * dim]
                .iter()
                .zip(&b)
                .map(|(x, b)| x * b)
                .sum()
        })
        .collect();
    let score: Vec<f64> = linear.iter().map(|&e| probability(e)).collect();
    let mut info = Array2::<f64>::zeros((dim, dim));
    for i in 0..n {
        let w = score[i] * (1.0 - score[i]);
        let r = &rows[i * dim..(i + 1) * dim];
        for j in 0..dim {
            for k in 0..=j {
                info[[j, k]] += w * r[j] * r[k];
            }
        }
    }
    for j in 0..dim {
        for k in 0..j {
            info[[k, j]] = info[[j, k]];
        }
    }
    let inverse_information = Cholesky::factor(&info)
        .map_err(|e| explain(e, x.view(), y, &labels))?
        .inverse();
    Ok(Propensity {
        columns: labels,
        coefficients: b,
        linear,
        score,
        rows,
        dim,
        inverse_information,
        iterations: fitted.iterations,
    })
}

/// A fit error in the user's terms: which covariate, which arm.
fn explain(e: StatsError, x: ArrayView2<'_, f64>, y: &[bool], labels: &[String]) -> AdjustError {
    let arm = |d: bool| if d { "programme" } else { "comparison" };
    // `risk_level=acute` -> `risk_level`; `intake_income=(missing)` -> `intake_income`.
    let covariate = |j: usize| labels[j].split('=').next().unwrap_or("").to_string();
    let described = |j: usize| match labels[j].split_once('=') {
        Some((c, "(missing)")) => format!("a missing {c}"),
        Some((c, l)) => format!("{c} = {l}"),
        None => labels[j].clone(),
    };
    AdjustError::Propensity(match e {
        StatsError::Separation { .. } => match separating(x, y) {
            Some((j, d, true)) => format!(
                "the covariates separate the arms: the families with {} are all {} families, so their propensity is 0 or 1 and no weight exists; leave {} out of study.adjustment.covariates, merge its rare levels, or restrict the analysis to families both arms have",
                described(j),
                arm(d),
                covariate(j)
            ),
            Some((j, d, false)) => format!(
                "the covariates separate the arms: every {} family has a higher {} than every {} family, so their propensity is 0 or 1 and no weight exists; leave {} out of study.adjustment.covariates, or restrict the analysis to the range both arms share",
                arm(d),
                labels[j],
                arm(!d),
                labels[j]
            ),
            None => "the covariates separate the arms (a combination of them predicts the arm exactly), so no weight exists; use fewer covariates or merge rare levels".to_string(),
        },
        StatsError::Singular { column } => format!(
            "the covariate column {} is a linear combination of the others (collinear); leave one of them out of study.adjustment.covariates",
            labels.get(column.saturating_sub(1)).map_or("(intercept)", String::as_str)
        ),
        StatsError::TooFewInClass { class, count, .. } => format!(
            "the {} arm has {count} families with an exit; a propensity model needs both arms",
            arm(class)
        ),
        other => other.to_string(),
    })
}

/// A column that separates the arms: an indicator (0/1) column whose families at 1 are
/// all in one arm, or a number whose arms' ranges do not overlap.
/// Returns the column, the arm (true: programme) at the separated side, and whether the
/// column is an indicator.
fn separating(x: ArrayView2<'_, f64>, y: &[bool]) -> Option<(usize, bool, bool)> {
    for j in 0..x.ncols() {
        let col = x.column(j);
        let range = |d: bool| {
            col.iter()
                .zip(y)
                .filter(|(_, &yi)| yi == d)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (v, _)| {
                    (lo.min(*v), hi.max(*v))
                })
        };
        let (p, c) = (range(true), range(false));
        let mut values: Vec<f64> = col.to_vec();
        values.sort_by(f64::total_cmp);
        values.dedup();
        if values.len() == 2 {
            // An indicator (standardised: two values). Its upper value in one arm only?
            let high = values[1];
            if p.1 == high && c.1 < high {
                return Some((j, true, true));
            }
            if c.1 == high && p.1 < high {
                return Some((j, false, true));
            }
        } else if p.0 > c.1 || c.0 > p.1 {
            return Some((j, p.0 > c.1, false));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adjust::design::DesignColumn;

    fn design(x: &[f64], programme: &[bool]) -> Design {
        Design {
            columns: vec![DesignColumn {
                covariate: "x".into(),
                level: None,
                binary: false,
                in_model: true,
            }],
            values: x.to_vec(),
            programme: programme.to_vec(),
            dropped: Vec::new(),
        }
    }

    #[test]
    fn att_and_overlap_weights() {
        // eta = ln 3: p = 3/4, odds 3.
        let eta = 3f64.ln();
        assert!((probability(eta) - 0.75).abs() < 1e-15);
        assert_eq!(weight(eta, true, Weighting::Att, None), 1.0);
        assert!((weight(eta, false, Weighting::Att, None) - 3.0).abs() < 1e-12);
        assert!((weight(eta, true, Weighting::Overlap, None) - 0.25).abs() < 1e-15);
        assert!((weight(eta, false, Weighting::Overlap, None) - 0.75).abs() < 1e-15);
        assert_eq!(weight(eta, false, Weighting::Att, Some((0.05, 0.7))), 0.0);
        assert_eq!(weight(eta, true, Weighting::Att, Some((0.8, 0.95))), 0.0);
    }

    #[test]
    fn a_saturated_binary_model_reproduces_the_cell_shares() {
        // x = 0: 1 of 4 in the programme; x = 1: 3 of 4. The fit reproduces the shares,
        // so the ATT weight of a comparison family is the cell's odds.
        let x = [0., 0., 0., 0., 1., 1., 1., 1.];
        let d = [true, false, false, false, true, true, true, false];
        let f = fit(&design(&x, &d)).unwrap();
        assert!((f.score[0] - 0.25).abs() < 1e-9, "{:?}", f.score);
        assert!((f.score[4] - 0.75).abs() < 1e-9);
        assert!((weight(f.linear[3], false, Weighting::Att, None) - 1.0 / 3.0).abs() < 1e-8);
        assert!((weight(f.linear[7], false, Weighting::Att, None) - 3.0).abs() < 1e-8);
        // At the fit the score sums to zero: a replicate with every family once steps
        // nowhere.
        let mut g = vec![0.0; f.dim()];
        for (i, &di) in d.iter().enumerate() {
            f.add_score(i, di, 1.0, &mut g);
        }
        assert!(f.step(&g).iter().all(|s| s.abs() < 1e-9));
    }

    /// The requirement: on an observational design (selection on x, an outcome
    /// that depends on x), the standard error of the ATT-weighted difference from the
    /// one-step refits agrees with a bootstrap that refits the propensity model to
    /// convergence in each of 1,000 replicates within 15 %.
    #[test]
    fn one_step_refits_give_the_standard_error_of_full_refits() {
        use crate::stats::rng::{rng_for, Stream};
        use crate::stats::PoissonBootstrap;
        use rand::RngExt;
        let n = 1500;
        let mut rng = rng_for(11, Stream::Generate, 0);
        let mut x = Vec::with_capacity(n);
        let mut d = Vec::with_capacity(n);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let xi: f64 = rng.random_range(-2.0..2.0);
            let di = rng.random::<f64>() < probability(-0.3 + 1.1 * xi);
            let noise: f64 = rng.random_range(-300.0..300.0);
            x.push(xi);
            d.push(di);
            y.push(300.0 * xi + if di { 100.0 } else { 0.0 } + noise);
        }
        let f = fit(&design(&x, &d)).unwrap();
        let keys: Vec<u64> = (0..n as u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        // The ATT-weighted difference with multiplicities m and weights from eta.
        let att = |m: &[u32], eta: &dyn Fn(usize) -> f64| {
            let (mut sp, mut np, mut sc, mut nc) = (0.0, 0.0, 0.0, 0.0);
            for i in 0..n {
                let c = f64::from(m[i]);
                if d[i] {
                    sp += c * y[i];
                    np += c;
                } else {
                    let w = c * weight(eta(i), false, Weighting::Att, None);
                    sc += w * y[i];
                    nc += w;
                }
            }
            sp / np - sc / nc
        };
        let boot = PoissonBootstrap::new(5);
        let mut one_step = Vec::new();
        let mut full = Vec::new();
        let xs = Array2::from_shape_vec((n, 1), x.clone()).unwrap();
        for b in 0..1000 {
            let m = boot.counts(b, &keys);
            let mut g = vec![0.0; f.dim()];
            for i in 0..n {
                f.add_score(i, d[i], f64::from(m[i]) - 1.0, &mut g);
            }
            let step = f.step(&g);
            one_step.push(att(&m, &|i| f.linear_after(i, &step)));
            let w: Vec<f64> = m.iter().map(|&c| f64::from(c)).collect();
            let refit = LogisticParams::new()
                .with_min_per_class(1.0)
                .fit(xs.view(), &d, Some(&w))
                .unwrap();
            let (b0, b1) = (refit.coefficients[0], refit.coefficients[1]);
            full.push(att(&m, &|i| b0 + b1 * x[i]));
        }
        let sd = |v: &[f64]| {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            (v.iter().map(|a| (a - mean) * (a - mean)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
        };
        let (a, b) = (sd(&one_step), sd(&full));
        eprintln!("one-step SE {a}, full-refit SE {b}");
        assert!(
            (a / b - 1.0).abs() < 0.15,
            "one-step SE {a}, full-refit SE {b}"
        );
    }

    #[test]
    fn separation_names_the_covariate() {
        // An indicator: every family with x = 1 is a programme family.
        let d = [false, false, false, true, true, true];
        let e = fit(&design(&[0., 0., 0., 1., 1., 1.], &d)).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "the covariates separate the arms: the families with x are all programme families"
            ),
            "{e}"
        );
        // A number whose arms do not overlap.
        let e = fit(&design(&[0., 1., 2., 3.5, 4., 5.], &d)).unwrap_err();
        assert!(
            e.to_string().starts_with("the covariates separate the arms: every programme family has a higher x than every comparison family"),
            "{e}"
        );
    }
}
