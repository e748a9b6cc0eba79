//! The data-quality section: whether the dataset is usable, the rows read, kept and set
//! aside per table with the rule each was set aside under, the optional tables absent
//! from the dataset, and the problems validation found. Counts only, no identifiers.

use crate::charts::labels::thousands;

use super::super::folder::RunFolder;
use super::super::html::{para, table, Cell};
use super::section_start;

/// A count with thousands separators, right-aligned.
fn count_cell(n: u64) -> Cell {
    Cell::Num(thousands(n as f64))
}

/// Writes the data-quality section.
pub fn write(out: &mut String, run: &RunFolder) {
    section_start(out, "quality");
    let q = &run.quality;
    para(out, &format!(
        "Dataset {}: {}. Every row read is either kept or set aside under a named rule; counts only, no identifiers.",
        q.dataset,
        if q.usable { "usable" } else { "not usable" }
    ));
    let rows: Vec<Vec<Cell>> = q
        .tables
        .iter()
        .filter(|(_, t)| t.present)
        .map(|(name, t)| {
            let reasons = t
                .set_aside_by_reason
                .iter()
                .map(|(r, n)| format!("{r}: {}", thousands(*n as f64)))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                Cell::Text(name.clone()),
                count_cell(t.rows_read),
                count_cell(t.rows_kept),
                count_cell(t.rows_set_aside),
                Cell::Text(if reasons.is_empty() {
                    "–".into()
                } else {
                    reasons
                }),
            ]
        })
        .collect();
    table(
        out,
        "Rows read, kept and set aside per table",
        &["Table", "Read", "Kept", "Set aside", "Reasons"],
        &rows,
    );
    let absent: Vec<&str> = q
        .tables
        .iter()
        .filter(|(_, t)| !t.present)
        .map(|(n, _)| n.as_str())
        .collect();
    if !absent.is_empty() {
        para(
            out,
            &format!("Optional tables not in the dataset: {}.", absent.join(", ")),
        );
    }
    if !q.problems.is_empty() {
        let rows: Vec<Vec<Cell>> = q
            .problems
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(p.table.clone()),
                    Cell::Text(p.rule.clone()),
                    Cell::Text(p.severity.clone()),
                    count_cell(p.count),
                ]
            })
            .collect();
        table(
            out,
            "Problems found by validation",
            &["Table", "Rule", "Severity", "Rows"],
            &rows,
        );
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ProblemCount, TableQuality};
    use crate::report::fixture::run;

    #[test]
    fn rows_are_accounted_per_table_and_absent_tables_named() {
        let mut r = run();
        let mut families = TableQuality {
            present: true,
            files: 1,
            rows_read: 12_000,
            rows_kept: 11_990,
            ..Default::default()
        };
        families.set_aside("duplicate_id", 10);
        let q = &mut r.quality;
        q.tables.insert("families".into(), families);
        q.tables.insert("visits".into(), TableQuality::default());
        q.tables.insert(
            "children".into(),
            TableQuality {
                present: true,
                ..Default::default()
            },
        );
        q.problems = vec![ProblemCount {
            table: "families".into(),
            rule: "duplicate_id".into(),
            severity: "error".into(),
            count: 10,
        }];
        let mut out = String::new();
        write(&mut out, &r);
        assert!(out.contains("<p>Dataset Test dataset: usable. Every row read"));
        assert!(out.contains("<th scope=\"row\">families</th><td class=\"num\">12,000</td><td class=\"num\">11,990</td><td class=\"num\">10</td><td>duplicate_id: 10</td>"));
        assert!(out.contains("<th scope=\"row\">children</th><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td><td>–</td>"));
        assert!(out.contains("<p>Optional tables not in the dataset: visits.</p>"));
        assert!(out.contains("<th scope=\"row\">families</th><td>duplicate_id</td><td>error</td><td class=\"num\">10</td>"));
    }

    #[test]
    fn an_unusable_dataset_says_so_and_lists_no_problems_table() {
        let mut r = run();
        r.quality.usable = false;
        let mut out = String::new();
        write(&mut out, &r);
        assert!(out.contains("Dataset Test dataset: not usable."));
        assert!(!out.contains("Problems found by validation"));
    }
}
