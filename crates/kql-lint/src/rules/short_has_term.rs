use super::prelude::*;

declare_rule! {
    /// `has` with a term shorter than 3 characters.
    ///
    /// ## What it does
    /// Reports `has`/`has_cs`/`!has`/`has_any` whose literal term is 1 or 2 characters long.
    ///
    /// ## Why is this bad?
    /// Terms shorter than 3 characters are not indexed: the query scans every value.
    ///
    /// ## Example
    /// ```kql
    /// DeviceEvents | where AdditionalFields has "id"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceEvents | where AdditionalFields has "\"id\":"
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub struct ShortHasTerm { code: "AH107", name: "short-has-term", category: Performance, severity: Info, fix: None, weight: 1 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (bin, op, _) in cx.bin_ops() {
        if !matches!(op.as_str(), "has" | "!has" | "has_cs" | "!has_cs") {
            continue;
        }
        let Some(r) = bin.children().nth(1) else {
            continue;
        };
        let Some(v) = string_value(&r) else { continue };
        let n = v.chars().count();
        if n == 0 || n >= 3 {
            continue;
        }
        out.push(cx.report(format!("`{op} \"{v}\"`: terms under 3 characters are not indexed, so every value is scanned"), r.text_range()));
    }
    out
}
