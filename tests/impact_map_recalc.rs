//! `sroi/impact_map.xlsx` recalculated by a real spreadsheet gives the engine's answer to
//! an edit (docs/outputs.md, sroi/impact_map.xlsx).
//!
//! `kinsight sroi` runs on the sample data with a small model. The test then edits three
//! input cells of the workbook it wrote: a deadweight and a duration (to 5 years, beyond
//! the base duration of 3) on the `Parameters` sheet, and the "year 1 discounted" switch
//! on `Impact Map`. It removes every cached formula result, so that only a recalculation
//! can fill them, and has LibreOffice headless recalculate and save the workbook. The
//! total PV, SROI ratio and payback it computed must equal those of `kinsight sroi` run on
//! the model file with the same three changes (1e-9 relative), and the unedited
//! workbook, recalculated the same way, the base run's.
//!
//! Without `soffice` the test is skipped with a message, unless `CI=true` (then it fails;
//! `.ci/run` installs the Debian package `libreoffice-calc`).

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{open_workbook, Data, Reader, Xlsx};

mod common;
use common::cli::{ok, p};

/// The model: both outcomes with yearly flows from the data, and one with the model's
/// flows whose deadweight, duration and discounting the test changes.
fn model(deadweight: f64, duration: u32, discount_year1: bool) -> String {
    format!(
        r#"
[study]
discount_rate = 0.035
discount_year1 = {discount_year1}
horizon_years = 5
reporting_currency = "EUR"
price_year = 2024
seed = 11
draws = 200
bootstrap_reps = 20

[[outcome]]
id = "avoided_care"
stakeholder = "state"
quantity = {{ data = "avoided_placements" }}
proxy = {{ data = "cost_per_placement" }}
flows = "data"
attribution = 0.2

[[outcome]]
id = "family_income"
stakeholder = "families"
quantity = {{ data = "families_programme" }}
proxy = {{ data = "income_effect_annual" }}
flows = "data"
attribution = 0.25

[[outcome]]
id = "child_wellbeing"
stakeholder = "children"
quantity = {{ data = "families_doing_well_y1" }}
proxy = 800
duration = {{ value = {duration}, low = 1, high = 5 }}
deadweight = {deadweight}
attribution = 0.3
dropoff = 0.25
"#
    )
}

/// `soffice` on the PATH, or `None` after saying why the test is skipped (a failure
/// when `CI=true`).
fn soffice_or_skip() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("soffice"))
            .find(|f| f.is_file())
    });
    if found.is_some() {
        return found;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("soffice is missing and CI=true: install the Debian package `libreoffice-calc`");
    }
    eprintln!("skipped: soffice not found (install the Debian package `libreoffice-calc`)");
    None
}

/// Run `kinsight sroi` with `model_text` on the sample data; its output folder.
fn sroi(dir: &Path, name: &str, model_text: &str) -> PathBuf {
    let model = dir.join(format!("{name}.toml"));
    fs::write(&model, model_text).unwrap();
    let out = dir.join(name);
    ok(&[
        "sroi",
        "--data",
        "data/sample",
        "--model",
        p(&model),
        "--out",
        p(&out),
        "--quiet",
    ]);
    out
}

/// Cached values of one sheet by 0-based (row, column).
fn sheet_values(path: &Path, sheet: &str) -> HashMap<(u32, u32), Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let (r0, c0) = range.start().unwrap();
    range
        .used_cells()
        .map(|(r, c, v)| ((r as u32 + r0, c as u32 + c0), v.clone()))
        .collect()
}

/// The row whose column A holds `label`.
fn row_of(cells: &HashMap<(u32, u32), Data>, label: &str) -> u32 {
    cells
        .iter()
        .find(|((_, c), v)| *c == 0 && matches!(v, Data::String(s) if s == label))
        .map(|((r, _), _)| *r)
        .unwrap_or_else(|| panic!("no row labelled {label:?}"))
}

/// The number in a cell (LibreOffice may store a formula's number as a string result).
fn number(cells: &HashMap<(u32, u32), Data>, row: u32, col: u32) -> f64 {
    match cells.get(&(row, col)) {
        Some(Data::Float(x)) => *x,
        Some(Data::Int(x)) => *x as f64,
        Some(Data::String(s)) => s
            .parse()
            .unwrap_or_else(|_| panic!("cell {row},{col} holds {s:?}, not a number")),
        other => panic!("cell {row},{col} holds {other:?}, not a number (not recalculated?)"),
    }
}

/// `A1`-style address of a 0-based row and column (columns A-Z suffice here).
fn address(row: u32, col: u32) -> String {
    assert!(col < 26);
    format!("{}{}", char::from(b'A' + col as u8), row + 1)
}

/// Set the cell `addr` of a worksheet's XML to the number `value` (replacing whatever
/// was there, formula or number).
fn set_number(xml: &str, addr: &str, value: f64) -> String {
    let open = format!("<c r=\"{addr}\"");
    let start = xml
        .find(&format!("{open}>"))
        .or_else(|| xml.find(&format!("{open} ")))
        .unwrap_or_else(|| panic!("no cell {addr} in the sheet"));
    let rest = &xml[start..];
    let tag_end = rest.find('>').unwrap();
    let len = if rest[..tag_end].ends_with('/') {
        tag_end + 1
    } else {
        rest.find("</c>").unwrap() + "</c>".len()
    };
    format!(
        "{}<c r=\"{addr}\"><v>{value}</v></c>{}",
        &xml[..start],
        &xml[start + len..]
    )
}

