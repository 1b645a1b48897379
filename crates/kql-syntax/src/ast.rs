//! Typed views over the syntax tree. Accessors return `Option` because a tree built from broken
//! text may lack any part.

use crate::{SyntaxKind, SyntaxNode, SyntaxToken};

/// Implemented by every typed node.
pub trait AstNode: Sized {
    fn can_cast(kind: SyntaxKind) -> bool;
    fn cast(node: SyntaxNode) -> Option<Self>;
    fn syntax(&self) -> &SyntaxNode;
}

macro_rules! ast_node {
    ($(#[$meta:meta])* $name:ident, $kind:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(SyntaxNode);

        impl AstNode for $name {
            fn can_cast(kind: SyntaxKind) -> bool {
                kind == SyntaxKind::$kind
            }
            fn cast(node: SyntaxNode) -> Option<Self> {
                Self::can_cast(node.kind()).then(|| $name(node))
            }
            fn syntax(&self) -> &SyntaxNode {
                &self.0
            }
        }
    };
}

ast_node!(
    /// The root of a parse.
    SourceFile, SOURCE_FILE
);
ast_node!(
    /// `let name = value`.
    LetStmt, LET_STMT
);
ast_node!(
    /// A statement that is a query (tabular or scalar expression).
    QueryStmt, QUERY_STMT
);
ast_node!(
    /// A name in a declaration position (`let x`, `x = ...`).
    Name, NAME
);
ast_node!(
    /// A reference to a name (table, column, variable, function).
    NameRef, NAME_REF
);
ast_node!(
    /// `source | operator | operator ...`: the source expression, then `PIPE` token and operator
    /// node pairs, all children of this one node (a contextual subquery such as `fork`'s starts
    /// with an operator instead of a source).
    PipeExpr, PIPE_EXPR
);
ast_node!(
    /// `f(args)`.
    CallExpr, CALL_EXPR
);
ast_node!(
    /// `lhs op rhs` for arithmetic, comparison, string and logical operators. A run of one
    /// associative operator (`a and b and c`, `x + y + z`, read left to right) is one node with
    /// every operand as a child; see [`BinExpr::operands`].
    BinExpr, BIN_EXPR
);
ast_node!(
    /// A literal: number, string (adjacent strings included), timespan, typed literal, bool.
    Literal, LITERAL
);

ast_node!(
    /// `join [kind=...] [hint.x=...] (right side) on keys`.
    JoinOp, JOIN_OP
);
ast_node!(
    /// `lookup [kind=...] (right side) on keys`.
    LookupOp, LOOKUP_OP
);
ast_node!(
    /// `summarize [hint.x=...] aggregates [by keys]`.
    SummarizeOp, SUMMARIZE_OP
);
ast_node!(
    /// `take n` / `limit n`.
    TakeOp, TAKE_OP
);
ast_node!(
    /// `where predicate` / `filter predicate`.
    WhereOp, WHERE_OP
);

ast_node!(
    /// `name = value` or `(a, b) = value` in an operator's list (`extend`, `project`,
    /// `summarize`, `project-rename` ...).
    Assignment, ASSIGNMENT
);
ast_node!(
    /// `name:type` in a schema or a `parse` pattern (the type may be left out in a pattern).
    ColumnDecl, COLUMN_DECL
);
ast_node!(
    /// A parameter of a function or `declare query_parameters`: `name:type`, `T:(*)`.
    Param, PARAM
);
ast_node!(
    /// `(params) { body }`: the value of a `let` that defines a function.
    Lambda, LAMBDA
);
ast_node!(
    /// `make-series aggregates on Axis ... [by keys]`.
    MakeSeriesOp, MAKE_SERIES_OP
);

/// Whether `kind` is a scalar or tabular expression node (what an operator's item, a call's
/// argument or an operand can be), as opposed to a clause, a parameter or a name.
pub fn is_expr(kind: SyntaxKind) -> bool {
    use SyntaxKind::*;
    matches!(
        kind,
        NAME_REF
            | CALL_EXPR
            | BIN_EXPR
            | PREFIX_EXPR
            | PAREN_EXPR
            | LITERAL
            | MEMBER_EXPR
            | INDEX_EXPR
            | IN_EXPR
            | BETWEEN_EXPR
            | DYNAMIC_LITERAL
            | TYPEOF_EXPR
            | LIST_EXPR
            | STAR_EXPR
            | PIPE_EXPR
    )
}

fn child<N: AstNode>(node: &SyntaxNode) -> Option<N> {
    node.children().find_map(N::cast)
}

/// The first child of `kind`, found on the green tree: no red node is made for the children
/// passed over (the binder and the rules ask for parts of every operator).
fn child_of_kind(node: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxNode> {
    node.first_child_by_kind(&|k| k == kind)
}

/// The `NAME` a node declares: a `let`, a parameter, a column declaration, an assignment, the
/// `as` and `range` operators, the member of `a.b`.
pub fn declared_name(node: &SyntaxNode) -> Option<Name> {
    child_of_kind(node, SyntaxKind::NAME).map(Name)
}

/// The text of [`declared_name`], with `['...']` quoting removed.
pub fn declared_name_text(node: &SyntaxNode) -> Option<String> {
    declared_name(node)?.text()
}

/// The `(a:type, ...)` schema of an operator (`datatable`, `externaldata`, `parse-kv`) or of a
/// tabular parameter.
pub fn schema_of(node: &SyntaxNode) -> Option<SyntaxNode> {
    child_of_kind(node, SyntaxKind::SCHEMA)
}

/// The list of names or tables of an operator (`union`, `find in (...)`, `project-away`, ...).
pub fn name_list(node: &SyntaxNode) -> Option<SyntaxNode> {
    child_of_kind(node, SyntaxKind::NAME_LIST)
}

/// The `by ...` clause of `summarize`, `make-series` and the other grouping operators.
pub fn by_clause(op: &SyntaxNode) -> Option<SyntaxNode> {
    child_of_kind(op, SyntaxKind::BY_CLAUSE)
}

/// The `on ...` clause of `join` and `lookup`.
pub fn on_clause(op: &SyntaxNode) -> Option<SyntaxNode> {
    child_of_kind(op, SyntaxKind::ON_CLAUSE)
}

/// The parameter list of a lambda or `declare query_parameters(...)`.
pub fn param_list(node: &SyntaxNode) -> Option<SyntaxNode> {
    child_of_kind(node, SyntaxKind::PARAM_LIST)
}

fn first_significant_token(node: &SyntaxNode) -> Option<SyntaxToken> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| !t.kind().is_trivia())
}

