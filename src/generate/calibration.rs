//! The calibrated parameters of the synthetic-data model, in one place.
//!
//! Every number that shapes the generated programmes lives here, next to the published
//! figure it is tuned to (the table in `data/README.md` lists each target and its source), so a
//! reader can check a default against its source and a test can check the generated data
//! against the same target. Values that no source fixes are marked *assumed*.
//!
//! Calibration targets (tested in `generate::tests` on 3,000 families):
//! - ~90 % of programme families self-reliant at exit (SOS Albania FSP: 91 %);
//! - ~1 % of programme children placed in alternative care during the programme (SOS
//!   programme database PDB2, 2021: 1 % of supported children lost family care);
//! - ~80 % of former participants doing well in at least 6 of 8 domains at follow-up
//!   (SOS social impact assessments);
//! - 5-year cumulative placement after exit ~3-4 % (programme) vs ~10-15 % (comparison),
//!   per child (assumed contrast, in line with the 95 % "not referred back to care" of
//!   SOS Armenia's reintegration work and the 1 % figure above);
//! - total programme cost ~EUR 500 per family-year (SOS Latvia: EUR 110,101 for 129
//!   families over 2013-15).

/// Share of families in the programme arm (the rest form a comparison arm). Assumed.
pub const PROGRAMME_ARM_SHARE: f64 = 0.75;

// ---- Confounded comparison arm (`Comparison::Confounded`) ------------------------------
//
// Log-odds of programme membership, linear in covariates written to `families`: a
// programme that enrols the families in most need, compared with a waiting list or a
// neighbouring district of less needy families. All assumed, set so that (computed over
// the referral mix above, checked in `generate::tests::confounded`) the programme share
// stays at ~75 %, every propensity lies in ~0.46-0.95 (overlap: every kind of family
// appears in both arms) and the arms differ clearly: standardised mean difference ~0.65
// in the risk level (0-3), ~0.55 in the high/acute share.

/// Log-odds for a two-parent family with one child and neither flag, before the risk
/// shift.
pub const SELECTION_INTERCEPT: f64 = 1.15;
/// Log-odds shift by risk level (low, medium, high, acute): need drives enrolment.
pub const SELECTION_RISK: [f64; 4] = [-1.3, -0.3, 0.4, 0.7];
/// Log-odds shift by household type (`schema::HOUSEHOLD_TYPES` order).
pub const SELECTION_HOUSEHOLD: [f64; 5] = [0.0, 0.3, 0.1, 0.3, 0.1];
/// Log-odds shift for a recorded minority / disability flag (`true`; null counts as not).
pub const SELECTION_MINORITY: f64 = 0.2;
pub const SELECTION_DISABILITY: f64 = 0.2;
/// Log-odds shift per child beyond the first.
pub const SELECTION_PER_CHILD: f64 = 0.1;

/// Household types in `schema::HOUSEHOLD_TYPES` order. Assumed mix of referrals.
pub const HOUSEHOLD_WEIGHTS: [f64; 5] = [0.47, 0.33, 0.12, 0.02, 0.06];
/// Risk levels in `schema::RISK_LEVELS` order. Assumed mix of referrals.
pub const RISK_WEIGHTS: [f64; 4] = [0.22, 0.40, 0.28, 0.10];
/// Referral sources in `schema::REFERRAL_SOURCES` order. Assumed.
pub const REFERRAL_WEIGHTS: [f64; 6] = [0.15, 0.35, 0.15, 0.10, 0.20, 0.05];
/// Children at intake, 1..=5. Assumed.
pub const CHILDREN_WEIGHTS: [f64; 5] = [0.30, 0.32, 0.21, 0.11, 0.06];
/// Households with a member with a disability. Assumed.
pub const DISABILITY_SHARE: f64 = 0.12;
/// Share of families whose minority / disability flag is not recorded (null).
pub const FLAG_MISSING_SHARE: f64 = 0.03;

