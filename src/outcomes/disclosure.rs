//! Disclosure control (docs/method.md section 6): primary and secondary suppression.
//!
//! A cell resting on fewer than `min_cell` families (or at risk, for survival) is
//! suppressed. Within a breakdown (the `COL=value` groups of one column, at the same
//! domain, year or stage), when exactly one cell is suppressed and the `all` total of the
//! same slice is published, the next smallest cell is suppressed too: otherwise the
//! suppressed cell would be the total minus the published ones. With two or more
//! suppressed cells only their sum can be recovered, never a single cell, so nothing more
//! is needed.

use std::collections::BTreeMap;

use super::groups::column_of;
use super::rows::{
    DuringProgrammeRow, FollowupRow, IncomeEffectRow, IncomeTrajectoryRow, ScoreChangeRow,
    ScoreLevelRow, SurvivalYearRow,
};

/// One published cell: its group label, the slice it belongs to (the table's other
/// dimensions, e.g. domain and year) and the number of families it rests on.
#[derive(Debug, Clone)]
pub struct Cell<'a, K> {
    pub group: &'a str,
    pub slice: K,
    pub size: u64,
}

/// Which cells to suppress.
pub fn suppress<K: Ord + Clone>(cells: &[Cell<'_, K>], min_cell: u64) -> Vec<bool> {
    let mut out: Vec<bool> = cells.iter().map(|c| c.size < min_cell).collect();
    let mut totals: BTreeMap<K, bool> = BTreeMap::new();
    let mut parts: BTreeMap<(&str, K), Vec<usize>> = BTreeMap::new();
    for (i, c) in cells.iter().enumerate() {
        match column_of(c.group) {
            None => {
                totals.insert(c.slice.clone(), out[i]);
            }
            Some(col) => parts.entry((col, c.slice.clone())).or_default().push(i),
        }
    }
    for ((_, slice), members) in parts {
        let total_shown = totals.get(&slice).is_some_and(|s| !s);
        let hidden = members.iter().filter(|&&i| out[i]).count();
        if !total_shown || hidden != 1 || members.len() < 2 {
            continue;
        }
        if let Some(&next) = members
            .iter()
            .filter(|&&i| !out[i])
            .min_by_key(|&&i| (cells[i].size, i))
        {
            out[next] = true;
        }
    }
    out
}

/// A published row whose figures can be withheld: the one place that says what a
/// suppressed row of each table still shows (its labels) and what it blanks.
pub trait Withhold {
    /// The row's group label (`all` or `COL=value`).
    fn group(&self) -> &str;
    /// Blank every figure and mark the row suppressed.
    fn withhold(&mut self);
}

/// Primary and secondary suppression of a table's rows: `cell` gives, for a row and what
/// it was built with, the slice it belongs to and the number it rests on; the rows
/// [`suppress`] hides are withheld, the others returned as they are.
pub fn withhold_small<R: Withhold, T, K: Ord + Clone>(
    rows: Vec<(R, T)>,
    min_cell: u64,
    cell: impl Fn(&R, &T) -> (K, u64),
) -> Vec<R> {
    let hide = {
        let cells: Vec<Cell<'_, K>> = rows
            .iter()
            .map(|(r, t)| {
                let (slice, size) = cell(r, t);
                Cell {
                    group: r.group(),
                    slice,
                    size,
                }
            })
            .collect();
        suppress(&cells, min_cell)
    };
    rows.into_iter()
        .zip(hide)
        .map(|((mut r, _), hidden)| {
            if hidden {
                r.withhold();
            }
            r
        })
        .collect()
}

/// [`withhold_small`] for rows that carry their own size.
pub fn withhold_small_rows<R: Withhold, K: Ord + Clone>(
    rows: Vec<R>,
    min_cell: u64,
    cell: impl Fn(&R) -> (K, u64),
) -> Vec<R> {
    let rows = rows.into_iter().map(|r| (r, ())).collect();
    withhold_small(rows, min_cell, |r, _| cell(r))
}

macro_rules! withhold {
    ($($row:ty => { $($field:ident),* $(,)? })*) => {
        $(impl Withhold for $row {
            fn group(&self) -> &str {
                &self.group
            }
            fn withhold(&mut self) {
                $(self.$field = None;)*
                self.suppressed = true;
            }
        })*
    };
}

withhold! {
    FollowupRow => {
        due, deceased_or_abroad, observed, response_rate, doing_well, share, ci_low, ci_high, share_weighted,
        ci_low_weighted, ci_high_weighted,
    }
    ScoreChangeRow => { n, mean_change, ci_low, ci_high, improved, same, worse }
    ScoreLevelRow => { n, mean_score }
    SurvivalYearRow => { survival, ci_low, ci_high, at_risk }
    IncomeEffectRow => {
        n_programme, n_comparison, mean_delta_programme, mean_delta_comparison, effect,
        ci_low, ci_high, mean_delta_programme_weighted, mean_delta_comparison_weighted,
        effect_weighted, ci_low_weighted, ci_high_weighted,
    }
    IncomeTrajectoryRow => { n, mean_income, ci_low, ci_high }
    DuringProgrammeRow => { numerator, denominator, share, ci_low, ci_high }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(group: &str, slice: u32, size: u64) -> Cell<'_, u32> {
        Cell { group, slice, size }
    }

    // Total 64 = 4 + 20 + 40. AL (4) is suppressed; without a second suppression it would
    // be 64 - 20 - 40. The next smallest, AM (20), goes too, so only AL + AM = 24 is
    // recoverable, not either one. A slice where nothing is small stays as it is.
    #[test]
    fn secondary_suppression_hides_the_next_smallest() {
        let cells = [
            cell("all", 1, 64),
            cell("country=AL", 1, 4),
            cell("country=AM", 1, 20),
            cell("country=BA", 1, 40),
            cell("all", 2, 90),
            cell("country=AL", 2, 30),
            cell("country=AM", 2, 60),
        ];
        let s = suppress(&cells, 10);
        assert_eq!(s, vec![false, true, true, false, false, false, false]);
    }

    #[test]
    fn two_small_cells_need_nothing_more_and_hidden_totals_protect() {
        let cells = [
            cell("all", 1, 48),
            cell("arm=programme", 1, 4),
            cell("arm=comparison", 1, 6),
            cell("risk_level=low", 1, 20),
            cell("risk_level=high", 1, 28),
        ];
        assert_eq!(suppress(&cells, 10), vec![false, true, true, false, false]);
        // A published total with one small cell: its partner goes too.
        let cells = [
            cell("all", 1, 8),
            cell("arm=programme", 1, 3),
            cell("arm=comparison", 1, 5),
        ];
        assert_eq!(suppress(&cells, 5), vec![false, true, true]);
        // The total itself is hidden: nothing to subtract from.
        let cells = [
            cell("all", 1, 4),
            cell("arm=programme", 1, 1),
            cell("arm=comparison", 1, 3),
        ];
        assert_eq!(suppress(&cells, 5), vec![true, true, true]);
        let cells = [cell("all", 1, 9), cell("arm=programme", 1, 9)];
        assert_eq!(suppress(&cells, 10), vec![true, true]);
    }
}
