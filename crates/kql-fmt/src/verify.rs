//! The formatter's promise, checked on every result: the output has the same tokens as the input,
//! in the same order, comments included. Only whitespace may differ.

use kql_syntax::lexer::{tokenize, Tokens};
use kql_syntax::SyntaxKind;

/// Whether `a` and `b` differ only in whitespace (and trailing spaces of comments).
pub(crate) fn same_tokens(a: &str, b: &str) -> bool {
    significant(&tokenize(a)) == significant(&tokenize(b))
}

fn significant<'a>(tokens: &Tokens<'a>) -> Vec<(SyntaxKind, &'a str)> {
    (0..tokens.len())
        .filter(|&i| !matches!(tokens.kind(i), SyntaxKind::WHITESPACE | SyntaxKind::EOF))
        .map(|i| (tokens.kind(i), tokens.text(i).trim_end()))
        .collect()
}
