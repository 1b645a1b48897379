//! What `kql lint` reports for one text, and the fixes it applies.
//!
//! * In `--blocks` mode each blank-line-separated block is parsed and linted on its own (it is
//!   its own query), so the work is linear in the number of blocks; a `disable-file`
//!   suppression applies to the block it is in.
//! * Parser and checker findings (`KQL0xx`, `KQL2xx`) follow the selection (`--select`,
//!   `--ignore`, `kql.toml`) and the suppression comments like rule findings do (in
//!   `kql_lint::check_and_lint`, so the editor reports the same); a host file's parse error
//!   (`EMB001`..`EMB003`) follows the selection.
//! * Fixes are re-applied until the text is stable (at most 10 rounds); a round whose result has
//!   more syntax errors than its input is discarded. Every finding's fix counts, the checker's
//!   `KQL206` (renamed table) included: what shows "fix (safe)" is what `--fix` applies.

use kql_diagnostics::{apply_edits, Applicability, Diagnostic, TextEdit, TextSize};
use kql_embed::EmbedOptions;
use kql_lint::Settings;

use crate::embedded::{self, Host, Queries};
use crate::files::Input;

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
    kql_lint::check_and_lint(text, &parse, settings, schema).diagnostics
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

/// One round of `--fix`: `text` with the edits of every applicable fix among `findings`, and
/// those findings; `None` when no fix applies or the edits leave the text as it was.
fn fix_round(text: &str, findings: Vec<Diagnostic>, unsafe_fixes: bool) -> Option<Fixed> {
    let fixable: Vec<Diagnostic> = findings
        .into_iter()
        .filter(|d| applicable(d, unsafe_fixes))
        .collect();
    let edits: Vec<TextEdit> = fixable
        .iter()
        .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.iter().cloned()))
        .collect();
    if edits.is_empty() {
        return None;
    }
    let (next, _) = apply_edits(text, &edits);
    if next == text {
        return None;
    }
    let applied = fixable
        .into_iter()
        .map(|d| {
            let message = d.fix.map(|f| f.message).unwrap_or_default();
            (d.code, d.rule, message)
        })
        .collect();
    Some(Fixed {
        text: next,
        applied,
    })
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
        let findings = lint_file(&cur, blocks, settings, schema);
        let Some(round) = fix_round(&cur, findings, unsafe_fixes) else {
            break;
        };
        if syntax_errors(&round.text, blocks) > errors {
            break;
        }
        applied.extend(round.applied);
        cur = round.text;
    }
    Fixed { text: cur, applied }
}

fn syntax_errors(text: &str, blocks: bool) -> usize {
    crate::common::parse_text(text, blocks).diagnostics().len()
}

/// What linting one input gives: findings at the file's positions, the fixed text (when fixing
/// changed something), what remains after the fixes, and notes about fixes that could not be
/// written back into a host file.
pub struct LintOutcome {
    pub diagnostics: Vec<Diagnostic>,
    pub fixed: Option<Fixed>,
    pub remaining: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

/// How to lint one input.
pub struct LintJob<'a> {
    pub blocks: bool,
    pub settings: &'a Settings,
    pub schema: &'a kql_schema::Schema,
    /// Compute fixes (`--fix`/`--diff`), unsafe ones too when `Some(true)`.
    pub fix: Option<bool>,
    /// Lint the fixed text again (`--fix`: what remains is reported).
    pub relint: bool,
}

/// Lints `input` (a query file, or a host file's embedded queries); `None` for a host file with
/// no query, which is skipped without a word.
pub fn lint_input(input: &Input, opts: &EmbedOptions, job: &LintJob) -> Option<LintOutcome> {
    let queries = match embedded::queries(input, opts) {
        Queries::Whole => return Some(lint_whole(&input.text, job)),
        // `EMB001`..`EMB003` follow `--select`/`--ignore` like the checker's codes.
        Queries::Broken(d) => {
            let enabled = job.settings.is_code_enabled(&d.code);
            return Some(LintOutcome {
                diagnostics: if enabled { vec![d] } else { Vec::new() },
                fixed: None,
                remaining: Vec::new(),
                notes: Vec::new(),
            });
        }
        // Standard input is always answered (`--fix -` prints the text back).
        Queries::Embedded(q) if q.is_empty() && !input.is_stdin => return None,
        Queries::Embedded(q) => q,
    };
    let host = Host {
        path: &input.path,
        text: &input.text,
        kind: input.kind,
        opts,
        queries: &queries,
    };
    let diagnostics = lint_host(&host, job).0;
    let mut outcome = LintOutcome {
        diagnostics,
        fixed: None,
        remaining: Vec::new(),
        notes: Vec::new(),
    };
    let Some(unsafe_fixes) = job.fix else {
        return Some(outcome);
    };
    if !outcome
        .diagnostics
        .iter()
        .any(|d| applicable(d, unsafe_fixes))
    {
        return Some(outcome);
    }
    let (fixed, notes) = fix_host(input, opts, job, unsafe_fixes);
    outcome.notes = notes;
    if fixed.text != input.text {
        if job.relint {
            outcome.remaining = match kql_embed::extract(input.kind, &fixed.text, opts) {
                Ok(queries) => {
                    let after = Host {
                        text: &fixed.text,
                        queries: &queries,
                        ..host
                    };
                    lint_host(&after, job).0
                }
                Err(_) => Vec::new(),
            };
        }
        outcome.fixed = Some(fixed);
    }
    Some(outcome)
}

