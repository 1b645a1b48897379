//! References beyond the query's own tables: other databases and clusters, which Advanced
//! Hunting cannot reach, and the database-wide column search of `find` and `search`.
//!
//! Kusto's analyzer knows the databases of the cluster it is connected to and no other
//! cluster: `database("Other")` (without `cluster(...)` before it) is an unknown database
//! (its KS208), and a `#connect` client directive names a cluster whose schema it does not
//! have (KS207). Advanced Hunting has one database and no clusters, so both are errors here
//! too. `cluster("c").database("d")` stays allowed (Kusto only warns about it), and so do a
//! database pattern with `*` (it may match the current database) and an `alias database` name.
//!
//! `find where p` and `search p` without `in (...)` search every table of the database (not
//! the query's `let` tables, but its `view`s: with a function in scope they are not judged):
//! a name in `p` must be a column of some schema table (Kusto's KS142), or of the input when
//! they are piped.

use super::*;

impl Binder<'_> {
    /// `database("name")` called by its own name: the name is not a database we know.
    pub(super) fn unknown_database(&mut self, name: &str, range: TextRange) {
        if self.fuzzy > 0 || name.contains('*') || self.database_aliases.iter().any(|a| a == name) {
            return;
        }
        self.error(
            codes::UNKNOWN_DATABASE,
            format!("unknown database `{name}`"),
            range,
            Some("Advanced Hunting queries read the tables of its schema; there is no other database".into()),
        );
    }

    /// `alias database name = cluster(...).database(...)`: `database("name")` is known after it.
    pub(super) fn database_alias(&mut self, stmt: &SyntaxNode) {
        if let Some(name) = child(stmt, NAME).and_then(|n| name_text(&n)) {
            self.database_aliases.push(name);
        }
    }

    /// A `#connect` directive: reported when it names a cluster.
    pub(super) fn directive(&mut self, stmt: &SyntaxNode) {
        let text = stmt.text().to_string();
        let Some(target) = text.trim().strip_prefix("#connect") else {
            return;
        };
        let target = target.trim();
        if target.is_empty() || !text.trim_start().starts_with("#connect") {
            return;
        }
        self.error(
            codes::UNKNOWN_CLUSTER,
            format!("`#connect` to `{target}`: a cluster the schema does not have"),
            stmt.text_range(),
            Some(
                "Advanced Hunting runs every query against its own schema; remove the directive"
                    .into(),
            ),
        );
    }
}

impl Binder<'_> {
    /// The predicate of `find`/`search` without `in (...)`: bound against the columns of every
    /// schema table when the operator starts the query, else against its input (when closed).
    pub(super) fn search_predicate(&mut self, op: &SyntaxNode, input: &RowSchema) {
        let starts = op.prev_sibling().is_none();
        // `let V = view () {...}` is searched too: with any function in scope, not judged.
        let functions = || {
            self.scopes
                .iter()
                .any(|s| s.values().any(|b| matches!(b.value, Value::Function(_))))
        };
        if (starts && functions()) || (!starts && input.open) {
            return;
        }
        let row = if starts {
            self.all_table_columns()
        } else {
            Rc::new(input.clone())
        };
        if row.open {
            return;
        }
        let r = Row {
            row: &row,
            left: None,
            right: None,
        };
        for c in op.children().filter(|c| is_expr(c.kind())) {
            self.scalar(&c, Some(r));
        }
    }

    /// One closed row with every column of every schema table (the first type seen for a
    /// name shared by several tables). Made once per thread for the built-in schema.
    fn all_table_columns(&self) -> Rc<RowSchema> {
        let make = || {
            let mut row = RowSchema::closed(Vec::new());
            let mut seen: FastSet<&str> = FastSet::default();
            for table in self.schema.tables.values() {
                for c in &table.columns {
                    if seen.insert(c.name.as_str()) {
                        row.columns.push(col(c.name.as_str(), c.ty));
                    }
                }
            }
            Rc::new(row)
        };
        if !self.schema.is_builtin() {
            return make();
        }
        BUILTIN_ALL_COLUMNS.with(|all| all.get_or_init(make).clone())
    }
}

thread_local! {
    /// [`Binder::all_table_columns`] of the built-in schema.
    static BUILTIN_ALL_COLUMNS: std::cell::OnceCell<Rc<RowSchema>> = const { std::cell::OnceCell::new() };
}
