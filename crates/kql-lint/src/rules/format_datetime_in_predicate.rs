use super::prelude::*;

declare_rule! {
    /// `format_datetime` inside a filter.
    ///
    /// ## What it does
    /// Reports `format_datetime(...)` inside a `where` predicate.
    ///
    /// ## Why is this bad?
    /// Formatting every row's datetime to compare strings is slow and locale-fragile; compare datetimes (or use `startofday`, `bin`, `hourofday`).
    ///
    /// ## Example
    /// ```kql
    /// DeviceEvents | where format_datetime(Timestamp, "yyyy-MM-dd") == "2024-01-01"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceEvents | where startofday(Timestamp) == datetime(2024-01-01)
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub struct FormatDatetimeInPredicate { code: "AH108", name: "format-datetime-in-predicate", category: Performance, severity: Info, fix: None, weight: 2 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    cx.calls()
        .iter()
        .filter(|(_, name)| name == "format_datetime")
        .map(|(c, _)| c)
        .filter(|c| c.ancestors().any(|a| a.kind() == SyntaxKind::WHERE_OP))
        .map(|c| {
            cx.report(
                "`format_datetime` in a filter formats every row; compare datetimes instead",
                c.text_range(),
            )
        })
        .collect()
}
