//! End to end through the real binary: `kinsight generate`, then `run`, `outcomes`,
//! `sroi` and `report`, checking the output contract (docs/outputs.md), exit codes,
//! determinism across thread counts, and disclosure control on published files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::cli::{kinsight, ok, p};

/// A generated dataset plus a copy of the sample model with fewer draws (debug builds).
fn dataset(tmp: &Path, families: u64, seed: u64, countries: Option<&str>) -> (PathBuf, PathBuf) {
    let data = tmp.join("data");
    let fam = families.to_string();
    let seed = seed.to_string();
    let mut args = vec![
        "generate",
        "--families",
        &fam,
        "--seed",
        &seed,
        "--out",
        p(&data),
        "--quiet",
    ];
    if let Some(c) = countries {
        args.extend(["--countries", c]);
    }
    ok(&args);
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/model.toml"))
            .unwrap();
    let text = text
        .replace("draws = 10000", "draws = 2000")
        .replace("bootstrap_reps = 2000", "bootstrap_reps = 200");
    assert!(text.contains("draws = 2000") && text.contains("bootstrap_reps = 200"));
    let model = tmp.join("model.toml");
    fs::write(&model, text).unwrap();
    (data, model)
}

/// The columns docs/outputs.md fixes, per table.
const TABLES: &[(&str, &str)] = &[
    ("followup_domains", "group,arm,domain,year,due,deceased_or_abroad,observed,response_rate,doing_well,share,ci_low,ci_high,share_weighted,ci_low_weighted,ci_high_weighted,suppressed"),
    ("survival_curve", "group,arm,level,day,at_risk,events,censored,survival,ci_low,ci_high"),
    ("survival_years", "group,arm,level,year,survival,ci_low,ci_high,at_risk,suppressed"),
    ("survival_tests", "by,level,role,chi_square,df,p_value"),
    ("score_change", "group,arm,domain,year,n,mean_change,ci_low,ci_high,improved,same,worse,suppressed"),
    ("income_effect", "group,year,n_programme,n_comparison,mean_delta_programme,mean_delta_comparison,effect,ci_low,ci_high,mean_delta_programme_weighted,mean_delta_comparison_weighted,effect_weighted,ci_low_weighted,ci_high_weighted,method"),
];

const CHARTS: &[&str] = &[
    "followup_domains",
    "survival",
    "sroi_waterfall",
    "tornado",
    "sroi_distribution",
    "cost_of_care",
];

/// A CSV file as header names and rows of fields (no quoted commas in our tables'
/// numeric columns; group labels are checked separately).
fn csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

fn num(row: &BTreeMap<String, String>, col: &str) -> Option<f64> {
    row.get(col).and_then(|v| v.parse().ok())
}

fn files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}

