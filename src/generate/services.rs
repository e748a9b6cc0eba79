//! The services a programme family receives and what they cost.
//!
//! Every programme family gets case management and home visits for each calendar year of
//! its enrolment, plus a package that follows its service model (a parenting course,
//! mediation, a shelter stay, respite care...) and a few common extras (material
//! support, referrals, cash for the poorest, income-generation grants). Unit costs are in
//! EUR at `PRICE_YEAR` prices and are written in the country's currency at the year's
//! nominal value, so that the engine's conversion returns them exactly; with the
//! programme-level costs they add up to about EUR 500 per family-year (SOS Latvia).

use rand::Rng;

use super::calibration as cal;
use super::country::CountryProfile;
use super::draw;
use super::rows::{code, ServiceRow};
use crate::dates::{self, Day, DAYS_PER_YEAR};

/// A service that a family may receive once during its episode.
#[derive(Debug, Clone, Copy)]
struct Offer {
    service: u8,
    probability: f64,
    /// Units (sessions, hours, nights, items, months), uniform between, rounded.
    units: (f64, f64),
    unit_eur: f64,
    /// Duration in days, uniform between; `(0, 0)` is a single-day service.
    days: (f64, f64),
}

const fn offer(
    service: u8,
    probability: f64,
    units: (f64, f64),
    unit_eur: f64,
    days: (f64, f64),
) -> Offer {
    Offer {
        service,
        probability,
        units,
        unit_eur,
        days,
    }
}

use code::*;

/// The package of each service model, in `schema::SERVICE_MODELS` order. Assumed unit
/// costs, set so that services make up about two thirds of the EUR 500 per family-year.
const PACKAGES: [&[Offer]; 8] = [
    // parenting_support
    &[
        offer(
            SERVICE_PARENTING_PROGRAMME,
            1.0,
            (10.0, 14.0),
            9.0,
            (70.0, 100.0),
        ),
        offer(
            SERVICE_PSYCHOLOGICAL_SUPPORT,
            0.3,
            (4.0, 10.0),
            10.0,
            (30.0, 90.0),
        ),
    ],
    // family_counselling
    &[
        offer(
            SERVICE_FAMILY_MEDIATION,
            0.8,
            (4.0, 10.0),
            12.0,
            (30.0, 120.0),
        ),
        offer(
            SERVICE_PSYCHOLOGICAL_SUPPORT,
            0.7,
            (6.0, 16.0),
            10.0,
            (60.0, 180.0),
        ),
    ],
    // income_generation
    &[
        offer(
            SERVICE_VOCATIONAL_TRAINING,
            0.7,
            (40.0, 120.0),
            2.5,
            (30.0, 120.0),
        ),
        offer(SERVICE_CASH_TRANSFER, 0.5, (1.0, 3.0), 60.0, (30.0, 90.0)),
    ],
    // disability_support
    &[
        offer(
            SERVICE_RESPITE_CARE,
            0.8,
            (10.0, 30.0),
            18.0,
            (180.0, 360.0),
        ),
        offer(SERVICE_HEALTH_REFERRAL, 0.6, (2.0, 5.0), 25.0, (0.0, 0.0)),
        offer(SERVICE_DAY_CARE, 0.4, (40.0, 120.0), 4.0, (120.0, 300.0)),
    ],
    // shelter
    &[
        offer(SERVICE_SHELTER_STAY, 1.0, (60.0, 240.0), 6.0, (60.0, 240.0)),
        offer(SERVICE_LEGAL_SUPPORT, 0.4, (3.0, 10.0), 15.0, (30.0, 120.0)),
        offer(
            SERVICE_PSYCHOLOGICAL_SUPPORT,
            0.8,
            (8.0, 20.0),
            10.0,
            (60.0, 180.0),
        ),
    ],
    // mother_baby_unit
    &[
        offer(SERVICE_SHELTER_STAY, 1.0, (60.0, 180.0), 7.0, (60.0, 180.0)),
        offer(SERVICE_MATERIAL_SUPPORT, 0.8, (2.0, 6.0), 25.0, (0.0, 0.0)),
        offer(SERVICE_HEALTH_REFERRAL, 0.5, (1.0, 4.0), 25.0, (0.0, 0.0)),
    ],
    // reintegration
    &[
        offer(
            SERVICE_FAMILY_MEDIATION,
            0.8,
            (6.0, 12.0),
            12.0,
            (60.0, 180.0),
        ),
        offer(
            SERVICE_PSYCHOLOGICAL_SUPPORT,
            0.8,
            (10.0, 24.0),
            10.0,
            (90.0, 270.0),
        ),
        offer(SERVICE_MATERIAL_SUPPORT, 0.6, (2.0, 5.0), 30.0, (0.0, 0.0)),
        offer(
            SERVICE_EDUCATION_SUPPORT,
            0.4,
            (3.0, 9.0),
            12.0,
            (90.0, 270.0),
        ),
    ],
    // holistic
    &[
        offer(
            SERVICE_PARENTING_PROGRAMME,
            0.6,
            (10.0, 14.0),
            9.0,
            (70.0, 100.0),
        ),
        offer(
            SERVICE_PSYCHOLOGICAL_SUPPORT,
            0.5,
            (8.0, 16.0),
            10.0,
            (60.0, 180.0),
        ),
        offer(
            SERVICE_EDUCATION_SUPPORT,
            0.5,
            (3.0, 9.0),
            12.0,
            (90.0, 270.0),
        ),
        offer(SERVICE_MATERIAL_SUPPORT, 0.6, (2.0, 6.0), 30.0, (0.0, 0.0)),
        offer(SERVICE_HOUSING_SUPPORT, 0.1, (1.0, 1.0), 250.0, (0.0, 0.0)),
    ],
];

