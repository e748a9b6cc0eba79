//! A run that stops part-way leaves a folder kinsight recognises (issue 22, item 4):
//! `failed.json` names the stage and the error, the corrected re-run into the same
//! `--out` is accepted without `--force`, and `kinsight report` over the folder says the
//! last run failed and why instead of asking to re-run.

use std::fs;
use std::path::{Path, PathBuf};

use kinsight::pipeline::{self, failed, GenerateOptions, Job};

fn dataset(tmp: &Path) -> (PathBuf, String) {
    let data = tmp.join("data");
    pipeline::generate(&GenerateOptions::new(200, 9, &data), |_, _| {}).unwrap();
    let model =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/model.toml"))
            .unwrap()
            .replace("draws = 10000", "draws = 200")
            .replace("bootstrap_reps = 2000", "bootstrap_reps = 50");
    (data, model)
}

#[test]
fn a_failed_run_is_marked_and_the_corrected_rerun_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, model) = dataset(tmp.path());
    let out = tmp.path().join("out");
    let bad = tmp.path().join("bad.toml");
    fs::write(
        &bad,
        model.replace("price_year = 2024", "price_year = 2023"),
    )
    .unwrap();
    let mut job = Job::new(&data, &out);
    job.model = Some(bad.clone());

    let e = pipeline::run(&job, &|_| {}).unwrap_err();
    assert!(e.to_string().contains("price_year is 2023"), "{e}");
    // The folder holds the row accounting and the mark of the failed run, no manifest.
    assert!(out.join("quality.json").is_file());
    assert!(!out.join("manifest.json").exists());
    let f = failed::read(&out).expect("failed.json");
    assert_eq!(f.command, "run");
    assert_eq!(f.stage, "reading and validating the dataset");
    assert_eq!(f.error.as_deref(), Some(e.to_string().as_str()));

    // `kinsight report` says the run failed, where and why; it does not ask to re-run it.
    let r = pipeline::report_only(&out).unwrap_err();
    let msg = r.to_string();
    assert!(
        msg.starts_with(&format!(
            "the last `kinsight run` into {} did not finish: it stopped while reading and validating the dataset: model file {}: price_year is 2023 but the dataset's dataset.toml says 2024",
            out.display(),
            bad.display()
        )),
        "{msg}"
    );
    assert!(r.is_invalid_input());

    // The corrected run into the same folder is accepted (no --force) and clears the mark.
    let good = tmp.path().join("model.toml");
    fs::write(&good, &model).unwrap();
    job.model = Some(good);
    pipeline::run(&job, &|_| {}).unwrap();
    assert!(failed::read(&out).is_none());
    assert!(!out.join(failed::FAILED_FILE).exists());
    assert!(out.join("manifest.json").is_file() && out.join("report.html").is_file());
}

#[test]
fn a_folder_with_a_foreign_failed_json_is_still_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("failed.json"), r#"{"engine":"other"}"#).unwrap();
    let job = Job::new(tmp.path().join("nowhere"), &out);
    let e = pipeline::outcomes_only(&job, &|_| {}).unwrap_err();
    assert!(e.to_string().starts_with("refusing to write into"), "{e}");
}
