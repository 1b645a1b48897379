//! `kql lsp`: the language server, over standard input and output.
//!
//! Editors start it as `kql lsp` (some append `--stdio`, which is accepted and is the only
//! transport). It exits with 0 after the client's `shutdown` + `exit`, with 1 when the client
//! exits (or closes the pipe) without `shutdown`, as the protocol asks. Logs go to standard
//! error and to the client's log (`window/logMessage`); standard output carries only protocol.
//!
//! Settings come from the client (`initializationOptions` and `workspace/didChangeConfiguration`,
//! at the top level or under `kql`) and from the nearest `kql.toml`; see the README's "Editors"
//! section for the keys.

use std::process::ExitCode;

use crate::CliError;

#[derive(clap::Args)]
#[command(after_help = "\
Editors start it as `kql lsp` over stdio. Settings (initializationOptions or \
workspace/didChangeConfiguration, top level or under `kql`): retentionDays, maxRows, select, \
ignore, severity, schemaFiles, noBuiltinSchema, blocks, inlayHints, timespan, now. The nearest \
kql.toml applies as with `kql lint`. Commands: kql.requestBody, kql.syntaxTree. Exit status: 0 \
after shutdown + exit, 1 otherwise. See the README section \"Language server\".")]
pub(crate) struct LspArgs {
    /// Talk LSP over standard input and output (the default and only transport; accepted
    /// because vscode-languageclient and others append it).
    #[arg(long)]
    pub stdio: bool,
}

pub(crate) fn run(_args: LspArgs) -> Result<ExitCode, CliError> {
    let clean = kql_lsp::serve_stdio()?;
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