/// Service models in `schema::SERVICE_MODELS` order, for low/medium-risk families.
pub const MODEL_WEIGHTS_LOWER_RISK: [f64; 8] = [0.30, 0.22, 0.17, 0.0, 0.02, 0.03, 0.04, 0.22];
/// Service models for high/acute-risk families: more holistic and tertiary work.
pub const MODEL_WEIGHTS_HIGHER_RISK: [f64; 8] = [0.15, 0.13, 0.12, 0.0, 0.08, 0.07, 0.15, 0.30];
/// Share of households with a disability served by the `disability_support` model.
pub const DISABILITY_MODEL_SHARE: f64 = 0.45;
/// Programme duration in years (low, high) per service model, uniform between. The brief
/// fixes 1-3 years; Latvia's holistic support runs 2-3 years.
pub const DURATION_YEARS: [(f64, f64); 8] = [
    (1.0, 1.5), // parenting_support
    (1.0, 1.5), // family_counselling
    (1.5, 2.5), // income_generation
    (2.0, 3.0), // disability_support
    (1.0, 1.5), // shelter (stay up to 1 year, then aftercare; Belarus)
    (1.0, 1.5), // mother_baby_unit (stay up to 6 months, then aftercare; Bulgaria)
    (2.0, 3.0), // reintegration
    (2.0, 3.0), // holistic
];
/// First and last intake year.
pub const INTAKE_YEARS: (i32, i32) = (2015, 2024);

/// Programme families that leave early (moved away, declined, transferred, other).
pub const EARLY_EXIT_SHARE: f64 = 0.08;
/// Early-exit reasons: moved_away, declined, transferred, other.
pub const EARLY_EXIT_WEIGHTS: [f64; 4] = [0.40, 0.40, 0.15, 0.05];
/// Families completing the programme whose exit is recorded as `other`.
pub const OTHER_EXIT_SHARE: f64 = 0.02;
/// Chance that a child's placement during the programme closes the episode.
pub const CHILD_PLACED_CLOSES_EPISODE: f64 = 0.5;

// ---- Well-being scores --------------------------------------------------------------

/// Mean latent well-being at intake of a medium-risk two-parent family (score scale
/// 1..4; a domain is "doing well" at 3, i.e. latent >= 2.5).
pub const THETA_BASE: f64 = 2.59;
/// Reference latent level used to centre covariate effects.
pub const THETA_REF: f64 = 2.4;
/// Intake shift by risk level (low, medium, high, acute).
pub const THETA_RISK: [f64; 4] = [0.25, 0.0, -0.30, -0.55];
/// Intake shift by household type.
pub const THETA_HOUSEHOLD: [f64; 5] = [0.10, -0.15, -0.05, -0.35, -0.10];
/// Intake shift for minority households and households with a disability.
pub const THETA_MINORITY: f64 = -0.15;
pub const THETA_DISABILITY: f64 = -0.10;
/// Family random effect on the latent level (sd).
pub const THETA_FAMILY_SD: f64 = 0.35;
/// Programme gain by exit (mean, by risk level) and its family-level sd.
pub const GAIN_PROGRAMME: [f64; 4] = [1.00, 1.00, 0.90, 0.80];
pub const GAIN_SD: f64 = 0.30;
/// Change over the same period in the comparison arm (mean, sd).
pub const GAIN_COMPARISON: (f64, f64) = (0.12, 0.20);
/// Share of the gain lost in the long run after exit, by risk level, plus a household
/// term (single parent, child headed fade more); reached with time constant
/// `FADE_TAU_YEARS`.
pub const FADE_RISK: [f64; 4] = [0.15, 0.20, 0.30, 0.40];
pub const FADE_HOUSEHOLD: [f64; 5] = [0.0, 0.10, 0.05, 0.15, 0.05];
pub const FADE_TAU_YEARS: f64 = 1.5;
/// Domain offsets in `schema::DOMAINS` order: livelihood lags, health and care lead.
pub const DOMAIN_OFFSET: [f64; 8] = [0.20, 0.0, 0.10, 0.20, 0.0, -0.25, 0.10, -0.05];
/// Stable family x domain effect (sd) and sitting noise (sd).
pub const DOMAIN_FAMILY_SD: f64 = 0.25;
pub const SITTING_SD: f64 = 0.30;
/// Chance of a review sitting at each intake anniversary during the programme.
pub const REVIEW_SHARE: f64 = 0.8;
/// Chance of an exit sitting for families that moved away or declined.
pub const EXIT_SITTING_AFTER_DROPOUT: f64 = 0.3;
/// Spread of the follow-up sitting around each anniversary of exit (sd, days) and its
/// limit (days), inside the 182-day window of docs/method.md section 2.
pub const FOLLOWUP_SPREAD_DAYS: f64 = 45.0;
pub const FOLLOWUP_MAX_OFFSET_DAYS: f64 = 150.0;

