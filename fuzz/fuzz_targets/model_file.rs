//! Arbitrary text as an SROI model file: parsed and checked, and a model that passes is
//! run (with few draws) on made-up data values, so that every number the check lets
//! through is one the computation can handle.
#![no_main]

use kinsight::sroi::data::{DataValues, DATA_KEYS};
use kinsight::sroi::impact::Inputs;
use kinsight::sroi::model::ModelFile;
use kinsight::sroi::summary::run_sroi;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = ModelFile::parse(text, "fuzz.toml") else {
        return;
    };
    let Ok(mut model) = file.check() else {
        return;
    };
    model.study.draws = model.study.draws.min(64);
    model.study.bootstrap_reps = model.study.bootstrap_reps.min(4);
    let values = DATA_KEYS
        .iter()
        .zip([240.0, 400.0, 18.0, 9_500.0, 420.0, 170.0, 160.0, 150.0, 140.0, 130.0])
        .fold(DataValues::new(), |v, (k, x)| v.with(k, x));
    let _ = run_sroi(&model, &values, &[], &Inputs::total(200_000.0));
});
