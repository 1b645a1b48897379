//! Row-schema rules of the operators that add, drop, rename or reorder columns (project family,
//! extend, parse, mv-expand, evaluate, ...).

use super::*;

impl Binder<'_> {
    /// The output schema of an operator that changes the columns.
    pub(super) fn new_schema(&mut self, op: &SyntaxNode, s: &RowSchema) -> RowSchema {
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
                let mut out = with_room(s);
                self.bind_items(op, &mut out, None);
                out
            }
            PROJECT_OP => {
                let mut out = RowSchema::default();
                let mut visible = with_room(s);
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
                for a in op.children().filter_map(ast::Assignment::cast) {
                    let new = a.name().and_then(|n| n.text());
                    let old_node = a.value();
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
                let mut out = with_room(s);
                let ty = child(op, TO_TYPEOF)
                    .and_then(|t| child(&t, TYPEOF_EXPR))
                    .map(|t| type_ref(&t))
                    .unwrap_or(T::Dynamic);
                self.add_item_columns(op, row, &mut out, Some(ty));
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
                let mut out = with_room(s);
                if let Some(p) = child(op, PARSE_PATTERN) {
                    for d in p.children() {
                        if let Some(decl) = ast::ColumnDecl::cast(d.clone()) {
                            // A declared column is a string unless the pattern gives its type.
                            if let Some(n) = decl.name().and_then(|n| n.text()) {
                                let ty = match decl.type_ref() {
                                    Some(_) => type_ref(&d),
                                    None => T::String,
                                };
                                out.set(n, ty);
                            }
                        } else if matches!(d.kind(), NAME | NAME_REF) {
                            if let Some(n) = name_text(&d) {
                                out.set(n, T::String);
                            }
                        } else {
                            out.open = true;
                        }
                    }
                } else {
                    out.open = true;
                }
                out
            }
            PARSE_KV_OP => {
                self.exprs(op, s);
                let mut out = with_room(s);
                match ast::schema_of(op) {
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
            DATATABLE_OP | EXTERNALDATA_OP => ast::schema_of(op)
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
                match ast::declared_name_text(op) {
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
                            names.each(|n| out.set(n, ty));
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
                self.add_item_columns(op, row, &mut out, None);
                out
            }
            INVOKE_OP => {
                let Some(c) = child(op, CALL_EXPR) else {
                    return RowSchema::unknown();
                };
                self.invoke(&c, s)
            }
            FIND_OP | SEARCH_OP => {
                // Table names after `in` are checked; the columns searched are only without it.
                let tables = op
                    .children_with_tokens()
                    .any(|e| e.kind() == IDENT && e.as_token().is_some_and(|t| t.text() == "in"));
                match ast::name_list(op).filter(|_| tables) {
                    Some(list) => {
                        for item in list.children() {
                            if matches!(
                                item.kind(),
                                NAME_REF | PAREN_EXPR | MEMBER_EXPR | CALL_EXPR
                            ) {
                                self.table(&item);
                            }
                        }
                    }
                    None => self.search_predicate(op, s),
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
                self.check_plugin(op);
                // Plugins: arguments may name columns, the output is open.
                let mut out = s.clone();
                out.open = true;
                out
            }
            _ => RowSchema::unknown(),
        }
    }

    /// Adds to `out` the column each item of `op` names (`n = expr` or an expression with an
    /// implicit name), typed `ty` or else the item's own type; an item with no known name opens
    /// `out` (mv-expand, distinct).
    fn add_item_columns(
        &mut self,
        op: &SyntaxNode,
        row: Row,
        out: &mut RowSchema,
        ty: Option<ScalarType>,
    ) {
        for c in op.children() {
            if c.kind() == ASSIGNMENT || is_expr(c.kind()) {
                let (names, item_ty, known) = self.assignment(&c, row);
                if !known {
                    out.open = true;
                }
                names.each(|n| out.set(n, ty.unwrap_or(item_ty)));
            }
        }
    }

    /// `evaluate p(...)`: `p` must be a plugin Kusto knows (its analyzer's KS124); `evaluate`
    /// takes no user function.
    fn check_plugin(&mut self, op: &SyntaxNode) {
        let Some(call) = child(op, CALL_EXPR) else {
            return;
        };
        let (Some(name), Some(callee)) = (call_name(&call), call.children().next()) else {
            return;
        };
        if self
            .catalog
            .lookup_kind(&name, FunctionKind::Plugin)
            .is_some()
        {
            return;
        }
        let help = self
            .catalog
            .suggest_kind(&name, FunctionKind::Plugin)
            .map(|s| format!("did you mean `{s}`?"));
        self.error(
            codes::UNKNOWN_FUNCTION,
            format!("unknown plugin `{name}`"),
            callee.text_range(),
            help,
        );
    }

    /// Names and wildcards of project-away/keep/reorder; unknown plain names are reported.
    pub(super) fn name_patterns(&mut self, op: &SyntaxNode, s: &RowSchema) -> Vec<String> {
        let mut pats = Vec::new();
        let nodes: Vec<SyntaxNode> = match ast::name_list(op) {
            Some(l) => l.children().collect(),
            None => op.children().collect(),
        };
        for n in nodes {
            match n.kind() {
                WILDCARD_NAME => pats.push(n.text().to_string().split_whitespace().collect()),
                NAME_REF | NAME => {
                    if let Some(name) = name_text(&n) {
                        if s.column(&name).is_none() && !s.open {
                            self.unknown_column(&name, n.text_range(), s);
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
}

/// A copy of `s` with room for a few more columns, so that the first ones an extend or project
/// adds do not reallocate the copy (a plain clone has no spare room).
fn with_room(s: &RowSchema) -> RowSchema {
    let mut columns = Vec::with_capacity(s.columns.len() + 4);
    columns.extend_from_slice(&s.columns);
    RowSchema {
        columns,
        open: s.open,
    }
}
