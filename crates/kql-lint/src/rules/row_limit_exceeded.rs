use super::prelude::*;
use kql_semantic::fold::{fold, Value};

declare_rule! {
    /// `take`/`limit`/`top`/`sample` asks for more rows than the API returns.
    ///
    /// ## What it does
    /// Reports `take N`, `limit N`, `top N`, `sample N`, `sample-distinct N` and `top-hitters N`
    /// where `N` (a constant, `let` constants included) exceeds the row cap (100,000).
    ///
    /// ## Why is this bad?
    /// The API returns at most 100,000 rows; asking for more silently returns fewer.
    ///
    /// ## Example
    /// ```kql
    /// DeviceEvents | where Timestamp > ago(1d) | take 500000
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceEvents | where Timestamp > ago(1d) | take 100000
    /// ```
    ///
    /// ## Fix safety
    /// The fix lowers the count to the cap; unsafe, since it changes what the query asks for.
    pub struct RowLimitExceeded;
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let cap = cx.settings.max_rows;
    let mut out = Vec::new();
    let kinds = [
        SyntaxKind::TAKE_OP,
        SyntaxKind::TOP_OP,
        SyntaxKind::SAMPLE_OP,
        SyntaxKind::SAMPLE_DISTINCT_OP,
        SyntaxKind::TOP_HITTERS_OP,
    ];
    for op in kinds.into_iter().flat_map(|k| cx.nodes(k)) {
        let Some(arg) = op
            .children()
            .find(|c| c.kind() != SyntaxKind::OPERATOR_PARAM)
        else {
            continue;
        };
        let n = match fold(&arg, cx.settings.now) {
            Some(Value::Long(n)) if n >= 0 => n as u64,
            Some(Value::Real(r)) if r >= 0.0 => r as u64,
            _ => continue,
        };
        if n > cap {
            let word = tokens(&op)
                .next()
                .map(|t| t.text().to_string())
                .unwrap_or_default();
            let mut d = cx.report(
                format!("`{word} {n}` asks for more rows than the {cap}-row cap; the rest are silently dropped"),
                arg.text_range(),
            );
            if arg.kind() == SyntaxKind::LITERAL {
                d = d.with_fix(Fix::unsafe_(
                    format!("Lower the count to {cap}"),
                    vec![TextEdit::replace(arg.text_range(), cap.to_string())],
                ));
            }
            out.push(d);
        }
    }
    out
}
