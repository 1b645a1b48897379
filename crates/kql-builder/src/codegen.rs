//! Generates typed table definitions (Rust source) from a table schema.
//!
//! The built-in Advanced Hunting tables ([`crate::tables`]) are produced by this generator; use
//! it in your own `build.rs` for custom tables (Sentinel tables, `let` functions, watchlists):
//!
//! ```
//! use kql_builder::codegen::{generate, ColumnSpec, TableSpec};
//! let spec = TableSpec {
//!     name: "MyAlerts".into(),
//!     time_column: Some("Timestamp".into()),
//!     columns: vec![
//!         ColumnSpec::new("Timestamp", "datetime"),
//!         ColumnSpec::new("type", "string"),      // a Rust keyword: becomes `r#type`
//!         ColumnSpec::new("Risk Score", "real"),  // not an identifier: becomes `Risk_Score`
//!     ],
//! };
//! let code = generate(&[spec]);
//! assert!(code.contains("    MyAlerts = \"MyAlerts\", time: Some(\"Timestamp\");\n"));
//! assert!(code.contains("    r#type = \"type\": String,\n"));
//! assert!(code.contains("    Risk_Score = \"Risk Score\": Real,\n"));
//! // In build.rs: std::fs::write(out_dir.join("tables.rs"), code), then
//! // `include!(concat!(env!("OUT_DIR"), "/tables.rs"));` in your crate.
//! ```
//!
//! The generated code is one [`table!`](crate::table) call per table, named by absolute path
//! (`::kql_builder::table!`), so it compiles in any module of a crate that depends on
//! `kql-builder`.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde::Deserialize;

/// One table: its KQL name, columns, and the column it is time-filtered on (`None` for
/// snapshot tables such as `DeviceTvmSoftwareInventory`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TableSpec {
    /// KQL table name.
    pub name: String,
    /// Columns in schema order.
    pub columns: Vec<ColumnSpec>,
    /// The table's time column, if any.
    #[serde(default)]
    pub time_column: Option<String>,
}

/// One column: KQL name and KQL type name (`string`, `long`, `datetime`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ColumnSpec {
    /// KQL column name (any text; it is quoted in queries when needed).
    pub name: String,
    /// KQL type name. Accepted: `string`, `long`/`int64`, `int`/`int32`, `real`/`double`,
    /// `bool`/`boolean`, `datetime`/`date`, `timespan`/`time`, `guid`/`uniqueid`, `dynamic`.
    #[serde(rename = "type")]
    pub kql_type: String,
}

impl ColumnSpec {
    /// A column.
    pub fn new(name: impl Into<String>, kql_type: impl Into<String>) -> Self {
        ColumnSpec {
            name: name.into(),
            kql_type: kql_type.into(),
        }
    }
}

#[derive(Deserialize)]
struct SchemaFile {
    tables: Vec<TableSpec>,
}

impl TableSpec {
    /// Reads the tables of a schema file in kqlkit's format:
    /// `{"tables": [{"name": "...", "time_column": "...", "columns": [{"name": "...", "type": "..."}]}]}`
    /// (other keys are ignored).
    pub fn from_schema_json(json: &str) -> Result<Vec<TableSpec>, serde_json::Error> {
        serde_json::from_str::<SchemaFile>(json).map(|s| s.tables)
    }
}

/// A schema the generator cannot turn into Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    /// Table and column concerned.
    pub table: String,
    /// Column name.
    pub column: String,
    /// The unknown type name.
    pub kql_type: String,
}

impl std::fmt::Display for CodegenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "column {}.{}: unknown KQL type {:?} (expected string, long, int, real, bool, datetime, timespan, guid or dynamic)",
            self.table, self.column, self.kql_type
        )
    }
}

impl std::error::Error for CodegenError {}

/// The marker type (in `kql_builder::types`) for a KQL type name, with the marker's own
/// spelling of it ([`KqlType::NAME`](crate::types::KqlType::NAME)).
fn marker(kql_type: &str) -> Option<(&'static str, &'static str)> {
    use crate::types::{self as ty, KqlType};
    Some(match kql_type.to_ascii_lowercase().as_str() {
        "string" => ("String", ty::String::NAME),
        "long" | "int64" => ("Long", ty::Long::NAME),
        "int" | "int32" => ("Int", ty::Int::NAME),
        "real" | "double" => ("Real", ty::Real::NAME),
        "bool" | "boolean" => ("Bool", ty::Bool::NAME),
        "datetime" | "date" => ("DateTime", ty::DateTime::NAME),
        "timespan" | "time" => ("TimeSpan", ty::TimeSpan::NAME),
        "guid" | "uniqueid" => ("Guid", ty::Guid::NAME),
        "dynamic" => ("Dynamic", ty::Dynamic::NAME),
        _ => return None,
    })
}

