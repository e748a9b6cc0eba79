//! `reintegration`: children in alternative care when their family was referred, their
//! return home during the programme, and whether they stay home (docs/method.md section 3.6).
//!
//! Reintegration work brings children back from care to their families; its success
//! measure (SOS Children's Villages Armenia: 95 % of supported reintegrations succeeded)
//! is a child returned home and not referred back into care. Per cohort family:
//!
//! - a child is **in care at intake** when its care history (docs/method.md section 3.1) has
//!   it in alternative care after every event dated before the index intake, and it is
//!   under 18 on the intake date;
//! - it **returned home during the programme** with its first `return_home` on or after
//!   intake, on or before exit and before its 18th birthday. Time to return runs from
//!   intake and is censored at exit or at the 18th birthday (whichever is first);
//! - **staying home** runs from that return to the child's next `placement`, censored at
//!   the cut-off, at the family's death or emigration (a `deceased` or `moved_abroad`
//!   contact on or after the return) and at the 18th birthday: the censoring rules of
//!   post-exit survival. At family level the clock starts at the family's first return
//!   and stops at the first new placement of any returned child (or the first censoring
//!   of one, as after exit); a family with a child whose care history was set aside is
//!   left out of the family level.
//!
//! The state is counts and event tables per cell (group x arm), so partials merge by
//! adding them, like every other outcome table.

use std::collections::BTreeMap;

use crate::dates::{add_years, birthday, Day};
use crate::stats::{log_rank, wilson, EventTable, KaplanMeier, Z_95};

use super::disclosure::{withhold_small, Withhold};
use super::groups::{arm_order, group_order};
use super::partial::{cell, cell_arm, cell_group, Map, OutcomePartial, CHILD_LEVEL, FAMILY_LEVEL};
use super::record::{arm_label, Context, FamilyRecord, EVENT_PLACEMENT, EVENT_RETURN};
use super::record::{ARM_PROGRAMME, YEARS};
use super::rows::ReintegrationRow;

/// Measures of `tables/reintegration`, in output order.
pub const RETURNED_HOME: &str = "returned_home";
pub const DAYS_TO_RETURN: [(&str, f64); 3] = [
    ("days_to_return_q1", 0.75),
    ("days_to_return_median", 0.5),
    ("days_to_return_q3", 0.25),
];
pub const STILL_HOME: &str = "still_home";
pub const LOG_RANK: &str = "log_rank_vs_comparison";

/// One child's reintegration: time to return, and time home after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChildReturn {
    /// Days from intake to the return home (`true`) or to the end of observation.
    pub to_return: (i32, bool),
    /// The return day and the days home until a new placement (`true`) or censoring.
    pub home: Option<(Day, i32, bool)>,
}

/// What one care history says about reintegration; `None` when the child was not in care
/// at intake or was 18 or older then.
///
/// `events` are the child's `(date, event code)` in date order. `exit` is the index
/// exit, `censor` the last day staying home is observed from a return on day `r`
/// (the cut-off, or the family's death or emigration: `censor(r)`).
pub(crate) fn child_return(
    in_care_at_intake: bool,
    events: &[(Day, u8)],
    adult: Day,
    intake: Day,
    exit: Day,
    censor: impl Fn(Day) -> Day,
) -> Option<ChildReturn> {
    if adult <= intake {
        return None;
    }
    // The history starts in care when the flag is set and the first event is not a
    // placement (data.md, care_events).
    let mut in_care = in_care_at_intake && events.first().is_none_or(|e| e.1 != EVENT_PLACEMENT);
    let before = events.partition_point(|e| e.0 < intake);
    for e in &events[..before] {
        in_care = e.1 != EVENT_RETURN;
    }
    if !in_care {
        return None;
    }
    let end = exit.min(adult);
    let back = events[before..]
        .iter()
        .position(|e| e.1 == EVENT_RETURN)
        .map(|i| before + i)
        .filter(|&i| events[i].0 <= exit && events[i].0 < adult);
    let Some(i) = back else {
        return Some(ChildReturn {
            to_return: (end - intake, false),
            home: None,
        });
    };
    let r = events[i].0;
    let stop = censor(r).min(adult);
    let home = match events[i + 1..].iter().find(|e| e.1 == EVENT_PLACEMENT) {
        Some(&(d, _)) if d <= censor(r) && d < adult => (d - r, true),
        _ => ((stop - r).max(0), false),
    };
    Some(ChildReturn {
        to_return: (r - intake, true),
        home: Some((r, home.0, home.1)),
    })
}

