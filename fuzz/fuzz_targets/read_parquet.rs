//! Arbitrary bytes as one table's Parquet file. The first byte picks the table.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let tables = common::tables();
    let table = &tables[pick as usize % tables.len()];
    let loaded = common::load_with(table, bytes);
    // Every table's rows are accounted for, whatever the file held.
    for (t, q) in &loaded.quality.tables {
        assert!(q.balances(), "{t}: {q:?}");
    }
});
