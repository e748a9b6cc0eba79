//! Timing of the outcome stage on a generated dataset (not part of the library):
//! `cargo bench --bench outcomes_timing -- DIR [REPS]` (a plain timing binary, kept in
//! `benches/` because the project layout has no `examples/`).

use std::time::Instant;

fn main() {
    // `cargo bench` adds `--bench`: flags are not ours.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let dir = args.next().expect("dataset folder");
    let reps: usize = args.next().map_or(2000, |r| r.parse().expect("reps"));
    let t = Instant::now();
    let loaded = kinsight::ingest::load(std::path::Path::new(&dir)).expect("readable");
    let ds = loaded.dataset.expect("valid");
    let load = t.elapsed();
    let opts = kinsight::outcomes::OutcomeOptions::new()
        .with_bootstrap_reps(reps)
        .with_by(vec!["country".into()]);
    let t = Instant::now();
    let o = kinsight::outcomes::compute(&ds, &opts).expect("outcomes");
    let compute = t.elapsed();
    let t = Instant::now();
    let q = kinsight::quantities::sroi_quantities(&ds, &opts, 5.0).expect("quantities");
    let quantities = t.elapsed();
    let rows = ds.families.len()
        + ds.children.len()
        + ds.episodes.len()
        + ds.assessments.len()
        + ds.income.len()
        + ds.care_events.len()
        + ds.followup_contacts.len();
    println!(
        "families {} rows {} | load {:.1}s | compute {:.1}s ({:.0} rows/s) | sroi_quantities {:.1}s | headline {:?} | base {:?}",
        ds.families.len(),
        rows,
        load.as_secs_f64(),
        compute.as_secs_f64(),
        rows as f64 / compute.as_secs_f64(),
        quantities.as_secs_f64(),
        o.headline,
        q.base
    );
}
