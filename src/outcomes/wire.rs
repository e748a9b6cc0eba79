//! The serialised form of an [`OutcomePartial`], so that partitions computed by separate
//! processes or machines can be merged by a reducer.
//!
//! The state's maps have tuple keys, which JSON objects cannot hold, so each map is
//! written as a list of rows (a tuple per cell: key fields then values), sorted, so the
//! same state always gives the same bytes. Counts and sums are integers; the only floats
//! are the income units' incomes, written with serde_json's shortest round-trip formatting
//! (every finite `f64` reads back to the same bits) and `null` for a missing (NaN) income;
//! incomes are never infinite, since ingest rejects non-finite amounts.
//!
//! Reading checks what a corrupt but well-formed file could break later: every group,
//! domain and country code must index its vocabulary and the settings must pass
//! [`OutcomeOptions::check`], so [`OutcomePartial::finish`] never indexes out of range.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::stats::EventTable;

use super::options::OutcomeOptions;
use super::partial::{
    IncomeUnit, Map, OutcomePartial, Pattern, Sums, SurvivalUnit, Vocab, N_ARMS, OVERALL,
};
use super::record::YEARS;
use super::reintegration::ReintegrationWire;
use crate::settings::OutcomeSettings;

/// A covariate pattern: arm, country, risk, household, service model, score sum, score n.
type WirePattern = (u8, u32, u8, u8, u8, u32, u32);
/// Score sums: n, sum, sum of squares, up, same, down.
type WireSums = (u64, i64, i64, u64, u64, u64);
/// An event table: group, level, and per day (day, events, censored).
type WireTable = (u32, u8, Vec<(i32, u64, u64)>);
/// An income unit: family key, arm, groups, covariate pattern, incomes (`None` for
/// missing).
type WireUnit = (u64, u8, Vec<u32>, WirePattern, [Option<f64>; YEARS + 2]);

/// A family's survival unit: family key, cells, children's (day, is event).
type WireSurvivalUnit = (u64, Vec<u32>, Vec<(i32, bool)>);

/// The state as plain rows; see the module docs.
#[derive(Serialize, Deserialize)]
struct Wire {
    settings: OutcomeSettings,
    groups: Vec<String>,
    domains: Vec<String>,
    countries: Vec<String>,
    /// (arm, families).
    families: Vec<(u8, u64)>,
    children_programme: u64,
    /// (cell, year, due); a cell is group x arm + arm.
    due: Vec<(u32, u8, u64)>,
    /// (cell, year, deceased or moved abroad before the window).
    gone: Vec<(u32, u8, u64)>,
    /// (cell, domain, year, [observed, doing well]).
    followup: Vec<(u32, u32, u8, [u64; 2])>,
    /// (year, pattern, [due, observed]).
    ipw_fit: Vec<(u8, WirePattern, [u64; 2])>,
    /// (group, domain, year, pattern, [observed, doing well]).
    ipw_cells: Vec<(u32, u32, u8, WirePattern, [u64; 2])>,
    /// (year, pattern, [due with an intake income, income observed]).
    income_fit: Vec<(u8, WirePattern, [u64; 2])>,
    /// (group, domain, year, sums).
    change: Vec<(u32, u32, u8, WireSums)>,
    /// (group, domain, stage, sums).
    levels: Vec<(u32, u32, u8, WireSums)>,
    /// (group, level, [(day, events, censored)]).
    survival: Vec<WireTable>,
    /// (group, measure, [numerator, denominator]).
    during: Vec<(u32, u8, [u64; 2])>,
    /// (family key, arm, groups, incomes with `null` for missing).
    income: Vec<WireUnit>,
    /// Returns home and staying home per cell (`reintegration` module).
    reintegration: ReintegrationWire,
    /// (family key, cells, [(day, is event)]) of the families with children at risk.
    survival_units: Vec<WireSurvivalUnit>,
    notes: Vec<String>,
}

fn pattern_out(p: &Pattern) -> WirePattern {
    (
        p.arm,
        p.country,
        p.risk,
        p.household,
        p.service_model,
        p.score_sum,
        p.score_n,
    )
}

fn pattern_in(p: WirePattern) -> Pattern {
    Pattern {
        arm: p.0,
        country: p.1,
        risk: p.2,
        household: p.3,
        service_model: p.4,
        score_sum: p.5,
        score_n: p.6,
    }
}

