//! Probability distributions for uncertain SROI parameters.
//!
//! Each model parameter may carry a distribution (docs/method.md section 5, "Probabilistic").
//! A [`Dist`] is built only through [`Dist::new`], which checks its parameters once, so
//! sampling, means and quantiles never fail afterwards. Sampling goes through
//! `rand_distr` (so it takes any `rand::Rng`, e.g. the per-draw ChaCha streams of
//! [`crate::rng`]); quantiles come from `statrs` inverse CDFs, or closed forms for the
//! uniform and triangular. The 2.5 % and 97.5 % quantiles are the default low and high
//! values of the one-way sensitivity analysis.
//!
//! `beta_mean_sd` and `gamma_mean_sd` are converted to shape parameters by the method of
//! moments, because practitioners usually know a mean and a spread, not alpha and beta.
//!
//! The families a model file can name, and their parameter names, are written once, in
//! the [`DistKind`] table; the model parser and its messages read them from there.

use rand::Rng;
use rand_distr::Distribution as _;
use statrs::distribution::ContinuousCDF;
use thiserror::Error;

/// Why a distribution's parameters were rejected (the message says what is allowed).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DistError {
    /// A parameter is NaN or infinite.
    #[error("{name} = {value} is not a finite number")]
    NotFinite { name: &'static str, value: f64 },
    /// A parameter that must be positive is not.
    #[error("{name} = {value} must be greater than 0")]
    NotPositive { name: &'static str, value: f64 },
    /// `min < max` (uniform) or `min < mode < max` (triangular, PERT) does not hold.
    #[error("{0}")]
    Order(String),
    /// A beta mean/sd pair that no beta distribution has.
    #[error("beta by mean/sd needs 0 < mean < 1 and sd^2 < mean*(1-mean) (here mean = {mean}, sd = {sd}: sd must be below {limit:.6})")]
    BetaInfeasible { mean: f64, sd: f64, limit: f64 },
}

/// A validated probability distribution of one parameter.
///
/// Construct with [`Dist::new`]; shape parameters of `beta_mean_sd` / `gamma_mean_sd` are
/// already converted to `Beta` / `Gamma` here.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Always the same value.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Normal with mean and standard deviation.
    Normal { mean: f64, sd: f64 },
    /// Log-normal: `ln X ~ Normal(mu, sigma)`.
    LogNormal { mu: f64, sigma: f64 },
    /// Beta on `[0, 1]` with shapes `alpha`, `beta`.
    Beta { alpha: f64, beta: f64 },
    /// Gamma with `shape` (k) and `scale` (theta): mean `k theta`, variance `k theta^2`.
    Gamma { shape: f64, scale: f64 },
    /// Triangular on `[min, max]` with peak at `mode`.
    Triangular { min: f64, mode: f64, max: f64 },
    /// PERT: `min + (max - min) Beta(a, b)` with `a = 1 + 4(mode-min)/(max-min)`,
    /// `b = 1 + 4(max-mode)/(max-min)`.
    Pert { min: f64, mode: f64, max: f64 },
}

/// A distribution family a model file can name (`dist = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistKind {
    Fixed,
    Uniform,
    Normal,
    LogNormal,
    Beta,
    BetaMeanSd,
    Gamma,
    GammaMeanSd,
    Triangular,
    Pert,
}

/// Every family with its model-file name and the names of its parameters, in the order
/// [`DistKind::spec`] reads them. This is the one place these spellings are written:
/// model parsing, its error messages and [`Dist::name`] all read them from here.
const KINDS: [(DistKind, &str, &[&str]); 10] = [
    (DistKind::Fixed, "fixed", &["value"]),
    (DistKind::Uniform, "uniform", &["min", "max"]),
    (DistKind::Normal, "normal", &["mean", "sd"]),
    (DistKind::LogNormal, "lognormal", &["mu", "sigma"]),
    (DistKind::Beta, "beta", &["alpha", "beta"]),
    (DistKind::BetaMeanSd, "beta_mean_sd", &["mean", "sd"]),
    (DistKind::Gamma, "gamma", &["shape", "scale"]),
    (DistKind::GammaMeanSd, "gamma_mean_sd", &["mean", "sd"]),
    (DistKind::Triangular, "triangular", &["min", "mode", "max"]),
    (DistKind::Pert, "pert", &["min", "mode", "max"]),
];

