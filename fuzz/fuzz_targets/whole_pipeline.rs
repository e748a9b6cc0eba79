//! The whole pipeline from arbitrary bytes (issue 22, item 5): the bytes choose a small
//! dataset that validation accepts, with values anywhere it allows (amounts up to 1e308,
//! rates and indices from 1e-300 to 1e300, one family, one arm, zero-length episodes,
//! dates on the cut-off), then `kinsight outcomes` and `kinsight sroi` (16 draws) run on
//! it. A panic, a non-finite number in any output, or an error refusing one is a crash;
//! an error that is a reason (invalid data, a data key the dataset cannot measure) is
//! not. The body is `tests/whole/mod.rs`, which `tests/pipeline_properties.rs` also runs
//! as a property test.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/whole/mod.rs"]
mod whole;

fuzz_target!(|data: &[u8]| {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(1).build_global();
    });
    let dir = std::env::temp_dir().join(format!("kinsight-fuzz-whole-{}", std::process::id()));
    whole::case(data, &dir);
    if let Ok(keep) = std::env::var("KINSIGHT_FUZZ_DUMP") {
        let _ = std::process::Command::new("cp")
            .args(["-r", &dir.join("data").display().to_string(), &keep])
            .status();
    }
});