/// `--fix` over a host file: each round applies the fixable findings' edits (already in host
/// form, so what shows "fix" is what is written) until nothing changes, 10 rounds at most; a
/// round that adds syntax errors is dropped. Also returns a note for every fix that would apply
/// but that the host form cannot hold.
fn fix_host(
    input: &Input,
    opts: &EmbedOptions,
    job: &LintJob,
    unsafe_fixes: bool,
) -> (Fixed, Vec<String>) {
    let mut cur = input.text.clone();
    let mut applied = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut errors = host_syntax_errors(input, &cur, opts, job.blocks);
    for _ in 0..10 {
        let Ok(queries) = kql_embed::extract(input.kind, &cur, opts) else {
            break;
        };
        let host = Host {
            path: &input.path,
            text: &cur,
            kind: input.kind,
            opts,
            queries: &queries,
        };
        let (diagnostics, dropped) = lint_host(&host, job);
        for (applicability, note) in dropped {
            let wanted = unsafe_fixes || applicability == Applicability::Safe;
            if wanted && !notes.contains(&note) {
                notes.push(note);
            }
        }
        let Some(round) = fix_round(&cur, diagnostics, unsafe_fixes) else {
            break;
        };
        let next_errors = host_syntax_errors(input, &round.text, opts, job.blocks);
        if next_errors > errors {
            break;
        }
        applied.extend(round.applied);
        errors = next_errors;
        cur = round.text;
    }
    (Fixed { text: cur, applied }, notes)
}

/// Syntax errors over a host text's queries (`usize::MAX` when the host no longer parses).
fn host_syntax_errors(input: &Input, text: &str, opts: &EmbedOptions, blocks: bool) -> usize {
    match kql_embed::extract(input.kind, text, opts) {
        Ok(queries) => queries
            .iter()
            .map(|q| syntax_errors(&q.query, blocks))
            .sum(),
        Err(_) => usize::MAX,
    }
}

/// A query file: the whole text is the query.
fn lint_whole(text: &str, job: &LintJob) -> LintOutcome {
    let diagnostics = lint_file(text, job.blocks, job.settings, job.schema);
    let any_fix = job
        .fix
        .is_some_and(|u| diagnostics.iter().any(|d| applicable(d, u)));
    let fixed = job
        .fix
        .filter(|_| any_fix)
        .map(|u| fix_until_stable(text, job.blocks, job.settings, job.schema, u))
        .filter(|f| f.text != text);
    let remaining = match &fixed {
        Some(f) if job.relint => lint_file(&f.text, job.blocks, job.settings, job.schema),
        _ => Vec::new(),
    };
    LintOutcome {
        diagnostics,
        fixed,
        remaining,
        notes: Vec::new(),
    }
}

/// The findings of a host file's queries, each query with its own settings, at host positions;
/// and the fixes dropped because the host form cannot hold them (applicability, note).
pub fn lint_host(host: &Host, job: &LintJob) -> (Vec<Diagnostic>, Vec<(Applicability, String)>) {
    let mut out = Vec::new();
    let mut dropped = Vec::new();
    for (i, e) in host.queries.iter().enumerate() {
        let settings = embedded::query_settings(job.settings, e);
        for d in lint_file(&e.query, job.blocks, &settings, job.schema) {
            let (d, note) = host.diagnostic_noted(i, d);
            out.push(embedded::relocate_period(e, d));
            dropped.extend(note);
        }
    }
    out.sort_by_key(|d| (d.range.start(), d.range.end()));
    // One `queryPeriod` finding, not one per query or block that shares it.
    out.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);
    (out, dropped)
}

/// What `check` or `parse` reports for `input` (`per_query` computes it for one query's text),
/// at the file's positions; `None` for a host file with no query.
pub fn check_input(
    input: &Input,
    opts: &EmbedOptions,
    per_query: impl Fn(&str) -> Vec<Diagnostic>,
) -> Option<Vec<Diagnostic>> {
    match embedded::queries(input, opts) {
        Queries::Whole => Some(per_query(&input.text)),
        Queries::Broken(d) => Some(vec![d]),
        Queries::Embedded(q) if q.is_empty() && !input.is_stdin => None,
        Queries::Embedded(q) => {
            let host = Host {
                path: &input.path,
                text: &input.text,
                kind: input.kind,
                opts,
                queries: &q,
            };
            let mut out: Vec<Diagnostic> = q
                .iter()
                .enumerate()
                .flat_map(|(i, e)| {
                    per_query(&e.query)
                        .into_iter()
                        .map(|d| host.diagnostic(i, d))
                        .collect::<Vec<_>>()
                })
                .collect();
            out.sort_by_key(|d| (d.range.start(), d.range.end()));
            Some(out)
        }
    }
}