// `KINDS` is indexed by `DistKind as usize`: keep the rows in declaration order.
const _: () = {
    let mut i = 0;
    while i < KINDS.len() {
        assert!(KINDS[i].0 as usize == i);
        i += 1;
    }
};

impl DistKind {
    /// Every family, in the order error messages list them.
    pub fn all() -> impl Iterator<Item = DistKind> {
        KINDS.iter().map(|k| k.0)
    }

    /// The family named `name` in a model file.
    pub fn from_name(name: &str) -> Option<DistKind> {
        DistKind::all().find(|k| k.name() == name)
    }

    /// The name as written in a model file.
    pub fn name(self) -> &'static str {
        KINDS[self as usize].1
    }

    /// The names of its parameters (the model-file keys).
    pub fn params(self) -> &'static [&'static str] {
        KINDS[self as usize].2
    }

    /// The specification with each parameter read by `get(name)`, in [`Self::params`]
    /// order (so problems a reader reports come in that order).
    pub fn spec(self, mut get: impl FnMut(&'static str) -> f64) -> DistSpec {
        let mut v = [f64::NAN; 3];
        for (slot, name) in v.iter_mut().zip(self.params()) {
            *slot = get(name);
        }
        let [a, b, c] = v;
        match self {
            DistKind::Fixed => DistSpec::Fixed { value: a },
            DistKind::Uniform => DistSpec::Uniform { min: a, max: b },
            DistKind::Normal => DistSpec::Normal { mean: a, sd: b },
            DistKind::LogNormal => DistSpec::LogNormal { mu: a, sigma: b },
            DistKind::Beta => DistSpec::Beta { alpha: a, beta: b },
            DistKind::BetaMeanSd => DistSpec::BetaMeanSd { mean: a, sd: b },
            DistKind::Gamma => DistSpec::Gamma { shape: a, scale: b },
            DistKind::GammaMeanSd => DistSpec::GammaMeanSd { mean: a, sd: b },
            DistKind::Triangular => DistSpec::Triangular {
                min: a,
                mode: b,
                max: c,
            },
            DistKind::Pert => DistSpec::Pert {
                min: a,
                mode: b,
                max: c,
            },
        }
    }
}

/// The specification of a distribution as written in a model file, before checking;
/// built from a model file by [`DistKind::spec`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DistSpec {
    Fixed { value: f64 },
    Uniform { min: f64, max: f64 },
    Normal { mean: f64, sd: f64 },
    LogNormal { mu: f64, sigma: f64 },
    Beta { alpha: f64, beta: f64 },
    BetaMeanSd { mean: f64, sd: f64 },
    Gamma { shape: f64, scale: f64 },
    GammaMeanSd { mean: f64, sd: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
    Pert { min: f64, mode: f64, max: f64 },
}

fn finite(name: &'static str, value: f64) -> Result<f64, DistError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(DistError::NotFinite { name, value })
    }
}

fn positive(name: &'static str, value: f64) -> Result<f64, DistError> {
    finite(name, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(DistError::NotPositive { name, value })
    }
}

fn ordered3(min: f64, mode: f64, max: f64) -> Result<(), DistError> {
    finite("min", min)?;
    finite("mode", mode)?;
    finite("max", max)?;
    if min < mode && mode < max {
        Ok(())
    } else {
        Err(DistError::Order(format!(
            "needs min < mode < max (here min = {min}, mode = {mode}, max = {max})"
        )))
    }
}

/// Beta shapes with the given mean and sd (method of moments):
/// `nu = mean(1-mean)/sd^2 - 1`, `alpha = mean nu`, `beta = (1-mean) nu`.
///
/// # Errors
/// [`DistError::BetaInfeasible`] unless `0 < mean < 1`, `sd > 0` and `sd^2 < mean(1-mean)`.
pub fn beta_shapes(mean: f64, sd: f64) -> Result<(f64, f64), DistError> {
    finite("mean", mean)?;
    positive("sd", sd)?;
    let var_max = mean * (1.0 - mean);
    if !(mean > 0.0 && mean < 1.0) || sd * sd >= var_max {
        return Err(DistError::BetaInfeasible {
            mean,
            sd,
            limit: var_max.max(0.0).sqrt(),
        });
    }
    let nu = var_max / (sd * sd) - 1.0;
    Ok((mean * nu, (1.0 - mean) * nu))
}

