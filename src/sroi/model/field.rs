//! The seven parameters of an impact-map outcome, their names and feasible ranges.
//!
//! Column names (`outcome_id.<field>`), the report's labels and the feasible range of
//! each field come from [`Field`], so a field is spelt and bounded in one place.

/// Longest outcome duration accepted, in years.
pub const MAX_DURATION: u32 = 200;

/// One of the seven parameters of an impact-map outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Quantity,
    Proxy,
    Duration,
    Deadweight,
    Displacement,
    Attribution,
    Dropoff,
}

impl Field {
    /// All fields in impact-map order.
    pub const ALL: [Field; 7] = [
        Field::Quantity,
        Field::Proxy,
        Field::Duration,
        Field::Deadweight,
        Field::Displacement,
        Field::Attribution,
        Field::Dropoff,
    ];

    /// The key in a model file and in column names (`outcome_id.<name>`).
    pub fn name(&self) -> &'static str {
        match self {
            Field::Quantity => "quantity",
            Field::Proxy => "proxy",
            Field::Duration => "duration",
            Field::Deadweight => "deadweight",
            Field::Displacement => "displacement",
            Field::Attribution => "attribution",
            Field::Dropoff => "dropoff",
        }
    }

    /// The field as readers see it (charts, report).
    pub fn label(&self) -> &'static str {
        match self {
            Field::Quantity => "Quantity",
            Field::Proxy => "Financial proxy",
            Field::Duration => "Duration",
            Field::Deadweight => "Deadweight",
            Field::Displacement => "Displacement",
            Field::Attribution => "Attribution",
            Field::Dropoff => "Drop-off",
        }
    }

    pub(super) fn from_name(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == s)
    }

    /// The share-type fields whose impact is linear in `(1 - x)`.
    pub fn is_reduction(&self) -> bool {
        matches!(
            self,
            Field::Deadweight | Field::Displacement | Field::Attribution
        )
    }

    /// The feasible range of the field's value.
    pub fn range(&self) -> (f64, f64) {
        match self {
            Field::Quantity => (0.0, f64::INFINITY),
            Field::Proxy => (f64::NEG_INFINITY, f64::INFINITY),
            Field::Duration => (1.0, MAX_DURATION as f64),
            Field::Deadweight | Field::Displacement | Field::Attribution | Field::Dropoff => {
                (0.0, 1.0)
            }
        }
    }
}
