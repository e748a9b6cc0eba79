//! The simulated families against the published targets: calibration, informative
//! non-response and the `full_response` truth (no files written).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::super::care;
use super::super::chunk;
use super::super::country::COUNTRIES;
use super::super::options::{GenerateOptions, Plan};
use super::super::response::{self, Covariates};
use super::super::rows::{code::*, Chunk};
use super::super::wellbeing::doing_well_overall;
use super::super::{calibration as cal, programme_costs};
use crate::dates::{self, Day, DAYS_PER_YEAR};

const CALIBRATION_FAMILIES: u64 = 3000;

fn simulate_all(plan: &Plan) -> Vec<Chunk> {
    (0..plan.chunks())
        .map(|c| chunk::simulate(plan, c))
        .collect()
}

fn plan(families: u64, seed: u64, full: bool) -> Plan {
    GenerateOptions::new(families, seed, "unused")
        .with_full_response(full)
        .check()
        .unwrap()
}

/// Follow-up year of a sitting: the anniversary it is nearest to.
pub(super) fn follow_up_year(exit: Day, date: Day) -> usize {
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
        let fam: HashMap<u64, usize> = c
            .families
            .iter()
            .enumerate()
            .map(|(i, f)| (f.number, i))
            .collect();
        for e in &c.enrolment {
            *enrolment.entry((e.programme, e.year)).or_insert(0u64) += e.days;
        }
        for s in &c.services {
            let f = &c.families[fam[&s.family]];
            let country = &COUNTRIES[f.country];
            let y = crate::dates::year_of(s.start);
            service_eur += s.cost / country.per_eur_in(y) * country.cpi_in(cal::PRICE_YEAR)
                / country.cpi_in(y);
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
            events_of
                .entry(ev.child)
                .or_default()
                .push((ev.date, ev.event, ev.care_type));
        }
        for (i, child) in c.children.iter().enumerate() {
            let f = &c.families[fam[&child.family]];
            let e = &c.episodes[fam[&child.family]];
            let events = events_of.get(&i).cloned().unwrap_or_default();
            let end = e.exit.unwrap_or(cutoff);
            if f.arm == ARM_PROGRAMME {
                during.1 += 1;
                if events
                    .iter()
                    .any(|(d, ev, _)| *ev == EVENT_PLACEMENT && *d >= e.intake && *d <= end)
                {
                    during.0 += 1;
                }
            }
            if let Some(x) = e.exit {
                let horizon = x + (5.0 * DAYS_PER_YEAR).round() as Day;
                let in_care_at_exit = events
                    .iter()
                    .rfind(|(d, _, _)| *d <= x)
                    .is_some_and(|(_, ev, _)| *ev != EVENT_RETURN_HOME);
                if horizon <= cutoff && !in_care_at_exit {
                    let arm = f.arm as usize;
                    five[arm].1 += 1;
                    if events
                        .iter()
                        .any(|(d, ev, _)| *ev == EVENT_PLACEMENT && *d > x && *d <= horizon)
                    {
                        five[arm].0 += 1;
                    }
                }
            }
        }
        let mut intake_mean: HashMap<u64, f64> = HashMap::new();
        for s in &c.sittings {
            if s.phase == PHASE_INTAKE {
                intake_mean.insert(
                    s.family,
                    s.scores.iter().map(|v| *v as f64).sum::<f64>() / 8.0,
                );
            }
        }
        for (i, e) in c.episodes.iter().enumerate() {
            let f = &c.families[i];
            let Some(x) = e.exit else { continue };
            if f.arm != ARM_PROGRAMME {
                continue;
            }
            let followups: Vec<_> = c
                .sittings
                .iter()
                .filter(|s| s.family == f.number && s.phase == PHASE_FOLLOW_UP)
                .collect();
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
            r.amount / country.per_eur_in(r.year) * country.cpi_in(cal::PRICE_YEAR)
                / country.cpi_in(r.year)
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

// ---- Calibration (in memory) -----------------------------------------------------------

#[test]
fn calibration_matches_the_published_targets() {
    let truth_plan = plan(CALIBRATION_FAMILIES, 2024, true);
    let t = figures(&truth_plan, &simulate_all(&truth_plan));
    // SOS Albania FSP: 91 % of exiting families self-reliant.
    assert!(
        (t.self_reliant - 0.90).abs() < 0.03,
        "self-reliant at exit {:.3}",
        t.self_reliant
    );
    // PDB2: 1 % of supported children lost family care (placed during the programme).
    assert!(
        (t.placed_during - 0.010).abs() < 0.005,
        "placed during programme {:.4}",
        t.placed_during
    );
    // 5-year cumulative placement after exit: ~3-4 % programme, ~10-15 % comparison.
    assert!(
        (0.02..=0.055).contains(&t.five_year_programme),
        "5-year programme {:.3}",
        t.five_year_programme
    );
    assert!(
        (0.08..=0.17).contains(&t.five_year_comparison),
        "5-year comparison {:.3}",
        t.five_year_comparison
    );
    assert!(t.five_year_comparison > 2.0 * t.five_year_programme);
    // SOS impact studies: ~80 % doing well in at least 6 of 8 domains (years 1-3, truth).
    assert!(
        (t.doing_well_programme_1_3 - 0.80).abs() < 0.04,
        "doing well {:.3}",
        t.doing_well_programme_1_3
    );
    // SOS Latvia: ~EUR 500 per family-year (services + programme costs, 2024 prices).
    assert!(
        (t.cost_per_family_year_eur - 500.0).abs() < 40.0,
        "cost {:.1}",
        t.cost_per_family_year_eur
    );
}

#[test]
fn non_response_is_informative_but_missing_at_random() {
    let observed_plan = plan(CALIBRATION_FAMILIES, 2024, false);
    let o = figures(&observed_plan, &simulate_all(&observed_plan));
    let truth_plan = plan(CALIBRATION_FAMILIES, 2024, true);
    let t = figures(&truth_plan, &simulate_all(&truth_plan));
    assert!(
        (t.response_low_medium - 1.0).abs() < 1e-12 && (t.response_high_acute - 1.0).abs() < 1e-12
    );
    assert!(
        o.response_high_acute < o.response_low_medium - 0.1,
        "{:.3} vs {:.3}",
        o.response_high_acute,
        o.response_low_medium
    );
    assert!((0.6..0.95).contains(&o.response_low_medium));
    // Respondents do better than everyone: the unweighted share is biased upward...
    assert!(
        o.observed_doing_well_1_3 > t.doing_well_programme_1_3 + 0.02,
        "{:.3} vs {:.3}",
        o.observed_doing_well_1_3,
        t.doing_well_programme_1_3
    );
    // ...and weighting by the true response probabilities (intake covariates only) removes
    // the bias, so the lead's fitted weights have a correct model to find.
    assert!(
        (o.weighted_true_p_doing_well_1_3 - t.doing_well_programme_1_3).abs() < 0.02,
        "{:.3} vs {:.3}",
        o.weighted_true_p_doing_well_1_3,
        t.doing_well_programme_1_3
    );
}

#[test]
fn full_response_keeps_every_family_and_score() {
    let a = simulate_all(&plan(1100, 77, false));
    let b = simulate_all(&plan(1100, 77, true));
    let cutoff = dates::from_ymd(2025, 12, 31).unwrap();
    let mut followups_full = 0;
    let mut followups_default = 0;
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.families, y.families);
        assert_eq!(x.children, y.children);
        assert_eq!(x.episodes, y.episodes);
        assert_eq!(x.services, y.services);
        let key = |s: &super::super::rows::Sitting| (s.family, s.date, s.phase);
        let full: HashMap<_, _> = y.sittings.iter().map(|s| (key(s), s.scores)).collect();
        for s in &x.sittings {
            assert_eq!(
                full.get(&key(s)),
                Some(&s.scores),
                "sitting {:?} differs",
                key(s)
            );
        }
        let non_followup = |c: &Chunk| {
            c.sittings
                .iter()
                .filter(|s| s.phase != PHASE_FOLLOW_UP)
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(non_followup(x), non_followup(y));
        // Every follow-up falling before the cutoff is observed in the full run.
        for e in &y.episodes {
            let Some(exit) = e.exit else { continue };
            let sat: Vec<_> = y
                .sittings
                .iter()
                .filter(|s| s.family == e.family && s.phase == PHASE_FOLLOW_UP)
                .collect();
            assert!(sat.iter().all(|s| s.date <= cutoff));
            let expected = (1..=5)
                .filter(|k| exit + (*k as f64 * DAYS_PER_YEAR).round() as Day + 182 <= cutoff)
                .count();
            assert!(
                sat.len() >= expected,
                "family {} has {} of {} due follow-ups",
                e.family,
                sat.len(),
                expected
            );
        }
        followups_full += y
            .sittings
            .iter()
            .filter(|s| s.phase == PHASE_FOLLOW_UP)
            .count();
        followups_default += x
            .sittings
            .iter()
            .filter(|s| s.phase == PHASE_FOLLOW_UP)
            .count();
        let events: HashSet<_> = y
            .care_events
            .iter()
            .map(|e| (e.child, e.date, e.event))
            .collect();
        assert!(x
            .care_events
            .iter()
            .all(|e| events.contains(&(e.child, e.date, e.event))));
        assert!(y.contacts.iter().all(|c| c.result == CONTACT_ASSESSED));
    }
    assert!(
        followups_default < followups_full * 9 / 10,
        "{followups_default} vs {followups_full}"
    );
}
