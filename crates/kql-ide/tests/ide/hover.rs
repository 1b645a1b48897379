use crate::fixture::cursor;

fn hover(fixture: &str) -> String {
    let (a, at) = cursor(fixture);
    match a.hover(at) {
        Some(h) => format!("{:?}\n{}", h.range, h.markdown),
        None => "(none)".to_string(),
    }
}

#[test]
fn column_from_a_table() {
    insta::assert_snapshot!(hover(
        "DeviceProcessEvents | where Timestamp > ago(1d) | project File$0Name | take 1"
    ));
}

#[test]
fn extended_column() {
    insta::assert_snapshot!(hover(
        "print a = 1\n| extend Total = a * 2.5\n| where Tot$0al > 1"
    ));
}

#[test]
fn table() {
    insta::assert_snapshot!(hover(
        "DeviceLogon$0Events | where Timestamp > ago(1d) | take 1"
    ));
}

#[test]
fn builtin_function() {
    insta::assert_snapshot!(hover("print x = subs$0tring(\"abc\", 1)"));
}

#[test]
fn let_name() {
    insta::assert_snapshot!(hover("let window = 7d;\nprint ago(win$0dow)"));
}

#[test]
fn tabular_let_shows_its_columns() {
    insta::assert_snapshot!(hover(
        "let recent = DeviceInfo | where Timestamp > ago(1d);\nrec$0ent | take 1"
    ));
}

#[test]
fn right_side_column_of_a_join() {
    insta::assert_snapshot!(hover(
        "print a = 1 | join kind=inner (print b = \"x\", a = 2) on $left.a == $right.b$0"
    ));
}

#[test]
fn lint_finding() {
    insta::assert_snapshot!(hover(
        "DeviceProcessEvents | where Timestamp > ago(45d) and FileName con$0tains \"cmd\" | take 5"
    ));
}

#[test]
fn time_values_are_folded() {
    insta::assert_snapshot!(hover("DeviceInfo | where Timestamp > ag$0o(7d) | take 1"));
    insta::assert_snapshot!("timespan", hover("print 3$0d"));
}

#[test]
fn nothing_on_punctuation() {
    assert_eq!(hover("print 1 $0+ 2"), "(none)");
}
