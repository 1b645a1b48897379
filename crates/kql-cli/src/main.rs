//! `kql`: parse, check and lint KQL for Microsoft Defender Advanced Hunting.
//!
//! The command-line contract (formats, exit codes) is described in the README and relied on by
//! CI users: exit 0 when clean, 1 when a diagnostic reaches the failing level, 2 on usage or I/O
//! errors.

mod files;
mod render;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use kql_diagnostics::{Diagnostic, Severity};

#[derive(Parser)]
#[command(name = "kql", version, about = "KQL toolkit for Microsoft Defender Advanced Hunting")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check syntax only.
    Parse(ParseArgs),
}

#[derive(clap::Args)]
struct CommonArgs {
    /// Files or directories (recursing over *.kql, *.csl, *.kusto); `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Split each file into queries at blank lines, as Kusto's editors do.
    #[arg(long)]
    blocks: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
}

#[derive(clap::Args)]
struct ParseArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Print the syntax tree instead of diagnostics.
    #[arg(long)]
    tree: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    Human,
    Json,
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn fails(self, severity: Severity) -> bool {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(CliError::BrokenPipe) => ExitCode::SUCCESS,
        Err(CliError::Usage(msg)) => {
            eprintln!("kql: {msg}");
            ExitCode::from(2)
        }
    }
}

pub(crate) enum CliError {
    /// The reader of our output went away (`kql ... | head`): stop quietly.
    BrokenPipe,
    /// Bad arguments or unreadable input.
    Usage(String),
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Usage(e.to_string())
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Parse(args) => parse_command(args),
    }
}

fn parse_command(args: ParseArgs) -> Result<ExitCode, CliError> {
    let inputs = files::collect(&args.common.paths)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.tree {
        for input in &inputs {
            let parse = parse_text(&input.text, args.common.blocks);
            if inputs.len() > 1 {
                writeln!(out, "# {}", input.path)?;
            }
            out.write_all(kql_syntax::debug_tree(&parse.syntax()).as_bytes())?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let reports: Vec<FileReport> = inputs
        .into_iter()
        .map(|input| {
            let diagnostics = parse_text(&input.text, args.common.blocks).into_diagnostics();
            FileReport {
                path: input.path,
                text: input.text,
                diagnostics,
            }
        })
        .collect();
    finish(&reports, &args.common, &mut out)
}

fn parse_text(text: &str, blocks: bool) -> kql_syntax::Parse {
    if blocks {
        kql_syntax::parse_blocks(text)
    } else {
        kql_syntax::parse(text)
    }
}

/// Prints the reports and computes the exit status.
fn finish(
    reports: &[FileReport],
    common: &CommonArgs,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    render::write_reports(reports, common.format, out)?;
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
