//! A small UTC datetime with .NET tick (100 ns) precision.
//!
//! Kusto's `datetime` is a .NET `DateTime`: ticks of 100 ns, years 1 to 9999, always UTC in
//! Advanced Hunting. Results carry it as text with seven fractional digits
//! (`2020-08-30T06:38:35.7664356Z`). Parsing, printing and calendar arithmetic are
//! `kql-calendar`'s (the one place that owns KQL time); this type adds the range check, serde
//! and `std::time` conversions.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::ParseError;

/// Ticks (100 ns) in one second.
pub(crate) use kql_calendar::TICKS_PER_SECOND;
use kql_calendar::{in_range, ticks_from_civil, Parts, MAX_TICKS, MIN_TICKS};

/// An instant in UTC with 100 ns precision, in the range of .NET `DateTime`
/// (0001-01-01 to 9999-12-31).
///
/// Parses ISO 8601 / RFC 3339 text (`2024-01-01T00:00:00Z`, up to seven fractional digits, `Z`
/// or a numeric offset, which is converted to UTC) and prints the canonical form: `Z` suffix,
/// fractional seconds only when non-zero and without trailing zeros. It (de)serialises as that
/// string, so it can be used as a field of the structs you decode result rows into.
///
/// ```
/// use kql_hunting_api::UtcDateTime;
/// let t: UtcDateTime = "2020-08-30T06:38:35.7664356Z".parse().unwrap();
/// assert_eq!(t.to_string(), "2020-08-30T06:38:35.7664356Z");
/// assert_eq!(t.date(), (2020, 8, 30));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcDateTime {
    /// Ticks since 1970-01-01T00:00:00Z (negative before).
    ticks: i64,
}

impl UtcDateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: UtcDateTime = UtcDateTime { ticks: 0 };
    /// 0001-01-01T00:00:00Z, the smallest representable instant.
    pub const MIN: UtcDateTime = UtcDateTime { ticks: MIN_TICKS };
    /// 9999-12-31T23:59:59.9999999Z, the largest representable instant.
    pub const MAX: UtcDateTime = UtcDateTime { ticks: MAX_TICKS };

    /// Builds a datetime from civil UTC fields in the shapes [`date`](Self::date) and
    /// [`time`](Self::time) return, `(year, month, day)` and `(hour, minute, second, ticks)`
    /// (`ticks` is the 100 ns fraction of the second, below 10,000,000); `None` if any field is
    /// out of range.
    pub fn from_parts(date: (i32, u32, u32), time: (u32, u32, u32, u32)) -> Option<Self> {
        let ((year, month, day), (hour, minute, second, ticks)) = (date, time);
        let unix_ticks =
            ticks_from_civil(i64::from(year), month, day, hour, minute, second, ticks)?;
        Self::from_unix_ticks(unix_ticks)
    }

    /// Builds a datetime from ticks (100 ns) since the Unix epoch; `None` outside 0001..=9999.
    pub fn from_unix_ticks(ticks: i64) -> Option<Self> {
        in_range(ticks).then_some(UtcDateTime { ticks })
    }

    /// Ticks (100 ns) since the Unix epoch, negative before 1970.
    pub fn unix_ticks(self) -> i64 {
        self.ticks
    }

    /// The current time from the system clock (clamped to the representable range).
    pub fn now() -> Self {
        let ticks = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => duration_to_ticks(d).unwrap_or(MAX_TICKS),
            Err(e) => duration_to_ticks(e.duration()).map_or(MIN_TICKS, |t| -t),
        };
        UtcDateTime {
            ticks: ticks.clamp(MIN_TICKS, MAX_TICKS),
        }
    }

    /// `(year, month, day)` of the date.
    pub fn date(self) -> (i32, u32, u32) {
        let p = Parts::from_ticks(self.ticks);
        // The tick range keeps the year within 1..=9999.
        (p.year as i32, p.month, p.day)
    }

    /// `(hour, minute, second, ticks)` of the time of day.
    pub fn time(self) -> (u32, u32, u32, u32) {
        let p = Parts::from_ticks(self.ticks);
        (p.hour, p.minute, p.second, p.ticks)
    }

    /// `self + d`, or `None` past 9999-12-31.
    pub fn checked_add(self, d: Duration) -> Option<Self> {
        Self::from_unix_ticks(self.ticks.checked_add(duration_to_ticks(d)?)?)
    }

    /// `self - d`, or `None` before 0001-01-01.
    pub fn checked_sub(self, d: Duration) -> Option<Self> {
        Self::from_unix_ticks(self.ticks.checked_sub(duration_to_ticks(d)?)?)
    }

    /// How long after `earlier` this instant is; `None` if it is before `earlier`.
    pub fn duration_since(self, earlier: UtcDateTime) -> Option<Duration> {
        let diff = self.ticks.checked_sub(earlier.ticks)?;
        (diff >= 0).then(|| ticks_to_duration(diff as u64))
    }

    /// Adds (or, when negative, subtracts) calendar months, clamping the day to the length of
    /// the target month as .NET's `DateTime.AddMonths` does (Jan 31 + 1 month = Feb 28/29).
    pub fn checked_add_months(self, months: i64) -> Option<Self> {
        Self::from_unix_ticks(kql_calendar::add_months(self.ticks, months)?)
    }
}