fn sums_out(s: &Sums) -> WireSums {
    (s.n, s.sum, s.sum_sq, s.up, s.same, s.down)
}

fn sums_in(s: WireSums) -> Sums {
    Sums {
        n: s.0,
        sum: s.1,
        sum_sq: s.2,
        up: s.3,
        same: s.4,
        down: s.5,
    }
}

/// The rows of a map, sorted so equal states give equal files.
fn rows<K, V, R: Ord>(map: &Map<K, V>, row: impl Fn(&K, &V) -> R) -> Vec<R> {
    let mut out: Vec<R> = map.iter().map(|(k, v)| row(k, v)).collect();
    out.sort_unstable();
    out
}

impl From<&OutcomePartial> for Wire {
    fn from(p: &OutcomePartial) -> Self {
        let mut income: Vec<_> = p
            .income
            .iter()
            .map(|u| {
                (
                    u.key,
                    u.arm,
                    u.groups.clone(),
                    pattern_out(&u.pattern),
                    u.income.map(|v| (!v.is_nan()).then_some(v)),
                )
            })
            .collect();
        income.sort_unstable_by(|a, b| (a.0, a.1, &a.2, a.3).cmp(&(b.0, b.1, &b.2, b.3)));
        Wire {
            settings: p.settings.clone(),
            groups: p.groups.items.clone(),
            domains: p.domains.items.clone(),
            countries: p.countries.items.clone(),
            families: rows(&p.families, |&a, &n| (a, n)),
            children_programme: p.children_programme,
            due: rows(&p.due, |&(g, y), &n| (g, y, n)),
            gone: rows(&p.gone, |&(g, y), &n| (g, y, n)),
            followup: rows(&p.followup, |&(g, d, y), &v| (g, d, y, v)),
            ipw_fit: rows(&p.ipw_fit, |(y, pat), &v| (*y, pattern_out(pat), v)),
            ipw_cells: rows(&p.ipw_cells, |(g, d, y, pat), &v| {
                (*g, *d, *y, pattern_out(pat), v)
            }),
            income_fit: rows(&p.income_fit, |(y, pat), &v| (*y, pattern_out(pat), v)),
            change: rows(&p.change, |&(g, d, y), s| (g, d, y, sums_out(s))),
            levels: rows(&p.levels, |&(g, d, y), s| (g, d, y, sums_out(s))),
            survival: rows(&p.survival, |&(g, l), t| {
                let days = t.iter().map(|(d, c)| (d, c.events, c.censored)).collect();
                (g, l, days)
            }),
            during: rows(&p.during, |&(g, m), &v| (g, m, v)),
            income,
            reintegration: ReintegrationWire::from(&p.reintegration),
            survival_units: {
                let mut u: Vec<_> = p
                    .survival_units
                    .iter()
                    .map(|u| (u.key, u.cells.clone(), u.children.clone()))
                    .collect();
                u.sort_unstable();
                u
            },
            notes: p.notes.clone(),
        }
    }
}

/// Check that `code` indexes a vocabulary of `len` items (`overall` allowed for domains).
fn code(what: &str, code: u32, len: usize, overall: bool) -> Result<u32, String> {
    if (code as usize) < len || (overall && code == OVERALL) {
        Ok(code)
    } else {
        Err(format!(
            "{what} code {code} is outside its list of {len} labels"
        ))
    }
}

fn year(y: u8, stages: usize) -> Result<u8, String> {
    if (y as usize) < stages {
        Ok(y)
    } else {
        Err(format!("year or stage index {y} is out of range"))
    }
}

/// OutcomeSettings as read must be settings `check` could have produced.
fn checked(s: OutcomeSettings) -> Result<OutcomeSettings, String> {
    let min_cell = u32::try_from(s.min_cell).map_err(|_| "min_cell is out of range")?;
    let again = OutcomeOptions::new()
        .with_by(s.by.clone())
        .with_min_cell(min_cell)
        .with_bootstrap_reps(s.bootstrap_reps)
        .with_seed(s.seed)
        .with_well_threshold(s.well_threshold)
        .with_overall_min_domains(s.overall_min_domains)
        .check()
        .map_err(|e| format!("settings: {e}"))?;
    if again == s {
        Ok(s)
    } else {
        Err("settings: the --by columns are not in checked form".into())
    }
}

