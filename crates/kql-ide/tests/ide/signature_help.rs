use crate::fixture::cursor;

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

#[test]
fn builtin_with_active_parameter() {
    insta::assert_snapshot!(help("print substring(\"abc\", $0"));
}

#[test]
fn variadic_builtin() {
    insta::assert_snapshot!(help("print strcat(\"a\", \"b\", $0)"));
}

#[test]
fn let_function() {
    insta::assert_snapshot!(help(
        "let f = (a:long, b:string = \"x\") { a };\nprint f(1, $0)"
    ));
}

#[test]
fn nested_call_uses_the_innermost() {
    insta::assert_snapshot!(help("print strlen(tostring($0))"));
}

#[test]
fn outside_any_call() {
    assert_eq!(help("print strlen(\"a\") $0"), "(none)");
}
