//! Literal values and their KQL text. Every scalar literal the builder emits is rendered here
//! (strings and names by [`crate::escape`]), so the literal forms are decided in one place.

use std::fmt;

use crate::expr::{Node, Prec};

use kql_hunting_api::{Guid, UtcDateTime};

use kql_calendar::{
    DOTNET_EPOCH_TICKS, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND,
};

/// A KQL `datetime` value: UTC, exact to the tick (100 ns), years 0001..=9999.
///
/// Emitted as `datetime(2024-01-02T03:04:05.1234567Z)`: always seven fractional digits, so the
/// text is exact and reads the same for every value.
///
/// ```
/// use kql_builder::DateTimeValue;
/// let t = DateTimeValue::from_ymd_hms(2024, 1, 2, 3, 4, 5).unwrap().with_subsec_ticks(1_234_567).unwrap();
/// assert_eq!(t.to_string(), "datetime(2024-01-02T03:04:05.1234567Z)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTimeValue {
    /// Ticks since the Unix epoch (`kql-calendar`'s one epoch).
    unix_ticks: i64,
}

impl DateTimeValue {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTimeValue = DateTimeValue { unix_ticks: 0 };

    /// From .NET ticks (100 ns since 0001-01-01T00:00:00Z); `None` outside 0001..=9999.
    pub fn from_ticks(ticks: i64) -> Option<Self> {
        Self::from_unix_ticks(ticks.checked_sub(DOTNET_EPOCH_TICKS)?)
    }

    /// .NET ticks: 100 ns since 0001-01-01T00:00:00Z.
    pub fn ticks(self) -> i64 {
        self.unix_ticks + DOTNET_EPOCH_TICKS
    }

    /// From ticks (100 ns) since the Unix epoch; `None` outside 0001..=9999.
    pub fn from_unix_ticks(unix_ticks: i64) -> Option<Self> {
        kql_calendar::in_range(unix_ticks).then_some(Self { unix_ticks })
    }

    /// Ticks (100 ns) since the Unix epoch, negative before 1970.
    pub fn unix_ticks(self) -> i64 {
        self.unix_ticks
    }

    /// A calendar date and time of day (UTC); `None` when any field is out of range.
    pub fn from_ymd_hms(
        year: u32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        let date = (i32::try_from(year).ok()?, month, day);
        UtcDateTime::from_parts(date, (hour, minute, second, 0)).map(Self::from)
    }

    /// The same second with the sub-second part replaced by `ticks` (0..10,000,000).
    pub fn with_subsec_ticks(self, ticks: u32) -> Option<Self> {
        if i64::from(ticks) >= TICKS_PER_SECOND {
            return None;
        }
        let second = self.unix_ticks - self.unix_ticks.rem_euclid(TICKS_PER_SECOND);
        Self::from_unix_ticks(second + i64::from(ticks))
    }

    /// From nanoseconds since the Unix epoch; `None` when not a whole number of ticks (KQL
    /// cannot represent it, and rounding silently would change the query) or out of range.
    pub fn from_unix_nanos(nanos: i128) -> Option<Self> {
        if nanos % 100 != 0 {
            return None;
        }
        Self::from_unix_ticks(i64::try_from(nanos / 100).ok()?)
    }

    /// From whole seconds since the Unix epoch.
    pub fn from_unix_seconds(seconds: i64) -> Option<Self> {
        Self::from_unix_nanos(seconds as i128 * 1_000_000_000)
    }
}

impl TryFrom<std::time::SystemTime> for DateTimeValue {
    type Error = ValueError;
    /// Exact conversion; fails for instants that are not a whole number of ticks or out of range.
    fn try_from(t: std::time::SystemTime) -> Result<Self, ValueError> {
        let nanos = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Self::from_unix_nanos(nanos).ok_or(ValueError::NotRepresentable)
    }
}

impl fmt::Display for DateTimeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = kql_calendar::format_datetime_fixed(self.unix_ticks);
        write!(f, "datetime({text})")
    }
}

