//! Deterministic sensitivity: one-way (tornado), thresholds and a two-way grid.
//!
//! A fundraiser's headline ratio is only defensible with its weak points shown: which
//! assumption moves it most (one-way, sorted by swing), how wrong an assumption would
//! have to be before the programme stops paying back (threshold: the value at which the
//! ratio equals 1), and how two assumptions interact (two-way grid). Method.md section 5.
//!
//! Ranges: a parameter's explicit `low`/`high`, else the 2.5 % / 97.5 % quantiles of its
//! distribution, else (for data references) the 2.5 % / 97.5 % percentiles of its
//! bootstrap replicates. Certain parameters are left out.
//!
//! Thresholds use closed forms where the ratio is linear: in quantity and proxy, and in
//! `(1 - x)` for deadweight, displacement and attribution (each scales one outcome's
//! impact in every year). Drop-off is found by bisection. Durations are whole years and
//! have no threshold.

use serde::{Deserialize, Serialize};

use super::data::DataValues;
use super::impact::{pv_total, ResolvedParams};
use super::model::{Field, ParamId, ValidModel};
use super::monte_carlo::percentile;
use super::SroiError;

/// One row of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneWay {
    /// `outcome_id.field`.
    pub parameter: String,
    /// For readers, e.g. `Attribution, avoided care`.
    pub label: String,
    pub base: f64,
    pub low: f64,
    pub high: f64,
    pub ratio_low: f64,
    pub ratio_high: f64,
    /// `|ratio_high - ratio_low|`.
    pub swing: f64,
}

/// The value of a parameter at which the ratio equals 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    /// `outcome_id.field`.
    pub parameter: String,
    pub value_at_ratio_1: f64,
    /// Its base value, for comparison.
    pub base: f64,
    /// `closed_form` or `bisection`.
    pub method: String,
}

/// The ratio over a grid of two parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoWay {
    pub x: String,
    pub y: String,
    pub x_values: Vec<f64>,
    pub y_values: Vec<f64>,
    /// `ratio[iy][ix]`.
    pub ratio: Vec<Vec<f64>>,
}

fn ratio(model: &ValidModel, p: &ResolvedParams, inputs: f64) -> f64 {
    pv_total(&model.study.discounting, p) / inputs
}

/// The one-way range of a parameter, or `None` if it is certain.
pub fn param_range(
    model: &ValidModel,
    id: ParamId,
    replicates: &[DataValues],
) -> Option<(f64, f64)> {
    let p = model.param(id);
    let from_reps = || -> Option<(f64, f64)> {
        let key = p.data_key()?;
        let mut v: Vec<f64> = replicates
            .iter()
            .filter_map(|r| r.get_opt(key))
            .filter(|x| x.is_finite())
            .collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        Some((percentile(&v, 0.025), percentile(&v, 0.975)))
    };
    let default = p
        .dist
        .as_ref()
        .map(|d| (d.quantile(0.025), d.quantile(0.975)))
        .or_else(from_reps);
    match (p.low, p.high, default) {
        (Some(l), Some(h), _) => Some((l, h)),
        (Some(l), None, Some((_, h))) | (None, Some(h), Some((l, _))) => Some((l, h)),
        (None, None, d) => d,
        (Some(l), None, None) => Some((l, l.max(base_of(model, id)))),
        (None, Some(h), None) => Some((h.min(base_of(model, id)), h)),
    }
}

fn base_of(model: &ValidModel, id: ParamId) -> f64 {
    match &model.param(id).base {
        super::model::Base::Value(v) => *v,
        super::model::Base::Data(_) => f64::NAN,
    }
}

