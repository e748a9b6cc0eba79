//! Where kept rows came from, for the whole-table checks that run after parsing
//! (duplicate service ids, care histories) and must name a file and row.
//!
//! A file name and row number stored per row cost tens of bytes a row: gigabytes for the
//! tens of millions of services of a national caseload. A batch's kept rows are instead
//! described once per batch, by its first row and the positions set aside in it (usually
//! none): kept row `j` is batch row `j` plus the set-aside rows before it.

use super::scan::Batch;

/// The kept rows of one parsed batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchPlaces {
    file: String,
    first_row: u64,
    /// Batch positions set aside, ascending.
    skipped: Vec<u32>,
    kept: usize,
}

impl BatchPlaces {
    /// Places of `b`'s rows, none kept yet.
    pub fn new(b: &Batch) -> Self {
        BatchPlaces {
            file: b.file.display.clone(),
            first_row: b.first_row,
            skipped: Vec::new(),
            kept: 0,
        }
    }

    /// The next batch row is kept.
    pub fn keep(&mut self) {
        self.kept += 1;
    }

    /// Batch row `i` was set aside (rows are visited in order).
    pub fn skip(&mut self, i: usize) {
        self.skipped.push(i as u32);
    }

    /// 1-based row number within the file of the batch's `kept`-th kept row (0-based).
    fn row_no(&self, kept: usize) -> u64 {
        let mut i = kept as u64;
        for &s in &self.skipped {
            if u64::from(s) <= i {
                i += 1;
            } else {
                break;
            }
        }
        self.first_row + i + 1
    }
}

/// The kept rows of a whole table, in the order the batches were concatenated.
#[derive(Debug, Clone, PartialEq)]
pub struct Places {
    batches: Vec<BatchPlaces>,
    /// Index of each batch's first kept row in the concatenated table.
    starts: Vec<usize>,
}

impl Places {
    /// Places of the concatenation of `batches`, in order.
    pub fn new(batches: Vec<BatchPlaces>) -> Self {
        let mut starts = Vec::with_capacity(batches.len());
        let mut n = 0;
        for b in &batches {
            starts.push(n);
            n += b.kept;
        }
        Places { batches, starts }
    }

    /// File and 1-based row of kept row `i` of the concatenated table.
    ///
    /// # Panics
    /// If `i` is not a kept row.
    pub fn locate(&self, i: usize) -> (&str, u64) {
        let b = self.starts.partition_point(|&s| s <= i) - 1;
        let batch = &self.batches[b];
        assert!(i - self.starts[b] < batch.kept, "row {i} was not kept");
        (&batch.file, batch.row_no(i - self.starts[b]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(file: &str, first_row: u64, rows: usize, skipped: &[u32]) -> BatchPlaces {
        BatchPlaces {
            file: file.into(),
            first_row,
            skipped: skipped.to_vec(),
            kept: rows - skipped.len(),
        }
    }

    #[test]
    fn kept_rows_step_over_the_rows_set_aside() {
        // Batch rows 0..6 of a.parquet starting at file row 101; rows 1, 2 and 4 set aside:
        // kept rows are batch rows 0, 3, 5 = file rows 101, 104, 106.
        let p = Places::new(vec![batch("a.parquet", 100, 6, &[1, 2, 4])]);
        assert_eq!(p.locate(0), ("a.parquet", 101));
        assert_eq!(p.locate(1), ("a.parquet", 104));
        assert_eq!(p.locate(2), ("a.parquet", 106));
    }

    #[test]
    fn batches_are_concatenated_in_order() {
        let p = Places::new(vec![
            batch("a.parquet", 0, 2, &[]),
            batch("a.parquet", 2, 3, &[0, 1, 2]),
            batch("b.parquet", 0, 3, &[0]),
        ]);
        assert_eq!(p.locate(0), ("a.parquet", 1));
        assert_eq!(p.locate(1), ("a.parquet", 2));
        // The second batch kept nothing; row 2 of the table is b.parquet's second row.
        assert_eq!(p.locate(2), ("b.parquet", 2));
        assert_eq!(p.locate(3), ("b.parquet", 3));
    }
}
