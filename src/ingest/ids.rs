//! Identifier columns packed into one text buffer.
//!
//! Families, children and episodes keep their ids for reference resolution, duplicate
//! checks and messages. A `Vec<String>` costs 24 bytes of header plus a heap allocation
//! (32 bytes or more) per id, about 60 bytes for an 8-character id; tens of millions of
//! ids then take gigabytes. [`Ids`] stores the text once, back to back, with one end
//! offset per id: the id's length plus 8 bytes.

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
    pub fn new() -> Self {
        Self::default()
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

    /// The ids in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
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
}