/// One family's reintegration figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FamilyReintegration {
    /// Per child in care at intake: days to return, returned?
    pub to_return: Vec<(i32, bool)>,
    /// Per returned child: days home, placed again?
    pub home: Vec<(i32, bool)>,
    /// The family's days home from its first return, if it is at risk.
    pub family: Option<(i32, bool)>,
}

/// The reintegration figures of the family of record `r`.
pub(crate) fn family(cx: &Context<'_>, r: &FamilyRecord) -> FamilyReintegration {
    let ds = cx.ds;
    let f = r.family as usize;
    let e = r.episode as usize;
    let intake = ds.episodes.intake[e];
    let Some(exit) = ds.episodes.exit[e] else {
        return FamilyReintegration::default();
    };
    let cutoff = ds.meta.data_cutoff;
    let censor = |from: Day| cx.gone_day(f, from).map_or(cutoff, |g| g.min(cutoff));
    let (ch, ev) = (&ds.children, &ds.care_events);
    let mut out = FamilyReintegration::default();
    let mut spells: Vec<(Day, i32, bool)> = Vec::new();
    let mut any_invalid = false;
    for &c in cx.children_of(f) {
        let c = c as usize;
        if !ch.care_history_valid[c] {
            any_invalid = true;
            continue;
        }
        let events: Vec<(Day, u8)> = cx
            .events_of(c)
            .iter()
            .map(|&i| (ev.date[i as usize], ev.event[i as usize]))
            .collect();
        let adult = birthday(ch.birth_date[c], 18);
        let Some(x) = child_return(
            ch.in_care_at_intake[c],
            &events,
            adult,
            intake,
            exit,
            censor,
        ) else {
            continue;
        };
        out.to_return.push(x.to_return);
        if let Some(spell) = x.home {
            out.home.push((spell.1, spell.2));
            spells.push(spell);
        }
    }
    if !any_invalid {
        if let Some(first) = spells.iter().map(|s| s.0).min() {
            out.family = spells
                .iter()
                .map(|&(r, t, event)| (r + t - first, event))
                .min_by_key(|&(t, event)| (t, !event));
        }
    }
    out
}

/// The mergeable reintegration state: counts and event tables per cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ReintegrationState {
    /// Per cell: children in care at intake, of whom returned home during the programme.
    pub returned: Map<u32, [u64; 2]>,
    /// Per cell: days from intake to the return home.
    pub to_return: Map<u32, EventTable>,
    /// Per (cell, level): days home after the return, to a new placement.
    pub home: Map<(u32, u8), EventTable>,
}

impl ReintegrationState {
    /// Add one family's figures to each of its cells.
    pub fn add(&mut self, cells: &[u32], x: &FamilyReintegration) {
        if x.to_return.is_empty() {
            return;
        }
        let returned = x.to_return.iter().filter(|t| t.1).count() as u64;
        for &g in cells {
            let v = self.returned.entry(g).or_default();
            v[0] += x.to_return.len() as u64;
            v[1] += returned;
            self.to_return
                .entry(g)
                .or_default()
                .extend(x.to_return.iter().copied());
            if !x.home.is_empty() {
                let t = self.home.entry((g, CHILD_LEVEL)).or_default();
                t.extend(x.home.iter().copied());
            }
            if let Some((t, event)) = x.family {
                self.home
                    .entry((g, FAMILY_LEVEL))
                    .or_default()
                    .add(t, event);
            }
        }
    }

    /// Merge the state of a disjoint set of families whose cell codes map through `gc`.
    pub fn merge(&mut self, other: ReintegrationState, gc: impl Fn(u32) -> u32) {
        for (g, v) in other.returned {
            let a = self.returned.entry(gc(g)).or_default();
            a[0] += v[0];
            a[1] += v[1];
        }
        for (g, t) in other.to_return {
            self.to_return.entry(gc(g)).or_default().merge(&t);
        }
        for ((g, l), t) in other.home {
            self.home.entry((gc(g), l)).or_default().merge(&t);
        }
    }
}

