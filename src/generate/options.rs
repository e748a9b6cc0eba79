//! What a generation run is asked for, checked once before any work starts.
//!
//! [`GenerateOptions`] is a plain value with `with_*` setters; [`GenerateOptions::check`]
//! validates it into a [`Plan`] that the simulation and the writers trust without
//! re-checking (countries resolved to profiles, programme list fixed, intake range set).

use std::path::PathBuf;

use super::calibration::INTAKE_YEARS;
use super::country::{self, CountryProfile};
use super::GenerateError;
use crate::dates::{self, Day};

/// Families simulated per chunk. Chunk `c` draws from `rng_for(seed, Generate, c)` and
/// `rng_for(seed, GenerateResponse, c)`, so the data depend on the seed and this constant,
/// never on the thread count.
pub const CHUNK_FAMILIES: u64 = 1024;
/// Upper limit on families in one run (ids have at least seven digits; beyond that they
/// simply grow longer, but such a run would take many hours).
pub const MAX_FAMILIES: u64 = 50_000_000;
/// Default rows per Parquet row group.
pub const DEFAULT_ROW_GROUP_SIZE: usize = 128 * 1024;
/// Default rows per part file before a table rolls over to the next `part-NNNNN.parquet`.
pub const DEFAULT_ROWS_PER_FILE: u64 = 64 * 128 * 1024;

/// How families come to be in the programme or the comparison arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Comparison {
    /// A coin toss with probability `PROGRAMME_ARM_SHARE`, as in a randomised study: the
    /// arms differ only by chance. The default, and what every dataset written before the
    /// option existed used.
    #[default]
    Random,
    /// The programme enrols the families in most need; the comparison arm is a waiting
    /// list or a neighbouring district of less needy families. Membership depends only on
    /// intake covariates written to the data (`selection`), so an unadjusted contrast is
    /// biased and adjusting for those covariates removes the bias. Incomes also grow at a
    /// rate that depends on the risk level, and two pre-intake incomes are written.
    Confounded,
}

impl Comparison {
    /// The mode's name, as the CLI flag and `truth.json` spell it.
    pub fn label(self) -> &'static str {
        match self {
            Comparison::Random => "random",
            Comparison::Confounded => "confounded",
        }
    }
}

/// Options of one generation run.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Number of families (households) to simulate.
    pub families: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// ISO country codes to cover (built-in: AL, AM, BA, KG, MK, RO).
    pub countries: Vec<String>,
    /// Dataset folder to create or fill.
    pub out: PathBuf,
    /// Last day on which outcomes are observed (default 2025-12-31).
    pub data_cutoff: Day,
    /// Rows per Parquet row group.
    pub row_group_size: usize,
    /// Rows per part file of a case table.
    pub rows_per_file: u64,
    /// Observe every due follow-up (no non-response, no censoring contacts): the same
    /// families and scores as the default run, for testing non-response corrections.
    pub full_response: bool,
    /// Dataset name for `dataset.toml`; a descriptive default when `None`.
    pub name: Option<String>,
    /// How the arms are formed (default [`Comparison::Random`]).
    pub comparison: Comparison,
}

impl GenerateOptions {
    /// Options with the defaults: all built-in countries, cutoff 2025-12-31, 128k-row
    /// row groups, with non-response.
    pub fn new(families: u64, seed: u64, out: impl Into<PathBuf>) -> Self {
        GenerateOptions {
            families,
            seed,
            countries: country::known_codes()
                .into_iter()
                .map(String::from)
                .collect(),
            out: out.into(),
            data_cutoff: default_cutoff(),
            row_group_size: DEFAULT_ROW_GROUP_SIZE,
            rows_per_file: DEFAULT_ROWS_PER_FILE,
            full_response: false,
            name: None,
            comparison: Comparison::Random,
        }
    }

    /// Cover these countries (ISO codes, any case).
    pub fn with_countries<S: AsRef<str>>(mut self, codes: &[S]) -> Self {
        self.countries = codes
            .iter()
            .map(|c| c.as_ref().trim().to_ascii_uppercase())
            .collect();
        self
    }

    /// Set the data cutoff.
    pub fn with_data_cutoff(mut self, cutoff: Day) -> Self {
        self.data_cutoff = cutoff;
        self
    }

    /// Set rows per row group.
    pub fn with_row_group_size(mut self, rows: usize) -> Self {
        self.row_group_size = rows;
        self
    }

    /// Set rows per part file.
    pub fn with_rows_per_file(mut self, rows: u64) -> Self {
        self.rows_per_file = rows;
        self
    }

    /// Observe every due follow-up.
    pub fn with_full_response(mut self, full: bool) -> Self {
        self.full_response = full;
        self
    }

    /// Form the arms at random or by need ([`Comparison`]).
    pub fn with_comparison(mut self, comparison: Comparison) -> Self {
        self.comparison = comparison;
        self
    }

