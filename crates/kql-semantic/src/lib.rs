//! Semantic analysis of KQL over the lossless syntax tree.
//!
//! [`analyze`] binds a parsed query against a [`Schema`]: it resolves table names, `let` names,
//! function parameters, `$left`/`$right` and columns, computes the [`RowSchema`] after every
//! tabular operator and the [`ScalarType`] of every expression, and reports semantic diagnostics.
//! It never fails: broken code gives a partial model.
//!
//! # Diagnostics
//!
//! | code    | severity | meaning |
//! |---------|----------|---------|
//! | KQL201  | error    | unknown table (or tabular name) |
//! | KQL202  | error    | unknown column |
//! | KQL203  | error    | unknown function |
//! | KQL204  | error    | wrong number of arguments to a function (built-in, `let` or stored) |
//! | KQL205  | error    | predicate that is not boolean (`where`, `count(p)`, `countif(p)`) |
//! | KQL206  | warning  | renamed table (safe fix: the new name) |
//! | KQL207  | error    | unknown graph model (`graph("G")`) |
//! | KQL208  | error    | unknown database (`database("D")` without `cluster()`) |
//! | KQL209  | error    | `#connect` directive (a cluster the schema does not have) |
//! | KQL210  | error    | literal argument of a type the function's parameter does not take |
//! | KQL211  | error    | not a literal where the function takes only one (`datetime_diff`'s part) |
//!
//! `cluster("C").database("D")` references are unknown but allowed (Kusto only warns). `table("T")`,
//! `external_table`, `materialized_view` and `stored_query_result` with a literal name are looked
//! up like tables. Undefined functions-library functions (`*_fl`) are unknown functions: Advanced
//! Hunting does not have them unless the query or a `--schema` file defines them.
//!
//! Decision: no false errors. Whenever a row schema is *open* (unknown extra columns may exist,
//! e.g. after `evaluate`, `externaldata(*)`, an unknown table, a user function whose body is not
//! known, or any operator the binder does not model precisely) or a type is unknown, the binder
//! says nothing. Column and table names are case-sensitive.

mod binder;
mod calls;
pub mod fold;
pub mod names;
mod values;

use std::rc::Rc;

use kql_diagnostics::{Diagnostic, TextRange, TextSize};
pub use kql_schema::ScalarType;
use kql_schema::Schema;

pub use calls::{FunctionBody, FunctionCall};

/// Diagnostic codes of the semantic layer.
pub mod codes {
    pub const UNKNOWN_TABLE: &str = "KQL201";
    pub const UNKNOWN_COLUMN: &str = "KQL202";
    pub const UNKNOWN_FUNCTION: &str = "KQL203";
    pub const WRONG_ARG_COUNT: &str = "KQL204";
    pub const NON_BOOL_PREDICATE: &str = "KQL205";
    pub const RENAMED_TABLE: &str = "KQL206";
    pub const UNKNOWN_GRAPH: &str = "KQL207";
    pub const UNKNOWN_DATABASE: &str = "KQL208";
    pub const UNKNOWN_CLUSTER: &str = "KQL209";
    pub const ARGUMENT_TYPE: &str = "KQL210";
    pub const LITERAL_ARGUMENT: &str = "KQL211";
}

/// One column of a row schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// Shared, so copying a row schema from operator to operator does not copy every name.
    pub name: Rc<str>,
    pub ty: ScalarType,
}

/// The columns of a tabular value, in order. `open` means unknown extra columns may exist, so an
/// unknown name must not be reported.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowSchema {
    pub columns: Vec<ColumnInfo>,
    pub open: bool,
}

impl RowSchema {
    /// A schema about which nothing is known.
    pub fn unknown() -> RowSchema {
        RowSchema {
            columns: Vec::new(),
            open: true,
        }
    }

    pub fn closed(columns: Vec<ColumnInfo>) -> RowSchema {
        RowSchema {
            columns,
            open: false,
        }
    }

    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| same_name(&c.name, name))
    }

    /// Adds a column, replacing the type of an existing one with the same name. The name is
    /// made shared only when the column is new.
    pub fn set(&mut self, name: impl AsRef<str> + Into<Rc<str>>, ty: ScalarType) {
        self.set_shared(name, ty);
    }

    /// [`RowSchema::set`], returning the column's shared name (the existing one when the column
    /// was there), so another schema can take the same name without a new allocation.
    pub(crate) fn set_shared(
        &mut self,
        name: impl AsRef<str> + Into<Rc<str>>,
        ty: ScalarType,
    ) -> Rc<str> {
        let text = name.as_ref();
        if let Some(c) = self.columns.iter_mut().find(|c| same_name(&c.name, text)) {
            c.ty = ty;
            return c.name.clone();
        }
        let name: Rc<str> = name.into();
        self.columns.push(ColumnInfo {
            name: name.clone(),
            ty,
        });
        name
    }

    /// `name: type, ...` plus `, ...` when open (for tests and debugging).
    pub fn render(&self) -> String {
        let mut parts: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("{}: {}", c.name, c.ty.as_str()))
            .collect();
        if self.open {
            parts.push("...".to_string());
        }
        format!("({})", parts.join(", "))
    }
}

