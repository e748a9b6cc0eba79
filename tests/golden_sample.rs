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
        "148c201d656ecce83a4aec817162322d0d94485915d1b35e61a83f5a50d8e615",
    ),
    (
        "charts/acceptability.svg",
        "dec93c7920b4c51631abe90435b798647b16bb9ab8f050f53dab328ed7d40df0",
    ),
    (
        "charts/cost_of_care.png",
        "cc435d9c3d4acce5b459ec65c701fc95142d70ef99e668e7644260cf3619bc80",
    ),
    (
        "charts/cost_of_care.svg",
        "640a53fc1597260343a3e51b19a78faee4445e46d417f07cc0fc99e62064d064",
    ),
    (
        "charts/followup_domains.png",
        "bdecab778ee98ec970132a921bc81d8ee85890fee0607b1a7facd6d01ceed2f2",
    ),
    (
        "charts/followup_domains.svg",
        "affbcc61fede7a729b3257022d66530157a268dc93f944cc0630b7e0c24f7fed",
    ),
    (
        "charts/headline.png",
        "5a371c1bd60bdfe2bd36fa4e97d2b57b51005423ed53b6326c2e0f869e42762f",
    ),
    (
        "charts/headline.svg",
        "54a87c0ad06f92bdd5b5911b049e388a6bdfd238a7cab1c6d58544c1e33452ab",
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
        "charts/reintegration.png",
        "d0131251d568763f9e4ea36086849957b9f0184d8e7814e7bb9d86b194f48052",
    ),
    (
        "charts/reintegration.svg",
        "822a5f11a191f7fd7f377a19e1064997a3e23ee72a69cd091217dd6d6b9996da",
    ),
    (
        "charts/score_change.png",
        "529285e769bb5aeac98fcf59913e3a7350b85b1d50dd46af1714d830eb53f21d",
    ),
    (
        "charts/score_change.svg",
        "fa8c14cfb9dfa8d8cf31d02caf7f5e1d80ec0feefcc389c1b4ef9461d8cad0fe",
    ),
    (
        "charts/sroi_distribution.png",
        "0ae1ea23e3673ee9ca65fcd7a2ebd9f6bc81f2e31dd50574d72619cad4c4e861",
    ),
    (
        "charts/sroi_distribution.svg",
        "af126b95e983e703110b7f04c9f8ee6e81deff02e45c2e39924064d8f8e9a58d",
    ),
    (
        "charts/sroi_waterfall.png",
        "c9d54cb468ecc62c06be6d6f673edaf01afb50f40bf37fe590df8470850fac68",
    ),
    (
        "charts/sroi_waterfall.svg",
        "8538d1b35eaf390e4c3eb065bdf94d9525a30d19cf2a90eb9eeeca927ec46a20",
    ),
    (
        "charts/survival.png",
        "4c0925b6fe8750372b77afaba4222d38ba2a1517ffd918717068f457f5502584",
    ),
    (
        "charts/survival.svg",
        "04293ee67fd5cc950d95990389067b0abf55a88977b3f3cc794485784e218b6f",
    ),
    (
        "charts/tornado.png",
        "fa647872a24c19198d88ef061f84fd96ff35b96343374417756990a282067764",
    ),
    (
        "charts/tornado.svg",
        "a3d4cf9805c8fcf87fe72b04afd9c6a61b68c0080bf7063c87862db238c0b8b2",
    ),
    (
        "quality.json",
        "1f7e7149b3228b09c85e9443ace55d9edbe4ff2c823cae15674f66597f7750e1",
    ),
    (
        "report.html",
        "643e711a67615cb19d1df0fd0c9e962c66aec7b146fbdcbfc2d7f218328b04bd",
    ),
    (
        "sroi/draws.parquet",
        "50156a3bd765246a2c7713e5da230aa799b6a1f495c51410b586135f87f2bd6f",
    ),
    (
        "sroi/impact_map.xlsx",
        "6dabd6737d8a2ce323cfcffe7d8346b9c4ac07864e319e0c31fb2b634158ac78",
    ),
    (
        "sroi/summary.json",
        "6850f6d82c95980e6ccd78da99fd20828f4cce8be0e5e93b7d60cc02edbe4f7b",
    ),
    (
        "tables/cost_of_care.csv",
        "f56b6f8f8f5336585bc186880cd103be4603078b07e3f60473a6c7cc6c3f2c20",
    ),
    (
        "tables/cost_of_care.parquet",
        "9aeb7e9fbc2f3b17f1ef9bcaa3a64825ce3e9304013a777e92e31c021568878b",
    ),
    (
        "tables/during_programme.csv",
        "9bcc2802d8ee3409ae27491a02aa943978b1198cc64cf2ea495b6b45f2aedfb9",
    ),
    (
        "tables/during_programme.parquet",
        "6e46477c933bf9a40e299145915b0cc15a4acf005468d461c37c47fcd0c9a3f4",
    ),
    (
        "tables/followup_domains.csv",
        "f45d80285bf18c83162608d19184a7c58ad59acb8a6058e87409ba69ae1ccc8a",
    ),
    (
        "tables/followup_domains.parquet",
        "f84f14ef426fe37b98930ff5a7f7005bd39cfe08fdde4f58d5514f6d7fbf33ed",
    ),
    (
        "tables/income_effect.csv",
        "56809f3782d196079adfbe6d902720ee41fc9dd83d51b00540f575b2e390539c",
    ),
    (
        "tables/income_effect.parquet",
        "e5f0a775c72756ddab4cfb7f6ff4a6b2bce16256f0fb9fdd50fc340da21b482c",
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
        "tables/reintegration.csv",
        "8519be40086fe54b1667f4f9446d2454fca6edf40a02e680d8025bb0b6489409",
    ),
    (
        "tables/reintegration.parquet",
        "c74de9986343dcc1876ee4d88b2ffb2c30dc8df52b4131e3422811f0b81ea864",
    ),
    (
        "tables/score_change.csv",
        "627fc6a53371ec76d9ed3c7643bdc64ee21b4f166f84aaf09cca00b51f154922",
    ),
    (
        "tables/score_change.parquet",
        "8308205340902522e00dd1f6b575a24132982aa23e64e97d24eca79411ff8e99",
    ),
    (
        "tables/score_levels.csv",
        "550904672264e0566de022669aac0245e976321a8f36776144d1becba52f2cfa",
    ),
    (
        "tables/score_levels.parquet",
        "d0323ad8d74677a542a49805c6c16d1e7b960a90f4113f722b6851e4a72855ba",
    ),
    (
        "tables/survival_curve.csv",
        "83a756f459b67c26ce3cc4dd2f98a4b0cb249c70bb24ee84fc1a4164e4ecb32d",
    ),
    (
        "tables/survival_curve.parquet",
        "f73ebf9187c811a41cca4f61d898ed24dfb720e0cdae7096dba962424d29ff7b",
    ),
    (
        "tables/survival_tests.csv",
        "aa1be2afaf6e4dd2dbe70a6411e69beff5813de551474753356e05db8495816c",
    ),
    (
        "tables/survival_tests.parquet",
        "12bf1ef510e8c3a35201b31a33ea65c7b5759b7380592a1f169472c76422a071",
    ),
    (
        "tables/survival_years.csv",
        "23f9853fff5e6b783f95cc7375d14a19b5dd3bc38b75fd09e9943e15557c5a9d",
    ),
    (
        "tables/survival_years.parquet",
        "592be714b9c20bbac1ef8e64e783988fb0fafcc1ba363df7484b20829763a7fe",
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
