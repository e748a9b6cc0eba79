//! Probabilistic sensitivity: seeded joint draws of every uncertain parameter.
//!
//! A headline ratio needs "a defensible range": docs/method.md section 5 asks for `draws` joint
//! draws of every parameter from its distribution, each paired with one bootstrap
//! replicate of the data-derived quantities, summarised as percentiles of the ratio and
//! NPV, P(ratio > 1), an acceptability curve and the expected value of perfect
//! information. Draw `i` takes its generator from
//! `rng_for(seed, Stream::MonteCarlo, i)` and replicate `i % replicates.len()`, and
//! parameters are sampled in impact-map order, so the same seed gives the same draws on
//! any number of threads.
//!
//! Conventions:
//! - Percentiles interpolate linearly between order statistics (R type 7, numpy default).
//! - The acceptability curve is P(ratio > x) for x = 0, 0.1, ..., 10 (101 points), over
//!   all draws (a draw with an undefined ratio never counts as exceeding x).
//! - `EVPI = E[max(NPV, 0)] - max(E[NPV], 0)` for the fund / don't-fund decision.
//! - A replicate may carry `inputs` (a bootstrap replicate of total inputs). If any
//!   draw's inputs are <= 0 its ratio is undefined (NaN), ratio statistics are taken over
//!   the other draws, and `ratio_unstable` tells charts and summaries to use NPV.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::data::{DataValues, INPUTS_KEY};
use super::impact::{pv_total, ResolvedParams};
use super::model::{ParamId, ValidModel};
use super::SroiError;
use crate::stats::rng::{rng_for, Stream};

/// All draws, column-wise.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// Parameter names `outcome_id.field`, in impact-map order (certain ones included).
    pub names: Vec<String>,
    /// `values[k][i]`: parameter `k` in draw `i`.
    pub values: Vec<Vec<f64>>,
    /// Total present value per draw.
    pub pv: Vec<f64>,
    /// Inputs per draw.
    pub inputs: Vec<f64>,
    /// PV / inputs (NaN when inputs <= 0).
    pub ratio: Vec<f64>,
    /// PV - inputs.
    pub npv: Vec<f64>,
    /// Data keys no bootstrap replicate carried: fixed at their base value.
    pub data_keys_fixed: Vec<String>,
}

/// One point of the acceptability curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AcceptPoint {
    /// Return per unit invested.
    pub x: f64,
    /// P(ratio > x).
    pub p: f64,
}

/// Summary of the Monte Carlo analysis (the `monte_carlo` object of summary.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McSummary {
    pub draws: usize,
    pub seed: u64,
    #[serde(deserialize_with = "super::summary::f64_or_nan")]
    pub ratio_mean: f64,
    #[serde(deserialize_with = "super::summary::f64_or_nan")]
    pub ratio_p2_5: f64,
    #[serde(deserialize_with = "super::summary::f64_or_nan")]
    pub ratio_p50: f64,
    #[serde(deserialize_with = "super::summary::f64_or_nan")]
    pub ratio_p97_5: f64,
    #[serde(deserialize_with = "super::summary::f64_or_nan")]
    pub npv_mean: f64,
    #[serde(deserialize_with = "super::summary::f64_or_nan")]
    pub npv_p2_5: f64,
    #[serde(deserialize_with = "super::summary::f64_or_nan")]
    pub npv_p50: f64,
    #[serde(deserialize_with = "super::summary::f64_or_nan")]
    pub npv_p97_5: f64,
    pub prob_ratio_gt_1: f64,
    /// Expected value of perfect information.
    pub evpi: f64,
    /// Some draw had inputs <= 0: use NPV, not the ratio.
    pub ratio_unstable: bool,
    /// Draws whose ratio was undefined.
    pub ratio_undefined_draws: usize,
    /// Bootstrap replicates paired with the draws (0: base data values in every draw).
    pub replicates: usize,
    /// Data keys without bootstrap replicates (their sampling uncertainty is not included).
    pub data_keys_fixed: Vec<String>,
    pub acceptability: Vec<AcceptPoint>,
}

/// The `p`-quantile of an ascending slice by linear interpolation (type 7); NaN if empty.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// `E[max(NPV, 0)] - max(E[NPV], 0)`; 0 for no draws.
pub fn evpi(npv: &[f64]) -> f64 {
    if npv.is_empty() {
        return 0.0;
    }
    let n = npv.len() as f64;
    let e_max = npv.iter().map(|v| v.max(0.0)).sum::<f64>() / n;
    let e = npv.iter().sum::<f64>() / n;
    e_max - e.max(0.0)
}

