//! Expressions: names, literals, operators, calls and member access, typed against the row in
//! scope; tables and `let` values as tabular values.

use super::*;

impl Binder<'_> {
    pub(super) fn record_type(&mut self, node: &SyntaxNode, ty: ScalarType) {
        self.model.types.push((node.text_range(), ty));
    }

    pub(super) fn scalar(&mut self, node: &SyntaxNode, row: Option<Row>) -> ScalarType {
        self.expr_value(node, row).scalar()
    }

    pub(super) fn table(&mut self, node: &SyntaxNode) -> Rc<RowSchema> {
        match self.expr_value(node, None) {
            Value::Table(t) => t,
            Value::Function(f) => match f.result() {
                Value::Table(t) => t.clone(),
                _ => unknown_row(),
            },
            _ => unknown_row(),
        }
    }

    /// The value of any expression; `row` is the row context (None at tabular positions).
    pub(super) fn expr_value(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        let value = self.expr_value_inner(node, row);
        match &value {
            Value::Scalar(t) => self.record_type(node, *t),
            Value::Table(t) => self.model.results.push((node.text_range(), t.clone())),
            _ => {}
        }
        value
    }

    pub(super) fn expr_value_inner(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
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

    pub(super) fn name_ref(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        let Some(name) = name_str(node) else {
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
            if let Value::Function(f) = &v {
                // `let v = view() { ... }; v | ...`: named without `()`, it is called.
                if f.takes_no_arguments() {
                    self.record_call(f, range);
                }
            }
            return v;
        }
        if let Some(t) = self.table_by_name(&name, range) {
            return Value::Table(t);
        }
        if let Some(f) = self.stored_function(&name) {
            // A stored function named without `()`: what it returns with no arguments.
            self.record_call(&f, range);
            return match f.result() {
                Value::Table(t) => Value::Table(t.clone()),
                _ => Value::Table(unknown_row()),
            };
        }
        match row {
            Some(r) => {
                if !r.row.open && !name.starts_with('$') {
                    self.unknown_column(&name, range, r.row);
                }
                Value::Unknown
            }
            None if self.fuzzy > 0 => Value::Table(unknown_row()),
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
                self.unknown_table(&name, range);
                Value::Table(unknown_row())
            }
        }
    }

    /// Reports `name` as an unknown table, with the closest schema table as help.
    fn unknown_table(&mut self, name: &str, range: TextRange) {
        let help = self.schema.suggest_table(name).map(did_you_mean);
        let message = format!("unknown table `{name}`");
        self.error(codes::UNKNOWN_TABLE, message, range, help);
    }

    /// Reports `name` as an unknown column of `row`, with its closest column as help.
    pub(super) fn unknown_column(&mut self, name: &str, range: TextRange, row: &RowSchema) {
        let help =
            kql_schema::suggest(name, row.columns.iter().map(|c| &*c.name)).map(did_you_mean);
        let message = format!("unknown column `{name}`");
        self.error(codes::UNKNOWN_COLUMN, message, range, help);
    }

    pub(super) fn table_by_name(&mut self, name: &str, range: TextRange) -> Option<Rc<RowSchema>> {
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
    pub(super) fn table_row(&mut self, table: &Table) -> Rc<RowSchema> {
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

    pub(super) fn member(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
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
                    let range = child(node, NAME).map_or(node.text_range(), |n| n.text_range());
                    self.unknown_column(&member, range, side_row);
                }
                return Value::Unknown;
            }
        }
        match self.expr_value(&base, row) {
            // `database("x").T`, `cluster(..).database(..)`: unknown but allowed.
            Value::Table(_) | Value::Unknown | Value::Function(_) => Value::Table(unknown_row()),
            Value::Scalar(_) => Value::Scalar(ScalarType::Dynamic),
        }
    }

    /// `a op b`, or a run `a op b op c ...` of one operator, typed left to right (every operand
    /// is bound, even without an operator).
    pub(super) fn bin_expr(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
        use ScalarType as T;
        // The operator token, found on the green tree (no red node for the operand before it).
        let green = node.green();
        let op = green
            .children()
            .filter_map(|e| e.into_token())
            .map(|t| (green_kind(t.kind()), t.text()))
            .find(|(kind, _)| !kind.is_trivia());
        // Only word operators (`and`, `has`...) are told apart by their lowercase text.
        let text = match op {
            Some((IDENT, t)) if t.bytes().any(|b| b.is_ascii_uppercase()) => {
                Cow::Owned(t.to_ascii_lowercase())
            }
            Some((_, t)) => Cow::Borrowed(t),
            None => Cow::Borrowed(""),
        };
        let kind = op.map(|(kind, _)| kind);
        let mut ty = None;
        let mut operands = 0;
        for operand in node.children() {
            let t = self.scalar(&operand, row);
            operands += 1;
            if let Some(kind) = kind {
                ty = Some(match ty {
                    None => t,
                    Some(left) => bin_type(kind, &text, left, t),
                });
            }
        }
        let Some(kind) = kind else {
            return Value::Unknown;
        };
        let ty = match (operands, ty) {
            // Fewer than two operands: the missing ones are unknown.
            (0, _) | (_, None) => bin_type(kind, &text, T::Unknown, T::Unknown),
            (1, Some(first)) => bin_type(kind, &text, first, T::Unknown),
            (_, Some(ty)) => ty,
        };
        Value::Scalar(ty)
    }

    pub(super) fn call(&mut self, node: &SyntaxNode, row: Option<Row>) -> Value {
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
            return Value::Table(unknown_row());
        };
        let callee_range = node.children().next().map(|c| c.text_range());
        // user functions and let names
        if let Some(v) = self.lookup(&name, callee_range.unwrap_or(node.text_range())) {
            if let Value::Function(f) = v {
                return self.call_user(&f, node, row, None);
            }
            for a in &args {
                self.expr_value(a, row);
            }
            return Value::Unknown;
        }
        match &*name {
            "materialize" | "view" | "toscalar" => {
                let v = args
                    .first()
                    .map(|a| self.expr_value(a, row))
                    .unwrap_or(Value::Unknown);
                return match (&*name, v) {
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
        if let Some(f) = self.stored_function(&name) {
            return self.call_user(&f, node, row, None);
        }
        // Most calls have a few arguments: their types fit on the stack.
        let mut few = [T::Unknown; 8];
        let many: Vec<T>;
        let arg_types: &[T] = if args.len() <= few.len() {
            for (ty, a) in few.iter_mut().zip(&args) {
                *ty = self.scalar(a, row);
            }
            &few[..args.len()]
        } else {
            many = args.iter().map(|a| self.scalar(a, row)).collect();
            &many
        };
        if CATALOG_GAPS.contains(&&*name) {
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
                    self.catalog.suggest(&name).map(did_you_mean)
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
        } else {
            self.check_literal_args(sig, &args, arg_types);
            self.check_literal_only(sig, &args);
        }
        if matches!(&*name, "count" | "countif") && n == 1 {
            // One message for both, so rewriting `count(p)` as `countif(p)` keeps the finding.
            self.check_predicate("count`/`countif", &args[0], arg_types[0], None);
        }
        if sig.kind == FunctionKind::Tabular || sig.kind == FunctionKind::Plugin {
            return Value::Table(unknown_row());
        }
        Value::Scalar(sig.return_type(arg_types))
    }

    /// `table("T")`, `graph("G")`, `external_table("E")`...: a literal name is looked up in the
    /// schema (which has no graph models, external tables, materialized views or stored query
    /// results); `database("D")` is an unknown database ([`Binder::unknown_database`]), and
    /// `cluster()` stays unknown-but-allowed.
    pub(super) fn entity_call(&mut self, name: &str, args: &[SyntaxNode]) -> Value {
        let open = Value::Table(unknown_row());
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
                        self.unknown_table(&entity, range);
                        open
                    }
                };
            }
            "graph" => "graph model",
            "external_table" => "external table",
            "materialized_view" => "materialized view",
            "stored_query_result" => "stored query result",
            "database" => {
                self.unknown_database(&entity, range);
                return open;
            }
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
}

/// The help text that proposes `name`.
fn did_you_mean(name: &str) -> String {
    format!("did you mean `{name}`?")
}
