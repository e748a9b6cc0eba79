//! report.html in a real browser: headless Chromium opens the page from disk, takes a
//! screenshot, and records its network activity and console.
//!
//! Checks: the screenshot is not blank (decoded, many non-white pixels and colours),
//! the page makes no network request (Chromium's NetLog, written with `--log-net-log`,
//! holds no request initiated by the page), and logs no errors (no console message,
//! failed resource or uncaught exception in Chromium's stderr log). A control page with
//! an external image and a console error shows that both checks can fail. The DOM Chromium builds
//! (`--dump-dom`) holds every section, so the page parsed completely.
//!
//! Without /usr/bin/chromium the test is skipped with a message, unless `CI=true`
//! (then it fails). `KINSIGHT_REPORT_PREVIEW=<dir>` keeps the rendered folder and
//! screenshots (desktop 1280 px and phone 390 px wide) there for looking at.

mod common;
mod report_fixture;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use report_fixture::{write_out, Format};

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium_or_skip() -> Option<PathBuf> {
    let path = PathBuf::from(CHROMIUM);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{CHROMIUM} is missing and CI=true: install the Debian package `chromium`");
    }
    eprintln!("skipped: {CHROMIUM} not found (install the Debian package `chromium`)");
    None
}

/// Runs Chromium headless on `url` with `extra` flags; kills it after two minutes so a
/// hung browser fails the test instead of blocking the suite.
fn chromium(bin: &Path, profile: &Path, extra: &[String], url: &str) -> Output {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let child = cmd.spawn().expect("chromium starts");
    let id = child.id();
    let start = Instant::now();
    let waiter = std::thread::spawn(move || child.wait_with_output());
    while !waiter.is_finished() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    waiter.join().unwrap().expect("chromium output")
}

/// Share of non-white pixels and number of distinct colours (up to 1000) of a PNG.
fn png_content(path: &Path) -> (u32, u32, f64, usize) {
    let file = std::fs::File::open(path).expect("screenshot written");
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("screenshot is a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let samples = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let non_white = pixels
        .chunks(samples)
        .filter(|p| p[..3] != [255, 255, 255])
        .count();
    let mut colours = std::collections::HashSet::new();
    for p in pixels.chunks(samples) {
        if colours.len() >= 1000 {
            break;
        }
        colours.insert(p[..3].to_vec());
    }
    let share = non_white as f64 / f64::from(info.width * info.height);
    (info.width, info.height, share, colours.len())
}

/// Lines of Chromium's log that show a problem with the page itself: any console
/// message (the page has no script, so none is expected), uncaught exceptions, blocked
/// or failed loads.
fn page_errors(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Uncaught")
                || l.contains("net::ERR_")
                || l.contains("Failed to load resource")
                || l.contains("Refused to")
                || l.contains("Not allowed to load")
        })
        .map(str::to_string)
        .collect()
}

fn screenshot_flags(shot: &Path, netlog: &Path, size: &str) -> Vec<String> {
    vec![
        format!("--screenshot={}", shot.display()),
        format!("--window-size={size}"),
        format!("--log-net-log={}", netlog.display()),
    ]
}

/// Network URLs the *page* asked for, from Chromium's NetLog. The browser's own
/// background traffic (update checks, network time, account lookups, which
/// `--disable-background-networking` does not fully silence) starts with the initiator
/// "not an origin"; anything a page loads names the page's origin (`null` for a file).
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(netlog).expect("chromium wrote the net log");
    let log: serde_json::Value = serde_json::from_str(&text).expect("the net log is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .expect("the net log names URL_REQUEST_START_JOB");
    log["events"]
        .as_array()
        .expect("net log events")
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter_map(|e| {
            let url = e["params"]["url"].as_str()?;
            let initiator = e["params"]["initiator"].as_str().unwrap_or("");
            let network = !(url.starts_with("file:") || url.starts_with("data:"));
            (network && initiator != "not an origin")
                .then(|| format!("{url} (initiator {initiator})"))
        })
        .collect()
}