/// Gamma shape and scale with the given mean and sd (method of moments):
/// `shape = (mean/sd)^2`, `scale = sd^2/mean`.
///
/// # Errors
/// [`DistError::NotPositive`] unless `mean > 0` and `sd > 0`.
pub fn gamma_shape_scale(mean: f64, sd: f64) -> Result<(f64, f64), DistError> {
    positive("mean", mean)?;
    positive("sd", sd)?;
    Ok(((mean / sd).powi(2), sd * sd / mean))
}

impl Dist {
    /// Check a specification and build the distribution.
    ///
    /// # Errors
    /// A [`DistError`] naming the offending parameter and the allowed range: sd, sigma,
    /// shapes and scale must be > 0; `min < max` (uniform); `min < mode < max`
    /// (triangular, PERT); beta by mean/sd must be feasible.
    pub fn new(spec: DistSpec) -> Result<Dist, DistError> {
        Ok(match spec {
            DistSpec::Fixed { value } => Dist::Fixed(finite("value", value)?),
            DistSpec::Uniform { min, max } => {
                finite("min", min)?;
                finite("max", max)?;
                if min >= max {
                    return Err(DistError::Order(format!(
                        "needs min < max (here min = {min}, max = {max})"
                    )));
                }
                Dist::Uniform { min, max }
            }
            DistSpec::Normal { mean, sd } => Dist::Normal {
                mean: finite("mean", mean)?,
                sd: positive("sd", sd)?,
            },
            DistSpec::LogNormal { mu, sigma } => Dist::LogNormal {
                mu: finite("mu", mu)?,
                sigma: positive("sigma", sigma)?,
            },
            DistSpec::Beta { alpha, beta } => Dist::Beta {
                alpha: positive("alpha", alpha)?,
                beta: positive("beta", beta)?,
            },
            DistSpec::BetaMeanSd { mean, sd } => {
                let (alpha, beta) = beta_shapes(mean, sd)?;
                Dist::Beta { alpha, beta }
            }
            DistSpec::Gamma { shape, scale } => Dist::Gamma {
                shape: positive("shape", shape)?,
                scale: positive("scale", scale)?,
            },
            DistSpec::GammaMeanSd { mean, sd } => {
                let (shape, scale) = gamma_shape_scale(mean, sd)?;
                Dist::Gamma { shape, scale }
            }
            DistSpec::Triangular { min, mode, max } => {
                ordered3(min, mode, max)?;
                Dist::Triangular { min, mode, max }
            }
            DistSpec::Pert { min, mode, max } => {
                ordered3(min, mode, max)?;
                Dist::Pert { min, mode, max }
            }
        })
    }

    /// PERT beta shapes `(a, b)`.
    fn pert_shapes(min: f64, mode: f64, max: f64) -> (f64, f64) {
        let range = max - min;
        (
            1.0 + 4.0 * (mode - min) / range,
            1.0 + 4.0 * (max - mode) / range,
        )
    }

