//! Tabular operators: what follows a `|`, and the operators that can start a query (`union`,
//! `print`, `range`, `datatable`, ...). One function per operator; shared shapes (parameter lists,
//! name lists, `by` clauses, sort keys) are small helpers.

use super::expressions::{assignment_list, assignment_or_expr, expr, postfix, scalar_expr};
use super::names::{is_reserved_assignment_target, name, name_ref};
use super::parameters::{operator_params, property_list};
use super::statements::body_statements;
use super::types::{column_decl, schema_or_type};
use super::{at_operator_end, Parser};
use crate::parser::CompletedMarker;
use crate::token_input::{any_word, glued};
use crate::SyntaxKind::{self, *};
use nom::Parser as _;

/// Parameters that any operator may take via `hint.` are handled separately; these are the named
/// ones per operator.
const JOIN_PARAMS: &[&str] = &["kind", "withsource"];
const UNION_PARAMS: &[&str] = &["kind", "withsource", "isfuzzy"];
const MV_EXPAND_PARAMS: &[&str] = &["bagexpansion", "with_itemindex", "kind"];
const PARSE_PARAMS: &[&str] = &["kind", "flags"];
const SEARCH_PARAMS: &[&str] = &["kind", "withsource"];
const MAKE_SERIES_PARAMS: &[&str] = &["kind"];
const REDUCE_PARAMS: &[&str] = &["kind"];
const GRAPH_PARAMS: &[&str] = &[
    "cycles",
    "output",
    "kind",
    "with_node_id",
    "with_component_id",
    "with_step_name",
];
const SCAN_PARAMS: &[&str] = &["with_match_id"];
const NO_PARAMS: &[&str] = &[];

/// Operators that can begin a query without a table before them.
pub(crate) fn at_source_operator(p: &Parser<'_>) -> bool {
    match p.nth_text(0) {
        "union"
        | "print"
        | "datatable"
        | "externaldata"
        | "external_data"
        | "search"
        | "find"
        | "evaluate"
        | "macro-expand"
        | "inline_external_table" => !matches!(p.nth(1), EQ | EQ2 | COMMA | R_PAREN | DOT | PIPE),
        "range" => p.nth_at(1, IDENT) && p.nth_is_word(2, "from"),
        _ => false,
    }
}

pub(crate) fn source_operator(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    operator_by_word(p)
}

/// The operator after a `|`.
pub(crate) fn tabular_operator(p: &mut Parser<'_>) {
    if operator_by_word(p).is_some() {
        return;
    }
    let m = p.start();
    if p.at(IDENT) {
        let w = p.nth_text(0).to_string();
        p.recover_until(format!("unknown tabular operator `{w}`"), at_operator_end);
    } else {
        p.missing(IDENT, "a tabular operator after `|`");
    }
    m.complete(p, UNKNOWN_OP);
}