/// Drop every formula's cached result (`<f>..</f><v>..</v>` -> `<f>..</f>`), so a value
/// read after LibreOffice saved the file can only come from its recalculation.
fn drop_cached_results(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find("</f><v>") {
        out.push_str(&rest[..i + "</f>".len()]);
        let after = &rest[i + "</f>".len()..];
        let end = after.find("</v>").unwrap() + "</v>".len();
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Copy the workbook `src` to `dst`, applying `edits` (worksheet part name -> cell
/// address -> number) and dropping every cached formula result.
fn edit_workbook(src: &Path, dst: &Path, edits: &HashMap<String, Vec<(String, f64)>>) {
    let mut zin = zip::ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut edited = 0;
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name.starts_with("xl/worksheets/sheet") {
            let mut xml = String::from_utf8(bytes).unwrap();
            for (addr, v) in edits.get(&name).into_iter().flatten() {
                xml = set_number(&xml, addr, *v);
                edited += 1;
            }
            bytes = drop_cached_results(&xml).into_bytes();
        }
        zout.start_file(name, opts).unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
    assert_eq!(edited, edits.values().map(Vec::len).sum::<usize>());
}

/// Have LibreOffice headless open and save `inputs` as xlsx in `out_dir` (it
/// recalculates on load: the files carry no cached results); killed after three minutes.
fn recalculate(soffice: &Path, profile: &Path, out_dir: &Path, inputs: &[&Path]) {
    let mut cmd = Command::new(soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args(["--headless", "--norestore", "--nolockcheck"])
    .args(["--convert-to", "xlsx", "--outdir"])
    .arg(out_dir)
    .args(inputs)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let child = cmd.spawn().expect("soffice starts");
    let id = child.id();
    let start = Instant::now();
    let waiter = std::thread::spawn(move || child.wait_with_output());
    while !waiter.is_finished() {
        if start.elapsed() > Duration::from_secs(180) {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("soffice did not finish within three minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let o = waiter.join().unwrap().expect("soffice output");
    for input in inputs {
        let saved = out_dir.join(input.file_name().unwrap());
        assert!(
            o.status.success() && saved.is_file(),
            "soffice did not write {} ({:?}):\n{}\n{}",
            saved.display(),
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// Total PV, ratio and payback months as the recalculated workbook gives them.
fn workbook_figures(path: &Path) -> [f64; 3] {
    let cells = sheet_values(path, "Impact Map");
    ["Total present value", "SROI ratio", "Payback (months)"]
        .map(|label| number(&cells, row_of(&cells, label), 12))
}

/// The same figures from the engine's `summary.json`.
fn engine_figures(out: &Path) -> [f64; 3] {
    let text = fs::read_to_string(out.join("sroi/summary.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    ["pv_total", "ratio", "payback_months"].map(|k| {
        v[k].as_f64()
            .unwrap_or_else(|| panic!("summary.json: {k} = {}", v[k]))
    })
}

fn assert_close(what: &str, got: [f64; 3], want: [f64; 3]) {
    for ((label, g), w) in ["total PV", "ratio", "payback months"]
        .iter()
        .zip(got)
        .zip(want)
    {
        assert!(
            (g - w).abs() <= 1e-9 * w.abs(),
            "{what}: {label} {g} in the recalculated workbook, {w} from kinsight sroi"
        );
    }
}

#[test]
fn edited_workbook_recalculated_in_libreoffice_gives_the_engines_answer() {
    let Some(soffice) = soffice_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = sroi(dir, "base", &model(0.4, 3, true));
    let changed = sroi(dir, "changed", &model(0.55, 5, false));
    let xlsx = base.join("sroi/impact_map.xlsx");

    // The input cells, found by their labels: the two parameters' base values (column
    // B of Parameters) and the year-1 switch (column B of Impact Map).
    let wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let part = |name: &str| {
        let i = wb.sheet_names().iter().position(|s| s == name).unwrap();
        format!("xl/worksheets/sheet{}.xml", i + 1)
    };
    let (map_part, params_part) = (part("Impact Map"), part("Parameters"));
    let params = sheet_values(&xlsx, "Parameters");
    let map = sheet_values(&xlsx, "Impact Map");
    let switch = row_of(&map, "Year 1 discounted (1 = yes, 0 = no)");
    assert_eq!(number(&map, switch, 1), 1.0);
    let dw = row_of(&params, "child_wellbeing.deadweight");
    let dur = row_of(&params, "child_wellbeing.duration");
    assert_eq!(number(&params, dw, 1), 0.4);
    assert_eq!(number(&params, dur, 1), 3.0);
    let edits = HashMap::from([
        (
            params_part,
            vec![(address(dw, 1), 0.55), (address(dur, 1), 5.0)],
        ),
        (map_part, vec![(address(switch, 1), 0.0)]),
    ]);

    let unedited = dir.join("unedited.xlsx");
    let edited = dir.join("edited.xlsx");
    edit_workbook(&xlsx, &unedited, &HashMap::new());
    edit_workbook(&xlsx, &edited, &edits);
    let out = dir.join("recalculated");
    recalculate(
        &soffice,
        &dir.join("lo-profile"),
        &out,
        &[&unedited, &edited],
    );

    let (want_base, want_changed) = (engine_figures(&base), engine_figures(&changed));
    assert_close(
        "unedited",
        workbook_figures(&out.join("unedited.xlsx")),
        want_base,
    );
    assert_close(
        "edited",
        workbook_figures(&out.join("edited.xlsx")),
        want_changed,
    );
    // The three edits move the ratio (so the comparison above tests them).
    assert!((want_changed[1] - want_base[1]).abs() > 0.01 * want_base[1]);
}
