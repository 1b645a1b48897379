//! Code actions: each finding's fix as a quick fix (safe fixes preferred), "did you mean" for
//! unknown names, "suppress on this line" for lint findings, and fix-all of the safe fixes.

use kql_diagnostics::{apply_edits, Applicability, Diagnostic};
use kql_schema::FunctionCatalog;
use kql_semantic::codes;
use kql_syntax::{TextRange, TextSize};

use crate::{Analysis, CodeAction, CodeActionKind, TextEdit};

/// How many rounds fix-all re-lints (a fix may enable another, as with `kql lint --fix`).
const FIX_ALL_ROUNDS: usize = 8;

pub(crate) fn code_actions(a: &Analysis, range: TextRange) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for (i, d) in a.diagnostics().iter().enumerate() {
        if d.range.intersect(range).is_none() && !d.range.contains_inclusive(range.start()) {
            continue;
        }
        let action = |title: String, edits: Vec<TextEdit>, preferred: bool| CodeAction {
            title,
            kind: CodeActionKind::QuickFix,
            edits,
            is_preferred: preferred,
            diagnostic: Some(i),
            code: Some(d.code.clone()),
        };
        if let Some(fix) = &d.fix {
            let safe = fix.applicability == Applicability::Safe;
            let title = if safe {
                fix.message.clone()
            } else {
                format!("{} (unsafe)", fix.message)
            };
            out.push(action(title, fix.edits.clone(), safe));
        }
        if let Some(name) = did_you_mean(a, d) {
            let text = crate::names::quote_name(&name);
            out.push(action(
                format!("Change to `{text}`"),
                vec![TextEdit::replace(d.range, text)],
                d.fix.is_none(),
            ));
        }
        if let Some(rule) = d
            .rule
            .as_deref()
            .filter(|r| *r != kql_lint::suppress::UNUSED_SUPPRESSION)
        {
            out.push(action(
                format!("Suppress `{rule}` on this line"),
                vec![suppress_edit(a.text(), d.range.start(), rule)],
                false,
            ));
        }
    }
    if let Some(all) = fix_all(a) {
        out.push(all);
    }
    out
}

/// The closest known name to an unknown table, column or function.
fn did_you_mean(a: &Analysis, d: &Diagnostic) -> Option<String> {
    let written = a.text().get(d.range.start().into()..d.range.end().into())?;
    let name = written
        .strip_prefix("['")
        .and_then(|s| s.strip_suffix("']"))
        .unwrap_or(written);
    let found = match d.code.as_str() {
        codes::UNKNOWN_TABLE => a.schema().suggest_table(name).map(str::to_string),
        codes::UNKNOWN_COLUMN => {
            let scope = a.model().columns_at(d.range.start())?;
            kql_schema::suggest(name, scope.columns.iter().map(|c| &*c.name)).map(str::to_string)
        }
        codes::UNKNOWN_FUNCTION => a
            .schema()
            .suggest_function(name)
            .or_else(|| FunctionCatalog::builtin().suggest(name))
            .map(str::to_string),
        _ => None,
    }?;
    (found != name).then_some(found)
}

/// `// kql-lint: disable-next-line rule` on its own line above the finding, indented like it.
fn suppress_edit(text: &str, at: TextSize, rule: &str) -> TextEdit {
    let at = usize::from(at).min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    TextEdit::insert(
        TextSize::from(line_start as u32),
        format!("{indent}// kql-lint: disable-next-line {rule}\n"),
    )
}

/// Every safe fix, applied and re-linted until nothing changes, as one edit of the document.
fn fix_all(a: &Analysis) -> Option<CodeAction> {
    let is_safe = |d: &Diagnostic| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    };
    if !a.diagnostics().iter().any(is_safe) {
        return None;
    }
    let errors = |text: &str| {
        let parse = crate::parse_text(text, a.config().blocks);
        parse.diagnostics().len()
    };
    let start_errors = errors(a.text());
    let mut text = a.text().to_string();
    let mut diagnostics = a.diagnostics().to_vec();
    for _ in 0..FIX_ALL_ROUNDS {
        let edits: Vec<TextEdit> = diagnostics
            .iter()
            .filter(|d| is_safe(d))
            .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.clone()))
            .collect();
        if edits.is_empty() {
            break;
        }
        let (next, _) = apply_edits(&text, &edits);
        // A fix that breaks the syntax is not applied (as `kql lint --fix` does).
        if next == text || errors(&next) > start_errors {
            break;
        }
        text = next;
        let parse = crate::parse_text(&text, a.config().blocks);
        diagnostics =
            kql_lint::check_and_lint(&text, &parse, &a.config().lint, a.schema()).diagnostics;
    }
    let edit = crate::formatting::minimal_edit(a.text(), &text)?;
    Some(CodeAction {
        title: "Fix all safe findings".to_string(),
        kind: CodeActionKind::SourceFixAll,
        edits: vec![edit],
        is_preferred: false,
        diagnostic: None,
        code: None,
    })
}
