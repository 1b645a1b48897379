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
    assert!(cat.len() >= 540, "only {} functions", cat.len());
    let mut names = std::collections::HashSet::new();
    for f in cat.iter() {
        assert!(names.insert((&f.name, f.kind)), "{} twice", f.name);
        assert!(!f.signatures.is_empty(), "{}", f.name);
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
        (1, Some(64))
    );
    assert_eq!(
        (sig("substring").min_args(), sig("substring").max_args()),
        (2, Some(3))
    );
    assert_eq!((sig("case").min_args(), sig("case").max_args()), (3, None));
    assert_eq!(
        (sig("count").min_args(), sig("count").max_args()),
        (0, Some(1))
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
    assert_eq!(case.param_for(2, 5).unwrap().name, "predicate");
    assert_eq!(case.param_for(3, 5).unwrap().name, "then");
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
    assert_eq!(
        sig("abs").return_type(&[Int]),
        Long,
        "the int|long overload"
    );
    assert_eq!(sig("abs").return_type(&[Real]), Real, "exact types first");
    assert_eq!(sig("abs").return_type(&[TimeSpan]), TimeSpan);
    assert_eq!(sig("bin").return_type(&[Long, Int]), Long);
    assert_eq!(sig("bin").return_type(&[TimeSpan, TimeSpan]), TimeSpan);
    assert_eq!(
        sig("bin").return_type(&[Unknown, TimeSpan]),
        Unknown,
        "datetime or timespan: not a guess"
    );
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
    let p = &sig("ago").params()[0];
    assert!(p.ty.accepts(TimeSpan));
    assert!(p.ty.accepts(Unknown));
    assert!(!p.ty.accepts(String));
    assert!(sig("sqrt").params()[0].ty.accepts(Long), "numbers widen");
    assert!(sig("bin")
        .signatures
        .iter()
        .any(|s| s.params[0].ty.accepts(DateTime)));
    assert!(!ArgType::Numeric.accepts(String));
}

#[test]
fn display_signature() {
    assert_eq!(
        sig("substring").to_string(),
        "substring(string:scalar, start:int|long, length:int|long?)"
    );
    assert_eq!(sig("strcat").to_string(), "strcat(arg:scalar{1,64})");
    let labels: Vec<std::string::String> = sig("bin")
        .signatures
        .iter()
        .map(|s| s.label("bin"))
        .collect();
    assert_eq!(labels[0], "bin(value:numeric, roundTo:numeric)");
    assert_eq!(labels[3], "bin(value:datetime, roundTo:timespan)");
    assert_eq!(
        sig("sum").to_string(),
        "sum(expr:numeric|timespan)",
        "a union with every number type says numeric"
    );
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
        ("[scalar]\nf(a:string) -> $0", "bad parameter number"),
        ("[scalar]\nf() -> nothing", "unknown return type"),
        (
            "[scalar]\nf() -> long\ng() -> long\nf() -> long",
            "listed twice",
        ),
        ("[scalar]\nf(a:long{3,2}) -> long", "bad repetition"),
        ("[scalar]\nf(a:long) -> $2", "refers to parameter 2"),
        ("[scalar]\nf -> long", "missing `(`"),
        ("[bogus]", "unknown section"),
        (
            "[scalar]\nf(a:long*, b:long, c:long+) -> long",
            "next to each other",
        ),
    ];
    for (text, want) in bad {
        let e = FunctionCatalog::parse(text).unwrap_err();
        assert!(e.message.contains(want), "{text:?}: {e}");
    }
    let e = FunctionCatalog::parse("[scalar]\n\n# c\nf(a) -> long").unwrap_err();
    assert_eq!(e.line, 4);
}

/// `data/kusto_function_names.txt` lists every function, aggregate and plugin Microsoft's
/// analyzer knows (written by `scripts/gen_catalog.js` with the catalog data): each must be in
/// the built-in catalog, under its kind (window and graph functions are scalar to Kusto).
#[test]
fn catalog_has_every_function_microsoft_knows() {
    let cat = FunctionCatalog::builtin();
    let listed = include_str!("../../data/kusto_function_names.txt");
    let mut missing = Vec::new();
    let mut count = 0;
    for line in listed.lines().filter(|l| !l.starts_with('#')) {
        let (section, name) = line.split_once(' ').expect("`section name` lines");
        count += 1;
        let kinds: &[FunctionKind] = match section {
            "scalar" => &[
                FunctionKind::Scalar,
                FunctionKind::Window,
                FunctionKind::Graph,
            ],
            "tabular" => &[FunctionKind::Tabular],
            "aggregate" => &[FunctionKind::Aggregate],
            "plugin" => &[FunctionKind::Plugin],
            other => panic!("unknown section {other}"),
        };
        if !kinds.iter().any(|k| cat.lookup_kind(name, *k).is_some()) {
            missing.push(format!("{section} {name}"));
        }
    }
    assert!(count >= 530, "the name list is cut short: {count}");
    assert!(missing.is_empty(), "missing from the catalog: {missing:?}");
}

