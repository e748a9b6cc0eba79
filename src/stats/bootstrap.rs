//! Seeded cluster bootstrap whose replicates do not depend on the thread count.
//!
//! Intervals for data-derived effects (method.md section 4) come from a family-level
//! bootstrap within arm, percentile method. Families are the clusters: resampling them keeps
//! siblings and repeated observations together. A replicate is represented as a
//! **multiplicity count per unit** (how many times each family was drawn), so a statistic
//! is a weighted pass over the original data: nothing is copied per replicate.
//!
//! Replicate `b` draws from its own generator, `rng_for(seed, Stream::Bootstrap, b)`, and the
//! replicates are collected in index order, so the same seed gives the same replicates on 1
//! or 64 threads. The SROI Monte Carlo pairs draw `b` with replicate `b` through
//! [`Resampler::fill_counts`].

use std::collections::BTreeMap;

use rand::distr::{Distribution, Uniform};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{quantile_sorted, sorted_finite, Interval, StatsError};
use crate::rng::{rng_for, Stream};

/// Draws bootstrap replicates of units, optionally within strata (e.g. within arm).
#[derive(Debug, Clone, PartialEq)]
pub struct Resampler {
    n_units: usize,
    /// Strata in ascending label order.
    strata: Vec<Stratum>,
}

/// The units of one stratum and the uniform draw over their positions.
#[derive(Debug, Clone, PartialEq)]
struct Stratum {
    members: Vec<usize>,
    pick: Uniform<usize>,
}

impl Stratum {
    fn new(members: Vec<usize>) -> Result<Self, StatsError> {
        let pick =
            Uniform::new(0, members.len()).map_err(|_| StatsError::Empty { what: "stratum" })?;
        Ok(Self { members, pick })
    }
}

impl Resampler {
    /// Resample `n_units` units with replacement, all in one stratum.
    ///
    /// # Errors
    /// [`StatsError::Empty`] when `n_units == 0`.
    pub fn new(n_units: usize) -> Result<Self, StatsError> {
        if n_units == 0 {
            return Err(StatsError::Empty { what: "units" });
        }
        Ok(Self {
            n_units,
            strata: vec![Stratum::new((0..n_units).collect())?],
        })
    }

    /// Resample within strata: unit `i` belongs to stratum `stratum_of[i]` (any labels), and
    /// every replicate keeps each stratum's size.
    ///
    /// # Errors
    /// [`StatsError::Empty`] when `stratum_of` is empty.
    pub fn stratified(stratum_of: &[usize]) -> Result<Self, StatsError> {
        if stratum_of.is_empty() {
            return Err(StatsError::Empty { what: "units" });
        }
        let mut by_label: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (unit, &label) in stratum_of.iter().enumerate() {
            by_label.entry(label).or_default().push(unit);
        }
        Ok(Self {
            n_units: stratum_of.len(),
            strata: by_label
                .into_values()
                .map(Stratum::new)
                .collect::<Result<_, _>>()?,
        })
    }

    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.n_units
    }

    /// Write replicate `replicate`'s multiplicities into `counts` (one per unit).
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] unless `counts.len() == self.n_units()`.
    pub fn fill_counts(
        &self,
        seed: u64,
        replicate: u64,
        counts: &mut [u32],
    ) -> Result<(), StatsError> {
        if counts.len() != self.n_units {
            return Err(StatsError::LengthMismatch {
                what: "counts",
                expected: self.n_units,
                found: counts.len(),
            });
        }
        self.fill(&mut rng_for(seed, Stream::Bootstrap, replicate), counts);
        Ok(())
    }

    /// The multiplicities of replicate `replicate`.
    pub fn replicate_counts(&self, seed: u64, replicate: u64) -> Vec<u32> {
        let mut counts = vec![0; self.n_units];
        self.fill(
            &mut rng_for(seed, Stream::Bootstrap, replicate),
            &mut counts,
        );
        counts
    }

    fn fill(&self, rng: &mut ChaCha8Rng, counts: &mut [u32]) {
        counts.iter_mut().for_each(|c| *c = 0);
        for stratum in &self.strata {
            for _ in 0..stratum.members.len() {
                counts[stratum.members[stratum.pick.sample(rng)]] += 1;
            }
        }
    }

    /// Evaluate `stat` on replicates `0..reps` in parallel; results in replicate order.
    ///
    /// `stat` receives the multiplicity of every unit in the replicate. The result does not
    /// depend on the number of threads.
    pub fn run<T, F>(&self, reps: usize, seed: u64, stat: F) -> Vec<T>
    where
        T: Send,
        F: Fn(&[u32]) -> T + Sync,
    {
        (0..reps)
            .into_par_iter()
            .map_init(
                || vec![0u32; self.n_units],
                |counts, b| {
                    self.fill(&mut rng_for(seed, Stream::Bootstrap, b as u64), counts);
                    stat(counts)
                },
            )
            .collect()
    }
}

/// `reps` bootstrap replicates of `stat` over `n_units` units resampled with replacement.
///
/// # Errors
/// [`StatsError::Empty`] when `n_units == 0`.
pub fn bootstrap<F>(n_units: usize, reps: usize, seed: u64, stat: F) -> Result<Vec<f64>, StatsError>
where
    F: Fn(&[u32]) -> f64 + Sync,
{
    Ok(Resampler::new(n_units)?.run(reps, seed, stat))
}

