//! One simulated household, from referral to its last follow-up contact.
//!
//! The family's latent characteristics (country, arm, household type, risk, children,
//! service model, dates) and everything that follows from them (scores, placements,
//! income, services) are drawn from the chunk's `Generate` stream; only the follow-up
//! contacts are drawn from the `GenerateResponse` stream. The number of values taken
//! from the `Generate` stream never depends on a response draw, so a `full_response` run
//! produces the very same families, dates and scores.

use rand::Rng;

use super::calibration as cal;
use super::care::{self, ChildCare};
use super::draw;
use super::income::{self, IncomePath};
use super::options::{Comparison, Plan};
use super::response::{self, Covariates};
use super::rows::{
    code::*, CareEventRow, ChildRow, Chunk, ContactRow, EnrolmentDays, EpisodeRow, FamilyRow,
    IncomeRow, Sitting,
};
use super::selection::{self, Intake};
use super::services::{self, Enrolment};
use super::wellbeing::{self, Profile};
use crate::dates::{self, Day, DAYS_PER_YEAR};

/// Half-width of a follow-up window in days (docs/method.md section 2).
pub const WINDOW_HALF_WIDTH: Day = 182;

/// Uniform index below `n`.
fn index<R: Rng + ?Sized>(rng: &mut R, n: usize) -> usize {
    ((draw::uniform(rng, 0.0, 1.0) * n as f64) as usize).min(n.saturating_sub(1))
}

fn years(y: f64) -> Day {
    (y * DAYS_PER_YEAR).round() as Day
}

/// A follow-up sitting as the latent model has it, before anyone tries to reach the family.
struct DueSitting {
    year: usize,
    anniversary: Day,
    date: Day,
    scores: [u8; 8],
    income: Option<f64>,
}

