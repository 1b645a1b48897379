//! User functions: argument counts, body analysis, the call's schema, recursion.

use kql_schema::{Function, ParamType, Parameter, ScalarType, Schema};

use crate::{analyze, FunctionBody, FunctionCall, Model};
use kql_diagnostics::Diagnostic;

/// A parameter: name, scalar type (`None`: a table) and default.
type Param<'a> = (&'a str, Option<ScalarType>, Option<&'a str>);

/// The built-in schema plus stored functions `(name, params, body)`.
fn schema_with(functions: &[(&str, &[Param], &str)]) -> Schema {
    let mut schema = Schema::advanced_hunting().clone();
    for (name, params, body) in functions {
        schema.insert_function(Function {
            name: name.to_string(),
            parameters: params
                .iter()
                .map(|(p, ty, default)| Parameter {
                    name: p.to_string(),
                    ty: ty.map_or(ParamType::Tabular, ParamType::Scalar),
                    default: default.map(str::to_string),
                })
                .collect(),
            body: Some(body.to_string()),
            columns: None,
            description: None,
        });
    }
    schema
}

fn model(schema: &Schema, text: &str) -> Model {
    analyze(&kql_syntax::parse(text), schema)
}

/// `code start..end message` of each diagnostic.
fn diags(schema: &Schema, text: &str) -> Vec<String> {
    model(schema, text)
        .diagnostics()
        .iter()
        .map(|d| {
            format!(
                "{} {}..{} {}",
                d.code,
                u32::from(d.range.start()),
                u32::from(d.range.end()),
                d.message
            )
        })
        .collect()
}

/// Each `(text, expected diagnostics)` of `cases` (see [`diags`]); a failure names the text.
fn assert_diags(schema: &Schema, cases: &[(&str, &[&str])]) {
    for (text, expected) in cases {
        assert_eq!(diags(schema, text), *expected, "{text}");
    }
}

/// The row schema of the last query statement's expression.
fn result(schema: &Schema, text: &str) -> String {
    let parse = kql_syntax::parse(text);
    let m = analyze(&parse, schema);
    let stmt = parse
        .syntax()
        .children()
        .filter(|c| c.kind() == kql_syntax::SyntaxKind::QUERY_STMT)
        .last()
        .expect("a query");
    let expr = stmt.first_child().expect("an expression");
    m.result_of(expr.text_range())
        .map_or("none".to_string(), |s| s.render())
}

/// The one error in the body `call` calls (asserting there is exactly one).
fn single_body_error<'m>(m: &'m Model, call: &'m FunctionCall) -> &'m Diagnostic {
    let errors = m.body_errors(call);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0]
}

const LONG: Option<ScalarType> = Some(ScalarType::Long);
const SPAN: Option<ScalarType> = Some(ScalarType::TimeSpan);
const TABLE: Option<ScalarType> = None;

fn failed_logons() -> Schema {
    schema_with(&[(
        "FailedLogons",
        &[("lookback", SPAN, Some("1d")), ("minFailures", LONG, None)],
        "{ DeviceLogonEvents | where Timestamp > ago(lookback) | summarize Failures = count() by AccountName | where Failures >= minFailures }",
    )])
}

#[test]
fn stored_function_argument_count_counts_defaults() {
    assert_diags(
        &failed_logons(),
        &[
            ("FailedLogons(1d, 5)", &[]),
            ("FailedLogons(5)", &[]),
            (
                "FailedLogons()",
                &["KQL204 0..14 function `FailedLogons` takes 1 to 2 arguments, got 0"],
            ),
            (
                "FailedLogons(1d, 5, 6)",
                &["KQL204 0..22 function `FailedLogons` takes 1 to 2 arguments, got 3"],
            ),
        ],
    );
}

#[test]
fn stored_function_body_gives_the_call_schema() {
    let s = failed_logons();
    assert_eq!(
        result(&s, "FailedLogons(1d, 5)"),
        "(AccountName: string, Failures: long)"
    );
    assert_diags(
        &s,
        &[
            ("FailedLogons(1d, 5) | project AccountName, Failures", &[]),
            (
                "FailedLogons(1d, 5) | project DeviceName",
                &["KQL202 30..40 unknown column `DeviceName`"],
            ),
        ],
    );
}

#[test]
fn stored_function_body_errors_are_kept_with_the_call_not_reported_in_the_query() {
    let s = schema_with(&[(
        "Broken",
        &[("n", LONG, None)],
        "{\n  DeviceLogonEvents\n  | where NoSuchColumn > n\n}",
    )]);
    let m = model(&s, "Broken(1) | take 1");
    assert!(m.diagnostics().is_empty(), "{:?}", m.diagnostics());
    let calls = m.function_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].name, "Broken");
    let error = single_body_error(&m, &calls[0]);
    assert_eq!(error.code, "KQL202");
    let FunctionBody::Stored { text, .. } = &calls[0].body else {
        panic!("a stored body")
    };
    // The range is into the body text as the schema gives it (braces included).
    assert_eq!(&text[error.range], "NoSuchColumn");
}

#[test]
fn stored_function_syntax_errors_are_body_errors() {
    let s = schema_with(&[("Cut", &[], "{ DeviceLogonEvents | where }")]);
    let m = model(&s, "Cut()");
    let errors = m.body_errors(&m.function_calls()[0]);
    assert!(!errors.is_empty());
}