/// Parses the operator named by the current word, if it is one.
fn operator_by_word(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    if !p.at(IDENT) {
        return None;
    }
    let w = p.nth_text(0);
    let kind = match w {
        "where" | "filter" => return Some(where_op(p)),
        "extend" => return Some(simple(p, EXTEND_OP, NO_PARAMS, |p| list(p, &[]))),
        // `project` with no columns is accepted by Kusto (`extend` with none is not).
        "project" => {
            return Some(simple(p, PROJECT_OP, NO_PARAMS, |p| {
                assignment_list(p, &[]);
            }))
        }
        "project-away" => PROJECT_AWAY_OP,
        "project-keep" => PROJECT_KEEP_OP,
        "project-reorder" => PROJECT_REORDER_OP,
        "project-rename" => return Some(simple(p, PROJECT_RENAME_OP, NO_PARAMS, |p| list(p, &[]))),
        "project-by-names" => PROJECT_BY_NAMES_OP,
        "project-smart" => PROJECT_SMART_OP,
        "summarize" => return Some(summarize(p)),
        "count" => return Some(simple(p, COUNT_OP, NO_PARAMS, |_| {})),
        "take" | "limit" => return Some(simple(p, TAKE_OP, NO_PARAMS, expect_expr)),
        "top" => return Some(top(p)),
        "top-nested" => return Some(top_nested(p)),
        "top-hitters" => return Some(top_hitters(p)),
        "order" | "sort" => return Some(order(p)),
        "distinct" => {
            return Some(simple(p, DISTINCT_OP, NO_PARAMS, |p| {
                if p.at(STAR) {
                    let s = p.start();
                    p.bump_any();
                    s.complete(p, STAR_EXPR);
                } else {
                    list(p, &[]);
                }
            }))
        }
        "join" => return Some(join(p, JOIN_OP)),
        "lookup" => return Some(join(p, LOOKUP_OP)),
        "union" => return Some(union(p)),
        "mv-expand" | "mvexpand" => return Some(mv_expand(p, MV_EXPAND_OP)),
        "mv-apply" | "mvapply" => return Some(mv_expand(p, MV_APPLY_OP)),
        "parse" => return Some(parse_op(p, PARSE_OP)),
        "parse-where" => return Some(parse_op(p, PARSE_WHERE_OP)),
        "parse-kv" => return Some(parse_kv(p)),
        "evaluate" => {
            return Some(simple(p, EVALUATE_OP, NO_PARAMS, |p| {
                expect_call(p, "a plugin call such as `bag_unpack(Column)`");
                // `evaluate plugin(...) : (schema)` declares the plugin's output columns.
                if p.eat(COLON) {
                    schema_or_type(p);
                }
            }));
        }
        "invoke" => {
            return Some(simple(p, INVOKE_OP, NO_PARAMS, |p| {
                expect_call(p, "a function call");
            }))
        }
        "render" => return Some(render(p)),
        "as" => {
            return Some(simple(p, AS_OP, NO_PARAMS, |p| {
                name(p);
            }))
        }
        "getschema" => return Some(simple(p, GETSCHEMA_OP, NO_PARAMS, |_| {})),
        "serialize" => {
            return Some(simple(p, SERIALIZE_OP, NO_PARAMS, |p| {
                assignment_list(p, &[]);
            }))
        }
        "consume" => return Some(simple(p, CONSUME_OP, NO_PARAMS, |_| {})),
        "sample" => return Some(simple(p, SAMPLE_OP, NO_PARAMS, expect_expr)),
        "sample-distinct" => return Some(sample_distinct(p)),
        "make-series" => return Some(make_series(p)),
        "print" => return Some(simple(p, PRINT_OP, NO_PARAMS, |p| list(p, &[]))),
        "range" => return Some(range(p)),
        "datatable" => return Some(datatable(p)),
        "externaldata" | "external_data" => return Some(externaldata(p)),
        "search" => return Some(search(p)),
        "find" => return Some(find(p)),
        "facet" => return Some(facet(p)),
        "fork" => return Some(fork(p)),
        "partition" => return Some(partition(p)),
        "reduce" => return Some(reduce(p)),
        "scan" => return Some(scan(p)),
        "graph-match" => return Some(graph_match(p, GRAPH_MATCH_OP)),
        "graph-shortest-paths" => return Some(graph_match(p, GRAPH_SHORTEST_PATHS_OP)),
        "make-graph" => return Some(make_graph(p)),
        "graph-to-table" => return Some(lenient(p, GRAPH_TO_TABLE_OP, GRAPH_PARAMS)),
        "graph-mark-components" => return Some(lenient(p, GRAPH_MARK_COMPONENTS_OP, GRAPH_PARAMS)),
        "graph-merge" => return Some(lenient(p, GRAPH_MERGE_OP, GRAPH_PARAMS)),
        "macro-expand" => return Some(lenient(p, MACRO_EXPAND_OP, NO_PARAMS)),
        "inline_external_table" => return Some(lenient(p, EXTERNALDATA_OP, NO_PARAMS)),
        "assert-schema" => return Some(lenient(p, ASSERT_SCHEMA_OP, NO_PARAMS)),
        "execute-and-cache" => return Some(lenient(p, EXECUTE_AND_CACHE_OP, NO_PARAMS)),
        _ => return None,
    };
    Some(simple(p, kind, NO_PARAMS, name_list))
}

/// `keyword [params] body`.
fn simple(
    p: &mut Parser<'_>,
    kind: SyntaxKind,
    params: &[&str],
    body: impl FnOnce(&mut Parser<'_>),
) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, params);
    body(p);
    m.complete(p, kind)
}

