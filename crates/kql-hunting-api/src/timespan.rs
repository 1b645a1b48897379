//! The Graph `Timespan` request parameter: ISO 8601 durations and intervals.
//!
//! Microsoft documents five shapes for `runHuntingQuery`'s `Timespan`:
//!
//! | shape              | example                                      | window                   |
//! |--------------------|----------------------------------------------|--------------------------|
//! | duration           | `P30D`                                       | `now - P30D .. now`      |
//! | start/end          | `2024-02-01T08:00:00Z/2024-02-15T08:00:00Z`  | `start .. end`           |
//! | duration/end       | `P30D/2024-02-15T08:00:00Z`                  | `end - P30D .. end`      |
//! | start/duration     | `2024-02-01T08:00:00Z/P30D`                  | `start .. start + P30D`  |
//! | start only         | `2024-02-01T08:00:00Z`                       | `start .. now`           |
//!
//! Decisions:
//! - Durations keep every component as written (`P1DT0H` stays `P1DT0H`, `PT1.50S` stays
//!   `PT1.50S`) so that printing gives back the text that was parsed. A `,` decimal sign and
//!   lower-case designators are accepted and normalised to `.` and upper case.
//! - Datetimes print in [`UtcDateTime`]'s canonical form (UTC `Z`, no trailing fractional zeros);
//!   canonical input therefore round-trips byte for byte.
//! - Years and months have no fixed length: [`IsoDuration::to_std`] is `None` for them, while the
//!   window methods apply them on the calendar, as .NET's `AddYears`/`AddMonths` do.
//! - Negative durations and intervals whose end precedes their start are rejected: the service
//!   would return nothing, which is the kind of silent surprise this crate exists to prevent.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use kql_calendar::{TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND};

use crate::datetime::{parse_datetime, ticks_to_duration, UtcDateTime};
use crate::ParseError;

/// One component of an ISO 8601 duration as written: an integer part and optional fraction
/// digits (kept as text so `1.50` prints as `1.50`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DurationValue {
    /// The digits before the decimal sign.
    pub whole: u64,
    /// The digits after the decimal sign, if any (ASCII digits only).
    pub fraction: Option<String>,
}

impl DurationValue {
    /// A whole number.
    pub fn whole(n: u64) -> Self {
        DurationValue {
            whole: n,
            fraction: None,
        }
    }

    /// `value × unit_ticks`, truncated to whole ticks; `None` on overflow.
    fn ticks(&self, unit_ticks: u128) -> Option<u128> {
        let mut t = u128::from(self.whole).checked_mul(unit_ticks)?;
        if let Some(frac) = &self.fraction {
            // Enough precision: units are at most a week (6.048e12 ticks), so 20 digits suffice.
            let digits: String = frac.chars().take(20).collect();
            let num: u128 = digits.parse().ok()?;
            let den = 10u128.pow(digits.len() as u32);
            t = t.checked_add(num.checked_mul(unit_ticks)? / den)?;
        }
        Some(t)
    }

    fn is_zero(&self) -> bool {
        self.whole == 0
            && self
                .fraction
                .as_deref()
                .is_none_or(|f| f.bytes().all(|b| b == b'0'))
    }
}

impl fmt::Display for DurationValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.whole)?;
        if let Some(frac) = &self.fraction {
            write!(f, ".{frac}")?;
        }
        Ok(())
    }
}

/// An ISO 8601 duration (`P30D`, `PT12H`, `P1DT2H30M`, `P2W`, `PT0.5S`), components as written.
///
/// ```
/// use kql_hunting_api::IsoDuration;
/// let d: IsoDuration = "P1DT2H30M".parse().unwrap();
/// assert_eq!(d.to_string(), "P1DT2H30M");
/// assert_eq!(d.to_std(), Some(std::time::Duration::from_secs(95_400)));
/// assert_eq!("P1M".parse::<IsoDuration>().unwrap().to_std(), None); // months vary
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct IsoDuration {
    /// `nY`
    pub years: Option<DurationValue>,
    /// `nM` before `T`
    pub months: Option<DurationValue>,
    /// `nW`
    pub weeks: Option<DurationValue>,
    /// `nD`
    pub days: Option<DurationValue>,
    /// `nH`
    pub hours: Option<DurationValue>,
    /// `nM` after `T`
    pub minutes: Option<DurationValue>,
    /// `nS`
    pub seconds: Option<DurationValue>,
}

