use crate::fixture::{cursor, snapshot_cases};

fn hover(fixture: &str) -> String {
    let (a, at) = cursor(fixture);
    match a.hover(at) {
        Some(h) => format!("{:?}\n{}", h.range, h.markdown),
        None => "(none)".to_string(),
    }
}

/// (snapshot name, fixture): the hover at `$0`, `(none)` where there is none.
const CASES: &[(&str, &str)] = &[
    (
        "column_from_a_table",
        "DeviceProcessEvents | where Timestamp > ago(1d) | project File$0Name | take 1",
    ),
    (
        "extended_column",
        "print a = 1\n| extend Total = a * 2.5\n| where Tot$0al > 1",
    ),
    (
        "table",
        "DeviceLogon$0Events | where Timestamp > ago(1d) | take 1",
    ),
    ("builtin_function", "print x = subs$0tring(\"abc\", 1)"),
    // A call shows what it returns there, which iff's signature leaves open.
    ("call_return_type", "print x = i$0ff(true, 1.5, 2.0)"),
    ("let_name", "let window = 7d;\nprint ago(win$0dow)"),
    (
        "tabular_let_shows_its_columns",
        "let recent = DeviceInfo | where Timestamp > ago(1d);\nrec$0ent | take 1",
    ),
    (
        "right_side_column_of_a_join",
        "print a = 1 | join kind=inner (print b = \"x\", a = 2) on $left.a == $right.b$0",
    ),
    (
        "lint_finding",
        "DeviceProcessEvents | where Timestamp > ago(45d) and FileName con$0tains \"cmd\" | take 5",
    ),
    (
        "time_values_are_folded",
        "DeviceInfo | where Timestamp > ag$0o(7d) | take 1",
    ),
    ("timespan", "print 3$0d"),
    // Where a column is made, its type is the operator's output (a redefinition included).
    (
        "column_where_it_is_made",
        "print a = 1\n| extend a$0 = tostring(a), Total = a * 2.5",
    ),
    (
        "datatable_column",
        "datatable(na$0me: string) [\"x\"]\n| take 1",
    ),
    ("nothing_on_punctuation", "print 1 $0+ 2"),
];

#[test]
fn hovers() {
    snapshot_cases!(CASES, hover);
}
