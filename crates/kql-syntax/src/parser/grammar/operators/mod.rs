//! Tabular operators: what follows a `|`, and the operators that can start a query (`union`,
//! `print`, `range`, `datatable`, ...). One function per operator; shared shapes (parameter lists,
//! name lists, `by` clauses) are small helpers. This file holds the dispatch from operator word to
//! parser and the simple operators; the families live in [`rows`], [`joins`], [`subqueries`],
//! [`parse`], [`sources`] and [`graph`].

use super::expressions::{assignment_list, assignment_or_expr, expr, postfix, scalar_expr};
use super::names::{is_reserved_assignment_target, name, name_ref};
use super::parameters::{operator_params, property_list};
use super::statements::body_statements;
use super::types::{column_decl_or_name, schema_or_type};
use super::{at_operator_end, delimited, Parser};
use crate::parser::CompletedMarker;
use crate::token_input::{any_word, glued};
use crate::SyntaxKind::{self, *};
use nom::Parser as _;

mod graph;
mod joins;
mod parse;
mod rows;
mod sources;
mod subqueries;

use graph::*;
use joins::*;
use parse::*;
use rows::*;
use sources::*;
use subqueries::*;

pub(crate) use sources::paren_table_list;
pub(crate) use subqueries::contextual_pipeline;

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
        "range" => p.nth_at(1, IDENT) && p.nth_is_word(2, "from"),
        w if crate::operator_words::is_source_operator(w) => {
            !matches!(p.nth(1), EQ | EQ2 | COMMA | R_PAREN | DOT | PIPE)
        }
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

/// `keyword [params] body`: [`keyword_node`] for the operators that take `name=value` parameters
/// (every such operator also takes `hint.` ones).
fn simple(
    p: &mut Parser<'_>,
    kind: SyntaxKind,
    params: &[&str],
    body: impl FnOnce(&mut Parser<'_>),
) -> CompletedMarker {
    keyword_node(p, kind, |p| {
        operator_params(p, params);
        body(p);
    })
}

/// `keyword body`: an operator's or clause's word, then what `body` parses, as one `kind` node.
fn keyword_node(
    p: &mut Parser<'_>,
    kind: SyntaxKind,
    body: impl FnOnce(&mut Parser<'_>),
) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    body(p);
    m.complete(p, kind)
}

/// A function call (the operand of `evaluate` and `invoke`).
fn expect_call(p: &mut Parser<'_>, what: &str) {
    if !p.at(IDENT) {
        p.error_expected(what);
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

/// `where predicate`. Kusto also takes `where Name = predicate` (a named predicate: the name is
/// declared, not read), after a plain name only (`where a = b > 1` parses; `where f(a) = 1` and
/// `where a = 1 and b = 2` do not). The tree keeps it as a binary expression with `=`.
fn where_op(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    p.allow_star = true;
    let lhs = scalar_expr(p);
    p.allow_star = false;
    if let Some(lhs) = lhs {
        if p.at(EQ) && lhs.kind() == NAME_REF {
            let b = lhs.precede(p);
            p.bump_any();
            expect_expr(p);
            b.complete(p, BIN_EXPR);
        }
    } else {
        p.error_expected("an expression");
    }
    m.complete(p, WHERE_OP)
}

fn expect_expr(p: &mut Parser<'_>) {
    if scalar_expr(p).is_none() {
        let found = p.found_description();
        p.missing(NAME_REF, &format!("an expression (found {found})"));
        p.diagnostics.pop();
        p.error_expected("an expression");
    }
}

fn list(p: &mut Parser<'_>, stop_words: &[&str]) {
    if assignment_list(p, stop_words) == 0 && !p.at_any_word(stop_words) {
        p.error_expected("an expression");
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
    keyword_node(p, BY_CLAUSE, |p| list(p, stop_words));
}

/// Whether `w` names an operator that may follow `|` (from the operator word table).
pub(crate) fn is_operator_word(w: &str) -> bool {
    crate::operator_words::is_pipe_operator(w)
}

/// Rarely used operators whose clauses are kept as balanced token runs.
fn lenient(p: &mut Parser<'_>, kind: SyntaxKind, params: &[&str]) -> CompletedMarker {
    simple(p, kind, params, |p| {
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
    })
}
