//! End-to-end: stored functions from a `.show database schema as json` file
//! (`tests/fixtures/custom_schema/hunting_functions.json`) are checked like built-ins: the number
//! of arguments, the columns their bodies return, and errors in their bodies.

use kqlkit_tests::{kql, stderr, stdout, NOW};

const SCHEMA: &str = "custom_schema/hunting_functions.json";

/// `(code, message)` of each finding of `kql ARGS --format jsonl`.
fn findings(args: &[&str]) -> Vec<(String, String)> {
    let mut all = args.to_vec();
    all.extend(["--format", "jsonl"]);
    let out = kql(&all);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn calls_are_checked_against_parameters_and_the_body_gives_the_columns() {
    let got = findings(&[
        "check",
        "--schema",
        SCHEMA,
        "custom_schema/stored_function_calls.kql",
    ]);
    assert_eq!(
        got,
        [
            (
                "KQL204".to_string(),
                "function `FailedVpnLogons` takes 1 to 2 arguments, got 3".to_string()
            ),
            // Failures and LastSeen come from the body's `summarize`; Country from nowhere.
            ("KQL202".to_string(), "unknown column `Country`".to_string()),
        ]
    );
    // Without the schema file the function is unknown.
    let without = findings(&["check", "custom_schema/stored_function_calls.kql"]);
    assert!(without.iter().any(|(c, _)| c == "KQL203"), "{without:?}");
}

#[test]
fn invoke_fills_the_table_parameter() {
    let got = findings(&[
        "check",
        "--schema",
        SCHEMA,
        "custom_schema/stored_function_invoke.kql",
    ]);
    assert_eq!(got, []);
}

#[test]
fn errors_in_a_stored_body_are_reported_at_the_call() {
    let got = findings(&[
        "lint",
        "--now",
        NOW,
        "--select",
        "function-with-errors",
        "--schema",
        SCHEMA,
        "custom_schema/stored_function_errors.kql",
    ]);
    assert_eq!(got.len(), 1, "{got:?}");
    let (code, message) = &got[0];
    assert_eq!(code, "AH124");
    assert!(
        message.contains("`VpnCountries`")
            && message.contains("no location in this query")
            && message.contains("unknown column `SourceCountry` at line 3, column 35 of its body"),
        "{message}"
    );
}
