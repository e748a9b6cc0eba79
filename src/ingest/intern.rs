//! Interning of open-vocabulary strings (countries, programmes, currencies, domains).
//!
//! Rows store a `u32` code; the text lives once in the table's vocabulary. Each parallel
//! chunk interns locally and the chunks' vocabularies are merged in chunk order, so codes
//! are the same whatever the thread count.

use std::collections::HashMap;

use super::column::Strings;

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

/// Interning of one open-vocabulary column of a batch. Rows are interned in row order
/// when they are kept (so the vocabulary holds exactly the values of kept rows, in
/// order of first use, whatever the encoding); for a dictionary column each dictionary
/// value is hashed once, not once per row (an assessments batch repeats eight domains
/// across a million rows).
pub struct ColumnCodes {
    /// Code per dictionary key, `u32::MAX` until first use.
    per_key: Vec<u32>,
}

impl ColumnCodes {
    pub fn new(column: &Strings) -> Self {
        ColumnCodes {
            per_key: vec![u32::MAX; column.dict_len()],
        }
    }

    /// The code of row `i` of `column`, whose value is `value`.
    pub fn code(
        &mut self,
        interner: &mut Interner,
        column: &Strings,
        i: usize,
        value: &str,
    ) -> u32 {
        match column.dict_key(i) {
            Some(k) => {
                let c = &mut self.per_key[k as usize];
                if *c == u32::MAX {
                    *c = interner.code(value);
                }
                *c
            }
            None => interner.code(value),
        }
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

    #[test]
    fn column_codes_agree_for_plain_and_dictionary_columns() {
        use arrow::array::{ArrayRef, DictionaryArray, StringArray};
        use arrow::datatypes::Int32Type;
        use std::sync::Arc;
        let values = ["safety", "income", "safety", "health", "income"];
        let plain: ArrayRef = Arc::new(StringArray::from(values.to_vec()));
        // Dictionary order (health, income, safety) differs from first use.
        let dict: ArrayRef = Arc::new(
            DictionaryArray::<Int32Type>::try_new(
                vec![2, 1, 2, 0, 1].into(),
                Arc::new(StringArray::from(vec!["health", "income", "safety"])),
            )
            .unwrap(),
        );
        for a in [&plain, &dict] {
            let column = Strings::new(a).unwrap();
            let mut interner = Interner::with_preset(&["health"]);
            let mut codes = ColumnCodes::new(&column);
            // Row 1 is set aside: its value is interned only at its next kept use.
            let kept: Vec<u32> = [0, 2, 3, 4]
                .into_iter()
                .map(|i| codes.code(&mut interner, &column, i, values[i]))
                .collect();
            assert_eq!(kept, vec![1, 1, 0, 2]);
            assert_eq!(interner.values(), &["health", "safety", "income"]);
        }
    }
}
