//! Constant folding of datetime and timespan expressions over the syntax tree.
//!
//! [`fold`] evaluates an expression node to a [`Value`] when it is a compile-time constant given
//! an injected "now": literals (`1d`, `1.5h`, `datetime(2024-01-01 10:00)`, `timespan(1.02:00:00)`,
//! numbers), `ago`, `now()`, `now(offset)`, `datetime_add`, `startof*`/`endof*`, `bin`/`floor`,
//! `totimespan`/`todatetime`, arithmetic (`+`, `-`, `*`, `/`), parentheses, `let` constants and
//! function parameters. Anything else folds to `None`.
//!
//! Names: a [`Names`] says what a name refers to. [`fold`] reads the tree (the nearest preceding
//! `let` of the enclosing statement lists, or a parameter of an enclosing function); the semantic
//! model's resolution is [`crate::Model::fold`]. A parameter has a value only inside a known call:
//! [`fold_in`] takes the stack of user-function [`Call`]s the expression is evaluated inside (the
//! call's argument, else the parameter's default value, folds in the caller's context).
//!
//! Datetimes are 100-nanosecond ticks since the Unix epoch (negative before 1970), as in .NET and
//! Kusto; timespans are ticks too. Parsing, printing and calendar arithmetic are `kql-calendar`'s
//! (months clamp the day of month, weeks start on Sunday, `bin` counts from 0001-01-01).

use kql_syntax::ast::{self, AstNode};
use kql_syntax::names::name_is;
use kql_syntax::{SyntaxKind, SyntaxNode, SyntaxToken};

use kql_calendar::{bin_datetime, datetime_add, start_of, Period};
/// Ticks (100 ns) in one unit.
pub use kql_calendar::{TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND};

/// A folded constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Ticks since the Unix epoch.
    DateTime(i64),
    /// Ticks.
    TimeSpan(i64),
    Long(i64),
    Real(f64),
}

impl Value {
    pub fn as_datetime(self) -> Option<i64> {
        match self {
            Value::DateTime(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_timespan(self) -> Option<i64> {
        match self {
            Value::TimeSpan(t) => Some(t),
            _ => None,
        }
    }

    /// The value as a number (longs and reals).
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Value::Long(n) => Some(n as f64),
            Value::Real(r) => Some(r),
            _ => None,
        }
    }
}

/// Folds `expr` with "now" at `now` (ticks since the Unix epoch), names resolved over the tree,
/// outside any call (a parameter does not fold).
pub fn fold(expr: &SyntaxNode, now: i64) -> Option<Value> {
    fold_in(expr, now, &TreeNames, &[])
}

/// Folds `expr` with names resolved by `names`, inside the user-function `calls` (outermost
/// first): a parameter of a function in `calls` takes that call's argument or its default.
pub fn fold_in(expr: &SyntaxNode, now: i64, names: &dyn Names, calls: &[Call]) -> Option<Value> {
    Folder {
        now,
        depth: 0,
        names,
        calls,
    }
    .fold(expr)
}

/// One call of a user function: `lambda` is the function (the `LAMBDA` a `let` binds), `call` the
/// expression that calls it (a `CALL_EXPR`, or the callee `NAME_REF` of a call without
/// parentheses). `piped`: `T | invoke f(a)` passes `T` as the first parameter, so the call's
/// arguments start at the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub lambda: SyntaxNode,
    pub call: SyntaxNode,
    pub piped: bool,
}

impl Call {
    /// The argument passed to parameter `index` named `name`, if the call passes one: by name
    /// (`f(lookback = 90d)`), else by position.
    pub fn argument(&self, index: usize, name: &str) -> Option<SyntaxNode> {
        let args: Vec<SyntaxNode> = ast::CallExpr::cast(self.call.clone())?.args().collect();
        let named = args
            .iter()
            .filter(|a| a.kind() == SyntaxKind::NAMED_ARG)
            .find(|a| ast::declared_name(a).is_some_and(|n| name_is(n.syntax(), name)));
        if let Some(a) = named {
            return a.last_child();
        }
        let index = index.checked_sub(usize::from(self.piped))?;
        args.into_iter()
            .filter(|a| a.kind() != SyntaxKind::NAMED_ARG)
            .nth(index)
    }
}