/// A KQL `timespan`: signed, exact to the tick (100 ns).
///
/// Emitted with the largest unit that divides it exactly (`7d`, `90m`, `5ms`, `5microseconds`,
/// `3ticks`), never with a fraction: `0.0000050` style text is where precision gets lost.
/// Negative values are written with unary minus (`-5m`).
///
/// ```
/// use kql_builder::{days, micros};
/// assert_eq!(days(7).to_string(), "7d");
/// assert_eq!(micros(5).to_string(), "5microseconds");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeSpanValue {
    ticks: i64,
}

impl TimeSpanValue {
    /// Zero.
    pub const ZERO: TimeSpanValue = TimeSpanValue { ticks: 0 };

    /// From ticks (100 ns).
    pub const fn from_ticks(ticks: i64) -> Self {
        Self { ticks }
    }

    /// The value in ticks (100 ns).
    pub const fn ticks(self) -> i64 {
        self.ticks
    }

    fn scaled(n: i64, unit: i64) -> Self {
        match n.checked_mul(unit) {
            Some(ticks) => Self { ticks },
            None => panic!("timespan overflow: {n} × {unit} ticks does not fit in a KQL timespan"),
        }
    }

    /// The literal's node: `7d`, `-5m`, and for `i64::MIN` ticks (whose magnitude has no literal)
    /// the expression `-9223372036854775807ticks - 1tick`.
    pub(crate) fn node(self) -> Node {
        if self.ticks == i64::MIN {
            return Node::binary(
                "-",
                Prec::Add,
                Node::lit_signed(format!("-{}ticks", i64::MAX), true),
                Node::lit("1tick".to_owned()),
            );
        }
        Node::lit_signed(self.to_string(), self.ticks < 0)
    }
}

impl fmt::Display for TimeSpanValue {
    /// The literal text (see the type's docs). `i64::MIN` ticks has no literal of its own and is
    /// shown as an expression.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ticks == i64::MIN {
            return write!(f, "-{}ticks - 1tick", i64::MAX);
        }
        f.write_str(&kql_calendar::format_timespan(self.ticks))
    }
}

/// `+` and `-` on timespans: exact in ticks, panicking on overflow (like std's `Duration`).
macro_rules! checked_ops {
    ($($tr:ident $method:ident $checked:ident;)*) => {$(
        impl std::ops::$tr for TimeSpanValue {
            type Output = TimeSpanValue;
            fn $method(self, rhs: Self) -> Self {
                let ticks = self.ticks.$checked(rhs.ticks).expect("timespan overflow");
                Self { ticks }
            }
        }
    )*};
}
checked_ops! {
    Add add checked_add;
    Sub sub checked_sub;
}

impl std::ops::Neg for TimeSpanValue {
    type Output = TimeSpanValue;
    fn neg(self) -> Self {
        Self {
            ticks: self.ticks.checked_neg().expect("timespan overflow"),
        }
    }
}

impl TryFrom<std::time::Duration> for TimeSpanValue {
    type Error = ValueError;
    /// Exact conversion; fails when the duration is not a whole number of ticks or too long.
    fn try_from(d: std::time::Duration) -> Result<Self, ValueError> {
        let nanos = d.as_nanos();
        if nanos % 100 != 0 {
            return Err(ValueError::NotRepresentable);
        }
        i64::try_from(nanos / 100)
            .map(Self::from_ticks)
            .map_err(|_| ValueError::NotRepresentable)
    }
}

/// `n` days. Panics when the result does not fit in a timespan (like std's `Duration` ops).
pub fn days(n: i64) -> TimeSpanValue {
    TimeSpanValue::scaled(n, TICKS_PER_DAY)
}
/// `n` hours.
pub fn hours(n: i64) -> TimeSpanValue {
    TimeSpanValue::scaled(n, TICKS_PER_HOUR)
}
/// `n` minutes.
pub fn minutes(n: i64) -> TimeSpanValue {
    TimeSpanValue::scaled(n, TICKS_PER_MINUTE)
}
/// `n` seconds.
pub fn seconds(n: i64) -> TimeSpanValue {
    TimeSpanValue::scaled(n, TICKS_PER_SECOND)
}
/// `n` milliseconds.
pub fn millis(n: i64) -> TimeSpanValue {
    TimeSpanValue::scaled(n, 10_000)
}
/// `n` microseconds.
pub fn micros(n: i64) -> TimeSpanValue {
    TimeSpanValue::scaled(n, 10)
}
/// `n` ticks (100 ns each).
pub fn ticks(n: i64) -> TimeSpanValue {
    TimeSpanValue::from_ticks(n)
}

