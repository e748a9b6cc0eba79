//! Tables by breakdown group (`country=AL`, ...): which groups a table holds and a
//! group × follow-up-year table of shares, shared by the outcome and staying-together
//! sections so both read the same way.

use crate::charts::labels::{humanise, percent1};

use super::super::html::{table, Cell};
use super::super::select::ALL;
use super::cells::withheld;

/// `country=AL` -> `Country: AL`.
fn group_label(group: &str) -> String {
    match group.split_once('=') {
        Some((col, value)) => format!("{}: {value}", humanise(col)),
        None => group.to_string(),
    }
}

/// Breakdown groups (`COL=value`, not `all` and not the arms) in first-seen order.
pub fn breakdown_groups<'a>(groups: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for g in groups {
        if g != ALL && !g.starts_with("arm=") && !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// A group × year table of shares for years 1 to 5: `value(group, year)` gives whether
/// the row is suppressed and its share (`(false, None)` when there is no row).
pub fn group_year_table(
    out: &mut String,
    caption: &str,
    groups: &[&str],
    value: impl Fn(&str, u32) -> (bool, Option<f64>),
) {
    let rows: Vec<Vec<Cell>> = groups
        .iter()
        .map(|g| {
            let mut row = vec![Cell::Text(group_label(g))];
            row.extend((1..=5).map(|y| {
                let (suppressed, share) = value(g, y);
                withheld(suppressed, share.map(percent1))
            }));
            row
        })
        .collect();
    table(
        out,
        caption,
        &["Group", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5"],
        &rows,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakdown_groups_skip_the_cohort_and_the_arms() {
        let groups = [
            "all",
            "country=AL",
            "arm=programme",
            "country=BG",
            "country=AL",
        ];
        assert_eq!(
            breakdown_groups(groups.into_iter()),
            ["country=AL", "country=BG"]
        );
    }

    #[test]
    fn a_group_year_table_blanks_suppressed_and_missing_years() {
        let mut out = String::new();
        group_year_table(&mut out, "Shares", &["country=AL"], |_, y| match y {
            1 => (false, Some(0.5)),
            2 => (true, Some(0.4321)),
            _ => (false, None),
        });
        assert!(out.contains("<th scope=\"row\">Country: AL</th><td class=\"num\">50.0 %</td><td class=\"blank\">suppressed</td><td class=\"blank\">–</td>"));
        assert!(!out.contains("43.2"));
    }
}