/// Extras any family may receive.
const EXTRAS: [Offer; 4] = [
    offer(SERVICE_MATERIAL_SUPPORT, 0.3, (1.0, 3.0), 30.0, (0.0, 0.0)),
    offer(SERVICE_HEALTH_REFERRAL, 0.15, (1.0, 3.0), 25.0, (0.0, 0.0)),
    offer(SERVICE_LEGAL_SUPPORT, 0.08, (2.0, 8.0), 15.0, (14.0, 90.0)),
    offer(SERVICE_OTHER, 0.05, (1.0, 2.0), 20.0, (0.0, 0.0)),
];
/// Cash transfers for high and acute risk families.
const CASH_FOR_HIGH_RISK: Offer = offer(SERVICE_CASH_TRANSFER, 0.2, (1.0, 3.0), 60.0, (30.0, 90.0));
/// Income-generation grant, EUR at price-year prices (one item).
pub const GRANT_EUR: (f64, f64) = (300.0, 700.0);

/// The enrolment of one programme family.
#[derive(Debug, Clone, Copy)]
pub struct Enrolment {
    pub family: u64,
    pub model: u8,
    pub risk: u8,
    pub grant: bool,
    pub intake: Day,
    /// Last enrolled day (exit or the cutoff), inclusive.
    pub last: Day,
}

/// Calendar-year pieces `[start, end]` (inclusive) of `first..=last`.
pub fn year_segments(first: Day, last: Day) -> Vec<(i32, Day, Day)> {
    let mut out = Vec::new();
    let mut start = first;
    while start <= last {
        let year = dates::year_of(start);
        let year_end = dates::from_ymd(year, 12, 31).unwrap_or(last);
        let end = year_end.min(last);
        out.push((year, start, end));
        start = end + 1;
    }
    out
}

fn money(country: &CountryProfile, eur: f64, day: Day) -> f64 {
    let local = country.local_nominal(eur, dates::year_of(day), cal::PRICE_YEAR);
    (local * 100.0).round() / 100.0
}

