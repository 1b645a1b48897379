use super::prelude::*;
use kql_syntax::ast::operator_params;

declare_rule! {
    /// `partition` without `hint.strategy`, which runs the legacy strategy.
    ///
    /// ## What it does
    /// Reports a `partition` operator that names no strategy. An explicit
    /// `hint.strategy=legacy` is the author's choice and is not reported.
    ///
    /// ## Why is this bad?
    /// Without a strategy, `partition` uses its legacy mode, which is limited to 64 partitions
    /// and is less efficient; the `native` strategy (when the subquery allows it) and `shuffle`
    /// do not have that limit.
    ///
    /// ## Example
    /// ```kql
    /// DeviceLogonEvents | where Timestamp > ago(1d) | partition by DeviceId (top 1 by Timestamp desc)
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceLogonEvents | where Timestamp > ago(1d) | partition hint.strategy=native by DeviceId (top 1 by Timestamp desc)
    /// ```
    ///
    /// ## Fix safety
    /// No fix: `native` accepts only some subqueries (no `as` of the partition, for one), and
    /// which strategy fits is the author's choice.
    ///
    /// ## Compared with Microsoft's analyzer (KS513)
    /// Over `../shared/corpus/valid`: 8 files both, 0 Microsoft-only, 0 kqlkit-only.
    pub struct LegacyPartition { code: "AH117", name: "legacy-partition", category: Performance, severity: Info, fix: None, weight: 1 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let message = "`partition` without `hint.strategy` runs the legacy strategy (at most 64 partitions, and slower)";
    cx.nodes(SyntaxKind::PARTITION_OP)
        .filter(|op| !operator_params(op).any(|(name, _)| name == "hint.strategy"))
        .filter_map(|op| cx.report_at_keyword(&op, message))
        .map(|d| d.with_help("add `hint.strategy=native` (or `shuffle`) after `partition`"))
        .collect()
}