#[test]
fn run_writes_every_output_of_the_contract() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, model) = dataset(tmp.path(), 400, 5, None);
    let out = tmp.path().join("out");
    let o = ok(&[
        "run",
        "--data",
        p(&data),
        "--model",
        p(&model),
        "--out",
        p(&out),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("SROI:"), "{stdout}");

    for (table, columns) in TABLES {
        for ext in ["csv", "parquet"] {
            let f = out.join(format!("tables/{table}.{ext}"));
            assert!(f.is_file(), "missing {}", f.display());
        }
        let (header, rows) = csv(&out.join(format!("tables/{table}.csv")));
        let want: Vec<&str> = columns.split(',').collect();
        for c in &want {
            assert!(
                header.iter().any(|h| h == c),
                "{table}: no column {c} in {header:?}"
            );
        }
        assert!(!rows.is_empty(), "{table} is empty");
    }
    for f in [
        "sroi/summary.json",
        "sroi/draws.parquet",
        "sroi/impact_map.xlsx",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    for c in CHARTS {
        for ext in ["svg", "png"] {
            assert!(
                out.join(format!("charts/{c}.{ext}")).is_file(),
                "missing chart {c}.{ext}"
            );
        }
    }
    for f in [
        "report.html",
        "manifest.json",
        "quality.json",
        "tables/cost_of_care.csv",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }

    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("sroi/summary.json")).unwrap()).unwrap();
    for key in [
        "currency",
        "price_year",
        "discount_rate",
        "inputs",
        "pv_total",
        "npv",
        "ratio",
        "net_ratio",
        "payback_months",
        "outcomes",
        "monte_carlo",
        "one_way",
        "thresholds",
    ] {
        assert!(summary.get(key).is_some(), "summary.json has no {key}");
    }
    let mc = &summary["monte_carlo"];
    for key in [
        "draws",
        "seed",
        "ratio_mean",
        "ratio_p2_5",
        "ratio_p50",
        "ratio_p97_5",
        "npv_p2_5",
        "npv_p97_5",
        "prob_ratio_gt_1",
    ] {
        assert!(mc.get(key).is_some(), "monte_carlo has no {key}");
    }
    assert_eq!(mc["draws"], 2000);
    let ratio = summary["ratio"].as_f64().unwrap();
    assert!(ratio.is_finite() && ratio > 0.0);
    assert!(mc["ratio_p2_5"].as_f64().unwrap() <= mc["ratio_p97_5"].as_f64().unwrap());

    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["engine"], "kinsight");
    assert_eq!(manifest["seed"], 20240501);
    assert!(manifest["model"].as_str().unwrap().contains("[study]"));
    let written: BTreeSet<String> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    for f in files(&out) {
        let f = f.to_str().unwrap().to_string();
        assert!(
            written.contains(&f),
            "{f} is not listed in manifest.outputs"
        );
    }
    // The rows accounting: read = kept + set aside, per table.
    for (t, rows) in manifest["tables"].as_object().unwrap() {
        let n = |k: &str| rows[k].as_u64().unwrap();
        assert_eq!(n("read"), n("kept") + n("set_aside"), "{t}");
    }

    // The report: self-contained, with the headline ratio as summary.json has it.
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<svg"), "charts are inlined");
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(
        html.contains(&format!("{ratio:.2}")),
        "headline ratio {ratio:.2} not in report"
    );
}

#[test]
fn outcomes_and_sroi_commands_write_their_parts_only() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, model) = dataset(tmp.path(), 300, 8, None);
    let out = tmp.path().join("o");
    ok(&[
        "outcomes",
        "--data",
        p(&data),
        "--out",
        p(&out),
        "--by",
        "country",
        "--format",
        "csv",
        "--quiet",
    ]);
    assert!(out.join("tables/followup_domains.csv").is_file());
    assert!(!out.join("tables/followup_domains.parquet").exists());
    assert!(!out.join("sroi").exists() && !out.join("report.html").exists());
    let (_, rows) = csv(&out.join("tables/followup_domains.csv"));
    assert!(rows.iter().any(|r| r["group"].starts_with("country=")));

    let s = tmp.path().join("s");
    ok(&[
        "sroi",
        "--data",
        p(&data),
        "--model",
        p(&model),
        "--out",
        p(&s),
        "--quiet",
    ]);
    assert!(s.join("sroi/summary.json").is_file());
    assert!(!s.join("tables").exists());
}

