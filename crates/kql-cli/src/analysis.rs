//! What `kql lint` reports for one text, and the fixes it applies.
//!
//! * In `--blocks` mode each blank-line-separated block is parsed and linted on its own (it is
//!   its own query), so the work is linear in the number of blocks; a `disable-file`
//!   suppression applies to the block it is in.
//! * Parser and checker findings (`KQL0xx`, `KQL2xx`) follow the selection (`--select`,
//!   `--ignore`, `kql.toml`) and the suppression comments like rule findings do.
//! * Fixes are re-applied until the text is stable (at most 10 rounds); a round whose result has
//!   more syntax errors than its input is discarded. Every finding's fix counts, the checker's
//!   `KQL206` (renamed table) included: what shows "fix (safe)" is what `--fix` applies.

use kql_diagnostics::{apply_edits, Applicability, Diagnostic, TextEdit, TextSize};
use kql_lint::Settings;

/// Syntax, semantic and lint findings of one file's text, sorted by position.
pub fn lint_file(
    text: &str,
    blocks: bool,
    settings: &Settings,
    schema: &kql_schema::Schema,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if blocks {
        for range in kql_syntax::block_ranges(text) {
            let block = &text[range];
            let at: TextSize = range.start();
            out.extend(
                lint_query(block, settings, schema)
                    .into_iter()
                    .map(|d| d.shifted(at)),
            );
        }
    } else {
        out = lint_query(text, settings, schema);
    }
    out.sort_by_key(|d| (d.range.start(), d.range.end()));
    out
}

fn lint_query(text: &str, settings: &Settings, schema: &kql_schema::Schema) -> Vec<Diagnostic> {
    let parse = kql_syntax::parse(text);
    let all = kql_lint::check_and_lint(text, &parse, settings, schema).diagnostics;
    select_and_suppress_checker_codes(text, &parse, all, settings)
}

/// The rule name of the finding that reports unused suppressions.
const UNUSED: &str = kql_lint::suppress::UNUSED_SUPPRESSION;

/// Applies the selection and the suppression comments to the parser's and checker's findings
/// (kql-lint applies them to rule findings only), and replaces kql-lint's "unknown rule `KQL202`"
/// about such comments with the truth: used, or unused.
fn select_and_suppress_checker_codes(
    text: &str,
    parse: &kql_syntax::Parse,
    all: Vec<Diagnostic>,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let (checker, mut rules): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| d.rule.is_none());
    let checker: Vec<Diagnostic> = checker
        .into_iter()
        .filter(|d| settings.is_code_enabled(&d.code))
        .collect();
    if !text.contains("kql-lint:") {
        rules.extend(checker);
        return rules;
    }
    let names_checker_code = |d: &Diagnostic| {
        d.rule.as_deref() == Some(UNUSED)
            && named_code(&d.message)
                .is_some_and(|c| kql_diagnostics::codes::checker_code(c).is_some())
    };
    rules.retain(|d| !names_checker_code(d));
    for d in kql_lint::suppress::apply(text, &parse.syntax(), checker, settings) {
        if d.rule.is_none() {
            rules.push(d);
        } else if names_checker_code(&d) {
            let code = named_code(&d.message).unwrap_or_default().to_string();
            let mut d = d;
            d.message = format!("suppression of `{code}` suppresses nothing");
            rules.push(d);
        }
    }
    rules
}

/// The first `quoted` name in a message.
fn named_code(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Whether `d`'s fix may be applied: safe fixes always, unsafe ones when asked.
pub fn applicable(d: &Diagnostic, unsafe_fixes: bool) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| unsafe_fixes || f.applicability == Applicability::Safe)
}

/// The fixed text and the findings whose fixes were applied (code, rule, fix message).
pub struct Fixed {
    pub text: String,
    pub applied: Vec<(String, Option<String>, String)>,
}

/// Applies fixes until nothing changes (10 rounds at most). A round that adds syntax errors is
/// dropped.
pub fn fix_until_stable(
    text: &str,
    blocks: bool,
    settings: &Settings,
    schema: &kql_schema::Schema,
    unsafe_fixes: bool,
) -> Fixed {
    let mut cur = text.to_string();
    let mut applied = Vec::new();
    for _ in 0..10 {
        let errors = syntax_errors(&cur, blocks);
        let fixable: Vec<Diagnostic> = lint_file(&cur, blocks, settings, schema)
            .into_iter()
            .filter(|d| applicable(d, unsafe_fixes))
            .collect();
        let edits: Vec<TextEdit> = fixable
            .iter()
            .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.iter().cloned()))
            .collect();
        if edits.is_empty() {
            break;
        }
        let (next, _) = apply_edits(&cur, &edits);
        if next == cur || syntax_errors(&next, blocks) > errors {
            break;
        }
        applied.extend(fixable.into_iter().map(|d| {
            let message = d.fix.map(|f| f.message).unwrap_or_default();
            (d.code, d.rule, message)
        }));
        cur = next;
    }
    Fixed { text: cur, applied }
}

fn syntax_errors(text: &str, blocks: bool) -> usize {
    crate::common::parse_text(text, blocks).diagnostics().len()
}
