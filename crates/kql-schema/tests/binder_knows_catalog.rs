//! The binder reads the catalog: a call of any function Microsoft's analyzer knows, with as
//! many arguments as its signature needs, gives no unknown-function (KQL203) or
//! argument-count (KQL204) error. Before the catalog was generated, `around()` and others did.

use kql_schema::{FunctionCatalog, Schema};
use kql_semantic::{check_text, codes};

/// The codes a call of a known function with a fitting argument count must not get.
fn catalog_errors(query: &str) -> Vec<String> {
    check_text(query, Schema::advanced_hunting())
        .into_iter()
        .filter(|d| d.code == codes::UNKNOWN_FUNCTION || d.code == codes::WRONG_ARG_COUNT)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

/// `f(1, 1, ...)` with `n` arguments.
fn call(name: &str, n: usize) -> String {
    format!("{name}({})", vec!["1"; n].join(", "))
}

#[test]
fn functions_once_unknown_bind() {
    let queries = [
        "print around(5, 10, 6)",
        "DeviceEvents | where around(Timestamp, datetime(2024-01-01), 1d)",
        "print set_equals(dynamic([1]), dynamic([1]))",
        "print hash_xxhash64('a')",
        "DeviceEvents | summarize hll_merge(hll(ActionType))",
        "print column_names_of(DeviceEvents)",
    ];
    for q in queries {
        assert_eq!(catalog_errors(q), Vec::<String>::new(), "{q}");
    }
    // Still reported: a name nobody knows, and a wrong count.
    assert_eq!(catalog_errors("print aroundd(1, 2, 3)").len(), 1);
    assert_eq!(catalog_errors("print around(1, 2)").len(), 1);
}

#[test]
fn every_function_microsoft_knows_binds() {
    let listed = include_str!("../data/kusto_function_names.txt");
    let catalog = FunctionCatalog::builtin();
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in listed.lines().filter(|l| !l.starts_with('#')) {
        let (section, name) = line.split_once(' ').expect("`section name` lines");
        let sig = catalog.lookup(name).expect("in the catalog");
        let call = call(name, sig.min_args());
        let query = match section {
            "scalar" => format!("print x = {call}"),
            "aggregate" => format!("print a = 1 | summarize {call}"),
            "plugin" => format!("print a = 1 | evaluate {call}"),
            _ => continue, // table(), database()…: entity references, checked by the binder's own tests
        };
        checked += 1;
        let errors = catalog_errors(&query);
        if !errors.is_empty() {
            failures.push(format!("{query}: {errors:?}"));
        }
    }
    assert!(checked >= 520, "only {checked} checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