/// Self-reliance at exit: logistic(a + b x (latent at exit - 3)), tuned to ~90 %.
pub const SELF_RELIANT_A: f64 = 2.2;
pub const SELF_RELIANT_B: f64 = 3.0;

// ---- Follow-up response -------------------------------------------------------------

/// Logit of being reached in follow-up year 1..5 for a reference family (medium risk,
/// two-parent, holistic, mean intake score 2.5): response fades with time since exit.
pub const RESPONSE_YEAR: [f64; 5] = [1.9, 1.5, 1.2, 0.9, 0.6];
/// Response shifts by risk level, household type, service model and built-in country
/// (order of `country::COUNTRIES`).
pub const RESPONSE_RISK: [f64; 4] = [0.3, 0.0, -0.6, -1.0];
pub const RESPONSE_HOUSEHOLD: [f64; 5] = [0.2, -0.5, 0.0, -0.7, -0.2];
pub const RESPONSE_MODEL: [f64; 8] = [0.0, 0.0, 0.1, 0.2, -0.4, -0.3, -0.2, 0.0];
pub const RESPONSE_COUNTRY: [f64; 6] = [0.1, 0.2, 0.0, -0.2, 0.0, -0.1];
/// Response per point of mean intake score above 2.5. Minority families are reached
/// less often only through their lower intake scores, so non-response is missing at
/// random given the weighting covariates of docs/method.md section 2.
pub const RESPONSE_INTAKE_SCORE: f64 = 0.9;
/// Per follow-up attempt: the family has moved abroad / the carer has died (censoring).
pub const MOVED_ABROAD_SHARE: f64 = 0.006;
pub const DECEASED_SHARE: f64 = 0.0008;
/// Of non-respondents, the share who refuse (the rest are not reached).
pub const REFUSED_SHARE: f64 = 0.3;
/// Chance of an extra, failed attempt before a successful one or after a failed one.
pub const EXTRA_ATTEMPT_SHARE: f64 = 0.3;

// ---- Alternative care -----------------------------------------------------------------

/// Placement hazard per child-year during the programme (programme arm), tuned to ~1 %
/// of programme children placed during the programme (PDB2).
pub const HAZARD_PROGRAMME_DURING: f64 = 0.0060;
/// Placement hazard per child-year after exit (programme arm): 5-year ~3-4 %.
pub const HAZARD_PROGRAMME_AFTER: f64 = 0.0080;
/// Placement hazard per child-year in the comparison arm: 5-year ~10-15 %.
pub const HAZARD_COMPARISON: f64 = 0.032;
/// Hazard multiplier by risk level (acute families are far more often separated).
pub const HAZARD_RISK: [f64; 4] = [0.3, 0.7, 1.4, 3.0];
/// Hazard multiplier per point of latent intake well-being below `THETA_REF`.
pub const HAZARD_THETA: f64 = 0.6;
/// Care types of new placements in `schema::CARE_TYPES` order.
pub const CARE_TYPE_WEIGHTS: [f64; 6] = [0.35, 0.30, 0.20, 0.07, 0.03, 0.05];
/// Care types of children in care at intake (reintegration cases).
pub const REINTEGRATION_CARE_WEIGHTS: [f64; 6] = [0.60, 0.25, 0.15, 0.0, 0.0, 0.0];
/// Median stay in years per care type (log-normal, sigma `STAY_SIGMA`).
pub const STAY_MEDIAN_YEARS: [f64; 6] = [1.5, 1.5, 2.0, 3.0, 1.0, 1.0];
pub const STAY_SIGMA: f64 = 0.7;
/// Chance that a placement ends in a return home (otherwise the child stays in care).
pub const RETURN_HOME_SHARE: f64 = 0.55;
/// Chance of a change of care type during a stay.
pub const CARE_CHANGE_SHARE: f64 = 0.15;
/// Reintegration: share of children in care at intake who return home during the
/// programme (SOS Armenia: 95 % of reintegrations successful).
pub const REINTEGRATION_SUCCESS: f64 = 0.92;
/// Comparison-arm reintegration cases (referred, not served): fewer children return home
/// in the same period. Assumed.
pub const REINTEGRATION_SUCCESS_COMPARISON: f64 = 0.5;
/// Reintegration: chance that each child of the family is in care at intake.
pub const REINTEGRATION_CHILD_SHARE: f64 = 0.5;

