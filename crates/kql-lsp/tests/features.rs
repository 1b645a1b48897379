//! Every feature request through the tower service, asserting on content: the LSP shapes the
//! server builds from `kql_ide`'s answers, with positions converted.

mod support;

use serde_json::{json, Value};
use support::{at, doc, doc_with, pos, range, strings, TestClient};

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

fn labels(list: &Value) -> Vec<&str> {
    strings(&list["items"], "label")
}

/// The completion item `label` of `list`.
fn item<'a>(list: &'a Value, label: &str) -> Option<&'a Value> {
    let items = list["items"].as_array().unwrap();
    items.iter().find(|i| i["label"] == label)
}

/// What completion must and must not offer at `line`:`character` of `text`.
struct Scope {
    text: &'static str,
    line: u32,
    character: u32,
    offered: &'static [&'static str],
    not_offered: &'static [&'static str],
}

#[tokio::test]
async fn completion_offers_what_is_in_scope() {
    let cases = [
        // No tables inside a predicate.
        Scope {
            text: "DeviceProcessEvents\n| where \n",
            line: 1,
            character: 8,
            offered: &["ProcessCommandLine", "Timestamp"],
            not_offered: &["DeviceProcessEvents"],
        },
        // Line 5 `| where Count > threshold`: after summarize only its output columns (Count
        // and DeviceName), and let names.
        Scope {
            text: QUERY,
            line: 5,
            character: 8,
            offered: &["Count", "DeviceName", "threshold"],
            not_offered: &["ProcessCommandLine"],
        },
    ];
    for Scope {
        text,
        line,
        character,
        offered,
        not_offered,
    } in cases
    {
        let mut c = client_with(text).await;
        let list = c
            .answer("textDocument/completion", at(URI, line, character))
            .await;
        let names = labels(&list);
        let case = format!("{text:?} at {line}:{character}");
        for label in offered {
            assert!(
                names.contains(label),
                "{case} should offer {label}: {names:?}"
            );
        }
        for label in not_offered {
            assert!(
                !names.contains(label),
                "{case} should not offer {label}: {names:?}"
            );
        }
    }
}

#[tokio::test]
async fn completion_of_a_column_has_its_type_and_sorts_before_functions() {
    let mut c = client_with("DeviceProcessEvents\n| where \n").await;
    let list = c.answer("textDocument/completion", at(URI, 1, 8)).await;
    let timestamp = item(&list, "Timestamp").unwrap();
    assert_eq!(timestamp["kind"], 5, "field");
    assert_eq!(timestamp["detail"], "datetime");
    assert_eq!(timestamp["textEdit"]["range"], range(1, 8, 1, 8));
    let sort = |label: &str| item(&list, label).map(|i| i["sortText"].as_str().unwrap());
    assert!(
        sort("Timestamp") < sort("strlen"),
        "columns sort before functions"
    );
}

#[tokio::test]
async fn completion_of_functions_uses_snippets_when_the_client_takes_them() {
    let mut c = client_with("DeviceEvents\n| extend x = strl").await;
    let list = c.answer("textDocument/completion", at(URI, 1, 17)).await;
    let item = item(&list, "strlen").expect("strlen");
    assert_eq!(item["insertTextFormat"], 2, "snippet");
    let new_text = item["textEdit"]["newText"].as_str().unwrap();
    assert!(new_text.starts_with("strlen("), "{new_text}");
    assert_eq!(
        item["textEdit"]["range"],
        range(1, 13, 1, 17),
        "replaces the typed prefix"
    );
}

#[tokio::test]
async fn hover_shows_a_columns_type_as_markdown() {
    let mut c = client_with(QUERY).await;
    let hover = c.answer("textDocument/hover", at(URI, 3, 12)).await;
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
    let def = c.answer("textDocument/definition", at(URI, 5, 18)).await;
    assert_eq!(def, json!([{"uri": URI, "range": range(0, 4, 0, 13)}]));
    let mut params = at(URI, 0, 6);
    params["context"] = json!({"includeDeclaration": true});
    let refs = c.answer("textDocument/references", params).await;
    let ranges: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["range"])
        .collect();
    assert_eq!(ranges, [&range(0, 4, 0, 13), &range(5, 16, 5, 25)]);
    let highlights = c
        .answer("textDocument/documentHighlight", at(URI, 5, 18))
        .await;
    assert_eq!(
        highlights,
        json!([{"range": range(0, 4, 0, 13), "kind": 3}, {"range": range(5, 16, 5, 25), "kind": 2}])
    );
}

