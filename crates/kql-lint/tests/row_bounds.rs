//! Labelled tables for the row rules (`unbounded-result`, `row-limit-exceeded`): each row is a
//! query and how many findings of the rule it must produce (0 = negative), and the
//! `unbounded-result` fix's placement, and the time-window cases of issue 14. Every query is
//! valid for Microsoft's parser with the Advanced Hunting schema (`oracle.js check --semantic`),
//! except the one that tests an unknown column (`TimeGenerated`) on purpose. "Now" is fixed at
//! 2026-11-27T00:00:00Z.

use kql_diagnostics::apply_edits;
use kql_lint::{lint_text, Settings};

mod support;
use support::{check_table, count, settings};

/// The text after applying `rule`'s fixes once.
fn fixed(rule: &str, query: &str) -> String {
    let edits: Vec<_> = lint_text(query, &settings())
        .into_iter()
        .filter(|d| d.rule.as_deref() == Some(rule))
        .filter_map(|d| d.fix)
        .flat_map(|f| f.edits)
        .collect();
    apply_edits(query, &edits).0
}

#[test]
fn operator_bounds() {
    check_table(
        "unbounded-result",
        &[
            // One row per column.
            ("DeviceProcessEvents | getschema", 0),
            ("DeviceProcessEvents | count", 0),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | summarize dcount(DeviceId)", 0),
            ("DeviceProcessEvents | summarize count() by DeviceId", 1),
            // fork: each branch bounded by its body.
            ("DeviceProcessEvents | where Timestamp > ago(1d) | fork (take 10) (summarize count())", 0),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | fork (take 10) (where FileName == 'a')", 1),
            // mv-apply: input rows times the body's bound.
            ("DeviceProcessEvents | take 10 | mv-apply Field = todynamic(AdditionalFields) on (take 2)", 0),
            ("DeviceProcessEvents | mv-apply Field = todynamic(AdditionalFields) on (take 2)", 1),
            // Row-keeping operators keep the bound.
            ("DeviceProcessEvents | take 10 | evaluate bag_unpack(AdditionalFields) | project-away DeviceId | render table", 0),
            ("DeviceProcessEvents | take 10 | facet by FileName", 0),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | render timechart", 1),
            // summarize by time bins over a bounded window: at most window / bin (+ edges) rows.
            ("DeviceProcessEvents | where Timestamp > ago(7d) | summarize count() by bin(Timestamp, 1h) | render timechart", 0),
            ("DeviceProcessEvents | where Timestamp between (ago(2d) .. ago(1d)) | summarize Events = count() by Hour = bin(Timestamp, 1m)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize count() by bin(Timestamp, 1s)", 1),
            ("DeviceProcessEvents | summarize count() by bin(Timestamp, 1h)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(7d) | summarize count() by bin(Timestamp, 1h), DeviceId", 1),
            // startofday … startofyear: one group per period of the window.
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize count() by startofday(Timestamp)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize count() by Month = startofmonth(Timestamp) | render columnchart", 0),
            ("DeviceProcessEvents | summarize count() by startofday(Timestamp)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize count() by startofweek(Timestamp), DeviceId", 1),
            // A key pinned by an equality (or `in` list) earlier in the query.
            ("DeviceProcessEvents | where Timestamp > ago(7d) and DeviceId == 'abc' | summarize count() by bin(Timestamp, 1h), DeviceId", 0),
            ("DeviceProcessEvents | where DeviceName in ('a', 'b') | summarize count() by DeviceName", 0),
            ("DeviceProcessEvents | where DeviceName == 'a' | extend x = 1 | summarize count() by DeviceName", 0),
            ("DeviceProcessEvents | where DeviceName != 'a' | summarize count() by DeviceName", 1),
            ("DeviceProcessEvents | where DeviceName == 'a' or FileName == 'b' | summarize count() by DeviceName", 1),
        ],
    );
}

