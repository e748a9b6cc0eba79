//! Identifier columns packed into one text buffer.
//!
//! Families, children and episodes keep their ids for reference resolution, duplicate
//! checks and messages. A `Vec<String>` costs 24 bytes of header plus a heap allocation
//! (32 bytes or more) per id, about 60 bytes for an 8-character id; tens of millions of
//! ids then take gigabytes. [`Ids`] stores the text once, back to back, with one end
//! offset per id: the id's length plus 8 bytes.

use std::collections::HashMap;
use std::ops::Index;

/// A column of ids, in row order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ids {
    text: String,
    /// End of id `i` in `text`; id `i` starts where id `i - 1` ends.
    ends: Vec<u64>,
}

impl Ids {
    /// An empty column.
    pub const fn new() -> Self {
        Ids {
            text: String::new(),
            ends: Vec::new(),
        }
    }

    /// Make room for `n` more ids (their text grows as it comes).
    pub fn reserve_exact(&mut self, n: usize) {
        self.ends.reserve_exact(n);
    }

    /// Append one id.
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len() as u64);
    }

    /// Append every id of `other`, in order.
    pub fn append(&mut self, other: &Ids) {
        let base = self.text.len() as u64;
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }

    /// Id `i`.
    ///
    /// # Panics
    /// If `i >= self.len()`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no ids.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether every id is greater than the one before (so the ids are unique and sorted).
    pub fn strictly_ascending(&self) -> bool {
        (1..self.len()).all(|i| self.get(i - 1) < self.get(i))
    }

    /// Number of leading ids less than `id`, in a strictly ascending column.
    fn partition_point(&self, id: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid) < id {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The ids in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Id -> position of a column of unique ids.
///
/// Case histories are usually exported sorted by id (registries, and `kinsight
/// generate`). Ids in strictly ascending order are unique by construction and are found
/// by binary search, so no hash map is built: on a million families with their children
/// and episodes that map cost a second of serial inserts and about 40 bytes an id. Other
/// columns get the map.
#[derive(Debug)]
pub enum IdIndex<'a> {
    Sorted(&'a Ids),
    Hashed(HashMap<&'a str, u32>),
}

impl IdIndex<'_> {
    /// Position of `id`, if present.
    pub fn get(&self, id: &str) -> Option<u32> {
        match self {
            IdIndex::Sorted(ids) => {
                let i = ids.partition_point(id);
                (i < ids.len() && ids.get(i) == id).then_some(i as u32)
            }
            IdIndex::Hashed(map) => map.get(id).copied(),
        }
    }
}

impl Index<usize> for Ids {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Ids {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut ids = Ids::new();
        for s in iter {
            ids.push(s.as_ref());
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_back_as_pushed() {
        let mut a: Ids = ["F1", "", "F0000003"].into_iter().collect();
        assert_eq!(a.len(), 3);
        assert_eq!((&a[0], &a[1], &a[2]), ("F1", "", "F0000003"));
        let b: Ids = ["é-4"].into_iter().collect();
        a.append(&b);
        assert_eq!(a.iter().collect::<Vec<_>>(), ["F1", "", "F0000003", "é-4"]);
        assert!(Ids::new().is_empty());
    }

    #[test]
    fn sorted_and_hashed_indexes_find_the_same_positions() {
        let sorted: Ids = ["C1", "C10", "C2", "F1"].into_iter().collect();
        assert!(sorted.strictly_ascending());
        let shuffled: Ids = ["F1", "C2", "C10", "C1"].into_iter().collect();
        assert!(!shuffled.strictly_ascending());
        // A repeat is not strictly ascending, so it never takes the map-free path.
        let repeated: Ids = ["A", "B", "B"].into_iter().collect();
        assert!(!repeated.strictly_ascending());
        assert!(Ids::new().strictly_ascending());

        let by_search = IdIndex::Sorted(&sorted);
        let by_map = IdIndex::Hashed(sorted.iter().zip(0..).collect());
        for (i, id) in sorted.iter().enumerate() {
            assert_eq!(by_search.get(id), Some(i as u32), "{id}");
            assert_eq!(by_map.get(id), Some(i as u32), "{id}");
        }
        for absent in ["", "A", "C0", "C11", "C3", "F10", "Z"] {
            assert_eq!(by_search.get(absent), None, "{absent}");
            assert_eq!(by_map.get(absent), None, "{absent}");
        }
        assert_eq!(IdIndex::Sorted(&Ids::new()).get("F1"), None);
    }
}
