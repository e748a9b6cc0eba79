//! The countries a synthetic dataset can cover, as static data.
//!
//! Each profile holds what the generator needs to make money and placements look like a
//! real programme in that country: its currency, the programmes that serve it, annual
//! exchange rates (local units per EUR), a consumer price index, the income level of
//! families referred to family strengthening and the public cost of residential care.
//! Keeping these figures in one table, with their sources in `data/README.md`, means the
//! generated reference tables and the generated case data can never disagree.

/// First calendar year covered by the built-in exchange-rate and price series.
pub const FIRST_YEAR: i32 = 2014;
/// Last calendar year covered by the built-in series; later years are extrapolated.
pub const LAST_YEAR: i32 = 2025;
/// Annual inflation assumed for years after [`LAST_YEAR`] (a plausible medium-term rate).
pub const EXTRAPOLATED_INFLATION: f64 = 0.03;

/// Everything the generator knows about one country.
#[derive(Debug, Clone, Copy)]
pub struct CountryProfile {
    /// ISO 3166-1 alpha-2 code.
    pub code: &'static str,
    /// ISO 4217 currency code.
    pub currency: &'static str,
    /// Programme ids serving this country (`<country>-<site>-FSP`).
    pub programmes: &'static [&'static str],
    /// Local currency units per EUR, annual averages for [`FIRST_YEAR`]..=[`LAST_YEAR`].
    pub per_eur: [f64; 12],
    /// Annual CPI inflation (fraction) for [`FIRST_YEAR`]+1..=[`LAST_YEAR`]; the index is
    /// 100 in 2015.
    pub inflation: [f64; 11],
    /// Mean monthly net income at intake of a referred two-parent, medium-risk household,
    /// EUR at 2024 prices.
    pub income_eur_2024: f64,
    /// Share of referred households of an ethnic minority (mostly Roma).
    pub minority_share: f64,
    /// Residential (institutional) care, cost per child-year in local currency at 2015
    /// prices.
    pub residential_2015_local: f64,
    /// Foster care as a share of the residential cost.
    pub foster_share_of_residential: f64,
}

/// Lumos: institutional care costs 3-5x foster care; the midpoint 4x gives 0.25.
pub const LUMOS_FOSTER_SHARE: f64 = 0.25;

/// The built-in countries, in the default order.
pub const COUNTRIES: [CountryProfile; 6] = [
    CountryProfile {
        code: "AL",
        currency: "ALL",
        programmes: &["AL-TIR-FSP", "AL-SHK-FSP", "AL-DUR-FSP"],
        per_eur: [
            140.3, 139.7, 137.4, 134.1, 127.6, 123.0, 123.8, 122.5, 119.0, 108.8, 100.6, 98.5,
        ],
        inflation: [
            0.019, 0.013, 0.020, 0.020, 0.014, 0.016, 0.020, 0.067, 0.048, 0.022, 0.023,
        ],
        income_eur_2024: 380.0,
        minority_share: 0.18,
        // EUR 4,000 per child-year at 2015 prices x 139.7 ALL/EUR.
        residential_2015_local: 4_000.0 * 139.7,
        foster_share_of_residential: LUMOS_FOSTER_SHARE,
    },
    CountryProfile {
        code: "AM",
        currency: "AMD",
        programmes: &["AM-YER-FSP", "AM-KOT-FSP"],
        per_eur: [
            552.0, 530.0, 531.0, 545.0, 570.0, 538.0, 558.0, 594.0, 458.0, 424.0, 423.0, 435.0,
        ],
        inflation: [
            0.037, -0.014, 0.010, 0.025, 0.014, 0.012, 0.072, 0.086, 0.020, 0.003, 0.030,
        ],
        income_eur_2024: 330.0,
        minority_share: 0.04,
        // UNICEF 2010: institution US$3,800 per child-year; x 373 AMD/USD (2010) x 1.245
        // (Armenian CPI 2010 -> 2015).
        residential_2015_local: 3_800.0 * 373.0 * 1.245,
        // UNICEF 2010: foster care US$2,800 vs institution US$3,800.
        foster_share_of_residential: 2_800.0 / 3_800.0,
    },
    CountryProfile {
        code: "BA",
        currency: "BAM",
        programmes: &["BA-SAR-FSP", "BA-GOR-FSP", "BA-MOS-FSP"],
        per_eur: [1.95583; 12],
        inflation: [
            -0.010, -0.016, 0.008, 0.014, 0.006, -0.011, 0.020, 0.140, 0.061, 0.017, 0.030,
        ],
        income_eur_2024: 480.0,
        minority_share: 0.08,
        // EUR 5,000 per child-year at 2015 prices x 1.95583 BAM/EUR.
        residential_2015_local: 5_000.0 * 1.95583,
        foster_share_of_residential: LUMOS_FOSTER_SHARE,
    },
    CountryProfile {
        code: "KG",
        currency: "KGS",
        programmes: &["KG-BIS-FSP", "KG-CHO-FSP", "KG-OSH-FSP"],
        per_eur: [
            71.0, 71.6, 77.4, 77.8, 81.2, 78.2, 88.2, 99.8, 88.3, 95.0, 94.0, 98.7,
        ],
        inflation: [
            0.065, 0.004, 0.032, 0.015, 0.011, 0.063, 0.119, 0.139, 0.108, 0.050, 0.060,
        ],
        income_eur_2024: 220.0,
        minority_share: 0.05,
        // EUR 2,500 per child-year at 2015 prices x 71.6 KGS/EUR.
        residential_2015_local: 2_500.0 * 71.6,
        foster_share_of_residential: LUMOS_FOSTER_SHARE,
    },
    CountryProfile {
        code: "MK",
        currency: "MKD",
        programmes: &["MK-SKP-FSP", "MK-KUM-FSP"],
        per_eur: [
            61.62, 61.61, 61.60, 61.57, 61.51, 61.51, 61.67, 61.63, 61.62, 61.56, 61.53, 61.55,
        ],
        inflation: [
            -0.003, -0.002, 0.014, 0.015, 0.008, 0.012, 0.032, 0.142, 0.094, 0.035, 0.035,
        ],
        income_eur_2024: 400.0,
        minority_share: 0.20,
        // EUR 4,500 per child-year at 2015 prices x 61.61 MKD/EUR.
        residential_2015_local: 4_500.0 * 61.61,
        foster_share_of_residential: LUMOS_FOSTER_SHARE,
    },
    CountryProfile {
        code: "RO",
        currency: "RON",
        programmes: &["RO-BUC-FSP", "RO-CLJ-FSP", "RO-IAS-FSP"],
        per_eur: [
            4.444, 4.445, 4.490, 4.569, 4.654, 4.746, 4.838, 4.921, 4.931, 4.947, 4.975, 5.040,
        ],
        inflation: [
            -0.006, -0.016, 0.013, 0.046, 0.038, 0.026, 0.050, 0.138, 0.104, 0.056, 0.065,
        ],
        income_eur_2024: 560.0,
        minority_share: 0.22,
        // Romania HG 978/2015: placement centre 28,847 lei per child-year.
        residential_2015_local: 28_847.0,
        foster_share_of_residential: LUMOS_FOSTER_SHARE,
    },
];