impl IsoDuration {
    /// A duration of whole days (`PnD`), the shape most hunting queries use.
    pub fn days(n: u64) -> Self {
        IsoDuration {
            days: Some(DurationValue::whole(n)),
            ..Self::default()
        }
    }

    /// A duration of whole hours (`PTnH`).
    pub fn hours(n: u64) -> Self {
        IsoDuration {
            hours: Some(DurationValue::whole(n)),
            ..Self::default()
        }
    }

    /// Whether years or months are present, which makes the length depend on the calendar.
    pub fn is_calendar(&self) -> bool {
        self.years.as_ref().is_some_and(|v| !v.is_zero())
            || self.months.as_ref().is_some_and(|v| !v.is_zero())
    }

    /// The exact length, or `None` when years/months make it calendar dependent (or on
    /// overflow). Weeks are 7 days, days 24 hours (UTC has no DST).
    pub fn to_std(&self) -> Option<Duration> {
        if self.is_calendar() {
            return None;
        }
        let ticks = self.fixed_ticks()?;
        Some(ticks_to_duration(u64::try_from(ticks).ok()?))
    }

    /// Ticks of the week..second components.
    fn fixed_ticks(&self) -> Option<u128> {
        let parts = [
            (&self.weeks, 7 * TICKS_PER_DAY),
            (&self.days, TICKS_PER_DAY),
            (&self.hours, TICKS_PER_HOUR),
            (&self.minutes, TICKS_PER_MINUTE),
            (&self.seconds, TICKS_PER_SECOND),
        ];
        parts.iter().try_fold(0u128, |acc, (v, unit)| match v {
            Some(v) => acc.checked_add(v.ticks(*unit as u128)?),
            None => Some(acc),
        })
    }

    /// `t + self` on the calendar (years and months first, then the fixed part).
    pub fn add_to(&self, t: UtcDateTime) -> Option<UtcDateTime> {
        let t = t.checked_add_months(self.calendar_months()?)?;
        t.checked_add(ticks_to_duration(u64::try_from(self.fixed_ticks()?).ok()?))
    }

    /// `t - self` on the calendar (years and months first, then the fixed part).
    pub fn sub_from(&self, t: UtcDateTime) -> Option<UtcDateTime> {
        let t = t.checked_add_months(-self.calendar_months()?)?;
        t.checked_sub(ticks_to_duration(u64::try_from(self.fixed_ticks()?).ok()?))
    }

    fn calendar_months(&self) -> Option<i64> {
        let whole = |v: &Option<DurationValue>| -> Option<i64> {
            match v {
                Some(v)
                    if !v
                        .fraction
                        .as_deref()
                        .unwrap_or("")
                        .bytes()
                        .all(|b| b == b'0') =>
                {
                    None
                }
                Some(v) => i64::try_from(v.whole).ok(),
                None => Some(0),
            }
        };
        whole(&self.years)?
            .checked_mul(12)?
            .checked_add(whole(&self.months)?)
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        for (v, unit) in [
            (&self.years, 'Y'),
            (&self.months, 'M'),
            (&self.weeks, 'W'),
            (&self.days, 'D'),
        ] {
            if let Some(v) = v {
                write!(f, "{v}{unit}")?;
            }
        }
        if self.hours.is_some() || self.minutes.is_some() || self.seconds.is_some() {
            f.write_str("T")?;
            for (v, unit) in [
                (&self.hours, 'H'),
                (&self.minutes, 'M'),
                (&self.seconds, 'S'),
            ] {
                if let Some(v) = v {
                    write!(f, "{v}{unit}")?;
                }
            }
        }
        Ok(())
    }
}

impl FromStr for IsoDuration {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        parse_duration(s).map_err(|reason| ParseError::new("duration", s, reason))
    }
}

