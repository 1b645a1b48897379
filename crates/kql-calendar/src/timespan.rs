//! KQL `timespan` values as signed ticks (100 ns): literal parsing and printing.

use crate::{TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND};

/// Literal units, largest first: ticks per unit, singular and plural spelling for printing.
const UNITS: [(i64, &str, &str); 7] = [
    (TICKS_PER_DAY, "d", "d"),
    (TICKS_PER_HOUR, "h", "h"),
    (TICKS_PER_MINUTE, "m", "m"),
    (TICKS_PER_SECOND, "s", "s"),
    (10_000, "ms", "ms"),
    (10, "microsecond", "microseconds"),
    (1, "tick", "ticks"),
];

/// Ticks per unit of a literal suffix (`d`, `hours`, `min`, `ms`, `tick`…); `""` means days, as
/// in `timespan(2)`.
fn unit_ticks(unit: &str) -> Option<i64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "" | "d" | "day" | "days" => TICKS_PER_DAY,
        "h" | "hr" | "hrs" | "hour" | "hours" => TICKS_PER_HOUR,
        "m" | "min" | "minute" | "minutes" => TICKS_PER_MINUTE,
        "s" | "sec" | "second" | "seconds" => TICKS_PER_SECOND,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 10_000,
        "microsecond" | "microseconds" => 10,
        "tick" | "ticks" => 1,
        _ => return None,
    })
}

/// The literal text with the largest unit that divides the value exactly (`7d`, `90m`, `5ms`,
/// `5microseconds`, `3ticks`, `0s`), never a fraction; negative values start with `-`.
/// [`parse_timespan`] reads every output back exactly, `i64::MIN` ticks included.
pub fn format_timespan(ticks: i64) -> String {
    if ticks == 0 {
        return "0s".into();
    }
    let sign = if ticks < 0 { "-" } else { "" };
    let magnitude = ticks.unsigned_abs();
    let (unit, one, many) = UNITS
        .iter()
        .copied()
        .find(|(u, _, _)| magnitude.is_multiple_of(*u as u64))
        .unwrap_or(UNITS[6]);
    let n = magnitude / unit as u64;
    format!("{sign}{n}{}", if n == 1 { one } else { many })
}

/// Parses a KQL timespan literal (`1d`, `1.5h`, `30min`, `100ms`, `-2h`, a bare number of days)
/// or the clock form `[-][d.]hh:mm[:ss[.fffffff]]` of `timespan(...)`. Exact: a fraction is
/// rounded to the nearest tick, half away from zero. `None` for anything else or on overflow.
pub fn parse_timespan(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix('-') {
        let magnitude = magnitude(rest.trim_start())?;
        return i64::try_from(-magnitude).ok();
    }
    i64::try_from(magnitude(t)?).ok()
}

/// The unsigned value of `text` in ticks, wide enough for `i64::MIN`'s magnitude.
fn magnitude(t: &str) -> Option<i128> {
    if t.contains(':') {
        return clock(t);
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = i128::from(unit_ticks(unit)?);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    // 18 fraction digits are more than a tick of a day needs (8.64e11 ticks).
    let fraction = &fraction[..fraction.len().min(18)];
    let scale = 10i128.pow(fraction.len() as u32);
    let num: i128 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let part = (num * unit * 2 + scale) / (2 * scale);
    whole.checked_mul(unit)?.checked_add(part)
}

/// `[d.]hh:mm[:ss[.fffffff]]`.
fn clock(t: &str) -> Option<i128> {
    let (days, rest) = match t.split_once(':') {
        Some((head, _)) if head.contains('.') => {
            let (d, _) = head.split_once('.')?;
            (d.parse::<i128>().ok()?, &t[d.len() + 1..])
        }
        _ => (0, t),
    };
    let mut parts = rest.split(':');
    let h: i128 = parts.next()?.parse().ok()?;
    let m: i128 = parts.next()?.parse().ok()?;
    let (s, frac) = match parts.next() {
        Some(sec) => {
            let (w, f) = sec.split_once('.').unwrap_or((sec, ""));
            if !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let digits: String = f.chars().chain(std::iter::repeat('0')).take(7).collect();
            (w.parse::<i128>().ok()?, digits.parse::<i128>().ok()?)
        }
        None => (0, 0),
    };
    if parts.next().is_some() {
        return None;
    }
    days.checked_mul(i128::from(TICKS_PER_DAY))?
        .checked_add(h * i128::from(TICKS_PER_HOUR))?
        .checked_add(m * i128::from(TICKS_PER_MINUTE))?
        .checked_add(s * i128::from(TICKS_PER_SECOND))?
        .checked_add(frac)
}
