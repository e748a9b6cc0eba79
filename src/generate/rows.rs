//! Generated rows of one chunk of families, before they become Arrow columns.
//!
//! Simulation and serialisation are kept apart: the simulation fills these plain structs
//! (enum values as their position in the `schema` lists, children and sittings numbered
//! within the chunk), tests compute calibration figures straight from them, and
//! `batch` turns them into record batches once the chunk's id offsets are known.

use super::truth::TruthSums;
use crate::dates::Day;

/// Positions in `schema` enum lists used by the simulation. A test checks each against
/// `schema::code_of`, so a reordered list cannot silently change the data.
pub mod code {
    pub const ARM_PROGRAMME: u8 = 0;
    pub const ARM_COMPARISON: u8 = 1;

    pub const RISK_HIGH: u8 = 2;
    pub const RISK_ACUTE: u8 = 3;

    pub const HOUSEHOLD_CHILD_HEADED: u8 = 3;

    pub const MODEL_DISABILITY_SUPPORT: u8 = 3;
    pub const MODEL_SHELTER: u8 = 4;
    pub const MODEL_MOTHER_BABY_UNIT: u8 = 5;
    pub const MODEL_REINTEGRATION: u8 = 6;

    pub const PREVENTION_SECONDARY: u8 = 0;
    pub const PREVENTION_TERTIARY: u8 = 1;

    pub const EXIT_GOALS_ACHIEVED: u8 = 0;
    pub const EXIT_MOVED_AWAY: u8 = 1;
    pub const EXIT_DECLINED: u8 = 2;
    pub const EXIT_TRANSFERRED: u8 = 3;
    pub const EXIT_CHILD_PLACED: u8 = 4;
    pub const EXIT_OTHER: u8 = 5;

    pub const PHASE_INTAKE: u8 = 0;
    pub const PHASE_REVIEW: u8 = 1;
    pub const PHASE_EXIT: u8 = 2;
    pub const PHASE_FOLLOW_UP: u8 = 3;
    /// Income only (`schema::INCOME_PHASES`).
    pub const PHASE_PRE_INTAKE: u8 = 4;

    pub const CONTACT_ASSESSED: u8 = 0;
    pub const CONTACT_NOT_REACHED: u8 = 1;
    pub const CONTACT_REFUSED: u8 = 2;
    pub const CONTACT_MOVED_ABROAD: u8 = 3;
    pub const CONTACT_DECEASED: u8 = 4;

    pub const EVENT_PLACEMENT: u8 = 0;
    pub const EVENT_RETURN_HOME: u8 = 1;
    pub const EVENT_CARE_CHANGE: u8 = 2;

    pub const CARE_RESIDENTIAL: u8 = 0;
    pub const CARE_SUPPORTED_LIVING: u8 = 4;

    pub const SERVICE_CASE_MANAGEMENT: u8 = 0;
    pub const SERVICE_HOME_VISIT: u8 = 1;
    pub const SERVICE_PARENTING_PROGRAMME: u8 = 2;
    pub const SERVICE_PSYCHOLOGICAL_SUPPORT: u8 = 3;
    pub const SERVICE_FAMILY_MEDIATION: u8 = 4;
    pub const SERVICE_LEGAL_SUPPORT: u8 = 5;
    pub const SERVICE_EDUCATION_SUPPORT: u8 = 6;
    pub const SERVICE_HEALTH_REFERRAL: u8 = 7;
    pub const SERVICE_MATERIAL_SUPPORT: u8 = 8;
    pub const SERVICE_CASH_TRANSFER: u8 = 9;
    pub const SERVICE_INCOME_GENERATION_GRANT: u8 = 10;
    pub const SERVICE_VOCATIONAL_TRAINING: u8 = 11;
    pub const SERVICE_HOUSING_SUPPORT: u8 = 12;
    pub const SERVICE_RESPITE_CARE: u8 = 13;
    pub const SERVICE_SHELTER_STAY: u8 = 14;
    pub const SERVICE_DAY_CARE: u8 = 15;
    pub const SERVICE_OTHER: u8 = 16;
}