impl TryFrom<Wire> for OutcomePartial {
    type Error = String;

    fn try_from(w: Wire) -> Result<Self, String> {
        let (ng, nd, nc) = (w.groups.len(), w.domains.len(), w.countries.len());
        let g = |c| code("group", c, ng, false);
        let gc = |c| code("group", c, ng * N_ARMS as usize, false);
        let d = |c| code("domain", c, nd, true);
        let arm = |a: u8| {
            if u32::from(a) < N_ARMS {
                Ok(a)
            } else {
                Err(format!("arm code {a} is out of range"))
            }
        };
        let pat = |p: WirePattern| -> Result<Pattern, String> {
            arm(p.0)?;
            code("country", p.1, nc, false)?;
            Ok(pattern_in(p))
        };
        let y = |v| year(v, YEARS);
        // Stages of levels: intake, exit, years 1..=5; changes: exit, years 1..=5.
        let stage = |v| year(v, YEARS + 2);
        let mut survival = Map::default();
        for (gr, level, days) in w.survival {
            let mut t = EventTable::new();
            for (day, events, censored) in days {
                t.add_counts(day, events, censored);
            }
            survival.insert((gc(gr)?, level), t);
        }
        let mut income = Vec::with_capacity(w.income.len());
        for (key, a, groups, p, inc) in w.income {
            income.push(IncomeUnit {
                key,
                arm: arm(a)?,
                groups: groups.into_iter().map(g).collect::<Result<_, _>>()?,
                pattern: pat(p)?,
                income: inc.map(|v| v.unwrap_or(f64::NAN)),
            });
        }
        Ok(OutcomePartial {
            settings: checked(w.settings)?,
            groups: Vocab::from_items(w.groups),
            domains: Vocab::from_items(w.domains),
            countries: Vocab::from_items(w.countries),
            families: w.families.into_iter().collect(),
            children_programme: w.children_programme,
            due: collect(w.due, |(gr, yr, n)| Ok(((gc(gr)?, y(yr)?), n)))?,
            gone: collect(w.gone, |(gr, yr, n)| Ok(((gc(gr)?, y(yr)?), n)))?,
            followup: collect(w.followup, |(gr, dm, yr, v)| {
                Ok(((gc(gr)?, d(dm)?, y(yr)?), v))
            })?,
            ipw_fit: collect(w.ipw_fit, |(yr, p, v)| Ok(((y(yr)?, pat(p)?), v)))?,
            ipw_cells: collect(w.ipw_cells, |(gr, dm, yr, p, v)| {
                Ok(((gc(gr)?, d(dm)?, y(yr)?, pat(p)?), v))
            })?,
            income_fit: collect(w.income_fit, |(yr, p, v)| Ok(((y(yr)?, pat(p)?), v)))?,
            change: collect(w.change, |(gr, dm, yr, s)| {
                Ok(((gc(gr)?, d(dm)?, stage(yr)?), sums_in(s)))
            })?,
            levels: collect(w.levels, |(gr, dm, yr, s)| {
                Ok(((gc(gr)?, d(dm)?, stage(yr)?), sums_in(s)))
            })?,
            survival,
            during: collect(w.during, |(gr, m, v)| Ok(((gc(gr)?, m), v)))?,
            income,
            reintegration: w.reintegration.into_state(gc)?,
            survival_units: w
                .survival_units
                .into_iter()
                .map(|(key, cells, children)| {
                    Ok(SurvivalUnit {
                        key,
                        cells: cells.into_iter().map(gc).collect::<Result<_, String>>()?,
                        children,
                    })
                })
                .collect::<Result<_, String>>()?,
            notes: w.notes,
        })
    }
}

fn collect<R, K: std::hash::Hash + Eq, V>(
    rows: Vec<R>,
    f: impl Fn(R) -> Result<(K, V), String>,
) -> Result<Map<K, V>, String> {
    rows.into_iter().map(f).collect()
}

impl Serialize for OutcomePartial {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for OutcomePartial {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        OutcomePartial::try_from(Wire::deserialize(d)?).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_data::Builder;
    use super::super::{compute, partial};
    use super::*;
    use crate::dates::from_ymd;

