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
