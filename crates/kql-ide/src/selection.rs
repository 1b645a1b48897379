//! Selection ranges: from the token under the cursor out through every enclosing node, each
//! without surrounding whitespace and comments.

use kql_syntax::{TextRange, TextSize};

use crate::names::trimmed_range;
use crate::Analysis;

pub(crate) fn selection_ranges(a: &Analysis, offset: TextSize) -> Vec<TextRange> {
    let root = a.root();
    let Some(token) = root
        .token_at_offset(offset)
        .max_by_key(|t| !t.kind().is_trivia())
    else {
        return Vec::new();
    };
    let mut out: Vec<TextRange> = Vec::new();
    if !token.kind().is_trivia() {
        out.push(token.text_range());
    }
    for node in token.parent_ancestors() {
        let r = trimmed_range(&node);
        if !r.contains_inclusive(offset) && !out.is_empty() {
            continue;
        }
        if out
            .last()
            .is_none_or(|last| r != *last && r.contains_range(*last))
        {
            out.push(r);
        }
    }
    let whole = TextRange::up_to(TextSize::of(a.text()));
    if out.last() != Some(&whole) {
        out.push(whole);
    }
    out
}
