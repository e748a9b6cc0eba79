//! Small sampling helpers on a caller's generator.
//!
//! The generator draws thousands of values per family from one ChaCha stream; these
//! helpers keep that code short and make every draw go through the generator it is given,
//! never a thread-local one, so results depend on the seed alone.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// Uniform on `[low, high)`.
pub fn uniform<R: Rng + ?Sized>(rng: &mut R, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.random::<f64>()
}

/// True with probability `p` (clamped to `[0, 1]`).
pub fn chance<R: Rng + ?Sized>(rng: &mut R, p: f64) -> bool {
    rng.random::<f64>() < p.clamp(0.0, 1.0)
}

/// Normal with the given mean and standard deviation.
pub fn normal<R: Rng + ?Sized>(rng: &mut R, mean: f64, sd: f64) -> f64 {
    let z: f64 = StandardNormal.sample(rng);
    mean + sd * z
}

/// Log-normal factor with mean 1 and log-scale standard deviation `sigma`.
pub fn lognormal_mean_one<R: Rng + ?Sized>(rng: &mut R, sigma: f64) -> f64 {
    normal(rng, -0.5 * sigma * sigma, sigma).exp()
}

/// Exponential waiting time with the given rate (events per unit time); infinite for a
/// rate of zero.
pub fn exponential<R: Rng + ?Sized>(rng: &mut R, rate: f64) -> f64 {
    if rate <= 0.0 {
        return f64::INFINITY;
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    -(1.0 - rng.random::<f64>()).ln() / rate
}

/// Index drawn with probability proportional to `weights` (which need not sum to one).
pub fn categorical<R: Rng + ?Sized>(rng: &mut R, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.len().saturating_sub(1)
}

/// Poisson count by inversion (fine for the small means used here, below ~30).
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u32 {
    let limit = (-mean.max(0.0)).exp();
    let mut product = rng.random::<f64>();
    let mut k = 0;
    while product > limit {
        k += 1;
        product *= rng.random::<f64>();
    }
    k
}

/// The logistic function `1 / (1 + e^-x)`.
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::{rng_for, Stream};

    const N: usize = 200_000;

    #[test]
    fn logistic_known_values() {
        assert_eq!(logistic(0.0), 0.5);
        // 1 / (1 + e^-2) = 0.880797...
        assert!((logistic(2.0) - 0.880_797_077_977_882_3).abs() < 1e-12);
        assert!((logistic(-2.0) + logistic(2.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn sample_moments_match_the_distributions() {
        let mut rng = rng_for(1, Stream::Generate, 0);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let u: Vec<f64> = (0..N).map(|_| uniform(&mut rng, 2.0, 4.0)).collect();
        assert!((mean(&u) - 3.0).abs() < 0.01);
        let z: Vec<f64> = (0..N).map(|_| normal(&mut rng, 1.0, 2.0)).collect();
        let m = mean(&z);
        let var = z.iter().map(|x| (x - m).powi(2)).sum::<f64>() / N as f64;
        assert!((m - 1.0).abs() < 0.02 && (var - 4.0).abs() < 0.05);
        let l: Vec<f64> = (0..N).map(|_| lognormal_mean_one(&mut rng, 0.4)).collect();
        assert!((mean(&l) - 1.0).abs() < 0.01);
        let e: Vec<f64> = (0..N).map(|_| exponential(&mut rng, 0.5)).collect();
        assert!((mean(&e) - 2.0).abs() < 0.03);
        let p: Vec<f64> = (0..N).map(|_| poisson(&mut rng, 3.5) as f64).collect();
        assert!((mean(&p) - 3.5).abs() < 0.02);
        let hits = (0..N).filter(|_| chance(&mut rng, 0.3)).count() as f64 / N as f64;
        assert!((hits - 0.3).abs() < 0.005);
        assert_eq!(exponential(&mut rng, 0.0), f64::INFINITY);
    }

    #[test]
    fn categorical_follows_weights() {
        let mut rng = rng_for(2, Stream::Generate, 0);
        let mut counts = [0usize; 3];
        for _ in 0..N {
            counts[categorical(&mut rng, &[1.0, 2.0, 1.0])] += 1;
        }
        assert!((counts[1] as f64 / N as f64 - 0.5).abs() < 0.005);
        assert!((counts[0] as f64 / N as f64 - 0.25).abs() < 0.005);
    }
}
