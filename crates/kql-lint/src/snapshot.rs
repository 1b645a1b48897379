//! Findings as stable plain text, for snapshot tests (insta) of detection repositories.
//!
//! A detection repository keeps one snapshot per rule file; the snapshot must not change unless
//! the findings do. So the text has no colours, no absolute paths (the caller passes the name to
//! show), no clock (the caller fixes "now" in [`crate::Settings`], as `kql lint --now` does), and
//! is sorted by position. Each finding is one line in the CLI's `concise` format, which calls
//! [`concise_line`] itself, so the two cannot drift:
//!
//! ```text
//! rules/logons.kql:3:21: AH001 [time-beyond-retention] the query reads 90 days; the service keeps 30
//! rules/logons.kql:7:1: AH002 [unbounded-result] [*] ...
//! ```
//!
//! `[rule]` is the lint rule's name (absent for parser and checker codes), `[*]` marks a finding
//! with a fix. [`render`] gives exactly what `kql lint --output-format concise --quiet` prints for
//! the file; [`render_with_notes`] adds, indented under each line, the related locations
//! (`  --> path:line:col: label`), the help (`  = help: ...`) and the fix (`  = fix (safe): ...`).
//! Lines and columns are 1-based, computed from the text given; columns count Unicode scalar
//! values (a tab is one column), as in every `kql` format.
//!
//! [`lint_snapshot`] lints a whole text and renders it in one call. It reports what `kql lint`
//! does for that file (syntax, checker and rule findings; selection, severities and suppression
//! comments, those naming parser or checker codes such as `KQL202` included, from
//! [`crate::check_and_lint`], which the CLI calls too).

use std::fmt::Write;

use kql_diagnostics::{Diagnostic, LineCol, LineIndex};

/// One finding in the `concise` format, without a line end:
/// `path:line:col: CODE [rule] [*] message`.
pub fn concise_line(path: &str, at: LineCol, d: &Diagnostic) -> String {
    let rule = d
        .rule
        .as_ref()
        .map(|r| format!(" [{r}]"))
        .unwrap_or_default();
    let fixable = if d.fix.is_some() { " [*]" } else { "" };
    format!(
        "{path}:{}:{}: {}{rule}{fixable} {}",
        at.line, at.column, d.code, d.message
    )
}

/// The findings of one file (`diagnostics`, whose byte ranges point into `text`), one
/// [`concise_line`] each, sorted by position (start, then end; equal ranges keep their order).
pub fn render(path: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    render_impl(path, text, diagnostics, false)
}

/// [`render`], with each finding's related locations, help and fix indented under its line.
pub fn render_with_notes(path: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    render_impl(path, text, diagnostics, true)
}

/// Lints `text` (one query, the whole file: `kql lint` without `--blocks`) with `settings` and
/// `schema`, and renders the findings with [`render`] under the name `path`.
pub fn lint_snapshot(
    path: &str,
    text: &str,
    settings: &crate::Settings,
    schema: &kql_schema::Schema,
) -> String {
    render(path, text, &findings(text, settings, schema))
}

/// What `kql lint` reports for `text`, sorted.
pub fn findings(
    text: &str,
    settings: &crate::Settings,
    schema: &kql_schema::Schema,
) -> Vec<Diagnostic> {
    let parse = kql_syntax::parse(text);
    let mut all = crate::check_and_lint(text, &parse, settings, schema).diagnostics;
    all.sort_by_key(|d| (d.range.start(), d.range.end()));
    all
}

fn render_impl(path: &str, text: &str, diagnostics: &[Diagnostic], notes: bool) -> String {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by_key(|d| (d.range.start(), d.range.end()));
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in sorted {
        let at = index.line_col(text, d.range.start());
        out.push_str(&concise_line(path, at, d));
        out.push('\n');
        if !notes {
            continue;
        }
        let mut labels: Vec<_> = d.labels.iter().collect();
        labels.sort_by_key(|l| (l.range.start(), l.range.end()));
        for l in labels {
            let at = index.line_col(text, l.range.start());
            let _ = writeln!(out, "  --> {path}:{}:{}: {}", at.line, at.column, l.message);
        }
        if let Some(help) = &d.help {
            note(&mut out, "help", help);
        }
        if let Some(fix) = &d.fix {
            note(
                &mut out,
                &format!("fix ({})", fix.applicability.as_str()),
                &fix.message,
            );
        }
    }
    out
}

/// `  = kind: text`, continuation lines aligned under the text.
fn note(out: &mut String, kind: &str, text: &str) {
    let mut lines = text.lines();
    let _ = writeln!(out, "  = {kind}: {}", lines.next().unwrap_or(""));
    let indent = " ".repeat(kind.len() + 6);
    for l in lines {
        let _ = writeln!(out, "{indent}{l}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kql_diagnostics::{Applicability, Fix, TextEdit, TextRange};

    fn range(a: u32, b: u32) -> TextRange {
        TextRange::new(a.into(), b.into())
    }

    #[test]
    fn lines_are_sorted_by_position_with_one_based_unicode_columns() {
        let text = "T\n| where é == 1\n| take 5\n";
        let late = Diagnostic::warning("AH002", "late", range(20, 24)).with_rule("some-rule");
        let early = Diagnostic::error("KQL202", "early", range(13, 14));
        let got = render("q.kql", text, &[late, early]);
        assert_eq!(
            got,
            "q.kql:2:11: KQL202 early\nq.kql:3:3: AH002 [some-rule] late\n"
        );
    }

    #[test]
    fn notes_show_labels_help_and_fix_indented() {
        let text = "a\nb\n";
        let fix = Fix {
            message: "replace b".into(),
            applicability: Applicability::Safe,
            edits: vec![TextEdit {
                range: range(2, 3),
                replacement: "c".into(),
            }],
        };
        let d = Diagnostic::warning("AH009", "message", range(2, 3))
            .with_label(range(0, 1), "defined here")
            .with_help("first\nsecond")
            .with_fix(fix);
        let got = render_with_notes("r/q.kql", text, std::slice::from_ref(&d));
        assert_eq!(
            got,
            "r/q.kql:2:1: AH009 [*] message\n  --> r/q.kql:1:1: defined here\n  = help: first\n          second\n  = fix (safe): replace b\n"
        );
        assert_eq!(
            render("r/q.kql", text, &[d]),
            "r/q.kql:2:1: AH009 [*] message\n"
        );
    }

    #[test]
    fn lint_snapshot_is_deterministic_for_a_fixed_now() {
        let settings =
            crate::Settings::at_unix_ticks(1_780_000_000 * 10_000_000).expect("in range");
        let text = "DeviceProcessEvents\n| where Timestamp > ago(90d)\n";
        let schema = kql_schema::Schema::advanced_hunting();
        let a = lint_snapshot("x.kql", text, &settings, schema);
        assert!(a.contains("x.kql:2:"), "{a}");
        assert_eq!(a, lint_snapshot("x.kql", text, &settings, schema));
    }
}
