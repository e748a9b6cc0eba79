//! What validation found: every problem with its rule, place and remedy.
//!
//! Validation collects *all* problems rather than stopping at the first, so a data
//! manager can fix a file in one pass. Each rule has a fixed severity: a [`Severity::Fatal`]
//! problem makes the dataset unusable (exit code 1); a [`Severity::SetAside`] problem
//! removes the offending rows, which are then counted by reason in `quality.json`.
//! Row-level rules can fire millions of times on a broken export, so only the first
//! [`DETAIL_LIMIT`] occurrences per table and rule keep their details; every occurrence
//! is still counted.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// Occurrences of one rule in one table listed with full detail; the rest are counted.
pub const DETAIL_LIMIT: usize = 20;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The dataset cannot be analysed until this is fixed.
    Fatal,
    /// The row is left out of the analysis and counted.
    SetAside,
    /// Analysis goes on; the user should know.
    Warning,
}

/// The validation rules, each with a stable snake_case code used in `quality.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    MissingDatasetToml,
    BadDatasetToml,
    MissingTable,
    EmptyTable,
    UnreadableFile,
    MissingColumn,
    WrongType,
    MixedSchemas,
    NullRequired,
    UnknownEnum,
    DuplicateId,
    DanglingReference,
    ParentSetAside,
    ExitBeforeIntake,
    EndBeforeStart,
    DateAfterCutoff,
    ImplausibleDate,
    NegativeOrNonFinite,
    ScoreOutOfRange,
    MissingCareType,
    CareHistoryContradictory,
    NoExchangeRate,
    NoPriceIndex,
    UnknownColumn,
    /// A text value longer than [`crate::ingest::MAX_VALUE_BYTES`] (set aside).
    ValueTooLong,
    /// A file whose size claims (rows, page sizes) exceed what can be read safely (fatal).
    TooLarge,
    /// An amount in real terms that is not finite or beyond the plausibility bound, or
    /// a rate or index outside its range (set aside).
    ImplausibleAmount,
    /// An amount far above its country's median (warning; kept).
    ExtremeAmount,
}

impl Rule {
    /// Stable code, as in `quality.json`.
    pub fn code(self) -> &'static str {
        match self {
            Rule::MissingDatasetToml => "missing_dataset_toml",
            Rule::BadDatasetToml => "bad_dataset_toml",
            Rule::MissingTable => "missing_table",
            Rule::EmptyTable => "empty_table",
            Rule::UnreadableFile => "unreadable_file",
            Rule::MissingColumn => "missing_column",
            Rule::WrongType => "wrong_type",
            Rule::MixedSchemas => "mixed_schemas",
            Rule::NullRequired => "null_required",
            Rule::UnknownEnum => "unknown_enum",
            Rule::DuplicateId => "duplicate_id",
            Rule::DanglingReference => "dangling_reference",
            Rule::ParentSetAside => "parent_set_aside",
            Rule::ExitBeforeIntake => "exit_before_intake",
            Rule::EndBeforeStart => "end_before_start",
            Rule::DateAfterCutoff => "date_after_cutoff",
            Rule::ImplausibleDate => "implausible_date",
            Rule::NegativeOrNonFinite => "negative_or_non_finite",
            Rule::ScoreOutOfRange => "score_out_of_range",
            Rule::MissingCareType => "missing_care_type",
            Rule::CareHistoryContradictory => "care_history_contradictory",
            Rule::NoExchangeRate => "no_exchange_rate",
            Rule::NoPriceIndex => "no_price_index",
            Rule::UnknownColumn => "unknown_column",
            Rule::ValueTooLong => "value_too_long",
            Rule::TooLarge => "too_large",
            Rule::ImplausibleAmount => "implausible_amount",
            Rule::ExtremeAmount => "extreme_amount",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One problem, located as precisely as the rule allows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub rule: Rule,
    pub table: String,
    /// File path relative to the dataset folder.
    pub file: Option<String>,
    pub column: Option<String>,
    /// 1-based row within `file`.
    pub row: Option<u64>,
    /// The row's own id, where it has one (shown to the user, never written to outputs).
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Problem {
    pub fn new(
        severity: Severity,
        rule: Rule,
        table: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem {
            severity,
            rule,
            table: table.to_string(),
            file: None,
            column: None,
            row: None,
            id: None,
            message: message.into(),
            fix: fix.into(),
        }
    }
    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
    pub fn row(mut self, row: u64) -> Self {
        self.row = Some(row);
        self
    }
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Fatal => "error",
            Severity::SetAside => "set aside",
            Severity::Warning => "warning",
        };
        write!(f, "{sev} [{}] {}", self.rule, self.table)?;
        if let Some(file) = &self.file {
            write!(f, " {file}")?;
        }
        if let Some(row) = self.row {
            write!(f, " row {row}")?;
        }
        if let Some(col) = &self.column {
            write!(f, " column {col}")?;
        }
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.fix.is_empty() {
            write!(f, " Fix: {}", self.fix)?;
        }
        Ok(())
    }
}