/// What a name refers to, for folding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definition {
    /// The value node of a `let` (an expression, or a `LAMBDA`).
    Let(SyntaxNode),
    /// Parameter number `index` (the `PARAM` node `param`) of the function `lambda`.
    Param {
        lambda: SyntaxNode,
        index: usize,
        param: SyntaxNode,
    },
}

/// Resolves names for the folder.
pub trait Names {
    /// The definition the `NAME_REF` `name_ref` refers to (`None`: a column, a table, unknown).
    fn definition(&self, name_ref: &SyntaxNode) -> Option<Definition>;
}

/// Names resolved over the tree: the nearest preceding `let` of an enclosing statement list, or a
/// parameter of an enclosing function, whichever is nearer.
pub struct TreeNames;

impl Names for TreeNames {
    fn definition(&self, name_ref: &SyntaxNode) -> Option<Definition> {
        let name = crate::names::name_ref_text(name_ref)?;
        let start = name_ref.text_range().start();
        for anc in name_ref.ancestors() {
            if anc.kind() == SyntaxKind::LAMBDA {
                if let Some(d) = parameter_named(&anc, &name) {
                    return Some(d);
                }
            } else if is_let_scope(anc.kind()) {
                if let Some(v) = let_in(&anc, &name, start) {
                    return Some(Definition::Let(v));
                }
            }
        }
        None
    }
}

/// The parameter of `lambda` called `name`.
fn parameter_named(lambda: &SyntaxNode, name: &str) -> Option<Definition> {
    let params = lambda
        .children()
        .find(|c| c.kind() == SyntaxKind::PARAM_LIST)?;
    let (index, param) = params
        .children()
        .filter(|c| c.kind() == SyntaxKind::PARAM)
        .enumerate()
        .find(|(_, p)| {
            p.children()
                .find(|c| c.kind() == SyntaxKind::NAME)
                .and_then(|n| crate::names::name_text(&n))
                .as_deref()
                == Some(name)
        })?;
    Some(Definition::Param {
        lambda: lambda.clone(),
        index,
        param,
    })
}

/// The definition a parameter's `NAME` node gives: its function and position (`None` for the
/// parameters of `declare query_parameters`, whose values come with the request).
pub fn parameter_of(name: &SyntaxNode) -> Option<Definition> {
    let param = name.parent().filter(|p| p.kind() == SyntaxKind::PARAM)?;
    let list = param.parent()?;
    let lambda = list.parent().filter(|l| l.kind() == SyntaxKind::LAMBDA)?;
    let index = list
        .children()
        .filter(|c| c.kind() == SyntaxKind::PARAM)
        .position(|p| p == param)?;
    Some(Definition::Param {
        lambda,
        index,
        param,
    })
}

/// A parameter's default value (`lookback: timespan = 7d`).
pub fn default_value(param: &SyntaxNode) -> Option<SyntaxNode> {
    let mut after_eq = false;
    for el in param.children_with_tokens() {
        match el {
            rowan::NodeOrToken::Token(t) if t.kind() == SyntaxKind::EQ => after_eq = true,
            rowan::NodeOrToken::Node(n) if after_eq => return Some(n),
            _ => {}
        }
    }
    None
}

/// Formats ticks in the canonical form (`2024-01-01T10:00:00Z`, `…:00.5Z`).
pub fn format_datetime(ticks: i64) -> String {
    kql_calendar::format_datetime(ticks)
}

/// Parses the text of a KQL datetime: `2024-01-01`, `2024-01-01 10:00`, `2024-01-01T10:00:00.5Z`,
/// with optional quotes.
pub fn parse_datetime(text: &str) -> Option<i64> {
    kql_calendar::parse_datetime(unquote(text)).ok()
}

/// Parses a KQL timespan literal (`1d`, `1.5h`, `30min`, `100ms`) or the `[-][d.]hh:mm[:ss[.fff]]`
/// form used inside `timespan(...)`, with optional quotes.
pub fn parse_timespan(text: &str) -> Option<i64> {
    kql_calendar::parse_timespan(unquote(text))
}

fn unquote(text: &str) -> &str {
    text.trim().trim_matches(|c| c == '"' || c == '\'').trim()
}

