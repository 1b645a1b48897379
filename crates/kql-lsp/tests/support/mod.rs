//! An in-process LSP client for tests: builds the tower `LspService`, drives requests and
//! notifications through it, and collects what the server sends back (the pattern Biome and
//! ruff use). Server-to-client requests (`client/registerCapability`, `workspace/configuration`)
//! are answered so the server never waits.

#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::LspService;

use kql_lsp::Backend;

/// "Now" for every test, so time findings do not depend on the clock.
pub const NOW: &str = "2026-11-27T00:00:00Z";

pub struct TestClient {
    pub service: LspService<Backend>,
    notifications: mpsc::UnboundedReceiver<(String, Value)>,
    /// Notifications read while waiting for another one.
    seen: Vec<(String, Value)>,
    next_id: i64,
    pub shutdown: Arc<AtomicBool>,
}

impl TestClient {
    /// Initializes a server with `options` as `initializationOptions` (UTF-16 positions).
    pub async fn start(options: Value) -> TestClient {
        Self::start_with(options, json!({})).await
    }

    /// Initializes a server with the given `initializationOptions` and client capabilities.
    pub async fn start_with(options: Value, capabilities: Value) -> TestClient {
        let (service, socket, shutdown) = kql_lsp::service();
        let (tx, rx) = mpsc::unbounded_channel();
        let (mut requests, mut responses) = socket.split();
        tokio::spawn(async move {
            while let Some(req) = requests.next().await {
                let (method, id, params) = req.into_parts();
                match id {
                    Some(id) => {
                        let result = if method == "workspace/configuration" {
                            json!([{ "now": NOW }])
                        } else {
                            Value::Null
                        };
                        let _ = responses.send(Response::from_ok(id, result)).await;
                    }
                    None => {
                        let _ = tx.send((method.to_string(), params.unwrap_or(Value::Null)));
                    }
                }
            }
        });
        let mut client = TestClient {
            service,
            notifications: rx,
            seen: Vec::new(),
            next_id: 0,
            shutdown,
        };
        let init = client
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": null,
                    "capabilities": capabilities,
                    "initializationOptions": options,
                }),
            )
            .await;
        assert!(init.is_ok(), "initialize failed: {init:?}");
        client.notify("initialized", json!({})).await;
        client
    }

    /// A server (default options) with `text` open at `uri` and its first diagnostics.
    pub async fn with_document(uri: &str, text: &str) -> (TestClient, Vec<Value>) {
        let mut c = TestClient::start(TestClient::options()).await;
        c.open(uri, text).await;
        let diagnostics = c.diagnostics(uri, 1).await;
        (c, diagnostics)
    }

    /// The default options of these tests: a fixed "now".
    pub fn options() -> Value {
        json!({ "kql": { "now": NOW } })
    }

    /// Sends a request; `Ok(result)` or `Err(error object)`.
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let req = Request::build(method.to_string())
            .params(params)
            .id(self.next_id)
            .finish();
        let resp = self.call(req).await.expect("a request gets a response");
        let (_, body) = resp.into_parts();
        body.map_err(|e| serde_json::to_value(e).expect("error as JSON"))
    }

    /// The result of request `method`; an error answer fails the test, naming the method.
    pub async fn answer(&mut self, method: &str, params: Value) -> Value {
        let answer = self.request(method, params).await;
        answer.unwrap_or_else(|e| panic!("{method} answered an error: {e}"))
    }

    /// `workspace/executeCommand` of `command` with `arguments`.
    pub async fn execute(&mut self, command: &str, arguments: Value) -> Result<Value, Value> {
        let params = json!({ "command": command, "arguments": arguments });
        self.request("workspace/executeCommand", params).await
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let req = Request::build(method.to_string()).params(params).finish();
        let resp = self.call(req).await;
        assert!(resp.is_none(), "a notification gets no response");
    }

    async fn call(&mut self, req: Request) -> Option<Response> {
        let service = self.service.ready().await.expect("service ready");
        tokio::time::timeout(Duration::from_secs(20), service.call(req))
            .await
            .expect("the server answers within 20 s")
            .expect("the service has not exited")
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "kql", "version": 1, "text": text}}),
        )
        .await;
    }

    /// Waits for the next notification `method` that `pred` accepts (20 s at most).
    pub async fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(|(m, p)| m == method && pred(p)) {
            return self.seen.remove(i).1;
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let next = tokio::time::timeout_at(deadline, self.notifications.recv()).await;
            match next {
                Ok(Some((m, p))) if m == method && pred(&p) => return p,
                Ok(Some(other)) => self.seen.push(other),
                Ok(None) => panic!("the server closed its socket"),
                Err(_) => panic!("no {method} within 20 s; seen: {:?}", self.seen),
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let p = self
            .wait_for("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri && p["version"] == version
            })
            .await;
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Every notification received so far (and not yet consumed by `wait_for`).
    pub fn drain(&mut self) -> Vec<(String, Value)> {
        while let Ok(n) = self.notifications.try_recv() {
            self.seen.push(n);
        }
        std::mem::take(&mut self.seen)
    }

    pub fn shutdown_requested(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }
}

/// `{"line": l, "character": c}`.
pub fn pos(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

/// `{"textDocument": {"uri": uri}, "position": ...}`.
pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos(line, character) })
}

/// `{"start": ..., "end": ...}` from line/character pairs.
pub fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({ "start": pos(l1, c1), "end": pos(l2, c2) })
}

/// `{"textDocument": {"uri": uri}}`: the params of a request about a whole document.
pub fn doc(uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri } })
}

/// [`doc`] with the fields of the object `more` added (`options`, `range`, `context`).
pub fn doc_with(uri: &str, more: Value) -> Value {
    let mut params = doc(uri);
    for (key, value) in more.as_object().expect("an object of fields") {
        params[key] = value.clone();
    }
    params
}

/// The string `key` of every element of the array `array` (labels, names).
pub fn strings<'a>(array: &'a Value, key: &str) -> Vec<&'a str> {
    let elements = array.as_array().expect("an array");
    elements.iter().map(|e| e[key].as_str().unwrap()).collect()
}

/// What `kql lint` reports for `text` at the tests' "now": the findings the server must publish.
pub fn lint(text: &str) -> kql_lint::LintReport {
    let now = kql_semantic::fold::parse_datetime(NOW).unwrap();
    let settings = kql_lint::Settings::at_unix_ticks(now).expect("now within years 1..=9999");
    let schema = kql_schema::Schema::advanced_hunting();
    kql_lint::check_and_lint(text, &kql_syntax::parse(text), &settings, schema)
}