/// `textDocument/rename` of the name at line 5, character 18 to `new_name`.
async fn rename(c: &mut TestClient, new_name: &str) -> Result<Value, Value> {
    let mut params = at(URI, 5, 18);
    params["newName"] = json!(new_name);
    c.request("textDocument/rename", params).await
}

#[tokio::test]
async fn rename_edits_every_use_and_refuses_invalid_names() {
    let mut c = client_with(QUERY).await;
    let prep = c.answer("textDocument/prepareRename", at(URI, 5, 18)).await;
    assert_eq!(prep, range(5, 16, 5, 25));
    let edit = rename(&mut c, "limit").await.unwrap();
    assert_eq!(
        edit["changes"][URI],
        json!([{"range": range(0, 4, 0, 13), "newText": "limit"}, {"range": range(5, 16, 5, 25), "newText": "limit"}])
    );
    let err = rename(&mut c, "not a name").await.unwrap_err();
    assert_eq!(err["code"], -32602);
    assert!(
        err["message"].as_str().unwrap().contains("not a valid"),
        "{err}"
    );
    let err = rename(&mut c, "").await.unwrap_err();
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
    let opts = json!({"options": {"tabSize": 4, "insertSpaces": true}});
    let edits = c
        .answer("textDocument/formatting", doc_with(URI, opts.clone()))
        .await;
    assert!(!edits.as_array().unwrap().is_empty());
    let new_text = strings(&edits, "newText").concat();
    assert!(new_text.contains("| where"), "{edits}");
    let mut ranged = doc_with(URI, opts.clone());
    ranged["range"] = range(0, 0, 0, 10);
    let ranged = c.answer("textDocument/rangeFormatting", ranged).await;
    assert!(ranged.is_array());
    // Text with syntax errors is left alone (no edits, no error), and the reason is logged.
    let broken = "file:///work/broken.kql";
    c.open(broken, "DeviceEvents | where (").await;
    let none = c
        .request("textDocument/formatting", doc_with(broken, opts))
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
    let body = c.execute("kql.requestBody", json!([URI])).await.unwrap();
    assert_eq!(body, json!({"Query": "DeviceEvents\n| take 10"}));
    let graph = json!([{"uri": URI, "api": "graph", "timespan": "P7D"}]);
    let graph = c.execute("kql.requestBody", graph).await.unwrap();
    assert_eq!(
        graph,
        json!({"Query": "DeviceEvents\n| take 10", "Timespan": "P7D"})
    );
    let tree = json!([{"uri": URI}]);
    let tree = c.execute("kql.syntaxTree", tree).await.unwrap();
    assert!(tree.as_str().unwrap().starts_with("SOURCE_FILE"), "{tree}");
    let err = c.execute("kql.nope", json!([URI])).await.unwrap_err();
    assert_eq!(err["code"], -32602);
}

#[tokio::test]
async fn request_body_follows_a_selected_range_and_checks_its_syntax() {
    let mut c = client_with("DeviceEvents\n| take 10\n| where (\n").await;
    let upto = |end: u32| json!({"start": pos(0, 0), "end": pos(1, end)});
    let args = json!([{"uri": URI, "position": pos(0, 0), "range": upto(9)}]);
    let body = c.execute("kql.requestBody", args).await.unwrap();
    assert_eq!(body, json!({"Query": "DeviceEvents\n| take 10"}));
    // The selection is what is checked: a broken selection is refused, while the broken
    // whole document is refused when the selection is empty.
    let args = json!([{"uri": URI, "range": upto(7)}]);
    let err = c.execute("kql.requestBody", args).await.unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("syntax errors"),
        "{err}"
    );
    let empty = json!({"start": pos(1, 2), "end": pos(1, 2)});
    let args = json!([{"uri": URI, "range": empty}]);
    let err = c.execute("kql.requestBody", args).await.unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("syntax errors"),
        "{err}"
    );
}