/// The name a `NAME`/`NAME_REF` node spells, with `['...']` quoting removed.
pub fn name_text(node: &SyntaxNode) -> Option<String> {
    crate::names::name_text(node)
}

/// The name of a call (`ago` in `ago(7d)`) when the callee is a plain name; `None` for any node
/// but a `CALL_EXPR`.
pub fn call_name(node: &SyntaxNode) -> Option<String> {
    crate::names::call_name(node)
}

impl SourceFile {
    /// Top-level statements, in order.
    pub fn statements(&self) -> impl Iterator<Item = SyntaxNode> + '_ {
        self.0.children().filter(|n| {
            matches!(
                n.kind(),
                SyntaxKind::LET_STMT
                    | SyntaxKind::QUERY_STMT
                    | SyntaxKind::SET_STMT
                    | SyntaxKind::DECLARE_STMT
                    | SyntaxKind::ALIAS_STMT
                    | SyntaxKind::RESTRICT_STMT
                    | SyntaxKind::PATTERN_STMT
            )
        })
    }
}

impl LetStmt {
    pub fn name(&self) -> Option<Name> {
        child(&self.0)
    }

    /// The bound value: an expression or a `LAMBDA` node.
    pub fn value(&self) -> Option<SyntaxNode> {
        self.0
            .children()
            .filter(|n| n.kind() != SyntaxKind::NAME)
            .last()
    }
}

impl Name {
    pub fn text(&self) -> Option<String> {
        name_text(&self.0)
    }
}

impl NameRef {
    /// The name referred to; `None` for `[expr]` and other forms that are not a plain name.
    pub fn text(&self) -> Option<String> {
        crate::names::name_ref_text(&self.0)
    }
}

