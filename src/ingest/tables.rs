//! The typed, columnar tables the analysis stages work on.
//!
//! Rows are stored column by column. Families, children and episodes are addressed by
//! their position (`u32`); other tables refer to them by that position instead of by
//! string id, so joins downstream are array lookups. Closed enums are `u8` codes in the
//! order of the lists in [`crate::schema`]; open vocabularies (countries, programmes,
//! currencies, domains) are `u32` codes into the table's `Vec<String>`.
//! Ids are kept only where later checks or messages need them; no output ever shows them.

pub use super::ids::Ids;
use crate::dates::Day;

/// One row per household.
#[derive(Debug, Default, Clone)]
pub struct Families {
    pub ids: Ids,
    pub programme: Vec<u32>,
    pub programmes: Vec<String>,
    pub country: Vec<u32>,
    pub countries: Vec<String>,
    pub arm: Vec<u8>,
    pub household_type: Vec<u8>,
    pub children_count: Vec<u32>,
    pub risk_level: Vec<u8>,
    pub referral_source: Vec<u8>,
    pub minority: Vec<Option<bool>>,
    pub disability: Vec<Option<bool>>,
    /// Baseline columns beyond the contract (numeric, boolean or text), candidates for
    /// the propensity model's covariates (docs/data.md, "Extra baseline columns").
    pub extra: ExtraColumns,
}

/// The kind of an extra baseline column, from its Parquet type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtraKind {
    /// Integers, floats and decimals, as `f64`.
    Number,
    /// Booleans.
    Flag,
    /// Strings: a categorical covariate.
    Category,
}

/// The values of an extra baseline column, one per family row (`None` = null).
#[derive(Debug, Clone, PartialEq)]
pub enum ExtraValues {
    Number(Vec<Option<f64>>),
    Flag(Vec<Option<bool>>),
    Category(Vec<Option<String>>),
}

impl ExtraValues {
    /// An empty column of `kind`.
    pub fn new(kind: ExtraKind) -> Self {
        match kind {
            ExtraKind::Number => ExtraValues::Number(Vec::new()),
            ExtraKind::Flag => ExtraValues::Flag(Vec::new()),
            ExtraKind::Category => ExtraValues::Category(Vec::new()),
        }
    }

