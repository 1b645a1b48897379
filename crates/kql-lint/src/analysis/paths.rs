//! The paths a read's rows take to a result: through pipelines, `let` names, `union`/`join` legs,
//! `materialize`, and user functions (into a function through a tabular argument or `invoke`, out
//! of it at the call). Each path carries the user-function calls it runs inside, so that a filter
//! in a function body folds its parameters to that call's arguments (`f(90d)`, or the default).
//!
//! Reads are the schema tables the model resolved, the tables a `union` wildcard (`Device*`, `*`)
//! matches, and `search`/`find` without `in (…)`, which read every table.

use kql_semantic::fold::Call;
use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::analysis::time::{
    ends_the_read, make_series_bounds, predicate_bounds, Bound, Consts, Interval, Reach,
};
use crate::checker::{call_name, is_tabular_position, Checker};
use crate::config::Settings;
use kql_diagnostics::TextRange;

/// Most call contexts followed for one read (a function called from many places).
const MAX_CONTEXTS: usize = 256;
/// Deepest chain of functions calling functions followed.
const MAX_CALL_DEPTH: u32 = 8;

/// The window every read starts with: the request's `Timespan` when the settings give one,
/// otherwise all time. The time rules and the editor's time-window hints both start here.
pub fn request_window(settings: &Settings) -> Interval {
    match &settings.timespan {
        Some((s, e, _)) => Interval {
            lo: Bound::At(*s, None),
            hi: Bound::At(*e, None),
        },
        None => Interval::ALL,
    }
}

/// A read of rows with a time column: the node that reads (a table name, a wildcard, a `search`),
/// the time column, and the interval along each path to a result (with the calls its ends were
/// set in).
pub type TimeRead = (SyntaxNode, String, Vec<Reach>);

/// Every read of rows with a time column in the text, with the intervals along each path.
///
/// A table whose time column is `Timestamp` also accepts `TimeGenerated`: Microsoft Sentinel
/// stores the same Defender tables with both, and hunting queries are shared between the two.
pub fn time_reads(cx: &Checker) -> Vec<TimeRead> {
    let init = request_window(cx.settings);
    let now = cx.settings.now;
    let mut out = Vec::new();
    let mut read = |node: &SyntaxNode, col: String, start: &SyntaxNode, init: Interval| {
        let mut cols = vec![col.clone()];
        if col == "Timestamp" {
            cols.push("TimeGenerated".to_string());
        }
        let paths = time_reaches(cx, start, &cols, now, init);
        out.push((node.clone(), col, paths));
    };
    // The names the model resolved to a table with a time column (not every `NAME_REF`: listing
    // those makes a red node for most of the tree).
    let mut last = None;
    for t in cx.model().table_reads() {
        if t.time_column.is_none() || last == Some(t.range) {
            continue;
        }
        last = Some(t.range);
        let Some(n) = cx.name_ref_at(t.range) else {
            continue;
        };
        let Some(col) = cx.table_read(&n).and_then(|t| t.time_column.as_ref()) else {
            continue;
        };
        if !is_tabular_position(&n) && !is_function_argument(cx, &n) {
            continue;
        }
        read(&n, col.clone(), &n, init);
    }
    for union in cx.nodes_slice(SyntaxKind::UNION_OP) {
        let items = union
            .children()
            .flat_map(|c| match c.kind() {
                SyntaxKind::NAME_LIST => c.children().collect(),
                _ => vec![c],
            })
            .filter(|c| c.kind() == SyntaxKind::WILDCARD_NAME);
        for w in items {
            let pattern: String = w.text().to_string().split_whitespace().collect();
            if let Some(col) = wildcard_time_column(cx, &pattern) {
                read(&w, col, &w, init);
            }
        }
    }
    for kind in [SyntaxKind::SEARCH_OP, SyntaxKind::FIND_OP] {
        for op in cx.nodes_slice(kind) {
            if reads_every_table(op) {
                // The predicate of `search`/`find` filters every table it reads.
                let mut first = init;
                for pred in op.children() {
                    first = first.and(predicate_bounds(&pred, &time_cols(), &consts(cx, &[])));
                }
                read(op, "Timestamp".to_string(), op, first);
            }
        }
    }
    out.sort_by_key(|(n, _, _)| n.text_range().start());
    out
}

fn time_cols() -> Vec<String> {
    vec!["Timestamp".to_string(), "TimeGenerated".to_string()]
}

fn consts<'a>(cx: &'a Checker, calls: &'a [Call]) -> Consts<'a> {
    Consts {
        model: cx.model(),
        now: cx.settings.now,
        calls,
    }
}

/// The time column of the tables `pattern` matches (when they share one; `Timestamp` in
/// Advanced Hunting). `None` when no matching table has one.
fn wildcard_time_column(cx: &Checker, pattern: &str) -> Option<String> {
    let mut cols = cx
        .schema
        .tables
        .values()
        .filter(|t| glob_match(pattern, &t.name))
        .filter_map(|t| t.time_column.clone());
    let first = cols.next()?;
    cols.all(|c| c == first).then_some(first)
}

