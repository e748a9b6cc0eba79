//! Statistical kernels for the outcomes and SROI stages.
//!
//! Everything here is pure computation on plain numbers: no tables, no I/O, no knowledge of
//! the case-data schema. Keeping the maths apart from the data plumbing lets each formula be
//! tested against a textbook or published value on its own, and lets the engine call the
//! same kernel on a per-partition summary (an [`EventTable`], a [`Moments`]) that it merges
//! exactly before estimating.
//!
//! One concept per file:
//! - [`interval`]: the [`Interval`] every estimator reports.
//! - [`proportion`]: Wilson score interval, Kish effective sample size for weighted shares.
//! - [`mean`]: mergeable moments and the Student-t interval for a mean.
//! - [`quantile`](mod@quantile): sample quantiles by linear interpolation (R type 7, numpy
//!   default).
//! - [`event_table`]: the mergeable per-day counts of events and censorings, and
//!   [`UnitTimes`] to rebuild them cheaply for bootstrap replicates.
//! - [`survival`]: Kaplan-Meier with Greenwood variance and log(-log) intervals.
//! - [`logrank`]: the k-group log-rank test.
//! - [`linalg`]: a small Cholesky factorisation on `ndarray` (no BLAS needed).
//! - [`logistic`]: logistic regression by iteratively reweighted least squares.
//! - [`bootstrap`](mod@bootstrap): seeded Poisson cluster bootstrap, independent of thread
//!   count, data order and partitioning.
//!
//! The conventions (which interval, which variance, how ties are handled) are those fixed in
//! `spec/method.md`, sections 2-4.
//!
//! # Usage
//!
//! ```
//! use kinsight::stats::{
//!     log_rank, percentile_interval, wilson, EventTable, KaplanMeier, PoissonBootstrap,
//!     UnitTimes, Z_95,
//! };
//!
//! // A share with its Wilson interval (None when there is nobody to count).
//! let ci = wilson(81.0, 263.0, Z_95)?.expect("n > 0");
//! assert!(ci.low < 81.0 / 263.0 && 81.0 / 263.0 < ci.high);
//!
//! // Survival: one event table per group (and per partition, merged), then estimate.
//! // (day since exit, placed?) per family; `false` = censored that day.
//! let programme = [(30, false), (200, true), (400, false), (500, false), (800, true)];
//! let comparison = [(20, true), (100, true), (150, false), (300, true), (365, true)];
//! let (mut a, b): (EventTable, EventTable) = (
//!     programme.iter().copied().collect(),
//!     comparison.iter().copied().collect(),
//! );
//! let km = KaplanMeier::new(&a)?;
//! let one_year = km.at(365); // survival, std_err, interval, at_risk
//! assert_eq!(one_year.at_risk, 3);
//! let test = log_rank([&a, &b])?;
//! assert_eq!(test.df, 1);
//! a.merge(&b); // exact: the table of both groups together
//! assert_eq!(a.n(), 10);
//!
//! // Family-level bootstrap: replicate b gives each family a Poisson(1) multiplicity from
//! // its key (a hash of its id), the same on any number of threads or partitions.
//! let units: Vec<(i32, bool)> = programme.iter().chain(&comparison).copied().collect();
//! let keys: Vec<u64> = (0..10u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
//! let times = (UnitTimes::new(&units[..5]), UnitTimes::new(&units[5..]));
//! let boot = PoissonBootstrap::new(42);
//! let diff: Vec<f64> = (0..200)
//!     .map(|b| {
//!         let counts = boot.counts(b, &keys);
//!         let s = |t: &UnitTimes, c: &[u32]| {
//!             t.table(c).ok().and_then(|e| KaplanMeier::new(&e).ok()).map(|k| k.survival_at(365))
//!         };
//!         match (s(&times.0, &counts[..5]), s(&times.1, &counts[5..])) {
//!             (Some(p), Some(c)) => p - c,
//!             _ => f64::NAN,
//!         }
//!     })
//!     .filter(|d| d.is_finite())
//!     .collect();
//! let interval = percentile_interval(&diff, 0.95)?;
//! assert!(interval.low <= interval.high);
//! # Ok::<(), kinsight::stats::StatsError>(())
//! ```

pub mod balance;
pub mod bootstrap;
pub mod evalue;
pub mod event_table;
pub mod interval;
pub mod linalg;
pub mod logistic;
pub mod logrank;
pub mod mean;
pub mod proportion;
pub mod quantile;
pub mod rng;
pub mod survival;
pub mod weighted_survival;

mod error;

pub use balance::{
    binary_variance, smd, smd_binary, variance_ratio, weighted_mean, weighted_mean_var,
    WeightedMoments,
};
pub use bootstrap::{bootstrap, percentile_interval, PoissonBootstrap, Replicate};
pub use error::StatsError;
pub use evalue::{
    e_value_ci, e_value_rr, e_values_smd, rr_from_smd, rr_interval_from_smd, EValues,
};
pub use event_table::{DayCounts, EventTable, UnitTimes};
pub use interval::{Interval, Z_95};
pub use logistic::{LogisticFit, LogisticParams};
pub use logrank::{log_rank, stratified_log_rank, LogRank};
pub use mean::{mean_interval, t_quantile, MeanEstimate, Moments};
pub use proportion::{kish_effective_n, weighted_share, wilson, wilson_share, WeightedShare};
pub use quantile::{quantile, quantile_sorted, quantiles, sorted_finite};
pub use survival::{
    at_risk_from_slots, survival_from_slots, survival_from_weighted_slots, KaplanMeier, KmPoint,
    KmStep,
};
pub use weighted_survival::{weighted_log_rank, WeightedKm, WeightedKmStep, WeightedLogRank};
