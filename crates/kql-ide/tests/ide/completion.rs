use kql_ide::{CompletionItem, CompletionKind};

use crate::fixture::{cursor, snapshot_cases};

/// The items at the cursor in relevance order: every item but functions in full, functions
/// counted per kind with the first few.
fn complete(fixture: &str) -> String {
    let (a, at) = cursor(fixture);
    render(&a.completions(at, false))
}

fn render(items: &[CompletionItem]) -> String {
    let mut items = items.to_vec();
    items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    let mut out = String::new();
    let mut funcs: Vec<(CompletionKind, Vec<String>)> = Vec::new();
    for i in &items {
        if matches!(
            i.kind,
            CompletionKind::Function | CompletionKind::AggregateFunction | CompletionKind::Plugin
        ) {
            match funcs.iter_mut().find(|(k, _)| *k == i.kind) {
                Some((_, names)) => names.push(i.label.clone()),
                None => {
                    out.push_str(&format!("<{:?} functions>\n", i.kind));
                    funcs.push((i.kind, vec![i.label.clone()]));
                }
            }
            continue;
        }
        out.push_str(&format!(
            "{:?} {} [{}]{}\n",
            i.kind,
            i.label,
            i.insert_text,
            i.detail
                .as_deref()
                .map(|d| format!(" : {d}"))
                .unwrap_or_default()
        ));
    }
    for (k, names) in funcs {
        out.push_str(&format!(
            "{:?}: {} items, first: {}\n",
            k,
            names.len(),
            names[..names.len().min(4)].join(", ")
        ));
    }
    if let Some(first) = items.first() {
        out.push_str(&format!("replace: {:?}\n", first.replace_range));
    }
    out
}

fn labels(fixture: &str) -> Vec<String> {
    let (a, at) = cursor(fixture);
    a.completions(at, false)
        .into_iter()
        .map(|i| i.label)
        .collect()
}

/// (snapshot name, fixture): the completion list at `$0`, rendered by [`complete`].
const CASES: &[(&str, &str)] = &[
    ("after_pipe_lists_operators", "DeviceInfo | $0"),
    ("where_lists_columns_in_scope_first", "DeviceInfo\n| project DeviceName, OSPlatform\n| extend Upper = toupper(DeviceName)\n| where $0"),
    ("where_with_partial_word_replaces_it", "print Alpha = 1, Beta = \"b\"\n| where Al$0pha > 0"),
    // Aggregates first, then the columns; after `by` columns and functions but no aggregates.
    ("summarize_aggregates", "print a = 1, b = 2\n| summarize $0"),
    ("summarize_by", "print a = 1, b = 2\n| summarize count() by $0"),
    ("columns_after_summarize_are_its_output", "DeviceLogonEvents\n| summarize Logons = count() by AccountName\n| where $0"),
    ("join_kind_values_and_sides", "DeviceInfo | join kind=$0"),
    ("join_right_side", "print a = 1, b = 2 | join kind=inner (print c = 3, d = \"x\") on $right.$0"),
    ("column_list_operators_offer_only_columns", "let n = 1;\nprint a = 1, b = 2 | project-away $0"),
    ("join_keys_are_the_columns_both_sides_have", "print a = 1, b = 2, c = 3 | join kind=inner (print b = 1, c = 2, d = 3) on $0"),
    ("names_that_need_it_are_quoted", "print ['with space'] = 1, ok = 2 | project $0"),
    ("let_names_and_parameters_in_values", "let threshold = 10;\nlet f = (limit:long) { print x = 1 | where x > $0 };\nprint 1"),
];

#[test]
fn completion_lists() {
    snapshot_cases!(CASES, complete);
}

