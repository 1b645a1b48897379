//! Operators that take text apart or describe output: parse, parse-where, parse-kv, render and
//! their `with (...)` clauses.

use super::*;

/// `parse [kind=regex] [flags=U] expr with "prefix" name:type * ...`.
pub(super) fn parse_op(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    simple(p, kind, PARSE_PARAMS, |p| {
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
                IDENT => column_decl_or_name(p, 1),
                // `['a b']:string`: the `:` follows the closing `]`.
                L_BRACK if p.nth_at(1, STRING_LITERAL) => column_decl_or_name(p, 3),
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
    })
}

/// `parse-kv expr as (a:string, b:long) with (pair_delimiter=",", kv_delimiter="=")`.
pub(super) fn parse_kv(p: &mut Parser<'_>) -> CompletedMarker {
    keyword_node(p, PARSE_KV_OP, |p| {
        expect_expr(p);
        p.expect_word("as");
        schema_or_type(p);
        if p.at_word("with") {
            with_clause(p, None);
        }
    })
}

/// `with (name = value, ...)`; with `known` (the operator and its property names), only those.
pub(super) fn with_clause(p: &mut Parser<'_>, known: Option<(&str, &[&str])>) {
    keyword_node(p, WITH_CLAUSE, |p| {
        if p.at(L_PAREN) {
            property_list(p, known);
        } else {
            p.missing(ARG_LIST, "`(` after `with`");
        }
    });
}

/// `render timechart [with (title="x", ...)]`; legacy `render chart kind=stacked` properties too.
pub(super) fn render(p: &mut Parser<'_>) -> CompletedMarker {
    keyword_node(p, RENDER_OP, |p| {
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
    })
}

/// The properties `render ... with (...)` knows; Kusto rejects any other name.
pub(super) const RENDER_PROPERTIES: &[&str] = &[
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
