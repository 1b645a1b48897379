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
