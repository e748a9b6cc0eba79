//! Logistic regression by iteratively reweighted least squares (IRLS).
//!
//! Follow-up non-response is corrected by inverse probability weighting (docs/method.md
//! section 2): a logistic model of "observed, given due" on intake covariates gives each
//! respondent a weight. That model must fail loudly rather than produce absurd weights, so
//! the fit reports, as typed errors, the three ways it can go wrong with programme data:
//!
//! - **too few of one outcome** ([`StatsError::TooFewInClass`]): fewer than
//!   `min_per_class` (by weight) respondents or non-respondents;
//! - **separation** ([`StatsError::Separation`]): some covariate pattern predicts the
//!   outcome perfectly, so the maximum-likelihood estimate does not exist. Detected when
//!   the iterations do not settle and fitted probabilities run to 0 or 1 (Newton steps
//!   under separation push the linear predictor of the separated rows out by about one unit
//!   per iteration, so after the default 50 iterations they sit near `exp(-50)`);
//! - **collinear columns** ([`StatsError::Singular`]): reported with the column index, not
//!   hidden by a ridge, so the caller can drop the redundant dummy.
//!
//! Each iteration solves the weighted least-squares normal equations `(X'WX) b = X'Wz` with
//! the Cholesky factorisation in [`super::linalg`] (no BLAS), halving the step if the
//! deviance rises. Probabilities, weights and the log-likelihood are computed from the
//! linear predictor in forms that neither overflow nor cancel. Standard errors are the
//! square roots of the diagonal of `(X'WX)^-1` at the solution.
//!
//! (The file runs past 700 lines because a third of it is the tests beside the code:
//! reference fits from statsmodels and the separation and collinearity cases; the fit
//! itself is one concept and reads best whole.)

use ndarray::{Array1, Array2, ArrayView2};

use super::{linalg::Cholesky, StatsError};

/// Settings of a logistic regression fit; build with the `with_*` methods.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticParams {
    intercept: bool,
    max_iterations: usize,
    tolerance: f64,
    min_per_class: f64,
    extreme_probability: f64,
}

impl Default for LogisticParams {
    /// Intercept added, at most 50 iterations, tolerance 1e-8, at least 10 (by weight) of
    /// each outcome, fitted probabilities within 1e-8 of 0 or 1 count as separated.
    fn default() -> Self {
        Self {
            intercept: true,
            max_iterations: 50,
            tolerance: 1e-8,
            min_per_class: 10.0,
            extreme_probability: 1e-8,
        }
    }
}

impl LogisticParams {
    /// The defaults (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether to prepend a column of ones to the design matrix (default `true`). With
    /// `false` the caller's matrix is used as is.
    pub fn with_intercept(mut self, intercept: bool) -> Self {
        self.intercept = intercept;
        self
    }

    /// Maximum number of IRLS iterations (default 50).
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// Convergence tolerance on the largest relative coefficient change
    /// `|b_new - b| / (|b| + 0.1)` (default 1e-8).
    pub fn with_tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Minimum weighted count of each outcome class (default 10).
    pub fn with_min_per_class(mut self, min: f64) -> Self {
        self.min_per_class = min;
        self
    }

    /// Fitted probabilities closer than this to 0 or 1 count as separated (default 1e-8).
    pub fn with_extreme_probability(mut self, eps: f64) -> Self {
        self.extreme_probability = eps;
        self
    }

    fn check(&self) -> Result<(), StatsError> {
        let bad = |name, value: f64, expected| {
            Err(StatsError::InvalidParameter {
                name,
                value,
                expected,
            })
        };
        if self.max_iterations == 0 {
            return bad("max_iterations", 0.0, "at least 1");
        }
        if !(self.tolerance > 0.0 && self.tolerance < 1.0) {
            return bad("tolerance", self.tolerance, "between 0 and 1 (e.g. 1e-8)");
        }
        if !(self.min_per_class >= 0.0 && self.min_per_class.is_finite()) {
            return bad("min_per_class", self.min_per_class, "finite and >= 0");
        }
        if !(self.extreme_probability > 0.0 && self.extreme_probability < 0.5) {
            return bad(
                "extreme_probability",
                self.extreme_probability,
                "between 0 and 0.5 (e.g. 1e-8)",
            );
        }
        Ok(())
    }

