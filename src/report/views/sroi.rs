//! Inputs of the SROI charts: the value of each outcome against the inputs
//! (`sroi_waterfall`), the Monte Carlo draws (`sroi_distribution`), the acceptability
//! curve and the one-way tornado, all from `sroi/summary.json` and `sroi/draws.parquet`.
//!
//! When inputs can be near zero or negative the ratio is unstable: the distribution is
//! then drawn for the NPV and the acceptability of a ratio is not drawn at all.

use crate::charts::{
    AcceptabilityChart, AcceptabilityPoint, DistributionMetric, SroiDistributionChart,
    SroiWaterfallChart, TornadoBar, TornadoChart, WaterfallOutcome,
};

use super::super::folder::RunFolder;
use super::super::select::{finite_npv_draws, prob_npv_positive, use_npv};
use super::super::wording::{outcome_label, param_value};
use super::{dataset_source, View};

pub(super) fn waterfall(run: &RunFolder) -> View<SroiWaterfallChart> {
    let s = &run.summary;
    if s.inputs.is_nan() || s.inputs <= 0.0 {
        return Err(format!(
            "inputs are {}; a value-against-inputs chart needs positive inputs",
            s.inputs
        ));
    }
    Ok(SroiWaterfallChart {
        title: None,
        subtitle: None,
        source: dataset_source(run),
        currency: s.currency.clone(),
        price_year: s.price_year,
        inputs: s.inputs,
        outcomes: s
            .outcomes
            .iter()
            .map(|o| WaterfallOutcome {
                label: outcome_label(&o.id),
                stakeholder: o.stakeholder.clone(),
                value: o.pv,
            })
            .collect(),
    })
}

pub(super) fn tornado(run: &RunFolder) -> View<TornadoChart> {
    let s = &run.summary;
    let bars: Vec<TornadoBar> = s
        .one_way
        .iter()
        .filter(|o| o.ratio_low.is_finite() && o.ratio_high.is_finite())
        .map(|o| TornadoBar {
            parameter: if o.label.is_empty() {
                o.parameter.clone()
            } else {
                o.label.clone()
            },
            range: Some(format!(
                "{} to {}",
                param_value(&o.parameter, o.low),
                param_value(&o.parameter, o.high)
            )),
            ratio_low: o.ratio_low,
            ratio_high: o.ratio_high,
        })
        .collect();
    if bars.is_empty() || !s.ratio.is_finite() {
        return Err("the model has no uncertain parameter to vary one at a time".into());
    }
    Ok(TornadoChart {
        title: None,
        subtitle: None,
        source: dataset_source(run),
        currency: s.currency.clone(),
        base_ratio: s.ratio,
        bars,
    })
}

pub(super) fn distribution(run: &RunFolder) -> View<SroiDistributionChart> {
    let Some(draws) = &run.draws else {
        return Err(
            "sroi/draws.parquet is missing, so the Monte Carlo draws cannot be drawn".into(),
        );
    };
    let s = &run.summary;
    let mc = &s.monte_carlo;
    let (metric, values, p2_5, p97_5, prob, base) = if use_npv(run) {
        (
            DistributionMetric::Npv,
            finite_npv_draws(run).unwrap_or_default(),
            mc.npv_p2_5,
            mc.npv_p97_5,
            // With no finite draw the chart is not drawn, so the fallback never shows.
            prob_npv_positive(run),
            s.npv,
        )
    } else {
        let finite: Vec<f64> = draws
            .ratio
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        (
            DistributionMetric::Ratio,
            finite,
            mc.ratio_p2_5,
            mc.ratio_p97_5,
            mc.prob_ratio_gt_1,
            s.ratio,
        )
    };
    if values.is_empty() || !p2_5.is_finite() || !p97_5.is_finite() {
        return Err("the Monte Carlo analysis has no finite draws".into());
    }
    Ok(SroiDistributionChart {
        title: None,
        subtitle: Some(format!("Monte Carlo seed {}.", mc.seed)),
        source: dataset_source(run),
        currency: s.currency.clone(),
        price_year: s.price_year,
        metric,
        draws: values,
        p2_5,
        p97_5,
        prob_break_even: prob,
        base: base.is_finite().then_some(base),
    })
}

