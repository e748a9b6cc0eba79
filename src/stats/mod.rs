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
//! - [`quantile`](mod@quantile): sample quantiles by linear interpolation (R type 7, numpy default).
//! - [`event_table`]: the mergeable per-day counts of events and censorings.
//! - [`survival`]: Kaplan-Meier with Greenwood variance and log(-log) intervals.
//! - [`logrank`]: the k-group log-rank test.
//! - [`linalg`]: a small Cholesky factorisation on `ndarray` (no BLAS needed).
//! - [`logistic`]: logistic regression by iteratively reweighted least squares.
//! - [`bootstrap`](mod@bootstrap): seeded, thread-count-independent cluster bootstrap.
//!
//! The conventions (which interval, which variance, how ties are handled) are those fixed in
//! `spec/method.md`, sections 2-4.

pub mod bootstrap;
pub mod event_table;
pub mod interval;
pub mod linalg;
pub mod logistic;
pub mod logrank;
pub mod mean;
pub mod proportion;
pub mod quantile;
pub mod survival;

mod error;

pub use bootstrap::{bootstrap, percentile_interval, Resampler};
pub use error::StatsError;
pub use event_table::{DayCounts, EventTable, UnitTimes};
pub use interval::{Interval, Z_95};
pub use logistic::{LogisticFit, LogisticParams};
pub use logrank::{log_rank, LogRank};
pub use mean::{mean_interval, t_quantile, MeanEstimate, Moments};
pub use proportion::{kish_effective_n, weighted_share, wilson, wilson_share, WeightedShare};
pub use quantile::{quantile, quantile_sorted, quantiles, sorted_finite};
pub use survival::{KaplanMeier, KmPoint, KmStep};