    /// Fit `P(y = 1) = 1 / (1 + exp(-x'b))` by maximum likelihood.
    ///
    /// `x` has one row per observation (without the intercept column when
    /// [`Self::with_intercept`] is on); `weights` are optional non-negative prior
    /// (frequency) weights, so a grouped binomial table can be fitted as two weighted rows
    /// per group. Rows with weight 0 do not count.
    ///
    /// A fit that stops at `max_iterations` without meeting the tolerance, and without
    /// separation, is returned with `converged == false`: check the flag.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] for bad settings; [`StatsError::LengthMismatch`] if
    /// `y` or `weights` do not have one entry per row; [`StatsError::InvalidValue`] for a
    /// non-finite `x` entry or a negative or non-finite weight; [`StatsError::Empty`] for a
    /// design without columns; [`StatsError::TooFewInClass`], [`StatsError::Separation`],
    /// [`StatsError::Singular`] as described in the module documentation.
    pub fn fit(
        &self,
        x: ArrayView2<'_, f64>,
        y: &[bool],
        weights: Option<&[f64]>,
    ) -> Result<LogisticFit, StatsError> {
        self.check()?;
        let n = x.nrows();
        if y.len() != n {
            return Err(StatsError::LengthMismatch {
                what: "y",
                expected: n,
                found: y.len(),
            });
        }
        let w: Vec<f64> = match weights {
            Some(w) if w.len() != n => {
                return Err(StatsError::LengthMismatch {
                    what: "weights",
                    expected: n,
                    found: w.len(),
                })
            }
            Some(w) => w.to_vec(),
            None => vec![1.0; n],
        };
        if let Some((index, &value)) = w
            .iter()
            .enumerate()
            .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
        {
            return Err(StatsError::InvalidValue {
                what: "weights",
                index,
                value,
                expected: "finite and non-negative",
            });
        }
        if let Some(((row, _), &value)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(StatsError::InvalidValue {
                what: "x",
                index: row,
                value,
                expected: "finite",
            });
        }
        let design = if self.intercept {
            let mut d = Array2::<f64>::ones((n, x.ncols() + 1));
            d.slice_mut(ndarray::s![.., 1..]).assign(&x);
            d
        } else {
            x.to_owned()
        };
        let p = design.ncols();
        if p == 0 {
            return Err(StatsError::Empty {
                what: "design matrix columns",
            });
        }
        for class in [false, true] {
            let count: f64 = y
                .iter()
                .zip(&w)
                .filter(|(&yi, _)| yi == class)
                .map(|(_, wi)| wi)
                .sum();
            if count <= 0.0 || count < self.min_per_class {
                return Err(StatsError::TooFewInClass {
                    class,
                    count,
                    minimum: self.min_per_class,
                });
            }
        }
        Irls::new(&design, y, &w, self).run()
    }
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticFit {
    /// Coefficients; the intercept first when it was added.
    pub coefficients: Array1<f64>,
    /// Standard errors of the coefficients, `sqrt(diag((X'WX)^-1))`.
    pub std_errors: Array1<f64>,
    /// IRLS iterations run.
    pub iterations: usize,
    /// Whether the coefficient change fell below the tolerance.
    pub converged: bool,
    /// Log-likelihood at the solution (weighted by the prior weights).
    pub log_likelihood: f64,
    /// Whether a column of ones was prepended to the caller's design.
    pub intercept: bool,
}

impl LogisticFit {
    /// Deviance `-2 log L` (for 0/1 outcomes the saturated log-likelihood is 0).
    pub fn deviance(&self) -> f64 {
        -2.0 * self.log_likelihood
    }

