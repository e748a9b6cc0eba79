//! Writing results: atomically, into a folder that is known to be kinsight's.
//!
//! Every file is written under a temporary name in its final folder and renamed into
//! place, so an interrupted run leaves either the previous file or the new one, never
//! half of one. An output folder is only reused when it holds a previous kinsight
//! `manifest.json` (or `--force` is given), so a mistyped `--out` cannot clobber a
//! user's own folder.

mod manifest;
pub mod table;

pub use manifest::{InputFileEntry, Manifest, TableRows};
pub use table::{Column, Table};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Write `bytes` to `path` via a temporary file and a rename.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// Serialize `value` as pretty JSON (with a trailing newline) and write it atomically.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), Error> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::io(path, std::io::Error::other(e)))?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Make sure `out` may be written: it does not exist, is empty, or holds a previous
/// kinsight run (a `manifest.json` with `"engine": "kinsight"`), unless `force`.
///
/// # Errors
/// [`Error::OutputNotOurs`] when the folder holds something else.
pub fn prepare_out_dir(out: &Path, force: bool) -> Result<PathBuf, Error> {
    if out.exists() {
        if !out.is_dir() {
            return Err(Error::OutputNotOurs {
                path: out.to_path_buf(),
                why: "it is a file, not a folder".into(),
            });
        }
        let empty = fs::read_dir(out)
            .map_err(|e| Error::io(out, e))?
            .next()
            .is_none();
        let ours = fs::read_to_string(out.join("manifest.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|v| v.get("engine").and_then(|e| e.as_str()) == Some("kinsight"));
        if !empty && !ours && !force {
            return Err(Error::OutputNotOurs {
                path: out.to_path_buf(),
                why: "it is not empty and holds no kinsight manifest.json".into(),
            });
        }
    }
    fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
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
    fn refuses_a_foreign_folder_unless_forced() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("thesis.docx"), b"precious").unwrap();
        assert!(matches!(
            prepare_out_dir(d.path(), false),
            Err(Error::OutputNotOurs { .. })
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
    }
}
