//! What every rule sees: the text, the tree, the settings, the schema, and shared helpers.

use std::cell::OnceCell;

use kql_diagnostics::{Diagnostic, Severity, TextRange};
use kql_schema::Schema;
use kql_semantic::{Model, Symbol, TableRead};
use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode, SyntaxToken};

use crate::Settings;

// The syntax layer's name accessors, for the rules (one implementation: `kql_syntax::names`).
pub use kql_syntax::ast::{call_name, name_text};
pub use kql_syntax::names::name_ref_text;

pub struct Checker<'a> {
    pub text: &'a str,
    pub root: SyntaxNode,
    pub settings: &'a Settings,
    /// The tables whose time columns the time rules use (the built-in schema unless the caller
    /// gives its own, e.g. from `kql lint --schema`).
    pub schema: &'a Schema,
    /// The nodes of each [`INDEXED`] kind, in preorder: one traversal shared by all rules.
    index: [Vec<SyntaxNode>; INDEXED.len()],
    /// The nodes of every kind, in preorder, for the kinds not in [`INDEXED`]; built on first use
    /// (no rule asks for one: a test checks).
    other_kinds: OnceCell<Vec<Vec<SyntaxNode>>>,
    /// Shared by the time rules.
    pub(crate) time_reads: OnceCell<Vec<TimeRead>>,
    /// Shared by the row rules (see [`crate::analysis::result_bounds`]).
    pub(crate) result_bounds: OnceCell<Vec<(SyntaxNode, crate::analysis::ResultBound)>>,
    /// Shared by the rules about binary operators (see [`Checker::bin_ops`]).
    bin_ops: OnceCell<Vec<(SyntaxNode, String, SyntaxToken)>>,
    /// Shared by the rules about calls (see [`Checker::calls`]).
    calls: OnceCell<Vec<(SyntaxNode, String)>>,
    /// The semantic model of the text: given by the caller that already built it (`kql lint`
    /// binds once, see [`crate::check_and_lint`]), or built on first use.
    given_model: Option<&'a Model>,
    own_model: OnceCell<Model>,
}

const KINDS: usize = SyntaxKind::__LAST as usize + 1;

/// The kinds rules ask [`Checker::nodes`] for. Only these are kept while walking the tree, which
/// keeps the per-file index small; asking for another kind still works (see `other_kinds`).
const INDEXED: [SyntaxKind; 21] = {
    use SyntaxKind::*;
    [
        NAME_REF,
        CALL_EXPR,
        BIN_EXPR,
        QUERY_STMT,
        LET_STMT,
        BY_CLAUSE,
        ON_CLAUSE,
        JOIN_OP,
        UNION_OP,
        SEARCH_OP,
        TAKE_OP,
        TOP_OP,
        SAMPLE_OP,
        SAMPLE_DISTINCT_OP,
        TOP_HITTERS_OP,
        TOP_NESTED_OP,
        MV_EXPAND_OP,
        ORDER_OP,
        PARSE_OP,
        PARTITION_OP,
        FIND_OP,
    ]
};

/// `SLOT[k]`: the position of kind `k` in [`INDEXED`], or `u8::MAX`.
const SLOT: [u8; KINDS] = {
    let mut slot = [u8::MAX; KINDS];
    let mut i = 0;
    while i < INDEXED.len() {
        slot[INDEXED[i] as usize] = i as u8;
        i += 1;
    }
    slot
};

/// The nodes of each [`INDEXED`] kind under `root` (included), in preorder.
fn indexed_nodes(root: &SyntaxNode) -> [Vec<SyntaxNode>; INDEXED.len()] {
    let mut out: [Vec<SyntaxNode>; INDEXED.len()] = Default::default();
    let mut visit = |n: &SyntaxNode| {
        let slot = SLOT[n.kind() as usize];
        if slot != u8::MAX {
            out[slot as usize].push(n.clone());
        }
    };
    visit(root);
    // A preorder walk without a stack: down to the first child, else on to the next sibling of
    // the node or of its nearest ancestor that has one, until back at `root`. (Cheaper than
    // `descendants()`, and than stepping over token-only kinds with `first_child_by_kind`, which
    // then needs a check that they really hold only tokens.)
    let mut cur = root.clone();
    let mut depth = 0usize;
    loop {
        if let Some(child) = cur.first_child() {
            depth += 1;
            cur = child;
        } else {
            loop {
                if depth == 0 {
                    return out;
                }
                if let Some(next) = cur.next_sibling() {
                    cur = next;
                    break;
                }
                depth -= 1;
                cur = cur.parent().expect("below root");
            }
        }
        visit(&cur);
    }
}

