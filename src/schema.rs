//! The input contract (`docs/data.md`) as data.
//!
//! The reader, the validator and the generator all take table and column names,
//! types, nullability and allowed enum values from here, so the three can never
//! disagree about what a valid dataset is.

/// The eight well-being domains rated by follow-up studies, in report order.
pub const DOMAINS: [&str; 8] = [
    "care",
    "food_security",
    "shelter",
    "physical_health",
    "education_skills",
    "livelihood",
    "protection_social_inclusion",
    "social_emotional",
];

pub const ARMS: &[&str] = &["programme", "comparison"];
pub const HOUSEHOLD_TYPES: &[&str] = &[
    "two_parent",
    "single_parent",
    "kinship",
    "child_headed",
    "other",
];
pub const RISK_LEVELS: &[&str] = &["low", "medium", "high", "acute"];
pub const REFERRAL_SOURCES: &[&str] = &[
    "self",
    "authority",
    "school",
    "health",
    "community",
    "other",
];
pub const SEXES: &[&str] = &["female", "male", "unknown"];
pub const SERVICE_MODELS: &[&str] = &[
    "parenting_support",
    "family_counselling",
    "income_generation",
    "disability_support",
    "shelter",
    "mother_baby_unit",
    "reintegration",
    "holistic",
];
pub const PREVENTION_LEVELS: &[&str] = &["secondary", "tertiary"];
pub const EXIT_REASONS: &[&str] = &[
    "goals_achieved",
    "moved_away",
    "declined",
    "transferred",
    "child_placed",
    "other",
];
pub const SERVICE_TYPES: &[&str] = &[
    "case_management",
    "home_visit",
    "parenting_programme",
    "psychological_support",
    "family_mediation",
    "legal_support",
    "education_support",
    "health_referral",
    "material_support",
    "cash_transfer",
    "income_generation_grant",
    "vocational_training",
    "housing_support",
    "respite_care",
    "shelter_stay",
    "day_care",
    "other",
];
pub const COST_CATEGORIES: &[&str] = &[
    "staff",
    "premises",
    "transport",
    "training",
    "overhead",
    "volunteer_time",
    "other",
];
pub const PHASES: &[&str] = &["intake", "review", "exit", "follow_up"];
/// Phases of an income observation: the assessment phases (same codes) plus
/// `pre_intake`, an income recorded before the family's intake (for pre-intake trends).
pub const INCOME_PHASES: &[&str] = &["intake", "review", "exit", "follow_up", "pre_intake"];
pub const CONTACT_RESULTS: &[&str] = &[
    "assessed",
    "not_reached",
    "refused",
    "moved_abroad",
    "deceased",
];
pub const CARE_EVENTS: &[&str] = &["placement", "return_home", "care_change"];
pub const CARE_TYPES: &[&str] = &[
    "residential",
    "foster",
    "formal_kinship",
    "guardianship",
    "supported_living",
    "other",
];

/// Logical type of a column as the contract states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Pseudonymous identifier (utf8, large_utf8 or a dictionary of those).
    Id,
    /// Free text code such as a country or currency.
    Text,
    /// One of a closed list of values.
    Enum(&'static [&'static str]),
    /// Free text where values outside the canonical list are allowed (assessment domains).
    OpenEnum(&'static [&'static str]),
    Bool,
    Int,
    Float,
    /// float64 or decimal amount of money.
    Money,
    /// date32, date64 or timestamp; the date part is used.
    Date,
}

/// One column of the contract.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// False when the contract allows nulls.
    pub required: bool,
}

/// One table of the contract.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    /// Required tables must be present for a dataset to be usable.
    pub required: bool,
    /// True for the study inputs under `reference/`.
    pub reference: bool,
    pub columns: &'static [Column],
}

impl Table {
    /// The column of this name, if the contract has one.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: true,
    }
}
const fn opt(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: false,
    }
}

pub const FAMILIES: Table = Table {
    name: "families",
    required: true,
    reference: false,
    columns: &[
        col("family_id", Kind::Id),
        col("programme_id", Kind::Text),
        col("country", Kind::Text),
        col("arm", Kind::Enum(ARMS)),
        col("household_type", Kind::Enum(HOUSEHOLD_TYPES)),
        col("children_count", Kind::Int),
        col("risk_level", Kind::Enum(RISK_LEVELS)),
        col("referral_source", Kind::Enum(REFERRAL_SOURCES)),
        opt("minority", Kind::Bool),
        opt("disability", Kind::Bool),
    ],
};

pub const CHILDREN: Table = Table {
    name: "children",
    required: false,
    reference: false,
    columns: &[
        col("child_id", Kind::Id),
        col("family_id", Kind::Id),
        col("birth_date", Kind::Date),
        col("sex", Kind::Enum(SEXES)),
        opt("disability", Kind::Bool),
        col("in_care_at_intake", Kind::Bool),
    ],
};

