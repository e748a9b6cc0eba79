//! Golden test: the bundled sample's outputs, byte for byte.
//!
//! The hashes below were recorded from `kinsight run` on `data/sample` before the
//! architecture refactor (issue 16), which moved files and types but was to change no
//! number. `manifest.json` is left out (it holds the run's times), and `report.html` is
//! hashed with its ISO timestamps masked (it prints the manifest). A change that is
//! *meant* to change a published figure updates these hashes in the same commit and says
//! in its message which figures moved and why; any other difference is a regression.

mod common;

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use common::cli::{ok, p};

/// (file under the output folder, sha256 of its bytes).
const GOLDEN: &[(&str, &str)] = &[
    (
        "charts/acceptability.png",
        "294ad5e3cf826ace668d57a2a8205883c162b6f187669749568466f674b21c59",
    ),
    (
        "charts/acceptability.svg",
        "36550e255c8f6446ccbe6731edfd7b8360674489aea2e2cf42e0bf782f2e3699",
    ),
    (
        "charts/cost_of_care.png",
        "4a3ff7a2d74dd32e921f4bcbdeff3fd43ac697c74811ff51a594a4d2fb15012b",
    ),
    (
        "charts/cost_of_care.svg",
        "b62ab89c7330ddfe3573e27f62361985b68c62533b1b3ea81ef0148af95df55f",
    ),
    (
        "charts/followup_domains.png",
        "2e873235b3b2da5b25423ce0e5e8078fcba95a94ac455adefe0b723cc397aa20",
    ),
    (
        "charts/followup_domains.svg",
        "5d643437b620e8280b1ca9eeca1de245754e94da264af0fe5617ca6ac1f5f98e",
    ),
    (
        "charts/headline.png",
        "9d95b741f7e60a140d8110a35f0234601ff68469dcf0a1fcf94f46c50c68b8dd",
    ),
    (
        "charts/headline.svg",
        "67d75208cb59f5182594d0cc8585f3967d2a13986de51ecc31c975cfffc3eb3b",
    ),
    (
        "charts/income.png",
        "824c0990c4593f96194eeab8b3e9b3229c0f49d424bd179b9743caf95f15880c",
    ),
    (
        "charts/income.svg",
        "0f7d91b99f03d1f4842eb3a9278c8122d0bdb3bacd813011e439ae0a85b5129c",
    ),
    (
        "charts/score_change.png",
        "9a1fd630ada6acf7ee8e426a43e10af11bc1704e3294cf42c073db6430a2c921",
    ),
    (
        "charts/score_change.svg",
        "4a8f9d713f013a871b3b404e71508e87f920478424ead443c55d6c732b747751",
    ),
    (
        "charts/sroi_distribution.png",
        "398b13e00d31215e3b5af8c663df98f8da750fe1c0d035793cc6250477388684",
    ),
    (
        "charts/sroi_distribution.svg",
        "c6286b0eef0faacc04242a9657a8c90405eb3ffb867b008f6d641510d533177b",
    ),
    (
        "charts/sroi_waterfall.png",
        "8f15d035651099f5e15f25349646f108e6b1f55892df06c3580078977fa79d4c",
    ),
    (
        "charts/sroi_waterfall.svg",
        "76af3d75c07a1fecf696f0148b6ef37e44f695b20f8df56698bd89edbc2777a9",
    ),
    (
        "charts/survival.png",
        "cfd7e54354d8c8dab0ceff4016bd2f40017bd925c84e2e19db0b1b39c10f8d80",
    ),
    (
        "charts/survival.svg",
        "a4ca640f6405fcffac813aedb132c872f5c492e1d39bba23ec213dabd7f53cdc",
    ),
    (
        "charts/tornado.png",
        "6e580cfeebcfe742d3af295ecefd25ca0fd2b6e92a4c2c844ccd191ae7f55c7d",
    ),
    (
        "charts/tornado.svg",
        "87dc05466e352a4970381bb0de875331bcacfe15e29e18e021ed127b211cfa8b",
    ),
    (
        "quality.json",
        "1f7e7149b3228b09c85e9443ace55d9edbe4ff2c823cae15674f66597f7750e1",
    ),
    (
        "sroi/draws.parquet",
        "1151d3f8b9707414b90a5f5dd1ef3e8a9ae19da923aa323691e8dca0c966fe2a",
    ),
    (
        "sroi/impact_map.xlsx",
        "9d18d12c67c68f1444da59b4f72b178e0a248308be01b4b18dec3efc478b58b6",
    ),
    (
        "sroi/summary.json",
        "22eba954f3450e8a80066595536426720259a64da907d02eb9a9ae2df4ec4705",
    ),
    (
        "tables/cost_of_care.csv",
        "60257faf4ac942ae99635495ef929254db4f3812493720fac36c0f081ac97a1d",
    ),
    (
        "tables/cost_of_care.parquet",
        "d1fabaa630ad26988fc295e4f446c1a2c0d2928fabc5e2c5a5f14de0deac8bdf",
    ),
    (
        "tables/during_programme.csv",
        "8634bdb2f171d40b5acdd057d25ec2660b462e6c0ca80e531670142377c26ae9",
    ),
    (
        "tables/during_programme.parquet",
        "dbbf0e5100fca77d7ded6b87e682b12b448f24beb1eb4c4b2612bf7b430a5233",
    ),
    (
        "tables/followup_domains.csv",
        "c432b1b15c331f4574da61daa3bd8ae7787a17b3efa22f884105b3664939603a",
    ),
    (
        "tables/followup_domains.parquet",
        "d544a95a888defc4469b7977d385b58ffa63e7e520fb8667009cb50720d436ec",
    ),
    (
        "tables/income_effect.csv",
        "119f66af6f765b9e64e31cb317bb3bba2bc4462224fe16694d1811e35cc0f30c",
    ),
    (
        "tables/income_effect.parquet",
        "df3edba94d0924da9a61e21f1e5b12b4ff0a5414dae1e0a9edaad7c4932524b6",
    ),
    (
        "tables/income_trajectory.csv",
        "4b881bb7cb763b725c5add2e781b6ef189660c171f7ac220329f5cf1e0fd23de",
    ),
    (
        "tables/income_trajectory.parquet",
        "bbec743b363ef52379e8c1c0b09103d3e8753e2b4618c3e8c1ae4ed49aade15d",
    ),
    (
        "tables/score_change.csv",
        "a8f9f802a6d283421e31a9adbb0c41b75bb1be67344027fc07c68b7aaab128da",
    ),
    (
        "tables/score_change.parquet",
        "2347a0468befbd2077215805a9ff50c97725ad3bf31b1600fea7307c8dac4dc9",
    ),
    (
        "tables/score_levels.csv",
        "f18d09f351e0ed4e19421de94ff8a4143b1b6f5567c88b0d32604be6f76d9bbf",
    ),
    (
        "tables/score_levels.parquet",
        "291a60d9994b7fd2f927a92ee736a1bbf63ab86e1a4dd764068dd6d4094bf4d7",
    ),
    (
        "tables/survival_curve.csv",
        "1be6a3ca5f4a56feb3150493bda857a866009949b80842e3909695bd0e1e3343",
    ),
    (
        "tables/survival_curve.parquet",
        "1ff0927c165cab3494792071ba996af92ca67ae5d5321b3522349c141526fc86",
    ),
    (
        "tables/survival_tests.csv",
        "76bd34153cd18c8ada522ed9e65493752ec50188aea941189a0d0623ba00ad03",
    ),
    (
        "tables/survival_tests.parquet",
        "36be980f04fd333167c7d772df04e68707049699382e87fd8f7dedd96fabf05b",
    ),
    (
        "tables/survival_years.csv",
        "ee4afa66a3fa7e293a8179741b7bf390e7d8f51242553ca7f46b47f6bb3c823c",
    ),
    (
        "tables/survival_years.parquet",
        "eca386b4f1b1b75446ffa283a299a3e52eede72678a253e1a4dfe87a2229ef3d",
    ),
    (
        "report.html",
        "0fa3c5f78b2f44acd26f669ef05ae4eac46e837854db840e599aaacd768f7dba",
    ),
];

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `report.html` with every `YYYY-MM-DDTHH:MM:SSZ` replaced by a fixed text.
fn masked(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    let pattern = "dddd-dd-ddTdd:dd:ddZ".as_bytes();
    while i < b.len() {
        let stamp = b.len() - i >= pattern.len()
            && pattern.iter().zip(&b[i..]).all(|(p, c)| match p {
                b'd' => c.is_ascii_digit(),
                _ => p == c,
            });
        if stamp {
            out.push_str("TIMESTAMP");
            i += pattern.len();
        } else {
            let ch = html[i..].chars().next().expect("a char at a boundary");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn files(dir: &Path, root: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).expect("the output folder is readable") {
        let path = e.expect("an entry").path();
        if path.is_dir() {
            files(&path, root, out);
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn the_sample_run_writes_the_recorded_bytes() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    ok(&["run", "--data", "data/sample", "--out", p(&dir), "--quiet"]);
    let mut written = Vec::new();
    files(&dir, &dir, &mut written);
    written.retain(|f| f != "manifest.json");
    written.sort();
    let mut expected: Vec<String> = GOLDEN.iter().map(|(f, _)| f.to_string()).collect();
    expected.sort();
    assert_eq!(written, expected, "the run writes another set of files");
    let mut differ = Vec::new();
    for (name, want) in GOLDEN {
        let bytes = fs::read(dir.join(name)).unwrap();
        let got = if *name == "report.html" {
            sha256(masked(&String::from_utf8(bytes).unwrap()).as_bytes())
        } else {
            sha256(&bytes)
        };
        if got != *want {
            differ.push(*name);
        }
    }
    assert!(
        differ.is_empty(),
        "these outputs of the sample run changed: {differ:?}"
    );
}

#[test]
fn the_mask_hides_times_only() {
    assert_eq!(
        masked("at 2026-12-06T06:14:11Z, é 12:00"),
        "at TIMESTAMP, é 12:00"
    );
}
