//! Breakdowns: the `COL=value` groups each table is reported by.
//!
//! Each `--by` column is a separate breakdown of the cohort (not crossed with the others):
//! a family belongs to `all` and to one group per breakdown. Values are read from
//! `families` or from the family's index episode; a missing boolean or exit reason is the
//! group `unknown`, so the groups of a breakdown always add up to `all` (which secondary
//! suppression relies on). Every group is reported per arm (an `arm` column): `all` is
//! the whole cohort of that arm.

use crate::ingest::Dataset;
use crate::schema;

use super::options::BY_COLUMNS;

/// Where a breakdown column's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Country,
    Programme,
    Arm,
    Household,
    Risk,
    Referral,
    Minority,
    Disability,
    ServiceModel,
    Prevention,
    ExitReason,
}

const BOOL_VALUES: [&str; 3] = ["false", "true", "unknown"];

/// One breakdown column with its value labels.
#[derive(Debug, Clone)]
pub struct Breakdown {
    /// Column name, e.g. `country`.
    pub column: String,
    source: Source,
    /// Value labels; a family's code indexes this list.
    pub values: Vec<String>,
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Breakdown {
    /// The breakdown of `column` (one of [`BY_COLUMNS`]) in `ds`.
    pub fn new(column: &str, ds: &Dataset) -> Self {
        debug_assert!(BY_COLUMNS.contains(&column));
        let (source, values) = match column {
            "country" => (Source::Country, ds.families.countries.clone()),
            "programme_id" => (Source::Programme, ds.families.programmes.clone()),
            "arm" => (Source::Arm, owned(schema::ARMS)),
            "household_type" => (Source::Household, owned(schema::HOUSEHOLD_TYPES)),
            "risk_level" => (Source::Risk, owned(schema::RISK_LEVELS)),
            "referral_source" => (Source::Referral, owned(schema::REFERRAL_SOURCES)),
            "minority" => (Source::Minority, owned(&BOOL_VALUES)),
            "disability" => (Source::Disability, owned(&BOOL_VALUES)),
            "service_model" => (Source::ServiceModel, owned(schema::SERVICE_MODELS)),
            "prevention_level" => (Source::Prevention, owned(schema::PREVENTION_LEVELS)),
            _ => {
                let mut v = owned(schema::EXIT_REASONS);
                v.push("unknown".into());
                (Source::ExitReason, v)
            }
        };
        Self {
            column: column.to_string(),
            source,
            values,
        }
    }

    /// The value code of family `f` whose index episode is `episode`.
    pub fn code(&self, ds: &Dataset, f: usize, episode: usize) -> u32 {
        let fam = &ds.families;
        let ep = &ds.episodes;
        let b = |v: Option<bool>| match v {
            Some(false) => 0,
            Some(true) => 1,
            None => 2,
        };
        match self.source {
            Source::Country => fam.country[f],
            Source::Programme => fam.programme[f],
            Source::Arm => u32::from(fam.arm[f]),
            Source::Household => u32::from(fam.household_type[f]),
            Source::Risk => u32::from(fam.risk_level[f]),
            Source::Referral => u32::from(fam.referral_source[f]),
            Source::Minority => b(fam.minority[f]),
            Source::Disability => b(fam.disability[f]),
            Source::ServiceModel => u32::from(ep.service_model[episode]),
            Source::Prevention => u32::from(ep.prevention_level[episode]),
            Source::ExitReason => {
                ep.exit_reason[episode].map_or(schema::EXIT_REASONS.len() as u32, u32::from)
            }
        }
    }

    /// The group label `COL=value` of value code `code`.
    pub fn label(&self, code: u32) -> String {
        format!("{}={}", self.column, self.values[code as usize])
    }
}

/// The breakdowns of a run: the `--by` columns in order. (Every table is reported per
/// arm anyway, in its `arm` column.)
pub fn breakdowns(by: &[String], ds: &Dataset) -> Vec<Breakdown> {
    by.iter().map(|c| Breakdown::new(c, ds)).collect()
}

/// The breakdown column of a group label (`None` for `all`).
pub fn column_of(group: &str) -> Option<&str> {
    group.split_once('=').map(|(c, _)| c)
}

/// Sort key of a group label: `all` first, then the breakdowns in `--by` order (`arm`
/// added for survival last), values alphabetically.
pub fn group_order(label: &str, by: &[String]) -> (usize, String) {
    match label.split_once('=') {
        None => (0, String::new()),
        Some((col, value)) => (
            1 + by.iter().position(|b| b == col).unwrap_or(by.len()),
            value.to_string(),
        ),
    }
}

/// Sort key of an arm label: the schema's order (programme first).
pub fn arm_order(label: &str) -> usize {
    schema::ARMS
        .iter()
        .position(|a| *a == label)
        .unwrap_or(schema::ARMS.len())
}

/// Sort key of a domain label: the contract's domains in schema order, other domains
/// alphabetically, `overall` last.
pub fn domain_order(label: &str) -> (usize, String) {
    if label == "overall" {
        return (usize::MAX, String::new());
    }
    match schema::DOMAINS.iter().position(|d| *d == label) {
        Some(i) => (i, String::new()),
        None => (schema::DOMAINS.len(), label.to_string()),
    }
}
