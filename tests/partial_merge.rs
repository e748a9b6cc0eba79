//! `kinsight partial` per country folder, then `kinsight merge`, through the real binary:
//! the merged tables are byte-identical to `kinsight outcomes` on the whole dataset, and
//! files that do not belong together are refused with the contract's exit codes.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, BooleanArray, RecordBatch};
use arrow::compute::{cast, filter_record_batch};
use arrow::datatypes::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;

mod common;
use common::cli::{fails, ok, p};

const COUNTRIES: [&str; 3] = ["AL", "MK", "RO"];
/// The tables `kinsight outcomes` writes from the outcome state (all but cost_of_care).
const TABLES: [&str; 10] = [
    "followup_domains",
    "score_change",
    "score_levels",
    "survival_curve",
    "survival_years",
    "survival_tests",
    "income_effect",
    "income_trajectory",
    "during_programme",
    "reintegration",
];

fn read(path: &Path) -> Vec<RecordBatch> {
    let f = fs::File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(f)
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

fn strings(batch: &RecordBatch, column: &str) -> Vec<String> {
    let col = cast(batch.column_by_name(column).unwrap(), &DataType::Utf8).unwrap();
    let s = col.as_string::<i32>();
    (0..s.len()).map(|i| s.value(i).to_string()).collect()
}

/// id -> country, from the `id` and `parent` columns of `table` and the parent's map.
fn owners(
    data: &Path,
    table: &str,
    id: &str,
    parent: &str,
    of: &HashMap<String, String>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for b in read(&data.join(format!("{table}.parquet"))) {
        for (i, pa) in strings(&b, id).into_iter().zip(strings(&b, parent)) {
            out.insert(i, of[&pa].clone());
        }
    }
    out
}

/// Split `data` into one dataset folder per country: each family with all its rows, each
/// programme's costs with its country, the reference tables and dataset.toml copied.
fn split_by_country(data: &Path, parts: &Path) -> Vec<PathBuf> {
    let mut family = HashMap::new();
    let mut programme = HashMap::new();
    for b in read(&data.join("families.parquet")) {
        let (ids, countries) = (strings(&b, "family_id"), strings(&b, "country"));
        for ((f, c), pr) in ids
            .into_iter()
            .zip(countries)
            .zip(strings(&b, "programme_id"))
        {
            programme.insert(pr, c.clone());
            family.insert(f, c);
        }
    }
    let child = owners(data, "children", "child_id", "family_id", &family);
    let episode = owners(data, "episodes", "episode_id", "family_id", &family);
    let keys: [(&str, &str, &HashMap<String, String>); 9] = [
        ("families", "family_id", &family),
        ("children", "family_id", &family),
        ("episodes", "family_id", &family),
        ("services", "episode_id", &episode),
        ("assessments", "family_id", &family),
        ("followup_contacts", "family_id", &family),
        ("care_events", "child_id", &child),
        ("income", "family_id", &family),
        ("programme_costs", "programme_id", &programme),
    ];
    let mut dirs = Vec::new();
    for country in COUNTRIES {
        let dir = parts.join(country);
        fs::create_dir_all(dir.join("reference")).unwrap();
        fs::copy(data.join("dataset.toml"), dir.join("dataset.toml")).unwrap();
        for e in fs::read_dir(data.join("reference")).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), dir.join("reference").join(e.file_name())).unwrap();
        }
        for (table, key, of) in keys {
            let batches = read(&data.join(format!("{table}.parquet")));
            let file = fs::File::create(dir.join(format!("{table}.parquet"))).unwrap();
            let mut w = ArrowWriter::try_new(file, batches[0].schema(), None).unwrap();
            for b in &batches {
                let keep: BooleanArray = strings(b, key)
                    .iter()
                    .map(|k| Some(of[k] == country))
                    .collect();
                w.write(&filter_record_batch(b, &keep).unwrap()).unwrap();
            }
            w.close().unwrap();
        }
        dirs.push(dir);
    }
    dirs
}

