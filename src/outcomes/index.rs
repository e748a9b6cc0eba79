//! Rows grouped by the family (or child) they belong to, without sorting the tables.
//!
//! A counting sort over the owner position gives, per owner, the range of its rows in one
//! flat array (compressed sparse rows). Building it is O(rows + owners) and every lookup
//! afterwards is a slice, so the per-family pass never searches or joins.

/// For each owner `o`, `rows[offsets[o]..offsets[o + 1]]` are its row numbers, in table
/// order.
#[derive(Debug, Clone, Default)]
pub struct RowIndex {
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl RowIndex {
    /// Group the rows whose owners are `owner_of` (one entry per row) among `owners` owners.
    pub fn new(owner_of: &[u32], owners: usize) -> Self {
        let mut offsets = vec![0u32; owners + 1];
        for &o in owner_of {
            offsets[o as usize + 1] += 1;
        }
        for i in 0..owners {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut rows = vec![0u32; owner_of.len()];
        for (row, &o) in owner_of.iter().enumerate() {
            let slot = &mut next[o as usize];
            rows[*slot as usize] = row as u32;
            *slot += 1;
        }
        Self { offsets, rows }
    }

    /// The rows of owner `o` (empty for an owner beyond the index).
    pub fn of(&self, o: usize) -> &[u32] {
        match (self.offsets.get(o), self.offsets.get(o + 1)) {
            (Some(&a), Some(&b)) => &self.rows[a as usize..b as usize],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_rows_by_owner_in_table_order() {
        let idx = RowIndex::new(&[2, 0, 2, 1, 0], 4);
        assert_eq!(idx.of(0), &[1, 4]);
        assert_eq!(idx.of(1), &[3]);
        assert_eq!(idx.of(2), &[0, 2]);
        assert!(idx.of(3).is_empty());
        assert!(idx.of(9).is_empty());
    }
}
