//! Calendar days as the engine counts them.
//!
//! Every date is an `i32` count of days since 1970-01-01, which is what Arrow's `date32`
//! stores: no conversion on the hot path, and arithmetic on windows is plain integer maths.

use chrono::{Datelike, NaiveDate};

/// Days since 1970-01-01.
pub type Day = i32;

/// A year is 365.25 days (docs/method.md section 1).
pub const DAYS_PER_YEAR: f64 = 365.25;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a valid date")
}

/// The day number of a calendar date, or `None` for an impossible date such as 2023-02-30.
pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    let d = NaiveDate::from_ymd_opt(year, month, day)?;
    i32::try_from(d.signed_duration_since(epoch()).num_days()).ok()
}

/// The calendar date of a day number, or `None` outside chrono's range.
pub fn to_date(day: Day) -> Option<NaiveDate> {
    epoch().checked_add_signed(chrono::Duration::days(day as i64))
}

/// Calendar year of a day number (used to pick exchange rates and price indices).
pub fn year_of(day: Day) -> i32 {
    to_date(day)
        .map(|d| d.year())
        .unwrap_or(if day < 0 { i32::MIN } else { i32::MAX })
}

/// ISO 8601 text of a day number, for messages and metadata.
pub fn format(day: Day) -> String {
    match to_date(day) {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => format!("day {day} (out of range)"),
    }
}

/// Parse `YYYY-MM-DD`.
pub fn parse(text: &str) -> Option<Day> {
    let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    i32::try_from(d.signed_duration_since(epoch()).num_days()).ok()
}

/// The day `k` years of 365.25 days after `day`, rounded to the nearest day.
pub fn add_years(day: Day, k: f64) -> Day {
    day + (k * DAYS_PER_YEAR).round() as Day
}

/// The day of the `years`-th birthday of a child born on `birth` (calendar years; a
/// 29 February birthday falls on 1 March in other years). Here rather than with the
/// outcomes because the generator's `truth.json` must age children out exactly as the
/// engine does.
pub fn birthday(birth: Day, years: i32) -> Day {
    let Some(d) = to_date(birth) else {
        return add_years(birth, f64::from(years));
    };
    let y = d.year() + years;
    from_ymd(y, d.month(), d.day())
        .or_else(|| from_ymd(y, 3, 1))
        .unwrap_or_else(|| add_years(birth, f64::from(years)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_day_numbers() {
        assert_eq!(from_ymd(1970, 1, 1), Some(0));
        assert_eq!(from_ymd(2000, 3, 1), Some(11017));
        assert_eq!(from_ymd(2023, 2, 30), None);
        assert_eq!(format(from_ymd(2025, 12, 31).unwrap()), "2025-12-31");
        assert_eq!(parse("2024-02-29"), from_ymd(2024, 2, 29));
        assert_eq!(year_of(from_ymd(2019, 12, 31).unwrap()), 2019);
    }

    #[test]
    fn years_are_365_25_days() {
        assert_eq!(add_years(0, 1.0), 365);
        assert_eq!(add_years(0, 2.0), 731);
        assert_eq!(add_years(0, 4.0), 1461);
    }

    #[test]
    fn birthdays_are_calendar_dates() {
        let day = |y, m, d| from_ymd(y, m, d).unwrap();
        assert_eq!(birthday(day(2004, 2, 29), 18), day(2022, 3, 1));
        assert_eq!(birthday(day(2004, 2, 29), 20), day(2024, 2, 29));
        assert_eq!(birthday(day(2007, 6, 15), 18), day(2025, 6, 15));
    }
}