pub const EPISODES: Table = Table {
    name: "episodes",
    required: true,
    reference: false,
    columns: &[
        col("episode_id", Kind::Id),
        col("family_id", Kind::Id),
        col("service_model", Kind::Enum(SERVICE_MODELS)),
        col("prevention_level", Kind::Enum(PREVENTION_LEVELS)),
        col("intake_date", Kind::Date),
        opt("exit_date", Kind::Date),
        opt("exit_reason", Kind::Enum(EXIT_REASONS)),
        opt("self_reliant_at_exit", Kind::Bool),
    ],
};

pub const SERVICES: Table = Table {
    name: "services",
    required: false,
    reference: false,
    columns: &[
        col("service_id", Kind::Id),
        col("episode_id", Kind::Id),
        col("service_type", Kind::Enum(SERVICE_TYPES)),
        col("start_date", Kind::Date),
        opt("end_date", Kind::Date),
        col("units", Kind::Float),
        col("cost", Kind::Money),
        col("currency", Kind::Text),
    ],
};

pub const PROGRAMME_COSTS: Table = Table {
    name: "programme_costs",
    required: false,
    reference: false,
    columns: &[
        col("programme_id", Kind::Text),
        col("period_start", Kind::Date),
        col("period_end", Kind::Date),
        col("category", Kind::Enum(COST_CATEGORIES)),
        col("amount", Kind::Money),
        col("currency", Kind::Text),
        col("in_kind", Kind::Bool),
    ],
};

pub const ASSESSMENTS: Table = Table {
    name: "assessments",
    required: true,
    reference: false,
    columns: &[
        col("assessment_id", Kind::Id),
        col("family_id", Kind::Id),
        col("assessment_date", Kind::Date),
        col("phase", Kind::Enum(PHASES)),
        col("domain", Kind::OpenEnum(&DOMAINS)),
        col("score", Kind::Int),
    ],
};

pub const FOLLOWUP_CONTACTS: Table = Table {
    name: "followup_contacts",
    required: false,
    reference: false,
    columns: &[
        col("family_id", Kind::Id),
        col("contact_date", Kind::Date),
        col("result", Kind::Enum(CONTACT_RESULTS)),
    ],
};

pub const CARE_EVENTS_TABLE: Table = Table {
    name: "care_events",
    required: false,
    reference: false,
    columns: &[
        col("child_id", Kind::Id),
        col("event_date", Kind::Date),
        col("event", Kind::Enum(CARE_EVENTS)),
        opt("care_type", Kind::Enum(CARE_TYPES)),
    ],
};

pub const INCOME: Table = Table {
    name: "income",
    required: false,
    reference: false,
    columns: &[
        col("family_id", Kind::Id),
        col("observed_date", Kind::Date),
        col("phase", Kind::Enum(INCOME_PHASES)),
        col("monthly_income", Kind::Money),
        col("currency", Kind::Text),
    ],
};

pub const CARE_COSTS: Table = Table {
    name: "care_costs",
    required: false,
    reference: true,
    columns: &[
        col("country", Kind::Text),
        col("care_type", Kind::Enum(CARE_TYPES)),
        col("year", Kind::Int),
        col("cost_per_child_year", Kind::Money),
        col("currency", Kind::Text),
    ],
};

pub const EXCHANGE_RATES: Table = Table {
    name: "exchange_rates",
    required: false,
    reference: true,
    columns: &[
        col("currency", Kind::Text),
        col("year", Kind::Int),
        col("per_reporting_unit", Kind::Float),
    ],
};

pub const PRICE_INDEX: Table = Table {
    name: "price_index",
    required: false,
    reference: true,
    columns: &[
        col("country", Kind::Text),
        col("year", Kind::Int),
        col("index", Kind::Float),
    ],
};

/// Every table of the contract, case tables first, in the order they are read.
pub const TABLES: [&Table; 12] = [
    &FAMILIES,
    &CHILDREN,
    &EPISODES,
    &SERVICES,
    &PROGRAMME_COSTS,
    &ASSESSMENTS,
    &FOLLOWUP_CONTACTS,
    &CARE_EVENTS_TABLE,
    &INCOME,
    &CARE_COSTS,
    &EXCHANGE_RATES,
    &PRICE_INDEX,
];

/// Position of `value` in an enum's list, as the compact code used on hot paths.
pub fn code_of(values: &[&str], value: &str) -> Option<u8> {
    values.iter().position(|v| *v == value).map(|p| p as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_name_is_unique_and_columns_are_snake_case() {
        let mut names: Vec<_> = TABLES.iter().map(|t| t.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), TABLES.len());
        for t in TABLES {
            for c in t.columns {
                assert!(
                    c.name
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit()),
                    "{}",
                    c.name
                );
            }
        }
    }

    #[test]
    fn codes_follow_list_order() {
        assert_eq!(code_of(ARMS, "comparison"), Some(1));
        assert_eq!(code_of(RISK_LEVELS, "acute"), Some(3));
        assert_eq!(code_of(RISK_LEVELS, "extreme"), None);
        assert_eq!(FAMILIES.column("arm").unwrap().kind, Kind::Enum(ARMS));
        // Income shares the assessment phases' codes and adds `pre_intake` after them.
        assert_eq!(&INCOME_PHASES[..PHASES.len()], PHASES);
        assert_eq!(code_of(INCOME_PHASES, "pre_intake"), Some(4));
    }
}
