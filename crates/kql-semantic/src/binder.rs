//! The binder: walks statements and tabular operators, tracking the row schema.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use kql_diagnostics::{Diagnostic, Fix, TextEdit, TextRange};
use kql_schema::{FunctionCatalog, FunctionKind, ScalarType, Schema, Table};
use kql_syntax::{SyntaxKind, SyntaxKind::*, SyntaxNode};
use std::cell::RefCell;

use crate::names::name_text;
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
    /// A user function: its result when called (parameters bound to their declared types).
    Function(Box<Value>),
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

#[derive(Clone)]
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
}

fn is_expr(kind: SyntaxKind) -> bool {
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

/// Maps and sets keyed by names. The keys are the query's own short names, so a simple
/// multiplicative hash (FxHash) replaces SipHash, which showed up in profiles.
type NameMap<V> = FastMap<String, V>;
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<NameHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<NameHasher>>;

#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

thread_local! {
    /// Row schemas of the built-in schema's tables (see [`Binder::table_row`]).
    static BUILTIN_ROWS: RefCell<NameMap<Rc<RowSchema>>> = RefCell::default();
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
    node.children()
        .find(|c| c.kind() == TYPE_REF)
        .and_then(|t| name_text(&t))
        .and_then(|t| ScalarType::parse(&t))
        .unwrap_or(ScalarType::Unknown)
}

/// Columns of a `(a:string, b:long)` schema node; `None` when it contains `*`.
fn schema_columns(node: &SyntaxNode) -> RowSchema {
    let mut row = RowSchema::default();
    if node
        .children_with_tokens()
        .any(|e| e.kind() == STAR || e.kind() == STAR_EXPR)
    {
        row.open = true;
    }
    for decl in node.children().filter(|c| c.kind() == COLUMN_DECL) {
        if let Some(name) = child(&decl, NAME).and_then(|n| name_text(&n)) {
            row.set(name, type_ref(&decl));
        }
    }
    row
}

fn literal_type(node: &SyntaxNode) -> ScalarType {
    let Some(tok) = node.first_token() else {
        return ScalarType::Unknown;
    };
    match tok.kind() {
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
fn implicit_name(expr: &SyntaxNode) -> Option<String> {
    match expr.kind() {
        NAME_REF => name_text(expr),
        MEMBER_EXPR => {
            // `a.b` becomes `a_b`.
            let mut parts = Vec::new();
            let mut cur = expr.clone();
            loop {
                match cur.kind() {
                    MEMBER_EXPR => {
                        parts.push(child(&cur, NAME).and_then(|n| name_text(&n))?);
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
            Some(parts.join("_"))
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

fn call_name(call: &SyntaxNode) -> Option<String> {
    crate::names::callee_name(call)
}

fn call_args(call: &SyntaxNode) -> Vec<SyntaxNode> {
    child(call, ARG_LIST)
        .map(|a| a.children().collect())
        .unwrap_or_default()
}

/// The automatic name of an aggregate column (`count_`, `dcount_X`), when we are sure of it.
fn aggregate_name(call: &SyntaxNode) -> Option<String> {
    let name = call_name(call)?;
    let args = call_args(call);
    let first = args.first().and_then(implicit_name);
    let prefix = match name.as_str() {
        "count" | "countif" => return Some(format!("{name}_")),
        "dcount" | "dcountif" | "sum" | "sumif" | "avg" | "avgif" | "min" | "max" | "minif"
        | "maxif" | "stdev" | "variance" => name.clone(),
        "make_set" | "makeset" | "make_set_if" => "set".to_string(),
        "make_list" | "makelist" | "make_list_if" => "list".to_string(),
        "make_bag" | "make_bag_if" => "bag".to_string(),
        "any" => return first.map(|f| format!("any_{f}")),
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
        }
    }

    pub(crate) fn run(mut self, root: &SyntaxNode) -> Model {
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
                    if let Some(params) = child(&stmt, PARAM_LIST) {
                        self.bind_params(&params);
                    }
                }
                DECLARE_STMT | PATTERN_STMT => {
                    if let Some(n) = child(&stmt, NAME) {
                        if let Some(name) = name_text(&n) {
                            let open = Value::Table(Rc::new(RowSchema::unknown()));
                            self.define(name, n.text_range(), Value::Function(Box::new(open)));
                        }
                    }
                }
                QUERY_STMT => {
                    if let Some(e) = stmt.children().next() {
                        last = self.expr_value(&e, None);
                    }
                }
                _ => {}
            }
        }
        last
    }

    fn let_stmt(&mut self, stmt: &SyntaxNode) {
        let Some(name_node) = child(stmt, NAME) else {
            return;
        };
        let Some(name) = name_text(&name_node) else {
            return;
        };
        let value_node = stmt.first_child_by_kind(&|k| k != NAME);
        let value = match &value_node {
            Some(v) if v.kind() == LAMBDA => Value::Function(Box::new(self.lambda(v))),
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
            for n in names {
                if let Some(out) = output.as_deref_mut() {
                    out.set(n.clone(), ty);
                }
                visible.set(n, ty);
            }
        }
    }

    /// Defines each `name:type` of a parameter list in the current scope (lambda parameters and
    /// `declare query_parameters`).
    fn bind_params(&mut self, params: &SyntaxNode) {
        for p in params.children().filter(|c| c.kind() == PARAM) {
            let Some(n) = child(&p, NAME) else { continue };
            let Some(name) = name_text(&n) else { continue };
            let value = if let Some(s) = child(&p, SCHEMA) {
                let mut row = schema_columns(&s);
                row.open = true;
                Value::Table(Rc::new(row))
            } else {
                Value::Scalar(type_ref(&p))
            };
            self.define(name, n.text_range(), value);
        }
    }

    /// Binds a lambda body with its parameters; returns the body's value.
    fn lambda(&mut self, lambda: &SyntaxNode) -> Value {
        self.scopes.push(NameMap::default());
        if let Some(params) = child(lambda, PARAM_LIST) {
            self.bind_params(&params);
        }
        let value = match child(lambda, FUNCTION_BODY) {
            Some(body) => self.statements(&body),
            None => Value::Unknown,
        };
        self.scopes.pop();
        // A function result depends on its arguments: keep its columns but never treat it as
        // closed.
        match value {
            Value::Table(t) => {
                let mut t = (*t).clone();
                t.open = true;
                Value::Table(Rc::new(t))
            }
            Value::Scalar(_) => Value::Scalar(ScalarType::Unknown),
            other => other,
        }
    }

    // ---------- expressions ----------

    fn record_type(&mut self, node: &SyntaxNode, ty: ScalarType) {
        self.model.types.push((node.text_range(), ty));
    }

    fn scalar(&mut self, node: &SyntaxNode, row: Option<Row>) -> ScalarType {
        self.expr_value(node, row).scalar()
    }

    fn table(&mut self, node: &SyntaxNode) -> Rc<RowSchema> {
        match self.expr_value(node, None) {
            Value::Table(t) => t,
            Value::Function(v) => match *v {
                Value::Table(t) => t,
                _ => Rc::new(RowSchema::unknown()),
            },
            _ => Rc::new(RowSchema::unknown()),
        }
    }

    /// The value of any expression; `row` is the row context (None at tabular positions).
    fn expr_value(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        let value = self.expr_value_inner(node, row);
        match &value {
            Value::Scalar(t) => self.record_type(node, *t),
            Value::Table(t) => self.model.results.push((node.text_range(), t.clone())),
            _ => {}
        }
        value
    }

    fn expr_value_inner(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        use ScalarType as T;
        match node.kind() {
            LITERAL => Value::Scalar(literal_type(node)),
            DYNAMIC_LITERAL => Value::Scalar(T::Dynamic),
            NAME_REF => self.name_ref(node, row),
            PAREN_EXPR => match node.children().next() {
                Some(inner) => self.expr_value(&inner, row),
                None => Value::Unknown,
            },
            PIPE_EXPR => Value::Table(self.pipe(node)),
            CALL_EXPR => self.call(node, row),
            BIN_EXPR => self.bin_expr(node, row),
            PREFIX_EXPR => {
                let ty = node
                    .children()
                    .next()
                    .map(|c| self.scalar(&c, row))
                    .unwrap_or(T::Unknown);
                Value::Scalar(ty)
            }
            IN_EXPR | BETWEEN_EXPR => {
                for c in node.children() {
                    if matches!(c.kind(), RANGE_PAIR | PAREN_EXPR | LIST_EXPR) {
                        for e in c.children() {
                            self.expr_value(&e, row);
                        }
                    } else {
                        self.expr_value(&c, row);
                    }
                }
                Value::Scalar(T::Bool)
            }
            MEMBER_EXPR => self.member(node, row),
            INDEX_EXPR => {
                if let Some(base) = node.children().next() {
                    self.expr_value(&base, row);
                }
                Value::Scalar(T::Dynamic)
            }
            k if k.is_tabular_operator() => Value::Table(self.operator(node, None)),
            _ => Value::Unknown,
        }
    }

    fn name_ref(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        let Some(name) = name_text(node) else {
            return Value::Unknown;
        };
        let range = node.text_range();
        if name.eq_ignore_ascii_case("true") || name.eq_ignore_ascii_case("false") {
            return Value::Scalar(ScalarType::Bool);
        }
        if let Some(r) = row {
            if let Some(c) = r.row.column(&name) {
                return Value::Scalar(c.ty);
            }
        }
        if let Some(v) = self.lookup(&name, range) {
            return v;
        }
        if let Some(t) = self.table_by_name(&name, range) {
            return Value::Table(t);
        }
        if let Some(f) = self.schema.function(&name) {
            return Value::Table(Rc::new(match &f.columns {
                Some(cols) => RowSchema {
                    columns: cols.iter().map(|c| col(c.name.clone(), c.ty)).collect(),
                    open: true,
                },
                None => RowSchema::unknown(),
            }));
        }
        match row {
            Some(r) => {
                if !r.row.open && !name.starts_with('$') {
                    let help = kql_schema::suggest(&name, r.row.columns.iter().map(|c| &*c.name))
                        .map(|s| format!("did you mean `{s}`?"));
                    self.error(
                        codes::UNKNOWN_COLUMN,
                        format!("unknown column `{name}`"),
                        range,
                        help,
                    );
                }
                Value::Unknown
            }
            None if self.fuzzy > 0 => Value::Table(Rc::new(RowSchema::unknown())),
            // A scalar position (call argument, operand): not a table name.
            None if node.parent().is_some_and(|p| {
                matches!(
                    p.kind(),
                    ARG_LIST | BIN_EXPR | PREFIX_EXPR | BETWEEN_EXPR | RANGE_PAIR | ASSIGNMENT
                )
            }) =>
            {
                self.error(
                    codes::UNKNOWN_COLUMN,
                    format!("unknown name `{name}`: not a column, table, function or `let` name"),
                    range,
                    None,
                );
                Value::Unknown
            }
            None => {
                let help = self
                    .schema
                    .suggest_table(&name)
                    .map(|s| format!("did you mean `{s}`?"));
                self.error(
                    codes::UNKNOWN_TABLE,
                    format!("unknown table `{name}`"),
                    range,
                    help,
                );
                Value::Table(Rc::new(RowSchema::unknown()))
            }
        }
    }

    fn table_by_name(&mut self, name: &str, range: TextRange) -> Option<Rc<RowSchema>> {
        let table = self.schema.table(name)?;
        self.model.table_reads.push(crate::TableRead {
            range,
            table: table.name.clone(),
            time_column: table.time_column.clone(),
        });
        // Decision: the old name keeps its own columns (they may differ from the new table's).
        let target = table;
        if let Some(new) = &table.renamed_to {
            self.model.diagnostics.push(
                Diagnostic::warning(
                    codes::RENAMED_TABLE,
                    format!("table `{name}` was renamed to `{new}`"),
                    range,
                )
                .with_fix(Fix::safe(
                    format!("use `{new}`"),
                    vec![TextEdit::replace(range, new.clone())],
                )),
            );
        }
        Some(self.table_row(target))
    }

    /// The row schema of a schema table, made once per table: every column name is an
    /// allocation, and most queries read a wide table.
    fn table_row(&mut self, table: &Table) -> Rc<RowSchema> {
        let make = || {
            Rc::new(RowSchema::closed(
                table
                    .columns
                    .iter()
                    .map(|c| col(c.name.as_str(), c.ty))
                    .collect(),
            ))
        };
        if self.schema.is_builtin() {
            // The built-in schema never changes: share its rows across analyses.
            return BUILTIN_ROWS.with(|rows| {
                let mut rows = rows.borrow_mut();
                match rows.get(table.name.as_str()) {
                    Some(row) => row.clone(),
                    None => rows.entry(table.name.clone()).or_insert_with(make).clone(),
                }
            });
        }
        match self.tables.get(table.name.as_str()) {
            Some(row) => row.clone(),
            None => self
                .tables
                .entry(table.name.clone())
                .or_insert_with(make)
                .clone(),
        }
    }

    fn member(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        let Some(base) = node.children().next() else {
            return Value::Unknown;
        };
        let member = child(node, NAME).and_then(|n| name_text(&n));
        if base.kind() == NAME_REF {
            let side = name_text(&base);
            let side_row = match (side.as_deref(), row) {
                (Some("$left"), Some(r)) => Some(r.left),
                (Some("$right"), Some(r)) => Some(r.right),
                _ => None,
            };
            if let Some(side_row) = side_row {
                let (Some(side_row), Some(member)) = (side_row, member) else {
                    return Value::Unknown;
                };
                if let Some(c) = side_row.column(&member) {
                    return Value::Scalar(c.ty);
                }
                if !side_row.open {
                    let help =
                        kql_schema::suggest(&member, side_row.columns.iter().map(|c| &*c.name))
                            .map(|s| format!("did you mean `{s}`?"));
                    let range = child(node, NAME).map_or(node.text_range(), |n| n.text_range());
                    self.error(
                        codes::UNKNOWN_COLUMN,
                        format!("unknown column `{member}`"),
                        range,
                        help,
                    );
                }
                return Value::Unknown;
            }
        }
        match self.expr_value(&base, row) {
            // `database("x").T`, `cluster(..).database(..)`: unknown but allowed.
            Value::Table(_) | Value::Unknown | Value::Function(_) => {
                Value::Table(Rc::new(RowSchema::unknown()))
            }
            Value::Scalar(_) => Value::Scalar(ScalarType::Dynamic),
        }
    }

    /// `a op b`, or a run `a op b op c ...` of one operator, typed left to right.
    fn bin_expr(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        use ScalarType as T;
        let operands: Vec<SyntaxNode> = node.children().collect();
        let types: Vec<T> = operands.iter().map(|o| self.scalar(o, row)).collect();
        let op = node
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .find(|t| !t.kind().is_trivia())
            .map(|t| (t.kind(), t.text().to_ascii_lowercase()));
        let Some((kind, text)) = op else {
            return Value::Unknown;
        };
        let mut types = types.into_iter();
        let first = types.next().unwrap_or(T::Unknown);
        let second = types.next().unwrap_or(T::Unknown);
        let mut ty = bin_type(kind, &text, first, second);
        for next in types {
            ty = bin_type(kind, &text, ty, next);
        }
        Value::Scalar(ty)
    }

    fn call(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        use ScalarType as T;
        let args = call_args(node);
        let Some(name) = call_name(node) else {
            // `x.f()`-style callee: `cluster("a").database("b")` and the like.
            if let Some(callee) = node.children().next() {
                self.expr_value(&callee, row);
            }
            for a in &args {
                self.expr_value(a, row);
            }
            return Value::Table(Rc::new(RowSchema::unknown()));
        };
        let callee_range = node.children().next().map(|c| c.text_range());
        // user functions and let names
        if let Some(v) = self.lookup(&name, callee_range.unwrap_or(node.text_range())) {
            for a in &args {
                self.expr_value(a, row);
            }
            return match v {
                Value::Function(r) => *r,
                _ => Value::Unknown,
            };
        }
        match name.as_str() {
            "materialize" | "view" | "toscalar" => {
                let v = args
                    .first()
                    .map(|a| self.expr_value(a, row))
                    .unwrap_or(Value::Unknown);
                return match (name.as_str(), v) {
                    ("toscalar", _) => Value::Unknown,
                    (_, v) => v,
                };
            }
            "database"
            | "cluster"
            | "table"
            | "external_table"
            | "materialized_view"
            | "stored_query_result"
            | "graph"
            | "entity_group" => {
                for a in &args {
                    self.expr_value(a, row);
                }
                return self.entity_call(&name, &args);
            }
            _ => {}
        }
        if let Some(f) = self.schema.function(&name) {
            for a in &args {
                self.expr_value(a, row);
            }
            let returns = f.columns.as_ref().map(|cols| RowSchema {
                columns: cols.iter().map(|c| col(c.name.clone(), c.ty)).collect(),
                open: false,
            });
            return Value::Table(Rc::new(returns.unwrap_or_else(RowSchema::unknown)));
        }
        let arg_types: Vec<T> = args.iter().map(|a| self.scalar(a, row)).collect();
        if CATALOG_GAPS.contains(&name.as_str()) {
            return Value::Unknown;
        }
        let Some(sig) = self.catalog.lookup(&name) else {
            {
                let help = if name.ends_with("_fl") {
                    Some(
                        "functions-library `_fl` functions must be defined with `let` or in a \
                         `--schema` file"
                            .to_string(),
                    )
                } else {
                    self.catalog
                        .suggest(&name)
                        .map(|s| format!("did you mean `{s}`?"))
                };
                let range = callee_range.unwrap_or(node.text_range());
                self.error(
                    codes::UNKNOWN_FUNCTION,
                    format!("unknown function `{name}`"),
                    range,
                    help,
                );
            }
            return Value::Unknown;
        };
        let n = args.len();
        let max = sig.max_args();
        if n < sig.min_args() || max.is_some_and(|m| n > m) {
            let expected = match max {
                Some(m) if m == sig.min_args() => format!("{m}"),
                Some(m) => format!("{} to {m}", sig.min_args()),
                None => format!("at least {}", sig.min_args()),
            };
            self.error(
                codes::WRONG_ARG_COUNT,
                format!("function `{name}` takes {expected} arguments, got {n}"),
                node.text_range(),
                None,
            );
        }
        if sig.kind == FunctionKind::Tabular || sig.kind == FunctionKind::Plugin {
            return Value::Table(Rc::new(RowSchema::unknown()));
        }
        Value::Scalar(sig.return_type(&arg_types))
    }

    /// `table("T")`, `graph("G")`, `external_table("E")`...: a literal name is looked up in the
    /// schema (which has no graph models, external tables, materialized views or stored query
    /// results); `database()`/`cluster()` stay unknown-but-allowed.
    fn entity_call(&mut self, name: &str, args: &[SyntaxNode]) -> Value {
        let open = Value::Table(Rc::new(RowSchema::unknown()));
        // `database("d").T` is the callee of a member access: allowed.
        let literal = args
            .first()
            .filter(|a| a.kind() == LITERAL)
            .and_then(|a| a.first_token())
            .filter(|t| t.kind() == STRING_LITERAL)
            .and_then(|t| kql_syntax::string_literal_value(t.text()));
        let Some(entity) = literal else {
            return open;
        };
        let range = args[0].text_range();
        let what = match name {
            "table" => {
                if self.fuzzy > 0 || self.scopes.iter().any(|s| s.contains_key(&entity)) {
                    return open;
                }
                return match self.table_by_name(&entity, range) {
                    Some(t) => Value::Table(t),
                    None => {
                        let help = self
                            .schema
                            .suggest_table(&entity)
                            .map(|s| format!("did you mean `{s}`?"));
                        self.error(
                            codes::UNKNOWN_TABLE,
                            format!("unknown table `{entity}`"),
                            range,
                            help,
                        );
                        open
                    }
                };
            }
            "graph" => "graph model",
            "external_table" => "external table",
            "materialized_view" => "materialized view",
            "stored_query_result" => "stored query result",
            _ => return open,
        };
        let code = if name == "graph" {
            codes::UNKNOWN_GRAPH
        } else {
            codes::UNKNOWN_TABLE
        };
        self.error(code, format!("unknown {what} `{entity}`"), range, None);
        open
    }

    // ---------- tabular ----------

    /// A pipeline: its source, then each `| operator` in turn. An operator followed by junk (an
    /// `ERROR` node before the next `|`) or missing altogether leaves an unknown schema.
    fn pipe(&mut self, node: &SyntaxNode) -> Rc<RowSchema> {
        let mut children = node.children();
        let Some(source) = children.next() else {
            return Rc::new(RowSchema::unknown());
        };
        let mut schema = self.table(&source);
        // The nodes after each `|`, in text order: an operator, maybe junk after it.
        let mut segment: Vec<SyntaxNode> = Vec::new();
        let mut pending = false;
        for element in node
            .children_with_tokens()
            .skip_while(|e| e.as_node() != Some(&source))
        {
            match element {
                rowan::NodeOrToken::Token(t) if t.kind() == PIPE => {
                    if pending {
                        schema = self.segment(&segment, schema);
                        segment.clear();
                    }
                    pending = true;
                }
                rowan::NodeOrToken::Node(n) if pending => segment.push(n),
                _ => {}
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
    fn segment(&mut self, nodes: &[SyntaxNode], input: Rc<RowSchema>) -> Rc<RowSchema> {
        match nodes {
            [op] if op.kind().is_tabular_operator() => self.operator(op, Some(input)),
            [op, ..] if op.kind().is_tabular_operator() => {
                let reported = self.model.diagnostics.len();
                self.operator(op, Some(input));
                self.model.diagnostics.truncate(reported);
                Rc::new(RowSchema::unknown())
            }
            _ => Rc::new(RowSchema::unknown()),
        }
    }

    /// Applies a tabular operator to `input` (None when it starts a query: `print`, `range`...).
    fn operator(&mut self, op: &SyntaxNode, input: Option<Rc<RowSchema>>) -> Rc<RowSchema> {
        let s = input.unwrap_or_else(|| Rc::new(RowSchema::unknown()));
        self.model.scopes.push((op.text_range(), s.clone()));
        let out = self.operator_inner(op, &s);
        self.model.results.push((op.text_range(), out.clone()));
        out
    }

    fn exprs(&mut self, node: &SyntaxNode, s: &RowSchema) {
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
    fn assignment(&mut self, c: &SyntaxNode, row: Row) -> (Vec<String>, ScalarType, bool) {
        if c.kind() == ASSIGNMENT {
            let ty = c
                .children()
                .filter(|x| x.kind() != NAME && x.kind() != TUPLE_NAMES)
                .last()
                .map(|e| self.scalar(&e, Some(row)))
                .unwrap_or(ScalarType::Unknown);
            if let Some(n) = child(c, NAME).and_then(|n| name_text(&n)) {
                return (vec![n], ty, true);
            }
            if let Some(t) = child(c, TUPLE_NAMES) {
                let names = t.children().filter_map(|n| name_text(&n)).collect();
                return (names, ScalarType::Unknown, true);
            }
            (vec![], ty, false)
        } else {
            let ty = self.scalar(c, Some(row));
            match implicit_name(c) {
                Some(n) => (vec![n], ty, true),
                None => (vec![], ty, false),
            }
        }
    }

    /// The output schema of `op`; operators that keep their input's columns share it.
    fn operator_inner(&mut self, op: &SyntaxNode, input: &Rc<RowSchema>) -> Rc<RowSchema> {
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
                if let Some(n) = child(op, NAME) {
                    if let Some(name) = name_text(&n) {
                        self.define(name, n.text_range(), Value::Table(input.clone()));
                    }
                }
                input.clone()
            }
            _ => Rc::new(self.new_schema(op, s)),
        }
    }

    fn where_op(&mut self, op: &SyntaxNode, s: &RowSchema) {
        let row = Row {
            row: s,
            left: None,
            right: None,
        };
        for c in op.children().filter(|c| is_expr(c.kind())) {
            let ty = self.scalar(&c, Some(row));
            if !matches!(
                ty,
                ScalarType::Bool | ScalarType::Unknown | ScalarType::Dynamic
            ) && c.kind() != STAR_EXPR
            {
                self.error(
                    codes::NON_BOOL_PREDICATE,
                    format!("`where` needs a bool predicate, this is {}", ty.as_str()),
                    c.text_range(),
                    None,
                );
            }
        }
    }

    /// The output schema of an operator that changes the columns.
    fn new_schema(&mut self, op: &SyntaxNode, s: &RowSchema) -> RowSchema {
        use ScalarType as T;
        let row = Row {
            row: s,
            left: None,
            right: None,
        };
        match op.kind() {
            EXTEND_OP | SERIALIZE_OP => {
                // Decision: later items see earlier ones (`extend a = 1, b = a + 1`), which the
                // engine accepts even though Microsoft's analyzer reports it.
                let mut out = s.clone();
                self.bind_items(op, &mut out, None);
                out
            }
            PROJECT_OP => {
                let mut out = RowSchema::default();
                let mut visible = s.clone();
                self.bind_items(op, &mut visible, Some(&mut out));
                out
            }
            PROJECT_AWAY_OP | PROJECT_KEEP_OP => {
                let keep = op.kind() == PROJECT_KEEP_OP;
                let pats = self.name_patterns(op, s);
                let mut out = s.clone();
                out.columns.retain(|c| {
                    let m = pats.iter().any(|p| glob_match(p, &c.name));
                    m == keep
                });
                if keep {
                    for p in pats.iter().filter(|p| !p.contains('*')) {
                        if out.column(p).is_none() {
                            out.set(p.clone(), T::Unknown);
                        }
                    }
                    out.open = s.open && pats.iter().any(|p| p.contains('*'));
                }
                out
            }
            PROJECT_RENAME_OP => {
                let mut out = s.clone();
                for a in op.children().filter(|c| c.kind() == ASSIGNMENT) {
                    let new = child(&a, NAME).and_then(|n| name_text(&n));
                    let old_node = a.children().filter(|x| x.kind() != NAME).last();
                    if let Some(o) = &old_node {
                        self.expr_value(o, Some(row));
                    }
                    let old = old_node.as_ref().and_then(name_text);
                    if let (Some(new), Some(old)) = (new, old) {
                        if let Some(c) = out.columns.iter_mut().find(|c| *c.name == *old) {
                            c.name = new.into();
                        } else {
                            out.set(new, T::Unknown);
                        }
                    }
                }
                out
            }
            SUMMARIZE_OP => self.summarize(op, s),
            MAKE_SERIES_OP => self.make_series(op, s),
            JOIN_OP | LOOKUP_OP => self.join(op, s),
            UNION_OP => self.union(op, s),
            MV_EXPAND_OP => {
                let mut out = s.clone();
                let ty = child(op, TO_TYPEOF)
                    .and_then(|t| child(&t, TYPEOF_EXPR))
                    .map(|t| type_ref(&t))
                    .unwrap_or(T::Dynamic);
                for c in op.children() {
                    if c.kind() == ASSIGNMENT || is_expr(c.kind()) {
                        let (names, _, known) = self.assignment(&c, row);
                        if !known {
                            out.open = true;
                        }
                        for n in names {
                            out.set(n, ty);
                        }
                    }
                }
                if let Some((_, p)) = op_param(op, "with_itemindex") {
                    match p.children().last().and_then(|n| name_text(&n)) {
                        Some(n) => out.set(n, T::Long),
                        None => out.open = true,
                    }
                }
                out
            }
            PARSE_OP | PARSE_WHERE_OP => {
                self.exprs(op, s);
                let mut out = s.clone();
                if let Some(p) = child(op, PARSE_PATTERN) {
                    for d in p.children() {
                        match d.kind() {
                            COLUMN_DECL => {
                                if let Some(n) = child(&d, NAME).and_then(|n| name_text(&n)) {
                                    let ty = if child(&d, TYPE_REF).is_some() {
                                        type_ref(&d)
                                    } else {
                                        T::String
                                    };
                                    out.set(n, ty);
                                }
                            }
                            NAME | NAME_REF => {
                                if let Some(n) = name_text(&d) {
                                    out.set(n, T::String);
                                }
                            }
                            _ => out.open = true,
                        }
                    }
                } else {
                    out.open = true;
                }
                out
            }
            PARSE_KV_OP => {
                self.exprs(op, s);
                let mut out = s.clone();
                match child(op, SCHEMA) {
                    Some(sc) => {
                        let add = schema_columns(&sc);
                        out.open |= add.open;
                        for c in add.columns {
                            out.set(c.name, c.ty);
                        }
                    }
                    None => out.open = true,
                }
                out
            }
            DATATABLE_OP => child(op, SCHEMA)
                .map(|sc| schema_columns(&sc))
                .unwrap_or_else(RowSchema::unknown),
            EXTERNALDATA_OP => child(op, SCHEMA)
                .map(|sc| schema_columns(&sc))
                .unwrap_or_else(RowSchema::unknown),
            RANGE_OP => {
                let empty = RowSchema::default();
                let exprs: Vec<SyntaxNode> = op.children().filter(|c| is_expr(c.kind())).collect();
                let mut ty = T::Unknown;
                for (i, e) in exprs.iter().enumerate() {
                    let t = self.scalar(
                        e,
                        Some(Row {
                            row: &empty,
                            left: None,
                            right: None,
                        }),
                    );
                    if i == 0 {
                        ty = t;
                    }
                }
                match child(op, NAME).and_then(|n| name_text(&n)) {
                    Some(n) => RowSchema::closed(vec![col(n, ty)]),
                    None => RowSchema::unknown(),
                }
            }
            PRINT_OP => {
                let empty = RowSchema::default();
                let r = Row {
                    row: &empty,
                    left: None,
                    right: None,
                };
                let mut out = RowSchema::default();
                let mut i = 0;
                for c in op.children() {
                    if c.kind() == ASSIGNMENT || is_expr(c.kind()) {
                        let r = Row { row: &out, ..r };
                        let (names, ty, known) = self.assignment(&c, r);
                        if known {
                            for n in names {
                                out.set(n, ty);
                            }
                        } else {
                            out.set(format!("print_{i}"), ty);
                        }
                        i += 1;
                    }
                }
                out
            }
            GETSCHEMA_OP => RowSchema::closed(vec![
                col("ColumnName", T::String),
                col("ColumnOrdinal", T::Int),
                col("DataType", T::String),
                col("ColumnType", T::String),
            ]),
            COUNT_OP => RowSchema::closed(vec![col("Count", T::Long)]),
            DISTINCT_OP => {
                if child(op, STAR_EXPR).is_some()
                    || op.children_with_tokens().any(|e| e.kind() == STAR)
                {
                    return s.clone();
                }
                let mut out = RowSchema::default();
                for c in op.children() {
                    if c.kind() == ASSIGNMENT || is_expr(c.kind()) {
                        let (names, ty, known) = self.assignment(&c, row);
                        if !known {
                            out.open = true;
                        }
                        for n in names {
                            out.set(n, ty);
                        }
                    }
                }
                out
            }
            INVOKE_OP => {
                let open = RowSchema::unknown();
                let r = Row {
                    row: &open,
                    left: None,
                    right: None,
                };
                let Some(c) = child(op, CALL_EXPR) else {
                    return RowSchema::unknown();
                };
                let stored = call_name(&c)
                    .and_then(|n| self.schema.function(&n))
                    .is_some_and(|f| f.takes_table_input());
                match self.call(&c, Some(r)) {
                    // A stored function such as `FileProfile` adds its columns to the input.
                    Value::Table(t) if stored => {
                        let mut out = s.clone();
                        out.open |= t.open;
                        for c in &t.columns {
                            out.set(c.name.clone(), c.ty);
                        }
                        out
                    }
                    Value::Table(t) => (*t).clone(),
                    _ => RowSchema::unknown(),
                }
            }
            FIND_OP | SEARCH_OP => {
                // Table names after `in` are checked; the columns searched are not.
                if let Some(list) = child(op, NAME_LIST) {
                    for item in list.children() {
                        if matches!(item.kind(), NAME_REF | PAREN_EXPR | MEMBER_EXPR | CALL_EXPR) {
                            self.table(&item);
                        }
                    }
                }
                RowSchema::unknown()
            }
            PARTITION_OP => {
                // The subquery sees the partition key as a name (legacy strategy).
                if let Some(sub) = child(op, SUBQUERY) {
                    self.scopes.push(NameMap::default());
                    for key in op.children().filter(|c| c.kind() == NAME_REF) {
                        if let Some(k) = name_text(&key) {
                            if let Some(scope) = self.scopes.last_mut() {
                                scope.insert(
                                    k,
                                    Binding {
                                        value: Value::Scalar(T::Unknown),
                                        symbol: None,
                                    },
                                );
                            }
                        }
                    }
                    self.statements(&sub);
                    self.scopes.pop();
                }
                RowSchema::unknown()
            }
            EVALUATE_OP => {
                // Plugins: arguments may name columns, the output is open.
                let mut out = s.clone();
                out.open = true;
                out
            }
            _ => RowSchema::unknown(),
        }
    }

    /// Names and wildcards of project-away/keep/reorder; unknown plain names are reported.
    fn name_patterns(&mut self, op: &SyntaxNode, s: &RowSchema) -> Vec<String> {
        let mut pats = Vec::new();
        let nodes: Vec<SyntaxNode> = match child(op, NAME_LIST) {
            Some(l) => l.children().collect(),
            None => op.children().collect(),
        };
        for n in nodes {
            match n.kind() {
                WILDCARD_NAME => pats.push(n.text().to_string().split_whitespace().collect()),
                NAME_REF | NAME => {
                    if let Some(name) = name_text(&n) {
                        if s.column(&name).is_none() && !s.open {
                            self.error(
                                codes::UNKNOWN_COLUMN,
                                format!("unknown column `{name}`"),
                                n.text_range(),
                                kql_schema::suggest(&name, s.columns.iter().map(|c| &*c.name))
                                    .map(|x| format!("did you mean `{x}`?")),
                            );
                        }
                        pats.push(name);
                    }
                }
                SORT_KEY => {
                    if let Some(name) = n.children().next().and_then(|x| name_text(&x)) {
                        pats.push(name);
                    }
                }
                _ => {}
            }
        }
        pats
    }

    fn summarize(&mut self, op: &SyntaxNode, s: &RowSchema) -> RowSchema {
        let row = Row {
            row: s,
            left: None,
            right: None,
        };
        // `by` columns come first.
        let mut out = match child(op, BY_CLAUSE) {
            Some(by) => self.summarize_by(&by, row),
            None => RowSchema::default(),
        };
        for c in op.children() {
            if c.kind() == ASSIGNMENT {
                let (names, ty, known) = self.assignment(&c, row);
                let is_arg = c
                    .children()
                    .last()
                    .and_then(|e| call_name(&e))
                    .is_some_and(|f| f.starts_with("arg_") || f.starts_with("take_any"));
                if !known || is_arg || names.len() != 1 {
                    out.open = true;
                }
                for n in names {
                    out.set(n, ty);
                }
            } else if is_expr(c.kind()) {
                let ty = self.scalar(&c, Some(row));
                let fname = call_name(&c).unwrap_or_default();
                if matches!(
                    fname.as_str(),
                    "arg_max" | "arg_min" | "argmax" | "argmin" | "take_any" | "take_anyif"
                ) && c.kind() == CALL_EXPR
                {
                    let mut args = call_args(&c);
                    if fname == "take_anyif" {
                        args.truncate(1);
                    }
                    for a in &args {
                        if a.kind() == STAR_EXPR {
                            for col in &s.columns {
                                if out.column(&col.name).is_none() {
                                    out.set(col.name.clone(), col.ty);
                                }
                            }
                            out.open |= s.open;
                        } else if let Some(n) = implicit_name(a) {
                            let t = self.model_type(a);
                            if out.column(&n).is_none() {
                                out.set(n, t);
                            }
                        } else {
                            out.open = true;
                        }
                    }
                    continue;
                }
                match aggregate_name(&c) {
                    Some(n) => {
                        // Automatic names are made unique: `count_`, `count_1`.
                        let mut name = n.clone();
                        let mut i = 1;
                        while out.column(&name).is_some() {
                            name = format!("{n}{i}");
                            i += 1;
                        }
                        out.set(name, ty);
                    }
                    None => out.open = true,
                }
            }
        }
        out
    }

    /// The `by` columns of summarize / make-series.
    fn summarize_by(&mut self, by: &SyntaxNode, row: Row) -> RowSchema {
        let mut out = RowSchema::default();
        for c in by.children() {
            if c.kind() == ASSIGNMENT {
                let (names, ty, known) = self.assignment(&c, row);
                if !known {
                    out.open = true;
                }
                for n in names {
                    out.set(n, ty);
                }
            } else if is_expr(c.kind()) {
                let ty = self.scalar(&c, Some(row));
                let name = implicit_name(&c).or_else(|| {
                    let f = call_name(&c)?;
                    if matches!(f.as_str(), "bin" | "floor" | "bin_at" | "bin_auto") {
                        call_args(&c).first().and_then(implicit_name)
                    } else {
                        None
                    }
                });
                match name {
                    Some(n) => out.set(n, ty),
                    None => out.open = true,
                }
            }
        }
        out
    }

    /// `make-series agg(...) [default=v], ... on Axis [from a to b step c | in range(...)] by ...`
    fn make_series(&mut self, op: &SyntaxNode, s: &RowSchema) -> RowSchema {
        let row = Row {
            row: s,
            left: None,
            right: None,
        };
        let mut out = RowSchema::default();
        if let Some(by) = child(op, BY_CLAUSE) {
            let by_cols = self.summarize_by(&by, row);
            out.open |= by_cols.open;
            out.columns.extend(by_cols.columns);
        }
        let mut phase = 0;
        let mut after_default = false;
        for el in op.children_with_tokens() {
            if let Some(t) = el.as_token().filter(|t| t.kind() == IDENT) {
                match t.text().to_ascii_lowercase().as_str() {
                    "on" => phase = 1,
                    "from" | "to" | "step" | "in" => phase = 2,
                    "default" => after_default = true,
                    _ => {}
                }
                continue;
            }
            match el.into_node() {
                Some(c) if c.kind() == ASSIGNMENT || is_expr(c.kind()) => {
                    if after_default {
                        after_default = false;
                        self.expr_value(&c, Some(row));
                        continue;
                    }
                    match phase {
                        0 => {
                            let (names, _, known) = self.assignment(&c, row);
                            let names = if c.kind() == ASSIGNMENT {
                                names
                            } else {
                                aggregate_name(&c).into_iter().collect()
                            };
                            if (c.kind() == ASSIGNMENT && !known) || names.is_empty() {
                                out.open = true;
                            }
                            for n in names {
                                out.set(n, ScalarType::Dynamic);
                            }
                        }
                        1 => {
                            self.expr_value(&c, Some(row));
                            match implicit_name(&c) {
                                Some(n) => out.set(n, ScalarType::Dynamic),
                                None => out.open = true,
                            }
                            phase = 2;
                        }
                        _ => {
                            self.expr_value(&c, Some(row));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn model_type(&self, node: &SyntaxNode) -> ScalarType {
        self.model
            .types
            .iter()
            .rev()
            .find(|(r, _)| *r == node.text_range())
            .map(|(_, t)| *t)
            .unwrap_or(ScalarType::Unknown)
    }

    fn join(&mut self, op: &SyntaxNode, left: &RowSchema) -> RowSchema {
        let right = op
            .children()
            .find(|c| {
                matches!(
                    c.kind(),
                    PAREN_EXPR | NAME_REF | PIPE_EXPR | CALL_EXPR | MEMBER_EXPR
                )
            })
            .map(|c| self.table(&c))
            .unwrap_or_else(|| Rc::new(RowSchema::unknown()));
        let kind = op_param(op, "kind")
            .map(|(k, _)| k.to_ascii_lowercase())
            .unwrap_or_default();
        let is_lookup = op.kind() == LOOKUP_OP;
        let mut keys = Vec::new();
        if let Some(on) = child(op, ON_CLAUSE) {
            let row = Row {
                row: left,
                left: Some(left),
                right: Some(&right),
            };
            for c in on.children() {
                if c.kind() == NAME_REF {
                    if let Some(n) = name_text(&c) {
                        for (side, what) in [(left, "left"), (&*right, "right")] {
                            if side.column(&n).is_none() && !side.open {
                                self.error(
                                    codes::UNKNOWN_COLUMN,
                                    format!("unknown column `{n}` on the {what} side of the join"),
                                    c.text_range(),
                                    None,
                                );
                                break;
                            }
                        }
                        keys.push(n);
                    }
                } else if is_expr(c.kind()) {
                    self.expr_value(&c, Some(row));
                }
            }
        }
        match kind.as_str() {
            "leftanti" | "anti" | "leftantisemi" | "leftsemi" => return left.clone(),
            "rightanti" | "rightantisemi" | "rightsemi" => return (*right).clone(),
            _ => {}
        }
        let mut out = left.clone();
        out.open |= right.open;
        // The output's names, so joining wide tables is not quadratic.
        let mut names: FastSet<Rc<str>> = FastSet::with_capacity_and_hasher(
            out.columns.len() + right.columns.len(),
            Default::default(),
        );
        names.extend(out.columns.iter().map(|c| c.name.clone()));
        for c in &right.columns {
            if !names.contains(&*c.name) {
                names.insert(c.name.clone());
                out.columns.push(c.clone());
            } else if is_lookup && keys.iter().any(|k| **k == *c.name) {
                continue;
            } else {
                let mut i = 1;
                while names.contains(format!("{}{i}", c.name).as_str()) {
                    i += 1;
                }
                let name: Rc<str> = format!("{}{i}", c.name).into();
                names.insert(name.clone());
                out.columns.push(col(name, c.ty));
            }
        }
        out
    }

    fn union(&mut self, op: &SyntaxNode, input: &RowSchema) -> RowSchema {
        let mut inputs: Vec<Rc<RowSchema>> = Vec::new();
        let starts_query = op
            .parent()
            .is_none_or(|p| p.kind() != PIPE_EXPR || p.children().next().as_ref() == Some(op));
        if !starts_query {
            inputs.push(Rc::new(input.clone()));
        }
        let mut open = false;
        let fuzzy = op_param(op, "isfuzzy").is_some_and(|(v, _)| v.eq_ignore_ascii_case("true"));
        if fuzzy {
            self.fuzzy += 1;
        }
        let items: Vec<SyntaxNode> = match child(op, NAME_LIST) {
            Some(l) => l.children().collect(),
            None => op
                .children()
                .filter(|c| c.kind() != OPERATOR_PARAM)
                .collect(),
        };
        for item in items {
            match item.kind() {
                WILDCARD_NAME => {
                    let pat: String = item.text().to_string().split_whitespace().collect();
                    let schema = self.schema;
                    let tables: Vec<_> = schema
                        .tables
                        .values()
                        .filter(|t| glob_match(&pat, &t.name))
                        .map(|t| self.table_row(t))
                        .collect();
                    let lets = self
                        .scopes
                        .iter()
                        .any(|s| s.keys().any(|k| glob_match(&pat, k)));
                    if tables.is_empty() {
                        open = true;
                        if !lets {
                            self.error(
                                codes::UNKNOWN_TABLE,
                                format!("no table matches `{pat}`"),
                                item.text_range(),
                                None,
                            );
                        }
                    }
                    inputs.extend(tables);
                }
                k if is_expr(k) || k.is_tabular_operator() => inputs.push(self.table(&item)),
                _ => {}
            }
        }
        if fuzzy {
            self.fuzzy -= 1;
        }
        let mut out = RowSchema::default();
        if let Some((name, _)) = op_param(op, "withsource").or_else(|| op_param(op, "source")) {
            if name.is_empty() {
                open = true;
            } else {
                out.set(name, ScalarType::String);
            }
        }
        // The output's columns by name: a union of wide tables has hundreds, too many to scan
        // once per input column.
        let mut index: FastMap<Rc<str>, usize> = FastMap::with_capacity_and_hasher(
            out.columns.len() + inputs.first().map_or(0, |t| t.columns.len()),
            Default::default(),
        );
        index.extend(
            out.columns
                .iter()
                .enumerate()
                .map(|(i, c)| (c.name.clone(), i)),
        );
        for t in &inputs {
            open |= t.open;
            for c in &t.columns {
                match index.get(&c.name) {
                    Some(&i) => {
                        let x = &mut out.columns[i];
                        if x.ty != c.ty {
                            // Decision: like Microsoft's analyzer, keep one column of unknown type.
                            x.ty = ScalarType::Unknown;
                        }
                    }
                    None => {
                        index.insert(c.name.clone(), out.columns.len());
                        out.columns.push(c.clone());
                    }
                }
            }
        }
        if inputs.is_empty() {
            open = true;
        }
        out.open = open;
        out
    }
}

/// Whether a `declare` statement is `declare query_parameters(...)` (not `declare pattern`).
fn is_query_parameters(stmt: &SyntaxNode) -> bool {
    stmt.children_with_tokens()
        .filter_map(|e| e.into_token())
        .any(|t| t.text() == "query_parameters")
}
