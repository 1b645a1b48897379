//! The binder: walks statements and tabular operators, tracking the row schema.
//!
//! This file holds the binder's state, names and statements; [`expressions`] types scalar and
//! tabular expressions, [`pipeline`] applies a pipeline's operators in turn, and the row-schema
//! rules of the operators live by family: [`columns`] (project, extend and the other operators
//! that add, drop or rename columns), [`aggregation`] (summarize, make-series) and [`combine`]
//! (join, lookup, union).

mod aggregation;
mod arg_types;
mod columns;
mod combine;
mod expressions;
mod functions;
mod pipeline;
mod references;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use kql_diagnostics::{Diagnostic, Fix, Severity, TextEdit, TextRange, TextSize};
use kql_schema::{FunctionCatalog, FunctionKind, ParamType, ScalarType, Schema, Table};
use kql_syntax::ast::{self, is_expr, AstNode};
use kql_syntax::{SyntaxKind, SyntaxKind::*, SyntaxNode};
use rowan::{GreenNodeData, GreenTokenData};
use std::cell::RefCell;

use crate::names::{name_str, name_text};
use crate::{codes, ColumnInfo, Model, RowSchema, Symbol};

/// Functions the catalog lacks or whose catalog signature is narrower than KQL's: no
/// unknown-function or argument-count diagnostics for them (reported to the catalog's owner).
const CATALOG_GAPS: &[&str] = &[
    "column_names_of",
    "geo_line_simplify",
    "geo_polygon_simplify",
    "geo_simplify_polygons_array",
];

/// What a name or expression stands for.
#[derive(Debug, Clone)]
enum Value {
    Scalar(ScalarType),
    Table(Rc<RowSchema>),
    /// A user function (`let`, stored, `declare pattern`); see [`functions`].
    Function(Rc<functions::UserFunction>),
    Unknown,
}

impl Value {
    fn scalar(&self) -> ScalarType {
        match self {
            Value::Scalar(t) => *t,
            _ => ScalarType::Unknown,
        }
    }
}

#[derive(Debug, Clone)]
struct Binding {
    value: Value,
    symbol: Option<usize>,
}

/// Row context for expressions: the row schema and, inside `join ... on`, both sides.
#[derive(Clone, Copy)]
struct Row<'r> {
    row: &'r RowSchema,
    left: Option<&'r RowSchema>,
    right: Option<&'r RowSchema>,
}

pub(crate) struct Binder<'s> {
    schema: &'s Schema,
    catalog: &'static FunctionCatalog,
    scopes: Vec<NameMap<Binding>>,
    /// Row schema of each schema table read so far: a query often reads a table more than once.
    tables: NameMap<Rc<RowSchema>>,
    model: Model,
    /// Inside `union isfuzzy=true`: unknown tables are allowed.
    fuzzy: u32,
    /// Names given by `alias database name = ...`: `database(name)` reads them.
    database_aliases: Vec<String>,
    /// Stored functions analyzed so far and the guards against recursion, shared with the
    /// binders of function bodies.
    shared: Rc<RefCell<functions::Shared>>,
}

/// Maps and sets keyed by names. The keys are the query's own short names, so a simple
/// multiplicative hash (FxHash) replaces SipHash, which showed up in profiles.
type NameMap<V> = FastMap<String, V>;
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;
type FastSet<K> = HashSet<K, rustc_hash::FxBuildHasher>;

thread_local! {
    /// Row schemas of the built-in schema's tables (see [`Binder::table_row`]).
    static BUILTIN_ROWS: RefCell<NameMap<Rc<RowSchema>>> = RefCell::default();
}

thread_local! {
    /// The one row schema about which nothing is known (shared rather than allocated anew).
    static UNKNOWN_ROW: Rc<RowSchema> = Rc::new(RowSchema::unknown());
}

/// An open row schema with no known columns.
fn unknown_row() -> Rc<RowSchema> {
    UNKNOWN_ROW.with(Rc::clone)
}

fn col(name: impl Into<Rc<str>>, ty: ScalarType) -> ColumnInfo {
    ColumnInfo {
        name: name.into(),
        ty,
    }
}

/// The text of the first IDENT token of `node` (operator keyword, `view`, ...).
fn first_word(node: &SyntaxNode) -> Option<String> {
    node.children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| t.kind() == IDENT)
        .map(|t| t.text().to_string())
}