/// The checks above must be able to fail: a page with an external image and a console
/// error is caught by both.
#[test]
fn the_browser_checks_catch_a_request_and_a_console_error() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><p>x</p><img src=\"http://example.invalid/a.png\"><script>console.error(\"boom\")</script></body></html>",
    )
    .unwrap();
    let shot = tmp.path().join("bad.png");
    let netlog = tmp.path().join("netlog.json");
    let run = chromium(
        &bin,
        &tmp.path().join("profile"),
        &screenshot_flags(&shot, &netlog, "800,600"),
        &format!("file://{}", page.display()),
    );
    assert!(run.status.success());
    let requests = page_requests(&netlog);
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(requests[0].starts_with("http://example.invalid/a.png"));
    let errors = page_errors(&String::from_utf8_lossy(&run.stderr));
    assert!(errors.iter().any(|l| l.contains("boom")), "{errors:?}");
}

#[test]
fn report_opens_in_chromium_without_network_or_errors() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("KINSIGHT_REPORT_PREVIEW").map(PathBuf::from);
    let root = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let out = root.join("out");
    let _ = std::fs::remove_dir_all(&out);
    write_out(&out, Format::Parquet);
    kinsight::report::render(&out).unwrap();
    let page = out.join("report.html").canonicalize().unwrap();
    let url = format!("file://{}", page.display());

    // Screenshot with the network log.
    let shot = root.join("report_desktop.png");
    let netlog = tmp.path().join("netlog.json");
    let run = chromium(
        &bin,
        &tmp.path().join("profile"),
        &screenshot_flags(&shot, &netlog, "1280,3000"),
        &url,
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "chromium failed: {stderr}");
    let (w, h, share, colours) = png_content(&shot);
    assert_eq!((w, h), (1280, 3000), "screenshot size");
    assert!(
        share > 0.05,
        "screenshot nearly blank: {:.2} % non-white",
        share * 100.0
    );
    assert!(colours > 20, "screenshot has only {colours} colours");
    let errors = page_errors(&stderr);
    assert!(errors.is_empty(), "the page logged errors: {errors:#?}");
    let requests = page_requests(&netlog);
    assert!(
        requests.is_empty(),
        "the page made network requests: {requests:#?}"
    );

    // The DOM as Chromium built it holds every section and every chart.
    let dom = chromium(
        &bin,
        &tmp.path().join("profile-dom"),
        &["--dump-dom".into()],
        &url,
    );
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.status.success());
    for id in [
        "headline",
        "outcomes",
        "staying-together",
        "income",
        "sroi",
        "sensitivity",
        "cost-of-care",
        "method",
        "quality",
        "manifest",
    ] {
        assert!(
            dom_text.contains(&format!("<section id=\"{id}\">")),
            "section {id} not in the DOM"
        );
    }
    assert_eq!(
        dom_text.matches("<svg").count(),
        kinsight::report::CHART_NAMES.len()
    );
    assert!(page_errors(&String::from_utf8_lossy(&dom.stderr)).is_empty());

    // A phone-sized screenshot, for people to look at (kept with KINSIGHT_REPORT_PREVIEW).
    if keep.is_some() {
        let phone = chromium(
            &bin,
            &tmp.path().join("profile-phone"),
            &[
                format!("--screenshot={}", root.join("report_phone.png").display()),
                "--window-size=390,2400".into(),
            ],
            &url,
        );
        assert!(phone.status.success());
    }
}

/// A rendered fake run in `dir`, and the URL of its report.
fn rendered_report(dir: &Path) -> (PathBuf, String) {
    let out = dir.join("out");
    write_out(&out, Format::Parquet);
    kinsight::report::render(&out).unwrap();
    let page = out.join("report.html").canonicalize().unwrap();
    let url = format!("file://{}", page.display());
    (out, url)
}

/// A copy of the report with `script` run after it loaded, beside it (so relative
/// links still resolve); the script writes its measurements into `data-*` attributes
/// of the body, which `--dump-dom` shows.
fn probed(out: &Path, name: &str, script: &str) -> PathBuf {
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let path = out.join(name);
    std::fs::write(
        &path,
        html.replace("</body>", &format!("<script>{script}</script></body>")),
    )
    .unwrap();
    path.canonicalize().unwrap()
}