/// A function call (the operand of `evaluate` and `invoke`).
fn expect_call(p: &mut Parser<'_>, what: &str) {
    if !p.at(IDENT) {
        let found = p.found_description();
        let range = p.missing_range();
        p.push_error("KQL001", format!("expected {what}, found {found}"), range);
        return;
    }
    match super::expressions::arithmetic_expr(p) {
        Some(c) if c.kind() == CALL_EXPR => {}
        _ => {
            let range = p.missing_range();
            p.push_error("KQL001", format!("expected {what}"), range);
        }
    }
}

/// `where predicate`. Kusto also takes a single `=` as equality here, at the top of the
/// predicate only (`where a = 1` parses, `where a = 1 and b = 2` does not).
fn where_op(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    p.allow_star = true;
    let lhs = scalar_expr(p);
    p.allow_star = false;
    if let Some(lhs) = lhs {
        // Only a plain operand may stand before the single `=` (`a or b = c` is an error).
        if p.at(EQ) && !matches!(lhs.kind(), BIN_EXPR | IN_EXPR | BETWEEN_EXPR) {
            let b = lhs.precede(p);
            p.bump_any();
            expect_expr(p);
            b.complete(p, BIN_EXPR);
        }
    } else {
        let found = p.found_description();
        let range = p.missing_range();
        p.push_error(
            "KQL001",
            format!("expected an expression, found {found}"),
            range,
        );
    }
    m.complete(p, WHERE_OP)
}

fn expect_expr(p: &mut Parser<'_>) {
    if scalar_expr(p).is_none() {
        let found = p.found_description();
        p.missing(NAME_REF, &format!("an expression (found {found})"));
        p.diagnostics.pop();
        let range = p.missing_range();
        p.push_error(
            "KQL001",
            format!("expected an expression, found {found}"),
            range,
        );
    }
}

fn list(p: &mut Parser<'_>, stop_words: &[&str]) {
    if assignment_list(p, stop_words) == 0 && !p.at_any_word(stop_words) {
        let found = p.found_description();
        let range = p.missing_range();
        p.push_error(
            "KQL001",
            format!("expected an expression, found {found}"),
            range,
        );
    }
}

/// Column names with wildcards: `project-away a, b*, ['c d']`.
fn name_list(p: &mut Parser<'_>) {
    let m = p.start();
    loop {
        if at_operator_end(p) {
            break;
        }
        let before = p.position();
        wildcard_name_or_expr(p);
        // `project-reorder a asc, b desc`
        if p.at_any_word(&["asc", "desc", "granny-asc", "granny-desc"]) {
            p.bump_any();
        }
        if !p.eat(COMMA) || p.position() == before {
            break;
        }
        if at_operator_end(p) {
            p.missing(NAME_REF, "a name after `,`");
        }
    }
    m.complete(p, NAME_LIST);
}

/// `Device*`, `*Events`, `*`, or an ordinary expression (names, calls, `(subquery)`).
fn wildcard_name_or_expr(p: &mut Parser<'_>) {
    let starts_wild = p.at(STAR) || p.lookahead(|i| (any_word, glued(STAR)).parse(i)).is_some();
    if starts_wild {
        let m = p.start();
        // A wildcard pattern is a run of glued words and stars.
        p.bump_any();
        while matches!(p.current(), STAR | IDENT | INT_LITERAL) && p.nth_glued(0) {
            p.bump_any();
        }
        m.complete(p, WILDCARD_NAME);
        return;
    }
    if postfix(p).is_none() {
        let found = p.found_description();
        p.recover_until(format!("expected a name, found {found}"), |p| {
            at_operator_end(p) || p.at(COMMA)
        });
    }
}

fn by_clause(p: &mut Parser<'_>, stop_words: &[&str]) {
    let m = p.start();
    p.bump_any(); // by
    list(p, stop_words);
    m.complete(p, BY_CLAUSE);
}

/// `summarize [hint...] aggs [by keys]`.
fn summarize(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, NO_PARAMS);
    if !p.at_word("by") {
        assignment_list(p, &["by"]);
    }
    if p.at_word("by") {
        by_clause(p, &[]);
    }
    m.complete(p, SUMMARIZE_OP)
}

/// `expr [asc|desc] [nulls first|last]`, comma separated.
fn sort_keys(p: &mut Parser<'_>) {
    p.comma_separated(None, |p| {
        let m = p.start();
        expect_expr(p);
        sort_modifiers(p);
        m.complete(p, SORT_KEY);
    });
}