    /// The smallest and largest values the distribution can take (infinite if unbounded).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Fixed(v) => (v, v),
            Dist::Uniform { min, max }
            | Dist::Triangular { min, max, .. }
            | Dist::Pert { min, max, .. } => (min, max),
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::LogNormal { .. } | Dist::Gamma { .. } => (0.0, f64::INFINITY),
            Dist::Beta { .. } => (0.0, 1.0),
        }
    }

    /// The expected value.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Normal { mean, .. } => mean,
            Dist::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
            Dist::Beta { alpha, beta } => alpha / (alpha + beta),
            Dist::Gamma { shape, scale } => shape * scale,
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Pert { min, mode, max } => (min + 4.0 * mode + max) / 6.0,
        }
    }

    /// The standard deviation.
    pub fn sd(&self) -> f64 {
        let var = match *self {
            Dist::Fixed(_) => 0.0,
            Dist::Uniform { min, max } => (max - min).powi(2) / 12.0,
            Dist::Normal { sd, .. } => sd * sd,
            Dist::LogNormal { mu, sigma } => {
                ((sigma * sigma).exp() - 1.0) * (2.0 * mu + sigma * sigma).exp()
            }
            Dist::Beta { alpha, beta } => {
                alpha * beta / ((alpha + beta).powi(2) * (alpha + beta + 1.0))
            }
            Dist::Gamma { shape, scale } => shape * scale * scale,
            Dist::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Dist::Pert { min, mode, max } => {
                let (a, b) = Self::pert_shapes(min, mode, max);
                (max - min).powi(2) * a * b / ((a + b).powi(2) * (a + b + 1.0))
            }
        };
        var.sqrt()
    }

    /// The `p`-quantile, `p` in `[0, 1]` (clamped outside).
    pub fn quantile(&self, p: f64) -> f64 {
        let p = if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) };
        match *self {
            Dist::Fixed(v) => v,
            Dist::Uniform { min, max } => min + p * (max - min),
            Dist::Normal { mean, sd } => match statrs::distribution::Normal::new(mean, sd) {
                Ok(d) => d.inverse_cdf(p),
                Err(_) => mean,
            },
            Dist::LogNormal { mu, sigma } => {
                match statrs::distribution::LogNormal::new(mu, sigma) {
                    Ok(d) => d.inverse_cdf(p),
                    Err(_) => mu.exp(),
                }
            }
            Dist::Beta { alpha, beta } => beta_quantile(alpha, beta, p),
            Dist::Gamma { shape, scale } => {
                match statrs::distribution::Gamma::new(shape, 1.0 / scale) {
                    Ok(d) => d.inverse_cdf(p),
                    Err(_) => shape * scale,
                }
            }
            Dist::Triangular { min, mode, max } => {
                // Closed form: F(mode) = (mode-min)/(max-min); invert each branch of the
                // piecewise-quadratic cdf.
                let fc = (mode - min) / (max - min);
                if p < fc {
                    min + (p * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - p) * (max - min) * (max - mode)).sqrt()
                }
            }
            Dist::Pert { min, mode, max } => {
                let (a, b) = Self::pert_shapes(min, mode, max);
                min + (max - min) * beta_quantile(a, b, p)
            }
        }
    }

    /// One random value.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        // Every constructor below has been checked by `Dist::new`; the fallbacks are
        // the distribution's mean and are never reached for a validated `Dist`.
        match *self {
            Dist::Fixed(v) => v,
            Dist::Uniform { min, max } => match rand_distr::Uniform::new_inclusive(min, max) {
                Ok(d) => d.sample(rng),
                Err(_) => self.mean(),
            },
            Dist::Normal { mean, sd } => match rand_distr::Normal::new(mean, sd) {
                Ok(d) => d.sample(rng),
                Err(_) => mean,
            },
            Dist::LogNormal { mu, sigma } => match rand_distr::LogNormal::new(mu, sigma) {
                Ok(d) => d.sample(rng),
                Err(_) => self.mean(),
            },
            Dist::Beta { alpha, beta } => match rand_distr::Beta::new(alpha, beta) {
                Ok(d) => d.sample(rng),
                Err(_) => self.mean(),
            },
            Dist::Gamma { shape, scale } => match rand_distr::Gamma::new(shape, scale) {
                Ok(d) => d.sample(rng),
                Err(_) => self.mean(),
            },
            Dist::Triangular { min, mode, max } => {
                match rand_distr::Triangular::new(min, max, mode) {
                    Ok(d) => d.sample(rng),
                    Err(_) => self.mean(),
                }
            }
            Dist::Pert { min, mode, max } => {
                let (a, b) = Self::pert_shapes(min, mode, max);
                match rand_distr::Beta::new(a, b) {
                    Ok(d) => min + (max - min) * d.sample(rng),
                    Err(_) => self.mean(),
                }
            }
        }
    }

    /// The family it was built as (`beta_mean_sd` and `gamma_mean_sd` report as `beta`
    /// and `gamma`, their converted form).
    pub fn kind(&self) -> DistKind {
        match self {
            Dist::Fixed(_) => DistKind::Fixed,
            Dist::Uniform { .. } => DistKind::Uniform,
            Dist::Normal { .. } => DistKind::Normal,
            Dist::LogNormal { .. } => DistKind::LogNormal,
            Dist::Beta { .. } => DistKind::Beta,
            Dist::Gamma { .. } => DistKind::Gamma,
            Dist::Triangular { .. } => DistKind::Triangular,
            Dist::Pert { .. } => DistKind::Pert,
        }
    }

    /// The distribution's name as written in a model file (see [`Dist::kind`]).
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }
}

