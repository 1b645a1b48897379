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
    /// Every node, grouped by kind and in preorder within a kind: one traversal shared by all
    /// rules. One flat list (a counting sort) rather than a `Vec` per kind, which cost an
    /// allocation per kind per file.
    by_kind: Vec<SyntaxNode>,
    /// `by_kind[starts[k]..starts[k + 1]]` are the nodes of kind `k`.
    starts: Vec<u32>,
    /// The nodes of [`SKIPPED`] kinds, found on demand (no rule asks for them today).
    skipped: [OnceCell<Vec<SyntaxNode>>; SKIPPED.len()],
    /// Shared by the time rules.
    pub(crate) time_reads: OnceCell<Vec<TimeRead>>,
    /// Shared by the rules about binary operators (see [`Checker::bin_ops`]).
    bin_ops: OnceCell<Vec<(SyntaxNode, String, SyntaxToken)>>,
}

/// Kinds that hold only tokens and that no rule asks for: the index leaves them out, which saves
/// a red node (an allocation) for about a third of all nodes. [`Checker::nodes`] still finds them.
const SKIPPED: [SyntaxKind; 2] = [SyntaxKind::NAME, SyntaxKind::LITERAL];

/// `root` and its descendants in preorder, without nodes of [`SKIPPED`] kinds; `None` when one
/// of those has child nodes after all (then the caller walks everything).
fn indexed_nodes(root: &SyntaxNode) -> Option<Vec<(SyntaxKind, SyntaxNode)>> {
    let keep = |k: SyntaxKind| !SKIPPED.contains(&k);
    let mut out = vec![(root.kind(), root.clone())];
    // Nodes whose children are being visited, innermost last.
    let mut open: Vec<SyntaxNode> = Vec::new();
    let mut cur = root.first_child_by_kind(&keep);
    check_skipped_are_leaves(root)?;
    loop {
        match cur {
            Some(n) => {
                check_skipped_are_leaves(&n)?;
                out.push((n.kind(), n.clone()));
                cur = n.first_child_by_kind(&keep);
                open.push(n);
            }
            None => match open.pop() {
                Some(done) => cur = done.next_sibling_by_kind(&keep),
                None => return Some(out),
            },
        }
    }
}

/// `None` when a child of `node` of a [`SKIPPED`] kind has child nodes (read from the green
/// tree, so nothing is allocated).
fn check_skipped_are_leaves(node: &SyntaxNode) -> Option<()> {
    use kql_syntax::KqlLanguage;
    use rowan::{Language, NodeOrToken};
    let nested = node.green().children().any(|c| match c {
        NodeOrToken::Node(g) => {
            SKIPPED.contains(&KqlLanguage::kind_from_raw(g.kind()))
                && g.children().any(|x| x.as_node().is_some())
        }
        NodeOrToken::Token(_) => false,
    });
    (!nested).then_some(())
}

/// A read of a table with a time column: the `NAME_REF`, the column, the interval per path.
pub(crate) type TimeRead = (SyntaxNode, String, Vec<crate::analysis::Interval>);

impl<'a> Checker<'a> {
    pub fn new(text: &'a str, root: SyntaxNode, settings: &'a Settings) -> Self {
        const KINDS: usize = SyntaxKind::__LAST as usize + 1;
        let all = indexed_nodes(&root)
            .unwrap_or_else(|| root.descendants().map(|n| (n.kind(), n)).collect());
        let mut starts = vec![0u32; KINDS + 1];
        for (k, _) in &all {
            starts[*k as usize + 1] += 1;
        }
        for k in 0..KINDS {
            starts[k + 1] += starts[k];
        }
        let mut next = starts.clone();
        let mut slots: Vec<Option<SyntaxNode>> = vec![None; all.len()];
        for (k, n) in all {
            slots[next[k as usize] as usize] = Some(n);
            next[k as usize] += 1;
        }
        let by_kind = slots
            .into_iter()
            .map(|n| n.expect("every slot filled"))
            .collect();
        Checker {
            text,
            root,
            settings,
            schema: Schema::advanced_hunting(),
            by_kind,
            starts,
            skipped: Default::default(),
            time_reads: OnceCell::new(),
            bin_ops: OnceCell::new(),
        }
    }

    /// A diagnostic for a rule; the registry fills in code, rule name and severity.
    pub fn report(&self, message: impl Into<String>, range: TextRange) -> Diagnostic {
        Diagnostic::new("", Severity::Warning, message, range)
    }

    /// Every node of `kind`, in preorder.
    pub fn nodes(&self, kind: SyntaxKind) -> impl Iterator<Item = SyntaxNode> + '_ {
        self.nodes_slice(kind).iter().cloned()
    }

    /// [`Checker::nodes`] as a slice (in preorder, so sorted by start offset).
    pub fn nodes_slice(&self, kind: SyntaxKind) -> &[SyntaxNode] {
        if let Some(i) = SKIPPED.iter().position(|k| *k == kind) {
            return self.skipped[i].get_or_init(|| {
                self.root
                    .descendants()
                    .filter(|n| n.kind() == kind)
                    .collect()
            });
        }
        let k = kind as usize;
        &self.by_kind[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// Every `BIN_EXPR` with an operator, in preorder, with [`bin_op`]'s lowercase operator text
    /// and token: several rules look at every operator, so this is computed once.
    pub fn bin_ops(&self) -> &[(SyntaxNode, String, SyntaxToken)] {
        self.bin_ops.get_or_init(|| {
            self.nodes(SyntaxKind::BIN_EXPR)
                .filter_map(|n| {
                    let (op, tok) = bin_op(&n)?;
                    Some((n, op, tok))
                })
                .collect()
        })
    }

    /// The schema table a `NAME_REF` names, unless a `let` of the same name shadows it.
    pub fn table_of(&self, name_ref: &SyntaxNode) -> Option<&'static Table> {
        let name = kql_semantic::names::name_ref_text(name_ref)?;
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
            .and_then(|c| call_name(&c))
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
    kql_semantic::names::name_ref_text(node)
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
    kql_semantic::names::call_name(node)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The index (which skips token-only kinds while walking) lists exactly what a plain
    /// preorder walk finds, kind by kind, including broken code.
    #[test]
    fn index_matches_descendants() {
        let settings = Settings::new(0);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        texts.push("let x = (T | where ['a b'] == 1 and f(\"s\", 2); x | join (".to_string());
        for text in &texts {
            let root = kql_syntax::parse(text).syntax();
            let cx = Checker::new(text, root.clone(), &settings);
            let mut kinds: Vec<SyntaxKind> = root.descendants().map(|n| n.kind()).collect();
            kinds.sort_by_key(|k| *k as u16);
            kinds.dedup();
            for k in kinds {
                let want: Vec<_> = root.descendants().filter(|n| n.kind() == k).collect();
                assert_eq!(cx.nodes(k).collect::<Vec<_>>(), want, "{k:?} in {text}");
            }
        }
    }
}