impl PipeExpr {
    /// The pipeline's input: the same as [`PipeExpr::source`] (the tree keeps a pipeline's
    /// operators as siblings under one node, so there is no partial pipeline to return).
    pub fn input(&self) -> Option<SyntaxNode> {
        self.source()
    }

    /// The pipeline's last tabular operator (the one that produces its result).
    pub fn operator(&self) -> Option<SyntaxNode> {
        self.0
            .children()
            .skip(1)
            .filter(|n| n.kind().is_tabular_operator())
            .last()
    }
}

impl PipeExpr {
    /// The pipeline's source: the expression before its first `|`. Use this and
    /// [`PipeExpr::operators`] rather than walking children. (Nested `PIPE_EXPR`s, the tree's
    /// old shape, are still followed to the innermost input.)
    pub fn source(&self) -> Option<SyntaxNode> {
        let mut node = self.0.clone();
        loop {
            let first = node.first_child()?;
            if first.kind() == SyntaxKind::PIPE_EXPR {
                node = first;
            } else {
                return Some(first);
            }
        }
    }

    /// The tabular operator after each `|` of this pipeline, first to last. A source that is
    /// itself an operator (`print`, `range`, the first operator of a contextual subquery) is the
    /// [`PipeExpr::source`], not one of these.
    pub fn operators(&self) -> Vec<SyntaxNode> {
        // Nested pipelines (input first) are walked without recursion, innermost first.
        let mut chain = vec![self.0.clone()];
        while let Some(inner) = chain
            .last()
            .and_then(|n| n.first_child())
            .filter(|c| c.kind() == SyntaxKind::PIPE_EXPR)
        {
            chain.push(inner);
        }
        let source = chain.last().and_then(|n| n.first_child());
        chain
            .iter()
            .rev()
            .flat_map(|n| n.children().filter(|c| c.kind().is_tabular_operator()))
            .filter(|op| Some(op) != source.as_ref())
            .collect()
    }
}

/// A tabular operator where it stands in its pipeline: the pipeline, its operators first to
/// last ([`PipeExpr::operators`]) and this one's index among them, for the checks that look at
/// what runs before or after an operator.
#[derive(Debug, Clone)]
pub struct OperatorInPipe {
    pub pipe: PipeExpr,
    pub operators: Vec<SyntaxNode>,
    pub index: usize,
}

impl OperatorInPipe {
    /// `op` in the pipeline it is an operator of; `None` when its parent is not a pipeline (or
    /// it is the pipeline's source).
    pub fn of(op: &SyntaxNode) -> Option<OperatorInPipe> {
        let pipe = op.parent().and_then(PipeExpr::cast)?;
        let operators = pipe.operators();
        let index = operators.iter().position(|o| o == op)?;
        Some(OperatorInPipe {
            pipe,
            operators,
            index,
        })
    }

    /// The operators that run before this one.
    pub fn before(&self) -> &[SyntaxNode] {
        &self.operators[..self.index]
    }

    /// The operators that run after this one.
    pub fn after(&self) -> &[SyntaxNode] {
        &self.operators[self.index + 1..]
    }
}

impl CallExpr {
    /// The called function's name (`ago` in `ago(7d)`), when it is a plain name.
    pub fn name(&self) -> Option<String> {
        crate::names::call_name(&self.0)
    }

    /// The argument expressions (named arguments as `NAMED_ARG` nodes).
    pub fn args(&self) -> impl Iterator<Item = SyntaxNode> {
        child_of_kind(&self.0, SyntaxKind::ARG_LIST)
            .into_iter()
            .flat_map(|a| a.children())
    }
}

impl BinExpr {
    /// The first operand.
    pub fn lhs(&self) -> Option<SyntaxNode> {
        self.0.first_child()
    }

    /// The second operand (a run of more than two has more: see [`BinExpr::operands`]).
    pub fn rhs(&self) -> Option<SyntaxNode> {
        self.0.children().nth(1)
    }

    /// Every operand of this expression and of the same-operator run it heads, left to right:
    /// `a and b and c` gives `[a, b, c]` whether the tree nests the run or keeps it flat.
    pub fn operands(&self) -> Vec<SyntaxNode> {
        let op = self.op().map(|t| t.text().to_string());
        let mut out = Vec::new();
        for c in self.0.children() {
            if out.is_empty() && c.kind() == SyntaxKind::BIN_EXPR {
                let inner = BinExpr(c.clone());
                if inner.op().map(|t| t.text().to_string()) == op {
                    out.extend(inner.operands());
                    continue;
                }
            }
            out.push(c);
        }
        out
    }

