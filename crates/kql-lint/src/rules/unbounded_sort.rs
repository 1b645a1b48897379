use super::prelude::*;
use kql_syntax::ast::OperatorInPipe;

declare_rule! {
    /// `sort`/`order by` whose result no `take` or `top` cuts.
    ///
    /// ## What it does
    /// Reports a `sort` or `order by` after which its pipeline has no `take`, `limit`, `top`,
    /// `sample` or other operator that bounds the row count. A sort of rows already bounded
    /// (`take` before it) or grouped (`summarize`, `count`, `distinct`, `make-series` before
    /// it) is not reported: ordering groups is how results are presented, and the cost was in
    /// the grouping. A pipeline that another one reads (a `let` value, a subquery) is judged on
    /// its own operators.
    ///
    /// ## Why is this bad?
    /// Sorting needs every row in one place before the first one comes out: for a large result
    /// it is among the most expensive operators, and it spends the Advanced Hunting run-time
    /// quota. When only the first rows are wanted, `top N by` sorts only what it keeps; kql-guard
    /// counts an unbounded sort as a cost (KQL011).
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | sort by Timestamp desc
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | top 1000 by Timestamp desc
    /// ```
    ///
    /// ## Fix safety
    /// No fix: how many rows are wanted is the author's choice.
    ///
    /// ## Coverage
    /// Microsoft's analyzer has no such rule. Over `../shared/corpus/valid`: 84 findings in 74
    /// files (180 files when sorts of grouped rows are counted too, which is why they are not).
    pub struct UnboundedSort { code: "AH122", name: "unbounded-sort", category: Performance, severity: Info, fix: None, weight: 3 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let message = "this sort orders every row; no `take` or `top` follows it";
    cx.nodes(SyntaxKind::ORDER_OP)
        .filter(|sort| OperatorInPipe::of(sort).is_some_and(|place| orders_every_row(&place)))
        .filter_map(|sort| cx.report_at_keyword(&sort, message))
        .map(|d| d.with_help("use `top N by …`, or add `| take N` after the sort"))
        .collect()
}

/// Whether the sort at `place` orders rows that nothing bounds: no count operator (`take`, `top`
/// ...) before or after it, and no aggregation before it.
fn orders_every_row(place: &OperatorInPipe) -> bool {
    !(place.after().iter().any(is_row_count_operator)
        || place
            .before()
            .iter()
            .any(|op| is_row_count_operator(op) || aggregates(op)))
}

/// Whether `op` replaces its rows by groups (the sort after it orders the groups, which is how
/// results are presented, and the cost was in the grouping).
fn aggregates(op: &SyntaxNode) -> bool {
    matches!(
        op.kind(),
        SyntaxKind::SUMMARIZE_OP
            | SyntaxKind::COUNT_OP
            | SyntaxKind::DISTINCT_OP
            | SyntaxKind::MAKE_SERIES_OP
    )
}