/// A KQL `guid` value, emitted as `guid(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GuidValue(u128);

impl GuidValue {
    /// From the 128-bit value (big-endian reading of the canonical text).
    pub const fn from_u128(v: u128) -> Self {
        Self(v)
    }

    /// Parses the canonical 8-4-4-4-12 hex form (either case, optional braces).
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let t = text
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or(text);
        let groups: Vec<&str> = t.split('-').collect();
        let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        if lens != [8, 4, 4, 4, 12] || !t.chars().all(|c| c == '-' || c.is_ascii_hexdigit()) {
            return Err(ValueError::InvalidGuid(text.to_owned()));
        }
        u128::from_str_radix(&groups.concat(), 16)
            .map(Self)
            .map_err(|_| ValueError::InvalidGuid(text.to_owned()))
    }
}

impl fmt::Display for GuidValue {
    /// `guid(...)` around the API's canonical lowercase 8-4-4-4-12 text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "guid({})", Guid::from_u128(self.0))
    }
}

/// A value that has no exact KQL literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// Not a whole number of 100 ns ticks, or outside KQL's range.
    NotRepresentable,
    /// Not a GUID in 8-4-4-4-12 hex form.
    InvalidGuid(String),
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::NotRepresentable => {
                f.write_str("value is not a whole number of 100 ns ticks or is out of KQL's range")
            }
            ValueError::InvalidGuid(t) => write!(f, "not a GUID: {t:?}"),
        }
    }
}

impl std::error::Error for ValueError {}

/// `long` literal: `5`, `-5`; `i64::MIN` has no positive counterpart, so `long(-9223372036854775808)`.
pub(crate) fn long_node(v: i64) -> Node {
    if v == i64::MIN {
        Node::lit(format!("long({v})"))
    } else {
        Node::lit_signed(v.to_string(), v < 0)
    }
}

/// `int` literal: `int(5)`. KQL has no `int` literal syntax; bare integers are `long`.
pub(crate) fn int_node(v: i32) -> Node {
    Node::IntLit(v)
}

/// `real` literal: Rust's shortest round-trip text (`0.1`, `1e300`, `5e-324`, `-0.0`), which
/// always has a `.` or an exponent so KQL reads it as `real`; `real(nan)`, `real(+inf)`,
/// `real(-inf)` for the non-finite values.
pub(crate) fn real_node(v: f64) -> Node {
    if v.is_nan() {
        Node::lit("real(nan)".to_owned())
    } else if v.is_infinite() {
        Node::lit(if v > 0.0 { "real(+inf)" } else { "real(-inf)" }.to_owned())
    } else {
        Node::lit_signed(format!("{v:?}"), v.is_sign_negative())
    }
}

