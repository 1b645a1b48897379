use super::prelude::*;

declare_rule! {
    /// `take`/`limit`/`top`/`sample` asks for more rows than the API returns.
    ///
    /// ## What it does
    /// Reports `take N`, `limit N`, `top N`, `sample N`, `sample-distinct N`, `top-hitters N`
    /// (`N` a constant, `let` constants included) and `top-nested` (the product of its levels)
    /// when that count sets the final result's bound and exceeds the row cap (100,000). A large
    /// `take` followed by an aggregation is not the result and is not reported. A count too large
    /// for `long` (`take 99999999999999999999`) is reported as overflowing.
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
    pub struct RowLimitExceeded { code: "AH003", name: "row-limit-exceeded", category: Correctness, severity: Warning, fix: Unsafe, weight: 2 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    // Only a constant count can be this rule's finding: skip the bound of files without one.
    let counts = [
        SyntaxKind::TAKE_OP,
        SyntaxKind::TOP_OP,
        SyntaxKind::SAMPLE_OP,
        SyntaxKind::SAMPLE_DISTINCT_OP,
        SyntaxKind::TOP_HITTERS_OP,
        SyntaxKind::TOP_NESTED_OP,
    ];
    if counts.iter().all(|&k| cx.nodes_slice(k).is_empty()) {
        return Vec::new();
    }
    let cap = cx.settings.max_rows;
    let capg = grouped(cap);
    let mut out = Vec::new();
    for (_, bound) in result_bounds(cx) {
        let op = &bound.origin;
        // Only the count that sets the final result's bound: a `take 500000` followed by an
        // aggregation is not the result.
        let Some(n) = bound.rows.filter(|&n| n > cap) else {
            continue;
        };
        if !is_row_count_operator(op) {
            continue;
        }
        let word = tokens(op)
            .next()
            .map(|t| t.text().to_string())
            .unwrap_or_default();
        if op.kind() == SyntaxKind::TOP_NESTED_OP {
            out.push(cx.report(
                format!("`{word}` returns up to {} rows (the product of its levels), more than {capg}; rows past {capg} are dropped without notice", grouped(n)),
                op.text_range(),
            ));
            continue;
        }
        let Some(arg) = op
            .children()
            .find(|c| c.kind() != SyntaxKind::OPERATOR_PARAM)
        else {
            continue;
        };
        let message = if overflows_long(&arg) {
            format!(
                "`{word} {}`: the count overflows `long` (at most {}), and the API returns at most {capg} rows; rows past {capg} are dropped without notice",
                arg.text(),
                grouped(i64::MAX as u64)
            )
        } else {
            format!("`{word} {n}` asks for more rows than the {capg}-row cap; rows past {capg} are dropped without notice")
        };
        let mut d = cx.report(message, arg.text_range());
        if arg.kind() == SyntaxKind::LITERAL {
            d = d.with_fix(Fix::unsafe_(
                format!("Lower the count to {cap}"),
                vec![TextEdit::replace(arg.text_range(), cap.to_string())],
            ));
        }
        for later in &bound.later {
            d = d.with_label(later.text_range(), "keeps more rows than the cap");
        }
        out.push(d);
    }
    out
}