fn beta_quantile(alpha: f64, beta: f64, p: f64) -> f64 {
    match statrs::distribution::Beta::new(alpha, beta) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => alpha / (alpha + beta),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::{rng_for, Stream};

    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = rng_for(42, Stream::MonteCarlo, 0);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        (m, v.sqrt())
    }

    #[test]
    fn checks_name_the_parameters_of_the_kinds_table() {
        // Dist::new names a bad parameter with the DistSpec field it checks; each must be
        // the model-file key of the table, or a message would point at a key that is not
        // in the file.
        let valid = |name: &str| match name {
            "mode" | "mean" => 0.5,
            "min" | "mu" => 0.0,
            "sd" => 0.1,
            _ => 1.0,
        };
        for kind in DistKind::all() {
            assert_eq!(DistKind::from_name(kind.name()), Some(kind));
            for bad in kind.params() {
                let spec = kind.spec(|name| if name == *bad { f64::NAN } else { valid(name) });
                match Dist::new(spec) {
                    Err(DistError::NotFinite { name, .. }) => assert_eq!(name, *bad),
                    other => panic!("{} with {bad} = NaN gave {other:?}", kind.name()),
                }
            }
        }
    }

    #[test]
    fn beta_by_mean_sd_reproduces_moments() {
        // mean 0.3, sd 0.1: nu = 0.21/0.01 - 1 = 20, alpha = 6, beta = 14 (hand-computed).
        let (a, b) = beta_shapes(0.3, 0.1).unwrap();
        assert!((a - 6.0).abs() < 1e-12 && (b - 14.0).abs() < 1e-12);
        let d = Dist::new(DistSpec::BetaMeanSd { mean: 0.3, sd: 0.1 }).unwrap();
        assert!((d.mean() - 0.3).abs() < 1e-12);
        assert!((d.sd() - 0.1).abs() < 1e-12);
        // 200k draws: standard error of the mean is 0.1/sqrt(2e5) = 2.2e-4.
        let (m, s) = moments(&d, 200_000);
        assert!((m - 0.3).abs() < 1.5e-3, "mean {m}");
        assert!((s - 0.1).abs() < 1.5e-3, "sd {s}");
    }

    #[test]
    fn gamma_by_mean_sd_reproduces_moments() {
        // mean 2000, sd 500: shape = 16, scale = 125 (hand-computed).
        let (k, th) = gamma_shape_scale(2000.0, 500.0).unwrap();
        assert!((k - 16.0).abs() < 1e-12 && (th - 125.0).abs() < 1e-12);
        let d = Dist::new(DistSpec::GammaMeanSd {
            mean: 2000.0,
            sd: 500.0,
        })
        .unwrap();
        assert!((d.mean() - 2000.0).abs() < 1e-9);
        assert!((d.sd() - 500.0).abs() < 1e-9);
        let (m, s) = moments(&d, 200_000);
        assert!((m - 2000.0).abs() < 8.0, "mean {m}");
        assert!((s - 500.0).abs() < 8.0, "sd {s}");
    }

    #[test]
    fn infeasible_parameters_are_rejected() {
        // sd^2 = 0.25 >= 0.5*0.5: no beta has this spread.
        assert!(matches!(
            Dist::new(DistSpec::BetaMeanSd { mean: 0.5, sd: 0.5 }),
            Err(DistError::BetaInfeasible { .. })
        ));
        assert!(Dist::new(DistSpec::Normal { mean: 1.0, sd: 0.0 }).is_err());
        assert!(Dist::new(DistSpec::Uniform { min: 2.0, max: 1.0 }).is_err());
        assert!(Dist::new(DistSpec::Triangular {
            min: 0.0,
            mode: 0.0,
            max: 1.0
        })
        .is_err());
        assert!(Dist::new(DistSpec::Pert {
            min: 0.0,
            mode: 2.0,
            max: 1.0
        })
        .is_err());
        assert!(Dist::new(DistSpec::Gamma {
            shape: -1.0,
            scale: 1.0
        })
        .is_err());
        assert!(Dist::new(DistSpec::LogNormal {
            mu: 0.0,
            sigma: 0.0
        })
        .is_err());
    }

    #[test]
    fn quantiles_match_reference_values() {
        // Normal: z(0.975) = 1.959964 (standard tables).
        let n = Dist::new(DistSpec::Normal {
            mean: 10.0,
            sd: 2.0,
        })
        .unwrap();
        assert!((n.quantile(0.975) - (10.0 + 1.959964 * 2.0)).abs() < 1e-5);
        assert!((n.quantile(0.025) - (10.0 - 1.959964 * 2.0)).abs() < 1e-5);
        // Log-normal median is exp(mu); 97.5 % is exp(mu + 1.959964 sigma).
        let ln = Dist::new(DistSpec::LogNormal {
            mu: 1.0,
            sigma: 0.5,
        })
        .unwrap();
        assert!((ln.quantile(0.5) - 1f64.exp()).abs() < 1e-6);
        assert!((ln.quantile(0.975) - (1.0 + 1.959964 * 0.5f64).exp()).abs() < 1e-4);
        // Uniform: linear.
        let u = Dist::new(DistSpec::Uniform { min: 2.0, max: 6.0 }).unwrap();
        assert!((u.quantile(0.025) - 2.1).abs() < 1e-12);
        // Triangular(0, 0.5, 1): F(x) = 2x^2 for x < 0.5, so q(0.025) = sqrt(0.0125).
        let t = Dist::new(DistSpec::Triangular {
            min: 0.0,
            mode: 0.5,
            max: 1.0,
        })
        .unwrap();
        assert!((t.quantile(0.025) - 0.0125f64.sqrt()).abs() < 1e-12);
        assert!((t.quantile(0.975) - (1.0 - 0.0125f64.sqrt())).abs() < 1e-12);
        // Beta(2, 2) is symmetric: median 0.5; cdf 3x^2 - 2x^3 = 0.104 at x = 0.2.
        let b = Dist::new(DistSpec::Beta {
            alpha: 2.0,
            beta: 2.0,
        })
        .unwrap();
        assert!((b.quantile(0.5) - 0.5).abs() < 1e-9);
        assert!((b.quantile(0.104) - 0.2).abs() < 1e-7);
        // PERT(0, 0.5, 1) = Beta(3, 3): mean 0.5, sd = sqrt(9/(36*7)) = 0.188982.
        let p = Dist::new(DistSpec::Pert {
            min: 0.0,
            mode: 0.5,
            max: 1.0,
        })
        .unwrap();
        assert!((p.mean() - 0.5).abs() < 1e-12);
        assert!((p.sd() - (9.0f64 / 252.0).sqrt()).abs() < 1e-12);
        assert!((p.quantile(0.5) - 0.5).abs() < 1e-9);
        // Gamma(shape 1, scale 2) is exponential with mean 2: q(p) = -2 ln(1-p).
        let g = Dist::new(DistSpec::Gamma {
            shape: 1.0,
            scale: 2.0,
        })
        .unwrap();
        assert!((g.quantile(0.975) - (-2.0 * 0.025f64.ln())).abs() < 1e-6);
    }

    #[test]
    fn samples_stay_in_support_and_match_means() {
        let specs = [
            DistSpec::Triangular {
                min: 1.0,
                mode: 2.0,
                max: 6.0,
            },
            DistSpec::Pert {
                min: 1.0,
                mode: 2.0,
                max: 6.0,
            },
            DistSpec::Uniform {
                min: -1.0,
                max: 1.0,
            },
        ];
        for spec in specs {
            let d = Dist::new(spec).unwrap();
            let (lo, hi) = d.support();
            let mut rng = rng_for(3, Stream::MonteCarlo, 1);
            let xs: Vec<f64> = (0..100_000).map(|_| d.sample(&mut rng)).collect();
            assert!(xs.iter().all(|x| *x >= lo && *x <= hi));
            let m = xs.iter().sum::<f64>() / xs.len() as f64;
            // 5 standard errors.
            assert!(
                (m - d.mean()).abs() < 5.0 * d.sd() / 100_000f64.sqrt(),
                "{spec:?}: {m}"
            );
        }
    }
}