    /// The operator token (`==`, `has`, `and`, `!contains` ...). For `matches regex` the first word.
    pub fn op(&self) -> Option<SyntaxToken> {
        op_after(&self.lhs()?)
    }
}

/// The operator token after a binary expression's left operand: the first significant token
/// that follows it. The `_by_kind` step makes no red element for the trivia it passes over, which
/// matters to the linter, which asks for every operator.
pub fn op_after(lhs: &SyntaxNode) -> Option<SyntaxToken> {
    lhs.next_sibling_or_token_by_kind(&|k: SyntaxKind| k.is_token() && !k.is_trivia())?
        .into_token()
}

/// The `name=value` parameters of an operator (`kind=inner`, `hint.strategy=shuffle`): the
/// parameter's name (`hint.strategy`, lowercase) and its value node.
pub fn operator_params(op: &SyntaxNode) -> impl Iterator<Item = (String, Option<SyntaxNode>)> {
    op.children()
        .filter(|c| c.kind() == SyntaxKind::OPERATOR_PARAM)
        .map(|p| {
            let name: String = p
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .filter(|t| !t.kind().is_trivia())
                .take_while(|t| t.kind() != SyntaxKind::EQ)
                .map(|t| t.text().to_ascii_lowercase())
                .collect();
            (name, p.children().last())
        })
}

/// The lowercase value of the operator parameter `name` (`kind` gives `inner` for `kind=inner`).
fn param_value(op: &SyntaxNode, name: &str) -> Option<String> {
    operator_params(op)
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v)
        .map(|v| v.text().to_string().trim().to_ascii_lowercase())
}

/// The right side of a join or lookup: the operand that is neither a parameter nor `on`.
fn join_right(op: &SyntaxNode) -> Option<SyntaxNode> {
    op.children().find(|c| {
        !matches!(
            c.kind(),
            SyntaxKind::OPERATOR_PARAM | SyntaxKind::ON_CLAUSE | SyntaxKind::ERROR
        )
    })
}

/// `kind()`, `right()` and `on()` of the operators that join two tables.
macro_rules! join_parts {
    ($name:ident) => {
        impl $name {
            /// The `kind=` value, lowercase (`inner`, `leftouter` ...); `None` when not written.
            pub fn kind(&self) -> Option<String> {
                param_value(&self.0, "kind")
            }

            /// The right side (a parenthesised subquery or a table name).
            pub fn right(&self) -> Option<SyntaxNode> {
                join_right(&self.0)
            }

            /// The `on ...` clause.
            pub fn on(&self) -> Option<SyntaxNode> {
                on_clause(&self.0)
            }
        }
    };
}

join_parts!(JoinOp);
join_parts!(LookupOp);

impl SummarizeOp {
    /// The aggregate items (`count()`, `n = dcount(x)`), in order.
    pub fn aggregates(&self) -> impl Iterator<Item = SyntaxNode> {
        self.0.children().filter(|c| {
            !matches!(
                c.kind(),
                SyntaxKind::OPERATOR_PARAM | SyntaxKind::BY_CLAUSE | SyntaxKind::ERROR
            )
        })
    }

    /// The `by ...` clause.
    pub fn by(&self) -> Option<SyntaxNode> {
        by_clause(&self.0)
    }
}

impl TakeOp {
    /// The row count expression.
    pub fn count(&self) -> Option<SyntaxNode> {
        self.0
            .children()
            .find(|c| c.kind() != SyntaxKind::OPERATOR_PARAM)
    }
}

impl WhereOp {
    /// The predicate.
    pub fn predicate(&self) -> Option<SyntaxNode> {
        self.0.first_child()
    }
}

impl Assignment {
    /// The single name assigned (`n` in `n = count()`); `None` for a tuple of names.
    pub fn name(&self) -> Option<Name> {
        declared_name(&self.0)
    }

