//! An upper bound on the rows a tabular expression returns (`take`, `top`, aggregations, joins,
//! `let` values), read by the row rules.

use kql_semantic::fold::{Call, Value, TICKS_PER_DAY};
use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::analysis::time::{Bound, Consts};
use crate::analysis::window::{rounded_column, window_before};
use crate::checker::{call_args, call_name, name_ref_text, tokens, Checker};

/// Constants as the model folds them, inside the user-function `calls` (outermost first).
fn consts<'a>(cx: &'a Checker, calls: &'a [Call]) -> Consts<'a> {
    Consts {
        model: cx.model(),
        now: cx.settings.now,
        calls,
    }
}

/// Upper bound on the rows `node` (a tabular expression) returns; `None` when unbounded.
pub fn max_rows(cx: &Checker, node: &SyntaxNode, depth: u32) -> Option<u64> {
    max_rows_in(cx, node, depth, &[])
}

/// [`max_rows`] inside the user-function `calls`: a call's body is bounded with its parameters
/// bound to the call's arguments (`let f = (n: long) { T | take n }; f(5)` returns 5 rows).
fn max_rows_in(cx: &Checker, node: &SyntaxNode, depth: u32, calls: &[Call]) -> Option<u64> {
    if depth > 32 {
        return None;
    }
    let k = consts(cx, calls);
    match node.kind() {
        SyntaxKind::PAREN_EXPR => max_rows_in(cx, &node.first_child()?, depth + 1, calls),
        SyntaxKind::NAME_REF => max_rows_in(cx, &cx.let_value(node)?, depth + 1, calls),
        SyntaxKind::CALL_EXPR => match call_name(node)?.as_str() {
            "materialize" => max_rows_in(cx, call_args(node).first()?, depth + 1, calls),
            _ => {
                let lambda = cx.model().called_function(&node.first_child()?)?;
                let body = lambda
                    .children()
                    .find(|n| n.kind() == SyntaxKind::FUNCTION_BODY)?;
                let last = body
                    .children()
                    .filter(|c| c.kind() == SyntaxKind::QUERY_STMT)
                    .last()?;
                let mut inner = calls.to_vec();
                inner.push(Call {
                    lambda,
                    call: node.clone(),
                    piped: false,
                });
                max_rows_in(cx, &last.first_child()?, depth + 1, &inner)
            }
        },
        SyntaxKind::PRINT_OP => Some(1),
        SyntaxKind::DATATABLE_OP => {
            let cols = node
                .children()
                .find(|c| c.kind() == SyntaxKind::SCHEMA)?
                .children()
                .filter(|c| c.kind() == SyntaxKind::COLUMN_DECL)
                .count()
                .max(1);
            let values = node
                .children()
                .find(|c| c.kind() == SyntaxKind::LIST_EXPR)
                .map_or(0, |l| l.children().count());
            Some(values.div_ceil(cols) as u64)
        }
        SyntaxKind::RANGE_OP => {
            let exprs: Vec<SyntaxNode> = node
                .children()
                .filter(|c| c.kind() != SyntaxKind::NAME)
                .collect();
            let (from, to, step) = (
                k.fold(exprs.first()?)?,
                k.fold(exprs.get(1)?)?,
                k.fold(exprs.get(2)?)?,
            );
            let n = match (from, to, step) {
                (Value::DateTime(a), Value::DateTime(b), Value::TimeSpan(s))
                | (Value::TimeSpan(a), Value::TimeSpan(b), Value::TimeSpan(s)) => {
                    (s > 0).then(|| if b < a { 0 } else { (b - a) / s + 1 })? as f64
                }
                (a, b, s) => {
                    let (a, b, s) = (a.as_f64()?, b.as_f64()?, s.as_f64()?);
                    if s <= 0.0 {
                        return None;
                    }
                    if b < a {
                        0.0
                    } else {
                        ((b - a) / s).floor() + 1.0
                    }
                }
            };
            Some(n as u64)
        }
        SyntaxKind::UNION_OP => union_legs(cx, node, depth, calls).map(|(s, _)| s),
        SyntaxKind::PIPE_EXPR => {
            let pipe = ast::PipeExpr::cast(node.clone())?;
            let mut rows = max_rows_in(cx, &pipe.source()?, depth + 1, calls);
            let ops = pipe.operators();
            if ops.is_empty() {
                return None;
            }
            for op in &ops {
                rows = operator_rows(cx, op, rows, depth, calls);
            }
            rows
        }
        _ => None,
    }
}