fn sort_modifiers(p: &mut Parser<'_>) {
    if p.at_any_word(&["asc", "desc"]) {
        p.bump_any();
    }
    if p.eat_word("nulls") && !p.at_any_word(&["first", "last"]) {
        p.missing(IDENT, "`first` or `last`");
    } else if p.at_any_word(&["first", "last"]) {
        p.bump_any();
    }
}

fn order(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, NO_PARAMS);
    p.expect_word("by");
    sort_keys(p);
    m.complete(p, ORDER_OP)
}

/// `top 10 by x desc`.
fn top(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, NO_PARAMS);
    expect_expr(p);
    p.expect_word("by");
    sort_keys(p);
    m.complete(p, TOP_OP)
}

/// `top-nested 3 of a [with others = x] by agg desc, top-nested ...`.
fn top_nested(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    loop {
        let c = p.start();
        if !p.eat_word("top-nested") {
            p.missing(IDENT, "`top-nested`");
        }
        if !p.at_word("of") {
            expect_expr(p);
        }
        p.expect_word("of");
        assignment_or_expr(p);
        if p.eat_word("with") {
            p.expect_word("others");
            p.expect(EQ, "`=`");
            expect_expr(p);
        }
        p.expect_word("by");
        assignment_or_expr(p);
        sort_modifiers(p);
        c.complete(p, TOP_NESTED_CLAUSE);
        if !p.eat(COMMA) {
            break;
        }
    }
    m.complete(p, TOP_NESTED_OP)
}

/// `top-hitters 10 of x [by y]`.
fn top_hitters(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    expect_expr(p);
    p.expect_word("of");
    expect_expr(p);
    if p.eat_word("by") {
        expect_expr(p);
    }
    m.complete(p, TOP_HITTERS_OP)
}

/// `sample-distinct 10 of x`.
fn sample_distinct(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, NO_PARAMS);
    expect_expr(p);
    p.expect_word("of");
    expect_expr(p);
    m.complete(p, SAMPLE_DISTINCT_OP)
}

/// `join kind=inner (T | ...) on a, $left.b == $right.c` and `lookup`.
fn join(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, JOIN_PARAMS);
    // The right side is a single tabular term; the pipe after it belongs to the outer query.
    if postfix(p).is_none() {
        p.missing(NAME_REF, "the table to join with");
    }
    if p.at_word("on") {
        let on = p.start();
        p.bump_any();
        list(p, &[]);
        on.complete(p, ON_CLAUSE);
    } else if p.at_word("where") {
        let on = p.start();
        p.bump_any();
        expect_expr(p);
        on.complete(p, ON_CLAUSE);
    }
    m.complete(p, kind)
}

/// `union [kind=outer] [withsource=T] A, B*, (C | where x)`.
fn union(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, UNION_PARAMS);
    let legs = p.start();
    loop {
        if at_operator_end(p) {
            p.missing(NAME_REF, "a table to union");
            break;
        }
        let before = p.position();
        wildcard_name_or_expr(p);
        if !p.eat(COMMA) || p.position() == before {
            break;
        }
    }
    legs.complete(p, NAME_LIST);
    m.complete(p, UNION_OP)
}

/// `mv-expand [params] a [to typeof(t)], b = c, ... [limit n]` and `mv-apply ... on (subquery)`.
fn mv_expand(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, MV_EXPAND_PARAMS);
    p.comma_separated(None, |p| {
        if !assignment_or_expr(p) {
            let found = p.found_description();
            p.recover_until(format!("expected a column to expand, found {found}"), |p| {
                at_operator_end(p) || p.at(COMMA)
            });
        }
        if p.at_word("to") {
            let t = p.start();
            p.bump_any();
            if p.at_word("typeof") {
                postfix(p);
            } else {
                p.missing(TYPEOF_EXPR, "`typeof(...)`");
            }
            t.complete(p, TO_TYPEOF);
        }
    });
    if p.eat_word("limit") {
        expect_expr(p);
    }
    if kind == MV_APPLY_OP {
        operator_params(p, MV_EXPAND_PARAMS);
        if p.expect_word("on") {
            subquery_in_parens(p);
        }
    }
    m.complete(p, kind)
}