    /// Equality that treats NaN incomes as equal (derived `==` never does) and ignores
    /// the order of income units (every use sorts them by key).
    fn same(a: &OutcomePartial, b: &OutcomePartial) -> bool {
        let units = |p: &OutcomePartial| {
            let mut u: Vec<_> = p
                .income
                .iter()
                .map(|u| {
                    let bits: Vec<Option<u64>> = u
                        .income
                        .iter()
                        .map(|v| (!v.is_nan()).then(|| v.to_bits()))
                        .collect();
                    (u.key, u.arm, u.groups.clone(), u.pattern, bits)
                })
                .collect();
            u.sort_unstable();
            u
        };
        let rest = |p: &OutcomePartial| OutcomePartial {
            income: Vec::new(),
            survival_units: Vec::new(),
            ..p.clone()
        };
        let kids = |p: &OutcomePartial| {
            let mut u = p.survival_units.clone();
            u.sort_by_key(|u| (u.key, u.cells.clone()));
            u
        };
        rest(a) == rest(b) && units(a) == units(b) && kids(a) == kids(b)
    }

    /// A state with every kind of cell: follow-up, survival, incomes with gaps.
    fn state() -> (crate::ingest::Dataset, OutcomeOptions, OutcomePartial) {
        let day = |y, m, d| from_ymd(y, m, d).unwrap();
        let e = day(2020, 3, 1);
        let mut b = Builder::new(day(2025, 12, 31));
        for i in 0..30u32 {
            let arm = u8::from(i % 3 == 0);
            let f = b.family(arm, i % 2, 0, e - 200, Some(e + i as i32));
            b.sitting(f, e - 200, 0, &[2; 8]);
            b.sitting(f, e + 365, 3, &[(i % 4 + 1) as u8; 8]);
            let c = b.child(f, false);
            if i % 5 == 0 {
                b.event(c, e + 400 + i as i32, 0);
            }
            // Awkward decimals (no short exact form) and a missing exit income.
            b.income(f, e - 190, 0, 100.0 / 3.0 + f64::from(i) * 0.1);
            if i % 4 != 0 {
                b.income(f, e + 10, 2, 1.0 / 7.0 + f64::from(i) * 1e-9);
            }
        }
        let ds = b.build();
        let o = OutcomeOptions::new()
            .with_bootstrap_reps(50)
            .with_seed(9)
            .with_by(vec!["country".into(), "arm".into()]);
        let mut p = partial(&ds, &o, 0..ds.families.len()).unwrap();
        p.note_missing_tables(&ds);
        (ds, o, p)
    }

    #[test]
    fn round_trip_is_exact_including_missing_incomes() {
        let (ds, o, p) = state();
        assert!(p.income.iter().any(|u| u.income.iter().any(|v| v.is_nan())));
        assert!(p
            .income
            .iter()
            .any(|u| u.income.iter().any(|v| !v.is_nan())));
        assert!(!p.survival.is_empty() && !p.ipw_cells.is_empty() && !p.change.is_empty());
        let text = serde_json::to_string(&p).unwrap();
        let back: OutcomePartial = serde_json::from_str(&text).unwrap();
        assert!(same(&p, &back));
        // Same state, same bytes; and the tables are those of one pass.
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
        assert_eq!(back.finish().unwrap(), compute(&ds, &o).unwrap());
    }

    #[test]
    fn floats_round_trip_bit_for_bit() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut values = vec![
            0.1,
            1.0 / 3.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            -0.0,
            1e300,
        ];
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x);
            if v.is_finite() {
                values.push(v);
            }
        }
        let text = serde_json::to_string(&values).unwrap();
        let back: Vec<f64> = serde_json::from_str(&text).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&values));
    }

    #[test]
    fn out_of_range_codes_and_settings_are_refused() {
        let (_, _, p) = state();
        let mut v: serde_json::Value = serde_json::to_value(&p).unwrap();
        v["due"][0][0] = 999.into();
        let e = serde_json::from_value::<OutcomePartial>(v).unwrap_err();
        assert!(e.to_string().contains("group code 999"), "{e}");
        let mut v: serde_json::Value = serde_json::to_value(&p).unwrap();
        v["settings"]["min_cell"] = 2.into();
        let e = serde_json::from_value::<OutcomePartial>(v).unwrap_err();
        assert!(e.to_string().contains("--min-cell 2"), "{e}");
    }
}
