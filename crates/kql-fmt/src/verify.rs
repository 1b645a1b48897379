//! The formatter's promise, checked on every result: the output has the same tokens as the input,
//! in the same order, comments included. Only whitespace may differ.

use kql_syntax::lexer::{tokenize, Tokens};
use kql_syntax::SyntaxKind;

/// Whether `a` and `b` differ only in whitespace (and trailing spaces of comments).
pub(crate) fn same_tokens(a: &str, b: &str) -> bool {
    let (ta, tb) = (tokenize(a), tokenize(b));
    let mut left = significant(&ta);
    let mut right = significant(&tb);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => {}
            _ => return false,
        }
    }
}

fn significant<'t, 'a>(tokens: &'t Tokens<'a>) -> impl Iterator<Item = (SyntaxKind, &'a str)> + 't {
    (0..tokens.len())
        .filter(|&i| !matches!(tokens.kind(i), SyntaxKind::WHITESPACE | SyntaxKind::EOF))
        .map(|i| (tokens.kind(i), tokens.text(i).trim_end()))
}