/// The value of `data-<attr>` on the dumped DOM's body.
fn attr(dom: &str, attr: &str) -> String {
    let key = format!("data-{attr}=\"");
    let start = dom
        .find(&key)
        .unwrap_or_else(|| panic!("no {key} in the DOM"))
        + key.len();
    dom[start..].split('"').next().unwrap().to_string()
}

/// A phone 390 px wide: nothing makes the page scroll sideways (charts scale, wide
/// tables scroll in their own box). Chromium's windows are at least 500 px wide, so the
/// page is measured inside a 390 px frame. At 1280 px every table fits its box.
#[test]
fn report_fits_a_phone_and_a_desktop_screen() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (out, _) = rendered_report(tmp.path());
    let measured = probed(
        &out,
        "measured.html",
        "document.body.setAttribute('data-sw', document.documentElement.scrollWidth);\
         document.body.setAttribute('data-iw', window.innerWidth);\
         var o = [];\
         document.querySelectorAll('.scroll').forEach(function (e) {\
           if (e.scrollWidth > e.clientWidth + 1) { o.push(e.querySelector('caption').textContent); }\
         });\
         document.body.setAttribute('data-over', o.join(' | '));",
    );
    let host = out.join("phone.html");
    std::fs::write(
        &host,
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"f\" src=\"measured.html\" width=\"390\" height=\"900\" style=\"border:0\"></iframe>\
         <script>window.addEventListener('load', function () {\
           var b = document.getElementById('f').contentDocument.body;\
           document.body.setAttribute('data-sw', b.getAttribute('data-sw'));\
           document.body.setAttribute('data-iw', b.getAttribute('data-iw'));\
         });</script></body></html>",
    )
    .unwrap();
    let phone = chromium(
        &bin,
        &tmp.path().join("profile-phone"),
        &[
            "--dump-dom".into(),
            "--allow-file-access-from-files".into(),
            "--window-size=800,900".into(),
        ],
        &format!("file://{}", host.canonicalize().unwrap().display()),
    );
    let dom = String::from_utf8_lossy(&phone.stdout);
    assert_eq!(attr(&dom, "iw"), "390", "the frame is a 390 px screen");
    let width: f64 = attr(&dom, "sw").parse().unwrap();
    assert!(width <= 390.0, "the page is {width} px wide at 390 px");

    let desktop = chromium(
        &bin,
        &tmp.path().join("profile-desktop"),
        &["--dump-dom".into(), "--window-size=1280,900".into()],
        &format!("file://{}", measured.display()),
    );
    let dom = String::from_utf8_lossy(&desktop.stdout);
    assert_eq!(attr(&dom, "sw"), "1280");
    assert_eq!(
        attr(&dom, "over"),
        "",
        "tables wider than their box at 1280 px"
    );
}

/// Non-empty text lines of each page of a PDF (poppler-utils' `pdfinfo`, `pdftotext`).
fn pdf_page_lines(pdf: &Path) -> Option<Vec<usize>> {
    let info = Command::new("pdfinfo").arg(pdf).output().ok()?;
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))?
        .trim()
        .parse()
        .ok()?;
    (1..=pages)
        .map(|p| {
            let o = Command::new("pdftotext")
                .args(["-f", &p.to_string(), "-l", &p.to_string(), "-layout"])
                .arg(pdf)
                .arg("-")
                .output()
                .ok()?;
            Some(
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .count(),
            )
        })
        .collect()
}

/// Printed to PDF (A4): at most 18 pages for the fake run (18 with the comparing-like-
/// with-like section, 15 before it with the reintegration section; the report printed
/// on 18 with a page per section before the print stylesheet, on 13 without the
/// reintegration and what-if sections), and no page holds fewer than 8 lines of
/// text, the last included; the collapsed model file is printed in full.
#[test]
fn report_prints_on_a4_without_near_empty_pages() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (out, url) = rendered_report(tmp.path());
    let pdf = tmp.path().join("report.pdf");
    let run = chromium(
        &bin,
        &tmp.path().join("profile-print"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
        &url,
    );
    assert!(run.status.success() && pdf.is_file());
    let Some(lines) = pdf_page_lines(&pdf) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("pdfinfo / pdftotext missing and CI=true: install poppler-utils");
        }
        eprintln!("skipped: pdfinfo / pdftotext not found (install poppler-utils)");
        return;
    };
    assert!(
        (2..=18).contains(&lines.len()),
        "{} pages: {lines:?}",
        lines.len()
    );
    assert!(
        lines.iter().all(|&n| n >= 8),
        "a page with fewer than 8 lines: {lines:?}"
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    if let Some(model) = manifest["model"].as_str() {
        let last = model.lines().rev().find(|l| l.len() > 3).unwrap().trim();
        let probe: String = last.chars().take(20).collect();
        assert!(
            text.contains(&probe),
            "the model file's last line ({probe}) is not printed"
        );
    }
}

