use super::prelude::*;

declare_rule! {
    /// An exact distinct count where the faster estimate (`dcount`, `dcountif`) would do.
    ///
    /// ## What it does
    /// Reports calls to the built-in functions for which Microsoft's function catalog names an
    /// optimized alternative: `count_distinct` and `count_distinctif`. These two are every
    /// case the catalog of the pinned Kusto.Language package lists.
    ///
    /// ## Why is this bad?
    /// An exact distinct count keeps every distinct value in memory; `dcount` estimates the count
    /// from a small fixed-size sketch (HyperLogLog), much faster and cheaper on large data, with
    /// an error of about 1% at the default accuracy.
    ///
    /// ## Example
    /// ```kql
    /// DeviceLogonEvents | where Timestamp > ago(1d) | summarize Accounts = count_distinct(AccountName) by DeviceId
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceLogonEvents | where Timestamp > ago(1d) | summarize Accounts = dcount(AccountName) by DeviceId
    /// ```
    ///
    /// ## Fix safety
    /// The fix renames the call and is unsafe: the alternative estimates, so the counts can
    /// change slightly; keep the exact function where exact counts matter.
    ///
    /// ## Compared with Microsoft's analyzer (KS515)
    /// Over `../shared/corpus/valid`: 2 files both, 0 Microsoft-only, 0 kqlkit-only.
    pub struct OptimizedAlternative { code: "AH123", name: "optimized-alternative", category: Performance, severity: Info, fix: Unsafe, weight: 1 }
}

/// The functions with a faster alternative, from Microsoft's function catalog.
const ALTERNATIVES: &[(&str, &str)] = &[
    ("count_distinct", "dcount"),
    ("count_distinctif", "dcountif"),
];

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (_, name, callee) in cx.builtin_calls() {
        let Some((_, alternative)) = ALTERNATIVES.iter().find(|(f, _)| *f == name) else {
            continue;
        };
        out.push(
            cx.report(
                format!("`{alternative}` is faster than `{name}` (an estimate instead of an exact count)"),
                callee.text_range(),
            )
            .with_fix(Fix::unsafe_(
                format!("Use `{alternative}`"),
                vec![TextEdit::replace(callee.text_range(), *alternative)],
            )),
        );
    }
    out
}