/// Whether two column names are equal. Length and first byte are compared before the bytes: the
/// columns of a wide table mostly differ there, and comparing the bytes is a call.
#[inline]
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// A `let` name (or `as` name, or function parameter): where it is defined and used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// Range of the defining name.
    pub definition: TextRange,
    pub references: Vec<TextRange>,
}

/// A name that reads a schema table (`DeviceProcessEvents` in `DeviceProcessEvents | take 1`),
/// as the binder resolved it: a `let`, parameter or column of the same name is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRead {
    /// Range of the `NAME_REF`.
    pub range: TextRange,
    /// The table's name in the schema.
    pub table: String,
    /// The table's time column (`Timestamp`), when the schema gives one.
    pub time_column: Option<String>,
}

/// The result of [`analyze`].
#[derive(Debug, Default)]
pub struct Model {
    diagnostics: Vec<Diagnostic>,
    /// Range of each tabular operator (or scalar context) and the row schema in scope there.
    scopes: Vec<(TextRange, Rc<RowSchema>)>,
    /// Range of each expression and its type.
    types: Vec<(TextRange, ScalarType)>,
    /// Range of each tabular expression and its result schema.
    results: Vec<(TextRange, Rc<RowSchema>)>,
    symbols: Vec<Symbol>,
    /// Every read of a schema table, sorted by range.
    table_reads: Vec<TableRead>,
    /// Range of each `let` name's definition and of its bound value (expression or lambda).
    let_values: Vec<(TextRange, TextRange)>,
    /// Range of each reference to a symbol and the symbol's index, sorted by range.
    references: Vec<(TextRange, usize)>,
    /// Every call of a user function (see [`Model::function_calls`]).
    function_calls: Vec<FunctionCall>,
    /// The parser's errors, kept by [`analyze`] when the text calls a user function (for
    /// [`Model::body_errors`]).
    syntax_errors: Vec<Diagnostic>,
}

impl Model {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// The columns in scope at `offset` (the input of the innermost operator around it).
    pub fn columns_at(&self, offset: TextSize) -> Option<&RowSchema> {
        innermost(&self.scopes, offset).map(|s| &**s)
    }

    /// The type of the innermost expression around `offset`.
    pub fn type_at(&self, offset: TextSize) -> Option<ScalarType> {
        innermost(&self.types, offset).copied()
    }

    /// The row schema produced by the tabular expression that exactly covers `range`.
    pub fn result_of(&self, range: TextRange) -> Option<&RowSchema> {
        self.results
            .iter()
            .rev()
            .find(|(r, _)| *r == range)
            .map(|(_, s)| &**s)
    }

    /// Every `let`/`as` name and parameter with its references.
    pub fn symbols(&self) -> &[Symbol] {
        &self.symbols
    }

    /// The symbol whose definition or one of whose references contains `offset`.
    pub fn symbol_at(&self, offset: TextSize) -> Option<&Symbol> {
        self.symbols.iter().find(|s| {
            contains(s.definition, offset) || s.references.iter().any(|r| contains(*r, offset))
        })
    }
}

impl Model {
    /// The type of the expression that exactly covers `range`, when it was typed.
    pub fn type_of(&self, range: TextRange) -> Option<ScalarType> {
        self.types
            .iter()
            .rev()
            .find(|(r, _)| *r == range)
            .map(|(_, t)| *t)
    }

    /// Every read of a schema table, in text order.
    pub fn table_reads(&self) -> &[TableRead] {
        &self.table_reads
    }

    /// The schema table the `NAME_REF` at exactly `range` reads, if it reads one.
    pub fn table_read_at(&self, range: TextRange) -> Option<&TableRead> {
        let i = self
            .table_reads
            .binary_search_by(|t| t.range.ordering(range))
            .ok()?;
        self.table_reads.get(i)
    }

