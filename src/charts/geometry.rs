//! Pure geometry and binning the charts need: breaking lines at missing points, turning
//! Kaplan-Meier estimates into step paths, histogram bins, and axis ranges.
//!
//! These are the parts of drawing that can be wrong in a way a reader would not notice
//! (a line bridging a suppressed year, a step curve drawn as a slope, a bin off by one),
//! so they are plain functions tested against hand-worked values.

/// Splits a sequence of optional points into runs of consecutive present points, so a
/// line is broken (not bridged) where a value is missing or suppressed.
pub fn split_runs<T: Copy>(points: impl IntoIterator<Item = Option<T>>) -> Vec<Vec<T>> {
    let mut runs: Vec<Vec<T>> = Vec::new();
    let mut current: Vec<T> = Vec::new();
    for point in points {
        match point {
            Some(p) => current.push(p),
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// A step path through `(time, value)` knots: the value holds until the next knot's time,
/// then drops vertically, as a Kaplan-Meier curve does. The path ends at `end` (the last
/// time the estimate is shown) holding the last value.
///
/// `[(0, 1.0), (2, 0.8)]`, end 3 -> `[(0,1), (2,1), (2,0.8), (3,0.8)]`.
pub fn step_path(knots: &[(f64, f64)], end: f64) -> Vec<(f64, f64)> {
    let mut path = Vec::with_capacity(knots.len() * 2 + 1);
    for (i, &(t, v)) in knots.iter().enumerate() {
        if i > 0 {
            let prev = path.last().map(|&(_, pv)| pv).unwrap_or(v);
            path.push((t, prev));
        }
        path.push((t, v));
    }
    if let Some(&(t, v)) = path.last() {
        if end > t {
            path.push((end, v));
        }
    }
    path
}

/// One histogram bin: `[start, end)` (the last bin includes its end) and its count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    /// Lower edge.
    pub start: f64,
    /// Upper edge.
    pub end: f64,
    /// Number of values in the bin.
    pub count: usize,
}

/// Equal-width bins over `[lo, hi]`; values outside are not counted (the caller reports
/// how many were left out). Non-finite values are ignored.
pub fn histogram(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<Bin> {
    let bins = bins.max(1);
    let width = if hi > lo {
        (hi - lo) / bins as f64
    } else {
        1.0
    };
    let mut out: Vec<Bin> = (0..bins)
        .map(|i| Bin {
            start: lo + width * i as f64,
            end: lo + width * (i + 1) as f64,
            count: 0,
        })
        .collect();
    for &v in values {
        if !v.is_finite() || v < lo || v > hi {
            continue;
        }
        let idx = (((v - lo) / width).floor() as usize).min(bins - 1);
        out[idx].count += 1;
    }
    out
}

/// The `q`-quantile (0..=1) of sorted finite values by linear interpolation between
/// order statistics (R type 7, the default of R and NumPy). `None` when empty.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// A "nice" upper axis limit at or above `max`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8
/// times a power of ten. `nice_ceiling(6.3) = 8`, `nice_ceiling(43_000.0) = 50_000`,
/// `nice_ceiling(0.0) = 1`.
pub fn nice_ceiling(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    for step in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if step * power >= max * (1.0 - 1e-12) {
            return step * power;
        }
    }
    10.0 * power
}

/// A "nice" tick step so that `span` is covered by about `target` ticks.
pub fn nice_step(span: f64, target: usize) -> f64 {
    if !span.is_finite() || span <= 0.0 {
        return 1.0;
    }
    let raw = span / target.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * power >= raw * (1.0 - 1e-12) {
            return step * power;
        }
    }
    10.0 * power
}

/// A histogram bin width of 1, 2, 2.5 or 5 times a power of ten giving the number of
/// bins closest to `target` over `span`. `bin_width(12.5, 40) = 0.25` (50 bins beat 25).
pub fn bin_width(span: f64, target: usize) -> f64 {
    if !span.is_finite() || span <= 0.0 {
        return 1.0;
    }
    let target = target.max(1) as f64;
    let power = 10f64.powf((span / target).log10().floor());
    let mut best = (f64::INFINITY, 1.0);
    for p in [power / 10.0, power, power * 10.0] {
        for step in [1.0, 2.0, 2.5, 5.0] {
            let w = step * p;
            let miss = (span / w - target).abs();
            if miss < best.0 {
                best = (miss, w);
            }
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_break_at_gaps() {
        let runs = split_runs([
            Some(1),
            Some(2),
            None,
            Some(4),
            None,
            None,
            Some(7),
            Some(8),
        ]);
        assert_eq!(runs, vec![vec![1, 2], vec![4], vec![7, 8]]);
        assert!(split_runs::<i32>([None, None]).is_empty());
    }

    #[test]
    fn steps_hold_then_drop() {
        let p = step_path(&[(0.0, 1.0), (2.0, 0.8), (2.5, 0.6)], 3.0);
        assert_eq!(
            p,
            vec![
                (0.0, 1.0),
                (2.0, 1.0),
                (2.0, 0.8),
                (2.5, 0.8),
                (2.5, 0.6),
                (3.0, 0.6)
            ]
        );
        assert_eq!(step_path(&[(0.0, 1.0)], 0.0), vec![(0.0, 1.0)]);
        assert!(step_path(&[], 5.0).is_empty());
    }

    #[test]
    fn histogram_counts_hand_checked() {
        // Bins of width 1 over [0, 4]: 0.5 | 1.0 1.5 | (none) | 3.9 4.0 (last bin closed).
        let bins = histogram(&[0.5, 1.0, 1.5, 3.9, 4.0, 4.1, -0.1, f64::NAN], 0.0, 4.0, 4);
        let counts: Vec<usize> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 2, 0, 2]);
        assert!((bins[2].start - 2.0).abs() < 1e-12 && (bins[2].end - 3.0).abs() < 1e-12);
    }

    #[test]
    fn quantiles_type7() {
        // R: quantile(c(1,2,3,4,5), c(.025,.5,.975)) = 1.1, 3.0, 4.9
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((quantile_sorted(&v, 0.025).unwrap() - 1.1).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.5).unwrap() - 3.0).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.975).unwrap() - 4.9).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_ceiling(6.3), 8.0);
        assert_eq!(nice_ceiling(8.5), 10.0);
        assert_eq!(nice_ceiling(43_000.0), 50_000.0);
        assert_eq!(nice_ceiling(2.0), 2.0);
        assert_eq!(nice_ceiling(2.2), 2.5);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
        assert_eq!(bin_width(f64::INFINITY, 40), 1.0);
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(43_000.0, 5), 10_000.0);
        assert_eq!(bin_width(12.5, 40), 0.25);
        assert_eq!(bin_width(10.0, 40), 0.25);
        assert_eq!(bin_width(3_000_000.0, 40), 100_000.0);
    }
}
