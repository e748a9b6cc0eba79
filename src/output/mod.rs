//! Writing results: atomically, into a folder that is known to be kinsight's.
//!
//! Every file is written under a temporary name in its final folder and renamed into
//! place, so an interrupted run leaves either the previous file or the new one, never
//! half of one. An output folder is only reused when it holds a previous kinsight
//! `manifest.json` (or `--force` is given), so a mistyped `--out` cannot clobber a
//! user's own folder.
//!
//! A run's outputs are one set: [`prepare_out_dir`] notes in `failed.json` what the
//! earlier run listed in its manifest's `outputs` (the file stays until the run
//! finishes, so a run that fails leaves a folder the next run recognises as kinsight's),
//! and [`finish_out_dir`] removes the earlier files this run did not write, then
//! `failed.json`. Nothing that no kinsight manifest listed is ever removed.

mod csv;
mod error;
mod manifest;
mod rows;
pub mod table;

pub use error::OutputError;
pub use manifest::{InputFileEntry, Manifest, TableRows};
pub use rows::{read_rows, row_schema, rows_to_table, write_rows, Published};
pub use table::{Column, Table};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary name a file is written under before it is renamed to `path`: hidden,
/// in the same folder (so the rename is atomic), unique to this process.
fn temp_name(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.tmp-{}", std::process::id()))
}

/// Produce `path` through `write`, which is handed a temporary path to write to; the
/// result is flushed to disk and renamed to `path` only when `write` succeeded, so an
/// interrupted or failed run leaves the previous file (or none), never part of a new
/// one. The temporary file is removed on failure. `io` turns an I/O error at a path into
/// the caller's error type.
///
/// # Errors
/// Whatever `write` returns, or `io` of the failed flush or rename.
fn write_with<E>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
    io: impl Fn(&Path, std::io::Error) -> E,
) -> Result<(), E> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let tmp = temp_name(path);
    let result = write(&tmp).and_then(|()| {
        fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .and_then(|()| fs::rename(&tmp, path))
            .map_err(|e| io(path, e))
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Write `bytes` to `path` via a temporary file and a rename (see [`write_with`]).
///
/// # Errors
/// [`OutputError::Io`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_with(
        path,
        |tmp| {
            let mut f = fs::File::create(tmp).map_err(|e| OutputError::io(tmp, e))?;
            f.write_all(bytes).map_err(|e| OutputError::io(tmp, e))
        },
        OutputError::io,
    )
}

/// Serialize `value` as pretty JSON (with a trailing newline) and write it atomically.
///
/// A value holding a NaN or an infinity is refused (JSON would write `null`).
///
/// # Errors
/// [`OutputError::Encode`] when the value cannot be serialised or holds a non-finite
/// number (naming its field), [`OutputError::Io`] naming the path.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), OutputError> {
    crate::finite::check(value).map_err(|e| OutputError::encode(path, e))?;
    let mut text = serde_json::to_string_pretty(value).map_err(|e| OutputError::encode(path, e))?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// The marker of a run that has not finished (see the module docs).
pub const UNFINISHED: &str = "failed.json";

/// `out/<name>` as JSON when it is a kinsight document (`"engine": "kinsight"`).
fn kinsight_json(out: &Path, name: &str) -> Option<serde_json::Value> {
    fs::read_to_string(out.join(name))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .filter(|v| v.get("engine").and_then(|e| e.as_str()) == Some("kinsight"))
}

