//! Seeded Poisson cluster bootstrap whose replicates depend on neither the thread count,
//! the order of the data nor how it is partitioned.
//!
//! Intervals for data-derived effects (docs/method.md section 4) come from a family-level
//! bootstrap, percentile method. Families are the clusters: resampling them keeps siblings
//! and repeated observations together. A replicate is a **multiplicity count per family**,
//! so a statistic is a weighted pass over the original data: nothing is copied per
//! replicate.
//!
//! The multiplicities are **Poisson(1)** draws (the "Poisson bootstrap": Hanley and
//! MacGibbon 2006, Chamandy et al. 2012), each a pure function of the seed, the replicate
//! and the family's key (a hash of its id). That is what makes it fast and mergeable:
//!
//! - no replicate needs a pass over all families to draw its counts, so many replicates
//!   are accumulated in one pass over the families ([`PoissonBootstrap::accumulate`]):
//!   the data is read once per batch of replicates instead of once per replicate;
//! - a family has the same count in replicate `b` wherever it is processed, so per-partition
//!   replicate sums (by country, by file, by worker) add up to exactly the single-pass
//!   replicate.
//!
//! Compared with the classical multinomial bootstrap within arm, the arm sizes vary between
//! replicates (by about `sqrt(n)`). Statistics are therefore written as ratios (means,
//! shares, survival), which are invariant to that scale, and totals that are fixed by design
//! (families served) are taken from the data, not the replicate. For the means and
//! Kaplan-Meier estimates used here both schemes estimate the same sampling variance (see
//! the tests: standard error of a mean against the plug-in value, and of Kaplan-Meier
//! survival against Greenwood's).

use rand::RngExt;
use rayon::prelude::*;

use super::{quantile_sorted, sorted_finite, Interval, StatsError};
use crate::stats::rng::{rng_for, Stream};

/// Replicates accumulated together in one pass over the units (one parallel task).
const REPS_PER_TASK: usize = 8;

/// `P(X <= k)` for `X ~ Poisson(1)`, as thresholds on a uniform `u64`: a count is the
/// number of thresholds its hash reaches. Beyond `k = 20` the tail is below `2^-64`.
const THRESHOLDS: [u64; 21] = poisson_thresholds();

const fn poisson_thresholds() -> [u64; 21] {
    let mut t = [u64::MAX; 21];
    let mut p = 0.367_879_441_171_442_33; // e^-1
    let mut cdf = 0.0;
    let mut k = 0;
    while k < 21 {
        cdf += p;
        let scaled = cdf * 18_446_744_073_709_551_616.0; // 2^64
        t[k] = if scaled >= 18_446_744_073_709_551_615.0 {
            u64::MAX
        } else {
            scaled as u64
        };
        k += 1;
        p /= k as f64;
    }
    t
}

/// Murmur3's 64-bit finaliser: a full-avalanche mix of a unit key with a replicate salt.
#[inline]
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// One bootstrap replicate: gives the multiplicity of any unit from its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replicate {
    salt: u64,
}

impl Replicate {
    /// How many times the unit with `key` is drawn in this replicate (Poisson(1)).
    ///
    /// The first four comparisons are branch-free (a count is 0-3 with probability
    /// 98 %, and an unpredictable branch per unit would cost more than the comparisons).
    #[inline]
    pub fn count(&self, key: u64) -> u32 {
        let h = fmix(key ^ self.salt);
        let mut c = u32::from(h >= THRESHOLDS[0])
            + u32::from(h >= THRESHOLDS[1])
            + u32::from(h >= THRESHOLDS[2])
            + u32::from(h >= THRESHOLDS[3]);
        if c == 4 {
            while (c as usize) < THRESHOLDS.len() && h >= THRESHOLDS[c as usize] {
                c += 1;
            }
        }
        c
    }
}

/// Draws Poisson bootstrap replicates of units identified by 64-bit keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoissonBootstrap {
    seed: u64,
}

impl PoissonBootstrap {
    /// Replicates under `seed`.
    pub fn new(seed: u64) -> Self {
        Self { seed }
    }

    /// Replicate `b` (its salt comes from the run's seeded bootstrap stream).
    pub fn replicate(&self, b: u64) -> Replicate {
        Replicate {
            salt: rng_for(self.seed, Stream::Bootstrap, b).random::<u64>(),
        }
    }

