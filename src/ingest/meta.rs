//! `dataset.toml`: the dataset's name, observation cut-off and money conventions.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dates::{self, Day};

/// Parsed and checked `dataset.toml`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetMeta {
    pub name: String,
    /// Last day on which outcomes were observed; censors follow-up.
    pub data_cutoff: Day,
    pub reporting_currency: String,
    pub price_year: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: String,
    data_cutoff: toml::value::Datetime,
    reporting_currency: String,
    price_year: i64,
}

/// Parse `dataset.toml` text. The error is a sentence naming the key and what to write.
pub fn parse(text: &str) -> Result<DatasetMeta, String> {
    let raw: Raw = toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))?;
    let date = raw
        .data_cutoff
        .date
        .ok_or_else(|| "data_cutoff must be a date such as 2025-12-31".to_string())?;
    let cutoff = dates::from_ymd(date.year as i32, date.month as u32, date.day as u32)
        .ok_or_else(|| format!("data_cutoff {date} is not a calendar date"))?;
    if raw.name.trim().is_empty() {
        return Err("name must not be empty".into());
    }
    let cur = raw.reporting_currency.trim();
    if cur.len() != 3 || !cur.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "reporting_currency {:?} must be an ISO 4217 code such as \"EUR\"",
            raw.reporting_currency
        ));
    }
    if !(1900..=2200).contains(&raw.price_year) {
        return Err(format!(
            "price_year {} must be a year between 1900 and 2200",
            raw.price_year
        ));
    }
    Ok(DatasetMeta {
        name: raw.name,
        data_cutoff: cutoff,
        reporting_currency: cur.to_string(),
        price_year: raw.price_year as i32,
    })
}

/// Read and parse `dataset.toml` in `dir`.
pub fn read(dir: &Path) -> Result<DatasetMeta, String> {
    let text = std::fs::read_to_string(dir.join("dataset.toml"))
        .map_err(|e| format!("cannot read dataset.toml: {e}"))?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_contract_example() {
        let m = parse(
            "name = \"Sample FSP, 3 countries\"\ndata_cutoff = 2025-12-31   # censors\nreporting_currency = \"EUR\"\nprice_year = 2024\n",
        )
        .unwrap();
        assert_eq!(m.name, "Sample FSP, 3 countries");
        assert_eq!(dates::format(m.data_cutoff), "2025-12-31");
        assert_eq!(m.price_year, 2024);
    }

    #[test]
    fn names_the_bad_key() {
        let e = parse("name = \"x\"\ndata_cutoff = 2025-12-31\nreporting_currency = \"euro\"\nprice_year = 2024\n").unwrap_err();
        assert!(e.contains("reporting_currency"), "{e}");
        let e = parse("name = \"x\"\ndata_cutoff = \"soon\"\nreporting_currency = \"EUR\"\nprice_year = 2024\n").unwrap_err();
        assert!(e.contains("data_cutoff"), "{e}");
        let e =
            parse("name = \"x\"\nreporting_currency = \"EUR\"\nprice_year = 2024\n").unwrap_err();
        assert!(e.contains("data_cutoff"), "{e}");
    }
}
