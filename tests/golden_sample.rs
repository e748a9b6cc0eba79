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
        "ad9b8c835043ab8821a34b5ba50dd7306ab123e8b6c15ebc13968f91968f9e5a",
    ),
    (
        "charts/acceptability.svg",
        "f90a819bc30c9bbd2f79e768c6df27b58635f3ed8c8aa6a0f4949f2ca4b4992e",
    ),
    (
        "charts/cost_of_care.png",
        "56bd5b973da97165f6763eb4c37b4ef8e70af6d3bd217d248a7b1594012c81d8",
    ),
    (
        "charts/cost_of_care.svg",
        "f9f6e0ce1d66ebf03529538e23a7c188014f56e0e2282d9a8bc36c1a3b8d3d5d",
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
        "f5b01994447df6fa91c177fe9754dfa3f1485c4b3cf6e1ccd7bfacbef882f339",
    ),
    (
        "charts/headline.svg",
        "e32ec54a47562bf7d8209cff2da5dd77da038ff2ec91594f9988d5520e2d86a2",
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
        "6570745d66f5b7087140da281874a14f642456f1e2709070699223d47fc008a8",
    ),
    (
        "charts/sroi_distribution.svg",
        "a29072a1a88c6472d8c2179497616dc4480cbc55a06116b34b70298d24cd95aa",
    ),
    (
        "charts/sroi_waterfall.png",
        "e1454ca43b5f20c9a33e364f169d5267488bf05d14c2d8f2f57b7f148285102f",
    ),
    (
        "charts/sroi_waterfall.svg",
        "b3780ba1b83b46d396da48c53d0589f52371e1f20bce706c73b20f6db5447f16",
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
        "05f7854a5f5ea44729e975319d53cb46eddb006ec66384ce74701c8c18ecd93c",
    ),
    (
        "charts/tornado.svg",
        "86539e398837bf73b6d77435feb2c95242b621e41fef74db0f712ce256a2ccec",
    ),
    (
        "quality.json",
        "1f7e7149b3228b09c85e9443ace55d9edbe4ff2c823cae15674f66597f7750e1",
    ),
    (
        "report.html",
        "1c5f1ff13480d76064dc1ff63554fa1175da9ee22ac8c966c03635c30f6766fa",
    ),
    (
        "sroi/draws.parquet",
        "343b2331c8a97f3aa2b132af5c8fa1c3a1fb3f24145b8c43c6c8d080db9082d7",
    ),
    (
        "sroi/impact_map.xlsx",
        "ffc1ae0365cf58882a7247407e49183d2a03c183e1091194e05938335c448a86",
    ),
    (
        "sroi/summary.json",
        "65e1da3272dfa172eb03f87350c47c239e7085103614ed15f8396ba37fa3d3dc",
    ),
    (
        "tables/cost_of_care.csv",
        "30c1a4da633e1dcf8dfca423c9ddf8789b59a2bddc48b8802f1fd5c95a984848",
    ),
    (
        "tables/cost_of_care.parquet",
        "7a78f5c25f8d4b93d6d9f23c33c0fed6e48cff346208f6c06f58173eba02a9ff",
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
    let mut differ = Vec::new();
    let mut table = String::new();
    for name in &written {
        let bytes = fs::read(dir.join(name)).unwrap();
        let got = if name == "report.html" {
            sha256(masked(&String::from_utf8(bytes).unwrap()).as_bytes())
        } else {
            sha256(&bytes)
        };
        table.push_str(&format!(
            "    (\n        \"{name}\",\n        \"{got}\",\n    ),\n"
        ));
        match GOLDEN.iter().find(|(f, _)| f == name) {
            Some((_, want)) if *want == got => {}
            Some(_) => differ.push(format!("{name} (changed)")),
            None => differ.push(format!("{name} (new)")),
        }
    }
    for (name, _) in GOLDEN {
        if !written.iter().any(|f| f == name) {
            differ.push(format!("{name} (no longer written)"));
        }
    }
    // A meant change pastes the new table over GOLDEN (the message carries it whole).
    assert!(
        differ.is_empty(),
        "these outputs of the sample run changed: {differ:?}\n\
         if the change is meant, replace GOLDEN with:\nGOLDEN-BEGIN\n{table}GOLDEN-END"
    );
}

#[test]
fn the_mask_hides_times_only() {
    assert_eq!(
        masked("at 2026-12-06T06:14:11Z, é 12:00"),
        "at TIMESTAMP, é 12:00"
    );
}
