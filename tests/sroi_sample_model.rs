//! The bundled sample model file parses, passes every check and runs end to end.
//!
//! The file is what new users copy, so it must stay valid as the engine evolves.

use std::path::Path;

use kinsight::sroi::data::{DataValues, DATA_KEYS};
use kinsight::sroi::discount::Schedule;
use kinsight::sroi::impact::Inputs;
use kinsight::sroi::model::{load_model, Base, Evidence};
use kinsight::sroi::summary::{run_sroi, Summary};

fn sample() -> kinsight::sroi::model::ValidModel {
    load_model(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/sample/model.toml"
    )))
    .unwrap()
}

#[test]
fn sample_model_is_valid_and_sourced() {
    let m = sample();
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    assert_eq!(m.study.discounting.schedule, Schedule::Constant(0.035));
    assert_eq!(
        (m.study.draws, m.study.bootstrap_reps, m.study.min_cell),
        (10_000, 2000, 10)
    );
    assert!(m.study.two_way.is_some());
    let ids: Vec<&str> = m.outcomes.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["avoided_care", "family_income", "child_wellbeing"]);
    let stakeholders: Vec<&str> = m.outcomes.iter().map(|o| o.stakeholder.as_str()).collect();
    assert_eq!(stakeholders, ["state", "families", "children"]);
    for (_, name, p) in m.parameters() {
        if let Base::Data(k) = &p.base {
            assert!(DATA_KEYS.contains(&k.as_str()));
            assert_eq!(p.evidence, Evidence::Data, "{name}");
        }
        assert!(!p.source.is_empty(), "{name} has no source");
    }
}

/// The sample model's data keys; the two outcomes with `flows = "data"` take their years
/// from avoided_placements_y1..y2 (6 + 12 = 18) and income_effect_y1..y3 (mean 420).
fn data() -> DataValues {
    DataValues::new()
        .with("avoided_placements", 18.0)
        .with("avoided_placements_y1", 6.0)
        .with("avoided_placements_y2", 12.0)
        .with("cost_per_placement", 9_500.0)
        .with("families_programme", 240.0)
        .with("income_effect_annual", 420.0)
        .with("income_effect_y1", 480.0)
        .with("income_effect_y2", 420.0)
        .with("income_effect_y3", 360.0)
        .with("families_doing_well_y1", 170.0)
        .with("comparison_doing_well_y1", 0.55)
}

#[test]
fn sample_model_runs_and_writes_every_output() {
    let mut m = sample();
    m.study.draws = 2000; // keep the debug-build test quick
                          // Bootstrap replicates: +-10 % around the point estimates.
    let reps: Vec<DataValues> = (0..50)
        .map(|k| {
            let f = 0.9 + 0.2 * k as f64 / 49.0;
            data()
                .iter()
                .map(|(key, v)| (key.to_string(), v * f))
                .collect()
        })
        .collect();
    let r = run_sroi(&m, &data(), &reps, &Inputs::total(200_000.0)).unwrap();
    let s = &r.summary;
    // avoided_care: 9500 x 0.8 x (6 / 1.035 + 12 / 1.035^2) = 44057.971 + 85136.176.
    let care = 9500.0 * 0.8 * (6.0 / 1.035 + 12.0 / 1.035f64.powi(2));
    assert!((care - 129194.147).abs() < 1e-3);
    assert!((s.outcomes[0].pv - care).abs() < 1e-6);
    assert_eq!(s.outcomes[0].duration, 2);
    assert_eq!(s.outcomes[0].flows, "data");
    // family_income: 240 families x (480, 420, 360) x (1 - 0.05) x (1 - 0.25) in years 1-3.
    let inc: f64 = [480.0, 420.0, 360.0]
        .iter()
        .enumerate()
        .map(|(t, e)| 240.0 * e * 0.95 * 0.75 / 1.035f64.powi(t as i32 + 1))
        .sum();
    assert!((s.outcomes[1].pv - inc).abs() < 1e-6);
    assert!(s.ratio > 0.5 && s.ratio < 10.0, "ratio {}", s.ratio);
    let mc = &s.monte_carlo;
    assert!(mc.ratio_p2_5 < mc.ratio_p50 && mc.ratio_p50 < mc.ratio_p97_5);
    assert_eq!(mc.replicates, 50);
    assert!(s.two_way.as_ref().is_some_and(|g| g.ratio.len() == 11));
    assert!(s.assumed.share_of_pv > 0.0 && s.assumed.share_of_pv <= 1.0);
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in r.files(&m).unwrap() {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    for f in ["summary.json", "draws.parquet", "impact_map.xlsx"] {
        assert!(dir.path().join(f).metadata().unwrap().len() > 0, "{f}");
    }
    let back: Summary =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(back.ratio, s.ratio);
    assert_eq!(back.monte_carlo, s.monte_carlo);
}

/// Every parameter with a distribution (given, or triangular from low/high) takes more
/// than one value across the draws written to `draws.parquet`; certain ones take one.
#[test]
fn every_uncertain_parameter_varies_across_the_draws() {
    use arrow::array::Float64Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let mut m = sample();
    m.study.draws = 500;
    let r = run_sroi(&m, &data(), &[], &Inputs::total(200_000.0)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in r.files(&m).unwrap() {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let file = std::fs::File::open(dir.path().join("draws.parquet")).unwrap();
    let batches: Vec<_> = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut uncertain = 0;
    for (_, name, p) in m.parameters() {
        let mut values: Vec<f64> = Vec::new();
        for b in &batches {
            let col = b
                .column_by_name(&name)
                .unwrap_or_else(|| panic!("draws.parquet has no column {name}"));
            let col = col.as_any().downcast_ref::<Float64Array>().unwrap();
            values.extend(col.values().iter().copied());
        }
        assert_eq!(values.len(), 500, "{name}");
        let distinct = values.iter().any(|v| *v != values[0]);
        assert_eq!(distinct, p.dist.is_some(), "{name}: varies = {distinct}");
        uncertain += usize::from(p.dist.is_some());
    }
    // avoided_care displacement and attribution; family_income displacement and
    // attribution; child_wellbeing proxy, duration (triangular 1-3-5), displacement,
    // attribution, drop-off. The rest are data (bootstrap replicates, none here: the
    // child_wellbeing deadweight is the measured comparison share) or 0 by method (no
    // drop-off on flows taken from the data).
    assert_eq!(uncertain, 9);
    let d = m.find_param("child_wellbeing.duration").unwrap();
    let dur = r.draws.column(&m, d).unwrap();
    assert!(
        dur.iter().any(|x| x.fract() != 0.0),
        "a drawn duration is fractional"
    );
    assert!(dur.iter().all(|x| (1.0..=5.0).contains(x)));
}
