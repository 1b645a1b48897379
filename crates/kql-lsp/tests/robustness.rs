//! Bad input never stops the server: unknown methods, malformed JSON-RPC, positions past the
//! end or inside a surrogate pair, huge documents, a panic inside a request; and shutdown/exit
//! follow the protocol.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::{at, pos, TestClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const URI: &str = "file:///work/robust.kql";

#[tokio::test]
async fn unknown_methods_and_documents_never_opened() {
    let mut c = TestClient::start(TestClient::options()).await;
    let err = c.request("kql/noSuchMethod", json!({})).await.unwrap_err();
    assert_eq!(err["code"], -32601);
    c.notify("kql/noSuchNotification", json!({"x": 1})).await;
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
    ] {
        let r = c
            .request(method, at("file:///never/opened.kql", 0, 0))
            .await;
        assert_eq!(r, Ok(Value::Null), "{method}");
    }
    // Edits to a document never opened are logged, not applied.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///never/opened.kql", "version": 2},
               "contentChanges": [{"text": "x"}]}),
    )
    .await;
    c.wait_for("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("not open")
    })
    .await;
}

#[tokio::test]
async fn positions_past_the_end_and_inside_surrogate_pairs_are_clamped() {
    let mut c = TestClient::start(TestClient::options()).await;
    c.open(URI, "print s = \"😀\"\n| where ").await;
    c.diagnostics(URI, 1).await;
    for (line, character) in [(0, 12), (99, 0), (1, 999), (u32::MAX, u32::MAX)] {
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/signatureHelp",
        ] {
            let r = c.request(method, at(URI, line, character)).await;
            assert!(r.is_ok(), "{method} at {line}:{character}: {r:?}");
        }
    }
    // An edit whose range starts inside the emoji's surrogate pair replaces from its start.
    let change = json!({
        "textDocument": {"uri": URI, "version": 2},
        "contentChanges": [{"range": {"start": pos(0, 12), "end": pos(0, 13)}, "text": "x"}]
    });
    c.notify("textDocument/didChange", change).await;
    c.diagnostics(URI, 2).await;
    let text = c
        .service
        .inner()
        .document_text(&URI.parse().unwrap())
        .unwrap();
    assert_eq!(text, "print s = \"x\"\n| where ");
}

#[tokio::test]
async fn a_five_megabyte_document_is_analysed() {
    let mut c = TestClient::start(TestClient::options()).await;
    let mut text =
        "// a comment line that pads the document to five megabytes of text\n".repeat(78_000);
    text.push_str("DeviceEvents\n| where Timestamp > ago(45d)\n| take 1\n");
    assert!(text.len() > 5_000_000);
    c.open(URI, &text).await;
    let diags = c.diagnostics(URI, 1).await;
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["code"], "AH001");
    assert_eq!(diags[0]["range"]["start"], pos(78_001, 8));
}

#[tokio::test]
async fn a_panic_inside_a_request_is_answered_as_an_error_and_logged() {
    let mut c = TestClient::start(TestClient::options()).await;
    c.open(URI, "DeviceEvents | take 1").await;
    c.diagnostics(URI, 1).await;
    let err = c.execute("kql.debug.panic", json!([])).await.unwrap_err();
    assert_eq!(err["code"], -32603);
    let log = c
        .wait_for("window/logMessage", |p| {
            p["message"].as_str().unwrap().contains("panicked")
        })
        .await;
    assert_eq!(log["type"], 1);
    assert!(log["message"]
        .as_str()
        .unwrap()
        .contains("kql.debug.panic was called"));
    // The server goes on serving.
    let tree = c.execute("kql.syntaxTree", json!([URI])).await.unwrap();
    assert!(tree.as_str().unwrap().contains("TAKE_OP"), "{tree}");
}

#[tokio::test]
async fn shutdown_then_exit_is_recorded_for_the_exit_code() {
    let mut c = TestClient::start(TestClient::options()).await;
    assert!(!c.shutdown_requested());
    assert_eq!(c.request("shutdown", Value::Null).await, Ok(Value::Null));
    assert!(c.shutdown_requested());
    let err = c
        .request("textDocument/hover", at(URI, 0, 0))
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32600, "requests after shutdown are invalid");
}

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Malformed JSON-RPC over a real transport: each bad message is answered or logged, and the
/// server goes on to answer the next ones.
#[tokio::test]
async fn malformed_messages_over_the_wire_get_errors_not_a_crash() {
    let (client_io, server_io) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_io);
    let server = tokio::spawn(kql_lsp::serve(server_read, server_write));
    let (mut read, mut write) = tokio::io::split(client_io);
    let mut out = String::new();
    let mut send_and_wait = async |frames: Vec<String>, until: &str| {
        write.write_all(frames.concat().as_bytes()).await.unwrap();
        let mut buf = vec![0u8; 1 << 16];
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !out.contains(until) {
            let n = tokio::time::timeout_at(deadline, read.read(&mut buf))
                .await
                .expect("answers")
                .unwrap();
            assert!(n > 0, "the server closed the stream early: {out}");
            out.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    };
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    send_and_wait(vec![frame(init)], r#""id":1"#).await;
    let bad = vec![
        frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        frame("{this is not json"),
        "Content-Type: nothing\r\n\r\n".to_string(),
        frame(r#"[1, 2, 3]"#),
        frame(r#"{"jsonrpc":"2.0","id":7}"#),
        frame(r#"{"jsonrpc":"2.0","id":8,"method":"textDocument/hover","params":{"bad":true}}"#),
        frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#),
    ];
    send_and_wait(bad, r#""id":2"#).await;
    send_and_wait(vec![frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)], "").await;
    assert!(
        out.contains(r#""positionEncoding":"utf-16""#),
        "initialize answered: {out}"
    );
    assert_eq!(
        out.matches("ignored a malformed message").count(),
        3,
        "{out}"
    );
    assert!(
        out.contains(
            r#"{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request"},"id":7}"#
        ),
        "{out}"
    );
    assert!(
        out.contains(r#""code":-32602"#) && out.contains(r#""id":8"#),
        "bad params: {out}"
    );
    let clean = tokio::time::timeout(Duration::from_secs(20), server)
        .await
        .expect("exits")
        .unwrap();
    assert!(clean, "shutdown came before exit");
}
