//! Plausibility of amounts in real terms (docs/data.md, "Plausibility bounds").
//!
//! Validation accepts any finite, non-negative amount, so `monthly_income = 1e308` is
//! read. Once every amount is in the reporting currency at `price_year` prices (income
//! × 12, per year), an amount that is not finite (the conversion overflowed) or above
//! [`MAX_REAL_AMOUNT`] sets its row aside as `implausible_amount`: such a figure would
//! overflow the sums, variances and present values built on it. An amount within the
//! bound but more than [`EXTREME_FACTOR`] times the median of its table and country is a
//! warning (`extreme_amount`): possibly a typo (cents for euros, a missing decimal
//! point), possibly true; it is kept. Rates and indices are bounded when read
//! ([`RATE_RANGE`], in `reference.rs`).

use std::collections::HashMap;

use super::problem::{Problem, Problems, Rule, Severity};
use super::rows::shorten;
use super::tables::{CareCost, Episodes, Families, Income, ProgrammeCosts, Services};
use super::Columns;

/// The largest amount of one row in real terms (reporting currency at `price_year`
/// prices; income per year). Far above any real case (10^12 is a trillion euros, or a
/// few hundred million in the weakest currencies in use), far below where sums over
/// millions of rows and their squares could overflow.
pub const MAX_REAL_AMOUNT: f64 = 1e12;

/// Exchange rates (units per reporting unit) and price indices must lie in this range;
/// outside it they set their row aside as `implausible_amount` (a rate of 1e-300 would
/// turn any amount into infinity).
pub const RATE_RANGE: (f64, f64) = (1e-6, 1e9);

/// An amount above this many times the median of its table and country is a warning.
pub const EXTREME_FACTOR: f64 = 50.0;

/// The median is only trusted with at least this many positive amounts in a country.
pub const EXTREME_MIN_ROWS: usize = 5;

/// One table's amounts to check: its name and column, the per-row real amount (already
/// scaled, e.g. income × 12), the row's country and the id shown in messages.
struct Amounts<'a> {
    table: &'static str,
    column: &'static str,
    what: &'static str,
    values: Vec<f64>,
    country: Vec<&'a str>,
    id: Box<dyn Fn(usize) -> String + 'a>,
}

/// Check `a`: the rows to keep, with problems pushed to `problems`.
fn check(a: &Amounts, currency: &str, problems: &mut Problems) -> Vec<bool> {
    let mut keep = vec![true; a.values.len()];
    for (i, &v) in a.values.iter().enumerate() {
        if !(v.is_finite() && v <= MAX_REAL_AMOUNT) {
            keep[i] = false;
            problems.push(
                Problem::new(
                    Severity::SetAside,
                    Rule::ImplausibleAmount,
                    a.table,
                    format!(
                        "{} of {v:.3e} {currency} in real terms is beyond the plausibility bound of {MAX_REAL_AMOUNT:e}",
                        a.what
                    ),
                    "check the amount, its currency and the exchange rate and price index of its year (a misplaced decimal point or a wrong unit)",
                )
                .column(a.column)
                .id(shorten(&(a.id)(i))),
            );
        }
    }
    // Medians per country over the kept positive amounts.
    let mut by_country: HashMap<&str, Vec<f64>> = HashMap::new();
    for (i, &v) in a.values.iter().enumerate() {
        if keep[i] && v > 0.0 {
            by_country.entry(a.country[i]).or_default().push(v);
        }
    }
    let medians: HashMap<&str, f64> = by_country
        .into_iter()
        .filter(|(_, v)| v.len() >= EXTREME_MIN_ROWS)
        .map(|(c, mut v)| {
            v.sort_by(f64::total_cmp);
            let n = v.len();
            let m = if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / 2.0
            };
            (c, m)
        })
        .collect();
    for (i, &v) in a.values.iter().enumerate() {
        let Some(&m) = medians.get(a.country[i]) else {
            continue;
        };
        if keep[i] && v > EXTREME_FACTOR * m {
            problems.push(
                Problem::new(
                    Severity::Warning,
                    Rule::ExtremeAmount,
                    a.table,
                    format!(
                        "{} of {v:.0} {currency} in real terms is more than {EXTREME_FACTOR} times the median in {} ({m:.0}); it is kept",
                        a.what, a.country[i]
                    ),
                    "check it is not a typo (cents for units, a missing decimal point)",
                )
                .column(a.column)
                .id(shorten(&(a.id)(i))),
            );
        }
    }
    keep
}

fn retain_vec<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut k = keep.iter();
    v.retain(|_| k.next().copied().unwrap_or(false));
}

