//! Partial states of disjoint family ranges merge into exactly the single-pass outcomes
//! (data/sample split 1, 3 and 7 ways, merged in a scrambled order).

use std::path::Path;

use kinsight::ingest;
use kinsight::outcomes::{compute, partial, OutcomeOptions};

#[test]
fn split_and_merged_equals_single_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let ds = ingest::load(&dir).unwrap().dataset.unwrap();
    let opts = OutcomeOptions::new()
        .with_bootstrap_reps(100)
        .with_seed(5)
        .with_by(vec!["country".into(), "arm".into()]);
    let whole = compute(&ds, &opts).unwrap();
    // Every kind of state is exercised, the reintegration tables (returns home, staying
    // home at both levels, the log-rank test) included.
    for m in ["returned_home", "still_home", "log_rank_vs_comparison"] {
        assert!(whole.reintegration.iter().any(|r| r.measure == m), "{m}");
    }
    assert!(whole
        .reintegration
        .iter()
        .any(|r| r.group.starts_with("country=") && r.measure == "still_home"));
    let n = ds.families.len();
    for parts in [1usize, 3, 7] {
        let bounds: Vec<usize> = (0..=parts).map(|i| i * n / parts).collect();
        let mut states: Vec<_> = bounds
            .windows(2)
            .map(|w| partial(&ds, &opts, w[0]..w[1]).unwrap())
            .collect();
        states.reverse();
        states.rotate_left(parts / 2);
        let mut merged = states.remove(0);
        for s in states {
            merged.merge(s).unwrap();
        }
        merged.note_missing_tables(&ds);
        assert_eq!(merged.finish().unwrap(), whole, "{parts} parts");
    }
}
