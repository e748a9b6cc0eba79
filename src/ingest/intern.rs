//! Interning of open-vocabulary strings (countries, programmes, currencies, domains).
//!
//! Rows store a `u32` code; the text lives once in the table's vocabulary. Each parallel
//! chunk interns locally and the chunks' vocabularies are merged in chunk order, so codes
//! are the same whatever the thread count.

use std::collections::HashMap;

/// A vocabulary under construction.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    values: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    /// An interner whose first codes are `preset`, in order (e.g. the eight domains).
    pub fn with_preset(preset: &[&str]) -> Self {
        let mut i = Interner::default();
        for v in preset {
            i.code(v);
        }
        i
    }

    /// The code of `value`, adding it when new.
    pub fn code(&mut self, value: &str) -> u32 {
        if let Some(&c) = self.index.get(value) {
            return c;
        }
        let c = self.values.len() as u32;
        self.values.push(value.to_string());
        self.index.insert(value.to_string(), c);
        c
    }

    /// Fold a chunk's vocabulary into this one; returns the chunk-code -> merged-code map.
    pub fn absorb(&mut self, chunk: &[String]) -> Vec<u32> {
        chunk.iter().map(|v| self.code(v)).collect()
    }

    pub fn into_values(self) -> Vec<String> {
        self.values
    }

    pub fn values(&self) -> &[String] {
        &self.values
    }
}

/// Rewrite codes in place through `map`.
pub fn remap(codes: &mut [u32], map: &[u32]) {
    for c in codes {
        *c = map[*c as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_is_order_stable() {
        let mut a = Interner::default();
        assert_eq!(a.code("AL"), 0);
        assert_eq!(a.code("AM"), 1);
        assert_eq!(a.code("AL"), 0);
        let mut global = Interner::with_preset(&["AM"]);
        let map = global.absorb(&a.clone().into_values());
        assert_eq!(map, vec![1, 0]);
        let mut codes = vec![0, 1, 0];
        remap(&mut codes, &map);
        assert_eq!(codes, vec![1, 0, 1]);
        assert_eq!(global.values(), &["AM".to_string(), "AL".to_string()]);
    }
}
