//! What the lint test binaries share: the settings they lint with, the labelled-table check
//! (queries and how many findings of a rule each must produce), and for the fix harnesses the
//! errors a fix must not add and one round of applying every fix.
// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;

use kql_diagnostics::{apply_edits, Diagnostic, TextEdit};
use kql_lint::{lint, lint_text, Settings};

/// Every rule on, with a fixed "now" (2026-11-27) so time rules give the same findings every day.
pub fn settings() -> Settings {
    let now = kql_semantic::fold::parse_datetime("2026-11-27T00:00:00Z").unwrap();
    Settings::at_unix_ticks(now).expect("now within years 1..=9999")
}

/// The findings of `rule` in `query`, linted under `settings`.
pub fn findings_with(rule: &str, settings: &Settings, query: &str) -> Vec<Diagnostic> {
    lint_text(query, settings)
        .into_iter()
        .filter(|d| d.rule.as_deref() == Some(rule))
        .collect()
}

/// [`findings_with`] under [`settings`].
pub fn findings(rule: &str, query: &str) -> Vec<Diagnostic> {
    findings_with(rule, &settings(), query)
}

/// How many findings of `rule` `query` has under [`settings`].
pub fn count(rule: &str, query: &str) -> usize {
    findings(rule, query).len()
}

/// Checks a labelled table under `settings`: each row is a query and how many findings of `rule`
/// it must produce (0 = negative). Fails naming every row that does not, by index and query.
pub fn check_table_with(rule: &str, settings: &Settings, table: &[(&str, usize)]) {
    let failures: Vec<String> = table
        .iter()
        .enumerate()
        .filter_map(|(i, &(q, want))| {
            let got = findings_with(rule, settings, q).len();
            (got != want).then(|| format!("#{i}: want {want}, got {got}: {q}"))
        })
        .collect();
    assert!(failures.is_empty(), "{rule}:\n{}", failures.join("\n"));
}

/// [`check_table_with`] under [`settings`].
pub fn check_table(rule: &str, table: &[(&str, usize)]) {
    check_table_with(rule, &settings(), table);
}

/// [`check_table`] over queries that all start with `prefix` (a filtered table, a `let`): each
/// row holds the rest of its query.
pub fn check_table_after(rule: &str, prefix: &str, table: &[(&str, usize)]) {
    let queries: Vec<(String, usize)> = table
        .iter()
        .map(|&(rest, want)| (format!("{prefix}{rest}"), want))
        .collect();
    let table: Vec<(&str, usize)> = queries.iter().map(|(q, n)| (q.as_str(), *n)).collect();
    check_table(rule, &table);
}

/// The syntax and semantic diagnostics of `text` (code and message: positions move with fixes).
pub fn errors(text: &str) -> BTreeSet<(String, String)> {
    let parse = kql_syntax::parse(text);
    let model = kql_semantic::analyze(&parse, kql_schema::Schema::advanced_hunting());
    parse
        .diagnostics()
        .iter()
        .chain(model.diagnostics())
        .map(|d| (d.code.clone(), d.message.clone()))
        .collect()
}

/// `text` with the edits of every fix (unsafe ones included) applied, or `None` when there are
/// none or they change nothing.
pub fn fix_round(text: &str, settings: &Settings) -> Option<String> {
    let parse = kql_syntax::parse(text);
    let edits: Vec<TextEdit> = lint(text, &parse, settings)
        .into_iter()
        .filter_map(|d| d.fix)
        .flat_map(|f| f.edits)
        .collect();
    if edits.is_empty() {
        return None;
    }
    let (next, _) = apply_edits(text, &edits);
    (next != text).then_some(next)
}
