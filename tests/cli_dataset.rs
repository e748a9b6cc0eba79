//! The dataset argument: `--data DIR` in every command, a bare folder accepted with a
//! hint, and a clear message when none is given, it is given twice, or the folder does
//! not exist.

mod common;

use std::process::Command;

use common::cli::{fails, kinsight, p};

const BIN: &str = env!("CARGO_BIN_EXE_kinsight");

#[test]
fn every_command_takes_the_dataset_as_data() {
    for cmd in ["validate", "outcomes", "sroi", "partial", "run"] {
        let o = kinsight(&[cmd, "--help"]);
        let help = String::from_utf8_lossy(&o.stdout);
        assert!(help.contains("--data <DIR>"), "{cmd} --help:\n{help}");
    }
}

#[test]
fn a_bare_folder_works_with_a_hint_unless_quiet() {
    let o = kinsight(&["validate", "data/sample"]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("hint: pass the dataset as `--data data/sample`"),
        "{err}"
    );
    let o = kinsight(&["validate", "data/sample", "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = kinsight(&["validate", "--data", "data/sample", "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stderr.is_empty());
}

#[test]
fn a_dataset_given_twice_or_not_at_all_is_a_usage_error() {
    let (code, err) = fails(&["validate", "--data", "data/sample", "data/sample"]);
    assert_eq!(code, 2);
    assert!(err.contains("the dataset is given twice"), "{err}");
    let (code, err) = fails(&["outcomes", "--out", "nowhere"]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        "kinsight: error: no dataset given; pass --data DIR"
    );
}

#[test]
fn a_missing_folder_is_named_as_missing() {
    let (code, err) = fails(&["validate", "--data", "/nonexistent/kinsight-data"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the dataset folder /nonexistent/kinsight-data does not exist"),
        "{err}"
    );
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let (code, err) = fails(&["sroi", "--data", p(&file), "--out", p(&d.path().join("o"))]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a folder"), "{err}");
}

#[test]
fn run_outside_the_repository_says_how_to_give_a_dataset() {
    let d = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .arg("run")
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no dataset given, and the bundled sample (data/sample) is not in this folder; pass --data DIR"),
        "{err}"
    );
    assert!(!d.path().join("out").exists(), "nothing is written");
}
