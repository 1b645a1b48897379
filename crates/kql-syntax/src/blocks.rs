//! Blocks mode: a file of several queries separated by blank lines, as Kusto's editors treat it.

use rowan::{GreenNode, GreenToken, NodeOrToken};

use crate::lexer::tokenize;
use crate::{parse_to_green, Parse, SyntaxKind, TextRange, TextSize};

/// Byte ranges of the blocks: maximal runs of lines between blank lines. A blank line inside a
/// multi-line string does not split it (the lexer sees the string as one token).
pub(crate) fn block_ranges(text: &str) -> Vec<TextRange> {
    let tokens = tokenize(text);
    let mut ranges = Vec::new();
    let mut block_start: Option<u32> = None;
    let mut last_end = 0u32;
    for i in 0..tokens.len() {
        let (start, end) = (tokens.start(i), tokens.end(i));
        if tokens.kind(i) == SyntaxKind::WHITESPACE {
            let ws = tokens.text(i);
            if block_start.is_some() && has_blank_line(ws) {
                let s = block_start.take().unwrap_or(0);
                ranges.push(TextRange::new(s.into(), last_end.into()));
            }
            continue;
        }
        if block_start.is_none() {
            block_start = Some(start);
        }
        last_end = end;
    }
    if let Some(s) = block_start {
        ranges.push(TextRange::new(s.into(), last_end.into()));
    }
    ranges
}

/// Two line breaks with only spaces between them.
fn has_blank_line(ws: &str) -> bool {
    ws.bytes().filter(|&b| b == b'\n').count() >= 2
}

pub(crate) fn parse_blocks(text: &str) -> Parse {
    let mut children: Vec<NodeOrToken<GreenNode, GreenToken>> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut pos = 0usize;
    for range in block_ranges(text) {
        let (start, end) = (usize::from(range.start()), usize::from(range.end()));
        if start > pos {
            children.push(NodeOrToken::Token(GreenToken::new(
                SyntaxKind::WHITESPACE.into(),
                &text[pos..start],
            )));
        }
        let (green, diags) = parse_to_green(&text[start..end], SyntaxKind::QUERY_BLOCK);
        children.push(NodeOrToken::Node(green));
        let offset = TextSize::from(start as u32);
        diagnostics.extend(diags.into_iter().map(|d| d.shifted(offset)));
        pos = end;
    }
    if pos < text.len() {
        children.push(NodeOrToken::Token(GreenToken::new(
            SyntaxKind::WHITESPACE.into(),
            &text[pos..],
        )));
    }
    Parse {
        green: GreenNode::new(SyntaxKind::SOURCE_FILE.into(), children),
        diagnostics,
    }
}
