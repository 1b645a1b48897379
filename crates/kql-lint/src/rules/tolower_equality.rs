use super::prelude::*;
use kql_syntax::ast::{AstNode, BinExpr, CallExpr, Literal};

declare_rule! {
    /// `tolower(X) == "x"` instead of a case-insensitive comparison.
    ///
    /// ## What it does
    /// Reports `tolower(X) == "lit"` / `toupper(X) == "LIT"` (and `!=`) with a literal already in that case.
    ///
    /// ## Why is this bad?
    /// Converting every value before comparing defeats the index; `=~` compares case-insensitively directly.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where tolower(FileName) == "cmd.exe"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where FileName =~ "cmd.exe"
    /// ```
    ///
    /// ## Fix safety
    /// Safe when the literal is already lower (upper) case: both forms match the same rows.
    pub struct TolowerEquality { code: "AH104", name: "tolower-equality", category: Performance, severity: Info, fix: Safe, weight: 1 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (bin, op, _, new_op) in cx.bin_ops_to_swap(&[("==", "=~"), ("!=", "!~")]) {
        let Some(operands) = BinExpr::cast(bin.clone()) else {
            continue;
        };
        let (Some(l), Some(r)) = (operands.lhs(), operands.rhs()) else {
            continue;
        };
        let (call, lit) = if CallExpr::can_cast(l.kind()) {
            (l, r)
        } else {
            (r, l)
        };
        let Some(func) = call_name(&call) else {
            continue;
        };
        let Some(v) = string_value(&lit) else {
            continue;
        };
        let same_case = match func.as_str() {
            "tolower" => v == v.to_lowercase(),
            "toupper" => v == v.to_uppercase(),
            _ => continue,
        };
        let args = call_args(&call);
        if !same_case || args.len() != 1 || Literal::can_cast(args[0].kind()) {
            continue;
        }
        let replacement = format!("{} {new_op} {}", args[0].text(), lit.text());
        out.push(
            cx.report(
                format!("`{func}(...) {op} \"{v}\"` converts every value; use `{new_op}`"),
                bin.text_range(),
            )
            .with_fix(Fix::safe(
                format!("Use `{new_op}`"),
                vec![TextEdit::replace(bin.text_range(), replacement)],
            )),
        );
    }
    out
}
