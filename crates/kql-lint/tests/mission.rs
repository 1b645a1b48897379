//! Labelled tables for the mission rules: each row is a query and how many findings of the rule
//! it must produce (0 = negative). "Now" is fixed at 2026-11-27T00:00:00Z.

use kql_lint::Settings;

mod support;
use support::{check_table, check_table_after, findings_with, settings};

/// [`check_table`] for a mission rule's labelled table, which holds 40 rows or more.
fn check_mission_table(rule: &str, table: &[(&str, usize)]) {
    assert!(table.len() >= 40, "{rule}: only {} rows", table.len());
    check_table(rule, table);
}

#[test]
fn time_beyond_retention_table() {
    check_mission_table(
        "time-beyond-retention",
        &[
            // Plain comparisons, both operand orders.
            ("DeviceProcessEvents | where Timestamp > ago(45d)", 1),
            ("DeviceProcessEvents | where Timestamp >= ago(31d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(30d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(7d)", 0),
            ("DeviceProcessEvents | where ago(45d) < Timestamp", 1),
            ("DeviceProcessEvents | where ago(45d) > Timestamp", 1),
            ("DeviceProcessEvents | where ago(7d) <= Timestamp", 0),
            ("DeviceProcessEvents | where Timestamp < ago(40d)", 1),
            ("DeviceProcessEvents | where Timestamp < ago(1d)", 0),
            ("DeviceProcessEvents | where Timestamp == datetime(2020-01-01)", 1),
            // now(), now(offset), datetime literals, arithmetic.
            ("DeviceProcessEvents | where Timestamp > now(-60d)", 1),
            ("DeviceProcessEvents | where Timestamp > now() - 60d", 1),
            ("DeviceProcessEvents | where Timestamp > now() - 2 * 10d", 0),
            ("DeviceProcessEvents | where Timestamp > datetime(2026-11-01)", 0),
            ("DeviceProcessEvents | where Timestamp > datetime(2026-10-01 10:00)", 1),
            ("DeviceProcessEvents | where Timestamp > startofmonth(now(), -2)", 1),
            ("DeviceProcessEvents | where Timestamp > startofday(ago(10d))", 0),
            ("DeviceProcessEvents | where Timestamp > datetime_add('month', -3, now())", 1),
            ("DeviceProcessEvents | where Timestamp > datetime_add('day', -3, now())", 0),
            // between / !between.
            ("DeviceProcessEvents | where Timestamp between (ago(60d) .. ago(1d))", 1),
            ("DeviceProcessEvents | where Timestamp between (ago(7d) .. now())", 0),
            ("DeviceProcessEvents | where Timestamp between (datetime(2020-01-01) .. 1d)", 1),
            ("DeviceProcessEvents | where Timestamp !between (ago(60d) .. ago(50d))", 0),
            // and = tightest, or = loosest.
            ("DeviceProcessEvents | where Timestamp > ago(60d) and Timestamp > ago(7d)", 0),
            ("DeviceProcessEvents | where Timestamp > ago(60d) or Timestamp > ago(7d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(60d) | where Timestamp > ago(7d)", 0),
            ("DeviceProcessEvents | where (Timestamp > ago(5d) or Timestamp > ago(50d)) and FileName == 'a'", 1),
            // let indirection.
            ("let lookback = 14d; DeviceProcessEvents | where Timestamp > ago(lookback * 2)", 0),
            ("let lookback = 14d; DeviceProcessEvents | where Timestamp > ago(lookback * 3)", 1),
            ("let start = ago(90d); DeviceProcessEvents | where Timestamp > start", 1),
            ("let base = DeviceProcessEvents | where Timestamp > ago(40d); base | take 10", 1),
            ("let base = DeviceProcessEvents; base | where Timestamp > ago(40d)", 1),
            ("let base = DeviceProcessEvents; base | where Timestamp > ago(4d)", 0),
            ("let f = () { DeviceProcessEvents | where Timestamp > ago(90d) }; f() | take 1", 1),
            // Traps: text in strings and comments, tables without a time column.
            ("DeviceProcessEvents | where Timestamp > ago(1d) | where ProcessCommandLine has 'ago(40d)'", 0),
            ("// Timestamp > ago(40d)\nDeviceProcessEvents | where Timestamp > ago(1d)", 0),
            ("DeviceTvmSoftwareInventory | where Timestamp > ago(90d)", 0),
            ("UnknownTable | where Timestamp > ago(90d)", 0),
            // Every leg of union / join / lookup, every statement.
            ("union (DeviceProcessEvents | where Timestamp > ago(1d)), (DeviceFileEvents | where Timestamp > ago(45d))", 1),
            // Both legs pass through the same filter: one finding at that filter.
            ("union DeviceProcessEvents, DeviceFileEvents | where Timestamp > ago(45d)", 1),
            ("union (DeviceProcessEvents | where Timestamp > ago(50d)), (DeviceFileEvents | where Timestamp > ago(60d))", 2),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | join kind=inner (DeviceNetworkEvents | where Timestamp > ago(60d)) on DeviceId", 1),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | lookup (DeviceInfo | where Timestamp > ago(60d)) on DeviceId", 1),
            ("DeviceProcessEvents | where Timestamp > ago(40d); DeviceFileEvents | where Timestamp > ago(50d)", 2),
            // `TimeGenerated` is not a column of the Defender table: the unknown column (KQL202) is
            // the one diagnostic, not also a retention finding.
            ("DeviceProcessEvents | where TimeGenerated > ago(90d)", 0),
            // Non-constant bounds are not guessed.
            ("DeviceProcessEvents | where Timestamp > LastSeen", 0),
        ],
    );
}

