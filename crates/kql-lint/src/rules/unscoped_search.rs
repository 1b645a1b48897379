use super::prelude::*;
use kql_syntax::ast::name_list;

declare_rule! {
    /// `search` or `union` over every table.
    ///
    /// ## What it does
    /// Reports `search` without `in (Table, ...)`, `search *`, and `union *` (or a wildcard table name).
    ///
    /// ## Why is this bad?
    /// Scanning every table is the slowest query there is and counts heavily against the CPU quota.
    ///
    /// ## Example
    /// ```kql
    /// search "evil.exe"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// search in (DeviceProcessEvents, DeviceFileEvents) "evil.exe"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which tables to search is the analyst's choice.
    pub struct UnscopedSearch { code: "AH103", name: "unscoped-search", category: Performance, severity: Warning, fix: None, weight: 5 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for op in cx.nodes(SyntaxKind::SEARCH_OP) {
        // The parser puts `in` inside or before the NAME_LIST depending on context: accept both.
        let is_in = |t: kql_syntax::SyntaxToken| t.text().eq_ignore_ascii_case("in");
        let scoped = tokens(&op).any(is_in)
            || name_list(&op).is_some_and(|list| tokens(&list).next().is_some_and(is_in));
        if !scoped {
            let kw = tokens(&op)
                .next()
                .map_or(op.text_range(), |t| t.text_range());
            out.push(
                cx.report("`search` without `in (...)` scans every table", kw)
                    .with_help("name the tables: `search in (DeviceProcessEvents) ...`"),
            );
        }
    }
    for op in cx.nodes(SyntaxKind::UNION_OP) {
        for w in op
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::WILDCARD_NAME)
        {
            if w.ancestors().any(|a| {
                a.kind() == SyntaxKind::PAREN_EXPR
                    && op.text_range().contains_range(a.text_range())
                    && a != op
            }) {
                continue;
            }
            out.push(
                cx.report(
                    format!("`union {}` reads every matching table", w.text()),
                    w.text_range(),
                )
                .with_help("list the tables you need"),
            );
        }
    }
    out
}
