use super::*;
use ScalarType::*;

fn sig(name: &str) -> &'static FunctionSig {
    FunctionCatalog::builtin()
        .lookup(name)
        .unwrap_or_else(|| panic!("{name} not in catalog"))
}

#[test]
fn builtin_catalog_loads_without_duplicates() {
    let cat = FunctionCatalog::builtin();
    assert!(cat.len() >= 400, "only {} functions", cat.len());
    let mut names = std::collections::HashSet::new();
    for f in cat.iter() {
        assert!(names.insert(&f.name), "{} twice", f.name);
        assert!(
            f.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{} is not lowercase_with_underscores",
            f.name
        );
        if let Some(rep) = &f.deprecated_by {
            assert!(
                cat.lookup(rep).is_some(),
                "{} replaced by missing {rep}",
                f.name
            );
        }
        if let Some(max) = f.max_args() {
            assert!(f.min_args() <= max, "{}", f.name);
        }
        // every $N refers to an existing parameter
        let check = |i: usize| {
            assert!(
                i < f.params.len(),
                "{}: return refers to arg {}",
                f.name,
                i + 1
            )
        };
        match &f.returns {
            ReturnRule::SameAs(i) | ReturnRule::Widen(i) | ReturnRule::CommonFrom(i) => check(*i),
            ReturnRule::Common(ix) => ix.iter().copied().for_each(check),
            _ => {}
        }
    }
}

#[test]
fn kinds() {
    assert_eq!(sig("strcat").kind, FunctionKind::Scalar);
    assert_eq!(sig("dcount").kind, FunctionKind::Aggregate);
    assert_eq!(sig("row_number").kind, FunctionKind::Window);
    assert_eq!(sig("bag_unpack").kind, FunctionKind::Plugin);
    assert_eq!(sig("pivot").kind, FunctionKind::Plugin);
    assert_eq!(sig("node_degree_in").kind, FunctionKind::Graph);
}

#[test]
fn arities() {
    assert_eq!((sig("ago").min_args(), sig("ago").max_args()), (1, Some(1)));
    assert_eq!((sig("now").min_args(), sig("now").max_args()), (0, Some(1)));
    assert_eq!(
        (sig("strcat").min_args(), sig("strcat").max_args()),
        (1, None)
    );
    assert_eq!(
        (sig("substring").min_args(), sig("substring").max_args()),
        (2, Some(3))
    );
    assert_eq!((sig("case").min_args(), sig("case").max_args()), (3, None));
    assert_eq!(
        (sig("count").min_args(), sig("count").max_args()),
        (0, Some(0))
    );
    assert_eq!(
        (sig("arg_max").min_args(), sig("arg_max").max_args()),
        (1, None)
    );
    assert_eq!((sig("iff").min_args(), sig("iff").max_args()), (3, Some(3)));
}

#[test]
fn param_binding_with_trailing_parameter() {
    let case = sig("case");
    assert_eq!(case.param_for(0, 5).unwrap().name, "predicate");
    assert_eq!(case.param_for(1, 5).unwrap().name, "then");
    assert_eq!(case.param_for(2, 5).unwrap().name, "more");
    assert_eq!(case.param_for(4, 5).unwrap().name, "else");
    assert_eq!(sig("substring").param_for(3, 4), None);
    assert_eq!(sig("strcat").param_for(7, 8).unwrap().name, "arg");
}

