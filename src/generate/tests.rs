//! End-to-end checks of the generator: calibration against the published targets,
//! determinism across thread counts, the `full_response` truth, schema conformance and
//! referential integrity of the written files.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::care;
use super::chunk;
use super::country::COUNTRIES;
use super::options::{GenerateOptions, Plan};
use super::response::{self, Covariates};
use super::rows::{code::*, Chunk};
use super::wellbeing::doing_well_overall;
use super::{calibration as cal, programme_costs};
use crate::dates::{Day, DAYS_PER_YEAR};

const CALIBRATION_FAMILIES: u64 = 3000;

fn simulate_all(plan: &Plan) -> Vec<Chunk> {
    (0..plan.chunks()).map(|c| chunk::simulate(plan, c)).collect()
}

fn plan(families: u64, seed: u64, full: bool) -> Plan {
    GenerateOptions::new(families, seed, "unused").with_full_response(full).check().unwrap()
}

/// Follow-up year of a sitting: the anniversary it is nearest to.
fn follow_up_year(exit: Day, date: Day) -> usize {
    ((date - exit) as f64 / DAYS_PER_YEAR).round() as usize
}

fn due(exit: Day, year: usize, cutoff: Day) -> bool {
    exit + (year as f64 * DAYS_PER_YEAR).round() as Day + 182 <= cutoff
}

struct Figures {
    self_reliant: f64,
    placed_during: f64,
    five_year_programme: f64,
    five_year_comparison: f64,
    doing_well_programme_1_3: f64,
    cost_per_family_year_eur: f64,
    response_low_medium: f64,
    response_high_acute: f64,
    observed_doing_well_1_3: f64,
    weighted_true_p_doing_well_1_3: f64,
}

fn figures(plan: &Plan, chunks: &[Chunk]) -> Figures {
    let cutoff = plan.data_cutoff;
    let mut sr = (0usize, 0usize);
    let mut during = (0usize, 0usize);
    let mut five = [(0usize, 0usize); 2];
    let mut well = (0usize, 0usize);
    let mut resp = [(0usize, 0usize); 2];
    let mut weighted = (0.0f64, 0.0f64);
    let mut service_eur = 0.0;
    let mut enrolment = BTreeMap::new();
    for c in chunks {
        let fam: HashMap<u64, usize> = c.families.iter().enumerate().map(|(i, f)| (f.number, i)).collect();
        for e in &c.enrolment {
            *enrolment.entry((e.programme, e.year)).or_insert(0u64) += e.days;
        }
        for s in &c.services {
            let f = &c.families[fam[&s.family]];
            let country = &COUNTRIES[f.country];
            let y = crate::dates::year_of(s.start);
            service_eur += s.cost / country.per_eur_in(y) * country.cpi_in(cal::PRICE_YEAR) / country.cpi_in(y);
        }
        for e in &c.episodes {
            let f = &c.families[fam[&e.family]];
            if f.arm == ARM_PROGRAMME {
                if let Some(v) = e.self_reliant {
                    sr.1 += 1;
                    sr.0 += v as usize;
                }
            }
        }
        let mut events_of: HashMap<usize, Vec<care::Event>> = HashMap::new();
        for ev in &c.care_events {
            events_of.entry(ev.child).or_default().push((ev.date, ev.event, ev.care_type));
        }
        for (i, child) in c.children.iter().enumerate() {
            let f = &c.families[fam[&child.family]];
            let e = &c.episodes[fam[&child.family]];
            let events = events_of.get(&i).cloned().unwrap_or_default();
            let end = e.exit.unwrap_or(cutoff);
            if f.arm == ARM_PROGRAMME {
                during.1 += 1;
                if events.iter().any(|(d, ev, _)| *ev == EVENT_PLACEMENT && *d >= e.intake && *d <= end) {
                    during.0 += 1;
                }
            }
            if let Some(x) = e.exit {
                let horizon = x + (5.0 * DAYS_PER_YEAR).round() as Day;
                let in_care_at_exit = events.iter().filter(|(d, _, _)| *d <= x).next_back().is_some_and(|(_, ev, _)| *ev != EVENT_RETURN_HOME);
                if horizon <= cutoff && !in_care_at_exit {
                    let arm = f.arm as usize;
                    five[arm].1 += 1;
                    if events.iter().any(|(d, ev, _)| *ev == EVENT_PLACEMENT && *d > x && *d <= horizon) {
                        five[arm].0 += 1;
                    }
                }
            }
        }
        let mut intake_mean: HashMap<u64, f64> = HashMap::new();
        for s in &c.sittings {
            if s.phase == PHASE_INTAKE {
                intake_mean.insert(s.family, s.scores.iter().map(|v| *v as f64).sum::<f64>() / 8.0);
            }
        }
        for (i, e) in c.episodes.iter().enumerate() {
            let f = &c.families[i];
            let Some(x) = e.exit else { continue };
            if f.arm != ARM_PROGRAMME {
                continue;
            }
            let followups: Vec<_> = c.sittings.iter().filter(|s| s.family == f.number && s.phase == PHASE_FOLLOW_UP).collect();
            let x_cov = Covariates {
                country: f.country,
                risk: f.risk,
                household: f.household,
                model: e.model,
                mean_intake_score: intake_mean[&f.number],
            };
            for year in 1..=3 {
                if !due(x, year, cutoff) {
                    continue;
                }
                let hit = followups.iter().find(|s| follow_up_year(x, s.date) == year);
                let group = usize::from(f.risk >= RISK_HIGH);
                resp[group].1 += 1;
                if let Some(s) = hit {
                    resp[group].0 += 1;
                    let ok = doing_well_overall(&s.scores);
                    well.1 += 1;
                    well.0 += ok as usize;
                    let w = 1.0 / response::probability(year, &x_cov);
                    weighted.1 += w;
                    weighted.0 += w * ok as u8 as f64;
                }
            }
        }
    }
    let programme_eur: f64 = programme_costs::rows(plan, &enrolment)
        .iter()
        .map(|r| {
            let country = COUNTRIES.iter().find(|c| c.currency == r.currency).unwrap();
            r.amount / country.per_eur_in(r.year) * country.cpi_in(cal::PRICE_YEAR) / country.cpi_in(r.year)
        })
        .sum();
    let family_years = enrolment.values().sum::<u64>() as f64 / DAYS_PER_YEAR;
    let share = |p: (usize, usize)| p.0 as f64 / p.1.max(1) as f64;
    Figures {
        self_reliant: share(sr),
        placed_during: share(during),
        five_year_programme: share(five[0]),
        five_year_comparison: share(five[1]),
        doing_well_programme_1_3: share(well),
        cost_per_family_year_eur: (service_eur + programme_eur) / family_years,
        response_low_medium: share(resp[0]),
        response_high_acute: share(resp[1]),
        observed_doing_well_1_3: share(well),
        weighted_true_p_doing_well_1_3: weighted.0 / weighted.1,
    }
}