fn parse_duration(s: &str) -> Result<IsoDuration, String> {
    let rest = match s.as_bytes().first() {
        Some(b'P' | b'p') => &s[1..],
        Some(b'-' | b'+') => {
            return Err("signed durations are not supported; the window must be positive".into())
        }
        _ => return Err("an ISO 8601 duration starts with `P` (e.g. `P30D`, `PT12H`)".into()),
    };
    let mut d = IsoDuration::default();
    let mut in_time = false;
    // Order of designators; each may appear once and in this order.
    let mut last_rank = 0u8;
    let mut saw_fraction = false;
    let mut any = false;
    let mut i = 0;
    let b = rest.as_bytes();
    while i < b.len() {
        if matches!(b[i], b'T' | b't') {
            if in_time {
                return Err("`T` appears twice".into());
            }
            in_time = true;
            i += 1;
            if i == b.len() {
                return Err("`T` must be followed by hours, minutes or seconds".into());
            }
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return Err(format!(
                "expected a number at byte {} of the duration",
                start + 1
            ));
        }
        let whole: u64 = rest[start..i]
            .parse()
            .map_err(|_| format!("number `{}` is too large", &rest[start..i]))?;
        let mut fraction = None;
        if i < b.len() && matches!(b[i], b'.' | b',') {
            i += 1;
            let fs = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if fs == i {
                return Err("expected digits after the decimal sign".into());
            }
            fraction = Some(rest[fs..i].to_string());
        }
        let Some(&unit) = b.get(i) else {
            return Err(format!(
                "number `{}` has no unit designator (Y, M, W, D, H, M or S)",
                &rest[start..i]
            ));
        };
        i += 1;
        let (rank, slot, name) = match (unit.to_ascii_uppercase(), in_time) {
            (b'Y', false) => (1, &mut d.years, "years"),
            (b'M', false) => (2, &mut d.months, "months"),
            (b'W', false) => (3, &mut d.weeks, "weeks"),
            (b'D', false) => (4, &mut d.days, "days"),
            (b'H', true) => (5, &mut d.hours, "hours"),
            (b'M', true) => (6, &mut d.minutes, "minutes"),
            (b'S', true) => (7, &mut d.seconds, "seconds"),
            (b'H' | b'S', false) => {
                return Err(format!(
                    "`{}` must come after `T` (e.g. `PT12H`)",
                    unit as char
                ))
            }
            (b'Y' | b'W' | b'D', true) => {
                return Err(format!("`{}` must come before `T`", unit as char))
            }
            _ => {
                return Err(format!(
                    "unknown unit designator `{}`",
                    rest[i - 1..].chars().next().unwrap_or('?')
                ))
            }
        };
        if rank <= last_rank {
            return Err(format!("{name} are repeated or out of order"));
        }
        if saw_fraction {
            return Err("only the last component may have a fraction".into());
        }
        if fraction.is_some() && rank <= 2 {
            return Err(format!("fractional {name} have no defined length"));
        }
        saw_fraction = fraction.is_some();
        last_rank = rank;
        *slot = Some(DurationValue { whole, fraction });
        any = true;
    }
    if !any {
        return Err("a duration needs at least one component (e.g. `P30D`)".into());
    }
    // Longer than .NET's whole DateTime range (about 10,000 years) can never be meant.
    if d.fixed_ticks()
        .and_then(|t| i64::try_from(t).ok())
        .is_none()
    {
        return Err("duration is too long".into());
    }
    Ok(d)
}

/// The Graph `runHuntingQuery` `Timespan` parameter in one of its five documented shapes.
///
/// ```
/// use kql_hunting_api::{Timespan, UtcDateTime};
/// let now: UtcDateTime = "2024-02-15T08:00:00Z".parse().unwrap();
///
/// let t: Timespan = "P7D/2024-01-08T00:00:00Z".parse().unwrap();
/// assert_eq!(t.to_string(), "P7D/2024-01-08T00:00:00Z");
/// assert_eq!(t.earliest(now).unwrap().to_string(), "2024-01-01T00:00:00Z");
///
/// // The linter's question: does the query reach past the 30 days of retention?
/// let t: Timespan = "P45D".parse().unwrap();
/// assert!(t.lookback(now).unwrap() > kql_hunting_api::limits::RETENTION);
///
/// assert!("2024-01-08T00:00:00Z/2024-01-01T00:00:00Z".parse::<Timespan>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Timespan {
    /// `P30D`: the duration up to now.
    Duration(IsoDuration),
    /// `start/end`.
    Interval {
        /// First instant.
        start: UtcDateTime,
        /// Last instant.
        end: UtcDateTime,
    },
    /// `P7D/end`: the duration before `end`.
    DurationBefore {
        /// Length of the window.
        duration: IsoDuration,
        /// End of the window.
        end: UtcDateTime,
    },
    /// `start/P7D`: the duration after `start`.
    DurationAfter {
        /// Start of the window.
        start: UtcDateTime,
        /// Length of the window.
        duration: IsoDuration,
    },
    /// `start`: from `start` up to now.
    Since(UtcDateTime),
}

