//! Range formatting for editors: only the statements (or blocks) a selection touches change.

use kql_diagnostics::TextEdit;
use kql_syntax::{SyntaxNode, TextRange};

use crate::{format_parse, format_text, FormatError, FormatOptions};

/// Formats the smallest run of top-level statements covering `range`; the edits apply to `text`.
/// A range touching no statement (only blank lines or comments between them) gives no edit.
pub fn format_range(
    text: &str,
    range: TextRange,
    options: &FormatOptions,
) -> Result<Vec<TextEdit>, FormatError> {
    let parse = kql_syntax::parse(text);
    let formatted = format_parse(text, &parse, options)?;
    let before = statement_spans(&parse.syntax());
    let after = statement_spans(&kql_syntax::parse(&formatted).syntax());
    if before.len() != after.len() {
        return Err(FormatError {
            message: "kql-fmt changed the number of statements (a bug in kql-fmt)".to_string(),
            range,
        });
    }
    let touched: Vec<usize> = before
        .iter()
        .enumerate()
        .filter(|(_, span)| touches(**span, range))
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (touched.first(), touched.last()) else {
        return Ok(Vec::new());
    };
    let old = before[first].cover(before[last]);
    let new = after[first].cover(after[last]);
    Ok(edit_if_changed(text, old, &formatted[new]))
}

/// Like [`format_range`] for files of blank-line-separated queries: every block the range
/// touches is formatted on its own (the others are left as they are, even when broken).
pub fn format_range_blocks(
    text: &str,
    range: TextRange,
    options: &FormatOptions,
) -> Result<Vec<TextEdit>, FormatError> {
    let mut edits = Vec::new();
    for block in kql_syntax::block_ranges(text) {
        if !touches(block, range) {
            continue;
        }
        let formatted = format_text(&text[block], options).map_err(|e| FormatError {
            range: e.range + block.start(),
            ..e
        })?;
        edits.extend(edit_if_changed(
            text,
            block,
            formatted.trim_end_matches('\n'),
        ));
    }
    Ok(edits)
}

fn edit_if_changed(text: &str, old: TextRange, new: &str) -> Vec<TextEdit> {
    if &text[old] == new {
        Vec::new()
    } else {
        vec![TextEdit::replace(old, new)]
    }
}

/// Whether a selection touches a span (an empty selection touches the span it is in or at the
/// edge of, so a cursor at the end of a statement formats it).
fn touches(span: TextRange, selection: TextRange) -> bool {
    if selection.is_empty() {
        span.contains_inclusive(selection.start())
    } else {
        span.intersect(selection).is_some_and(|i| !i.is_empty())
    }
}

/// From the first to the last significant token of each top-level statement (comments before or
/// after a statement are not part of it).
fn statement_spans(root: &SyntaxNode) -> Vec<TextRange> {
    root.children()
        .filter_map(|statement| {
            let mut tokens = statement
                .descendants_with_tokens()
                .filter_map(|e| e.into_token())
                .filter(|t| !t.kind().is_trivia() && !t.text().is_empty());
            let first = tokens.next()?;
            let last = tokens.last().unwrap_or_else(|| first.clone());
            Some(first.text_range().cover(last.text_range()))
        })
        .collect()
}
