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
        "card.html",
        "8fedf47e73bd3f20bcd77f4d186fc9ccb77c722321f46bd527edcc462396ea8b",
    ),
    (
        "charts/acceptability.png",
        "8d34980842847b1df654c81b1d1b7f855c7ea9ff5fa91d7a3e340c3423d6db86",
    ),
    (
        "charts/acceptability.svg",
        "871a2e14ed00b66227a67ca5a2a463f1577a298ee2cd1aea1252ac084705ec6c",
    ),
    (
        "charts/cost_of_care.png",
        "8de67ff3e5704e9c401e21f68ea7abd89fecad6dd97417317a8a1f21e5a9bd76",
    ),
    (
        "charts/cost_of_care.svg",
        "f9325d7fd271b298c4340c84398f8d5837c4c0c43a7a3ebb193496af204cbd4e",
    ),
    (
        "charts/followup_domains.png",
        "b5f0eb9239784ac0603d6d33fbb2cd238bed9eebf8b338783a950b52109f0988",
    ),
    (
        "charts/followup_domains.svg",
        "7633cc17cd5896fe987abe23d52e595a71782e0ad40f29eecf966c5f0ff71a83",
    ),
    (
        "charts/headline.png",
        "ce2a0aeb4b658ad569302cd9e6c0b38ec31ef93ba8846fc8f09beb83e65555c0",
    ),
    (
        "charts/headline.svg",
        "8c149e0d0203d05cfdffd724c0aad03e2107eb0742c04b9a280c13ada24c4029",
    ),
    (
        "charts/income.png",
        "cda70374f58b3f91ebaac31505806760fd4eb2a357b77938f3b7f38d72010e1a",
    ),
    (
        "charts/income.svg",
        "197b7f6afb93c14265e2a2d85efffb4b2010c3654dcfbf73cce8990e8647c0aa",
    ),
    (
        "charts/score_change.png",
        "ce5180ae8ad150594f71c4038da95eb854fa5b9ca02525886c17d72acb76350e",
    ),
    (
        "charts/score_change.svg",
        "42ffe1ec166dbc6ce6222dafb9d4b1e379d705c270cb8320be8b7495b797edf6",
    ),
    (
        "charts/sroi_distribution.png",
        "61fa08a765513343456b6411f60a32eb8de285cfbbf84f0ca8796f06768ef42d",
    ),
    (
        "charts/sroi_distribution.svg",
        "d2a0377fc4e076d0ba79e68c9296c1f29332e20e21b00d38560cd61bbf02ba1d",
    ),
    (
        "charts/sroi_waterfall.png",
        "5319cd0c3a669125a7088c0ccae745375125723fa950d87789c498e39f5484f9",
    ),
    (
        "charts/sroi_waterfall.svg",
        "bc01f78d7da10e6c316192f9724aaa524838a342ea478e0249c3dcda4cab470d",
    ),
    (
        "charts/survival.png",
        "ab66b6063718665c4db900fc0f66da70a4b77afb9de311d99ddb42cef8811792",
    ),
    (
        "charts/survival.svg",
        "f9e4c282b0efbc309a9e67455e14a1afc1af3df7edd85d1cdf1f4da58cf4e262",
    ),
    (
        "charts/tornado.png",
        "31dbda4ea79ea9a74a8b67276d37ea99f888616bdbd4aebd7758608e4e42635f",
    ),
    (
        "charts/tornado.svg",
        "4ab7c9ed4c1b36bc36d81a0c65c1717cbb7a9e9fe20e882b72a89ed678e4a4ca",
    ),
    (
        "quality.json",
        "9a6398a89b22952341a1c3895e670aa9e5cca73f05acfb34065c8d2ea670d123",
    ),
    (
        "report.html",
        "dca9cc29a1be0b52f5cd95fd13f70b80aec10c29f63d061dc01faaedad02eb5f",
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
