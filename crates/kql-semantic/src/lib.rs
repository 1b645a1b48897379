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
//! | KQL204  | error    | wrong number of arguments to a built-in function |
//! | KQL205  | error    | `where` predicate that is not boolean |
//! | KQL206  | warning  | renamed table (safe fix: the new name) |
//! | KQL207  | error    | unknown graph model (`graph("G")`) |
//!
//! `database()` and `cluster()` references are unknown but allowed. `table("T")`,
//! `external_table`, `materialized_view` and `stored_query_result` with a literal name are looked
//! up like tables. Undefined functions-library functions (`*_fl`) are unknown functions: Advanced
//! Hunting does not have them unless the query or a `--schema` file defines them.
//!
//! Decision: no false errors. Whenever a row schema is *open* (unknown extra columns may exist,
//! e.g. after `evaluate`, `externaldata(*)`, an unknown table, a user function whose body is not
//! known, or any operator the binder does not model precisely) or a type is unknown, the binder
//! says nothing. Column and table names are case-sensitive.

mod binder;
pub mod fold;
pub mod names;

use std::rc::Rc;

use kql_diagnostics::{Diagnostic, TextRange, TextSize};
pub use kql_schema::ScalarType;
use kql_schema::Schema;

/// Diagnostic codes of the semantic layer.
pub mod codes {
    pub const UNKNOWN_TABLE: &str = "KQL201";
    pub const UNKNOWN_COLUMN: &str = "KQL202";
    pub const UNKNOWN_FUNCTION: &str = "KQL203";
    pub const WRONG_ARG_COUNT: &str = "KQL204";
    pub const NON_BOOL_PREDICATE: &str = "KQL205";
    pub const RENAMED_TABLE: &str = "KQL206";
    pub const UNKNOWN_GRAPH: &str = "KQL207";
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
        self.columns.iter().find(|c| &*c.name == name)
    }

    /// Adds a column, replacing the type of an existing one with the same name.
    pub fn set(&mut self, name: impl Into<Rc<str>>, ty: ScalarType) {
        let name = name.into();
        if let Some(c) = self.columns.iter_mut().find(|c| c.name == name) {
            c.ty = ty;
        } else {
            self.columns.push(ColumnInfo { name, ty });
        }
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

/// A `let` name (or `as` name, or function parameter): where it is defined and used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// Range of the defining name.
    pub definition: TextRange,
    pub references: Vec<TextRange>,
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
    let root = parse.syntax();
    let mut model = binder::Binder::new(schema).run(&root);
    if let Some(cut) = cut_short_at(parse) {
        model.diagnostics.retain(|d| d.range.end() <= cut);
    }
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
