//! KQL `datetime` values as ticks (100 ns) since 1970-01-01T00:00:00Z: parsing, printing and
//! calendar arithmetic.
//!
//! One epoch for everyone: Unix ticks, negative before 1970. .NET (and Kusto's `bin`) count
//! from 0001-01-01; [`DOTNET_EPOCH_TICKS`] converts. Functions work on raw `i64` ticks so
//! constant folding can compute outside 0001..=9999 without failing; [`MIN_TICKS`] and
//! [`MAX_TICKS`] bound what Kusto can represent, for types that enforce it.

use crate::{
    civil_from_days, days_from_civil, days_in_month, TICKS_PER_DAY, TICKS_PER_HOUR,
    TICKS_PER_MINUTE, TICKS_PER_SECOND,
};

/// Ticks from 0001-01-01T00:00:00Z (the .NET epoch) to the Unix epoch.
pub const DOTNET_EPOCH_TICKS: i64 = 621_355_968_000_000_000;
/// Unix ticks of 0001-01-01T00:00:00Z, the smallest KQL datetime.
pub const MIN_TICKS: i64 = -DOTNET_EPOCH_TICKS;
/// Unix ticks of 9999-12-31T23:59:59.9999999Z, the largest KQL datetime.
pub const MAX_TICKS: i64 = 2_932_897 * TICKS_PER_DAY - 1;

/// The calendar fields of a datetime (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    pub year: i64,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// The 100 ns fraction of the second, below 10,000,000.
    pub ticks: u32,
}

impl Parts {
    /// Unix ticks of these fields; `None` when a field is out of range (`Feb 30`, hour 24) or
    /// the result overflows.
    pub fn to_ticks(self) -> Option<i64> {
        if !(1..=12).contains(&self.month)
            || self.day == 0
            || self.day > days_in_month(self.year, self.month)
            || self.hour > 23
            || self.minute > 59
            || self.second > 59
            || i64::from(self.ticks) >= TICKS_PER_SECOND
        {
            return None;
        }
        let secs =
            i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second);
        days_from_civil(self.year, self.month, self.day)
            .checked_mul(TICKS_PER_DAY)?
            .checked_add(secs * TICKS_PER_SECOND + i64::from(self.ticks))
    }

    /// The fields of Unix ticks.
    pub fn from_ticks(ticks: i64) -> Parts {
        let (year, month, day) = civil_from_days(ticks.div_euclid(TICKS_PER_DAY));
        let t = ticks.rem_euclid(TICKS_PER_DAY);
        let secs = t / TICKS_PER_SECOND;
        Parts {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs / 60 % 60) as u32,
            second: (secs % 60) as u32,
            ticks: (t % TICKS_PER_SECOND) as u32,
        }
    }
}

/// Unix ticks of a UTC calendar date and time; `None` when a field is out of range or the
/// result overflows (see [`Parts::to_ticks`]).
pub fn ticks_from_civil(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    ticks: u32,
) -> Option<i64> {
    Parts {
        year,
        month,
        day,
        hour,
        minute,
        second,
        ticks,
    }
    .to_ticks()
}

/// Whether Kusto can represent these ticks (0001-01-01 to 9999-12-31).
pub fn in_range(ticks: i64) -> bool {
    (MIN_TICKS..=MAX_TICKS).contains(&ticks)
}