fn child(node: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxNode> {
    // By kind on the green tree: no red node for the children passed over.
    node.first_child_by_kind(&|k| k == kind)
}

/// `kind=inner`-style parameters of an operator, lowercased values.
fn op_param(node: &SyntaxNode, name: &str) -> Option<(String, SyntaxNode)> {
    node.children()
        .filter(|c| c.kind() == OPERATOR_PARAM)
        .find(|p| first_word(p).is_some_and(|w| w.eq_ignore_ascii_case(name)))
        .map(|p| {
            let value = p
                .children()
                .last()
                .and_then(|v| name_text(&v))
                .unwrap_or_default();
            (value, p)
        })
}

fn type_ref(node: &SyntaxNode) -> ScalarType {
    child(node, TYPE_REF)
        .and_then(|t| name_str(&t).and_then(|t| ScalarType::parse(&t)))
        .unwrap_or(ScalarType::Unknown)
}

/// Columns of a `(a:string, b:long)` schema node; `None` when it contains `*`.
fn schema_columns(node: &SyntaxNode) -> RowSchema {
    let mut row = RowSchema::default();
    if node.green().children().any(|e| {
        let kind = green_kind(e.kind());
        kind == STAR || kind == STAR_EXPR
    }) {
        row.open = true;
    }
    for decl in node.children().filter_map(ast::ColumnDecl::cast) {
        if let Some(name) = decl.name().and_then(|n| n.text()) {
            row.set(name, type_ref(decl.syntax()));
        }
    }
    row
}

/// The kind of a green node or token.
fn green_kind(raw: rowan::SyntaxKind) -> SyntaxKind {
    <kql_syntax::KqlLanguage as rowan::Language>::kind_from_raw(raw)
}

/// The first token under `node` (as [`SyntaxNode::first_token`] finds it), read on the green tree:
/// walking red children makes a node or token per element passed.
fn first_green_token(node: &GreenNodeData) -> Option<&GreenTokenData> {
    match node.children().next()? {
        rowan::NodeOrToken::Token(t) => Some(t),
        rowan::NodeOrToken::Node(n) => first_green_token(n),
    }
}

fn literal_type(node: &SyntaxNode) -> ScalarType {
    let green = node.green();
    let Some(tok) = first_green_token(&green) else {
        return ScalarType::Unknown;
    };
    match green_kind(tok.kind()) {
        INT_LITERAL => ScalarType::Long,
        REAL_LITERAL => ScalarType::Real,
        TIMESPAN_LITERAL => ScalarType::TimeSpan,
        STRING_LITERAL => ScalarType::String,
        TYPED_LITERAL => {
            let text = tok.text().to_ascii_lowercase();
            let head = text.split('(').next().unwrap_or("").trim();
            match head {
                "datetime" | "date" => ScalarType::DateTime,
                "timespan" | "time" => ScalarType::TimeSpan,
                "dynamic" => ScalarType::Dynamic,
                _ => ScalarType::parse(head).unwrap_or(ScalarType::Unknown),
            }
        }
        IDENT => match tok.text() {
            "true" | "false" => ScalarType::Bool,
            _ => ScalarType::Unknown,
        },
        _ => ScalarType::Unknown,
    }
}

/// Whether a glob such as `Device*` matches `name`.
fn glob_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let mut rest = name;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else if let Some(pos) = rest.find(part) {
            rest = &rest[pos + part.len()..];
        } else {
            return false;
        }
    }
    true
}

/// The name a column gets from an un-named expression, when we know it.
fn implicit_name(expr: &SyntaxNode) -> Option<Cow<'_, str>> {
    match expr.kind() {
        NAME_REF => name_str(expr),
        MEMBER_EXPR => {
            // `a.b` becomes `a_b`.
            let mut parts = Vec::new();
            let mut cur = expr.clone();
            loop {
                match cur.kind() {
                    MEMBER_EXPR => {
                        parts.push(ast::declared_name_text(&cur)?);
                        cur = cur.children().next()?;
                    }
                    NAME_REF => {
                        parts.push(name_text(&cur)?);
                        break;
                    }
                    _ => return None,
                }
            }
            parts.reverse();
            Some(Cow::Owned(parts.join("_")))
        }
        _ => None,
    }
}

