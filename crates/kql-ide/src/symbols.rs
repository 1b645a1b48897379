//! Document symbols: blocks (in blocks mode), statements, `let` names with their parameters,
//! queries with the columns they introduce.

use kql_semantic::names::name_text;
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::names::trimmed_range;
use crate::occurrences::defines_column;
use crate::{Analysis, DocumentSymbol, SymbolKind};

pub(crate) fn document_symbols(a: &Analysis) -> Vec<DocumentSymbol> {
    let root = a.root();
    let blocks: Vec<SyntaxNode> = root
        .children()
        .filter(|c| c.kind() == SyntaxKind::QUERY_BLOCK)
        .collect();
    if blocks.is_empty() {
        return statements(&root);
    }
    blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let range = trimmed_range(b);
            DocumentSymbol {
                name: format!("Block {}", i + 1),
                detail: Some(first_line(b)),
                kind: SymbolKind::Block,
                range,
                selection_range: range,
                children: statements(b),
            }
        })
        .collect()
}

fn statements(scope: &SyntaxNode) -> Vec<DocumentSymbol> {
    scope.children().filter_map(|s| statement(&s)).collect()
}

fn statement(stmt: &SyntaxNode) -> Option<DocumentSymbol> {
    let range = trimmed_range(stmt);
    match stmt.kind() {
        SyntaxKind::LET_STMT => {
            let name_node = stmt.children().find(|c| c.kind() == SyntaxKind::NAME)?;
            let value = stmt
                .children()
                .filter(|c| c.kind() != SyntaxKind::NAME)
                .last();
            let lambda = value.as_ref().filter(|v| v.kind() == SyntaxKind::LAMBDA);
            let mut children: Vec<DocumentSymbol> = Vec::new();
            if let Some(l) = lambda {
                children.extend(params(l));
                if let Some(body) = l.children().find(|c| c.kind() == SyntaxKind::FUNCTION_BODY) {
                    children.extend(statements(&body));
                }
            } else if let Some(v) = &value {
                children.extend(columns(v));
            }
            Some(DocumentSymbol {
                name: name_text(&name_node)?,
                detail: value.as_ref().map(first_line),
                kind: if lambda.is_some() {
                    SymbolKind::Function
                } else {
                    SymbolKind::Variable
                },
                range,
                selection_range: trimmed_range(&name_node),
                children,
            })
        }
        SyntaxKind::QUERY_STMT => {
            let expr = stmt.first_child()?;
            let source =
                <kql_syntax::ast::PipeExpr as kql_syntax::ast::AstNode>::cast(expr.clone())
                    .and_then(|p| p.source())
                    .unwrap_or_else(|| expr.clone());
            Some(DocumentSymbol {
                name: first_line(&source),
                detail: Some(first_line(stmt)),
                kind: SymbolKind::Query,
                range,
                selection_range: trimmed_range(&source),
                children: columns(&expr),
            })
        }
        SyntaxKind::SET_STMT
        | SyntaxKind::DECLARE_STMT
        | SyntaxKind::ALIAS_STMT
        | SyntaxKind::PATTERN_STMT
        | SyntaxKind::RESTRICT_STMT => Some(DocumentSymbol {
            name: first_line(stmt),
            detail: None,
            kind: SymbolKind::Statement,
            range,
            selection_range: range,
            children: Vec::new(),
        }),
        _ => None,
    }
}

fn params(lambda: &SyntaxNode) -> Vec<DocumentSymbol> {
    crate::signatures::param_nodes(lambda)
        .filter_map(|p| {
            let name = p.children().find(|c| c.kind() == SyntaxKind::NAME)?;
            Some(DocumentSymbol {
                name: name_text(&name)?,
                detail: p
                    .children()
                    .find(|c| c.kind() == SyntaxKind::TYPE_REF)
                    .map(|t| t.text().to_string()),
                kind: SymbolKind::Parameter,
                range: trimmed_range(&p),
                selection_range: trimmed_range(&name),
                children: Vec::new(),
            })
        })
        .collect()
}

/// The columns a tabular expression's operators introduce (not those of nested subqueries'
/// `let`s, which have their own entries).
fn columns(expr: &SyntaxNode) -> Vec<DocumentSymbol> {
    expr.descendants()
        .filter(|n| n.kind() == SyntaxKind::NAME && defines_column(n))
        .filter_map(|n| {
            let assignment = n.parent()?;
            let op = n.ancestors().find(|a| a.kind().is_tabular_operator())?;
            let keyword = op.first_token().map(|t| t.text().to_string());
            Some(DocumentSymbol {
                name: name_text(&n)?,
                detail: keyword,
                kind: SymbolKind::Column,
                range: trimmed_range(&assignment),
                selection_range: trimmed_range(&n),
                children: Vec::new(),
            })
        })
        .collect()
}

/// A node's first line of text, trimmed and shortened.
fn first_line(node: &SyntaxNode) -> String {
    let text = node.text().to_string();
    let line = text.trim().lines().next().unwrap_or("").trim().to_string();
    if line.chars().count() > 60 {
        let cut: String = line.chars().take(60).collect();
        format!("{cut}…")
    } else {
        line
    }
}
