//! Operators that combine tables: join, lookup and union.

use super::*;

/// `join kind=inner (T | ...) on a, $left.b == $right.c` and `lookup`.
pub(super) fn join(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
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
pub(super) fn union(p: &mut Parser<'_>) -> CompletedMarker {
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
