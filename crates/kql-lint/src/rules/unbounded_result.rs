use super::prelude::*;

declare_rule! {
    /// Result row count not proven to be within the API's row cap.
    ///
    /// ## What it does
    /// Computes an upper bound on the rows each query statement returns: `take`/`limit`/`top`/
    /// `sample`/`sample-distinct`/`top-hitters` set it; `count`, `summarize`/`make-series` without
    /// `by` and `print` give one row; `getschema` one row per column; `datatable` and constant
    /// `range` are counted; `top-nested` multiplies its levels; `fork` is bounded by its largest
    /// branch and `mv-apply` by the input times its body's bound; filters, projections, `order`,
    /// `distinct`, `facet`, `evaluate bag_unpack`, `render` and `summarize ... by` keep it; a
    /// `summarize` whose keys are time bins (`bin(Timestamp, 1h)`) over a window bounded by
    /// earlier filters (also filters before an earlier aggregation that keeps the time column,
    /// such as `arg_max(Timestamp, *)` or `by bin(Timestamp, 1d)`, and in a `let` value or a
    /// function's body), or columns pinned by an earlier `== literal` / `in (literals)`, gives at
    /// most window ÷ bin (+2) groups per bin key and one per pinned value;
    /// `mv-expand` without `limit`, other `evaluate` plugins, `externaldata` make it unbounded;
    /// `join`/`lookup` multiply both sides (`leftsemi`/`leftanti` keep the left) and `union`
    /// adds. It reports a statement whose bound is unknown or above the cap (100,000) at the
    /// operator where the bound was lost, with the later operators as related locations. A
    /// constant count above the cap (`take 500000`) is left to `row-limit-exceeded`.
    ///
    /// ## Why is this bad?
    /// Advanced Hunting returns at most 100,000 rows and drops the rest without an error.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | take 10 | mv-expand Tags
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | mv-expand Tags | take 10
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `| take <cap>` at the end, or just before a trailing `render` (which must stay
    /// the last operator), in the file's line ending (CRLF stays CRLF). It is unsafe because it
    /// makes the truncation explicit rather than avoiding it.
    pub struct UnboundedResult { code: "AH002", name: "unbounded-result", category: Correctness, severity: Warning, fix: Unsafe, weight: 3 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let cap = cx.settings.max_rows;
    // The file's line ending, looked up once (on the first fix), not per finding.
    let eol = std::cell::OnceCell::new();
    // The cap as written in messages, also made once (on the first finding).
    let capg = std::cell::OnceCell::new();
    let mut out = Vec::new();
    for (expr, bound) in result_bounds(cx) {
        // A constant count over the cap (`take 500000`) is `row-limit-exceeded`'s finding.
        if !bound.exceeds(cap) || (bound.rows.is_some() && is_row_count_operator(&bound.origin)) {
            continue;
        }
        out.push(finding(cx, expr, bound, &capg, &eol));
    }
    out
}

/// The finding for the result of `expr`, whose `bound` exceeds the cap.
fn finding(
    cx: &Checker,
    expr: &SyntaxNode,
    bound: &ResultBound,
    capg: &std::cell::OnceCell<String>,
    eol: &std::cell::OnceCell<&'static str>,
) -> Diagnostic {
    let cap = cx.settings.max_rows;
    let capg = capg.get_or_init(|| grouped(cap));
    let msg = match bound.rows {
        Some(b) => format!(
            "may return up to {} rows, more than {capg}; rows past {capg} are dropped without notice",
            grouped(b)
        ),
        None => {
            format!("may return more than {capg} rows; rows past that are dropped without notice")
        }
    };
    let mut d = cx
        .report(msg, bound.origin.text_range())
        .with_help(help(&bound.origin));
    for op in &bound.later {
        d = d.with_label(op.text_range(), "keeps the row count unbounded");
    }
    // A count above the cap is `row-limit-exceeded`'s to fix; only an unknown bound gets a `take`.
    if bound.rows.is_none() {
        d = d.with_fix(Fix::unsafe_(
            format!("Add `| take {cap}`"),
            vec![take_edit(
                eol.get_or_init(|| {
                    // A search for one byte first: most texts have no `\r` at all.
                    if cx.text.contains('\r') && cx.text.contains("\r\n") {
                        "\r\n"
                    } else {
                        "\n"
                    }
                }),
                expr,
                bound.last_operator.as_ref(),
                cap,
            )],
        ));
    }
    d
}

/// Advice that fits the operator where the bound was lost.
fn help(origin: &SyntaxNode) -> &'static str {
    match origin.kind() {
        SyntaxKind::SUMMARIZE_OP | SyntaxKind::DISTINCT_OP | SyntaxKind::MAKE_SERIES_OP => {
            "keep the largest groups with `top N by …`, or end the query with `take N`"
        }
        SyntaxKind::JOIN_OP | SyntaxKind::LOOKUP_OP | SyntaxKind::MV_EXPAND_OP => {
            "bound the rows this operator multiplies (`take`/`top` before it), or end with `take N`"
        }
        _ => "end the query with `take`/`top N by …`, or aggregate (`summarize`, `count`)",
    }
}

/// Inserts `| take cap` at the end of `expr`, or before its `last` operator when that is a
/// `render` (which must stay the last operator), in the file's line ending `eol`.
fn take_edit(eol: &str, expr: &SyntaxNode, last: Option<&SyntaxNode>, cap: u64) -> TextEdit {
    match last.filter(|op| op.kind() == SyntaxKind::RENDER_OP) {
        Some(render) => TextEdit::insert(render.text_range().start(), format!("take {cap}{eol}| ")),
        None => TextEdit::insert(expr.text_range().end(), format!("{eol}| take {cap}")),
    }
}
