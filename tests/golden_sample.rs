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
        "d92012833c1b2ea2d43a1d8baf713e13f36c50da57544dc637484068914b4a0a",
    ),
    (
        "charts/acceptability.png",
        "0c52dfe52c5cb19bb746e22abc2722462613326025356bfb507f0c4c96b1a9b0",
    ),
    (
        "charts/acceptability.svg",
        "3009b1823f753010064af1d7a7996931a01c8ad3675981ab23f458d758c63340",
    ),
    (
        "charts/cost_of_care.png",
        "5b4efb347152fc8d6719d161d9e6d2aa8fcdd5a70c9484cc1c22f3921f954b2a",
    ),
    (
        "charts/cost_of_care.svg",
        "66fb81ebd9768ad5a2fe5f60de4285433e05256af237647bdb51e1bf4092475b",
    ),
    (
        "charts/followup_domains.png",
        "771f589091c36938e0438795447e7a10bed2dab6216434f3a7f1354edf72d560",
    ),
    (
        "charts/followup_domains.svg",
        "a80be52991e1be145ceddae284e1673112f7ee6a96b3992b208dcb218d7ec6f4",
    ),
    (
        "charts/headline.png",
        "f900c88364f4370dcae9b6211b70e106d378a8454baf0c0456aa194dee830760",
    ),
    (
        "charts/headline.svg",
        "17dd912eb75c93ffb579c520b2fc60b1ddbe3cb669243d0fe2d8214b5cf99de4",
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
        "3e11f8f0dd4303ddeedc77b4e620f52a46f49636ff4bf514bb4b63dabe5c1dcf",
    ),
    (
        "charts/score_change.svg",
        "d196ed90fe05e6627d16a9a8fd56feeae26e129ff1ee7988c9f741335997bcea",
    ),
    (
        "charts/sroi_distribution.png",
        "f48da40992529e181823ccc823b6f3966604124e97d751ff6bb7a12e6a69f5d9",
    ),
    (
        "charts/sroi_distribution.svg",
        "c36e8a766d969c9a764950b524dff8d874110ea6d2183af59e076ee2961c0313",
    ),
    (
        "charts/sroi_waterfall.png",
        "5ff7a3e50af06d595d1ed9e76c5734cc54cd4f3d6cdbaaacc15961a5b7762ff5",
    ),
    (
        "charts/sroi_waterfall.svg",
        "1e62f54a6b2c8333b12cae26f4447172252d3a965e7eaae7cc0b421ab41c0ef3",
    ),
    (
        "charts/survival.png",
        "cdb74f266882ebc9586f76f3004da1c417c20d4ab0837878f41069b08d39adad",
    ),
    (
        "charts/survival.svg",
        "b6c08d80c644bfd8e5af0ad77bf6d407cdef5a7780561c2b9986e75b9696e05d",
    ),
    (
        "charts/tornado.png",
        "2c00f60be7bbbb3f557d0808af22bd427ab1b0380bdeedbede4d3eda09b252e7",
    ),
    (
        "charts/tornado.svg",
        "dbc8d37a3ce72eab60297b9fce669f09cc807054e3de3b49127b60cee59ab760",
    ),
    (
        "quality.json",
        "9a6398a89b22952341a1c3895e670aa9e5cca73f05acfb34065c8d2ea670d123",
    ),
    (
        "report.html",
        "10367c2cb5f1f4744f95c85db57893b39f6f094d16cc5740f0496b87825b28e4",
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
