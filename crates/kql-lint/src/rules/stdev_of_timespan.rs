use super::prelude::*;
use kql_schema::ScalarType;

declare_rule! {
    /// `stdev()` of a `timespan`, whose result is a number of ticks.
    ///
    /// ## What it does
    /// Reports `stdev(x)` and `stdevif(x, ...)` where the semantic model types `x` as a
    /// `timespan`, unless the result goes straight into `totimespan()`.
    ///
    /// ## Why is this bad?
    /// `stdev` computes over the timespan's ticks (100-nanosecond units) and returns a `real`,
    /// not a `timespan`: a result of `36000000000` reads as a huge number rather than one hour.
    ///
    /// ## Example
    /// ```kql
    /// DeviceLogonEvents | where Timestamp > ago(1d) | summarize Spread = stdev(Timestamp - ago(1d)) by DeviceId
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceLogonEvents | where Timestamp > ago(1d) | summarize Spread = totimespan(stdev(Timestamp - ago(1d))) by DeviceId
    /// ```
    ///
    /// ## Fix safety
    /// No fix: wrapping in `totimespan()` changes the column's type, which later operators may
    /// rely on.
    ///
    /// ## Compared with Microsoft's analyzer (KS509)
    /// No file of `../shared/corpus/valid` has it (0 both, 0 Microsoft-only, 0 kqlkit-only).
    /// Microsoft's analyzer reports `stdev` only; `stdevif` returns ticks the same way, so we
    /// report it too.
    pub struct StdevOfTimespan { code: "AH121", name: "stdev-of-timespan", category: Suspicious, severity: Info, fix: None, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (call, name) in cx.calls() {
        if name != "stdev" && name != "stdevif" {
            continue;
        }
        let Some(arg) = call_args(call).into_iter().next() else {
            continue;
        };
        if cx.model().type_of(arg.text_range()) != Some(ScalarType::TimeSpan)
            || converted_back(call)
        {
            continue;
        }
        out.push(
            cx.report(
                format!("`{name}` of a timespan returns a number of ticks, not a timespan"),
                call.text_range(),
            )
            .with_help("wrap the result in `totimespan()` to read it as a duration"),
        );
    }
    out
}

/// Whether `call` is the argument of `totimespan()` (the ticks are read as a duration again).
fn converted_back(call: &SyntaxNode) -> bool {
    call.parent()
        .filter(|p| p.kind() == SyntaxKind::ARG_LIST)
        .and_then(|p| p.parent())
        .and_then(|c| call_name(&c))
        .is_some_and(|n| n == "totimespan" || n == "totime")
}
