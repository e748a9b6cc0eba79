//! `sroi/impact_map.xlsx`: the impact map as a live Social Value UK-style value map.
//!
//! Practitioners check and rework SROI analyses in spreadsheets. The workbook therefore
//! holds the calculation itself, not just its results: every number a user may change is
//! an input cell that drives the formulas, and every other number is a formula, so an
//! edit gives the engine's answer to the same change in the model file (a test
//! recalculates the workbook in LibreOffice and compares). Each formula also carries the
//! engine's value as its cached result, so a reader that does not recalculate still sees
//! the right figures.
//!
//! Sheet `Parameters`: every parameter, one row each in [`ValidModel::parameters`] order;
//! column B, the base value, is the input of the calculation (data-derived values too);
//! the distribution, quantiles, low and high describe the uncertainty of the Monte Carlo
//! and one-way analyses, which the workbook does not redo.
//!
//! Sheet `Impact Map` (rows and columns are fixed so the tests can find them):
//! - `B3` discount rate (a constant rate's input; with the Green Book schedule `=N8`),
//!   `B4` total inputs, `B5` year 1 discounted (1 = yes, 0 = no);
//! - from column N, one column per year up to the longest duration any outcome can take
//!   (its base, range or distribution, or the years of its data series) and at least the
//!   horizon: the year (row 7), its discount rate (row 8: `=$B$3`, or the Green Book's
//!   rates as inputs) and discount factor (row 9, compounding over t or t - 1 periods as
//!   B5 says);
//! - from row 12, one row per outcome: A id, B stakeholder, C indicator, D quantity,
//!   E proxy, F proxy source, G duration, H deadweight, I displacement, J attribution,
//!   K drop-off (D-K are `=Parameters!B..`), L impact before timing
//!   `=D*E*(1-H)*(1-I)*(1-J)`, M PV `=SUM(N:..)`, then year t's PV = impact of year t x
//!   factor_t;
//! - below: total PV, inputs, NPV, SROI ratio, net ratio, payback months, PV by
//!   stakeholder; then the undiscounted impact of outcome i in year t
//!   `= L x g_t x (1-K)^(t-1) x max(0, min(1, max(1, G) - (t-1)))` (a fractional last
//!   year counts its fraction, as a drawn duration does in the engine); the yearly
//!   profiles `g_t` (inputs: the data's yearly series over its base value for an outcome
//!   with `flows = "data"`, else 1); and the payback rows (impact of all outcomes by
//!   year, cumulative, the first year it reaches the inputs, the month).
//!
//! The file is longer than most because its test module carries a small evaluator of
//! the formulas written here (so every cached value and an edit are checked without a
//! spreadsheet); the workbook-writing code itself is about 500 lines.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};

use super::discount::Schedule;
use super::model::{Field, ValidModel, MAX_DURATION};
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
    ps.set_name(PARAMETERS)?;
    parameter_sheet(ps, &bold, model, result)?;
    Ok(())
}

/// The Parameters sheet's name.
pub const PARAMETERS: &str = "Parameters";

/// 0-based row of the `k`-th parameter on the Parameters sheet.
pub fn parameter_row(k: usize) -> u32 {
    1 + k as u32
}

