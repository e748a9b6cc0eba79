//! kinsight: what family-strengthening programmes achieved and what it was worth.
//!
//! Data flows one way:
//! [`ingest`] (Parquet case histories -> validated, typed columns) ->
//! [`outcomes`], [`costs`], [`adjust`] (the propensity model of a non-randomised
//! comparison arm) and [`sroi`] (pure computation, using the kernels in [`stats`]) ->
//! [`quantities`] (the SROI's data quantities: the bridge that combines
//! outcomes and costs for the SROI model) -> [`charts`] and [`report`] (rendering).
//! [`pipeline`] resolves the [`settings`], chains the stages for the commands and writes
//! their results through [`output`]; [`generate`] writes synthetic datasets that follow
//! the same contract ([`schema`]). No module imports one above it:
//! `tests/architecture.rs` checks every `use crate::` edge against these layers.
//!
//! The method, the input contract and the outputs are documented in `docs/method.md`,
//! `docs/data.md` and `docs/outputs.md`.

pub mod adjust;
pub mod charts;
pub mod costs;
pub mod dates;
pub mod finite;
pub mod generate;
pub mod ingest;
pub mod outcomes;
pub mod output;
pub mod pipeline;
pub mod quantities;
pub mod report;
pub mod schema;
pub mod settings;
pub mod sroi;
pub mod stats;

pub use pipeline::Error;