#[test]
fn exit_codes_follow_the_contract() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, model) = dataset(tmp.path(), 200, 9, None);
    let code = |args: &[&str]| kinsight(args).status.code();

    // 2: usage (unknown --by column, bad flag).
    let o = kinsight(&[
        "outcomes",
        "--data",
        p(&data),
        "--out",
        p(&tmp.path().join("a")),
        "--by",
        "shoe_size",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shoe_size"));
    assert_eq!(code(&["run", "--no-such-flag"]), Some(2));

    // 1: a model whose money settings differ from the dataset's.
    let bad_model = tmp.path().join("bad.toml");
    fs::write(
        &bad_model,
        fs::read_to_string(&model)
            .unwrap()
            .replace("price_year = 2024", "price_year = 2019"),
    )
    .unwrap();
    let o = kinsight(&[
        "run",
        "--data",
        p(&data),
        "--model",
        p(&bad_model),
        "--out",
        p(&tmp.path().join("b")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("price_year"));

    // 1: an unusable dataset (a required table missing); quality.json is still written.
    let broken = tmp.path().join("broken");
    fs::create_dir(&broken).unwrap();
    for f in files(&data) {
        let dst = broken.join(&f);
        fs::create_dir_all(dst.parent().unwrap()).unwrap();
        fs::copy(data.join(&f), dst).unwrap();
    }
    fs::remove_file(broken.join("episodes.parquet")).unwrap();
    let out = tmp.path().join("c");
    assert_eq!(
        code(&[
            "run",
            "--data",
            p(&broken),
            "--model",
            p(&model),
            "--out",
            p(&out)
        ]),
        Some(1)
    );
    assert!(out.join("quality.json").is_file());

    // 3: refusing to write into someone else's folder.
    let theirs = tmp.path().join("theirs");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("thesis.docx"), b"precious").unwrap();
    assert_eq!(
        code(&["outcomes", "--data", p(&data), "--out", p(&theirs)]),
        Some(3)
    );
    assert_eq!(fs::read(theirs.join("thesis.docx")).unwrap(), b"precious");

    // 3: `report` on a folder without a run.
    assert_eq!(
        code(&["report", "--out", p(&tmp.path().join("nothing"))]),
        Some(3)
    );
}

/// Mask the only field allowed to differ between two runs: the manifest's time stamp
/// (also shown in the report).
fn without_timestamp(bytes: Vec<u8>, stamp: &str) -> Vec<u8> {
    String::from_utf8(bytes)
        .map(|s| s.replace(stamp, "<time>").into_bytes())
        .unwrap_or_else(|e| e.into_bytes())
}

fn stamp(out: &Path) -> String {
    let m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    m["generated_at"].as_str().unwrap().to_string()
}

#[test]
fn every_output_is_identical_on_one_and_four_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, model) = dataset(tmp.path(), 300, 21, None);
    let one = tmp.path().join("t1");
    let four = tmp.path().join("t4");
    for (out, threads) in [(&one, "1"), (&four, "4")] {
        ok(&[
            "run",
            "--data",
            p(&data),
            "--model",
            p(&model),
            "--out",
            p(out),
            "--threads",
            threads,
            "--by",
            "country,risk_level",
            "--quiet",
        ]);
    }
    let (a, b) = (files(&one), files(&four));
    assert_eq!(a, b);
    let (sa, sb) = (stamp(&one), stamp(&four));
    for f in &a {
        let x = without_timestamp(fs::read(one.join(f)).unwrap(), &sa);
        let y = without_timestamp(fs::read(four.join(f)).unwrap(), &sb);
        assert!(
            x == y,
            "{} differs between --threads 1 and --threads 4",
            f.display()
        );
    }
}

#[test]
fn report_rerenders_from_an_existing_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, model) = dataset(tmp.path(), 300, 13, None);
    let out = tmp.path().join("out");
    ok(&[
        "run",
        "--data",
        p(&data),
        "--model",
        p(&model),
        "--out",
        p(&out),
        "--quiet",
    ]);
    let before = fs::read(out.join("report.html")).unwrap();
    let svg = fs::read(out.join("charts/survival.svg")).unwrap();
    fs::remove_dir_all(out.join("charts")).unwrap();
    fs::remove_file(out.join("report.html")).unwrap();
    ok(&["report", "--out", p(&out), "--quiet"]);
    assert_eq!(fs::read(out.join("report.html")).unwrap(), before);
    assert_eq!(fs::read(out.join("charts/survival.svg")).unwrap(), svg);
}

