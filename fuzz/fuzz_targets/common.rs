//! Shared by the fuzz targets: a small valid dataset generated once per process, and one
//! working copy of it per table in which that table's file is replaced by the fuzz input
//! before the whole dataset is loaded. Panics caught inside kinsight (at the Parquet
//! boundary) are logged, not treated as crashes; any panic that escapes is a crash.

#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kinsight::generate::GenerateOptions;

/// Tables of the contract, as paths relative to the dataset folder.
pub fn tables() -> Vec<String> {
    kinsight::schema::TABLES
        .iter()
        .map(|t| {
            if t.reference {
                format!("reference/{}", t.name)
            } else {
                t.name.to_string()
            }
        })
        .collect()
}

fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(1).build_global();
        // Panics caught by kinsight must not abort the fuzzer (libFuzzer's hook would);
        // they are appended to a log so that they can be counted and turned into tests.
        let print = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            print(info);
            if let Ok(path) = std::env::var("KINSIGHT_FUZZ_PANIC_LOG") {
                if let Ok(mut f) = fs::OpenOptions::new().create(true).append(true).open(path) {
                    let _ = writeln!(f, "{info}");
                }
            }
        }));
        let root = std::env::temp_dir().join(format!("kinsight-fuzz-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let template = root.join("template");
        kinsight::generate::generate(&GenerateOptions::new(12, 7, &template))
            .expect("template dataset");
        root
    })
}

/// The generated dataset, untouched.
pub fn template() -> PathBuf {
    root().join("template")
}

/// A dataset folder whose `table` is the file returned with it; every other table links
/// to the template.
pub fn workdir(table: &str) -> (PathBuf, PathBuf) {
    let template = template();
    let dir = root().join(table.replace('/', "_"));
    let target = dir.join(format!("{table}.parquet"));
    if dir.exists() {
        return (dir, target);
    }
    fs::create_dir_all(dir.join("reference")).unwrap();
    let (folder, name) = match table.split_once('/') {
        Some((f, n)) => (Some(f), n),
        None => (None, table),
    };
    let link_all = |from: &Path, to: &Path, skip: Option<&str>| {
        for e in fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let n = e.file_name().to_string_lossy().into_owned();
            if n == "reference" {
                continue;
            }
            if let Some(skip) = skip {
                if n == skip || n == format!("{skip}.parquet") {
                    continue;
                }
            }
            symlink(e.path(), to.join(&n)).unwrap();
        }
    };
    let top_skip = if folder.is_none() { Some(name) } else { None };
    link_all(&template, &dir, top_skip);
    let ref_skip = if folder.is_some() { Some(name) } else { None };
    link_all(&template.join("reference"), &dir.join("reference"), ref_skip);
    (dir, target)
}

/// Write `bytes` as `table`'s only file and load the dataset.
pub fn load_with(table: &str, bytes: &[u8]) -> kinsight::ingest::Loaded {
    let (dir, file) = workdir(table);
    fs::write(&file, bytes).unwrap();
    kinsight::ingest::load(&dir).expect("the dataset folder exists")
}