    /// The symbol the name at exactly `range` refers to (a `let` name, parameter, `as` name).
    pub fn referenced_symbol(&self, range: TextRange) -> Option<&Symbol> {
        let i = self
            .references
            .binary_search_by(|(r, _)| r.ordering(range))
            .ok()?;
        self.symbols.get(self.references[i].1)
    }

    /// The range of the value bound to `symbol` by its `let` (an expression or a lambda).
    pub fn let_value(&self, symbol: &Symbol) -> Option<TextRange> {
        self.let_values
            .iter()
            .find(|(def, _)| *def == symbol.definition)
            .map(|(_, v)| *v)
    }

    /// The symbol defined at exactly `definition` (the range of its name).
    pub fn symbol_defined_at(&self, definition: TextRange) -> Option<&Symbol> {
        self.symbols.iter().find(|s| s.definition == definition)
    }

    /// Sorts the indexes the binder filled in visiting order.
    fn finish(&mut self) {
        let by_range =
            |a: &TextRange, b: &TextRange| (a.start(), a.end()).cmp(&(b.start(), b.end()));
        self.table_reads
            .sort_by(|a, b| by_range(&a.range, &b.range));
        self.table_reads.dedup_by(|a, b| a.range == b.range);
        let count = self.symbols.iter().map(|s| s.references.len()).sum();
        self.references = Vec::with_capacity(count);
        self.references.extend(
            self.symbols
                .iter()
                .enumerate()
                .flat_map(|(i, s)| s.references.iter().map(move |r| (*r, i))),
        );
        self.references.sort_by(|a, b| by_range(&a.0, &b.0));
        self.references.dedup_by(|a, b| a.0 == b.0);
    }
}

/// `TextRange` ordering by start, then end, for the sorted indexes.
trait RangeOrder {
    fn ordering(&self, other: TextRange) -> std::cmp::Ordering;
}

impl RangeOrder for TextRange {
    fn ordering(&self, other: TextRange) -> std::cmp::Ordering {
        (self.start(), self.end()).cmp(&(other.start(), other.end()))
    }
}

fn contains(range: TextRange, offset: TextSize) -> bool {
    range.start() <= offset && offset <= range.end()
}

fn innermost<T>(items: &[(TextRange, T)], offset: TextSize) -> Option<&T> {
    items
        .iter()
        .filter(|(r, _)| contains(*r, offset))
        .min_by_key(|(r, _)| r.len())
        .map(|(_, t)| t)
}

/// Binds the parsed text against `schema`.
///
/// When the parser gave up on nesting (`KQL004`: the rest of the text is not parsed), the
/// statement it cut short is incomplete, so semantic diagnostics from it on are dropped: they
/// would describe text the parser never read.
pub fn analyze(parse: &kql_syntax::Parse, schema: &Schema) -> Model {
    let mut model = analyze_tree(&parse.syntax(), schema);
    if let Some(cut) = cut_short_at(parse) {
        model.diagnostics.retain(|d| d.range.end() <= cut);
    }
    if !model.function_calls.is_empty() {
        model.syntax_errors = parse
            .diagnostics()
            .iter()
            .filter(|d| d.severity == kql_diagnostics::Severity::Error)
            .cloned()
            .collect();
    }
    model
}

/// Binds a syntax tree against `schema` (for callers that hold a tree rather than a
/// [`kql_syntax::Parse`]; [`analyze`] also drops findings on text the parser cut short).
pub fn analyze_tree(root: &kql_syntax::SyntaxNode, schema: &Schema) -> Model {
    let mut model = binder::Binder::new(schema).run(root);
    model.finish();
    model
}

/// Where the statement a `KQL004` cut short begins, if the parser cut one short.
pub fn cut_short_at(parse: &kql_syntax::Parse) -> Option<TextSize> {
    let at = parse
        .diagnostics()
        .iter()
        .find(|d| d.code == "KQL004")?
        .range
        .start();
    let root = parse.syntax();
    let stmt = root
        .children()
        .find(|c| c.text_range().start() <= at && at <= c.text_range().end());
    Some(stmt.map_or(at, |s| s.text_range().start()))
}

/// Parses and analyzes `text`; syntax diagnostics first, then semantic ones.
pub fn check_text(text: &str, schema: &Schema) -> Vec<Diagnostic> {
    let parse = kql_syntax::parse(text);
    let model = analyze(&parse, schema);
    let mut all = parse.into_diagnostics();
    all.extend(model.into_diagnostics());
    all
}

#[cfg(test)]
mod tests;