impl Timespan {
    /// A `PnD` timespan: the last `n` days.
    pub fn days(n: u64) -> Self {
        Timespan::Duration(IsoDuration::days(n))
    }

    /// The length of the window when it does not depend on "now" and is computable:
    /// exact for intervals, fixed durations, and calendar durations anchored at a datetime.
    pub fn duration(&self) -> Option<Duration> {
        match self {
            Timespan::Duration(d) => d.to_std(),
            Timespan::Interval { start, end } => end.duration_since(*start),
            Timespan::DurationBefore { duration, end } => {
                end.duration_since(duration.sub_from(*end)?)
            }
            Timespan::DurationAfter { start, duration } => {
                duration.add_to(*start)?.duration_since(*start)
            }
            Timespan::Since(_) => None,
        }
    }

    /// The window `(start, end)` the service evaluates when the request arrives at `now`;
    /// `None` if it falls outside the representable years 1..=9999.
    pub fn window(&self, now: UtcDateTime) -> Option<(UtcDateTime, UtcDateTime)> {
        match self {
            Timespan::Duration(d) => Some((d.sub_from(now)?, now)),
            Timespan::Interval { start, end } => Some((*start, *end)),
            Timespan::DurationBefore { duration, end } => Some((duration.sub_from(*end)?, *end)),
            Timespan::DurationAfter { start, duration } => Some((*start, duration.add_to(*start)?)),
            Timespan::Since(start) => Some((*start, now)),
        }
    }

    /// The earliest instant the timespan reaches when run at `now`.
    pub fn earliest(&self, now: UtcDateTime) -> Option<UtcDateTime> {
        self.window(now).map(|(start, _)| start)
    }

    /// How far before `now` the window starts (zero when it starts in the future). Compare with
    /// [`crate::limits::RETENTION`]: anything older is silently not returned.
    pub fn lookback(&self, now: UtcDateTime) -> Option<Duration> {
        let earliest = self.earliest(now)?;
        Some(now.duration_since(earliest).unwrap_or(Duration::ZERO))
    }
}

impl fmt::Display for Timespan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Timespan::Duration(d) => write!(f, "{d}"),
            Timespan::Interval { start, end } => write!(f, "{start}/{end}"),
            Timespan::DurationBefore { duration, end } => write!(f, "{duration}/{end}"),
            Timespan::DurationAfter { start, duration } => write!(f, "{start}/{duration}"),
            Timespan::Since(start) => write!(f, "{start}"),
        }
    }
}

impl FromStr for Timespan {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        parse_timespan(s).map_err(|reason| ParseError::new("timespan", s, reason))
    }
}

fn looks_like_duration(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'P' | b'p' | b'-' | b'+'))
}