/// The window filtered before an aggregation still bounds a later time-bin summary when the
/// aggregation keeps the time column (`arg_max(…, *)`, a `bin` key, `min`/`max`), under its own
/// name or a new one, and through `let` names and function bodies.
#[test]
fn windows_carry_through_aggregations() {
    check_table(
        "unbounded-result",
        &[
            ("DeviceProcessEvents | where Timestamp > ago(90d) | summarize arg_max(Timestamp, *) by DeviceId, FileName | summarize count() by bin(Timestamp, 30d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(90d) | summarize arg_max(Timestamp, *) by DeviceId | summarize Devices = dcount(DeviceId) by Month = startofmonth(Timestamp) | render columnchart", 0),
            ("DeviceProcessEvents | where Timestamp > ago(90d) | summarize arg_min(Timestamp, FileName) by DeviceId | summarize count() by startofmonth(Timestamp)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize Events = count() by DeviceId, Day = bin(Timestamp, 1d) | summarize Devices = dcount(DeviceId) by bin(Day, 7d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize Events = count() by DeviceId, bin(Timestamp, 1d) | summarize avg(Events) by bin(Timestamp, 7d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize First = min(Timestamp) by DeviceId | summarize count() by bin(First, 1d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | extend Day = startofday(Timestamp) | project-rename When = Day | summarize count() by bin(When, 1d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | project Timestamp, DeviceId | join kind=inner (DeviceInfo | where Timestamp > ago(1d) | distinct DeviceId) on DeviceId | summarize count() by bin(Timestamp, 1d)", 0),
            ("let recent = DeviceProcessEvents | where Timestamp > ago(30d); recent | summarize count() by bin(Timestamp, 1d)", 0),
            ("let recent = (lookback: timespan) { DeviceProcessEvents | where Timestamp > ago(lookback) }; recent(30d) | summarize count() by bin(Timestamp, 1d)", 0),
            // mv-expand and project keep the column (and a filter after a project still bounds).
            ("DeviceProcessEvents | where Timestamp > ago(30d) | mv-expand Field = todynamic(AdditionalFields) | project Timestamp, Field | summarize count() by startofday(Timestamp)", 0),
            ("DeviceProcessEvents | project Timestamp, DeviceId | where Timestamp > ago(360d) | summarize arg_max(Timestamp, *) by DeviceId | summarize make_set(DeviceId) by Month = startofmonth(Timestamp)", 0),
            // A key made a time bin earlier groups like that bin.
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize Events = count() by DeviceId, Day = bin(Timestamp, 1d) | summarize Devices = dcount(DeviceId) by Day", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | extend Week = startofweek(Timestamp) | project-rename StartOfWeek = Week | summarize count() by StartOfWeek", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | extend Day = bin(Timestamp, 1d) | summarize arg_max(Timestamp, *) by DeviceId | summarize count() by Day", 0),
            ("DeviceProcessEvents | where Timestamp > ago(90d) | summarize Events = count() by DeviceId, Minute = bin(Timestamp, 1m) | summarize Devices = dcount(DeviceId) by Minute", 1),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize First = min(Timestamp) by DeviceId | summarize count() by First", 1),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | summarize Events = count() by DeviceId, Day = bin(Timestamp, 1d) | extend Day = now() | summarize count() by Day", 1),
            // The window folds in the call: 90 days of minutes is more than the cap.
            ("let recent = (lookback: timespan) { DeviceProcessEvents | where Timestamp > ago(lookback) }; recent(90d) | summarize count() by bin(Timestamp, 1m)", 1),
            // The time column did not survive: grouped away, overwritten, or not a column.
            ("DeviceProcessEvents | where Timestamp > ago(90d) | summarize count() by DeviceId | summarize count() by bin(now(), 30d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(90d) | summarize Events = count() by DeviceId | extend Timestamp = now() | summarize count() by bin(Timestamp, 30d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(90d) | summarize arg_max(Timestamp, FileName) by DeviceId | project DeviceId, FileName | extend Timestamp = now() | summarize count() by bin(Timestamp, 30d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(90d) | summarize Events = count() by DeviceId, FileName | summarize count() by FileName", 1),
            // Rows of another table join in unfiltered.
            ("DeviceProcessEvents | where Timestamp > ago(30d) | union (DeviceFileEvents) | summarize count() by bin(Timestamp, 1d)", 1),
            // A joined row's time column is the left side's, or the right side's when the left
            // has none (`distinct` dropped it); `leftsemi` keeps only the left's, `rightsemi`
            // only the right's.
            ("DeviceProcessEvents | where Timestamp > ago(30d) | distinct DeviceId | join kind=inner (DeviceFileEvents | where Timestamp > ago(30d)) on DeviceId | summarize count() by bin(Timestamp, 1d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | distinct DeviceId | join kind=inner (DeviceFileEvents) on DeviceId | summarize count() by bin(Timestamp, 1d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | join kind=inner (DeviceFileEvents) on DeviceId | summarize count() by bin(Timestamp, 1d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | join kind=rightsemi (DeviceFileEvents) on DeviceId | summarize count() by bin(Timestamp, 1d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | join kind=leftsemi (DeviceFileEvents) on DeviceId | summarize count() by bin(Timestamp, 1d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(30d) | distinct DeviceId, Timestamp | summarize count() by bin(Timestamp, 1d)", 0),
        ],
    );
}