pub(super) fn acceptability(run: &RunFolder) -> View<AcceptabilityChart> {
    let mut points: Vec<AcceptabilityPoint> = run
        .summary
        .monte_carlo
        .acceptability
        .iter()
        .map(|p| AcceptabilityPoint {
            threshold: p.x,
            probability: p.p,
        })
        .collect();
    // The axis ends where the curve reaches 0: beyond it the curve is a flat line at 0
    // that only squeezes the part a reader looks at.
    if let Some(k) = points.iter().position(|p| p.probability <= 0.0) {
        points.truncate((k + 1).max(2));
    }
    if points.len() < 2 {
        return Err("sroi/summary.json holds no acceptability curve".into());
    }
    if use_npv(run) {
        return Err("the ratio is unstable (inputs can be near zero or negative in some draws), so the acceptability of a ratio is not shown".into());
    }
    Ok(AcceptabilityChart {
        title: None,
        subtitle: None,
        source: dataset_source(run),
        currency: run.summary.currency.clone(),
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::run;
    use crate::report::folder::DrawValues;
    use crate::sroi::monte_carlo::AcceptPoint;

    #[test]
    fn waterfall_needs_positive_inputs() {
        let mut r = run();
        assert_eq!(waterfall(&r).unwrap().inputs, 1000.0);
        r.summary.inputs = -5.0;
        assert!(waterfall(&r).unwrap_err().starts_with("inputs are -5"));
    }

    #[test]
    fn tornado_needs_a_finite_one_way_row() {
        let r = run();
        assert!(tornado(&r).unwrap_err().contains("no uncertain parameter"));
    }

    #[test]
    fn distribution_switches_to_npv_when_the_ratio_is_unstable() {
        let mut r = run();
        assert!(distribution(&r).unwrap_err().contains("draws.parquet"));
        r.draws = Some(DrawValues {
            ratio: vec![2.0, f64::INFINITY, 3.0],
            npv: vec![-1.0, f64::NAN, 1.0, 2.0],
        });
        let ratio = distribution(&r).unwrap();
        assert_eq!(ratio.metric, DistributionMetric::Ratio);
        assert_eq!(ratio.draws, [2.0, 3.0]);
        r.summary.monte_carlo.ratio_unstable = true;
        let npv = distribution(&r).unwrap();
        assert_eq!(npv.metric, DistributionMetric::Npv);
        assert_eq!(npv.draws, [-1.0, 1.0, 2.0]);
        assert!((npv.prob_break_even - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn acceptability_needs_a_curve_and_a_stable_ratio() {
        let mut r = run();
        assert!(acceptability(&r).unwrap_err().contains("no acceptability"));
        r.summary.monte_carlo.acceptability = vec![
            AcceptPoint { x: 0.0, p: 1.0 },
            AcceptPoint { x: 1.0, p: 0.9 },
        ];
        assert_eq!(acceptability(&r).unwrap().points.len(), 2);
        // The curve stops at its first zero.
        r.summary.monte_carlo.acceptability = [(0.0, 1.0), (2.0, 0.5), (4.0, 0.0), (6.0, 0.0)]
            .into_iter()
            .map(|(x, p)| AcceptPoint { x, p })
            .collect();
        let xs: Vec<f64> = acceptability(&r)
            .unwrap()
            .points
            .iter()
            .map(|p| p.threshold)
            .collect();
        assert_eq!(xs, vec![0.0, 2.0, 4.0]);
        r.summary.monte_carlo.ratio_unstable = true;
        assert!(acceptability(&r).unwrap_err().contains("unstable"));
    }
}
