//! A small UTC datetime with .NET tick (100 ns) precision.
//!
//! Kusto's `datetime` is a .NET `DateTime`: ticks of 100 ns, years 1 to 9999, always UTC in
//! Advanced Hunting. Results carry it as text with seven fractional digits
//! (`2020-08-30T06:38:35.7664356Z`). Pulling in `chrono` or `time` for parsing, printing and a
//! few additions is not worth the compile time, so this module implements exactly that much with
//! the day-count conversions of `kql-calendar`.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ParseError;

/// Ticks (100 ns) in one second.
pub(crate) use kql_calendar::TICKS_PER_SECOND;
use kql_calendar::{civil_from_days, days_from_civil, days_in_month, TICKS_PER_DAY};
/// Days from 1970-01-01 back to 0001-01-01 (the smallest .NET `DateTime`).
const MIN_DAYS: i64 = -719_162;
/// Days from 1970-01-01 to 9999-12-31 (the largest .NET `DateTime`).
const MAX_DAYS: i64 = 2_932_896;
const MIN_TICKS: i64 = MIN_DAYS * TICKS_PER_DAY;
const MAX_TICKS: i64 = (MAX_DAYS + 1) * TICKS_PER_DAY - 1;

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

    /// Builds a datetime from civil UTC fields; `None` if any field is out of range
    /// (`ticks` is the 100 ns fraction of the second, below 10,000,000).
    pub fn from_parts(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        ticks: u32,
    ) -> Option<Self> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(i64::from(year), month)
            || hour > 23
            || minute > 59
            || second > 59
            || i64::from(ticks) >= TICKS_PER_SECOND
        {
            return None;
        }
        let days = days_from_civil(i64::from(year), month, day);
        let secs = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        Some(UtcDateTime {
            ticks: days * TICKS_PER_DAY + secs * TICKS_PER_SECOND + i64::from(ticks),
        })
    }

    /// Builds a datetime from ticks (100 ns) since the Unix epoch; `None` outside 0001..=9999.
    pub fn from_unix_ticks(ticks: i64) -> Option<Self> {
        (MIN_TICKS..=MAX_TICKS)
            .contains(&ticks)
            .then_some(UtcDateTime { ticks })
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
        let (year, month, day) = civil_from_days(self.ticks.div_euclid(TICKS_PER_DAY));
        // The tick range keeps the year within 1..=9999.
        (year as i32, month, day)
    }

    /// `(hour, minute, second, ticks)` of the time of day.
    pub fn time(self) -> (u32, u32, u32, u32) {
        let t = self.ticks.rem_euclid(TICKS_PER_DAY);
        let secs = t / TICKS_PER_SECOND;
        (
            (secs / 3600) as u32,
            (secs / 60 % 60) as u32,
            (secs % 60) as u32,
            (t % TICKS_PER_SECOND) as u32,
        )
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
        let (y, m, d) = self.date();
        let total = i64::from(y) * 12 + i64::from(m - 1) + months;
        let year = i32::try_from(total.div_euclid(12)).ok()?;
        let month = total.rem_euclid(12) as u32 + 1;
        if !(1..=9999).contains(&year) {
            return None;
        }
        let day = d.min(days_in_month(i64::from(year), month));
        let (hh, mm, ss, tt) = self.time();
        Self::from_parts(year, month, day, hh, mm, ss, tt)
    }
}

impl fmt::Debug for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UtcDateTime({self})")
    }
}

impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d) = self.date();
        let (h, mi, s, t) = self.time();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        write_fraction(f, t)?;
        f.write_str("Z")
    }
}

/// Writes `.fffffff` without trailing zeros, nothing for a zero fraction.
pub(crate) fn write_fraction(f: &mut fmt::Formatter<'_>, ticks: u32) -> fmt::Result {
    if ticks == 0 {
        return Ok(());
    }
    let digits = format!("{ticks:07}");
    write!(f, ".{}", digits.trim_end_matches('0'))
}

impl FromStr for UtcDateTime {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        parse_datetime(s).map_err(|reason| ParseError::new("datetime", s, reason))
    }
}

