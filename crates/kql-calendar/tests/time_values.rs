//! Parsing, printing and arithmetic of KQL datetimes and timespans.

use kql_calendar::*;
use proptest::prelude::*;

fn dt(text: &str) -> i64 {
    parse_datetime(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn kql_datetime_forms() {
    let midnight = dt("2024-01-01T00:00:00Z");
    assert_eq!(midnight, 19_723 * TICKS_PER_DAY);
    assert_eq!(dt("2024-01-01"), midnight);
    assert_eq!(dt("2024-1-1"), midnight);
    assert_eq!(dt("2024-01-01 10:00"), midnight + 10 * TICKS_PER_HOUR);
    assert_eq!(dt("2024-01-01T10"), midnight + 10 * TICKS_PER_HOUR);
    assert_eq!(dt("2024-01-01T00:00:00.5"), midnight + 5_000_000);
    assert_eq!(dt("2024-01-01T00:00:00.123456789Z"), midnight + 1_234_567);
    assert_eq!(dt("2024-01-01T02:00:00+02:00"), midnight);
    assert_eq!(dt("1969-12-31T23:59:59.9999999Z"), -1);
    for bad in [
        "",
        "2024",
        "2024-13-01",
        "2023-02-29",
        "2024-01-01T24:00",
        "2024-01-01x",
    ] {
        assert!(parse_datetime(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn rfc3339_is_strict_with_reasons() {
    assert_eq!(parse_rfc3339("2024-01-01T00:00:00Z"), Ok(dt("2024-01-01")));
    let cases = [
        ("2024-01-01", "missing time"),
        ("2024-01-01T00:00:00", "missing time zone"),
        ("2024-1-01T00:00:00Z", "two-digit month"),
        ("2024-01-01 00:00:00Z", "expected `T`"),
        ("2024-01-01T00:00:00.12345678Z", "8 fractional digits"),
        ("0000-01-01T00:00:00Z", "year 0"),
        ("9999-12-31T23:00:00-02:00", "out of range"),
    ];
    for (text, want) in cases {
        let e = parse_rfc3339(text).unwrap_err();
        assert!(e.contains(want), "{text}: {e}");
    }
}

#[test]
fn printing() {
    assert_eq!(format_datetime(0), "1970-01-01T00:00:00Z");
    assert_eq!(format_datetime(5_000_000), "1970-01-01T00:00:00.5Z");
    assert_eq!(format_datetime(MIN_TICKS), "0001-01-01T00:00:00Z");
    assert_eq!(format_datetime(MAX_TICKS), "9999-12-31T23:59:59.9999999Z");
    assert_eq!(format_datetime_fixed(0), "1970-01-01T00:00:00.0000000Z");
    assert_eq!(format_timespan(90 * TICKS_PER_MINUTE), "90m");
    assert_eq!(format_timespan(7 * TICKS_PER_DAY), "7d");
    assert_eq!(format_timespan(-5 * TICKS_PER_MINUTE), "-5m");
    assert_eq!(format_timespan(50), "5microseconds");
    assert_eq!(format_timespan(10), "1microsecond");
    assert_eq!(format_timespan(3), "3ticks");
    assert_eq!(format_timespan(0), "0s");
}

#[test]
fn timespan_literals() {
    assert_eq!(parse_timespan("1d"), Some(TICKS_PER_DAY));
    assert_eq!(parse_timespan("1.5h"), Some(90 * TICKS_PER_MINUTE));
    assert_eq!(parse_timespan("30min"), Some(30 * TICKS_PER_MINUTE));
    assert_eq!(parse_timespan("100ms"), Some(1_000_000));
    assert_eq!(parse_timespan("-2h"), Some(-2 * TICKS_PER_HOUR));
    assert_eq!(parse_timespan("2"), Some(2 * TICKS_PER_DAY));
    assert_eq!(parse_timespan("1.02:00:00"), Some(26 * TICKS_PER_HOUR));
    assert_eq!(parse_timespan("00:30"), Some(30 * TICKS_PER_MINUTE));
    assert_eq!(parse_timespan("00:00:01.5"), Some(15_000_000));
    assert_eq!(parse_timespan("0.1tick"), Some(0), "rounds to the tick");
    assert_eq!(parse_timespan("-9223372036854775808ticks"), Some(i64::MIN));
    for bad in ["", "d", "1x", "1..5h", "99999999999999999999d", "1:2:3:4"] {
        assert_eq!(parse_timespan(bad), None, "{bad:?}");
    }
}

#[test]
fn calendar_arithmetic() {
    let t = dt("2024-03-31T12:00:00Z");
    assert_eq!(add_months(t, -1), Some(dt("2024-02-29T12:00:00Z")));
    assert_eq!(add_months(t, -13), Some(dt("2023-02-28T12:00:00Z")));
    assert_eq!(
        datetime_add("Quarter", 1, t),
        Some(dt("2024-06-30T12:00:00Z"))
    );
    assert_eq!(datetime_add("hour", 2, t), Some(t + 2 * TICKS_PER_HOUR));
    assert_eq!(datetime_add("fortnight", 1, t), None);
    assert_eq!(
        start_of(Period::Week, t, 0),
        Some(dt("2024-03-31")),
        "a Sunday"
    );
    assert_eq!(start_of(Period::Month, t, 1), Some(dt("2024-04-01")));
    assert_eq!(start_of(Period::Year, t, -1), Some(dt("2023-01-01")));
    assert_eq!(start_of(Period::Day, t, 0), Some(dt("2024-03-31")));
    assert_eq!(Period::from_name("week"), Some(Period::Week));
    assert_eq!(bin_datetime(t, TICKS_PER_DAY), Some(dt("2024-03-31")));
    assert_eq!(
        bin_datetime(t, 7 * TICKS_PER_DAY),
        Some(dt("2024-03-25")),
        "from 0001-01-01, a Monday"
    );
    assert_eq!(bin_datetime(t, 0), None);
}

proptest! {
    #[test]
    fn datetimes_round_trip(ticks in MIN_TICKS..=MAX_TICKS) {
        prop_assert_eq!(parse_datetime(&format_datetime(ticks)), Ok(ticks));
        prop_assert_eq!(parse_rfc3339(&format_datetime(ticks)), Ok(ticks));
        prop_assert_eq!(parse_datetime(&format_datetime_fixed(ticks)), Ok(ticks));
        let p = Parts::from_ticks(ticks);
        prop_assert_eq!(p.to_ticks(), Some(ticks));
    }

    #[test]
    fn timespans_round_trip(ticks in any::<i64>()) {
        prop_assert_eq!(parse_timespan(&format_timespan(ticks)), Some(ticks));
    }

    #[test]
    fn month_arithmetic_stays_in_the_month(ticks in MIN_TICKS / 2..=MAX_TICKS / 2, months in -1200i64..1200) {
        let moved = add_months(ticks, months).unwrap();
        let (a, b) = (Parts::from_ticks(ticks), Parts::from_ticks(moved));
        prop_assert_eq!(a.year * 12 + i64::from(a.month) + months, b.year * 12 + i64::from(b.month));
        prop_assert!(b.day <= a.day);
        prop_assert_eq!((a.hour, a.minute, a.second, a.ticks), (b.hour, b.minute, b.second, b.ticks));
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,40}") {
        let _ = parse_datetime(&text);
        let _ = parse_rfc3339(&text);
        let _ = parse_timespan(&text);
    }
}
