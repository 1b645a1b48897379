//! What every checking command shares: input paths, output format, failing level, and the
//! final printing and exit status.

use std::io::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use kql_diagnostics::{Diagnostic, Severity};

use crate::{render, CliError};

#[derive(clap::Args)]
pub(crate) struct CommonArgs {
    /// Files or directories (recursing over *.kql, *.csl, *.kusto); `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Split each file into queries at blank lines, as Kusto's editors do.
    #[arg(long)]
    pub blocks: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    Human,
    Json,
    Jsonl,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub(crate) fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// A file's diagnostics, ready to print.
pub(crate) struct FileReport {
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub(crate) fn new(input: crate::files::Input, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport {
            path: input.path,
            text: input.text,
            diagnostics,
        }
    }
}

/// Syntax diagnostics followed by the semantic checker's: what `kql check` reports, and the
/// first part of what `kql lint` reports.
pub(crate) fn check_diagnostics(
    parse: &kql_syntax::Parse,
    schema: &kql_schema::Schema,
) -> Vec<Diagnostic> {
    let mut all = parse.diagnostics().to_vec();
    all.extend(kql_semantic::analyze(parse, schema).into_diagnostics());
    all
}

pub(crate) fn parse_text(text: &str, blocks: bool) -> kql_syntax::Parse {
    if blocks {
        kql_syntax::parse_blocks(text)
    } else {
        kql_syntax::parse(text)
    }
}

/// Prints the reports to stdout (`out`) and computes the exit status.
pub(crate) fn finish(
    reports: &[FileReport],
    common: &CommonArgs,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let colour = render::use_colour(&std::io::stdout());
    render::write_reports(reports, common.format, colour, out)?;
    out.flush()?;
    let failed = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| common.fail_on.fails(d.severity));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
