//! Chains of any length through the whole `kql lint` pipeline (parse, semantic model, rules):
//! 100,000-operator pipelines and 100,000-term `or`, `and` and `+` runs give no diagnostics and
//! no stack overflow; 100,000 `(` give one `KQL004` and nothing else. Each case runs in a child
//! process (this test binary re-run with `KQL_CHAIN_CASE` set) on a 2 MiB stack, so a stack
//! overflow fails one test instead of aborting the run. Time is the lint benchmark's business.

#[path = "../../kql-syntax/tests/common/child_process.rs"]
mod child_process;

use child_process::run_in_child_process;
use kql_lint::{check_and_lint, Settings};

const CASE_VAR: &str = "KQL_CHAIN_CASE";
const N: usize = 100_000;

/// Runs `check_and_lint` over `make_text()` in a child process and asserts that the codes of
/// its diagnostics are `want`.
fn isolated(test_name: &str, make_text: fn() -> String, want: &'static [&'static str]) {
    run_in_child_process(CASE_VAR, test_name, move || {
        let text = make_text();
        let parse = kql_syntax::parse(&text);
        let now = kql_semantic::fold::parse_datetime("2026-11-27T00:00:00Z").unwrap();
        let settings = Settings::at_unix_ticks(now).expect("now within years 1..=9999");
        let report = check_and_lint(
            &text,
            &parse,
            &settings,
            kql_schema::Schema::advanced_hunting(),
        );
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, want, "{:?}", report.diagnostics.first());
        drop(report);
        drop(parse);
    });
}

/// A bounded, time-filtered query head, so the rules have nothing to say about the rest.
const HEAD: &str = "DeviceProcessEvents | where Timestamp > ago(1d)";

#[test]
fn pipeline_of_100k_operators() {
    isolated(
        "pipeline_of_100k_operators",
        || {
            format!(
                "{HEAD}{}\n| take 10",
                "\n| where FileName != \"a\"".repeat(N)
            )
        },
        &[],
    );
}

#[test]
fn or_chain_of_100k_terms() {
    isolated(
        "or_chain_of_100k_terms",
        || {
            let terms = vec!["FileName == \"a\""; N].join(" or ");
            format!("{HEAD} | where {terms} | take 10")
        },
        &[],
    );
}

#[test]
fn and_chain_of_100k_terms() {
    isolated(
        "and_chain_of_100k_terms",
        || {
            let terms = vec!["FileName != \"a\""; N].join(" and ");
            format!("{HEAD} | where {terms} | take 10")
        },
        &[],
    );
}

#[test]
fn plus_chain_of_100k_terms() {
    isolated(
        "plus_chain_of_100k_terms",
        || {
            format!(
                "{HEAD} | extend x = {}1 | take 10",
                "ProcessId + ".repeat(N)
            )
        },
        &[],
    );
}

/// Real nesting keeps its limit: one `KQL004`, and nothing about the text it did not parse.
#[test]
fn deep_parens_give_only_kql004() {
    isolated(
        "deep_parens_give_only_kql004",
        || format!("{HEAD} | where {}", "(".repeat(N)),
        &["KQL004"],
    );
}
