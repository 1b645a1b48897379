//! The language server: lifecycle, document sync, configuration, and the table of LSP methods.
//!
//! Handlers stay small and never analyse: notifications update the document store synchronously
//! (before any `.await`) and queue a job for the analysis thread ([`crate::worker`]); requests
//! queue a closure and await its answer. The thread's events (diagnostics, messages, log lines)
//! are forwarded to the client by one task, in order; diagnostics are never published for a
//! version older than the last one published for that document.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use tokio::sync::{mpsc::UnboundedReceiver, oneshot};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::documents::{ChangeError, Documents};
use crate::line_index::Encoding;
use crate::requests;
use crate::worker::{self, ClientCaps, Event, Job, World};

/// The commands `workspace/executeCommand` accepts.
pub const COMMANDS: &[&str] = &[crate::commands::REQUEST_BODY, crate::commands::SYNTAX_TREE];

/// The server state shared by all handlers.
pub struct Backend {
    pub(crate) client: Client,
    docs: Mutex<Documents>,
    jobs: mpsc::Sender<Job>,
    encoding: Mutex<Encoding>,
    /// Set by `shutdown`: the process then exits with 0 on `exit`, else 1.
    shutdown: Arc<AtomicBool>,
    /// Opens the event forwarder once the client is initialized.
    ready: Mutex<Option<oneshot::Sender<()>>>,
    /// Whether the client registers file watchers on request.
    dynamic_watch: AtomicBool,
    /// Whether the client answers `workspace/configuration`.
    pull_config: AtomicBool,
}

impl Backend {
    /// A backend for `client`; `shutdown` records whether `shutdown` was requested.
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        let (events_tx, events_rx) = tokio::sync::mpsc::unbounded_channel();
        let (ready_tx, ready_rx) = oneshot::channel();
        tokio::spawn(forward_events(client.clone(), events_rx, ready_rx));
        Backend {
            client,
            docs: Mutex::new(Documents::default()),
            jobs: worker::spawn(events_tx),
            encoding: Mutex::new(Encoding::default()),
            shutdown,
            ready: Mutex::new(Some(ready_tx)),
            dynamic_watch: AtomicBool::new(false),
            pull_config: AtomicBool::new(false),
        }
    }

    /// The text the server holds for `uri` (what the edits so far produced).
    pub fn document_text(&self, uri: &Uri) -> Option<String> {
        let docs = self.docs.lock().ok()?;
        docs.get(uri).map(|d| d.text.to_string())
    }

    pub(crate) fn send(&self, job: Job) {
        // The thread outlives every handler; a send can only fail while the process exits.
        let _ = self.jobs.send(job);
    }

    /// Runs `f` on the analysis thread and returns its result; a panic in `f` becomes an
    /// internal error (the thread logs it and keeps serving).
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut World) -> T + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Run(Box::new(move |w| {
            let _ = tx.send(f(w));
        })));
        rx.await
            .map_err(|_| internal("the request failed inside the server (see its log)"))
    }

    /// `$/kql/malformedMessage`: a frame that was not JSON-RPC (see [`crate::transport`]).
    pub async fn malformed_message(&self, params: serde_json::Value) {
        let reason = params["reason"]
            .as_str()
            .unwrap_or("unreadable")
            .to_string();
        let msg = format!("kql-lsp: ignored a malformed message: {reason}");
        self.log(MessageType::ERROR, msg).await;
    }

    /// `$/kql/invalidRequest`: a message with an id that is not a request.
    pub async fn invalid_request(&self) -> Result<serde_json::Value> {
        Err(Error::invalid_request())
    }

    fn encoding(&self) -> Encoding {
        self.encoding.lock().map(|e| *e).unwrap_or_default()
    }

    pub(crate) async fn log(&self, typ: MessageType, message: String) {
        self.client.log_message(typ, message).await;
    }

    /// Takes new client settings on the analysis thread and re-checks every document.
    async fn apply_settings(&self, value: serde_json::Value) {
        let result = self
            .run(move |w| {
                let r = w.config.set_client(&value);
                if r.is_ok() {
                    w.recheck_all();
                }
                (r, w.config.schema_paths())
            })
            .await;
        match result {
            Ok((Err(problem), _)) => {
                self.client.show_message(MessageType::ERROR, problem).await;
            }
            Ok((Ok(()), schema_paths)) => self.watch_files(schema_paths),
            Err(_) => {}
        }
    }

    /// Asks the client to watch `kql.toml` files and the schema files (when it can).
    fn watch_files(&self, schema_paths: Vec<std::path::PathBuf>) {
        if !self.dynamic_watch.load(Ordering::Relaxed) {
            return;
        }
        let mut watchers = vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/kql.toml".into()),
            kind: None,
        }];
        watchers.extend(schema_paths.iter().map(|p| FileSystemWatcher {
            glob_pattern: GlobPattern::String(p.to_string_lossy().replace('\\', "/")),
            kind: None,
        }));
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "kql-watched-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        let client = self.client.clone();
        // Not awaited by the handler: the client answers in its own time.
        tokio::spawn(async move {
            let _ = client
                .unregister_capability(vec![Unregistration {
                    id: registration.id.clone(),
                    method: registration.method.clone(),
                }])
                .await;
            let _ = client.register_capability(vec![registration]).await;
        });
    }
}

