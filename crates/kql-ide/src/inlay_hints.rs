//! Inlay hints from the linter's own analyses (`kql_lint::analysis`): after each time filter,
//! the window a table read reaches (`≥ 2024-09-27, 7 d`); at the end of each query, the proven
//! row bound (`≤ 10 rows`) or `unbounded rows`.

use kql_lint::analysis::{max_rows, request_window, time_paths, Bound, Interval};
use kql_lint::checker::{is_tabular_position, Checker};
use kql_semantic::fold::{format_datetime, TICKS_PER_DAY};
use kql_syntax::{SyntaxKind, TextRange};

use crate::names::trimmed_range;
use crate::{Analysis, InlayHint, InlayHintKind};

pub(crate) fn inlay_hints(a: &Analysis, range: TextRange) -> Vec<InlayHint> {
    let settings = &a.config().lint;
    let cx = Checker::with_model(a.text(), a.root(), settings, a.schema(), a.model());
    let mut out = Vec::new();
    time_windows(a, &cx, &mut out);
    row_bounds(&cx, &mut out);
    out.retain(|h| range.contains_inclusive(h.offset));
    out.sort_by(|x, y| (x.offset, &x.label).cmp(&(y.offset, &y.label)));
    out.dedup();
    out
}

/// Every read of a table with a time column, as the time rules see it: the intervals its rows
/// are limited to along each path to a result, shown where the bound was set.
fn time_windows(a: &Analysis, cx: &Checker, out: &mut Vec<InlayHint>) {
    let init = request_window(cx.settings);
    let now = cx.settings.now;
    for n in cx.nodes_slice(SyntaxKind::NAME_REF) {
        if !is_tabular_position(n) {
            continue;
        }
        let read = a.model().table_read_at(trimmed_range(n));
        let Some(col) = read.and_then(|t| t.time_column.clone()) else {
            continue;
        };
        let mut cols = vec![col.clone()];
        if col == "Timestamp" {
            cols.push("TimeGenerated".to_string());
        }
        for path in time_paths(cx, n, &cols, now, init) {
            let origin = match (path.lo, path.hi) {
                (Bound::At(_, Some(r)), _) | (_, Bound::At(_, Some(r))) => r,
                _ => continue,
            };
            out.push(InlayHint {
                offset: origin.end(),
                label: window_label(path, now),
                kind: InlayHintKind::TimeWindow,
                tooltip: Some(format!(
                    "Rows of `{}` this filter lets through ({col}); Advanced Hunting keeps {} days.",
                    n.text().to_string().trim(),
                    cx.settings.retention_days
                )),
            });
        }
    }
}

fn window_label(i: Interval, now: i64) -> String {
    let date = |t: i64| {
        let s = format_datetime(t);
        s.strip_suffix("T00:00:00Z")
            .map(str::to_string)
            .unwrap_or_else(|| s.trim_end_matches('Z').replace('T', " "))
    };
    let days = |d: i64| {
        let d = d as f64 / TICKS_PER_DAY as f64;
        if (d - d.round()).abs() < 0.05 {
            format!("{} d", d.round() as i64)
        } else {
            format!("{d:.1} d")
        }
    };
    match (i.lo, i.hi) {
        (Bound::At(lo, _), Bound::At(hi, _)) => {
            format!("{} … {}, {}", date(lo), date(hi), days(hi - lo))
        }
        (Bound::At(lo, _), _) => format!("≥ {}, {}", date(lo), days(now - lo)),
        (_, Bound::At(hi, _)) => format!("≤ {}", date(hi)),
        _ => String::new(),
    }
}

/// The row bound of each query statement (top level, or of each block), at its end.
fn row_bounds(cx: &Checker, out: &mut Vec<InlayHint>) {
    for stmt in cx.nodes_slice(SyntaxKind::QUERY_STMT) {
        let top = stmt
            .parent()
            .is_some_and(|p| matches!(p.kind(), SyntaxKind::SOURCE_FILE | SyntaxKind::QUERY_BLOCK));
        let Some(expr) = stmt.first_child().filter(|_| top) else {
            continue;
        };
        // The statements the row-cap rule judges (not `set`, not a bare scalar).
        let k = expr.kind();
        if !(k.is_tabular_operator()
            || matches!(
                k,
                SyntaxKind::PIPE_EXPR
                    | SyntaxKind::NAME_REF
                    | SyntaxKind::PAREN_EXPR
                    | SyntaxKind::CALL_EXPR
            ))
        {
            continue;
        }
        let label = match max_rows(cx, &expr, 0) {
            Some(1) => "≤ 1 row".to_string(),
            Some(n) => format!("≤ {} rows", group_digits(n)),
            None => "unbounded rows".to_string(),
        };
        out.push(InlayHint {
            offset: trimmed_range(&expr).end(),
            label,
            kind: InlayHintKind::RowBound,
            tooltip: Some(format!(
                "The most rows this query can return, as the linter proves it; Advanced Hunting returns at most {}.",
                group_digits(cx.settings.max_rows)
            )),
        });
    }
}

fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
