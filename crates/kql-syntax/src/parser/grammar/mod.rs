//! The KQL grammar: statements here, expressions in [`expressions`], tabular operators in
//! [`operators`]. Each function parses one production and never fails; see the parser docs for
//! the recovery conventions.

mod expressions;
mod operators;
mod statements;

pub(crate) use statements::source_file;

use super::Parser;
use crate::SyntaxKind::*;

/// Tokens that end a tabular operator: the next `|`, the end of a statement or of an enclosing
/// bracket.
pub(crate) fn at_operator_end(p: &Parser<'_>) -> bool {
    matches!(
        p.current(),
        PIPE | SEMICOLON | R_PAREN | R_CURLY | R_BRACK | EOF
    )
}
