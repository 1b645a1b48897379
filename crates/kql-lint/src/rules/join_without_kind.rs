use super::prelude::*;

declare_rule! {
    /// `join` without an explicit `kind=`.
    ///
    /// ## What it does
    /// Reports `join` with no `kind=` parameter.
    ///
    /// ## Why is this bad?
    /// The default join kind is `innerunique`, which deduplicates the left side — not the SQL inner join most people expect. Saying it makes the intent visible.
    ///
    /// ## Example
    /// ```kql
    /// A | join (B) on Key
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// A | join kind=innerunique (B) on Key
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `kind=innerunique` is the default, so the results do not change.
    pub struct JoinWithoutKind { code: "AH102", name: "join-without-kind", category: Suspicious, severity: Warning, fix: Safe, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for join in cx.nodes(SyntaxKind::JOIN_OP) {
        // A `kind` parameter written at all, even with a broken value.
        let has_kind = kql_syntax::ast::operator_params(&join).any(|(name, _)| name == "kind");
        let Some(kw) = tokens(&join).next() else {
            continue;
        };
        if has_kind || !kw.text().eq_ignore_ascii_case("join") {
            continue;
        }
        out.push(
            cx.report(
                "`join` without `kind=` uses `innerunique`, which drops duplicate left keys",
                kw.text_range(),
            )
            .with_fix(Fix::safe(
                "Make the default `kind=innerunique` explicit",
                vec![TextEdit::insert(kw.text_range().end(), " kind=innerunique")],
            )),
        );
    }
    out
}