/// The type of `a op b` (`text` is the lowercase operator).
fn bin_type(kind: SyntaxKind, text: &str, a: ScalarType, b: ScalarType) -> ScalarType {
    use ScalarType as T;
    match kind {
        EQ2 | NEQ | LT | LTEQ | GT | GTEQ | EQ_TILDE | BANG_TILDE | OP_WORD => T::Bool,
        IDENT => match text {
            "and" | "or" | "has" | "contains" | "startswith" | "endswith" | "has_cs"
            | "contains_cs" | "startswith_cs" | "endswith_cs" | "hasprefix" | "hassuffix"
            | "hasprefix_cs" | "hassuffix_cs" | "matches" | "like" | "has_any" | "has_all" => {
                T::Bool
            }
            _ => T::Unknown,
        },
        PLUS | MINUS | STAR | SLASH | PERCENT => match (a, b) {
            (T::DateTime, T::DateTime) if kind == MINUS => T::TimeSpan,
            (T::DateTime, T::TimeSpan) | (T::TimeSpan, T::DateTime) => T::DateTime,
            (T::TimeSpan, T::TimeSpan) if kind == PLUS || kind == MINUS => T::TimeSpan,
            (T::TimeSpan, T::TimeSpan) if kind == SLASH => T::Real,
            (T::TimeSpan, n) | (n, T::TimeSpan) if n.is_numeric() && kind != PLUS => T::TimeSpan,
            (x, y) => T::promote(x, y).unwrap_or(T::Unknown),
        },
        _ => T::Unknown,
    }
}

/// The called function's plain name, borrowed from the tree when it can be.
fn call_name(call: &SyntaxNode) -> Option<Cow<'_, str>> {
    crate::names::call_name_str(call)
}

fn call_args(call: &SyntaxNode) -> Vec<SyntaxNode> {
    ast::CallExpr::cast(call.clone())
        .map(|c| c.args().collect())
        .unwrap_or_default()
}

/// The automatic name of an aggregate column (`count_`, `dcount_X`), when we are sure of it.
fn aggregate_name(call: &SyntaxNode) -> Option<String> {
    let name = call_name(call)?;
    let args = call_args(call);
    let first = args.first().and_then(implicit_name);
    let prefix = match &*name {
        // `count(Column)` (the deprecated one-argument form) names its column `count_Column`.
        "count" if first.is_some() => "count",
        "count" | "countif" => return Some(format!("{name}_")),
        "dcount" | "dcountif" | "sum" | "sumif" | "avg" | "avgif" | "min" | "max" | "minif"
        | "maxif" | "stdev" | "variance" => &name,
        "make_set" | "makeset" | "make_set_if" => "set",
        "make_list" | "makelist" | "make_list_if" => "list",
        "make_bag" | "make_bag_if" => "bag",
        "any" => "any",
        _ => return None,
    };
    first.map(|f| format!("{prefix}_{f}"))
}

impl<'s> Binder<'s> {
    pub(crate) fn new(schema: &'s Schema) -> Self {
        Binder {
            schema,
            catalog: FunctionCatalog::builtin(),
            scopes: vec![NameMap::default()],
            tables: NameMap::default(),
            model: Model::default(),
            fuzzy: 0,
            database_aliases: Vec::new(),
            shared: Rc::default(),
        }
    }

    pub(crate) fn run(mut self, root: &SyntaxNode) -> Model {
        // Room for what a text of this length typically records (over the corpus: a typed
        // expression per ~34 bytes, a result per ~70, a scope per ~120), so the vectors seldom grow.
        let len = usize::from(root.text_range().len());
        self.model.types.reserve(len / 24 + 4);
        self.model.results.reserve(len / 48 + 4);
        self.model.scopes.reserve(len / 96 + 2);
        self.statements(root);
        self.model
    }

    // ---------- names ----------