/// Draw the services of one enrolment, appending them in start-date order.
pub fn draw_services<R: Rng + ?Sized>(
    rng: &mut R,
    e: &Enrolment,
    country: &CountryProfile,
    out: &mut Vec<ServiceRow>,
) {
    let mut rows = Vec::new();
    for (_, start, end) in year_segments(e.intake, e.last) {
        let days = (end - start + 1) as f64;
        let months = ((days / (DAYS_PER_YEAR / 12.0)) * 10.0).round() / 10.0;
        let months = months.max(0.1);
        rows.push(row(
            e.family,
            SERVICE_CASE_MANAGEMENT,
            start,
            Some(end),
            months,
            months * cal::CASE_MANAGEMENT_MONTH_EUR,
            country,
        ));
        let visits = draw::poisson(
            rng,
            cal::HOME_VISITS_PER_YEAR[e.model as usize] * days / DAYS_PER_YEAR,
        );
        if visits > 0 {
            let units = visits as f64;
            rows.push(row(
                e.family,
                SERVICE_HOME_VISIT,
                start,
                Some(end),
                units,
                units * cal::HOME_VISIT_EUR,
                country,
            ));
        }
    }
    let span = (e.last - e.intake).max(0) as f64;
    let mut offers: Vec<Offer> = PACKAGES[e.model as usize].to_vec();
    offers.extend_from_slice(&EXTRAS);
    if e.risk >= RISK_HIGH {
        offers.push(CASH_FOR_HIGH_RISK);
    }
    for o in offers {
        // Draw every value so that the stream advances the same way whether or not the
        // family gets the service.
        let gets = draw::chance(rng, o.probability);
        let units = draw::uniform(rng, o.units.0, o.units.1 + 1.0)
            .floor()
            .min(o.units.1);
        let offset = draw::uniform(rng, 0.0, 0.6) * span;
        let length = draw::uniform(rng, o.days.0, o.days.1);
        if !gets {
            continue;
        }
        let start = e.intake + offset.round() as Day;
        let end = if o.days.1 > 0.0 {
            Some((start + length.round() as Day).min(e.last).max(start))
        } else {
            None
        };
        rows.push(row(
            e.family,
            o.service,
            start,
            end,
            units,
            units * o.unit_eur,
            country,
        ));
    }
    if e.grant {
        let start = e.intake + (draw::uniform(rng, 0.2, 0.6) * span).round() as Day;
        let eur = draw::uniform(rng, GRANT_EUR.0, GRANT_EUR.1);
        rows.push(row(
            e.family,
            SERVICE_INCOME_GENERATION_GRANT,
            start,
            None,
            1.0,
            eur,
            country,
        ));
    }
    rows.sort_by_key(|r| (r.start, r.service_type));
    out.extend(rows);
}

fn row(
    family: u64,
    service_type: u8,
    start: Day,
    end: Option<Day>,
    units: f64,
    eur: f64,
    country: &CountryProfile,
) -> ServiceRow {
    ServiceRow {
        family,
        service_type,
        start,
        end,
        units,
        cost: money(country, eur, start),
        currency: country.currency,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::country::profile;
    use crate::stats::rng::{rng_for, Stream};

    #[test]
    fn year_segments_split_at_new_year() {
        let a = dates::from_ymd(2019, 11, 1).unwrap();
        let b = dates::from_ymd(2021, 2, 3).unwrap();
        let s = year_segments(a, b);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0], (2019, a, dates::from_ymd(2019, 12, 31).unwrap()));
        assert_eq!(s[1].1, dates::from_ymd(2020, 1, 1).unwrap());
        assert_eq!(s[1].2 - s[1].1 + 1, 366);
        assert_eq!(s[2], (2021, dates::from_ymd(2021, 1, 1).unwrap(), b));
        assert!(year_segments(b, a).is_empty());
    }

    #[test]
    fn costs_are_nominal_local_currency_of_the_start_year() {
        let ro = profile("RO").unwrap();
        let e = Enrolment {
            family: 1,
            model: 0,
            risk: 0,
            grant: true,
            intake: dates::from_ymd(2024, 1, 1).unwrap(),
            last: dates::from_ymd(2024, 12, 31).unwrap(),
        };
        let mut rng = rng_for(1, Stream::Generate, 0);
        let mut rows = Vec::new();
        draw_services(&mut rng, &e, ro, &mut rows);
        let cm = rows
            .iter()
            .find(|r| r.service_type == SERVICE_CASE_MANAGEMENT)
            .unwrap();
        // 366 days = 12.0 months x EUR 4 x 4.975 RON/EUR (price year 2024) = 238.80 RON.
        assert_eq!(cm.units, 12.0);
        assert!((cm.cost - 238.80).abs() < 1e-9, "{}", cm.cost);
        assert!(rows
            .iter()
            .any(|r| r.service_type == SERVICE_PARENTING_PROGRAMME));
        let grant = rows
            .iter()
            .find(|r| r.service_type == SERVICE_INCOME_GENERATION_GRANT)
            .unwrap();
        assert!(grant.cost >= 300.0 * 4.975 && grant.cost <= 700.0 * 4.975);
        assert!(rows.windows(2).all(|w| w[0].start <= w[1].start));
        assert!(rows.iter().all(
            |r| r.currency == "RON" && r.end.is_none_or(|end| end >= r.start && end <= e.last)
        ));
    }
}