/// One household (`families` table). `number` is the 1-based family number behind
/// `F0000001` and its episode `E0000001`.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyRow {
    pub number: u64,
    pub programme: &'static str,
    /// Index into `country::COUNTRIES`.
    pub country: usize,
    pub arm: u8,
    pub household: u8,
    pub children_count: i32,
    pub risk: u8,
    pub referral: u8,
    pub minority: Option<bool>,
    pub disability: Option<bool>,
}

/// One child (`children`); its id is numbered within the chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    pub family: u64,
    pub birth: Day,
    pub sex: u8,
    pub disability: Option<bool>,
    pub in_care_at_intake: bool,
}

/// The family's one episode (`episodes`).
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeRow {
    pub family: u64,
    pub model: u8,
    pub prevention: u8,
    pub intake: Day,
    pub exit: Option<Day>,
    pub exit_reason: Option<u8>,
    pub self_reliant: Option<bool>,
}

/// One delivered service (`services`), attached to the family's episode.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRow {
    pub family: u64,
    pub service_type: u8,
    pub start: Day,
    pub end: Option<Day>,
    pub units: f64,
    pub cost: f64,
    pub currency: &'static str,
}

/// One assessment sitting: eight domain scores sharing one assessment id.
#[derive(Debug, Clone, PartialEq)]
pub struct Sitting {
    pub family: u64,
    pub date: Day,
    pub phase: u8,
    /// Scores 1..=4 in `schema::DOMAINS` order.
    pub scores: [u8; 8],
}

/// One follow-up attempt (`followup_contacts`).
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRow {
    pub family: u64,
    pub date: Day,
    pub result: u8,
}

/// One change in a child's care (`care_events`); `child` indexes the chunk's children.
#[derive(Debug, Clone, PartialEq)]
pub struct CareEventRow {
    pub child: usize,
    pub date: Day,
    pub event: u8,
    pub care_type: Option<u8>,
}

/// One household income observation (`income`), nominal local currency.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeRow {
    pub family: u64,
    pub date: Day,
    pub phase: u8,
    pub monthly_income: f64,
    pub currency: &'static str,
}

/// Enrolment of programme-arm families, in days, per programme and calendar year: the
/// base on which programme-level costs are spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrolmentDays {
    /// Index into the run's programme list.
    pub programme: usize,
    pub year: i32,
    pub days: u64,
}

/// All rows of one chunk of families, in family order and, within a family, date order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chunk {
    pub families: Vec<FamilyRow>,
    pub children: Vec<ChildRow>,
    pub episodes: Vec<EpisodeRow>,
    pub services: Vec<ServiceRow>,
    pub sittings: Vec<Sitting>,
    pub contacts: Vec<ContactRow>,
    pub care_events: Vec<CareEventRow>,
    pub incomes: Vec<IncomeRow>,
    pub enrolment: Vec<EnrolmentDays>,
    /// The chunk's share of `truth.json`.
    pub truth: TruthSums,
}

#[cfg(test)]
mod tests {
    use super::code::*;
    use crate::schema::*;

    fn at(list: &[&str], name: &str) -> u8 {
        code_of(list, name).unwrap_or_else(|| panic!("{name} missing from schema list"))
    }

