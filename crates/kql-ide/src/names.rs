//! Finding the name under the cursor, and spelling names the way KQL needs them.

use kql_syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize};
use rowan::TokenAtOffset;

/// The `NAME` or `NAME_REF` node touching `offset` (the one on the right when the cursor sits
/// between two names).
pub(crate) fn name_node_at(root: &SyntaxNode, offset: TextSize) -> Option<SyntaxNode> {
    let candidates: Vec<SyntaxToken> = match root.token_at_offset(offset) {
        TokenAtOffset::None => Vec::new(),
        TokenAtOffset::Single(t) => vec![t],
        TokenAtOffset::Between(l, r) => vec![r, l],
    };
    candidates.into_iter().find_map(|t| name_node_of(&t))
}

/// The `NAME`/`NAME_REF` a token spells part of (`x`, or any token of `['x']`).
pub(crate) fn name_node_of(token: &SyntaxToken) -> Option<SyntaxNode> {
    if token.kind().is_trivia() {
        return None;
    }
    token
        .parent_ancestors()
        .take(2)
        .find(|n| matches!(n.kind(), SyntaxKind::NAME | SyntaxKind::NAME_REF))
}

/// The range of a node's significant tokens (without leading or trailing whitespace/comments).
pub(crate) fn trimmed_range(node: &SyntaxNode) -> TextRange {
    let mut tokens = node
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia());
    let Some(first) = tokens.next() else {
        return TextRange::empty(node.text_range().start());
    };
    let last = tokens.last().unwrap_or_else(|| first.clone());
    TextRange::new(first.text_range().start(), last.text_range().end())
}

/// The nearest tabular operator around `node` (itself included).
pub(crate) fn enclosing_operator(node: &SyntaxNode) -> Option<SyntaxNode> {
    node.ancestors().find(|n| n.kind().is_tabular_operator())
}

/// The outermost `PIPE_EXPR` that `op` (an operator, or a pipeline's source) is part of (works
/// whether pipelines nest or are flat).
pub(crate) fn pipeline_of(op: &SyntaxNode) -> Option<SyntaxNode> {
    let mut cur = op.parent().filter(|p| p.kind() == SyntaxKind::PIPE_EXPR)?;
    while let Some(parent) = cur.parent() {
        if parent.kind() == SyntaxKind::PIPE_EXPR && parent.first_child().as_ref() == Some(&cur) {
            cur = parent;
        } else {
            break;
        }
    }
    Some(cur)
}

/// The statement or parameter that declares the symbol whose name is at `definition`: a
/// `LET_STMT`, a `PARAM` or an `AS_OP`.
pub(crate) fn declaration_of(root: &SyntaxNode, definition: TextRange) -> Option<SyntaxNode> {
    let start = match root.covering_element(definition) {
        rowan::NodeOrToken::Node(n) => n,
        rowan::NodeOrToken::Token(t) => t.parent()?,
    };
    start.ancestors().find(|n| {
        matches!(
            n.kind(),
            SyntaxKind::LET_STMT | SyntaxKind::PARAM | SyntaxKind::AS_OP
        )
    })
}

/// The previous non-trivia token before `token`.
pub(crate) fn prev_significant(token: &SyntaxToken) -> Option<SyntaxToken> {
    let mut t = token.prev_token()?;
    while t.kind().is_trivia() || t.text().is_empty() {
        t = t.prev_token()?;
    }
    Some(t)
}

/// Whether `name` can be written as a bare identifier.
pub(crate) fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `name` as KQL text: bare when possible, else `['name']` with quotes and backslashes escaped.
pub(crate) fn quote_name(name: &str) -> String {
    if is_plain_identifier(name) {
        name.to_string()
    } else {
        let escaped = name.replace('\\', "\\\\").replace('\'', "\\'");
        format!("['{escaped}']")
    }
}

/// The name a rename target may take: a plain identifier, or `['…']`-quoted text (returned
/// unquoted). `None` for anything else.
pub(crate) fn parse_new_name(text: &str) -> Option<String> {
    let text = text.trim();
    if is_plain_identifier(text) {
        return Some(text.to_string());
    }
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let value = kql_syntax::string_literal_value(inner)?;
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_only_when_needed() {
        assert_eq!(quote_name("DeviceName"), "DeviceName");
        assert_eq!(quote_name("_x1"), "_x1");
        assert_eq!(quote_name("with space"), "['with space']");
        assert_eq!(quote_name("it's"), "['it\\'s']");
        assert_eq!(quote_name("1st"), "['1st']");
    }

    #[test]
    fn new_names_are_identifiers_or_quoted() {
        assert_eq!(parse_new_name("Count").as_deref(), Some("Count"));
        assert_eq!(parse_new_name("['a b']").as_deref(), Some("a b"));
        assert_eq!(parse_new_name("a b"), None);
        assert_eq!(parse_new_name(""), None);
        assert_eq!(parse_new_name("['']"), None);
    }
}
