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

fn data() -> DataValues {
    DataValues::new()
        .with("avoided_placements", 18.0)
        .with("cost_per_placement", 9_500.0)
        .with("families_programme", 240.0)
        .with("income_effect_annual", 420.0)
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
    // avoided_care: 18 x 9500 x 0.8 / 1.035 = 132173.913...
    assert!((s.outcomes[0].pv - 18.0 * 9500.0 * 0.8 / 1.035).abs() < 1e-6);
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
