//! Labelled tables for windows that flow through user functions (arguments, default values,
//! `invoke`, tabular parameters), `union` wildcards and `search` without `in`, and for counts
//! that overflow `long`. Each row is a query and how many findings of the rule it must produce
//! (0 = negative); every query is valid for Microsoft's parser with the Advanced Hunting schema.
//! "Now" is fixed at 2026-11-27T00:00:00Z.

mod support;
use support::{check_table, check_table_after, findings};

const F: &str =
    "let f = (lookback: timespan) { DeviceProcessEvents | where Timestamp > ago(lookback) };";

#[test]
fn windows_through_functions() {
    check_table_after(
        "time-beyond-retention",
        F,
        &[
            (" f(90d)", 1),
            (" f(7d)", 0),
            (" f(lookback = 90d)", 1),
            (" union f(7d), f(90d)", 1),
            // One finding per call past the window, at the call.
            (" union f(60d), f(90d), f(45d)", 3),
            (" union f(7d), f(90d), f(90d)", 2),
        ],
    );
    let table: &[(&str, usize)] = &[
        // A parameter shadows an outer `let` of the same name.
        ("let lookback = 90d; let f = (lookback: timespan) { DeviceProcessEvents | where Timestamp > ago(lookback) }; f(7d)", 0),
        // Default parameter values, used or overridden.
        ("let f = (lookback: timespan = 45d) { DeviceProcessEvents | where Timestamp > ago(lookback) }; f()", 1),
        ("let f = (lookback: timespan = 45d) { DeviceProcessEvents | where Timestamp > ago(lookback) }; f(7d)", 0),
        ("let f = (lookback: timespan = 7d) { DeviceProcessEvents | where Timestamp > ago(lookback) }; f()", 0),
        // A function calling a function: the argument folds in the caller's call.
        ("let f = (lb: timespan) { DeviceProcessEvents | where Timestamp > ago(lb) }; let g = (n: timespan) { f(n * 3) }; g(20d)", 1),
        ("let f = (lb: timespan) { DeviceProcessEvents | where Timestamp > ago(lb) }; let g = (n: timespan) { f(n * 3) }; g(5d)", 0),
        // invoke: the piped table is the first parameter, the arguments start at the second.
        ("let f = (T: (Timestamp: datetime), lookback: timespan) { T | where Timestamp > ago(lookback) }; DeviceProcessEvents | invoke f(90d)", 1),
        ("let f = (T: (Timestamp: datetime), lookback: timespan) { T | where Timestamp > ago(lookback) }; DeviceProcessEvents | invoke f(7d)", 0),
        // A tabular parameter: the body's filters bound the table passed in.
        ("let g = (t: (Timestamp: datetime)) { t | where Timestamp > ago(60d) }; g(DeviceProcessEvents)", 1),
        ("let g = (t: (Timestamp: datetime)) { t | where Timestamp > ago(1d) }; g(DeviceProcessEvents)", 0),
    ];
    check_table("time-beyond-retention", table);
}

/// Where a finding is expected: its primary text, its related location's text, and words of
/// its message.
type Place<'a> = (&'a str, Option<&'a str>, &'a str);

/// A window that comes through a call (a parameter's argument or default) is reported at the
/// call in the query, with the filter in the body as the related location; a filter whose
/// window is the same in every call is reported once, at the filter.
#[test]
fn windows_through_calls_are_reported_at_the_call() {
    let g = "let g = (t: (Timestamp: datetime)) { t | where Timestamp > ago(60d) };";
    let f45 = "let f = (lookback: timespan = 45d) { DeviceProcessEvents | where Timestamp > ago(lookback) };";
    let nested = "let f = (lb: timespan) { DeviceProcessEvents | where Timestamp > ago(lb) }; let g = (n: timespan) { f(n * 3) };";
    let invoke = "let f = (T: (Timestamp: datetime), lookback: timespan) { T | where Timestamp > ago(lookback) };";
    let filter = "Timestamp > ago(lookback)";
    // (query, where each finding is (primary text, related text), in order, and its days back)
    let table: &[(String, &[Place])] = &[
        (
            format!("{F} union f(60d), f(90d), f(45d)"),
            &[
                ("f(60d)", Some(filter), "back 60 days"),
                ("f(90d)", Some(filter), "back 90 days"),
                ("f(45d)", Some(filter), "back 45 days"),
            ],
        ),
        (
            format!("{F} f(lookback = 90d) | take 1"),
            &[("f(lookback = 90d)", Some(filter), "back 90 days")],
        ),
        (
            format!("{f45} f()"),
            &[("f()", Some(filter), "back 45 days")],
        ),
        (
            format!("{nested} g(20d)"),
            &[("g(20d)", Some("Timestamp > ago(lb)"), "back 60 days")],
        ),
        (
            format!("{invoke} DeviceProcessEvents | invoke f(90d)"),
            &[("f(90d)", Some(filter), "back 90 days")],
        ),
        // The body's own window: one finding at the filter, whichever table is passed in.
        (
            format!("{g} union g(DeviceProcessEvents), g(DeviceFileEvents)"),
            &[("Timestamp > ago(60d)", None, "back 60 days")],
        ),
        // A filter after the call that sets the tighter start is the query's own.
        (
            format!("{F} f(90d) | where Timestamp > ago(60d)"),
            &[("Timestamp > ago(60d)", None, "back 60 days")],
        ),
    ];
    for (i, (q, want)) in table.iter().enumerate() {
        let got: Vec<(&str, Option<&str>, bool)> = findings("time-beyond-retention", q)
            .iter()
            .zip(want.iter())
            .map(|(d, w)| {
                let label = d.labels.first().map(|l| &q[l.range]);
                (&q[d.range], label, d.message.contains(w.2))
            })
            .collect();
        let expected: Vec<(&str, Option<&str>, bool)> =
            want.iter().map(|w| (w.0, w.1, true)).collect();
        assert_eq!(
            (findings("time-beyond-retention", q).len(), got),
            (want.len(), expected),
            "#{i}: {q}"
        );
    }
}