pub(crate) fn internal(message: &str) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: message.to_string().into(),
        data: None,
    }
}

/// Sends the analysis thread's events to the client, in order, once it is initialized.
async fn forward_events(
    client: Client,
    mut events: UnboundedReceiver<Event>,
    ready: oneshot::Receiver<()>,
) {
    if ready.await.is_err() {
        return;
    }
    let mut published: HashMap<Uri, i32> = HashMap::new();
    while let Some(event) = events.recv().await {
        match event {
            Event::Publish {
                uri,
                version,
                diagnostics,
            } => {
                match version {
                    Some(v) if published.get(&uri).is_some_and(|&last| v < last) => continue,
                    Some(v) => published.insert(uri.clone(), v),
                    None => published.remove(&uri),
                };
                client.publish_diagnostics(uri, diagnostics, version).await;
            }
            Event::Message(typ, text) => client.show_message(typ, text).await,
            Event::Log(typ, text) => client.log_message(typ, text).await,
        }
    }
}

fn workspace_roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    #[allow(deprecated)] // Older clients send only `rootUri`.
    let root = params.root_uri.iter();
    params
        .workspace_folders
        .iter()
        .flatten()
        .map(|f| &f.uri)
        .chain(root)
        .filter_map(|u| u.to_file_path().map(|p| p.into_owned()))
        .collect()
}