impl Serialize for UtcDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UtcDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses `YYYY-MM-DDTHH:MM[:SS[.f{1,7}]](Z|±HH:MM)`; returns a human reason on failure.
pub(crate) fn parse_datetime(s: &str) -> Result<UtcDateTime, String> {
    let b = s.as_bytes();
    let mut p = Cursor { b, i: 0 };
    let year = p.digits(4, "a four-digit year")?;
    p.expect(b'-', "`-` after the year")?;
    let month = p.digits(2, "a two-digit month")?;
    p.expect(b'-', "`-` after the month")?;
    let day = p.digits(2, "a two-digit day")?;
    if !matches!(p.peek(), Some(b'T' | b't')) {
        return Err(if p.peek().is_none() {
            "missing time: expected `T` and a time after the date".into()
        } else {
            format!("expected `T` at byte {}", p.i)
        });
    }
    p.i += 1;
    let hour = p.digits(2, "a two-digit hour")?;
    p.expect(b':', "`:` after the hour")?;
    let minute = p.digits(2, "a two-digit minute")?;
    let mut second = 0;
    let mut ticks = 0u32;
    if p.peek() == Some(b':') {
        p.i += 1;
        second = p.digits(2, "a two-digit second")?;
        if matches!(p.peek(), Some(b'.' | b',')) {
            p.i += 1;
            let start = p.i;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.i += 1;
            }
            let frac = &s[start..p.i];
            if frac.is_empty() {
                return Err("expected digits after the decimal point".into());
            }
            if frac.len() > 7 {
                return Err(format!(
                    "{} fractional digits; at most 7 (100 ns ticks) are supported",
                    frac.len()
                ));
            }
            ticks = format!("{frac:0<7}").parse().map_err(|_| "bad fraction")?;
        }
    }
    let offset_minutes: i64 = match p.peek() {
        Some(b'Z' | b'z') => {
            p.i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            p.i += 1;
            let oh = p.digits(2, "a two-digit offset hour")?;
            p.expect(b':', "`:` in the UTC offset")?;
            let om = p.digits(2, "a two-digit offset minute")?;
            if oh > 23 || om > 59 {
                return Err("UTC offset out of range".into());
            }
            let m = i64::from(oh * 60 + om);
            if sign == b'+' {
                m
            } else {
                -m
            }
        }
        None => {
            return Err("missing time zone: add `Z` (the API works in UTC)".into());
        }
        Some(_) => return Err(format!("unexpected character at byte {}", p.i)),
    };
    if p.i != b.len() {
        return Err(format!(
            "unexpected text after the datetime at byte {}",
            p.i
        ));
    }
    let year = i32::try_from(year).map_err(|_| "year out of range")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is not in 1..=12"));
    }
    if year == 0 {
        return Err("year 0 is out of range (0001..=9999)".into());
    }
    if day == 0 || day > days_in_month(i64::from(year), month) {
        return Err(format!("day {day} does not exist in {year:04}-{month:02}"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!(
            "time {hour:02}:{minute:02}:{second:02} is out of range"
        ));
    }
    let local = UtcDateTime::from_parts(year, month, day, hour, minute, second, ticks)
        .ok_or("datetime out of range")?;
    UtcDateTime::from_unix_ticks(local.ticks - offset_minutes * 60 * TICKS_PER_SECOND)
        .ok_or_else(|| "datetime out of range after applying the UTC offset".into())
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn digits(&mut self, n: usize, what: &str) -> Result<u32, String> {
        let end = self.i + n;
        match self.b.get(self.i..end) {
            Some(d) if d.iter().all(u8::is_ascii_digit) => {
                self.i = end;
                Ok(d.iter().fold(0, |acc, c| acc * 10 + u32::from(c - b'0')))
            }
            _ => Err(format!("expected {what} at byte {}", self.i)),
        }
    }
    fn expect(&mut self, c: u8, what: &str) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected {what} at byte {}", self.i))
        }
    }
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
    fn civil_round_trip_over_the_whole_range() {
        for days in (MIN_DAYS..=MAX_DAYS).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(MIN_DAYS), (1, 1, 1));
        assert_eq!(civil_from_days(MAX_DAYS), (9999, 12, 31));
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

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
