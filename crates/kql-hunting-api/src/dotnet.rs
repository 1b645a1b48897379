//! .NET `TimeSpan` text (`[d.]hh:mm:ss[.fffffff]`), as used in query statistics
//! (`"total cpu": "00:00:19.0625000"`), in quota messages (`per 01:00:00`) and in Kusto
//! `timespan` result columns.

use std::time::Duration;

use crate::datetime::{duration_to_ticks, ticks_to_duration, TICKS_PER_SECOND};
use crate::ParseError;

/// Parses .NET's constant (`"c"`) `TimeSpan` format: `[d.]hh:mm:ss[.fffffff]`.
///
/// Negative spans are rejected: every place the API uses them (CPU time, quota windows) is a
/// non-negative amount, and `std::time::Duration` cannot hold a negative one.
///
/// ```
/// use std::time::Duration;
/// use kql_hunting_api::parse_dotnet_timespan;
/// assert_eq!(parse_dotnet_timespan("00:00:00.3750024").unwrap(), Duration::from_nanos(375_002_400));
/// assert_eq!(parse_dotnet_timespan("1.02:03:04.5").unwrap(), Duration::from_millis(93_784_500));
/// assert!(parse_dotnet_timespan("1:2").is_err());
/// ```
pub fn parse_dotnet_timespan(s: &str) -> Result<Duration, ParseError> {
    parse(s).map_err(|reason| ParseError::new(".NET timespan", s, reason))
}

fn parse(s: &str) -> Result<Duration, String> {
    if s.starts_with('-') {
        return Err("negative timespans are not supported".into());
    }
    let (days, clock) = match s.split_once(':') {
        Some((head, _)) => match head.split_once('.') {
            Some((d, _)) => (Some(d), &s[d.len() + 1..]),
            None => (None, s),
        },
        None => return Err("expected `hh:mm:ss`".into()),
    };
    let num = |t: &str, what: &str| -> Result<u64, String> {
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("expected digits for the {what}, found `{t}`"));
        }
        t.parse().map_err(|_| format!("{what} `{t}` is too large"))
    };
    let days = days.map(|d| num(d, "days")).transpose()?.unwrap_or(0);
    let mut parts = clock.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("expected `hh:mm:ss` after the optional `d.`".into());
    };
    let (sec, frac) = match sec.split_once('.') {
        Some((s, f)) => (s, Some(f)),
        None => (sec, None),
    };
    let (h, m, sec) = (num(h, "hours")?, num(m, "minutes")?, num(sec, "seconds")?);
    if h > 23 || m > 59 || sec > 59 {
        return Err(format!("{h:02}:{m:02}:{sec:02} is out of range"));
    }
    let mut ticks = 0;
    if let Some(f) = frac {
        num(f, "fraction")?;
        if f.len() > 7 {
            return Err("more than 7 fractional digits".into());
        }
        ticks = format!("{f:0<7}")
            .parse::<u64>()
            .map_err(|e| e.to_string())?;
    }
    let secs = days
        .checked_mul(86_400)
        .and_then(|d| d.checked_add(h * 3600 + m * 60 + sec))
        .ok_or("timespan is too long")?;
    let total = secs
        .checked_mul(TICKS_PER_SECOND as u64)
        .and_then(|t| t.checked_add(ticks))
        .ok_or("timespan is too long")?;
    Ok(ticks_to_duration(total))
}

/// Formats a duration in .NET's constant `TimeSpan` format (`[d.]hh:mm:ss[.fffffff]`, seven
/// fractional digits when the fraction is non-zero), the inverse of [`parse_dotnet_timespan`]
/// for tick-precise durations (finer precision is truncated to ticks).
pub fn format_dotnet_timespan(d: Duration) -> String {
    let ticks = duration_to_ticks(d).unwrap_or(i64::MAX) as u64;
    let tps = TICKS_PER_SECOND as u64;
    let (secs, frac) = (ticks / tps, ticks % tps);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let mut out = String::new();
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    out.push_str(&format!(
        "{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    ));
    if frac > 0 {
        out.push_str(&format!(".{frac:07}"));
    }
    out
}

/// `#[serde(with = "kql_hunting_api::serde_dotnet_timespan")]` for `std::time::Duration` fields
/// holding .NET `TimeSpan` text, e.g. a Kusto `timespan` column in a result row.
pub mod serde_dotnet_timespan {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the duration as .NET `TimeSpan` text.
    pub fn serialize<S: Serializer>(d: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_dotnet_timespan(*d))
    }

    /// Reads .NET `TimeSpan` text.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let s = String::deserialize(deserializer)?;
        super::parse_dotnet_timespan(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let ok = [
            ("00:00:00", Duration::ZERO),
            ("00:00:19.0468750", Duration::from_nanos(19_046_875_000)),
            ("00:00:00.3750024", Duration::from_nanos(375_002_400)),
            ("1.02:03:04.5", Duration::from_millis(93_784_500)),
            ("00:01:00", Duration::from_secs(60)),
            ("01:00:00", Duration::from_secs(3600)),
            ("1.00:00:00", Duration::from_secs(86_400)),
            ("23:59:59.9999999", Duration::from_nanos(86_399_999_999_900)),
        ];
        for (s, want) in ok {
            assert_eq!(parse_dotnet_timespan(s).unwrap(), want, "{s}");
        }
        let bad = [
            ("", "hh:mm:ss"),
            ("12", "hh:mm:ss"),
            ("1:2", "hh:mm:ss"),
            ("-00:00:01", "negative"),
            ("24:00:00", "out of range"),
            ("00:60:00", "out of range"),
            ("00:00:00.12345678", "7 fractional"),
            ("x.00:00:00", "days"),
            ("00:00:00.", "fraction"),
            ("00:00:00:00", "hh:mm:ss"),
            ("99999999999999999999.00:00:00", "too large"),
        ];
        for (s, needle) in bad {
            let e = parse_dotnet_timespan(s).unwrap_err().to_string();
            assert!(e.contains(needle), "{s:?}: {e}");
        }
    }

    #[test]
    fn format_round_trips() {
        for s in [
            "00:00:19.0468750",
            "00:00:00",
            "1.02:03:04.5000000",
            "01:00:00",
            "10.00:00:00.0000001",
        ] {
            assert_eq!(format_dotnet_timespan(parse_dotnet_timespan(s).unwrap()), s);
        }
    }
}
