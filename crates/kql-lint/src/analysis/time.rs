//! Time bounds a predicate puts on a table's time column (constants folded by the semantic
//! model, inside the user-function calls the predicate runs in); [`crate::analysis::paths`]
//! follows a read's rows through the query and combines them.

use kql_diagnostics::TextRange;
use kql_semantic::fold::{Call, Value};
use kql_semantic::Model;
use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::checker::{call_args, call_name, tokens, unparen};

/// Where constants are folded: the model's names, "now", and the user-function calls the
/// expression runs inside (outermost first), which give parameters their values.
#[derive(Clone, Copy)]
pub struct Consts<'a> {
    pub model: &'a Model,
    pub now: i64,
    pub calls: &'a [Call],
}

impl Consts<'_> {
    pub fn fold(&self, expr: &SyntaxNode) -> Option<Value> {
        self.model.fold(expr, self.now, self.calls)
    }

    fn datetime(&self, expr: &SyntaxNode) -> Option<i64> {
        self.fold(expr).and_then(Value::as_datetime)
    }
}

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

    /// Whether nothing limits how far back the read goes: only a lower bound bounds a read
    /// (`where Timestamp < ago(1d)` alone still reads all of retention).
    pub fn is_unbounded(&self) -> bool {
        self.lo == Bound::None
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

/// A path's [`Interval`] with, for each end, the call in the user's query (the outermost
/// user-function call, `f(90d)`) that gave the filter setting it its value, when that filter is
/// in a function's body and its bound depends on the call: a finding about that end belongs at
/// the call, with the filter as the related place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    pub window: Interval,
    pub lo_call: Option<TextRange>,
    pub hi_call: Option<TextRange>,
}

impl Reach {
    pub fn new(window: Interval) -> Reach {
        Reach {
            window,
            lo_call: None,
            hi_call: None,
        }
    }