#[test]
fn return_types() {
    assert_eq!(sig("ago").return_type(&[TimeSpan]), DateTime);
    assert_eq!(sig("iff").return_type(&[Bool, String, String]), String);
    assert_eq!(sig("iif").return_type(&[Bool, Long, Real]), Real);
    assert_eq!(sig("iff").return_type(&[Bool, Unknown, Int]), Int);
    assert_eq!(sig("coalesce").return_type(&[Long, Int]), Long);
    assert_eq!(sig("coalesce").return_type(&[String, String]), String);
    assert_eq!(sig("max").return_type(&[DateTime]), DateTime);
    assert_eq!(sig("min").return_type(&[Real]), Real);
    assert_eq!(sig("arg_max").return_type(&[DateTime, Unknown]), DateTime);
    assert_eq!(sig("bin").return_type(&[DateTime, TimeSpan]), DateTime);
    assert_eq!(sig("abs").return_type(&[Int]), Int);
    assert_eq!(sig("sum").return_type(&[Int]), Long);
    assert_eq!(sig("sum").return_type(&[Real]), Real);
    assert_eq!(sig("sum").return_type(&[TimeSpan]), TimeSpan);
    assert_eq!(sig("count").return_type(&[]), Long);
    assert_eq!(sig("avg").return_type(&[Long]), Real);
    assert_eq!(
        sig("case").return_type(&[Bool, String, Bool, String, String]),
        String
    );
    assert_eq!(
        sig("case").return_type(&[Bool, Int, Bool, Long, Real]),
        Real
    );
    assert_eq!(sig("bag_unpack").return_type(&[Dynamic]), Unknown);
    assert_eq!(sig("max").return_type(&[]), Unknown, "missing argument");
    assert_eq!(sig("tostring").return_type(&[Unknown]), String);
}

#[test]
fn numeric_rule() {
    let cat = FunctionCatalog::parse("[scalar]\nadd(a:numeric, b:numeric) -> $numeric").unwrap();
    let f = cat.lookup("add").unwrap();
    assert_eq!(f.return_type(&[Int, Long]), Long);
    assert_eq!(f.return_type(&[Int, Decimal]), Decimal);
    assert_eq!(f.return_type(&[Int, String]), Unknown);
}

#[test]
fn lookup_is_case_sensitive_and_suggests() {
    let cat = FunctionCatalog::builtin();
    assert!(cat.lookup("ToString").is_none());
    assert_eq!(cat.suggest("ToString"), Some("tostring"));
    assert_eq!(cat.suggest("strcatt"), Some("strcat"));
    assert_eq!(cat.suggest("make_sett"), Some("make_set"));
    assert_eq!(
        cat.suggest_kind("bag_unpak", FunctionKind::Plugin),
        Some("bag_unpack")
    );
    assert_eq!(cat.suggest("qqqqqqqqqqqq"), None);
}

#[test]
fn deprecated_functions_name_replacements() {
    assert_eq!(sig("makeset").deprecated_by.as_deref(), Some("make_set"));
    assert_eq!(
        sig("parsejson").deprecated_by.as_deref(),
        Some("parse_json")
    );
    assert_eq!(sig("make_set").deprecated_by, None);
}

#[test]
fn arg_type_acceptance() {
    let p = &sig("ago").params[0];
    assert!(p.ty.accepts(TimeSpan));
    assert!(p.ty.accepts(Unknown));
    assert!(!p.ty.accepts(String));
    assert!(sig("sqrt").params[0].ty.accepts(Long), "numbers widen");
    assert!(sig("bin").params[0].ty.accepts(DateTime));
    assert!(!ArgType::Numeric.accepts(String));
}

#[test]
fn display_signature() {
    assert_eq!(
        sig("substring").to_string(),
        "substring(source:string, start:long, length:long?)"
    );
    assert_eq!(sig("strcat").to_string(), "strcat(arg:scalar+)");
}

#[test]
fn malformed_catalog_lines_are_errors() {
    let bad = [
        ("f(a:string) -> string", "before any [section]"),
        ("[scalar]\nf(a:string)", "missing `-> return type`"),
        (
            "[scalar]\nf(a:strng) -> string",
            "unknown parameter type `strng`",
        ),
        ("[scalar]\nf(a) -> string", "has no `:type`"),
        ("[scalar]\nf(a:string) -> $0", "bad argument number"),
        ("[scalar]\nf() -> nothing", "unknown return type"),
        ("[scalar]\nf() -> long\nf() -> long", "listed twice"),
        ("[bogus]", "unknown section"),
        (
            "[scalar]\nf(a:long*, b:long+) -> long",
            "more than one repeated",
        ),
    ];
    for (text, want) in bad {
        let e = FunctionCatalog::parse(text).unwrap_err();
        assert!(e.message.contains(want), "{text:?}: {e}");
    }
    let e = FunctionCatalog::parse("[scalar]\n\n# c\nf(a) -> long").unwrap_err();
    assert_eq!(e.line, 4);
}
