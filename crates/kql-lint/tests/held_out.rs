//! Held-out labelled queries for the mission rules, written separately from `mission.rs` (after
//! the rules were done) in the style of real hunting queries: multi-line, comments, other tables.

mod support;
use support::check_table;

#[test]
fn held_out_time_beyond_retention() {
    check_table("time-beyond-retention", &[
        ("EmailEvents\n| where Timestamp >= ago(35d)\n| where ThreatTypes has \"Phish\"\n| take 100", 1),
        ("let Window = 2d;\nEmailEvents\n| where Timestamp > ago(Window)\n| count", 0),
        ("let Start = datetime(2026-11-20);\nlet End = Start + 3d;\nIdentityLogonEvents\n| where Timestamp between (Start .. End)\n| count", 0),
        ("let Start = datetime(2026-08-01);\nIdentityLogonEvents\n| where Timestamp between (Start .. 7d)\n| count", 1),
        ("DeviceRegistryEvents\n| where Timestamp > startofweek(now(), -10)\n| count", 1),
        ("DeviceRegistryEvents\n| where Timestamp > startofweek(now())\n| count", 0),
        ("DeviceLogonEvents\n| where Timestamp > ago(3d)\n// | where Timestamp > ago(90d)\n| count", 0),
        ("DeviceLogonEvents\n| where ActionType == \"LogonFailed\" and Timestamp > ago(1d) or Timestamp > ago(100d)\n| count", 1),
        ("DeviceLogonEvents\n| where (ActionType == \"LogonFailed\" or AccountName == \"x\") and Timestamp > ago(1d)\n| count", 0),
        ("AlertInfo\n| where Timestamp > ago(7d)\n| join kind=inner (AlertEvidence | where Timestamp > ago(31d)) on AlertId\n| count", 1),
        ("DeviceInfo\n| where Timestamp > todatetime('2025-01-01')\n| count", 1),
        ("DeviceInfo\n| where Timestamp > bin(now(), 1d) - 45d\n| count", 1),
        ("DeviceTvmSoftwareVulnerabilities\n| where Timestamp > ago(365d)\n| count", 0),
        ("print x = ago(90d)", 0),
    ]);
}

#[test]
fn held_out_unbounded_result() {
    check_table("unbounded-result", &[
        ("EmailEvents\n| where Timestamp > ago(1d)\n| project NetworkMessageId, SenderFromAddress", 1),
        ("EmailEvents\n| where Timestamp > ago(1d)\n| summarize Count = count() by SenderFromAddress\n| top 20 by Count", 0),
        ("EmailEvents\n| where Timestamp > ago(1d)\n| summarize dcount(SenderFromAddress)", 0),
        ("EmailEvents\n| where Timestamp > ago(1d)\n| take 50\n| extend Parsed = parse_json(ReportId)\n| mv-expand Parsed", 1),
        ("let top_senders = EmailEvents | where Timestamp > ago(1d) | summarize c = count() by SenderFromAddress | top 5 by c;\ntop_senders\n| join kind=inner (EmailEvents | where Timestamp > ago(1d) | take 100) on SenderFromAddress", 0),
        ("DeviceInfo\n| where Timestamp > ago(1d)\n| take 10\n| union (DeviceInfo | where Timestamp > ago(1d))", 1),
        ("range i from 0 to 99999 step 1", 0),
        ("range i from 0 to 100000 step 1", 1),
        ("DeviceInfo\n| where Timestamp > ago(1d)\n| take 100\n| render timechart", 0),
        ("DeviceInfo\n| where Timestamp > ago(1d)\n| sort by Timestamp desc", 1),
    ]);
}

#[test]
fn held_out_missing_time_filter() {
    check_table("missing-time-filter", &[
        ("EmailAttachmentInfo\n| where FileType == \"docm\"\n| take 10", 1),
        ("EmailAttachmentInfo\n| where Timestamp > ago(2d) and FileType == \"docm\"\n| take 10", 0),
        ("let emails = EmailEvents | where Timestamp > ago(1d);\nemails\n| join kind=inner (EmailUrlInfo | where Timestamp > ago(1d)) on NetworkMessageId\n| take 10", 0),
        ("let emails = EmailEvents;\nemails\n| where Timestamp > ago(1d)\n| join kind=inner EmailUrlInfo on NetworkMessageId\n| take 10", 1),
        ("DeviceBaselineComplianceAssessment\n| take 10", 0),
        ("IdentityInfo\n| take 10", 1),
        ("union withsource=T Device*\n| where Timestamp > ago(1d)\n| take 10", 0),
    ]);
}
