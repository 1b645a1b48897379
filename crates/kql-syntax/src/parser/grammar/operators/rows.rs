//! Operators that aggregate, sort or pick rows: summarize, order/sort, top, top-nested,
//! top-hitters, sample-distinct and make-series.

use super::*;

/// `summarize [hint...] aggs [by keys]`.
pub(super) fn summarize(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, SUMMARIZE_OP, NO_PARAMS, |p| {
        if !p.at_word("by") {
            assignment_list(p, &["by"]);
        }
        if p.at_word("by") {
            by_clause(p, &[]);
        }
    })
}

/// `expr [asc|desc] [nulls first|last]`, comma separated.
pub(super) fn sort_keys(p: &mut Parser<'_>) {
    p.comma_separated(None, |p| {
        let m = p.start();
        expect_expr(p);
        sort_modifiers(p);
        m.complete(p, SORT_KEY);
    });
}

pub(super) fn sort_modifiers(p: &mut Parser<'_>) {
    if p.at_any_word(&["asc", "desc"]) {
        p.bump_any();
    }
    if p.eat_word("nulls") && !p.at_any_word(&["first", "last"]) {
        p.missing(IDENT, "`first` or `last`");
    } else if p.at_any_word(&["first", "last"]) {
        p.bump_any();
    }
}

pub(super) fn order(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, ORDER_OP, NO_PARAMS, |p| {
        p.expect_word("by");
        sort_keys(p);
    })
}

/// `top 10 by x desc`.
pub(super) fn top(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, TOP_OP, NO_PARAMS, |p| {
        expect_expr(p);
        p.expect_word("by");
        sort_keys(p);
    })
}

/// `top-nested 3 of a [with others = x] by agg desc, top-nested ...`.
pub(super) fn top_nested(p: &mut Parser<'_>) -> CompletedMarker {
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
pub(super) fn top_hitters(p: &mut Parser<'_>) -> CompletedMarker {
    keyword_node(p, TOP_HITTERS_OP, |p| {
        count_of(p);
        if p.eat_word("by") {
            expect_expr(p);
        }
    })
}

/// `sample-distinct 10 of x`.
pub(super) fn sample_distinct(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, SAMPLE_DISTINCT_OP, NO_PARAMS, count_of)
}

/// `10 of x`: how many, and of what (`top-hitters`, `sample-distinct`).
fn count_of(p: &mut Parser<'_>) {
    expect_expr(p);
    p.expect_word("of");
    expect_expr(p);
}

/// `make-series [kind=nonempty] aggs on axis [from a] [to b] step s [by keys]`.
pub(super) fn make_series(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, MAKE_SERIES_OP, MAKE_SERIES_PARAMS, |p| {
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
        if super::super::expressions::arithmetic_expr(p).is_none() {
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
    })
}