/// Problems of one run, with full detail for the first occurrences of each rule per table
/// and a count of every occurrence.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    detailed: Vec<Problem>,
    counts: BTreeMap<(String, Rule), (Severity, u64)>,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        let entry = self
            .counts
            .entry((p.table.clone(), p.rule))
            .or_insert((p.severity, 0));
        entry.1 += 1;
        if entry.1 as usize <= DETAIL_LIMIT {
            self.detailed.push(p);
        }
    }

    pub fn extend(&mut self, other: Problems) {
        for p in other.detailed {
            self.push(p);
        }
        for ((table, rule), (sev, n)) in other.counts {
            let kept = n.min(DETAIL_LIMIT as u64);
            // `push` above already counted the detailed ones; add the rest.
            let entry = self.counts.entry((table, rule)).or_insert((sev, 0));
            entry.1 += n - kept;
        }
    }

    /// True when any problem makes the dataset unusable.
    pub fn has_fatal(&self) -> bool {
        self.counts.values().any(|(s, _)| *s == Severity::Fatal)
    }

    /// The problems kept with detail, fatal first, in the order found.
    pub fn detailed(&self) -> Vec<&Problem> {
        let mut v: Vec<&Problem> = self.detailed.iter().collect();
        v.sort_by_key(|p| p.severity);
        v
    }

    /// Occurrences per (table, rule), including those not kept in detail.
    pub fn counts(&self) -> impl Iterator<Item = (&str, Rule, Severity, u64)> {
        self.counts
            .iter()
            .map(|((t, r), (s, n))| (t.as_str(), *r, *s, *n))
    }

    /// Occurrences beyond the detail limit, per (table, rule).
    pub fn not_detailed(&self) -> impl Iterator<Item = (&str, Rule, u64)> {
        self.counts
            .iter()
            .filter(|(_, (_, n))| *n as usize > DETAIL_LIMIT)
            .map(|((t, r), (_, n))| (t.as_str(), *r, *n - DETAIL_LIMIT as u64))
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_occurrence_but_details_only_the_first() {
        let mut a = Problems::default();
        for i in 0..25 {
            a.push(
                Problem::new(
                    Severity::SetAside,
                    Rule::ScoreOutOfRange,
                    "assessments",
                    "score 7",
                    "use 1..4",
                )
                .row(i),
            );
        }
        let mut b = Problems::default();
        for i in 0..30 {
            b.push(
                Problem::new(
                    Severity::SetAside,
                    Rule::ScoreOutOfRange,
                    "assessments",
                    "score 9",
                    "use 1..4",
                )
                .row(i),
            );
        }
        a.extend(b);
        let c: Vec<_> = a.counts().collect();
        assert_eq!(
            c,
            vec![("assessments", Rule::ScoreOutOfRange, Severity::SetAside, 55)]
        );
        assert_eq!(a.detailed().len(), DETAIL_LIMIT);
        assert!(!a.has_fatal());
        assert_eq!(
            a.not_detailed().next(),
            Some(("assessments", Rule::ScoreOutOfRange, 35))
        );
    }

    #[test]
    fn display_names_every_location() {
        let p = Problem::new(
            Severity::Fatal,
            Rule::WrongType,
            "families",
            "is utf8, expected an integer",
            "write it as int64",
        )
        .file("families.parquet")
        .column("children_count")
        .row(3);
        assert_eq!(
            p.to_string(),
            "error [wrong_type] families families.parquet row 3 column children_count: is utf8, expected an integer Fix: write it as int64"
        );
    }
}
