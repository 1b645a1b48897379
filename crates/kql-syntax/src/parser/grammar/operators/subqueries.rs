//! Operators with subqueries whose input is implied: mv-expand/mv-apply, facet, fork, partition,
//! reduce and scan, and the contextual pipelines they contain.

use super::*;

/// `mv-expand [params] a [to typeof(t)], b = c, ... [limit n]` and `mv-apply ... on (subquery)`.
pub(super) fn mv_expand(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    simple(p, kind, MV_EXPAND_PARAMS, |p| {
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
    })
}

/// `( operator | operator ... )` — a pipeline whose input is implied (mv-apply, facet, fork,
/// partition), or an ordinary tabular expression.
pub(super) fn subquery_in_parens(p: &mut Parser<'_>) {
    delimited(p, SUBQUERY, L_PAREN, "`(`", contextual_pipeline);
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

/// `facet by a, b [with (top 3) | with operator]`.
pub(super) fn facet(p: &mut Parser<'_>) -> CompletedMarker {
    keyword_node(p, FACET_OP, |p| {
        p.expect_word("by");
        name_list(p);
        if p.eat_word("with") {
            if p.at(L_PAREN) {
                subquery_in_parens(p);
            } else {
                tabular_operator(p);
            }
        }
    })
}

/// `fork (where a) (summarize count()) [name = (...)]`.
pub(super) fn fork(p: &mut Parser<'_>) -> CompletedMarker {
    keyword_node(p, FORK_OP, |p| {
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
    })
}

/// `partition [hint.strategy=native] by key (subquery)` or `{ query }`.
pub(super) fn partition(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, PARTITION_OP, NO_PARAMS, |p| {
        p.expect_word("by");
        // The key is a column; a `(` after it starts the subquery, not a call.
        name_ref(p);
        operator_params(p, NO_PARAMS);
        if p.at(L_PAREN) {
            subquery_in_parens(p);
        } else if p.at(L_CURLY) {
            delimited(p, SUBQUERY, L_CURLY, "`{`", |p| {
                if p.enter() {
                    body_statements(p);
                    p.exit();
                }
            });
        } else {
            p.missing(SUBQUERY, "a subquery in `(...)` or `{...}`");
        }
    })
}

/// `reduce [kind=source] by expr [with threshold=0.1, characters=","]`.
pub(super) fn reduce(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, REDUCE_OP, REDUCE_PARAMS, |p| {
        p.expect_word("by");
        expect_expr(p);
        if p.eat_word("with") {
            list(p, &[]);
        }
    })
}

/// `scan [with_match_id=id] [order by x] [partition by y] [declare (a:long)] with (step s: pred => a = 1; ...)`.
pub(super) fn scan(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, SCAN_OP, SCAN_PARAMS, |p| {
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
            super::super::parameters::param_list(p);
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
    })
}