#[test]
fn tabular_first_parameter_is_filled_by_invoke() {
    let s = schema_with(&[(
        "Tag",
        &[
            ("rows", TABLE, None),
            ("tag", Some(ScalarType::String), Some("\"x\"")),
        ],
        "{ rows | extend Tag = tag }",
    )]);
    assert_diags(
        &s,
        &[
            ("DeviceInfo | take 1 | invoke Tag()", &[]),
            (
                "DeviceInfo | take 1 | invoke Tag(\"a\", \"b\")",
                &["KQL204 29..42 function `Tag` takes 0 to 1 arguments after its piped input, got 2"],
            ),
            // The body is bound with the piped table: the call's schema is the input's plus `Tag`.
            (
                "DeviceInfo | project DeviceId | invoke Tag() | project DeviceId, Tag, OSPlatform",
                &["KQL202 70..80 unknown column `OSPlatform`"],
            ),
        ],
    );
    // A direct call with a table argument does the same.
    assert_eq!(
        result(&s, "let d = DeviceInfo | project DeviceId;\nTag(d)"),
        "(DeviceId: string, Tag: string)"
    );
}

#[test]
fn recursive_stored_functions_terminate() {
    let s = schema_with(&[
        ("Ping", &[("n", LONG, None)], "{ Pong(n) | where n > 0 }"),
        ("Pong", &[("n", LONG, None)], "{ Ping(n - 1) }"),
        ("Self", &[("T", TABLE, None)], "{ T | invoke Self() }"),
    ]);
    assert_diags(
        &s,
        &[
            ("Ping(3) | take 1", &[]),
            ("DeviceInfo | invoke Self() | take 1", &[]),
        ],
    );
}

#[test]
fn stored_function_calls_inside_bodies_are_checked() {
    let s = schema_with(&[
        ("Inner", &[("n", LONG, None)], "{ print n }"),
        ("Outer", &[], "{ Inner(1, 2) }"),
    ]);
    let m = model(&s, "Outer()");
    assert_eq!(single_body_error(&m, &m.function_calls()[0]).code, "KQL204");
}

/// `let` functions against the built-in schema, one case a row.
#[test]
fn let_function_calls_are_checked() {
    assert_diags(
        Schema::advanced_hunting(),
        &[
            // Argument counts allow for defaults.
            (
                "let f = (x:long, y:long = 2) { print x + y };\nf(1) | union f(1, 2), f(), f(1, 2, 3)",
                &[
                    "KQL204 68..71 function `f` takes 1 to 2 arguments, got 0",
                    "KQL204 73..83 function `f` takes 1 to 2 arguments, got 3",
                ],
            ),
            // A table parameter takes its input's schema.
            (
                "let f = (T:(*)) { T | project DeviceId };\nDeviceInfo | invoke f() | project DeviceId, DeviceName",
                &["KQL202 86..96 unknown column `DeviceName`"],
            ),
            // Names defined before the function stay visible when its body is bound again.
            (
                "let c = 1;\nlet f = (T:(*)) { T | extend One = c };\nDeviceInfo | invoke f() | project One, DeviceId",
                &[],
            ),
            // `invoke` arguments are not in the input row.
            (
                "let f = (T:(*), M:(*)) { T | join kind=inner M on DeviceId };\nDeviceInfo | invoke f(NoSuchTable)",
                &["KQL202 84..95 unknown name `NoSuchTable`: not a column, table, function or `let` name"],
            ),
            // Named arguments are bound and counted.
            (
                "let f = (T:(*), M:(*), n:long = 1) { T | take n };\nDeviceInfo | invoke f(M = Missing, n = 2)",
                &["KQL201 77..84 unknown table `Missing`"],
            ),
        ],
    );
}

#[test]
fn let_function_calls_point_at_their_bodies() {
    let s = Schema::advanced_hunting();
    let text = "let f = () { DeviceInfo | project Nope };\nf()";
    let m = model(s, text);
    let calls = m.function_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(&text[calls[0].callee], "f");
    let FunctionBody::Let { body } = calls[0].body else {
        panic!("a let body")
    };
    assert_eq!(&text[body], "{ DeviceInfo | project Nope }");
    assert_eq!(&text[single_body_error(&m, &calls[0]).range], "Nope");
}

#[test]
fn let_function_syntax_errors_count_when_analyze_has_the_parse() {
    let s = Schema::advanced_hunting();
    let text = "let f = () { DeviceInfo | where };\nf()";
    let m = model(s, text);
    assert_eq!(m.body_errors(&m.function_calls()[0]).len(), 1);
}

#[test]
fn a_function_named_without_parentheses_is_called() {
    let s = Schema::advanced_hunting();
    let text = "let v = view() { DeviceInfo | project Nope };\nv | union v";
    let m = model(s, text);
    let callees: Vec<&str> = m.function_calls().iter().map(|c| &text[c.callee]).collect();
    assert_eq!(callees, ["v", "v"]);
    // A function that needs arguments is not called by its name alone.
    let text = "let f = (n:long) { print n };\nprint 1 | extend x = 1";
    assert!(model(s, text).function_calls().is_empty());
}

#[test]
fn errors_for_one_call_input_are_kept_with_that_call() {
    let s = Schema::advanced_hunting();
    let text = "let f = (T:(*)) { T | project DeviceName };\nDeviceInfo | invoke f() | union (DeviceProcessEvents | invoke f()), (print x = 1 | invoke f())";
    let m = model(s, text);
    // Nothing is reported in the query: the body is fine as declared.
    assert!(m.diagnostics().is_empty(), "{:?}", m.diagnostics());
    let per_call: Vec<usize> = m
        .function_calls()
        .iter()
        .map(|c| c.call_errors.len())
        .collect();
    // `print x = 1` has no DeviceName.
    assert_eq!(per_call, [0, 0, 1]);
    let last = &m.function_calls()[2];
    assert!(m.body_errors(last).is_empty());
    assert_eq!(&text[last.call_errors[0].range], "DeviceName");
}