#[test]
fn unbounded_result_table() {
    check_mission_table(
        "unbounded-result",
        &[
            ("DeviceProcessEvents | where Timestamp > ago(1d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | take 10", 0),
            ("DeviceProcessEvents | limit 100000", 0),
            // A count over the cap is row-limit-exceeded's finding, reported once.
            ("DeviceProcessEvents | limit 100001", 0),
            ("DeviceProcessEvents | top 10 by Timestamp", 0),
            ("DeviceProcessEvents | sample 10", 0),
            ("DeviceProcessEvents | sample-distinct 10 of FileName", 0),
            ("DeviceProcessEvents | top-hitters 10 of FileName", 0),
            ("DeviceProcessEvents | count", 0),
            ("DeviceProcessEvents | summarize count()", 0),
            ("DeviceProcessEvents | summarize count() by DeviceId", 1),
            ("DeviceProcessEvents | take 10 | summarize count() by DeviceId", 0),
            ("DeviceProcessEvents | make-series count() on Timestamp step 1d", 0),
            ("print x = 1", 0),
            ("datatable(a:int)[1, 2, 3]", 0),
            ("range x from 1 to 10 step 1", 0),
            ("range x from 1 to 1000000 step 1", 1),
            ("range x from ago(1d) to now() step 1m", 0),
            ("DeviceProcessEvents | top-nested 3 of FileName by count(), top-nested 2 of DeviceId by count()", 0),
            // Operators that never add rows keep the bound.
            ("DeviceProcessEvents | take 10 | where FileName == 'a' | project FileName | extend x = 1 | order by FileName | distinct FileName", 0),
            ("DeviceProcessEvents | take 10 | serialize | parse FileName with a '.' b | as T", 0),
            // take before mv-expand does not bound; mv-expand limit does.
            ("DeviceProcessEvents | take 10 | mv-expand AdditionalFields", 1),
            ("DeviceProcessEvents | take 10 | mv-expand AdditionalFields limit 5", 0),
            ("DeviceProcessEvents | mv-expand AdditionalFields | take 10", 0),
            ("DeviceProcessEvents | take 10 | mv-apply x = todynamic(AdditionalFields) on (take 1)", 0),
            ("DeviceProcessEvents | take 10 | mv-apply x = todynamic(AdditionalFields) on (where x == 1)", 1),
            ("DeviceProcessEvents | take 10 | evaluate bag_unpack(AdditionalFields)", 0),
            ("externaldata(a:string)['https://example.com/x.csv']", 1),
            // join / lookup multiply, leftsemi / leftanti keep the left, union adds.
            ("DeviceProcessEvents | take 10 | join kind=inner (DeviceInfo | take 10) on DeviceId", 0),
            ("DeviceProcessEvents | take 1000 | join kind=inner (DeviceInfo | take 1000) on DeviceId", 1),
            ("DeviceProcessEvents | take 10 | join kind=inner (DeviceInfo) on DeviceId", 1),
            ("DeviceProcessEvents | take 10 | join kind=leftsemi (DeviceInfo) on DeviceId", 0),
            ("DeviceProcessEvents | take 10 | join kind=leftanti (DeviceInfo) on DeviceId", 0),
            ("DeviceProcessEvents | take 10 | lookup (DeviceInfo | take 5) on DeviceId", 0),
            ("DeviceProcessEvents | take 10 | lookup (DeviceInfo) on DeviceId", 1),
            ("union (DeviceProcessEvents | take 60000), (DeviceFileEvents | take 60000)", 1),
            ("union (DeviceProcessEvents | take 6), (DeviceFileEvents | take 6)", 0),
            ("DeviceProcessEvents | take 10 | union (DeviceFileEvents | take 5)", 0),
            // let indirection and every statement.
            ("let t = DeviceProcessEvents | take 10; t | where FileName == 'a'", 0),
            ("let n = 50; DeviceProcessEvents | take n", 0),
            ("let n = 500000; DeviceProcessEvents | take n", 0),
            ("DeviceProcessEvents | take 1; DeviceFileEvents", 1),
            ("DeviceProcessEvents; DeviceFileEvents", 2),
            // A let alone returns nothing.
            ("let t = DeviceProcessEvents;", 0),
            // Text in comments and strings does not count.
            ("DeviceProcessEvents // | take 10\n| where FileName == '| take 10'", 1),
        ],
    );
}