#[test]
fn row_limit_is_about_the_final_result() {
    check_table(
        "row-limit-exceeded",
        &[
            ("DeviceProcessEvents | take 500000", 1),
            ("DeviceProcessEvents | take 500000 | project FileName", 1),
            // A large take feeding an aggregation is not the result.
            ("DeviceProcessEvents | take 500000 | summarize count() by FileName", 0),
            ("DeviceProcessEvents | take 500000 | count", 0),
            ("let t = DeviceProcessEvents | take 500000; t | summarize count()", 0),
            ("DeviceProcessEvents | top 200000 by Timestamp | take 10", 0),
            ("DeviceProcessEvents | top-nested 1000 of FileName by count(), top-nested 1000 of DeviceId by count()", 1),
            ("DeviceProcessEvents | top-nested 10 of FileName by count(), top-nested 10 of DeviceId by count()", 0),
        ],
    );
    // Reported once, by row-limit-exceeded only.
    assert_eq!(
        count("unbounded-result", "DeviceProcessEvents | take 500000"),
        0
    );
}

#[test]
fn message_tells_the_cap_and_points_at_the_lost_bound() {
    let q = "DeviceProcessEvents | take 10 | mv-expand AdditionalFields | project FileName | order by FileName";
    let d = lint_text(q, &settings())
        .into_iter()
        .find(|d| d.rule.as_deref() == Some("unbounded-result"))
        .unwrap();
    assert_eq!(
        d.message,
        "may return more than 100,000 rows; rows past that are dropped without notice"
    );
    assert_eq!(&q[d.range], "mv-expand AdditionalFields");
    assert_eq!(d.labels.len(), 2, "{:?}", d.labels);
    let s = lint_text(
        "DeviceProcessEvents | summarize count() by DeviceId",
        &settings(),
    );
    let d = s
        .iter()
        .find(|d| d.rule.as_deref() == Some("unbounded-result"));
    assert!(
        d.unwrap().help.as_deref().unwrap().contains("top N by"),
        "{s:?}"
    );
}

#[test]
fn take_goes_before_a_trailing_render() {
    assert_eq!(
        fixed(
            "unbounded-result",
            "DeviceProcessEvents\n| where Timestamp > ago(1d)\n| render timechart"
        ),
        "DeviceProcessEvents\n| where Timestamp > ago(1d)\n| take 100000\n| render timechart"
    );
}

#[test]
fn take_keeps_crlf_line_endings() {
    assert_eq!(
        fixed(
            "unbounded-result",
            "DeviceProcessEvents\r\n| where Timestamp > ago(1d)\r\n"
        ),
        "DeviceProcessEvents\r\n| where Timestamp > ago(1d)\r\n| take 100000\r\n"
    );
    assert_eq!(
        fixed("unbounded-result", "DeviceProcessEvents\r\n| render table"),
        "DeviceProcessEvents\r\n| take 100000\r\n| render table"
    );
}

#[test]
fn contains_is_reported_inside_filters_only() {
    check_table(
        "contains-instead-of-has",
        &[
            ("DeviceProcessEvents | where ProcessCommandLine contains 'mimikatz'", 1),
            ("DeviceProcessEvents | filter ProcessCommandLine contains 'mimikatz'", 1),
            ("DeviceProcessEvents | summarize countif(ProcessCommandLine contains 'mimikatz')", 1),
            ("DeviceProcessEvents | extend Hit = ProcessCommandLine contains 'mimikatz'", 0),
            ("DeviceProcessEvents | project Hit = iff(ProcessCommandLine contains 'mimikatz', 1, 0)", 0),
            ("DeviceProcessEvents | extend K = case(FileName contains 'powershell', 'ps', 'other')", 0),
        ],
    );
}