    /// `and` with the bounds of a filter that ran inside `call` (`None`: in the user's query).
    pub fn and(self, bounds: Interval, call: Option<TextRange>) -> Reach {
        let window = self.window.and(bounds);
        let pick = |old: Bound, new: Bound, was| if old == new { was } else { call };
        Reach {
            window,
            lo_call: pick(self.window.lo, window.lo, self.lo_call),
            hi_call: pick(self.window.hi, window.hi, self.hi_call),
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

/// Whether `node` is the time column: by name, `todatetime(col)`, `bin(col, …)`/`floor(col, …)`
/// (a bin is at most one bin before the value: the rounding tolerance covers it), or
/// `ingestion_time()` (every Advanced Hunting table's ingestion time follows its event time).
fn is_column(node: &SyntaxNode, col: &[String]) -> bool {
    let n = unparen(node.clone());
    if n.kind() != SyntaxKind::CALL_EXPR {
        // Compared in place: no `String` per operand of every predicate.
        return n.kind() == SyntaxKind::NAME_REF
            && col.iter().any(|c| kql_syntax::names::name_is(&n, c));
    }
    match call_name(&n).as_deref() {
        Some("todatetime" | "bin" | "floor") => {
            call_args(&n).first().is_some_and(|a| is_column(a, col))
        }
        Some("ingestion_time") => call_args(&n).is_empty(),
        _ => false,
    }
}

/// `D - col` (an age such as `now() - Timestamp`): the datetime `D`.
fn age_of_column(node: &SyntaxNode, col: &[String], k: &Consts) -> Option<i64> {
    let n = unparen(node.clone());
    let bin = ast::BinExpr::cast(n.clone())?;
    let operands = bin.operands();
    if bin.op()?.kind() != SyntaxKind::MINUS || operands.len() != 2 || !is_column(&operands[1], col)
    {
        return None;
    }
    k.datetime(&operands[0])
}

/// The bounds a predicate puts on the column `col`.
pub fn predicate_bounds(expr: &SyntaxNode, col: &[String], k: &Consts) -> Interval {
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
                let first = join(predicate_bounds(&l, col, k), predicate_bounds(&r, col, k));
                return operands.fold(first, |acc, o| join(acc, predicate_bounds(&o, col, k)));
            }
            let (other, flipped) = if is_column(&l, col) {
                (r, false)
            } else if is_column(&r, col) {
                (l, true)
            } else {
                return age_bounds(&expr, &l, &r, op.kind(), col, k);
            };
            let at = match k.datetime(&other) {
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
            let lo = ends.first().and_then(|e| k.datetime(e));
            let hi = match ends.get(1).and_then(|e| k.fold(e)) {
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
                .map(|v| k.datetime(&v))
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

/// `now() - col < 45d` (either operand order): an age below a timespan is a lower bound on the
/// column (`col > now() - 45d`), an age above one an upper bound.
fn age_bounds(
    expr: &SyntaxNode,
    l: &SyntaxNode,
    r: &SyntaxNode,
    op: SyntaxKind,
    col: &[String],
    k: &Consts,
) -> Interval {
    let (age_at, span, flipped) = match (age_of_column(l, col, k), age_of_column(r, col, k)) {
        (Some(d), None) => (d, r, false),
        (None, Some(d)) => (d, l, true),
        _ => return Interval::ALL,
    };
    let at = match k.fold(span) {
        Some(Value::TimeSpan(t)) => Bound::At(age_at - t, Some(expr.text_range())),
        _ => Bound::Unknown,
    };
    let younger =
        match (op, flipped) {
            (SyntaxKind::LT | SyntaxKind::LTEQ, false)
            | (SyntaxKind::GT | SyntaxKind::GTEQ, true) => true,
            (SyntaxKind::GT | SyntaxKind::GTEQ, false)
            | (SyntaxKind::LT | SyntaxKind::LTEQ, true) => false,
            _ => return Interval::ALL,
        };
    if younger {
        Interval {
            lo: at,
            hi: Bound::None,
        }
    } else {
        Interval {
            lo: Bound::None,
            hi: at,
        }
    }
}

/// Operators after which a filter no longer narrows what was read before them: the rows were
/// aggregated, combined or picked already (`… | summarize arg_max(Timestamp, *) by K | where
/// Timestamp > ago(1d)` still reads everything the earlier filters allow).
pub(crate) fn ends_the_read(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::SUMMARIZE_OP
            | SyntaxKind::MAKE_SERIES_OP
            | SyntaxKind::JOIN_OP
            | SyntaxKind::LOOKUP_OP
            | SyntaxKind::TOP_NESTED_OP
            | SyntaxKind::COUNT_OP
            | SyntaxKind::DISTINCT_OP
            | SyntaxKind::TAKE_OP
            | SyntaxKind::TOP_OP
            | SyntaxKind::SAMPLE_OP
            | SyntaxKind::SAMPLE_DISTINCT_OP
    )
}

/// `make-series … on col from X to Y`: bounds the read like `col between (X .. Y)`.
pub(crate) fn make_series_bounds(op: &SyntaxNode, col: &[String], k: &Consts) -> Interval {
    let mut on_col = false;
    let mut word = String::new();
    let mut out = Interval::ALL;
    for el in op.children_with_tokens() {
        match el {
            rowan::NodeOrToken::Token(t) if !t.kind().is_trivia() => {
                word = t.text().to_ascii_lowercase();
            }
            rowan::NodeOrToken::Node(n) => {
                match word.as_str() {
                    "on" => on_col = is_column(&n, col),
                    "from" | "to" if on_col => {
                        let at = match k.datetime(&n) {
                            Some(t) => Bound::At(t, Some(n.text_range())),
                            None => Bound::Unknown,
                        };
                        if word == "from" {
                            out.lo = at;
                        } else {
                            out.hi = at;
                        }
                    }
                    _ => {}
                }
                word.clear();
            }
            _ => {}
        }
    }
    out
}
