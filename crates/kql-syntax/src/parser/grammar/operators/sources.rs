//! Operators that produce rows from nothing or from many tables: range, datatable,
//! externaldata, search and find.

use super::*;

/// `range x from 1 to 10 step 1`.
pub(super) fn range(p: &mut Parser<'_>) -> CompletedMarker {
    keyword_node(p, RANGE_OP, |p| {
        name(p);
        p.expect_word("from");
        expect_expr(p);
        p.expect_word("to");
        expect_expr(p);
        p.expect_word("step");
        expect_expr(p);
    })
}

/// `datatable (a:string, b:long) ["x", 1, "y", 2]`.
pub(super) fn datatable(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, DATATABLE_OP, NO_PARAMS, schema_and_values)
}

/// `(a:string, b:long) [...]`: the columns and values of `datatable` and `externaldata`.
fn schema_and_values(p: &mut Parser<'_>) {
    schema_or_type(p);
    delimited(p, LIST_EXPR, L_BRACK, "`[` and the values", |p| {
        // Kusto tolerates a comma before the first value.
        p.eat(COMMA);
        // Only constants are allowed here (literals, signed numbers, `dynamic(...)`).
        p.comma_separated(Some(R_BRACK), |p| {
            super::super::expressions::json_value(p);
            if !matches!(p.current(), COMMA | R_BRACK) {
                let found = p.found_description();
                p.recover_until(
                    format!("expected `,` or `]` after a value, found {found}"),
                    |p| matches!(p.current(), COMMA | R_BRACK | PIPE | SEMICOLON),
                );
            }
        });
    });
}

/// `externaldata (a:string) ["https://..."] [with (format="csv")]`.
pub(super) fn externaldata(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, EXTERNALDATA_OP, NO_PARAMS, |p| {
        schema_and_values(p);
        if p.at_word("with") {
            with_clause(p, None);
        }
    })
}

/// `in (T1, T2*)` of `search` and `find`.
pub(super) fn in_tables(p: &mut Parser<'_>) {
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
pub(super) fn search(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, SEARCH_OP, SEARCH_PARAMS, |p| {
        in_tables(p);
        star_predicate(p);
    })
}

/// The predicate of `search` and `find`, where `*` stands for any column (`search * has "x"`).
fn star_predicate(p: &mut Parser<'_>) {
    p.allow_star = true;
    expect_expr(p);
    p.allow_star = false;
}

/// `find [withsource=T] [in (A, B)] where predicate [project-smart | project a, b]`.
pub(super) fn find(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, FIND_OP, SEARCH_PARAMS, |p| {
        in_tables(p);
        p.eat_word("where");
        star_predicate(p);
        if p.at_word("project-smart") {
            p.bump_any();
        } else if p.at_word("project") || p.at_word("project-away") {
            // `find ... project a, b:string`: column names with optional types, not expressions.
            p.bump_any();
            let l = p.start();
            loop {
                super::super::names::check_not_reserved(p);
                column_decl_or_name(p, 1);
                if !p.eat(COMMA) {
                    break;
                }
            }
            l.complete(p, NAME_LIST);
        }
    })
}