/// Whether a glob such as `Device*` matches `name`.
fn glob_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return pattern == name;
    }
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(pos) => rest = &rest[pos + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// `search …`/`find …` as the source of its rows, without `in (…)`: it reads every table.
fn reads_every_table(op: &SyntaxNode) -> bool {
    let is_source = op.parent().is_some_and(|p| match p.kind() {
        SyntaxKind::PIPE_EXPR => p.first_child().as_ref() == Some(op),
        SyntaxKind::QUERY_STMT | SyntaxKind::PAREN_EXPR | SyntaxKind::LET_STMT => true,
        _ => false,
    });
    is_source && !op.children().any(|c| c.kind() == SyntaxKind::NAME_LIST)
}

/// A table passed as an argument of a user function (`g(DeviceProcessEvents)`).
fn is_function_argument(cx: &Checker, n: &SyntaxNode) -> bool {
    n.parent()
        .filter(|p| p.kind() == SyntaxKind::ARG_LIST)
        .and_then(|a| a.parent())
        .and_then(|c| c.first_child())
        .is_some_and(|callee| cx.model().called_function(&callee).is_some())
}

/// The intervals on `col` along every path the rows read at `start` take to a result, in every
/// call context of the functions `start` is inside. An empty list means the rows are never used.
pub fn time_paths(
    cx: &Checker,
    start: &SyntaxNode,
    col: &[String],
    now: i64,
    init: Interval,
) -> Vec<Interval> {
    time_reaches(cx, start, col, now, init)
        .into_iter()
        .map(|r| r.window)
        .collect()
}

/// [`time_paths`] with the call each end of an interval was set in.
pub fn time_reaches(
    cx: &Checker,
    start: &SyntaxNode,
    col: &[String],
    now: i64,
    init: Interval,
) -> Vec<Reach> {
    let mut out = Vec::new();
    let w = Walk { cx, col, now };
    for calls in contexts(cx, start, &[], 0) {
        w.walk(start.clone(), Reach::new(init), true, calls, 0, &mut out);
    }
    out
}

/// The call in the user's query that `calls` (outermost first) start at, when the `bounds` a
/// filter in a function's body gave depend on it (`ago(lookback)`): not when the body's filter
/// gives the same bounds in any call (`ago(60d)`), which belong at the filter.
fn user_call(
    calls: &[Call],
    bounds: Interval,
    uncalled: impl FnOnce() -> Interval,
) -> Option<TextRange> {
    let call = calls.first()?;
    (bounds != Interval::ALL && uncalled() != bounds).then(|| call.call.text_range())
}

/// The call stacks `node` runs in: one per call of each user function around it (that `base`
/// does not already place it in), outermost first.
fn contexts(cx: &Checker, node: &SyntaxNode, base: &[Call], depth: u32) -> Vec<Vec<Call>> {
    let lambda = node
        .ancestors()
        .find(|a| a.kind() == SyntaxKind::LAMBDA)
        .filter(|l| l.parent().is_some_and(|p| p.kind() == SyntaxKind::LET_STMT));
    let Some(lambda) = lambda else {
        return vec![base.to_vec()];
    };
    if depth > MAX_CALL_DEPTH || base.iter().any(|c| c.lambda == lambda) {
        return vec![base.to_vec()];
    }
    let stmt = lambda.parent().expect("a let");
    let mut out = Vec::new();
    for call in let_uses(cx, &stmt) {
        let piped = call
            .parent()
            .is_some_and(|p| p.kind() == SyntaxKind::INVOKE_OP);
        for mut ctx in contexts(cx, &call, base, depth + 1) {
            ctx.push(Call {
                lambda: lambda.clone(),
                call: call.clone(),
                piped,
            });
            if out.len() < MAX_CONTEXTS {
                out.push(ctx);
            }
        }
    }
    out
}

struct Walk<'c, 'a> {
    cx: &'c Checker<'a>,
    col: &'c [String],
    now: i64,
}

impl Walk<'_, '_> {
    fn consts<'k>(&'k self, calls: &'k [Call]) -> Consts<'k> {
        Consts {
            model: self.cx.model(),
            now: self.now,
            calls,
        }
    }

    /// Enters the function `call` calls through its tabular parameter `index`: the rows flow
    /// from each use of the parameter in the body (and out again at the call).
    #[allow(clippy::too_many_arguments)]
    fn enter(
        &self,
        call: &SyntaxNode,
        index: usize,
        piped: bool,
        acc: Reach,
        apply: bool,
        calls: &[Call],
        depth: u32,
        out: &mut Vec<Reach>,
    ) -> bool {
        let Some(callee) = call.first_child() else {
            return false;
        };
        let model = self.cx.model();
        let Some(lambda) = model.called_function(&callee) else {
            return false;
        };
        let param = lambda
            .children()
            .find(|c| c.kind() == SyntaxKind::PARAM_LIST)
            .and_then(|l| {
                l.children()
                    .filter(|c| c.kind() == SyntaxKind::PARAM)
                    .nth(index)
            });
        let Some(param) = param.filter(|p| p.children().any(|c| c.kind() == SyntaxKind::SCHEMA))
        else {
            return false;
        };
        let mut inner = calls.to_vec();
        inner.push(Call {
            lambda,
            call: call.clone(),
            piped,
        });
        for used in model.parameter_uses(&param) {
            for ctx in contexts(self.cx, &used, &inner, 0) {
                self.walk(used.clone(), acc, apply, ctx, depth + 1, out);
            }
        }
        true
    }

    fn walk(
        &self,
        mut cur: SyntaxNode,
        mut acc: Reach,
        mut apply: bool,
        mut calls: Vec<Call>,
        depth: u32,
        out: &mut Vec<Reach>,
    ) {
        if depth > 16 {
            out.push(acc);
            return;
        }
        let col = self.col;
        loop {
            let Some(parent) = cur.parent() else {
                out.push(acc);
                return;
            };
            match parent.kind() {
                SyntaxKind::PIPE_EXPR => {
                    // The rows flow through every operator after `cur` (the source, or an
                    // operator that reads another table: `union` passes those rows on, a join's
                    // right side passes them on unfiltered by later `where`s; or the `invoke`
                    // whose function they come out of).
                    let mut children = parent.children();
                    if children.next().as_ref() != Some(&cur) {
                        match cur.kind() {
                            SyntaxKind::UNION_OP | SyntaxKind::INVOKE_OP => {}
                            SyntaxKind::JOIN_OP | SyntaxKind::LOOKUP_OP => apply = false,
                            _ => {
                                out.push(acc);
                                return;
                            }
                        }
                        children.find(|c| *c == cur);
                    }
                    if apply {
                        for op in children {
                            match op.kind() {
                                SyntaxKind::WHERE_OP | SyntaxKind::SEARCH_OP => {
                                    let k = self.consts(&calls);
                                    let k0 = self.consts(&[]);
                                    for pred in op.children() {
                                        let b = predicate_bounds(&pred, col, &k);
                                        let call = user_call(&calls, b, || {
                                            predicate_bounds(&pred, col, &k0)
                                        });
                                        acc = acc.and(b, call);
                                    }
                                }
                                SyntaxKind::MAKE_SERIES_OP => {
                                    let b = make_series_bounds(&op, col, &self.consts(&calls));
                                    let call = user_call(&calls, b, || {
                                        make_series_bounds(&op, col, &self.consts(&[]))
                                    });
                                    acc = acc.and(b, call);
                                    apply = false;
                                    break;
                                }
                                // `T | invoke f()`: the rows go through `f`'s body.
                                SyntaxKind::INVOKE_OP => {
                                    let call =
                                        op.children().find(|c| c.kind() == SyntaxKind::CALL_EXPR);
                                    if let Some(call) = call {
                                        if self
                                            .enter(&call, 0, true, acc, apply, &calls, depth, out)
                                        {
                                            return;
                                        }
                                    }
                                }
                                kind if ends_the_read(kind) => {
                                    apply = false;
                                    break;
                                }
                                _ => {}
                            }
                        }
                    }
                }
                // `search in (T1, T2) predicate` / `find in (…) where predicate`: the predicate
                // filters every table listed, and the rows flow on as the pipeline's source.
                SyntaxKind::SEARCH_OP | SyntaxKind::FIND_OP => {
                    if apply {
                        let k = self.consts(&calls);
                        for pred in parent
                            .children()
                            .filter(|c| c.kind() != SyntaxKind::NAME_LIST)
                        {
                            let b = predicate_bounds(&pred, col, &k);
                            let call = user_call(&calls, b, || {
                                predicate_bounds(&pred, col, &self.consts(&[]))
                            });
                            acc = acc.and(b, call);
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
                    let call = parent.parent().expect("a call");
                    if call_name(&call).as_deref() == Some("materialize") {
                        cur = call;
                        continue;
                    }
                    // A table passed to a user function's tabular parameter.
                    let index = parent.children().position(|c| c == cur).unwrap_or(0);
                    let piped = call
                        .parent()
                        .is_some_and(|p| p.kind() == SyntaxKind::INVOKE_OP);
                    let index = index + usize::from(piped);
                    if !self.enter(&call, index, piped, acc, apply, &calls, depth, out) {
                        out.push(acc);
                    }
                    return;
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
                    let value = ast::LetStmt::cast(parent.clone()).and_then(|l| l.value());
                    let lambda = value.filter(|v| v.kind() == SyntaxKind::LAMBDA);
                    // Out of a function body: back to the call the path came in by.
                    if let Some(at) = lambda.and_then(|l| calls.iter().rposition(|c| c.lambda == l))
                    {
                        let call = calls[at].clone();
                        calls.truncate(at);
                        cur = match call.call.parent() {
                            Some(p) if p.kind() == SyntaxKind::INVOKE_OP => p,
                            _ => call.call,
                        };
                        continue;
                    }
                    for use_node in let_uses(self.cx, &parent) {
                        for ctx in contexts(self.cx, &use_node, &calls, 0) {
                            self.walk(use_node.clone(), acc, apply, ctx, depth + 1, out);
                        }
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
