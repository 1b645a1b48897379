use super::prelude::*;
use kql_syntax::ast::{AstNode, BinExpr};

declare_rule! {
    /// `sum(A + B)` over columns that may be null.
    ///
    /// ## What it does
    /// Reports `sum(...)` whose argument adds or subtracts two or more terms that read columns
    /// (`sum(DamageCrops + DamageProperty)`).
    ///
    /// ## Why is this bad?
    /// A null in any one column makes the whole row's `A + B` null, and `sum` skips nulls: the
    /// other column's value on that row is silently left out of the total.
    ///
    /// ## Example
    /// ```kql
    /// StormEvents | summarize TotalDamages = sum(DamageCrops + DamageProperty) by State
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// StormEvents | summarize TotalDamages = sum(DamageCrops) + sum(DamageProperty) by State
    /// ```
    ///
    /// ## Fix safety
    /// No fix: `sum(A) + sum(B)` and `sum(coalesce(A, 0) + coalesce(B, 0))` answer different
    /// questions when a value is missing; which one is meant is the author's choice.
    ///
    /// ## Compared with Microsoft's analyzer (KS505)
    /// Over `../shared/corpus/valid`: 1 file both, 0 Microsoft-only, 0 kqlkit-only. Microsoft's
    /// analyzer also reports `sum(A + 1)`; we do not, since a null `A` is skipped either way and
    /// no other value is lost.
    pub struct NullInSum { code: "AH119", name: "null-in-sum", category: Suspicious, severity: Warning, fix: None, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (call, _, arg) in cx.one_argument_calls(&["sum"]) {
        let Some(bin) = BinExpr::cast(arg) else {
            continue;
        };
        if !matches!(bin.op_text().as_deref(), Some("+" | "-")) {
            continue;
        }
        let reading = bin
            .operands()
            .iter()
            .filter(|o| reads_a_column(cx, o))
            .count();
        if reading < 2 {
            continue;
        }
        out.push(
            cx.report(
                "a null in any column of this sum's terms drops the whole row's value from the total",
                call.text_range(),
            )
            .with_help("sum each term separately (`sum(A) + sum(B)`), or replace nulls with `coalesce(A, 0)`"),
        );
    }
    out
}

/// Whether `expr` reads a column (a name the model did not bind to a `let` or parameter).
fn reads_a_column(cx: &Checker, expr: &SyntaxNode) -> bool {
    std::iter::once(expr.clone())
        .chain(expr.descendants())
        .filter(|n| n.kind() == SyntaxKind::NAME_REF)
        .filter(|n| n.parent().is_none_or(|p| p.kind() != SyntaxKind::CALL_EXPR))
        .any(|n| cx.model().referenced_symbol(n.text_range()).is_none())
}