/// Operators that keep or only shrink the row count they receive.
fn keeps_rows(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::WHERE_OP
            | SyntaxKind::PROJECT_OP
            | SyntaxKind::PROJECT_AWAY_OP
            | SyntaxKind::PROJECT_KEEP_OP
            | SyntaxKind::PROJECT_RENAME_OP
            | SyntaxKind::PROJECT_REORDER_OP
            | SyntaxKind::PROJECT_SMART_OP
            | SyntaxKind::PROJECT_BY_NAMES_OP
            | SyntaxKind::EXTEND_OP
            | SyntaxKind::ORDER_OP
            | SyntaxKind::SERIALIZE_OP
            | SyntaxKind::PARSE_OP
            | SyntaxKind::PARSE_WHERE_OP
            | SyntaxKind::PARSE_KV_OP
            | SyntaxKind::DISTINCT_OP
            | SyntaxKind::AS_OP
            | SyntaxKind::RENDER_OP
            | SyntaxKind::REDUCE_OP
            | SyntaxKind::SCAN_OP
            | SyntaxKind::ASSERT_SCHEMA_OP
            | SyntaxKind::EXECUTE_AND_CACHE_OP
    )
}

/// `summarize … by K1, K2` where every key's groups are bounded by the filters before it: a
/// time bin `bin(col, span)` (or `startofday(col)` … `startofyear(col)`) over a window bounded
/// on both sides (the upper side defaults to now; [`window_before`]: filtered before `op`, also
/// before earlier aggregations that keep the time column, or in a function's body) gives at most window / span (+2 for the edges)
/// groups; a column pinned by `col == literal` gives one, `col in (l1, l2)` one per value. The
/// groups multiply.
fn time_bins(cx: &Checker, op: &SyntaxNode, calls: &[Call]) -> Option<u64> {
    let by = op.children().find(|c| c.kind() == SyntaxKind::BY_CLAUSE)?;
    let filters = filters_before(op);
    let mut product = 1u64;
    for key in by.children() {
        let expr = if key.kind() == SyntaxKind::ASSIGNMENT {
            key.last_child()?
        } else {
            key
        };
        product = product.checked_mul(key_groups(cx, op, &expr, &filters, calls)?)?;
    }
    Some(product)
}

/// The predicates of the `where`s right before `op` (through operators that keep rows).
fn filters_before(op: &SyntaxNode) -> Vec<SyntaxNode> {
    let mut out = Vec::new();
    for before in op.siblings(rowan::Direction::Prev).skip(1) {
        match before.kind() {
            SyntaxKind::WHERE_OP => out.extend(before.children()),
            kind if keeps_rows(kind) => {}
            _ => break,
        }
    }
    out
}

fn key_groups(
    cx: &Checker,
    op: &SyntaxNode,
    expr: &SyntaxNode,
    filters: &[SyntaxNode],
    calls: &[Call],
) -> Option<u64> {
    if expr.kind() == SyntaxKind::NAME_REF {
        let name = name_ref_text(expr)?;
        if let Some(n) = filters.iter().find_map(|f| pinned_values(f, &name)) {
            return Some(n);
        }
        // A column made a time bin earlier (`by Day = bin(Timestamp, 1d)`, then `by Day`):
        // as many groups as that bin had.
        let (at, rounding) = rounded_column(op, &name)?;
        return bin_groups(cx, &at, &rounding, calls);
    }
    bin_groups(cx, op, expr, calls)
}