/// The table of LSP requests. Each is answered by the function of the same name in
/// [`crate::requests`] over the document's fresh analysis ([`Backend::answer`]); a refusal (those
/// functions' `Err(reason)`) goes to the `Backend` method named after `refused`.
macro_rules! requests {
    (
        answered: { $($method:ident($params:ty) -> $answer:ty;)+ }
        $(refused $refused:ident: { $($r_method:ident($r_params:ty) -> $r_answer:ty;)+ })+
    ) => {
        $(
            async fn $method(&self, p: $params) -> Result<Option<$answer>> {
                self.answer(p, requests::$method).await
            }
        )+
        $($(
            async fn $r_method(&self, p: $r_params) -> Result<Option<$r_answer>> {
                match self.answer(p, requests::$r_method).await? {
                    Some(Err(why)) => self.$refused(why).await,
                    answer => Ok(answer.and_then(|a| a.ok())),
                }
            }
        )+)+
    };
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let encoding = Encoding::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        if let Ok(mut e) = self.encoding.lock() {
            *e = encoding;
        }
        let text = caps.text_document.as_ref();
        let client_caps = ClientCaps {
            snippets: text
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
            multiline_tokens: text
                .and_then(|t| t.semantic_tokens.as_ref())
                .and_then(|s| s.multiline_token_support)
                .unwrap_or(false),
        };
        let workspace = caps.workspace.as_ref();
        self.dynamic_watch.store(
            workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            Ordering::Relaxed,
        );
        self.pull_config.store(
            workspace.and_then(|w| w.configuration).unwrap_or(false),
            Ordering::Relaxed,
        );
        let roots = workspace_roots(&params);
        let options = params.initialization_options.clone();
        self.send(Job::Run(Box::new(move |w| {
            w.set_encoding(encoding);
            w.caps = client_caps;
            w.config.set_roots(roots);
            if let Some(options) = options {
                if let Err(problem) = w.config.set_client(&options) {
                    w.send(Event::Message(MessageType::ERROR, problem));
                }
            }
        })));
        Ok(InitializeResult {
            capabilities: crate::capabilities::server_capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "kql-lsp".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if let Some(ready) = self.ready.lock().ok().and_then(|mut r| r.take()) {
            let _ = ready.send(());
        }
        if let Ok(paths) = self.run(|w| w.config.schema_paths()).await {
            self.watch_files(paths);
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let text = match self.docs.lock() {
            Ok(mut docs) => docs.open(d.uri.clone(), d.version, d.text),
            Err(_) => return,
        };
        self.send(Job::Update {
            uri: d.uri,
            version: d.version,
            text,
        });
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let encoding = self.encoding();
        let result = match self.docs.lock() {
            Ok(mut docs) => docs.change(&uri, version, params.content_changes, encoding),
            Err(_) => return,
        };
        match result {
            Ok(text) => self.send(Job::Update { uri, version, text }),
            Err(ChangeError::NotOpen) => {
                let msg = format!("kql-lsp: didChange for {} which is not open", uri.as_str());
                self.log(MessageType::WARNING, msg).await;
            }
            Err(ChangeError::Stale { have, got }) => {
                let msg = format!(
                    "kql-lsp: ignored didChange for {} version {got} (have version {have})",
                    uri.as_str()
                );
                self.log(MessageType::WARNING, msg).await;
            }
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Ok(mut docs) = self.docs.lock() {
            docs.close(&uri);
        }
        self.send(Job::Close(uri));
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let mut settings = params.settings;
        let empty = settings.is_null() || settings.as_object().is_some_and(|o| o.is_empty());
        if empty && self.pull_config.load(Ordering::Relaxed) {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some("kql".into()),
            };
            if let Ok(mut values) = self.client.configuration(vec![item]).await {
                settings = values.pop().unwrap_or_default();
            }
        }
        self.apply_settings(settings).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<_> = params
            .changes
            .iter()
            .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        let problems = self
            .run(move |w| {
                let mut problems = Vec::new();
                let schema_paths = w.config.schema_paths();
                if paths.iter().any(|p| schema_paths.contains(p)) {
                    problems.extend(w.config.reload_schema().err());
                }
                for p in paths.iter().filter(|p| p.ends_with("kql.toml")) {
                    problems.extend(w.config.reload_config(p));
                }
                w.recheck_all();
                problems
            })
            .await
            .unwrap_or_default();
        for p in problems {
            self.client.show_message(MessageType::ERROR, p).await;
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: Vec<WorkspaceFolder>| -> Vec<std::path::PathBuf> {
            folders
                .iter()
                .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
                .collect()
        };
        let (added, removed) = (paths(params.event.added), paths(params.event.removed));
        self.send(Job::Run(Box::new(move |w| {
            let mut roots = w.config.roots().to_vec();
            roots.retain(|r| !removed.contains(r));
            roots.extend(added);
            w.config.set_roots(roots);
            w.recheck_all();
        })));
    }

    requests! {
        answered: {
            completion(CompletionParams) -> CompletionResponse;
            hover(HoverParams) -> Hover;
            signature_help(SignatureHelpParams) -> SignatureHelp;
            goto_definition(GotoDefinitionParams) -> GotoDefinitionResponse;
            references(ReferenceParams) -> Vec<Location>;
            document_highlight(DocumentHighlightParams) -> Vec<DocumentHighlight>;
            document_symbol(DocumentSymbolParams) -> DocumentSymbolResponse;
            folding_range(FoldingRangeParams) -> Vec<FoldingRange>;
            selection_range(SelectionRangeParams) -> Vec<SelectionRange>;
            semantic_tokens_full(SemanticTokensParams) -> SemanticTokensResult;
            semantic_tokens_range(SemanticTokensRangeParams) -> SemanticTokensRangeResult;
            inlay_hint(InlayHintParams) -> Vec<InlayHint>;
            code_action(CodeActionParams) -> CodeActionResponse;
        }
        refused invalid_params: {
            prepare_rename(TextDocumentPositionParams) -> PrepareRenameResponse;
            rename(RenameParams) -> WorkspaceEdit;
        }
        refused not_formatted: {
            formatting(DocumentFormattingParams) -> Vec<TextEdit>;
            range_formatting(DocumentRangeFormattingParams) -> Vec<TextEdit>;
        }
    }

    async fn execute_command(&self, p: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        self.execute_command_request(p).await
    }
}
