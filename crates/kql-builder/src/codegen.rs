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
//! assert!(code.contains("pub struct MyAlerts;"));
//! assert!(code.contains("pub const r#type: ::kql_builder::Column<::kql_builder::types::String> = ::kql_builder::Column::new(\"type\");"));
//! assert!(code.contains("pub const Risk_Score: ::kql_builder::Column<::kql_builder::types::Real> = ::kql_builder::Column::new(\"Risk Score\");"));
//! // In build.rs: std::fs::write(out_dir.join("tables.rs"), code), then
//! // `include!(concat!(env!("OUT_DIR"), "/tables.rs"));` in your crate.
//! ```
//!
//! The generated code names everything by absolute path (`::kql_builder::...`), so it compiles
//! in any module of a crate that depends on `kql-builder`.

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

/// The marker type (in `kql_builder::types`) for a KQL type name.
fn marker(kql_type: &str) -> Option<&'static str> {
    Some(match kql_type.to_ascii_lowercase().as_str() {
        "string" => "String",
        "long" | "int64" => "Long",
        "int" | "int32" => "Int",
        "real" | "double" => "Real",
        "bool" | "boolean" => "Bool",
        "datetime" | "date" => "DateTime",
        "timespan" | "time" => "TimeSpan",
        "guid" | "uniqueid" => "Guid",
        "dynamic" => "Dynamic",
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

/// Generates Rust source for `tables`: per table a unit struct with one associated `Column`
/// constant per column, a `query()` constructor and a [`Table`](crate::Table) impl.
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
        out.push('\n');
        let _ = writeln!(out, "/// The `{}` table.", table.name.replace('`', "'"));
        match &table.time_column {
            Some(t) => {
                let _ = writeln!(out, "///\n/// Time column: `{}`.", t.replace('`', "'"));
            }
            None => out.push_str("///\n/// Snapshot table (no time column).\n"),
        }
        out.push_str("#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]\n");
        out.push_str("#[allow(non_camel_case_types)]\n");
        let _ = writeln!(out, "pub struct {ty};");
        out.push('\n');
        out.push_str("#[allow(non_upper_case_globals)]\n");
        let _ = writeln!(out, "impl {ty} {{");
        let mut members = HashSet::new();
        let mut columns = Vec::new();
        for col in &table.columns {
            let marker = marker(&col.kql_type).ok_or_else(|| CodegenError {
                table: table.name.clone(),
                column: col.name.clone(),
                kql_type: col.kql_type.clone(),
            })?;
            let ident = rust_ident(&col.name, &mut members, &["query"]);
            let _ = writeln!(
                out,
                "    /// `{}` (`{}`).",
                col.name.replace('`', "'"),
                col.kql_type
            );
            let _ = writeln!(
                out,
                "    pub const {ident}: ::kql_builder::Column<::kql_builder::types::{marker}> = ::kql_builder::Column::new({});",
                rust_str(&col.name)
            );
            columns.push(format!(
                "({}, {})",
                rust_str(&col.name),
                rust_str(&col.kql_type)
            ));
        }
        out.push_str("\n    /// A query over this table.\n");
        out.push_str("    pub fn query() -> ::kql_builder::Query {\n");
        let _ = writeln!(
            out,
            "        ::kql_builder::Query::table({})",
            rust_str(&table.name)
        );
        out.push_str("    }\n}\n\n");
        let _ = writeln!(out, "impl ::kql_builder::Table for {ty} {{");
        let _ = writeln!(
            out,
            "    const NAME: &'static str = {};",
            rust_str(&table.name)
        );
        let time = match &table.time_column {
            Some(t) => format!("Some({})", rust_str(t)),
            None => "None".to_owned(),
        };
        let _ = writeln!(out, "    const TIME_COLUMN: Option<&'static str> = {time};");
        out.push_str("    const COLUMNS: &'static [(&'static str, &'static str)] = &[\n");
        for c in columns {
            let _ = writeln!(out, "        {c},");
        }
        out.push_str("    ];\n}\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        let mut taken = HashSet::new();
        let mut id = |n: &str| rust_ident(n, &mut taken, &["query"]);
        assert_eq!(id("Timestamp"), "Timestamp");
        assert_eq!(id("type"), "r#type");
        assert_eq!(id("self"), "self_");
        assert_eq!(id("query"), "query_");
        assert_eq!(id("Risk Score"), "Risk_Score");
        assert_eq!(id("Risk-Score"), "Risk_Score_2");
        assert_eq!(id("1st"), "_1st");
        assert_eq!(id(""), "_column");
        assert_eq!(id("é"), "__column");
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