/// Check every amount in real terms; rows beyond the bound are removed from their table.
/// Returns the rows set aside per table.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_amounts(
    families: &Families,
    episodes: &Episodes,
    services: &mut Services,
    costs: &mut ProgrammeCosts,
    income: &mut Income,
    care_costs: &mut Vec<CareCost>,
    currency: &str,
    problems: &mut Problems,
) -> Vec<(&'static str, u64)> {
    let country_of = |f: u32| families.countries[families.country[f as usize] as usize].as_str();
    let mut prog_country: Vec<&str> = vec![""; families.programmes.len()];
    for f in (0..families.len()).rev() {
        prog_country[families.programme[f] as usize] = country_of(f as u32);
    }
    let mut aside = Vec::new();
    let mut count = |table: &'static str, keep: &[bool]| {
        let n = keep.iter().filter(|k| !**k).count() as u64;
        if n > 0 {
            aside.push((table, n));
        }
        n > 0
    };

    let a = Amounts {
        table: "services",
        column: "cost",
        what: "a service cost",
        values: services.cost_real.clone(),
        country: (0..services.len())
            .map(|i| country_of(episodes.family[services.episode[i] as usize]))
            .collect(),
        id: Box::new(|i| episodes.ids.get(services.episode[i] as usize).to_string()),
    };
    let keep = check(&a, currency, problems);
    drop(a);
    if count("services", &keep) {
        Columns::retain(services, &keep);
        retain_vec(&mut services.cost_real, &keep);
    }

    let a = Amounts {
        table: "programme_costs",
        column: "amount",
        what: "a programme cost",
        values: costs.amount_real.clone(),
        country: costs
            .programme
            .iter()
            .map(|&p| prog_country[p as usize])
            .collect(),
        id: Box::new(|i| families.programmes[costs.programme[i] as usize].clone()),
    };
    let keep = check(&a, currency, problems);
    drop(a);
    if count("programme_costs", &keep) {
        Columns::retain(costs, &keep);
        retain_vec(&mut costs.amount_real, &keep);
    }

    let a = Amounts {
        table: "income",
        column: "monthly_income",
        what: "an annual income (monthly × 12)",
        values: income.monthly_real.iter().map(|m| m * 12.0).collect(),
        country: income.family.iter().map(|&f| country_of(f)).collect(),
        id: Box::new(|i| families.ids.get(income.family[i] as usize).to_string()),
    };
    let keep = check(&a, currency, problems);
    drop(a);
    if count("income", &keep) {
        Columns::retain(income, &keep);
        retain_vec(&mut income.monthly_real, &keep);
    }

    let a = Amounts {
        table: "care_costs",
        column: "cost_per_child_year",
        what: "a cost per child-year",
        values: care_costs.iter().map(|c| c.cost_real).collect(),
        country: care_costs.iter().map(|c| c.country.as_str()).collect(),
        id: Box::new(|i| format!("{} {}", care_costs[i].country, care_costs[i].year)),
    };
    let keep = check(&a, currency, problems);
    drop(a);
    if count("care_costs", &keep) {
        retain_vec(care_costs, &keep);
    }
    aside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_the_bound_is_set_aside_and_extreme_is_a_warning() {
        let a = Amounts {
            table: "income",
            column: "monthly_income",
            what: "an annual income (monthly × 12)",
            values: vec![
                1000.0,
                1200.0,
                900.0,
                1100.0,
                1000.0,
                60_000.0,
                f64::INFINITY,
                f64::NAN,
                2e12,
            ],
            country: vec!["AL"; 9],
            id: Box::new(|i| format!("F{i}")),
        };
        let mut p = Problems::default();
        let keep = check(&a, "EUR", &mut p);
        assert_eq!(
            keep,
            [true, true, true, true, true, true, false, false, false]
        );
        let msgs: Vec<String> = p.detailed().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            msgs[0],
            "set aside [implausible_amount] income column monthly_income (id F6): an annual income (monthly × 12) of inf EUR in real terms is beyond the plausibility bound of 1e12 Fix: check the amount, its currency and the exchange rate and price index of its year (a misplaced decimal point or a wrong unit)"
        );
        assert_eq!(
            msgs[3],
            "warning [extreme_amount] income column monthly_income (id F5): an annual income (monthly × 12) of 60000 EUR in real terms is more than 50 times the median in AL (1050); it is kept Fix: check it is not a typo (cents for units, a missing decimal point)"
        );
        assert_eq!(msgs.len(), 4);
    }
}
