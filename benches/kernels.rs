//! Criterion benches of the hot kernels, each on a realistic input size.
//!
//! Why these: a `kinsight run` spends its time reading and decoding Parquet
//! ([`ingest::load`]), windowing follow-up per family ([`outcomes::compute`]), building
//! Kaplan-Meier curves from per-day event tables, resampling families for bootstrap
//! intervals, and drawing the SROI Monte Carlo. Each bench times one
//! of them on its own so a regression points at one kernel. The end-to-end figures per
//! stage and dataset size come from `benches/scale.sh`.
//!
//! The ingest bench reads a generated dataset cached under the target directory
//! (`CARGO_TARGET_TMPDIR`), written once on first use. Sample sizes are small (10) to keep
//! a full `cargo bench --bench kernels` under a few minutes on two shared cores.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use kinsight::generate::{generate, GenerateOptions};
use kinsight::ingest;
use kinsight::outcomes::{self, OutcomeOptions};
use kinsight::sroi::data::DataValues;
use kinsight::sroi::impact::{resolve, Inputs};
use kinsight::sroi::model::load_model;
use kinsight::sroi::monte_carlo::simulate;
use kinsight::sroi::summary::run_sroi;
use kinsight::stats::{EventTable, KaplanMeier, PoissonBootstrap, UnitTimes};

/// Families in the cached ingest dataset (about 750,000 assessment rows).
const INGEST_FAMILIES: u64 = 20_000;

/// A generated dataset of `families` families, written on first use and reused after.
fn cached_dataset(families: u64) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-data-{families}"));
    if !dir.join("dataset.toml").is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        generate(&GenerateOptions::new(families, 2024, &dir)).expect("generate bench dataset");
    }
    dir
}

/// `n` follow-up times over five years, about a fifth of them events, from a fixed seed.
fn unit_times(n: usize) -> Vec<(i32, bool)> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    (0..n)
        .map(|_| (rng.random_range(1..=1826), rng.random_bool(0.2)))
        .collect()
}

fn read_and_decode(c: &mut Criterion) {
    let dir = cached_dataset(INGEST_FAMILIES);
    let rows = {
        let loaded = ingest::load(&dir).expect("load");
        loaded
            .quality
            .tables
            .values()
            .map(|q| q.rows_read)
            .sum::<u64>()
    };
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows));
    g.bench_function(BenchmarkId::new("load", INGEST_FAMILIES), |b| {
        b.iter(|| {
            let loaded = ingest::load(&dir).expect("load");
            assert!(loaded.dataset.is_some());
            loaded
        })
    });
    g.finish();
}

fn followup_windowing(c: &mut Criterion) {
    // Every outcome table of the cached dataset: one pass over families (index episode,
    // follow-up windows, sittings, survival times, incomes) then the merged tables. The
    // income bootstrap is timed on its own below, so here it runs 10 replicates.
    let dir = cached_dataset(INGEST_FAMILIES);
    let ds = ingest::load(&dir).expect("load").dataset.expect("usable");
    let opts = OutcomeOptions::new().with_bootstrap_reps(10);
    let mut g = c.benchmark_group("outcomes");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ds.assessments.len() as u64));
    g.bench_function(BenchmarkId::new("compute_10reps", INGEST_FAMILIES), |b| {
        b.iter(|| outcomes::compute(&ds, &opts).expect("outcomes"))
    });
    let opts = OutcomeOptions::new().with_bootstrap_reps(200);
    g.bench_function(BenchmarkId::new("compute_200reps", INGEST_FAMILIES), |b| {
        b.iter(|| outcomes::compute(&ds, &opts).expect("outcomes"))
    });
    g.finish();
}

fn kaplan_meier(c: &mut Criterion) {
    let mut g = c.benchmark_group("kaplan_meier");
    g.sample_size(20);
    for n in [100_000usize, 1_000_000] {
        let units = unit_times(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("event_table+curve", n), &units, |b, u| {
            b.iter(|| {
                let table: EventTable = u.iter().copied().collect();
                KaplanMeier::new(&table).expect("curve")
            })
        });
        let table: EventTable = units.iter().copied().collect();
        g.bench_with_input(BenchmarkId::new("curve", n), &table, |b, t| {
            b.iter(|| KaplanMeier::new(t).expect("curve"))
        });
    }
    g.finish();
}

