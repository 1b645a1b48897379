//! The time window that holds for the rows reaching an operator: the filters on the time column
//! before it, followed back through the operators that keep that column (under its own name or
//! a new one: `arg_max(…, *)`, `by bin(Timestamp, 1d)`, `Day = startofday(Timestamp)`,
//! `project-rename`), through `let` names and into user-function bodies. Row bounds read it for
//! `summarize … by bin(col, span)` (at most window ÷ span groups), so that a per-month summary
//! after an earlier aggregation is still bounded by the window filtered before it.

use kql_semantic::fold::Call;
use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::analysis::paths::request_window;
use crate::analysis::time::{predicate_bounds, Consts, Interval};
use crate::checker::{call_args, call_name, name_ref_text, Checker};

/// Deepest chain of `let` names and function calls followed back.
const MAX_DEPTH: u32 = 16;

/// The window on the column `col` of the rows `op` (an operator of a pipeline) receives, inside
/// the user-function `calls` (outermost first).
pub fn window_before(cx: &Checker, op: &SyntaxNode, col: String, calls: &[Call]) -> Interval {
    match op.prev_sibling() {
        Some(prev) => window_through(cx, prev, vec![col], calls, 0),
        None => Interval::ALL,
    }
}

/// The window on `cols` (the names that hold the time after `last`) of the rows coming out of
/// `last` and the operators before it in its pipeline, back to the pipeline's source.
fn window_through(
    cx: &Checker,
    last: SyntaxNode,
    mut cols: Vec<String>,
    calls: &[Call],
    depth: u32,
) -> Interval {
    let k = Consts {
        model: cx.model(),
        now: cx.settings.now,
        calls,
    };
    let mut acc = Interval::ALL;
    let mut cur = Some(last);
    while let Some(op) = cur {
        cur = op.prev_sibling();
        if cur.is_none() {
            // The pipeline's source.
            return acc.and(source_window(cx, &op, &cols, calls, depth + 1));
        }
        match op.kind() {
            SyntaxKind::WHERE_OP => {
                for pred in op.children() {
                    acc = acc.and(predicate_bounds(&pred, &cols, &k));
                }
            }
            SyntaxKind::SUMMARIZE_OP => cols = before_summarize(&op, &cols),
            SyntaxKind::EXTEND_OP | SyntaxKind::PROJECT_OP | SyntaxKind::PROJECT_RENAME_OP => {
                cols = before_assignments(&op, cols);
            }
            // The left rows (and their columns) go on; the right side's time column is renamed.
            SyntaxKind::JOIN_OP | SyntaxKind::LOOKUP_OP => {
                let kind = match ast::JoinOp::cast(op.clone()) {
                    Some(j) => j.kind(),
                    None => ast::LookupOp::cast(op.clone()).and_then(|l| l.kind()),
                };
                let left = matches!(
                    kind.as_deref(),
                    None | Some("inner" | "innerunique" | "leftouter" | "leftsemi" | "leftanti")
                );
                if !left {
                    return acc;
                }
            }
            // Operators that keep the columns and only drop, order or repeat rows.
            SyntaxKind::PROJECT_AWAY_OP
            | SyntaxKind::PROJECT_KEEP_OP
            | SyntaxKind::PROJECT_REORDER_OP
            | SyntaxKind::ORDER_OP
            | SyntaxKind::SERIALIZE_OP
            | SyntaxKind::DISTINCT_OP
            | SyntaxKind::TAKE_OP
            | SyntaxKind::TOP_OP
            | SyntaxKind::SAMPLE_OP
            | SyntaxKind::MV_EXPAND_OP
            | SyntaxKind::PARSE_OP
            | SyntaxKind::PARSE_WHERE_OP
            | SyntaxKind::PARSE_KV_OP
            | SyntaxKind::PROJECT_SMART_OP
            | SyntaxKind::PROJECT_BY_NAMES_OP
            | SyntaxKind::ASSERT_SCHEMA_OP
            | SyntaxKind::EXECUTE_AND_CACHE_OP
            | SyntaxKind::AS_OP
            | SyntaxKind::SEARCH_OP => {}
            // Other rows join in (`union`), or the columns are not known.
            _ => return acc,
        }
        if cols.is_empty() {
            return acc;
        }
    }
    acc
}

