//! `workspace/executeCommand`: commands editors build on.
//!
//! - `kql.requestBody` — arguments `[{"uri": …, "api": "defender" | "graph", "timespan": "P7D",
//!   "position": {…}, "range": {…}}]` (or `[uri]`): the JSON body `kql request` prints for the
//!   selected `range` if one is given and not empty, else in blocks mode for the block at
//!   `position`, else for the whole document. Text with syntax errors is refused (an error
//!   answer), as `kql request` refuses it. `timespan` applies to the Graph API only.
//! - `kql.syntaxTree` — arguments `[{"uri": …}]` (or `[uri]`): the lossless tree as text.
//! - `kql.debug.panic` (not advertised) panics on the analysis thread, so tests and users can
//!   check that a panic is caught, logged and answered as an error while the server goes on.

use kql_hunting_api::{RunHuntingQueryRequest, RunQueryRequest, Timespan};
use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny, Position, Range, Uri};

use crate::server::Backend;
use crate::worker::DocView;

pub const REQUEST_BODY: &str = "kql.requestBody";
pub const SYNTAX_TREE: &str = "kql.syntaxTree";
pub const DEBUG_PANIC: &str = "kql.debug.panic";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CommandArgs {
    uri: Uri,
    #[serde(default)]
    api: Api,
    timespan: Option<String>,
    position: Option<Position>,
    range: Option<Range>,
}

#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Api {
    #[default]
    Defender,
    Graph,
}

fn parse_args(arguments: &[LSPAny]) -> Result<CommandArgs> {
    let first = arguments
        .first()
        .ok_or_else(|| Error::invalid_params("expected one argument: {\"uri\": ...}"))?;
    let value = match first {
        LSPAny::String(uri) => serde_json::json!({ "uri": uri }),
        other => other.clone(),
    };
    serde_json::from_value(value).map_err(|e| Error::invalid_params(e.to_string()))
}

impl Backend {
    pub(crate) async fn execute_command_request(
        &self,
        p: ExecuteCommandParams,
    ) -> Result<Option<LSPAny>> {
        if p.command == DEBUG_PANIC {
            return self
                .run(|_| -> Option<LSPAny> { panic!("{DEBUG_PANIC} was called") })
                .await;
        }
        let args = parse_args(&p.arguments)?;
        let uri = args.uri.clone();
        let answer = match p.command.as_str() {
            REQUEST_BODY => {
                self.on_doc(uri, move |v| Some(request_body(&v, &args)))
                    .await?
            }
            SYNTAX_TREE => {
                self.on_doc(uri, |v| Some(Ok(LSPAny::String(v.analysis.syntax_tree()))))
                    .await?
            }
            other => return Err(Error::invalid_params(format!("unknown command `{other}`"))),
        };
        match answer {
            Some(Ok(value)) => Ok(Some(value)),
            Some(Err(why)) => Err(Error::invalid_params(why)),
            None => Err(Error::invalid_params(format!(
                "{} is not open",
                args_uri(&p.arguments)
            ))),
        }
    }
}

fn args_uri(arguments: &[LSPAny]) -> String {
    parse_args(arguments)
        .map(|a| a.uri.as_str().to_string())
        .unwrap_or_default()
}

/// The body `kql request` would print for the selection, the block at the cursor or the document.
fn request_body(v: &DocView<'_>, args: &CommandArgs) -> std::result::Result<LSPAny, String> {
    let text: &str = &v.doc.text;
    let selection = args
        .range
        .map(|r| v.text_range(r))
        .filter(|r| !r.is_empty());
    let query = match (selection, args.position) {
        (Some(selected), _) => &text[selected],
        (None, Some(pos)) if v.analysis.config().blocks => {
            let at = v.offset(pos);
            let blocks = kql_syntax::block_ranges(text);
            let block = blocks
                .iter()
                .find(|r| r.contains_inclusive(at))
                .ok_or("the cursor is not inside a query")?;
            &text[*block]
        }
        _ => text,
    };
    let parse = kql_syntax::parse(query);
    if let Some(d) = parse.diagnostics().first() {
        return Err(format!(
            "syntax errors; no request body ({}: {})",
            d.code, d.message
        ));
    }
    let query = query.trim_start_matches('\u{feff}').trim_end().to_string();
    let body = match (args.api, &args.timespan) {
        (Api::Defender, Some(_)) => {
            return Err("timespan applies to the Graph API only".into());
        }
        (Api::Defender, None) => serde_json::to_value(RunQueryRequest::new(query)),
        (Api::Graph, timespan) => {
            let mut req = RunHuntingQueryRequest::new(query);
            if let Some(t) = timespan {
                let t: Timespan = t.parse().map_err(|e| format!("timespan: {e}"))?;
                req = req.with_timespan(t);
            }
            serde_json::to_value(req)
        }
    };
    body.map_err(|e| e.to_string())
}
