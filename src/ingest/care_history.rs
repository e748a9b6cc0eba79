//! Care histories: each child's care events must tell a possible story.
//!
//! A child cannot be placed while already in care, nor return home or change care while
//! at home. Survival analysis reads the events as a history, so a contradictory one is
//! not repaired by guessing: all that child's events are set aside and the child is
//! marked so it is left out, instead of being counted as never placed.

use rayon::prelude::*;

use super::merge::merge;
use super::parse::Chunk;
use super::places::{BatchPlaces, Places};
use super::problem::{Problem, Rule, Severity};
use super::rows::Rejects;
use super::tables::{CareEvents, Children};
use crate::dates;

/// Merge the parsed care events and check every child's history: the events kept,
/// sorted by child and date, the rows set aside, and the children whose history is
/// contradictory.
pub fn check(
    chunks: Vec<(Chunk<CareEvents>, BatchPlaces)>,
    children: &Children,
) -> (CareEvents, Rejects, Vec<u32>) {
    let (chunks, places): (Vec<_>, Vec<_>) = chunks.into_iter().unzip();
    let (events, mut rej) = merge(chunks);
    let (kept, invalid) = check_care_histories(events, &Places::new(places), children, &mut rej);
    (kept, rej, invalid)
}

/// Sort care events by child and date and check each child's history: no placement while
/// already in care, no return home or care change while at home. A contradictory history
/// sets aside all that child's events and marks the child so survival analysis leaves it
/// out instead of counting it as never placed.
fn check_care_histories(
    ev: CareEvents,
    places: &Places,
    children: &Children,
    rej: &mut Rejects,
) -> (CareEvents, Vec<u32>) {
    let mut invalid = Vec::new();
    let mut order: Vec<usize> = (0..ev.len()).collect();
    order.par_sort_by_key(|&i| (ev.child[i], ev.date[i], i));
    let mut keep = vec![true; ev.len()];
    let mut start = 0;
    while start < order.len() {
        let child = ev.child[order[start]];
        let mut end = start;
        while end < order.len() && ev.child[order[end]] == child {
            end += 1;
        }
        // A child in care at intake may have its original placement recorded (dated
        // before intake) or not; in the latter case its history starts in care.
        let mut in_care = children.in_care_at_intake[child as usize] && ev.event[order[start]] != 0;
        let mut bad: Option<(usize, String)> = None;
        for &i in &order[start..end] {
            let e = ev.event[i];
            let problem = match (e, in_care) {
                (0, true) => {
                    Some("a placement while the child is already in care (two placements in a row)")
                }
                (1, false) => Some("a return_home while the child is at home"),
                (2, false) => Some("a care_change while the child is at home"),
                _ => None,
            };
            if let Some(p) = problem {
                bad = Some((i, format!("{p} on {}", dates::format(ev.date[i]))));
                break;
            }
            in_care = e != 1;
        }
        if let Some((i, msg)) = bad {
            let (file, row) = places.locate(i);
            let n = (end - start) as u64;
            for &j in &order[start..end] {
                keep[j] = false;
            }
            *rej.by_rule
                .entry(Rule::CareHistoryContradictory)
                .or_insert(0) += n;
            invalid.push(child);
            rej.problems.push(
                Problem::new(
                    Severity::SetAside,
                    Rule::CareHistoryContradictory,
                    "care_events",
                    format!("{msg}; all {n} events of this child are set aside and the child is left out of survival analysis"),
                    "correct the child's care history: events in date order, a return_home or care_change between two placements",
                )
                .file(file.to_string())
                .row(row)
                .column("event")
                .id(children.ids.get(child as usize)),
            );
        }
        start = end;
    }
    let mut out = CareEvents::default();
    for &i in &order {
        if keep[i] {
            out.child.push(ev.child[i]);
            out.date.push(ev.date[i]);
            out.event.push(ev.event[i]);
            out.care_type.push(ev.care_type[i]);
        }
    }
    (out, invalid)
}
