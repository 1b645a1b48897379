use super::prelude::*;

declare_rule! {
    /// Table with a time column read without any time filter.
    ///
    /// ## What it does
    /// Reports a read of a table that has a time column (`Timestamp`) when, along some path to a
    /// result, nothing bounds that column: no `where Timestamp ...` comparison, `between` or
    /// request `--timespan`. Tables without a time column (such as `DeviceTvmSoftwareInventory`)
    /// are never reported.
    ///
    /// A table passed to a user function's tabular parameter, or piped into `invoke`, is bounded
    /// by the filters of the function's body (and by those after the call). `union Device*`,
    /// `union *` and `search`/`find` without `in (…)` read every table they match: they are
    /// reported (at the wildcard, or at the keyword) when nothing after them bounds the time
    /// column.
    ///
    /// ## Why is this bad?
    /// Without a filter the service scans the whole retention window: the query is slower, uses
    /// more of the CPU quota, and the range it covers depends on when it runs.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where FileName == "powershell.exe"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(7d) | where FileName == "powershell.exe"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the right window is the analyst's choice.
    pub struct MissingTimeFilter { code: "AH004", name: "missing-time-filter", category: Performance, severity: Warning, fix: None, weight: 5 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (node, col, paths) in time_reads(cx).iter() {
        if paths.iter().any(|p| p.window.is_unbounded()) {
            let mut range = node.text_range();
            let (message, after) = match node.kind() {
                SyntaxKind::WILDCARD_NAME => (
                    format!(
                        "every table matching `{}` is read without a filter on `{col}`",
                        node.text()
                    ),
                    "the `union`",
                ),
                // `search`/`find` without `in (…)`: reported at the keyword.
                SyntaxKind::SEARCH_OP | SyntaxKind::FIND_OP => {
                    let word = tokens(node).next();
                    if let Some(w) = &word {
                        range = w.text_range();
                    }
                    let word = word.map(|t| t.text().to_string()).unwrap_or_default();
                    (
                        format!("`{word}` without `in (…)` reads every table, without a filter on `{col}`"),
                        "it",
                    )
                }
                _ => (
                    format!("`{}` is read without a filter on `{col}`", node.text()),
                    "the table",
                ),
            };
            out.push(cx.report(message, range).with_help(format!(
                "add `| where {col} > ago(7d)` (or the window you need) right after {after}"
            )));
        }
    }
    out
}
