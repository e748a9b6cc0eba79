//! One family's history reduced to what the outcome tables need.
//!
//! The whole analysis is one pass over families: [`Context::record`] reads a family's rows
//! (through the [`RowIndex`]es, never by searching a table) and returns a
//! [`FamilyRecord`]: its index episode, the assessment sittings that count at intake, exit
//! and each follow-up year, its incomes at the same points, and the survival time of the
//! family and of each child. The rules of docs/method.md sections 1-4 live here:
//!
//! - the index episode is the family's first episode (by intake date) with an exit date;
//!   day 0 is its exit;
//! - the anniversary of follow-up year k is `exit + round(k x 365.25)` days
//!   ([`crate::dates::add_years`]: 365, 731, 1096, 1461, 1826); its window is the
//!   anniversary +- 182 days, and the family is due when the window ends on or before
//!   `data_cutoff`;
//! - a sitting is all assessment rows of a family on one date that are not `intake`
//!   (intake rows form their own sitting); in a window the sitting closest to the
//!   anniversary counts, the earlier one on a tie. The intake sitting is the `intake`
//!   sitting closest to the index intake date, the exit sitting the `exit` sitting closest
//!   to the exit date;
//! - a child in alternative care on the exit date (placed before exit and not returned) is
//!   not at risk after exit; children whose care history was set aside are left out of
//!   survival, and a family with such a child is left out of family-level survival; a
//!   placement on the exit date itself is a placement during the programme.

use crate::dates::{add_years, birthday, Day};
use crate::ingest::Dataset;
use crate::schema;

use super::groups::Breakdown;
use super::index::RowIndex;
use crate::settings::OutcomeSettings;

/// Follow-up years 1..=5.
pub const YEARS: usize = 5;
/// Half-width of a follow-up window in days.
pub const WINDOW_HALF: Day = 182;
/// Income at intake or exit must lie within this many days of the date.
pub const INCOME_NEAR: Day = 90;

const PHASE_INTAKE: u8 = 0;
const PHASE_EXIT: u8 = 2;
/// Income phase `pre_intake` (`schema::INCOME_PHASES`).
const PHASE_PRE_INTAKE: u8 = 4;
pub(crate) const EVENT_PLACEMENT: u8 = 0;
pub(crate) const EVENT_RETURN: u8 = 1;
const RESULT_MOVED_ABROAD: u8 = 3;
const RESULT_DECEASED: u8 = 4;
pub const ARM_PROGRAMME: u8 = 0;

/// The domain scores of one sitting: `(domain code, score)`, domain order.
pub type Scores = Vec<(u32, u8)>;

/// A follow-up year of one family.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowUp {
    /// The window had not ended by the cut-off.
    NotDue,
    /// The window had ended by the cut-off, but the family had died or moved abroad
    /// (a `deceased` or `moved_abroad` contact) before it opened: not due, and not a
    /// non-respondent the weights should stand in for.
    Gone,
    /// Due, but no sitting in the window.
    Missing,
    /// Due and assessed: the sitting that counts.
    Observed(Scores),
}

/// A family of the cohort (it has an index episode).
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyRecord {
    /// Position in `families`.
    pub family: u32,
    pub arm: u8,
    /// Value code per breakdown (same order as the context's breakdowns).
    pub codes: Vec<u32>,
    /// Index episode row.
    pub episode: u32,
    pub intake_scores: Scores,
    pub exit_scores: Option<Scores>,
    pub followup: [FollowUp; YEARS],
    /// Annual real income at intake, exit and years 1..5 (NaN when missing).
    pub income: [f64; YEARS + 2],
    /// Family-level survival `(day, is_event)`, if the family is at risk.
    pub family_time: Option<(i32, bool)>,
    /// Child-level survival of the children at risk.
    pub children_times: Vec<(i32, bool)>,
    /// Children with a usable care history.
    pub children_valid: u32,
    /// Of which placed between intake and exit (inclusive).
    pub children_placed_during: u32,
    /// Children with a usable care history not in care at exit but 18 or older on the
    /// exit date (never at risk after exit), and children censored at their 18th
    /// birthday during follow-up (before a placement and before the family's censoring).
    pub children_aged_out: [u32; 2],
}