/// Every id, and every date of a single family or child, in the dataset.
fn identifiers_and_dates(data: &Path) -> BTreeSet<String> {
    use arrow::array::{Array, Date32Array, StringArray};
    use arrow::compute::cast;
    use arrow::datatypes::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let mut out = BTreeSet::new();
    for table in [
        "families",
        "children",
        "episodes",
        "care_events",
        "services",
    ] {
        let f = fs::File::open(data.join(format!("{table}.parquet"))).unwrap();
        for batch in ParquetRecordBatchReaderBuilder::try_new(f)
            .unwrap()
            .build()
            .unwrap()
        {
            let batch = batch.unwrap();
            for (field, col) in batch.schema().fields().iter().zip(batch.columns()) {
                let name = field.name();
                if name.ends_with("_id") && !name.starts_with("programme") {
                    let s = cast(col, &DataType::Utf8).unwrap();
                    let s = s.as_any().downcast_ref::<StringArray>().unwrap();
                    out.extend(
                        (0..s.len())
                            .filter(|&i| s.is_valid(i))
                            .map(|i| s.value(i).to_string()),
                    );
                } else if let Some(d) = col.as_any().downcast_ref::<Date32Array>() {
                    out.extend(
                        (0..d.len())
                            .filter(|&i| d.is_valid(i))
                            .map(|i| kinsight::dates::format(d.value(i))),
                    );
                }
            }
        }
    }
    out
}

#[test]
fn no_published_figure_rests_on_a_small_group_and_no_id_or_date_leaks() {
    let tmp = tempfile::tempdir().unwrap();
    // About 25 families per country: many cells of the breakdowns fall under min_cell.
    let (data, model) = dataset(tmp.path(), 150, 17, Some("AL,AM,BA,KG,MK,RO"));
    let out = tmp.path().join("out");
    ok(&[
        "run",
        "--data",
        p(&data),
        "--model",
        p(&model),
        "--out",
        p(&out),
        "--by",
        "country,risk_level,household_type,minority,disability",
        "--quiet",
    ]);
    let min_cell = 10.0;
    let tables = out.join("tables");
    let mut suppressed_somewhere = 0;

    let (_, rows) = csv(&tables.join("followup_domains.csv"));
    for r in &rows {
        if r["suppressed"] == "true" {
            suppressed_somewhere += 1;
            for c in [
                "observed",
                "doing_well",
                "share",
                "ci_low",
                "ci_high",
                "share_weighted",
            ] {
                assert!(r[c].is_empty(), "suppressed followup cell shows {c}: {r:?}");
            }
        } else if num(r, "due").unwrap_or(0.0) > 0.0 {
            assert!(
                num(r, "observed").unwrap() >= min_cell,
                "followup cell on < min_cell: {r:?}"
            );
        }
    }
    // Secondary suppression: within a breakdown, never exactly one suppressed cell of a
    // (domain, year) whose total is shown.
    let mut per_cell: BTreeMap<(String, String, String), (u32, u32)> = BTreeMap::new();
    for r in &rows {
        let Some((col, _)) = r["group"].split_once('=') else {
            continue;
        };
        let e = per_cell
            .entry((col.to_string(), r["domain"].clone(), r["year"].clone()))
            .or_default();
        e.0 += 1;
        e.1 += u32::from(r["suppressed"] == "true");
    }
    for (k, (n, s)) in per_cell {
        assert!(
            !(s == 1 && n > 1),
            "one lone suppressed cell in breakdown {k:?}"
        );
    }

    let (_, rows) = csv(&tables.join("score_change.csv"));
    for r in &rows {
        if r["suppressed"] == "true" {
            suppressed_somewhere += 1;
            assert!(r["mean_change"].is_empty() && r["n"].is_empty(), "{r:?}");
        } else {
            assert!(
                num(r, "n").unwrap() >= min_cell,
                "score change on < min_cell: {r:?}"
            );
        }
    }
    let (_, rows) = csv(&tables.join("survival_curve.csv"));
    for r in &rows {
        assert!(
            num(r, "at_risk").unwrap() >= min_cell,
            "curve point on < min_cell at risk: {r:?}"
        );
    }
    let (_, rows) = csv(&tables.join("survival_years.csv"));
    for r in &rows {
        if r["suppressed"] == "true" {
            suppressed_somewhere += 1;
            assert!(r["survival"].is_empty(), "{r:?}");
        } else {
            assert!(num(r, "at_risk").unwrap() >= min_cell, "{r:?}");
        }
    }
    let (_, rows) = csv(&tables.join("income_effect.csv"));
    for r in &rows {
        if let Some(effect) = num(r, "effect") {
            assert!(effect.is_finite());
            assert!(num(r, "n_programme").unwrap() >= min_cell, "{r:?}");
            assert!(
                num(r, "n_comparison").is_none_or(|n| n >= min_cell),
                "{r:?}"
            );
        }
    }
    let (_, rows) = csv(&tables.join("cost_of_care.csv"));
    for r in &rows {
        if r["suppressed"] != "true" {
            assert!(num(r, "families").unwrap() >= min_cell, "{r:?}");
            if num(r, "placements_avoided").is_some() {
                assert!(num(r, "children_programme").unwrap() >= min_cell, "{r:?}");
            }
        } else {
            for c in [
                "children_programme",
                "placements_avoided",
                "public_cost_avoided",
            ] {
                assert!(num(r, c).is_none(), "{c} of a suppressed row: {r:?}");
            }
        }
    }
    assert!(
        suppressed_somewhere > 0,
        "the tiny groups were meant to trigger suppression"
    );

    // No id and no single family's or child's date in any text output.
    let secrets = identifiers_and_dates(&data);
    let cutoff = fs::read_to_string(data.join("dataset.toml")).unwrap();
    for f in files(&out) {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["csv", "json", "svg", "html"].contains(&ext) {
            continue;
        }
        let text = fs::read_to_string(out.join(&f)).unwrap();
        for s in &secrets {
            // data_cutoff is a dataset-level date (in dataset.toml), not a family's.
            if s.len() == 10 && cutoff.contains(s.as_str()) {
                continue;
            }
            assert!(!text.contains(s.as_str()), "{} contains {s}", f.display());
        }
    }
}

