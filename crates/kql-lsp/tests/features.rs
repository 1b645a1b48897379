//! Every feature request through the tower service, asserting on content: the LSP shapes the
//! server builds from `kql_ide`'s answers, with positions converted.

mod support;

use serde_json::{json, Value};
use support::{at, pos, TestClient};

const URI: &str = "file:///work/features.kql";

const QUERY: &str = "let threshold = 5;\nDeviceProcessEvents\n| where Timestamp > ago(45d)\n| where ProcessCommandLine has \"powershell\"\n| summarize Count = count() by DeviceName\n| where Count > threshold\n";

async fn client_with(text: &str) -> TestClient {
    let caps = json!({
        "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
    });
    let mut c = TestClient::start_with(TestClient::options(), caps).await;
    c.open(URI, text).await;
    c.diagnostics(URI, 1).await;
    c
}

fn labels(items: &Value) -> Vec<&str> {
    items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect()
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": pos(l1, c1), "end": pos(l2, c2)})
}

#[tokio::test]
async fn completion_after_where_lists_the_columns_in_scope_with_types() {
    let mut c = client_with("DeviceProcessEvents\n| where \n").await;
    let list = c
        .request("textDocument/completion", at(URI, 1, 8))
        .await
        .unwrap();
    let names = labels(&list);
    assert!(
        names.contains(&"ProcessCommandLine") && names.contains(&"Timestamp"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"DeviceProcessEvents"),
        "no tables inside a predicate"
    );
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "Timestamp")
        .unwrap();
    assert_eq!(item["kind"], 5, "field");
    assert_eq!(item["detail"], "datetime");
    assert_eq!(item["textEdit"]["range"], range(1, 8, 1, 8));
    // Columns come before functions.
    let sort = |label: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"] == label)
            .map(|i| i["sortText"].as_str().unwrap().to_string())
    };
    assert!(
        sort("Timestamp") < sort("strlen"),
        "columns sort before functions"
    );
}

#[tokio::test]
async fn completion_after_summarize_sees_only_its_output_columns() {
    let mut c = client_with(QUERY).await;
    // Line 5 `| where Count > threshold`: columns after summarize are Count and DeviceName.
    let list = c
        .request("textDocument/completion", at(URI, 5, 8))
        .await
        .unwrap();
    let names = labels(&list);
    assert!(
        names.contains(&"Count") && names.contains(&"DeviceName"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"ProcessCommandLine"),
        "dropped by summarize"
    );
    assert!(names.contains(&"threshold"), "let names complete too");
}

#[tokio::test]
async fn completion_of_functions_uses_snippets_when_the_client_takes_them() {
    let mut c = client_with("DeviceEvents\n| extend x = strl").await;
    let list = c
        .request("textDocument/completion", at(URI, 1, 17))
        .await
        .unwrap();
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "strlen")
        .expect("strlen");
    assert_eq!(item["insertTextFormat"], 2, "snippet");
    assert!(item["textEdit"]["newText"]
        .as_str()
        .unwrap()
        .starts_with("strlen("));
    assert_eq!(
        item["textEdit"]["range"],
        range(1, 13, 1, 17),
        "replaces the typed prefix"
    );
}

#[tokio::test]
async fn hover_shows_a_columns_type_as_markdown() {
    let mut c = client_with(QUERY).await;
    let hover = c
        .request("textDocument/hover", at(URI, 3, 12))
        .await
        .unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("ProcessCommandLine") && text.contains("string"),
        "{text}"
    );
    assert_eq!(hover["range"], range(3, 8, 3, 26));
}

#[tokio::test]
async fn definition_references_and_highlights_of_a_let_name() {
    let mut c = client_with(QUERY).await;
    let def = c
        .request("textDocument/definition", at(URI, 5, 18))
        .await
        .unwrap();
    assert_eq!(def, json!([{"uri": URI, "range": range(0, 4, 0, 13)}]));
    let mut params = at(URI, 0, 6);
    params["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", params).await.unwrap();
    let ranges: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["range"])
        .collect();
    assert_eq!(ranges, [&range(0, 4, 0, 13), &range(5, 16, 5, 25)]);
    let highlights = c
        .request("textDocument/documentHighlight", at(URI, 5, 18))
        .await
        .unwrap();
    assert_eq!(
        highlights,
        json!([{"range": range(0, 4, 0, 13), "kind": 3}, {"range": range(5, 16, 5, 25), "kind": 2}])
    );
}

