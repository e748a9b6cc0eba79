//! Input of the fundraiser card (`headline`): the ratio with its Monte Carlo range,
//! the chance it exceeds 1 and the one sentence of outcomes.
//!
//! No card is drawn when the ratio is unstable: a ratio card would then mislead, and
//! the page quotes the net present value instead.

use crate::charts::HeadlineChart;

use super::super::folder::RunFolder;
use super::super::select::use_npv;
use super::super::wording::outcome_sentence;
use super::{dataset_source, View};

pub(super) fn headline(run: &RunFolder) -> View<HeadlineChart> {
    let s = &run.summary;
    let mc = &s.monte_carlo;
    if use_npv(run) {
        return Err("the ratio is unstable (inputs can be near zero or negative in some draws), so no ratio card is drawn; the report quotes the net present value".into());
    }
    if !(mc.ratio_p2_5.is_finite() && mc.ratio_p97_5.is_finite()) {
        return Err("the Monte Carlo range of the ratio is not available".into());
    }
    Ok(HeadlineChart {
        programme: Some(run.manifest.dataset.clone()),
        currency: s.currency.clone(),
        ratio: s.ratio,
        low: mc.ratio_p2_5.min(mc.ratio_p97_5),
        high: mc.ratio_p97_5.max(mc.ratio_p2_5),
        prob_above_one: mc.prob_ratio_gt_1,
        outcomes: outcome_sentence(run),
        source: dataset_source(run),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::run;

    #[test]
    fn the_card_shows_the_range_in_order_or_is_not_drawn() {
        let mut r = run();
        r.summary.monte_carlo.ratio_p2_5 = 3.5;
        r.summary.monte_carlo.ratio_p97_5 = 1.5;
        let card = headline(&r).unwrap();
        assert_eq!((card.low, card.high), (1.5, 3.5));
        r.summary.monte_carlo.ratio_p2_5 = f64::NAN;
        assert!(headline(&r).unwrap_err().contains("not available"));
        r.summary.monte_carlo.ratio_unstable = true;
        assert!(headline(&r).unwrap_err().contains("net present value"));
    }
}