/// Rust keywords (all editions, strict and reserved).
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A Rust identifier for a KQL name: keywords become raw identifiers (`r#type`), except those
/// that cannot be raw (`self`, `Self`, `super`, `crate`), which get a trailing `_`; characters
/// outside `[A-Za-z0-9_]` become `_`; a leading digit gets a `_` prefix; names already taken
/// (or in `reserved`) get `_2`, `_3`, ...
fn rust_ident(name: &str, taken: &mut HashSet<String>, reserved: &[&str]) -> String {
    let mut ident: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if ident.is_empty() || ident.chars().all(|c| c == '_') {
        ident = format!("_{ident}column");
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if matches!(ident.as_str(), "self" | "Self" | "super" | "crate")
        || reserved.contains(&ident.as_str())
    {
        ident.push('_');
    } else if RUST_KEYWORDS.contains(&ident.as_str()) {
        ident.insert_str(0, "r#");
    }
    let base = ident.clone();
    let mut n = 2;
    while !taken.insert(ident.trim_start_matches("r#").to_owned()) {
        ident = format!("{}_{n}", base.trim_start_matches("r#"));
        n += 1;
    }
    ident
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// Generates Rust source for `tables`: per table one [`table!`](crate::table) invocation, which
/// declares a unit struct with one associated `Column` constant per column, a `query()`
/// constructor and a [`Table`](crate::Table) impl.
///
/// Panics with a readable message on an unknown column type (in a `build.rs`, a panic is how a
/// build fails); use [`try_generate`] to handle it.
pub fn generate(tables: &[TableSpec]) -> String {
    try_generate(tables).unwrap_or_else(|e| panic!("kql_builder::codegen: {e}"))
}

/// [`generate`], returning an error for unknown column types.
pub fn try_generate(tables: &[TableSpec]) -> Result<String, CodegenError> {
    let mut out = String::new();
    out.push_str("// @generated by kql_builder::codegen. Do not edit by hand.\n");
    let mut table_names = HashSet::new();
    for table in tables {
        let ty = rust_ident(&table.name, &mut table_names, &[]);
        out.push_str("\n::kql_builder::table! {\n");
        let _ = writeln!(out, "    /// The `{}` table.", table.name.replace('`', "'"));
        let time = match &table.time_column {
            Some(t) => {
                let _ = writeln!(
                    out,
                    "    ///\n    /// Time column: `{}`.",
                    t.replace('`', "'")
                );
                format!("Some({})", rust_str(t))
            }
            None => {
                out.push_str("    ///\n    /// Snapshot table (no time column).\n");
                "None".to_owned()
            }
        };
        let _ = writeln!(out, "    {ty} = {}, time: {time};", rust_str(&table.name));
        let mut members = HashSet::new();
        for col in &table.columns {
            let (marker, kql_name) = marker(&col.kql_type).ok_or_else(|| CodegenError {
                table: table.name.clone(),
                column: col.name.clone(),
                kql_type: col.kql_type.clone(),
            })?;
            let ident = rust_ident(&col.name, &mut members, &["query"]);
            out.push_str("    ");
            out.push_str(&ident);
            if ident != col.name {
                let _ = write!(out, " = {}", rust_str(&col.name));
            }
            let _ = write!(out, ": {marker}");
            if col.kql_type != kql_name {
                let _ = write!(out, "({})", rust_str(&col.kql_type));
            }
            out.push_str(",\n");
        }
        out.push_str("}\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        // In order: one table's columns share `taken`, so `Risk-Score` finds `Risk_Score` taken.
        let cases = [
            ("Timestamp", "Timestamp"),
            ("type", "r#type"),
            ("self", "self_"),
            ("query", "query_"),
            ("Risk Score", "Risk_Score"),
            ("Risk-Score", "Risk_Score_2"),
            ("1st", "_1st"),
            ("", "_column"),
            ("é", "__column"),
        ];
        let mut taken = HashSet::new();
        for (name, expected) in cases {
            let got = rust_ident(name, &mut taken, &["query"]);
            assert_eq!(got, expected, "Rust identifier for column {name:?}");
        }
    }

    #[test]
    fn unknown_type_is_an_error() {
        let spec = TableSpec {
            name: "T".into(),
            columns: vec![ColumnSpec::new("a", "decimal")],
            time_column: None,
        };
        let err = try_generate(&[spec]).unwrap_err();
        assert_eq!(err.kql_type, "decimal");
        assert!(err.to_string().contains("T.a"));
    }
}