/// The groups of the time bin `expr` (`bin(col, span)`, `startofday(col)` …) over the rows
/// reaching `op`: at most their window ÷ span, +2 for the edges.
fn bin_groups(cx: &Checker, op: &SyntaxNode, expr: &SyntaxNode, calls: &[Call]) -> Option<u64> {
    let args = call_args(expr);
    // `startofday(col)` … `startofyear(col)`: one group per period, so at most window / (the
    // period's shortest length) groups, like a `bin` of that size.
    let span = match (call_name(expr)?.as_str(), args.len()) {
        ("bin" | "floor", 2) => match consts(cx, calls).fold(&args[1])? {
            Value::TimeSpan(s) if s > 0 => s,
            _ => return None,
        },
        ("startofday", 1) => TICKS_PER_DAY,
        ("startofweek", 1) => 7 * TICKS_PER_DAY,
        ("startofmonth", 1) => 28 * TICKS_PER_DAY,
        ("startofyear", 1) => 365 * TICKS_PER_DAY,
        _ => return None,
    };
    // The window of the rows `op` groups: filtered right before it, or earlier and carried
    // through aggregations and projections that keep the time column.
    let window = window_before(cx, op, name_ref_text(args.first()?)?, calls);
    let Bound::At(lo, _) = window.lo else {
        return None;
    };
    let hi = match window.hi {
        Bound::At(hi, _) => hi,
        _ => cx.settings.now,
    };
    u64::try_from(hi.checked_sub(lo)? / span)
        .ok()?
        .checked_add(2)
}

/// How many values `pred` (or one operand of its top-level `and`) leaves the column `name`:
/// `name == literal` one, `name in (literals)` one per literal.
fn pinned_values(pred: &SyntaxNode, name: &str) -> Option<u64> {
    let pred = crate::checker::unparen(pred.clone());
    let is_name =
        |n: &SyntaxNode| n.kind() == SyntaxKind::NAME_REF && kql_syntax::names::name_is(n, name);
    let is_literal = |n: &SyntaxNode| n.kind() == SyntaxKind::LITERAL;
    match pred.kind() {
        SyntaxKind::BIN_EXPR => {
            let bin = ast::BinExpr::cast(pred.clone())?;
            let operands = bin.operands();
            let op = bin.op()?;
            match op.kind() {
                SyntaxKind::EQ2 if operands.len() == 2 => {
                    let (l, r) = (&operands[0], &operands[1]);
                    ((is_name(l) && is_literal(r)) || (is_name(r) && is_literal(l))).then_some(1)
                }
                _ if op.text() == "and" => operands.iter().find_map(|o| pinned_values(o, name)),
                _ => None,
            }
        }
        SyntaxKind::IN_EXPR => {
            if !is_name(&pred.first_child()?) || tokens(&pred).any(|t| t.text().starts_with('!')) {
                return None;
            }
            let values: Vec<SyntaxNode> = pred
                .children()
                .skip(1)
                .flat_map(|c| {
                    if matches!(c.kind(), SyntaxKind::LIST_EXPR | SyntaxKind::PAREN_EXPR) {
                        c.children().collect::<Vec<_>>()
                    } else {
                        vec![c]
                    }
                })
                .collect();
            (!values.is_empty() && values.iter().all(is_literal)).then_some(values.len() as u64)
        }
        _ => None,
    }
}

/// Kusto's limit on the columns of a table: the bound of `getschema`.
const MAX_COLUMNS: u64 = 10_000;

/// The rows a parenthesised operator chain (`fork`/`mv-apply` body) returns from `input` rows.
fn subquery_rows(
    cx: &Checker,
    body: &SyntaxNode,
    input: Option<u64>,
    depth: u32,
    calls: &[Call],
) -> Option<u64> {
    let chain = body.children().find(|c| c.kind() != SyntaxKind::NAME)?;
    if chain.kind() != SyntaxKind::PIPE_EXPR {
        return operator_rows(cx, &chain, input, depth + 1, calls);
    }
    let mut rows = input;
    for op in chain.children() {
        rows = operator_rows(cx, &op, rows, depth + 1, calls);
    }
    rows
}