#[test]
fn filters_through_functions_bound_the_read() {
    let table: &[(&str, usize)] = &[
        ("let g = (t: (Timestamp: datetime)) { t | where Timestamp > ago(1d) }; g(DeviceProcessEvents)", 0),
        ("let g = (t: (Timestamp: datetime)) { t | take 10 }; g(DeviceProcessEvents)", 1),
        ("let g = (t: (Timestamp: datetime)) { t | take 10 }; g((DeviceProcessEvents | where Timestamp > ago(1d)))", 0),
        ("let f = (T: (Timestamp: datetime)) { T | where Timestamp > ago(1d) }; DeviceProcessEvents | invoke f()", 0),
        ("let f = (T: (Timestamp: datetime)) { T | take 10 }; DeviceProcessEvents | invoke f()", 1),
        // The rows come out of the function at the `invoke` and meet the filters after it
        // (unless the body picked rows already: `take` ends the read).
        ("let f = (T: (Timestamp: datetime)) { T | project Timestamp }; DeviceProcessEvents | invoke f() | where Timestamp > ago(1d)", 0),
        ("let f = (T: (Timestamp: datetime)) { T | take 10 }; DeviceProcessEvents | invoke f() | where Timestamp > ago(1d)", 1),
    ];
    check_table("missing-time-filter", table);
}

#[test]
fn union_wildcards_and_search_read_every_table() {
    check_table(
        "time-beyond-retention",
        &[
            ("union Device* | where Timestamp > ago(45d)", 1),
            ("union Device* | where Timestamp > ago(7d)", 0),
            ("union * | where Timestamp > ago(45d)", 1),
            ("search \"x\" | where Timestamp > ago(60d)", 1),
            ("search \"x\" | where Timestamp > ago(7d)", 0),
            ("search Timestamp > ago(60d) and \"x\"", 1),
        ],
    );
    check_table(
        "missing-time-filter",
        &[
            ("union Device*", 1),
            (
                "union withsource=T Device* | where Timestamp > ago(1d) | take 10",
                0,
            ),
            ("search \"x\"", 1),
            ("search \"x\" | where Timestamp > ago(7d)", 0),
            // `search` after a table filters that table; it reads nothing else.
            (
                "DeviceProcessEvents | where Timestamp > ago(1d) | search \"x\"",
                0,
            ),
            ("find where FileName == \"x\"", 1),
            (
                "find where FileName == \"x\" | where Timestamp > ago(1d)",
                0,
            ),
        ],
    );
}

#[test]
fn reads_of_every_table_are_reported_where_they_happen() {
    let found = findings("missing-time-filter", "union Device* | take 10");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("every table matching `Device*`"),
        "{}",
        found[0].message
    );
    let found = findings("missing-time-filter", "search \"x\"");
    assert_eq!(found.len(), 1);
    assert_eq!(u32::from(found[0].range.start()), 0);
    assert_eq!(
        u32::from(found[0].range.end()),
        6,
        "at the `search` keyword"
    );
}

#[test]
fn a_count_that_overflows_long_is_reported_as_such() {
    let big = "DeviceProcessEvents | where Timestamp > ago(1d) | take 99999999999999999999";
    let found = findings("row-limit-exceeded", big);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("overflows `long`"),
        "{}",
        found[0].message
    );
    // Reported once, by row-limit-exceeded.
    assert_eq!(findings("unbounded-result", big).len(), 0);
    check_table(
        "row-limit-exceeded",
        &[
            ("DeviceProcessEvents | where Timestamp > ago(1d) | top 99999999999999999999 by Timestamp", 1),
            // Not the final result: the aggregation sets the bound.
            ("DeviceProcessEvents | where Timestamp > ago(1d) | take 99999999999999999999 | summarize count()", 0),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | take 9223372036854775807", 1),
        ],
    );
}

#[test]
fn a_count_through_a_parameter_bounds_the_result() {
    let f = "let f = (n: long = 10) { DeviceProcessEvents | where Timestamp > ago(1d) | take n };";
    check_table_after(
        "unbounded-result",
        f,
        &[(" f(5)", 0), (" f()", 0), (" f(5) | union f(7)", 0)],
    );
    // A call whose count is over the cap: reported once, at the call, with the bound.
    let over = format!("{f} f(500000)");
    let found = findings("unbounded-result", &over);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("up to 500,000 rows"),
        "{}",
        found[0].message
    );
    assert_eq!(findings("row-limit-exceeded", &over).len(), 0);
}