/// Simulate family `number` (1-based) and append its rows to `out`.
pub fn simulate<G: Rng + ?Sized, S: Rng + ?Sized>(
    plan: &Plan,
    number: u64,
    g: &mut G,
    r: &mut S,
    out: &mut Chunk,
) {
    let cutoff = plan.data_cutoff;

    // Who the family is. The arm's uniform draw is taken here in either mode (where the
    // random mode has always taken it) and compared with the membership probability once
    // the covariates that probability may depend on are drawn.
    let (country_index, country) = plan.countries[index(g, plan.countries.len())];
    let programme = country.programmes[index(g, country.programmes.len())];
    let arm_draw = draw::uniform(g, 0.0, 1.0);
    let household = draw::categorical(g, &cal::HOUSEHOLD_WEIGHTS) as u8;
    let risk = draw::categorical(g, &cal::RISK_WEIGHTS) as u8;
    let referral = draw::categorical(g, &cal::REFERRAL_WEIGHTS) as u8;
    let minority = flag(g, country.minority_share);
    let disability = flag(g, cal::DISABILITY_SHARE);
    let mut children_count = 1 + draw::categorical(g, &cal::CHILDREN_WEIGHTS) as i32;
    if household == HOUSEHOLD_CHILD_HEADED {
        children_count = children_count.max(2);
    }
    let intake_covariates = Intake {
        risk,
        household,
        minority,
        disability,
        children_count,
    };
    let programme_arm =
        arm_draw < selection::programme_probability(plan.comparison, &intake_covariates);
    let disability_model = disability == Some(true) && draw::chance(g, cal::DISABILITY_MODEL_SHARE);
    let weights = if risk >= RISK_HIGH {
        &cal::MODEL_WEIGHTS_HIGHER_RISK
    } else {
        &cal::MODEL_WEIGHTS_LOWER_RISK
    };
    let drawn_model = draw::categorical(g, weights) as u8;
    let model = if disability_model {
        MODEL_DISABILITY_SUPPORT
    } else {
        drawn_model
    };
    let tertiary_model = matches!(
        model,
        MODEL_SHELTER | MODEL_MOTHER_BABY_UNIT | MODEL_REINTEGRATION
    );
    let prevention = if tertiary_model || risk == RISK_ACUTE {
        PREVENTION_TERTIARY
    } else {
        PREVENTION_SECONDARY
    };

    // When the episode runs.
    let intake = plan.intake_first
        + index(
            g,
            (plan.intake_last - plan.intake_first + 1).max(1) as usize,
        ) as Day;
    let (lo, hi) = cal::DURATION_YEARS[model as usize];
    let planned = years(draw::uniform(g, lo, hi)).max(30);
    // With confounded arms, comparison families' follow-up starts as the programme's
    // does, early exits included: the arms then differ only in their intake covariates
    // (the assumption the adjustment rests on), not in how long an episode runs before
    // follow-up starts (which would shift the income trend and the placement risk
    // before exit).
    let confounded = plan.comparison == Comparison::Confounded;
    let early = (programme_arm || confounded) && draw::chance(g, cal::EARLY_EXIT_SHARE);
    let early_reason = [EXIT_MOVED_AWAY, EXIT_DECLINED, EXIT_TRANSFERRED, EXIT_OTHER]
        [draw::categorical(g, &cal::EARLY_EXIT_WEIGHTS)];
    let early_fraction = draw::uniform(g, 0.2, 0.8);
    let other_exit = draw::chance(g, cal::OTHER_EXIT_SHARE);
    let (mut end, mut reason) = if early {
        (
            intake + (planned as f64 * early_fraction).round() as Day,
            early_reason,
        )
    } else {
        (
            intake + planned,
            if other_exit {
                EXIT_OTHER
            } else {
                EXIT_GOALS_ACHIEVED
            },
        )
    };

    // Latent well-being and placement hazards.
    let profile = Profile {
        risk,
        household,
        minority: minority == Some(true),
        disability: disability == Some(true),
        programme_arm,
    };
    let mut path = wellbeing::draw_path(g, &profile);
    let (mut hazard_during, hazard_after) = care::hazards(programme_arm, risk, path.intake_level);
    if confounded && !programme_arm {
        // The same placement risk before exit in both arms: the children still at home at
        // exit are then alike in both arms given the intake covariates (no arm selects
        // its survivors harder), and the comparison arm's placements after exit are the
        // programme children's without the programme, which truth.json states.
        hazard_during = care::hazards(true, risk, path.intake_level).0;
    }
    let reintegration_success = if programme_arm {
        cal::REINTEGRATION_SUCCESS
    } else {
        cal::REINTEGRATION_SUCCESS_COMPARISON
    };

    // Children and their care histories, simulated with the episode's end as it stands
    // now (a placement may yet shorten it below).
    let care_end = end;
    let first_child = out.children.len();
    let mut histories = Vec::with_capacity(children_count as usize);
    for k in 0..children_count {
        let in_care = model == MODEL_REINTEGRATION
            && (draw::chance(g, cal::REINTEGRATION_CHILD_SHARE) || k == 0);
        let mut age = if model == MODEL_MOTHER_BABY_UNIT && k == 0 {
            draw::uniform(g, 0.0, 1.0)
        } else {
            draw::uniform(g, 0.0, 17.5)
        };
        if in_care {
            age = age.max(1.0);
        }
        let birth = intake - years(age);
        let sex = draw::categorical(g, &[0.49, 0.50, 0.01]) as u8;
        let child_disability_share = if k == 0 { 0.6 } else { 0.1 };
        let child_disability = match disability {
            None => None,
            Some(true) => Some(draw::chance(g, child_disability_share)),
            Some(false) => Some(draw::chance(g, 0.02)),
        };
        let events = care::simulate(
            g,
            &ChildCare {
                birth,
                in_care_at_intake: in_care,
                intake,
                end,
                hazard_during,
                hazard_after,
                reintegration_success,
                cutoff,
            },
        );
        out.children.push(ChildRow {
            family: number,
            birth,
            sex,
            disability: child_disability,
            in_care_at_intake: in_care,
        });
        histories.push(events);
    }

    // A placement during the programme often closes the episode. The siblings' histories
    // above used the planned end, so they keep the in-programme hazard for the few weeks
    // the episode is shortened by (a small approximation, noted in data/README.md).
    let closes = draw::chance(g, cal::CHILD_PLACED_CLOSES_EPISODE);
    let lag = draw::uniform(g, 14.0, 60.0).round() as Day;
    let first_placement = histories
        .iter()
        .flatten()
        .filter(|(d, e, _)| *e == EVENT_PLACEMENT && *d > intake && *d < end)
        .map(|(d, _, _)| *d)
        .min();
    if let Some(placed) = first_placement {
        if programme_arm && closes && placed + lag < end {
            end = placed + lag;
            reason = EXIT_CHILD_PLACED;
        }
    }
    // A shortened episode delivers a proportional share of the gain.
    let completed = ((end - intake) as f64 / planned as f64).min(1.0);
    path.gain *= completed;
    let exit = (end <= cutoff).then_some(end);

    let grant = programme_arm && draw::chance(g, cal::GRANT_SHARE[model as usize]);
    let income_path = IncomePath {
        growth: income::growth(plan.comparison, risk),
        ..income::draw_path(
            g,
            country,
            household,
            risk,
            path.intake_level,
            programme_arm,
            grant,
        )
    };
    let record_income = |g: &mut G, day: Day, phase: u8, incomes: &mut Vec<IncomeRow>| {
        let recorded = draw::chance(g, cal::INCOME_RECORDED_SHARE);
        let amount = income_path.observe(g, country, day, intake, end);
        if recorded {
            incomes.push(IncomeRow {
                family: number,
                date: day,
                phase,
                monthly_income: amount,
                currency: country.currency,
            });
        }
    };

    // Sittings during the episode.
    let intake_scores = path.scores(g, path.level(intake, intake, end));
    let mean_intake_score = intake_scores.iter().map(|s| *s as f64).sum::<f64>() / 8.0;
    out.sittings.push(Sitting {
        family: number,
        date: intake,
        phase: PHASE_INTAKE,
        scores: intake_scores,
    });
    if plan.pre_intake_incomes() {
        // Always recorded: an agency asks for the recent income history at referral.
        let spread = cal::PRE_INTAKE_SPREAD_DAYS;
        for y in cal::PRE_INTAKE_YEARS {
            let day = intake - years(y) + draw::uniform(g, -spread, spread).round() as Day;
            out.incomes.push(IncomeRow {
                family: number,
                date: day,
                phase: PHASE_PRE_INTAKE,
                monthly_income: income_path.observe(g, country, day, intake, end),
                currency: country.currency,
            });
        }
    }
    record_income(g, intake, PHASE_INTAKE, &mut out.incomes);
    if programme_arm {
        let mut y = 1.0;
        loop {
            let day = intake + years(y);
            if day >= end - 60 || day > cutoff {
                break;
            }
            if draw::chance(g, cal::REVIEW_SHARE) {
                let scores = path.scores(g, path.level(day, intake, end));
                out.sittings.push(Sitting {
                    family: number,
                    date: day,
                    phase: PHASE_REVIEW,
                    scores,
                });
                record_income(g, day, PHASE_REVIEW, &mut out.incomes);
            }
            y += 1.0;
        }
    }
    let mut self_reliant = None;
    if let Some(x) = exit {
        let dropped_out = matches!(reason, EXIT_MOVED_AWAY | EXIT_DECLINED);
        let sat =
            !programme_arm || !dropped_out || draw::chance(g, cal::EXIT_SITTING_AFTER_DROPOUT);
        if sat {
            let scores = path.scores(g, path.level(x, intake, end));
            out.sittings.push(Sitting {
                family: number,
                date: x,
                phase: PHASE_EXIT,
                scores,
            });
            record_income(g, x, PHASE_EXIT, &mut out.incomes);
        }
        if programme_arm {
            let p = draw::logistic(
                cal::SELF_RELIANT_A + cal::SELF_RELIANT_B * (path.level(x, intake, end) - 3.0),
            );
            let judged = draw::chance(g, p);
            self_reliant = match reason {
                EXIT_CHILD_PLACED => Some(false),
                EXIT_MOVED_AWAY | EXIT_DECLINED | EXIT_TRANSFERRED => None,
                _ => Some(judged),
            };
        }
    }

    // Follow-up sittings as they would be if everyone were reached.
    let mut due = Vec::new();
    if let Some(x) = exit {
        for year in 1..=5usize {
            let anniversary = x + years(year as f64);
            let offset = draw::normal(g, 0.0, cal::FOLLOWUP_SPREAD_DAYS)
                .round()
                .clamp(
                    -cal::FOLLOWUP_MAX_OFFSET_DAYS,
                    cal::FOLLOWUP_MAX_OFFSET_DAYS,
                ) as Day;
            let date = anniversary + offset;
            let scores = path.scores(g, path.level(date, intake, end));
            let recorded = draw::chance(g, cal::INCOME_RECORDED_SHARE);
            let amount = income_path.observe(g, country, date, intake, end);
            due.push(DueSitting {
                year,
                anniversary,
                date,
                scores,
                income: recorded.then_some(amount),
            });
        }
    }

    // Services and enrolment of programme families.
    if programme_arm {
        let last = exit.unwrap_or(cutoff);
        let enrolment = Enrolment {
            family: number,
            model,
            risk,
            grant,
            intake,
            last,
        };
        services::draw_services(g, &enrolment, country, &mut out.services);
        let programme_index = plan.programme_index(programme);
        for (year, start, stop) in services::year_segments(intake, last) {
            out.enrolment.push(EnrolmentDays {
                programme: programme_index,
                year,
                days: (stop - start + 1) as u64,
            });
        }
    }

    // Reaching the family after exit (response stream only).
    let covariates = Covariates {
        country: country_index,
        risk,
        household,
        model,
        mean_intake_score,
    };
    let censored = follow_up(plan, number, country.currency, r, &covariates, &due, out);

    // The family's true effects (closed form, no draws): for a programme family with an
    // exit, its income with and without the programme, and for each child living at home
    // and under 18 at exit, the placement hazards with and without it.
    out.truth.add_family(programme_arm);
    if let (true, Some(x)) = (programme_arm, exit) {
        out.truth.add_income(&income_path, intake, end, x, cutoff);
        let (_, untreated) = care::hazards(false, risk, path.intake_level);
        for (child, events) in out.children[first_child..].iter().zip(&histories) {
            if !care::in_care_on(events, x) && dates::birthday(child.birth, 18) > x {
                out.truth
                    .add_child(x, care_end, hazard_during, hazard_after, untreated);
            }
        }
    }

    // Care events, up to a censoring contact.
    for (i, events) in histories.into_iter().enumerate() {
        for (date, event, care_type) in events {
            if censored.is_some_and(|c| date > c) {
                break;
            }
            out.care_events.push(CareEventRow {
                child: first_child + i,
                date,
                event,
                care_type,
            });
        }
    }

    out.families.push(FamilyRow {
        number,
        programme,
        country: country_index,
        arm: if programme_arm {
            ARM_PROGRAMME
        } else {
            ARM_COMPARISON
        },
        household,
        children_count,
        risk,
        referral,
        minority,
        disability,
    });
    out.episodes.push(EpisodeRow {
        family: number,
        model,
        prevention,
        intake,
        exit,
        exit_reason: if programme_arm && exit.is_some() {
            Some(reason)
        } else {
            None
        },
        self_reliant,
    });
}