// ---- Income -----------------------------------------------------------------------------

/// Income multipliers by household type and risk level (assumed).
pub const INCOME_HOUSEHOLD: [f64; 5] = [1.15, 0.75, 0.85, 0.45, 0.90];
pub const INCOME_RISK: [f64; 4] = [1.15, 1.0, 0.85, 0.70];
/// Log-income per point of latent intake well-being above `THETA_REF`.
pub const INCOME_THETA: f64 = 0.15;
/// Family (log-normal sigma) and observation noise.
pub const INCOME_FAMILY_SIGMA: f64 = 0.35;
pub const INCOME_OBSERVATION_SIGMA: f64 = 0.10;
/// Real income gain by exit in the programme arm, and the extra gain with an
/// income-generation grant (Kyrgyzstan: 15 % of grant families now earn enough).
pub const INCOME_GAIN_PROGRAMME: f64 = 0.15;
pub const INCOME_GAIN_GRANT: f64 = 0.20;
/// Share of the income gain lost in the long run after exit (time constant as scores).
pub const INCOME_FADE: f64 = 0.3;
/// Real income growth per year for everyone (comparison arm's trend).
pub const INCOME_REAL_GROWTH: f64 = 0.015;
/// Extra real income growth per year by risk level in confounded mode, before and after
/// intake and in both arms: needier households' incomes climb faster from their low base.
/// The programme arm holds more of them, so without adjustment its counterfactual growth
/// is higher than the comparison arm's and a plain difference in differences credits the
/// programme with part of that growth (parallel trends hold only given the risk level).
/// Assumed; it adds ~1 percentage point a year to the programme arm's mean growth over
/// the comparison arm's (unadjusted DiD ~EUR 70 too high in follow-up year 1, ~EUR 200 in
/// year 5, on an effect of ~EUR 750: data/README.md).
pub const INCOME_GROWTH_RISK: [f64; 4] = [0.0, 0.015, 0.035, 0.055];
/// Pre-intake income observations (confounded mode): this many years before intake, each
/// moved by a uniform offset of up to `PRE_INTAKE_SPREAD_DAYS` either way. Two points
/// give a pre-intake trend to compare between the arms.
pub const PRE_INTAKE_YEARS: [f64; 2] = [2.0, 1.0];
pub const PRE_INTAKE_SPREAD_DAYS: f64 = 45.0;
/// Share of sittings where income is also recorded.
pub const INCOME_RECORDED_SHARE: f64 = 0.95;
/// Share of programme families receiving an income-generation grant, by service model.
pub const GRANT_SHARE: [f64; 8] = [0.04, 0.04, 0.85, 0.04, 0.04, 0.04, 0.10, 0.20];

// ---- Costs (EUR at `PRICE_YEAR` prices) -----------------------------------------------

/// Price year of every real amount the generator starts from.
pub const PRICE_YEAR: i32 = 2024;
/// Direct case-management cost per family-month (caseworker time billed to the family).
pub const CASE_MANAGEMENT_MONTH_EUR: f64 = 4.0;
/// Home visits per year by service model, and the cost of one visit.
pub const HOME_VISITS_PER_YEAR: [f64; 8] = [8.0, 8.0, 6.0, 12.0, 4.0, 6.0, 12.0, 12.0];
pub const HOME_VISIT_EUR: f64 = 4.0;
/// Programme-level (not family-attributed) cost per programme family-year, tuned so the
/// total with services is ~EUR 500 per family-year (SOS Latvia).
pub const PROGRAMME_COST_PER_FAMILY_YEAR_EUR: f64 = 165.0;
/// Split of programme-level costs over `schema::COST_CATEGORIES` (volunteer time is in
/// kind); `other` is not used.
pub const PROGRAMME_COST_SHARES: [f64; 7] = [0.62, 0.10, 0.07, 0.04, 0.10, 0.07, 0.0];
/// Year-to-year spread of a programme's cost lines (log-normal sigma).
pub const PROGRAMME_COST_SIGMA: f64 = 0.05;
