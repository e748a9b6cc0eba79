//! Finding a table's Parquet files in a dataset folder.
//!
//! A table is `<table>.parquet` or a folder `<table>/` of Parquet files at any depth,
//! where `key=value` folder names (Hive partitioning, e.g. `country=AL/`) become columns.
//! Files are listed in sorted path order so every run reads rows in the same order.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// One Parquet file of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFile {
    pub path: PathBuf,
    /// Path relative to the dataset folder, with `/` separators, for messages.
    pub display: String,
    /// `key=value` pairs from the folders between the table folder and the file.
    pub partitions: Vec<(String, String)>,
}

/// Where a table was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    Missing,
    /// Files in read order (a single file or a folder's files).
    Files(Vec<TableFile>),
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Find `name` under `dir` (the dataset folder, or its `reference/` folder).
///
/// # Errors
/// An I/O error while listing a folder.
pub fn locate(root: &Path, dir: &Path, name: &str) -> std::io::Result<Located> {
    let file = dir.join(format!("{name}.parquet"));
    let folder = dir.join(name);
    let mut files = Vec::new();
    let single = file.is_file();
    if single {
        files.push(TableFile {
            display: display(root, &file),
            path: file,
            partitions: Vec::new(),
        });
    }
    if folder.is_dir() {
        walk(root, &folder, &mut Vec::new(), &mut files)?;
    }
    if files.is_empty() && !single && !folder.is_dir() {
        return Ok(Located::Missing);
    }
    Ok(Located::Files(files))
}

fn walk(
    root: &Path,
    dir: &Path,
    parts: &mut Vec<(String, String)>,
    out: &mut Vec<TableFile>,
) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name.starts_with('_') {
            // Hidden files and writer markers such as `_SUCCESS` or `.crc`.
            continue;
        }
        if path.is_dir() {
            let pushed = match name.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    parts.push((k.to_string(), v.to_string()));
                    true
                }
                _ => false,
            };
            walk(root, &path, parts, out)?;
            if pushed {
                parts.pop();
            }
        } else if name.ends_with(".parquet") || name.ends_with(".parq") || name.ends_with(".pq") {
            out.push(TableFile {
                display: display(root, &path),
                path,
                partitions: parts.clone(),
            });
        }
    }
    Ok(())
}

/// SHA-256 of a file's content, hex encoded, for the manifest.
///
/// # Errors
/// An I/O error reading the file.
pub fn content_hash(path: &Path) -> std::io::Result<String> {
    let mut f = fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_single_files_and_hive_folders_in_order() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        fs::write(root.join("families.parquet"), b"x").unwrap();
        fs::create_dir_all(root.join("assessments/country=AL/year=2020")).unwrap();
        fs::create_dir_all(root.join("assessments/country=AM")).unwrap();
        fs::write(root.join("assessments/country=AM/b.parquet"), b"x").unwrap();
        fs::write(
            root.join("assessments/country=AL/year=2020/a.parquet"),
            b"x",
        )
        .unwrap();
        fs::write(root.join("assessments/_SUCCESS"), b"").unwrap();
        let Located::Files(f) = locate(root, root, "families").unwrap() else {
            panic!()
        };
        assert_eq!(f[0].display, "families.parquet");
        let Located::Files(a) = locate(root, root, "assessments").unwrap() else {
            panic!()
        };
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].display, "assessments/country=AL/year=2020/a.parquet");
        assert_eq!(
            a[0].partitions,
            vec![
                ("country".into(), "AL".into()),
                ("year".into(), "2020".into())
            ]
        );
        assert_eq!(a[1].partitions, vec![("country".into(), "AM".into())]);
        assert_eq!(locate(root, root, "income").unwrap(), Located::Missing);
    }

    #[test]
    fn sha256_of_known_content() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x");
        fs::write(&p, b"abc").unwrap();
        assert_eq!(
            content_hash(&p).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
