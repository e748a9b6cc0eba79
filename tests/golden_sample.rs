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
        "9227c2de08da44a55e3c5f709ac41fd6b168502f94dc549d1efbbb8e61dbdb27",
    ),
    (
        "charts/acceptability.png",
        "bacdaf4a7ab2ccb0967363522f8da30e272bb6d1c075141daf185f0b0b0a977c",
    ),
    (
        "charts/acceptability.svg",
        "9fe43fc75383c1764efbbf2f1315c297ccf579a67dd7aba836953c8969c591c6",
    ),
    (
        "charts/cost_of_care.png",
        "65e0f961761eedb341f4b4c21b45b10b1ac4e0a3fcfdec20bf90b64373ac6721",
    ),
    (
        "charts/cost_of_care.svg",
        "5aa4b01a44f1a07078e7d8f9ef4728d716982b7bde66cb09d8f809f5b9e08e46",
    ),
    (
        "charts/followup_domains.png",
        "ae19656e39bdedbc03a5c57fb66097fea180baddedda9cdda3b10ca82ecddb98",
    ),
    (
        "charts/followup_domains.svg",
        "417df98cc2da8f32a1fe628478626aab51ed42cbbb284bcf820357b185891548",
    ),
    (
        "charts/headline.png",
        "54d5a1b3e14f11cefa9a515e5a5964d625d5e5f724930f56a7b770eea14901df",
    ),
    (
        "charts/headline.svg",
        "d4c18ded97d25b6960f7521821b31bc383189faa9057ba62df8ab3a1666f8d81",
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
        "charts/propensity_overlap.png",
        "11aab4615431abc15a5715019334b7ed3d2944beae2d4822198f48e060a84e90",
    ),
    (
        "charts/propensity_overlap.svg",
        "6e57caa4378f546f5f2e9db0253b455d92cbd4f0955ead223f40e5669101835b",
    ),
    (
        "charts/reintegration.png",
        "4d9592903be5949dedb5f73148162ca87431b128cf870a3d5fd261c468f1ddb7",
    ),
    (
        "charts/reintegration.svg",
        "d949dcb4e510c885e8c67f5107b792986845dc4f768236f98dbbc1c166b01455",
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
        "b0e0ae170c8e1c130de174b6767d8c384f9560c90e00187dc6071b7eb530a0ca",
    ),
    (
        "charts/sroi_distribution.svg",
        "8b4460ec3df71b81ba07861f538c8fc0dbfed2c5899e19b2e0145314d7d6d767",
    ),
    (
        "charts/sroi_waterfall.png",
        "2ae8dc15392fb101a0e9a4ba533b553d4127efeb55e0f583a0ae4709be747afd",
    ),
    (
        "charts/sroi_waterfall.svg",
        "a7b1f4c21226d3546b06b960323236f494c463b6aae7da3d5fccf3975974556d",
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
        "71ddc1de0fc19ad0886039387cc338b6d6428baecfa79e8c8d78f698b5f3de9e",
    ),
    (
        "charts/tornado.svg",
        "aa3739a89f5d1075b82012e6108dd160991568f2160e1ad777253b0a2a809cca",
    ),
    (
        "quality.json",
        "9a6398a89b22952341a1c3895e670aa9e5cca73f05acfb34065c8d2ea670d123",
    ),
    (
        "report.html",
        "b6238cf27dd45f1128d3f22f6a9e183201b57a5739460dca0de0cecd3a87f0f4",
    ),
    (
        "sroi/draws.parquet",
        "89c7ac06efb4fad2871827dc24ed0c4baa07458ee7174c1b5623ac8d71707efa",
    ),
    (
        "sroi/impact_map.xlsx",
        "dc3c7c6fa2d8aa7f53f4ff8655fc885a59ad359a6cddb0f2f3eaadef5cc61490",
    ),
    (
        "sroi/summary.json",
        "d710b6e4778703a9835e6abc231522c78cb8d50e51034fed390e00cdc3cd159d",
    ),
    (
        "tables/adjusted_estimates.csv",
        "5853421c31c0300b4a5afc5887b8a8d04a81067822cf00036cd0d0089ea8ce08",
    ),
    (
        "tables/adjusted_estimates.parquet",
        "602727c060f45d1cd669176e366c3a8bd1db10d07c29c34f1cf28d854fadf639",
    ),
    (
        "tables/adjustment.json",
        "b4039737958b3beebcc71b4bf139636a4ef51f72b31ec8b98110f47f2a818491",
    ),
    (
        "tables/balance.csv",
        "fd39b4133513370bf9fc8d55329b23ed623005d07a31a93a5e2b3f0aaff65198",
    ),
    (
        "tables/balance.parquet",
        "870ee4e57550276fc2c5ef06fb0d5ab0ac1ff493541e0b124867f04c8fe0256b",
    ),
    (
        "tables/cost_of_care.csv",
        "bbb74b07f793be57e744583cb985f0dcc90aab365a0837f2f248067bf7034e71",
    ),
    (
        "tables/cost_of_care.parquet",
        "c949a4c9b33eb4761a2f88336d4d98cc8dc5b824347db24317c0609995720f4b",
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
        "849a33fa36e542ac0b6732077b3cbbeb37e4c8a2dc81aade18dfad6be5473e4f",
    ),
    (
        "tables/income_effect.parquet",
        "67992a468411dfd26219b7d965c896d23f3aa9d9c0a065011d00da305fdaf0c9",
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
        "tables/propensity_overlap.csv",
        "7e54f9ccc939ddfc9573effdcd90921f0fede2c77b95a77a3ecbd80545a67d10",
    ),
    (
        "tables/propensity_overlap.parquet",
        "4937a89a5c637a14f7063b517aba124eba0b94438de866e987c2776d2b736a8f",
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
        "tables/sensitivity.csv",
        "c6ecf4e2122ed9c8708753c943b574b0d04ceee9b70478b5d90043d9fb8934fc",
    ),
    (
        "tables/sensitivity.parquet",
        "28c6ea5b85005e44c0dcf88b12111be45b7210e85c8fd6cdaed932550c6552d2",
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
