use super::prelude::*;

declare_rule! {
    /// `contains` where `has` would match a whole term.
    ///
    /// ## What it does
    /// Reports `contains`/`!contains` (and `_cs`) with a literal made only of letters and digits (3+ characters)
    /// inside a row filter: `where`/`filter`, `search`, and the condition of `countif`-style
    /// aggregations. In `extend`/`project` values and `iff`/`case` no term index is used.
    ///
    /// ## Why is this bad?
    /// `has` uses the term index; `contains` scans every string. For a whole word the two usually agree.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where ProcessCommandLine contains "mimikatz"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where ProcessCommandLine has "mimikatz"
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: `has` matches whole terms only, so `contains "kat"` matching inside `mimikatz` would stop matching.
    pub struct ContainsInsteadOfHas {
        code: "AH101", name: "contains-instead-of-has", category: Performance, severity: Info, fix: Unsafe, weight: 1,
    }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (bin, op, tok) in cx.bin_ops() {
        let replacement = match op.as_str() {
            "contains" => "has",
            "!contains" => "!has",
            "contains_cs" => "has_cs",
            "!contains_cs" => "!has_cs",
            _ => continue,
        };
        let Some(v) = bin.children().nth(1).and_then(|r| string_value(&r)) else {
            continue;
        };
        if v.len() < 3 || !v.chars().all(|c| c.is_ascii_alphanumeric()) || !in_filter(bin) {
            continue;
        }
        out.push(
            cx.report(
                format!("`{op} \"{v}\"` scans every string; `{replacement}` uses the term index"),
                tok.text_range(),
            )
            .with_fix(Fix::unsafe_(
                format!("Replace `{op}` with `{replacement}`"),
                vec![TextEdit::replace(tok.text_range(), replacement)],
            )),
        );
    }
    out
}

/// Whether `node` is part of a row filter: the predicate of `where`/`filter`/`search`, or of an
/// aggregation's `…if` condition (`countif`, `dcountif`, …). Only there can the term index be
/// used; in `extend`/`project` values or `case` arms `has` buys nothing and changes the value.
fn in_filter(node: &SyntaxNode) -> bool {
    for up in node.ancestors().skip(1) {
        match up.kind() {
            SyntaxKind::WHERE_OP | SyntaxKind::SEARCH_OP => return true,
            SyntaxKind::CALL_EXPR => {
                let name = call_name(&up).unwrap_or_default().to_ascii_lowercase();
                if name.ends_with("if") && name != "iif" && name != "iff" {
                    return true;
                }
                if matches!(name.as_str(), "iif" | "iff" | "case") {
                    return false;
                }
            }
            kind if kind.is_tabular_operator() || kind == SyntaxKind::LET_STMT => return false,
            _ => {}
        }
    }
    false
}