#[test]
fn print_figures() {
    let p = plan(CALIBRATION_FAMILIES, std::env::var("SEED").map(|v| v.parse().unwrap()).unwrap_or(2024), false);
    let f = figures(&p, &simulate_all(&p));
    let pf = plan(CALIBRATION_FAMILIES, std::env::var("SEED").map(|v| v.parse().unwrap()).unwrap_or(2024), true);
    let t = figures(&pf, &simulate_all(&pf));
    eprintln!("self_reliant {:.3} during {:.4} five p {:.3} c {:.3} truth_well {:.3} cost {:.1} resp lm {:.3} ha {:.3} observed {:.3} weighted {:.3}",
        t.self_reliant, t.placed_during, t.five_year_programme, t.five_year_comparison, t.doing_well_programme_1_3, t.cost_per_family_year_eur,
        f.response_low_medium, f.response_high_acute, f.observed_doing_well_1_3, f.weighted_true_p_doing_well_1_3);
    let _ = HashSet::<u8>::new();
}

#[test]
fn print_service_costs() {
    let p = plan(CALIBRATION_FAMILIES, 2024, true);
    let chunks = simulate_all(&p);
    let mut by_type = [0.0f64; 17];
    let mut days = 0u64;
    for c in &chunks {
        for e in &c.enrolment { days += e.days; }
        for s in &c.services {
            let f = c.families.iter().find(|f| f.number == s.family).unwrap();
            let country = &COUNTRIES[f.country];
            let y = crate::dates::year_of(s.start);
            by_type[s.service_type as usize] += s.cost / country.per_eur_in(y) * country.cpi_in(cal::PRICE_YEAR) / country.cpi_in(y);
        }
    }
    let fy = days as f64 / DAYS_PER_YEAR;
    for (i, v) in by_type.iter().enumerate() { eprintln!("svc {} {:.1}", crate::schema::SERVICE_TYPES[i], v / fy); }
}
