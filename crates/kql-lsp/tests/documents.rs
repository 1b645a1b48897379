//! Document sync and diagnostics through the tower service: what a client sees after
//! `didOpen` / `didChange` / `didClose`.

mod support;

use serde_json::{json, Value};
use support::{pos, range, TestClient};

const URI: &str = "file:///work/hunt.kql";

/// A query whose time filter reaches past the 30-day retention (line 3) and whose result is
/// unbounded (line 4 onwards).
const QUERY: &str = "let threshold = 5;\nDeviceProcessEvents\n| where Timestamp > ago(45d)\n| summarize Count = count() by DeviceName\n| where Count > threshold\n";

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

fn change(version: i64, range: Value, text: &str) -> Value {
    json!({
        "textDocument": {"uri": URI, "version": version},
        "contentChanges": [{"range": range, "text": text}]
    })
}

#[tokio::test]
async fn open_publishes_what_kql_lint_reports_with_links_and_version() {
    let mut c = TestClient::start(TestClient::options()).await;
    c.open(URI, QUERY).await;
    let diags = c.diagnostics(URI, 1).await;
    assert_eq!(codes(&diags), ["AH001", "AH002"]);
    let retention = &diags[0];
    assert_eq!(
        retention["range"],
        range(2, 8, 2, 28),
        "`Timestamp > ago(45d)`"
    );
    assert_eq!(retention["severity"], 2);
    assert_eq!(retention["source"], "kql");
    assert!(retention["message"]
        .as_str()
        .unwrap()
        .contains("past the 30-day retention window"));
    assert_eq!(
        retention["codeDescription"]["href"],
        "https://github.com/kqlkit/kqlkit/blob/main/crates/kql-lint/src/rules/time_beyond_retention.rs"
    );
    // Exactly the findings, ranges and messages of `kql lint` for the same text and "now".
    let lint = support::lint(QUERY);
    let expected: Vec<(String, String)> = lint
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.message.clone()))
        .collect();
    let got: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn incremental_changes_update_diagnostics_with_the_new_version() {
    let (mut c, _) = TestClient::with_document(URI, QUERY).await;
    // 45d -> 7d: the retention finding goes away.
    c.notify(
        "textDocument/didChange",
        change(2, range(2, 24, 2, 26), "7"),
    )
    .await;
    let diags = c.diagnostics(URI, 2).await;
    assert_eq!(codes(&diags), ["AH002"]);
    // Append `| take 10` at the end: the result is bounded, no findings remain.
    c.notify(
        "textDocument/didChange",
        change(3, range(5, 0, 5, 0), "| take 10\n"),
    )
    .await;
    assert_eq!(c.diagnostics(URI, 3).await, Vec::<Value>::new());
    let text = c
        .service
        .inner()
        .document_text(&URI.parse().unwrap())
        .unwrap();
    assert!(
        text.contains("ago(7d)") && text.ends_with("| take 10\n"),
        "{text}"
    );
}

#[tokio::test]
async fn batched_changes_apply_in_order_and_stale_versions_are_ignored() {
    let (mut c, _) = TestClient::with_document(URI, "T\n").await;
    // Two changes in one message, the second relative to the text after the first.
    let params = json!({
        "textDocument": {"uri": URI, "version": 2},
        "contentChanges": [
            {"range": range(0, 1, 0, 1), "text": "\n| take 3"},
            {"range": range(0, 0, 0, 1), "text": "DeviceEvents"}
        ]
    });
    c.notify("textDocument/didChange", params).await;
    c.diagnostics(URI, 2).await;
    let uri = URI.parse().unwrap();
    assert_eq!(
        c.service.inner().document_text(&uri).unwrap(),
        "DeviceEvents\n| take 3\n"
    );
    // A change for an older version is logged and ignored.
    c.notify(
        "textDocument/didChange",
        change(1, range(0, 0, 0, 0), "junk"),
    )
    .await;
    let log = c
        .wait_for("window/logMessage", |p| {
            p["message"].as_str().unwrap().contains("ignored didChange")
        })
        .await;
    assert_eq!(log["type"], 2);
    assert_eq!(
        c.service.inner().document_text(&uri).unwrap(),
        "DeviceEvents\n| take 3\n"
    );
}