#[test]
fn missing_time_filter_table() {
    check_mission_table(
        "missing-time-filter",
        &[
            ("DeviceProcessEvents", 1),
            ("DeviceProcessEvents | take 10", 1),
            ("DeviceProcessEvents | where FileName == 'cmd.exe'", 1),
            ("DeviceProcessEvents | where Timestamp > ago(1d)", 0),
            // Only a lower bound bounds a read.
            ("DeviceProcessEvents | where Timestamp < ago(1d)", 1),
            ("DeviceProcessEvents | where ago(1d) < Timestamp", 0),
            ("DeviceProcessEvents | where Timestamp between (ago(2d) .. ago(1d))", 0),
            ("DeviceProcessEvents | where Timestamp !between (ago(2d) .. ago(1d))", 1),
            ("DeviceProcessEvents | where Timestamp > LastSeen", 0),
            ("DeviceProcessEvents | where FileName == 'a' and Timestamp > ago(1d)", 0),
            ("DeviceProcessEvents | where FileName == 'a' or Timestamp > ago(1d)", 1),
            ("DeviceProcessEvents | where Timestamp > ago(1d) or Timestamp > ago(2d)", 0),
            ("DeviceProcessEvents | where FileName == 'a' | where Timestamp > ago(1d)", 0),
            ("DeviceProcessEvents | where isnotempty(Timestamp)", 1),
            ("DeviceProcessEvents | where Timestamp in (datetime(2026-11-20), datetime(2026-11-21))", 0),
            // Tables without a time column, unknown tables, non-table names.
            ("DeviceTvmSoftwareInventory", 0),
            ("DeviceTvmSoftwareVulnerabilities | take 10", 0),
            ("NoSuchTable | take 10", 0),
            ("print Timestamp = now()", 0),
            // let indirection.
            ("let t = DeviceProcessEvents; t | where Timestamp > ago(1d)", 0),
            ("let t = DeviceProcessEvents; t | take 1", 1),
            ("let t = DeviceProcessEvents | where Timestamp > ago(1d); t | take 1", 0),
            ("let t = DeviceProcessEvents;", 0),
            ("let t = materialize(DeviceProcessEvents); t | where Timestamp > ago(1d)", 0),
            ("let t = DeviceProcessEvents; t | where Timestamp > ago(1d) | union t", 1),
            ("let f = () { DeviceProcessEvents }; f() | where Timestamp > ago(1d)", 0),
            ("let f = () { DeviceProcessEvents }; f() | take 1", 1),
            ("let DeviceProcessEvents = datatable(a:int)[1]; DeviceProcessEvents", 0),
            // union, join, lookup legs.
            ("union DeviceProcessEvents, DeviceFileEvents | where Timestamp > ago(1d)", 0),
            ("union DeviceProcessEvents, (DeviceFileEvents | where Timestamp > ago(1d))", 1),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | join kind=inner (DeviceNetworkEvents) on DeviceId", 1),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | join kind=inner (DeviceNetworkEvents | where Timestamp > ago(1d)) on DeviceId", 0),
            // A filter after the join does not narrow what either side read.
            ("DeviceProcessEvents | join kind=inner (DeviceNetworkEvents) on DeviceId | where Timestamp > ago(1d)", 2),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | lookup DeviceInfo on DeviceId", 1),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | lookup (DeviceInfo | where Timestamp > ago(1d)) on DeviceId", 0),
            // Subqueries are filtered on their own.
            ("DeviceProcessEvents | where Timestamp > ago(1d) | where DeviceId in ((DeviceInfo | distinct DeviceId))", 1),
            ("DeviceProcessEvents | where Timestamp > ago(1d) | where DeviceId in ((DeviceInfo | where Timestamp > ago(1d) | distinct DeviceId))", 0),
            // Traps: comments and strings.
            ("// | where Timestamp > ago(1d)\nDeviceProcessEvents", 1),
            ("DeviceProcessEvents | where FileName == 'Timestamp > ago(1d)'", 1),
            // Every statement.
            ("DeviceProcessEvents | where Timestamp > ago(1d); DeviceFileEvents | take 1", 1),
            // Sentinel's TimeGenerated on the same tables.
            ("DeviceProcessEvents | where TimeGenerated > ago(1d)", 0),
        ],
    );
}

