//! Shared analyses for the mission rules: time bounds on a table's time column along every path
//! its rows take to a result, and an upper bound on the rows a tabular expression returns.

use kql_diagnostics::TextRange;
use kql_semantic::fold::{fold, Value};
use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::checker::{call_args, call_name, name_ref_text, tokens, unparen, Checker};

/// One end of a time range. `origin` is the expression that set it (`None`: from `--timespan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// No bound at all.
    None,
    /// Bounded by something that does not fold to a constant.
    Unknown,
    At(i64, Option<TextRange>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub lo: Bound,
    pub hi: Bound,
}

impl Interval {
    pub const ALL: Interval = Interval {
        lo: Bound::None,
        hi: Bound::None,
    };

    pub fn is_unbounded(&self) -> bool {
        self.lo == Bound::None && self.hi == Bound::None
    }

    /// `and`: the tightest bounds.
    pub fn and(self, o: Interval) -> Interval {
        Interval {
            lo: tight(self.lo, o.lo, |a, b| a >= b),
            hi: tight(self.hi, o.hi, |a, b| a <= b),
        }
    }

    /// `or`: the loosest bounds.
    pub fn or(self, o: Interval) -> Interval {
        Interval {
            lo: loose(self.lo, o.lo, |a, b| a <= b),
            hi: loose(self.hi, o.hi, |a, b| a >= b),
        }
    }
}

fn tight(a: Bound, b: Bound, better: fn(i64, i64) -> bool) -> Bound {
    match (a, b) {
        (Bound::None, x) | (x, Bound::None) => x,
        (Bound::At(x, rx), Bound::At(y, ry)) => {
            if better(x, y) {
                Bound::At(x, rx)
            } else {
                Bound::At(y, ry)
            }
        }
        (Bound::At(x, r), Bound::Unknown) | (Bound::Unknown, Bound::At(x, r)) => Bound::At(x, r),
        (Bound::Unknown, Bound::Unknown) => Bound::Unknown,
    }
}

fn loose(a: Bound, b: Bound, looser: fn(i64, i64) -> bool) -> Bound {
    match (a, b) {
        (Bound::None, _) | (_, Bound::None) => Bound::None,
        (Bound::Unknown, _) | (_, Bound::Unknown) => Bound::Unknown,
        (Bound::At(x, rx), Bound::At(y, ry)) => {
            if looser(x, y) {
                Bound::At(x, rx)
            } else {
                Bound::At(y, ry)
            }
        }
    }
}

fn is_column(node: &SyntaxNode, col: &[String]) -> bool {
    let n = unparen(node.clone());
    name_ref_text(&n).is_some_and(|t| col.contains(&t))
        || (n.kind() == SyntaxKind::CALL_EXPR
            && call_name(&n).as_deref() == Some("todatetime")
            && call_args(&n).first().is_some_and(|a| is_column(a, col)))
}

