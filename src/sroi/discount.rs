//! Present value: discount factors for a constant rate or the UK Green Book schedule.
//!
//! Method.md section 5 fixes the convention so that a reader with a spreadsheet gets the
//! same figure: year 1 is discounted (`PV = sum_t I_t / (1+r)^t`, as Excel's `NPV` and the
//! Social Value UK value map do); `discount_year1 = false` starts the exponent at 0 for
//! programmes whose benefits begin during the activity. The Green Book's declining
//! schedule compounds year by year: the factor for year t is the product over years
//! 1..t of `1 / (1 + r_year)`.

/// How future values are discounted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    /// One rate for every year (must be > -1).
    Constant(f64),
    /// HM Treasury Green Book declining long-term rates: 3.5 % for years 1-30, 3.0 % for
    /// 31-75, 2.5 % for 76-125, 2.0 % for 126-200, 1.5 % for 201-300, 1.0 % beyond
    /// (Green Book 2022, annex A6, table 8).
    GreenBook,
}

/// A discounting convention: schedule plus the year-1 rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Discounting {
    /// The rate schedule.
    pub schedule: Schedule,
    /// `true` (default): year 1 is discounted once; `false`: year 1 is not discounted.
    pub discount_year1: bool,
}

impl Schedule {
    /// The rate applying in year `year` (1-based).
    pub fn rate(&self, year: u32) -> f64 {
        match *self {
            Schedule::Constant(r) => r,
            Schedule::GreenBook => match year {
                0..=30 => 0.035,
                31..=75 => 0.030,
                76..=125 => 0.025,
                126..=200 => 0.020,
                201..=300 => 0.015,
                _ => 0.010,
            },
        }
    }

    /// The rate to show as a single figure (the Green Book's first-period 3.5 %).
    pub fn headline_rate(&self) -> f64 {
        self.rate(1)
    }
}

impl Discounting {
    /// Discount factors for years `1..=years`, compounding year by year.
    ///
    /// Year t is discounted over `t` periods (`discount_year1`) or `t - 1` periods.
    pub fn factors(&self, years: u32) -> Vec<f64> {
        let mut out = Vec::with_capacity(years as usize);
        let mut acc = 1.0;
        for t in 1..=years {
            let periods = if self.discount_year1 { t } else { t - 1 };
            if periods >= 1 {
                acc /= 1.0 + self.schedule.rate(periods);
            }
            out.push(acc);
        }
        out
    }

    /// The factor for one year (1-based).
    pub fn factor(&self, year: u32) -> f64 {
        self.factors(year).last().copied().unwrap_or(1.0)
    }

    /// Present value of `flows[t-1]` received in year t.
    pub fn present_value(&self, flows: &[f64]) -> f64 {
        let factors = self.factors(flows.len() as u32);
        flows.iter().zip(&factors).map(|(f, d)| f * d).sum()
    }

    /// Total inputs: the undiscounted sum, or with `discount_inputs` each year's cost
    /// discounted from the first cost year (which itself is not discounted).
    pub fn inputs_total(&self, by_year: &[(i32, f64)], discount_inputs: bool) -> f64 {
        if !discount_inputs {
            return by_year.iter().map(|(_, a)| a).sum();
        }
        let Some(first) = by_year.iter().map(|(y, _)| *y).min() else {
            return 0.0;
        };
        let last = by_year.iter().map(|(y, _)| *y).max().unwrap_or(first);
        // Factor for k years after the first year: prod_{s=1..k} 1/(1+r_s).
        let span = (last - first) as u32;
        let mut f = vec![1.0];
        let mut acc = 1.0;
        for s in 1..=span {
            acc /= 1.0 + self.schedule.rate(s);
            f.push(acc);
        }
        by_year
            .iter()
            .map(|(y, a)| a * f[(y - first) as usize])
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR1: Discounting = Discounting {
        schedule: Schedule::Constant(0.035),
        discount_year1: true,
    };

    #[test]
    fn constant_rate_hand_values() {
        // 100 a year for 3 years at 3.5 %: 100/1.035 + 100/1.035^2 + 100/1.035^3
        // = 96.618357 + 93.351070 + 90.194271 = 280.163698 (Excel =NPV(0.035,100,100,100)).
        let pv = YEAR1.present_value(&[100.0, 100.0, 100.0]);
        assert!((pv - 280.1636981).abs() < 1e-6, "{pv}");
        assert!((YEAR1.factor(2) - 1.0 / 1.035f64.powi(2)).abs() < 1e-15);
    }

    #[test]
    fn year1_convention_scales_by_one_plus_r() {
        let no = Discounting {
            discount_year1: false,
            ..YEAR1
        };
        let flows = [120.0, 80.0, 50.0, 10.0];
        let a = no.present_value(&flows);
        let b = YEAR1.present_value(&flows);
        assert!((a - 1.035 * b).abs() < 1e-10);
        assert_eq!(no.factor(1), 1.0);
    }

    #[test]
    fn green_book_compounds_year_by_year() {
        let gb = Discounting {
            schedule: Schedule::GreenBook,
            discount_year1: true,
        };
        let f = gb.factors(77);
        assert!((f[29] - 1.0 / 1.035f64.powi(30)).abs() < 1e-15);
        // Year 31 = 1/(1.035^30 * 1.03).
        assert!((f[30] - 1.0 / (1.035f64.powi(30) * 1.03)).abs() < 1e-15);
        // Year 76 = 1/(1.035^30 * 1.03^45 * 1.025).
        let y76 = 1.0 / (1.035f64.powi(30) * 1.03f64.powi(45) * 1.025);
        assert!((f[75] - y76).abs() < 1e-15);
        assert_eq!(gb.schedule.headline_rate(), 0.035);
    }

    #[test]
    fn inputs_discounted_from_first_cost_year() {
        let by_year = [(2021, 1000.0), (2022, 1035.0), (2024, 500.0)];
        assert_eq!(YEAR1.inputs_total(&by_year, false), 2535.0);
        // 1000 + 1035/1.035 + 500/1.035^3 = 1000 + 1000 + 450.9667...
        let want = 2000.0 + 500.0 / 1.035f64.powi(3);
        assert!((YEAR1.inputs_total(&by_year, true) - want).abs() < 1e-9);
    }
}