/// `( operator | operator ... )` — a pipeline whose input is implied (mv-apply, facet, fork,
/// partition), or an ordinary tabular expression.
fn subquery_in_parens(p: &mut Parser<'_>) {
    let m = p.start();
    let open = p.current_range();
    if !p.expect(L_PAREN, "`(`") {
        m.complete(p, SUBQUERY);
        return;
    }
    contextual_pipeline(p);
    p.expect_closing(R_PAREN, open);
    m.complete(p, SUBQUERY);
}

pub(crate) fn contextual_pipeline(p: &mut Parser<'_>) {
    if !p.enter() {
        p.skip_rest();
        return;
    }
    if p.at(IDENT) && is_operator_word(p.nth_text(0)) {
        let m = p.start();
        let mut first = Some(p.start());
        loop {
            tabular_operator(p);
            if let Some(f) = first.take() {
                f.abandon(p);
            }
            if !p.eat(PIPE) {
                break;
            }
        }
        m.complete(p, PIPE_EXPR);
    } else if expr(p).is_none() {
        p.missing(NAME_REF, "a subquery");
    }
    p.exit();
}

pub(crate) fn is_operator_word(w: &str) -> bool {
    matches!(
        w,
        "where"
            | "filter"
            | "extend"
            | "project"
            | "project-away"
            | "project-keep"
            | "project-rename"
            | "project-reorder"
            | "summarize"
            | "count"
            | "take"
            | "limit"
            | "top"
            | "top-nested"
            | "order"
            | "sort"
            | "distinct"
            | "mv-expand"
            | "mv-apply"
            | "parse"
            | "parse-where"
            | "serialize"
            | "sample"
            | "as"
            | "make-series"
            | "join"
            | "lookup"
            | "union"
            | "evaluate"
            | "invoke"
            | "getschema"
            | "render"
            | "top-hitters"
            | "sample-distinct"
            | "scan"
            | "project-smart"
            | "project-by-names"
            | "parse-kv"
            | "graph-match"
            | "graph-shortest-paths"
            | "make-graph"
            | "graph-to-table"
            | "graph-mark-components"
            | "facet"
            | "fork"
            | "partition"
            | "reduce"
            | "consume"
    )
}

/// `parse [kind=regex] [flags=U] expr with "prefix" name:type * ...`.
fn parse_op(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, PARSE_PARAMS);
    expect_expr(p);
    p.expect_word("with");
    let pat = p.start();
    let mut any = false;
    while !at_operator_end(p) {
        // Names may follow one another (`with a b c`) and most keywords are names here
        // (`with * "x" ip where *`), but a reserved word such as `project` ends the pattern.
        if p.at(IDENT) && is_reserved_assignment_target(p.nth_text(0)) {
            break;
        }
        match p.current() {
            STRING_LITERAL | STAR => p.bump_any(),
            IDENT => {
                if p.nth_at(1, COLON) {
                    column_decl(p);
                } else {
                    name(p);
                }
            }
            L_BRACK if p.nth_at(1, STRING_LITERAL) => {
                if p.nth_at(3, COLON) {
                    column_decl(p);
                } else {
                    name(p);
                }
            }
            COMMA => p.bump_any(),
            _ => {
                let found = p.found_description();
                p.err_and_bump(format!("unexpected {found} in a parse pattern"));
            }
        }
        any = true;
    }
    if !any {
        p.missing(STRING_LITERAL, "a parse pattern after `with`");
    }
    pat.complete(p, PARSE_PATTERN);
    m.complete(p, kind)
}

/// `parse-kv expr as (a:string, b:long) with (pair_delimiter=",", kv_delimiter="=")`.
fn parse_kv(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    expect_expr(p);
    p.expect_word("as");
    schema_or_type(p);
    if p.at_word("with") {
        with_clause(p, None);
    }
    m.complete(p, PARSE_KV_OP)
}

/// `with (name = value, ...)`; with `known` (the operator and its property names), only those.
fn with_clause(p: &mut Parser<'_>, known: Option<(&str, &[&str])>) {
    let m = p.start();
    p.bump_any(); // with
    if p.at(L_PAREN) {
        property_list(p, known);
    } else {
        p.missing(ARG_LIST, "`(` after `with`");
    }
    m.complete(p, WITH_CLAUSE);
}

