//! From the result tables to the charts' inputs: which rows each chart shows.
//!
//! The chart layer knows nothing about tables; the builders under `views/` (one file
//! per chart family) pick the rows (group `all`, or `arm=programme` /
//! `arm=comparison` for comparisons by arm), map them onto the charts' view models and
//! decide, when an optional table is missing or nothing is publishable, that a chart is
//! skipped and why. The choices the page quotes as well (which follow-up year, which
//! level) are made in [`super::select`], so text and charts quote the same cells.

mod adjustment;
mod cost_of_care;
mod headline;
mod income;
mod outcomes;
pub(super) mod reintegration;
mod sroi;
mod survival;

use crate::charts::{
    AcceptabilityChart, CostOfCareChart, FollowupChart, HeadlineChart, IncomeChart, OverlapChart,
    ReintegrationChart, ScoreChangeChart, SourceLine, SroiDistributionChart, SroiWaterfallChart,
    SurvivalChart, TornadoChart,
};

use super::folder::RunFolder;
use super::select::dataset_families;

/// A chart input, or why the chart is not drawn.
pub type View<C> = Result<C, String>;

/// Every chart's input.
pub struct Views {
    pub followup: View<FollowupChart>,
    pub survival: View<SurvivalChart>,
    pub score_change: View<ScoreChangeChart>,
    pub income: View<IncomeChart>,
    pub waterfall: View<SroiWaterfallChart>,
    pub tornado: View<TornadoChart>,
    pub distribution: View<SroiDistributionChart>,
    pub acceptability: View<AcceptabilityChart>,
    pub cost_of_care: View<CostOfCareChart>,
    pub headline: View<HeadlineChart>,
    pub reintegration: View<ReintegrationChart>,
    pub overlap: View<OverlapChart>,
    /// Notes about charts drawn differently than usual (e.g. a fallback source).
    pub notes: Vec<String>,
}

/// The source line of a chart drawn from the whole dataset.
fn dataset_source(run: &RunFolder) -> SourceLine {
    counted_source(run, 0.0)
}

/// The source line of a chart whose table counts `families` (the dataset's families
/// when the table counts none).
fn counted_source(run: &RunFolder, families: f64) -> SourceLine {
    SourceLine {
        dataset: run.manifest.dataset.clone(),
        families: if families > 0.0 {
            families as u64
        } else {
            dataset_families(run)
        },
        version: run.manifest.engine_version.clone(),
    }
}

/// Builds every chart's input from the folder's tables.
pub fn build(run: &RunFolder) -> Views {
    let mut notes = Vec::new();
    let income = income::income(run, &mut notes);
    Views {
        followup: outcomes::followup(run),
        survival: survival::survival(run),
        score_change: outcomes::score_change(run),
        income,
        waterfall: sroi::waterfall(run),
        tornado: sroi::tornado(run),
        distribution: sroi::distribution(run),
        acceptability: sroi::acceptability(run),
        cost_of_care: cost_of_care::cost_of_care(run),
        headline: headline::headline(run),
        reintegration: reintegration::reintegration(run),
        overlap: adjustment::overlap(run),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::run;

    #[test]
    fn a_source_counts_the_table_or_else_the_dataset() {
        let mut r = run();
        r.manifest.tables.insert(
            "families".into(),
            crate::output::TableRows {
                read: 12,
                kept: 11,
                set_aside: 1,
            },
        );
        assert_eq!(counted_source(&r, 7.0).families, 7);
        assert_eq!(dataset_source(&r).families, 11);
        assert_eq!(dataset_source(&r).dataset, "Test dataset");
    }
}