#[tokio::test]
async fn rapid_edits_publish_in_version_order_ending_with_the_last() {
    let mut c = TestClient::start(TestClient::options()).await;
    c.open(URI, "DeviceEvents\n| take 1").await;
    for v in 2..=30 {
        c.notify(
            "textDocument/didChange",
            change(v, range(1, 7, 1, 8), &((v % 9) + 1).to_string()),
        )
        .await;
    }
    let last = c.diagnostics(URI, 30).await;
    assert!(!codes(&last).contains(&"KQL001"), "{last:?}");
    let versions: Vec<i64> = c
        .drain()
        .into_iter()
        .filter(|(m, p)| m == "textDocument/publishDiagnostics" && p["uri"] == URI)
        .map(|(_, p)| p["version"].as_i64().unwrap())
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "published out of order: {versions:?}"
    );
    assert!(versions.iter().all(|&v| v < 30));
}

#[tokio::test]
async fn unused_suppressions_are_tagged_unnecessary_and_labels_become_related_information() {
    let mut c = TestClient::start(TestClient::options()).await;
    let text = "// kql-lint: disable-next-line short-has-term\nDeviceEvents\n| take 5\n";
    c.open(URI, text).await;
    let diags = c.diagnostics(URI, 1).await;
    let unused = diags.iter().find(|d| d["code"] == "AH900").expect("AH900");
    assert_eq!(unused["tags"], json!([1]));
    assert_eq!(unused["range"]["start"]["line"], 0);

    let other = "file:///work/paren.kql";
    c.open(
        other,
        "DeviceEvents\n| where (ActionType == \"x\"\n| take 1",
    )
    .await;
    let diags = c.diagnostics(other, 1).await;
    let with_label = diags
        .iter()
        .find(|d| d["relatedInformation"].is_array())
        .unwrap_or_else(|| panic!("no related information in {diags:#?}"));
    let info = &with_label["relatedInformation"][0];
    assert_eq!(info["location"]["uri"], other);
    assert_eq!(
        info["location"]["range"]["start"],
        pos(1, 8),
        "the `(` that is not closed"
    );
}

#[tokio::test]
async fn close_clears_diagnostics_and_requests_on_closed_documents_answer_null() {
    let (mut c, _) = TestClient::with_document(URI, QUERY).await;
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    let cleared = c
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == URI && p["version"].is_null()
        })
        .await;
    assert_eq!(cleared["diagnostics"], json!([]));
    let hover = c
        .request("textDocument/hover", support::at(URI, 1, 3))
        .await;
    assert_eq!(hover, Ok(Value::Null));
}

/// The unknown column `x` in `print s = "😀" | where x == 1`: UTF-16 counts the emoji as two
/// units (x at 23), UTF-8 (when the client offers it) as four bytes (x at 25).
#[tokio::test]
async fn positions_follow_the_negotiated_encoding() {
    for (offered, start) in [(json!(["utf-16"]), 23), (json!(["utf-8", "utf-16"]), 25)] {
        let caps = json!({"general": {"positionEncodings": offered}});
        let mut c = TestClient::start_with(TestClient::options(), caps).await;
        c.open(URI, "print s = \"😀\" | where x == 1").await;
        let diags = c.diagnostics(URI, 1).await;
        let unknown = diags
            .iter()
            .find(|d| d["message"].as_str().unwrap().contains('x'))
            .expect("unknown column x");
        assert_eq!(unknown["range"]["start"], pos(0, start), "{offered}");
        assert_eq!(unknown["range"]["end"], pos(0, start + 1), "{offered}");
    }
}

#[tokio::test]
async fn documents_past_the_kept_analyses_are_analysed_again_on_request() {
    let mut c = TestClient::start(TestClient::options()).await;
    let n = kql_lsp::worker::KEPT_ANALYSES + 4;
    for i in 0..n {
        let uri = format!("file:///work/many{i}.kql");
        c.open(&uri, QUERY).await;
        assert_eq!(codes(&c.diagnostics(&uri, 1).await), ["AH001", "AH002"]);
    }
    // The first document's analysis was dropped; a request rebuilds it.
    let def = c
        .request(
            "textDocument/definition",
            support::at("file:///work/many0.kql", 4, 18),
        )
        .await
        .unwrap();
    assert_eq!(def[0]["range"], range(0, 4, 0, 13));
}
