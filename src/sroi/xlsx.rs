//! `sroi/impact_map.xlsx`: the impact map as a live Social Value UK-style value map.
//!
//! Practitioners check and rework SROI analyses in spreadsheets. The workbook therefore
//! holds the calculation itself, not just its results: the impact, every year's
//! discounted value, total PV, NPV, ratio and payback are **formulas** over the input
//! cells (quantity, proxy, duration, deadweight, displacement, attribution, drop-off,
//! discount rates and inputs), so changing a cell moves the ratio. Each formula also
//! carries the engine's value as its cached result, so a reader that does not
//! recalculate still sees the right figures.
//!
//! Sheet `Impact Map` (rows and columns are fixed so the test below can find them):
//! - `B3` discount rate, `B4` total inputs;
//! - from column N, one column per year: the year (row 7), its discount rate (row 8:
//!   `=$B$3` for a constant rate, literal Green Book rates otherwise) and discount factor
//!   (row 9, compounding year by year);
//! - from row 12, one row per outcome: A id, B stakeholder, C indicator, D quantity,
//!   E proxy, F proxy source, G duration, H deadweight, I displacement, J attribution,
//!   K drop-off, L impact `=D*E*(1-H)*(1-I)*(1-J)`, M PV `=SUM(N:..)`, then year t's PV
//!   `=IF(t<=G, L*(1-K)^(t-1)*factor_t, 0)`;
//! - below: total PV, inputs, NPV, SROI ratio, net ratio, payback months, and PV by
//!   stakeholder.
//!
//! Sheet `Parameters` lists every parameter with its distribution, source and evidence.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};

use super::discount::Schedule;
use super::model::{Field, ValidModel};
use super::summary::SroiResult;
use super::SroiError;

/// Name of the calculation sheet.
pub const SHEET: &str = "Impact Map";
/// First outcome row (0-based; row 12 in Excel).
pub const FIRST_ROW: u32 = 11;
/// First year column (0-based; column N).
pub const FIRST_YEAR_COL: u16 = 13;

