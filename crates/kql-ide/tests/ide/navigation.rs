use kql_ide::HighlightKind;

use crate::fixture::{cursor, mark, snapshot_cases};

/// Definition and references (with the declaration) of the name at the cursor, marked.
fn nav(fixture: &str) -> String {
    let (a, at) = cursor(fixture);
    let defs = a.goto_definition(at);
    let refs = a.references(at, false);
    format!(
        "definition: {}\nreferences: {}",
        mark(a.text(), &defs),
        mark(a.text(), &refs)
    )
}

/// (snapshot name, fixture): definition and references of the name at `$0`.
const CASES: &[(&str, &str)] = &[
    ("let_name", "let Recent = 7d;\nDeviceProcessEvents | where Timestamp > ago(Rec$0ent) | extend r = Recent"),
    ("parameter_name_outside_its_function", "let f = (n:long) { n + 1 };\nprint f(2), n$0 = 3"),
    ("function_parameter", "let f = (n$0:long) { n * n };\nprint f(2)"),
    ("as_name", "DeviceInfo | take 5 | as Hosts$0; Hosts | count"),
    ("extended_column", "DeviceProcessEvents\n| extend Cmd = tolower(ProcessCommandLine)\n| where Cm$0d has \"x\"\n| project Cmd, DeviceName\n| summarize n = count() by Cmd"),
    ("redefined_column_reads_the_earlier_one", "print x = 1\n| extend x = x$0 + 1\n| where x > 1"),
    ("redefined_column_at_its_new_definition", "print x = 1\n| extend x$0 = x + 1\n| where x > 1"),
    ("summarize_column_and_dropped_column", "DeviceLogonEvents\n| summarize Logons$0 = count() by DeviceName\n| where Logons > 10\n| project-away Logons\n| extend Logons = 1"),
    ("table_column_has_references_but_no_definition", "DeviceInfo\n| where DeviceName$0 startswith \"a\"\n| join kind=inner (DeviceNetworkInfo | where DeviceName != \"\") on $left.DeviceName == $right.DeviceName\n| project DeviceName"),
    ("column_through_let_names", "let counts = DeviceLogonEvents\n    | summarize Logons = count() by AccountName;\nlet busy = counts | where Logons > 10;\nbusy | project AccountName, Log$0ons"),
    ("column_through_let_names_from_its_definition", "let counts = DeviceLogonEvents\n    | summarize Logons$0 = count() by AccountName;\ncounts | where Logons > 10 | extend Logons = 0 | where Logons == 0"),
];

#[test]
fn definitions_and_references() {
    snapshot_cases!(CASES, nav);
}

#[test]
fn highlights_mark_the_definition_as_write() {
    let (a, at) = cursor("print a$0 = 1 | extend b = a * 2 | where a > 0");
    let hl = a.highlights(at);
    let kinds: Vec<_> = hl.iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        [
            HighlightKind::Write,
            HighlightKind::Read,
            HighlightKind::Read
        ]
    );
}

#[test]
fn rename_let_and_column() {
    let (a, at) = cursor("let lookback$0 = 1d;\nDeviceInfo | where Timestamp > ago(lookback)");
    let edits = a.rename(at, "window").unwrap();
    let (text, _) = kql_diagnostics::apply_edits(a.text(), &edits);
    assert_eq!(
        text,
        "let window = 1d;\nDeviceInfo | where Timestamp > ago(window)"
    );

    let (a, at) = cursor("print n = 1 | extend m = n$0 + 1");
    let edits = a.rename(at, "['new name']").unwrap();
    let (text, _) = kql_diagnostics::apply_edits(a.text(), &edits);
    assert_eq!(text, "print ['new name'] = 1 | extend m = ['new name'] + 1");
    let edits = a.rename(at, "with space").unwrap_err();
    assert!(edits.contains("not a valid KQL name"), "{edits}");
}

#[test]
fn prepare_rename_refuses_table_columns_and_non_names() {
    let (a, at) = cursor("DeviceInfo | where Device$0Name == \"x\"");
    assert!(a
        .prepare_rename(at)
        .unwrap_err()
        .contains("column of the source table"));
    let (a, at) = cursor("DeviceInfo | wh$0ere true");
    assert!(a.prepare_rename(at).is_err());
    let (a, at) = cursor("let x = 1; print x$0");
    assert_eq!(
        a.prepare_rename(at),
        Ok(kql_ide::TextRange::new(17.into(), 18.into()))
    );
}
