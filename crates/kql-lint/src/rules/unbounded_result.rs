use super::prelude::*;
use kql_syntax::ast::AstNode;

declare_rule! {
    /// Result row count not proven to be within the API's row cap.
    ///
    /// ## What it does
    /// Computes an upper bound on the rows each query statement returns: `take`/`limit`/`top`/
    /// `sample`/`sample-distinct`/`top-hitters` set it; `count`, `summarize`/`make-series` without
    /// `by` and `print` give one row; `datatable` and constant `range` are counted; `top-nested`
    /// multiplies its levels; filters, projections, `order`, `distinct`, `summarize ... by` keep
    /// it; `mv-expand` without `limit`, `mv-apply`, `evaluate`, `externaldata` make it
    /// unbounded; `join`/`lookup` multiply both sides (`leftsemi`/`leftanti` keep the left) and
    /// `union` adds. It reports a statement whose bound is unknown or above the cap (100,000).
    ///
    /// ## Why is this bad?
    /// Advanced Hunting returns at most 100,000 rows and drops the rest without an error.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | take 10 | mv-expand Tags
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | mv-expand Tags | take 10
    /// ```
    ///
    /// ## Fix safety
    /// The fix appends `| take <cap>`; it is unsafe because it makes the truncation explicit
    /// rather than avoiding it.
    pub struct UnboundedResult;
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let cap = cx.settings.max_rows;
    let mut out = Vec::new();
    // Top-level statements, and in blocks mode the statements of each block.
    let top = |n: &SyntaxNode| {
        n.parent()
            .is_some_and(|p| matches!(p.kind(), SyntaxKind::SOURCE_FILE | SyntaxKind::QUERY_BLOCK))
    };
    for stmt in cx.nodes(SyntaxKind::QUERY_STMT).filter(top) {
        let Some(expr) = stmt.first_child() else {
            continue;
        };
        if !(expr.kind() == SyntaxKind::PIPE_EXPR
            || expr.kind() == SyntaxKind::NAME_REF
            || expr.kind().is_tabular_operator()
            || expr.kind() == SyntaxKind::PAREN_EXPR
            || expr.kind() == SyntaxKind::CALL_EXPR)
        {
            continue;
        }
        let bound = max_rows(cx, &expr, 0);
        if bound.is_some_and(|b| b <= cap) {
            continue;
        }
        let target = match ast_operator(&expr) {
            Some(op) => op.text_range(),
            None => expr.text_range(),
        };
        let msg = match bound {
            Some(b) => format!("the result may have up to {b} rows, more than the {cap}-row cap"),
            None => format!(
                "the result row count is not bounded: more than {cap} rows are silently dropped"
            ),
        };
        let end = expr.text_range().end();
        let mut d = cx
            .report(msg, target)
            .with_help("end the query with `take`, `top` or an aggregation (`summarize`, `count`)");
        // A count above the cap is `row-limit-exceeded`'s to fix; only an unknown bound gets a `take`.
        if bound.is_none() {
            d = d.with_fix(Fix::unsafe_(
                format!("Append `| take {cap}`"),
                vec![TextEdit::insert(end, format!("\n| take {cap}"))],
            ));
        }
        out.push(d);
    }
    out
}

/// The last operator of a pipeline (where the finding is shown).
fn ast_operator(expr: &SyntaxNode) -> Option<SyntaxNode> {
    kql_syntax::ast::PipeExpr::cast(expr.clone())?
        .operators()
        .pop()
}