/// `render timechart [with (title="x", ...)]`; legacy `render chart kind=stacked` properties too.
fn render(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    name(p);
    while p.at(IDENT) && p.nth_at(1, EQ) {
        let prop = p.start();
        p.bump_any();
        p.bump_any();
        expect_expr(p);
        prop.complete(p, OPERATOR_PARAM);
    }
    if p.at_word("with") {
        with_clause(p, Some(("render", RENDER_PROPERTIES)));
    }
    m.complete(p, RENDER_OP)
}

/// The properties `render ... with (...)` knows; Kusto rejects any other name.
const RENDER_PROPERTIES: &[&str] = &[
    "accumulate",
    "anomalycolumns",
    "kind",
    "legend",
    "series",
    "title",
    "xaxis",
    "xcolumn",
    "xtitle",
    "yaxis",
    "ycolumns",
    "ymax",
    "ymin",
    "ysplit",
    "ytitle",
];

/// `make-series [kind=nonempty] aggs on axis [from a] [to b] step s [by keys]`.
fn make_series(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, MAKE_SERIES_PARAMS);
    p.comma_separated(None, |p| {
        if !assignment_or_expr(p) {
            p.missing(NAME_REF, "an aggregation");
        }
        if p.eat_word("default") {
            p.expect(EQ, "`=`");
            expect_expr(p);
        }
    });
    p.expect_word("on");
    if super::expressions::arithmetic_expr(p).is_none() {
        p.missing(NAME_REF, "the axis column");
    }
    if p.eat_word("in") {
        expect_expr(p);
    } else {
        if p.eat_word("from") {
            expect_expr(p);
        }
        if p.eat_word("to") {
            expect_expr(p);
        }
        if p.expect_word("step") {
            expect_expr(p);
        }
    }
    if p.at_word("by") {
        by_clause(p, &[]);
    }
    m.complete(p, MAKE_SERIES_OP)
}

/// `range x from 1 to 10 step 1`.
fn range(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    name(p);
    p.expect_word("from");
    expect_expr(p);
    p.expect_word("to");
    expect_expr(p);
    p.expect_word("step");
    expect_expr(p);
    m.complete(p, RANGE_OP)
}

/// `datatable (a:string, b:long) ["x", 1, "y", 2]`.
fn datatable(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, NO_PARAMS);
    schema_or_type(p);
    bracketed_values(p);
    m.complete(p, DATATABLE_OP)
}

fn bracketed_values(p: &mut Parser<'_>) {
    let l = p.start();
    let open = p.current_range();
    if p.expect(L_BRACK, "`[` and the values") {
        // Kusto tolerates a comma before the first value.
        p.eat(COMMA);
        // Only constants are allowed here (literals, signed numbers, `dynamic(...)`).
        p.comma_separated(Some(R_BRACK), |p| {
            super::expressions::json_value(p);
            if !matches!(p.current(), COMMA | R_BRACK) {
                let found = p.found_description();
                p.recover_until(
                    format!("expected `,` or `]` after a value, found {found}"),
                    |p| matches!(p.current(), COMMA | R_BRACK | PIPE | SEMICOLON),
                );
            }
        });
        p.expect_closing(R_BRACK, open);
    }
    l.complete(p, LIST_EXPR);
}

/// `externaldata (a:string) ["https://..."] [with (format="csv")]`.
fn externaldata(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, NO_PARAMS);
    schema_or_type(p);
    bracketed_values(p);
    if p.at_word("with") {
        with_clause(p, None);
    }
    m.complete(p, EXTERNALDATA_OP)
}

/// `in (T1, T2*)` of `search` and `find`.
fn in_tables(p: &mut Parser<'_>) {
    if p.at_word("in") && p.nth_at(1, L_PAREN) {
        p.bump_any();
        paren_table_list(p);
    }
}

/// `(T1, T2*, database("d").*)`: tables named with wildcards (also `restrict access to`).
pub(crate) fn paren_table_list(p: &mut Parser<'_>) {
    let m = p.start();
    let open = p.current_range();
    p.bump_any();
    p.comma_separated(Some(R_PAREN), wildcard_name_or_expr);
    p.expect_closing(R_PAREN, open);
    m.complete(p, NAME_LIST);
}