impl FamilyRecord {
    /// Whether the family does well overall at a sitting.
    pub fn overall_well(scores: &Scores, s: &OutcomeSettings) -> bool {
        let well = scores
            .iter()
            .filter(|(_, v)| *v >= s.well_threshold)
            .count();
        scores.len() >= s.overall_min_domains && well >= s.overall_min_domains
    }

    /// Mean intake score as `(sum, count)` (exact, for the IPW covariate patterns).
    pub fn intake_sum(&self) -> (u32, u32) {
        (
            self.intake_scores.iter().map(|(_, v)| u32::from(*v)).sum(),
            self.intake_scores.len() as u32,
        )
    }
}

/// The dataset with its rows grouped by family and child.
pub struct Context<'a> {
    pub ds: &'a Dataset,
    pub settings: &'a OutcomeSettings,
    pub breakdowns: Vec<Breakdown>,
    episodes: RowIndex,
    assessments: RowIndex,
    income: RowIndex,
    contacts: RowIndex,
    children: RowIndex,
    events: RowIndex,
}

impl<'a> Context<'a> {
    /// Index every table by family (care events by child): O(rows).
    pub fn new(ds: &'a Dataset, settings: &'a OutcomeSettings, breakdowns: Vec<Breakdown>) -> Self {
        let n = ds.families.len();
        let (episodes, assessments, income, contacts, children, events) = (
            RowIndex::new(&ds.episodes.family, n),
            RowIndex::new(&ds.assessments.family, n),
            RowIndex::new(&ds.income.family, n),
            RowIndex::new(&ds.followup_contacts.family, n),
            RowIndex::new(&ds.children.family, n),
            RowIndex::new(&ds.care_events.child, ds.children.len()),
        );
        Self {
            ds,
            settings,
            breakdowns,
            episodes,
            assessments,
            income,
            contacts,
            children,
            events,
        }
    }

    /// The family's index episode: its first episode by intake date with an exit on or
    /// before the cut-off.
    pub fn index_episode(&self, f: usize) -> Option<usize> {
        let ep = &self.ds.episodes;
        let cutoff = self.ds.meta.data_cutoff;
        self.episodes
            .of(f)
            .iter()
            .map(|&e| e as usize)
            .filter(|&e| ep.exit[e].is_some_and(|x| x <= cutoff))
            .min_by_key(|&e| (ep.intake[e], ep.exit[e], e))
    }

    /// The record of family `f`, or `None` when it has no index episode.
    pub fn record(&self, f: usize) -> Option<FamilyRecord> {
        let ds = self.ds;
        let e = self.index_episode(f)?;
        let intake = ds.episodes.intake[e];
        let exit = ds.episodes.exit[e]?;
        let cutoff = ds.meta.data_cutoff;
        let anniversaries: [Day; YEARS] = std::array::from_fn(|k| add_years(exit, (k + 1) as f64));
        let window_ended: [bool; YEARS] =
            std::array::from_fn(|k| anniversaries[k] + WINDOW_HALF <= cutoff);
        // Death or emigration: from that day the family is censored in every analysis; a
        // year whose window opens after it is not due.
        let gone = self.gone_day(f, exit);
        let censored: [bool; YEARS] = std::array::from_fn(|k| {
            window_ended[k] && gone.is_some_and(|g| g < anniversaries[k] - WINDOW_HALF)
        });
        let due: [bool; YEARS] = std::array::from_fn(|k| window_ended[k] && !censored[k]);

        let sittings = self.sittings(f);
        let pick = |want: &dyn Fn(&Sitting) -> bool, target: Day| {
            sittings
                .iter()
                .filter(|s| want(s))
                .min_by_key(|s| ((s.date - target).abs(), s.date))
        };
        let intake_scores = pick(&|s: &Sitting| s.intake, intake)
            .map(|s| s.scores.clone())
            .unwrap_or_default();
        let exit_scores =
            pick(&|s: &Sitting| !s.intake && s.has_exit_phase, exit).map(|s| s.scores.clone());
        let followup = std::array::from_fn(|k| {
            if censored[k] {
                return FollowUp::Gone;
            }
            if !due[k] {
                return FollowUp::NotDue;
            }
            let a = anniversaries[k];
            match pick(
                &|s: &Sitting| !s.intake && (s.date - a).abs() <= WINDOW_HALF,
                a,
            ) {
                Some(s) => FollowUp::Observed(s.scores.clone()),
                None => FollowUp::Missing,
            }
        });

        let income = self.incomes(f, intake, exit, &anniversaries, &due);
        let censor = gone.map_or(cutoff, |g| g.min(cutoff)) - exit;
        let Survival {
            family_time,
            children_times,
            children_valid,
            children_placed_during,
            children_aged_out,
        } = self.survival(f, intake, exit, censor);
        Some(FamilyRecord {
            family: f as u32,
            arm: ds.families.arm[f],
            codes: self.breakdowns.iter().map(|b| b.code(ds, f, e)).collect(),
            episode: e as u32,
            intake_scores,
            exit_scores,
            followup,
            income,
            family_time,
            children_times,
            children_valid,
            children_placed_during,
            children_aged_out,
        })
    }

