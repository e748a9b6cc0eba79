//! `report::render` on a complete fake output folder: every chart file, a self-contained
//! page whose numbers agree with summary.json and the tables, no suppressed value
//! anywhere, byte-identical re-renders, notes for missing optional tables, and errors
//! that name the missing file.

mod report_fixture;

use std::fs;
use std::path::Path;

use kinsight::report::{render, CHART_NAMES};
use kinsight::sroi::summary::Summary;
use report_fixture::{survival_year, weighted_share, write_out, Format, SENTINELS};

fn rendered(format: Format) -> (tempfile::TempDir, kinsight::report::RenderSummary) {
    let dir = tempfile::tempdir().unwrap();
    write_out(dir.path(), format);
    let summary = render(dir.path()).unwrap();
    (dir, summary)
}

fn summary_json(out: &Path) -> Summary {
    serde_json::from_str(&fs::read_to_string(out.join("sroi/summary.json")).unwrap()).unwrap()
}

/// Text content of the element with `id="<id>"`.
fn by_id(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id {id}"));
    let body = &html[start..];
    let open = body.find('>').unwrap() + 1;
    let close = body.find('<').unwrap();
    unescape(&body[open..close])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The first number in `text` (`EUR 1,234.5` -> 1234.5, `−3` -> -3, `4.2 m` -> 4.2e6).
fn number(text: &str) -> f64 {
    let t = text.replace('−', "-").replace(',', "");
    let start = t
        .find(|c: char| c.is_ascii_digit() || c == '-')
        .unwrap_or_else(|| panic!("no number in {text:?}"));
    let rest = &t[start..];
    let end = rest[1..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(rest.len(), |e| e + 1);
    let v: f64 = rest[..end].parse().unwrap();
    if rest[end..].trim_start().starts_with("m") {
        v * 1e6
    } else {
        v
    }
}

/// Rows of the table whose caption starts with `caption`, as cell texts.
fn table_rows(html: &str, caption: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<caption>{caption}"))
        .unwrap_or_else(|| panic!("no table {caption:?}"));
    let body = &html[start..];
    let body = &body[body.find("<tbody>").unwrap()..body.find("</tbody>").unwrap()];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<t")
                .skip(1)
                .filter(|c| c.starts_with('d') || c.starts_with('h'))
                .map(|cell| {
                    let inner = &cell[cell.find('>').unwrap() + 1..];
                    // Strip nested tags.
                    let mut text = String::new();
                    let mut in_tag = false;
                    for ch in inner.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    unescape(text.trim())
                })
                .collect()
        })
        .collect()
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: page says {a}, data say {b}");
}