struct Folder<'a> {
    now: i64,
    depth: u32,
    names: &'a dyn Names,
    calls: &'a [Call],
}

const MAX_DEPTH: u32 = 64;

impl Folder<'_> {
    fn fold(&mut self, node: &SyntaxNode) -> Option<Value> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let v = self.fold_inner(node);
        self.depth -= 1;
        v
    }

    fn fold_inner(&mut self, node: &SyntaxNode) -> Option<Value> {
        match node.kind() {
            SyntaxKind::LITERAL => literal(node),
            SyntaxKind::PAREN_EXPR => self.fold(&node.first_child()?),
            SyntaxKind::PREFIX_EXPR => {
                let op = significant_tokens(node).next()?;
                let v = self.fold(&node.first_child()?)?;
                match op.kind() {
                    SyntaxKind::MINUS => neg(v),
                    SyntaxKind::PLUS => Some(v),
                    _ => None,
                }
            }
            SyntaxKind::BIN_EXPR => {
                // A run `a op b op c` folds left to right.
                let bin = ast::BinExpr::cast(node.clone())?;
                let op = bin.op()?.kind();
                let mut operands = node.children();
                let mut acc = self.fold(&operands.next()?)?;
                let mut any = false;
                for next in operands {
                    acc = arith(op, acc, self.fold(&next)?)?;
                    any = true;
                }
                any.then_some(acc)
            }
            SyntaxKind::NAME_REF => self.resolve(node),
            SyntaxKind::CALL_EXPR => self.call(node),
            _ => None,
        }
    }

    /// A scalar `let`'s value, or a parameter's value in the innermost call of its function.
    fn resolve(&mut self, name_ref: &SyntaxNode) -> Option<Value> {
        match self.names.definition(name_ref)? {
            Definition::Let(value) if value.kind() == SyntaxKind::LAMBDA => None,
            Definition::Let(value) => self.fold(&value),
            Definition::Param {
                lambda,
                index,
                param,
            } => {
                let at = self.calls.iter().rposition(|c| c.lambda == lambda)?;
                let name = param
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NAME)
                    .and_then(|n| crate::names::name_text(&n))?;
                let value = self.calls[at]
                    .argument(index, &name)
                    .or_else(|| default_value(&param))?;
                // The argument is evaluated where the call is: outside this call.
                Folder {
                    now: self.now,
                    depth: self.depth + 1,
                    names: self.names,
                    calls: &self.calls[..at],
                }
                .fold(&value)
            }
        }
    }

    fn call(&mut self, node: &SyntaxNode) -> Option<Value> {
        let call = ast::CallExpr::cast(node.clone())?;
        let name = crate::names::call_name(node)?;
        let args: Vec<SyntaxNode> = call.args().collect();
        let arg = |i: usize, this: &mut Folder<'_>| -> Option<Value> { this.fold(args.get(i)?) };
        match name.as_str() {
            "ago" if args.len() == 1 => {
                let ts = arg(0, self)?.as_timespan()?;
                Some(Value::DateTime(self.now.checked_sub(ts)?))
            }
            "now" if args.is_empty() => Some(Value::DateTime(self.now)),
            "now" if args.len() == 1 => {
                let ts = arg(0, self)?.as_timespan()?;
                Some(Value::DateTime(self.now.checked_add(ts)?))
            }
            "datetime_add" if args.len() == 3 => {
                let part = string_arg(&args[0])?;
                let n = arg(1, self)?.as_f64()? as i64;
                let dt = arg(2, self)?.as_datetime()?;
                datetime_add(&part, n, dt).map(Value::DateTime)
            }
            "startofday" | "startofweek" | "startofmonth" | "startofyear" | "endofday"
            | "endofweek" | "endofmonth" | "endofyear"
                if (1..=2).contains(&args.len()) =>
            {
                let dt = arg(0, self)?.as_datetime()?;
                let offset = match args.get(1) {
                    Some(_) => arg(1, self)?.as_f64()? as i64,
                    None => 0,
                };
                let is_start = name.starts_with("start");
                let period = Period::from_name(&name[if is_start { 7 } else { 5 }..])?;
                if is_start {
                    start_of(period, dt, offset).map(Value::DateTime)
                } else {
                    Some(Value::DateTime(start_of(period, dt, offset + 1)? - 1))
                }
            }
            // make_datetime(year, month, day[, hour, minute[, second]]); second may be fractional.
            "make_datetime" if (3..=6).contains(&args.len()) => {
                let mut parts = [0.0f64; 6];
                for (i, p) in parts.iter_mut().enumerate().take(args.len()) {
                    *p = arg(i, self)?.as_f64()?;
                }
                let field = |v: f64| (v >= 0.0 && v.fract() == 0.0 && v < 1e6).then_some(v as u32);
                let second = parts[5].trunc();
                let base = kql_calendar::ticks_from_civil(
                    parts[0] as i64,
                    field(parts[1])?,
                    field(parts[2])?,
                    field(parts[3])?,
                    field(parts[4])?,
                    field(second)?,
                    0,
                )?;
                let frac = ((parts[5] - second) * 10_000_000.0).round() as i64;
                Some(Value::DateTime(base.checked_add(frac)?))
            }
            "bin" | "floor" if args.len() == 2 => {
                let v = arg(0, self)?;
                let size = arg(1, self)?;
                bin(v, size)
            }
            "totimespan" | "time" | "timespan" if args.len() == 1 => match arg(0, self) {
                Some(Value::TimeSpan(t)) => Some(Value::TimeSpan(t)),
                Some(Value::Long(n)) => Some(Value::TimeSpan(n)),
                _ => parse_timespan(&string_arg(&args[0])?).map(Value::TimeSpan),
            },
            "todatetime" | "datetime" if args.len() == 1 => match arg(0, self) {
                Some(Value::DateTime(t)) => Some(Value::DateTime(t)),
                _ => parse_datetime(&string_arg(&args[0])?).map(Value::DateTime),
            },
            "tolong" | "toint" | "long" | "int" if args.len() == 1 => match arg(0, self)? {
                Value::Long(n) => Some(Value::Long(n)),
                Value::Real(r) => Some(Value::Long(r.trunc() as i64)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The value node of the nearest `let name = ...` before `at` in an enclosing statement list
/// (the function body's statements first, then the file's).
pub fn find_let(at: &SyntaxNode, name: &str) -> Option<SyntaxNode> {
    let start = at.text_range().start();
    at.ancestors()
        .filter(|a| is_let_scope(a.kind()))
        .find_map(|scope| let_in(&scope, name, start))
}

/// The value of the last `let name = …` directly in `scope` that ends before `start`.
fn let_in(scope: &SyntaxNode, name: &str, start: kql_syntax::TextSize) -> Option<SyntaxNode> {
    scope
        .children()
        .filter(|c| c.kind() == SyntaxKind::LET_STMT && c.text_range().end() <= start)
        .filter_map(ast::LetStmt::cast)
        .filter(|l| {
            l.name()
                .is_some_and(|n| kql_syntax::names::name_is(n.syntax(), name))
        })
        .last()?
        .value()
}

/// Kinds whose `let` statements are visible to the statements after them.
pub fn is_let_scope(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::SOURCE_FILE | SyntaxKind::FUNCTION_BODY | SyntaxKind::QUERY_BLOCK
    )
}

fn significant_tokens(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> {
    node.children_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
}

/// The string an argument spells: a string literal's value, else the node's text
/// (`todatetime(2024-01-01)` style unquoted forms).
fn string_arg(node: &SyntaxNode) -> Option<String> {
    if node.kind() == SyntaxKind::LITERAL {
        if let Some(s) = ast::Literal::cast(node.clone())?.string_value() {
            return Some(s);
        }
    }
    Some(node.text().to_string())
}

fn literal(node: &SyntaxNode) -> Option<Value> {
    let tok = ast::Literal::cast(node.clone())?.token()?;
    let text = tok.text();
    match tok.kind() {
        SyntaxKind::INT_LITERAL => parse_int(text).map(Value::Long),
        SyntaxKind::REAL_LITERAL => text.parse::<f64>().ok().map(Value::Real),
        SyntaxKind::TIMESPAN_LITERAL => parse_timespan(text).map(Value::TimeSpan),
        SyntaxKind::TYPED_LITERAL => {
            let open = text.find('(')?;
            let inner = text[open + 1..].strip_suffix(')')?;
            match text[..open].trim().to_ascii_lowercase().as_str() {
                "datetime" | "date" => parse_datetime(inner).map(Value::DateTime),
                "timespan" | "time" => parse_timespan(inner).map(Value::TimeSpan),
                "long" | "int" => parse_int(inner.trim()).map(Value::Long),
                "real" | "double" => inner.trim().parse().ok().map(Value::Real),
                _ => None,
            }
        }
        _ => None,
    }
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok();
    }
    text.parse().ok()
}

fn neg(v: Value) -> Option<Value> {
    match v {
        Value::TimeSpan(t) => Some(Value::TimeSpan(t.checked_neg()?)),
        Value::Long(n) => Some(Value::Long(n.checked_neg()?)),
        Value::Real(r) => Some(Value::Real(-r)),
        Value::DateTime(_) => None,
    }
}

fn scale(t: i64, f: f64) -> Option<i64> {
    let v = t as f64 * f;
    (v.is_finite() && v.abs() < 9.2e18).then_some(v.round() as i64)
}

fn arith(op: SyntaxKind, a: Value, b: Value) -> Option<Value> {
    use Value::*;
    match (op, a, b) {
        (SyntaxKind::PLUS, DateTime(d), TimeSpan(t))
        | (SyntaxKind::PLUS, TimeSpan(t), DateTime(d)) => Some(DateTime(d.checked_add(t)?)),
        (SyntaxKind::MINUS, DateTime(d), TimeSpan(t)) => Some(DateTime(d.checked_sub(t)?)),
        (SyntaxKind::MINUS, DateTime(x), DateTime(y)) => Some(TimeSpan(x.checked_sub(y)?)),
        (SyntaxKind::PLUS, TimeSpan(x), TimeSpan(y)) => Some(TimeSpan(x.checked_add(y)?)),
        (SyntaxKind::MINUS, TimeSpan(x), TimeSpan(y)) => Some(TimeSpan(x.checked_sub(y)?)),
        (SyntaxKind::STAR, TimeSpan(t), n) | (SyntaxKind::STAR, n, TimeSpan(t)) => {
            Some(TimeSpan(scale(t, n.as_f64()?)?))
        }
        (SyntaxKind::SLASH, TimeSpan(t), TimeSpan(u)) if u != 0 => Some(Real(t as f64 / u as f64)),
        (SyntaxKind::SLASH, TimeSpan(t), n) => {
            let n = n.as_f64()?;
            if n == 0.0 {
                return None;
            }
            Some(TimeSpan(scale(t, 1.0 / n)?))
        }
        (_, DateTime(_), _) | (_, _, DateTime(_)) | (_, TimeSpan(_), _) | (_, _, TimeSpan(_)) => {
            None
        }
        (_, Long(x), Long(y)) => match op {
            SyntaxKind::PLUS => x.checked_add(y).map(Long),
            SyntaxKind::MINUS => x.checked_sub(y).map(Long),
            SyntaxKind::STAR => x.checked_mul(y).map(Long),
            SyntaxKind::SLASH => x.checked_div(y).map(Long),
            _ => None,
        },
        (_, x, y) => {
            let (x, y) = (x.as_f64()?, y.as_f64()?);
            match op {
                SyntaxKind::PLUS => Some(Real(x + y)),
                SyntaxKind::MINUS => Some(Real(x - y)),
                SyntaxKind::STAR => Some(Real(x * y)),
                SyntaxKind::SLASH if y != 0.0 => Some(Real(x / y)),
                _ => None,
            }
        }
    }
}

fn bin(v: Value, size: Value) -> Option<Value> {
    match (v, size) {
        (Value::DateTime(d), Value::TimeSpan(s)) => bin_datetime(d, s).map(Value::DateTime),
        (Value::TimeSpan(t), Value::TimeSpan(s)) if s > 0 => {
            Some(Value::TimeSpan(t - t.rem_euclid(s)))
        }
        (Value::Long(n), Value::Long(s)) if s > 0 => Some(Value::Long(n - n.rem_euclid(s))),
        (x, y) => {
            let (x, y) = (x.as_f64()?, y.as_f64()?);
            (y > 0.0).then(|| Value::Real((x / y).floor() * y))
        }
    }
}

#[cfg(test)]
mod fold_tests {
    use super::*;

    const NOW: &str = "2026-11-27T00:00:00Z";

    fn now() -> i64 {
        parse_datetime(NOW).unwrap()
    }

    /// Folds the value of the last `let` in `text`.
    fn eval(text: &str) -> Option<Value> {
        let root = kql_syntax::parse(text).syntax();
        let target = root
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::LET_STMT)
            .last()
            .and_then(|l| ast::LetStmt::cast(l)?.value())
            .expect("a let");
        fold(&target, now())
    }

    fn dt(text: &str) -> Value {
        Value::DateTime(parse_datetime(text).unwrap())
    }

    fn days(n: i64) -> Value {
        Value::TimeSpan(n * TICKS_PER_DAY)
    }

    /// Folds `let x = <expression>;` after `lets` for each `(expression, expected)` of `cases`;
    /// a failure names the expression.
    fn assert_folds(lets: &str, cases: &[(&str, Option<Value>)]) {
        for (expr, expected) in cases {
            assert_eq!(eval(&format!("{lets}let x = {expr};")), *expected, "{expr}");
        }
    }

    /// Half a second after `text` (whole seconds), added apart from the parser's fractions.
    fn half_a_second_after(text: &str) -> Option<Value> {
        Some(Value::DateTime(parse_datetime(text).unwrap() + 5_000_000))
    }

    /// `now()` less `n` days.
    fn days_ago(n: i64) -> Option<Value> {
        Some(Value::DateTime(now() - n * TICKS_PER_DAY))
    }

    #[test]
    fn literals() {
        let span = |ticks: i64| Some(Value::TimeSpan(ticks));
        assert_folds(
            "",
            &[
                ("1d", Some(days(1))),
                ("1.5h", span(90 * TICKS_PER_MINUTE)),
                ("30min", span(30 * TICKS_PER_MINUTE)),
                ("100ms", span(1_000_000)),
                ("timespan(1.02:00:00)", span(26 * TICKS_PER_HOUR)),
                ("datetime(2024-01-01)", Some(dt("2024-01-01T00:00:00Z"))),
                (
                    "datetime(2024-01-01 10:00)",
                    Some(dt("2024-01-01T10:00:00Z")),
                ),
                (
                    "datetime(\"2024-02-29T10:00:00.5Z\")",
                    half_a_second_after("2024-02-29T10:00:00Z"),
                ),
                ("datetime(2023-02-29)", None),
                // make_datetime: fractional seconds, and no month 13 or February 30th.
                (
                    "make_datetime(2026, 9, 1)",
                    Some(dt("2026-09-01T00:00:00Z")),
                ),
                (
                    "make_datetime(2026, 9, 1, 10, 30, 1.5)",
                    half_a_second_after("2026-09-01T10:30:01Z"),
                ),
                ("make_datetime(2026, 13, 1)", None),
                ("make_datetime(2026, 2, 30)", None),
            ],
        );
    }

    #[test]
    fn functions() {
        let end_of = |next: &str| Some(Value::DateTime(parse_datetime(next).unwrap() - 1));
        assert_folds(
            "",
            &[
                ("ago(7d)", days_ago(7)),
                ("now()", days_ago(0)),
                ("now(-1d)", days_ago(1)),
                ("ago(-1h)", Some(Value::DateTime(now() + TICKS_PER_HOUR))),
                (
                    "datetime_add('month', -1, datetime(2024-03-31))",
                    Some(dt("2024-02-29")),
                ),
                (
                    "startofday(datetime(2024-05-05 13:14))",
                    Some(dt("2024-05-05")),
                ),
                // 2024-05-08 is a Wednesday; the week starts on Sunday the 5th.
                ("startofweek(datetime(2024-05-08))", Some(dt("2024-05-05"))),
                (
                    "startofmonth(datetime(2024-05-08), -5)",
                    Some(dt("2023-12-01")),
                ),
                ("startofyear(datetime(2024-05-08))", Some(dt("2024-01-01"))),
                ("endofday(datetime(2024-05-08))", end_of("2024-05-09")),
                ("endofmonth(datetime(2024-02-08))", end_of("2024-03-01")),
                (
                    "bin(datetime(2024-05-08 13:14), 1h)",
                    Some(dt("2024-05-08 13:00")),
                ),
                ("bin(ago(0d), 1d)", days_ago(0)),
                ("totimespan('1.00:00:00')", Some(days(1))),
                ("todatetime('2024-01-01')", Some(dt("2024-01-01"))),
                ("strlen('a')", None),
            ],
        );
    }

    #[test]
    fn arithmetic_and_lets() {
        assert_folds(
            "let lookback = 14d; let a = 1d; let b = a + a; let s = datetime(2024-01-01);\n",
            &[
                ("now() - 3d + 1d", days_ago(2)),
                ("2 * (1d + 12h)", Some(days(3))),
                ("3d / 3", Some(days(1))),
                ("3d / 1d", Some(Value::Real(3.0))),
                ("ago(lookback * 2)", days_ago(28)),
                ("now() - b", days_ago(2)),
                ("s - datetime(2023-12-01)", Some(days(31))),
                // A name without a binding does not fold; neither does a self-reference.
                ("ago(unknown)", None),
                ("x + 1d", None),
                // Mixed nonsense does not fold.
                ("now() * 2", None),
            ],
        );
    }

    #[test]
    fn in_body_let_shadows_outer() {
        let text = "let w = 1d; let f = () { let w = 5d; T | where Timestamp > ago(w) }; f()";
        let root = kql_syntax::parse(text).syntax();
        let call = root
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::CALL_EXPR)
            .find(|c| c.text() == "ago(w)")
            .unwrap();
        assert_eq!(
            fold(&call, now()),
            Some(Value::DateTime(now() - 5 * TICKS_PER_DAY))
        );
    }

    /// The node whose text is exactly `text` (the last one, innermost first).
    fn node(root: &SyntaxNode, text: &str) -> SyntaxNode {
        root.descendants()
            .filter(|n| n.text() == text)
            .last()
            .unwrap_or_else(|| panic!("no node {text}"))
    }

    #[test]
    fn parameters_fold_inside_a_call() {
        let text = "let lb = 1d; let f = (n: long, lb: timespan = 45d) { T | where Timestamp > ago(lb) }; f(1, 90d); f(2); f(n = 1, lb = 3d); f(7d)";
        let root = kql_syntax::parse(text).syntax();
        let ago = node(&root, "ago(lb)");
        let lambda = root
            .descendants()
            .find(|n| n.kind() == SyntaxKind::LAMBDA)
            .unwrap();
        let at = |call: &str| Call {
            lambda: lambda.clone(),
            call: node(&root, call),
            piped: false,
        };
        let back = |d: i64| Some(Value::DateTime(now() - d * TICKS_PER_DAY));
        // The argument, the default, a named argument; outside any call the parameter (which
        // shadows the outer `lb`) has no value.
        assert_eq!(
            fold_in(&ago, now(), &TreeNames, &[at("f(1, 90d)")]),
            back(90)
        );
        assert_eq!(fold_in(&ago, now(), &TreeNames, &[at("f(2)")]), back(45));
        assert_eq!(
            fold_in(&ago, now(), &TreeNames, &[at("f(n = 1, lb = 3d)")]),
            back(3)
        );
        assert_eq!(fold(&ago, now()), None);
        // `T | invoke f(7d)`: the piped table is the first parameter, `7d` the second.
        assert_eq!(fold_in(&ago, now(), &TreeNames, &[at("f(7d)")]), back(45));
        let piped = Call {
            piped: true,
            ..at("f(7d)")
        };
        assert_eq!(fold_in(&ago, now(), &TreeNames, &[piped]), back(7));
    }

    #[test]
    fn format_round_trip() {
        let t = parse_datetime("1969-07-20T20:17:40.5Z").unwrap();
        assert_eq!(format_datetime(t), "1969-07-20T20:17:40.5Z");
        assert_eq!(
            format_datetime(parse_datetime("2024-01-01").unwrap()),
            "2024-01-01T00:00:00Z"
        );
    }
}