    /// Linear predictor `x'b` for one row laid out like the `x` passed to `fit` (without
    /// the intercept column when it was added).
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] if the row has the wrong number of covariates.
    pub fn linear_predictor(&self, row: &[f64]) -> Result<f64, StatsError> {
        let offset = usize::from(self.intercept);
        let expected = self.coefficients.len() - offset;
        if row.len() != expected {
            return Err(StatsError::LengthMismatch {
                what: "row",
                expected,
                found: row.len(),
            });
        }
        let base = if self.intercept {
            self.coefficients[0]
        } else {
            0.0
        };
        Ok(base
            + row
                .iter()
                .zip(self.coefficients.iter().skip(offset))
                .map(|(x, b)| x * b)
                .sum::<f64>())
    }

    /// Fitted probability `P(y = 1)` for one row (see [`Self::linear_predictor`]).
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] if the row has the wrong number of covariates.
    pub fn predict(&self, row: &[f64]) -> Result<f64, StatsError> {
        Ok(logistic(self.linear_predictor(row)?).0)
    }

    /// Fitted probabilities for every row of `x` (laid out like the `x` passed to `fit`).
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] if `x` has the wrong number of columns.
    pub fn predict_rows(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>, StatsError> {
        let offset = usize::from(self.intercept);
        let expected = self.coefficients.len() - offset;
        if x.ncols() != expected {
            return Err(StatsError::LengthMismatch {
                what: "x columns",
                expected,
                found: x.ncols(),
            });
        }
        let slopes = self.coefficients.slice(ndarray::s![offset..]);
        let base = if self.intercept {
            self.coefficients[0]
        } else {
            0.0
        };
        Ok(x.dot(&slopes).mapv(|eta| logistic(base + eta).0))
    }
}

/// `(mu, 1 - mu)` for linear predictor `eta`, each without cancellation.
fn logistic(eta: f64) -> (f64, f64) {
    let e = (-eta.abs()).exp();
    let small = e / (1.0 + e);
    let large = 1.0 / (1.0 + e);
    if eta >= 0.0 {
        (large, small)
    } else {
        (small, large)
    }
}

/// `ln(1 + exp(t))` without overflow.
fn softplus(t: f64) -> f64 {
    t.max(0.0) + (-t.abs()).exp().ln_1p()
}

/// Working state of one fit.
struct Irls<'a> {
    x: &'a Array2<f64>,
    y: &'a [bool],
    w: &'a [f64],
    params: &'a LogisticParams,
    eta: Vec<f64>,
}

impl<'a> Irls<'a> {
    fn new(x: &'a Array2<f64>, y: &'a [bool], w: &'a [f64], params: &'a LogisticParams) -> Self {
        // Start as R's binomial family does: mu = (w y + 0.5) / (w + 1).
        let eta = y
            .iter()
            .zip(w)
            .map(|(&yi, &wi)| {
                let mu = (wi * f64::from(u8::from(yi)) + 0.5) / (wi + 1.0);
                (mu / (1.0 - mu)).ln()
            })
            .collect();
        Self {
            x,
            y,
            w,
            params,
            eta,
        }
    }

    fn log_likelihood(&self, eta: &[f64]) -> f64 {
        eta.iter()
            .zip(self.y)
            .zip(self.w)
            .map(|((&e, &yi), &wi)| {
                // y ln(mu) + (1 - y) ln(1 - mu) = y eta - ln(1 + e^eta).
                wi * (if yi { e } else { 0.0 } - softplus(e))
            })
            .sum()
    }

    /// Rows with positive weight whose fitted probability is numerically 0 or 1.
    fn extreme_rows(&self) -> usize {
        let eps = self.params.extreme_probability;
        self.eta
            .iter()
            .zip(self.w)
            .filter(|(&e, &wi)| {
                let (mu, one_minus) = logistic(e);
                wi > 0.0 && (mu < eps || one_minus < eps)
            })
            .count()
    }