    fn define(&mut self, name: String, range: TextRange, value: Value) {
        let idx = self.model.symbols.len();
        self.model.symbols.push(Symbol {
            name: name.clone(),
            definition: range,
            references: Vec::new(),
        });
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(
                name,
                Binding {
                    value,
                    symbol: Some(idx),
                },
            );
        }
    }

    fn lookup(&mut self, name: &str, range: TextRange) -> Option<Value> {
        let binding = self
            .scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name))
            .cloned()?;
        if let Some(sym) = binding.symbol {
            self.model.symbols[sym].references.push(range);
        }
        Some(binding.value)
    }

    fn error(&mut self, code: &str, message: String, range: TextRange, help: Option<String>) {
        let mut d = Diagnostic::error(code, message, range);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.model.diagnostics.push(d);
    }

    // ---------- statements ----------

    /// Binds the statements under `node` (recursing into blocks); returns the last query's value.
    fn statements(&mut self, node: &SyntaxNode) -> Value {
        let mut last = Value::Unknown;
        for stmt in node.children() {
            match stmt.kind() {
                QUERY_BLOCK => {
                    self.scopes.push(NameMap::default());
                    last = self.statements(&stmt);
                    self.scopes.pop();
                }
                LET_STMT => self.let_stmt(&stmt),
                // `declare query_parameters(a:string, ...)`: each parameter is a scalar variable.
                DECLARE_STMT if is_query_parameters(&stmt) => {
                    if let Some(params) = ast::param_list(&stmt) {
                        self.bind_params(&params);
                    }
                }
                DECLARE_STMT | PATTERN_STMT => {
                    if let Some(n) = ast::declared_name(&stmt) {
                        if let Some(name) = n.text() {
                            let range = n.syntax().text_range();
                            let f = functions::UserFunction::opaque(name.clone());
                            self.define(name, range, Value::Function(Rc::new(f)));
                        }
                    }
                }
                QUERY_STMT => {
                    if let Some(e) = stmt.children().next() {
                        last = self.expr_value(&e, None);
                    }
                }
                DIRECTIVE_STMT => self.directive(&stmt),
                ALIAS_STMT => self.database_alias(&stmt),
                _ => {}
            }
        }
        last
    }

    fn let_stmt(&mut self, stmt: &SyntaxNode) {
        let Some(name_node) = ast::declared_name(stmt) else {
            return;
        };
        let Some(name) = name_node.text() else {
            return;
        };
        let name_node = name_node.syntax();
        let value_node = stmt.first_child_by_kind(&|k| k != NAME);
        let value = match &value_node {
            Some(v) if ast::Lambda::can_cast(v.kind()) => {
                Value::Function(Rc::new(self.let_function(&name, v)))
            }
            Some(v) => self.expr_value(v, None),
            None => Value::Unknown,
        };
        if let Some(v) = value_node {
            self.model
                .let_values
                .push((name_node.text_range(), v.text_range()));
        }
        self.define(name, name_node.text_range(), value);
    }

    /// Binds the items of `extend`/`serialize`/`project` in order. Each item sees the
    /// columns in `visible` (later items see earlier ones) and adds its names there; when
    /// `output` is given (project), the names are also the output's columns. A name whose type
    /// is unknown opens the resulting schema.
    fn bind_items(
        &mut self,
        op: &SyntaxNode,
        visible: &mut RowSchema,
        mut output: Option<&mut RowSchema>,
    ) {
        for c in op.children() {
            if c.kind() != ASSIGNMENT && !is_expr(c.kind()) {
                continue;
            }
            let r = Row {
                row: visible,
                left: None,
                right: None,
            };
            let (names, ty, known) = self.assignment(&c, r);
            if !known {
                match output.as_deref_mut() {
                    Some(out) => out.open = true,
                    None => visible.open = true,
                }
            }
            names.each(|n| {
                // One shared name for both schemas (the input's, when it has the column).
                let n = visible.set_shared(n, ty);
                if let Some(out) = output.as_deref_mut() {
                    out.set(n, ty);
                }
            });
        }
    }

    /// Defines each `name:type` of a parameter list in the current scope (lambda parameters and
    /// `declare query_parameters`).
    fn bind_params(&mut self, params: &SyntaxNode) {
        for p in params.children().filter_map(ast::Param::cast) {
            let Some(n) = p.name() else { continue };
            let Some(name) = n.text() else { continue };
            let value = if let Some(s) = p.schema() {
                let mut row = schema_columns(&s);
                row.open = true;
                Value::Table(Rc::new(row))
            } else {
                Value::Scalar(type_ref(p.syntax()))
            };
            self.define(name, n.syntax().text_range(), value);
        }
    }
}

/// Whether a `declare` statement is `declare query_parameters(...)` (not `declare pattern`).
fn is_query_parameters(stmt: &SyntaxNode) -> bool {
    stmt.children_with_tokens()
        .filter_map(|e| e.into_token())
        .any(|t| t.text() == "query_parameters")
}
