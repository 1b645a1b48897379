//! Inline suppressions.
//!
//! - `// kql-lint: disable-next-line rule-a, rule-b` silences those rules on the next line that is
//!   not blank or a comment.
//! - `// kql-lint: disable-file rule-a` silences the rules in the whole file.
//!
//! Rules are named by kebab-case name or code; `all` means every rule. Parser and checker
//! findings are named by code (`KQL202`) or name (`unknown-column`). A suppression that silences
//! nothing is itself reported as `unused-suppression` (AH900), which cannot be suppressed.
//! [`apply`] judges both kinds when it is given every finding ([`Given::Everything`], as in
//! [`crate::check_and_lint`]); given rule findings only, it says nothing about entries naming
//! checker codes: it cannot know whether they are used.

use kql_diagnostics::{Diagnostic, Severity, TextRange};
use kql_syntax::{SyntaxKind, SyntaxNode};

use kql_diagnostics::codes::checker_code;

use crate::registry::{by_name, RULES};
use crate::Settings;

pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

struct Suppression {
    range: TextRange,
    /// `None` for the whole file, else the line (0-based) it applies to.
    line: Option<usize>,
    rules: Vec<String>,
    used: Vec<bool>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].bytes().filter(|&b| b == b'\n').count()
}

fn parse_comments(text: &str, root: &SyntaxNode) -> Vec<Suppression> {
    let mut out = Vec::new();
    for tok in root
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| t.kind() == SyntaxKind::COMMENT)
    {
        let body = tok.text().trim_start_matches('/').trim();
        let Some(rest) = body.strip_prefix("kql-lint:") else {
            continue;
        };
        let rest = rest.trim();
        let (file, list) = if let Some(l) = rest.strip_prefix("disable-next-line") {
            (false, l)
        } else if let Some(l) = rest.strip_prefix("disable-file") {
            (true, l)
        } else {
            continue;
        };
        let rules: Vec<String> = list
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let line = if file {
            None
        } else {
            // The next line holding something other than blanks and comments.
            let start = line_of(text, usize::from(tok.text_range().end())) + 1;
            let target = text
                .lines()
                .enumerate()
                .skip(start)
                .find(|(_, l)| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with("//")
                })
                .map(|(i, _)| i)
                .unwrap_or(start);
            Some(target)
        };
        let used = vec![false; rules.len()];
        out.push(Suppression {
            range: tok.text_range(),
            line,
            rules,
            used,
        });
    }
    out
}

/// Which findings [`apply`] is given, and so which unused entries it can judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    /// Every finding of the text: rule, parser and checker ones (only those
    /// [`Settings::is_code_enabled`] selects). Entries naming any of them are judged.
    Everything,
    /// Rule findings only: entries naming parser or checker codes are neither used nor reported.
    RuleFindings,
}

/// Whether suppression entry `r` names finding `d`.
fn names(r: &str, d: &Diagnostic) -> bool {
    r == "all"
        || r.eq_ignore_ascii_case(&d.code)
        || match d.rule.as_deref() {
            Some(rule) => r == rule,
            None => checker_code(r).is_some_and(|c| c.code.eq_ignore_ascii_case(&d.code)),
        }
}

/// Removes suppressed diagnostics and adds one for every unused suppression entry.
/// `diagnostics` must hold every finding `given` says, or entries naming checker codes would be
/// reported as unused.
pub fn apply(
    text: &str,
    root: &SyntaxNode,
    diagnostics: Vec<Diagnostic>,
    settings: &Settings,
    given: Given,
) -> Vec<Diagnostic> {
    let judge_checker_codes = given == Given::Everything;
    if !text.contains("kql-lint:") {
        return diagnostics;
    }
    let mut sups = parse_comments(text, root);
    if sups.is_empty() {
        return diagnostics;
    }
    let mut kept = Vec::new();
    for d in diagnostics {
        let line = line_of(text, usize::from(d.range.start()).min(text.len()));
        let mut suppressed = false;
        for s in &mut sups {
            if s.line.is_some_and(|l| l != line) {
                continue;
            }
            for (i, r) in s.rules.iter().enumerate() {
                if names(r, &d) {
                    s.used[i] = true;
                    suppressed = true;
                }
            }
        }
        if !suppressed {
            kept.push(d);
        }
    }
    let meta = RULES.iter().find(|r| r.name == UNUSED_SUPPRESSION);
    if let Some(meta) = meta.filter(|m| settings.is_enabled(m)) {
        for s in &sups {
            for (i, r) in s.rules.iter().enumerate() {
                if s.used[i] {
                    continue;
                }
                let rule = by_name(r);
                // A suppression of a rule that is not enabled cannot be judged: say nothing.
                if rule.is_some_and(|m| !settings.is_enabled(m)) {
                    continue;
                }
                // Nor one of a checker code without the checker's findings, or not selected.
                let code = checker_code(r).filter(|_| rule.is_none());
                if code.is_some_and(|c| !judge_checker_codes || !settings.is_code_enabled(c.code)) {
                    continue;
                }
                let known = r == "all" || rule.is_some() || code.is_some();
                let msg = if known {
                    format!("suppression of `{r}` suppresses nothing")
                } else {
                    format!("suppression names unknown rule `{r}`")
                };
                let mut d = Diagnostic::new(meta.code, settings.severity_of(meta), msg, s.range)
                    .with_rule(meta.name);
                if s.rules.is_empty() {
                    d.severity = Severity::Warning;
                }
                kept.push(d);
            }
        }
    }
    kept
}
