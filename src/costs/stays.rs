//! Placements after exit: how long a stay in alternative care lasts, what a child-year of
//! it costs, and how it spreads over the years after it starts (docs/method.md section 8).
//!
//! The placements the programme could avoid are those after the family's exit, so the
//! cost of a placement is measured on them (both arms: the comparison arm's are the
//! placements that happen without the programme). A stay runs from a `placement` to the
//! next `return_home`, through any `care_change` (each part priced at its own care type);
//! a stay still open at the cut-off is censored there. Its length is the Kaplan-Meier
//! restricted mean to a cap ([`crate::sroi::data::STAY_CAP_YEARS`]): open stays count
//! for as long as they were observed, not as if they had ended at the cut-off. Each part
//! of a stay is priced at the `care_costs` of the child's country, care type and calendar
//! year of care (the nearest year the table has), so
//!
//! `cost_per_placement = restricted mean stay (years) x cost per child-year`, with the
//! cost per child-year the observed cost over the observed costed years (to the cap).

use std::collections::{BTreeMap, HashMap};

use crate::dates::{from_ymd, year_of, Day, DAYS_PER_YEAR};
use crate::ingest::Dataset;
use crate::schema;

const PLACEMENT: u8 = 0;
const RETURN: u8 = 1;

/// One stay in care that began after the family's exit.
#[derive(Debug, Clone, PartialEq)]
pub struct Stay {
    /// Position of the family in `families`.
    pub family: usize,
    /// Days from the placement to the return home, or to the cut-off when still open,
    /// capped at the cap (a longer stay is censored at the cap).
    pub days: i32,
    /// Ended by a return home within the cap (else censored).
    pub ended: bool,
    /// Real cost of the stay's costed days up to the cap (reporting currency).
    pub cost: f64,
    /// Costed years of the stay up to the cap.
    pub years: f64,
}

/// The post-exit stays of the cohort and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Stays {
    pub stays: Vec<Stay>,
    pub notes: Vec<String>,
}

/// The cap as days.
pub fn cap_days(cap_years: f64) -> i32 {
    (cap_years * DAYS_PER_YEAR).round() as i32
}

/// Care cost per child-year of (country, care type) by calendar year.
pub struct Prices(HashMap<(String, u8), Vec<(i32, f64)>>);

impl Prices {
    pub fn new(ds: &Dataset) -> Prices {
        let mut m: HashMap<(String, u8), Vec<(i32, f64)>> = HashMap::new();
        for c in ds.care_costs.iter().filter(|c| c.cost_real.is_finite()) {
            m.entry((c.country.clone(), c.care_type))
                .or_default()
                .push((c.year, c.cost_real));
        }
        for v in m.values_mut() {
            v.sort_by_key(|p| p.0);
        }
        Prices(m)
    }

    /// The cost of `year`, else of the nearest year (the later one on a tie).
    pub fn get(&self, country: &str, care_type: u8, year: i32) -> Option<f64> {
        let v = self.0.get(&(country.to_string(), care_type))?;
        v.iter()
            .min_by_key(|(y, _)| ((y - year).abs(), -y))
            .map(|p| p.1)
    }
}