    pub fn kind(&self) -> ExtraKind {
        match self {
            ExtraValues::Number(_) => ExtraKind::Number,
            ExtraValues::Flag(_) => ExtraKind::Flag,
            ExtraValues::Category(_) => ExtraKind::Category,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            ExtraValues::Number(v) => v.len(),
            ExtraValues::Flag(v) => v.len(),
            ExtraValues::Category(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One extra baseline column of `families`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraColumn {
    pub name: String,
    pub values: ExtraValues,
}

/// The extra baseline columns of `families`, in the order of the file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ExtraColumns(pub Vec<ExtraColumn>);

impl ExtraColumns {
    /// The column of this name.
    pub fn get(&self, name: &str) -> Option<&ExtraColumn> {
        self.0.iter().find(|c| c.name == name)
    }

    /// Names of the columns.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|c| c.name.as_str()).collect()
    }
}

impl Families {
    pub fn len(&self) -> usize {
        self.arm.len()
    }
    pub fn is_empty(&self) -> bool {
        self.arm.is_empty()
    }
}

/// One row per child.
#[derive(Debug, Default, Clone)]
pub struct Children {
    pub ids: Ids,
    pub family: Vec<u32>,
    pub birth_date: Vec<Day>,
    pub sex: Vec<u8>,
    pub disability: Vec<Option<bool>>,
    pub in_care_at_intake: Vec<bool>,
    /// False when the child's care events were set aside as contradictory: the child is
    /// then left out of survival analysis rather than counted as never placed.
    pub care_history_valid: Vec<bool>,
}

impl Children {
    pub fn len(&self) -> usize {
        self.family.len()
    }
    pub fn is_empty(&self) -> bool {
        self.family.is_empty()
    }
}

/// One row per programme participation.
#[derive(Debug, Default, Clone)]
pub struct Episodes {
    pub ids: Ids,
    pub family: Vec<u32>,
    pub service_model: Vec<u8>,
    pub prevention_level: Vec<u8>,
    pub intake: Vec<Day>,
    pub exit: Vec<Option<Day>>,
    pub exit_reason: Vec<Option<u8>>,
    pub self_reliant: Vec<Option<bool>>,
}

impl Episodes {
    pub fn len(&self) -> usize {
        self.family.len()
    }
    pub fn is_empty(&self) -> bool {
        self.family.is_empty()
    }
}

/// One row per service delivered.
#[derive(Debug, Default, Clone)]
pub struct Services {
    pub episode: Vec<u32>,
    pub service_type: Vec<u8>,
    pub start: Vec<Day>,
    pub end: Vec<Option<Day>>,
    pub units: Vec<f64>,
    pub cost: Vec<f64>,
    pub currency: Vec<u32>,
    pub currencies: Vec<String>,
    /// `cost` in the reporting currency at `price_year` prices (docs/method.md section 1).
    pub cost_real: Vec<f64>,
}

impl Services {
    pub fn len(&self) -> usize {
        self.episode.len()
    }
    pub fn is_empty(&self) -> bool {
        self.episode.is_empty()
    }
}

/// Costs not attributed to one family.
#[derive(Debug, Default, Clone)]
pub struct ProgrammeCosts {
    /// Code into [`Families::programmes`].
    pub programme: Vec<u32>,
    pub period_start: Vec<Day>,
    pub period_end: Vec<Day>,
    pub category: Vec<u8>,
    pub amount: Vec<f64>,
    pub currency: Vec<u32>,
    pub currencies: Vec<String>,
    pub in_kind: Vec<bool>,
    /// `amount` in the reporting currency at `price_year` prices.
    pub amount_real: Vec<f64>,
}

impl ProgrammeCosts {
    pub fn len(&self) -> usize {
        self.programme.len()
    }
    pub fn is_empty(&self) -> bool {
        self.programme.is_empty()
    }
}

/// Well-being scores, long format: one row per family x sitting x domain.
#[derive(Debug, Default, Clone)]
pub struct Assessments {
    pub family: Vec<u32>,
    pub date: Vec<Day>,
    pub phase: Vec<u8>,
    /// Code into `domains`; the eight contract domains are codes 0..8 in schema order.
    pub domain: Vec<u32>,
    pub domains: Vec<String>,
    pub score: Vec<u8>,
}

impl Assessments {
    pub fn len(&self) -> usize {
        self.family.len()
    }
    pub fn is_empty(&self) -> bool {
        self.family.is_empty()
    }
}

/// Attempts to reach former participants.
#[derive(Debug, Default, Clone)]
pub struct FollowupContacts {
    pub family: Vec<u32>,
    pub date: Vec<Day>,
    pub result: Vec<u8>,
}

impl FollowupContacts {
    pub fn len(&self) -> usize {
        self.family.len()
    }
    pub fn is_empty(&self) -> bool {
        self.family.is_empty()
    }
}

/// Changes in a child's care, sorted by child then date after loading.
#[derive(Debug, Default, Clone)]
pub struct CareEvents {
    pub child: Vec<u32>,
    pub date: Vec<Day>,
    pub event: Vec<u8>,
    pub care_type: Vec<Option<u8>>,
}

impl CareEvents {
    pub fn len(&self) -> usize {
        self.child.len()
    }
    pub fn is_empty(&self) -> bool {
        self.child.is_empty()
    }
}

/// Household income observations.
#[derive(Debug, Default, Clone)]
pub struct Income {
    pub family: Vec<u32>,
    pub date: Vec<Day>,
    pub phase: Vec<u8>,
    pub monthly: Vec<f64>,
    pub currency: Vec<u32>,
    pub currencies: Vec<String>,
    /// `monthly` in the reporting currency at `price_year` prices.
    pub monthly_real: Vec<f64>,
}

impl Income {
    pub fn len(&self) -> usize {
        self.family.len()
    }
    pub fn is_empty(&self) -> bool {
        self.family.is_empty()
    }
}

/// Public cost of a child-year in alternative care.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CareCost {
    pub country: String,
    pub care_type: u8,
    pub year: i32,
    pub cost_per_child_year: f64,
    pub currency: String,
    /// `cost_per_child_year` in the reporting currency at `price_year` prices.
    pub cost_real: f64,
}
