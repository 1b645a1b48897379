//! Configuration: client settings (initializationOptions, didChangeConfiguration), the nearest
//! `kql.toml`, schema files, watched-file changes, and bad configuration that never replaces the
//! last good one.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::{TestClient, NOW};

const RETENTION_45D: &str = "DeviceEvents\n| where Timestamp > ago(45d)\n| take 10\n";

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// A fresh directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kql-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[tokio::test]
async fn initialization_options_set_limits_and_rules() {
    let mut c = TestClient::start(json!({"kql": {"now": NOW, "retentionDays": 60}})).await;
    c.open("file:///w/a.kql", RETENTION_45D).await;
    assert_eq!(
        codes(&c.diagnostics("file:///w/a.kql", 1).await),
        Vec::<String>::new()
    );

    let mut c =
        TestClient::start(json!({"now": NOW, "severity": {"time-beyond-retention": "error"}}))
            .await;
    c.open("file:///w/a.kql", RETENTION_45D).await;
    let diags = c.diagnostics("file:///w/a.kql", 1).await;
    assert_eq!(codes(&diags), ["AH001"]);
    assert_eq!(diags[0]["severity"], 1, "error");
}

#[tokio::test]
async fn did_change_configuration_rechecks_and_bad_settings_keep_the_previous_ones() {
    let mut c = TestClient::start(TestClient::options()).await;
    c.open("file:///w/a.kql", RETENTION_45D).await;
    assert_eq!(codes(&c.diagnostics("file:///w/a.kql", 1).await), ["AH001"]);
    let ignore = json!({"settings": {"kql": {"now": NOW, "ignore": ["time-beyond-retention"]}}});
    c.notify("workspace/didChangeConfiguration", ignore).await;
    assert_eq!(
        codes(&c.diagnostics("file:///w/a.kql", 1).await),
        Vec::<String>::new()
    );

    let bad = json!({"settings": {"kql": {"now": NOW, "ignore": ["no-such-rule"]}}});
    c.notify("workspace/didChangeConfiguration", bad).await;
    let msg = c.wait_for("window/showMessage", |_| true).await;
    assert_eq!(msg["type"], 1);
    assert!(
        msg["message"].as_str().unwrap().contains("no-such-rule"),
        "{msg}"
    );
    // Still ignoring: an edit re-checks with the previous good settings.
    let change = json!({"textDocument": {"uri": "file:///w/a.kql", "version": 2},
                        "contentChanges": [{"text": RETENTION_45D}]});
    c.notify("textDocument/didChange", change).await;
    assert_eq!(
        codes(&c.diagnostics("file:///w/a.kql", 2).await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn null_settings_pull_workspace_configuration() {
    let caps = json!({"workspace": {"configuration": true}});
    let mut c = TestClient::start_with(json!({"retentionDays": 60, "now": NOW}), caps).await;
    c.open("file:///w/a.kql", RETENTION_45D).await;
    assert!(c.diagnostics("file:///w/a.kql", 1).await.is_empty());
    // The test client answers `workspace/configuration` with `{"now": NOW}` only: back to 30 days.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    )
    .await;
    assert_eq!(codes(&c.diagnostics("file:///w/a.kql", 1).await), ["AH001"]);
}

#[tokio::test]
async fn the_nearest_kql_toml_applies_and_a_bad_one_keeps_the_last_good() {
    let root = temp_dir("toml");
    let sub = root.join("hunts");
    std::fs::create_dir_all(&sub).unwrap();
    let toml = root.join("kql.toml");
    std::fs::write(&toml, "[limits]\nretention-days = 60\n").unwrap();
    let file = sub.join("q.kql");
    std::fs::write(&file, RETENTION_45D).unwrap();

    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut c = TestClient::start_with(TestClient::options(), caps).await;
    let doc = uri(&file);
    c.open(&doc, RETENTION_45D).await;
    assert!(
        c.diagnostics(&doc, 1).await.is_empty(),
        "60 days from kql.toml"
    );

    // Broken on disk: reported, the 60 days stay.
    std::fs::write(&toml, "[limits\nretention-days = 10\n").unwrap();
    let changed = json!({"changes": [{"uri": uri(&toml), "type": 2}]});
    c.notify("workspace/didChangeWatchedFiles", changed.clone())
        .await;
    let msg = c.wait_for("window/showMessage", |_| true).await;
    assert!(
        msg["message"].as_str().unwrap().contains("kql.toml"),
        "{msg}"
    );
    assert!(
        c.diagnostics(&doc, 1).await.is_empty(),
        "previous configuration in force"
    );

    // Fixed on disk: the new limit applies.
    std::fs::write(&toml, "[limits]\nretention-days = 40\n").unwrap();
    c.notify("workspace/didChangeWatchedFiles", changed).await;
    assert_eq!(codes(&c.diagnostics(&doc, 1).await), ["AH001"]);
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn a_kql_toml_open_in_the_editor_gets_diagnostics() {
    let mut c = TestClient::start(TestClient::options()).await;
    let toml = "file:///w/kql.toml";
    c.open(toml, "[limits]\nretention-dayz = 3\n").await;
    let diags = c.diagnostics(toml, 1).await;
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["range"]["start"]["line"], 1);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("retention-dayz"),
        "{diags:?}"
    );
}

#[tokio::test]
async fn schema_files_add_tables_and_reload_when_they_change() {
    let root = temp_dir("schema");
    let schema = root.join("schema.json");
    std::fs::write(
        &schema,
        r#"{"tables": {"MyTable": {"Timestamp": "datetime", "Foo": "string"}}}"#,
    )
    .unwrap();
    let text = "MyTable\n| where Timestamp > ago(1d)\n| where Foo == \"x\"\n| take 1\n";
    let opts = json!({"kql": {"now": NOW, "schemaFiles": [schema.to_string_lossy()]}});
    let mut c = TestClient::start(opts).await;
    c.open("file:///w/m.kql", text).await;
    assert_eq!(
        codes(&c.diagnostics("file:///w/m.kql", 1).await),
        Vec::<String>::new()
    );

    std::fs::write(
        &schema,
        r#"{"tables": {"MyTable": {"Timestamp": "datetime"}}}"#,
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&schema), "type": 2}]}),
    )
    .await;
    let diags = c.diagnostics("file:///w/m.kql", 1).await;
    assert!(
        diags
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("Foo")),
        "{diags:?}"
    );

    std::fs::write(&schema, "{ not json").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&schema), "type": 2}]}),
    )
    .await;
    let msg = c.wait_for("window/showMessage", |_| true).await;
    assert!(msg["message"].as_str().unwrap().contains("schema"), "{msg}");
    let _ = std::fs::remove_dir_all(&root);
}
