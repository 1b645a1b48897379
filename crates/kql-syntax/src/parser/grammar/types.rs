//! Types: scalar type names, `typeof(...)`, schemas and column declarations.

use super::names::*;
use super::parameters::*;
use super::{delimited, Parser};
use crate::parser::CompletedMarker;
use crate::token_input::{any_word, kind};
use crate::SyntaxKind::*;

/// `typeof(string)`, `typeof(a:string, b:long)`.
pub(super) fn typeof_expr(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    let open = p.current_range();
    p.bump_any();
    loop {
        if p.at(IDENT) && p.nth_at(1, COLON) {
            column_decl(p);
        } else if p.at(STAR) {
            p.bump_any();
        } else {
            type_ref(p);
        }
        if !p.eat(COMMA) {
            break;
        }
    }
    p.expect_closing(R_PAREN, open);
    m.complete(p, TYPEOF_EXPR)
}

/// A scalar type name (`string`, `long`, `datetime`...) or `(*)`/`(a:string, ...)` for tables.
pub(crate) fn type_ref(p: &mut Parser<'_>) {
    if p.at(L_PAREN) {
        schema_or_type(p);
        return;
    }
    let m = p.start();
    if p.at(IDENT) {
        let name = p.nth_text(0);
        if !is_type_name(name) {
            p.error_here_with_help(
                "KQL008",
                format!("`{name}` is not a KQL type name"),
                "types are string, long, int, real, decimal, bool, datetime, timespan, guid and dynamic",
            );
        }
        p.bump_any();
    } else {
        p.missing(IDENT, "a type name");
    }
    m.complete(p, TYPE_REF);
}

/// Scalar type names and the aliases Kusto accepts for them (checked with Microsoft's parser:
/// `int32`, `float`, `object` are not among them).
pub(super) fn is_type_name(w: &str) -> bool {
    // Case does not matter: `typeof(DateTime)` is accepted.
    let lower = w.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "string"
            | "long"
            | "int64"
            | "int"
            | "int8"
            | "real"
            | "double"
            | "decimal"
            | "bool"
            | "boolean"
            | "datetime"
            | "date"
            | "timespan"
            | "time"
            | "guid"
            | "uniqueid"
            | "dynamic"
    )
}

/// `(a:string, b:long)`, `(*)`, or `(T1, T2)` in `restrict`.
pub(crate) fn schema_or_type(p: &mut Parser<'_>) {
    delimited(p, SCHEMA, L_PAREN, "`(`", |p| {
        p.comma_separated(Some(R_PAREN), |p| {
            if p.at(STAR) {
                p.bump_any();
            } else if p
                .lookahead(|i| (name_tokens, kind(COLON)).parse_tokens(i))
                .is_some()
            {
                column_decl(p);
            } else {
                let found = p.found_description();
                p.recover_until(
                    format!("expected a column declaration, found {found}"),
                    |p| matches!(p.current(), COMMA | R_PAREN),
                );
            }
        });
    });
}

/// The tokens of a name: a word or `[ 'quoted' ]`.
pub(super) fn name_tokens(
    i: crate::token_input::TokenSlice<'_>,
) -> crate::token_input::TokResult<'_, ()> {
    use nom::Parser as _;
    nom::branch::alt((
        any_word.map(|_| ()),
        (
            kind(L_BRACK),
            nom::multi::many1(kind(STRING_LITERAL)),
            kind(R_BRACK),
        )
            .map(|_| ()),
    ))
    .parse(i)
}

/// `name:type` when the `:` stands `colon_at` tokens ahead, else a plain name (`find ...
/// project a, b:string` and parse patterns, where types are optional).
pub(crate) fn column_decl_or_name(p: &mut Parser<'_>, colon_at: usize) {
    if p.nth_at(colon_at, COLON) {
        column_decl(p);
    } else {
        name(p);
    }
}

/// `name:type` (in schemas and `typeof`).
pub(crate) fn column_decl(p: &mut Parser<'_>) {
    let m = p.start();
    check_not_reserved_target(p);
    name(p);
    p.expect(COLON, "`:`");
    type_ref(p);
    m.complete(p, COLUMN_DECL);
}
