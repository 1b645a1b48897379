//! Operators that combine tables: join, lookup and union.

use super::*;

/// `join kind=inner (T | ...) on a, $left.b == $right.c` and `lookup`.
pub(super) fn join(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    simple(p, kind, JOIN_PARAMS, |p| {
        // The right side is a single tabular term; the pipe after it belongs to the outer query.
        if postfix(p).is_none() {
            p.missing(NAME_REF, "the table to join with");
        }
        if p.at_word("on") {
            keyword_node(p, ON_CLAUSE, |p| list(p, &[]));
        } else if p.at_word("where") {
            keyword_node(p, ON_CLAUSE, expect_expr);
        }
    })
}

/// `union [kind=outer] [withsource=T] A, B*, (C | where x)`.
pub(super) fn union(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, UNION_OP, UNION_PARAMS, |p| {
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
    })
}
