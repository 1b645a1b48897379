//! The KQL language server: `kql lsp` speaks the Language Server Protocol over stdio and gives
//! any editor the parser, the semantic checker, the linter and the formatter as you type.
//!
//! This is the only crate that knows LSP (tower-lsp-server on tokio). The features themselves are
//! `kql_ide`'s synchronous functions over byte offsets; this crate
//! - negotiates the position encoding (UTF-8 when the client offers it, else UTF-16) and converts
//!   positions at the boundary ([`line_index`]);
//! - keeps the documents with incremental sync, applying each `didChange` before its handler's
//!   first `.await` ([`documents`]);
//! - runs every analysis on one dedicated thread that owns the per-document analyses (the
//!   semantic model is not `Send`), dropping stale work and catching panics ([`worker`]);
//! - publishes diagnostics stamped with the document version, never older than the last;
//! - resolves configuration from client settings and the nearest `kql.toml` ([`settings`]).
//!
//! Embed it with [`service`] (what the tests do) or run it with [`serve_stdio`].

pub mod capabilities;
mod commands;
pub mod convert;
pub mod documents;
pub mod line_index;
mod requests;
pub mod server;
pub mod settings;
pub mod transport;
pub mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use commands::{REQUEST_BODY, SYNTAX_TREE};
pub use server::Backend;
use tower_lsp_server::{ClientSocket, LspService, Server};

/// A language server service and its client socket; `shutdown` tells, once the service has
/// ended, whether the client asked for `shutdown` before `exit`. Call inside a tokio runtime.
pub fn service() -> (LspService<Backend>, ClientSocket, Arc<AtomicBool>) {
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    let (service, socket) = LspService::build(move |client| Backend::new(client, flag))
        .custom_method(transport::MALFORMED, Backend::malformed_message)
        .custom_method(transport::INVALID_REQUEST, Backend::invalid_request)
        .finish();
    (service, socket, shutdown)
}

/// Serves LSP over `input`/`output` until `exit` or the end of input; every incoming frame
/// passes through [`transport::sanitize`]. Returns whether `shutdown` came before the end.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (service, socket, shutdown) = service();
    let (clean_in, clean_out) = tokio::io::simplex(1 << 16);
    let guard = tokio::spawn(transport::sanitize(
        tokio::io::BufReader::new(input),
        clean_out,
    ));
    Server::new(clean_in, output, socket).serve(service).await;
    guard.abort();
    shutdown.load(Ordering::SeqCst)
}

/// Serves LSP on standard input and output (see [`serve`]). Returns whether `shutdown` came
/// first: the process exit code is 0 then, 1 otherwise, as the protocol says.
pub fn serve_stdio() -> std::io::Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let clean = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // A read of standard input may still be blocked in tokio's blocking pool (clients need not
    // close the pipe after `exit`): do not wait for it.
    runtime.shutdown_background();
    Ok(clean)
}
