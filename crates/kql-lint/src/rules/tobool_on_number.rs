use super::prelude::*;

declare_rule! {
    /// `tobool()` of a number.
    ///
    /// ## What it does
    /// Reports `tobool(x)` (or its alias `toboolean`) where the semantic model types `x` as a
    /// number (`int`, `long`, `real`, `decimal`).
    ///
    /// ## Why is this bad?
    /// Whether `tobool(2)` or `tobool(0.5)` is true is not obvious to a reader, and a comparison
    /// says what is meant in the query itself.
    ///
    /// ## Example
    /// ```kql
    /// DeviceNetworkEvents | where Timestamp > ago(1d) | where tobool(RemotePort)
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceNetworkEvents | where Timestamp > ago(1d) | where RemotePort != 0
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the comparison the author means (`!= 0`, `> 0`, `== 1`) is theirs to choose.
    ///
    /// ## Compared with Microsoft's analyzer (KS504)
    /// No file of `../shared/corpus/valid` has it (0 both, 0 Microsoft-only, 0 kqlkit-only); the
    /// fixture's findings are the ones Microsoft's analyzer gives on the same text.
    pub struct ToboolOnNumber { code: "AH120", name: "tobool-on-number", category: Suspicious, severity: Warning, fix: None, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (call, name, arg) in cx.one_argument_calls(&["tobool", "toboolean"]) {
        let Some(ty) = cx
            .model()
            .type_of(arg.text_range())
            .filter(|t| t.is_numeric())
        else {
            continue;
        };
        out.push(
            cx.report(
                format!(
                    "`{name}` of a number (`{}`); compare it instead",
                    ty.as_str()
                ),
                call.text_range(),
            )
            .with_help("write the comparison you mean, such as `x != 0`"),
        );
    }
    out
}