/// The bounds a predicate puts on the column `col`.
pub fn predicate_bounds(expr: &SyntaxNode, col: &[String], now: i64) -> Interval {
    let expr = unparen(expr.clone());
    match expr.kind() {
        SyntaxKind::BIN_EXPR => {
            // Both operands in one pass over the children.
            let mut operands = expr.children();
            let (Some(l), Some(r)) = (operands.next(), operands.next()) else {
                return Interval::ALL;
            };
            let Some(op) = ast::op_after(&l) else {
                return Interval::ALL;
            };
            // `a and b and c ...` (or `or`) is one node with every operand.
            let join: Option<fn(Interval, Interval) -> Interval> = match op.text() {
                "and" => Some(Interval::and),
                "or" => Some(Interval::or),
                _ => None,
            };
            if let Some(join) = join {
                let first = join(
                    predicate_bounds(&l, col, now),
                    predicate_bounds(&r, col, now),
                );
                return operands.fold(first, |acc, o| join(acc, predicate_bounds(&o, col, now)));
            }
            let (other, flipped) = if is_column(&l, col) {
                (r, false)
            } else if is_column(&r, col) {
                (l, true)
            } else {
                return Interval::ALL;
            };
            let at = match fold(&other, now).and_then(Value::as_datetime) {
                Some(t) => Bound::At(t, Some(expr.text_range())),
                None => Bound::Unknown,
            };
            let (lower, upper) = match (op.kind(), flipped) {
                (SyntaxKind::GT | SyntaxKind::GTEQ, false)
                | (SyntaxKind::LT | SyntaxKind::LTEQ, true) => (true, false),
                (SyntaxKind::LT | SyntaxKind::LTEQ, false)
                | (SyntaxKind::GT | SyntaxKind::GTEQ, true) => (false, true),
                (SyntaxKind::EQ2, _) => (true, true),
                _ => (false, false),
            };
            Interval {
                lo: if lower { at } else { Bound::None },
                hi: if upper { at } else { Bound::None },
            }
        }
        SyntaxKind::BETWEEN_EXPR => {
            let Some(lhs) = expr.first_child() else {
                return Interval::ALL;
            };
            let negated = tokens(&expr).any(|t| t.text().starts_with('!'));
            if negated || !is_column(&lhs, col) {
                return Interval::ALL;
            }
            let Some(pair) = expr.children().find(|c| c.kind() == SyntaxKind::RANGE_PAIR) else {
                return Interval::ALL;
            };
            let ends: Vec<SyntaxNode> = pair.children().collect();
            let range = Some(expr.text_range());
            let lo = ends
                .first()
                .and_then(|e| fold(e, now))
                .and_then(Value::as_datetime);
            let hi = match ends.get(1).and_then(|e| fold(e, now)) {
                Some(Value::DateTime(t)) => Some(t),
                Some(Value::TimeSpan(t)) => lo.map(|l| l + t),
                _ => None,
            };
            let b = |v: Option<i64>| v.map_or(Bound::Unknown, |t| Bound::At(t, range));
            Interval {
                lo: b(lo),
                hi: b(hi),
            }
        }
        SyntaxKind::IN_EXPR => {
            let Some(lhs) = expr.first_child() else {
                return Interval::ALL;
            };
            if !is_column(&lhs, col) || tokens(&expr).any(|t| t.text().starts_with('!')) {
                return Interval::ALL;
            }
            let values: Vec<Option<i64>> = expr
                .children()
                .skip(1)
                .flat_map(|c| {
                    if c.kind() == SyntaxKind::LIST_EXPR || c.kind() == SyntaxKind::PAREN_EXPR {
                        c.children().collect::<Vec<_>>()
                    } else {
                        vec![c]
                    }
                })
                .map(|v| fold(&v, now).and_then(Value::as_datetime))
                .collect();
            if values.is_empty() || values.iter().any(Option::is_none) {
                return Interval {
                    lo: Bound::Unknown,
                    hi: Bound::Unknown,
                };
            }
            let r = Some(expr.text_range());
            let vals = values.into_iter().flatten();
            Interval {
                lo: Bound::At(vals.clone().min().unwrap_or(0), r),
                hi: Bound::At(vals.max().unwrap_or(0), r),
            }
        }
        _ => Interval::ALL,
    }
}

/// The intervals on `col` along every path the rows read by `table_ref` take to a result.
/// An empty list means the rows are never used.
pub fn time_paths(
    cx: &Checker,
    table_ref: &SyntaxNode,
    col: &[String],
    now: i64,
    init: Interval,
) -> Vec<Interval> {
    let mut out = Vec::new();
    walk(cx, table_ref.clone(), col, now, init, true, 0, &mut out);
    out
}

#[allow(clippy::too_many_arguments)]
fn walk(
    cx: &Checker,
    mut cur: SyntaxNode,
    col: &[String],
    now: i64,
    mut acc: Interval,
    mut apply: bool,
    depth: u32,
    out: &mut Vec<Interval>,
) {
    if depth > 16 {
        out.push(acc);
        return;
    }
    loop {
        let Some(parent) = cur.parent() else {
            out.push(acc);
            return;
        };
        match parent.kind() {
            SyntaxKind::PIPE_EXPR => {
                // The rows flow through every operator after `cur` (the source, or an operator
                // that reads another table: `union` passes those rows on, a join's right side
                // passes them on unfiltered by later `where`s).
                let mut children = parent.children();
                if children.next().as_ref() != Some(&cur) {
                    match cur.kind() {
                        SyntaxKind::UNION_OP => {}
                        SyntaxKind::JOIN_OP | SyntaxKind::LOOKUP_OP => apply = false,
                        _ => {
                            out.push(acc);
                            return;
                        }
                    }
                    children.find(|c| *c == cur);
                }
                if apply {
                    for op in children.filter(|n| n.kind() == SyntaxKind::WHERE_OP) {
                        for pred in op.children() {
                            acc = acc.and(predicate_bounds(&pred, col, now));
                        }
                    }
                }
            }
            SyntaxKind::PAREN_EXPR
            | SyntaxKind::NAME_LIST
            | SyntaxKind::UNION_OP
            | SyntaxKind::JOIN_OP
            | SyntaxKind::LOOKUP_OP
            | SyntaxKind::FUNCTION_BODY
            | SyntaxKind::LAMBDA
            | SyntaxKind::QUERY_BLOCK => {}
            SyntaxKind::ARG_LIST => {
                let call = parent.parent();
                if call.as_ref().and_then(call_name).as_deref() != Some("materialize") {
                    out.push(acc);
                    return;
                }
                cur = call.expect("call");
                continue;
            }
            SyntaxKind::QUERY_STMT => {
                if parent.parent().is_some_and(|p| {
                    matches!(p.kind(), SyntaxKind::SOURCE_FILE | SyntaxKind::QUERY_BLOCK)
                }) {
                    out.push(acc);
                    return;
                }
            }
            SyntaxKind::LET_STMT => {
                for use_node in let_uses(cx, &parent) {
                    walk(cx, use_node, col, now, acc, apply, depth + 1, out);
                }
                return;
            }
            _ => {
                out.push(acc);
                return;
            }
        }
        cur = parent;
    }
}

