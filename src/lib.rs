//! kinsight: what family-strengthening programmes achieved and what it was worth.
//!
//! Data flows one way:
//! [`ingest`] (Parquet case histories -> validated, typed columns) ->
//! [`outcomes`], [`costs`] and [`sroi`] (pure computation on those columns, using the
//! kernels in [`stats`]) -> [`charts`] and [`report`] (rendering). [`pipeline`] chains
//! the stages for the commands; [`generate`] writes synthetic datasets that follow the
//! same contract ([`schema`]).

pub mod charts;
pub mod costs;
pub mod dates;
pub mod error;
pub mod generate;
pub mod ingest;
pub mod outcomes;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod rng;
pub mod schema;
pub mod sroi;
pub mod stats;

pub use error::Error;
