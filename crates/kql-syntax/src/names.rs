//! Name text read straight from the green tree: the one implementation behind
//! [`crate::ast::name_text`], [`crate::ast::NameRef::text`] and [`crate::ast::CallExpr::name`].
//!
//! Red nodes and tokens are each a heap allocation; the binder, the lint rules and the editor
//! features ask for a great many names, so names are read from the green tree instead.

use std::borrow::Cow;

use crate::{KqlLanguage, SyntaxKind, SyntaxNode};
use rowan::{GreenNodeData, GreenTokenData, Language, NodeOrToken};

/// The name a `NAME`/`NAME_REF` node spells (an identifier or `['quoted']`), as written.
pub fn name_text(node: &SyntaxNode) -> Option<String> {
    green_name_text(&node.green())
}

/// [`name_text`] borrowed from the tree when it is a plain identifier: the binder reads the name
/// of every column reference, and most need no `String`.
pub fn name_str(node: &SyntaxNode) -> Option<Cow<'_, str>> {
    match node.green() {
        Cow::Borrowed(green) => green_name_str(green),
        Cow::Owned(green) => green_name_text(&green).map(Cow::Owned),
    }
}

/// [`call_name`] borrowed from the tree (see [`name_str`]).
pub fn call_name_str(node: &SyntaxNode) -> Option<Cow<'_, str>> {
    if node.kind() != SyntaxKind::CALL_EXPR {
        return None;
    }
    match node.green() {
        Cow::Borrowed(green) => green_name_ref_str(first_child(green)?),
        Cow::Owned(green) => green_name_ref_text(first_child(&green)?).map(Cow::Owned),
    }
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
    green_name_ref_str(node).map(Cow::into_owned)
}

fn green_name_ref_str(node: &GreenNodeData) -> Option<Cow<'_, str>> {
    if kind(node.kind()) != SyntaxKind::NAME_REF {
        return None;
    }
    green_name_str(node)
}

fn kind(raw: rowan::SyntaxKind) -> SyntaxKind {
    KqlLanguage::kind_from_raw(raw)
}

fn green_name_text(node: &GreenNodeData) -> Option<String> {
    green_name_str(node).map(Cow::into_owned)
}

fn green_name_str(node: &GreenNodeData) -> Option<Cow<'_, str>> {
    let mut toks: [Option<&GreenTokenData>; 3] = [None; 3];
    let mut n = 0;
    if !significant_tokens(node, &mut toks, &mut n) {
        return None;
    }
    match toks[..n] {
        [Some(t)] if kind(t.kind()) == SyntaxKind::IDENT => Some(Cow::Borrowed(t.text())),
        [Some(open), Some(s), Some(close)]
            if kind(open.kind()) == SyntaxKind::L_BRACK
                && kind(s.kind()) == SyntaxKind::STRING_LITERAL
                && kind(close.kind()) == SyntaxKind::R_BRACK =>
        {
            crate::string_literal_value(s.text()).map(Cow::Owned)
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

    /// `name_is` and `name_str` agree with `name_text` on plain, quoted and non-name nodes.
    #[test]
    fn name_is_agrees_with_name_text() {
        let root =
            crate::parse("let a = 1; let ['b c'] = 2; print a, ['b c'], x.y, f(1), x.g()").syntax();
        for node in root.descendants() {
            assert_eq!(
                call_name_str(&node).map(Cow::into_owned),
                call_name(&node),
                "{node:?}"
            );
            if !matches!(
                node.kind(),
                SyntaxKind::NAME | SyntaxKind::NAME_REF | SyntaxKind::MEMBER_EXPR
            ) {
                continue;
            }
            assert_eq!(
                name_str(&node).map(Cow::into_owned),
                name_text(&node),
                "{node:?}"
            );
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