#[test]
fn functions_once_unknown_are_known() {
    for name in [
        "around",
        "set_equals",
        "row_rank",
        "column_names_of",
        "iscolumnexists",
    ] {
        assert!(FunctionCatalog::builtin().lookup(name).is_some(), "{name}");
    }
    assert_eq!(sig("around").return_type(&[Long, Long, Long]), Bool);
    assert_eq!(sig("around").min_args(), 3);
}

#[test]
fn names_kusto_has_twice_keep_both_kinds() {
    let cat = FunctionCatalog::builtin();
    let agg = cat
        .lookup_kind("hll_merge", FunctionKind::Aggregate)
        .unwrap();
    assert_eq!((agg.min_args(), agg.max_args()), (1, Some(1)));
    let scalar = cat.lookup_kind("hll_merge", FunctionKind::Scalar).unwrap();
    assert_eq!((scalar.min_args(), scalar.max_args()), (2, Some(16)));
    let both = sig("hll_merge");
    assert_eq!(both.kind, FunctionKind::Aggregate);
    assert_eq!((both.min_args(), both.max_args()), (1, Some(16)));
    assert!(cat.lookup_kind("any", FunctionKind::Graph).is_some());
    assert!(
        cat.lookup_kind("any", FunctionKind::Aggregate)
            .unwrap()
            .hidden
    );
    assert_eq!(sig("any").kind, FunctionKind::Aggregate);
    assert_eq!(sig("any").return_type(&[Long]), Long, "summarize any(x)");
}

#[test]
fn overlay_sets_kinds_rules_and_replacements() {
    assert_eq!(sig("prev").kind, FunctionKind::Window);
    assert_eq!(sig("stored_query_result").kind, FunctionKind::Tabular);
    assert_eq!(sig("bag_pack").return_type(&[String, Long]), Dynamic);
    assert_eq!(sig("toboolean").deprecated_by.as_deref(), Some("tobool"));
    assert!(sig("makeset").obsolete && sig("makeset").hidden);
    assert!(!sig("make_set").obsolete && !sig("make_set").hidden);

    let mut cat = FunctionCatalog::parse("[scalar]\nf(a:long) -> $unknown").unwrap();
    cat.apply_overlay("[window]\nf -> $1 ~g\n[scalar]\ng(a:string) -> string")
        .unwrap();
    let f = cat.lookup("f").unwrap();
    assert_eq!(f.kind, FunctionKind::Window);
    assert_eq!(f.return_type(&[Int]), Int);
    assert_eq!(f.deprecated_by.as_deref(), Some("g"));
    assert!(cat.lookup("g").is_some());
    let e = cat.apply_overlay("[scalar]\nnope -> long").unwrap_err();
    assert!(e.message.contains("not in the catalog"), "{e}");
    let e = FunctionCatalog::parse("[scalar]\nf -> long").unwrap_err();
    assert!(e.message.contains("missing `(`"), "{e}");
}

#[test]
fn repeated_groups_and_count_ranges() {
    let cat = FunctionCatalog::parse(
        "[scalar]\n\
         pairs(first:string, key:string+, value:scalar+, last:long?) -> $common(3)\n\
         some(x:long{2,4}) -> long\n\
         many(x:long{2,}) -> long",
    )
    .unwrap();
    let pairs = &cat.lookup("pairs").unwrap().signatures[0];
    assert_eq!((pairs.min_args(), pairs.max_args()), (3, None));
    let names: Vec<_> = (0..6)
        .map(|i| &pairs.param_for(i, 6).unwrap().name)
        .collect();
    assert_eq!(names, ["first", "key", "value", "key", "value", "last"]);
    assert_eq!(
        pairs.return_type(&[String, String, Int, String, Real, Long]),
        Real
    );
    let some = cat.lookup("some").unwrap();
    assert_eq!((some.min_args(), some.max_args()), (2, Some(4)));
    assert_eq!(some.params()[0].repetition(), "{2,4}");
    let many = cat.lookup("many").unwrap();
    assert_eq!((many.min_args(), many.max_args()), (2, None));
    assert_eq!(many.to_string(), "many(x:long{2,})");
}

#[test]
fn overloads_are_consecutive_lines() {
    let cat =
        FunctionCatalog::parse("[scalar]\nf(a:long) -> long\nf(a:string, b:string) -> string")
            .unwrap();
    let f = cat.lookup("f").unwrap();
    assert_eq!(f.signatures.len(), 2);
    assert_eq!((f.min_args(), f.max_args()), (1, Some(2)));
    assert_eq!(f.return_type(&[String, String]), String);
    assert_eq!(f.signature_for(&[Long]).params.len(), 1);
    assert_eq!(f.param_for(1, 2).unwrap().name, "b");
}

#[test]
fn literal_only_parameters() {
    // ` !literal` follows the repetition: `countof(..., kind:string? !literal)`.
    let countof = sig("countof");
    assert!(countof.takes_literal);
    let kind = &countof.params()[2];
    assert!(kind.literal && kind.optional, "{kind:?}");
    assert!(!countof.params()[0].literal);
    let diff = sig("datetime_diff");
    assert!(diff.params()[0].literal && !diff.params()[1].literal);
    assert!(!sig("strcat").takes_literal);
    assert!(!sig("strcat").params()[0].literal);
}