/// One-way analysis of every uncertain parameter, sorted by swing (largest first).
pub fn one_way(
    model: &ValidModel,
    base: &ResolvedParams,
    inputs: f64,
    replicates: &[DataValues],
) -> Vec<OneWay> {
    let mut rows: Vec<OneWay> = model
        .parameters()
        .into_iter()
        .filter_map(|(id, name, _)| {
            let (low, high) = param_range(model, id, replicates)?;
            let (low, high) = if id.field == Field::Duration {
                (low.round().max(1.0), high.round().max(1.0))
            } else {
                (low, high)
            };
            // A range of one value is no uncertainty (e.g. the cohort size, which the
            // within-arm bootstrap holds fixed): a bar of no width would only mislead.
            if low == high {
                return None;
            }
            let ratio_low = ratio(model, &base.with(id, low), inputs);
            let ratio_high = ratio(model, &base.with(id, high), inputs);
            Some(OneWay {
                parameter: name,
                label: model.param_label(id),
                base: base.get(id),
                low,
                high,
                ratio_low,
                ratio_high,
                swing: (ratio_high - ratio_low).abs(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then_with(|| a.parameter.cmp(&b.parameter))
    });
    rows
}

/// A root of `f` in `[lo, hi]` by bisection to `1e-12` relative width, if `f` changes sign.
pub fn bisect(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> Option<f64> {
    let (mut flo, fhi) = (f(lo), f(hi));
    if flo == 0.0 {
        return Some(lo);
    }
    if fhi == 0.0 {
        return Some(hi);
    }
    if !(flo.is_finite() && fhi.is_finite()) || flo.signum() == fhi.signum() {
        return None;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        let fm = f(mid);
        if fm == 0.0 || (hi - lo) <= 1e-12 * (1.0 + mid.abs()) {
            return Some(mid);
        }
        if fm.signum() == flo.signum() {
            lo = mid;
            flo = fm;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// The value of parameter `id` in `[lo, hi]` at which the ratio equals 1, by bisection.
pub fn threshold_bisection(
    model: &ValidModel,
    base: &ResolvedParams,
    inputs: f64,
    id: ParamId,
    lo: f64,
    hi: f64,
) -> Option<f64> {
    bisect(|x| ratio(model, &base.with(id, x), inputs) - 1.0, lo, hi)
}

/// Thresholds of every continuous parameter that has one within its feasible range.
pub fn thresholds(model: &ValidModel, base: &ResolvedParams, inputs: f64) -> Vec<Threshold> {
    let disc = &model.study.discounting;
    let pv = |p: &ResolvedParams| pv_total(disc, p);
    let mut out = Vec::new();
    for (id, name, _) in model.parameters() {
        let (flo, fhi) = id.field.range();
        let found = match id.field {
            Field::Duration => None,
            Field::Quantity | Field::Proxy => {
                // PV(x) = a + b x.
                let a = pv(&base.with(id, 0.0));
                let b = pv(&base.with(id, 1.0)) - a;
                let x = (inputs - a) / b;
                (b != 0.0 && x.is_finite() && x >= flo && x <= fhi).then_some((x, "closed_form"))
            }
            Field::Deadweight | Field::Displacement | Field::Attribution => {
                // PV(x) = A + B (1 - x): A at x = 1, A + B at x = 0.
                let a = pv(&base.with(id, 1.0));
                let b = pv(&base.with(id, 0.0)) - a;
                let x = 1.0 - (inputs - a) / b;
                (b != 0.0 && x.is_finite() && x >= flo && x <= fhi).then_some((x, "closed_form"))
            }
            Field::Dropoff => {
                threshold_bisection(model, base, inputs, id, flo, fhi).map(|x| (x, "bisection"))
            }
        };
        if let Some((x, method)) = found {
            out.push(Threshold {
                parameter: name,
                value_at_ratio_1: x,
                base: base.get(id),
                method: method.to_string(),
            });
        }
    }
    out
}

/// The ratio over an `n x n` grid of two parameters between their lows and highs.
///
/// # Errors
/// [`SroiError::Sensitivity`] when a parameter is certain (no range to grid over: give
/// it `low`/`high` or a distribution) or `n < 2`.
pub fn two_way(
    model: &ValidModel,
    base: &ResolvedParams,
    inputs: f64,
    (x, y): (ParamId, ParamId),
    replicates: &[DataValues],
    n: usize,
) -> Result<TwoWay, SroiError> {
    if n < 2 {
        return Err(SroiError::Sensitivity(format!(
            "a two-way grid needs at least 2 points per side, not {n}"
        )));
    }
    let range = |id: ParamId| {
        param_range(model, id, replicates).ok_or_else(|| {
            SroiError::Sensitivity(format!(
                "study.two_way names {} but it is certain; give it low/high or a distribution",
                model.param_name(id)
            ))
        })
    };
    let grid = |(lo, hi): (f64, f64)| -> Vec<f64> {
        (0..n)
            .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
            .collect()
    };
    let xs = grid(range(x)?);
    let ys = grid(range(y)?);
    let ratio = ys
        .iter()
        .map(|&vy| {
            let py = base.with(y, vy);
            xs.iter()
                .map(|&vx| ratio(model, &py.with(x, vx), inputs))
                .collect()
        })
        .collect();
    Ok(TwoWay {
        x: model.param_name(x),
        y: model.param_name(y),
        x_values: xs,
        y_values: ys,
        ratio,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::impact::tests::two_outcomes;
    use crate::sroi::impact::{evaluate, resolve};
    use crate::sroi::model::ModelFile;

    const INPUTS: f64 = 50_000.0;

    fn setup() -> (ValidModel, ResolvedParams) {
        let m = two_outcomes();
        let p = resolve(&m, &DataValues::new()).unwrap();
        (m, p)
    }

    #[test]
    fn a_parameter_without_spread_has_no_tornado_bar() {
        let text = crate::sroi::impact::tests::TWO_OUTCOMES
            .replace("low = 0.1, high = 0.4", "low = 0.2, high = 0.2");
        let m = ModelFile::parse(&text, "flat.toml")
            .unwrap()
            .check()
            .unwrap();
        let p = resolve(&m, &DataValues::new()).unwrap();
        let rows = one_way(&m, &p, INPUTS, &[]);
        // Only income.proxy (normal 400, 50) is left uncertain.
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].parameter, "income.proxy");
    }

    #[test]
    fn one_way_uses_explicit_range_and_quantiles() {
        let (m, p) = setup();
        let rows = one_way(&m, &p, INPUTS, &[]);
        // Uncertain: care.attribution (explicit 0.1..0.4) and income.proxy (normal 400, 50).
        assert_eq!(rows.len(), 2);
        let att = rows
            .iter()
            .find(|r| r.parameter == "care.attribution")
            .unwrap();
        assert_eq!((att.low, att.high), (0.1, 0.4));
        // Care PV at attribution 0 would be 101476.6719 / 0.8 = 126845.8398; ratio is
        // linear in (1 - at): at 0.1 -> (19344.6755 + 0.9 x 126845.8398) / 50000.
        let want_low = (19344.6755 + 0.9 * 126845.8398) / INPUTS;
        assert!((att.ratio_low - want_low).abs() < 1e-6, "{}", att.ratio_low);
        let prox = rows.iter().find(|r| r.parameter == "income.proxy").unwrap();
        assert!((prox.low - (400.0 - 1.959964 * 50.0)).abs() < 1e-4);
        // Sorted by swing.
        assert!(rows[0].swing >= rows[1].swing);
        assert_eq!(rows[0].parameter, "care.attribution");
    }

    #[test]
    fn closed_form_attribution_threshold_equals_bisection() {
        let (m, p) = setup();
        let id = m.find_param("care.attribution").unwrap();
        // Hand: ratio 1 when 19344.6755 + (1 - x) 126845.8398 = 50000 -> x = 0.758326.
        let th = thresholds(&m, &p, INPUTS);
        let t = th
            .iter()
            .find(|t| t.parameter == "care.attribution")
            .unwrap();
        assert_eq!(t.method, "closed_form");
        assert!((t.value_at_ratio_1 - (1.0 - (50_000.0 - 19344.6755) / 126845.8398)).abs() < 1e-8);
        let b = threshold_bisection(&m, &p, INPUTS, id, 0.0, 1.0).unwrap();
        assert!(
            (t.value_at_ratio_1 - b).abs() < 1e-9,
            "{} vs {b}",
            t.value_at_ratio_1
        );
        let e = evaluate(&m, &p.with(id, t.value_at_ratio_1), INPUTS).unwrap();
        assert!((e.ratio - 1.0).abs() < 1e-12);
        // Every reported threshold gives ratio 1.
        for t in &th {
            let id = m.find_param(&t.parameter).unwrap();
            let r = evaluate(&m, &p.with(id, t.value_at_ratio_1), INPUTS)
                .unwrap()
                .ratio;
            assert!((r - 1.0).abs() < 1e-9, "{}: {r}", t.parameter);
        }
        // Drop-off of care cannot bring the ratio to 1 (at 100 % drop-off PV is still
        // 40000/1.035 + 19344.68 = 57992 > 50000): no threshold.
        assert!(!th.iter().any(|t| t.parameter == "care.dropoff"));
    }

    #[test]
    fn dropoff_threshold_by_bisection() {
        let (m, p) = setup();
        // With inputs 100000, care drop-off threshold exists: ratio(0) = 131409.3/1e5 = 1.31, ratio(1) = 57992.0/1e5 = 0.58.
        let th = thresholds(&m, &p, 100_000.0);
        let t = th.iter().find(|t| t.parameter == "care.dropoff").unwrap();
        assert_eq!(t.method, "bisection");
        let id = m.find_param("care.dropoff").unwrap();
        let r = evaluate(&m, &p.with(id, t.value_at_ratio_1), 100_000.0)
            .unwrap()
            .ratio;
        assert!((r - 1.0).abs() < 1e-9);
    }

    #[test]
    fn two_way_grid_corners() {
        let (m, p) = setup();
        let a = m.find_param("care.attribution").unwrap();
        let b = m.find_param("income.proxy").unwrap();
        let g = two_way(&m, &p, INPUTS, (a, b), &[], 11).unwrap();
        assert_eq!(
            (g.x_values.len(), g.ratio.len(), g.ratio[0].len()),
            (11, 11, 11)
        );
        assert!((g.x_values[5] - 0.25).abs() < 1e-12);
        let corner = evaluate(&m, &p.with(a, 0.4).with(b, g.y_values[10]), INPUTS)
            .unwrap()
            .ratio;
        assert!((g.ratio[10][10] - corner).abs() < 1e-12);
        let certain = m.find_param("care.quantity").unwrap();
        assert!(two_way(&m, &p, INPUTS, (a, certain), &[], 11).is_err());
    }
}
