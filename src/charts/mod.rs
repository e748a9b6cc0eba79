//! Charts: the figures researchers cite, fundraisers print and ministries read.
//!
//! The chart layer knows nothing about tables or Parquet. Each chart takes a small
//! plain-data "view model" defined here that the caller fills from the engine's tables,
//! and is drawn by one function generic over the plotters backend (`draw_<name>`), so the
//! same code writes SVG into a string for tests and PNG files for people. All charts share
//! one embedded typeface (DejaVu Sans, so bitmaps are identical on every machine), one
//! colour-blind-safe palette (Okabe-Ito; programme arm blue, comparison arm vermillion)
//! and one page frame (title, key figures, legend strip above the plot, source line).
//! Suppressed cells are never drawn and their numbers never appear in the output; a chart
//! with nothing publishable says "Too few families to show (fewer than N)".
//!
//! | file name (suggested) | input | drawn by |
//! |---|---|---|
//! | `followup_domains` | [`FollowupChart`] | [`draw_followup_domains`] |
//! | `survival` | [`SurvivalChart`] | [`draw_survival`] |
//! | `score_change` | [`ScoreChangeChart`] | [`draw_score_change`] |
//! | `income` | [`IncomeChart`] | [`draw_income`] |
//! | `sroi_waterfall` | [`SroiWaterfallChart`] | [`draw_sroi_waterfall`] |
//! | `tornado` | [`TornadoChart`] | [`draw_tornado`] |
//! | `sroi_distribution` | [`SroiDistributionChart`] | [`draw_sroi_distribution`] |
//! | `acceptability` | [`AcceptabilityChart`] | [`draw_acceptability`] |
//! | `cost_of_care` | [`CostOfCareChart`] | [`draw_cost_of_care`] |
//! | `reintegration` | [`ReintegrationChart`] | [`draw_reintegration`] |
//! | `propensity_overlap` | [`OverlapChart`] | [`draw_propensity_overlap`] |
//! | `headline` | [`HeadlineChart`] (1600 x 900) | [`draw_headline`] |
//!
//! What charts share lives in one place each: the page around the plot (`frame`: title,
//! subtitle and notes, legend, source line), the plot's axes and dashed reference lines
//! (`axes`), estimates with their 95 % intervals (`interval`), values at the ends of
//! lines (`end_labels`), the wording of numbers ([`labels`]), geometry and binning
//! ([`geometry`]) and colours ([`palette`]).
//!
//! Every input implements [`Chart`], so one call writes both files:
//! ```no_run
//! # use kinsight::charts::*;
//! # fn demo(chart: &FollowupChart) -> Result<(), ChartError> {
//! let files = write_chart_files(std::path::Path::new("out/charts"), "followup_domains", chart)?;
//! let svg_for_html = render_svg(chart)?; // or read files.svg
//! # let _ = (files, svg_for_html); Ok(()) }
//! ```

mod acceptability;
mod axes;
mod cost_of_care;
mod distribution;
mod end_labels;
mod error;
mod followup;
pub mod font;
mod frame;
pub mod geometry;
mod headline;
mod income;
mod interval;
pub mod labels;
mod overlap;
pub mod palette;
mod reintegration;
mod render;
mod score_change;
mod survival;
#[cfg(test)]
mod test_support;
mod tornado;
mod waterfall;

pub use acceptability::{
    acceptability_curve, draw_acceptability, AcceptabilityChart, AcceptabilityPoint,
};
pub use cost_of_care::{draw_cost_of_care, CostOfCareChart, CountryCosts};
pub use distribution::{draw_sroi_distribution, DistributionMetric, SroiDistributionChart};
pub use error::ChartError;
pub use followup::{draw_followup_domains, FollowupChart, FollowupSeries, SharePoint};
pub use frame::{too_few_message, SourceLine};
pub use headline::{draw_headline, HeadlineChart};
pub use income::{draw_income, IncomeChart, IncomeMeasure, IncomePoint, IncomeSeries, Stage};
pub use overlap::{draw_propensity_overlap, OverlapBin, OverlapChart};
pub use palette::Arm;
pub use reintegration::{draw_reintegration, HomePoint, HomeSeries, ReintegrationChart};
pub use render::{
    render_png, render_rgb, render_svg, write_chart_files, Chart, ChartFiles, RgbImage,
    DEFAULT_SIZE,
};
pub use score_change::{draw_score_change, DomainScores, ScoreChangeChart, ScoreValue};
pub use survival::{
    draw_survival, AtRisk, SurvivalArm, SurvivalChart, SurvivalLevel, SurvivalStep,
};
pub use tornado::{draw_tornado, TornadoBar, TornadoChart};
pub use waterfall::{draw_sroi_waterfall, SroiWaterfallChart, WaterfallOutcome};
