//! Parameters and arguments: call argument lists, `with (...)` properties, lambda parameter
//! lists and tabular operators' `name=value` parameters.

use super::expressions::*;
use super::names::*;
use super::types::*;
use super::{delimited, Parser};
use crate::token_input::{any_word, kind, word};
use crate::SyntaxKind::*;

/// `(arg, name = arg, *)`.
pub(crate) fn arg_list(p: &mut Parser<'_>) {
    args(p, false, Names::Arguments);
}

/// The `(name = value, ...)` of an operator's `with` clause: property names, not argument names,
/// so the keywords `kind` and `title` are fine there. With `known` (the operator and its
/// property names), other names are reported: `render` has a fixed list.
pub(crate) fn property_list(p: &mut Parser<'_>, known: Option<(&str, &[&str])>) {
    args(p, false, Names::Properties(known));
}

/// The arguments of `toscalar`, `totable` and `materialize`, which may be whole pipelines.
pub(super) const PIPELINE_ARG_CALLS: &[&str] = &["toscalar", "totable", "materialize"];

/// What may name an item of [`args`].
#[derive(Clone, Copy)]
pub(super) enum Names<'a> {
    /// Argument names: no reserved words.
    Arguments,
    /// `with` properties: any word, or only the ones listed for the operator.
    Properties(Option<(&'a str, &'a [&'a str])>),
}

/// `(arg, name = arg, *)`. Arguments are scalar expressions (`f(T | take 1)` is an error in
/// Kusto) unless `pipelines` is set.
pub(super) fn args(p: &mut Parser<'_>, pipelines: bool, names: Names<'_>) {
    let min_bp = if pipelines { 0 } else { PIPE_BP };
    let m = p.start();
    let open = p.current_range();
    p.bump_any();
    while !p.at(R_PAREN) && !p.at_eof() {
        if p.at(STAR) && matches!(p.nth(1), COMMA | R_PAREN) {
            let a = p.start();
            p.bump_any();
            a.complete(p, STAR_EXPR);
        } else if p.at(IDENT) && p.nth_at(1, EQ) {
            let a = p.start();
            match names {
                Names::Arguments => check_not_reserved_target(p),
                Names::Properties(Some((op, known))) if !known.contains(&p.nth_text(0)) => {
                    let name = p.nth_text(0);
                    let range = p.current_range();
                    let expected = known.join(", ");
                    p.push_error(
                        "KQL001",
                        format!("`{name}` is not a {op} property (expected one of {expected})"),
                        range,
                    );
                }
                Names::Properties(_) => {}
            }
            name(p);
            p.bump_any();
            operand(p, min_bp);
            a.complete(p, NAMED_ARG);
        } else if expr_bp(p, min_bp).is_none() {
            let found = p.found_description();
            p.recover_until(format!("expected an argument, found {found}"), |p| {
                matches!(p.current(), COMMA | R_PAREN | PIPE | SEMICOLON)
            });
            if !p.at(COMMA) {
                break;
            }
        }
        if !p.eat(COMMA) {
            break;
        }
        if p.at(R_PAREN) {
            p.missing(NAME_REF, "an argument after `,`");
        }
    }
    p.expect_closing(R_PAREN, open);
    m.complete(p, ARG_LIST);
}

/// Lambda parameters: `(a:long, b:string = "x", T:(*))`.
pub(crate) fn param_list(p: &mut Parser<'_>) {
    delimited(p, PARAM_LIST, L_PAREN, "`(`", |p| {
        p.comma_separated(Some(R_PAREN), |p| {
            let param = p.start();
            check_not_reserved_target(p);
            name(p);
            p.expect(COLON, "`:` and a type");
            type_ref(p);
            if p.eat(EQ) {
                operand(p, PIPE_BP);
            }
            param.complete(p, PARAM);
        });
    });
}

/// Small adapter so token-level nom parsers can be called as plain functions.
pub(super) trait ParseTokens<'a, O> {
    fn parse_tokens(
        &mut self,
        i: crate::token_input::TokenSlice<'a>,
    ) -> crate::token_input::TokResult<'a, O>;
}

impl<'a, O, P> ParseTokens<'a, O> for P
where
    P: nom::Parser<
        crate::token_input::TokenSlice<'a>,
        Output = O,
        Error = nom::error::Error<crate::token_input::TokenSlice<'a>>,
    >,
{
    fn parse_tokens(
        &mut self,
        i: crate::token_input::TokenSlice<'a>,
    ) -> crate::token_input::TokResult<'a, O> {
        self.parse(i)
    }
}

/// Whether the tokens ahead are `hint.name =` or `name =` for one of `params`.
pub(crate) fn at_operator_param(p: &Parser<'_>, params: &[&str]) -> bool {
    // `hint.strategy = shuffle`, `decodeblocks = true`: dotted names any operator may take.
    let dotted_param = |i| {
        (
            nom::branch::alt((word("hint"), word("decodeblocks"))),
            nom::multi::many0((kind(DOT), any_word)),
            kind(EQ),
        )
            .parse_tokens(i)
    };
    if p.lookahead(dotted_param).is_some() {
        return true;
    }
    p.at(IDENT) && params.contains(&p.nth_text(0)) && p.nth_at(1, EQ)
}

/// Operator parameters: `kind=inner hint.strategy=shuffle withsource=T`.
pub(crate) fn operator_params(p: &mut Parser<'_>, params: &[&str]) {
    while at_operator_param(p, params) {
        let m = p.start();
        p.bump_any();
        while p.at(DOT) {
            p.bump_any();
            if !p.eat(IDENT) {
                p.missing(IDENT, "a parameter name");
                break;
            }
        }
        p.bump_any(); // =
        if p.at(IDENT) {
            let v = p.start();
            p.bump_any();
            v.complete(p, NAME_REF);
        } else if unary(p).is_none() {
            p.missing(NAME_REF, "a parameter value");
        }
        m.complete(p, OPERATOR_PARAM);
    }
}