    /// The names of `(a, b) = value`, in order.
    pub fn tuple_names(&self) -> Option<impl Iterator<Item = SyntaxNode>> {
        Some(child_of_kind(&self.0, SyntaxKind::TUPLE_NAMES)?.children())
    }

    /// The assigned expression: the last child that is not the name (or names).
    pub fn value(&self) -> Option<SyntaxNode> {
        self.0
            .children()
            .filter(|c| !matches!(c.kind(), SyntaxKind::NAME | SyntaxKind::TUPLE_NAMES))
            .last()
    }
}

impl ColumnDecl {
    pub fn name(&self) -> Option<Name> {
        declared_name(&self.0)
    }

    /// The declared type (`string` in `a:string`); `None` where a `parse` pattern leaves it out.
    pub fn type_ref(&self) -> Option<SyntaxNode> {
        child_of_kind(&self.0, SyntaxKind::TYPE_REF)
    }
}

impl Param {
    pub fn name(&self) -> Option<Name> {
        declared_name(&self.0)
    }

    /// The schema of a tabular parameter (`T:(*)`, `T:(a:string)`); `None` for a scalar one.
    pub fn schema(&self) -> Option<SyntaxNode> {
        schema_of(&self.0)
    }
}

impl Lambda {
    /// The parameter list.
    pub fn params(&self) -> Option<SyntaxNode> {
        param_list(&self.0)
    }

    /// The `{ ... }` body: statements, the last one the function's value.
    pub fn body(&self) -> Option<SyntaxNode> {
        child_of_kind(&self.0, SyntaxKind::FUNCTION_BODY)
    }
}

impl MakeSeriesOp {
    /// The `by ...` clause.
    pub fn by(&self) -> Option<SyntaxNode> {
        by_clause(&self.0)
    }
}

impl BinExpr {
    /// The operator's text in lowercase (`has`, `!contains`, `==`, `and`).
    pub fn op_text(&self) -> Option<String> {
        Some(self.op()?.text().to_ascii_lowercase())
    }
}

impl Literal {
    pub fn token(&self) -> Option<SyntaxToken> {
        first_significant_token(&self.0)
    }

