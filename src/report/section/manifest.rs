//! The manifest section: how the run was made (engine, command, time, dataset, model
//! and seeds), the input files with their SHA-256 hashes, and the model file as read,
//! so a reader can reproduce or verify the figures.

use super::super::folder::RunFolder;
use super::super::html::{esc, para, table, Cell};
use super::section_start;

/// A two-column row of the run table.
fn item(label: &str, value: String) -> Vec<Cell> {
    vec![Cell::Text(label.into()), Cell::Text(value)]
}

/// Writes the manifest section.
pub fn write(out: &mut String, run: &RunFolder) {
    section_start(out, "manifest");
    let m = &run.manifest;
    let mut rows = vec![
        item("Engine", format!("{} {}", m.engine, m.engine_version)),
        item("Command", m.command.clone()),
        item("Run finished (UTC)", m.generated_at.clone()),
        item("Dataset", m.dataset.clone()),
    ];
    rows.extend(
        [
            ("Data cutoff", m.data_cutoff.clone()),
            ("Reporting currency", m.reporting_currency.clone()),
            ("Price year", m.price_year.map(|y| y.to_string())),
            ("Model file", m.model_path.clone()),
            ("Seed", m.seed.map(|s| s.to_string())),
        ]
        .into_iter()
        .filter_map(|(label, v)| v.map(|v| item(label, v))),
    );
    rows.push(item(
        "Monte Carlo seed",
        run.summary.monte_carlo.seed.to_string(),
    ));
    table(out, "Run", &["Item", "Value"], &rows);
    if !m.tables.is_empty() {
        para(
            out,
            "Rows read, kept and set aside per table are in the data-quality section above (the same counts as the manifest's).",
        );
    }
    let inputs: Vec<Vec<Cell>> = m
        .inputs
        .iter()
        .map(|i| {
            vec![
                Cell::Text(i.table.clone()),
                Cell::Text(i.path.clone()),
                Cell::Html(format!("<span class=\"hash\">{}</span>", esc(&i.sha256))),
            ]
        })
        .collect();
    if !inputs.is_empty() {
        let mut t = String::new();
        table(
            &mut t,
            "Input files and their SHA-256 content hashes",
            &["Table", "File", "SHA-256"],
            &inputs,
        );
        out.push_str(&t.replace("<td><span class=\"hash\">", "<td class=\"hash\"><span>"));
    }
    if let Some(model) = &m.model {
        out.push_str("<details>\n<summary>The model file as read</summary>\n<pre>");
        out.push_str(&esc(model));
        out.push_str("</pre>\n</details>\n");
        // A closed <details> does not print: the printed page has the whole file.
        out.push_str("<div class=\"print-only\"><h3>The model file as read</h3>\n<pre>");
        out.push_str(&esc(model));
        out.push_str("</pre></div>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::InputFileEntry;
    use crate::report::fixture::run;

    #[test]
    fn the_run_lists_only_the_items_it_has() {
        let mut out = String::new();
        write(&mut out, &run());
        assert!(out.contains("<tr><th scope=\"row\">Engine</th><td>kinsight 9.9.9</td></tr>"));
        assert!(out.contains("<tr><th scope=\"row\">Monte Carlo seed</th><td>42</td></tr>"));
        assert!(!out.contains("Data cutoff") && !out.contains("Seed</th><td>"));
        assert!(!out.contains("Input files") && !out.contains("<details>"));
    }

    #[test]
    fn inputs_show_their_hashes_and_the_model_is_escaped() {
        let mut r = run();
        r.manifest.seed = Some(7);
        r.manifest.data_cutoff = Some("2024-12-31".into());
        r.manifest.model = Some("[study]\nname = \"<x>\"".into());
        r.manifest.inputs = vec![InputFileEntry {
            table: "families".into(),
            path: "families.parquet".into(),
            sha256: "ab12".into(),
        }];
        let mut out = String::new();
        write(&mut out, &r);
        assert!(out.contains("<th scope=\"row\">Data cutoff</th><td>2024-12-31</td>"));
        assert!(out.contains("<th scope=\"row\">Seed</th><td>7</td>"));
        assert!(out.contains("<td>families.parquet</td><td class=\"hash\"><span>ab12</span></td>"));
        assert!(out.contains("<pre>[study]\nname = &quot;&lt;x&gt;&quot;</pre>"));
    }
}