/// The value of `data-output="<name>"`'s `data-value` in a dumped DOM.
fn output_value(dom: &str, name: &str) -> f64 {
    let key = format!("data-output=\"{name}\" data-value=\"");
    let start = dom.find(&key).unwrap_or_else(|| panic!("no {key}")) + key.len();
    dom[start..].split('"').next().unwrap().parse().unwrap()
}

/// The what-if panel recomputes as the engine does: a deadweight, a duration and the
/// discount rate changed in the page give the ratio `kinsight sroi` gives on a model
/// with the same three changes (1e-9 relative), and Reset returns to the base ratio.
#[test]
fn what_if_panel_matches_the_engine() {
    use common::cli::{ok, p};
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&[
        "generate",
        "--families",
        "400",
        "--seed",
        "11",
        "--out",
        p(&data),
        "--quiet",
    ]);
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/model.toml"),
    )
    .unwrap()
    .replace("draws = 10000", "draws = 500")
    .replace("bootstrap_reps = 2000", "bootstrap_reps = 50");
    let model = tmp.path().join("model.toml");
    std::fs::write(&model, &text).unwrap();
    // The same model with child_wellbeing's deadweight 0.55 and duration 4
    // and a discount rate of 5 %.
    let changed: String = text
        .lines()
        .map(|l| {
            if l.starts_with("deadweight = { data = \"comparison_doing_well_y1\"") {
                "deadweight = 0.55".to_string()
            } else if l.starts_with("duration = { value = 3, low = 1, high = 5,") {
                l.replacen("value = 3", "value = 4", 1)
            } else if l.starts_with("discount_rate = 0.035") {
                "discount_rate = 0.05".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        changed
            .lines()
            .zip(text.lines())
            .filter(|(a, b)| a != b)
            .count(),
        3,
        "the sample model changed; update the three lines this test edits"
    );
    let changed_model = tmp.path().join("changed.toml");
    std::fs::write(&changed_model, changed).unwrap();
    let base = tmp.path().join("base");
    ok(&[
        "run",
        "--data",
        p(&data),
        "--model",
        p(&model),
        "--out",
        p(&base),
        "--quiet",
    ]);
    let what_if = tmp.path().join("what_if");
    ok(&[
        "sroi",
        "--data",
        p(&data),
        "--model",
        p(&changed_model),
        "--out",
        p(&what_if),
        "--quiet",
    ]);
    let summary = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("sroi/summary.json")).unwrap())
            .unwrap()
    };
    let (want, base_ratio) = (
        summary(&what_if)["ratio"].as_f64().unwrap(),
        summary(&base)["ratio"].as_f64().unwrap(),
    );
    assert!(
        (want - base_ratio).abs() > 1e-3,
        "the changes move the ratio"
    );

    let set = "function set(name, v) { var el = document.querySelector('[data-param=\"' + name + '\"]'); el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }\
         function ratio() { return document.querySelector('[data-output=\"ratio\"]').getAttribute('data-value'); }\
         document.body.setAttribute('data-loaded', ratio());\
         set('child_wellbeing.deadweight', '0.55'); set('child_wellbeing.duration', '4'); set('study.discount_rate', '0.05');\
         document.body.setAttribute('data-changed', ratio());\
         document.body.setAttribute('data-payback', document.querySelector('[data-output=\"payback_months\"]').getAttribute('data-value'));\
         document.getElementById('whatif-reset').click();\
         document.body.setAttribute('data-reset', ratio());";
    let page = probed(&base, "what_if.html", set);
    let run = chromium(
        &bin,
        &tmp.path().join("profile-whatif"),
        &["--dump-dom".into()],
        &format!("file://{}", page.display()),
    );
    let dom = String::from_utf8_lossy(&run.stdout);
    assert!(page_errors(&String::from_utf8_lossy(&run.stderr)).is_empty());
    let got = |a: &str| -> f64 { attr(&dom, a).parse().unwrap() };
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs();
    assert!(
        close(got("loaded"), base_ratio),
        "{} vs {base_ratio}",
        got("loaded")
    );
    assert!(close(got("changed"), want), "{} vs {want}", got("changed"));
    // The payback follows the timed flows as the engine's does (sroi::impact::payback_months).
    let payback = summary(&what_if)["payback_months"].as_f64().unwrap();
    assert!(
        close(got("payback"), payback),
        "{} vs {payback}",
        got("payback")
    );
    assert!(
        close(got("reset"), base_ratio),
        "{} vs {base_ratio}",
        got("reset")
    );
    // Without scripts the panel shows the base model's ratio.
    let html = std::fs::read_to_string(base.join("report.html")).unwrap();
    assert!(close(output_value(&html, "ratio"), base_ratio));
}

