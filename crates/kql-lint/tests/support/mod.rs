//! What the fix harnesses share: the settings they lint with, the errors a fix must not add, and
//! one round of applying every fix.
// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;

use kql_diagnostics::{apply_edits, TextEdit};
use kql_lint::{lint, Settings};

/// Every rule on, with a fixed "now" (2026-11-27) so time rules give the same findings every day.
pub fn settings() -> Settings {
    let now = kql_semantic::fold::parse_datetime("2026-11-27T00:00:00Z").unwrap();
    Settings::at_unix_ticks(now).expect("now within years 1..=9999")
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