fn parse_timespan(s: &str) -> Result<Timespan, String> {
    if s.is_empty() {
        return Err(
            "empty; expected e.g. `P30D` or `2024-01-01T00:00:00Z/2024-01-08T00:00:00Z`".into(),
        );
    }
    if s.trim() != s {
        return Err("leading or trailing whitespace".into());
    }
    let dur = |part: &str, side: &str| {
        parse_duration(part).map_err(|e| format!("{side} `{part}` is not a valid duration: {e}"))
    };
    let dt = |part: &str, side: &str| {
        parse_datetime(part).map_err(|e| format!("{side} `{part}` is not a valid datetime: {e}"))
    };
    let Some((left, right)) = s.split_once('/') else {
        return if looks_like_duration(s) {
            Ok(Timespan::Duration(dur(s, "duration")?))
        } else {
            Ok(Timespan::Since(dt(s, "start")?))
        };
    };
    if right.contains('/') {
        return Err("more than one `/`".into());
    }
    match (looks_like_duration(left), looks_like_duration(right)) {
        (true, true) => Err("both sides are durations; one side must be a datetime".into()),
        (true, false) => Ok(Timespan::DurationBefore {
            duration: dur(left, "duration")?,
            end: dt(right, "end")?,
        }),
        (false, true) => Ok(Timespan::DurationAfter {
            start: dt(left, "start")?,
            duration: dur(right, "duration")?,
        }),
        (false, false) => {
            let start = dt(left, "start")?;
            let end = dt(right, "end")?;
            if end < start {
                return Err(format!("end {end} is before start {start}"));
            }
            Ok(Timespan::Interval { start, end })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> UtcDateTime {
        s.parse().unwrap()
    }

    const DAY: u64 = 86_400;

    #[test]
    fn round_trips_canonical_text() {
        let table = [
            "P30D",
            "PT12H",
            "P1DT2H30M",
            "P2W",
            "P1Y2M3DT4H5M6S",
            "PT0.5S",
            "PT1.50S",
            "P1DT0H",
            "P0D",
            "P1.5D",
            "2024-01-01T00:00:00Z/2024-01-08T00:00:00Z",
            "P7D/2024-01-08T00:00:00Z",
            "2024-01-01T00:00:00Z/P7D",
            "2024-01-01T00:00:00Z",
            "2024-02-01T08:00:00Z/2024-02-15T08:00:00Z",
            "2020-08-30T06:38:35.7664356Z/PT1H",
            "2024-01-01T00:00:00Z/2024-01-01T00:00:00Z",
        ];
        for text in table {
            let t: Timespan = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(t.to_string(), text);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Timespan>(&json).unwrap(), t);
        }
    }

    #[test]
    fn normalises_non_canonical_text() {
        let table = [
            ("p30d", "P30D"),
            ("pt12h", "PT12H"),
            ("PT0,5S", "PT0.5S"),
            ("2024-01-01T02:00:00+02:00/P1D", "2024-01-01T00:00:00Z/P1D"),
            ("2024-01-01T00:00:00.0000000Z", "2024-01-01T00:00:00Z"),
        ];
        for (input, want) in table {
            assert_eq!(input.parse::<Timespan>().unwrap().to_string(), want);
        }
    }

    #[test]
    fn parses_each_shape() {
        assert_eq!("P30D".parse::<Timespan>().unwrap(), Timespan::days(30));
        assert_eq!(
            "2024-01-01T00:00:00Z/2024-01-08T00:00:00Z"
                .parse::<Timespan>()
                .unwrap(),
            Timespan::Interval {
                start: dt("2024-01-01T00:00:00Z"),
                end: dt("2024-01-08T00:00:00Z")
            }
        );
        assert_eq!(
            "P7D/2024-01-08T00:00:00Z".parse::<Timespan>().unwrap(),
            Timespan::DurationBefore {
                duration: IsoDuration::days(7),
                end: dt("2024-01-08T00:00:00Z")
            }
        );
        assert_eq!(
            "2024-01-01T00:00:00Z/PT12H".parse::<Timespan>().unwrap(),
            Timespan::DurationAfter {
                start: dt("2024-01-01T00:00:00Z"),
                duration: IsoDuration::hours(12)
            }
        );
        assert_eq!(
            "2024-01-01T00:00:00Z".parse::<Timespan>().unwrap(),
            Timespan::Since(dt("2024-01-01T00:00:00Z"))
        );
    }

    #[test]
    fn rejects_invalid_input_with_reasons() {
        let table = [
            ("", "empty"),
            (" P30D", "whitespace"),
            ("P", "at least one component"),
            ("PT", "must be followed"),
            ("30D", "not a valid datetime"),
            ("P30", "no unit designator"),
            ("P30X", "unknown unit designator `X`"),
            ("P12H", "must come after `T`"),
            ("PT1D", "must come before `T`"),
            ("P1D2Y", "out of order"),
            ("P1D1D", "repeated"),
            ("PT1.5H30M", "only the last component"),
            ("P1.5M", "fractional months"),
            ("-P1D", "signed durations"),
            ("P1.D", "digits after the decimal sign"),
            ("P99999999999999999999D", "too large"),
            ("P9999999999999999W", "too long"),
            ("PT1HT", "`T` appears twice"),
            ("P7D/P1D", "both sides are durations"),
            ("a/b/c", "more than one `/`"),
            (
                "2024-01-08T00:00:00Z/2024-01-01T00:00:00Z",
                "is before start",
            ),
            (
                "2024-01-01/P7D",
                "start `2024-01-01` is not a valid datetime",
            ),
            ("P7D/2024-01-08", "end `2024-01-08` is not a valid datetime"),
            ("2024-01-01T00:00:00Z/", "not a valid datetime"),
            ("P7D/", "not a valid datetime"),
            ("2024-01-01T00:00:00Z/P", "at least one component"),
        ];
        for (input, needle) in table {
            let err = input.parse::<Timespan>().expect_err(input).to_string();
            assert!(err.contains(needle), "{input:?}: {err}");
            assert!(err.starts_with("invalid timespan"), "{err}");
        }
        assert!(serde_json::from_str::<Timespan>("\"P\"").is_err());
    }

    #[test]
    fn durations() {
        let days = |n: u64| Some(Duration::from_secs(n * DAY));
        let table = [
            ("P30D", days(30)),
            ("PT12H", Some(Duration::from_secs(12 * 3600))),
            ("P1DT2H30M", Some(Duration::from_secs(DAY + 9000))),
            ("P2W", days(14)),
            ("PT0.5S", Some(Duration::from_millis(500))),
            ("P1.5D", Some(Duration::from_secs(DAY * 3 / 2))),
            ("PT0.00000001S", Some(Duration::ZERO)), // below a tick
            ("P1M", None),
            ("P0Y0M1D", days(1)),
            ("2024-01-01T00:00:00Z/2024-01-08T00:00:00Z", days(7)),
            // Calendar durations anchored at a datetime are computable: February 2024 has 29 days.
            ("2024-02-01T00:00:00Z/P1M", days(29)),
            ("P1M/2024-03-01T00:00:00Z", days(29)),
            ("2024-01-01T00:00:00Z", None),
        ];
        for (text, want) in table {
            assert_eq!(text.parse::<Timespan>().unwrap().duration(), want, "{text}");
        }
    }

    #[test]
    fn windows_and_lookback() {
        let now = dt("2024-03-31T12:00:00Z");
        // Each window as the interval text `start/end`.
        let table = [
            ("P30D", "2024-03-01T12:00:00Z/2024-03-31T12:00:00Z"),
            ("P1M", "2024-02-29T12:00:00Z/2024-03-31T12:00:00Z"),
            ("P1Y1M1DT1H", "2023-02-27T11:00:00Z/2024-03-31T12:00:00Z"),
            (
                "P7D/2024-01-08T00:00:00Z",
                "2024-01-01T00:00:00Z/2024-01-08T00:00:00Z",
            ),
            (
                "2024-01-01T00:00:00Z/P7D",
                "2024-01-01T00:00:00Z/2024-01-08T00:00:00Z",
            ),
            (
                "2024-03-01T00:00:00Z",
                "2024-03-01T00:00:00Z/2024-03-31T12:00:00Z",
            ),
        ];
        for (text, want) in table {
            let (start, end) = text.parse::<Timespan>().unwrap().window(now).unwrap();
            assert_eq!(format!("{start}/{end}"), want, "{text}");
        }

        let lookback = |s: &str| s.parse::<Timespan>().unwrap().lookback(now).unwrap();
        assert_eq!(lookback("P30D"), Duration::from_secs(30 * DAY));
        assert!(lookback("P45D") > crate::limits::RETENTION);
        assert!(lookback("P30D") <= crate::limits::RETENTION);
        assert_eq!(lookback("2025-01-01T00:00:00Z"), Duration::ZERO);
        assert_eq!(
            lookback("2024-01-01T00:00:00Z/P1D"),
            Duration::from_secs(90 * DAY + 12 * 3600)
        );
        // Out of the representable range: no answer rather than a wrong one.
        assert_eq!("P9999Y".parse::<Timespan>().unwrap().window(now), None);
    }
}