#[tokio::test]
async fn rename_edits_every_use_and_refuses_invalid_names() {
    let mut c = client_with(QUERY).await;
    let prep = c
        .request("textDocument/prepareRename", at(URI, 5, 18))
        .await
        .unwrap();
    assert_eq!(prep, range(5, 16, 5, 25));
    let mut params = at(URI, 5, 18);
    params["newName"] = json!("limit");
    let edit = c.request("textDocument/rename", params).await.unwrap();
    assert_eq!(
        edit["changes"][URI],
        json!([{"range": range(0, 4, 0, 13), "newText": "limit"}, {"range": range(5, 16, 5, 25), "newText": "limit"}])
    );
    let mut bad = at(URI, 5, 18);
    bad["newName"] = json!("not a name");
    let err = c.request("textDocument/rename", bad).await.unwrap_err();
    assert_eq!(err["code"], -32602);
    assert!(
        err["message"].as_str().unwrap().contains("not a valid"),
        "{err}"
    );
    let mut empty = at(URI, 5, 18);
    empty["newName"] = json!("");
    let err = c.request("textDocument/rename", empty).await.unwrap_err();
    assert_eq!(err["code"], -32602);
    let err = c
        .request("textDocument/prepareRename", at(URI, 1, 3))
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32602, "a table is not renamed: {err}");
}

#[tokio::test]
async fn formatting_and_range_formatting_return_edits_that_format() {
    let text = "DeviceEvents|where ActionType==\"x\"|take 10\n";
    let mut c = client_with(text).await;
    let opts = json!({"tabSize": 4, "insertSpaces": true});
    let edits = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": opts}),
        )
        .await
        .unwrap();
    let edits = edits.as_array().unwrap();
    assert!(!edits.is_empty());
    let new_text: String = edits
        .iter()
        .map(|e| e["newText"].as_str().unwrap())
        .collect();
    assert!(new_text.contains("| where"), "{edits:?}");
    let ranged = c
        .request(
            "textDocument/rangeFormatting",
            json!({"textDocument": {"uri": URI}, "range": range(0, 0, 0, 10), "options": opts}),
        )
        .await
        .unwrap();
    assert!(ranged.is_array());
    // Text with syntax errors is left alone (no edits, no error), and the reason is logged.
    let broken = "file:///work/broken.kql";
    c.open(broken, "DeviceEvents | where (").await;
    let none = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": broken}, "options": opts}),
        )
        .await;
    assert_eq!(none, Ok(Value::Null));
    c.wait_for("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("not formatted")
    })
    .await;
}

#[tokio::test]
async fn execute_command_request_body_and_syntax_tree() {
    let mut c = client_with("DeviceEvents\n| take 10\n").await;
    let body = c
        .request(
            "workspace/executeCommand",
            json!({"command": "kql.requestBody", "arguments": [URI]}),
        )
        .await
        .unwrap();
    assert_eq!(body, json!({"Query": "DeviceEvents\n| take 10"}));
    let graph = c
        .request(
            "workspace/executeCommand",
            json!({"command": "kql.requestBody", "arguments": [{"uri": URI, "api": "graph", "timespan": "P7D"}]}),
        )
        .await
        .unwrap();
    assert_eq!(
        graph,
        json!({"Query": "DeviceEvents\n| take 10", "Timespan": "P7D"})
    );
    let tree = c
        .request(
            "workspace/executeCommand",
            json!({"command": "kql.syntaxTree", "arguments": [{"uri": URI}]}),
        )
        .await
        .unwrap();
    assert!(tree.as_str().unwrap().starts_with("SOURCE_FILE"), "{tree}");
    let err = c
        .request(
            "workspace/executeCommand",
            json!({"command": "kql.nope", "arguments": [URI]}),
        )
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32602);
}

#[tokio::test]
async fn request_body_is_refused_on_syntax_errors_and_follows_the_block_at_the_cursor() {
    let opts = json!({"kql": {"now": support::NOW, "blocks": true}});
    let mut c = TestClient::start(opts).await;
    c.open(URI, "DeviceEvents\n| take 1\n\nDeviceInfo\n| take 2\n")
        .await;
    c.diagnostics(URI, 1).await;
    let args = json!([{"uri": URI, "position": pos(4, 2)}]);
    let body = c
        .request(
            "workspace/executeCommand",
            json!({"command": "kql.requestBody", "arguments": args}),
        )
        .await
        .unwrap();
    assert_eq!(body, json!({"Query": "DeviceInfo\n| take 2"}));
    let broken = "file:///work/broken.kql";
    c.open(broken, "DeviceEvents | where (").await;
    let err = c
        .request(
            "workspace/executeCommand",
            json!({"command": "kql.requestBody", "arguments": [broken]}),
        )
        .await
        .unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("syntax errors"),
        "{err}"
    );
}