#[test]
fn every_chart_is_written_and_readable() {
    let (dir, s) = rendered(Format::Parquet);
    assert_eq!(s.charts, CHART_NAMES.to_vec(), "notes: {:?}", s.notes);
    let titles = [
        ("headline", "For every EUR 1 invested"),
        ("followup_domains", "Share of families doing well"),
        ("score_change", "Mean well-being score by domain"),
        ("survival", "Children staying in family care"),
        ("income", "Household income before, during and after"),
        ("sroi_waterfall", "Where the social value comes from"),
        ("sroi_distribution", "Uncertainty in the SROI ratio"),
        ("acceptability", "How likely is each level of return?"),
        ("tornado", "Which assumptions move the ratio most"),
        ("cost_of_care", "What family support costs"),
        (
            "propensity_overlap",
            "How alike are the arms? Propensity to be in the programme",
        ),
    ];
    for (name, title) in titles {
        let svg = fs::read_to_string(dir.path().join(format!("charts/{name}.svg"))).unwrap();
        assert!(
            svg.contains(&format!("<title>{title}")),
            "{name}: title missing"
        );
        let png = fs::File::open(dir.path().join(format!("charts/{name}.png"))).unwrap();
        let mut reader = png::Decoder::new(std::io::BufReader::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert!(info.width >= 1600, "{name}: {} px wide", info.width);
        let px = info.color_type.samples();
        let pixels = &buf[..info.buffer_size()];
        let non_white = pixels
            .chunks(px)
            .filter(|p| p[..3] != [255, 255, 255])
            .count();
        let colours: std::collections::HashSet<&[u8]> = pixels.chunks(px).take(2_000_000).collect();
        let share = non_white as f64 / (info.width * info.height) as f64;
        assert!(share > 0.02, "{name}: only {:.2} % drawn", share * 100.0);
        assert!(colours.len() > 8, "{name}: {} colours", colours.len());
    }
    for f in &s.files {
        assert!(dir.path().join(f).is_file(), "{f} listed but not written");
    }
    assert_eq!(
        s.files[s.files.len() - 2..],
        ["report.html".to_string(), "card.html".to_string()]
    );
    // No temporary files left behind.
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn headline_numbers_equal_summary_json() {
    let (dir, _) = rendered(Format::Parquet);
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    let s = summary_json(dir.path());
    let mc = &s.monte_carlo;
    assert!(!mc.ratio_unstable);
    let lead = html.split("<p class=\"lead\">").nth(1).unwrap();
    let lead = lead.split("</p>").next().unwrap();
    assert!(lead.starts_with("For every EUR 1 invested, "), "{lead}");
    close(number(&by_id(&html, "fig-ratio")), s.ratio, 0.005, "ratio");
    close(
        number(&by_id(&html, "fig-range-low")),
        mc.ratio_p2_5,
        0.005,
        "2.5th percentile",
    );
    close(
        number(&by_id(&html, "fig-range-high")),
        mc.ratio_p97_5,
        0.005,
        "97.5th percentile",
    );
    assert_eq!(
        by_id(&html, "fig-prob"),
        kinsight::sroi::monte_carlo::share_of_draws(mc.prob_ratio_gt_1, mc.draws)
    );
    close(number(&by_id(&html, "fig-inputs")), s.inputs, 0.5, "inputs");
    close(number(&by_id(&html, "fig-pv")), s.pv_total, 0.5, "PV");
    close(number(&by_id(&html, "fig-npv")), s.npv, 0.5, "NPV");
    close(
        number(&by_id(&html, "fig-assumed-share")) / 100.0,
        s.assumed.share_of_pv,
        0.0005,
        "assumed share of PV",
    );
    // The fundraiser card quotes the same figures.
    let card = fs::read_to_string(dir.path().join("charts/headline.svg")).unwrap();
    assert!(card.contains(&format!("EUR {:.2}", s.ratio)), "card ratio");
}

#[test]
fn table_numbers_equal_the_tables_and_summary() {
    let (dir, _) = rendered(Format::Parquet);
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    let s = summary_json(dir.path());
    // Follow-up: overall share (weighted) per year; year 5 is suppressed.
    let rows = table_rows(&html, "Families doing well overall");
    assert_eq!(rows.len(), 5);
    for (k, row) in rows.iter().enumerate().take(4) {
        assert_eq!(row[0], format!("Year {}", k + 1));
        close(
            number(&row[4]) / 100.0,
            weighted_share(0, k as i64 + 1),
            0.0005,
            "weighted share",
        );
    }
    assert!(
        rows[4][1..].iter().all(|c| c == "suppressed"),
        "{:?}",
        rows[4]
    );
    // Survival of children: per year, then per arm (programme, comparison) the share,
    // its interval and the number at risk.
    let rows = table_rows(&html, "Children still in family care");
    assert_eq!(rows.len(), 5);
    for (k, row) in rows.iter().enumerate() {
        let year = k as i64 + 1;
        close(
            number(&row[1]) / 100.0,
            survival_year("arm=programme", year),
            0.0005,
            "programme S(t)",
        );
        if year < 5 {
            close(
                number(&row[4]) / 100.0,
                survival_year("arm=comparison", year),
                0.0005,
                "comparison S(t)",
            );
        }
    }
    assert_eq!(&rows[4][4..7], ["suppressed", "suppressed", "suppressed"]);
    // Breakdown by group: country=AL rows of the follow-up table (none suppressed).
    let rows = table_rows(&html, "Families doing well overall, by group");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "Country: AL");
    for (year, cell) in rows[0].iter().enumerate().skip(1) {
        close(
            number(cell) / 100.0,
            weighted_share(0, year as i64),
            0.0005,
            "AL share",
        );
    }
    // Change from intake (improved / same / worse are counts in the table).
    let rows = table_rows(&html, "Change in mean score from intake");
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[1][4..7], ["55.0 %", "30.0 %", "15.0 %"]);
    // Income effect by year: the difference in differences, then in years 1-5 the
    // propensity-weighted (40 less) and doubly robust (60 less) effects.
    let rows = table_rows(&html, "Change in annual household income");
    assert_eq!(rows.len(), 16);
    let mut k = 0;
    for year in 0..=5i64 {
        let methods: &[(&str, f64)] = if year == 0 {
            &[("difference in differences", 0.0)]
        } else {
            &[
                ("difference in differences", 0.0),
                ("propensity-weighted (ATT)", 40.0),
                ("doubly robust", 60.0),
            ]
        };
        for (label, less) in methods {
            let row = &rows[k];
            assert_eq!(row.last().unwrap(), label, "{row:?}");
            close(
                number(&row[5]),
                report_fixture::income_effect_value(year) - less,
                0.5,
                "income effect",
            );
            k += 1;
        }
    }
    // Comparing like with like: the ratio as it is and adjusted, the balance table with
    // the minority level withheld, the E-value of the placement difference, the tipping
    // point.
    let a = s
        .adjustment
        .as_ref()
        .expect("the fixture has an adjustment");
    let rows = table_rows(&html, "Social return, comparison arm as it is vs adjusted");
    assert_eq!(rows.len(), 3);
    close(
        number(&rows[0][1]),
        a.ratio_unadjusted,
        0.005,
        "ratio as it is",
    );
    close(
        number(&rows[1][1]),
        a.ratio_adjusted,
        0.005,
        "adjusted ratio",
    );
    assert_eq!(rows[0][3], "✓ yes");
    let rows = table_rows(&html, "Covariate balance at intake");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1][6], "⚠ +0.12");
    assert!(
        rows[3][2..].iter().all(|c| c == "suppressed"),
        "{:?}",
        rows[3]
    );
    let rows = table_rows(
        &html,
        "Estimates with the comparison arm as it is and adjusted",
    );
    // Comparison survival in years 1-5, doing well, placement by arm, avoided.
    assert_eq!(rows.len(), 9);
    assert_eq!(
        rows[0][0],
        "Children still in family care, year 1: comparison"
    );
    close(
        number(&rows[0][1]) / 100.0,
        survival_year("arm=comparison", 1),
        0.0005,
        "comparison S(1)",
    );
    assert!(html.contains("both 7.46 times more likely to be in the programme and 7.46 times less likely to have a child placed"));
    let tipping = by_id(&html, "fig-tipping");
    let share = a.tipping_share.unwrap();
    assert!(
        tipping.contains(&format!("{:.0} %", share * 100.0)),
        "{tipping}"
    );
    // Placements avoided by country: the table's figures, AM's blank with its reason
    // (no comparison arm), MD suppressed.
    let rows = table_rows(&html, "Placements avoided within 5 years of exit");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], "AL");
    close(number(&rows[0][1]), 600.0, 0.0, "AL programme children");
    close(number(&rows[0][2]), 24.0, 0.05, "AL placements avoided");
    close(
        number(&rows[0][4]),
        264_000.0,
        0.5,
        "AL public cost avoided",
    );
    close(
        number(&rows[0][5]),
        880.0,
        0.5,
        "AL public cost avoided per family",
    );
    close(
        number(&rows[0][6]),
        264_000.0 / (300.0 * 1.5 * 950.0),
        0.005,
        "AL per EUR 1 of programme cost",
    );
    assert_eq!(rows[1][2], "–");
    assert!(
        rows[2][1..].iter().all(|c| c == "suppressed"),
        "{:?}",
        rows[2]
    );
    assert!(html.contains("the public cost of the placements avoided in AM: no comparison arm"));
    // SROI by outcome and by stakeholder.
    let rows = table_rows(&html, "Impact map");
    assert_eq!(rows.len(), s.outcomes.len());
    for (row, o) in rows.iter().zip(&s.outcomes) {
        let pv = number(&row[2]);
        let tol = if o.pv.abs() >= 1e6 { 5_000.0 } else { 0.5 };
        close(pv, o.pv, tol, &format!("PV of {}", o.id));
    }
    let rows = table_rows(&html, "Present value by stakeholder");
    for (row, t) in rows.iter().zip(&s.by_stakeholder) {
        close(
            number(&row[1]),
            t.pv,
            if t.pv.abs() >= 1e6 { 5_000.0 } else { 0.5 },
            &t.stakeholder,
        );
    }
    // Every parameter listed, the assumed ones flagged.
    let rows = table_rows(&html, "Every parameter");
    assert_eq!(rows.len(), s.parameters.len());
    let flagged = rows.iter().filter(|r| r[4].contains("assumed")).count();
    let assumed = s
        .parameters
        .iter()
        .filter(|p| p.evidence == kinsight::sroi::model::Evidence::Assumed)
        .count();
    assert_eq!(flagged, assumed);
    assert!(assumed > 0);
    assert_eq!(html.matches("<tr class=\"assumed\">").count(), assumed);
    // Each assumed parameter carries the share of PV that depends on it.
    for (row, p) in rows.iter().zip(&s.parameters) {
        if p.evidence == kinsight::sroi::model::Evidence::Assumed {
            let b = s
                .assumed
                .by_parameter
                .iter()
                .find(|b| b.parameter == p.parameter)
                .unwrap();
            let shown = row[4].split('(').nth(1).unwrap();
            close(number(shown) / 100.0, b.share_of_pv, 0.0005, &p.parameter);
        }
    }
    // The assumed share is below 100 %: the sample's assumed zeros carry no value.
    assert!(s.assumed.share_of_pv < 1.0, "{}", s.assumed.share_of_pv);
    if let Some(l) = &s.assumed.largest {
        assert!(html.contains(&format!("The most: <code>{l}</code>")));
    }
    // Data quality per table.
    let rows = table_rows(&html, "Rows read, kept and set aside");
    let fam = rows.iter().find(|r| r[0] == "families").unwrap();
    assert_eq!(&fam[1..4], ["1,210", "1,200", "10"]);
    assert_eq!(fam[4], "null_required: 10");
}