    #[test]
    fn codes_match_the_schema_lists() {
        assert_eq!(ARM_PROGRAMME, at(ARMS, "programme"));
        assert_eq!(ARM_COMPARISON, at(ARMS, "comparison"));
        assert_eq!(RISK_HIGH, at(RISK_LEVELS, "high"));
        assert_eq!(RISK_ACUTE, at(RISK_LEVELS, "acute"));
        assert_eq!(HOUSEHOLD_CHILD_HEADED, at(HOUSEHOLD_TYPES, "child_headed"));
        assert_eq!(
            MODEL_DISABILITY_SUPPORT,
            at(SERVICE_MODELS, "disability_support")
        );
        assert_eq!(MODEL_SHELTER, at(SERVICE_MODELS, "shelter"));
        assert_eq!(
            MODEL_MOTHER_BABY_UNIT,
            at(SERVICE_MODELS, "mother_baby_unit")
        );
        assert_eq!(MODEL_REINTEGRATION, at(SERVICE_MODELS, "reintegration"));
        assert_eq!(PREVENTION_SECONDARY, at(PREVENTION_LEVELS, "secondary"));
        assert_eq!(PREVENTION_TERTIARY, at(PREVENTION_LEVELS, "tertiary"));
        assert_eq!(EXIT_GOALS_ACHIEVED, at(EXIT_REASONS, "goals_achieved"));
        assert_eq!(EXIT_MOVED_AWAY, at(EXIT_REASONS, "moved_away"));
        assert_eq!(EXIT_DECLINED, at(EXIT_REASONS, "declined"));
        assert_eq!(EXIT_TRANSFERRED, at(EXIT_REASONS, "transferred"));
        assert_eq!(EXIT_CHILD_PLACED, at(EXIT_REASONS, "child_placed"));
        assert_eq!(EXIT_OTHER, at(EXIT_REASONS, "other"));
        assert_eq!(PHASE_INTAKE, at(PHASES, "intake"));
        assert_eq!(PHASE_REVIEW, at(PHASES, "review"));
        assert_eq!(PHASE_EXIT, at(PHASES, "exit"));
        assert_eq!(PHASE_FOLLOW_UP, at(PHASES, "follow_up"));
        for (c, name) in [
            (PHASE_INTAKE, "intake"),
            (PHASE_REVIEW, "review"),
            (PHASE_EXIT, "exit"),
            (PHASE_FOLLOW_UP, "follow_up"),
            (PHASE_PRE_INTAKE, "pre_intake"),
        ] {
            assert_eq!(c, at(INCOME_PHASES, name));
        }
        assert_eq!(CONTACT_ASSESSED, at(CONTACT_RESULTS, "assessed"));
        assert_eq!(CONTACT_NOT_REACHED, at(CONTACT_RESULTS, "not_reached"));
        assert_eq!(CONTACT_REFUSED, at(CONTACT_RESULTS, "refused"));
        assert_eq!(CONTACT_MOVED_ABROAD, at(CONTACT_RESULTS, "moved_abroad"));
        assert_eq!(CONTACT_DECEASED, at(CONTACT_RESULTS, "deceased"));
        assert_eq!(EVENT_PLACEMENT, at(CARE_EVENTS, "placement"));
        assert_eq!(EVENT_RETURN_HOME, at(CARE_EVENTS, "return_home"));
        assert_eq!(EVENT_CARE_CHANGE, at(CARE_EVENTS, "care_change"));
        assert_eq!(CARE_RESIDENTIAL, at(CARE_TYPES, "residential"));
        assert_eq!(CARE_SUPPORTED_LIVING, at(CARE_TYPES, "supported_living"));
        let services = [
            (SERVICE_CASE_MANAGEMENT, "case_management"),
            (SERVICE_HOME_VISIT, "home_visit"),
            (SERVICE_PARENTING_PROGRAMME, "parenting_programme"),
            (SERVICE_PSYCHOLOGICAL_SUPPORT, "psychological_support"),
            (SERVICE_FAMILY_MEDIATION, "family_mediation"),
            (SERVICE_LEGAL_SUPPORT, "legal_support"),
            (SERVICE_EDUCATION_SUPPORT, "education_support"),
            (SERVICE_HEALTH_REFERRAL, "health_referral"),
            (SERVICE_MATERIAL_SUPPORT, "material_support"),
            (SERVICE_CASH_TRANSFER, "cash_transfer"),
            (SERVICE_INCOME_GENERATION_GRANT, "income_generation_grant"),
            (SERVICE_VOCATIONAL_TRAINING, "vocational_training"),
            (SERVICE_HOUSING_SUPPORT, "housing_support"),
            (SERVICE_RESPITE_CARE, "respite_care"),
            (SERVICE_SHELTER_STAY, "shelter_stay"),
            (SERVICE_DAY_CARE, "day_care"),
            (SERVICE_OTHER, "other"),
        ];
        for (c, name) in services {
            assert_eq!(c, at(SERVICE_TYPES, name));
        }
    }
}