/// The uses of the name `let_stmt` defines, as the model resolved them (a use as a call's
/// callee gives the call).
pub fn let_uses(cx: &Checker, let_stmt: &SyntaxNode) -> Vec<SyntaxNode> {
    let Some(symbol) = cx.let_symbol(let_stmt) else {
        return Vec::new();
    };
    symbol
        .references
        .iter()
        .filter_map(|r| cx.node_at(*r))
        .map(|n| match n.parent() {
            Some(p)
                if p.kind() == SyntaxKind::CALL_EXPR && p.first_child().as_ref() == Some(&n) =>
            {
                p
            }
            _ => n,
        })
        .collect()
}

/// Upper bound on the rows `node` (a tabular expression) returns; `None` when unbounded.
pub fn max_rows(cx: &Checker, node: &SyntaxNode, depth: u32) -> Option<u64> {
    if depth > 32 {
        return None;
    }
    let now = cx.settings.now;
    match node.kind() {
        SyntaxKind::PAREN_EXPR => max_rows(cx, &node.first_child()?, depth + 1),
        SyntaxKind::NAME_REF => max_rows(cx, &cx.let_value(node)?, depth + 1),
        SyntaxKind::CALL_EXPR => match call_name(node)?.as_str() {
            "materialize" => max_rows(cx, call_args(node).first()?, depth + 1),
            _ => {
                let value = cx.let_value(&node.first_child()?)?;
                let body = value
                    .descendants()
                    .find(|n| n.kind() == SyntaxKind::FUNCTION_BODY)?;
                let last = body
                    .children()
                    .filter(|c| c.kind() == SyntaxKind::QUERY_STMT)
                    .last()?;
                max_rows(cx, &last.first_child()?, depth + 1)
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
                fold(exprs.first()?, now)?,
                fold(exprs.get(1)?, now)?,
                fold(exprs.get(2)?, now)?,
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
        SyntaxKind::UNION_OP => union_legs(cx, node, depth).map(|(s, _)| s),
        SyntaxKind::PIPE_EXPR => {
            let pipe = ast::PipeExpr::cast(node.clone())?;
            let mut rows = max_rows(cx, &pipe.source()?, depth + 1);
            let ops = pipe.operators();
            if ops.is_empty() {
                return None;
            }
            for op in &ops {
                rows = operator_rows(cx, op, rows, depth);
            }
            rows
        }
        _ => None,
    }
}

fn union_legs(cx: &Checker, node: &SyntaxNode, depth: u32) -> Option<(u64, usize)> {
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
        sum = sum.checked_add(max_rows(cx, l, depth + 1)?)?;
    }
    Some((sum, legs.len()))
}

fn operator_rows(cx: &Checker, op: &SyntaxNode, r: Option<u64>, depth: u32) -> Option<u64> {
    let now = cx.settings.now;
    let count = |n: &SyntaxNode| -> Option<u64> {
        match fold(n, now)? {
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
        SyntaxKind::SUMMARIZE_OP | SyntaxKind::MAKE_SERIES_OP => {
            if has_by() {
                r
            } else {
                Some(1)
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
        | SyntaxKind::EXECUTE_AND_CACHE_OP => r,
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
            let kind = op
                .children()
                .filter(|c| c.kind() == SyntaxKind::OPERATOR_PARAM)
                .find(|p| {
                    tokens(p)
                        .next()
                        .is_some_and(|t| t.text().eq_ignore_ascii_case("kind"))
                })
                .and_then(|p| p.children().last())
                .map(|n| n.text().to_string().to_ascii_lowercase());
            let right = op.children().find(|c| {
                c.kind() != SyntaxKind::OPERATOR_PARAM && c.kind() != SyntaxKind::ON_CLAUSE
            });
            let right_rows = right.and_then(|n| max_rows(cx, &n, depth + 1));
            match kind.as_deref() {
                Some("leftsemi" | "leftanti" | "leftantisemi" | "anti") => r,
                Some("rightsemi" | "rightanti" | "rightantisemi") => right_rows,
                _ => r?.checked_mul(right_rows?),
            }
        }
        SyntaxKind::UNION_OP => {
            let (legs, _) = union_legs(cx, op, depth)?;
            r?.checked_add(legs)
        }
        _ => None,
    }
}