#[test]
fn page_is_self_contained_escaped_and_complete() {
    let (dir, _) = rendered(Format::Parquet);
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
    assert!(html.contains("@media print"));
    for attr in ["src=", "href=", "url("] {
        for (i, _) in html.match_indices(attr) {
            let value = &html[i + attr.len()..(i + attr.len() + 12).min(html.len())];
            let value = value.trim_start_matches(['"', '\'']);
            assert!(
                !(value.starts_with("http") || value.starts_with("//")),
                "external reference at {i}: {}",
                &html[i..(i + 60).min(html.len())]
            );
        }
    }
    // One inline script (the what-if panel), nothing loaded from elsewhere.
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the what-if script"
    );
    assert!(html.contains("<script>(function () {"));
    assert!(!html.contains("<link"), "no linked style sheets");
    assert!(!html.contains("<img"), "charts are inlined, not linked");
    assert_eq!(html.matches("<svg").count(), CHART_NAMES.len());
    for id in [
        "headline",
        "outcomes",
        "staying-together",
        "income",
        "adjustment",
        "sroi",
        "sensitivity",
        "cost-of-care",
        "method",
        "quality",
        "manifest",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id}"
        );
        assert!(
            html.contains(&format!("<a href=\"#{id}\">")),
            "contents link {id}"
        );
    }
    // Text from the data is escaped: the dataset is called "Fixture <programme> & partners".
    assert!(html.contains("Fixture &lt;programme&gt; &amp; partners"));
    assert!(!html.contains("<programme>"));
    // Manifest: version, seed, hashes, the model text.
    assert!(html.contains("kinsight 0.1.0"));
    assert!(html.contains("20240501"));
    assert!(html.contains(&"ab".repeat(32)));
    assert!(html.contains("[study]"));
    // The method section states the doing-well definition the run used.
    assert!(html.contains(
        "counts as doing well at a score of at least 4 (scores run from 1 to 4); a family does well overall when it does well in at least 7 of the domains"
    ));
}

