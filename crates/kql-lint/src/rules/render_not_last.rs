use super::prelude::*;
use kql_syntax::ast::AstNode;

declare_rule! {
    /// `render` followed by another operator.
    ///
    /// ## What it does
    /// Reports a `render` that is not the last operator of a query's result pipeline.
    ///
    /// ## Why is this bad?
    /// Kusto's documentation requires `render` to be the last operator; operators after it are
    /// applied by some clients and rejected or ignored by others, so the chart may not show what
    /// the query computes. Microsoft's editor analyzer does not report it, so it goes unnoticed.
    ///
    /// ## Example
    /// ```kql
    /// DeviceEvents | where Timestamp > ago(1d) | summarize count() by bin(Timestamp, 1h) | render timechart | take 100
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceEvents | where Timestamp > ago(1d) | summarize count() by bin(Timestamp, 1h) | take 100 | render timechart
    /// ```
    ///
    /// ## Fix safety
    /// No fix: where the later operators belong is the author's choice.
    pub struct RenderNotLast { code: "AH111", name: "render-not-last", category: Suspicious, severity: Warning, fix: None, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !cx.text.contains("render") {
        return out;
    }
    for expr in result_statements(cx) {
        let Some(pipe) = kql_syntax::ast::PipeExpr::cast(expr) else {
            continue;
        };
        let ops = pipe.operators();
        let Some((last, rest)) = ops.split_last() else {
            continue;
        };
        for render in rest.iter().filter(|op| op.kind() == SyntaxKind::RENDER_OP) {
            out.push(
                cx.report(
                    "`render` must be the last operator; the operators after it may be ignored",
                    render.text_range(),
                )
                .with_label(last.text_range(), "last operator")
                .with_help("move `render` to the end of the query"),
            );
        }
    }
    out
}