/// Every stay of a cohort child that began after its family's exit (`exit_of[f]`, `None`
/// for a family outside the cohort), to the cap.
pub fn post_exit_stays(ds: &Dataset, exit_of: &[Option<Day>], cap_years: f64) -> Stays {
    let ev = &ds.care_events;
    let cutoff = ds.meta.data_cutoff;
    let cap = cap_days(cap_years);
    let prices = Prices::new(ds);
    let mut stays = Vec::new();
    let mut missing: BTreeMap<(String, String), u64> = BTreeMap::new();
    // Per open stay: family, start, care type and start of the current part, cost, years.
    struct Open {
        family: usize,
        start: Day,
        care: u8,
        from: Day,
        cost: f64,
        years: f64,
    }
    let part = |o: &mut Open, to: Day, missing: &mut BTreeMap<(String, String), u64>| {
        let country = &ds.families.countries[ds.families.country[o.family] as usize];
        let (from, to) = (o.from.max(o.start), to.min(o.start + cap));
        let mut d = from;
        while d < to {
            let y = year_of(d);
            let next = from_ymd(y + 1, 1, 1).unwrap_or(to).min(to).max(d + 1);
            let years = f64::from(next - d) / DAYS_PER_YEAR;
            match prices.get(country, o.care, y) {
                Some(c) => {
                    o.cost += years * c;
                    o.years += years;
                }
                None => {
                    let ct = schema::CARE_TYPES
                        .get(o.care as usize)
                        .copied()
                        .unwrap_or("other");
                    *missing
                        .entry((country.clone(), ct.to_string()))
                        .or_default() += 1;
                }
            }
            d = next;
        }
    };
    let close = |o: Open, end: Day, ended: bool, stays: &mut Vec<Stay>| {
        let days = (end - o.start).max(0);
        stays.push(Stay {
            family: o.family,
            days: days.min(cap),
            ended: ended && days <= cap,
            cost: o.cost,
            years: o.years,
        });
    };
    let mut open: Option<Open> = None;
    for i in 0..ev.len() {
        let child = ev.child[i] as usize;
        let first_of_child = i == 0 || ev.child[i - 1] as usize != child;
        if first_of_child {
            if let Some(mut o) = open.take() {
                part(&mut o, cutoff, &mut missing);
                close(o, cutoff, false, &mut stays);
            }
        }
        if !ds.children.care_history_valid[child] {
            continue;
        }
        let f = ds.children.family[child] as usize;
        let Some(exit) = exit_of.get(f).copied().flatten() else {
            continue;
        };
        let (date, event) = (ev.date[i], ev.event[i]);
        let care = ev.care_type[i];
        match (&mut open, event) {
            (None, PLACEMENT) if date > exit => {
                open = Some(Open {
                    family: f,
                    start: date,
                    care: care.unwrap_or(0),
                    from: date,
                    cost: 0.0,
                    years: 0.0,
                });
            }
            (Some(o), RETURN) => {
                part(o, date, &mut missing);
                if let Some(o) = open.take() {
                    close(o, date, true, &mut stays);
                }
            }
            // A care change (or a new placement while in care) moves the child to
            // another care type within the same stay.
            (Some(o), _) => {
                part(o, date, &mut missing);
                o.from = date;
                o.care = care.unwrap_or(o.care);
            }
            _ => {}
        }
    }
    if let Some(mut o) = open.take() {
        part(&mut o, cutoff, &mut missing);
        close(o, cutoff, false, &mut stays);
    }
    let notes = missing
        .into_iter()
        .map(|((country, ct), n)| {
            format!("cost_per_placement: {n} year-parts of {ct} care in {country} left out of the cost per child-year: no care_costs entry for {country} {ct}")
        })
        .collect();
    Stays { stays, notes }
}

/// Kaplan-Meier steps `(day, survival from that day)` from per-slot `[events, censored]`
/// counts at ascending `days` (the layout of `stats::survival_from_slots`).
pub fn km_steps(km: &[[u32; 2]], days: &[i32]) -> Vec<(i32, f64)> {
    let mut at_risk: u64 = km.iter().map(|c| u64::from(c[0]) + u64::from(c[1])).sum();
    let mut s = 1.0_f64;
    let mut out = Vec::new();
    for (&day, c) in days.iter().zip(km) {
        let d = u64::from(c[0]);
        if d > 0 && at_risk > 0 {
            s *= (at_risk.saturating_sub(d)) as f64 / at_risk as f64;
            out.push((day, s));
        }
        at_risk = at_risk.saturating_sub(u64::from(c[0]) + u64::from(c[1]));
    }
    out
}

/// `integral of S(u) du` over `[a, b]` days, with S = 1 before the first step and S = 0
/// from `cap` on (the restricted mean's cap).
pub fn survival_integral(steps: &[(i32, f64)], a: f64, b: f64, cap: f64) -> f64 {
    let (a, b) = (a.max(0.0), b.min(cap));
    if b <= a {
        return 0.0;
    }
    let mut total = 0.0;
    let mut from = 0.0_f64;
    let mut s = 1.0;
    for &(day, next) in steps {
        let to = f64::from(day);
        total += s * overlap(from, to, a, b);
        from = to;
        s = next;
    }
    total + s * overlap(from, f64::INFINITY, a, b)
}

fn overlap(x0: f64, x1: f64, a: f64, b: f64) -> f64 {
    (x1.min(b) - x0.max(a)).max(0.0)
}

/// Per-slot counts of stays: the distinct stay lengths and `[ended, censored]` per length.
pub fn slots(stays: &[(i32, bool)]) -> (Vec<i32>, Vec<[u32; 2]>) {
    let mut days: Vec<i32> = stays.iter().map(|s| s.0).collect();
    days.sort_unstable();
    days.dedup();
    let mut km = vec![[0u32; 2]; days.len()];
    for &(d, ended) in stays {
        let k = days.partition_point(|&x| x < d);
        km[k][usize::from(!ended)] += 1;
    }
    (days, km)
}

