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
    op.prev_sibling()
        .and_then(|prev| window_through(cx, prev, vec![col], calls, 0))
        .unwrap_or(Interval::ALL)
}

/// The window on `cols` (the names that hold the time after `last`) of the rows coming out of
/// `last` and the operators before it in its pipeline, back to the pipeline's source; `None`
/// when those rows have none of the columns (a `project` or `distinct` left them out).
fn window_through(
    cx: &Checker,
    last: SyntaxNode,
    mut cols: Vec<String>,
    calls: &[Call],
    depth: u32,
) -> Option<Interval> {
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
            return Some(acc.and(source_window(cx, &op, &cols, calls, depth + 1)?));
        }
        // Whether a column of `cols` is made there from something else than a time column.
        let mut unknown = false;
        match op.kind() {
            SyntaxKind::WHERE_OP => {
                for pred in op.children() {
                    acc = acc.and(predicate_bounds(&pred, &cols, &k));
                }
            }
            SyntaxKind::SUMMARIZE_OP => (cols, unknown) = before_summarize(&op, &cols),
            SyntaxKind::EXTEND_OP
            | SyntaxKind::PROJECT_OP
            | SyntaxKind::PROJECT_RENAME_OP
            | SyntaxKind::DISTINCT_OP => (cols, unknown) = before_assignments(&op, cols),
            // The time column of a joined row comes from the left side, or from the right side
            // when the left has none (`distinct` dropped it).
            SyntaxKind::JOIN_OP | SyntaxKind::LOOKUP_OP => {
                let left = cur?;
                return Some(acc.and(joined_window(cx, &op, left, cols, calls, depth)?));
            }
            kind if keeps_columns(kind) => {}
            // Other rows join in (`union`), or the columns are not known.
            _ => return Some(acc),
        }
        if cols.is_empty() {
            return unknown.then_some(acc);
        }
    }
    Some(acc)
}

/// Operators that keep the columns and only drop, order or repeat rows.
fn keeps_columns(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::PROJECT_AWAY_OP
            | SyntaxKind::PROJECT_KEEP_OP
            | SyntaxKind::PROJECT_REORDER_OP
            | SyntaxKind::ORDER_OP
            | SyntaxKind::SERIALIZE_OP
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
            | SyntaxKind::SEARCH_OP
            | SyntaxKind::WHERE_OP
    )
}

/// Where the column `name` of the rows reaching `op` was made a rounding of a time column
/// (`summarize … by Day = bin(Timestamp, 1d)`, `extend Week = startofweek(Timestamp)`, under
/// any later renames): that operator and the rounding, so that grouping by `Day` later counts
/// like grouping by the rounding there.
pub fn rounded_column(op: &SyntaxNode, name: &str) -> Option<(SyntaxNode, SyntaxNode)> {
    let mut name = name.to_string();
    let mut cur = op.prev_sibling();
    while let Some(at) = cur {
        cur = at.prev_sibling();
        // The value `at` gives `name`, and whether `at` drops the columns it does not name.
        let (value, drops) = match at.kind() {
            SyntaxKind::SUMMARIZE_OP => {
                let key = ast::by_clause(&at)
                    .and_then(|b| b.children().find_map(|i| value_named(&i, true, &name)));
                // `arg_max(…, *)` (or naming the column) keeps it as it was.
                let kept = || {
                    at.children().filter_map(|i| arg_max_args(&i)).any(|args| {
                        args.iter().any(|a| {
                            a.kind() == SyntaxKind::STAR_EXPR
                                || (a.kind() == SyntaxKind::NAME_REF
                                    && kql_syntax::names::name_is(a, &name))
                        })
                    })
                };
                let drops = key.is_none() && !kept();
                (key, drops)
            }
            SyntaxKind::EXTEND_OP | SyntaxKind::PROJECT_RENAME_OP | SyntaxKind::PROJECT_OP => {
                let value = at.children().find_map(|i| value_named(&i, false, &name));
                (value, at.kind() == SyntaxKind::PROJECT_OP)
            }
            kind if keeps_columns(kind) => continue,
            _ => return None,
        };
        match value {
            Some(v) if v.kind() == SyntaxKind::NAME_REF => name = name_ref_text(&v)?,
            Some(v) if time_of(&v).is_some() => return Some((at, v)),
            Some(_) => return None,
            None if drops => return None,
            None => {}
        }
    }
    None
}

/// The value an item ([`item_name`]) gives the column `name`, compared in place (no `String`
/// per item: every `summarize` key is looked up this way).
fn value_named(item: &SyntaxNode, key: bool, name: &str) -> Option<SyntaxNode> {
    let named = match item.kind() {
        SyntaxKind::ASSIGNMENT => {
            ast::declared_name(item).is_some_and(|n| kql_syntax::names::name_is(n.syntax(), name))
        }
        SyntaxKind::NAME_REF => kql_syntax::names::name_is(item, name),
        SyntaxKind::CALL_EXPR if key => item_name(item, key).is_some_and(|(n, _)| n == name),
        _ => false,
    };
    if !named {
        return None;
    }
    match item.kind() {
        SyntaxKind::ASSIGNMENT => item.last_child(),
        _ => Some(item.clone()),
    }
}