    /// For string literals, the value (adjacent literals concatenated).
    pub fn string_value(&self) -> Option<String> {
        let mut out = String::new();
        let mut any = false;
        for t in self.0.children_with_tokens().filter_map(|e| e.into_token()) {
            if t.kind() == SyntaxKind::STRING_LITERAL {
                out.push_str(&crate::string_literal_value(t.text())?);
                any = true;
            }
        }
        any.then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first<N: AstNode>(text: &str) -> N {
        crate::parse(text)
            .syntax()
            .descendants()
            .find_map(N::cast)
            .expect("node present")
    }

    #[test]
    fn pipeline_source_and_operators_in_order() {
        let pipe: PipeExpr = first("T | where A > 1 | extend B = 2 | take 3");
        assert_eq!(pipe.source().unwrap().text().to_string(), "T");
        let kinds: Vec<SyntaxKind> = pipe.operators().iter().map(|n| n.kind()).collect();
        assert_eq!(
            kinds,
            [
                SyntaxKind::WHERE_OP,
                SyntaxKind::EXTEND_OP,
                SyntaxKind::TAKE_OP
            ]
        );
        assert_eq!(pipe.operator().unwrap().kind(), SyntaxKind::TAKE_OP);
        assert_eq!(pipe.input().unwrap().text().to_string(), "T");
        let pipes = pipe.syntax().children_with_tokens();
        assert_eq!(
            pipes.filter(|e| e.kind() == SyntaxKind::PIPE).count(),
            3,
            "one node for the whole pipeline"
        );
    }

    #[test]
    fn operator_parts() {
        let join: JoinOp =
            first("T | join kind=LeftOuter hint.strategy=shuffle (U | take 1) on a, b");
        assert_eq!(join.kind().as_deref(), Some("leftouter"));
        assert_eq!(join.right().unwrap().text().to_string(), "(U | take 1)");
        assert_eq!(join.on().unwrap().text().to_string(), "on a, b");
        let params: Vec<String> = operator_params(join.syntax()).map(|(n, _)| n).collect();
        assert_eq!(params, ["kind", "hint.strategy"]);
        let plain: JoinOp = first("T | join (U) on a");
        assert_eq!(plain.kind(), None);
        let s: SummarizeOp = first("T | summarize count(), n = max(x) by y");
        let aggs: Vec<String> = s.aggregates().map(|n| n.text().to_string()).collect();
        assert_eq!(aggs, ["count()", "n = max(x)"]);
        assert_eq!(s.by().unwrap().text().to_string(), "by y");
        let take: TakeOp = first("T | take 10");
        assert_eq!(take.count().unwrap().text().to_string(), "10");
        let call: CallExpr = first("print ago(1d)");
        assert_eq!(call.name().as_deref(), Some("ago"));
        assert_eq!(call_name(call.syntax()).as_deref(), Some("ago"));
        let bin: BinExpr = first("print a !contains 'x'");
        assert_eq!(bin.op_text().as_deref(), Some("!contains"));
    }

    #[test]
    fn declaration_parts() {
        let a: Assignment = first("T | extend n = x + 1");
        assert_eq!(a.name().and_then(|n| n.text()).as_deref(), Some("n"));
        assert_eq!(a.value().unwrap().text().to_string(), "x + 1");
        let t: Assignment = first("T | extend (a, b) = f(x)");
        assert!(t.name().is_none());
        let names: Vec<String> = t
            .tuple_names()
            .unwrap()
            .map(|n| n.text().to_string())
            .collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(t.value().unwrap().text().to_string(), "f(x)");
        let f: Lambda = first("let f = (T:(*), n:long) { T | take n }; f(U, 1)");
        let params: Vec<Param> = f
            .params()
            .unwrap()
            .children()
            .filter_map(Param::cast)
            .collect();
        assert_eq!(
            params[0].name().and_then(|n| n.text()).as_deref(),
            Some("T")
        );
        assert!(params[0].schema().is_some());
        assert!(params[1].schema().is_none());
        assert_eq!(f.body().unwrap().text().to_string(), "{ T | take n }");
        let d: ColumnDecl = first("datatable(a:string, b:long) []");
        assert_eq!(d.name().and_then(|n| n.text()).as_deref(), Some("a"));
        assert_eq!(d.type_ref().unwrap().text().to_string(), "string");
        let parse: ColumnDecl = first("T | parse x with * 'k=' v:long");
        assert_eq!(parse.type_ref().unwrap().text().to_string(), "long");
        let ms: MakeSeriesOp = first("T | make-series c = count() on t step 1d by k");
        assert_eq!(ms.by().unwrap().text().to_string(), "by k");
        let dt = first::<SourceFile>("datatable(a:string) []")
            .syntax()
            .clone();
        let op = dt
            .descendants()
            .find(|n| n.kind() == SyntaxKind::DATATABLE_OP)
            .unwrap();
        assert!(schema_of(&op).is_some());
        assert!(is_expr(SyntaxKind::PIPE_EXPR) && !is_expr(SyntaxKind::BY_CLAUSE));
    }

    #[test]
    fn a_source_operator_is_not_one_of_the_operators() {
        let pipe: PipeExpr = first("range n from 1 to 3 step 1 | extend k = n | take 1");
        assert_eq!(pipe.source().unwrap().kind(), SyntaxKind::RANGE_OP);
        let kinds: Vec<SyntaxKind> = pipe.operators().iter().map(|n| n.kind()).collect();
        assert_eq!(kinds, [SyntaxKind::EXTEND_OP, SyntaxKind::TAKE_OP]);
    }

    #[test]
    fn operands_of_a_same_operator_run() {
        let e: BinExpr = first("print a and b and c == 1 and d");
        let texts: Vec<String> = e.operands().iter().map(|n| n.text().to_string()).collect();
        assert_eq!(texts, ["a", "b", "c == 1", "d"]);
        assert_eq!(e.syntax().children().count(), 4, "the run is one flat node");
        let sum: BinExpr = first("print 1 + 2 + 3 + 4");
        assert_eq!(sum.syntax().children().count(), 4);
        assert_eq!(sum.op().unwrap().text(), "+");
        let mixed: BinExpr = first("print a + b - c");
        assert_eq!(
            mixed.operands().len(),
            2,
            "a different operator is its own node"
        );
    }
}