/// Expected length of a stay in years: the Kaplan-Meier restricted mean to `cap_years`;
/// `None` without a stay.
pub fn restricted_mean_years(stays: &[(i32, bool)], cap_years: f64) -> Option<f64> {
    if stays.is_empty() {
        return None;
    }
    let (days, km) = slots(stays);
    let steps = km_steps(&km, &days);
    let cap = f64::from(cap_days(cap_years));
    Some(survival_integral(&steps, 0.0, cap, cap) / DAYS_PER_YEAR)
}

/// Avoided placements counted in each year t = 1, 2, .. after exit by the part of their
/// expected stay that falls in year t: placements avoided in year k (`starts[k-1]`) are
/// taken to begin mid-year, at k - 0.5, and a stay beginning at s spends
/// `integral_{t-1-s}^{t-s} S(u) du` of year t in care (S the stay survival to the cap).
/// Divided by the restricted mean, the years of each start year sum to 1, so the result
/// sums to `sum(starts)`. Trailing zero years are dropped.
pub fn timed_placements(starts: &[f64], steps: &[(i32, f64)], cap_years: f64) -> Vec<f64> {
    let cap = f64::from(cap_days(cap_years));
    let mean = survival_integral(steps, 0.0, cap, cap);
    if mean <= 0.0 {
        return starts.to_vec();
    }
    let years = starts.len() + cap_years.ceil() as usize + 1;
    let mut out: Vec<f64> = (1..=years)
        .map(|t| {
            starts
                .iter()
                .enumerate()
                .map(|(k, &a)| {
                    let s = k as f64 + 0.5; // start, years after exit
                    let lo = (t as f64 - 1.0 - s) * DAYS_PER_YEAR;
                    let hi = (t as f64 - s) * DAYS_PER_YEAR;
                    a * survival_integral(steps, lo, hi, cap) / mean
                })
                .sum()
        })
        .collect();
    while out.last().is_some_and(|&x| x == 0.0) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restricted_mean_of_stays_with_censoring() {
        // Stays (days): 100 ended, 200 censored, 300 ended, 400 ended; cap 1000 days.
        // S: 1 to 100, 3/4 to 300 (200 is censored: 2 at risk at 300), 3/8 to 400, 0.
        // Mean = 100 + 0.75 x 200 + 0.375 x 100 = 287.5 days.
        let stays = [(100, true), (200, false), (300, true), (400, true)];
        let (days, km) = slots(&stays);
        let steps = km_steps(&km, &days);
        assert_eq!(steps, vec![(100, 0.75), (300, 0.375), (400, 0.0)]);
        assert!((survival_integral(&steps, 0.0, 1000.0, 1000.0) - 287.5).abs() < 1e-9);
        // Capped at 250 days: 100 + 0.75 x 150 = 212.5.
        assert!((survival_integral(&steps, 0.0, 1000.0, 250.0) - 212.5).abs() < 1e-9);
        // A window: [50, 350] = 50 + 0.75 x 200 + 0.375 x 50 = 218.75.
        assert!((survival_integral(&steps, 50.0, 350.0, 1000.0) - 218.75).abs() < 1e-9);
        // In years, to a 10-year cap: 287.5 / 365.25.
        let m = restricted_mean_years(&stays, 10.0).unwrap();
        assert!((m - 287.5 / 365.25).abs() < 1e-12);
        // All censored: the mean runs to the cap.
        let open = restricted_mean_years(&[(100, false)], 1.0).unwrap();
        assert!((open - 365.0 / 365.25).abs() < 1e-12);
        assert_eq!(restricted_mean_years(&[], 1.0), None);
    }

    #[test]
    fn avoided_placements_spread_over_their_stay() {
        // Every stay lasts exactly one year (365.25 days, all ended): S = 1 to 1 year.
        let steps = vec![(365, 0.0)];
        // 10 placements avoided in year 1 and 4 in year 2, each starting mid-year:
        // year 1 holds half of year-1 stays (5), year 2 the other half (5) plus half of
        // year-2 stays (2), year 3 the rest (2). (One day short of a year: 365 days.)
        let t = timed_placements(&[10.0, 4.0], &steps, 10.0);
        let half = 182.625 / 365.0;
        let want = [
            10.0 * half,
            10.0 * (1.0 - half) + 4.0 * half,
            4.0 * (1.0 - half),
        ];
        assert_eq!(t.len(), 3, "{t:?}");
        for (g, w) in t.iter().zip(want) {
            assert!((g - w).abs() < 1e-9, "{t:?}");
        }
        assert!((t.iter().sum::<f64>() - 14.0).abs() < 1e-9);
        // Without a stay curve the placements stay in their start years.
        assert_eq!(
            timed_placements(&[1.0, 2.0], &[(0, 0.0)], 10.0),
            vec![1.0, 2.0]
        );
    }
}
