//! Pipelines: the source, then each operator applied to the schema before it (dispatching to
//! the row-schema rules of each operator family).

use super::*;

impl Binder<'_> {
    /// A pipeline: its source, then each `| operator` in turn. An operator followed by junk (an
    /// `ERROR` node before the next `|`) or missing altogether leaves an unknown schema.
    pub(super) fn pipe(&mut self, node: &SyntaxNode) -> Rc<RowSchema> {
        let mut children = node.children();
        let Some(source) = children.next() else {
            return unknown_row();
        };
        let mut schema = self.table(&source);
        // The nodes after each `|`, in text order: an operator, maybe junk after it. The `|`
        // tokens are found on the green tree (a red token per element would be an allocation);
        // its child nodes are the red children in the same order, the first being the source.
        let mut segment: Vec<SyntaxNode> = Vec::new();
        let mut pending = false;
        let mut after_source = false;
        let green = node.green();
        for element in green.children() {
            match element {
                rowan::NodeOrToken::Token(t) if after_source && green_kind(t.kind()) == PIPE => {
                    if pending {
                        schema = self.segment(&segment, schema);
                        segment.clear();
                    }
                    pending = true;
                }
                rowan::NodeOrToken::Node(_) if !after_source => after_source = true,
                rowan::NodeOrToken::Node(_) => {
                    let next = children.next();
                    if let (true, Some(n)) = (pending, next) {
                        segment.push(n);
                    }
                }
                rowan::NodeOrToken::Token(_) => {}
            }
        }
        if pending {
            schema = self.segment(&segment, schema);
        }
        schema
    }

    /// One `| operator` step of a pipeline (see [`Binder::pipe`]). An operator followed by junk
    /// the parser could not read is still bound, so its names, types and table reads are in the
    /// model, but like any text a syntax error cut short it gets no semantic diagnostics, and
    /// what it produces is unknown.
    pub(super) fn segment(&mut self, nodes: &[SyntaxNode], input: Rc<RowSchema>) -> Rc<RowSchema> {
        match nodes {
            [op] if op.kind().is_tabular_operator() => self.operator(op, Some(input)),
            [op, ..] if op.kind().is_tabular_operator() => {
                let reported = self.model.diagnostics.len();
                self.operator(op, Some(input));
                self.model.diagnostics.truncate(reported);
                unknown_row()
            }
            _ => unknown_row(),
        }
    }

    /// Applies a tabular operator to `input` (None when it starts a query: `print`, `range`...).
    pub(super) fn operator(
        &mut self,
        op: &SyntaxNode,
        input: Option<Rc<RowSchema>>,
    ) -> Rc<RowSchema> {
        let s = input.unwrap_or_else(unknown_row);
        self.model.scopes.push((op.text_range(), s.clone()));
        let out = self.operator_inner(op, &s);
        self.model.results.push((op.text_range(), out.clone()));
        out
    }

    pub(super) fn exprs(&mut self, node: &SyntaxNode, s: &RowSchema) {
        let row = Some(Row {
            row: s,
            left: None,
            right: None,
        });
        for c in node.children() {
            match c.kind() {
                k if is_expr(k) => {
                    self.expr_value(&c, row);
                }
                SORT_KEY | BY_CLAUSE => self.exprs(&c, s),
                _ => {}
            }
        }
    }

    /// `name = expr`, `(a, b) = expr` or a bare expression; returns (names, type, known).
    pub(super) fn assignment<'c>(
        &mut self,
        c: &'c SyntaxNode,
        row: Row,
    ) -> (Names<'c>, ScalarType, bool) {
        if let Some(a) = ast::Assignment::cast(c.clone()) {
            let ty = assigned_value(c)
                .map(|e| self.scalar(&e, Some(row)))
                .unwrap_or(ScalarType::Unknown);
            if let Some(n) = a.name().filter(|n| name_str(n.syntax()).is_some()) {
                return (Names::Node(n.syntax().clone()), ty, true);
            }
            if let Some(t) = a.tuple_names() {
                let names = t.filter_map(|n| name_text(&n)).collect();
                return (names, ScalarType::Unknown, true);
            }
            (Names::Many(Vec::new()), ty, false)
        } else {
            let ty = self.scalar(c, Some(row));
            match implicit_name(c) {
                Some(n) => (Names::One(n), ty, true),
                None => (Names::Many(Vec::new()), ty, false),
            }
        }
    }

    /// The output schema of `op`; operators that keep their input's columns share it.
    pub(super) fn operator_inner(
        &mut self,
        op: &SyntaxNode,
        input: &Rc<RowSchema>,
    ) -> Rc<RowSchema> {
        let s: &RowSchema = input;
        match op.kind() {
            WHERE_OP => {
                self.where_op(op, s);
                input.clone()
            }
            TOP_OP | TAKE_OP | ORDER_OP | SAMPLE_OP | RENDER_OP | CONSUME_OP
            | EXECUTE_AND_CACHE_OP | ASSERT_SCHEMA_OP => {
                if matches!(op.kind(), TOP_OP | ORDER_OP) {
                    self.exprs(op, s);
                }
                input.clone()
            }
            PROJECT_REORDER_OP => {
                self.name_patterns(op, s);
                input.clone()
            }
            AS_OP => {
                if let Some(n) = ast::declared_name(op) {
                    if let Some(name) = n.text() {
                        let range = n.syntax().text_range();
                        self.define(name, range, Value::Table(input.clone()));
                    }
                }
                input.clone()
            }
            _ => Rc::new(self.new_schema(op, s)),
        }
    }

    pub(super) fn where_op(&mut self, op: &SyntaxNode, s: &RowSchema) {
        let row = Row {
            row: s,
            left: None,
            right: None,
        };
        for c in op.children().filter(|c| is_expr(c.kind())) {
            // `where Name = predicate` names its predicate, as Kusto's parser reads it (a named
            // expression): `Name` declares nothing anyone can use and is not a column reference.
            let (c, help) = match named_predicate(&c) {
                Some(predicate) => (predicate, Some(NAMED_PREDICATE_HELP)),
                None => (c, None),
            };
            let ty = self.scalar(&c, Some(row));
            if c.kind() != STAR_EXPR {
                self.check_predicate("where", &c, ty, help);
            }
        }
    }

    /// A predicate (of `where`, `count`, `countif`) must be bool; an unknown value passes. A
    /// dynamic one does not: Kusto converts no dynamic value to bool implicitly (its analyzer
    /// rejects `where d` and `countif(d)` for a dynamic `d`; `d and p` is another matter).
    /// `owner` names what takes the predicate in the message.
    pub(super) fn check_predicate(
        &mut self,
        owner: &str,
        expr: &SyntaxNode,
        ty: ScalarType,
        help: Option<&str>,
    ) {
        if !matches!(ty, ScalarType::Bool | ScalarType::Unknown) {
            self.error(
                codes::NON_BOOL_PREDICATE,
                format!("`{owner}` needs a bool predicate, this is {}", ty.as_str()),
                expr.text_range(),
                help.map(str::to_string),
            );
        }
    }
}