/// The fundraiser card prints on one page of A4 and on one page of US Letter (each
/// forced with an `@page` size), quotes the report's ratio, and fits a 390 px screen.
#[test]
fn card_prints_on_one_page_of_a4_and_letter_and_fits_a_phone() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (out, _) = rendered_report(tmp.path());
    let card = std::fs::read_to_string(out.join("card.html")).unwrap();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sroi/summary.json")).unwrap())
            .unwrap();
    let ratio = format!("{:.2}", summary["ratio"].as_f64().unwrap());
    for (paper, size, (w, h)) in [
        ("a4", "A4", (595.0, 842.0)),
        ("letter", "letter", (612.0, 792.0)),
    ] {
        let page = out.join(format!("card_{paper}.html"));
        std::fs::write(
            &page,
            card.replace("</style>", &format!("@page {{ size: {size}; }}</style>")),
        )
        .unwrap();
        let pdf = tmp.path().join(format!("card_{paper}.pdf"));
        let run = chromium(
            &bin,
            &tmp.path().join(format!("profile-card-{paper}")),
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
            ],
            &format!("file://{}", page.canonicalize().unwrap().display()),
        );
        assert!(run.status.success() && pdf.is_file());
        let Ok(info) = Command::new("pdfinfo").arg(&pdf).output() else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("pdfinfo missing and CI=true: install poppler-utils");
            }
            eprintln!("skipped: pdfinfo not found (install poppler-utils)");
            return;
        };
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("Pages:           1\n"), "{paper}: {info}");
        let size_line = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
        let dims: Vec<f64> = size_line
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        assert!(
            (dims[0] - w).abs() < 2.0 && (dims[1] - h).abs() < 2.0,
            "{paper}: {size_line}"
        );
        let text = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains(&ratio),
            "{paper}: the ratio {ratio} in {text}"
        );
        assert!(text.contains("Source:"), "{paper}: {text}");
    }
    let probe = "document.body.setAttribute('data-sw', document.documentElement.scrollWidth);";
    let html = card.replace("</body>", &format!("<script>{probe}</script></body>"));
    std::fs::write(out.join("card_measured.html"), html).unwrap();
    let host = out.join("card_phone.html");
    std::fs::write(
        &host,
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"f\" src=\"card_measured.html\" width=\"390\" height=\"900\" style=\"border:0\"></iframe>\
         <script>window.addEventListener('load', function () {\
           document.body.setAttribute('data-sw', document.getElementById('f').contentDocument.body.getAttribute('data-sw'));\
         });</script></body></html>",
    )
    .unwrap();
    let phone = chromium(
        &bin,
        &tmp.path().join("profile-card-phone"),
        &[
            "--dump-dom".into(),
            "--allow-file-access-from-files".into(),
            "--window-size=800,900".into(),
        ],
        &format!("file://{}", host.canonicalize().unwrap().display()),
    );
    let dom = String::from_utf8_lossy(&phone.stdout);
    let width: f64 = attr(&dom, "sw").parse().unwrap();
    assert!(width <= 390.0, "the card is {width} px wide at 390 px");
}
