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
    pub struct MissingTimeFilter;
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (node, col, paths) in time_reads(cx).iter() {
        if paths.iter().any(Interval::is_unbounded) {
            let table = node.text().to_string();
            out.push(
                cx.report(
                    format!("`{table}` is read without a filter on `{col}`"),
                    node.text_range(),
                )
                .with_help(format!(
                    "add `| where {col} > ago(7d)` (or the window you need) right after the table"
                )),
            );
        }
    }
    out
}
