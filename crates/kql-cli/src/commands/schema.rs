//! `kql schema [TABLE]`: lists the tables, or one table's columns and types.

use std::io::Write;
use std::process::ExitCode;

use crate::commands::check::SchemaSourceArgs as SchemaSource;
use crate::CliError;

#[derive(clap::Args)]
pub(crate) struct SchemaArgs {
    /// A table to describe; without it, every table is listed.
    pub table: Option<String>,
    #[command(flatten)]
    pub source: SchemaSource,
}

pub(crate) fn run(args: SchemaArgs) -> Result<ExitCode, CliError> {
    let schema = args.source.load()?;
    let text = match &args.table {
        None => kql_schema::render_table_list(&schema),
        Some(name) => match schema.table(name) {
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
