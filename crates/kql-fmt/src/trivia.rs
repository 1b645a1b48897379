//! Where comments and blank lines sit relative to the significant tokens.
//!
//! KQL has only `//` comments, which run to the end of their line. A comment on the same line as
//! the token before it *trails* that token (it stays at the end of that token's line); any other
//! comment *leads* the next token (it stays on its own line just before it). Blank lines are
//! recorded so the layout can keep them where a blank line is allowed (between statements and
//! between the operators of a pipeline).

use kql_syntax::{SyntaxKind, SyntaxNode};

/// A `//` comment: its text (trailing spaces removed) and whether a blank line precedes it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Comment<'a> {
    pub text: &'a str,
    pub blank_before: bool,
}

/// What surrounds one significant token.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenTrivia {
    /// Start offset of the token (to check that the layout visits tokens in order).
    pub start: u32,
    /// Range into [`Trivia::comments`] of the own-line comments before the token.
    pub leading: (u32, u32),
    /// A blank line between the token and whatever precedes it (token or comment).
    pub blank_before: bool,
    /// Index into [`Trivia::comments`] of the comment at the end of the token's line.
    pub trailing: Option<u32>,
    /// The whitespace and comments between the previous significant token and this one are not
    /// empty (used where the layout keeps the author's choice of space or none).
    pub spaced: bool,
}

/// Trivia of every significant token in document order, plus an entry for the end of the text
/// (which holds the comments after the last token).
#[derive(Debug, Default)]
pub(crate) struct Trivia<'a> {
    pub tokens: Vec<TokenTrivia>,
    pub comments: Vec<Comment<'a>>,
}

impl<'a> Trivia<'a> {
    pub(crate) fn collect(root: &SyntaxNode, text: &'a str) -> Trivia<'a> {
        let mut out = Trivia::default();
        let mut newlines = 0usize; // line breaks since the last token or comment
        let mut any_trivia = false;
        let mut leading_start = 0u32;
        let mut last_was_token = false;
        let mut next = TokenTrivia::default();
        for token in root
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
        {
            let range = token.text_range();
            let piece = &text[usize::from(range.start())..usize::from(range.end())];
            match token.kind() {
                SyntaxKind::WHITESPACE => {
                    newlines += piece.bytes().filter(|&b| b == b'\n').count();
                    any_trivia = true;
                }
                SyntaxKind::COMMENT => {
                    any_trivia = true;
                    let comment = Comment {
                        text: piece.trim_end(),
                        blank_before: newlines >= 2,
                    };
                    let index = out.comments.len() as u32;
                    out.comments.push(comment);
                    if last_was_token && newlines == 0 {
                        if let Some(prev) = out.tokens.last_mut() {
                            prev.trailing = Some(index);
                        }
                        leading_start = index + 1;
                    }
                    newlines = 0;
                    last_was_token = false;
                }
                _ => {
                    next.start = range.start().into();
                    next.leading = (leading_start, out.comments.len() as u32);
                    next.blank_before = newlines >= 2;
                    next.spaced = any_trivia;
                    out.tokens.push(std::mem::take(&mut next));
                    leading_start = out.comments.len() as u32;
                    newlines = 0;
                    any_trivia = false;
                    last_was_token = true;
                }
            }
        }
        out.tokens.push(TokenTrivia {
            start: text.len() as u32,
            leading: (leading_start, out.comments.len() as u32),
            blank_before: newlines >= 2,
            trailing: None,
            spaced: any_trivia,
        });
        out
    }
}