/// The Excel column letters of 0-based column `c`.
pub fn col_name(c: u16) -> String {
    let mut n = c as u32 + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// `A1`-style address of 0-based row and column.
fn cell(row: u32, col: u16) -> String {
    format!("{}{}", col_name(col), row + 1)
}

/// A formula with the engine's value as its cached result.
fn formula(text: String, value: f64) -> Formula {
    Formula::new(text).set_result(format!("{value}"))
}

/// The impact-map workbook of a finished run, as the bytes of an `.xlsx` file.
///
/// # Errors
/// [`SroiError::Xlsx`] if the workbook cannot be built.
pub fn impact_map(model: &ValidModel, result: &SroiResult) -> Result<Vec<u8>, SroiError> {
    let err = |e: XlsxError| SroiError::Xlsx {
        path: "impact_map.xlsx".to_string(),
        message: e.to_string(),
    };
    let mut wb = Workbook::new();
    // A fixed creation date: the same inputs give a byte-identical workbook (Excel
    // would otherwise stamp the time of writing into docProps/core.xml).
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(err)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    build(&mut wb, model, result).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

fn build(wb: &mut Workbook, model: &ValidModel, result: &SroiResult) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    calculation_sheet(ws, &bold, model, result)?;
    let ps = wb.add_worksheet();
    ps.set_name("Parameters")?;
    parameter_sheet(ps, &bold, model, result)?;
    Ok(())
}

fn calculation_sheet(
    ws: &mut Worksheet,
    bold: &Format,
    model: &ValidModel,
    result: &SroiResult,
) -> Result<(), XlsxError> {
    let s = &result.summary;
    let study = &model.study;
    let disc = study.discounting;
    let n_out = model.outcomes.len() as u32;
    let years = result
        .params
        .outcomes
        .iter()
        .map(|o| o.years() as u32)
        .max()
        .unwrap_or(1);
    let last_year_col = FIRST_YEAR_COL + years as u16 - 1;

    ws.write_string_with_format(
        0,
        0,
        "SROI impact map (value map after the Social Value UK guide)",
        bold,
    )?;
    ws.write_string(0, 3, format!("model file: {}", model.path))?;
    ws.write_string(1, 0, "Currency / price year")?;
    ws.write_string(1, 1, &study.reporting_currency)?;
    ws.write_number(1, 2, study.price_year as f64)?;
    ws.write_string(
        2,
        0,
        match disc.schedule {
            Schedule::Constant(_) => "Discount rate",
            Schedule::GreenBook => "Discount rate (Green Book schedule: see row 8)",
        },
    )?;
    ws.write_number(2, 1, disc.schedule.headline_rate())?;
    ws.write_string(
        3,
        0,
        if study.discount_inputs {
            "Inputs (total, discounted from the first cost year)"
        } else {
            "Inputs (total)"
        },
    )?;
    ws.write_number(3, 1, s.inputs)?;
    ws.write_string(4, 0, "Year 1 discounted")?;
    ws.write_string(4, 1, if disc.discount_year1 { "yes" } else { "no" })?;

    // Discount block: year, rate, factor.
    ws.write_string_with_format(6, 11, "Year", bold)?;
    ws.write_string_with_format(7, 11, "Discount rate", bold)?;
    ws.write_string_with_format(8, 11, "Discount factor", bold)?;
    let factors = disc.factors(years);
    for t in 1..=years {
        let c = FIRST_YEAR_COL + t as u16 - 1;
        ws.write_number(6, c, t as f64)?;
        match disc.schedule {
            Schedule::Constant(r) => ws.write_formula(7, c, formula("=$B$3".to_string(), r))?,
            Schedule::GreenBook => ws.write_number(7, c, disc.schedule.rate(t))?,
        };
        let text = match (t, disc.discount_year1) {
            (1, true) => format!("=1/(1+{})", cell(7, c)),
            (1, false) => "=1".to_string(),
            (_, true) => format!("={}/(1+{})", cell(8, c - 1), cell(7, c)),
            (_, false) => format!("={}/(1+{})", cell(8, c - 1), cell(7, c - 1)),
        };
        ws.write_formula(8, c, formula(text, factors[t as usize - 1]))?;
    }

    let headers = [
        "Outcome",
        "Stakeholder",
        "Indicator",
        "Quantity",
        "Financial proxy",
        "Proxy source",
        "Duration (years)",
        "Deadweight",
        "Displacement",
        "Attribution",
        "Drop-off",
        "Impact (year 1)",
        "Present value",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(FIRST_ROW - 1, c as u16, *h, bold)?;
    }
    for t in 1..=years {
        ws.write_string_with_format(
            FIRST_ROW - 1,
            FIRST_YEAR_COL + t as u16 - 1,
            format!("PV year {t}"),
            bold,
        )?;
    }
    for (i, ((o, v), r)) in model
        .outcomes
        .iter()
        .zip(&result.params.outcomes)
        .zip(&result.evaluation.outcomes)
        .enumerate()
    {
        let row = FIRST_ROW + i as u32;
        let x = row + 1; // Excel row number
        ws.write_string(row, 0, &o.id)?;
        ws.write_string(row, 1, &o.stakeholder)?;
        ws.write_string(row, 2, &o.indicator)?;
        ws.write_number(row, 3, v.quantity)?;
        ws.write_number(row, 4, v.proxy)?;
        ws.write_string(row, 5, &o.proxy.source)?;
        for (c, field) in [
            (6u16, Field::Duration),
            (7, Field::Deadweight),
            (8, Field::Displacement),
            (9, Field::Attribution),
            (10, Field::Dropoff),
        ] {
            ws.write_number(row, c, v.get(field))?;
        }
        ws.write_formula(
            row,
            11,
            formula(
                format!("=D{x}*E{x}*(1-H{x})*(1-I{x})*(1-J{x})"),
                r.impact_year1,
            ),
        )?;
        ws.write_formula(
            row,
            12,
            formula(
                format!(
                    "=SUM({}:{})",
                    cell(row, FIRST_YEAR_COL),
                    cell(row, last_year_col)
                ),
                r.pv,
            ),
        )?;
        for t in 1..=years {
            let c = FIRST_YEAR_COL + t as u16 - 1;
            let col = col_name(c);
            let value =
                r.impacts.get(t as usize - 1).copied().unwrap_or(0.0) * factors[t as usize - 1];
            ws.write_formula(
                row,
                c,
                formula(
                    format!("=IF({col}$7<=$G{x},$L{x}*(1-$K{x})^({col}$7-1)*{col}$9,0)"),
                    value,
                ),
            )?;
        }
    }

    // Totals.
    let first_x = FIRST_ROW + 1;
    let last_x = FIRST_ROW + n_out;
    let t0 = FIRST_ROW + n_out + 1;
    let total = cell(t0, 12);
    let npv = cell(t0 + 2, 12);
    let i1_total: f64 = result
        .evaluation
        .outcomes
        .iter()
        .map(|o| o.impact_year1)
        .sum();
    let rows: [(&str, String, f64); 6] = [
        (
            "Total present value",
            format!("=SUM(M{first_x}:M{last_x})"),
            s.pv_total,
        ),
        ("Inputs", "=$B$4".to_string(), s.inputs),
        ("Net present value", format!("={total}-$B$4"), s.npv),
        ("SROI ratio", format!("={total}/$B$4"), s.ratio),
        ("Net SROI ratio", format!("={npv}/$B$4"), s.net_ratio),
        // As the spreadsheet computes it, also where the engine reports no payback.
        (
            "Payback (months)",
            format!("=$B$4/(SUM(L{first_x}:L{last_x})/12)"),
            s.inputs / (i1_total / 12.0),
        ),
    ];
    let n_rows = rows.len() as u32;
    for (k, (label, text, value)) in rows.into_iter().enumerate() {
        let row = t0 + k as u32;
        ws.write_string_with_format(row, 0, label, bold)?;
        ws.write_formula(row, 12, formula(text, value))?;
    }
    let st0 = t0 + n_rows + 1;
    ws.write_string_with_format(st0, 0, "Present value by stakeholder", bold)?;
    for (k, st) in s.by_stakeholder.iter().enumerate() {
        let row = st0 + 1 + k as u32;
        let refs: Vec<String> = model
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| o.stakeholder == st.stakeholder)
            .map(|(i, _)| cell(FIRST_ROW + i as u32, 12))
            .collect();
        ws.write_string(row, 0, &st.stakeholder)?;
        ws.write_formula(row, 12, formula(format!("={}", refs.join("+")), st.pv))?;
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(2, 36)?;
    ws.set_column_width(5, 30)?;
    Ok(())
}

fn parameter_sheet(
    ws: &mut Worksheet,
    bold: &Format,
    model: &ValidModel,
    result: &SroiResult,
) -> Result<(), XlsxError> {
    let headers = [
        "Parameter",
        "Base value",
        "Distribution",
        "Mean",
        "2.5 %",
        "97.5 %",
        "Low",
        "High",
        "Data key",
        "Evidence",
        "Source",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)?;
    }
    for (k, (id, name, p)) in model.parameters().into_iter().enumerate() {
        let row = 1 + k as u32;
        ws.write_string(row, 0, &name)?;
        ws.write_number(row, 1, result.params.get(id))?;
        if let Some(d) = &p.dist {
            ws.write_string(row, 2, d.name())?;
            ws.write_number(row, 3, d.mean())?;
            ws.write_number(row, 4, d.quantile(0.025))?;
            ws.write_number(row, 5, d.quantile(0.975))?;
        }
        if let Some(low) = p.low {
            ws.write_number(row, 6, low)?;
        }
        if let Some(high) = p.high {
            ws.write_number(row, 7, high)?;
        }
        if let Some(key) = p.data_key() {
            ws.write_string(row, 8, key)?;
        }
        ws.write_string(row, 9, p.evidence.as_str())?;
        ws.write_string(row, 10, &p.source)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(10, 60)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::data::DataValues;
    use crate::sroi::impact::tests::TWO_OUTCOMES;
    use crate::sroi::impact::{evaluate, Inputs};
    use crate::sroi::model::ModelFile;
    use crate::sroi::summary::run_sroi;
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use std::collections::HashMap;
    use std::path::Path;

    /// A sheet read back: cached values and formula texts by (row, col).
    struct Sheet {
        values: HashMap<(u32, u32), Data>,
        formulas: HashMap<(u32, u32), String>,
    }

    impl Sheet {
        fn read(path: &Path) -> Sheet {
            let mut wb: Xlsx<_> = open_workbook(path).unwrap();
            let range = wb.worksheet_range(SHEET).unwrap();
            let form = wb.worksheet_formula(SHEET).unwrap();
            let mut values = HashMap::new();
            for (r, c, v) in range.used_cells() {
                let (r0, c0) = range.start().unwrap();
                values.insert((r as u32 + r0, c as u32 + c0), v.clone());
            }
            let mut formulas = HashMap::new();
            for (r, c, v) in form.used_cells() {
                let (r0, c0) = form.start().unwrap();
                if !v.is_empty() {
                    formulas.insert((r as u32 + r0, c as u32 + c0), v.clone());
                }
            }
            Sheet { values, formulas }
        }

        fn row_of(&self, label: &str) -> u32 {
            self.values
                .iter()
                .find(|((_, c), v)| *c == 0 && matches!(v, Data::String(s) if s == label))
                .map(|((r, _), _)| *r)
                .unwrap()
        }

        /// Recompute a cell from the formulas (ignores cached results).
        fn eval(&self, row: u32, col: u32) -> f64 {
            match self.formulas.get(&(row, col)) {
                Some(text) => {
                    let mut p = Parser {
                        s: text.trim_start_matches('=').as_bytes(),
                        i: 0,
                        sheet: self,
                    };
                    let v = p.expr();
                    assert_eq!(p.i, p.s.len(), "unparsed tail in {text}");
                    v
                }
                None => match self.values.get(&(row, col)) {
                    Some(Data::Float(x)) => *x,
                    Some(Data::Int(x)) => *x as f64,
                    Some(Data::Empty) | None => 0.0,
                    Some(other) => panic!("non-numeric cell {other:?} at {row},{col}"),
                },
            }
        }
    }

    /// Recursive-descent evaluator for the formula forms this module emits: numbers,
    /// cell references (with `$`), `+ - * / ^`, comparisons, unary minus, parentheses,
    /// `SUM(range)` and `IF(cond, a, b)`. Excel precedence: comparison < +- < */ < ^ <
    /// unary minus.
    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
        sheet: &'a Sheet,
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<u8> {
            self.s.get(self.i).copied()
        }
        fn eat(&mut self, b: u8) -> bool {
            if self.peek() == Some(b) {
                self.i += 1;
                true
            } else {
                false
            }
        }
        fn expr(&mut self) -> f64 {
            let a = self.add();
            for op in ["<=", ">=", "<>", "<", ">", "="] {
                if self.s[self.i..].starts_with(op.as_bytes()) {
                    self.i += op.len();
                    let b = self.add();
                    let t = match op {
                        "<=" => a <= b,
                        ">=" => a >= b,
                        "<>" => a != b,
                        "<" => a < b,
                        ">" => a > b,
                        _ => a == b,
                    };
                    return if t { 1.0 } else { 0.0 };
                }
            }
            a
        }
        fn add(&mut self) -> f64 {
            let mut v = self.mul();
            loop {
                if self.eat(b'+') {
                    v += self.mul();
                } else if self.eat(b'-') {
                    v -= self.mul();
                } else {
                    return v;
                }
            }
        }
        fn mul(&mut self) -> f64 {
            let mut v = self.pow();
            loop {
                if self.eat(b'*') {
                    v *= self.pow();
                } else if self.eat(b'/') {
                    v /= self.pow();
                } else {
                    return v;
                }
            }
        }
        fn pow(&mut self) -> f64 {
            let mut v = self.unary();
            while self.eat(b'^') {
                v = v.powf(self.unary());
            }
            v
        }
        fn unary(&mut self) -> f64 {
            if self.eat(b'-') {
                -self.unary()
            } else {
                self.primary()
            }
        }
        fn cell_ref(&mut self) -> (u32, u32) {
            self.eat(b'$');
            let mut col = 0u32;
            while let Some(b) = self.peek().filter(u8::is_ascii_uppercase) {
                col = col * 26 + (b - b'A' + 1) as u32;
                self.i += 1;
            }
            self.eat(b'$');
            let start = self.i;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1;
            }
            let row: u32 = std::str::from_utf8(&self.s[start..self.i])
                .unwrap()
                .parse()
                .unwrap();
            (row - 1, col - 1)
        }
        fn primary(&mut self) -> f64 {
            if self.eat(b'(') {
                let v = self.expr();
                assert!(self.eat(b')'));
                return v;
            }
            if self.peek().is_some_and(|b| b.is_ascii_digit() || b == b'.') {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_digit() || b == b'.' || b == b'E' || b == b'e')
                {
                    self.i += 1;
                }
                return std::str::from_utf8(&self.s[start..self.i])
                    .unwrap()
                    .parse()
                    .unwrap();
            }
            if self.s[self.i..].starts_with(b"SUM(") {
                self.i += 4;
                let (r1, c1) = self.cell_ref();
                assert!(self.eat(b':'));
                let (r2, c2) = self.cell_ref();
                assert!(self.eat(b')'));
                let mut total = 0.0;
                for r in r1..=r2 {
                    for c in c1..=c2 {
                        total += self.sheet.eval(r, c);
                    }
                }
                return total;
            }
            if self.s[self.i..].starts_with(b"IF(") {
                self.i += 3;
                let cond = self.expr();
                assert!(self.eat(b','));
                let a = self.expr();
                assert!(self.eat(b','));
                let b = self.expr();
                assert!(self.eat(b')'));
                return if cond != 0.0 { a } else { b };
            }
            let (r, c) = self.cell_ref();
            self.sheet.eval(r, c)
        }
    }

    fn check_workbook(text: &str) {
        let m = ModelFile::parse(text, "m.toml").unwrap().check().unwrap();
        let res = run_sroi(&m, &DataValues::new(), &[], &Inputs::total(50_000.0)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("impact_map.xlsx");
        std::fs::write(&path, impact_map(&m, &res).unwrap()).unwrap();
        let sheet = Sheet::read(&path);
        let s = &res.summary;
        for (label, want) in [
            ("Total present value", s.pv_total),
            ("Net present value", s.npv),
            ("SROI ratio", s.ratio),
            ("Net SROI ratio", s.net_ratio),
            ("Payback (months)", s.payback_months.unwrap()),
        ] {
            let row = sheet.row_of(label);
            let got = sheet.eval(row, 12);
            assert!(
                (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{label}: {got} vs {want}"
            );
            // The cached result is the engine's value.
            match sheet.values.get(&(row, 12)) {
                Some(Data::Float(c)) => assert!((c - want).abs() <= 1e-9 * want.abs().max(1.0)),
                other => panic!("{label}: cached {other:?}"),
            }
        }
        // Every formula's cached result equals what the formula computes.
        for &(r, c) in sheet.formulas.keys() {
            let got = sheet.eval(r, c);
            match sheet.values.get(&(r, c)) {
                Some(Data::Float(v)) => {
                    assert!(
                        (got - v).abs() <= 1e-9 * v.abs().max(1.0),
                        "{r},{c}: {got} vs cached {v}"
                    )
                }
                Some(Data::Int(v)) => assert!((got - *v as f64).abs() <= 1e-9, "{r},{c}"),
                other => panic!("{r},{c}: cached {other:?}"),
            }
        }
        let ratio_row = sheet.row_of("SROI ratio");
        assert_eq!(
            sheet.formulas[&(ratio_row, 12)],
            format!("M{}/$B$4", FIRST_ROW + m.outcomes.len() as u32 + 2)
        );
        // Live: set care.attribution (J12) to 0.4 in the sheet and recompute; the engine
        // agrees.
        let mut changed = Sheet {
            values: sheet.values.clone(),
            formulas: sheet.formulas.clone(),
        };
        changed.values.insert((FIRST_ROW, 9), Data::Float(0.4));
        let id = m.find_param("care.attribution").unwrap();
        let want = evaluate(&m, &res.params.with(id, 0.4), 50_000.0)
            .unwrap()
            .ratio;
        let got = changed.eval(ratio_row, 12);
        assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        assert!((got - s.ratio).abs() > 0.1);
    }

    #[test]
    fn formulas_recompute_the_engine_ratio_constant_rate() {
        check_workbook(TWO_OUTCOMES);
    }

    #[test]
    fn formulas_recompute_the_engine_ratio_green_book_without_year1_discount() {
        let text = TWO_OUTCOMES
            .replace(
                "discount_rate = 0.035",
                "discount_schedule = \"green_book\"\ndiscount_year1 = false",
            )
            .replace("duration = 3", "duration = 40");
        check_workbook(&text);
    }

    #[test]
    fn column_names() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(13), "N");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
    }
}