    /// The family's sittings, in date order.
    fn sittings(&self, f: usize) -> Vec<Sitting> {
        let a = &self.ds.assessments;
        let mut rows: Vec<(Day, bool, u32, u8, u8)> = self
            .assessments
            .of(f)
            .iter()
            .map(|&r| {
                let r = r as usize;
                (
                    a.date[r],
                    a.phase[r] == PHASE_INTAKE,
                    a.domain[r],
                    a.score[r],
                    a.phase[r],
                )
            })
            .collect();
        rows.sort_unstable();
        let mut out: Vec<Sitting> = Vec::new();
        for (date, intake, domain, score, phase) in rows {
            match out.last_mut() {
                Some(s) if s.date == date && s.intake == intake => {
                    // One score per domain and sitting: the first (lowest) if repeated.
                    if s.scores.last().map(|(d, _)| *d) != Some(domain) {
                        s.scores.push((domain, score));
                    }
                    s.has_exit_phase |= phase == PHASE_EXIT;
                }
                _ => out.push(Sitting {
                    date,
                    intake,
                    has_exit_phase: phase == PHASE_EXIT,
                    scores: vec![(domain, score)],
                }),
            }
        }
        out
    }

    fn incomes(
        &self,
        f: usize,
        intake: Day,
        exit: Day,
        anniversaries: &[Day; YEARS],
        due: &[bool; YEARS],
    ) -> [f64; YEARS + 2] {
        let inc = &self.ds.income;
        let rows = self.income.of(f);
        // A `pre_intake` income is history before the episode, never its intake, exit or
        // follow-up income, however close its date.
        let nearest = |target: Day, max: Day, any_phase: bool| {
            rows.iter()
                .map(|&r| r as usize)
                .filter(|&r| inc.phase[r] != PHASE_PRE_INTAKE)
                .filter(|&r| (inc.date[r] - target).abs() <= max)
                .filter(|&r| any_phase || inc.phase[r] != PHASE_INTAKE)
                .min_by_key(|&r| ((inc.date[r] - target).abs(), inc.date[r], r))
                .map_or(f64::NAN, |r| inc.monthly_real[r] * 12.0)
        };
        let mut out = [f64::NAN; YEARS + 2];
        out[0] = nearest(intake, INCOME_NEAR, true);
        out[1] = nearest(exit, INCOME_NEAR, true);
        for k in 0..YEARS {
            if due[k] {
                out[k + 2] = nearest(anniversaries[k], WINDOW_HALF, false);
            }
        }
        out
    }

