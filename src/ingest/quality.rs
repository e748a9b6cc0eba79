//! Row accounting per table: read = kept + set aside, with reasons.
//!
//! This is what `quality.json` holds. It is the promise that no row is ever lost
//! silently: every row read is either kept or counted under a rule code. It contains
//! counts only, never ids, row numbers or dates, because `quality.json` is published.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Accounting of one table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableQuality {
    /// Whether the table was present in the dataset.
    pub present: bool,
    /// Number of Parquet files read for it.
    pub files: u64,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_set_aside: u64,
    /// Rows set aside per rule code.
    pub set_aside_by_reason: BTreeMap<String, u64>,
}

impl TableQuality {
    /// Record `n` rows set aside under `reason`.
    pub fn set_aside(&mut self, reason: &str, n: u64) {
        if n == 0 {
            return;
        }
        self.rows_set_aside += n;
        *self
            .set_aside_by_reason
            .entry(reason.to_string())
            .or_insert(0) += n;
    }

    /// True when the accounting adds up.
    pub fn balances(&self) -> bool {
        self.rows_read == self.rows_kept + self.rows_set_aside
            && self.set_aside_by_reason.values().sum::<u64>() == self.rows_set_aside
    }
}

/// The whole `quality.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    pub dataset: String,
    pub usable: bool,
    pub tables: BTreeMap<String, TableQuality>,
    /// Problems per table and rule (counts only).
    pub problems: Vec<ProblemCount>,
}

/// How often one rule fired in one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemCount {
    pub table: String,
    pub rule: String,
    pub severity: String,
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_aside_keeps_the_books_balanced() {
        let mut q = TableQuality {
            present: true,
            files: 1,
            rows_read: 10,
            rows_kept: 7,
            ..Default::default()
        };
        q.set_aside("score_out_of_range", 2);
        q.set_aside("null_required", 1);
        q.set_aside("null_required", 0);
        assert!(q.balances());
        assert_eq!(q.set_aside_by_reason.len(), 2);
        q.rows_kept = 8;
        assert!(!q.balances());
    }
}
