use crate::fixture::{cursor, snapshot_cases};

fn help(fixture: &str) -> String {
    let (a, at) = cursor(fixture);
    let Some(h) = a.signature_help(at) else {
        return "(none)".to_string();
    };
    let mut out = String::new();
    for (i, s) in h.signatures.iter().enumerate() {
        let mark = if i == h.active_signature { ">" } else { " " };
        out.push_str(&format!("{mark} {}\n", s.label));
    }
    let active = h
        .active_parameter
        .and_then(|p| h.signatures[h.active_signature].parameters.get(p));
    out.push_str(&format!("active parameter: {:?}", active.map(|p| &p.label)));
    out
}

/// (snapshot name, fixture): the signatures offered at `$0` and the active parameter, `(none)`
/// outside any call.
const CASES: &[(&str, &str)] = &[
    (
        "builtin_with_active_parameter",
        "print substring(\"abc\", $0",
    ),
    ("variadic_builtin", "print strcat(\"a\", \"b\", $0)"),
    (
        "let_function",
        "let f = (a:long, b:string = \"x\") { a };\nprint f(1, $0)",
    ),
    (
        "nested_call_uses_the_innermost",
        "print strlen(tostring($0))",
    ),
    ("outside_any_call", "print strlen(\"a\") $0"),
];

#[test]
fn signatures() {
    snapshot_cases!(CASES, help);
}