const NAMED_PREDICATE_HELP: &str =
    "a single `=` in `where` names the predicate that follows it; compare with `==`";

/// The predicate of `where Name = predicate` (the parser keeps the single `=` of a `where` as a
/// binary expression), or `None` for any other predicate.
fn named_predicate(expr: &SyntaxNode) -> Option<SyntaxNode> {
    if expr.kind() != BIN_EXPR {
        return None;
    }
    // The `=` is looked for on the green tree: most predicates are other binary expressions,
    // and a red token per element passed would be an allocation each.
    let eq = expr.green().children().any(|e| match e {
        rowan::NodeOrToken::Token(t) => green_kind(t.kind()) == EQ,
        rowan::NodeOrToken::Node(_) => false,
    });
    eq.then(|| ast::BinExpr::cast(expr.clone())?.rhs())
        .flatten()
}

/// [`ast::Assignment::value`], made as one red node: the value is nearly always the last child,
/// and walking the children would make one for the name too.
fn assigned_value(assignment: &SyntaxNode) -> Option<SyntaxNode> {
    let last = assignment.last_child()?;
    if matches!(last.kind(), NAME | TUPLE_NAMES) {
        return ast::Assignment::cast(assignment.clone())?.value();
    }
    Some(last)
}

/// The names an item defines: nearly always one, which needs no vector, and often a name in the
/// tree, which needs no `String` (see [`Names::each`]).
pub(super) enum Names<'c> {
    One(Cow<'c, str>),
    /// A `NAME` node that spells a name.
    Node(SyntaxNode),
    Many(Vec<String>),
}

impl Names<'_> {
    pub(super) fn len(&self) -> usize {
        match self {
            Names::One(_) | Names::Node(_) => 1,
            Names::Many(v) => v.len(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with each name, in order.
    pub(super) fn each(&self, mut f: impl FnMut(&str)) {
        match self {
            Names::One(n) => f(n),
            Names::Node(node) => {
                if let Some(n) = name_str(node) {
                    f(&n);
                }
            }
            Names::Many(v) => v.iter().for_each(|n| f(n)),
        }
    }
}

impl FromIterator<String> for Names<'_> {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        Names::Many(iter.into_iter().collect())
    }
}