/// The relative file names listed under `key` of a kinsight document.
fn listed(doc: Option<&serde_json::Value>, key: &str) -> Vec<String> {
    doc.and_then(|v| v.get(key))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Make sure `out` may be written: it does not exist, is empty, or holds a previous
/// kinsight run (a `manifest.json`, or the `failed.json` of a run that did not finish,
/// with `"engine": "kinsight"`), unless `force`. Then writes `failed.json`, listing the
/// files of the earlier run, until [`finish_out_dir`].
///
/// # Errors
/// [`OutputError::NotAFolder`] when `out` is a file, [`OutputError::NotOurs`] when the
/// folder holds something else, [`OutputError::Io`] when it cannot be read or created.
pub fn prepare_out_dir(out: &Path, force: bool) -> Result<PathBuf, OutputError> {
    let (manifest, unfinished) = (
        kinsight_json(out, "manifest.json"),
        kinsight_json(out, UNFINISHED),
    );
    if out.exists() {
        if !out.is_dir() {
            return Err(OutputError::NotAFolder {
                path: out.to_path_buf(),
            });
        }
        let empty = fs::read_dir(out)
            .map_err(|e| OutputError::io(out, e))?
            .next()
            .is_none();
        let ours = manifest.is_some() || unfinished.is_some();
        if !empty && !ours && !force {
            return Err(OutputError::NotOurs {
                path: out.to_path_buf(),
                why: "it is not empty and holds no kinsight manifest.json".into(),
            });
        }
    }
    fs::create_dir_all(out).map_err(|e| OutputError::io(out, e))?;
    // The earlier run's files: its manifest's, and those a failed run before it noted.
    let mut previous = listed(manifest.as_ref(), "outputs");
    for f in listed(unfinished.as_ref(), "previous_outputs") {
        if !previous.contains(&f) {
            previous.push(f);
        }
    }
    let marker = serde_json::json!({
        "engine": "kinsight",
        "engine_version": env!("CARGO_PKG_VERSION"),
        "status": "this run did not finish (see the error it printed); run it again into this folder",
        "previous_outputs": previous,
    });
    write_json(&out.join(UNFINISHED), &marker)?;
    Ok(out.to_path_buf())
}

/// The files of the earlier run that `failed.json` notes (see [`prepare_out_dir`]), for
/// whoever rewrites the marker while the run goes on.
pub fn previous_outputs(out: &Path) -> Vec<String> {
    listed(kinsight_json(out, UNFINISHED).as_ref(), "previous_outputs")
}

/// A listed name that stays inside the output folder (no absolute path, no `..`).
fn inside(name: &str) -> bool {
    let p = Path::new(name);
    !name.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Ends a run into `out` that wrote `outputs` (relative names): removes the files of the
/// earlier run (noted by [`prepare_out_dir`]) that this run did not write, then
/// `failed.json`. Returns the names removed.
///
/// # Errors
/// [`OutputError::Io`] when a file cannot be removed.
pub fn finish_out_dir(out: &Path, outputs: &[String]) -> Result<Vec<String>, OutputError> {
    let marker = kinsight_json(out, UNFINISHED);
    let mut removed = Vec::new();
    for name in listed(marker.as_ref(), "previous_outputs") {
        if !inside(&name) || outputs.contains(&name) || name == UNFINISHED {
            continue;
        }
        let path = out.join(&name);
        if !path.is_file() {
            continue;
        }
        fs::remove_file(&path).map_err(|e| OutputError::io(&path, e))?;
        removed.push(name);
    }
    let path = out.join(UNFINISHED);
    match fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(OutputError::io(&path, e)),
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a/b.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(d.path().join("a")).unwrap().count(), 1);
    }

    #[test]
    fn interrupted_write_leaves_the_previous_file_intact() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("report.html");
        write_atomic(&p, b"previous report").unwrap();
        // The writer dies half-way: part of the new file is on disk under the temp name.
        let r = write_with(
            &p,
            |tmp| {
                fs::write(tmp, b"<html><body>half").unwrap();
                Err("killed")
            },
            |_, _| "io",
        );
        assert_eq!(r, Err("killed"));
        assert_eq!(fs::read(&p).unwrap(), b"previous report");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1, "temp file left");
        // The temp file cannot even be created (a folder is in the way).
        fs::create_dir(temp_name(&p)).unwrap();
        assert!(matches!(
            write_atomic(&p, b"new"),
            Err(OutputError::Io { .. })
        ));
        assert_eq!(fs::read(&p).unwrap(), b"previous report");
    }

    #[test]
    fn refuses_a_foreign_folder_unless_forced() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("thesis.docx"), b"precious").unwrap();
        assert!(matches!(
            prepare_out_dir(d.path(), false),
            Err(OutputError::NotOurs { .. })
        ));
        assert!(prepare_out_dir(d.path(), true).is_ok());
        let ours = tempfile::tempdir().unwrap();
        fs::write(
            ours.path().join("manifest.json"),
            br#"{"engine":"kinsight"}"#,
        )
        .unwrap();
        assert!(prepare_out_dir(ours.path(), false).is_ok());
        assert!(prepare_out_dir(&d.path().join("new"), false).is_ok());
        // A manifest of another tool, or one that is not JSON, does not make it ours.
        for text in [&br#"{"engine":"other"}"#[..], b"engine = kinsight"] {
            let other = tempfile::tempdir().unwrap();
            fs::write(other.path().join("manifest.json"), text).unwrap();
            assert!(matches!(
                prepare_out_dir(other.path(), false),
                Err(OutputError::NotOurs { .. })
            ));
        }
        // A file where the folder should be is refused even with --force, and the
        // message does not suggest --force.
        let file = d.path().join("thesis.docx");
        let e = prepare_out_dir(&file, true).unwrap_err();
        assert!(matches!(e, OutputError::NotAFolder { .. }));
        assert!(!e.to_string().contains("--force"), "{e}");
    }

    #[test]
    fn a_rerun_removes_the_earlier_runs_other_files_and_a_failed_run_is_recognised() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        fs::create_dir_all(out.join("tables")).unwrap();
        for f in ["tables/a.parquet", "tables/a.csv", "notes.txt"] {
            fs::write(out.join(f), b"x").unwrap();
        }
        fs::write(
            out.join("manifest.json"),
            br#"{"engine":"kinsight","outputs":["manifest.json","tables/a.parquet","tables/a.csv","../escape.txt"]}"#,
        )
        .unwrap();
        // A run that fails after writing one file: the folder is still recognised.
        prepare_out_dir(out, false).unwrap();
        fs::remove_file(out.join("manifest.json")).unwrap();
        fs::write(out.join("quality.json"), b"{}").unwrap();
        assert!(out.join(UNFINISHED).is_file());
        // The corrected run is accepted, writes csv only, and removes the stale Parquet.
        prepare_out_dir(out, false).unwrap();
        fs::write(out.join("manifest.json"), br#"{"engine":"kinsight"}"#).unwrap();
        let outputs = ["manifest.json", "tables/a.csv"].map(String::from);
        let removed = finish_out_dir(out, &outputs).unwrap();
        assert_eq!(removed, vec!["tables/a.parquet".to_string()]);
        assert!(out.join("tables/a.csv").is_file());
        // A file no manifest listed is never removed.
        assert!(out.join("notes.txt").is_file());
        assert!(!out.join(UNFINISHED).exists());
    }
}
