//! Figures as the page writes them in tables and sentences: counts, intervals, signed
//! changes, p-values, and the cells of a row that disclosure control withheld.
//!
//! A suppressed row is blanked here, in one place, whatever numbers its cells still
//! hold, so no section can print a withheld figure by building its cells differently.

use crate::charts::labels::{money, thousands};

use super::super::html::{num, Cell, SUPPRESSED};

/// A share interval as `40.0–50.0 %`, when both ends are known.
pub fn pct_ci(lo: Option<f64>, hi: Option<f64>) -> Option<String> {
    Some(format!("{:.1}–{:.1} %", lo? * 100.0, hi? * 100.0))
}

/// A count with thousands separators.
pub fn count(v: Option<u64>) -> Option<String> {
    v.map(|v| thousands(v as f64))
}

/// A change with its sign and a real minus: `+0.50`, `−0.25`.
pub fn signed(v: f64, decimals: usize) -> String {
    let s = format!("{v:+.decimals$}");
    s.replace('-', "−")
}

/// A money amount with a sign for changes: `+EUR 1,200`, `−EUR 300`.
pub fn money_change(currency: &str, v: f64) -> String {
    let m = money(currency, v.abs());
    if v < 0.0 {
        format!("−{m}")
    } else {
        format!("+{m}")
    }
}

/// A p-value to three decimals, or `< 0.001`.
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// `p = 0.034` or `p < 0.001` without the `p`: `= 0.034`, `< 0.001`.
pub fn p_statement(p: f64) -> String {
    let v = p_value(p);
    if v.starts_with('<') {
        v
    } else {
        format!("= {v}")
    }
}

/// A row's figure, or the suppression mark when disclosure control withheld the row.
pub fn withheld(suppressed: bool, v: Option<String>) -> Cell {
    if suppressed {
        Cell::Blank(SUPPRESSED)
    } else {
        num(v)
    }
}

/// A table row: its label, then each figure, every one withheld when the row is.
pub fn withheld_row(
    label: String,
    suppressed: bool,
    figures: impl IntoIterator<Item = Option<String>>,
) -> Vec<Cell> {
    let mut row = vec![Cell::Text(label)];
    row.extend(figures.into_iter().map(|v| withheld(suppressed, v)));
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_the_page_writes_them() {
        assert_eq!(pct_ci(Some(0.4), Some(0.5)).as_deref(), Some("40.0–50.0 %"));
        assert_eq!(pct_ci(Some(0.4), None), None);
        assert_eq!(count(Some(12345)).as_deref(), Some("12,345"));
        assert_eq!(signed(0.5, 2), "+0.50");
        assert_eq!(signed(-0.25, 2), "−0.25");
        assert_eq!(money_change("EUR", -300.0), "−EUR 300");
        assert_eq!(money_change("EUR", 1200.0), "+EUR 1,200");
        assert_eq!(p_statement(0.0342), "= 0.034");
        assert_eq!(p_statement(0.0001), "< 0.001");
    }

    #[test]
    fn a_withheld_row_prints_none_of_its_figures() {
        let figures = || [Some("4,321".to_string()), None];
        assert_eq!(
            withheld_row("Year 1".into(), true, figures()),
            [
                Cell::Text("Year 1".into()),
                Cell::Blank(SUPPRESSED),
                Cell::Blank(SUPPRESSED)
            ]
        );
        assert_eq!(
            withheld_row("Year 1".into(), false, figures()),
            [
                Cell::Text("Year 1".into()),
                Cell::Num("4,321".into()),
                Cell::Blank("–")
            ]
        );
    }
}
