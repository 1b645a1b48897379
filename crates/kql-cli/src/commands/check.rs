//! `kql check`: syntax and semantic diagnostics (tables, columns, functions, types).
//!
//! `--select`/`--extend-select`/`--ignore` are `kql lint`'s flags ([`SelectionArgs`]) with the
//! library's selection behind them, limited to the codes `check` reports; a rule selector is a
//! usage error rather than a flag that silently does nothing. kql.toml's selection is `lint`'s
//! and is not read here (as before): the flags alone decide.

use std::process::ExitCode;

use kql_cli::analysis::check_input;
use kql_cli::settings::{check_code_selectors, Resolver};
use kql_schema::Schema;

use crate::common::{
    check_diagnostics, collect_inputs, finish, parse_text, CommonArgs, FileReport, SelectionArgs,
};
use crate::CliError;

/// The selection flags are `kql lint`'s; only their help speaks of codes, as `check` runs no rules.
#[derive(clap::Args)]
#[command(
    mut_arg("select", |a| a.help(
        "Codes to report (codes, code prefixes, names, `all`) instead of every code"
    )),
    mut_arg("extend_select", |a| a.help("Codes to report in addition to --select")),
    mut_arg("ignore", |a| a.help("Codes not to report (codes, code prefixes, names)"))
)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub schema: SchemaSourceArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

/// Where the schema comes from; shared with commands that analyze queries.
#[derive(clap::Args)]
pub(crate) struct SchemaSourceArgs {
    /// A user schema file (kqlkit JSON/TOML, Sentinel table JSON, Kusto schema text, saved API
    /// response) merged over the built-in one. Repeatable.
    #[arg(long = "schema", value_name = "FILE")]
    pub schema_files: Vec<String>,
    /// Start from an empty schema instead of the built-in Advanced Hunting one.
    #[arg(long)]
    pub no_builtin_schema: bool,
}

impl SchemaSourceArgs {
    /// The built-in schema (unless disabled) with every `--schema` file merged on top.
    pub(crate) fn load(&self) -> Result<Schema, CliError> {
        let mut schema = if self.no_builtin_schema {
            Schema::empty()
        } else {
            Schema::advanced_hunting().clone()
        };
        for path in &self.schema_files {
            let user = Schema::load_file(path).map_err(|e| CliError::Usage(e.to_string()))?;
            schema.merge(user);
        }
        Ok(schema)
    }
}

pub(crate) fn run(args: CheckArgs) -> Result<ExitCode, CliError> {
    check_code_selectors(&args.selection)?;
    let mut selected = kql_lint::Settings::default();
    args.selection.apply(&mut selected);
    let schema = args.schema.load()?;
    let inputs = collect_inputs(&args.common, None)?;
    let (colour, mut out) = args.common.stdout_writer();
    let blocks = args.common.blocks;
    let resolver = Resolver::with_default_settings()?;
    let mut reports = Vec::new();
    for input in inputs {
        let opts = resolver.embed_options_for(&input)?;
        // `None`: a host file without queries, skipped.
        let found = check_input(&input, &opts, |query| {
            check_diagnostics(&parse_text(query, blocks), &schema)
        });
        if let Some(mut diagnostics) = found {
            diagnostics.retain(|d| selected.is_code_enabled(&d.code));
            reports.push(FileReport::new(input, diagnostics));
        }
    }
    finish(&reports, &args.common, colour, &mut out)
}

#[cfg(test)]
mod tests {
    use super::SchemaSourceArgs;

    #[test]
    fn schema_sources() {
        let builtin = SchemaSourceArgs {
            schema_files: vec![],
            no_builtin_schema: false,
        };
        let schema = builtin.load().expect("builtin schema");
        assert!(schema.table("DeviceEvents").is_some());

        let dir = std::env::temp_dir().join(format!("kql-check-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("signin.json");
        std::fs::write(
            &path,
            r#"{"Name": "SigninLogs", "Properties": [{"Name": "TimeGenerated", "Type": "datetime"}]}"#,
        )
        .expect("write schema");
        let user_only = SchemaSourceArgs {
            schema_files: vec![path.to_string_lossy().into_owned()],
            no_builtin_schema: true,
        };
        let schema = user_only.load().expect("user schema");
        assert!(schema.table("SigninLogs").is_some());
        assert!(schema.table("DeviceEvents").is_none());

        let missing = SchemaSourceArgs {
            schema_files: vec![dir.join("missing.json").to_string_lossy().into_owned()],
            no_builtin_schema: false,
        };
        assert!(missing.load().is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