/// The window of the rows a pipeline's source gives: a table's is the request's `--timespan`; a
/// `let` name's, a parenthesised query's, `materialize`'s and a user function's body's are
/// followed back.
fn source_window(
    cx: &Checker,
    node: &SyntaxNode,
    cols: &[String],
    calls: &[Call],
    depth: u32,
) -> Interval {
    if depth > MAX_DEPTH {
        return Interval::ALL;
    }
    match node.kind() {
        SyntaxKind::PAREN_EXPR => match node.first_child() {
            Some(inner) => source_window(cx, &inner, cols, calls, depth + 1),
            None => Interval::ALL,
        },
        SyntaxKind::PIPE_EXPR => match node.last_child() {
            Some(last) => window_through(cx, last, cols.to_vec(), calls, depth + 1),
            None => Interval::ALL,
        },
        SyntaxKind::NAME_REF => {
            if let Some(table) = cx.table_read(node) {
                // `--timespan` bounds the table's time column (Sentinel's `TimeGenerated` too).
                let bounded = table.time_column.as_ref().is_some_and(|t| {
                    cols.iter()
                        .any(|c| c == t || (t == "Timestamp" && c == "TimeGenerated"))
                });
                return if bounded {
                    request_window(cx.settings)
                } else {
                    Interval::ALL
                };
            }
            match cx.let_value(node) {
                Some(value) => source_window(cx, &value, cols, calls, depth + 1),
                None => Interval::ALL,
            }
        }
        SyntaxKind::CALL_EXPR => {
            if call_name(node).as_deref() == Some("materialize") {
                return match call_args(node).first() {
                    Some(arg) => source_window(cx, arg, cols, calls, depth + 1),
                    None => Interval::ALL,
                };
            }
            let Some(lambda) = node
                .first_child()
                .and_then(|callee| cx.model().called_function(&callee))
            else {
                return Interval::ALL;
            };
            let last = lambda
                .children()
                .find(|n| n.kind() == SyntaxKind::FUNCTION_BODY)
                .and_then(|body| {
                    body.children()
                        .filter(|c| c.kind() == SyntaxKind::QUERY_STMT)
                        .last()
                })
                .and_then(|stmt| stmt.first_child());
            let Some(last) = last else {
                return Interval::ALL;
            };
            let mut inner = calls.to_vec();
            inner.push(Call {
                lambda,
                call: node.clone(),
                piped: false,
            });
            source_window(cx, &last, cols, &inner, depth + 1)
        }
        _ => Interval::ALL,
    }
}

/// The column a value holds the time of, within the same window: the column itself, a rounding
/// of it (`bin`, `floor`, `startofday` … `startofyear`, `todatetime`) or, in an aggregation, its
/// earliest or latest value (`min`, `max`, `take_any`).
fn time_of(expr: &SyntaxNode) -> Option<String> {
    if expr.kind() == SyntaxKind::NAME_REF {
        return name_ref_text(expr);
    }
    let name = call_name(expr)?;
    let keeps = matches!(
        name.as_str(),
        "bin"
            | "floor"
            | "todatetime"
            | "startofday"
            | "startofweek"
            | "startofmonth"
            | "startofyear"
            | "min"
            | "max"
            | "take_any"
            | "any"
    );
    if !keeps {
        return None;
    }
    call_args(expr).first().and_then(time_of)
}

/// The name a `summarize`/`project`/`extend` item gives its column and its value: `N = expr`,
/// an unnamed column reference, or (a grouping key of `summarize`) an unnamed `bin(col, …)`,
/// which keeps the name `col`.
fn item_name(item: &SyntaxNode, key: bool) -> Option<(String, SyntaxNode)> {
    if item.kind() == SyntaxKind::ASSIGNMENT {
        return Some((ast::declared_name_text(item)?, item.last_child()?));
    }
    let col = match item.kind() {
        SyntaxKind::NAME_REF => item.clone(),
        _ if key && matches!(call_name(item).as_deref(), Some("bin" | "floor")) => {
            call_args(item).into_iter().next()?
        }
        _ => return None,
    };
    Some((name_ref_text(&col)?, item.clone()))
}

/// The columns before `op` (a `summarize`) that hold the time `cols` hold after it: a key or
/// aggregate that is the time column or a rounding of it, or any column kept by an
/// `arg_max`/`arg_min` that returns it (`*`, or by name).
fn before_summarize(op: &SyntaxNode, cols: &[String]) -> Vec<String> {
    let by = ast::by_clause(op);
    let aggregates = op
        .children()
        .filter(|c| !matches!(c.kind(), SyntaxKind::BY_CLAUSE | SyntaxKind::OPERATOR_PARAM))
        .map(|c| (c, false));
    let keys = by.iter().flat_map(|b| b.children()).map(|c| (c, true));
    let mut out = Vec::new();
    let mut all_kept = false;
    let mut named = Vec::new();
    for (item, key) in aggregates.chain(keys) {
        if let Some(args) = arg_max_args(&item) {
            // The column minimised or maximised is returned too, under its own name.
            for arg in &args {
                if arg.kind() == SyntaxKind::STAR_EXPR {
                    all_kept = true;
                } else if let Some(name) = name_ref_text(arg) {
                    named.push(name);
                }
            }
            continue;
        }
        let Some((name, value)) = item_name(&item, key) else {
            continue;
        };
        if cols.contains(&name) {
            if let Some(src) = time_of(&value) {
                out.push(src);
            }
        }
    }
    for c in cols {
        if all_kept || named.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// The arguments of an unnamed `arg_max(…)`/`arg_min(…)` item: its columns keep their names.
fn arg_max_args(item: &SyntaxNode) -> Option<Vec<SyntaxNode>> {
    let name = call_name(item)?;
    matches!(name.as_str(), "arg_max" | "arg_min" | "argmax" | "argmin").then(|| call_args(item))
}

/// The columns before `op` (`extend`, `project`, `project-rename`) that hold the time `cols`
/// hold after it: an assigned name takes the column its value is the time of; a `project` drops
/// the columns it does not list.
fn before_assignments(op: &SyntaxNode, cols: Vec<String>) -> Vec<String> {
    let project = op.kind() == SyntaxKind::PROJECT_OP;
    cols.into_iter()
        .filter_map(|c| {
            let assigned = op.children().find_map(|item| {
                let (name, value) = item_name(&item, false)?;
                (name == c).then_some(value)
            });
            match assigned {
                Some(value) => time_of(&value),
                None if project => None,
                None => Some(c),
            }
        })
        .collect()
}
