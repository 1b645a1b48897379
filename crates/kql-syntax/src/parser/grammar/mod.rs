//! The KQL grammar: statements in [`statements`], expressions in [`expressions`] (with [`names`],
//! [`types`] and [`parameters`]), tabular operators in
//! [`operators`]. Each function parses one production and never fails; see the parser docs for
//! the recovery conventions.

mod expressions;
mod names;
mod operators;
mod parameters;
mod statements;
mod types;

pub(crate) use statements::source_file;

use super::{CompletedMarker, Parser};
use crate::SyntaxKind::{self, *};

/// Tokens that end a tabular operator: the next `|`, the end of a statement or of an enclosing
/// bracket.
pub(crate) fn at_operator_end(p: &Parser<'_>) -> bool {
    matches!(
        p.current(),
        PIPE | SEMICOLON | R_PAREN | R_CURLY | R_BRACK | EOF
    )
}

/// `open body close` as one `kind` node, where `open` is `(`, `[` or `{`: the shape of every
/// bracketed production. Without the opening token there is an empty `kind` node and an error
/// saying `expected`; an unclosed bracket is reported at its opening.
pub(crate) fn delimited(
    p: &mut Parser<'_>,
    kind: SyntaxKind,
    open: SyntaxKind,
    expected: &str,
    body: impl FnOnce(&mut Parser<'_>),
) -> CompletedMarker {
    let close = match open {
        L_PAREN => R_PAREN,
        L_BRACK => R_BRACK,
        _ => R_CURLY,
    };
    let m = p.start();
    let opened = p.current_range();
    if p.expect(open, expected) {
        body(p);
        p.expect_closing(close, opened);
    }
    m.complete(p, kind)
}