#[test]
fn no_suppressed_value_is_printed_or_drawn() {
    let (dir, _) = rendered(Format::Parquet);
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    // The model text in the manifest may hold any number; look at the page without it.
    let page = html.split("<details>").next().unwrap();
    for s in SENTINELS {
        assert!(!page.contains(s), "report.html prints suppressed value {s}");
    }
    for name in CHART_NAMES {
        let svg = fs::read_to_string(dir.path().join(format!("charts/{name}.svg"))).unwrap();
        for s in SENTINELS {
            assert!(
                !svg.contains(&format!(">{s}")),
                "{name}.svg shows suppressed value {s}"
            );
        }
    }
}

#[test]
fn rerender_is_byte_identical() {
    let (dir, _) = rendered(Format::Parquet);
    let read_all = |p: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(p.join("charts"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files.push((
            "report.html".into(),
            fs::read(p.join("report.html")).unwrap(),
        ));
        files
    };
    let first = read_all(dir.path());
    render(dir.path()).unwrap();
    let second = read_all(dir.path());
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between renders", a.0);
    }
}

#[test]
fn csv_tables_give_the_same_report_as_parquet() {
    let (pq, _) = rendered(Format::Parquet);
    let (csv, _) = rendered(Format::Csv);
    assert!(csv.path().join("tables/followup_domains.csv").is_file());
    assert!(!csv.path().join("tables/followup_domains.parquet").exists());
    // The SROI stage ran twice with the same seed: same summary, so the same page.
    let a = fs::read_to_string(pq.path().join("report.html")).unwrap();
    let b = fs::read_to_string(csv.path().join("report.html")).unwrap();
    assert!(a == b, "CSV and Parquet tables render differently");
}