    /// The multiplicity of every unit of `keys` in replicate `b`.
    pub fn counts(&self, b: u64, keys: &[u64]) -> Vec<u32> {
        let r = self.replicate(b);
        keys.iter().map(|&k| r.count(k)).collect()
    }

    /// Accumulate a statistic over `units` for replicates `0..reps`; results in replicate
    /// order.
    ///
    /// `add(acc, unit, count)` is called for every unit and replicate, in the order of
    /// `units`, so each replicate's floating-point sums are the same on any number of
    /// threads. The count is 0 for a unit not drawn (37 % of them): `add` must then leave
    /// the accumulator as it is, which a count-weighted sum does (`x + 0 * d == x` for
    /// finite `d`). Skipping those units instead costs a mispredicted branch on about
    /// every third unit, more than the additions of zero. Work is split into batches of replicates; within a batch each unit is read
    /// once and added to every replicate of the batch in turn. Consecutive additions then
    /// go to different accumulators, so they do not wait on each other (adding one unit
    /// after another to the same accumulator is a chain of dependent floating-point adds),
    /// and the data is read once per batch instead of once per replicate.
    pub fn accumulate<U, A, K, I, F>(
        &self,
        reps: usize,
        units: &[U],
        key: K,
        init: I,
        add: F,
    ) -> Vec<A>
    where
        U: Sync,
        A: Send,
        K: Fn(&U) -> u64 + Sync,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &U, u32) + Sync,
    {
        self.accumulate_indexed(reps, units, key, init, |acc, u, c, _| add(acc, u, c))
    }

    /// [`Self::accumulate`], where `add` also receives the replicate's index (for
    /// statistics whose per-unit contribution depends on the replicate, such as weights
    /// from a propensity model refitted in each replicate).
    pub fn accumulate_indexed<U, A, K, I, F>(
        &self,
        reps: usize,
        units: &[U],
        key: K,
        init: I,
        add: F,
    ) -> Vec<A>
    where
        U: Sync,
        A: Send,
        K: Fn(&U) -> u64 + Sync,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &U, u32, usize) + Sync,
    {
        let replicates: Vec<(usize, Replicate)> =
            (0..reps).map(|b| (b, self.replicate(b as u64))).collect();
        replicates
            .par_chunks(REPS_PER_TASK)
            .flat_map_iter(|batch| {
                let mut accs: Vec<A> = batch.iter().map(|_| init()).collect();
                for u in units {
                    let k = key(u);
                    for (acc, (b, r)) in accs.iter_mut().zip(batch) {
                        add(acc, u, r.count(k), *b);
                    }
                }
                accs
            })
            .collect()
    }
}