#[test]
fn row_limit_exceeded_table() {
    check_table(
        "row-limit-exceeded",
        &[
            ("DeviceProcessEvents | take 100000", 0),
            ("DeviceProcessEvents | take 100001", 1),
            ("DeviceProcessEvents | limit 500000", 1),
            ("DeviceProcessEvents | top 200000 by Timestamp", 1),
            ("DeviceProcessEvents | sample 1000000", 1),
            ("let n = 200000; DeviceProcessEvents | take n", 1),
            ("DeviceProcessEvents | take 10", 0),
            ("DeviceProcessEvents | where x == 'take 500000'", 0),
        ],
    );
}

/// The request window, the retention and the row cap change what the rules report: each row is
/// the settings (and their name for the failure message), a rule, a query and how many findings
/// it must produce.
#[test]
fn limits_are_settings() {
    let week = settings().with_timespan("P7D").unwrap();
    let wide = settings().with_timespan("P45D").unwrap();
    let mut long_retention = settings();
    long_retention.retention_days = 180;
    let mut small_cap = settings();
    small_cap.max_rows = 5;
    let take_10 = "DeviceProcessEvents | take 10";
    let cases: &[(&str, &Settings, &str, &str, usize)] = &[
        // The request window narrows the range like a filter.
        (
            "timespan P7D",
            &week,
            "time-beyond-retention",
            "DeviceProcessEvents | where Timestamp > ago(45d)",
            0,
        ),
        (
            "timespan P7D",
            &week,
            "missing-time-filter",
            "DeviceProcessEvents | take 1",
            0,
        ),
        (
            "timespan P45D",
            &wide,
            "time-beyond-retention",
            "print 1",
            1,
        ),
        (
            "retention 180 days",
            &long_retention,
            "time-beyond-retention",
            "DeviceProcessEvents | where Timestamp > ago(90d)",
            0,
        ),
        ("max rows 5", &small_cap, "unbounded-result", take_10, 0),
        ("max rows 5", &small_cap, "row-limit-exceeded", take_10, 1),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(name, s, rule, q, want)| {
            let got = findings_with(rule, s, q).len();
            (got != want).then(|| format!("{name}, {rule}: want {want}, got {got}: {q}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `isnull-on-string` judges a column by its type where it is used (the semantic model's row
/// schema), not by the table the pipeline starts from.
#[test]
fn isnull_on_string_uses_the_type_in_scope() {
    let table: &[(&str, usize)] = &[
        (" | where isnull(AccountName)", 1),
        (" | where isnull(ProcessId)", 0),
        // extend: the name now holds a long.
        (" | extend AccountName = 1 | where isnull(AccountName)", 0),
        (" | extend Cmd = tolower(ProcessCommandLine) | where isnull(Cmd)", 1),
        // project: computed and kept columns.
        (" | project Name = strcat(AccountName, \"x\"), ProcessId | where isnotnull(Name) or isnull(ProcessId)", 1),
        (" | project AccountName = ProcessId | where isnull(AccountName)", 0),
        // project-rename: the new name keeps the string type; the old one is gone.
        (" | project-rename User = AccountName | where isnull(User)", 1),
        // summarize: by columns keep their type, aggregates have theirs.
        (" | summarize n = count() by AccountName | where isnull(AccountName) or isnull(n)", 1),
        (" | summarize AccountName = count() by DeviceId | where isnull(AccountName)", 0),
        // join: columns of the right side.
        (" | join kind=inner (DeviceNetworkEvents | project DeviceId, RemoteUrl) on DeviceId | where isnull(RemoteUrl)", 1),
        (" | join kind=inner (DeviceNetworkEvents | project DeviceId, U = RemotePort) on DeviceId | where isnull(U)", 0),
    ];
    check_table_after(
        "isnull-on-string",
        "DeviceProcessEvents | where Timestamp > ago(1d)",
        table,
    );
}