/// An event table on the wire: (day, events, censored) per day.
type WireDays = Vec<(i32, u64, u64)>;

/// Wire form of the state (see `wire`): rows sorted so equal states give equal bytes.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ReintegrationWire {
    /// (cell, [in care at intake, returned home]).
    returned: Vec<(u32, [u64; 2])>,
    /// (cell, [(day, events, censored)]).
    to_return: Vec<(u32, WireDays)>,
    /// (cell, level, [(day, events, censored)]).
    home: Vec<(u32, u8, WireDays)>,
}

fn days_of(t: &EventTable) -> WireDays {
    t.iter().map(|(d, c)| (d, c.events, c.censored)).collect()
}

fn table_of(days: WireDays) -> EventTable {
    let mut t = EventTable::new();
    for (d, e, c) in days {
        t.add_counts(d, e, c);
    }
    t
}

impl From<&ReintegrationState> for ReintegrationWire {
    fn from(s: &ReintegrationState) -> Self {
        let mut returned: Vec<_> = s.returned.iter().map(|(&g, &v)| (g, v)).collect();
        returned.sort_unstable();
        let mut to_return: Vec<_> = s.to_return.iter().map(|(&g, t)| (g, days_of(t))).collect();
        to_return.sort_unstable();
        let mut home: Vec<_> = s
            .home
            .iter()
            .map(|(&(g, l), t)| (g, l, days_of(t)))
            .collect();
        home.sort_unstable();
        ReintegrationWire {
            returned,
            to_return,
            home,
        }
    }
}

impl ReintegrationWire {
    /// The state, with every cell code checked by `gc` and every level known.
    pub fn into_state(
        self,
        gc: impl Fn(u32) -> Result<u32, String>,
    ) -> Result<ReintegrationState, String> {
        let mut s = ReintegrationState::default();
        for (g, v) in self.returned {
            if v[1] > v[0] {
                return Err(format!(
                    "reintegration: {} children returned home of {} in care",
                    v[1], v[0]
                ));
            }
            s.returned.insert(gc(g)?, v);
        }
        for (g, days) in self.to_return {
            s.to_return.insert(gc(g)?, table_of(days));
        }
        for (g, l, days) in self.home {
            if l != CHILD_LEVEL && l != FAMILY_LEVEL {
                return Err(format!("reintegration: level code {l} is out of range"));
            }
            s.home.insert((gc(g)?, l), table_of(days));
        }
        Ok(s)
    }
}

impl Withhold for ReintegrationRow {
    fn group(&self) -> &str {
        &self.group
    }
    fn withhold(&mut self) {
        self.n = None;
        self.events = None;
        self.at_risk = None;
        self.estimate = None;
        self.ci_low = None;
        self.ci_high = None;
        self.suppressed = true;
    }
}

fn level_label(level: u8) -> &'static str {
    if level == FAMILY_LEVEL {
        "family"
    } else {
        "child"
    }
}

fn row(group: &str, arm: u8, measure: &str, level: u8) -> ReintegrationRow {
    ReintegrationRow {
        group: group.to_string(),
        arm: arm_label(arm).to_string(),
        measure: measure.to_string(),
        level: level_label(level).to_string(),
        year: None,
        n: None,
        events: None,
        at_risk: None,
        estimate: None,
        ci_low: None,
        ci_high: None,
        chi_square: None,
        p_value: None,
        suppressed: false,
    }
}

