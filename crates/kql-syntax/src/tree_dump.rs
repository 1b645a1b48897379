//! A readable dump of the tree, for `kql parse --tree` and snapshot tests.

use std::fmt::Write;

use crate::{SyntaxElement, SyntaxNode};

/// One line per node and token: `KIND@start..end`, tokens with their text.
pub fn debug_tree(node: &SyntaxNode) -> String {
    let mut out = String::new();
    let mut indent = 0usize;
    for event in node.preorder_with_tokens() {
        match event {
            rowan::WalkEvent::Enter(element) => {
                let range = element.text_range();
                let _ = write!(
                    out,
                    "{:indent$}{:?}@{}..{}",
                    "",
                    element.kind(),
                    u32::from(range.start()),
                    u32::from(range.end()),
                    indent = indent * 2
                );
                if let SyntaxElement::Token(t) = &element {
                    let _ = write!(out, " {:?}", t.text());
                }
                out.push('\n');
                indent += 1;
            }
            rowan::WalkEvent::Leave(_) => indent -= 1,
        }
    }
    out
}