fn bootstrap(c: &mut Criterion) {
    // Survival at five years of 100,000 families, 100 replicates: the inner loop of the
    // avoided-placements interval, as a counts-weighted event table per replicate; and the
    // batched accumulation of a counts-weighted mean (the shape of the income sums).
    let n = 100_000;
    let reps = 100;
    let units = UnitTimes::new(&unit_times(n));
    let keys: Vec<u64> = (0..n as u64)
        .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .collect();
    let boot = PoissonBootstrap::new(42);
    let mut g = c.benchmark_group("bootstrap");
    g.sample_size(10);
    g.throughput(Throughput::Elements((n * reps) as u64));
    g.bench_function(BenchmarkId::new("km_5y_100reps", n), |b| {
        b.iter(|| {
            (0..reps as u64)
                .map(|r| {
                    let t = units.table(&boot.counts(r, &keys)).expect("table");
                    KaplanMeier::new(&t).expect("curve").survival_at(1826)
                })
                .sum::<f64>()
        })
    });
    g.bench_function(BenchmarkId::new("counts_only_100reps", n), |b| {
        b.iter(|| {
            (0..reps as u64)
                .map(|r| boot.counts(r, &keys)[0])
                .sum::<u32>()
        })
    });
    let values: Vec<(u64, f64)> = keys.iter().map(|&k| (k, (k % 1000) as f64)).collect();
    g.bench_function(BenchmarkId::new("accumulate_mean_100reps", n), |b| {
        b.iter(|| {
            boot.accumulate(
                reps,
                &values,
                |u| u.0,
                || [0.0f64; 2],
                |a, u, c| {
                    a[0] += f64::from(c) * u.1;
                    a[1] += f64::from(c);
                },
            )
        })
    });
    g.finish();
}

fn monte_carlo(c: &mut Criterion) {
    let model = load_model(Path::new("data/sample/model.toml")).expect("sample model");
    let data = DataValues::new()
        .with("avoided_placements", 18.0)
        .with("cost_per_placement", 9_500.0)
        .with("families_programme", 240.0)
        .with("income_effect_annual", 420.0)
        .with("families_doing_well_y1", 170.0);
    // 2,000 bootstrap replicates of the data keys, as the pipeline passes them.
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let replicates: Vec<DataValues> = (0..2_000)
        .map(|_| {
            DataValues::new()
                .with("avoided_placements", 18.0 + rng.random_range(-4.0..4.0))
                .with(
                    "cost_per_placement",
                    9_500.0 + rng.random_range(-500.0..500.0),
                )
                .with("families_programme", 240.0)
                .with(
                    "income_effect_annual",
                    420.0 + rng.random_range(-80.0..80.0),
                )
                .with(
                    "families_doing_well_y1",
                    170.0 + rng.random_range(-10.0..10.0),
                )
        })
        .collect();
    let inputs = Inputs::total(200_000.0);
    let total = inputs.value(&model).expect("inputs");
    let params = resolve(&model, &data).expect("resolve");
    let mut g = c.benchmark_group("monte_carlo");
    g.sample_size(10);
    g.throughput(Throughput::Elements(model.study.draws as u64));
    g.bench_function(BenchmarkId::new("draws", model.study.draws), |b| {
        b.iter(|| simulate(&model, &params, &replicates, total).expect("draws"))
    });
    g.bench_function(BenchmarkId::new("run_sroi", model.study.draws), |b| {
        b.iter(|| run_sroi(&model, &data, &replicates, &inputs).expect("sroi"))
    });
    g.finish();
}

criterion_group!(
    kernels,
    read_and_decode,
    followup_windowing,
    kaplan_meier,
    bootstrap,
    monte_carlo
);
criterion_main!(kernels);