impl fmt::Debug for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UtcDateTime({self})")
    }
}

impl fmt::Display for UtcDateTime {
    /// The canonical form: `Z`, fractional seconds only when non-zero, no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&kql_calendar::format_datetime(self.ticks))
    }
}

impl FromStr for UtcDateTime {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        parse_datetime(s).map_err(|reason| ParseError::new("datetime", s, reason))
    }
}

/// Parses `YYYY-MM-DDTHH:MM[:SS[.f{1,7}]](Z|±HH:MM)`; returns a human reason on failure.
pub(crate) fn parse_datetime(s: &str) -> Result<UtcDateTime, String> {
    kql_calendar::parse_rfc3339(s).map(|ticks| UtcDateTime { ticks })
}

/// Whole ticks in a duration (sub-tick nanoseconds are truncated); `None` on overflow.
pub(crate) fn duration_to_ticks(d: Duration) -> Option<i64> {
    let secs = i64::try_from(d.as_secs()).ok()?;
    secs.checked_mul(TICKS_PER_SECOND)?
        .checked_add(i64::from(d.subsec_nanos() / 100))
}

pub(crate) fn ticks_to_duration(ticks: u64) -> Duration {
    let tps = TICKS_PER_SECOND as u64;
    Duration::new(ticks / tps, (ticks % tps) as u32 * 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_canonically() {
        let cases = [
            ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
            (
                "2020-08-30T06:38:35.7664356Z",
                "2020-08-30T06:38:35.7664356Z",
            ),
            ("2024-01-01T00:00:00.5Z", "2024-01-01T00:00:00.5Z"),
            ("2024-01-01T00:00:00.5000000Z", "2024-01-01T00:00:00.5Z"),
            ("2024-01-01t00:00z", "2024-01-01T00:00:00Z"),
            ("2024-01-01T02:00:00+02:00", "2024-01-01T00:00:00Z"),
            ("2023-12-31T22:30:00-01:30", "2024-01-01T00:00:00Z"),
            (
                "2024-02-29T23:59:59.9999999Z",
                "2024-02-29T23:59:59.9999999Z",
            ),
            ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
            (
                "9999-12-31T23:59:59.9999999Z",
                "9999-12-31T23:59:59.9999999Z",
            ),
        ];
        for (input, want) in cases {
            let t: UtcDateTime = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(t.to_string(), want, "{input}");
            assert_eq!(want.parse::<UtcDateTime>().unwrap(), t);
        }
    }

    #[test]
    fn rejects_bad_datetimes_with_reasons() {
        let cases = [
            ("", "four-digit year"),
            ("2024-01-01", "missing time"),
            ("2024-01-01T00:00:00", "missing time zone"),
            ("2024-13-01T00:00:00Z", "month 13"),
            ("2023-02-29T00:00:00Z", "day 29 does not exist"),
            ("2024-01-01T24:00:00Z", "out of range"),
            ("2024-01-01T00:00:00.12345678Z", "8 fractional digits"),
            ("2024-01-01T00:00:00.Z", "digits after the decimal point"),
            ("2024-01-01T00:00:00Zjunk", "unexpected text"),
            ("0000-01-01T00:00:00Z", "year 0"),
            ("9999-12-31T23:00:00-02:00", "out of range"),
            ("2024-1-01T00:00:00Z", "two-digit month"),
        ];
        for (input, needle) in cases {
            let err = input.parse::<UtcDateTime>().unwrap_err().to_string();
            assert!(err.contains(needle), "{input:?}: {err}");
        }
    }

    #[test]
    fn arithmetic() {
        let t: UtcDateTime = "2024-03-31T12:00:00Z".parse().unwrap();
        assert_eq!(
            t.checked_add_months(-1).unwrap().to_string(),
            "2024-02-29T12:00:00Z"
        );
        assert_eq!(
            t.checked_add_months(-13).unwrap().to_string(),
            "2023-02-28T12:00:00Z"
        );
        let day = Duration::from_secs(86_400);
        assert_eq!(
            t.checked_sub(day).unwrap().to_string(),
            "2024-03-30T12:00:00Z"
        );
        assert_eq!(t.checked_add(day).unwrap().duration_since(t), Some(day));
        assert_eq!(t.duration_since(t.checked_add(day).unwrap()), None);
        assert_eq!(
            UtcDateTime::MAX.checked_add(Duration::from_nanos(100)),
            None
        );
        assert_eq!(
            UtcDateTime::MIN.checked_sub(Duration::from_nanos(100)),
            None
        );
        assert!(UtcDateTime::now() > "2024-01-01T00:00:00Z".parse().unwrap());
    }

    #[test]
    fn serde_as_string() {
        let t: UtcDateTime = "2020-08-30T06:38:35.7664356Z".parse().unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2020-08-30T06:38:35.7664356Z\"");
        assert_eq!(serde_json::from_str::<UtcDateTime>(&json).unwrap(), t);
        assert!(serde_json::from_str::<UtcDateTime>("\"nope\"").is_err());
        assert!(serde_json::from_str::<UtcDateTime>("12").is_err());
    }
}