/// `search [kind=case_sensitive] [in (T)] predicate`.
fn search(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, SEARCH_PARAMS);
    in_tables(p);
    p.allow_star = true;
    expect_expr(p);
    p.allow_star = false;
    m.complete(p, SEARCH_OP)
}

/// `find [withsource=T] [in (A, B)] where predicate [project-smart | project a, b]`.
fn find(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, SEARCH_PARAMS);
    in_tables(p);
    p.eat_word("where");
    p.allow_star = true;
    expect_expr(p);
    p.allow_star = false;
    if p.at_word("project-smart") {
        p.bump_any();
    } else if p.at_word("project") || p.at_word("project-away") {
        // `find ... project a, b:string`: column names with optional types, not expressions.
        p.bump_any();
        let l = p.start();
        loop {
            super::names::check_not_reserved(p);
            if p.nth_at(1, COLON) {
                column_decl(p);
            } else {
                name(p);
            }
            if !p.eat(COMMA) {
                break;
            }
        }
        l.complete(p, NAME_LIST);
    }
    m.complete(p, FIND_OP)
}

/// `facet by a, b [with (top 3) | with operator]`.
fn facet(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    p.expect_word("by");
    name_list(p);
    if p.eat_word("with") {
        if p.at(L_PAREN) {
            subquery_in_parens(p);
        } else {
            tabular_operator(p);
        }
    }
    m.complete(p, FACET_OP)
}

/// `fork (where a) (summarize count()) [name = (...)]`.
fn fork(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    let mut any = false;
    while p.at(L_PAREN) || (p.at(IDENT) && p.nth_at(1, EQ)) {
        if p.at(IDENT) {
            name(p);
            p.bump_any();
        }
        subquery_in_parens(p);
        any = true;
    }
    if !any {
        p.missing(SUBQUERY, "a subquery in parentheses");
    }
    m.complete(p, FORK_OP)
}

/// `partition [hint.strategy=native] by key (subquery)` or `{ query }`.
fn partition(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, NO_PARAMS);
    p.expect_word("by");
    // The key is a column; a `(` after it starts the subquery, not a call.
    name_ref(p);
    operator_params(p, NO_PARAMS);
    if p.at(L_PAREN) {
        subquery_in_parens(p);
    } else if p.at(L_CURLY) {
        let s = p.start();
        let open = p.current_range();
        p.bump_any();
        if p.enter() {
            body_statements(p);
            p.exit();
        }
        p.expect_closing(R_CURLY, open);
        s.complete(p, SUBQUERY);
    } else {
        p.missing(SUBQUERY, "a subquery in `(...)` or `{...}`");
    }
    m.complete(p, PARTITION_OP)
}

/// `reduce [kind=source] by expr [with threshold=0.1, characters=","]`.
fn reduce(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, REDUCE_PARAMS);
    p.expect_word("by");
    expect_expr(p);
    if p.eat_word("with") {
        list(p, &[]);
    }
    m.complete(p, REDUCE_OP)
}

/// `scan [with_match_id=id] [order by x] [partition by y] [declare (a:long)] with (step s: pred => a = 1; ...)`.
fn scan(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, SCAN_PARAMS);
    if p.at_word("order") && p.nth_is_word(1, "by") {
        p.bump_any();
        p.bump_any();
        sort_keys(p);
    }
    if p.at_word("partition") && p.nth_is_word(1, "by") {
        p.bump_any();
        p.bump_any();
        list(p, &["declare", "with"]);
    }
    if p.eat_word("declare") {
        super::parameters::param_list(p);
    }
    p.expect_word("with");
    let open = p.current_range();
    if p.expect(L_PAREN, "`(`") {
        while p.at_word("step") {
            let s = p.start();
            p.bump_any();
            name(p);
            operator_params(p, &["output"]);
            p.expect(COLON, "`:`");
            expect_expr(p);
            if p.eat(FAT_ARROW) {
                list(p, &[]);
            }
            s.complete(p, SCAN_STEP);
            if !p.eat(SEMICOLON) {
                break;
            }
        }
        p.expect_closing(R_PAREN, open);
    }
    m.complete(p, SCAN_OP)
}