/// A read of a table with a time column: the `NAME_REF`, the column, the interval per path.
pub(crate) type TimeRead = (SyntaxNode, String, Vec<crate::analysis::Interval>);

impl<'a> Checker<'a> {
    pub fn new(text: &'a str, root: SyntaxNode, settings: &'a Settings) -> Self {
        Checker::with_schema(text, root, settings, Schema::advanced_hunting())
    }

    /// A checker that reads tables (and their time columns) from `schema`.
    pub fn with_schema(
        text: &'a str,
        root: SyntaxNode,
        settings: &'a Settings,
        schema: &'a Schema,
    ) -> Self {
        Checker::build(text, root, settings, schema, None)
    }

    /// A checker over the semantic `model` already built for `root` against `schema`.
    pub fn with_model(
        text: &'a str,
        root: SyntaxNode,
        settings: &'a Settings,
        schema: &'a Schema,
        model: &'a Model,
    ) -> Self {
        Checker::build(text, root, settings, schema, Some(model))
    }

    fn build(
        text: &'a str,
        root: SyntaxNode,
        settings: &'a Settings,
        schema: &'a Schema,
        given_model: Option<&'a Model>,
    ) -> Self {
        let index = indexed_nodes(&root);
        Checker {
            text,
            root,
            settings,
            schema,
            index,
            other_kinds: OnceCell::new(),
            time_reads: OnceCell::new(),
            result_bounds: OnceCell::new(),
            bin_ops: OnceCell::new(),
            calls: OnceCell::new(),
            given_model,
            own_model: OnceCell::new(),
        }
    }

    /// The semantic model: types, row schemas, table reads and `let` definitions.
    pub fn model(&self) -> &Model {
        match self.given_model {
            Some(m) => m,
            None => self
                .own_model
                .get_or_init(|| kql_semantic::analyze_tree(&self.root, self.schema)),
        }
    }

    /// The schema table the `NAME_REF` `name_ref` reads (not a `let` or parameter of the same
    /// name), as the model resolved it.
    pub fn table_read(&self, name_ref: &SyntaxNode) -> Option<&TableRead> {
        self.model().table_read_at(name_ref.text_range())
    }

    /// The node of the value bound by the `let` the name at `name_ref` refers to (a `let`
    /// name, or a call's callee), as the model resolved it.
    pub fn let_value(&self, name_ref: &SyntaxNode) -> Option<SyntaxNode> {
        let model = self.model();
        let symbol = model.referenced_symbol(name_ref.text_range())?;
        self.node_at(model.let_value(symbol)?)
    }

    /// The symbol a `let` statement defines.
    pub fn let_symbol(&self, let_stmt: &SyntaxNode) -> Option<&Symbol> {
        let name = ast::LetStmt::cast(let_stmt.clone())?.name()?;
        self.model().symbol_defined_at(name.syntax().text_range())
    }

    /// The outermost node that spans exactly `range`.
    pub fn node_at(&self, range: TextRange) -> Option<SyntaxNode> {
        let mut node = match self.root.covering_element(range) {
            rowan::NodeOrToken::Node(n) => n,
            rowan::NodeOrToken::Token(t) => t.parent()?,
        };
        while node.text_range() != range {
            node = node.parent()?;
        }
        while let Some(p) = node.parent().filter(|p| p.text_range() == range) {
            node = p;
        }
        Some(node)
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
        match SLOT[kind as usize] {
            u8::MAX => {
                let by_kind = self.other_kinds.get_or_init(|| {
                    let mut by_kind = vec![Vec::new(); KINDS];
                    for n in self.root.descendants() {
                        by_kind[n.kind() as usize].push(n);
                    }
                    by_kind
                });
                &by_kind[kind as usize]
            }
            slot => &self.index[slot as usize],
        }
    }