/// `dynamic(...)` literal from JSON. serde_json's compact output is valid inside `dynamic()`:
/// it escapes quotes, backslashes and control characters, and KQL reads the inside as JSON.
pub(crate) fn dynamic_node(v: &serde_json::Value) -> Node {
    Node::lit(format!("dynamic({v})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kql_calendar::{MAX_TICKS, MIN_TICKS};

    #[test]
    fn datetime_text() {
        let t = DateTimeValue::from_ymd_hms(2024, 1, 2, 3, 4, 5)
            .unwrap()
            .with_subsec_ticks(1_234_567)
            .unwrap();
        assert_eq!(t.to_string(), "datetime(2024-01-02T03:04:05.1234567Z)");
        assert_eq!(
            DateTimeValue::from_ticks(0).unwrap().to_string(),
            "datetime(0001-01-01T00:00:00.0000000Z)"
        );
        assert_eq!(
            DateTimeValue::from_unix_ticks(MAX_TICKS)
                .unwrap()
                .to_string(),
            "datetime(9999-12-31T23:59:59.9999999Z)"
        );
        assert_eq!(
            DateTimeValue::UNIX_EPOCH.to_string(),
            "datetime(1970-01-01T00:00:00.0000000Z)"
        );
        assert_eq!(
            DateTimeValue::from_ymd_hms(1970, 1, 1, 0, 0, 0),
            Some(DateTimeValue::UNIX_EPOCH)
        );
        assert_eq!(
            DateTimeValue::from_unix_seconds(1_709_251_199)
                .unwrap()
                .to_string(),
            "datetime(2024-02-29T23:59:59.0000000Z)"
        );
        assert!(DateTimeValue::from_ymd_hms(2023, 2, 29, 0, 0, 0).is_none());
        assert!(DateTimeValue::from_ymd_hms(10000, 1, 1, 0, 0, 0).is_none());
        assert!(
            DateTimeValue::from_unix_nanos(150).is_none(),
            "not a whole tick"
        );
        assert_eq!(
            DateTimeValue::from_unix_nanos(-100).unwrap().ticks(),
            DOTNET_EPOCH_TICKS - 1
        );
        assert_eq!(
            DateTimeValue::from_ticks(0).unwrap().unix_ticks(),
            MIN_TICKS
        );
        assert!(DateTimeValue::from_ticks(-1).is_none());
        assert!(DateTimeValue::from_unix_ticks(MAX_TICKS + 1).is_none());
    }

    #[test]
    fn datetime_round_trips_every_day_boundary_sample() {
        for days in (0..3_652_059i64).step_by(997) {
            let t = DateTimeValue::from_ticks(days * TICKS_PER_DAY + 12_345).unwrap();
            let s = t.to_string();
            let (y, m, d) = (
                s[9..13].parse().unwrap(),
                s[14..16].parse().unwrap(),
                s[17..19].parse().unwrap(),
            );
            let back = DateTimeValue::from_ymd_hms(y, m, d, 0, 0, 0)
                .unwrap()
                .with_subsec_ticks(12_345)
                .unwrap();
            assert_eq!(back, t, "{s}");
        }
    }

    #[test]
    fn timespan_text() {
        assert_eq!(days(7).to_string(), "7d");
        assert_eq!(hours(25).to_string(), "25h");
        assert_eq!(minutes(90).to_string(), "90m");
        assert_eq!(seconds(1).to_string(), "1s");
        assert_eq!(millis(5).to_string(), "5ms");
        assert_eq!(micros(5).to_string(), "5microseconds");
        assert_eq!(micros(1).to_string(), "1microsecond");
        assert_eq!(ticks(3).to_string(), "3ticks");
        assert_eq!(ticks(1).to_string(), "1tick");
        assert_eq!((days(1) + ticks(1)).to_string(), "864000000001ticks");
        assert_eq!((-minutes(5)).to_string(), "-5m");
        assert_eq!(TimeSpanValue::ZERO.to_string(), "0s");
        assert_eq!(ticks(i64::MAX).to_string(), "9223372036854775807ticks");
        assert_eq!(
            ticks(i64::MIN).to_string(),
            "-9223372036854775807ticks - 1tick"
        );
        assert_eq!(
            TimeSpanValue::try_from(std::time::Duration::from_micros(5)),
            Ok(micros(5))
        );
        assert!(TimeSpanValue::try_from(std::time::Duration::from_nanos(5)).is_err());
    }

    #[test]
    fn guid_text() {
        let g = GuidValue::parse("{6F0A4C8E-1E9A-4F6C-9D8A-2F3B4C5D6E7F}").unwrap();
        assert_eq!(g.to_string(), "guid(6f0a4c8e-1e9a-4f6c-9d8a-2f3b4c5d6e7f)");
        assert!(GuidValue::parse("6f0a4c8e1e9a4f6c9d8a2f3b4c5d6e7f").is_err());
        assert!(GuidValue::parse("6f0a4c8e-1e9a-4f6c-9d8a-2f3b4c5d6e7g").is_err());
    }
}