#[test]
fn rounding_past_the_window_is_not_a_finding() {
    check_table(
        "time-beyond-retention",
        &[
            (
                "DeviceProcessEvents | where Timestamp > startofday(ago(30d))",
                0,
            ),
            ("DeviceProcessEvents | where Timestamp >= ago(30d) - 12h", 0),
            ("DeviceProcessEvents | where Timestamp > ago(31d)", 1),
            (
                "DeviceProcessEvents | where Timestamp > startofday(ago(31d))",
                1,
            ),
        ],
    );
    for now in ["2026-11-27T00:00:00Z", "2026-11-27T23:59:59Z"] {
        let s = Settings::at_unix_ticks(kql_semantic::fold::parse_datetime(now).unwrap())
            .expect("now within years 1..=9999");
        let q = "DeviceProcessEvents | where Timestamp > startofday(ago(30d)) | take 1";
        assert!(lint_text(q, &s).is_empty(), "{now}");
    }
}

#[test]
fn time_filters_in_other_shapes() {
    check_table(
        "time-beyond-retention",
        &[
            ("DeviceProcessEvents | where now() - Timestamp < 45d", 1),
            ("DeviceProcessEvents | where 45d > now() - Timestamp", 1),
            ("DeviceProcessEvents | where now() - Timestamp < 7d", 0),
            (
                "DeviceProcessEvents | where bin(Timestamp, 1d) > ago(60d)",
                1,
            ),
            (
                "DeviceProcessEvents | where bin(Timestamp, 1d) > ago(7d)",
                0,
            ),
            ("DeviceProcessEvents | where ingestion_time() > ago(60d)", 1),
        ],
    );
    check_table(
        "missing-time-filter",
        &[
            // Only a lower bound bounds a read.
            ("DeviceProcessEvents | where Timestamp < ago(1d)", 1),
            ("DeviceProcessEvents | where now() - Timestamp > 1d", 1),
            ("DeviceProcessEvents | where now() - Timestamp < 1d", 0),
            ("DeviceProcessEvents | where ingestion_time() > ago(1d)", 0),
            (
                "DeviceProcessEvents | where bin(Timestamp, 1h) >= ago(1d)",
                0,
            ),
        ],
    );
}

#[test]
fn filters_after_an_aggregation_do_not_narrow_the_read() {
    check_table(
        "time-beyond-retention",
        &[
            ("DeviceProcessEvents | where Timestamp > ago(60d) | summarize arg_max(Timestamp, *) by DeviceId | where Timestamp > ago(1d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(60d) | where Timestamp > ago(1d) | take 1", 0),
            ("DeviceProcessEvents | make-series count() default=0 on Timestamp from ago(60d) to now() step 1d", 1),
            ("DeviceProcessEvents | make-series count() default=0 on Timestamp from ago(7d) to now() step 1d", 0),
            // The unknown column is the one diagnostic.
            ("DeviceProcessEvents | where TimeGenerated > ago(60d) | take 1", 0),
        ],
    );
    check_table(
        "missing-time-filter",
        &[
            ("DeviceProcessEvents | summarize arg_max(Timestamp, *) by DeviceId | where Timestamp > ago(1d)", 1),
            ("DeviceProcessEvents | join kind=inner (DeviceInfo | where Timestamp > ago(1d)) on DeviceId | where Timestamp > ago(1d)", 1),
            ("DeviceProcessEvents | make-series count() default=0 on Timestamp from ago(7d) to now() step 1d", 0),
        ],
    );
}

#[test]
fn filters_after_search_and_find_apply_to_every_table() {
    check_table(
        "time-beyond-retention",
        &[
            // One finding per filter, whichever tables it narrows.
            ("search in (DeviceProcessEvents, DeviceFileEvents) \"x\" | where Timestamp > ago(60d) | take 1", 1),
            ("search in (DeviceProcessEvents, DeviceFileEvents) Timestamp > ago(60d) and \"x\" | take 1", 1),
            ("find in (DeviceProcessEvents, DeviceFileEvents) where Timestamp > ago(60d) | take 1", 1),
            ("find in (DeviceProcessEvents, DeviceFileEvents) where Timestamp > ago(7d) | take 1", 0),
        ],
    );
    check_table(
        "missing-time-filter",
        &[
            ("search in (DeviceProcessEvents, DeviceFileEvents) \"x\" | where Timestamp > ago(1d) | take 1", 0),
            ("find in (DeviceProcessEvents, DeviceFileEvents) where Timestamp > ago(1d) | take 1", 0),
            ("find in (DeviceProcessEvents, DeviceFileEvents) where FileName == 'a' | take 1", 2),
        ],
    );
}