fn union_legs(cx: &Checker, node: &SyntaxNode, depth: u32, calls: &[Call]) -> Option<(u64, usize)> {
    let legs: Vec<SyntaxNode> = node
        .children()
        .flat_map(|c| {
            if c.kind() == SyntaxKind::NAME_LIST {
                c.children().collect()
            } else {
                vec![c]
            }
        })
        .filter(|c| c.kind() != SyntaxKind::OPERATOR_PARAM)
        .collect();
    let mut sum = 0u64;
    for l in &legs {
        sum = sum.checked_add(max_rows_in(cx, l, depth + 1, calls)?)?;
    }
    Some((sum, legs.len()))
}

fn operator_rows(
    cx: &Checker,
    op: &SyntaxNode,
    r: Option<u64>,
    depth: u32,
    calls: &[Call],
) -> Option<u64> {
    let k = consts(cx, calls);
    let count = |n: &SyntaxNode| -> Option<u64> {
        if overflows_long(n) {
            return Some(u64::MAX);
        }
        match k.fold(n)? {
            Value::Long(v) if v >= 0 => Some(v as u64),
            Value::Real(r) if r >= 0.0 => Some(r as u64),
            _ => None,
        }
    };
    let has_by = || op.children().any(|c| c.kind() == SyntaxKind::BY_CLAUSE);
    match op.kind() {
        SyntaxKind::TAKE_OP
        | SyntaxKind::TOP_OP
        | SyntaxKind::SAMPLE_OP
        | SyntaxKind::SAMPLE_DISTINCT_OP
        | SyntaxKind::TOP_HITTERS_OP => {
            let n = op
                .children()
                .find(|c| c.kind() != SyntaxKind::OPERATOR_PARAM)
                .and_then(|c| count(&c))?;
            Some(r.map_or(n, |r| r.min(n)))
        }
        SyntaxKind::COUNT_OP => Some(1),
        // One row per column; a Kusto table holds at most 10,000 columns.
        SyntaxKind::GETSCHEMA_OP => Some(MAX_COLUMNS),
        // Each result table keeps at most the rows of the input (`facet by` counts distinct
        // values); `fork` returns one table per branch, each bounded by its branch.
        SyntaxKind::FACET_OP => r,
        SyntaxKind::FORK_OP => {
            let mut most = 0u64;
            for body in op.children().filter(|c| c.kind() == SyntaxKind::SUBQUERY) {
                most = most.max(subquery_rows(cx, &body, r, depth, calls)?);
            }
            Some(most)
        }
        // The body runs once per input row, over that row's expanded values.
        SyntaxKind::MV_APPLY_OP => {
            let body = op.children().find(|c| c.kind() == SyntaxKind::SUBQUERY)?;
            r?.checked_mul(subquery_rows(cx, &body, None, depth, calls)?)
        }
        // `bag_unpack` widens each row without adding rows; other plugins are not known.
        SyntaxKind::EVALUATE_OP => {
            let plugin = op.children().find(|c| c.kind() == SyntaxKind::CALL_EXPR)?;
            match call_name(&plugin)?.to_ascii_lowercase().as_str() {
                "bag_unpack" => r,
                _ => None,
            }
        }
        SyntaxKind::SUMMARIZE_OP | SyntaxKind::MAKE_SERIES_OP => {
            if !has_by() {
                Some(1)
            } else if op.kind() == SyntaxKind::SUMMARIZE_OP {
                match time_bins(cx, op, calls) {
                    Some(bins) => Some(r.map_or(bins, |r| r.min(bins))),
                    None => r,
                }
            } else {
                r
            }
        }
        SyntaxKind::TOP_NESTED_OP => {
            let mut product = 1u64;
            for clause in op
                .children()
                .filter(|c| c.kind() == SyntaxKind::TOP_NESTED_CLAUSE)
            {
                let n = clause.children().find_map(|c| count(&c))?;
                let others = tokens(&clause).any(|t| t.text().eq_ignore_ascii_case("others"));
                product = product.checked_mul(n + u64::from(others))?;
            }
            Some(r.map_or(product, |r| r.min(product)))
        }
        kind if keeps_rows(kind) => r,
        SyntaxKind::CONSUME_OP => Some(0),
        SyntaxKind::MV_EXPAND_OP => {
            let words: Vec<_> = op
                .children_with_tokens()
                .filter(|e| !e.kind().is_trivia())
                .collect();
            let limit_at = words.iter().position(|e| {
                e.as_token()
                    .is_some_and(|t| t.text().eq_ignore_ascii_case("limit"))
            })?;
            let n = words.get(limit_at + 1)?.as_node().and_then(count)?;
            r?.checked_mul(n)
        }
        SyntaxKind::JOIN_OP | SyntaxKind::LOOKUP_OP => {
            let (kind, right) = match ast::JoinOp::cast(op.clone()) {
                Some(j) => (j.kind(), j.right()),
                None => {
                    let l = ast::LookupOp::cast(op.clone())?;
                    (l.kind(), l.right())
                }
            };
            let right_rows = right.and_then(|n| max_rows_in(cx, &n, depth + 1, calls));
            match kind.as_deref() {
                Some("leftsemi" | "leftanti" | "leftantisemi" | "anti") => r,
                Some("rightsemi" | "rightanti" | "rightantisemi") => right_rows,
                _ => r?.checked_mul(right_rows?),
            }
        }
        SyntaxKind::UNION_OP => {
            let (legs, _) = union_legs(cx, op, depth, calls)?;
            r?.checked_add(legs)
        }
        _ => None,
    }
}