#[test]
fn outcome_thresholds_come_from_flags_or_the_model_file_and_are_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, model) = dataset(tmp.path(), 300, 8, None);
    let strict_model = tmp.path().join("strict.toml");
    let text = fs::read_to_string(&model).unwrap();
    let text = text
        .replace("well_threshold = 3", "well_threshold = 4")
        .replace("overall_min_domains = 6", "overall_min_domains = 8");
    assert!(text.contains("well_threshold = 4") && text.contains("overall_min_domains = 8"));
    fs::write(&strict_model, text).unwrap();
    let outcomes = |name: &str, extra: &[&str]| {
        let out = tmp.path().join(name);
        let mut args = vec![
            "outcomes",
            "--data",
            p(&data),
            "--out",
            p(&out),
            "--format",
            "csv",
        ];
        args.extend(extra);
        args.push("--quiet");
        ok(&args);
        out
    };
    let default = outcomes("default", &[]);
    let flags = outcomes(
        "flags",
        &["--well-threshold", "4", "--overall-min-domains", "8"],
    );
    let from_model = outcomes("model", &["--model", p(&strict_model)]);

    // The follow-up table does not depend on the seed or the replicates, so the flags and
    // the model file give the same bytes.
    let table = |out: &Path| fs::read(out.join("tables/followup_domains.csv")).unwrap();
    assert_eq!(table(&flags), table(&from_model));
    assert_ne!(table(&flags), table(&default));

    // A stricter threshold never counts more families doing well, and here counts fewer.
    let key =
        |r: &BTreeMap<String, String>| (r["group"].clone(), r["domain"].clone(), r["year"].clone());
    let doing_well = |out: &Path| -> BTreeMap<_, f64> {
        let (_, rows) = csv(&out.join("tables/followup_domains.csv"));
        rows.iter()
            .filter_map(|r| num(r, "doing_well").map(|v| (key(r), v)))
            .collect()
    };
    let (loose, strict) = (doing_well(&default), doing_well(&flags));
    let mut fewer = 0;
    for (k, s) in &strict {
        if let Some(l) = loose.get(k) {
            assert!(s <= l, "{k:?}: {s} doing well at threshold 4, {l} at 3");
            fewer += usize::from(s < l);
        }
    }
    assert!(fewer > 0);

    for (out, well, domains) in [(&default, 3, 6), (&flags, 4, 8), (&from_model, 4, 8)] {
        let m: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
        let s = &m["outcome_settings"];
        assert_eq!(s["well_threshold"], well, "{m}");
        assert_eq!(s["overall_min_domains"], domains, "{m}");
    }
}
