//! `kql`: parse, check and lint KQL for Microsoft Defender Advanced Hunting.
//!
//! The command-line contract (formats, exit codes) is described in the README and relied on by
//! CI users: exit 0 when clean, 1 when a diagnostic reaches the failing level, 2 on usage or I/O
//! errors.

mod commands;

// The library half (inputs, checks, formats), under the paths the commands use.
pub(crate) use kql_cli::{common, files, fix, render, CliError};

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub(crate) use kql_cli::Format;

/// Trees are one allocation per node and token; mimalloc makes parsing about a third faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "kql",
    version,
    about = "KQL toolkit for Microsoft Defender Advanced Hunting"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check syntax only.
    Parse(commands::parse::ParseArgs),
    /// Check syntax, names and types against the schema.
    Check(commands::check::CheckArgs),
    /// Check syntax, names and types, and run the lint rules.
    Lint(commands::lint::LintArgs),
    /// Print a lint rule's documentation (`--all` lists the rules).
    Rule(commands::rule::RuleArgs),
    /// List the schema's tables, or one table's columns and types.
    Schema(commands::schema::SchemaArgs),
    /// Check one query and print the JSON body for the hunting API (Defender or Graph).
    Request(commands::request::RequestArgs),
    /// Lay out queries the canonical way (`--check` and `--diff` write nothing).
    Fmt(commands::fmt::FmtArgs),
    /// Run the language server (LSP over standard input and output) for editors.
    Lsp(commands::lsp::LspArgs),
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

fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Parse(args) => commands::parse::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Lint(args) => commands::lint::run(args),
        Command::Rule(args) => commands::rule::run(args),
        Command::Schema(args) => commands::schema::run(args),
        Command::Request(args) => commands::request::run(args),
        Command::Fmt(args) => commands::fmt::run(args),
        Command::Lsp(args) => commands::lsp::run(args),
    }
}
