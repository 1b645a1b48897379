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
    /// The `NAME_REF` nodes, in preorder; listed on first use.
    name_refs: OnceCell<Vec<SyntaxNode>>,
    /// Shared by the time rules.
    pub(crate) time_reads: OnceCell<Vec<TimeRead>>,
    /// Shared by the row rules (see [`crate::analysis::result_bounds`]).
    pub(crate) result_bounds: OnceCell<Vec<(SyntaxNode, crate::analysis::ResultBound)>>,
    /// Shared by the rules about binary operators (see [`Checker::bin_ops`]).
    bin_ops: OnceCell<Vec<(SyntaxNode, String, TextRange)>>,
    /// Shared by the rules about calls (see [`Checker::calls`]).
    calls: OnceCell<Vec<(SyntaxNode, String)>>,
    /// The semantic model of the text: given by the caller that already built it (`kql lint`
    /// binds once, see [`crate::check_and_lint`]), or built on first use.
    given_model: Option<&'a Model>,
    own_model: OnceCell<Model>,
}

const KINDS: usize = SyntaxKind::__LAST as usize + 1;

/// The kinds rules ask [`Checker::nodes`] for, indexed when the checker is built. Only these
/// are kept while walking the tree, which keeps the per-file index small; asking for another kind
/// still works (see `other_kinds`). `NAME_REF` is indexed on first use (see `name_refs`): names
/// are most of the nodes, and only one rule lists them.
const INDEXED: [SyntaxKind; 20] = {
    use SyntaxKind::*;
    [
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

/// The nodes under `root` (included) that `slot` puts in one of the `N` lists, each list in
/// preorder.
///
/// The walk reads the green tree, which costs no allocation, and makes a red node (an allocation,
/// freed again when the checker is dropped) only for a picked node and the ancestors it needs:
/// most nodes (names, literals, whole predicates without a picked kind) are never made.
fn index_nodes<const N: usize>(
    root: &SyntaxNode,
    slot: impl Fn(SyntaxKind, &rowan::GreenNodeData) -> Option<usize>,
) -> [Vec<SyntaxNode>; N] {
    let mut out: [Vec<SyntaxNode>; N] = std::array::from_fn(|_| Vec::new());
    if let Some(s) = slot(root.kind(), &root.green()) {
        out[s].push(root.clone());
    }
    let green = root.green();
    let mut path = Vec::with_capacity(64);
    path.push(Frame {
        children: green.children().enumerate(),
        index: 0,
        red: Some(root.clone()),
        last_made: None,
    });
    while let Some(top) = path.last_mut() {
        let Some((index, child)) = top.children.next() else {
            path.pop();
            continue;
        };
        let rowan::NodeOrToken::Node(child) = child else {
            continue;
        };
        path.push(Frame {
            children: child.children().enumerate(),
            index,
            red: None,
            last_made: None,
        });
        if let Some(s) = slot(kind_of(child.kind()), child) {
            out[s].push(red_of_last(&mut path));
        }
    }
    out
}

fn kind_of(raw: rowan::SyntaxKind) -> SyntaxKind {
    <kql_syntax::KqlLanguage as rowan::Language>::kind_from_raw(raw)
}

/// Whether the `NAME_REF` `green` may spell one of `names`: `false` only for a plain identifier
/// (one `IDENT` token, which is the name as written) that is none of them.
fn may_spell(green: &rowan::GreenNodeData, names: &[&str]) -> bool {
    let mut significant = green.children().filter(|c| !kind_of(c.kind()).is_trivia());
    match (significant.next(), significant.next()) {
        (Some(rowan::NodeOrToken::Token(t)), None) if kind_of(t.kind()) == SyntaxKind::IDENT => {
            names.contains(&t.text())
        }
        _ => true,
    }
}

/// A node on the path from the root to the node [`index_nodes`] visits.
struct Frame<'g> {
    /// The rest of its children.
    children: std::iter::Enumerate<rowan::Children<'g>>,
    /// Its position among its parent's children (tokens counted).
    index: usize,
    /// Its red node, once made.
    red: Option<SyntaxNode>,
    /// Its child made last: the next one is made by stepping on from there.
    last_made: Option<SyntaxNode>,
}

/// The red node of the last frame of `path`, made (with those of its ancestors not made yet) on
/// first need. The root's frame always has one.
fn red_of_last(path: &mut [Frame]) -> SyntaxNode {
    let made = path
        .iter()
        .rposition(|f| f.red.is_some())
        .expect("the root is made");
    for i in made + 1..path.len() {
        let (above, below) = path.split_at_mut(i);
        let parent = above.last_mut().expect("the root is above");
        let red = red_child(parent, below[0].index);
        below[0].red = Some(red);
    }
    path.last().and_then(|f| f.red.clone()).expect("made above")
}

/// The child node of `parent` (a made frame) at child position `index`, made by stepping over
/// the green children from the child made last (children are made in order): rowan's `_by_kind`
/// steps ask the matcher about each child in turn and make no red element for those it
/// declines, so a matcher that counts positions picks exactly the one at `index`. That is
/// rowan's behaviour, not its documented contract: the test `index_matches_descendants` compares
/// the index with a plain walk, so a rowan update that changes it fails there.
fn red_child(parent: &mut Frame, index: usize) -> SyntaxNode {
    let at = std::cell::Cell::new(0);
    let pick = |_: SyntaxKind| {
        let i = at.get();
        at.set(i + 1);
        i == index
    };
    let child = match &parent.last_made {
        Some(prev) => {
            at.set(prev.index() + 1);
            prev.next_sibling_by_kind(&pick)
        }
        None => parent
            .red
            .as_ref()
            .expect("the parent is made first")
            .first_child_by_kind(&pick),
    }
    .expect("a green child node has a red node");
    parent.last_made = Some(child.clone());
    child
}

/// A read of a table with a time column: the `NAME_REF`, the column, the interval per path.
pub(crate) type TimeRead = (SyntaxNode, String, Vec<crate::analysis::Reach>);

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
        let index = index_nodes(&root, |k, _| match SLOT[k as usize] {
            u8::MAX => None,
            slot => Some(slot as usize),
        });
        Checker {
            text,
            root,
            settings,
            schema,
            index,
            other_kinds: OnceCell::new(),
            name_refs: OnceCell::new(),
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

    /// The `NAME_REF` that spans exactly `range`.
    pub fn name_ref_at(&self, range: TextRange) -> Option<SyntaxNode> {
        let start = match self.root.covering_element(range) {
            rowan::NodeOrToken::Node(n) => n,
            rowan::NodeOrToken::Token(t) => t.parent()?,
        };
        start
            .ancestors()
            .take_while(|n| n.text_range() == range)
            .find(|n| n.kind() == SyntaxKind::NAME_REF)
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
            u8::MAX if kind == SyntaxKind::NAME_REF => self.name_refs.get_or_init(|| {
                let [refs] =
                    index_nodes(&self.root, |k, _| (k == SyntaxKind::NAME_REF).then_some(0));
                refs
            }),
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

    /// The `NAME_REF`s that may spell one of `names`, in preorder: every one that does, and
    /// perhaps some that do not (a quoted name is not read here), so a caller compares each name
    /// itself. Only these get a red node: listing every `NAME_REF` makes one for most of the tree.
    pub fn name_refs_among(&self, names: &[&str]) -> Vec<SyntaxNode> {
        let [refs] = index_nodes(&self.root, |k, green| {
            (k == SyntaxKind::NAME_REF && may_spell(green, names)).then_some(0)
        });
        refs
    }

    /// Every `BIN_EXPR` with an operator, in preorder, with [`bin_op`]'s lowercase operator text
    /// and the operator token's range: several rules look at every operator, so this is computed
    /// once (from the green tree: no red node is made for the operand or the token).
    pub fn bin_ops(&self) -> &[(SyntaxNode, String, TextRange)] {
        self.bin_ops.get_or_init(|| {
            let bins = self.nodes_slice(SyntaxKind::BIN_EXPR);
            let mut out = Vec::with_capacity(bins.len());
            out.extend(bins.iter().filter_map(|n| {
                let (op, range) = green_bin_op(n)?;
                Some((n.clone(), op, range))
            }));
            out
        })
    }

    /// The binary expressions (in preorder) whose operator is the first of a pair in `swaps`, each
    /// with that operator, its range and the pair's second: the operator the rule suggests.
    pub fn bin_ops_to_swap<'c>(
        &'c self,
        swaps: &'c [(&str, &'c str)],
    ) -> impl Iterator<Item = (&'c SyntaxNode, &'c str, TextRange, &'c str)> + 'c {
        self.bin_ops().iter().filter_map(move |(bin, op, range)| {
            let (_, with) = swaps.iter().find(|(from, _)| from == op)?;
            Some((bin, op.as_str(), *range, *with))
        })
    }

    /// A diagnostic at `op`'s keyword (its first significant token), where the rules about an
    /// operator report; `None` for an operator without one.
    pub fn report_at_keyword(
        &self,
        op: &SyntaxNode,
        message: impl Into<String>,
    ) -> Option<Diagnostic> {
        let keyword = tokens(op).next()?;
        Some(self.report(message, keyword.text_range()))
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
    let op = ast::BinExpr::cast(node.clone())?.op()?;
    Some((op.text().to_ascii_lowercase(), op))
}

/// [`bin_op`] with the token's range, read from the green tree: the operator is the first
/// significant token after the first operand (as [`ast::op_after`] finds it).
fn green_bin_op(node: &SyntaxNode) -> Option<(String, TextRange)> {
    let green = node.green();
    let mut offset = node.text_range().start();
    let mut after_lhs = false;
    for child in green.children() {
        let len = child.text_len();
        let kind = kind_of(child.kind());
        if after_lhs && kind.is_token() && !kind.is_trivia() {
            let token = child.into_token()?;
            return Some((
                token.text().to_ascii_lowercase(),
                TextRange::at(offset, len),
            ));
        }
        after_lhs |= child.as_node().is_some();
        offset += len;
    }
    None
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

    /// `name_refs_among` lists every `NAME_REF` that spells one of the names, plain or quoted,
    /// in preorder (it may list others too: the caller compares).
    #[test]
    fn name_refs_among_keeps_every_match() {
        let settings = Settings::at_unix_ticks(0).expect("now within years 1..=9999");
        let text =
            "let x = 1; let y = 2;\nT | where x > 1 and ['y'] < 2 and z == x | extend w = f(y)";
        let root = kql_syntax::parse(text).syntax();
        let cx = Checker::new(text, root.clone(), &settings);
        let names = ["x", "y"];
        let spelled = |n: &SyntaxNode| name_ref_text(n).filter(|t| names.contains(&t.as_str()));
        let got: Vec<_> = cx
            .name_refs_among(&names)
            .iter()
            .filter_map(spelled)
            .collect();
        let want: Vec<_> = cx
            .nodes(SyntaxKind::NAME_REF)
            .filter_map(|n| spelled(&n))
            .collect();
        assert_eq!(got, ["x", "y", "x", "y"]);
        assert_eq!(got, want);
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