#[tokio::test]
async fn signature_help_marks_the_active_parameter() {
    let mut c = client_with("print substring(\"abc\", 1, ").await;
    let help = c
        .request("textDocument/signatureHelp", at(URI, 0, 26))
        .await
        .unwrap();
    let sig = &help["signatures"][help["activeSignature"].as_u64().unwrap() as usize];
    assert!(
        sig["label"].as_str().unwrap().starts_with("substring("),
        "{sig}"
    );
    assert_eq!(help["activeParameter"], 2);
    let [start, end] = [0, 1].map(|i| sig["parameters"][2]["label"][i].as_u64().unwrap() as usize);
    assert!(
        sig["label"].as_str().unwrap()[start..end].contains("length"),
        "{sig}"
    );
}

#[tokio::test]
async fn document_symbols_folding_and_selection_ranges() {
    let mut c = client_with(QUERY).await;
    let symbols = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .unwrap();
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"threshold"), "{symbols:#}");
    let let_sym = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "threshold")
        .unwrap();
    assert_eq!(let_sym["selectionRange"], range(0, 4, 0, 13));

    let folds = c
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .unwrap();
    assert!(
        folds
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["startLine"] == 1 && f["endLine"].as_u64().unwrap() >= 5),
        "the query folds from line 1: {folds}"
    );

    let sel = c
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": URI}, "positions": [pos(3, 12)]}),
        )
        .await
        .unwrap();
    let first = &sel[0];
    assert_eq!(first["range"], range(3, 8, 3, 26), "the column name first");
    assert!(
        first["parent"]["range"].is_object(),
        "then something larger"
    );
}

#[tokio::test]
async fn semantic_tokens_full_and_range_use_the_legend() {
    let mut c = client_with(QUERY).await;
    let full = c
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .unwrap();
    let data: Vec<u64> = full["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    // Decode to absolute (line, start, length, type).
    let (mut line, mut start) = (0, 0);
    let tokens: Vec<(u64, u64, u64, u64)> = data
        .chunks(5)
        .map(|t| {
            if t[0] > 0 {
                line += t[0];
                start = t[1];
            } else {
                start += t[1];
            }
            (line, start, t[2], t[3])
        })
        .collect();
    let legend = kql_ide::SemanticTokenKind::LEGEND;
    let kind_at = |l: u64, s: u64| {
        tokens
            .iter()
            .find(|t| t.0 == l && t.1 == s)
            .map(|t| legend[t.3 as usize])
    };
    assert_eq!(kind_at(1, 0), Some("class"), "the table");
    assert_eq!(kind_at(0, 0), Some("keyword"), "`let`");
    assert_eq!(kind_at(3, 8), Some("property"), "a column");
    let ranged = c
        .request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": URI}, "range": range(3, 0, 3, 100)}),
        )
        .await
        .unwrap();
    let n = ranged["data"].as_array().unwrap().len();
    assert!(
        n > 0 && n < data.len(),
        "a range gives fewer tokens ({n} of {})",
        data.len()
    );
}

#[tokio::test]
async fn inlay_hints_show_the_time_window_and_row_bound_and_can_be_turned_off() {
    let mut c = client_with("DeviceEvents\n| where Timestamp > ago(7d)\n| take 10\n").await;
    let params = json!({"textDocument": {"uri": URI}, "range": range(0, 0, 3, 0)});
    let hints = c
        .request("textDocument/inlayHint", params.clone())
        .await
        .unwrap();
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert!(labels.iter().any(|l| l.contains("7 d")), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("10 rows")), "{labels:?}");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kql": {"now": support::NOW, "inlayHints": false}}}),
    )
    .await;
    let hints = c.request("textDocument/inlayHint", params).await.unwrap();
    assert_eq!(hints, json!([]));
}

#[tokio::test]
async fn code_actions_offer_the_lint_fix_as_a_quick_fix() {
    let text = "DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where ProcessCommandLine contains \"powershell\"\n| take 10\n";
    let mut c = client_with(text).await;
    let diags = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(diags.is_err(), "pull diagnostics are not offered; push is");
    let params = json!({
        "textDocument": {"uri": URI},
        "range": range(2, 30, 2, 30),
        "context": {"diagnostics": []}
    });
    let actions = c.request("textDocument/codeAction", params).await.unwrap();
    let actions = actions.as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| {
            a["kind"] == "quickfix"
                && a["edit"]["changes"][URI].is_array()
                && a["diagnostics"].is_array()
        })
        .unwrap_or_else(|| panic!("no quick fix in {actions:#?}"));
    assert!(fix["diagnostics"][0]["code"].is_string());
    let only = json!({
        "textDocument": {"uri": URI},
        "range": range(0, 0, 0, 0),
        "context": {"diagnostics": [], "only": ["source.fixAll"]}
    });
    let fix_all = c.request("textDocument/codeAction", only).await.unwrap();
    assert!(
        fix_all
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["kind"] == "source.fixAll.kql"),
        "{fix_all}"
    );
}
