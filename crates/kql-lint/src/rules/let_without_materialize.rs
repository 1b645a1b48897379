use super::prelude::*;
use kql_syntax::ast::{self, AstNode};

declare_rule! {
    /// Tabular `let` used more than once without `materialize()`.
    ///
    /// ## What it does
    /// Reports a `let` bound to a tabular expression (a pipeline over a table) that later statements use two or more times, when its value is not wrapped in `materialize()`.
    ///
    /// ## Why is this bad?
    /// Each use re-runs the whole subquery; `materialize` evaluates it once and caches the result.
    ///
    /// ## Example
    /// ```kql
    /// let procs = DeviceProcessEvents | where Timestamp > ago(1d); procs | join (procs) on DeviceId
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// let procs = materialize(DeviceProcessEvents | where Timestamp > ago(1d)); procs | join (procs) on DeviceId
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the result is the same; only the evaluation is shared.
    pub struct LetWithoutMaterialize { code: "AH109", name: "let-without-materialize", category: Performance, severity: Info, fix: Safe, weight: 2 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for stmt in cx.nodes(SyntaxKind::LET_STMT) {
        let Some(l) = ast::LetStmt::cast(stmt.clone()) else {
            continue;
        };
        let (Some(name), Some(value)) = (l.name().and_then(|n| name_text(n.syntax())), l.value())
        else {
            continue;
        };
        let Some(source) = ast::PipeExpr::cast(value.clone()).and_then(|p| p.source()) else {
            continue;
        };
        if cx.table_read(&source).is_none() {
            continue;
        }
        let uses = let_uses(cx, &stmt).len();
        if uses < 2 {
            continue;
        }
        let r = value.text_range();
        out.push(
            cx.report(format!("`{name}` is used {uses} times and re-evaluated each time; wrap it in `materialize()`"), r)
                .with_fix(Fix::safe("Wrap in `materialize()`", vec![TextEdit::insert(r.start(), "materialize("), TextEdit::insert(r.end(), ")")])),
        );
    }
    out
}
