//! The whole pipeline on datasets validation accepts, built with extreme values (issue
//! 22, items 2 and 5): each run completes with only finite numbers written, or stops
//! with a reason. The body is `tests/whole/mod.rs`, the same as the fuzz target
//! `whole_pipeline`; here it runs on a fixed number of proptest cases (seeded, so CI
//! sees the same cases every time) and on hand-picked extremes.

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

mod whole;
use whole::Ended;

proptest! {
    #![proptest_config(Config {
        // 40 in CI; PROPTEST_CASES=N runs more (as a fuzzing stand-in).
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(40),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        // Fixed unless PROPTEST_RNG_SEED is set: CI sees the same cases every time.
        rng_seed: proptest::test_runner::RngSeed::Fixed(
            std::env::var("PROPTEST_RNG_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(22),
        ),
        ..Config::default()
    })]

    #[test]
    fn every_accepted_dataset_ends_in_a_result_or_a_reason(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        let ended = whole::case(&bytes, dir.path());
        prop_assert_eq!(ended.len(), 2);
    }
}

/// Hand-picked extremes: every amount at 1e308 or the bound, every rate tiny, one
/// family, an early cut-off; each byte pattern steers the builder to one corner.
#[test]
fn extreme_corners_end_in_a_result_or_a_reason() {
    for fill in [0u8, 1, 3, 4, 5, 6, 7, 0x10, 0x40, 0x81, 0xff] {
        for len in [0usize, 7, 64, 400] {
            let bytes = vec![fill; len];
            let dir = tempfile::tempdir().unwrap();
            let ended = whole::case(&bytes, dir.path());
            assert_eq!(ended.len(), 2, "{fill} x {len}");
            for e in ended {
                if let Ended::Reason(r) = e {
                    assert!(!r.is_empty());
                }
            }
        }
    }
}

/// Inputs of the `whole_pipeline` fuzz target kept in `tests/fuzz_regressions/
/// whole_pipeline/` (crashes found by fuzzing, and the reproducers of issue 22) still end
/// in a result or a reason.
#[test]
fn fuzz_regressions_whole_pipeline_replay() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions/whole_pipeline");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let bytes = std::fs::read(&case).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let ended = whole::case(&bytes, tmp.path());
        eprintln!("{}: {ended:?}", case.display());
        assert_eq!(ended.len(), 2);
    }
}
