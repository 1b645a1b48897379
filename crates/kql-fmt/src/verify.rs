//! The formatter's promise, checked on every result: the output has the same tokens as the input,
//! in the same order, comments included; only whitespace differs.
//!
//! The layout checks that it printed every token and comment of the input in order (the text
//! between two printed tokens is only whitespace and comments); this module checks that lexing
//! the output gives back exactly those pieces, so no two tokens were joined or split.

use kql_syntax::lexer::tokenize;
use kql_syntax::SyntaxKind;

use crate::doc::Piece;

/// Whether the output lexes into the texts the layout printed, in order.
pub(crate) fn output_matches(pieces: &[Piece<'_>], output: &str) -> bool {
    let tokens = tokenize(output);
    let mut lexed = (0..tokens.len())
        .filter(|&i| !matches!(tokens.kind(i), SyntaxKind::WHITESPACE | SyntaxKind::EOF))
        .map(|i| tokens.text(i).trim_end());
    let mut printed = pieces.iter().filter_map(|p| match p {
        Piece::Text(s) | Piece::Suffix(s) => Some(*s),
        _ => None,
    });
    loop {
        match (lexed.next(), printed.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => {}
            _ => return false,
        }
    }
}
