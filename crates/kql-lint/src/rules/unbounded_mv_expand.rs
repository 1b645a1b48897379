use super::prelude::*;

declare_rule! {
    /// `mv-expand` without `limit`.
    ///
    /// ## What it does
    /// Reports an `mv-expand` that has no `limit` clause. The legacy `mvexpand` spelling is not
    /// reported: it stops at 128 rows per input row by default.
    ///
    /// ## Why is this bad?
    /// `mv-expand` makes one row per array element, and without `limit` nothing caps how many
    /// (up to 2,147,483,647 per input row). One large array in a column such as
    /// `AdditionalFields` multiplies the rows every later operator reads, costs run time against
    /// the Advanced Hunting quotas, and can push the result past the 100,000-row cap. kql-guard
    /// counts it among its cost problems.
    ///
    /// ## Example
    /// ```kql
    /// DeviceEvents | where Timestamp > ago(1d) | extend Fields = parse_json(AdditionalFields) | mv-expand Fields
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceEvents | where Timestamp > ago(1d) | extend Fields = parse_json(AdditionalFields) | mv-expand Fields limit 1000
    /// ```
    ///
    /// ## Fix safety
    /// The fix appends `limit 1000` and is unsafe: elements past the limit are dropped from each
    /// row, so the result can change. 1,000 is a round cap well above the arrays found in
    /// Defender's columns; pick the bound the data needs.
    ///
    /// ## Coverage
    /// Microsoft's analyzer has no such rule. Over `../shared/corpus/valid` it reports 108
    /// `mv-expand`s in 94 files: almost every `mv-expand` in real queries has no `limit`, which
    /// is why the severity is `info`.
    pub struct UnboundedMvExpand { code: "AH115", name: "unbounded-mv-expand", category: Performance, severity: Info, fix: Unsafe, weight: 2 }
}

/// The row cap the fix adds.
const LIMIT: u32 = 1000;

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for op in cx.nodes(SyntaxKind::MV_EXPAND_OP) {
        let mut words = tokens(&op);
        let Some(keyword) = words.next() else {
            continue;
        };
        if keyword.text().eq_ignore_ascii_case("mvexpand")
            || tokens(&op).any(|t| t.text() == "limit")
        {
            continue;
        }
        let end = last_significant_end(&op);
        out.push(
            cx.report(
                "`mv-expand` without `limit` can multiply the rows without bound",
                keyword.text_range(),
            )
            .with_help(format!(
                "add `limit N` after the expanded columns (e.g. `limit {LIMIT}`)"
            ))
            .with_fix(Fix::unsafe_(
                format!("Add `limit {LIMIT}`"),
                vec![TextEdit::insert(end, format!(" limit {LIMIT}"))],
            )),
        );
    }
    out
}

/// Where the operator's text ends, before any trailing comment or whitespace.
fn last_significant_end(op: &SyntaxNode) -> kql_diagnostics::TextSize {
    op.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
        .last()
        .map_or(op.text_range().end(), |t| t.text_range().end())
}