    /// Every `BIN_EXPR` with an operator, in preorder, with [`bin_op`]'s lowercase operator text
    /// and token: several rules look at every operator, so this is computed once.
    pub fn bin_ops(&self) -> &[(SyntaxNode, String, SyntaxToken)] {
        self.bin_ops.get_or_init(|| {
            let bins = self.nodes_slice(SyntaxKind::BIN_EXPR);
            let mut out = Vec::with_capacity(bins.len());
            out.extend(bins.iter().filter_map(|n| {
                let (op, tok) = bin_op(n)?;
                Some((n.clone(), op, tok))
            }));
            out
        })
    }

    /// Every `CALL_EXPR` with a plain name, in preorder, with [`call_name`]'s name: several rules
    /// look at every call, so the names are read once.
    pub fn calls(&self) -> &[(SyntaxNode, String)] {
        self.calls.get_or_init(|| {
            let calls = self.nodes_slice(SyntaxKind::CALL_EXPR);
            let mut out = Vec::with_capacity(calls.len());
            out.extend(
                calls
                    .iter()
                    .filter_map(|n| Some((n.clone(), call_name(n)?))),
            );
            out
        })
    }

    /// Calls of any of `names` with exactly one argument: each call, its name and the argument
    /// (the shape the type rules check: `strlen(x)`, `tobool(x)`, `sum(x)`).
    pub fn one_argument_calls<'c>(
        &'c self,
        names: &'c [&str],
    ) -> impl Iterator<Item = (&'c SyntaxNode, &'c str, SyntaxNode)> + 'c {
        self.calls().iter().filter_map(move |(call, name)| {
            if !names.contains(&name.as_str()) {
                return None;
            }
            let mut args = call_args(call).into_iter();
            match (args.next(), args.next()) {
                (Some(arg), None) => Some((call, name.as_str(), arg)),
                _ => None,
            }
        })
    }

    /// Calls of built-in functions: each call, its name and its callee node, leaving out calls
    /// whose name refers to a user `let`, parameter or stored function.
    pub fn builtin_calls(&self) -> impl Iterator<Item = (&SyntaxNode, &str, SyntaxNode)> + '_ {
        self.calls().iter().filter_map(|(call, name)| {
            let callee = call.first_child()?;
            let user = self
                .model()
                .referenced_symbol(callee.text_range())
                .is_some();
            (!user).then_some((call, name.as_str(), callee))
        })
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

/// The lowercase operator text of a binary expression (`has`, `!contains`, `==`) and its token.
pub fn bin_op(node: &SyntaxNode) -> Option<(String, SyntaxToken)> {
    let bin = ast::BinExpr::cast(node.clone())?;
    Some((bin.op_text()?, bin.op()?))
}

pub fn call_args(node: &SyntaxNode) -> Vec<SyntaxNode> {
    ast::CallExpr::cast(node.clone())
        .map(|c| c.args().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind the rules ask for is in [`INDEXED`]: asking for another one makes the checker
    /// walk the whole tree again and keep a list of every node (a third of the linter's time
    /// when `unbounded-mv-expand` asked for `MV_EXPAND_OP` that way).
    #[test]
    fn rules_ask_only_for_indexed_kinds() {
        let settings = Settings::at_unix_ticks(0).expect("now within years 1..=9999");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let parse = kql_syntax::parse(&text);
            let cx = Checker::new(&text, parse.syntax(), &settings);
            for rule in crate::RULES {
                (rule.check)(&cx);
            }
            assert!(
                cx.other_kinds.get().is_none(),
                "a rule asked for a kind not in INDEXED ({})",
                entry.path().display()
            );
        }
    }

    /// The index (which skips token-only kinds while walking) lists exactly what a plain
    /// preorder walk finds, kind by kind, including broken code.
    #[test]
    fn index_matches_descendants() {
        let settings = Settings::at_unix_ticks(0).expect("now within years 1..=9999");
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