/// The row bound of a query's result and where it was lost.
#[derive(Debug, Clone)]
pub struct ResultBound {
    /// Upper bound on the result rows; `None` when unbounded.
    pub rows: Option<u64>,
    /// The operator (or source) after which the bound is over the cap, or unbounded.
    pub origin: SyntaxNode,
    /// The operators after `origin` that keep the bound over the cap.
    pub later: Vec<SyntaxNode>,
    /// The last operator when the expression is a pipeline ([`ast::PipeExpr::operator`]): a
    /// `take` that fixes the bound goes before it when it is a `render`.
    pub last_operator: Option<SyntaxNode>,
}

impl ResultBound {
    /// Whether the result may hold more than `cap` rows.
    pub fn exceeds(&self, cap: u64) -> bool {
        self.rows.is_none_or(|b| b > cap)
    }
}

/// The statements whose value is a query result: the top-level statements (in blocks mode, those
/// of each block) that are tabular expressions.
pub fn result_statements<'c>(cx: &'c Checker) -> impl Iterator<Item = SyntaxNode> + 'c {
    cx.nodes(SyntaxKind::QUERY_STMT).filter_map(|stmt| {
        let top = stmt
            .parent()
            .is_some_and(|p| matches!(p.kind(), SyntaxKind::SOURCE_FILE | SyntaxKind::QUERY_BLOCK));
        let expr = stmt.first_child().filter(|_| top)?;
        (expr.kind() == SyntaxKind::PIPE_EXPR
            || expr.kind() == SyntaxKind::NAME_REF
            || expr.kind().is_tabular_operator()
            || expr.kind() == SyntaxKind::PAREN_EXPR
            || expr.kind() == SyntaxKind::CALL_EXPR)
            .then_some(expr)
    })
}

/// Every result statement's expression ([`result_statements`]) with its bound under the
/// `max-rows` cap: computed once per text for the row rules (`unbounded-result`,
/// `row-limit-exceeded`).
pub fn result_bounds<'c>(cx: &'c Checker) -> &'c [(SyntaxNode, ResultBound)] {
    cx.result_bounds.get_or_init(|| all_result_bounds(cx))
}

