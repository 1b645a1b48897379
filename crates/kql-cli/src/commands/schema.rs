//! `kql schema [TABLE]`: lists the tables, or one table's columns and types (`--output-format
//! json` for tools).

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;

use crate::commands::check::SchemaSourceArgs as SchemaSource;
use crate::commands::rule::ListFormat;
use crate::CliError;

#[derive(clap::Args)]
pub(crate) struct SchemaArgs {
    /// A table to describe; without it, every table is listed.
    pub table: Option<String>,
    #[command(flatten)]
    pub source: SchemaSource,
    /// Output format (`--format` is an alias).
    #[arg(long = "output-format", alias = "format", value_enum, default_value_t = ListFormat::Text)]
    pub output_format: ListFormat,
}

fn table_json(t: &kql_schema::Table) -> serde_json::Value {
    json!({
        "name": t.name,
        "time_column": t.time_column,
        "renamed_to": t.renamed_to,
        "description": t.description,
        "columns": t.columns.iter().map(|c| json!({"name": c.name, "type": c.ty.to_string()})).collect::<Vec<_>>(),
    })
}

pub(crate) fn run(args: SchemaArgs) -> Result<ExitCode, CliError> {
    let schema = args.source.load()?;
    let json = args.output_format == ListFormat::Json;
    let text = match &args.table {
        None if json => {
            let all: Vec<_> = schema.tables.values().map(table_json).collect();
            serde_json::to_string_pretty(&all).map_err(std::io::Error::from)? + "\n"
        }
        None => kql_schema::render_table_list(&schema),
        Some(name) => match schema.table(name) {
            Some(table) if json => {
                serde_json::to_string_pretty(&table_json(table)).map_err(std::io::Error::from)?
                    + "\n"
            }
            Some(table) => kql_schema::render_table(table),
            None => {
                let hint = schema
                    .suggest_table(name)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(CliError::Usage(format!("unknown table `{name}`{hint}")));
            }
        },
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
