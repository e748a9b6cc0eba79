//! The command line for a newcomer (issue 20, points 6-8): an example in every help,
//! `--version`, "did you mean" for a mistyped flag, and output folders that a re-run
//! rewrites as one set, that a failed run does not lock, and that cannot be a file.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

mod common;
use common::cli::{fails, kinsight, ok, p};

const COMMANDS: [&str; 8] = [
    "run", "validate", "generate", "outcomes", "partial", "merge", "sroi", "report",
];

#[test]
fn every_help_shows_an_example_and_version_prints_the_version() {
    let top = ok(&["--help"]);
    let text = String::from_utf8_lossy(&top.stdout);
    assert!(
        text.contains("Example") && text.contains("kinsight run --data"),
        "{text}"
    );
    for c in COMMANDS {
        let o = ok(&[c, "--help"]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains(&format!("Example:\n  kinsight {c} ")),
            "{c} --help has no example:\n{text}"
        );
    }
    let v = ok(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("kinsight {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_mistyped_flag_gets_a_suggestion() {
    let (code, err) = fails(&["run", "--dta", "data/sample"]);
    assert_eq!(code, 2);
    assert!(err.contains("a similar argument exists: '--data'"), "{err}");
    let (code, err) = fails(&["outcomes", "--data", "data/sample", "--formt", "csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("'--format'"), "{err}");
}

#[test]
fn an_out_that_is_a_file_is_refused_without_suggesting_force() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    fs::write(&file, "mine").unwrap();
    let (code, err) = fails(&["outcomes", "--data", "data/sample", "--out", p(&file)]);
    assert_ne!(code, 0);
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert!(!err.contains("--force"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

/// Every file under `dir`, relative.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

fn manifest_outputs(out: &Path) -> BTreeSet<String> {
    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    v["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_rerun_writes_the_set_afresh_and_a_failed_run_does_not_lock_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&[
        "generate",
        "--families",
        "300",
        "--seed",
        "5",
        "--out",
        p(&data),
        "--quiet",
    ]);
    let out = tmp.path().join("out");
    // A failed run (a mistyped --by) into a new folder ...
    let (code, err) = fails(&[
        "outcomes",
        "--data",
        p(&data),
        "--out",
        p(&out),
        "--by",
        "contry",
        "--quiet",
    ]);
    assert_eq!(code, 2, "{err}");
    // ... leaves a folder the corrected run accepts.
    ok(&[
        "outcomes",
        "--data",
        p(&data),
        "--out",
        p(&out),
        "--by",
        "country",
        "--quiet",
    ]);
    assert!(!out.join("failed.json").exists());
    assert!(files(&out).contains("tables/followup_domains.parquet"));
    // A csv-only re-run of another breakdown leaves no Parquet table of the earlier one,
    // and the folder holds what the manifest lists.
    fs::write(out.join("my_notes.txt"), "kept").unwrap();
    ok(&[
        "outcomes",
        "--data",
        p(&data),
        "--out",
        p(&out),
        "--format",
        "csv",
        "--quiet",
    ]);
    let mut on_disk = files(&out);
    assert!(
        on_disk.remove("my_notes.txt"),
        "a file no run wrote is never removed"
    );
    assert_eq!(on_disk, manifest_outputs(&out));
    assert!(
        on_disk.iter().all(|f| !f.ends_with(".parquet")),
        "{on_disk:?}"
    );
}

#[test]
fn a_run_that_fails_early_leaves_an_accepted_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let missing = tmp.path().join("no_such_dataset");
    let o = kinsight(&["outcomes", "--data", p(&missing), "--out", p(&out)]);
    assert!(!o.status.success());
    if out.exists() {
        // Whatever the failed run left, the next run into the folder is not refused.
        let (code, err) = fails(&["outcomes", "--data", p(&missing), "--out", p(&out)]);
        assert!(!err.contains("refusing"), "{code}: {err}");
    }
}
