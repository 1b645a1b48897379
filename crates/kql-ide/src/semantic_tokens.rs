//! Semantic tokens: every name classified by what it refers to (table, column, function, `let`
//! variable, parameter), keywords, operators, literals and comments.

use std::collections::HashMap;

use kql_schema::FunctionCatalog;
use kql_semantic::names::name_text;
use kql_syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange};

use crate::names::name_node_of;
use crate::types::{SemanticToken, SemanticTokenKind as K, SemanticTokenModifiers as M};
use crate::Analysis;

pub(crate) fn semantic_tokens(a: &Analysis, range: Option<TextRange>) -> Vec<SemanticToken> {
    let root = a.root();
    let symbols = symbol_kinds(a, &root);
    let mut out: Vec<SemanticToken> = Vec::new();
    let mut last_name: Option<SyntaxNode> = None;
    for token in root
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        let r = token.text_range();
        if let Some(range) = range {
            if r.end() < range.start() || r.start() >= range.end() {
                continue;
            }
        }
        if let Some(name) = name_node_of(&token) {
            // A `['quoted']` name is one token made of three.
            if last_name.as_ref() == Some(&name) {
                continue;
            }
            let name_range = crate::names::trimmed_range(&name);
            last_name = Some(name.clone());
            if let Some((kind, modifiers)) = classify_name(a, &name, name_range, &symbols) {
                out.push(SemanticToken {
                    range: name_range,
                    kind,
                    modifiers,
                });
            }
            continue;
        }
        if let Some(kind) = classify_token(&token) {
            out.push(SemanticToken {
                range: r,
                kind,
                modifiers: M::default(),
            });
        }
    }
    out
}

/// The kind of every `let`/`as` name and parameter, by the ranges of its definition and uses.
fn symbol_kinds(a: &Analysis, root: &SyntaxNode) -> HashMap<TextRange, (K, bool)> {
    let mut map = HashMap::new();
    for s in a.model().symbols() {
        let decl = crate::names::declaration_of(root, s.definition);
        let kind = match decl.as_ref().map(|d| d.kind()) {
            Some(SyntaxKind::PARAM) => K::Parameter,
            Some(SyntaxKind::LET_STMT)
                if decl
                    .as_ref()
                    .and_then(|d| d.children().last())
                    .is_some_and(|v| v.kind() == SyntaxKind::LAMBDA) =>
            {
                K::Function
            }
            _ => K::Variable,
        };
        map.insert(s.definition, (kind, true));
        for r in &s.references {
            map.insert(*r, (kind, false));
        }
    }
    map
}

fn classify_name(
    a: &Analysis,
    name: &SyntaxNode,
    range: TextRange,
    symbols: &HashMap<TextRange, (K, bool)>,
) -> Option<(K, M)> {
    if let Some(&(kind, decl)) = symbols.get(&range) {
        let m = if decl { M::DECLARATION } else { M::default() };
        return Some((kind, m));
    }
    let parent = name.parent()?;
    if name.kind() == SyntaxKind::NAME {
        if parent.kind() == SyntaxKind::MEMBER_EXPR {
            return Some((K::Column, M::default()));
        }
        if crate::occurrences::defines_column(name) {
            return Some((K::Column, M::DECLARATION));
        }
        return None;
    }
    let text = name_text(name)?;
    if text.starts_with('$') {
        return Some((K::Keyword, M::default()));
    }
    if parent.kind() == SyntaxKind::CALL_EXPR && parent.first_child().as_ref() == Some(name) {
        return Some(match FunctionCatalog::builtin().lookup(&text) {
            Some(f) if f.deprecated_by.is_some() => {
                (K::Function, M::DEFAULT_LIBRARY | M::DEPRECATED)
            }
            Some(_) => (K::Function, M::DEFAULT_LIBRARY),
            None => (K::Function, M::default()),
        });
    }
    if parent.kind() == SyntaxKind::OPERATOR_PARAM {
        return Some((K::Keyword, M::default()));
    }
    if let Some(t) = a.schema().table(&text) {
        if kql_lint::checker::is_tabular_position(name) {
            let mut m = if a.schema().is_builtin() {
                M::DEFAULT_LIBRARY
            } else {
                M::default()
            };
            if t.renamed_to.is_some() {
                m = m | M::DEPRECATED;
            }
            return Some((K::Table, m));
        }
    }
    if parent.kind() == SyntaxKind::MEMBER_EXPR && parent.first_child().as_ref() != Some(name) {
        return Some((K::Column, M::default()));
    }
    Some((K::Column, M::default()))
}

fn classify_token(token: &SyntaxToken) -> Option<K> {
    use SyntaxKind::*;
    Some(match token.kind() {
        COMMENT => K::Comment,
        STRING_LITERAL => K::String,
        INT_LITERAL | REAL_LITERAL => K::Number,
        TIMESPAN_LITERAL => K::TimeSpan,
        TYPED_LITERAL => {
            let t = token.text().to_ascii_lowercase();
            if t.starts_with("datetime") {
                K::DateTime
            } else if t.starts_with("timespan") || t.starts_with("time(") {
                K::TimeSpan
            } else if t.starts_with("guid") || t.starts_with("dynamic") {
                K::String
            } else {
                K::Number
            }
        }
        IDENT => {
            let parent = token.parent()?;
            if parent.kind() == TYPE_REF {
                K::Type
            } else {
                K::Keyword
            }
        }
        OP_WORD => K::Keyword,
        PIPE | EQ | EQ2 | NEQ | LT | LTEQ | GT | GTEQ | EQ_TILDE | BANG_TILDE | PLUS | MINUS
        | STAR | SLASH | PERCENT | FAT_ARROW | DOT2 => K::Operator,
        _ => return None,
    })
}
