//! What every rule sees: the text, the tree, the settings, the schema, and shared helpers.

use std::cell::OnceCell;

use kql_diagnostics::{Diagnostic, Severity, TextRange};
use kql_schema::{Schema, Table};
use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode, SyntaxToken};

use crate::Settings;

pub struct Checker<'a> {
    pub text: &'a str,
    pub root: SyntaxNode,
    pub settings: &'a Settings,
    pub schema: &'static Schema,
    /// Every node, grouped by kind (indexed by `kind as usize`), in preorder: one traversal
    /// shared by all rules, and a plain index rather than a hash per node.
    by_kind: Vec<Vec<SyntaxNode>>,
    /// Shared by the time rules.
    pub(crate) time_reads: OnceCell<Vec<TimeRead>>,
}

/// A read of a table with a time column: the `NAME_REF`, the column, the interval per path.
pub(crate) type TimeRead = (SyntaxNode, String, Vec<crate::analysis::Interval>);

impl<'a> Checker<'a> {
    pub fn new(text: &'a str, root: SyntaxNode, settings: &'a Settings) -> Self {
        let mut by_kind: Vec<Vec<SyntaxNode>> = vec![Vec::new(); SyntaxKind::__LAST as usize + 1];
        for n in root.descendants() {
            by_kind[n.kind() as usize].push(n);
        }
        Checker {
            text,
            root,
            settings,
            schema: Schema::advanced_hunting(),
            by_kind,
            time_reads: OnceCell::new(),
        }
    }

    /// A diagnostic for a rule; the registry fills in code, rule name and severity.
    pub fn report(&self, message: impl Into<String>, range: TextRange) -> Diagnostic {
        Diagnostic::new("", Severity::Warning, message, range)
    }

    /// Every node of `kind`, in preorder.
    pub fn nodes(&self, kind: SyntaxKind) -> impl Iterator<Item = SyntaxNode> + '_ {
        self.by_kind[kind as usize].iter().cloned()
    }

    /// The schema table a `NAME_REF` names, unless a `let` of the same name shadows it.
    pub fn table_of(&self, name_ref: &SyntaxNode) -> Option<&'static Table> {
        let name = ast::NameRef::cast(name_ref.clone())?.text()?;
        let table = self.schema.table(&name)?;
        if kql_semantic::fold::find_let(name_ref, &name).is_some() {
            return None;
        }
        Some(table)
    }

    /// Diagnostics about `--timespan` itself (reported once per file at offset 0).
    pub fn timespan_diagnostics(&self) -> Vec<Diagnostic> {
        crate::rules::time_beyond_retention::check_timespan(self)
    }
}

/// Whether `node` is in a position where a tabular expression (a table) is read.
pub fn is_tabular_position(node: &SyntaxNode) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    match parent.kind() {
        SyntaxKind::PIPE_EXPR => parent.first_child().as_ref() == Some(node),
        SyntaxKind::QUERY_STMT
        | SyntaxKind::PAREN_EXPR
        | SyntaxKind::NAME_LIST
        | SyntaxKind::LET_STMT
        | SyntaxKind::UNION_OP
        | SyntaxKind::JOIN_OP
        | SyntaxKind::LOOKUP_OP => true,
        SyntaxKind::ARG_LIST => parent
            .parent()
            .and_then(ast::CallExpr::cast)
            .and_then(|c| c.name())
            .is_some_and(|n| n == "materialize"),
        _ => false,
    }
}

/// Significant (non-trivia) tokens directly under `node`.
pub fn tokens(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> {
    node.children_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
}

/// The plain name of a `NAME_REF` (or `None`).
pub fn name_ref_text(node: &SyntaxNode) -> Option<String> {
    if node.kind() != SyntaxKind::NAME_REF {
        return None;
    }
    ast::NameRef::cast(node.clone())?.text()
}

/// Strips parentheses around an expression.
pub fn unparen(mut node: SyntaxNode) -> SyntaxNode {
    while node.kind() == SyntaxKind::PAREN_EXPR {
        match node.first_child() {
            Some(c) => node = c,
            None => break,
        }
    }
    node
}

/// The value of a string literal node.
pub fn string_value(node: &SyntaxNode) -> Option<String> {
    ast::Literal::cast(node.clone())?.string_value()
}

/// The lowercase operator text of a binary expression (`has`, `!contains`, `==`).
pub fn bin_op(node: &SyntaxNode) -> Option<(String, SyntaxToken)> {
    let tok = ast::BinExpr::cast(node.clone())?.op()?;
    Some((tok.text().to_ascii_lowercase(), tok))
}

/// The name of a call (`ago` in `ago(1d)`).
pub fn call_name(node: &SyntaxNode) -> Option<String> {
    ast::CallExpr::cast(node.clone())?.name()
}

pub fn call_args(node: &SyntaxNode) -> Vec<SyntaxNode> {
    ast::CallExpr::cast(node.clone())
        .map(|c| c.args().collect())
        .unwrap_or_default()
}

/// The leftmost source of the pipeline around `node` (the table a `where` filters).
pub fn pipeline_source(node: &SyntaxNode) -> Option<SyntaxNode> {
    let pipe = node
        .ancestors()
        .find(|n| n.kind() == SyntaxKind::PIPE_EXPR)?;
    let mut cur = pipe;
    while cur.kind() == SyntaxKind::PIPE_EXPR {
        cur = cur.first_child()?;
    }
    Some(cur)
}