#[test]
fn missing_optional_tables_become_notes() {
    let dir = tempfile::tempdir().unwrap();
    write_out(dir.path(), Format::Parquet);
    render(dir.path()).unwrap();
    assert!(dir.path().join("charts/score_change.png").is_file());
    for t in [
        "score_levels",
        "income_trajectory",
        "during_programme",
        "reintegration",
        "cost_of_care",
    ] {
        fs::remove_file(dir.path().join(format!("tables/{t}.parquet"))).unwrap();
    }
    fs::remove_file(dir.path().join("sroi/draws.parquet")).unwrap();
    let s = render(dir.path()).unwrap();
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    for t in [
        "tables/score_levels",
        "tables/income_trajectory",
        "tables/during_programme",
        "tables/reintegration",
        "tables/cost_of_care",
        "sroi/draws.parquet",
    ] {
        assert!(
            s.notes.iter().any(|n| n.contains(t)),
            "no note for {t}: {:?}",
            s.notes
        );
        assert!(html.contains(t), "page does not mention {t}");
    }
    assert!(html.contains(
        "<p class=\"note\" role=\"note\"><strong>Not shown:</strong> chart score_change"
    ));
    assert!(html.contains("<section id=\"notes\">"));
    // Skipped charts are not written, and the stale files of the earlier render are gone.
    for name in ["score_change", "cost_of_care", "sroi_distribution"] {
        assert!(!s.charts.contains(&name.to_string()));
        assert!(
            !dir.path().join(format!("charts/{name}.png")).exists(),
            "{name}.png left over"
        );
        assert!(
            !dir.path().join(format!("charts/{name}.svg")).exists(),
            "{name}.svg left over"
        );
    }
    // Income falls back to the change since intake from income_effect.
    assert!(s.charts.contains(&"income".to_string()));
    let svg = fs::read_to_string(dir.path().join("charts/income.svg")).unwrap();
    assert!(svg.contains("<title>Change in household income since intake"));
}

#[test]
fn missing_summary_is_an_io_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write_out(dir.path(), Format::Parquet);
    fs::remove_file(dir.path().join("sroi/summary.json")).unwrap();
    let e = render(dir.path()).unwrap_err();
    assert_eq!(e.exit_code(), 3);
    let msg = e.to_string();
    assert!(msg.contains("sroi/summary.json is missing"), "{msg}");
    assert!(msg.contains("run `kinsight run"), "{msg}");
    assert!(!dir.path().join("report.html").exists());
}

#[test]
fn missing_required_table_and_bad_json_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_out(dir.path(), Format::Parquet);
    fs::remove_file(dir.path().join("tables/survival_years.parquet")).unwrap();
    let e = render(dir.path()).unwrap_err();
    assert_eq!(e.exit_code(), 3);
    assert!(
        e.to_string()
            .contains("tables/survival_years.parquet is missing"),
        "{e}"
    );
    write_out(dir.path(), Format::Parquet);
    fs::write(dir.path().join("quality.json"), "{\"dataset\": 3}").unwrap();
    let e = render(dir.path()).unwrap_err();
    assert_eq!(e.exit_code(), 1);
    assert!(
        e.to_string()
            .contains("quality.json: valid JSON but not in the form kinsight"),
        "{e}"
    );
}

#[test]
fn unstable_ratio_uses_npv_wording() {
    let dir = tempfile::tempdir().unwrap();
    write_out(dir.path(), Format::Parquet);
    let path = dir.path().join("sroi/summary.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    v["monte_carlo"]["ratio_unstable"] = serde_json::Value::Bool(true);
    fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
    let s = render(dir.path()).unwrap();
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    let summary = summary_json(dir.path());
    let lead = html.split("<p class=\"lead\">").nth(1).unwrap();
    assert!(
        lead.starts_with("Social value minus cost (net present value): "),
        "{lead}"
    );
    assert!(!html.contains("id=\"fig-ratio\""));
    close(
        number(&by_id(&html, "fig-npv-lead")),
        summary.npv,
        0.5,
        "NPV",
    );
    close(
        number(&by_id(&html, "fig-range-low")),
        summary.monte_carlo.npv_p2_5,
        0.5,
        "NPV 2.5 %",
    );
    close(
        number(&by_id(&html, "fig-range-high")),
        summary.monte_carlo.npv_p97_5,
        0.5,
        "NPV 97.5 %",
    );
    // No ratio card or ratio acceptability; the distribution shows NPV.
    assert!(!s.charts.contains(&"headline".to_string()));
    assert!(!s.charts.contains(&"acceptability".to_string()));
    let svg = fs::read_to_string(dir.path().join("charts/sroi_distribution.svg")).unwrap();
    assert!(svg.contains("<title>Uncertainty in the net present value"));
}