/// Year columns the workbook needs: every year any outcome can reach (its data years, or
/// the largest duration its base, range or distribution allows), and the horizon.
pub fn year_columns(model: &ValidModel, result: &SroiResult) -> u32 {
    let mut years = model.study.horizon_years.max(1);
    for (o, v) in model.outcomes.iter().zip(&result.params.outcomes) {
        let mut d = v.duration;
        if o.timed_key().is_none() {
            let p = &o.duration;
            for x in [p.low, p.high, p.dist.as_ref().map(|d| d.support().1)]
                .into_iter()
                .flatten()
            {
                d = d.max(x);
            }
        }
        years = years.max(d.min(f64::from(MAX_DURATION)).ceil() as u32);
    }
    years
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
    let years = year_columns(model, result);
    let last_year_col = FIRST_YEAR_COL + years as u16 - 1;
    let ycol = |t: u32| FIRST_YEAR_COL + t as u16 - 1;

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
    match disc.schedule {
        // The rate drives row 8 (and through it every discount factor).
        Schedule::Constant(r) => ws.write_number(2, 1, r)?,
        // The rates are row 8's inputs; B3 only shows year 1's, so it is not an input.
        Schedule::GreenBook => ws.write_formula(
            2,
            1,
            formula(
                format!("={}", cell(7, FIRST_YEAR_COL)),
                disc.schedule.headline_rate(),
            ),
        )?,
    };
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
    ws.write_string(4, 0, "Year 1 discounted (1 = yes, 0 = no)")?;
    ws.write_number(4, 1, if disc.discount_year1 { 1.0 } else { 0.0 })?;
    ws.write_string(
        5,
        0,
        format!(
            "Inputs: the Parameters sheet's base values (column B), {}B4, B5 and the yearly profiles g below; every other number is a formula. Years run to {years}: a longer duration counts {years} years.",
            match disc.schedule {
                Schedule::Constant(_) => "B3, ",
                Schedule::GreenBook => "row 8 (the Green Book rates), ",
            }
        ),
    )?;

    // Discount block: year, rate, factor; the factor follows the switch in B5.
    ws.write_string_with_format(6, 11, "Year", bold)?;
    ws.write_string_with_format(7, 11, "Discount rate", bold)?;
    ws.write_string_with_format(8, 11, "Discount factor", bold)?;
    let factors = disc.factors(years);
    for t in 1..=years {
        let c = ycol(t);
        ws.write_number(6, c, t as f64)?;
        match disc.schedule {
            Schedule::Constant(r) => ws.write_formula(7, c, formula("=$B$3".to_string(), r))?,
            Schedule::GreenBook => ws.write_number(7, c, disc.schedule.rate(t))?,
        };
        // Year t is discounted over t periods (B5 = 1) or t - 1 periods (B5 = 0).
        let text = if t == 1 {
            format!("=IF($B$5=1,1/(1+{}),1)", cell(7, c))
        } else {
            format!(
                "={}/(1+IF($B$5=1,{},{}))",
                cell(8, c - 1),
                cell(7, c),
                cell(7, c - 1)
            )
        };
        ws.write_formula(8, c, formula(text, factors[t as usize - 1]))?;
    }

    // Row blocks below the outcomes (0-based first rows).
    let t0 = FIRST_ROW + n_out + 1; // totals
    let st0 = t0 + 6 + 1; // present value by stakeholder
    let ib0 = st0 + 1 + s.by_stakeholder.len() as u32 + 1; // impact by year
    let pb0 = ib0 + n_out + 2; // yearly profiles
    let hb0 = pb0 + n_out + 2; // payback helper rows

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
        "Impact before timing",
        "Present value",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(FIRST_ROW - 1, c as u16, *h, bold)?;
    }
    for t in 1..=years {
        ws.write_string_with_format(FIRST_ROW - 1, ycol(t), format!("PV year {t}"), bold)?;
        ws.write_string_with_format(ib0, ycol(t), format!("Year {t}"), bold)?;
        ws.write_string_with_format(pb0, ycol(t), format!("g, year {t}"), bold)?;
    }
    ws.write_string_with_format(ib0, 0, "Impact by year (undiscounted)", bold)?;
    ws.write_string_with_format(
        pb0,
        0,
        "Yearly profile g (flows = \"data\": the data's yearly series over its base value; else 1)",
        bold,
    )?;
    let params = model.parameters();
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
        ws.write_string(row, 5, &o.proxy.source)?;
        for (c, field) in [
            (3u16, Field::Quantity),
            (4, Field::Proxy),
            (6, Field::Duration),
            (7, Field::Deadweight),
            (8, Field::Displacement),
            (9, Field::Attribution),
            (10, Field::Dropoff),
        ] {
            let k = params
                .iter()
                .position(|(id, _, _)| id.outcome == i && id.field == field)
                .unwrap_or(0);
            ws.write_formula(
                row,
                c,
                formula(
                    format!("={PARAMETERS}!$B${}", parameter_row(k) + 1),
                    v.get(field),
                ),
            )?;
        }
        ws.write_formula(
            row,
            11,
            formula(
                format!("=D{x}*E{x}*(1-H{x})*(1-I{x})*(1-J{x})"),
                v.impact_base(),
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
        let irow = ib0 + 1 + i as u32;
        let prow = pb0 + 1 + i as u32;
        ws.write_string(irow, 0, &o.id)?;
        ws.write_string(prow, 0, &o.id)?;
        ws.write_string(
            prow,
            1,
            if o.timed_key().is_some() {
                "data"
            } else {
                "model"
            },
        )?;
        for t in 1..=years {
            let c = ycol(t);
            let col = col_name(c);
            let g = match &v.flows {
                Some(g) => g.get(t as usize - 1).copied().unwrap_or(0.0),
                None => 1.0,
            };
            ws.write_number(prow, c, g)?;
            let impact = r.impacts.get(t as usize - 1).copied().unwrap_or(0.0);
            ws.write_formula(
                irow,
                c,
                formula(
                    format!(
                        "=$L{x}*{}*(1-$K{x})^({col}$7-1)*MAX(0,MIN(1,MAX(1,$G{x})-({col}$7-1)))",
                        cell(prow, c)
                    ),
                    impact,
                ),
            )?;
            ws.write_formula(
                row,
                c,
                formula(
                    format!("={}*{col}$9", cell(irow, c)),
                    impact * factors[t as usize - 1],
                ),
            )?;
        }
    }

    // Payback: the first year whose cumulative undiscounted impact reaches the inputs.
    let labels = [
        "Impact, all outcomes (undiscounted)",
        "Cumulative impact",
        "Paid back by year t (1 = yes)",
        "Payback month if paid back",
    ];
    for (k, l) in labels.iter().enumerate() {
        ws.write_string_with_format(hb0 + k as u32, 0, *l, bold)?;
    }
    let (mut cum, mut found, mut month) = (0.0_f64, false, 0.0_f64);
    for t in 1..=years {
        let c = ycol(t);
        let j: f64 = result
            .evaluation
            .outcomes
            .iter()
            .filter_map(|o| o.impacts.get(t as usize - 1))
            .sum();
        let before = cum;
        cum += j;
        let was = found;
        found = was || (j > 0.0 && cum >= s.inputs);
        if !was && found {
            month = 12.0 * (t - 1) as f64 + 12.0 * ((s.inputs - before) / j).max(0.0);
        }
        let (jc, cc, fc) = (cell(hb0, c), cell(hb0 + 1, c), cell(hb0 + 2, c));
        ws.write_formula(
            hb0,
            c,
            formula(
                format!("=SUM({}:{})", cell(ib0 + 1, c), cell(ib0 + n_out, c)),
                j,
            ),
        )?;
        let (cum_f, found_f, month_f) = if t == 1 {
            (
                format!("={jc}"),
                format!("=IF({jc}>0,IF({cc}>=$B$4,1,0),0)"),
                format!("=IF({fc}=1,12*MAX(0,$B$4/{jc}),0)"),
            )
        } else {
            let (pc, pf, pm) = (
                cell(hb0 + 1, c - 1),
                cell(hb0 + 2, c - 1),
                cell(hb0 + 3, c - 1),
            );
            (
                format!("={pc}+{jc}"),
                format!("=IF({pf}=1,1,IF({jc}>0,IF({cc}>=$B$4,1,0),0))"),
                format!(
                    "=IF({pf}=1,{pm},IF({fc}=1,12*({col}$7-1)+12*MAX(0,($B$4-{pc})/{jc}),0))",
                    col = col_name(c)
                ),
            )
        };
        ws.write_formula(hb0 + 1, c, formula(cum_f, cum))?;
        ws.write_formula(hb0 + 2, c, formula(found_f, if found { 1.0 } else { 0.0 }))?;
        ws.write_formula(
            hb0 + 3,
            c,
            formula(month_f, if found { month } else { 0.0 }),
        )?;
    }

    // Totals.
    let first_x = FIRST_ROW + 1;
    let last_x = FIRST_ROW + n_out;
    let total = cell(t0, 12);
    let npv = cell(t0 + 2, 12);
    let rows: [(&str, String, f64); 5] = [
        (
            "Total present value",
            format!("=SUM(M{first_x}:M{last_x})"),
            s.pv_total,
        ),
        ("Inputs", "=$B$4".to_string(), s.inputs),
        ("Net present value", format!("={total}-$B$4"), s.npv),
        ("SROI ratio", format!("={total}/$B$4"), s.ratio),
        ("Net SROI ratio", format!("={npv}/$B$4"), s.net_ratio),
    ];
    for (k, (label, text, value)) in rows.into_iter().enumerate() {
        let row = t0 + k as u32;
        ws.write_string_with_format(row, 0, label, bold)?;
        ws.write_formula(row, 12, formula(text, value))?;
    }
    ws.write_string_with_format(t0 + 5, 0, "Payback (months)", bold)?;
    let text = format!(
        "=IF({}=1,{},\"never\")",
        cell(hb0 + 2, last_year_col),
        cell(hb0 + 3, last_year_col)
    );
    let payback = match s.payback_months {
        Some(m) => Formula::new(text).set_result(format!("{m}")),
        None => Formula::new(text).set_result("never"),
    };
    ws.write_formula(t0 + 5, 12, payback)?;
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
        let row = parameter_row(k);
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
    let note = parameter_row(model.parameters().len()) + 1;
    ws.write_string(
        note,
        0,
        "Column B is the input of the Impact Map sheet: change a base value there. The distribution, its quantiles, low and high describe the uncertainty kinsight's Monte Carlo and one-way analyses use; the workbook does not recompute those.",
    )?;
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
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::path::Path;

    /// A sheet read back: cached values and formula texts by (row, col).
    struct Sheet {
        values: HashMap<(u32, u32), Data>,
        formulas: HashMap<(u32, u32), String>,
        /// Cells computed so far (every cell is evaluated once: chains of `IF`s over the
        /// previous year would otherwise cost exponential time).
        computed: RefCell<HashMap<(u32, u32), f64>>,
    }

    /// Rows of the Parameters sheet are stored from this row on (one map for both).
    const PARAM_OFFSET: u32 = 1_000_000;

    impl Sheet {
        fn read(path: &Path) -> Sheet {
            let mut wb: Xlsx<_> = open_workbook(path).unwrap();
            let mut values = HashMap::new();
            let mut formulas = HashMap::new();
            for (name, off) in [(SHEET, 0), (PARAMETERS, PARAM_OFFSET)] {
                let range = wb.worksheet_range(name).unwrap();
                let form = wb.worksheet_formula(name).unwrap();
                for (r, c, v) in range.used_cells() {
                    let (r0, c0) = range.start().unwrap();
                    values.insert((r as u32 + r0 + off, c as u32 + c0), v.clone());
                }
                for (r, c, v) in form.used_cells() {
                    let (r0, c0) = form.start().unwrap();
                    if !v.is_empty() {
                        formulas.insert((r as u32 + r0 + off, c as u32 + c0), v.clone());
                    }
                }
            }
            Sheet {
                values,
                formulas,
                computed: RefCell::default(),
            }
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
            if let Some(v) = self.computed.borrow().get(&(row, col)) {
                return *v;
            }
            let v = self.compute(row, col);
            self.computed.borrow_mut().insert((row, col), v);
            v
        }

        fn compute(&self, row: u32, col: u32) -> f64 {
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
                    Some(Data::String(_)) => f64::NAN,
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
            let mut off = 0;
            let prefix = format!("{PARAMETERS}!");
            if self.s[self.i..].starts_with(prefix.as_bytes()) {
                self.i += prefix.len();
                off = PARAM_OFFSET;
            }
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
            (row - 1 + off, col - 1)
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
            if self.eat(b'"') {
                while self.peek().is_some_and(|b| b != b'"') {
                    self.i += 1;
                }
                assert!(self.eat(b'"'));
                return f64::NAN;
            }
            for (name, max) in [(&b"MAX("[..], true), (&b"MIN("[..], false)] {
                if self.s[self.i..].starts_with(name) {
                    self.i += 4;
                    let mut v = self.expr();
                    while self.eat(b',') {
                        let w = self.expr();
                        v = if max { v.max(w) } else { v.min(w) };
                    }
                    assert!(self.eat(b')'));
                    return v;
                }
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
        // Live: set care.attribution to 0.4 on the Parameters sheet and recompute; the
        // engine agrees.
        let mut changed = Sheet {
            values: sheet.values.clone(),
            formulas: sheet.formulas.clone(),
            computed: RefCell::default(),
        };
        let id = m.find_param("care.attribution").unwrap();
        let k = m.parameters().iter().position(|p| p.0 == id).unwrap();
        changed
            .values
            .insert((PARAM_OFFSET + parameter_row(k), 1), Data::Float(0.4));
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