/// The window of the time column `cols` after `op` (a `join`/`lookup` whose left side ends with
/// `left`): the left side's when only its columns go on (`leftsemi`, `leftanti`), the right
/// side's for `rightsemi`/`rightanti`; for the kinds that keep a row of each (`inner`,
/// `innerunique`, `leftouter`, `lookup`) the left side's, or the right side's when the left
/// has no such column (the right one is renamed `Timestamp1` otherwise); outer kinds add rows
/// without one.
fn joined_window(
    cx: &Checker,
    op: &SyntaxNode,
    left: SyntaxNode,
    cols: Vec<String>,
    calls: &[Call],
    depth: u32,
) -> Option<Interval> {
    let (kind, right) = match ast::JoinOp::cast(op.clone()) {
        Some(j) => (j.kind(), j.right()),
        None => ast::LookupOp::cast(op.clone()).map(|l| (l.kind(), l.right()))?,
    };
    let right_window = |cols: &[String]| match &right {
        Some(r) => source_window(cx, r, cols, calls, depth + 1),
        None => Some(Interval::ALL),
    };
    match kind.as_deref() {
        Some("leftsemi" | "leftanti" | "leftantisemi" | "anti") => {
            window_through(cx, left, cols, calls, depth + 1)
        }
        Some("rightsemi" | "rightanti" | "rightantisemi") => right_window(&cols),
        None | Some("inner" | "innerunique" | "leftouter") => {
            let right_cols = cols.clone();
            window_through(cx, left, cols, calls, depth + 1).or_else(|| right_window(&right_cols))
        }
        _ => Some(Interval::ALL),
    }
}

/// The window of the rows a pipeline's source gives: a table's is the request's `--timespan`; a
/// `let` name's, a parenthesised query's, `materialize`'s and a user function's body's are
/// followed back (`None`: its rows have none of the columns).
fn source_window(
    cx: &Checker,
    node: &SyntaxNode,
    cols: &[String],
    calls: &[Call],
    depth: u32,
) -> Option<Interval> {
    if depth > MAX_DEPTH {
        return Some(Interval::ALL);
    }
    let all = Some(Interval::ALL);
    match node.kind() {
        SyntaxKind::PAREN_EXPR => match node.first_child() {
            Some(inner) => source_window(cx, &inner, cols, calls, depth + 1),
            None => all,
        },
        SyntaxKind::PIPE_EXPR => match node.last_child() {
            Some(last) => window_through(cx, last, cols.to_vec(), calls, depth + 1),
            None => all,
        },
        SyntaxKind::NAME_REF => {
            if let Some(table) = cx.table_read(node) {
                // `--timespan` bounds the table's time column (Sentinel's `TimeGenerated` too).
                let bounded = table.time_column.as_ref().is_some_and(|t| {
                    cols.iter()
                        .any(|c| c == t || (t == "Timestamp" && c == "TimeGenerated"))
                });
                return if bounded {
                    Some(request_window(cx.settings))
                } else {
                    all
                };
            }
            match cx.let_value(node) {
                Some(value) => source_window(cx, &value, cols, calls, depth + 1),
                None => all,
            }
        }
        SyntaxKind::CALL_EXPR => {
            if call_name(node).as_deref() == Some("materialize") {
                return match call_args(node).first() {
                    Some(arg) => source_window(cx, arg, cols, calls, depth + 1),
                    None => all,
                };
            }
            let Some(lambda) = node
                .first_child()
                .and_then(|callee| cx.model().called_function(&callee))
            else {
                return all;
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
                return all;
            };
            let mut inner = calls.to_vec();
            inner.push(Call {
                lambda,
                call: node.clone(),
                piped: false,
            });
            source_window(cx, &last, cols, &inner, depth + 1)
        }
        _ => all,
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
/// `arg_max`/`arg_min` that returns it (`*`, or by name); and whether one of `cols` is made
/// there from something else.
fn before_summarize(op: &SyntaxNode, cols: &[String]) -> (Vec<String>, bool) {
    let by = ast::by_clause(op);
    let aggregates = op
        .children()
        .filter(|c| !matches!(c.kind(), SyntaxKind::BY_CLAUSE | SyntaxKind::OPERATOR_PARAM))
        .map(|c| (c, false));
    let keys = by.iter().flat_map(|b| b.children()).map(|c| (c, true));
    let mut out = Vec::new();
    let mut unknown = false;
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
            match time_of(&value) {
                Some(src) => out.push(src),
                None => unknown = true,
            }
        }
    }
    for c in cols {
        if all_kept || named.contains(c) {
            out.push(c.clone());
        }
    }
    (out, unknown)
}

/// The arguments of an unnamed `arg_max(…)`/`arg_min(…)` item: its columns keep their names.
fn arg_max_args(item: &SyntaxNode) -> Option<Vec<SyntaxNode>> {
    let name = call_name(item)?;
    matches!(name.as_str(), "arg_max" | "arg_min" | "argmax" | "argmin").then(|| call_args(item))
}

/// The columns before `op` (`extend`, `project`, `project-rename`, `distinct`) that hold the
/// time `cols` hold after it: an assigned name takes the column its value is the time of;
/// `project` and `distinct` (but `distinct *`) drop the columns they do not list; and whether
/// one of `cols` is made there from something else.
fn before_assignments(op: &SyntaxNode, cols: Vec<String>) -> (Vec<String>, bool) {
    let project = match op.kind() {
        SyntaxKind::PROJECT_OP => true,
        SyntaxKind::DISTINCT_OP => !op.children().any(|c| c.kind() == SyntaxKind::STAR_EXPR),
        _ => false,
    };
    let mut unknown = false;
    let before = cols
        .into_iter()
        .filter_map(|c| {
            let assigned = op.children().find_map(|item| {
                let (name, value) = item_name(&item, false)?;
                (name == c).then_some(value)
            });
            match assigned {
                Some(value) => {
                    let src = time_of(&value);
                    unknown |= src.is_none();
                    src
                }
                None if project => None,
                None => Some(c),
            }
        })
        .collect();
    (before, unknown)
}
