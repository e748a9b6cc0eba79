//! Charts: the figures researchers cite, fundraisers print and ministries read.
//!
//! The chart layer knows nothing about tables or Parquet. Each chart takes a small
//! plain-data "view model" defined here (e.g. [`FollowupChart`]) that the caller fills
//! from the engine's tables, and is drawn by one function generic over the plotters
//! backend (`draw_<name>`), so the same code writes SVG into a string for tests and PNG
//! files for people. All charts share one embedded typeface (DejaVu Sans, so output is
//! identical on every machine), one colour-blind-safe palette (Okabe-Ito; programme arm
//! blue, comparison arm vermillion) and one page frame (title, legend strip, source
//! line). Suppressed cells are never drawn and their numbers never appear in the output.
//!
//! Typical use:
//! ```no_run
//! # use kinsight::charts::*;
//! # fn demo(chart: &FollowupChart) -> Result<(), ChartError> {
//! write_chart_files(std::path::Path::new("out/charts"), "followup_domains", chart)?;
//! # Ok(()) }
//! ```

mod error;
mod followup;
pub mod font;
mod frame;
pub mod geometry;
pub mod labels;
pub mod palette;
mod render;
#[cfg(test)]
mod test_support;

pub use error::ChartError;
mod score_change;
pub use score_change::{draw_score_change, DomainScores, ScoreChangeChart, ScoreValue};
mod income;
pub use income::{draw_income, IncomeChart, IncomePoint, IncomeSeries, Stage};
mod waterfall;
pub use waterfall::{draw_sroi_waterfall, SroiWaterfallChart, WaterfallOutcome};
mod tornado;
pub use tornado::{draw_tornado, TornadoBar, TornadoChart};
mod distribution;
pub use distribution::{draw_sroi_distribution, DistributionMetric, SroiDistributionChart};
mod acceptability;
pub use acceptability::{
    acceptability_curve, draw_acceptability, AcceptabilityChart, AcceptabilityPoint,
};
mod cost_of_care;
pub use cost_of_care::{draw_cost_of_care, CostOfCareChart, CountryCosts};
mod headline;
pub use headline::{draw_headline, HeadlineChart};
mod survival;
pub use followup::{draw_followup_domains, FollowupChart, FollowupSeries, SharePoint};
pub use frame::{too_few_message, SourceLine};
pub use palette::Arm;
pub use render::{
    render_png, render_rgb, render_svg, write_chart_files, Chart, ChartFiles, RgbImage,
    DEFAULT_SIZE,
};
pub use survival::{
    draw_survival, AtRisk, SurvivalArm, SurvivalChart, SurvivalLevel, SurvivalStep,
};