/// The profile of a country code, if it is built in.
pub fn profile(code: &str) -> Option<&'static CountryProfile> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// Codes of the built-in countries, for messages.
pub fn known_codes() -> Vec<&'static str> {
    COUNTRIES.iter().map(|c| c.code).collect()
}

impl CountryProfile {
    /// Local currency units per EUR in `year`, held at the last known rate outside the
    /// built-in series.
    pub fn per_eur_in(&self, year: i32) -> f64 {
        let i = (year.clamp(FIRST_YEAR, LAST_YEAR) - FIRST_YEAR) as usize;
        self.per_eur[i]
    }

    /// Consumer price index in `year` (2015 = 100), extrapolated at
    /// [`EXTRAPOLATED_INFLATION`] after [`LAST_YEAR`].
    pub fn cpi_in(&self, year: i32) -> f64 {
        // Index of FIRST_YEAR so that FIRST_YEAR + 1 (2015) is 100.
        let mut index = 100.0 / (1.0 + self.inflation[0]);
        let mut y = FIRST_YEAR;
        while y < year {
            let rate = if y < LAST_YEAR {
                self.inflation[(y - FIRST_YEAR) as usize]
            } else {
                EXTRAPOLATED_INFLATION
            };
            index *= 1.0 + rate;
            y += 1;
        }
        index
    }

    /// Nominal local currency in `year` of an amount of EUR at `price_year` prices: the
    /// exact inverse of the engine's conversion (divide by the year's rate, multiply by
    /// `cpi(price_year) / cpi(year)`), so real EUR figures survive the round trip.
    pub fn local_nominal(&self, eur_real: f64, year: i32, price_year: i32) -> f64 {
        eur_real * self.per_eur_in(year) * self.cpi_in(year) / self.cpi_in(price_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpi_is_100_in_2015_and_follows_inflation() {
        for c in &COUNTRIES {
            assert!((c.cpi_in(2015) - 100.0).abs() < 1e-9, "{}", c.code);
        }
        let ro = profile("RO").unwrap();
        // 2016 inflation -1.6 % (hand: 100 x 0.984 = 98.4).
        assert!((ro.cpi_in(2016) - 98.4).abs() < 1e-9);
        // 2014 index: 100 / (1 - 0.006) = 100.6036...
        assert!((ro.cpi_in(2014) - 100.0 / 0.994).abs() < 1e-9);
        // After 2025: 3 % a year.
        assert!((ro.cpi_in(2027) / ro.cpi_in(2025) - 1.03 * 1.03).abs() < 1e-12);
    }

    #[test]
    fn local_nominal_round_trips_through_the_engines_conversion() {
        let am = profile("AM").unwrap();
        let local = am.local_nominal(500.0, 2018, 2024);
        let back = local / am.per_eur_in(2018) * am.cpi_in(2024) / am.cpi_in(2018);
        assert!((back - 500.0).abs() < 1e-9);
        // In the price year itself it is a plain exchange: 500 x 423 AMD.
        assert!((am.local_nominal(500.0, 2024, 2024) - 211_500.0).abs() < 1e-6);
    }

    #[test]
    fn armenia_and_romania_costs_are_the_published_ones() {
        // UNICEF 2010: US$3,800 x 373 x 1.245 = 1,764,663 AMD.
        assert!((profile("AM").unwrap().residential_2015_local - 1_764_663.0).abs() < 1.0);
        assert_eq!(profile("RO").unwrap().residential_2015_local, 28_847.0);
        assert!((profile("AM").unwrap().foster_share_of_residential - 0.7368).abs() < 1e-4);
        assert_eq!(known_codes(), vec!["AL", "AM", "BA", "KG", "MK", "RO"]);
        assert!(profile("XX").is_none());
    }
}