/// `graph-match [cycles=none] (a)-[e]->(b), ... [where pred] [project cols]`.
fn graph_match(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, GRAPH_PARAMS);
    loop {
        graph_pattern(p);
        if !p.eat(COMMA) {
            break;
        }
    }
    if p.eat_word("where") {
        expect_expr(p);
    }
    if p.eat_word("project") {
        list(p, &[]);
    }
    m.complete(p, kind)
}

/// `(a)-[e*1..3]->(b)<--(c)`: nodes joined by edges.
fn graph_pattern(p: &mut Parser<'_>) {
    let pat = p.start();
    graph_node(p);
    while matches!(p.current(), MINUS | LT) {
        graph_edge(p);
        graph_node(p);
    }
    pat.complete(p, GRAPH_PATTERN);
}

fn graph_node(p: &mut Parser<'_>) {
    let node = p.start();
    let open = p.current_range();
    if p.expect(L_PAREN, "`(` to start a graph node") {
        if p.at(IDENT) {
            name(p);
        }
        p.expect_closing(R_PAREN, open);
    }
    node.complete(p, GRAPH_NODE);
}

/// `--`, `-->`, `<--`, `-[e]-`, `-[e]->`, `<-[e]-`, with `[e*1..3]` ranges; tokens glued.
fn graph_edge(p: &mut Parser<'_>) {
    let edge = p.start();
    if p.eat(LT) {
        if !glued_minus(p) {
            edge.complete(p, GRAPH_EDGE);
            return;
        }
    } else {
        p.bump_any(); // `-`
    }
    if p.at(L_BRACK) && p.nth_glued(0) {
        let open = p.current_range();
        p.bump_any();
        if p.at(IDENT) {
            name(p);
        }
        if p.eat(STAR) {
            hop_count(p);
            if p.eat(DOT2) {
                hop_count(p);
            }
        }
        p.expect_closing(R_BRACK, open);
    }
    if glued_minus(p) && p.at(GT) && p.nth_glued(0) {
        p.bump_any();
    }
    edge.complete(p, GRAPH_EDGE);
}

/// A path length in `[e*1..3]`: a number or a `let` name.
fn hop_count(p: &mut Parser<'_>) {
    if p.at(IDENT) {
        name_ref(p);
    } else {
        p.expect(INT_LITERAL, "a hop count");
    }
}

/// Consumes a `-` glued to the previous token, reporting it when absent.
fn glued_minus(p: &mut Parser<'_>) -> bool {
    if p.at(MINUS) && p.nth_glued(0) {
        p.bump_any();
        return true;
    }
    p.missing(MINUS, "`-` to continue the graph edge");
    false
}

/// `make-graph src --> dst [with nodes on key]`.
fn make_graph(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, GRAPH_PARAMS);
    expect_expr_no_arrows(p);
    if p.eat(MINUS) && glued_minus(p) {
        if p.at(GT) && p.nth_glued(0) {
            p.bump_any();
        }
    } else {
        p.missing(MINUS, "`-->` or `--`");
    }
    expect_expr_no_arrows(p);
    // `with nodes on key`, `partitioned-by key (subquery)`: kept as a balanced token run.
    let rest = p.start();
    let mut depth = 0u32;
    while !p.at_eof() && (depth > 0 || !at_operator_end(p)) {
        match p.current() {
            L_PAREN | L_BRACK | L_CURLY => depth += 1,
            R_PAREN | R_BRACK | R_CURLY => depth = depth.saturating_sub(1),
            _ => {}
        }
        p.bump_any();
    }
    rest.complete(p, WITH_CLAUSE);
    m.complete(p, MAKE_GRAPH_OP)
}

/// A column before or after the `-->` of `make-graph` (stops before `-`).
fn expect_expr_no_arrows(p: &mut Parser<'_>) {
    if postfix(p).is_none() {
        p.missing(NAME_REF, "a column");
    }
}

/// Rarely used operators whose clauses are kept as balanced token runs.
fn lenient(p: &mut Parser<'_>, kind: SyntaxKind, params: &[&str]) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    operator_params(p, params);
    let mut depth = 0i32;
    while !p.at_eof() {
        match p.current() {
            L_PAREN | L_BRACK | L_CURLY => depth += 1,
            R_PAREN | R_BRACK | R_CURLY => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            PIPE | SEMICOLON if depth == 0 => break,
            _ => {}
        }
        p.bump_any();
    }
    m.complete(p, kind)
}
