//! Name text read straight from the green tree: the one implementation behind
//! [`crate::ast::name_text`], [`crate::ast::NameRef::text`] and [`crate::ast::CallExpr::name`].
//!
//! Red nodes and tokens are each a heap allocation; the binder, the lint rules and the editor
//! features ask for a great many names, so names are read from the green tree instead.

use crate::{KqlLanguage, SyntaxKind, SyntaxNode};
use rowan::{GreenNodeData, GreenTokenData, Language, NodeOrToken};

/// The name a `NAME`/`NAME_REF` node spells (an identifier or `['quoted']`), as written.
pub fn name_text(node: &SyntaxNode) -> Option<String> {
    green_name_text(&node.green())
}

/// The name a `NAME_REF` spells; `None` for any other node.
pub fn name_ref_text(node: &SyntaxNode) -> Option<String> {
    green_name_ref_text(&node.green())
}

/// Whether the `NAME`/`NAME_REF` node spells `name` (what [`name_text`] gives), without making a
/// `String` for a plain identifier: name lookups compare one name with many declarations.
pub fn name_is(node: &SyntaxNode, name: &str) -> bool {
    let green = node.green();
    let mut toks: [Option<&GreenTokenData>; 3] = [None; 3];
    let mut n = 0;
    if !significant_tokens(&green, &mut toks, &mut n) {
        return false;
    }
    match toks[..n] {
        [Some(t)] if kind(t.kind()) == SyntaxKind::IDENT => t.text() == name,
        [_, _, _] => green_name_text(&green).as_deref() == Some(name),
        _ => false,
    }
}

/// The called function's name when it is a plain name (`ago` in `ago(7d)`); `None` for any node but a `CALL_EXPR`.
pub fn call_name(node: &SyntaxNode) -> Option<String> {
    if node.kind() != SyntaxKind::CALL_EXPR {
        return None;
    }
    green_name_ref_text(first_child(&node.green())?)
}

fn first_child(node: &GreenNodeData) -> Option<&GreenNodeData> {
    node.children().find_map(NodeOrToken::into_node)
}

fn green_name_ref_text(node: &GreenNodeData) -> Option<String> {
    if kind(node.kind()) != SyntaxKind::NAME_REF {
        return None;
    }
    green_name_text(node)
}

fn kind(raw: rowan::SyntaxKind) -> SyntaxKind {
    KqlLanguage::kind_from_raw(raw)
}

fn green_name_text(node: &GreenNodeData) -> Option<String> {
    let mut toks: [Option<&GreenTokenData>; 3] = [None; 3];
    let mut n = 0;
    if !significant_tokens(node, &mut toks, &mut n) {
        return None;
    }
    match toks[..n] {
        [Some(t)] if kind(t.kind()) == SyntaxKind::IDENT => Some(t.text().to_string()),
        [Some(open), Some(s), Some(close)]
            if kind(open.kind()) == SyntaxKind::L_BRACK
                && kind(s.kind()) == SyntaxKind::STRING_LITERAL
                && kind(close.kind()) == SyntaxKind::R_BRACK =>
        {
            crate::string_literal_value(s.text())
        }
        _ => None,
    }
}

/// Collects the first non-trivia tokens under `node` in order; `false` when there are more than
/// fit (no name has that many).
fn significant_tokens<'g>(
    node: &'g GreenNodeData,
    out: &mut [Option<&'g GreenTokenData>; 3],
    n: &mut usize,
) -> bool {
    for c in node.children() {
        match c {
            NodeOrToken::Node(child) => {
                if !significant_tokens(child, out, n) {
                    return false;
                }
            }
            NodeOrToken::Token(t) => {
                if kind(t.kind()).is_trivia() {
                    continue;
                }
                if *n == out.len() {
                    return false;
                }
                out[*n] = Some(t);
                *n += 1;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name_is` agrees with `name_text` on plain, quoted and non-name nodes.
    #[test]
    fn name_is_agrees_with_name_text() {
        let root = crate::parse("let a = 1; let ['b c'] = 2; print a, ['b c'], x.y").syntax();
        for node in root.descendants() {
            if !matches!(
                node.kind(),
                SyntaxKind::NAME | SyntaxKind::NAME_REF | SyntaxKind::MEMBER_EXPR
            ) {
                continue;
            }
            for name in ["a", "b c", "x", "y", "x.y", ""] {
                assert_eq!(
                    name_is(&node, name),
                    name_text(&node).as_deref() == Some(name),
                    "{node:?} vs {name}"
                );
            }
        }
    }
}
