//! The mergeable summary that survival analysis is computed from.
//!
//! Kaplan-Meier and the log-rank test only need, per distinct day, how many units had the
//! event and how many were censored. The engine therefore reduces each partition of
//! families (or children) to an [`EventTable`] in parallel and merges the tables by adding
//! counts; the merged table is exactly the table of the whole data, so no estimate depends
//! on how the data was split. Everyone enters at day 0, so the number at risk at the start
//! is the total count.
//!
//! Days are whole days since each unit's day 0 (`i32`, as [`crate::dates`]). Any `i32` is
//! accepted: the estimators only use the order of the days.
//!
//! For the bootstrap, [`UnitTimes`] keeps each unit's time indexed against the distinct
//! days once, so that the table of a replicate (a multiplicity count per unit, see
//! [`super::Resampler`]) costs one O(units + days) pass instead of a map insertion per unit.

use std::collections::BTreeMap;

use super::StatsError;

/// Events and censorings on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayCounts {
    /// Units whose event happened on this day.
    pub events: u64,
    /// Units censored on this day (still event-free when last seen).
    pub censored: u64,
}

/// Per distinct day, the number of events and censorings; ordered by day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventTable {
    days: BTreeMap<i32, DayCounts>,
    n: u64,
}

impl EventTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record one unit that had the event (`is_event`) or was censored on `day`.
    pub fn add(&mut self, day: i32, is_event: bool) {
        if is_event {
            self.add_counts(day, 1, 0);
        } else {
            self.add_counts(day, 0, 1);
        }
    }

    /// Record `events` events and `censored` censorings on `day` at once.
    pub fn add_counts(&mut self, day: i32, events: u64, censored: u64) {
        if events == 0 && censored == 0 {
            return;
        }
        let c = self.days.entry(day).or_default();
        c.events += events;
        c.censored += censored;
        self.n += events + censored;
    }

    /// Add every count of `other` to this table.
    pub fn merge(&mut self, other: &EventTable) {
        for (&day, c) in &other.days {
            self.add_counts(day, c.events, c.censored);
        }
    }

    /// Number of units (all at risk at the start).
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Total number of events.
    pub fn total_events(&self) -> u64 {
        self.days.values().map(|c| c.events).sum()
    }

    /// Number of distinct days with an event or a censoring.
    pub fn distinct_days(&self) -> usize {
        self.days.len()
    }

    /// Whether no unit has been recorded.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The days in ascending order with their counts.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (i32, DayCounts)> + '_ {
        self.days.iter().map(|(&d, &c)| (d, c))
    }
}

/// Each unit's time and status, indexed once against the distinct days, for building the
/// event tables of many bootstrap replicates cheaply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTimes {
    /// Distinct days, ascending.
    days: Vec<i32>,
    /// Per unit: position of its day in `days`.
    slot: Vec<usize>,
    /// Per unit: event (`true`) or censoring.
    is_event: Vec<bool>,
}

impl UnitTimes {
    /// Index the units `(day, is_event)`, in the order the multiplicity counts will use.
    pub fn new(units: &[(i32, bool)]) -> Self {
        let mut days: Vec<i32> = units.iter().map(|&(d, _)| d).collect();
        days.sort_unstable();
        days.dedup();
        let slot = units
            .iter()
            .map(|(d, _)| days.partition_point(|x| x < d))
            .collect();
        Self {
            days,
            slot,
            is_event: units.iter().map(|&(_, e)| e).collect(),
        }
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.slot.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.slot.is_empty()
    }

    /// The event table of the units, each counted `counts[i]` times (a bootstrap
    /// replicate; all ones for the original data).
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] unless there is one count per unit.
    pub fn table(&self, counts: &[u32]) -> Result<EventTable, StatsError> {
        if counts.len() != self.len() {
            return Err(StatsError::LengthMismatch {
                what: "counts",
                expected: self.len(),
                found: counts.len(),
            });
        }
        let mut dense = vec![DayCounts::default(); self.days.len()];
        let mut n = 0;
        for ((&slot, &event), &c) in self.slot.iter().zip(&self.is_event).zip(counts) {
            let c = u64::from(c);
            if event {
                dense[slot].events += c;
            } else {
                dense[slot].censored += c;
            }
            n += c;
        }
        // Collecting an already sorted sequence builds the map in linear time.
        let days = self
            .days
            .iter()
            .zip(dense)
            .filter(|(_, c)| c.events + c.censored > 0)
            .map(|(&d, c)| (d, c))
            .collect();
        Ok(EventTable { days, n })
    }
}

impl FromIterator<(i32, bool)> for EventTable {
    /// Build from `(day, is_event)` pairs, one per unit.
    fn from_iter<I: IntoIterator<Item = (i32, bool)>>(iter: I) -> Self {
        let mut t = EventTable::new();
        t.extend(iter);
        t
    }
}

impl Extend<(i32, bool)> for EventTable {
    fn extend<I: IntoIterator<Item = (i32, bool)>>(&mut self, iter: I) {
        for (day, is_event) in iter {
            self.add(day, is_event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_day_in_order() {
        let t: EventTable = [(5, true), (2, false), (5, false), (5, true), (9, true)]
            .into_iter()
            .collect();
        assert_eq!(t.n(), 5);
        assert_eq!(t.total_events(), 3);
        assert_eq!(t.distinct_days(), 3);
        let rows: Vec<_> = t.iter().collect();
        assert_eq!(
            rows,
            vec![
                (
                    2,
                    DayCounts {
                        events: 0,
                        censored: 1
                    }
                ),
                (
                    5,
                    DayCounts {
                        events: 2,
                        censored: 1
                    }
                ),
                (
                    9,
                    DayCounts {
                        events: 1,
                        censored: 0
                    }
                ),
            ]
        );
    }

    #[test]
    fn unit_times_rebuild_weighted_tables() {
        let units = [(5, true), (2, false), (5, false), (5, true), (9, true)];
        let idx = UnitTimes::new(&units);
        assert_eq!(idx.len(), 5);
        let all: EventTable = units.into_iter().collect();
        assert_eq!(idx.table(&[1; 5]).unwrap(), all);
        // Replicate drawing unit 0 twice, unit 2 once, unit 4 twice.
        let mut want = EventTable::new();
        want.add_counts(5, 2, 0);
        want.add_counts(5, 0, 1);
        want.add_counts(9, 2, 0);
        let got = idx.table(&[2, 0, 1, 0, 2]).unwrap();
        assert_eq!(got, want);
        assert_eq!(got.n(), 5);
        assert_eq!(got.distinct_days(), 2);
        assert!(matches!(
            idx.table(&[1; 4]),
            Err(StatsError::LengthMismatch { .. })
        ));
        assert!(UnitTimes::new(&[]).is_empty());
    }

    #[test]
    fn merge_adds_counts() {
        let mut a: EventTable = [(1, true), (3, false)].into_iter().collect();
        let b: EventTable = [(3, true), (4, false)].into_iter().collect();
        a.merge(&b);
        let whole: EventTable = [(1, true), (3, false), (3, true), (4, false)]
            .into_iter()
            .collect();
        assert_eq!(a, whole);
        let mut empty = EventTable::new();
        assert!(empty.is_empty());
        empty.add_counts(7, 0, 0);
        assert!(empty.is_empty());
        assert_eq!(empty.distinct_days(), 0);
    }
}