/// P(ratio > x) for x = 0, 0.1, ..., 10.
pub fn acceptability(ratio: &[f64]) -> Vec<AcceptPoint> {
    let n = ratio.len().max(1) as f64;
    (0..=100)
        .map(|k| {
            let x = k as f64 / 10.0;
            AcceptPoint {
                x,
                p: ratio.iter().filter(|r| **r > x).count() as f64 / n,
            }
        })
        .collect()
}

/// Run `model.study.draws` seeded joint draws.
///
/// `data` holds the base data-derived values, `replicates` their bootstrap replicates
/// (draw `i` uses replicate `i % len`; empty: the base values in every draw), `inputs`
/// the base total inputs.
///
/// A data key that no replicate carries keeps its base value in every draw (listed in
/// [`Draws::data_keys_fixed`], so the report can say its sampling uncertainty is not
/// included); a key carried by some replicates but not others is an error.
///
/// # Errors
/// [`SroiError::MissingData`] when a replicate lacks a key other replicates carry, or
/// holds a value that is not finite.
pub fn simulate(
    model: &ValidModel,
    base: &ResolvedParams,
    replicates: &[DataValues],
    inputs: f64,
) -> Result<Draws, SroiError> {
    let params = model.parameters();
    let mut data_keys_fixed: Vec<String> = params
        .iter()
        .filter_map(|(_, _, p)| p.data_key())
        .filter(|k| !replicates.is_empty() && replicates.iter().all(|r| r.get_opt(k).is_none()))
        .map(str::to_string)
        .collect();
    data_keys_fixed.sort();
    data_keys_fixed.dedup();
    let seed = model.study.seed;
    let disc = &model.study.discounting;
    let one = |i: usize| -> Result<(Vec<f64>, f64, f64), SroiError> {
        let mut rng = rng_for(seed, Stream::MonteCarlo, i as u64);
        let rep = (!replicates.is_empty()).then(|| &replicates[i % replicates.len()]);
        let mut p = base.clone();
        for (id, _, param) in &params {
            if let Some(d) = &param.dist {
                p.set(*id, d.sample(&mut rng));
            } else if let (Some(key), Some(rep)) = (param.data_key(), rep) {
                if data_keys_fixed.iter().any(|k| k == key) {
                    continue;
                }
                let v = rep.get(key).map_err(|e| match e {
                    SroiError::MissingData { key, detail } => SroiError::MissingData {
                        key,
                        detail: format!("bootstrap replicate {}: {detail}", i % replicates.len()),
                    },
                    other => other,
                })?;
                p.set(*id, v);
            }
        }
        let inp = rep.and_then(|r| r.get_opt(INPUTS_KEY)).unwrap_or(inputs);
        let values = params.iter().map(|(id, _, _)| p.get(*id)).collect();
        Ok((values, pv_total(disc, &p), inp))
    };
    let rows: Vec<(Vec<f64>, f64, f64)> = (0..model.study.draws)
        .into_par_iter()
        .map(one)
        .collect::<Result<_, _>>()?;
    let mut values = vec![Vec::with_capacity(rows.len()); params.len()];
    let (mut pv, mut inp, mut ratio, mut npv) = (vec![], vec![], vec![], vec![]);
    for (vals, v, i) in rows {
        for (col, x) in values.iter_mut().zip(vals) {
            col.push(x);
        }
        pv.push(v);
        inp.push(i);
        ratio.push(if i > 0.0 { v / i } else { f64::NAN });
        npv.push(v - i);
    }
    Ok(Draws {
        names: params.into_iter().map(|(_, n, _)| n).collect(),
        values,
        pv,
        inputs: inp,
        ratio,
        npv,
        data_keys_fixed,
    })
}

impl Draws {
    /// The column of one parameter.
    pub fn column(&self, model: &ValidModel, id: ParamId) -> Option<&[f64]> {
        let name = model.param_name(id);
        self.names
            .iter()
            .position(|n| *n == name)
            .map(|k| self.values[k].as_slice())
    }