/// Percentile-method interval: the `(1 - c)/2` and `(1 + c)/2` quantiles (R type 7) of the
/// replicate statistics.
///
/// # Errors
/// [`StatsError::Empty`] without replicates; [`StatsError::InvalidValue`] naming a NaN
/// replicate (a statistic undefined in some replicate); [`StatsError::InvalidParameter`]
/// unless `0 < confidence < 1`.
pub fn percentile_interval(replicates: &[f64], confidence: f64) -> Result<Interval, StatsError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(StatsError::InvalidParameter {
            name: "confidence",
            value: confidence,
            expected: "strictly between 0 and 1 (e.g. 0.95)",
        });
    }
    let sorted = sorted_finite(replicates)?;
    let tail = (1.0 - confidence) / 2.0;
    Ok(Interval {
        low: quantile_sorted(&sorted, tail)?,
        high: quantile_sorted(&sorted, 1.0 - tail)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Moments;

    fn weighted_mean(values: &[f64], counts: &[u32]) -> f64 {
        let (s, n) = values
            .iter()
            .zip(counts)
            .fold((0.0, 0u64), |(s, n), (v, &c)| {
                (s + v * f64::from(c), n + u64::from(c))
            });
        s / n as f64
    }

    // The bootstrap standard error of a mean estimates sqrt((n-1)/n) * s / sqrt(n) (the
    // plug-in SE). For x_i = i^2 mod 17, i = 0..60: computed independently below; 4000
    // replicates give a Monte Carlo relative error of about 1/sqrt(2 * 4000) = 1.1 %.
    #[test]
    fn standard_error_of_mean_matches_theory() {
        let x: Vec<f64> = (0..60).map(|i| f64::from((i * i) % 17)).collect();
        let n = x.len() as f64;
        let s = Moments::from_slice(&x).unwrap().variance().unwrap().sqrt();
        let plug_in = ((n - 1.0) / n).sqrt() * s / n.sqrt();
        let reps = bootstrap(x.len(), 4000, 11, |c| weighted_mean(&x, c)).unwrap();
        let m = Moments::from_slice(&reps).unwrap();
        let se = m.variance().unwrap().sqrt();
        assert!((se / plug_in - 1.0).abs() < 0.05, "se {se} vs {plug_in}");
        let mean_x = x.iter().sum::<f64>() / n;
        assert!((m.mean().unwrap() - mean_x).abs() < 3.0 * plug_in / 4000f64.sqrt() + 1e-9);
    }

    #[test]
    fn same_replicates_on_one_and_four_threads() {
        let x: Vec<f64> = (0..500).map(|i| f64::from(i % 23) * 0.5).collect();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| bootstrap(x.len(), 300, 42, |c| weighted_mean(&x, c)).unwrap())
        };
        let one = run(1);
        assert_eq!(one, run(4));
        assert_eq!(one.len(), 300);
        // Different seeds, different replicates; replicate b equals replicate_counts(b).
        assert_ne!(
            one,
            bootstrap(x.len(), 300, 43, |c| weighted_mean(&x, c)).unwrap()
        );
        let r = Resampler::new(x.len()).unwrap();
        assert_eq!(one[17], weighted_mean(&x, &r.replicate_counts(42, 17)));
    }

    #[test]
    fn stratified_replicates_keep_stratum_sizes() {
        // Units 0..10 in arm 7, 10..25 in arm 2.
        let strata: Vec<usize> = (0..25).map(|i| if i < 10 { 7 } else { 2 }).collect();
        let r = Resampler::stratified(&strata).unwrap();
        let mut counts = vec![0; 25];
        for b in 0..50 {
            r.fill_counts(3, b, &mut counts).unwrap();
            assert_eq!(counts[..10].iter().sum::<u32>(), 10);
            assert_eq!(counts[10..].iter().sum::<u32>(), 15);
        }
        assert!(matches!(
            r.fill_counts(3, 0, &mut [0; 3]),
            Err(StatsError::LengthMismatch { .. })
        ));
        assert!(Resampler::stratified(&[]).is_err());
        assert!(Resampler::new(0).is_err());
    }

    // The bootstrap standard error of a Kaplan-Meier estimate agrees with Greenwood's
    // (both estimate the same sampling variance; Efron 1981). 2000 simulated exponential
    // units, 1000 replicates (Monte Carlo relative error about 2 %), tolerance 8 %.
    #[test]
    fn kaplan_meier_bootstrap_se_matches_greenwood() {
        use crate::stats::{KaplanMeier, UnitTimes};
        let units = crate::stats::survival::tests::simulated(2_000, 1e-3, 3_000.0, 9);
        let times = UnitTimes::new(&units);
        let km = KaplanMeier::new(&times.table(&vec![1; units.len()]).unwrap()).unwrap();
        let greenwood = km.at(500).std_err;
        let reps = bootstrap(units.len(), 1_000, 77, |c| {
            let table = times.table(c).expect("one count per unit");
            KaplanMeier::new(&table).map_or(f64::NAN, |k| k.survival_at(500))
        })
        .unwrap();
        let se = Moments::from_slice(&reps)
            .unwrap()
            .variance()
            .unwrap()
            .sqrt();
        assert!(
            (se / greenwood - 1.0).abs() < 0.08,
            "bootstrap {se}, Greenwood {greenwood}"
        );
        let i = percentile_interval(&reps, 0.95).unwrap();
        assert!(i.contains(km.survival_at(500)));
    }

    // Percentiles of 1..=100 at 2.5 % and 97.5 % (numpy default): 3.475 and 97.525.
    #[test]
    fn percentile_interval_uses_type_7() {
        let reps: Vec<f64> = (1..=100).map(f64::from).collect();
        let i = percentile_interval(&reps, 0.95).unwrap();
        assert!((i.low - 3.475).abs() < 1e-12 && (i.high - 97.525).abs() < 1e-12);
        assert!(percentile_interval(&[1.0, f64::NAN], 0.95).is_err());
        assert!(percentile_interval(&[], 0.95).is_err());
        assert!(percentile_interval(&reps, 0.0).is_err());
    }
}