    /// The change in annual real income between family `f`'s earliest and latest income
    /// before intake (NaN with fewer than two): the pre-trend (placebo) check of the
    /// income difference in differences (docs/method.md section 4.5.7). An income before
    /// intake is a row with phase `pre_intake`, or any row dated more than
    /// [`INCOME_NEAR`] days before `intake` (too early to be the intake income).
    pub fn pre_intake_change(&self, f: usize, intake: Day) -> f64 {
        let inc = &self.ds.income;
        let mut pre: Vec<(Day, usize)> = self
            .income
            .of(f)
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| inc.phase[r] == PHASE_PRE_INTAKE || inc.date[r] < intake - INCOME_NEAR)
            .map(|r| (inc.date[r], r))
            .collect();
        pre.sort_unstable();
        match (pre.first(), pre.last()) {
            (Some(&(d0, a)), Some(&(d1, b))) if d1 > d0 => {
                (inc.monthly_real[b] - inc.monthly_real[a]) * 12.0
            }
            _ => f64::NAN,
        }
    }

    /// The children of family `f` (positions in `children`).
    pub(crate) fn children_of(&self, f: usize) -> &[u32] {
        self.children.of(f)
    }

    /// The care events of child `c` (rows of `care_events`, in date order).
    pub(crate) fn events_of(&self, c: usize) -> &[u32] {
        self.events.of(c)
    }

    /// The date of the first contact on or after `from` (the exit, or a child's return
    /// home) finding the family moved abroad or deceased, if any: follow-up ends there
    /// (or at the cut-off, whichever is first).
    pub(crate) fn gone_day(&self, f: usize, exit: Day) -> Option<Day> {
        let c = &self.ds.followup_contacts;
        self.contacts
            .of(f)
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| {
                c.date[r] >= exit && matches!(c.result[r], RESULT_MOVED_ABROAD | RESULT_DECEASED)
            })
            .map(|r| c.date[r])
            .min()
    }

    /// Survival times of the family and its children, and the placements during the
    /// programme.
    fn survival(&self, f: usize, intake: Day, exit: Day, censor: i32) -> Survival {
        let ch = &self.ds.children;
        let ev = &self.ds.care_events;
        let mut times = Vec::new();
        let (mut valid, mut during, mut any_invalid) = (0u32, 0u32, false);
        let mut aged_out = [0u32; 2];
        for &c in self.children.of(f) {
            let c = c as usize;
            if !ch.care_history_valid[c] {
                any_invalid = true;
                continue;
            }
            valid += 1;
            let mut in_care = ch.in_care_at_intake[c];
            let mut placed_during = false;
            let mut first_after: Option<Day> = None;
            for &r in self.events.of(c) {
                let r = r as usize;
                let (date, event) = (ev.date[r], ev.event[r]);
                if date <= exit {
                    if event == EVENT_PLACEMENT && date >= intake {
                        placed_during = true;
                    }
                    in_care = event != EVENT_RETURN;
                } else if event == EVENT_PLACEMENT && first_after.is_none() {
                    first_after = Some(date);
                }
            }
            during += u32::from(placed_during);
            if in_care {
                continue;
            }
            // At risk of placement into child-protection care only while under 18.
            let adult = birthday(ch.birth_date[c], 18) - exit;
            if adult <= 0 {
                aged_out[0] += 1;
                continue;
            }
            let end = censor.min(adult);
            times.push(match first_after.map(|d| d - exit) {
                Some(t) if t <= censor && t < adult => (t, true),
                _ => {
                    if adult < censor {
                        aged_out[1] += 1;
                    }
                    (end, false)
                }
            });
        }
        let family = if any_invalid || times.is_empty() {
            None
        } else {
            Some(
                times
                    .iter()
                    .copied()
                    .min_by_key(|&(t, event)| (t, !event))
                    .expect("non-empty"),
            )
        };
        Survival {
            family_time: family,
            children_times: times,
            children_valid: valid,
            children_placed_during: during,
            children_aged_out: aged_out,
        }
    }
}

/// What [`Context::survival`] finds for one family (fields as in [`FamilyRecord`]).
struct Survival {
    family_time: Option<(i32, bool)>,
    children_times: Vec<(i32, bool)>,
    children_valid: u32,
    children_placed_during: u32,
    children_aged_out: [u32; 2],
}

/// All assessment rows of one family on one date (intake rows apart from the others).
#[derive(Debug, Clone)]
struct Sitting {
    date: Day,
    intake: bool,
    has_exit_phase: bool,
    scores: Scores,
}

/// Whether the arm code is the programme arm.
pub fn is_programme(arm: u8) -> bool {
    arm == ARM_PROGRAMME
}

/// Label of an arm code.
pub fn arm_label(arm: u8) -> &'static str {
    schema::ARMS.get(arm as usize).copied().unwrap_or("unknown")
}