    /// Summarise the draws.
    pub fn summary(&self, seed: u64, replicates: usize) -> McSummary {
        let mut r: Vec<f64> = self
            .ratio
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        r.sort_by(f64::total_cmp);
        let mut n = self.npv.clone();
        n.sort_by(f64::total_cmp);
        let mean = |v: &[f64]| {
            if v.is_empty() {
                f64::NAN
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let undefined = self.ratio.len() - r.len();
        McSummary {
            draws: self.ratio.len(),
            seed,
            ratio_mean: mean(&r),
            ratio_p2_5: percentile(&r, 0.025),
            ratio_p50: percentile(&r, 0.5),
            ratio_p97_5: percentile(&r, 0.975),
            npv_mean: mean(&n),
            npv_p2_5: percentile(&n, 0.025),
            npv_p50: percentile(&n, 0.5),
            npv_p97_5: percentile(&n, 0.975),
            prob_ratio_gt_1: self.ratio.iter().filter(|x| **x > 1.0).count() as f64
                / self.ratio.len().max(1) as f64,
            evpi: evpi(&self.npv),
            ratio_unstable: self.inputs.iter().any(|i| *i <= 0.0),
            ratio_undefined_draws: undefined,
            replicates,
            data_keys_fixed: self.data_keys_fixed.clone(),
            acceptability: acceptability(&self.ratio),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::impact::resolve;
    use crate::sroi::impact::tests::two_outcomes;
    use crate::sroi::model::ModelFile;
    use proptest::prelude::*;

    fn run_on(threads: usize, model: &ValidModel, reps: &[DataValues]) -> Draws {
        let base = resolve(model, &DataValues::new().with("avoided_placements", 10.0)).unwrap();
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| simulate(model, &base, reps, 50_000.0).unwrap())
    }

    #[test]
    fn identical_on_one_and_four_threads() {
        let m = two_outcomes();
        let a = run_on(1, &m, &[]);
        let b = run_on(4, &m, &[]);
        assert_eq!(a, b);
        assert_eq!(a.summary(7, 0), b.summary(7, 0));
        // Certain parameters stay at base; uncertain ones vary.
        let q = a
            .column(&m, m.find_param("care.quantity").unwrap())
            .unwrap();
        assert!(q.iter().all(|x| *x == 10.0));
    }

    #[test]
    fn median_matches_deterministic_ratio_for_symmetric_draws() {
        // care.attribution ~ Uniform(0.1, 0.3) around 0.2, income.proxy ~ Normal(400, 50):
        // the ratio is linear in each, so its distribution is symmetric about the base
        // ratio 2.416427 (impact.rs hand-worked example).
        let text = crate::sroi::impact::tests::TWO_OUTCOMES.replace(
            "attribution = { value = 0.2, low = 0.1, high = 0.4, source = \"panel\", evidence = \"expert\" }",
            "attribution = { dist = \"uniform\", min = 0.1, max = 0.3 }",
        );
        let m = ModelFile::parse(&text, "m.toml").unwrap().check().unwrap();
        let d = run_on(2, &m, &[]);
        let s = d.summary(7, 0);
        let base = 120821.3474 / 50_000.0;
        let sd = {
            let mu = s.ratio_mean;
            (d.ratio.iter().map(|r| (r - mu).powi(2)).sum::<f64>() / d.ratio.len() as f64).sqrt()
        };
        // Standard error of a median ~ 1.2533 sd / sqrt(n); allow 4 of them.
        let tol = 4.0 * 1.2533 * sd / (s.draws as f64).sqrt();
        assert!(
            (s.ratio_p50 - base).abs() < tol,
            "median {} vs {base} (tol {tol})",
            s.ratio_p50
        );
        assert!((s.ratio_mean - base).abs() < tol);
        assert!(s.ratio_p2_5 < s.ratio_p50 && s.ratio_p50 < s.ratio_p97_5);
        assert_eq!(s.prob_ratio_gt_1, 1.0);
        assert_eq!(s.acceptability.len(), 101);
        assert_eq!(s.acceptability[10], AcceptPoint { x: 1.0, p: 1.0 });
    }

    #[test]
    fn undefined_statistics_round_trip_through_json_as_null() {
        let d = Draws {
            names: vec![],
            values: vec![],
            pv: vec![1.0],
            inputs: vec![0.0],
            ratio: vec![f64::NAN],
            npv: vec![1.0],
            data_keys_fixed: vec![],
        };
        let s = d.summary(1, 0);
        assert!(s.ratio_unstable && s.ratio_mean.is_nan());
        let text = serde_json::to_string(&s).unwrap();
        assert!(text.contains("\"ratio_p50\":null"), "{text}");
        let back: McSummary = serde_json::from_str(&text).unwrap();
        assert!(back.ratio_p50.is_nan());
        assert_eq!(back.npv_p50, 1.0);
    }

    #[test]
    fn evpi_hand_built_draws() {
        // E[max] = (0 + 20 + 30 + 0)/4 = 12.5; E[NPV] = 0 -> EVPI 12.5.
        assert!((evpi(&[-10.0, 20.0, 30.0, -40.0]) - 12.5).abs() < 1e-12);
        // E[max] = 25, E[NPV] = 20 -> EVPI 5.
        assert!((evpi(&[-10.0, 50.0]) - 5.0).abs() < 1e-12);
        assert_eq!(evpi(&[1.0, 2.0]), 0.0);
    }

    #[test]
    fn evpi_normal_npv_matches_closed_form() {
        // One outcome, Q = 1, D = 1, r = 0: NPV = P - 100 with P ~ Normal(110, 20), so
        // NPV ~ Normal(10, 20). EVPI = s phi(mu/s) - mu Phi(-mu/s)
        //   = 20 x 0.3520653 - 10 x 0.3085375 = 3.955931.
        let m = ModelFile::parse(
            r#"
[study]
reporting_currency = "EUR"
price_year = 2023
discount_rate = 0.0
draws = 50000
seed = 11
[[outcome]]
id = "x"
stakeholder = "state"
quantity = 1
proxy = { dist = "normal", mean = 110, sd = 20 }
duration = 1
"#,
            "m.toml",
        )
        .unwrap()
        .check()
        .unwrap();
        let base = resolve(&m, &DataValues::new()).unwrap();
        let d = simulate(&m, &base, &[], 100.0).unwrap();
        let s = d.summary(11, 0);
        assert!((s.evpi - 3.955931).abs() < 0.15, "evpi {}", s.evpi);
        assert!((s.npv_mean - 10.0).abs() < 0.4);
    }

    #[test]
    fn replicates_pair_with_draws_and_unstable_inputs_are_flagged() {
        let m = ModelFile::parse(
            r#"
[study]
reporting_currency = "EUR"
price_year = 2023
draws = 10
[[outcome]]
id = "care"
stakeholder = "state"
quantity = { data = "avoided_placements" }
proxy = 1000
duration = 1
"#,
            "m.toml",
        )
        .unwrap()
        .check()
        .unwrap();
        let base = resolve(&m, &DataValues::new().with("avoided_placements", 5.0)).unwrap();
        let reps = vec![
            DataValues::new().with("avoided_placements", 1.0),
            DataValues::new()
                .with("avoided_placements", 2.0)
                .with("inputs", -3.0),
        ];
        let d = simulate(&m, &base, &reps, 100.0).unwrap();
        assert_eq!(&d.values[0][..4], &[1.0, 2.0, 1.0, 2.0]);
        assert!(d.ratio[1].is_nan());
        let s = d.summary(1, 2);
        assert!(s.ratio_unstable);
        assert_eq!(s.ratio_undefined_draws, 5);
        // Defined draws: 1000/1.035/100 = 9.6618.
        assert!((s.ratio_p50 - 1000.0 / 1.035 / 100.0).abs() < 1e-9);
        // No replicate carries the key: base value in every draw, reported.
        let none = vec![DataValues::new().with("inputs", 50.0)];
        let d = simulate(&m, &base, &none, 100.0).unwrap();
        assert!(d.values[0].iter().all(|q| *q == 5.0));
        assert_eq!(d.summary(1, 1).data_keys_fixed, vec!["avoided_placements"]);
        // Some replicates carry it, others do not: an error naming the replicate.
        let bad = vec![reps[0].clone(), DataValues::new()];
        let e = simulate(&m, &base, &bad, 100.0).unwrap_err().to_string();
        assert!(
            e.contains("avoided_placements") && e.contains("replicate 1"),
            "{e}"
        );
    }

    proptest! {
        #[test]
        fn percentiles_are_ordered(mut v in prop::collection::vec(-1e6f64..1e6, 1..200)) {
            v.sort_by(f64::total_cmp);
            let (a, b, c) = (percentile(&v, 0.025), percentile(&v, 0.5), percentile(&v, 0.975));
            prop_assert!(v[0] <= a && a <= b && b <= c && c <= v[v.len() - 1]);
        }
    }

    #[test]
    fn percentile_type7_reference() {
        // numpy.percentile([1, 2, 3, 4], 25) = 1.75; median 2.5.
        let v = [1.0, 2.0, 3.0, 4.0];
        assert!((percentile(&v, 0.25) - 1.75).abs() < 1e-12);
        assert!((percentile(&v, 0.5) - 2.5).abs() < 1e-12);
    }
}
