//! Stored functions loaded from each Kusto schema format (`.show database schema as json`, CSL
//! script) are checked by the binder: argument counts from their parameters, and the output of
//! their bodies when they declare none.

use kql_schema::Schema;
use kql_semantic::check_text;
use std::path::PathBuf;

fn load(name: &str) -> Schema {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    Schema::load_file(path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `code message` of every diagnostic of `query`.
fn check(schema: &Schema, query: &str) -> Vec<String> {
    check_text(query, schema)
        .into_iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

#[test]
fn calls_are_counted_against_the_parameters_in_every_format() {
    for file in ["show_schema.json", "show_schema.csl"] {
        let s = load(file);
        // `lookback` has a default, `minFailures` has none.
        assert_eq!(
            check(&s, "FailedLogons(1d, 3) | take 1"),
            Vec::<String>::new(),
            "{file}"
        );
        assert_eq!(
            check(&s, "FailedLogons(1d, 3, 4) | take 1"),
            ["KQL204 function `FailedLogons` takes 1 to 2 arguments, got 3"],
            "{file}"
        );
    }
}

#[test]
fn the_output_is_declared_or_comes_from_the_body() {
    // The JSON file declares FailedLogons's output columns; the CSL script does not, so there
    // they come from the body's `project`. Either way `Details` is gone.
    for file in ["show_schema.json", "show_schema.csl"] {
        let s = load(file);
        assert_eq!(
            check(
                &s,
                "FailedLogons(1d, 3) | project Account, FailureCount, Details"
            ),
            ["KQL202 unknown column `Details`"],
            "{file}"
        );
    }
    // TagHosts's piped rows are its first parameter; the CSL body adds `Tag` and `Note`.
    let s = load("show_schema.csl");
    assert_eq!(
        check(
            &s,
            "HostInventory | invoke TagHosts() | project Host, RamBytes, Tag, Note"
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        check(&s, "HostInventory | invoke TagHosts(\"x\") | project Owner"),
        ["KQL202 unknown column `Owner`"]
    );
}
