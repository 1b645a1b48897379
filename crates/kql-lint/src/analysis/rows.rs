//! An upper bound on the rows a tabular expression returns (`take`, `top`, aggregations, joins,
//! `let` values), read by the row rules.

use kql_semantic::fold::{fold, Value};
use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::checker::{call_args, call_name, tokens, Checker};

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
