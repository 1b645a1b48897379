use super::prelude::*;
use kql_schema::ScalarType;

declare_rule! {
    /// `isnull`/`isnotnull` on a string column.
    ///
    /// ## What it does
    /// Reports `isnull(C)`/`isnotnull(C)` where `C` is a `string` column where it is used (its type in scope, from the semantic model).
    ///
    /// ## Why is this bad?
    /// Strings are never null in Kusto, only empty: `isnull` is always false and `isnotnull` always true.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where isnotnull(AccountName)
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where isnotempty(AccountName)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the query's results change (that is the point — the original filter does nothing).
    pub struct IsnullOnString { code: "AH105", name: "isnull-on-string", category: Suspicious, severity: Warning, fix: Unsafe, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (call, name, arg) in cx.one_argument_calls(&["isnull", "isnotnull"]) {
        let replacement = if name == "isnull" {
            "isempty"
        } else {
            "isnotempty"
        };
        let Some(col) = name_ref_text(&arg) else {
            continue;
        };
        // The type of the column in scope there (after `extend`, `project-rename`, a join...).
        if cx.model().type_of(arg.text_range()) != Some(ScalarType::String) {
            continue;
        }
        let Some(callee) = call.first_child() else {
            continue;
        };
        out.push(
            cx.report(format!("`{name}({col})` on a string column is always {}: strings are empty, never null", if name == "isnull" { "false" } else { "true" }), call.text_range())
                .with_fix(Fix::unsafe_(format!("Use `{replacement}`"), vec![TextEdit::replace(callee.text_range(), replacement)])),
        );
    }
    out
}