#[tokio::test]
async fn request_body_is_refused_on_syntax_errors_and_follows_the_block_at_the_cursor() {
    let opts = json!({"kql": {"now": support::NOW, "blocks": true}});
    let mut c = TestClient::start(opts).await;
    c.open(URI, "DeviceEvents\n| take 1\n\nDeviceInfo\n| take 2\n")
        .await;
    c.diagnostics(URI, 1).await;
    let args = json!([{"uri": URI, "position": pos(4, 2)}]);
    let body = c.execute("kql.requestBody", args).await.unwrap();
    assert_eq!(body, json!({"Query": "DeviceInfo\n| take 2"}));
    let broken = "file:///work/broken.kql";
    c.open(broken, "DeviceEvents | where (").await;
    let err = c.execute("kql.requestBody", json!([broken])).await;
    let err = err.unwrap_err();
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("syntax errors"), "{err}");
}

#[tokio::test]
async fn signature_help_marks_the_active_parameter() {
    let mut c = client_with("print substring(\"abc\", 1, ").await;
    let help = c.answer("textDocument/signatureHelp", at(URI, 0, 26)).await;
    let sig = &help["signatures"][help["activeSignature"].as_u64().unwrap() as usize];
    let label = sig["label"].as_str().unwrap();
    assert!(label.starts_with("substring("), "{sig}");
    assert_eq!(help["activeParameter"], 2);
    let [start, end] = [0, 1].map(|i| sig["parameters"][2]["label"][i].as_u64().unwrap() as usize);
    assert!(label[start..end].contains("length"), "{sig}");
}

#[tokio::test]
async fn document_symbols_folding_and_selection_ranges() {
    let mut c = client_with(QUERY).await;
    let symbols = c.answer("textDocument/documentSymbol", doc(URI)).await;
    let names = strings(&symbols, "name");
    assert!(names.contains(&"threshold"), "{symbols:#}");
    let let_sym = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "threshold")
        .unwrap();
    assert_eq!(let_sym["selectionRange"], range(0, 4, 0, 13));

    let folds = c.answer("textDocument/foldingRange", doc(URI)).await;
    assert!(
        folds
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["startLine"] == 1 && f["endLine"].as_u64().unwrap() >= 5),
        "the query folds from line 1: {folds}"
    );

    let positions = json!({"positions": [pos(3, 12)]});
    let sel = c
        .answer("textDocument/selectionRange", doc_with(URI, positions))
        .await;
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
    let full = c.answer("textDocument/semanticTokens/full", doc(URI)).await;
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
    let line_3 = doc_with(URI, json!({"range": range(3, 0, 3, 100)}));
    let ranged = c.answer("textDocument/semanticTokens/range", line_3).await;
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
    let params = doc_with(URI, json!({"range": range(0, 0, 3, 0)}));
    let hints = c.answer("textDocument/inlayHint", params.clone()).await;
    let labels = strings(&hints, "label");
    assert!(labels.iter().any(|l| l.contains("7 d")), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("10 rows")), "{labels:?}");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kql": {"now": support::NOW, "inlayHints": false}}}),
    )
    .await;
    let hints = c.answer("textDocument/inlayHint", params).await;
    assert_eq!(hints, json!([]));
}

#[tokio::test]
async fn code_actions_offer_the_lint_fix_as_a_quick_fix() {
    let text = "DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where ProcessCommandLine contains \"powershell\"\n| take 10\n";
    let mut c = client_with(text).await;
    let diags = c.request("textDocument/diagnostic", doc(URI)).await;
    assert!(diags.is_err(), "pull diagnostics are not offered; push is");
    let params = doc_with(
        URI,
        json!({"range": range(2, 30, 2, 30), "context": {"diagnostics": []}}),
    );
    let actions = c.answer("textDocument/codeAction", params).await;
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
    let only = doc_with(
        URI,
        json!({"range": range(0, 0, 0, 0), "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let fix_all = c.answer("textDocument/codeAction", only).await;
    let kinds = strings(&fix_all, "kind");
    assert!(kinds.iter().all(|k| *k == "source.fixAll.kql"), "{fix_all}");
}