/// (fixture, labels offered, labels not offered) at `$0`.
const SCOPES: &[(&str, &[&str], &[&str])] = &[
    // A scalar let is not a table.
    (
        "let Recent = DeviceInfo | take 1;\nlet n = 5;\nDev$0",
        &["DeviceProcessEvents", "Recent", "print"],
        &["n", "where"],
    ),
    ("let x = $0", &["DeviceInfo", "strlen"], &[]),
    ("let x = ($0", &["DeviceInfo", "strlen"], &[]),
    ("DeviceInfo | render $0", &["timechart"], &[]),
    ("DeviceInfo | where DeviceName $0", &["has", "=="], &[]),
    // Operators follow the type: string operators after a string, comparisons after a date.
    ("DeviceInfo | where Timestamp $0", &[">"], &["has", "and"]),
    // `and`/`or` follow a bool operand, not a string.
    (
        "print b = true | where b $0",
        &["and", "or", "=="],
        &["has"],
    ),
    ("DeviceInfo | where DeviceName $0", &["has"], &["and", "or"]),
    (
        "DeviceInfo | where DeviceName $0",
        &["hasprefix_cs"],
        &["<"],
    ),
    // Tables inside join and union.
    (
        "DeviceInfo | join kind=inner ($0",
        &["DeviceNetworkEvents"],
        &[],
    ),
    ("DeviceInfo | join $0", &["DeviceNetworkEvents"], &[]),
    ("union DeviceInfo, $0", &["DeviceNetworkEvents"], &[]),
    // Counts offer no columns; a function's body offers its parameters but not itself.
    ("DeviceInfo | take $0", &[], &["DeviceName"]),
    (
        "let f = (n:long) { print x = $0 };\nprint 1",
        &["n"],
        &["f"],
    ),
    // Values outside any operator: a function body's expression, a `let` value's call.
    (
        "let f = (n:long) {\n    strlen($0",
        &["n", "abs"],
        &["where"],
    ),
    (
        "let n = 5;\nlet m = toint($0",
        &["n", "abs", "dynamic"],
        &["where"],
    ),
    // A function body starts a query or an expression.
    (
        "let f = (n:long) { $0",
        &["DeviceInfo", "n", "strlen"],
        &["f"],
    ),
    // A table parameter goes where tables go, not among values.
    ("let f = (T:(*), n:long) { T | where $0", &["n"], &["T"]),
    ("let f = (T:(*)) { print x = toscalar($0", &["T"], &[]),
    // Typed literals and toscalar start values.
    (
        "print a = 1 | where a > $0",
        &["datetime", "dynamic", "toscalar"],
        &[],
    ),
    // An aggregation's arguments are scalar: no aggregations there, but inside a scalar call
    // around an aggregation they are fine.
    (
        "print a = 1 | summarize dcount($0",
        &["a", "strlen"],
        &["count", "dcount"],
    ),
    (
        "print a = 1 | summarize n = arg_max(a, $0",
        &["a"],
        &["avg"],
    ),
    ("print a = 1 | summarize round($0", &["avg", "a"], &[]),
    (
        "print a = now() | extend d = datetime_add('day', 1, $0",
        &["a", "now"],
        &["'day'"],
    ),
    // Graph operators follow a pipe; evaluate starts a query.
    ("DeviceInfo | $0", &["make-graph", "graph-match"], &[]),
    ("$0", &["evaluate", "DeviceInfo"], &[]),
];

#[test]
fn offered_and_not_offered() {
    for (fixture, offered, not_offered) in SCOPES {
        let l = labels(fixture);
        for label in *offered {
            assert!(
                l.iter().any(|x| x == label),
                "{fixture:?} should offer {label}: {l:?}"
            );
        }
        for label in *not_offered {
            assert!(
                !l.iter().any(|x| x == label),
                "{fixture:?} should not offer {label}: {l:?}"
            );
        }
    }
}

/// (fixture, every label offered at `$0`, in order).
const EXACT: &[(&str, &[&str])] = &[
    ("DeviceInfo | where DeviceName == \"a\" $0", &["and", "or"]),
    ("T | lookup kind=$0", &["leftouter", "inner"]),
    ("union kind=$0", &["outer", "inner"]),
    ("DeviceInfo | summarize count() $0", &["by"]),
    // Nothing inside strings, comments or declarations.
    ("print \"Dev$0", &[]),
    ("print 'a b $0'", &[]),
    ("// Dev$0\nprint 1", &[]),
    ("let $0", &[]),
    ("let t = datatable(a$0", &[]),
    ("let t = datatable(a:string, b$0", &[]),
    ("DeviceInfo | scan declare($0", &[]),
    ("let f = (a:long, $0", &[]),
    ("let f = (a:$0", &[]),
    // A dynamic literal holds constants only.
    ("print x = dynamic({\"a\": [1, $0", &[]),
    // No arguments to offer for functions that take none.
    ("print a = 1 | extend x = pi($0", &[]),
    ("print a = new_guid($0", &[]),
    // A date part opens datetime_diff and datetime_add; later arguments are values.
    (
        "print d = datetime_diff($0",
        &[
            "'year'",
            "'quarter'",
            "'month'",
            "'week'",
            "'day'",
            "'hour'",
            "'minute'",
            "'second'",
            "'millisecond'",
            "'microsecond'",
            "'nanosecond'",
        ],
    ),
];

#[test]
fn exact_lists() {
    for (fixture, expected) in EXACT {
        assert_eq!(labels(fixture), *expected, "{fixture:?}");
    }
}

