//! nom over the token slice: an [`nom::Input`] implementation for the significant (non-trivia)
//! tokens and a few token-level combinators. The grammar uses them to recognise fixed token
//! sequences (`hint.strategy =`, `$left.`, lambda headers) before committing to a production.

use nom::error::{Error, ErrorKind, ParseError};
use nom::{IResult, Input, Needed};

use crate::SyntaxKind;

/// A significant token as the grammar sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigToken<'a> {
    pub kind: SyntaxKind,
    pub text: &'a str,
    /// Whether trivia precedes this token (so `Device*` and `Device *` can be told apart).
    pub after_trivia: bool,
}

/// The remaining significant tokens, as a nom input.
#[derive(Debug, Clone, Copy)]
pub struct TokenSlice<'a>(pub &'a [SigToken<'a>]);

impl<'a> Input for TokenSlice<'a> {
    type Item = SigToken<'a>;
    type Iter = std::iter::Copied<std::slice::Iter<'a, SigToken<'a>>>;
    type IterIndices = std::iter::Enumerate<Self::Iter>;

    fn input_len(&self) -> usize {
        self.0.len()
    }

    fn take(&self, index: usize) -> Self {
        TokenSlice(&self.0[..index])
    }

    fn take_from(&self, index: usize) -> Self {
        TokenSlice(&self.0[index..])
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        let (prefix, suffix) = self.0.split_at(index);
        (TokenSlice(suffix), TokenSlice(prefix))
    }

    fn position<P>(&self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool,
    {
        self.0.iter().position(|t| predicate(*t))
    }

    fn iter_elements(&self) -> Self::Iter {
        self.0.iter().copied()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.iter_elements().enumerate()
    }

    fn slice_index(&self, count: usize) -> Result<usize, Needed> {
        if self.0.len() >= count {
            Ok(count)
        } else {
            Err(Needed::new(count - self.0.len()))
        }
    }
}

pub type TokResult<'a, O> = IResult<TokenSlice<'a>, O, Error<TokenSlice<'a>>>;

fn one<'a>(
    input: TokenSlice<'a>,
    ok: impl Fn(&SigToken<'a>) -> bool,
) -> TokResult<'a, SigToken<'a>> {
    match input.0.first() {
        Some(t) if ok(t) => Ok((input.take_from(1), *t)),
        _ => Err(nom::Err::Error(Error::from_error_kind(
            input,
            ErrorKind::Tag,
        ))),
    }
}

/// One token of kind `k`.
pub fn kind<'a>(k: SyntaxKind) -> impl Fn(TokenSlice<'a>) -> TokResult<'a, SigToken<'a>> {
    move |i| one(i, |t| t.kind == k)
}

/// The word `w` (an identifier token with exactly this text).
pub fn word<'a>(w: &'static str) -> impl Fn(TokenSlice<'a>) -> TokResult<'a, SigToken<'a>> {
    move |i| one(i, |t| t.kind == SyntaxKind::IDENT && t.text == w)
}

/// Any word.
pub fn any_word(i: TokenSlice<'_>) -> TokResult<'_, SigToken<'_>> {
    one(i, |t| t.kind == SyntaxKind::IDENT)
}

/// A token glued to the previous one (no trivia between).
pub fn glued<'a>(k: SyntaxKind) -> impl Fn(TokenSlice<'a>) -> TokResult<'a, SigToken<'a>> {
    move |i| one(i, |t| t.kind == k && !t.after_trivia)
}
