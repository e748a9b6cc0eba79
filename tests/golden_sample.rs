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
        "9d113a6265a115fcdf74be205eea0b83a334a9800adf2d68b743e4d32ec78e1d",
    ),
    (
        "charts/acceptability.png",
        "ed23ac80d132fba7f222937203687d6583a5e11101cc989d5a77e2cfbcbc2e25",
    ),
    (
        "charts/acceptability.svg",
        "4e8c53ff3977763b6624802be93d93495d61f45d99015d4c1609b1c2b24f4a46",
    ),
    (
        "charts/cost_of_care.png",
        "3ce3f253d17b573e5221503e93426cb7cf09b8d8481449d9a4a30f2a25dab97f",
    ),
    (
        "charts/cost_of_care.svg",
        "ed0e0c14f9fda6d410c029b9070d0f51b431fb01416b8a15b8cde742d63cc9eb",
    ),
    (
        "charts/followup_domains.png",
        "fc38f879ef6d34f0e34c7fa6c80abcac081b40839ffd39020c8798f116303503",
    ),
    (
        "charts/followup_domains.svg",
        "84fd96df1cf624674fe7d9ba86330f4f171ee00472e1fc424a07cfcf48ac1163",
    ),
    (
        "charts/headline.png",
        "28aa7ff70cbede389caedf19e7c69ce0742a4db2315ab25cd935b89ec7bbfc2f",
    ),
    (
        "charts/headline.svg",
        "e239713c1fa66a8f2a4e1581fbddf17e8e8a651263ccfd72fc1b840247bd48bb",
    ),
    (
        "charts/income.png",
        "8011c43867a8615cd5197ee1d492b9493d0bcfc9f0b2954d841ca223fe28a0aa",
    ),
    (
        "charts/income.svg",
        "895155852a5a3397ea62ed13b9ce53edf49726cb78f8766ba7c6d28e7470f64b",
    ),
    (
        "charts/propensity_overlap.png",
        "f9838c348dc23ac20b2273b5a0127d7683a7389d2932c7c850e99a81a69c5d1b",
    ),
    (
        "charts/propensity_overlap.svg",
        "cd5041dc3debe5f07318bb3b33b0cb1928580b6a6a8a2ab2be76d3499630e857",
    ),
    (
        "charts/reintegration.png",
        "aae057c2d23aece8edec36edc2a5ae2950bcd816d8130d5c0bafd75585802d06",
    ),
    (
        "charts/reintegration.svg",
        "6eb348c3e1cff72db5ac0b7c2a0c9cde433ae6080562a073893c580ab37eb648",
    ),
    (
        "charts/score_change.png",
        "a000766d59854a8489e494f91a5e88ec0c13740a1d056aca215ada34c3c9cf5d",
    ),
    (
        "charts/score_change.svg",
        "f4e388a5f945f1fc45a2cadafc75bab6b225b88b1ca3f78775b1c7f83f8efcc2",
    ),
    (
        "charts/sroi_distribution.png",
        "1089a7ea04dd6a7d87e315886ea63975a1ce61a6eaabe4a06904471e3260d90b",
    ),
    (
        "charts/sroi_distribution.svg",
        "b8b2c4bf0e1e0b62fe9861ffbe045bb15f0d666f9f521ef6c709e43d64f10f84",
    ),
    (
        "charts/sroi_waterfall.png",
        "a56a55ac452dfd18cbd2d59a49a1b36ca1389d2d8371431bd9475d00e2521efc",
    ),
    (
        "charts/sroi_waterfall.svg",
        "a4eb12f18bb9e5bb65a3f3a0032ea840e9073c4914be6d089d71de3104bfd94d",
    ),
    (
        "charts/survival.png",
        "9d593e447f00ffbfbf920d7e600914b910b0c3a50ba3461423fa971591181822",
    ),
    (
        "charts/survival.svg",
        "5056b2364c8950178ae23689acde3e57d918ac24a2e72c90a2623b54b6ce2680",
    ),
    (
        "charts/tornado.png",
        "90c0522ff2b0443953f611b0ff0647f271283376cdadcf9bdfd016df727c9a7c",
    ),
    (
        "charts/tornado.svg",
        "925df900f9a726793b08488c27afe4493b757021b40912b4cec9f684c446278d",
    ),
    (
        "quality.json",
        "4ec4e2e0459768addcec7c3bc13dbd6978f9f66f6784cb69ca0d72b25b83050d",
    ),
    (
        "report.html",
        "20031cf74f152a6022a8be4457034615bc2c35223b1d7ec5066d894faa8b6906",
    ),
    (
        "sroi/draws.parquet",
        "2a971618e58b75e2ce4a419c8f8e41a21f8155a4b2bfd4d400ec2839ada9738f",
    ),
    (
        "sroi/impact_map.xlsx",
        "18126450568d6366a96248028b88e7234b1214ea143cef0e34ca25d8d239d397",
    ),
    (
        "sroi/summary.json",
        "0c24c139c17736d84aeedf274a8a9690bdc528e083a2d2da4c597c8163ee5e65",
    ),
    (
        "tables/adjusted_estimates.csv",
        "1a3cad03f9bf6f2f4b5fb2a9dc73535274a38831852a7c018b8587d8520de5d6",
    ),
    (
        "tables/adjusted_estimates.parquet",
        "949399afe1eef98a3294da4a97dbf71bf95e9c497e480fb834b6cc7946cbc297",
    ),
    (
        "tables/adjustment.json",
        "4787d2730cf9afa4a477974cec61ceae1fa6836488441a3241de5b9da6669b3a",
    ),
    (
        "tables/balance.csv",
        "e4e518d43e670788c514b41b084e2884156ebb2f5b74b11414655fd754c5ecf4",
    ),
    (
        "tables/balance.parquet",
        "0b0f0b0965de5f337d9035f09b604fb2c2d7959b28e40f5ed8a9aa4ee94f8827",
    ),
    (
        "tables/cost_of_care.csv",
        "c3020a785ac141905be644959b7d3fdd4188325a4c733ec3fd057a93a94d7755",
    ),
    (
        "tables/cost_of_care.parquet",
        "dc810596a1d20cd8f3fb65b2eb91ae76a19408dbe74a8696af7b63122bf7916f",
    ),
    (
        "tables/during_programme.csv",
        "89b0e9c64d5e821456cded26042c61069e29dfec8da2dbde36551f21db8796e9",
    ),
    (
        "tables/during_programme.parquet",
        "bdd8c238723128da3c5eadf79c91922ff8c40d2cd700184e6836d7a12238c4d8",
    ),
    (
        "tables/followup_domains.csv",
        "616ef7c73d56d63f1e3344be7beadd5769e2a3bf385da28955dbf11f0dd32ee4",
    ),
    (
        "tables/followup_domains.parquet",
        "e9568146ec892d1a2c641336fddb47f5202c669783207151f18b196458b82ed2",
    ),
    (
        "tables/income_effect.csv",
        "e51e4d7a8aada0389610ef94ffbaf777a90135edb3156ad422d0708828c07822",
    ),
    (
        "tables/income_effect.parquet",
        "627a0953ef11ec668831695e984e6ac728a91e40221efc495acb459dee016273",
    ),
    (
        "tables/income_trajectory.csv",
        "75b66cce3489bbc383bb59588231c861b5aea0afcf3712f402b8a32bfc2565fb",
    ),
    (
        "tables/income_trajectory.parquet",
        "749bf2c241c7b9f4464418256b8dbe30d822b5a30e00f4257bad681ac29f7b66",
    ),
    (
        "tables/propensity_overlap.csv",
        "b9521197d6345eb06de39de4533b513fd329f7f823fe4879077c186dcb7b4f62",
    ),
    (
        "tables/propensity_overlap.parquet",
        "62518a8a7ef750e8f03f609975e35a039cc3d17c569f6f9b066a08952b8b1fe8",
    ),
    (
        "tables/reintegration.csv",
        "83cd438bf25f471c92955f0aedd06921df7fe971811572328fdb8f492c2be869",
    ),
    (
        "tables/reintegration.parquet",
        "e53da0f07c18d6136b3bf0f057c8cc9fe2422dc014589341d2f28dab970229d4",
    ),
    (
        "tables/score_change.csv",
        "d0804bac1da2aa3539fd8330392fcbaf88ad9eafcbaa1a846441921162213956",
    ),
    (
        "tables/score_change.parquet",
        "f116ff71111cedcc3ac71681b2b73c18cb32898924abca1528da1d781d584ce3",
    ),
    (
        "tables/score_levels.csv",
        "c461dd5de6aca52c197c5f2da59281d057ccef4230f3e8c5e1290ba63720239f",
    ),
    (
        "tables/score_levels.parquet",
        "c3cb1f8f4d7d0a167a784c78d68a19701681217a0561c202316f24252d84abd3",
    ),
    (
        "tables/sensitivity.csv",
        "93f420af11425051f5ffad31048a451a68a511c9e6bdec81f29fc9643a8ff24a",
    ),
    (
        "tables/sensitivity.parquet",
        "eb8f4e6483b2f037b35841b9d5713da3acfd3bf1b395e7aa9ba61ac1b4961c82",
    ),
    (
        "tables/survival_curve.csv",
        "1880ba36fff73a5c907c735e9cdc9c4bff2ba683b1b513671ff77bbbd7a508c1",
    ),
    (
        "tables/survival_curve.parquet",
        "c75ce7ac8178dbc59651983746a7c9e0f646a4f97a33319aaba8a448b3a26714",
    ),
    (
        "tables/survival_tests.csv",
        "fc2e843b57b70114152152ae1c8b3e2547257c7d8a01053a01906581c1f8eb96",
    ),
    (
        "tables/survival_tests.parquet",
        "6add6025262fdfd40558fc5c5c942d619a785b011985b8bba1e0e23cf8a04756",
    ),
    (
        "tables/survival_years.csv",
        "9dcc23c69c5eba3621642d14d452b5e61a8db8719a058121a1ef531eef8b0717",
    ),
    (
        "tables/survival_years.parquet",
        "db6042d430a3b35403c989fdca0b471ab3d9b431cc8935299a3977daf7486d1e",
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