/// The rows of `tables/reintegration`.
pub fn rows(p: &OutcomePartial, notes: &mut Vec<String>) -> Vec<ReintegrationRow> {
    let s = &p.reintegration;
    let by = &p.settings.by;
    let min = p.settings.min_cell;
    // Cells in output order: group, then arm.
    let mut cells: Vec<(String, u8, u32)> = s
        .returned
        .iter()
        .filter(|(_, v)| v[0] > 0)
        .map(|(&c, _)| (p.groups.get(cell_group(c)).to_string(), cell_arm(c), c))
        .collect();
    cells.sort_by(|a, b| {
        (group_order(&a.0, by), arm_order(arm_label(a.1)))
            .cmp(&(group_order(&b.0, by), arm_order(arm_label(b.1))))
    });
    if cells.is_empty() {
        notes.push(
            "reintegration: no child of a cohort family was in alternative care at intake, so no return home is measured"
                .into(),
        );
        return Vec::new();
    }
    // (measure rank, level, year) slices for secondary suppression.
    let mut out: Vec<(ReintegrationRow, (u8, u8, u32))> = Vec::new();
    for (group, arm, c) in &cells {
        let [n, back] = s.returned[c];
        let ci = wilson(back as f64, n as f64, Z_95).ok().flatten();
        let mut r = row(group, *arm, RETURNED_HOME, CHILD_LEVEL);
        r.n = Some(n);
        r.events = Some(back);
        r.estimate = Some(back as f64 / n as f64);
        r.ci_low = ci.map(|i| i.low);
        r.ci_high = ci.map(|i| i.high);
        out.push((r, (0, CHILD_LEVEL, 0)));
        let km = s.to_return.get(c).and_then(|t| KaplanMeier::new(t).ok());
        for (k, (measure, level)) in DAYS_TO_RETURN.iter().enumerate() {
            let mut r = row(group, *arm, measure, CHILD_LEVEL);
            r.n = Some(n);
            r.events = Some(back);
            r.estimate = km.as_ref().and_then(|km| km.time_to(*level)).map(f64::from);
            out.push((r, (1 + k as u8, CHILD_LEVEL, 0)));
        }
        for level in [CHILD_LEVEL, FAMILY_LEVEL] {
            let Some(table) = s.home.get(&(*c, level)).filter(|t| !t.is_empty()) else {
                continue;
            };
            let Ok(km) = KaplanMeier::new(table) else {
                continue;
            };
            for year in 1..=YEARS as u32 {
                let day = add_years(0, f64::from(year));
                let pt = km.at(day);
                let mut r = row(group, *arm, STILL_HOME, level);
                r.year = Some(year);
                r.n = Some(table.n());
                r.events = Some(
                    table
                        .iter()
                        .filter(|(d, _)| *d <= day)
                        .map(|(_, c)| c.events)
                        .sum(),
                );
                r.at_risk = Some(pt.at_risk);
                r.estimate = Some(pt.survival);
                r.ci_low = Some(pt.interval.low);
                r.ci_high = Some(pt.interval.high);
                out.push((r, (4, level, year)));
            }
        }
    }
    // Shares and quartiles rest on the children in care at intake; staying home at a
    // year on the number still at risk then.
    let mut rows = withhold_small(out, min, |r, slice| {
        let size = if r.measure == STILL_HOME {
            r.at_risk.unwrap_or(0)
        } else {
            r.n.unwrap_or(0)
        };
        ((r.arm.clone(), *slice), size)
    });
    rows.extend(tests(p, notes));
    rows
}

/// Log-rank tests of staying home, programme against comparison arm, over the whole
/// cohort, per level: the family level is the primary test.
fn tests(p: &OutcomePartial, notes: &mut Vec<String>) -> Vec<ReintegrationRow> {
    let s = &p.reintegration;
    let mut out = Vec::new();
    let by_level: BTreeMap<u8, [Option<&EventTable>; 2]> = [CHILD_LEVEL, FAMILY_LEVEL]
        .into_iter()
        .map(|l| {
            let t = |arm: u8| s.home.get(&(cell(0, arm), l)).filter(|t| !t.is_empty());
            (l, [t(ARM_PROGRAMME), t(1 - ARM_PROGRAMME)])
        })
        .collect();
    for level in [CHILD_LEVEL, FAMILY_LEVEL] {
        let [Some(prog), Some(comp)] = by_level[&level] else {
            continue;
        };
        match log_rank([prog, comp]) {
            Ok(t) => {
                let mut r = row("all", ARM_PROGRAMME, LOG_RANK, level);
                r.chi_square = Some(t.chi_square);
                r.p_value = Some(t.p_value);
                out.push(r);
            }
            Err(e) => notes.push(format!(
                "reintegration: log-rank test of staying home against the comparison arm ({} level) not computed: {e}",
                level_label(level)
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests;