/// What [`result_bounds`] keeps: computed on its first call.
fn all_result_bounds(cx: &Checker) -> Vec<(SyntaxNode, ResultBound)> {
    let cap = cx.settings.max_rows;
    result_statements(cx)
        .map(|expr| {
            let bound = result_bound(cx, &expr, cap);
            (expr, bound)
        })
        .collect()
}

/// The bound of the result of `expr` (a result statement's expression), with the operator where a
/// bound over `cap` (or no bound) arises.
pub fn result_bound(cx: &Checker, expr: &SyntaxNode, cap: u64) -> ResultBound {
    let over = |r: Option<u64>| r.is_none_or(|b| b > cap);
    // The operators are listed once: listing them walks the pipeline's children.
    let pipe = ast::PipeExpr::cast(expr.clone());
    let Some((source, ops, last_operator)) = pipe
        .as_ref()
        .map(source_and_operators)
        .filter(|(_, ops, _)| !ops.is_empty())
    else {
        return ResultBound {
            rows: max_rows(cx, expr, 0),
            origin: expr.clone(),
            later: Vec::new(),
            last_operator: pipe.and_then(|p| p.operator()),
        };
    };
    let mut rows = source.as_ref().and_then(|s| max_rows(cx, s, 1));
    let mut origin = source.unwrap_or_else(|| expr.clone());
    let mut later = Vec::new();
    for op in ops {
        let next = operator_rows(cx, &op, rows, 0, &[]);
        if over(next) && (!over(rows) || next != rows || !keeps_rows(op.kind())) {
            origin = op;
            later.clear();
        } else if over(next) {
            later.push(op);
        }
        rows = next;
    }
    ResultBound {
        rows,
        origin,
        later,
        last_operator,
    }
}

/// A pipeline's source, operators ([`ast::PipeExpr::source`], [`ast::PipeExpr::operators`]) and
/// last operator ([`ast::PipeExpr::operator`]), from one pass over its children when it is flat,
/// as the parser builds it.
fn source_and_operators(
    pipe: &ast::PipeExpr,
) -> (Option<SyntaxNode>, Vec<SyntaxNode>, Option<SyntaxNode>) {
    let mut children = pipe.syntax().children();
    let source = children.next();
    if source
        .as_ref()
        .is_some_and(|s| s.kind() == SyntaxKind::PIPE_EXPR)
    {
        return (pipe.source(), pipe.operators(), pipe.operator());
    }
    let ops: Vec<SyntaxNode> = children
        .filter(|c| c.kind().is_tabular_operator())
        .collect();
    let last = ops.last().cloned();
    (source, ops, last)
}

/// Whether `op` sets the row count from a constant (`take N`, `top N`, `top-nested`): a count over
/// the cap there is `row-limit-exceeded`'s finding, not `unbounded-result`'s.
pub fn is_row_count_operator(op: &SyntaxNode) -> bool {
    matches!(
        op.kind(),
        SyntaxKind::TAKE_OP
            | SyntaxKind::TOP_OP
            | SyntaxKind::SAMPLE_OP
            | SyntaxKind::SAMPLE_DISTINCT_OP
            | SyntaxKind::TOP_HITTERS_OP
            | SyntaxKind::TOP_NESTED_OP
    )
}

/// Whether `n` is an integer literal too large for `long` (`take 99999999999999999999`): a count
/// at least that large, which [`operator_rows`] saturates to `u64::MAX`.
pub fn overflows_long(n: &SyntaxNode) -> bool {
    let Some(tok) = ast::Literal::cast(n.clone()).and_then(|l| l.token()) else {
        return false;
    };
    let text = tok.text();
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .map_or((text, 10), |h| (h, 16));
    tok.kind() == SyntaxKind::INT_LITERAL
        && !digits.0.is_empty()
        && digits.0.chars().all(|c| c.is_digit(digits.1))
        && i64::from_str_radix(digits.0, digits.1).is_err()
}

/// `n` with thousands separators (`100,000`), as messages print row counts.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