/// The canonical text: `2024-01-01T10:00:00Z`, with the fraction of a second only when it is
/// not zero and without trailing zeros (`…:00.5Z`). [`parse_datetime`] reads it back exactly.
pub fn format_datetime(ticks: i64) -> String {
    let p = Parts::from_ticks(ticks);
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        p.year, p.month, p.day, p.hour, p.minute, p.second
    );
    if p.ticks != 0 {
        let digits = format!("{:07}", p.ticks);
        s.push('.');
        s.push_str(digits.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// The text with all seven fraction digits (`2024-01-01T10:00:00.0000000Z`): every value the
/// same width, as the query builder emits them.
pub fn format_datetime_fixed(ticks: i64) -> String {
    let p = Parts::from_ticks(ticks);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        p.year, p.month, p.day, p.hour, p.minute, p.second, p.ticks
    )
}

/// Parses the datetime forms KQL accepts in `datetime(...)` and `todatetime("...")`:
/// `2024-01-01`, `2024-01-01 10:00`, `2024-1-5T10:00:00.5`, an optional `Z` or `±hh:mm` offset
/// (converted to UTC). Fractions beyond seven digits are truncated to the tick.
pub fn parse_datetime(text: &str) -> Result<i64, String> {
    Scanner::new(text.trim(), false).datetime()
}

/// Parses strict RFC 3339 (`2024-01-01T00:00:00Z`, `…T02:00:00.5+02:00`): four-digit year,
/// two-digit fields, a time, at most seven fraction digits and a time zone. For API values
/// and command-line options, where a missing zone is a mistake rather than UTC.
pub fn parse_rfc3339(text: &str) -> Result<i64, String> {
    Scanner::new(text, true).datetime()
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    strict: bool,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, strict: bool) -> Self {
        Scanner {
            b: text.as_bytes(),
            i: 0,
            strict,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Exactly `n` digits when strict, else 1 to `n` (up to 9 for a lenient year).
    fn number(&mut self, n: usize, what: &str) -> Result<u32, String> {
        let start = self.i;
        let most = if self.strict { n } else { n.max(2) };
        while self.i - start < most && self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let len = self.i - start;
        if len == 0 || (self.strict && len != n) {
            self.i = start;
            return Err(format!("expected {what} at byte {start}"));
        }
        Ok(self.b[start..self.i]
            .iter()
            .fold(0, |acc, c| acc * 10 + u32::from(c - b'0')))
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected {what} at byte {}", self.i))
        }
    }

    fn datetime(&mut self) -> Result<i64, String> {
        let year = self.number(4, "a four-digit year")?;
        self.expect(b'-', "`-` after the year")?;
        let month = self.number(2, "a two-digit month")?;
        self.expect(b'-', "`-` after the month")?;
        let day = self.number(2, "a two-digit day")?;
        let (mut hour, mut minute, mut second, mut ticks) = (0, 0, 0, 0u32);
        let has_time = match self.peek() {
            Some(b'T' | b't') => true,
            Some(b' ') if !self.strict => true,
            None if self.strict => {
                return Err("missing time: expected `T` and a time after the date".into())
            }
            None | Some(b'Z' | b'z') if !self.strict => false,
            _ => return Err(format!("expected `T` at byte {}", self.i)),
        };
        if has_time {
            self.i += 1;
            hour = self.number(2, "a two-digit hour")?;
            if self.strict || self.peek() == Some(b':') {
                self.expect(b':', "`:` after the hour")?;
                minute = self.number(2, "a two-digit minute")?;
            }
            if self.peek() == Some(b':') {
                self.i += 1;
                second = self.number(2, "a two-digit second")?;
                if matches!(self.peek(), Some(b'.' | b',')) {
                    self.i += 1;
                    ticks = self.fraction()?;
                }
            }
        }
        let offset_minutes = self.zone()?;
        if self.i != self.b.len() {
            return Err(format!(
                "unexpected text after the datetime at byte {}",
                self.i
            ));
        }
        if year == 0 {
            return Err("year 0 is out of range (0001..=9999)".into());
        }
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not in 1..=12"));
        }
        let year = i64::from(year);
        if day == 0 || day > days_in_month(year, month) {
            return Err(format!("day {day} does not exist in {year:04}-{month:02}"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(format!(
                "time {hour:02}:{minute:02}:{second:02} is out of range"
            ));
        }
        let local = ticks_from_civil(year, month, day, hour, minute, second, ticks)
            .ok_or("datetime out of range")?;
        let utc = local - offset_minutes * TICKS_PER_MINUTE;
        if self.strict && !in_range(utc) {
            return Err("datetime out of range after applying the UTC offset".into());
        }
        Ok(utc)
    }

    /// Fraction digits after the decimal sign, as ticks.
    fn fraction(&mut self) -> Result<u32, String> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let digits = &self.b[start..self.i];
        if digits.is_empty() {
            return Err("expected digits after the decimal point".into());
        }
        if self.strict && digits.len() > 7 {
            return Err(format!(
                "{} fractional digits; at most 7 (100 ns ticks) are supported",
                digits.len()
            ));
        }
        Ok((0..7).fold(0, |acc, k| {
            acc * 10 + digits.get(k).map_or(0, |c| u32::from(c - b'0'))
        }))
    }

    /// `Z`, `±hh:mm` or (lenient only) nothing: the offset from UTC in minutes.
    fn zone(&mut self) -> Result<i64, String> {
        match self.peek() {
            Some(b'Z' | b'z') => {
                self.i += 1;
                Ok(0)
            }
            Some(sign @ (b'+' | b'-')) => {
                self.i += 1;
                let strict = std::mem::replace(&mut self.strict, true);
                let hours = self.number(2, "a two-digit offset hour");
                let minutes = hours.and_then(|h| {
                    self.expect(b':', "`:` in the UTC offset")?;
                    Ok((h, self.number(2, "a two-digit offset minute")?))
                });
                self.strict = strict;
                let (h, m) = minutes?;
                if h > 23 || m > 59 {
                    return Err("UTC offset out of range".into());
                }
                let total = i64::from(h * 60 + m);
                Ok(if sign == b'+' { total } else { -total })
            }
            None if self.strict => Err("missing time zone: add `Z` (the API works in UTC)".into()),
            None => Ok(0),
            Some(_) => Err(format!("unexpected character at byte {}", self.i)),
        }
    }
}

/// Adds calendar months (negative: subtracts), clamping the day to the target month's length
/// as .NET's `AddMonths` does (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(ticks: i64, months: i64) -> Option<i64> {
    let days = ticks.div_euclid(TICKS_PER_DAY);
    let in_day = ticks.rem_euclid(TICKS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let total = y.checked_mul(12)?.checked_add(i64::from(m) - 1 + months)?;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd)
        .checked_mul(TICKS_PER_DAY)?
        .checked_add(in_day)
}

