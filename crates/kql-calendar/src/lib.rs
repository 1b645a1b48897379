//! KQL time values: the proleptic Gregorian calendar on day counts, and `datetime` /
//! `timespan` parsing, printing and arithmetic on 100-nanosecond ticks.
//!
//! This is the one crate that owns KQL time: constant folding (`kql-semantic`), the API types
//! (`kql-hunting-api`), the query builder (`kql-builder`) and the CLI's `--now` all go through
//! it, with one epoch. Datetimes are ticks since 1970-01-01T00:00:00Z (negative before);
//! timespans are signed ticks.
//!
//! * [`parse_datetime`] reads what KQL's `datetime(...)` accepts (`2024-01-01`,
//!   `2024-01-01 10:00`, offsets); [`parse_rfc3339`] is the strict form for API values and
//!   options; [`format_datetime`] prints the canonical `2024-01-01T10:00:00.5Z` and
//!   [`format_datetime_fixed`] the seven-digit form. Parsing a printed value gives it back.
//! * [`parse_timespan`] reads KQL timespan literals (`1.5h`, `30min`, `1.02:00:00`) exactly;
//!   [`format_timespan`] prints the literal with the largest exact unit (`90m`).
//! * [`add_months`], [`start_of`], [`datetime_add`], [`bin_datetime`]: calendar arithmetic as
//!   Kusto does it (days clamp to the month, weeks start on Sunday, `bin` counts from 0001).
//!
//! Decision: this grew out of the day-count module rather than a new `kql-time` crate, because
//! every crate that handles time already depended on it and it has no dependencies of its own;
//! the name stays so no other crate's manifest changes. A `chrono`/`time` dependency was not
//! taken: KQL's range, tick resolution, literal forms and `bin` origin would all be wrappers.
//! The day-count conversions are Howard Hinnant's `days_from_civil` / `civil_from_days`.

mod datetime;
mod timespan;

pub use datetime::{
    add_months, bin_datetime, datetime_add, format_datetime, format_datetime_fixed, in_range,
    parse_datetime, parse_rfc3339, start_of, ticks_from_civil, Parts, Period, DOTNET_EPOCH_TICKS,
    MAX_TICKS, MIN_TICKS,
};
pub use timespan::{format_timespan, parse_timespan};

/// 100-nanosecond ticks in a second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;
/// Ticks in a minute.
pub const TICKS_PER_MINUTE: i64 = 60 * TICKS_PER_SECOND;
/// Ticks in an hour.
pub const TICKS_PER_HOUR: i64 = 60 * TICKS_PER_MINUTE;
/// Ticks in a day.
pub const TICKS_PER_DAY: i64 = 24 * TICKS_PER_HOUR;

/// Whether `year` is a leap year.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date (month 1–12, day 1–31); negative before 1970.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month 1–12, day 1–31) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn round_trips_from_year_1_to_9999() {
        let first = days_from_civil(1, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        for days in (first..=last).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(first), (1, 1, 1));
        assert_eq!(civil_from_days(last), (9999, 12, 31));
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2023, 4), 30);
        assert_eq!(days_in_month(2023, 12), 31);
    }
}
