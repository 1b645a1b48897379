use super::prelude::*;
use kql_schema::ScalarType;

declare_rule! {
    /// `strlen()` of a `dynamic` value.
    ///
    /// ## What it does
    /// Reports `strlen(x)` where the semantic model types `x` as `dynamic` (an array or a
    /// property bag, such as a `split()` result or a `parse_json()` value, or a property of
    /// one). An element taken by index (`parts[0]`) is not reported: it is usually one string of
    /// a `split()`, as Microsoft's analyzer also judges.
    ///
    /// ## Why is this bad?
    /// `strlen` first converts the value to its JSON text: for a large array or bag that is a
    /// costly conversion, and the length is that of the JSON text (brackets and quotes
    /// included), rarely what was meant. `array_length()` counts elements; `strlen(tostring(x))`
    /// says the conversion out loud.
    ///
    /// ## Example
    /// ```kql
    /// DeviceNetworkEvents | where Timestamp > ago(1d) | extend Parts = split(RemoteUrl, ".") | where strlen(Parts) > 60
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceNetworkEvents | where Timestamp > ago(1d) | extend Parts = split(RemoteUrl, ".") | where array_length(Parts) > 6
    /// ```
    ///
    /// ## Fix safety
    /// No fix: whether the element count or the text length was meant is the author's choice.
    ///
    /// ## Compared with Microsoft's analyzer (KS516)
    /// Over `../shared/corpus/valid`: 1 file both, 0 Microsoft-only, 2 kqlkit-only. Both take
    /// `strlen` of a column that holds one element per row (`X = split(...)[0]`, and a column
    /// after `mv-expand`); Microsoft's analyzer follows where the value came from, our model
    /// types such a column `dynamic` (it is, unless `tostring` or `to typeof(...)` says
    /// otherwise), so we report it: `strlen(tostring(x))` states the conversion. Where the
    /// model cannot type the argument, nothing is reported.
    pub struct StrlenOnDynamic { code: "AH118", name: "strlen-on-dynamic", category: Performance, severity: Info, fix: None, weight: 1 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (call, _, arg) in cx.one_argument_calls(&["strlen"]) {
        // An element (`parts[0]`) is usually one value of a `split()`, not a large array.
        if unparen(arg.clone()).kind() == SyntaxKind::INDEX_EXPR
            || cx.model().type_of(arg.text_range()) != Some(ScalarType::Dynamic)
        {
            continue;
        }
        out.push(
            cx.report(
                "`strlen` of a `dynamic` value measures its JSON text, which may be large",
                call.text_range(),
            )
            .with_help("count elements with `array_length()`, or convert first with `tostring()`"),
        );
    }
    out
}
