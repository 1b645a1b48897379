//! Plain-text views of a schema for a `kql schema [TABLE]` command. No colours, no terminal
//! width: the CLI decides how to print.

use std::fmt::Write as _;

use crate::{Schema, Table};

/// One line a table: name, column count, time column (`-` for snapshot tables) and a rename
/// note; then the schema's stored functions with their parameters.
pub fn render_table_list(schema: &Schema) -> String {
    let mut out = String::new();
    let name_w = schema
        .tables
        .keys()
        .map(|n| n.chars().count())
        .chain(std::iter::once("TABLE".len()))
        .max()
        .unwrap_or(5);
    let _ = writeln!(out, "{:<name_w$}  {:>7}  TIME COLUMN", "TABLE", "COLUMNS");
    for t in schema.tables.values() {
        let time = t.time_column.as_deref().unwrap_or("-");
        let _ = write!(out, "{:<name_w$}  {:>7}  {time}", t.name, t.columns.len());
        if let Some(new) = &t.renamed_to {
            let _ = write!(out, "  (renamed to {new})");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{} tables", schema.tables.len());
    if !schema.functions.is_empty() {
        let _ = writeln!(out, "\nFUNCTIONS");
        for f in schema.functions.values() {
            let params: Vec<String> = f
                .parameters
                .iter()
                .map(|p| {
                    let opt = if p.default.is_some() { "?" } else { "" };
                    format!("{}:{}{opt}", p.name, p.ty)
                })
                .collect();
            let _ = writeln!(out, "{}({})", f.name, params.join(", "));
        }
    }
    out
}

/// A table's columns with their types, in declaration order, under a heading with the time
/// column (or a note that it is a snapshot table) and any rename.
pub fn render_table(table: &Table) -> String {
    let mut out = String::new();
    let _ = write!(out, "{} ({} columns", table.name, table.columns.len());
    match &table.time_column {
        Some(tc) => {
            let _ = write!(out, ", time column {tc}");
        }
        None => out.push_str(", no time column"),
    }
    out.push_str(")\n");
    if let Some(new) = &table.renamed_to {
        let _ = writeln!(out, "renamed to {new}");
    }
    if let Some(d) = &table.description {
        let _ = writeln!(out, "{d}");
    }
    let w = table
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    for c in &table.columns {
        let _ = writeln!(out, "  {:<w$}  {}", c.name, c.ty);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, ScalarType};

    #[test]
    fn table_list_shows_counts_time_columns_and_renames() {
        let text = render_table_list(Schema::advanced_hunting());
        let first = text.lines().next().unwrap();
        assert!(first.starts_with("TABLE"), "{first}");
        assert!(first.ends_with("COLUMNS  TIME COLUMN"), "{first}");
        let line = |name: &str| {
            text.lines()
                .find(|l| l.split_whitespace().next() == Some(name))
                .unwrap_or_else(|| panic!("{name} missing"))
                .to_string()
        };
        let n = Schema::advanced_hunting()
            .table("DeviceProcessEvents")
            .unwrap()
            .columns
            .len();
        let dpe = line("DeviceProcessEvents");
        assert_eq!(
            dpe.split_whitespace().collect::<Vec<_>>(),
            ["DeviceProcessEvents", &n.to_string(), "Timestamp"]
        );
        assert!(line("DeviceTvmSoftwareInventory").ends_with(" -"));
        assert!(line("AADSignInEventsBeta").ends_with("(renamed to EntraIdSignInEvents)"));
        assert!(text.contains("64 tables\n"));
        assert!(text.contains("FileProfile(T:(*), x:string?, y:int?)"));
    }

    #[test]
    fn one_table_lists_columns_with_types() {
        let mut t = Table::new(
            "MyEvents",
            vec![
                Column::new("Timestamp", ScalarType::DateTime),
                Column::new("User", ScalarType::String),
            ],
        )
        .with_default_time_column();
        assert_eq!(
            render_table(&t),
            "MyEvents (2 columns, time column Timestamp)\n  Timestamp  datetime\n  User       string\n"
        );
        t.time_column = None;
        t.renamed_to = Some("Events2".into());
        assert_eq!(
            render_table(&t),
            "MyEvents (2 columns, no time column)\nrenamed to Events2\n  Timestamp  datetime\n  User       string\n"
        );
    }

    #[test]
    fn empty_schema_renders() {
        assert_eq!(
            render_table_list(&Schema::empty()),
            "TABLE  COLUMNS  TIME COLUMN\n0 tables\n"
        );
    }
}
