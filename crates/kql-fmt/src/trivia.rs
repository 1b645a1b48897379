//! What lies between two significant tokens: whitespace and `//` comments, read straight from the
//! text (no second walk over the tree).
//!
//! KQL has only `//` comments, which run to the end of their line. A comment on the same line as
//! the token before it *trails* that token (it stays at the end of that token's line); any other
//! comment *leads* the next token (it stays on its own line just before it). Blank lines are
//! reported so the layout can keep them where a blank line is allowed.

/// A `//` comment that leads a token: its text (trailing spaces removed) and whether a blank line
/// precedes it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Comment<'a> {
    pub text: &'a str,
    pub blank_before: bool,
}

/// The comment at the end of the line of a token ending at `end`, if any: its text and where it
/// ends.
pub(crate) fn trailing_comment(text: &str, end: usize) -> Option<(&str, usize)> {
    let rest = &text[end..];
    let start = end + rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if !text[start..].starts_with("//") {
        return None;
    }
    let stop = text[start..].find('\n').map_or(text.len(), |i| start + i);
    Some((text[start..stop].trim_end(), stop))
}

/// The gap before a token: its leading comments, whether a blank line precedes the token,
/// whether the gap is empty (the author wrote the two tokens together), and whether it holds
/// anything but whitespace and comments (a token the layout skipped: a bug, refused).
#[derive(Debug, Default)]
pub(crate) struct Gap<'a> {
    pub comments: Vec<Comment<'a>>,
    pub blank_before: bool,
    pub empty: bool,
    pub skipped_text: bool,
}

/// Reads a gap that should hold only whitespace and `//` comments.
pub(crate) fn scan_gap(gap: &str) -> Gap<'_> {
    let mut out = Gap {
        empty: gap.is_empty(),
        ..Gap::default()
    };
    let mut newlines = 0usize;
    let mut rest = gap;
    while let Some(i) = rest.find(['\n', '/']) {
        out.skipped_text |= !is_blank(&rest[..i]);
        if rest.as_bytes()[i] == b'\n' {
            newlines += 1;
            rest = &rest[i + 1..];
            continue;
        }
        let comment = &rest[i..];
        let stop = comment.find('\n').unwrap_or(comment.len());
        out.comments.push(Comment {
            text: comment[..stop].trim_end(),
            blank_before: newlines >= 2,
        });
        newlines = 0;
        rest = &comment[stop..];
    }
    out.skipped_text |= !is_blank(rest);
    out.blank_before = newlines >= 2;
    out
}

/// Whitespace, including the no-break spaces real queries carry (pasted from web pages).
fn is_blank(s: &str) -> bool {
    s.trim_start().is_empty()
}