/// The labels of the columns offered at `$0`, sorted.
fn column_labels(fixture: &str) -> Vec<String> {
    let (a, at) = cursor(fixture);
    let mut cols: Vec<String> = a
        .completions(at, false)
        .into_iter()
        .filter(|i| i.kind == CompletionKind::Column)
        .map(|i| i.label)
        .collect();
    cols.sort();
    cols
}

/// (fixture, the columns offered at `$0`): an input of unknown schema offers the names the
/// pipeline already read from it (not functions, `let` names, tables or members), as long as
/// its schema stays open.
const USED_COLUMNS: &[(&str, &[&str])] = &[
    (
        "let n = 5;\nNotInSchema\n| where Foo > n and strlen(Bar) > 1 and Bag.Member == 1\n| extend E = DeviceInfo\n| where $0",
        &["Bag", "Bar", "E", "Foo"],
    ),
    // Not a subquery's source or an operator parameter's value.
    (
        "NotInSchema\n| where Foo in (Other | project Foo)\n| partition hint.strategy=native by Foo (take 1)\n| where $0",
        &["Foo"],
    ),
    // Only names read before the cursor.
    ("NotInSchema\n| where Fo$0 > 1 and Bar == 2", &[]),
    // A closed schema (after summarize) offers its own columns only.
    (
        "NotInSchema\n| where Foo > 1\n| summarize n = count() by Bar\n| where $0",
        &["Bar", "n"],
    ),
    // A known table's columns are not guessed.
    ("DeviceInfo\n| where NoSuchColumn > 1\n| project DeviceName\n| where $0", &["DeviceName"]),
];

#[test]
fn unknown_inputs_offer_the_columns_used_above() {
    for (fixture, expected) in USED_COLUMNS {
        assert_eq!(column_labels(fixture), *expected, "{fixture:?}");
    }
}

#[test]
fn join_left_side_offers_the_left_columns() {
    let left = complete("print a = 1, b = 2 | join kind=inner (print c = 3) on $left.$0");
    assert!(
        left.contains("Column a") && !left.contains("Column c"),
        "{left}"
    );
}

#[test]
fn functions_complete_with_snippets() {
    let (a, at) = cursor("print x = 1 | extend y = substr$0");
    let items = a.completions(at, true);
    let sub = items
        .iter()
        .find(|i| i.label == "substring")
        .expect("substring");
    assert!(sub.is_snippet);
    assert!(
        sub.insert_text.starts_with("substring(${1:") && sub.insert_text.ends_with("})$0"),
        "{}",
        sub.insert_text
    );
    let now = items.iter().find(|i| i.label == "now").expect("now");
    assert_eq!(now.insert_text, "now($1)$0");
}

#[test]
fn evaluate_lists_plugins() {
    let plugins = complete("DeviceInfo | evaluate $0");
    assert!(plugins.starts_with("<Plugin functions>"), "{plugins}");
}

#[test]
fn every_offset_of_real_queries_completes_without_panicking() {
    let text = "let a = 1;\nDeviceProcessEvents\n| where Timestamp > ago(7d) and FileName =~ \"cmd.exe\"\n| join kind=leftouter (DeviceInfo | project DeviceId, OSPlatform) on DeviceId\n| summarize n = count(), any(ProcessCommandLine) by DeviceName, bin(Timestamp, 1h)\n| order by n desc\n| take 10 // done";
    let a = kql_ide::Analysis::new(text, &crate::fixture::config());
    for i in 0..=text.len() + 2 {
        let _ = a.completions((i as u32).into(), true);
    }
}

#[test]
fn user_schema_tables_and_blocks_scope() {
    let mut schema = kql_schema::Schema::empty();
    schema.insert_table(kql_schema::Table::new(
        "MyEvents",
        vec![kql_schema::Column::new(
            "User Name",
            kql_schema::ScalarType::String,
        )],
    ));
    let cfg = kql_ide::IdeConfig {
        schema: std::sync::Arc::new(schema),
        blocks: true,
        ..crate::fixture::config()
    };
    let (a, at) = crate::fixture::cursor_with("let x = MyEvents;\nx | take 1\n\n$0", &cfg);
    let l: Vec<String> = a
        .completions(at, false)
        .into_iter()
        .map(|i| i.label)
        .collect();
    assert!(l.contains(&"MyEvents".to_string()), "{l:?}");
    assert!(
        !l.contains(&"DeviceInfo".to_string()),
        "only the configured schema"
    );
    assert!(
        !l.contains(&"x".to_string()),
        "a let of another block is not in scope"
    );
    let (a, at) = crate::fixture::cursor_with("MyEvents | where $0", &cfg);
    let item = a
        .completions(at, false)
        .into_iter()
        .find(|i| i.label == "User Name")
        .unwrap();
    assert_eq!(item.insert_text, "['User Name']");
}