/// `reps` bootstrap replicates of `stat` over units with the given keys; `stat` receives
/// each unit's multiplicity. For small problems and tests: large ones use
/// [`PoissonBootstrap::accumulate`].
pub fn bootstrap<F>(keys: &[u64], reps: usize, seed: u64, stat: F) -> Vec<f64>
where
    F: Fn(&[u32]) -> f64 + Sync,
{
    let boot = PoissonBootstrap::new(seed);
    (0..reps as u64)
        .into_par_iter()
        .map(|b| stat(&boot.counts(b, keys)))
        .collect()
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

    fn keys(n: usize) -> Vec<u64> {
        (0..n as u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect()
    }

    // The thresholds are the Poisson(1) CDF: P(0) = P(1) = e^-1, P(<= 2) = 2.5 e^-1.
    #[test]
    fn thresholds_are_the_poisson_cdf() {
        let two64 = 2f64.powi(64);
        let e1 = (-1f64).exp();
        assert!((THRESHOLDS[0] as f64 / two64 - e1).abs() < 1e-15);
        assert!((THRESHOLDS[1] as f64 / two64 - 2.0 * e1).abs() < 1e-15);
        assert!((THRESHOLDS[2] as f64 / two64 - 2.5 * e1).abs() < 1e-15);
        assert!(THRESHOLDS.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(THRESHOLDS[20], u64::MAX);
    }

    // Counts over 400,000 unit-replicates have the Poisson(1) mean, variance and P(0):
    // mean 1 +- 3 * 1/sqrt(400000) = 0.0047, P(0) = e^-1 +- 3 * 0.00076.
    #[test]
    fn counts_are_poisson_one() {
        let boot = PoissonBootstrap::new(5);
        let k = keys(4_000);
        let c: Vec<f64> = (0..100)
            .flat_map(|b| boot.counts(b, &k))
            .map(f64::from)
            .collect();
        let m = Moments::from_slice(&c).unwrap();
        assert!((m.mean().unwrap() - 1.0).abs() < 0.005);
        assert!((m.variance().unwrap() - 1.0).abs() < 0.01);
        let zeros = c.iter().filter(|&&x| x == 0.0).count() as f64 / c.len() as f64;
        assert!((zeros - (-1f64).exp()).abs() < 0.0023, "P(0) = {zeros}");
    }

    // The bootstrap standard error of a mean estimates sqrt((n-1)/n) * s / sqrt(n) (the
    // plug-in SE). For x_i = i^2 mod 17, i = 0..200: computed independently below; 4000
    // replicates give a Monte Carlo relative error of about 1/sqrt(2 * 4000) = 1.1 %.
    #[test]
    fn standard_error_of_mean_matches_theory() {
        let x: Vec<f64> = (0..200).map(|i| f64::from((i * i) % 17)).collect();
        let n = x.len() as f64;
        let s = Moments::from_slice(&x).unwrap().variance().unwrap().sqrt();
        let plug_in = ((n - 1.0) / n).sqrt() * s / n.sqrt();
        let reps = bootstrap(&keys(x.len()), 4000, 11, |c| weighted_mean(&x, c));
        let m = Moments::from_slice(&reps).unwrap();
        let se = m.variance().unwrap().sqrt();
        assert!((se / plug_in - 1.0).abs() < 0.05, "se {se} vs {plug_in}");
        let mean_x = x.iter().sum::<f64>() / n;
        assert!((m.mean().unwrap() - mean_x).abs() < 3.0 * plug_in / 4000f64.sqrt() + 1e-9);
    }

    #[test]
    fn same_replicates_on_one_and_four_threads_in_any_order_and_partition() {
        let x: Vec<f64> = (0..500).map(|i| f64::from(i % 23) * 0.5).collect();
        let k = keys(x.len());
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| bootstrap(&k, 300, 42, |c| weighted_mean(&x, c)))
        };
        let one = run(1);
        assert_eq!(one, run(4));
        assert_eq!(one.len(), 300);
        assert_ne!(one, bootstrap(&k, 300, 43, |c| weighted_mean(&x, c)));

        // A unit's count depends on its key only: reversing the units reverses the counts.
        let boot = PoissonBootstrap::new(42);
        let mut rev = k.clone();
        rev.reverse();
        let mut back = boot.counts(17, &rev);
        back.reverse();
        assert_eq!(back, boot.counts(17, &k));

        // accumulate gives the same sums as the counts, per replicate, on any thread count,
        // and per-partition sums add up to the whole.
        let units: Vec<(u64, f64)> = k.iter().copied().zip(x.iter().copied()).collect();
        let acc = |part: &[(u64, f64)], threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    boot.accumulate(
                        37,
                        part,
                        |u| u.0,
                        || [0.0f64; 2],
                        |a, u, c| {
                            a[0] += f64::from(c) * u.1;
                            a[1] += f64::from(c);
                        },
                    )
                })
        };
        let whole = acc(&units, 1);
        assert_eq!(whole, acc(&units, 4));
        for (b, a) in whole.iter().enumerate() {
            assert!((a[0] / a[1] - weighted_mean(&x, &boot.counts(b as u64, &k))).abs() < 1e-12);
        }
        let (p, q) = units.split_at(123);
        for ((w, a), c) in whole.iter().zip(acc(p, 2)).zip(acc(q, 2)) {
            assert!((w[0] - (a[0] + c[0])).abs() < 1e-9 && w[1] == a[1] + c[1]);
        }
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
        let reps = bootstrap(&keys(units.len()), 1_000, 77, |c| {
            let table = times.table(c).expect("one count per unit");
            KaplanMeier::new(&table).map_or(f64::NAN, |k| k.survival_at(500))
        });
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