#[test]
fn per_country_partials_merge_to_the_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let data = t.join("data");
    ok(&[
        "generate",
        "--families",
        "300",
        "--seed",
        "3",
        "--countries",
        "AL,MK,RO",
        "--out",
        p(&data),
        "--quiet",
    ]);
    let settings = [
        "--by",
        "country,arm",
        "--bootstrap-reps",
        "200",
        "--seed",
        "4",
    ];
    let whole = t.join("whole");
    // `merge` computes no propensity adjustment (it needs every family in one process,
    // docs/method.md section 11), so the whole run is made without one too.
    let model = t.join("model.toml");
    fs::write(
        &model,
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/model.toml"))
            .unwrap()
            .replace("method = \"dr\"", "method = \"off\""),
    )
    .unwrap();
    let mut args = vec![
        "outcomes",
        "--data",
        p(&data),
        "--model",
        p(&model),
        "--out",
        p(&whole),
        "--quiet",
    ];
    args.extend(settings);
    ok(&args);

    let dirs = split_by_country(&data, &t.join("parts"));
    let mut states = Vec::new();
    for dir in &dirs {
        let file = dir.with_extension("partial.json");
        let mut args = vec!["partial", "--data", p(dir), "--out", p(&file), "--quiet"];
        args.extend(settings);
        ok(&args);
        states.push(file);
    }
    // Merge in another order than written: the result must not depend on it.
    states.rotate_left(1);
    let merged = t.join("merged");
    let mut args = vec!["merge", "--out", p(&merged), "--quiet"];
    args.extend(states.iter().map(|s| p(s)));
    ok(&args);

    for table in TABLES {
        for ext in ["csv", "parquet"] {
            let name = format!("tables/{table}.{ext}");
            let (a, b) = (whole.join(&name), merged.join(&name));
            assert!(
                fs::read(&a).unwrap() == fs::read(&b).unwrap(),
                "{name} differs between outcomes and merge"
            );
        }
    }
    // The split is real: every partition holds only its own country.
    let al = fs::read_to_string(dirs[0].with_extension("partial.json")).unwrap();
    assert!(al.contains("\"countries\":[\"AL\"]"));
    // Only the cost table needs the costs, which the outcome state does not hold.
    assert!(whole.join("tables/cost_of_care.csv").exists());
    assert!(!merged.join("tables/cost_of_care.csv").exists());
    let manifest = fs::read_to_string(merged.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"command\": \"merge\"") && manifest.contains("MK/families.parquet")
    );

    refusals(t, &states);
}

/// Files that do not belong together, or are not whole, name the file and exit 1 or 2.
fn refusals(t: &Path, states: &[PathBuf]) {
    let out = t.join("refused");
    let out = p(&out);
    // The same partition twice: its families would count twice.
    let (code, err) = fails(&["merge", p(&states[0]), p(&states[0]), "--out", out]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("share") && err.contains(p(&states[0])),
        "{err}"
    );

    // Another seed.
    let other = t.join("other-seed.json");
    let dir = states[0].to_str().unwrap().replace(".partial.json", "");
    ok(&[
        "partial",
        "--data",
        &dir,
        "--out",
        p(&other),
        "--by",
        "country,arm",
        "--bootstrap-reps",
        "200",
        "--quiet",
    ]);
    let (code, err) = fails(&["merge", p(&states[1]), p(&other), "--out", out]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("seed is 4 in the first and 1 in the second"),
        "{err}"
    );
    assert!(err.contains(p(&other)), "{err}");

    // Truncated.
    let bytes = fs::read(&states[1]).unwrap();
    let cut = t.join("cut.json");
    fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (code, err) = fails(&["merge", p(&states[0]), p(&cut), "--out", out]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(p(&cut)) && err.contains("truncated or damaged"),
        "{err}"
    );

    // Another format version.
    let text = String::from_utf8(bytes).unwrap();
    let future = t.join("future.json");
    fs::write(
        &future,
        text.replacen("\"format_version\":2", "\"format_version\":3", 1),
    )
    .unwrap();
    let (code, err) = fails(&["merge", p(&future), "--out", out]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("format version 3") && err.contains(p(&future)),
        "{err}"
    );

    // Incomes converted with another price index.
    let hash_at = text
        .find("reference/price_index.parquet\",\"sha256\":\"")
        .unwrap();
    let hash = &text[hash_at..][41..105];
    let deflated = t.join("deflated.json");
    fs::write(&deflated, text.replacen(hash, &"0".repeat(64), 1)).unwrap();
    let (code, err) = fails(&["merge", p(&states[0]), p(&deflated), "--out", out]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("price_index") && err.contains("same reference/ folder"),
        "{err}"
    );

    // Computed by another kinsight (same file format).
    let older = t.join("older.json");
    let version = format!("\"kinsight_version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    fs::write(
        &older,
        text.replacen(&version, "\"kinsight_version\":\"0.0.1\"", 1),
    )
    .unwrap();
    let (code, err) = fails(&["merge", p(&states[0]), p(&older), "--out", out]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("kinsight version is") && err.contains("0.0.1"),
        "{err}"
    );

    // Not a partial state at all; missing file (I/O).
    let (code, _) = fails(&["merge", p(&t.join("whole/manifest.json")), "--out", out]);
    assert_eq!(code, 1);
    let (code, _) = fails(&["merge", p(&t.join("nowhere.json")), "--out", out]);
    assert_eq!(code, 3);
    // `partial` does not overwrite a file that is not a partial state.
    let (code, err) = fails(&[
        "partial",
        "--data",
        &dir,
        "--out",
        p(&t.join("whole/manifest.json")),
    ]);
    assert_eq!(code, 3, "{err}");
}
