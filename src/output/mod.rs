//! Writing results: atomically, into a folder that is known to be kinsight's.
//!
//! Every file is written under a temporary name in its final folder and renamed into
//! place, so an interrupted run leaves either the previous file or the new one, never
//! half of one. An output folder is only reused when it holds a previous kinsight
//! `manifest.json` (or `--force` is given), so a mistyped `--out` cannot clobber a
//! user's own folder.

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

/// Make sure `out` may be written: it does not exist, is empty, or holds a previous
/// kinsight run (a `manifest.json` with `"engine": "kinsight"`), unless `force`.
///
/// # Errors
/// [`OutputError::NotOurs`] when the folder holds something else, [`OutputError::Io`]
/// when it cannot be read or created.
pub fn prepare_out_dir(out: &Path, force: bool) -> Result<PathBuf, OutputError> {
    if out.exists() {
        if !out.is_dir() {
            return Err(OutputError::NotOurs {
                path: out.to_path_buf(),
                why: "it is a file, not a folder".into(),
            });
        }
        let empty = fs::read_dir(out)
            .map_err(|e| OutputError::io(out, e))?
            .next()
            .is_none();
        // A previous run's manifest, or the `failed.json` of a run that stopped before
        // writing one, marks the folder as kinsight's.
        let ours = ["manifest.json", "failed.json"].iter().any(|f| {
            fs::read_to_string(out.join(f))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .is_some_and(|v| v.get("engine").and_then(|e| e.as_str()) == Some("kinsight"))
        });
        if !empty && !ours && !force {
            return Err(OutputError::NotOurs {
                path: out.to_path_buf(),
                why: "it is not empty and holds no kinsight manifest.json".into(),
            });
        }
    }
    fs::create_dir_all(out).map_err(|e| OutputError::io(out, e))?;
    Ok(out.to_path_buf())
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
        // A file where the folder should be is refused even with --force.
        let file = d.path().join("thesis.docx");
        assert!(matches!(
            prepare_out_dir(&file, true),
            Err(OutputError::NotOurs { .. })
        ));
    }
}
