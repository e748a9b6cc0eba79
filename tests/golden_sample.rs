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
        "569067b21fcca1b6121b09b765f6df44ba891047b6ddaae62f9d917423ea487a",
    ),
    (
        "charts/acceptability.png",
        "73aefdd5a1108c793663583bcddcbb1c3db35f5cca4611b2cfbada9f3f87b187",
    ),
    (
        "charts/acceptability.svg",
        "881e78f8485705eb5ddddc7e2a9225dc2525495834c98ec27c16cf87f58c6d34",
    ),
    (
        "charts/cost_of_care.png",
        "0fee62d5c4c3fbb955a3f396b008d536306f7c62287307909e3118f48e1aff1c",
    ),
    (
        "charts/cost_of_care.svg",
        "c4aac7b070fb5a21d657f2d17b0d8ac3bd294b94282d8e8f7deb2f0be7040f98",
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
        "cf34f1c59d99b20857f0afbca89542f4e6d8944e498c9a977afb36cf13242956",
    ),
    (
        "charts/headline.svg",
        "34c8c4029212dd24d4b19a12b6f0397b0a484f6d0ff68faae032ee246ae1daa3",
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
        "f23a4b60df5d5d2afd61a4e55f588d97d362ee35348770c12a5644dc0fa6c39b",
    ),
    (
        "charts/sroi_distribution.svg",
        "30426f7b13ebd79f8d1c4d44f4ecec032fe375903474fbc78c6c7be2a0bca05f",
    ),
    (
        "charts/sroi_waterfall.png",
        "76b43cf1398b58de904a035bc6e7d06d3c99cf50aa28a740f437c6152c5da58c",
    ),
    (
        "charts/sroi_waterfall.svg",
        "b69602876fea328526799a2bb0af5457f56a12577bffa185c53d5b83f097afcb",
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
        "448f7b4834f5cea7c7c7692501df4ca8e448aba445093b9e8eb19f10dc8fadd7",
    ),
    (
        "charts/tornado.svg",
        "80ea7feebc537a8658cf62679e23916daa13de403f879d5787d6ea6e6da33857",
    ),
    (
        "quality.json",
        "9a6398a89b22952341a1c3895e670aa9e5cca73f05acfb34065c8d2ea670d123",
    ),
    (
        "report.html",
        "8b1a6d57228673006cbfbdfede23c8d6ebe19e0b01df282394d01ff5206ad3a4",
    ),
    (
        "sroi/draws.parquet",
        "c1c146f21a2f8396e7973eda2d74562abb1f50883fafc73e219253ad10bf0e9c",
    ),
    (
        "sroi/impact_map.xlsx",
        "d0251c611be38ed306b7763069b454ef12e35a28dcdd77079301d5b8805e0104",
    ),
    (
        "sroi/summary.json",
        "a60b56ae227a277062bf8007ac0e7c6c7ba0c9c7fc3d8402ffa21641d99a5ba0",
    ),
    (
        "tables/cost_of_care.csv",
        "1cb07f320a3861ff239d8981a7f2a4237932a78aee9934867ab26346f12bfc55",
    ),
    (
        "tables/cost_of_care.parquet",
        "6ba2986cbe0ac04bd0cad5bcf39b86f7913c6421669136d0e7db76c61a768029",
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