/// A nullable flag: missing with `FLAG_MISSING_SHARE`, else true with probability `p`.
fn flag<R: Rng + ?Sized>(rng: &mut R, p: f64) -> Option<bool> {
    let missing = draw::chance(rng, cal::FLAG_MISSING_SHARE);
    let value = draw::chance(rng, p);
    (!missing).then_some(value)
}

/// Attempt each follow-up that falls before the cutoff; returns the censoring date when
/// the family moved abroad or died.
fn follow_up<S: Rng + ?Sized>(
    plan: &Plan,
    family: u64,
    currency: &'static str,
    r: &mut S,
    x: &Covariates,
    due: &[DueSitting],
    out: &mut Chunk,
) -> Option<Day> {
    let cutoff = plan.data_cutoff;
    for s in due {
        if s.date > cutoff {
            break;
        }
        let window = (
            s.anniversary - WINDOW_HALF_WIDTH,
            s.anniversary + WINDOW_HALF_WIDTH,
        );
        let contact = |date: Day, result: u8| ContactRow {
            family,
            date,
            result,
        };
        if !plan.full_response {
            let u = draw::uniform(r, 0.0, 1.0);
            if u < cal::MOVED_ABROAD_SHARE {
                out.contacts.push(contact(s.date, CONTACT_MOVED_ABROAD));
                return Some(s.date);
            }
            if u < cal::MOVED_ABROAD_SHARE + cal::DECEASED_SHARE {
                out.contacts.push(contact(s.date, CONTACT_DECEASED));
                return Some(s.date);
            }
        }
        let observed = plan.full_response || draw::chance(r, response::probability(s.year, x));
        if observed {
            if !plan.full_response && draw::chance(r, cal::EXTRA_ATTEMPT_SHARE) {
                let earlier = s.date - draw::uniform(r, 14.0, 45.0).round() as Day;
                if earlier >= window.0 {
                    out.contacts.push(contact(earlier, CONTACT_NOT_REACHED));
                }
            }
            out.contacts.push(contact(s.date, CONTACT_ASSESSED));
            out.sittings.push(Sitting {
                family,
                date: s.date,
                phase: PHASE_FOLLOW_UP,
                scores: s.scores,
            });
            if let Some(amount) = s.income {
                out.incomes.push(IncomeRow {
                    family,
                    date: s.date,
                    phase: PHASE_FOLLOW_UP,
                    monthly_income: amount,
                    currency,
                });
            }
        } else {
            let result = if draw::chance(r, cal::REFUSED_SHARE) {
                CONTACT_REFUSED
            } else {
                CONTACT_NOT_REACHED
            };
            out.contacts.push(contact(s.date, result));
            if result == CONTACT_NOT_REACHED && draw::chance(r, cal::EXTRA_ATTEMPT_SHARE) {
                let later = s.date + draw::uniform(r, 14.0, 45.0).round() as Day;
                if later <= window.1 && later <= cutoff {
                    out.contacts.push(contact(later, CONTACT_NOT_REACHED));
                }
            }
        }
    }
    None
}