    /// `X'WX` and, when `z` is wanted, `X'Wz` at the current linear predictor.
    fn normal_equations(&self, with_z: bool) -> (Array2<f64>, Vec<f64>) {
        let p = self.x.ncols();
        let mut xtwx = Array2::<f64>::zeros((p, p));
        let mut xtwz = vec![0.0; p];
        for (i, row) in self.x.rows().into_iter().enumerate() {
            let wi = self.w[i];
            if wi == 0.0 {
                continue;
            }
            let (mu, one_minus) = logistic(self.eta[i]);
            let v = mu * one_minus;
            let ww = wi * v;
            if ww == 0.0 {
                continue;
            }
            let z = if with_z {
                self.eta[i] + (f64::from(u8::from(self.y[i])) - mu) / v
            } else {
                0.0
            };
            for a in 0..p {
                let xa = row[a] * ww;
                xtwz[a] += xa * z;
                for b in 0..=a {
                    xtwx[[a, b]] += xa * row[b];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                xtwx[[b, a]] = xtwx[[a, b]];
            }
        }
        (xtwx, xtwz)
    }

    fn predictor(&self, beta: &[f64], out: &mut [f64]) {
        for (o, row) in out.iter_mut().zip(self.x.rows()) {
            *o = row.iter().zip(beta).map(|(x, b)| x * b).sum();
        }
    }

    fn factor(&self, xtwx: &Array2<f64>, iterations: usize) -> Result<Cholesky, StatsError> {
        Cholesky::factor(xtwx).map_err(|e| match self.extreme_rows() {
            0 => e,
            extreme => StatsError::Separation {
                extreme,
                iterations,
            },
        })
    }

    fn run(mut self) -> Result<LogisticFit, StatsError> {
        let p = self.x.ncols();
        let mut beta = vec![0.0; p];
        let mut trial = vec![0.0; self.eta.len()];
        let mut log_lik = f64::NEG_INFINITY;
        let mut converged = false;
        let mut iterations = 0;
        while iterations < self.params.max_iterations {
            iterations += 1;
            let (xtwx, mut step) = self.normal_equations(true);
            self.factor(&xtwx, iterations)?.solve_in_place(&mut step)?;
            // `step` now holds the new coefficients; halve towards the old ones while the
            // likelihood falls (never on the first iteration, which has no old fit).
            let mut new_ll = f64::NEG_INFINITY;
            for _ in 0..30 {
                self.predictor(&step, &mut trial);
                new_ll = self.log_likelihood(&trial);
                if iterations == 1 || new_ll >= log_lik - 1e-12 * log_lik.abs() {
                    break;
                }
                for (s, b) in step.iter_mut().zip(&beta) {
                    *s = 0.5 * (*s + b);
                }
            }
            let change = step
                .iter()
                .zip(&beta)
                .map(|(new, old)| (new - old).abs() / (old.abs() + 0.1))
                .fold(0.0, f64::max);
            beta.copy_from_slice(&step);
            std::mem::swap(&mut self.eta, &mut trial);
            log_lik = new_ll;
            if iterations > 1 && change < self.params.tolerance {
                converged = true;
                break;
            }
        }
        let extreme = self.extreme_rows();
        if !converged && extreme > 0 {
            return Err(StatsError::Separation {
                extreme,
                iterations,
            });
        }
        let (xtwx, _) = self.normal_equations(false);
        let inverse = self.factor(&xtwx, iterations)?.inverse();
        let std_errors = Array1::from_iter((0..p).map(|j| inverse[[j, j]].max(0.0).sqrt()));
        Ok(LogisticFit {
            coefficients: Array1::from(beta),
            std_errors,
            iterations,
            converged,
            log_likelihood: log_lik,
            intercept: self.params.intercept,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};
    use rand::RngExt;
    use rand_distr::{Distribution, StandardNormal};

    use crate::stats::rng::{rng_for, Stream};

    // (a) One binary covariate: the MLE reproduces the 2x2 table. x = 0: 30 successes,
    // 20 failures; x = 1: 10 successes, 40 failures. Intercept = ln(30/20), slope = log odds
    // ratio ln((10/40) / (30/20)) = ln(1/6); Woolf's SE of the slope
    // sqrt(1/30 + 1/20 + 1/10 + 1/40) and of the intercept sqrt(1/30 + 1/20).
    #[test]
    fn binary_covariate_reproduces_the_two_by_two_table() {
        let mut x = Vec::new();
        let mut y = Vec::new();
        for (xi, succ, fail) in [(0.0, 30, 20), (1.0, 10, 40)] {
            for k in 0..succ + fail {
                x.push(xi);
                y.push(k < succ);
            }
        }
        let x = Array2::from_shape_vec((x.len(), 1), x).unwrap();
        let fit = LogisticParams::new().fit(x.view(), &y, None).unwrap();
        assert!(fit.converged);
        assert!((fit.coefficients[0] - 1.5_f64.ln()).abs() < 1e-8);
        assert!((fit.coefficients[1] - (1.0_f64 / 6.0).ln()).abs() < 1e-8);
        let se_slope = (1.0_f64 / 30.0 + 1.0 / 20.0 + 1.0 / 10.0 + 1.0 / 40.0).sqrt();
        assert!((fit.std_errors[1] - se_slope).abs() < 1e-8);
        assert!((fit.std_errors[0] - (1.0_f64 / 30.0 + 1.0 / 20.0).sqrt()).abs() < 1e-8);
        assert!((fit.predict(&[0.0]).unwrap() - 0.6).abs() < 1e-10);
        assert!((fit.predict(&[1.0]).unwrap() - 0.2).abs() < 1e-10);
        // log L = 30 ln .6 + 20 ln .4 + 10 ln .2 + 40 ln .8.
        let ll =
            30.0 * 0.6_f64.ln() + 20.0 * 0.4_f64.ln() + 10.0 * 0.2_f64.ln() + 40.0 * 0.8_f64.ln();
        assert!((fit.log_likelihood - ll).abs() < 1e-9);
        assert!((fit.deviance() + 2.0 * ll).abs() < 1e-9);
    }

    // (b) Bliss (1935) beetle mortality, the textbook logit example (Dobson & Barnett,
    // An Introduction to Generalized Linear Models, 3rd ed., section 7.3; Agresti,
    // Categorical Data Analysis): b = (-60.72, 34.27), SE = (5.18, 2.91), grouped deviance
    // 11.23 on 6 df. Checked with an independent 2x2 Newton iteration:
    // (-60.717455, 34.270326), SE (5.180711, 2.912140), deviance 11.232231.
    // Fitted here as weighted 0/1 rows (prior weights = counts).
    #[test]
    fn beetle_mortality_matches_published_fit() {
        let dose = [
            1.6907, 1.7242, 1.7552, 1.7842, 1.8113, 1.8369, 1.8610, 1.8839,
        ];
        let n = [59.0, 60.0, 62.0, 56.0, 63.0, 59.0, 62.0, 60.0];
        let killed = [6.0, 13.0, 18.0, 28.0, 52.0, 53.0, 61.0, 60.0];
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut w = Vec::new();
        for i in 0..8 {
            x.extend([dose[i], dose[i]]);
            y.extend([true, false]);
            w.extend([killed[i], n[i] - killed[i]]);
        }
        let x = Array2::from_shape_vec((16, 1), x).unwrap();
        let fit = LogisticParams::new().fit(x.view(), &y, Some(&w)).unwrap();
        assert!(fit.converged);
        assert!((fit.coefficients[0] + 60.717_455).abs() < 1e-5);
        assert!((fit.coefficients[1] - 34.270_326).abs() < 1e-5);
        assert!((fit.std_errors[0] - 5.180_711).abs() < 1e-5);
        assert!((fit.std_errors[1] - 2.912_140).abs() < 1e-5);
        // Grouped deviance = -2 (log L - log L_saturated).
        let ll_sat: f64 = (0..8)
            .map(|i| {
                let (k, m) = (killed[i], n[i]);
                let a = if k > 0.0 { k * (k / m).ln() } else { 0.0 };
                let b = if m > k {
                    (m - k) * ((m - k) / m).ln()
                } else {
                    0.0
                };
                a + b
            })
            .sum();
        assert!((-2.0 * (fit.log_likelihood - ll_sat) - 11.232_231).abs() < 1e-5);
    }

    /// Simulated data with known coefficients (-0.5, 1.0, -0.75): x1 ~ N(0, 1),
    /// x2 ~ Bernoulli(0.4).
    fn simulated(n: usize) -> (Array2<f64>, Vec<bool>) {
        let mut rng = rng_for(2024, Stream::Generate, 0);
        let mut x = Array2::<f64>::zeros((n, 2));
        let mut y = Vec::with_capacity(n);
        for i in 0..n {
            let x1: f64 = StandardNormal.sample(&mut rng);
            let x2 = if rng.random_bool(0.4) { 1.0 } else { 0.0 };
            x[[i, 0]] = x1;
            x[[i, 1]] = x2;
            let p = 1.0 / (1.0 + (-(-0.5 + x1 - 0.75 * x2)).exp());
            y.push(rng.random_bool(p));
        }
        (x, y)
    }

    // (b') Recovery of known coefficients: each estimate within 4 of its standard errors
    // (probability of failing by chance < 1e-4 per coefficient; the data are fixed by the
    // seed anyway), and the standard errors small enough for that to mean something.
    #[test]
    fn recovers_simulated_coefficients() {
        let (x, y) = simulated(20_000);
        let fit = LogisticParams::new().fit(x.view(), &y, None).unwrap();
        assert!(fit.converged && fit.iterations < 15);
        for (j, truth) in [-0.5, 1.0, -0.75].into_iter().enumerate() {
            let (b, se) = (fit.coefficients[j], fit.std_errors[j]);
            assert!(se < 0.05, "se {se}");
            assert!(
                (b - truth).abs() < 4.0 * se,
                "b{j} = {b}, truth {truth}, se {se}"
            );
        }
    }

    // (d) At the MLE the score equations X'(y - p) = 0 hold.
    #[test]
    fn score_equations_vanish_at_the_solution() {
        let (x, y) = simulated(2_000);
        let fit = LogisticParams::new().fit(x.view(), &y, None).unwrap();
        let mut score = [0.0; 3];
        for (row, &yi) in x.rows().into_iter().zip(&y) {
            let r = f64::from(u8::from(yi)) - fit.predict(&[row[0], row[1]]).unwrap();
            score[0] += r;
            score[1] += r * row[0];
            score[2] += r * row[1];
        }
        for s in score {
            assert!(s.abs() < 1e-8, "score {s}");
        }
    }

    // (c) Complete separation (y = x > 5) and quasi-complete separation (a category with
    // only one outcome) are reported, not fitted.
    #[test]
    fn separation_is_detected() {
        let params = LogisticParams::new().with_min_per_class(1.0);
        let x = Array2::from_shape_fn((10, 1), |(i, _)| i as f64 + 1.0);
        let y: Vec<bool> = (1..=10).map(|i| i > 5).collect();
        assert!(matches!(
            params.fit(x.view(), &y, None),
            Err(StatsError::Separation { .. })
        ));
        // Quasi-complete: dummy = 1 rows are all failures; dummy = 0 rows are mixed.
        let x = Array2::from_shape_fn((40, 1), |(i, _)| if i < 10 { 1.0 } else { 0.0 });
        let y: Vec<bool> = (0..40).map(|i| i >= 10 && i % 2 == 0).collect();
        match params.fit(x.view(), &y, None) {
            Err(StatsError::Separation { extreme, .. }) => assert_eq!(extreme, 10),
            other => panic!("expected separation, got {other:?}"),
        }
    }

    #[test]
    fn collinear_columns_and_rare_classes_are_errors() {
        let (x, y) = simulated(500);
        // Third column = 2 * first: singular at column 3 (intercept is column 0).
        let mut x3 = Array2::<f64>::zeros((500, 3));
        x3.slice_mut(ndarray::s![.., 0..2]).assign(&x);
        let doubled = x.column(0).mapv(|v| 2.0 * v);
        x3.column_mut(2).assign(&doubled);
        assert_eq!(
            LogisticParams::new().fit(x3.view(), &y, None),
            Err(StatsError::Singular { column: 3 })
        );
        // Five non-respondents among 100 with the default minimum of 10.
        let x = Array2::from_shape_fn((100, 1), |(i, _)| (i % 7) as f64);
        let y: Vec<bool> = (0..100).map(|i| i >= 5).collect();
        assert_eq!(
            LogisticParams::new().fit(x.view(), &y, None),
            Err(StatsError::TooFewInClass {
                class: false,
                count: 5.0,
                minimum: 10.0
            })
        );
    }

    #[test]
    fn bad_inputs_are_errors() {
        let x = array![[1.0], [2.0], [f64::NAN]];
        let p = LogisticParams::new().with_min_per_class(0.0);
        assert!(matches!(
            p.fit(x.view(), &[true, false, true], None),
            Err(StatsError::InvalidValue { index: 2, .. })
        ));
        let x = array![[1.0], [2.0], [3.0]];
        assert!(matches!(
            p.fit(x.view(), &[true, false], None),
            Err(StatsError::LengthMismatch { what: "y", .. })
        ));
        assert!(matches!(
            p.fit(x.view(), &[true, false, true], Some(&[1.0, -1.0, 1.0])),
            Err(StatsError::InvalidValue {
                what: "weights",
                index: 1,
                ..
            })
        ));
        assert!(matches!(
            p.clone()
                .with_tolerance(0.0)
                .fit(x.view(), &[true, false, true], None),
            Err(StatsError::InvalidParameter {
                name: "tolerance",
                ..
            })
        ));
        // All one class: zero of the other, whatever the minimum.
        assert!(matches!(
            p.fit(x.view(), &[true, true, true], None),
            Err(StatsError::TooFewInClass { class: false, .. })
        ));
        let (x, y) = simulated(300);
        let fit = LogisticParams::new().fit(x.view(), &y, None).unwrap();
        assert!(matches!(
            fit.predict(&[1.0]),
            Err(StatsError::LengthMismatch { what: "row", .. })
        ));
    }

    // Without the automatic intercept, a caller-supplied column of ones gives the same fit.
    #[test]
    fn caller_intercept_equals_automatic_intercept() {
        let (x, y) = simulated(1_000);
        let auto = LogisticParams::new().fit(x.view(), &y, None).unwrap();
        let mut manual_x = Array2::<f64>::ones((1_000, 3));
        manual_x.slice_mut(ndarray::s![.., 1..]).assign(&x);
        let manual = LogisticParams::new()
            .with_intercept(false)
            .fit(manual_x.view(), &y, None)
            .unwrap();
        for j in 0..3 {
            assert!((auto.coefficients[j] - manual.coefficients[j]).abs() < 1e-10);
        }
        assert!(
            (manual.predict(&[1.0, 0.3, 1.0]).unwrap() - auto.predict(&[0.3, 1.0]).unwrap()).abs()
                < 1e-12
        );
        let all = auto.predict_rows(x.view()).unwrap();
        for (i, p) in all.iter().enumerate() {
            let row = [x[[i, 0]], x[[i, 1]]];
            assert!((p - auto.predict(&row).unwrap()).abs() < 1e-14);
        }
        assert!(auto.predict_rows(manual_x.view()).is_err());
    }
}