/// A calendar period for `startof*` / `endof*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    /// Weeks start on Sunday, as in Kusto.
    Week,
    Month,
    Year,
}

impl Period {
    /// `day`, `week`, `month` or `year`.
    pub fn from_name(name: &str) -> Option<Period> {
        Some(match name {
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            "year" => Period::Year,
            _ => return None,
        })
    }
}

/// The start of the period holding `ticks`, moved by `offset` periods (`startofmonth(t, -1)`).
pub fn start_of(period: Period, ticks: i64, offset: i64) -> Option<i64> {
    let days = ticks.div_euclid(TICKS_PER_DAY);
    let day_ticks = |d: i64| d.checked_mul(TICKS_PER_DAY);
    match period {
        Period::Day => day_ticks(days.checked_add(offset)?),
        Period::Week => {
            // 1970-01-01 was a Thursday.
            let sunday = days - (days + 4).rem_euclid(7);
            day_ticks(sunday.checked_add(offset.checked_mul(7)?)?)
        }
        Period::Month => {
            let (y, m, _) = civil_from_days(days);
            let total = (y * 12 + i64::from(m) - 1).checked_add(offset)?;
            day_ticks(days_from_civil(
                total.div_euclid(12),
                total.rem_euclid(12) as u32 + 1,
                1,
            ))
        }
        Period::Year => {
            let (y, _, _) = civil_from_days(days);
            day_ticks(days_from_civil(y.checked_add(offset)?, 1, 1))
        }
    }
}

/// `datetime_add(part, n, ticks)`: years, quarters and months on the calendar, the rest as
/// fixed lengths. `part` is case-insensitive; `None` for an unknown part or overflow.
pub fn datetime_add(part: &str, n: i64, ticks: i64) -> Option<i64> {
    let unit = match part.to_ascii_lowercase().as_str() {
        "year" => return add_months(ticks, n.checked_mul(12)?),
        "quarter" => return add_months(ticks, n.checked_mul(3)?),
        "month" => return add_months(ticks, n),
        "week" => 7 * TICKS_PER_DAY,
        "day" => TICKS_PER_DAY,
        "hour" => TICKS_PER_HOUR,
        "minute" => TICKS_PER_MINUTE,
        "second" => TICKS_PER_SECOND,
        "millisecond" => 10_000,
        "microsecond" => 10,
        "nanosecond" => return ticks.checked_add(n / 100),
        _ => return None,
    };
    ticks.checked_add(n.checked_mul(unit)?)
}

/// `bin(datetime, size)`: rounds down to a multiple of `size` counted from 0001-01-01, as
/// Kusto does. `None` when `size` is not positive or on overflow.
pub fn bin_datetime(ticks: i64, size: i64) -> Option<i64> {
    if size <= 0 {
        return None;
    }
    let from_dotnet = ticks.checked_add(DOTNET_EPOCH_TICKS)?;
    Some(from_dotnet - from_dotnet.rem_euclid(size) - DOTNET_EPOCH_TICKS)
}