    /// Name the dataset.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Validate into a [`Plan`].
    ///
    /// # Errors
    /// [`GenerateError::InvalidOption`] for a family count of 0 or above
    /// [`MAX_FAMILIES`], an empty or repeated country list, a cutoff outside
    /// 2016-01-01..=2040-12-31, or zero row-group / file sizes;
    /// [`GenerateError::UnknownCountry`] for a country without a built-in profile.
    pub fn check(&self) -> Result<Plan, GenerateError> {
        if self.families == 0 || self.families > MAX_FAMILIES {
            return Err(invalid(
                "families",
                self.families,
                format!("between 1 and {MAX_FAMILIES}"),
            ));
        }
        if self.countries.is_empty() {
            return Err(invalid(
                "countries",
                "(none)",
                "at least one country code, e.g. AL,RO".into(),
            ));
        }
        let mut countries: Vec<(usize, &'static CountryProfile)> = Vec::new();
        for code in &self.countries {
            let wanted = code.trim().to_ascii_uppercase();
            let Some(pos) = country::COUNTRIES.iter().position(|c| c.code == wanted) else {
                return Err(GenerateError::UnknownCountry {
                    code: code.clone(),
                    known: country::known_codes().join(", "),
                });
            };
            if countries.iter().any(|(p, _)| *p == pos) {
                return Err(invalid(
                    "countries",
                    self.countries.join(","),
                    format!("each country once; {wanted} is repeated"),
                ));
            }
            countries.push((pos, &country::COUNTRIES[pos]));
        }
        let earliest = dates::from_ymd(2016, 1, 1).unwrap_or(0);
        let latest = dates::from_ymd(2040, 12, 31).unwrap_or(0);
        if self.data_cutoff < earliest || self.data_cutoff > latest {
            return Err(invalid(
                "data_cutoff",
                dates::format(self.data_cutoff),
                "a date from 2016-01-01 to 2040-12-31 (intakes run from 2015)".into(),
            ));
        }
        if self.row_group_size == 0 {
            return Err(invalid("row_group_size", 0, "at least 1 row".into()));
        }
        if self.rows_per_file == 0 {
            return Err(invalid("rows_per_file", 0, "at least 1 row".into()));
        }
        let intake_first = dates::from_ymd(INTAKE_YEARS.0, 1, 1).unwrap_or(0);
        let intake_last = dates::from_ymd(INTAKE_YEARS.1, 12, 31)
            .unwrap_or(0)
            .min(self.data_cutoff - 30);
        let programmes = countries
            .iter()
            .flat_map(|(_, c)| c.programmes.iter().copied())
            .collect();
        // The name is what outputs show as the dataset's title, so it says what the data
        // is, not how it was made: families, seed and response mode are in the comment
        // at the top of dataset.toml.
        let name = self.name.clone().unwrap_or_else(|| {
            format!(
                "Synthetic family-strengthening programme ({})",
                countries
                    .iter()
                    .map(|(_, c)| c.code)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        Ok(Plan {
            families: self.families,
            seed: self.seed,
            countries,
            programmes,
            out: self.out.clone(),
            data_cutoff: self.data_cutoff,
            intake_first,
            intake_last,
            row_group_size: self.row_group_size,
            rows_per_file: self.rows_per_file,
            full_response: self.full_response,
            name,
            comparison: self.comparison,
        })
    }
}

/// 2025-12-31, the default data cutoff.
pub fn default_cutoff() -> Day {
    dates::from_ymd(2025, 12, 31).unwrap_or(20453)
}

fn invalid(option: &'static str, value: impl ToString, expected: String) -> GenerateError {
    GenerateError::InvalidOption {
        option,
        value: value.to_string(),
        expected,
    }
}

/// Checked options: what the simulation and writers work from.
#[derive(Debug, Clone)]
pub struct Plan {
    pub families: u64,
    pub seed: u64,
    /// Selected countries with their index in `country::COUNTRIES`.
    pub countries: Vec<(usize, &'static CountryProfile)>,
    /// Every programme id of the selected countries, in country order.
    pub programmes: Vec<&'static str>,
    pub out: PathBuf,
    pub data_cutoff: Day,
    /// First and last possible intake day.
    pub intake_first: Day,
    pub intake_last: Day,
    pub row_group_size: usize,
    pub rows_per_file: u64,
    pub full_response: bool,
    pub name: String,
    pub comparison: Comparison,
}

impl Plan {
    /// Number of chunks of [`CHUNK_FAMILIES`].
    pub fn chunks(&self) -> u64 {
        self.families.div_ceil(CHUNK_FAMILIES)
    }

    /// Whether families get pre-intake income observations (confounded mode only, so a
    /// random-mode dataset is byte for byte what it was before they existed).
    pub fn pre_intake_incomes(&self) -> bool {
        self.comparison == Comparison::Confounded
    }

    /// Index in [`Plan::programmes`] of a programme id.
    pub fn programme_index(&self, id: &str) -> usize {
        self.programmes.iter().position(|p| *p == id).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_check_and_plan_covers_every_programme() {
        let plan = GenerateOptions::new(2500, 1, "/tmp/x").check().unwrap();
        assert_eq!(plan.countries.len(), 6);
        assert_eq!(plan.programmes.len(), 16);
        assert_eq!(plan.chunks(), 3);
        assert_eq!(dates::format(plan.data_cutoff), "2025-12-31");
        assert_eq!(dates::format(plan.intake_last), "2024-12-31");
        assert_eq!(
            plan.name,
            "Synthetic family-strengthening programme (AL, AM, BA, KG, MK, RO)"
        );
    }

    #[test]
    fn bad_options_are_named() {
        let e = GenerateOptions::new(0, 1, "x").check().unwrap_err();
        assert!(e.to_string().contains("`families` = 0"), "{e}");
        let e = GenerateOptions::new(5, 1, "x")
            .with_countries(&["al", "ZZ"])
            .check()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown country `ZZ`: the generator knows AL, AM, BA, KG, MK, RO; pick from those"
        );
        let e = GenerateOptions::new(5, 1, "x")
            .with_countries(&["AL", "al"])
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("AL is repeated"), "{e}");
        let e = GenerateOptions::new(5, 1, "x")
            .with_data_cutoff(0)
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("1970-01-01"), "{e}");
        let plan = GenerateOptions::new(5, 1, "x")
            .with_countries(&[" ro "])
            .check()
            .unwrap();
        assert_eq!(
            plan.programmes,
            vec!["RO-BUC-FSP", "RO-CLJ-FSP", "RO-IAS-FSP"]
        );
    }
}
